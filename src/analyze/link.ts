/**
 * Cross-file steps after adapting: responses already counted in another file
 * are dropped (Claude Code copies messages into resumed sessions), subagent
 * traces are nested under the step that started them, and card ids are made
 * unique within the run.
 */
import {computeTotals} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'

/**
 * Drops Claude Code steps whose response (message id) or tool call id was
 * already counted in an earlier card. `seen` carries the ids counted so far
 * across calls. Returns how many LLM steps were dropped and the cards that changed.
 */
export function dropRepeatedResponses(cards: TraceCard[], seen: Map<string, string> = new Map()): {dropped: number; changed: TraceCard[]} {
  let dropped = 0
  const changed: TraceCard[] = []
  const visit = (card: TraceCard): void => {
    if (card.source.format === 'claude-code') {
      const keep: Step[] = []
      const droppedHere = new Set<string>()
      let firstOwner: string | undefined
      for (const step of card.steps) {
        const key = step.kind === 'llm' ? (step.id.startsWith('msg') ? step.id : undefined) : step.tool?.callId
        const owner = key ? seen.get(key) : undefined
        if (owner !== undefined && owner !== card.id) {
          droppedHere.add(step.id)
          firstOwner ??= owner
          if (step.kind === 'llm') dropped++
          continue
        }
        if (key) seen.set(key, card.id)
        keep.push(step)
      }
      if (droppedHere.size > 0) {
        const llm = [...droppedHere].filter((id) => card.steps.find((s) => s.id === id)?.kind === 'llm').length
        keep.forEach((s, i) => {
          s.index = i
          if (s.toolStepIds) s.toolStepIds = s.toolStepIds.filter((id) => !droppedHere.has(id))
          if (s.parentStepId && droppedHere.has(s.parentStepId)) delete s.parentStepId
        })
        card.steps = keep
        card.totals = computeTotals(keep)
        card.warnings.push({message: `${llm} response(s) already counted in trace ${firstOwner} were not counted again`})
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
 * files under their session's Task call). Returns the top-level cards.
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
  return cards.filter((c) => !nested.has(c))
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
