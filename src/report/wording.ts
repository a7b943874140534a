/**
 * Words and groupings the terminal screen and the Markdown report share, so
 * both say the same thing the same way: recorded against computed cost, the
 * cache hit rate, warnings grouped whatever their figures, skipped input
 * grouped by reason.
 */
import {ACO_OUTPUT} from '../analyze/process-unit.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {type WarningGroup, WarningGroups} from '../analyze/warning-groups.js'
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

/**
 * Warnings grouped (see warning-groups.ts): the run's own groups of every warning, else (a result without them) those
 * of the warnings it lists.
 */
export function groupWarnings(warnings: Pick<AnalyzeResult['warnings'], 'first' | 'groups'>): WarningGroup[] {
  if (warnings.groups) return warnings.groups
  const groups = new WarningGroups()
  const byTrace = new Map<string, Array<AnalyzeResult['warnings']['first'][number]>>()
  for (const w of warnings.first) {
    const list = byTrace.get(w.traceId)
    if (list) list.push(w)
    else byTrace.set(w.traceId, [w])
  }
  for (const list of byTrace.values()) groups.addTrace(list)
  return groups.list()
}

/** A warning group in words: the dollars at stake first, then the costliest message. */
export function warningGroupText(g: WarningGroup): string {
  // (Its traces' figures differ: the one shown is one trace's, not all of theirs, trial 92.)
  if (g.usd <= 0) return g.differ && g.traces > 1 ? `one of them: ${g.message}` : g.message
  const stake = `${g.counted !== false ? usd(g.usd) : `≈${usd(g.usd)} not counted`}${g.traces > 1 ? ' in all' : ''}`
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
