/**
 * LiteLLM-normalised usage (the OpenAI ChatCompletion shape that mini-swe-agent
 * and OpenHands record) in the card's meaning. One converter for every reader:
 * `prompt_tokens` includes the cache reads and, for Anthropic models, the
 * cache writes; `completion_tokens` includes reasoning.
 */
import type {Tokens} from '../card/types.js'
import {count, obj, optCount, type Json} from './fields.js'

/**
 * Splits a prompt count that includes cache reads and writes. When the parts
 * exceed the prompt (a provider that counts writes outside it), the prompt is
 * taken as excluding what does not fit, so no token is counted twice.
 */
export function splitPrompt(prompt: number, read: number, write: number, output: number, reasoning: number): Tokens {
  let input: number
  if (prompt >= read + write) input = prompt - read - write
  else if (prompt >= read) input = prompt - read
  else input = prompt
  return {input, output, cacheRead: read, cacheWrite: write, reasoning: Math.min(reasoning, output)}
}

/**
 * The cache read is Anthropic's `cache_read_input_tokens` when present, else
 * OpenAI's `prompt_tokens_details.cached_tokens`, else DeepSeek's
 * `prompt_cache_hit_tokens` (all three name the same tokens where they coexist).
 */
export function litellmTokens(usage: Json, path = 'usage'): Tokens {
  const prompt = count(usage, 'prompt_tokens', path)
  const output = count(usage, 'completion_tokens', path)
  const details = obj(usage, 'prompt_tokens_details', path)
  const cached = details ? count(details, 'cached_tokens', `${path}.prompt_tokens_details`) : 0
  const read =
    optCount(usage, 'cache_read_input_tokens', path) ?? (cached || count(usage, 'prompt_cache_hit_tokens', path))
  const write = count(usage, 'cache_creation_input_tokens', path)
  const completion = obj(usage, 'completion_tokens_details', path)
  const reasoning = completion ? count(completion, 'reasoning_tokens', `${path}.completion_tokens_details`) : 0
  return splitPrompt(prompt, read, write, output, reasoning)
}
