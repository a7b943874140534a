#!/usr/bin/env node
/**
 * How soon `aco review` answers a key pressed right after it starts, on
 * 10,000 traces (issue 18: under 0.5 s).
 *
 * Generates the cards (bench/review-bench.js --generate: cards.ndjson and its
 * index), then runs the built CLI in a detached tmux session (100×30, a
 * private tmux server) and sends `j` (down) at once, before aco has drawn
 * anything: the key waits in the terminal until the review reads it. The
 * pane is polled (capture-pane every 10 ms) for the first screen and for the
 * cursor on the second trace, the key's answer; both are timed from the
 * spawn, and the CPU time aco has used when the answer shows is read from
 * /proc (Linux). Then q. Last, in a fresh node each time, the CPU time of
 * what the first frame waits for once the command runs (the index, the
 * initial state, the frame's lines). CPU time (user + system) of the aco process, start to q,
 * from /usr/bin/time when present. Prints the median of --runs runs beside
 * the target, and the machine's load (wall times on a shared machine are
 * distorted by the other work; the polling itself costs a little CPU too).
 *
 * Needs tmux: without it, says so and exits 0.
 *
 * Usage: npm run bench:review-key   (or: node bench/review-key-bench.js [--traces 10000] [--runs 5] [--cards DIR])
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const args = process.argv.slice(2)
const arg = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}
const traces = Number(arg('--traces', 10000))
const runs = Number(arg('--runs', 5))
const TARGET_S = 0.5

if (spawnSync('tmux', ['-V']).status !== 0) {
  console.log('review first key: skipped, tmux is not installed (it drives the review in a real terminal).')
  process.exit(0)
}
if (!existsSync(join(root, 'dist', 'commands', 'review.js'))) {
  console.error('bench: build first (npm run build).')
  process.exit(1)
}
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

const work = mkdtempSync(join(tmpdir(), 'aco-review-key-'))
const cards = arg('--cards', undefined) ?? join(work, 'cards')
if (!arg('--cards', undefined)) {
  const g = spawnSync(
    process.execPath,
    [join(here, 'review-bench.js'), '--generate', cards, '--traces', String(traces)],
    {
      encoding: 'utf8',
    },
  )
  if (g.status !== 0) throw new Error(`bench: generating the cards failed: ${g.stderr}`)
  console.log(g.stdout.trim())
}

const socket = `aco-key-bench-${process.pid}`
const tmux = (...a) => spawnSync('tmux', ['-f', '/dev/null', '-L', socket, ...a], {encoding: 'utf8'})
const q = s => `'${s.replace(/'/g, `'\\''`)}'`
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** The index of the selected trace among the list's rows, or -1 before the list shows. */
function selectedRow(screen) {
  const lines = screen.split('\n')
  const header = lines.findIndex(l => /cost.*wasted.*steps/.test(l))
  if (header < 0) return -1
  return lines.slice(header + 1).findIndex(l => l.startsWith('›'))
}

async function once(i) {
  const name = `r${i}`
  const exitFile = join(work, `${name}.exit`)
  const cpuFile = join(work, `${name}.cpu`)
  const aco = [process.execPath, join(root, 'bin', 'run.js'), 'review', cards]
  const flags = ['--decisions', join(work, `${name}.json`), '--cache-dir', join(work, 'cache')]
  const timed = timeBin ? [timeBin, '-f', '%U %S', '-o', cpuFile, ...aco] : aco
  const pidFile = join(work, `${name}.pid`)
  // `sh -c 'echo $$ …; exec …'`: the process keeps the pid written (and the terminal as its stdin).
  const command = `cd ${q(root)} && env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 TZ=UTC sh -c ${q(`echo $$ > ${q(pidFile)}; exec "$@"`)} sh ${[...timed, ...flags].map(q).join(' ')} 2>/dev/null; echo $? > ${q(exitFile)}`
  const started = process.hrtime.bigint()
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', command)
  tmux('send-keys', '-t', name, 'j')
  let first
  let answered
  let cpuAtAnswer
  while (answered === undefined && ms() < 60_000) {
    const screen = tmux('capture-pane', '-p', '-t', name).stdout ?? ''
    const row = selectedRow(screen)
    if (first === undefined && row >= 0) first = ms()
    if (row === 1) {
      answered = ms()
      cpuAtAnswer = processCpu(pidFile)
    } else await sleep(10)
  }
  tmux('send-keys', '-t', name, 'q')
  const until = Date.now() + 30_000
  while (!existsSync(exitFile) && Date.now() < until) await sleep(20)
  tmux('kill-session', '-t', name)
  if (answered === undefined) throw new Error('bench: the review did not answer the key within 60 s')
  const cpu =
    timeBin && existsSync(cpuFile)
      ? readFileSync(cpuFile, 'utf8')
          .trim()
          .split('\n')
          .pop()
          .split(' ')
          .map(Number)
          .reduce((a, b) => a + b, 0)
      : undefined
  return {first, answered, cpu, cpuAtAnswer}
}

/**
 * CPU time (user + system, s) the aco process has used so far, from /proc (Linux): the process whose pid the tmux
 * command wrote, or its child when that is /usr/bin/time running it. Undefined where /proc is not readable.
 */
function processCpu(pidFile) {
  try {
    let pid = readFileSync(pidFile, 'utf8').trim()
    if (timeBin) pid = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const load = () =>
  loadavg()
    .map(l => l.toFixed(1))
    .join(' ')
console.log(
  `aco review on ${traces.toLocaleString('en-US')} traces, ${runs} runs · load average ${load()} · ${cpus().length} cores`,
)
const all = []
try {
  for (let i = 0; i < runs; i++) all.push(await once(i))
} finally {
  tmux('kill-server')
}
const s = xs => `${(median(xs) / 1000).toFixed(2)} s (${xs.map(x => (x / 1000).toFixed(2)).join(', ')})`
const answered = all.map(r => r.answered)
console.log(`first screen                     ${s(all.map(r => r.first))}`)
console.log(
  `key pressed at start, answered   ${s(answered)} · target < ${TARGET_S} s: ${median(answered) / 1000 < TARGET_S ? 'met' : 'not met'}`,
)
if (all.every(r => r.cpuAtAnswer !== undefined))
  console.log(
    `CPU of aco when answered        ${median(all.map(r => r.cpuAtAnswer)).toFixed(2)} s (${all.map(r => r.cpuAtAnswer.toFixed(2)).join(', ')}) · at most: Ink loads from 20 ms after the first frame`,
  )
if (all.every(r => r.cpu !== undefined))
  console.log(
    `CPU of aco, start to q          ${median(all.map(r => r.cpu)).toFixed(2)} s (${all.map(r => r.cpu.toFixed(2)).join(', ')})`,
  )
// What the first frame waits for once the command runs, in a fresh node each time: opening the cards (the index),
// the initial state and the frame's lines, as src/review/start.ts does them (CPU user+sys, ms).
const preFrame = `
const dist = ${JSON.stringify(join(root, 'dist'))}
const cards = ${JSON.stringify(cards)}
const [{openCards}, {initialState}, {frameLines}] = await Promise.all([
  import(dist + '/review/source.js'), import(dist + '/review/state/reduce.js'), import(dist + '/review/lines/frame.js'),
])
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
const t0 = cpu()
const source = openCards(cards, {cacheDir: ${JSON.stringify(join(work, 'cache'))}})
const t1 = cpu()
const state = initialState({rows: source.rows, screen: {columns: 100, rows: 30}, decisionsPath: './d.json'})
const t2 = cpu()
frameLines(state)
const t3 = cpu()
console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, t3 - t0]))
`
const parts = Array.from({length: runs}, () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', preFrame], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`bench: the first frame's work failed: ${r.stderr}`)
  return JSON.parse(r.stdout)
})
const ms = i => `${median(parts.map(p => p[i])).toFixed(0)} ms`
console.log(
  `before the first frame, in process (CPU): ${ms(3)}: the index ${ms(0)}, the initial state ${ms(1)}, the frame's lines ${ms(2)}`,
)
console.log(`load average after: ${load()}`)
rmSync(work, {recursive: true, force: true})
