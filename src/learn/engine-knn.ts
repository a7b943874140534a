/**
 * k nearest neighbours by cosine similarity over the one-hot view of a design,
 * each feature weighted by its inverse document frequency among the reference
 * items (a hashed word most items share says little). The estimate is the
 * success rate of the k most similar reference items the model ran, with a
 * pseudo-neighbour at the base rate; k is chosen by 5-fold cross-validated
 * log-loss. The search goes through an inverted index (feature → items), one
 * search per item serves every model's estimator (Query.memo), and the
 * nearest are ordered by counting, not by sorting every reference. Features on in more
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
  private readonly counts = new Int32Array(buckets)

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
   * The `limit` nearest references, nearest first (ties: the earlier
   * reference), into `out` (sized for `n`); `buffer` is scratch space from
   * `buffer()`.
   */
  nearest(
    active: ArrayLike<number>,
    count: number,
    limit: number,
    buffer: Similar,
    out: Similar,
    skip?: (r: number) => boolean,
  ): Similar {
    return topSorted(this.similar(active, count, buffer, skip), limit, out, this.counts)
  }
}

/** Buckets of similarity (0..1) for ordering neighbours by counting. */
const buckets = 1024

/**
 * The `limit` nearest of `from`, nearest first (ties: the earlier in `from`,
 * which lists references in ascending order), into `out` (sized like
 * `from`): a counting sort by similarity bucket down to the bucket that holds
 * the limit-th, then insertion sort inside each bucket, which holds a few.
 * Linear in `from.count`; no comparison sort of every reference.
 */
function topSorted(from: Similar, limit: number, out: Similar, counts: Int32Array): Similar {
  const n = from.count
  const {ids, sims} = from
  counts.fill(0)
  const bucketOf = (sim: number): number => Math.min(buckets - 1, Math.max(0, Math.floor(sim * buckets)))
  for (let i = 0; i < n; i++) counts[bucketOf(sims[i]!)]!++
  let cut = buckets - 1
  let kept = 0
  for (; cut > 0; cut--) {
    kept += counts[cut]!
    if (kept >= limit) break
  }
  if (cut === 0) kept += counts[0]!
  // Start of each kept bucket in `out`, the highest bucket first.
  let at = 0
  for (let b = buckets - 1; b >= cut; b--) {
    const c = counts[b]!
    counts[b] = at
    at += c
  }
  for (let i = 0; i < n; i++) {
    const b = bucketOf(sims[i]!)
    if (b < cut) continue
    const p = counts[b]!++
    out.ids[p] = ids[i]!
    out.sims[p] = sims[i]!
  }
  // Inside a bucket: by similarity, falling (stable, so equal ones keep their order).
  for (let i = 1; i < kept; i++) {
    const id = out.ids[i]!
    const sim = out.sims[i]!
    let j = i - 1
    while (j >= 0 && out.sims[j]! < sim) {
      out.ids[j + 1] = out.ids[j]!
      out.sims[j + 1] = out.sims[j]!
      j--
    }
    out.ids[j + 1] = id
    out.sims[j + 1] = sim
  }
  out.count = Math.min(limit, kept)
  return out
}

/** The estimate from the nearest references (nearest first): the first k with a label, and the prior. */
function estimate(
  near: Similar,
  labels: Float64Array,
  weights: Float64Array | undefined,
  k: number,
  base: number,
): number {
  let used = 0
  let w = 0
  let wy = 0
  for (let i = 0; i < near.count && used < k; i++) {
    const r = near.ids[i]!
    const y = labels[r]!
    if (y < 0) continue
    const wi = weights ? weights[r]! : 1
    w += wi
    wy += wi * y
    used++
  }
  return (wy + prior * base) / (w + prior)
}

interface CvState {
  index: ReferenceIndex
  /** Design row of each reference. */
  refRows: Int32Array
  /** Reference of each design row (−1: not a reference). */
  refOf: Int32Array
  /** Each design row's nearest references of other folds, nearest first. */
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
  const found = index.buffer()
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
    // Cross-validated log-loss of each k, over every training row of the model (reference or not).
    let bestK = knnGrid[0]!
    let bestLoss = Number.POSITIVE_INFINITY
    for (const k of knnGrid) {
      let loss = 0
      task.rows.forEach((r, i) => {
        const list = lists[r]!
        const p = Math.min(1 - 1e-6, Math.max(1e-6, estimate(list, labels, weights, k, base)))
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
  return {
    json,
    predict(q: Query): number {
      const near = q.memo(index, () => index.nearest(q.active, q.count, searchLimit, buffer, found))
      return estimate(near, labels, weights, json.k, json.base)
    },
  }
}

/** Search buffers, one set per index: every estimator over it reads the same search through the query's memo. */
const buffers = new WeakMap<ReferenceIndex, {buffer: Similar; found: Similar}>()

function buffersFor(index: ReferenceIndex): {buffer: Similar; found: Similar} {
  let b = buffers.get(index)
  if (!b) {
    b = {buffer: index.buffer(), found: index.buffer()}
    buffers.set(index, b)
  }
  return b
}
