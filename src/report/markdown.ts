/**
 * The Markdown report of `aco analyze --report FILE.md`: fit to paste into an
 * issue or a pull request. Charts are SVG files beside the report (GitHub
 * shows them as images once committed) with a text sparkline for places that
 * show no images. Pure: returns the text and the chart files to write.
 */
import {NO_TIME, periodsBetween} from '../analyze/group.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {forEachCard, rollupTotals} from '../card/build.js'
import type {Flag, TraceCard} from '../card/types.js'
import {DETECTORS} from '../flag/registry.js'
import {compact, costText, int, percent, usd} from '../util/format.js'
import {redactId, redactText} from '../util/redact.js'
import {cutAtWord} from '../util/text.js'
import {fromNano, toNano} from '../util/exact.js'
import {formatsLookedFor, UNKNOWN_FORMAT_HINT} from '../detect/unknown-reason.js'
import {safeLine, wholeChars, withVisibleNames} from '../util/control.js'
import {noMentions} from '../util/markdown.js'
import {
  costOverTimeSvg,
  costPerStepSvg,
  sparkline,
  sparkPeriods,
  sparkValue,
  type StepBar,
  type TimeBar,
} from './svg.js'
import {COST_OVER_TIME_CHART, traceChartName} from './write-report.js'
import {
  cacheRateText,
  groupSkipped,
  groupWarnings,
  nothingCountedParts,
  recordedParts,
  timesApart,
  warningGroupText,
} from './wording.js'

export interface ReportOptions {
  /** The folder name (relative to the report) that holds the charts. */
  assetsDir: string
  generatedAt: string
  version: string
  /**
   * Redact what the charts quote (a trace's title) before it is written as SVG: redacting the SVG after would read its
   * markup as the secret's text (an `Authorization:` header's rule runs to the line's end, through `</title>`).
   */
  redact?: boolean
}

export interface Report {
  markdown: string
  assets: Array<{name: string; content: string}>
}

/** The longest a value from a trace stands in the report (a 100 KB model name is cut with "…"). */
const MAX_CELL = 200
/** Reasons are aco's sentences (with what they quote from a trace): longer, and still bounded. */
const MAX_REASON = 5000

/**
 * Text from a trace as Markdown text (a table cell, a heading, alt text): one
 * line, control characters removed, cut to MAX_CELL, and nothing in it read
 * as markup: HTML (`<script>`, `<img onerror>`, `<!--`), links, code spans
 * and emphasis (`__init__.py`, a glob of stars: trial 131) are escaped, as are the
 * table's pipes.
 */
function cell(text: string, max = MAX_CELL): string {
  // (Nor a mention or an issue reference GitHub would link: see noMentions.)
  return noMentions(escaped(text, max))
}

function escaped(text: string, max: number): string {
  const line = safeLine(text)
  const cut = line.length > max ? `${wholeChars(line.slice(0, max - 1))}…` : line
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`|[\]*_~])/g, '\\$1')
}

/**
 * A chart's link, relative to the report: the folder's name percent-encoded, as a URL's path segment (trial 131: a report
 * named `Q3 report.md` linked `Q3 report-assets/…`, which renders as text, and `cost#1.md` a fragment).
 */
function chartLink(assetsDir: string, name: string): string {
  return `${encodeURIComponent(assetsDir)}/${encodeURIComponent(name)}`
}

/** Text from a trace in code type (ids, paths): an HTML code element, whose entities render (and links nothing). */
function code(text: string): string {
  return `<code>${escaped(text, MAX_CELL)}</code>`
}

/**
 * Cost and waste of each LLM call of a card and its subagents, in the order
 * they happened (waste of the tool calls a call made is counted on the call).
 */
function stepBars(card: TraceCard, subagentName: (part: string) => string): StepBar[] {
  const bars: Array<StepBar & {at: string}> = []
  forEachCard([card], c => {
    // A subagent by the part of its id that tells it apart, as the table of flagged steps names it.
    const subagent = c === card ? undefined : `…${subagentName(c.id.slice(card.id.length))}`
    const byId = new Map(c.steps.map(s => [s.id, s]))
    for (const step of c.steps) {
      if (step.kind !== 'llm') continue
      // What this call paid for waste (its own share, drawn in its bar), and what carrying the results it fetched cost
      // the later calls (said beside: trial 113 read "step 14: $0.117, wasted $0.145" under a bar red to the top).
      let wasted = 0
      let carried = 0
      const add = (flags: readonly Flag[] | undefined): void => {
        for (const f of flags ?? []) {
          wasted += f.wastedUsd - (f.carriedUsd ?? 0)
          carried += f.carriedUsd ?? 0
        }
      }
      add(step.flags)
      for (const id of step.toolStepIds ?? []) add(byId.get(id)?.flags)
      bars.push({
        ...(subagent ? {subagent} : {}),
        index: step.index,
        costUsd: step.cost?.usd ?? 0,
        wastedUsd: wasted,
        ...(carried > 0 ? {carriedUsd: carried} : {}),
        ...(typeof step.cost?.usd === 'number' ? {} : {unpricedCalls: 1}),
        at: step.startedAt ?? step.endedAt ?? '',
      })
    }
  })
  // A stable sort keeps source order where times are equal or missing.
  return bars.sort((a, b) => (a.at && b.at ? a.at.localeCompare(b.at) : 0)).map(({at: _at, ...bar}) => bar)
}

/** How many rows each table of the report shows; each says when it is cut and how to see all. */
const MODELS = 15
const TOOLS = 15
const TOP_WASTE = 20
const FLAGGED_PER_TRACE = 15
const WARNING_GROUPS = 10
const SKIP_GROUPS = 15
/** The rows of a `--by` table; the rest are summed in one. */
const GROUP_ROWS = 60

/** A short id for a table: whole when short, else its start and end. */
function shortId(id: string): string {
  const slash = id.indexOf('/')
  const base = slash === -1 ? id : id.slice(0, slash)
  const rest = slash === -1 ? '' : id.slice(slash)
  return (base.length <= 22 ? base : `${base.slice(0, 12)}…${base.slice(-8)}`) + rest
}

export function renderMarkdownReport(
  given: AnalyzeResult,
  expensive: readonly TraceCard[],
  options: ReportOptions,
): Report {
  // (Paths and the names rows go by have their control characters written out, not dropped: a dropped one leaves
  // another file's name, or two rows of one name.)
  const result = withVisibleNames(given, options.redact ? redactText : undefined)
  const t = result.totals
  const share = (v: number): string => (t.costUsd > 0 ? percent(v / t.costUsd, 1) : '—')
  const topLevel = result.traces.filter(r => !r.parentId)
  const md: string[] = []
  const assets: Report['assets'] = []

  if (!result.traces.length) return {markdown: nothingCountedReport(result, options), assets: []}
  md.push('# Where the money went', '')
  md.push(
    `_aco ${options.version}, ${options.generatedAt.slice(0, 10)}: ${int(topLevel.length)} trace${topLevel.length === 1 ? '' : 's'} from ${int(result.files.withTraces)} file${result.files.withTraces === 1 ? '' : 's'}._`,
    '',
  )
  md.push('| | |', '|---|---|')
  // (Nothing priced at all: the cost is not known, not $0, as the terminal says it; trial 131.)
  const noPrice = t.unpricedCalls > 0 && t.unpricedCalls === t.llmCalls && t.costUsd === 0
  md.push(
    `| Cost | **${noPrice ? '—' : usd(t.costUsd)}**${t.unpricedCalls ? ` + ${int(t.unpricedCalls)} unpriced call${t.unpricedCalls === 1 ? '' : 's'} (never counted as $0; see below)` : ''} |`,
  )
  if (result.recordedCost)
    md.push(`| Recorded by the tools | ${cell(recordedParts(result.recordedCost).join('; '), MAX_REASON)} |`)
  const est = result.warnings.estimates
  if (est && (est.countedUsd > 0 || est.notCountedUsd > 0)) {
    const parts: string[] = []
    if (est.countedUsd > 0)
      parts.push(`${usd(est.countedUsd)} of the cost rests on estimated tokens (output the logs under-recorded)`)
    if (est.notCountedUsd > 0)
      parts.push(`≈${usd(est.notCountedUsd)} not counted: calls or tokens the logs do not record`)
    md.push(`| Estimates | ${parts.join('; ')} (see Warnings) |`)
  }
  const flags = result.waste.byDetector.reduce((n, w) => n + w.flags, 0)
  md.push(
    t.wastedUsd > 0 || (flags > 0 && !noPrice)
      ? `| Wasted | **${usd(t.wastedUsd)}** (${share(t.wastedUsd)} of spend) |`
      : flags > 0
        ? `| Wasted | — (${int(flags)} flagged step${flags === 1 ? '' : 's'} of calls with no price) |`
        : '| Wasted | nothing flagged by the waste detectors |',
  )
  md.push(`| LLM calls / tool calls | ${int(t.llmCalls)} / ${int(t.toolCalls)} |`)
  md.push(
    `| Tokens | input ${compact(t.tokens.input)} · output ${compact(t.tokens.output)} · cache read ${compact(t.tokens.cacheRead)} · cache write ${compact(t.tokens.cacheWrite)} · reasoning ${compact(t.tokens.reasoning)} |`,
  )
  md.push(`| Cache hit rate | ${cacheRateText(t.cacheHitRate, t.cacheRecordedShare).replace(/^cache hit rate /, '')} |`)
  if (result.files.repeats)
    md.push(
      `| Repeats | ${int(result.files.repeats)} file${result.files.repeats === 1 ? '' : 's'} only repeat traces read from others (the same responses, by their ids): counted once |`,
    )
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
        `| ${r.kind} | ${cell(DETECTORS[r.kind as keyof typeof DETECTORS]?.description ?? '')} | ${int(r.flags)} | ${costText(r.wastedUsd, r.unpricedFlags ?? 0)} | ${r.unpricedFlags === r.flags ? '—' : share(r.wastedUsd)} |`,
      )
    }
  } else md.push('No step was flagged.')
  md.push('')

  if (result.waste.top.length) {
    const flags = result.waste.byDetector.reduce((n, r) => n + r.flags, 0)
    md.push('## Top waste', '')
    md.push('| wasted | detector | trace | step | why | confidence |', '|--:|---|---|--:|---|--:|')
    for (const w of result.waste.top.slice(0, TOP_WASTE)) {
      md.push(
        `| ${w.unpriced ? '—' : usd(w.wastedUsd)} | ${w.kind} | ${code(w.traceId)} | ${w.stepIndex} | ${cell(w.reason, MAX_REASON)} | ${w.confidence.toFixed(2)} |`,
      )
    }
    if (flags > TOP_WASTE)
      md.push(
        `| | | | | … ${int(flags - TOP_WASTE)} more flagged steps: \`aco analyze --json\` lists the ${int(Math.min(flags, result.waste.top.length))} costliest, \`aco review\` all | |`,
      )
    md.push('')
  }

  // (`--by model` prints its own table of them, with the waste of each: one section of that name, trial 131.)
  if (result.groups?.by !== 'model') md.push(...byModelSection(result, share))
  md.push(...byToolSection(result, share))

  const disagreements = result.recordedCost?.disagreements ?? []
  if (disagreements.length) {
    md.push('## Recorded against computed', '')
    md.push(
      'Traces whose cost computed from their tokens at catalog prices is over 2× off the cost their tool recorded for the same calls.',
      '',
    )
    md.push('| trace | recorded | computed | | likely reason |', '|---|--:|--:|--:|---|')
    for (const d of disagreements)
      md.push(
        `| ${code(d.traceId)} | ${usd(d.recordedUsd)} | ${usd(d.computedUsd)} | ${timesApart(d.recordedUsd, d.computedUsd)} | ${cell(d.reason, MAX_REASON)} |`,
      )
    md.push('')
  }

  if (expensive.length) {
    md.push('## The most expensive traces', '')
    md.push(
      'Cost per LLM call, in order; red is the part flagged as waste (on the call or on the tool calls it made).',
      '',
    )
    expensive.forEach((card, i) => {
      const total = rollupTotals(card)
      const bars = stepBars(card, part => (options.redact ? redactText(part) : part))
      const name = traceChartName(i)
      const title = card.title ?? card.id
      const cost = costText(total.costUsd, total.unpricedCalls)
      const chartTitle = `${cutAtWord(options.redact ? redactText(title) : title, 80)} (${cost})`
      assets.push({name, content: costPerStepSvg(chartTitle, bars)})
      md.push(`### ${i + 1}. ${cell(title)}`, '')
      // (Its id as the cards and the result write it: with the digest that tells apart ids redacted alike, review 109.)
      const id = options.redact ? redactId(card.id) : card.id
      md.push(
        `${code(id)} · ${cell(card.source.format)} · ${cost} · ${int(total.steps)} steps${card.children.length ? ` (incl. ${card.children.length} subagent trace${card.children.length === 1 ? '' : 's'})` : ''} · wasted ${usd(total.wastedUsd)}`,
        '',
      )
      md.push(`![cost per step of ${cell(cutAtWord(title, 80))}](${chartLink(options.assetsDir, name)})`, '')
      md.push(sparkLine(bars, 'LLM calls'), '')
      const flagged: Array<{trace: TraceCard; step: TraceCard['steps'][number]}> = []
      forEachCard([card], c => {
        for (const step of c.steps) if (step.flags?.length) flagged.push({trace: c, step})
      })
      if (flagged.length) {
        md.push('| trace | step | detector | wasted | why |', '|---|--:|---|--:|---|')
        // The costliest flagged steps, shown in the order they ran (the new user's trial 40: cut in step order, the
        // table kept $0.0035 rows and hid $0.02 ones). The flags of a step count once, as the totals count them.
        const wasted = (step: TraceCard['steps'][number]): number =>
          (step.flags ?? []).reduce((n, f) => n + (f.unpriced ? 0 : f.wastedUsd), 0)
        const kept = new Set([...flagged].sort((a, b) => wasted(b.step) - wasted(a.step)).slice(0, FLAGGED_PER_TRACE))
        for (const {trace, step} of flagged.filter(f => kept.has(f))) {
          const f = step.flags![0]!
          // The trace itself by its short id, a subagent by the part of its id that tells it apart.
          // (Cut from the id as written, never from the id as read: 15 characters of a token had shown, review 109.)
          const part = trace.id.slice(card.id.length)
          const where = trace === card ? shortId(id) : `…${options.redact ? redactText(part) : part}`
          md.push(
            `| ${code(where)} | ${step.index} | ${f.kind} | ${f.unpriced ? '—' : usd(f.wastedUsd)} | ${cell(f.reason, MAX_REASON)} |`,
          )
        }
        if (flagged.length > FLAGGED_PER_TRACE)
          md.push(
            `| | | | | … ${flagged.length - FLAGGED_PER_TRACE} more flagged steps in this trace, none costlier than these (\`aco review\` shows them all) |`,
          )
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
        `| ${cell(u.model)} | ${int(u.calls)} | ${compact(u.tokens.input + u.tokens.cacheRead + u.tokens.cacheWrite + u.tokens.output)} | ${cell(u.reason, MAX_REASON)} |`,
      )
    }
    md.push('')
  }
  if (result.warnings.count) {
    const groups = groupWarnings(result.warnings)
    md.push('## Warnings', '')
    md.push(
      `${int(result.warnings.count)} while reading traces that were counted; the same warning in many traces is one row.`,
      '',
    )
    md.push('| traces | warning |', '|--:|---|')
    for (const g of groups.slice(0, WARNING_GROUPS))
      md.push(`| ${int(g.traces)} | ${cell(warningGroupText(g), MAX_REASON)} |`)
    if (groups.length > WARNING_GROUPS)
      md.push(
        `| | … ${int(groups.length - WARNING_GROUPS)} other warnings (\`aco analyze --json\` lists every one in \`warnings.groups\`) |`,
      )
    md.push('')
  }
  md.push(...skippedSection(result))
  md.push(
    '<sub>Waste is what a step bought nothing for: its share of the LLM call that issued it, plus the cost of carrying its result as context in later calls. A step carries at most one flag and no dollar is counted twice.</sub>',
    '',
  )
  return {markdown: md.join('\n'), assets}
}

/** Skipped input grouped by reason, each reason whole and once. */
function skippedSection(result: AnalyzeResult): string[] {
  if (!result.skipped.length) return []
  const md: string[] = []
  const groups = groupSkipped(result.skipped)
  md.push('## Skipped input', '')
  md.push(
    `${int(result.skipped.length)} problem${result.skipped.length === 1 ? '' : 's'}, grouped by reason${result.traces.length ? '; everything else was read' : ''}.`,
    '',
  )
  md.push('| problems | files | reason |', '|--:|---|---|')
  // (The formats an unknown file was compared with, ~4,000 characters, are listed once below the table, not in a cell
  // of it: trial 82 met a wall of text.)
  let lookedFor: string[] | undefined
  for (const g of groups.slice(0, SKIP_GROUPS)) {
    const formats = formatsLookedFor(g.reason)
    if (formats) lookedFor ??= formats
    const files = g.files.slice(0, 3).map(f => {
      const n = f.lines.length
      const lines = n ? ` (line${n === 1 ? '' : 's'} ${f.lines.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''})` : ''
      return `${code(f.path.split('/').pop() ?? f.path)}${lines}`
    })
    md.push(
      `| ${int(g.problems)} | ${files.join(', ')}${g.files.length > 3 ? ` and ${int(g.files.length - 3)} more` : ''} | ${cell(formats ? `unknown format: none of the formats listed below the table. ${UNKNOWN_FORMAT_HINT}` : g.reason, MAX_REASON)} |`,
    )
  }
  if (groups.length > SKIP_GROUPS)
    md.push(`| | | … ${int(groups.length - SKIP_GROUPS)} other reasons (\`aco analyze --json\` lists every problem) |`)
  md.push('')
  if (lookedFor)
    md.push(
      'The formats a file of unknown format was compared with:',
      '',
      // (Escaped as any text: `<model>` went as HTML, and `gen_ai.*, … llm.*` read as emphasis; trial 131.)
      ...lookedFor.map(f => `- ${cell(f, MAX_REASON)}`),
      '',
    )
  return md
}

/**
 * The bars as a text sparkline in a code span, saying when one character sums several of them (past 60), or a blank
 * would read as one empty period.
 */
function sparkLine(bars: ReadonlyArray<{costUsd: number; unpricedCalls?: number}>, what: string, more = ''): string {
  const per = sparkPeriods(bars.length)
  return `\`${sparkline(bars.map(sparkValue))}\`${per > 1 ? ` (a character for every ${per} ${what}, in order${more})` : ''}`
}

/** The report when no trace was counted: what was found, and why none of it counted. */
function nothingCountedReport(result: AnalyzeResult, options: ReportOptions): string {
  const n = nothingCountedParts(result)
  const md = ['# Where the money went', '']
  md.push(`_aco ${options.version}, ${options.generatedAt.slice(0, 10)}: no trace counted._`, '')
  md.push(`${n.line}.${n.passedOver ? ` ${n.passedOver}.` : ''}`, '')
  if (result.nothingToCount.length) {
    md.push('| file | why it holds nothing to count |', '|---|---|')
    for (const item of result.nothingToCount) md.push(`| ${code(item.path)} | ${cell(item.reason)} |`)
    md.push('')
  }
  md.push(...skippedSection(result))
  return md.join('\n')
}

/**
 * The bars of the cost-over-time chart: one per period from the first to the last, those with no call empty (so bars
 * stand where their time is), then the steps with no time.
 */
function timeBars(
  by: 'day' | 'week' | 'month',
  rows: NonNullable<AnalyzeResult['groups']>['rows'],
): {bars: TimeBar[]; byTime: boolean} {
  const bar = (r: (typeof rows)[number]): TimeBar => ({
    label: r.key,
    costUsd: r.costUsd,
    wastedUsd: r.wastedUsd,
    unpricedCalls: r.unpricedCalls ?? 0,
    ...(r.inputUnrecordedCalls ? {floor: true} : {}),
  })
  const timed = rows.filter(r => r.key !== NO_TIME)
  const keys = timed.length ? periodsBetween(by, timed[0]!.key, timed[timed.length - 1]!.key) : undefined
  // (One period, or none, is spaced by time as it is.)
  if (!keys) return {bars: rows.map(bar), byTime: timed.length < 2}
  const byKey = new Map(timed.map(r => [r.key, r]))
  const bars = keys.map(k => {
    const r = byKey.get(k)
    return r ? bar(r) : {label: k, costUsd: 0, wastedUsd: 0}
  })
  // (Every row's key is among the periods, or the rows would be drawn as they are.)
  if (bars.length - keys.filter(k => !byKey.has(k)).length !== timed.length) return {bars: rows.map(bar), byTime: false}
  return {bars: [...bars, ...rows.filter(r => r.key === NO_TIME).map(bar)], byTime: true}
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
  md.push(g.by === 'block' ? '## Cost by 5-hour block' : `## Cost by ${g.by}`, '')
  if (g.by === 'block') {
    // (Blocks stand side by side, each dated by its start: a block is where calls were, not a period of the calendar.)
    const bars = g.rows.map(r => ({
      label: r.key,
      costUsd: r.costUsd,
      wastedUsd: r.wastedUsd,
      unpricedCalls: r.unpricedCalls ?? 0,
      ...(r.inputUnrecordedCalls ? {floor: true} : {}),
    }))
    const name = COST_OVER_TIME_CHART
    assets.push({
      name,
      content: costOverTimeSvg(`Cost per 5-hour block (${g.timeZone ?? 'UTC'}, by start), side by side`, bars),
    })
    md.push(`![cost per 5-hour block](${chartLink(assetsDir, name)})`, '')
    md.push(
      `A block is a 5-hour billing window as ccusage draws them: it starts at the hour of the first call after the block before it ended. Blocks are named by their start, in ${g.timeZone ?? 'UTC'}.`,
      '',
    )
    md.push(sparkLine(bars, 'blocks', '; blank: none of them cost anything'), '')
  } else if (g.by === 'day' || g.by === 'week' || g.by === 'month') {
    const {bars, byTime} = timeBars(g.by, g.rows)
    const name = COST_OVER_TIME_CHART
    // Past 4,000 periods (a stray date of 1970 among this year's) the bars stand side by side, which the chart says.
    const spacing = byTime ? '' : ', the periods with calls side by side: not to scale in time'
    assets.push({name, content: costOverTimeSvg(`Cost per ${g.by} (${g.timeZone ?? 'UTC'})${spacing}`, bars)})
    md.push(`![cost per ${g.by}](${chartLink(assetsDir, name)})`, '')
    if (!byTime) {
      const timed = g.rows.filter(r => r.key !== NO_TIME)
      md.push(
        `The calls span ${cell(timed[0]!.key)} to ${cell(timed[timed.length - 1]!.key)}, more ${g.by}s than a chart spaces by time: the chart and the line below show only the ${g.by}s with calls, side by side.`,
        '',
      )
    }
    md.push(sparkLine(bars, `${g.by}s`, '; blank: none of them cost anything'), '')
  }
  // Past GROUP_ROWS rows, the rest summed in one (trial 131: "… 218 more" had hidden 91% of the spend): by time the
  // latest periods shown and the earlier summed above them, else the costliest shown and the rest below.
  type Row = (typeof g.rows)[number]
  const byTime = g.by === 'day' || g.by === 'week' || g.by === 'month' || g.by === 'block'
  let shown: Row[] = g.rows
  let rest: Row[] = []
  if (g.rows.length > GROUP_ROWS) {
    if (byTime) {
      const none = g.rows.filter(r => r.key === NO_TIME)
      const timed = g.rows.filter(r => r.key !== NO_TIME)
      const cut = timed.length - (GROUP_ROWS - none.length)
      rest = timed.slice(0, cut)
      shown = [...timed.slice(cut), ...none]
    } else {
      rest = g.rows.slice(GROUP_ROWS)
      shown = g.rows.slice(0, GROUP_ROWS)
    }
  }
  const line = (
    name: string,
    r: Pick<Row, 'llmCalls' | 'costUsd' | 'wastedUsd' | 'unpricedCalls' | 'inputUnrecordedCalls'>,
  ) =>
    `| ${name} | ${int(r.llmCalls)} | ${r.inputUnrecordedCalls ? '≥' : ''}${costText(r.costUsd, r.unpricedCalls ?? 0)} | ${r.wastedUsd > 0 ? usd(r.wastedUsd) : ''} | ${r.costUsd === 0 && r.unpricedCalls ? '—' : share(r.costUsd)} |`
  const summed = (): string => {
    let cost = 0
    let wasted = 0
    let calls = 0
    let unpriced = 0
    let unrecorded = 0
    for (const r of rest) {
      cost += toNano(r.costUsd)
      wasted += toNano(r.wastedUsd)
      calls += r.llmCalls
      unpriced += r.unpricedCalls ?? 0
      unrecorded += r.inputUnrecordedCalls ?? 0
    }
    const what = byTime ? `earlier ${g.by === 'block' ? 'blocks' : `${g.by}s`}` : 'more'
    return line(`… ${int(rest.length)} ${what}, together`, {
      llmCalls: calls,
      costUsd: fromNano(cost),
      wastedUsd: fromNano(wasted),
      unpricedCalls: unpriced,
      inputUnrecordedCalls: unrecorded,
    })
  }
  md.push(`| ${g.by} | LLM calls | cost | wasted | share |`, '|---|--:|--:|--:|--:|')
  if (rest.length && byTime) md.push(summed())
  const models = g.by === 'model' ? new Map(result.byModel.map(m => [m.model, m])) : undefined
  const note = (key: string): string => {
    const m = models?.get(key)
    return m && !m.priced && m.unpricedCalls === 0 ? ' (recorded or estimated cost)' : ''
  }
  for (const r of shown) md.push(line(`${cell(r.key)}${note(r.key)}${r.active ? ' (now)' : ''}`, r))
  if (rest.length && !byTime) md.push(summed())
  md.push('')
  if (rest.length) md.push(`\`aco analyze --by ${g.by} --json\` lists every ${g.by === 'block' ? 'block' : g.by}.`, '')
  if (g.rows.some(r => r.inputUnrecordedCalls))
    md.push('≥: the row holds calls whose input the logs do not record; their input is not counted (see Warnings).', '')
}

/** The cost of each model, the costliest first, the rest summed. */
function byModelSection(result: AnalyzeResult, share: (v: number) => string): string[] {
  const md: string[] = ['## Cost by model', '']
  md.push('| model | calls | cost | share |', '|---|--:|--:|--:|')
  for (const m of result.byModel.slice(0, MODELS)) {
    const note = m.priced || m.unpricedCalls > 0 ? '' : ' (recorded or estimated cost)'
    md.push(
      `| ${cell(m.model)}${note} | ${int(m.llmCalls)} | ${m.inputUnrecordedCalls ? '≥' : ''}${costText(m.costUsd, m.unpricedCalls)} | ${m.costUsd === 0 && m.unpricedCalls ? '—' : share(m.costUsd)} |`,
    )
  }
  if (result.byModel.length > MODELS) {
    const rest = result.byModel.slice(MODELS)
    const calls = rest.reduce((n, m) => n + m.llmCalls, 0)
    const cost = rest.reduce((n, m) => n + m.costUsd, 0)
    const unpriced = rest.reduce((n, m) => n + m.unpricedCalls, 0)
    md.push(
      `| … ${int(rest.length)} more models (\`aco analyze --json\` lists all, in byModel) | ${int(calls)} | ${costText(cost, unpriced)} | ${share(cost)} |`,
    )
  }
  md.push('')
  return md
}

/** What the LLM calls that issued each tool cost (the terminal's Cost by tool; trial 131 missed it in the report). */
function byToolSection(result: AnalyzeResult, share: (v: number) => string): string[] {
  if (!result.byTool.length) return []
  const md = [
    '## Cost by tool',
    '',
    'The cost of the LLM calls that issued each tool, shared among the tools a call issued.',
    '',
  ]
  md.push('| tool | calls | errors | cost | share |', '|---|--:|--:|--:|--:|')
  for (const t of result.byTool.slice(0, TOOLS))
    md.push(
      `| ${cell(t.tool)} | ${int(t.calls)} | ${t.errors ? int(t.errors) : ''} | ${costText(t.costUsd, t.unpricedCalls)} | ${t.costUsd === 0 && t.unpricedCalls ? '—' : share(t.costUsd)} |`,
    )
  if (result.byTool.length > TOOLS) {
    const rest = result.byTool.slice(TOOLS)
    let cost = 0
    for (const t of rest) cost += toNano(t.costUsd)
    md.push(
      `| … ${int(rest.length)} more tools (\`aco analyze --json\` lists all, in byTool) | ${int(rest.reduce((n, t) => n + t.calls, 0))} | ${int(rest.reduce((n, t) => n + t.errors, 0))} | ${costText(
        fromNano(cost),
        rest.reduce((n, t) => n + t.unpricedCalls, 0),
      )} | ${share(fromNano(cost))} |`,
    )
  }
  md.push('')
  return md
}
