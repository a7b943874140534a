/**
 * Random forests that estimate P(success | features) for one model, on
 * features already binned to small integers (see featurize.ts).
 *
 * Why not ml-cart's trainer by default: it takes every change of label in a
 * sorted column as a split candidate and re-partitions the node's rows for each
 * one, so a node costs O(rows²) per feature even when a feature has only a few
 * distinct values. Measured here: 1,000 rows × 100 binned features × 10 trees
 * take 6.5 s, 3,000 rows take 86 s; 100k outcome rows would take hours. This
 * trainer builds a histogram per feature and node instead (O(rows) per feature
 * and node, at most 256 bins), samples features at every split as random
 * forests usually do, and keeps the leaves soft: a leaf stores the smoothed
 * success rate of the training rows that reached it, not a vote. The ml-random-
 * forest engine stays available (mljs-forest.ts) and lands in the same compiled
 * form, so routing does not care which engine trained a forest.
 */
import {Rng} from './random.js'

/** Rows × columns of bin indices (0..255), stored column by column. */
export interface BinnedMatrix {
  rows: number
  cols: number
  /** `data[col * rows + row]`. */
  data: Uint8Array
  /** Number of bins of each column (values are < bins[col]). */
  bins: Uint8Array | number[]
}

export interface ForestOptions {
  trees: number
  /** Deepest level a node may sit at (the root is level 0). */
  maxDepth: number
  /** Least (bootstrap-weighted) rows a leaf may hold. */
  minLeaf: number
  /** Features tried at each split: a count, or a fraction of the columns. */
  mtry: number
  /**
   * Pseudo-rows of the base rate mixed into each leaf: a leaf holding k
   * successes out of n says (k + m·base) / (n + m), so small leaves do not
   * claim certainty.
   */
  smoothing: number
  seed: number
}

export const defaultForestOptions: ForestOptions = {
  trees: 64,
  maxDepth: 12,
  minLeaf: 10,
  mtry: 0.33,
  smoothing: 4,
  seed: 1,
}

/**
 * A forest as saved in router.json: every tree's nodes in one set of flat
 * arrays. A node with `feature[i] = -1` is a leaf whose estimate is `value[i]`;
 * otherwise rows with `bin <= split[i]` go to `child[i]` and the others to
 * `child[i] + 1`. `roots[t]` is tree t's root.
 */
export interface ForestJson {
  roots: number[]
  feature: number[]
  split: number[]
  child: number[]
  value: number[]
  /** Training success rate of the model (the prior the leaves shrink toward). */
  base: number
}

/**
 * A forest in typed arrays, ready to evaluate. Node i sits at `nodes[2i]`
 * (its feature and split packed as `feature * 256 + split + 1`, −1 for a
 * leaf) and `nodes[2i + 1]` (its left child): routing walks thousands of
 * nodes per decision, memory traffic is its cost, and one read then brings
 * both halves of a node.
 */
export interface CompiledForest {
  roots: Int32Array
  nodes: Int32Array
  value: Float64Array
  base: number
}

class NodeBuffer {
  feature: number[] = []
  split: number[] = []
  child: number[] = []
  value: number[] = []

  add(): number {
    this.feature.push(-1)
    this.split.push(0)
    this.child.push(0)
    this.value.push(0)
    return this.feature.length - 1
  }
}

/**
 * Trains a forest on binned features `x` and outcomes `y` (0..1, a success
 * rate per row), rows weighted by `sampleWeight` when given (a row's
 * bootstrap count is multiplied by its weight). Deterministic for
 * `options.seed`.
 */
export function trainForest(
  x: BinnedMatrix,
  y: ArrayLike<number>,
  options: Partial<ForestOptions> = {},
  sampleWeight?: ArrayLike<number>,
): ForestJson {
  const opts = {...defaultForestOptions, ...options}
  const n = x.rows
  if (n === 0) throw new RangeError('trainForest: no rows')
  if (y.length !== n) throw new RangeError(`trainForest: ${y.length} labels for ${n} rows`)
  if (sampleWeight && sampleWeight.length !== n)
    throw new RangeError(`trainForest: ${sampleWeight.length} weights for ${n} rows`)
  let sumW = 0
  let sumY = 0
  for (let i = 0; i < n; i++) {
    const wi = sampleWeight ? (sampleWeight[i] as number) : 1
    sumW += wi
    sumY += wi * (y[i] as number)
  }
  const base = sumW > 0 ? sumY / sumW : 0

  const mtry = Math.max(1, Math.min(x.cols, opts.mtry < 1 ? Math.round(opts.mtry * x.cols) : Math.floor(opts.mtry)))
  const rng = new Rng(opts.seed)
  const nodes = new NodeBuffer()
  const roots: number[] = []

  let maxBins = 2
  for (let c = 0; c < x.cols; c++) maxBins = Math.max(maxBins, x.bins[c] as number)
  const histW = new Float64Array(maxBins)
  const histY = new Float64Array(maxBins)
  const weight = new Float64Array(n)
  const rows = new Int32Array(n)
  const columns = Int32Array.from({length: x.cols}, (_, i) => i)
  const stack: Array<{node: number; start: number; end: number; depth: number}> = []

  for (let t = 0; t < opts.trees; t++) {
    // Bootstrap: n draws with replacement, kept as a weight per distinct row.
    weight.fill(0)
    for (let i = 0; i < n; i++) weight[rng.int(n)]! += 1
    if (sampleWeight) for (let i = 0; i < n; i++) weight[i]! *= sampleWeight[i] as number
    let count = 0
    for (let i = 0; i < n; i++) if (weight[i]! > 0) rows[count++] = i

    const root = nodes.add()
    roots.push(root)
    stack.push({node: root, start: 0, end: count, depth: 0})
    while (stack.length > 0) {
      const {node, start, end, depth} = stack.pop()!
      let w = 0
      let wy = 0
      for (let k = start; k < end; k++) {
        const r = rows[k]!
        w += weight[r]!
        wy += weight[r]! * (y[r] as number)
      }
      const leafValue = (wy + opts.smoothing * base) / (w + opts.smoothing)
      if (depth >= opts.maxDepth || w < 2 * opts.minLeaf || wy <= 0 || wy >= w) {
        nodes.value[node] = leafValue
        continue
      }

      // Partial Fisher–Yates: the first `mtry` entries become this split's features.
      for (let i = 0; i < mtry; i++) {
        const j = i + rng.int(x.cols - i)
        const a = columns[i]!
        columns[i] = columns[j]!
        columns[j] = a
      }
      const parentScore = (wy * wy) / w
      let bestGain = 1e-12
      let bestColumn = -1
      let bestSplit = 0
      for (let i = 0; i < mtry; i++) {
        const c = columns[i]!
        const nb = x.bins[c] as number
        if (nb < 2) continue
        histW.fill(0, 0, nb)
        histY.fill(0, 0, nb)
        const offset = c * n
        for (let k = start; k < end; k++) {
          const r = rows[k]!
          const b = x.data[offset + r]!
          histW[b]! += weight[r]!
          histY[b]! += weight[r]! * (y[r] as number)
        }
        // Variance reduction of a left/right cut after bin s; for 0/1 outcomes
        // this is the Gini gain (up to a constant factor).
        let lw = 0
        let ly = 0
        for (let s = 0; s < nb - 1; s++) {
          lw += histW[s]!
          ly += histY[s]!
          if (histW[s] === 0) continue
          const rw = w - lw
          if (lw < opts.minLeaf) continue
          if (rw < opts.minLeaf) break
          const ry = wy - ly
          const gain = (ly * ly) / lw + (ry * ry) / rw - parentScore
          if (gain > bestGain) {
            bestGain = gain
            bestColumn = c
            bestSplit = s
          }
        }
      }
      if (bestColumn < 0) {
        nodes.value[node] = leafValue
        continue
      }

      // Partition rows[start, end) in place: bin <= split first.
      const offset = bestColumn * n
      let lo = start
      let hi = end - 1
      while (lo <= hi) {
        if (x.data[offset + rows[lo]!]! <= bestSplit) lo++
        else {
          const a = rows[lo]!
          rows[lo] = rows[hi]!
          rows[hi] = a
          hi--
        }
      }
      const left = nodes.add()
      nodes.add()
      nodes.feature[node] = bestColumn
      nodes.split[node] = bestSplit
      nodes.child[node] = left
      nodes.value[node] = leafValue
      stack.push({node: left + 1, start: lo, end, depth: depth + 1})
      stack.push({node: left, start, end: lo, depth: depth + 1})
    }
  }

  return {
    roots,
    feature: nodes.feature,
    split: nodes.split,
    child: nodes.child,
    value: nodes.value.map(round6),
    base: round6(base),
  }
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

/** Turns a saved forest into typed arrays for fast evaluation. */
export function compileForest(json: ForestJson): CompiledForest {
  const n = json.feature.length
  const nodes = new Int32Array(2 * n)
  for (let i = 0; i < n; i++) {
    const f = json.feature[i]!
    const split = json.split[i]!
    if (f >= 0 && (split < -1 || split > 254))
      throw new RangeError(`compileForest: split ${split} of node ${i} is outside the bins`)
    nodes[2 * i] = f < 0 ? -1 : f * 256 + split + 1
    nodes[2 * i + 1] = json.child[i]!
  }
  return {roots: Int32Array.from(json.roots), nodes, value: Float64Array.from(json.value), base: json.base}
}

/** The forest's estimate of P(success) for one row of bins: the mean of its trees' leaves. */
export function predictForest(forest: CompiledForest, row: Uint8Array): number {
  const {roots, nodes, value} = forest
  let sum = 0
  for (let t = 0; t < roots.length; t++) {
    let at = 2 * roots[t]!
    let k = nodes[at]!
    while (k >= 0) {
      // Right when the row's bin is above the split: bin > (k & 255) − 1.
      at = 2 * (nodes[at + 1]! + (row[k >>> 8]! >= (k & 255) ? 1 : 0))
      k = nodes[at]!
    }
    sum += value[at >>> 1]!
  }
  return roots.length > 0 ? sum / roots.length : forest.base
}

/** Estimates for every row of a binned matrix (column-major, as in training). */
export function predictMatrix(forest: CompiledForest, x: BinnedMatrix): Float64Array {
  const out = new Float64Array(x.rows)
  const row = new Uint8Array(x.cols)
  for (let r = 0; r < x.rows; r++) {
    for (let c = 0; c < x.cols; c++) row[c] = x.data[c * x.rows + r]!
    out[r] = predictForest(forest, row)
  }
  return out
}
