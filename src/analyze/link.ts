/**
 * Cross-file steps after adapting: responses already counted in another file
 * are dropped (Claude Code copies messages into resumed sessions; a backup
 * folder copies whole rollouts and sessions), subagent
 * traces are nested under the step that started them, and card ids are made
 * unique within the run.
 */
import {computeTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {sha1Hex} from '../util/hash.js'
import {SeenResponses} from './seen-responses.js'

/**
 * The key that says a step is one already counted elsewhere. A Claude Code response is known by its message
 * id wherever it appears (a resumed session copies earlier responses into its own file, under its own
 * session id). In every format with a session id, a step is known by the session, the trace within it, its
 * own id and its tokens: a second copy of a rollout or session (a backup folder) repeats them all. Formats
 * without a session id have no identity to go by: their steps are never taken for copies.
 */
function repeatKey(card: TraceCard, step: TraceCard['steps'][number]): string | undefined {
  if (card.source.format === 'claude-code' && step.kind === 'llm' && step.id.startsWith('msg')) {
    // With the prompt's side of its usage, the same on every record of a response and in every copy of it: two
    // sessions' different responses that carry one id (ids copied, or made up) are not one response.
    const t = step.tokens
    return t ? `${step.id}\u0000${t.input},${t.cacheRead},${t.cacheWrite}` : step.id
  }
  if (!card.sessionId) return undefined
  // The id the trace had before ids were made unique in the run (a copy's id is the original's plus ~N).
  const trace = card.id.replace(/~\d+$/, '')
  const t = step.tokens
  const tokens = t ? `${t.input},${t.output},${t.cacheRead},${t.cacheWrite},${t.reasoning}` : ''
  return `${card.source.format}\u0000${card.sessionId}\u0000${trace}\u0000${step.kind}\u0000${step.id}\u0000${tokens}`
}

/**
 * Drops steps already counted in an earlier card (see `repeatKey`), LLM calls with the tool calls they
 * made. `seen` carries the keys counted so far across calls. Returns how many LLM steps were dropped, the
 * cards that changed, and those left with no step (copies of traces read before, each with the trace it
 * repeats): such a card is taken out of its parent's children; a top-level one is for the caller to leave out.
 */
export function dropRepeatedResponses(
  cards: TraceCard[],
  seen: SeenResponses = new SeenResponses(),
): {dropped: number; changed: TraceCard[]; emptied: Array<{card: TraceCard; of: string}>} {
  let dropped = 0
  const changed: TraceCard[] = []
  /** Cards left with nothing, each with the trace that first counted what it repeats. */
  const emptied: Array<{card: TraceCard; of: string}> = []
  const visit = (card: TraceCard): void => {
    let droppedHere: Set<string> | undefined
    let droppedCalls = 0
    let firstOwner: string | undefined
    for (const step of card.steps) {
      // A tool call goes with the LLM call that made it; one without a parent stands on its own.
      if (step.kind === 'tool' && step.parentStepId !== undefined) continue
      const key = repeatKey(card, step)
      if (key === undefined) continue
      const owner = seen.claim(key, card.id)
      if (owner === card.id) continue
      droppedHere ??= new Set()
      droppedHere.add(step.id)
      for (const id of step.toolStepIds ?? []) droppedHere.add(id)
      firstOwner ??= owner
      if (step.kind === 'llm') droppedCalls++
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
        message:
          keep.length === 0
            ? `repeats trace ${firstOwner} (the same session and records): counted once, there`
            : `${droppedCalls} response(s) already counted in trace ${firstOwner} were not counted again`,
      })
      dropped += droppedCalls
      changed.push(card)
      if (keep.length === 0) emptied.push({card, of: firstOwner!})
    }
    for (const child of card.children) visit(child)
    if (droppedHere || card.children.some(isEmpty)) card.children = card.children.filter(c => !isEmpty(c))
  }
  for (const card of cards) visit(card)
  return {dropped, changed, emptied}
}

/**
 * Warns of each top-level card of a format that records no session id whose steps are those of a card read before
 * (ids, models, times, tokens, tool calls and their arguments: a copy of a trajectory in another folder). Nothing tells
 * a copy from a run repeated to the token, so both are counted, and the warning says so (trial 78: 60 copies of a
 * mini-swe-agent folder counted 60 times in silence). `seen` carries the digests across calls.
 */
export function warnIdenticalTraces(cards: readonly TraceCard[], seen: Set<string>): void {
  for (const card of cards) {
    // (Steps enough to tell: two calls of one prompt at temperature 0, no time recorded, are alike, and no copy.)
    if (card.sessionId || !telling(card)) continue
    const key = sha1Hex(traceText(card))
    if (seen.has(key)) card.warnings.push({message: IDENTICAL_TRACE})
    else seen.add(key)
  }
}

/**
 * A card whose steps could hardly come out alike twice: two LLM calls or more, with a tool call or a time; or one
 * call or more in a trace that records when it started (aider's session, to the second: trial 105's copy of a
 * one-call session went unsaid).
 */
function telling(card: TraceCard): boolean {
  let calls = 0
  let marked = false
  for (const s of card.steps) {
    if (s.kind === 'llm') calls++
    if (s.startedAt !== undefined || s.tool?.argsHash !== undefined) marked = true
  }
  return (calls >= 2 && marked) || (calls >= 1 && card.startedAt !== undefined)
}

/** The warning of a card identical to one read before (one text, so the screen groups them). */
export const IDENTICAL_TRACE =
  'the same steps as a trace read before, token for token (this format records no session id to tell a copy from a rerun): counted again; leave copies out of the paths given'

/** What a card's steps are, for telling an identical copy (not its id: one read from the file's name differs). */
function traceText(card: TraceCard): string {
  const parts: string[] = [card.source.format, card.startedAt ?? '']
  const visit = (c: TraceCard): void => {
    for (const s of c.steps) {
      const t = s.tokens
      parts.push(
        `${s.kind}\u0001${s.id}\u0001${s.model ?? ''}\u0001${s.startedAt ?? ''}\u0001${t ? `${t.input},${t.output},${t.cacheRead},${t.cacheWrite},${t.reasoning}` : ''}\u0001${s.tool ? `${s.tool.name}\u0001${s.tool.argsHash ?? ''}\u0001${s.tool.status ?? ''}` : ''}`,
      )
    }
    for (const child of c.children) visit(child)
  }
  visit(card)
  return parts.join('\u0000')
}

/** A card with no step of its own and none in its children. */
export function isEmpty(card: TraceCard): boolean {
  return card.steps.length === 0 && card.children.every(isEmpty)
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
