/**
 * From a trained router to the routing part of a policy: ONE function per
 * router kind, so a new router (cascade, per-step) or a change in router.json
 * touches only its own function. Routers are read through learn's own loader
 * (`loadRouter`), never re-parsed here.
 *
 * Today's router is per item (`kind: aco-router`). Its evaluation recommends
 * the simplest policy that does as well on the calibration split (a single
 * model, a random mix of two, or the router itself); the policy carries that
 * recommendation, because a patch should carry the least machinery the
 * evidence supports.
 */
import {AcoError} from '../errors.js'
import type {Objective} from '../learn/calibrate.js'
import type {LoadedCascade} from '../learn/cascade/router.js'
import type {LoadedRouter} from '../learn/router.js'
import type {LoadedStepRouter} from '../learn/steps/router.js'
import {modelsByProvider} from '../learn/steps/tiers.js'
import {PriceBook} from '../price/book.js'
import type {Escalation, PolicyEvaluation, PolicyRule, PolicyThreshold, PolicyTier, RoutingPolicy} from './types.js'

/** What a router contributes to a policy. */
export type RoutingPart = Pick<RoutingPolicy, 'tiers' | 'default' | 'rules' | 'thresholds' | 'escalation'> & {
  router: NonNullable<RoutingPolicy['source']['router']>
  /** Things the conversion noticed (a recommendation it could not follow…). */
  notes: string[]
  /** Why the router moves nothing at its operating point, when its evaluation says it does not (no saving to claim). */
  idle?: string
}

/** Tier names from the cheap end: `cheap`, `mid` (or `mid-1`, `mid-2`…), `strong`. */
export function tierNames(count: number): string[] {
  if (count <= 0) return []
  if (count === 1) return ['strong']
  const middle = count - 2
  const mids = middle === 1 ? ['mid'] : Array.from({length: middle}, (_, i) => `mid-${i + 1}`)
  return ['cheap', ...mids, 'strong']
}

/** The routing part of a policy, from any router kind aco trains (`rawEvaluation`: its evaluation.json, parsed). */
export function policyFromRouter(
  router: LoadedRouter | LoadedStepRouter | LoadedCascade,
  routerPath: string,
  evaluation: PolicyEvaluation | undefined,
  rawEvaluation?: unknown,
): RoutingPart {
  const kind = router.json.kind
  switch (kind) {
    case 'aco-router':
      return fromItemRouter(router as LoadedRouter, routerPath, evaluation)
    case 'aco-cascade':
      return fromCascade(router as LoadedCascade, routerPath, evaluation)
    case 'aco-step-router':
      return fromStepRouter(router as LoadedStepRouter, routerPath, rawEvaluation)
    default:
      throw new AcoError(
        'usage',
        `${routerPath} is a router of kind "${String(kind)}", which aco patch cannot turn into a policy yet.`,
        'Give a router.json written by aco train.',
      )
  }
}

/**
 * The objective in words; at α, the bound that chose the threshold as calibration recorded it: conformal risk control
 * (on average), or Learn-then-Test's with probability 1 − δ (`--guarantee high`; trial 82 read the first beside it).
 */
function describeObjective(objective: Objective, calibration?: PolicyThreshold['calibration']): string {
  switch (objective.kind) {
    case 'keep':
      return `the cheapest threshold keeping ${(objective.keep * 100).toFixed(0)}% of the strongest model's quality`
    case 'alpha':
      return calibration?.guarantee === 'high'
        ? `Learn-then-Test at α = ${objective.alpha}${calibration.delta !== undefined ? ` and δ = ${calibration.delta}` : ''}: the rate stays at most α with probability at least 1 − δ`
        : `conformal risk control at α = ${objective.alpha}`
    case 'max-cost':
      return `the best quality within $${objective.maxCost} per item`
    default:
      return objective satisfies never
  }
}

/** The per-item router of `aco train` (router.json `kind: aco-router`). */
function fromItemRouter(
  router: LoadedRouter,
  routerPath: string,
  evaluation: PolicyEvaluation | undefined,
): RoutingPart {
  const json = router.json
  const names = tierNames(json.models.length)
  const tiers: PolicyTier[] = json.models.map((m, i) => ({
    name: names[i]!,
    model: m.model,
    meanCostUsd: m.costUsd,
    quality: m.quality,
  }))
  const tierOf = (model: string): string | undefined => tiers.find(t => t.model === model)?.name
  const strong = tiers[tiers.length - 1]!.name
  const notes: string[] = []
  const op = json.operatingPoint
  const threshold: PolicyThreshold = {
    name: 'operating-point',
    rule: json.rule,
    value: op.threshold,
    objective: describeObjective(op.objective, evaluation?.calibration),
  }
  if (op.objective.kind === 'alpha' && evaluation?.calibration) threshold.calibration = {...evaluation.calibration}

  const routerRule: PolicyRule = {
    id: 'router',
    when: {router: {path: routerPath, threshold: op.threshold}},
    why: `each item goes to the model the router picks for it (${json.rule} rule; operating point: ${threshold.objective})`,
  }
  let defaultTier = strong
  let rules: PolicyRule[] = [routerRule]
  const recommended = evaluation?.recommendedModels ?? []
  switch (evaluation?.recommendation) {
    case 'single-model': {
      const tier = tierOf(recommended[0] ?? '')
      if (tier) {
        defaultTier = tier
        rules = []
      } else
        notes.push(
          `the evaluation recommends ${recommended[0] ?? 'a model'}, which is not one of the router's candidates: the policy keeps the router`,
        )
      break
    }
    case 'two-model-mix': {
      const first = tierOf(recommended[0] ?? '')
      const second = tierOf(recommended[1] ?? '')
      const share = evaluation.share
      if (first && second && share !== undefined) {
        defaultTier = first
        rules = [
          {
            id: 'mix',
            when: {share: round(share, 6)},
            tier: second,
            why: `a random ${(share * 100).toFixed(1)}% of items go to ${recommended[1]}, the rest to ${recommended[0]}: the evaluation recommends it, the router not being shown better than this mix on its held-out items`,
          },
        ]
      } else
        notes.push('the evaluation recommends a two-model mix it does not fully describe: the policy keeps the router')
      break
    }
    case 'router':
    case undefined:
      break
    case 'none':
      notes.push(
        "no policy met the training objective on the evaluation's calibration split: the policy keeps the router, which did not meet it either",
      )
      break
    default:
      notes.push(
        `the evaluation recommends "${evaluation?.recommendation}", which this version does not know: the policy keeps the router`,
      )
  }

  // A call the provider fails (an error, a rate limit, a context window) is retried on the strongest model.
  const used = new Set([
    defaultTier,
    ...rules.flatMap(r => (r.tier ? [r.tier] : 'router' in r.when ? tiers.map(t => t.name) : [])),
  ])
  const escalation: Escalation[] = tiers
    .filter(t => t.name !== strong && used.has(t.name))
    .map(t => callError(t, tiers[tiers.length - 1]!))

  return {
    tiers,
    default: defaultTier,
    rules,
    thresholds: [threshold],
    escalation,
    router: {path: routerPath, kind: json.kind, createdAt: json.training.createdAt},
    notes,
  }
}

/**
 * The per-step router of `aco train --steps` (router.json `kind: aco-step-router`): its tiers; a rule per
 * subagent type the router sends (almost) all steps of to one tier, from the evaluation's rules in words
 * (what `.claude/agents/*.md` can say: one model per subagent); then the router itself, step by step, for
 * agents that route each step through the library (`route(policy, {features})`); the strongest tier by
 * default (a file that can hold one model for the main agent keeps the strongest: a per-step choice is
 * not expressible there, and PR.md says so).
 */
function fromStepRouter(router: LoadedStepRouter, routerPath: string, rawEvaluation: unknown): RoutingPart {
  const json = router.json
  // (With each tier's models by provider, as `aco route --cards` chooses among them: a Claude step to a Claude model.)
  const book = new PriceBook()
  const tiers: PolicyTier[] = json.tiers.map(t => {
    const byProvider = modelsByProvider(t, book)
    return {name: t.name, model: t.model, ...(byProvider.length > 1 ? {byProvider} : {})}
  })
  const strong = tiers[tiers.length - 1]!.name
  const op = json.operatingPoint
  const threshold: PolicyThreshold = {
    name: 'operating-point',
    rule: 'cheapest-enough',
    value: op.threshold,
    objective: op.objective,
  }
  if (op.alpha !== undefined || op.bound !== undefined) {
    threshold.calibration = {}
    if (op.alpha !== undefined) threshold.calibration.alpha = op.alpha
    if (op.bound !== undefined) threshold.calibration.bound = op.bound
    if (op.calibrationSteps !== undefined) threshold.calibration.calibrationItems = op.calibrationSteps
  }
  const rules: PolicyRule[] = []
  const notes: string[] = []
  const evaluationRules = (rawEvaluation as {rules?: unknown} | undefined)?.rules
  if (Array.isArray(evaluationRules))
    for (const r of evaluationRules as Array<{
      when?: {feature?: string; value?: string}
      tier?: string
      text?: string
    }>) {
      if (r.when?.feature !== 'subagent_type' || !r.when.value || !r.tier) continue
      if (!tiers.some(t => t.name === r.tier)) continue
      rules.push({id: `agent:${r.when.value}`, when: {agent: r.when.value}, tier: r.tier, why: r.text ?? ''})
    }
  else
    notes.push(
      'no evaluation.json beside the step router: no per-subagent rules (each step still goes through the router)',
    )
  rules.push({
    id: 'step-router',
    when: {router: {path: routerPath, threshold: op.threshold}},
    why: `each step goes to the cheapest tier the per-step router estimates enough for it, from the steps before it (${op.objective})`,
  })
  const escalation: Escalation[] = tiers.filter(t => t.name !== strong).map(t => callError(t, tiers[tiers.length - 1]!))
  // The evaluation routed every LLM step of its cards with this router: none moved, and no saving is to be had.
  // (None moved at all: not to a cheaper or dearer tier, nor to one with too few labels to project a saving, nor unpriced.)
  const projected = (
    rawEvaluation as
      | {
          projected?: {
            steps?: unknown
            cheaper?: unknown
            dearer?: unknown
            notProjected?: unknown
            unpriced?: unknown
            moved?: unknown
          }
        }
      | undefined
  )?.projected
  const idle =
    typeof projected?.steps === 'number' &&
    projected.steps > 0 &&
    // (The steps it sent elsewhere, priced or not, where the evaluation counts them: an unpriced step that stayed on its
    // tier moved nothing, trial 80. Else, as before them: none moved to any tier, and none unpriced.)
    (typeof projected.moved === 'number'
      ? projected.moved === 0
      : projected.cheaper === 0 &&
        projected.dearer === 0 &&
        // (An evaluation written before these counts has none: as 0, review 34.)
        (projected.notProjected ?? 0) === 0 &&
        (projected.unpriced ?? 0) === 0)
      ? `at its operating point (threshold ${op.threshold}) the per-step router moves none of the ${projected.steps} LLM steps of the cards it was trained on to another tier`
      : undefined
  return {
    tiers,
    default: strong,
    rules,
    thresholds: [threshold],
    escalation,
    router: {path: routerPath, kind: json.kind, createdAt: json.training.createdAt},
    notes,
    ...(idle ? {idle} : {}),
  }
}

/** A threshold so low (or high) that the step always keeps (or always escalates): the path's ends. */
const ALWAYS = 1e8

/**
 * The cascade of `aco train --cascade` (router.json `kind: aco-cascade`): its chain's models as tiers
 * (cheapest first, by their mean cost on training), every item to the chain's first model, and one
 * `low-confidence` escalation per step, from a model to the next in the chain, at the operating point's
 * thresholds; a call the provider fails goes to the next model too. Only agent code can escalate on what a
 * model returned (loadPolicy / next): a config file carries the call-error part, and PR.md says so.
 */
function fromCascade(
  cascade: LoadedCascade,
  routerPath: string,
  evaluation: PolicyEvaluation | undefined,
): RoutingPart {
  const json = cascade.json
  const byCost = json.chain.map((s, i) => ({s, i})).sort((a, b) => a.s.costUsd - b.s.costUsd || a.i - b.i)
  const names = tierNames(byCost.length)
  const tiers: PolicyTier[] = byCost.map(({s}, k) => ({
    name: names[k]!,
    model: s.model,
    meanCostUsd: s.costUsd,
    quality: s.quality,
  }))
  const tierByModel = (model: string): PolicyTier => tiers.find(t => t.model === model)!
  const tierOf = (model: string): string => tierByModel(model).name
  const op = json.operatingPoint
  const calibration =
    op.objective.kind === 'alpha' ? (evaluation?.calibration ?? guaranteeOf(json, op.objective.alpha)) : undefined
  const objective = describeObjective(op.objective, calibration)
  const thresholds: PolicyThreshold[] = op.thresholds.map((value, s) => ({
    name: `keep:${json.chain[s]!.model}`,
    rule: 'cascade',
    value,
    objective,
    ...(calibration ? {calibration: {...calibration}} : {}),
  }))
  const escalation: Escalation[] = []
  const chain = json.chain
  // Steps past one that always keeps never run at this operating point.
  const reached = op.thresholds.findIndex(t => t <= -ALWAYS)
  const last = reached < 0 ? chain.length - 1 : reached
  for (let s = 0; s < last; s++) {
    const from = chain[s]!.model
    const to = chain[s + 1]!.model
    const t = op.thresholds[s]!
    escalation.push({
      from: tierOf(from),
      to: tierOf(to),
      on: 'low-confidence',
      why:
        t >= ALWAYS
          ? `${to} always runs after ${from} at this operating point`
          : `${from}'s answer is kept when the cascade's confidence in it is at least ${round(t, 4)}; otherwise ${to} runs`,
    })
  }
  for (let s = 0; s < last; s++)
    escalation.push(callError(tierByModel(chain[s]!.model), tierByModel(chain[s + 1]!.model)))
  const notes: string[] = []
  if (last < chain.length - 1)
    notes.push(
      `at this operating point the cascade always keeps ${chain[last]!.model}'s answer: ${chain
        .slice(last + 1)
        .map(c => c.model)
        .join(', ')} never run${chain.length - last - 1 === 1 ? 's' : ''}`,
    )
  return {
    tiers,
    default: tierOf(chain[0]!.model),
    rules: [
      {
        id: 'cascade',
        when: {cascade: {path: routerPath, level: op.level}},
        why: `each item runs ${chain
          .slice(0, last + 1)
          .map(c => c.model)
          .join(
            ' → ',
          )} in turn and keeps the first answer the cascade is confident in (${json.mode === 'entropy' ? 'training-free: do the answers so far agree' : 'an estimate from the item and what each model returned'}; ${objective})`,
      },
    ],
    thresholds,
    escalation,
    router: {path: routerPath, kind: json.kind, createdAt: json.training.createdAt},
    notes,
  }
}

/** The bound router.json records for α at its operating point (the first is the one that chose it). */
function guaranteeOf(json: LoadedCascade['json'], alpha: number): PolicyThreshold['calibration'] {
  const g = json.guarantees.find(x => x.alpha === alpha && x.level === json.operatingPoint.level)
  if (!g) return undefined
  return {
    alpha: g.alpha,
    guarantee: g.guarantee,
    ...(g.delta !== undefined ? {delta: g.delta} : {}),
    bound: g.bound,
    calibrationItems: g.n,
    ...(g.testRate !== undefined ? {measuredRate: g.testRate} : {}),
  }
}

/** A call the provider fails on `from` (an error, a rate limit, a context window) is retried on `to`. */
function callError(from: PolicyTier, to: PolicyTier): Escalation {
  return {
    from: from.name,
    to: to.name,
    on: 'call-error',
    why: `a call ${from.model} fails (provider error, rate limit, context window) is retried on ${to.model}`,
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}
