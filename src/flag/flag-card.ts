/**
 * flag: runs the waste detectors over a card and turns their findings into
 * step flags. One flag per step (the first detector in priority order wins),
 * and an LLM call's cost is claimed at most once across all flags, so the
 * wasted dollars of a trace never count the same dollar twice.
 */
import {computeTotals, forEachCard} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {CostBudget} from './budget.js'
import {buildContext, type FlagContext, foreignWrites} from './context.js'
import type {DetectorKind, Finding} from './finding.js'
import {DETECTOR_KINDS, DETECTORS} from './registry.js'

/**
 * Runs every detector on the card and on its subagents. Replaces earlier
 * flags. The cards of one session share its files: each card's detectors see
 * the writes its relatives made (placed by time), and a Task step whose
 * subagent card is here writes nothing of its own.
 */
export function flagCard(card: TraceCard, only?: ReadonlySet<DetectorKind>): void {
  const cards: TraceCard[] = []
  forEachCard([card], c => cards.push(c))
  const ids = new Set(cards.map(c => c.id))
  const first = cards.map(c => buildContext(c, [], ids))
  if (cards.length === 1) {
    flagOne(card, first[0]!, only)
    return
  }
  const own = first.map(foreignWrites)
  cards.forEach((c, k) => {
    // A write later than every step of this card is never placed between two of them (buildContext places a
    // write before the first step at or after it): leaving those out changes nothing, and saves placing every
    // other card's writes for each card of a session with thousands of subagents.
    const last = lastTime(c)
    const foreign = own
      .filter((_, j) => j !== k)
      .flat()
      .filter(w => w.time <= last)
    foreign.sort((a, b) => a.time - b.time)
    flagOne(c, foreign.length ? buildContext(c, foreign, ids) : first[k]!, only)
  })
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
    f.step.flags = [
      {
        kind: f.kind,
        reason: f.reason,
        confidence: f.confidence,
        wastedUsd,
        evidence: f.evidence,
      },
    ]
  }
  card.totals = computeTotals(card.steps)
}
