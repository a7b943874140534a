/**
 * The human output of `aco analyze`: one screen that says where the money
 * went. Pure: takes the result and the terminal's width and colour support,
 * returns text.
 */
import {Chalk, type ChalkInstance} from 'chalk'
import type {AnalyzeResult} from '../analyze/result.js'
import {stripSgr} from '../util/control.js'
import {compact, int, percent, usd} from '../util/format.js'
import {fitPath, fitWidth, textWidth} from '../util/width.js'
import {table} from './table.js'

export interface RenderOptions {
  width: number
  color: boolean
  top: number
  /** Rows of the top waste (two lines each); defaults to `top`. */
  topWaste?: number
}

/** What every section of the screen needs. */
interface Screen {
  result: AnalyzeResult
  options: RenderOptions
  c: ChalkInstance
  width: number
  /** Top-level traces (subagents are inside them). */
  topLevel: AnalyzeResult['traces']
  /** A cost as a share of the whole spend. */
  share: (usd: number) => number
  header: (s: string) => string
}

/**
 * The screen, section by section: the summary, cost by model, by tool, the
 * costliest traces, waste, unpriced models, warnings and skipped input.
 */
export function renderAnalyze(result: AnalyzeResult, options: RenderOptions): string {
  const c: ChalkInstance = new Chalk({level: options.color ? 1 : 0})
  const t = result.totals
  const screen: Screen = {
    result,
    options,
    c,
    width: Math.max(60, options.width),
    topLevel: result.traces.filter(r => !r.parentId),
    share: v => (t.costUsd > 0 ? v / t.costUsd : 0),
    header: s => c.dim(s),
  }
  const out = [
    ...summary(screen),
    ...grouped(screen),
    ...byModel(screen),
    ...byTool(screen),
    ...topTraces(screen),
    ...waste(screen),
    ...unpriced(screen),
    ...warnings(screen),
    ...skipped(screen),
  ]
  return `${out.join('\n')}\n`
}

/** The title line and the totals: cost, waste, tokens, steps. */
function summary({result, c, width, topLevel}: Screen): string[] {
  const t = result.totals
  const subagents = result.traces.length - topLevel.length
  const dates = result.traces
    .map(r => r.startedAt)
    .filter((d): d is string => !!d)
    .sort()
  const span = dates.length ? ` · ${dates[0]!.slice(0, 10)} → ${dates[dates.length - 1]!.slice(0, 10)}` : ''
  const out: string[] = []
  out.push(
    c.bold(`aco analyze`) +
      c.dim(
        ` · ${int(topLevel.length)} trace${topLevel.length === 1 ? '' : 's'}${subagents ? ` (+${int(subagents)} subagent${subagents === 1 ? '' : 's'})` : ''} from ${int(result.files.withTraces)} file${result.files.withTraces === 1 ? '' : 's'}${span}`,
      ),
  )
  out.push('')
  const unpricedNote = t.unpricedCalls
    ? c.yellow(`  + ${int(t.unpricedCalls)} unpriced call${t.unpricedCalls === 1 ? '' : 's'} (below)`)
    : ''
  const recordedNote = t.recordedCostUsd !== undefined ? c.dim(`  (the tools recorded ${usd(t.recordedCostUsd)})`) : ''
  out.push(`  ${c.dim('Cost')}        ${c.bold(usd(t.costUsd))}${recordedNote}${unpricedNote}`)
  if (t.wastedUsd > 0)
    out.push(
      `  ${c.dim('Wasted')}      ${c.red(usd(t.wastedUsd))} ${c.dim(`(${percent(t.costUsd ? t.wastedUsd / t.costUsd : 0, 1)} of spend; see Waste below)`)}`,
    )
  const tokenParts = [
    `input ${compact(t.tokens.input)}`,
    `output ${compact(t.tokens.output)}`,
    `cache read ${compact(t.tokens.cacheRead)}`,
    `cache write ${compact(t.tokens.cacheWrite)}`,
    `reasoning ${compact(t.tokens.reasoning)}`,
  ]
  out.push(...wrapParts(`  ${c.dim('Tokens')}      `, '              ', tokenParts, width))
  out.push(
    ...wrapParts(
      `  ${c.dim('Steps')}       `,
      '              ',
      [
        `${int(t.steps)} (LLM calls ${int(t.llmCalls)}`,
        `tool calls ${int(t.toolCalls)})`,
        `cache hit rate ${percent(t.cacheHitRate, 1)}`,
      ],
      width,
    ),
  )
  return out
}

/** `--by`: the totals split by one key; time rows all, in order (a chart in the terminal), the others the top ones. */
function grouped({result, options, c, width, share, header}: Screen): string[] {
  const g = result.groups
  const out: string[] = []
  if (result.window) {
    const w = result.window
    const range = `${w.since ? w.since.replace('.000Z', 'Z') : 'the start'} → ${w.until ? w.until.replace('.000Z', 'Z') : 'now'}`
    out.push(
      '',
      c.dim(
        fitWidth(
          `  Window ${range} · ${int(w.filesSkipped)} older file${w.filesSkipped === 1 ? '' : 's'} not opened · ${int(w.stepsOutside)} step${w.stepsOutside === 1 ? '' : 's'} outside`,
          width,
        ),
      ),
    )
  }
  if (!g?.rows.length) return out
  const time = g.by === 'day' || g.by === 'week' || g.by === 'month'
  const rows = time ? g.rows : g.rows.slice(0, options.top)
  const max = Math.max(...rows.map(r => r.costUsd), 1e-12)
  out.push('', c.bold(`Cost by ${g.by}`) + c.dim(g.timeZone ? `  (${g.timeZone})` : ''))
  out.push(
    ...table(
      [
        {header: g.by, flex: true, min: 10},
        {header: 'calls', align: 'right'},
        {header: 'tokens', align: 'right'},
        {header: 'cost', align: 'right'},
        {header: 'wasted', align: 'right'},
        {header: 'share', align: 'right'},
        {header: ''},
      ],
      rows.map(r => [
        r.key,
        int(r.llmCalls),
        compact(r.tokens.input + r.tokens.cacheRead + r.tokens.cacheWrite + r.tokens.output),
        usd(r.costUsd),
        r.wastedUsd > 0 ? usd(r.wastedUsd) : '',
        percent(share(r.costUsd)),
        bar(r.costUsd / max, 12),
      ]),
      width,
      {header, cell: (s, col) => (col === 6 ? c.cyan(s) : col === 4 && s.trim() ? c.red(s) : s)},
    ),
  )
  if (rows.length < g.rows.length) out.push(c.dim(`  … ${g.rows.length - rows.length} more (--top)`))
  return out
}

function byModel({result, options, c, width, share, header}: Screen): string[] {
  if (!result.byModel.length) return []
  const out = ['', c.bold('Cost by model')]
  const rows = result.byModel
    .slice(0, options.top)
    .map(m => [
      m.model + (m.priced ? '' : ' *'),
      int(m.llmCalls),
      compact(m.tokens.input + m.tokens.cacheRead + m.tokens.cacheWrite + m.tokens.output),
      m.priced || m.costUsd > 0 ? usd(m.costUsd) : '—',
      percent(share(m.costUsd)),
      bar(share(m.costUsd), 12),
    ])
  out.push(
    ...table(
      [
        {header: 'model', flex: true, min: 16},
        {header: 'calls', align: 'right'},
        {header: 'tokens', align: 'right'},
        {header: 'cost', align: 'right'},
        {header: 'share', align: 'right'},
        {header: ''},
      ],
      rows,
      width,
      {header, cell: (s, col) => (col === 5 ? c.cyan(s) : s)},
    ),
  )
  if (result.byModel.length > options.top)
    out.push(c.dim(`  … ${result.byModel.length - options.top} more models (--top)`))
  if (result.byModel.some(m => !m.priced))
    out.push(
      c.dim(
        fitWidth(
          '  * not all calls priced by the catalog: the cost shown is what the tool recorded or estimated; see Unpriced below',
          width,
        ),
      ),
    )
  return out
}

function byTool({result, options, c, width, share, header}: Screen): string[] {
  if (!result.byTool.length) return []
  const out = ['', c.bold('Cost by tool') + c.dim('  (the LLM calls that issued them)')]
  const rows = result.byTool
    .slice(0, options.top)
    .map(r => [r.tool, int(r.calls), r.errors ? int(r.errors) : '', usd(r.costUsd), percent(share(r.costUsd))])
  out.push(
    ...table(
      [
        {header: 'tool', flex: true, min: 14},
        {header: 'calls', align: 'right'},
        {header: 'errors', align: 'right'},
        {header: 'cost', align: 'right'},
        {header: 'share', align: 'right'},
      ],
      rows,
      width,
      {header, cell: (s, col) => (col === 2 && s.trim() ? c.yellow(s) : s)},
    ),
  )
  if (result.byTool.length > options.top)
    out.push(c.dim(`  … ${result.byTool.length - options.top} more tools (--top)`))
  return out
}

function topTraces({options, c, width, topLevel, header}: Screen): string[] {
  if (!topLevel.length) return []
  const ranked = [...topLevel].sort((a, b) => (b.rollup ?? b.totals).costUsd - (a.rollup ?? a.totals).costUsd)
  const out = [
    '',
    c.bold(`Top traces by cost`) +
      c.dim(ranked.length > options.top ? `  (${options.top} of ${ranked.length}, --top)` : ''),
  ]
  const anyWaste = ranked.some(r => (r.rollup ?? r.totals).wastedUsd > 0)
  const rows = ranked.slice(0, options.top).map(r => {
    const tot = r.rollup ?? r.totals
    const name = r.title ? `${r.title}` : r.id
    return [
      usd(tot.costUsd),
      ...(anyWaste ? [tot.wastedUsd > 0 ? usd(tot.wastedUsd) : ''] : []),
      int(tot.steps),
      r.startedAt ? r.startedAt.slice(0, 10) : '',
      r.format,
      `${name}${r.subagents ? ` (+${r.subagents} subagent${r.subagents === 1 ? '' : 's'})` : ''}`,
    ]
  })
  out.push(
    ...table(
      [
        {header: 'cost', align: 'right'},
        ...(anyWaste ? [{header: 'wasted', align: 'right' as const}] : []),
        {header: 'steps', align: 'right'},
        {header: 'started'},
        {header: 'format'},
        {header: 'trace', flex: true, min: 16},
      ],
      rows,
      width,
      {header, cell: (s, col) => (anyWaste && col === 1 && s.trim() ? c.red(s) : s)},
    ),
  )
  return out
}

/** Waste by detector, then the top wasted steps (two lines each: where, and why). */
function waste({result, options, c, width, share, header}: Screen): string[] {
  if (!result.waste.byDetector.length) return []
  const flags = result.waste.byDetector.reduce((n, r) => n + r.flags, 0)
  const out = [
    '',
    c.bold('Waste') +
      c.dim(
        `  ${usd(result.totals.wastedUsd)} (${percent(share(result.totals.wastedUsd), 1)} of spend) in ${int(flags)} flagged step${flags === 1 ? '' : 's'}`,
      ),
  ]
  out.push(
    ...table(
      [
        {header: 'detector', flex: true, min: 14},
        {header: 'flags', align: 'right'},
        {header: 'wasted', align: 'right'},
        {header: 'share', align: 'right'},
      ],
      result.waste.byDetector.map(r => [r.kind, int(r.flags), usd(r.wastedUsd), percent(share(r.wastedUsd), 1)]),
      width,
      {header},
    ),
  )
  const top = result.waste.top.slice(0, options.topWaste ?? options.top)
  out.push('', c.bold('Top waste') + c.dim('  (step: why; --json or --report for all)'))
  for (const w of top) {
    const where = `${shortId(w.traceId)} step ${w.stepIndex}`
    out.push(`  ${c.red(usd(w.wastedUsd).padStart(8))}  ${c.yellow(w.kind)}  ${c.dim(where)}`)
    out.push(`            ${fitWidth(w.reason, width - 12)}`)
  }
  return out
}

function unpriced({result, c, width}: Screen): string[] {
  if (!result.unpriced.length) return []
  const out = ['', c.yellow.bold('Unpriced models') + c.dim('  (tokens counted, cost not: never counted as $0)')]
  for (const u of result.unpriced) {
    const tokens = u.tokens.input + u.tokens.cacheRead + u.tokens.cacheWrite + u.tokens.output
    out.push(
      ...wrapParts(
        `  ${c.yellow(u.model)}  `,
        '    ',
        [
          `${int(u.calls)} call${u.calls === 1 ? '' : 's'}`,
          `${compact(tokens)} tokens`,
          c.dim(fitWidth(u.reason, width - 4)),
        ],
        width,
      ),
    )
  }
  return out
}

/** Warnings met in traces that were counted; the same warning in many traces is one line. */
function warnings({result, options, c, width}: Screen): string[] {
  const w = result.warnings
  if (!w.count) return []
  const out = [
    '',
    c.yellow.bold('Warnings') + c.dim(`  (${int(w.count)} while reading traces that were counted; all in --json)`),
  ]
  const groups = new Map<string, {message: string; traces: Set<string>}>()
  for (const item of w.first) {
    const g = groups.get(item.message) ?? {message: item.message, traces: new Set<string>()}
    g.traces.add(item.traceId)
    groups.set(item.message, g)
  }
  const sorted = [...groups.values()].sort((a, b) => b.traces.size - a.traces.size)
  for (const g of sorted.slice(0, Math.min(options.top, 5))) {
    const n = g.traces.size
    out.push(`  ${c.dim(`${n} trace${n === 1 ? '' : 's'}:`.padEnd(11))}${fitWidth(g.message, width - 13)}`)
  }
  if (sorted.length > 5) out.push(c.dim(`  … ${sorted.length - 5} other warnings`))
  return out
}

/** Input that was skipped: problems one a line, files of unknown format together. */
function skipped({result, options, c, width}: Screen): string[] {
  if (!result.skipped.length) return []
  const out = [
    '',
    c.yellow.bold(`Skipped`) +
      c.dim(`  (${int(result.skipped.length)} problem${result.skipped.length === 1 ? '' : 's'}; the rest was read)`),
  ]
  const unknown = result.skipped.filter(s => s.reason.startsWith('unknown format'))
  const other = result.skipped.filter(s => !s.reason.startsWith('unknown format'))
  const shown = other.slice(0, Math.max(options.top, 10))
  for (const s of shown) {
    const where = `${s.path}${s.line ? `:${s.line}` : ''}`
    const room = Math.max(20, width - 4 - Math.min(textWidth(where), Math.floor(width / 2)))
    out.push(`  ${fitPath(where, Math.floor(width / 2))}  ${c.dim(fitWidth(s.reason, room))}`)
  }
  if (other.length > shown.length) out.push(c.dim(`  … ${other.length - shown.length} more (see --json)`))
  if (unknown.length) {
    out.push(
      `  ${int(unknown.length)} file${unknown.length === 1 ? '' : 's'} of unknown format: ${fitWidth(unknown.map(s => s.path.split('/').pop()).join(', '), width - 40)}`,
    )
    out.push(c.dim(`  ${fitWidth(unknown[0]!.reason, width - 2)}`))
  }
  return out
}

/** Joins parts with " · ", wrapping onto indented lines to stay within `width`. */
function wrapParts(first: string, rest: string, parts: string[], width: number): string[] {
  const visible = (s: string): number => textWidth(stripSgr(s))
  const lines: string[] = []
  let line = first
  let empty = true
  for (const part of parts) {
    const candidate = empty ? line + part : `${line} · ${part}`
    if (!empty && visible(candidate) > width) {
      lines.push(line)
      line = rest + part
    } else line = candidate
    empty = false
  }
  lines.push(line)
  return lines
}

/** A bar of `width` cells for a share between 0 and 1. */
function bar(share: number, width: number): string {
  const cells = Math.max(0, Math.min(width, Math.round(share * width)))
  return '█'.repeat(cells)
}

/**
 * A trace id short enough for a table yet telling traces apart: whole when
 * short, else its start and its end (`astropy__ast…7746`, `fe5e1c67…/sidechain-2`).
 */
function shortId(id: string): string {
  const slash = id.indexOf('/')
  const base = slash === -1 ? id : id.slice(0, slash)
  const rest = slash === -1 ? '' : id.slice(slash)
  const short = base.length <= 22 ? base : `${base.slice(0, 12)}…${base.slice(-8)}`
  return short + rest
}
