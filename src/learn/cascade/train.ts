/**
 * `aco train --cascade` as a pure service: outcome table (with what each
 * model's run returned) in, cascade and evaluation out.
 *
 * split (grouped by item, as the ex-ante router splits) → chain chosen on
 * the training split → one estimator per step but the last, P(the answer in
 * hand is right | item features, post-hoc features of the steps run so far)
 * → estimates on calibration and test through the compiled cascade →
 * threshold grid, operating point and conformal bounds on the calibration
 * split → test figures at thresholds fixed before, beside the ex-ante router,
 * the training-free cascade and every baseline, with bootstrap intervals.
 */
import {AcoError} from '../../errors.js'
import {
  assertCalibrationSize,
  type BoundOptions,
  chooseByQualityOrBudget,
  conformalIndex,
  type Objective,
} from '../calibrate.js'
import {summarizeModels} from '../candidates.js'
import {apgr, costFor, mixHull, paretoFrontier, qualityAt, type OutcomeMatrix, type Point} from '../evaluate.js'
import {Encoder} from '../encoder.js'
import {buildSpec, columnBins, type FeatureOptions, type FeatureSpec} from '../featurize.js'
import {round} from '../numbers.js'
import type {Item, OutcomeTable} from '../outcome-table.js'
import {sweepLine} from '../policy.js'
import {lengthNorm, type Digest, type LengthNorm} from '../posthoc/features.js'
import {bootstrap, type Interval} from '../intervals.js'
import {Rng} from '../random.js'
import {loadRouter, type RouterJson} from '../router.js'
import {splitItems, type SplitOptions, type Splits} from '../split.js'
import {trainRouter} from '../train.js'
import {rankChains, type CascadeMode, type ChainContext, type ChainScore} from './chain.js'
import {cascadeSplit, completeRows, observedRows, subMatrix, type CascadeSplit} from './data.js'
import {buildPosthocSpec, posthocMatrix, stepDesign, type PosthocSpec} from './design.js'
import {cascadeLoss, cascadePoint, stepShares, thresholdPath, type ChainEstimates} from './policy.js'
import type {AgreementBaseline, CascadeTrainResult, StepReport} from './result.js'
import {
  cascadeSchemaVersion,
  compileCascade,
  type CascadeGuarantee,
  type CascadeJson,
  type CascadeStepJson,
  type LoadedCascade,
} from './router.js'
import {fitStepModel, type StepEngine, type StepFit} from './step-model.js'

export interface CascadeOptions {
  seed: number
  split: Omit<SplitOptions, 'seed'>
  objective: Objective
  /** The α of the bounds always reported (the objective's α is added when it is one). */
  alphas: number[]
  bound: BoundOptions
  mode: CascadeMode
  /** Most steps in the chain (2 or 3). */
  maxSteps: number
  /** The variants to weigh (default: all three for `learned`, the training-free one for `entropy`), simplest first. */
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
  /** Train the ex-ante router and the training-free cascade on the same split for comparison. */
  compare: boolean
  /** Bootstrap draws for the intervals. */
  resamples: number
  now: () => number
  onProgress?: (message: string) => void
}

const defaults: Omit<CascadeOptions, 'now'> = {
  seed: 1,
  split: {fractions: {train: 0.6, calibration: 0.2, test: 0.2}},
  objective: {kind: 'alpha', alpha: 0.05},
  alphas: [0.05, 0.1],
  bound: {guarantee: 'marginal', delta: 0.1},
  mode: 'learned',
  maxSteps: 3,
  features: {},
  engine: 'auto',
  trees: 64,
  gridSize: 201,
  folds: 4,
  compare: true,
  resamples: 500,
}

/** Post-hoc bins per column. */
const POSTHOC_BINS = 16

/** What the models' training lines carry. */
interface ModelEvidence {
  needsResponse: boolean[]
  signals: string[][]
  norms: LengthNorm[]
}

/** A fitted cascade and its estimates on the held-out splits. */
interface Fitted {
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

/** Trains a cascade. Deterministic for `options.seed`; throws an AcoError when the data cannot support one. */
export function trainCascade(
  table: OutcomeTable,
  options: Partial<CascadeOptions> & {now: () => number},
): {router: CascadeJson; result: Omit<CascadeTrainResult, 'skipped' | 'written'>} {
  const opts: CascadeOptions = {...defaults, ...options}
  const started = opts.now()
  const progress = opts.onProgress ?? (() => {})
  if (!(opts.maxSteps >= 2 && opts.maxSteps <= 3))
    throw new AcoError('usage', `A chain has 2 or 3 steps (got ${opts.maxSteps}).`, 'Use --steps 2 or --steps 3.')
  const splits = splitItems(table.items, {...opts.split, seed: opts.seed})
  const models = summarizeModels(table.models, splits.train)
  const candidates = models.filter(m => m.candidate).sort((a, b) => a.trainCostUsd - b.trainCostUsd)
  if (candidates.length < 2 || splits.train.length < 10)
    throw new AcoError(
      'too-small',
      `A cascade needs at least two models on the training split's cost–quality front and 10 training items (got ${candidates.length} and ${splits.train.length}).`,
      'Give outcomes of more models, or more items.',
    )
  const strongest = candidates[candidates.length - 1]!
  const cheapest = candidates[0]!
  const col = (name: string): number => table.models.indexOf(name)
  const alphaAsked = opts.objective.kind === 'alpha' ? opts.objective.alpha : undefined
  // Refuse before training when the calibration split cannot support the α asked.
  const completeCal = splits.calibration.filter(item => table.models.every(m => item.models.includes(m))).length
  if (alphaAsked !== undefined) assertCalibrationSize(completeCal, alphaAsked, opts.bound)

  const train = cascadeSplit(splits.train, table.models)
  const cal = cascadeSplit(splits.calibration, table.models)
  const test = cascadeSplit(splits.test, table.models)
  const evidence = modelEvidence(train)
  const prefix = table.models
    .map((_, c) => c)
    .filter(c => c !== col(strongest.model) && (evidence.needsResponse[c] || evidence.signals[c]!.length > 0))
  if (prefix.length === 0) {
    throw new AcoError(
      'no-input',
      'No model but the strongest has responses or signals on its training lines: a cascade decides from what a run returned.',
      'Add "response" (the answer text) or "signals" to the outcome lines (schemas/outcome-table.schema.json), e.g. with aco outcomes.',
    )
  }
  if (opts.chain) checkChain(opts.chain, table.models, strongest.model, opts.maxSteps)
  progress(
    `${table.items.length} items, ${table.models.length} models; strongest ${strongest.model}; ${prefix.length} models may run before it`,
  )

  const context = (mode: CascadeMode): ChainContext => ({
    split: train,
    strong: col(strongest.model),
    cheap: col(cheapest.model),
    prefix,
    needsResponse: evidence.needsResponse,
    signals: evidence.signals,
    mode,
  })
  const fitted = fitCascade(opts.mode, context(opts.mode), opts, table, splits, evidence, cal, test, progress)
  const {json} = fitted
  const calM = fitted.cal.matrix
  const testM = fitted.test.matrix
  const strongCol = col(strongest.model)
  if (alphaAsked !== undefined) assertCalibrationSize(calM.items.length, alphaAsked, opts.bound)

  // Calibration: the operating point's level and the bounds.
  const path = json.path
  const calCurve = path.map((t, level) => ({threshold: level, ...cascadePoint(calM, fitted.cal.est, t)}))
  const calBest = single(calM, strongCol)
  const alphas = [...new Set([...(alphaAsked !== undefined ? [alphaAsked] : []), ...opts.alphas])]
  const bounds: BoundOptions[] = [
    opts.bound,
    {guarantee: opts.bound.guarantee === 'marginal' ? 'high' : 'marginal', delta: opts.bound.delta},
  ]
  const guarantees = alphas
    .flatMap(alpha => bounds.map(bound => ({alpha, bound})))
    .flatMap(({alpha, bound}) => {
      const chooses = alpha === alphaAsked && bound === opts.bound
      const g = guaranteeAt(alpha, bound, path, calM, fitted.cal.est, strongCol, chooses)
      if (!g) return []
      const testRate = meanLoss(testM, fitted.test.est, strongCol, g.thresholds)
      return [
        {
          ...g,
          testRate: round(testRate, 6),
          testItems: testM.items.length,
          test: roundPoint(cascadePoint(testM, fitted.test.est, g.thresholds)),
        },
      ]
    })
  let choice: {index: number; met: boolean; note?: string}
  if (opts.objective.kind === 'alpha') {
    const g = guarantees.find(x => x.alpha === alphaAsked && x.guarantee === opts.bound.guarantee)!
    choice = {index: g.level, met: true}
  } else choice = chooseByQualityOrBudget(calCurve, opts.objective, calBest.quality)
  const level = choice.index
  const thresholds = path[level]!
  const calFrontier = paretoFrontier(calCurve)
  json.operatingPoint = {level, thresholds, objective: opts.objective, calibration: roundPoint(calCurve[level]!)}
  json.frontier = calFrontier.map(p => ({level: p.threshold, ...roundPoint(p)}))
  json.guarantees = guarantees.map(({test: _, ...g}) => g)

  // Test: everything below looks at the test split for the first time.
  progress('scoring on the test split')
  const sweep = sweepLine(
    path.map((_, level) => level),
    calFrontier,
  )
  const comparison = opts.compare
    ? compare(table, opts, splits, fitted, evidence, cal, test, context, progress)
    : undefined
  const {evaluation, rates} = evaluateOnTest(
    opts,
    fitted,
    sweep,
    strongCol,
    col(cheapest.model),
    train,
    test,
    comparison,
    guarantees.map(g => g.level),
  )
  const testPoint = cascadePoint(testM, fitted.test.est, thresholds)
  const testBest = single(testM, strongCol)
  const share = (p: Point, ref: Point, shares: number[]) => ({
    ...roundPoint(p),
    qualityShare: round(ref.quality > 0 ? p.quality / ref.quality : 0, 6),
    costShare: round(ref.cost > 0 ? p.cost / ref.cost : 0, 6),
    stepShares: shares.map(v => round(v, 6)),
  })
  const lines = table.items.reduce((n, i) => n + i.models.length, 0)
  const result: Omit<CascadeTrainResult, 'skipped' | 'written'> = {
    schemaVersion: '1.0',
    kind: 'cascade',
    mode: opts.mode,
    data: {
      lines: table.lines,
      items: table.items.length,
      models: table.models.length,
      itemsWithText: table.items.filter(i => i.text !== undefined).length,
      linesWithResponse: table.items.reduce((n, i) => n + (i.responses?.filter(r => r !== undefined).length ?? 0), 0),
      linesWithSignals: Math.min(
        lines,
        table.items.reduce((n, i) => n + (i.signals?.filter(s => s !== undefined).length ?? 0), 0),
      ),
    },
    split: {
      method: splits.method,
      seed: opts.seed,
      train: splits.train.length,
      calibration: splits.calibration.length,
      test: splits.test.length,
      incomplete: {calibration: fitted.cal.incomplete, test: fitted.test.incomplete},
    },
    models,
    strongest: strongest.model,
    cheapest: cheapest.model,
    chain: {
      models: json.chain.map(s => s.model),
      ranking: fitted.ranking,
      variant: json.training.variant,
      variants: json.training.variants ?? [],
    },
    steps: fitted.steps,
    operatingPoint: {
      level,
      thresholds,
      objective: opts.objective,
      met: choice.met,
      ...(choice.note ? {note: choice.note} : {}),
      calibration: share(calCurve[level]!, calBest, stepShares(fitted.cal.est, calM.items.length, thresholds)),
      test: share(testPoint, testBest, stepShares(fitted.test.est, testM.items.length, thresholds)),
    },
    guarantees: guarantees.map((g, k) => ({...g, testRateInterval: rates[k]!})),
    test: evaluation,
    seconds: (opts.now() - started) / 1000,
  }
  return {router: json, result}
}

/** A chain given by the user: known models, no repeats, 2 or 3 steps, the strongest last. */
function checkChain(chain: string[], models: string[], strongest: string, maxSteps: number): void {
  const unknown = chain.filter(m => !models.includes(m))
  const problem =
    unknown.length > 0
      ? `names models the outcomes do not have: ${unknown.join(', ')}`
      : new Set(chain).size !== chain.length
        ? 'names a model twice'
        : chain.length < 2 || chain.length > maxSteps
          ? `has ${chain.length} steps (2 to ${maxSteps})`
          : chain[chain.length - 1] !== strongest
            ? `ends with ${chain[chain.length - 1]}, not the strongest model (${strongest}): the bound is measured against it`
            : undefined
  if (problem)
    throw new AcoError('usage', `--chain ${chain.join(',')} ${problem}.`, `For example --chain CHEAP,MID,${strongest}.`)
}

/** Per model: whether its training lines carry responses (most do), which signals, and its usual response length. */
function modelEvidence(train: CascadeSplit): ModelEvidence {
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
function fitCascade(
  mode: CascadeMode,
  ctx: ChainContext,
  opts: CascadeOptions,
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
  const fits = (mode === opts.mode && opts.variants ? opts.variants : variantsOf[mode]).map(variant =>
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
  opts: CascadeOptions,
  table: OutcomeTable,
  splits: Splits<Item>,
  evidence: ModelEvidence,
  ranking: ChainScore[],
  progress: (message: string) => void,
): VariantFit {
  const summaries = summarizeModels(table.models, splits.train)
  const train = ctx.split
  const learned = variant !== 'training-free'
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
  opts: CascadeOptions,
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

/** The conformal bound at α on the calibration split; undefined (reported as missing) when the split is too small for a reported α. */
function guaranteeAt(
  alpha: number,
  bound: BoundOptions,
  path: number[][],
  m: OutcomeMatrix,
  est: ChainEstimates,
  strongCol: number,
  asked: boolean,
): CascadeGuarantee | undefined {
  let r: ReturnType<typeof conformalIndex>
  try {
    r = conformalIndex((g, i) => cascadeLoss(m, est, strongCol, i, path[g]!), m.items.length, path.length, alpha, bound)
  } catch (error) {
    if (asked || !(error instanceof AcoError)) throw error
    return undefined
  }
  return {
    alpha,
    guarantee: bound.guarantee,
    ...(bound.guarantee === 'high' ? {delta: bound.delta} : {}),
    n: r.n,
    level: r.index,
    thresholds: path[r.index]!,
    bound: round(r.bound, 6),
    calibrationRisk: round(r.calibrationRisk, 6),
  }
}

function meanLoss(m: OutcomeMatrix, est: ChainEstimates, strongCol: number, thresholds: number[]): number {
  let sum = 0
  for (let i = 0; i < m.items.length; i++) sum += cascadeLoss(m, est, strongCol, i, thresholds)
  return sum / Math.max(1, m.items.length)
}

/** A single model's quality and cost on a matrix (weighted when weights are given). */
function single(m: OutcomeMatrix, col: number, weights?: ArrayLike<number> | null): Point {
  const w = m.models.length
  let q = 0
  let c = 0
  let n = 0
  for (let i = 0; i < m.items.length; i++) {
    const wi = weights ? (weights[i] as number) : 1
    q += wi * m.success[i * w + col]!
    c += wi * m.cost[i * w + col]!
    n += wi
  }
  return {quality: q / Math.max(1e-12, n), cost: c / Math.max(1e-12, n)}
}

function roundPoint(p: Point): Point {
  return {quality: round(p.quality, 6), cost: round(p.cost, 9)}
}

/** Points sorted by cost (for interpolating a curve at a cost; no envelope taken). */
function byCost<T extends Point>(points: T[]): T[] {
  return [...points].sort((a, b) => a.cost - b.cost || a.quality - b.quality)
}

/** What the cascade is compared with on the same split: the ex-ante router and the training-free cascade. */
interface Comparison {
  /** The ex-ante router's choice (column) of each scored test row at each of its sweep thresholds. */
  exAnte?: {choices: Int32Array[]; thresholds: number[]}
  trainingFree?: {fitted: Fitted; sweep: number[]}
}

function compare(
  table: OutcomeTable,
  opts: CascadeOptions,
  splits: Splits<Item>,
  fitted: Fitted,
  evidence: ModelEvidence,
  cal: CascadeSplit,
  test: CascadeSplit,
  context: (mode: CascadeMode) => ChainContext,
  progress: (message: string) => void,
): Comparison {
  const out: Comparison = {}
  progress('training the ex-ante router on the same split, for comparison')
  let router: RouterJson | undefined
  try {
    router = trainRouter(table, {seed: opts.seed, split: opts.split, features: opts.features, now: opts.now}).router
  } catch (error) {
    if (!(error instanceof AcoError)) throw error
    progress(`no ex-ante router for comparison: ${error.message}`)
  }
  if (router) {
    const loaded = loadRouter(router)
    const thresholds = sweepLine(router.grid, router.frontier)
    const rows = fitted.test.rows.map(r => test.items[r]!)
    const choices = thresholds.map(t =>
      Int32Array.from(rows, item => table.models.indexOf(loaded.route({features: item.features, text: item.text}, t))),
    )
    out.exAnte = {choices, thresholds}
  }
  if (opts.mode === 'learned') {
    progress('fitting the training-free cascade on the same split, for comparison')
    try {
      const free = fitCascade('entropy', context('entropy'), opts, table, splits, evidence, cal, test, () => {})
      const curve = free.json.path.map((t, level) => ({
        threshold: level,
        ...cascadePoint(free.cal.matrix, free.cal.est, t),
      }))
      out.trainingFree = {
        fitted: free,
        sweep: sweepLine(
          free.json.path.map((_, level) => level),
          paretoFrontier(curve),
        ),
      }
    } catch (error) {
      if (!(error instanceof AcoError)) throw error
    }
  }
  return out
}

/** Test figures with bootstrap intervals: the cascade at its sweep thresholds beside every baseline. */
function evaluateOnTest(
  opts: CascadeOptions,
  fitted: Fitted,
  sweep: number[],
  strongCol: number,
  cheapCol: number,
  train: CascadeSplit,
  testSplit: CascadeSplit,
  comparison: Comparison | undefined,
  guaranteeLevels: number[],
): {evaluation: CascadeTrainResult['test']; rates: Interval[]} {
  const m = fitted.test.matrix
  const w = m.models.length
  const n = m.items.length
  const singlesTrain = summarizeModels(m.models, train.items)
  const hull = mixHull(
    singlesTrain
      .filter(s => s.trainItems > 0)
      .map(s => ({model: s.model, quality: s.trainQuality, cost: s.trainCostUsd})),
  ).map(p => m.models.indexOf(p.model))
  const agreementPair = chooseAgreementPair(train, testSplit, strongCol, cheapCol)
  const free = comparison?.trainingFree
  const freeIndex = free ? new Map(free.fitted.test.rows.map((r, i) => [r, i] as const)) : undefined

  // Per-item outcomes of the agreement baseline on test.
  const agreeSuccess = new Float64Array(n)
  const agreeCost = new Float64Array(n)
  if (agreementPair) {
    const [a, b] = agreementPair.cols
    fitted.test.rows.forEach((r, i) => {
      const base = m.cost[i * w + a]! + m.cost[i * w + b]!
      if (agreementPair.agree(r)) {
        agreeSuccess[i] = m.success[i * w + b]!
        agreeCost[i] = base
      } else {
        agreeSuccess[i] = m.success[i * w + strongCol]!
        agreeCost[i] = base + m.cost[i * w + strongCol]!
      }
    })
  }

  // Curves in the order of their levels or thresholds (cheap end first), as fixed on calibration: no envelope taken on test.
  const curveOf = (fit: Fitted, levels: number[], weights: Float64Array | null) =>
    levels.map(l => ({
      threshold: l,
      ...cascadePoint(fit.test.matrix, fit.test.est, fit.json.path[l]!, weights ?? undefined),
    }))
  const exAntePoints = (weights: Float64Array | null): Point[] => {
    const ex = comparison?.exAnte
    if (!ex) return []
    return ex.choices.map(chosen => {
      let q = 0
      let c = 0
      let total = 0
      for (let i = 0; i < n; i++) {
        const wi = weights ? weights[i]! : 1
        q += wi * m.success[i * w + chosen[i]!]!
        c += wi * m.cost[i * w + chosen[i]!]!
        total += wi
      }
      return {quality: q / total, cost: c / total}
    })
  }
  const freePoints = (weights: Float64Array | null): Array<Point & {threshold: number}> => {
    if (!free || !freeIndex) return []
    // The training-free cascade may score a slightly different set of rows: weigh the rows both score.
    const fm = free.fitted.test.matrix
    const fw = new Float64Array(fm.items.length)
    fitted.test.rows.forEach((r, i) => {
      const j = freeIndex.get(r)
      if (j !== undefined) fw[j] = weights ? weights[i]! : 1
    })
    return free.sweep.map(l => ({
      threshold: l,
      ...cascadePoint(fm, free.fitted.test.est, free.fitted.json.path[l]!, fw),
    }))
  }
  const guaranteeRate = (thresholds: number[], weights: Float64Array | null): number => {
    let loss = 0
    let total = 0
    for (let i = 0; i < n; i++) {
      const wi = weights ? weights[i]! : 1
      loss += wi * cascadeLoss(m, fitted.test.est, strongCol, i, thresholds)
      total += wi
    }
    return loss / Math.max(1e-12, total)
  }
  const agreePoint = (weights: Float64Array | null): Point => {
    let q = 0
    let c = 0
    let total = 0
    for (let i = 0; i < n; i++) {
      const wi = weights ? weights[i]! : 1
      q += wi * agreeSuccess[i]!
      c += wi * agreeCost[i]!
      total += wi
    }
    return {quality: q / Math.max(1e-12, total), cost: c / Math.max(1e-12, total)}
  }
  // Every figure of one draw, by name; the bootstrap keeps them paired.
  const statistic = (weights: Float64Array | null): Record<string, number> => {
    const cheap = single(m, cheapCol, weights)
    const best = single(m, strongCol, weights)
    const curve = curveOf(fitted, sweep, weights)
    const cascadeApgr = apgr(curve, cheap, best)
    const half = qualityAt(byCost(curve), best.cost / 2) ?? Number.NaN
    const ex = exAntePoints(weights)
    const exApgr = ex.length > 0 ? apgr(ex, cheap, best) : Number.NaN
    const fp = freePoints(weights)
    const out: Record<string, number> = {
      apgr: cascadeApgr,
      qualityAtHalf: half,
      qualityShareAtHalf: half / best.quality,
      mixApgr: apgr(byCost(hull.map(c => single(m, c, weights))), cheap, best),
      exApgr,
      lead: cascadeApgr - exApgr,
      freeApgr: fp.length > 0 ? apgr(fp, cheap, best) : Number.NaN,
    }
    if (agreementPair) {
      const a = agreePoint(weights)
      out.agreeQuality = a.quality
      out.agreeCost = a.cost
      out.agreeApgr = apgr(paretoFrontier([cheap, a, best]), cheap, best)
      out.agreeLead = (qualityAt(byCost(curve), a.cost) ?? Number.NaN) - a.quality
    }
    guaranteeLevels.forEach((level, k) => {
      out[`rate${k}`] = guaranteeRate(fitted.json.path[level]!, weights)
    })
    return out
  }
  const keys = Object.keys(statistic(null))
  const figures = bootstrap(
    n,
    w8 => {
      const v = statistic(w8)
      return keys.map(k => v[k]!)
    },
    {resamples: opts.resamples, seed: opts.seed},
  )
  const fig = (name: string): Interval => {
    const f = figures[keys.indexOf(name)]!
    return {value: round(f.value, 6), low: round(f.low, 6), high: round(f.high, 6)}
  }
  const cheap = single(m, cheapCol)
  const best = single(m, strongCol)
  const curve = curveOf(fitted, sweep, null)
  const costShare = (target: number): number | null => {
    const c = costFor(paretoFrontier(curve), target)
    return c === undefined ? null : round(c / best.cost, 6)
  }
  let agreement: AgreementBaseline | null = null
  if (agreementPair) {
    const test = agreePoint(null)
    const atQuality = costFor(paretoFrontier(curve), test.quality)
    agreement = {
      models: [m.models[agreementPair.cols[0]]!, m.models[agreementPair.cols[1]]!],
      strongest: m.models[strongCol]!,
      train: roundPoint(agreementPair.train),
      test: roundPoint(test),
      quality: fig('agreeQuality'),
      cost: fig('agreeCost'),
      apgr: fig('agreeApgr'),
      cascadeLeadAtItsCost: fig('agreeLead'),
      cascadeCostAtItsQuality: atQuality === undefined ? null : round(atQuality, 9),
    }
  }
  const singles = m.models.map((model, c) => ({model, ...roundPoint(single(m, c))}))
  const half = figures[keys.indexOf('qualityAtHalf')]!
  return {
    evaluation: {
      items: n,
      cheapest: {model: m.models[cheapCol]!, ...roundPoint(cheap)},
      best: {model: m.models[strongCol]!, ...roundPoint(best)},
      apgr: fig('apgr'),
      qualityAtHalfBestCost: Number.isFinite(half.value) ? fig('qualityAtHalf') : null,
      qualityShareAtHalfBestCost: Number.isFinite(half.value) ? fig('qualityShareAtHalf') : null,
      costShareAt95: costShare(0.95 * best.quality),
      costShareAt100: costShare(best.quality),
      curve: curve.map(p => ({threshold: p.threshold, ...roundPoint(p)})),
      baselines: {
        singleModels: singles,
        oracle: roundPoint(oraclePoint(m)),
        randomMix: {apgr: 0.5},
        singleModelMixes: {apgr: fig('mixApgr'), models: hull.map(c => m.models[c]!)},
        agreement,
        exAnte: comparison?.exAnte
          ? {apgr: fig('exApgr'), curve: exAntePoints(null).map((p, k) => ({threshold: k, ...roundPoint(p)}))}
          : null,
        trainingFree: free
          ? {
              apgr: fig('freeApgr'),
              chain: free.fitted.json.chain.map(s => s.model),
              curve: freePoints(null).map(p => ({threshold: p.threshold, ...roundPoint(p)})),
            }
          : null,
      },
      leadOverExAnte: comparison?.exAnte ? fig('lead') : null,
    },
    rates: guaranteeLevels.map((_, k) => fig(`rate${k}`)),
  }
}

/** The per-item oracle: the cheapest model that succeeds (or the cheapest). */
function oraclePoint(m: OutcomeMatrix): Point {
  const w = m.models.length
  let q = 0
  let c = 0
  for (let i = 0; i < m.items.length; i++) {
    let best = -1
    let cheapest = 0
    for (let k = 0; k < w; k++) {
      const ck = m.cost[i * w + k]!
      if (ck < m.cost[i * w + cheapest]!) cheapest = k
      if (m.success[i * w + k]! > 0.5 && (best < 0 || ck < m.cost[i * w + best]!)) best = k
    }
    const k = best >= 0 ? best : cheapest
    q += m.success[i * w + k]!
    c += m.cost[i * w + k]!
  }
  const n = Math.max(1, m.items.length)
  return {quality: q / n, cost: c / n}
}

/**
 * The two cheap models of the agreement baseline, chosen on the training
 * split: of every pair cheaper than the strongest, the one whose point
 * (both run; the strongest too when they disagree) has the largest APGR.
 */
function chooseAgreementPair(
  train: CascadeSplit,
  test: CascadeSplit,
  strongCol: number,
  cheapCol: number,
): {cols: [number, number]; train: Point; agree: (testRow: number) => boolean} | undefined {
  const m = train.matrix
  const w = m.models.length
  const rows = completeRows(train).filter(r => {
    for (let c = 0; c < w; c++) if (!train.digests[r]![c]) return false
    return true
  })
  if (rows.length === 0) return undefined
  const sub = subMatrix(m, rows)
  const cheap = single(sub, cheapCol)
  const best = single(sub, strongCol)
  let chosen: {cols: [number, number]; value: number; point: Point} | undefined
  for (let a = 0; a < w; a++) {
    for (let b = a + 1; b < w; b++) {
      if (a === strongCol || b === strongCol) continue
      // The answer kept when they agree is the dearer model's.
      const [x, y] = single(sub, a).cost <= single(sub, b).cost ? [a, b] : [b, a]
      let q = 0
      let c = 0
      rows.forEach((r, i) => {
        const base = sub.cost[i * w + x]! + sub.cost[i * w + y]!
        if (train.agree(r, x, y) >= 0.999) {
          q += sub.success[i * w + y]!
          c += base
        } else {
          q += sub.success[i * w + strongCol]!
          c += base + sub.cost[i * w + strongCol]!
        }
      })
      const point = {quality: q / rows.length, cost: c / rows.length}
      const value = apgr(paretoFrontier([cheap, point, best]), cheap, best)
      if (Number.isFinite(value) && (!chosen || value > chosen.value)) chosen = {cols: [x, y], value, point}
    }
  }
  if (!chosen) return undefined
  const [x, y] = chosen.cols
  return {cols: chosen.cols, train: chosen.point, agree: r => test.agree(r, x, y) >= 0.999}
}
