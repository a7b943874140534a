/**
 * The lines of a file aco reads whole line by line (cards, outcome tables, prompts), without readline: a line
 * longer than a string can be (V8's limit is about 512 MB; a file of 600 MB with no line break, `/dev/zero`) is a
 * clear error naming the file and line, not a RangeError out of readline, and only regular files are opened (a
 * FIFO would block the read forever). A UTF-8 byte-order mark opening the file is dropped.
 */
import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {AcoError} from '../errors.js'
import {describeFsError} from './fs-errors.js'

/** The longest line read (bytes): far below V8's limit on a string, far above any card aco writes. */
const MAX_LINE_BYTES = 256 * 1024 * 1024
const CHUNK = 1 << 20

/**
 * Why `path` is no UTF-8 text to read line by line, from its first 8 KB: UTF-16 (what Windows PowerShell's `>` writes),
 * or binary (NUL bytes in its first line: a Parquet file, an archive, a program); undefined for anything else. Such a
 * file read as lines is a JSON error per line that says nothing of the cause.
 */
export function notText(path: string): string | undefined {
  let head: Buffer
  try {
    const fd = openSync(path, 'r')
    try {
      head = Buffer.alloc(8192)
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0))
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
  const utf16 =
    (head[0] === 0xff && head[1] === 0xfe) ||
    (head[0] === 0xfe && head[1] === 0xff) ||
    // (No byte-order mark: an ASCII first character with a NUL beside it, as `{` is in UTF-16.)
    (head.length >= 4 &&
      ((head[0]! > 0 && head[1] === 0 && head[3] === 0) || (head[0] === 0 && head[2] === 0 && head[1]! > 0)))
  if (utf16) return 'it is UTF-16 text (as Windows PowerShell writes with >), not UTF-8'
  // Binary when its first line holds a NUL byte: NUL padding a crashed writer left after good lines is lines to skip,
  // each said with its number, not a reason to refuse the file (review 83).
  const firstLine = head.indexOf(10)
  if (head.subarray(0, firstLine === -1 ? head.length : firstLine).includes(0))
    return 'it is a binary file (NUL bytes), not text'
  return undefined
}

/** Each line of `path` (UTF-8, without its `\n` or `\r\n`), with its 1-based number. */
export async function* fileLines(path: string, maxLine = MAX_LINE_BYTES): AsyncGenerator<{line: string; n: number}> {
  let regular: boolean
  try {
    regular = statSync(path).isFile()
  } catch (error) {
    throw new AcoError('bad-file', `Cannot read ${path}: ${describeFsError(error)}.`, 'Check the path.')
  }
  if (!regular)
    throw new AcoError(
      'bad-file',
      `Cannot read ${path}: it is not a regular file (a device, a FIFO or a folder).`,
      'Give the path of a file.',
    )
  const file = await open(path, 'r')
  try {
    const chunk = Buffer.allocUnsafe(CHUNK)
    let pending: Buffer[] = []
    let pendingBytes = 0
    let n = 0
    const text = (parts: Buffer[]): string => {
      let s = Buffer.concat(parts).toString('utf8')
      // (A UTF-8 byte-order mark an editor put before the first line is no part of it.)
      if (n === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1)
      return s.endsWith('\r') ? s.slice(0, -1) : s
    }
    for (;;) {
      const {bytesRead} = await file.read(chunk, 0, CHUNK, null)
      if (bytesRead === 0) break
      let from = 0
      for (let nl = chunk.indexOf(10, from); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(10, from)) {
        n++
        if (pendingBytes + nl - from > maxLine) tooLong(path, n, maxLine)
        const line = text([...pending, chunk.subarray(from, nl)])
        pending = []
        pendingBytes = 0
        from = nl + 1
        yield {line, n}
      }
      if (from < bytesRead) {
        pendingBytes += bytesRead - from
        if (pendingBytes > maxLine) tooLong(path, n + 1, maxLine)
        pending.push(Buffer.from(chunk.subarray(from, bytesRead)))
      }
    }
    if (pendingBytes) yield {line: text(pending), n: n + 1}
  } finally {
    await file.close()
  }
}

function tooLong(path: string, n: number, max: number): never {
  throw new AcoError(
    'bad-file',
    `${path}:${n} is a line of more than ${Math.round(max / (1024 * 1024))} MB without a line break: not a file of JSON lines.`,
    'Give a file of one JSON value a line.',
  )
}
