/**
 * Raw provider API logs: JSONL of request/response pairs as a proxy or an SDK
 * hook writes them (`{request, response}`, each the body itself or an
 * envelope `{url, method, headers, body, status}`; the body an object, a JSON
 * string or an SSE stream), or bare response bodies one per line. OpenAI Chat
 * Completions / Responses, Anthropic Messages, Gemini and TGI bodies are
 * read (see provider-response.ts); logprobs become the step's uncertainty.
 *
 * Traps handled here (besides those of api-calls.ts): a streamed response is
 * logged as its SSE text, whose usage sits on the last chunk (Chat), in
 * `response.completed` (Responses) or split over `message_start` and
 * `message_delta` (Anthropic); a line may carry a session, trace, conversation,
 * run or thread id, which groups calls into one card per id.
 */
import {basename} from 'node:path'
import type {TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {ApiCallCards} from './api-calls.js'
import {expectObject, isObject, num, str, type Json} from './fields.js'
import {looksLikeResponse, looksLikeSse, readBody, readRequestBody} from './provider-response.js'
import {RecordError, type AdaptContext, type JsonlAdapter, type RecordSink} from './types.js'

/** The body of a logged request or response: the envelope's `body`, or the value itself. */
function bodyOf(side: unknown): unknown {
  if (isObject(side) && 'body' in side && !('choices' in side) && !('model' in side && 'messages' in side))
    return side.body
  return side
}

function statusOf(record: Json, response: unknown): number | undefined {
  const envelope = isObject(response) ? response : undefined
  return num(envelope?.status) ?? num(envelope?.status_code) ?? num(record.status) ?? num(record.status_code)
}

function traceIdOf(record: Json): string | undefined {
  const meta = isObject(record.metadata) ? record.metadata : undefined
  return (
    str(record, 'session_id') ??
    str(record, 'trace_id') ??
    str(record, 'conversation_id') ??
    // (An agent's thread or run: the calls of one are one trace, a log of several runs is not one session. A thread
    // first: in OpenAI's Assistants API a run is one turn of a thread.)
    str(record, 'thread_id') ??
    str(record, 'run_id') ??
    str(meta, 'session_id') ??
    str(meta, 'trace_id') ??
    str(meta, 'run_id')
  )
}

function timeOf(record: Json, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const at = toIso(record[key])
    if (at) return at
  }
  return undefined
}

/** Whether a logged response side holds something aco can read. */
function responseReadable(side: unknown): boolean {
  const body = bodyOf(side)
  if (typeof body === 'string') {
    const t = body.trimStart()
    if (looksLikeSse(t)) return true
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return looksLikeResponse(JSON.parse(t))
      } catch {
        return false
      }
    }
    return false
  }
  return looksLikeResponse(body)
}

function isPair(r: unknown): r is Json {
  return isObject(r) && ('response' in r || 'response_body' in r) && ('request' in r || 'request_body' in r)
}

class ApiLogSink implements RecordSink {
  private readonly calls: ApiCallCards

  constructor(ctx: AdaptContext) {
    this.calls = new ApiCallCards(
      'api-log',
      ctx.path,
      basename(ctx.path).replace(/\.(jsonl|ndjson|json|log)$/i, ''),
      ctx.redact,
    )
  }

  push(raw: unknown, line: number): void {
    const record = expectObject(raw)
    if (isPair(record)) {
      const requestSide = record.request ?? record.request_body
      const responseSide = record.response ?? record.response_body
      const requestEnvelope = isObject(requestSide) ? requestSide : undefined
      const call = readBody(bodyOf(responseSide))
      const status = statusOf(record, responseSide)
      if (!call && (status === undefined || status < 400))
        throw new RecordError('response: not a body aco can read (OpenAI, Anthropic, Gemini or TGI, as JSON or SSE)')
      this.calls.add({
        call,
        request: readRequestBody(bodyOf(requestSide)),
        url: str(requestEnvelope, 'url') ?? str(record, 'url'),
        status,
        startedAt:
          timeOf(record, 'start_time', 'startTime', 'timestamp', 'created_at', 'time') ??
          timeOf(requestEnvelope ?? {}, 'timestamp'),
        endedAt:
          timeOf(record, 'end_time', 'endTime') ??
          (isObject(responseSide) ? timeOf(responseSide, 'timestamp') : undefined),
        line,
        traceId: traceIdOf(record),
      })
      return
    }
    const call = readBody(record)
    if (!call) throw new RecordError('not a request/response pair nor a provider response')
    this.calls.add({call, line, traceId: traceIdOf(record)})
  }

  finish(): TraceCard[] {
    return this.calls.finish()
  }
}

export const apiLogAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'api-log',
  label: 'Provider API log (request/response pairs)',
  looksFor:
    'JSONL of {request, response} pairs or bare responses of the OpenAI (Chat Completions, Responses), Anthropic Messages, Gemini or TGI APIs, bodies as objects, JSON strings or SSE streams',
  sniff(records) {
    let votes = 0
    for (const r of records) {
      if (r === undefined) continue
      if (isPair(r)) {
        if (!responseReadable(r.response ?? r.response_body)) return false
      } else if (!looksLikeResponse(r)) return false
      votes++
    }
    return votes > 0
  },
  open: ctx => new ApiLogSink(ctx),
}
