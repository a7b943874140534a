/**
 * What the policy stage needs of the analysed traces, read from cards.ndjson
 * in one pass and kept small: per trace (subagents apart), its LLM calls and
 * their costs, cost by model, the tools it used and the sizes of their
 * results, and its flags. Whole cards are never kept, so memory stays flat
 * however many traces there are.
 */
import {existsSync} from 'node:fs'
import {guardRefusals} from './guard-calls.js'
import type {Step, TraceCard} from '../card/types.js'
import {parseCardLine} from '../card/parse-line.js'
import {AcoError} from '../errors.js'
import {cardsPaths} from '../review/source.js'
import {fileLines} from '../util/lines.js'

export interface FlagRef {
  traceId: string
  rootTraceId: string
  stepId: string
  stepIndex: number
  stepKind: 'llm' | 'tool'
  kind: string
  confidence: number
  wastedUsd: number
  reason: string
  evidence: string[]
  tool?: string
  /** Size of the flagged tool result, in characters. */
  outputChars?: number
  /** Whether the duplicate-call guard can refuse the call (a look; not an edit, a build, a script or a poll). */
  refusable?: boolean
  /** The LLM call the flag rests on: the step itself, or the call that issued the tool. */
  llmStepId?: string
}

interface ToolOutput {
  tool: string
  chars: number
  stepId: string
}

export interface TraceSummary {
  id: string
  rootId: string
  format: string
  /** A subagent's type (Claude Code `agentType`), when the trace is one. */
  agent?: string
  /**
   * A subagent's trace: under another card, or standing alone with the agent it was (a subagent's transcript read
   * without its session's file: its card names the parent it ran under).
   */
  subagent: boolean
  title?: string
  startedAt?: string
  endedAt?: string
  costUsd: number
  /** Each LLM call in order: its id and its cost (0 when unpriced). */
  llmCalls: Array<{id: string; costUsd: number}>
  costByModel: Record<string, number>
  toolsUsed: string[]
  toolOutputs: ToolOutput[]
  flags: FlagRef[]
}

export interface TracesSummary {
  /** The cards file read. */
  path: string
  traces: TraceSummary[]
  /** Lines that were not cards. */
  skipped: Array<{line: number; reason: string}>
}

/** Where the cards are, or a usage error saying how to make them. */
function resolveCards(path: string): string {
  if (!existsSync(path)) {
    throw new AcoError(
      'usage',
      `The cards ${path} are not there.`,
      'Pass --cards CARDS (a cards.ndjson from aco analyze --out, or its folder).',
    )
  }
  return cardsPaths(path).cards
}

/** Summarises one card and its subagents (pure). */
export function summariseCard(card: TraceCard, rootId: string = card.id): TraceSummary[] {
  const out: TraceSummary[] = []
  const byId = new Map<string, Step>()
  for (const step of card.steps) byId.set(step.id, step)
  const summary: TraceSummary = {
    id: card.id,
    rootId,
    subagent: rootId !== card.id || card.parent !== undefined,
    format: card.source.format,
    costUsd: card.totals.costUsd,
    llmCalls: [],
    costByModel: {},
    toolsUsed: [],
    toolOutputs: [],
    flags: [],
  }
  if (card.parent?.agentType) summary.agent = card.parent.agentType
  const title = card.title ?? card.task?.title
  if (title) summary.title = title
  if (card.startedAt) summary.startedAt = card.startedAt
  if (card.endedAt) summary.endedAt = card.endedAt
  const tools = new Set<string>()
  // (Computed when a step first holds a flag: most cards have none.)
  let refusals: Set<Step> | undefined
  for (const step of card.steps) {
    if (step.kind === 'llm') {
      const usd = typeof step.cost?.usd === 'number' ? step.cost.usd : 0
      summary.llmCalls.push({id: step.id, costUsd: usd})
      if (step.model) summary.costByModel[step.model] = (summary.costByModel[step.model] ?? 0) + usd
    } else if (step.tool) {
      tools.add(step.tool.name)
      if (typeof step.tool.outputChars === 'number')
        summary.toolOutputs.push({tool: step.tool.name, chars: step.tool.outputChars, stepId: step.id})
    }
    for (const flag of step.flags ?? []) {
      const ref: FlagRef = {
        traceId: card.id,
        rootTraceId: rootId,
        stepId: step.id,
        stepIndex: step.index,
        stepKind: step.kind,
        kind: flag.kind,
        confidence: flag.confidence,
        wastedUsd: flag.wastedUsd,
        reason: flag.reason,
        evidence: flag.evidence,
      }
      if (step.tool) {
        ref.tool = step.tool.name
        // (Whether the duplicate-call guard would refuse the call: only the same look again with nothing changed since;
        // an edit, a build or a poll runs, and so does a look of another range or after a change.)
        refusals ??= guardRefusals(card.steps)
        ref.refusable = refusals.has(step)
      }
      if (typeof step.tool?.outputChars === 'number') ref.outputChars = step.tool.outputChars
      const llm = step.kind === 'llm' ? step : step.parentStepId ? byId.get(step.parentStepId) : undefined
      if (llm) ref.llmStepId = llm.id
      summary.flags.push(ref)
    }
  }
  summary.toolsUsed = [...tools].sort()
  out.push(summary)
  for (const child of card.children) out.push(...summariseCard(child, rootId))
  return out
}

/** Reads a cards file (or a folder holding cards.ndjson) into summaries, one pass. */
export async function readTraces(path: string): Promise<TracesSummary> {
  const file = resolveCards(path)
  const result: TracesSummary = {path: file, traces: [], skipped: []}
  for await (const {line, n} of fileLines(file)) {
    if (line.trim() === '') continue
    const read = parseCardLine(line)
    if (!read.card) {
      result.skipped.push({line: n, reason: read.problem})
      continue
    }
    const card = read.card
    result.traces.push(...summariseCard(card))
  }
  if (result.traces.length === 0) {
    throw new AcoError(
      'usage',
      `${file} holds no TraceCard${result.skipped.length ? ` (${result.skipped.length} lines are not cards)` : ''}.`,
      'Pass --cards CARDS written by aco analyze --out.',
    )
  }
  return result
}

/** The period the traces cover: the earliest start and the latest end (or start). */
export function tracePeriod(traces: readonly TraceSummary[]): {start: string; end: string} | undefined {
  let start: string | undefined
  let end: string | undefined
  for (const t of traces) {
    const s = t.startedAt
    const e = t.endedAt ?? t.startedAt
    if (s && !Number.isNaN(Date.parse(s)) && (!start || Date.parse(s) < Date.parse(start))) start = s
    if (e && !Number.isNaN(Date.parse(e)) && (!end || Date.parse(e) > Date.parse(end))) end = e
  }
  return start && end ? {start, end} : undefined
}
