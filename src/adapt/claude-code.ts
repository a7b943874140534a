/**
 * Claude Code session transcripts (`~/.claude/projects/<project>/<session>.jsonl`
 * and `<session>/subagents/agent-<id>.jsonl`). See corpus FORMATS.md §1.
 *
 * Traps handled here:
 * - one assistant line per content block, each repeating the same usage: one LLM
 *   step per distinct (message.id, requestId), keeping the largest usage;
 * - sidechain replays of parent messages under new request ids: matched on
 *   message.id alone when either copy is a sidechain;
 * - inline sidechains (≤1.0.x) and subagent files become child traces linked to
 *   the `Task` tool call that started them;
 * - `<synthetic>` model records are not API calls.
 */
import {basename} from 'node:path'
import {addTokens, type BuilderDetails, CardBuilder, type DetailsHeld, emptyTokens, tokenSum} from '../card/build.js'
import type {CardWarning, Step, Tokens, TraceCard} from '../card/types.js'
import {detach} from '../util/detach.js'
import {hashText} from '../util/hash.js'
import {contentText} from '../util/text.js'
import {toIso} from '../util/time.js'
import {charsPerToken, tokensForChars} from '../util/token-estimate.js'
import {
  count,
  expectObject,
  firstLine,
  isObject,
  obj,
  str,
  strField,
  usdProblem,
  type Json,
  typeName,
} from './fields.js'
import {RecordError, type AdaptContext, type JsonlAdapter, type RecordSink} from './types.js'
import {lazyModule} from '../util/lazy-module.js'

/** A reader's state is serialised only for the cache's resumable reads (see lazy-module.ts). */
const v8 = lazyModule<typeof import('node:v8')>('node:v8')

/**
 * Records about the session, not in its conversation (Claude Code 2.1 writes several at the start of a file): the
 * title a person gave it (`/rename`), the title Claude Code generated, the agent's name, the last prompt, the mode.
 */
const METADATA_TYPES = new Set(['custom-title', 'ai-title', 'agent-name', 'last-prompt', 'permission-mode'])

const RECORD_TYPES = new Set([
  'user',
  'assistant',
  'progress',
  'summary',
  'file-history-snapshot',
  'queue-operation',
  'system',
  'attachment',
  ...METADATA_TYPES,
])

/** The Claude Code usage object converted to the card's token meaning. */
function claudeTokens(usage: Json, path = 'message.usage'): Tokens {
  const input = count(usage, 'input_tokens', path)
  const output = count(usage, 'output_tokens', path)
  const cacheRead = count(usage, 'cache_read_input_tokens', path)
  let cacheWrite = count(usage, 'cache_creation_input_tokens', path)
  const split = obj(usage, 'cache_creation', path)
  const tokens: Tokens = {input, output, cacheRead, cacheWrite, reasoning: 0}
  if (split) {
    const w5 = count(split, 'ephemeral_5m_input_tokens', `${path}.cache_creation`)
    const w1h = count(split, 'ephemeral_1h_input_tokens', `${path}.cache_creation`)
    // ccusage counts writes as the 5m+1h breakdown when it is present.
    if (w5 + w1h > 0) cacheWrite = w5 + w1h
    tokens.cacheWrite = cacheWrite
    tokens.cacheWrite1h = w1h
  }
  return tokens
}

/**
 * A response's usage, read whole: where the API ran several model turns within one call (`usage.iterations`: a server
 * tool the model called, such as Claude's advisor), the executor's tokens are its own turns' (the top-level sums them,
 * but its cache-write split may be the first turn's alone), its context the last turn's prompt, and each advisor turn
 * is a call of its own, billed at its model's rates, which the top-level usage leaves out.
 */
function claudeUsage(usage: Json): {
  tokens: Tokens
  context?: number
  advisors: Array<{model?: string; tokens: Tokens}>
} {
  const iterations = Array.isArray(usage.iterations) ? usage.iterations.filter(isObject) : []
  if (iterations.length < 2) return {tokens: claudeTokens(usage), advisors: []}
  const own = iterations.filter(it => it.type !== 'advisor_message')
  const advisors = iterations
    .filter(it => it.type === 'advisor_message')
    .map(it => ({model: str(it, 'model'), tokens: claudeTokens(it, 'message.usage.iterations[]')}))
  if (!own.length) return {tokens: claudeTokens(usage), advisors}
  const turns = own.map(it => claudeTokens(it, 'message.usage.iterations[]'))
  const last = turns[turns.length - 1]!
  return {
    tokens: turns.reduce(addTokens, emptyTokens()),
    context: last.input + last.cacheRead + last.cacheWrite,
    advisors,
  }
}

/** The id a subagent's card gets, so its parent can point at it before it is read. */
function subagentTraceId(sessionId: string, agentId: string): string {
  return `${sessionId}/agent-${agentId}`
}

interface LlmEntry {
  step: Step
  part: Part
  total: number
  sidechain: boolean
  requestId: string | undefined
  /** Characters of the response's content (text, thinking, tool calls), each block counted once. */
  chars: number
  blocks: Set<string>
  /** How many of the advisor calls its usage reported are steps of their own yet (see `claudeUsage`). */
  advisorSteps: number
}

/** The most output tokens one response holds (the largest output limit of current models, 128k): an estimate's ceiling. */
const MAX_RESPONSE_TOKENS = 128_000
/**
 * A recorded output this far below what the text holds is a streaming placeholder: on responses with a final
 * count the corpus has at most 6.6 characters per output token, against 3 × 3.5 = 10.5 here.
 */
const PLACEHOLDER_FACTOR = 3
/** …and only when the gap is worth an estimate. */
const PLACEHOLDER_MIN_GAP = 16

/** Shell calls waiting for their results, at most (see `ClaudeCodeSink.shellRan`). */
const MAX_PENDING_SHELL = 64
/** A command line that changes the shell's folder (`cd api && npm install`, `pushd src`). */
const CHANGES_FOLDER = /(?:^|[;&|(]\s*)(?:cd|pushd|Set-Location|sl)\s/

/** One trace being assembled: the session itself, or an inline sidechain chain. */
interface Part {
  builder: CardBuilder
  rootUuid?: string
  prompt?: string
}

/**
 * Results held for a call not yet read, at most, and the characters of their outputs (past either, one is warned of at
 * once: a file of results whose calls are not in it, review 91: 990 of them had held 400 MB).
 */
const MAX_EARLY_RESULTS = 1000
const MAX_EARLY_CHARS = 8_000_000

/** A tool_result block and what came with it (see `ClaudeCodeSink.resolve`). */
interface EarlyResult {
  isError: boolean
  output: string
  /** The record's `toolUseResult`, kept only where it names a subagent (what `resolve` reads of it). */
  result: Json | undefined
  part: Part
  timestamp: string | undefined
  line: number
  /** The folder the result's record names (where a `cd` in the call left the shell). */
  cwd: string | undefined
}

/** A sink's state in a snapshot (see `ClaudeCodeSink.state`). */
interface SinkState {
  fields: Record<string, unknown>
  details: BuilderDetails[]
  agents: Array<[string, SinkState]>
}

class ClaudeCodeSink implements RecordSink {
  private readonly main: Part
  private readonly chains = new Map<string, Part>()
  /** uuid of a sidechain record → uuid of its chain's root. */
  private readonly sideRoot = new Map<string, string>()
  private readonly timestamps = new Map<string, string>()
  private readonly byKey = new Map<string, LlmEntry>()
  private readonly byMessageId = new Map<string, LlmEntry>()
  private readonly entries: LlmEntry[] = []
  /** tool_use id → part that holds it (results may arrive in any part). */
  private readonly toolPart = new Map<string, Part>()
  /** agentId → Task tool_use id, from progress records and Task results. */
  private readonly agentLinks = new Map<string, string>()
  /** Subagents as the parent's `agent_progress` records copy them: agentId → a reader of their records. */
  private readonly progressAgents = new Map<string, ClaudeCodeSink>()
  /** What a Task result says of the subagent it ran (usage of its last call, tool uses), by agentId. */
  private readonly agentResults = new Map<string, Json>()
  /** The id of a shell command run in the background (`Command running in background with ID: X`) → its call's id. */
  private readonly shellCalls = new Map<string, string>()
  /** What a background agent's completion notice records of it (`<usage>`: its last call's tokens, its tool uses). */
  private readonly noticedUsage = new Map<string, NoticedUsage>()
  /** Task tool steps → a hash of their whole prompt. */
  private readonly taskPrompts = new Map<Step, string>()
  /** Results written before the call they answer, by the call's id (see `user`), and the characters of their outputs. */
  private readonly earlyResults = new Map<string, EarlyResult>()
  private earlyChars = 0
  /** Shell calls issued and not answered yet, in the order they were issued, with their response (see `shellRan`). */
  private readonly pendingShell: Array<{id: string; step: Step; part: Part; response: Step}> = []
  private sessionId: string | undefined
  private agentId: string | undefined
  private version: string | undefined
  private firstVersion: string | undefined
  private cwd: string | undefined
  private recordCwd: string | undefined
  private gitBranch: string | undefined
  private title: string | undefined
  /** The title a person gave the session, and the one Claude Code generated for it (before a summary's). */
  private customTitle: string | undefined
  private aiTitle: string | undefined
  private userType: string | undefined
  private firstPrompt: string | undefined
  private parentUuidOfFirst: string | undefined
  private sawRecord = false
  private lastTimestamp: string | undefined

  /** The details the file's builders keep as they are (see card/build.ts), counted once for the whole file. */
  private readonly held: DetailsHeld

  constructor(
    private readonly ctx: AdaptContext,
    held: DetailsHeld = {chars: 0},
  ) {
    this.held = held
    this.main = {builder: new CardBuilder('claude-code', ctx.path, ctx.redact, held)}
  }

  snapshot(): Uint8Array {
    return v8().serialize(this.state())
  }

  /**
   * Every field but the context, as a structured clone keeps them (shared
   * objects stay shared: an entry's step is the builder's step), with what a
   * clone leaves out beside it: the builders' details, the subagent sinks.
   */
  private state(): SinkState {
    // (Shell calls waiting for their results are not kept: a read resumed between a call and its result reads the
    // folder it was issued in, as before.)
    const {
      ctx: _ctx,
      progressAgents: _agents,
      pendingShell: _pending,
      ...fields
    } = this as unknown as Record<string, unknown>
    return {
      fields,
      details: this.parts().map(p => p.builder.details()),
      agents: [...this.progressAgents].map(([id, sink]) => [id, sink.state()]),
    }
  }

  private parts(): Part[] {
    return [this.main, ...this.chains.values()]
  }

  /** A sink in the state `state()` kept, reading for `ctx`. */
  static revive(ctx: AdaptContext, state: SinkState): ClaudeCodeSink {
    const sink = Object.create(ClaudeCodeSink.prototype) as ClaudeCodeSink
    Object.assign(sink, state.fields, {
      ctx,
      pendingShell: [],
      progressAgents: new Map(state.agents.map(([id, agent]) => [id, ClaudeCodeSink.revive(ctx, agent)])),
    })
    sink.parts().forEach((p, i) => {
      CardBuilder.revive(p.builder, state.details[i] ?? [])
    })
    return sink
  }

  push(raw: unknown, line: number): void {
    const rec = expectObject(raw)
    const type = str(rec, 'type')
    if (type === 'summary') {
      this.title ??= str(rec, 'summary')
      return
    }
    if (type !== undefined && METADATA_TYPES.has(type)) {
      // The last title given is the session's (a rename replaces it), as Claude Code's own list shows it.
      if (type === 'custom-title') this.customTitle = str(rec, 'customTitle') ?? this.customTitle
      else if (type === 'ai-title') this.aiTitle = str(rec, 'aiTitle') ?? this.aiTitle
      return
    }
    if (type === 'queue-operation') {
      // A background task's notice is queued when it finishes (delivered later, as an attachment or a prompt).
      if (typeof rec.content === 'string') this.notified(rec.content, toIso(rec.timestamp))
      return
    }
    if (type === 'file-history-snapshot') return

    const uuid = str(rec, 'uuid')
    const parentUuid = str(rec, 'parentUuid')
    if (!this.sawRecord) {
      this.sawRecord = true
      this.parentUuidOfFirst = parentUuid
    }
    this.sessionId ??= str(rec, 'sessionId')
    this.agentId ??= str(rec, 'agentId')
    this.cwd ??= str(rec, 'cwd')
    // The shell's directory when this record was written: Bash keeps a `cd` across calls.
    this.recordCwd = str(rec, 'cwd')
    this.gitBranch ||= str(rec, 'gitBranch')
    this.userType ??= str(rec, 'userType')
    const version = str(rec, 'version')
    if (version) {
      this.firstVersion ??= version
      this.version = version
    }
    const part = this.partFor(rec, uuid, parentUuid)
    const timestamp = part.builder.time(rec.timestamp, line)
    if (uuid && timestamp) this.timestamps.set(uuid, timestamp)
    part.builder.seen(timestamp)

    if (type === 'progress') {
      const data = rec.data
      if (isObject(data) && data.type === 'agent_progress') {
        const agentId = str(data, 'agentId')
        const toolUseId = str(rec, 'parentToolUseID')
        if (agentId && toolUseId) this.agentLinks.set(agentId, toolUseId)
        if (agentId && isObject(data.message)) this.progressRecord(agentId, data.message, rec, line)
      }
      this.lastTimestamp = timestamp ?? this.lastTimestamp
      return
    }

    // Claude Code compacted the conversation (`/compact`, or automatically): the next call starts from its summary,
    // whatever the prompt's size says (a large system prompt and the files read back keep it near what it was).
    // A microcompaction (`microcompact_boundary`) takes the results of the calls it lists out of the context: taken as
    // a compaction whole, it may hide a re-read of a result it kept, never call one it took out a re-read.
    if (
      type === 'system' &&
      (rec.subtype === 'compact_boundary' || rec.subtype === 'microcompact_boundary') &&
      part === this.main
    )
      part.builder.contextCompacted()
    // The person cleared the conversation (`/clear`): Claude Code 1.0 went on in the same file under a new session id,
    // the next call starting from nothing (newer versions start a file of their own).
    if (type === 'user' && part === this.main && isObject(rec.message) && clearCommand(rec.message.content))
      part.builder.contextCompacted()
    const message = rec.message
    if (type === 'attachment' && isObject(rec.attachment)) {
      const attachment = rec.attachment
      const prompt = str(attachment, 'prompt')
      if (prompt) this.notified(prompt, timestamp)
      // A person's message queued while the agent worked, delivered within its turn (its text a string or text blocks;
      // a task's notice is queued too, in another mode).
      if (attachment.type === 'queued_command') {
        const origin = isObject(attachment.origin) ? attachment.origin.kind : undefined
        const text = prompt ?? (Array.isArray(attachment.prompt) ? contentText(attachment.prompt) : undefined)
        if (text && (origin === 'human' || (origin === undefined && attachment.commandMode === 'prompt')))
          part.builder.promptAside(text)
      }
      // A file changed outside the agent (the person's editor, a formatter), as Claude Code tells the agent.
      const file = str(attachment, 'filename')
      if (file && attachment.type === 'edited_text_file') part.builder.changedOutside(file)
    }
    if (!isObject(message)) {
      if (type === 'user' || type === 'assistant')
        throw new RecordError(`message: expected an object, got ${typeName(message)}`)
      this.lastTimestamp = timestamp ?? this.lastTimestamp
      return
    }
    const role = str(message, 'role')
    if (type === 'assistant' || (type === undefined && role === 'assistant')) {
      this.assistant(rec, message, part, timestamp, parentUuid, line)
    } else if (type === 'user' || role === 'user') {
      this.user(rec, message, part, timestamp, line)
    }
    this.lastTimestamp = timestamp ?? this.lastTimestamp
  }

  /**
   * A subagent's record as the parent's `agent_progress` record copies it (2.1.x): read into the subagent's
   * own trace, as its `subagents/agent-<id>.jsonl` would be (that file, where it exists, replaces this trace
   * when the session is read with it, so no call counts twice).
   */
  private progressRecord(agentId: string, inner: Json, outer: Json, line: number): void {
    if ((inner.type !== 'assistant' && inner.type !== 'user') || !isObject(inner.message)) return
    let sink = this.progressAgents.get(agentId)
    if (!sink) {
      sink = new ClaudeCodeSink(this.ctx, this.held)
      this.progressAgents.set(agentId, sink)
    }
    sink.push(
      {
        ...inner,
        sessionId: this.sessionId ?? outer.sessionId,
        agentId,
        isSidechain: true,
        timestamp: inner.timestamp ?? outer.timestamp,
        version: outer.version,
        cwd: outer.cwd,
      },
      line,
    )
  }

  /** Which trace a record belongs to: the session, or an inline sidechain chain. */
  private partFor(rec: Json, uuid: string | undefined, parentUuid: string | undefined): Part {
    // A subagent file is one agent: every record belongs to the file's own trace.
    if (rec.isSidechain !== true || rec.agentId !== undefined) return this.main
    let root = parentUuid ? this.sideRoot.get(parentUuid) : undefined
    if (!root) root = uuid ?? `chain${this.chains.size}`
    if (uuid) this.sideRoot.set(uuid, root)
    let part = this.chains.get(root)
    if (!part) {
      part = {builder: new CardBuilder('claude-code', this.ctx.path, this.ctx.redact, this.held), rootUuid: root}
      this.chains.set(root, part)
    }
    return part
  }

  private assistant(
    rec: Json,
    message: Json,
    part: Part,
    timestamp: string | undefined,
    parentUuid: string | undefined,
    line: number,
  ): void {
    // (A model that is no string is a record written wrong: skipped with its line, never a call of no model.)
    const model = strField(message, 'model', 'message')
    if (model === '<synthetic>') return
    const usage = obj(message, 'usage', 'message')
    const messageId = str(message, 'id')
    const requestId = str(rec, 'requestId')
    const sidechain = rec.isSidechain === true
    const read = usage ? claudeUsage(usage) : undefined
    const tokens = read?.tokens
    const total = tokens ? tokenSum(tokens) : 0
    const costUSD = rec.costUSD
    if (costUSD !== undefined && costUSD !== null && usdProblem(costUSD) !== undefined) {
      throw new RecordError(`costUSD: ${usdProblem(costUSD)}`)
    }

    let entry: LlmEntry | undefined
    if (messageId) {
      entry = this.byKey.get(`${messageId}\u0000${requestId ?? ''}`)
      if (!entry) {
        // A sidechain replay repeats a parent message under a new request id.
        const same = this.byMessageId.get(messageId)
        if (same && same.requestId !== requestId && (same.sidechain || sidechain)) entry = same
      }
    }

    if (entry) {
      const step = entry.step
      // A later line of the response whose output grew and whose prompt counts differ is the provider's final
      // accounting (an Anthropic-compatible endpoint, GLM or Kimi, writes its first line with an estimate of the
      // prompt and no output; Anthropic's own prompt counts never change between lines): it is the billed usage,
      // however its sum compares (trial 92: GLM-5's 27,693 → 26,158 in, 0 → 116 out).
      // (Its prompt within a quarter of the first line's: an estimate, not another request's; review 93.)
      const prev = step.tokens
      const prompt = (t: Tokens): number => t.input + t.cacheRead + t.cacheWrite
      const final =
        tokens !== undefined &&
        prev !== undefined &&
        tokens.output > prev.output &&
        (tokens.input !== prev.input || tokens.cacheRead !== prev.cacheRead || tokens.cacheWrite !== prev.cacheWrite) &&
        prompt(tokens) > 0 &&
        Math.abs(prompt(tokens) - prompt(prev)) <= prompt(prev) / 4
      if (tokens && (total > entry.total || final)) {
        step.tokens = tokens
        entry.total = total
      }
      // (A record of the response that tells its turns, whichever it is.)
      if (read?.context !== undefined && total >= entry.total) step.context = read.context
      if (read) this.addAdvisorSteps(entry, read.advisors, timestamp, line)
      if (!sidechain && entry.sidechain) entry.sidechain = false
      if (timestamp && (!step.endedAt || timestamp > step.endedAt)) {
        // (The first record's time stays the call's date, as ccusage dates it: see Step's `loggedAt`.)
        if (step.endedAt && step.loggedAt === undefined) step.loggedAt = step.endedAt
        step.endedAt = timestamp
        if (step.startedAt) step.durationMs = Math.max(0, Date.parse(timestamp) - Date.parse(step.startedAt))
      }
      if (typeof costUSD === 'number' && step.cost?.recordedUsd === undefined)
        step.cost = {usd: null, source: 'unpriced', recordedUsd: costUSD}
      this.blocks(message, entry, timestamp, line)
      return
    }

    const startedAt = (parentUuid && this.timestamps.get(parentUuid)) || this.lastTimestamp || timestamp
    const step = part.builder.addLlm({
      id: messageId,
      model,
      tokens,
      startedAt,
      endedAt: timestamp,
      stopReason: str(message, 'stop_reason'),
      line,
      cost: typeof costUSD === 'number' ? {usd: null, source: 'unpriced', recordedUsd: costUSD} : undefined,
    })
    if (!tokens) part.builder.warn(`assistant message ${messageId ?? ''} has no usage`, line)
    if (read?.context !== undefined) step.context = read.context
    const created: LlmEntry = {step, part, total, sidechain, requestId, chars: 0, blocks: new Set(), advisorSteps: 0}
    if (read) this.addAdvisorSteps(created, read.advisors, timestamp, line)
    this.entries.push(created)
    if (messageId) {
      this.byKey.set(`${messageId}\u0000${requestId ?? ''}`, created)
      if (!this.byMessageId.has(messageId)) this.byMessageId.set(messageId, created)
    }
    this.blocks(message, created, timestamp, line)
  }

  /** The advisor calls a response's usage reports that are not steps yet, each an LLM step after the response's. */
  private addAdvisorSteps(
    entry: LlmEntry,
    advisors: ReadonlyArray<{model?: string; tokens: Tokens}>,
    timestamp: string | undefined,
    line: number,
  ): void {
    for (let k = entry.advisorSteps; k < advisors.length; k++) {
      const {model, tokens} = advisors[k]!
      entry.part.builder.addLlm({
        id: `${entry.step.id}/advisor-${k + 1}`,
        model,
        tokens,
        startedAt: entry.step.startedAt,
        endedAt: timestamp,
        line,
      })
    }
    entry.advisorSteps = Math.max(entry.advisorSteps, advisors.length)
  }

  private blocks(message: Json, entry: LlmEntry, timestamp: string | undefined, line: number): void {
    const {part, step} = entry
    const content = message.content
    if (typeof content === 'string') {
      countBlock(entry, 'text', content)
      part.builder.appendText(step, content)
      return
    }
    if (!Array.isArray(content)) return
    for (const block of content) {
      if (!isObject(block)) continue
      if (block.type === 'text' && typeof block.text === 'string') {
        countBlock(entry, 'text', block.text)
        part.builder.appendText(step, block.text)
      } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
        countBlock(entry, 'thinking', block.thinking)
      } else if (block.type === 'tool_use') {
        countBlock(entry, 'tool_use', `${str(block, 'name') ?? ''}${JSON.stringify(block.input ?? null)}`)
        const id = str(block, 'id')
        if (id && part.builder.toolStep(id)) continue
        const name = str(block, 'name') ?? 'unknown'
        const toolStep = part.builder.addToolCall(step, id, name, block.input, timestamp, line)
        if (this.recordCwd && this.recordCwd !== this.cwd) toolStep.cwd = this.recordCwd
        if (name === 'Bash' && id) {
          this.pendingShell.push({id, step: toolStep, part, response: step})
          // (Calls never answered, a session cut short, are not kept for ever.)
          if (this.pendingShell.length > MAX_PENDING_SHELL) this.pendingShell.shift()
        }
        // The card keeps a shortened copy of the arguments: remember the whole prompt to link an inline sidechain.
        const prompt = isObject(block.input) ? str(block.input, 'prompt') : undefined
        if (name === 'Task' && prompt) this.taskPrompts.set(toolStep, hashText(prompt.trim()))
        if (id) this.toolPart.set(id, part)
        const early = id === undefined ? undefined : this.earlyResults.get(id)
        if (early) {
          this.earlyResults.delete(id!)
          this.earlyChars -= early.output.length
          this.resolve(id!, early)
        }
      }
    }
  }

  /**
   * A `<task-notification>` (Claude Code 2.1: in a queued command, its attachment, or the prompt that delivers it)
   * says a call that went on in the background finished: the first notice's time is when.
   */
  private notified(text: string, timestamp: string | undefined): void {
    const usage = noticedUsage(text)
    if (usage && !this.noticedUsage.has(usage.agentId)) this.noticedUsage.set(usage.agentId, usage)
    if (!timestamp) return
    // The call by its `<tool-use-id>`; where that names no call here (a log whose ids were redacted), by its
    // `<task-id>`: the agent's id, or the background shell's, as the call's result gave it.
    let callId = notifiedCall(text)
    if (callId === undefined || !this.toolPart.has(callId)) {
      const task = notifiedTask(text)
      callId = task === undefined ? undefined : (this.agentLinks.get(task) ?? this.shellCalls.get(task))
    }
    if (!callId) return
    const background = this.toolPart.get(callId)?.builder.toolStep(callId)?.tool?.background
    if (background && (background.finishedAt === undefined || timestamp! < background.finishedAt))
      background.finishedAt = timestamp
  }

  private user(rec: Json, message: Json, part: Part, timestamp: string | undefined, line: number): void {
    const content = message.content
    if (typeof content === 'string') this.notified(content, timestamp)
    if (isPrompt(rec, content)) part.builder.newTurn(contentText(content))
    if (part !== this.main && part.prompt === undefined) part.prompt = contentText(content)
    if (part === this.main && this.firstPrompt === undefined && isPrompt(rec, content)) {
      const title = promptTitleOf(content)
      if (title) this.firstPrompt = title
    }
    if (!Array.isArray(content)) return
    const result = isObject(rec.toolUseResult) ? rec.toolUseResult : undefined
    for (const block of content) {
      if (!isObject(block) || block.type !== 'tool_result') continue
      const callId = str(block, 'tool_use_id')
      if (!callId) continue
      const output = contentText(block.content)
      const early: EarlyResult = {
        isError: block.is_error === true,
        output,
        result: result && str(result, 'agentId') ? result : undefined,
        part,
        timestamp,
        line,
        cwd: this.recordCwd,
      }
      // A result written before the call it answers (Claude Code 2.1 writes the two lines out of order at times, its
      // `parentUuid` naming the call's record): held until the call comes, within a bound (its output only); one no
      // call claims is warned of at the end.
      if (
        (this.toolPart.get(callId) ?? part).builder.toolStep(callId) ||
        this.earlyResults.size >= MAX_EARLY_RESULTS ||
        this.earlyChars + output.length > MAX_EARLY_CHARS
      )
        this.resolve(callId, early)
      else {
        this.earlyResults.set(callId, early)
        this.earlyChars += output.length
      }
    }
  }

  /** A call's result, as a tool_result block gives it (and the record's `toolUseResult`). */
  private resolve(callId: string, {isError, output, result, part, timestamp, line, cwd}: EarlyResult): void {
    const owner = this.toolPart.get(callId) ?? part
    const exitCode = isError ? exitCodeOf(output) : undefined
    const ok = owner.builder.resolveTool(callId, {
      status: isError ? 'error' : 'ok',
      exitCode,
      output,
      endedAt: timestamp,
    })
    if (ok) this.shellRan(callId, cwd)
    if (!ok) owner.builder.warn(`tool_result for unknown tool_use ${callId}`, line)
    // An async agent, a shell command run in the background: the call goes on after its result.
    else if (!isError && BACKGROUND_RESULT.test(output)) {
      const tool = owner.builder.toolStep(callId)?.tool
      if (tool) tool.background = {}
      const shell = BACKGROUND_SHELL_ID.exec(output)?.[1]
      if (shell) this.shellCalls.set(shell, callId)
    }
    const agentId = result ? str(result, 'agentId') : undefined
    if (agentId) {
      this.agentLinks.set(agentId, callId)
      this.agentResults.set(agentId, result!)
    }
  }

  /**
   * Claude Code runs the shell calls of one response one after another, in one shell that keeps a `cd`: a call that
   * moved the shell (`cd api && npm install`: its result written from another folder than the call) moved every later
   * call of the response too, each written down, before it ran, in the folder it was issued from.
   */
  private shellRan(callId: string, now = this.recordCwd): void {
    const k = this.pendingShell.findIndex(p => p.id === callId)
    if (k === -1) return
    const ran = this.pendingShell[k]!
    this.pendingShell.splice(k, 1)
    const from = ran.step.cwd ?? this.cwd
    // (Only a call that changes folder: the folder a record names also changes for reasons of its own, a path's form.)
    const command = (ran.step.tool?.arguments as {command?: unknown} | undefined)?.command
    if (!now || !from || now === from || typeof command !== 'string' || !CHANGES_FOLDER.test(command)) return
    // Every call of the same response issued after it, not one of another response left waiting (cut short).
    for (let j = k; j < this.pendingShell.length; j++) {
      const next = this.pendingShell[j]!
      if (next.response !== ran.response || next.part !== ran.part || (next.step.cwd ?? this.cwd) !== from) continue
      if (now === this.cwd) delete next.step.cwd
      else next.step.cwd = now
    }
  }

  /**
   * Output counts that are streaming placeholders (2.1.x logs write the count the stream started with on every
   * record of a response: 1 or 8 tokens for thousands of characters) are replaced by an estimate from the
   * text, the step marked estimated, and each trace says how many and by how much (the price stage adds the
   * dollars).
   */
  private estimatePlaceholders(): void {
    const found = new Map<
      Part,
      Map<string, {calls: number; recorded: number; estimated: number; capped: number; example: LlmEntry}>
    >()
    for (const entry of this.entries) {
      const {step} = entry
      const tokens = step.tokens
      if (!tokens) continue
      // (At most what a response can hold: text beyond it came from elsewhere, not from one model's answer.)
      const estimate = Math.min(tokensForChars(entry.chars, step.model), MAX_RESPONSE_TOKENS)
      if (tokens.output * PLACEHOLDER_FACTOR >= estimate || estimate - tokens.output < PLACEHOLDER_MIN_GAP) continue
      step.recordedOutput = tokens.output
      step.tokens = {...tokens, output: estimate}
      step.estimated = true
      let byModel = found.get(entry.part)
      if (!byModel) {
        byModel = new Map()
        found.set(entry.part, byModel)
      }
      const model = step.model ?? ''
      const sum = byModel.get(model) ?? {calls: 0, recorded: 0, estimated: 0, capped: 0, example: entry}
      sum.calls++
      if (estimate === MAX_RESPONSE_TOKENS) sum.capped++
      sum.recorded += tokens.output
      sum.estimated += estimate
      if (entry.chars > sum.example.chars) sum.example = entry
      byModel.set(model, sum)
    }
    for (const [part, byModel] of found) {
      for (const [model, sum] of byModel) {
        const ex = sum.example
        const extra = sum.estimated - sum.recorded
        part.builder.warnings.push({
          message: `${sum.calls} response${sum.calls === 1 ? '' : 's'} logged a streaming placeholder as output count (${ex.step.recordedOutput} token${ex.step.recordedOutput === 1 ? '' : 's'} for ${ex.chars.toLocaleString('en-US')} characters of text, the largest): output estimated from the text at ${charsPerToken(model)} characters a token, ${sum.recorded.toLocaleString('en-US')} → ${sum.estimated.toLocaleString('en-US')} tokens${sum.capped ? ` (${sum.capped} of them held more text than one response can: each counted at ${MAX_RESPONSE_TOKENS.toLocaleString('en-US')} tokens, the most any model writes at once)` : ''}; the steps are marked estimated`,
          estimate: {
            ...(model ? {model} : {}),
            tokens: {input: 0, output: extra, cacheRead: 0, cacheWrite: 0, reasoning: 0},
            calls: sum.calls,
            counted: true,
          },
        })
      }
    }
  }

  /**
   * Subagents read from the parent's `agent_progress` records, nested under the Task call that started
   * them. Where those records carry no call of the subagent (newer versions copy none), its calls are lost
   * unless its transcript file is read with the session: the session says so, with what the Task result lets
   * one estimate (priced by the price stage, not counted). Reading the session with its subagent files
   * (link.ts) puts each file's trace in place of these, and drops the warning.
   */
  private progressSubagents(card: TraceCard): void {
    const sessionId = card.sessionId
    if (!sessionId) return
    for (const [agentId, toolUseId] of this.agentLinks) {
      const task = this.main.builder.toolStep(toolUseId)
      const childId = subagentTraceId(sessionId, agentId)
      const [child] = this.progressAgents.get(agentId)?.finish() ?? []
      if (child && child.totals.llmCalls > 0) {
        child.id = childId
        child.parent = {...child.parent, traceId: card.id}
        if (task) {
          child.parent.stepId = task.id
          if (task.tool?.callId) child.parent.toolCallId = task.tool.callId
          const type = (task.tool?.arguments as {subagent_type?: unknown} | undefined)?.subagent_type
          if (typeof type === 'string') child.parent.agentType = type
        }
        child.warnings.push({
          message: `read from the parent session's agent_progress records: its own transcript (subagents/agent-${agentId}.jsonl) was not read with the session`,
        })
        // (Some versions copy a call's usage there as zeros: no call sends an empty prompt, so its input is not 0 but
        // unrecorded, and the call counts by its output alone, a floor, as Copilot CLI's such calls do.)
        let unrecorded = 0
        for (const s of child.steps)
          if (s.kind === 'llm' && s.tokens && s.tokens.input + s.tokens.cacheRead + s.tokens.cacheWrite === 0) {
            s.inputUnrecorded = true
            unrecorded++
          }
        if (unrecorded)
          child.warnings.push({
            message: `${unrecorded} of its calls' prompts are recorded as 0 tokens in those records: their input is not known, and their cost is counted by their output alone (a floor)`,
          })
        card.children.push(child)
        continue
      }
      const result = this.agentResults.get(agentId)
      if (!result && !this.progressAgents.has(agentId)) continue
      const parentStep = task?.parentStepId ? this.main.builder.steps.find(s => s.id === task.parentStepId) : undefined
      card.warnings.push({
        ...missingSubagent(agentId, task, result, parentStep?.model, this.noticedUsage.get(agentId)),
        subagent: childId,
      })
    }
  }

  finish(): TraceCard[] {
    if (!this.sawRecord && this.byKey.size === 0) return []
    for (const [callId, early] of this.earlyResults)
      early.part.builder.warn(`tool_result for unknown tool_use ${callId}`, early.line)
    this.earlyResults.clear()
    this.earlyChars = 0
    this.estimatePlaceholders()
    const sessionId = this.sessionId
    const fileStem = basename(this.ctx.path).replace(/\.jsonl$/i, '')
    const isSubagent = this.agentId !== undefined
    const id = sessionId ? (isSubagent ? subagentTraceId(sessionId, this.agentId!) : sessionId) : fileStem
    const card = this.main.builder.build({
      id,
      sessionId,
      toolVersion: this.version,
      originator: this.userType,
      title: firstLine(this.customTitle) ?? firstLine(this.aiTitle) ?? this.title ?? firstLine(this.firstPrompt),
      cwd: this.cwd,
      gitBranch: this.gitBranch,
    })
    if (this.firstVersion !== this.version && this.firstVersion) card.source.toolVersionFirst = this.firstVersion
    if (isSubagent) {
      card.parent = {sessionId, agentId: this.agentId}
      if (this.agentId!.startsWith('acompact')) card.parent.agentType = 'compact'
      if (this.parentUuidOfFirst && this.agentId!.startsWith('acompact')) card.title ??= 'context compaction'
    }

    // Subagents in their own files: point the Task step at the card id they will have.
    if (sessionId) {
      for (const [agentId, toolUseId] of this.agentLinks) {
        const step = this.main.builder.toolStep(toolUseId)
        if (!step) continue
        step.childTraceIds ??= []
        step.childTraceIds.push(subagentTraceId(sessionId, agentId))
      }
    }
    if (!isSubagent) this.progressSubagents(card)

    // Inline sidechains: each chain is a child trace of the Task call whose prompt started it.
    const tasks = this.main.builder.steps.filter(s => s.kind === 'tool' && s.tool?.name === 'Task')
    const usedTasks = new Set<Step>()
    let n = 0
    for (const part of this.chains.values()) {
      if (part.builder.steps.length === 0) continue
      n++
      const prompt = part.prompt?.trim()
      const promptHash = prompt ? hashText(prompt) : undefined
      const task = tasks.find(
        t => !usedTasks.has(t) && promptHash !== undefined && this.taskPrompts.get(t) === promptHash,
      )
      const child = part.builder.build({
        id: `${id}/sidechain-${n}`,
        sessionId,
        toolVersion: this.version,
        title: firstLine(prompt),
        cwd: this.cwd,
      })
      child.parent = {traceId: card.id, sessionId}
      if (task) {
        usedTasks.add(task)
        child.parent.stepId = task.id
        child.parent.toolCallId = task.tool?.callId
        const type = (task.tool?.arguments as {subagent_type?: unknown} | undefined)?.subagent_type
        if (typeof type === 'string') child.parent.agentType = type
        task.childTraceIds ??= []
        task.childTraceIds.push(child.id)
      } else {
        card.warnings.push({
          message: `sidechain ${n}: no Task call in this file started it (a /btw side question, or a subagent whose Task is elsewhere)`,
        })
      }
      card.children.push(child)
    }
    return [card]
  }
}

/**
 * The warning for a subagent whose calls are in no record read: its transcript is missing. The Task result
 * gives its last call's usage and its tool uses; the estimate assumes one call per tool use plus the answer,
 * a context growing evenly to the last call's, written to the cache once and read back by each call.
 */
function missingSubagent(
  agentId: string,
  task: Step | undefined,
  result: Json | undefined,
  model: string | undefined,
  notice?: NoticedUsage,
): CardWarning {
  const description = isObject(task?.tool?.arguments) ? str(task.tool.arguments, 'description') : undefined
  const what = `subagent ${agentId}${description ? ` ("${description}")` : ''}: its transcript (subagents/agent-${agentId}.jsonl) was not read and the session's progress records hold none of its calls, so they are not counted`
  const usage = result ? obj(result, 'usage', 'toolUseResult') : undefined
  if (!usage && notice) {
    // A background agent: its Task result only says it was launched; its completion notice records its last call's
    // tokens as one sum and its tool uses. The same estimate, all of that call's tokens taken as its prompt (its
    // output, a small part, is not told apart: the estimate leaves out the output it wrote).
    const calls = notice.toolUses + 1
    const context = notice.totalTokens
    const tokens: Tokens = {
      input: 0,
      output: 0,
      cacheRead: Math.max(0, Math.round((calls * context) / 2) - context),
      cacheWrite: context,
      reasoning: 0,
    }
    return {
      message: `${what}; its completion notice records ${notice.toolUses} tool use${notice.toolUses === 1 ? '' : 's'} and a last call of ${context.toLocaleString('en-US')} tokens: about ${calls} call${calls === 1 ? '' : 's'}${model ? ` at ${model} prices` : ''}, their prompts alone`,
      estimate: {...(model ? {model} : {}), tokens, calls, counted: false},
    }
  }
  if (!usage) return {message: `${what}; no usage was recorded for it to estimate from`}
  const last = claudeTokens(usage, 'toolUseResult.usage')
  const toolUses = result ? count(result, 'totalToolUseCount', 'toolUseResult') : 0
  const calls = toolUses + 1
  const context = last.input + last.cacheRead + last.cacheWrite
  // No tool use and no tokens: it failed before its first call was answered (fresh363's Explore agents: "Failed to
  // authenticate. API Error: 403"); nothing of it to count, and no "about 1 calls" to estimate.
  if (toolUses === 0 && context === 0 && last.output === 0)
    return {
      message: `subagent ${agentId}${description ? ` ("${description}")` : ''}: its Task result records no tool use and no tokens (it stopped before its first call was answered): nothing of it to count`,
    }
  const tokens: Tokens = {
    input: last.input * calls,
    output: last.output * calls,
    cacheRead: Math.max(0, Math.round((calls * context) / 2) - context),
    cacheWrite: context,
    reasoning: 0,
  }
  return {
    message: `${what}; its Task result records ${toolUses} tool use${toolUses === 1 ? '' : 's'} and a last call of ${context.toLocaleString('en-US')} prompt tokens: about ${calls} call${calls === 1 ? '' : 's'}${model ? ` at ${model} prices` : ''}`,
    estimate: {...(model ? {model} : {}), tokens, calls, counted: false},
  }
}

/** Adds a content block's length to its response once (a block repeated by a replay is not counted again). */
function countBlock(entry: LlmEntry, type: string, text: string): void {
  const key = `${type}\u0000${text.length}\u0000${text.slice(0, 48)}\u0000${text.slice(-48)}`
  if (entry.blocks.has(key)) return
  // Kept for the whole read: made of its own characters, not of views of the block (see detach.ts).
  entry.blocks.add(detach(key))
  entry.chars += text.length
}

/**
 * What a typed prompt says, for a title: a slash command by its name and
 * arguments (`/init`), nothing for text Claude Code injects itself
 * (`<system-reminder>`, `<local-command-stdout>`, the "Caveat:" preamble).
 */
export function promptTitle(text: string): string | undefined {
  // What an IDE or Claude Code put before the person's words (`<ide_opened_file>…</ide_opened_file>`) is not theirs.
  const trimmed = text.trim().replace(INJECTED_BLOCKS, '').trim()
  const command = /<command-name>\s*([^<]+?)\s*<\/command-name>/.exec(trimmed)
  if (command) {
    const args = /<command-args>\s*([^<]*?)\s*<\/command-args>/.exec(trimmed)?.[1]
    const name = command[1]!.startsWith('/') ? command[1]! : `/${command[1]!}`
    return args ? `${name} ${args}` : name
  }
  if (!trimmed || trimmed.startsWith('<') || trimmed.startsWith('Caveat:')) return undefined
  return trimmed
}

/** Tag blocks at the start of a prompt that Claude Code or an IDE added (not a command's name or arguments). */
const INJECTED_BLOCKS = /^(?:<(?!command-)([A-Za-z][\w-]*)>[\s\S]*?<\/\1>\s*)+/

/** A prompt's title: its first text block that says something of the person's own. */
function promptTitleOf(content: unknown): string | undefined {
  if (typeof content === 'string') return promptTitle(content)
  if (!Array.isArray(content)) return undefined
  for (const block of content) {
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') continue
    const title = promptTitle(block.text)
    if (title) return title
  }
  return undefined
}

/** A person's prompt (not a tool result, not a meta/system injection). */
/**
 * The result of a call that goes on in the background: an async agent, a shell command with `run_in_background`, an
 * agent resumed by SendMessage (its next notice names the SendMessage call).
 */
const BACKGROUND_RESULT =
  /^(?:Async agent launched successfully|Command running in background with ID: |\{"success":\s*true,\s*"message":\s*"Resuming agent )/

interface NoticedUsage {
  agentId: string
  totalTokens: number
  toolUses: number
}

/**
 * What a `<task-notification>` of a background agent records of it: its `<task-id>` (the agent's id) from the notice's
 * head, and from its tail the `<usage>` block (`<total_tokens>67308</total_tokens><tool_uses>28</tool_uses>`).
 */
function noticedUsage(text: string): NoticedUsage | undefined {
  const agentId = notifiedTask(text)
  const tail = text.slice(-400)
  const total = /<total_tokens>\s*(\d+)\s*<\/total_tokens>/.exec(tail)
  const uses = /<tool_uses>\s*(\d+)\s*<\/tool_uses>/.exec(tail)
  if (agentId === undefined || !total || !uses) return undefined
  return {agentId, totalTokens: Number(total[1]), toolUses: Number(uses[1])}
}

/** The background shell a result names (`Command running in background with ID: bk3x9`). */
const BACKGROUND_SHELL_ID = /^Command running in background with ID: ([\w-]+)/

/** The task a `<task-notification>` says finished (its `<task-id>`: an agent's or a background shell's id). */
function notifiedTask(text: string): string | undefined {
  if (!text.startsWith('<task-notification>')) return undefined
  return /<task-id>\s*([\w-]+)\s*<\/task-id>/.exec(text.slice(0, 600))?.[1]
}

/** The call a `<task-notification>` says finished (its `<tool-use-id>`), from the notice's head only. */
function notifiedCall(text: string): string | undefined {
  if (!text.startsWith('<task-notification>')) return undefined
  const head = text.slice(0, 600)
  const at = head.indexOf('<tool-use-id>')
  if (at === -1) return undefined
  const end = head.indexOf('</tool-use-id>', at)
  return end === -1 ? undefined : head.slice(at + '<tool-use-id>'.length, end).trim() || undefined
}

function isPrompt(rec: Json, content: unknown): boolean {
  if (rec.isMeta === true || rec.toolUseResult !== undefined) return false
  if (typeof content === 'string')
    return !content.startsWith('<local-command') && !content.startsWith('<command-name>') && content.trim().length > 0
  if (!Array.isArray(content)) return false
  return (
    content.some(b => isObject(b) && b.type === 'text') && !content.some(b => isObject(b) && b.type === 'tool_result')
  )
}

/** Claude Code puts a failed command's exit code in the result text ("Exit code 1"). */
function exitCodeOf(output: string): number | undefined {
  const m = /\bexit code:?\s*(\d+)/i.exec(output.slice(0, 200))
  return m ? Number(m[1]) : undefined
}

/**
 * Claude Code's note of a subagent beside its session (`subagents/agent-<id>.meta.json`, 2.1.x):
 * `{"agentType": "Explore", "description": "…", "toolUseId": "…"}`, strings alone (trial 101: counted as unknown input).
 */
function isSubagentMeta(doc: unknown): boolean {
  if (!isObject(doc) || typeof doc.agentType !== 'string') return false
  const values = Object.values(doc)
  return values.length <= 8 && values.every(v => typeof v === 'string')
}

export const claudeCodeAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'claude-code',
  label: 'Claude Code session',
  recordsCache: true,
  companions: [
    {
      label: "Claude Code subagent metadata (its type and task, beside the subagent's session: not a trace)",
      doc: isSubagentMeta,
    },
  ],
  looksFor:
    'JSONL lines with sessionId/parentUuid and type user|assistant|progress|summary, or assistant messages with Anthropic usage',
  sniff(records) {
    let votes = 0
    for (const r of records) {
      if (!isObject(r)) continue
      const type = r.type
      if (
        typeof type === 'string' &&
        RECORD_TYPES.has(type) &&
        ('sessionId' in r || 'parentUuid' in r || 'leafUuid' in r || 'messageId' in r)
      )
        votes++
      else if (isObject(r.message) && isObject(r.message.usage) && ('sessionId' in r || 'requestId' in r)) votes++
      else if ('payload' in r) return false
    }
    return votes > 0
  },
  open: ctx => new ClaudeCodeSink(ctx),
  resume: (ctx, state) => ClaudeCodeSink.revive(ctx, v8().deserialize(state) as SinkState),
}

/**
 * Whether a user record is Claude Code's record of the person's `/clear`: its text nothing but the command's tags, the
 * name `/clear` (`clear` in 1.0). Not a tool's result or a prompt that quotes such tags among other words.
 */
function clearCommand(content: unknown): boolean {
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content) && content.every(isTextBlock)
        ? contentText(content)
        : ''
  return COMMAND_TAGS_ONLY.test(text) && CLEAR_COMMAND.test(text)
}

function isTextBlock(block: unknown): boolean {
  return isObject(block) && block.type === 'text'
}

const COMMAND_TAGS_ONLY = /^\s*(?:<command-(?:name|message|args)>[^<]*<\/command-(?:name|message|args)>\s*)+$/
const CLEAR_COMMAND = /<command-name>\/?clear<\/command-name>/
