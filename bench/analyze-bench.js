#!/usr/bin/env node
/**
 * Benchmark of `aco analyze` on Claude Code logs (issue: the foundation).
 *
 * 1. Builds a folder of Claude Code JSONL (default 400 MB) by replaying the
 *    real sessions in ../shared/corpus/claude-code with fresh message, request
 *    and session ids (so nothing deduplicates away).
 * 2. Times a plain Node loop that reads each file, splits its lines and
 *    JSON.parses each one: the floor any reader must pay.
 * 3. Times `aco analyze --json` over the same folder (without the cache,
 *    then a second run from it), and ccusage's when it is installed.
 * 4. With --huge: builds one session file of 1 GB (the corpus sessions
 *    replayed into one) and analyses it, for peak RSS (target < 200 MB).
 * Prints wall time, CPU time (user + system, the steadier figure on a shared
 * machine), throughput and peak RSS of each, the load average, and the ratio.
 *
 * Usage: npm run bench   (or: node bench/analyze-bench.js [--mb 400] [--huge | --huge-only] [--gb 1])
 */
import {spawnSync} from 'node:child_process'
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {randomUUID} from 'node:crypto'
import {cpus, loadavg, tmpdir} from 'node:os'
import {delimiter, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const corpus = join(root, '..', 'shared', 'corpus', 'claude-code')
const args = process.argv.slice(2)
const mb = Number(args[args.indexOf('--mb') + 1]) || 400
const huge = args.includes('--huge')
/** Only the one huge session (`--huge-only`), without the folder's runs before it. */
const hugeOnly = args.includes('--huge-only')
const gb = Number(args[args.indexOf('--gb') + 1]) || 1
const out = join(here, 'out', `claude-${mb}mb`)
const cacheHome = mkdtempSync(join(tmpdir(), 'aco-bench-cache-'))
const load = () =>
  loadavg()
    .map(l => l.toFixed(1))
    .join(' ')

if (!existsSync(corpus)) {
  console.error(`bench: ${corpus} is absent; the benchmark replays the real Claude Code corpus.`)
  process.exit(0)
}

function corpusFiles(dir) {
  const files = []
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...corpusFiles(p))
    else if (entry.name.endsWith('.jsonl')) files.push(p)
  }
  return files.sort()
}

/** Replays one corpus file with fresh ids; returns the new text. */
function replay(text, round, sessionId, shiftMs = 0) {
  const ids = new Map()
  const fresh = (old, prefix) => {
    if (typeof old !== 'string' || old === '') return old
    let v = ids.get(old)
    if (!v) {
      v = `${prefix}${round}_${randomUUID().replaceAll('-', '')}`
      ids.set(old, v)
    }
    return v
  }
  const session = sessionId ?? randomUUID()
  const lines = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const r = JSON.parse(line)
    if (r.sessionId) r.sessionId = session
    if (shiftMs && typeof r.timestamp === 'string' && !Number.isNaN(Date.parse(r.timestamp)))
      r.timestamp = new Date(Date.parse(r.timestamp) + shiftMs).toISOString()
    if (r.requestId) r.requestId = fresh(r.requestId, 'req_')
    if (r.message && typeof r.message === 'object' && r.message.id) r.message.id = fresh(r.message.id, 'msg_')
    const content =
      r.message && typeof r.message === 'object' && Array.isArray(r.message.content) ? r.message.content : []
    for (const block of content) {
      if (block && block.type === 'tool_use' && block.id) block.id = fresh(block.id, 'toolu_')
      if (block && block.type === 'tool_result' && block.tool_use_id)
        block.tool_use_id = fresh(block.tool_use_id, 'toolu_')
    }
    if (r.parentToolUseID) r.parentToolUseID = fresh(r.parentToolUseID, 'toolu_')
    if (r.uuid) r.uuid = fresh(r.uuid, '')
    if (r.parentUuid) r.parentUuid = fresh(r.parentUuid, '')
    lines.push(JSON.stringify(r))
  }
  return `${lines.join('\n')}\n`
}

function build() {
  const target = mb * 1e6
  if (existsSync(out)) {
    const size = readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0)
    if (size >= target * 0.98) return size
    rmSync(out, {recursive: true, force: true})
  }
  mkdirSync(out, {recursive: true})
  const sources = corpusFiles(corpus).map(p => readFileSync(p, 'utf8'))
  let size = 0
  let round = 0
  while (size < target) {
    for (let i = 0; i < sources.length && size < target; i++) {
      const text = replay(sources[i], round)
      writeFileSync(join(out, `r${String(round).padStart(4, '0')}-${i}.jsonl`), text)
      size += Buffer.byteLength(text)
    }
    round++
  }
  return size
}

/** Runs a command under /usr/bin/time; returns wall seconds, CPU seconds and peak RSS in MB. */
function measure(cmd, cmdArgs, env = {}) {
  const started = process.hrtime.bigint()
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...cmdArgs], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: root,
    env: {...process.env, XDG_CACHE_HOME: cacheHome, ...env},
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const [rssKb, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number)
  if (r.status !== 0 && r.status !== 3) {
    console.error(r.stderr.slice(0, 2000))
    throw new Error(`${cmd} ${cmdArgs.join(' ')} exited ${r.status}`)
  }
  return {seconds, cpu: user + sys, rssMb: rssKb / 1024, stdout: r.stdout}
}

/**
 * One session of `gb` GB: every corpus session replayed into one file, under one session id, with fresh ids. Each
 * round is moved later by the corpus's time span (whole days), so the rounds follow one another as a session of many
 * months does: replayed at the same hours, thirty copies of every subagent would run at once, each card placing every
 * other copy's writes between its steps (work that grows with the square of the copies, which no real session has).
 */
function buildHuge() {
  const dir = join(here, 'out', `claude-session-${gb}gb`)
  const file = join(dir, 'one-session-in-turn.jsonl')
  const target = gb * 1e9
  if (existsSync(file) && statSync(file).size >= target * 0.98) return file
  rmSync(dir, {recursive: true, force: true})
  mkdirSync(dir, {recursive: true})
  const sources = corpusFiles(corpus)
    .filter(p => !p.includes('/subagents/'))
    .map(p => readFileSync(p, 'utf8'))
  const session = randomUUID()
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const text of sources)
    for (const m of text.matchAll(/"timestamp":"([^"]+)"/g)) {
      const t = Date.parse(m[1])
      if (t < first) first = t
      if (t > last) last = t
    }
  const day = 86_400_000
  const span = last >= first ? (Math.ceil((last - first) / day) + 1) * day : 0
  let size = 0
  for (let round = 0; size < target; round++) {
    for (let i = 0; i < sources.length && size < target; i++) {
      const text = replay(sources[i], round, session, round * span)
      appendFileSync(file, text)
      size += Buffer.byteLength(text)
    }
  }
  return file
}

/**
 * A Claude configuration folder for ccusage holding the corpus as one project (`projects/bench/`): ccusage reads
 * `$CLAUDE_CONFIG_DIR/projects/<project>/<session>.jsonl` and follows no symbolic link, so the files are hard links to the corpus's
 * (copies where the file system has none).
 */
function ccusageHome() {
  const home = join(here, 'out', 'ccusage-home')
  const project = join(home, 'projects', 'bench')
  const names = readdirSync(out)
  if (existsSync(project) && readdirSync(project).length === names.length) return home
  rmSync(home, {recursive: true, force: true})
  mkdirSync(project, {recursive: true})
  for (const name of names) {
    try {
      linkSync(join(out, name), join(project, name))
    } catch {
      copyFileSync(join(out, name), join(project, name))
    }
  }
  return home
}

/** ccusage, when installed (on the PATH or in node_modules/.bin). */
function findCcusage() {
  for (const dir of [join(root, 'node_modules', '.bin'), ...(process.env.PATH ?? '').split(delimiter)]) {
    const p = join(dir, 'ccusage')
    if (dir && existsSync(p)) return p
  }
  return undefined
}

const row = (name, m, bytes) =>
  `${name.padEnd(34)} ${m.seconds.toFixed(2).padStart(7)} s wall ${(bytes / 1e6 / m.seconds).toFixed(0).padStart(5)} MB/s  ${m.cpu.toFixed(2).padStart(6)} s CPU   peak RSS ${m.rssMb.toFixed(0).padStart(4)} MB`

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.versions.node}; load average ${load()}`,
)
/** The folder of many sessions: the plain loop, aco with and without the cache, ccusage when installed. */
function benchFolder() {
  const size = build()
  const files = readdirSync(out).length
  console.log(`corpus: ${files} files, ${(size / 1e6).toFixed(0)} MB of Claude Code JSONL in ${out}`)

  const baselineScript = `
  const {readdirSync, readFileSync} = require('node:fs'); const {join} = require('node:path');
  const dir = ${JSON.stringify(out)}; let records = 0;
  for (const f of readdirSync(dir)) { for (const line of readFileSync(join(dir, f), 'utf8').split('\\n')) { if (line) { JSON.parse(line); records++ } } }
  console.log(records)`
  // Warm the file cache once so every run reads from memory.
  measure(process.execPath, ['-e', baselineScript])
  const base = measure(process.execPath, ['-e', baselineScript])
  console.log(row('plain loop (read+split+parse)', base, size))
  const aco = measure(process.execPath, [join(root, 'bin', 'run.js'), 'analyze', out, '--json', '--no-cache'])
  console.log(row('aco analyze --json --no-cache', aco, size))
  const one = measure(process.execPath, [
    join(root, 'bin', 'run.js'),
    'analyze',
    out,
    '--json',
    '--no-cache',
    '--threads',
    '1',
  ])
  console.log(row('aco analyze --json, one thread', one, size))
  // The cache: a first run fills it (what a new user's first run costs), the second reads from it.
  const fill = measure(process.execPath, [join(root, 'bin', 'run.js'), 'analyze', out, '--json'])
  console.log(row('aco analyze --json, filling the cache', fill, size))
  const cached = measure(process.execPath, [join(root, 'bin', 'run.js'), 'analyze', out, '--json'])
  console.log(row('aco analyze --json, from the cache', cached, size))
  // One file touched: the run's own result no longer stands, every file's entry is read and summed again.
  const touchedFile = join(out, readdirSync(out).sort()[0])
  const touchedAt = statSync(touchedFile)
  utimesSync(touchedFile, touchedAt.atime, new Date(touchedAt.mtimeMs + 1000))
  const touched = measure(process.execPath, [join(root, 'bin', 'run.js'), 'analyze', out, '--json'])
  utimesSync(touchedFile, touchedAt.atime, touchedAt.mtime)
  console.log(row('  the same, one file touched', touched, size))
  const ccusage = findCcusage()
  if (ccusage) {
    // --offline: its own price table, not LiteLLM's fetched from the network.
    const peer = measure(ccusage, ['session', '--json', '--offline'], {CLAUDE_CONFIG_DIR: ccusageHome()})
    console.log(row('ccusage session --json --offline', peer, size))
    const theirs = JSON.parse(peer.stdout).totals
    const ours = JSON.parse(aco.stdout).totals.tokens
    const same =
      theirs.inputTokens === ours.input &&
      theirs.cacheReadTokens === ours.cacheRead &&
      theirs.cacheCreationTokens === ours.cacheWrite
    console.log(
      `  aco ${(aco.seconds / peer.seconds).toFixed(2)}× its wall time (it sums tokens per session; aco also prices, flags and checks each step). Input, cache read and cache write tokens ${same ? 'equal to the unit' : `DIFFER: ccusage ${theirs.inputTokens}/${theirs.cacheReadTokens}/${theirs.cacheCreationTokens}, aco ${ours.input}/${ours.cacheRead}/${ours.cacheWrite}`}; output ${theirs.outputTokens} as logged, aco ${ours.output} (streaming placeholders replaced by estimates from the text, each said in a warning)`,
    )
  } else console.log('ccusage: not installed (npm i -g ccusage to time it beside aco)')
  const result = JSON.parse(aco.stdout)
  if (cached.stdout !== aco.stdout) console.log('!! the run from the cache printed other bytes than the run without it')
  if (touched.stdout !== aco.stdout)
    console.log('!! the run with one file touched printed other bytes than the run without the cache')
  console.log(
    `ratio: ${(aco.seconds / base.seconds).toFixed(2)}× the plain loop's wall time (target ≤ 1.0×), ${(aco.cpu / base.cpu).toFixed(2)}× its CPU time; ${(one.seconds / base.seconds).toFixed(2)}× on one thread; aco peak RSS ${aco.rssMb.toFixed(0)} MB (target < 200 MB); second run from the cache ${cached.seconds.toFixed(2)} s (${touched.seconds.toFixed(2)} s with one file touched)`,
  )
  console.log(
    `load average after: ${load()} (wall times need an otherwise idle machine: aco uses both cores, the loop one)`,
  )
  console.log(
    `aco counted ${result.totals.llmCalls} LLM calls, ${result.totals.steps} steps, $${result.totals.costUsd.toFixed(2)} in ${result.traces.length} traces`,
  )
}

if (!hugeOnly) benchFolder()
if (huge || hugeOnly) {
  const file = buildHuge()
  const bytes = statSync(file).size
  const big = measure(process.execPath, [join(root, 'bin', 'run.js'), 'analyze', file, '--json', '--no-cache'])
  console.log(row(`aco on one ${(bytes / 1e9).toFixed(2)} GB session`, big, bytes))
  const r = JSON.parse(big.stdout)
  console.log(
    `  ${r.totals.llmCalls} LLM calls, ${r.totals.steps} steps in ${r.traces.length} trace(s); peak RSS ${big.rssMb.toFixed(0)} MB (target < 200 MB)`,
  )
}
rmSync(cacheHome, {recursive: true, force: true})
console.log(`(generated inputs stay in ${join(here, 'out')} for the next run; delete them to rebuild)`)
