/**
 * aco review end to end: the built binary in a real terminal (a detached
 * tmux session on a private server, 100×30), driven with send-keys and read
 * with capture-pane. Opens a trace, goes to a flagged step, accepts it,
 * labels two steps, undoes one, survives a resize to 80×24, quits, checks
 * the decisions file; reopens and lands where it left off; checks colour
 * is off under NO_COLOR and on without it.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import type {DecisionsFile} from '../../src/review/decisions.js'
import {aco, oneLine} from '../e2e/run.js'
import {fixture, root} from '../helpers.js'
import {cleanTmp, tmp} from './fixtures.js'
import {COLOUR_SGR} from './ink.js'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const socket = `aco-review-test-${process.pid}`
const tmux = (...args: string[]): string => {
  const r = spawnSync('tmux', ['-f', '/dev/null', '-L', socket, ...args], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

interface Session {
  name: string
  exitFile: string
  /** What aco wrote to stderr (the pane shows only the app). */
  errFile: string
}

let sessions = 0
/** Starts `aco review ARGS` in a new detached session of the given size. */
function start(
  args: string[],
  size: {x: number; y: number},
  env: Record<string, string> = {},
  /** The shell around aco outlives the terminal (`trap '' HUP`), to tell how aco ended when the terminal went away. */
  outliveHangUp = false,
): Session {
  const name = `s${++sessions}`
  const exitFile = join(work, `${name}.exit`)
  const errFile = join(work, `${name}.err`)
  // (Analysed traces go through the per-file cache: this file's own, not the user's.)
  const vars = Object.entries({TZ: 'UTC', XDG_CACHE_HOME: join(work, 'cache'), ...env})
    .map(([k, v]) => `${k}=${q(v)}`)
    .join(' ')
  const command = `${outliveHangUp ? "trap '' HUP; " : ''}cd ${q(root)} && env -u CI -u CONTINUOUS_INTEGRATION ${vars} ${q(process.execPath)} bin/run.js review ${args.map(q).join(' ')} 2> ${q(errFile)}; echo $? > ${q(exitFile)}`
  tmux('new-session', '-d', '-s', name, '-x', String(size.x), '-y', String(size.y), command)
  return {name, exitFile, errFile}
}

const screen = (s: Session, escapes = false): string =>
  tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', s.name)

/**
 * Polls the pane until `pattern` shows in a settled frame: the same on two captures 50 ms apart (on a busy machine a
 * capture can land while a frame is being drawn, its title there and its last lines not yet). Fails when the timeout
 * passes, with what the pane shows.
 */
async function waitFor(s: Session, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs
  let last = ''
  let matched: string | undefined
  while (Date.now() < until) {
    if (existsSync(s.exitFile)) break
    last = screen(s)
    if (matched !== undefined && last === matched) return last
    matched = pattern.test(last) ? last : undefined
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(
    `timed out waiting for ${pattern}; the pane shows:\n${last}${existsSync(s.exitFile) ? `\n(aco exited with ${readFileSync(s.exitFile, 'utf8').trim()})` : ''}`,
  )
}

const keys = (s: Session, ...k: string[]): void => void tmux('send-keys', '-t', s.name, ...k)
const type = (s: Session, text: string): void => void tmux('send-keys', '-t', s.name, '-l', text)

/** From the list, opens "Make the test pass" (by a search) and goes to its first flag. */
async function toTheLoopsFirstFlag(s: Session): Promise<void> {
  keys(s, '/')
  type(s, 'loop')
  keys(s, 'Enter')
  await waitFor(s, /filter: \/loop/)
  keys(s, 'Enter')
  await waitFor(s, /‹ Make the test pass · claude-code · 13 steps/)
  keys(s, 'n')
  await waitFor(s, /› +5 tool +Write .*⚑ loop/)
}

/** Opens the review's first frame, then the loop's first flag, and accepts its prune, saved. */
async function acceptTheLoopsFirstFlag(s: Session): Promise<void> {
  await waitFor(s, /aco review · \d+ traces[\s\S]*decisions → /)
  await toTheLoopsFirstFlag(s)
  keys(s, 'a')
  await waitFor(s, /accepted the prune · saved/)
}

async function exited(s: Session): Promise<number> {
  const until = Date.now() + 15_000
  while (!existsSync(s.exitFile) || !readFileSync(s.exitFile, 'utf8').trim()) {
    if (Date.now() > until) throw new Error(`aco review did not exit; the pane shows:\n${screen(s)}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  return Number(readFileSync(s.exitFile, 'utf8').trim())
}

let work: string
let cards: string
let decisions: string
let cache: string

beforeAll(() => {
  if (!hasTmux) return
  work = tmp('aco-review-tmux-')
  cards = join(work, 'cards')
  decisions = join(work, 'decisions.json')
  cache = join(work, 'cache')
  const r = aco(['analyze', fixture('waste'), fixture('claude-code'), '--out', cards])
  expect(r.status, r.stderr).toBe(0)
})

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server'])
  cleanTmp()
})

describe.skipIf(!hasTmux)('aco review in tmux (the built binary)', () => {
  it('opens a trace, accepts a flagged step, labels, undoes, survives a resize, quits, and the decisions file holds it all', async () => {
    const s = start([cards, '--decisions', decisions, '--cache-dir', cache], {x: 100, y: 30}, {NO_COLOR: '1'})
    // (The whole first frame, its footer too: on a busy machine the title can settle before the last lines are drawn.)
    let pane = await waitFor(s, /aco review · \d+ traces[\s\S]*decisions → /)
    expect(pane).toMatch(/cost▼ +wasted +steps +flags +started +models +title/)
    expect(pane).toMatch(/decisions → .*decisions\.json/)
    expect(screen(s, true)).not.toMatch(COLOUR_SGR)

    // A smaller terminal, then back.
    tmux('resize-window', '-t', s.name, '-x', '80', '-y', '24')
    pane = await waitFor(s, /cost▼ +wasted +steps +flags +started +title[\s\S]*↑↓ move/)
    const rows = pane.split('\n')
    expect(rows[0]).toMatch(/^aco review · /)
    expect(rows[22]).toMatch(/^↑↓ move/)
    tmux('resize-window', '-t', s.name, '-x', '100', '-y', '30')
    await waitFor(s, /models +title/)

    await toTheLoopsFirstFlag(s)
    keys(s, 'Enter')
    pane = await waitFor(s, /Step +#5 tool · Write[\s\S]*Evidence/)
    expect(pane).toMatch(/Evidence +› #1 tool Write/)
    keys(s, 'a')
    await waitFor(s, /✓ prune accepted/)
    keys(s, 'Escape')
    await waitFor(s, /› +5 tool +Write .*⚑ loop.*✓/)
    keys(s, 'n')
    await waitFor(s, /› +7 tool +Bash .*⚑ loop/)
    keys(s, '4')
    await waitFor(s, /labelled wasted · saved/)
    keys(s, 'j')
    await waitFor(s, /› +8 llm/)
    keys(s, '3')
    await waitFor(s, /labelled cheaper · saved/)
    keys(s, 'u')
    pane = await waitFor(s, /undid the label on #8/)
    expect(pane).toMatch(/^ +7 tool +Bash .*⚑ loop.* wasted/m)
    expect(pane).toMatch(/decided 1\/\d+ flags · 2 decisions/)
    keys(s, 'q')
    expect(await exited(s)).toBe(0)
    expect(readFileSync(s.errFile, 'utf8')).toMatch(
      /2 decisions \(1 accepted, 0 rejected, 1 labelled only\) in .*decisions\.json/,
    )
    // stderr went to a file: no escape code in it (Ink's cursor helper shows the cursor on stderr at exit).
    expect(readFileSync(s.errFile, 'utf8')).not.toContain('\u001b')

    const file = JSON.parse(readFileSync(decisions, 'utf8')) as DecisionsFile
    const validate = validator('decisions')
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true)
    expect(file.source.cards).toBe(join(cards, 'cards.ndjson'))
    // In step order; the label undone is gone.
    expect(file.decisions.map(d => [d.traceId, d.stepIndex, d.stepId, d.prune, d.label])).toEqual([
      ['loop', 5, 'toolu_loop_8', 'accept', undefined],
      ['loop', 7, 'toolu_loop_11', undefined, 'wasted'],
    ])
    expect(file.decisions.find(d => d.stepId === 'toolu_loop_8')).toMatchObject({
      flagKind: 'loop',
      tool: 'Write',
      by: 'review',
    })
    expect(file.cursor).toMatchObject({view: 'trace', rootTraceId: 'loop', traceId: 'loop', stepId: 'msg_loop_14'})
  })

  it('reopens where the person left off, in colour when colour is allowed; Ctrl-C loses nothing', async () => {
    expect(existsSync(decisions)).toBe(true)
    const s = start([cards, '--decisions', decisions, '--cache-dir', cache], {x: 100, y: 30}, {TERM: 'xterm-256color'})
    const pane = await waitFor(s, /decided 1\/\d+ flags · 2 decisions[\s\S]*‹ Make the test pass[\s\S]*› +8 llm/)
    expect(pane).toMatch(/‹ Make the test pass/)
    expect(pane).toMatch(/decided 1\/\d+ flags · 2 decisions/)
    expect(screen(s, true)).toMatch(COLOUR_SGR)
    keys(s, 'n')
    await waitFor(s, /› +9 tool .*⚑ loop/)
    keys(s, 'r')
    await waitFor(s, /rejected the prune · saved/)
    keys(s, 'C-c')
    expect(await exited(s)).toBe(0)
    const file = JSON.parse(readFileSync(decisions, 'utf8')) as DecisionsFile
    expect(file.decisions.map(d => [d.stepIndex, d.prune ?? d.label])).toEqual([
      [5, 'accept'],
      [7, 'wasted'],
      [9, 'reject'],
    ])
    expect(file.cursor).toMatchObject({view: 'trace', stepId: 'toolu_loop_14'})
  })

  it('saves what was decided and ends quietly, by the signal, when its terminal goes away (trial 101: SIGSEGV)', async () => {
    const file = join(work, 'hangup.json')
    const s = start([cards, '--decisions', file, '--cache-dir', cache], {x: 100, y: 30}, {NO_COLOR: '1'}, true)
    await acceptTheLoopsFirstFlag(s)
    tmux('kill-session', '-t', s.name)
    // 129: ended by SIGHUP (the shell ignores it; aco's own ending restores the default, as Node does not by itself).
    expect(await exited(s)).toBe(129)
    expect(readFileSync(s.errFile, 'utf8')).not.toMatch(/Error|Assertion|at .*\.m?js/)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DecisionsFile
    expect(saved.decisions.map(d => d.prune)).toEqual(['accept'])
  })

  it('on SIGHUP itself (an ssh session lost: the shell passes it on), saves, lets go of the lock and ends by it', async () => {
    const file = join(work, 'hup-signal.json')
    const s = start([cards, '--decisions', file, '--cache-dir', cache], {x: 100, y: 30}, {NO_COLOR: '1'})
    await acceptTheLoopsFirstFlag(s)
    // (aco's own process: the shell around it names the same file on its command line.)
    const pids = spawnSync('ps', ['-eo', 'pid=,comm=,args='], {encoding: 'utf8'})
      .stdout.split('\n')
      .map(line => line.trim().split(/\s+/))
      .filter(([, comm, ...args]) => comm === 'node' && args.join(' ').includes('hup-signal.json'))
      .map(([pid]) => Number(pid))
    expect(pids.length).toBeGreaterThan(0)
    for (const pid of pids) process.kill(pid, 'SIGHUP')
    expect(await exited(s)).toBe(129)
    expect(readFileSync(s.errFile, 'utf8')).not.toMatch(/Error|Assertion|at .*\.m?js/)
    expect(existsSync(`${file}.lock`)).toBe(false)
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DecisionsFile
    expect(saved.decisions.map(d => d.prune)).toEqual(['accept'])
  })

  it('refuses a decisions file it cannot write, before opening', async () => {
    const s = start([cards, '--decisions', join(cards, 'cards.ndjson', 'decisions.json')], {x: 100, y: 30})
    expect(await exited(s)).toBe(2)
    expect(oneLine(readFileSync(s.errFile, 'utf8'))).toMatch(
      /Cannot write the decisions file .*cards\.ndjson is not a folder/,
    )
  })
})

describe.skipIf(hasTmux)('aco review in tmux', () => {
  it.skip('is skipped: tmux is not installed (apt-get install tmux to run the end-to-end review test)', () => {})
})
