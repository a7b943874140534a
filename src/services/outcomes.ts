/**
 * What `aco outcomes` does, start to finish, without oclif: reads the runs
 * (every card, with the SWE-bench reports and predictions beside them),
 * turns them into outcome rows (learn/from-runs.ts), writes the JSONL
 * atomically and returns what it wrote. Patches submitted by each run (the
 * rows' `response`) come from the predictions file beside its trajectory.
 */
import {dirname, join, resolve} from 'node:path'
import {fillTaskResults, loadTaskResults} from '../adapt/task-results.js'
import {analyze} from '../analyze/analyze.js'
import type {FormatId, TraceCard} from '../card/types.js'
import {AcoError} from '../errors.js'
import {outcomeRowsFromCards, type RunRow} from '../learn/from-runs.js'
import {loadUserPrices} from '../price/user-prices.js'
import {writeFileAtomic} from '../util/atomic.js'
import {guardOutputFile, prepareOutputFile} from '../util/output-paths.js'
import {readInputTextSync} from '../util/fs-errors.js'
import {redactText, redactValue} from '../util/redact.js'

export interface RunOutcomesOptions {
  /** Run folders or trajectory files, absolute. */
  paths: string[]
  /** `--out FILE`: the outcome table to write. */
  outFile: string
  format?: FormatId
  pricesFile?: string
  taskResultsFile?: string
  threads?: number
  redact: boolean
  /** `--force`: --out may be inside a run folder read (never over a file read). */
  force?: boolean
  home: string
  env: Record<string, string | undefined>
}

export interface OutcomesResult {
  schemaVersion: '1.0'
  out: string
  rows: number
  items: number
  /** Items every model ran (what a router or a cascade can be evaluated on). */
  itemsRunByEveryModel: number
  models: Array<{model: string; runs: number; resolved: number; costUsd: number}>
  /** Rows whose run submitted a patch (kept as the row's response). */
  withResponse: number
  /** Runs whose own report kept its outcome where --task-results said otherwise (it only fills runs with none). */
  keptOwnReports?: number
  skipped: Array<{path: string; line?: number; reason: string}>
}

/** Predictions files a run leaves beside its trajectories: instance id → submitted patch. */
const PREDICTION_FILES = ['preds.json', 'all_preds.jsonl']

function readPatches(folder: string): Map<string, string> {
  const patches = new Map<string, string>()
  const add = (entry: unknown): void => {
    if (entry === null || typeof entry !== 'object') return
    const e = entry as {instance_id?: unknown; model_patch?: unknown}
    if (typeof e.instance_id === 'string' && typeof e.model_patch === 'string' && !patches.has(e.instance_id))
      patches.set(e.instance_id, e.model_patch)
  }
  for (const name of PREDICTION_FILES) {
    let text: string
    try {
      text = readInputTextSync(join(folder, name), 'a predictions file')
    } catch {
      continue
    }
    try {
      if (name.endsWith('.jsonl')) {
        for (const line of text.split('\n')) if (line.trim()) add(JSON.parse(line))
      } else {
        const doc = JSON.parse(text) as unknown
        if (doc && typeof doc === 'object') for (const v of Object.values(doc as object)) add(v)
      }
    } catch {
      // A predictions file that is not JSON names no patch; the run is still read.
    }
  }
  return patches
}

export async function runOutcomes(options: RunOutcomesOptions): Promise<OutcomesResult> {
  // Not an input, nor inside a folder read (a file written there would be read as one by the next run).
  const out = prepareOutputFile(
    guardOutputFile(options.outFile, '--out', {
      inputs: [
        ...options.paths,
        ...(options.pricesFile ? [options.pricesFile] : []),
        ...(options.taskResultsFile ? [options.taskResultsFile] : []),
      ],
      force: options.force ?? false,
      // (With --force too: a file already in a run folder read is one of the run's files, a trajectory or a report.)
      keepsFiles: 'it is a file in a run folder this run reads',
    }),
    '--out',
  )
  const prices = options.pricesFile ? await loadUserPrices(options.pricesFile) : undefined
  const taskResults = options.taskResultsFile ? await loadTaskResults(options.taskResultsFile) : undefined
  const cards: TraceCard[] = []
  const run = await analyze({
    paths: options.paths,
    format: options.format,
    prices,
    threads: options.threads,
    redact: options.redact,
    home: options.home,
    env: options.env,
    onCards: found => {
      cards.push(...found)
    },
  })
  // A task-results file is for runs that left no report beside them: it names no model, and a run's own report says how
  // that model did (a file that said otherwise for every model flipped runs).
  const filled = taskResults ? fillTaskResults(cards, taskResults.results) : undefined
  const folders = new Map<string, Map<string, string>>()
  const patchOf = (card: TraceCard): string | undefined => {
    const id = card.task?.id
    if (id === undefined) return undefined
    const folder = dirname(card.source.path)
    let patches = folders.get(folder)
    if (!patches) {
      patches = readPatches(folder)
      folders.set(folder, patches)
    }
    const patch = patches.get(id)
    return patch === undefined || patch === '' ? undefined : options.redact ? redactText(patch) : patch
  }
  const table = outcomeRowsFromCards(cards, patchOf)
  const skipped: OutcomesResult['skipped'] = [...run.summary.skipped, ...table.skipped]
  const resultsPath = options.taskResultsFile ? resolve(options.taskResultsFile) : ''
  for (const p of taskResults?.problems ?? [])
    skipped.push({path: resultsPath, ...(p.line ? {line: p.line} : {}), reason: p.reason})
  if (table.rows.length === 0) {
    throw new AcoError(
      'no-input',
      `No run in ${options.paths.join(', ')} gave an outcome row${table.skipped[0] ? ` (the first skipped: ${table.skipped[0].path}: ${table.skipped[0].reason})` : ''}.`,
      'Point aco outcomes at run folders with their trajectories and the SWE-bench report of each run.',
    )
  }
  await writeFileAtomic(out, `${table.rows.map(r => JSON.stringify(r)).join('\n')}\n`)
  const result: OutcomesResult = {
    schemaVersion: '1.0',
    out,
    rows: table.rows.length,
    ...summarize(table.rows),
    withResponse: table.rows.filter(r => r.response !== undefined).length,
    skipped,
  }
  if (filled?.kept) result.keptOwnReports = filled.kept
  return options.redact ? redactValue(result) : result
}

function summarize(rows: RunRow[]): Pick<OutcomesResult, 'items' | 'itemsRunByEveryModel' | 'models'> {
  const byModel = new Map<string, {model: string; runs: number; resolved: number; costUsd: number}>()
  const byItem = new Map<string, Set<string>>()
  for (const r of rows) {
    const m = byModel.get(r.model) ?? {model: r.model, runs: 0, resolved: 0, costUsd: 0}
    m.runs++
    m.resolved += r.success
    m.costUsd = Math.round((m.costUsd + r.cost_usd) * 1e9) / 1e9
    byModel.set(r.model, m)
    const s = byItem.get(r.item_id) ?? new Set<string>()
    s.add(r.model)
    byItem.set(r.item_id, s)
  }
  return {
    items: byItem.size,
    itemsRunByEveryModel: [...byItem.values()].filter(s => s.size === byModel.size).length,
    models: [...byModel.values()].sort((a, b) => a.costUsd / a.runs - b.costUsd / b.runs),
  }
}
