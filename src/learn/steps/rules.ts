/**
 * The per-step router in words: rules a person can read and an agent can
 * apply without the model, each with its support and measured success. Steps
 * are grouped by the value of the router's most telling categorical feature
 * (the kind of call the step makes, or else the previous one), and by
 * subagent type; a group becomes a rule when the router sends most of its
 * steps (at least 80%) to one tier:
 *   "steps whose action is read go to tier cheap: 194 steps, 97% of them
 *    sent there by the router; 98% of the 150 labelled ones went well there".
 * Measured success counts the labelled steps of the group whose label says
 * the rule's tier is enough, among those whose label says anything of it.
 */
import type {StepData} from './data.js'
import type {LoadedStepRouter, StepDecision} from './router.js'

export interface StepRule {
  id: string
  /** The condition: a step feature and the value it must have. */
  when: {feature: string; value: string}
  tier: string
  /** LLM steps of the cards that match, and the share the router sends to `tier`. */
  support: number
  share: number
  /** Labelled steps that match and whose label speaks of `tier`; the share of them it was enough for. */
  labelled: number
  success: number
  text: string
}

/** Rules are kept when the router sends at least this share of a group's steps to one tier. */
const MIN_SHARE = 0.8
/** Steps a group needs to become a rule. */
const MIN_SUPPORT = 5

const KEYS = ['action', 'prev_action', 'prev_status'] as const

/** Readable rules from the router's decisions on the cards' steps (module comment). */
export function stepRules(
  data: StepData,
  router: LoadedStepRouter,
  decisions: readonly StepDecision[],
  _heldOut: readonly Float64Array[],
  _threshold: number,
): StepRule[] {
  const used = new Set(router.json.features.names)
  const key = KEYS.find(k => used.has(k) && data.steps.some(s => typeof s.features[k] === 'string'))
  const tierOf = new Map<string, string>()
  for (const d of decisions) if (d.tier !== undefined) tierOf.set(`${d.traceId}\u0000${d.stepId}`, d.tier)
  const tierNames = router.json.tiers.map(t => t.name)
  const rules: StepRule[] = []
  const groupBy = (feature: string, only?: (v: string) => boolean): void => {
    const counts = new Map<string, Map<string, number>>()
    for (const s of data.steps) {
      const v = s.features[feature]
      if (typeof v !== 'string' || (only && !only(v))) continue
      const tier = tierOf.get(`${s.card.id}\u0000${s.step.id}`)
      if (!tier) continue
      const m = counts.get(v) ?? new Map<string, number>()
      m.set(tier, (m.get(tier) ?? 0) + 1)
      counts.set(v, m)
    }
    for (const [value, m] of [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      let support = 0
      for (const n of m.values()) support += n
      const [tier, n] = [...m.entries()].sort(
        (a, b) => b[1] - a[1] || tierNames.indexOf(a[0]) - tierNames.indexOf(b[0]),
      )[0]!
      const share = n / support
      if (support < MIN_SUPPORT || share < MIN_SHARE) continue
      const k = tierNames.indexOf(tier)
      let labelled = 0
      let good = 0
      for (const l of data.labelled) {
        if (l.step.features[feature] !== value) continue
        const isGood = l.evidence.good.includes(k)
        if (!isGood && !l.evidence.bad.includes(k)) continue
        labelled++
        if (isGood) good++
      }
      const success = labelled > 0 ? good / labelled : Number.NaN
      const what =
        feature === 'subagent_type'
          ? `steps of the ${value} subagent`
          : `steps whose ${feature.replace(/_/g, ' ')} is ${value}`
      rules.push({
        id: `${feature}=${value}`,
        when: {feature, value},
        tier,
        support,
        share: round(share),
        labelled,
        success: Number.isFinite(success) ? round(success) : 0,
        text: `${what} go to tier ${tier}: ${support} steps, ${(share * 100).toFixed(0)}% of them sent there by the router; ${labelled > 0 ? `${(success * 100).toFixed(0)}% of the ${labelled} labelled ones went well there` : 'none of them labelled'}`,
      })
    }
  }
  if (key) groupBy(key)
  groupBy('subagent_type', v => v !== 'main')
  return rules
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4
}
