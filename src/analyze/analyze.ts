/**
 * The `aco analyze` service: discover → detect → adapt → price → link →
 * summarize. Takes its paths and environment as arguments; returns data.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {adaptFile, type Skipped} from '../adapt/read-file.js'
import type {FormatId, TraceCard} from '../card/types.js'
import {walk} from '../discover/walk.js'
import {AcoError} from '../errors.js'
import {PriceBook, type UserPrice} from '../price/book.js'
import {priceCard} from '../price/price-card.js'
import {summarize, type AnalyzeSummary} from './aggregate.js'
import {dropRepeatedResponses, nestChildren, uniqueIds} from './link.js'

export interface AnalyzeOptions {
  /** Files and folders to read; empty means the agents' default log folders. */
  paths: string[]
  format?: FormatId
  prices?: UserPrice[]
  /** For the default folders. */
  home: string
  env: Record<string, string | undefined>
  onProgress?: (done: {files: number; bytes: number}, total: {files: number; bytes: number}) => void
}

export interface AnalyzeRun {
  summary: AnalyzeSummary
  cards: TraceCard[]
  files: {read: number; withTraces: number; skipped: number; ignored: number}
  /** Where aco looked when no path was given. */
  searched: string[]
  internalErrors: number
  repeatedResponses: number
}

/** The folders agents keep their logs in, for `aco analyze` with no path. */
export function defaultTracePaths(home: string, env: Record<string, string | undefined>): string[] {
  const claude = env.CLAUDE_CONFIG_DIR ? join(env.CLAUDE_CONFIG_DIR, 'projects') : join(home, '.claude', 'projects')
  const codex = join(env.CODEX_HOME || join(home, '.codex'), 'sessions')
  return [claude, codex]
}

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeRun> {
  let paths = options.paths
  let searched: string[] = []
  if (paths.length === 0) {
    searched = defaultTracePaths(options.home, options.env)
    paths = searched.filter((p) => existsSync(p))
    if (paths.length === 0) {
      throw new AcoError(
        'no-input',
        `No traces found: looked in ${searched.join(' and ')}.`,
        'Point aco at your traces: aco analyze path/to/traces (files or folders), or set CODEX_HOME / CLAUDE_CONFIG_DIR.',
      )
    }
  }

  const found = await walk(paths)
  const skipped: Skipped[] = found.problems.map((p) => ({path: p.path, reason: p.reason}))
  if (found.files.length === 0) {
    if (skipped.length > 0 && found.problems.length === paths.length) {
      throw new AcoError('usage', `Cannot read ${skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}.`, 'Check the path and its permissions.')
    }
    throw new AcoError(
      'no-input',
      `No trace files in ${paths.join(', ')}${found.ignored ? ` (${found.ignored} files with other extensions were passed over)` : ''}.`,
      'aco reads .jsonl, .json, .traj and agent log files; name a file directly to read it whatever its extension.',
    )
  }

  const total = {files: found.files.length, bytes: found.files.reduce((n, f) => n + f.size, 0)}
  const done = {files: 0, bytes: 0}
  const book = new PriceBook(options.prices)
  let cards: TraceCard[] = []
  let internalErrors = 0
  let withTraces = 0
  let skippedFiles = 0
  for (const file of found.files) {
    const result = await adaptFile(file.path, options.format)
    internalErrors += result.internalErrors
    for (const card of result.cards) priceCard(card, book)
    cards.push(...result.cards)
    skipped.push(...result.skipped)
    if (result.cards.length > 0) withTraces++
    else skippedFiles++
    done.files++
    done.bytes += file.size
    options.onProgress?.(done, total)
  }

  const repeatedResponses = dropRepeatedResponses(cards)
  cards = nestChildren(cards)
  uniqueIds(cards)

  return {
    summary: summarize(cards, skipped),
    cards,
    files: {read: found.files.length, withTraces, skipped: skippedFiles, ignored: found.ignored},
    searched,
    internalErrors,
    repeatedResponses,
  }
}
