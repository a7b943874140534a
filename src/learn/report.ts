/**
 * Words for a training result: evaluation.md (with the frontier chart) and
 * the compact summary `aco train` prints.
 */
import type {Objective} from './calibrate.js'
import {fmtCost} from './prose.js'
import type {TrainResult} from './result.js'

const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined ? 'never' : `${(v * 100).toFixed(digits)}%`
const usd = (v: number): string => `$${fmtCost(v)}`

function objectiveText(o: Objective): string {
  switch (o.kind) {
    case 'keep':
      return `the cheapest threshold keeping ${pct(o.keep, 0)} of the strongest model's quality`
    case 'alpha':
      return `conformal risk control at α = ${o.alpha}`
    case 'max-cost':
      return `the best quality within ${usd(o.maxCost)} per item`
    default:
      return o satisfies never
  }
}

function conformalLine(r: TrainResult): string {
  const c = r.conformal
  if (!c.available) return `Conformal bound at α = ${c.alpha}: not available — ${c.reason ?? ''}`
  return `Conformal bound at α = ${c.alpha} (n = ${c.n} calibration items): threshold ${c.threshold}, bound ${c.bound!.toFixed(4)} ≤ α; measured on test: ${pct(c.testRate, 2)} of items failed where ${r.strongest} succeeded (quality ${pct(c.test!.quality)} at ${usd(c.test!.cost)}).`
}

/** The summary `aco train` prints on stdout. */
export function renderTrainSummary(r: TrainResult): string {
  const t = r.test
  const op = r.operatingPoint
  const lines = [
    `Router: ${r.models.filter(m => m.candidate).length} candidate models (${r.rule} rule), trained on ${r.split.train} items, calibrated on ${r.split.calibration}, tested on ${t.items}.`,
    `APGR ${t.apgr.toFixed(3)} (random mix 0.500, mixes of single models ${t.baselines.singleModelMixes.apgr.toFixed(3)}); at half of ${r.strongest}'s cost: quality ${pct(t.qualityAtHalfBestCost)} (random mix ${pct(t.baselines.randomMix.qualityAtHalfBestCost)}).`,
    `Keeps 95% of ${r.strongest}'s quality at ${pct(t.costShareAt95)} of its cost, 100% at ${pct(t.costShareAt100)}.`,
    `Operating point (${objectiveText(op.objective)}${op.met ? '' : '; not met'}): quality ${pct(op.test.quality)} at ${usd(op.test.cost)} per item on test = ${pct(op.test.qualityShare)} of the quality for ${pct(op.test.costShare)} of the cost of ${r.strongest}.`,
    conformalLine(r),
    `Recommendation: ${r.recommendation.text}`,
  ]
  if (t.marginOverRandomMix && t.marginOverRandomMix.min < 0) {
    lines.push(
      `Warning: the frontier dips ${pct(-t.marginOverRandomMix.min, 2)} below the random mix at ${usd(t.marginOverRandomMix.atCost)} per item.`,
    )
  }
  return lines.join('\n')
}

/** evaluation.md: the whole evaluation for a reader who doubts it. */
export function renderEvaluationMarkdown(r: TrainResult, chartFile: string): string {
  const t = r.test
  const op = r.operatingPoint
  const out: string[] = []
  out.push('# Router evaluation', '')
  out.push(
    `${r.data.items} items (${r.data.lines} outcome lines, ${r.data.models} models, ${r.data.itemsWithText} with text). Splits grouped by item (${r.split.method === 'feature' ? 'test = the items the --test-where feature names, calibration carved from the rest' : 'random'}, seed ${r.split.seed}): ${r.split.train} train, ${r.split.calibration} calibration, ${r.split.test} test; ${r.split.incomplete.calibration + r.split.incomplete.test} calibration/test items lacked some model's outcome and are not scored.`,
    '',
    `The threshold grid and the operating point were chosen on the calibration split; every number below is measured on the ${t.items} scored test items, which neither training nor calibration saw.`,
    '',
  )
  out.push(`![cost–quality frontier](${chartFile})`, '')
  out.push('## Summary', '')
  out.push(`| measure | value |`, `| --- | --- |`)
  out.push(`| APGR (router) | ${t.apgr.toFixed(3)} |`)
  out.push(`| APGR (random mix of ${t.cheapest.model} and ${t.best.model}) | 0.500 |`)
  out.push(`| APGR (random mixes of single models) | ${t.baselines.singleModelMixes.apgr.toFixed(3)} |`)
  out.push(
    `| quality at half of ${t.best.model}'s cost | ${pct(t.qualityAtHalfBestCost)} (random mix: ${pct(t.baselines.randomMix.qualityAtHalfBestCost)}; mixes of single models: ${pct(t.baselines.singleModelMixes.qualityAtHalfBestCost)}) |`,
  )
  out.push(
    `| cost share keeping 95% / 100% of ${t.best.model}'s quality | ${pct(t.costShareAt95)} / ${pct(t.costShareAt100)} |`,
  )
  out.push(
    `| smallest lead over the random mix (strictly between the two models) | ${t.marginOverRandomMix ? `${(t.marginOverRandomMix.min * 100).toFixed(2)} points at ${usd(t.marginOverRandomMix.atCost)}` : 'n/a'} |`,
  )
  out.push(
    `| operating point | threshold ${op.threshold}: ${pct(op.test.quality)} at ${usd(op.test.cost)} per item (${pct(op.test.qualityShare)} of the quality, ${pct(op.test.costShare)} of the cost of ${t.best.model}) |`,
  )
  out.push('')
  out.push(
    `APGR is the area under the router's performance-gap-recovered curve, (quality − cheapest) / (best − cheapest), over cost normalised from ${t.cheapest.model}'s (0) to ${t.best.model}'s (1), as RouteLLM defines it. Between operating points the frontier is interpolated linearly (a random mix of two neighbouring thresholds reaches it in expectation).`,
    '',
  )
  out.push('## Operating point', '')
  out.push(
    `Chosen by ${objectiveText(op.objective)} on the calibration split${op.met ? '' : ` (not met: ${op.note ?? ''})`}: threshold ${op.threshold} of the ${r.rule} rule.`,
    '',
  )
  out.push(
    `| split | quality | cost per item | share of ${r.strongest}'s quality | share of its cost |`,
    '| --- | --- | --- | --- | --- |',
  )
  out.push(
    `| calibration | ${pct(op.calibration.quality)} | ${usd(op.calibration.cost)} | ${pct(op.calibration.qualityShare)} | ${pct(op.calibration.costShare)} |`,
  )
  out.push(
    `| test | ${pct(op.test.quality)} | ${usd(op.test.cost)} | ${pct(op.test.qualityShare)} | ${pct(op.test.costShare)} |`,
    '',
  )
  out.push('## Conformal guarantee', '', conformalLine(r), '')
  out.push(
    "The loss is 1 when the router's model fails on an item that the strongest model solves. The threshold is the cheapest whose calibration risk, made monotone along the grid and corrected for the finite sample (n/(n+1)·risk + 1/(n+1)), stays ≤ α. The guarantee is marginal: on average over calibration sets and new items drawn exchangeably with them. It does not hold item by item, and it breaks under drift (new kinds of items, changed models or prices) or when items are not exchangeable with the calibration items.",
    '',
  )
  out.push('## Recommendation', '', r.recommendation.text, '')
  const better = t.baselines.cascades.filter(c => c.quality >= op.test.quality && c.cost <= op.test.cost)
  if (better.length > 0) {
    const c = better.sort((a, b) => a.cost - b.cost)[0]!
    out.push(
      `A two-model cascade does at least as well on test: ${c.first}, then ${c.then} when the first fails (${pct(c.quality)} at ${usd(c.cost)} per item). It needs a check that tells when the first model's answer failed (tests, a validator), which these outcome tables know and a deployed agent may not.`,
      '',
    )
  }
  out.push('## Baselines (test split)', '')
  out.push('| policy | quality | cost per item | cost share |', '| --- | --- | --- | --- |')
  for (const s of [...t.baselines.singleModels].sort((a, b) => a.cost - b.cost)) {
    const cand = r.models.find(m => m.model === s.model)?.candidate
    out.push(
      `| ${s.model}${cand ? '' : ' (not a candidate: dominated on train)'} | ${pct(s.quality)} | ${usd(s.cost)} | ${pct(s.cost / t.best.cost)} |`,
    )
  }
  out.push(
    `| per-item oracle (ceiling) | ${pct(t.baselines.oracle.quality)} | ${usd(t.baselines.oracle.cost)} | ${pct(t.baselines.oracle.cost / t.best.cost)} |`,
  )
  out.push(
    `| router at its operating point | ${pct(op.test.quality)} | ${usd(op.test.cost)} | ${pct(op.test.costShare)} |`,
    '',
  )
  out.push('Two-model cascades (first model on every item, the second on its failures; they need a failure check):', '')
  out.push('| first → then | quality | cost per item |', '| --- | --- | --- |')
  for (const c of t.baselines.cascades) out.push(`| ${c.first} → ${c.then} | ${pct(c.quality)} | ${usd(c.cost)} |`)
  out.push('')
  out.push('## Router frontier (test split)', '')
  out.push(
    'Each row is one threshold; `aco route --sweep` returns the decisions at thresholds from this list, to check against ground truth.',
    '',
  )
  out.push('| threshold | quality | cost per item | cost share |', '| --- | --- | --- | --- |')
  for (const p of t.frontier)
    out.push(`| ${p.threshold} | ${pct(p.quality)} | ${usd(p.cost)} | ${pct(p.cost / t.best.cost)} |`)
  out.push('')
  out.push('## Calibration of the estimates (test split)', '')
  out.push(
    "Brier score of each candidate's P(success) against always predicting its training success rate (lower is better), then predicted vs observed success by bin.",
    '',
  )
  out.push('| model | Brier | Brier of base rate | bins: predicted → observed (count) |', '| --- | --- | --- | --- |')
  for (const rel of t.reliability) {
    const bins = rel.bins.map(b => `${b.predicted.toFixed(2)}→${b.observed.toFixed(2)} (${b.count})`).join(', ')
    out.push(`| ${rel.model} | ${rel.brier.toFixed(4)} | ${rel.brierBaseRate.toFixed(4)} | ${bins} |`)
  }
  out.push('')
  out.push('## Features', '')
  out.push(
    `${r.features.columns} columns: numeric ${r.features.numeric.join(', ') || 'none'}; one-hot ${r.features.categorical.join(', ') || 'none'}; ${r.features.text ? `text statistics (${r.features.text.stats.join(', ')}) and ${r.features.text.buckets} hashed word and bigram columns of the question` : 'no text'}.`,
    '',
  )
  if (r.features.ignored.length > 0) {
    out.push('Ignored:', '')
    for (const f of r.features.ignored) out.push(`- \`${f.name}\`: ${f.reason}`)
    out.push('')
  }
  if (r.skipped.length > 0) out.push(`${r.skipped.length} input lines were skipped (listed in evaluation.json).`, '')
  return out.join('\n')
}
