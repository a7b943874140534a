/**
 * The routing rules: from each candidate model's estimated P(success) to one
 * model per item, at a threshold. Training, evaluation, calibration and
 * routing all decide through `decide`, so what is measured is what routes.
 *
 * Candidates are sorted by mean training cost, cheapest first, and lie on the
 * training split's cost–quality Pareto front, so the dearest candidate is also
 * the strongest.
 *
 * - `utility`: the candidate that maximises P(success) − λ·cost, cost relative
 *   to the strongest model's (so λ is success points per strongest-model
 *   price); a tie goes to the cheaper model. A large λ sends every item to the
 *   cheapest model, λ = 0 to the most likely to succeed, a negative λ toward
 *   the strongest.
 * - `cheapest`: the cheapest candidate whose P(success) is at least τ; when
 *   none is, the strongest.
 *
 * A grid lists thresholds from the cheap end (every item to the cheapest
 * model) to the strong end (every item to the strongest); its first point always routes
 * everything to the cheapest, its last to the strongest, whatever the items.
 */

export type Rule = 'utility' | 'cheapest'

export const rules: readonly Rule[] = ['utility', 'cheapest']

/** The cheapest setting of each rule: every item goes to the cheapest model. */
const cheapEnd: Record<Rule, number> = {utility: 1e9, cheapest: 0}

/** The dearest setting of each rule: every item goes to the strongest model. */
const strongEnd: Record<Rule, number> = {utility: -1e9, cheapest: 1e9}

/**
 * Index of the model chosen for one item. `p[k]` is candidate k's estimate,
 * `relCost[k]` its cost relative to the strongest (ascending in k);
 * `available` (when given) masks candidates the item may not use.
 */
export function decide(
  rule: Rule,
  threshold: number,
  p: ArrayLike<number>,
  relCost: ArrayLike<number>,
  available?: ArrayLike<boolean>,
): number {
  const k = p.length
  switch (rule) {
    case 'utility': {
      let best = -1
      let bestScore = -Infinity
      for (let j = 0; j < k; j++) {
        if (available && !available[j]) continue
        const score = (p[j] as number) - threshold * (relCost[j] as number)
        if (score > bestScore) {
          bestScore = score
          best = j
        }
      }
      return best
    }
    case 'cheapest': {
      let strongest = -1
      for (let j = 0; j < k; j++) {
        if (available && !available[j]) continue
        if ((p[j] as number) >= threshold) return j
        strongest = j
      }
      return strongest
    }
    default:
      return rule satisfies never
  }
}

/**
 * Thresholds at which the rule's decisions can change on these estimates
 * (`p` row-major, `k` candidates per item), as a grid of at most `size`
 * points from the cheap end to the strong end. Points sit between
 * neighbouring breakpoints, so no decision rests on a tie.
 */
export function thresholdGrid(
  rule: Rule,
  p: Float64Array,
  k: number,
  relCost: ArrayLike<number>,
  size: number,
): number[] {
  const breaks: number[] = []
  const n = k > 0 ? p.length / k : 0
  switch (rule) {
    case 'utility':
      // λ at which item i is indifferent between candidates a and b.
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < k; a++) {
          for (let b = a + 1; b < k; b++) {
            const dc = (relCost[b] as number) - (relCost[a] as number)
            if (dc > 0) breaks.push((p[i * k + b]! - p[i * k + a]!) / dc)
          }
        }
      }
      break
    case 'cheapest':
      for (let i = 0; i < p.length; i++) breaks.push(p[i]!)
      break
    default:
      return rule satisfies never
  }
  // Cheap end first: utility runs from a large λ down, cheapest from τ = 0 up.
  const sign = rule === 'utility' ? -1 : 1
  const unique = [...new Set(breaks.map(b => Math.round(b * 1e9) / 1e9))].sort((a, b) => sign * (a - b))
  const mids: number[] = []
  for (let i = 0; i + 1 < unique.length; i++) mids.push((unique[i]! + unique[i + 1]!) / 2)
  const inner = Math.max(0, size - 2)
  const picked: number[] = []
  if (mids.length <= inner) picked.push(...mids)
  else for (let i = 0; i < inner; i++) picked.push(mids[Math.round((i * (mids.length - 1)) / Math.max(1, inner - 1))]!)
  const grid = [cheapEnd[rule], ...picked, strongEnd[rule]]
  return grid.map(t => Math.round(t * 1e9) / 1e9).filter((t, i, all) => i === 0 || t !== all[i - 1])
}

/**
 * The sweep thresholds: both ends of the grid and, between them, the
 * thresholds of the calibration frontier. Fixed before the test split is
 * seen, they are where the test curve, its APGR and `aco route --sweep` are
 * measured.
 */
export function sweepLine(grid: readonly number[], frontier: ReadonlyArray<{threshold: number}>): number[] {
  const first = grid[0]!
  const last = grid[grid.length - 1]!
  return [first, ...frontier.map(p => p.threshold).filter(t => t !== first && t !== last), last]
}
