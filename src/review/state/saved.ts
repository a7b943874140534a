/** What of the review's state is saved in the decisions file: the decisions, and where the person was. */
import {DECISIONS_VERSION, sortedDecisions, type DecisionsFile, type ReviewCursor} from '../decisions.js'
import {currentStep} from './decide.js'
import {selectedRow} from './list.js'
import type {ReviewState} from './types.js'

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
