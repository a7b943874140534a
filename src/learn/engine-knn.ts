/**
 * k nearest neighbours by cosine similarity over the one-hot view of a design,
 * each feature weighted by its inverse document frequency among the reference
 * items (a hashed word most items share says little). The estimate is the
 * success rate of the k most similar reference items the model ran, with a
 * pseudo-neighbour at the base rate; k is chosen by 5-fold cross-validated
 * log-loss. The search goes through an inverted index (feature → items), one
 * search per item serves every model's estimator (Query.memo), and the nearest
 * are found by selection, not by sorting every reference. Features on in more
 * than half of the reference items are left out of the similarity, as stop
 * words are in text retrieval: they say little about which items are alike
 * and cost the most to search.
 *
 * Routing compares an item with every reference item it shares a feature
 * with, so the reference items are at most `maxReferences` training items
 * (a seeded sample when there are more): the time per decision stays bounded
 * whatever the size of the training split.
 */
import {baseRate, type Engine, type Estimator, type FitTask, type KnnJson, type Query} from './estimator.js'
import {Rng} from './random.js'
import type {SparseRows} from './sparse.js'

/** The k tried by cross-validation. */
const knnGrid = [5, 10, 20, 40, 80, 160]

/** Reference items kept at most (the rest of the training items still choose k). */
const maxReferences = 1000

/** Neighbours kept per search: the largest k, and room for items a model did not run. */
const searchLimit = 200

/** Features on in more than this share of reference items are not compared. */
const maxDocumentShare = 0.5

const prior = 1

/** Reference items as saved in router.json: their active features (compressed sparse rows). */
export interface ReferencesJson {
  dims: number
  start: number[]
  index: number[]
}

/** Reference items and their similarity to a query. */
export interface Similar {
  ids: Int32Array
  sims: Float64Array
  count: number
}

/** Reference items indexed for cosine search. */
export class ReferenceIndex {
  readonly n: number
  readonly dims: number
  /** idf² of each feature. */
  private readonly weight: Float64Array
  private readonly norm: Float64Array
  private readonly postStart: Int32Array
  private readonly postRows: Int32Array
  private readonly acc: Float64Array
  private readonly scratch: Float64Array

  constructor(readonly rows: SparseRows) {
    const {n, dims, start, index} = rows
    this.n = n
    this.dims = dims
    const df = new Int32Array(dims)
    for (let k = 0; k < index.length; k++) df[index[k]!]!++
    this.weight = new Float64Array(dims)
    for (let j = 0; j < dims; j++) {
      if (df[j]! > maxDocumentShare * n) {
        df[j] = 0
        continue
      }
      const idf = Math.log((1 + n) / (1 + df[j]!)) + 1
      this.weight[j] = idf * idf
    }
    this.norm = new Float64Array(n)
    for (let r = 0; r < n; r++) {
      let s = 0
      for (let k = start[r]!; k < start[r + 1]!; k++) s += this.weight[index[k]!]!
      this.norm[r] = Math.sqrt(s)
    }
    this.postStart = new Int32Array(dims + 1)
    for (let j = 0; j < dims; j++) this.postStart[j + 1] = this.postStart[j]! + df[j]!
    this.postRows = new Int32Array(this.postStart[dims]!)
    const fill = this.postStart.slice(0, dims)
    for (let r = 0; r < n; r++)
      for (let k = start[r]!; k < start[r + 1]!; k++)
        if (this.weight[index[k]!]! > 0) this.postRows[fill[index[k]!]!++] = r
    this.acc = new Float64Array(n)
    this.scratch = new Float64Array(n)
  }

  static fromJSON(json: ReferencesJson): ReferenceIndex {
    return new ReferenceIndex({
      n: json.start.length - 1,
      dims: json.dims,
      start: Int32Array.from(json.start),
      index: Int32Array.from(json.index),
    })
  }

  toJSON(): ReferencesJson {
    return {dims: this.dims, start: Array.from(this.rows.start), index: Array.from(this.rows.index)}
  }

  /**
   * Every reference sharing a feature with the query's active features, with
   * its cosine similarity, written into `out` (sized for `n`); `skip(r)` leaves
   * reference r out (its fold, in cross-validation).
   */
  similar(active: ArrayLike<number>, count: number, out: Similar, skip?: (r: number) => boolean): Similar {
    const {acc, weight, postStart, postRows, norm, n} = this
    let qn = 0
    // Nearly every reference shares some feature with a query: accumulate
    // into all of them (a tight loop) and sweep them once, rather than keep a
    // list of those touched.
    for (let a = 0; a < count; a++) {
      const j = active[a] as number
      if (j >= this.dims) continue
      const wj = weight[j]!
      if (wj === 0) continue
      qn += wj
      const end = postStart[j + 1]!
      for (let p = postStart[j]!; p < end; p++) acc[postRows[p]!]! += wj
    }
    const inverse = qn > 0 ? 1 / Math.sqrt(qn) : 0
    let size = 0
    for (let r = 0; r < n; r++) {
      const dot = acc[r]!
      if (dot === 0) continue
      acc[r] = 0
      if (skip?.(r)) continue
      out.ids[size] = r
      out.sims[size] = (dot * inverse) / (norm[r]! || 1)
      size++
    }
    out.count = size
    return out
  }

  /** A buffer for `similar`. */
  buffer(): Similar {
    return {ids: new Int32Array(this.n), sims: new Float64Array(this.n), count: 0}
  }

  /**
   * The `limit` nearest references (in no order; ties: the earlier
   * reference), into `out`; `buffer` is scratch space from `buffer()`.
   */
  nearest(
    active: ArrayLike<number>,
    count: number,
    limit: number,
    buffer: Similar,
    out: Similar,
    skip?: (r: number) => boolean,
  ): Similar {
    return keepNearest(this.similar(active, count, buffer, skip), limit, out, this.scratch)
  }
}

/** The k-th largest of `values[0..n)` (1 ≤ k ≤ n), reordering them: quickselect, median-of-three pivot. */
function kthLargest(values: Float64Array, n: number, k: number): number {
  let lo = 0
  let hi = n - 1
  const want = k - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    let a = values[lo]!
    let b = values[mid]!
    let c = values[hi]!
    let t: number
    // Order a ≥ b ≥ c (descending), the median in b.
    if (b > a) {
      t = a
      a = b
      b = t
    }
    if (c > b) {
      t = b
      b = c
      c = t
      if (b > a) {
        t = a
        a = b
        b = t
      }
    }
    values[lo] = a
    values[mid] = b
    values[hi] = c
    const pivot = b
    let i = lo
    let j = hi
    while (i <= j) {
      while (values[i]! > pivot) i++
      while (values[j]! < pivot) j--
      if (i <= j) {
        t = values[i]!
        values[i] = values[j]!
        values[j] = t
        i++
        j--
      }
    }
    if (want <= j) hi = j
    else if (want >= i) lo = i
    else return values[want]!
  }
  return values[lo]!
}

/**
 * Keeps the `k` nearest of `from` (ties: the earlier in `from`, which lists
 * references in ascending order wherever similarities tie) into `out`;
 * `scratch` holds at least `from.count` numbers.
 */
function keepNearest(from: Similar, k: number, out: Similar, scratch: Float64Array): Similar {
  const n = from.count
  if (n <= k) {
    out.ids.set(from.ids.subarray(0, n))
    out.sims.set(from.sims.subarray(0, n))
    out.count = n
    return out
  }
  scratch.set(from.sims.subarray(0, n))
  const cut = kthLargest(scratch, n, k)
  let size = 0
  for (let i = 0; i < n; i++) {
    if (from.sims[i]! > cut) {
      out.ids[size] = from.ids[i]!
      out.sims[size] = from.sims[i]!
      size++
    }
  }
  for (let i = 0; i < n && size < k; i++) {
    if (from.sims[i] === cut) {
      out.ids[size] = from.ids[i]!
      out.sims[size] = cut
      size++
    }
  }
  out.count = size
  return out
}

/** Scratch space for picking one model's neighbours. */
interface Scratch {
  labelled: Similar
  kept: Similar
  values: Float64Array
}

function scratchFor(size: number): Scratch {
  const similar = (): Similar => ({ids: new Int32Array(size), sims: new Float64Array(size), count: 0})
  return {labelled: similar(), kept: similar(), values: new Float64Array(size)}
}

/** The estimate from the nearest references: the k nearest with a label, and the prior. */
function estimate(
  near: Similar,
  labels: Float64Array,
  weights: Float64Array | undefined,
  k: number,
  base: number,
  scratch: Scratch,
): number {
  const labelled = scratch.labelled
  let n = 0
  for (let i = 0; i < near.count; i++) {
    const r = near.ids[i]!
    if (labels[r]! < 0) continue
    labelled.ids[n] = r
    labelled.sims[n] = near.sims[i]!
    n++
  }
  labelled.count = n
  const kept = keepNearest(labelled, k, scratch.kept, scratch.values)
  let w = 0
  let wy = 0
  for (let i = 0; i < kept.count; i++) {
    const r = kept.ids[i]!
    const wi = weights ? weights[r]! : 1
    w += wi
    wy += wi * labels[r]!
  }
  return (wy + prior * base) / (w + prior)
}

interface CvState {
  index: ReferenceIndex
  /** Design row of each reference. */
  refRows: Int32Array
  /** Reference of each design row (−1: not a reference). */
  refOf: Int32Array
  /** Each design row's nearest references of other folds (in no order). */
  lists: Similar[]
}

/** The sparse rows of some design rows. */
function subsetRows(sp: SparseRows, rows: Int32Array): SparseRows {
  const start = new Int32Array(rows.length + 1)
  let total = 0
  rows.forEach((r, i) => {
    total += sp.start[r + 1]! - sp.start[r]!
    start[i + 1] = total
  })
  const index = new Int32Array(total)
  rows.forEach((r, i) => {
    index.set(sp.index.subarray(sp.start[r]!, sp.start[r + 1]!), start[i]!)
  })
  return {n: rows.length, dims: sp.dims, start, index}
}

/**
 * The reference items of a design (every row, or a seeded sample of
 * `maxReferences`) and every row's out-of-fold neighbours, built once for all
 * models.
 */
function cvState(task: FitTask): CvState {
  const hit = task.shared.get('knn') as CvState | undefined
  if (hit) return hit
  const sp = task.design.sparse
  let refRows = Int32Array.from({length: sp.n}, (_, i) => i)
  if (sp.n > maxReferences) {
    const picked = new Rng(task.seed ^ 0x5bd1e995).shuffle(Array.from(refRows)).slice(0, maxReferences)
    refRows = Int32Array.from(picked.sort((a, b) => a - b))
  }
  const refOf = new Int32Array(sp.n).fill(-1)
  refRows.forEach((r, i) => {
    refOf[r] = i
  })
  const index = new ReferenceIndex(subsetRows(sp, refRows))
  const buffer = index.buffer()
  const found = {ids: new Int32Array(searchLimit), sims: new Float64Array(searchLimit), count: 0}
  const lists: CvState['lists'] = []
  for (let r = 0; r < sp.n; r++) {
    const fold = task.folds[r]
    const s = index.nearest(
      sp.index.subarray(sp.start[r]!, sp.start[r + 1]!),
      sp.start[r + 1]! - sp.start[r]!,
      searchLimit,
      buffer,
      found,
      o => task.folds[refRows[o]!] === fold || refRows[o] === r,
    )
    lists.push({ids: s.ids.slice(0, s.count), sims: s.sims.slice(0, s.count), count: s.count})
  }
  const state = {index, refRows, refOf, lists}
  task.shared.set('knn', state)
  return state
}

export const knnEngine: Engine = {
  name: 'knn',
  fit(task: FitTask): KnnJson {
    const {lists, refOf, index} = cvState(task)
    const labels = new Float64Array(index.n).fill(-1)
    const weights = task.weights ? new Float64Array(index.n).fill(0) : undefined
    task.rows.forEach((r, i) => {
      const ref = refOf[r]!
      // A row of weight 0 says nothing: it is no neighbour.
      if (ref < 0 || (task.weights && !(task.weights[i]! > 0))) return
      labels[ref] = task.y[i]!
      if (weights) weights[ref] = task.weights![i]!
    })
    const base = baseRate(task.y, task.weights)
    const scratch = scratchFor(searchLimit)
    // Cross-validated log-loss of each k, over every training row of the model (reference or not).
    let bestK = knnGrid[0]!
    let bestLoss = Number.POSITIVE_INFINITY
    for (const k of knnGrid) {
      let loss = 0
      task.rows.forEach((r, i) => {
        const list = lists[r]!
        const p = Math.min(1 - 1e-6, Math.max(1e-6, estimate(list, labels, weights, k, base, scratch)))
        const y = task.y[i]!
        loss -= (task.weights ? task.weights[i]! : 1) * (y * Math.log(p) + (1 - y) * Math.log(1 - p))
      })
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss
        bestK = k
      }
    }
    return {
      engine: 'knn',
      k: bestK,
      prior,
      labels: Array.from(labels, v => (v < 0 ? -1 : Math.round(v * 1e6) / 1e6)),
      ...(weights ? {weights: Array.from(weights)} : {}),
      base: Math.round(base * 1e6) / 1e6,
    }
  },
}

/** The reference items a design's kNN estimators were fitted against. */
export function knnReferences(task: Pick<FitTask, 'shared'>): ReferenceIndex | undefined {
  return (task.shared.get('knn') as CvState | undefined)?.index
}

/** A saved kNN estimator over a loaded reference index. */
export function loadKnn(json: KnnJson, index: ReferenceIndex): Estimator {
  if (json.labels.length !== index.n)
    throw new RangeError(`kNN: ${json.labels.length} labels for ${index.n} reference items`)
  const labels = Float64Array.from(json.labels)
  const weights = json.weights ? Float64Array.from(json.weights) : undefined
  const {buffer, found} = buffersFor(index)
  const scratch = scratchFor(searchLimit)
  return {
    json,
    predict(q: Query): number {
      const near = q.memo(index, () => index.nearest(q.active, q.count, searchLimit, buffer, found))
      return estimate(near, labels, weights, json.k, json.base, scratch)
    },
  }
}

/** Search buffers, one set per index: every estimator over it reads the same search through the query's memo. */
const buffers = new WeakMap<ReferenceIndex, {buffer: Similar; found: Similar}>()

function buffersFor(index: ReferenceIndex): {buffer: Similar; found: Similar} {
  let b = buffers.get(index)
  if (!b) {
    b = {
      buffer: index.buffer(),
      found: {ids: new Int32Array(searchLimit), sims: new Float64Array(searchLimit), count: 0},
    }
    buffers.set(index, b)
  }
  return b
}
