/**
 * The Markdown report of `aco analyze --report FILE.md`: fit to paste into an
 * issue or a pull request. Charts are SVG files beside the report (GitHub
 * shows them as images once committed) with a text sparkline for places that
 * show no images. Pure: returns the text and the chart files to write.
 */
import type {AnalyzeResult} from '../analyze/result.js'
import {forEachCard, rollupTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {DETECTORS} from '../flag/registry.js'
import {compact, int, percent, usd} from '../util/format.js'
import {costOverTimeSvg, costPerStepSvg, sparkline, type StepBar} from './svg.js'

export interface ReportOptions {
  /** The folder name (relative to the report) that holds the charts. */
  assetsDir: string
  generatedAt: string
  version: string
}

export interface Report {
  markdown: string
  assets: Array<{name: string; content: string}>
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

/**
 * Cost and waste of each LLM call of a card and its subagents, in the order
 * they happened (waste of the tool calls a call made is counted on the call).
 */
function stepBars(card: TraceCard): StepBar[] {
  const bars: Array<StepBar & {at: string}> = []
  forEachCard([card], c => {
    const byId = new Map(c.steps.map(s => [s.id, s]))
    for (const step of c.steps) {
      if (step.kind !== 'llm') continue
      let wasted = (step.flags ?? []).reduce((n, f) => n + f.wastedUsd, 0)
      for (const id of step.toolStepIds ?? [])
        wasted += (byId.get(id)?.flags ?? []).reduce((n, f) => n + f.wastedUsd, 0)
      bars.push({
        index: step.index,
        costUsd: step.cost?.usd ?? 0,
        wastedUsd: wasted,
        at: step.startedAt ?? step.endedAt ?? '',
      })
    }
  })
  // A stable sort keeps source order where times are equal or missing.
  return bars.sort((a, b) => (a.at && b.at ? a.at.localeCompare(b.at) : 0)).map(({at: _at, ...bar}) => bar)
}

export function renderMarkdownReport(
  result: AnalyzeResult,
  expensive: readonly TraceCard[],
  options: ReportOptions,
): Report {
  const t = result.totals
  const share = (v: number): string => (t.costUsd > 0 ? percent(v / t.costUsd, 1) : '—')
  const topLevel = result.traces.filter(r => !r.parentId)
  const md: string[] = []
  const assets: Report['assets'] = []

  md.push('# Where the money went', '')
  md.push(
    `_aco ${options.version}, ${options.generatedAt.slice(0, 10)}: ${int(topLevel.length)} traces from ${int(result.files.withTraces)} files._`,
    '',
  )
  md.push('| | |', '|---|---|')
  md.push(
    `| Cost | **${usd(t.costUsd)}**${t.recordedCostUsd !== undefined ? ` (the tools recorded ${usd(t.recordedCostUsd)})` : ''} |`,
  )
  md.push(`| Wasted | **${usd(t.wastedUsd)}** (${share(t.wastedUsd)} of spend) |`)
  md.push(`| LLM calls / tool calls | ${int(t.llmCalls)} / ${int(t.toolCalls)} |`)
  md.push(
    `| Tokens | input ${compact(t.tokens.input)} · output ${compact(t.tokens.output)} · cache read ${compact(t.tokens.cacheRead)} · cache write ${compact(t.tokens.cacheWrite)} |`,
  )
  md.push(`| Cache hit rate | ${percent(t.cacheHitRate, 1)} |`)
  if (t.unpricedCalls) md.push(`| Unpriced calls | ${int(t.unpricedCalls)} (see below) |`)
  if (result.window)
    md.push(
      `| Window | ${result.window.since ?? 'the start'} → ${result.window.until ?? 'now'} (${int(result.window.stepsOutside)} steps outside) |`,
    )
  md.push('')
  grouped(result, md, assets, options.assetsDir, share)

  md.push('## Waste by detector', '')
  if (result.waste.byDetector.length) {
    md.push('| detector | what it finds | flags | wasted | share of spend |', '|---|---|--:|--:|--:|')
    for (const r of result.waste.byDetector) {
      md.push(
        `| ${r.kind} | ${cell(DETECTORS[r.kind as keyof typeof DETECTORS]?.description ?? '')} | ${int(r.flags)} | ${usd(r.wastedUsd)} | ${share(r.wastedUsd)} |`,
      )
    }
  } else md.push('No step was flagged.')
  md.push('')

  if (result.waste.top.length) {
    md.push('## Top waste', '')
    md.push('| wasted | detector | trace | step | why | confidence |', '|--:|---|---|--:|---|--:|')
    for (const w of result.waste.top.slice(0, 20)) {
      md.push(
        `| ${usd(w.wastedUsd)} | ${w.kind} | \`${cell(w.traceId)}\` | ${w.stepIndex} | ${cell(w.reason)} | ${w.confidence.toFixed(2)} |`,
      )
    }
    md.push('')
  }

  md.push('## Cost by model', '')
  md.push('| model | calls | cost | share |', '|---|--:|--:|--:|')
  for (const m of result.byModel.slice(0, 15)) {
    const note = m.priced
      ? ''
      : m.unpricedCalls === m.llmCalls
        ? ' (unpriced)'
        : m.unpricedCalls > 0
          ? ` (${int(m.unpricedCalls)} calls unpriced)`
          : ' (recorded or estimated cost)'
    md.push(`| ${cell(m.model)}${note} | ${int(m.llmCalls)} | ${usd(m.costUsd)} | ${share(m.costUsd)} |`)
  }
  md.push('')

  if (expensive.length) {
    md.push('## The most expensive traces', '')
    md.push(
      'Cost per LLM call, in order; red is the part flagged as waste (on the call or on the tool calls it made).',
      '',
    )
    expensive.forEach((card, i) => {
      const total = rollupTotals(card)
      const bars = stepBars(card)
      const name = `trace-${i + 1}.svg`
      const title = card.title ?? card.id
      assets.push({name, content: costPerStepSvg(`${title.slice(0, 80)} (${usd(total.costUsd)})`, bars)})
      md.push(`### ${i + 1}. ${cell(title)}`, '')
      md.push(
        `\`${card.id}\` · ${card.source.format} · ${usd(total.costUsd)} · ${int(total.steps)} steps${card.children.length ? ` (incl. ${card.children.length} subagent trace${card.children.length === 1 ? '' : 's'})` : ''} · wasted ${usd(total.wastedUsd)}`,
        '',
      )
      md.push(`![cost per step of ${cell(title)}](${options.assetsDir}/${name})`, '')
      md.push(`\`${sparkline(bars.map(b => b.costUsd))}\``, '')
      const flagged: Array<{trace: TraceCard; step: TraceCard['steps'][number]}> = []
      forEachCard([card], c => {
        for (const step of c.steps) if (step.flags?.length) flagged.push({trace: c, step})
      })
      if (flagged.length) {
        md.push('| trace | step | detector | wasted | why |', '|---|--:|---|--:|---|')
        for (const {trace, step} of flagged.slice(0, 15)) {
          const f = step.flags![0]!
          const where = trace === card ? '' : `\`…${cell(trace.id.slice(card.id.length))}\``
          md.push(`| ${where} | ${step.index} | ${f.kind} | ${usd(f.wastedUsd)} | ${cell(f.reason)} |`)
        }
        if (flagged.length > 15) md.push(`| | | | | … ${flagged.length - 15} more |`)
        md.push('')
      }
    })
  }

  if (result.unpriced.length) {
    md.push('## Unpriced models', '')
    md.push('Their tokens are counted; their cost is not (never counted as $0).', '')
    md.push('| model | calls | tokens | why |', '|---|--:|--:|---|')
    for (const u of result.unpriced) {
      md.push(
        `| ${cell(u.model)} | ${int(u.calls)} | ${compact(u.tokens.input + u.tokens.cacheRead + u.tokens.cacheWrite + u.tokens.output)} | ${cell(u.reason)} |`,
      )
    }
    md.push('')
  }
  if (result.skipped.length) {
    md.push('## Skipped input', '')
    md.push('| file | line | reason |', '|---|--:|---|')
    for (const s of result.skipped.slice(0, 30))
      md.push(`| \`${cell(s.path)}\` | ${s.line ?? ''} | ${cell(s.reason.slice(0, 200))} |`)
    if (result.skipped.length > 30) md.push(`| … | | ${result.skipped.length - 30} more |`)
    md.push('')
  }
  md.push(
    '<sub>Waste is what a step bought nothing for: its share of the LLM call that issued it, plus the cost of carrying its result as context in later calls. A step carries at most one flag and no dollar is counted twice.</sub>',
    '',
  )
  return {markdown: md.join('\n'), assets}
}

/** `--by`: the cost-over-time chart (day, week, month) and the table of the groups. */
function grouped(
  result: AnalyzeResult,
  md: string[],
  assets: Report['assets'],
  assetsDir: string,
  share: (v: number) => string,
): void {
  const g = result.groups
  if (!g?.rows.length) return
  md.push(`## Cost by ${g.by}`, '')
  if (g.by === 'day' || g.by === 'week' || g.by === 'month') {
    const bars = g.rows.map(r => ({label: r.key, costUsd: r.costUsd, wastedUsd: r.wastedUsd}))
    const name = 'cost-over-time.svg'
    assets.push({name, content: costOverTimeSvg(`Cost per ${g.by} (${g.timeZone ?? 'UTC'})`, bars)})
    md.push(`![cost per ${g.by}](${assetsDir}/${name})`, '')
    md.push(`\`${sparkline(bars.map(b => b.costUsd))}\``, '')
  }
  md.push(`| ${g.by} | LLM calls | cost | wasted | share |`, '|---|--:|--:|--:|--:|')
  for (const r of g.rows.slice(0, 60))
    md.push(`| ${cell(r.key)} | ${int(r.llmCalls)} | ${usd(r.costUsd)} | ${usd(r.wastedUsd)} | ${share(r.costUsd)} |`)
  if (g.rows.length > 60) md.push(`| … ${g.rows.length - 60} more | | | | |`)
  md.push('')
}
