/**
 * File reading for the adapters: a file's head for sniffing, its lines one
 * at a time (streaming, bounded memory), or the whole text for JSON documents.
 */
import {open} from 'node:fs/promises'
import {StringDecoder} from 'node:string_decoder'

const CHUNK = 1 << 20

export interface FileHead {
  text: string
  binary: boolean
  /** True when `text` is the whole file. */
  complete: boolean
}

/** Reads the first `bytes` of a file and says whether it looks binary. */
export async function readHead(path: string, bytes = 64 * 1024): Promise<FileHead> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    const {bytesRead} = await fh.read(buf, 0, bytes, 0)
    const slice = buf.subarray(0, bytesRead)
    const binary = looksBinary(slice)
    // Cut at the last complete UTF-8 character.
    const decoder = new StringDecoder('utf8')
    const text = decoder.write(slice)
    return {text: stripBom(text), binary, complete: bytesRead < bytes}
  } finally {
    await fh.close()
  }
}

/** NUL bytes or a high share of control characters mean binary. */
export function looksBinary(buf: Uint8Array): boolean {
  if (buf.length === 0) return false
  let control = 0
  const n = Math.min(buf.length, 8192)
  for (let i = 0; i < n; i++) {
    const b = buf[i]!
    if (b === 0) return true
    if (b < 9 || (b > 13 && b < 32)) control++
  }
  return control / n > 0.1
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * Calls `onLine` for every line of a file (1-based numbers, `\r\n` handled;
 * `terminated` is false for a last line without a newline),
 * reading in chunks so memory stays bounded by the longest line.
 */
export async function forEachLine(
  path: string,
  onLine: (text: string, line: number, terminated: boolean) => void,
): Promise<void> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(CHUNK)
    const decoder = new StringDecoder('utf8')
    let carry = ''
    let lineNo = 0
    let first = true
    for (;;) {
      const {bytesRead} = await fh.read(buf, 0, CHUNK, null)
      if (bytesRead === 0) break
      let text = decoder.write(buf.subarray(0, bytesRead))
      if (first) {
        text = stripBom(text)
        first = false
      }
      if (carry) text = carry + text
      let start = 0
      let nl = text.indexOf('\n', start)
      while (nl !== -1) {
        lineNo++
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl
        onLine(text.slice(start, end), lineNo, true)
        start = nl + 1
        nl = text.indexOf('\n', start)
      }
      carry = start < text.length ? text.slice(start) : ''
    }
    carry += decoder.end()
    if (carry.length > 0) onLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry, lineNo + 1, false)
  } finally {
    await fh.close()
  }
}

/** Reads a whole file as UTF-8 text (for JSON documents, which are one trace each). */
export async function readText(path: string): Promise<string> {
  const fh = await open(path, 'r')
  try {
    return stripBom(await fh.readFile('utf8'))
  } finally {
    await fh.close()
  }
}
