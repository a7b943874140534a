/**
 * Words for a training result: evaluation.md (with the frontier chart) and
 * the compact summary `aco train` prints. Every test figure is printed with
 * its 95% bootstrap interval and says which split it comes from.
 */
import type {Objective} from './calibrate.js'
import {
  apgrText,
  NOT_LIKE_CALIBRATION,
  objectiveText,
  pct,
  pctInterval,
  points,
  thresholdText,
  usd,
  usdInterval,
} from './prose.js'
import type {BoundReport, ConformalReport, TrainResult} from './result.js'

function engineText(r: TrainResult): string {
  const c = r.engine.chosen
  if (c === 'constant') return 'base rates (no engine beat them)'
  return c.length === 1 ? c[0]! : `${c.join(' + ')} averaged`
}

function operatingText(o: Objective, guarantee: string): string {
  return o.kind === 'alpha' ? `${objectiveText(o)}, ${guarantee} bound` : objectiveText(o)
}

function boundLine(name: string, c: ConformalReport, b: BoundReport | undefined, reason?: string): string {
  if (!b) return `${name}: not available${reason ? ` — ${reason}` : ''}`
  const over = b.testRate.value > c.alpha ? ' — above α on this test split' : ''
  return `${name}: threshold ${thresholdText(b.threshold)}, bound ${b.bound.toFixed(4)} on ${c.n} calibration items (calibration rate ${pct(b.calibrationRisk, 2)}); on test ${pctInterval(b.testRate)} of items failed where the strongest model succeeded${over} (quality ${pct(b.test.quality)} at ${usd(b.test.cost)}).`
}

function conformalLines(r: TrainResult): string[] {
  const c = r.conformal
  if (!c.available) return [`Bounds at α = ${c.alpha}: not available — ${c.reason ?? ''}`]
  return [
    `Bounds at α = ${c.alpha}:`,
    `  ${boundLine('marginal (E[rate] ≤ α)', c, c.marginal)}`,
    `  ${boundLine(`high-probability (P(rate > α) ≤ δ = ${c.delta})`, c, c.high, c.highReason)}`,
  ]
}

/** The summary `aco train` prints on stdout. */
export function renderTrainSummary(r: TrainResult): string {
  const t = r.test
  const op = r.operatingPoint
  const lines = [
    `Router: ${r.models.filter(m => m.candidate).length} candidate model${r.models.filter(m => m.candidate).length === 1 ? '' : 's'} (${r.rule} rule, estimator: ${engineText(r)}), trained on ${r.split.train} items, calibrated on ${r.split.calibration}${r.conformal.n !== undefined && r.conformal.n !== r.split.calibration ? ` (${r.conformal.n} of them with every model's outcome, which the bounds read)` : ''}, tested on ${t.items}.`,
    `APGR on test at the sweep thresholds (fixed on calibration): ${apgrText(t.apgr)}; mixes of single models chosen on train ${apgrText(t.baselines.trainChosenMix.apgr)}; random mix 0.500; router minus mixes ${Number.isFinite(t.leadOverMix.value) ? `${signed(t.leadOverMix.value)} (${signed(t.leadOverMix.low)} to ${signed(t.leadOverMix.high)})` : 'not defined'}.`,
    `At half of ${r.strongest}'s cost: quality ${t.qualityAtHalfBestCost ? pctInterval(t.qualityAtHalfBestCost) : 'n/a'} (random mix ${pct(t.baselines.randomMix.qualityAtHalfBestCost)}).`,
    `Operating point (${operatingText(op.objective, r.conformal.guarantee)}${op.met ? '' : '; not met on calibration'}): on test quality ${pctInterval(op.test.intervals.quality)} at ${usdInterval(op.test.intervals.cost)} per item, saving ${pctInterval(op.test.intervals.saving)} of ${r.strongest}'s cost.`,
    ...conformalLines(r),
    `Recommendation: ${r.recommendation.text}`,
  ]
  for (const w of r.warnings) lines.push(`Warning: ${w.message}`)
  return lines.join('\n')
}

function signed2(v: number): string {
  if (!Number.isFinite(v)) return 'n/a'
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`
}

function signed(v: number): string {
  if (!Number.isFinite(v)) return 'n/a'
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`
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
    `The estimator, the threshold grid, the sweep thresholds, the operating point, the bounds and the recommendation were chosen on the calibration split; the baselines' models on the training split. Every figure below marked "test" is measured on the ${t.items} scored test items, which none of those choices saw, with a 95% bootstrap interval over test items (400 draws).`,
    '',
  )
  if (r.warnings.length > 0) {
    out.push('## Warnings', '')
    for (const w of r.warnings) out.push(`- **${w.kind}**: ${w.message}`)
    out.push('')
  }
  out.push(`![cost–quality frontier](${chartFile})`, '')
  out.push('## Summary (test split)', '')
  out.push('| measure | value (95% interval) |', '| --- | --- |')
  out.push(`| APGR of the router at the sweep thresholds | ${apgrText(t.apgr)} |`)
  out.push(
    `| APGR of mixes of single models chosen on train (${t.baselines.trainChosenMix.models.join(', ')}) | ${apgrText(t.baselines.trainChosenMix.apgr)} |`,
  )
  out.push(
    `| router minus those mixes | ${signed(t.leadOverMix.value)} (${signed(t.leadOverMix.low)} to ${signed(t.leadOverMix.high)}) |`,
  )
  // (One model both the cheapest and the best: no mix of two, trial 123 read "the random mix of gpt-5.3-codex and
  // gpt-5.3-codex".)
  const oneModel = t.cheapest.model === t.best.model
  out.push(
    oneModel
      ? `| APGR of a random mix of the cheapest and the best model | n/a: ${t.best.model} is both on test |`
      : `| APGR of the random mix of ${t.cheapest.model} and ${t.best.model} | 0.500 |`,
  )
  out.push(
    `| quality at half of ${t.best.model}'s cost | ${t.qualityAtHalfBestCost ? pctInterval(t.qualityAtHalfBestCost) : 'n/a'}; random mix ${pct(t.baselines.randomMix.qualityAtHalfBestCost)} |`,
  )
  out.push(
    `| cost share keeping 95% / 100% of ${t.best.model}'s quality | ${pct(t.costShareAt95)} / ${pct(t.costShareAt100)} |`,
  )
  out.push(
    `| smallest lead over the random mix (strictly between the two models) | ${t.marginOverRandomMix ? `${(t.marginOverRandomMix.min * 100).toFixed(2)} points at ${usd(t.marginOverRandomMix.atCost)}` : 'n/a'} |`,
  )
  out.push('')
  out.push(
    `APGR is the area under the performance-gap-recovered curve, (quality − cheapest) / (best − cheapest), over cost normalised from ${oneModel ? `the cheapest model's (0) to the best one's (1), as RouteLLM defines it; here ${t.best.model} is both, and it is not defined` : `${t.cheapest.model}'s (0) to ${t.best.model}'s (1), as RouteLLM defines it`}. The router's curve runs through its test points at the sweep thresholds (the calibration frontier's, what \`aco route --sweep\` returns), in that order and with its dips: no point is chosen on test. Between points it is linear (a random mix of two neighbouring thresholds reaches it in expectation).`,
    '',
  )
  out.push('## Engines', '')
  out.push(`Asked: ${r.engine.asked}. Chosen: ${engineText(r)}. ${r.engine.reason}.`, '')
  out.push(
    '| engine | calibration: pairwise Brier (SE vs the average) | calibration: Brier skill, log-loss | test: pairwise Brier | test: Brier skill, log-loss | APGR alone (test) |',
    '| --- | --- | --- | --- | --- | --- |',
  )
  for (const e of r.engine.engines) {
    out.push(
      `| ${e.engine} | ${e.calibration.pairBrier.toFixed(4)} (${signed2(e.calibration.versusAverage)}) | ${e.calibration.brierSkill.toFixed(3)}, ${e.calibration.logLoss.toFixed(4)} | ${e.test.pairBrier.toFixed(4)} | ${e.test.brierSkill.toFixed(3)}, ${e.test.logLoss.toFixed(4)} | ${apgrText(e.apgr)} |`,
    )
  }
  const avg = r.engine.average
  if (avg)
    out.push(
      `| average of ${avg.members.join(' and ')} (the default) | ${avg.calibration.pairBrier.toFixed(4)} | ${avg.calibration.brierSkill.toFixed(3)}, ${avg.calibration.logLoss.toFixed(4)} | | | |`,
    )
  out.push('')
  out.push(
    'The pairwise Brier score is the mean over items and pairs of candidates of ((p_b − p_a) − (y_b − y_a))²: how well the estimates tell which of two models does better on an item, which is what routing decides. Brier skill is 1 − Brier / Brier of the training base rate (above 0 beats the base rate). Per model, on calibration:',
    '',
  )
  out.push('| engine | model | Brier skill | log-loss |', '| --- | --- | --- | --- |')
  for (const e of r.engine.engines)
    for (const m of e.calibration.models)
      out.push(`| ${e.engine} | ${m.model} | ${m.brierSkill.toFixed(3)} | ${m.logLoss.toFixed(4)} |`)
  out.push('')
  out.push('## Operating point', '')
  out.push(
    `Chosen on the calibration split to ${operatingText(op.objective, r.conformal.guarantee)}${op.met ? '' : ` (not met: ${op.note ?? ''})`}: threshold ${thresholdText(op.threshold)} of the ${r.rule} rule.`,
    '',
  )
  out.push(
    `| split | quality | cost per item | saving against ${r.strongest} | quality lost |`,
    '| --- | --- | --- | --- | --- |',
  )
  out.push(
    `| calibration | ${pct(op.calibration.quality)} | ${usd(op.calibration.cost)} | ${pct(1 - op.calibration.costShare)} | ${op.calibration.qualityShare > 0 ? points(op.calibration.quality / op.calibration.qualityShare - op.calibration.quality) : 'n/a'} |`,
  )
  out.push(
    `| test | ${pctInterval(op.test.intervals.quality)} | ${usdInterval(op.test.intervals.cost)} | ${pctInterval(op.test.intervals.saving)} | ${points(op.test.intervals.qualityLoss.value)} (${points(op.test.intervals.qualityLoss.low)} to ${points(op.test.intervals.qualityLoss.high)}) |`,
    '',
  )
  out.push('## Bounds on the quality lost', '')
  out.push(...conformalLines(r).map(l => l.replace(/^ {2}/, '- ')), '')
  out.push(
    "The loss of an item is 1 when the router's model fails on an item that the strongest model solves. Along the grid each item's loss is made monotone from the strong end. The marginal bound takes the cheapest threshold whose calibration risk, corrected for the finite sample (n/(n+1)·risk + 1/(n+1)), stays ≤ α: on average over calibration sets and new items the rate is at most α, with no slack, so a single split often lands above α. The high-probability bound (Learn-then-Test, fixed-sequence from the strong end, binomial tail for 0/1 losses and Hoeffding–Bentkus otherwise) takes the cheapest threshold whose calibration risk is shown below α at level δ: the rate exceeds α with probability at most δ over calibration draws. Both break under drift (new kinds of items, changed models or prices) or when items are not exchangeable with the calibration items.",
    '',
  )
  const c = r.conformal
  for (const [name, b] of [
    ['marginal', c.marginal],
    ['high-probability', c.high],
  ] as const) {
    if (b && b.testRate.value > c.alpha && b.testRate.low > c.alpha && r.split.method === 'feature') {
      // (Beyond the test split's noise on a split picked by a column: its items are another kind, trial 110's held-out
      // task; on a random split the calibration draw's noise is left out of the interval, review 111.)
      out.push(
        `**The measured test rate at the ${name} bound's threshold, ${pct(b.testRate.value, 2)} (95% interval ${pct(b.testRate.low, 2)} to ${pct(b.testRate.high, 2)}), is above α = ${c.alpha} beyond this split's noise:** ${NOT_LIKE_CALIBRATION}.`,
        '',
      )
    } else if (b && b.testRate.value > c.alpha) {
      out.push(
        name === 'marginal'
          ? `**The measured test rate at the marginal bound's threshold, ${pct(b.testRate.value, 2)}, is above α = ${c.alpha}.** The marginal bound holds on average over calibration draws, not for each split: with ${c.n} calibration items and ${t.items} test items a rate up to ${pct(b.testRate.high, 2)} is within this split's noise.${c.guarantee === 'high' ? '' : ` If the rate must stay under α on this deployment, use \`--guarantee high\` (the high-probability bound's threshold measured ${c.high ? pct(c.high.testRate.value, 2) : 'n/a'} here);`} If it persists over fresh data, suspect drift.`
          : `**The measured test rate at the high-probability bound's threshold, ${pct(b.testRate.value, 2)}, is above α = ${c.alpha}.** This should happen on at most a share δ = ${c.delta} of calibration draws (plus the test split's own noise: 95% interval ${pct(b.testRate.low, 2)} to ${pct(b.testRate.high, 2)}); if it recurs, suspect drift between calibration and test.`,
        '',
      )
    }
  }
  out.push('## Recommendation', '', r.recommendation.text, '')
  for (const w of r.recommendation.warnings) out.push(`> Warning: ${w}`, '')
  out.push(`The rule: ${r.recommendation.rule}`, '')
  out.push(
    '| policy | eligible on calibration | calibration: quality, cost, rate vs strongest | test: quality, cost, rate vs strongest | note |',
    '| --- | --- | --- | --- | --- |',
  )
  for (const row of r.recommendation.table) {
    out.push(
      `| ${row.label === r.recommendation.label ? `**${row.label}**` : row.label} | ${row.eligible ? 'yes' : 'no'} | ${pct(row.calibration.quality)}, ${usd(row.calibration.cost)}, ${pct(row.calibration.risk)} | ${pct(row.test.quality)}, ${usd(row.test.cost)}, ${pct(row.test.risk)} | ${row.note ?? (row.label === r.recommendation.label ? 'recommended' : '')} |`,
    )
  }
  out.push('')
  const better = t.baselines.cascades.filter(cs => cs.quality >= op.test.quality && cs.cost <= op.test.cost)
  if (better.length > 0) {
    const cs = better.sort((a, b) => a.cost - b.cost)[0]!
    out.push(
      `A two-model cascade does at least as well on test: ${cs.first}, then ${cs.then} when the first fails (${pct(cs.quality)} at ${usd(cs.cost)} per item). It needs a check that tells when the first model's answer failed (tests, a validator), which these outcome tables know and a deployed agent may not.`,
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
    `| router at its operating point | ${pct(op.test.quality)} | ${usd(op.test.cost)} | ${pct(op.test.costShare)} |`,
    '',
  )
  out.push('Two-model cascades (first model on every item, the second on its failures; they need a failure check):', '')
  out.push('| first → then | quality | cost per item |', '| --- | --- | --- |')
  for (const cs of t.baselines.cascades) out.push(`| ${cs.first} → ${cs.then} | ${pct(cs.quality)} | ${usd(cs.cost)} |`)
  out.push('')
  out.push('## Router at the sweep thresholds (test split)', '')
  out.push(
    'Each row is one threshold of the calibration frontier; `aco route --sweep` returns the decisions at these thresholds, to check against ground truth. (evaluation.json also lists every grid threshold under `test.curve`.)',
    '',
  )
  out.push('| threshold | quality | cost per item | cost share |', '| --- | --- | --- | --- |')
  for (const p of t.sweep)
    out.push(`| ${thresholdText(p.threshold)} | ${pct(p.quality)} | ${usd(p.cost)} | ${pct(p.cost / t.best.cost)} |`)
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
    for (const f of r.features.ignored)
      out.push(
        `- ${f.name}: ${f.reason}${f.value === undefined ? '' : ` (always ${typeof f.value === 'string' ? `"${f.value}"` : f.value})`}`,
      )
    out.push('')
  }
  if (r.skipped.length > 0) out.push(`${r.skipped.length} input lines were skipped (listed in evaluation.json).`, '')
  return out.join('\n')
}
