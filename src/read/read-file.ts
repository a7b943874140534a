/**
 * read: one file into TraceCards. Opens the file (discover), finds its format
 * (detect, or the format `--format` names), asks the format's adapter whether
 * the file is a companion read from elsewhere, and streams its records
 * through the adapter (adapt). Whatever cannot be used is reported (file,
 * line, reason) and the rest of the file goes on.
 *
 * This stage stands above detect and adapt: detection knows the adapters,
 * and nothing in either knows how a file is read.
 */
import {createHash} from 'node:crypto'
import {closeSync, openSync, readFileSync, readSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {ADAPTERS, adaptersFor} from '../adapt/registry.js'
import {isOpencodeDatabase, readOpencodeDatabase} from '../adapt/opencode-db.js'
import {
  type AdaptContext,
  type Adapter,
  type DocumentAdapter,
  type JsonlAdapter,
  RecordError,
  type TextAdapter,
} from '../adapt/types.js'
import type {RedactMode} from '../card/build.js'
import type {FormatId, TraceCard} from '../card/types.js'
import {
  detectDocument,
  detectFromStart,
  type FileStart,
  firstRecords,
  SNIFF_LINES,
  unknownReason,
  type Detection,
} from '../detect/detect.js'
import {
  firstLines,
  forEachLine,
  MAX_LINE_BYTES,
  onlyWhiteSpace,
  openTraceFile,
  type TraceFile,
  wholeText,
} from '../discover/read.js'
import {
  cutDeeperThan,
  jsonDeeperThan,
  jsonTooComplex,
  jsonTooLarge,
  MAX_JSON_DEPTH,
  valueDeeperThan,
} from '../util/depth.js'
import {describeFsError} from '../util/fs-errors.js'
import {isAcoParquet} from '../detect/aco-output.js'
import {isSqliteHeader, SqliteError, SqliteFile} from '../util/sqlite.js'
import {lineCount} from '../util/text.js'
import {FileReport, type FileResult, type FileState, StopReading} from './file-report.js'
import {withoutExcerpt} from '../util/json-parse.js'

export interface ReadOptions {
  /** Read the file as this format instead of detecting it (`--format`). */
  format?: FormatId
  /** Readers built from a `--mapping`: tried before the others, or alone (`only`: a mapping without detect rules). */
  mapping?: {adapters: readonly Adapter[]; only: boolean}
  /** Redact secrets in the text cards keep (default true; see `RedactMode`). */
  redact?: RedactMode
  /** Where an earlier read of this file stopped: read on from there when the file only grew since. */
  resume?: FileState
  /** Keep where this read stops and the reader's state there (`FileResult.state`), for a later `resume`. */
  keepState?: boolean
  /** Keep what the mapping read even when it read nothing (`aco formats --check` shows the mapping's own read). */
  mappingAlone?: boolean
  /**
   * Finishes each card as soon as it is read (prices, flags, leans it), for a file of many sessions (OpenCode's
   * database): only what it returns is kept, so the file's sessions are never all held whole at once. A file of another
   * kind ignores it (its cards come at its end); `FileResult.finished` says which happened.
   */
  eachCard?: (card: TraceCard) => TraceCard
}

/** With --format, a file whose first records all fail is not of that format: said once, not per line. */
const FORCED_MISMATCH_RECORDS = 5

/**
 * Reads one trace file into cards; never throws for a problem with the file (it is reported in the result). A file a
 * `--mapping` took (having no detect rules, or rules loose enough to take another tool's file) but read nothing from
 * is read as it would be without the mapping: a Claude Code session in the same folder stays a Claude Code session.
 */
export async function readTraceFile(path: string, options: ReadOptions = {}): Promise<FileResult> {
  const read = await readWith(path, options)
  if (!read.byMapping || read.result.cards.length > 0 || options.format || options.mappingAlone) return read.result
  const plain = await readWith(path, {...options, mapping: undefined})
  // (A known companion of traces too, as it is without the mapping: trial 124's mapping without detect rules read
  // Aider's .aider.llm.history as 44,541 lines of invalid JSON.)
  return plain.result.cards.length > 0 || plain.result.companion ? plain.result : read.result
}

async function readWith(path: string, options: ReadOptions): Promise<{result: FileResult; byMapping: boolean}> {
  let byMapping = false
  const result = await readOnce(path, options, adapter => {
    byMapping = options.mapping?.adapters.includes(adapter) ?? false
  })
  return {result, byMapping}
}

async function readOnce(
  path: string,
  options: ReadOptions,
  onAdapter: (adapter: Adapter) => void,
): Promise<FileResult> {
  const report = new FileReport(path)
  const ctx: AdaptContext = {
    path,
    redact: options.redact ?? true,
    skip: report.skip,
    // (Each file looked for is noted as it was, there or not: see `SiblingSeen`.)
    readSibling: async name => {
      const seen = report.sibling(join(dirname(path), name))
      if (!seen) return undefined
      try {
        return await readFile(seen.path, 'utf8')
      } catch {
        return undefined
      }
    },
    readSiblingSync: (name, maxBytes = Number.POSITIVE_INFINITY) => {
      const seen = report.sibling(join(dirname(path), name))
      if (!seen || seen.size > maxBytes) return undefined
      try {
        return readFileSync(seen.path, 'utf8')
      } catch {
        return undefined
      }
    },
  }
  try {
    const file = openTraceFile(path)
    // A SQLite database (OpenCode's opencode.db), and the write-ahead log and index that go with one.
    if (file.sqlite) return readDatabase(path, ctx, report, options.eachCard)
    const database = file.binary ? /^(.*)-(?:wal|shm)$/.exec(path)?.[1] : undefined
    if (database !== undefined && startsAsSqlite(database)) {
      report.result.companion = `${basename(path).endsWith('-wal') ? 'the write-ahead log' : 'the shared-memory index'} of the database ${basename(database)} (read with it)`
      return report.result
    }
    const mapping = options.mapping
    const readers = mapping && !mapping.only ? [...mapping.adapters, ...ADAPTERS] : ADAPTERS
    const forced = options.format ? adaptersFor(options.format) : mapping?.only ? mapping.adapters : undefined
    const forcedBy = options.format ? `--format ${options.format}` : mapping?.only ? '--mapping' : undefined
    const found = findFormat(file, forced, readers, report)
    if (!found) return report.result
    const {detection, doc, badBytes} = found
    switch (detection.kind) {
      case 'companion':
        report.result.companion = detection.label
        return report.result
      case 'aco-output':
        report.result.acoOutput = detection.label
        return report.result
      case 'unknown':
        report.skip(undefined, detection.reason || unknownReason(readers))
        return report.result
      case 'json':
      case 'jsonl':
      case 'text': {
        const adapter = detection.adapter
        onAdapter(adapter)
        report.result.format = adapter.format
        if (adapter.label !== adaptersFor(adapter.format)[0]?.label) report.result.reader = adapter.label
        // A file that repeats another beside it is read from there (its adapter's companion hook).
        // (Whether the file it would repeat is there is noted as a file looked for beside it: see `SiblingSeen`.)
        const elsewhere =
          forced && !adapter.companionWhenForced
            ? undefined
            : adapter.companionOf?.(path, other => report.sibling(other) !== undefined)
        if (elsewhere) {
          report.result.companion = elsewhere
          return report.result
        }
        const state = detection.kind === 'jsonl' ? statefulRead(detection.adapter, file, doc, options) : undefined
        report.result.cards =
          detection.kind === 'json'
            ? await readDocument(detection.adapter, doc, ctx, report)
            : detection.kind === 'jsonl'
              ? readRecords(detection.adapter, file, doc, ctx, report, forcedBy, state)
              : readLines(detection.adapter, file, ctx, report)
        // (A JSON document read whole: said as the lines of a JSONL file are, trial 34 found it silent.)
        if (badBytes)
          for (const card of report.result.cards)
            card.warnings.push({
              message: 'the file holds bytes that are not UTF-8: read with U+FFFD in their place',
            })
        return report.result
      }
      default:
        return detection satisfies never
    }
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code) report.skip(undefined, `unreadable: ${describeFsError(error)}`)
    else if (error instanceof RangeError) report.skip(undefined, `too large to read: ${error.message}`)
    else report.internal(undefined, `internal error: ${(error as Error).message}`)
    return report.result
  } finally {
    report.close()
  }
}

/** Whether a file beside the one read starts as a SQLite database does (false when it cannot be read). */
function startsAsSqlite(path: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const head = Buffer.alloc(16)
    return readSync(fd, head, 0, 16, 0) === 16 && isSqliteHeader(head)
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** A SQLite database: OpenCode's sessions when it holds them (see opencode-db.ts), else said as not read. */
function readDatabase(
  path: string,
  ctx: AdaptContext,
  report: FileReport,
  eachCard: ((card: TraceCard) => TraceCard) | undefined,
): FileResult {
  let db: SqliteFile | undefined
  try {
    db = new SqliteFile(path)
    if (!isOpencodeDatabase(db)) {
      report.skip(undefined, "a SQLite database, but not OpenCode's (no session, message and part tables): not read")
      return report.result
    }
    report.result.format = 'opencode'
    report.result.cards = readOpencodeDatabase(db, ctx, eachCard)
    if (eachCard) report.result.finished = true
  } catch (error) {
    if (error instanceof SqliteError)
      report.skip(
        undefined,
        /WITHOUT ROWID/.test(error.message)
          ? `a SQLite database aco cannot read: ${error.message}`
          : `damaged SQLite database: ${error.message}`,
      )
    else if (error instanceof RecordError) report.skip(undefined, error.message)
    else throw error
  } finally {
    db?.close()
  }
  return report.result
}

/** Why a binary file is no trace, and what to do where something can be done: UTF-16 without its mark, an archive. */
function binaryReason(head: Uint8Array): string {
  if (utf16WithoutMark(head))
    return 'binary file, not a trace: it looks like UTF-16 text with no byte order mark (save it as UTF-8, or with the mark, and aco reads it)'
  const packed = packedAs(head)
  return packed
    ? `binary file, not a trace: it is ${packed} (unpack it, and aco reads what it holds)`
    : 'binary file, not a trace'
}

/** What compressed or archived a file, by its first bytes: logs kept for months are often packed. */
function packedAs(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  if (head[0] === 0x1f && head[1] === 0x8b) return 'compressed with gzip'
  if (head.subarray(0, 4).equals(ZSTD_MAGIC)) return 'compressed with zstd'
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'compressed with bzip2'
  if (head.subarray(0, 6).equals(XZ_MAGIC)) return 'compressed with xz'
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return 'a zip archive'
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'a tar archive'
  return undefined
}

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd])
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04])

/**
 * The file's format: detected from its head (and its parsed body, for a JSON
 * document), or the one `--format` names. Undefined, with the reason
 * reported, for a file with nothing to detect (binary, empty, invalid JSON).
 */
function findFormat(
  file: TraceFile,
  forced: readonly Adapter[] | undefined,
  readers: readonly Adapter[],
  report: FileReport,
): {detection: Detection; doc: unknown; badBytes?: boolean} | undefined {
  if (file.binary) {
    // (Its first bytes, read once: Parquet's magic, UTF-16 without its mark, an archive's magic; a tar's is at 257.)
    const head = headBytes(file.path, 512)
    if (isAcoParquet(basename(file.path), head)) {
      report.result.acoOutput = 'Parquet (aco analyze --out-format parquet)'
      return undefined
    }
    report.skip(undefined, binaryReason(head))
    return undefined
  }
  if (file.nulPadding > 0)
    report.skip(
      undefined,
      file.dataEnd === 0
        ? `only NUL bytes (${file.nulPadding.toLocaleString('en-US')}): what a crash mid-write leaves, no trace`
        : `ends in ${file.nulPadding.toLocaleString('en-US')} NUL bytes (what a crash mid-write leaves): read up to byte ${file.dataEnd.toLocaleString('en-US')}, the padding skipped`,
    )
  // (An empty file, a session that never started, loses nothing: it is read fine, with nothing to count.)
  if (file.dataEnd === 0) {
    if (file.nulPadding === 0) report.result.empty = true
    return undefined
  }
  // (Past the head, a file of white space alone is read to its end to tell: 200 KB of spaces is empty too.)
  if (
    file.head.trim().length === 0 &&
    (file.complete || (file.encoding === 'utf8' && onlyWhiteSpace(file.path, file.dataEnd)))
  ) {
    report.result.empty = true
    return undefined
  }
  const start = fileStart(file)
  let detection: Detection | {kind: 'needDocument'; doc?: unknown}
  if (forced) {
    const picked = pickForced(forced, start)
    if (!picked) {
      report.skip(undefined, 'no adapter for this format')
      return undefined
    }
    if (picked.kind === 'jsonl' && picked.sniffWhenForced && !picked.sniff(firstRecords(start.lines).records)) {
      report.skip(undefined, notRecognised(picked))
      return undefined
    }
    detection = picked.kind === 'json' ? {kind: 'needDocument'} : ({kind: picked.kind, adapter: picked} as Detection)
  } else {
    detection = detectFromStart(start, readers)
  }
  if (detection.kind !== 'needDocument') return {detection, doc: undefined}

  let doc: unknown = detection.doc
  let badBytes = false
  if (doc === undefined) {
    const text = wholeText(file)
    // Bytes that are not UTF-8, read as U+FFFD (a literal U+FFFD the file holds is three bytes, as it is written).
    badBytes =
      file.encoding === 'utf8' && text.includes('\uFFFD') && Buffer.byteLength(text) !== file.dataEnd - (file.bom ?? 0)
    const large = jsonTooLarge(text)
    if (large) {
      report.skip(undefined, `${large}: not a trace, skipped`)
      return undefined
    }
    try {
      doc = parseDocument(text)
      // A value nested too deep for the readers' walks is cut where it goes too deep; the rest of the document is read.
      const cut = jsonDeeperThan(text) ? cutDeeperThan(doc) : 0
      if (cut > 0)
        report.skip(
          undefined,
          `${cut} value${cut === 1 ? '' : 's'} nested deeper than ${MAX_JSON_DEPTH} levels: cut there, the rest of the file read`,
        )
    } catch (error) {
      // The file is neither JSONL (its first line is no JSON record) nor a JSON document: one reason for the
      // whole file, never a JSON error pinned on a record that may well be fine.
      const at = lineOfJsonError(text, error)
      report.skip(
        undefined,
        start.tooLong && start.lines.length === 0
          ? `every line of it is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB and the file is no JSON document: not a trace`
          : cutShort(text, error)
            ? `truncated: the file ends inside a JSON value it began, a record or a document (cut short while written?), at line ${lineCount(text)}`
            : `not JSONL (its first line is no JSON record) and not a JSON document (${withoutExcerpt((error as Error).message)}${at ? `, line ${at}` : ''})`,
      )
      return undefined
    }
  }
  // (Of a format's several document readers, the one whose sniff knows the document, where one does.)
  const forcedDocs = forced?.filter(a => a.kind === 'json') ?? []
  const forcedDoc =
    forcedDocs.length > 1 ? (forcedDocs.find(a => a.kind === 'json' && a.sniff(doc)) ?? forcedDocs[0]) : forcedDocs[0]
  if (forcedDoc?.kind === 'json' && forcedDoc.sniffWhenForced && !forcedDoc.sniff(doc)) {
    report.skip(undefined, notRecognised(forcedDoc))
    return undefined
  }
  return {
    detection: forcedDoc?.kind === 'json' ? {kind: 'json', adapter: forcedDoc} : detectDocument(doc, readers),
    doc,
    ...(badBytes ? {badBytes} : {}),
  }
}

/** Why a file `--format` names a mapping-defined format for is not read with it. */
function notRecognised(adapter: Adapter): string {
  return `not a ${adapter.label} file: the format looks for ${adapter.looksFor}, and its first records are not`
}

/** What detection reads of a file: its head, and its first lines whole when it looks like JSON. */
function fileStart(file: TraceFile): FileStart {
  if (!/^\s*[[{]/.test(file.head)) return {head: file.head, lines: [], allLines: file.complete}
  const {lines, more, tooLong} = firstLines(file, SNIFF_LINES)
  return {head: file.head, lines, allLines: !more && !tooLong, tooLong}
}

/** A JSON document, parsed whole, read by its adapter. */
async function readDocument(
  adapter: DocumentAdapter,
  doc: unknown,
  ctx: AdaptContext,
  report: FileReport,
): Promise<TraceCard[]> {
  if (valueDeeperThan(doc)) {
    report.skip(undefined, `nested deeper than ${MAX_JSON_DEPTH} levels: not a trace, skipped`)
    return []
  }
  try {
    return await adapter.parse(doc, ctx)
  } catch (error) {
    report.failed(adapter.label, undefined, error)
    return []
  }
}

/** What a read of JSONL lines resumes from and whether it keeps its state (only adapters that can resume do). */
interface Stateful {
  resume?: FileState
  keep: boolean
}

function statefulRead(
  adapter: JsonlAdapter,
  file: TraceFile,
  doc: unknown,
  options: ReadOptions,
): Stateful | undefined {
  // Only plain UTF-8 with LF line ends is read by byte offsets (UTF-16 and lone-CR files are decoded as text).
  const byOffsets = file.encoding === 'utf8' && file.lineBreaks === 'lf' && file.text === undefined
  if (!adapter.resume || doc !== undefined || !byOffsets) return undefined
  const r = options.resume
  const resume =
    r && r.reader === adapter.label && r.offset <= file.size && prefixCheck(file, r.offset) === r.check ? r : undefined
  return {resume, keep: options.keepState === true}
}

/**
 * A fingerprint of the file's bytes before `offset` (a hash of them all: what
 * was read must be what is there, or the file is read again whole). From
 * memory for a file read whole, else read again (reading is the cheap part).
 */
function prefixCheck(file: TraceFile, offset: number): string {
  const hash = createHash('sha1').update(`${offset}\0`)
  const bom = file.bom ?? 0
  if (file.bytes !== undefined && offset >= bom) return hash.update(file.bytes.subarray(0, offset - bom)).digest('hex')
  const chunk = Buffer.allocUnsafe(Math.min(offset, 4 << 20))
  const fd = openSync(file.path, 'r')
  try {
    for (let at = 0; at < offset; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, offset - at), at)
      if (n === 0) break
      hash.update(chunk.subarray(0, n))
      at += n
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** JSONL records, one line at a time (or a JSON array of records, pushed as if they were lines). */
function readRecords(
  adapter: JsonlAdapter,
  file: TraceFile,
  doc: unknown,
  ctx: AdaptContext,
  report: FileReport,
  /** The flag that forced the format (`--format F`, `--mapping`), when one did. */
  forced: string | undefined,
  stateful?: Stateful,
): TraceCard[] {
  const resume = stateful?.resume
  if (resume) {
    report.restore(resume.report)
    report.result.resumed = true
  }
  const sink = resume ? adapter.resume!(ctx, resume.sink) : adapter.open(ctx)
  // Where the last complete line ends, and its number: a snapshot is taken there, before a last line cut short.
  let lastEnd = resume?.offset ?? 0
  let lastLine = resume?.line ?? 0
  let state: FileState | undefined
  let stateless = !stateful?.keep
  const keepState = (): void => {
    if (stateless || state) return
    try {
      state = {
        reader: adapter.label,
        offset: lastEnd,
        line: lastLine,
        check: prefixCheck(file, lastEnd),
        sink: sink.snapshot!(),
        report: report.state(),
      }
    } catch {
      stateless = true
    }
  }
  let accepted = 0
  let rejected = 0
  let firstRejection: string | undefined
  const pushRecord = (record: unknown, line: number): void => {
    try {
      sink.push(record, line)
      accepted++
    } catch (error) {
      report.failed(adapter.label, line, error)
      rejected++
      firstRejection ??= `line ${line}: ${(error as Error).message}`
      if (forced && accepted === 0 && rejected >= FORCED_MISMATCH_RECORDS)
        throw new StopReading(`line ${line}: ${(error as Error).message}`)
    }
  }
  // Lines holding bytes that are not UTF-8 (read with U+FFFD in their place): how many, and the first.
  let badBytes = 0
  let firstBadBytes: number | undefined
  const parseAndPush = (
    text: string,
    line: number,
    last: boolean,
    bytes?: number,
    source?: Buffer,
    from?: number,
  ): void => {
    if (text.length === 0 || text.trim().length === 0) return
    const complex = jsonTooComplex(text)
    if (complex) {
      report.skip(line, `${complex}: not a trace record, skipped`)
      return
    }
    let record: unknown
    try {
      record = JSON.parse(text)
    } catch (error) {
      report.skip(
        line,
        last ? 'truncated line: the file ends mid-record' : `invalid JSON: ${withoutExcerpt((error as Error).message)}`,
      )
      return
    }
    // (Of a record read, not of a line skipped: that one is reported as skipped.)
    if (heldBadBytes(text, bytes, source, from)) {
      badBytes++
      firstBadBytes ??= line
    }
    pushRecord(record, line)
  }
  try {
    if (Array.isArray(doc)) {
      doc.forEach((record, i) => {
        if (valueDeeperThan(record)) report.skip(i + 1, `nested deeper than ${MAX_JSON_DEPTH} levels: skipped`)
        else pushRecord(record, i + 1)
      })
    } else {
      forEachLine(
        file,
        (text, line, terminated, end, bytes, source, from) => {
          if (!terminated) keepState()
          parseAndPush(text, line, !terminated, bytes, source, from)
          if (terminated) {
            lastEnd = end
            lastLine = line
          }
        },
        line => {
          // The offsets of a file with a line too long to read are not kept: it is read whole again.
          stateless = true
          report.skip(line, `a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB: not a trace record, skipped`)
        },
        undefined,
        resume && {offset: resume.offset, line: resume.line},
      )
      keepState()
    }
  } catch (error) {
    if (!(error instanceof StopReading)) throw error
    report.replaceSkips(
      `not a ${adapter.label} (${forced}): its first ${FORCED_MISMATCH_RECORDS} records fail to read, e.g. ${error.message}`,
    )
    return []
  }
  // A format forced on a short file of another: one reason for the file, as for a long one (StopReading above).
  if (forced && accepted === 0 && rejected > 0 && report.result.internalErrors === 0) {
    report.replaceSkips(`not a ${adapter.label} (${forced}): none of its records reads as one, e.g. ${firstRejection}`)
    return []
  }
  if (state) report.result.state = state
  const cards = sink.finish()
  if (badBytes > 0) for (const card of cards) card.warnings.push(notUtf8(badBytes, firstBadBytes!))
  return cards
}

/** A text log, one line at a time. */
function readLines(adapter: TextAdapter, file: TraceFile, ctx: AdaptContext, report: FileReport): TraceCard[] {
  const sink = adapter.open(ctx)
  // A file read whole is decoded whole for a reader that takes it in one piece.
  const text = sink.pushText ? (file.bytes !== undefined ? file.bytes.toString('utf8') : file.text) : undefined
  // Lines holding bytes that are not UTF-8 (read with U+FFFD in their place), as a JSONL file's (trial 94: an aider
  // history's were read in silence). A file decoded whole (lone-CR line ends) has lost its bytes: where its text is
  // not the length its bytes were, each line holding U+FFFD is taken for one (review 95).
  let badBytes = 0
  let firstBadBytes: number | undefined
  const bad = (line: number): void => {
    badBytes++
    firstBadBytes ??= line
  }
  const decodedBad =
    file.bytes === undefined &&
    file.text !== undefined &&
    file.encoding === 'utf8' &&
    file.text.includes('\uFFFD') &&
    Buffer.byteLength(file.text) !== file.dataEnd - (file.bom ?? 0)
  if (text !== undefined && sink.pushText) {
    report.guarded(adapter.label, undefined, () => sink.pushText?.(text))
    // (Its lines' bytes compared as any file's are: a cut sequence may be as long as a U+FFFD, review 95.)
    if (file.bytes !== undefined && text.includes('\uFFFD'))
      forEachLine(file, (line, n, _terminated, _end, bytes, source, from) => {
        if (heldBadBytes(line, bytes, source, from)) bad(n)
      })
    else if (decodedBad)
      text.split(/\r\n|\r|\n/).forEach((l, k) => {
        if (l.includes('\uFFFD')) bad(k + 1)
      })
  } else
    forEachLine(file, (text, line, _terminated, _end, bytes, source, from) => {
      if (bytes === undefined ? decodedBad && text.includes('\uFFFD') : heldBadBytes(text, bytes, source, from))
        bad(line)
      report.guarded(adapter.label, line, () => sink.push(text, line))
    })
  const cards = sink.finish()
  if (badBytes > 0) for (const card of cards) card.warnings.push(notUtf8(badBytes, firstBadBytes!))
  return cards
}

/**
 * Whether a line read with U+FFFD in it held bytes that are not UTF-8: its text is not as long as its bytes, or its
 * bytes (`source` from `from`, where the reader had them at hand) are not its text's own (a cut 4-byte sequence is as
 * long as the U+FFFD it reads as, review 95), whether the file was read whole or in chunks.
 */
function heldBadBytes(
  text: string,
  bytes: number | undefined,
  source: Buffer | undefined,
  from: number | undefined,
): boolean {
  if (bytes === undefined || !text.includes('\uFFFD')) return false
  if (Buffer.byteLength(text) !== bytes) return true
  if (source === undefined || from === undefined) return false
  return !source.subarray(from, from + bytes).equals(Buffer.from(text))
}

/** The warning on the cards of a file some of whose lines hold bytes that are not UTF-8. */
function notUtf8(lines: number, first: number): {line: number; message: string} {
  return {
    line: first,
    message: `${lines} line${lines === 1 ? '' : 's'} of the file hold${lines === 1 ? 's' : ''} bytes that are not UTF-8 (the first at line ${first}): read with U+FFFD in their place`,
  }
}

/**
 * The reader `--format` (or a `--mapping` without detect rules) names. A
 * format with several readers (Gemini CLI's JSON and JSONL recordings, YAML
 * and JSON cassettes) is read by the one whose shape the file has.
 */
function pickForced(candidates: readonly Adapter[], start: FileStart): Adapter | undefined {
  if (candidates.length <= 1) return candidates[0]
  // Text that is not JSON (a YAML cassette) goes to the format's text reader.
  if (!/^\s*[[{]/.test(start.head)) return candidates.find(a => a.kind === 'text') ?? candidates[0]
  const {firstParsed} = firstRecords(start.lines.slice(0, 1))
  const looksJsonl = firstParsed && !(start.lines.length === 1 && start.allLines)
  const kind = candidates.filter(a => (looksJsonl ? a.kind === 'jsonl' : a.kind === 'json'))
  // Of a format's several readers of that kind (Gemini CLI's chat recordings and its headless output), the one whose
  // sniff knows the file, where one does (review 91: the first was taken, and refused the other's files).
  if (kind.length > 1) {
    // (Documents are told apart once parsed, below.)
    const known = looksJsonl
      ? kind.find(a => a.kind === 'jsonl' && a.sniff(firstRecords(start.lines).records))
      : undefined
    if (known) return known
  }
  return kind[0] ?? candidates[0]
}

/** Whether JSON text failed to parse only because it stops early: a record begun, the error at its very end. */
function cutShort(text: string, error: unknown): boolean {
  const message = (error as Error).message
  if (!/^\s*[[{]/.test(text)) return false
  if (/Unexpected end of JSON input|Unterminated string/.test(message)) return true
  const m = /position (\d+)/.exec(message)
  if (m === null) return false
  // (Any error at the text's very end: a value cut after a number, `{"n":5`, is "Expected ',' or '}'" there.)
  const end = text.trimEnd().length
  return Number(m[1]) >= end || (/Bad control character/.test(message) && Number(m[1]) >= end - 1)
}

/** The 1-based line of a JSON.parse error, from the position V8 reports. */
function lineOfJsonError(text: string, error: unknown): number | undefined {
  const m = /position (\d+)/.exec((error as Error).message)
  if (!m) return undefined
  const pos = Number(m[1])
  let line = 1
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** The first four bytes of a file (Parquet's magic). */
/**
 * Whether a file read as binary starts as UTF-16 text of ASCII characters does when written without a byte order mark:
 * a NUL beside every printable byte, on the same side (trial 74: such a file was "binary" with no word of why).
 */
function utf16WithoutMark(buf: Uint8Array): boolean {
  const pairs = Math.floor(buf.length / 2)
  if (pairs < 8) return false
  const text = (b: number): boolean => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13
  let le = 0
  let be = 0
  for (let k = 0; k < pairs; k++) {
    const a = buf[2 * k]!
    const b = buf[2 * k + 1]!
    if (text(a) && b === 0) le++
    else if (a === 0 && text(b)) be++
  }
  return Math.max(le, be) >= pairs * 0.9
}

/** The first `n` bytes of a file (fewer for a shorter one; none when it cannot be read). */
function headBytes(path: string, n: number): Uint8Array {
  const buf = new Uint8Array(n)
  try {
    const fd = openSync(path, 'r')
    try {
      return buf.subarray(0, readSync(fd, buf, 0, n, 0))
    } finally {
      closeSync(fd)
    }
  } catch {
    return buf.subarray(0, 0)
  }
}

/**
 * A JSON document, or JSON values written one after another (objects pretty-printed back to back, as Python's
 * OpenTelemetry ConsoleSpanExporter writes `span.to_json()`; RFC 7464 sequences, each value after a record separator):
 * those are read as one list of them (trial 100). Anything else throws JSON.parse's own error for the whole text.
 */
function parseDocument(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const values = jsonSequence(text)
    if (values) return values
    throw error
  }
}

/** The values of a text of JSON objects or arrays one after another (two or more), else undefined. */
function jsonSequence(text: string): unknown[] | undefined {
  const values: unknown[] = []
  let at = 0
  while (at < text.length) {
    while (at < text.length && (/\s/.test(text[at]!) || text.charCodeAt(at) === 0x1e)) at++
    if (at >= text.length) break
    if (text[at] !== '{' && text[at] !== '[') return undefined
    const rest = text.slice(at)
    try {
      values.push(JSON.parse(rest))
      at = text.length
    } catch (error) {
      // V8 names where the first value ended: "Unexpected non-whitespace character after JSON at position 820".
      const end = /after JSON at position (\d+)/.exec((error as Error).message)?.[1]
      if (end === undefined) {
        // The last value cut short (a file cut while written): said of the whole text, where it stops.
        if (values.length && cutShort(rest, error))
          throw new SyntaxError(
            (error as Error).message.replace(/position (\d+)/, (_, p: string) => `position ${Number(p) + at}`),
          )
        return undefined
      }
      values.push(JSON.parse(rest.slice(0, Number(end))))
      at += Number(end)
    }
  }
  return values.length > 1 ? values : undefined
}
