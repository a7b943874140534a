/**
 * The review's state and its pure reducer: which screen is shown, the
 * traces list (sorted, filtered, scrolled), the open trace's timeline, the
 * open step, the decisions and their undo history. No I/O and no clock: a
 * card to open and the time of a decision come in the action, so every
 * transition is a plain function, tested without Ink.
 */
import type {CardIndexRow} from '../analyze/card-index.js'
import type {TraceCard} from '../card/types.js'
import {
  applyChange,
  decisionKey,
  stepFacts,
  type Decision,
  type DecisionChange,
  type DecisionMap,
  type DecisionsFile,
  type ReviewCursor,
  type ReviewView,
  type SortKey,
  DECISIONS_VERSION,
  LABEL_SHORT,
  sortedDecisions,
  toMap,
  withDecision,
} from './decisions.js'
import {bodyHeight, follow, listHeight, timelineHeight, type Screen} from './layout.js'
import {stepDetailLines} from './lines.js'
import {describeTool} from './text.js'
import {
  ancestorsOf,
  buildLines,
  buildTraceModel,
  evidenceKeys,
  nextFlagged,
  sameLine,
  type StepRef,
  type TimelineLine,
  type TraceModel,
} from './timeline.js'

interface ListState {
  sort: SortKey
  descending: boolean
  text: string
  model?: string
  format?: string
  /** Indices into `rows` of the traces shown, in order. */
  order: readonly number[]
  cursor: number
  top: number
  totals: {traces: number; costUsd: number; wastedUsd: number}
}

interface TraceState {
  model: TraceModel
  /** Subagents unfolded. */
  expanded: ReadonlySet<string>
  lines: readonly TimelineLine[]
  cursor: number
  top: number
  /** Decisions on this trace whose step is no longer in it (the cards were analysed again). */
  stale: number
}

interface StepState {
  key: string
  /** Steps to return to (evidence followed). */
  back: readonly string[]
  /** Which evidence step is selected (for Enter). */
  evidence: number
  scroll: number
}

interface PickerItem {
  /** undefined: no filter. */
  value?: string
  label: string
  traces: number
  costUsd: number
}

type Overlay =
  | {kind: 'help'}
  | {kind: 'filter'; draft: string; before: string}
  | {kind: 'picker'; field: 'model' | 'format'; items: readonly PickerItem[]; cursor: number; top: number}

interface Message {
  text: string
  tone: 'info' | 'ok' | 'warn'
}

interface UndoEntry {
  key: string
  before?: Decision
  after?: Decision
}

export interface ReviewState {
  rows: readonly CardIndexRow[]
  /** Lower-cased text each row is searched by. */
  search: readonly string[]
  screen: Screen
  view: ReviewView
  list: ListState
  trace?: TraceState
  step?: StepState
  overlay?: Overlay
  decisions: DecisionMap
  /** Prune decisions per top-level trace. */
  decidedByRoot: ReadonlyMap<string, number>
  undo: readonly UndoEntry[]
  message?: Message
  /** Where the decisions are saved (shown on screen). */
  decisionsPath: string
  /** Flags of all traces. */
  flags: number
  /** Decisions about traces no longer in the cards. */
  staleTraces: number
  quit: boolean
}

type MoveBy = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'

export type Action =
  | {type: 'resize'; columns: number; rows: number}
  | {type: 'move'; by: MoveBy}
  | {type: 'sort'; key: SortKey}
  | {type: 'filterStart'}
  | {type: 'filterType'; text: string}
  | {type: 'filterBackspace'}
  | {type: 'filterDone'}
  | {type: 'filterCancel'}
  | {type: 'pickerOpen'; field: 'model' | 'format'}
  | {type: 'pickerChoose'}
  | {type: 'closeOverlay'}
  | {type: 'clearFilters'}
  | {type: 'openTrace'; card: TraceCard; focus?: {traceId: string; stepId?: string}; openStep?: boolean}
  | {type: 'enter'}
  | {type: 'unfold'}
  | {type: 'left'}
  | {type: 'back'}
  | {type: 'nextFlag'; dir: 1 | -1}
  | {type: 'nextStep'; dir: 1 | -1}
  | {type: 'evidence'; dir: 1 | -1}
  | {type: 'decide'; change: DecisionChange; at: string}
  | {type: 'undo'}
  | {type: 'help'}
  | {type: 'message'; text: string; tone: Message['tone']}
  | {type: 'quit'}

export interface InitOptions {
  rows: readonly CardIndexRow[]
  screen: Screen
  decisionsPath: string
  file?: DecisionsFile
  /** The card the cursor was in, read by the caller, to resume inside it. */
  card?: TraceCard
}

/** The state a review opens in; resumes at the file's cursor when it can. */
export function initialState(options: InitOptions): ReviewState {
  const {rows, file} = options
  const decisions = toMap(file?.decisions ?? [])
  const ids = new Set(rows.map(r => r.id))
  let staleTraces = 0
  for (const d of decisions.values()) if (!ids.has(d.rootTraceId)) staleTraces++
  const cursor: ReviewCursor | undefined = file?.cursor
  const base: ReviewState = {
    rows,
    search: rows.map(r => `${r.id} ${r.title ?? ''} ${r.path} ${r.models.join(' ')} ${r.format}`.toLowerCase()),
    screen: options.screen,
    view: 'traces',
    list: {
      sort: cursor?.sort ?? 'cost',
      descending: cursor?.descending ?? true,
      text: cursor?.filter?.text ?? '',
      model: cursor?.filter?.model,
      format: cursor?.filter?.format,
      order: [],
      cursor: 0,
      top: 0,
      totals: {traces: 0, costUsd: 0, wastedUsd: 0},
    },
    decisions,
    decidedByRoot: countByRoot(decisions),
    undo: [],
    decisionsPath: options.decisionsPath,
    flags: rows.reduce((n, r) => n + r.flags, 0),
    staleTraces,
    quit: false,
  }
  let state = relist(base, cursor?.rootTraceId)
  const card = options.card
  if (card && cursor && cursor.view !== 'traces' && cursor.rootTraceId === card.id) {
    state = transition(state, {
      type: 'openTrace',
      card,
      focus: cursor.traceId ? {traceId: cursor.traceId, stepId: cursor.stepId} : undefined,
      openStep: cursor.view === 'step',
    })
  }
  if (staleTraces > 0 && !state.message) {
    const text = `${staleTraces} decision${staleTraces === 1 ? ' is' : 's are'} about traces not in these cards (kept as stale)`
    state = {...state, message: {text, tone: 'warn'}}
  }
  return state
}

/** The reducer. Any action but a resize clears the last message. */
export function reduce(state: ReviewState, action: Action): ReviewState {
  const next = transition(state, action)
  if (action.type !== 'resize' && action.type !== 'message' && next.message && next.message === state.message) {
    return {...next, message: undefined}
  }
  return next
}

function transition(state: ReviewState, action: Action): ReviewState {
  switch (action.type) {
    case 'resize':
      return resize(state, {columns: action.columns, rows: action.rows})
    case 'move':
      return move(state, action.by)
    case 'sort': {
      const descending = state.list.sort === action.key ? !state.list.descending : true
      return relist({...state, list: {...state.list, sort: action.key, descending}}, selectedRow(state)?.id)
    }
    case 'filterStart':
      if (state.view !== 'traces') return state
      return {...state, overlay: {kind: 'filter', draft: state.list.text, before: state.list.text}}
    case 'filterType':
    case 'filterBackspace': {
      if (state.overlay?.kind !== 'filter') return state
      const draft = action.type === 'filterType' ? state.overlay.draft + action.text : state.overlay.draft.slice(0, -1)
      const typed = {...state, overlay: {...state.overlay, draft}}
      return relist({...typed, list: {...typed.list, text: draft}}, selectedRow(state)?.id)
    }
    case 'filterDone':
      return state.overlay?.kind === 'filter' ? {...state, overlay: undefined} : state
    case 'filterCancel': {
      if (state.overlay?.kind !== 'filter') return state
      const before = state.overlay.before
      return relist({...state, overlay: undefined, list: {...state.list, text: before}}, selectedRow(state)?.id)
    }
    case 'pickerOpen': {
      if (state.view !== 'traces') return state
      const items = pickerItems(state.rows, action.field)
      const current = action.field === 'model' ? state.list.model : state.list.format
      const cursor = Math.max(
        0,
        items.findIndex(i => i.value === current),
      )
      return {
        ...state,
        overlay: {
          kind: 'picker',
          field: action.field,
          items,
          cursor,
          top: follow(cursor, 0, bodyHeight(state.screen) - 1, items.length),
        },
      }
    }
    case 'pickerChoose': {
      if (state.overlay?.kind !== 'picker') return state
      const item = state.overlay.items[state.overlay.cursor]
      const list = {...state.list, [state.overlay.field]: item?.value}
      return relist({...state, overlay: undefined, list}, selectedRow(state)?.id)
    }
    case 'closeOverlay':
      return state.overlay ? {...state, overlay: undefined} : state
    case 'clearFilters':
      if (!state.list.text && !state.list.model && !state.list.format) return state
      return relist(
        {...state, list: {...state.list, text: '', model: undefined, format: undefined}},
        selectedRow(state)?.id,
      )
    case 'openTrace':
      return openTrace(state, action.card, action.focus, action.openStep === true)
    case 'enter':
      return enter(state)
    case 'unfold':
      return unfold(state)
    case 'left':
      return left(state)
    case 'back':
      return back(state)
    case 'nextFlag':
      return nextFlag(state, action.dir)
    case 'nextStep':
      return nextStep(state, action.dir)
    case 'evidence':
      return evidence(state, action.dir)
    case 'decide':
      return decide(state, action.change, action.at)
    case 'undo':
      return undo(state)
    case 'help':
      return state.overlay?.kind === 'help' ? {...state, overlay: undefined} : {...state, overlay: {kind: 'help'}}
    case 'message':
      return {...state, message: {text: action.text, tone: action.tone}}
    case 'quit':
      return {...state, quit: true, overlay: undefined}
    default:
      return action satisfies never
  }
}

// ── traces list ──────────────────────────────────────────────────────────

function compareRows(rows: readonly CardIndexRow[], sort: SortKey): (a: number, b: number) => number {
  switch (sort) {
    case 'cost':
      return (a, b) => rows[a]!.costUsd - rows[b]!.costUsd
    case 'waste':
      return (a, b) => rows[a]!.wastedUsd - rows[b]!.wastedUsd || rows[a]!.costUsd - rows[b]!.costUsd
    case 'date':
      return (a, b) => {
        const x = rows[a]!.startedAt ?? ''
        const y = rows[b]!.startedAt ?? ''
        return x < y ? -1 : x > y ? 1 : 0
      }
    default:
      return sort satisfies never
  }
}

/** Recomputes the list's order after a sort or filter change, keeping the selected trace when it is still shown. */
function relist(state: ReviewState, keepId: string | undefined): ReviewState {
  const {rows, search, list} = state
  const terms = list.text.toLowerCase().split(/\s+/).filter(Boolean)
  const order: number[] = []
  let costUsd = 0
  let wastedUsd = 0
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (list.model && !row.models.includes(list.model)) continue
    if (list.format && row.format !== list.format) continue
    if (terms.length && !terms.every(t => search[i]!.includes(t))) continue
    order.push(i)
    costUsd += row.costUsd
    wastedUsd += row.wastedUsd
  }
  const by = compareRows(rows, list.sort)
  const sign = list.descending ? -1 : 1
  order.sort((a, b) => {
    const c = by(a, b)
    if (c !== 0) return sign * c
    const x = rows[a]!.id
    const y = rows[b]!.id
    return x < y ? -1 : x > y ? 1 : 0
  })
  let cursor = keepId === undefined ? 0 : order.findIndex(i => rows[i]!.id === keepId)
  if (cursor < 0) cursor = 0
  const height = listHeight(state.screen)
  const top = follow(cursor, keepId === undefined ? 0 : list.top, height, order.length)
  return {...state, list: {...list, order, cursor, top, totals: {traces: order.length, costUsd, wastedUsd}}}
}

function pickerItems(rows: readonly CardIndexRow[], field: 'model' | 'format'): PickerItem[] {
  const by = new Map<string, PickerItem>()
  for (const row of rows) {
    for (const value of field === 'model' ? row.models : [row.format]) {
      const item = by.get(value) ?? {value, label: value, traces: 0, costUsd: 0}
      item.traces++
      item.costUsd += row.costUsd
      by.set(value, item)
    }
  }
  const items = [...by.values()].sort((a, b) => b.costUsd - a.costUsd || a.label.localeCompare(b.label))
  return [
    {
      label: field === 'model' ? 'all models' : 'all formats',
      traces: rows.length,
      costUsd: rows.reduce((n, r) => n + r.costUsd, 0),
    },
    ...items,
  ]
}

export function selectedRow(state: ReviewState): CardIndexRow | undefined {
  const i = state.list.order[state.list.cursor]
  return i === undefined ? undefined : state.rows[i]
}

// ── moving ───────────────────────────────────────────────────────────────

function stepTo(cursor: number, count: number, by: MoveBy, page: number): number {
  if (count === 0) return 0
  const target =
    by === 'up'
      ? cursor - 1
      : by === 'down'
        ? cursor + 1
        : by === 'pageUp'
          ? cursor - page
          : by === 'pageDown'
            ? cursor + page
            : by === 'home'
              ? 0
              : count - 1
  return Math.max(0, Math.min(count - 1, target))
}

function move(state: ReviewState, by: MoveBy): ReviewState {
  const overlay = state.overlay
  if (overlay?.kind === 'picker') {
    const height = bodyHeight(state.screen) - 1
    const cursor = stepTo(overlay.cursor, overlay.items.length, by, height)
    return {...state, overlay: {...overlay, cursor, top: follow(cursor, overlay.top, height, overlay.items.length)}}
  }
  if (overlay) return state
  switch (state.view) {
    case 'traces': {
      const height = listHeight(state.screen)
      const cursor = stepTo(state.list.cursor, state.list.order.length, by, height)
      return {
        ...state,
        list: {...state.list, cursor, top: follow(cursor, state.list.top, height, state.list.order.length)},
      }
    }
    case 'trace': {
      const trace = state.trace!
      const height = timelineHeight(state.screen)
      const cursor = stepTo(trace.cursor, trace.lines.length, by, height)
      return {...state, trace: {...trace, cursor, top: follow(cursor, trace.top, height, trace.lines.length)}}
    }
    case 'step': {
      const step = state.step!
      const height = bodyHeight(state.screen)
      const max = Math.max(0, stepDetailLines(state).length - height)
      const scroll = Math.max(0, Math.min(max, stepTo(step.scroll, max + 1, by, height)))
      return {...state, step: {...step, scroll}}
    }
    default:
      return state.view satisfies never
  }
}

function resize(state: ReviewState, screen: Screen): ReviewState {
  const next = {...state, screen}
  const list = {
    ...state.list,
    top: follow(state.list.cursor, state.list.top, listHeight(screen), state.list.order.length),
  }
  const trace = state.trace && {
    ...state.trace,
    top: follow(state.trace.cursor, state.trace.top, timelineHeight(screen), state.trace.lines.length),
  }
  let step = state.step
  if (step) {
    const max = Math.max(0, stepDetailLines({...next, trace}).length - bodyHeight(screen))
    step = {...step, scroll: Math.min(step.scroll, max)}
  }
  let overlay = state.overlay
  if (overlay?.kind === 'picker')
    overlay = {...overlay, top: follow(overlay.cursor, overlay.top, bodyHeight(screen) - 1, overlay.items.length)}
  return {...next, list, trace, step, overlay}
}

// ── a trace ──────────────────────────────────────────────────────────────

function openTrace(
  state: ReviewState,
  card: TraceCard,
  focus: {traceId: string; stepId?: string} | undefined,
  openStep: boolean,
): ReviewState {
  const model = buildTraceModel(card)
  let stale = 0
  for (const d of state.decisions.values())
    if (d.rootTraceId === card.id && !model.steps.has(decisionKey(d.traceId, d.stepId))) stale++
  let trace: TraceState = {model, expanded: new Set(), lines: [], cursor: 0, top: 0, stale}
  trace = {...trace, lines: buildLines(model, trace.expanded)}
  // Keep the list's cursor on the trace opened, so going back lands on it.
  const at = state.list.order.findIndex(i => state.rows[i]!.id === card.id)
  const list =
    at >= 0
      ? {...state.list, cursor: at, top: follow(at, state.list.top, listHeight(state.screen), state.list.order.length)}
      : state.list
  let next: ReviewState = {...state, view: 'trace', trace, step: undefined, overlay: undefined, list}
  const key = focus?.stepId ? decisionKey(focus.traceId, focus.stepId) : undefined
  if (key && model.steps.has(key)) {
    next = {...next, trace: focusStep(next, trace, key)}
    if (openStep) next = {...next, view: 'step', step: {key, back: [], evidence: 0, scroll: 0}}
  } else if (focus && model.cards.has(focus.traceId) && focus.traceId !== card.id) {
    next = {...next, trace: focusChild(next, trace, focus.traceId)}
  }
  if (stale > 0)
    next = {
      ...next,
      message: {
        text: `${stale} decision${stale === 1 ? '' : 's'} on this trace refer to steps no longer in it (stale)`,
        tone: 'warn',
      },
    }
  return next
}

/** The trace with the subagents around `key` unfolded and the cursor on it. */
function focusStep(state: ReviewState, trace: TraceState, key: string): TraceState {
  const ref = trace.model.steps.get(key)!
  const expanded = new Set(trace.expanded)
  for (const id of ancestorsOf(trace.model, ref.card.id)) expanded.add(id)
  const lines = expanded.size === trace.expanded.size ? trace.lines : buildLines(trace.model, expanded)
  const cursor = Math.max(
    0,
    lines.findIndex(l => l.kind === 'step' && l.key === key),
  )
  return {...trace, expanded, lines, cursor, top: follow(cursor, trace.top, timelineHeight(state.screen), lines.length)}
}

function focusChild(state: ReviewState, trace: TraceState, traceId: string): TraceState {
  const expanded = new Set(trace.expanded)
  for (const id of ancestorsOf(trace.model, traceId).slice(1)) expanded.add(id)
  const lines = buildLines(trace.model, expanded)
  const cursor = Math.max(
    0,
    lines.findIndex(l => l.kind === 'child' && l.traceId === traceId),
  )
  return {...trace, expanded, lines, cursor, top: follow(cursor, trace.top, timelineHeight(state.screen), lines.length)}
}

function setFold(state: ReviewState, traceId: string, open: boolean): ReviewState {
  const trace = state.trace!
  if (trace.expanded.has(traceId) === open) return state
  const expanded = new Set(trace.expanded)
  if (open) expanded.add(traceId)
  else expanded.delete(traceId)
  const current = trace.lines[trace.cursor]
  const lines = buildLines(trace.model, expanded)
  const cursor = Math.max(0, current ? lines.findIndex(l => sameLine(l, current)) : 0)
  return {
    ...state,
    trace: {
      ...trace,
      expanded,
      lines,
      cursor,
      top: follow(cursor, trace.top, timelineHeight(state.screen), lines.length),
    },
  }
}

/** Enter: in the timeline, opens the step or (un)folds a subagent; in a step, follows the selected evidence. */
function enter(state: ReviewState): ReviewState {
  if (state.view === 'trace') {
    const line = state.trace!.lines[state.trace!.cursor]
    if (!line) return state
    if (line.kind === 'child') return setFold(state, line.traceId, !state.trace!.expanded.has(line.traceId))
    return {...state, view: 'step', step: {key: line.key, back: [], evidence: 0, scroll: 0}}
  }
  if (state.view === 'step') {
    const step = state.step!
    const keys = evidenceKeys(state.trace!.model, step.key)
    const target = keys[step.evidence]
    if (!target) return {...state, message: {text: 'this step names no evidence steps', tone: 'info'}}
    return {
      ...state,
      trace: focusStep(state, state.trace!, target),
      step: {key: target, back: [...step.back, step.key], evidence: 0, scroll: 0},
    }
  }
  return state
}

function unfold(state: ReviewState): ReviewState {
  if (state.view !== 'trace') return enter(state)
  const line = state.trace!.lines[state.trace!.cursor]
  if (line?.kind === 'child') return setFold(state, line.traceId, true)
  return enter(state)
}

/** ←: folds an unfolded subagent under the cursor, otherwise goes back. */
function left(state: ReviewState): ReviewState {
  if (state.view === 'trace') {
    const line = state.trace!.lines[state.trace!.cursor]
    if (line?.kind === 'child' && state.trace!.expanded.has(line.traceId)) return setFold(state, line.traceId, false)
  }
  return back(state)
}

function back(state: ReviewState): ReviewState {
  switch (state.view) {
    case 'traces':
      return state
    case 'trace':
      return {...state, view: 'traces', trace: undefined, step: undefined}
    case 'step': {
      const step = state.step!
      const previous = step.back[step.back.length - 1]
      if (previous) {
        return {
          ...state,
          trace: focusStep(state, state.trace!, previous),
          step: {key: previous, back: step.back.slice(0, -1), evidence: 0, scroll: 0},
        }
      }
      return {...state, view: 'trace', step: undefined, trace: focusStep(state, state.trace!, step.key)}
    }
    default:
      return state.view satisfies never
  }
}

function nextFlag(state: ReviewState, dir: 1 | -1): ReviewState {
  if (state.view === 'traces' || !state.trace) return state
  const trace = state.trace
  const from: TimelineLine | undefined =
    state.view === 'step' ? {kind: 'step', key: state.step!.key, depth: 0} : trace.lines[trace.cursor]
  const key = nextFlagged(trace.model, from, dir)
  if (!key) return {...state, message: {text: 'no step of this trace is flagged', tone: 'info'}}
  const focused = focusStep(state, trace, key)
  if (state.view === 'step') return {...state, trace: focused, step: {key, back: [], evidence: 0, scroll: 0}}
  return {...state, trace: focused}
}

/** In a step: the next or previous step of the timeline (subagents included). */
function nextStep(state: ReviewState, dir: 1 | -1): ReviewState {
  if (state.view !== 'step') return state
  const order = state.trace!.model.order
  const at = order.findIndex(l => l.kind === 'step' && l.key === state.step!.key)
  for (let i = at + dir; i >= 0 && i < order.length; i += dir) {
    const line = order[i]!
    if (line.kind === 'step') {
      return {
        ...state,
        trace: focusStep(state, state.trace!, line.key),
        step: {key: line.key, back: [], evidence: 0, scroll: 0},
      }
    }
  }
  return {...state, message: {text: dir === 1 ? 'this is the last step' : 'this is the first step', tone: 'info'}}
}

function evidence(state: ReviewState, dir: 1 | -1): ReviewState {
  if (state.view !== 'step') return state
  const keys = evidenceKeys(state.trace!.model, state.step!.key)
  if (keys.length === 0) return {...state, message: {text: 'this step names no evidence steps', tone: 'info'}}
  const evidenceAt = (((state.step!.evidence + dir) % keys.length) + keys.length) % keys.length
  return {...state, step: {...state.step!, evidence: evidenceAt}}
}

// ── decisions ────────────────────────────────────────────────────────────

/** The step a decision key would apply to: the open step, or the step under the timeline's cursor. */
export function currentStep(state: ReviewState): StepRef | undefined {
  if (!state.trace) return undefined
  if (state.view === 'step') return state.trace.model.steps.get(state.step!.key)
  if (state.view === 'trace') {
    const line = state.trace.lines[state.trace.cursor]
    return line?.kind === 'step' ? state.trace.model.steps.get(line.key) : undefined
  }
  return undefined
}

function countByRoot(decisions: DecisionMap): Map<string, number> {
  const out = new Map<string, number>()
  for (const d of decisions.values()) if (d.prune) out.set(d.rootTraceId, (out.get(d.rootTraceId) ?? 0) + 1)
  return out
}

function describeChange(decision: Decision | undefined, change: DecisionChange): string {
  if ('prune' in change)
    return decision?.prune === change.prune
      ? `${change.prune === 'accept' ? 'accepted' : 'rejected'} the prune`
      : 'cleared the prune decision'
  return decision?.label === change.label ? `labelled ${LABEL_SHORT[change.label]}` : 'cleared the label'
}

function decide(state: ReviewState, change: DecisionChange, at: string): ReviewState {
  if (state.view === 'traces')
    return {...state, message: {text: 'open a trace (⏎) to decide on its steps', tone: 'info'}}
  const ref = currentStep(state)
  if (!ref) return {...state, message: {text: 'move to a step to decide on it', tone: 'info'}}
  if ('prune' in change && !ref.step.flags?.length) {
    return {...state, message: {text: `#${ref.step.index} has no prune suggestion; label it with 1–4`, tone: 'warn'}}
  }
  const before = state.decisions.get(ref.key)
  const after = applyChange(before, stepFacts(ref.card, state.trace!.model.root.id, ref.step), change, 'review', at)
  const decisions = withDecision(state.decisions, ref.key, after)
  return {
    ...state,
    decisions,
    decidedByRoot: countByRoot(decisions),
    undo: [...state.undo, {key: ref.key, before, after}].slice(-500),
    message: {
      text: `#${ref.step.index} ${describeTool(ref.step)}: ${describeChange(after, change)} · saved`,
      tone: 'ok',
    },
  }
}

function undo(state: ReviewState): ReviewState {
  const last = state.undo[state.undo.length - 1]
  if (!last) return {...state, message: {text: 'nothing to undo in this session', tone: 'info'}}
  const decisions = withDecision(state.decisions, last.key, last.before)
  let next: ReviewState = {...state, decisions, decidedByRoot: countByRoot(decisions), undo: state.undo.slice(0, -1)}
  const ref = state.trace?.model.steps.get(last.key)
  if (ref && state.trace) {
    next = {...next, trace: focusStep(next, state.trace, last.key)}
    if (state.view === 'step' && state.step!.key !== last.key)
      next = {...next, step: {key: last.key, back: [], evidence: 0, scroll: 0}}
  }
  const what = last.after?.prune !== last.before?.prune ? 'the prune decision' : 'the label'
  const where = ref ? `#${ref.step.index} ${describeTool(ref.step)}` : `step ${last.key.split('\u0000')[1]}`
  return {...next, message: {text: `undid ${what} on ${where} · saved`, tone: 'ok'}}
}

// ── what is saved ────────────────────────────────────────────────────────

export function cursorOf(state: ReviewState): ReviewCursor {
  const cursor: ReviewCursor = {view: state.view, sort: state.list.sort, descending: state.list.descending}
  const filter: NonNullable<ReviewCursor['filter']> = {}
  if (state.list.text) filter.text = state.list.text
  if (state.list.model) filter.model = state.list.model
  if (state.list.format) filter.format = state.list.format
  if (Object.keys(filter).length) cursor.filter = filter
  if (state.trace) {
    cursor.rootTraceId = state.trace.model.root.id
    const ref = currentStep(state)
    const line = state.trace.lines[state.trace.cursor]
    if (ref) {
      cursor.traceId = ref.card.id
      cursor.stepId = ref.step.id
    } else if (line?.kind === 'child') cursor.traceId = line.traceId
  } else {
    const row = selectedRow(state)
    if (row) cursor.rootTraceId = row.id
  }
  return cursor
}

/** Whether a change is worth writing to the decisions file: a decision, or a move to another trace or step. */
export function worthSaving(prev: ReviewState, next: ReviewState): boolean {
  return (
    prev.decisions !== next.decisions ||
    prev.view !== next.view ||
    prev.trace?.model.root.id !== next.trace?.model.root.id ||
    prev.step?.key !== next.step?.key ||
    (next.quit && !prev.quit)
  )
}

/** The decisions file for a state. */
export function decisionsDocument(state: ReviewState, source: DecisionsFile['source'], at: string): DecisionsFile {
  return {
    schemaVersion: DECISIONS_VERSION,
    source,
    updatedAt: at,
    cursor: cursorOf(state),
    decisions: sortedDecisions(state.decisions),
  }
}
