/**
 * The cascade's rule, the same in training, calibration, evaluation and
 * routing: run the chain's models in order; after step s, keep its answer
 * when the confidence that it is right clears that step's threshold τ_s,
 * else run the next model. The last step's answer is always kept. A cascade's
 * cost on an item is the sum over every model it ran.
 *
 * The thresholds move together along a path of levels, chosen on the
 * training split (thresholdPath): level 0 keeps the first answer on every
 * item (the cheap end), the last level runs the whole chain on every item
 * (the strong end: the chain's last model is the strongest), and the levels
 * between are the training split's best trade-offs of quality against cost.
 * Calibration then picks a level, so one number (the level) says where the
 * cascade operates, as one threshold does for the ex-ante router.
 */
import {paretoFrontier, type OutcomeMatrix, type Point} from '../evaluate.js'

/**
 * Confidences of a split: `p[i * gates + s]` for items i and the chain's
 * first `gates` = steps − 1 steps (the last step needs none).
 */
export interface ChainEstimates {
  /** Column of each step's model in the outcome matrix. */
  cols: number[]
  p: Float64Array
}

/** A threshold no confidence reaches (never keep) and one every confidence clears (always keep). */
export const NEVER = 1e9
export const ALWAYS = -1e9

/** Index of the step whose answer is kept for item i under per-step thresholds. */
export function keptStep(est: ChainEstimates, i: number, thresholds: ArrayLike<number>): number {
  const gates = est.cols.length - 1
  for (let s = 0; s < gates; s++) if (est.p[i * gates + s]! >= (thresholds[s] as number)) return s
  return gates
}

/** One item's outcome: success of the kept answer and the cost of every model run. */
function outcomeAt(
  m: OutcomeMatrix,
  est: ChainEstimates,
  i: number,
  thresholds: ArrayLike<number>,
): {step: number; success: number; cost: number} {
  const w = m.models.length
  const step = keptStep(est, i, thresholds)
  let cost = 0
  for (let s = 0; s <= step; s++) cost += m.cost[i * w + est.cols[s]!]!
  return {step, success: m.success[i * w + est.cols[step]!]!, cost}
}

/** Quality and mean cost of the cascade on the items of a matrix (weighted, for the bootstrap). */
export function cascadePoint(
  m: OutcomeMatrix,
  est: ChainEstimates,
  thresholds: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Point {
  let q = 0
  let c = 0
  let n = 0
  for (let i = 0; i < m.items.length; i++) {
    const wi = weights ? (weights[i] as number) : 1
    if (wi === 0) continue
    const o = outcomeAt(m, est, i, thresholds)
    q += wi * o.success
    c += wi * o.cost
    n += wi
  }
  return {quality: q / Math.max(1e-12, n), cost: c / Math.max(1e-12, n)}
}

/** The conformal loss of item i: 1 when the kept answer fails where the strongest model (column `strong`) succeeds. */
export function cascadeLoss(
  m: OutcomeMatrix,
  est: ChainEstimates,
  strong: number,
  i: number,
  thresholds: ArrayLike<number>,
): number {
  const w = m.models.length
  const kept = m.success[i * w + est.cols[keptStep(est, i, thresholds)]!]!
  return Math.max(0, m.success[i * w + strong]! - kept)
}

/** Share of items whose answer came from each step (the last entry: the whole chain ran). */
export function stepShares(est: ChainEstimates, n: number, thresholds: ArrayLike<number>): number[] {
  const out = new Array<number>(est.cols.length).fill(0)
  for (let i = 0; i < n; i++) out[keptStep(est, i, thresholds)]! += 1
  return out.map(v => v / Math.max(1, n))
}

/** Candidate thresholds of one gate: midpoints between its distinct confidences (at most `size`), and both ends. */
export function gateThresholds(p: Float64Array, gates: number, s: number, size: number): number[] {
  const values = new Set<number>()
  for (let i = s; i < p.length; i += gates) values.add(Math.round(p[i]! * 1e9) / 1e9)
  const sorted = [...values].sort((a, b) => a - b)
  const mids: number[] = []
  for (let k = 0; k + 1 < sorted.length; k++) mids.push((sorted[k]! + sorted[k + 1]!) / 2)
  const picked: number[] = []
  if (mids.length <= size) picked.push(...mids)
  else for (let k = 0; k < size; k++) picked.push(mids[Math.round((k * (mids.length - 1)) / Math.max(1, size - 1))]!)
  return [ALWAYS, ...picked.map(t => Math.round(t * 1e9) / 1e9), NEVER]
}

/**
 * The path of threshold vectors from the cheap end to the strong end: of
 * every combination of the gates' candidate thresholds, those on the
 * cost–quality Pareto front of these items, at most `size` levels (both ends
 * always kept).
 */
export function thresholdPath(m: OutcomeMatrix, est: ChainEstimates, perGate: number, size: number): number[][] {
  const gates = est.cols.length - 1
  const candidates = Array.from({length: gates}, (_, s) => gateThresholds(est.p, gates, s, perGate))
  const points: Array<Point & {thresholds: number[]}> = []
  const current = new Array<number>(gates).fill(0)
  const visit = (s: number): void => {
    if (s === gates) {
      points.push({thresholds: [...current], ...cascadePoint(m, est, current)})
      return
    }
    for (const t of candidates[s]!) {
      current[s] = t
      visit(s + 1)
    }
  }
  visit(0)
  const cheapEnd = new Array<number>(gates).fill(ALWAYS)
  const strongEnd = new Array<number>(gates).fill(NEVER)
  const inner = paretoFrontier(points)
    .map(p => p.thresholds)
    .filter(t => !same(t, cheapEnd) && !same(t, strongEnd))
  const room = Math.max(0, size - 2)
  const picked =
    inner.length <= room
      ? inner
      : Array.from({length: room}, (_, k) => inner[Math.round((k * (inner.length - 1)) / Math.max(1, room - 1))]!)
  const path = [cheapEnd, ...picked, strongEnd]
  return path.filter((t, k) => k === 0 || !same(t, path[k - 1]!))
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, k) => v === b[k])
}

/**
 * The training-free confidence of step s (`--cascade entropy`): 1 − the run's
 * uncertainty when its model reports one, else the mean agreement of its
 * answer with the earlier steps' (`agreeSum` over s of them); −1 for a first
 * step without uncertainty (nothing to judge it by: the cascade runs on).
 */
export function freeConfidence(
  s: number,
  reportsUncertainty: boolean,
  uncertainty: number | undefined,
  agreeSum: number,
): number {
  if (reportsUncertainty && uncertainty !== undefined) return 1 - uncertainty
  return s === 0 ? -1 : agreeSum / s
}
