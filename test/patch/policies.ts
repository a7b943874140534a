/**
 * Policies written by hand for the target tests: every slot and guard each
 * target can express is exercised, so the golden diffs show all of it.
 */
import {guardsFrom, type AcceptedFlag, type PruneSuggestion} from '../../src/policy/prune.js'
import type {RoutingPolicy} from '../../src/policy/types.js'
import type {PatchContext} from '../../src/patch/target.js'

export const HAIKU = 'claude-haiku-4-5'
export const SONNET = 'claude-sonnet-4-5'
export const OPUS = 'claude-opus-4-6'

function flags(traceId: string, kind: string, n: number, usd: number, tool?: string): AcceptedFlag[] {
  return Array.from({length: n}, (_, i) => ({
    traceId,
    rootTraceId: traceId,
    stepId: `${traceId}-${i}`,
    stepIndex: 2 * i + 1,
    kind,
    wastedUsd: usd,
    format: 'claude-code',
    ...(tool ? {tool} : {}),
    reason: `${kind} #${i}`,
    by: 'decision' as const,
  }))
}

function suggestion(s: Omit<PruneSuggestion, 'wastedUsd' | 'basis'> & {basis?: string}): PruneSuggestion {
  return {...s, wastedUsd: s.flags.reduce((a, f) => a + f.wastedUsd, 0), basis: s.basis ?? 'by hand, for the tests'}
}

/** Prune suggestions for every guard kind and scope the targets know. */
export const SUGGESTIONS: PruneSuggestion[] = [
  suggestion({
    id: 'duplicate-guard:claude-code',
    prevention: 'duplicate-guard',
    scope: {format: 'claude-code'},
    title: 'a duplicate-call guard in claude-code runs',
    flags: flags('dup', 'duplicate-call', 2, 0.01, 'Read'),
    expectedSavingUsd: 0.02,
    tools: ['Read'],
  }),
  suggestion({
    id: 'output-cap:claude-code:Bash',
    prevention: 'output-cap',
    scope: {format: 'claude-code'},
    title: 'a cap of 8,000 characters on Bash results in claude-code runs',
    flags: flags('unused', 'unused-output', 1, 0.05, 'Bash'),
    expectedSavingUsd: 0.04,
    outputCap: {tool: 'Bash', maxChars: 8000},
  }),
  suggestion({
    id: 'call-limit:claude-code:Explore',
    prevention: 'call-limit',
    scope: {format: 'claude-code', agent: 'Explore'},
    title: 'a limit of 12 LLM calls per task in claude-code subagent Explore',
    flags: flags('explore-long', 'context-growth', 3, 0.01),
    expectedSavingUsd: 0.03,
    callLimit: {maxLlmCalls: 12},
  }),
  suggestion({
    id: 'call-limit:swe-agent',
    prevention: 'call-limit',
    scope: {format: 'swe-agent'},
    title: 'a limit of 40 LLM calls and $0.50 per task in swe-agent runs',
    flags: flags('swe-long', 'context-growth', 4, 0.02),
    expectedSavingUsd: 0.06,
    callLimit: {maxLlmCalls: 40, maxCostUsd: 0.5},
  }),
  suggestion({
    id: 'output-cap:swe-agent:*',
    prevention: 'output-cap',
    scope: {format: 'swe-agent'},
    title: 'a cap of 20,000 characters on every tool result in swe-agent runs',
    flags: flags('swe-big', 'unused-output', 1, 0.03),
    expectedSavingUsd: 0.02,
    outputCap: {tool: '*', maxChars: 20_000},
  }),
  suggestion({
    id: 'call-limit:mini-swe-agent',
    prevention: 'call-limit',
    scope: {format: 'mini-swe-agent'},
    title: 'a limit of 40 LLM calls and $0.50 per task in mini-swe-agent runs',
    flags: flags('mini-long', 'context-growth', 2, 0.02),
    expectedSavingUsd: 0.04,
    callLimit: {maxLlmCalls: 40, maxCostUsd: 0.5},
  }),
  suggestion({
    id: 'output-cap:mini-swe-agent:*',
    prevention: 'output-cap',
    scope: {format: 'mini-swe-agent'},
    title: 'a cap of 20,000 characters on every tool result in mini-swe-agent runs',
    flags: flags('mini-big', 'unused-output', 1, 0.03),
    expectedSavingUsd: 0.02,
    outputCap: {tool: '*', maxChars: 20_000},
  }),
  suggestion({
    id: 'advice:near-duplicate',
    prevention: 'advice',
    scope: {format: 'claude-code'},
    title: 'reads that mostly overlap an earlier one',
    flags: flags('near', 'near-duplicate', 1, 0.01, 'Grep'),
    expectedSavingUsd: 0,
  }),
]

/**
 * Every item to haiku (the cheap tier), with rules for background steps,
 * subagents and the Explore agent, escalation to opus, and guards.
 */
export function stepPolicy(): RoutingPolicy {
  return {
    schemaVersion: '1.0',
    kind: 'aco-routing-policy',
    source: {},
    tiers: [
      {name: 'cheap', model: HAIKU},
      {name: 'mid', model: SONNET},
      {name: 'strong', model: OPUS},
    ],
    default: 'cheap',
    rules: [
      {
        id: 'background',
        when: {stepKind: 'background'},
        tier: 'cheap',
        why: 'background steps need no more than haiku',
      },
      {id: 'subagents', when: {stepKind: 'subagent'}, tier: 'cheap', why: 'subagent steps need no more than haiku'},
      {id: 'explore', when: {agent: 'Explore'}, tier: 'cheap', why: 'the Explore agent needs no more than haiku'},
    ],
    thresholds: [],
    escalation: [{from: 'cheap', to: 'strong', on: 'call-error', why: `a call ${HAIKU} fails is retried on ${OPUS}`}],
    guards: guardsFrom(SUGGESTIONS),
    evaluation: {recommendation: 'single-model', recommendedModels: [HAIKU], warnings: []},
  }
}

/** Each item to the tier the router picks (per-item routing): one value per slot cannot say it. */
export function routerPolicy(): RoutingPolicy {
  return {
    ...stepPolicy(),
    default: 'strong',
    rules: [
      {
        id: 'router',
        when: {router: {path: '/nowhere/router.json', threshold: 0.2}},
        why: 'each item goes to the model the router picks',
      },
    ],
    escalation: [
      {from: 'cheap', to: 'strong', on: 'call-error', why: `a call ${HAIKU} fails is retried on ${OPUS}`},
      {from: 'mid', to: 'strong', on: 'call-error', why: `a call ${SONNET} fails is retried on ${OPUS}`},
    ],
    guards: {callLimits: [], duplicateCalls: [], outputCaps: []},
    evaluation: {recommendation: 'router', warnings: []},
  }
}

export function context(policy: RoutingPolicy, path: string, suggestions = SUGGESTIONS): PatchContext {
  return {
    policy,
    suggestions,
    toolUsage: new Map([['Explore', {traces: 3, used: new Set(['Read', 'Grep', 'Glob'])}]]),
    path,
  }
}

/** Every item to gpt-5-mini (the cheap tier of three GPT models), as a router evaluated on Codex's models would say. */
export function codexPolicy(): RoutingPolicy {
  return {
    ...stepPolicy(),
    tiers: [
      {name: 'cheap', model: 'gpt-5-mini'},
      {name: 'mid', model: 'gpt-5.4'},
      {name: 'strong', model: 'gpt-5.5'},
    ],
    default: 'cheap',
    rules: [],
    escalation: [],
    evaluation: {recommendation: 'single-model', recommendedModels: ['gpt-5-mini'], warnings: []},
  }
}
