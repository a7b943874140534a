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
import {CardBuilder, tokenSum} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {hashText} from '../util/hash.js'
import {contentText} from '../util/text.js'
import {toIso} from '../util/time.js'
import {count, expectObject, firstLine, isObject, obj, str, type Json} from './fields.js'
import {RecordError, type AdaptContext, type JsonlAdapter, type RecordSink} from './types.js'

const RECORD_TYPES = new Set([
  'user',
  'assistant',
  'progress',
  'summary',
  'file-history-snapshot',
  'queue-operation',
  'system',
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
}

/** One trace being assembled: the session itself, or an inline sidechain chain. */
interface Part {
  builder: CardBuilder
  rootUuid?: string
  prompt?: string
}

class ClaudeCodeSink implements RecordSink {
  private readonly main: Part
  private readonly chains = new Map<string, Part>()
  /** uuid of a sidechain record → uuid of its chain's root. */
  private readonly sideRoot = new Map<string, string>()
  private readonly timestamps = new Map<string, string>()
  private readonly byKey = new Map<string, LlmEntry>()
  private readonly byMessageId = new Map<string, LlmEntry>()
  /** tool_use id → part that holds it (results may arrive in any part). */
  private readonly toolPart = new Map<string, Part>()
  /** agentId → Task tool_use id, from progress records and Task results. */
  private readonly agentLinks = new Map<string, string>()
  /** Task tool steps → a hash of their whole prompt. */
  private readonly taskPrompts = new Map<Step, string>()
  private sessionId: string | undefined
  private agentId: string | undefined
  private version: string | undefined
  private cwd: string | undefined
  private recordCwd: string | undefined
  private gitBranch: string | undefined
  private title: string | undefined
  private userType: string | undefined
  private firstPrompt: string | undefined
  private parentUuidOfFirst: string | undefined
  private sawRecord = false
  private lastTimestamp: string | undefined

  constructor(private readonly ctx: AdaptContext) {
    this.main = {builder: new CardBuilder('claude-code', ctx.path, ctx.redact)}
  }

  push(raw: unknown, line: number): void {
    const rec = expectObject(raw)
    const type = str(rec, 'type')
    if (type === 'summary') {
      this.title ??= str(rec, 'summary')
      return
    }
    if (type === 'file-history-snapshot' || type === 'queue-operation') return

    const timestamp = toIso(rec.timestamp)
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
    if (version) this.version = version
    if (uuid && timestamp) this.timestamps.set(uuid, timestamp)
    const part = this.partFor(rec, uuid, parentUuid)
    part.builder.seen(timestamp)

    if (type === 'progress') {
      const data = rec.data
      if (isObject(data) && data.type === 'agent_progress') {
        const agentId = str(data, 'agentId')
        const toolUseId = str(rec, 'parentToolUseID')
        if (agentId && toolUseId) this.agentLinks.set(agentId, toolUseId)
      }
      this.lastTimestamp = timestamp ?? this.lastTimestamp
      return
    }

    const message = rec.message
    if (!isObject(message)) {
      if (type === 'user' || type === 'assistant')
        throw new RecordError(`message: expected an object, got ${message === null ? 'null' : typeof message}`)
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

  /** Which trace a record belongs to: the session, or an inline sidechain chain. */
  private partFor(rec: Json, uuid: string | undefined, parentUuid: string | undefined): Part {
    // A subagent file is one agent: every record belongs to the file's own trace.
    if (rec.isSidechain !== true || rec.agentId !== undefined) return this.main
    let root = parentUuid ? this.sideRoot.get(parentUuid) : undefined
    if (!root) root = uuid ?? `chain${this.chains.size}`
    if (uuid) this.sideRoot.set(uuid, root)
    let part = this.chains.get(root)
    if (!part) {
      part = {builder: new CardBuilder('claude-code', this.ctx.path, this.ctx.redact), rootUuid: root}
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
    const model = str(message, 'model')
    if (model === '<synthetic>') return
    const usage = obj(message, 'usage', 'message')
    const messageId = str(message, 'id')
    const requestId = str(rec, 'requestId')
    const sidechain = rec.isSidechain === true
    const tokens = usage ? claudeTokens(usage) : undefined
    const total = tokens ? tokenSum(tokens) : 0
    const costUSD = rec.costUSD
    if (costUSD !== undefined && costUSD !== null && (typeof costUSD !== 'number' || !(costUSD >= 0))) {
      throw new RecordError(`costUSD: expected a non-negative number, got ${typeof costUSD}`)
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
      if (tokens && total > entry.total) {
        step.tokens = tokens
        entry.total = total
      }
      if (!sidechain && entry.sidechain) entry.sidechain = false
      if (timestamp && (!step.endedAt || timestamp > step.endedAt)) {
        step.endedAt = timestamp
        if (step.startedAt) step.durationMs = Math.max(0, Date.parse(timestamp) - Date.parse(step.startedAt))
      }
      if (typeof costUSD === 'number' && step.cost?.recordedUsd === undefined)
        step.cost = {usd: null, source: 'unpriced', recordedUsd: costUSD}
      this.blocks(message, entry.part, step, timestamp, line)
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
    const created: LlmEntry = {step, part, total, sidechain, requestId}
    if (messageId) {
      this.byKey.set(`${messageId}\u0000${requestId ?? ''}`, created)
      if (!this.byMessageId.has(messageId)) this.byMessageId.set(messageId, created)
    }
    this.blocks(message, part, step, timestamp, line)
  }

  private blocks(message: Json, part: Part, step: Step, timestamp: string | undefined, line: number): void {
    const content = message.content
    if (typeof content === 'string') {
      part.builder.appendText(step, content)
      return
    }
    if (!Array.isArray(content)) return
    for (const block of content) {
      if (!isObject(block)) continue
      if (block.type === 'text' && typeof block.text === 'string') part.builder.appendText(step, block.text)
      else if (block.type === 'tool_use') {
        const id = str(block, 'id')
        if (id && part.builder.toolStep(id)) continue
        const name = str(block, 'name') ?? 'unknown'
        const toolStep = part.builder.addToolCall(step, id, name, block.input, timestamp, line)
        if (this.recordCwd && this.recordCwd !== this.cwd) toolStep.cwd = this.recordCwd
        // The card keeps a shortened copy of the arguments: remember the whole prompt to link an inline sidechain.
        const prompt = isObject(block.input) ? str(block.input, 'prompt') : undefined
        if (name === 'Task' && prompt) this.taskPrompts.set(toolStep, hashText(prompt.trim()))
        if (id) this.toolPart.set(id, part)
      }
    }
  }

  private user(rec: Json, message: Json, part: Part, timestamp: string | undefined, line: number): void {
    const content = message.content
    if (isPrompt(rec, content)) part.builder.newTurn()
    if (part !== this.main && part.prompt === undefined) part.prompt = contentText(content)
    if (part === this.main && this.firstPrompt === undefined) {
      const title = promptTitle(contentText(content))
      if (title) this.firstPrompt = title
    }
    if (!Array.isArray(content)) return
    const result = isObject(rec.toolUseResult) ? rec.toolUseResult : undefined
    for (const block of content) {
      if (!isObject(block) || block.type !== 'tool_result') continue
      const callId = str(block, 'tool_use_id')
      if (!callId) continue
      const isError = block.is_error === true
      const output = contentText(block.content)
      const owner = this.toolPart.get(callId) ?? part
      const exitCode = isError ? exitCodeOf(output) : undefined
      const ok = owner.builder.resolveTool(callId, {
        status: isError ? 'error' : 'ok',
        exitCode,
        output,
        endedAt: timestamp,
      })
      if (!ok) owner.builder.warn(`tool_result for unknown tool_use ${callId}`, line)
      const agentId = result ? str(result, 'agentId') : undefined
      if (agentId) this.agentLinks.set(agentId, callId)
    }
  }

  finish(): TraceCard[] {
    if (!this.sawRecord && this.byKey.size === 0) return []
    const sessionId = this.sessionId
    const fileStem = basename(this.ctx.path).replace(/\.jsonl$/i, '')
    const isSubagent = this.agentId !== undefined
    const id = sessionId ? (isSubagent ? subagentTraceId(sessionId, this.agentId!) : sessionId) : fileStem
    const card = this.main.builder.build({
      id,
      sessionId,
      toolVersion: this.version,
      originator: this.userType,
      title: this.title ?? firstLine(this.firstPrompt),
      cwd: this.cwd,
      gitBranch: this.gitBranch,
    })
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
 * What a typed prompt says, for a title: a slash command by its name and
 * arguments (`/init`), nothing for text Claude Code injects itself
 * (`<system-reminder>`, `<local-command-stdout>`, the "Caveat:" preamble).
 */
export function promptTitle(text: string): string | undefined {
  const trimmed = text.trim()
  const command = /<command-name>\s*([^<]+?)\s*<\/command-name>/.exec(trimmed)
  if (command) {
    const args = /<command-args>\s*([^<]*?)\s*<\/command-args>/.exec(trimmed)?.[1]
    const name = command[1]!.startsWith('/') ? command[1]! : `/${command[1]!}`
    return args ? `${name} ${args}` : name
  }
  if (!trimmed || trimmed.startsWith('<') || trimmed.startsWith('Caveat:')) return undefined
  return trimmed
}

/** A person's prompt (not a tool result, not a meta/system injection). */
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

export const claudeCodeAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'claude-code',
  label: 'Claude Code session',
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
}
