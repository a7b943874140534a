import {describe, expect, it} from 'vitest'
import {binomialCdf, riskUpperBound} from '../../src/learn/bounds.js'
import {
  assertCalibrationSize,
  chooseByQualityOrBudget,
  conformalIndex,
  minCalibrationSize,
  riskLimit,
} from '../../src/learn/calibrate.js'
import {Rng} from '../../src/learn/random.js'
import {isAcoError} from '../../src/errors.js'

describe('conformal risk control', () => {
  it('picks the cheapest grid point whose corrected risk is at most α (hand-computed case)', () => {
    // 19 items, 4 grid points (cheap → strong). Losses per grid point:
    // g0: items 0..5 fail (6/19), g1: items 0..2 (3/19), g2: item 0 (1/19), g3: none.
    // Bound(g) = 19/20 · risk + 1/20: g0 0.35, g1 0.2, g2 0.1, g3 0.05.
    const failing = [6, 3, 1, 0]
    const loss = (g: number, i: number): number => (i < failing[g]! ? 1 : 0)
    expect(conformalIndex(loss, 19, 4, 0.1)).toMatchObject({index: 2, n: 19})
    expect(conformalIndex(loss, 19, 4, 0.1).bound).toBeCloseTo(0.1, 12)
    expect(conformalIndex(loss, 19, 4, 0.2).index).toBe(1)
    expect(conformalIndex(loss, 19, 4, 0.05).index).toBe(3)
    expect(conformalIndex(loss, 19, 4, 0.35).index).toBe(0)
    expect(conformalIndex(loss, 19, 4, 0.34).index).toBe(1)
  })

  it("monotonises each item's loss from the strong end, so a non-monotone item cannot sneak under α", () => {
    // Item 0 fails only at g2 (a dearer model failing where a cheaper one succeeded).
    // Raw risk at g0 and g1 is 0, but the monotone loss is 1 at g0..g2.
    const loss = (g: number, i: number): number => (i === 0 && g === 2 ? 1 : 0)
    const r = conformalIndex(loss, 19, 4, 0.09)
    expect(r.index).toBe(3)
    expect(r.calibrationRisk).toBe(0)
    // With α = 0.1, g0 is fine: 19/20 · 1/19 + 1/20 = 0.1.
    expect(conformalIndex(loss, 19, 4, 0.1).index).toBe(0)
  })

  it('refuses a calibration split too small for α, saying what would do', () => {
    expect(minCalibrationSize(0.05)).toBe(19)
    expect(minCalibrationSize(0.1)).toBe(9)
    const loss = (): number => 0
    expect(() => conformalIndex(loss, 18, 3, 0.05)).toThrow(/needs at least 19/)
    try {
      conformalIndex(loss, 18, 3, 0.05)
    } catch (error) {
      expect(isAcoError(error) && error.code).toBe('too-small')
      expect(isAcoError(error) && error.hint).toMatch(/--alpha/)
    }
    expect(conformalIndex(loss, 19, 3, 0.05).index).toBe(0)
  })
})

describe('operating point by quality kept or by budget', () => {
  const points = [
    {threshold: 9, quality: 0.6, cost: 1},
    {threshold: 5, quality: 0.8, cost: 2},
    {threshold: 2, quality: 0.9, cost: 5},
    {threshold: 1, quality: 0.88, cost: 4},
    {threshold: 0, quality: 0.9, cost: 10},
  ]
  it('keep: the cheapest point at or above keep × best quality', () => {
    expect(chooseByQualityOrBudget(points, {kind: 'keep', keep: 1}, 0.9)).toEqual({index: 2, met: true})
    expect(chooseByQualityOrBudget(points, {kind: 'keep', keep: 0.95}, 0.9).index).toBe(3)
    const unmet = chooseByQualityOrBudget(points, {kind: 'keep', keep: 1}, 0.95)
    expect(unmet.met).toBe(false)
    expect(unmet.index).toBe(2)
  })
  it('max-cost: the best quality within the budget', () => {
    expect(chooseByQualityOrBudget(points, {kind: 'max-cost', maxCost: 4.5}, 0.9)).toEqual({index: 3, met: true})
    expect(chooseByQualityOrBudget(points, {kind: 'max-cost', maxCost: 0.5}, 0.9)).toMatchObject({index: 0, met: false})
  })
})

describe('the high-probability bound (Learn-then-Test)', () => {
  it('computes binomial tails exactly', () => {
    // P(Bin(10, 0.3) ≤ 2) = 0.3827827864.
    expect(binomialCdf(2, 10, 0.3)).toBeCloseTo(0.3827827864, 9)
    expect(binomialCdf(10, 10, 0.3)).toBe(1)
    expect(binomialCdf(-1, 10, 0.3)).toBe(0)
  })

  it('needs (1 − α)^n ≤ δ, and refuses with the α that would work', () => {
    const high = {guarantee: 'high' as const, delta: 0.1}
    expect(minCalibrationSize(0.05, high)).toBe(45)
    expect(() => assertCalibrationSize(44, 0.05, high)).toThrow(/needs at least 45.*\(1 − α\)\^n ≤ δ/)
    expect(() => assertCalibrationSize(45, 0.05, high)).not.toThrow()
  })

  it('accepts a policy whose true risk is α at most δ of the time, and its upper bound covers the risk', () => {
    const rng = new Rng(3)
    const n = 200
    const alpha = 0.1
    const limit = riskLimit(n, alpha, {guarantee: 'high', delta: 0.1}, true)
    let accepted = 0
    let missed = 0
    const draws = 2000
    for (let d = 0; d < draws; d++) {
      let k = 0
      for (let i = 0; i < n; i++) if (rng.next() < alpha) k++
      if (k / n <= limit) accepted++
      if (riskUpperBound(k / n, n, 0.1, true) < alpha) missed++
    }
    expect(accepted / draws).toBeLessThanOrEqual(0.1 + 0.02)
    expect(missed / draws).toBeLessThanOrEqual(0.1 + 0.02)
    // The marginal limit is far looser: a split at the true risk passes about half the time.
    expect(riskLimit(n, alpha, {guarantee: 'marginal', delta: 0.1}, true)).toBeGreaterThan(limit + 0.02)
  })

  it('walks from the strong end and stops at the first threshold whose risk is not shown below α', () => {
    // 100 items, 5 grid points: the loss at point g is 1 on the first (4 − g) × 6 items.
    const loss = (g: number, i: number): number => (i < (4 - g) * 6 ? 1 : 0)
    const high = conformalIndex(loss, 100, 5, 0.2, {guarantee: 'high', delta: 0.1})
    const marginal = conformalIndex(loss, 100, 5, 0.2)
    expect(marginal.index).toBe(1) // risk 0.18: (100·0.18 + 1)/101 ≤ 0.2
    expect(high.index).toBe(2) // risk 0.12 is shown below 0.2 at δ = 0.1; 0.18 is not
    expect(high.guarantee).toBe('high')
    expect(high.bound).toBeGreaterThan(high.calibrationRisk)
    expect(high.bound).toBeLessThanOrEqual(0.2)
  })
})
