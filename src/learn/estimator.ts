/**
 * The one interface every engine implements, so that the routers (per item,
 * cascade, per step) can share them on any feature set: fit on rows of a
 * design (labels 0..1, weights optional, seeded) → an estimator of P(success)
 * saved as JSON (router.json) and loaded back to predict one item at a time.
 *
 * A design is a set of items encoded once: their bins (what forests split on)
 * and the one-hot view of those bins (what logistic regression weighs and
 * nearest neighbours compare). Engines that tune themselves by
 * cross-validation use the design's folds, so that every model and engine
 * sees the same folds and a neighbour search can be shared between them.
 */
import type {ForestJson} from './forest.js'
import {Rng} from './random.js'
import {expandRow, sparseLayout, sparseRows, type SparseLayout, type SparseRows} from './sparse.js'

export type EngineName = 'hist' | 'ml-random-forest' | 'logistic' | 'knn'

export const engineNames: readonly EngineName[] = ['hist', 'ml-random-forest', 'logistic', 'knn']

export interface ForestEstimatorJson extends ForestJson {
  engine: 'hist' | 'ml-random-forest'
}

export interface LogisticJson {
  engine: 'logistic'
  /** Inverse regularisation strength chosen by cross-validation (as in scikit-learn: larger C, weaker L2). */
  c: number
  bias: number
  /** One weight per one-hot feature of the design's layout. */
  weights: number[]
  base: number
}

export interface KnnJson {
  engine: 'knn'
  /** Neighbours averaged, chosen by cross-validation. */
  k: number
  /** Pseudo-neighbours at the base rate mixed in, so that no estimate says 0 or 1. */
  prior: number
  /** Outcome of this model on each reference item; −1 where it did not run the item. */
  labels: number[]
  /** Weight of each reference item (absent: 1). */
  weights?: number[]
  base: number
}

/** The training success rate, whatever the item: what every engine must beat. */
interface ConstantJson {
  engine: 'constant'
  base: number
}

/** The equal-weight average of several engines' estimates (the parts, in order). */
interface MeanJson {
  engine: 'mean'
  parts: EstimatorJson[]
  base: number
}

export type EstimatorJson = ForestEstimatorJson | LogisticJson | KnnJson | ConstantJson | MeanJson

/** Items encoded for the engines. */
export interface Design {
  n: number
  cols: number
  /** Bins of each column. */
  bins: Uint8Array
  /** `rowMajor[i * cols + c]`: item i's bin in column c. */
  rowMajor: Uint8Array
  layout: SparseLayout
  sparse: SparseRows
}

/** A design over row-major bins. */
export function makeDesign(rowMajor: Uint8Array, n: number, bins: Uint8Array): Design {
  const layout = sparseLayout(bins)
  return {n, cols: bins.length, bins, rowMajor, layout, sparse: sparseRows(layout, rowMajor, n)}
}

/** Fold (0..k−1) of each of n rows, balanced and shuffled by the seed. */
export function assignFolds(n: number, k: number, seed: number): Int32Array {
  const order = new Rng(seed).shuffle(Array.from({length: n}, (_, i) => i))
  const folds = new Int32Array(n)
  order.forEach((row, i) => {
    folds[row] = i % k
  })
  return folds
}

/** What an engine fits on: some rows of a design and their labels. */
export interface FitTask {
  design: Design
  /** Rows of the design this model has an outcome for. */
  rows: Int32Array
  /** Outcome (0..1) of each of `rows`. */
  y: Float64Array
  /** Weight of each of `rows` (absent: 1). */
  weights?: Float64Array | undefined
  /** Fold of every design row (for cross-validation). */
  folds: Int32Array
  seed: number
  /** State shared by fits on the same design (a neighbour search, say); keyed by the engine. */
  shared: Map<string, unknown>
}

export interface Engine {
  readonly name: EngineName
  fit(task: FitTask): EstimatorJson
}

/**
 * One item as estimators read it: bins, active one-hot features, and a
 * cache for work several estimators share (the neighbour search), cleared
 * when the query moves to another item.
 */
export class Query {
  readonly bins: Uint8Array
  readonly active: Int32Array
  count = 0
  /** Bumped on every `set`: caches keyed by it go stale. */
  version = 0
  readonly cache = new Map<object, {version: number; value: unknown}>()

  constructor(readonly layout: SparseLayout) {
    this.bins = new Uint8Array(layout.offsets.length)
    this.active = new Int32Array(layout.offsets.length)
  }

  /** Points the query at an item's bins (copied). */
  set(bins: ArrayLike<number>): this {
    this.bins.set(bins)
    this.count = expandRow(this.layout, this.bins, this.active)
    this.version++
    return this
  }

  /** Moves to the bins already written into `this.bins`. */
  refresh(): this {
    this.count = expandRow(this.layout, this.bins, this.active)
    this.version++
    return this
  }

  /** `compute()` once per item and key. */
  memo<T>(key: object, compute: () => T): T {
    const hit = this.cache.get(key)
    if (hit && hit.version === this.version) return hit.value as T
    const value = compute()
    this.cache.set(key, {version: this.version, value})
    return value
  }
}

export interface Estimator {
  readonly json: EstimatorJson
  /** P(success) of the item the query points at. */
  predict(q: Query): number
}

/** Labels of a task's rows as a success rate (weighted). */
export function baseRate(y: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let w = 0
  let wy = 0
  for (let i = 0; i < y.length; i++) {
    const wi = weights ? (weights[i] as number) : 1
    w += wi
    wy += wi * (y[i] as number)
  }
  return w > 0 ? wy / w : 0
}
