/**
 * Lean cards: what the summary needs of a card once it is priced and flagged
 * (ids, kinds, models, tokens, costs, tool names and statuses, flags), without
 * the text, arguments and excerpts (a call a person declined keeps a mark that says so). When nobody asked for the cards
 * themselves, workers send these back: less to copy between threads, less
 * for the main thread to hold.
 */
import type {Step, TraceCard} from '../card/types.js'
import {isUnder} from '../flag/effects.js'
import {declinedByPerson} from '../flag/output.js'

/** What a lean card keeps of a call a person declined: words `declinedByPerson` reads as such. */
const DECLINED_MARK = 'rejected by user'

function leanStep(step: Step, home: string | undefined): Step {
  const lean: Step = {index: step.index, id: step.id, kind: step.kind}
  // (A step run in another project's folder than its card's, a resumed Cline task's: --by project reads it. One in the
  // card's own folder or below it, most steps, need not be carried.)
  if (outsideOf(step.cwd, home)) lean.cwd = step.cwd
  if (step.parentStepId !== undefined) lean.parentStepId = step.parentStepId
  if (step.model !== undefined) lean.model = step.model
  // Times stay: --since/--until and --by day read them.
  if (step.startedAt !== undefined) lean.startedAt = step.startedAt
  if (step.endedAt !== undefined) lean.endedAt = step.endedAt
  if (step.loggedAt !== undefined) lean.loggedAt = step.loggedAt
  if (step.tokens) lean.tokens = step.tokens
  // (--by marks a group whose calls' input the log does not record.)
  if (step.inputUnrecorded) lean.inputUnrecorded = true
  if (step.cost) lean.cost = step.cost
  if (step.toolStepIds) lean.toolStepIds = step.toolStepIds
  if (step.childTraceIds) lean.childTraceIds = step.childTraceIds
  if (step.flags) lean.flags = step.flags
  if (step.tool)
    lean.tool = {
      callId: step.tool.callId,
      name: step.tool.name,
      argsHash: step.tool.argsHash,
      status: step.tool.status,
      arguments: undefined,
    }
  // (Whether a person declined a failed call, which the cost by tool counts apart from its errors: as a mark, not the
  // call's own words, which a lean card must not carry; review 73.)
  if (step.tool?.status === 'error' && declinedByPerson(step.tool.excerpt)) lean.tool!.excerpt = DECLINED_MARK
  return lean
}

/** Whether a step's folder lies outside its card's (neither it nor below it): another project's. */
export function outsideOf(cwd: string | undefined, home: string | undefined): cwd is string {
  return cwd !== undefined && home !== undefined && !isUnder(cwd, home.replace(/(.)\/+$/, '$1'))
}

/** A copy of the card (and its children) keeping only what summaries read. */
export function leanCard(card: TraceCard): TraceCard {
  return {...card, steps: card.steps.map(s => leanStep(s, card.cwd)), children: card.children.map(leanCard)}
}
