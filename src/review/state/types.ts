/**
 * The shape of the review's state and of the actions its reducer takes.
 * Types only: the reducer (./reduce.ts) and the screens that draw a state
 * (../lines/) both read them, and neither imports the other.
 */
import type {CardIndexRow} from '../../analyze/card-index.js'
import type {TraceCard} from '../../card/types.js'
import type {Decision, DecisionChange, DecisionMap, DecisionsFile, ReviewView, SortKey} from '../decisions.js'
import type {Screen} from '../layout.js'
import type {TimelineLine, TraceModel} from '../timeline.js'

/** The lower-cased text row `i` of `rows` is searched by. */
export interface RowSearch {
  text(i: number): string
}

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
  totals: {traces: number; costUsd: number; wastedUsd: number; unpricedCalls: number; unpricedFlags: number}
}

export interface TraceState {
  model: TraceModel
  /** Subagents unfolded. */
  expanded: ReadonlySet<string>
  lines: readonly TimelineLine[]
  cursor: number
  top: number
  /** Decisions on this trace whose step is no longer in it (the cards were analysed again). */
  stale: number
}

export interface StepState {
  key: string
  /** Steps to return to (evidence followed). */
  back: readonly string[]
  /** Which evidence step is selected (for Enter). */
  evidence: number
  scroll: number
  /**
   * How many lines the step's view has at the screen's width. Measured where
   * the view is drawn (the `measured` action) when a step opens or the width
   * changes; until then the step does not scroll.
   */
  length?: number
}

export interface PickerItem {
  /** undefined: no filter. */
  value?: string
  label: string
  traces: number
  costUsd: number
  unpricedCalls: number
}

type Overlay =
  /** `top`: the first row shown, when the help is taller than the body (a small terminal). */
  | {kind: 'help'; top: number}
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
  /** Lower-cased text each row is searched by (list.ts's `rowSearch`: made when a search first needs it). */
  search: RowSearch
  screen: Screen
  view: ReviewView
  list: ListState
  trace?: TraceState
  /** Where each trace's timeline was left (its id: cursor, top, subagents unfolded): it opens there again. */
  left?: ReadonlyMap<string, {cursor: number; top: number; expanded: ReadonlySet<string>}>
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

export type MoveBy = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'

export type Action =
  | {type: 'resize'; columns: number; rows: number}
  /** The open step's view has `length` lines at `columns` wide (see StepState.length). */
  | {type: 'measured'; key: string; columns: number; length: number}
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
