/**
 * What the router schema cannot say: a router.json's trees are trees (every
 * child after its parent, so no walk can loop), every index is in range (a
 * feature past the row silently sends every item left), every array has the
 * size the features give it (logistic weights one per one-hot feature, kNN
 * labels one per reference item: a shorter one gives NaN estimates, and NaN
 * sends every item to one model), and its sizes are bounded (`columns: 1e9`
 * would allocate a gigabyte per router). Checked when loading, before
 * anything is allocated or walked; shared by the item router, the cascade's
 * gates and the step router.
 */
import type {ReferencesJson} from './engine-knn.js'
import {columnBins, type FeatureSpec} from './featurize.js'
import type {ForestJson} from './forest.js'
import {sparseLayout} from './sparse.js'

/** More feature columns than this is no router aco trained (its text bag is at most a few thousand). */
const MAX_COLUMNS = 1 << 20
/** More nodes than this in one model's forest is no router aco trained. */
const MAX_NODES = 1 << 24

/** The first structural problem of a forest, or undefined. */
export function forestProblem(forest: ForestJson, columns: number): string | undefined {
  const n = forest.feature.length
  if (n > MAX_NODES) return `${n} nodes, more than ${MAX_NODES}`
  if (forest.split.length !== n || forest.child.length !== n || forest.value.length !== n)
    return `its node arrays differ in length (feature ${n}, split ${forest.split.length}, child ${forest.child.length}, value ${forest.value.length})`
  for (const [t, root] of forest.roots.entries())
    if (!Number.isInteger(root) || root < 0 || root >= n) return `tree ${t} starts at node ${root}, outside 0..${n - 1}`
  for (let i = 0; i < n; i++) {
    const f = forest.feature[i]!
    if (!Number.isInteger(f) || f < -1) return `node ${i} has feature ${f}`
    if (f < 0) continue
    if (f >= columns) return `node ${i} splits on column ${f}, but the router has ${columns} columns`
    const split = forest.split[i]!
    if (!Number.isInteger(split) || split < -1 || split > 254)
      return `node ${i} splits at bin ${split}, outside -1..254`
    const child = forest.child[i]!
    // Children come after their parent (as training writes them): a path only moves forward, so it ends.
    if (!Number.isInteger(child) || child <= i || child + 1 >= n)
      return `node ${i} points to children ${child} and ${child + 1}: not after it within 0..${n - 1} (a cycle or out of range)`
  }
  return undefined
}

interface EstimatorLike {
  engine: string
  parts?: readonly EstimatorLike[]
  weights?: readonly number[]
  labels?: readonly number[]
  k?: number
}

/** More reference items (or their active features in all) than this is no router aco trained. */
const MAX_REFERENCES = 1 << 26

/**
 * The first problem of the reference items kNN estimators compare with (compressed sparse rows over the features of
 * `bins`), checked once for every estimator that shares them.
 */
export function referencesProblem(refs: ReferencesJson, bins: ArrayLike<number>): string | undefined {
  const dims = sparseLayout(bins).dims
  if (refs.dims !== dims) return `its reference items have ${refs.dims} features, the features give ${dims}`
  const {start, index} = refs
  if (start.length === 0 || start.length > MAX_REFERENCES || index.length > MAX_REFERENCES)
    return `its reference items number ${start.length - 1} with ${index.length} features in all`
  if (start[0] !== 0 || start[start.length - 1] !== index.length)
    return `its reference rows run from ${start[0]} to ${start[start.length - 1]}, not 0 to ${index.length}`
  for (let r = 1; r < start.length; r++)
    if (!Number.isInteger(start[r]) || start[r]! < start[r - 1]!) return `reference row ${r - 1} ends before it starts`
  for (let k = 0; k < index.length; k++)
    if (!Number.isInteger(index[k]) || index[k]! < 0 || index[k]! >= dims)
      return `a reference item has feature ${index[k]}, outside 0..${dims - 1}`
  return undefined
}

/**
 * The first problem of one estimator over `bins` (the bins of each feature column), or undefined. `references`:
 * the reference items its kNN parts compare with (checked apart, once: `referencesProblem`).
 */
export function estimatorProblem(
  estimator: EstimatorLike,
  bins: ArrayLike<number>,
  references: ReferencesJson | undefined,
): string | undefined {
  const dims = sparseLayout(bins).dims
  const n = references ? references.start.length - 1 : 0
  const walk = (e: EstimatorLike): string | undefined => {
    switch (e.engine) {
      case 'hist':
      case 'ml-random-forest':
        return forestProblem(e as unknown as ForestJson, bins.length)
      case 'logistic':
        return e.weights?.length === dims
          ? undefined
          : `its logistic regression has ${e.weights?.length ?? 0} weights, the features give ${dims}`
      case 'knn':
        if (!references) return 'its kNN estimator has no reference items'
        if (e.labels?.length !== n)
          return `its kNN estimator has ${e.labels?.length ?? 0} labels for ${n} reference items`
        if (e.weights && e.weights.length !== n)
          return `its kNN estimator has ${e.weights.length} weights for ${n} reference items`
        if (!Number.isInteger(e.k) || e.k! < 1) return `its kNN estimator averages ${e.k} neighbours`
        return undefined
      default:
        for (const part of e.parts ?? []) {
          const problem = walk(part)
          if (problem) return problem
        }
        return undefined
    }
  }
  return walk(estimator)
}

/** Whether a feature spec's column count is the sum of its columns (the encoder writes that many bins). */
export function featuresProblem(spec: FeatureSpec): string | undefined {
  const columns =
    spec.numeric.length +
    spec.categorical.reduce((sum, c) => sum + c.values.length, 0) +
    (spec.text ? spec.text.stats.length + spec.text.buckets : 0)
  if (spec.columns > MAX_COLUMNS) return `features.columns is ${spec.columns}, more than ${MAX_COLUMNS}`
  return columns === spec.columns ? undefined : `features.columns is ${spec.columns}, its columns number ${columns}`
}

/**
 * The first structural problem of a router, or undefined: a router of aco 0.1
 * holds one forest per model, a newer one an estimator (a forest, a logistic
 * regression, a kNN over the router's reference items, or an average of them).
 */
export function routerProblem(json: {
  features: FeatureSpec
  models: ReadonlyArray<{model: string; forest?: ForestJson; estimator?: EstimatorLike}>
  references?: ReferencesJson
}): string | undefined {
  const spec = featuresProblem(json.features)
  if (spec) return spec
  const bins = columnBins(json.features)
  const refs = json.references ? referencesProblem(json.references, bins) : undefined
  if (refs) return refs
  for (const m of json.models) {
    const problem = m.forest
      ? forestProblem(m.forest, bins.length)
      : m.estimator
        ? estimatorProblem(m.estimator, bins, json.references)
        : undefined
    const forest = m.forest || m.estimator?.engine === 'hist' || m.estimator?.engine === 'ml-random-forest'
    if (problem) return `the ${forest ? 'forest' : 'estimator'} of ${m.model}: ${problem}`
  }
  return undefined
}
