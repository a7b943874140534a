/**
 * The recommendation: the simplest policy that does as well as the router at
 * its operating point, decided on the calibration split (so the test split
 * judges it fairly): a single model costing at most 5% more, else a random mix
 * of two models at the router's cost, else the router. "As well" = the
 * router's lead is within noise: at most 1.96 standard errors of the paired
 * per-item difference. Simplicity wins ties, because a patch should carry the
 * least machinery that the evidence supports.
 */
import type {Prepared} from './assess.js'
import {decisions, pairedStandardError, singleModels, successOf, type Point} from './evaluate.js'
import type {Rule} from './policy.js'
import {mixText, routerWinsText, singleModelText, type RouterAtPoint} from './prose.js'
import type {Recommendation} from './result.js'

/** What the rule chose, before any words. */
type Choice =
  | {policy: 'single-model'; col: number; tol: number}
  | {policy: 'two-model-mix'; a: number; b: number; share: number; quality: number; tol: number}
  | {policy: 'router'}

/** The rule: which policy, on the calibration split. */
function choose(rule: Rule, threshold: number, cal: Prepared, calPoint: Point): Choice {
  const routerSuccess = successOf(cal.matrix, decisions(rule, threshold, cal.est))
  const n = cal.matrix.items.length
  const singles = singleModels(cal.matrix)
  const column = (col: number): Float64Array => successOf(cal.matrix, new Int32Array(n).fill(col))

  let bestSingle: {col: number; tol: number} | undefined
  singles.forEach((s, col) => {
    if (s.cost > calPoint.cost * 1.05) return
    const tol = 1.96 * pairedStandardError(routerSuccess, column(col))
    if (s.quality >= calPoint.quality - tol && (!bestSingle || s.cost < singles[bestSingle.col]!.cost))
      bestSingle = {col, tol}
  })
  if (bestSingle) return {policy: 'single-model', ...bestSingle}

  let bestMix: {a: number; b: number; share: number; quality: number; tol: number} | undefined
  for (let a = 0; a < singles.length; a++) {
    for (let b = 0; b < singles.length; b++) {
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
  if (bestMix) return {policy: 'two-model-mix', ...bestMix}
  return {policy: 'router'}
}

/** The recommendation at the router's operating point, with its figures on calibration and test and its sentence. */
export function recommend(
  rule: Rule,
  cal: Prepared,
  test: Prepared,
  threshold: number,
  calPoint: Point,
  testPoint: Point,
  models: string[],
): Recommendation {
  const choice = choose(rule, threshold, cal, calPoint)
  const router: RouterAtPoint = {calibration: calPoint, test: testPoint}
  const singles = singleModels(cal.matrix)
  const testSingles = singleModels(test.matrix)
  switch (choice.policy) {
    case 'single-model': {
      const {col, tol} = choice
      const s = singles[col]!
      return {
        policy: 'single-model',
        models: [models[col]!],
        lead: calPoint.quality - s.quality,
        noise: tol,
        text: singleModelText(router, models[col]!, s, testSingles[col]!, tol),
        calibration: s,
        test: testSingles[col]!,
      }
    }
    case 'two-model-mix': {
      const {a, b, share: s, quality, tol} = choice
      const ta = testSingles[a]!
      const tb = testSingles[b]!
      const mixTest = {quality: (1 - s) * ta.quality + s * tb.quality, cost: (1 - s) * ta.cost + s * tb.cost}
      return {
        policy: 'two-model-mix',
        models: [models[a]!, models[b]!],
        share: s,
        lead: calPoint.quality - quality,
        noise: tol,
        text: mixText(router, models[a]!, models[b]!, s, quality, tol, mixTest),
        calibration: {quality, cost: calPoint.cost},
        test: mixTest,
      }
    }
    case 'router':
      return {
        policy: 'router',
        models: [...new Set(Array.from(decisions(rule, threshold, test.est), col => models[col]!))],
        text: routerWinsText(router),
        calibration: calPoint,
        test: testPoint,
      }
    default:
      return choice satisfies never
  }
}
