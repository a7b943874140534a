import {describe, expect, it} from 'vitest'
import {loadEstimator, engines} from '../../src/learn/engines.js'
import {knnReferences} from '../../src/learn/engine-knn.js'
import {
  assignFolds,
  makeDesign,
  Query,
  type Design,
  type EstimatorJson,
  type FitTask,
} from '../../src/learn/estimator.js'
import {minimize} from '../../src/learn/lbfgs.js'
import {Rng} from '../../src/learn/random.js'

/**
 * Rows of 3 numbers binned into 6 bins (column 0 drives success up, column 1
 * down) and 40 on/off "word" columns, a few of which mark a cluster of items
 * a model always fails: something logistic regression can weigh and nearest
 * neighbours can find.
 */
function synthetic(n: number, seed: number): {design: Design; y: Float64Array} {
  const rng = new Rng(seed)
  const cols = 3 + 40
  const bins = new Uint8Array(cols).fill(2)
  bins[0] = 7
  bins[1] = 7
  bins[2] = 7
  const rowMajor = new Uint8Array(n * cols)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const row = rowMajor.subarray(i * cols, (i + 1) * cols)
    for (let c = 0; c < 3; c++) row[c] = 1 + rng.int(6)
    const cluster = rng.next() < 0.2
    for (let w = 0; w < 40; w++) row[3 + w] = rng.next() < (cluster && w < 5 ? 0.9 : 0.1) ? 1 : 0
    const z = 0.8 * (row[0]! - 3.5) - 0.6 * (row[1]! - 3.5) + (cluster ? -3 : 0.5)
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0
  }
  return {design: makeDesign(rowMajor, n, bins), y}
}

function task(design: Design, y: Float64Array, rows: number[], extra: Partial<FitTask> = {}): FitTask {
  return {
    design,
    rows: Int32Array.from(rows),
    y: Float64Array.from(rows, r => y[r]!),
    folds: assignFolds(design.n, 5, 7),
    seed: 11,
    shared: new Map(),
    ...extra,
  }
}

/** Mean log-loss and Brier skill (against the training base rate) on held-out rows. */
function heldOut(json: EstimatorJson, fit: FitTask, test: {design: Design; y: Float64Array}) {
  const est = loadEstimator(JSON.parse(JSON.stringify(json)) as EstimatorJson, knnReferences(fit))
  const q = new Query(test.design.layout)
  let brier = 0
  let brierBase = 0
  for (let i = 0; i < test.design.n; i++) {
    q.set(test.design.rowMajor.subarray(i * test.design.cols, (i + 1) * test.design.cols))
    const p = est.predict(q)
    brier += (p - test.y[i]!) ** 2
    brierBase += (json.base - test.y[i]!) ** 2
  }
  return {skill: 1 - brier / brierBase}
}

/** Train and test rows share one design (the engines index rows of the training design). */
function split(n: number, seed: number) {
  const all = synthetic(n, seed)
  const trainRows = Array.from({length: Math.floor(n * 0.7)}, (_, i) => i)
  const cols = all.design.cols
  const testN = n - trainRows.length
  const test = {
    design: makeDesign(all.design.rowMajor.slice(trainRows.length * cols), testN, all.design.bins),
    y: all.y.slice(trainRows.length),
  }
  const train = makeDesign(all.design.rowMajor.slice(0, trainRows.length * cols), trainRows.length, all.design.bins)
  return {train: {design: train, y: all.y.slice(0, trainRows.length)}, test, trainRows}
}

describe('L-BFGS', () => {
  it('finds the minimum of a quadratic and of the Rosenbrock function', () => {
    const b = [1, -2, 3]
    const x = new Float64Array(3)
    minimize((v, g) => {
      let f = 0
      for (let i = 0; i < 3; i++) {
        f += (i + 1) * (v[i]! - b[i]!) ** 2
        g[i] = 2 * (i + 1) * (v[i]! - b[i]!)
      }
      return f
    }, x)
    for (let i = 0; i < 3; i++) expect(x[i]).toBeCloseTo(b[i]!, 5)
    const r = Float64Array.from([-1.2, 1])
    minimize(
      (v, g) => {
        const [a, c] = [v[0]!, v[1]!]
        g[0] = -2 * (1 - a) - 400 * a * (c - a * a)
        g[1] = 200 * (c - a * a)
        return (1 - a) ** 2 + 100 * (c - a * a) ** 2
      },
      r,
      {maxIterations: 2000, gradientTolerance: 1e-8, relativeTolerance: 0},
    )
    expect(r[0]).toBeCloseTo(1, 3)
    expect(r[1]).toBeCloseTo(1, 3)
  })
})

describe('engines (fit on rows, weights optional, seeded; JSON round trip)', () => {
  const {train, test, trainRows} = split(1400, 5)
  const all = engines({trees: 24})

  for (const name of ['logistic', 'knn', 'hist'] as const) {
    it(`${name} beats the base rate clearly on held-out rows, and predicts the same after a JSON round trip`, () => {
      const fit = task(train.design, train.y, trainRows)
      const json = all[name].fit(fit)
      expect(heldOut(json, fit, test).skill, name).toBeGreaterThan(0.15)
      expect(JSON.stringify(all[name].fit(task(train.design, train.y, trainRows)))).toBe(JSON.stringify(json))
    })
  }

  it('logistic regression chooses C by cross-validation and weighs rows: weight 0 is the row left out', () => {
    const rows = trainRows.filter(r => r % 3 !== 0)
    const without = all.logistic.fit(task(train.design, train.y, rows))
    const zero = all.logistic.fit(
      task(train.design, train.y, trainRows, {weights: Float64Array.from(trainRows, r => (r % 3 === 0 ? 0 : 1))}),
    )
    expect(zero.engine === 'logistic' && without.engine === 'logistic').toBe(true)
    if (zero.engine !== 'logistic' || without.engine !== 'logistic') return
    expect(zero.c).toBe(without.c)
    zero.weights.forEach((w, j) => {
      expect(w).toBeCloseTo(without.weights[j]!, 4)
    })
    const ones = all.logistic.fit(
      task(train.design, train.y, trainRows, {weights: new Float64Array(trainRows.length).fill(1)}),
    )
    expect(JSON.stringify(ones)).toBe(JSON.stringify(all.logistic.fit(task(train.design, train.y, trainRows))))
  })

  it('kNN chooses k by cross-validation; a row of weight 0 is no neighbour', () => {
    const json = all.knn.fit(task(train.design, train.y, trainRows))
    expect(json.engine).toBe('knn')
    if (json.engine !== 'knn') return
    expect([5, 10, 20, 40, 80, 160]).toContain(json.k)
    const zero = all.knn.fit(
      task(train.design, train.y, trainRows, {weights: Float64Array.from(trainRows, r => (r % 2 === 0 ? 0 : 1))}),
    )
    if (zero.engine !== 'knn') return
    zero.labels.forEach((label, r) => {
      if (r % 2 === 0) expect(label).toBe(-1)
    })
  })

  it('the mean estimator averages its parts; the constant says the base rate', () => {
    const fit = task(train.design, train.y, trainRows)
    const parts = [all.logistic.fit(fit), all.knn.fit(fit)]
    const refs = knnReferences(fit)
    const mean = loadEstimator({engine: 'mean', parts, base: parts[0]!.base}, refs)
    const a = loadEstimator(parts[0]!, refs)
    const b = loadEstimator(parts[1]!, refs)
    const q = new Query(test.design.layout).set(test.design.rowMajor.subarray(0, test.design.cols))
    expect(mean.predict(q)).toBeCloseTo((a.predict(q) + b.predict(q)) / 2, 12)
    expect(loadEstimator({engine: 'constant', base: 0.3}).predict(q)).toBe(0.3)
  })
})
