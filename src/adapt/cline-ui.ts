/**
 * A Cline task's UI messages (`tasks/<task id>/ui_messages.json`; Roo Code and Kilo Code keep the same file): a JSON
 * array of `{ts, type: say|ask, say|ask, text, modelInfo?}`. Each `say: api_req_started` is one API request, its
 * `text` a JSON object with the request's usage and cost once it finished: `tokensIn` (the prompt tokens not read
 * from the cache: Cline's Anthropic handler passes `input_tokens`, its OpenRouter one `prompt_tokens` less the cached),
 * `tokensOut`, `cacheReads`, `cacheWrites`, `cost`.
 *
 * It is the only place some versions keep a call's usage: where `api_conversation_history.json` lies beside it, that
 * file is the trace (its tool calls and results), and the calls it records no usage for take theirs from here (see
 * `uiUsageBeside`); alone, this file is read as a trace of its calls, their usage and cost, and its person's turns.
 */
import {existsSync, readFileSync, statSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Tokens} from '../card/types.js'
import {toIso} from '../util/time.js'
import {isObject, str} from './fields.js'
import {RecordError, readEach, type AdaptContext, type DocumentAdapter} from './types.js'

/** A request's usage as the UI messages record it. */
export interface UiUsage {
  at: string | undefined
  model: string | undefined
  tokens: Tokens | undefined
  cost: number | undefined
  /** A request that failed before its usage came: no call (left out of the pairing, said). */
  failed?: boolean
}

const HISTORY = 'api_conversation_history.json'
const UI = 'ui_messages.json'
/** A UI messages file larger than this is not read for usage beside a history (bounded work). */
const MAX_UI_BYTES = 256 * 1024 * 1024

function isUiMessages(doc: unknown): doc is unknown[] {
  if (!Array.isArray(doc) || doc.length === 0) return false
  let requests = 0
  for (const m of doc.slice(0, 200)) {
    if (!isObject(m) || typeof m.ts !== 'number' || (m.type !== 'say' && m.type !== 'ask') || 'role' in m) return false
    if (m.say === 'api_req_started') requests++
  }
  return requests > 0 || doc.slice(0, 200).some(m => isObject(m) && (m.say === 'text' || m.ask === 'followup'))
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0)

/** The usage of each API request the messages record, in order (`undefined` tokens: one that recorded none). */
function uiUsages(doc: readonly unknown[]): UiUsage[] {
  const out: UiUsage[] = []
  let model: string | undefined
  for (const m of doc) {
    if (!isObject(m)) continue
    if (isObject(m.modelInfo)) model = str(m.modelInfo, 'modelId') ?? model
    if (m.say !== 'api_req_started' || typeof m.text !== 'string') continue
    let info: unknown
    try {
      info = JSON.parse(m.text)
    } catch {
      info = undefined
    }
    const u = isObject(info) ? info : {}
    const recorded = ['tokensIn', 'tokensOut', 'cacheReads', 'cacheWrites'].some(k => typeof u[k] === 'number')
    const tokens: Tokens = {
      input: count(u.tokensIn),
      output: count(u.tokensOut),
      cacheRead: count(u.cacheReads),
      cacheWrite: count(u.cacheWrites),
      reasoning: 0,
    }
    // A request that failed before its usage came (`cancelReason`, `streamingFailedMessage`, nothing counted): no call.
    const failed =
      (typeof u.cancelReason === 'string' || typeof u.streamingFailedMessage === 'string') &&
      tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite === 0
    out.push({
      at: toIso(m.ts),
      model,
      tokens: recorded && !failed ? tokens : undefined,
      cost: typeof u.cost === 'number' && Number.isFinite(u.cost) && u.cost >= 0 ? u.cost : undefined,
      ...(failed ? {failed: true} : {}),
    })
  }
  // Whether `tokensIn` holds the cache too: Roo Code from 3.29.5 and Kilo Code from 4.119 write the whole prompt
  // (`totalInputTokens`), as Cline's handlers for OpenAI-compatible APIs do (review 93). Told by the file: where every
  // request that read or wrote the cache (two at least) has `tokensIn` of at least its cache tokens; a file of the
  // other reading has its later requests read far more from the cache than they send fresh.
  const cached = out.filter(u => u.tokens && u.tokens.cacheRead + u.tokens.cacheWrite > 0)
  if (cached.length >= 2 && cached.every(u => u.tokens!.input >= u.tokens!.cacheRead + u.tokens!.cacheWrite))
    for (const u of cached) u.tokens!.input -= u.tokens!.cacheRead + u.tokens!.cacheWrite
  return out
}

/**
 * What the UI messages beside a task's history record (none when there are none, or they cannot be read): each API
 * request's usage, and the cost of each condensation of the context (Roo Code's `condense_context`, whose summary is an
 * assistant message of the history, `isSummary`, with no request of its own among them).
 */
export function uiUsageBeside(historyPath: string): {requests: UiUsage[]; condenses: number[]} | undefined {
  const path = join(dirname(historyPath), UI)
  try {
    if (!existsSync(path) || statSync(path).size > MAX_UI_BYTES) return undefined
    const doc: unknown = JSON.parse(readFileSync(path, 'utf8'))
    if (!Array.isArray(doc)) return undefined
    const condenses = doc
      .filter(m => isObject(m) && m.say === 'condense_context' && isObject(m.contextCondense))
      .map(m => ((m as {contextCondense: {cost?: unknown}}).contextCondense.cost as number) ?? Number.NaN)
    return {requests: uiUsages(doc), condenses}
  } catch {
    return undefined
  }
}

export const clineUiAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'cline',
  label: 'Cline task UI messages (ui_messages.json)',
  // (`--format cline` on a task folder reads the history: the UI messages beside it stay its companion, review 93.)
  companionWhenForced: true,
  looksFor:
    'a JSON array of {ts, type: say|ask, say|ask, text} messages, `say: api_req_started` ones with the request usage as JSON (tokensIn, tokensOut, cacheReads, cacheWrites, cost)',
  sniff: isUiMessages,
  // The task's history beside it is the trace; its calls' usage comes from here where it records none.
  companionOf(path, exists) {
    return basename(path).toLowerCase() === UI && exists(join(dirname(path), HISTORY))
      ? `Cline task UI messages: the task is read from ${HISTORY} beside it (its calls' usage and cost from here, where that file records none)`
      : undefined
  },
  parse(doc, ctx) {
    if (!Array.isArray(doc)) throw new RecordError('expected an array of messages')
    return [readUi(doc, ctx)]
  },
}

function readUi(doc: readonly unknown[], ctx: AdaptContext) {
  const b = new CardBuilder('cline', ctx.path, ctx.redact)
  let title: string | undefined
  let noUsage = 0
  let failed = 0
  const usages = uiUsages(doc)
  let next = 0
  readEach(doc, ctx, (m, i) => {
    if (!isObject(m)) throw new RecordError(`[${i}]: expected a message object`)
    const at = toIso(m.ts)
    b.seen(at)
    const text = typeof m.text === 'string' ? m.text : ''
    // The task (the first text the person gave) and their later feedback: turns.
    if ((m.say === 'text' && i === 0) || m.say === 'user_feedback') {
      b.newTurn(text)
      title ??= text
        .split('\n')
        .find(l => l.trim())
        ?.trim()
      return
    }
    if (m.say !== 'api_req_started') return
    // (Read over the whole file first: whether `tokensIn` holds the cache is told by all its requests.)
    const usage = typeof m.text === 'string' ? usages[next++] : undefined
    if (usage?.failed) {
      failed++
      return
    }
    if (!usage?.tokens) noUsage++
    const step = b.addLlm({model: usage?.model, tokens: usage?.tokens, startedAt: at})
    if (usage?.cost !== undefined) step.cost = {usd: null, source: 'unpriced', recordedUsd: usage.cost}
  })
  if (failed)
    b.warn(
      `${failed} API request(s) failed or were cancelled before their usage came: no tokens billed, not counted as calls`,
    )
  if (noUsage) b.warn(`${noUsage} API request(s) recorded no usage: counted, not priced`)
  b.warn(`read alone, without ${HISTORY} beside it: the calls' usage and cost, not their tool calls`)
  const file = basename(ctx.path)
  const id = file.toLowerCase() === UI ? basename(dirname(ctx.path)) : file.replace(/\.json$/i, '')
  return b.build({id, sessionId: id, title})
}
