/**
 * Scoring routing policies on counterfactual outcomes: every item was run by
 * every model, so the quality and cost of any policy are known exactly.
 * Curves, the Pareto frontier, APGR, baselines and the calibration of the
 * estimates. All pure functions of arrays.
 */
import {decide, type Rule} from './policy.js'

/** Items with the outcome of every model: `success[i * models.length + m]`. */
export interface OutcomeMatrix {
  items: string[]
  models: string[]
  success: Float64Array
  cost: Float64Array
}

/** Quality (mean success) and cost (mean USD per item) of a policy. */
export interface Point {
  quality: number
  cost: number
}

export interface CurvePoint extends Point {
  threshold: number
}

/** The router's inputs on a set of items: estimates per candidate, row-major. */
export interface Estimates {
  /** Column of each candidate in the outcome matrix. */
  columns: number[]
  /** `p[i * columns.length + k]`. */
  p: Float64Array
  relCost: number[]
}

/** Column index of each item's chosen model at one threshold. */
export function decisions(rule: Rule, threshold: number, est: Estimates): Int32Array {
  const k = est.columns.length
  const n = est.p.length / Math.max(1, k)
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const j = decide(rule, threshold, est.p.subarray(i * k, i * k + k), est.relCost)
    out[i] = est.columns[j]!
  }
  return out
}

/** Quality and cost of choosing `chosen[i]` (a column) for item i. */
export function scoreChoices(m: OutcomeMatrix, chosen: ArrayLike<number>): Point {
  const w = m.models.length
  let q = 0
  let c = 0
  for (let i = 0; i < m.items.length; i++) {
    const col = chosen[i] as number
    q += m.success[i * w + col]!
    c += m.cost[i * w + col]!
  }
  const n = Math.max(1, m.items.length)
  return {quality: q / n, cost: c / n}
}

/** Each single model's quality and cost. */
export function singleModels(m: OutcomeMatrix): Array<Point & {model: string}> {
  const n = m.items.length
  return m.models
    .map((_, col) => scoreChoices(m, new Int32Array(n).fill(col)))
    .map((p, col) => ({model: m.models[col]!, ...p}))
}

/**
 * The per-item oracle: the cheapest model that succeeds on the item (or the
 * cheapest model when none does). The ceiling no router can pass.
 */
export function oracle(m: OutcomeMatrix): Point {
  const w = m.models.length
  const chosen = new Int32Array(m.items.length)
  for (let i = 0; i < m.items.length; i++) {
    let best = -1
    let cheapest = 0
    for (let col = 0; col < w; col++) {
      const c = m.cost[i * w + col]!
      if (c < m.cost[i * w + cheapest]!) cheapest = col
      if (m.success[i * w + col]! > 0.5 && (best < 0 || c < m.cost[i * w + best]!)) best = col
    }
    chosen[i] = best >= 0 ? best : cheapest
  }
  return scoreChoices(m, chosen)
}

/**
 * A two-model cascade: run `a`; when it fails, run `b` too. It pays for `a`
 * on every item and for `b` on a's failures, and it needs a check that tells
 * when a's answer failed (tests, a validator): the outcome tables know it,
 * a deployed agent may not.
 */
export function cascade(m: OutcomeMatrix, a: number, b: number): Point {
  const w = m.models.length
  let q = 0
  let c = 0
  for (let i = 0; i < m.items.length; i++) {
    const sa = m.success[i * w + a]!
    c += m.cost[i * w + a]!
    if (sa >= 0.5) q += sa
    else {
      q += m.success[i * w + b]!
      c += m.cost[i * w + b]!
    }
  }
  const n = Math.max(1, m.items.length)
  return {quality: q / n, cost: c / n}
}

/**
 * Points sorted by cost keeping only those better than every cheaper one: the
 * policies worth having.
 */
export function paretoFrontier<T extends Point>(points: T[]): T[] {
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.quality - a.quality)
  const out: T[] = []
  for (const p of sorted) if (out.length === 0 || p.quality > out[out.length - 1]!.quality) out.push(p)
  return out
}

/**
 * Quality reachable at `cost` along a frontier: linear between neighbouring
 * frontier points (a random mix of the two operating points reaches it in
 * expectation), flat beyond the last (spend less), undefined before the first.
 */
export function qualityAt(frontier: Point[], cost: number): number | undefined {
  if (frontier.length === 0 || cost < frontier[0]!.cost) return undefined
  for (let i = 0; i + 1 < frontier.length; i++) {
    const a = frontier[i]!
    const b = frontier[i + 1]!
    if (cost <= b.cost)
      return b.cost === a.cost ? b.quality : a.quality + ((cost - a.cost) / (b.cost - a.cost)) * (b.quality - a.quality)
  }
  return frontier[frontier.length - 1]!.quality
}

/** The least cost at which the frontier reaches `quality` (interpolated), or undefined. */
export function costFor(frontier: Point[], quality: number): number | undefined {
  for (let i = 0; i < frontier.length; i++) {
    const b = frontier[i]!
    if (b.quality >= quality) {
      if (i === 0) return b.cost
      const a = frontier[i - 1]!
      return a.cost + ((quality - a.quality) / (b.quality - a.quality)) * (b.cost - a.cost)
    }
  }
  return undefined
}

/**
 * APGR as RouteLLM defines it: the area under the performance-gap-recovered
 * curve, PGR = (quality − cheap) / (best − cheap), over cost normalised from
 * the cheapest model's (0) to the best model's (1). A random mix of the two
 * scores 0.5; PGR above 1 counts.
 *
 * The curve is integrated in the order given, linearly between its points
 * (a random mix of two neighbouring policies reaches the segment in
 * expectation), flat past its last point (spend less) and rising from 0 to
 * its first. Points are not filtered: a curve scored on test at thresholds
 * fixed beforehand keeps its dips, which is the honest figure (taking the
 * test split's Pareto envelope would choose the thresholds on test).
 */
export function apgr(curve: Point[], cheap: Point, best: Point): number {
  const span = best.cost - cheap.cost
  const gap = best.quality - cheap.quality
  if (!(span > 0) || !(gap !== 0) || curve.length === 0) return Number.NaN
  const xs = curve.map(p => (p.cost - cheap.cost) / span)
  const ys = curve.map(p => (p.quality - cheap.quality) / gap)
  // Area of the segment (x0, y0)–(x1, y1) inside 0 ≤ x ≤ 1 (signed: a step back in cost subtracts).
  const segment = (x0: number, y0: number, x1: number, y1: number): number => {
    if (x1 === x0) return 0
    const at = (x: number): number => y0 + ((x - x0) / (x1 - x0)) * (y1 - y0)
    const lo = Math.max(0, Math.min(x0, x1))
    const hi = Math.min(1, Math.max(x0, x1))
    if (hi <= lo) return 0
    const area = ((at(lo) + at(hi)) / 2) * (hi - lo)
    return x1 > x0 ? area : -area
  }
  let area = 0
  if (xs[0]! > 0) area += segment(0, 0, xs[0]!, ys[0]!)
  for (let i = 0; i + 1 < curve.length; i++) area += segment(xs[i]!, ys[i]!, xs[i + 1]!, ys[i + 1]!)
  const last = xs.length - 1
  if (xs[last]! < 1) area += ys[last]! * (1 - Math.max(0, xs[last]!))
  return area
}

/**
 * The frontier's lead over the random mix of the cheapest and best models, at
 * each frontier point strictly between them: the smallest such margin and
 * where it is (quality points; negative = below the mix).
 */
export function marginOverMix(frontier: Point[], cheap: Point, best: Point): {min: number; atCost: number} | undefined {
  const span = best.cost - cheap.cost
  let min: {min: number; atCost: number} | undefined
  const costs = frontier.map(p => p.cost).filter(c => c > cheap.cost && c < best.cost)
  // A frontier that never reaches the best model's quality runs flat below
  // the mix near the end: check its end too. (When it does reach it, the two
  // meet at the best model by construction, a tie that says nothing.)
  const top = frontier.length > 0 ? frontier[frontier.length - 1]!.quality : Number.NEGATIVE_INFINITY
  if (top < best.quality) costs.push(best.cost)
  for (const c of costs) {
    const q = qualityAt(frontier, c)
    if (q === undefined) continue
    const mix = cheap.quality + ((c - cheap.cost) / span) * (best.quality - cheap.quality)
    const margin = q - mix
    if (!min || margin < min.min) min = {min: margin, atCost: c}
  }
  return min
}

/** The upper concave hull of points: what random mixes of two of them reach. */
export function mixHull<T extends Point>(points: T[]): T[] {
  const front = paretoFrontier(points)
  const hull: T[] = []
  for (const p of front) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2]!
      const b = hull[hull.length - 1]!
      // Drop b when it lies on or under the segment a–p.
      const cross = (b.cost - a.cost) * (p.quality - a.quality) - (b.quality - a.quality) * (p.cost - a.cost)
      if (cross >= 0) hull.pop()
      else break
    }
    hull.push(p)
  }
  return hull
}

/** Reliability of estimates: predicted vs observed success in ten bins, and the Brier score. */
export interface Reliability {
  model: string
  brier: number
  /** Brier score of always predicting the training base rate. */
  brierBaseRate: number
  bins: Array<{from: number; to: number; count: number; predicted: number; observed: number}>
}

export function reliability(model: string, p: ArrayLike<number>, y: ArrayLike<number>, base: number): Reliability {
  const bins = Array.from({length: 10}, (_, b) => ({
    from: b / 10,
    to: (b + 1) / 10,
    count: 0,
    predicted: 0,
    observed: 0,
  }))
  let brier = 0
  let brierBase = 0
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] as number
    const yi = y[i] as number
    brier += (pi - yi) ** 2
    brierBase += (base - yi) ** 2
    const bin = bins[Math.min(9, Math.floor(pi * 10))]!
    bin.count++
    bin.predicted += pi
    bin.observed += yi
  }
  const n = Math.max(1, p.length)
  return {
    model,
    brier: brier / n,
    brierBaseRate: brierBase / n,
    bins: bins
      .filter(b => b.count > 0)
      .map(b => ({...b, predicted: b.predicted / b.count, observed: b.observed / b.count})),
  }
}

/** Each item's success and cost under one policy (expected values for a random mix). */
export interface PolicyOutcomes {
  success: Float64Array
  cost: Float64Array
}

/** Outcomes of choosing column `chosen[i]` for item i. */
export function outcomesOf(m: OutcomeMatrix, chosen: ArrayLike<number>): PolicyOutcomes {
  const w = m.models.length
  const n = m.items.length
  const success = new Float64Array(n)
  const cost = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const col = chosen[i] as number
    success[i] = m.success[i * w + col]!
    cost[i] = m.cost[i * w + col]!
  }
  return {success, cost}
}

/** Outcomes of one model on every item. */
export function columnOutcomes(m: OutcomeMatrix, col: number): PolicyOutcomes {
  return outcomesOf(m, new Int32Array(m.items.length).fill(col))
}

/** Expected outcomes of sending a share `s` of items, at random, to `b` and the rest to `a`. */
export function mixOutcomes(a: PolicyOutcomes, b: PolicyOutcomes, s: number): PolicyOutcomes {
  return {
    success: a.success.map((v, i) => (1 - s) * v + s * b.success[i]!),
    cost: a.cost.map((v, i) => (1 - s) * v + s * b.cost[i]!),
  }
}

/** Mean of `values` with item weights `w` (null: every item once). */
export function weightedMean(values: ArrayLike<number>, w: ArrayLike<number> | null): number {
  let s = 0
  let t = 0
  for (let i = 0; i < values.length; i++) {
    const wi = w ? (w[i] as number) : 1
    s += wi * (values[i] as number)
    t += wi
  }
  return t > 0 ? s / t : 0
}

/** Quality and cost of a policy's outcomes, items weighted by `w`. */
export function pointOf(o: PolicyOutcomes, w: ArrayLike<number> | null = null): Point {
  return {quality: weightedMean(o.success, w), cost: weightedMean(o.cost, w)}
}
