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
 *   `session.shutdown`'s `modelMetrics`, written when a process ends (a resumed session appends another). Some
 *   versions write each process's own figures, others the session's running totals: told apart by the figures (see
 *   `segmentOf`). Its `inputTokens` holds the cache reads (`cacheReadTokens`) and the cache writes
 *   (`cacheWriteTokens`), as the shutdown's own `tokenDetails` show (fresh197): aco's input is what is left.
 *   Each process's sums are split over its calls of the model in proportion to each call's prompt (marked estimated;
 *   they sum to the shutdown's figures exactly), after the calls whose own usage the log has (`assistant.usage`, a
 *   compaction's `compactionTokensUsed`). Output tokens the shutdown counts beyond the messages' (calls that wrote no
 *   message) are spread over the process's calls (each keeps its own in `recordedOutput`). A model named otherwise
 *   by the messages (a date, `-1m`) is paired by its name's stem. A session with no shutdown (still running, or
 *   killed) has no input figures: its calls count their output alone, and the card says so;
 * - a user message with a `source` (`system`, `instruction-discovery`) is text Copilot adds, not the person's;
 * - the shell tool ends its output with `<shellId: N completed with exit code C>` (older versions `<exited with exit
 *   code C>`): the exit code, and no part of what the command printed (the shell id differs on every run);
 * - `success: false` is a failed call, its text `error.message`;
 * - a subagent's events carry its `agentId` (older versions `data.parentToolCallId`): its calls are a child card,
 *   under the call that started it.
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {CardWarning, Step, Tokens, TraceCard} from '../card/types.js'
import {countProblem, expectObject, firstLine, isObject, str, type Json, typeName} from './fields.js'
import {splitInteger} from './split-estimate.js'
import {type AdaptContext, type JsonlAdapter, RecordError, type RecordSink} from './types.js'

/** Event types of Copilot CLI's log (its envelope `{type, data, id, parentId, timestamp}` is common to others). */
const COPILOT_TYPES = new Set([
  'session.start',
  'session.resume',
  'session.model_change',
  'session.shutdown',
  'session.info',
  'session.warning',
  'session.usage_checkpoint',
  'session.context_changed',
  'session.compaction_start',
  'session.compaction_complete',
  'user.message',
  'system.message',
  'assistant.turn_start',
  'assistant.turn_end',
  'assistant.message',
  'assistant.usage',
  'tool.execution_start',
  'tool.execution_complete',
  'hook.start',
  'hook.end',
  'permission.requested',
  'permission.completed',
  'subagent.started',
  'subagent.completed',
  'session.error',
])

/** Fields only Copilot's events carry: what tells its log from another tool's events of the same envelope. */
const COPILOT_FIELDS = ['toolCallId', 'toolRequests', 'hookInvocationId', 'copilotVersion', 'interactionId', 'turnId']

/** The tools that run a shell command, whose output ends with how it ended. */
const SHELL_TOOLS = new Set(['bash', 'powershell', 'shell', 'read_bash', 'write_bash', 'stop_bash'])

/** The shell tool's last line: which shell ran the command and how it ended. */
const SHELL_END = /(?:^|\r?\n)<(?:shellId: [^\n>]* completed with|exited with) exit code (-?\d{1,9})>\s*$/

/** Billions of an AI unit (Copilot's `totalNanoAiu`) in a billionth of a dollar: an AI unit is a cent. */
const NANO_AIU_PER_NANO_USD = 100

/** Characters a token, roughly, for the share of a process's input each call is given. */
const CHARS_PER_TOKEN = 4

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

/** A call's input as Copilot counts it: the fresh input and the cache together. */
function gross(t: Tokens): number {
  return t.input + t.cacheRead + t.cacheWrite
}

/**
 * Copilot's usage as aco counts tokens (`inputTokens` holds the cache reads and writes; aco's input is the rest). A
 * count that is no count is an error (the record is skipped with its line); a cache larger than `inputTokens` cannot
 * be held in it: `inputTokens` is then taken for the fresh input alone, and `note` says so.
 */
function usageTokens(u: Json, where: string, note?: (message: string) => void): Tokens {
  const read = (keys: string[]): number => {
    for (const key of keys) {
      const value = u[key]
      if (value === undefined || value === null) continue
      const problem = countProblem(value)
      if (problem) throw new RecordError(`${where}.${key}: ${problem}`)
      return value as number
    }
    return 0
  }
  const input = read(['inputTokens', 'input'])
  const cacheRead = read(['cacheReadTokens', 'cachedInput'])
  const output = read(['outputTokens', 'output'])
  const reasoning = read(['reasoningTokens'])
  // Copilot's own billing breakdown, where written, is the authority: a compaction's `cacheWriteTokens` may say 0
  // while its `copilotUsage.tokenDetails` bills 139,926 cache writes inside the same `inputTokens` (fresh197).
  const details = detailCounts(u, where)
  if (details && details.input + details.cacheRead + details.cacheWrite === input)
    return {...details, output: Math.max(output, details.output), reasoning}
  const cacheWrite = read(['cacheWriteTokens'])
  let fresh = input - cacheRead - cacheWrite
  if (fresh < 0) {
    note?.(`${where}: its cache (${cacheRead + cacheWrite}) exceeds its inputTokens (${input}); read as fresh input`)
    fresh = input
  }
  return {input: fresh, output, cacheRead, cacheWrite, reasoning}
}

/**
 * The token counts of Copilot's billing breakdown, where a usage carries one: `tokenDetails` as an object
 * (`{input: {tokenCount}, cache_read: {…}, cache_write: {…}, output: {…}}`, a shutdown's) or `copilotUsage.tokenDetails` as
 * a list (`[{tokenType, tokenCount}…]`, a compaction's).
 */
function detailCounts(u: Json, where: string): Omit<Tokens, 'reasoning'> | undefined {
  const counts = new Map<string, number>()
  const add = (type: unknown, count: unknown) => {
    if (typeof type !== 'string' || count === undefined) return
    const problem = countProblem(count)
    if (problem) throw new RecordError(`${where}: tokenDetails ${type}: ${problem}`)
    counts.set(type, (counts.get(type) ?? 0) + (count as number))
  }
  const listed = isObject(u.copilotUsage) ? u.copilotUsage.tokenDetails : undefined
  if (Array.isArray(listed)) for (const d of listed) if (isObject(d)) add(d.tokenType, d.tokenCount)
  if (isObject(u.tokenDetails))
    for (const [type, d] of Object.entries(u.tokenDetails)) if (isObject(d)) add(type, d.tokenCount)
  if (!counts.size) return undefined
  return {
    input: counts.get('input') ?? 0,
    cacheRead: counts.get('cache_read') ?? 0,
    cacheWrite: counts.get('cache_write') ?? 0,
    output: counts.get('output') ?? 0,
  }
}

/** A model's name as Copilot's messages and its sums may each write it (`claude-sonnet-4.5`, `claude-sonnet-4-5-20250929`). */
function modelKey(model: string): string {
  return model
    .toLowerCase()
    .replace(/-(?:1m(?:-internal)?|\d{8})$/g, '')
    .replace(/-\d{8}$/, '')
    .replace(/\./g, '-')
}

/** An LLM step of the current process lifetime, waiting for its shutdown's figures. */
interface Pending {
  step: Step
  model: string | undefined
  /** How much the conversation held when the call was made (characters): its share of the lifetime's input. */
  weight: number
  /** How much it held at the agent's call before (characters): what this call's prompt shares with that one's. */
  prev?: number
  /** The log has this call's own usage (`assistant.usage`, a compaction's): not split, subtracted. */
  exact: boolean
  /** Its process's shutdown has been read. */
  settled?: boolean
  /** The agent that made it. */
  agent?: Agent
}

/** One agent's calls: the session's own (`main`) or a subagent's. */
class Agent {
  readonly builder: CardBuilder
  /** The steps of this turn's API calls by their id (one call's messages may come apart, another's between). */
  calls = new Map<string, Step>()
  /** The step of the API call written last. */
  current: Step | undefined
  /** Characters of the conversation so far (prompts, replies, arguments, results). */
  context = 0
  /** When the current turn started (`assistant.turn_start`). */
  turnStart: string | undefined
  model: string | undefined
  toolCallId: string | undefined
  /** Its calls whose model was not written with them (a subagent's may be told when it ends). */
  readonly guessed: Pending[] = []
  /** How much the conversation held at its last call (characters). */
  lastCall = 0
  /** What kind of agent it is (a subagent's `agentName`: `explore`, `car`…). */
  kind: string | undefined
  /** The tokens its calls used in all, as its `subagent.completed` records them (`totalTokens`). */
  recordedTotal: number | undefined

  constructor(ctx: AdaptContext) {
    this.builder = new CardBuilder('copilot-cli', ctx.path, ctx.redact)
  }
}

/** A shutdown's figures for one model, as the log wrote them. */
interface ModelSum {
  tokens: Tokens
  requests: number
}

class CopilotSink implements RecordSink {
  private readonly main: Agent
  private readonly agents = new Map<string, Agent>()
  private sessionId: string | undefined
  private version: string | undefined
  private cwd: string | undefined
  private branch: string | undefined
  /** The git commit the session last ran at (`context.headCommit`). */
  private head: string | undefined
  /** The commits the agent's own calls made, by the short hash git printed. */
  private readonly ownCommits = new Set<string>()
  /** The session's first prompt, its first line: the card's title. */
  private title: string | undefined
  private model: string | undefined
  private pending: Pending[] = []
  /** Pending calls by their API call id (for `assistant.usage`). */
  private byApiCall = new Map<string, Pending>()
  private recorded: Tokens | undefined
  private apiCalls = 0
  private shutdowns = 0
  /** The previous shutdown's figures, as written (running totals are told apart from each process's own by them). */
  private previous: Map<string, ModelSum> | undefined
  private readings = {running: 0, own: 0}
  private readonly shutdownIds = new Set<string>()
  /** Shutdowns skipped as unreadable (their calls' input is then not known either). */
  private unreadShutdowns = 0
  /** What Copilot had billed for the session so far at its latest checkpoint or shutdown (`totalNanoAiu`). */
  private billedNanoAiu: number | undefined
  /** A compaction's usage came as an `assistant.usage`: its `compaction_complete` adds no step. */
  private compactionUsage = false
  private readonly unanswered = new Set<string>()

  constructor(private readonly ctx: AdaptContext) {
    this.main = new Agent(ctx)
  }

  private agent(record: Json, data: Json): Agent {
    // (Older versions name a subagent's events by the call that started it, `data.parentToolCallId`.)
    const id = str(record, 'agentId') ?? str(data, 'parentToolCallId')
    if (!id) return this.main
    let agent = this.agents.get(id)
    if (!agent) {
      agent = new Agent(this.ctx)
      agent.toolCallId = id
      this.agents.set(id, agent)
    }
    return agent
  }

  push(record: unknown, line: number): void {
    const r = expectObject(record)
    const type = str(r, 'type')
    if (type === undefined) throw new RecordError(`type: expected a string, got ${typeName(r.type)}`)
    if (!COPILOT_TYPES.has(type)) return
    if (!isObject(r.data)) throw new RecordError(`${type}: data: expected an object, got ${typeName(r.data)}`)
    const data = r.data
    const agent = this.agent(r, data)
    // (One that is no time, `"yesterday"`, is said with its line and not read.)
    const at = agent.builder.time(r.timestamp, line)
    agent.builder.seen(at)
    switch (type) {
      case 'session.start':
      case 'session.resume':
        this.start(data, type === 'session.resume')
        return
      case 'session.model_change':
        this.model = str(data, 'newModel') ?? this.model
        return
      case 'session.context_changed':
        this.cwd ??= str(data, 'cwd')
        // (Within a run: the agent's own commit or checkout, which its calls show.)
        this.head = str(data, 'headCommit') ?? this.head
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
        agent.calls.clear()
        return
      case 'assistant.message':
        this.message(agent, data, at, line)
        return
      case 'tool.execution_start':
        this.toolStart(agent, data, at, line)
        return
      case 'tool.execution_complete':
        this.toolEnd(agent, data, at, line)
        return
      case 'assistant.usage':
        this.usage(agent, data, at, line)
        return
      case 'session.compaction_complete':
        this.compaction(agent, data, at, line)
        return
      case 'subagent.started':
        agent.toolCallId = str(data, 'toolCallId') ?? agent.toolCallId
        agent.model = str(data, 'model') ?? agent.model
        agent.kind = str(data, 'agentName') ?? agent.kind
        return
      case 'subagent.completed':
        agent.model ??= str(data, 'model')
        if (typeof data.totalTokens === 'number' && countProblem(data.totalTokens) === undefined)
          agent.recordedTotal = data.totalTokens
        this.subagentModel(agent, str(data, 'model'))
        return
      case 'session.shutdown':
        try {
          this.shutdown(r, data, line)
        } catch (error) {
          if (error instanceof RecordError) this.unreadShutdowns++
          throw error
        }
        return
      case 'session.usage_checkpoint':
        this.billed(data, line)
        return
      case 'session.error':
        agent.builder.warn(`Copilot reported an error: ${str(data, 'message') ?? 'no message'}`, line)
        return
      default:
    }
  }

  private start(data: Json, resumed: boolean): void {
    this.sessionId ??= str(data, 'sessionId')
    this.version = str(data, 'copilotVersion') ?? this.version
    const context = isObject(data.context) ? data.context : {}
    this.cwd ??= str(context, 'cwd')
    this.branch ??= str(context, 'branch')
    this.model = str(data, 'selectedModel') ?? this.model
    // Resumed at another commit than the session last ran at (a pull, another checkout, a CI run's fresh clone): the
    // files may differ from what the agent saw, and it cannot know which.
    const head = str(context, 'headCommit')
    // (Not the session's own state folder, `~/.copilot/session-state/<id>/`: its plan is restored as it was.)
    if (resumed && head && this.head && head !== this.head && ![...this.ownCommits].some(c => head.startsWith(c)))
      this.main.builder.checkoutMoved(this.sessionId && `/session-state/${this.sessionId}/`, str(context, 'gitRoot'))
    this.head = head ?? this.head
  }

  private user(agent: Agent, data: Json): void {
    const content = str(data, 'content') ?? ''
    agent.context += (str(data, 'transformedContent') ?? content).length
    const source = str(data, 'source')
    if (source !== undefined && source !== 'user') return
    if (agent === this.main) this.title ??= firstLine(content)
    agent.builder.newTurn(content || undefined)
    agent.current = undefined
  }

  /** The LLM step an `assistant.message` belongs to: its API call's, a new one for a new call. */
  private message(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const apiCallId = str(data, 'apiCallId') ?? str(data, 'requestId')
    const text = str(data, 'content') ?? ''
    let output = 0
    if (data.outputTokens !== undefined && data.outputTokens !== null) {
      const problem = countProblem(data.outputTokens)
      if (problem) this.ctx.skip(line, `assistant.message.outputTokens: ${problem}; the call's output not counted`)
      else output = data.outputTokens as number
    }
    const requests = data.toolRequests
    if (requests !== undefined && requests !== null && !Array.isArray(requests))
      this.ctx.skip(line, `assistant.message.toolRequests: expected an array, got ${typeName(requests)}`)
    let step = apiCallId !== undefined ? agent.calls.get(apiCallId) : undefined
    if (step) {
      agent.builder.appendText(step, text)
      step.endedAt = at ?? step.endedAt
      // (A call whose own usage came first has its output counted there.)
      if (!(apiCallId !== undefined && this.byApiCall.get(apiCallId)?.exact)) step.tokens!.output += output
    } else {
      const own = str(data, 'model') ?? (agent === this.main ? undefined : agent.model)
      const model = own ?? this.model
      step = agent.builder.addLlm({
        id: str(data, 'messageId'),
        model,
        tokens: {...zero(), output},
        startedAt: agent.turnStart ?? at,
        endedAt: at,
        text,
        line,
      })
      if (apiCallId !== undefined) agent.calls.set(apiCallId, step)
      const pending: Pending = {step, model, weight: agent.context, prev: agent.lastCall, exact: false, agent}
      agent.lastCall = agent.context
      if (own === undefined && agent !== this.main) agent.guessed.push(pending)
      this.pending.push(pending)
      if (apiCallId !== undefined) this.byApiCall.set(apiCallId, pending)
    }
    agent.current = step
    agent.context += text.length
    for (const request of Array.isArray(requests) ? requests : []) {
      if (!isObject(request)) continue
      const id = request.toolCallId
      const name = request.name ?? 'unknown'
      if ((id !== undefined && typeof id !== 'string') || typeof name !== 'string') {
        this.ctx.skip(line, 'assistant.message.toolRequests: a request whose toolCallId or name is no string')
        continue
      }
      const known = id ? agent.builder.toolStep(id) : undefined
      // (One call's messages repeat its requests; another call reusing an id is a call of its own.)
      if (known?.parentStepId === step.id) continue
      if (known) agent.builder.warn(`tool call id ${id} used again by a later call`, line)
      agent.builder.addToolCall(step, id, name, request.arguments ?? {}, at, line)
      agent.context += JSON.stringify(request.arguments ?? {}).length
      if (id) this.unanswered.add(id)
    }
  }

  private toolStart(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const id = str(data, 'toolCallId')
    const existing = id ? agent.builder.toolStep(id) : undefined
    if (existing && existing.tool?.status === 'unknown') {
      if (at) existing.startedAt = at
      return
    }
    // A call no message asked for (the log lost the message): under the current step, as it came.
    const call = agent.builder.addToolCall(
      agent.current,
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

  /** The agent whose call has this id: the event's own, else the session's, else any subagent's. */
  private ownerOf(agent: Agent, id: string): Agent | undefined {
    if (agent.builder.toolStep(id)) return agent
    if (this.main.builder.toolStep(id)) return this.main
    for (const other of this.agents.values()) if (other.builder.toolStep(id)) return other
    return undefined
  }

  private toolEnd(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const id = str(data, 'toolCallId')
    const owner = id ? this.ownerOf(agent, id) : undefined
    if (!id || !owner) {
      this.main.builder.warn(`a tool result for ${id ? `call ${id}, which no message asked for` : 'no call id'}`, line)
      return
    }
    const step = owner.builder.toolStep(id)!
    const result = isObject(data.result) ? data.result : {}
    const error = isObject(data.error) ? data.error : {}
    let output = str(result, 'content') ?? ''
    let exitCode: number | undefined
    const end = SHELL_TOOLS.has(step.tool!.name) ? SHELL_END.exec(output) : null
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
    // A commit the agent made (`[main 0c3bfcb] message`): a session resumed at it moved no file.
    if (!failed && output.includes('] ')) for (const m of output.matchAll(COMMIT_MADE)) this.ownCommits.add(m[1]!)
    if (
      owner.builder.resolveTool(id, {
        status: failed || (exitCode !== undefined && exitCode !== 0) ? 'error' : 'ok',
        exitCode,
        output,
        endedAt: at,
      })
    )
      this.unanswered.delete(id)
  }

  /**
   * A call's own usage (`assistant.usage`, which Copilot streams with `--output-format json` and some files keep):
   * exact, matched to its call by `apiCallId`.
   */
  private usage(agent: Agent, data: Json, at: string | undefined, line: number): void {
    const tokens = usageTokens(data, 'assistant.usage', m => agent.builder.warn(m, line))
    const model = str(data, 'model')
    const apiCallId = str(data, 'apiCallId')
    if (/compaction/i.test(str(data, 'interactionType') ?? '')) this.compactionUsage = true
    const open =
      (apiCallId !== undefined ? this.byApiCall.get(apiCallId) : undefined) ??
      this.pending.findLast(p => p.step === agent.current)
    if (open && !open.exact) {
      open.exact = true
      open.step.tokens = tokens
      if (model) open.model = model
      return
    }
    const step = agent.builder.addLlm({model: model ?? this.model, tokens, startedAt: at, endedAt: at, line})
    const pending: Pending = {step, model: step.model, weight: agent.context, exact: true}
    this.pending.push(pending)
    // (Its messages may follow: they are this call's.)
    if (apiCallId !== undefined) {
      this.byApiCall.set(apiCallId, pending)
      agent.calls.set(apiCallId, step)
      agent.current = step
    }
  }

  /** A compaction is a model call of its own (its usage in `compactionTokensUsed`), and the context starts over. */
  private compaction(agent: Agent, data: Json, at: string | undefined, line: number): void {
    agent.builder.contextCompacted()
    agent.context = (str(data, 'summaryContent') ?? '').length
    agent.current = undefined
    const used = isObject(data.compactionTokensUsed) ? data.compactionTokensUsed : undefined
    // (Its usage already came as an `assistant.usage`.)
    if (this.compactionUsage || !used) {
      this.compactionUsage = false
      return
    }
    const tokens = usageTokens(used, 'compactionTokensUsed', m => agent.builder.warn(m, line))
    if (gross(tokens) + tokens.output === 0) return
    const model = str(used, 'model') ?? (agent === this.main ? undefined : agent.model) ?? this.model
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
  }

  /**
   * Copilot's running bill for the session (`totalNanoAiu` of a `session.usage_checkpoint` or a shutdown, billions of an
   * AI unit; an AI unit is a cent: on fresh197 the first process's 1,565,379,500,000 are the $15.653795 aco prices its
   * 59 calls at). The latest is kept: the session's own cost so far, to set beside aco's.
   */
  private billed(data: Json, line: number): void {
    const nano = data.totalNanoAiu
    if (nano === undefined || nano === null) return
    if (typeof nano !== 'number' || !Number.isFinite(nano) || nano < 0 || nano > 1e18) {
      this.ctx.skip(line, `totalNanoAiu: expected a non-negative number, got ${String(nano).slice(0, 20)}`)
      return
    }
    this.billedNanoAiu = Math.max(this.billedNanoAiu ?? 0, nano)
  }

  /** A subagent's model, told only when it ends: its calls of no model of their own take it. */
  private subagentModel(agent: Agent, model: string | undefined): void {
    if (!model || agent === this.main) return
    // (Only those its process has not yet ended for: a shutdown already paired the others.)
    for (const p of agent.guessed)
      if (!p.settled) {
        p.model = model
        p.step.model = model
      }
    agent.guessed.length = 0
  }

  /**
   * A process's end: its per-model sums, split over its calls. Copilot CLI writes each process's own figures in some
   * versions and the session's running totals in others: a shutdown whose every figure is at least the previous one's,
   * whose calls' output tokens match the growth better than the whole, is read as running totals (less the previous).
   */
  private shutdown(record: Json, data: Json, line: number): void {
    const eventId = str(record, 'id')
    if (eventId !== undefined) {
      if (this.shutdownIds.has(eventId)) return
      this.shutdownIds.add(eventId)
    }
    this.billed(data, line)
    const metrics = data.modelMetrics
    if (metrics !== undefined && metrics !== null && !isObject(metrics))
      throw new RecordError(`session.shutdown.modelMetrics: expected an object, got ${typeName(metrics)}`)
    const warn = (m: string) => this.main.builder.warn(m, line)
    const sums = new Map<string, ModelSum>()
    for (const [model, entry] of Object.entries(metrics ?? {})) {
      if (!isObject(entry) || !isObject(entry.usage)) continue
      // (Its billing breakdown, `tokenDetails`, sits beside `usage`.)
      const usage = isObject(entry.tokenDetails) ? {...entry.usage, tokenDetails: entry.tokenDetails} : entry.usage
      const tokens = usageTokens(usage, `session.shutdown.modelMetrics.${model}.usage`, warn)
      const count = isObject(entry.requests) ? entry.requests.count : undefined
      const requests = typeof count === 'number' && countProblem(count) === undefined ? count : 0
      sums.set(model, {tokens, requests})
    }
    const pending = this.pending
    for (const p of pending) p.settled = true
    this.pending = []
    this.byApiCall.clear()
    this.shutdowns++
    const own = this.segmentOf(sums, pending)
    this.previous = sums
    for (const {tokens, requests} of own.values()) {
      if (gross(tokens) + tokens.output === 0) continue
      this.recorded ??= zero()
      addInto(this.recorded, tokens)
      this.apiCalls += requests
    }
    this.spreadAll(own, pending, line)
  }

  /** This process's own figures: the shutdown's, or its growth over the previous one's when they are running totals. */
  private segmentOf(sums: Map<string, ModelSum>, pending: readonly Pending[]): Map<string, ModelSum> {
    const before = this.previous
    if (!before || before.size === 0) return sums
    const grows = [...before].every(([model, b]) => {
      const a = sums.get(model)
      if (!a) return false
      const x = a.tokens
      const y = b.tokens
      return (
        gross(x) >= gross(y) &&
        x.output >= y.output &&
        x.cacheRead >= y.cacheRead &&
        x.cacheWrite >= y.cacheWrite &&
        a.requests >= b.requests
      )
    })
    if (!grows) {
      this.readings.own++
      return sums
    }
    // The output the calls of this process wrote, against the shutdown's whole and its growth.
    let written = 0
    for (const p of pending) written += p.step.tokens?.output ?? 0
    let whole = 0
    let growth = 0
    for (const [model, a] of sums) {
      whole += a.tokens.output
      growth += a.tokens.output - (before.get(model)?.tokens.output ?? 0)
    }
    if (Math.abs(growth - written) > Math.abs(whole - written)) {
      this.readings.own++
      return sums
    }
    this.readings.running++
    const out = new Map<string, ModelSum>()
    for (const [model, a] of sums) {
      const b = before.get(model)
      if (!b) {
        out.set(model, a)
        continue
      }
      const t = a.tokens
      const u = b.tokens
      out.set(model, {
        tokens: {
          input: Math.max(0, gross(t) - gross(u) - (t.cacheRead - u.cacheRead) - (t.cacheWrite - u.cacheWrite)),
          output: t.output - u.output,
          cacheRead: t.cacheRead - u.cacheRead,
          cacheWrite: t.cacheWrite - u.cacheWrite,
          reasoning: Math.max(0, t.reasoning - u.reasoning),
        },
        requests: a.requests - b.requests,
      })
    }
    return out
  }

  /**
   * Pairs a process's calls with its models' sums: by name, then by name written another way (a date, a `-1m`, dots
   * for dashes); calls left over share what models left over count (they were counted there, under another name).
   */
  private spreadAll(sums: Map<string, ModelSum>, pending: readonly Pending[], line: number): void {
    const groups = new Map<string, Pending[]>()
    const left: Pending[] = []
    const keys = new Map<string, string>()
    for (const model of sums.keys()) keys.set(modelKey(model), model)
    // (A call of no model, when the process used one model only, is that model's.)
    const only = sums.size === 1 ? [...sums.keys()][0] : undefined
    for (const p of pending) {
      const model = p.model === undefined ? only : sums.has(p.model) ? p.model : keys.get(modelKey(p.model))
      if (model === undefined) {
        left.push(p)
        continue
      }
      const list = groups.get(model)
      if (list) list.push(p)
      else groups.set(model, [p])
    }
    const unmatched = [...sums.keys()].filter(
      m => !groups.has(m) && gross(sums.get(m)!.tokens) + sums.get(m)!.tokens.output > 0,
    )
    if (left.length && unmatched.length) {
      // What the models left over count, pooled, shared by the calls left over.
      const pool = zero()
      for (const m of unmatched) addInto(pool, sums.get(m)!.tokens)
      this.main.builder.warn(
        `session.shutdown counts ${unmatched.join(', ')}, which ${left.length} call(s) of ${[...new Set(left.map(p => p.model ?? 'no model'))].join(', ')} did not name: they share its figures`,
        line,
      )
      this.spread(unmatched.join('+'), pool, left, line)
    } else if (left.some(p => !p.exact))
      this.main.builder.warn(
        `session.shutdown counts no tokens for ${[...new Set(left.filter(p => !p.exact).map(p => p.model ?? 'a call of no model'))].join(', ')}: ` +
          `${left.filter(p => !p.exact).length} call(s) count their output tokens alone`,
        line,
      )
    for (const [model, sum] of sums) {
      if (left.length && unmatched.includes(model)) continue
      this.spread(model, sum.tokens, groups.get(model) ?? [], line)
    }
  }

  /** Splits one model's sums for a process over its calls (after those whose usage the log has). */
  private spread(model: string, total: Tokens, calls: Pending[], line: number): void {
    const rest = {...total, input: gross(total)}
    const open: Pending[] = []
    for (const p of calls) {
      const t = p.step.tokens ?? zero()
      if (p.exact) {
        rest.input -= gross(t)
        rest.cacheRead -= t.cacheRead
        rest.cacheWrite -= t.cacheWrite
        rest.output -= t.output
        rest.reasoning -= t.reasoning
      } else {
        open.push(p)
        rest.output -= t.output
      }
    }
    if (rest.input < 0 || rest.cacheRead < 0 || rest.cacheWrite < 0 || rest.output < 0)
      this.main.builder.warn(
        `${model}: the calls' own tokens exceed what session.shutdown counts for them; their shares are left as recorded`,
        line,
      )
    const cacheRead = Math.max(0, rest.cacheRead)
    const cacheWrite = Math.max(0, rest.cacheWrite)
    const input = Math.max(0, rest.input - cacheRead - cacheWrite)
    const output = Math.max(0, rest.output)
    const reasoning = Math.max(0, rest.reasoning)
    if (!open.length) {
      if (input + output + cacheRead + cacheWrite === 0) return
      // Calls the log shows no message for (a title, a model the session only named at its end): one step for them.
      const step = this.main.builder.addLlm({
        id: `shutdown/${this.shutdowns}/${model}`,
        model: model.includes('+') ? undefined : model,
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
    // Each call's prompt: what the conversation held (about 4 characters a token) and what every call sends besides
    // (the instructions and tool definitions, which the log does not hold): that part solved from the sum.
    const held = open.map(p => p.weight / CHARS_PER_TOKEN)
    const besides = Math.max(0, (input + cacheRead + cacheWrite - held.reduce((a, b) => a + b, 0)) / open.length)
    const weights = held.map(h => Math.max(1, h + besides))
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
    for (const p of open) p.step.inputUnrecorded = true
    if (open.length)
      main.warn(
        this.unreadShutdowns
          ? `input tokens not recorded for ${open.length} call(s): the session.shutdown holding them could not be read (see the lines skipped)`
          : this.shutdowns
            ? `input tokens not recorded for the ${open.length} call(s) after the last session.shutdown (Copilot CLI writes them when its process ends): they count their output alone`
            : `input tokens not recorded: no session.shutdown (Copilot CLI writes a session's input tokens when its process ends; this one is still running, or was killed), so its ${open.length} call(s) count their output alone`,
      )
    if (this.readings.running)
      main.warn(
        `${this.readings.running} of ${this.shutdowns} session.shutdown record(s) read as the session's running totals (each less the one before)`,
      )
    if (this.unanswered.size)
      main.warn(`${this.unanswered.size} tool call(s) never returned (still running when the log was saved)`)
    const uncounted = open.length ? uncountedEstimate(open) : []
    const id = this.sessionId ?? basename(this.ctx.path).replace(/\.jsonl$/i, '')
    const card = main.build({
      id,
      sessionId: this.sessionId,
      toolVersion: this.version,
      ...(this.title ? {title: this.title} : {}),
      ...(this.cwd ? {cwd: this.cwd} : {}),
      ...(this.branch ? {gitBranch: this.branch} : {}),
    })
    for (const [agentId, agent] of this.agents) {
      const task = agent.toolCallId ? main.toolStep(agent.toolCallId) : undefined
      // (Named by the task it was given, the call's `name` or `description`; run in the session's folder.)
      const args = task?.tool?.arguments
      const named = isObject(args) ? (str(args, 'name') ?? str(args, 'description')) : undefined
      const child = agent.builder.build({
        id: `${id}/agent/${agentId}`,
        sessionId: this.sessionId,
        ...(named ? {title: named} : {}),
        ...(this.cwd ? {cwd: this.cwd} : {}),
      })
      if (!child.steps.length) continue
      child.parent = {
        traceId: card.id,
        agentId,
        ...(agent.kind ? {agentType: agent.kind} : {}),
        ...(task ? {stepId: task.id, toolCallId: agent.toolCallId} : {}),
      }
      card.children.push(child)
    }
    card.warnings.push(...uncounted)
    // What Copilot counted at each process's end, the subagents' calls included: to set beside aco's totals.
    if (this.recorded)
      card.recorded = {
        source: 'copilot-cli session.shutdown modelMetrics',
        tokens: this.recorded,
        apiCalls: this.apiCalls,
      }
    // Copilot's own bill so far (its latest checkpoint): a cost the price stage sets beside what aco prices the calls at.
    if (this.billedNanoAiu !== undefined)
      card.recorded = {
        ...(card.recorded ?? {source: 'copilot-cli totalNanoAiu'}),
        costUsd: Math.round(this.billedNanoAiu / NANO_AIU_PER_NANO_USD) / 1e9,
      }
    return [card]
  }
}

/**
 * The input of calls no shutdown counted, estimated for each model (priced by the price stage, not counted): each call's
 * prompt is what the conversation held, about 4 characters a token; the part its previous call had sent is taken as
 * read from the cache, the rest as new. Low: the instructions and tool definitions every call sends are not in the log.
 */
function uncountedEstimate(calls: readonly Pending[]): CardWarning[] {
  // Each call's prompt by the conversation's size; a subagent whose end records its calls' tokens in all
  // (`totalTokens`), none of them counted by a shutdown, has its calls' estimates scaled to what that leaves.
  const prompt = new Map<Pending, {input: number; cacheRead: number}>()
  const byAgent = new Map<Agent, Pending[]>()
  for (const p of calls) {
    const prev = Math.min(p.prev ?? 0, p.weight)
    prompt.set(p, {input: (p.weight - prev) / CHARS_PER_TOKEN, cacheRead: prev / CHARS_PER_TOKEN})
    if (p.agent?.recordedTotal !== undefined) byAgent.set(p.agent, [...(byAgent.get(p.agent) ?? []), p])
  }
  const scaled = new Set<string>()
  for (const [agent, own] of byAgent) {
    if (own.length !== agent.builder.steps.filter(s => s.kind === 'llm').length) continue
    const estimated = own.reduce((a, p) => a + prompt.get(p)!.input + prompt.get(p)!.cacheRead, 0)
    const left = agent.recordedTotal! - own.reduce((a, p) => a + (p.step.tokens?.output ?? 0), 0)
    if (estimated <= 0 || left <= estimated) continue
    const k = left / estimated
    for (const p of own) {
      const e = prompt.get(p)!
      prompt.set(p, {input: e.input * k, cacheRead: e.cacheRead * k})
      scaled.add(p.model ?? '')
    }
  }
  const byModel = new Map<string, {tokens: Tokens; calls: number}>()
  for (const p of calls) {
    const key = p.model ?? ''
    const e = byModel.get(key) ?? {tokens: zero(), calls: 0}
    const t = prompt.get(p)!
    e.tokens.cacheRead += Math.round(t.cacheRead)
    e.tokens.input += Math.round(t.input)
    e.calls++
    byModel.set(key, e)
  }
  return [...byModel].map(([model, e]) => ({
    message: `${model || 'calls of no model'}: the input of ${e.calls} call(s) no session.shutdown counted, estimated from the conversation's size${scaled.has(model) ? " and the subagents' recorded totals" : ''} (about ${(e.tokens.input + e.tokens.cacheRead).toLocaleString('en-US')} prompt tokens, most of them cached; the instructions and tool definitions each call sends are not in the log), is not counted`,
    estimate: {...(model ? {model} : {}), tokens: e.tokens, calls: e.calls, counted: false},
  }))
}

/** A session folder's rewind index (`rewind-snapshots/index.json`: `{version, snapshots: [{snapshotId, eventId…}]}`). */
function isRewindIndex(doc: unknown): boolean {
  if (!isObject(doc) || !Array.isArray(doc.snapshots)) return false
  const first = doc.snapshots[0]
  return first === undefined ? typeof doc.version === 'number' : isObject(first) && typeof first.snapshotId === 'string'
}

/** Copilot CLI's settings (`~/.copilot/config.json`): the folders it trusts, who is logged in. */
function isCopilotConfig(doc: unknown): boolean {
  return isObject(doc) && ['trusted_folders', 'logged_in_users', 'last_logged_in_user'].some(k => k in doc)
}

/**
 * Copilot CLI's process log (`~/.copilot/logs/process-<time>-<pid>.log`): lines `2026-07-24T10:44:43.952Z [INFO] …`,
 * the CLI naming itself early on (`Starting Copilot CLI: 1.0.74`). What the process did, not the calls it made.
 */
function isCopilotProcessLog(head: string): boolean {
  return (
    PROCESS_LOG_LINE.test(head) &&
    /\[INFO\] Starting Copilot CLI: \d|\[rust:copilot_runtime::/.test(head) &&
    // (A debug log, `--log-level all`, holds each model call's usage and tool calls: a record aco does not read, so
    // it is no mere companion, and the run says it was not read.)
    !/\[DEBUG\] response \(Request-ID|"usage":\s*\{/.test(head)
  )
}

const PROCESS_LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z \[(?:INFO|WARNING|ERROR|DEBUG)\] /

/** Copilot CLI's command history (`~/.copilot/command-history-state.json`: `{commandHistory: [...]}`). */
function isCommandHistory(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.commandHistory) && Object.keys(doc).length <= 3
}

export const copilotCliAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'copilot-cli',
  label: 'GitHub Copilot CLI session',
  // (What a session folder and `~/.copilot` hold beside the sessions: recognised, never read as traces.)
  companions: [
    {label: "Copilot CLI rewind-snapshot index (a session's file backups, not a trace)", doc: isRewindIndex},
    {label: 'Copilot CLI command history (not a trace)', doc: isCommandHistory},
    {label: 'Copilot CLI settings (not a trace)', doc: isCopilotConfig},
    {label: "Copilot CLI process log (what the program did, not the session's calls)", text: isCopilotProcessLog},
  ],
  looksFor:
    'JSONL events {type, data, id, parentId, timestamp} of types session.start, user.message, assistant.message, tool.execution_complete, session.shutdown… (~/.copilot/session-state/<id>/events.jsonl)',
  sniff(records) {
    // Copilot's own start, or two of its event types and a field only its events carry.
    const types = new Set<string>()
    let fields = false
    for (const r of records) {
      if (!isObject(r) || typeof r.type !== 'string' || !isObject(r.data) || !('parentId' in r)) continue
      if (r.type === 'session.start' && str(r.data, 'producer') === 'copilot-agent') return true
      if (!COPILOT_TYPES.has(r.type)) continue
      types.add(r.type)
      const data = r.data
      if (COPILOT_FIELDS.some(f => f in data)) fields = true
    }
    return types.size >= 2 && fields
  },
  open: ctx => new CopilotSink(ctx),
}

/** git's line for a commit it made: `[main 0c3bfcb] message`, `[feat/x (root-commit) 1a2b3c4] message`. */
const COMMIT_MADE = /^\[[^\]\n]*? ([0-9a-f]{7,40})\] /gm
