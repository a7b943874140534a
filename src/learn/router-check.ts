/**
 * What the router schema cannot say: a router.json's trees are trees (every
 * child after its parent, so no walk can loop), every index is in range (a
 * feature past the row silently sends every item left), and its sizes are
 * bounded (`columns: 1e9` would allocate a gigabyte per router). Checked
 * when loading, before anything is allocated or walked.
 */
import type {ForestJson} from './forest.js'

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
}

/** The forests inside an estimator: itself, or those of the parts it averages. */
function* forestsOf(estimator: EstimatorLike): Generator<ForestJson> {
  if (estimator.engine === 'hist' || estimator.engine === 'ml-random-forest') yield estimator as unknown as ForestJson
  for (const part of estimator.parts ?? []) yield* forestsOf(part)
}

/**
 * The first structural problem of a router, or undefined: a router of aco 0.1
 * holds one forest per model, a newer one an estimator (a forest, or an
 * average whose parts may be forests).
 */
export function routerProblem(json: {
  features: {columns: number}
  models: ReadonlyArray<{model: string; forest?: ForestJson; estimator?: EstimatorLike}>
}): string | undefined {
  const columns = json.features.columns
  if (columns > MAX_COLUMNS) return `features.columns is ${columns}, more than ${MAX_COLUMNS}`
  for (const m of json.models) {
    const forests = m.forest ? [m.forest] : m.estimator ? [...forestsOf(m.estimator)] : []
    for (const forest of forests) {
      const problem = forestProblem(forest, columns)
      if (problem) return `the forest of ${m.model}: ${problem}`
    }
  }
  return undefined
}
