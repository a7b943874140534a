import {fromNano, toNano} from '../util/exact.js'

/**
 * Splitting a recorded total over steps. Some traces (SWE-agent's
 * `info.model_stats`) record tokens and cost only per trace; aco still needs a
 * figure per step. These splits are proportional to a weight the adapter
 * chooses, and they sum to the total exactly, so the card's totals stay equal
 * to the source's own.
 */

/**
 * Splits a whole-number `total` into whole parts proportional to `weights`
 * (largest-remainder rounding), so the parts sum to `total` exactly. Equal
 * weights when every weight is 0 (or not a usable number). A total that is not
 * a whole number is split as an amount (see `splitAmount`).
 */
export function splitInteger(total: number, weights: readonly number[]): number[] {
  const n = weights.length
  if (n === 0) return []
  if (!Number.isInteger(total)) return splitAmount(total, weights)
  const w = usableWeights(weights)
  const sum = w.reduce((a, b) => a + b, 0)
  const parts = new Array<number>(n)
  const remainders: Array<{i: number; r: number}> = []
  let given = 0
  for (let i = 0; i < n; i++) {
    const exact = (total * w[i]!) / sum
    const whole = Math.floor(exact)
    parts[i] = whole
    given += whole
    remainders.push({i, r: exact - whole})
  }
  // Hand the units lost to flooring to the largest remainders (earlier steps win ties).
  remainders.sort((a, b) => b.r - a.r || a.i - b.i)
  for (let k = 0; given < total; k++, given++) parts[remainders[k % n]!.i]!++
  return parts
}

/**
 * Splits an amount (dollars) in proportion to `weights`, in whole nano-dollars (largest-remainder rounding), so the
 * parts sum to the total as aco sums dollars (util/exact.ts), to the nano-dollar: a card's cost is then what the source
 * recorded, rounded to the nano-dollar, however many steps share it. An amount past what nano-dollars hold exactly
 * (or not a non-negative number) is split as a float, the largest part absorbing the residue.
 */
export function splitAmount(total: number, weights: readonly number[]): number[] {
  const n = weights.length
  if (n === 0) return []
  const nano = toNano(total)
  if (Number.isSafeInteger(nano) && nano >= 0) return splitInteger(nano, weights).map(fromNano)
  const w = usableWeights(weights)
  const sum = w.reduce((a, b) => a + b, 0)
  const parts = w.map(x => (total * x) / sum)
  let largest = 0
  for (let i = 1; i < n; i++) if (parts[i]! > parts[largest]!) largest = i
  let others = 0
  for (let i = 0; i < n; i++) if (i !== largest) others += parts[i]!
  parts[largest] = Math.max(0, total - others)
  return parts
}

/** Non-negative finite weights; all ones when none is positive. */
function usableWeights(weights: readonly number[]): number[] {
  const w = weights.map(x => (Number.isFinite(x) && x > 0 ? x : 0))
  return w.some(x => x > 0) ? w : w.map(() => 1)
}
