/**
 * The cost–quality chart of an evaluation as a standalone SVG: the router's
 * test curve at every grid threshold and at the sweep thresholds (fixed on
 * calibration: the honest curve), every single model, the random mix of the cheapest
 * and best models, mixes of single models, the oracle, and the operating
 * point. Cost on a log axis (prices span ~60×), quality on a linear one.
 */
import type {Point} from './evaluate.js'
import type {TrainResult} from './result.js'
import {escapeXml} from '../util/xml.js'

const width = 760
const height = 480
const margin = {left: 70, right: 200, top: 30, bottom: 55}

function fmt(v: number): string {
  return (Math.round(v * 10) / 10).toString()
}

/** Renders the frontier chart of a training result. */
export function frontierChart(
  result: Pick<TrainResult, 'test' | 'operatingPoint' | 'conformal' | 'strongest' | 'cheapest'>,
): string {
  const t = result.test
  const points: Point[] = [...t.curve, ...t.baselines.singleModels, t.baselines.oracle]
  const frame = frontierFrame(points, width, height, margin)
  const {x, y, path, plotW} = frame
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
  )
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`)

  out.push(...frontierGrid(frame))

  // Random mix of the cheapest and best models: a straight line in linear cost, a curve here.
  const mix: Point[] = []
  for (let i = 0; i <= 60; i++) {
    const s = i / 60
    mix.push({
      cost: (1 - s) * t.cheapest.cost + s * t.best.cost,
      quality: (1 - s) * t.cheapest.quality + s * t.best.quality,
    })
  }
  out.push(`<path d="${path(mix)}" fill="none" stroke="#999" stroke-dasharray="4 3"/>`)
  // Mixes are linear in cost, so each hull segment is drawn as a curve too.
  const hull: Point[] = []
  const h = t.baselines.trainChosenMix.points
  for (let i = 0; i < h.length; i++) {
    if (i === 0) hull.push(h[0]!)
    else
      for (let k = 1; k <= 20; k++)
        hull.push({
          cost: h[i - 1]!.cost + (k / 20) * (h[i]!.cost - h[i - 1]!.cost),
          quality: h[i - 1]!.quality + (k / 20) * (h[i]!.quality - h[i - 1]!.quality),
        })
  }
  out.push(`<path d="${path(hull)}" fill="none" stroke="#e6a23c" stroke-dasharray="2 2"/>`)
  for (const p of t.curve) out.push(`<circle cx="${fmt(x(p.cost))}" cy="${fmt(y(p.quality))}" r="1.5" fill="#9ab8e6"/>`)
  out.push(`<path d="${path(t.sweep)}" fill="none" stroke="#1f5fbf" stroke-width="2"/>`)
  // Labels of nearby models would overlap: move a label down until it is clear of those placed.
  const placed: Array<{x0: number; x1: number; y0: number; y1: number}> = []
  for (const s of [...t.baselines.singleModels].sort((a, b) => b.quality - a.quality)) {
    out.push(
      `<circle cx="${fmt(x(s.cost))}" cy="${fmt(y(s.quality))}" r="3.5" fill="#444"><title>${escapeXml(s.model)}</title></circle>`,
    )
    const short = s.model.split('/').pop() ?? s.model
    const wide = short.length * 5
    // Near the right edge a label goes left of its point, clear of the legend.
    const x0 = x(s.cost) + 5 + wide > margin.left + plotW ? x(s.cost) - 5 - wide : x(s.cost) + 5
    const box = {x0, x1: x0 + wide, y0: y(s.quality) - 12, y1: y(s.quality) - 2}
    for (
      let tries = 0;
      tries < 8 && placed.some(b => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1);
      tries++
    ) {
      box.y0 += 10
      box.y1 += 10
    }
    placed.push(box)
    out.push(`<text x="${fmt(box.x0)}" y="${fmt(box.y1 - 2)}" fill="#444" font-size="9">${escapeXml(short)}</text>`)
  }
  const o = t.baselines.oracle
  out.push(
    `<path d="M${fmt(x(o.cost))},${fmt(y(o.quality) - 6)} l2,4 4,0 -3,3 1,5 -4,-3 -4,3 1,-5 -3,-3 4,0z" fill="#2a9d4b"><title>per-item oracle</title></path>`,
  )
  const op = result.operatingPoint.test
  out.push(
    `<circle cx="${fmt(x(op.cost))}" cy="${fmt(y(op.quality))}" r="6" fill="none" stroke="#d33" stroke-width="2"><title>operating point</title></circle>`,
  )
  const bound = result.conformal.guarantee === 'high' ? result.conformal.high : result.conformal.marginal
  if (result.conformal.available && bound) {
    const c = bound.test
    out.push(
      `<rect x="${fmt(x(c.cost) - 5)}" y="${fmt(y(c.quality) - 5)}" width="10" height="10" fill="none" stroke="#8a2be2" stroke-width="2"><title>conformal point</title></rect>`,
    )
  }

  // Legend.
  const lx = margin.left + plotW + 15
  const entries: Array<[string, string]> = [
    [`<line x1="0" y1="0" x2="22" y2="0" stroke="#1f5fbf" stroke-width="2"/>`, 'router at the sweep thresholds'],
    [`<circle cx="11" cy="0" r="2" fill="#9ab8e6"/>`, 'router at every grid threshold'],
    [`<line x1="0" y1="0" x2="22" y2="0" stroke="#999" stroke-dasharray="4 3"/>`, 'random mix cheapest–best'],
    [`<line x1="0" y1="0" x2="22" y2="0" stroke="#e6a23c" stroke-dasharray="2 2"/>`, 'train-chosen mixes'],
    [`<circle cx="11" cy="0" r="3.5" fill="#444"/>`, 'single models'],
    [`<circle cx="11" cy="0" r="5" fill="none" stroke="#d33" stroke-width="2"/>`, 'operating point'],
    [
      `<rect x="6" y="-5" width="10" height="10" fill="none" stroke="#8a2be2" stroke-width="2"/>`,
      `${result.conformal.guarantee} bound, α = ${result.conformal.alpha}`,
    ],
    [`<path d="M11,-6 l2,4 4,0 -3,3 1,5 -4,-3 -4,3 1,-5 -3,-3 4,0z" fill="#2a9d4b"/>`, 'per-item oracle'],
  ]
  entries.forEach(([mark, label], i) => {
    out.push(
      `<g transform="translate(${lx},${margin.top + 10 + i * 20})">${mark}<text x="28" y="4">${escapeXml(label)}</text></g>`,
    )
  })
  out.push(
    `<text x="${lx}" y="${margin.top + 10 + entries.length * 20 + 10}" fill="#555">APGR ${t.apgr.value.toFixed(3)}</text>`,
  )
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/** Where a frontier chart's plot sits and its scales. */
export interface FrontierFrame {
  x: (cost: number) => number
  y: (quality: number) => number
  minCost: number
  maxCost: number
  minQ: number
  maxQ: number
  margin: {left: number; top: number}
  plotW: number
  plotH: number
  height: number
}

/**
 * A frontier chart's scales over the points it draws: cost on a log axis and quality on a linear one, each with a
 * margin around the points (quality in 5-point steps, within 0–1).
 */
export function frontierFrame(
  points: readonly Point[],
  width: number,
  height: number,
  margin: {left: number; right: number; top: number; bottom: number},
): FrontierFrame & {path: (ps: readonly Point[]) => string} {
  const costs = points.map(p => p.cost).filter(c => c > 0)
  const minCost = Math.min(...costs) / 1.3
  const maxCost = Math.max(...costs) * 1.3
  const qualities = points.map(p => p.quality)
  const minQ = Math.max(0, Math.floor((Math.min(...qualities) - 0.03) * 20) / 20)
  const maxQ = Math.min(1, Math.ceil((Math.max(...qualities) + 0.02) * 20) / 20)
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const x = (c: number): number =>
    margin.left +
    ((Math.log(Math.max(c, minCost)) - Math.log(minCost)) / (Math.log(maxCost) - Math.log(minCost))) * plotW
  const y = (q: number): number => margin.top + (1 - (q - minQ) / (maxQ - minQ)) * plotH
  const path = (ps: readonly Point[]): string =>
    ps.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmt(x(p.cost))},${fmt(y(p.quality))}`).join(' ')
  return {x, y, path, minCost, maxCost, minQ, maxQ, margin, plotW, plotH, height}
}

/**
 * A frontier chart's axes and grid (the router's and the cascade's): decades
 * and their 2× and 5× marks on cost (log scale), 5-point steps on quality,
 * the frame and the axis titles.
 */
export function frontierGrid(frame: FrontierFrame): string[] {
  const {x, y, minCost, maxCost, minQ, maxQ, margin, plotW, plotH, height} = frame
  const out: string[] = []
  for (let e = Math.floor(Math.log10(minCost)); e <= Math.ceil(Math.log10(maxCost)); e++) {
    for (const m of [1, 2, 5]) {
      const c = m * 10 ** e
      if (c < minCost || c > maxCost) continue
      out.push(
        `<line x1="${fmt(x(c))}" y1="${margin.top}" x2="${fmt(x(c))}" y2="${margin.top + plotH}" stroke="#eee"/>`,
      )
      out.push(
        `<text x="${fmt(x(c))}" y="${margin.top + plotH + 15}" text-anchor="middle" fill="#555">$${c < 0.001 ? c.toExponential(0) : c.toString()}</text>`,
      )
    }
  }
  for (let q = minQ; q <= maxQ + 1e-9; q += 0.05) {
    out.push(
      `<line x1="${margin.left}" y1="${fmt(y(q))}" x2="${margin.left + plotW}" y2="${fmt(y(q))}" stroke="#eee"/>`,
    )
    out.push(
      `<text x="${margin.left - 6}" y="${fmt(y(q) + 4)}" text-anchor="end" fill="#555">${Math.round(q * 100)}%</text>`,
    )
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`)
  out.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 15}" text-anchor="middle">mean cost per item (USD, log scale) — test split</text>`,
  )
  out.push(
    `<text transform="translate(16,${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">quality (mean success)</text>`,
  )
  return out
}
