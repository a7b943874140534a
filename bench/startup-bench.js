#!/usr/bin/env node
/**
 * Start-up of aco (issue 18: under 0.25 s): `aco --version`, and `aco analyze`
 * on one small file (--no-cache, and again from the cache; and a 120 KB aider
 * session from ../shared/corpus to the screen when present), each run several
 * times, beside node alone. Prints the median (and min) of CPU time (user +
 * system of the child, from /usr/bin/time) and of wall time (process.hrtime
 * around a spawn), peak RSS, the target and whether the CPU median meets it,
 * and the load of the machine: on a shared machine the CPU time is the
 * steadier figure. Runs the CLI as built (`npm run build`: the bundles).
 *
 * Usage: npm run bench:startup   (or: node bench/startup-bench.js [--runs 9])
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 9
const small = join(root, 'fixtures', 'claude-code', 'split-blocks.jsonl')
// A real session from the corpus (120 KB of aider chat history, 20 calls), when the corpus is beside the repository.
const aider = join(root, '..', 'shared', 'corpus', 'aider-history', 'simple-calculator.aider.chat.history.md')
const cache = mkdtempSync(join(tmpdir(), 'aco-startup-'))
const env = {...process.env, XDG_CACHE_HOME: cache, NO_COLOR: '1'}

function once(cmdArgs) {
  const started = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...cmdArgs], {
    encoding: 'utf8',
    cwd: root,
    env,
  })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (r.status !== 0 && r.status !== 3) throw new Error(`${cmdArgs.join(' ')} exited ${r.status}: ${r.stderr}`)
  const [user, sys, rssKb] = r.stderr.trim().split('\n').pop().split(' ').map(Number)
  return {wall, cpu: user + sys, rssMb: rssKb / 1024}
}

const TARGET_S = 0.25
const fmt = x => `${x.toFixed(2)} s`

function measure(name, cmdArgs, target) {
  once(cmdArgs) // warm the file cache
  const all = Array.from({length: runs}, () => once(cmdArgs))
  const sorted = key => all.map(r => r[key]).sort((a, b) => a - b)
  const med = key => sorted(key)[Math.floor(runs / 2)]
  const min = key => sorted(key)[0]
  const verdict = target === undefined ? '' : `< ${target} s: ${med('cpu') < target ? 'met' : 'not met'}`
  console.log(
    `${name.padEnd(46)} ${`${fmt(med('cpu'))} (${fmt(min('cpu'))})`.padEnd(17)} ${`${fmt(med('wall'))} (${fmt(min('wall'))})`.padEnd(17)} ${`${med('rssMb').toFixed(0)} MB`.padEnd(7)} ${verdict}`,
  )
  return {wall: med('wall'), cpu: med('cpu')}
}

const load = () =>
  loadavg()
    .map(l => l.toFixed(1))
    .join(' ')
console.log(
  `start-up, median (min) of ${runs} runs each · load average ${load()} · ${cpus().length} cores, node ${process.version}${process.env.BENCH_MACHINE ? ` · ${process.env.BENCH_MACHINE}` : ''}`,
)
console.log(
  `${''.padEnd(46)} ${'CPU user+sys'.padEnd(17)} ${'wall'.padEnd(17)} ${'RSS'.padEnd(7)} target (on the CPU median)`,
)
measure('node -e 0 (the floor: node alone)', ['-e', '0'])
measure('aco --version', [join(root, 'bin', 'run.js'), '--version'], TARGET_S)
measure(
  'aco analyze one small file --no-cache --json',
  [join(root, 'bin', 'run.js'), 'analyze', small, '--json', '--no-cache'],
  TARGET_S,
)
measure(
  'aco analyze one small file (from the cache)',
  [join(root, 'bin', 'run.js'), 'analyze', small, '--json'],
  TARGET_S,
)
measure('aco analyze one small file (screen)', [join(root, 'bin', 'run.js'), 'analyze', small, '--no-cache'], TARGET_S)
if (existsSync(aider))
  measure(
    'aco analyze a 120 KB aider session (screen)',
    [join(root, 'bin', 'run.js'), 'analyze', aider, '--no-cache'],
    TARGET_S,
  )
else console.log('aco analyze a 120 KB aider session: skipped, ../shared/corpus is not beside the repository')
console.log(
  `load average after: ${load()} (wall times on a shared machine are distorted by the other work: CPU is the steadier figure)`,
)
rmSync(cache, {recursive: true, force: true})
