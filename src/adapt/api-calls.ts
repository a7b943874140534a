/**
 * Cards from recorded provider calls (proxy logs, SDK hooks, HTTP cassettes):
 * each request/response pair is one LLM step; the tool calls a response
 * issued become tool steps, completed when a later request sends their
 * results back (`role: "tool"` messages, Anthropic `tool_result` blocks,
 * Responses `function_call_output` items, Gemini `functionResponse` parts).
 *
 * Traps handled here:
 * - the same response logged twice (a retry of the logging, a duplicated
 *   cassette interaction) is one call: deduplicated by response id;
 * - a failed request (HTTP 4xx/5xx, an `error` body) billed nothing and
 *   is not counted as a call; it is said in a warning;
 * - a response's own `total_tokens` / `totalTokenCount` is checked against
 *   the tokens the card counts for it;
 * - the model comes from the response, else the request, else (Gemini) the URL.
 */
import {CardBuilder, type RedactMode, tokenSum} from '../card/build.js'
import type {FormatId, Step, TraceCard} from '../card/types.js'
import {modelFromUrl, type ApiCall, type ApiRequest} from './provider-response.js'

export interface RecordedCall {
  call: ApiCall | undefined
  request?: ApiRequest
  url?: string
  /** HTTP status, when the log has it. */
  status?: number
  startedAt?: string
  endedAt?: string
  line?: number
  /** Groups calls into traces (a session or conversation id the log carries). */
  traceId?: string
}

class TraceCalls {
  readonly builder: CardBuilder
  readonly byResponseId = new Map<string, Step>()
  readonly pendingByName = new Map<string, string[]>()
  duplicates = 0
  failed = 0
  totalMismatch = 0
  withoutUsage = 0
  promptUncounted = 0
  /** Whether a call's usage counts the prompt cache (its hit rate is then recorded, 0% included). */
  cacheRecorded = false

  constructor(format: FormatId, path: string, redact: RedactMode) {
    this.builder = new CardBuilder(format, path, redact)
  }
}

/** Collects recorded calls, one card per trace id (one card when the log carries none). */
export class ApiCallCards {
  private readonly traces = new Map<string, TraceCalls>()

  constructor(
    private readonly format: FormatId,
    private readonly path: string,
    private readonly defaultId: string,
    private readonly redact: RedactMode,
  ) {}

  private trace(id: string | undefined): TraceCalls {
    const key = id ?? ''
    let t = this.traces.get(key)
    if (!t) {
      t = new TraceCalls(this.format, this.path, this.redact)
      this.traces.set(key, t)
    }
    return t
  }

  add(r: RecordedCall): void {
    const t = this.trace(r.traceId)
    const b = t.builder
    // Tool results the request sends back complete the tool steps of earlier calls.
    for (const result of r.request?.toolResults ?? []) {
      let callId = result.callId
      if (!callId && result.name) callId = t.pendingByName.get(result.name)?.shift()
      if (!callId) continue
      if (b.toolStep(callId)?.tool?.status !== 'unknown') continue
      b.resolveTool(callId, {status: result.isError ? 'error' : 'ok', output: result.output, endedAt: r.startedAt})
    }
    const call = r.call
    const httpFailed = r.status !== undefined && r.status >= 400
    if (httpFailed || !call || call.error) {
      if (httpFailed || call?.error) t.failed++
      b.seen(r.startedAt)
      return
    }
    if (call.id) {
      const known = t.byResponseId.get(call.id)
      if (known) {
        t.duplicates++
        return
      }
    }
    const model = call.model ?? r.request?.model ?? modelFromUrl(r.url)
    if (call.api === 'tgi') t.promptUncounted++
    if (call.cacheRecorded) t.cacheRecorded = true
    if (!call.tokens) t.withoutUsage++
    else if (call.totalTokens !== undefined && tokenSum(call.tokens) !== call.totalTokens) t.totalMismatch++
    const step = b.addLlm({
      id: call.id,
      model,
      tokens: call.tokens,
      startedAt: r.startedAt ?? call.createdAt,
      endedAt: r.endedAt,
      text: call.text,
      stopReason: call.stopReason,
      line: r.line,
    })
    if (call.uncertainty) step.uncertainty = call.uncertainty
    if (call.id) t.byResponseId.set(call.id, step)
    call.toolCalls.forEach((tc, i) => {
      const callId = tc.id || `${step.id}-call${i + 1}`
      b.addToolCall(step, callId, tc.name, tc.arguments, r.endedAt ?? r.startedAt, r.line)
      const pending = t.pendingByName.get(tc.name) ?? []
      pending.push(callId)
      t.pendingByName.set(tc.name, pending)
    })
  }

  finish(): TraceCard[] {
    const cards: TraceCard[] = []
    for (const [id, t] of this.traces) {
      const b = t.builder
      if (b.steps.length === 0 && t.failed === 0) continue
      if (t.duplicates) b.warn(`${t.duplicates} response(s) logged more than once (same response id): counted once`)
      if (t.failed)
        b.warn(`${t.failed} failed request(s) (HTTP error or an error body): no tokens billed, not counted as calls`)
      if (t.promptUncounted)
        b.warn(
          `${t.promptUncounted} TGI response(s) count only the generated tokens: their prompt tokens are not known`,
        )
      if (t.withoutUsage) b.warn(`${t.withoutUsage} response(s) carry no usage: counted as calls without tokens`)
      if (t.totalMismatch)
        b.warn(`${t.totalMismatch} response(s) whose usage does not add up to their own total_tokens`)
      const unresolved = b.steps.filter(s => s.tool?.status === 'unknown').length
      if (unresolved) b.warn(`${unresolved} tool call(s) whose result no later request carries: status unknown`)
      const card = b.build({id: id || this.defaultId, sessionId: id || undefined})
      if (t.cacheRecorded) card.source.recordsCache = true
      cards.push(card)
    }
    return cards
  }
}
