/**
 * Claude Code's model aliases (`opus`, `sonnet`, `haiku`, with `[1m]` for the long context): a config that names
 * one runs the latest model of that family (https://code.claude.com/docs/en/model-config). A policy names models
 * by id; an alias stands for the policy's one tier of its family, when there is exactly one.
 */
import {aliasFamily, claudeFamily} from '../../policy/models.js'
import type {RoutingPolicy} from '../../policy/types.js'

/** The policy tier's model an alias stands for: the only tier model of its family (`claude-opus-4-6` for `opus`). */
export function aliasModel(policy: RoutingPolicy, value: string | undefined): string | undefined {
  const family = aliasFamily(value)
  if (!family) return undefined
  const models = [...new Set(policy.tiers.map(t => t.model).filter(m => claudeFamily(m) === family))]
  return models.length === 1 ? models[0] : undefined
}
