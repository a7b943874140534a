/**
 * Limited-memory BFGS for smooth convex objectives (here: regularised
 * logistic regression), with a backtracking Armijo line search. Small, tested
 * code of aco's own: the JavaScript optimisers on npm are either unmaintained
 * or pull in a linear-algebra stack this one problem does not need.
 */

export interface LbfgsOptions {
  /** Pairs of (step, gradient change) remembered. */
  memory: number
  maxIterations: number
  /** Stop when the largest gradient component is below this. */
  gradientTolerance: number
  /** Stop when an iteration lowers the objective by less than this share of it. */
  relativeTolerance: number
}

const defaults: LbfgsOptions = {memory: 8, maxIterations: 300, gradientTolerance: 1e-6, relativeTolerance: 1e-10}

/**
 * Minimises `f` from `x` (changed in place to the minimum). `f(x, g)` returns
 * the objective at x and writes its gradient into g.
 */
export function minimize(
  f: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  options: Partial<LbfgsOptions> = {},
): {value: number; iterations: number} {
  const opts = {...defaults, ...options}
  const d = x.length
  const m = opts.memory
  const s = Array.from({length: m}, () => new Float64Array(d))
  const yv = Array.from({length: m}, () => new Float64Array(d))
  const rho = new Float64Array(m)
  const alpha = new Float64Array(m)
  const g = new Float64Array(d)
  const gNew = new Float64Array(d)
  const dir = new Float64Array(d)
  const xNew = new Float64Array(d)
  let value = f(x, g)
  let stored = 0
  let head = 0
  let iterations = 0
  for (; iterations < opts.maxIterations; iterations++) {
    if (maxAbs(g) < opts.gradientTolerance) break
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < d; i++) dir[i] = -g[i]!
    for (let j = 0; j < stored; j++) {
      const k = (head - 1 - j + m) % m
      alpha[k] = rho[k]! * dot(s[k]!, dir)
      axpy(-alpha[k]!, yv[k]!, dir)
    }
    if (stored > 0) {
      const k = (head - 1 + m) % m
      const gamma = dot(s[k]!, yv[k]!) / dot(yv[k]!, yv[k]!)
      for (let i = 0; i < d; i++) dir[i]! *= gamma
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(dot(g, g)))
      for (let i = 0; i < d; i++) dir[i]! *= scale
    }
    for (let j = stored - 1; j >= 0; j--) {
      const k = (head - 1 - j + m) % m
      const beta = rho[k]! * dot(yv[k]!, dir)
      axpy(alpha[k]! - beta, s[k]!, dir)
    }
    let slope = dot(g, dir)
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      stored = 0
      for (let i = 0; i < d; i++) dir[i] = -g[i]!
      slope = dot(g, dir)
    }
    let step = 1
    let next = Number.POSITIVE_INFINITY
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < d; i++) xNew[i] = x[i]! + step * dir[i]!
      next = f(xNew, gNew)
      if (next <= value + 1e-4 * step * slope) break
      step *= 0.5
    }
    if (!(next <= value)) break
    const k = head
    for (let i = 0; i < d; i++) {
      s[k]![i] = xNew[i]! - x[i]!
      yv[k]![i] = gNew[i]! - g[i]!
    }
    const sy = dot(s[k]!, yv[k]!)
    const improvement = value - next
    x.set(xNew)
    g.set(gNew)
    const previous = value
    value = next
    if (sy > 1e-12) {
      rho[k] = 1 / sy
      head = (head + 1) % m
      stored = Math.min(m, stored + 1)
    }
    if (improvement <= opts.relativeTolerance * Math.max(1, Math.abs(previous))) {
      iterations++
      break
    }
  }
  return {value, iterations}
}

function dot(a: Float64Array, b: Float64Array): number {
  let v = 0
  for (let i = 0; i < a.length; i++) v += a[i]! * b[i]!
  return v
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!
}

function maxAbs(a: Float64Array): number {
  let v = 0
  for (let i = 0; i < a.length; i++) v = Math.max(v, Math.abs(a[i]!))
  return v
}
