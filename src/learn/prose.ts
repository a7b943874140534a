/**
 * The English of a training result: number formats and the sentences of the
 * recommendation. Kept apart from the rules that decide, so the rules read as
 * rules and the words can change without touching them.
 */
import type {Point} from './evaluate.js'

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

export function fmtCost(v: number): string {
  return v >= 0.01 ? v.toFixed(4) : v.toPrecision(3)
}

function points(v: number): string {
  return `${(v * 100).toFixed(1)} points`
}

function signedPoints(v: number): string {
  return `${v >= 0 ? '+' : '−'}${points(Math.abs(v))}`
}

/** What the recommendation sentences need to know about the router at its operating point. */
export interface RouterAtPoint {
  calibration: Point
  test: Point
}

const routerText = (r: RouterAtPoint): string =>
  `router ${pct(r.calibration.quality)} at $${fmtCost(r.calibration.cost)}`

const onTest = (r: RouterAtPoint, label: string, p: Point): string =>
  `On test: ${label} ${pct(p.quality)} at $${fmtCost(p.cost)} per item, router ${pct(r.test.quality)} at $${fmtCost(r.test.cost)}.`

const leadText = (r: RouterAtPoint, q: number, tol: number): string =>
  `the router's lead, ${signedPoints(r.calibration.quality - q)}, is within noise (±${points(tol)})`

export function singleModelText(r: RouterAtPoint, model: string, cal: Point, test: Point, tol: number): string {
  return `A single model does as well as the router at its operating point: ${model} alone (calibration: ${routerText(r)}, ${model} ${pct(cal.quality)} at $${fmtCost(cal.cost)}; ${leadText(r, cal.quality, tol)}). ${onTest(r, model, test)} Ship ${model} alone: the router adds nothing a patch needs.`
}

export function mixText(
  r: RouterAtPoint,
  cheaper: string,
  dearer: string,
  share: number,
  quality: number,
  tol: number,
  test: Point,
): string {
  return `No single model matches the router at its cost, but a random mix of two does: send ${pct(share)} of items to ${dearer} and the rest to ${cheaper} (calibration: ${routerText(r)}, mix ${pct(quality)} at the same cost; ${leadText(r, quality, tol)}). ${onTest(r, 'the mix', test)} The mix is the simpler policy to ship; the router is worth its machinery only with more evidence of its lead.`
}

export function routerWinsText(r: RouterAtPoint): string {
  return `The router beats every single model and every random mix of two models at its operating point on the calibration split, beyond noise (${routerText(r)}). On test: ${pct(r.test.quality)} at $${fmtCost(r.test.cost)} per item. Ship the router.`
}
