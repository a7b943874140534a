/**
 * flag: runs the waste detectors over a card and turns their findings into
 * step flags. One flag per step (the first detector in priority order wins),
 * and an LLM call's cost is claimed at most once across all flags, so the
 * wasted dollars of a trace never count the same dollar twice.
 */
import {computeTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {CostBudget} from './budget.js'
import {buildContext} from './context.js'
import type {DetectorKind, Finding} from './finding.js'
import {DETECTOR_KINDS, DETECTORS} from './registry.js'

/** Runs every detector on the card, then on its children. Replaces earlier flags. */
export function flagCard(card: TraceCard, only?: ReadonlySet<DetectorKind>): void {
  for (const step of card.steps) delete step.flags
  const ctx = buildContext(card)
  const findings: Finding[] = []
  // In priority order: a step keeps the flag of the first detector that finds it.
  for (const kind of DETECTOR_KINDS) {
    if (only && !only.has(kind)) continue
    findings.push(...DETECTORS[kind].detect(ctx, findings))
  }
  // Each LLM call's cost is claimed once, by the issuing step's share and by the carrying in later calls alike.
  const budget = new CostBudget(ctx.steps)
  for (const f of findings) {
    if (f.step.flags?.length) continue
    const own = f.own.llmStepId ? budget.claim(f.own.llmStepId, f.own.usd) : 0
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
  for (const child of card.children) flagCard(child, only)
}
