/**
 * Nothing lost by writing: an output path that names an input, a device or a
 * path inside the inputs is refused (the last one unless forced), a symbolic
 * link is written through to its target, and a lock file serialises writers.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {AcoError} from '../../src/errors.js'
import {writeFileAtomic} from '../../src/util/atomic.js'
import {withFileLock} from '../../src/util/lock.js'
import {guardOutputFile} from '../../src/util/output-paths.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aco-output-paths-'))
})

const refusal = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(AcoError)
    expect((error as AcoError).exit).toBe(2)
    return (error as AcoError).message
  }
  throw new Error('not refused')
}

describe('guardOutputFile', () => {
  it('refuses an input file, also through a link or a relative path, even when forced', () => {
    const trace = join(dir, 'session.jsonl')
    writeFileSync(trace, '{}\n')
    symlinkSync(trace, join(dir, 'link.md'))
    expect(refusal(() => guardOutputFile(trace, '--report', {inputs: [trace], force: true}))).toMatch(
      /one of the inputs/,
    )
    expect(refusal(() => guardOutputFile(join(dir, 'link.md'), '--report', {inputs: [trace]}))).toMatch(
      /one of the inputs/,
    )
    expect(
      refusal(() => guardOutputFile(join(dir, 'x', '..', 'session.jsonl'), '--report', {inputs: [trace]})),
    ).toMatch(/one of the inputs/)
  })

  it('refuses a device node, even when forced', () => {
    expect(refusal(() => guardOutputFile('/dev/null', '--decisions', {inputs: [], force: true}))).toMatch(
      /not a regular file/,
    )
  })

  it('refuses a path inside an input folder unless forced', () => {
    const traces = join(dir, 'traces')
    mkdirSync(join(traces, 'sub'), {recursive: true})
    const report = join(traces, 'sub', 'report.md')
    expect(refusal(() => guardOutputFile(report, '--report', {inputs: [traces]}))).toMatch(
      /inside .*which this run reads/,
    )
    expect(guardOutputFile(report, '--report', {inputs: [traces], force: true})).toBe(report)
    // A file the person did not name (`aco review .` in a trace folder): the refusal says it is the flag's default.
    expect(
      refusal(() =>
        guardOutputFile(join(traces, 'aco-decisions.json'), '--decisions', {inputs: [traces], defaulted: true}),
      ),
    ).toMatch(/^Refusing to write --decisions .*aco-decisions\.json \(the default of --decisions\): it is inside /)
    // a sibling whose name starts like the folder's is not inside it
    expect(guardOutputFile(join(dir, 'traces-report.md'), '--report', {inputs: [traces]})).toBe(
      join(dir, 'traces-report.md'),
    )
  })

  it("returns a link's final target, existing or not", () => {
    const target = join(dir, 'real.md')
    symlinkSync(target, join(dir, 'a.md'))
    symlinkSync(join(dir, 'a.md'), join(dir, 'b.md'))
    expect(guardOutputFile(join(dir, 'b.md'), '--report', {inputs: []})).toBe(target)
  })
})

describe('writeFileAtomic through a symbolic link', () => {
  it('updates the target and keeps the link', async () => {
    const target = join(dir, 'decisions.json')
    writeFileSync(target, 'old')
    const link = join(dir, 'link.json')
    symlinkSync(target, link)
    await writeFileAtomic(link, 'new')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('new')
  })
})

describe('withFileLock', () => {
  it('runs one holder at a time and removes the lock after, also when the holder throws', async () => {
    const file = join(dir, 'd.json')
    let inside = 0
    let most = 0
    await Promise.all(
      Array.from({length: 20}, async () =>
        withFileLock(file, async () => {
          inside++
          most = Math.max(most, inside)
          await new Promise(r => setTimeout(r, 1))
          inside--
        }),
      ),
    )
    expect(most).toBe(1)
    await expect(withFileLock(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('breaks a lock left by a process that is gone, and one older than the stale limit', async () => {
    const file = join(dir, 'd.json')
    // pid 2^22+1 is above Linux's pid_max default: no such process
    writeFileSync(`${file}.lock`, `4194305 ${(await import('node:os')).hostname()} 0\n`)
    expect(await withFileLock(file, () => 'ran', {timeoutMs: 2000})).toBe('ran')
    writeFileSync(`${file}.lock`, `${process.pid} another-host 0\n`)
    expect(await withFileLock(file, () => 'ran', {timeoutMs: 5000, staleMs: 0})).toBe('ran')
  })

  it('breaks a lock left empty (a crash between creating and writing it, or made by hand) within seconds', async () => {
    const file = join(dir, 'empty-lock.json')
    writeFileSync(`${file}.lock`, '')
    // (Just made: its writer may be writing it still.)
    await expect(withFileLock(file, () => 'ran', {timeoutMs: 100})).rejects.toThrow(/locked by another aco process/)
    const old = new Date(Date.now() - 5_000)
    utimesSync(`${file}.lock`, old, old)
    const started = Date.now()
    expect(await withFileLock(file, () => 'ran', {timeoutMs: 10_000})).toBe('ran')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('gives up with a usage error naming the lock when it is held too long', async () => {
    const file = join(dir, 'd.json')
    writeFileSync(`${file}.lock`, `${process.pid} ${(await import('node:os')).hostname()} 0\n`)
    await expect(withFileLock(file, () => 'ran', {timeoutMs: 50})).rejects.toThrow(/locked by another aco process/)
  })
})
