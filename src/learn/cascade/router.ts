/**
 * A saved cascade (router.json of kind `aco-cascade`) and deciding with it.
 * `loadCascade` validates and compiles it once; then, for an item and the
 * observations of the steps run so far (each model's response and signals),
 * `next` says whether to keep the answer in hand or which model to run next.
 * Training, calibration and evaluation estimate through the same compiled
 * cascade (`gates`), so what is measured is what routes.
 */
import {AcoError} from '../../errors.js'
import {check} from '../../util/schemas.js'
import {estimatorProblem, featuresProblem, referencesProblem} from '../router-check.js'
import type {Objective} from '../calibrate.js'
import {Encoder} from '../encoder.js'
import {columnBins, type FeatureSpec, type FeatureValue} from '../featurize.js'
import {agreement} from '../posthoc/answer.js'
import {digest, posthocValues, type Digest, type LengthNorm, type Observed} from '../posthoc/features.js'
import type {CascadeMode, ChainScore} from './chain.js'
import {stepBins, writePosthocBins, type PosthocSpec} from './design.js'
import {freeConfidence} from './policy.js'
import {loadStepModel, type StepModel, type StepModelJson} from './step-model.js'

export const cascadeSchemaVersion = '1.0'

/** One step of the chain as saved. */
export interface CascadeStepJson {
  model: string
  /** Mean USD per item and mean success on the training split. */
  costUsd: number
  quality: number
  /** The step's response is needed to decide (its training lines carried one). */
  needsResponse: boolean
  /** Signals of this model's runs the estimator reads. */
  signals: string[]
  /** The model's usual response length (log(1 + chars) on training). */
  lengthNorm: LengthNorm
  /** Estimator of P(this step's answer is right); absent on the last step and in the training-free mode. */
  estimator?: StepModelJson
  posthoc?: PosthocSpec
}

/** A bound on the rate of items where the kept answer fails while the strongest model's would have succeeded. */
export interface CascadeGuarantee {
  alpha: number
  guarantee: 'marginal' | 'high'
  delta?: number
  /** Calibration items the level was chosen on. */
  n: number
  /** The level of the path, and its thresholds per step. */
  level: number
  thresholds: number[]
  /** The bound held to ≤ α (marginal: n/(n+1)·risk + 1/(n+1)). */
  bound: number
  calibrationRisk: number
  /** The rate measured on the test split at this threshold (never used to choose it). */
  testRate?: number
  testItems?: number
}

export interface CascadeJson {
  schemaVersion: typeof cascadeSchemaVersion
  kind: 'aco-cascade'
  mode: CascadeMode
  /** What each threshold is compared with. */
  confidence: string
  /** The chain in the order the models run; the last is the strongest. */
  chain: CascadeStepJson[]
  strongest: string
  /** The item's feature spec (learned mode); null when the cascade reads post-hoc evidence only. */
  features: FeatureSpec | null
  /**
   * The levels of the path, chosen on the training split: `path[level][s]` is
   * step s's threshold (keep its answer when the confidence is at least that).
   * Level 0 keeps the first answer on every item; the last runs the whole chain.
   */
  path: number[][]
  operatingPoint: {
    level: number
    thresholds: number[]
    objective: Objective
    calibration: {quality: number; cost: number}
  }
  /** The bounds calibrated on the calibration split, with the rate measured on test. */
  guarantees: CascadeGuarantee[]
  /** The calibration split's cost–quality frontier along the path (for --sweep). */
  frontier: Array<{level: number; quality: number; cost: number}>
  training: {
    seed: number
    engine: string
    trees: number
    trainItems: number
    calibrationItems: number
    /** The best chains on the training split (screening APGR), the chosen one first. */
    chains: ChainScore[]
    /** How the steps judge their answer, and every variant tried with its training APGR (out of fold). */
    variant: 'item-and-posthoc' | 'posthoc' | 'training-free'
    variants?: Array<{variant: string; trainApgr: number}>
    createdAt: string
  }
}

/** What an item brings: its features and prompt (as for the ex-ante router). */
interface CascadeItem {
  features?: Record<string, FeatureValue | null | undefined>
  text?: string | undefined
}

/** What was observed once a model ran on the item. */
export interface StepObservation extends Observed {
  model: string
}

/** The answer after the steps observed: keep the answer in hand, or run `model` next. */
export type StepDecision =
  | {action: 'keep'; model: string; step: number; confidence: number}
  | {action: 'escalate'; model: string; step: number; confidence: number; reason?: string}

export interface LoadedCascade {
  readonly kind: 'cascade'
  readonly json: CascadeJson
  /** The chain's models in order. */
  readonly models: readonly string[]
  /** The operating point's level of the path. */
  readonly level: number
  /** Confidence of each gate (`out[s]` for `from` ≤ s < digests.length, at most steps − 1) for an item. */
  gates(item: CascadeItem, digests: readonly Digest[], out: Float64Array, from?: number): Float64Array
  /** Keep or escalate after the observations of the chain's first steps (in chain order), at the operating point or a level of the path. */
  next(item: CascadeItem, observed: readonly StepObservation[], level?: number): StepDecision
}

class CompiledCascade implements LoadedCascade {
  readonly kind = 'cascade' as const
  readonly models: readonly string[]
  readonly level: number
  private readonly encoder: Encoder | undefined
  private readonly itemCols: number
  private readonly rows: Uint8Array[]
  private readonly values: Float64Array[]
  private readonly estimators: Array<StepModel | undefined>
  private readonly p: Float64Array

  constructor(readonly json: CascadeJson) {
    this.models = json.chain.map(s => s.model)
    this.level = json.operatingPoint.level
    this.encoder = json.features ? new Encoder(json.features) : undefined
    this.itemCols = json.features ? json.features.columns : 0
    const gates = json.chain.slice(0, -1)
    this.rows = gates.map(s => new Uint8Array(this.itemCols + (s.posthoc?.names.length ?? 0)))
    this.values = gates.map(s => new Float64Array(s.posthoc?.names.length ?? 0))
    const itemBins = json.features ? columnBins(json.features) : new Uint8Array(0)
    this.estimators = gates.map(s =>
      s.estimator && s.posthoc ? loadStepModel(s.estimator, stepBins(itemBins, s.posthoc)) : undefined,
    )
    this.p = new Float64Array(Math.max(1, gates.length))
  }

  gates(item: CascadeItem, digests: readonly Digest[], out: Float64Array, from = 0): Float64Array {
    const count = Math.min(digests.length, this.json.chain.length - 1)
    let encoded = false
    for (let s = from; s < count; s++) {
      const step = this.json.chain[s]!
      const estimator = this.estimators[s]
      if (!estimator || !step.posthoc) {
        out[s] = this.entropyConfidence(digests, s)
        continue
      }
      const row = this.rows[s]!
      if (this.encoder && !encoded) {
        this.encoder.encode({features: (item.features ?? {}) as Record<string, FeatureValue>, text: item.text}, row)
        encoded = true
        for (let k = s + 1; k < count; k++) this.rows[k]!.set(row.subarray(0, this.itemCols))
      }
      const values = posthocValues(s, digests, step.lengthNorm, step.posthoc.signals, this.values[s]!)
      writePosthocBins(step.posthoc, values, row, this.itemCols)
      out[s] = estimator.predict(row)
    }
    return out
  }

  /** The training-free confidence (freeConfidence). */
  private entropyConfidence(digests: readonly Digest[], s: number): number {
    const d = digests[s]!
    let sum = 0
    for (let k = 0; k < s; k++) sum += agreement(d.answer, digests[k]!.answer)
    return freeConfidence(s, this.json.chain[s]!.signals.includes('uncertainty'), d.signals?.uncertainty, sum)
  }

  next(item: CascadeItem, observed: readonly StepObservation[], level = this.level): StepDecision {
    const thresholds = this.json.path[level]
    if (!thresholds)
      throw new AcoError('usage', `The cascade's path has levels 0 to ${this.json.path.length - 1} (got ${level}).`)
    const chain = this.json.chain
    if (observed.length > chain.length) {
      throw new AcoError(
        'usage',
        `${observed.length} observations for a chain of ${chain.length} steps (${this.models.join(' → ')}).`,
        'Pass the observations of the chain’s models, in chain order.',
      )
    }
    const digests: Digest[] = []
    for (let s = 0; s < observed.length; s++) {
      const obs = observed[s]!
      if (obs.model !== chain[s]!.model) {
        throw new AcoError(
          'usage',
          `Observation ${s + 1} is of ${obs.model}; the cascade's step ${s + 1} is ${chain[s]!.model} (${this.models.join(' → ')}).`,
          'Run the chain’s models in order and pass what each returned.',
        )
      }
      if (chain[s]!.needsResponse && typeof obs.response !== 'string') {
        const strongest = chain[chain.length - 1]!.model
        return {
          action: s === chain.length - 1 ? 'keep' : 'escalate',
          model: strongest,
          step: s,
          confidence: Number.NaN,
          reason: `no response from ${obs.model}: the cascade needs it to decide, so the item goes to the strongest model`,
        }
      }
      digests.push(digest(obs))
    }
    if (observed.length === 0) return {action: 'escalate', model: chain[0]!.model, step: -1, confidence: Number.NaN}
    const s = observed.length - 1
    if (s === chain.length - 1) return {action: 'keep', model: chain[s]!.model, step: s, confidence: Number.NaN}
    const confidence = this.gates(item, digests, this.p, s)[s]!
    return confidence >= thresholds[s]!
      ? {action: 'keep', model: chain[s]!.model, step: s, confidence}
      : {action: 'escalate', model: chain[s + 1]!.model, step: s, confidence}
  }
}

/** Compiles a cascade from its parsed JSON, after checking it against schemas/cascade-router.schema.json. */
export function loadCascade(json: unknown, source = 'The cascade'): LoadedCascade {
  const problem = check('cascade-router', json) ?? cascadeProblem(json as CascadeJson)
  if (problem) {
    throw new AcoError(
      'schema',
      `${source} is not a valid cascade: ${problem}.`,
      'Give the router.json that aco train --cascade wrote (schemas/cascade-router.schema.json).',
    )
  }
  return new CompiledCascade(json as CascadeJson)
}

/** What the schema cannot say of a cascade: its gates' estimators fit the features they read (see router-check.ts). */
function cascadeProblem(json: CascadeJson): string | undefined {
  const spec = json.features ? featuresProblem(json.features) : undefined
  if (spec) return spec
  const itemBins = json.features ? columnBins(json.features) : new Uint8Array(0)
  for (const step of json.chain.slice(0, -1)) {
    if (!step.estimator || !step.posthoc) continue
    if (step.posthoc.edges.length !== step.posthoc.names.length)
      return `the gate after ${step.model} has ${step.posthoc.names.length} signals and ${step.posthoc.edges.length} bin edges`
    const bins = stepBins(itemBins, step.posthoc)
    const refs = step.estimator.references
    const problem =
      (refs ? referencesProblem(refs, bins) : undefined) ?? estimatorProblem(step.estimator.estimator, bins, refs)
    if (problem) return `the gate after ${step.model}: ${problem}`
  }
  return undefined
}

/** Compiles a cascade JSON built in training (not yet complete enough for the schema). */
export function compileCascade(json: CascadeJson): LoadedCascade {
  return new CompiledCascade(json)
}
