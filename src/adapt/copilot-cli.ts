/**
 * GitHub Copilot CLI sessions (`~/.copilot/session-state/<session id>/events.jsonl`; Entire's checkpoints keep the same
 * file as `full.jsonl`): one event a line, `{type, data, id, timestamp, parentId}`, and `agentId` on a subagent's
 * events. The events aco reads: `session.start` (`sessionId`, `copilotVersion`, `context.cwd`), `session.model_change`,
 * `user.message`, `assistant.turn_start`, `assistant.message` (`content`, `toolRequests`, `outputTokens`, `model`),
 * `tool.execution_start` / `tool.execution_complete` (`success`, `result.content`, `error.message`),
 * `assistant.usage`, `session.compaction_complete` and `session.shutdown` (`modelMetrics`). Hooks, permissions,
 * notifications and the rest are the harness's own.
 *
 * Traps handled here:
 * - one API call may be written as several `assistant.message` events (reasoning, then text, then the tool calls),
 *   one `apiCallId`; only the last carries `outputTokens`: one LLM step per API call;
 * - the log records a call's output tokens, not its input: the input (and the cache) is summed per model only in
 *   `session.shutdown`'s `modelMetrics`, once per process lifetime (a resumed session appends another). Its
 *   `inputTokens` holds the cache reads (`cacheReadTokens`), and is taken to hold the cache writes too
 *   (`cacheWriteTokens`, as an OpenAI-style prompt count does): aco's input is what is left.
 *   Each lifetime's sums are split over that lifetime's calls of the model in proportion to how much the
 *   conversation held when each was made (marked estimated; they sum to the shutdown's figures exactly), after the
 *   calls whose own usage the log has (`assistant.usage`, a compaction's `compactionTokensUsed`). Output tokens the
 *   shutdown counts beyond the messages' (calls that wrote no message) are spread over the lifetime's calls (each
 *   keeps its own in `recordedOutput`). A session with no shutdown (still running, or killed) has no input figures:
 *   its calls count their output alone, and the card says so;
 * - a user message with a `source` (`system`, `instruction-discovery`) is text Copilot adds, not the person's;
 * - the shell tool ends its output with `<shellId: N completed with exit code C>` (older versions `<exited with exit
 *   code C>`): the exit code, and no part of what the command printed (the shell id differs on every run);
 * - `success: false` is a failed call, its text `error.message`;
 * - a subagent's events carry its `agentId`: its calls are a child card, under the call that started it.
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {expectObject, isObject, str, type Json} from './fields.js'
import {splitInteger} from './split-estimate.js'
import type {AdaptContext, JsonlAdapter, RecordSink} from './types.js'

/** The event types only Copilot CLI writes (the envelope `{type, data, id, parentId}` is common). */
const COPILOT_TYPES = new Set([
  'session.start',
  'session.resume',
  'session.model_change',
  'session.shutdown',
  'user.message',
  'assistant.turn_start',
  'assistant.message',
  'tool.execution_start',
  'tool.execution_complete',
])

/** The shell tool's last line: which shell ran the command and how it ended. */
const SHELL_END = /\n?<(?:shellId: [^\n>]* completed with|exited with) exit code (-?\d+)>\s*$/

/** A count the log gives, or 0. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0
}

/** Copilot's usage (`inputTokens` with the cache in it) as aco counts tokens (input without the cache). */
function usageTokens(u: Json): Tokens {
  const gross = count(u.inputTokens ?? u.input)
  const cacheRead = count(u.cacheReadTokens ?? u.cachedInput)
  const cacheWrite = count(u.cacheWriteTokens)
  return {
    input: Math.max(0, gross - cacheRead - cacheWrite),
    output: count(u.outputTokens ?? u.output),
    cacheRead,
    cacheWrite,
    reasoning: count(u.reasoningTokens),
  }
}

function zero(): Tokens {
  return {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
}

function addInto(sum: Tokens, t: Tokens): void {
  sum.input += t.input
  sum.output += t.output
  sum.cacheRead += t.cacheRead
  sum.cacheWrite += t.cacheWrite
  sum.reasoning += t.reasoning
}

/** An LLM step of the current process lifetime, waiting for its shutdown's figures. */
interface Pending {
  step: Step
  model: string | undefined
  /** How much the conversation held when the call was made (characters): its share of the lifetime's input. */
  weight: number
  /** The log has this call's own usage (`assistant.usage`, a compaction's): not split, subtracted. */
  exact: boolean
}

/** One agent's calls: the session's own (`main`) or a subagent's. */
class Agent {
  readonly builder: CardBuilder
  /** The step of the API call being written, and its id. */
  current: {step: Step; apiCallId: string | undefined} | undefined
  /** Characters of the conversation so far (prompts, replies, arguments, results). */
  context = 0
  /** When the current turn started (`assistant.turn_start`). */
  turnStart: string | undefined
  model: string | undefined
  toolCallId: string | undefined

  constructor(ctx: AdaptContext) {
    this.builder = new CardBuilder('copilot-cli', ctx.path, ctx.redact)
  }
}

class CopilotSink implements RecordSink {
  private readonly main: Agent
  private readonly agents = new Map<string, Agent>()
  private sessionId: string | undefined
  private version: string | undefined
  private cwd: string | undefined
  private branch: string | undefined
  private model: string | undefined
  private pending: Pending[] = []
  private recorded: Tokens | undefined
  private apiCalls = 0
  private shutdowns = 0
  private unanswered = new Set<string>()

  constructor(private readonly ctx: AdaptContext) {
    this.main = new Agent(ctx)
  }

  private agent(record: Json): Agent {
    const id = str(record, 'agentId')
    if (!id) return this.main
    let agent = this.agents.get(id)
    if (!agent) {
      agent = new Agent(this.ctx)
      this.agents.set(id, agent)
    }
    return agent
  }

  push(record: unknown, line: number): void {
    const r = expectObject(record)
    const type = str(r, 'type')
    const data = isObject(r.data) ? r.data : {}
    const at = str(r, 'timestamp')
    const agent = this.agent(r)
    agent.builder.seen(at)
    switch (type) {
      case 'session.start':
      case 'session.resume':
        this.start(data)
        return
      case 'session.model_change':
        this.model = str(data, 'newModel') ?? this.model
        return
      case 'session.context_changed':
        this.cwd ??= str(data, 'cwd')
        return
      case 'system.message':
        agent.context += (str(data, 'content') ?? '').length
        return
      case 'user.message':
        this.user(agent, data)
        return
      case 'assistant.turn_start':
        agent.turnStart = at
        agent.current = undefined
        return
      case 'assistant.message':
        this.message(agent, data, at, line)
        return
      case 'tool.execution_start':
        this.toolStart(agent, data, at, line)
        return
      case 'tool.execution_complete':
        this.toolEnd(agent, data, at)
        return
      case 'assistant.usage':
        this.usage(agent, data, at, line)
        return
      case 'session.compaction_complete':
        this.compaction(agent, data, at, line)
        return
      case 'subagent.started':
        agent.toolCallId = str(data, 'toolCallId')
        return
      case 'subagent.completed':
        agent.model = str(data, 'model') ?? agent.model
        return
      case 'session.shutdown':
        this.shutdown(data, line)
        return
      case 'session.error':
        agent.builder.warn(`Copilot reported an error: ${str(data, 'message') ?? 'no message'}`, line)
        return
      default:
    }
  }

  private start(data: Json): void {
    this.sessionId ??= str(data, 'sessionId')
    this.version = str(data, 'copilotVersion') ?? this.version
    const context = isObject(data.context) ? data.context : {}
    this.cwd ??= str(context, 'cwd')
    this.branch ??= str(context, 'branch')
    this.model = str(data, 'selectedModel') ?? this.model
  }

  private user(agent: Agent, data: Json): void {
    const content = str(data, 'content') ?? ''
    agent.context += (str(data, 'transformedContent') ?? content).length
    const source = str(data, 'source')
    if (source !== undefined && source !== 'user') return
    agent.builder.newTurn(content || undefined)
    agent.current = undefined
  }

  /** The LLM step an `assistant.message` belongs to: the API call's, a new one for a new call. */
  private message(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const apiCallId = str(data, 'apiCallId') ?? str(data, 'requestId')
    const text = str(data, 'content') ?? ''
    const output = count(data.outputTokens)
    let step: Step
    if (agent.current && apiCallId !== undefined && agent.current.apiCallId === apiCallId) {
      step = agent.current.step
      agent.builder.appendText(step, text)
      step.endedAt = at ?? step.endedAt
      if (output) step.tokens!.output += output
    } else {
      const model = str(data, 'model') ?? (agent === this.main ? undefined : agent.model) ?? this.model
      step = agent.builder.addLlm({
        id: str(data, 'messageId'),
        model,
        tokens: {...zero(), output},
        startedAt: agent.turnStart ?? at,
        endedAt: at,
        text,
        line,
      })
      agent.current = {step, apiCallId}
      this.pending.push({step, model, weight: agent.context, exact: false})
    }
    agent.context += text.length
    for (const request of Array.isArray(data.toolRequests) ? data.toolRequests : []) {
      if (!isObject(request)) continue
      const id = str(request, 'toolCallId')
      const name = str(request, 'name') ?? 'unknown'
      if (id && agent.builder.toolStep(id)) continue
      agent.builder.addToolCall(step, id, name, request.arguments ?? {}, at, line)
      agent.context += JSON.stringify(request.arguments ?? {}).length
      if (id) this.unanswered.add(id)
    }
  }

  private toolStart(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const id = str(data, 'toolCallId')
    const existing = id ? agent.builder.toolStep(id) : undefined
    if (existing) {
      if (at) existing.startedAt = at
      return
    }
    // A call no message asked for (the log lost the message): under the current step, as it came.
    const call = agent.builder.addToolCall(
      agent.current?.step,
      id,
      str(data, 'toolName') ?? 'unknown',
      data.arguments ?? {},
      at,
      line,
    )
    if (!call.parentStepId)
      agent.builder.warn(`tool call ${id ?? '(no id)'} started with no model call before it`, line)
    if (id) this.unanswered.add(id)
  }

  private toolEnd(agent: Agent, data: Json, at: string | undefined): void {
    const id = str(data, 'toolCallId')
    if (!id) return
    // (A subagent's call may end in the session's own events: look there too.)
    const owner = agent.builder.toolStep(id) ? agent : this.main.builder.toolStep(id) ? this.main : agent
    const result = isObject(data.result) ? data.result : {}
    const error = isObject(data.error) ? data.error : {}
    let output = str(result, 'content') ?? ''
    let exitCode: number | undefined
    const end = SHELL_END.exec(output)
    if (end) {
      exitCode = Number(end[1])
      output = output.slice(0, end.index)
    }
    const failed = data.success === false
    if (failed) {
      const message = str(error, 'message') ?? ''
      output = output && message ? `${output}\n${message}` : output || message
    }
    owner.context += output.length
    this.unanswered.delete(id)
    owner.builder.resolveTool(id, {
      status: failed || (exitCode !== undefined && exitCode !== 0) ? 'error' : 'ok',
      exitCode,
      output,
      endedAt: at,
    })
  }

  /** A call's own usage (`assistant.usage`, written by some versions and by `--output-format json`): exact. */
  private usage(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const tokens = usageTokens(data)
    const model = str(data, 'model')
    const open = this.pending.findLast(p => !p.exact && p.step === agent.current?.step)
    if (open) {
      open.exact = true
      open.step.tokens = tokens
      if (model) open.model = model
      return
    }
    const step = agent.builder.addLlm({model: model ?? this.model, tokens, startedAt: at, endedAt: at, line})
    this.pending.push({step, model: step.model, weight: agent.context, exact: true})
  }

  /** A compaction is a model call of its own (its usage in `compactionTokensUsed`), and the context starts over. */
  private compaction(agent: Agent, data: Json, at: string | undefined, line: number): void {
    agent.builder.contextCompacted()
    agent.context = (str(data, 'summaryContent') ?? '').length
    const used = isObject(data.compactionTokensUsed) ? data.compactionTokensUsed : undefined
    if (!used) return
    const tokens = usageTokens(used)
    if (tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite === 0) return
    const model = str(used, 'model') ?? this.model
    const step = agent.builder.addLlm({
      id: str(data, 'requestId'),
      model,
      tokens,
      startedAt: at,
      endedAt: at,
      text: 'context compaction',
      line,
    })
    this.pending.push({step, model, weight: 0, exact: true})
    agent.current = undefined
  }

  /** A process lifetime's end: its per-model sums, split over its calls. */
  private shutdown(data: Json, line: number): void {
    const metrics = isObject(data.modelMetrics) ? data.modelMetrics : {}
    const pending = this.pending
    this.pending = []
    this.shutdowns++
    for (const [model, entry] of Object.entries(metrics)) {
      if (!isObject(entry) || !isObject(entry.usage)) continue
      const total = usageTokens(entry.usage)
      if (total.input + total.output + total.cacheRead + total.cacheWrite === 0) continue
      this.recorded ??= zero()
      addInto(this.recorded, total)
      this.apiCalls += isObject(entry.requests) ? count(entry.requests.count) : 0
      const calls = pending.filter(p => p.model === model)
      for (const p of calls) p.model = undefined
      this.spread(model, total, calls, line)
    }
    const left = pending.filter(p => p.model !== undefined && !p.exact)
    if (left.length)
      this.main.builder.warn(
        `the session's end (session.shutdown) counts no tokens for ${[...new Set(left.map(p => p.model))].join(', ')}: ` +
          `${left.length} call(s) count their output tokens alone`,
        line,
      )
  }

  /** Splits one model's lifetime sums over its calls (after those whose usage the log has). */
  private spread(model: string, total: Tokens, calls: Pending[], line: number): void {
    const rest = {...total, input: total.input + total.cacheRead + total.cacheWrite}
    const open: Pending[] = []
    for (const p of calls) {
      const t = p.step.tokens ?? zero()
      if (p.exact) {
        rest.input -= t.input + t.cacheRead + t.cacheWrite
        rest.cacheRead -= t.cacheRead
        rest.cacheWrite -= t.cacheWrite
        rest.output -= t.output
        rest.reasoning -= t.reasoning
      } else {
        open.push(p)
        rest.output -= t.output
      }
    }
    if (rest.input < 0 || rest.cacheRead < 0 || rest.cacheWrite < 0 || rest.output < 0) {
      this.main.builder.warn(
        `${model}: the calls' own tokens exceed what session.shutdown counts for them; their shares are left as recorded`,
        line,
      )
    }
    const cacheRead = Math.max(0, rest.cacheRead)
    const cacheWrite = Math.max(0, rest.cacheWrite)
    const input = Math.max(0, rest.input - cacheRead - cacheWrite)
    const output = Math.max(0, rest.output)
    const reasoning = Math.max(0, rest.reasoning)
    if (!open.length) {
      if (input + output + cacheRead + cacheWrite === 0) return
      // Calls the log shows no message for (a title, a model the session only named at its end): one step for them.
      const step = this.main.builder.addLlm({
        id: `shutdown-${this.shutdowns}-${model}`,
        model,
        tokens: {input, output, cacheRead, cacheWrite, reasoning},
        line,
      })
      step.estimated = true
      this.main.builder.warn(
        `${model}: session.shutdown counts tokens of calls the log shows no message for; one step holds them`,
        line,
      )
      return
    }
    const weights = open.map(p => Math.max(1, p.weight))
    const inputs = splitInteger(input, weights)
    const reads = splitInteger(cacheRead, weights)
    const writes = splitInteger(cacheWrite, weights)
    const own = open.map(p => p.step.tokens?.output ?? 0)
    const extra = splitInteger(output, own.some(o => o > 0) ? own : weights)
    const thoughts = splitInteger(reasoning, own.some(o => o > 0) ? own : weights)
    open.forEach((p, i) => {
      const recordedOutput = own[i]!
      p.step.tokens = {
        input: inputs[i]!,
        output: recordedOutput + extra[i]!,
        cacheRead: reads[i]!,
        cacheWrite: writes[i]!,
        reasoning: Math.min(thoughts[i]!, recordedOutput + extra[i]!),
      }
      if (extra[i]) p.step.recordedOutput = recordedOutput
      p.step.estimated = true
    })
  }

  finish(): TraceCard[] {
    const main = this.main.builder
    const open = this.pending.filter(p => !p.exact)
    if (open.length)
      main.warn(
        this.shutdowns
          ? `${open.length} call(s) after the last session.shutdown count their output tokens alone: Copilot CLI writes a session's input tokens only when its process ends`
          : `no session.shutdown: Copilot CLI writes a session's input tokens only when its process ends (this one is still running, or was killed), so its ${open.length} call(s) count their output tokens alone`,
      )
    if (this.unanswered.size)
      main.warn(`${this.unanswered.size} tool call(s) never returned (still running when the log was saved)`)
    const id = this.sessionId ?? basename(this.ctx.path).replace(/\.jsonl$/i, '')
    const card = main.build({
      id,
      sessionId: this.sessionId,
      toolVersion: this.version,
      ...(this.cwd ? {cwd: this.cwd} : {}),
      ...(this.branch ? {gitBranch: this.branch} : {}),
    })
    for (const [agentId, agent] of this.agents) {
      const child = agent.builder.build({id: `${id}/agent-${agentId}`, sessionId: this.sessionId})
      if (!child.steps.length) continue
      const task = agent.toolCallId ? main.toolStep(agent.toolCallId) : undefined
      child.parent = {traceId: card.id, agentId, ...(task ? {stepId: task.id, toolCallId: agent.toolCallId} : {})}
      card.children.push(child)
    }
    // What Copilot counted at each process's end, the subagents' calls included: to set beside aco's totals.
    if (this.recorded)
      card.recorded = {
        source: 'copilot-cli session.shutdown modelMetrics',
        tokens: this.recorded,
        apiCalls: this.apiCalls,
      }
    return [card]
  }
}

export const copilotCliAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'copilot-cli',
  label: 'GitHub Copilot CLI session',
  looksFor:
    'JSONL events {type, data, id, parentId, timestamp} of types session.start, user.message, assistant.message, tool.execution_complete, session.shutdown… (~/.copilot/session-state/<id>/events.jsonl)',
  sniff(records) {
    let votes = 0
    for (const r of records) {
      if (!isObject(r)) continue
      if (typeof r.type !== 'string' || !isObject(r.data) || !('parentId' in r)) continue
      if (COPILOT_TYPES.has(r.type)) votes++
      if (r.type === 'session.start' && str(r.data, 'producer') === 'copilot-agent') return true
    }
    return votes > 0
  },
  open: ctx => new CopilotSink(ctx),
}
