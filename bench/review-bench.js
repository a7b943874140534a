#!/usr/bin/env node
/**
 * Benchmark of `aco review` on many traces (issue 5: first screen within a
 * second on 10,000 traces).
 *
 * 1. Generates a cards folder (cards.ndjson + cards.index.ndjson) of N
 *    synthetic traces (default 10,000): 10–200 steps each, LLM calls and tool
 *    runs, a share of them flagged with evidence, some with subagents.
 * 2. Runs the built CLI (`node bin/run.js review DIR`) in a pseudo-terminal
 *    (util-linux `script`, 100×30) and times, from spawn: the first screen
 *    (the header on the terminal); an Enter pressed the moment it shows,
 *    answered by the costliest trace's timeline; then a key once loaded
 *    (Enter: the first step); then quits with q.
 * 3. The same with no index beside the cards: the first run scans the cards
 *    once to build it (in the cache folder); the second reuses it.
 * Prints the median of --runs runs (default 5) of each.
 *
 * Usage: npm run bench:review   (or: node bench/review-bench.js [--traces 10000] [--runs 5] [--keep])
 *        node bench/review-bench.js --generate DIR [--traces N]   (only write the cards folder)
 */
import {spawn, spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
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
const keep = args.includes('--keep')

const dist = join(root, 'dist')
if (!existsSync(join(dist, 'commands', 'review.js'))) {
  console.error('bench: build first (npm run build, or npx tsc -p .tsconfig.mine.json).')
  process.exit(1)
}
const {openCardsWriter} = await import(join(dist, 'analyze', 'cards-writer.js'))
const {check} = await import(join(dist, 'util', 'schemas.js'))

/** A small deterministic PRNG (mulberry32), so every run generates the same cards. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MODELS = [
  'claude-sonnet-4-20250514',
  'claude-opus-4-20250514',
  'claude-haiku-4-5-20251001',
  'gpt-5-2025-08-07',
  'gpt-5-mini-2025-08-07',
]
const TOOLS = [
  ['Read', r => ({file_path: `/repo/src/module${Math.floor(r() * 50)}.ts`})],
  ['Bash', r => ({command: ['npm test', 'git status', 'ls -la', 'npx tsc --noEmit'][Math.floor(r() * 4)]})],
  ['Grep', r => ({pattern: `function\\s+name${Math.floor(r() * 20)}`, path: '/repo/src'})],
  ['Edit', r => ({file_path: `/repo/src/module${Math.floor(r() * 50)}.ts`, old_string: 'a', new_string: 'b'})],
]
const KINDS = ['duplicate-call', 'reread-unchanged', 'failed-repeat', 'loop', 'near-duplicate', 'unused-output']

function emptyTokens() {
  return {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
}

/** One synthetic card with `n` steps (pairs of an LLM call and the tool run it issued). */
function makeCard(id, n, r, start, depth = 0) {
  const model = MODELS[Math.floor(r() * MODELS.length)]
  const steps = []
  const totals = {
    costUsd: 0,
    tokens: emptyTokens(),
    steps: 0,
    llmCalls: 0,
    toolCalls: 0,
    wastedUsd: 0,
    unpricedCalls: 0,
  }
  let t = start
  const children = []
  for (let i = 0; i < n; i++) {
    const at = new Date(t).toISOString()
    t += 1000 + Math.floor(r() * 20000)
    if (i % 2 === 0) {
      const tokens = {
        input: Math.floor(r() * 50),
        output: Math.floor(50 + r() * 800),
        cacheRead: Math.floor(5000 + r() * 80000),
        cacheWrite: Math.floor(r() * 4000),
        reasoning: 0,
      }
      const usd = tokens.input * 3e-6 + tokens.output * 15e-6 + tokens.cacheRead * 0.3e-6 + tokens.cacheWrite * 3.75e-6
      steps.push({
        index: i,
        id: `msg_${id}_${i}`,
        kind: 'llm',
        model,
        startedAt: at,
        tokens,
        cost: {usd, source: 'computed'},
        toolStepIds: i + 1 < n ? [`call_${id}_${i + 1}`] : [],
        text: `Step ${i}: looking at the code again.`,
      })
      totals.costUsd += usd
      totals.llmCalls++
      for (const k of Object.keys(tokens)) totals.tokens[k] += tokens[k]
    } else {
      const [name, argsOf] = TOOLS[Math.floor(r() * TOOLS.length)]
      const step = {
        index: i,
        id: `call_${id}_${i}`,
        kind: 'tool',
        parentStepId: `msg_${id}_${i - 1}`,
        model,
        startedAt: at,
        tool: {
          callId: `call_${id}_${i}`,
          name,
          arguments: argsOf(r),
          argsHash: ((i * 2654435761) >>> 0).toString(16),
          status: r() < 0.1 ? 'error' : 'ok',
          outputChars: Math.floor(r() * 5000),
          excerpt: 'line 1 of the output\nline 2 of the output',
        },
      }
      if (i > 4 && r() < 0.08) {
        const wastedUsd = r() * 0.02
        step.flags = [
          {
            kind: KINDS[Math.floor(r() * KINDS.length)],
            reason: 'the same call with the same arguments while its earlier result still held',
            confidence: 0.6 + r() * 0.4,
            wastedUsd,
            evidence: [`call_${id}_${i - 2}`],
          },
        ]
        totals.wastedUsd += wastedUsd
      }
      if (depth === 0 && name === 'Bash' && r() < 0.02) {
        const child = makeCard(`${id}/agent-${i}`, 6 + Math.floor(r() * 20), r, t, depth + 1)
        child.parent = {traceId: id, stepId: step.id, agentType: 'general-purpose'}
        step.childTraceIds = [child.id]
        children.push(child)
      }
      steps.push(step)
      totals.toolCalls++
    }
    totals.steps++
  }
  return {
    schemaVersion: '1.0',
    id,
    source: {format: r() < 0.7 ? 'claude-code' : 'codex', path: `/home/dev/.claude/projects/repo/${id}.jsonl`},
    title: `Synthetic task ${id}: fix the build and add tests`,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(t).toISOString(),
    models: [model],
    totals,
    unpriced: [],
    steps,
    children,
    warnings: [],
  }
}

/** Writes DIR/cards.ndjson and DIR/cards.index.ndjson with `count` traces. */
export function generate(dir, count, seed = 7) {
  const r = prng(seed)
  // aco analyze --out's writer; the synthetic cards hold no secrets to redact.
  const writer = openCardsWriter(dir, {redact: false})
  const base = Date.parse('2026-01-01T00:00:00Z')
  for (let i = 0; i < count; i++) {
    const n = 10 + Math.floor(r() * r() * 190)
    const card = makeCard(`trace-${String(i).padStart(5, '0')}`, n, r, base + Math.floor(r() * 90 * 86400e3))
    if (i === 0) {
      const problem = check('tracecard', card)
      if (problem) throw new Error(`bench: a generated card does not match the TraceCard schema: ${problem}`)
    }
    writer.write([card])
  }
  writer.commit()
  return writer.path
}

/**
 * Runs `aco review PATH` in a pseudo-terminal and plays `steps`: wait for a
 * pattern on the screen, then (after `delay` ms) send keys. Resolves with the
 * times (ms from spawn) each pattern appeared and each key was sent.
 */
function timeReview(path, env, steps) {
  return new Promise((resolve, reject) => {
    const decisions = join(mkdtempSync(join(tmpdir(), 'aco-review-bench-')), 'd.json')
    const command = `stty cols 100 rows 30; exec node ${JSON.stringify(join(root, 'bin', 'run.js'))} review ${JSON.stringify(path)} --decisions ${JSON.stringify(decisions)} --cache-dir ${JSON.stringify(env.cacheDir)}`
    const started = process.hrtime.bigint()
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6
    const childEnv = {...process.env, TERM: 'xterm-256color', NO_COLOR: '1'}
    delete childEnv.CI
    delete childEnv.CONTINUOUS_INTEGRATION
    const child = spawn('script', ['-qfec', command, '/dev/null'], {env: childEnv, stdio: ['pipe', 'pipe', 'pipe']})
    let out = ''
    let at = 0
    let waiting = false
    const seen = []
    const sent = []
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`bench: timed out waiting for ${steps[at]?.wait}; screen so far:\n${out.slice(-2000)}`))
    }, 60_000)
    child.stdout.on('data', d => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's escape sequences
      out += d.toString('utf8').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
      if (at < steps.length && !waiting && steps[at].wait.test(out)) {
        seen.push(ms())
        const {send, delay = 0} = steps[at]
        at++
        waiting = true
        setTimeout(() => {
          waiting = false
          out = ''
          sent.push(ms())
          child.stdin.write(send)
        }, delay)
      }
    })
    child.on('exit', () => {
      clearTimeout(timer)
      rmSync(dirname(decisions), {recursive: true, force: true})
      if (seen.length === steps.length) resolve({seen, sent})
      else reject(new Error(`bench: aco review exited before ${steps[at]?.wait}:\n${out.slice(-2000)}`))
    })
  })
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
  const only = arg('--generate', undefined)
  if (only) {
    const started = Date.now()
    const file = generate(only, traces)
    console.log(
      `wrote ${traces} traces to ${file} (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    return
  }
  if (spawnSync('script', ['--version']).status !== 0) {
    console.error('bench: needs util-linux `script` for a pseudo-terminal.')
    process.exit(0)
  }
  const work = mkdtempSync(join(tmpdir(), 'aco-review-bench-'))
  const dir = join(work, 'cards')
  const started = Date.now()
  const cards = generate(dir, traces)
  const size = statSync(cards).size
  console.log(
    `generated ${traces.toLocaleString('en-US')} traces: ${(size / 1e6).toFixed(0)} MB of cards in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`,
  )

  const header = /aco review · [\d,]+ traces/
  const timeline = /‹ Synthetic task/
  const stepView = /Step +#0 llm/
  // Enter as soon as the first screen shows (keys typed while the app loads are kept), Enter again on the
  // timeline a moment later (the app is loaded by then), q on the step.
  const steps = [
    {wait: header, send: '\r'},
    {wait: timeline, send: '\r', delay: 300},
    {wait: stepView, send: 'q'},
  ]
  const first = []
  const answered = []
  const key = []
  for (let i = 0; i < runs; i++) {
    const {seen, sent} = await timeReview(dir, {cacheDir: join(work, 'cache')}, steps)
    first.push(seen[0])
    answered.push(seen[1])
    key.push(seen[2] - sent[1])
  }
  const list = xs => xs.map(t => t.toFixed(0)).join(', ')
  console.log(
    `index beside the cards: first screen ${median(first).toFixed(0)} ms from start (median of ${runs}: ${list(first)})`,
  )
  console.log(
    `  Enter pressed at the first screen is answered (the costliest trace's timeline) at ${median(answered).toFixed(0)} ms from start (${list(answered)})`,
  )
  console.log(`  then a key (Enter: timeline → step) is answered in ${median(key).toFixed(0)} ms (${list(key)})`)

  // No index beside the cards: scanned once into the cache, then reused.
  const bare = join(work, 'bare')
  mkdirSync(bare)
  copyFileSync(cards, join(bare, 'cards.ndjson'))
  const cacheDir = join(work, 'cache-bare')
  const quit = [{wait: header, send: 'q'}]
  const cold = (await timeReview(join(bare, 'cards.ndjson'), {cacheDir}, quit)).seen[0]
  const warm = []
  for (let i = 0; i < runs; i++) warm.push((await timeReview(join(bare, 'cards.ndjson'), {cacheDir}, quit)).seen[0])
  console.log(
    `no index: first screen ${cold.toFixed(0)} ms (scans ${(size / 1e6).toFixed(0)} MB once), then ${median(warm).toFixed(0)} ms with the cached index`,
  )
  if (keep) console.log(`kept ${work}`)
  else rmSync(work, {recursive: true, force: true})
}

await main()
