/**
 * The review's state and its pure reducer: which screen is shown, the
 * traces list (./list.ts), moving through a trace and its steps
 * (./navigate.ts), the decisions and their undo history (./decide.ts).
 * No I/O and no clock: a card to open and the time of a decision come in
 * the action, so every transition is a plain function, tested without Ink.
 * Nothing here draws: the length of a step's view, which depends on how its
 * text wraps, is measured where it is drawn and comes in an action too.
 */
import {toMap, type ReviewCursor} from '../decisions.js'
import {countByRoot, decide, undo} from './decide.js'
import {
  clearFilters,
  filterCancel,
  filterDone,
  filterEdit,
  filterStart,
  pickerChoose,
  pickerOpen,
  relist,
  rowSearch,
  sortBy,
} from './list.js'
import {back, enter, evidence, left, measured, move, nextFlag, nextStep, openTrace, resize, unfold} from './navigate.js'
import type {Action, InitOptions, ReviewState} from './types.js'
import {tooSmall} from '../layout.js'

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
    search: rowSearch(rows),
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
      totals: {traces: 0, costUsd: 0, wastedUsd: 0, unpricedCalls: 0, unpricedFlags: 0},
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

/** Actions that are not a key the person pressed: they leave the last message up. */
const KEEPS_MESSAGE: ReadonlySet<Action['type']> = new Set(['resize', 'measured', 'message'])

/** The reducer. Any action from a key clears the last message. */
export function reduce(state: ReviewState, action: Action): ReviewState {
  const next = transition(state, action)
  if (!KEEPS_MESSAGE.has(action.type) && next.message && next.message === state.message) {
    return {...next, message: undefined}
  }
  return next
}

/** What a screen too small to show the review still takes: its size changing, and what is not a key. */
const SHOWN_OR_NOT: ReadonlySet<Action['type']> = new Set(['resize', 'measured', 'message', 'openTrace', 'quit'])

function transition(state: ReviewState, action: Action): ReviewState {
  // Nothing of the review is on a screen under 40×10 but the note saying so: a key there would move, decide or label
  // unseen (trial 101: an accept and a label made blind). q still quits.
  if (tooSmall(state.screen) && !SHOWN_OR_NOT.has(action.type)) return state
  switch (action.type) {
    case 'resize':
      return resize(state, {columns: action.columns, rows: action.rows})
    case 'measured':
      return measured(state, action.key, action.columns, action.length)
    case 'move':
      return move(state, action.by)
    case 'sort':
      return sortBy(state, action.key)
    case 'filterStart':
      return filterStart(state)
    case 'filterType':
    case 'filterBackspace':
      return filterEdit(state, action)
    case 'filterDone':
      return filterDone(state)
    case 'filterCancel':
      return filterCancel(state)
    case 'pickerOpen':
      return pickerOpen(state, action.field)
    case 'pickerChoose':
      return pickerChoose(state)
    case 'closeOverlay':
      return state.overlay ? {...state, overlay: undefined} : state
    case 'clearFilters':
      return clearFilters(state)
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
      return state.overlay?.kind === 'help'
        ? {...state, overlay: undefined}
        : {...state, overlay: {kind: 'help', top: 0}}
    case 'message':
      return {...state, message: {text: action.text, tone: action.tone}}
    case 'quit':
      return {...state, quit: true, overlay: undefined}
    default:
      return action satisfies never
  }
}
