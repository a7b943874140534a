/**
 * The per-step router on the cost–quality frontier, held out, beside the
 * simple policies a person would try first. Every policy maps a labelled step
 * to a tier; it is scored on the steps people labelled, with the held-out
 * estimates of trace-grouped cross-validation (no step of a scored trace was
 * trained on):
 * - cost: the step's own tokens priced at the model of the tier it is sent to
 *   (its recorded cost where it stays on the tier that ran it);
 * - not enough: the share of steps sent to a tier their label does not say is
 *   enough (`needs-stronger-model` on the tier that ran it or a cheaper one;
 *   `fine` below the tier that ran it, which it says nothing of: a tier counts
 *   as enough only where a label says so, never for want of a label saying
 *   otherwise); quality is 1 minus it. Steps whose label says nothing of any
 *   tier (`wasted`: the fix is not taking them) are not scored (counted).
 * Policies: as the steps ran; always the cheapest tier; always the strongest;
 * a rule by the kind of call the step makes (fixed here, not fitted: reading,
 * searching, planning, running, testing, installing and submitting go to the
 * cheapest tier, editing, delegating, answering in words and anything else to
 * the strongest); random mixes of the cheapest and the strongest; the router
 * at every threshold; and the oracle (each step on the cheapest tier its
 * label allows). Steps that cannot be priced on every tier are left out of
 * every policy alike (counted). Intervals: 95% bootstrap over trace groups.
 *
 * The distribution-free bound is conformal risk control with the trace group
 * as the unit: each group's loss at a threshold is its share of steps sent to
 * a tier that is not enough, and the threshold is the cheapest whose
 * n/(n+1)·risk + 1/(n+1) stays ≤ α, so that for a new trace group
 * exchangeable with the labelled ones, E[its share of such steps] ≤ α.
 * Steps of one trace are not exchangeable with each other (they come in runs),
 * groups are; the estimates come from cross-validation folds rather than one
 * calibration split, which is the usual small-data compromise and is stated
 * beside the figure.
 */
import type {PriceBook} from '../../price/book.js'
import {isPriced} from '../../price/book.js'
import {conformalIndex, type BoundOptions} from '../calibrate.js'
import {Rng} from '../random.js'
import {type LabelledStep, onUntieredModel} from './data.js'
import {RULE_CHEAP_KINDS} from './features.js'
import {cheapestEnough} from './router.js'
import {tierPricing, type Tier} from './tiers.js'

interface Interval {
  value: number
  low: number
  high: number
}

interface FrontierPoint {
  policy: string
  /** Threshold of the router's points. */
  threshold?: number
  costUsd: number
  /** Cost as a share of always-the-strongest-tier's. */
  costShare: number
  notEnough: number
  quality: number
}

interface BaselineReport extends FrontierPoint {
  notEnoughInterval: Interval
  /** The router's share of not-enough steps at the same cost (interpolated along its held-out curve). */
  routerAtSameCost?: number
}

export interface StepFrontier {
  /**
   * People-labelled steps scored; those left out because some tier could not price them, and those whose label says
   * nothing of any tier (`wasted`).
   */
  steps: number
  unpriced: number
  silent: number
  /** Labelled steps whose model no tier claims: `aco route --cards` keeps them on it, so they are not scored. */
  untiered: number
  traceGroups: number
  tiers: string[]
  baselines: BaselineReport[]
  /** The router at every threshold (cheap end first), held out. */
  curve: FrontierPoint[]
  /** The router at the operating point, with intervals. */
  router: BaselineReport
  /** Area above the not-enough curve over cost share 0…1 (higher is better), router and the random mix. */
  area: {router: number; randomMix: number}
  bound: {
    unit: 'trace group'
    alpha: number
    guarantee: string
    groups: number
    threshold: number
    bound: number
    /** Mean over groups of their share of not-enough steps at the threshold (the calibration risk). */
    risk: number
    note: string
  } | null
}

interface Scored {
  l: LabelledStep
  /** USD on each tier. */
  cost: number[]
  bad: boolean[]
  p: number[]
  kind: string
}

/** The price of a step on each tier (its own cost on the tier that ran it); undefined when any is missing. */
function tierCosts(l: LabelledStep, tiers: readonly Tier[], book: PriceBook): number[] | undefined {
  const step = l.step.step
  const out: number[] = []
  for (let k = 0; k < tiers.length; k++) {
    if (k === l.ran && typeof step.cost?.usd === 'number') {
      out.push(step.cost.usd)
      continue
    }
    if (!step.tokens) return undefined
    const r = tierPricing(tiers[k]!, step.model, book)
    if (!isPriced(r)) return undefined
    const usd = book.cost(r, step.tokens, step.startedAt)
    if (usd === undefined) return undefined
    out.push(usd)
  }
  return out
}

/** Per-group sums of a policy: cost, not-enough steps, steps. */
function groupSums(scored: readonly Scored[], groupIndex: ReadonlyMap<number, number>, tierOf: (s: Scored) => number) {
  const G = groupIndex.size
  const cost = new Float64Array(G)
  const bad = new Float64Array(G)
  const n = new Float64Array(G)
  for (const s of scored) {
    const g = groupIndex.get(s.l.group)!
    const k = tierOf(s)
    cost[g]! += s.cost[k]!
    if (s.bad[k]) bad[g]!++
    n[g]!++
  }
  return {cost, bad, n}
}

function sumOf(a: Float64Array, w?: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * (w ? w[i]! : 1)
  return s
}

const r6 = (v: number): number => Math.round(v * 1e6) / 1e6

/** The policies, the router's curve, and the group-level bound (module comment). */
export function stepFrontier(
  labelled: readonly LabelledStep[],
  p: readonly Float64Array[],
  tiers: readonly Tier[],
  book: PriceBook,
  options: {
    grid: readonly number[]
    alpha: number
    bound: BoundOptions
    seed: number
    resamples: number
    /** Score people's labels only (default), or every label (when no person labelled a step). */
    personOnly?: boolean
    /**
     * Whether the router may send a step above the tier that ran it (`aco train --steps --escalate`); without, it
     * only moves steps down, as `aco route --cards` then applies it: the figures are that router's.
     */
    escalate?: boolean
  },
): StepFrontier {
  const T = tiers.length
  const top = T - 1
  const scored: Scored[] = []
  let unpriced = 0
  let silent = 0
  let untiered = 0
  labelled.forEach((l, i) => {
    if ((options.personOnly ?? true) && l.source !== 'person') return
    if (l.evidence.good.length === 0) {
      silent++
      return
    }
    if (onUntieredModel(l)) {
      untiered++
      return
    }
    const cost = tierCosts(l, tiers, book)
    if (!cost) {
      unpriced++
      return
    }
    const kind = String(l.step.features.action ?? 'other')
    scored.push({
      l,
      cost,
      bad: cost.map((_, k) => !l.evidence.good.includes(k)),
      p: p.map(pk => pk[i]!),
      kind,
    })
  })
  const groupIndex = new Map<number, number>()
  for (const s of scored) if (!groupIndex.has(s.l.group)) groupIndex.set(s.l.group, groupIndex.size)
  const G = groupIndex.size

  // Bootstrap weights over groups, shared by every policy (paired).
  const rng = new Rng(options.seed)
  const draws: Float64Array[] = []
  for (let b = 0; b < options.resamples; b++) {
    const w = new Float64Array(G)
    for (let j = 0; j < G; j++) w[rng.int(G)]!++
    draws.push(w)
  }
  const strongest = groupSums(scored, groupIndex, () => top)
  const strongCost = sumOf(strongest.cost)
  const point = (policy: string, tierOf: (s: Scored) => number, threshold?: number): FrontierPoint => {
    const sums = groupSums(scored, groupIndex, tierOf)
    const cost = sumOf(sums.cost)
    const notEnough = scored.length > 0 ? sumOf(sums.bad) / scored.length : 0
    return {
      policy,
      ...(threshold !== undefined ? {threshold} : {}),
      costUsd: r6(cost),
      costShare: strongCost > 0 ? r6(cost / strongCost) : 0,
      notEnough: r6(notEnough),
      quality: r6(1 - notEnough),
    }
  }
  const interval = (tierOf: (s: Scored) => number): Interval => {
    const sums = groupSums(scored, groupIndex, tierOf)
    const value = sumOf(sums.bad) / Math.max(1, sumOf(sums.n))
    const values = draws
      .map(w => {
        const n = sumOf(sums.n, w)
        return n > 0 ? sumOf(sums.bad, w) / n : Number.NaN
      })
      .filter(Number.isFinite)
      .sort((a, b) => a - b)
    if (values.length === 0) return {value: r6(value), low: r6(value), high: r6(value)}
    const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))]!
    return {value: r6(value), low: r6(at(0.025)), high: r6(at(0.975))}
  }
  const escalate = options.escalate ?? true
  const routerTier = (threshold: number) => (s: Scored) => cheapestEnough(s.p, threshold, s.l.ran, escalate)
  const curve = options.grid.map(t => point('router', routerTier(t), t))
  const sorted = [...curve].sort((a, b) => a.costShare - b.costShare || a.notEnough - b.notEnough)
  /** The router's not-enough share at a cost share (linear between the curve's points, its ends beyond them). */
  const routerAt = (share: number): number => {
    if (sorted.length === 0) return Number.NaN
    if (share <= sorted[0]!.costShare) return sorted[0]!.notEnough
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!
      const b = sorted[i]!
      if (share <= b.costShare) {
        const t = b.costShare > a.costShare ? (share - a.costShare) / (b.costShare - a.costShare) : 1
        return r6(a.notEnough + t * (b.notEnough - a.notEnough))
      }
    }
    return sorted[sorted.length - 1]!.notEnough
  }
  const policies: Array<[string, (s: Scored) => number]> = [
    ['as run', s => s.l.ran ?? top],
    ['always cheapest', () => 0],
    ['always strongest', () => top],
    ['by tool kind', s => (RULE_CHEAP_KINDS.includes(s.kind) ? 0 : top)],
    [
      'oracle',
      s => {
        const k = s.bad.findIndex(b => !b)
        return k < 0 ? top : k
      },
    ],
  ]
  const baselines: BaselineReport[] = policies.map(([name, f]) => {
    const pt = point(name, f)
    return {
      ...pt,
      notEnoughInterval: interval(f),
      ...(name === 'oracle' ? {} : {routerAtSameCost: routerAt(pt.costShare)}),
    }
  })

  // The random mix of the cheapest and strongest tiers is the straight line between them.
  const cheap = baselines.find(b => b.policy === 'always cheapest')!
  const strong = baselines.find(b => b.policy === 'always strongest')!
  const area = {router: r6(areaAbove(sorted, cheap, strong)), randomMix: r6(areaAbove([cheap, strong], cheap, strong))}

  // The bound, with trace groups as units.
  let bound: StepFrontier['bound'] = null
  let threshold = options.grid[options.grid.length - 1]!
  const groups = [...groupIndex.values()]
  const note =
    'conformal risk control over trace groups: for a new trace like the labelled ones, the expected share of its steps sent to a tier that is not enough is at most α; the estimates come from cross-validation folds, not one calibration split'
  try {
    const perGroup = options.grid.map((t, g) => {
      void g
      return groupSums(scored, groupIndex, routerTier(t))
    })
    const c = conformalIndex(
      (g, j) => {
        const s = perGroup[g]!
        return s.n[groups[j]!]! > 0 ? s.bad[groups[j]!]! / s.n[groups[j]!]! : 0
      },
      G,
      options.grid.length,
      options.alpha,
      options.bound,
    )
    threshold = options.grid[c.index]!
    bound = {
      unit: 'trace group',
      alpha: options.alpha,
      guarantee: options.bound.guarantee,
      groups: G,
      threshold,
      bound: r6(c.bound),
      risk: r6(c.calibrationRisk),
      note,
    }
  } catch {
    bound = null
  }
  const op = point('router', routerTier(threshold), threshold)
  const router: BaselineReport = {...op, notEnoughInterval: interval(routerTier(threshold))}
  return {
    steps: scored.length,
    unpriced,
    silent,
    untiered,
    traceGroups: G,
    tiers: tiers.map(t => t.name),
    baselines,
    curve,
    router,
    area,
    bound,
  }
}

/** Area between quality 1 − notEnough and 0 over cost share from the cheap end to the strong end (trapezoids). */
function areaAbove(points: readonly FrontierPoint[], cheap: FrontierPoint, strong: FrontierPoint): number {
  const from = cheap.costShare
  const to = strong.costShare
  if (!(to > from)) return Number.NaN
  // Upper envelope in quality over cost: the best point at or below each cost.
  const pts = [...points].filter(p => p.costShare >= from - 1e-12 && p.costShare <= to + 1e-12)
  pts.sort((a, b) => a.costShare - b.costShare)
  let best = 0
  const env: Array<[number, number]> = []
  for (const p of pts) {
    best = Math.max(best, p.quality)
    env.push([p.costShare, best])
  }
  if (env.length === 0) return Number.NaN
  let area = 0
  let [x0, y0] = [from, env[0]![1]]
  for (const [x, y] of env) {
    area += ((y0 + y) / 2) * (x - x0)
    x0 = x
    y0 = y
  }
  area += y0 * (to - x0)
  return area / (to - from)
}
