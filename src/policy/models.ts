/**
 * Model names as different tools write them: `anthropic/claude-haiku-4-5`
 * (LiteLLM, SWE-agent), `claude-haiku-4-5-20251001` (a dated snapshot, as
 * traces record it), `claude-haiku-4-5` (an outcome table). One model, three
 * spellings: compared here, nowhere else.
 */

/** The model without a provider prefix (`anthropic/x` → `x`; `openrouter/a/b` → `b`). */
export function bareModel(name: string): string {
  const slash = name.lastIndexOf('/')
  return slash < 0 ? name : name.slice(slash + 1)
}

/** The provider prefix of a model name (`anthropic/x` → `anthropic/`), or ''. */
export function providerPrefix(name: string): string {
  const slash = name.lastIndexOf('/')
  return slash < 0 ? '' : name.slice(0, slash + 1)
}

const DATED = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/
const LONG_CONTEXT = /\[1m\]$/i

/** Whether a Claude model name asks for its long context window (`opus[1m]`, `claude-opus-4-6[1m]`). */
export function longContext(name: string): boolean {
  return LONG_CONTEXT.test(name)
}

/** The model without a date suffix (`claude-haiku-4-5-20251001` → `claude-haiku-4-5`). */
function undated(name: string): string {
  return name.replace(DATED, '')
}

/**
 * Whether two spellings name the same model: equal once the provider prefix
 * is dropped, or one is the other plus a date suffix. Case-insensitive.
 */
export function sameModel(a: string, b: string): boolean {
  // (Claude Code's `[1m]` after a name asks for the same model's long context window.)
  const x = bareModel(a).toLowerCase().replace(LONG_CONTEXT, '')
  const y = bareModel(b).toLowerCase().replace(LONG_CONTEXT, '')
  if (x === y) return true
  return undated(x) === y || undated(y) === x
}

/**
 * The value to write where a config holds `current` and the policy wants
 * `model`: the policy's name, with the provider prefix the config already
 * uses when the policy's name has none.
 */
export function spellLike(model: string, current: string | undefined): string {
  if (!current || providerPrefix(model)) return model
  return `${providerPrefix(current)}${model}`
}

const ALIAS = /^(opus|sonnet|haiku)(?:\[1m\])?$/i

/** The family a Claude Code alias names (`opus` of `opus[1m]`), or undefined for a model id or anything else. */
export function aliasFamily(value: string | undefined): string | undefined {
  return value === undefined ? undefined : ALIAS.exec(value.trim())?.[1]?.toLowerCase()
}

/** The Claude family of a model id (`claude-opus-4-6`, `anthropic/claude-3-5-sonnet-20241022`), if any. */
export function claudeFamily(model: string): string | undefined {
  return /\bclaude-(?:[\d.-]+-)?(opus|sonnet|haiku)\b/i.exec(model)?.[1]?.toLowerCase()
}

/**
 * Whether the calls of `model` (as traces name it) are among those a config slot that held `slot` ran: the same model
 * in any spelling, or any model of the family a Claude Code alias (`opus`) names, the alias following the latest.
 */
export function ranOn(slot: string, model: string): boolean {
  const family = aliasFamily(slot)
  return family !== undefined ? claudeFamily(model) === family : sameModel(slot, model)
}
