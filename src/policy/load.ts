/**
 * A routing policy at run time: `loadPolicy` validates a policy file (or its
 * parsed JSON) and compiles what its rules need (a router rule loads its
 * router.json once); `route` then picks the model for each item or step, and
 * `runGuard` applies the policy's guards to one task as it runs.
 *
 * `route` also takes a loaded router (`loadRouter`), so `import {route} from
 * 'aco'` serves both.
 */
import {readInputTextSync} from '../util/fs-errors.js'
import {dirname, isAbsolute, resolve} from 'node:path'
import {check} from '../util/schemas.js'
import {AcoError} from '../errors.js'
import type {LoadedCascade, StepDecision, StepObservation} from '../learn/cascade/router.js'
import {loadRouter, type LoadedRouter, type RouteItem} from '../learn/router.js'
import {isCascade, loadRouter as loadAnyRouter, route as routeWith} from '../learn/runtime.js'
import {RULE_CHEAP_KINDS} from '../learn/steps/features.js'
import {isStepRouterFile, loadStepRouter, type LoadedStepRouter} from '../learn/steps/router.js'
import {tierIndex} from '../learn/steps/tiers.js'
import {argsHash, hashText} from '../util/hash.js'
import type {GuardScope, RoutingPolicy} from './types.js'
import {guardCall} from './guard-calls.js'
import {isPriced, PriceBook} from '../price/book.js'
import {parseJson} from '../util/json-parse.js'

/** What a step (or an item) brings to routing. */
export interface PolicyStep {
  /** A stable id of the item or task: a share rule hashes it, so the same item always gets the same model. */
  id?: string
  /** `main`, `subagent`, `background`… (for per-step rules). */
  stepKind?: string
  /** The subagent's name (for per-agent rules). */
  agent?: string
  /** The item's features and prompt (for a router rule). */
  features?: RouteItem['features']
  text?: string
  /** Models allowed for this step (a router rule picks among them). */
  candidates?: readonly string[]
  /**
   * The model the agent runs the step on now: a per-step router's tier then gives its model of the same provider,
   * when the tier holds one (`byProvider`), as `aco route --cards` does.
   */
  model?: string
}

export interface LoadedPolicy {
  readonly json: RoutingPolicy
  /** The model for a step (a cascade rule: its chain's first model). */
  route(step: PolicyStep): string
  /**
   * After the models in `observed` ran on the step (in order, with what each returned): keep the answer in
   * hand or escalate to the model named. Only a cascade rule escalates on evidence; under any other rule
   * the routed model's answer is kept.
   */
  next(step: PolicyStep, observed: readonly StepObservation[]): StepDecision
}

class CompiledPolicy implements LoadedPolicy {
  private readonly models: Map<string, string>
  private readonly routers: Map<string, LoadedRouter>
  /** Per-step routers (aco train --steps) by rule id: they choose a tier of the policy for a step's features. */
  private readonly stepRouters: Map<string, LoadedStepRouter>
  /** Cascades (aco train --cascade) by rule id. */
  private readonly cascades: Map<string, LoadedCascade>
  /** The provider of each model the tiers name by provider (`byProvider`). */
  private readonly providers: Map<string, string>

  constructor(
    readonly json: RoutingPolicy,
    baseDir: string,
  ) {
    this.models = new Map(json.tiers.map(t => [t.name, t.model] as const))
    this.providers = new Map(json.tiers.flatMap(t => (t.byProvider ?? []).map(m => [m.model, m.provider] as const)))
    this.routers = new Map()
    this.stepRouters = new Map()
    this.cascades = new Map()
    const known = (tier: string | undefined, what: string): void => {
      if (tier !== undefined && !this.models.has(tier))
        throw new AcoError('schema', `The policy's ${what} names tier "${tier}", which is not one of its tiers.`)
    }
    if (json.default !== '') known(json.default, 'default')
    for (const rule of json.rules) {
      known(rule.tier, `rule ${rule.id}`)
      if ('cascade' in rule.when) {
        const path = isAbsolute(rule.when.cascade.path)
          ? rule.when.cascade.path
          : resolve(baseDir, rule.when.cascade.path)
        const cascade = loadAnyRouter(path)
        if (!isCascade(cascade))
          throw stale(`The policy's rule "${rule.id}" names ${path} as a cascade, but it is an ex-ante router.`)
        const foreign = cascade.models.filter(m => !json.tiers.some(t => t.model === m))
        if (foreign.length > 0)
          throw stale(`The cascade ${path} runs ${foreign.join(', ')}, which the policy has no tier for.`)
        if (rule.when.cascade.level >= cascade.json.path.length)
          throw stale(
            `The policy's rule "${rule.id}" uses level ${rule.when.cascade.level} of ${path}, whose path has levels 0 to ${cascade.json.path.length - 1}.`,
          )
        this.cascades.set(rule.id, cascade)
        continue
      }
      if ('router' in rule.when) {
        const path = isAbsolute(rule.when.router.path) ? rule.when.router.path : resolve(baseDir, rule.when.router.path)
        if (isStepRouterFile(path)) {
          const steps = loadStepRouter(path)
          const missing = steps.json.tiers.filter(t => !this.models.has(t.name)).map(t => t.name)
          if (missing.length > 0)
            throw stale(
              `The step router ${path} sends steps to tiers ${missing.join(', ')}, which the policy does not have.`,
            )
          this.stepRouters.set(rule.id, steps)
          continue
        }
        const router = loadRouter(path)
        const foreign = router.models.filter(m => !json.tiers.some(t => t.model === m))
        if (foreign.length > 0)
          throw stale(`The router ${path} picks ${foreign.join(', ')}, which the policy has no tier for.`)
        this.routers.set(rule.id, router)
      }
    }
    for (const e of json.escalation) {
      known(e.from, 'escalation')
      known(e.to, 'escalation')
    }
  }

  route(step: PolicyStep): string {
    const rule = this.ruleFor(step)
    if (!rule) {
      const model = this.models.get(this.json.default)
      if (!model)
        throw new AcoError('usage', 'The policy routes nothing (it holds only guards): it has no model to give.')
      return model
    }
    const when = rule.when
    if ('cascade' in when) return this.cascades.get(rule.id)!.models[0]!
    if ('router' in when) {
      const steps = this.stepRouters.get(rule.id)
      if (steps) {
        // The step's features (README "Step features"), computed by the caller from the steps before it.
        const features: Record<string, number | string> = {}
        for (const [name, value] of Object.entries(step.features ?? {}))
          if (typeof value === 'number' || typeof value === 'string') features[name] = value
        // The tool-kind rule's decision follows from the action; a caller that gives the action need not give it.
        if (typeof features.action === 'string' && features.rule_cheap === undefined)
          features.rule_cheap = RULE_CHEAP_KINDS.includes(features.action) ? 1 : 0
        // A step described by nothing (no feature, no text) is not one the router can judge: the policy's default
        // tier (the strongest, unless the policy says otherwise), never the cheapest by an estimate of nothing.
        if (Object.keys(features).length === 0 && !step.text) {
          const model = this.models.get(this.json.default)
          if (model) return model
        }
        // (From the tier the step's model is of, as `aco route --cards` reads it: a step no cheaper tier is enough for
        // stays on its model, not sent up to the strongest; trial 80.)
        const ran =
          step.model === undefined
            ? undefined
            : tierIndex({tiers: steps.json.tiers, rule: steps.json.tierRule}, step.model, catalog())
        const k = steps.tierFor({features, text: step.text ?? ''}, ran, when.router.threshold)
        return k === ran && step.model ? step.model : this.tierModel(steps.json.tiers[k]!.name, step.model)
      }
      const item: RouteItem = {}
      if (step.features) item.features = step.features
      if (step.text !== undefined) item.text = step.text
      if (step.candidates) item.candidates = step.candidates
      return this.routers.get(rule.id)!.route(item, when.router.threshold)
    }
    return this.models.get(rule.tier!)!
  }

  /** A tier's model for a step run on `from`: the tier's model of `from`'s provider when it holds one, else its own. */
  private tierModel(tier: string, from: string | undefined): string {
    const own = this.models.get(tier)!
    if (from === undefined) return own
    const byProvider = this.json.tiers.find(t => t.name === tier)?.byProvider
    if (!byProvider) return own
    // (The step's model by the price catalog, as `aco route --cards` reads it: any model, not only those the tiers list.)
    let provider = this.providers.get(from)
    if (provider === undefined) {
      const r = catalog().resolve(from)
      provider = isPriced(r) ? r.providerId : ''
      this.providers.set(from, provider)
    }
    const same = provider && byProvider.find(m => m.provider === provider)
    return same ? same.model : own
  }

  next(step: PolicyStep, observed: readonly StepObservation[]): StepDecision {
    const rule = this.ruleFor(step)
    if (rule && 'cascade' in rule.when) {
      const item: {features?: RouteItem['features']; text?: string} = {}
      if (step.features) item.features = step.features
      if (step.text !== undefined) item.text = step.text
      return this.cascades.get(rule.id)!.next(item, observed, rule.when.cascade.level)
    }
    const last = observed[observed.length - 1]
    if (!last) return {action: 'escalate', model: this.route(step), step: -1, confidence: Number.NaN}
    return {action: 'keep', model: last.model, step: observed.length - 1, confidence: Number.NaN}
  }

  /** The first rule whose condition holds for the step (undefined: the default tier). */
  private ruleFor(step: PolicyStep): RoutingPolicy['rules'][number] | undefined {
    for (const rule of this.json.rules) {
      const when = rule.when
      if ('router' in when || 'cascade' in when) return rule
      if ('share' in when) {
        if (step.id === undefined)
          throw new AcoError(
            'usage',
            `The policy's rule "${rule.id}" sends a share of items to another model: route() needs the item's id.`,
            'Pass {id: ITEM_ID} so the same item always gets the same model.',
          )
        if (unitHash(step.id) < when.share) return rule
        continue
      }
      if ('stepKind' in when) {
        if (step.stepKind === when.stepKind) return rule
        continue
      }
      if (step.agent === when.agent) return rule
    }
    return undefined
  }
}

/** A policy whose rule no longer matches the router it names (written before the router was trained again). */
function stale(message: string): AcoError {
  return new AcoError(
    'schema',
    message,
    'Write the policy again with aco patch --router ROUTER --target aco-policy:PATH.',
  )
}

/** A number in [0, 1) from a string, the same on every machine. */
function unitHash(id: string): number {
  return Number.parseInt(hashText(id).slice(0, 8), 16) / 2 ** 32
}

/**
 * Loads a policy: from a path to a policy file, or from its parsed JSON
 * (paths inside it then resolve against `baseDir`, default the working
 * folder). Validates it against schemas/routing-policy.schema.json.
 */
export function loadPolicy(source: string | RoutingPolicy, baseDir?: string): LoadedPolicy {
  let json: unknown = source
  let base = baseDir ?? process.cwd()
  if (typeof source === 'string') {
    const text = readInputTextSync(
      source,
      'the policy',
      'Write one with: aco patch --router ROUTER --target aco-policy:PATH',
    )
    try {
      json = parseJson(text)
    } catch (error) {
      throw new AcoError('bad-file', `${source} is not JSON: ${(error as Error).message}.`)
    }
    base = baseDir ?? dirname(resolve(source))
  }
  const problem = check('routing-policy', json)
  if (problem) {
    throw new AcoError(
      'schema',
      `${typeof source === 'string' ? source : 'The policy'} is not a valid routing policy: ${problem}.`,
      'Write one with aco patch --target aco-policy:PATH (schemas/routing-policy.schema.json).',
    )
  }
  return new CompiledPolicy(json as RoutingPolicy, base)
}

function isPolicy(target: LoadedPolicy | LoadedRouter | LoadedCascade): target is LoadedPolicy {
  return (target.json as {kind?: string}).kind === 'aco-routing-policy'
}

/**
 * The model for a step under a loaded policy, or for an item under a loaded
 * router (a cascade's first step). With the observations of the models run so
 * far (a cascade: its chain's first steps, in order), keep the answer in hand
 * or escalate to the model named.
 */
export function route(target: LoadedPolicy, step: PolicyStep): string
export function route(target: LoadedPolicy, step: PolicyStep, observed: readonly StepObservation[]): StepDecision
export function route(target: LoadedRouter | LoadedCascade, item: RouteItem, threshold?: number): string
export function route(
  target: LoadedRouter | LoadedCascade,
  item: RouteItem,
  observed: readonly StepObservation[],
  level?: number,
): StepDecision
export function route(
  target: LoadedPolicy | LoadedRouter | LoadedCascade,
  step: PolicyStep | RouteItem,
  third?: number | readonly StepObservation[],
  level?: number,
): string | StepDecision {
  // (Called from agent code: what it passes is checked, as the CLI checks its input, rather than failing inside.)
  if (step === null || typeof step !== 'object' || Array.isArray(step))
    throw new AcoError(
      'usage',
      `route: the ${isPolicy(target) ? 'step' : 'item'} is ${step === null ? 'null' : Array.isArray(step) ? 'an array' : typeof step}, not an object.`,
      isPolicy(target)
        ? 'Pass {id, features, text, model} (any may be left out).'
        : 'Pass {features, text} (either may be left out).',
    )
  if (isPolicy(target))
    return Array.isArray(third)
      ? target.next(step as PolicyStep, third as readonly StepObservation[])
      : target.route(step as PolicyStep)
  if (Array.isArray(third)) return routeWith(target, step as RouteItem, third as readonly StepObservation[], level)
  return routeWith(target, step as RouteItem, third as number | undefined)
}

export type Verdict = {allow: true} | {allow: false; reason: string}

/** The policy's guards for one task as it runs. */
export interface RunGuard {
  /** Before an LLM call (`spentUsd`: the task's cost so far): refused once a call or cost limit is reached. */
  beforeLlmCall(spentUsd?: number): Verdict
  /**
   * Before a tool call: refused when the same call already ran and nothing changed since. A call that may change
   * anything (a write or an edit, a build, a commit, a script, a tool aco cannot read) is never refused, and counts as
   * a change itself.
   */
  beforeTool(name: string, args: unknown): Verdict
  /** After something outside the agent's tool calls changed what earlier calls saw: their results no longer hold. */
  changed(): void
  /** The most characters of a tool's result to keep, when the policy caps it. */
  outputCap(tool: string): number | undefined
}

/** The price catalog, made when a step's provider is first asked for (a policy that never asks never loads it). */
let book: PriceBook | undefined
function catalog(): PriceBook {
  book ??= new PriceBook()
  return book
}

function inScope(scope: GuardScope, where: GuardScope): boolean {
  if (scope.format !== undefined && scope.format !== where.format) return false
  if (scope.agent !== undefined && scope.agent !== where.agent) return false
  if (scope.agent === undefined && where.agent !== undefined && scope.format !== undefined) return false
  return true
}

/** Starts the guards of a policy for one task run by an agent of this format (and subagent). */
export function runGuard(policy: LoadedPolicy, where: GuardScope = {}): RunGuard {
  const guards = policy.json.guards
  const limit = guards.callLimits.find(g => inScope(g.scope, where))
  const dup = guards.duplicateCalls.filter(g => inScope(g.scope, where))
  const caps = guards.outputCaps.filter(g => inScope(g.scope, where))
  let calls = 0
  const seen = new Set<string>()
  /** A command started in the background: files may change at any time, so no look is refused again. */
  let live = false
  return {
    beforeLlmCall(spentUsd) {
      if (limit && calls >= limit.maxLlmCalls)
        return {allow: false, reason: `the task reached its limit of ${limit.maxLlmCalls} LLM calls`}
      if (limit?.maxCostUsd !== undefined && spentUsd !== undefined && spentUsd >= limit.maxCostUsd)
        return {allow: false, reason: `the task reached its cost limit of $${limit.maxCostUsd}`}
      calls++
      return {allow: true}
    },
    beforeTool(name, args) {
      // What the call does, by aco's own model of tools and shell commands (the detectors'): one that may change
      // anything (a write, an edit, a build, a commit, a script, a tool aco cannot read) is allowed and makes every
      // earlier result stale, as `changed()` does; one whose answer changes by itself (a poll) is never reused.
      const call = guardCall(name, args)
      if (call === 'changes' || call === 'starts') {
        seen.clear()
        // (A process left running writes on: nothing seen after it holds, for the rest of the task.)
        if (call === 'starts') live = true
        return {allow: true}
      }
      if (call === 'live' || live) return {allow: true}
      if (!dup.some(g => g.tools.includes('*') || g.tools.includes(name))) return {allow: true}
      const key = argsHash(name, args)
      if (seen.has(key))
        return {
          allow: false,
          reason: `${name} already ran with these arguments and nothing changed since: reuse its result`,
        }
      seen.add(key)
      return {allow: true}
    },
    changed() {
      seen.clear()
    },
    outputCap(tool) {
      const cap = caps.find(c => c.tool === tool) ?? caps.find(c => c.tool === '*')
      return cap?.maxChars
    },
  }
}
