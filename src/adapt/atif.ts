/**
 * The Agent Trajectory Interchange Format (ATIF), which Harbor writes for
 * Terminal-Bench runs (`<trial>/agent/trajectory.json`): `{schema_version:
 * "ATIF-v1.x", session_id, agent: {name, version, model_name}, steps: [{step_id,
 * source: system|user|agent, message, model_name, tool_calls, observation,
 * metrics}], final_metrics}` (spec: harbor docs/rfcs/0001-trajectory-format.md).
 *
 * Traps handled here (checked on real Harbor trajectories, test/corpus-extra/atif):
 * - Harbor's Claude Code converter writes one agent step per content block of a
 *   response, and only the first carries the call's `metrics`: an agent step
 *   with metrics is an LLM call; one without metrics (when others have them)
 *   adds its tool calls and text to the call before it, so calls are not
 *   counted once per block (sample 03: 14 steps, 8 calls, Σ prompt_tokens =
 *   total_prompt_tokens exactly);
 * - Harbor's Codex converter writes no per-step metrics at all, only
 *   `final_metrics`: a call starts at the first agent step after a user
 *   step and after each step whose tool results came back; the totals are
 *   split over those calls (marked estimated) and still sum exactly;
 * - `prompt_tokens` includes `cached_tokens` (spec v1.2) and, for Anthropic,
 *   the cache writes kept in `metrics.extra.cache_creation_input_tokens`;
 *   reasoning is in `metrics.extra.reasoning_tokens` (per step) or
 *   `final_metrics.extra.reasoning_output_tokens` (total);
 * - `metrics.cost_usd` is kept as the recorded cost; `final_metrics` are the
 *   trajectory's own totals, checked against the card's;
 * - tool results come back in `observation.results[].source_call_id`;
 *   `extra.tool_result_is_error` (Harbor) marks a failed tool;
 * - `metrics.logprobs` become the step's uncertainty;
 * - embedded `subagent_trajectories` (v1.7) become child cards under the
 *   step whose result references them;
 * - how the task ended is not in the trajectory: it comes from the trial's
 *   `result.json` and the verifier's `ctrf.json` beside it (harbor-siblings.ts).
 */
import {CardBuilder, tokenSum} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {firstLine, isObject, optCount, recordedUsd, str, type Json, typeName} from './fields.js'
import {HARBOR_COMPANIONS, harborTrial} from './harbor-siblings.js'
import {splitPrompt} from './litellm.js'
import {addBareLogprobs, UncertaintyAccumulator} from './logprobs.js'
import {splitAmount, splitInteger} from './split-estimate.js'
import {RecordError, type AdaptContext, type DocumentAdapter} from './types.js'

function isAtif(doc: unknown): doc is Json {
  if (!isObject(doc) || !Array.isArray(doc.steps) || !isObject(doc.agent)) return false
  const version = str(doc, 'schema_version')
  if (version && /^ATIF-v/i.test(version)) return true
  const first = doc.steps[0]
  return isObject(first) && 'step_id' in first && typeof first.source === 'string'
}

function stepTokens(metrics: Json, where: string): Tokens {
  const extra = isObject(metrics.extra) ? metrics.extra : {}
  const prompt = optCount(metrics, 'prompt_tokens', where) ?? 0
  const completion = optCount(metrics, 'completion_tokens', where) ?? 0
  const cached =
    optCount(metrics, 'cached_tokens', where) ?? optCount(extra, 'cache_read_input_tokens', `${where}.extra`) ?? 0
  const written = optCount(extra, 'cache_creation_input_tokens', `${where}.extra`) ?? 0
  const reasoning = optCount(extra, 'reasoning_tokens', `${where}.extra`) ?? 0
  return splitPrompt(prompt, cached, written, completion, reasoning)
}

interface Call {
  step: Step
  /** Text length of the call's message, the weight of its share of output tokens when only totals exist. */
  chars: number
}

class AtifReader {
  readonly b: CardBuilder
  private readonly calls: Call[] = []
  private current: Call | undefined
  private continuations = 0
  private sawMetrics: boolean
  private resultsSeen = true
  private title: string | undefined
  private readonly childIds = new Map<string, Step>()
  /** Says a field not read (a cost that is no amount), the rest of its record read. */
  private readonly skip: (reason: string) => void

  constructor(
    private readonly doc: Json,
    private readonly ctx: AdaptContext,
  ) {
    this.skip = reason => ctx.skip(undefined, reason)
    this.b = new CardBuilder('atif', ctx.path, ctx.redact)
    this.sawMetrics = (doc.steps as unknown[]).some(s => isObject(s) && s.source === 'agent' && isObject(s.metrics))
  }

  read(): TraceCard {
    const steps = this.doc.steps as unknown[]
    const agent = this.doc.agent as Json
    const defaultModel = str(agent, 'model_name')
    steps.forEach((raw, i) => {
      try {
        this.step(raw, i, defaultModel)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        this.ctx.skip(undefined, `steps[${i}]: ${error.message}`)
      }
    })
    const recorded = this.finalMetrics()
    const b = this.b
    if (this.continuations)
      b.warn(
        this.sawMetrics
          ? `${this.continuations} agent step(s) without metrics read as more content of the call before them (Harbor writes one step per content block; the first carries the call's metrics)`
          : `${this.continuations} agent step(s) read as more content of the call before them (a call ends when tool results come back)`,
      )
    const unresolved = b.steps.filter(s => s.tool?.status === 'unknown').length
    if (unresolved) b.warn(`${unresolved} tool call(s) with no result in an observation: status unknown`)
    const id = str(this.doc, 'session_id') ?? str(this.doc, 'trajectory_id') ?? 'atif'
    const card = b.build({id, title: this.title, toolVersion: str(agent, 'version'), originator: str(agent, 'name')})
    card.sessionId = id
    if (recorded) card.recorded = recorded
    this.children(card)
    return card
  }

  private step(raw: unknown, i: number, defaultModel: string | undefined): void {
    if (!isObject(raw)) throw new RecordError(`expected a step object, got ${typeName(raw)}`)
    const source = str(raw, 'source')
    const at = toIso(raw.timestamp)
    const message = typeof raw.message === 'string' ? raw.message : undefined
    if (source === 'user') {
      this.b.newTurn(message)
      this.title ??= firstLine(message)
      this.current = undefined
      this.resultsSeen = true
      this.b.seen(at)
      return
    }
    if (source !== 'agent') {
      this.b.seen(at)
      return
    }
    const metrics = isObject(raw.metrics) ? raw.metrics : undefined
    const startsCall = this.sawMetrics ? metrics !== undefined || !this.current : !this.current || this.resultsSeen
    if (startsCall) {
      const tokens = metrics ? stepTokens(metrics, `steps[${i}].metrics`) : undefined
      const step = this.b.addLlm({
        id: raw.step_id === undefined ? undefined : `step-${raw.step_id}`,
        model: str(raw, 'model_name') ?? defaultModel,
        tokens,
        startedAt: at,
        text: message,
        stopReason: isObject(raw.extra) ? str(raw.extra, 'stop_reason') : undefined,
      })
      const cost = metrics ? recordedUsd(metrics.cost_usd, `steps[${i}].metrics.cost_usd`, this.skip) : undefined
      if (cost !== undefined)
        step.cost = tokens
          ? {usd: null, source: 'unpriced', recordedUsd: cost}
          : {usd: cost, source: 'recorded', recordedUsd: cost}
      if (metrics && Array.isArray(metrics.logprobs)) {
        const acc = new UncertaintyAccumulator()
        addBareLogprobs(acc, metrics.logprobs)
        const u = acc.result()
        if (u) step.uncertainty = u
      }
      this.current = {step, chars: message?.length ?? 0}
      this.calls.push(this.current)
    } else {
      this.continuations++
      if (message && !/^Executed \S+/.test(message)) {
        this.b.appendText(this.current!.step, message)
        this.current!.chars += message.length
      }
      this.b.seen(at)
    }
    this.resultsSeen = false
    const call = this.current!.step
    const toolCalls = Array.isArray(raw.tool_calls) ? raw.tool_calls : []
    toolCalls.forEach((tc, k) => {
      if (!isObject(tc)) return
      const id = str(tc, 'tool_call_id') || `${call.id}-call${this.b.steps.length}-${k + 1}`
      this.b.addToolCall(call, id, str(tc, 'function_name') ?? 'unknown', tc.arguments ?? {}, at)
    })
    const observation = isObject(raw.observation) ? raw.observation : undefined
    const results = observation && Array.isArray(observation.results) ? observation.results : []
    const isError = isObject(raw.extra) && raw.extra.tool_result_is_error === true
    for (const r of results) {
      if (!isObject(r)) continue
      const callId = str(r, 'source_call_id')
      if (callId && this.b.toolStep(callId)) {
        this.b.resolveTool(callId, {
          status: isError ? 'error' : 'ok',
          output: typeof r.content === 'string' ? r.content : '',
        })
        this.resultsSeen = true
      }
      for (const ref of Array.isArray(r.subagent_trajectory_ref) ? r.subagent_trajectory_ref : []) {
        const sid = isObject(ref) ? str(ref, 'session_id') : undefined
        if (!sid) continue
        const owner = (callId && this.b.toolStep(callId)) || call
        owner.childTraceIds = [...(owner.childTraceIds ?? []), sid]
        this.childIds.set(sid, owner)
      }
    }
  }

  /** `final_metrics`: the recorded totals; with no per-step metrics, split over the calls (estimated). */
  private finalMetrics(): TraceCard['recorded'] {
    const fm = isObject(this.doc.final_metrics) ? this.doc.final_metrics : undefined
    if (!fm) return undefined
    const where = 'final_metrics'
    const extra = isObject(fm.extra) ? fm.extra : {}
    const prompt = optCount(fm, 'total_prompt_tokens', where)
    const completion = optCount(fm, 'total_completion_tokens', where)
    const cached =
      optCount(fm, 'total_cached_tokens', where) ??
      optCount(extra, 'total_cache_read_input_tokens', `${where}.extra`) ??
      0
    const written = optCount(extra, 'total_cache_creation_input_tokens', `${where}.extra`) ?? 0
    const reasoning = optCount(extra, 'reasoning_output_tokens', `${where}.extra`) ?? 0
    const cost = recordedUsd(fm.total_cost_usd, `${where}.total_cost_usd`, this.skip)
    const recorded: NonNullable<TraceCard['recorded']> = {source: 'ATIF final_metrics'}
    let total: Tokens | undefined
    if (prompt !== undefined || completion !== undefined) {
      total = splitPrompt(prompt ?? 0, cached, written, completion ?? 0, reasoning)
      recorded.tokens = total
    }
    if (cost !== undefined && cost >= 0) recorded.costUsd = cost
    const calls = this.calls
    if (!this.sawMetrics && calls.length > 0) {
      if (total) this.splitTotals(total)
      if (recorded.costUsd !== undefined) {
        const shares = splitAmount(
          recorded.costUsd,
          calls.map(c => (c.step.tokens ? tokenSum(c.step.tokens) : 1)),
        )
        calls.forEach((c, i) => {
          c.step.cost = {usd: shares[i]!, source: 'estimated', recordedUsd: shares[i]!}
        })
      }
      this.b.warn(
        `no per-step metrics: the ${calls.length} call(s) read from the steps share final_metrics (estimated; they sum to it exactly)`,
      )
    } else if (total) {
      const sum = {input: 0, output: 0, cacheRead: 0, cacheWrite: 0}
      for (const c of calls)
        if (c.step.tokens) {
          sum.input += c.step.tokens.input
          sum.output += c.step.tokens.output
          sum.cacheRead += c.step.tokens.cacheRead
          sum.cacheWrite += c.step.tokens.cacheWrite
        }
      const mine = sum.input + sum.cacheRead + sum.cacheWrite
      if (mine !== total.input + total.cacheRead + total.cacheWrite || sum.output !== total.output)
        this.b.warn(
          `the steps' metrics add up to ${mine} prompt and ${sum.output} completion tokens; final_metrics says ${prompt ?? 0} and ${completion ?? 0}`,
        )
    }
    return recorded
  }

  /** Splits total tokens over calls: prompt parts equally, output by message length. */
  private splitTotals(total: Tokens): void {
    const calls = this.calls
    const even = calls.map(() => 1)
    const byText = calls.map(c => c.chars + 1)
    const input = splitInteger(total.input, even)
    const cacheRead = splitInteger(total.cacheRead, even)
    const cacheWrite = splitInteger(total.cacheWrite, even)
    const output = splitInteger(total.output, byText)
    const reasoning = splitInteger(total.reasoning, byText)
    calls.forEach((c, i) => {
      c.step.tokens = {
        input: input[i]!,
        output: output[i]!,
        cacheRead: cacheRead[i]!,
        cacheWrite: cacheWrite[i]!,
        reasoning: Math.min(reasoning[i]!, output[i]!),
      }
      c.step.estimated = true
    })
  }

  /** Embedded subagent trajectories (v1.7) as child cards under the step that references them. */
  private children(card: TraceCard): void {
    const subs = Array.isArray(this.doc.subagent_trajectories) ? this.doc.subagent_trajectories : []
    for (const sub of subs) {
      if (!isAtif(sub)) continue
      const child = new AtifReader(sub, this.ctx).read()
      const owner = this.childIds.get(child.id)
      child.parent = {traceId: card.id, ...(owner ? {stepId: owner.id} : {})}
      card.children.push(child)
    }
  }
}

export const atifAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'atif',
  label: 'ATIF trajectory (Harbor / Terminal-Bench)',
  looksFor:
    'a JSON object {schema_version: "ATIF-v1.x", session_id, agent, steps: [{step_id, source, message, tool_calls?, observation?, metrics?}], final_metrics?}',
  sniff: isAtif,
  async parse(doc, ctx) {
    if (!isAtif(doc)) throw new RecordError('expected an ATIF trajectory {schema_version, agent, steps}')
    const card = new AtifReader(doc, ctx).read()
    const trial = await harborTrial(ctx)
    if (trial.taskId || trial.outcome) {
      card.task = {...(trial.taskId ? {id: trial.taskId} : {}), ...(trial.outcome ? {outcome: trial.outcome} : {})}
      if (trial.warning) card.warnings.push({message: trial.warning})
    }
    return [card]
  },
  companions: HARBOR_COMPANIONS,
}
