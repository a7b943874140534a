/** The cascade's rule, its path of thresholds and its conformal loss, on constructed items. */
import {describe, expect, it} from 'vitest'
import {conformalIndex} from '../../src/learn/calibrate.js'
import {enumerateChains} from '../../src/learn/cascade/chain.js'
import {
  ALWAYS,
  cascadeLoss,
  cascadePoint,
  freeConfidence,
  gateThresholds,
  keptStep,
  NEVER,
  stepShares,
  thresholdPath,
  type ChainEstimates,
} from '../../src/learn/cascade/policy.js'
import type {OutcomeMatrix} from '../../src/learn/evaluate.js'

// Three models (columns cheap, mid, strong); four items.
const m: OutcomeMatrix = {
  items: ['a', 'b', 'c', 'd'],
  models: ['cheap', 'mid', 'strong'],
  // success per item: cheap, mid, strong
  success: Float64Array.from([1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0]),
  cost: Float64Array.from([1, 10, 100, 1, 10, 100, 1, 10, 100, 1, 10, 100]),
}
// Confidence of gate 0 (cheap) and gate 1 (mid) per item.
const est: ChainEstimates = {cols: [0, 1, 2], p: Float64Array.from([0.9, 0.9, 0.3, 0.8, 0.2, 0.2, 0.6, 0.1])}

describe('the cascade rule', () => {
  it('keeps the first answer whose confidence clears its step’s threshold, else runs on', () => {
    expect([0, 1, 2, 3].map(i => keptStep(est, i, [0.5, 0.5]))).toEqual([0, 1, 2, 0])
    expect([0, 1, 2, 3].map(i => keptStep(est, i, [ALWAYS, NEVER]))).toEqual([0, 0, 0, 0])
    expect([0, 1, 2, 3].map(i => keptStep(est, i, [NEVER, NEVER]))).toEqual([2, 2, 2, 2])
  })

  it('pays for every model it ran', () => {
    // Items a (cheap: 1), b (cheap+mid: 11), c (all: 111), d (cheap: 1); kept answers 1, 1, 1, 0.
    expect(cascadePoint(m, est, [0.5, 0.5])).toEqual({quality: 0.75, cost: 124 / 4})
    expect(stepShares(est, 4, [0.5, 0.5])).toEqual([0.5, 0.25, 0.25])
    // Weighted (a bootstrap draw counting item a twice and leaving d out).
    expect(cascadePoint(m, est, [0.5, 0.5], [2, 1, 1, 0])).toEqual({quality: 1, cost: 124 / 4})
  })

  it('counts a loss where the kept answer fails and the strongest model succeeds', () => {
    expect([0, 1, 2, 3].map(i => cascadeLoss(m, est, 2, i, [ALWAYS, ALWAYS]))).toEqual([0, 1, 1, 0])
    expect([0, 1, 2, 3].map(i => cascadeLoss(m, est, 2, i, [NEVER, NEVER]))).toEqual([0, 0, 0, 0])
  })

  it('has a path from keeping every first answer to running the whole chain, Pareto-efficient in between', () => {
    const path = thresholdPath(m, est, 10, 50)
    expect(path[0]).toEqual([ALWAYS, ALWAYS])
    expect(path[path.length - 1]).toEqual([NEVER, NEVER])
    const points = path.map(t => cascadePoint(m, est, t))
    for (let k = 1; k < points.length - 1; k++) {
      expect(points[k]!.cost).toBeGreaterThanOrEqual(points[k - 1]!.cost)
      expect(points[k]!.quality).toBeGreaterThan(points[k - 1]!.quality)
    }
    expect(gateThresholds(est.p, 2, 0, 10)).toEqual([ALWAYS, 0.25, 0.45, 0.75, NEVER])
  })

  it('calibrates a level by conformal risk control: the finite-sample bound stays ≤ α', () => {
    const path = thresholdPath(m, est, 10, 50)
    const r = conformalIndex((g, i) => cascadeLoss(m, est, 2, i, path[g]!), 4, path.length, 0.25)
    expect(r.bound).toBeLessThanOrEqual(0.25)
    // With 4 items the bound n/(n+1)·risk + 1/(n+1) ≤ 0.25 needs zero risk.
    expect(r.calibrationRisk).toBe(0)
  })

  it('chains end with the strongest model, at most three steps', () => {
    expect(enumerateChains([0, 1], 2, 3)).toEqual([
      [0, 2],
      [1, 2],
      [0, 1, 2],
      [1, 0, 2],
    ])
    expect(enumerateChains([0, 1], 2, 2)).toHaveLength(2)
  })

  it('training-free confidence: 1 − uncertainty when reported, else agreement with the earlier answers', () => {
    expect(freeConfidence(0, true, 0.2, 0)).toBe(0.8)
    expect(freeConfidence(0, false, undefined, 0)).toBe(-1)
    expect(freeConfidence(2, false, undefined, 1)).toBe(0.5)
  })
})
