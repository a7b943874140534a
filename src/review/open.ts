import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {openCardsWriter} from '../analyze/cards-writer.js'
import {AcoError} from '../errors.js'
import {hashText} from '../util/hash.js'
import {isCardsInput, openCards, type CardSource} from './source.js'
import {makeFolders} from '../util/folders.js'
import type {Skipped} from '../read/file-report.js'

export interface OpenReviewOptions {
  /** Cards file or folder, or trace files and folders (none: the agents' default log folders). */
  paths: string[]
  cwd: string
  home: string
  env: Record<string, string | undefined>
  /** Folder for derived files (indexes, analysed cards); default: a per-user folder in the system's temporary folder. */
  cacheDir?: string
  /**
   * aco's version: traces are then analysed through aco analyze's per-file cache (unchanged files' cards read back,
   * not analysed again), as `aco analyze` does; without it, every file is analysed.
   */
  version?: string
  onProgress?: (stage: 'analysing' | 'indexing', done: number, total: number) => void
}

export interface OpenedReview {
  source: CardSource
  /** The trace paths analysed, when the input was traces rather than cards. */
  inputs?: string[]
  /** What analysing the traces skipped (a file it could not read, a line of one that is no record), as analyze lists it. */
  skipped: Skipped[]
}

function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : (env.USER ?? env.USERNAME ?? 'user')
  return join(tmpdir(), `aco-review-${user}`)
}

export async function openReview(options: OpenReviewOptions): Promise<OpenedReview> {
  const cacheDir = options.cacheDir ?? defaultCacheDir(options.env)
  makeFolders(cacheDir, 0o700)
  const paths = options.paths.map(p => resolve(options.cwd, p))
  const cards = paths.filter(p => isCardsInput(p))
  if (cards.length > 0) {
    if (paths.length > 1) {
      throw new AcoError(
        'usage',
        cards.length > 1
          ? 'aco review opens one cards file at a time.'
          : 'Pass either a cards file or trace paths, not both.',
        'Review trace files together (aco review a.jsonl b.jsonl), or one cards.ndjson from aco analyze --out.',
      )
    }
    const source = openCards(cards[0]!, {cacheDir, onProgress: (d, t) => options.onProgress?.('indexing', d, t)})
    return {source, skipped: []}
  }

  const key = hashText(paths.length ? [...paths].sort().join('\u0000') : '(default folders)')
  const dir = join(cacheDir, `analysed-${key}`)
  const writer = openCardsWriter(dir)
  // Only traces need the analyser (adapters, prices): cards open without loading it.
  const {analyze} = await import('../analyze/analyze.js')
  const {codeFingerprint} = await import('../analyze/cache.js')
  const {cacheDir: unitCacheDir} = await import('../analyze/cache-dir.js')
  let run: Awaited<ReturnType<typeof analyze>>
  try {
    run = await analyze({
      paths,
      home: options.home,
      env: options.env,
      ...(options.version !== undefined
        ? {cache: {dir: unitCacheDir(options.home, options.env), salt: codeFingerprint(options.version)}}
        : {}),
      onCards: found => writer.write(found),
      onProgress: (done, total) => options.onProgress?.('analysing', done.bytes, total.bytes),
    })
    writer.commit()
  } catch (error) {
    writer.abort()
    throw error
  }
  const source = openCards(dir, {cacheDir})
  if (source.rows.length === 0) {
    source.close()
    throw new AcoError(
      'no-input',
      `No traces in ${paths.join(', ') || 'the default folders'}.`,
      'aco review reads the same traces as aco analyze.',
    )
  }
  return {source, inputs: paths.length ? paths : run.searched, skipped: run.summary.skipped}
}
