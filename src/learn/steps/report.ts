/**
 * evaluation.md of a per-step router: how well it predicts people's labels
 * held out (AUC, Brier, reliability against the base rate, per tier and per
 * source of label), where it stands on the cost–quality frontier beside the
 * simple policies, the bound, the projected saving with its assumption, and
 * the rules. Every figure is scored on trace groups the model that made the
 * estimate never saw. Pure: a result in, Markdown out.
 */
import {thresholdWords} from './router.js'
import type {StepTrainResult} from './train.js'
import type {Calibration} from './metrics.js'

const pct = (v: number, digits = 1): string => (Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '—')
const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '—')
/** An interval's ends, or "not defined" where they are none (trial 87 read "—–—"). */
const interval = (i: {low: number; high: number}): string =>
  Number.isFinite(i.low) && Number.isFinite(i.high) ? `${f3(i.low)}–${f3(i.high)}` : 'not defined'
/** Dollars, a negative figure with a minus sign before its dollar sign (−$64.48, not $-64.48: trial 121). */
const usd = (v: number): string => (v < 0 ? `−$${(-v).toFixed(2)}` : `$${v.toFixed(2)}`)

function reliabilityTable(c: Calibration): string[] {
  const out = ['| predicted bin | steps | mean predicted | observed | gap |', '|---|---:|---:|---:|---:|']
  for (const b of c.bins)
    out.push(
      `| ${b.from.toFixed(1)}–${b.to.toFixed(1)} | ${b.count} | ${f3(b.predicted)} | ${f3(b.observed)} | ${f3(Math.abs(b.predicted - b.observed))}${b.count >= c.minBin ? '' : ` (fewer than ${c.minBin})`} |`,
    )
  out.push(
    `Base rate ${f3(c.rate)}; Brier ${f3(c.brier)} vs ${f3(c.brierBaseRate)} for the training base rate (skill ${f3(c.skill)}); largest gap in a bin of ≥ ${c.minBin} steps: ${f3(c.worstGap)}.`,
  )
  return out
}

/** The Markdown evaluation of a per-step router. */
export function renderStepEvaluation(r: StepTrainResult): string {
  const out: string[] = []
  const ns = r.needsStronger
  out.push('# Per-step router: evaluation', '')
  out.push(
    `${r.data.llmSteps} LLM steps; ${r.data.labelledSteps} labelled in ${r.data.traceGroups} trace groups. Held out by ${r.split.method} (${r.split.folds} folds, seed ${r.split.seed}): every estimate below comes from a router that saw no step of the estimated step's trace group (a trace, its subagents, and every other run of its task or source file).`,
    '',
  )
  out.push(`Labels used for training: ${r.sources.used.join(', ')} (${r.sources.reason}).`, '')
  out.push(
    `Features: ${r.features.used.join(', ')}${r.features.text ? ', hashed instruction text' : ''} (${r.features.mode}). Engine: ${Array.isArray(r.engine.chosen) ? r.engine.chosen.join(' + ') : 'base rates'} (${r.engine.reason}).`,
    '',
  )
  out.push('## Needs the stronger model (people’s labels)', '')
  out.push(
    `AUC of P(the cheapest tier is not enough) for \`needs-stronger-model\`: **${f3(ns.auc.value)}** (95% interval over trace groups ${interval(ns.auc)}), ${ns.positives} of ${ns.steps} steps.${ns.aucWithoutAction ? ` Without \`action\` (the kind of call the step makes, which a router knows beforehand only when the agent fixes the tool before calling the model): ${f3(ns.aucWithoutAction.value)} (${interval(ns.aucWithoutAction)}).` : ''}`,
    '',
  )
  out.push('Reliability of the cheapest tier’s estimates against people’s labels:', '')
  out.push(...reliabilityTable(ns.cheapest), '')
  out.push('## Per tier (every label that speaks of the tier)', '')
  out.push(
    '| tier | model | labelled steps ran there | labels of steps run above: it would have done / would not | AUC | Brier | base-rate Brier | worst gap (bins ≥ 20) |',
  )
  out.push('|---|---|---:|---:|---:|---:|---:|---:|')
  r.tiers.forEach((t, k) => {
    const down =
      k < r.tiers.length - 1
        ? `${t.evidenceDown}${t.supported ? '' : ' (too few: no saving projected)'} / ${t.evidenceDownNot}`
        : '—'
    out.push(
      `| ${t.name} | ${t.model} | ${t.labelledSteps} | ${down} | ${f3(t.heldOut.auc)} | ${f3(t.heldOut.brier)} | ${f3(t.heldOut.brierBaseRate)} | ${f3(t.heldOut.worstGap)} |`,
    )
  })
  out.push('', '## Per source of label', '')
  out.push('| source | rows | AUC | Brier | base-rate Brier |', '|---|---:|---:|---:|---:|')
  for (const s of r.bySource)
    out.push(
      `| ${s.source} | ${s.rows} | ${f3(s.heldOut.auc)} | ${f3(s.heldOut.brier)} | ${f3(s.heldOut.brierBaseRate)} |`,
    )
  const f = r.frontier
  out.push('', '## Cost–quality frontier, held out', '')
  const people = Object.values(r.data.labels.person ?? {}).some(n => n > 0)
  out.push(
    `${f.steps} labelled steps scored (${people ? "people's labels" : 'every source of label: no person labelled a step'}), in ${f.traceGroups} trace groups (${f.unpriced} left out: not priceable on every tier; ${f.silent} whose label says nothing of any tier, \`wasted\`). Cost: each step's tokens at the model of the tier it is sent to. "Not enough": the share of steps sent to a tier their label does not say is enough (\`needs-stronger-model\` on the tier that ran it or a cheaper one; \`fine\` below the tier that ran it, which it says nothing of). Intervals: 95% bootstrap over trace groups.`,
    '',
  )
  if (f.steps === 0) out.push('No labelled step to score: no figure of cost or quality is defined.')
  else
    out.push(
      '| policy | cost | cost share of always-strongest | not enough | interval | router at the same cost |',
      '|---|---:|---:|---:|---|---:|',
    )
  for (const b of f.steps === 0 ? [] : [...f.baselines, f.router])
    out.push(
      `| ${b.policy === 'router' ? `**router** (threshold ${thresholdWords(b.threshold ?? 0, r.operatingPoint.escalate)})` : b.policy} | ${usd(b.costUsd)} | ${pct(b.costShare)} | ${pct(b.notEnough)} | ${pct(b.notEnoughInterval.low)}–${pct(b.notEnoughInterval.high)} | ${b.routerAtSameCost !== undefined ? pct(b.routerAtSameCost) : ''} |`,
    )
  out.push(
    '',
    `Mean quality (1 − not enough) over cost shares from always-cheapest to always-strongest: router ${f3(f.area.router)}, random mix of the two ${f3(f.area.randomMix)}. The rule by tool kind is fixed in advance (reading, searching, planning, running, testing, installing, submitting → cheapest; the rest → strongest), not fitted.`,
    '',
  )
  out.push('## The bound', '')
  if (f.bound)
    out.push(
      f.bound.bound <= f.bound.alpha
        ? `Conformal risk control with the trace group as the unit (${f.bound.groups} groups, ${f.bound.guarantee}): threshold ${thresholdWords(f.bound.threshold, r.operatingPoint.escalate)}, calibration risk ${pct(f.bound.risk)}, bound ${pct(f.bound.bound)} ≤ α = ${f.bound.alpha}. ${f.bound.note}.`
        : `Conformal risk control with the trace group as the unit (${f.bound.groups} groups, ${f.bound.guarantee}): **not met at any threshold**: even with no step moved (the steps as they ran), the bound is ${pct(f.bound.bound)} > α = ${f.bound.alpha} (calibration risk ${pct(f.bound.risk)}), so the router moves no step. ${f.bound.note}.`,
    )
  else out.push(r.operatingPoint.note ?? 'No bound: too few labelled trace groups for α.')
  for (const m of r.operatingPoint.measured)
    out.push(
      '',
      `A threshold chosen on ${m.chosenOn} steps of half the groups (${thresholdWords(m.threshold, r.operatingPoint.escalate)}) sent ${pct(m.rate)} of the ${m.measuredOn} steps of the other half to a tier that was not enough.`,
    )
  out.push('', '## Projected saving on the cards', '')
  const p = r.projected
  out.push(
    `Routing every LLM step of the cards at the operating point: ${usd(p.actualUsd)} as they ran, ${usd(p.costUsd)} as routed, ${p.savedUsd < 0 ? `${usd(-p.savedUsd)} more (${pct(-p.savedShare)} more)` : `${usd(p.savedUsd)} saved (${pct(p.savedShare)})`}; ${p.cheaper} steps moved to a cheaper tier, ${p.notProjected} sent to a tier with too few labelled steps (counted at their cost), ${p.unpriced} unpriced (left out).`,
    '',
    `Assumption: ${p.assumption}.`,
    '',
  )
  if (r.rules.length > 0) {
    out.push('## The router in words', '')
    for (const rule of r.rules) out.push(`- ${rule.text}`)
    out.push('')
  }
  if (r.warnings.length > 0) {
    out.push('## Warnings', '')
    for (const w of r.warnings) out.push(`- ${w}`)
    out.push('')
  }
  return `${out.join('\n')}\n`
}
