// Router benchmark (run after `npm run build`: `npm run bench:router`).
//
// 1. Training on ~100k outcome rows: the development data
//    (../shared/corpus/routing-dev, or fixtures/routing when it is absent)
//    replicated with fresh item ids and perturbed (numbers jittered, 5% of
//    outcomes flipped), written as JSONL, then read, validated and trained in a
//    child process that reports its wall time and peak RSS. Copies of one item
//    land in different splits, so the quality of this router means nothing:
//    only time and memory are measured.
// 2. Routing: the library entry (loadRouter, route) on a loaded router, one
//    item at a time with its features and prompt, in µs per decision.
//
// Usage: node bench/router-bench.js [--rows 100000] [--decisions 20000]
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const dist = new URL('../dist/', import.meta.url)
if (!existsSync(new URL('learn/train.js', dist))) {
  console.error('dist/ is missing: run `npm run build` first (or `npm run bench:router`).')
  process.exit(2)
}
const {readOutcomeTable, readTexts, attachTexts} = await import(new URL('learn/outcome-table.js', dist).href)
const {trainRouter} = await import(new URL('learn/train.js', dist).href)
const {loadRouter, route} = await import(new URL('index.js', dist).href)

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

// Child mode: read + train one file, print timings as JSON on stdout.
if (process.argv[2] === '--child') {
  const [, , , outcomesPath, textPath, routerPath] = process.argv
  const started = performance.now()
  const table = await readOutcomeTable(outcomesPath, 'train')
  attachTexts(table.items, (await readTexts(textPath)).texts)
  const read = performance.now()
  const {router} = trainRouter(table, {seed: 1, now: Date.now})
  const done = performance.now()
  writeFileSync(routerPath, JSON.stringify(router))
  console.log(
    JSON.stringify({
      rows: table.lines,
      items: table.items.length,
      forests: router.models.length,
      readSeconds: (read - started) / 1000,
      trainSeconds: (done - read) / 1000,
      totalSeconds: (done - started) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      routerMb: Buffer.byteLength(JSON.stringify(router)) / 1e6,
    }),
  )
  process.exit(0)
}

const corpus = join(here, '../../shared/corpus/routing-dev/')
const source = existsSync(join(corpus, 'routerbench-items.jsonl'))
  ? {
      outcomes: join(corpus, 'routerbench-items.jsonl'),
      text: join(corpus, 'routerbench-prompts.jsonl'),
      name: 'routing-dev (RouterBench)',
    }
  : {
      outcomes: join(here, '../fixtures/routing/outcomes.jsonl'),
      text: join(here, '../fixtures/routing/prompts.jsonl'),
      name: 'fixtures/routing',
    }

const targetRows = arg('rows', 100_000)
const decisionsWanted = arg('decisions', 20_000)
const lines = readFileSync(source.outcomes, 'utf8')
  .trim()
  .split('\n')
  .map(l => JSON.parse(l))
const prompts = readFileSync(source.text, 'utf8')
  .trim()
  .split('\n')
  .map(l => JSON.parse(l))
const copies = Math.max(1, Math.ceil(targetRows / lines.length))

let state = 42
const rand = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0
  return state / 4294967296
}
const dir = mkdtempSync(join(tmpdir(), 'aco-router-bench-'))
const outcomesOut = []
const promptsOut = []
for (let c = 0; c < copies; c++) {
  const jitter = new Map()
  for (const line of lines) {
    if (!jitter.has(line.item_id)) jitter.set(line.item_id, rand())
    const j = jitter.get(line.item_id)
    const features = {}
    for (const [k, v] of Object.entries(line.features ?? {}))
      features[k] = typeof v === 'number' ? Math.round(v * (0.9 + 0.2 * j)) : v
    outcomesOut.push(
      JSON.stringify({
        item_id: `${line.item_id}~${c}`,
        model: line.model,
        success: rand() < 0.05 ? 1 - line.success : line.success,
        cost_usd: line.cost_usd * (0.9 + 0.2 * j),
        features,
      }),
    )
  }
  for (const p of prompts)
    promptsOut.push(JSON.stringify({item_id: `${p.item_id}~${c}`, prompt: c === 0 ? p.prompt : `${p.prompt} (${c})`}))
}
const outcomesFile = join(dir, 'outcomes.jsonl')
const promptsFile = join(dir, 'prompts.jsonl')
const routerFile = join(dir, 'router.json')
writeFileSync(outcomesFile, `${outcomesOut.join('\n')}\n`)
writeFileSync(promptsFile, `${promptsOut.join('\n')}\n`)

console.log(`aco router bench — Node ${process.version}, data: ${source.name} × ${copies}`)
const child = spawnSync(
  process.execPath,
  [fileURLToPath(import.meta.url), '--child', outcomesFile, promptsFile, routerFile],
  {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024},
)
if (child.status !== 0) {
  console.error(child.stderr)
  process.exit(1)
}
const t = JSON.parse(child.stdout.trim().split('\n').pop())
console.log(
  `train: ${t.rows} rows (${t.items} items, ${t.forests} forests): read+validate ${t.readSeconds.toFixed(1)} s, train+evaluate ${t.trainSeconds.toFixed(1)} s, total ${t.totalSeconds.toFixed(1)} s; peak RSS ${t.peakRssMb.toFixed(0)} MB; router.json ${t.routerMb.toFixed(1)} MB`,
)

// Routing: the router just trained, on the original items (features + prompt).
const table = await readOutcomeTable(source.outcomes, 'route')
attachTexts(table.items, (await readTexts(source.text)).texts)
const router = loadRouter(routerFile)
const items = table.items.map(i => ({features: i.features, text: i.text}))
// Best and median of five timed runs: a shared machine's noise only adds time.
const time = batch => {
  for (let i = 0; i < Math.min(2000, decisionsWanted); i++) route(router, batch[i % batch.length]) // warm up
  const runs = []
  for (let rep = 0; rep < 5; rep++) {
    const started = performance.now()
    for (let i = 0; i < decisionsWanted; i++) route(router, batch[i % batch.length])
    runs.push(((performance.now() - started) * 1000) / decisionsWanted)
  }
  runs.sort((a, b) => a - b)
  return {best: runs[0], median: runs[2]}
}
const withText = time(items)
const featuresOnly = time(items.map(i => ({features: i.features})))
console.log(
  `route: ${withText.best.toFixed(1)} µs per decision with the prompt (median ${withText.median.toFixed(1)}), ${featuresOnly.best.toFixed(1)} µs with features only (median ${featuresOnly.median.toFixed(1)}); ${router.models.length} forests of ${router.json.models[0].forest.roots.length} trees; 5 × ${decisionsWanted} decisions`,
)
rmSync(dir, {recursive: true, force: true})
