/**
 * Fitting a cascade on the training split: what each model's lines carry
 * (responses, signals, usual lengths), the chain, each variant's step
 * estimators and path of thresholds with its out-of-fold training curve, the
 * variant kept, and the estimates of the held-out splits through the compiled
 * cascade (so what is measured is what routes).
 */
import {AcoError} from '../../errors.js'
import type {Objective} from '../calibrate.js'
import {summarizeModels} from '../candidates.js'
import {apgr, paretoFrontier, type OutcomeMatrix} from '../evaluate.js'
import {Encoder} from '../encoder.js'
import {buildSpec, checkNamedFeatures, columnBins, type FeatureOptions, type FeatureSpec} from '../featurize.js'
import {round} from '../numbers.js'
import type {Item, OutcomeTable} from '../outcome-table.js'
import {lengthNorm, type Digest, type LengthNorm} from '../posthoc/features.js'
import {Rng} from '../random.js'
import type {Splits} from '../split.js'
import {rankChains, type CascadeMode, type ChainContext, type ChainScore} from './chain.js'
import {completeRows, observedRows, single, subMatrix, type CascadeSplit} from './data.js'
import {buildPosthocSpec, posthocMatrix, stepDesign, type PosthocSpec} from './design.js'
import {cascadePoint, thresholdPath, type ChainEstimates} from './policy.js'
import type {StepReport} from './result.js'
import {
  cascadeSchemaVersion,
  compileCascade,
  type CascadeJson,
  type CascadeStepJson,
  type LoadedCascade,
} from './router.js'
import {fitStepModel, type StepEngine, type StepFit} from './step-model.js'

/** What fitting reads of the training options. */
export interface FitOptions {
  seed: number
  objective: Objective
  /** Most steps in the chain (2 or 3). */
  maxSteps: number
  /** The variants a `learned` cascade weighs (default: all three), simplest first; `entropy` is training-free only. */
  variants?: CascadeVariant[] | undefined
  /** A chain to use instead of the one chosen on training (models in order; the last must be the strongest). */
  chain?: string[] | undefined
  features: Partial<FeatureOptions>
  /** Estimator of each step: auto (by out-of-fold log-loss on the training split) or one engine. */
  engine: StepEngine
  trees: number
  /** Most levels on the path. */
  gridSize: number
  /** Folds of the out-of-fold estimates on the training split (what the path is chosen on). */
  folds: number
  now: () => number
}

/** Post-hoc bins per column. */
const POSTHOC_BINS = 16

/** What the models' training lines carry. */
export interface ModelEvidence {
  needsResponse: boolean[]
  signals: string[][]
  norms: LengthNorm[]
}

/** A fitted cascade and its estimates on the held-out splits. */
export interface Fitted {
  json: CascadeJson
  cascade: LoadedCascade
  ranking: ChainScore[]
  chainCols: number[]
  steps: StepReport[]
  cal: Scored
  test: Scored
}

/** A held-out split ready to score: the rows scored, their outcomes and the cascade's estimates. */
interface Scored {
  rows: number[]
  matrix: OutcomeMatrix
  est: ChainEstimates
  incomplete: number
}

/** Per model: whether its training lines carry responses (most do), which signals, and its usual response length. */
export function modelEvidence(train: CascadeSplit): ModelEvidence {
  const w = train.matrix.models.length
  const n = train.items.length
  const needsResponse: boolean[] = []
  const signals: string[][] = []
  const norms: LengthNorm[] = []
  for (let m = 0; m < w; m++) {
    let lines = 0
    let withResponse = 0
    const names = new Map<string, number>()
    const logChars: number[] = []
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(train.matrix.success[i * w + m]!)) continue
      lines++
      if (train.hasResponse[i * w + m]) withResponse++
      const d = train.digests[i]![m]
      if (d) {
        logChars.push(d.logChars)
        for (const name of Object.keys(d.signals ?? {})) names.set(name, (names.get(name) ?? 0) + 1)
      }
    }
    needsResponse.push(lines > 0 && withResponse >= lines / 2)
    signals.push(
      [...names.entries()]
        .filter(([, k]) => k >= Math.max(1, lines / 10))
        .map(([name]) => name)
        .sort(),
    )
    norms.push(lengthNorm(logChars))
  }
  return {needsResponse, signals, norms}
}

/** How a cascade's steps judge their answer: estimators over the item's and the post-hoc features, over the post-hoc features alone, or the training-free signal. */
type CascadeVariant = 'item-and-posthoc' | 'posthoc' | 'training-free'

/** Simplest first: a tie on training goes to the simpler. */
const variantsOf: Record<CascadeMode, CascadeVariant[]> = {
  learned: ['training-free', 'posthoc', 'item-and-posthoc'],
  entropy: ['training-free'],
}

/** One variant fitted on the training split, with its out-of-fold training curve. */
interface VariantFit {
  variant: CascadeVariant
  json: CascadeJson
  cascade: LoadedCascade
  reports: StepReport[]
  /** APGR of its path on the training split (out-of-fold estimates). */
  trainApgr: number
  /** Its training rows, outcomes and out-of-fold estimates. */
  trainScored: Scored
}

/** Training APGR of `a` minus `b` (paired over the rows both score) and its bootstrap standard error. */
function apgrLead(a: VariantFit, b: VariantFit, ctx: ChainContext, seed: number): {value: number; se: number} {
  const rowsB = new Map(b.trainScored.rows.map((r, i) => [r, i] as const))
  const shared = a.trainScored.rows.map((r, i) => [i, rowsB.get(r)] as const).filter(([, j]) => j !== undefined)
  const n = shared.length
  const wa = new Float64Array(a.trainScored.rows.length)
  const wb = new Float64Array(b.trainScored.rows.length)
  const curveApgr = (f: VariantFit, w: Float64Array): number => {
    const m = f.trainScored.matrix
    const points = f.json.path.map(t => cascadePoint(m, f.trainScored.est, t, w))
    return apgr(paretoFrontier(points), single(m, ctx.cheap, w), single(m, ctx.strong, w))
  }
  const draw = (counts: Float64Array | null): number => {
    wa.fill(0)
    wb.fill(0)
    shared.forEach(([i, j], k) => {
      const c = counts ? counts[k]! : 1
      wa[i] = c
      wb[j!] = c
    })
    return curveApgr(a, wa) - curveApgr(b, wb)
  }
  const value = draw(null)
  const rng = new Rng(seed)
  const counts = new Float64Array(n)
  const diffs: number[] = []
  for (let d = 0; d < 100; d++) {
    counts.fill(0)
    for (let k = 0; k < n; k++) counts[rng.int(n)]! += 1
    const v = draw(counts)
    if (Number.isFinite(v)) diffs.push(v)
  }
  const mean = diffs.reduce((x, y) => x + y, 0) / Math.max(1, diffs.length)
  const se = Math.sqrt(diffs.reduce((x, y) => x + (y - mean) ** 2, 0) / Math.max(1, diffs.length - 1))
  return {value, se}
}

/**
 * Chooses the chain, fits each variant's estimators and path on the training
 * split, keeps the variant whose training curve (out-of-fold) has the largest
 * APGR (a tie goes to the simpler), and estimates the held-out splits through
 * the compiled cascade.
 */
export function fitCascade(
  mode: CascadeMode,
  ctx: ChainContext,
  opts: FitOptions,
  table: OutcomeTable,
  splits: Splits<Item>,
  evidence: ModelEvidence,
  cal: CascadeSplit,
  test: CascadeSplit,
  progress: (message: string) => void,
): Fitted {
  const ranking = rankChains(ctx, opts.maxSteps)
  if (ranking.length === 0)
    throw new AcoError(
      'too-small',
      'No chain has 10 training items with every outcome and response it needs.',
      'Give more items run by several models, with their responses.',
    )
  const chainModels = opts.chain ?? ranking[0]!.models
  const chainCols = chainModels.map(m => table.models.indexOf(m))
  progress(
    opts.chain
      ? `chain (given): ${chainModels.join(' → ')}`
      : `chain: ${chainModels.join(' → ')} (training screening APGR ${ranking[0]!.apgr.toFixed(3)})`,
  )
  const needs = chainCols.map(c => evidence.needsResponse[c]!)
  const fits = (mode === 'learned' && opts.variants ? opts.variants : variantsOf[mode]).map(variant =>
    fitVariant(variant, chainCols, ctx, opts, table, splits, evidence, ranking, progress),
  )
  // Simplest first; a more complex variant is kept only when its training APGR leads by more than one standard error.
  let chosen = fits[0]!
  for (const f of fits.slice(1)) {
    const lead = apgrLead(f, chosen, ctx, opts.seed)
    if (lead.value > lead.se) chosen = f
  }
  if (fits.length > 1)
    progress(
      `variant: ${chosen.variant} (training APGR, out of fold: ${fits.map(f => `${f.variant} ${f.trainApgr.toFixed(3)}`).join(', ')}; a more complex one is kept only when it leads by more than one standard error)`,
    )
  const {json, cascade, reports} = chosen
  json.training.variants = fits.map(f => ({variant: f.variant, trainApgr: round(f.trainApgr, 6)}))
  const calScored = score(cal, chainCols, needs, cascade)
  const testScored = score(test, chainCols, needs, cascade)
  if (calScored.rows.length === 0 || testScored.rows.length === 0) {
    throw new AcoError(
      'too-small',
      `No calibration or test item has every model's outcome and the responses the chain needs (${calScored.rows.length} calibration, ${testScored.rows.length} test).`,
      'Evaluation needs items run by every model, with responses.',
    )
  }
  // How well each step's estimates predict its answer on calibration.
  const summaries = summarizeModels(table.models, splits.train)
  reports.forEach((report, s) => {
    if (s >= chainCols.length - 1 || !json.chain[s]!.estimator) return
    report.calibration = stepSkill(calScored, s, summaries[chainCols[s]!]!.trainQuality)
  })
  return {json, cascade, ranking: json.training.chains, chainCols, steps: reports, cal: calScored, test: testScored}
}

/** Fits one variant on the training split: its steps' estimators, its path, and the APGR of that path out of fold. */
function fitVariant(
  variant: CascadeVariant,
  chainCols: number[],
  ctx: ChainContext,
  opts: FitOptions,
  table: OutcomeTable,
  splits: Splits<Item>,
  evidence: ModelEvidence,
  ranking: ChainScore[],
  progress: (message: string) => void,
): VariantFit {
  const summaries = summarizeModels(table.models, splits.train)
  const train = ctx.split
  const learned = variant !== 'training-free'
  if (variant === 'item-and-posthoc') checkNamedFeatures(splits.train, opts.features)
  const spec: FeatureSpec | null =
    variant === 'item-and-posthoc' ? buildSpec(splits.train, opts.features, table.inconsistent) : null
  const encoder = spec ? new Encoder(spec) : undefined
  const itemBins = spec ? columnBins(spec) : new Uint8Array(0)
  const needs = chainCols.map(c => evidence.needsResponse[c]!)
  const trainRows = observedRows(train, chainCols, needs)
  const trainIndex = new Map(trainRows.map((r, i) => [r, i] as const))
  const gates = chainCols.length - 1
  const trainP = new Float64Array(trainRows.length * gates)
  const rng = new Rng(opts.seed)
  const steps: CascadeStepJson[] = []
  const reports: StepReport[] = []
  chainCols.forEach((c, s) => {
    const summary = summaries[c]!
    const step: CascadeStepJson = {
      model: summary.model,
      costUsd: round(summary.trainCostUsd, 9),
      quality: round(summary.trainQuality, 6),
      needsResponse: evidence.needsResponse[c]!,
      signals: evidence.signals[c]!,
      lengthNorm: evidence.norms[c]!,
    }
    const report: StepReport = {
      model: summary.model,
      trainItems: 0,
      needsResponse: step.needsResponse,
      signals: step.signals,
    }
    if (learned && s < gates) {
      const fit = fitStep(s, chainCols, train, evidence, encoder, itemBins, opts, rng.seed())
      progress(
        `${variant}, step ${s + 1} (${summary.model}): ${fit.engine} on ${fit.rows.length} training items (out-of-fold log-loss ${fit.logLoss.map(e => `${e.engine} ${e.logLoss.toFixed(4)}`).join(', ')})`,
      )
      step.estimator = fit.json
      step.posthoc = fit.posthoc
      report.trainItems = fit.rows.length
      report.engine = fit.engine
      report.outOfFoldLogLoss = fit.logLoss
      fit.rows.forEach((r, k) => {
        const i = trainIndex.get(r)
        if (i !== undefined) trainP[i * gates + s] = fit.outOfFold[k]!
      })
    }
    steps.push(step)
    reports.push(report)
  })
  const json: CascadeJson = {
    schemaVersion: cascadeSchemaVersion,
    kind: 'aco-cascade',
    mode: learned ? 'learned' : 'entropy',
    confidence: learned
      ? `the estimated probability that the step's answer is right, given ${spec ? 'the item and ' : ''}the post-hoc features of the steps run so far`
      : "1 − the run's uncertainty signal when the model reports one, else the share of earlier answers that agree with the step's",
    chain: steps,
    strongest: table.models[chainCols[gates]!]!,
    features: spec,
    path: [],
    operatingPoint: {level: 0, thresholds: [], objective: opts.objective, calibration: {quality: 0, cost: 0}},
    guarantees: [],
    frontier: [],
    training: {
      seed: opts.seed,
      engine: learned ? opts.engine : 'none',
      trees: learned ? opts.trees : 0,
      trainItems: splits.train.length,
      calibrationItems: splits.calibration.length,
      chains: ranking.slice(0, 10).map(r => ({...r, apgr: round(r.apgr, 6)})),
      variant,
      createdAt: new Date(opts.now()).toISOString(),
    },
  }
  const cascade = compileCascade(json)
  // The path is chosen on the training split: out-of-fold estimates (learned) or the signal itself (training-free).
  const trainScored = learned
    ? {rows: trainRows, matrix: subMatrix(train.matrix, trainRows), est: {cols: chainCols, p: trainP}, incomplete: 0}
    : score(train, chainCols, needs, cascade, false)
  json.path = thresholdPath(trainScored.matrix, trainScored.est, 80, opts.gridSize)
  const m = trainScored.matrix
  const points = json.path.map(t => cascadePoint(m, trainScored.est, t))
  const trainApgr = apgr(paretoFrontier(points), single(m, ctx.cheap), single(m, ctx.strong))
  return {variant, json, cascade, reports, trainApgr, trainScored}
}

/** Fits the estimator of step s on the training items that ran the chain's first s + 1 models. */
function fitStep(
  s: number,
  chainCols: number[],
  train: CascadeSplit,
  evidence: ModelEvidence,
  encoder: Encoder | undefined,
  itemBins: Uint8Array,
  opts: FitOptions,
  seed: number,
): StepFit & {posthoc: PosthocSpec; rows: number[]} {
  const cols = chainCols.slice(0, s + 1)
  const rows = observedRows(
    train,
    cols,
    cols.map(c => evidence.needsResponse[c]!),
  )
  const c = chainCols[s]!
  const signals = evidence.signals[c]!
  const digestsOf = (i: number): Digest[] => cols.map(k => train.digests[rows[i]!]![k]!)
  const values = posthocMatrix(s, digestsOf, rows.length, evidence.norms[c]!, signals)
  const posthoc = buildPosthocSpec(s, signals, values, rows.length, POSTHOC_BINS)
  const items = rows.map(r => train.items[r]!)
  const design = stepDesign(items, encoder, itemBins, posthoc, values)
  const w = train.matrix.models.length
  const y = Float64Array.from(rows, r => train.matrix.success[r * w + c]!)
  const fit = fitStepModel(design, y, {seed, trees: opts.trees, folds: opts.folds, engine: opts.engine})
  return {...fit, posthoc, rows}
}

/** Rows of a held-out split the cascade can be scored on, and its estimates there (through the compiled cascade). */
function score(
  split: CascadeSplit,
  chainCols: number[],
  needs: boolean[],
  cascade: LoadedCascade,
  everyModel = true,
): Scored {
  const complete = new Set(completeRows(split))
  const rows = observedRows(split, chainCols, needs).filter(r => !everyModel || complete.has(r))
  const gates = chainCols.length - 1
  const p = new Float64Array(rows.length * gates)
  const out = new Float64Array(Math.max(1, gates))
  rows.forEach((r, i) => {
    const item = split.items[r]!
    const digests = chainCols.map(c => split.digests[r]![c]!)
    cascade.gates(item, digests, out)
    for (let s = 0; s < gates; s++) p[i * gates + s] = out[s]!
  })
  return {
    rows,
    matrix: subMatrix(split.matrix, rows),
    est: {cols: chainCols, p},
    incomplete: split.items.length - rows.length,
  }
}

/** Brier score, its base-rate counterpart and log-loss of step s's estimates on a scored split. */
function stepSkill(scored: Scored, s: number, base: number): {brier: number; brierBaseRate: number; logLoss: number} {
  const gates = scored.est.cols.length - 1
  const w = scored.matrix.models.length
  const n = scored.rows.length
  let brier = 0
  let brierBase = 0
  let ll = 0
  for (let i = 0; i < n; i++) {
    const y = scored.matrix.success[i * w + scored.est.cols[s]!]!
    const p = scored.est.p[i * gates + s]!
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p))
    brier += (p - y) ** 2
    brierBase += (base - y) ** 2
    ll -= y * Math.log(q) + (1 - y) * Math.log(1 - q)
  }
  return {brier: round(brier / n, 6), brierBaseRate: round(brierBase / n, 6), logLoss: round(ll / n, 6)}
}
