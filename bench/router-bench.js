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
//    item at a time with its features and prompt, in µs per decision: with
//    the router trained on the ~100k rows, and with one trained by default
//    on the development data as it is (what auto chooses there).
//    Wall and CPU time both: on a shared machine the wall time swells with
//    the load (printed), the CPU time far less.
//
// 3. With --quality: the bar of issue 13 on the development data, seeds 1–5
//    (or --seeds a-b): test = RouterDC's test items, α = 0.05 with the
//    high-probability bound; per seed, the APGR at the sweep thresholds of the
//    router (auto) and of each engine alone, of the mixes of single models
//    chosen on train, whether the recommended policy meets α on test, and
//    whether the test split contradicts the recommendation.
//
// Usage: node bench/router-bench.js [--rows 100000] [--decisions 20000]
//        node bench/router-bench.js --quality [--seeds 1-5]
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
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
  const cpu = process.cpuUsage()
  const table = await readOutcomeTable(outcomesPath, 'train')
  attachTexts(table.items, (await readTexts(textPath)).texts)
  const read = performance.now()
  const {router} = trainRouter(table, {seed: 1, now: Date.now})
  const done = performance.now()
  writeFileSync(routerPath, JSON.stringify(router))
  console.log(
    JSON.stringify({
      chosen: router.training.chosen,
      rows: table.lines,
      items: table.items.length,
      forests: router.models.length,
      readSeconds: (read - started) / 1000,
      trainSeconds: (done - read) / 1000,
      totalSeconds: (done - started) / 1000,
      cpuSeconds: (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      routerMb: Buffer.byteLength(JSON.stringify(router)) / 1e6,
    }),
  )
  process.exit(0)
}

const corpus = join(here, '../../shared/corpus/routing-dev/')

if (process.argv.includes('--quality')) {
  const items = join(corpus, 'routerbench-items.jsonl')
  if (!existsSync(items)) {
    console.error('--quality needs ../shared/corpus/routing-dev')
    process.exit(2)
  }
  const i = process.argv.indexOf('--seeds')
  const [from, to] = (i >= 0 ? process.argv[i + 1] : '1-5').split('-').map(Number)
  const table = await readOutcomeTable(items, 'train')
  attachTexts(table.items, (await readTexts(join(corpus, 'routerbench-prompts.jsonl'))).texts)
  const iv = x => `${x.value.toFixed(3)} (${x.low.toFixed(3)}–${x.high.toFixed(3)})`
  const rows = []
  console.log(
    `aco router quality — routing-dev, test = RouterDC's test split, α = 0.05, --guarantee high, seeds ${from}–${to}`,
  )
  for (let seed = from; seed <= to; seed++) {
    const started = performance.now()
    const {result: r} = trainRouter(table, {
      seed,
      split: {fractions: {train: 0.75, calibration: 0.25, test: 0}, testWhere: {name: 'split', value: 'test'}},
      objective: {kind: 'alpha', alpha: 0.05},
      bound: {guarantee: 'high', delta: 0.1},
      now: Date.now,
    })
    const alone = Object.fromEntries(r.engine.engines.map(e => [e.engine, e.apgr.value]))
    const row = {
      seed,
      seconds: (performance.now() - started) / 1000,
      chosen: r.engine.chosen === 'constant' ? 'constant' : r.engine.chosen.join('+'),
      apgr: r.test.apgr.value,
      ...alone,
      mix: r.test.baselines.trainChosenMix.apgr.value,
      bar: r.test.apgr.value - Math.max(alone.logistic, alone.knn, r.test.baselines.trainChosenMix.apgr.value),
      recommended: r.recommendation.label,
      risk: r.recommendation.test.risk.value,
      quality: r.recommendation.test.quality.value,
      saving: r.recommendation.test.saving.value,
      contradictions: r.recommendation.warnings.length,
    }
    rows.push(row)
    console.log(
      `seed ${seed} (${row.seconds.toFixed(0)} s): estimator ${row.chosen}; APGR ${iv(r.test.apgr)}; alone: hist ${alone.hist.toFixed(3)}, logistic ${alone.logistic.toFixed(3)}, knn ${alone.knn.toFixed(3)}; train-chosen mix ${iv(r.test.baselines.trainChosenMix.apgr)}; APGR − best(logistic, knn, mix) ${row.bar >= 0 ? '+' : ''}${row.bar.toFixed(3)}`,
    )
    console.log(
      `  recommended: ${row.recommended}; on test: rate ${iv(r.recommendation.test.risk)} (α met: ${row.risk <= 0.05 ? 'yes' : 'NO'}), quality ${iv(r.recommendation.test.quality)}, saving ${iv(r.recommendation.test.saving)}; test contradicts it: ${row.contradictions === 0 ? 'no' : r.recommendation.warnings.join(' | ')}`,
    )
  }
  const mean = k => rows.reduce((s, r) => s + r[k], 0) / rows.length
  const range = k => `${Math.min(...rows.map(r => r[k])).toFixed(3)}–${Math.max(...rows.map(r => r[k])).toFixed(3)}`
  console.log(
    `mean over seeds: APGR ${mean('apgr').toFixed(3)} (${range('apgr')}); hist ${mean('hist').toFixed(3)}, logistic ${mean('logistic').toFixed(3)} (${range('logistic')}), knn ${mean('knn').toFixed(3)} (${range('knn')}), mix ${mean('mix').toFixed(3)} (${range('mix')}); α met on test in ${rows.filter(r => r.risk <= 0.05).length} of ${rows.length} seeds; recommendations contradicted by test: ${rows.filter(r => r.contradictions > 0).length}`,
  )
  process.exit(0)
}
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
  `train: ${t.rows} rows (${t.items} items, ${t.forests} candidates, estimator ${JSON.stringify(t.chosen)}): read+validate ${t.readSeconds.toFixed(1)} s, train+evaluate ${t.trainSeconds.toFixed(1)} s, total ${t.totalSeconds.toFixed(1)} s (CPU ${t.cpuSeconds.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores); peak RSS ${t.peakRssMb.toFixed(0)} MB; router.json ${t.routerMb.toFixed(1)} MB`,
)

// Routing: the router just trained, on the original items (features + prompt).
const table = await readOutcomeTable(source.outcomes, 'route')
attachTexts(table.items, (await readTexts(source.text)).texts)
// Best and median of five timed runs (wall), best CPU time: a shared machine's noise only adds time.
const time = (router, batch) => {
  for (let i = 0; i < Math.min(2000, decisionsWanted); i++) route(router, batch[i % batch.length]) // warm up
  const runs = []
  const cpu = []
  for (let rep = 0; rep < 5; rep++) {
    const started = performance.now()
    const c = process.cpuUsage()
    for (let i = 0; i < decisionsWanted; i++) route(router, batch[i % batch.length])
    runs.push(((performance.now() - started) * 1000) / decisionsWanted)
    const used = process.cpuUsage(c)
    cpu.push((used.user + used.system) / decisionsWanted)
  }
  runs.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  return {best: runs[0], median: runs[2], cpu: cpu[0]}
}
const items = table.items.map(i => ({features: i.features, text: i.text}))
const report = (name, router) => {
  const withText = time(router, items)
  // (A router trained with the prompts refuses an item with none: `text: ''` is an item whose prompt is empty.)
  const featuresOnly = time(
    router,
    items.map(i => ({features: i.features, text: ''})),
  )
  console.log(
    `route (${name}; ${router.models.length} models, estimator ${JSON.stringify(router.json.training.chosen)}): ${withText.best.toFixed(1)} µs per decision with the prompt (median ${withText.median.toFixed(1)}, CPU ${withText.cpu.toFixed(1)}), ${featuresOnly.best.toFixed(1)} µs with an empty prompt (median ${featuresOnly.median.toFixed(1)}, CPU ${featuresOnly.cpu.toFixed(1)}); 5 × ${decisionsWanted} decisions; load average ${loadavg()[0].toFixed(1)}`,
  )
}
report('the router trained on the ~100k rows', loadRouter(routerFile))
const dev = await readOutcomeTable(source.outcomes, 'train')
attachTexts(dev.items, (await readTexts(source.text)).texts)
report(
  'a router trained by default on the data as it is',
  loadRouter(trainRouter(dev, {seed: 1, now: Date.now}).router),
)
rmSync(dir, {recursive: true, force: true})
