#!/usr/bin/env node
/**
 * Start-up of aco (issue 18: under 0.25 s): `aco --version`, and `aco analyze`
 * on one small file (--no-cache, and again from the cache), each run several
 * times. Prints wall time (min and median, process.hrtime around a spawn) and
 * CPU time (user + system of the child, from /usr/bin/time), and the load of
 * the machine: on a shared machine the CPU time is the steadier figure.
 *
 * Usage: npm run bench:startup   (or: node bench/startup-bench.js [--runs 9])
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1]) || 9
const small = join(root, 'fixtures', 'claude-code', 'split-blocks.jsonl')
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

function measure(name, cmdArgs) {
  once(cmdArgs) // warm the file cache
  const all = Array.from({length: runs}, () => once(cmdArgs))
  const sorted = key => all.map(r => r[key]).sort((a, b) => a - b)
  const med = key => sorted(key)[Math.floor(runs / 2)]
  const min = key => sorted(key)[0]
  console.log(
    `${name.padEnd(44)} wall min ${min('wall').toFixed(3)} s, median ${med('wall').toFixed(3)} s · CPU min ${min('cpu').toFixed(2)} s, median ${med('cpu').toFixed(2)} s · RSS ${med('rssMb').toFixed(0)} MB`,
  )
  return {wall: med('wall'), cpu: med('cpu')}
}

console.log(
  `start-up over ${runs} runs each · load average ${loadavg()
    .map(l => l.toFixed(1))
    .join(' ')} on ${process.env.BENCH_MACHINE ?? 'this machine'}`,
)
measure('node -e 0 (the floor)', ['-e', '0'])
measure('aco --version', [join(root, 'bin', 'run.js'), '--version'])
measure('aco analyze one small file --no-cache --json', [
  join(root, 'bin', 'run.js'),
  'analyze',
  small,
  '--json',
  '--no-cache',
])
measure('aco analyze one small file (from the cache)', [join(root, 'bin', 'run.js'), 'analyze', small, '--json'])
measure('aco analyze one small file (screen)', [join(root, 'bin', 'run.js'), 'analyze', small, '--no-cache'])
console.log(
  `load average after: ${loadavg()
    .map(l => l.toFixed(1))
    .join(' ')}`,
)
rmSync(cache, {recursive: true, force: true})
