/**
 * What `aco train` returns and writes as evaluation.json
 * (schemas/train-result.schema.json): the shapes only, no logic.
 */
import type {Objective} from './calibrate.js'
import type {CurvePoint, Point, Reliability} from './evaluate.js'
import type {IgnoredFeature} from './featurize.js'
import type {BadLine} from './outcome-table.js'
import type {Rule} from './policy.js'
import type {ForestEngine} from './router.js'

export interface ModelSummary {
  model: string
  /** Items of the training split this model ran. */
  trainItems: number
  trainQuality: number
  trainCostUsd: number
  /** On the training split's cost–quality Pareto front (a routing candidate). */
  candidate: boolean
}

export interface PolicyPoint extends Point {
  /** Quality as a share of the best model's on the same items. */
  qualityShare: number
  /** Cost as a share of the best model's on the same items. */
  costShare: number
}

export interface Recommendation {
  policy: 'single-model' | 'two-model-mix' | 'router'
  /** One plain sentence: what a patch should carry. */
  text: string
  models: string[]
  /** Share of items sent to the second model (two-model mix). */
  share?: number
  /** Router's quality minus the recommended policy's, on the calibration split. */
  lead?: number
  /** 1.96 standard errors of that paired difference: a lead within it is noise. */
  noise?: number
  calibration: Point
  test: Point
}

export interface ConformalReport {
  alpha: number
  available: boolean
  reason?: string
  n?: number
  threshold?: number
  bound?: number
  calibrationRisk?: number
  /** Rate, on the test split, of items where the router's choice fails and the strongest model succeeds. */
  testRate?: number
  test?: Point
}

export interface TestEvaluation {
  items: number
  cheapest: Point & {model: string}
  best: Point & {model: string}
  apgr: number
  /** Quality of the router's frontier at half of the best model's cost (interpolated). */
  qualityAtHalfBestCost: number | null
  /** Cost, as a share of the best model's, at which the frontier keeps 95% / 100% of its quality (null: never). */
  costShareAt95: number | null
  costShareAt100: number | null
  /** Smallest lead of the frontier over the cheapest–best random mix strictly between them. */
  marginOverRandomMix: {min: number; atCost: number} | null
  curve: CurvePoint[]
  frontier: CurvePoint[]
  baselines: {
    singleModels: Array<Point & {model: string}>
    oracle: Point
    randomMix: {apgr: number; qualityAtHalfBestCost: number}
    singleModelMixes: {apgr: number; qualityAtHalfBestCost: number | null; hull: Array<Point & {model: string}>}
    cascades: Array<Point & {first: string; then: string}>
  }
  reliability: Reliability[]
}

export interface TrainResult {
  schemaVersion: '1.0'
  data: {lines: number; items: number; models: number; itemsWithText: number}
  split: {
    method: 'random' | 'feature'
    seed: number
    train: number
    calibration: number
    test: number
    /** Items left out of calibration/test scoring because some model's outcome was missing. */
    incomplete: {calibration: number; test: number}
  }
  features: {
    columns: number
    numeric: string[]
    categorical: string[]
    text: {buckets: number; stats: string[]} | null
    ignored: IgnoredFeature[]
  }
  engine: ForestEngine
  rule: Rule
  models: ModelSummary[]
  strongest: string
  cheapest: string
  operatingPoint: {
    threshold: number
    objective: Objective
    met: boolean
    note?: string
    calibration: PolicyPoint
    test: PolicyPoint
  }
  conformal: ConformalReport
  test: TestEvaluation
  recommendation: Recommendation
  seconds: number
  skipped: BadLine[]
  written?: {router: string; evaluationJson: string; evaluationMd: string; chart: string}
}
