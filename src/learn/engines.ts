/**
 * The engines by name, and loading any saved estimator. Forests (aco's
 * histogram trainer, or ml-random-forest through its adapter) split on bins;
 * logistic regression and kNN read the one-hot view; the constant is the base
 * rate every engine must beat.
 */
import type {BinnedMatrix} from './forest.js'
import {compileForest, defaultForestOptions, predictForest, trainForest, type ForestOptions} from './forest.js'
import {type ReferenceIndex, knnEngine, loadKnn} from './engine-knn.js'
import {loadLogistic, logisticEngine} from './engine-logistic.js'
import type {
  Design,
  Engine,
  EngineName,
  Estimator,
  EstimatorJson,
  FitTask,
  ForestEstimatorJson,
  Query,
} from './estimator.js'
import {trainMljsForest} from './mljs-forest.js'

/** Column-major matrix of some rows of a design, as the forests train on it. */
function binnedRows(design: Design, rows: ArrayLike<number>): BinnedMatrix {
  const n = rows.length
  const cols = design.cols
  const data = new Uint8Array(n * cols)
  for (let i = 0; i < n; i++) {
    const base = (rows[i] as number) * cols
    for (let c = 0; c < cols; c++) data[c * n + i] = design.rowMajor[base + c]!
  }
  return {rows: n, cols, data, bins: design.bins}
}

function forestEngine(name: 'hist' | 'ml-random-forest', options: ForestOptions): Engine {
  return {
    name,
    fit(task: FitTask): ForestEstimatorJson {
      const x = binnedRows(task.design, task.rows)
      const opts = {...options, seed: task.seed}
      if (name === 'hist') return {engine: name, ...trainForest(x, task.y, opts, task.weights)}
      if (task.weights) throw new RangeError('ml-random-forest does not take row weights')
      return {engine: name, ...trainMljsForest(x, task.y, opts)}
    },
  }
}

/** Every engine, with the forests' options. */
export function engines(forest: Partial<ForestOptions> = {}): Record<EngineName, Engine> {
  const options = {...defaultForestOptions, ...forest}
  return {
    hist: forestEngine('hist', options),
    'ml-random-forest': forestEngine('ml-random-forest', options),
    logistic: logisticEngine,
    knn: knnEngine,
  }
}

/** A saved estimator, ready to predict; kNN estimators need the router's reference items. */
export function loadEstimator(json: EstimatorJson, references?: ReferenceIndex): Estimator {
  switch (json.engine) {
    case 'hist':
    case 'ml-random-forest': {
      const forest = compileForest(json)
      return {json, predict: q => predictForest(forest, q.bins)}
    }
    case 'logistic':
      return loadLogistic(json)
    case 'knn':
      if (!references) throw new RangeError('a kNN estimator needs the reference items it was fitted on')
      return loadKnn(json, references)
    case 'constant':
      return {json, predict: () => json.base}
    case 'mean': {
      const parts = json.parts.map(part => loadEstimator(part, references))
      return {json, predict: q => meanPrediction(parts, q)}
    }
    default:
      return json satisfies never
  }
}

/** The average of estimators' predictions, summed in order (train and route add the same numbers the same way). */
function meanPrediction(parts: readonly Estimator[], q: Query): number {
  let s = 0
  for (const part of parts) s += part.predict(q)
  return s / parts.length
}
