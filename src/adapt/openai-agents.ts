/**
 * OpenAI Agents SDK traces as its exporters write them: the items a trace
 * processor receives, `Trace.export()` → `{object: "trace", id, workflow_name,
 * group_id, metadata}` and `Span.export()` → `{object: "trace.span", id,
 * trace_id, parent_id, started_at, ended_at, span_data: {type, …}, error}`
 * (openai-agents-python `tracing/spans.py`, `span_data.py`), saved as the
 * ingest payload `{data: [...]}`, a JSON array, or JSONL (one item a line, or
 * wrapped `{event, span|trace|item}` by a local processor).
 *
 * Traps handled here:
 * - `response` spans (the Responses API, the default model) export only
 *   `response_id` and, in newer SDKs, `usage`: no model name, so their
 *   tokens are listed as unpriced rather than guessed; `generation` spans
 *   (Chat Completions models) carry model, usage and output messages;
 * - the SDK's own `task` and `turn` spans (exported as `custom`) repeat the
 *   usage of the calls under them: never counted, the `task` totals are the
 *   trace's recorded totals, checked against the card's;
 * - `function` spans are tool steps (no call id is exported: they belong to
 *   the latest call before them, or the generation whose tool call names
 *   them); `error: {message}` on a span marks it failed;
 * - a span exported twice (at start and at end) counts once, the ended one.
 */
import {basename} from 'node:path'
import {addTokens, CardBuilder, emptyTokens, tokenSum} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {count, isObject, obj, optCount, str, type Json} from './fields.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type JsonlAdapter, type RecordSink} from './types.js'

/**
 * Agents SDK usage: `{input_tokens, output_tokens, input_tokens_details: {cached_tokens, cache_write_tokens},
 * output_tokens_details.reasoning_tokens}`, the cache inside the input (agents/usage.py; cache writes from LiteLLM's
 * models, trial 100). `belowCache`: the input was smaller than its cache tokens, which were cut to it.
 */
function usageTokens(usage: Json, where: string): {tokens: Tokens; belowCache: boolean} {
  const input = count(usage, 'input_tokens', where)
  const output = count(usage, 'output_tokens', where)
  const inDetails = obj(usage, 'input_tokens_details', where)
  const outDetails = obj(usage, 'output_tokens_details', where)
  const details = `${where}.input_tokens_details`
  const statedRead = inDetails ? (optCount(inDetails, 'cached_tokens', details) ?? 0) : 0
  const statedWrite = inDetails ? (optCount(inDetails, 'cache_write_tokens', details) ?? 0) : 0
  const read = Math.min(input, statedRead)
  const write = Math.min(input - read, statedWrite)
  const reasoning = outDetails ? (optCount(outDetails, 'reasoning_tokens', `${where}.output_tokens_details`) ?? 0) : 0
  return {
    tokens: {
      input: input - read - write,
      output,
      cacheRead: read,
      cacheWrite: write,
      reasoning: Math.min(reasoning, output),
    },
    belowCache: statedRead + statedWrite > input,
  }
}

/** An exported item, unwrapped from a local processor's `{event, span}` envelope. */
function unwrap(record: unknown): Json | undefined {
  if (!isObject(record)) return undefined
  if (record.object === 'trace' || record.object === 'trace.span') return record
  for (const key of ['span', 'trace', 'item', 'data'] as const) {
    const inner = record[key]
    if (isObject(inner) && (inner.object === 'trace' || inner.object === 'trace.span')) return inner
  }
  return undefined
}

interface TraceParts {
  trace?: Json
  spans: Map<string, Json>
  order: string[]
  /** The line each span was read from (JSONL), for what is said of it. */
  lines: Map<string, number>
}

function parseArgs(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? {}
  try {
    return JSON.parse(v) as unknown
  } catch {
    return v
  }
}

class AgentsSink implements RecordSink {
  private readonly traces = new Map<string, TraceParts>()
  private repeated = 0

  constructor(private readonly ctx: AdaptContext) {}

  private parts(id: string): TraceParts {
    let t = this.traces.get(id)
    if (!t) {
      t = {spans: new Map(), order: [], lines: new Map()}
      this.traces.set(id, t)
    }
    return t
  }

  push(record: unknown, line?: number): void {
    const item = unwrap(record)
    // A local processor's event without an exported item (a span_end note): nothing to count.
    if (!item && isObject(record) && typeof record.event === 'string') return
    if (!item) throw new RecordError('not an OpenAI Agents trace item: expected {object: "trace" | "trace.span"}')
    if (item.object === 'trace') {
      const id = str(item, 'id')
      if (id) this.parts(id).trace = item
      return
    }
    const id = str(item, 'id')
    const traceId = str(item, 'trace_id') ?? ''
    if (!id) throw new RecordError('trace.span without an id')
    if (!isObject(item.span_data)) throw new RecordError(`span ${id}: span_data: expected an object`)
    const t = this.parts(traceId)
    const known = t.spans.get(id)
    if (known) {
      this.repeated++
      // The export at span end has the end time and usage: it stands.
      if (!known.ended_at || item.ended_at) {
        t.spans.set(id, item)
        if (line !== undefined) t.lines.set(id, line)
      }
      return
    }
    t.spans.set(id, item)
    if (line !== undefined) t.lines.set(id, line)
    t.order.push(id)
  }

  finish(): TraceCard[] {
    const cards: TraceCard[] = []
    const fileId = basename(this.ctx.path).replace(/\.(jsonl|ndjson|json)$/i, '')
    for (const [traceId, t] of this.traces) {
      const card = this.build(traceId, t, fileId)
      if (card) cards.push(card)
    }
    return cards
  }

  private build(traceId: string, t: TraceParts, fileId: string): TraceCard | undefined {
    const b = new CardBuilder('openai-agents', this.ctx.path, this.ctx.redact)
    const spans = t.order.map(id => t.spans.get(id)!)
    const sorted = spans
      .map((s, i) => ({s, i, at: toIso(s.started_at) ?? ''}))
      .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.i - y.i))
      .map(x => x.s)
    let lastLlm: Step | undefined
    const pendingByName = new Map<string, string[]>()
    const recorded = emptyTokens()
    let recordedAny = false
    let responsesWithoutModel = 0
    let failed = 0
    /** Lines of spans whose input was smaller than their cache tokens. */
    const belowCache: number[] = []
    const tokensOf = (usage: Json, where: string, id: string): Tokens => {
      const read = usageTokens(usage, where)
      if (read.belowCache) belowCache.push(t.lines.get(id) ?? 0)
      return read.tokens
    }
    for (const span of sorted) {
      const data = span.span_data as Json
      const type = str(data, 'type')
      const id = str(span, 'id')!
      const start = toIso(span.started_at)
      const end = toIso(span.ended_at)
      const error = isObject(span.error) ? (str(span.error, 'message') ?? 'error') : undefined
      if (error) failed++
      try {
        if (type === 'generation' || type === 'response') {
          const usage = obj(data, 'usage', `span ${id}.span_data`)
          const model = str(data, 'model') ?? (isObject(data.response) ? str(data.response, 'model') : undefined)
          if (type === 'response' && !model) responsesWithoutModel++
          const step = b.addLlm({
            id: str(data, 'response_id') ?? id,
            model,
            tokens: usage ? tokensOf(usage, `span ${id}.span_data.usage`, id) : undefined,
            startedAt: start,
            endedAt: end,
            stopReason: error ? `error: ${error}` : undefined,
          })
          lastLlm = step
          for (const m of Array.isArray(data.output) ? data.output : []) {
            if (!isObject(m)) continue
            if (typeof m.content === 'string') b.appendText(step, m.content)
            for (const tc of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
              if (!isObject(tc)) continue
              const fn = isObject(tc.function) ? tc.function : tc
              const name = str(fn, 'name') ?? 'unknown'
              const callId = str(tc, 'id') ?? `${step.id}-${name}`
              b.addToolCall(step, callId, name, parseArgs(fn.arguments), end)
              const queue = pendingByName.get(name)
              if (queue) queue.push(callId)
              else pendingByName.set(name, [callId])
            }
          }
        } else if (type === 'function') {
          const name = str(data, 'name') ?? 'function'
          const output = data.output === undefined || data.output === null ? undefined : String(data.output)
          const pending = pendingByName.get(name)?.shift()
          const callId = pending ?? id
          if (!pending) b.addToolCall(lastLlm, callId, name, parseArgs(data.input), start)
          b.resolveTool(callId, {status: error ? 'error' : 'ok', output: output ?? error, endedAt: end})
        } else if (
          type === 'custom' &&
          isObject(data.data) &&
          data.data.sdk_span_type === 'task' &&
          isObject(data.data.usage)
        ) {
          addTokens(recorded, tokensOf(data.data.usage, `span ${id}.span_data.data.usage`, id))
          recordedAny = true
        }
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        this.ctx.skip(t.lines.get(id), error.message)
      }
      b.seen(start)
      b.seen(end)
    }
    if (b.steps.length === 0) return undefined
    if (this.repeated) b.warn(`${this.repeated} span(s) exported more than once (at start and end): counted once`)
    if (responsesWithoutModel)
      b.warn(
        `${responsesWithoutModel} response span(s) name no model (the SDK exports only the response id): their tokens are listed as unpriced`,
      )
    if (failed) b.warn(`${failed} span(s) ended with an error`)
    // (As the mapping reader says it: the cache tokens were cut to the input, which cannot hold less than them.)
    if (belowCache.length)
      b.warn(
        `${belowCache.length} span(s) state fewer input tokens than their cache tokens (first${belowCache[0] ? ` at line ${belowCache[0]}` : ''}): the cache counted as at most the input`,
      )
    const unresolved = b.steps.filter(s => s.tool?.status === 'unknown').length
    if (unresolved) b.warn(`${unresolved} tool call(s) with no function span: status unknown`)
    const trace = t.trace
    const card = b.build({
      id: traceId || fileId,
      title: str(trace, 'workflow_name'),
      sessionId: str(trace, 'group_id'),
    })
    if (traceId) card.source.traceId = traceId
    if (recordedAny) {
      card.recorded = {source: 'OpenAI Agents SDK task span usage', tokens: recorded}
      if (tokenSum(recorded) !== tokenSum(card.totals.tokens))
        b.warn("the task span's usage differs from the sum of the calls' usage")
    }
    return card
  }
}

function items(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc
  if (isObject(doc) && Array.isArray(doc.data)) return doc.data
  return undefined
}

const LOOKS_FOR =
  'OpenAI Agents SDK trace items {object: "trace" | "trace.span", id, trace_id, parent_id, started_at, ended_at, span_data: {type: generation|response|function|agent|…}}: {data: [...]}, a JSON array or JSONL'

export const openaiAgentsJsonlAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'openai-agents',
  label: 'OpenAI Agents SDK trace (JSONL)',
  looksFor: LOOKS_FOR,
  sniff: records =>
    records.length > 0 &&
    records.every(r => unwrap(r) !== undefined || (isObject(r) && typeof r.event === 'string')) &&
    records.some(r => unwrap(r) !== undefined),
  open: ctx => new AgentsSink(ctx),
}

export const openaiAgentsDocumentAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'openai-agents',
  label: 'OpenAI Agents SDK trace (JSON)',
  looksFor: LOOKS_FOR,
  sniff(doc) {
    const list = items(doc)
    return !!list && list.length > 0 && list.slice(0, 5).every(r => unwrap(r) !== undefined)
  },
  parse(doc, ctx) {
    const list = items(doc)
    if (!list) throw new RecordError('expected {data: [...]} or an array of trace items')
    const sink = new AgentsSink(ctx)
    list.forEach((r, i) => {
      try {
        sink.push(r)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        ctx.skip(undefined, `item ${i}: ${error.message}`)
      }
    })
    return sink.finish()
  },
}
