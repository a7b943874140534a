/**
 * A split of outcome items as the cascade reads it: every model's success and
 * cost (NaN where it did not run the item), every model's observation
 * digested once (answer, length, cues, signals), and the agreement between
 * two models' answers on an item, computed once when first asked.
 */
import type {OutcomeMatrix, Point} from '../evaluate.js'
import {round} from '../numbers.js'
import type {Item} from '../outcome-table.js'
import {agreement} from '../posthoc/answer.js'
import {digest, type Digest} from '../posthoc/features.js'

export interface CascadeSplit {
  items: Item[]
  /** Success and cost of every model (`table.models` order); NaN where the model did not run the item. */
  matrix: OutcomeMatrix
  /** `digests[i][m]`: model m's observation of item i, undefined when it has none. */
  digests: Array<Array<Digest | undefined>>
  /** `hasResponse[i * w + m]`: 1 when model m's line for item i carried a response. */
  hasResponse: Uint8Array
  /** `agreement(i, a, b)`, cached. */
  agree(i: number, a: number, b: number): number
}

/** Builds a split over `models` (the table's, in its order). */
export function cascadeSplit(items: Item[], models: readonly string[]): CascadeSplit {
  const w = models.length
  const index = new Map(models.map((m, k) => [m, k] as const))
  const n = items.length
  const success = new Float64Array(n * w).fill(Number.NaN)
  const cost = new Float64Array(n * w).fill(Number.NaN)
  const hasResponse = new Uint8Array(n * w)
  const digests = items.map((item, i) => {
    const row: Array<Digest | undefined> = new Array(w).fill(undefined)
    item.models.forEach((model, k) => {
      const col = index.get(model)!
      success[i * w + col] = item.success[k]!
      cost[i * w + col] = item.cost[k]!
      const response = item.responses?.[k]
      const signals = item.signals?.[k]
      if (response !== undefined) hasResponse[i * w + col] = 1
      if (response !== undefined || signals !== undefined) row[col] = digest({response, signals})
    })
    return row
  })
  const cache = new Float64Array(n * w * w).fill(Number.NaN)
  return {
    items,
    matrix: {items: items.map(i => i.id), models: [...models], success, cost},
    digests,
    hasResponse,
    agree(i, a, b) {
      const key = i * w * w + Math.min(a, b) * w + Math.max(a, b)
      let v = cache[key]!
      if (Number.isNaN(v)) {
        const da = digests[i]![a]
        const db = digests[i]![b]
        v = da && db ? agreement(da.answer, db.answer) : 0
        cache[key] = v
      }
      return v
    },
  }
}

/** Rows of a split (by index) whose models in `cols` all have an outcome and, where `needsResponse[c]`, a response. */
export function observedRows(
  split: CascadeSplit,
  cols: readonly number[],
  needsResponse: readonly boolean[],
): number[] {
  const w = split.matrix.models.length
  const rows: number[] = []
  for (let i = 0; i < split.items.length; i++) {
    let ok = true
    for (let s = 0; s < cols.length && ok; s++) {
      const col = cols[s]!
      if (Number.isNaN(split.matrix.success[i * w + col]!)) ok = false
      else if (needsResponse[s] && split.hasResponse[i * w + col] === 0) ok = false
    }
    if (ok) rows.push(i)
  }
  return rows
}

/** Rows with every model's outcome (what single models, mixes and the oracle are scored on). */
export function completeRows(split: CascadeSplit): number[] {
  const w = split.matrix.models.length
  const rows: number[] = []
  for (let i = 0; i < split.items.length; i++) {
    let ok = true
    for (let m = 0; m < w && ok; m++) if (Number.isNaN(split.matrix.success[i * w + m]!)) ok = false
    if (ok) rows.push(i)
  }
  return rows
}

/** The outcome matrix of some rows. */
export function subMatrix(m: OutcomeMatrix, rows: readonly number[]): OutcomeMatrix {
  const w = m.models.length
  const success = new Float64Array(rows.length * w)
  const cost = new Float64Array(rows.length * w)
  rows.forEach((r, i) => {
    success.set(m.success.subarray(r * w, r * w + w), i * w)
    cost.set(m.cost.subarray(r * w, r * w + w), i * w)
  })
  return {items: rows.map(r => m.items[r]!), models: m.models, success, cost}
}

/** A single model's quality and cost on a matrix (weighted when weights are given). */
export function single(m: OutcomeMatrix, col: number, weights?: ArrayLike<number> | null): Point {
  const w = m.models.length
  let q = 0
  let c = 0
  let n = 0
  for (let i = 0; i < m.items.length; i++) {
    const wi = weights ? (weights[i] as number) : 1
    q += wi * m.success[i * w + col]!
    c += wi * m.cost[i * w + col]!
    n += wi
  }
  return {quality: q / Math.max(1e-12, n), cost: c / Math.max(1e-12, n)}
}

export function roundPoint(p: Point): Point {
  return {quality: round(p.quality, 6), cost: round(p.cost, 9)}
}
