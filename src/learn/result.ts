/**
 * What `aco train` returns and writes as evaluation.json
 * (schemas/train-result.schema.json): the shapes only, no logic.
 */
import type {Guarantee, Objective} from './calibrate.js'
import type {SplitSkill} from './engine-select.js'
import type {EngineName} from './estimator.js'
import type {CurvePoint, Point, Reliability} from './evaluate.js'
import type {IgnoredFeature} from './featurize.js'
import type {Interval} from './intervals.js'
import type {BadLine} from './outcome-table.js'
import type {Rule} from './policy.js'

export type EngineOption = 'auto' | EngineName

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

/** A policy's figures on the test split with 95% bootstrap intervals. */
export interface TestFigures {
  quality: Interval
  cost: Interval
  /** 1 − cost / the strongest model's cost on the same draw. */
  saving: Interval
  /** The strongest model's quality minus this policy's (negative: a gain). */
  qualityLoss: Interval
  /** Share of items where this policy fails and the strongest model succeeds. */
  risk: Interval
}

/** One row of the table the recommendation rests on. */
export interface PolicyRow {
  policy: 'single-model' | 'two-model-mix' | 'router'
  label: string
  models: string[]
  /** Share of items sent to the second model (two-model mix). */
  share?: number
  /** Meets the objective on the calibration split. */
  eligible: boolean
  /** Why it is out, or where the rule stopped it. */
  note?: string
  calibration: Point & {risk: number}
  test: Point & {risk: number}
}

export interface Recommendation {
  /** The rule, in words. */
  rule: string
  policy: 'single-model' | 'two-model-mix' | 'router' | 'none'
  label: string
  models: string[]
  share?: number
  /** Met the objective on the calibration split. */
  meetsObjective: boolean
  /** Plain words: which model, what it saves, what quality it loses, with intervals. */
  text: string
  /** Every way the test split disagrees with the recommendation. */
  warnings: string[]
  calibration: Point & {risk: number}
  test: TestFigures
  table: PolicyRow[]
  /**
   * The recommended policy minus the one it was weighed against last (the router, or when the router is recommended the
   * best simpler policy), per item on calibration with 95% intervals: cost in USD, quality as a share of items.
   */
  versus?: {label: string; costUsd: Interval; quality: Interval}
}

/** One side of the conformal report: the threshold a bound chose on calibration and what test measured there. */
export interface BoundReport {
  threshold: number
  /** marginal: n/(n+1)·risk + 1/(n+1); high: the (1 − δ) upper confidence bound of the calibration risk. */
  bound: number
  calibrationRisk: number
  /** Rate, on the test split, of items where the router's choice fails and the strongest model succeeds. */
  testRate: Interval
  test: Point
}

export interface ConformalReport {
  alpha: number
  delta: number
  /** Which bound chose the operating point when the objective is α. */
  guarantee: Guarantee
  available: boolean
  reason?: string
  n?: number
  marginal?: BoundReport
  high?: BoundReport
  /** Why the high-probability bound is missing while the marginal one is there. */
  highReason?: string
}

/** Each engine's evidence: its skill on calibration and test, and the APGR of a router using it alone. */
export interface EngineReport {
  engine: EngineName
  /** versusAverage: pairwise Brier score minus the default average's, in paired standard errors (negative: better). */
  calibration: SplitSkill & {versusAverage: number}
  test: SplitSkill
  /** A router using this engine alone, its thresholds from its own calibration frontier, on test. */
  apgr: Interval
}

export interface TestEvaluation {
  items: number
  cheapest: Point & {model: string}
  best: Point & {model: string}
  /** APGR of the router's curve at the sweep thresholds (fixed on calibration), on test. */
  apgr: Interval
  /** Quality of the sweep curve at half of the best model's cost (interpolated). */
  qualityAtHalfBestCost: Interval | null
  /** Cost, as a share of the best model's, at which the sweep curve keeps 95% / 100% of its quality (null: never). */
  costShareAt95: number | null
  costShareAt100: number | null
  /** Smallest lead of the sweep curve over the cheapest–best random mix strictly between them. */
  marginOverRandomMix: {min: number; atCost: number} | null
  /** The router at every threshold of the grid (to recompute any point from ground truth). */
  curve: CurvePoint[]
  /** The router at the sweep thresholds: the calibration frontier's, as `aco route --sweep` returns them. */
  sweep: CurvePoint[]
  baselines: {
    singleModels: Array<Point & {model: string}>
    oracle: Point
    randomMix: {apgr: number; qualityAtHalfBestCost: number}
    /** Random mixes along the upper hull of single models on the training split, scored on test. */
    trainChosenMix: {models: string[]; points: Array<Point & {model: string}>; apgr: Interval}
    cascades: Array<Point & {first: string; then: string}>
  }
  /** Router APGR minus the train-chosen mix's, paired on the same bootstrap draws. */
  leadOverMix: Interval
  reliability: Reliability[]
}

export interface Warning {
  kind: 'leakage' | 'engine' | 'conformal' | 'recommendation' | 'data'
  message: string
}

export interface TrainResult {
  schemaVersion: '2.0'
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
  engine: {
    asked: EngineOption
    /** Engines averaged for every model, or the base rates. */
    chosen: EngineName[] | 'constant'
    reason: string
    engines: EngineReport[]
    /** The default estimator (auto only): the average of logistic regression and kNN, on calibration. */
    average?: {members: EngineName[]; calibration: SplitSkill}
  }
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
    test: PolicyPoint & {intervals: TestFigures}
  }
  conformal: ConformalReport
  test: TestEvaluation
  recommendation: Recommendation
  warnings: Warning[]
  seconds: number
  skipped: BadLine[]
  written?: {router: string; evaluationJson: string; evaluationMd: string; chart: string}
}
