/**
 * Where the money went: pure sums over cards. Every figure is a sum or a
 * count, so results of shards merge by adding.
 */
import {addTokens, addTotals, emptyTokens, emptyTotals, forEachCard, rollupTotals} from '../card/build.js'
import type {FormatId, Tokens, Totals, TraceCard, UnpricedModel, WarningEstimate} from '../card/types.js'
import type {Skipped} from '../read/file-report.js'

export interface ModelRow {
  model: string
  costUsd: number
  tokens: Tokens
  llmCalls: number
  /** False when some calls were not priced from the catalog (their cost is recorded or unknown). */
  priced: boolean
  /** Calls whose cost is unknown. */
  unpricedCalls: number
}

export interface ToolRow {
  tool: string
  calls: number
  errors: number
  /**
   * The cost of the LLM calls that issued these tool calls, shared equally among
   * a call's tools. The row `(no tool call)` counts LLM calls that called no tool.
   */
  costUsd: number
}

export interface TraceRow {
  id: string
  format: FormatId
  path: string
  parentId?: string
  title?: string
  startedAt?: string
  models: string[]
  /** Totals of the trace's own steps (its subagents have their own rows). */
  totals: Totals
  /** Totals including nested subagents (present on traces that have any). */
  rollup?: Totals
  subagents: number
}

export interface WasteRow {
  kind: string
  flags: number
  wastedUsd: number
}

/** One flagged step, with what a person needs to judge it. */
export interface WasteItem {
  traceId: string
  path: string
  stepId: string
  stepIndex: number
  tool?: string
  kind: string
  reason: string
  confidence: number
  wastedUsd: number
  evidence: string[]
}

/** Something an adapter noticed while reading a trace (the trace is counted; the warning says what to know). */
export interface TraceWarning {
  traceId: string
  path: string
  line?: number
  message: string
  /** The tokens the warning is about and what they cost (estimated tokens counted, or calls lost). */
  estimate?: WarningEstimate
}

/** Dollars resting on estimates, over every warning (not only those listed). */
export interface EstimateSums {
  /** Cost counted in the totals that rests on estimated tokens (e.g. output where the log kept a placeholder). */
  countedUsd: number
  /** Estimated cost of calls no record read holds (a subagent whose transcript is missing): not in the totals. */
  notCountedUsd: number
}

/** How many warnings the summary lists (all are counted). */
const MAX_WARNINGS = 100

export interface AnalyzeSummary {
  totals: Totals & {cacheHitRate: number}
  byModel: ModelRow[]
  byTool: ToolRow[]
  byFormat: Array<{format: FormatId; traces: number; costUsd: number}>
  traces: TraceRow[]
  waste: {byDetector: WasteRow[]; top: WasteItem[]}
  warnings: {count: number; first: TraceWarning[]; estimates?: EstimateSums}
  unpriced: UnpricedModel[]
  skipped: Skipped[]
}

/** How many flagged steps the summary keeps (the costliest). */
const TOP_WASTE = 50

/** The share of prompt tokens served from the cache. */
function cacheHitRate(t: Tokens): number {
  const prompt = t.input + t.cacheRead + t.cacheWrite
  return prompt > 0 ? t.cacheRead / prompt : 0
}

/** Folds cards into the summary one at a time, so cards need not be kept. */
export class SummaryBuilder {
  private readonly totals = emptyTotals()
  private readonly models = new Map<string, ModelRow>()
  private readonly tools = new Map<string, ToolRow>()
  private readonly formats = new Map<FormatId, {format: FormatId; traces: number; costUsd: number}>()
  private readonly unpriced = new Map<string, UnpricedModel>()
  private readonly traces: TraceRow[] = []
  private readonly waste = new Map<string, WasteRow>()
  private readonly warnings: TraceWarning[] = []
  private warningCount = 0
  private readonly estimates: EstimateSums = {countedUsd: 0, notCountedUsd: 0}
  private anyEstimate = false
  private top: WasteItem[] = []

  /** Adds cards (and their nested children). */
  add(cards: readonly TraceCard[]): void {
    forEachCard(cards, card => this.addOne(card))
  }

  private addOne(card: TraceCard): void {
    addTotals(this.totals, card.totals)
    const row: TraceRow = {
      id: card.id,
      format: card.source.format,
      path: card.source.path,
      models: card.models,
      totals: card.totals,
      subagents: countDescendants(card),
    }
    if (card.parent?.traceId) row.parentId = card.parent.traceId
    if (card.title) row.title = card.title
    if (card.startedAt) row.startedAt = card.startedAt
    if (card.children.length) row.rollup = rollupTotals(card)
    this.traces.push(row)
    for (const w of card.warnings) {
      this.warningCount++
      if (w.estimate) {
        this.anyEstimate = true
        if (w.estimate.counted) this.estimates.countedUsd += w.estimate.usd ?? 0
        else this.estimates.notCountedUsd += w.estimate.usd ?? 0
      }
      if (this.warnings.length < MAX_WARNINGS) {
        const item: TraceWarning = {traceId: card.id, path: card.source.path, message: w.message}
        if (w.line !== undefined) item.line = w.line
        if (w.estimate) item.estimate = w.estimate
        this.warnings.push(item)
      }
    }

    const f = this.formats.get(card.source.format) ?? {format: card.source.format, traces: 0, costUsd: 0}
    f.traces++
    f.costUsd += card.totals.costUsd
    this.formats.set(card.source.format, f)

    for (const u of card.unpriced) {
      const key = `${u.model}\u0000${u.reason}`
      const entry = this.unpriced.get(key) ?? {model: u.model, tokens: emptyTokens(), calls: 0, reason: u.reason}
      entry.calls += u.calls
      addTokens(entry.tokens, u.tokens)
      this.unpriced.set(key, entry)
    }

    const byId = new Map(card.steps.map(s => [s.id, s]))
    for (const step of card.steps) {
      if (step.flags) {
        for (const flag of step.flags) {
          const row = this.waste.get(flag.kind) ?? {kind: flag.kind, flags: 0, wastedUsd: 0}
          row.flags++
          row.wastedUsd += flag.wastedUsd
          this.waste.set(flag.kind, row)
          const item: WasteItem = {
            traceId: card.id,
            path: card.source.path,
            stepId: step.id,
            stepIndex: step.index,
            kind: flag.kind,
            reason: flag.reason,
            confidence: flag.confidence,
            wastedUsd: flag.wastedUsd,
            evidence: flag.evidence,
          }
          if (step.tool) item.tool = step.tool.name
          this.keepTop(item)
        }
      }
      if (step.kind === 'llm') {
        const name = step.model ?? '(unknown)'
        let m = this.models.get(name)
        if (!m) {
          m = {model: name, costUsd: 0, tokens: emptyTokens(), llmCalls: 0, priced: true, unpricedCalls: 0}
          this.models.set(name, m)
        }
        m.llmCalls++
        if (step.tokens) addTokens(m.tokens, step.tokens)
        if (step.cost?.usd != null) m.costUsd += step.cost.usd
        if (step.cost && step.cost.source !== 'computed' && step.cost.source !== 'estimated') m.priced = false
        if (step.cost?.usd === null) m.unpricedCalls++
        if (!step.toolStepIds?.length) bumpTool(this.tools, '(no tool call)', step.cost?.usd ?? 0, true, false)
      } else if (step.tool) {
        const parent = step.parentStepId ? byId.get(step.parentStepId) : undefined
        const share = parent?.cost?.usd ? parent.cost.usd / (parent.toolStepIds?.length || 1) : 0
        bumpTool(this.tools, step.tool.name, share, true, step.tool.status === 'error')
      }
    }
  }

  private keepTop(item: WasteItem): void {
    if (this.top.length >= TOP_WASTE * 2) {
      this.top.sort((a, b) => b.wastedUsd - a.wastedUsd)
      this.top.length = TOP_WASTE
    }
    this.top.push(item)
  }

  build(skipped: readonly Skipped[]): AnalyzeSummary {
    return {
      totals: {...this.totals, cacheHitRate: cacheHitRate(this.totals.tokens)},
      byModel: [...this.models.values()].sort((a, b) => b.costUsd - a.costUsd || b.llmCalls - a.llmCalls),
      byTool: [...this.tools.values()].sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls),
      byFormat: [...this.formats.values()].sort((a, b) => b.costUsd - a.costUsd),
      traces: this.traces,
      waste: {
        byDetector: [...this.waste.values()].sort((a, b) => b.wastedUsd - a.wastedUsd),
        top: [...this.top].sort((a, b) => b.wastedUsd - a.wastedUsd).slice(0, TOP_WASTE),
      },
      warnings: {
        count: this.warningCount,
        first: this.warnings,
        ...(this.anyEstimate ? {estimates: {...this.estimates}} : {}),
      },
      unpriced: [...this.unpriced.values()].sort((a, b) => b.calls - a.calls),
      skipped: [...skipped],
    }
  }
}

function bumpTool(tools: Map<string, ToolRow>, name: string, cost: number, isCall: boolean, isError: boolean): void {
  let row = tools.get(name)
  if (!row) {
    row = {tool: name, calls: 0, errors: 0, costUsd: 0}
    tools.set(name, row)
  }
  if (isCall) row.calls++
  if (isError) row.errors++
  row.costUsd += cost
}

function countDescendants(card: TraceCard): number {
  let n = 0
  for (const child of card.children) n += 1 + countDescendants(child)
  return n
}
