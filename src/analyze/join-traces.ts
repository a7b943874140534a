/**
 * Traces split over several files (OpenTelemetry exporters cut batches by
 * time or size; the Collector rotates files): cards that carry the trace id
 * their source gave (`source.traceId`) are held until the run has read every
 * file, then the parts of one trace become one card. Memory: only those cards
 * are held (lean when nobody asked for the cards), never the spans.
 *
 * Joining: steps of all parts in time order (file order when times were
 * stripped); a step met in two parts (the same span id) counts once; a tool
 * call one part saw issued (status unknown) and another part saw executed is
 * one tool step, the executed one; a tool step whose issuing call was in
 * another file is put under the latest LLM step before it; an LLM step with
 * LLM steps of another part under it (OpenTelemetry's span tree, carried in
 * `source.parentSpans`) repeats their usage and is dropped, as within one
 * file; totals are summed again from the steps. Flags found within each part
 * are kept.
 */
import {addTokens, computeTotals} from '../card/build.js'
import type {Step, Tokens, TraceCard, UnpricedModel} from '../card/types.js'
import {ROLLUP_DIFFERS, rollupDiffers} from '../adapt/otel/tree.js'

export class TraceJoiner {
  private readonly held = new Map<string, TraceCard[]>()

  /** The cards to pass on now; cards with a trace id are held back. */
  take(cards: TraceCard[]): TraceCard[] {
    const now: TraceCard[] = []
    for (const card of cards) {
      const traceId = card.source.traceId
      if (!traceId) {
        now.push(card)
        continue
      }
      const key = `${card.source.format}\u0000${traceId}`
      const parts = this.held.get(key)
      if (parts) parts.push(card)
      else this.held.set(key, [card])
    }
    return now
  }

  /** Every held trace, its parts joined; in the order the traces were first met. */
  release(): TraceCard[] {
    const out = [...this.held.values()].map(joinParts)
    this.held.clear()
    for (const card of out) {
      delete card.source.parentSpans
      delete card.source.rollupUsage
      delete card.source.unissuedTools
    }
    return out
  }
}

const PARENT_ELSEWHERE = /name a parent that is not in this file/
/** A part's word on tool calls it saw issued and not run (mapping and OpenTelemetry readers). */
const UNRESOLVED = /tool call\(s\) a response issued have no tool (?:record|span): status unknown/
const TOTALS_DIFFER = /^the steps' tokens differ from the totals the trace records$/

/** Whether two LLM steps under one id are the same call: the same model and tokens. */
function sameCall(a: Step, b: Step): boolean {
  return a.model === b.model && JSON.stringify(a.tokens) === JSON.stringify(b.tokens)
}

/** Warnings said once each (copies of one file say the same). */
function dedupeWarnings(warnings: TraceCard['warnings']): TraceCard['warnings'] {
  const seen = new Set<string>()
  return warnings.filter(w => {
    const key = JSON.stringify(w)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The unpriced models of the joined steps, each with the reason a part gave for it. */
function unpricedOf(steps: readonly Step[], listed: readonly UnpricedModel[]): UnpricedModel[] {
  const out = new Map<string, UnpricedModel>()
  for (const s of steps) {
    if (s.kind !== 'llm' || s.cost?.usd !== null) continue
    const model = s.model ?? '(unknown)'
    // (A call with usage and one the log kept none for are listed apart, each with its part's reason.)
    const key = `${model}\u0000${s.tokens ? 'usage' : 'none'}`
    let entry = out.get(key)
    if (!entry) {
      const same = listed.filter(u => u.model === model)
      const reason =
        same.find(u => u.tokens.input + u.tokens.output + u.tokens.cacheRead + u.tokens.cacheWrite > 0 === !!s.tokens)
          ?.reason ??
        same[0]?.reason ??
        'not priced'
      entry = {model, tokens: zeroed(), calls: 0, reason}
      out.set(key, entry)
    }
    entry.calls++
    if (s.tokens) addTokens(entry.tokens, s.tokens)
  }
  return [...out.values()]
}

/** One card from the parts of one trace. */
function joinParts(parts: readonly TraceCard[]): TraceCard {
  if (parts.length === 1) return parts[0]!
  const first = parts[0]!
  const steps: Step[] = []
  const byId = new Map<string, Step>()
  let repeated = 0
  for (const part of parts) {
    for (const step of part.steps) {
      const known = byId.get(step.id)
      // One id for two different calls (a log that reuses an id): both count, as within one file (review 34).
      if (known && known.kind === 'llm' && step.kind === 'llm' && !sameCall(known, step)) {
        let n = 2
        while (byId.has(`${step.id}~${n}`)) n++
        const other = {...step, id: `${step.id}~${n}`}
        byId.set(other.id, other)
        steps.push(other)
        continue
      }
      if (!known) {
        byId.set(step.id, step)
        steps.push(step)
        continue
      }
      // (A tool call issued in one part and executed in another is one step, not a repeat.)
      const issuedThenRun = (known.tool?.status === 'unknown') !== (step.tool?.status === 'unknown')
      if (!issuedThenRun) repeated++
      // The same tool call seen issued in one part and executed in another: keep the executed one.
      if (known.tool?.status === 'unknown' && step.tool && step.tool.status !== 'unknown') {
        const executed: Step = {...step}
        const parent = step.parentStepId ?? known.parentStepId
        if (parent) executed.parentStepId = parent
        steps[steps.indexOf(known)] = executed
        byId.set(step.id, executed)
      }
    }
  }
  // Placeholders (issued, no tool span in that file) another part executed under another step id.
  const executed = new Map<string, Step>()
  for (const s of steps) if (s.tool && s.tool.status !== 'unknown') executed.set(s.tool.callId, s)
  const dropped = new Set<string>()
  for (const s of steps) {
    if (s.tool?.status !== 'unknown') continue
    const done = executed.get(s.tool.callId)
    if (!done || done === s) continue
    dropped.add(s.id)
    if (!done.parentStepId && s.parentStepId) done.parentStepId = s.parentStepId
  }
  // Placeholders whose tool ran, in another part, as a span that named no call id (trial 116: OpenInference's TOOL
  // spans name none): a run of that name that started once the call did, the one with its arguments where one has them,
  // else the first in time (review 118: file order had paired crosswise).
  const unissued = new Set(parts.flatMap(p => p.source.unissuedTools ?? []))
  if (unissued.size) {
    const time = (s: Step | undefined): string => s?.startedAt ?? s?.endedAt ?? ''
    const byAt = (a: {at: string}, b: {at: string}): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)
    const argsOf = (s: Step): string => JSON.stringify(s.tool!.arguments ?? null)
    const runs = steps
      .filter(s => unissued.has(s.id) && s.tool && s.tool.status !== 'unknown')
      .map(r => ({r, at: time(r), args: argsOf(r)}))
      .sort(byAt)
    const taken = new Set<Step>()
    const placeholders = steps
      .filter(s => s.tool?.status === 'unknown' && !dropped.has(s.id))
      .map(s => ({s, at: time(s.parentStepId ? byId.get(s.parentStepId) : undefined) || time(s)}))
      .sort(byAt)
    for (const {s, at: issuedAt} of placeholders) {
      const fits = runs.filter(
        ({r, at}) => !taken.has(r) && r.tool!.name === s.tool!.name && (!issuedAt || !at || at >= issuedAt),
      )
      const args = argsOf(s)
      const run = (fits.find(f => f.args === args) ?? fits[0])?.r
      if (!run) continue
      taken.add(run)
      dropped.add(s.id)
      if (s.parentStepId) run.parentStepId = s.parentStepId
    }
  }
  const rollups = crossFileRollups(parts, steps)
  for (const r of rollups.ids) dropped.add(r)
  // A tool step under a dropped roll-up goes under the latest call before it (below).
  for (const s of steps) if (s.parentStepId && rollups.ids.has(s.parentStepId)) delete s.parentStepId
  let joined = steps.filter(s => !dropped.has(s.id))
  if (joined.every(s => s.startedAt))
    joined = joined
      .map((s, i) => ({s, i}))
      .sort((a, b) => (a.s.startedAt! < b.s.startedAt! ? -1 : a.s.startedAt! > b.s.startedAt! ? 1 : a.i - b.i))
      .map(x => x.s)
  let lastLlm: Step | undefined
  joined.forEach((s, i) => {
    s.index = i
    if (s.kind === 'llm') {
      lastLlm = s
      if (s.toolStepIds) s.toolStepIds = s.toolStepIds.filter(id => !dropped.has(id))
    } else if (!s.parentStepId && lastLlm) s.parentStepId = lastLlm.id
  })
  // Every tool step listed under the call that issued it, once.
  const listed = new Map<string, Set<string>>()
  for (const s of joined) {
    if (s.kind !== 'tool' || !s.parentStepId) continue
    const set = listed.get(s.parentStepId) ?? new Set()
    set.add(s.id)
    listed.set(s.parentStepId, set)
  }
  for (const s of joined) if (s.kind === 'llm' && listed.has(s.id)) s.toolStepIds = [...listed.get(s.id)!]

  const card: TraceCard = {...first, steps: joined, children: parts.flatMap(p => p.children)}
  card.totals = computeTotals(joined)
  card.models = [...new Set(parts.flatMap(p => p.models))]
  // From the joined steps: a call met in two files is one unpriced call (review 34: the parts' lists were added).
  card.unpriced = unpricedOf(
    joined,
    parts.flatMap(p => p.unpriced),
  )
  if (rollups.ids.size) {
    // The dropped roll-ups' models and unpriced calls leave with them.
    card.models = card.models.filter(m => joined.some(s => s.model === m))
  }
  // A part's word on calls it saw issued and not run, or on its totals, no longer holds once the parts are one: said
  // again of the joined trace where it still does (review 34).
  const unresolved = joined.filter(s => s.tool?.status === 'unknown').length
  const hadUnresolved = parts.some(p => p.warnings.some(w => UNRESOLVED.test(w.message)))
  card.warnings = [
    {
      message: `joined from ${parts.length} files by trace id (waste looked for within each file): ${parts.map(p => p.source.path).join(', ')}`,
    },
    ...dedupeWarnings(
      parts.flatMap(p =>
        p.warnings.filter(
          w =>
            !PARENT_ELSEWHERE.test(w.message) &&
            !UNRESOLVED.test(w.message) &&
            !TOTALS_DIFFER.test(w.message) &&
            !ROLLUP_DIFFERS.test(w.message),
        ),
      ),
    ),
  ]
  if (hadUnresolved && unresolved)
    card.warnings.push({
      message: `${unresolved} tool call(s) a response issued have no tool record in any file: status unknown`,
    })
  if (repeated) card.warnings.push({message: `${repeated} step(s) appear in more than one file: counted once`})
  if (rollups.ids.size)
    card.warnings.push({
      message: `${rollups.ids.size} LLM span(s) in one file repeat the usage of LLM spans under them in another: counted once, at the inner spans`,
    })
  for (const message of rollups.mismatches) card.warnings.push({message})
  // A span that wraps calls and stated other totals than its calls in its own file: compared again with its calls in
  // every part (trial 85: the rest of an agent's calls were in the next batch, and the joined trace still said so).
  for (const message of wrappersDiffering(parts, joined)) card.warnings.push({message})
  const starts = parts.map(p => p.startedAt).filter((x): x is string => Boolean(x))
  const ends = parts.map(p => p.endedAt).filter((x): x is string => Boolean(x))
  if (starts.length) card.startedAt = starts.sort()[0]
  if (ends.length) card.endedAt = ends.sort()[ends.length - 1]
  card.title ??= parts.find(p => p.title)?.title
  card.sessionId ??= parts.find(p => p.sessionId)?.sessionId
  // Totals a trace records: one record of them for copies of one file (review 34: a copy's were added to its own).
  const recorded = [
    ...new Map(parts.filter(p => p.recorded).map(p => [JSON.stringify(p.recorded), p.recorded!])).values(),
  ]
  if (recorded.length === 1) card.recorded = recorded[0]!
  else if (recorded.length > 1 && recorded.length === parts.length && recorded.every(r => r.tokens)) {
    const tokens = zeroed()
    for (const r of recorded) addTokens(tokens, {...zeroed(), ...r.tokens})
    card.recorded = {source: first.recorded!.source, tokens}
  } else delete card.recorded
  const t = card.totals.tokens
  const r = card.recorded?.tokens
  if (
    r &&
    parts.some(p => p.warnings.some(w => TOTALS_DIFFER.test(w.message))) &&
    ((r.input !== undefined &&
      t.input + t.cacheRead + t.cacheWrite !== r.input + (r.cacheRead ?? 0) + (r.cacheWrite ?? 0)) ||
      (r.output !== undefined && t.output !== r.output))
  )
    card.warnings.push({message: "the steps' tokens differ from the totals the trace records"})
  if (card.title === undefined) delete card.title
  if (card.sessionId === undefined) delete card.sessionId
  return card
}

/** Each span's parent, over the span trees of every part (OpenTelemetry's `source.parentSpans`). */
function spanParents(parts: readonly TraceCard[]): Map<string, string> {
  const parentOf = new Map<string, string>()
  for (const p of parts)
    for (const [span, parent] of Object.entries(p.source.parentSpans ?? {})) parentOf.set(span, parent)
  return parentOf
}

/** The warnings of wrapping spans whose stated usage still differs from their calls once the parts are one. */
function wrappersDiffering(parts: readonly TraceCard[], joined: readonly Step[]): string[] {
  const stated = new Map<string, {name: string; input: number; output: number}>()
  for (const p of parts) for (const [span, u] of Object.entries(p.source.rollupUsage ?? {})) stated.set(span, u)
  if (stated.size === 0) return []
  const parentOf = spanParents(parts)
  const sums = new Map<string, {input: number; output: number}>()
  for (const s of joined) {
    if (s.kind !== 'llm' || !s.tokens) continue
    const seen = new Set<string>([s.id])
    for (let up = parentOf.get(s.id); up && !seen.has(up); up = parentOf.get(up)) {
      seen.add(up)
      if (!stated.has(up)) continue
      const sum = sums.get(up) ?? {input: 0, output: 0}
      sum.input += s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite
      sum.output += s.tokens.output
      sums.set(up, sum)
    }
  }
  const out: string[] = []
  for (const [span, u] of stated) {
    const sum = sums.get(span) ?? {input: 0, output: 0}
    if (sum.input !== u.input || sum.output !== u.output)
      out.push(rollupDiffers(u.name, u.input, u.output, sum.input, sum.output))
  }
  return out
}

/**
 * LLM steps that another part's LLM steps sit under (through spans of any
 * part): roll-ups that repeat the usage of the calls under them, as within one
 * file (otel/tree.ts), where the inner calls alone count. Each roll-up's stated
 * usage is compared with the calls it covers.
 */
function crossFileRollups(
  parts: readonly TraceCard[],
  steps: readonly Step[],
): {ids: Set<string>; mismatches: string[]} {
  const ids = new Set<string>()
  const mismatches: string[] = []
  if (!parts.some(p => p.source.parentSpans)) return {ids, mismatches}
  const parentOf = spanParents(parts)
  const llm = new Map<string, Step>()
  for (const s of steps) if (s.kind === 'llm') llm.set(s.id, s)
  const covered = new Map<string, Step[]>()
  for (const s of llm.values()) {
    const seen = new Set<string>([s.id])
    for (let up = parentOf.get(s.id); up && !seen.has(up); up = parentOf.get(up)) {
      seen.add(up)
      if (!llm.has(up)) continue
      ids.add(up)
      const list = covered.get(up)
      if (list) list.push(s)
      else covered.set(up, [s])
    }
  }
  for (const [id, under] of covered) {
    const stated = llm.get(id)!.tokens
    if (!stated) continue
    const inner = zeroed()
    for (const s of under) if (!ids.has(s.id) && s.tokens) addTokens(inner, s.tokens)
    const prompt = (t: Tokens) => t.input + t.cacheRead + t.cacheWrite
    if (prompt(inner) !== prompt(stated) || inner.output !== stated.output)
      mismatches.push(
        `span ${id}: states ${prompt(stated)} input and ${stated.output} output tokens, the calls under it in other files add up to ${prompt(inner)} and ${inner.output}`,
      )
  }
  return {ids, mismatches}
}

function zeroed(): Tokens {
  return {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
}
