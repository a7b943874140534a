/**
 * What each part of the review's screen says, as lines of styled segments,
 * fitted to the width. Pure functions of the state: the Ink components only
 * print these lines (and only the visible ones), and tests can read them
 * without a terminal.
 */
import {basename} from 'node:path'
import type {CardIndexRow} from '../analyze/card-index.js'
import type {CostSource, Step, TraceCard} from '../card/types.js'
import {compact, int, usd} from '../util/format.js'
import {fitWidth as fit} from '../util/width.js'
import {decisionKey, LABEL_SHORT, LABELS, type Decision, type Label} from './decisions.js'
import {
  bodyHeight,
  frameHeight,
  listColumns,
  listHeight,
  timelineColumns,
  timelineHeight,
  tooSmall,
  type ListColumn,
} from './layout.js'
import type {ReviewState} from './state.js'
import {
  argumentLines,
  cleanLines,
  describeTool,
  duration,
  modelsSummary,
  oneLine,
  padLeft,
  padRight,
  shortModel,
  shortTime,
  wrap,
} from './text.js'
import {evidenceKeys, type StepRef, type TimelineLine} from './timeline.js'

export type Tone =
  | 'title'
  | 'muted'
  | 'cost'
  | 'waste'
  | 'flag'
  | 'accept'
  | 'reject'
  | 'label'
  | 'key'
  | 'warn'
  | 'ok'
  | 'error'

export type ToneColor = 'gray' | 'yellow' | 'green' | 'red' | 'cyan' | 'magenta'

/** The colour of each tone, when colour is on (cost stays in the terminal's own colour). */
export const PALETTE: Record<Tone, ToneColor | undefined> = {
  title: 'cyan',
  muted: 'gray',
  cost: undefined,
  waste: 'yellow',
  flag: 'magenta',
  accept: 'green',
  reject: 'red',
  label: 'cyan',
  key: 'cyan',
  warn: 'yellow',
  ok: 'green',
  error: 'red',
}

interface Seg {
  text: string
  tone?: Tone
  bold?: boolean
  dim?: boolean
  inverse?: boolean
}

export type Line = Seg[]

const seg = (text: string, tone?: Tone, extra: Omit<Seg, 'text' | 'tone'> = {}): Seg => ({
  text,
  ...(tone ? {tone} : {}),
  ...extra,
})

/** Cuts a line to `width` characters; with `fill`, pads it to exactly `width` (for a highlighted row). */
function fitLine(line: Line, width: number, fill = false): Line {
  const out: Line = []
  let used = 0
  for (const s of line) {
    if (used >= width) break
    const room = width - used
    const text = s.text.length > room ? fit(s.text, room) : s.text
    out.push({...s, text})
    used += text.length
  }
  if (fill && used < width) out.push({text: ' '.repeat(width - used)})
  return out
}

/**
 * Joins neighbouring segments that print alike (without colour, tones do not
 * matter), so a line is a few Text nodes rather than one per cell.
 */
export function mergeSegments(line: Line, color: boolean): Line {
  const out: Line = []
  for (const s of line) {
    const last = out[out.length - 1]
    const style = (x: Seg): string => `${color ? (x.tone ?? '') : ''}|${x.bold ? 1 : 0}|${x.inverse ? 1 : 0}`
    if (last && style(last) === style(s)) out[out.length - 1] = {...last, text: last.text + s.text}
    else out.push(color || !s.tone ? s : {...s, tone: undefined})
  }
  return out
}

export function lineText(line: Line): string {
  return line.map(s => s.text).join('')
}

/** The same line, every segment inverted (the row under the cursor). */
function highlight(line: Line, width: number): Line {
  return fitLine(line, width, true).map(s => ({...s, inverse: true}))
}

/** Detector names short enough to leave room for the dollars in the timeline's flag column. */
const SHORT_FLAG: Record<string, string> = {
  loop: 'loop',
  'failed-repeat': 'retry',
  'duplicate-call': 'dup',
  'reread-unchanged': 'reread',
  'near-duplicate': 'overlap',
  'unused-output': 'unused',
  'context-growth': 'stall',
}

function shortFlag(kind: string): string {
  return SHORT_FLAG[kind] ?? kind
}

function costSourceText(source: CostSource, model: string | undefined): string {
  switch (source) {
    case 'computed':
      return 'computed from its tokens at catalog prices'
    case 'recorded':
      return 'recorded by the agent in its log'
    case 'estimated':
      return 'estimated: a share of totals the log recorded'
    case 'unpriced':
      return `unpriced: no price known for ${model ?? 'its model'} (not counted as $0)`
    default:
      return source satisfies never
  }
}

// ── header, status and keys ──────────────────────────────────────────────

function headerLine(state: ReviewState): Line {
  const width = state.screen.columns
  const t = state.list.totals
  const filtered = t.traces !== state.rows.length
  let prunes = 0
  for (const d of state.decisions.values()) if (d.prune) prunes++
  const share = t.costUsd > 0 ? ` (${((t.wastedUsd / t.costUsd) * 100).toFixed(1)}%)` : ''
  const parts: Line[] = [
    [seg(filtered ? `${int(t.traces)} of ${int(state.rows.length)} traces` : `${int(t.traces)} traces`)],
    [seg(usd(t.costUsd), 'cost')],
    [seg('wasted '), seg(`${usd(t.wastedUsd)}`, 'waste'), seg(share, 'muted')],
    [seg('decided '), seg(`${int(prunes)}/${int(state.flags)}`, 'accept'), seg(' flags')],
    [seg(`${int(state.decisions.size)} decision${state.decisions.size === 1 ? '' : 's'}`, 'label')],
  ]
  if (state.staleTraces > 0) parts.push([seg(`${state.staleTraces} stale`, 'warn')])
  // Too wide: first the waste's share goes, then parts from the end.
  const title: Line = [seg('aco review', 'title', {bold: true})]
  const join = (list: Line[]): Line => [...title, ...list.flatMap(p => [seg(' · ', 'muted'), ...p])]
  let line = join(parts)
  if (lineText(line).length > width) parts[2] = parts[2]!.filter(s => s.text !== share)
  line = join(parts)
  while (parts.length > 1 && lineText(line).length > width) {
    parts.pop()
    line = join(parts)
  }
  return fitLine(line, width)
}

/** The status line: the last message, or the filters in force; where decisions are saved on the right. */
function statusLine(state: ReviewState): Line {
  const width = state.screen.columns
  const right = `decisions → ${state.decisionsPath}`
  let left: Line
  if (state.message) {
    left = [
      seg(state.message.text, state.message.tone === 'warn' ? 'warn' : state.message.tone === 'ok' ? 'ok' : 'muted'),
    ]
  } else {
    const chips: string[] = []
    if (state.list.text) chips.push(`/${state.list.text}`)
    if (state.list.model) chips.push(`model ${shortModel(state.list.model)}`)
    if (state.list.format) chips.push(`format ${state.list.format}`)
    left = chips.length ? [seg('filter: ', 'muted'), seg(chips.join(' · '), 'key'), seg('  (esc clears)', 'muted')] : []
  }
  const leftLen = lineText(left).length
  if (leftLen + 2 + right.length <= width) {
    return [...left, seg(' '.repeat(width - leftLen - right.length)), seg(right, 'muted')]
  }
  if (leftLen === 0) return fitLine([seg(right, 'muted')], width)
  return fitLine(left, width)
}

type KeyHint = [key: string, what: string]

function footerKeys(state: ReviewState): KeyHint[] {
  const overlay = state.overlay
  if (overlay?.kind === 'help') return [['any key', 'closes this']]
  if (overlay?.kind === 'filter')
    return [
      ['type', 'to filter'],
      ['⏎', 'keep'],
      ['esc', 'cancel'],
      ['⌫', 'delete'],
    ]
  if (overlay?.kind === 'picker')
    return [
      ['↑↓', 'move'],
      ['⏎', 'choose'],
      ['esc', 'cancel'],
    ]
  switch (state.view) {
    case 'traces':
      return [
        ['↑↓', 'move'],
        ['⏎', 'open'],
        ['c/w/d', 'sort'],
        ['/', 'search'],
        ['m', 'model'],
        ['f', 'format'],
        ['?', 'keys'],
        ['q', 'quit'],
      ]
    case 'trace':
      return [
        ['↑↓', 'move'],
        ['⏎', 'open'],
        ['n/N', 'flag'],
        ['a/r', 'prune'],
        ['1-4', 'label'],
        ['u', 'undo'],
        ['←', 'back'],
        ['?', 'keys'],
      ]
    case 'step':
      return [
        ['a/r', 'prune'],
        ['1-4', 'label'],
        ['u', 'undo'],
        ['n/N', 'flag'],
        ['tab', 'evidence'],
        ['[ ]', 'step'],
        ['←', 'back'],
        ['?', 'keys'],
      ]
    default:
      return state.view satisfies never
  }
}

function footerLine(state: ReviewState): Line {
  const width = state.screen.columns
  const line: Line = []
  let used = 0
  for (const [key, what] of footerKeys(state)) {
    const len = key.length + 1 + what.length + (used ? 2 : 0)
    if (used + len > width) break
    if (used) line.push(seg('  '))
    line.push(seg(key, 'key', {bold: true}), seg(` ${what}`, 'muted'))
    used += len
  }
  return line
}

// ── traces list ──────────────────────────────────────────────────────────

function traceTitle(row: {title?: string; path: string; id: string}): string {
  const title = row.title ? oneLine(row.title).trim() : ''
  return title || basename(row.path) || row.id
}

function sortMark(state: ReviewState, id: string): string {
  const on =
    (state.list.sort === 'cost' && id === 'cost') ||
    (state.list.sort === 'waste' && id === 'wasted') ||
    (state.list.sort === 'date' && id === 'started')
  return on ? (state.list.descending ? '▼' : '▲') : ''
}

function listHeading(state: ReviewState): Line {
  const cols = listColumns(state.screen.columns)
  const names: Record<ListColumn['id'], string> = {
    cost: 'cost',
    wasted: 'wasted',
    steps: 'steps',
    flags: 'flags',
    started: 'started',
    models: 'models',
    format: 'format',
    title: 'title',
  }
  const cells = cols.map(c => {
    const text = names[c.id] + sortMark(state, c.id)
    return c.align === 'right' ? padLeft(text, c.width) : padRight(text, c.width)
  })
  return fitLine([seg(`  ${cells.join(' ')}`, 'muted', {bold: true})], state.screen.columns)
}

function listRow(state: ReviewState, row: CardIndexRow, selected: boolean): Line {
  const cols = listColumns(state.screen.columns)
  const decided = state.decidedByRoot.get(row.id) ?? 0
  const line: Line = [seg(selected ? '› ' : '  ', 'key')]
  cols.forEach((c, i) => {
    if (i > 0) line.push(seg(' '))
    const pad = (text: string): string => (c.align === 'right' ? padLeft(text, c.width) : padRight(text, c.width))
    switch (c.id) {
      case 'cost':
        line.push(seg(pad(usd(row.costUsd)), 'cost'))
        break
      case 'wasted':
        line.push(row.wastedUsd > 0 ? seg(pad(usd(row.wastedUsd)), 'waste') : seg(pad('—'), 'muted'))
        break
      case 'steps':
        line.push(seg(pad(compact(row.steps))))
        break
      case 'flags':
        if (row.flags === 0) line.push(seg(pad('—'), 'muted'))
        else
          line.push(
            seg(pad(decided ? `${decided}/${row.flags}` : String(row.flags)), decided >= row.flags ? 'accept' : 'flag'),
          )
        break
      case 'started':
        line.push(seg(pad(row.startedAt ? row.startedAt.slice(0, 10) : '—'), 'muted'))
        break
      case 'models':
        line.push(seg(pad(modelsSummary(row.models, c.width))))
        break
      case 'format':
        line.push(seg(pad(row.format), 'muted'))
        break
      case 'title':
        line.push(seg(pad(traceTitle(row))))
        break
      default:
        c.id satisfies never
    }
  })
  return selected ? highlight(line, state.screen.columns) : fitLine(line, state.screen.columns)
}

/** The rows of the list that are visible: never more than the window. */
function visibleListRows(
  state: ReviewState,
  height: number,
): Array<{row: CardIndexRow; selected: boolean; position: number}> {
  const out: Array<{row: CardIndexRow; selected: boolean; position: number}> = []
  const {order, top, cursor} = state.list
  for (let p = top; p < Math.min(order.length, top + height); p++)
    out.push({row: state.rows[order[p]!]!, selected: p === cursor, position: p})
  return out
}

function emptyListLine(state: ReviewState): Line {
  return [seg(state.rows.length ? '  no trace matches the filter (esc clears it)' : '  no traces', 'muted')]
}

// ── a trace ──────────────────────────────────────────────────────────────

function cardLabel(card: TraceCard): string {
  if (!card.parent) return fit(traceTitle({title: card.title, path: card.source.path, id: card.id}), 60)
  return `subagent ${oneLine(card.parent.agentType ?? card.parent.agentId ?? card.id.split('/').pop() ?? card.id)}`
}

function traceSubLine(state: ReviewState): Line {
  const trace = state.trace!
  const root = trace.model.root
  const t = trace.model.totals.get(root.id)!
  const line: Line = [
    seg('‹ ', 'key'),
    seg(cardLabel(root), undefined, {bold: true}),
    seg(` · ${root.source.format} · ${int(t.steps)} steps · `, 'muted'),
    seg(usd(t.costUsd), 'cost'),
    seg(' · wasted ', 'muted'),
    seg(usd(t.wastedUsd), 'waste'),
    seg(` · ${t.flags} flag${t.flags === 1 ? '' : 's'}`, 'muted'),
  ]
  if (trace.stale) line.push(seg(` · ${trace.stale} stale decision${trace.stale === 1 ? '' : 's'}`, 'warn'))
  return fitLine(line, state.screen.columns)
}

function timelineHeading(state: ReviewState): Line {
  const c = timelineColumns(state.screen.columns)
  const text = [
    padLeft('#', c.index),
    padRight('kind', c.kind),
    padRight('model / tool', c.name),
    padLeft('tokens', c.tokens),
    padLeft('cost', c.cost),
    padRight('', c.bar),
    padRight('flag', c.flag),
    padRight('decision', c.decision),
  ].join(' ')
  return fitLine([seg(`  ${text}`, 'muted', {bold: true})], state.screen.columns)
}

function decisionCell(decision: Decision | undefined, width: number): Line {
  if (!decision) return [seg(' '.repeat(width))]
  const parts: Line = []
  if (decision.prune === 'accept') parts.push(seg('✓', 'accept', {bold: true}))
  if (decision.prune === 'reject') parts.push(seg('✗', 'reject', {bold: true}))
  if (decision.label) {
    if (parts.length) parts.push(seg(' '))
    parts.push(seg(LABEL_SHORT[decision.label], 'label'))
  }
  const len = lineText(parts).length
  return fitLine([...parts, seg(' '.repeat(Math.max(0, width - len)))], width)
}

function promptTokens(step: Step): number {
  const t = step.tokens
  return t ? t.input + t.cacheRead + t.cacheWrite + t.output : 0
}

function timelineRow(state: ReviewState, line: TimelineLine, selected: boolean): Line {
  const width = state.screen.columns
  const c = timelineColumns(width)
  const model = state.trace!.model
  const indent = '  '.repeat(line.depth)
  const out: Line = [seg(selected ? '› ' : '  ', 'key')]
  if (line.kind === 'child') {
    const card = model.cards.get(line.traceId)!
    const t = model.totals.get(card.id)!
    const open = state.trace!.expanded.has(line.traceId)
    out.push(
      seg(`${padLeft('', c.index)} ${padRight('', c.kind)} `),
      seg(
        padRight(`${indent}${open ? '▾' : '▸'} ${cardLabel(card)} · ${int(t.steps)} steps`, c.name + 1 + c.tokens),
        'title',
      ),
      seg(' '),
      seg(padLeft(usd(t.costUsd), c.cost), 'cost'),
      seg(` ${padRight('', c.bar)} `),
      seg(padRight(t.flags ? `⚑ ${t.flags}` : '', c.flag), 'flag'),
    )
    return selected ? highlight(out, width) : fitLine(out, width)
  }
  const ref = model.steps.get(line.key)!
  const step = ref.step
  const flag = step.flags?.[0]
  const isTool = step.kind === 'tool'
  const failed = step.tool?.status === 'error'
  const name = `${indent}${isTool ? describeTool(step) : step.model ? shortModel(step.model) : 'llm'}`
  out.push(
    seg(padLeft(String(step.index), c.index), 'muted'),
    seg(' '),
    seg(padRight(step.kind, c.kind), isTool ? 'muted' : undefined),
    seg(' '),
  )
  if (failed) {
    out.push(seg(padRight(name, c.name - 2)), seg(' ✗', 'error'))
  } else out.push(seg(padRight(name, c.name)))
  out.push(seg(' '))
  if (isTool)
    out.push(
      seg(
        padLeft(step.tool?.outputChars !== undefined ? `${compact(step.tool.outputChars)}ch` : '', c.tokens),
        'muted',
      ),
    )
  else out.push(seg(padLeft(step.tokens ? compact(promptTokens(step)) : '', c.tokens)))
  out.push(seg(' '))
  const cost = step.cost?.usd
  if (typeof cost === 'number') out.push(seg(padLeft(usd(cost), c.cost), 'cost'))
  else out.push(seg(padLeft(step.cost?.source === 'unpriced' ? 'unpriced' : '', c.cost), 'muted'))
  out.push(seg(' '))
  const share = typeof cost === 'number' && model.maxCostUsd > 0 ? cost / model.maxCostUsd : 0
  const cells = typeof cost === 'number' && cost > 0 ? Math.max(1, Math.round(share * c.bar)) : 0
  out.push(seg('█'.repeat(cells), 'cost'), seg(' '.repeat(c.bar - cells)))
  out.push(seg(' '))
  if (flag) {
    const withAmount = `⚑ ${shortFlag(flag.kind)} ${usd(flag.wastedUsd)}`
    out.push(seg(padRight(withAmount.length <= c.flag ? withAmount : `⚑ ${shortFlag(flag.kind)}`, c.flag), 'flag'))
  } else out.push(seg(padRight('', c.flag)))
  out.push(seg(' '))
  out.push(...decisionCell(state.decisions.get(line.key), c.decision))
  return selected ? highlight(out, width) : fitLine(out, width)
}

function visibleTimeline(
  state: ReviewState,
  height: number,
): Array<{line: TimelineLine; selected: boolean; position: number}> {
  const trace = state.trace!
  const out: Array<{line: TimelineLine; selected: boolean; position: number}> = []
  for (let p = trace.top; p < Math.min(trace.lines.length, trace.top + height); p++) {
    out.push({line: trace.lines[p]!, selected: p === trace.cursor, position: p})
  }
  return out
}

// ── a step ───────────────────────────────────────────────────────────────

function stepName(ref: StepRef): string {
  return `#${ref.step.index} ${ref.step.kind} ${ref.step.kind === 'tool' ? describeTool(ref.step) : shortModel(ref.step.model ?? '')}`.trim()
}

function stepSubLine(state: ReviewState): Line {
  const model = state.trace!.model
  const ref = model.steps.get(state.step!.key)!
  const crumbs: string[] = [cardLabel(model.root)]
  let card: TraceCard | undefined = ref.card
  const chain: string[] = []
  while (card && card !== model.root) {
    chain.unshift(cardLabel(card))
    const parentId = model.parentOf.get(card.id)
    card = parentId ? model.cards.get(parentId) : undefined
  }
  crumbs.push(...chain)
  const back = state.step!.back.length ? ` (${state.step!.back.length} back)` : ''
  const line: Line = [
    seg('‹ ', 'key'),
    seg(crumbs.map(c => fit(c, 40)).join(' › '), 'muted'),
    seg(' › ', 'muted'),
    seg(stepName(ref), undefined, {bold: true}),
    seg(back, 'muted'),
  ]
  return fitLine(line, state.screen.columns)
}

const LABEL_WIDTH = 11

/** How the step view names the labels beside their keys. */
const LABEL_WORDS: Record<Label, string> = {
  fine: 'fine',
  'needs-stronger-model': 'stronger model',
  'cheaper-model-ok': 'cheaper model ok',
  wasted: 'wasted',
}

function field(label: string, value: Line): Line {
  return [seg(padRight(label, LABEL_WIDTH), 'muted', {bold: true}), ...value]
}

function continued(value: Line): Line {
  return [seg(' '.repeat(LABEL_WIDTH)), ...value]
}

/** Text wrapped under a field label. */
function block(label: string, lines: string[], width: number, tone?: Tone): Line[] {
  const w = Math.max(10, width - LABEL_WIDTH)
  const out: Line[] = []
  lines.forEach((text, i) => {
    const wrapped = wrap(text, w)
    wrapped.forEach((part, j) => {
      out.push(i === 0 && j === 0 ? field(label, [seg(part, tone)]) : continued([seg(part, tone)]))
    })
  })
  if (out.length === 0) out.push(field(label, [seg('—', 'muted')]))
  return out
}

function tokenText(step: Step): string {
  const t = step.tokens
  if (!t) return '—'
  const parts = [
    `in ${int(t.input)}`,
    `cache read ${compact(t.cacheRead)}`,
    `cache write ${compact(t.cacheWrite)}`,
    `out ${int(t.output)}`,
  ]
  if (t.reasoning) parts.push(`reasoning ${int(t.reasoning)}`)
  return parts.join(' · ') + (step.estimated ? ' · estimated' : '')
}

/** Every line of the step view (the body scrolls over them). */
export function stepDetailLines(state: ReviewState): Line[] {
  const trace = state.trace
  const stepState = state.step
  if (!trace || !stepState) return []
  const model = trace.model
  const ref = model.steps.get(stepState.key)
  if (!ref) return [[seg('this step is not in the trace', 'warn')]]
  const width = state.screen.columns
  const w = width - LABEL_WIDTH
  const step = ref.step
  const out: Line[] = []
  const facts = [
    step.kind,
    step.kind === 'llm' ? (step.model ?? 'model unknown') : (step.tool?.name ?? 'tool'),
    step.turn !== undefined ? `turn ${step.turn}` : '',
    duration(step.durationMs),
    shortTime(step.startedAt),
    step.line !== undefined ? `line ${step.line}` : '',
  ].filter(Boolean)
  out.push(
    field('Step', [seg(`#${step.index} `, undefined, {bold: true}), seg(fit(oneLine(facts.join(' · ')), w - 4))]),
  )

  if (step.kind === 'tool') {
    const tool = step.tool
    const parent = step.parentStepId ? model.steps.get(decisionKey(ref.card.id, step.parentStepId)) : undefined
    if (tool) {
      const status: Line = [seg(tool.status, tool.status === 'error' ? 'error' : tool.status === 'ok' ? 'ok' : 'muted')]
      if (tool.exitCode !== undefined)
        status.push(seg(` · exit ${tool.exitCode}`, tool.exitCode === 0 ? 'muted' : 'error'))
      if (tool.outputChars !== undefined) status.push(seg(` · ${int(tool.outputChars)} chars of output`, 'muted'))
      out.push(field('Status', status))
      const args = argumentLines(tool.arguments, Math.max(40, w * 2), 10)
      out.push(
        ...args.flatMap((text, i) => {
          // A wrapped JSON line continues under its own indentation.
          const indent = ' '.repeat(Math.min(12, (/^ */.exec(text)?.[0].length ?? 0) + 2))
          return wrap(text, w - indent.length, 3).map((part, j) =>
            i === 0 && j === 0 ? field('Arguments', [seg(part)]) : continued([seg(j === 0 ? part : indent + part)]),
          )
        }),
      )
      const excerpt = tool.excerpt
        ? cleanLines(tool.excerpt).filter((l, i, all) => l.trim() || (i > 0 && i < all.length - 1))
        : []
      if (excerpt.length) out.push(...block('Result', limit(excerpt, 8), width, 'muted'))
      else out.push(field('Result', [seg(tool.outputChars ? '(no excerpt kept)' : '(empty)', 'muted')]))
    }
    const cost: Line = [seg('none (a tool run)', 'muted')]
    if (parent) {
      const pc = parent.step.cost?.usd
      cost.push(
        seg(`; the LLM call that issued it, #${parent.step.index}, cost `, 'muted'),
        seg(typeof pc === 'number' ? usd(pc) : 'unpriced', 'cost'),
      )
    }
    out.push(field('Cost', cost))
  } else {
    out.push(field('Tokens', [seg(fit(tokenText(step), w))]))
    const c = step.cost
    if (c) {
      const cost: Line = [
        seg(typeof c.usd === 'number' ? usd(c.usd) : 'unpriced', 'cost', {bold: true}),
        seg(` ${costSourceText(c.source, step.model)}`, 'muted'),
      ]
      out.push(field('Cost', cost))
      const more: string[] = []
      if (c.inputUsd !== undefined) more.push(`prompt ${usd(c.inputUsd)}`)
      if (c.recordedUsd !== undefined) more.push(`the log recorded ${usd(c.recordedUsd)}`)
      if (more.length) out.push(continued([seg(more.join(' · '), 'muted')]))
    } else out.push(field('Cost', [seg('—', 'muted')]))
    if (step.text)
      out.push(
        ...block(
          'Said',
          limit(
            cleanLines(step.text).filter(l => l.trim()),
            4,
          ),
          width,
        ),
      )
    const tools = (step.toolStepIds ?? [])
      .map(id => model.steps.get(decisionKey(ref.card.id, id)))
      .filter((r): r is StepRef => Boolean(r))
    if (tools.length)
      out.push(...block('Tool calls', [tools.map(t => `#${t.step.index} ${describeTool(t.step)}`).join(' · ')], width))
    if (step.uncertainty)
      out.push(
        field('Uncertainty', [
          seg(
            `mean 1−p ${step.uncertainty.meanOneMinusP.toFixed(3)}${step.uncertainty.entropy !== undefined ? ` · entropy ${step.uncertainty.entropy.toFixed(2)}` : ''}`,
          ),
        ]),
      )
  }
  const started = (step.childTraceIds ?? []).map(id => model.cards.get(id)).filter((c): c is TraceCard => Boolean(c))
  if (started.length) {
    out.push(
      ...block(
        'Subagents',
        started.map(
          c =>
            `${cardLabel(c)}: ${model.totals.get(c.id)!.steps} steps, ${usd(model.totals.get(c.id)!.costUsd)} (unfold it in the timeline)`,
        ),
        width,
      ),
    )
  }

  const flags = step.flags ?? []
  if (flags.length === 0) out.push(field('Flag', [seg('none: no prune suggestion (a label still applies)', 'muted')]))
  for (const flag of flags) {
    out.push(
      field('Flag', [
        seg(`⚑ ${flag.kind}`, 'flag', {bold: true}),
        seg(` · confidence ${flag.confidence.toFixed(2)} · `, 'muted'),
        seg(`${usd(flag.wastedUsd)} at stake`, 'waste'),
      ]),
    )
    for (const part of wrap(oneLine(flag.reason), w, 4)) out.push(continued([seg(part)]))
  }
  const evidence = evidenceKeys(model, stepState.key)
  if (evidence.length) {
    evidence.forEach((key, i) => {
      const ev = model.steps.get(key)!
      const mark = i === stepState.evidence ? '› ' : '  '
      const text: Line = [
        seg(mark, 'key'),
        seg(
          fit(`#${ev.step.index} ${ev.step.kind} ${describeTool(ev.step)}`, w - 2),
          i === stepState.evidence ? 'key' : undefined,
        ),
      ]
      out.push(i === 0 ? field('Evidence', text) : continued(text))
    })
    out.push(continued([seg('tab selects · ⏎ opens the selected step · ← comes back', 'muted')]))
  } else if (flags.length) out.push(field('Evidence', [seg('none named', 'muted')]))

  const decision = state.decisions.get(stepState.key)
  const prune: Line = decision?.prune
    ? [
        seg(
          decision.prune === 'accept' ? '✓ prune accepted' : '✗ prune rejected',
          decision.prune === 'accept' ? 'accept' : 'reject',
          {bold: true},
        ),
      ]
    : [seg(flags.length ? 'prune undecided' : 'no prune to decide', 'muted')]
  const label: Line = decision?.label
    ? [seg(`label ${decision.label}`, 'label', {bold: true})]
    : [seg('no label', 'muted')]
  out.push(field('Decision', [...prune, seg(' · ', 'muted'), ...label]))
  const keys = [
    flags.length ? 'a accept · r reject' : '',
    ...LABELS.map((l: Label, i) => `${i + 1} ${LABEL_WORDS[l]}`),
    'u undo',
  ]
    .filter(Boolean)
    .join(' · ')
  for (const part of wrap(keys, w)) out.push(continued([seg(part, 'muted')]))
  return out.map(l => fitLine(l, width))
}

function limit(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines
  return [...lines.slice(0, max), `… ${lines.length - max} more lines`]
}

function visibleStepLines(state: ReviewState): Line[] {
  const all = stepDetailLines(state)
  const height = bodyHeight(state.screen)
  const scroll = Math.min(state.step?.scroll ?? 0, Math.max(0, all.length - height))
  const shown = all.slice(scroll, scroll + height)
  if (scroll + height < all.length && shown.length) {
    shown[shown.length - 1] = fitLine(
      [seg(`  ↓ ${all.length - scroll - height + 1} more lines (↓ scrolls)`, 'muted')],
      state.screen.columns,
    )
  }
  return shown
}

// ── overlays ─────────────────────────────────────────────────────────────

/** The keys, in 18 lines: the help fits the body of an 80×24 terminal. */
const HELP: Array<[string, Array<[string, string]>]> = [
  [
    'Traces',
    [
      ['↑↓ j k PgUp PgDn g G', 'move'],
      ['⏎ →', 'open a trace'],
      ['c w d', 'sort by cost, waste, date (again: reverse)'],
      ['/  m  f  esc', 'search · filter by model · by format · clear'],
    ],
  ],
  [
    'A trace',
    [
      ['⏎ →  ←', 'open a step or unfold a subagent ▸ · fold, back'],
      ['n N', 'next / previous flagged step ⚑'],
    ],
  ],
  [
    'A step',
    [
      ['↑↓  [ ]', 'scroll · previous / next step'],
      ['tab ⏎  n N', 'pick and open an evidence step · next flag'],
    ],
  ],
  [
    'Decide (in a trace or a step)',
    [
      ['a r', 'accept / reject the prune suggestion (again: clear)'],
      ['1 2 3 4', 'fine · needs stronger model · cheaper model ok · wasted'],
      ['u', 'undo the last decision of this session'],
    ],
  ],
  ['Anywhere', [['esc ←  ?  q', 'back · these keys · quit (decisions are always saved)']]],
]

function helpLines(state: ReviewState): Line[] {
  const width = state.screen.columns
  const out: Line[] = []
  for (const [title, keys] of HELP) {
    out.push([seg(title, 'title', {bold: true})])
    for (const [key, what] of keys) out.push([seg(`  ${padRight(key, 22)}`, 'key'), seg(what)])
  }
  out.push([seg(`Decisions are saved to ${state.decisionsPath} as you make them; reopening resumes there.`, 'muted')])
  return out.map(l => fitLine(l, width))
}

function pickerLines(state: ReviewState): Line[] {
  const overlay = state.overlay
  if (overlay?.kind !== 'picker') return []
  const width = state.screen.columns
  const height = bodyHeight(state.screen) - 1
  const out: Line[] = [[seg(`Show only the traces of one ${overlay.field}`, 'title', {bold: true})]]
  for (let p = overlay.top; p < Math.min(overlay.items.length, overlay.top + height); p++) {
    const item = overlay.items[p]!
    const selected = p === overlay.cursor
    const line: Line = [
      seg(selected ? '› ' : '  ', 'key'),
      seg(padRight(item.value ? oneLine(item.label) : item.label, Math.max(10, width - 30))),
      seg(padLeft(`${int(item.traces)} trace${item.traces === 1 ? '' : 's'}`, 14), 'muted'),
      seg(padLeft(usd(item.costUsd), 12), 'cost'),
    ]
    out.push(selected ? highlight(line, width) : fitLine(line, width))
  }
  return out
}

function filterLine(state: ReviewState): Line {
  const overlay = state.overlay
  const draft = overlay?.kind === 'filter' ? overlay.draft : state.list.text
  return fitLine(
    [
      seg('/', 'key', {bold: true}),
      seg(draft),
      seg('▏', 'key'),
      seg(`  ${int(state.list.totals.traces)} match`, 'muted'),
    ],
    state.screen.columns,
  )
}

function tooSmallLines(state: ReviewState): Line[] {
  return [
    [
      seg(
        fit(
          `aco review needs at least 40×10 (this terminal is ${state.screen.columns}×${state.screen.rows}); q quits`,
          state.screen.columns,
        ),
        'warn',
      ),
    ],
  ]
}

// ── the whole frame ──────────────────────────────────────────────────────

/** The body's lines: the visible rows of the list or timeline, the step, or an overlay. */
function bodyLines(state: ReviewState): Line[] {
  if (state.overlay?.kind === 'help') return helpLines(state)
  if (state.overlay?.kind === 'picker') return pickerLines(state)
  switch (state.view) {
    case 'traces': {
      const rows = visibleListRows(state, listHeight(state.screen))
      return rows.length ? rows.map(({row, selected}) => listRow(state, row, selected)) : [emptyListLine(state)]
    }
    case 'trace':
      return [
        timelineHeading(state),
        ...visibleTimeline(state, timelineHeight(state.screen)).map(({line, selected}) =>
          timelineRow(state, line, selected),
        ),
      ]
    case 'step':
      return visibleStepLines(state)
    default:
      return state.view satisfies never
  }
}

function subLine(state: ReviewState): Line {
  switch (state.view) {
    case 'traces':
      return listHeading(state)
    case 'trace':
      return traceSubLine(state)
    case 'step':
      return stepSubLine(state)
    default:
      return state.view satisfies never
  }
}

/**
 * Every line of the screen, top to bottom, exactly `frameHeight` of them:
 * the header, the line under it, the body (padded), the status line, the keys.
 */
export function frameLines(state: ReviewState): Line[] {
  if (tooSmall(state.screen)) return tooSmallLines(state)
  const height = bodyHeight(state.screen)
  const body = bodyLines(state).slice(0, height)
  while (body.length < height) body.push([])
  const lines = [
    headerLine(state),
    subLine(state),
    ...body,
    state.overlay?.kind === 'filter' ? filterLine(state) : statusLine(state),
    footerLine(state),
  ]
  return lines.slice(0, frameHeight(state.screen))
}
