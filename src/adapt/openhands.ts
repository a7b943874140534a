/**
 * OpenHands event streams (trajectories saved by OpenHands, its tests'
 * `tests/runtime/trajs/*.json`): one JSON array of events, actions and the
 * observations they caused. See corpus FORMATS.md §6 and OpenHands'
 * `events/serialization/event.py` and `llm/metrics.py`.
 *
 * Traps handled here:
 * - an action's `tool_call_metadata.model_response` is the raw LiteLLM
 *   response of the call that chose it; the observation that answers the action,
 *   and sibling tool calls of the same response, repeat it: one LLM step per
 *   distinct `model_response.id`;
 * - LiteLLM-normalised usage: `prompt_tokens` includes cache reads and writes
 *   (basic.json: 4646 = 6 + 1158 written + 3482 read), or, OpenAI-style,
 *   `prompt_tokens_details.cached_tokens` (see `litellmTokens`);
 * - actions paired with their observations (`cause` = the action's `id`):
 *   `extras.exit_code` (or `extras.metadata.exit_code` in newer versions)
 *   non-zero, `observation: "error"`, a rejected action or `success: false` is
 *   an error;
 * - `finish` and `think` are function calls the model makes (to stop, to
 *   reason aloud) that the agent itself answers: nothing runs, and no
 *   observation answers `finish` (older versions none for `think` either). They
 *   become tool steps completed at once (status ok), so the tool calls counted
 *   match the calls the model issued and a repeated `think` can still be seen;
 *   the "thought logged" observation newer versions send completes it again;
 * - a person's and the agent's `message` actions are not tool calls; an agent
 *   message without `tool_call_metadata` is a reply whose usage OpenHands did
 *   not keep: an LLM step without tokens (warned), unless `llm_metrics` has it;
 * - `llm_metrics` is a cumulative snapshot. When it carries per-call
 *   `token_usages` (with `response_id`) and `costs` (appended together, one each
 *   per call, so matched by position), they give each call's tokens and
 *   recorded cost; newer OpenHands keeps only `accumulated_cost`, whose growth
 *   between snapshots is the recorded cost of the calls made in between. Either
 *   way `card.recorded.costUsd` is the last `accumulated_cost` and the recorded
 *   per-step costs are checked to sum to it;
 * - timestamps carry no zone: read as UTC.
 */
import {basename, posix} from 'node:path'
import {CardBuilder, computeTotals, tokenSum} from '../card/build.js'
import type {RecordedTotals, Step, Tokens, ToolStatus, TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {count, firstLine, isObject, num, obj, recordedUsd, str, type Json, typeName} from './fields.js'
import {splitAmount} from './split-estimate.js'
import {RecordError, type AdaptContext, type DocumentAdapter} from './types.js'
import {litellmTokens, splitPrompt} from './litellm.js'

/** An OpenHands `TokenUsage` (in `llm_metrics`) converted to the card's meaning. */
function openhandsUsageTokens(u: Json, path: string): Tokens {
  return splitPrompt(
    count(u, 'prompt_tokens', path),
    count(u, 'cache_read_tokens', path),
    count(u, 'cache_write_tokens', path),
    count(u, 'completion_tokens', path),
    0,
  )
}

/** Actions that run something in the environment and are answered by an observation. */
const RUNNABLE = new Set([
  'run',
  'run_ipython',
  'read',
  'write',
  'edit',
  'browse',
  'browse_interactive',
  'call_tool_mcp',
  'mcp',
  'delegate',
])
/** Function calls the agent answers itself (nothing runs): complete when issued. */
const NO_OBSERVATION = new Set(['finish', 'think'])

interface Snapshot {
  accumulatedCost: number
  /** LLM steps first seen since the previous snapshot. */
  steps: Step[]
}

class EventReader {
  readonly builder: CardBuilder
  private readonly llmByResponse = new Map<string, Step>()
  /** action event id → the call id of its tool step. */
  private readonly callByAction = new Map<string, string>()
  private pending: Step[] = []
  private readonly snapshots: Snapshot[] = []
  private lastMetrics: Json | undefined
  private perCall: {usages: unknown[]; costs: unknown[]} | undefined
  private lastTimestamp: string | undefined
  private title: string | undefined
  private exitStatus: string | undefined
  /** The bash session's directory after the last command (CmdOutputObservation metadata.working_dir). */
  private workingDir: string | undefined
  /** LLM steps without tokens: replies with no tool call, and responses without usage. */
  private readonly replyWithoutUsage = new Set<Step>()
  private readonly responseWithoutUsage = new Set<Step>()

  constructor(private readonly ctx: AdaptContext) {
    this.builder = new CardBuilder('openhands', ctx.path, ctx.redact)
  }

  event(e: unknown): void {
    if (!isObject(e)) throw new RecordError(`expected an event object, got ${typeName(e)}`)
    const at = toIso(e.timestamp)
    const meta = obj(e, 'tool_call_metadata', 'event')
    const metrics = obj(e, 'llm_metrics', 'event')
    const llm = meta ? this.llmCall(meta, at) : undefined
    if (typeof e.action === 'string') this.action(e, e.action, meta, llm, at)
    else if (typeof e.observation === 'string') this.observation(e, e.observation, meta, llm, at)
    if (metrics) this.metrics(metrics)
    this.builder.seen(at)
    if (at) this.lastTimestamp = at
  }

  /** The LLM step of a model_response, created on first sight. */
  private llmCall(meta: Json, at: string | undefined): Step | undefined {
    const response = obj(meta, 'model_response', 'tool_call_metadata')
    if (!response) return undefined
    const id = str(response, 'id')
    const known = id ? this.llmByResponse.get(id) : undefined
    if (known) return known
    const usage = obj(response, 'usage', 'tool_call_metadata.model_response')
    const tokens = usage ? litellmTokens(usage, 'tool_call_metadata.model_response.usage') : undefined
    const choice = Array.isArray(response.choices) && isObject(response.choices[0]) ? response.choices[0] : undefined
    const message = choice && isObject(choice.message) ? choice.message : undefined
    const step = this.builder.addLlm({
      id,
      model: str(response, 'model'),
      tokens,
      startedAt: this.lastTimestamp,
      endedAt: at,
      text: typeof message?.content === 'string' ? message.content : undefined,
      stopReason: str(choice, 'finish_reason'),
    })
    if (!tokens) this.responseWithoutUsage.add(step)
    if (id) this.llmByResponse.set(id, step)
    this.pending.push(step)
    return step
  }

  private action(e: Json, action: string, meta: Json | undefined, llm: Step | undefined, at: string | undefined): void {
    const eventId = e.id === undefined || e.id === null ? undefined : String(e.id)
    const source = str(e, 'source')
    // A condenser took earlier events out of the agent's context (OpenHands' CondensationAction: a range or a list of
    // event ids forgotten, a summary in their place): the next call starts from what is left.
    if (action === 'condensation') {
      this.builder.contextCompacted()
      return
    }
    if (meta) {
      const callId = str(meta, 'tool_call_id') ?? `action-${eventId ?? this.builder.steps.length}`
      // A call id used again by another action once the call before it has its result: a new call (a model that
      // numbers its calls anew after a condensation, DeepSeek's `toolu_28`), not the same call told twice.
      // (Or before it has one, when another model response made it: a call interrupted, its id sent again later.)
      const existing = this.builder.toolStep(callId)
      const reused =
        existing !== undefined &&
        (existing.tool!.status !== 'unknown' || (llm !== undefined && existing.parentStepId !== llm.id)) &&
        eventId !== undefined &&
        !this.callByAction.has(eventId)
      if (!existing || reused)
        this.addCall(llm, callId, str(meta, 'function_name') ?? action, callArguments(meta, callId) ?? e.args, at)
      if (eventId !== undefined) this.callByAction.set(eventId, callId)
      if (NO_OBSERVATION.has(action)) this.builder.resolveTool(callId, {status: 'ok', endedAt: at})
      if (action === 'finish') this.exitStatus = 'finished'
      return
    }
    if (action === 'message') {
      if (source === 'user') {
        this.builder.newTurn(messageText(e))
        this.title ??= firstLine(messageText(e))
      } else if (source === 'agent') {
        // A reply with no tool call: the call's usage was not kept (unless llm_metrics has its response id).
        const responseId = str(e, 'response_id')
        if (responseId && this.llmByResponse.has(responseId)) return
        const step = this.builder.addLlm({
          id: responseId,
          startedAt: this.lastTimestamp,
          endedAt: at,
          text: messageText(e),
        })
        if (responseId) this.llmByResponse.set(responseId, step)
        this.pending.push(step)
        this.replyWithoutUsage.add(step)
      }
      return
    }
    if (action === 'finish') {
      this.exitStatus = 'finished'
      return
    }
    if (source === 'agent' && RUNNABLE.has(action) && eventId !== undefined) {
      // Older, prompt-parsed agents: a runnable action with no function-call metadata.
      const callId = `action-${eventId}`
      this.addCall(undefined, callId, action, e.args ?? {}, at)
      this.callByAction.set(eventId, callId)
    }
  }

  /**
   * The folder a successful `cd DIR` (alone, or before `&&`) left the session in, where it can be placed: DIR absolute,
   * or relative to a folder known before it.
   */
  private cdTo(extras: Json | undefined): string | undefined {
    if (num(extras?.exit_code) !== 0) return undefined
    const m = CD.exec(str(extras, 'command') ?? '')
    const dir = m?.[1]?.replace(/^(["'])(.*)\1$/, '$2')
    if (!dir || /[$`~*?]/.test(dir)) return undefined
    if (dir.startsWith('/')) return posix.normalize(dir)
    return this.workingDir ? posix.resolve(this.workingDir, dir) : undefined
  }

  private addCall(llm: Step | undefined, callId: string, name: string, args: unknown, at: string | undefined): void {
    const step = this.builder.addToolCall(llm, callId, name, args ?? {}, at)
    // The bash session keeps its directory between commands: a command runs where the last one left it.
    if (this.workingDir) step.cwd = this.workingDir
  }

  private observation(
    e: Json,
    observation: string,
    meta: Json | undefined,
    llm: Step | undefined,
    at: string | undefined,
  ): void {
    const extras = obj(e, 'extras', 'event')
    if (observation === 'agent_state_changed') {
      const state = str(extras, 'agent_state')
      if (state) this.exitStatus = state
      return
    }
    const cause = e.cause === undefined || e.cause === null ? undefined : String(e.cause)
    let callId = cause === undefined ? undefined : this.callByAction.get(cause)
    if (!callId && meta) {
      // The action is missing from the stream: its observation still names the call.
      callId = str(meta, 'tool_call_id')
      if (callId && !this.builder.toolStep(callId))
        this.addCall(llm, callId, str(meta, 'function_name') ?? observation, callArguments(meta, callId) ?? {}, at)
    }
    if (!callId) return
    const metadata = extras && isObject(extras.metadata) ? extras.metadata : undefined
    // Older observations say nothing of the folder: a `cd` the bash session ran (and kept) says where it is now.
    this.workingDir = str(metadata, 'working_dir') ?? (metadata ? undefined : this.cdTo(extras)) ?? this.workingDir
    const exitCode = num(extras?.exit_code) ?? num(metadata?.exit_code)
    let status: ToolStatus = 'ok'
    // exit_code -1 is OpenHands' "no exit code" (the command timed out or still runs): not a success either.
    if (observation === 'error' || observation === 'user_rejected' || e.success === false) status = 'error'
    else if (exitCode !== undefined && exitCode !== 0) status = 'error'
    // The file editor's refusal, told as an edit or as its read (`ERROR:\nNo replacement was performed, old_str …`);
    // not a plain read of a file whose text starts so (a log).
    else if (
      (observation === 'edit' || (observation === 'read' && str(extras, 'impl_source') === 'oh_aci')) &&
      EDITOR_ERROR.test(str(e, 'content') ?? '')
    )
      status = 'error'
    // What the agent read: the content and the bash tool's note after it (OpenHands appends `metadata.suffix`), when
    // the note says more than that the command completed (it was not run, it still runs with no new output).
    const suffix = str(metadata, 'suffix')
    const content = typeof e.content === 'string' ? e.content : ''
    this.builder.resolveTool(callId, {
      status,
      exitCode,
      output: suffix && !PLAIN_COMPLETION.test(suffix) ? content + suffix : content,
      endedAt: at,
    })
  }

  private metrics(m: Json): void {
    const acc = m.accumulated_cost
    if (acc !== undefined && acc !== null && (typeof acc !== 'number' || !(acc >= 0))) {
      throw new RecordError(
        `llm_metrics.accumulated_cost: expected a non-negative number, got ${typeof acc === 'number' ? acc : typeName(acc)}`,
      )
    }
    this.lastMetrics = m
    if (Array.isArray(m.token_usages) && m.token_usages.length > 0) {
      this.perCall = {usages: m.token_usages, costs: Array.isArray(m.costs) ? m.costs : []}
    }
    if (typeof acc === 'number') {
      this.snapshots.push({accumulatedCost: acc, steps: this.pending})
      this.pending = []
    }
  }

  /** Per-call lists: each call's tokens and recorded cost, matched by response id and position. */
  private applyPerCall(usages: unknown[], costs: unknown[]): number {
    const aligned = costs.length === usages.length
    if (!aligned)
      this.builder.warn(
        `llm_metrics lists ${usages.length} token usage(s) but ${costs.length} cost(s): costs cannot be matched to calls`,
      )
    let added = 0
    let sum = 0
    // (A cost that is no amount is said once, here, and counted nowhere.)
    const valid = costs.map((c, i) =>
      isObject(c)
        ? recordedUsd(c.cost, `llm_metrics.costs[${i}].cost`, reason => this.ctx.skip(undefined, reason))
        : undefined,
    )
    for (const usd of valid) sum += usd ?? 0
    usages.forEach((u, i) => {
      if (!isObject(u)) return
      const path = `llm_metrics.token_usages[${i}]`
      const responseId = str(u, 'response_id')
      let tokens: Tokens
      try {
        tokens = openhandsUsageTokens(u, path)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        this.ctx.skip(undefined, error.message)
        return
      }
      let step = responseId ? this.llmByResponse.get(responseId) : undefined
      if (!step) {
        // A call no event shows (a condenser's summary, a reply whose action was not saved).
        step = this.builder.addLlm({id: responseId || undefined, model: str(u, 'model'), tokens})
        added++
      } else if (!step.tokens) {
        step.tokens = tokens
        this.replyWithoutUsage.delete(step)
        this.responseWithoutUsage.delete(step)
      }
      const usd = aligned ? valid[i] : undefined
      if (usd !== undefined) setRecorded(step, usd)
    })
    if (added)
      this.builder.warn(
        `${added} call(s) in llm_metrics appear in no event (e.g. condenser calls): added after the events`,
      )
    return sum
  }

  /** Cumulative snapshots only: the growth of accumulated_cost is the cost of the calls made in between. */
  private applyDiffs(): number {
    let previous = 0
    let unattributed = 0
    let split = 0
    for (const snap of this.snapshots) {
      let diff = snap.accumulatedCost - previous
      if (diff < -1e-12) {
        this.builder.warn(
          'llm_metrics.accumulated_cost went down (the metrics were reset): its new value counted as new cost',
        )
        diff = snap.accumulatedCost
      }
      previous = snap.accumulatedCost
      // Only growth is attributed: a cost of 0 means "not tracked" as often as "free".
      if (diff <= 0) continue
      const steps = snap.steps
      if (steps.length === 1) {
        setRecorded(steps[0]!, diff)
      } else if (steps.length === 0) {
        const step = this.builder.addLlm({model: this.metricsModel()})
        setRecorded(step, diff)
        unattributed++
      } else {
        splitRecorded(steps, diff)
        split++
      }
    }
    if (unattributed) {
      this.builder.warn(
        `accumulated_cost grew ${unattributed} time(s) with no LLM call in the events (e.g. condenser calls): ` +
          'added as steps with the recorded cost and no tokens',
      )
    }
    if (split)
      this.builder.warn(
        `${split} cost increase(s) covered several calls: split by their tokens (cost marked estimated)`,
      )
    return previous
  }

  private metricsModel(): string | undefined {
    const usage =
      this.lastMetrics && isObject(this.lastMetrics.accumulated_token_usage)
        ? this.lastMetrics.accumulated_token_usage
        : undefined
    const model = str(usage, 'model')
    return model && model !== 'default' ? model : undefined
  }

  /** A title the document gives the conversation, before any the events suggest. */
  titled(title: string | undefined): void {
    if (title) this.title = title
  }

  build(): TraceCard {
    const b = this.builder
    let recordedSum: number | undefined
    const lastAcc = this.lastMetrics
      ? recordedUsd(this.lastMetrics.accumulated_cost, 'llm_metrics.accumulated_cost', reason =>
          this.ctx.skip(undefined, reason),
        )
      : undefined
    if (this.perCall) recordedSum = this.applyPerCall(this.perCall.usages, this.perCall.costs)
    else if (this.snapshots.length) recordedSum = this.applyDiffs()
    if (this.responseWithoutUsage.size) {
      b.warn(`${this.responseWithoutUsage.size} model response(s) carry no usage: counted as LLM calls without tokens`)
    }
    if (this.replyWithoutUsage.size) {
      b.warn(
        `${this.replyWithoutUsage.size} agent message(s) without tool_call_metadata: ` +
          'counted as LLM calls without tokens (OpenHands kept no usage for them)',
      )
    }
    if (lastAcc !== undefined && recordedSum !== undefined && Math.abs(recordedSum - lastAcc) > 1e-9) {
      b.warn(
        `the recorded per-call costs sum to $${recordedSum.toFixed(6)} but the last accumulated_cost is $${lastAcc.toFixed(6)}`,
      )
    }
    const recorded = this.recorded(lastAcc)
    const card = b.build({id: basename(this.ctx.path).replace(/\.json$/i, ''), title: this.title})
    if (recorded) card.recorded = recorded
    if (this.exitStatus) card.task = {outcome: {exitStatus: this.exitStatus, source: 'openhands event stream'}}
    return card
  }

  /** The totals of the last llm_metrics snapshot, checked against the steps' tokens. */
  private recorded(lastAcc: number | undefined): RecordedTotals | undefined {
    if (!this.lastMetrics) return undefined
    const recorded: RecordedTotals = {source: 'openhands llm_metrics'}
    if (lastAcc !== undefined) recorded.costUsd = lastAcc
    const acc = this.lastMetrics.accumulated_token_usage
    if (!isObject(acc)) return recorded
    try {
      const r = openhandsUsageTokens(acc, 'llm_metrics.accumulated_token_usage')
      recorded.tokens = r
      const t = computeTotals(this.builder.steps).tokens
      if (
        t.input !== r.input ||
        t.output !== r.output ||
        t.cacheRead !== r.cacheRead ||
        t.cacheWrite !== r.cacheWrite
      ) {
        this.builder.warn(
          "the steps' tokens differ from llm_metrics.accumulated_token_usage (calls missing from the events?)",
        )
      }
    } catch (error) {
      if (!(error instanceof RecordError)) throw error
      this.ctx.skip(undefined, error.message)
    }
    return recorded
  }
}

/** Records a cost the source gave for a step: priced from tokens when it has them, else the recorded figure stands. */
function setRecorded(step: Step, usd: number): void {
  step.cost = step.tokens
    ? {usd: null, source: 'unpriced', recordedUsd: usd}
    : {usd, source: 'recorded', recordedUsd: usd}
}

/** Splits one recorded cost over several calls by their tokens (the shares sum to the whole). */
function splitRecorded(steps: Step[], usd: number): void {
  const shares = splitAmount(
    usd,
    steps.map(s => (s.tokens ? tokenSum(s.tokens) : 0)),
  )
  steps.forEach((step, i) => {
    step.cost = {usd: shares[i]!, source: 'estimated', recordedUsd: shares[i]!}
  })
}

/** The bash tool's note that a command ran to its end (`[The command completed with exit code 0.]`): nothing more. */
const PLAIN_COMPLETION = /^\s*\[The command completed with exit code -?\d+\.\]\s*$/

/** What OpenHands' file editor returns when it refuses a command (its ToolError), before the reason. */
const EDITOR_ERROR = /^ERROR:\r?\n/

/** The arguments of a tool call, from the model's own response (the JSON it wrote), when there. */
function callArguments(meta: Json, callId: string): unknown {
  const response = isObject(meta.model_response) ? meta.model_response : undefined
  const choices = response && Array.isArray(response.choices) ? response.choices : []
  for (const choice of choices) {
    const calls =
      isObject(choice) && isObject(choice.message) && Array.isArray(choice.message.tool_calls)
        ? choice.message.tool_calls
        : []
    for (const call of calls) {
      if (!isObject(call) || call.id !== callId || !isObject(call.function)) continue
      const args = call.function.arguments
      if (typeof args !== 'string') return args
      try {
        return JSON.parse(args) as unknown
      } catch {
        return args
      }
    }
  }
  return undefined
}

function messageText(e: Json): string | undefined {
  const args = isObject(e.args) ? e.args : undefined
  return str(args, 'content') ?? str(e, 'message')
}

/**
 * The events of a document: the array itself, or the array of an object that holds them as `events` (an exported
 * conversation) or as `trajectory` (what OpenHands' server answers at `/api/conversations/{id}/trajectory`).
 */
function eventsOf(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc
  if (!isObject(doc)) return undefined
  return Array.isArray(doc.events) ? doc.events : Array.isArray(doc.trajectory) ? doc.trajectory : undefined
}

function isEvent(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.source === 'string' &&
    (typeof value.action === 'string' || typeof value.observation === 'string')
  )
}

/** `cd DIR` alone on the line, or before `&&`: the folder the bash session is left in. */
const CD = /^\s*cd\s+("[^"]*"|'[^']*'|[^\s;&|]+)\s*(?:&&|$)/

export const openhandsAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'openhands',
  label: 'OpenHands event stream',
  looksFor:
    "a JSON array of events {id, timestamp, source, action|observation, args|extras, cause?, tool_call_metadata?}, or an object holding it as `events` (an exported conversation) or `trajectory` (the server's trajectory endpoint)",
  sniff(doc) {
    const events = eventsOf(doc)
    if (!events?.length) return false
    const head = events.slice(0, 8)
    return head.every(isEvent)
  },
  parse(doc, ctx) {
    const events = eventsOf(doc)
    if (!events)
      throw new RecordError('expected a JSON array of events, or an object holding one as `events` or `trajectory`')
    const reader = new EventReader(ctx)
    // A conversation exported with its events (OpenHands Cloud's API answers `{events: [...]}`; an export keeps the
    // conversation's record beside them): its title names the trace.
    const conversation = isObject(doc) && isObject(doc.conversation) ? doc.conversation : undefined
    reader.titled(str(conversation, 'title'))
    events.forEach((e, i) => {
      try {
        reader.event(e)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        const id = isObject(e) && (typeof e.id === 'number' || typeof e.id === 'string') ? ` (id ${e.id})` : ''
        ctx.skip(undefined, `event ${i}${id}: ${error.message}`)
      }
    })
    return [reader.build()]
  },
}
