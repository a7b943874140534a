/**
 * What `aco train --cascade` returns and writes as evaluation.json
 * (schemas/cascade-result.schema.json): the shapes only.
 */
import type {Objective} from '../calibrate.js'
import type {CurvePoint, Point} from '../evaluate.js'
import type {BadLine} from '../outcome-table.js'
import type {ModelSummary, PolicyPoint} from '../result.js'
import type {CascadeMode, ChainScore} from './chain.js'
import type {CascadeGuarantee} from './router.js'

/** A figure with its 95% bootstrap interval over test items. */
export interface Figure {
  value: number
  low: number
  high: number
}

interface CascadeOperatingPoint extends PolicyPoint {
  /** Share of items whose answer came from each step (the last: the whole chain ran). */
  stepShares: number[]
}

/** The simplest post-hoc baseline: run two cheap models; keep their answer when they agree, else run the strongest. */
export interface AgreementBaseline {
  models: [string, string]
  strongest: string
  train: Point
  test: Point
  quality: Figure
  cost: Figure
  /** APGR of the baseline's point with the cheapest and the strongest model (mixes of the three). */
  apgr: Figure
  /** The cascade's quality at the baseline's cost minus the baseline's quality (paired draws). */
  cascadeLeadAtItsCost: Figure
  /** The cascade's cost at the baseline's quality (interpolated along its test curve; null: never). */
  cascadeCostAtItsQuality: number | null
}

export interface StepReport {
  model: string
  /** Training items its estimator learned from (0 on the last step and in the training-free mode). */
  trainItems: number
  /** The engine chosen for its estimator, and every candidate's out-of-fold log-loss on the training split. */
  engine?: string
  outOfFoldLogLoss?: Array<{engine: string; logLoss: number}>
  needsResponse: boolean
  signals: string[]
  /** How well the step's estimates predict its answer's success on the calibration split. */
  calibration?: {brier: number; brierBaseRate: number; logLoss: number}
}

interface CascadeTest {
  items: number
  cheapest: Point & {model: string}
  best: Point & {model: string}
  /** At the calibration frontier's levels, fixed before the test split was seen. */
  apgr: Figure
  qualityAtHalfBestCost: Figure | null
  /** That quality as a share of the best model's. */
  qualityShareAtHalfBestCost: Figure | null
  costShareAt95: number | null
  costShareAt100: number | null
  curve: CurvePoint[]
  baselines: {
    singleModels: Array<Point & {model: string}>
    oracle: Point
    randomMix: {apgr: number}
    /** Random mixes of the single models on the training split's hull, scored on test. */
    singleModelMixes: {apgr: Figure; models: string[]}
    agreement: AgreementBaseline | null
    /** The ex-ante router (Router I) trained on the same split, at its calibration frontier's thresholds. */
    exAnte: {apgr: Figure; curve: CurvePoint[]} | null
    /** The training-free cascade (one signal, no estimator) on the same split. */
    trainingFree: {apgr: Figure; chain: string[]; curve: CurvePoint[]} | null
  }
  /** Cascade APGR minus the ex-ante router's, paired over the same bootstrap draws. */
  leadOverExAnte: Figure | null
}

export interface CascadeTrainResult {
  schemaVersion: '1.0'
  kind: 'cascade'
  mode: CascadeMode
  data: {
    lines: number
    items: number
    models: number
    itemsWithText: number
    linesWithResponse: number
    linesWithSignals: number
  }
  split: {
    method: 'random' | 'feature'
    seed: number
    train: number
    calibration: number
    test: number
    /** Items not scored: some model's outcome, or a response the chain needs, was missing. */
    incomplete: {calibration: number; test: number}
  }
  models: ModelSummary[]
  strongest: string
  cheapest: string
  chain: {
    models: string[]
    ranking: ChainScore[]
    /** How the steps judge their answer (the variant with the largest out-of-fold training APGR). */
    variant: string
    variants: Array<{variant: string; trainApgr: number}>
  }
  steps: StepReport[]
  operatingPoint: {
    /** The level of the path, and its threshold per step. */
    level: number
    thresholds: number[]
    objective: Objective
    met: boolean
    note?: string
    calibration: CascadeOperatingPoint
    test: CascadeOperatingPoint
  }
  guarantees: Array<CascadeGuarantee & {test?: Point; testRateInterval: Figure}>
  test: CascadeTest
  seconds: number
  /** What the evaluation found a person should know before shipping the cascade (its point dominated by a model). */
  warnings?: string[]
  skipped: BadLine[]
  written?: {router: string; evaluationJson: string; evaluationMd: string; chart: string}
}
