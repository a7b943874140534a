/**
 * Words and groupings the terminal screen and the Markdown report share, so
 * both say the same thing the same way: recorded against computed cost, the
 * cache hit rate, warnings grouped whatever their figures, skipped input
 * grouped by reason.
 */
import {ACO_OUTPUT} from '../analyze/process-unit.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {int, percent, usd} from '../util/format.js'

/**
 * What the tools recorded, worded for the traces that record it: "recorded $0.12 for the 3 traces that
 * record cost (computed for those: $0.24)"; where some of their calls have no catalog price, the
 * comparison is over the calls that do.
 */
export function recordedParts(rc: NonNullable<AnalyzeResult['recordedCost']>): string[] {
  const traces = `${int(rc.traces)} trace${rc.traces === 1 ? ' that records' : 's that record'} cost`
  if (!rc.uncomparedCalls)
    return [`recorded ${usd(rc.recordedUsd)} for the ${traces} (computed for those: ${usd(rc.computedUsd)})`]
  // Totals the tools record per trace and nothing per call (SWE-agent's): split over the calls, they are the cost.
  if (rc.splitCalls === rc.uncomparedCalls && rc.comparedCalls === 0)
    return [
      `recorded ${usd(rc.recordedUsd)} for the ${traces}, as ${rc.traces === 1 ? 'a total' : 'totals'}: split over ${rc.traces === 1 ? 'its' : 'their'} ${int(rc.splitCalls)} call${rc.splitCalls === 1 ? '' : 's'} by their estimated tokens, what the tool recorded is what counts (not compared with the catalog's prices)`,
    ]
  // (Nothing on either side for the calls the catalog prices, none of them or free ones: "recorded $0.00, computed
  // $0.00" had read as a comparison of costs, trial 90; "prices none" is untrue of a free model's, review 91.)
  // (The catalog prices none of them: nothing to compare, trial 94 read "nothing … for the calls the catalog prices"
  // as something missing.)
  if (rc.comparedCalls === 0 && rc.comparedRecordedUsd === 0 && rc.computedUsd === 0)
    return [
      `recorded ${usd(rc.recordedUsd)} for the ${traces}: the catalog prices none of ${rc.traces === 1 ? 'its' : 'their'} ${int(rc.uncomparedCalls)} call${rc.uncomparedCalls === 1 ? '' : 's'} with a recorded cost, so what the tool recorded is what counts`,
    ]
  if (rc.comparedRecordedUsd === 0 && rc.computedUsd === 0)
    return [
      `recorded ${usd(rc.recordedUsd)} for the ${traces}`,
      `nothing recorded or computed for the calls the catalog prices; what the tool recorded for ${int(rc.uncomparedCalls)} other call${rc.uncomparedCalls === 1 ? ' is' : 's is'} used`,
    ]
  return [
    `recorded ${usd(rc.recordedUsd)} for the ${traces}`,
    `for their calls aco prices: recorded ${usd(rc.comparedRecordedUsd)}, computed ${usd(rc.computedUsd)}`,
    `${int(rc.uncomparedCalls)} call${rc.uncomparedCalls === 1 ? '' : 's'} only recorded`,
  ]
}

/** How far apart a computed cost is from a recorded one: `2.1× more`, `75× less`. */
export function timesApart(recorded: number, computed: number): string {
  if (recorded <= 0) return 'none recorded'
  const r = computed / recorded
  const x = (v: number): string => (v >= 10 ? v.toFixed(0) : v.toFixed(1))
  return r >= 1 ? `${x(r)}× more` : `${x(1 / r)}× less`
}

/** The cache hit rate where logs record cache use: "not recorded" where none does (never 0%). */
export function cacheRateText(rate: number | null, recordedShare: number): string {
  if (rate === null) return 'cache hit rate not recorded'
  return `cache hit rate ${percent(rate, 1)}${recordedShare < 0.999 ? ` (where recorded: ${percent(recordedShare)} of prompt tokens)` : ''}`
}

export interface WarningGroup {
  /** The message of the group's costliest warning (or its first). */
  message: string
  traces: number
  /** Dollars at stake over the group's warnings, and whether they are in the totals. */
  usd: number
  counted: boolean
  /** Whether its warnings say other figures (`4 tool calls`, `1 tool call`): its message is then one of theirs. */
  differ?: boolean
}

/**
 * Warnings grouped: the same warning in many traces is one group, whatever its figures ("1 response" and
 * "26 responses" alike). Groups with dollars at stake first, the costliest first.
 */
export function groupWarnings(items: AnalyzeResult['warnings']['first']): WarningGroup[] {
  const groups = new Map<
    string,
    {message: string; traces: Set<string>; usd: number; counted: boolean; top: number; differ: boolean}
  >()
  for (const item of items) {
    // (Figures aside, and the ids of what they are about: `subagents/agent-a7e3f9c.jsonl` and `agent-b21d0e4.jsonl` are
    // one warning, the new user's trial 40.)
    const key = item.message
      .replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '#')
      .replace(/\$?\d[\d,.]*/g, '#')
      .replace(/s\b/g, '')
    const g = groups.get(key) ?? {
      message: item.message,
      traces: new Set<string>(),
      usd: 0,
      counted: true,
      top: -1,
      differ: false,
    }
    if (item.message !== g.message) g.differ = true
    g.traces.add(item.traceId)
    const usd = item.estimate?.usd ?? 0
    g.usd += usd
    if (item.estimate) g.counted = item.estimate.counted
    if (usd > g.top) {
      g.top = usd
      g.message = item.message
    }
    groups.set(key, g)
  }
  return [...groups.values()]
    .map(g => ({
      message: g.message,
      traces: g.traces.size,
      usd: g.usd,
      counted: g.counted,
      ...(g.differ ? {differ: true} : {}),
    }))
    .sort((a, b) => b.usd - a.usd || b.traces - a.traces)
}

/** A warning group in words: the dollars at stake first, then the costliest message. */
export function warningGroupText(g: WarningGroup): string {
  // (Its traces' figures differ: the one shown is one trace's, not all of theirs, trial 92.)
  if (g.usd <= 0) return g.differ && g.traces > 1 ? `one of them: ${g.message}` : g.message
  const stake = `${g.counted ? usd(g.usd) : `≈${usd(g.usd)} not counted`}${g.traces > 1 ? ' in all' : ''}`
  return g.traces > 1 ? `${stake} · the costliest: ${g.message}` : `${stake} · ${g.message}`
}

export interface SkipGroup {
  reason: string
  /** Files with this reason, each with its skipped lines (none for a file skipped whole). */
  files: Array<{path: string; lines: number[]}>
  /** Problems in all (a file may have several lines skipped). */
  problems: number
}

/**
 * Skipped input grouped by reason (figures aside: "position 6" and "position 7" are one reason), the most
 * frequent first; each reason is given whole, once, with the files and lines it was met at.
 */
export function groupSkipped(skipped: AnalyzeResult['skipped']): SkipGroup[] {
  const groups = new Map<string, SkipGroup>()
  for (const s of skipped) {
    const key = s.reason.replace(/\d+/g, '#')
    const g = groups.get(key) ?? {reason: s.reason, files: [], problems: 0}
    g.problems++
    let file = g.files.find(f => f.path === s.path)
    if (!file) {
      file = {path: s.path, lines: []}
      g.files.push(file)
    }
    if (s.line !== undefined) file.lines.push(s.line)
    groups.set(key, g)
  }
  return [...groups.values()].sort((a, b) => b.problems - a.problems)
}

/**
 * When no trace was counted: what the files were, and why none of them counted, as one phrase ("3 files read: 2 of no
 * format aco knows, 1 read fine but holding no LLM or tool call"; none read is said alone, not "0 files read: nothing
 * in them"). Files passed over for their extension were not read and are said apart.
 */
export function nothingCountedParts(result: AnalyzeResult): {line: string; passedOver?: string} {
  const f = result.files
  const unknown = result.skipped.filter(s => s.reason.startsWith('unknown format') && s.line === undefined).length
  const parts: string[] = []
  if (unknown) parts.push(`${int(unknown)} of no format aco knows`)
  if (f.skipped - unknown > 0) parts.push(`${int(f.skipped - unknown)} that could not be read`)
  const own = result.nothingToCount.filter(n => n.reason.startsWith(ACO_OUTPUT)).length
  const companions = f.companions - own
  if (companions > 0)
    parts.push(`${int(companions)} companion${companions === 1 ? '' : 's'} of traces (read with them)`)
  if (own) parts.push(`${int(own)} of aco's own kinds: cards, results, outcome tables (skipped)`)
  if (f.empty) parts.push(`${int(f.empty)} read fine but holding no LLM or tool call`)
  if (f.repeats) parts.push(`${int(f.repeats)} repeating traces read from others`)
  const read = `${int(f.read)} file${f.read === 1 ? '' : 's'} read`
  // (Steps read, all outside --since/--until: the files hold them; the window does not. Trial 117 read "nothing in
  // them" of 3,631 steps before the window.)
  const outside = result.window?.stepsOutside ?? 0
  if (outside)
    parts.push(`${int(outside)} step${outside === 1 ? '' : 's'} read, every one outside the window or undated`)
  const out: {line: string; passedOver?: string} = {
    line: parts.length ? `${read}: ${parts.join(', ')}` : f.read ? `${read}: nothing in them` : read,
  }
  if (f.ignored)
    out.passedOver = `${int(f.ignored)} file${f.ignored === 1 ? '' : 's'} passed over for ${f.ignored === 1 ? 'its' : 'their'} extension (not read)`
  return out
}
