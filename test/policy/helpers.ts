/** Shared by the policy and patch tests: a router trained once on the bundled Claude outcome table, and small traces. */
import {validator, formatErrors} from '../../src/util/schemas.js'
import {attachTexts, readOutcomeTable, readTexts} from '../../src/learn/outcome-table.js'
import {loadRouter, type LoadedRouter} from '../../src/learn/router.js'
import type {TrainResult} from '../../src/learn/result.js'
import {trainRouter} from '../../src/learn/train.js'
import type {TraceSummary} from '../../src/policy/traces.js'
import type {RoutingPolicy} from '../../src/policy/types.js'
import {fixture} from '../helpers.js'

let trained: Promise<{router: LoadedRouter; evaluation: Omit<TrainResult, 'skipped' | 'written'>}> | undefined

/** A router on fixtures/routing-claude (seed 1, few trees: fast), and its evaluation. */
export function claudeRouter(): Promise<{router: LoadedRouter; evaluation: Omit<TrainResult, 'skipped' | 'written'>}> {
  trained ??= (async () => {
    const table = await readOutcomeTable(fixture('routing-claude/outcomes.jsonl'), 'train')
    attachTexts(table.items, (await readTexts(fixture('routing-claude/prompts.jsonl'))).texts)
    const {router, result} = trainRouter(table, {seed: 1, forest: {trees: 16}, now: () => 0})
    return {router: loadRouter(router), evaluation: result}
  })()
  return trained
}

/** Fails with the schema's own words when a policy is not valid. */
export function policyProblem(policy: RoutingPolicy): string | undefined {
  const validate = validator('routing-policy')
  return validate(policy) ? undefined : formatErrors(validate.errors)
}

/** A trace summary with `calls` LLM calls of `usd` each. */
export function trace(
  id: string,
  format: string,
  calls: number,
  usd: number,
  extra: Partial<TraceSummary> = {},
): TraceSummary {
  return {
    id,
    rootId: id,
    format,
    costUsd: calls * usd,
    llmCalls: Array.from({length: calls}, (_, i) => ({id: `${id}-llm-${i}`, costUsd: usd})),
    costByModel: {},
    toolsUsed: [],
    toolOutputs: [],
    flags: [],
    ...extra,
    subagent: extra.subagent ?? (extra.rootId !== undefined && extra.rootId !== id),
  }
}
