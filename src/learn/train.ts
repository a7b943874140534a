/**
 * `aco train` as a pure service: outcome table in, router and evaluation out.
 * split (grouped by item) → features (learned on train) → one forest per
 * candidate model → estimates on calibration and test → threshold grid and
 * operating point (calibration only) → conformal bound → evaluation on test →
 * recommendation. Each step is a function below; the result's shapes are in
 * result.ts, its words in prose.ts and report.ts.
 */
import {AcoError} from '../errors.js'
import {type Prepared, evaluateTest, prepare, runConformal} from './assess.js'
import {assertCalibrationSize, chooseByQualityOrBudget, type Objective} from './calibrate.js'
import {summarizeModels} from './candidates.js'
import {encodeAll, selectRows} from './design.js'
import {curve, paretoFrontier, singleModels, type CurvePoint, type Point} from './evaluate.js'
import {Encoder} from './encoder.js'
import {buildSpec, columnBins, type FeatureOptions, type FeatureSpec} from './featurize.js'
import {compileForest, defaultForestOptions, trainForest, type ForestJson, type ForestOptions} from './forest.js'
import {trainMljsForest} from './mljs-forest.js'
import {round} from './numbers.js'
import type {Item, OutcomeTable} from './outcome-table.js'
import {thresholdGrid, type Rule} from './policy.js'
import {Rng} from './random.js'
import {recommend} from './recommend.js'
import type {ConformalReport, ModelSummary, PolicyPoint, TrainResult} from './result.js'
import {routerSchemaVersion, type ForestEngine, type RouterJson} from './router.js'
import {splitItems, type SplitOptions, type Splits} from './split.js'

export interface TrainOptions {
  seed: number
  split: Omit<SplitOptions, 'seed'>
  objective: Objective
  /** The α of the conformal bound that is always reported (the objective's α when it is one). */
  alpha: number
  rule: Rule
  engine: ForestEngine
  features: Partial<FeatureOptions>
  forest: Partial<ForestOptions>
  /** Most thresholds on the grid. */
  gridSize: number
  /** Clock for timings and the router's date (the core reads no clock of its own). */
  now: () => number
  onProgress?: (message: string) => void
}

const defaultTrainOptions: Omit<TrainOptions, 'now'> = {
  seed: 1,
  split: {fractions: {train: 0.6, calibration: 0.2, test: 0.2}},
  objective: {kind: 'keep', keep: 1},
  alpha: 0.05,
  rule: 'utility',
  engine: 'hist',
  features: {},
  forest: {},
  gridSize: 201,
}

/** The candidates, cheapest first: the last is the strongest. */
interface Candidates {
  models: ModelSummary[]
  candidates: ModelSummary[]
  strongest: ModelSummary
  cheapest: ModelSummary
  /** Each candidate's training cost relative to the strongest's. */
  relCost: number[]
}

/** Where the router operates, chosen on the calibration split. */
interface OperatingPoint {
  grid: number[]
  index: number
  threshold: number
  met: boolean
  note?: string
  conformal: ConformalReport
  calibration: Point
  calibrationBest: Point
  /** The router's calibration curve along the grid. */
  calibrationCurve: CurvePoint[]
}

/**
 * Trains a router on an outcome table. Deterministic for `options.seed`.
 * Throws an AcoError when the data cannot support a router.
 */
export function trainRouter(
  table: OutcomeTable,
  options: Partial<TrainOptions> & {now: () => number},
): {router: RouterJson; result: Omit<TrainResult, 'skipped' | 'written'>} {
  const opts: TrainOptions = {...defaultTrainOptions, ...options}
  const started = opts.now()
  const progress = opts.onProgress ?? (() => {})
  const splits = splitOrRefuse(table, opts)
  const cands = chooseCandidates(table, splits.train)
  progress(
    `${table.items.length} items, ${table.models.length} models; candidates: ${cands.candidates.map(c => c.model).join(', ')}`,
  )

  const spec = buildSpec(splits.train, opts.features, table.inconsistent)
  const encoder = new Encoder(spec)
  const forestOptions: ForestOptions = {...defaultForestOptions, ...opts.forest, seed: opts.forest.seed ?? opts.seed}
  const forests = fitForests(splits.train, cands.candidates, spec, encoder, forestOptions, opts.engine, progress)

  const compiled = forests.map(compileForest)
  const cal = prepare(splits.calibration, table.models, cands.candidates, compiled, encoder, cands.relCost)
  const test = prepare(splits.test, table.models, cands.candidates, compiled, encoder, cands.relCost)
  if (cal.matrix.items.length === 0 || test.matrix.items.length === 0) {
    throw new AcoError(
      'too-small',
      `No calibration or test item has an outcome for every model (${cal.matrix.items.length} calibration, ${test.matrix.items.length} test).`,
      'Evaluation needs items run by every model: give complete items, or fewer models.',
    )
  }

  const strongCol = table.models.indexOf(cands.strongest.model)
  const cheapCol = table.models.indexOf(cands.cheapest.model)
  const op = chooseOperatingPoint(opts, cal, test, cands, strongCol)

  // Test: everything below looks at the test split for the first time.
  const testCurve = curve(test.matrix, opts.rule, op.grid, test.est)
  const testSingles = singleModels(test.matrix)
  const testBest = testSingles[strongCol]!
  const bases = forests.map(f => f.base)
  const evaluation = evaluateTest(
    test,
    testCurve,
    testSingles,
    testSingles[cheapCol]!,
    testBest,
    cands.candidates,
    bases,
  )
  const opTest = testCurve[op.index]!
  const recommendation = recommend(opts.rule, cal, test, op.threshold, op.calibration, opTest, table.models)

  const router = routerJson(opts, spec, cands, forests, forestOptions, op, splits)
  const share = (p: Point, ref: Point): PolicyPoint => ({
    quality: p.quality,
    cost: p.cost,
    qualityShare: ref.quality > 0 ? p.quality / ref.quality : 0,
    costShare: ref.cost > 0 ? p.cost / ref.cost : 0,
  })
  const result: Omit<TrainResult, 'skipped' | 'written'> = {
    schemaVersion: '1.0',
    data: {
      lines: table.lines,
      items: table.items.length,
      models: table.models.length,
      itemsWithText: table.items.filter(i => i.text !== undefined).length,
    },
    split: {
      method: splits.method,
      seed: opts.seed,
      train: splits.train.length,
      calibration: splits.calibration.length,
      test: splits.test.length,
      incomplete: {calibration: cal.incomplete, test: test.incomplete},
    },
    features: {
      columns: spec.columns,
      numeric: spec.numeric.map(c => c.name),
      categorical: spec.categorical.map(c => c.name),
      text: spec.text ? {buckets: spec.text.buckets, stats: spec.text.stats.map(s => s.name)} : null,
      ignored: spec.ignored,
    },
    engine: opts.engine,
    rule: opts.rule,
    models: cands.models,
    strongest: cands.strongest.model,
    cheapest: cands.cheapest.model,
    operatingPoint: {
      threshold: op.threshold,
      objective: opts.objective,
      met: op.met,
      ...(op.note ? {note: op.note} : {}),
      calibration: share(op.calibration, op.calibrationBest),
      test: share(opTest, testBest),
    },
    conformal: op.conformal,
    test: evaluation,
    recommendation,
    seconds: (opts.now() - started) / 1000,
  }
  return {router, result}
}

/** Splits the items; refuses splits too small to train and check a router, or for the α asked. */
function splitOrRefuse(table: OutcomeTable, opts: TrainOptions): Splits<Item> {
  const splits = splitItems(table.items, {...opts.split, seed: opts.seed})
  if (splits.train.length < 2 || splits.calibration.length < 1 || splits.test.length < 1) {
    throw new AcoError(
      'too-small',
      `Too few items to train and check a router: ${splits.train.length} train, ${splits.calibration.length} calibration, ${splits.test.length} test (of ${table.items.length}).`,
      'Give more items, or change the shares with --split train,calibration,test.',
    )
  }
  // Refuse before training when the calibration split cannot support the α asked.
  if (opts.objective.kind === 'alpha') {
    assertCalibrationSize(
      splits.calibration.filter(item => table.models.every(m => item.models.includes(m))).length,
      opts.objective.alpha,
    )
  }
  return splits
}

/** Success and cost of every model on the training split; candidates on its Pareto front. */
function chooseCandidates(table: OutcomeTable, train: Item[]): Candidates {
  const models = summarizeModels(table.models, train)
  const candidates = models.filter(m => m.candidate).sort((a, b) => a.trainCostUsd - b.trainCostUsd)
  if (candidates.length === 0)
    throw new AcoError(
      'too-small',
      'No model has outcomes on the training split.',
      'Check that the outcomes file names models consistently.',
    )
  const strongest = candidates[candidates.length - 1]!
  return {
    models,
    candidates,
    strongest,
    cheapest: candidates[0]!,
    relCost: candidates.map(c => c.trainCostUsd / strongest.trainCostUsd),
  }
}

/** One forest per candidate, on the training items that candidate ran. */
function fitForests(
  train: Item[],
  candidates: ModelSummary[],
  spec: FeatureSpec,
  encoder: Encoder,
  forestOptions: ForestOptions,
  engine: ForestEngine,
  progress: (message: string) => void,
): ForestJson[] {
  const bins = columnBins(spec)
  const trainRows = encodeAll(encoder, train)
  const rng = new Rng(forestOptions.seed)
  return candidates.map(cand => {
    const rows: number[] = []
    const y: number[] = []
    train.forEach((item, i) => {
      const k = item.models.indexOf(cand.model)
      if (k >= 0) {
        rows.push(i)
        y.push(item.success[k]!)
      }
    })
    const x = selectRows(trainRows, rows, spec.columns, bins)
    const seed = rng.seed()
    progress(`training ${cand.model} on ${rows.length} items`)
    return engine === 'hist'
      ? trainForest(x, y, {...forestOptions, seed})
      : trainMljsForest(x, y, {...forestOptions, seed})
  })
}

/** The threshold grid and the operating point, from the calibration split only; the conformal bound beside it. */
function chooseOperatingPoint(
  opts: TrainOptions,
  cal: Prepared,
  test: Prepared,
  cands: Candidates,
  strongCol: number,
): OperatingPoint {
  const grid = thresholdGrid(opts.rule, cal.est.p, cands.candidates.length, cands.relCost, opts.gridSize)
  const calCurve = curve(cal.matrix, opts.rule, grid, cal.est)
  const calibrationBest = singleModels(cal.matrix)[strongCol]!
  const alpha = opts.objective.kind === 'alpha' ? opts.objective.alpha : opts.alpha
  const conformal = runConformal(opts.objective, alpha, opts.rule, grid, cal, test, strongCol)
  let choice: {index: number; met: boolean; note?: string}
  if (opts.objective.kind === 'alpha') {
    if (!conformal.available)
      throw new AcoError(
        'too-small',
        conformal.reason ?? 'conformal calibration failed',
        'Use a larger --alpha or more calibration items.',
      )
    choice = {index: grid.indexOf(conformal.threshold!), met: true}
  } else choice = chooseByQualityOrBudget(calCurve, opts.objective, calibrationBest.quality)
  return {
    grid,
    ...choice,
    threshold: grid[choice.index]!,
    conformal,
    calibration: calCurve[choice.index]!,
    calibrationBest,
    calibrationCurve: calCurve,
  }
}

/** router.json: candidates with their forests, the feature spec, the grid and the operating point. */
function routerJson(
  opts: TrainOptions,
  spec: FeatureSpec,
  cands: Candidates,
  forests: ForestJson[],
  forestOptions: ForestOptions,
  op: OperatingPoint,
  splits: Splits<Item>,
): RouterJson {
  return {
    schemaVersion: routerSchemaVersion,
    kind: 'aco-router',
    rule: opts.rule,
    models: cands.candidates.map((c, k) => ({
      model: c.model,
      costUsd: round(c.trainCostUsd, 9),
      quality: round(c.trainQuality, 6),
      relCost: round(cands.relCost[k]!, 9),
      forest: forests[k]!,
    })),
    features: spec,
    grid: op.grid,
    operatingPoint: {
      threshold: op.threshold,
      objective: opts.objective,
      calibration: {quality: round(op.calibration.quality, 6), cost: round(op.calibration.cost, 9)},
    },
    frontier: paretoFrontier(op.calibrationCurve).map(p => ({
      threshold: p.threshold,
      quality: round(p.quality, 6),
      cost: round(p.cost, 9),
    })),
    training: {
      seed: opts.seed,
      engine: opts.engine,
      forest: {
        trees: forestOptions.trees,
        maxDepth: forestOptions.maxDepth,
        minLeaf: forestOptions.minLeaf,
        mtry: forestOptions.mtry,
        smoothing: forestOptions.smoothing,
      },
      trainItems: splits.train.length,
      calibrationItems: splits.calibration.length,
      createdAt: new Date(opts.now()).toISOString(),
    },
  }
}
