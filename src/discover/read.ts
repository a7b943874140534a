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
 *
 * What crashes and other tools leave is read too, here, for every adapter:
 * NUL bytes padding the end of a file (a crash mid-write) are not read and
 * are counted (`nulPadding`); UTF-16 with a byte-order mark is decoded; a
 * UTF-8 byte-order mark is dropped; lines ended by a lone CR (no LF in the
 * file's head) are split on CR. Plain UTF-8 with LF or CRLF takes the fast
 * path it always took.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {isSqliteHeader} from '../util/sqlite.js'

const CHUNK = 4 << 20
const HEAD = 64 * 1024
/** Files up to this size are read in one go; larger ones in chunks (a whole file costs its size twice: bytes and text). */
export const WHOLE_FILE_LIMIT = 16 * 1024 * 1024

/** How a file's bytes become text. */
type TextEncoding = 'utf8' | 'utf16le' | 'utf16be'

export interface TraceFile {
  path: string
  /** The file's size in bytes when it was opened. */
  size: number
  /** Where its data ends: the size less the NUL padding at its end. Nothing past this is read. */
  dataEnd: number
  /** NUL bytes at the end of the file (what a crash mid-write leaves), not read. */
  nulPadding: number
  encoding: TextEncoding
  /** `cr`: lines end with a lone CR (old Mac style); `lf`: with LF or CRLF. */
  lineBreaks: 'lf' | 'cr'
  /** The first ~64 KB of text, cut at a character boundary (lone CR line ends given as LF, for sniffing). */
  head: string
  /** True when `head` is the whole file. */
  complete: boolean
  binary: boolean
  /** A binary file that starts as a SQLite database does (OpenCode's opencode.db). */
  sqlite?: boolean
  /**
   * The whole file's bytes (a leading BOM dropped), for files small enough to
   * read at once. A view of this thread's read buffer: valid until the next
   * file is opened, so readers use it before they first await.
   */
  bytes?: Buffer
  /** Bytes of a byte order mark the file starts with (not in `bytes`, not in any line). */
  bom?: number
  /** The whole text of a small file that is not plain UTF-8 with LF line ends (UTF-16, or lone-CR line ends). */
  text?: string
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
      const all = readIntoScratch(fd, size)
      const encoding = encodingOf(all)
      const dataEnd = dataEndOf(all, encoding)
      let buf = all.subarray(0, dataEnd)
      const base = {path, size, dataEnd, nulPadding: size - dataEnd, encoding}
      // (A SQLite database is binary, even cut so short its NUL padding leaves its magic alone.)
      const sqlite = isSqliteHeader(all)
      const binary = sqlite || (encoding === 'utf8' && looksBinary(buf.subarray(0, 8192)))
      if (binary) return {...base, lineBreaks: 'lf', head: '', complete: true, binary, sqlite}
      if (encoding === 'utf8') {
        // Plain UTF-8 with LF (or CRLF) line ends: kept as bytes, decoded line by line (see the header).
        const bom = hasBom(buf) ? 3 : 0
        if (bom) buf = buf.subarray(bom)
        const complete = buf.length <= HEAD
        const head = (complete ? buf : buf.subarray(0, completeUtf8(buf.subarray(0, HEAD)))).toString('utf8')
        const lineBreaks = lineBreaksOf(head)
        if (lineBreaks === 'lf') return {...base, lineBreaks, head, complete, binary, bytes: buf, bom}
      }
      const text = decode(buf, encoding)
      const head = text.length > HEAD ? text.slice(0, HEAD) : text
      const lineBreaks = lineBreaksOf(head)
      return {...base, lineBreaks, head: sniffable(head, lineBreaks), complete: text.length <= HEAD, binary, text}
    }
    const buf = Buffer.allocUnsafe(HEAD)
    const n = readSync(fd, buf, 0, HEAD, 0)
    const slice = buf.subarray(0, n)
    const encoding = encodingOf(slice)
    const dataEnd = paddedEnd(fd, size, encoding)
    const sqlite = isSqliteHeader(slice)
    const binary = sqlite || (encoding === 'utf8' && looksBinary(slice.subarray(0, 8192)))
    const head = binary ? '' : decode(slice.subarray(0, completeChars(slice, encoding)), encoding)
    const lineBreaks = lineBreaksOf(head)
    return {
      path,
      size,
      dataEnd,
      nulPadding: size - dataEnd,
      encoding,
      lineBreaks,
      head: sniffable(head, lineBreaks),
      complete: false,
      binary,
      sqlite,
    }
  } finally {
    closeSync(fd)
  }
}

/** The encoding a byte-order mark names; UTF-8 without one. */
function encodingOf(start: Uint8Array): TextEncoding {
  if (start[0] === 0xff && start[1] === 0xfe) return 'utf16le'
  if (start[0] === 0xfe && start[1] === 0xff) return 'utf16be'
  return 'utf8'
}

/** Where the data of `buf` ends before a run of NUL bytes at its end (whole UTF-16 units kept). */
function dataEndOf(buf: Uint8Array, encoding: TextEncoding): number {
  let end = buf.length
  while (end > 0 && buf[end - 1] === 0) end--
  // A UTF-16 LE character can end in a zero byte ("}" is 7D 00): the padding starts at an even offset.
  if (encoding !== 'utf8' && end % 2 === 1 && end < buf.length) end++
  return end
}

/** `dataEndOf` for a file too large to read whole: looks back from its end, a block at a time. */
function paddedEnd(fd: number, size: number, encoding: TextEncoding): number {
  const block = Buffer.allocUnsafe(HEAD)
  let end = size
  while (end > 0) {
    const from = Math.max(0, end - HEAD)
    const n = readSync(fd, block, 0, end - from, from)
    const last = dataEndOf(block.subarray(0, n), 'utf8')
    if (last > 0) {
      end = from + last
      break
    }
    end = from
  }
  if (encoding !== 'utf8' && end % 2 === 1 && end < size) end++
  return end
}

/** Text of bytes in an encoding, without a byte-order mark. */
function decode(buf: Buffer, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf8':
      return stripBom(buf.toString('utf8'))
    case 'utf16le':
      return stripBom(buf.toString('utf16le', 0, buf.length & ~1))
    case 'utf16be': {
      const even = Buffer.from(buf.subarray(0, buf.length & ~1))
      return stripBom(even.swap16().toString('utf16le'))
    }
    default:
      return encoding satisfies never
  }
}

/** The length of `buf` without a trailing, incomplete character. */
function completeChars(buf: Uint8Array, encoding: TextEncoding): number {
  if (encoding === 'utf8') return completeUtf8(buf)
  // A UTF-16 unit cut in half, or a high surrogate whose low half is missing.
  let end = buf.length & ~1
  if (end >= 2) {
    const unit = encoding === 'utf16le' ? buf[end - 2]! | (buf[end - 1]! << 8) : (buf[end - 2]! << 8) | buf[end - 1]!
    if (unit >= 0xd800 && unit <= 0xdbff) end -= 2
  }
  return end
}

/** The head as detection reads it: lines ended by LF (text formats are sniffed by their lines). */
function sniffable(head: string, lineBreaks: 'lf' | 'cr'): string {
  return lineBreaks === 'cr' ? head.replace(/\r\n?/g, '\n') : head
}

/** Lines end with a lone CR when the head has a CR and no LF at all. */
function lineBreaksOf(head: string): 'lf' | 'cr' {
  return head.indexOf('\n') === -1 && head.indexOf('\r') !== -1 ? 'cr' : 'lf'
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
  let nul = 0
  // NUL bytes in runs of 8 or more: padding a crash or a preallocating writer left, not text in another encoding
  // (UTF-16 has one every other byte).
  let padding = 0
  let run = 0
  for (let i = 0; i <= buf.length; i++) {
    const b = i < buf.length ? buf[i]! : 1
    if (b === 0) {
      nul++
      run++
      continue
    }
    if (run >= 8) padding += run
    run = 0
    if (i < buf.length && (b < 9 || (b > 13 && b < 32))) control++
  }
  // NUL bytes in what opens as JSON text, a few or in blocks (a record cut by a crash, padding), damage lines, not
  // the file: its lines are read, and the broken ones are skipped with their line number.
  if (nul) return !(opensJson(buf) && (nul - padding) / buf.length < 0.01 && control / (buf.length - nul) < 0.01)
  return control / buf.length > 0.1
}

/** Whether the bytes open with `{` or `[`, after a byte-order mark and white space. */
function opensJson(buf: Uint8Array): boolean {
  let i = hasBom(buf) ? 3 : 0
  while (i < buf.length && (buf[i] === 32 || (buf[i]! >= 9 && buf[i]! <= 13))) i++
  return buf[i] === 123 || buf[i] === 91
}

function hasBom(buf: Uint8Array): boolean {
  return buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * One line: its text (without the line break), its 1-based number, whether a
 * line break ended it, the file offset just past it (past its line break),
 * and, where it was decoded from bytes, its length in the file (`bytes`: a
 * line whose text is longer in UTF-8 held bytes that are not UTF-8) and where
 * those bytes are (`source` from `from`: a view of a read buffer, valid during
 * the call alone), whether the file was read whole or in chunks.
 */
export type LineHandler = (
  text: string,
  line: number,
  terminated: boolean,
  end: number,
  bytes?: number,
  source?: Buffer,
  from?: number,
) => void

/** Longer lines are skipped, not read: a JSON record this long is not a trace record. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/** Where to start reading: a file offset just past a line break, and the number of the lines before it. */
export interface LineStart {
  offset: number
  line: number
}

/**
 * Whether a file holds only white space (spaces, tabs, line ends) up to `end`: a file too large to be read whole, whose
 * head is white space, read in chunks until a byte that is not.
 */
export function onlyWhiteSpace(path: string, end: number): boolean {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, end)))
    for (let at = 0; at < end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - at), at)
      if (n === 0) break
      for (let k = 0; k < n; k++) {
        const c = buf[k]!
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12) return false
      }
      at += n
    }
    return true
  } finally {
    closeSync(fd)
  }
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
  const cr = file.lineBreaks === 'cr'
  if (file.text !== undefined || cr || file.encoding !== 'utf8') {
    // Read from the start: only the byte path (plain UTF-8, LF) reads on from an earlier read.
    if (from && from.offset > 0) throw new Error(`${file.path}: only plain UTF-8 files with LF line ends are read on`)
    if (file.text !== undefined) {
      if (cr) splitCrLines(file.text, 0, onLine, true)
      else splitTextLines(file.text, 0, onLine, true)
    } else forEachDecodedLine(file, onLine, onTooLong, maxLineBytes)
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
    let left = file.dataEnd - position
    // One read buffer for the whole file: what a chunk leaves of a line is copied out before the next read. (A
    // fresh buffer a chunk lives outside V8's heap, so nothing hurries its collection: a 100 MB session read
    // that way held 70 MB of spent chunks at its peak.)
    const chunk = Buffer.allocUnsafe(CHUNK)
    for (;;) {
      const n = left > 0 ? readSync(fd, chunk, 0, Math.min(CHUNK, left), position) : 0
      if (n === 0) break
      left -= n
      position += n
      const data = chunk.subarray(0, n)
      const cut = data.lastIndexOf(10)
      if (cut === -1) {
        if (!oversized) {
          pending.push(Buffer.from(data))
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
      } else if (pending.length) {
        // A line that goes past the limit in the very chunk that ends it (the check above sees only chunks with no
        // line end): over the limit all the same, however little.
        const nl = data.indexOf(10)
        if (pendingBytes + nl > maxLineBytes) {
          lineNo++
          onTooLong?.(lineNo)
          pending = []
          first = false
          start = nl + 1
          base = position - n + start
        }
      }
      // The line left open by the chunks before is joined to its end alone; the rest is read where it lies.
      const after = pending.length ? data.indexOf(10, start) + 1 : cut + 1
      let head = pending.length ? Buffer.concat([...pending, data.subarray(start, after)]) : data.subarray(start, after)
      if (first) {
        if (hasBom(head)) {
          head = head.subarray(3)
          base += 3
        }
        first = false
      }
      lineNo = splitLines(head, lineNo, base, onLine, false)
      if (after < cut + 1)
        lineNo = splitLines(data.subarray(after, cut + 1), lineNo, position - n + after, onLine, false)
      base = position - n + cut + 1
      pending = cut + 1 < n ? [Buffer.from(data.subarray(cut + 1))] : []
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
    onLine(
      end > start ? bytes.toString('utf8', start, end) : '',
      lineNo,
      true,
      base + nl + 1,
      end - start,
      bytes,
      start,
    )
    start = nl + 1
    nl = bytes.indexOf(10, start)
  }
  if (final && start < bytes.length) {
    lineNo++
    const end = bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length
    onLine(bytes.toString('utf8', start, end), lineNo, false, base + bytes.length, end - start, bytes, start)
  }
  return lineNo
}

/** Splits `text` on LF (and CRLF) into lines numbered from `lineNo + 1`; returns the last number used. */
function splitTextLines(text: string, lineNo: number, onLine: LineHandler, final: boolean): number {
  let start = 0
  let nl = text.indexOf('\n')
  while (nl !== -1) {
    lineNo++
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl
    onLine(text.slice(start, end), lineNo, true, -1)
    start = nl + 1
    nl = text.indexOf('\n', start)
  }
  if (final && start < text.length) {
    lineNo++
    const rest = text.slice(start)
    onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, lineNo, false, -1)
  }
  return lineNo
}

/** Splits `text` on CR, LF and CRLF alike; numbered from `lineNo + 1`; returns the last number used. */
function splitCrLines(text: string, lineNo: number, onLine: LineHandler, final: boolean): number {
  const re = /\r\n?|\n/g
  let start = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    onLine(text.slice(start, m.index), ++lineNo, true, -1)
    start = m.index + m[0].length
  }
  if (final && start < text.length) onLine(text.slice(start), ++lineNo, false, -1)
  return lineNo
}

const DECODERS: Record<TextEncoding, string> = {utf8: 'utf-8', utf16le: 'utf-16le', utf16be: 'utf-16be'}

/**
 * `forEachLine` for a file too large to read whole that is not plain UTF-8
 * with LF line ends (UTF-16, or lone-CR line ends): decoded as a stream, then
 * split in text. Slower than the byte path, and as bounded: a line longer
 * than `maxLineBytes` characters is passed over, not held.
 */
function forEachDecodedLine(
  file: TraceFile,
  onLine: LineHandler,
  onTooLong: ((line: number) => void) | undefined,
  maxLineBytes: number,
): void {
  const cr = file.lineBreaks === 'cr'
  const split = cr ? splitCrLines : splitTextLines
  // The decoder drops a byte-order mark at the start.
  const decoder = new TextDecoder(DECODERS[file.encoding])
  const fd = openSync(file.path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(CHUNK)
    let carry = ''
    let oversized = false
    let lineNo = 0
    let left = file.dataEnd
    for (;;) {
      const n = left > 0 ? readSync(fd, chunk, 0, Math.min(CHUNK, left), null) : 0
      left -= n
      const final = n === 0
      let text = decoder.decode(chunk.subarray(0, n), {stream: !final})
      if (oversized) {
        const at = cr ? firstBreak(text) : text.indexOf('\n')
        if (at === -1) {
          if (final) onTooLong?.(lineNo + 1)
          if (final) break
          continue
        }
        onTooLong?.(++lineNo)
        oversized = false
        text = text.slice(at + (text.startsWith('\r\n', at) ? 2 : 1))
      }
      const carried = carry.length > 0
      text = carry + text
      // A line that went past the limit in the chunk that ends it (only what a chunk left over was measured), as the
      // byte reader has it (review 33: lines of UTF-16 files up to a chunk past the limit were read whole).
      if (carried) {
        const at = cr ? firstBreak(text) : text.indexOf('\n')
        if ((at === -1 ? text.length : at) > maxLineBytes) {
          if (at !== -1) {
            onTooLong?.(++lineNo)
            text = text.slice(at + (text.startsWith('\r\n', at) ? 2 : 1))
          } else if (final) {
            onTooLong?.(lineNo + 1)
            break
          }
        }
      }
      if (final) {
        split(text, lineNo, onLine, true)
        break
      }
      // Up to the last line break; a CR at the very end waits for the LF that may follow it.
      let cut = cr ? Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1 : text.lastIndexOf('\n') + 1
      if (cr && cut === text.length && text.charCodeAt(cut - 1) === 13) cut--
      lineNo = split(text.slice(0, cut), lineNo, onLine, false)
      carry = text.slice(cut)
      if (carry.length > maxLineBytes) {
        oversized = true
        carry = ''
      }
    }
  } finally {
    closeSync(fd)
  }
}

function firstBreak(text: string): number {
  const lf = text.indexOf('\n')
  const cr = text.indexOf('\r')
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr)
}

const STOP = Symbol('stop')

/**
 * The first `count` non-empty lines of a file, each whole however long it is
 * (detection must see whole records: a session may open with a pasted prompt
 * of 100 KB). Bounded by the line limit: a line longer than `maxLineBytes`
 * is passed over (`tooLong`), and no more lines are read once `maxLineBytes`
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
        if (text.length > maxLineBytes) {
          tooLong = true
          return
        }
        if (lines.length >= count || chars >= maxLineBytes) {
          more = true
          throw STOP
        }
        lines.push(text)
        chars += text.length
      },
      // A line too long to read (a session opening with a pasted file of 100 MB) is passed over, as the reader passes
      // it over: the lines after it tell the format.
      () => {
        tooLong = true
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
  if (file.text !== undefined) return file.text
  const fd = openSync(file.path, 'r')
  try {
    return decode(readAll(fd, file.dataEnd), file.encoding)
  } finally {
    closeSync(fd)
  }
}
