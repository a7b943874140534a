/**
 * What a span is, under the three GenAI conventions spans follow (corpus
 * FORMATS.md §3): an LLM call, a tool execution, a wrapper that repeats the
 * usage of the calls under it, or something else (HTTP, retrieval, chains).
 *
 * - OTel GenAI semantic conventions: `gen_ai.operation.name` (`chat`,
 *   `text_completion`, `generate_content`, `embeddings` are calls;
 *   `execute_tool` a tool; `invoke_agent` / `create_agent` wrappers), usage
 *   `gen_ai.usage.input_tokens` / `output_tokens` (deprecated `prompt_tokens` /
 *   `completion_tokens`), cache reads and writes included in the input
 *   (`gen_ai.usage.cache_read.input_tokens`, older `cache_read_input_tokens`),
 *   model `gen_ai.response.model` else `gen_ai.request.model`; the tool calls
 *   a call issued in `gen_ai.output.messages`, the flattened
 *   `gen_ai.completion.N.tool_calls.K.*` of older instrumentations, or a
 *   `gen_ai.choice` event;
 * - OpenInference: `openinference.span.kind` LLM / EMBEDDING (calls), TOOL,
 *   CHAIN / AGENT / … (wrappers), `llm.token_count.prompt` /
 *   `completion` / `total` and `…prompt_details.cache_read` / `cache_write` /
 *   `…completion_details.reasoning`, `llm.model_name`, tool calls in
 *   `llm.output_messages.N.message.tool_calls.K.tool_call.*`;
 * - Vercel AI SDK: `ai.*.doGenerate` / `doStream` / `doEmbed` are the provider
 *   calls; the `ai.generateText` (…) spans around them repeat their usage and
 *   are never counted; `ai.toolCall` is a tool; usage `ai.usage.inputTokens` /
 *   `outputTokens` (older `promptTokens` / `completionTokens`),
 *   `cachedInputTokens` and `reasoningTokens` inside them.
 */
import type {Tokens} from '../../card/types.js'
import {countProblem, isObject, str} from '../fields.js'
import {splitPrompt} from '../litellm.js'
import type {IssuedCall} from '../provider-response.js'
import {RecordError} from '../types.js'
import type {Span} from './spans.js'

export type SpanRole =
  | {kind: 'llm'; dialect: Dialect}
  | {kind: 'tool'; dialect: Dialect}
  /** A span around calls that may repeat their usage (Vercel `ai.generateText`, an agent, a chain). */
  | {kind: 'wrapper'; dialect: Dialect}
  | {kind: 'other'}

export type Dialect = 'gen_ai' | 'openinference' | 'vercel'

const GENAI_CALLS = new Set(['chat', 'text_completion', 'generate_content', 'completion', 'embeddings', 'embedding'])
const GENAI_WRAPPERS = new Set(['invoke_agent', 'create_agent', 'invoke_workflow', 'workflow'])

function attr(span: Span, key: string): unknown {
  return span.attrs[key]
}

function sattr(span: Span, key: string): string | undefined {
  const v = span.attrs[key]
  return typeof v === 'string' && v.length > 0 ? v : undefined
}

/** The Vercel AI SDK operation (`ai.generateText.doGenerate`), from `ai.operationId` or the span name. */
function vercelOperation(span: Span): string | undefined {
  const op = sattr(span, 'ai.operationId') ?? (span.name.startsWith('ai.') ? span.name.split(' ')[0] : undefined)
  return op?.startsWith('ai.') ? op : undefined
}

export function classify(span: Span): SpanRole {
  const op = vercelOperation(span)
  if (op) {
    if (/\.(doGenerate|doStream|doEmbed)$/.test(op)) return {kind: 'llm', dialect: 'vercel'}
    if (op === 'ai.toolCall') return {kind: 'tool', dialect: 'vercel'}
    return {kind: 'wrapper', dialect: 'vercel'}
  }
  const oiKind = sattr(span, 'openinference.span.kind')?.toUpperCase()
  if (oiKind) {
    if (oiKind === 'LLM') return {kind: 'llm', dialect: 'openinference'}
    if (oiKind === 'EMBEDDING') return hasUsage(span) ? {kind: 'llm', dialect: 'openinference'} : {kind: 'other'}
    if (oiKind === 'TOOL') return {kind: 'tool', dialect: 'openinference'}
    return {kind: 'wrapper', dialect: 'openinference'}
  }
  const operation = sattr(span, 'gen_ai.operation.name')
  if (operation) {
    if (operation === 'execute_tool') return {kind: 'tool', dialect: 'gen_ai'}
    if (GENAI_CALLS.has(operation)) return {kind: 'llm', dialect: 'gen_ai'}
    if (GENAI_WRAPPERS.has(operation)) return {kind: 'wrapper', dialect: 'gen_ai'}
  }
  const traceloop = sattr(span, 'traceloop.span.kind')
  if (traceloop === 'tool') return {kind: 'tool', dialect: 'gen_ai'}
  const requestType = sattr(span, 'llm.request.type')
  if (requestType === 'chat' || requestType === 'completion' || requestType === 'embedding')
    return {kind: 'llm', dialect: 'gen_ai'}
  // An older instrumentation: usage and a model, no operation name.
  if (hasUsage(span) && modelOf(span)) return {kind: 'llm', dialect: 'gen_ai'}
  if (traceloop === 'agent' || traceloop === 'workflow' || traceloop === 'task')
    return {kind: 'wrapper', dialect: 'gen_ai'}
  return {kind: 'other'}
}

/** A count attribute: numbers, or numeric strings (OTLP int64 as a string); a bad value names the key. */
function countAttr(span: Span, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = attr(span, key)
    if (v === undefined || v === null || v === '') continue
    const n = typeof v === 'string' ? Number(v) : v
    if (countProblem(n) !== undefined)
      // (A number JSON cannot write, NaN or Infinity from a `doubleValue`, said as it is, not as JSON's null.)
      throw new RecordError(
        `attribute ${key}: expected a token count, got ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`,
      )
    return n as number
  }
  return undefined
}

const USAGE_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.token_count.prompt',
  'llm.token_count.completion',
  'llm.token_count.total',
  'ai.usage.inputTokens',
  'ai.usage.outputTokens',
  'ai.usage.promptTokens',
  'ai.usage.completionTokens',
  'ai.usage.tokens',
]

function hasUsage(span: Span): boolean {
  for (const key of USAGE_KEYS) if (span.attrs[key] !== undefined) return true
  return false
}

export interface SpanUsage {
  tokens: Tokens
  /** The span's own total, when it states one. */
  total?: number
  /** Whether it has an attribute for the prompt cache, whatever its count (a 0 is a cache unused: trial 89). */
  cacheRecorded?: boolean
}

/** The usage a span carries, in the card's meaning (cache and reasoning inside input and output). */
export function usageOf(span: Span, dialect: Dialect | undefined): SpanUsage | undefined {
  if (!hasUsage(span)) return undefined
  let prompt: number | undefined
  let output: number | undefined
  let read: number | undefined
  let write: number | undefined
  let reasoning: number | undefined
  let total: number | undefined
  if (
    dialect === 'vercel' &&
    (span.attrs['ai.usage.inputTokens'] !== undefined ||
      span.attrs['ai.usage.promptTokens'] !== undefined ||
      span.attrs['ai.usage.tokens'] !== undefined)
  ) {
    prompt = countAttr(span, 'ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens')
    output = countAttr(span, 'ai.usage.outputTokens', 'ai.usage.completionTokens')
    read = countAttr(span, 'ai.usage.cachedInputTokens', 'ai.usage.inputTokenDetails.cacheReadTokens')
    write = countAttr(span, 'ai.usage.inputTokenDetails.cacheWriteTokens')
    reasoning = countAttr(span, 'ai.usage.reasoningTokens', 'ai.usage.outputTokenDetails.reasoningTokens')
    total = countAttr(span, 'ai.usage.totalTokens')
    // Before AI SDK 6 (no `inputTokenDetails`), the Anthropic provider's input is Anthropic's own `input_tokens`, the
    // cache on top of it, and the cache writes only in its provider metadata (trial 100: writes lost, input 56% low).
    // SDK 6 counts the cache inside the input for every provider, and says so with the details.
    const anthropic = anthropicMetadata(span)
    if (
      !hasDetails(span) &&
      prompt !== undefined &&
      (anthropic !== undefined || /^anthropic\b/i.test(providerOf(span) ?? ''))
    ) {
      read ??= metaCount(anthropic, 'cacheReadInputTokens')
      write ??= metaCount(anthropic, 'cacheCreationInputTokens')
      prompt += (read ?? 0) + (write ?? 0)
      // (Its total is the SDK's sum of the two counts it gives: the cache is outside it too.)
      if (total !== undefined) total += (read ?? 0) + (write ?? 0)
    }
  } else if (
    span.attrs['llm.token_count.prompt'] !== undefined ||
    span.attrs['llm.token_count.completion'] !== undefined
  ) {
    prompt = countAttr(span, 'llm.token_count.prompt')
    output = countAttr(span, 'llm.token_count.completion')
    read = countAttr(span, 'llm.token_count.prompt_details.cache_read')
    write = countAttr(span, 'llm.token_count.prompt_details.cache_write')
    reasoning = countAttr(span, 'llm.token_count.completion_details.reasoning')
    total = countAttr(span, 'llm.token_count.total')
  } else {
    prompt = countAttr(span, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens')
    output = countAttr(span, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens')
    read = countAttr(
      span,
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'gen_ai.usage.input_tokens.cached',
      'gen_ai.usage.cached_input_tokens',
    )
    write = countAttr(
      span,
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
      'gen_ai.usage.input_tokens.cache_write',
      'gen_ai.usage.cache_write_input_tokens',
    )
    reasoning = countAttr(
      span,
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.output_tokens.reasoning',
      'gen_ai.usage.reasoning_tokens',
    )
    total = countAttr(span, 'gen_ai.usage.total_tokens', 'llm.usage.total_tokens')
  }
  // The conventions count cache reads and writes inside the input; splitPrompt copes with emitters that do not.
  const tokens = splitPrompt(prompt ?? 0, read ?? 0, write ?? 0, output ?? 0, reasoning ?? 0)
  return {
    tokens,
    ...(total === undefined ? {} : {total}),
    ...(read !== undefined || write !== undefined ? {cacheRecorded: true} : {}),
  }
}

/** Whether a Vercel AI SDK span splits its input (`ai.usage.inputTokenDetails.*`, SDK 6): the cache is inside it. */
function hasDetails(span: Span): boolean {
  for (const key in span.attrs) if (key.startsWith('ai.usage.inputTokenDetails.')) return true
  return false
}

/** The Anthropic provider's part of a Vercel AI SDK span's `ai.response.providerMetadata`, when it has one. */
function anthropicMetadata(span: Span): Record<string, unknown> | undefined {
  const meta = parseJson(span.attrs['ai.response.providerMetadata'])
  return isObject(meta) && isObject(meta.anthropic) ? meta.anthropic : undefined
}

/** A count in provider metadata (undefined when absent, a RecordError when it is no count). */
function metaCount(meta: Record<string, unknown> | undefined, key: string): number | undefined {
  const raw = meta?.[key]
  if (raw === undefined || raw === null) return undefined
  const n = typeof raw === 'string' ? Number(raw) : raw
  if (countProblem(n) !== undefined)
    throw new RecordError(
      `ai.response.providerMetadata.anthropic.${key}: expected a token count, got ${JSON.stringify(raw)}`,
    )
  return n as number
}

/** The first of `keys` a span holds a string for. */
function firstAttr(span: Span, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = sattr(span, key)
    if (value !== undefined) return value
  }
  return undefined
}

/** The provider a span names for its call, as written (`openai`, `aws.bedrock`, the Vercel SDK's `openai.chat`). */
export function providerOf(span: Span): string | undefined {
  return firstAttr(span, ['gen_ai.provider.name', 'gen_ai.system', 'ai.model.provider', 'llm.provider'])
}

export function modelOf(span: Span): string | undefined {
  return firstAttr(span, [
    'gen_ai.response.model',
    'ai.response.model',
    'llm.model_name',
    'gen_ai.request.model',
    'ai.model.id',
    'llm.response.model',
    'llm.request.model',
  ])
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const t = value.trimStart()
  if (!t.startsWith('{') && !t.startsWith('[')) return value
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

/** `{type: "tool_call", id, name, arguments}` parts of GenAI output messages. */
function callsFromMessages(messages: unknown, out: IssuedCall[]): void {
  const list = parseJson(messages)
  if (!Array.isArray(list)) return
  for (const m of list) {
    if (!isObject(m)) continue
    for (const part of Array.isArray(m.parts) ? m.parts : []) {
      if (isObject(part) && part.type === 'tool_call')
        out.push({
          id: str(part, 'id'),
          name: str(part, 'name') ?? 'unknown',
          arguments: parseJson(part.arguments) ?? {},
        })
    }
    // OpenAI-style messages in a choice event.
    for (const tc of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      if (!isObject(tc)) continue
      const fn = isObject(tc.function) ? tc.function : tc
      out.push({id: str(tc, 'id'), name: str(fn, 'name') ?? 'unknown', arguments: parseJson(fn.arguments) ?? {}})
    }
  }
}

/** Flattened `<prefix>.<i>.…` keys grouped by index: `gen_ai.completion.0.tool_calls.1.name` → [0][…]. */
function indexed(span: Span, prefix: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>()
  const p = `${prefix}.`
  for (const key in span.attrs) {
    if (!key.startsWith(p)) continue
    const rest = key.slice(p.length)
    const m = /^(\d+(?:\.[^.]+\.\d+)?)\.(.+)$/.exec(rest)
    if (!m) continue
    const group = out.get(m[1]!) ?? {}
    group[m[2]!] = span.attrs[key]
    out.set(m[1]!, group)
  }
  return out
}

/** The tool calls an LLM span's response issued. */
export function issuedCalls(span: Span, dialect: Dialect): IssuedCall[] {
  const out: IssuedCall[] = []
  if (dialect === 'vercel') {
    const calls = parseJson(span.attrs['ai.response.toolCalls'])
    for (const c of Array.isArray(calls) ? calls : []) {
      if (!isObject(c)) continue
      out.push({
        id: str(c, 'toolCallId'),
        name: str(c, 'toolName') ?? 'unknown',
        arguments: parseJson(c.args ?? c.input) ?? {},
      })
    }
    return out
  }
  callsFromMessages(span.attrs['gen_ai.output.messages'], out)
  // OpenLLMetry: gen_ai.completion.<i>.tool_calls.<k>.{id,name,arguments}
  for (const [group, fields] of indexed(span, 'gen_ai.completion')) {
    if (!group.includes('.tool_calls.')) continue
    out.push({
      id: fields.id as string | undefined,
      name: (fields.name as string) ?? 'unknown',
      arguments: parseJson(fields.arguments) ?? {},
    })
  }
  // OpenInference: llm.output_messages.<i>.message.tool_calls.<k>.tool_call.{id,function.name,function.arguments}
  for (const [group, fields] of indexed(span, 'llm.output_messages')) {
    if (!/^\d+$/.test(group)) continue
    const calls = new Map<string, Record<string, unknown>>()
    for (const key of Object.keys(fields)) {
      const m = /^message\.tool_calls\.(\d+)\.tool_call\.(.+)$/.exec(key)
      if (!m) continue
      const c = calls.get(m[1]!) ?? {}
      c[m[2]!] = fields[key]
      calls.set(m[1]!, c)
    }
    for (const c of calls.values())
      out.push({
        id: typeof c.id === 'string' ? c.id : undefined,
        name: typeof c['function.name'] === 'string' ? c['function.name'] : 'unknown',
        arguments: parseJson(c['function.arguments']) ?? {},
      })
  }
  for (const e of span.events) {
    if (e.name !== 'gen_ai.choice' && e.name !== 'gen_ai.assistant.message') continue
    const message = parseJson(e.attrs.message ?? e.attrs.body)
    if (isObject(message)) callsFromMessages([message], out)
    const toolCalls = parseJson(e.attrs.tool_calls)
    if (Array.isArray(toolCalls)) callsFromMessages([{tool_calls: toolCalls}], out)
  }
  return out
}

function textFromMessages(messages: unknown): string | undefined {
  const list = parseJson(messages)
  if (!Array.isArray(list)) return undefined
  const texts: string[] = []
  for (const m of list) {
    if (!isObject(m)) continue
    for (const part of Array.isArray(m.parts) ? m.parts : [])
      if (isObject(part) && part.type === 'text' && typeof part.content === 'string') texts.push(part.content)
  }
  return texts.length ? texts.join('\n') : undefined
}

/** The text of a message list's first message of `role` (GenAI's `[{role, parts: [{type: 'text', content}]}]`, or `content`). */
function firstOfRole(messages: unknown, role: string): string | undefined {
  const list = parseJson(messages)
  if (!Array.isArray(list)) return undefined
  for (const m of list) {
    if (!isObject(m) || m.role !== role) continue
    if (typeof m.content === 'string' && m.content.trim()) return m.content
    for (const part of Array.isArray(m.parts) ? m.parts : Array.isArray(m.content) ? m.content : [])
      if (isObject(part) && (part.type === 'text' || part.type === undefined)) {
        const text = typeof part.content === 'string' ? part.content : typeof part.text === 'string' ? part.text : ''
        if (text.trim()) return text
      }
  }
  return undefined
}

/** The first thing a person asked in an LLM span's prompt (its first user message), for a trace's title. */
export function requestText(span: Span): string | undefined {
  const indexed = (prefix: string, roleKey: string, contentKeys: readonly string[]): string | undefined => {
    for (let i = 0; i < 64; i++) {
      const role = sattr(span, `${prefix}.${i}.${roleKey}`)
      if (role === undefined) return undefined
      if (role !== 'user') continue
      for (const k of contentKeys) {
        const text = sattr(span, `${prefix}.${i}.${k}`)
        // (OpenLLMetry writes a message of parts as their JSON: `[{"type": "text", "text": "…"}]`; review 118.)
        const list = text?.trimStart().startsWith('[') ? parseJson(text) : undefined
        if (Array.isArray(list)) {
          const parts = firstOfRole([{role: 'user', content: list}], 'user')
          if (parts) return parts
          continue
        }
        if (text?.trim()) return text
      }
    }
    return undefined
  }
  const vercel = parseJson(span.attrs['ai.prompt'])
  return (
    firstOfRole(span.attrs['gen_ai.input.messages'], 'user') ??
    indexed('gen_ai.prompt', 'role', ['content']) ??
    indexed('llm.input_messages', 'message.role', ['message.content', 'message.contents.0.message_content.text']) ??
    firstOfRole(span.attrs['ai.prompt.messages'], 'user') ??
    (isObject(vercel)
      ? typeof vercel.prompt === 'string'
        ? vercel.prompt
        : firstOfRole(vercel.messages, 'user')
      : undefined)
  )
}

/** What an LLM span's response said (its first text). */
export function responseText(span: Span): string | undefined {
  return (
    textFromMessages(span.attrs['gen_ai.output.messages']) ??
    sattr(span, 'ai.response.text') ??
    sattr(span, 'gen_ai.completion.0.content') ??
    sattr(span, 'llm.output_messages.0.message.content') ??
    sattr(span, 'llm.output_messages.0.message.contents.0.message_content.text') ??
    sattr(span, 'gen_ai.completion')
  )
}

export function stopReasonOf(span: Span): string | undefined {
  const reasons = span.attrs['gen_ai.response.finish_reasons']
  if (Array.isArray(reasons) && typeof reasons[0] === 'string') return reasons[0]
  return sattr(span, 'ai.response.finishReason') ?? sattr(span, 'gen_ai.completion.0.finish_reason')
}

export interface ToolSpanInfo {
  name: string
  callId?: string
  arguments: unknown
  result?: string
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function toolOf(span: Span, dialect: Dialect): ToolSpanInfo {
  if (dialect === 'vercel')
    return {
      name: sattr(span, 'ai.toolCall.name') ?? span.name,
      callId: sattr(span, 'ai.toolCall.id'),
      arguments: parseJson(span.attrs['ai.toolCall.args'] ?? span.attrs['ai.toolCall.input']) ?? {},
      result: asText(span.attrs['ai.toolCall.result'] ?? span.attrs['ai.toolCall.output']),
    }
  // (OpenLLMetry names a tool's span `{name}.tool` and gives the name as `traceloop.entity.name`: trial 116.)
  const traceloop = sattr(span, 'traceloop.span.kind') === 'tool'
  const name =
    sattr(span, 'gen_ai.tool.name') ??
    sattr(span, 'tool.name') ??
    (traceloop ? sattr(span, 'traceloop.entity.name') : undefined) ??
    (span.name.replace(/^execute_tool\s+/, '').replace(traceloop ? /\.tool$/ : /$^/, '') || 'tool')
  return {
    name,
    callId: sattr(span, 'gen_ai.tool.call.id') ?? sattr(span, 'tool_call.id') ?? sattr(span, 'tool.call.id'),
    arguments:
      parseJson(
        span.attrs['gen_ai.tool.call.arguments'] ??
          span.attrs['tool.parameters'] ??
          span.attrs['input.value'] ??
          span.attrs.input ??
          span.attrs['traceloop.entity.input'],
      ) ?? {},
    result: asText(
      span.attrs['gen_ai.tool.call.result'] ??
        span.attrs['output.value'] ??
        span.attrs.output ??
        span.attrs['traceloop.entity.output'],
    ),
  }
}

/** A session or conversation id the spans carry. */
export function sessionOf(span: Span): string | undefined {
  return firstAttr(span, [
    'session.id',
    'gen_ai.conversation.id',
    'ai.telemetry.metadata.sessionId',
    'langfuse.session.id',
  ])
}

/** A name for a wrapper span (an agent's name), for titles. */
export function agentNameOf(span: Span): string | undefined {
  return sattr(span, 'gen_ai.agent.name') ?? sattr(span, 'ai.telemetry.functionId')
}
