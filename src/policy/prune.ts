/**
 * Prune rules: from the prune suggestions a person accepted (a decisions
 * file, or every flag at least so confident) to the change that prevents
 * that waste, with the dollars it is expected to save over the analysed
 * traces and its evidence. Pure: the traces and decisions come in as data.
 *
 * Each accepted flag goes to exactly one prevention, so no dollar is counted
 * twice:
 * - the same call repeated (`duplicate-call`, `reread-unchanged`,
 *   `failed-repeat`, `loop`) → a duplicate-call guard;
 * - a run of calls that bought nothing (`context-growth`) → a call and cost
 *   limit per task, set above what every analysed run needed;
 * - a large result nothing used (`unused-output`) → a cap on that tool's
 *   output, set above every result that was used;
 * - anything else, or a guard that would not have cut the waste in the
 *   analysed traces → advice, with its evidence.
 */
import type {Decision} from '../review/decisions.js'
import type {FlagRef, TraceSummary} from './traces.js'
import type {CallLimit, DuplicateCallGuard, GuardScope, Guards, OutputCap} from './types.js'

type Prevention = 'duplicate-guard' | 'call-limit' | 'output-cap' | 'advice'

/** A flag a person accepted (or `--accept-above` accepted), with what is known of it. */
export interface AcceptedFlag {
  traceId: string
  rootTraceId: string
  stepId: string
  stepIndex: number
  kind: string
  wastedUsd: number
  format?: string
  agent?: string
  tool?: string
  /** Whether the duplicate-call guard can refuse the call (see guard-calls.ts); undefined: not known (a stale step). */
  refusable?: boolean
  reason?: string
  confidence?: number
  outputChars?: number
  llmStepId?: string
  by: 'decision' | 'accept-above'
  /** The step is not in the cards (they were analysed again since the decision). */
  stale?: boolean
}

export interface PruneSuggestion {
  id: string
  prevention: Prevention
  scope: GuardScope
  /** One line: what changes. */
  title: string
  flags: AcceptedFlag[]
  /** The flags' dollars at stake. */
  wastedUsd: number
  /** What the change is expected to save over the analysed traces (0 for advice). */
  expectedSavingUsd: number
  /** How the saving was estimated, or why the waste stays advice. */
  basis: string
  callLimit?: {maxLlmCalls: number; maxCostUsd?: number}
  /**
   * `above`: each accepted unused result larger than the cap, its size and its dollars, so that a target whose file
   * already cuts output at a looser size credits only what lies between the two (see capSaving).
   */
  outputCap?: {tool: string; maxChars: number; above?: Array<{chars: number; wastedUsd: number}>}
  tools?: string[]
}

/**
 * The cut an agent makes of a tool's output when its config sets none: Claude Code's Bash output
 * (`BASH_MAX_OUTPUT_LENGTH`, 30,000 characters) and SWE-agent's observations (`max_observation_length`, 100,000). A
 * cap at or above it changes nothing where the config sets none.
 */
export function defaultOutputCut(format: string, tool: string): number | undefined {
  if (format === 'claude-code' && tool === 'Bash') return 30_000
  if (format === 'swe-agent' && tool === '*') return 100_000
  return undefined
}

const DUPLICATE_KINDS = new Set(['duplicate-call', 'reread-unchanged', 'failed-repeat', 'loop'])

/** Formats whose agents cap every observation at once (one setting), not one tool's. */
const GLOBAL_OBSERVATION_CAP = new Set(['swe-agent', 'mini-swe-agent', 'openhands'])

function preventionOf(kind: string): Prevention {
  if (DUPLICATE_KINDS.has(kind)) return 'duplicate-guard'
  if (kind === 'context-growth') return 'call-limit'
  if (kind === 'unused-output') return 'output-cap'
  return 'advice'
}

/**
 * The accepted flags: decisions with `prune: accept` (matched to the cards'
 * flags where the cards have the step), plus, with `acceptAbove`, every flag
 * of the cards at least that confident that no decision rejected.
 */
export function acceptedFlags(
  decisions: readonly Decision[],
  traces: readonly TraceSummary[] | undefined,
  acceptAbove?: number,
): AcceptedFlag[] {
  const flags = new Map<string, {flag: FlagRef; trace: TraceSummary}>()
  for (const trace of traces ?? [])
    for (const flag of trace.flags) flags.set(key(flag.traceId, flag.stepId), {flag, trace})
  const out = new Map<string, AcceptedFlag>()
  const rejected = new Set<string>()
  for (const d of decisions) {
    const k = key(d.traceId, d.stepId)
    if (d.prune === 'reject') rejected.add(k)
    if (d.prune !== 'accept') continue
    const found = flags.get(k)
    if (found) out.set(k, fromFlag(found.flag, found.trace, 'decision'))
    else if (d.flagKind) {
      const a: AcceptedFlag = {
        traceId: d.traceId,
        rootTraceId: d.rootTraceId,
        stepId: d.stepId,
        stepIndex: d.stepIndex,
        kind: d.flagKind,
        wastedUsd: d.wastedUsd ?? 0,
        by: 'decision',
      }
      if (d.tool) a.tool = d.tool
      if (traces) a.stale = true
      out.set(k, a)
    }
  }
  if (acceptAbove !== undefined) {
    for (const [k, {flag, trace}] of flags) {
      if (out.has(k) || rejected.has(k) || flag.confidence < acceptAbove) continue
      out.set(k, fromFlag(flag, trace, 'accept-above'))
    }
  }
  return [...out.values()].sort(
    (a, b) => cmp(a.rootTraceId, b.rootTraceId) || cmp(a.traceId, b.traceId) || a.stepIndex - b.stepIndex,
  )
}

function fromFlag(flag: FlagRef, trace: TraceSummary, by: AcceptedFlag['by']): AcceptedFlag {
  const a: AcceptedFlag = {
    traceId: flag.traceId,
    rootTraceId: flag.rootTraceId,
    stepId: flag.stepId,
    stepIndex: flag.stepIndex,
    kind: flag.kind,
    wastedUsd: flag.wastedUsd,
    format: trace.format,
    reason: flag.reason,
    confidence: flag.confidence,
    by,
  }
  if (trace.agent) a.agent = trace.agent
  if (flag.tool) a.tool = flag.tool
  if (flag.refusable !== undefined) a.refusable = flag.refusable
  if (flag.outputChars !== undefined) a.outputChars = flag.outputChars
  if (flag.llmStepId) a.llmStepId = flag.llmStepId
  return a
}

/** Builds the prune suggestions for the accepted flags, over the analysed traces (when there are cards). */
export function pruneSuggestions(
  accepted: readonly AcceptedFlag[],
  traces: readonly TraceSummary[] | undefined,
): PruneSuggestion[] {
  const groups = new Map<string, {prevention: Prevention; scope: GuardScope; tool?: string; flags: AcceptedFlag[]}>()
  for (const flag of accepted) {
    let prevention = preventionOf(flag.kind)
    const scope: GuardScope = {}
    if (flag.format) scope.format = flag.format
    let tool: string | undefined
    if (prevention === 'call-limit' && flag.agent) scope.agent = flag.agent
    if (prevention === 'output-cap') tool = flag.format && GLOBAL_OBSERVATION_CAP.has(flag.format) ? '*' : flag.tool
    // Limits and caps are computed from the traces; without them (or without the step) the waste stays advice.
    if ((prevention === 'call-limit' || prevention === 'output-cap') && (!traces || flag.stale || !flag.format))
      prevention = 'advice'
    if (prevention === 'output-cap' && (!tool || flag.outputChars === undefined)) prevention = 'advice'
    const id =
      prevention === 'advice'
        ? `advice:${adviceKey(flag)}`
        : `${prevention}:${scope.format ?? 'any'}${scope.agent ? `:${scope.agent}` : ''}${tool ? `:${tool}` : ''}`
    let group = groups.get(id)
    if (!group) {
      group = {prevention, scope, flags: []}
      if (tool) group.tool = tool
      groups.set(id, group)
    }
    group.flags.push(flag)
  }
  const out: PruneSuggestion[] = []
  for (const [id, group] of groups) {
    const wastedUsd = sum(group.flags.map(f => f.wastedUsd))
    const base = {id, scope: group.scope, flags: group.flags, wastedUsd}
    switch (group.prevention) {
      case 'duplicate-guard':
        out.push(...duplicateGuard(base))
        break
      case 'call-limit':
        out.push(callLimit(base, traces!, accepted))
        break
      case 'output-cap':
        out.push(outputCap(base, group.tool!, traces!, accepted))
        break
      case 'advice':
        out.push(advice(base, adviceKey(group.flags[0]!), traces === undefined))
        break
      default:
        group.prevention satisfies never
    }
  }
  return out.sort((a, b) => b.expectedSavingUsd - a.expectedSavingUsd || b.wastedUsd - a.wastedUsd || cmp(a.id, b.id))
}

type Base = Pick<PruneSuggestion, 'id' | 'scope' | 'flags' | 'wastedUsd'>

function scopeText(scope: GuardScope): string {
  if (scope.agent) return `${scope.format ?? ''} subagent ${scope.agent}`.trim()
  return scope.format ? `${scope.format} runs` : 'every run'
}

/**
 * The duplicate-call guard for a group's flags, and the advice for those of them on calls it lets run. The guard
 * refuses only the same look again with nothing changed since; a build, a script, an edit or a poll repeated runs all
 * the same, and so does a look of another range or after a change: their dollars are no saving of the guard's (the
 * new user's trial 40: a re-read of lines 150-360 after 1-260 counted as the guard's saving), nor its evidence (the
 * night trial: a PR's evidence for the guard listed shell retries it runs, "34 flags, $1.18 at stake" for a guard of
 * $0.58), so they are advice of their own.
 */
function duplicateGuard(base: Base): PruneSuggestion[] {
  const runs = base.flags.filter(f => f.refusable === false)
  const refused = base.flags.filter(f => f.refusable !== false)
  const out: PruneSuggestion[] = []
  if (refused.length) {
    const wastedUsd = sum(refused.map(f => f.wastedUsd))
    out.push({
      ...base,
      flags: refused,
      wastedUsd,
      prevention: 'duplicate-guard',
      title: `a duplicate-call guard in ${scopeText(base.scope)}: a call to ${toolsOf(refused).join(', ')} identical to an earlier one, with nothing changed since, is answered with the earlier result instead of run again`,
      expectedSavingUsd: wastedUsd,
      basis: `at most the flags' dollars: each repeated call's share of the LLM call that issued it, plus carrying its result in every later call; the guard removes the repeat and its result${runs.length ? ` (${runs.length} more flag${runs.length === 1 ? '' : 's'}, on calls it lets run, ${runs.length === 1 ? 'is' : 'are'} advice below)` : ''}`,
      tools: toolsOf(refused),
    })
  }
  // Every flag on a call the guard lets run, as advice: a guard would save nothing on them (trial 33: a guard shipped
  // as a change, "prune $0.0000 of accepted waste").
  if (runs.length)
    out.push({
      ...base,
      // (An advice id, as every other advice's: `advice:` and what it is about, here per format as the guard was.)
      id: `advice:repeated-runs:${base.scope.format ?? 'any'}`,
      flags: runs,
      wastedUsd: sum(runs.map(f => f.wastedUsd)),
      prevention: 'advice',
      title: `calls to ${toolsOf(runs).join(', ')} that repeat earlier work in a way a duplicate-call guard lets run (a build, a script, an edit, a poll, or a look that is not the same call again: another range of a file, a look after a change): ask the agent (its system prompt or instructions file) not to repeat them`,
      expectedSavingUsd: 0,
      basis:
        'a duplicate-call guard answers only the same look (a read, a search, a listing, with the same arguments) with its earlier result, when nothing may have changed since; it runs these, so it would save nothing',
    })
  return out
}

/** The tools of a guard's flags, sorted (`*` alone where a flag names none). */
function toolsOf(flags: readonly AcceptedFlag[]): string[] {
  const tools = [...new Set(flags.map(f => f.tool ?? '*'))].sort()
  return tools.includes('*') ? ['*'] : tools
}

function callLimit(base: Base, traces: readonly TraceSummary[], accepted: readonly AcceptedFlag[]): PruneSuggestion {
  const inScope = traces.filter(
    t => t.format === base.scope.format && (base.scope.agent ? t.agent === base.scope.agent : t.agent === undefined),
  )
  const flaggedCalls = new Map<string, Set<string>>()
  for (const f of accepted) {
    if (!f.llmStepId) continue
    const set = flaggedCalls.get(f.traceId) ?? new Set<string>()
    set.add(f.llmStepId)
    flaggedCalls.set(f.traceId, set)
  }
  let maxCalls = 0
  let maxCost = 0
  for (const t of inScope) {
    const flagged = flaggedCalls.get(t.id) ?? new Set<string>()
    const needed = t.llmCalls.filter(c => !flagged.has(c.id))
    maxCalls = Math.max(maxCalls, needed.length)
    maxCost = Math.max(maxCost, sum(needed.map(c => c.costUsd)))
  }
  const maxLlmCalls = Math.max(maxCalls + 2, Math.ceil(maxCalls * 1.2))
  const maxCostUsd = maxCost > 0 ? Math.max(0.01, Math.ceil(maxCost * 1.2 * 100) / 100) : undefined
  // What the limit would have cut in each trace with accepted waste: the calls past the limit, at most the waste.
  const byTrace = new Map<string, number>()
  for (const f of base.flags) byTrace.set(f.traceId, (byTrace.get(f.traceId) ?? 0) + f.wastedUsd)
  let saving = 0
  for (const [traceId, wasted] of byTrace) {
    const t = inScope.find(x => x.id === traceId)
    if (!t) continue
    let cut = sum(t.llmCalls.slice(maxLlmCalls).map(c => c.costUsd))
    if (maxCostUsd !== undefined) {
      let spent = 0
      let past = 0
      for (const c of t.llmCalls) {
        if (spent >= maxCostUsd) past += c.costUsd
        spent += c.costUsd
      }
      cut = Math.max(cut, past)
    }
    saving += Math.min(wasted, cut)
  }
  const limits = `${maxLlmCalls} LLM calls${maxCostUsd !== undefined ? ` and $${maxCostUsd.toFixed(2)}` : ''} per task`
  const derivation = `the most any of the ${inScope.length} analysed ${scopeText(base.scope)} needed once the accepted waste is taken out (${maxCalls} calls, $${maxCost.toFixed(4)}), plus 20% (calls: at least 2 more, rounded up; cost: to the cent above)`
  if (saving <= 0) {
    return {
      ...base,
      prevention: 'advice',
      title: `runs of calls that bought nothing in ${scopeText(base.scope)}: no limit can stop them without cutting normal runs`,
      expectedSavingUsd: 0,
      basis: `a limit of ${limits} (${derivation}) would not have cut this waste: it sat inside runs of normal length. Stop it at its cause (the repeated or failing tool calls the flags name).`,
    }
  }
  const limit: NonNullable<PruneSuggestion['callLimit']> = {maxLlmCalls}
  if (maxCostUsd !== undefined) limit.maxCostUsd = maxCostUsd
  return {
    ...base,
    prevention: 'call-limit',
    title: `a limit of ${limits} in ${scopeText(base.scope)}`,
    expectedSavingUsd: saving,
    basis: `the calls past the limit in the traces with accepted waste, at most that waste; the limit is ${derivation}`,
    callLimit: limit,
  }
}

function outputCap(
  base: Base,
  tool: string,
  traces: readonly TraceSummary[],
  accepted: readonly AcceptedFlag[],
): PruneSuggestion {
  const unused = new Set(accepted.filter(f => f.kind === 'unused-output').map(f => key(f.traceId, f.stepId)))
  let usedMax = 0
  let results = 0
  for (const t of traces) {
    if (t.format !== base.scope.format) continue
    for (const o of t.toolOutputs) {
      if (tool !== '*' && o.tool !== tool) continue
      results++
      if (!unused.has(key(t.id, o.stepId))) usedMax = Math.max(usedMax, o.chars)
    }
  }
  const maxChars = Math.max(4000, Math.ceil((usedMax * 1.2) / 1000) * 1000)
  const above = base.flags
    .filter(f => (f.outputChars ?? 0) > maxChars)
    .map(f => ({chars: f.outputChars!, wastedUsd: f.wastedUsd}))
  // (The results as the traces carried them: whatever cut was in force when they ran, none is larger.)
  const saving = capSaving({maxChars, above})
  const what = tool === '*' ? 'every tool result' : `${tool} results`
  const derivation = `the largest of the ${results} results in the analysed ${scopeText(base.scope)} that a later step used is ${usedMax.toLocaleString('en-US')} characters; the cap is that plus 20% (at least 4,000)`
  if (saving <= 0) {
    return {
      ...base,
      prevention: 'advice',
      title: `${what} nothing used in ${scopeText(base.scope)}: too small for a cap that keeps the results that were used`,
      expectedSavingUsd: 0,
      basis: `${derivation}, and no unused result was larger, so a cap would have cut nothing.`,
    }
  }
  return {
    ...base,
    prevention: 'output-cap',
    title: `a cap of ${maxChars.toLocaleString('en-US')} characters on ${what} in ${scopeText(base.scope)}`,
    expectedSavingUsd: saving,
    basis: `each unused result's dollars (carrying it in later calls) times the share of it above the cap; ${derivation}`,
    outputCap: {tool, maxChars, above},
  }
}

/**
 * What a cap of `maxChars` saves on the unused results above it: each one's dollars times the share of it the cap cuts.
 * With a looser cap already in force (`inForce`), a result was carried only up to that size, so only the part between
 * the two is saved.
 */
export function capSaving(
  cap: {maxChars: number; above?: ReadonlyArray<{chars: number; wastedUsd: number}>},
  inForce = Number.POSITIVE_INFINITY,
): number {
  let saving = 0
  for (const r of cap.above ?? []) {
    const carried = Math.min(r.chars, inForce)
    if (carried > cap.maxChars) saving += r.wastedUsd * ((carried - cap.maxChars) / r.chars)
  }
  return saving
}

/**
 * What an advice is about: the flag's detector, and for near-duplicates the shape of the repeat (a partial re-read, a
 * narrower search, tests run again, a git question answered), read from the opening words of the flag's own reason,
 * so that each group's advice fits its calls (the new user's trial 40: `go test` re-runs advised to read fewer lines).
 */
function adviceKey(flag: AcceptedFlag): string {
  if (flag.kind !== 'near-duplicate') return flag.kind
  const r = flag.reason ?? ''
  if (/^runs tests /.test(r)) return 'near-duplicate:tests'
  if (/^(?:searches again within|looks for |lists only )/.test(r)) return 'near-duplicate:searches'
  if (/^(?:asks git |shows a part of the diff |diffs files )/.test(r)) return 'near-duplicate:git'
  if (/^reads /.test(r)) return 'near-duplicate'
  return 'near-duplicate:other'
}

function advice(base: Base, kind: string, noCards: boolean): PruneSuggestion {
  const known: Record<string, string> = {
    'near-duplicate':
      'reads that mostly overlap an earlier one: no config setting tells them apart from useful reads; ask the agent (its system prompt or instructions file: CLAUDE.md, AGENTS.md) to read only the lines it lacks',
    'near-duplicate:tests':
      'tests run again (fewer of them, or another filter of their output) after a run of them passed, nothing they run changed since: ask the agent (its system prompt or instructions file: CLAUDE.md, AGENTS.md) not to run passed tests again until the code they run changed, and to read the output it has',
    'near-duplicate:searches':
      'searches and listings within what an earlier one found, over files unchanged since: ask the agent (its system prompt or instructions file: CLAUDE.md, AGENTS.md) to look in the earlier results before searching again',
    'near-duplicate:git':
      'git questions an earlier git command already answered (a diff of fewer files, a status of fewer paths), nothing changed since: ask the agent (its system prompt or instructions file: CLAUDE.md, AGENTS.md) to use the earlier answer',
    'near-duplicate:other': 'calls whose result an earlier call already held, nothing changed since',
    'context-growth': 'runs of calls whose context grew while nothing changed',
    'unused-output': 'large tool results nothing used',
  }
  const why = noCards
    ? 'computing a limit or a cap needs the cards (--cards): without them this stays advice'
    : 'the cards lack this step (they were analysed again since the decision)'
  return {
    ...base,
    prevention: 'advice',
    title: known[kind] ?? `${kind} flags`,
    expectedSavingUsd: 0,
    basis:
      kind.startsWith('near-duplicate') || !known[kind]
        ? 'no target can express a change that prevents this waste'
        : why,
  }
}

/** The guards of a policy: the suggestions that became guards. */
export function guardsFrom(suggestions: readonly PruneSuggestion[]): Guards {
  const guards: Guards = {callLimits: [], duplicateCalls: [], outputCaps: []}
  for (const s of suggestions) {
    const basis = {
      flags: s.flags.length,
      traces: new Set(s.flags.map(f => f.traceId)).size,
      expectedSavingUsd: round(s.expectedSavingUsd, 6),
      why: s.basis,
    }
    if (s.prevention === 'call-limit' && s.callLimit) {
      const g: CallLimit = {scope: s.scope, maxLlmCalls: s.callLimit.maxLlmCalls, ...basis}
      if (s.callLimit.maxCostUsd !== undefined) g.maxCostUsd = s.callLimit.maxCostUsd
      guards.callLimits.push(g)
    } else if (s.prevention === 'duplicate-guard') {
      const g: DuplicateCallGuard = {scope: s.scope, tools: s.tools ?? ['*'], ...basis}
      guards.duplicateCalls.push(g)
    } else if (s.prevention === 'output-cap' && s.outputCap) {
      const g: OutputCap = {scope: s.scope, tool: s.outputCap.tool, maxChars: s.outputCap.maxChars, ...basis}
      guards.outputCaps.push(g)
    }
  }
  return guards
}

/** Per subagent type: how many analysed traces it ran, and the tools it called. */
export function toolUsageByAgent(traces: readonly TraceSummary[]): Map<string, {traces: number; used: Set<string>}> {
  const usage = new Map<string, {traces: number; used: Set<string>}>()
  for (const t of traces) {
    if (!t.agent) continue
    const u = usage.get(t.agent) ?? {traces: 0, used: new Set<string>()}
    usage.set(t.agent, u)
    u.traces++
    for (const tool of t.toolsUsed) u.used.add(tool)
  }
  return usage
}

function key(traceId: string, stepId: string): string {
  return `${traceId}\u0000${stepId}`
}

function sum(xs: readonly number[]): number {
  let s = 0
  for (const x of xs) s += x
  return s
}

function round(v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
