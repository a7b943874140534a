/**
 * Aider chat transcripts (`.aider.chat.history.md`): Markdown that aider appends
 * to in every run, so one file holds many sessions. See corpus FORMATS.md §8a
 * and aider's `base_coder.py` (`calculate_and_show_tokens_and_cost`).
 *
 * Line roles: `# aider chat started at …` opens a session (one card each);
 * `#### ` lines are the person's prompt; `> ` lines are aider's own output;
 * everything else is the model's reply text.
 *
 * Traps handled here:
 * - one LLM step per `> Tokens: … sent, … received.` line. Aider prints counts
 *   of 1,000 and more rounded (`3.2k`, `10k`; old versions printed exact counts
 *   with thousands separators): rounded counts are parsed with their suffix and
 *   the step is marked `estimated`;
 * - `N cache write, M cache hit` between sent and received: aider's `sent` is
 *   LiteLLM's `prompt_tokens` plus the cache writes when the usage has
 *   Anthropic cache fields (and, for DeepSeek, `prompt_tokens` already holds the
 *   hits): aco assumes `sent` includes both writes and hits, so input = sent −
 *   writes − hits (never below 0);
 * - `Cost: $X message, $Y session.` (`request` in old versions; on a line of
 *   its own, without `> `, when the line above showed both cache kinds): the
 *   message cost is kept as the step's recorded cost, the last session figure
 *   as `card.recorded.costUsd`, and the message costs are checked to add up to
 *   it within the rounding of the printed figures (a warning when not). Aider
 *   prints no cost for models LiteLLM cannot price (local models): those steps
 *   are priced by aco or listed as unpriced;
 * - the model is the latest `> Main model:` / `> Model:` banner (a `/model`
 *   switch prints a new one), without its ` with … edit format…` tail;
 * - `> Applied edit to <file>` becomes an `edit` tool step (ok) of the reply
 *   before it, `> The LLM did not conform to the edit format.` a failed one;
 * - `> litellm.…Error` lines (rate limits, retries) become one warning per kind;
 * - the session time has no zone (aider writes local time): read as UTC.
 */
import {basename, dirname} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import type {AdaptContext, LineSink, TextAdapter} from './types.js'

const SESSION_START = '# aider chat started at '

/** A token count as aider prints it: `222`, `3,486`, `3.2k`, `10k`, `1.5M`. */
export function parseAiderCount(text: string): {value: number; rounded: boolean} | undefined {
  const m = /^(\d[\d,]*(?:\.\d+)?)([kKmM]?)$/.exec(text.trim())
  if (!m) return undefined
  const n = Number(m[1]!.replace(/,/g, ''))
  const suffix = m[2]!.toLowerCase()
  const scale = suffix === 'k' ? 1e3 : suffix === 'm' ? 1e6 : 1
  return {value: Math.round(n * scale), rounded: suffix !== ''}
}

/** A dollar figure as aider prints it, with half its last printed digit (the rounding it may hide). */
export function parseAiderCost(text: string): {usd: number; halfUnit: number} {
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0
  return {usd: Number(text), halfUnit: 5 / 10 ** (decimals + 1)}
}

const COUNT = String.raw`(\d[\d,]*(?:\.\d+)?[kKmM]?)`
const COST = String.raw`Cost: \$(\d+(?:\.\d+)?) (?:message|request), \$(\d+(?:\.\d+)?) session\.`
const TOKENS_LINE = new RegExp(
  String.raw`^Tokens: ${COUNT} sent(?:, ${COUNT} cache write)?(?:, ${COUNT} cache hit)?, ${COUNT} received\.(?: ${COST})?$`,
)
const COST_LINE = new RegExp(`^${COST}$`)
const LITELLM_ERROR = /^(litellm\.\w+)(?::\s*(.*))?$/

interface Cost {
  usd: number
  halfUnit: number
}

class Session {
  readonly builder: CardBuilder
  model: string | undefined
  version: string | undefined
  title: string | undefined
  firstPrompt: string | undefined
  prompts = 0
  replyText = ''
  lastStep: Step | undefined
  /** The last step printed its tokens without a cost, which may follow on the next line. */
  awaitingCost = false
  readonly messageCosts: Cost[] = []
  sessionCost: Cost | undefined
  readonly errors = new Map<string, {count: number; line: number; text: string}>()
  edits = 0

  constructor(
    ctx: AdaptContext,
    readonly started: string | undefined,
    readonly line: number,
  ) {
    this.builder = new CardBuilder('aider', ctx.path, ctx.redact)
    this.builder.seen(started)
  }
}

class AiderChatSink implements LineSink {
  private session: Session | undefined
  private readonly cards: TraceCard[] = []
  private inPrompt = false

  constructor(private readonly ctx: AdaptContext) {}

  push(raw: string, line: number): void {
    // Aider ends lines with two spaces (a Markdown line break).
    const text = raw.trimEnd()
    if (text.startsWith(SESSION_START)) {
      this.close()
      this.session = new Session(this.ctx, toIso(text.slice(SESSION_START.length).trim()), line)
      this.inPrompt = false
      return
    }
    const s = this.session
    if (!s) return
    if (text.startsWith('#### ') || text === '####') {
      this.prompt(s, text.slice(5))
      return
    }
    this.inPrompt = false
    if (text.startsWith('> ') || text === '>') {
      this.aiderOutput(s, text.slice(2).trim(), line)
      return
    }
    const cost = COST_LINE.exec(text)
    if (cost && s.awaitingCost) {
      this.attachCost(s, cost[1]!, cost[2]!)
      return
    }
    if (text) s.awaitingCost = false
    if (text && s.replyText.length < 1000) s.replyText += (s.replyText ? '\n' : '') + text
  }

  private prompt(s: Session, text: string): void {
    // Consecutive `#### ` lines are one multi-line prompt.
    if (!this.inPrompt) {
      s.builder.newTurn()
      s.prompts++
      s.replyText = ''
      s.awaitingCost = false
    }
    this.inPrompt = true
    const t = text.trim()
    if (!t) return
    s.firstPrompt ??= t
    // `/model`, `/add`… are commands; `/ask …`, `/code …` carry a request.
    if (!s.title) {
      const request = /^\/(?:ask|code|architect|context)\s+(.+)$/.exec(t)
      if (request) s.title = request[1]
      else if (!t.startsWith('/')) s.title = t
    }
  }

  private aiderOutput(s: Session, body: string, line: number): void {
    const tokens = TOKENS_LINE.exec(body)
    if (tokens) {
      this.tokens(s, tokens, line)
      return
    }
    const cost = COST_LINE.exec(body)
    if (cost && s.awaitingCost) {
      this.attachCost(s, cost[1]!, cost[2]!)
      return
    }
    s.awaitingCost = false
    const model = /^(?:Main model|Models?): (\S+)/.exec(body)
    if (model) {
      s.model = model[1]
      return
    }
    const version = /^Aider (v\S+)/.exec(body)
    if (version) {
      s.version = version[1]
      return
    }
    const applied = /^Applied edit to (.+)$/.exec(body)
    if (applied) {
      this.edit(s, applied[1]!, 'ok', line)
      return
    }
    if (body.startsWith('The LLM did not conform to the edit format')) {
      this.edit(s, undefined, 'error', line)
      return
    }
    const error = LITELLM_ERROR.exec(body)
    if (error) {
      const kind = error[1]!
      const seen = s.errors.get(kind)
      if (seen) seen.count++
      else s.errors.set(kind, {count: 1, line, text: (error[2] ?? '').replace(/^litellm\.\w+:\s*/, '').slice(0, 160)})
    }
  }

  private tokens(s: Session, m: RegExpExecArray, line: number): void {
    const sent = parseAiderCount(m[1]!)!
    const write = m[2] ? parseAiderCount(m[2])! : {value: 0, rounded: false}
    const hit = m[3] ? parseAiderCount(m[3])! : {value: 0, rounded: false}
    const received = parseAiderCount(m[4]!)!
    const step = s.builder.addLlm({
      model: s.model,
      tokens: {
        input: Math.max(0, sent.value - write.value - hit.value),
        output: received.value,
        cacheRead: hit.value,
        cacheWrite: write.value,
        reasoning: 0,
      },
      text: s.replyText,
      line,
    })
    if (sent.rounded || write.rounded || hit.rounded || received.rounded) step.estimated = true
    s.replyText = ''
    s.lastStep = step
    s.awaitingCost = true
    if (m[5] && m[6]) this.attachCost(s, m[5], m[6])
  }

  private attachCost(s: Session, message: string, session: string): void {
    s.awaitingCost = false
    const step = s.lastStep
    if (!step) return
    const cost = parseAiderCost(message)
    s.messageCosts.push(cost)
    s.sessionCost = parseAiderCost(session)
    // Priced by aco from the tokens; the recorded figure stands when the model has no price.
    step.cost = {usd: null, source: 'unpriced', recordedUsd: cost.usd}
  }

  private edit(s: Session, file: string | undefined, status: 'ok' | 'error', line: number): void {
    s.edits++
    const parent = s.lastStep
    const callId = `${parent?.id ?? 'edit'}-edit${s.edits}`
    s.builder.addToolCall(parent, callId, 'edit', file === undefined ? {} : {path: file}, undefined, line)
    s.builder.resolveTool(callId, {
      status,
      output: status === 'error' ? 'The LLM did not conform to the edit format.' : '',
    })
  }

  /** Ends the current session; a session with no prompt and no call (started and quit) gives no card. */
  private close(): void {
    const s = this.session
    this.session = undefined
    if (!s) return
    const b = s.builder
    if (b.steps.length === 0 && s.prompts === 0 && s.errors.size === 0) return
    for (const [kind, e] of s.errors)
      b.warn(`${kind}${e.count > 1 ? ` ×${e.count}` : ''}${e.text ? `: ${e.text}` : ''}`, e.line)
    if (s.replyText.trim())
      b.warn('text after the last Tokens line (an interrupted reply?): no usage printed, not counted')
    if (s.sessionCost) {
      const sum = s.messageCosts.reduce((a, c) => a + c.usd, 0)
      const tolerance = s.messageCosts.reduce((a, c) => a + c.halfUnit, s.sessionCost.halfUnit) + 1e-12
      if (Math.abs(sum - s.sessionCost.usd) > tolerance) {
        b.warn(
          `the message costs add up to $${sum.toFixed(6)} but the last session cost is $${s.sessionCost.usd} ` +
            `(more than the ±$${tolerance.toFixed(6)} the printed rounding allows): some calls printed no cost line`,
        )
      }
    }
    if (b.steps.some(st => st.estimated))
      b.warn("token counts are aider's rounded figures (e.g. 3.2k): the steps are marked estimated")
    const where = `${basename(dirname(this.ctx.path))}/${basename(this.ctx.path)}`
    const card = b.build({
      id: `${where}@${s.started ?? `line ${s.line}`}`,
      toolVersion: s.version,
      title: s.title ?? s.firstPrompt,
    })
    if (s.sessionCost) card.recorded = {source: 'aider session cost', costUsd: s.sessionCost.usd}
    this.cards.push(card)
  }

  finish(): TraceCard[] {
    this.close()
    return this.cards
  }
}

export const aiderAdapter: TextAdapter = {
  kind: 'text',
  format: 'aider',
  label: 'Aider chat history',
  looksFor: 'Markdown whose first line is "# aider chat started at …" (.aider.chat.history.md)',
  sniff(head) {
    const first = head.split('\n').find(l => l.trim().length > 0)
    return first?.trimStart().startsWith(SESSION_START) ?? false
  },
  open: ctx => new AiderChatSink(ctx),
}
