/**
 * A format mapping as adapters (one for JSONL, one for JSON documents): each
 * record is read through the mapping's paths into a step draft; at the end of
 * the file the drafts become cards (one per trace id), in order.
 *
 * Rules that hold for every mapped format:
 * - records that are neither LLM calls nor tool executions (by `steps.kind`)
 *   are not steps; an LLM record with LLM records under it (`steps.parent`)
 *   repeats their usage and is not counted;
 * - a tool step belongs to the LLM step whose `toolCalls` named its call id,
 *   else to the latest LLM step before it unless that step named the calls it
 *   issued and this is none of them (then to none: its framework ran it) (and
 *   takes the arguments that call was issued with when its own record holds
 *   none); an issued call no tool record answers is a tool step of unknown
 *   status;
 * - counts follow `tokens.inputIncludesCache` / `outputIncludesReasoning`;
 *   a record's `tokens.total` is checked against the others;
 * - a recorded cost is kept beside the computed one; records matched by
 *   `recorded.when` hold the trace's own totals, checked against the card's;
 * - a record logged twice (an LLM response with the same id, model, usage
 *   and cost; a tool record with the same call id and content) counts once;
 * - an item of `toolCalls` with neither an id nor a name is no tool call.
 */
import {basename} from 'node:path'
import {addTokens, CardBuilder, emptyTokens, tokenSum} from '../../card/build.js'
import type {FormatId, RecordedTotals, Step, Tokens, TraceCard} from '../../card/types.js'
import {toIso} from '../../util/time.js'
import {hashText} from '../../util/hash.js'
import {countProblem, isObject, num, usdProblem, writesByLifetime} from '../fields.js'
import {splitPrompt} from '../litellm.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type JsonlAdapter, type RecordSink} from '../types.js'
import {meets, type CompiledMapping, type CompiledTokens} from './compile.js'
import type {CompiledPaths} from './paths.js'
import type {ToolRole} from './types.js'

interface Draft {
  kind: 'llm' | 'tool'
  record: unknown
  id?: string
  parent?: string
  order?: unknown
  start?: string
  line?: number
  seq: number
}

interface TraceDrafts {
  drafts: Draft[]
  recorded: {
    tokens: Tokens
    costUsd: number
    any: boolean
    withTokens: boolean
    withCost: boolean
    /** Whether any record of totals held a prompt count, an output count (a path with no value records none). */
    withInput: boolean
    withOutput: boolean
  }
  title?: string
  session?: string
  /** Records whose time field holds a value that is no time aco reads, and the first such value with its field. */
  unreadTimes?: {count: number; first: string}
}

/**
 * The times a card may hold: an earlier or later one is a writer's garbage (0 or −1 for "none", an epoch with a digit
 * too many read as year 2530). (The card drops one before 2000 too, but quoting what it became, 1970-01-01.)
 */
const EARLIEST_TIME = Date.UTC(2000, 0, 1)
const LATEST_TIME = Date.UTC(2100, 0, 1)

/**
 * The time a mapped field holds, or undefined. A value there that is no time aco reads (`"01/01/2026 09:00"`, an
 * epoch with a digit too many) is noted on the trace, and said on its card (trial 124: both were left out silently).
 */
function timeIn(paths: CompiledPaths | undefined, record: unknown, field: string, t: TraceDrafts): string | undefined {
  const v = paths?.first(record)
  if (v === undefined || v === null || v === '') return undefined
  const iso = toIso(v)
  const ms = iso === undefined ? Number.NaN : Date.parse(iso)
  if (ms >= EARLIEST_TIME && ms < LATEST_TIME) return iso
  t.unreadTimes ??= {count: 0, first: `${field} (${paths!.sources.join(' | ')}): ${JSON.stringify(v)}`}
  t.unreadTimes.count++
  return undefined
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/**
 * A name a path gives (a model's, a provider's): a string, or a number as text; an object or a list there is a path
 * that stops one level short (`$.req` for `$.req.model`), a record error, not a model named `{"model":"gpt-4o"}` that no
 * price matches (trial 85).
 */
function nameOf(paths: CompiledPaths | undefined, record: unknown, field: string): string | undefined {
  const v = paths?.first(record)
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  const shown = JSON.stringify(v) ?? String(v)
  throw new RecordError(
    `${field} (${paths!.sources.join(' | ')}): expected a name, got ${shown.length > 80 ? `${shown.slice(0, 79)}…` : shown}${typeof v === 'object' ? ' (a path one level short?)' : ''}`,
  )
}

function countOf(paths: CompiledPaths | undefined, record: unknown, field: string): number | undefined {
  return checkedNumber(paths, record, field, countProblem, 'a count')
}

function usdOf(paths: CompiledPaths | undefined, record: unknown, field: string): number | undefined {
  return checkedNumber(paths, record, field, usdProblem, 'a cost in USD')
}

/** A number written in decimals, as a string may hold one (`"1200"`, `" 3.5e2 "`). */
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/

/** A number at the first of `paths` that matches (a numeric string in decimals too), checked by `problem`. */
function checkedNumber(
  paths: CompiledPaths | undefined,
  record: unknown,
  field: string,
  problem: (n: unknown) => string | undefined,
  what: string,
): number | undefined {
  if (!paths) return undefined
  const v = paths.first(record)
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return undefined
  // (A numeric string in decimals only: Number reads "0x10" as 16, "0b101" as 5, trial 124.)
  const n = typeof v === 'string' ? (DECIMAL.test(v) ? Number(v) : Number.NaN) : v
  if (problem(n) !== undefined)
    // (A number past what a double holds, `1e309`, is read as Infinity: JSON.stringify would print it as null.)
    throw new RecordError(
      `${field} (${paths.sources.join(' | ')}): expected ${what}, got ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`,
    )
  return n as number
}

/** A record's tokens in the card's meaning, or undefined when it states none. */
function tokensOf(
  t: CompiledTokens | undefined,
  record: unknown,
  where: string,
):
  | {tokens: Tokens; total?: number; belowCache?: boolean; holds: {input: boolean; output: boolean; cache: boolean}}
  | undefined {
  if (!t) return undefined
  const input = countOf(t.input, record, `${where}.input`)
  const output = countOf(t.output, record, `${where}.output`)
  const cacheRead = countOf(t.cacheRead, record, `${where}.cacheRead`)
  const stated = countOf(t.cacheWrite, record, `${where}.cacheWrite`)
  // Writes split by lifetime (see writesByLifetime).
  const fiveMinutes = countOf(t.cacheWrite5m, record, `${where}.cacheWrite5m`)
  const oneHour = countOf(t.cacheWrite1h, record, `${where}.cacheWrite1h`)
  const {write: cacheWrite, oneHour: writtenForAnHour} = writesByLifetime(stated, fiveMinutes, oneHour)
  const read = cacheRead ?? 0
  const write = cacheWrite ?? 0
  const reasoning = countOf(t.reasoning, record, `${where}.reasoning`) ?? 0
  const total = countOf(t.total, record, `${where}.total`)
  if (input === undefined && output === undefined) return undefined
  let tokens: Tokens
  const out = (output ?? 0) + (t.outputIncludesReasoning ? 0 : reasoning)
  if (t.inputIncludesCache) tokens = splitPrompt(input ?? 0, read, write, out, reasoning)
  else
    tokens = {input: input ?? 0, output: out, cacheRead: read, cacheWrite: write, reasoning: Math.min(reasoning, out)}
  if (writtenForAnHour) tokens.cacheWrite1h = Math.min(writtenForAnHour, tokens.cacheWrite)
  // An input count below the cache tokens cannot include them: the mapping's inputIncludesCache is likely wrong.
  const belowCache = t.inputIncludesCache && input !== undefined && input < read + write
  // (Which counts the record holds, 0 included: what the file's token paths gave, see MappingSink.seen.)
  const holds = {
    input: input !== undefined,
    output: output !== undefined,
    cache: (cacheRead ?? cacheWrite) !== undefined,
  }
  return {tokens, ...(total === undefined ? {} : {total}), ...(belowCache ? {belowCache} : {}), holds}
}

function failed(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || v === 'success' || v === 'ok')
}

/** Whether a step's record says it failed: `steps.error` holds a value, or the record meets `steps.failedWhen`. */
function stepFailed(m: CompiledMapping, r: unknown): boolean {
  return (
    (m.steps.error !== undefined && failed(m.steps.error.first(r))) ||
    (m.steps.failedWhen !== undefined && meets(m.steps.failedWhen, r))
  )
}

/** Kind values of records that are no step kept per file, at most (a log may hold an id there). */
const MAX_KIND_VALUES = 32

/**
 * Of the kind values records hold that make no step (by their JSON, with how many records hold each), those that read
 * as one of `configured` mistyped: the same once case and punctuation are set aside (`llm.call` for `llm_call`), or
 * two edits from it (`tool_exce`). A log's other kinds of record (`chain`, `run_summary`, `heartbeat`) are none.
 */
export function nearMisses(
  values: ReadonlyMap<string, number>,
  configured: ReadonlyArray<string | number | boolean | null>,
): Map<string, number> {
  const plain = (v: unknown): string =>
    String(v)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '')
  const wanted = configured.map(plain).filter(w => w.length > 0)
  const out = new Map<string, number>()
  for (const [json, n] of values) {
    const v = plain(JSON.parse(json))
    if (wanted.some(w => w === v || (Math.min(w.length, v.length) >= 5 && editDistance(w, v, 2) <= 2))) out.set(json, n)
  }
  return out
}

/** The edit distance of two strings, `cap + 1` as soon as it is past `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1
  let row = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    let least = i
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      least = Math.min(least, next[j]!)
    }
    if (least > cap) return cap + 1
    row = next
  }
  return row[b.length]!
}

/** `"llm.call" (3 records), "tool.exec" (5 records)`: the values first, most held first, at most five. */
export function kindValuesText(values: ReadonlyMap<string, number>): string {
  const ranked = [...values].sort((a, b) => b[1] - a[1])
  const shown = ranked
    .slice(0, 5)
    .map(([v, n]) => `${v} (${n} record${n === 1 ? '' : 's'})`)
    .join(', ')
  return ranked.length > 5 ? `${shown} and ${ranked.length - 5} more values` : shown
}

/**
 * The value `steps.kind` reads of a record `steps.when` lets through, as JSON (what tells its kinds apart), when it is
 * one: a string, number or boolean; undefined for none, an object, or a mapping with no `steps.kind`.
 */
export function kindValueOf(m: CompiledMapping, record: unknown): string | undefined {
  const k = m.steps.kind
  if (!k || (m.steps.when && !meets(m.steps.when, record))) return undefined
  const v = k.path.first(record)
  return v === undefined || v === null || typeof v === 'object' ? undefined : JSON.stringify(v)
}

/** What a record is a step of (`steps.when`, then `steps.kind`; an LLM call when the mapping names no kind), or undefined. */
export function recordKind(m: CompiledMapping, record: unknown): 'llm' | 'tool' | undefined {
  if (m.steps.when && !meets(m.steps.when, record)) return undefined
  if (!m.steps.kind) return 'llm'
  const v = m.steps.kind.path.first(record) as string | number | boolean | null | undefined
  if (m.steps.kind.llm.some(x => x === v)) return 'llm'
  if (m.steps.kind.tool.some(x => x === v)) return 'tool'
  return undefined
}

class MappingSink implements RecordSink {
  private readonly traces = new Map<string, TraceDrafts>()
  private readonly summaries = new Set<string>()
  private seq = 0
  /** What the file's calls held of the token paths: the calls, those with an input and an output count, those that answered. */
  private readonly seen = {calls: 0, input: 0, output: 0, answered: 0}
  /** The `steps.kind` values of records it made no step of, by their JSON, with how many records hold each. */
  private readonly otherKinds = new Map<string, number>()
  /** Records it made tool executions of. */
  private toolRecords = 0

  constructor(
    private readonly m: CompiledMapping,
    private readonly ctx: AdaptContext,
    private readonly onRecord?: (record: unknown) => void,
  ) {}

  push(record: unknown, line?: number): void {
    const m = this.m
    this.onRecord?.(record)
    const traceKey = text(m.trace.id?.first(record)) ?? ''
    let t = this.traces.get(traceKey)
    if (!t) {
      t = {
        drafts: [],
        recorded: {
          tokens: emptyTokens(),
          costUsd: 0,
          any: false,
          withTokens: false,
          withCost: false,
          withInput: false,
          withOutput: false,
        },
      }
      this.traces.set(traceKey, t)
    }
    t.title ??= text(m.trace.title?.first(record))
    t.session ??= text(m.trace.session?.first(record))
    // (A summary logged twice states the same totals once.)
    const summary = m.recorded && meets(m.recorded.when, record) ? JSON.stringify(record) : undefined
    if (m.recorded && summary !== undefined && !this.summaries.has(summary)) {
      this.summaries.add(summary)
      const r = t.recorded
      r.any = true
      const u = tokensOf(m.recorded.tokens, record, 'recorded.tokens')
      if (u) {
        addTokens(r.tokens, u.tokens)
        r.withTokens = true
        const rt = m.recorded.tokens!
        if (countOf(rt.input, record, 'recorded.tokens.input') !== undefined) r.withInput = true
        if (countOf(rt.output, record, 'recorded.tokens.output') !== undefined) r.withOutput = true
      }
      const cost = usdOf(m.recorded.costUsd, record, 'recorded.costUsd')
      if (cost !== undefined) {
        r.costUsd += cost
        r.withCost = true
      }
    }
    const kind = recordKind(m, record)
    if (!kind) {
      this.noteOtherKind(record)
      return
    }
    if (kind === 'tool') this.toolRecords++
    const draft: Draft = {kind, record, seq: this.seq++}
    const id = text(m.steps.id?.first(record))
    if (id) draft.id = id
    const parent = text(m.steps.parent?.first(record))
    if (parent) draft.parent = parent
    if (m.steps.order) draft.order = m.steps.order.first(record)
    const start = timeIn(m.steps.startedAt, record, 'steps.startedAt', t)
    if (start) draft.start = start
    if (line !== undefined) draft.line = line
    t.drafts.push(draft)
  }

  finish(): TraceCard[] {
    const cards: TraceCard[] = []
    const fileId = basename(this.ctx.path).replace(/\.(jsonl|ndjson|json|ya?ml|log)$/i, '')
    for (const [key, t] of this.traces) {
      const card = this.build(key, t, fileId)
      if (card) cards.push(card)
    }
    // A token path that gave none of the file's calls a value (input), or none of those that answered (output: an
    // embedding writes none): a typo, or a field the log does not have, and the counts read 0. Said on each trace
    // (trial 34: exit 0 and "output 0", named only by aco formats --check).
    const s = this.seen
    const t = this.m.steps.tokens
    const missing = [
      ...(t?.input && s.calls > 0 && s.input === 0 ? [['input', t.input, s.calls, 'LLM call'] as const] : []),
      ...(t?.output && s.answered > 0 && s.output === 0
        ? [['output', t.output, s.answered, 'answering LLM call'] as const]
        : []),
    ]
    for (const [field, paths, n, what] of missing)
      for (const card of cards)
        card.warnings.push({
          message: `steps.tokens.${field} (${paths.sources.join(' | ')}) gave none of the file's ${n} ${what} record(s) a value: their ${field} tokens read 0 (a path with a typo? aco formats --check MAPPING SAMPLE names it)`,
        })
    // No record of the file an LLM call (or a tool execution) by `steps.kind`, while records hold a value that reads as
    // its value mistyped (`llm_call` for `llm.call`): a trace that reads as costing nothing (trial 85: $0.00, exit 0).
    // Other kinds of record a log holds are no typo (review 86).
    const k = this.m.steps.kind
    const none = k
      ? [
          ...(s.calls === 0 ? [['an LLM call', 'llm', k.llm] as const] : []),
          ...(this.toolRecords === 0 ? [['a tool execution', 'tool', k.tool] as const] : []),
        ]
      : []
    for (const [what, side, values] of none) {
      const near = nearMisses(this.otherKinds, values)
      if (near.size)
        for (const card of cards)
          card.warnings.push({
            message: `steps.kind (${k!.path.source}) made no record ${what} (${side}: ${JSON.stringify(values)}), and records hold ${kindValuesText(near)}: those records are not counted (a value with a typo? aco formats --check MAPPING SAMPLE names it)`,
          })
    }
    return cards
  }

  /** Counts a call's record skipped for a value of the wrong type in `seen`: whether its token paths hold values. */
  private noteHeld(record: unknown): void {
    const t = this.m.steps.tokens
    const held = (p: CompiledPaths | undefined): boolean => {
      const v = p?.first(record)
      return v !== undefined && v !== null && v !== ''
    }
    const calls = this.m.steps.toolCalls
    this.seen.calls++
    if (held(t?.input)) this.seen.input++
    if (held(t?.output)) this.seen.output++
    if (text(this.m.steps.text?.first(record)) || (calls && issuedCalls(calls, record).length > 0)) this.seen.answered++
  }

  /** The value `steps.kind` reads of a record it made no step of (other than none), counted (a few dozen at most). */
  private noteOtherKind(record: unknown): void {
    const key = kindValueOf(this.m, record)
    if (key === undefined) return
    if (this.otherKinds.has(key) || this.otherKinds.size < MAX_KIND_VALUES)
      this.otherKinds.set(key, (this.otherKinds.get(key) ?? 0) + 1)
  }

  private build(key: string, t: TraceDrafts, fileId: string): TraceCard | undefined {
    const m = this.m
    // A trace joined across files (below): a step the log names no id for gets one of this file's own, so it is never
    // taken for another file's step of the same place (review 34: two files' unnamed calls became one).
    const joinable = key !== '' && m.steps.id !== undefined
    const salt = joinable ? `${hashText(this.ctx.path).slice(0, 8)}.` : ''
    const format: FormatId = m.source.format ?? 'mapping'
    const b = new CardBuilder(format, this.ctx.path, this.ctx.redact)
    const drafts = sortDrafts(t.drafts)
    // An LLM record with LLM records under it repeats their usage: the inner ones count.
    const llmIds = new Set(drafts.filter(d => d.kind === 'llm' && d.id).map(d => d.id!))
    const parentOf = new Map(drafts.filter(d => d.id).map(d => [d.id!, d.parent]))
    const rollups = new Set<string>()
    for (const d of drafts) {
      if (d.kind !== 'llm') continue
      const seen = new Set<string>()
      for (let p = d.parent; p && !seen.has(p); p = parentOf.get(p)) {
        seen.add(p)
        if (llmIds.has(p)) rollups.add(p)
      }
    }
    // Tool records by the call id they name (records that name none are matched to issued calls by tool name).
    const toolIds = new Set<string>()
    /** Tool records that name no call id, by tool name, in order: matched to issued calls front to back. */
    const unnamed = new Map<string, Draft[]>()
    for (const d of drafts) {
      if (d.kind !== 'tool') continue
      const callId = text(m.steps.tool.callId?.first(d.record))
      if (callId) toolIds.add(callId)
      else {
        const name = text(m.steps.tool.name?.first(d.record)) ?? 'tool'
        const list = unnamed.get(name)
        if (list) list.push(d)
        else unnamed.set(name, [d])
      }
    }
    const claimedBy = new Map<Draft, {step: Step; callId?: string}>()
    const issuedBy = new Map<string, Step>()
    const issuedArgs = new Map<string, unknown>()
    let lastLlm: Step | undefined
    /** LLM steps whose record names the tool calls they issued. */
    const namedCalls = new Set<Step>()
    let mismatched = 0
    let failedTools = 0
    let failedCalls = 0
    let placeholders = 0
    let repeats = 0
    let belowCache = 0
    let cacheHits = 0
    let costUnknown = 0
    let cacheSeen = false
    // A record logged twice counts once: LLM records by id, model, usage and cost; tool records by call id, then content.
    const logged = new Set<string>()
    const toolRecords = new Map<string, unknown[]>()
    for (const d of drafts) {
      const r = d.record
      if (d.kind === 'llm') {
        if (d.id && rollups.has(d.id)) continue
        let usage: ReturnType<typeof tokensOf>
        let cost: number | undefined
        let holds: NonNullable<typeof usage>['holds'] | undefined
        let model: string | undefined
        let provider: string | undefined
        try {
          usage = tokensOf(m.steps.tokens, r, 'steps.tokens')
          holds = usage?.holds
          cost = usdOf(m.steps.costUsd, r, 'steps.costUsd')
          model = nameOf(m.steps.model, r, 'steps.model')
          provider = nameOf(m.steps.provider, r, 'steps.provider')
        } catch (error) {
          if (!(error instanceof RecordError)) throw error
          this.ctx.skip(d.line, error.message)
          // What it holds at the token paths counts all the same: a path is judged on every call's record, not on those
          // left once others were skipped for another field (trial 85 saw a right path blamed; review 86, a wrong one
          // hidden by a skip of another field).
          this.noteHeld(r)
          continue
        }
        // Answered from a cache in front of the model: no model ran, nothing was billed.
        let unknownCost = false
        if (m.steps.cacheHit && meets(m.steps.cacheHit, r)) {
          cacheHits++
          usage = undefined
          cost = 0
        } else if (
          cost !== undefined &&
          m.steps.costUnknown &&
          usage &&
          tokenSum(usage.tokens) > 0 &&
          meets(m.steps.costUnknown, r)
        ) {
          // A cost the source writes where it could not price the call (LiteLLM's spend of 0 for a model it has no price
          // for): no figure. The call is priced from the catalog, or unpriced, never $0 (trial 116).
          unknownCost = true
          cost = undefined
        }
        // The same response (its id, model, usage and cost) logged twice: a retry of the logging, not a second call.
        if (d.id) {
          const key = `llm\u0000${d.id}\u0000${text(m.steps.model?.first(r))}\u0000${JSON.stringify(usage?.tokens)}\u0000${cost}`
          if (logged.has(key)) {
            repeats++
            continue
          }
          logged.add(key)
        }
        // (Counted once the record is known to be no copy of one logged before: review 118 counted 6 of 5.)
        if (unknownCost) costUnknown++
        const error = m.steps.error?.first(r)
        const isFailed = stepFailed(m, r)
        if (isFailed && (!usage || tokenSum(usage.tokens) === 0)) {
          // A request that failed before the model ran billed nothing: not a call.
          failedCalls++
          continue
        }
        // What the file's calls hold of the token and cache paths (judged over the file in finish()).
        const seen = this.seen
        seen.calls++
        if (holds?.input) seen.input++
        if (holds?.output) seen.output++
        if (holds?.cache) cacheSeen = true
        const reply = text(m.steps.text?.first(r))
        const calls = m.steps.toolCalls
        const issued = calls ? issuedCalls(calls, r) : []
        // (A call that answered, in words or tool calls, wrote output: an embedding writes none.)
        if (reply || issued.length > 0) seen.answered++
        const step = b.addLlm({
          id: d.id ?? (joinable ? `${salt}${d.seq}` : undefined),
          model,
          provider,
          tokens: usage?.tokens,
          startedAt: d.start,
          endedAt: timeIn(m.steps.endedAt, r, 'steps.endedAt', t),
          text: reply,
          stopReason: isFailed
            ? failed(error)
              ? `error: ${text(error)}`
              : 'error'
            : text(m.steps.stopReason?.first(r)),
          line: d.line,
        })
        if (usage?.total !== undefined && tokenSum(usage.tokens) !== usage.total) mismatched++
        if (usage?.belowCache) belowCache++
        if (cost !== undefined)
          step.cost = usage
            ? {usd: null, source: 'unpriced', recordedUsd: cost}
            : {usd: cost, source: 'recorded', recordedUsd: cost}
        lastLlm = step
        if (!calls) continue
        issued.forEach((item, i) => {
          const callId = text(calls.id?.first(item))
          const named = text(calls.name?.first(item))
          // An item with neither an id nor a name is no tool call (a text block among a response's content blocks).
          if (callId === undefined && named === undefined && (calls.id || calls.name)) return
          namedCalls.add(step)
          if (callId && toolIds.has(callId)) {
            issuedBy.set(callId, step)
            // The arguments the call was issued with, for a tool record that does not repeat them.
            const args = calls.arguments?.first(item)
            if (args !== undefined) issuedArgs.set(callId, args)
            return
          }
          const name = named ?? 'unknown'
          const queue = unnamed.get(name)
          // The first unclaimed one that starts after the call (records are in order: earlier ones are passed for good).
          while (queue?.length && (queue[0]!.start ?? '') < (d.start ?? '')) queue.shift()
          const later = queue?.shift()
          if (later) {
            claimedBy.set(later, {step, callId})
            return
          }
          placeholders++
          const issued = b.addToolCall(
            step,
            callId ?? `${step.id}-call${i + 1}`,
            name,
            parseArgs(calls.arguments?.first(item)),
            undefined,
            d.line,
          )
          actsAs(m, issued, name)
        })
        continue
      }
      const claimed = claimedBy.get(d)
      const callId = text(m.steps.tool.callId?.first(r)) ?? claimed?.callId ?? d.id ?? `${salt}tool-${d.seq}`
      // The same tool record logged twice (its call id and everything in it): one execution. Records are compared
      // only when a call id comes again (serialising every record held a second copy of a large log).
      const earlier = toolRecords.get(callId)
      if (earlier === undefined) toolRecords.set(callId, [r])
      else {
        const json = JSON.stringify(r)
        if (earlier.some(e => e === r || JSON.stringify(e) === json)) {
          repeats++
          continue
        }
        earlier.push(r)
      }
      // (Else the latest call, unless that one named the calls it issued and this is none of them: a tool run its
      // framework started, which no call paid for.)
      const parent =
        claimed?.step ?? issuedBy.get(callId) ?? (lastLlm && !namedCalls.has(lastLlm) ? lastLlm : undefined)
      const name = text(m.steps.tool.name?.first(r)) ?? 'tool'
      const unique = b.toolStep(callId) ? `${callId}#${d.seq}` : callId
      const args = m.steps.tool.arguments?.first(r) ?? issuedArgs.get(callId)
      const step = b.addToolCall(parent, unique, name, parseArgs(args), d.start, d.line)
      actsAs(m, step, name)
      // (A numeric string too, as counts are read: `"1"` is a failure, not a success.)
      const rawExit = m.steps.tool.exitCode?.first(r)
      const exitCode = typeof rawExit === 'string' && /^\s*-?\d+\s*$/.test(rawExit) ? Number(rawExit) : num(rawExit)
      const error = m.steps.error?.first(r)
      const isFailed = stepFailed(m, r) || (exitCode !== undefined && exitCode !== 0)
      if (isFailed) failedTools++
      b.resolveTool(step.tool!.callId, {
        status: isFailed ? 'error' : 'ok',
        exitCode: exitCode === undefined ? undefined : Math.trunc(exitCode),
        output: toolOutput(text(m.steps.tool.result?.first(r)), isFailed && failed(error) ? text(error) : undefined),
        endedAt: timeIn(m.steps.endedAt, r, 'steps.endedAt', t),
      })
    }
    if (b.steps.length === 0 && !t.recorded.any) return undefined
    if (rollups.size)
      b.warn(
        `${rollups.size} LLM record(s) repeat the usage of the LLM records under them: counted once, at the inner records`,
      )
    if (mismatched) b.warn(`${mismatched} record(s) whose token counts do not add up to their own total`)
    if (failedCalls) b.warn(`${failedCalls} failed request(s) billed no tokens: not counted as calls`)
    if (failedTools) b.warn(`${failedTools} tool execution(s) ended with an error`)
    if (placeholders) b.warn(`${placeholders} tool call(s) a response issued have no tool record: status unknown`)
    if (costUnknown)
      b.warn(
        `${costUnknown} call(s) with tokens have a recorded cost that is none (steps.costUnknown: the source writes it where it could not price a call): priced from the catalog where it knows the model, else unpriced`,
      )
    if (cacheHits)
      b.warn(
        `${cacheHits} response(s) came from a cache in front of the model (steps.cacheHit): $0, their tokens not counted`,
      )
    if (repeats) b.warn(`${repeats} record(s) logged twice (the same id and content): counted once`)
    if (t.unreadTimes)
      b.warn(
        `${t.unreadTimes.count} time(s) no time aco reads, left out (first: ${t.unreadTimes.first}): ISO-8601, e-mail style dates and Unix epochs in seconds, ms, µs or ns, from 2000 to 2100, are`,
      )
    if (belowCache)
      b.warn(
        `${belowCache} record(s) count fewer input tokens than cache tokens, so their input cannot include the cache as tokens.inputIncludesCache${m.source.steps.tokens?.inputIncludesCache === undefined ? ' (true by default)' : ''} says: read as apart from it there; if the format always counts them apart (Anthropic's usage), set inputIncludesCache: false`,
      )
    const card = b.build({id: key || fileId, sessionId: t.session, title: t.title})
    card.source.mapping = m.source.name
    // (A cache count the log writes, 0 included: a cache not used, a 0.0% hit rate, not "not recorded"; trial 34. Only
    // where a call holds one: a mapped path no record has is no record of the cache, review 34.)
    if (cacheSeen) card.source.recordsCache = true
    // A trace the log names, in a log that names its steps: its parts in other files (a log rotated by day, a copy of
    // it) are joined with it once every file is read, a step met twice counted once, as OpenTelemetry's traces are
    // (trial 34: counted once per file). Steps numbered by their place in a file could not be told apart so.
    if (joinable) card.source.traceId = key
    if (t.recorded.any && (t.recorded.withTokens || t.recorded.withCost)) {
      const recorded: RecordedTotals = {source: `${m.source.name} mapping: recorded totals`}
      const r = t.recorded.tokens
      // (Only the counts the records of totals hold: a path with no value is a total not recorded, never a 0.)
      if (t.recorded.withInput || t.recorded.withOutput)
        recorded.tokens = {
          ...(t.recorded.withInput ? {input: r.input, cacheRead: r.cacheRead, cacheWrite: r.cacheWrite} : {}),
          ...(t.recorded.withOutput ? {output: r.output, reasoning: r.reasoning} : {}),
        }
      if (t.recorded.withCost) recorded.costUsd = t.recorded.costUsd
      card.recorded = recorded
      const c = card.totals.tokens
      if (
        (t.recorded.withInput && c.input + c.cacheRead + c.cacheWrite !== r.input + r.cacheRead + r.cacheWrite) ||
        (t.recorded.withOutput && c.output !== r.output)
      )
        b.warn("the steps' tokens differ from the totals the trace records")
    }
    return card
  }
}

/** The tool calls a response issued, by `steps.toolCalls.path` (a list it selects is its items). */
export function issuedCalls(calls: NonNullable<CompiledMapping['steps']['toolCalls']>, record: unknown): unknown[] {
  return calls.path.all(record).flatMap(v => (Array.isArray(v) ? v : [v]))
}

/** The tool aco knows of each role a mapping's `steps.tool.as` may name (the names the detectors read). */
const KNOWN_AS: Record<ToolRole, string> = {
  shell: 'bash',
  read: 'read_file',
  write: 'write_file',
  edit: 'edit_file',
  patch: 'apply_patch',
  search: 'grep',
  glob: 'glob',
  list: 'list_dir',
}

/** Marks a tool step with the known tool it works as, when the mapping says what its tool does. */
function actsAs(m: CompiledMapping, step: Step, name: string): void {
  const role = m.source.steps.tool?.as?.[name]
  if (role && step.tool) step.tool.as = KNOWN_AS[role]
}

/** What a tool returned; for a failed one, the error first (an empty result says nothing). */
function toolOutput(result: string | undefined, error: string | undefined): string | undefined {
  const parts = [error, result].filter(x => x !== undefined && x !== '' && x !== '{}' && x !== '[]' && x !== 'null')
  return parts.length ? parts.join('\n') : result
}

function parseArgs(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? {}
  const s = v.trimStart()
  if (!s.startsWith('{') && !s.startsWith('[')) return v
  try {
    return JSON.parse(v) as unknown
  } catch {
    return v
  }
}

/** By the order key when every draft has one, else by start time when every draft has one, else file order. */
function sortDrafts(drafts: Draft[]): Draft[] {
  const key = drafts.every(d => d.order !== undefined && d.order !== null)
    ? (d: Draft) => d.order as string | number
    : drafts.every(d => d.start)
      ? (d: Draft) => d.start!
      : undefined
  if (!key) return drafts
  return [...drafts].sort((a, b) => {
    const x = key(a)
    const y = key(b)
    return x < y ? -1 : x > y ? 1 : a.seq - b.seq
  })
}

/** The records of a JSON document: where `records` points (a list is its items), else the items of an array, else the document. */
function documentRecords(m: CompiledMapping, doc: unknown): unknown[] {
  if (m.records) {
    const values = m.records.all(doc)
    if (values.length === 1 && Array.isArray(values[0])) return values[0]
    if (values.length > 0) return values
  }
  return Array.isArray(doc) ? doc : [doc]
}

/** Whether the first records are of the mapped format (every file is, without `detect`). */
function detects(m: CompiledMapping, records: readonly unknown[]): boolean {
  if (!m.detect) return true
  const candidates = records.filter(r => r !== undefined).slice(0, 5)
  if (candidates.length === 0) return false
  return candidates.some(
    r => m.detect!.all.every(c => meets(c, r)) && (m.detect!.any.length === 0 || m.detect!.any.some(c => meets(c, r))),
  )
}

function describe(m: CompiledMapping): string {
  const d = m.source.detect
  if (!d) return `any file (mapping ${m.source.name} has no detect rules)`
  const fmt = (c: {path: string; equals?: unknown; exists?: boolean}): string =>
    c.equals !== undefined ? `${c.path} = ${JSON.stringify(c.equals)}` : c.exists === false ? `no ${c.path}` : c.path
  const parts = [...(d.all ?? []).map(fmt)]
  if (d.any?.length) parts.push(`one of ${d.any.map(fmt).join(' / ')}`)
  return `records with ${parts.join(', ')}`
}

/**
 * The JSONL and JSON-document adapters of a compiled mapping. `onRecord` hears every record read (the check of a
 * mapping looks at which of its paths the sample's records hold).
 */
export function mappingAdapters(
  m: CompiledMapping,
  label?: string,
  onRecord?: (record: unknown) => void,
): [JsonlAdapter, DocumentAdapter] {
  const format: FormatId = m.source.format ?? 'mapping'
  const name = label ?? `${m.source.name} (format mapping)`
  const looksFor = describe(m)
  return [
    {
      kind: 'jsonl',
      format,
      label: name,
      looksFor,
      sniff: records => records.length > 0 && records.every(r => r === undefined || isObject(r)) && detects(m, records),
      open: ctx => new MappingSink(m, ctx, onRecord),
    },
    {
      kind: 'json',
      format,
      label: name,
      looksFor,
      sniff: doc => detects(m, documentRecords(m, doc).slice(0, 5)),
      parse(doc, ctx) {
        const sink = new MappingSink(m, ctx, onRecord)
        documentRecords(m, doc).forEach((record, i) => {
          try {
            sink.push(record)
          } catch (error) {
            if (!(error instanceof RecordError)) throw error
            ctx.skip(undefined, `record ${i}: ${error.message}`)
          }
        })
        return sink.finish()
      },
    },
  ]
}
