/**
 * The one seam between the cascade and the estimators of P(success): fit on
 * rows of binned features (the item's columns, then the step's post-hoc
 * columns), save as JSON, load and predict one row. Everything else in the
 * cascade reads estimates through here, so the engines can change in this
 * file alone.
 */
import {compileForest, defaultForestOptions, predictForest, trainForest, type ForestJson} from '../forest.js'

/** A binned design, row-major: `rowMajor[i * cols + c]`, column c taking values below `bins[c]`. */
export interface StepDesign {
  rows: number
  cols: number
  rowMajor: Uint8Array
  bins: Uint8Array
}

export type StepModelJson = ForestJson & {engine: 'hist'}

export interface StepModel {
  readonly json: StepModelJson
  /** P(the step's answer is right) for one row of bins. */
  predict(row: Uint8Array): number
}

export interface StepFitOptions {
  seed: number
  trees: number
}

/** Fits the estimator of one step on rows of a design with labels y (0..1). */
export function fitStepModel(design: StepDesign, y: Float64Array, options: StepFitOptions): StepModelJson {
  const n = design.rows
  const cols = design.cols
  const data = new Uint8Array(n * cols)
  for (let i = 0; i < n; i++) for (let c = 0; c < cols; c++) data[c * n + i] = design.rowMajor[i * cols + c]!
  const forest = trainForest({rows: n, cols, data, bins: design.bins}, y, {
    ...defaultForestOptions,
    trees: options.trees,
    seed: options.seed,
  })
  return {engine: 'hist', ...forest}
}

/** A saved step estimator, ready to predict. */
export function loadStepModel(json: StepModelJson): StepModel {
  const forest = compileForest(json)
  return {json, predict: row => predictForest(forest, row)}
}
