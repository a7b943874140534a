/**
 * Words for a cascade's training result: evaluation.md (the cascade, the
 * ex-ante router, the training-free cascade and every baseline on one
 * frontier, with the oracle) and the summary `aco train --cascade` prints.
 */
import type {Objective} from '../calibrate.js'
import {qualityAt, type Point} from '../evaluate.js'
import {pct, usd} from '../prose.js'
import {ALWAYS, NEVER} from './policy.js'
import type {CascadeTrainResult, Figure} from './result.js'

/** A figure to `digits` decimals, a negative one with a minus sign (not a hyphen), never `−0.000`. */
const fixed = (v: number, digits: number): string => {
  const text = v.toFixed(digits)
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace(/^-/, '−')
}
const num = (f: Figure | null | undefined, digits = 3): string =>
  f ? `${fixed(f.value, digits)} [${fixed(f.low, digits)}, ${fixed(f.high, digits)}]` : 'n/a'
const pctFig = (f: Figure | null | undefined, digits = 1): string =>
  f ? `${pct(f.value, digits)} [${pct(f.low, digits)}, ${pct(f.high, digits)}]` : 'n/a'
const short = (model: string): string => model.split('/').pop() ?? model

function objectiveText(o: Objective, r?: CascadeTrainResult): string {
  switch (o.kind) {
    case 'keep':
      return `the cheapest level keeping ${pct(o.keep, 0)} of the strongest model's quality`
    case 'alpha': {
      // (`--guarantee high` chose it by Learn-then-Test: the rate past α with probability at most δ.)
      const g = r?.guarantees.find(x => x.alpha === o.alpha)
      return g?.guarantee === 'high'
        ? `Learn-then-Test at α = ${o.alpha}, δ = ${g.delta}`
        : `conformal risk control at α = ${o.alpha}`
    }
    case 'max-cost':
      return `the best quality within ${usd(o.maxCost)} per item`
    default:
      return o satisfies never
  }
}

function thresholdText(t: number): string {
  return t <= ALWAYS ? 'always keep' : t >= NEVER ? 'never keep' : `keep at ≥ ${t.toFixed(3)}`
}

/** The chain as read aloud, with each step's threshold at the operating point. */
function chainText(r: CascadeTrainResult): string {
  const t = r.operatingPoint.thresholds
  return r.chain.models
    .map((m, s) => (s < t.length ? `${short(m)} (${thresholdText(t[s]!)})` : `${short(m)} (kept)`))
    .join(' → ')
}

/** The summary `aco train --cascade` prints on stdout. */
export function renderCascadeSummary(r: CascadeTrainResult): string {
  const t = r.test
  const op = r.operatingPoint
  const ex = t.baselines.exAnte
  const agree = t.baselines.agreement
  const lines = [
    `Cascade (${r.mode}): ${chainText(r)}; trained on ${r.split.train} items, calibrated on ${r.split.calibration - r.split.incomplete.calibration}, tested on ${t.items}${r.split.incomplete.calibration + r.split.incomplete.test ? ` (scored items: ${r.split.incomplete.calibration + r.split.incomplete.test} more lacked an outcome or a response the chain needs)` : ''}.`,
    `APGR ${num(t.apgr)} counting every model run${ex ? `; ex-ante router ${num(ex.apgr)}` : ''}; mixes of single models ${num(t.baselines.singleModelMixes.apgr)}.`,
    `At half of ${short(r.strongest)}'s cost: ${pctFig(t.qualityShareAtHalfBestCost)} of its quality.`,
    `Operating point (${objectiveText(op.objective, r)}${op.met ? '' : '; not met'}): quality ${pct(op.test.quality)} at ${usd(op.test.cost)} per item on test = ${pct(op.test.qualityShare)} of the quality for ${pct(op.test.costShare)} of the cost of ${short(r.strongest)}; answers kept at each step ${op.test.stepShares.map(v => pct(v, 0)).join(' / ')}.`,
    ...r.guarantees.map(
      g =>
        `Bound at α = ${g.alpha} (${g.guarantee}, n = ${g.n}): bound ${g.bound.toFixed(4)} ≤ α; measured on test ${pctFig(g.testRateInterval, 2)}.`,
    ),
    ...(r.warnings ?? []).map(w => `Warning: ${w}.`),
  ]
  if (agree) {
    lines.push(
      `Agreement baseline (${short(agree.models[0])} and ${short(agree.models[1])} agree, else ${short(agree.strongest)}): ${pct(agree.test.quality)} at ${usd(agree.test.cost)}; the cascade at that cost: ${signed(agree.cascadeLeadAtItsCost)}.`,
    )
  }
  return lines.join('\n')
}

function signed(f: Figure): string {
  const p = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}`
  return `${p(f.value)} points [${p(f.low)}, ${p(f.high)}]`
}

/** A policy drawn on the frontier: its name and its test points. */
interface Series {
  name: string
  points: Point[]
}

/** evaluation.md of a cascade. */
export function renderCascadeMarkdown(r: CascadeTrainResult, chartFile: string): string {
  const t = r.test
  const op = r.operatingPoint
  const b = t.baselines
  const out: string[] = []
  out.push('# Cascade evaluation', '')
  out.push(
    `${r.data.items} items (${r.data.lines} outcome lines, ${r.data.models} models; ${r.data.linesWithResponse} lines with a response, ${r.data.linesWithSignals} with signals). Splits grouped by item (${r.split.method === 'feature' ? 'test = the items the --test-where feature names, calibration carved from the rest' : 'random'}, seed ${r.split.seed}): ${r.split.train} train, ${r.split.calibration} calibration, ${r.split.test} test; ${r.split.incomplete.calibration + r.split.incomplete.test} calibration/test items lacked some model's outcome or a response the chain needs and are not scored.`,
    '',
    `The chain, its estimators and the path of thresholds were chosen on the training split; the operating point, the bounds and the levels of the frontier on the calibration split. Every figure below is measured on the ${t.items} scored test items at those fixed levels, with 95% bootstrap intervals over test items in brackets. A cascade's cost on an item is the sum over every model it ran.`,
    '',
  )
  out.push('## The cascade', '')
  out.push(
    `Mode: ${r.mode === 'learned' ? 'learned estimators' : 'training-free (one signal)'}. Chain at the operating point: ${chainText(r)}.`,
    '',
  )
  out.push(
    '| step | model | trained on | needs its response | signals | Brier (calibration) | Brier of base rate |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  )
  r.steps.forEach((s, k) => {
    out.push(
      `| ${k + 1} | ${s.model} | ${s.trainItems > 0 ? `${s.trainItems} items` : '—'} | ${s.needsResponse ? 'yes' : 'no'} | ${s.signals.join(', ') || '—'} | ${s.calibration ? s.calibration.brier.toFixed(4) : '—'} | ${s.calibration ? s.calibration.brierBaseRate.toFixed(4) : '—'} |`,
    )
  })
  out.push('')
  if (r.chain.ranking.length > 1) {
    // (A chain given with --chain is not the screening's first: the ranking is then what it would have chosen from.)
    const given = r.chain.ranking[0]!.models.join('\u0000') !== r.chain.models.join('\u0000')
    out.push(
      `${given ? `The chain was given (--chain: ${r.chain.models.map(short).join(' → ')}); the chains the screening ranked first on the training split` : 'Chains considered on the training split'} (screening APGR, best first): ${r.chain.ranking
        .slice(0, 5)
        .map(c => `${c.models.map(short).join(' → ')} ${fixed(c.apgr, 3)}`)
        .join('; ')}.`,
      '',
    )
  }
  out.push('## Summary (test split)', '')
  out.push('| policy | APGR | quality at half of the best model’s cost |', '| --- | --- | --- |')
  out.push(
    `| cascade (${r.chain.models.map(short).join(' → ')}) | ${num(t.apgr)} | ${pctFig(t.qualityAtHalfBestCost)} |`,
  )
  if (b.exAnte)
    out.push(
      `| ex-ante router (same split) | ${num(b.exAnte.apgr)} | ${pct(qualityAt(b.exAnte.curve, t.best.cost / 2))} |`,
    )
  if (b.trainingFree)
    out.push(
      `| training-free cascade (${b.trainingFree.chain.map(short).join(' → ')}) | ${num(b.trainingFree.apgr)} | ${pct(qualityAt(b.trainingFree.curve, t.best.cost / 2))} |`,
    )
  if (b.agreement)
    out.push(
      `| agreement baseline (${short(b.agreement.models[0])} + ${short(b.agreement.models[1])}, else ${short(b.agreement.strongest)}) | ${num(b.agreement.apgr)} | — |`,
    )
  out.push(
    `| mixes of single models (hull chosen on training: ${b.singleModelMixes.models.map(short).join(', ')}) | ${num(b.singleModelMixes.apgr)} | — |`,
  )
  out.push(`| random mix of ${short(t.cheapest.model)} and ${short(t.best.model)} | 0.500 | — |`, '')
  if (t.leadOverExAnte)
    out.push(`Cascade APGR minus the ex-ante router's, paired over the same draws: ${num(t.leadOverExAnte)}.`, '')
  out.push(
    `APGR is the area under the performance-gap-recovered curve, (quality − ${short(t.cheapest.model)}'s) / (${short(t.best.model)}'s − ${short(t.cheapest.model)}'s), over cost normalised from ${short(t.cheapest.model)}'s (0) to ${short(t.best.model)}'s (1), interpolated between the levels fixed on calibration; below a policy's cheapest point it counts 0. ${short(t.best.model)} on test: ${pct(t.best.quality)} at ${usd(t.best.cost)} per item.`,
    '',
  )

  if (b.agreement) {
    const a = b.agreement
    out.push('## Beside the simplest post-hoc baseline', '')
    out.push(
      `Run ${a.models[0]} and ${a.models[1]} (the pair chosen on the training split); keep their answer when the two give the same one, else run ${a.strongest}. On test: ${pctFig(a.quality)} at ${usd(a.cost.value)} [${usd(a.cost.low)}, ${usd(a.cost.high)}] per item. The cascade at that cost: ${signed(a.cascadeLeadAtItsCost)} against it; it reaches the baseline's quality at ${a.cascadeCostAtItsQuality === null ? 'no cost on its curve' : `${usd(a.cascadeCostAtItsQuality)} per item`}.`,
      '',
    )
  }

  out.push('## Operating point and guarantees', '')
  out.push(
    `Chosen by ${objectiveText(op.objective, r)} on the calibration split${op.met ? '' : ` (not met: ${op.note ?? ''})`}: level ${op.level} of the path.`,
    '',
  )
  for (const w of r.warnings ?? []) out.push(`**Warning:** ${w}.`, '')
  out.push(
    `| split | quality | cost per item | share of ${short(r.strongest)}'s quality | share of its cost | answers kept per step |`,
    '| --- | --- | --- | --- | --- | --- |',
  )
  for (const [name, p] of [
    ['calibration', op.calibration],
    ['test', op.test],
  ] as const)
    out.push(
      `| ${name} | ${pct(p.quality)} | ${usd(p.cost)} | ${pct(p.qualityShare)} | ${pct(p.costShare)} | ${p.stepShares.map(v => pct(v, 0)).join(' / ')} |`,
    )
  out.push('')
  out.push(
    '| α | bound | n | level | calibration risk | bound held | measured on test |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  )
  for (const g of r.guarantees)
    out.push(
      `| ${g.alpha} | ${g.guarantee}${g.delta ? ` (δ = ${g.delta})` : ''} | ${g.n} | ${g.level} | ${pct(g.calibrationRisk, 2)} | ${g.bound.toFixed(4)} | ${pctFig(g.testRateInterval, 2)} |`,
    )
  out.push('')
  // (Each kind of bound the table lists, said as what it is: a trial read "the guarantee is marginal" under a level
  // Learn-then-Test had chosen.)
  const kinds = new Set(r.guarantees.map(g => g.guarantee))
  out.push(
    [
      `The loss is 1 when the cascade's kept answer fails on an item that ${short(r.strongest)} solves; it is made monotone along the path.`,
      ...(kinds.has('marginal') || kinds.size === 0
        ? [
            'The marginal bound takes the cheapest level whose calibration risk, corrected for the finite sample (n/(n+1)·risk + 1/(n+1)), stays ≤ α: on average over calibration sets and new items drawn exchangeably with them the rate is at most α, with no slack, so a single split can land above α.',
          ]
        : []),
      ...(kinds.has('high')
        ? [
            'The high-probability bound (Learn-then-Test, fixed-sequence along the path from its strong end, binomial tail for 0/1 losses) takes the cheapest level whose calibration risk is shown below α at level δ: the rate exceeds α with probability at most δ over calibration draws.',
          ]
        : []),
      `${kinds.size > 1 ? 'Both break' : 'It breaks'} under drift (new kinds of items, changed models or prompts) or when items are not exchangeable with the calibration items.`,
    ].join(' '),
    '',
  )

  out.push('## One frontier (test split)', '')
  out.push(`![cost–quality frontier](${chartFile})`, '')
  out.push(
    `Quality of each policy at a given cost, along its curve (levels fixed on calibration, interpolated between them; — below its cheapest point), and which is best there. Costs are shares of ${short(t.best.model)}'s.`,
    '',
  )
  const series: Series[] = [{name: 'cascade', points: t.curve}]
  if (b.exAnte) series.push({name: 'ex-ante router', points: b.exAnte.curve})
  if (b.trainingFree) series.push({name: 'training-free cascade', points: b.trainingFree.curve})
  const hull = b.singleModelMixes.models
    .map(m => b.singleModels.find(s => s.model === m))
    .filter((p): p is Point & {model: string} => p !== undefined)
  series.push({name: 'mixes of single models', points: hull})
  out.push(
    `| cost share | ${series.map(s => s.name).join(' | ')} | best here |`,
    `| --- | ${series.map(() => '---').join(' | ')} | --- |`,
  )
  for (const shareOfBest of [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1]) {
    const cost = shareOfBest * t.best.cost
    const qs = series.map(s => qualityAt(s.points, cost))
    let win = -1
    qs.forEach((q, k) => {
      if (q !== undefined && (win < 0 || q > qs[win]! + 1e-12)) win = k
    })
    out.push(
      `| ${pct(shareOfBest, 0)} (${usd(cost)}) | ${qs.map(q => (q === undefined ? '—' : pct(q))).join(' | ')} | ${win >= 0 ? series[win]!.name : '—'} |`,
    )
  }
  out.push('')
  out.push('Single points on the same split:', '')
  out.push('| policy | quality | cost per item | cost share |', '| --- | --- | --- | --- |')
  const marks: Array<{policy: string; p: Point}> = b.singleModels.map(s => ({policy: s.model, p: s}))
  if (b.agreement) marks.push({policy: 'agreement baseline', p: b.agreement.test})
  marks.push({policy: 'cascade at its operating point', p: op.test})
  marks.push({policy: 'per-item oracle (ceiling)', p: b.oracle})
  marks.sort((x, y) => x.p.cost - y.p.cost)
  for (const m of marks)
    out.push(`| ${m.policy} | ${pct(m.p.quality)} | ${usd(m.p.cost)} | ${pct(m.p.cost / t.best.cost)} |`)
  out.push('')
  if (r.skipped.length > 0) out.push(`${r.skipped.length} input lines were skipped (listed in evaluation.json).`, '')
  return out.join('\n')
}
