/**
 * Scoring a trained router on held-out items: the estimates and outcomes of
 * the calibration and test splits, the conformal bound (threshold from
 * calibration, rate measured on test) and the test evaluation against the
 * baselines. Pure functions of arrays.
 */
import {AcoError} from '../errors.js'
import {conformalIndex, type Objective} from './calibrate.js'
import {
  apgr,
  cascade,
  costFor,
  decisions,
  marginOverMix,
  mixHull,
  oracle,
  paretoFrontier,
  qualityAt,
  reliability,
  type CurvePoint,
  type Estimates,
  type OutcomeMatrix,
  type Point,
} from './evaluate.js'
import type {Encoder} from './encoder.js'
import {predictForest, type CompiledForest} from './forest.js'
import type {Item} from './outcome-table.js'
import type {Rule} from './policy.js'
import type {ConformalReport, ModelSummary, TestEvaluation} from './result.js'

/** A held-out split, ready to score: outcomes of every model and the router's estimates. */
export interface Prepared {
  matrix: OutcomeMatrix
  est: Estimates
  /** Items that lack some model's outcome. */
  incomplete: number
}

/** Outcomes and estimates of the items that have every model's outcome. */
export function prepare(
  items: Item[],
  allModels: string[],
  candidates: ModelSummary[],
  forests: CompiledForest[],
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

/**
 * The conformal bound at `alpha`: the threshold from the calibration split,
 * the rate measured on the test split. With another objective, too few
 * calibration items is a note in the report; with `alpha` as the objective it
 * is the user's to fix (thrown).
 */
export function runConformal(
  objective: Objective,
  alpha: number,
  rule: Rule,
  grid: number[],
  cal: Prepared,
  test: Prepared,
  strongCol: number,
): ConformalReport {
  const calChoices = grid.map(t => decisions(rule, t, cal.est))
  let result: ReturnType<typeof conformalIndex>
  try {
    result = conformalIndex(
      (g, i) => lossAt(cal.matrix, calChoices[g]!, strongCol, i),
      cal.matrix.items.length,
      grid.length,
      alpha,
    )
  } catch (error) {
    if (objective.kind === 'alpha' || !(error instanceof AcoError)) throw error
    return {alpha, available: false, reason: error.message}
  }
  const threshold = grid[result.index]!
  const chosen = decisions(rule, threshold, test.est)
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

/** The test split's figures: the router's curve and frontier, APGR and the baselines. */
export function evaluateTest(
  test: Prepared,
  testCurve: CurvePoint[],
  singles: Array<Point & {model: string}>,
  cheap: Point & {model: string},
  best: Point & {model: string},
  candidates: ModelSummary[],
  bases: number[],
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
    return reliability(cand.model, p, y, bases[c]!)
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
