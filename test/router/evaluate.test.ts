import {describe, expect, it} from 'vitest'
import {
  apgr,
  cascade,
  costFor,
  marginOverMix,
  mixHull,
  oracle,
  paretoFrontier,
  qualityAt,
  scoreChoices,
  type OutcomeMatrix,
} from '../../src/learn/evaluate.js'
import {decide, thresholdGrid} from '../../src/learn/policy.js'

const cheap = {cost: 0, quality: 0.5}
const best = {cost: 1, quality: 1}

describe('APGR', () => {
  it('is 0.5 for the random mix (the straight line) and 1 for an immediate jump', () => {
    expect(apgr([cheap, best], cheap, best)).toBeCloseTo(0.5, 12)
    expect(apgr([cheap, {cost: 0, quality: 1}, best].slice(1), cheap, best)).toBeCloseTo(1, 12)
  })

  it('integrates a hand-made curve piecewise linearly', () => {
    // PGR rises 0 → 0.8 over x in [0, 0.2], then 0.8 → 1 over [0.2, 1]:
    // area = 0.2 · 0.4 + 0.8 · 0.9 = 0.8.
    const curve = [cheap, {cost: 0.2, quality: 0.9}, best]
    expect(apgr(curve, cheap, best)).toBeCloseTo(0.8, 12)
    // Dominated points do not count once the frontier is taken.
    const withNoise = paretoFrontier([...curve, {cost: 0.5, quality: 0.7}, {cost: 0.9, quality: 0.9}])
    expect(apgr(withNoise, cheap, best)).toBeCloseTo(0.8, 12)
  })

  it('keeps the dips of a curve scored at thresholds fixed beforehand (no envelope taken on test)', () => {
    // Up to 0.9 at cost 0.2, down to 0.8 at 0.6, then the best model: the dip costs area.
    const curve = [cheap, {cost: 0.2, quality: 0.9}, {cost: 0.6, quality: 0.8}, best]
    // PGR: 0 → 0.8 over [0, 0.2] (0.08), 0.8 → 0.6 over [0.2, 0.6] (0.28), 0.6 → 1 over [0.6, 1] (0.32).
    expect(apgr(curve, cheap, best)).toBeCloseTo(0.68, 12)
    expect(apgr(paretoFrontier(curve), cheap, best)).toBeCloseTo(0.8, 12)
  })

  it('lets a frontier that tops the best model count PGR above 1, and holds quality flat past its last point', () => {
    const curve = [cheap, {cost: 0.5, quality: 1.1}]
    // PGR 0 → 1.2 over [0, 0.5] (area 0.3), then 1.2 flat (area 0.6).
    expect(apgr(curve, cheap, best)).toBeCloseTo(0.9, 12)
  })
})

describe('frontier reading', () => {
  const front = [cheap, {cost: 0.2, quality: 0.9}, best]
  it('interpolates quality at a cost and cost for a quality', () => {
    expect(qualityAt(front, 0.1)).toBeCloseTo(0.7, 12)
    expect(qualityAt(front, 0.6)).toBeCloseTo(0.95, 12)
    expect(qualityAt(front, 2)).toBe(1)
    expect(qualityAt(front, -1)).toBeUndefined()
    expect(costFor(front, 0.95)).toBeCloseTo(0.6, 12)
    expect(costFor(front, 1.01)).toBeUndefined()
  })
  it('measures the lead over the random mix and catches a dip below it', () => {
    expect(marginOverMix(front, cheap, best)!.min).toBeCloseTo(0.3, 12)
    const dip = [cheap, {cost: 0.5, quality: 0.7}, best]
    expect(marginOverMix(dip, cheap, best)!.min).toBeCloseTo(-0.05, 12)
    const short = [cheap, {cost: 0.3, quality: 0.9}]
    expect(marginOverMix(short, cheap, best)!.min).toBeCloseTo(-0.1, 12)
  })
  it('mixHull keeps the upper concave hull', () => {
    const pts = [cheap, {cost: 0.5, quality: 0.7}, {cost: 0.2, quality: 0.9}, best]
    expect(mixHull(pts)).toEqual([cheap, {cost: 0.2, quality: 0.9}, best])
  })
})

describe('baselines on an outcome matrix', () => {
  // 3 items × models [cheap, strong]: cheap succeeds on item 0, strong on 0 and 1.
  const m: OutcomeMatrix = {
    items: ['a', 'b', 'c'],
    models: ['cheap', 'strong'],
    success: Float64Array.from([1, 1, 0, 1, 0, 0]),
    cost: Float64Array.from([1, 10, 1, 10, 1, 10]),
  }
  it('scores choices, the oracle and a cascade exactly', () => {
    expect(scoreChoices(m, [0, 1, 0])).toEqual({quality: 2 / 3, cost: 4})
    expect(oracle(m)).toEqual({quality: 2 / 3, cost: 4})
    // cheap on all (3), strong on b and c (20): cost 23/3, quality 2/3.
    expect(cascade(m, 0, 1)).toEqual({quality: 2 / 3, cost: 23 / 3})
  })
})

describe('routing rules', () => {
  const rel = [0.1, 0.5, 1]
  it('utility: max P − λ·cost, ties to the cheaper; λ large → cheapest, very negative → strongest', () => {
    expect(decide('utility', 0, [0.5, 0.9, 0.8], rel)).toBe(1)
    expect(decide('utility', 1e9, [0.5, 0.9, 0.99], rel)).toBe(0)
    expect(decide('utility', -1e9, [0.9, 0.9, 0.1], rel)).toBe(2)
    expect(decide('utility', 0, [0.9, 0.9, 0.9], rel)).toBe(0)
    expect(decide('utility', 0, [0.5, 0.9, 0.8], rel, [true, false, true])).toBe(2)
  })
  it('cheapest: first candidate clearing τ, else the strongest available', () => {
    expect(decide('cheapest', 0.7, [0.5, 0.75, 0.9], rel)).toBe(1)
    expect(decide('cheapest', 0.95, [0.5, 0.75, 0.9], rel)).toBe(2)
    expect(decide('cheapest', 0.95, [0.5, 0.75, 0.9], rel, [true, true, false])).toBe(1)
  })
  it('grids run from all-cheapest to all-strongest, with no point on a tie', () => {
    const p = Float64Array.from([0.5, 0.6, 0.9, 0.2, 0.9, 0.95])
    const grid = thresholdGrid('utility', p, 3, rel, 50)
    expect(grid[0]).toBe(1e9)
    expect(grid[grid.length - 1]).toBe(-1e9)
    for (let i = 1; i < grid.length; i++) expect(grid[i]!).toBeLessThan(grid[i - 1]!)
    // Breakpoints of item 0: (0.6−0.5)/0.4 = 0.25, (0.9−0.5)/0.9, (0.9−0.6)/0.5 = 0.6: none on the grid.
    for (const b of [0.25, 0.4 / 0.9, 0.6]) expect(grid).not.toContain(b)
    const cheapestGrid = thresholdGrid('cheapest', p, 3, rel, 4)
    expect(cheapestGrid[0]).toBe(0)
    expect(cheapestGrid.length).toBe(4)
  })
})
