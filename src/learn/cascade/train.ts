/**
 * `aco train --cascade` as a pure service: outcome table (with what each
 * model's run returned) in, cascade and evaluation out.
 *
 * split (grouped by item, as the ex-ante router splits) → chain chosen on
 * the training split → one estimator per step but the last, P(the answer in
 * hand is right | item features, post-hoc features of the steps run so far),
 * or the training-free signal (fit.ts) → estimates on calibration and test
 * through the compiled cascade → operating point and conformal bounds on the
 * calibration split → test figures at levels fixed before, beside the ex-ante
 * router, the training-free cascade and every baseline, with bootstrap
 * intervals (assess.ts).
 */
import {AcoError} from '../../errors.js'
import {assertCalibrationSize, type BoundOptions, chooseByQualityOrBudget} from '../calibrate.js'
import {summarizeModels} from '../candidates.js'
import {paretoFrontier, type Point} from '../evaluate.js'
import {round} from '../numbers.js'
import type {OutcomeTable} from '../outcome-table.js'
import {sweepLine} from '../policy.js'
import {NOT_LIKE_CALIBRATION} from '../prose.js'
import {splitItems} from '../split.js'
import {type AssessOptions, compare, evaluateOnTest, guaranteeAt, meanLoss} from './assess.js'
import type {CascadeMode, ChainContext} from './chain.js'
import {cascadeSplit, roundPoint, single} from './data.js'
import {fitCascade, modelEvidence} from './fit.js'
import {cascadePoint, stepShares} from './policy.js'
import type {CascadeTrainResult} from './result.js'
import type {CascadeJson} from './router.js'

export interface CascadeOptions extends AssessOptions {
  /** The α of the bounds always reported (the objective's α is added when it is one). */
  alphas: number[]
  bound: BoundOptions
  /** Train the ex-ante router and the training-free cascade on the same split for comparison. */
  compare: boolean
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

/** Trains a cascade. Deterministic for `options.seed`; throws an AcoError when the data cannot support one. */
export function trainCascade(
  table: OutcomeTable,
  options: Partial<CascadeOptions> & {now: () => number},
): {router: CascadeJson; result: Omit<CascadeTrainResult, 'skipped' | 'written'>} {
  const opts: CascadeOptions = {...defaults, ...options}
  const started = opts.now()
  const progress = opts.onProgress ?? (() => {})
  if (!(opts.maxSteps >= 2 && opts.maxSteps <= 3))
    throw new AcoError(
      'usage',
      `A chain has 2 or 3 steps (got ${opts.maxSteps}).`,
      'Use --chain-length 2 or --chain-length 3.',
    )
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
      'Add "response" (the answer text) or "signals" to the outcome lines (schemas/outcome-table.schema.json): aco outcomes writes them from your own runs; for RouterBench, `npm run routing-dev -- FOLDER OUT` in aco\'s repository builds tables with every model\'s response from its CSVs.',
    )
  }
  if (opts.chain) {
    // (A model named as the screens name it, by its name without the provider, or its name's start: resolved here.)
    opts.chain = opts.chain.map(m => chainModel(m, table.models))
    checkChain(opts.chain, table.models, strongest.model, opts.maxSteps)
  }
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
    // (The mode of the cascade trained, as router.json says it: asked for learned estimators, training may keep the
    // training-free variant, which is the entropy cascade.)
    mode: json.mode,
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
  const dominated = dominatedBy(result.operatingPoint, strongest.model)
  const warnings = [...(dominated ? [dominated] : []), ...boundsAbove(result.guarantees, splits.method === 'feature')]
  if (warnings.length) result.warnings = warnings
  return {router: json, result}
}

/**
 * The bounds the test split's rate went above (trial 110: "bound 0.0854 ≤ α; measured on test 33.72%" on a held-out
 * task, said nowhere): above α within the split's noise, or beyond it, where the test items are not like the
 * calibration items.
 */
function boundsAbove(guarantees: CascadeTrainResult['guarantees'], heldOut: boolean): string[] {
  const pct = (v: number): string => `${(v * 100).toFixed(2)}%`
  return guarantees
    .filter(g => g.testRateInterval.value > g.alpha)
    .map(
      g =>
        `at the ${g.guarantee} bound for α = ${g.alpha} the test rate is ${pct(g.testRateInterval.value)} (95% interval ${pct(g.testRateInterval.low)} to ${pct(g.testRateInterval.high)}), above α${heldOut && g.testRateInterval.low > g.alpha ? `, beyond the test split's noise: ${NOT_LIKE_CALIBRATION}` : ': a bound holds over calibration draws (on average, or but for a share δ of them), not for each split; if it persists over fresh data, suspect drift'}`,
    )
}

/**
 * Whether the strongest model alone does as well as the operating point for no more: a cascade that keeps none of the
 * cheaper answers runs them for nothing (trial 87: 100% of the quality for 105–108% of the cost on MBPP and ARC, said
 * nowhere). Judged on the calibration split, where the point was chosen, and on test.
 */
function dominatedBy(op: CascadeTrainResult['operatingPoint'], strongest: string): string | undefined {
  const worse = (p: {qualityShare: number; costShare: number}): boolean => p.costShare >= 1 && p.qualityShare <= 1
  const on = [...(worse(op.calibration) ? ['calibration'] : []), ...(worse(op.test) ? ['test'] : [])]
  if (!on.length) return undefined
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`
  return `at the operating point the cascade costs ${pct(op.test.costShare)} of ${strongest}'s cost for ${pct(op.test.qualityShare)} of its quality on test (${pct(op.calibration.costShare)} and ${pct(op.calibration.qualityShare)} on calibration): ${strongest} alone does as well for less on ${on.join(' and ')}; send every item to it, or ask for less quality (--keep, --alpha) for a point the cheaper models serve`
}

/**
 * The model of the outcomes a chain's step names: the same id, else the one model whose name past its provider
 * (`mistralai/mixtral-8x7b-chat` → `mixtral-8x7b-chat`, as the screens write it) is it or starts with it (`mixtral`, as
 * the README's example writes it; trial 87 found both refused). A name that is none, or more than one, is left as given
 * for checkChain to refuse, with the candidates when there are several.
 */
function chainModel(name: string, models: readonly string[]): string {
  if (models.includes(name)) return name
  const short = (m: string): string => m.slice(m.lastIndexOf('/') + 1)
  const exact = models.filter(m => short(m) === name)
  const starting = exact.length ? exact : models.filter(m => short(m).startsWith(name))
  if (starting.length === 1) return starting[0]!
  if (starting.length > 1)
    throw new AcoError(
      'usage',
      `--chain names ${name}, which is the start of ${starting.length} models: ${starting.join(', ')}.`,
      'Name each model of the chain by its id, or by enough of its name to tell it from the others.',
    )
  return name
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
          ? `has ${chain.length} step${chain.length === 1 ? '' : 's'} (2 to ${maxSteps})`
          : chain[chain.length - 1] !== strongest
            ? `ends with ${chain[chain.length - 1]}, not the strongest model (${strongest}): the bound is measured against it`
            : undefined
  if (problem)
    throw new AcoError('usage', `--chain ${chain.join(',')} ${problem}.`, `For example --chain CHEAP,MID,${strongest}.`)
}
