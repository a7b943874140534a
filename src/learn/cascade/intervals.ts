/**
 * Bootstrap intervals over test items for the cascade's figures: items drawn
 * with replacement, every figure of a draw computed on the same draw, so
 * differences between policies stay paired.
 */
import {Rng} from '../random.js'
import type {Figure} from './result.js'

/** `statistic(null)` on the items as they are; `statistic(w)` with item i counted w[i] times. 2.5% and 97.5% percentiles. */
export function bootstrapFigures(
  n: number,
  statistic: (weights: Float64Array | null) => number[],
  resamples: number,
  seed: number,
): Figure[] {
  const values = statistic(null)
  const draws = values.map(() => [] as number[])
  const rng = new Rng(seed)
  const w = new Float64Array(n)
  for (let b = 0; b < resamples; b++) {
    w.fill(0)
    for (let i = 0; i < n; i++) w[rng.int(n)]! += 1
    statistic(w).forEach((v, k) => {
      if (Number.isFinite(v)) draws[k]!.push(v)
    })
  }
  return values.map((value, k) => {
    const d = draws[k]!.sort((a, b) => a - b)
    if (d.length === 0) return {value, low: value, high: value}
    const at = (q: number): number => d[Math.min(d.length - 1, Math.max(0, Math.floor(q * d.length)))]!
    return {value, low: at(0.025), high: at(0.975)}
  })
}
