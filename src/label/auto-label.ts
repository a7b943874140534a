/**
 * Labels from evidence, for every LLM step of some cards (`aco label --auto`):
 * - the step's own execution (evidence.ts): struggle → `needs-stronger-model`,
 *   waste → `wasted`, done → `fine`;
 * - the task's outcome, where nothing ran to judge the step by (an answer, a
 *   plan in words): resolved → `fine`, not resolved → `needs-stronger-model`,
 *   both weak (a task fails for a few steps, not for all of them);
 * - other models' runs of the same task or session (multi-model.ts): where a
 *   clearly cheaper model did as well at a kind of step, the dearer model's
 *   steps of that kind → `cheaper-model-ok`; where it did worse, its unjudged
 *   steps of that kind → `needs-stronger-model`.
 * Each label keeps the strongest evidence found for its step, with its source,
 * strength and reason. Pure: cards in, labels out.
 */
import {forEachCard} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import type {Label, LabelSource} from '../review/decisions.js'
import {cardEvidence, type StepEvidence, type Verdict} from './evidence.js'
import {multiModelEvidence} from './multi-model.js'

type AutoSource = Exclude<LabelSource, 'person'>

export interface AutoLabel {
  card: TraceCard
  /** The top-level card that holds `card`. */
  root: TraceCard
  step: Step
  label: Label
  source: AutoSource
  strength: number
  evidence: string
}

/** Strengths of the outcome's evidence: weaker than any execution evidence. */
const OUTCOME_STRENGTH = {resolved: 0.2, unresolved: 0.15} as const

const LABEL_OF: Record<Verdict, Label> = {struggle: 'needs-stronger-model', wasted: 'wasted', done: 'fine'}

export interface AutoLabelOptions {
  /** Task outcomes by task id, beside those the cards hold (`--outcomes`): a given one wins. */
  outcomes?: ReadonlyMap<string, {resolved: boolean; source: string}>
}

/** Every LLM step's execution evidence, with the root card that holds it. */
function collectEvidence(roots: readonly TraceCard[]): Array<StepEvidence & {root: TraceCard}> {
  const out: Array<StepEvidence & {root: TraceCard}> = []
  for (const root of roots)
    forEachCard([root], card => {
      for (const ev of cardEvidence(card)) out.push(Object.assign(ev, {root}))
    })
  return out
}

/** The automatic labels of every LLM step that has evidence (see the module comment). */
export function autoLabels(roots: readonly TraceCard[], options: AutoLabelOptions = {}): AutoLabel[] {
  const evidence = collectEvidence(roots)
  const best = new Map<Step, AutoLabel>()
  const offer = (label: AutoLabel): void => {
    const before = best.get(label.step)
    if (!before || label.strength > before.strength) best.set(label.step, label)
  }
  for (const ev of evidence) {
    if (!ev.verdict) continue
    offer({
      card: ev.card,
      root: ev.root,
      step: ev.step,
      label: LABEL_OF[ev.verdict],
      source: 'execution',
      strength: ev.strength,
      evidence: ev.reason ?? ev.verdict,
    })
  }
  for (const ev of evidence) {
    if (ev.verdict) continue
    const outcome = outcomeOf(ev.root, ev.card, options.outcomes)
    if (!outcome) continue
    offer({
      card: ev.card,
      root: ev.root,
      step: ev.step,
      label: outcome.resolved ? 'fine' : 'needs-stronger-model',
      source: 'outcome',
      strength: outcome.resolved ? OUTCOME_STRENGTH.resolved : OUTCOME_STRENGTH.unresolved,
      evidence: `the task was ${outcome.resolved ? '' : 'not '}resolved (${outcome.source})`,
    })
  }
  for (const m of multiModelEvidence(evidence)) {
    const before = best.get(m.step.step)
    // Another model's record refines a step's own: `fine` becomes `cheaper-model-ok`, a struggle where a
    // stronger model did better becomes surer; it never turns a struggle into "cheaper is fine".
    if (before?.source === 'execution') {
      if (m.label === 'cheaper-model-ok' && before.label !== 'fine') continue
      if (m.label === 'needs-stronger-model' && before.label !== 'needs-stronger-model') continue
    }
    best.set(m.step.step, {
      card: m.step.card,
      root: m.step.root,
      step: m.step.step,
      label: m.label,
      source: 'multi-model',
      strength: before ? Math.max(before.strength, m.strength) : m.strength,
      evidence: m.evidence,
    })
  }
  return evidence.flatMap(ev => {
    const label = best.get(ev.step)
    return label ? [label] : []
  })
}

/** The outcome of the task a card belongs to: its own, its root's, or the one given for its task id. */
function outcomeOf(
  root: TraceCard,
  card: TraceCard,
  given: AutoLabelOptions['outcomes'],
): {resolved: boolean; source: string} | undefined {
  for (const c of [card, root]) {
    const id = c.task?.id
    const fromFile = id !== undefined ? given?.get(id) : undefined
    if (fromFile) return fromFile
    const own = c.task?.outcome
    if (own?.resolved !== undefined) return {resolved: own.resolved, source: own.source}
  }
  return undefined
}
