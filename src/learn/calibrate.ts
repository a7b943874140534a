/**
 * Choosing the router's operating point on the calibration split (never the
 * test split): by quality kept, by budget, or by conformal risk control.
 *
 * Conformal risk control (Angelopoulos et al., 2022): the loss of item i at
 * grid point g is L_i(g) = max(0, success of the strongest model − success of
 * the router's choice), i.e. 1 when the router's model fails where the
 * strongest would have succeeded. Moving along the grid need not lower an
 * item's loss monotonically (a dearer model can fail where a cheaper one
 * succeeded), so each item's loss is monotonised from the strong end:
 * L̃_i(g) = max over g' ≥ g of L_i(g'). L̃ bounds L, falls along the grid and is
 * 0 at the strong end, where every item goes to the strongest model. With n
 * calibration items the chosen point is the first g with
 *   n/(n+1) · mean_i L̃_i(g) + 1/(n+1) ≤ α,
 * which guarantees E[L_{n+1}(ĝ)] ≤ α for a new item exchangeable with the
 * calibration items (a marginal guarantee, over draws of the calibration set
 * and the new item). It needs 1/(n+1) ≤ α, i.e. n ≥ 1/α − 1.
 *
 * The marginal guarantee has no slack: a single calibration split can land
 * well above α. `guarantee: 'high'` is Learn-then-Test with fixed-sequence
 * testing from the strong end: walking toward the cheap end, a point is
 * accepted while the p-value of "its risk exceeds α" (binomial tail for 0/1
 * losses, Hoeffding–Bentkus otherwise; bounds.ts) is at most δ. Then
 * P(risk of ĝ > α) ≤ δ over calibration draws: the bound holds for this
 * calibration split with probability 1 − δ. It needs (1 − α)^n ≤ δ.
 */
import {AcoError} from '../errors.js'
import {riskLimitHigh, riskPValue, riskUpperBound} from './bounds.js'
import type {CurvePoint} from './evaluate.js'
import {round} from './numbers.js'

/** marginal: E[risk] ≤ α over calibration draws; high: P(risk > α) ≤ δ. */
export type Guarantee = 'marginal' | 'high'

export const guarantees: readonly Guarantee[] = ['marginal', 'high']

export interface BoundOptions {
  guarantee: Guarantee
  /** The δ of the high-probability bound. */
  delta: number
}

const marginal: BoundOptions = {guarantee: 'marginal', delta: 0.1}

export interface ConformalResult {
  alpha: number
  guarantee: Guarantee
  /** Calibration items. */
  n: number
  /** Index of the chosen grid point. */
  index: number
  /** marginal: n/(n+1)·R̃(ĝ) + 1/(n+1), held to ≤ α; high: the (1 − δ) upper confidence bound of R̃(ĝ). */
  bound: number
  /** Mean monotonised loss on the calibration split at the chosen point. */
  calibrationRisk: number
}

/** The least n for which control at level α is possible (n ≥ 1/α − 1; for the high-probability bound, (1 − α)^n ≤ δ). */
export function minCalibrationSize(alpha: number, bound: BoundOptions = marginal): number {
  if (bound.guarantee === 'high') return Math.max(1, Math.ceil(Math.log(bound.delta) / Math.log1p(-alpha) - 1e-9))
  return Math.max(1, Math.ceil(1 / alpha - 1 - 1e-9))
}

/** The least α a calibration split of n items supports. */
function leastAlpha(n: number, bound: BoundOptions): number {
  const v = bound.guarantee === 'high' ? 1 - bound.delta ** (1 / n) : 1 / (n + 1)
  return round(Math.ceil(v * 1e4) / 1e4, 4)
}

/** Refuses an α outside (0, 1) or a calibration split too small for it. */
export function assertCalibrationSize(n: number, alpha: number, bound: BoundOptions = marginal): void {
  if (!(alpha > 0 && alpha < 1))
    throw new AcoError('usage', `--alpha must lie strictly between 0 and 1 (got ${alpha}).`, 'Try --alpha 0.05.')
  if (bound.guarantee === 'high' && !(bound.delta > 0 && bound.delta < 1))
    throw new AcoError('usage', `--delta must lie strictly between 0 and 1 (got ${bound.delta}).`, 'Try --delta 0.1.')
  const need = minCalibrationSize(alpha, bound)
  if (n < need) {
    const rule = bound.guarantee === 'high' ? `(1 − α)^n ≤ δ = ${bound.delta}` : '1/(n+1) ≤ α'
    throw new AcoError(
      'too-small',
      `The calibration split has ${n} scorable item${n === 1 ? '' : 's'}; ${bound.guarantee === 'high' ? 'the high-probability bound' : 'conformal control'} at α = ${alpha} needs at least ${need} (${rule}).`,
      `Use a larger --alpha (at least ${leastAlpha(n, bound)} for ${n} items), a larger calibration share (--split), or more items.`,
    )
  }
}

/**
 * The largest mean calibration loss of a fixed policy that passes the bound
 * at α (−1 when none does): what a single model or a mix must stay under to
 * meet an α objective as the router's operating point does.
 */
export function riskLimit(n: number, alpha: number, bound: BoundOptions, binary: boolean): number {
  if (bound.guarantee === 'high') return riskLimitHigh(n, alpha, bound.delta, binary)
  return (alpha * (n + 1) - 1) / n
}

/**
 * Conformal risk control over a grid. `loss(g, i)` is item i's loss in [0, 1]
 * at grid point g (grid ordered from the cheap end to the strong end); `n`
 * items, `size` grid points. Throws a `too-small` AcoError when n is too small
 * for α.
 */
export function conformalIndex(
  loss: (g: number, i: number) => number,
  n: number,
  size: number,
  alpha: number,
  bound: BoundOptions = marginal,
): ConformalResult {
  assertCalibrationSize(n, alpha, bound)
  // Walk from the strong end keeping each item's running maximum: L̃_i(g).
  const running = new Float64Array(n)
  const risk = new Float64Array(size)
  let binary = true
  for (let g = size - 1; g >= 0; g--) {
    let sum = 0
    for (let i = 0; i < n; i++) {
      const l = loss(g, i)
      if (l !== 0 && l !== 1) binary = false
      if (l > running[i]!) running[i] = l
      sum += running[i]!
    }
    risk[g] = sum / n
  }
  if (bound.guarantee === 'high') {
    // Fixed-sequence testing from the strong end: stop at the first point whose p-value exceeds δ.
    let index = size - 1
    for (let g = size - 1; g >= 0; g--) {
      if (riskPValue(risk[g]!, n, alpha, binary) > bound.delta) break
      index = g
    }
    return {
      alpha,
      guarantee: 'high',
      n,
      index,
      bound: riskUpperBound(risk[index]!, n, bound.delta, binary),
      calibrationRisk: risk[index]!,
    }
  }
  const boundAt = (g: number): number => (n / (n + 1)) * risk[g]! + 1 / (n + 1)
  let index = size - 1
  for (let g = 0; g < size; g++) {
    if (boundAt(g) <= alpha + 1e-12) {
      index = g
      break
    }
  }
  return {alpha, guarantee: 'marginal', n, index, bound: boundAt(index), calibrationRisk: risk[index]!}
}

/** How the operating point is chosen. */
export type Objective =
  | {kind: 'keep'; keep: number}
  | {kind: 'alpha'; alpha: number}
  | {kind: 'max-cost'; maxCost: number}

export interface OperatingChoice {
  index: number
  /** False when no grid point met the objective and the closest one was taken. */
  met: boolean
  note?: string
}

/**
 * The operating point for `keep` or `max-cost` on calibration points:
 * - keep: the cheapest point whose quality is at least keep × the best
 *   model's (or the best quality when none is);
 * - max-cost: the best quality whose mean cost per item is at most the budget
 *   (or the cheapest point when none is).
 */
export function chooseByQualityOrBudget(
  points: CurvePoint[],
  objective: Exclude<Objective, {kind: 'alpha'}>,
  bestQuality: number,
): OperatingChoice {
  let index = -1
  switch (objective.kind) {
    case 'keep': {
      const target = objective.keep * bestQuality
      points.forEach((p, g) => {
        if (p.quality >= target - 1e-12 && (index < 0 || p.cost < points[index]!.cost)) index = g
      })
      if (index >= 0) return {index, met: true}
      points.forEach((p, g) => {
        if (index < 0 || p.quality > points[index]!.quality) index = g
      })
      return {
        index,
        met: false,
        note: `no threshold keeps ${round(objective.keep * 100, 1)}% of the best model's quality on the calibration split; took the highest quality`,
      }
    }
    case 'max-cost': {
      points.forEach((p, g) => {
        if (p.cost <= objective.maxCost && (index < 0 || p.quality > points[index]!.quality)) index = g
      })
      if (index >= 0) return {index, met: true}
      points.forEach((p, g) => {
        if (index < 0 || p.cost < points[index]!.cost) index = g
      })
      return {
        index,
        met: false,
        note: `no threshold costs at most $${objective.maxCost} per item on the calibration split; took the cheapest`,
      }
    }
    default:
      return objective satisfies never
  }
}
