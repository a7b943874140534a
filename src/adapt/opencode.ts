/**
 * OpenCode sessions as `opencode export <session>` writes them (and Entire's checkpoints keep them, as `full.jsonl`):
 * one JSON document `{info, messages: [{info, parts[]}]}`, the session's `info` (`id`, `title`, `directory`,
 * `version`, its `tokens` and `cost`), each message's `info` (`role`, `time`, `modelID`, `providerID`, `tokens`,
 * `cost`, `path.cwd`) and its parts (`text`, `reasoning`, `tool`, `step-start`, `step-finish`, `patch`, `file`…).
 *
 * Traps handled here:
 * - an assistant message may hold several model steps, each closed by a `step-finish` part carrying that step's
 *   `tokens` and `cost`: one LLM step each, the tool calls between its `step-start` and `step-finish` its own. A
 *   message with no `step-finish` is one LLM step with the message's tokens;
 * - OpenCode's `tokens.input` leaves out the cached tokens (`cache.read`, `cache.write`) and its `output` the
 *   `reasoning` ones: `total` is their sum. aco's output holds the reasoning, so it is `output + reasoning`;
 * - a tool part's `state` is `{status, input, output, metadata, time}`: `error` is a failed call (its text in
 *   `state.error`), `pending` and `running` a call that never returned (the session stopped there); `bash`'s
 *   `metadata.exit` is the command's exit code;
 * - the session's `info.tokens` sums its messages': kept as the tokens the source recorded, to compare with aco's;
 * - a user message's text parts are the person's prompt, but `synthetic` ones (OpenCode's own, a file attached)
 *   and ignored ones are not;
 * - a `task` call's subagent is a session of its own (`metadata.sessionId`), exported apart: not in this card;
 * - the context compacted: OpenCode's own compaction (a user message holding a `compaction` part, the summary an
 *   assistant message of `summary: true` answers it with), or the context-pruning plugin's (DCP) `compress` tool,
 *   which replaces earlier calls' outputs with its summary (`Compressed 10 messages into …`, then a user message of
 *   the plugin's own, `▣ DCP | -75.3K removed …`): the next call starts from the summary, and neither message is a
 *   person's turn.
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import {count, isObject, recordedUsd, str, type Json} from './fields.js'
import {RecordError, readEach, type AdaptContext, type DocumentAdapter} from './types.js'

/** The context-pruning plugin's notice after a compression (`▣ DCP | -75.3K removed, +6.4K summary — Compression #1`). */
const DCP_NOTICE = /^\s*▣ DCP \|/

/** A time OpenCode writes (epoch milliseconds) as an ISO string. */
function iso(ms: unknown): string | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** Whether a JSON document is an OpenCode session export. */
function isOpencodeExport(doc: unknown): doc is Json {
  if (!isObject(doc) || !isObject(doc.info) || !Array.isArray(doc.messages)) return false
  const info = doc.info
  if (typeof info.id !== 'string' || !(typeof info.directory === 'string' || typeof info.projectID === 'string'))
    return false
  // Its messages (the first few): `{info: {role}, parts: [{type}]}`.
  let seen = 0
  for (const m of doc.messages.slice(0, 10)) {
    if (!isObject(m) || !isObject(m.info) || !Array.isArray(m.parts)) return false
    if (m.info.role !== 'user' && m.info.role !== 'assistant') return false
    seen++
  }
  return seen > 0 || doc.messages.length === 0
}

/** Whether a message's recorded tokens are none at all (absent, or every count 0). */
function noTokens(t: unknown, where: string): boolean {
  const u = tokensOf(t, where)
  return !u || u.input + u.output + u.cacheRead + u.cacheWrite === 0
}

/**
 * OpenCode's token counts as aco counts them (cached tokens apart, reasoning within the output). OpenCode 1.3.16 began
 * to keep the reasoning apart from `output` (its PR #21047); before, `output` held it. A record's own `total` tells
 * which (`input + output + cache`, or that and `reasoning`: a 1.2.5 session, blind set fresh308, had counted its
 * reasoning twice, $0.75 of gpt-5.3-codex); without a total, the reasoning is beside the output (a version does not
 * tell: Gemini's output leaves its thinking out whatever the version, review 132). A count that is no whole number
 * from 0 to 1e9 is a RecordError naming its field (`where`), as in every reader: its record is skipped.
 */
function tokensOf(t: unknown, where: string): Step['tokens'] {
  if (!isObject(t)) return undefined
  const cache = isObject(t.cache) ? t.cache : {}
  const input = count(t, 'input', where)
  const output = count(t, 'output', where)
  const reasoning = count(t, 'reasoning', where)
  const cacheRead = count(cache, 'read', `${where}.cache`)
  const cacheWrite = count(cache, 'write', `${where}.cache`)
  // (Reasoning within the output is never more than it: 4 of 688 rows of a real store, snapshotted mid-stream, had
  // output 0 and reasoning above it.)
  const within = reasoning > 0 && t.total === input + output + cacheRead + cacheWrite
  return {input, output: within ? Math.max(output, reasoning) : output + reasoning, cacheRead, cacheWrite, reasoning}
}

class ExportReader {
  readonly builder: CardBuilder
  private readonly cwd: string | undefined
  private unanswered = 0
  /** The errors of messages that ended before their usage was recorded. */
  private readonly unrecorded: string[] = []
  /** The last user message asked for a subtask (`/review` as a command run by a subagent): OpenCode runs it itself. */
  private subtaskAsked = false

  constructor(
    private readonly ctx: AdaptContext,
    private readonly info: Json,
  ) {
    this.builder = new CardBuilder('opencode', ctx.path, ctx.redact)
    this.cwd = str(info, 'directory')
  }

  message(m: unknown, index: number): void {
    if (!isObject(m) || !isObject(m.info) || !Array.isArray(m.parts))
      throw new RecordError(`messages[${index}]: expected {info, parts[]}`)
    const info = m.info
    const parts = m.parts.filter(isObject)
    if (info.role === 'user') this.user(parts, info)
    else if (info.role === 'assistant') this.assistant(parts, info, index)
    else throw new RecordError(`messages[${index}].info.role: expected user or assistant`)
  }

  private user(parts: Json[], info: Json): void {
    const time = iso(isObject(info.time) ? info.time.created : undefined)
    this.subtaskAsked = parts.some(p => p.type === 'subtask')
    // OpenCode's own request to compact: the context is its summary from here on; no person spoke.
    if (parts.some(p => p.type === 'compaction')) {
      this.builder.contextCompacted()
      this.builder.seen(time)
      return
    }
    const text = parts
      .filter(p => p.type === 'text' && typeof p.text === 'string' && p.synthetic !== true && p.ignored !== true)
      .map(p => p.text as string)
      .join('\n')
    // (The context-pruning plugin's notice of its compression: the plugin's, not the person's.)
    if (DCP_NOTICE.test(text)) {
      this.builder.seen(time)
      return
    }
    this.builder.newTurn(text || undefined)
    this.builder.seen(time)
  }

  private assistant(parts: Json[], info: Json, index: number): void {
    const time = isObject(info.time) ? info.time : {}
    const created = iso(time.created)
    const completed = iso(time.completed)
    const model = str(info, 'modelID')
    const provider = str(info, 'providerID')
    const cwd = isObject(info.path) ? str(info.path, 'cwd') : undefined
    const steps = parts.some(p => p.type === 'step-finish')
    // A subtask a user message asked for is run by OpenCode itself, with no model call: it writes an assistant message
    // of zero tokens and cost holding only the `task` call it makes (its prompt loop's `subtask` branch). Its calls are
    // the harness's, issued by no LLM call.
    const asked = this.subtaskAsked
    this.subtaskAsked = false
    if (
      asked &&
      !steps &&
      parts.length > 0 &&
      parts.every(p => p.type === 'tool') &&
      noTokens(info.tokens, `messages[${index}].info.tokens`) &&
      (info.cost === undefined || info.cost === 0)
    ) {
      for (const p of parts) this.tool(undefined, p, cwd)
      this.builder.seen(completed ?? created)
      return
    }
    // The parts of each model step: up to its `step-finish` (all of them when the message has none).
    let current: Json[] = []
    const groups: Array<{parts: Json[]; finish?: Json}> = []
    for (const p of parts) {
      if (p.type === 'step-finish') {
        groups.push({parts: current, finish: p})
        current = []
      } else current.push(p)
    }
    if (current.length || !steps) {
      // (Parts after the last `step-finish`: a step that never finished, its usage unknown.)
      if (steps && current.some(p => p.type === 'tool' || p.type === 'text')) groups.push({parts: current})
      else if (!steps) groups.push({parts: current})
    }
    // A message that ended in an error (the person aborted it: `MessageAbortedError`) before any step finished holds
    // zeros for tokens: its usage was never recorded, and is unknown, not none.
    const unrecorded = !steps && isObject(info.error) && noTokens(info.tokens, `messages[${index}].info.tokens`)
    if (unrecorded) this.unrecorded.push(str(info.error as Json, 'name') ?? 'an error')
    groups.forEach((g, k) => {
      const usage = g.finish ? g.finish.tokens : steps || unrecorded ? undefined : info.tokens
      const text = g.parts
        .filter(p => p.type === 'text' && typeof p.text === 'string')
        .map(p => p.text as string)
        .join('\n')
      const skip = (reason: string): void => this.ctx.skip(undefined, reason)
      // (A call whose usage was never recorded has no cost recorded either: the 0 OpenCode keeps is no figure, and the
      // call is unpriced, as its warning says; trial 117 had read it as $0.)
      const recorded = g.finish
        ? recordedUsd(g.finish.cost, `messages[${index}] step ${k + 1}'s step-finish.cost`, skip)
        : steps
          ? undefined
          : recordedUsd(info.cost, `messages[${index}].info.cost`, skip)
      // (One OpenCode did record a cost for, all the same, keeps it: review 119.)
      const cost = unrecorded && recorded === 0 ? undefined : recorded
      const step = this.builder.addLlm({
        id: groups.length > 1 ? `${str(info, 'id') ?? `m${index}`}-${k + 1}` : str(info, 'id'),
        model,
        provider,
        tokens: tokensOf(
          usage,
          g.finish ? `messages[${index}] step ${k + 1}'s step-finish.tokens` : `messages[${index}].info.tokens`,
        ),
        startedAt: created,
        endedAt: completed,
        text,
        stopReason: str(info, 'finish'),
      })
      // The cost OpenCode recorded, kept beside the one aco computes from the tokens.
      if (cost !== undefined) step.cost = {usd: null, source: 'unpriced', recordedUsd: cost}
      for (const p of g.parts) if (p.type === 'tool') this.tool(step, p, cwd)
    })
    this.builder.seen(completed ?? created)
  }

  private tool(parent: Step | undefined, p: Json, cwd: string | undefined): void {
    const state = isObject(p.state) ? p.state : {}
    const name = str(p, 'tool') ?? 'unknown'
    const time = isObject(state.time) ? state.time : {}
    const id = str(p, 'callID') ?? str(p, 'id')
    const call = this.builder.addToolCall(parent, id, name, state.input ?? {}, iso(time.start))
    if (cwd && this.cwd && cwd !== this.cwd) call.cwd = cwd
    if (iso(time.end)) call.endedAt = iso(time.end)
    const status = str(state, 'status')
    if (status !== 'completed' && status !== 'error') {
      this.unanswered++
      return
    }
    const metadata = isObject(state.metadata) ? state.metadata : {}
    const exit = typeof metadata.exit === 'number' && Number.isInteger(metadata.exit) ? metadata.exit : undefined
    const output =
      status === 'error' ? (str(state, 'error') ?? str(state, 'output') ?? '') : (str(state, 'output') ?? '')
    this.builder.resolveTool(call.tool!.callId, {
      status: status === 'error' || (exit !== undefined && exit !== 0) ? 'error' : 'ok',
      exitCode: exit,
      output,
    })
    // The context-pruning plugin compressed earlier calls' outputs into its summary: the next call starts from it.
    if (name === 'compress' && status === 'completed' && /^Compressed \d+ messages?\b/.test(output))
      this.builder.contextCompacted()
  }

  build(): TraceCard {
    const b = this.builder
    if (this.unanswered)
      b.warn(`${this.unanswered} tool call(s) never returned (pending or running when the session was saved)`)
    if (this.unrecorded.length)
      b.warn(
        `${this.unrecorded.length} call(s) ended before OpenCode recorded their usage (${[...new Set(this.unrecorded)].join(', ')}): counted, with no price`,
      )
    const id = str(this.info, 'id') ?? basename(this.ctx.path).replace(/\.jsonl?$/i, '')
    const card = b.build({
      id,
      sessionId: id,
      toolVersion: str(this.info, 'version'),
      title: str(this.info, 'title'),
      ...(this.cwd ? {cwd: this.cwd} : {}),
    })
    // What OpenCode itself summed for the session: its tokens (and cost), to set beside aco's.
    let tokens: Step['tokens']
    try {
      tokens = tokensOf(this.info.tokens, 'info.tokens')
    } catch (error) {
      if (!(error instanceof RecordError)) throw error
      this.ctx.skip(undefined, `${error.message}: the session's own totals are not read`)
    }
    if (tokens) {
      const cost = recordedUsd(this.info.cost, 'info.cost', reason => this.ctx.skip(undefined, reason))
      card.recorded = {source: 'opencode session tokens', tokens, ...(cost !== undefined ? {costUsd: cost} : {})}
    }
    return card
  }
}

/**
 * One session of OpenCode's database (see opencode-db.ts) read as its export is: the session's `info` and its
 * messages, each `{info, parts}`.
 */
export function readOpencodeSession(info: Json, messages: readonly unknown[], ctx: AdaptContext): TraceCard {
  const reader = new ExportReader(ctx, info)
  readEach(messages, ctx, (m, i) => reader.message(m, i))
  return reader.build()
}

/**
 * One file of OpenCode's storage before 1.2 (`storage/session/<project>/ses_….json`, `storage/message/<session>/msg_….json`,
 * `storage/part/<message>/prt_….json`): a session's info, a message or a part alone, no session to count. OpenCode
 * 1.2 copied them into its database, which aco reads; `opencode export <id>` writes a session whole.
 */
function isStorageRecord(doc: unknown): boolean {
  if (!isObject(doc) || typeof doc.id !== 'string' || 'messages' in doc) return false
  if (doc.id.startsWith('ses_')) return typeof doc.version === 'string' && isObject(doc.time) && 'title' in doc
  if (doc.id.startsWith('msg_'))
    return typeof doc.sessionID === 'string' && (doc.role === 'user' || doc.role === 'assistant')
  if (doc.id.startsWith('prt_')) return typeof doc.messageID === 'string' && typeof doc.type === 'string'
  return false
}

/** OpenCode's own log (`~/.local/share/opencode/log/*.log`): what the program did, in logfmt or its older lines. */
function isOpencodeLog(head: string): boolean {
  return /^(?:timestamp=\S+ level=(?:DEBUG|INFO|WARN|ERROR) |(?:DEBUG|INFO|WARN|ERROR) +\d{4}-\d\d-\d\dT\S+ \+\d+ms service=)/.test(
    head,
  )
}

export const opencodeAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'opencode',
  label: 'OpenCode session export',
  // (What OpenCode's data folder holds beside its database: recognised, never read as traces.)
  companions: [
    {
      label:
        "a file of OpenCode's storage before 1.2 (one session's info, message or part; OpenCode 1.2 copied them into opencode.db, which aco reads)",
      doc: isStorageRecord,
    },
    {label: "OpenCode's own log (what the program did, not a session's calls)", text: isOpencodeLog},
  ],
  looksFor:
    'a JSON document {info: {id, directory, version, tokens}, messages: [{info: {role, tokens…}, parts: [{type: text|tool|step-finish…}]}]} (`opencode export`), or a SQLite database with its session, message and part tables (opencode.db)',
  recordsCache: true,
  sniff: isOpencodeExport,
  parse(doc, ctx) {
    if (!isOpencodeExport(doc)) throw new RecordError('expected {info, messages[]}')
    const reader = new ExportReader(ctx, doc.info as Json)
    readEach(doc.messages as unknown[], ctx, (m, i) => reader.message(m, i))
    return [reader.build()]
  },
}
