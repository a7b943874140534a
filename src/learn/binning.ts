/** Quantile binning of numbers: edges learned on training values, bins looked up by binary search. */

/** Ascending cut points at the training quantiles (no edge at the minimum, none repeated). */
export function quantileEdges(values: number[], bins: number): number[] {
  if (values.length === 0) return []
  const sorted = Float64Array.from(values).sort()
  const edges: number[] = []
  for (let k = 1; k < bins; k++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins))]!
    // An edge equal to the minimum would leave bin 1 empty.
    if (v > sorted[0]! && (edges.length === 0 || v > edges[edges.length - 1]!)) edges.push(v)
  }
  return edges
}

/** Bin of `v` given ascending edges: 1 + number of edges <= v (binary search). */
export function binOf(edges: ArrayLike<number>, v: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((edges[mid] as number) <= v) lo = mid + 1
    else hi = mid
  }
  return lo + 1
}
