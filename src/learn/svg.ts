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

const height = 480
/** The plot's own width; the legend's column is added at its right, as wide as its longest entry. */
export const PLOT_WIDTH = 490

function fmt(v: number): string {
  return (Math.round(v * 10) / 10).toString()
}

/** Renders the frontier chart of a training result. */
export function frontierChart(
  result: Pick<TrainResult, 'test' | 'operatingPoint' | 'conformal' | 'strongest' | 'cheapest'>,
): string {
  const t = result.test
  const points: Point[] = [...t.curve, ...t.baselines.singleModels, t.baselines.oracle]
  // Legend.
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
  const margin = {left: 70, right: legendWidth(entries), top: 30, bottom: 55}
  const width = margin.left + PLOT_WIDTH + margin.right
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
  out.push(...modelMarks(t.baselines.singleModels, frame, 3.5))
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

  const lx = margin.left + plotW + LEGEND_GAP
  out.push(...legend(entries, lx, margin.top))
  out.push(
    `<text x="${lx}" y="${margin.top + 10 + entries.length * 20 + 10}" fill="#555">APGR ${t.apgr.value.toFixed(3)}</text>`,
  )
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/** Space between the plot and its legend, and a legend entry's text from its mark. */
export const LEGEND_GAP = 15
const LEGEND_TEXT = 28
/** About how wide a character is at 11 px (sans-serif), and at the 9 px of a model's label. */
const CHAR_11 = 6.4
const CHAR_9 = 5.4

/**
 * The width of a legend's column: its longest entry, whole (trial 72: "router at the sweep threshol", "cascade (every
 * model run cou" cut at the chart's edge).
 */
export function legendWidth(entries: ReadonlyArray<readonly [string, string]>): number {
  const longest = Math.max(0, ...entries.map(([, label]) => label.length))
  return Math.ceil(LEGEND_GAP + LEGEND_TEXT + longest * CHAR_11 + 10)
}

/** A legend's entries, one below the other from `top`, each a mark and its text. */
export function legend(entries: ReadonlyArray<readonly [string, string]>, lx: number, top: number): string[] {
  return entries.map(
    ([mark, label], i) =>
      `<g transform="translate(${lx},${top + 10 + i * 20})">${mark}<text x="${LEGEND_TEXT}" y="4">${escapeXml(label)}</text></g>`,
  )
}

/**
 * Every single model as a dot with its name beside it. A name goes right of its dot, or left near the plot's right
 * edge; where it would cover a name placed before it (or a dot), it moves down, or up, a line at a time until it is
 * clear (trial 72: "claude-instant-v1" and "gpt-3.5-turbo-1106" printed on top of each other).
 */
export function modelMarks(
  models: ReadonlyArray<{model: string; cost: number; quality: number}>,
  frame: Pick<FrontierFrame, 'x' | 'y' | 'margin' | 'plotW' | 'plotH'>,
  radius: number,
): string[] {
  const {x, y, margin, plotW, plotH} = frame
  const out: string[] = []
  const dots = models.map(s => ({
    x0: x(s.cost) - radius,
    x1: x(s.cost) + radius,
    y0: y(s.quality) - radius,
    y1: y(s.quality) + radius,
  }))
  const placed: Array<{x0: number; x1: number; y0: number; y1: number}> = []
  const clear = (b: {x0: number; x1: number; y0: number; y1: number}): boolean =>
    b.y0 >= margin.top &&
    b.y1 <= margin.top + plotH &&
    ![...placed, ...dots].some(o => o.x0 < b.x1 && b.x0 < o.x1 && o.y0 < b.y1 && b.y0 < o.y1)
  for (const s of [...models].sort((a, b) => b.quality - a.quality || a.cost - b.cost)) {
    out.push(
      `<circle cx="${fmt(x(s.cost))}" cy="${fmt(y(s.quality))}" r="${radius}" fill="#444"><title>${escapeXml(s.model)}</title></circle>`,
    )
    const short = s.model.split('/').pop() ?? s.model
    const wide = short.length * CHAR_9
    const right = x(s.cost) + radius + 2
    const x0 = right + wide > margin.left + plotW ? x(s.cost) - radius - 2 - wide : right
    const at = (dy: number) => ({x0, x1: x0 + wide, y0: y(s.quality) - 12 + dy, y1: y(s.quality) - 2 + dy})
    let box = at(0)
    for (let k = 1; k <= 8 && !clear(box); k++) {
      const down = at(k * 10)
      const up = at(-k * 10)
      box = clear(down) ? down : clear(up) ? up : box
      if (clear(box)) break
    }
    placed.push(box)
    out.push(`<text x="${fmt(box.x0)}" y="${fmt(box.y1 - 2)}" fill="#444" font-size="9">${escapeXml(short)}</text>`)
  }
  return out
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
        `<text x="${fmt(x(c))}" y="${margin.top + plotH + 15}" text-anchor="middle" fill="#555">$${c < 0.001 ? c.toFixed(Math.ceil(-Math.log10(c) - 1e-9)) : c.toString()}</text>`,
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
