/**
 * Decisions a person makes about steps (accept or reject a prune suggestion,
 * label a step) and the file that holds them (schemas/decisions.schema.json),
 * which `aco label` and the router's learner read. Pure: no I/O
 * here (see decisions-file.ts).
 *
 * The file holds the latest decision per (traceId, stepId), with enough of the
 * step to be useful without the cards, and the cursor of the review so that
 * reopening resumes where the person left off. Undo history is not in the file.
 */
import type {Step, TraceCard} from '../card/types.js'

export const DECISIONS_VERSION = '1.0' as const

/** Where decisions are kept when no `--decisions` is given (`aco review`, `aco label`). */
export const DEFAULT_DECISIONS = 'aco-decisions.json'

export const LABELS = ['fine', 'needs-stronger-model', 'cheaper-model-ok', 'wasted'] as const
export type Label = (typeof LABELS)[number]

/** The short word a narrow screen shows for a label. */
export const LABEL_SHORT: Record<Label, string> = {
  fine: 'fine',
  'needs-stronger-model': 'stronger',
  'cheaper-model-ok': 'cheaper',
  wasted: 'wasted',
}

/**
 * Labels that say which model a step needed: they go on an LLM call, the step a model ran (a tool call runs no model;
 * `aco train --steps` reads them on LLM calls only).
 */
export function modelLabel(label: Label): boolean {
  return label === 'needs-stronger-model' || label === 'cheaper-model-ok'
}

const PRUNES = ['accept', 'reject'] as const
type Prune = (typeof PRUNES)[number]

/**
 * Who made a decision: a person in `aco review`, or `aco label` (one step
 * named, or flags accepted in bulk), or `aco label --auto` (labels from
 * execution feedback, task outcomes and other models' runs).
 */
export type DecidedBy = 'review' | 'label' | 'accept-flags' | 'auto'

/**
 * Where a label came from: a person (`aco review`, `aco label --set`), or the
 * auto-labeller's evidence: the step's own execution, the task's outcome, or
 * how other models fared at that kind of step on the same task. A person's
 * label is never overwritten by an automatic one.
 */
export const LABEL_SOURCES = ['person', 'execution', 'outcome', 'multi-model'] as const
export type LabelSource = (typeof LABEL_SOURCES)[number]

export interface Decision {
  /** The card the step is in (a subagent's own id for its steps). */
  traceId: string
  /** The top-level card (the line of cards.ndjson) that holds `traceId`. */
  rootTraceId: string
  stepId: string
  stepIndex: number
  kind: 'llm' | 'tool'
  tool?: string
  model?: string
  /** The step's own cost, when priced. */
  costUsd?: number
  /** The dollars its flag puts at stake. */
  wastedUsd?: number
  /** The detector whose prune suggestion was decided. */
  flagKind?: string
  prune?: Prune
  label?: Label
  /** Where the label came from (absent: a person). */
  labelSource?: LabelSource
  /** How much the label is worth against a person's (1), in (0, 1] (absent: 1). */
  labelStrength?: number
  /** Why the auto-labeller chose the label. */
  labelEvidence?: string
  by: DecidedBy
  /** When the decision was last changed (ISO time). */
  at: string
}

export type ReviewView = 'traces' | 'trace' | 'step'
export type SortKey = 'cost' | 'waste' | 'date'

/** Where the person was, so reopening resumes there. */
export interface ReviewCursor {
  view: ReviewView
  rootTraceId?: string
  traceId?: string
  stepId?: string
  sort?: SortKey
  descending?: boolean
  filter?: {text?: string; model?: string; format?: string}
}

export interface DecisionsFile {
  schemaVersion: typeof DECISIONS_VERSION
  /** The cards the decisions were made on (and the trace paths they were analysed from). */
  source: {cards: string; inputs?: string[]}
  updatedAt: string
  cursor?: ReviewCursor
  decisions: Decision[]
}

/** The change a person asks for: set (or, when the same value is asked again, clear) one part of a decision. */
export type DecisionChange = {prune: Prune} | {label: Label}

export type DecisionMap = ReadonlyMap<string, Decision>

export function decisionKey(traceId: string, stepId: string): string {
  return `${traceId}\u0000${stepId}`
}

/** What a decision records of the step, so the file is useful without the cards. */
export function stepFacts(
  card: TraceCard,
  rootTraceId: string,
  step: Step,
): Omit<Decision, 'prune' | 'label' | 'by' | 'at'> {
  const facts: Omit<Decision, 'prune' | 'label' | 'by' | 'at'> = {
    traceId: card.id,
    rootTraceId,
    stepId: step.id,
    stepIndex: step.index,
    kind: step.kind,
  }
  if (step.tool) facts.tool = step.tool.name
  if (step.model) facts.model = step.model
  if (typeof step.cost?.usd === 'number') facts.costUsd = step.cost.usd
  const flag = step.flags?.[0]
  if (flag) {
    facts.flagKind = flag.kind
    facts.wastedUsd = flag.wastedUsd
  }
  return facts
}

/**
 * The decision after `change`. With `toggle` (the review's keys), asking for
 * what is already decided clears it; without (aco label), it is set again.
 * A decision with neither prune nor label is no decision (undefined).
 * Pure; `at` comes from the caller.
 */
export function applyChange(
  before: Decision | undefined,
  facts: Omit<Decision, 'prune' | 'label' | 'by' | 'at'>,
  change: DecisionChange,
  by: DecidedBy,
  at: string,
  toggle = true,
): Decision | undefined {
  const next: Decision = {...facts, by, at}
  if (before?.prune) next.prune = before.prune
  if (before?.label) next.label = before.label
  if ('prune' in change) {
    if (toggle && next.prune === change.prune) delete next.prune
    else next.prune = change.prune
    // A prune decision leaves an automatic label as it was, still marked automatic.
    if (before?.label && !isPersonLabel(before)) copyLabelSource(before, next)
  } else if (toggle && next.label === change.label && (!before || isPersonLabel(before))) delete next.label
  else next.label = change.label
  if (!next.prune && !next.label) return undefined
  return next
}

/** Whether a decision's label is a person's (absent source: made before labels had sources, by a person). */
export function isPersonLabel(d: Pick<Decision, 'labelSource'>): boolean {
  return d.labelSource === undefined || d.labelSource === 'person'
}

function copyLabelSource(from: Decision, to: Decision): void {
  if (from.labelSource !== undefined) to.labelSource = from.labelSource
  if (from.labelStrength !== undefined) to.labelStrength = from.labelStrength
  if (from.labelEvidence !== undefined) to.labelEvidence = from.labelEvidence
}

/** Sets `key` to `value` (or deletes it) in a copy of the map. */
export function withDecision(map: DecisionMap, key: string, value: Decision | undefined): Map<string, Decision> {
  const next = new Map(map)
  if (value) next.set(key, value)
  else next.delete(key)
  return next
}

export function toMap(decisions: readonly Decision[]): Map<string, Decision> {
  const map = new Map<string, Decision>()
  for (const d of decisions) map.set(decisionKey(d.traceId, d.stepId), d)
  return map
}

/** Decisions in a stable order: by top-level trace, then trace, then step index. */
export function sortedDecisions(map: DecisionMap): Decision[] {
  return [...map.values()].sort(
    (a, b) =>
      cmp(a.rootTraceId, b.rootTraceId) ||
      cmp(a.traceId, b.traceId) ||
      a.stepIndex - b.stepIndex ||
      cmp(a.stepId, b.stepId),
  )
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export interface DecisionCounts {
  decisions: number
  prune: Record<Prune, number>
  labels: Record<Label, number>
  /** Labels by where they came from, then by label. */
  sources: Record<LabelSource, Record<Label, number>>
  /** Dollars at stake in the prune suggestions accepted. */
  acceptedWastedUsd: number
}

export function countDecisions(decisions: Iterable<Decision>): DecisionCounts {
  const counts: DecisionCounts = {
    decisions: 0,
    prune: {accept: 0, reject: 0},
    labels: emptyLabelCounts(),
    sources: {
      person: emptyLabelCounts(),
      execution: emptyLabelCounts(),
      outcome: emptyLabelCounts(),
      'multi-model': emptyLabelCounts(),
    },
    acceptedWastedUsd: 0,
  }
  for (const d of decisions) {
    counts.decisions++
    if (d.prune) counts.prune[d.prune]++
    if (d.prune === 'accept') counts.acceptedWastedUsd += d.wastedUsd ?? 0
    if (d.label) {
      counts.labels[d.label]++
      counts.sources[d.labelSource ?? 'person'][d.label]++
    }
  }
  return counts
}

function emptyLabelCounts(): Record<Label, number> {
  return {fine: 0, 'needs-stronger-model': 0, 'cheaper-model-ok': 0, wasted: 0}
}

export function isLabel(value: string): value is Label {
  return (LABELS as readonly string[]).includes(value)
}
