// Cascade benchmark (run after `npm run build`: `npm run bench:cascade`).
//
// 1. Deciding: a cascade trained on the development data (ARC-Challenge with
//    every model's response, rebuilt by scripts/routing-dev.js from
//    ../shared/corpus/routing-dev; fixtures/cascade when it is absent),
//    loaded through the library entry (loadRouter); then, one item at a
//    time, `route(cascade, item, observed)` after the chain's first step and
//    after its second: the item's features, the post-hoc features of the
//    responses so far (answers extracted and compared, lengths, cues) and
//    the step's estimator. µs per decision (median, mean, p99).
//
// 2. With --quality: the bar of issue 14 on the development data, seeds 1–5
//    (or --seeds a-b), ARC-Challenge and MBPP: test = RouterDC's test items,
//    the operating point by α = 0.05 with the high-probability bound (both
//    bounds are reported at α = 0.05 and 0.1); per seed the chain, the
//    cascade's APGR beside the ex-ante router's (both at thresholds fixed on
//    calibration), the quality kept at half of the strongest model's cost, the
//    agreement baseline and the cascade at its cost, the training-free cascade,
//    mixes of single models and the per-item oracle, and the rate of items
//    where the cascade fails and the strongest model succeeds, measured on test.
//
// Usage: node bench/cascade-bench.js [--decisions 20000]
//        node bench/cascade-bench.js --quality [--seeds 1-5] [--tasks arc-challenge,mbpp]
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ensureRoutingDev} from '../scripts/routing-dev.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const dist = new URL('../dist/', import.meta.url)
if (!existsSync(new URL('learn/cascade/train.js', dist))) {
  console.error('dist/ is missing: run `npm run build` first (or `npm run bench:cascade`).')
  process.exit(2)
}
const {readOutcomeTable, readTexts, attachTexts} = await import(new URL('learn/outcome-table.js', dist).href)
const {trainCascade} = await import(new URL('learn/cascade/train.js', dist).href)
const {loadRouter, route} = await import(new URL('index.js', dist).href)

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const dev = ensureRoutingDev()
const split = {fractions: {train: 0.75, calibration: 0.25, test: 0}, testWhere: {name: 'split', value: 'test'}}

async function table(task) {
  const t = await readOutcomeTable(join(dev, `${task}.jsonl`), 'train')
  attachTexts(t.items, (await readTexts(join(dev, 'prompts.jsonl'))).texts)
  return t
}

if (process.argv.includes('--quality')) {
  if (!dev) {
    console.error('--quality needs ../shared/corpus/routing-dev')
    process.exit(2)
  }
  const [from, to] = option('seeds', '1-5').split('-').map(Number)
  const tasks = option('tasks', 'arc-challenge,mbpp').split(',')
  const iv = (x, d = 3) => `${x.value.toFixed(d)} [${x.low.toFixed(d)}, ${x.high.toFixed(d)}]`
  const pct = (x, d = 1) => `${(x * 100).toFixed(d)}%`
  const pctIv = (x, d = 1) => `${pct(x.value, d)} [${pct(x.low, d)}, ${pct(x.high, d)}]`
  for (const task of tasks) {
    const t = await table(task)
    console.log(
      `\naco cascade quality — ${task}, test = RouterDC's test split, α = 0.05 (high-probability bound), seeds ${from}–${to}`,
    )
    const rows = []
    for (let seed = from; seed <= to; seed++) {
      const started = performance.now()
      const {result: r} = trainCascade(t, {
        seed,
        split,
        objective: {kind: 'alpha', alpha: 0.05},
        bound: {guarantee: 'high', delta: 0.1},
        resamples: 1000,
        now: Date.now,
      })
      const b = r.test.baselines
      const rate = (alpha, guarantee) => r.guarantees.find(g => g.alpha === alpha && g.guarantee === guarantee)
      const row = {
        seed,
        seconds: (performance.now() - started) / 1000,
        apgr: r.test.apgr.value,
        exAnte: b.exAnte.apgr.value,
        trainingFree: b.trainingFree?.apgr.value ?? Number.NaN,
        mixes: b.singleModelMixes.apgr.value,
        lead: r.test.leadOverExAnte,
        keptAtHalf: r.test.qualityShareAtHalfBestCost?.value ?? Number.NaN,
        agreeLead: b.agreement?.cascadeLeadAtItsCost.value ?? Number.NaN,
        agreeApgr: b.agreement?.apgr.value ?? Number.NaN,
        rates: {
          m05: rate(0.05, 'marginal')?.testRate,
          h05: rate(0.05, 'high')?.testRate,
          m10: rate(0.1, 'marginal')?.testRate,
          h10: rate(0.1, 'high')?.testRate,
        },
      }
      rows.push(row)
      const op = r.operatingPoint.test
      console.log(
        `seed ${seed} (${row.seconds.toFixed(0)} s): chain ${r.chain.models.map(m => m.split('/').pop()).join(' → ')}; variant ${r.chain.variant} (training APGR ${r.chain.variants.map(v => `${v.variant} ${v.trainApgr.toFixed(3)}`).join(', ')})${
          r.steps.some(s => s.engine)
            ? `; engines ${r.steps
                .filter(s => s.engine)
                .map(s => s.engine)
                .join(', ')}`
            : ''
        }`,
      )
      console.log(
        `  APGR ${iv(r.test.apgr)}; ex-ante router ${iv(b.exAnte.apgr)}; lead ${iv(r.test.leadOverExAnte)}; training-free ${b.trainingFree ? iv(b.trainingFree.apgr) : 'n/a'}; mixes ${iv(b.singleModelMixes.apgr)}`,
      )
      const best = r.test.best
      console.log(
        `  per-item oracle (ceiling): ${pct(b.oracle.quality)} at $${b.oracle.cost.toPrecision(3)} (${pct(b.oracle.quality / best.quality)} of ${best.model.split('/').pop()}'s quality for ${pct(b.oracle.cost / best.cost)} of its cost); ${best.model.split('/').pop()} alone: ${pct(best.quality)} at $${best.cost.toPrecision(3)}`,
      )
      console.log(
        `  at half of ${r.strongest.split('/').pop()}'s cost: ${pctIv(r.test.qualityShareAtHalfBestCost)} of its quality; operating point: ${pct(op.qualityShare)} of its quality for ${pct(op.costShare)} of its cost (steps kept ${op.stepShares.map(v => pct(v, 0)).join(' / ')})`,
      )
      if (b.agreement)
        console.log(
          `  agreement baseline (${b.agreement.models.map(m => m.split('/').pop()).join(' + ')}): ${pctIv(b.agreement.quality)} at $${b.agreement.cost.value.toPrecision(3)}, APGR ${iv(b.agreement.apgr)}; cascade at its cost ${iv(b.agreement.cascadeLeadAtItsCost)} (quality points)`,
        )
      console.log(
        `  rate on test (fails where the strongest succeeds): ${r.guarantees.map(g => `α ${g.alpha} ${g.guarantee} ${pctIv(g.testRateInterval, 2)}`).join('; ')}`,
      )
    }
    const mean = k => rows.reduce((s, r) => s + r[k], 0) / rows.length
    const count = f => rows.filter(f).length
    console.log(
      `${task}, seeds ${from}–${to}: cascade APGR mean ${mean('apgr').toFixed(3)}, ex-ante ${mean('exAnte').toFixed(3)}, training-free cascade ${mean('trainingFree').toFixed(3)}, mixes of single models ${mean('mixes').toFixed(3)}, agreement baseline ${mean('agreeApgr').toFixed(3)}; cascade ahead in ${count(r => r.apgr > r.exAnte)} of ${rows.length} (lead's interval above 0 in ${count(r => r.lead.low > 0)}); ≥ 95% of the strongest's quality at half its cost in ${count(r => r.keptAtHalf >= 0.95)}; ahead of the agreement baseline at its cost in ${count(r => r.agreeLead > 0)}, on APGR in ${count(r => r.apgr > r.agreeApgr)}; rate ≤ α on test: α 0.05 marginal ${count(r => r.rates.m05 <= 0.05)}, high ${count(r => r.rates.h05 <= 0.05)}; α 0.1 marginal ${count(r => r.rates.m10 <= 0.1)}, high ${count(r => r.rates.h10 <= 0.1)}`,
    )
    const rateSummary = (k, alpha) => {
      const v = rows.map(r => r.rates[k]).filter(x => x !== undefined)
      return `${(Math.min(...v) * 100).toFixed(1)}–${(Math.max(...v) * 100).toFixed(1)}% (mean ${((v.reduce((a, b) => a + b, 0) / v.length) * 100).toFixed(1)}%) against α ${alpha}`
    }
    console.log(
      `  rate on test by seed: high-probability ${rateSummary('h05', 0.05)}, ${rateSummary('h10', 0.1)}; marginal ${rateSummary('m05', 0.05)}, ${rateSummary('m10', 0.1)}`,
    )
  }
  process.exit(0)
}

// Deciding one item at a time.
const source = dev ? 'routing-dev ARC-Challenge (RouterBench, with responses)' : 'fixtures/cascade'
const t = dev
  ? await table('arc-challenge')
  : await (async () => {
      const f = await readOutcomeTable(join(here, '../fixtures/cascade/outcomes.jsonl'), 'train')
      attachTexts(f.items, (await readTexts(join(here, '../fixtures/cascade/prompts.jsonl'))).texts)
      return f
    })()
const started = performance.now()
const {router} = trainCascade(t, {seed: 1, ...(dev ? {split} : {}), compare: false, resamples: 10, now: Date.now})
const trainSeconds = (performance.now() - started) / 1000
const cascade = loadRouter(router)
const chain = router.chain.map(s => s.model)
const cases = []
for (const item of t.items) {
  const observed = []
  for (let s = 0; s + 1 < chain.length; s++) {
    const k = item.models.indexOf(chain[s])
    if (k < 0 || item.responses?.[k] === undefined) break
    observed.push({model: chain[s], response: item.responses[k], signals: item.signals?.[k]})
    cases.push({s, item: {features: item.features, text: item.text}, observed: observed.slice()})
  }
}
const wanted = Number(option('decisions', 20000))
const times = [[], []]
let kept = 0
const cpu0 = process.cpuUsage()
const wall0 = performance.now()
for (let n = 0; n < Math.max(wanted, cases.length); n++) {
  const c = cases[n % cases.length]
  const t0 = performance.now()
  const decision = route(cascade, c.item, c.observed)
  times[c.s].push((performance.now() - t0) * 1000)
  if (decision.action === 'keep') kept++
}
const cpu = process.cpuUsage(cpu0)
const wall = performance.now() - wall0
const stats = v => {
  const s = [...v].sort((a, b) => a - b)
  return `median ${s[Math.floor(s.length / 2)].toFixed(1)} µs, mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(1)} µs, p99 ${s[Math.floor(s.length * 0.99)].toFixed(1)} µs (${s.length} decisions)`
}
console.log(`aco cascade bench — Node ${process.version}, data: ${source}`)
console.log(
  `trained in ${trainSeconds.toFixed(1)} s: ${chain.join(' → ')}; engines ${router.chain
    .filter(s => s.estimator)
    .map(s => s.estimator.estimator.engine)
    .join(', ')}`,
)
times.forEach((v, s) => {
  if (v.length > 0) console.log(`deciding after step ${s + 1} (${chain[s]}): ${stats(v)}`)
})
console.log(`all decisions: ${stats(times.flat())}; kept ${((kept / times.flat().length) * 100).toFixed(0)}%`)
const n = times.flat().length
console.log(
  `CPU time: ${((cpu.user + cpu.system) / n).toFixed(1)} µs per decision (wall ${((wall * 1000) / n).toFixed(1)} µs; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on this machine)`,
)
