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
import {basename, dirname, join} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Tokens} from '../card/types.js'
import {toIso} from '../util/time.js'
import {countProblem, isObject, str, usdProblem} from './fields.js'
import {RecordError, readEach, type AdaptContext, type DocumentAdapter} from './types.js'

/** A request's usage as the UI messages record it. */
interface UiUsage {
  at: string | undefined
  model: string | undefined
  tokens: Tokens | undefined
  cost: number | undefined
  /** A request that failed before its usage came: no call (left out of the pairing, said). */
  failed?: boolean
  /** Its position in the file's messages. */
  index: number
  /** Why its usage cannot be read (a count that is no whole number, a cost that is no amount): none is taken. */
  problem?: string
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

const count = (v: unknown): number => (typeof v === 'number' ? v : 0)

/**
 * Usage the UI messages record for requests no message of the history stands for, summed as Cline sums its task's
 * total (`getApiMetrics`): what a checkpoint restore deleted with the messages after it (`deleted_api_reqs`, "so we
 * don't lose costs/tokens"), and what a batch of subagents spent (`subagent_usage`, newer Cline), each one aggregate
 * of requests whose number it does not say.
 */
export interface UiAggregate {
  what: 'deleted' | 'subagents'
  at: string | undefined
  tokens: Tokens | undefined
  cost: number | undefined
  /** Its position in the file's messages. */
  index: number
  /** Why its usage cannot be read: none is taken. */
  problem?: string
}

const AGGREGATES: Readonly<Record<string, UiAggregate['what']>> = {
  deleted_api_reqs: 'deleted',
  subagent_usage: 'subagents',
}

/** What an aggregate stands for, as its call's text says. */
function aggregateText(a: UiAggregate): string {
  return a.what === 'deleted'
    ? 'the requests a checkpoint restore deleted, as Cline summed them (deleted_api_reqs): how many is not recorded'
    : "a batch of subagents' requests, as Cline summed them (subagent_usage): how many is not recorded"
}

/** A message's usage JSON (`text`), an object; undefined where it is no JSON object (absent: an empty one). */
function usageJson(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return {}
  try {
    const info: unknown = JSON.parse(text)
    return isObject(info) ? info : undefined
  } catch {
    return undefined
  }
}

const COUNTS = ['tokensIn', 'tokensOut', 'cacheReads', 'cacheWrites'] as const

/**
 * The tokens a usage JSON records (undefined where it records none), its cost where it records one, and why its usage
 * cannot be read where it cannot (the rule of every reader: `countProblem`, `usdProblem`), naming the message and field.
 */
function usageOf(
  u: Record<string, unknown> | undefined,
  index: number,
): {tokens: Tokens | undefined; cost: number | undefined; problem?: string} {
  if (!u) return {tokens: undefined, cost: undefined, problem: `[${index}].text: expected a JSON object of the usage`}
  for (const key of COUNTS) {
    const problem = u[key] === undefined || u[key] === null ? undefined : countProblem(u[key])
    if (problem) return {tokens: undefined, cost: undefined, problem: `[${index}].text.${key}: ${problem}`}
  }
  const costProblem = u.cost === undefined || u.cost === null ? undefined : usdProblem(u.cost)
  if (costProblem) return {tokens: undefined, cost: undefined, problem: `[${index}].text.cost: ${costProblem}`}
  const recorded = COUNTS.some(k => typeof u[k] === 'number')
  const tokens: Tokens = {
    input: count(u.tokensIn),
    output: count(u.tokensOut),
    cacheRead: count(u.cacheReads),
    cacheWrite: count(u.cacheWrites),
    reasoning: 0,
  }
  return {tokens: recorded ? tokens : undefined, cost: typeof u.cost === 'number' ? u.cost : undefined}
}

/** What the UI messages record of a task's usage (see `uiUsages`). */
interface UiRecords {
  requests: UiUsage[]
  aggregates: UiAggregate[]
  /** Each condensation of the context (Roo Code's `condense_context`): the cost recorded, where it is an amount. */
  condenses: Array<{index: number; cost: number | undefined}>
  /** The `api_req_finished` messages whose text is no usage JSON: they finish no request. */
  brokenFinished: ReadonlySet<number>
}

/**
 * The usage of each API request the messages record, in order (`undefined` tokens: one that recorded none), the
 * aggregates of requests no message stands for, and the condensations' costs, in one pass. (Older Cline wrote a request's usage in two messages: `tokensIn` in
 * its `api_req_started`, the rest in the `api_req_finished` after it, which its `combineApiRequests` merges.)
 */
function uiUsages(doc: readonly unknown[]): UiRecords {
  const raw: Array<{at: string | undefined; model: string | undefined; index: number; u?: Record<string, unknown>}> = []
  const aggregates: UiAggregate[] = []
  const condenses: UiRecords['condenses'] = []
  const brokenFinished = new Set<number>()
  let model: string | undefined
  /** The request an `api_req_finished` would finish: the last one started, until one finishes it. */
  let open: (typeof raw)[number] | undefined
  doc.forEach((m, index) => {
    if (!isObject(m)) return
    if (isObject(m.modelInfo)) model = str(m.modelInfo, 'modelId') ?? model
    // (A finished message that is no usage JSON finishes nothing: `readUi` says so where it stands.)
    if (m.say === 'api_req_finished') {
      const finished = usageJson(m.text)
      if (!finished) brokenFinished.add(index)
      else if (open?.u) {
        Object.assign(open.u, finished)
        open = undefined
      }
    }
    if (m.say === 'condense_context' && isObject(m.contextCondense)) {
      const cost = m.contextCondense.cost
      condenses.push({index, cost: usdProblem(cost) === undefined ? (cost as number) : undefined})
    }
    // (Cline counts those with a text: getApiMetrics.)
    const what = typeof m.say === 'string' && typeof m.text === 'string' ? AGGREGATES[m.say] : undefined
    const usage = what ? usageOf(usageJson(m.text), index) : undefined
    // (One that sums nothing, a restore that deleted no request, adds nothing to Cline's total: no call, trial 96.)
    const empty =
      usage &&
      !usage.problem &&
      !usage.cost &&
      (!usage.tokens ||
        usage.tokens.input + usage.tokens.output + usage.tokens.cacheRead + usage.tokens.cacheWrite === 0)
    if (what && usage && !empty) aggregates.push({what, at: toIso(m.ts), index, ...usage})
    if (m.say === 'api_req_started' && typeof m.text === 'string') {
      open = {at: toIso(m.ts), model, index, u: usageJson(m.text)}
      raw.push(open)
    }
  })
  const out: UiUsage[] = raw.map(({at, model, index, u}) => {
    const {tokens, cost, problem} = usageOf(u, index)
    if (problem) return {at, model, index, tokens: undefined, cost: undefined, problem}
    // A request that failed before its usage came (`cancelReason`, `streamingFailedMessage`, nothing counted): no call.
    const failed =
      (typeof u!.cancelReason === 'string' || typeof u!.streamingFailedMessage === 'string') &&
      (!tokens || tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite === 0)
    return {at, model, index, tokens: failed ? undefined : tokens, cost, ...(failed ? {failed: true} : {})}
  })
  // Whether `tokensIn` holds the cache too: Roo Code from 3.29.5 and Kilo Code from 4.119 write the whole prompt
  // (`totalInputTokens`), as Cline's handlers for OpenAI-compatible APIs do (review 93). Told by the file: where every
  // request that read or wrote the cache (two at least) has `tokensIn` of at least its cache tokens; a file of the
  // other reading has its later requests read far more from the cache than they send fresh. (Its aggregates sum
  // such requests: read so too.)
  const cached = out.filter(u => u.tokens && u.tokens.cacheRead + u.tokens.cacheWrite > 0)
  if (cached.length >= 2 && cached.every(u => u.tokens!.input >= u.tokens!.cacheRead + u.tokens!.cacheWrite))
    for (const t of [...cached.map(u => u.tokens!), ...aggregates.flatMap(a => (a.tokens ? [a.tokens] : []))])
      if (t.input >= t.cacheRead + t.cacheWrite) t.input -= t.cacheRead + t.cacheWrite
  return {requests: out, aggregates, condenses, brokenFinished}
}

/**
 * What the UI messages beside a task's history record (none when there are none, or they cannot be read): each API
 * request's usage, and the cost of each condensation of the context (Roo Code's `condense_context`, whose summary is an
 * assistant message of the history, `isSummary`, with no request of its own among them).
 */
export function uiUsageBeside(ctx: AdaptContext): UiRecords | undefined {
  // (Read through the context, so a change to it reads the task again: see `SiblingSeen`.)
  const text = ctx.readSiblingSync?.(UI, MAX_UI_BYTES)
  if (text === undefined) return undefined
  try {
    const doc: unknown = JSON.parse(text)
    return Array.isArray(doc) ? uiUsages(doc) : undefined
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
  let condensed = 0
  const {requests: usages, aggregates, condenses, brokenFinished} = uiUsages(doc)
  const aggregateAt = new Map(aggregates.map(a => [a.index, a]))
  const condenseAt = new Map(condenses.map(c => [c.index, c]))
  let next = 0
  readEach(doc, ctx, (m, i) => {
    if (!isObject(m)) throw new RecordError(`[${i}]: expected a message object`)
    const at = toIso(m.ts)
    b.seen(at)
    const text = typeof m.text === 'string' ? m.text : ''
    // The task (the first text the person gave) and their later feedback: turns.
    // (Newer Cline writes the task as `say: task`.)
    if ((m.say === 'text' && i === 0) || m.say === 'task' || m.say === 'user_feedback') {
      b.newTurn(text)
      title ??= text
        .split('\n')
        .find(l => l.trim())
        ?.trim()
      return
    }
    const aggregate = aggregateAt.get(i)
    if (aggregate) {
      // (Skipped with its message and field: its numbers are never counted.)
      if (aggregate.problem) throw new RecordError(aggregate.problem)
      addAggregate(b, aggregate)
      return
    }
    // A condensation of the context (Roo Code): the request that wrote its summary, whose cost Roo Code's task total
    // counts (its tokens not recorded: `prevContextTokens` is what the context held).
    const condense = condenseAt.get(i)
    if (condense) {
      const step = b.addLlm({startedAt: at, text: 'a condensation of the context: its summary (Roo Code)'})
      if (condense.cost !== undefined) step.cost = {usd: null, source: 'unpriced', recordedUsd: condense.cost}
      else noUsage++
      condensed++
      return
    }
    // (Older Cline's second half of a request's usage, merged with it above; one that is no usage JSON is said.)
    if (brokenFinished.has(i))
      throw new RecordError(
        `[${i}].text: expected a JSON object of the usage: the request before it is read without it`,
      )
    if (m.say !== 'api_req_started') return
    // (Read over the whole file first: whether `tokensIn` holds the cache is told by all its requests.)
    const usage = typeof m.text === 'string' ? usages[next++] : undefined
    if (usage?.problem) throw new RecordError(usage.problem)
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
  warnAggregates(
    b,
    aggregates.filter(a => !a.problem),
  )
  if (condensed)
    b.warn(
      `${condensed} condensation(s) of the context counted as calls, with the cost Roo Code recorded (no tokens recorded)`,
    )
  b.warn(`read alone, without ${HISTORY} beside it: the calls' usage and cost, not their tool calls`)
  const id = taskId(ctx.path, doc.find(m => isObject(m) && typeof m.ts === 'number') as {ts: number} | undefined)
  return b.build({id, sessionId: id, title})
}

/** 2000-01-01 in milliseconds. */
const MS_2000 = Date.UTC(2000, 0, 1)

/**
 * A task's id, the same in every copy of its files: the time of its first message, which Cline writes as the task
 * starts (a task saved again into another folder, a backup beside its `tasks/<id>/` folder or a folder of another
 * name, is one task, its requests counted once: see `repeatKey`; its folder's name would differ between the copies,
 * trial 94 and review 95), else its folder's name (a file with no time), else the file's name.
 */
export function taskId(path: string, first: {ts: number} | undefined): string {
  // (A time of this century in milliseconds, as Cline writes them: `ts: 1000` is no task's start.)
  if (first && Number.isSafeInteger(first.ts) && first.ts >= MS_2000) return String(first.ts)
  const file = basename(path)
  return /^(?:ui_messages|api_conversation_history)\.json$/i.test(file)
    ? basename(dirname(path))
    : file.replace(/\.jsonl?$/i, '')
}
/**
 * An aggregate of requests as one call: its tokens and the cost Cline recorded, no model (it may sum several, and
 * its tokens summed would be priced in a long-context band none of its requests reached).
 */
export function addAggregate(b: CardBuilder, a: UiAggregate): void {
  const step = b.addLlm({tokens: a.tokens, startedAt: a.at, text: aggregateText(a)})
  if (a.cost !== undefined) step.cost = {usd: null, source: 'unpriced', recordedUsd: a.cost}
}

/** Says what aggregates a card counts as calls (none: nothing said). */
export function warnAggregates(b: CardBuilder, aggregates: readonly UiAggregate[]): void {
  if (!aggregates.length) return
  const deleted = aggregates.filter(a => a.what === 'deleted').length
  const subagents = aggregates.length - deleted
  const parts = [
    ...(deleted ? [`${deleted} aggregate(s) of requests a checkpoint restore deleted`] : []),
    ...(subagents ? [`${subagents} aggregate(s) of subagents' requests`] : []),
  ]
  b.warn(
    `${parts.join(' and ')} counted as one call each, with the tokens and cost Cline recorded for them, as its task total counts them (how many requests each sums is not recorded)`,
  )
}
