/**
 * One routing policy from what exists: a trained router (with its
 * evaluation), the decisions a person made, and the cards they were made on.
 * Either alone is enough: a router gives the routing, decisions give the
 * guards. Pure: the inputs arrive read and validated.
 */
import type {LoadedCascade} from '../learn/cascade/router.js'
import type {LoadedRouter} from '../learn/router.js'
import type {LoadedStepRouter} from '../learn/steps/router.js'
import type {DecisionsFile} from '../review/decisions.js'
import {cascadeEvaluationFigures, evaluationFigures} from './evaluation.js'
import {policyFromRouter} from './from-router.js'
import {acceptedFlags, guardsFrom, pruneSuggestions, type AcceptedFlag, type PruneSuggestion} from './prune.js'
import type {TracesSummary} from './traces.js'
import {emptyGuards, POLICY_VERSION, type RoutingPolicy} from './types.js'

export interface PolicyInputs {
  router?: {loaded: LoadedRouter | LoadedStepRouter | LoadedCascade; path: string}
  /** The parsed evaluation.json (any shape) and where it was read. */
  evaluation?: {data: unknown; path: string}
  decisions?: {file: DecisionsFile; path: string}
  traces?: TracesSummary
  /** Accept every flag of the cards at least this confident (that no decision rejected). */
  acceptAbove?: number
}

export interface BuiltPolicy {
  policy: RoutingPolicy
  accepted: AcceptedFlag[]
  suggestions: PruneSuggestion[]
  /** What the conversion noticed, for the PR. */
  notes: string[]
  /** Why the router moves nothing at its operating point (see RoutingPart.idle). */
  routerIdle?: string
  /**
   * The items the router was trained on, in words, where its file keeps them (`1,147 items; eval_name: arc-challenge
   * 885, mbpp 262`): what its figures hold for, which PR.md sets beside the traces a saving is reckoned on.
   */
  routerItems?: string
}

export function buildPolicy(inputs: PolicyInputs): BuiltPolicy {
  const policy: RoutingPolicy = {
    schemaVersion: POLICY_VERSION,
    kind: 'aco-routing-policy',
    source: {},
    tiers: [],
    default: '',
    rules: [],
    thresholds: [],
    escalation: [],
    guards: emptyGuards(),
  }
  const notes: string[] = []
  let routerIdle: string | undefined
  let routerItems: string | undefined
  if (inputs.router) {
    const kind = inputs.router.loaded.json.kind
    // A step router's evaluation has its own shape (schemas/step-train-result.schema.json): its figures are in the rules and thresholds.
    const evaluation = !inputs.evaluation
      ? undefined
      : kind === 'aco-cascade'
        ? cascadeEvaluationFigures(inputs.evaluation.data, inputs.evaluation.path)
        : kind === 'aco-step-router'
          ? undefined
          : evaluationFigures(inputs.evaluation.data, inputs.evaluation.path)
    const part = policyFromRouter(inputs.router.loaded, inputs.router.path, evaluation, inputs.evaluation?.data)
    policy.source.router = part.router
    if (inputs.evaluation) policy.source.evaluation = inputs.evaluation.path
    policy.tiers = part.tiers
    policy.default = part.default
    policy.rules = part.rules
    policy.thresholds = part.thresholds
    policy.escalation = part.escalation
    if (evaluation) policy.evaluation = evaluation
    notes.push(...part.notes)
    routerIdle = part.idle
    routerItems = itemsInWords(inputs.router.loaded.json)
  }
  if (inputs.decisions) policy.source.decisions = inputs.decisions.path
  if (inputs.traces) policy.source.cards = inputs.traces.path
  const traces = inputs.traces?.traces
  let accepted = acceptedFlags(inputs.decisions?.file.decisions ?? [], traces, inputs.acceptAbove)
  const decided = accepted.filter(a => a.by === 'decision')
  const stale = accepted.filter(a => a.stale).length
  // No accepted decision names a step of the cards: decisions made on other traces, whose waste these traces never
  // had. They are left out, not credited (trial 80: another folder's decisions credited as this one's saving).
  if (traces && decided.length > 0 && decided.every(a => a.stale)) {
    accepted = accepted.filter(a => !a.stale)
    notes.push(
      `none of the ${decided.length} accepted decision${decided.length === 1 ? '' : 's'} names a step of the cards (made on other traces?): left out, none credited; give --cards the cards the decisions were made on`,
    )
  } else if (stale > 0)
    notes.push(
      `${stale} accepted decision${stale === 1 ? '' : 's'} name steps the cards do not have (analysed again since, or made on other traces): their dollars come from the decisions file`,
    )
  const suggestions = pruneSuggestions(accepted, traces)
  policy.guards = guardsFrom(suggestions)
  return {
    policy,
    accepted,
    suggestions,
    notes,
    ...(routerIdle ? {routerIdle} : {}),
    ...(routerItems ? {routerItems} : {}),
  }
}

/** A router's training items in words, from the counts its file keeps for its features (see BuiltPolicy.routerItems). */
function itemsInWords(json: unknown): string | undefined {
  const f = (json as {features?: {items?: unknown; categorical?: unknown}}).features
  if (typeof f?.items !== 'number') return undefined
  const parts = [`${f.items.toLocaleString('en-US')} item${f.items === 1 ? '' : 's'}`]
  const categorical = Array.isArray(f.categorical)
    ? (f.categorical as Array<{name?: unknown; values?: unknown; counts?: unknown}>)
    : []
  for (const c of categorical.slice(0, 3)) {
    if (typeof c.name !== 'string' || !Array.isArray(c.values) || !Array.isArray(c.counts)) continue
    const counts = c.counts as unknown[]
    const values = c.values.slice(0, 6).map((v, k) => `${String(v)} ${String(counts[k] ?? '')}`.trim())
    parts.push(`${c.name}: ${values.join(', ')}${c.values.length > 6 ? ', …' : ''}`)
  }
  return parts.length === 1 ? parts[0] : `${parts[0]} (${parts.slice(1).join('; ')})`
}
