/**
 * Aider's LLM I/O log (`.aider.llm.history`, written with `--llm-history-file`).
 * See corpus FORMATS.md §8b.
 *
 * Plain text: `TO LLM <time>` and a `-------` line open a request, `LLM RESPONSE
 * <time>` its answer; every message line carries its role (`SYSTEM `, `USER `,
 * `ASSISTANT `). One request/response pair is one LLM call.
 *
 * The log holds no model name, no token counts and no cost, so the steps have
 * no tokens and are not priced (a card warning says so); the request and
 * response times give each call's latency (1 s resolution). An empty response is
 * a failed call (a rate limit, a connection error that aider retried).
 *
 * aco does not borrow tokens from the `.aider.chat.history.md` beside the log:
 * that file is read as a trace of its own and already counts the same calls'
 * tokens and costs, so copying them here would count the money twice (and the
 * adapter's `finish` is synchronous, with no sibling to await).
 */
import {basename, dirname, join} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {firstLine} from './fields.js'
import type {AdaptContext, LineSink, TextAdapter} from './types.js'

const REQUEST = /^TO LLM (\S+)/
const RESPONSE = /^LLM RESPONSE (\S+)/
const ROLE = /^(SYSTEM|USER|ASSISTANT|TOOL|FUNCTION)(?: (.*))?$/

interface Call {
  line: number
  sentAt: string | undefined
  answeredAt: string | undefined
  /** The last USER message of the request: the prompt it answers. */
  lastUser: string
  userOpen: boolean
  reply: string
  inResponse: boolean
}

class AiderLlmHistorySink implements LineSink {
  private readonly builder: CardBuilder
  private call: Call | undefined
  private previousPrompt: string | undefined
  private title: string | undefined
  private calls = 0
  private failed = 0

  constructor(private readonly ctx: AdaptContext) {
    this.builder = new CardBuilder('aider-llm-history', ctx.path, ctx.redact)
  }

  push(text: string, line: number): void {
    const request = REQUEST.exec(text)
    if (request) {
      this.close()
      this.call = {
        line,
        sentAt: toIso(request[1]),
        answeredAt: undefined,
        lastUser: '',
        userOpen: false,
        reply: '',
        inResponse: false,
      }
      return
    }
    const c = this.call
    if (!c) return
    const response = RESPONSE.exec(text)
    if (response) {
      c.answeredAt = toIso(response[1])
      c.inResponse = true
      return
    }
    const role = ROLE.exec(text)
    if (!role) {
      // `-------` separates messages.
      if (text.startsWith('-------')) c.userOpen = false
      return
    }
    const body = role[2] ?? ''
    if (c.inResponse) {
      if (role[1] === 'ASSISTANT' && c.reply.length < 2000) c.reply += (c.reply ? '\n' : '') + body
      return
    }
    if (role[1] === 'USER') {
      // A new USER block after another role starts a new message.
      if (!c.userOpen) c.lastUser = ''
      c.userOpen = true
      if (c.lastUser.length < 4000) c.lastUser += (c.lastUser ? '\n' : '') + body
    } else {
      c.userOpen = false
    }
  }

  private close(): void {
    const c = this.call
    this.call = undefined
    if (!c) return
    const prompt = c.lastUser.trim()
    // A retry resends the same prompt: only a new prompt is a new turn.
    if (prompt !== this.previousPrompt) {
      this.builder.newTurn(prompt)
      this.previousPrompt = prompt
      // The last user message's first line: aider puts the person's prompt there, before its reminders.
      this.title ??= firstLine(prompt)
    }
    this.calls++
    const answered = c.reply.trim().length > 0
    if (!answered) this.failed++
    this.builder.addLlm({
      startedAt: c.sentAt,
      endedAt: c.answeredAt,
      text: c.reply.trim(),
      stopReason: answered ? undefined : c.answeredAt ? 'empty response' : 'no response',
      line: c.line,
    })
  }

  finish(): TraceCard[] {
    this.close()
    if (this.calls === 0) return []
    const b = this.builder
    b.warn(
      'an LLM I/O log has no model names, token counts or costs: the steps have no tokens and are not priced (the .aider.chat.history.md beside it has them)',
    )
    if (this.failed) b.warn(`${this.failed} request(s) got no answer (rate limits or errors that aider retried)`)
    const id = `${basename(dirname(this.ctx.path))}/${basename(this.ctx.path)}`
    return [b.build({id, title: this.title})]
  }
}

export const aiderLlmHistoryAdapter: TextAdapter = {
  kind: 'text',
  format: 'aider-llm-history',
  label: 'Aider LLM I/O log',
  looksFor: 'text whose first line is "TO LLM <ISO time>" (.aider.llm.history)',
  sniff(head) {
    const first = head.split('\n').find(l => l.trim().length > 0)
    return first !== undefined && /^TO LLM \d{4}-/.test(first)
  },
  open: ctx => new AiderLlmHistorySink(ctx),
  // The chat history beside the log has the same calls with their tokens and costs: they are counted from there.
  companionOf(path, exists) {
    const history = chatHistoryBeside(path)
    return exists(history) ? `Aider LLM I/O log: its calls are counted from ${basename(history)} beside it` : undefined
  },
}

/** `x.aider.llm.history` → `x.aider.chat.history.md` (and `.aider.llm.history` → `.aider.chat.history.md`). */
function chatHistoryBeside(path: string): string {
  const name = basename(path).replace(/\.aider\.llm\.history$|\.llm\.history$/, '')
  return join(dirname(path), `${name}.aider.chat.history.md`)
}
