/**
 * The per-step router as saved (router.json of kind `aco-step-router`,
 * schemas/step-router.schema.json) and as used: `loadStepRouter` compiles it
 * once (feature spec into an encoder, estimators loaded), `routeCards` walks
 * every LLM step of some cards in order, featurizing each from the steps
 * before it, and sends it to the cheapest tier whose estimated P(the tier is
 * enough) reaches the threshold (the strongest tier otherwise). What routing
 * would have cost is projected from the step's own tokens, priced at the
 * model of the tier it is sent to.
 */
import type {TraceCard} from '../../card/types.js'
import {AcoError} from '../../errors.js'
import {isPriced, type PriceBook} from '../../price/book.js'
import {providerHintOf} from '../../price/price-card.js'
import {estimatorProblem, featuresProblem, referencesProblem} from '../router-check.js'
import {readInputTextSync} from '../../util/fs-errors.js'
import {check} from '../../util/schemas.js'
import {Encoder} from '../encoder.js'
import {ReferenceIndex, type ReferencesJson} from '../engine-knn.js'
import {loadEstimator} from '../engines.js'
import {type Estimator, type EstimatorJson, Query} from '../estimator.js'
import {columnBins, type FeatureSpec} from '../featurize.js'
import {sparseLayout} from '../sparse.js'
import {cardStepFeatures, subagentInstruction, type FeaturedStep} from './features.js'
import {modelFor, tierIndex, tierPricing, type Tier, type TierRule} from './tiers.js'
import {expectRouterKind} from '../router-kind.js'
import {parseJson} from '../../util/json-parse.js'

export const STEP_ROUTER_VERSION = '1.0' as const

interface StepRouterTier extends Tier {
  /** Labelled training steps that ran on this tier. */
  labelledSteps: number
  /**
   * Labelled steps that ran on a stronger tier whose label says this tier would have done (`evidenceDown`), or would
   * not (`evidenceDownNot`): what a saving projected for a step moved down here rests on. (Absent in routers of an
   * earlier version, whose `supported` counted the steps that ran here.)
   */
  evidenceDown?: number
  evidenceDownNot?: number
  /** Whether enough labels say this tier would have done for a step moved down here: a saving is projected. */
  supported: boolean
}

export interface StepRouterJson {
  schemaVersion: typeof STEP_ROUTER_VERSION
  kind: 'aco-step-router'
  tiers: StepRouterTier[]
  tierRule: TierRule
  features: {
    spec: FeatureSpec
    /** Step features used (names), and whether the hashed instruction text is one. */
    names: string[]
    text: boolean
    /** Whether `action` (the kind of call the step makes) is among the features computed. */
    withAction: boolean
  }
  references?: ReferencesJson
  /** One estimator per tier, cheapest first: P(the tier is enough for the step). */
  estimators: EstimatorJson[]
  operatingPoint: {
    /** A step goes to the cheapest tier whose estimate reaches this (the strongest tier otherwise). */
    threshold: number
    /** Whether a step may go to a stronger tier than the one it ran on (otherwise only down, or where it is). */
    escalate: boolean
    objective: string
    alpha?: number
    bound?: number
    calibrationSteps?: number
  }
  /** Labelled steps needed on a tier before a saving is projected for steps sent there. */
  minTierSteps: number
  training: {
    seed: number
    engine: string
    chosen: string[] | 'constant'
    sources: string[]
    labelledSteps: number
    traceGroups: number
    createdAt: string
  }
}

/** A step router ready to route. */
export interface LoadedStepRouter {
  readonly json: StepRouterJson
  /** Estimates per tier (cheapest first) for a featurized step (written into `out`). */
  estimate(step: Pick<FeaturedStep, 'features' | 'text'>, out?: Float64Array): Float64Array
  /**
   * The tier (index) for a featurized step at the operating point (or
   * `threshold`); `ran` is the tier of the model it would run on otherwise,
   * which it stays under unless the router escalates.
   */
  tierFor(step: Pick<FeaturedStep, 'features' | 'text'>, ran?: number, threshold?: number): number
}

/**
 * The cheapest tier whose estimate reaches `threshold`, else the strongest;
 * never above `ran` (the tier the step runs on otherwise) unless `escalate`.
 */
export function cheapestEnough(p: ArrayLike<number>, threshold: number, ran?: number, escalate = true): number {
  const top = escalate || ran === undefined ? p.length - 1 : ran
  for (let k = 0; k < top; k++) if ((p[k] as number) >= threshold) return k
  return top
}

/**
 * Whether a step moved from tier `ran` to tier `k` is priced there: always when it moves up (a cost needs no label's
 * support); moving down, when enough labels of steps run on a stronger tier say `k` would have done. A router written
 * before those counts were kept (no `evidenceDown`) projects no saving: its `supported` counted the steps run on `k`.
 */
export function projects(tier: StepRouterTier, k: number, ran: number): boolean {
  if (k > ran) return true
  return tier.evidenceDown !== undefined && tier.supported
}

/** Whether a router was trained before the evidence counts that a projected saving rests on were kept. */
export function withoutEvidence(json: StepRouterJson): boolean {
  return json.tiers.some(t => t.evidenceDown === undefined)
}

/**
 * The operating point in words: a threshold above 1 sends no step to a cheaper tier (with `escalate`, every step to the
 * strongest; without, every step stays on the tier that ran it, and a step whose trace names no model goes to the
 * strongest).
 */
export function thresholdWords(threshold: number, escalate: boolean): string {
  if (threshold <= 1) return String(threshold)
  return escalate ? 'above 1: every step to the strongest tier' : 'above 1: no step moved down'
}

/** Whether a router file is a per-step router (its `kind`), without validating it; false when unreadable. */
export function isStepRouterFile(path: string): boolean {
  try {
    // (Read as every input is: a FIFO or a device given as the router is refused, not waited on.)
    return (parseJson(readInputTextSync(path, 'the router')) as {kind?: unknown}).kind === 'aco-step-router'
  } catch {
    return false
  }
}

/** What the schema cannot say of a step router: its estimators fit the features they read (see router-check.ts). */
function stepRouterProblem(json: StepRouterJson): string | undefined {
  const spec = featuresProblem(json.features.spec)
  if (spec) return spec
  const bins = columnBins(json.features.spec)
  const refs = json.references ? referencesProblem(json.references, bins) : undefined
  if (refs) return refs
  for (const [k, estimator] of json.estimators.entries()) {
    const problem = estimatorProblem(estimator, bins, json.references)
    if (problem) return `estimator ${k + 1}: ${problem}`
  }
  return undefined
}

/** Compiles a step router (validated against its schema when read from a file). */
export function loadStepRouter(source: string | StepRouterJson): LoadedStepRouter {
  let json: StepRouterJson
  if (typeof source === 'string') {
    const text = readInputTextSync(
      source,
      'the router',
      'Train one with aco train --steps CARDS --decisions FILE --out DIR.',
    )
    let data: unknown
    try {
      data = parseJson(text)
    } catch (error) {
      throw new AcoError('usage', `Cannot read the router ${source}: ${(error as Error).message}.`)
    }
    expectRouterKind(data, source, ['aco-step-router'])
    const problem = check('step-router', data) ?? stepRouterProblem(data as StepRouterJson)
    if (problem)
      throw new AcoError(
        'schema',
        `${source} is not a step router: ${problem}.`,
        'Train one with aco train --steps CARDS --decisions FILE --out DIR.',
      )
    json = data as StepRouterJson
  } else json = source
  const encoder = new Encoder(json.features.spec)
  const layout = sparseLayout(columnBins(json.features.spec))
  const references = json.references ? ReferenceIndex.fromJSON(json.references) : undefined
  const estimators: Estimator[] = json.estimators.map(e => loadEstimator(e, references))
  const q = new Query(layout)
  const scratch = new Float64Array(estimators.length)
  const text = json.features.text
  const estimate = (
    step: Pick<FeaturedStep, 'features' | 'text'>,
    out = new Float64Array(estimators.length),
  ): Float64Array => {
    encoder.encode(text ? step : {features: step.features}, q.bins)
    q.refresh()
    for (let k = 0; k < estimators.length; k++) out[k] = estimators[k]!.predict(q)
    return out
  }
  return {
    json,
    estimate,
    tierFor(step, ran, threshold = json.operatingPoint.threshold) {
      return cheapestEnough(estimate(step, scratch), threshold, ran, json.operatingPoint.escalate)
    },
  }
}

export interface StepDecision {
  traceId: string
  stepId: string
  /** The tier it is sent to; none for a step `kept` on its model. */
  tier?: string
  model: string
  /** `untiered`: its model is one no tier claims (a local model, an embedding model), and it stays on it. */
  kept?: 'untiered'
  /** The tier and model that ran it. */
  ranTier?: string
  ranModel?: string
  /** What the step cost, and what it would cost on the model it is sent to (same tokens). */
  costUsd?: number
  routedCostUsd?: number
}

export interface Projection {
  /** What the steps cost as they ran, and what they would cost as routed. */
  actualUsd: number
  costUsd: number
  savedUsd: number
  /** Steps routed, moved to a cheaper tier, to a dearer one. */
  steps: number
  cheaper: number
  dearer: number
  /** Steps sent to a tier without enough labelled steps: counted at what they cost (no saving projected). */
  notProjected: number
  /** Steps whose model no tier claims, left on it (counted at what they cost). */
  kept: number
  /** How many steps of each such model were kept (routing the cards; absent for the labelled steps). */
  keptModels?: Record<string, number>
  /** Steps without a price (their model or the target's is not in the catalog): left out of the sums. */
  unpriced: number
  /** Steps sent to another tier than the one that ran them, priced or not (routing the cards; absent before). */
  moved?: number
  /**
   * Steps whose trace names no model, routed by the router, per tier they go to: what they ran is unknown, so none of
   * them counts as moved and no saving is projected for them (routing the cards; absent when there is none).
   */
  noModel?: Record<string, number>
  assumption: string
}

export const PROJECTION_ASSUMPTION =
  'a step sent to a cheaper tier is assumed to go as well as labelled steps with the same features did on that tier, with the same tokens, priced at that tier’s model; a step moved to a tier that too few labels of steps run on another tier speak of is counted at what it cost (no saving projected)'

/** What a step would cost on `model` with its own tokens (undefined when either is unpriced). */
function repriced(step: FeaturedStep['step'], tier: Tier, book: PriceBook): number | undefined {
  if (!step.tokens) return undefined
  const r = tierPricing(tier, step.model, book)
  if (!isPriced(r)) return undefined
  return book.cost(r, step.tokens, step.startedAt)
}

/** Routes every LLM step of some root cards (and their subagents), in order; with the projection. */
export function routeCards(
  router: LoadedStepRouter,
  roots: readonly TraceCard[],
  book: PriceBook,
  threshold?: number,
): {decisions: StepDecision[]; projected: Projection} {
  const json = router.json
  const tierOf = new Map<string, number | undefined>()
  const ranTier = (model: string): number | undefined => {
    if (!tierOf.has(model)) tierOf.set(model, tierIndex({tiers: json.tiers, rule: json.tierRule}, model, book))
    return tierOf.get(model)
  }
  const options = {
    withAction: json.features.withAction,
    tierOf: (m: string) => {
      const t = ranTier(m)
      return t === undefined ? undefined : json.tiers[t]!.name
    },
  }
  const decisions: StepDecision[] = []
  const projected: Projection = {
    actualUsd: 0,
    costUsd: 0,
    savedUsd: 0,
    steps: 0,
    cheaper: 0,
    dearer: 0,
    notProjected: 0,
    kept: 0,
    unpriced: 0,
    moved: 0,
    assumption: PROJECTION_ASSUMPTION,
  }
  const keptModels: Record<string, number> = {}
  const visit = (card: TraceCard, depth: number, instruction: string): void => {
    for (const f of cardStepFeatures(card, depth, options, instruction)) {
      const ran = f.step.model ? ranTier(f.step.model) : undefined
      const actual = f.step.cost?.usd ?? undefined
      if (ran === undefined && f.step.model) {
        // A model no tier claims (a local model, an embedding call): no tier says what would do its job, and a chat
        // model of a tier may not do it at all. It stays on its model.
        const d: StepDecision = {traceId: card.id, stepId: f.step.id, model: f.step.model, kept: 'untiered'}
        d.ranModel = f.step.model
        projected.steps++
        projected.kept++
        keptModels[f.step.model] = (keptModels[f.step.model] ?? 0) + 1
        if (actual === undefined || actual === null) projected.unpriced++
        else {
          d.costUsd = round9(actual)
          d.routedCostUsd = round9(actual)
          projected.actualUsd += actual
          projected.costUsd += actual
        }
        decisions.push(d)
        continue
      }
      const k = router.tierFor(f, ran, threshold)
      const tier = json.tiers[k]!
      // (A step whose trace names no model goes to the tier's model of its trace's provider, where the tier has one: a
      // Gemini CLI step to a Google model, not to the tier's first; trial 82.)
      const model =
        k === ran && f.step.model
          ? f.step.model
          : modelFor(tier, f.step.model, book, f.step.model ? undefined : providerHintOf(book, card, f.step))
      const d: StepDecision = {traceId: card.id, stepId: f.step.id, tier: tier.name, model}
      if (f.step.model) d.ranModel = f.step.model
      if (ran !== undefined) d.ranTier = json.tiers[ran]!.name
      projected.steps++
      if (ran !== undefined && k !== ran) projected.moved = (projected.moved ?? 0) + 1
      if (!f.step.model) {
        const counts = projected.noModel ?? {}
        counts[tier.name] = (counts[tier.name] ?? 0) + 1
        projected.noModel = counts
      }
      if (actual !== undefined && actual !== null) d.costUsd = round9(actual)
      let routed: number | undefined
      if (ran === undefined || ran === k) routed = actual ?? undefined
      else if (!projects(tier, k, ran)) {
        projected.notProjected++
        routed = actual ?? undefined
      } else {
        routed = repriced(f.step, tier, book)
        if (routed !== undefined) {
          if (k < ran) projected.cheaper++
          else projected.dearer++
        }
      }
      if (actual === undefined || actual === null || routed === undefined) projected.unpriced++
      else {
        d.routedCostUsd = round9(routed)
        projected.actualUsd += actual
        projected.costUsd += routed
      }
      decisions.push(d)
    }
    for (const child of card.children) visit(child, depth + 1, subagentInstruction(card, child))
  }
  for (const root of roots) visit(root, 0, '')
  projected.actualUsd = round9(projected.actualUsd)
  projected.costUsd = round9(projected.costUsd)
  projected.savedUsd = round9(projected.actualUsd - projected.costUsd)
  if (projected.kept) projected.keptModels = keptModels
  return {decisions, projected}
}

function round9(v: number): number {
  return Math.round(v * 1e9) / 1e9
}
