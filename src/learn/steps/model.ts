/**
 * Router I's engines on labelled steps: one design of the training steps
 * (features.ts through Router I's feature spec and encoder), one estimator per
 * tier of P(the tier is enough for a step like this one), fitted on the rows
 * whose label says something of that tier (targets.ts), weighted by the
 * label's strength. Cross-validation inside the engines (C of the logistic
 * regression, k of the kNN) uses folds of whole trace groups.
 *
 * `--engine auto` (the default) fits the histogram forest, the logistic
 * regression and the kNN, and chooses by Router I's rule (engine-select.ts)
 * on calibration rows of whole trace groups the fit never saw, with the
 * logistic regression as the reference (the simplest of them): another engine,
 * or the average of logistic regression and kNN, is used only when its Brier
 * score over (step, tier) rows is lower by more than one standard error; the
 * base rates when nothing beats them. Inside the held-out evaluation the
 * choice is made again in every fold, on that fold's training steps only.
 */
import {Encoder} from '../encoder.js'
import {knnReferences, type ReferenceIndex} from '../engine-knn.js'
import {engines, loadEstimator} from '../engines.js'
import {baseRate, makeDesign, Query, type Design, type EngineName, type EstimatorJson} from '../estimator.js'
import {buildSpec, columnBins, type FeatureOptions, type FeatureSource, type FeatureSpec} from '../featurize.js'
import {defaultForestOptions} from '../forest.js'
import {Rng} from '../random.js'
import type {LabelledStep, RootedStep} from './data.js'
import {STEP_FEATURES} from './features.js'

/** The engines `auto` weighs (ml-random-forest takes no row weights). */
export const AUTO_ENGINES: EngineName[] = ['hist', 'logistic', 'knn']

/** Feature options for steps: fewer hashed words than for prompts (a few hundred labelled steps, not thousands of items). */
export const STEP_FEATURE_OPTIONS: Partial<FeatureOptions> = {bins: 6, maxCategories: 32, buckets: 256}

/** Rows of one tier: design rows, labels, weights. */
interface TierRows {
  rows: Int32Array
  y: Float64Array
  w: Float64Array
}

/** The rows whose labels say something of tier k (design row i is `train[i]`). */
function tierRows(train: readonly LabelledStep[], k: number): TierRows {
  const rows: number[] = []
  const y: number[] = []
  const w: number[] = []
  train.forEach((l, i) => {
    const good = l.evidence.good.includes(k)
    const bad = l.evidence.bad.includes(k)
    if (!good && !bad) return
    rows.push(i)
    y.push(good ? 1 : 0)
    w.push(l.strength)
  })
  return {rows: Int32Array.from(rows), y: Float64Array.from(y), w: Float64Array.from(w)}
}

export function source(s: RootedStep, text = true): FeatureSource {
  return text ? {features: s.features, text: s.text} : {features: s.features}
}

/** The features a router uses: their names, and whether the hashed instruction text is one of them. */
export interface FeatureChoice {
  names: string[]
  text: boolean
}

/** Every step feature and the text. */
const ALL_FEATURES: FeatureChoice = {names: [...STEP_FEATURES], text: true}

export interface FittedTiers {
  spec: FeatureSpec
  encoder: Encoder
  design: Design
  /** Per engine, one estimator per tier. */
  perEngine: Map<EngineName, EstimatorJson[]>
  references?: ReferenceIndex
  /** Training base rate of every tier. */
  bases: number[]
  /** Whether the text was encoded. */
  text: boolean
}

/**
 * Folds of rows by trace group: every row of a group in one fold, folds as
 * even in rows as whole groups allow (the largest groups placed first, each in
 * the fold with fewest rows; the seed orders groups of equal size and breaks
 * ties between folds).
 */
export function groupFolds(
  groups: ArrayLike<number>,
  k: number,
  seed: number,
  /** How much each row counts toward its fold's size (default 1). */
  counts?: ArrayLike<number>,
): Int32Array {
  const size = new Map<number, number>()
  for (let i = 0; i < groups.length; i++)
    size.set(groups[i] as number, (size.get(groups[i] as number) ?? 0) + (counts ? (counts[i] as number) : 1))
  const rng = new Rng(seed)
  const order = rng.shuffle([...size.keys()].sort((a, b) => a - b))
  order.sort((a, b) => size.get(b)! - size.get(a)!)
  const load = new Array<number>(k).fill(0)
  const foldOf = new Map<number, number>()
  for (const g of order) {
    let best = -1
    const start = rng.int(k)
    for (let j = 0; j < k; j++) {
      const f = (start + j) % k
      if (best < 0 || load[f]! < load[best]!) best = f
    }
    foldOf.set(g, best)
    load[best]! += size.get(g)!
  }
  return Int32Array.from(groups as ArrayLike<number>, g => foldOf.get(g)!)
}

/** Fits every engine asked for, one estimator per tier, on the training rows. */
export function fitTiers(
  train: readonly LabelledStep[],
  tierCount: number,
  names: readonly EngineName[],
  seed: number,
  features: Partial<FeatureOptions> = STEP_FEATURE_OPTIONS,
  choice: FeatureChoice = ALL_FEATURES,
): FittedTiers {
  const ignore = STEP_FEATURES.filter(f => !choice.names.includes(f))
  const spec = buildSpec(
    train.map(l => source(l.step, choice.text)),
    {...features, use: choice.names, ignore: [...(features.ignore ?? []), ...ignore]},
  )
  const encoder = new Encoder(spec)
  const cols = encoder.columns
  const rowMajor = new Uint8Array(train.length * cols)
  train.forEach((l, i) => {
    encoder.encode(source(l.step, choice.text), rowMajor.subarray(i * cols, (i + 1) * cols))
  })
  const design = makeDesign(rowMajor, train.length, columnBins(spec))
  const folds = groupFolds(
    train.map(l => l.group),
    5,
    seed ^ 0x51ed270b,
  )
  const shared = new Map<string, unknown>()
  const registry = engines({...defaultForestOptions, seed})
  const perTier = Array.from({length: tierCount}, (_, k) => tierRows(train, k))
  const bases = perTier.map(t => (t.rows.length > 0 ? baseRate(t.y, t.w) : 0.5))
  const perEngine = new Map<EngineName, EstimatorJson[]>()
  const rng = new Rng(seed)
  for (const name of names) {
    const json = perTier.map((t, k) => {
      const tierSeed = rng.seed()
      const oneClass = t.y.every(v => v === t.y[0])
      if (t.rows.length < 2 || oneClass) return {engine: 'constant', base: round6(bases[k]!)} as EstimatorJson
      return registry[name].fit({design, rows: t.rows, y: t.y, weights: t.w, folds, seed: tierSeed, shared})
    })
    perEngine.set(name, json)
  }
  const references = knnReferences({shared})
  return {spec, encoder, design, perEngine, ...(references ? {references} : {}), bases, text: choice.text}
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

/** One tier's estimator from the chosen engines: one engine's, the average of several, or the base rate. */
export function chosenEstimator(fitted: FittedTiers, members: EngineName[] | 'constant', k: number): EstimatorJson {
  if (members === 'constant') return {engine: 'constant', base: round6(fitted.bases[k]!)}
  const parts = members.map(m => fitted.perEngine.get(m)![k]!)
  if (parts.length === 1) return parts[0]!
  if (parts.every(p => p.engine === 'constant')) return parts[0]!
  return {engine: 'mean', parts, base: parts[0]!.base}
}

/** Estimates `out[k][i]` of every tier for steps, by saved estimators (one per tier). */
export function predictSteps(
  steps: readonly RootedStep[],
  encoder: Encoder,
  design: Design,
  estimators: readonly EstimatorJson[],
  references: ReferenceIndex | undefined,
  text = true,
): Float64Array[] {
  const loaded = estimators.map(e => loadEstimator(e, references))
  const out = estimators.map(() => new Float64Array(steps.length))
  const q = new Query(design.layout)
  steps.forEach((s, i) => {
    encoder.encode(source(s, text), q.bins)
    q.refresh()
    loaded.forEach((e, k) => {
      out[k]![i] = e.predict(q)
    })
  })
  return out
}

export interface EngineScore {
  engine: EngineName | 'average'
  /** Weighted Brier score over (step, tier) rows of the calibration steps. */
  brier: number
  brierBaseRate: number
  /** Per calibration step: the weighted squared errors summed over its tiers (for paired standard errors). */
  perStep: Float64Array
}

/** Scores tier estimates of calibration steps against their labels. */
export function scoreTiers(
  p: readonly Float64Array[],
  cal: readonly LabelledStep[],
  bases: readonly number[],
  engine: EngineScore['engine'],
): EngineScore {
  let brier = 0
  let brierBase = 0
  let weight = 0
  const perStep = new Float64Array(cal.length)
  cal.forEach((l, i) => {
    for (let k = 0; k < p.length; k++) {
      const good = l.evidence.good.includes(k)
      if (!good && !l.evidence.bad.includes(k)) continue
      const y = good ? 1 : 0
      const e = l.strength * (p[k]![i]! - y) ** 2
      brier += e
      perStep[i]! += e
      brierBase += l.strength * (bases[k]! - y) ** 2
      weight += l.strength
    }
  })
  return {
    engine,
    brier: weight > 0 ? brier / weight : Number.NaN,
    brierBaseRate: weight > 0 ? brierBase / weight : Number.NaN,
    perStep,
  }
}

/** Paired difference of two per-step scores in standard errors (negative: `a` lower). */
function standardErrors(a: Float64Array, b: Float64Array): number {
  const n = a.length
  if (n < 2) return 0
  let mean = 0
  for (let i = 0; i < n; i++) mean += a[i]! - b[i]!
  mean /= n
  let v = 0
  for (let i = 0; i < n; i++) v += (a[i]! - b[i]! - mean) ** 2
  const se = Math.sqrt(v / (n - 1) / n)
  return se > 0 ? mean / se : 0
}

export interface StepEngineChoice {
  members: EngineName[] | 'constant'
  reason: string
  scores: Array<{engine: string; brier: number; brierBaseRate: number; skill: number; versusAverage: number}>
}

/** The engine used unless another is shown better. */
const DEFAULT_ENGINE: EngineName = 'logistic'

/** The members an engine score stands for. */
function membersOf(engine: EngineScore['engine']): EngineName[] {
  return engine === 'average' ? ['logistic', 'knn'] : [engine]
}

/** The auto rule (module comment) over engines and the average scored on calibration steps. */
export function chooseStepEngines(scored: readonly EngineScore[], average: EngineScore): StepEngineChoice {
  const skill = (s: EngineScore): number => (s.brierBaseRate > 0 ? 1 - s.brier / s.brierBaseRate : 0)
  const reference = scored.find(s => s.engine === DEFAULT_ENGINE) ?? scored[0]!
  const everything = [...scored, average]
  const scores = everything.map(s => ({
    engine: s.engine,
    brier: s.brier,
    brierBaseRate: s.brierBaseRate,
    skill: skill(s),
    versusAverage: s === reference ? 0 : standardErrors(s.perStep, reference.perStep),
  }))
  if (everything.every(s => !(skill(s) > 0)))
    return {
      members: 'constant',
      reason:
        'no engine beats the base rates on the calibration steps (Brier skill ≤ 0): the router uses each tier’s base rate',
      scores,
    }
  const shown = everything.filter(s => s !== reference && standardErrors(s.perStep, reference.perStep) < -1)
  if (shown.length > 0) {
    const winner = shown.reduce((a, b) => (b.brier < a.brier ? b : a))
    return {
      members: membersOf(winner.engine),
      reason: `${winner.engine === 'average' ? 'the average of logistic and knn' : winner.engine} predicts the calibration steps' labels better than ${reference.engine} by more than one standard error of the Brier score: it is used`,
      scores,
    }
  }
  return {
    members: membersOf(reference.engine),
    reason: `no engine predicts the calibration steps' labels better than ${reference.engine} by more than one standard error of the Brier score: ${reference.engine} is used`,
    scores,
  }
}
