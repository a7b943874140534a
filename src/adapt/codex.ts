/**
 * OpenAI Codex CLI rollouts (`$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`).
 * See corpus FORMATS.md §2 and §8f.
 *
 * Traps handled here:
 * - `token_count` is written twice per call and the first of a turn has
 *   `info: null`: a step is counted only when the cumulative total changes, and
 *   its tokens are the difference of cumulative totals (so the card's sums equal
 *   the file's final `total_token_usage` exactly);
 * - the model name comes from `turn_context` (or `info.model`);
 * - `cached_input_tokens` ⊂ `input_tokens` and `reasoning_output_tokens` ⊂ `output_tokens`.
 */
import {codexOutputFails} from './tool-status.js'
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {hashText} from '../util/hash.js'
import {count, countProblem, expectObject, firstLine, isObject, str, type Json, typeName} from './fields.js'
import {RecordError, type AdaptContext, type JsonlAdapter, type RecordSink} from './types.js'

interface Usage {
  input: number
  cached: number
  output: number
  reasoning: number
}

function readUsage(u: Json, path: string): Usage {
  return {
    input: count(u, 'input_tokens', path),
    cached: count(u, 'cached_input_tokens', path),
    output: count(u, 'output_tokens', path),
    reasoning: count(u, 'reasoning_output_tokens', path),
  }
}

/** The first field of a usage object that is no count, with why (`input_tokens: expected a number, got string`). */
function usageProblem(u: Json): string | undefined {
  for (const key of ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens']) {
    const value = u[key]
    const problem = value === undefined || value === null ? undefined : countProblem(value)
    if (problem) return `${key}: ${problem}`
  }
  return undefined
}

/** Codex usage (OpenAI meaning) converted to the card's meaning. */
function codexTokens(u: Usage): Tokens {
  const cacheRead = Math.min(u.cached, u.input)
  return {input: u.input - cacheRead, output: u.output, cacheRead, cacheWrite: 0, reasoning: u.reasoning}
}

function sameUsage(a: Usage | undefined, b: Usage): boolean {
  return !!a && a.input === b.input && a.cached === b.cached && a.output === b.output && a.reasoning === b.reasoning
}

/** The exit code a tool output text reports, in the forms Codex versions wrote. */
export function codexExitCode(output: string): number | undefined {
  let m = /^Exit code: (-?\d+)/m.exec(output.slice(0, 400))
  if (m) return Number(m[1])
  m = /Process exited with code (-?\d+)/.exec(output.slice(0, 400))
  if (m) return Number(m[1])
  if (output.startsWith('{')) {
    try {
      const parsed = JSON.parse(output) as {metadata?: {exit_code?: unknown}}
      const code = parsed.metadata?.exit_code
      if (typeof code === 'number') return code
    } catch {
      // not JSON: no exit code
    }
  }
  return undefined
}

/**
 * The duration a tool output text reports: "Wall time: 0.1 seconds" (exec_command, shell), or a JSON output's
 * `metadata.duration_seconds`. Timestamps of a call and its output can be the same millisecond.
 */
export function codexDurationMs(output: string): number | undefined {
  const m = /^Wall time:? (\d+(?:\.\d+)?) seconds?$/m.exec(output.slice(0, 400))
  if (m) return Math.round(Number(m[1]) * 1000)
  if (output.startsWith('{')) {
    try {
      const seconds = (JSON.parse(output) as {metadata?: {duration_seconds?: unknown}}).metadata?.duration_seconds
      if (typeof seconds === 'number' && seconds >= 0) return Math.round(seconds * 1000)
    } catch {
      // not JSON: no duration
    }
  }
  return undefined
}

/** The most of a running command's output kept as text to identify its result (beyond it, a hash). */
const RUN_IDENTITY_CHARS = 64 * 1024

/**
 * An exec output's first line when the command is still running: "Process running with session ID 50204"; in code
 * mode, "Script running with cell ID 3" (its cell is polled by `wait`).
 */
const RUNNING = /^(?:Process running with session ID (\d+)|Script running with cell ID (\d+))$/m

/** How a code-mode cell's output says it ended. */
const CELL_END = /^Script (completed|failed)$/m

/** The key of what a running output started: a session's id, a code-mode cell's (`cell 3`). */
function runningKey(m: RegExpExecArray): string {
  return m[1] ?? `cell ${m[2]}`
}

/**
 * A code-mode cell (Codex 0.14x: one `exec` tool whose input is JavaScript calling the real tools) that makes exactly
 * one tool call, in the two shapes Codex writes: `const r = await tools.exec_command({…}); text(r.output);` (the
 * arguments a JSON object) and `const patch = "…"; text(await tools.apply_patch(patch));` (the patch a JSON string).
 * Undefined for any other cell (it stays an `exec` aco cannot read). Nothing of it is run: the call is read as text.
 */
export function codeModeCall(input: string): {name: string; args: unknown} | undefined {
  const call = CODE_MODE_CALL.exec(input)
  if (call) {
    // (The arguments as JSON, or as a JavaScript object literal of plain keys, strings and numbers: `{cmd: "ls"}`.)
    const json = objectLiteralJson(call[3]!)
    if (json === undefined) return undefined
    try {
      const args = JSON.parse(json) as unknown
      return isObject(args) ? {name: call[2]!, args} : undefined
    } catch {
      return undefined
    }
  }
  const patch = CODE_MODE_PATCH.exec(input)
  if (patch) {
    try {
      const text = JSON.parse(patch[2]!) as unknown
      return typeof text === 'string' ? {name: patch[3]!, args: text} : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}

/**
 * A JavaScript object literal as JSON text: keys written bare (`cmd:`) quoted, a comma before a closing brace dropped;
 * strings must be double-quoted (JSON's own escapes). Undefined for anything else (a single-quoted or template string,
 * a comment, an expression): such a cell stays an `exec` aco cannot read. Nothing of it is run.
 */
function objectLiteralJson(text: string): string | undefined {
  // One pass, linear in the text (a cell may be megabytes: no slice or rescan per character).
  let out = ''
  /** The brackets open, innermost last: a key is expected after `{` and after a comma inside braces. */
  const open: string[] = []
  let expectKey = false
  const key = /([A-Za-z_$][\w$]*)\s*:/y
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '"') {
      // A JSON string, copied whole.
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      if (j >= text.length) return undefined
      out += text.slice(i, j + 1)
      i = j
      expectKey = false
      continue
    }
    if (ch === "'" || ch === '`' || (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) return undefined
    if (ch === '{' || ch === '[') {
      open.push(ch)
      out += ch
      expectKey = ch === '{'
      continue
    }
    if (ch === '}' || ch === ']') {
      open.pop()
      out += ch
      expectKey = false
      continue
    }
    if (ch === ',') {
      // (A comma before a closing brace or bracket: dropped.)
      let k = i + 1
      while (k < text.length && /\s/.test(text[k]!)) k++
      if (text[k] === '}' || text[k] === ']') continue
      out += ch
      expectKey = open[open.length - 1] === '{'
      continue
    }
    if (expectKey && /[A-Za-z_$]/.test(ch)) {
      key.lastIndex = i
      const m = key.exec(text)
      if (!m) return undefined
      out += `"${m[1]}":`
      i += m[0].length - 1
      expectKey = false
      continue
    }
    if (!/\s/.test(ch)) expectKey = false
    if (!/[\s\d.eE+\-:]|[tfnrulas]/.test(ch)) return undefined
    out += ch
  }
  return out
}

const CODE_MODE_CALL =
  /^\s*const (\w+) = await tools\.(\w+)\((\{[\s\S]*\})\);\s*text\(\1(?:\.output)?\);\s*(?:if \(\1\.session_id\) text\(`SESSION_ID=\$\{\1\.session_id\}`\);\s*)?$/
const CODE_MODE_PATCH = /^\s*const (\w+) = ("(?:[^"\\]|\\[\s\S])*");\s*text\(await tools\.(apply_patch)\(\1\)\);\s*$/

/** Where an exec output's header ends (its "\nOutput:" line), -1 when it has none. */
function headerEnd(output: string): number {
  const end = output.indexOf('\nOutput:')
  return end > 400 ? -1 : end
}

/** What an exec output printed, after its header; the whole text when it has none. */
function codexOutputBody(output: string): string {
  const end = headerEnd(output)
  return end === -1 ? output : output.slice(end + 9).replace(/^\n/, '')
}

/** The header lines of an exec output that differ from run to run of the same command. */
const RUN_HEADER = /^(?:Chunk ID: [^\n]*|Wall time:? [^\n]*|Script running with cell ID \d+)\n/gm

/**
 * A tool output without what changes from run to run ("Chunk ID: 5741bb", "Wall time: 0.2354 seconds" in the
 * header before "Output:", a JSON output's `duration_seconds`), so the same result printed twice hashes the same;
 * undefined when there is none.
 */
export function codexOutputIdentity(output: string): string | undefined {
  if (output.startsWith('{')) return jsonOutputIdentity(output)
  const end = headerEnd(output)
  if (end === -1) return undefined
  const head = output.slice(0, end + 1)
  const stripped = head.replace(RUN_HEADER, '')
  return stripped.length === head.length ? undefined : stripped + output.slice(end + 1)
}

/** A JSON output (`{"output": …, "metadata": {"exit_code": 0, "duration_seconds": 0.4}}`) without its duration. */
function jsonOutputIdentity(output: string): string | undefined {
  try {
    const parsed = JSON.parse(output) as {output?: unknown; metadata?: {duration_seconds?: unknown}}
    if (!isObject(parsed) || !isObject(parsed.metadata) || parsed.metadata.duration_seconds === undefined)
      return undefined
    const {duration_seconds: _, ...metadata} = parsed.metadata
    return JSON.stringify({...parsed, metadata})
  } catch {
    return undefined
  }
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output
  if (isObject(output) && typeof output.content === 'string') return output.content
  if (Array.isArray(output) && output.length > 0 && output.every(isContentItem)) return contentItemsText(output)
  return output === undefined ? '' : JSON.stringify(output)
}

/**
 * The text of an MCP result's content blocks written as JSON (`[{"type":"text","text":"…"}]`, or `[{"text":"…"}]`):
 * the texts one after another, an image as a line naming its type; undefined for anything else.
 */
function mcpContentText(output: string): string | undefined {
  if (!output.startsWith('[{"') || !output.endsWith('}]')) return undefined
  let items: unknown
  try {
    items = JSON.parse(output)
  } catch {
    return undefined
  }
  if (!Array.isArray(items) || items.length === 0) return undefined
  const texts: string[] = []
  for (const item of items) {
    if (!isObject(item)) return undefined
    if (typeof item.text === 'string' && (item.type === undefined || item.type === 'text')) texts.push(item.text)
    else if (item.type === 'image' && typeof item.mimeType === 'string') texts.push(`[image ${item.mimeType}]`)
    else return undefined
  }
  return texts.join('\n')
}

/** One of the content items a tool's output may be (`view_image` answers with an image). */
function isContentItem(item: unknown): item is Json {
  return (
    isObject(item) &&
    ((item.type === 'input_text' && typeof item.text === 'string') ||
      (item.type === 'input_image' && typeof item.image_url === 'string'))
  )
}

/**
 * Content items as text: their texts, and an image as a line naming it (its type, size and a hash of its data), not
 * the tens of thousands of base64 characters of its data URL: no text anyone reads or refers back to.
 */
function contentItemsText(items: readonly Json[]): string {
  const parts = items.map(item => {
    if (item.type === 'input_text') return item.text as string
    const url = item.image_url as string
    const data = /^data:([\w/+.-]+);base64,/.exec(url)
    return data
      ? `[image ${data[1]}, ${url.length - data[0].length} characters of base64, ${hashText(url)}]`
      : `[image ${url.length > 200 ? `${url.slice(0, 200)}…` : url}]`
  })
  // One text after another as the model read them: a part that ends its line (a code-mode cell's `Output:\n` header)
  // takes no line break more.
  let text = parts[0] ?? ''
  for (let k = 1; k < parts.length; k++) text += text.endsWith('\n') ? parts[k] : `\n${parts[k]}`
  return text
}

class CodexSink implements RecordSink {
  private readonly builder: CardBuilder
  private sessionId: string | undefined
  private cliVersion: string | undefined
  private originator: string | undefined
  private cwd: string | undefined
  private branch: string | undefined
  private model: string | undefined
  private title: string | undefined
  private total: Usage | undefined
  private lastStep: Step | undefined
  /** Tool calls seen since the last counted call: they belong to the next one. */
  private pending: Array<{
    callId: string | undefined
    name: string
    args: unknown
    at: string | undefined
    line: number
    sandbox: string | undefined
  }> = []
  /** The sandbox the latest `turn_context` set (see `sandboxPolicy`). */
  private sandbox: string | undefined
  private pendingText = ''
  /** Outputs of pending calls, by call id: they wait for the call's step (see the `function_call_output` case). */
  private readonly early = new Map<string, {p: Json; at: string | undefined; line: number}>()
  /** The session this one was forked from (`forked_from_id`), and whether its history is being replayed here. */
  private forkedFrom: string | undefined
  private replay: {at: number; records: number} | undefined
  /** Records of the first layout read (see `legacy`), the LLM calls made of them, and the line of the open one's first item. */
  private legacyCalls = 0
  private legacySteps = 0
  private modelLine: number | undefined
  private callStart: string | undefined
  private exitCodes = new Map<string, number>()
  /** Durations `exec_command_end` records (to the nanosecond), by call id. */
  private durations = new Map<string, number>()
  /** Commands still running after their first output ("Process running with session ID 7"), by session id. */
  private running = new Map<string, {callId: string; identity: string}>()
  /** The session each `write_stdin` call polls, by call id, and whether it interrupted it (Ctrl-C, Ctrl-D). */
  private polls = new Map<string, {session: string; interrupts: boolean}>()
  /** The agents `spawn_agent` started, by agent id: the call's tool, which goes on in the background until they end. */
  private agents = new Map<string, NonNullable<Step['tool']>>()

  constructor(private readonly ctx: AdaptContext) {
    this.builder = new CardBuilder('codex', ctx.path, ctx.redact)
  }

  push(record: unknown, line: number): void {
    const raw = expectObject(record)
    const type = str(raw, 'type')
    const payload = raw.payload
    if (payload === undefined && (isLegacyMeta(raw) || isLegacyState(raw) || isLegacyItem(raw))) {
      this.legacy(raw, line)
      return
    }
    if (!isObject(payload)) throw new RecordError(`payload: expected an object, got ${typeName(payload)}`)
    const at = this.builder.time(raw.timestamp, line)
    if (this.replay && this.replayed(type, payload, at)) return
    this.builder.seen(at)
    switch (type) {
      case 'session_meta':
        // A forked session (a subagent spawned with the parent's context, a conversation forked) writes the history it
        // was forked from after its own first line, beginning with that session's first line: not its own work.
        if (this.sessionId !== undefined && this.forkedFrom !== undefined && str(payload, 'id') === this.forkedFrom) {
          const t = at ? Date.parse(at) : Number.NaN
          this.replay = {at: Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t, records: 0}
          return
        }
        this.forkedFrom ??= this.sessionId === undefined ? str(payload, 'forked_from_id') : undefined
        this.sessionId ??= str(payload, 'id')
        this.cliVersion ??= str(payload, 'cli_version')
        this.originator ??= str(payload, 'originator')
        this.cwd ??= str(payload, 'cwd')
        if (isObject(payload.git)) this.branch ??= str(payload.git, 'branch')
        return
      case 'turn_context': {
        const model = str(payload, 'model')
        if (model) this.model = model
        else if (model === undefined && payload.model !== undefined && payload.model !== null)
          this.builder.warn(
            `turn_context payload.model: expected a string, got ${typeName(payload.model)}; the calls after it keep the model before it`,
            line,
          )
        this.sandbox = sandboxPolicy(payload.sandbox_policy) ?? this.sandbox
        this.callStart = at
        return
      }
      case 'response_item':
        this.responseItem(payload, at, line)
        return
      case 'event_msg':
        this.event(payload, at, line)
        return
      // The context was compacted (`/compact`, or automatically): the next call starts from the summary.
      case 'compacted':
        this.builder.contextCompacted()
        return
      default:
        return
    }
  }

  /**
   * A record of the history a forked session replays (see `session_meta`), which the session it was forked from logged
   * and counts: its token counts only set where this session's cumulative usage starts. The history ends with the
   * spawn's output Codex writes for a subagent ("You are the newly spawned agent…"), or, where there is none, at the
   * first record written more than `REPLAY_BURST_MS` after it began (Codex writes it all at once, then the session's
   * own turn starts). Returns false for the first record of the session's own.
   */
  private replayed(type: string | undefined, p: Json, at: string | undefined): boolean {
    const replay = this.replay!
    const t = at ? Date.parse(at) : Number.NaN
    if (!Number.isNaN(t) && t - replay.at > REPLAY_BURST_MS) {
      this.endReplay()
      return false
    }
    replay.records++
    if (type === 'event_msg' && p.type === 'token_count' && isObject(p.info) && isObject(p.info.total_token_usage))
      this.total = readUsage(p.info.total_token_usage, 'payload.info.total_token_usage')
    else if (
      type === 'response_item' &&
      p.type === 'function_call_output' &&
      outputText(p.output).startsWith(SPAWNED_AGENT_NOTE)
    )
      this.endReplay()
    return true
  }

  private endReplay(): void {
    this.builder.warn(
      `forked from session ${this.forkedFrom}: the ${this.replay!.records} records of its history replayed here are not counted again (that session's own log counts them)`,
    )
    this.replay = undefined
  }

  /**
   * Codex's subagents: `spawn_agent` answers at once with the new agent's id, and the agent works on in the background
   * (it may write files the while) until a `wait_agent` reports it in a final state (`{"status": {"<id>": {"completed":
   * …}}}`; `{"status": {}, "timed_out": true}` while it runs) or `close_agent` stops it: the spawn's call goes on in the
   * background, as Claude Code's async agents do, until then (to the end of the log when nothing says it ended). A
   * `send_input` to one of them does the same (it may set an ended agent to work again).
   */
  private followAgents(tool: NonNullable<Step['tool']>, output: string, at: string | undefined): void {
    if (tool.name === 'spawn_agent') {
      const id = jsonField(output, 'agent_id')
      if (typeof id === 'string' && id) {
        tool.background = {}
        this.agents.set(id, tool)
      }
      return
    }
    // A message to an agent sets it to work again (one that had ended too), until a wait or a close says it ended.
    if (tool.name === 'send_input') {
      const args = typeof tool.arguments === 'string' ? parseJson(tool.arguments) : tool.arguments
      const id = isObject(args) ? args.target : undefined
      if (typeof id === 'string' && this.agents.has(id)) {
        tool.background = {}
        this.agents.set(id, tool)
      }
      return
    }
    const ended: unknown[] = []
    if (tool.name === 'close_agent') {
      const args = typeof tool.arguments === 'string' ? parseJson(tool.arguments) : tool.arguments
      if (isObject(args)) ended.push(args.target)
    } else {
      const status = jsonField(output, 'status')
      if (isObject(status)) ended.push(...Object.keys(status))
    }
    for (const id of ended) {
      const background = typeof id === 'string' ? this.agents.get(id)?.background : undefined
      if (background && background.finishedAt === undefined && at !== undefined) background.finishedAt = at
    }
  }

  /**
   * Codex's unified exec: a command still running after its first output goes on in `write_stdin` polls of its
   * session, and the poll that sees it end has its exit code. That code is the command's (a build that failed in a
   * poll is a failed build), and its result is all it printed: two runs that printed the same hash the same.
   */
  private followRun(callId: string, output: string, exitCode: number | undefined): void {
    const m = RUNNING.exec(output.slice(0, 400))
    const started = m ? runningKey(m) : undefined
    const poll = this.polls.get(callId)
    if (poll !== undefined) this.polls.delete(callId)
    const run = poll === undefined ? undefined : this.running.get(poll.session)
    if (started !== undefined && !run) {
      this.running.set(started, {callId, identity: codexOutputBody(output)})
      return
    }
    if (!run || poll === undefined) return
    run.identity += codexOutputBody(output)
    // A process that prints for hours (a dev server) is identified by a hash of what it printed so far, not all of it.
    if (run.identity.length > RUN_IDENTITY_CHARS) run.identity = `#${hashText(run.identity)}`
    // A code-mode cell ends with no exit code: "Script completed", or "Script failed".
    const cellEnd = exitCode === undefined && poll.session.startsWith('cell ') ? CELL_END.exec(output) : null
    if (exitCode === undefined && !cellEnd) return
    this.running.delete(poll.session)
    this.builder.pollSucceeded(callId)
    // A process the agent stopped itself (a dev server it sent Ctrl-C) did not fail.
    if (poll.interrupts) return
    if (cellEnd)
      this.builder.completeRun(run.callId, undefined, `${cellEnd[0]}\n${run.identity}`, cellEnd[1] === 'failed')
    else this.builder.completeRun(run.callId, exitCode, `Process exited with code ${exitCode}\n${run.identity}`)
  }

  private responseItem(p: Json, at: string | undefined, line: number): void {
    switch (p.type) {
      case 'function_call': {
        const name = str(p, 'name') ?? 'unknown'
        let args: unknown = p.arguments
        if (typeof args === 'string') {
          try {
            args = JSON.parse(args)
          } catch {
            // keep the raw string: some versions write freeform arguments
          }
        }
        const callId = str(p, 'call_id')
        if (name === 'write_stdin' && callId && isObject(args)) {
          const session = args.session_id
          if (typeof session === 'number' || typeof session === 'string')
            this.polls.set(callId, {
              session: String(session),
              interrupts:
                typeof args.chars === 'string' && (args.chars.includes('\u0003') || args.chars.includes('\u0004')),
            })
        }
        // Code mode's `wait` polls a cell still running, as write_stdin polls a session.
        if (name === 'wait' && callId && isObject(args)) {
          const cell = args.cell_id
          if (typeof cell === 'number' || typeof cell === 'string')
            this.polls.set(callId, {session: `cell ${cell}`, interrupts: false})
        }
        this.pending.push({callId, name, args, at, line, sandbox: this.sandbox})
        return
      }
      case 'custom_tool_call': {
        const name = str(p, 'name') ?? 'custom_tool'
        // A code-mode cell making one tool call is that call (`exec_command`, `apply_patch`) with its arguments.
        const inner = name === 'exec' && typeof p.input === 'string' ? codeModeCall(p.input) : undefined
        this.pending.push({
          callId: str(p, 'call_id'),
          name: inner?.name ?? name,
          args: inner ? inner.args : p.input,
          at,
          line,
          sandbox: this.sandbox,
        })
        return
      }
      case 'local_shell_call':
        this.pending.push({
          callId: str(p, 'call_id') ?? str(p, 'id'),
          name: 'local_shell',
          args: p.action,
          at,
          line,
          sandbox: this.sandbox,
        })
        return
      case 'web_search_call':
        this.pending.push({
          callId: str(p, 'id'),
          name: 'web_search',
          args: p.action ?? {},
          at,
          line,
          sandbox: this.sandbox,
        })
        return
      case 'function_call_output':
      case 'custom_tool_call_output':
      case 'local_shell_call_output': {
        const callId = str(p, 'call_id')
        if (!callId) return
        // A call whose response has not been counted yet: Codex writes the outputs of the calls it ran while the
        // response streamed before the response's token count (0.34–0.99, 0.133 on), so the call is the next
        // counted step's, and its output waits for the call's step (see `attachPending`).
        // (The response that made it started before it: its start stays where it was.)
        if (this.pending.some(c => c.callId === callId)) {
          this.early.set(callId, {p, at, line})
          return
        }
        this.output(callId, p, at, line)
        return
      }
      case 'message':
        if (p.role === 'assistant' && Array.isArray(p.content)) {
          for (const c of p.content)
            if (isObject(c) && typeof c.text === 'string') this.pendingText += (this.pendingText ? '\n' : '') + c.text
        } else if (p.role === 'user') {
          this.callStart = at
        }
        return
      default:
        return
    }
  }

  private event(p: Json, at: string | undefined, line: number): void {
    switch (p.type) {
      case 'token_count': {
        const info = p.info
        if (info === null || info === undefined) return
        if (!isObject(info)) throw new RecordError(`payload.info: expected an object, got ${typeName(info)}`)
        const totalRaw = info.total_token_usage
        if (!isObject(totalRaw)) throw new RecordError('payload.info.total_token_usage: expected an object')
        const total = readUsage(totalRaw, 'payload.info.total_token_usage')
        if (sameUsage(this.total, total)) return
        // (Counted from the totals; the call's own usage is read only where they go back, and checked here so a
        // field of the wrong type is told of where it stands.)
        const lastProblem = isObject(info.last_token_usage) ? usageProblem(info.last_token_usage) : undefined
        if (lastProblem)
          this.builder.warnFew(
            'last_token_usage',
            `payload.info.last_token_usage.${lastProblem}; the call is counted from the totals`,
            line,
            'more calls hold a last_token_usage of the wrong type: counted from the totals, not listed',
          )
        const prev = this.total ?? {input: 0, cached: 0, output: 0, reasoning: 0}
        let delta: Usage = {
          input: total.input - prev.input,
          cached: total.cached - prev.cached,
          output: total.output - prev.output,
          reasoning: total.reasoning - prev.reasoning,
        }
        if (delta.input < 0 || delta.cached < 0 || delta.output < 0 || delta.reasoning < 0) {
          // The cumulative total went back (a new session in the same file), or another counter written between resumed
          // (fresh16: a thread's counter at 72,638 input, then the session's at 5.5M with a count of its own below the
          // one it had left): count this call on its own.
          const last = isObject(info.last_token_usage)
            ? readUsage(info.last_token_usage, 'payload.info.last_token_usage')
            : total
          delta = last
          const back = total.input < prev.input
          this.builder.warn(
            `cumulative token usage ${back ? 'went back' : 'does not follow on from the count before it (its input grew, another of its counts did not)'}; counted last_token_usage for this call`,
            line,
          )
        }
        this.total = total
        const model = str(info, 'model') ?? this.model
        const step = this.builder.addLlm({
          model,
          tokens: codexTokens(delta),
          startedAt: this.callStart,
          endedAt: at,
          text: this.pendingText,
          line,
        })
        this.attachPending(step)
        this.callStart = at
        return
      }
      case 'exec_command_end': {
        const callId = str(p, 'call_id')
        const code = p.exit_code
        const d = p.duration
        if (callId && isObject(d) && typeof d.secs === 'number') {
          const ms = Math.round(d.secs * 1000 + (typeof d.nanos === 'number' ? d.nanos / 1e6 : 0))
          this.durations.set(callId, ms)
          // the output may have come first
          const done = this.builder.toolStep(callId)
          if (done?.endedAt) done.durationMs = ms
        }
        if (callId && typeof code === 'number') {
          this.exitCodes.set(callId, code)
          const step = this.builder.toolStep(callId)
          if (step?.tool) {
            step.tool.exitCode = code
            if (code !== 0) step.tool.status = 'error'
          }
        }
        return
      }
      case 'user_message':
        this.attachOrphans()
        this.builder.newTurn(typeof p.message === 'string' ? p.message : undefined)
        if (!this.title && typeof p.message === 'string') this.title = promptTitle(p.message)
        this.callStart = at
        return
      default:
        return
    }
  }

  /**
   * A record of Codex's first rollout layout (mid-2025): a first line with the session's id, time, instructions and
   * git, then the response items themselves with no wrapper, time or token count, and `{"record_type":"state"}` lines.
   * Each run of the model's items (reasoning, text, calls) up to the next input (a call's output, a person's message)
   * is one LLM call.
   */
  private legacy(r: Json, line: number): void {
    if (isLegacyMeta(r)) {
      this.sessionId ??= str(r, 'id')
      this.builder.seen(this.builder.time(r.timestamp, line))
      if (isObject(r.git)) this.branch ??= str(r.git, 'branch')
      return
    }
    if (isLegacyState(r)) return
    this.legacyCalls++
    // An input (a call's output, a person's message) ends the model's run of items; anything else is part of it.
    const type = r.type as string
    if (type.endsWith('_output') || (type === 'message' && r.role !== 'assistant')) {
      this.flushLegacyCall()
      if (type === 'message' && r.role === 'user') {
        const text = messageText(r.content)
        const cwd = /^Current working directory: (.+)$/m.exec(text)?.[1]?.trim()
        if (text.startsWith('<environment_context>')) {
          if (cwd) this.cwd ??= cwd
        } else if (!text.startsWith('<user_instructions>')) {
          this.builder.newTurn(text)
          if (!this.title) this.title = promptTitle(text)
        }
      }
    } else this.modelLine ??= line
    this.responseItem(r, undefined, line)
  }

  /** The model's items since the last input, as one LLM call (no tokens recorded), with the calls it made. */
  private flushLegacyCall(): void {
    if (this.modelLine === undefined) return
    const step = this.builder.addLlm({model: this.model, text: this.pendingText, line: this.modelLine})
    this.legacySteps++
    this.attachPending(step)
    this.modelLine = undefined
  }

  /** The LLM call `step` made the calls and said the text seen since the last one: they are its. */
  private attachPending(step: Step): void {
    this.pendingText = ''
    const calls = this.pending
    this.pending = []
    for (const call of calls) this.addCall(step, call)
    this.lastStep = step
  }

  /**
   * Calls no counted response followed (a turn cut short, the end of the file): the last step's, with the outputs that
   * came for them.
   */
  private attachOrphans(): void {
    const calls = this.pending
    this.pending = []
    for (const call of calls) this.addCall(this.lastStep, call)
  }

  /** A call's output (`function_call_output` and its kin), once the call has its step. */
  private output(callId: string, p: Json, at: string | undefined, line: number): void {
    const tool = this.builder.toolStep(callId)?.tool
    const text = outputText(p.output)
    // An MCP tool's result (`mcp__server__tool`, before 0.4x `server__tool`), which Codex records as the JSON of its
    // content blocks (`[{"type":"text","text":"…"}]`): their text, as the other harnesses keep it.
    const mcp = tool?.name.includes('__') ? mcpContentText(text) : undefined
    const output = mcp ?? text
    // (An MCP server's text is no shell's: an `Exit code: 1` in it is a line of what it read, not its status.)
    const exitCode = this.exitCodes.get(callId) ?? (mcp === undefined ? codexExitCode(output) : undefined)
    // A shell command that is an apply_patch (Codex applies it itself) reports as the tool does.
    const name = runsApplyPatch(tool?.arguments) ? 'apply_patch' : (tool?.name ?? '')
    // No exit code: the output says whether it failed (tool-status.ts lists the rules per tool).
    const failed =
      exitCode !== undefined
        ? exitCode !== 0
        : (isObject(p.output) && p.output.success === false) || codexOutputFails(name, output)
    const durationMs = this.durations.get(callId) ?? codexDurationMs(output)
    const result = {
      status: failed ? ('error' as const) : ('ok' as const),
      exitCode,
      output,
      identity: codexOutputIdentity(output),
      endedAt: at,
      durationMs,
    }
    if (!this.builder.resolveTool(callId, result)) {
      this.builder.warn(`output for unknown call ${callId}`, line)
    }
    this.followRun(callId, output, exitCode)
    if (tool && AGENT_TOOLS.has(name) && !failed) this.followAgents(tool, output, at)
    this.callStart = at
  }

  /** A tool call as a step of the card, with the sandbox it ran under, and its output if it came first. */
  private addCall(parent: Step | undefined, call: CodexSink['pending'][number]): void {
    const step = this.builder.addToolCall(parent, call.callId, call.name, call.args, call.at, call.line)
    if (call.sandbox) step.sandbox = call.sandbox
    const early = call.callId === undefined ? undefined : this.early.get(call.callId)
    if (early) {
      this.early.delete(call.callId!)
      this.output(call.callId!, early.p, early.at, early.line)
    }
  }

  finish(): TraceCard[] {
    if (this.legacyCalls) {
      this.flushLegacyCall()
      this.builder.warn(
        `Codex's first rollout layout (mid-2025) records no token counts, model or times: its ${this.legacySteps} model calls are counted, not priced`,
      )
    }
    const orphans = this.pending.length
    this.attachOrphans()
    if (orphans) this.builder.warn(`${orphans} tool call(s) after the last token count: no tokens recorded for them`)
    const id = this.sessionId ?? basename(this.ctx.path).replace(/\.jsonl$/i, '')
    const card = this.builder.build({
      id,
      sessionId: this.sessionId,
      toolVersion: this.cliVersion,
      originator: this.originator,
      title: this.title,
      cwd: this.cwd,
      gitBranch: this.branch,
    })
    if (this.total) {
      card.recorded = {source: 'codex total_token_usage', tokens: codexTokens(this.total)}
    }
    return [card]
  }
}

export const codexAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'codex',
  label: 'Codex CLI rollout',
  recordsCache: true,
  looksFor:
    'JSONL lines of exactly {timestamp, type, payload} with session_meta / turn_context / event_msg records (or, in the first layout of mid-2025, a line of {id, timestamp, instructions} and bare response items)',
  sniff(records) {
    let votes = 0
    // Codex's first layout (mid-2025): its first line and bare response items, state lines between.
    const first = records[0]
    const legacy = isObject(first) && isLegacyMeta(first)
    for (const r of records) {
      if (!isObject(r)) continue
      if (legacy && (r === first || isLegacyState(r) || isLegacyItem(r))) {
        votes++
        continue
      }
      if (!('payload' in r) || !('type' in r)) return false
      const t = r.type
      if (t === 'session_meta' || t === 'turn_context' || t === 'event_msg' || t === 'response_item') votes++
    }
    return votes > 0
  },
  open: ctx => new CodexSink(ctx),
}

/** Writable roots a sandbox's summary names (see `sandboxPolicy`). */
const MAX_ROOTS = 4

/** A sandbox policy's name: letters and dashes (`workspace-write`, `workspaceWrite`). */
const POLICY_NAME = /^[A-Za-z][A-Za-z_-]{0,40}$/

/**
 * A `turn_context`'s `sandbox_policy` as Codex itself summarises one: `workspace-write`, with the roots it may write
 * besides the workspace in brackets, `(network access enabled)` where it has a network; `read-only`;
 * `danger-full-access`; `external-sandbox`. The policy is `{type, …}` (`{mode, …}` in versions of late 2025), or its
 * name alone.
 */
export function sandboxPolicy(policy: unknown): string | undefined {
  // (A name of letters and dashes only: anything else in the field is no policy.)
  if (typeof policy === 'string') return POLICY_NAME.test(policy) ? policy : undefined
  if (!isObject(policy)) return undefined
  const kind = typeof policy.type === 'string' ? policy.type : policy.mode
  if (typeof kind !== 'string' || !POLICY_NAME.test(kind)) return undefined
  // (The app server's names are camelCase: `workspaceWrite`.)
  let text = kind.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`).replaceAll('_', '-')
  const roots = Array.isArray(policy.writable_roots)
    ? policy.writable_roots.filter((r): r is string => typeof r === 'string')
    : []
  // (A long list is cut, with a digest of the whole, so that a card does not repeat it on every call.)
  if (roots.length)
    text +=
      roots.length <= MAX_ROOTS
        ? ` [${roots.join(', ')}]`
        : ` [${roots.slice(0, MAX_ROOTS).join(', ')}, … ${roots.length - MAX_ROOTS} more, ${hashText(roots.join('\n')).slice(0, 12)}]`
  if (policy.network_access === true || policy.network_access === 'enabled') text += ' (network access enabled)'
  return text
}

/** The first line of Codex's first rollout layout: the session's id and time, its instructions and git, no type. */
function isLegacyMeta(r: Json): boolean {
  return (
    typeof r.id === 'string' &&
    typeof r.timestamp === 'string' &&
    ('instructions' in r || 'git' in r) &&
    !('type' in r) &&
    !('payload' in r)
  )
}

/** Its state lines (`{"record_type":"state"}`). */
function isLegacyState(r: Json): boolean {
  return r.record_type === 'state' && !('type' in r)
}

/** Its response items, with no wrapper. */
function isLegacyItem(r: Json): boolean {
  return typeof r.type === 'string' && LEGACY_ITEMS.has(r.type) && !('timestamp' in r)
}

const LEGACY_ITEMS = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'local_shell_call_output',
  'web_search_call',
])

/** The text of a message's content items (`input_text`, `output_text`). */
function messageText(content: unknown): string {
  if (!Array.isArray(content)) return typeof content === 'string' ? content : ''
  return content
    .map(c => (isObject(c) && typeof c.text === 'string' ? c.text : ''))
    .filter(Boolean)
    .join('\n')
}

/** Whether a shell call's command is an apply_patch (`["bash", "-lc", "apply_patch <<'EOF'…"]`, `{cmd: "apply_patch …"}`). */
function runsApplyPatch(args: unknown): boolean {
  if (!isObject(args)) return false
  // (`["apply_patch", "*** Begin Patch…"]`: the program itself, its patch as its argument.)
  if (Array.isArray(args.command) && args.command[0] === 'apply_patch') return true
  const command = Array.isArray(args.command) ? args.command[args.command.length - 1] : (args.command ?? args.cmd)
  return typeof command === 'string' && /^\s*apply_patch\b/.test(command)
}

/** Codex's tools that start subagents or say they ended (see `followAgents`). */
const AGENT_TOOLS = new Set(['spawn_agent', 'send_input', 'wait_agent', 'close_agent'])

/** A field of an output that is one JSON object, or undefined. */
function jsonField(output: string, key: string): unknown {
  const value = parseJson(output.trim())
  return isObject(value) ? value[key] : undefined
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{')) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** How long after a forked session's replayed history began its records may still be part of it (see `replayed`). */
const REPLAY_BURST_MS = 500
/** The output Codex gives the spawn call at the end of the history a subagent is forked with. */
const SPAWNED_AGENT_NOTE = 'You are the newly spawned agent.'

/**
 * A person's prompt as a title: what Codex's IDE extension sends after its context (`# Context from my IDE setup:` …
 * `## My request for Codex:` then the request), else the first line that is no Markdown heading, rule or code fence
 * (a Spec Kit prompt opens `## User Input`, then `---`); the first line where every line is one (trial 115).
 */
export function promptTitle(text: string): string | undefined {
  const request = /^#+\s*My request for Codex:\s*$/im.exec(text)
  const body = request ? text.slice(request.index + request[0].length) : text
  for (const line of body.split('\n')) {
    const t = line.trim()
    if (t && !/^(?:#{1,6}\s|-{3,}$|\*{3,}$|```)/.test(t)) return t
  }
  return firstLine(body) ?? firstLine(text)
}
