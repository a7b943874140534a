/**
 * L2-regularised logistic regression on the one-hot view of a design (binned
 * numbers, categories, text statistics, hashed words and bigrams), fitted by
 * L-BFGS. C, the inverse strength of the penalty, is chosen by 5-fold
 * cross-validated log-loss on the training rows (on a seeded sample of at
 * most 2,000 of them: C moves in factors of three, which a sample tells as
 * well as every row at a fraction of the time), with warm starts along the
 * grid from the strongest penalty to the weakest. No library: the JavaScript
 * logistic regressions on npm are unregularised or unmaintained, and this is
 * ~100 lines over lbfgs.ts.
 */
import {baseRate, type Engine, type Estimator, type FitTask, type LogisticJson, type Query} from './estimator.js'
import {minimize} from './lbfgs.js'
import {Rng} from './random.js'
import type {SparseRows} from './sparse.js'

/** The C tried by cross-validation (as in scikit-learn: the loss is summed, the penalty is ‖w‖²/2C). */
const logisticGrid = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]

const folds = 5

/** Rows the cross-validation looks at, at most. */
const cvRows = 2000

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
}

/**
 * Fits weights (`x[0..dims)`, bias at `x[dims]`) on the given rows of `sp`,
 * starting from `x` (a warm start). The objective is scaled by the total
 * weight so that tolerances mean the same at any size.
 */
function fitWeights(
  sp: SparseRows,
  rows: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number> | undefined,
  c: number,
  x: Float64Array,
): void {
  const dims = sp.dims
  let total = 0
  for (let i = 0; i < rows.length; i++) total += w ? (w[i] as number) : 1
  const scale = 1 / Math.max(total, 1e-12)
  const penalty = 1 / (c * Math.max(total, 1e-12))
  const {start, index} = sp
  minimize(
    (beta, g) => {
      g.fill(0)
      let loss = 0
      const bias = beta[dims]!
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as number
        let z = bias
        for (let k = start[r]!; k < start[r + 1]!; k++) z += beta[index[k]!]!
        const wi = w ? (w[i] as number) : 1
        const yi = y[i] as number
        loss += wi * (softplus(z) - yi * z)
        const d = wi * (sigmoid(z) - yi) * scale
        for (let k = start[r]!; k < start[r + 1]!; k++) g[index[k]!]! += d
        g[dims]! += d
      }
      let reg = 0
      for (let j = 0; j < dims; j++) {
        reg += beta[j]! * beta[j]!
        g[j]! += penalty * beta[j]!
      }
      return loss * scale + 0.5 * penalty * reg
    },
    x,
    {gradientTolerance: 1e-5, relativeTolerance: 1e-8, maxIterations: 400},
  )
}

function initial(dims: number, base: number): Float64Array {
  const x = new Float64Array(dims + 1)
  const p = Math.min(1 - 1e-4, Math.max(1e-4, base))
  x[dims] = Math.log(p / (1 - p))
  return x
}

function predictRow(sp: SparseRows, r: number, x: Float64Array): number {
  let z = x[sp.dims]!
  for (let k = sp.start[r]!; k < sp.start[r + 1]!; k++) z += x[sp.index[k]!]!
  return sigmoid(z)
}

function logLoss(p: number, y: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p))
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q))
}

/**
 * C by 5-fold cross-validated log-loss, walking the grid from the strongest
 * penalty with one warm start per fold, and stopping once the loss has risen
 * twice in a row (weak penalties take the most iterations and rarely win on
 * weak features). Ties go to the stronger penalty.
 */
function chooseC(task: FitTask, base: number): number {
  const sp = task.design.sparse
  const parts = Array.from({length: folds}, () => ({
    inRows: [] as number[],
    inY: [] as number[],
    inW: [] as number[],
    outRows: [] as number[],
    outY: [] as number[],
    outW: [] as number[],
  }))
  const sample = new Set<number>(
    task.rows.length <= cvRows
      ? task.rows.keys()
      : new Rng(task.seed ^ 0x2545f491).shuffle(Array.from(task.rows.keys())).slice(0, cvRows),
  )
  task.rows.forEach((r, i) => {
    if (!sample.has(i)) return
    const part = parts[task.folds[r]! % folds]!
    const wi = task.weights ? task.weights[i]! : 1
    for (const other of parts) {
      if (other === part) {
        other.outRows.push(r)
        other.outY.push(task.y[i]!)
        other.outW.push(wi)
      } else {
        other.inRows.push(r)
        other.inY.push(task.y[i]!)
        other.inW.push(wi)
      }
    }
  })
  const usable = parts.filter(p => p.inRows.length > 0 && p.outRows.length > 0)
  const warm = usable.map(() => initial(sp.dims, base))
  let best = 0
  let bestLoss = Number.POSITIVE_INFINITY
  let previous = Number.POSITIVE_INFINITY
  let rises = 0
  for (let g = 0; g < logisticGrid.length; g++) {
    let loss = 0
    usable.forEach((part, f) => {
      const x = warm[f]!
      fitWeights(sp, part.inRows, part.inY, task.weights ? part.inW : undefined, logisticGrid[g]!, x)
      for (let i = 0; i < part.outRows.length; i++)
        loss += part.outW[i]! * logLoss(predictRow(sp, part.outRows[i]!, x), part.outY[i]!)
    })
    if (loss < bestLoss - 1e-12) {
      bestLoss = loss
      best = g
    }
    rises = loss > previous ? rises + 1 : 0
    previous = loss
    if (rises >= 2) break
  }
  return logisticGrid[best]!
}

export const logisticEngine: Engine = {
  name: 'logistic',
  fit(task: FitTask): LogisticJson {
    const base = baseRate(task.y, task.weights)
    const c = chooseC(task, base)
    const x = initial(task.design.sparse.dims, base)
    fitWeights(task.design.sparse, task.rows, task.y, task.weights, c, x)
    const dims = task.design.sparse.dims
    return {
      engine: 'logistic',
      c,
      bias: round7(x[dims]!),
      weights: Array.from(x.subarray(0, dims), round7),
      base: Math.round(base * 1e6) / 1e6,
    }
  },
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7
}

/** A saved logistic regression, ready to predict. */
export function loadLogistic(json: LogisticJson): Estimator {
  const weights = Float64Array.from(json.weights)
  const bias = json.bias
  return {
    json,
    predict(q: Query): number {
      let z = bias
      for (let k = 0; k < q.count; k++) z += weights[q.active[k]!]!
      return sigmoid(z)
    },
  }
}
