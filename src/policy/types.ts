/**
 * The routing policy: the one shape every router kind becomes, and what
 * `aco patch` renders into configuration files and `loadPolicy` / `route`
 * apply at run time. Mirrors `schemas/routing-policy.schema.json` (a test
 * validates real policies against it).
 *
 * A policy names its models by tier (cheapest first), a default tier, rules
 * that send some items or steps elsewhere, the thresholds behind the rules
 * with their calibration, escalation to a stronger model, and guards that stop
 * waste (call limits, a duplicate-call guard, output caps).
 */

export const POLICY_VERSION = '1.0' as const

export interface PolicyTier {
  /** `cheap`, `mid`, `mid-2`…, `strong`: the tier's place from the cheap end. */
  name: string
  model: string
  /**
   * The tier's models by provider (its own model among them), when it holds more than one provider's: a step whose
   * agent runs on a provider's models is given that provider's (`route(policy, {model})`), as `aco route --cards`
   * gives it.
   */
  byProvider?: Array<{model: string; provider: string}>
  /** Mean USD per item on the router's training split, when the router says. */
  meanCostUsd?: number
  /** Mean success on the router's training split, when the router says. */
  quality?: number
}

/** Which items or steps a rule applies to. */
type RuleCondition =
  /** Each item is sent to the tier the router picks for it (`router.json`, at `threshold`). */
  | {router: {path: string; threshold: number}}
  /** This share of items (chosen by a hash of the item's id, so an item always gets the same answer). */
  | {share: number}
  /**
   * Each item runs the cascade's chain from its first model (`router.json` of kind `aco-cascade`, at the
   * `level` of its path): after each model the answer is kept when the cascade's confidence clears that
   * step's threshold, else the next model runs.
   */
  | {cascade: {path: string; level: number}}
  /** Steps of this kind: `main`, `subagent`, `background` (a per-step router's vocabulary). */
  | {stepKind: string}
  /** Steps of this agent (a Claude Code subagent's name). */
  | {agent: string}

export interface PolicyRule {
  id: string
  when: RuleCondition
  /** The tier the rule sends to; absent when the router picks the tier. */
  tier?: string
  why: string
}

interface Calibration {
  alpha?: number
  /** `marginal` (on average over calibration draws) or `high` (with probability at least 1 − δ). */
  guarantee?: 'marginal' | 'high'
  delta?: number
  /** The conformal bound reached on the calibration split. */
  bound?: number
  calibrationItems?: number
  /** The rate measured on held-out (test) items. */
  measuredRate?: number
}

export interface PolicyThreshold {
  name: string
  /** The rule the threshold belongs to (`utility`, `cheapest`). */
  rule: string
  value: number
  objective?: string
  calibration?: Calibration
}

export interface Escalation {
  from: string
  to: string
  /**
   * What triggers it: `call-error` (the provider failed the call: error, rate limit, context window), or
   * `low-confidence` (a cascade: what the model returned did not clear the step's threshold).
   */
  on: string
  why: string
}

/** Where a guard applies: traces of this format, or of this subagent. */
export interface GuardScope {
  format?: string
  agent?: string
}

/** What a guard is expected to save, and from what. */
interface GuardBasis {
  /** Accepted flags the guard answers. */
  flags: number
  traces: number
  /** USD over the analysed traces (an estimate: `why` says how). */
  expectedSavingUsd: number
  why: string
}

export interface CallLimit extends GuardBasis {
  scope: GuardScope
  /** LLM calls per task (a SWE-agent instance, a mini-swe-agent run, a subagent's turns). */
  maxLlmCalls: number
  /** USD per task. */
  maxCostUsd?: number
}

export interface DuplicateCallGuard extends GuardBasis {
  scope: GuardScope
  /** Tools the guard watches (`*`: every tool). */
  tools: string[]
}

export interface OutputCap extends GuardBasis {
  scope: GuardScope
  /** The tool whose output is capped (`*`: every tool's observation). */
  tool: string
  maxChars: number
}

export interface Guards {
  callLimits: CallLimit[]
  duplicateCalls: DuplicateCallGuard[]
  outputCaps: OutputCap[]
}

/** The router's evaluation on held-out items, as quoted (each figure absent when not reported). */
export interface PolicyEvaluation {
  file?: string
  /** What the evaluation recommends: `single-model`, `two-model-mix`, `router`; `cascade` for a cascade's own figures. */
  recommendation?: string
  recommendationText?: string
  /** The models of the recommended policy (a mix: the first, then the one `share` of items go to). */
  recommendedModels?: string[]
  share?: number
  /** The policy's quality and mean cost per item on the test split. */
  test?: {quality?: number; costUsd?: number; items?: number}
  /** Quality and cost as shares of the strongest model's on the same items. */
  qualityShare?: number
  costShare?: number
  /** The strongest model, which the shares compare with. */
  strongest?: string
  /** Each candidate alone on the test split. */
  singleModels?: Array<{model: string; quality: number; costUsd: number}>
  calibration?: Calibration
  /**
   * The router's rate on the test split at the threshold it ships at (items it failed where the strongest model
   * succeeded), where no bound chose that threshold (`--keep`, `--max-cost`): measured, with no guarantee.
   */
  testRate?: number
  /**
   * The router's lead in quality over the recommended simpler policy (a share of items, on calibration), and half the
   * 95% interval of it.
   */
  lead?: number
  noise?: number
  /** The router's cost per item minus the recommended simpler policy's (negative: cheaper), and half its 95% interval. */
  costLeadUsd?: number
  costNoiseUsd?: number
  /** What the recommendation rule weighed the router and that policy on: cost, or within a budget quality. */
  leadOn?: 'cost' | 'quality'
  warnings: string[]
}

export interface RoutingPolicy {
  schemaVersion: typeof POLICY_VERSION
  kind: 'aco-routing-policy'
  source: {
    router?: {path: string; kind: string; createdAt?: string}
    evaluation?: string
    decisions?: string
    cards?: string
  }
  /** Cheapest first. */
  tiers: PolicyTier[]
  /** The tier of every item or step no rule claims. */
  default: string
  rules: PolicyRule[]
  thresholds: PolicyThreshold[]
  escalation: Escalation[]
  guards: Guards
  evaluation?: PolicyEvaluation
}

export function emptyGuards(): Guards {
  return {callLimits: [], duplicateCalls: [], outputCaps: []}
}
