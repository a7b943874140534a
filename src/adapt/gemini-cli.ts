/**
 * Gemini CLI chat recordings (`~/.gemini/tmp/<projectHash>/chats/session-*.json`
 * and the newer `session-*.jsonl`). See corpus FORMATS.md §8d and Gemini CLI's
 * `chatRecordingService.ts`.
 *
 * Two shapes, one meaning:
 * - the JSON document `{sessionId, projectHash, startTime, lastUpdated, kind?,
 *   messages: [...]}`;
 * - the JSONL file: a header object on line 1, then one message per line. A
 *   message is re-appended whole whenever it changes (tokens arriving after the
 *   text, tool calls completing), so the last copy of an id wins and keeps the
 *   place of the first; `{"$set": {...}}` lines update header fields (and may
 *   carry a whole `messages` list, merged by id); `{"$rewindTo": id}` drops
 *   messages from the conversation, but their calls were made and paid for, so
 *   aco keeps them and says so.
 *
 * Traps handled here:
 * - one LLM step per `gemini` message; a `gemini` message without `tokens` is a
 *   call whose usage was not recorded (counted, not priced, warned);
 * - `tokens` copies the API's usageMetadata (`input` = promptTokenCount,
 *   cached ⊂ input, `output` = candidatesTokenCount, `thoughts` and `tool`
 *   apart, `total` = input + output + thoughts + tool): converted with
 *   `geminiTokens`. Both corpus sessions agree (10+5 = 15, 100+10 = 110);
 * - tool results are nested in their call; `status` is the error flag
 *   (`success` ok, `error`/`cancelled` error), and a shell result's
 *   `Exit Code: N` line gives the exit code (non-zero is an error even when the
 *   call itself "succeeded");
 * - schema drift (the corpus fixture's `type: "model"` messages with `parts`):
 *   read as replies, with a warning; unknown types are named in a warning.
 */
import {basename, dirname} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, ToolStatus, TraceCard} from '../card/types.js'
import {sha256Hex} from '../util/hash.js'
import {contentText} from '../util/text.js'
import {expectObject, firstLine, isObject, obj, optCount, str, type Json, typeName} from './fields.js'
import {geminiTokens} from './gemini-api.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type JsonlAdapter, type RecordSink} from './types.js'

const NON_MODEL_TYPES = new Set(['user', 'info', 'error', 'warning'])

/** Text of a message's `content` (a string, a Part, or a list of Parts). */
function partsText(content: unknown): string {
  if (typeof content === 'string') return content
  if (isObject(content)) return typeof content.text === 'string' ? content.text : ''
  return contentText(content)
}

/** The result text of a tool call: its functionResponse output, error, or the response as JSON. */
function resultText(result: unknown): string {
  if (result === undefined || result === null) return ''
  if (typeof result === 'string') return result
  const parts = Array.isArray(result) ? result : [result]
  let out = ''
  for (const part of parts) {
    if (typeof part === 'string') out += part
    else if (isObject(part)) {
      const fr = part.functionResponse
      if (isObject(fr)) {
        const response = fr.response
        if (isObject(response) && typeof response.output === 'string') out += response.output
        else if (isObject(response) && typeof response.error === 'string') out += response.error
        else if (response !== undefined) out += JSON.stringify(response)
      } else if (typeof part.text === 'string') out += part.text
    }
  }
  return out
}

/**
 * The exit code Gemini CLI's shell tool writes into its result, on a line of
 * its own ("Exit Code: 1"). Some writers escape the newlines twice, so a
 * literal `\n` also counts as a line start.
 */
export function geminiExitCode(output: string): number | undefined {
  const m = /(?:^|\\n)Exit Code: (-?\d+)/m.exec(output)
  return m ? Number(m[1]) : undefined
}

/**
 * What a shell command printed, out of the text Gemini CLI's shell tool wraps it in: `Command: …`, `Directory: …` and
 * `Output: ` before it (older versions; newer ones write `Output: ` alone), its own lines after it (`Error: (none)`,
 * `Exit Code: N`, `Signal: …`, `Background PIDs: …`, `Process Group PGID: N`, which differs on every run). An error the
 * tool reports (`Error: spawn failed`) stays; the exit code is the call's own field. Text of another shape is returned
 * as it is.
 */
export function geminiShellOutput(output: string): string {
  const head = SHELL_HEAD.exec(output)
  if (!head) return output
  const lines = output.slice(head[0].length).split('\n')
  let k = lines.length
  let wrapped = false
  const errors: string[] = []
  while (k > 0) {
    const line = lines[k - 1]!
    if (line.trim() === '') k--
    else if (SHELL_TAIL.test(line)) {
      if (/^(?:Process Group PGID|Exit Code): /.test(line)) wrapped = true
      // (What the tool says went wrong stays: its error, the signal that killed the command.)
      if ((line.startsWith('Error: ') && line !== 'Error: (none)') || /^Signal: (?!0$|\(none\)$)/.test(line))
        errors.unshift(line)
      k--
    } else break
  }
  if (!wrapped) return output
  const body = lines.slice(0, k).join('\n')
  const text = body === '(empty)' ? '' : body
  return errors.length ? `${text}${text ? '\n' : ''}${errors.join('\n')}` : text
}

/** What Gemini CLI's shell tool writes before a command's output. */
const SHELL_HEAD = /^(?:Command: [^\n]*\nDirectory: [^\n]*\n)?Output: ?/
/** …and after it, each on a line of its own. */
const SHELL_TAIL = /^(?:Error: .*|Exit Code: (?:-?\d+|\(none\))|Signal: .*|Background PIDs: .*|Process Group PGID: .*)$/

/** Gemini CLI's words for a shell command it stopped at its inactivity timeout. */
const CANCELLED_BY_TIMEOUT =
  /^Command was automatically cancelled because it exceeded the timeout of [\d.]+ minutes? without output\b/

function statusOf(status: unknown): ToolStatus {
  if (status === 'success') return 'ok'
  // A cancelled call never ran: for the agent it failed.
  if (status === 'error' || status === 'cancelled') return 'error'
  return 'unknown'
}

/** Turns messages (already merged by id) into one card. Shared by both shapes. */
class SessionReader {
  readonly builder: CardBuilder
  private title: string | undefined
  private lastTimestamp: string | undefined
  private noTokens = 0
  private readonly drift = new Map<string, number>()
  private readonly unknownTypes = new Map<string, number>()
  /** Folders the calls name by an absolute path (each folder a path passes through): where the project may lie. */
  private readonly folders = new Set<string>()
  /** The folder Gemini CLI's own context says it works in (its first workspace directory). */
  private workspace: string | undefined

  constructor(ctx: AdaptContext) {
    this.builder = new CardBuilder('gemini-cli', ctx.path, ctx.redact)
  }

  /** Reads one message; `where` names it in errors. */
  message(m: unknown, where: string, line?: number): void {
    if (!isObject(m)) throw new RecordError(`${where}: expected an object, got ${typeName(m)}`)
    const type = str(m, 'type')
    const at = this.builder.time(m.timestamp, line)
    if (type === 'user') {
      const text = partsText(m.content)
      // (The context Gemini CLI sends first, `<session_context>This is the Gemini CLI…`, is no request: no person's turn,
      // it titles nothing, and names the folder it works in; nor is a mode notice; trial 117.)
      const context = SESSION_CONTEXT.test(text ?? '')
      const notice = !context && MODE_NOTICE.test(text ?? '')
      if (!context && !notice) this.builder.newTurn(text)
      // (A Windows folder with `/`, as the other agents' are written: one project, one name; review 119.)
      if (context)
        this.workspace ??= WORKSPACE.exec(text ?? '')?.[1]
          ?.trim()
          .replace(/\\/g, '/')
      else if (!notice) this.title ??= firstLine(text)
    } else if (type === 'gemini' || type === 'model') {
      if (type === 'model') this.drift.set(type, (this.drift.get(type) ?? 0) + 1)
      this.reply(m, where, at, line)
    } else if (type === 'error' || type === 'warning') {
      const text = partsText(m.content)
      if (text) this.builder.warn(`${type} message: ${firstLine(text) ?? ''}`, line)
    } else if (!type || !NON_MODEL_TYPES.has(type)) {
      const name = type ?? '(none)'
      this.unknownTypes.set(name, (this.unknownTypes.get(name) ?? 0) + 1)
    }
    this.builder.seen(at)
    if (at) this.lastTimestamp = at
  }

  private reply(m: Json, where: string, at: string | undefined, line: number | undefined): void {
    const t = obj(m, 'tokens', where)
    const tokens = t
      ? geminiTokens({
          prompt: optCount(t, 'input', `${where}.tokens`) ?? 0,
          candidates: optCount(t, 'output', `${where}.tokens`) ?? 0,
          cached: optCount(t, 'cached', `${where}.tokens`) ?? 0,
          thoughts: optCount(t, 'thoughts', `${where}.tokens`) ?? 0,
          toolUse: optCount(t, 'tool', `${where}.tokens`) ?? 0,
        })
      : undefined
    const toolCalls = m.toolCalls
    if (toolCalls !== undefined && toolCalls !== null && !Array.isArray(toolCalls)) {
      throw new RecordError(`${where}.toolCalls: expected an array, got ${typeName(toolCalls)}`)
    }
    if (!tokens) this.noTokens++
    const step = this.builder.addLlm({
      id: str(m, 'id'),
      model: str(m, 'model'),
      tokens,
      startedAt: this.lastTimestamp,
      endedAt: at,
      text: partsText(m.content ?? m.parts),
      line,
    })
    for (const call of toolCalls ?? []) this.toolCall(step, call, at, line)
  }

  private toolCall(step: Step, call: unknown, at: string | undefined, line: number | undefined): void {
    if (!isObject(call)) return
    const callId = str(call, 'id') ?? `${step.id}-call${(step.toolStepIds?.length ?? 0) + 1}`
    const started = this.builder.time(call.timestamp, line, 'toolCalls[].timestamp') ?? at
    this.builder.addToolCall(step, callId, str(call, 'name') ?? 'unknown', call.args ?? {}, started, line)
    if (isObject(call.args)) for (const value of Object.values(call.args)) this.noteFolders(value)
    const text = resultText(call.result)
    const exitCode = geminiExitCode(text)
    let status = statusOf(call.status)
    if (exitCode !== undefined && exitCode !== 0) status = 'error'
    // The shell tool stopped a command that printed nothing for too long (a server run in the foreground): it did not
    // finish, whatever the call's status says (as Claude Code's "Command timed out after 2m" is an error).
    if (str(call, 'name') === 'run_shell_command' && CANCELLED_BY_TIMEOUT.test(text)) status = 'error'
    // (A shell command's output without the tool's wrapping: what the command printed, as other agents' shells keep.)
    const output = str(call, 'name') === 'run_shell_command' ? geminiShellOutput(text) : text
    this.builder.resolveTool(callId, {status, exitCode, output})
  }

  /** The folders an argument's absolute paths pass through (`/home/a/p/src/x.ts`: `/home`, `/home/a`, …). */
  private noteFolders(value: unknown): void {
    if (typeof value !== 'string' || this.folders.size >= MAX_FOLDERS) return
    for (const m of value.slice(0, 4096).matchAll(ABSOLUTE_PATH)) {
      const path = m[0]
      for (let at = path.search(/[/\\]/) + 1; at < path.length; at++) {
        const c = path[at]
        if (c !== '/' && c !== '\\') continue
        this.folders.add(path.slice(0, at))
        if (this.folders.size >= MAX_FOLDERS) return
      }
      // (And the path itself, which may be a folder: `cd /home/a/p`.)
      this.folders.add(path.replace(/[/\\]+$/, ''))
    }
  }

  /**
   * The project's folder, the one Gemini CLI's `projectHash` is the SHA-256 of (its `getProjectHash`): among the
   * folders the calls name, the one whose hash it is. Relative paths the calls name resolve against it.
   */
  private projectRoot(meta: Json): string | undefined {
    const hash = str(meta, 'projectHash')
    if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return undefined
    for (const folder of this.folders) if (sha256Hex(folder) === hash) return folder
    return undefined
  }

  build(meta: Json, fallbackId: string): TraceCard {
    const b = this.builder
    b.seen(b.time(meta.startTime, undefined, 'startTime'))
    b.seen(b.time(meta.lastUpdated, undefined, 'lastUpdated'))
    if (this.noTokens) b.warn(`${this.noTokens} reply message(s) carry no tokens: counted as LLM calls, not priced`)
    for (const [type, n] of this.drift)
      b.warn(`${n} message(s) of type "${type}" (not a type Gemini CLI writes) read as replies`)
    for (const [type, n] of this.unknownTypes) b.warn(`${n} message(s) of unknown type "${type}" ignored`)
    const sessionId = str(meta, 'sessionId')
    const cwd = this.projectRoot(meta) ?? this.workspace
    const card = b.build({
      id: sessionId ?? fallbackId,
      sessionId,
      title: str(meta, 'summary') ?? this.title,
      ...(cwd ? {cwd} : {}),
    })
    // A subagent's file sits in `chats/<parent session id>/`.
    if (meta.kind === 'subagent') card.parent = {sessionId: basename(dirname(this.builder.path)), agentType: 'subagent'}
    return card
  }
}

/** The context Gemini CLI sends as the session's first user message (newer versions wrap it in `<session_context>`). */
const SESSION_CONTEXT =
  /^\s*(?:<session_context>|This is the Gemini CLI\. We are setting up the context for our chat\.)/
/** A notice Gemini CLI writes as the person's when its mode changes (`User has manually exited Plan Mode. …`). */
const MODE_NOTICE = /^\s*User has manually (?:exited|entered|switched)\b[^\n]*\bMode\b/i
/** Its folder: the first of its workspace directories, or the one it says it works in (older versions). */
const WORKSPACE =
  /(?:Workspace Directories:\**\s*\n\s*-\s*|I'm currently working in the directory:\s*|I'm currently working in the following directories:\s*\n\s*-\s*)((?:\/|[A-Za-z]:[\\/])[^\n]+)/

/** An absolute path in an argument: POSIX (`/home/a/p`) or Windows (`C:\\Users\\a\\p`), up to a space or a quote. */
const ABSOLUTE_PATH = /(?<![\w.~-])(?:\/|[A-Za-z]:\\)[^\s'"`<>|;:,*?]+/g
/** Folders looked at for the project's at most (bounded work whatever a session holds). */
const MAX_FOLDERS = 4096

function stem(path: string): string {
  return basename(path).replace(/\.jsonl?$/i, '')
}

function isSessionDocument(doc: unknown): doc is Json {
  if (!isObject(doc) || !Array.isArray(doc.messages)) return false
  if (typeof doc.projectHash !== 'string' && !(typeof doc.sessionId === 'string' && 'startTime' in doc)) return false
  // Messages carry `type` (user|gemini|info…), not OpenAI/mini-swe-agent `role`.
  const first = doc.messages.find(m => isObject(m))
  return first === undefined || (isObject(first) && typeof first.type === 'string' && !('role' in first))
}

export const geminiCliDocumentAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'gemini-cli',
  label: 'Gemini CLI chat recording',
  recordsCache: true,
  looksFor:
    'a JSON object {sessionId, projectHash, startTime, messages[{id, type: user|gemini|info, content, tokens?, toolCalls?}]}',
  sniff: isSessionDocument,
  parse(doc, ctx) {
    if (!isObject(doc) || !Array.isArray(doc.messages)) throw new RecordError('messages: expected an array')
    return [readDocument(doc, doc.messages, ctx)]
  },
}

/** A chat recording's card: its messages read in order, each one that cannot be read skipped (at `line`, if on one). */
function readDocument(doc: Json, messages: readonly unknown[], ctx: AdaptContext, line?: number): TraceCard {
  const reader = new SessionReader(ctx)
  messages.forEach((m, i) => {
    const where = `messages[${i}]`
    try {
      reader.message(m, where, line)
    } catch (error) {
      if (!(error instanceof RecordError)) throw error
      ctx.skip(
        line,
        `${where}${isObject(m) && typeof m.id === 'string' ? ` (id ${m.id})` : ''}: ${error.message.replace(`${where}.`, '')}`,
      )
    }
  })
  return reader.build(doc, stem(ctx.path))
}

/** The JSONL shape: messages are kept (merged by id) until the end, since later lines update earlier ones. */
class SessionJsonlSink implements RecordSink {
  private meta: Json = {}
  private readonly messages = new Map<string, {message: Json; line: number}>()
  private readonly rewound = new Set<string>()
  /** A header's own messages (a recording on one line), with its line. */
  private document?: {messages: readonly unknown[]; line: number}

  constructor(private readonly ctx: AdaptContext) {}

  push(record: unknown, line: number): void {
    const raw = expectObject(record)
    if ('$rewindTo' in raw) {
      const id = raw.$rewindTo
      if (typeof id !== 'string') throw new RecordError(`$rewindTo: expected a message id, got ${typeName(id)}`)
      // Gemini CLI drops these messages from the conversation; their calls were paid for, so they stay.
      let from = false
      for (const key of this.messages.keys()) {
        if (key === id) from = true
        if (from) this.rewound.add(key)
      }
      return
    }
    if ('$set' in raw) {
      const set = raw.$set
      if (!isObject(set)) throw new RecordError(`$set: expected an object, got ${typeName(set)}`)
      const {messages, ...fields} = set
      this.meta = {...this.meta, ...fields}
      if (Array.isArray(messages))
        for (const m of messages) if (isObject(m) && typeof m.id === 'string') this.upsert(m, line)
      return
    }
    if (typeof raw.id === 'string' && typeof raw.type === 'string') {
      this.upsert(raw, line)
      return
    }
    if (typeof raw.sessionId === 'string') {
      // A header that holds the messages: a chat recording (the JSON document) written on one line, read as the
      // document is (messages in order, none merged by id) unless other lines follow.
      const {messages, ...fields} = raw
      this.meta = {...this.meta, ...fields}
      if (Array.isArray(messages)) this.document = {messages, line}
      return
    }
    throw new RecordError('expected a session header, a message {id, type, …}, a $set or a $rewindTo line')
  }

  private upsert(message: Json, line: number): void {
    const id = message.id as string
    const prior = this.messages.get(id)
    // The last copy is the complete one; the first fixed its place (Map keeps insertion order).
    this.messages.set(id, {message, line: prior?.line ?? line})
  }

  finish(): TraceCard[] {
    if (this.document) {
      if (this.messages.size === 0 && this.rewound.size === 0)
        return [readDocument(this.meta, this.document.messages, this.ctx, this.document.line)]
      // (Lines after it update its messages, as any JSONL line does: its own come first, in their order.)
      const later = [...this.messages]
      this.messages.clear()
      for (const m of this.document.messages)
        if (isObject(m) && typeof m.id === 'string') this.upsert(m, this.document.line)
      for (const [, {message, line}] of later) this.upsert(message, line)
    }
    if (this.messages.size === 0 && this.meta.sessionId === undefined) return []
    const reader = new SessionReader(this.ctx)
    for (const [id, {message, line}] of this.messages) {
      try {
        reader.message(message, `message ${id}`, line)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        this.ctx.skip(line, error.message)
      }
    }
    if (this.rewound.size)
      reader.builder.warn(
        `${this.rewound.size} message(s) were rewound ($rewindTo) out of the conversation: kept, since their calls were made`,
      )
    return [reader.build(this.meta, stem(this.ctx.path))]
  }
}

export const geminiCliJsonlAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'gemini-cli',
  label: 'Gemini CLI chat recording (JSONL)',
  recordsCache: true,
  looksFor:
    'JSONL: a header {sessionId, projectHash, startTime}, then messages {id, timestamp, type: user|gemini|info, content}, $set and $rewindTo lines',
  sniff(records) {
    let votes = 0
    for (const r of records) {
      if (!isObject(r)) continue
      // Claude Code and Codex lines are never Gemini CLI lines.
      if ('parentUuid' in r || 'payload' in r || 'uuid' in r) return false
      if (typeof r.sessionId === 'string' && typeof r.projectHash === 'string') votes++
      else if (typeof r.id === 'string' && r.type === 'gemini') votes++
      else if (isObject(r.$set) || typeof r.$rewindTo === 'string') votes++
    }
    return votes > 0
  },
  open: ctx => new SessionJsonlSink(ctx),
}
