/**
 * Cross-file steps after adapting: responses already counted in another file
 * are dropped (Claude Code copies messages into resumed sessions), subagent
 * traces are nested under the step that started them, and card ids are made
 * unique within the run.
 */
import {computeTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'

/**
 * Drops Claude Code responses (by message id) already counted in an earlier
 * card, with the tool calls they made. `seen` carries the ids counted so far
 * across calls. Returns how many LLM steps were dropped and the cards that changed.
 */
export function dropRepeatedResponses(
  cards: TraceCard[],
  seen: Map<string, string> = new Map(),
): {dropped: number; changed: TraceCard[]} {
  let dropped = 0
  const changed: TraceCard[] = []
  const visit = (card: TraceCard): void => {
    if (card.source.format === 'claude-code') {
      let droppedHere: Set<string> | undefined
      let droppedCalls = 0
      let firstOwner: string | undefined
      for (const step of card.steps) {
        if (step.kind !== 'llm' || !step.id.startsWith('msg')) continue
        const owner = seen.get(step.id)
        if (owner === undefined || owner === card.id) {
          seen.set(step.id, card.id)
          continue
        }
        droppedHere ??= new Set()
        droppedHere.add(step.id)
        for (const id of step.toolStepIds ?? []) droppedHere.add(id)
        firstOwner ??= owner
        droppedCalls++
      }
      if (droppedHere) {
        const gone = droppedHere
        const keep = card.steps.filter(s => !gone.has(s.id))
        keep.forEach((s, i) => {
          s.index = i
          if (s.parentStepId && gone.has(s.parentStepId)) delete s.parentStepId
          // A flag that rests on a dropped step (its evidence) no longer stands; the others do.
          // The same rule whether the card travelled whole or lean, so the figures never depend on it.
          if (s.flags?.some(f => f.evidence.some(id => gone.has(id)))) {
            s.flags = s.flags.filter(f => !f.evidence.some(id => gone.has(id)))
            if (!s.flags.length) delete s.flags
          }
        })
        card.steps = keep
        card.totals = computeTotals(keep)
        card.warnings.push({
          message: `${droppedCalls} response(s) already counted in trace ${firstOwner} were not counted again`,
        })
        dropped += droppedCalls
        changed.push(card)
      }
    }
    for (const child of card.children) visit(child)
  }
  for (const card of cards) visit(card)
  return {dropped, changed}
}

/**
 * Nests cards under the step that names them in `childTraceIds` (subagent
 * files under their session's Task call). A subagent's own file is read in
 * place of what its session knew of it: the trace read from the session's
 * progress records is replaced (so no call counts twice), and the warning
 * that its transcript was not read is dropped. Returns the top-level cards.
 */
export function nestChildren(cards: TraceCard[]): TraceCard[] {
  const byId = new Map<string, TraceCard>()
  for (const card of cards) if (!byId.has(card.id)) byId.set(card.id, card)
  const nested = new Set<TraceCard>()
  for (const card of cards) {
    for (const step of card.steps) {
      if (!step.childTraceIds) continue
      for (const childId of step.childTraceIds) {
        const child = byId.get(childId)
        if (!child || child === card || nested.has(child) || card.children.includes(child)) continue
        if (isAncestor(child, card)) continue
        nested.add(child)
        const stale = card.children.findIndex(c => c.id === childId)
        if (stale !== -1) card.children.splice(stale, 1)
        if (card.warnings.some(w => w.subagent === childId))
          card.warnings = card.warnings.filter(w => w.subagent !== childId)
        child.parent = {
          ...child.parent,
          traceId: card.id,
          stepId: step.id,
          ...(step.tool?.callId ? {toolCallId: step.tool.callId} : {}),
        }
        const type = (step.tool?.arguments as {subagent_type?: unknown} | undefined)?.subagent_type
        if (typeof type === 'string') child.parent.agentType = type
        card.children.push(child)
      }
    }
  }
  return cards.filter(c => !nested.has(c))
}

function isAncestor(candidate: TraceCard, of: TraceCard): boolean {
  for (const child of candidate.children) if (child === of || isAncestor(child, of)) return true
  return false
}

/** Makes card ids unique across the run by suffixing repeats (`id~2`); `used` carries ids across calls. */
export function uniqueIds(cards: TraceCard[], used: Set<string> = new Set()): void {
  const visit = (card: TraceCard): void => {
    let id = card.id
    if (used.has(id)) {
      let n = 2
      while (used.has(`${id}~${n}`)) n++
      id = `${id}~${n}`
      card.id = id
    }
    used.add(id)
    for (const child of card.children) {
      if (child.parent) child.parent.traceId = card.id
      visit(child)
    }
  }
  for (const card of cards) visit(card)
}
