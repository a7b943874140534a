/**
 * For each file read, how much of what it asked for was already read since
 * the file last changed (in the same turn), and by which steps. Shared by the
 * re-read and near-duplicate detectors; computed once per card.
 */
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'

export interface ReadCoverage {
  step: Step
  file: string
  /** Share of the requested lines already read, 0..1. */
  covered: number
  /** The earlier reads that cover it. */
  by: Step[]
  /** True when one covering read had exactly the same arguments (then it is a duplicate call, not a re-read). */
  identical: boolean
}

/** Lines a read returns when it names no range (Claude Code's Read shows at most 2,000). */
const DEFAULT_READ_LINES: Record<string, number> = {read: 2000, read_file: 2000}
const WHOLE = Number.MAX_SAFE_INTEGER

const cache = new WeakMap<FlagContext, ReadCoverage[]>()

export function readCoverage(ctx: FlagContext): ReadCoverage[] {
  const cached = cache.get(ctx)
  if (cached) return cached
  const out: ReadCoverage[] = []
  const reads = new Map<string, Array<{step: Step; range: [number, number]}>>()
  for (const step of ctx.steps) {
    const action = ctx.actions[step.index]
    if (action?.kind !== 'read' || !action.file || step.tool?.status !== 'ok') continue
    const name = step.tool.name.toLowerCase()
    const range: [number, number] = action.range ?? [
      1,
      DEFAULT_READ_LINES[name] ? 1 + DEFAULT_READ_LINES[name]! : WHOLE,
    ]
    const earlier = fresh(ctx, reads.get(action.file), action.file, step)
    if (earlier.length) {
      const {share, by} = coveredShare(range, earlier)
      if (share > 0) {
        out.push({
          step,
          file: action.file,
          covered: share,
          by,
          identical: by.some(b => b.tool?.argsHash === step.tool!.argsHash && b.tool?.name === step.tool!.name),
        })
      }
    }
    const list = reads.get(action.file) ?? []
    list.push({step, range})
    reads.set(action.file, list)
  }
  cache.set(ctx, out)
  return out
}

/**
 * The earlier reads of `file` that still hold at `step`: same turn, no change
 * since. Staleness only grows with time (epochs and turns never go back), so
 * stale reads are dropped from the front for good: amortised O(1) per read.
 */
function fresh(
  ctx: FlagContext,
  list: Array<{step: Step; range: [number, number]}> | undefined,
  file: string,
  step: Step,
): Array<{step: Step; range: [number, number]}> {
  if (!list) return []
  let drop = 0
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i]!
    if (
      r.step.turn !== step.turn ||
      ctx.fileChangedBetween(file, ctx.epochAfter[r.step.index]!, ctx.epochBefore[step.index]!)
    ) {
      drop = i + 1
      break
    }
  }
  if (drop) list.splice(0, drop)
  return list
}

/** The share of `range` covered by the union of the earlier ranges, and the reads that contribute. */
function coveredShare(
  range: [number, number],
  earlier: Array<{step: Step; range: [number, number]}>,
): {share: number; by: Step[]} {
  const [start, end] = range
  const parts = earlier
    .map(r => ({step: r.step, lo: Math.max(start, r.range[0]), hi: Math.min(end, r.range[1])}))
    .filter(p => p.hi > p.lo)
    .sort((a, b) => a.lo - b.lo)
  if (!parts.length) return {share: 0, by: []}
  if (end === WHOLE) {
    // An open-ended read is covered only by an open-ended read from the same start or before.
    const whole = parts.find(p => p.hi === WHOLE && p.lo <= start)
    return whole ? {share: 1, by: [whole.step]} : {share: 0, by: []}
  }
  let covered = 0
  let reach = start
  const by: Step[] = []
  for (const p of parts) {
    const lo = Math.max(p.lo, reach)
    if (p.hi > lo) {
      covered += p.hi - lo
      reach = p.hi
      by.push(p.step)
    }
  }
  return {share: covered / (end - start), by}
}
