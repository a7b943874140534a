/**
 * The cards a review reads: a cards.ndjson file and its index
 * (cards.index.ndjson, one small row per card with the byte range of its
 * line). The list of traces comes from the index alone; a card is read (its
 * byte range) only when it is opened, and the last few are kept.
 *
 * When the index is missing or does not match the cards (another run rewrote
 * them), it is rebuilt by scanning the cards once into a cache folder (never
 * beside or over the user's file) and reused while the cards stay the same.
 */
import {closeSync, existsSync, fstatSync, openSync, readSync, realpathSync, statSync, type Stats} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {CARDS_FILE, INDEX_FILE, indexRow, type CardIndexRow} from '../analyze/card-index.js'
import type {TraceCard} from '../card/types.js'
import {parseCardLine} from '../card/parse-line.js'
import {AcoError} from '../errors.js'
import {describeFsError} from '../util/fs-errors.js'
import {openLinesAtomic} from '../util/atomic.js'
import {hashText} from '../util/hash.js'
import {Lru} from './lru.js'
import {makeFolders} from '../util/folders.js'

export interface CardSource {
  /** Absolute path of the cards file. */
  readonly cardsPath: string
  /** The index in use: beside the cards, or rebuilt in the cache. */
  readonly indexPath: string
  /** True when the index was rebuilt (or reused from the cache) rather than found beside the cards. */
  readonly indexRebuilt: boolean
  /** Lines of the cards file that are not cards (cut short, edited): left out of the index and the review. */
  readonly skippedLines: number
  readonly rows: readonly CardIndexRow[]
  /** The card of a top-level trace, read from its byte range (cached). */
  load(id: string): TraceCard
  close(): void
}

export interface OpenOptions {
  /** Where a rebuilt index goes. */
  cacheDir: string
  /** Progress of a rebuild, in bytes. */
  onProgress?: (done: number, total: number) => void
  /** How many parsed cards to keep. */
  keep?: number
}

/** Where the cards and (if present) the index of a cards file or folder are. */
export function cardsPaths(path: string): {cards: string; index: string} {
  const stat = statOrThrow(path)
  if (stat.isDirectory()) {
    const cards = join(path, CARDS_FILE)
    if (!existsSync(cards)) {
      throw new AcoError('usage', `${path} holds no ${CARDS_FILE}.`, `Write one with: aco analyze TRACES --out ${path}`)
    }
    return {cards, index: join(path, INDEX_FILE)}
  }
  const name = basename(path)
  const stem = name.endsWith('.ndjson') ? name.slice(0, -'.ndjson'.length) : name
  return {cards: path, index: join(dirname(path), `${stem}.index.ndjson`)}
}

/** Whether `path` is a cards file (a line of it is a TraceCard) or a folder holding cards.ndjson. */
export function isCardsInput(path: string): boolean {
  let stat: Stats
  try {
    stat = statSync(path)
  } catch {
    return false
  }
  // (A FIFO named cards.ndjson is no cards file: reading its first line blocked forever; trial 127. What it is, the
  // trace files' reader says.)
  if (stat.isDirectory()) return isRegularFile(join(path, CARDS_FILE))
  if (!stat.isFile() || !path.toLowerCase().endsWith('.ndjson')) return false
  const first = firstLine(path, 1 << 16)
  return /^\s*\{\s*"schemaVersion"\s*:\s*"\d+\.\d+"\s*,\s*"id"\s*:/.test(first)
}

/** Opens a cards file or folder: reads (or rebuilds) its index, ready to load cards lazily. */
export function openCards(path: string, options: OpenOptions): CardSource {
  const paths = cardsPaths(path)
  const cardsPath = realpathSync(paths.cards)
  const stat = statOrThrow(cardsPath)
  // (A FIFO would block the index's read forever: trial 127.)
  if (!stat.isFile()) throw new AcoError('usage', `${cardsPath}: not a regular file (a FIFO or a device).`, CARDS_HINT)
  const size = stat.size
  let indexPath = paths.index
  // (An index that is no regular file, a FIFO, is none: reading it blocked forever; review 128.)
  let rows = isRegularFile(indexPath) ? readIndex(indexPath) : undefined
  let rebuilt = false
  if (!rows || !matches(rows, size)) {
    const cached = cachedIndexPath(cardsPath, options.cacheDir)
    rows = isRegularFile(cached) ? readIndex(cached) : undefined
    if (!rows || !matches(rows, size)) rows = buildIndex(cardsPath, cached, options.onProgress).rows
    indexPath = cached
    rebuilt = true
  }
  return new FileCardSource(cardsPath, indexPath, rebuilt, linesBetween(cardsPath, rows, size), rows, options.keep ?? 8)
}

/**
 * The lines of a cards file that no index row covers: lines that are no card (cut short, edited), which the index left
 * out. Counted from the gaps between the rows (blank lines aside), so an index built earlier tells them as well.
 */
function linesBetween(cardsPath: string, rows: readonly CardIndexRow[], size: number): number {
  const spans = rows.map(r => [r.offset, r.offset + r.bytes] as const).sort((a, b) => a[0] - b[0])
  const gaps: Array<[number, number]> = []
  let at = 0
  for (const [from, to] of spans) {
    if (from > at + 1) gaps.push([at, from])
    at = Math.max(at, to + 1)
  }
  if (size > at) gaps.push([at, size])
  if (gaps.length === 0) return 0
  let lines = 0
  const fd = openSync(cardsPath, 'r')
  try {
    const chunk = Buffer.allocUnsafe(1 << 16)
    for (const [from, to] of gaps) {
      // A line counts when it holds anything but white space.
      let filled = false
      for (let position = from; position < to; ) {
        const read = readSync(fd, chunk, 0, Math.min(chunk.length, to - position), position)
        if (read === 0) break
        for (let k = 0; k < read; k++) {
          const c = chunk[k]!
          if (c === 0x0a) {
            if (filled) lines++
            filled = false
          } else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) filled = true
        }
        position += read
      }
      if (filled) lines++
    }
  } finally {
    closeSync(fd)
  }
  return lines
}

class FileCardSource implements CardSource {
  private fd: number | undefined
  private readonly byId = new Map<string, CardIndexRow>()
  private readonly cache: Lru<string, TraceCard>

  constructor(
    readonly cardsPath: string,
    readonly indexPath: string,
    readonly indexRebuilt: boolean,
    readonly skippedLines: number,
    readonly rows: readonly CardIndexRow[],
    keep: number,
  ) {
    for (const row of rows) this.byId.set(row.id, row)
    this.cache = new Lru(keep)
  }

  load(id: string): TraceCard {
    const hit = this.cache.get(id)
    if (hit) return hit
    const row = this.byId.get(id)
    if (!row) throw new AcoError('usage', `No trace ${id} in ${this.cardsPath}.`)
    this.fd ??= openSync(this.cardsPath, 'r')
    const buf = Buffer.allocUnsafe(row.bytes)
    const read = readSync(this.fd, buf, 0, row.bytes, row.offset)
    let card: TraceCard | undefined
    try {
      card = JSON.parse(buf.toString('utf8', 0, read)) as TraceCard
    } catch {
      card = undefined
    }
    if (!card || card.id !== id) {
      throw new AcoError(
        'bad-file',
        `The index of ${this.cardsPath} does not match it (trace ${id} is not at byte ${row.offset}).`,
        `Run aco analyze again with --out, or remove ${this.indexPath} to have it rebuilt.`,
      )
    }
    this.cache.set(id, card)
    return card
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

/**
 * Reads an index file. Each row is checked field by field for what the list
 * reads (schemas/card-index.schema.json describes the rows; compiling it with
 * ajv would cost a quarter of the first screen's budget, for a file aco wrote).
 */
export function readIndex(path: string): CardIndexRow[] {
  const rows: CardIndexRow[] = []
  let line = 0
  const take = (raw: string): void => {
    line++
    if (!raw.trim()) return
    let row: unknown
    try {
      row = JSON.parse(raw)
    } catch {
      throw new AcoError(
        'bad-file',
        `${path}:${line} is not JSON.`,
        `Remove ${path}; aco review rebuilds it from the cards.`,
      )
    }
    const problem = indexRowProblem(row)
    if (problem) {
      throw new AcoError(
        'schema',
        `${path}:${line} is not a card index row: ${problem}.`,
        `Remove ${path}; aco review rebuilds it from the cards.`,
      )
    }
    rows.push(row as CardIndexRow)
  }
  // Read in chunks into one buffer, each line decoded on its own: the whole file as one buffer and one string
  // (4 MB for 10,000 traces) cost more to allocate than to parse.
  const fd = openSync(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(1 << 16)
    let pending: Buffer | undefined
    for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
      const data = pending ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n)
      let start = 0
      for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
        take(data.toString('utf8', start, nl))
        start = nl + 1
      }
      pending = start < data.length ? Buffer.from(data.subarray(start)) : undefined
    }
    if (pending) take(pending.toString('utf8'))
  } finally {
    closeSync(fd)
  }
  return rows
}

const COUNTS = ['offset', 'bytes', 'steps', 'llmCalls', 'flags', 'subagents', 'unpricedCalls'] as const

/** What is wrong with an index row (the fields the review relies on), or undefined. */
export function indexRowProblem(row: unknown): string | undefined {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return 'not an object'
  const r = row as Record<string, unknown>
  for (const key of ['id', 'format', 'path'] as const) if (typeof r[key] !== 'string') return `${key} must be a string`
  for (const key of COUNTS) {
    const v = r[key]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `${key} must be a whole number ≥ 0`
  }
  if ((r.bytes as number) < 1) return 'bytes must be ≥ 1'
  for (const key of ['costUsd', 'wastedUsd'] as const) {
    const v = r[key]
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${key} must be a number ≥ 0`
  }
  if (!Array.isArray(r.models) || r.models.some(m => typeof m !== 'string')) return 'models must be a list of strings'
  for (const key of ['title', 'startedAt'] as const)
    if (r[key] !== undefined && typeof r[key] !== 'string') return `${key} must be a string`
  return undefined
}

/** An index matches a cards file when its last row ends where the file does (every line ends with a newline). */
function matches(rows: readonly CardIndexRow[], size: number): boolean {
  if (rows.length === 0) return size === 0
  let end = 0
  for (const row of rows) end = Math.max(end, row.offset + row.bytes)
  return end + 1 === size || end === size
}

function cachedIndexPath(cardsPath: string, cacheDir: string): string {
  const stat = statSync(cardsPath)
  const key = hashText(`${cardsPath}\u0000${stat.size}\u0000${stat.mtimeMs}`)
  return join(cacheDir, `index-${key}`, INDEX_FILE)
}

/**
 * Scans a cards file once and writes its index (atomically). Lines that are
 * not cards are left out; memory holds one line at a time.
 */
function buildIndex(
  cardsPath: string,
  indexPath: string,
  onProgress?: (done: number, total: number) => void,
): {rows: CardIndexRow[]} {
  makeFolders(dirname(indexPath), 0o700)
  const out = openLinesAtomic(indexPath)
  const rows: CardIndexRow[] = []
  const fd = openSync(cardsPath, 'r')
  try {
    const total = fstatSync(fd).size
    const chunk = Buffer.allocUnsafe(1 << 20)
    let pending: Buffer[] = []
    let pendingBytes = 0
    let lineStart = 0
    let position = 0
    const finish = (line: Buffer, offset: number): void => {
      if (line.length === 0) return
      const {card} = parseCardLine(line.toString('utf8'))
      // (Not a card: left out of the index, and counted where the cards are opened, see `linesBetween`.)
      if (!card) return
      const row = indexRow(card, offset, line.length)
      rows.push(row)
      out.write(JSON.stringify(row))
    }
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, position)
      if (read === 0) break
      let from = 0
      for (;;) {
        const nl = chunk.indexOf(0x0a, from)
        if (nl < 0 || nl >= read) break
        const piece = chunk.subarray(from, nl)
        const line = pendingBytes ? Buffer.concat([...pending, piece]) : piece
        finish(line, lineStart)
        lineStart += line.length + 1
        pending = []
        pendingBytes = 0
        from = nl + 1
      }
      if (from < read) {
        pending.push(Buffer.from(chunk.subarray(from, read)))
        pendingBytes += read - from
      }
      position += read
      onProgress?.(position, total)
    }
    if (pendingBytes) finish(Buffer.concat(pending), lineStart)
    out.commit()
  } catch (error) {
    out.abort()
    throw error
  } finally {
    closeSync(fd)
  }
  return {rows}
}

function firstLine(path: string, max: number): string {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(max)
    const read = readSync(fd, buf, 0, max, 0)
    const text = buf.toString('utf8', 0, read)
    const nl = text.indexOf('\n')
    return nl < 0 ? text : text.slice(0, nl)
  } finally {
    closeSync(fd)
  }
}

function statOrThrow(path: string): Stats {
  let stat: Stats
  try {
    stat = statSync(path)
  } catch (error) {
    throw new AcoError('usage', `${path}: ${describeFsError(error)}.`, CARDS_HINT)
  }
  return stat
}

const CARDS_HINT = 'Pass a cards.ndjson (from aco analyze --out), a folder holding one, or trace files.'

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
