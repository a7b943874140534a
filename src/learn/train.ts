/**
 * `aco train` as a pure service: outcome table in, router and evaluation out.
 * split (grouped by item) → features (learned on train) → one forest per
 * candidate model → estimates on calibration and test → threshold grid and
 * operating point (calibration only) → conformal bound → evaluation on test.
 */
import {AcoError} from '../errors.js'
import {assertCalibrationSize, chooseByQualityOrBudget, conformalIndex, type Objective} from './calibrate.js'
import {
  apgr,
  cascade,
  costFor,
  curve,
  decisions,
  marginOverMix,
  mixHull,
  oracle,
  pairedStandardError,
  paretoFrontier,
  qualityAt,
  reliability,
  singleModels,
  successOf,
  type CurvePoint,
  type Estimates,
  type OutcomeMatrix,
  type Point,
  type Reliability,
} from './evaluate.js'
import {buildSpec, columnBins, Encoder, type FeatureOptions, type IgnoredFeature} from './featurize.js'
import {
  compileForest,
  defaultForestOptions,
  predictForest,
  trainForest,
  type BinnedMatrix,
  type ForestJson,
  type ForestOptions,
} from './forest.js'
import {trainMljsForest} from './mljs-forest.js'
import type {BadLine, Item, OutcomeTable} from './outcomes.js'
import {thresholdGrid, type Rule} from './policy.js'
import {Rng} from './random.js'
import {routerSchemaVersion, type ForestEngine, type RouterJson, type RouterModel} from './router.js'
import {splitItems, type SplitOptions} from './split.js'

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

interface ModelSummary {
  model: string
  /** Items of the training split this model ran. */
  trainItems: number
  trainQuality: number
  trainCostUsd: number
  /** On the training split's cost–quality Pareto front (a routing candidate). */
  candidate: boolean
}

interface PolicyPoint extends Point {
  /** Quality as a share of the best model's on the same items. */
  qualityShare: number
  /** Cost as a share of the best model's on the same items. */
  costShare: number
}

interface Recommendation {
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

interface ConformalReport {
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

interface TestEvaluation {
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

interface Prepared {
  matrix: OutcomeMatrix
  est: Estimates
  /** Items that lack some model's outcome. */
  incomplete: number
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

  // Models: success and cost on the training split; candidates on its Pareto front.
  const models = summarizeModels(table.models, splits.train)
  const candidates = models.filter(m => m.candidate).sort((a, b) => a.trainCostUsd - b.trainCostUsd)
  if (candidates.length === 0)
    throw new AcoError(
      'too-small',
      'No model has outcomes on the training split.',
      'Check that the outcomes file names models consistently.',
    )
  const strongest = candidates[candidates.length - 1]!
  const cheapest = candidates[0]!
  progress(
    `${table.items.length} items, ${table.models.length} models; candidates: ${candidates.map(c => c.model).join(', ')}`,
  )

  const spec = buildSpec(splits.train, opts.features, table.inconsistent)
  const encoder = new Encoder(spec)
  const bins = columnBins(spec)
  const forestOptions: ForestOptions = {...defaultForestOptions, ...opts.forest, seed: opts.forest.seed ?? opts.seed}

  const trainRows = encodeAll(encoder, splits.train)
  const forests = new Map<string, ForestJson>()
  const rng = new Rng(forestOptions.seed)
  for (const cand of candidates) {
    const rows: number[] = []
    const y: number[] = []
    splits.train.forEach((item, i) => {
      const k = item.models.indexOf(cand.model)
      if (k >= 0) {
        rows.push(i)
        y.push(item.success[k]!)
      }
    })
    const x = selectRows(trainRows, rows, spec.columns, bins)
    const seed = rng.seed()
    progress(`training ${cand.model} on ${rows.length} items`)
    forests.set(
      cand.model,
      opts.engine === 'hist'
        ? trainForest(x, y, {...forestOptions, seed})
        : trainMljsForest(x, y, {...forestOptions, seed}),
    )
  }

  const relCost = candidates.map(c => c.trainCostUsd / strongest.trainCostUsd)
  const compiled = candidates.map(c => compileForest(forests.get(c.model)!))
  const cal = prepare(splits.calibration, table.models, candidates, compiled, encoder, relCost)
  const test = prepare(splits.test, table.models, candidates, compiled, encoder, relCost)
  if (cal.matrix.items.length === 0 || test.matrix.items.length === 0) {
    throw new AcoError(
      'too-small',
      `No calibration or test item has an outcome for every model (${cal.matrix.items.length} calibration, ${test.matrix.items.length} test).`,
      'Evaluation needs items run by every model: give complete items, or fewer models.',
    )
  }

  // The grid and the operating point come from the calibration split only.
  const grid = thresholdGrid(opts.rule, cal.est.p, candidates.length, relCost, opts.gridSize)
  const calCurve = curve(cal.matrix, opts.rule, grid, cal.est)
  const strongCol = table.models.indexOf(strongest.model)
  const cheapCol = table.models.indexOf(cheapest.model)
  const calBest = singleModels(cal.matrix)[strongCol]!

  const conformal = runConformal(opts, grid, cal, test, strongCol)
  let choice: {index: number; met: boolean; note?: string}
  if (opts.objective.kind === 'alpha') {
    if (!conformal.available)
      throw new AcoError(
        'too-small',
        conformal.reason ?? 'conformal calibration failed',
        'Use a larger --alpha or more calibration items.',
      )
    choice = {index: grid.indexOf(conformal.threshold!), met: true}
  } else choice = chooseByQualityOrBudget(calCurve, opts.objective, calBest.quality)
  const threshold = grid[choice.index]!

  // Test: everything below looks at the test split for the first time.
  const testCurve = curve(test.matrix, opts.rule, grid, test.est)
  const testSingles = singleModels(test.matrix)
  const testCheap = testSingles[cheapCol]!
  const testBest = testSingles[strongCol]!
  const evaluation = evaluateTest(test, testCurve, testSingles, testCheap, testBest, candidates, forests)
  const opTest = testCurve[choice.index]!
  const calPoint = calCurve[choice.index]!

  const recommendation = recommend(opts, cal, test, threshold, calPoint, opTest, table.models)

  const routerModels: RouterModel[] = candidates.map((c, k) => ({
    model: c.model,
    costUsd: round(c.trainCostUsd, 9),
    quality: round(c.trainQuality, 6),
    relCost: round(relCost[k]!, 9),
    forest: forests.get(c.model)!,
  }))
  const router: RouterJson = {
    schemaVersion: routerSchemaVersion,
    kind: 'aco-router',
    rule: opts.rule,
    models: routerModels,
    features: spec,
    grid,
    operatingPoint: {
      threshold,
      objective: opts.objective,
      calibration: {quality: round(calPoint.quality, 6), cost: round(calPoint.cost, 9)},
    },
    frontier: paretoFrontier(calCurve).map(p => ({
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
    models,
    strongest: strongest.model,
    cheapest: cheapest.model,
    operatingPoint: {
      threshold,
      objective: opts.objective,
      met: choice.met,
      ...(choice.note ? {note: choice.note} : {}),
      calibration: share(calPoint, calBest),
      test: share(opTest, testBest),
    },
    conformal,
    test: evaluation,
    recommendation,
    seconds: (opts.now() - started) / 1000,
  }
  return {router, result}
}

function summarizeModels(names: string[], train: Item[]): ModelSummary[] {
  const stats = names.map(model => ({model, n: 0, q: 0, c: 0}))
  const index = new Map(names.map((m, k) => [m, k] as const))
  for (const item of train) {
    item.models.forEach((model, k) => {
      const s = stats[index.get(model)!]!
      s.n++
      s.q += item.success[k]!
      s.c += item.cost[k]!
    })
  }
  const summaries = stats.map(s => ({
    model: s.model,
    trainItems: s.n,
    trainQuality: s.n > 0 ? s.q / s.n : 0,
    trainCostUsd: s.n > 0 ? s.c / s.n : 0,
    candidate: false,
  }))
  const front = paretoFrontier(
    summaries.filter(s => s.trainItems > 0).map(s => ({model: s.model, cost: s.trainCostUsd, quality: s.trainQuality})),
  )
  const onFront = new Set(front.map(p => p.model))
  for (const s of summaries) s.candidate = onFront.has(s.model)
  return summaries
}

function encodeAll(encoder: Encoder, items: Item[]): Uint8Array {
  const cols = encoder.columns
  const out = new Uint8Array(items.length * cols)
  items.forEach((item, i) => {
    encoder.encode(item, out.subarray(i * cols, (i + 1) * cols))
  })
  return out
}

/** Column-major matrix of the chosen rows of a row-major encoding. */
function selectRows(rowMajor: Uint8Array, rows: number[], cols: number, bins: Uint8Array): BinnedMatrix {
  const n = rows.length
  const data = new Uint8Array(n * cols)
  for (let i = 0; i < n; i++) {
    const base = rows[i]! * cols
    for (let c = 0; c < cols; c++) data[c * n + i] = rowMajor[base + c]!
  }
  return {rows: n, cols, data, bins}
}

function prepare(
  items: Item[],
  allModels: string[],
  candidates: ModelSummary[],
  forests: ReturnType<typeof compileForest>[],
  encoder: Encoder,
  relCost: number[],
): Prepared {
  const complete = items.filter(item => allModels.every(m => item.models.includes(m)))
  const w = allModels.length
  const k = candidates.length
  const success = new Float64Array(complete.length * w)
  const cost = new Float64Array(complete.length * w)
  const p = new Float64Array(complete.length * k)
  const row = new Uint8Array(encoder.columns)
  complete.forEach((item, i) => {
    item.models.forEach((model, j) => {
      const col = allModels.indexOf(model)
      success[i * w + col] = item.success[j]!
      cost[i * w + col] = item.cost[j]!
    })
    encoder.encode(item, row)
    for (let c = 0; c < k; c++) p[i * k + c] = predictForest(forests[c]!, row)
  })
  return {
    matrix: {items: complete.map(i => i.id), models: allModels, success, cost},
    est: {columns: candidates.map(c => allModels.indexOf(c.model)), p, relCost},
    incomplete: items.length - complete.length,
  }
}

/** Loss of the conformal bound: the router's model fails where the strongest succeeds. */
function lossAt(m: OutcomeMatrix, chosen: Int32Array, strongCol: number, i: number): number {
  const w = m.models.length
  return Math.max(0, m.success[i * w + strongCol]! - m.success[i * w + chosen[i]!]!)
}

function runConformal(
  opts: TrainOptions,
  grid: number[],
  cal: Prepared,
  test: Prepared,
  strongCol: number,
): ConformalReport {
  const alpha = opts.objective.kind === 'alpha' ? opts.objective.alpha : opts.alpha
  const calChoices = grid.map(t => decisions(opts.rule, t, cal.est))
  let result: ReturnType<typeof conformalIndex>
  try {
    result = conformalIndex(
      (g, i) => lossAt(cal.matrix, calChoices[g]!, strongCol, i),
      cal.matrix.items.length,
      grid.length,
      alpha,
    )
  } catch (error) {
    // Asked for explicitly, too few items is the user's to fix; as a report alongside another objective, it is a note.
    if (opts.objective.kind === 'alpha' || !(error instanceof AcoError)) throw error
    return {alpha, available: false, reason: error.message}
  }
  const threshold = grid[result.index]!
  const chosen = decisions(opts.rule, threshold, test.est)
  let failures = 0
  for (let i = 0; i < test.matrix.items.length; i++) failures += lossAt(test.matrix, chosen, strongCol, i)
  const w = test.matrix.models.length
  let q = 0
  let c = 0
  for (let i = 0; i < chosen.length; i++) {
    q += test.matrix.success[i * w + chosen[i]!]!
    c += test.matrix.cost[i * w + chosen[i]!]!
  }
  const n = Math.max(1, chosen.length)
  return {
    alpha,
    available: true,
    n: result.n,
    threshold,
    bound: result.bound,
    calibrationRisk: result.calibrationRisk,
    testRate: failures / n,
    test: {quality: q / n, cost: c / n},
  }
}

function evaluateTest(
  test: Prepared,
  testCurve: CurvePoint[],
  singles: Array<Point & {model: string}>,
  cheap: Point & {model: string},
  best: Point & {model: string},
  candidates: ModelSummary[],
  forests: Map<string, ForestJson>,
): TestEvaluation {
  const frontier = paretoFrontier(testCurve)
  const half = best.cost / 2
  const costShare = (target: number): number | null => {
    const c = costFor(frontier, target)
    return c === undefined ? null : c / best.cost
  }
  const margin = marginOverMix(frontier, cheap, best)
  const hull = mixHull(singles)
  const m = test.matrix
  const cascades: Array<Point & {first: string; then: string}> = []
  const cols = test.est.columns
  for (let a = 0; a < cols.length; a++) {
    for (let b = a + 1; b < cols.length; b++)
      // biome-ignore lint/suspicious/noThenProperty: `then` is a model name in router.json's cascade baselines, never a function
      cascades.push({first: m.models[cols[a]!]!, then: m.models[cols[b]!]!, ...cascade(m, cols[a]!, cols[b]!)})
  }
  const k = cols.length
  const rel = candidates.map((cand, c) => {
    const col = cols[c]!
    const p = new Float64Array(m.items.length)
    const y = new Float64Array(m.items.length)
    for (let i = 0; i < m.items.length; i++) {
      p[i] = test.est.p[i * k + c]!
      y[i] = m.success[i * m.models.length + col]!
    }
    return reliability(cand.model, p, y, forests.get(cand.model)!.base)
  })
  return {
    items: m.items.length,
    cheapest: cheap,
    best,
    apgr: apgr(frontier, cheap, best),
    qualityAtHalfBestCost: qualityAt(frontier, half) ?? null,
    costShareAt95: costShare(0.95 * best.quality),
    costShareAt100: costShare(best.quality),
    marginOverRandomMix: margin ?? null,
    curve: testCurve,
    frontier,
    baselines: {
      singleModels: singles,
      oracle: oracle(m),
      randomMix: {
        apgr: 0.5,
        qualityAtHalfBestCost:
          cheap.quality + ((half - cheap.cost) / (best.cost - cheap.cost)) * (best.quality - cheap.quality),
      },
      singleModelMixes: {apgr: apgr(hull, cheap, best), qualityAtHalfBestCost: qualityAt(hull, half) ?? null, hull},
      cascades,
    },
    reliability: rel,
  }
}

/**
 * The simplest policy that does as well as the router at its operating point,
 * decided on the calibration split (so the test split judges it fairly): a
 * single model costing at most 5% more, else a random mix of two models at
 * the router's cost, else the router. "As well" = the router's lead is within
 * noise: at most 1.96 standard errors of the paired per-item difference.
 * Simplicity wins ties, because a patch should carry the least machinery
 * that the evidence supports.
 */
function recommend(
  opts: TrainOptions,
  cal: Prepared,
  test: Prepared,
  threshold: number,
  calPoint: Point,
  testPoint: Point,
  models: string[],
): Recommendation {
  const calChosen = decisions(opts.rule, threshold, cal.est)
  const routerSuccess = successOf(cal.matrix, calChosen)
  const n = cal.matrix.items.length
  const singles = singleModels(cal.matrix)
  const testSingles = singleModels(test.matrix)
  const column = (col: number): Float64Array => successOf(cal.matrix, new Int32Array(n).fill(col))
  const router = `router ${pct(calPoint.quality)} at $${fmtCost(calPoint.cost)}`
  const onTest = (label: string, p: Point): string =>
    `On test: ${label} ${pct(p.quality)} at $${fmtCost(p.cost)} per item, router ${pct(testPoint.quality)} at $${fmtCost(testPoint.cost)}.`
  const lead = (q: number, tol: number): string =>
    `the router's lead, ${signedPoints(calPoint.quality - q)}, is within noise (±${points(tol)})`

  let bestSingle: {col: number; tol: number} | undefined
  singles.forEach((s, col) => {
    if (s.cost > calPoint.cost * 1.05) return
    const tol = 1.96 * pairedStandardError(routerSuccess, column(col))
    if (s.quality >= calPoint.quality - tol && (!bestSingle || s.cost < singles[bestSingle.col]!.cost))
      bestSingle = {col, tol}
  })
  if (bestSingle) {
    const {col, tol} = bestSingle
    const s = singles[col]!
    return {
      policy: 'single-model',
      models: [models[col]!],
      lead: calPoint.quality - s.quality,
      noise: tol,
      text: `A single model does as well as the router at its operating point: ${models[col]} alone (calibration: ${router}, ${models[col]} ${pct(s.quality)} at $${fmtCost(s.cost)}; ${lead(s.quality, tol)}). ${onTest(models[col]!, testSingles[col]!)} Ship ${models[col]} alone: the router adds nothing a patch needs.`,
      calibration: s,
      test: testSingles[col]!,
    }
  }

  let bestMix: {a: number; b: number; share: number; quality: number; tol: number} | undefined
  for (let a = 0; a < models.length; a++) {
    for (let b = 0; b < models.length; b++) {
      const sa = singles[a]!
      const sb = singles[b]!
      if (!(sa.cost < calPoint.cost && sb.cost >= calPoint.cost)) continue
      const share = (calPoint.cost - sa.cost) / (sb.cost - sa.cost)
      const quality = (1 - share) * sa.quality + share * sb.quality
      const ya = column(a)
      const yb = column(b)
      const mix = ya.map((v, i) => (1 - share) * v + share * yb[i]!)
      const tol = 1.96 * pairedStandardError(routerSuccess, mix)
      if (quality >= calPoint.quality - tol && (!bestMix || quality > bestMix.quality))
        bestMix = {a, b, share, quality, tol}
    }
  }
  if (bestMix) {
    const ta = testSingles[bestMix.a]!
    const tb = testSingles[bestMix.b]!
    const s = bestMix.share
    const mixTest = {quality: (1 - s) * ta.quality + s * tb.quality, cost: (1 - s) * ta.cost + s * tb.cost}
    return {
      policy: 'two-model-mix',
      models: [models[bestMix.a]!, models[bestMix.b]!],
      share: s,
      lead: calPoint.quality - bestMix.quality,
      noise: bestMix.tol,
      text: `No single model matches the router at its cost, but a random mix of two does: send ${pct(s)} of items to ${models[bestMix.b]} and the rest to ${models[bestMix.a]} (calibration: ${router}, mix ${pct(bestMix.quality)} at the same cost; ${lead(bestMix.quality, bestMix.tol)}). ${onTest('the mix', mixTest)} The mix is the simpler policy to ship; the router is worth its machinery only with more evidence of its lead.`,
      calibration: {quality: bestMix.quality, cost: calPoint.cost},
      test: mixTest,
    }
  }
  return {
    policy: 'router',
    models: [...new Set(Array.from(decisions(opts.rule, threshold, test.est), col => models[col]!))],
    text: `The router beats every single model and every random mix of two models at its operating point on the calibration split, beyond noise (${router}). On test: ${pct(testPoint.quality)} at $${fmtCost(testPoint.cost)} per item. Ship the router.`,
    calibration: calPoint,
    test: testPoint,
  }
}

function points(v: number): string {
  return `${(v * 100).toFixed(1)} points`
}

function signedPoints(v: number): string {
  return `${v >= 0 ? '+' : '−'}${points(Math.abs(v))}`
}

function round(v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

export function fmtCost(v: number): string {
  return v >= 0.01 ? v.toFixed(4) : v.toPrecision(3)
}
