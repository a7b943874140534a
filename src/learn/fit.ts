/**
 * Fitting engines for every candidate model on one training design, and
 * predicting held-out items with them. One Query per item serves every
 * engine and model (a kNN search is done once per item).
 */
import type {Encoder} from './encoder.js'
import {knnReferences, type ReferenceIndex} from './engine-knn.js'
import {loadEstimator} from './engines.js'
import {type Design, type Engine, type EngineName, type Estimator, type EstimatorJson, Query} from './estimator.js'
import type {Item} from './outcome-table.js'
import {Rng} from './random.js'
import type {ModelSummary} from './result.js'

export interface FitContext {
  design: Design
  folds: Int32Array
  shared: Map<string, unknown>
  seed: number
  progress: (message: string) => void
}

export interface FittedEngine {
  engine: EngineName
  json: EstimatorJson[]
  estimators: Estimator[]
}

/** The training rows and outcomes of one model. */
function rowsOf(train: Item[], model: string): {rows: Int32Array; y: Float64Array} {
  const rows: number[] = []
  const y: number[] = []
  train.forEach((item, i) => {
    const k = item.models.indexOf(model)
    if (k >= 0) {
      rows.push(i)
      y.push(item.success[k]!)
    }
  })
  return {rows: Int32Array.from(rows), y: Float64Array.from(y)}
}

/** Fits `engine` for every candidate (seeds drawn in candidate order from the context's seed). */
export function fitEngine(engine: Engine, train: Item[], candidates: ModelSummary[], ctx: FitContext): FittedEngine {
  const rng = new Rng(ctx.seed)
  const json = candidates.map(cand => {
    const {rows, y} = rowsOf(train, cand.model)
    const seed = rng.seed()
    ctx.progress(`training ${cand.model} on ${rows.length} items (${engine.name})`)
    return engine.fit({design: ctx.design, rows, y, folds: ctx.folds, seed, shared: ctx.shared})
  })
  const references = engine.name === 'knn' ? knnReferences(ctx) : undefined
  return {engine: engine.name, json, estimators: json.map(j => loadEstimator(j, references))}
}

/** The reference items of a context's kNN fits (undefined when none was fitted). */
export function fittedReferences(ctx: FitContext): ReferenceIndex | undefined {
  return knnReferences(ctx)
}

/**
 * Every engine's estimates for items: `out[e][i * k + c]` is engine e's
 * estimate for item i and candidate c.
 */
export function predictItems(items: Item[], encoder: Encoder, design: Design, fitted: FittedEngine[]): Float64Array[] {
  const k = fitted[0]?.estimators.length ?? 0
  const out = fitted.map(() => new Float64Array(items.length * k))
  const q = new Query(design.layout)
  items.forEach((item, i) => {
    encoder.encode(item, q.bins)
    q.refresh()
    fitted.forEach((f, e) => {
      for (let c = 0; c < k; c++) out[e]![i * k + c] = f.estimators[c]!.predict(q)
    })
  })
  return out
}
