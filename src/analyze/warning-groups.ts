/**
 * Warnings grouped over a whole run: the same warning in many traces is one group, whatever its figures ("1 response"
 * and "26 responses" alike) and the ids of what it is about. Every warning counts in its group (the result lists the
 * first 100 warnings only: trial 131's report had grouped those, and said 34 traces and $6.75 for 283 and $58.37).
 * Groups of shards add up to the single run's (`addGroups`).
 */
import type {WarningEstimate} from '../card/types.js'
import {fromNano, toNano} from '../util/exact.js'

/** One group, as the result holds it (`warnings.groups`). */
export interface WarningGroup {
  /** The message of the group's costliest warning (or its first). */
  message: string
  /** Traces with a warning of the group. */
  traces: number
  /** Its warnings. */
  warnings: number
  /** Dollars at stake over its warnings (their estimates). */
  usd: number
  /** Whether those dollars are in the totals (the last estimate's word); absent where no warning of it estimates any. */
  counted?: boolean
  /** The dollars of the warning whose message is shown, where above 0. */
  costliestUsd?: number
  /** Its warnings say other figures (`4 tool calls`, `1 tool call`): its message is one of theirs. */
  differ?: true
}

interface Acc {
  message: string
  traces: number
  warnings: number
  usd: number
  counted?: boolean
  /** The costliest warning's dollars, in nano-dollars (-1 before any). */
  top: number
  differ: boolean
}

/** The key of a warning: its message with figures, and hex ids of what it is about (`agent-a7e3f9c`), left out. */
function warningKey(message: string): string {
  return message
    .replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, '#')
    .replace(/\$?\d[\d,.]*/g, '#')
    .replace(/s\b/g, '')
}

export class WarningGroups {
  private readonly groups = new Map<string, Acc>()

  /** Adds the warnings of one trace. */
  addTrace(warnings: ReadonlyArray<{message: string; estimate?: WarningEstimate}>): void {
    const seen = new Set<string>()
    for (const w of warnings) {
      const key = warningKey(w.message)
      const g = this.group(key, w.message)
      if (w.message !== g.message) g.differ = true
      if (!seen.has(key)) {
        seen.add(key)
        g.traces++
      }
      g.warnings++
      const usd = toNano(w.estimate?.usd ?? 0)
      g.usd += usd
      if (w.estimate) g.counted = w.estimate.counted
      if (usd > g.top) {
        g.top = usd
        g.message = w.message
      }
    }
  }

  /** Adds groups built elsewhere (a shard's), in the order their warnings were met. */
  addGroups(groups: readonly WarningGroup[]): void {
    for (const r of groups) {
      const g = this.group(warningKey(r.message), r.message)
      if (r.differ || r.message !== g.message) g.differ = true
      g.traces += r.traces
      g.warnings += r.warnings
      g.usd += toNano(r.usd)
      if (r.counted !== undefined) g.counted = r.counted
      const top = toNano(r.costliestUsd ?? 0)
      if (top > g.top) {
        g.top = top
        g.message = r.message
      }
    }
  }

  /** The groups, those with dollars at stake first, the costliest first; then by traces, then by message. */
  list(): WarningGroup[] {
    return [...this.groups.values()]
      .map(g => {
        const out: WarningGroup = {message: g.message, traces: g.traces, warnings: g.warnings, usd: fromNano(g.usd)}
        if (g.counted !== undefined) out.counted = g.counted
        if (g.top > 0) out.costliestUsd = fromNano(g.top)
        if (g.differ) out.differ = true
        return out
      })
      .sort(
        (a, b) => b.usd - a.usd || b.traces - a.traces || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
      )
  }

  private group(key: string, message: string): Acc {
    let g = this.groups.get(key)
    if (!g) {
      g = {message, traces: 0, warnings: 0, usd: 0, top: -1, differ: false}
      this.groups.set(key, g)
    }
    return g
  }
}
