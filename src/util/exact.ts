/**
 * Exact sums of dollars. Costs are summed as whole nano-dollars (1e-9 USD):
 * integer sums do not depend on the order of their terms (below 2^53 nano-
 * dollars, about nine million dollars), so a run split in shards and merged
 * gives the same figures, to the byte, as one run; and every grouping of the
 * steps (by day, by model) sums exactly to the totals. A printed sum turns
 * back into the same integer (`toNano(fromNano(n)) === n`), which is what
 * lets `aco merge` add the figures of `--json` results.
 */

/** Dollars as whole nano-dollars. */
export function toNano(usd: number): number {
  return Math.round(usd * 1e9)
}

/** Whole nano-dollars as dollars. */
export function fromNano(nano: number): number {
  return nano / 1e9
}
