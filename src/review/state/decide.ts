/**
 * Deciding in the review: accepting or rejecting a step's prune suggestion,
 * labelling it, and undoing the last decisions of the session. The time of
 * a decision comes in the action; pure transitions of the review's state.
 */
import {
  applyChange,
  stepFacts,
  LABEL_SHORT,
  modelLabel,
  withDecision,
  type Decision,
  type DecisionChange,
  type DecisionMap,
} from '../decisions.js'
import {describeTool} from '../text.js'
import type {StepRef} from '../timeline.js'
import {focusStep, freshStep} from './navigate.js'
import type {ReviewState} from './types.js'

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

/** Prune decisions per top-level trace (the list's flags column). */
export function countByRoot(decisions: DecisionMap): Map<string, number> {
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

/** A decision on the current step (the same decision again clears it), remembered for undo. */
export function decide(state: ReviewState, change: DecisionChange, at: string): ReviewState {
  if (state.view === 'traces')
    return {...state, message: {text: 'open a trace (⏎) to decide on its steps', tone: 'info'}}
  const ref = currentStep(state)
  if (!ref) return {...state, message: {text: 'move to a step to decide on it', tone: 'info'}}
  if ('prune' in change && !ref.step.flags?.length) {
    return {...state, message: {text: `#${ref.step.index} has no prune suggestion; label it with 1–4`, tone: 'warn'}}
  }
  // A model label on a tool call, which runs no model: the call that issued it is where it goes (trial 33: accepted, then
  // dropped by aco train --steps).
  if ('label' in change && modelLabel(change.label) && ref.step.kind === 'tool') {
    const issuer = ref.card.steps.find(s => s.id === ref.step.parentStepId)
    return {
      ...state,
      message: {
        text: `#${ref.step.index} is a tool call, which runs no model: label the LLM call that issued it${issuer ? ` (#${issuer.index})` : ''} with 2 or 3`,
        tone: 'warn',
      },
    }
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

/** Undoes the last decision of this session, and moves to its step. */
export function undo(state: ReviewState): ReviewState {
  const last = state.undo[state.undo.length - 1]
  if (!last) return {...state, message: {text: 'nothing to undo in this session', tone: 'info'}}
  const decisions = withDecision(state.decisions, last.key, last.before)
  let next: ReviewState = {...state, decisions, decidedByRoot: countByRoot(decisions), undo: state.undo.slice(0, -1)}
  const ref = state.trace?.model.steps.get(last.key)
  if (ref && state.trace) {
    next = {...next, trace: focusStep(next, state.trace, last.key)}
    if (state.view === 'step' && state.step!.key !== last.key) next = {...next, step: freshStep(last.key)}
  }
  const what = last.after?.prune !== last.before?.prune ? 'the prune decision' : 'the label'
  const where = ref ? `#${ref.step.index} ${describeTool(ref.step)}` : `step ${last.key.split('\u0000')[1]}`
  return {...next, message: {text: `undid ${what} on ${where} · saved`, tone: 'ok'}}
}
