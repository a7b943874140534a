/**
 * A small SVG bar chart of cost per LLM step for one trace, with the steps
 * that carry waste in red. Plain SVG, no fonts or scripts: GitHub renders it
 * as an image in a pull request.
 */
import {usdAxis} from '../util/format.js'
import {cutAtWord} from '../util/text.js'
import {escapeXml} from '../util/xml.js'
import {fitWidth, textWidth} from '../util/width.js'

export interface StepBar {
  /** The step's index in its trace (a subagent's steps are numbered in the subagent's trace). */
  index: number
  /** The subagent trace the call is in, as the report's tables name it (absent for the trace's own calls). */
  subagent?: string
  /** A bar of several calls (see `grouped`) holding the trace's own and its subagents' calls. */
  mixed?: boolean
  costUsd: number
  /** Dollars of this call's cost wasted: its own share of the flags on it or on the tool calls it issued. */
  wastedUsd: number
  /** What carrying those tool calls' results cost the later calls (in their bars, not this one's). */
  carriedUsd?: number
  /** Calls in the bar with no price (not in its cost). */
  unpricedCalls?: number
}

const W = 720
const H = 220
const PAD = {left: 56, right: 12, top: 24, bottom: 36}

/** More calls than this are drawn in groups of consecutive calls (one bar per group): the chart stays a few KB. */
const MAX_BARS = 600

/** Consecutive bars summed into at most MAX_BARS groups, each named by its first step. */
function grouped(bars: readonly StepBar[]): readonly StepBar[] {
  if (bars.length <= MAX_BARS) return bars
  const size = Math.ceil(bars.length / MAX_BARS)
  const out: StepBar[] = []
  for (let i = 0; i < bars.length; i += size) {
    const first = bars[i]!
    const members = bars.slice(i, i + size)
    // (Named by a subagent only where all its calls are that subagent's: review 128 read "3 calls from subagent … step 0"
    // over a parent's calls too.)
    const one = members.every(b => b.subagent === first.subagent)
    const group = {
      ...(first.subagent ? {subagent: first.subagent} : {}),
      ...(one ? {} : {mixed: true}),
      index: first.index,
      costUsd: 0,
      wastedUsd: 0,
      carriedUsd: 0,
      unpricedCalls: 0,
    }
    for (let j = i; j < Math.min(bars.length, i + size); j++) {
      group.costUsd += bars[j]!.costUsd
      group.wastedUsd += bars[j]!.wastedUsd
      group.carriedUsd += bars[j]!.carriedUsd ?? 0
      group.unpricedCalls += bars[j]!.unpricedCalls ?? 0
    }
    out.push(group)
  }
  return out
}

/** A call by its step, a subagent's with the subagent (trial 123 read "step 0" under several bars of one chart). */
function stepName(b: StepBar): string {
  if (b.mixed) return `${b.subagent ? `subagent ${b.subagent} ` : ''}step ${b.index} on, the trace's and its subagents'`
  return b.subagent ? `subagent ${b.subagent} step ${b.index}` : `step ${b.index}`
}

/** A bar's waste as its tooltip says it: what it wasted of its own cost, and what its results cost later calls. */

function wasteNote(b: {wastedUsd: number; carriedUsd?: number}): string {
  const carried = b.carriedUsd ?? 0
  const more = carried > 0 ? `${escapeXml(usdAxis(carried))} more carried in later calls` : ''
  if (b.wastedUsd > 0) return `, wasted ${escapeXml(usdAxis(b.wastedUsd))}${more ? ` (${more})` : ''}`
  return more ? `, its results wasted ${more.replace(' more', '')}` : ''
}

export function costPerStepSvg(title: string, calls: readonly StepBar[]): string {
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const bars = grouped(calls)
  const perBar = calls.length > bars.length ? Math.ceil(calls.length / MAX_BARS) : 1
  const max = largestCost(bars)
  const bw = bars.length ? plotW / bars.length : plotW
  const gap = bw > 4 ? 1 : 0
  const out = chartFrame(title, max, plotH)
  bars.forEach((b, i) => {
    const x = PAD.left + i * bw
    const h = (b.costUsd / max) * plotH
    const wasteH = Math.min(h, (b.wastedUsd / max) * plotH)
    const y = PAD.top + plotH - h
    out.push(
      `<rect x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(0.5, bw - gap).toFixed(2)}" height="${h.toFixed(2)}" fill="#6b8fd6"><title>${escapeXml(perBar > 1 ? `${perBar} calls from ${stepName(b)}` : stepName(b))}: ${escapeXml(barCost(b))}${wasteNote(b)}</title></rect>`,
    )
    if (wasteH > 0)
      out.push(
        `<rect x="${x.toFixed(2)}" y="${(PAD.top + plotH - wasteH).toFixed(2)}" width="${Math.max(0.5, bw - gap).toFixed(2)}" height="${wasteH.toFixed(2)}" fill="#d64545"/>`,
      )
    // A call with no price at all: a grey mark on the axis, not a gap a $0 call would leave (trial 131).
    if (b.costUsd === 0 && (b.unpricedCalls ?? 0) > 0)
      out.push(
        `<rect x="${x.toFixed(2)}" y="${(PAD.top + plotH - 3).toFixed(2)}" width="${Math.max(0.5, bw - gap).toFixed(2)}" height="3" fill="#aaaaaa"/>`,
      )
  })
  const base = PAD.top + plotH
  const unpriced = bars.some(b => b.costUsd === 0 && (b.unpricedCalls ?? 0) > 0)
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${base}" y2="${base}" stroke="#999"/>`)
  // (What carrying flagged results cost is in the later calls' bars, as cost: said under the chart, where a tooltip a
  // Markdown image never shows cannot, review 114.)
  const carried = calls.reduce((sum, b) => sum + (b.carriedUsd ?? 0), 0)
  out.push(
    `<text x="${PAD.left}" y="${base + 16}" fill="#555">LLM calls in order (${calls.length}${perBar > 1 ? `, ${perBar} a bar` : ''})</text>`,
  )
  if (carried > 0)
    out.push(
      `<text x="${PAD.left}" y="${base + 30}" fill="#555">red: each call's own waste; ${escapeXml(usdAxis(carried))} more was spent carrying flagged results in later calls</text>`,
    )
  out.push(
    `<rect x="${W - PAD.right - 150}" y="${base + 8}" width="10" height="10" fill="#6b8fd6"/><text x="${W - PAD.right - 136}" y="${base + 17}" fill="#555">cost</text>`,
  )
  out.push(
    `<rect x="${W - PAD.right - 96}" y="${base + 8}" width="10" height="10" fill="#d64545"/><text x="${W - PAD.right - 82}" y="${base + 17}" fill="#555">wasted</text>`,
  )
  if (unpriced)
    out.push(
      `<rect x="${W - PAD.right - 214}" y="${base + 15}" width="10" height="3" fill="#aaaaaa"/><text x="${W - PAD.right - 200}" y="${base + 17}" fill="#555">no price</text>`,
    )
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

/**
 * A bar's value in a sparkline: its priced cost (the part the chart draws), or not a number when it has no price at all
 * (drawn `·`, never as the lowest cost). A period with calls of no price beside priced ones is drawn by what is priced.
 */
export function sparkValue(b: {costUsd: number; unpricedCalls?: number}): number {
  return b.costUsd > 0 || !b.unpricedCalls ? b.costUsd : Number.NaN
}

/** How many values of `count` one character of a sparkline `width` wide sums. */
export function sparkPeriods(count: number, width = SPARK_WIDTH): number {
  return Math.max(1, Math.ceil(count / width))
}

const SPARK_WIDTH = 60

/** The same series as a line of block characters, for places that show no images. */
export function sparkline(values: readonly number[], width = SPARK_WIDTH): string {
  if (!values.length) return ''
  const blocks = '▁▂▃▄▅▆▇█'
  const step = sparkPeriods(values.length, width)
  // (A value that is not a number has no price: a bucket of those alone is drawn `·`, never as the lowest cost.)
  const buckets: number[] = []
  for (let i = 0; i < values.length; i += step) {
    const part = values.slice(i, i + step).filter(Number.isFinite)
    buckets.push(part.length ? part.reduce((a, b) => a + b, 0) : Number.NaN)
  }
  const max = Math.max(...buckets.filter(Number.isFinite), 1e-12)
  // (A period that cost nothing, a day with no call, is blank: `▁` is the smallest cost drawn.)
  return buckets
    .map(v => (!Number.isFinite(v) ? '·' : v === 0 ? ' ' : blocks[Math.min(7, Math.floor((v / max) * 7.999))]))
    .join('')
}

export interface TimeBar {
  /** The period: `2026-11-30`, `2026-W48`, `2026-11`. */
  label: string
  costUsd: number
  wastedUsd: number
  /** Calls in the bar with no price (not in its cost). */
  unpricedCalls?: number
  /** Calls whose input the logs do not record are in it: its cost is a floor (`≥`, as the tables say it). */
  floor?: boolean
}

/** A bar's cost in its tooltip, as the tables say it: what calls with no price leave out is said, never a $0. */
function barCost(b: {costUsd: number; unpricedCalls?: number}): string {
  const n = b.unpricedCalls ?? 0
  if (!n) return usdAxis(b.costUsd)
  const unpriced = `${n} unpriced call${n === 1 ? '' : 's'}`
  return b.costUsd > 0 ? `${usdAxis(b.costUsd)} + ${unpriced}` : `— (${unpriced})`
}

/** Cost per day, week or month, waste in red: the report's cost-over-time chart. */
export function costOverTimeSvg(title: string, bars: readonly TimeBar[]): string {
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const max = largestCost(bars)
  const bw = bars.length ? plotW / bars.length : plotW
  const gap = bw > 4 ? 1 : 0
  const out = chartFrame(title, max, plotH)
  const base = PAD.top + plotH
  // Labels under the bars: as many as fit, spaced by the widest (a block's `2025-06-14 10:00 claude-code` is ~170 px:
  // spaced by 70 px they had run together, trial 131), always the first and the last.
  let widest = 0
  for (const b of bars) widest = Math.max(widest, b.label.length * LABEL_CHAR_PX)
  const every = Math.max(1, Math.ceil(Math.max(70, widest + 8) / Math.max(bw, 1)))
  const labels: AxisLabel[] = []
  bars.forEach((b, i) => {
    const x = PAD.left + i * bw
    const h = (b.costUsd / max) * plotH
    const wasteH = Math.min(h, (b.wastedUsd / max) * plotH)
    const width = Math.max(0.5, bw - gap).toFixed(2)
    out.push(
      `<rect x="${x.toFixed(2)}" y="${(base - h).toFixed(2)}" width="${width}" height="${h.toFixed(2)}" fill="#6b8fd6"><title>${escapeXml(b.label)}: ${b.floor ? '≥' : ''}${escapeXml(barCost(b))}${wasteNote(b)}</title></rect>`,
    )
    if (wasteH > 0)
      out.push(
        `<rect x="${x.toFixed(2)}" y="${(base - wasteH).toFixed(2)}" width="${width}" height="${wasteH.toFixed(2)}" fill="#d64545"/>`,
      )
    if (i % every === 0 || i === bars.length - 1) {
      // Centred under its bar, but never past the chart's edges (`(no time)`, last, at the right edge: cut off).
      const half = b.label.length * LABEL_CHAR_PX * 0.5
      const cx = Math.max(half + 2, Math.min(x + bw / 2, W - 2 - half))
      // The last label is always drawn: those before it that it would cover give way (two labels a bar apart overlapped);
      // another that would touch the one before it is left out.
      if (i === bars.length - 1) while (labelsOverlap(labels.at(-1), {cx, half})) labels.pop()
      if (i === bars.length - 1 || !labelsOverlap(labels.at(-1), {cx, half})) labels.push({cx, half, text: b.label})
    }
  })
  for (const l of labels)
    out.push(
      `<text x="${l.cx.toFixed(1)}" y="${base + 14}" text-anchor="middle" fill="#555">${escapeXml(l.text)}</text>`,
    )
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${base}" y2="${base}" stroke="#999"/>`)
  out.push(
    `<rect x="${W - PAD.right - 150}" y="${base + 20}" width="10" height="10" fill="#6b8fd6"/><text x="${W - PAD.right - 136}" y="${base + 29}" fill="#555">cost</text>`,
  )
  out.push(
    `<rect x="${W - PAD.right - 96}" y="${base + 20}" width="10" height="10" fill="#d64545"/><text x="${W - PAD.right - 82}" y="${base + 29}" fill="#555">wasted</text>`,
  )
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

interface AxisLabel {
  /** Its centre and half its width, in px. */
  cx: number
  half: number
  text: string
}

/** Whether two labels under the axis would touch (with 4 px between them). */
function labelsOverlap(a: AxisLabel | undefined, b: {cx: number; half: number}): boolean {
  return a !== undefined && Math.abs(a.cx - b.cx) < a.half + b.half + 4
}

/** About how wide a character of a label is at 11 px (sans-serif digits and lower-case letters are ~6 px). */
const LABEL_CHAR_PX = 6.2

/** The largest bar (at least a nano-dollar): a loop, not Math.max(...bars), whose spread of 150,000 arguments overflows the call stack. */
function largestCost(bars: ReadonlyArray<{costUsd: number}>): number {
  let max = 1e-9
  for (const b of bars) if (b.costUsd > max) max = b.costUsd
  return max
}

/** How many characters of a chart's title fit its width at 12 px (a long zone's name ran past the edge). */
const TITLE_CHARS = Math.floor((W - PAD.left - PAD.right) / 6.8)

/**
 * A chart's title cut to the chart's width, by what its characters take (a CJK character two of a digit's), keeping the
 * cost it ends with in brackets (trial 131: cut after it was added, a title lost its cost; a Chinese one ran off the
 * edge).
 */
function fitTitle(full: string): string {
  if (textWidth(full) <= TITLE_CHARS) return full
  const tail = / \((?:[^()]|\([^()]*\))*\)$/.exec(full)?.[0] ?? ''
  const head = full.slice(0, full.length - tail.length)
  const room = TITLE_CHARS - textWidth(tail)
  if (room < 12) return fitWidth(full, TITLE_CHARS)
  const cut = cutAtWord(head, room)
  return `${textWidth(cut) <= room ? cut : fitWidth(head, room)}${tail}`
}

/** A bar chart's opening: the svg element, its title, the background and three dollar grid lines up to `max`. */
function chartFrame(fullTitle: string, max: number, plotH: number): string[] {
  const title = fitTitle(fullTitle)
  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  )
  // (The title element whole, for a tooltip or a screen reader; the line drawn cut to the chart's width.)
  out.push(`<title>${escapeXml(fullTitle)}</title>`)
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text x="${PAD.left}" y="15" font-size="12" fill="#222">${escapeXml(title)}</text>`)
  for (const f of [0, 0.5, 1]) {
    const y = PAD.top + plotH * (1 - f)
    out.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e5e5"/>`,
    )
    out.push(
      `<text x="${PAD.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#555">${escapeXml(usdAxis(max * f))}</text>`,
    )
  }
  return out
}
