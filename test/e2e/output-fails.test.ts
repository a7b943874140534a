/**
 * Outputs that fail while they are written (trial 107): a standard output that takes nothing (`> /dev/full`), cards or
 * a report on a disk that fills. One line says which output and why, the exit is 2, no stack trace; the run's result is
 * still shown, and what the folder held before is kept whole.
 */
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {fixture, root} from '../helpers.js'
import {acoAsync as aco, settled} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-fails-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const env = {...process.env, NO_COLOR: '1', TZ: 'UTC', COLUMNS: '120', XDG_CACHE_HOME: join(dir, 'cache')}

/** The built CLI with its standard output on `fd`. */
function acoTo(fd: number, args: string[]): Promise<{status: number | null; stderr: string}> {
  return settled(spawn(process.execPath, [`${root}bin/run.js`, ...args], {env, stdio: ['ignore', fd, 'pipe']}))
}

/**
 * The built CLI where no file may grow past `kb` KB (`ulimit -f`; the signal such a write sends ignored, so the write
 * fails with EFBIG as on a full disk), its standard output a pipe.
 */
function acoLimited(kb: number, args: string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
  // (An argument `>FILE` is the shell's redirection of standard output to FILE, under the same limit.)
  const quoted = args
    .map(a => `${a.startsWith('>') ? '>' : ''}'${a.replace(/^>/, '').replace(/'/g, `'\\''`)}'`)
    .join(' ')
  return settled(
    spawn('sh', ['-c', `trap '' XFSZ; ulimit -f ${kb * 2}; exec '${process.execPath}' '${root}bin/run.js' ${quoted}`], {
      env: {...env, ACO_COMPILE_CACHE: '0'},
    }),
  )
}

const traces = [fixture('claude-code'), fixture('codex')]

describe('an output that fails while written (built CLI)', () => {
  it.skipIf(!existsSync('/dev/full'))(
    'a standard output that takes nothing: one line, exit 2, no stack trace',
    async () => {
      const full = openSync('/dev/full', 'w')
      try {
        for (const args of [['analyze', ...traces], ['analyze', ...traces, '--json'], ['formats']]) {
          const r = await acoTo(full, args)
          expect(r.status).toBe(2)
          expect(r.stderr.trim()).toMatch(/^Error: cannot write to standard output: no space left on the device$/)
          expect(r.stderr.trim().split('\n')).toHaveLength(1)
        }
      } finally {
        closeSync(full)
      }
    },
  )

  it('a standard output on a file the disk takes only part of: one line, exit 2, never a cut result with exit 0 (review 109)', async () => {
    const file = join(dir, 'out.json')
    for (const args of [
      ['analyze', ...traces, '--json', '--no-cache'],
      ['analyze', ...traces, '--no-cache'],
    ]) {
      const r = await acoLimited(2, [...args, `>${file}`])
      expect(r.status, r.stderr).toBe(2)
      expect(r.stderr.trim()).toBe(
        'Error: cannot write to standard output: the file grew past the largest size the system allows',
      )
    }
  })

  it('cards that cannot be written: the result still shown, the folder as it was, exit 2 (also with --json)', async () => {
    const out = join(dir, 'cards')
    expect((await aco(['analyze', ...traces, '--out', out, '--no-cache'], env as Record<string, string>)).status).toBe(
      0,
    )
    const before = Object.fromEntries(readdirSync(out).map(f => [f, readFileSync(join(out, f), 'utf8')]))
    const r = await acoLimited(4, ['analyze', ...traces, '--out', out, '--no-cache'])
    expect(r.status).toBe(2)
    expect(r.stdout).toMatch(/^aco analyze · \d+ traces/)
    expect(r.stderr).toContain(
      `Error: Cannot write --out ${out}: the file grew past the largest size the system allows; the folder keeps what it held.`,
    )
    expect(r.stderr).not.toMatch(/wrote \d+ cards?/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(Object.fromEntries(readdirSync(out).map(f => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(before)
    // A folder the run made for them is not left behind, empty.
    const fresh = join(dir, 'fresh')
    const json = await acoLimited(4, ['analyze', ...traces, '--out', fresh, '--no-cache', '--json'])
    expect(json.status).toBe(2)
    const result = JSON.parse(json.stdout)
    expect(result.totals.llmCalls).toBeGreaterThan(0)
    expect(result.written).toBeUndefined()
    expect(result.notWritten).toEqual([
      {output: '--out', path: fresh, reason: expect.stringContaining('the file grew past the largest size')},
    ])
    expect(existsSync(fresh)).toBe(false)
  })

  it('a report that cannot be written: the result still shown, none of its charts left, exit 2', async () => {
    const report = join(dir, 'report', 'r.md')
    const r = await acoLimited(2, ['analyze', ...traces, '--report', report, '--no-cache'])
    expect(r.status).toBe(2)
    expect(r.stdout).toMatch(/^aco analyze · \d+ traces/)
    expect(r.stderr).toMatch(/Error: Cannot write --report .*r\.md: .*the file grew past the largest size/)
    expect(existsSync(join(dir, 'report'))).toBe(false)
  })
})
