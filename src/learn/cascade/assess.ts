/**
 * Scoring a fitted cascade: the conformal bounds on the calibration split
 * (with the rate measured on test), and the test figures with bootstrap
 * intervals beside the ex-ante router and the training-free cascade trained
 * on the same split, the agreement baseline, mixes of single models and the
 * oracle. Every curve is scored at levels or thresholds fixed on calibration.
 */
import {AcoError} from '../../errors.js'
import {type BoundOptions, conformalIndex} from '../calibrate.js'
import {summarizeModels} from '../candidates.js'
import {apgr, costFor, mixHull, paretoFrontier, qualityAt, type OutcomeMatrix, type Point} from '../evaluate.js'
import {bootstrap, type Interval} from '../intervals.js'
import {round} from '../numbers.js'
import type {Item, OutcomeTable} from '../outcome-table.js'
import {sweepLine} from '../policy.js'
import {loadRouter, type RouterJson} from '../router.js'
import type {SplitOptions, Splits} from '../split.js'
import {trainRouter} from '../train.js'
import type {CascadeMode, ChainContext} from './chain.js'
import {completeRows, roundPoint, single, subMatrix, type CascadeSplit} from './data.js'
import {fitCascade, type FitOptions, type Fitted, type ModelEvidence} from './fit.js'
import {cascadeLoss, cascadePoint, type ChainEstimates} from './policy.js'
import type {AgreementBaseline, CascadeTrainResult} from './result.js'
import type {CascadeGuarantee} from './router.js'

/** What scoring reads of the training options. */
export interface AssessOptions extends FitOptions {
  split: Omit<SplitOptions, 'seed'>
  mode: CascadeMode
  /** Bootstrap draws for the intervals. */
  resamples: number
}

/** The conformal bound at α on the calibration split; undefined (reported as missing) when the split is too small for a reported α. */
export function guaranteeAt(
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

export function meanLoss(m: OutcomeMatrix, est: ChainEstimates, strongCol: number, thresholds: number[]): number {
  let sum = 0
  for (let i = 0; i < m.items.length; i++) sum += cascadeLoss(m, est, strongCol, i, thresholds)
  return sum / Math.max(1, m.items.length)
}

/** Points sorted by cost (for interpolating a curve at a cost; no envelope taken). */
function byCost<T extends Point>(points: T[]): T[] {
  return [...points].sort((a, b) => a.cost - b.cost || a.quality - b.quality)
}

/** What the cascade is compared with on the same split: the ex-ante router and the training-free cascade. */
export interface Comparison {
  /** The ex-ante router's choice (column) of each scored test row at each of its sweep thresholds. */
  exAnte?: {choices: Int32Array[]; thresholds: number[]}
  trainingFree?: {fitted: Fitted; sweep: number[]}
}

export function compare(
  table: OutcomeTable,
  opts: AssessOptions,
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
export function evaluateOnTest(
  opts: AssessOptions,
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
