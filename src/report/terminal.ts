/**
 * The human output of `aco analyze`: one screen that says where the money
 * went. Pure: takes the result and the terminal's width and colour support,
 * returns text.
 */
import {Chalk, type ChalkInstance} from 'chalk'
import {dayIn} from '../analyze/group.js'
import {wallClock} from '../analyze/window.js'
import {TOP_WASTE} from '../analyze/aggregate.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {safeStrings, stripSgr, withVisibleNames} from '../util/control.js'
import {redactText} from '../util/redact.js'
import {compact, costText, int, percent, usd} from '../util/format.js'
import {fitPath, fitWidth, textWidth, wrapWords} from '../util/width.js'
import {ACO_OUTPUT} from '../analyze/process-unit.js'
import {table} from './table.js'
import {
  cacheRateText,
  groupWarnings,
  nothingCountedParts,
  recordedParts,
  timesApart,
  warningGroupText,
} from './wording.js'
import {formatsLookedFor, UNKNOWN_FORMAT_HINT} from '../detect/unknown-reason.js'

/** The longest any value from a trace is kept before fitting (tables and lines cut it further to the width). */
const MAX_FIELD = 5000

export interface RenderOptions {
  width: number
  color: boolean
  top: number
  /** Rows of the top waste (two lines each); defaults to `top`. */
  topWaste?: number
  /** The command the screen's first line names (`aco merge` prints a merged result). */
  command?: string
  /** The zone of `--tz` (or the machine's, when the run read dates): the days the screen shows are its days. */
  timeZone?: string
  /** Secrets are redacted (default; `--no-redact`: false): text made printable is checked again. */
  redact?: boolean
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
export function renderAnalyze(raw: AnalyzeResult, options: RenderOptions): string {
  // What traces put in the result (tool names, models, titles, paths, reasons) reaches a terminal: escape
  // sequences and control characters go, and no value is longer than a few screens.
  // (Paths and the names rows go by first have their control characters written out: dropped, they would name another
  // file, trial 78, or show two rows of one name, trial 84.)
  const redact = options.redact === false ? undefined : (text: string) => redactText(text)
  const result = safeStrings(withVisibleNames(raw, redact), MAX_FIELD, redact)
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
  // Nothing counted: say what was found and why none of it counted, not a summary of zeros.
  if (result.traces.length === 0) return `${[...nothingCounted(screen), ...skipped(screen)].join('\n')}\n`
  const out = [
    ...summary(screen),
    ...grouped(screen),
    ...byModel(screen),
    ...byTool(screen),
    ...topTraces(screen),
    ...waste(screen),
    ...disagreements(screen),
    ...unpriced(screen),
    ...warnings(screen),
    ...skipped(screen),
  ]
  return `${out.join('\n')}\n`
}

/** When no trace was counted: what the files were, and why none of them counted. */
function nothingCounted({result, options, c, width}: Screen): string[] {
  const f = result.files
  const n = nothingCountedParts(result)
  const out = [
    c.bold(options.command ?? 'aco analyze') +
      c.dim(` · no trace counted in ${int(f.read)} file${f.read === 1 ? '' : 's'}`),
    '',
    ...wrapParts('  ', '    ', [n.line], width),
    ...(n.passedOver ? [`  ${n.passedOver}`] : []),
    ...(result.window ? windowLines(result.window, options.timeZone, width).map(l => c.dim(l)) : []),
  ]
  // (Files of one reason, one after another, under it once: a folder of OpenCode's old storage had said it ten times.)
  const listed = result.nothingToCount.slice(0, 10)
  listed.forEach((item, k) => {
    out.push(`    ${fitPath(item.path, width - 4)}`)
    if (listed[k + 1]?.reason === item.reason) return
    for (const line of wrapWords(item.reason, width - 6)) out.push(`      ${c.dim(line)}`)
  })
  // (Counted from the files' counts: the list in --json stops at its first 100; trial 130's 1,539 read "… 90 more".)
  const all = Math.max(result.nothingToCount.length, f.companions + f.empty)
  if (all > listed.length)
    out.push(
      c.dim(
        `    … ${int(all - listed.length)} more (${all > result.nothingToCount.length ? `--json lists the first ${int(result.nothingToCount.length)}` : '--json'})`,
      ),
    )
  return out
}

/** A time's day: in the run's zone when it read dates in one, else in UTC (the time's own date). */
function dayOf(options: RenderOptions): (iso: string) => string {
  return options.timeZone ? dayIn(options.timeZone) : iso => iso.slice(0, 10)
}

/** The title line and the totals: cost, waste, tokens, steps. */
function summary({result, options, c, width, topLevel}: Screen): string[] {
  const t = result.totals
  const subagents = result.traces.length - topLevel.length
  // From the first trace's start to the last step's end (a session resumed weeks later runs on to its last call).
  const starts = result.traces.map(r => r.startedAt).filter((d): d is string => !!d)
  const ends = result.traces.map(r => r.endedAt ?? r.startedAt).filter((d): d is string => !!d)
  const first = starts.reduce<string | undefined>((a, d) => (a === undefined || d < a ? d : a), undefined)
  const last = ends.reduce<string | undefined>((a, d) => (a === undefined || d > a ? d : a), undefined)
  const day = dayOf(options)
  const span = first && last ? ` · ${day(first)} → ${day(last)}` : ''
  const out: string[] = []
  const command = options.command ?? 'aco analyze'
  const counts = ` · ${int(topLevel.length)} trace${topLevel.length === 1 ? '' : 's'}${subagents ? ` (+${int(subagents)} subagent${subagents === 1 ? '' : 's'})` : ''} from ${int(result.files.withTraces)} file${result.files.withTraces === 1 ? '' : 's'}`
  // The dates go on a line of their own where the title would not fit the width.
  const fits = textWidth(command + counts + span) <= width
  out.push(c.bold(command) + c.dim(fitWidth(fits ? counts + span : counts, width - textWidth(command))))
  if (!fits && span) out.push(c.dim(fitWidth(`  ${span.slice(3)}`, width)))
  // aco's own outputs found among the traces: said, so a reader knows they were not counted (and not a problem).
  // (Named, up to three, the rest counted: trial 82 could not tell which files they were; --json lists them.)
  const owned = result.nothingToCount.filter(n => n.reason.startsWith(ACO_OUTPUT))
  const own = owned.length
  if (own) {
    const named = owned.slice(0, own > 3 ? 2 : 3).map(n => n.path)
    if (own > named.length) named.push(`and ${int(own - named.length)} more (nothingToCount in --json)`)
    const head = `${int(own)} file${own === 1 ? '' : 's'} of aco's own kinds (cards, index, results, outcome tables): skipped`
    out.push(...wrapParts('  ', '    ', [head, ...named], width).map(l => c.dim(l)))
  }
  out.push('')
  const unpricedNote = t.unpricedCalls
    ? c.yellow(`  + ${int(t.unpricedCalls)} unpriced call${t.unpricedCalls === 1 ? '' : 's'} (below)`)
    : ''
  // Nothing priced at all (a log without token counts, models the catalog lacks): the cost is not known, not $0.
  const none = t.unpricedCalls > 0 && t.unpricedCalls === t.llmCalls && t.costUsd === 0
  out.push(`  ${c.dim('Cost')}        ${c.bold(none ? '—' : usd(t.costUsd))}${unpricedNote}`)
  const rc = result.recordedCost
  if (rc) out.push(...wrapParts('              ', '              ', recordedParts(rc), width).map(l => c.dim(l)))
  const est = result.warnings.estimates
  // (Wrapped as the recorded cost above them is, not cut: at 80 columns "(see…" hid where to look; trial 126.)
  const indented = (text: string): string[] =>
    wrapWords(text, Math.max(20, width - 14)).map(line => `              ${line}`)
  if (est && est.countedUsd >= 0.005)
    out.push(
      ...indented(
        `${usd(est.countedUsd)} of it rests on estimated tokens (output the logs under-recorded; see Warnings)`,
      ).map(l => c.dim(l)),
    )
  if (est && est.notCountedUsd > 0)
    out.push(
      ...indented(
        `+ ≈${usd(est.notCountedUsd)} not counted: calls or tokens the logs do not record (see Warnings)`,
      ).map(l => c.yellow(l)),
    )
  if (t.wastedUsd > 0)
    out.push(
      `  ${c.dim('Wasted')}      ${c.red(usd(t.wastedUsd))} ${c.dim(`(${percent(t.costUsd ? t.wastedUsd / t.costUsd : 0, 1)} of spend; see Waste below)`)}`,
    )
  // (The detectors ran and flagged nothing: said, so a reader does not wonder whether they ran.)
  // (With no tool call the tool detectors had nothing to judge: said too, not left out; trial 116.)
  else if (t.llmCalls + t.toolCalls > 0 && !result.waste.byDetector.some(w => w.flags > 0))
    out.push(
      `  ${c.dim('Wasted')}      ${c.dim(`nothing flagged by the waste detectors${t.toolCalls === 0 ? ' (no tool call to judge, only the context over LLM calls)' : ''}`)}`,
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
        cacheRateText(t.cacheHitRate, t.cacheRecordedShare),
      ],
      width,
    ),
  )
  const copies = result.files.repeats
  if (copies) {
    // (Wrapped, not cut: the files are what a reader looks for here; past a few, their count.)
    const names = result.repeatedFiles.map(r => r.path.split('/').slice(-2).join('/'))
    const shown = names.slice(0, MAX_REPEATS_NAMED)
    const more = copies - shown.length
    out.push(
      ...wrapParts(
        `  ${c.dim('Repeats')}     `,
        '              ',
        [
          `${int(copies)} file${copies === 1 ? ' repeats a trace' : 's repeat traces'} read from another (the same responses, by their ids), counted once:`,
          ...shown.map((n, k) => (k < shown.length - 1 || more > 0 ? `${n},` : n)),
          ...(more > 0 ? [`and ${int(more)} more (--json: repeatedFiles)`] : []),
        ],
        width,
        ' ',
      ),
    )
  } else if (result.repeatedResponses)
    out.push(
      `  ${c.dim('Repeats')}     ${fitWidth(
        `${int(result.repeatedResponses)} response${result.repeatedResponses === 1 ? '' : 's'} found in more than one file (a resumed session copies earlier ones), counted once`,
        width - 14,
      )}`,
    )
  return out
}

/** How many of the files that repeat traces the terminal names. */
const MAX_REPEATS_NAMED = 12

/**
 * `--since`/`--until`: the window, the files it kept from being opened, the steps it left out; wrapped at its parts
 * where it would not fit (a pipe gets it whole too).
 */
function windowLines(w: NonNullable<AnalyzeResult['window']>, timeZone: string | undefined, width: number): string[] {
  // In the zone the dates were read in, UTC too, always as one kind of clock time (a time the clocks skipped shows
  // where it landed); --json has the instants.
  const local = timeZone !== undefined
  const at = (iso: string): string => (local ? localMinute(iso, timeZone) : iso.replace('.000Z', 'Z'))
  const range = `${w.since ? at(w.since) : 'the start'} → ${w.until ? at(w.until) : 'now'}${local ? ` (${timeZone})` : ''}`
  const parts = [
    `  Window ${range}`,
    `${int(w.filesSkipped)} older file${w.filesSkipped === 1 ? '' : 's'} ${w.filesPlacingBlocks ? (w.filesPlacingBlocks === w.filesSkipped ? 'read only to place the blocks' : `not counted (${int(w.filesPlacingBlocks)} read only to place the blocks)`) : 'not opened'}`,
    `${int(w.stepsOutside)} step${w.stepsOutside === 1 ? '' : 's'} outside or undated`,
  ]
  return wrapParts('', '    ', parts, width)
}

/** An instant as the zone's clocks show it, to the minute (`2026-03-08 03:30`). */
function localMinute(iso: string, timeZone: string): string {
  const ms = Date.parse(iso)
  const wall = new Date(wallClock(ms, timeZone) + (((ms % 1000) + 1000) % 1000)).toISOString()
  // To the minute, else to the second, else to the millisecond, as far as the edge goes (trial 34: 10:00:05 → 10:00:15
  // read "10:00 → 10:00"; review 34: .200 → .800 read "10:00 → 10:00").
  const end = wall.slice(20, 23) !== '000' ? 23 : wall.slice(17, 19) !== '00' ? 19 : 16
  return wall.slice(0, end).replace('T', ' ')
}

/** `--by`: the totals split by one key; time rows all, in order (a chart in the terminal), the others the top ones. */
function grouped({result, options, c, width, share, header}: Screen): string[] {
  const g = result.groups
  const out: string[] = []
  if (result.window) out.push('', ...windowLines(result.window, options.timeZone, width).map(l => c.dim(l)))
  if (!g?.rows.length) return out
  const time = g.by === 'day' || g.by === 'week' || g.by === 'month' || g.by === 'block'
  const rows = time ? g.rows : g.rows.slice(0, options.top)
  // (`--by model` is the table of models: its rows carry `Cost by model`'s `*` and note, trial 78.)
  const models = g.by === 'model' ? new Map(result.byModel.map(m => [m.model, m])) : undefined
  const model = (key: string) => models?.get(key)
  const max = Math.max(...rows.map(r => r.costUsd), 1e-12)
  // (A block: a 5-hour billing window, dated by its start.)
  const title = g.by === 'block' ? 'Cost by 5-hour block' : `Cost by ${g.by}`
  // (Blocks of several agents: the agent in a column of its own, not at the end of a key a narrow screen cuts, with
  // `(now)` after it; review 132.)
  const agents = g.by === 'block' && new Set(rows.map(r => r.agent)).size > 1
  const keyText = (r: (typeof rows)[number]): string =>
    agents && r.agent && r.key.endsWith(` ${r.agent}`) ? r.key.slice(0, -r.agent.length - 1) : r.key
  out.push('', c.bold(title) + c.dim(g.timeZone ? `  (${g.timeZone}${g.by === 'block' ? ', by start' : ''})` : ''))
  out.push(
    ...table(
      [
        // (Sessions and projects are told apart by their ends: `…/opencoder.aider.chat.history.md@2025-…`.)
        {header: g.by, flex: true, min: g.by === 'block' ? 16 : 10, keepEnd: g.by === 'session' || g.by === 'project'},
        ...(agents ? [{header: 'agent'}] : []),
        {header: 'calls', align: 'right'},
        {header: 'tokens', align: 'right'},
        {header: 'cost', align: 'right'},
        {header: 'wasted', align: 'right'},
        {header: 'share', align: 'right'},
        {header: ''},
      ],
      rows.map(r => [
        keyText(r) + (model(r.key)?.priced === false ? ' *' : '') + (r.active ? ' (now)' : ''),
        ...(agents ? [r.agent ?? ''] : []),
        int(r.llmCalls),
        compact(r.tokens.input + r.tokens.cacheRead + r.tokens.cacheWrite + r.tokens.output),
        // (`≥`: calls whose input the logs do not record are in the row by their output alone.)
        // (A period of unpriced calls alone says how many, `— (5 unpriced)`, as every other table does; trial 72.)
        `${r.inputUnrecordedCalls ? '≥' : ''}${costText(r.costUsd, r.unpricedCalls ?? 0, r.costUsd > 0)}`,
        r.wastedUsd > 0 ? usd(r.wastedUsd) : '',
        r.costUsd === 0 && r.unpricedCalls ? '—' : percent(share(r.costUsd)),
        // (Narrower beside an agent column: the block's start keeps its 16 columns at 80.)
        bar(r.costUsd / max, agents ? 8 : 12),
      ]),
      width,
      {
        header,
        cell: (s, col) => {
          const k = agents ? col - 1 : col
          return k === 6 ? c.cyan(s) : k === 4 && s.trim() ? c.red(s) : s
        },
      },
    ),
  )
  const hidden = g.rows.slice(rows.length).map(r => model(r.key))
  const hiddenUnpriced = hidden.filter(m => m?.priced === false).length
  const listed = hidden.some(m => m?.priced === false && m.unpricedCalls > 0) ? ' (see Unpriced below)' : ''
  if (rows.length < g.rows.length)
    out.push(
      c.dim(
        fitWidth(
          `  … ${g.rows.length - rows.length} more (--top)${hiddenUnpriced ? `, ${hiddenUnpriced} of them with calls not priced${listed}` : ''}`,
          width,
        ),
      ),
    )
  if (rows.some(r => r.costUsd > 0 && r.unpricedCalls)) out.push(c.dim('  $…+: and calls with no price (not counted)'))
  if (rows.some(r => r.inputUnrecordedCalls))
    out.push(c.dim('  ≥$…: and the input of calls the logs do not record (not counted; see Warnings)'))
  if (models)
    out.push(
      ...starNote(
        rows.flatMap(r => model(r.key) ?? []),
        c,
        width,
      ),
    )
  return out
}

function byModel({result, options, c, width, share, header}: Screen): string[] {
  // (`--by model` prints its own table of them, with the waste of each.)
  if (!result.byModel.length || result.groups?.by === 'model') return []
  const out = ['', c.bold('Cost by model')]
  const rows = result.byModel
    .slice(0, options.top)
    .map(m => [
      m.model + (m.priced ? '' : ' *'),
      int(m.llmCalls),
      compact(m.tokens.input + m.tokens.cacheRead + m.tokens.cacheWrite + m.tokens.output),
      `${m.inputUnrecordedCalls ? '≥' : ''}${costText(m.costUsd, m.unpricedCalls)}`,
      m.costUsd === 0 && m.unpricedCalls ? '—' : percent(share(m.costUsd)),
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
  // (The models past --top the catalog does not price are counted on the line that hides them: the note on `*` speaks
  // only of rows shown, the new user's trial 40.)
  const hidden = result.byModel.slice(options.top)
  const hiddenUnpriced = hidden.filter(m => !m.priced).length
  const listed = hidden.some(m => !m.priced && m.unpricedCalls > 0) ? ' (see Unpriced below)' : ''
  if (result.byModel.length > options.top)
    out.push(
      c.dim(
        fitWidth(
          `  … ${plural(result.byModel.length - options.top, 'more model')} (--top)${hiddenUnpriced ? `, ${hiddenUnpriced === 1 && result.byModel.length - options.top === 1 ? '' : `${hiddenUnpriced} of them `}with calls not priced${listed}` : ''}`,
          width,
        ),
      ),
    )
  if (result.byModel.slice(0, options.top).some(m => m.inputUnrecordedCalls))
    out.push(c.dim('  ≥$…: and the input of calls the logs do not record (not counted; see Warnings)'))
  out.push(...starNote(result.byModel.slice(0, options.top), c, width))
  return out
}

/**
 * The note on the `*` of the models shown that the catalog does not price all calls of (`Cost by model`, and `--by
 * model`'s table): what the cost of such a row is, what the tool recorded or estimated, or none for calls with no
 * price at all; the pointer first, so a narrow screen keeps it. Trial 74: a model no call of which had a price read
 * "recorded or estimated", and the pointer was cut.
 */
function starNote(shown: readonly AnalyzeResult['byModel'][number][], c: Screen['c'], width: number): string[] {
  const starred = shown.filter(m => !m.priced)
  if (!starred.length) return []
  const unknown = starred.some(m => m.unpricedCalls > 0)
  const other = starred.some(m => m.unpricedCalls < m.llmCalls)
  const what = [
    ...(other
      ? ["the cost shown is the catalog's where it has a price, else what the tool recorded or estimated"]
      : []),
    ...(unknown ? ['calls with no price count no cost'] : []),
  ].join('; ')
  // (Unpriced models lists the models with calls of no cost at all: one whose calls all have a recorded cost is not in it.)
  const note = wrapWords(
    `* not all calls priced by the catalog${unknown ? ' (see Unpriced below)' : ''}: ${what}`,
    width - 4,
  )
  return note.map((l, k) => c.dim(`${k ? '    ' : '  '}${l}`))
}

function byTool({result, options, c, width, share, header}: Screen): string[] {
  if (!result.byTool.length) return []
  const out = ['', c.bold('Cost by tool') + c.dim('  (the LLM calls that issued them)')]
  const shown = result.byTool.slice(0, options.top)
  // (Calls a person declined are no failure of the tool's: a column of their own, where any is shown.)
  const declined = shown.some(r => r.declined)
  const rows = shown.map(r => [
    r.tool,
    int(r.calls),
    r.errors ? int(r.errors) : '',
    ...(declined ? [r.declined ? int(r.declined) : ''] : []),
    costText(r.costUsd, r.unpricedCalls),
    r.costUsd === 0 && r.unpricedCalls ? '—' : percent(share(r.costUsd)),
  ])
  out.push(
    ...table(
      [
        {header: 'tool', flex: true, min: 14},
        {header: 'calls', align: 'right'},
        {header: 'errors', align: 'right'},
        ...(declined ? [{header: 'declined', align: 'right' as const}] : []),
        {header: 'cost', align: 'right'},
        {header: 'share', align: 'right'},
      ],
      rows,
      width,
      {header, cell: (s, col) => (col === 2 && s.trim() ? c.yellow(s) : s)},
    ),
  )
  if (result.byTool.length > options.top)
    out.push(c.dim(`  … ${plural(result.byTool.length - options.top, 'more tool')} (--top)`))
  return out
}

function topTraces({options, c, width, topLevel, header}: Screen): string[] {
  if (!topLevel.length) return []
  const ranked = [...topLevel].sort((a, b) => (b.rollup ?? b.totals).costUsd - (a.rollup ?? a.totals).costUsd)
  const day = dayOf(options)
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
      `${r.inputUnrecordedCalls ? '≥' : ''}${costText(tot.costUsd, tot.unpricedCalls)}`,
      ...(anyWaste ? [tot.wastedUsd > 0 ? usd(tot.wastedUsd) : ''] : []),
      int(tot.steps),
      r.startedAt ? day(r.startedAt) : '',
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
  if (ranked.slice(0, options.top).some(r => r.inputUnrecordedCalls))
    out.push(c.dim('  ≥$…: and the input of calls the logs do not record (not counted; see Warnings)'))
  return out
}

/** Waste by detector, then the top wasted steps (two lines each: where, and why). */
function waste({result, options, c, width, share, header}: Screen): string[] {
  if (!result.waste.byDetector.length) return []
  const flags = result.waste.byDetector.reduce((n, r) => n + r.flags, 0)
  // Flags on calls with no price: what they wasted is not known, so it is never shown as $0.
  const unpriced = result.waste.byDetector.reduce((n, r) => n + (r.unpricedFlags ?? 0), 0)
  const wasted = result.totals.wastedUsd
  const amount =
    unpriced === 0
      ? `${usd(wasted)} (${percent(share(wasted), 1)} of spend)`
      : unpriced === flags
        ? '— (on unpriced calls)'
        : `${usd(wasted)} (${percent(share(wasted), 1)} of spend) + ${int(unpriced)} on unpriced calls`
  const out = ['', c.bold('Waste') + c.dim(`  ${amount} in ${int(flags)} flagged step${flags === 1 ? '' : 's'}`)]
  out.push(
    ...table(
      [
        {header: 'detector', flex: true, min: 14},
        {header: 'flags', align: 'right'},
        {header: 'wasted', align: 'right'},
        {header: 'share', align: 'right'},
      ],
      result.waste.byDetector.map(r => [
        r.kind,
        int(r.flags),
        costText(r.wastedUsd, r.unpricedFlags ?? 0),
        r.unpricedFlags === r.flags ? '—' : percent(share(r.wastedUsd), 1),
      ]),
      width,
      {header},
    ),
  )
  const top = result.waste.top.slice(0, options.topWaste ?? options.top)
  out.push('', c.bold('Top waste') + c.dim(`  (step: why; --json: the ${TOP_WASTE} costliest; aco review: all)`))
  for (const w of top) {
    const where = `${shortId(w.traceId)} step ${w.stepIndex}`
    out.push(`  ${c.red((w.unpriced ? '—' : usd(w.wastedUsd)).padStart(8))}  ${c.yellow(w.kind)}  ${c.dim(where)}`)
    out.push(`            ${fitWidth(w.reason, width - 12)}`)
  }
  return out
}

/** Traces whose computed cost is far from what they recorded, each with both and the likely reason. */
function disagreements({result, options, c, width}: Screen): string[] {
  const list = result.recordedCost?.disagreements ?? []
  if (!list.length) return []
  const out = ['', c.bold('Recorded against computed') + c.dim('  (traces over 2× apart; --json lists up to 20)')]
  for (const d of list.slice(0, options.top)) {
    out.push(
      `  ${fitWidth(`recorded ${usd(d.recordedUsd)} · computed ${usd(d.computedUsd)} (${timesApart(d.recordedUsd, d.computedUsd)})  ${d.traceId}`, width - 2)}`,
    )
    for (const line of wrapWords(d.reason, width - 12)) out.push(`            ${c.dim(line)}`)
  }
  if (list.length > options.top) out.push(c.dim(`  … ${list.length - options.top} more (--top, --json)`))
  return out
}

function unpriced({result, c, width}: Screen): string[] {
  if (!result.unpriced.length) return []
  // (Calls whose log records no usage have no tokens to count: "tokens counted" over "0 tokens" read wrong, trial 106.)
  const anyTokens = result.unpriced.some(
    u => u.tokens.input + u.tokens.cacheRead + u.tokens.cacheWrite + u.tokens.output > 0,
  )
  const out = [
    '',
    c.yellow.bold('Unpriced models') +
      c.dim(`  (${anyTokens ? 'tokens' : 'calls'} counted, cost not: never counted as $0)`),
  ]
  for (const u of result.unpriced) {
    const tokens = u.tokens.input + u.tokens.cacheRead + u.tokens.cacheWrite + u.tokens.output
    out.push(
      ...wrapParts(
        `  ${c.yellow(fitWidth(u.model, Math.max(20, Math.floor(width / 2))))}  `,
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

/**
 * Warnings met in traces that were counted; the same warning in many traces is one line (warnings that
 * differ only in their figures are the same warning). Those with dollars at stake come first, with the
 * dollars in front.
 */
function warnings({result, options, c, width}: Screen): string[] {
  const w = result.warnings
  if (!w.count) return []
  const out = [
    '',
    c.yellow.bold('Warnings') + c.dim(`  (${int(w.count)} while reading traces that were counted; all in --json)`),
  ]
  const sorted = groupWarnings(w)
  const shown = Math.min(options.top, 5)
  for (const g of sorted.slice(0, shown)) {
    const n = g.traces
    // Wrapped onto three more lines at most (a warning's end says what it means for the figures); the rest is cut.
    const room = Math.max(20, width - 13)
    const lines = wrapWords(warningGroupText(g), room)
    if (lines.length > 4) lines.splice(3, lines.length - 3, fitWidth(lines.slice(3).join(' '), room))
    // (A space after the count whatever its width: `100 traces:` fills the column, trial 120.)
    out.push(`  ${c.dim(`${int(n)} trace${n === 1 ? '' : 's'}: `.padEnd(11))}${lines[0] ?? ''}`)
    for (const line of lines.slice(1)) out.push(`${' '.repeat(13)}${line}`)
  }
  if (sorted.length > shown) out.push(c.dim(`  … ${sorted.length - shown} other warnings (--json lists them)`))
  return out
}

/** Input that was skipped: problems one a line, files of unknown format together. */
function skipped({result, options, c, width}: Screen): string[] {
  if (!result.skipped.length) return []
  const out = [
    '',
    c.yellow.bold(`Skipped`) +
      c.dim(
        `  (${int(result.skipped.length)} problem${result.skipped.length === 1 ? '' : 's'}${result.traces.length ? '; the rest was read' : ''})`,
      ),
  ]
  const unknown = result.skipped.filter(s => s.reason.startsWith('unknown format'))
  const other = result.skipped.filter(s => !s.reason.startsWith('unknown format'))
  const shown = other.slice(0, Math.max(options.top, 10))
  for (const s of shown) {
    const where = `${s.path}${s.line ? `:${s.line}` : ''}`
    const room = Math.max(20, width - 4 - Math.min(textWidth(where), Math.floor(width / 2)))
    // The reason wraps onto two more lines at most (its end says what was wrong: a cut there left only the field).
    const lines = wrapWords(s.reason, room)
    const first = lines[0] ?? ''
    out.push(`  ${fitPath(where, Math.floor(width / 2))}  ${c.dim(first)}`)
    const rest = wrapWords(lines.slice(1).join(' '), width - 6)
    for (const [k, line] of rest.slice(0, 2).entries())
      out.push(
        `      ${c.dim(k === 1 && rest.length > 2 ? fitWidth(`${line} ${rest.slice(2).join(' ')}`, width - 6) : line)}`,
      )
  }
  if (other.length > shown.length) out.push(c.dim(`  … ${other.length - shown.length} more (see --json)`))
  if (unknown.length) {
    out.push(
      `  ${int(unknown.length)} file${unknown.length === 1 ? '' : 's'} of unknown format: ${fitWidth(unknown.map(s => s.path.split('/').pop()).join(', '), width - 40)}`,
    )
    // What to do first, then the formats it was compared with by name: with what each looks for, the list is thousands
    // of characters, and cut to three lines it hid the hint at its end (trial 124: "describe it with --mapping" never
    // reached the screen).
    const formats = formatsLookedFor(unknown[0]!.reason)
    const reason = formats
      ? // (Not counted: a format read in several shapes, Gemini CLI's three, is named once a shape, and "24 formats" here
        // read against "aco reads 21 formats" there; trial 126.)
        `unknown format: ${UNKNOWN_FORMAT_HINT} FILE. Looked for (aco formats says what each looks for): ${formats.map(f => f.split(' (')[0]).join(', ')}`
      : unknown[0]!.reason
    // (Wrapped onto three lines at most: its end says what aco looked for, the new user's trial 40.)
    const lines = wrapWords(reason, Math.max(20, width - 2))
    if (lines.length > 3) lines.splice(2, lines.length - 2, fitWidth(lines.slice(2).join(' '), Math.max(20, width - 2)))
    for (const line of lines) out.push(c.dim(`  ${line}`))
  }
  return out
}

/** Joins parts with `sep` (" · "), wrapping onto indented lines to stay within `width`. */
function wrapParts(first: string, rest: string, parts: string[], width: number, sep = ' · '): string[] {
  const visible = (s: string): number => textWidth(stripSgr(s))
  const lines: string[] = []
  let line = first
  let empty = true
  for (const part of parts) {
    const candidate = empty ? line + part : `${line}${sep}${part}`
    if (!empty && visible(candidate) > width) {
      lines.push(line)
      line = rest + part
    } else line = candidate
    empty = false
    // A part longer than a line on its own is broken between its words.
    if (visible(line) > width) {
      const lead = line.slice(0, line.length - part.length)
      const words = wrapWords(part, Math.max(20, width - visible(lead)))
      lines.push(lead + words[0])
      for (const w of words.slice(1, -1)) lines.push(rest + w)
      line = words.length > 1 ? rest + words[words.length - 1] : lines.pop()!
    }
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

/** `1 more model`, `3 more models`. */
function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}
