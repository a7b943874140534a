/**
 * Spans → TraceCards: one card per trace id. Spans become steps by what they
 * are (semconv.ts) and by their parent/child links:
 * - an LLM span is an LLM step, unless an LLM span sits under it: then it is
 *   a roll-up that repeats their usage (a framework's span around the SDK's
 *   span, both carrying the same tokens) and the inner spans alone count;
 * - wrapper spans (Vercel `ai.generateText`, agents, chains) are never steps;
 *   where they carry usage it is the trace's own record of its totals, and
 *   the card's tokens are checked against it;
 * - tool spans (`execute_tool`, OpenInference TOOL, `ai.toolCall`) are tool
 *   steps with their result, under the LLM step whose response issued the
 *   call (matched by call id, else the latest LLM step before it); a call a
 *   response issued with no tool span is a tool step of unknown status;
 * - an error status is kept: a failed tool is `error`, a failed call says so
 *   in its stop reason;
 * - a span met twice (the same span id) counts once.
 */
import {CardBuilder, tokenSum} from '../../card/build.js'
import {argsHash} from '../../util/hash.js'
import type {RecordedTotals, Step, Tokens, TraceCard} from '../../card/types.js'
import {emptyTokens, addTokens} from '../../card/build.js'
import {RecordError, type AdaptContext} from '../types.js'
import {
  agentNameOf,
  classify,
  issuedCalls,
  modelOf,
  providerOf,
  requestText,
  responseText,
  sessionOf,
  stopReasonOf,
  toolOf,
  usageOf,
  type Dialect,
  type SpanRole,
  type SpanUsage,
} from './semconv.js'
import type {Span} from './spans.js'

interface Node {
  span: Span
  role: SpanRole
  usage?: SpanUsage
  children: Node[]
  parent?: Node
  /** LLM spans at or under this node that count. */
  llmBelow: number
}

function byStart(a: Node, b: Node): number {
  const x = a.span.startMs ?? Number.POSITIVE_INFINITY
  const y = b.span.startMs ?? Number.POSITIVE_INFINITY
  return x - y || a.span.order - b.span.order
}

function promptOf(t: Tokens): number {
  return t.input + t.cacheRead + t.cacheWrite
}

/**
 * A span name that tells only the kind of call or wrapper: `chat`, `chat gpt-4o`, `openai.chat`, `ai.streamText`,
 * `workflow`, LangChain's `ChatOpenAI`. Not one that names something (`invoke_agent Researcher`, `task triage`:
 * review 118).
 */
const GENERIC_NAME =
  /^(?:(?:chat|text_completion|generate_content|completion|embeddings?)(?:\s+\S+)?|invoke_agent|execute_tool|llm|agent|workflow|task|run|[\w-]+\.(?:chat|completions?|responses?|messages?)(?:\.create)?|ai\.(?:generate|stream)(?:Text|Object)(?:\.do(?:Generate|Stream))?)$/i
/** LangChain's chat model classes, as its integrations name their spans (`ChatOpenAI`, `AzureChatOpenAI`, `ChatNVIDIA`). */
const CHAT_CLASS = /^(?:Azure)?Chat[A-Z][A-Za-z0-9]*$/

/** A request as a title: its first line that says something, cut at a word. */
function oneLineTitle(text: string): string | undefined {
  const line = text
    .split('\n')
    .map(l => l.trim())
    .find(l => l && !/^(?:#+|[-*_=]{3,}|```)/.test(l))
  if (!line) return undefined
  return line.length <= 100 ? line : `${line.slice(0, 100).replace(/\s+\S*$/, '')}…`
}

/**
 * A wrapper stating usage with no call under it: it stands for calls no span of the file holds, it is the roll-up of
 * calls the file holds elsewhere, or that cannot be told (a time unknown): then taken for a roll-up, and said.
 */
type Standing = 'alone' | 'roll-up' | 'unsure'

/** The share of a wrapper's stated usage the calls in its time must state for it to be taken for their roll-up. */
const ROLLUP_SHARE = 0.9

/** Builds one card per trace id from the spans of a file. */
export function cardsFromSpans(spans: readonly Span[], ctx: AdaptContext, fallbackId: string): TraceCard[] {
  const byTrace = new Map<string, Span[]>()
  for (const span of spans) {
    const key = span.traceId ?? ''
    const list = byTrace.get(key)
    if (list) list.push(span)
    else byTrace.set(key, [span])
  }
  const cards: TraceCard[] = []
  // The file's call spans no wrapper stating usage holds (by parent links), by when they ran: a wrapper's calls exported
  // under another trace id (openinference's Vercel dumps), or with no parent link, are such calls, and lie in its time.
  // (Each span classified and its usage read once: a chain of parents is walked for every call.)
  const roles = new Map<Span, SpanRole | undefined>()
  const roleOf = (span: Span): SpanRole | undefined => {
    if (roles.has(span)) return roles.get(span)
    let role: SpanRole | undefined
    try {
      role = classify(span)
    } catch {
      role = undefined // (Read again, and skipped with its line, where its trace is built.)
    }
    roles.set(span, role)
    return role
  }
  /** The tokens a span states, where it is a call or a wrapper stating usage. */
  const stated = new Map<Span, number | undefined>()
  const usageTokens = (span: Span): number | undefined => {
    if (stated.has(span)) return stated.get(span)
    const role = roleOf(span)
    let tokens: number | undefined
    if (role !== undefined && role.kind !== 'other' && role.kind !== 'tool')
      try {
        const usage = usageOf(span, role.dialect)
        tokens = usage ? tokenSum(usage.tokens) : undefined
      } catch {
        tokens = undefined
      }
    stated.set(span, tokens)
    return tokens
  }
  const spanById = new Map<string, Span>()
  for (const span of spans) if (span.spanId) spanById.set(span.spanId, span)
  /** Wrappers stating usage that hold a call of the file by parent links, in whatever trace the call was exported. */
  const holders = new Set<Span>()
  const heldBy = (span: Span): Span | undefined => {
    const seen = new Set<Span>()
    for (let p = span.parentId ? spanById.get(span.parentId) : undefined; p && !seen.has(p); ) {
      seen.add(p)
      if (roleOf(p)?.kind === 'wrapper' && usageTokens(p) !== undefined) return p
      p = p.parentId ? spanById.get(p.parentId) : undefined
    }
    return undefined
  }
  const loose: Array<{start: number; end: number; tokens: number}> = []
  let untimed = false
  for (const span of spans) {
    if (roleOf(span)?.kind !== 'llm') continue
    const holder = heldBy(span)
    if (holder) {
      holders.add(holder)
      continue
    }
    const end = span.end ? Date.parse(span.end) : Number.NaN
    if (span.startMs === undefined || Number.isNaN(end)) untimed = true
    else loose.push({start: span.startMs, end, tokens: usageTokens(span) ?? 0})
  }
  /**
   * Whether a wrapper stating usage, with no call span under it, stands for calls no span of the file holds (a trace of
   * one wrapper beside traces of wrappers with their calls: trial 116 had lost 98% of a file's spend). Not where a call
   * of the file names it as a parent (exported under another trace id), nor where the calls no wrapper holds that start
   * in its time state at least nine tenths of its usage: those are its calls, exported under another trace id or with
   * no parent link (openinference's Vercel dumps). Where its time or such a call's is unknown, it cannot be told
   * (`unsure`: taken for a roll-up, and said), unless there is no such call at all.
   */
  const standsAlone = (span: Span): Standing => {
    if (holders.has(span)) return 'roll-up'
    if (!untimed && loose.length === 0) return 'alone'
    const end = span.end ? Date.parse(span.end) : Number.NaN
    if (untimed || span.startMs === undefined || Number.isNaN(end)) return 'unsure'
    const within = loose.filter(c => c.start >= span.startMs! && c.start <= end)
    const own = usageTokens(span) ?? 0
    return within.reduce((sum, c) => sum + c.tokens, 0) < ROLLUP_SHARE * own ? 'alone' : 'roll-up'
  }
  for (const [traceId, list] of byTrace) {
    const card = buildTrace(list, ctx, traceId || undefined, traceId || fallbackId, standsAlone)
    if (card) cards.push(card)
  }
  return cards
}

function buildTrace(
  spans: Span[],
  ctx: AdaptContext,
  traceId: string | undefined,
  id: string,
  standsAlone: (span: Span) => Standing,
): TraceCard | undefined {
  const b = new CardBuilder('otel', ctx.path, ctx.redact)
  // The same span met twice (an exporter retry, a copy): the last version stands, counted once.
  const bySpanId = new Map<string, Span>()
  const anonymous: Span[] = []
  let repeated = 0
  /** Copies of a span whose usage differs from the copy before (trial 100: 1,000 and 5,000 input tokens). */
  let disagree = 0
  for (const s of spans) {
    if (!s.spanId) anonymous.push(s)
    else {
      const known = bySpanId.get(s.spanId)
      if (known) {
        repeated++
        if (usageText(known) !== usageText(s)) disagree++
      }
      bySpanId.set(s.spanId, s)
    }
  }
  const nodes: Node[] = []
  for (const span of [...bySpanId.values(), ...anonymous]) {
    let role: SpanRole
    let usage: SpanUsage | undefined
    try {
      role = classify(span)
      usage = role.kind === 'other' ? undefined : usageOf(span, role.dialect)
    } catch (error) {
      if (!(error instanceof RecordError)) throw error
      ctx.skip(span.line, `span ${span.spanId ?? span.name}: ${error.message}`)
      continue
    }
    nodes.push({span, role, usage, children: [], llmBelow: 0})
  }
  const nodeById = new Map<string, Node>()
  for (const n of nodes) if (n.span.spanId) nodeById.set(n.span.spanId, n)
  const roots: Node[] = []
  let dangling = 0
  for (const n of nodes) {
    const parent = n.span.parentId ? nodeById.get(n.span.parentId) : undefined
    if (parent && parent !== n) {
      n.parent = parent
      parent.children.push(n)
    } else {
      if (n.span.parentId) dangling++
      roots.push(n)
    }
  }

  // A wrapper stating usage in a file with no call span (an exporter that keeps the outer spans alone, an agent's span
  // alone: trial 100 read "no LLM call" of files stating 146 tokens) stands for the calls it made: one call with that
  // usage. The innermost such wrapper counts; one around it is a roll-up of it. Where another file of the trace holds
  // the calls under it, the join drops it as a roll-up of them, as it drops any call with calls under it.
  const standIns: Node[] = []
  /** Wrappers taken for a roll-up of calls elsewhere where a time unknown left it open (said: review 118). */
  const unsure: Node[] = []
  const holdsUsage = (n: Node, seen: Set<Node>): boolean => {
    if (seen.has(n)) return false
    seen.add(n)
    let below = false
    for (const c of n.children) if (holdsUsage(c, seen)) below = true
    if (!below && n.role.kind === 'wrapper' && n.usage) {
      const standing = standsAlone(n.span)
      if (standing === 'alone') {
        standIns.push(n)
        n.role = {kind: 'llm', dialect: n.role.dialect}
        return true
      }
      if (standing === 'unsure') unsure.push(n)
    }
    return below || n.role.kind === 'llm' || (n.role.kind === 'wrapper' && n.usage !== undefined)
  }
  // (Not where a call span of the file ran within its time: exporters that leave out the parent links, or put a wrapper
  // and its calls under two trace ids, as openinference's Vercel dumps do, leave no other way to tell a wrapper's calls.)
  const visited = new Set<Node>()
  for (const r of roots) holdsUsage(r, visited)

  // Post-order: an LLM span with LLM spans under it repeats their usage.
  const rollups: Node[] = []
  const countBelow = (n: Node, seen: Set<Node>): number => {
    if (seen.has(n)) return 0
    seen.add(n)
    let below = 0
    for (const c of n.children) below += countBelow(c, seen)
    if (n.role.kind === 'llm' && below > 0) {
      rollups.push(n)
      n.role = {kind: 'wrapper', dialect: n.role.dialect}
    }
    n.llmBelow = below + (n.role.kind === 'llm' ? 1 : 0)
    return n.llmBelow
  }
  const seen = new Set<Node>()
  for (const r of roots) countBelow(r, seen)

  const llmNodes = nodes.filter(n => n.role.kind === 'llm').sort(byStart)
  const toolNodes = nodes.filter(n => n.role.kind === 'tool')
  const toolByCallId = new Map<string, Node>()
  const toolInfo = new Map<Node, ReturnType<typeof toolOf>>()
  /** Tool spans that name no call id, by tool name, in start order: matched to the calls that issued them. */
  const unnamedByName = new Map<string, Node[]>()
  for (const t of [...toolNodes].sort(byStart)) {
    const info = toolOf(t.span, (t.role as {dialect: Dialect}).dialect)
    toolInfo.set(t, info)
    if (info.callId) toolByCallId.set(info.callId, t)
    else {
      const list = unnamedByName.get(info.name)
      if (list) list.push(t)
      else unnamedByName.set(info.name, [t])
    }
  }

  // Steps in start order; a tool span's parent is the call that issued it.
  const ordered = [...llmNodes, ...toolNodes].sort(byStart)
  const stepOf = new Map<Node, Step>()
  const parentOfTool = new Map<Node, Step>()
  const issuedIdOf = new Map<Node, string>()
  let lastLlm: Step | undefined
  let failedCalls = 0
  let failedTools = 0
  let issuedWithoutSpan = 0
  /** Tool steps whose span named no call id and which no call here issued (see `source.unissuedTools`). */
  const unissued: string[] = []
  for (const n of ordered) {
    const span = n.span
    if (n.role.kind === 'llm') {
      const step = b.addLlm({
        id: span.spanId,
        model: modelOf(span),
        provider: providerOf(span),
        tokens: n.usage?.tokens,
        startedAt: span.start,
        endedAt: span.end,
        text: responseText(span),
        stopReason: span.error ? `error${span.error === true ? '' : `: ${span.error}`}` : stopReasonOf(span),
        line: span.line,
      })
      if (span.error) failedCalls++
      if (n.usage?.total !== undefined && tokenSum(n.usage.tokens) !== n.usage.total)
        b.warn(
          `span ${span.spanId ?? span.name}: its token counts do not add up to its stated total ${n.usage.total}`,
          span.line,
        )
      stepOf.set(n, step)
      lastLlm = step
      issuedCalls(span, n.role.dialect).forEach((call, i) => {
        // The tool span of this call: by call id, else (spans that name no call id) the next unclaimed one of that name.
        let toolNode = call.id ? toolByCallId.get(call.id) : undefined
        if (!toolNode) {
          const queue = unnamedByName.get(call.name)
          // Spans are in start order: one that started before this call can answer no later call either.
          while (queue?.length && (queue[0]!.span.startMs ?? 0) < (span.startMs ?? 0)) queue.shift()
          // Calls of one tool issued together: the span that ran these arguments, where one did (trial 100: two
          // get_weather calls paired crosswise by file order, Paris's error pinned on London), else the next one.
          const k = queue ? queue.findIndex(t => sameArguments(toolInfo.get(t)!.arguments, call.arguments)) : -1
          toolNode = k > 0 ? queue!.splice(k, 1)[0] : queue?.shift()
        }
        if (toolNode) {
          parentOfTool.set(toolNode, step)
          if (call.id) issuedIdOf.set(toolNode, call.id)
          return
        }
        issuedWithoutSpan++
        b.addToolCall(step, call.id ?? `${step.id}-call${i + 1}`, call.name, call.arguments, span.end, span.line)
      })
      continue
    }
    const info = toolInfo.get(n)!
    const parent = parentOfTool.get(n) ?? lastLlm
    const callId = info.callId ?? issuedIdOf.get(n) ?? span.spanId ?? `tool-${span.order}`
    const step = b.addToolCall(
      parent,
      b.toolStep(callId) ? `${callId}@${span.spanId ?? span.order}` : callId,
      info.name,
      info.arguments,
      span.start,
      span.line,
    )
    if (span.error) failedTools++
    b.resolveTool(step.tool!.callId, {
      status: span.error ? 'error' : 'ok',
      output: info.result ?? (typeof span.error === 'string' ? span.error : undefined),
      endedAt: span.end,
    })
    stepOf.set(n, step)
    if (!info.callId && !parentOfTool.has(n)) unissued.push(step.id)
  }
  for (const n of nodes) {
    b.seen(n.span.start)
    b.seen(n.span.end)
  }

  const differing: NonNullable<TraceCard['source']['rollupUsage']> = {}
  const recorded = checkRollups(nodes, b, differing)
  if (rollups.length)
    b.warn(
      `${rollups.length} LLM span(s) repeat the usage of the LLM spans under them: counted once, at the inner spans`,
    )
  if (repeated)
    b.warn(
      `${repeated} span(s) appear more than once (same span id): counted once${disagree ? `; ${disagree} of them with other token counts than the copy before (the last copy counted)` : ''}`,
    )
  if (dangling && traceId)
    b.warn(
      `${dangling} span(s) name a parent that is not in this file (a trace split over files is joined by trace id)`,
    )
  if (failedCalls) b.warn(`${failedCalls} LLM span(s) ended with an error status`)
  if (failedTools) b.warn(`${failedTools} tool span(s) ended with an error status`)
  if (issuedWithoutSpan) b.warn(`${issuedWithoutSpan} tool call(s) a response issued have no tool span: status unknown`)
  // Wrappers stating usage with no call under them here, taken for the roll-up of calls the file holds elsewhere where a
  // time unknown left it open: said, and where the trace has nothing else to count, said as input not counted (review
  // 118: it had gone unsaid). Those whose calls name them as parent, or state their usage in their time, are roll-ups.
  const loneText = (n: number, name: string): string =>
    `${n} ${name} span(s) state usage with no call span under them in this trace, and calls the file holds under another trace id or with no parent link may be theirs (a time unknown): taken for their roll-up, not counted`
  if (unsure.length && b.steps.length) b.warn(loneText(unsure.length, unsure[0]!.span.name || 'wrapper'))
  if (standIns.length)
    b.warn(
      `${standIns.length} ${standIns[0]!.span.name || 'wrapper'} span(s) state usage with no call span under them, nor calls in the file that account for it: each counted as one call with that usage (the calls it made, joined by trace id where another file holds them)`,
    )

  // A trace with no call to count (only wrappers whose calls are elsewhere) leaves nothing to list.
  if (b.steps.length === 0) {
    for (const n of unsure)
      ctx.skip(n.span.line, `span ${n.span.spanId ?? n.span.name}: ${loneText(1, n.span.name || 'wrapper')}`)
    return undefined
  }
  const root = roots.filter(r => r.span.spanId).sort(byStart)[0] ?? roots[0]
  const session = nodes.map(n => sessionOf(n.span)).find(Boolean)
  // A root named for what it is (`chat`, `openai.chat`, `ai.generateText`) says nothing of the trace: the first request
  // of its first call does, as a session's first prompt titles it (trial 116: four traces titled "chat" in aco review).
  const named = root ? (agentNameOf(root.span) ?? (root.span.name || undefined)) : undefined
  const first = llmNodes[0]
  const asked =
    first && (!named || GENERIC_NAME.test(named) || CHAT_CLASS.test(named)) ? requestText(first.span) : undefined
  const title = asked ? oneLineTitle(asked) : named
  const card = b.build({id, sessionId: session, title})
  // (A call's span with an attribute for the prompt cache, 0 included: its hit rate is recorded.)
  if (nodes.some(n => n.usage?.cacheRecorded && n.role.kind !== 'wrapper')) card.source.recordsCache = true
  if (traceId) {
    card.source.traceId = traceId
    // The span tree, for the join of a trace split over files: a call here may sit under a call in another file.
    const parents: Record<string, string> = {}
    for (const n of nodes) if (n.span.spanId && n.span.parentId) parents[n.span.spanId] = n.span.parentId
    card.source.parentSpans = parents
    if (Object.keys(differing).length) card.source.rollupUsage = differing
    if (unissued.length) card.source.unissuedTools = unissued
  }
  const service = nodes.find(n => n.span.service)?.span.service
  if (service) card.source.originator = service
  if (recorded) card.recorded = recorded
  return card
}

/** The warning of a span that wraps calls and states other totals than theirs (the join of parts says it again). */
export function rollupDiffers(
  span: string,
  input: number,
  output: number,
  sumInput: number,
  sumOutput: number,
): string {
  return `span ${span}: states ${input} input and ${output} output tokens, its calls add up to ${sumInput} and ${sumOutput}`
}

/** A warning `rollupDiffers` wrote. */
export const ROLLUP_DIFFERS = /^span .+: states \d+ input and \d+ output tokens, its calls add up to \d+ and \d+$/

/**
 * Wrappers that carry usage (Vercel `ai.generateText`, agent spans) state the
 * totals of the calls under them: each is compared with the calls it covers,
 * and where such wrappers cover every call, their sum is the card's recorded totals.
 */
function checkRollups(
  nodes: Node[],
  b: CardBuilder,
  /** The wrappers whose stated usage differs from their calls here, by span id (the join compares them again). */
  differing: NonNullable<TraceCard['source']['rollupUsage']>,
): RecordedTotals | undefined {
  const tops = nodes.filter(n => n.role.kind === 'wrapper' && n.usage && n.llmBelow > 0 && !hasUsageAncestor(n))
  if (tops.length === 0) return undefined
  const recorded = emptyTokens()
  let covered = 0
  for (const w of tops) {
    const sum = emptyTokens()
    collectLlm(w, sum)
    const stated = w.usage!.tokens
    if (promptOf(sum) !== promptOf(stated) || sum.output !== stated.output) {
      if (w.span.spanId)
        differing[w.span.spanId] = {name: w.span.name || w.span.spanId, input: promptOf(stated), output: stated.output}
      b.warn(
        rollupDiffers(w.span.name || w.span.spanId || '?', promptOf(stated), stated.output, promptOf(sum), sum.output),
        w.span.line,
      )
    }
    addTokens(recorded, stated)
    covered += w.llmBelow
  }
  const calls = nodes.filter(n => n.role.kind === 'llm').length
  if (covered !== calls) return undefined
  return {
    source: `span roll-up (${[...new Set(tops.map(t => t.span.name.split(' ')[0] || t.role.kind))].join(', ')})`,
    tokens: recorded,
  }
}

function hasUsageAncestor(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.role.kind === 'wrapper' && p.usage && p.llmBelow > 0) return true
  return false
}

function collectLlm(n: Node, into: Tokens): void {
  if (n.role.kind === 'llm' && n.usage) addTokens(into, n.usage.tokens)
  for (const c of n.children) collectLlm(c, into)
}

/**
 * Whether two tool calls' arguments are the same, as a call's `argsHash` compares them (a JSON text and the value it
 * holds alike, keys in any order).
 */
function sameArguments(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && argsHash('', a) === argsHash('', b)
}

/** A span's token counts as text (every attribute naming usage or a token count), to tell copies apart. */
function usageText(span: Span): string {
  const parts: string[] = []
  for (const key in span.attrs)
    if (key.includes('usage') || key.includes('token_count')) parts.push(`${key}=${String(span.attrs[key])}`)
  return parts.sort().join('\n')
}
