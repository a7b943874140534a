/**
 * Claude Code's model aliases (`opus`, `sonnet`, `haiku`, with `[1m]` for the long context): a config that names
 * one runs the latest model of that family (https://code.claude.com/docs/en/model-config). A policy names models
 * by id; an alias stands for the policy's one tier of its family, when there is exactly one.
 */
import type {RoutingPolicy} from '../../policy/types.js'

const ALIAS = /^(opus|sonnet|haiku)(?:\[1m\])?$/i

/** The family an alias names (`opus` of `opus[1m]`), or undefined for a model id or anything else. */
export function aliasFamily(value: string | undefined): string | undefined {
  return value === undefined ? undefined : ALIAS.exec(value.trim())?.[1]?.toLowerCase()
}

/** The policy tier's model an alias stands for: the only tier model of its family (`claude-opus-4-6` for `opus`). */
export function aliasModel(policy: RoutingPolicy, value: string | undefined): string | undefined {
  const family = aliasFamily(value)
  if (!family) return undefined
  const models = [...new Set(policy.tiers.map(t => t.model).filter(m => familyOf(m) === family))]
  return models.length === 1 ? models[0] : undefined
}

/** The Claude family of a model id (`claude-opus-4-6`, `anthropic/claude-3-5-sonnet-20241022`), if any. */
function familyOf(model: string): string | undefined {
  return /\bclaude-(?:[\d.-]+-)?(opus|sonnet|haiku)\b/i.exec(model)?.[1]?.toLowerCase()
}
