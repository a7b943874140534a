/**
 * Ctrl-C leaves no temp file (issue #12): `aco analyze --out` killed mid-write left `.cards.ndjson.*.tmp`
 * (38 MB on a large corpus). The built CLI is started on a folder big enough to be caught writing, sent SIGINT
 * (then, on a second run, SIGTERM) once its temp files exist, and must exit 130 (143) leaving no temp file and
 * no half-written cards.
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {root} from '../helpers.js'
import {claudeSession} from '../support/traces.js'

let traces: string

beforeAll(() => {
  traces = mkdtempSync(join(tmpdir(), 'aco-e2e-interrupt-'))
  for (let f = 0; f < 400; f++) {
    const lines = claudeSession({
      session: `sess-${f}`,
      prompt: `task ${f}`,
      calls: Array.from({length: 40}, (_, i) => ({
        tools: [{name: 'Bash', input: {command: `ls dir${i}`}, output: `file${i}.txt\n`.repeat(20)}],
      })),
    })
    writeFileSync(join(traces, `s-${f}.jsonl`), `${lines.join('\n')}\n`)
  }
})

/**
 * Runs analyze --out (with `args` more), sends `signal` once a temp file shows in the out folder; resolves with how
 * it ended.
 */
function interrupted(
  signal: 'SIGINT' | 'SIGTERM',
  premade = true,
  args: readonly string[] = [],
): Promise<{code: number | null; out: string; caught: boolean}> {
  // (Not premade: a folder aco makes, two levels deep.)
  const out = join(mkdtempSync(join(tmpdir(), 'aco-e2e-interrupt-out-')), premade ? 'cards' : 'runs/cards')
  if (premade) mkdirSync(out)
  return run(
    signal,
    out,
    ['--out', out, ...args],
    () => existsSync(out) && readdirSync(out).some(n => n.endsWith('.tmp')),
  )
}

/** Runs analyze with `args`, sends `signal` once `ready()`; resolves with how it ended. */
function run(
  signal: 'SIGINT' | 'SIGTERM',
  out: string,
  args: readonly string[],
  ready: () => boolean,
): Promise<{code: number | null; out: string; caught: boolean}> {
  const child = spawn(process.execPath, [`${root}bin/run.js`, 'analyze', traces, '--no-cache', ...args], {
    env: {...process.env, NO_COLOR: '1'},
    stdio: 'ignore',
  })
  let caught = false
  const poll = setInterval(() => {
    if (!caught && ready()) {
      caught = true
      child.kill(signal)
    }
  }, 5)
  return new Promise(resolve =>
    child.on('close', code => {
      clearInterval(poll)
      resolve({code, out, caught})
    }),
  )
}

describe('an interrupted aco analyze --out', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} while the cards are written: exit ${code}, no temp file, no cards`, async () => {
      const run = await interrupted(signal)
      expect(run.caught, 'the run ended before its temp files could be seen').toBe(true)
      expect(run.code).toBe(code)
      expect(readdirSync(run.out)).toEqual([])
      expect(existsSync(join(run.out, 'cards.ndjson'))).toBe(false)
    })
  }

  // (One thread reads every file on the main thread, where nothing awaited let the signal in: the run went on to its end,
  // exit 0, and replaced the cards (trial 84).)
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} with one thread: heard before the run's end, exit ${code}, no temp file, no cards`, async () => {
      const run = await interrupted(signal, true, ['--threads', '1'])
      expect(run.caught, 'the run ended before its temp files could be seen').toBe(true)
      expect(run.code).toBe(code)
      expect(readdirSync(run.out)).toEqual([])
    })
  }

  it('--report interrupted: exit 130, and neither the folder it made nor a charts folder left', async () => {
    const made = join(mkdtempSync(join(tmpdir(), 'aco-e2e-interrupt-report-')), 'reports')
    const ended = await run('SIGINT', made, ['--report', join(made, 'r.md'), '--threads', '1'], () => existsSync(made))
    expect(ended.caught, 'the run ended before its report folder was made').toBe(true)
    expect(ended.code).toBe(130)
    expect(existsSync(made)).toBe(false)
  })

  it('leaves no empty folder it made for --out (the folders it made are removed; one given that existed stays)', async () => {
    const run = await interrupted('SIGINT', false)
    expect(run.caught, 'the run ended before its temp files could be seen').toBe(true)
    expect(run.code).toBe(130)
    expect(existsSync(run.out)).toBe(false)
    expect(existsSync(join(run.out, '..'))).toBe(false)
    expect(existsSync(join(run.out, '..', '..'))).toBe(true)
  })
})

describe("an interrupted run's cache entries", () => {
  it("a signal removes the entries this process's threads were writing, not another process's; a stale one goes at the next trim", () => {
    // (Trial 120: each Ctrl-C left a few `*.tmp` entries, in worker threads' names too, and later runs kept them.) A
    // child process of the built code, entries under its own id (a worker thread's among them) and another's, stopped
    // by SIGINT as a run would be.
    const dir = mkdtempSync(join(tmpdir(), 'aco-e2e-interrupt-cache-'))
    const script = `
      const {mkdirSync, writeFileSync} = require('node:fs')
      const {join} = require('node:path')
      import(${JSON.stringify(`${root}dist/analyze/cache.js`)}).then(({removeTempEntriesOnSignal}) => {
        const dir = ${JSON.stringify(dir)}
        for (const [kind, shard, name] of [
          ['units', 'ab', 'ab12.bin.' + process.pid + '.0.3.tmp'],
          ['units', 'cd', 'cd34.bin.' + process.pid + '.1.0.tmp'],
          ['states', 'ef', 'ef56.bin.' + process.pid + '.0.4.tmp'],
          ['units', 'ab', 'ab78.bin.4000000.0.1.tmp'],
          // (Another process's, whose thread or counter is this one's id: review 122.)
          ['units', 'ab', 'ab79.bin.4000001.' + process.pid + '.2.tmp'],
          ['units', 'ab', 'ab80.bin.4000002.1.' + process.pid + '.tmp'],
          ['units', 'ab', 'ab90.bin'],
        ]) {
          mkdirSync(join(dir, kind, shard), {recursive: true})
          writeFileSync(join(dir, kind, shard, name), 'x')
        }
        removeTempEntriesOnSignal(dir)
        process.kill(process.pid, 'SIGINT')
        setTimeout(() => {}, 5000)
      })`
    const child = spawnSync(process.execPath, ['-e', script], {encoding: 'utf8'})
    expect(child.status, child.stderr).toBe(130)
    const left = (kind: string, shard: string): string[] =>
      existsSync(join(dir, kind, shard)) ? readdirSync(join(dir, kind, shard)).sort() : []
    expect(left('units', 'ab').filter(n => !n.startsWith('ab79') && !n.startsWith('ab80'))).toEqual([
      'ab78.bin.4000000.0.1.tmp',
      'ab90.bin',
    ])
    expect(left('units', 'ab').filter(n => n.startsWith('ab79') || n.startsWith('ab80'))).toHaveLength(2)
    expect(left('units', 'cd')).toEqual([])
    expect(left('states', 'ef')).toEqual([])
    // The next trim removes an entry whose writer has ended (its process gone: a run killed outright, or a worker that
    // began one as the signal's cleanup ran, which a run here left behind), or an hour old; not a live process's young
    // one (this test's own, written now).
    const old = new Date(Date.now() - 2 * 3_600_000)
    writeFileSync(join(dir, 'units', 'ab', `ab81.bin.${process.pid}.0.1.tmp`), 'x')
    writeFileSync(join(dir, 'units', 'ab', `ab82.bin.${process.pid}.0.2.tmp`), 'x')
    utimesSync(join(dir, 'units', 'ab', `ab82.bin.${process.pid}.0.2.tmp`), old, old)
    const trim = spawnSync(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(`${root}dist/analyze/cache.js`)}).then(m => m.trimCache(${JSON.stringify(dir)}, 1e12))`,
      ],
      {encoding: 'utf8'},
    )
    expect(trim.status, trim.stderr).toBe(0)
    expect(left('units', 'ab')).toEqual([`ab81.bin.${process.pid}.0.1.tmp`, 'ab90.bin'])
  })
})
