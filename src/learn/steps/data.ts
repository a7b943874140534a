/**
 * The per-step router's data: every LLM step of the cards with its features,
 * the labels of the decisions file joined by (trace, step), the tier that ran
 * each step, and the trace group each step belongs to. Splits never cut a
 * group: a group is a top-level trace with its subagents, joined with every
 * other trace of the same source file or the same task id (two models' runs
 * of one SWE-bench instance are one group), so no step of a test trace, nor
 * of another run of its task, is ever trained on.
 */
import type {TraceCard} from '../../card/types.js'
import type {PriceBook} from '../../price/book.js'
import {providerHintOf} from '../../price/price-card.js'
import {decisionKey, type DecisionsFile, type Label, type LabelSource} from '../../review/decisions.js'
import {stepFeatures, type FeaturedStep} from './features.js'
import {tierEvidence, type TierEvidence} from './targets.js'
import {resolveTiers, tierIndex, type ResolvedTiers, type TiersConfig} from './tiers.js'

export type RootedStep = FeaturedStep & {root: TraceCard}

export interface LabelledStep {
  step: RootedStep
  label: Label
  source: LabelSource
  /** Weight in training: the label's strength (a person's: 1). */
  strength: number
  /** The tier that ran the step (undefined: its model has no tier). */
  ran: number | undefined
  evidence: TierEvidence
  /** Index of the step's trace group. */
  group: number
}

/**
 * Whether a labelled step ran on a model no tier claims (a local model, an embedding call): `aco route --cards` keeps
 * it on that model, so no tier is scored or projected for it. (A step whose trace names no model is routed.)
 */
export function onUntieredModel(l: LabelledStep): boolean {
  return l.ran === undefined && Boolean(l.step.step.model)
}

export interface StepData {
  steps: RootedStep[]
  labelled: LabelledStep[]
  /** Names of the groups (their first trace id). */
  groups: string[]
  /** Group of every step of `steps`. */
  groupOf: Int32Array
  tiers: ResolvedTiers
  /** Labelled steps that ran on each tier (what a tier's estimates rest on, observed). */
  ranOn: number[]
  /**
   * Per tier: labelled steps that ran on a stronger tier whose label says this tier would have done (`down`), or would
   * not (`downNot`): what a saving for a step moved down here rests on. A `fine` says nothing of a cheaper tier, a
   * `wasted` nothing of any.
   */
  evidence: {down: number[]; downNot: number[]}
  /** Labels of the decisions file on no LLM step of these cards (other cards, or tool steps): left out. */
  unmatchedLabels: number
}

export interface StepDataOptions {
  withAction: boolean
  tiers?: TiersConfig
  /** Label sources to use (default: all). */
  sources?: ReadonlySet<LabelSource>
}

/** Trace groups by union-find over root id, source file and task id. */
function traceGroups(roots: readonly TraceCard[]): {groupOfRoot: Map<TraceCard, number>; names: string[]} {
  const parent = new Map<string, string>()
  const find = (k: string): string => {
    let r = k
    while (parent.get(r) !== r) r = parent.get(r)!
    let c = k
    while (parent.get(c) !== r) {
      const next = parent.get(c)!
      parent.set(c, r)
      c = next
    }
    return r
  }
  const add = (k: string): void => {
    if (!parent.has(k)) parent.set(k, k)
  }
  const union = (a: string, b: string): void => {
    add(a)
    add(b)
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(ra, rb)
  }
  for (const root of roots) {
    const self = `id\u0000${root.id}`
    add(self)
    if (root.source.path) union(self, `file\u0000${root.source.path}`)
    if (root.task?.id) union(self, `task\u0000${root.task.id}`)
  }
  const index = new Map<string, number>()
  const names: string[] = []
  const groupOfRoot = new Map<TraceCard, number>()
  for (const root of roots) {
    const r = find(`id\u0000${root.id}`)
    let g = index.get(r)
    if (g === undefined) {
      g = names.length
      index.set(r, g)
      names.push(root.id)
    }
    groupOfRoot.set(root, g)
  }
  return {groupOfRoot, names}
}

/** Every LLM step featurized, with the labels of `decisions` joined. */
export function stepData(
  roots: readonly TraceCard[],
  decisions: DecisionsFile | undefined,
  book: PriceBook,
  options: StepDataOptions,
): StepData {
  const usage = new Map<string, number>()
  // (Per model, the provider its first call was priced with: a model the catalog knows only with its provider.)
  const hints = new Map<string, string>()
  const count = (cards: readonly TraceCard[]): void => {
    for (const c of cards) {
      for (const s of c.steps) {
        if (s.kind !== 'llm' || !s.model) continue
        usage.set(s.model, (usage.get(s.model) ?? 0) + 1)
        if (!hints.has(s.model)) {
          const hint = providerHintOf(book, c, s)
          if (hint) hints.set(s.model, hint)
        }
      }
      count(c.children)
    }
  }
  count(roots)
  const tiers = resolveTiers(usage, book, options.tiers, hints)
  const tierCache = new Map<string, number | undefined>()
  const tierOfModel = (model: string): number | undefined => {
    if (!tierCache.has(model)) tierCache.set(model, tierIndex(tiers, model, book))
    return tierCache.get(model)
  }
  const steps = stepFeatures(roots, {
    withAction: options.withAction,
    tierOf: model => {
      const t = tierOfModel(model)
      return t === undefined ? undefined : tiers.tiers[t]!.name
    },
  })
  const {groupOfRoot, names} = traceGroups(roots)
  const groupOf = Int32Array.from(steps, s => groupOfRoot.get(s.root)!)
  const byKey = new Map((decisions?.decisions ?? []).map(d => [decisionKey(d.traceId, d.stepId), d] as const))
  const labelled: LabelledStep[] = []
  const ranOn = tiers.tiers.map(() => 0)
  const evidence = {down: tiers.tiers.map(() => 0), downNot: tiers.tiers.map(() => 0)}
  const matched = new Set<string>()
  steps.forEach((s, i) => {
    const key = decisionKey(s.card.id, s.step.id)
    const d = byKey.get(key)
    if (!d?.label) return
    matched.add(key)
    const source = d.labelSource ?? 'person'
    if (options.sources && !options.sources.has(source)) return
    const ran = s.step.model ? tierOfModel(s.step.model) : undefined
    if (ran !== undefined) ranOn[ran]!++
    const said = tierEvidence(d.label, ran, tiers.tiers.length)
    if (ran !== undefined) {
      for (const k of said.good) if (k < ran) evidence.down[k]!++
      for (const k of said.bad) if (k < ran) evidence.downNot[k]!++
    }
    labelled.push({
      step: s,
      label: d.label,
      source,
      strength: d.labelStrength ?? 1,
      ran,
      evidence: said,
      group: groupOf[i]!,
    })
  })
  let unmatchedLabels = 0
  for (const [key, d] of byKey) if (d.label && !matched.has(key)) unmatchedLabels++
  return {steps, labelled, groups: names, groupOf, tiers, ranOn, evidence, unmatchedLabels}
}
