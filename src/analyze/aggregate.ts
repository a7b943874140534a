/**
 * Where the money went: pure sums over cards. Every figure is a sum or a
 * count, so results of shards merge by adding. Dollars are summed as whole
 * nano-dollars (see exact.ts): the sums do not depend on the order cards
 * arrive in, so shards merged (`aco merge`) give the same bytes as one run.
 */
import {addTokens, addTotals, emptyTokens, emptyTotals, forEachCard, rollupTotals} from '../card/build.js'
import type {FormatId, Tokens, Totals, TraceCard, UnpricedModel} from '../card/types.js'
import type {Skipped} from '../read/file-report.js'
import {fromNano, toNano} from './exact.js'

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
  warnings: {count: number; first: TraceWarning[]}
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
  private top: WasteItem[] = []
  // Dollars of the totals, in nano-dollars, summed step by step (so any grouping of the steps sums to them).
  private costNano = 0
  private wastedNano = 0
  private recordedNano: number | undefined

  /** Adds cards (and their nested children). */
  add(cards: readonly TraceCard[]): void {
    forEachCard(cards, card => this.addOne(card))
  }

  private addOne(card: TraceCard): void {
    addTotals(this.totals, card.totals)
    let cardNano = 0
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
      if (this.warnings.length < MAX_WARNINGS) {
        const item: TraceWarning = {traceId: card.id, path: card.source.path, message: w.message}
        if (w.line !== undefined) item.line = w.line
        this.warnings.push(item)
      }
    }

    const f = this.formats.get(card.source.format) ?? {format: card.source.format, traces: 0, costUsd: 0}
    f.traces++
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
          const wasted = toNano(flag.wastedUsd)
          row.wastedUsd += wasted
          this.wastedNano += wasted
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
        if (step.cost?.usd != null) {
          const cost = toNano(step.cost.usd)
          m.costUsd += cost
          cardNano += cost
        }
        if (step.cost?.recordedUsd !== undefined)
          this.recordedNano = (this.recordedNano ?? 0) + toNano(step.cost.recordedUsd)
        if (step.cost && step.cost.source !== 'computed' && step.cost.source !== 'estimated') m.priced = false
        if (step.cost?.usd === null) m.unpricedCalls++
        if (!step.toolStepIds?.length) bumpTool(this.tools, '(no tool call)', toNano(step.cost?.usd ?? 0), true, false)
      } else if (step.tool) {
        const parent = step.parentStepId ? byId.get(step.parentStepId) : undefined
        const share = parent?.cost?.usd ? parent.cost.usd / (parent.toolStepIds?.length || 1) : 0
        bumpTool(this.tools, step.tool.name, toNano(share), true, step.tool.status === 'error')
      }
    }
    f.costUsd += cardNano
    this.costNano += cardNano
  }

  /**
   * Adds a summary built elsewhere (a shard's `--json` result): its rows are
   * sums and counts, and its dollars convert back to the nano-dollars they
   * were summed in, so the merged summary is the one a single run builds.
   * Its lists (trace rows, warnings) are added apart, with `addListed`.
   */
  addSummary(s: AnalyzeSummary): void {
    const t = s.totals
    const {cacheHitRate: _rate, recordedCostUsd, ...counts} = t
    addTotals(this.totals, {...counts, costUsd: 0, wastedUsd: 0})
    this.costNano += toNano(t.costUsd)
    this.wastedNano += toNano(t.wastedUsd)
    if (recordedCostUsd !== undefined) this.recordedNano = (this.recordedNano ?? 0) + toNano(recordedCostUsd)
    for (const r of s.byModel) {
      const m = this.models.get(r.model)
      if (!m) this.models.set(r.model, {...r, tokens: {...r.tokens}, costUsd: toNano(r.costUsd)})
      else {
        m.costUsd += toNano(r.costUsd)
        addTokens(m.tokens, r.tokens)
        m.llmCalls += r.llmCalls
        m.priced &&= r.priced
        m.unpricedCalls += r.unpricedCalls
      }
    }
    for (const r of s.byTool) {
      const row = this.tools.get(r.tool)
      if (!row) this.tools.set(r.tool, {...r, costUsd: toNano(r.costUsd)})
      else {
        row.calls += r.calls
        row.errors += r.errors
        row.costUsd += toNano(r.costUsd)
      }
    }
    for (const r of s.byFormat) {
      const row = this.formats.get(r.format) ?? {format: r.format, traces: 0, costUsd: 0}
      row.traces += r.traces
      row.costUsd += toNano(r.costUsd)
      this.formats.set(r.format, row)
    }
    for (const r of s.unpriced) {
      const key = `${r.model}\u0000${r.reason}`
      const entry = this.unpriced.get(key) ?? {model: r.model, tokens: emptyTokens(), calls: 0, reason: r.reason}
      entry.calls += r.calls
      addTokens(entry.tokens, r.tokens)
      this.unpriced.set(key, entry)
    }
    for (const r of s.waste.byDetector) {
      const row = this.waste.get(r.kind) ?? {kind: r.kind, flags: 0, wastedUsd: 0}
      row.flags += r.flags
      row.wastedUsd += toNano(r.wastedUsd)
      this.waste.set(r.kind, row)
    }
    for (const item of s.waste.top) this.keepTop(item)
    this.warningCount += s.warnings.count
  }

  /** Appends trace rows and listed warnings (a shard's, in the order a single run lists them). */
  addListed(traces: readonly TraceRow[], warnings: readonly TraceWarning[]): void {
    for (const row of traces) this.traces.push(row)
    for (const w of warnings) if (this.warnings.length < MAX_WARNINGS) this.warnings.push(w)
  }

  /** How many trace rows and listed warnings there are so far (what a shard's tail counts from). */
  listed(): {traces: number; warnings: number} {
    return {traces: this.traces.length, warnings: this.warnings.length}
  }

  private keepTop(item: WasteItem): void {
    if (this.top.length >= TOP_WASTE * 2) {
      this.top.sort(byWaste)
      this.top.length = TOP_WASTE
    }
    this.top.push(item)
  }

  /**
   * The summary. Rows sort by their figures, ties by name, so the order does
   * not depend on which card came first (merged shards sort the same).
   */
  build(skipped: readonly Skipped[]): AnalyzeSummary {
    const {recordedCostUsd: _recorded, ...counts} = this.totals
    const totals: AnalyzeSummary['totals'] = {
      ...counts,
      costUsd: fromNano(this.costNano),
      wastedUsd: fromNano(this.wastedNano),
      ...(this.recordedNano !== undefined ? {recordedCostUsd: fromNano(this.recordedNano)} : {}),
      cacheHitRate: cacheHitRate(this.totals.tokens),
    }
    return {
      totals,
      byModel: [...this.models.values()]
        .sort((a, b) => b.costUsd - a.costUsd || b.llmCalls - a.llmCalls || byName(a.model, b.model))
        .map(m => ({...m, costUsd: fromNano(m.costUsd)})),
      byTool: [...this.tools.values()]
        .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls || byName(a.tool, b.tool))
        .map(r => ({...r, costUsd: fromNano(r.costUsd)})),
      byFormat: [...this.formats.values()]
        .sort((a, b) => b.costUsd - a.costUsd || b.traces - a.traces || byName(a.format, b.format))
        .map(r => ({...r, costUsd: fromNano(r.costUsd)})),
      traces: this.traces,
      waste: {
        byDetector: [...this.waste.values()]
          .sort((a, b) => b.wastedUsd - a.wastedUsd || b.flags - a.flags || byName(a.kind, b.kind))
          .map(r => ({...r, wastedUsd: fromNano(r.wastedUsd)})),
        top: [...this.top].sort(byWaste).slice(0, TOP_WASTE),
      },
      warnings: {count: this.warningCount, first: this.warnings},
      unpriced: [...this.unpriced.values()].sort(
        (a, b) => b.calls - a.calls || byName(a.model, b.model) || byName(a.reason, b.reason),
      ),
      skipped: [...skipped],
    }
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The costliest waste first; ties in a fixed order (trace, step, detector), whatever order they were found in. */
function byWaste(a: WasteItem, b: WasteItem): number {
  return (
    b.wastedUsd - a.wastedUsd || byName(a.traceId, b.traceId) || a.stepIndex - b.stepIndex || byName(a.kind, b.kind)
  )
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
