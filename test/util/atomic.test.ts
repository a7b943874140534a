import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {openLinesAtomic, removeAbandonedTemps, writeFileAtomic} from '../../src/util/atomic.js'

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

  it('keep the permissions of a file written over (a decisions file made private stays private: trial 88)', async () => {
    const dir = folder()
    const path = join(dir, 'decisions.json')
    writeFileSync(path, '{}\n')
    chmodSync(path, 0o600)
    await writeFileAtomic(path, '{"v": 2}\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const cards = join(dir, 'cards.ndjson')
    writeFileSync(cards, '')
    chmodSync(cards, 0o640)
    const lines = openLinesAtomic(cards)
    lines.write('{}')
    lines.commit()
    expect(statSync(cards).mode & 0o777).toBe(0o640)
    // (A mode asked for still wins: aco patch --write keeps a config's own.)
    await writeFileAtomic(path, '{"v": 3}\n', {mode: 0o644})
    expect(statSync(path).mode & 0o777).toBe(0o644)
  })

  it("keep no setuid, setgid or sticky bit, and let no one else write another user's file written over (review 91)", async () => {
    const dir = folder()
    const path = join(dir, 'decisions.json')
    writeFileSync(path, '{}\n')
    chmodSync(path, 0o6777)
    await writeFileAtomic(path, '{"v": 2}\n')
    expect(statSync(path).mode & 0o7777).toBe(0o777)
    // Another user's file (made so where the test may: as root), world-writable: written over, it is not any more.
    if (process.getuid?.() === 0) {
      chownSync(path, 65534, 65534)
      chmodSync(path, 0o666)
      await writeFileAtomic(path, '{"v": 3}\n')
      expect(statSync(path).mode & 0o7777).toBe(0o644)
    }
  })

  it("keep another user's file theirs, mode and all, when asked (aco patch --write: trial 99)", async () => {
    if (process.getuid?.() !== 0) return void console.log('skipped: only root can make a file of another user here')
    const path = join(folder(), 'config.yaml')
    writeFileSync(path, 'model: a\n')
    chownSync(path, 65534, 65534)
    chmodSync(path, 0o640)
    await writeFileAtomic(path, 'model: b\n', {keepOwner: true})
    const kept = statSync(path)
    expect([kept.uid, kept.gid, kept.mode & 0o7777]).toEqual([65534, 65534, 0o640])
    expect(readFileSync(path, 'utf8')).toBe('model: b\n')
    // Without it, the file written over is the user's (and lets no one else write it).
    await writeFileAtomic(path, 'model: c\n')
    expect(statSync(path).uid).toBe(0)
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

describe("what a killed run's writes left (trial 127: a nightly job killed each night piled up copies of its cards)", () => {
  it('a later run removes the temporary files of the names it writes that nothing wrote to for an hour', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-abandoned-'))
    // By time alone: a writer that runs here may be another container's pid 1, and one gone from here may run in
    // another container (review 128).
    const names = [
      '.cards.ndjson.4194305.1796685177801.tmp',
      '.cards.index.ndjson.4194305.1796685177802.tmp',
      '.cards.parquet.1.tmp',
      `.cards.ndjson.${process.ppid}.1796685177801.tmp`,
      `.cards.ndjson.${process.pid}.1796685177801.tmp`,
      '.notes.md.4194305.1796685177801.tmp',
      '.cards.ndjson.4194305.1796685177803.tmp.fresh',
    ]
    const old = Date.now() / 1000 - 3700
    for (const name of names) {
      writeFileSync(join(dir, name), 'x')
      utimesSync(join(dir, name), old, old)
    }
    // Written to a little while ago, whoever wrote it: a live run, here or in another container sharing the folder.
    const recent = '.cards.ndjson.4194305.1796685177999.tmp'
    writeFileSync(join(dir, recent), 'x')
    const minutes = Date.now() / 1000 - 50 * 60
    utimesSync(join(dir, recent), minutes, minutes)
    removeAbandonedTemps(dir, ['cards.ndjson', 'cards.index.ndjson', 'cards.parquet'])
    expect(readdirSync(dir).sort()).toEqual(
      [
        `.cards.ndjson.${process.pid}.1796685177801.tmp`,
        '.notes.md.4194305.1796685177801.tmp',
        '.cards.ndjson.4194305.1796685177803.tmp.fresh',
        recent,
      ].sort(),
    )
  })
})
