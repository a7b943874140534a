/**
 * What every target adapter shares: the context a target is rendered in, the
 * result of rendering it, and the policy questions every config asks ("which
 * one model goes in this slot?", "which guards concern me?"). One adapter per
 * kind of file lives in targets/; each parses its file, renders the part of
 * the policy it can express, and lists what it cannot.
 */
import {sameModel} from '../policy/models.js'
import type {PruneSuggestion} from '../policy/prune.js'
import type {RoutingPolicy} from '../policy/types.js'

export interface PatchContext {
  policy: RoutingPolicy
  suggestions: readonly PruneSuggestion[]
  /** Per subagent type: analysed traces and the tools they called (from the cards). */
  toolUsage: ReadonlyMap<string, {traces: number; used: ReadonlySet<string>}>
  /** The target file (absolute). */
  path: string
  /** Why the policy's router sends nothing anywhere at its operating point, when it does not (see `BuiltPolicy`). */
  routerIdle?: string
}

/** One change a target makes, as PR.md lists it. */
export interface Change {
  /** Where in the file: a key path (`agent.model.name`) or an entry (`model_list[claude-haiku-4-5]`). */
  where: string
  from?: string
  to: string
  why: string
  /** The prune suggestions the change carries. */
  prunes?: string[]
}

export interface Rendered {
  /** The file's new content (the same as before when nothing changes). */
  text: string
  changes: Change[]
  /** What the policy says that concerns this file but it cannot express. */
  unsupported: string[]
  /** Prune suggestion ids this file expresses with this patch (a limit added or tightened): their saving is credited. */
  expressed: string[]
  /**
   * Prune suggestion ids this file already carries at least as tight as asked: merging the patch changes nothing for
   * them, so no saving is credited (the analysed traces may well have run with them).
   */
  held: string[]
  /**
   * The saving this file earns for a suggestion it expresses, where that is less than the suggestion's own (an output
   * cap tightened from a looser one already in force: only the output between the two is saved).
   */
  credits?: Record<string, number>
  /**
   * Prune suggestion ids of guards whose waste this file carries only as rules for the agent (an instructions file):
   * no saving credited; PR.md lists them with the rules where no file here carries the guard itself.
   */
  advised?: string[]
  /** What the policy says that the file already says. */
  settled: string[]
  notes: string[]
  /**
   * The patch changes the file's model routing (a model it names, an alias, a router's tiers): without one such file,
   * merging the patches moves no call to another model, and PR.md claims no routing saving. A file that already names
   * the policy's models changes nothing (as a guard already in place earns no saving).
   */
  routes?: boolean
  /**
   * The models whose calls the patch sends elsewhere, as the slot named them before (a model, a Claude Code alias);
   * `any` where the calls it moves may be of any model (a slot that named none, agent code asking the policy). Only
   * the traces' spend on these is credited with the routing saving (trial 80: a LiteLLM alias no agent called was).
   */
  movesFrom?: string[] | 'any'
}

/** Records that the file's patch moves the calls a slot that held `from` ran (undefined: any model's). */
export function movesCalls(out: Rendered, from: string | undefined): void {
  out.routes = true
  if (from === undefined) out.movesFrom = 'any'
  else if (out.movesFrom === undefined) out.movesFrom = [from]
  else if (out.movesFrom !== 'any' && !out.movesFrom.includes(from)) out.movesFrom.push(from)
}

export interface TargetAdapter {
  kind: string
  /** One line for help and errors. */
  describe: string
  /** The trace formats whose guards this file can carry ('any': all of them). */
  formats: readonly string[] | 'any'
  /** Whether a file that does not exist yet may be created. */
  mayCreate: boolean
  /** Renders the policy into `text` (undefined: no file yet). Throws TargetParseError for a file it cannot read. */
  render(text: string | undefined, ctx: PatchContext): Rendered
}

export function emptyRendered(text: string): Rendered {
  return {text, changes: [], unsupported: [], expressed: [], held: [], settled: [], notes: []}
}

/** The prune suggestions a target of these formats should consider (its format's, and those scoped to none). */
export function relevantSuggestions(
  suggestions: readonly PruneSuggestion[],
  formats: readonly string[] | 'any',
): PruneSuggestion[] {
  return suggestions.filter(
    s => s.prevention !== 'advice' && (formats === 'any' || !s.scope.format || formats.includes(s.scope.format)),
  )
}

/** A suggestion in a few words: "the duplicate-call guard for claude-code runs". */
export function shortName(s: PruneSuggestion): string {
  const where = s.scope.agent
    ? `the ${s.scope.agent} subagent`
    : s.scope.format
      ? `${s.scope.format} runs`
      : 'every run'
  switch (s.prevention) {
    case 'duplicate-guard':
      return `the duplicate-call guard for ${where}`
    case 'call-limit':
      return `the call limit for ${where}`
    case 'output-cap':
      return `the cap on ${s.outputCap?.tool === '*' || !s.outputCap ? 'tool output' : `${s.outputCap.tool} output`} in ${where}`
    case 'advice':
      return s.title
    default:
      return s.prevention satisfies never
  }
}

/** The pseudo-suggestion id a target records when it carries the policy's escalation. */
export const ESCALATION = 'escalation'

export function modelOfTier(policy: RoutingPolicy, tier: string | undefined): string | undefined {
  return policy.tiers.find(t => t.name === tier)?.model
}

/** Whether the policy routes per item (a router, a share or a cascade), which a single config value cannot express. */
export function perItemRule(policy: RoutingPolicy): RoutingPolicy['rules'][number] | undefined {
  return policy.rules.find(r => 'router' in r.when || 'share' in r.when || 'cascade' in r.when)
}

export function describeRule(rule: RoutingPolicy['rules'][number], policy: RoutingPolicy): string {
  if ('router' in rule.when) return 'per-item routing by the trained router'
  if ('cascade' in rule.when)
    return "the cascade (each item's answer kept or escalated to the next model on what the model returned)"

  if ('share' in rule.when)
    return `a random mix: ${(rule.when.share * 100).toFixed(1)}% of items to ${modelOfTier(policy, rule.tier) ?? rule.tier}, the rest to ${modelOfTier(policy, policy.default) ?? policy.default}`
  if ('stepKind' in rule.when) return `${rule.when.stepKind} steps to another model`
  if ('agent' in rule.when) return `the ${rule.when.agent} subagent to another model`
  return rule.id
}

export interface SlotModel {
  model?: string
  why?: string
  /** Why the slot stays as it is. */
  unsupported?: string
}

/**
 * The one model a config slot should hold: `explicit` slots (a background
 * model, a subagent's) take only a rule naming them; the main slot also takes
 * the policy's default, unless the policy routes per item (which one value
 * cannot say). A slot whose current model is none of the policy's tiers is
 * left alone: the evaluation says nothing about replacing it.
 */
export function slotModel(
  policy: RoutingPolicy,
  slot: {stepKind?: string; agent?: string; explicit?: boolean},
  current: string | undefined,
): SlotModel {
  if (policy.tiers.length === 0) return {}
  // The first rule that matches, in order: what route() gives this slot's steps at run time.
  const rule = policy.rules.find(
    r =>
      ('agent' in r.when && slot.agent !== undefined && r.when.agent === slot.agent) ||
      ('stepKind' in r.when && slot.stepKind !== undefined && r.when.stepKind === slot.stepKind),
  )
  let model: string | undefined
  let why: string | undefined
  if (rule) {
    model = modelOfTier(policy, rule.tier)
    why = rule.why
  } else if (slot.explicit) return {}
  else {
    const perItem = perItemRule(policy)
    if (perItem) return {unsupported: `${describeRule(perItem, policy)}: one model per file cannot express it`}
    model = modelOfTier(policy, policy.default)
    why = policyWhy(policy)
  }
  if (!model) return {}
  if (current === undefined && (rule || slot.explicit)) return {model, why: why ?? ''}
  if (current === undefined)
    return {
      unsupported: `the file names no model here, so the tool's default applies: set it to ${model} by hand if that default is one of ${policy.tiers.map(t => t.model).join(', ')}`,
    }
  // (A model the router chose none of but its evaluation measured, one dominated on training, is one the policy was
  // measured against: trial 123's gpt-5.4, as good as gpt-5.3-codex on test for twice the cost, was left as it was.)
  const measured = (m: string): boolean =>
    policy.tiers.some(t => sameModel(t.model, m)) ||
    (policy.evaluation?.singleModels ?? []).some(s => sameModel(s.model, m))
  if (!rule && !measured(current))
    return {unsupported: `the file uses ${current}, which the router was not evaluated against: left as it is`}
  return {model, why: why ?? ''}
}

/** Why the default model is the policy's default, in a sentence. */
export function policyWhy(policy: RoutingPolicy): string {
  const ev = policy.evaluation
  if (ev?.recommendation === 'single-model')
    return `the router's evaluation found ${modelOfTier(policy, policy.default)} alone as good as the router on held-out items`
  return `the policy's default tier (${policy.default})`
}
