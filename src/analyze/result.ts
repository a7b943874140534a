/**
 * The result of `aco analyze` (what `--json` prints), described by
 * `schemas/analyze-result.schema.json`.
 */
import type {AnalyzeRun, WindowReport} from './analyze.js'
import type {AnalyzeSummary} from './aggregate.js'
import type {Grouping} from './group.js'
import type {Shard} from './shard.js'

export interface AnalyzeResult extends AnalyzeSummary {
  schemaVersion: '1.0'
  files: AnalyzeRun['files']
  /** Where aco looked when no path was given. */
  searched?: string[]
  /** Responses found in more than one file (e.g. resumed sessions) and counted once. */
  repeatedResponses: number
  /** Files that only repeat traces read elsewhere (a backup copy of a session), with the trace each repeats. */
  repeatedFiles: AnalyzeRun['repeatedFiles']
  /** Files read without a problem that hold no trace (empty sessions, companions), and why. */
  nothingToCount: AnalyzeRun['nothingToCount']
  /** With `--task-results`: how many results the file gave and how many joined a trace (named before the flag was). */
  outcomes?: {given: number; joined: number}
  /** Where `--out` wrote the cards, and `--report` the Markdown report. */
  written?: {cards?: string; report?: string}
  /** Outputs asked for that could not be written (a full disk while writing): each named, with why; the rest stands. */
  notWritten?: Array<{output: '--out' | '--report'; path: string; reason: string}>
  /** With `--by`: the totals split by day, week, month, session, project or model. */
  groups?: Grouping
  /** With `--since`/`--until`: the window, and what it passed over. */
  window?: WindowReport
  /** With `--shard i/n`: which part of the input this result covers (`aco merge` puts the parts together). */
  shard?: Shard
  /** What the run says of how it was asked (a `--since` after now, another format's cards left in `--out`). */
  notes?: string[]
}

export function toResult(run: AnalyzeRun): AnalyzeResult {
  const result: AnalyzeResult = {
    schemaVersion: '1.0',
    ...run.summary,
    files: run.files,
    repeatedResponses: run.repeatedResponses,
    repeatedFiles: run.repeatedFiles,
    nothingToCount: run.nothingToCount,
  }
  if (run.searched.length) result.searched = run.searched
  if (run.taskResults) result.outcomes = run.taskResults
  if (run.groups) result.groups = run.groups
  if (run.window) result.window = run.window
  return result
}
