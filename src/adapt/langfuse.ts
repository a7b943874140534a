/**
 * Langfuse traces as Langfuse exports them: the UI's "Download JSON" of a
 * trace (`trace-<id>.json`: the trace with its observations and scores, the
 * public API's TraceWithFullDetails), a session download (`{traces: [...]}`),
 * an Observations API page (`{data: [...], meta}`) and the observations table
 * exported as JSONL. Sources: langfuse.com/faq/all/export-single-trace-or-session,
 * js.reference.langfuse.com ObservationsView, langfuse.com/docs/token-usage.
 *
 * Traps handled here:
 * - observations of type GENERATION (and EMBEDDING) are the calls; SPAN,
 *   AGENT, CHAIN, EVENT… are structure; TOOL observations are tool steps; a
 *   GENERATION with generations under it repeats their usage: counted once;
 * - `usageDetails` keys are arbitrary and, by Langfuse's rule, add up to the
 *   total ("if no total usage type is ingested, Langfuse sums up all usage
 *   types"): `input`, `output`, cached reads (`cache_read_input_tokens`,
 *   `input_cached_tokens`…), cache writes, reasoning are disjoint. When a
 *   stated `total` shows the input included the cached part instead
 *   (total = input + output), the cached part is taken out of it;
 * - `costDetails.total` (else `calculatedTotalCost`) is the recorded cost per
 *   call; the trace's `totalCost` is its recorded total, checked against them;
 * - `level: "ERROR"` with `statusMessage` marks a failed call or tool.
 */
import {basename} from 'node:path'
import {CardBuilder, tokenSum} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {countProblem, isObject, num, recordedUsd, str, type Json, writesByLifetime} from './fields.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type JsonlAdapter, type RecordSink} from './types.js'

const TYPES = new Set([
  'GENERATION',
  'SPAN',
  'EVENT',
  'AGENT',
  'TOOL',
  'CHAIN',
  'RETRIEVER',
  'EMBEDDING',
  'EVALUATOR',
  'GUARDRAIL',
])

function isObservation(v: unknown): v is Json {
  return isObject(v) && typeof v.type === 'string' && TYPES.has(v.type) && typeof v.id === 'string' && 'startTime' in v
}

/** `usageDetails` in the card's meaning, and the stated total. */
export function langfuseTokens(details: Json, where: string): {tokens: Tokens; total?: number} {
  let input = 0
  let output = 0
  let read = 0
  let write = 0
  let reasoning = 0
  /** Cache writes by lifetime (Anthropic's `ephemeral_5m` and `ephemeral_1h`), beside or instead of their total. */
  let fiveMinutes = 0
  let oneHour = 0
  let total: number | undefined
  for (const [key, raw] of Object.entries(details)) {
    if (raw === null || raw === undefined) continue
    const n = (typeof raw === 'string' ? Number(raw) : raw) as number
    if (countProblem(n) !== undefined)
      throw new RecordError(`${where}.${key}: expected a token count, got ${JSON.stringify(raw)}`)
    const k = key.toLowerCase()
    if (k === 'total') total = n
    else if (/cache_read|cached|cache_hit/.test(k)) read += n
    // (Langfuse's LangChain handler keeps `cache_creation_input_tokens` and adds its split by lifetime beside it:
    // trial 100 read 4,096 writes of 2,048.)
    else if (/ephemeral_?5m/.test(k)) fiveMinutes += n
    else if (/ephemeral_?1h/.test(k)) oneHour += n
    else if (/cache_creation|cache_write/.test(k)) write += n
    else if (/reasoning/.test(k)) reasoning += n
    else if (/output|completion/.test(k)) output += n
    else input += n
  }
  const writes = writesByLifetime(write, fiveMinutes, oneHour)
  write = writes.write ?? 0
  // Disjoint types sum to the total; an input that already holds the cached part gives total = input + output (+ reasoning).
  if (
    total !== undefined &&
    read + write > 0 &&
    total !== input + output + read + write + reasoning &&
    (total === input + output || total === input + output + reasoning)
  )
    input = Math.max(0, input - read - write)
  const tokens: Tokens = {input, output: output + reasoning, cacheRead: read, cacheWrite: write, reasoning}
  if (writes.oneHour) tokens.cacheWrite1h = writes.oneHour
  return total === undefined ? {tokens} : {tokens, total}
}

function legacyUsage(o: Json): Json | undefined {
  if (isObject(o.usageDetails) && Object.keys(o.usageDetails).length) return o.usageDetails
  if (isObject(o.usage) && (o.usage.input !== undefined || o.usage.output !== undefined))
    return {input: o.usage.input, output: o.usage.output, total: o.usage.total}
  if (num(o.promptTokens) !== undefined || num(o.completionTokens) !== undefined)
    return {input: o.promptTokens, output: o.completionTokens, total: o.totalTokens}
  return undefined
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** Tool calls an OpenAI- or Anthropic-shaped generation output issued. */
function issued(output: unknown): Array<{id?: string; name: string; args: unknown}> {
  const out: Array<{id?: string; name: string; args: unknown}> = []
  const messages = Array.isArray(output) ? output : [output]
  for (const m of messages) {
    if (!isObject(m)) continue
    for (const tc of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      if (!isObject(tc)) continue
      const fn = isObject(tc.function) ? tc.function : tc
      let args: unknown = fn.arguments ?? fn.args ?? {}
      if (typeof args === 'string')
        try {
          args = JSON.parse(args)
        } catch {
          // keep the string
        }
      out.push({id: str(tc, 'id'), name: str(fn, 'name') ?? 'unknown', args})
    }
    for (const block of Array.isArray(m.content) ? m.content : [])
      if (isObject(block) && block.type === 'tool_use')
        out.push({id: str(block, 'id'), name: str(block, 'name') ?? 'unknown', args: block.input ?? {}})
  }
  return out
}

interface LangfuseTrace {
  trace?: Json
  observations: Json[]
}

function buildCard(t: LangfuseTrace, ctx: AdaptContext, fallbackId: string): TraceCard | undefined {
  const b = new CardBuilder('langfuse', ctx.path, ctx.redact)
  const byId = new Map(t.observations.map(o => [o.id as string, o]))
  const generationIds = new Set(
    t.observations.filter(o => o.type === 'GENERATION' || o.type === 'EMBEDDING').map(o => o.id as string),
  )
  // A generation with generations under it repeats their usage.
  const rollups = new Set<string>()
  for (const o of t.observations) {
    if (!generationIds.has(o.id as string)) continue
    const seen = new Set<string>()
    for (let p = str(o, 'parentObservationId'); p && !seen.has(p); p = str(byId.get(p), 'parentObservationId')) {
      seen.add(p)
      if (generationIds.has(p)) rollups.add(p)
    }
  }
  const sorted = t.observations
    .map((o, i) => ({o, i, at: toIso(o.startTime) ?? ''}))
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.i - y.i))
    .map(x => x.o)
  let lastLlm: Step | undefined
  /** Generations whose output names the tool calls they issued. */
  const namedCalls = new Set<Step>()
  const pending = new Map<string, string[]>()
  let totalMismatch = 0
  let failed = 0
  for (const o of sorted) {
    const id = o.id as string
    const start = toIso(o.startTime)
    const end = toIso(o.endTime)
    const error = o.level === 'ERROR' ? (str(o, 'statusMessage') ?? 'error') : undefined
    b.seen(start)
    b.seen(end)
    try {
      if ((o.type === 'GENERATION' || o.type === 'EMBEDDING') && !rollups.has(id)) {
        const details = legacyUsage(o)
        const usage = details ? langfuseTokens(details, `observation ${id}.usageDetails`) : undefined
        if (usage?.total !== undefined && tokenSum(usage.tokens) !== usage.total) totalMismatch++
        if (error) failed++
        const step = b.addLlm({
          id,
          model: str(o, 'model'),
          tokens: usage?.tokens,
          startedAt: start,
          endedAt: end,
          text: isObject(o.output) ? asText(o.output.content) : asText(o.output),
          stopReason: error ? `error: ${error}` : undefined,
        })
        const said = (reason: string): void => ctx.skip(undefined, reason)
        const cost =
          (isObject(o.costDetails)
            ? recordedUsd(o.costDetails.total, `observation ${id}.costDetails.total`, said)
            : undefined) ?? recordedUsd(o.calculatedTotalCost, `observation ${id}.calculatedTotalCost`, said)
        if (cost !== undefined)
          step.cost = usage
            ? {usd: null, source: 'unpriced', recordedUsd: cost}
            : {usd: cost, source: 'recorded', recordedUsd: cost}
        lastLlm = step
        for (const call of issued(o.output)) {
          namedCalls.add(step)
          const callId = call.id ?? `${id}-${call.name}`
          b.addToolCall(step, callId, call.name, call.args, end)
          const queue = pending.get(call.name)
          if (queue) queue.push(callId)
          else pending.set(call.name, [callId])
        }
      } else if (o.type === 'TOOL') {
        const name = str(o, 'name') ?? 'tool'
        const issuedId = pending.get(name)?.shift()
        const callId = issuedId ?? id
        // (A tool the latest generation did not name, when it named the calls it issued, was its framework's: no
        // generation paid for it.)
        if (!issuedId)
          b.addToolCall(lastLlm && !namedCalls.has(lastLlm) ? lastLlm : undefined, callId, name, o.input ?? {}, start)
        else {
          // The execution started when its observation did, not when the generation that issued it ended.
          const step = b.toolStep(callId)
          if (step && start) step.startedAt = start
        }
        if (error) failed++
        b.resolveTool(callId, {status: error ? 'error' : 'ok', output: asText(o.output) ?? error, endedAt: end})
      }
    } catch (e) {
      if (!(e instanceof RecordError)) throw e
      ctx.skip(undefined, e.message)
    }
  }
  if (b.steps.length === 0) return undefined
  if (rollups.size)
    b.warn(
      `${rollups.size} generation(s) repeat the usage of the generations under them: counted once, at the inner ones`,
    )
  if (totalMismatch) b.warn(`${totalMismatch} generation(s) whose usage types do not add up to their total`)
  if (failed) b.warn(`${failed} observation(s) at level ERROR`)
  const unresolved = b.steps.filter(s => s.tool?.status === 'unknown').length
  if (unresolved) b.warn(`${unresolved} tool call(s) a generation issued have no TOOL observation: status unknown`)
  const trace = t.trace
  const traceId = str(trace, 'id') ?? str(t.observations[0], 'traceId')
  const card = b.build({id: traceId ?? fallbackId, title: str(trace, 'name'), sessionId: str(trace, 'sessionId')})
  const totalCost = recordedUsd(trace?.totalCost, 'trace.totalCost', reason => ctx.skip(undefined, reason))
  if (totalCost !== undefined) {
    card.recorded = {source: 'Langfuse trace totalCost', costUsd: totalCost}
    const sum = b.steps.reduce((n, s) => n + (s.cost?.recordedUsd ?? 0), 0)
    if (Math.abs(sum - totalCost) > 1e-9)
      card.warnings.push({
        message: `the generations' costs sum to $${sum.toFixed(6)}, the trace's totalCost is $${totalCost.toFixed(6)}`,
      })
  }
  return card
}

/** The traces of a parsed document (a trace download, a session download, an observations page). */
function tracesOf(doc: unknown): LangfuseTrace[] | undefined {
  if (isObject(doc) && Array.isArray(doc.observations))
    return [{trace: doc, observations: doc.observations.filter(isObservation)}]
  if (isObject(doc) && Array.isArray(doc.traces))
    return doc.traces
      .filter(isObject)
      .map(t => ({trace: t, observations: Array.isArray(t.observations) ? t.observations.filter(isObservation) : []}))
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.data) ? doc.data : undefined
  if (!list) return undefined
  return groupByTrace(list.filter(isObservation))
}

function groupByTrace(observations: Json[]): LangfuseTrace[] {
  const byTrace = new Map<string, Json[]>()
  for (const o of observations) {
    const key = str(o, 'traceId') ?? ''
    const list = byTrace.get(key)
    if (list) list.push(o)
    else byTrace.set(key, [o])
  }
  return [...byTrace.values()].map(observations => ({observations}))
}

function fileId(path: string): string {
  return basename(path).replace(/\.(jsonl|ndjson|json)$/i, '')
}

const LOOKS_FOR =
  'a Langfuse trace download {id, name, totalCost, observations: [{id, traceId, type: GENERATION|SPAN|TOOL|…, startTime, model, usageDetails, costDetails, parentObservationId, level}]}, {traces: [...]}, {data: [observations]} or observations as JSONL'

export const langfuseDocumentAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'langfuse',
  label: 'Langfuse trace export',
  looksFor: LOOKS_FOR,
  sniff(doc) {
    const traces = tracesOf(doc)
    if (!traces || traces.length === 0) return false
    if (isObject(doc) && (Array.isArray(doc.observations) || Array.isArray(doc.traces)))
      return traces.some(t => t.observations.length > 0)
    return true
  },
  parse(doc, ctx) {
    const traces = tracesOf(doc)
    if (!traces) throw new RecordError('expected a Langfuse trace with observations')
    return traces.map(t => buildCard(t, ctx, fileId(ctx.path))).filter((c): c is TraceCard => c !== undefined)
  },
}

class ObservationLines implements RecordSink {
  private readonly observations: Json[] = []

  constructor(private readonly ctx: AdaptContext) {}

  push(record: unknown): void {
    if (!isObservation(record)) throw new RecordError('not a Langfuse observation {id, traceId, type, startTime}')
    this.observations.push(record)
  }

  finish(): TraceCard[] {
    return groupByTrace(this.observations)
      .map(t => buildCard(t, this.ctx, fileId(this.ctx.path)))
      .filter((c): c is TraceCard => c !== undefined)
  }
}

export const langfuseJsonlAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'langfuse',
  label: 'Langfuse observations (JSONL)',
  looksFor: LOOKS_FOR,
  sniff: records => records.length > 0 && records.every(isObservation),
  open: ctx => new ObservationLines(ctx),
}
