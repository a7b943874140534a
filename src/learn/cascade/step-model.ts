/**
 * The one seam between the cascade and the estimators of P(success): Router
 * I's engines (the histogram forest, L2 logistic regression, kNN, and the
 * average of the last two) fitted on rows of binned features (the item's
 * columns, then the step's post-hoc columns), saved as JSON, loaded and asked
 * for one row. The engine of each step is chosen by out-of-fold log-loss on
 * the training split (`fitStepModel` returns every candidate's out-of-fold
 * estimates), so the calibration split stays untouched for the conformal
 * bound.
 */
import {type ReferencesJson, ReferenceIndex} from '../engine-knn.js'
import {engines, loadEstimator} from '../engines.js'
import {assignFolds, type EngineName, type Estimator, type EstimatorJson, makeDesign, Query} from '../estimator.js'
import {knnReferences} from '../engine-knn.js'
import {sparseLayout} from '../sparse.js'

/** A binned design, row-major: `rowMajor[i * cols + c]`, column c taking values below `bins[c]`. */
export interface StepDesign {
  rows: number
  cols: number
  rowMajor: Uint8Array
  bins: Uint8Array
}

/** A step's estimator as saved in router.json (kNN estimators carry their reference items). */
export interface StepModelJson {
  estimator: EstimatorJson
  references?: ReferencesJson
}

export interface StepModel {
  /** P(the step's answer is right) for one row of bins. */
  predict(row: Uint8Array): number
}

/** The engines a step may use: one by name, or `auto` (chosen by out-of-fold log-loss). */
export type StepEngine = 'auto' | EngineName | 'mean'

/** Candidates of `auto`: ml-random-forest is quadratic in rows, so only on request. */
const autoCandidates: Array<Exclude<StepEngine, 'auto'>> = ['hist', 'logistic', 'knn', 'mean']

export interface StepFitOptions {
  seed: number
  trees: number
  folds: number
  engine: StepEngine
}

export interface StepFit {
  json: StepModelJson
  engine: Exclude<StepEngine, 'auto'>
  /** Out-of-fold estimate of each row by the chosen engine. */
  outOfFold: Float64Array
  /** Out-of-fold log-loss of every candidate, lowest first. */
  logLoss: Array<{engine: string; logLoss: number}>
}

function logLoss(p: Float64Array, y: Float64Array): number {
  let s = 0
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]!))
    s -= y[i]! * Math.log(q) + (1 - y[i]!) * Math.log(1 - q)
  }
  return s / Math.max(1, p.length)
}

/** Some rows of a design. */
function pick(design: StepDesign, rows: number[]): StepDesign {
  const rowMajor = new Uint8Array(rows.length * design.cols)
  rows.forEach((r, i) => {
    rowMajor.set(design.rowMajor.subarray(r * design.cols, (r + 1) * design.cols), i * design.cols)
  })
  return {rows: rows.length, cols: design.cols, rowMajor, bins: design.bins}
}

/** Fits one engine (a named one; `mean` averages logistic regression and kNN) on every row of a design. */
function fitOne(
  engine: Exclude<StepEngine, 'auto'>,
  design: StepDesign,
  y: Float64Array,
  seed: number,
  trees: number,
): StepModelJson {
  if (engine === 'mean') {
    const a = fitOne('logistic', design, y, seed, trees)
    const b = fitOne('knn', design, y, seed, trees)
    const base = y.reduce((s, v) => s + v, 0) / Math.max(1, y.length)
    return {
      estimator: {engine: 'mean', parts: [a.estimator, b.estimator], base: Math.round(base * 1e6) / 1e6},
      ...(b.references ? {references: b.references} : {}),
    }
  }
  const d = makeDesign(design.rowMajor, design.rows, design.bins)
  const shared = new Map<string, unknown>()
  const task = {
    design: d,
    rows: Int32Array.from({length: design.rows}, (_, i) => i),
    y,
    folds: assignFolds(design.rows, 5, seed),
    seed,
    shared,
  }
  const estimator = engines({trees})[engine].fit(task)
  const references = engine === 'knn' ? knnReferences({shared})?.toJSON() : undefined
  return {estimator, ...(references ? {references} : {})}
}

/** A saved step estimator, ready to predict rows of a design with these bins. */
export function loadStepModel(json: StepModelJson, bins: ArrayLike<number>): StepModel {
  const references = json.references ? ReferenceIndex.fromJSON(json.references) : undefined
  const estimator: Estimator = loadEstimator(json.estimator, references)
  const query = new Query(sparseLayout(bins))
  return {
    predict(row) {
      query.set(row)
      return estimator.predict(query)
    },
  }
}

/**
 * Fits a step: each candidate engine's out-of-fold estimates (folds by row,
 * seeded), the engine with the lowest log-loss, and that engine fitted on
 * every row.
 */
export function fitStepModel(design: StepDesign, y: Float64Array, options: StepFitOptions): StepFit {
  const candidates = options.engine === 'auto' ? autoCandidates : [options.engine]
  const n = design.rows
  const fold = assignFolds(n, options.folds, options.seed)
  const oof = new Map<string, Float64Array>()
  const base = ['hist', 'logistic', 'knn', 'ml-random-forest'].filter(e =>
    candidates.some(c => c === e || (c === 'mean' && (e === 'logistic' || e === 'knn'))),
  ) as EngineName[]
  for (const engine of base) {
    const p = new Float64Array(n)
    for (let k = 0; k < options.folds; k++) {
      const inFold: number[] = []
      const rest: number[] = []
      for (let i = 0; i < n; i++) (fold[i] === k ? inFold : rest).push(i)
      if (inFold.length === 0 || rest.length === 0) continue
      const sub = pick(design, rest)
      const model = loadStepModel(
        fitOne(
          engine,
          sub,
          Float64Array.from(rest, i => y[i]!),
          options.seed + k + 1,
          options.trees,
        ),
        design.bins,
      )
      for (const i of inFold) p[i] = model.predict(design.rowMajor.subarray(i * design.cols, (i + 1) * design.cols))
    }
    oof.set(engine, p)
  }
  if (candidates.includes('mean')) {
    const a = oof.get('logistic')!
    const b = oof.get('knn')!
    oof.set(
      'mean',
      a.map((v, i) => (v + b[i]!) / 2),
    )
  }
  const scored = candidates
    .map(engine => ({engine, logLoss: Math.round(logLoss(oof.get(engine)!, y) * 1e6) / 1e6}))
    .sort((a, b) => a.logLoss - b.logLoss)
  const chosen = scored[0]!.engine
  return {
    json: fitOne(chosen, design, y, options.seed, options.trees),
    engine: chosen,
    outOfFold: oof.get(chosen)!,
    logLoss: scored,
  }
}
