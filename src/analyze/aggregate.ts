/**
 * Where the money went: pure sums over cards. Every figure is a sum or a
 * count, so results of shards merge by adding. Dollars are summed as whole
 * nano-dollars (see exact.ts): the sums do not depend on the order cards
 * arrive in, so shards merged (`aco merge`) give the same bytes as one run.
 */
import {addTokens, addTotals, emptyTokens, emptyTotals, forEachCard, rollupTotals} from '../card/build.js'
import type {FormatId, Step, Tokens, Totals, TraceCard, UnpricedModel, WarningEstimate} from '../card/types.js'
import {RECORDS_CACHE_FORMATS} from '../adapt/format-names.js'
import {declinedByPerson} from '../flag/output.js'
import type {Skipped} from '../read/file-report.js'
import {fromNano, toNano} from '../util/exact.js'
import {type WarningGroup, WarningGroups} from './warning-groups.js'

export interface ModelRow {
  model: string
  costUsd: number
  tokens: Tokens
  llmCalls: number
  /** False when some calls were not priced from the catalog (their cost is recorded or unknown). */
  priced: boolean
  /** Calls whose cost is unknown. */
  unpricedCalls: number
  /** Calls whose log records their output alone (Copilot CLI's after its last shutdown): `costUsd` is a floor. */
  inputUnrecordedCalls?: number
}

export interface ToolRow {
  tool: string
  calls: number
  /** Calls that failed (not those a person declined). */
  errors: number
  /** Calls a person declined (Claude Code's "The user doesn't want to proceed…"), when any: no failure of the tool's. */
  declined?: number
  /**
   * The cost of the LLM calls that issued these tool calls, shared equally among
   * a call's tools. The row `(no tool call)` counts LLM calls that called no tool.
   */
  costUsd: number
  /** Calls issued by an LLM call whose cost is unknown (their share is not in costUsd, never counted as $0). */
  unpricedCalls: number
}

export interface TraceRow {
  id: string
  format: FormatId
  path: string
  parentId?: string
  title?: string
  startedAt?: string
  /** When its last step ended (in a window, the last of those it counts). */
  endedAt?: string
  models: string[]
  /** Totals of the trace's own steps (its subagents have their own rows). */
  totals: Totals
  /** Totals including nested subagents (present on traces that have any). */
  rollup?: Totals
  subagents: number
  /**
   * Calls of the trace and its subagents whose log records their output alone (see Step's `inputUnrecorded`): its cost
   * is a floor (absent when none).
   */
  inputUnrecordedCalls?: number
}

export interface WasteRow {
  kind: string
  flags: number
  wastedUsd: number
  /** Of `flags`, those on calls that have no price: what they wasted is not in `wastedUsd` (absent when none). */
  unpricedFlags?: number
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
  /** The call it came from has no price: what it wasted is not known (`wastedUsd` counts none of it). */
  unpriced?: boolean
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

/**
 * Costs the source tools recorded, against aco's for the same calls: over the traces that record a cost
 * (for some of their calls), and per trace where the two disagree by more than 2×.
 */
export interface RecordedCost {
  /** Traces that record a cost for at least one call. */
  traces: number
  /** Everything they recorded. */
  recordedUsd: number
  /** What they recorded for the calls aco also priced from the catalog… */
  comparedRecordedUsd: number
  /** …and aco's cost for those same calls. */
  computedUsd: number
  /** Calls whose recorded cost is compared: with a recorded cost aco also priced, or of a trace that records only its total. */
  comparedCalls: number
  /** Calls with a recorded cost aco did not price from the catalog (none for the model, or a share of a recorded total): their recorded cost is what counts. */
  uncomparedCalls: number
  /**
   * Of those, calls whose cost is their share of a total the trace records and nothing else (SWE-agent's
   * `instance_cost`, split by their estimated tokens): there is no cost of aco's own to compare it with.
   */
  splitCalls?: number
  /** Traces whose computed cost is over 2× off what they recorded (the largest gaps first, up to 20). */
  disagreements: CostDisagreement[]
}

interface CostDisagreement {
  traceId: string
  path: string
  recordedUsd: number
  computedUsd: number
  models: string[]
  startedAt?: string
  /** The likely reason, in words. */
  reason: string
}

/** A trace's computed cost this many times above or below its recorded one is listed. */
const DISAGREEMENT_RATIO = 2
/** …when the gap is at least this many dollars. */
const DISAGREEMENT_MIN_USD = 0.001
const MAX_DISAGREEMENTS = 20

/** Why a trace's computed cost is far from its recorded one, as far as the figures tell. */
function disagreementReason(recorded: number, computed: number, models: readonly string[], at?: string): string {
  const names = models.join(', ') || 'its model'
  // (Nothing recorded at all: calls a subscription or a free tier pays for, not by the token.)
  if (recorded === 0)
    return `the tool recorded $0 for ${names}: calls a subscription or a free tier pays for, not by the token (the catalog's price is what the tokens would cost)`
  if (computed > recorded)
    return `the tool priced ${names} lower than the catalog: a newer price than the catalog has for ${at ? `the run's date (${at.slice(0, 10)})` : 'the run'}, a discount or a free tier`
  return `the tool priced ${names} higher than the catalog: a tier the log does not show (long context, priority or fast mode), a price older than the catalog's, or costs of calls outside the log`
}

/** Dollars resting on estimates, over every warning (not only those listed). */
export interface EstimateSums {
  /** Cost counted in the totals that rests on estimated tokens (e.g. output where the log kept a placeholder). */
  countedUsd: number
  /** Estimated cost of calls no record read holds (a subagent whose transcript is missing): not in the totals. */
  notCountedUsd: number
}

/** How many warnings the summary lists (all are counted). */
export const MAX_WARNINGS = 100

export interface AnalyzeSummary {
  /**
   * `cacheHitRate`: the share of prompt tokens read from the cache, over the traces whose logs record cache
   * use (null when none does: "not recorded", never 0%); `cacheRecordedShare`: the share of all prompt tokens
   * those traces hold (1 when every trace records cache use).
   */
  totals: Totals & {cacheHitRate: number | null; cacheRecordedShare: number}
  byModel: ModelRow[]
  byTool: ToolRow[]
  byFormat: Array<{format: FormatId; traces: number; costUsd: number}>
  traces: TraceRow[]
  waste: {byDetector: WasteRow[]; top: WasteItem[]}
  /** `groups`: every warning, grouped (see warning-groups.ts); `first`: the first 100 as they are. */
  warnings: {count: number; first: TraceWarning[]; groups?: WarningGroup[]; estimates?: EstimateSums}
  unpriced: UnpricedModel[]
  skipped: Skipped[]
  /** Present when some trace records a cost of its own. */
  recordedCost?: RecordedCost
}

/** How many flagged steps the summary keeps (the costliest). */
export const TOP_WASTE = 50

function promptTokens(t: Tokens): number {
  return t.input + t.cacheRead + t.cacheWrite
}

/**
 * Formats whose usage always carries cache fields (a trace without cache tokens used no cache). A list, not the
 * registry's readers: a run from the cache loads no reader.
 */
const RECORDS_CACHE = new Set<string>(RECORDS_CACHE_FORMATS)

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
  private readonly warningGroups = new WarningGroups()
  private readonly estimates: EstimateSums = {countedUsd: 0, notCountedUsd: 0}
  /** Prompt tokens, and cache reads, of the traces that record cache use. */
  private readonly cache = {prompt: 0, read: 0}
  private readonly recorded: RecordedCost = {
    traces: 0,
    recordedUsd: 0,
    comparedRecordedUsd: 0,
    computedUsd: 0,
    comparedCalls: 0,
    uncomparedCalls: 0,
    disagreements: [],
  }
  private anyEstimate = false
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
    const t = card.totals.tokens
    if (RECORDS_CACHE.has(card.source.format) || card.source.recordsCache || t.cacheRead + t.cacheWrite > 0) {
      this.cache.prompt += promptTokens(t)
      this.cache.read += t.cacheRead
    }
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
    // (Only a time that is one: a log's `09:00:84` is no end to show.)
    if (card.endedAt && !Number.isNaN(Date.parse(card.endedAt))) row.endedAt = card.endedAt
    if (card.children.length) row.rollup = rollupTotals(card)
    const unrecorded = countSteps(card, s => s.inputUnrecorded === true)
    if (unrecorded) row.inputUnrecordedCalls = unrecorded
    this.traces.push(row)
    this.warningGroups.addTrace(card.warnings)
    for (const w of card.warnings) {
      this.warningCount++
      if (w.estimate) {
        this.anyEstimate = true
        if (w.estimate.counted) this.estimates.countedUsd += toNano(w.estimate.usd ?? 0)
        else this.estimates.notCountedUsd += toNano(w.estimate.usd ?? 0)
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
    this.formats.set(card.source.format, f)

    for (const u of card.unpriced) {
      const key = `${u.model}\u0000${u.reason}`
      const entry = this.unpriced.get(key) ?? {model: u.model, tokens: emptyTokens(), calls: 0, reason: u.reason}
      entry.calls += u.calls
      addTokens(entry.tokens, u.tokens)
      this.unpriced.set(key, entry)
    }

    this.addRecorded(card)

    const byId = new Map(card.steps.map(s => [s.id, s]))
    // The tool calls an LLM call issued that are in the card (once each): `--since`/`--until` may have dropped some,
    // and their shares go to the others.
    // (Each id with its place, for a share looked up once per tool call.)
    const issued = new Map<string, Map<string, number>>()
    const issuedOf = (llm: Step): Map<string, number> => {
      let ids = issued.get(llm.id)
      if (!ids) {
        ids = new Map()
        for (const id of llm.toolStepIds ?? []) {
          const t = byId.get(id)
          if (t?.tool !== undefined && t.parentStepId === llm.id && !ids.has(id)) ids.set(id, ids.size)
        }
        issued.set(llm.id, ids)
      }
      return ids
    }
    for (const step of card.steps) {
      if (step.flags) {
        for (const flag of step.flags) {
          const row = this.waste.get(flag.kind) ?? {kind: flag.kind, flags: 0, wastedUsd: 0}
          row.flags++
          const wasted = toNano(flag.wastedUsd)
          row.wastedUsd += wasted
          if (flag.unpriced) row.unpricedFlags = (row.unpricedFlags ?? 0) + 1
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
          if (flag.unpriced) item.unpriced = true
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
        if (step.inputUnrecorded) m.inputUnrecordedCalls = (m.inputUnrecordedCalls ?? 0) + 1
        // (A call whose tool calls all fell outside `--since`/`--until` issued some: not "no tool call".)
        if (!issuedOf(step).size)
          bumpTool(
            this.tools,
            step.toolStepIds?.length ? '(tool calls left out)' : '(no tool call)',
            toNano(step.cost?.usd ?? 0),
            false,
            step.cost?.usd === null,
          )
      } else if (step.tool) {
        const found = step.parentStepId ? byId.get(step.parentStepId) : undefined
        const parent = found?.kind === 'llm' ? found : undefined
        const share = parent?.cost?.usd ? nanoShare(toNano(parent.cost.usd), issuedOf(parent), step.id) : 0
        // (A tool call no LLM call issued, as a lone tool span: no cost of its own, none unknown.)
        const unpriced = parent !== undefined && parent.cost?.usd == null
        const declined = step.tool.status === 'error' && declinedByPerson(step.tool.excerpt)
        bumpTool(this.tools, step.tool.name, share, declined ? 'declined' : step.tool.status === 'error', unpriced)
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
    const {cacheHitRate: _rate, cacheRecordedShare: _share, recordedCostUsd, ...counts} = t
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
        if (r.inputUnrecordedCalls) m.inputUnrecordedCalls = (m.inputUnrecordedCalls ?? 0) + r.inputUnrecordedCalls
      }
    }
    for (const r of s.byTool) {
      const row = this.tools.get(r.tool)
      if (!row) this.tools.set(r.tool, {...r, costUsd: toNano(r.costUsd)})
      else {
        row.calls += r.calls
        row.errors += r.errors
        if (r.declined) row.declined = (row.declined ?? 0) + r.declined
        row.unpricedCalls += r.unpricedCalls
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
      if (r.unpricedFlags) row.unpricedFlags = (row.unpricedFlags ?? 0) + r.unpricedFlags
      this.waste.set(r.kind, row)
    }
    for (const item of s.waste.top) this.keepTop(item)
    this.warningCount += s.warnings.count
    this.warningGroups.addGroups(s.warnings.groups ?? [])
    // The cache counts behind the two rates: integers, so rounding recovers them exactly.
    const prompt = promptTokens(t.tokens)
    const cachePrompt = Math.round(t.cacheRecordedShare * prompt)
    this.cache.prompt += cachePrompt
    this.cache.read += Math.round((t.cacheHitRate ?? 0) * cachePrompt)
    if (s.warnings.estimates) {
      this.anyEstimate = true
      this.estimates.countedUsd += toNano(s.warnings.estimates.countedUsd)
      this.estimates.notCountedUsd += toNano(s.warnings.estimates.notCountedUsd)
    }
    const rc = s.recordedCost
    if (rc) {
      const r = this.recorded
      r.traces += rc.traces
      r.recordedUsd += toNano(rc.recordedUsd)
      r.comparedRecordedUsd += toNano(rc.comparedRecordedUsd)
      r.computedUsd += toNano(rc.computedUsd)
      r.comparedCalls += rc.comparedCalls ?? 0
      r.uncomparedCalls += rc.uncomparedCalls
      if (rc.splitCalls) r.splitCalls = (r.splitCalls ?? 0) + rc.splitCalls
      r.disagreements.push(...rc.disagreements)
    }
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

  /** A trace's recorded cost against aco's for the same calls. */
  private addRecorded(card: TraceCard): void {
    let any = false
    const models = new Set<string>()
    let recorded = 0
    let compared = 0
    let computed = 0
    for (const step of card.steps) {
      const cost = step.cost
      if (step.kind !== 'llm' || cost?.recordedUsd === undefined) continue
      any = true
      recorded += cost.recordedUsd
      if (cost.source === 'computed' && cost.usd !== null) {
        compared += cost.recordedUsd
        computed += cost.usd
        this.recorded.comparedCalls++
        if (step.model) models.add(step.model)
      } else this.recorded.uncomparedCalls++
    }
    // A trace whose calls record no cost, but which records its own total (Copilot CLI's bill, a run's instance cost):
    // that total against aco's for the trace and its subagents (a session's bill holds theirs). Not a subagent's own.
    if (!any) {
      const total = card.parent ? undefined : card.recorded?.costUsd
      // (A total of 0 is what a tool writes when it could not price the calls, SWE-agent's all-zero stats: no figure.)
      if (total === undefined || total === 0) return
      const rollup = rollupTotals(card)
      // A total the reader split over the calls (SWE-agent's): aco's cost is that total, so nothing is compared
      // (trial 105: "computed for those" had repeated the recorded figure as if checked).
      if (rollup.llmCalls > 0 && countSteps(card, s => s.kind === 'llm' && s.cost?.source !== 'estimated') === 0) {
        const r = this.recorded
        r.traces++
        r.recordedUsd += toNano(total)
        r.uncomparedCalls += rollup.llmCalls
        r.splitCalls = (r.splitCalls ?? 0) + rollup.llmCalls
        return
      }
      // (Calls with no price or whose input the log does not record are in neither side alike: said in the reason.)
      const open = countSteps(card, s => s.kind === 'llm' && (s.inputUnrecorded === true || s.cost?.usd == null))
      const r = this.recorded
      r.traces++
      r.recordedUsd += toNano(total)
      r.comparedRecordedUsd += toNano(total)
      r.comparedCalls += rollup.llmCalls
      r.computedUsd += toNano(rollup.costUsd)
      const far = rollup.costUsd > total * DISAGREEMENT_RATIO || rollup.costUsd * DISAGREEMENT_RATIO < total
      if (!far || Math.abs(rollup.costUsd - total) < DISAGREEMENT_MIN_USD) return
      const item: CostDisagreement = {
        traceId: card.id,
        path: card.source.path,
        recordedUsd: total,
        computedUsd: rollup.costUsd,
        models: card.models,
        reason:
          open > 0 && rollup.costUsd < total
            ? `${open} of its calls have no price or no recorded input, counted as their output alone or not at all (see Warnings)`
            : disagreementReason(total, rollup.costUsd, card.models, card.startedAt),
      }
      if (card.startedAt) item.startedAt = card.startedAt
      r.disagreements.push(item)
      if (r.disagreements.length > MAX_DISAGREEMENTS * 2) this.trimDisagreements()
      return
    }
    const r = this.recorded
    r.traces++
    r.recordedUsd += toNano(recorded)
    r.comparedRecordedUsd += toNano(compared)
    r.computedUsd += toNano(computed)
    const far = computed > compared * DISAGREEMENT_RATIO || computed * DISAGREEMENT_RATIO < compared
    if (!far || Math.abs(computed - compared) < DISAGREEMENT_MIN_USD) return
    const item: CostDisagreement = {
      traceId: card.id,
      path: card.source.path,
      recordedUsd: compared,
      computedUsd: computed,
      models: [...models],
      reason: disagreementReason(compared, computed, [...models], card.startedAt),
    }
    if (card.startedAt) item.startedAt = card.startedAt
    r.disagreements.push(item)
    if (r.disagreements.length > MAX_DISAGREEMENTS * 2) this.trimDisagreements()
  }

  private trimDisagreements(): void {
    const gap = (d: CostDisagreement): number => Math.abs(d.computedUsd - d.recordedUsd)
    this.recorded.disagreements.sort((a, b) => gap(b) - gap(a) || byName(a.traceId, b.traceId))
    this.recorded.disagreements.length = Math.min(this.recorded.disagreements.length, MAX_DISAGREEMENTS)
  }

  /** The recorded-cost comparison, its dollars (summed in nano-dollars) back in dollars. */
  private finishRecorded(): RecordedCost {
    this.trimDisagreements()
    const r = this.recorded
    return {
      ...r,
      recordedUsd: fromNano(r.recordedUsd),
      comparedRecordedUsd: fromNano(r.comparedRecordedUsd),
      computedUsd: fromNano(r.computedUsd),
      disagreements: [...r.disagreements],
    }
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
    const prompt = promptTokens(this.totals.tokens)
    const totals: AnalyzeSummary['totals'] = {
      ...counts,
      costUsd: fromNano(this.costNano),
      wastedUsd: fromNano(this.wastedNano),
      ...(this.recordedNano !== undefined ? {recordedCostUsd: fromNano(this.recordedNano)} : {}),
      cacheHitRate: this.cache.prompt > 0 ? this.cache.read / this.cache.prompt : null,
      cacheRecordedShare: prompt > 0 ? this.cache.prompt / prompt : 1,
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
      warnings: {
        count: this.warningCount,
        first: this.warnings,
        groups: this.warningGroups.list(),
        ...(this.anyEstimate
          ? {
              estimates: {
                countedUsd: fromNano(this.estimates.countedUsd),
                notCountedUsd: fromNano(this.estimates.notCountedUsd),
              },
            }
          : {}),
      },
      unpriced: [...this.unpriced.values()].sort(
        (a, b) => b.calls - a.calls || byName(a.model, b.model) || byName(a.reason, b.reason),
      ),
      skipped: [...skipped],
      ...(this.recorded.traces ? {recordedCost: this.finishRecorded()} : {}),
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

/**
 * A tool call's equal share of the nano-dollars of the LLM call that issued it, in whole nano-dollars: the remainder
 * of the division goes one each to its first calls, so the shares add up to the call's cost exactly (and the tool rows
 * to the total). A call not among `issued` gets none (its share is its siblings').
 */
function nanoShare(nano: number, issued: ReadonlyMap<string, number>, id: string): number {
  const k = issued.get(id)
  if (k === undefined) return 0
  const base = Math.floor(nano / issued.size)
  return base + (k < nano - base * issued.size ? 1 : 0)
}

function bumpTool(
  tools: Map<string, ToolRow>,
  name: string,
  cost: number,
  isError: boolean | 'declined',
  unpriced: boolean,
): void {
  let row = tools.get(name)
  if (!row) {
    row = {tool: name, calls: 0, errors: 0, costUsd: 0, unpricedCalls: 0}
    tools.set(name, row)
  }
  row.calls++
  if (isError === 'declined') row.declined = (row.declined ?? 0) + 1
  else if (isError) row.errors++
  if (unpriced) row.unpricedCalls++
  row.costUsd += cost
}

function countDescendants(card: TraceCard): number {
  let n = 0
  for (const child of card.children) n += 1 + countDescendants(child)
  return n
}

/** How many steps of a card and its subagents `test` holds for. */
function countSteps(card: TraceCard, test: (s: Step) => boolean): number {
  let n = 0
  for (const s of card.steps) if (test(s)) n++
  for (const c of card.children) n += countSteps(c, test)
  return n
}
