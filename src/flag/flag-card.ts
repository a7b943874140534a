/**
 * flag: runs the waste detectors over a card and turns their findings into
 * step flags. One flag per step (the first detector in priority order wins),
 * and an LLM call's cost is claimed at most once across all flags, so the
 * wasted dollars of a trace never count the same dollar twice.
 */
import {computeTotals, forEachCard, releaseUnpacked} from '../card/build.js'
import type {Flag, TraceCard} from '../card/types.js'
import {CostBudget} from './budget.js'
import {buildContext, type FlagContext, type ForeignWrite, foreignWrites} from './context.js'
import type {DetectorKind, Finding} from './finding.js'
import {DETECTOR_KINDS, DETECTORS} from './registry.js'

/**
 * Runs every detector on the card and on its subagents. Replaces earlier
 * flags. The cards of one session share its files: each card's detectors see
 * the writes its relatives made (placed by time), and a Task step whose
 * subagent card is here writes nothing of its own. `redact`: the flags' reasons redact what they quote (a command, a
 * failure's line) before cutting it, unless the run shows secrets (`--no-redact`).
 */
export function flagCard(card: TraceCard, only?: ReadonlySet<DetectorKind>, redact = true): void {
  const cards: TraceCard[] = []
  forEachCard([card], c => cards.push(c))
  const ids = new Set(cards.map(c => c.id))
  if (cards.length === 1) {
    flagOne(card, buildContext(card, [], ids, false, redact), only)
    releaseUnpacked()
    return
  }
  // Each card's own writes, from a context of its own; the context is let go at once and built again when the
  // card is flagged (holding one per card held a second copy of the session's per-step tables).
  const own = cards.map(c => foreignWrites(buildContext(c, [], ids, true)))
  const foreignOf = othersWrites(own)
  cards.forEach((c, k) => {
    flagOne(c, buildContext(c, foreignOf(k, lastTime(c)), ids, false, redact), only)
  })
  releaseUnpacked()
}

/**
 * The writes of the other cards of a session that card `k` places between
 * its steps: theirs, up to its last step (`last`), by time (at equal times, by
 * card, then by step). A write later than every step of the card is never
 * placed between two of them (buildContext places a write before the first
 * step at or after it): leaving those out changes nothing, and saves placing
 * every other card's writes for each card of a session with thousands of
 * subagents. All the session's writes are sorted once; each card's are that
 * list less its own (the same list as sorting each card's selection).
 */
export function othersWrites(own: ReadonlyArray<readonly ForeignWrite[]>): (k: number, last: number) => ForeignWrite[] {
  const all: Array<{write: ForeignWrite; card: number}> = []
  own.forEach((writes, j) => {
    for (const write of writes) all.push({write, card: j})
  })
  all.sort((a, b) => a.write.time - b.write.time)
  return (k, last) => {
    const out: ForeignWrite[] = []
    for (let i = 0; i < all.length && all[i]!.write.time <= last; i++) if (all[i]!.card !== k) out.push(all[i]!.write)
    return out
  }
}

/** The latest time of a card's steps (as buildContext reads them), -Infinity when none has one. */
function lastTime(card: TraceCard): number {
  let last = Number.NEGATIVE_INFINITY
  for (const step of card.steps) {
    const at = step.endedAt ?? step.startedAt
    const t = at ? Date.parse(at) : Number.NaN
    if (t > last) last = t
  }
  return last
}

function flagOne(card: TraceCard, ctx: FlagContext, only?: ReadonlySet<DetectorKind>): void {
  const steps = card.steps
  for (let i = 0; i < steps.length; i++) if (steps[i]!.flags !== undefined) delete steps[i]!.flags
  const findings: Finding[] = []
  // In priority order: a step keeps the flag of the first detector that finds it.
  for (const kind of DETECTOR_KINDS) {
    if (only && !only.has(kind)) continue
    findings.push(...DETECTORS[kind].detect(ctx, findings))
  }
  // Each LLM call's cost is claimed once, by the issuing step's share and by the carrying in later calls alike.
  const budget = new CostBudget(ctx.steps)
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!
    if (f.step.flags?.length) continue
    const own = f.own.llm ? budget.claim(f.own.llm.index, f.own.usd) : 0
    const wastedUsd = own + budget.claimAfter(f.step.index, f.carryUsd)
    // A finding whose dollars were all claimed by others adds nothing a person should act on.
    if (wastedUsd <= 0 && f.kind === 'context-growth') continue
    const flag: Flag = {kind: f.kind, reason: f.reason, confidence: f.confidence, wastedUsd, evidence: f.evidence}
    // What the call it came from cost is not known: neither is what it wasted (never a $0 a person would trust).
    if (f.own.llm && (f.own.llm.cost === undefined || f.own.llm.cost.usd === null)) flag.unpriced = true
    f.step.flags = [flag]
  }
  card.totals = computeTotals(card.steps)
}
