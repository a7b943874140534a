/**
 * A trace as a timeline: its steps in order, each subagent folded under the
 * step that started it (a Task call), unfolded on demand. The model of a
 * trace is built once when it is opened; the visible lines are rebuilt when
 * a fold changes. Pure.
 */
import type {Step, TraceCard} from '../card/types.js'
import {decisionKey} from './decisions.js'

export interface StepRef {
  card: TraceCard
  step: Step
  /** Nesting depth: 0 for the top-level card's steps. */
  depth: number
  key: string
}

export interface TraceModel {
  root: TraceCard
  /** Every card of the tree by id. */
  cards: ReadonlyMap<string, TraceCard>
  /** Every step of the tree by decisionKey(traceId, stepId). */
  steps: ReadonlyMap<string, StepRef>
  /** The subagents shown after a step (by its key), and those no step claims, at the end of their parent card (by card id). */
  childrenAfter: ReadonlyMap<string, readonly TraceCard[]>
  trailing: ReadonlyMap<string, readonly TraceCard[]>
  /** The card a subagent hangs under. */
  parentOf: ReadonlyMap<string, string>
  /** Every line of the fully unfolded timeline, in order (steps and subagent headers). */
  order: readonly TimelineLine[]
  /** The largest step cost in the tree: cost bars are scaled to it. */
  maxCostUsd: number
  flags: number
  /** Cost, waste, steps and flags of each card with its own subagents (by card id). */
  totals: ReadonlyMap<string, SubtreeTotals>
}

interface SubtreeTotals {
  costUsd: number
  wastedUsd: number
  steps: number
  flags: number
  /** LLM calls whose cost is unknown (never shown as $0). */
  unpricedCalls: number
  /** Flags on such calls: what they wasted is not known. */
  unpricedFlags: number
}

export type TimelineLine = {kind: 'step'; key: string; depth: number} | {kind: 'child'; traceId: string; depth: number}

export function buildTraceModel(root: TraceCard): TraceModel {
  const cards = new Map<string, TraceCard>()
  const steps = new Map<string, StepRef>()
  const childrenAfter = new Map<string, TraceCard[]>()
  const trailing = new Map<string, TraceCard[]>()
  const parentOf = new Map<string, string>()
  let maxCostUsd = 0
  let flags = 0

  const visit = (card: TraceCard, depth: number): void => {
    cards.set(card.id, card)
    const byStep = new Map<string, Step>()
    for (const step of card.steps) {
      const key = decisionKey(card.id, step.id)
      steps.set(key, {card, step, depth, key})
      byStep.set(step.id, step)
      if (typeof step.cost?.usd === 'number' && step.cost.usd > maxCostUsd) maxCostUsd = step.cost.usd
      flags += step.flags?.length ?? 0
    }
    const starter = new Map<string, string>()
    for (const step of card.steps) for (const child of step.childTraceIds ?? []) starter.set(child, step.id)
    for (const child of card.children) {
      parentOf.set(child.id, card.id)
      const stepId =
        child.parent?.stepId && byStep.has(child.parent.stepId) ? child.parent.stepId : starter.get(child.id)
      if (stepId) push(childrenAfter, decisionKey(card.id, stepId), child)
      else push(trailing, card.id, child)
      visit(child, depth + 1)
    }
  }
  visit(root, 0)

  const totals = new Map<string, SubtreeTotals>()
  const sum = (card: TraceCard): SubtreeTotals => {
    const t = {
      costUsd: card.totals.costUsd,
      wastedUsd: card.totals.wastedUsd,
      steps: card.steps.length,
      flags: 0,
      unpricedCalls: card.totals.unpricedCalls,
      unpricedFlags: 0,
    }
    for (const s of card.steps) {
      t.flags += s.flags?.length ?? 0
      if (s.flags?.some(f => f.unpriced)) t.unpricedFlags++
    }
    for (const c of card.children) {
      const sub = sum(c)
      t.costUsd += sub.costUsd
      t.wastedUsd += sub.wastedUsd
      t.steps += sub.steps
      t.flags += sub.flags
      t.unpricedCalls += sub.unpricedCalls
      t.unpricedFlags += sub.unpricedFlags
    }
    totals.set(card.id, t)
    return t
  }
  sum(root)
  const model: TraceModel = {
    root,
    cards,
    steps,
    childrenAfter,
    trailing,
    parentOf,
    order: [],
    maxCostUsd,
    flags,
    totals,
  }
  model.order = buildLines(model, undefined)
  return model
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** The visible lines: subagents unfolded when their id is in `expanded` (every one when `expanded` is undefined). */
export function buildLines(model: TraceModel, expanded: ReadonlySet<string> | undefined): TimelineLine[] {
  const lines: TimelineLine[] = []
  const emit = (card: TraceCard, depth: number): void => {
    const child = (c: TraceCard): void => {
      lines.push({kind: 'child', traceId: c.id, depth})
      if (!expanded || expanded.has(c.id)) emit(c, depth + 1)
    }
    for (const step of card.steps) {
      const key = decisionKey(card.id, step.id)
      lines.push({kind: 'step', key, depth})
      for (const c of model.childrenAfter.get(key) ?? []) child(c)
    }
    for (const c of model.trailing.get(card.id) ?? []) child(c)
  }
  emit(model.root, 0)
  return lines
}

/** The subagents that must be unfolded for the step (or subagent header) to be visible. */
export function ancestorsOf(model: TraceModel, traceId: string): string[] {
  const out: string[] = []
  let id: string | undefined = traceId
  while (id && id !== model.root.id) {
    out.push(id)
    id = model.parentOf.get(id)
  }
  return out
}

export function sameLine(a: TimelineLine, b: TimelineLine): boolean {
  return a.kind === 'step' ? b.kind === 'step' && a.key === b.key : b.kind === 'child' && a.traceId === b.traceId
}

/**
 * The next (dir 1) or previous (dir -1) flagged step after `from` in the fully
 * unfolded order, wrapping around; undefined when nothing is flagged.
 */
export function nextFlagged(model: TraceModel, from: TimelineLine | undefined, dir: 1 | -1): string | undefined {
  const order = model.order
  const n = order.length
  if (n === 0 || model.flags === 0) return undefined
  let at = from ? order.findIndex(l => sameLine(l, from)) : -1
  if (at < 0) at = dir === 1 ? -1 : n
  for (let i = 1; i <= n; i++) {
    const line = order[(((at + dir * i) % n) + n) % n]!
    if (line.kind === 'step' && model.steps.get(line.key)!.step.flags?.length) return line.key
  }
  return undefined
}

/** The steps a step's flags name as evidence, as keys (same card first, then anywhere in the trace). */
export function evidenceKeys(model: TraceModel, key: string): string[] {
  const ref = model.steps.get(key)
  if (!ref) return []
  const out: string[] = []
  for (const flag of ref.step.flags ?? []) {
    for (const id of flag.evidence) {
      let k: string | undefined = decisionKey(ref.card.id, id)
      if (!model.steps.has(k)) {
        k = undefined
        for (const cardId of model.cards.keys()) {
          if (model.steps.has(decisionKey(cardId, id))) {
            k = decisionKey(cardId, id)
            break
          }
        }
      }
      if (k && !out.includes(k)) out.push(k)
    }
  }
  return out
}
