import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {forEachLine, openTraceFile, WHOLE_FILE_LIMIT} from '../../src/discover/read.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-read-'))

function lines(path: string): Array<[string, number, boolean]> {
  const out: Array<[string, number, boolean]> = []
  forEachLine(openTraceFile(path), (text, line, terminated) => out.push([text, line, terminated]))
  return out
}

describe('reading trace files', () => {
  it('reads a large file in chunks without splitting lines or multi-byte characters', () => {
    const path = join(dir, 'large.jsonl')
    // lines of varying length with 2-, 3- and 4-byte characters, CRLF endings, past the whole-file limit
    const parts: string[] = []
    let size = 0
    for (let i = 0; size < WHOLE_FILE_LIMIT + 3_000_000; i++) {
      const line = `{"i":${i},"t":"${'é→𝄞'.repeat(i % 97)}${'x'.repeat(i % 5000)}"}`
      parts.push(line)
      size += Buffer.byteLength(line) + 2
    }
    writeFileSync(path, `\uFEFF${parts.join('\r\n')}\r\n{"cut":`)
    const file = openTraceFile(path)
    expect(file.bytes).toBeUndefined()
    expect(file.complete).toBe(false)
    expect(file.head.startsWith('{"i":0')).toBe(true)
    const got = lines(path)
    expect(got).toHaveLength(parts.length + 1)
    for (const i of [0, 1, 96, 4999, parts.length - 1]) expect(got[i]).toEqual([parts[i], i + 1, true])
    expect(got[got.length - 1]).toEqual(['{"cut":', parts.length + 1, false])
  })

  it('ends each line of a large file where its bytes end, lines across chunk ends and longer than a chunk alike', () => {
    const path = join(dir, 'large-offsets.jsonl')
    const parts: string[] = []
    let size = 0
    for (let i = 0; size < WHOLE_FILE_LIMIT + 9_000_000; i++) {
      // Mostly short lines, some longer than the 4 MB chunk (the reader keeps those apart and joins them).
      const long = i % 1500 === 700 ? 'L'.repeat(5_000_000) : ''
      const line = `{"i":${i},"t":"${'é'.repeat(i % 13)}${'x'.repeat((i * 7919) % 20_000)}${long}"}`
      parts.push(line)
      size += Buffer.byteLength(line) + 1
    }
    writeFileSync(path, `${parts.join('\n')}\n`)
    const got: Array<[string, number]> = []
    forEachLine(openTraceFile(path), (text, _line, _terminated, end) => got.push([text, end]))
    let end = 0
    const want = parts.map(p => {
      end += Buffer.byteLength(p) + 1
      return [p, end] as [string, number]
    })
    expect(got.length).toBe(want.length)
    for (let i = 0; i < want.length; i++)
      if (got[i]![0] !== want[i]![0] || got[i]![1] !== want[i]![1]) expect(got[i]).toEqual(want[i])
  })

  it('passes over a line longer than the limit and goes on with the next', () => {
    const path = join(dir, 'long-line.jsonl')
    const huge = `{"x":"${'y'.repeat(9 * 1024 * 1024)}"}`
    writeFileSync(path, `${['{"a":1}', huge, '{"b":2}', 'z'.repeat(WHOLE_FILE_LIMIT)].join('\n')}\n{"c":3}\n`)
    const seen: Array<[number, number]> = []
    const tooLong: number[] = []
    forEachLine(
      openTraceFile(path),
      (text, line) => seen.push([line, text.length]),
      line => tooLong.push(line),
      1024 * 1024,
    )
    expect(tooLong).toEqual([2, 4])
    expect(seen).toEqual([
      [1, 7],
      [3, 7],
      [5, 7],
    ])
  })

  it('passes over a line that goes past the limit in the chunk that ends it', () => {
    // Read in 4 MiB chunks: the line's first chunk has no line end, the next ends the line 2 MiB in, past the 5 MiB
    // limit (it had been read whole: only chunks with no line end were measured).
    const path = join(dir, 'long-line-edge.jsonl')
    const long = 'y'.repeat(6 * 1024 * 1024)
    writeFileSync(path, `{"a":1}\n${long}\n{"b":2}\n${'z'.repeat(100)}\n`.repeat(3))
    expect(openTraceFile(path).bytes).toBeUndefined()
    const seen: number[] = []
    const tooLong: number[] = []
    forEachLine(
      openTraceFile(path),
      (_text, line) => seen.push(line),
      line => tooLong.push(line),
      5 * 1024 * 1024,
    )
    expect(tooLong).toEqual([2, 6, 10])
    expect(seen).toEqual([1, 3, 4, 5, 7, 8, 9, 11, 12])
  })

  it('passes over such a line in a UTF-16 file too (decoded as it is read)', () => {
    // A byte-order mark makes it UTF-16; past the whole-file limit it is decoded chunk by chunk (review 33).
    const path = join(dir, 'long-line-utf16.jsonl')
    const long = 'y'.repeat(5.5 * 1024 * 1024)
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`{"a":1}\n${long}\n{"b":2}\n`.repeat(2), 'utf16le')]),
    )
    const file = openTraceFile(path)
    expect(file.encoding).not.toBe('utf8')
    expect(file.bytes).toBeUndefined()
    const seen: number[] = []
    const tooLong: number[] = []
    forEachLine(
      file,
      (_text, line) => seen.push(line),
      line => tooLong.push(line),
      5 * 1024 * 1024,
    )
    expect(tooLong).toEqual([2, 5])
    expect(seen).toEqual([1, 3, 4, 6])
  })

  it('reads a small file whole, with the same lines', () => {
    const path = join(dir, 'small.jsonl')
    writeFileSync(path, 'a\r\nb\n\nc')
    expect(openTraceFile(path).bytes?.toString()).toBe('a\r\nb\n\nc')
    expect(lines(path)).toEqual([
      ['a', 1, true],
      ['b', 2, true],
      ['', 3, true],
      ['c', 4, false],
    ])
  })

  it('recognises binary files', () => {
    const path = join(dir, 'image.png')
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]))
    expect(openTraceFile(path).binary).toBe(true)
  })

  it('reads JSON lines with NUL bytes in their head (a crash, padding), and keeps UTF-16 without a mark binary', () => {
    const record = (i: number): string => JSON.stringify({type: 'user', i, text: 'x'.repeat(100)})
    const head = Array.from({length: 3}, (_, i) => record(i)).join('\n')
    const tail = Array.from({length: 40}, (_, i) => record(i + 3)).join('\n')
    // Three stray NULs, and a 4 KB block of them, both before the 8 KB the check looks at ends.
    for (const [name, nuls] of [
      ['three.jsonl', 3],
      ['block.jsonl', 4096],
    ] as const) {
      const path = join(dir, name)
      writeFileSync(path, Buffer.concat([Buffer.from(`${head}\n`), Buffer.alloc(nuls), Buffer.from(`${tail}\n`)]))
      expect(openTraceFile(path).binary, name).toBe(false)
      const read: string[] = []
      forEachLine(openTraceFile(path), text => read.push(text))
      // Every record but the one the NULs ran into is read as it was.
      expect(read.filter(t => t.startsWith('{')).length, name).toBe(42)
    }
    const utf16 = join(dir, 'utf16.jsonl')
    writeFileSync(utf16, Buffer.from(`${head}\n`, 'utf16le'))
    expect(openTraceFile(utf16).binary).toBe(true)
  })
})

describe('reading on from where a read stopped', () => {
  /** Every line with its end offset, then the lines again read from each line's end: the rest of the file. */
  function checkOffsets(path: string, content: Buffer): void {
    const all: Array<[string, number, boolean, number]> = []
    forEachLine(openTraceFile(path), (text, line, terminated, end) => all.push([text, line, terminated, end]))
    for (const [text, , terminated, end] of all) {
      // the line's own bytes end where a newline (or the file) ends
      if (terminated) expect(content[end - 1]).toBe(10)
      else expect(end).toBe(content.length)
      if (content.length < 1000) expect(content.subarray(0, end).toString('utf8')).toContain(text)
    }
    for (const k of [0, 1, Math.floor(all.length / 2), all.length - 2]) {
      const [, line, , offset] = all[k]!
      const rest: Array<[string, number, boolean, number]> = []
      forEachLine(
        openTraceFile(path),
        (text, n, terminated, end) => rest.push([text, n, terminated, end]),
        undefined,
        undefined,
        {offset, line},
      )
      expect(rest).toEqual(all.slice(k + 1))
    }
  }

  it('gives each line the offset past it, whole-file and in chunks, with a BOM and CRLF', () => {
    const small = join(dir, 'offsets-small.jsonl')
    const smallContent = Buffer.from('\uFEFF{"a":"é"}\r\n\n{"b":"𝄞"}\n{"c":1}\n{"cut":')
    writeFileSync(small, smallContent)
    checkOffsets(small, smallContent)
    const large = join(dir, 'offsets-large.jsonl')
    const parts: string[] = []
    for (let size = 0, i = 0; size < WHOLE_FILE_LIMIT + 5_000_000; i++) {
      const line = `{"i":${i},"t":"${'é→'.repeat(i % 31)}${'x'.repeat((i * 7919) % 90_000)}"}`
      parts.push(line)
      size += Buffer.byteLength(line) + 1
    }
    const largeContent = Buffer.from(`\uFEFF${parts.join('\n')}\n{"tail":`)
    writeFileSync(large, largeContent)
    expect(openTraceFile(large).bytes).toBeUndefined()
    checkOffsets(large, largeContent)
  })
})
