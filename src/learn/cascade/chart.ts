/**
 * frontier.svg of a cascade: quality against cost (log axis) on the test
 * split, with the cascade, the ex-ante router, the training-free cascade and
 * the mixes of single models as curves, and the single models, the
 * agreement baseline, the operating point and the oracle as marks.
 */
import type {Point} from '../evaluate.js'
import {frontierFrame, frontierGrid, LEGEND_GAP, legend, legendWidth, modelMarks, PLOT_WIDTH} from '../svg.js'
import type {CascadeTrainResult} from './result.js'

const height = 480
const fmt = (v: number): string => (Math.round(v * 10) / 10).toString()

interface Line {
  label: string
  points: Point[]
  color: string
  dash?: string
  strokeWidth?: number
}

/** Renders the chart of a cascade's evaluation. */
export function cascadeChart(r: CascadeTrainResult): string {
  const t = r.test
  const b = t.baselines
  const hull = b.singleModelMixes.models.map(m => b.singleModels.find(s => s.model === m)!).filter(Boolean)
  const lines: Line[] = [
    {label: 'cascade (every model run counted)', points: t.curve, color: '#1f5fbf', strokeWidth: 2},
    ...(b.exAnte ? [{label: 'ex-ante router', points: b.exAnte.curve, color: '#e67e22'}] : []),
    ...(b.trainingFree
      ? [{label: 'training-free cascade', points: b.trainingFree.curve, color: '#16a085', dash: '5 3'}]
      : []),
    {label: 'mixes of single models', points: hull, color: '#999', dash: '2 2'},
  ]
  const all: Point[] = [...lines.flatMap(l => l.points), ...b.singleModels, b.oracle]
  const entries: Array<[string, string]> = [
    ...lines.map(
      l =>
        [
          `<line x1="0" y1="0" x2="22" y2="0" stroke="${l.color}" stroke-width="${l.strokeWidth ?? 1.5}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
          l.label,
        ] as [string, string],
    ),
    [`<circle cx="11" cy="0" r="3" fill="#444"/>`, 'single models'],
    ...(b.agreement
      ? [[`<rect x="7" y="-4" width="8" height="8" fill="#8e44ad"/>`, 'agreement baseline'] as [string, string]]
      : []),
    [`<circle cx="11" cy="0" r="5" fill="none" stroke="#d33" stroke-width="2"/>`, 'operating point'],
    [`<path d="M11,-6 l2,4 4,0 -3,3 1,5 -4,-3 -4,3 1,-5 -3,-3 4,0z" fill="#2a9d4b"/>`, 'per-item oracle'],
  ]
  const margin = {left: 70, right: legendWidth(entries), top: 30, bottom: 55}
  const width = margin.left + PLOT_WIDTH + margin.right
  const frame = frontierFrame(all, width, height, margin)
  const {x, y, path, plotW} = frame
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ]
  out.push(...frontierGrid(frame))
  for (const l of [...lines].reverse())
    out.push(
      `<path d="${path(l.points)}" fill="none" stroke="${l.color}" stroke-width="${l.strokeWidth ?? 1.5}"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`,
    )
  out.push(...modelMarks(b.singleModels, frame, 3))
  if (b.agreement) {
    const a = b.agreement.test
    out.push(
      `<rect x="${fmt(x(a.cost) - 4)}" y="${fmt(y(a.quality) - 4)}" width="8" height="8" fill="#8e44ad"><title>agreement baseline</title></rect>`,
    )
  }
  const op = r.operatingPoint.test
  out.push(
    `<circle cx="${fmt(x(op.cost))}" cy="${fmt(y(op.quality))}" r="6" fill="none" stroke="#d33" stroke-width="2"><title>operating point</title></circle>`,
  )
  const o = b.oracle
  out.push(
    `<path d="M${fmt(x(o.cost))},${fmt(y(o.quality) - 6)} l2,4 4,0 -3,3 1,5 -4,-3 -4,3 1,-5 -3,-3 4,0z" fill="#2a9d4b"><title>per-item oracle</title></path>`,
  )
  out.push(...legend(entries, margin.left + plotW + LEGEND_GAP, margin.top))
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
