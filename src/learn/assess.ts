/**
 * Scoring a trained router on held-out items. The calibration split chooses
 * (the grid, the operating point, the bounds, the sweep thresholds); the test
 * split only measures, at thresholds fixed before it was seen, beside
 * baselines chosen on the training split. Every test figure carries a 95%
 * bootstrap interval over test items, all figures computed on the same draws
 * so that differences stay paired.
 */
import {AcoError} from '../errors.js'
import {conformalIndex, type BoundOptions, type Objective} from './calibrate.js'
import {
  apgr,
  cascade,
  columnOutcomes,
  costFor,
  decisions,
  marginOverMix,
  mixHull,
  oracle,
  outcomesOf,
  paretoFrontier,
  pointOf,
  qualityAt,
  reliability,
  singleModels,
  weightedMean,
  type CurvePoint,
  type Estimates,
  type OutcomeMatrix,
  type Point,
  type PolicyOutcomes,
} from './evaluate.js'
import {bootstrap, type Interval} from './intervals.js'
import type {Item} from './outcome-table.js'
import {thresholdGrid, sweepLine, type Rule} from './policy.js'
import type {BoundReport, ConformalReport, ModelSummary, TestEvaluation, TestFigures} from './result.js'

/** Bootstrap draws behind every interval. */
const resamples = 400

/** A held-out split: the items that have every model's outcome. */
export interface Scored {
  items: Item[]
  matrix: OutcomeMatrix
  /** Items that lack some model's outcome. */
  incomplete: number
}

/** Outcomes of every model on the complete items of a split. */
export function completeSplit(items: Item[], allModels: string[]): Scored {
  const complete = items.filter(item => allModels.every(m => item.models.includes(m)))
  const w = allModels.length
  const success = new Float64Array(complete.length * w)
  const cost = new Float64Array(complete.length * w)
  complete.forEach((item, i) => {
    item.models.forEach((model, j) => {
      const col = allModels.indexOf(model)
      success[i * w + col] = item.success[j]!
      cost[i * w + col] = item.cost[j]!
    })
  })
  return {
    items: complete,
    matrix: {items: complete.map(i => i.id), models: allModels, success, cost},
    incomplete: items.length - complete.length,
  }
}

/** A router's choices on calibration: its grid, curve and sweep thresholds. */
export interface CalibratedRouter {
  est: Estimates
  grid: number[]
  curve: CurvePoint[]
  /** The calibration curve's Pareto frontier (saved in router.json for --sweep). */
  frontier: CurvePoint[]
  sweep: number[]
}

/** Grid, curve, frontier and sweep thresholds of a router on the calibration split. */
export function calibrateRouter(cal: Scored, est: Estimates, rule: Rule, gridSize: number): CalibratedRouter {
  const grid = thresholdGrid(rule, est.p, est.columns.length, est.relCost, gridSize)
  const curve = grid.map(threshold => ({
    threshold,
    ...pointOf(outcomesOf(cal.matrix, decisions(rule, threshold, est))),
  }))
  const frontier = paretoFrontier(curve)
  return {est, grid, curve, frontier, sweep: sweepLine(grid, frontier)}
}

/** Per-item loss of a policy against the strongest model: it fails where the strongest succeeds. */
export function lossOf(o: PolicyOutcomes, strong: PolicyOutcomes): Float64Array {
  return o.success.map((s, i) => Math.max(0, strong.success[i]! - s))
}

/**
 * Figures measured on one split's items, each a function of item weights,
 * computed together on the same bootstrap draws.
 */
class Figures {
  private readonly names: string[] = []
  private readonly fns: Array<(w: Float64Array | null) => number> = []

  constructor(readonly n: number) {}

  add(name: string, fn: (w: Float64Array | null) => number): void {
    this.names.push(name)
    this.fns.push(fn)
  }

  run(seed: number): Map<string, Interval> {
    const intervals = bootstrap(this.n, w => this.fns.map(fn => fn(w)), {resamples, seed})
    return new Map(this.names.map((name, k) => [name, intervals[k]!] as const))
  }
}

/** APGR of a curve of policies' outcomes, on a draw. */
function apgrOf(curve: PolicyOutcomes[], cheap: PolicyOutcomes, best: PolicyOutcomes, w: Float64Array | null): number {
  return apgr(
    curve.map(o => pointOf(o, w)),
    pointOf(cheap, w),
    pointOf(best, w),
  )
}

/** Registers a policy's test figures (quality, cost, saving, quality loss, risk) under `prefix`. */
function addPolicyFigures(figures: Figures, prefix: string, o: PolicyOutcomes, strong: PolicyOutcomes): void {
  const loss = lossOf(o, strong)
  figures.add(`${prefix}.quality`, w => weightedMean(o.success, w))
  figures.add(`${prefix}.cost`, w => weightedMean(o.cost, w))
  figures.add(`${prefix}.saving`, w => 1 - weightedMean(o.cost, w) / weightedMean(strong.cost, w))
  figures.add(`${prefix}.qualityLoss`, w => weightedMean(strong.success, w) - weightedMean(o.success, w))
  figures.add(`${prefix}.risk`, w => weightedMean(loss, w))
}

/** A policy's test figures, read back after the bootstrap. */
export function policyFigures(intervals: Map<string, Interval>, prefix: string): TestFigures {
  const get = (k: string): Interval => intervals.get(`${prefix}.${k}`)!
  return {
    quality: get('quality'),
    cost: get('cost'),
    saving: get('saving'),
    qualityLoss: get('qualityLoss'),
    risk: get('risk'),
  }
}

/**
 * The conformal bounds at `alpha`: the marginal one and the high-probability
 * one, each with its threshold from calibration and its rate on test. With α
 * as the objective, a calibration split too small for the bound that chooses
 * the operating point is the user's to fix (thrown); otherwise it is a note.
 */
export function runConformal(
  objective: Objective,
  alpha: number,
  bound: BoundOptions,
  rule: Rule,
  router: CalibratedRouter,
  cal: Scored,
  strongCol: number,
): Omit<ConformalReport, 'marginal' | 'high'> & {
  marginal?: Omit<BoundReport, 'testRate' | 'test'>
  high?: Omit<BoundReport, 'testRate' | 'test'>
} {
  const strong = columnOutcomes(cal.matrix, strongCol)
  const calLosses = router.grid.map(t => lossOf(outcomesOf(cal.matrix, decisions(rule, t, router.est)), strong))
  const n = cal.matrix.items.length
  const one = (b: BoundOptions): Omit<BoundReport, 'testRate' | 'test'> => {
    const r = conformalIndex((g, i) => calLosses[g]![i]!, n, router.grid.length, alpha, b)
    return {threshold: router.grid[r.index]!, bound: r.bound, calibrationRisk: r.calibrationRisk}
  }
  const attempt = (
    b: BoundOptions,
  ): {ok: Omit<BoundReport, 'testRate' | 'test'>; reason?: undefined} | {ok?: undefined; reason: string} => {
    try {
      return {ok: one(b)}
    } catch (error) {
      if (!(error instanceof AcoError)) throw error
      if (objective.kind === 'alpha' && b.guarantee === bound.guarantee) throw error
      return {reason: error.message}
    }
  }
  const marginal = attempt({guarantee: 'marginal', delta: bound.delta})
  const high = attempt({guarantee: 'high', delta: bound.delta})
  const base = {alpha, delta: bound.delta, guarantee: bound.guarantee, n}
  if (!marginal.ok) return {...base, available: false, reason: marginal.reason}
  return {
    ...base,
    available: true,
    marginal: marginal.ok,
    ...(high.ok ? {high: high.ok} : {highReason: high.reason}),
  }
}

/** What the test evaluation needs to know about the router and its baselines. */
export interface TestInputs {
  test: Scored
  router: CalibratedRouter
  /** The router's estimates on the test split. */
  est: Estimates
  rule: Rule
  operatingThreshold: number
  candidates: ModelSummary[]
  cheapCol: number
  strongCol: number
  /** Training base rate of each candidate (the reference of the Brier score). */
  bases: number[]
  /** Conformal thresholds whose test rate is measured. */
  bounds: Array<{name: string; threshold: number}>
  /** Other routers (each engine alone) whose APGR is measured beside. */
  others: Array<{name: string; router: CalibratedRouter; est: Estimates}>
  /** More policies whose figures the recommendation needs on test. */
  policies: Array<{name: string; outcomes: PolicyOutcomes}>
  seed: number
}

export interface TestReport {
  evaluation: TestEvaluation
  intervals: Map<string, Interval>
}

/** The test split's figures, each with its interval. */
export function evaluateTest(inp: TestInputs): TestReport {
  const m = inp.test.matrix
  const n = m.items.length
  const singles = singleModels(m)
  const cheap = singles[inp.cheapCol]!
  const best = singles[inp.strongCol]!
  const cheapO = columnOutcomes(m, inp.cheapCol)
  const bestO = columnOutcomes(m, inp.strongCol)
  const at = (est: Estimates, t: number): PolicyOutcomes => outcomesOf(m, decisions(inp.rule, t, est))
  const sweepO = inp.router.sweep.map(t => at(inp.est, t))
  const sweep = inp.router.sweep.map((threshold, k) => ({threshold, ...pointOf(sweepO[k]!)}))
  const curve = inp.router.grid.map(threshold => ({threshold, ...pointOf(at(inp.est, threshold))}))

  // The mix of single models: which models, from the training split; their outcomes, from test.
  const hull = mixHull(inp.candidates.map(c => ({model: c.model, cost: c.trainCostUsd, quality: c.trainQuality})))
  const hullO = hull.map(h => columnOutcomes(m, m.models.indexOf(h.model)))

  const figures = new Figures(n)
  figures.add('apgr', w => apgrOf(sweepO, cheapO, bestO, w))
  figures.add('mix.apgr', w => apgrOf(hullO, cheapO, bestO, w))
  figures.add('lead', w => apgrOf(sweepO, cheapO, bestO, w) - apgrOf(hullO, cheapO, bestO, w))
  figures.add('halfCost', w => {
    const q = qualityAt(
      sweepO.map(o => pointOf(o, w)),
      weightedMean(bestO.cost, w) / 2,
    )
    return q ?? Number.NaN
  })
  addPolicyFigures(figures, 'op', at(inp.est, inp.operatingThreshold), bestO)
  for (const b of inp.bounds) {
    const loss = lossOf(at(inp.est, b.threshold), bestO)
    figures.add(`bound.${b.name}`, w => weightedMean(loss, w))
  }
  for (const o of inp.others) {
    const curveO = o.router.sweep.map(t => at(o.est, t))
    figures.add(`engine.${o.name}`, w => apgrOf(curveO, cheapO, bestO, w))
  }
  for (const p of inp.policies) addPolicyFigures(figures, `policy.${p.name}`, p.outcomes, bestO)
  const intervals = figures.run(inp.seed)

  const half = best.cost / 2
  const costShare = (target: number): number | null => {
    const c = costFor(sweep, target)
    return c === undefined ? null : c / best.cost
  }
  const cascades: Array<Point & {first: string; then: string}> = []
  const cols = inp.est.columns
  for (let a = 0; a < cols.length; a++) {
    for (let b = a + 1; b < cols.length; b++)
      // biome-ignore lint/suspicious/noThenProperty: `then` is a model name in the cascade baselines, never a function
      cascades.push({first: m.models[cols[a]!]!, then: m.models[cols[b]!]!, ...cascade(m, cols[a]!, cols[b]!)})
  }
  const k = cols.length
  const rel = inp.candidates.map((cand, c) => {
    const col = cols[c]!
    const p = new Float64Array(n)
    const y = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      p[i] = inp.est.p[i * k + c]!
      y[i] = m.success[i * m.models.length + col]!
    }
    return reliability(cand.model, p, y, inp.bases[c]!)
  })
  const halfCost = intervals.get('halfCost')!
  const evaluation: TestEvaluation = {
    items: n,
    cheapest: cheap,
    best,
    apgr: intervals.get('apgr')!,
    qualityAtHalfBestCost: Number.isFinite(halfCost.value) ? halfCost : null,
    costShareAt95: costShare(0.95 * best.quality),
    costShareAt100: costShare(best.quality),
    marginOverRandomMix: marginOverMix(sweep, cheap, best) ?? null,
    curve,
    sweep,
    baselines: {
      singleModels: singles,
      oracle: oracle(m),
      randomMix: {
        apgr: 0.5,
        qualityAtHalfBestCost:
          cheap.quality + ((half - cheap.cost) / (best.cost - cheap.cost)) * (best.quality - cheap.quality),
      },
      trainChosenMix: {
        models: hull.map(h => h.model),
        points: hull.map((h, i) => ({model: h.model, ...pointOf(hullO[i]!)})),
        apgr: intervals.get('mix.apgr')!,
      },
      cascades,
    },
    leadOverMix: intervals.get('lead')!,
    reliability: rel,
  }
  return {evaluation, intervals}
}
