import {describe, expect, it} from 'vitest'
import {compileForest, predictForest, predictMatrix, trainForest, type BinnedMatrix} from '../../src/learn/forest.js'
import {trainMljsForest} from '../../src/learn/mljs-forest.js'
import {Rng} from '../../src/learn/random.js'

/**
 * Synthetic rows: success depends on column 0 (P = 0.15 when bin < 4, 0.85
 * otherwise) and, more weakly, on column 1; columns 2.. are noise.
 */
function synthetic(n: number, cols: number, seed: number): {x: BinnedMatrix; y: number[]; truth: number[]} {
  const rng = new Rng(seed)
  const data = new Uint8Array(n * cols)
  const y: number[] = []
  const truth: number[] = []
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < cols; c++) data[c * n + r] = c < 2 ? rng.int(8) : rng.int(2)
    const p = (data[r]! < 4 ? 0.15 : 0.85) + (data[n + r]! >= 6 ? 0.1 : 0) - 0.05
    truth.push(p)
    y.push(rng.next() < p ? 1 : 0)
  }
  return {x: {rows: n, cols, data, bins: Array.from({length: cols}, (_, c) => (c < 2 ? 8 : 2))}, y, truth}
}

function brier(p: ArrayLike<number>, y: number[]): number {
  let s = 0
  for (let i = 0; i < y.length; i++) s += ((p[i] as number) - y[i]!) ** 2
  return s / y.length
}

describe('histogram random forest', () => {
  const train = synthetic(1500, 20, 1)
  const test = synthetic(1000, 20, 2)

  it('learns P(success) well enough to beat the base rate clearly on held-out rows, with soft estimates', () => {
    const forest = compileForest(trainForest(train.x, train.y, {trees: 32, seed: 5}))
    const p = predictMatrix(forest, test.x)
    const base = train.y.reduce((a, b) => a + b, 0) / train.y.length
    const baseBrier = brier(new Float64Array(test.y.length).fill(base), test.y)
    // The true probabilities reach Brier ≈ 0.15 here; the base rate ≈ 0.25.
    expect(brier(p, test.y)).toBeLessThan(0.17)
    expect(brier(p, test.y)).toBeLessThan(baseBrier - 0.07)
    // Soft, not votes: estimates spread over many values strictly inside (0, 1).
    const distinct = new Set(Array.from(p, v => v.toFixed(3)))
    expect(distinct.size).toBeGreaterThan(50)
    expect(Math.min(...p)).toBeGreaterThan(0)
    expect(Math.max(...p)).toBeLessThan(1)
  })

  it('is deterministic for a seed and differs across seeds', () => {
    const a = trainForest(train.x, train.y, {trees: 4, seed: 9})
    const b = trainForest(train.x, train.y, {trees: 4, seed: 9})
    const c = trainForest(train.x, train.y, {trees: 4, seed: 10})
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c))
  })

  it('smooths small leaves toward the base rate', () => {
    const tiny: BinnedMatrix = {rows: 4, cols: 1, data: Uint8Array.from([0, 0, 1, 1]), bins: [2]}
    const forest = compileForest(trainForest(tiny, [0, 0, 1, 1], {trees: 1, minLeaf: 1, smoothing: 2, seed: 1}))
    const p1 = predictForest(forest, Uint8Array.from([1]))
    expect(p1).toBeGreaterThan(0.5)
    expect(p1).toBeLessThan(1)
  })
})

describe('ml-random-forest adapter', () => {
  it('trains with ml-random-forest and, converted to soft leaves, also beats the base rate', () => {
    const small = synthetic(300, 6, 3)
    const held = synthetic(500, 6, 4)
    const forest = compileForest(
      trainMljsForest(small.x, small.y, {trees: 8, maxDepth: 6, minLeaf: 5, mtry: 0.99, smoothing: 4, seed: 3}),
    )
    const p = predictMatrix(forest, held.x)
    const base = small.y.reduce((a, b) => a + b, 0) / small.y.length
    expect(brier(p, held.y)).toBeLessThan(brier(new Float64Array(held.y.length).fill(base), held.y) - 0.05)
    expect(new Set(Array.from(p, v => v.toFixed(3))).size).toBeGreaterThan(5)
  })
})
