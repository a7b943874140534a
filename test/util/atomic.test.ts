import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {openLinesAtomic, writeFileAtomic} from '../../src/util/atomic.js'

const folder = (): string => mkdtempSync(join(tmpdir(), 'aco-atomic-'))

describe('atomic, durable writes', () => {
  it('write the whole file, replace the old one, and leave no temporary file', async () => {
    const dir = folder()
    const path = join(dir, 'sub', 'out.json')
    const big = 'x'.repeat(3 << 20)
    await writeFileAtomic(path, big)
    expect(readFileSync(path, 'utf8')).toBe(big)
    await writeFileAtomic(path, '{"v": 2}\n')
    expect(readFileSync(path, 'utf8')).toBe('{"v": 2}\n')
    expect(readdirSync(join(dir, 'sub'))).toEqual(['out.json'])
  })

  it('leave the old file whole and no temporary file when the write fails', async () => {
    const dir = folder()
    const path = join(dir, 'target')
    mkdirSync(path)
    writeFileSync(join(path, 'keep'), 'kept')
    await expect(writeFileAtomic(path, 'new')).rejects.toThrow()
    expect(readFileSync(join(path, 'keep'), 'utf8')).toBe('kept')
    expect(readdirSync(dir)).toEqual(['target'])
  })

  it('write lines with their offsets, show nothing before commit, and nothing after abort', () => {
    const dir = folder()
    const path = join(dir, 'cards.ndjson')
    const lines = openLinesAtomic(path)
    expect(lines.write('{"a":1}')).toEqual({offset: 0, bytes: 7})
    expect(lines.write('{"b":"é"}')).toEqual({offset: 8, bytes: 10})
    expect(existsSync(path)).toBe(false)
    lines.commit()
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":"é"}\n')
    expect(readdirSync(dir)).toEqual(['cards.ndjson'])

    const other = openLinesAtomic(join(dir, 'other.ndjson'))
    other.write('x')
    other.abort()
    expect(readdirSync(dir)).toEqual(['cards.ndjson'])
  })
})
