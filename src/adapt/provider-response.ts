/**
 * Provider API bodies as proxies, SDK hooks and HTTP cassettes record them:
 * one response (or its SSE stream) read into one call — model, tokens in the
 * card's meaning, the text, the tool calls it issued, logprob uncertainty —
 * and one request read for what it says about earlier calls (the results of
 * their tool calls, sent back as messages).
 *
 * APIs read: OpenAI Chat Completions (and legacy Completions), OpenAI
 * Responses, Anthropic Messages, Gemini generateContent, Hugging Face TGI.
 *
 * Token meaning (see `Tokens`):
 * - Chat: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`;
 *   `completion_tokens` includes `completion_tokens_details.reasoning_tokens`;
 * - Responses: `input_tokens` includes `input_tokens_details.cached_tokens`;
 *   `output_tokens` includes `output_tokens_details.reasoning_tokens`;
 * - Anthropic: `input_tokens` excludes `cache_read_input_tokens` and
 *   `cache_creation_input_tokens` (split 5 m / 1 h in `cache_creation`);
 * - Gemini: see `geminiTokens` (thoughts outside the candidates);
 * - TGI: `details.generated_tokens` only; the prompt is not counted.
 *
 * Streams: Chat chunks carry content, tool-call and logprob deltas and (with
 * `stream_options.include_usage`) the usage on the last chunk; Responses
 * streams end with `response.completed` holding the whole response, while
 * logprobs may ride only on the `response.output_text.delta` events;
 * Anthropic's `message_start` has the input usage and `message_delta` the
 * output count, which is cumulative (the last one stands).
 */
import type {Tokens, Uncertainty} from '../card/types.js'
import {count, isObject, num, obj, optCount, str, type Json} from './fields.js'
import {geminiTokens} from './gemini-api.js'
import {litellmTokens} from './litellm.js'
import {
  addChatChoiceLogprobs,
  addGeminiLogprobs,
  addOpenAiTokenLogprobs,
  addTgiLogprobs,
  UncertaintyAccumulator,
} from './logprobs.js'

type ApiKind = 'chat' | 'completions' | 'responses' | 'anthropic' | 'gemini' | 'tgi'

export interface IssuedCall {
  id?: string
  name: string
  arguments: unknown
}

/** One provider call, read from its response. */
export interface ApiCall {
  api: ApiKind
  id?: string
  model?: string
  tokens?: Tokens
  /** The response's own total token count, when it states one (checked against the card). */
  totalTokens?: number
  text?: string
  stopReason?: string
  toolCalls: IssuedCall[]
  uncertainty?: Uncertainty
  /** The provider's error, for a failed call. */
  error?: string
  createdAt?: string
  /** Whether its usage counts the prompt cache (a field for it, 0 or more): a hit rate of 0% is then one (trial 89). */
  cacheRecorded?: boolean
}

/** Whether a usage object has a field for the prompt cache, whatever its count (`cached_tokens: 0` is a cache unused). */
function recordsCache(usage: Json): boolean {
  const has = (o: unknown, key: string): boolean => isObject(o) && typeof o[key] === 'number'
  return (
    has(usage, 'cache_read_input_tokens') ||
    has(usage, 'cache_creation_input_tokens') ||
    has(usage, 'prompt_cache_hit_tokens') ||
    has(usage.prompt_tokens_details, 'cached_tokens') ||
    has(usage.input_tokens_details, 'cached_tokens') ||
    has(usage, 'cachedContentTokenCount')
  )
}

/** What a request tells about earlier calls: the results of their tool calls. */
interface ToolResultMessage {
  callId?: string
  name?: string
  output: string
  isError?: boolean
}

/** What a request says: its model and the tool results it sends back. */
export interface ApiRequest {
  model?: string
  stream?: boolean
  toolResults: ToolResultMessage[]
}

/** Whether a parsed body is a provider response aco can read (a cheap test for sniffing). */
export function looksLikeResponse(body: unknown): boolean {
  if (Array.isArray(body)) {
    const first = body[0]
    return (
      isObject(first) &&
      (typeof first.generated_text === 'string' || isObject(first.usageMetadata) || Array.isArray(first.candidates))
    )
  }
  if (!isObject(body)) return false
  const object = body.object
  if (object === 'chat.completion' || object === 'text_completion' || object === 'response') return true
  if (body.type === 'message' && Array.isArray(body.content)) return true
  if (Array.isArray(body.candidates) || isObject(body.usageMetadata)) return true
  if (typeof body.generated_text === 'string') return true
  if (Array.isArray(body.choices) && isObject(body.usage)) return true
  if (isObject(body.error) && typeof body.error.message === 'string') return true
  return false
}

/** Reads a parsed response body (an object, or an array of Gemini chunks / TGI results). Undefined when it is none of the APIs. */
function readResponse(body: unknown): ApiCall | undefined {
  if (Array.isArray(body)) {
    if (body.length === 0) return undefined
    const first = body[0]
    if (isObject(first) && (Array.isArray(first.candidates) || isObject(first.usageMetadata)))
      return readGemini(body.filter(isObject))
    if (isObject(first) && typeof first.generated_text === 'string') return readTgi(first)
    return undefined
  }
  if (!isObject(body)) return undefined
  if (isObject(body.error) && typeof body.error.message === 'string' && !('choices' in body) && !('output' in body))
    return {api: 'chat', toolCalls: [], error: body.error.message}
  if (
    body.object === 'response' ||
    (Array.isArray(body.output) && isObject(body.usage) && 'input_tokens' in body.usage)
  )
    return readResponses(body)
  if (body.type === 'message' && Array.isArray(body.content)) return readAnthropic(body)
  if (Array.isArray(body.candidates) || isObject(body.usageMetadata)) return readGemini([body])
  if (typeof body.generated_text === 'string') return readTgi(body)
  if (Array.isArray(body.choices) || body.object === 'chat.completion' || body.object === 'text_completion')
    return readChat(body)
  return undefined
}

function created(body: Json): string | undefined {
  const at = num(body.created) ?? num(body.created_at)
  return at === undefined ? undefined : new Date(at * 1000).toISOString()
}

function parseArgs(args: unknown): unknown {
  if (typeof args !== 'string') return args ?? {}
  try {
    return JSON.parse(args) as unknown
  } catch {
    return args
  }
}

function readChat(body: Json): ApiCall {
  const call: ApiCall = {api: body.object === 'text_completion' ? 'completions' : 'chat', toolCalls: []}
  call.id = str(body, 'id')
  call.model = str(body, 'model')
  call.createdAt = created(body)
  const usage = obj(body, 'usage', 'response')
  if (usage) {
    call.tokens = litellmTokens(usage, 'response.usage')
    call.totalTokens = optCount(usage, 'total_tokens', 'response.usage')
    if (recordsCache(usage)) call.cacheRecorded = true
  }
  const acc = new UncertaintyAccumulator()
  const choices = Array.isArray(body.choices) ? body.choices : []
  // n > 1 returns several choices of one call: one step, text and tool calls of the first, logprobs of all.
  choices.forEach((choice, i) => {
    if (!isObject(choice)) return
    addChatChoiceLogprobs(acc, choice.logprobs)
    if (i > 0) return
    call.stopReason = str(choice, 'finish_reason')
    const message = isObject(choice.message) ? choice.message : undefined
    const text = typeof message?.content === 'string' ? message.content : str(choice, 'text')
    if (text) call.text = text
    const calls = message && Array.isArray(message.tool_calls) ? message.tool_calls : []
    for (const c of calls) {
      if (!isObject(c)) continue
      const fn = isObject(c.function) ? c.function : c
      call.toolCalls.push({id: str(c, 'id'), name: str(fn, 'name') ?? 'unknown', arguments: parseArgs(fn.arguments)})
    }
    if (message && isObject(message.function_call)) {
      const fn = message.function_call
      call.toolCalls.push({name: str(fn, 'name') ?? 'unknown', arguments: parseArgs(fn.arguments)})
    }
  })
  call.uncertainty = acc.result()
  return call
}

/** Responses API usage in the card's meaning. */
function responsesTokens(usage: Json, path: string): Tokens {
  const input = count(usage, 'input_tokens', path)
  const output = count(usage, 'output_tokens', path)
  const inDetails = obj(usage, 'input_tokens_details', path)
  const outDetails = obj(usage, 'output_tokens_details', path)
  const cached = Math.min(input, inDetails ? count(inDetails, 'cached_tokens', `${path}.input_tokens_details`) : 0)
  const reasoning = outDetails ? count(outDetails, 'reasoning_tokens', `${path}.output_tokens_details`) : 0
  return {input: input - cached, output, cacheRead: cached, cacheWrite: 0, reasoning: Math.min(reasoning, output)}
}

function readResponses(body: Json, streamed?: UncertaintyAccumulator): ApiCall {
  const call: ApiCall = {api: 'responses', toolCalls: []}
  call.id = str(body, 'id')
  call.model = str(body, 'model')
  call.createdAt = created(body)
  const usage = obj(body, 'usage', 'response')
  if (usage) {
    call.tokens = responsesTokens(usage, 'response.usage')
    if (recordsCache(usage)) call.cacheRecorded = true
    call.totalTokens = optCount(usage, 'total_tokens', 'response.usage')
  }
  const status = str(body, 'status')
  if (status) call.stopReason = status
  const incomplete = isObject(body.incomplete_details) ? str(body.incomplete_details, 'reason') : undefined
  if (incomplete) call.stopReason = `incomplete: ${incomplete}`
  if (isObject(body.error)) call.error = str(body.error, 'message') ?? 'error'
  const acc = new UncertaintyAccumulator()
  let text = ''
  for (const item of Array.isArray(body.output) ? body.output : []) {
    if (!isObject(item)) continue
    const type = str(item, 'type')
    if (type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content) {
        if (!isObject(part) || part.type !== 'output_text') continue
        if (typeof part.text === 'string') text += part.text
        addOpenAiTokenLogprobs(acc, part.logprobs)
      }
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      call.toolCalls.push({
        id: str(item, 'call_id') ?? str(item, 'id'),
        name: str(item, 'name') ?? 'unknown',
        arguments: parseArgs(item.arguments ?? item.input),
      })
    } else if (type?.endsWith('_call')) {
      // Hosted tools (web_search_call, file_search_call, code_interpreter_call…) run inside the call.
      call.toolCalls.push({id: str(item, 'id'), name: type, arguments: item.action ?? item.queries ?? {}})
    }
  }
  if (text) call.text = text
  call.uncertainty = acc.count > 0 ? acc.result() : streamed?.result()
  return call
}

/** Anthropic Messages usage in the card's meaning (input excludes cache reads and writes). */
function anthropicTokens(usage: Json, path: string): Tokens {
  const tokens: Tokens = {
    input: count(usage, 'input_tokens', path),
    output: count(usage, 'output_tokens', path),
    cacheRead: count(usage, 'cache_read_input_tokens', path),
    cacheWrite: count(usage, 'cache_creation_input_tokens', path),
    reasoning: 0,
  }
  const creation = obj(usage, 'cache_creation', path)
  const oneHour = creation ? optCount(creation, 'ephemeral_1h_input_tokens', `${path}.cache_creation`) : undefined
  if (oneHour) tokens.cacheWrite1h = Math.min(oneHour, tokens.cacheWrite)
  return tokens
}

function readAnthropic(body: Json): ApiCall {
  const call: ApiCall = {api: 'anthropic', toolCalls: []}
  call.id = str(body, 'id')
  call.model = str(body, 'model')
  call.stopReason = str(body, 'stop_reason')
  const usage = obj(body, 'usage', 'response')
  if (usage) {
    call.tokens = anthropicTokens(usage, 'response.usage')
    if (recordsCache(usage)) call.cacheRecorded = true
  }
  let text = ''
  for (const block of Array.isArray(body.content) ? body.content : []) {
    if (!isObject(block)) continue
    if (block.type === 'text' && typeof block.text === 'string') text += block.text
    else if (block.type === 'tool_use' || block.type === 'server_tool_use')
      call.toolCalls.push({id: str(block, 'id'), name: str(block, 'name') ?? 'unknown', arguments: block.input ?? {}})
  }
  if (text) call.text = text
  return call
}

function readGemini(chunks: Json[]): ApiCall {
  const call: ApiCall = {api: 'gemini', toolCalls: []}
  const max = {prompt: 0, candidates: 0, cached: 0, thoughts: 0, toolUse: 0, total: 0}
  let sawUsage = false
  let text = ''
  const acc = new UncertaintyAccumulator()
  chunks.forEach((chunk, i) => {
    const where = chunks.length > 1 ? `response[${i}]` : 'response'
    call.model = str(chunk, 'modelVersion') ?? call.model
    call.id = str(chunk, 'responseId') ?? call.id
    call.createdAt = str(chunk, 'createTime') ?? call.createdAt
    const usage = obj(chunk, 'usageMetadata', where)
    if (usage) {
      sawUsage = true
      if (recordsCache(usage)) call.cacheRecorded = true
      const path = `${where}.usageMetadata`
      // In a stream the counts grow and the last chunk may drop a field: each field's maximum (FORMATS.md §8d).
      max.prompt = Math.max(max.prompt, count(usage, 'promptTokenCount', path))
      max.candidates = Math.max(max.candidates, count(usage, 'candidatesTokenCount', path))
      max.cached = Math.max(max.cached, count(usage, 'cachedContentTokenCount', path))
      max.thoughts = Math.max(max.thoughts, count(usage, 'thoughtsTokenCount', path))
      max.toolUse = Math.max(max.toolUse, count(usage, 'toolUsePromptTokenCount', path))
      max.total = Math.max(max.total, count(usage, 'totalTokenCount', path))
    }
    const candidate = Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined
    if (!isObject(candidate)) return
    call.stopReason = str(candidate, 'finishReason') ?? call.stopReason
    addGeminiLogprobs(acc, candidate.logprobsResult)
    const content = isObject(candidate.content) ? candidate.content : undefined
    for (const part of content && Array.isArray(content.parts) ? content.parts : []) {
      if (!isObject(part)) continue
      if (isObject(part.functionCall)) {
        const fc = part.functionCall
        call.toolCalls.push({id: str(fc, 'id'), name: str(fc, 'name') ?? 'unknown', arguments: fc.args ?? {}})
      } else if (typeof part.text === 'string' && part.thought !== true) text += part.text
    }
  })
  if (sawUsage) {
    call.tokens = geminiTokens(max)
    if (max.total > 0) call.totalTokens = max.total
  }
  if (text) call.text = text
  call.uncertainty = acc.result()
  return call
}

function readTgi(body: Json): ApiCall {
  const call: ApiCall = {api: 'tgi', toolCalls: []}
  if (typeof body.generated_text === 'string') call.text = body.generated_text
  const details = obj(body, 'details', 'response')
  if (details) {
    call.stopReason = str(details, 'finish_reason')
    const generated = optCount(details, 'generated_tokens', 'response.details')
    // TGI reports the generated count only: the prompt is not counted, so input stays 0.
    if (generated !== undefined) call.tokens = {input: 0, output: generated, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    const acc = new UncertaintyAccumulator()
    addTgiLogprobs(acc, details)
    call.uncertainty = acc.result()
  }
  return call
}

/** Server-sent events: the JSON of each `data:` payload, in order (`[DONE]` and comments left out). */
function sseEvents(text: string): unknown[] {
  const events: unknown[] = []
  let data: string[] = []
  const flush = (): void => {
    if (data.length === 0) return
    const payload = data.join('\n')
    data = []
    if (payload === '[DONE]') return
    try {
      events.push(JSON.parse(payload))
    } catch {
      // A payload that is not JSON (a keep-alive, a truncated tail) carries nothing to count.
    }
  }
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line === '') flush()
    else if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5))
  }
  flush()
  return events
}

/** Whether a text body is an SSE stream. */
export function looksLikeSse(text: string): boolean {
  const head = text.trimStart().slice(0, 200)
  return head.startsWith('data:') || head.startsWith('event:') || head.startsWith(':')
}

/** Reads a streamed response from its SSE text. */
function readSse(text: string): ApiCall | undefined {
  const events = sseEvents(text).filter(isObject)
  if (events.length === 0) return undefined
  const first = events[0]!
  if (
    first.object === 'chat.completion.chunk' ||
    (Array.isArray(first.choices) && !('message' in (first.choices[0] ?? {})))
  )
    return readChatChunks(events)
  if (typeof first.type === 'string' && first.type.startsWith('response.')) return readResponsesEvents(events)
  if (typeof first.type === 'string' && (first.type === 'message_start' || first.type === 'ping'))
    return readAnthropicEvents(events)
  if (Array.isArray(first.candidates) || isObject(first.usageMetadata)) return readGemini(events)
  if (isObject(first.token) || typeof first.generated_text === 'string') {
    const last = events[events.length - 1]!
    return readTgi({generated_text: str(last, 'generated_text') ?? '', details: last.details})
  }
  return undefined
}

function readChatChunks(events: Json[]): ApiCall {
  const call: ApiCall = {api: 'chat', toolCalls: []}
  const acc = new UncertaintyAccumulator()
  const calls = new Map<number, {id?: string; name: string; args: string}>()
  let text = ''
  for (const e of events) {
    call.id ??= str(e, 'id')
    call.model ??= str(e, 'model')
    call.createdAt ??= created(e)
    const usage = obj(e, 'usage', 'chunk')
    if (usage) {
      call.tokens = litellmTokens(usage, 'chunk.usage')
      call.totalTokens = optCount(usage, 'total_tokens', 'chunk.usage')
      if (recordsCache(usage)) call.cacheRecorded = true
    }
    const choice = Array.isArray(e.choices) ? e.choices[0] : undefined
    if (!isObject(choice)) continue
    call.stopReason = str(choice, 'finish_reason') ?? call.stopReason
    addChatChoiceLogprobs(acc, choice.logprobs)
    const delta = isObject(choice.delta) ? choice.delta : undefined
    if (!delta) continue
    if (typeof delta.content === 'string') text += delta.content
    for (const tc of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      if (!isObject(tc)) continue
      const index = num(tc.index) ?? calls.size
      const fn = isObject(tc.function) ? tc.function : {}
      const known = calls.get(index)
      if (known) {
        known.args += typeof fn.arguments === 'string' ? fn.arguments : ''
        known.name = str(fn, 'name') ? known.name + str(fn, 'name')! : known.name
      } else
        calls.set(index, {
          id: str(tc, 'id'),
          name: str(fn, 'name') ?? '',
          args: typeof fn.arguments === 'string' ? fn.arguments : '',
        })
    }
  }
  for (const c of calls.values())
    call.toolCalls.push({id: c.id, name: c.name || 'unknown', arguments: parseArgs(c.args)})
  if (text) call.text = text
  call.uncertainty = acc.result()
  return call
}

function readResponsesEvents(events: Json[]): ApiCall | undefined {
  const streamed = new UncertaintyAccumulator()
  let final: Json | undefined
  for (const e of events) {
    if (e.type === 'response.output_text.delta') addOpenAiTokenLogprobs(streamed, e.logprobs)
    if (
      isObject(e.response) &&
      (e.type === 'response.completed' || e.type === 'response.incomplete' || e.type === 'response.failed' || !final)
    )
      final = e.response
  }
  return final ? readResponses(final, streamed) : undefined
}

function readAnthropicEvents(events: Json[]): ApiCall {
  const call: ApiCall = {api: 'anthropic', toolCalls: []}
  let usage: Json = {}
  const blocks = new Map<number, {type: string; id?: string; name?: string; json: string}>()
  let text = ''
  for (const e of events) {
    switch (e.type) {
      case 'message_start': {
        const message = isObject(e.message) ? e.message : {}
        call.id = str(message, 'id')
        call.model = str(message, 'model')
        if (isObject(message.usage)) usage = {...message.usage}
        break
      }
      case 'content_block_start': {
        const block = isObject(e.content_block) ? e.content_block : {}
        blocks.set(num(e.index) ?? blocks.size, {
          type: str(block, 'type') ?? '',
          id: str(block, 'id'),
          name: str(block, 'name'),
          json: '',
        })
        break
      }
      case 'content_block_delta': {
        const delta = isObject(e.delta) ? e.delta : {}
        if (delta.type === 'text_delta' && typeof delta.text === 'string') text += delta.text
        const block = blocks.get(num(e.index) ?? -1)
        if (block && delta.type === 'input_json_delta' && typeof delta.partial_json === 'string')
          block.json += delta.partial_json
        break
      }
      case 'message_delta': {
        const delta = isObject(e.delta) ? e.delta : {}
        call.stopReason = str(delta, 'stop_reason') ?? call.stopReason
        // message_delta's usage is cumulative: the last one stands.
        if (isObject(e.usage)) usage = {...usage, ...e.usage}
        break
      }
      case 'error':
        call.error = isObject(e.error) ? (str(e.error, 'message') ?? 'error') : 'error'
        break
      default:
        break
    }
  }
  if (Object.keys(usage).length) {
    call.tokens = anthropicTokens(usage, 'stream.usage')
    if (recordsCache(usage)) call.cacheRecorded = true
  }
  for (const b of blocks.values()) {
    if (b.type === 'tool_use' || b.type === 'server_tool_use')
      call.toolCalls.push({id: b.id, name: b.name ?? 'unknown', arguments: b.json ? parseArgs(b.json) : {}})
  }
  if (text) call.text = text
  return call
}

/** A body that may be a JSON string, an SSE stream, or already an object. */
export function readBody(body: unknown): ApiCall | undefined {
  if (typeof body === 'string') {
    const trimmed = body.trimStart()
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return readResponse(JSON.parse(body))
      } catch {
        // Not JSON: an SSE stream perhaps.
      }
    }
    return looksLikeSse(body) ? readSse(body) : undefined
  }
  return readResponse(body)
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content
      .map(part =>
        typeof part === 'string' ? part : isObject(part) ? (str(part, 'text') ?? str(part, 'output') ?? '') : '',
      )
      .join('\n')
  return content === undefined || content === null ? '' : JSON.stringify(content)
}

/** Reads a parsed request body: its model and the tool results it carries back. */
function readRequest(body: unknown): ApiRequest {
  const request: ApiRequest = {toolResults: []}
  if (!isObject(body)) return request
  request.model = str(body, 'model')
  if (typeof body.stream === 'boolean') request.stream = body.stream
  // Chat Completions and Anthropic: messages; Responses: input items; Gemini: contents.
  const messages = Array.isArray(body.messages) ? body.messages : []
  for (const m of messages) {
    if (!isObject(m)) continue
    if (m.role === 'tool')
      request.toolResults.push({callId: str(m, 'tool_call_id'), name: str(m, 'name'), output: textOf(m.content)})
    else if (m.role === 'function') request.toolResults.push({name: str(m, 'name'), output: textOf(m.content)})
    else if (Array.isArray(m.content)) {
      for (const block of m.content) {
        if (isObject(block) && block.type === 'tool_result')
          request.toolResults.push({
            callId: str(block, 'tool_use_id'),
            output: textOf(block.content),
            isError: block.is_error === true,
          })
      }
    }
  }
  for (const item of Array.isArray(body.input) ? body.input : []) {
    if (isObject(item) && (item.type === 'function_call_output' || item.type === 'custom_tool_call_output'))
      request.toolResults.push({callId: str(item, 'call_id'), output: textOf(item.output)})
  }
  for (const content of Array.isArray(body.contents) ? body.contents : []) {
    const parts = isObject(content) && Array.isArray(content.parts) ? content.parts : []
    for (const part of parts) {
      if (!isObject(part) || !isObject(part.functionResponse)) continue
      const fr = part.functionResponse
      request.toolResults.push({callId: str(fr, 'id'), name: str(fr, 'name'), output: textOf(fr.response)})
    }
  }
  return request
}

/** Reads a request body that may still be a JSON string. */
export function readRequestBody(body: unknown): ApiRequest {
  if (typeof body === 'string') {
    try {
      return readRequest(JSON.parse(body))
    } catch {
      return {toolResults: []}
    }
  }
  return readRequest(body)
}

/** The model a request URL names (Gemini: `/models/gemini-2.5-flash:generateContent`; Hugging Face: `/models/org/name`). */
export function modelFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined
  const m = /\/models\/([^:?]+?)(?::[A-Za-z]+)?(?:\?|$)/.exec(url)
  return m ? decodeURIComponent(m[1]!) : undefined
}
