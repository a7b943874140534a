/**
 * Intervals for figures measured on a finite test split: the percentile
 * bootstrap over items (items drawn with replacement, every figure of a draw
 * computed on the same draw, so differences between policies stay paired),
 * and the normal interval of a paired mean difference for "shown better".
 */
import {Rng} from './random.js'

/** A figure and its 95% interval. */
export interface Interval {
  value: number
  low: number
  high: number
}

export interface BootstrapOptions {
  resamples: number
  seed: number
}

/**
 * Bootstraps a vector of statistics: `statistic(null)` is the figure on the
 * items as they are; `statistic(w)` the same with item i counted `w[i]` times.
 * Returns the figures with their 2.5% and 97.5% percentiles (NaN draws left out).
 */
export function bootstrap(
  n: number,
  statistic: (weights: Float64Array | null) => number[],
  options: BootstrapOptions,
): Interval[] {
  const values = statistic(null)
  const draws = values.map(() => [] as number[])
  const rng = new Rng(options.seed)
  const w = new Float64Array(n)
  for (let b = 0; b < options.resamples; b++) {
    w.fill(0)
    for (let i = 0; i < n; i++) w[rng.int(n)]! += 1
    statistic(w).forEach((v, k) => {
      if (Number.isFinite(v)) draws[k]!.push(v)
    })
  }
  return values.map((value, k) => {
    const d = draws[k]!.sort((a, b) => a - b)
    // (A figure not defined on the items as they are has no interval either: trial 99 read an APGR of null "from
    // −1.04 to 0.75", the draws where it happened to be defined.)
    if (d.length === 0 || !Number.isFinite(value)) return {value, low: value, high: value}
    const at = (q: number): number => d[Math.min(d.length - 1, Math.max(0, Math.floor(q * d.length)))]!
    return {value, low: at(0.025), high: at(0.975)}
  })
}

/** Mean of a − b over paired items and its 95% normal interval. */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): Interval {
  const n = a.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += (a[i] as number) - (b[i] as number)
  mean /= Math.max(1, n)
  if (n < 2) return {value: mean, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY}
  let v = 0
  for (let i = 0; i < n; i++) v += ((a[i] as number) - (b[i] as number) - mean) ** 2
  const half = 1.96 * Math.sqrt(v / (n - 1) / n)
  return {value: mean, low: mean - half, high: mean + half}
}
