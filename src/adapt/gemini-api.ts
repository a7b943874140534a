/**
 * Gemini API responses as Gemini CLI records them (`*.responses`, the files its
 * `--fake-responses` / `--record-responses` options read and write): JSONL, one
 * line per model call, `{method, response}`, where `response` is one
 * GenerateContentResponse or, for `generateContentStream`, the array of its
 * chunks. See corpus FORMATS.md §8d.
 *
 * Traps handled here:
 * - in a stream `usageMetadata` rides on every chunk and grows; the final chunk
 *   may lack a field an earlier one had (a `MALFORMED_FUNCTION_CALL` end drops
 *   `thoughtsTokenCount`) and `promptTokenCount` can change between chunks, so
 *   each field is the maximum over the chunks, not the last chunk's value;
 * - Gemini's meaning of the counts (see `geminiTokens`);
 * - `functionCall` parts become tool calls; the file holds no results, so their
 *   status stays unknown;
 * - the files carry no model name (only `modelVersion`, when the API sent it):
 *   without it the steps keep their tokens and are listed as unpriced, never $0;
 * - `countTokens` and `embedContent` lines are not generation calls.
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Tokens, TraceCard} from '../card/types.js'
import {expectObject, isObject, optCount, str, type Json, typeName} from './fields.js'
import {RecordError, type AdaptContext, type JsonlAdapter, type RecordSink} from './types.js'

/** Gemini `usageMetadata` counts (any may be absent). */
export interface GeminiUsage {
  prompt: number
  candidates: number
  cached: number
  thoughts: number
  toolUse: number
}

/**
 * Gemini usage converted to the card's meaning. In the Gemini API
 * `totalTokenCount = promptTokenCount + candidatesTokenCount +
 * thoughtsTokenCount + toolUsePromptTokenCount`: thoughts are NOT inside the
 * candidates (unlike OpenAI's reasoning ⊂ completion), the cached part is
 * inside the prompt, and tool-use prompt tokens are billed as input on top of
 * the prompt. So input = prompt − cached + toolUse, output = candidates +
 * thoughts, reasoning = thoughts, and the card's token sum equals the API's total.
 */
export function geminiTokens(u: GeminiUsage): Tokens {
  const cacheRead = Math.min(u.cached, u.prompt)
  return {
    input: u.prompt - cacheRead + u.toolUse,
    output: u.candidates + u.thoughts,
    cacheRead,
    cacheWrite: 0,
    reasoning: u.thoughts,
  }
}

/** Reads one `usageMetadata` object; a count of the wrong type is a RecordError naming it. */
function readGeminiUsage(u: Json, path: string): GeminiUsage & {total: number | undefined} {
  return {
    prompt: optCount(u, 'promptTokenCount', path) ?? 0,
    candidates: optCount(u, 'candidatesTokenCount', path) ?? 0,
    cached: optCount(u, 'cachedContentTokenCount', path) ?? 0,
    thoughts: optCount(u, 'thoughtsTokenCount', path) ?? 0,
    toolUse: optCount(u, 'toolUsePromptTokenCount', path) ?? 0,
    total: optCount(u, 'totalTokenCount', path),
  }
}

const GENERATE_METHODS = new Set(['generateContent', 'generateContentStream'])

class GeminiResponsesSink implements RecordSink {
  private readonly builder: CardBuilder
  private readonly notGeneration = new Map<string, number>()
  private noUsage = 0
  private calls = 0

  constructor(private readonly ctx: AdaptContext) {
    this.builder = new CardBuilder('gemini-api', ctx.path, ctx.redact)
  }

  push(record: unknown, line: number): void {
    const raw = expectObject(record)
    const method = raw.method
    if (typeof method !== 'string') throw new RecordError(`method: expected a string, got ${typeName(method)}`)
    if (!GENERATE_METHODS.has(method)) {
      // countTokens is free and embedContent returns no usage: neither is a generation step.
      this.notGeneration.set(method, (this.notGeneration.get(method) ?? 0) + 1)
      return
    }
    const response = raw.response
    let chunks: unknown[]
    if (Array.isArray(response)) chunks = response
    else if (isObject(response)) chunks = [response]
    else throw new RecordError(`response: expected an object or an array of stream chunks, got ${typeName(response)}`)

    // Read every chunk first, so a chunk of the wrong type skips the whole call rather than half of it.
    const max: GeminiUsage = {prompt: 0, candidates: 0, cached: 0, thoughts: 0, toolUse: 0}
    let sawUsage = false
    let model: string | undefined
    let stopReason: string | undefined
    let text = ''
    const calls: Array<{id: string | undefined; name: string; args: unknown}> = []
    chunks.forEach((chunk, i) => {
      const where = Array.isArray(response) ? `response[${i}]` : 'response'
      if (!isObject(chunk)) throw new RecordError(`${where}: expected an object, got ${typeName(chunk)}`)
      model = str(chunk, 'modelVersion') ?? model
      const usage = chunk.usageMetadata
      if (usage !== undefined && usage !== null) {
        if (!isObject(usage))
          throw new RecordError(`${where}.usageMetadata: expected an object, got ${typeName(usage)}`)
        const u = readGeminiUsage(usage, `${where}.usageMetadata`)
        sawUsage = true
        max.prompt = Math.max(max.prompt, u.prompt)
        max.candidates = Math.max(max.candidates, u.candidates)
        max.cached = Math.max(max.cached, u.cached)
        max.thoughts = Math.max(max.thoughts, u.thoughts)
        max.toolUse = Math.max(max.toolUse, u.toolUse)
      }
      const candidates = chunk.candidates
      if (!Array.isArray(candidates)) return
      // Gemini CLI asks for one candidate; the first is the one it used.
      const candidate = candidates[0]
      if (!isObject(candidate)) return
      stopReason = str(candidate, 'finishReason') ?? stopReason
      const content = candidate.content
      if (!isObject(content) || !Array.isArray(content.parts)) return
      for (const part of content.parts) {
        if (!isObject(part)) continue
        if (isObject(part.functionCall)) {
          const fc = part.functionCall
          calls.push({id: str(fc, 'id'), name: str(fc, 'name') ?? 'unknown', args: fc.args ?? {}})
        } else if (typeof part.text === 'string' && part.thought !== true && text.length < 2000) {
          text += part.text
        }
      }
    })

    this.calls++
    if (!sawUsage) this.noUsage++
    const step = this.builder.addLlm({
      id: `call-${line}`,
      model,
      tokens: sawUsage ? geminiTokens(max) : undefined,
      text,
      stopReason,
      line,
    })
    calls.forEach((call, i) => {
      this.builder.addToolCall(step, call.id ?? `${step.id}-fc${i + 1}`, call.name, call.args, undefined, line)
    })
  }

  finish(): TraceCard[] {
    if (this.calls === 0 && this.notGeneration.size === 0) return []
    const b = this.builder
    if (this.noUsage) b.warn(`${this.noUsage} call(s) carry no usageMetadata: counted as calls, without tokens`)
    if (this.calls > 0 && b.models.size === 0) {
      b.warn('the responses name no model (no modelVersion): the steps keep their tokens and are listed as unpriced')
    }
    for (const [method, n] of this.notGeneration) b.warn(`${n} ${method} line(s): not generation calls, not counted`)
    if (b.steps.some(s => s.kind === 'tool'))
      b.warn('function calls have no results in this format: their status is unknown')
    const id = basename(this.ctx.path).replace(/\.responses$/i, '')
    return [b.build({id})]
  }
}

export const geminiApiAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'gemini-api',
  label: 'Gemini API responses (Gemini CLI .responses)',
  looksFor: 'JSONL lines {method, response} with GenerateContentResponse objects or arrays of stream chunks',
  sniff(records) {
    let votes = 0
    for (const r of records) {
      if (!isObject(r)) continue
      if (typeof r.method !== 'string' || !('response' in r)) return false
      votes++
    }
    return votes > 0
  },
  open: ctx => new GeminiResponsesSink(ctx),
}
