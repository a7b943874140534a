/**
 * The one typed adapter over ml-random-forest (untyped CommonJS): trains its
 * RandomForestClassifier, seeded, on binned features and turns its trees into
 * aco's compiled forest form (forest.ts), so routing is the same whichever
 * engine trained.
 *
 * Soft estimates: ml-random-forest's `predictProbability` counts hard votes,
 * which says P(success) = 1 for every model that succeeds on more than half of
 * the items when features are weak, and the router then collapses onto the
 * cheapest model. Its leaves keep class frequencies but not how many rows
 * made them, so they cannot be smoothed. Instead every training row is passed
 * down each converted tree, and a leaf's estimate is the smoothed success rate
 * of the rows that reach it, (k + m·base) / (n + m).
 *
 * ml-cart's trainer is quadratic in a node's rows (see forest.ts): this engine
 * suits small tables; `hist` is the default.
 */
import * as mlrf from 'ml-random-forest'
import type {BinnedMatrix, ForestJson, ForestOptions} from './forest.js'

/** What aco reads of an ml-cart tree node (its toJSON form). */
interface CartNode {
  splitColumn?: number
  splitValue?: number
  left?: CartNode
  right?: CartNode
}

interface MlrfModel {
  baseModel: {indexes: number[][]; estimators: Array<{root: CartNode}>}
}

interface MlrfClassifier {
  train(x: number[][], y: number[]): void
  toJSON(): MlrfModel
}

type MlrfConstructor = new (options: Record<string, unknown>) => MlrfClassifier

const RandomForestClassifier = (mlrf as unknown as {RandomForestClassifier: MlrfConstructor}).RandomForestClassifier

/** Trains ml-random-forest on `x`, `y` (success ≥ 0.5 counts as a success) and converts it. */
export function trainMljsForest(x: BinnedMatrix, y: ArrayLike<number>, options: ForestOptions): ForestJson {
  const n = x.rows
  const rows: number[][] = []
  for (let r = 0; r < n; r++) {
    const row = new Array<number>(x.cols)
    for (let c = 0; c < x.cols; c++) row[c] = x.data[c * n + r]!
    rows.push(row)
  }
  const labels = Array.from({length: n}, (_, i) => ((y[i] as number) >= 0.5 ? 1 : 0))
  let sum = 0
  for (let i = 0; i < n; i++) sum += y[i] as number
  const base = n > 0 ? sum / n : 0

  const forest = new RandomForestClassifier({
    nEstimators: options.trees,
    // ml-random-forest samples features once per tree, not per split.
    maxFeatures: options.mtry < 1 ? options.mtry : Math.min(1, options.mtry / x.cols),
    replacement: false,
    seed: options.seed | 0,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: {maxDepth: options.maxDepth, minNumSamples: 2 * options.minLeaf},
  })
  // ml-cart reads a single-class tree as having one class only: it still trains.
  forest.train(rows, labels)
  const model = forest.toJSON().baseModel

  const out: ForestJson = {roots: [], feature: [], split: [], child: [], value: [], base: Math.round(base * 1e6) / 1e6}
  model.estimators.forEach((estimator, t) => {
    const indexes = model.indexes[t]!
    const start = out.feature.length
    out.roots.push(start)
    convert(estimator.root, indexes, out)
    // Leaf estimates from every training row that reaches the leaf.
    const hits = new Map<number, {n: number; k: number}>()
    for (let r = 0; r < n; r++) {
      let node = start
      while (out.feature[node]! >= 0)
        node = out.child[node]! + (rows[r]![out.feature[node]!]! > out.split[node]! ? 1 : 0)
      const h = hits.get(node) ?? {n: 0, k: 0}
      h.n++
      h.k += y[r] as number
      hits.set(node, h)
    }
    for (let node = start; node < out.feature.length; node++) {
      if (out.feature[node]! >= 0) continue
      const h = hits.get(node) ?? {n: 0, k: 0}
      out.value[node] = Math.round(((h.k + options.smoothing * base) / (h.n + options.smoothing)) * 1e6) / 1e6
    }
  })
  return out
}

/**
 * Appends a tree in aco's layout (children next to each other). ml-cart sends
 * `value < splitValue` left; on integer bins that is `bin <= ceil(splitValue) − 1`.
 */
function convert(root: CartNode, indexes: number[], out: ForestJson): void {
  const add = (): number => {
    out.feature.push(-1)
    out.split.push(0)
    out.child.push(0)
    out.value.push(0)
    return out.feature.length - 1
  }
  const stack: Array<{cart: CartNode; node: number}> = [{cart: root, node: add()}]
  while (stack.length > 0) {
    const {cart, node} = stack.pop()!
    if (!cart.left || !cart.right || cart.splitColumn === undefined || cart.splitValue === undefined) continue
    const left = add()
    add()
    out.feature[node] = indexes[cart.splitColumn]!
    out.split[node] = Math.ceil(cart.splitValue) - 1
    out.child[node] = left
    stack.push({cart: cart.right, node: left + 1}, {cart: cart.left, node: left})
  }
}
