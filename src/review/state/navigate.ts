/**
 * Moving through the review: the cursor and scrolling on every screen, the
 * terminal's size, opening a trace, folding subagents, opening a step,
 * following evidence, going back, the next flag or step. Pure transitions
 * of the review's state.
 */
import type {TraceCard} from '../../card/types.js'
import {decisionKey} from '../decisions.js'
import {helpScroll} from '../help-keys.js'
import {bodyHeight, follow, listHeight, timelineHeight, type Screen} from '../layout.js'
import {
  ancestorsOf,
  buildLines,
  buildTraceModel,
  evidenceKeys,
  nextFlagged,
  sameLine,
  type TimelineLine,
} from '../timeline.js'
import type {MoveBy, ReviewState, StepState, TraceState} from './types.js'

/** A step just opened: at its top, the first evidence selected, not measured yet. */
export function freshStep(key: string, back: readonly string[] = []): StepState {
  return {key, back, evidence: 0, scroll: 0}
}

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

/** How far the open step's view can scroll: its measured length less the body's height. */
function maxScroll(step: StepState, screen: Screen): number {
  return Math.max(0, (step.length ?? 0) - bodyHeight(screen))
}

export function move(state: ReviewState, by: MoveBy): ReviewState {
  const overlay = state.overlay
  if (overlay?.kind === 'picker') {
    const height = bodyHeight(state.screen) - 1
    const cursor = stepTo(overlay.cursor, overlay.items.length, by, height)
    return {...state, overlay: {...overlay, cursor, top: follow(cursor, overlay.top, height, overlay.items.length)}}
  }
  if (overlay?.kind === 'help') {
    const max = helpScroll(state.decisionsPath, state.screen)
    return {...state, overlay: {...overlay, top: stepTo(overlay.top, max + 1, by, bodyHeight(state.screen))}}
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
      const max = maxScroll(step, state.screen)
      const scroll = Math.max(0, Math.min(max, stepTo(step.scroll, max + 1, by, bodyHeight(state.screen))))
      return {...state, step: {...step, scroll}}
    }
    default:
      return state.view satisfies never
  }
}

export function resize(state: ReviewState, screen: Screen): ReviewState {
  const list = {
    ...state.list,
    top: follow(state.list.cursor, state.list.top, listHeight(screen), state.list.order.length),
  }
  const trace = state.trace && {
    ...state.trace,
    top: follow(state.trace.cursor, state.trace.top, timelineHeight(screen), state.trace.lines.length),
  }
  let step = state.step
  // A step's view wraps to the width: another width, another length (measured again before it is drawn).
  if (step && screen.columns !== state.screen.columns) step = {...step, length: undefined}
  else if (step) step = {...step, scroll: Math.min(step.scroll, maxScroll(step, screen))}
  let overlay = state.overlay
  if (overlay?.kind === 'picker')
    overlay = {...overlay, top: follow(overlay.cursor, overlay.top, bodyHeight(screen) - 1, overlay.items.length)}
  else if (overlay?.kind === 'help')
    overlay = {...overlay, top: Math.min(overlay.top, helpScroll(state.decisionsPath, screen))}
  return {...state, screen, list, trace, step, overlay, ...smallScreen(state, screen)}
}

/** The size every part of the review fits in: its columns, the keys' help. */
const FITS = {columns: 80, rows: 24}

/**
 * Said once when the terminal becomes smaller than the review fits in (columns are cut and the keys' help is
 * shortened there), and taken back when it is large enough again.
 */
export function smallScreen(state: ReviewState, screen: Screen): Pick<ReviewState, 'message'> | undefined {
  const small = screen.columns < FITS.columns || screen.rows < FITS.rows
  const saying = state.message?.text.startsWith(SMALL)
  if (small && (!state.message || saying))
    return {
      message: {
        text: `${SMALL} (${screen.columns}×${screen.rows}): columns are cut; ${FITS.columns}×${FITS.rows} or larger shows everything`,
        tone: 'warn',
      },
    }
  if (!small && saying) return {message: undefined}
  return undefined
}

const SMALL = 'a small terminal'

/** The open step's view measured: its scroll kept inside it. A measure of another step or width is ignored. */
export function measured(state: ReviewState, key: string, columns: number, length: number): ReviewState {
  const step = state.step
  if (!step || step.key !== key || columns !== state.screen.columns || step.length === length) return state
  const sized = {...step, length}
  return {...state, step: {...sized, scroll: Math.min(step.scroll, maxScroll(sized, state.screen))}}
}

// ── a trace ──────────────────────────────────────────────────────────────

export function openTrace(
  state: ReviewState,
  card: TraceCard,
  focus: {traceId: string; stepId?: string} | undefined,
  openStep: boolean,
): ReviewState {
  const model = buildTraceModel(card)
  let stale = 0
  for (const d of state.decisions.values())
    if (d.rootTraceId === card.id && !model.steps.has(decisionKey(d.traceId, d.stepId))) stale++
  // Where it was left, unless it opens on a step asked for.
  const was = focus ? undefined : state.left?.get(card.id)
  let trace: TraceState = {model, expanded: new Set(was?.expanded), lines: [], cursor: 0, top: 0, stale}
  trace = {...trace, lines: buildLines(model, trace.expanded)}
  if (was) {
    const cursor = Math.min(was.cursor, Math.max(0, trace.lines.length - 1))
    trace = {...trace, cursor, top: follow(cursor, was.top, timelineHeight(state.screen), trace.lines.length)}
  }
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
    if (openStep) next = {...next, view: 'step', step: freshStep(key)}
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
export function focusStep(state: ReviewState, trace: TraceState, key: string): TraceState {
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
export function enter(state: ReviewState): ReviewState {
  if (state.view === 'trace') {
    const line = state.trace!.lines[state.trace!.cursor]
    if (!line) return state
    if (line.kind === 'child') return setFold(state, line.traceId, !state.trace!.expanded.has(line.traceId))
    return {...state, view: 'step', step: freshStep(line.key)}
  }
  if (state.view === 'step') {
    const step = state.step!
    const keys = evidenceKeys(state.trace!.model, step.key)
    const target = keys[step.evidence]
    if (!target) return {...state, message: {text: 'this step names no evidence steps', tone: 'info'}}
    return {
      ...state,
      trace: focusStep(state, state.trace!, target),
      step: freshStep(target, [...step.back, step.key]),
    }
  }
  return state
}

export function unfold(state: ReviewState): ReviewState {
  if (state.view !== 'trace') return enter(state)
  const line = state.trace!.lines[state.trace!.cursor]
  if (line?.kind === 'child') return setFold(state, line.traceId, true)
  return enter(state)
}

/**
 * ←: folds an unfolded subagent under the cursor, or, the cursor inside one, the subagent it is in (the cursor on its
 * heading, as a tree of folders does: trial 123 pressed ← on a subagent's step and was back in the list of traces);
 * otherwise goes back.
 */
export function left(state: ReviewState): ReviewState {
  if (state.view === 'trace') {
    const trace = state.trace!
    const line = trace.lines[trace.cursor]
    if (line?.kind === 'child' && trace.expanded.has(line.traceId)) return setFold(state, line.traceId, false)
    if (line && line.depth > 0) {
      // Its subagent's heading: the nearest line above one level out (a subagent's lines are one deeper than it).
      let k = trace.cursor - 1
      while (k >= 0 && !(trace.lines[k]!.kind === 'child' && trace.lines[k]!.depth === line.depth - 1)) k--
      const heading = trace.lines[k]
      if (heading?.kind === 'child') {
        const folded = setFold({...state, trace: {...trace, cursor: k}}, heading.traceId, false)
        const t = folded.trace!
        const cursor = Math.max(
          0,
          t.lines.findIndex(l => sameLine(l, heading)),
        )
        return {
          ...folded,
          trace: {...t, cursor, top: follow(cursor, t.top, timelineHeight(state.screen), t.lines.length)},
        }
      }
    }
  }
  return back(state)
}

export function back(state: ReviewState): ReviewState {
  switch (state.view) {
    case 'traces':
      return state
    case 'trace': {
      // (Where it was left, to open it there again: trial 113 found the cursor back on step 0.)
      const trace = state.trace!
      const left = new Map(state.left)
      left.set(trace.model.root.id, {cursor: trace.cursor, top: trace.top, expanded: trace.expanded})
      return {...state, view: 'traces', trace: undefined, step: undefined, left}
    }
    case 'step': {
      const step = state.step!
      const previous = step.back[step.back.length - 1]
      if (previous) {
        return {
          ...state,
          trace: focusStep(state, state.trace!, previous),
          step: freshStep(previous, step.back.slice(0, -1)),
        }
      }
      return {...state, view: 'trace', step: undefined, trace: focusStep(state, state.trace!, step.key)}
    }
    default:
      return state.view satisfies never
  }
}

export function nextFlag(state: ReviewState, dir: 1 | -1): ReviewState {
  if (state.view === 'traces' || !state.trace) return state
  const trace = state.trace
  const from: TimelineLine | undefined =
    state.view === 'step' ? {kind: 'step', key: state.step!.key, depth: 0} : trace.lines[trace.cursor]
  const key = nextFlagged(trace.model, from, dir)
  if (!key) return {...state, message: {text: 'no step of this trace is flagged', tone: 'info'}}
  const focused = focusStep(state, trace, key)
  if (state.view === 'step') return {...state, trace: focused, step: freshStep(key)}
  return {...state, trace: focused}
}

/** In a step: the next or previous step of the timeline (subagents included). */
export function nextStep(state: ReviewState, dir: 1 | -1): ReviewState {
  if (state.view !== 'step') return state
  const order = state.trace!.model.order
  const at = order.findIndex(l => l.kind === 'step' && l.key === state.step!.key)
  for (let i = at + dir; i >= 0 && i < order.length; i += dir) {
    const line = order[i]!
    if (line.kind === 'step')
      return {...state, trace: focusStep(state, state.trace!, line.key), step: freshStep(line.key)}
  }
  return {...state, message: {text: dir === 1 ? 'this is the last step' : 'this is the first step', tone: 'info'}}
}

/** Tab: selects the next (or previous) evidence step of the open step's flag. */
export function evidence(state: ReviewState, dir: 1 | -1): ReviewState {
  if (state.view !== 'step') return state
  const keys = evidenceKeys(state.trace!.model, state.step!.key)
  if (keys.length === 0) return {...state, message: {text: 'this step names no evidence steps', tone: 'info'}}
  const evidenceAt = (((state.step!.evidence + dir) % keys.length) + keys.length) % keys.length
  return {...state, step: {...state.step!, evidence: evidenceAt}}
}
