/** Lines of a file read whole (cards, outcome tables): CRLF, a last line without a break, a line too long, no device. */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {fileLines} from '../../src/util/lines.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-lines-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

async function all(path: string, max?: number): Promise<Array<{line: string; n: number}>> {
  const out: Array<{line: string; n: number}> = []
  for await (const l of fileLines(path, max)) out.push(l)
  return out
}

describe('fileLines', () => {
  it('gives each line with its number, without \\n or \\r\\n, the last one without a break too', async () => {
    const path = join(dir, 'a.jsonl')
    writeFileSync(path, '{"a":1}\r\n\n{"b":"é"}\n{"c":3}')
    expect(await all(path)).toEqual([
      {line: '{"a":1}', n: 1},
      {line: '', n: 2},
      {line: '{"b":"é"}', n: 3},
      {line: '{"c":3}', n: 4},
    ])
  })

  it('drops a UTF-8 byte-order mark opening the file (the first line is read as written)', async () => {
    const path = join(dir, 'bom.jsonl')
    writeFileSync(path, '\ufeff{"a":1}\n{"b":2}\n')
    expect((await all(path)).map(l => l.line)).toEqual(['{"a":1}', '{"b":2}'])
  })

  it('reads lines across chunk boundaries', async () => {
    const path = join(dir, 'big.jsonl')
    const lines = Array.from({length: 3000}, (_, i) => `{"i":${i},"pad":"${'x'.repeat(i % 997)}"}`)
    writeFileSync(path, `${lines.join('\n')}\n`)
    expect((await all(path)).map(l => l.line)).toEqual(lines)
  })

  it('refuses a line longer than the limit with the file and line, and a file that is not regular', async () => {
    const path = join(dir, 'long.jsonl')
    writeFileSync(path, `{"ok":1}\n${'a'.repeat(5000)}`)
    await expect(all(path, 4096)).rejects.toThrow(/long\.jsonl:2 is a line of more than .* without a line break/)
    await expect(all(dir)).rejects.toThrow(/not a regular file/)
    await expect(all('/dev/zero')).rejects.toThrow(/not a regular file/)
  })
})
