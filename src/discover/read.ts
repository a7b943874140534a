/**
 * File reading for the adapters: a file's head for sniffing, its lines one
 * at a time, or its whole text for JSON documents. Files up to 16 MB are read
 * once, whole (the fastest way in Node); larger files are streamed in chunks
 * cut at newlines, so memory stays bounded by the longest line.
 *
 * Lines are decoded from UTF-8 one at a time, never a whole file or chunk at
 * once: V8 makes a string with a single non-ASCII character two bytes a
 * character, through its slow decoder, so one accented letter in a session
 * made the whole file's text cost 10-15× more to decode (measured: 100 MB of
 * Claude Code logs, 1.3 s whole-file, 0.09 s line by line) and twice its
 * memory. Line by line, only the lines with such characters pay.
 * Reads are synchronous: a CLI reading one file at a time per thread gains
 * nothing from async I/O and pays for every hop through the thread pool.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'

const CHUNK = 4 << 20
const HEAD = 64 * 1024
/** Files up to this size are read in one go; larger ones in chunks (a whole file costs its size twice: bytes and text). */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024

export interface TraceFile {
  path: string
  size: number
  /** The first ~64 KB of text, cut at a character boundary. */
  head: string
  /** True when `head` is the whole file. */
  complete: boolean
  binary: boolean
  /**
   * The whole file's bytes (a leading BOM dropped), for files small enough to
   * read at once. A view of this thread's read buffer: valid until the next
   * file is opened, so readers use it before they first await.
   */
  bytes?: Buffer
  /** Bytes of a byte order mark the file starts with (not in `bytes`, not in any line). */
  bom?: number
}

/**
 * One read buffer per thread, reused file after file: the text is decoded out
 * of it at once, so a fresh buffer per file would only be garbage that grows
 * the process's memory until the next collection.
 */
let scratch = Buffer.allocUnsafe(1 << 20)

function readIntoScratch(fd: number, size: number): Buffer {
  if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.min(WHOLE_FILE_LIMIT, 2 ** Math.ceil(Math.log2(size))))
  let read = 0
  while (read < size) {
    const n = readSync(fd, scratch, read, size - read, read)
    if (n === 0) break
    read += n
  }
  return scratch.subarray(0, read)
}

/** Opens a file for detection and reading. */
export function openTraceFile(path: string): TraceFile {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    if (size <= WHOLE_FILE_LIMIT) {
      let buf = readIntoScratch(fd, size)
      const binary = looksBinary(buf.subarray(0, 8192))
      if (binary) return {path, size, head: '', complete: true, binary}
      const bom = hasBom(buf) ? 3 : 0
      if (bom) buf = buf.subarray(bom)
      const complete = buf.length <= HEAD
      const head = complete ? buf : buf.subarray(0, completeUtf8(buf.subarray(0, HEAD)))
      return {path, size, head: head.toString('utf8'), complete, binary, bytes: buf, bom}
    }
    const buf = Buffer.allocUnsafe(HEAD)
    const n = readSync(fd, buf, 0, HEAD, 0)
    const slice = buf.subarray(0, n)
    const binary = looksBinary(slice.subarray(0, 8192))
    return {
      path,
      size,
      head: binary ? '' : stripBom(slice.subarray(0, completeUtf8(slice)).toString('utf8')),
      complete: false,
      binary,
    }
  } finally {
    closeSync(fd)
  }
}

function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size)
  let read = 0
  while (read < size) {
    const n = readSync(fd, buf, read, size - read, read)
    if (n === 0) break
    read += n
  }
  return read === size ? buf : buf.subarray(0, read)
}

/** The length of `buf` without a trailing, incomplete UTF-8 character. */
function completeUtf8(buf: Uint8Array): number {
  let i = buf.length - 1
  let back = 0
  while (i >= 0 && back < 4 && (buf[i]! & 0xc0) === 0x80) {
    i--
    back++
  }
  if (i < 0) return buf.length
  const lead = buf[i]!
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return back + 1 >= need ? buf.length : i
}

/** NUL bytes or a high share of control characters mean binary. */
function looksBinary(buf: Uint8Array): boolean {
  if (buf.length === 0) return false
  let control = 0
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!
    if (b === 0) return true
    if (b < 9 || (b > 13 && b < 32)) control++
  }
  return control / buf.length > 0.1
}

function hasBom(buf: Uint8Array): boolean {
  return buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * One line: its text (without the line break), its 1-based number, whether a
 * line break ended it, and the file offset just past it (past its line break).
 */
export type LineHandler = (text: string, line: number, terminated: boolean, end: number) => void

/** Longer lines are skipped, not read: a JSON record this long is not a trace record. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/** Where to start reading: a file offset just past a line break, and the number of the lines before it. */
export interface LineStart {
  offset: number
  line: number
}

/**
 * Calls `onLine` for every line of a file, up to its size when it was opened
 * (1-based numbers, `\r\n` handled;
 * `terminated` is false for a last line without a newline). `onTooLong` hears
 * of lines longer than MAX_LINE_BYTES, which are passed over. `from` starts
 * after the lines a previous read took (an appended file read on from there).
 */
export function forEachLine(
  file: TraceFile,
  onLine: LineHandler,
  onTooLong?: (line: number) => void,
  maxLineBytes = MAX_LINE_BYTES,
  from?: LineStart,
): void {
  const bom = file.bom ?? 0
  if (file.bytes !== undefined) {
    const skip = from ? from.offset - bom : 0
    splitLines(
      skip > 0 ? file.bytes.subarray(skip) : file.bytes,
      from?.line ?? 0,
      bom + Math.max(0, skip),
      onLine,
      true,
    )
    return
  }
  const fd = openSync(file.path, 'r')
  try {
    // The bytes of a line still open, kept as a list: each byte is copied once, however long the line.
    let pending: Buffer[] = []
    let pendingBytes = 0
    let oversized = false
    let lineNo = from?.line ?? 0
    let first = !from || from.offset === 0
    // The file offset of the first byte not yet handed to splitLines (or passed over).
    let base = from?.offset ?? 0
    let position = base
    // Up to the size seen at open: a file still being written is read to that point, not chased to its live end.
    let left = file.size - position
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK)
      const n = left > 0 ? readSync(fd, chunk, 0, Math.min(CHUNK, left), position) : 0
      if (n === 0) break
      left -= n
      position += n
      const data = chunk.subarray(0, n)
      const cut = data.lastIndexOf(10)
      if (cut === -1) {
        if (!oversized) {
          pending.push(data)
          pendingBytes += n
          if (pendingBytes > maxLineBytes) {
            oversized = true
            pending = []
            pendingBytes = 0
          }
        }
        continue
      }
      let start = 0
      if (oversized) {
        // The rest of the oversized line ends at the first newline of this chunk.
        const nl = data.indexOf(10)
        lineNo++
        onTooLong?.(lineNo)
        oversized = false
        start = nl + 1
        base = position - n + start
      }
      let head = pending.length
        ? Buffer.concat([...pending, data.subarray(start, cut + 1)])
        : data.subarray(start, cut + 1)
      if (first) {
        if (hasBom(head)) {
          head = head.subarray(3)
          base += 3
        }
        first = false
      }
      lineNo = splitLines(head, lineNo, base, onLine, false)
      base = position - n + cut + 1
      pending = cut + 1 < n ? [data.subarray(cut + 1)] : []
      pendingBytes = n - cut - 1
    }
    if (oversized) onTooLong?.(lineNo + 1)
    else if (pendingBytes > 0) {
      let rest = Buffer.concat(pending)
      if (first && hasBom(rest)) {
        rest = rest.subarray(3)
        base += 3
      }
      splitLines(rest, lineNo, base, onLine, true)
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * Splits `bytes` (found at file offset `base`) into lines numbered from
 * `lineNo + 1`, each decoded on its own (see the header); returns the last
 * number used. With `final`, bytes after the last newline are a last line
 * without one.
 */
function splitLines(bytes: Buffer, lineNo: number, base: number, onLine: LineHandler, final: boolean): number {
  let start = 0
  let nl = bytes.indexOf(10)
  while (nl !== -1) {
    lineNo++
    const end = nl > start && bytes[nl - 1] === 13 ? nl - 1 : nl
    onLine(end > start ? bytes.toString('utf8', start, end) : '', lineNo, true, base + nl + 1)
    start = nl + 1
    nl = bytes.indexOf(10, start)
  }
  if (final && start < bytes.length) {
    lineNo++
    const end = bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length
    onLine(bytes.toString('utf8', start, end), lineNo, false, base + bytes.length)
  }
  return lineNo
}

const STOP = Symbol('stop')

/**
 * The first `count` non-empty lines of a file, each whole however long it is
 * (detection must see whole records: a session may open with a pasted prompt
 * of 100 KB). Bounded by the line limit: a line longer than `maxLineBytes`
 * ends the list (`tooLong`), and no more lines are read once `maxLineBytes`
 * have been. `more` is true when a non-empty line follows the ones returned.
 */
export function firstLines(
  file: TraceFile,
  count: number,
  maxLineBytes = MAX_LINE_BYTES,
): {lines: string[]; more: boolean; tooLong: boolean} {
  const lines: string[] = []
  let more = false
  let tooLong = false
  let chars = 0
  try {
    forEachLine(
      file,
      text => {
        if (text.trim().length === 0) return
        if (lines.length === 0 && text.length > maxLineBytes) {
          tooLong = true
          throw STOP
        }
        if (lines.length >= count || chars >= maxLineBytes) {
          more = true
          throw STOP
        }
        lines.push(text)
        chars += text.length
      },
      () => {
        tooLong = true
        throw STOP
      },
      maxLineBytes,
    )
  } catch (error) {
    if (error !== STOP) throw error
  }
  return {lines, more, tooLong}
}

/** The whole text of a file (JSON documents are one trace each). */
export function wholeText(file: TraceFile): string {
  if (file.bytes !== undefined) return file.bytes.toString('utf8')
  const fd = openSync(file.path, 'r')
  try {
    return stripBom(readAll(fd, fstatSync(fd).size).toString('utf8'))
  } finally {
    closeSync(fd)
  }
}
