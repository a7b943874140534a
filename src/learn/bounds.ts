/**
 * Upper confidence bounds on a risk measured on n calibration items, for
 * Learn-then-Test (Angelopoulos et al., 2021): a threshold is accepted when
 * the p-value of "its risk exceeds α" is at most δ. Losses of 0 or 1 get the
 * exact binomial tail; losses in [0, 1] the Hoeffding–Bentkus p-value.
 */

/** P(Binomial(n, p) ≤ k), summed in log space (terms built one from the last). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  if (p <= 0) return 1
  if (p >= 1) return 0
  const lp = Math.log(p)
  const lq = Math.log1p(-p)
  const terms = new Float64Array(k + 1)
  let t = n * lq
  let max = t
  terms[0] = t
  for (let i = 1; i <= k; i++) {
    t += Math.log((n - i + 1) / i) + lp - lq
    terms[i] = t
    if (t > max) max = t
  }
  let sum = 0
  for (let i = 0; i <= k; i++) sum += Math.exp(terms[i]! - max)
  return Math.min(1, Math.exp(max) * sum)
}

/** Kullback–Leibler divergence of Bernoulli(a) from Bernoulli(b). */
function klBernoulli(a: number, b: number): number {
  const t1 = a > 0 ? a * Math.log(a / b) : 0
  const t2 = a < 1 ? (1 - a) * Math.log((1 - a) / (1 - b)) : 0
  return t1 + t2
}

/**
 * p-value of the hypothesis "risk > α" given a mean loss `risk` on n items.
 * Binary losses: P(Binomial(n, α) ≤ n·risk). Bounded losses: Hoeffding–Bentkus,
 * min(exp(−n·KL(min(risk, α) ‖ α)), e·P(Binomial(n, α) ≤ ⌈n·risk⌉)).
 */
export function riskPValue(risk: number, n: number, alpha: number, binary: boolean): number {
  if (binary) return binomialCdf(Math.round(risk * n), n, alpha)
  const hoeffding = Math.exp(-n * klBernoulli(Math.min(risk, alpha), alpha))
  const bentkus = Math.E * binomialCdf(Math.ceil(risk * n - 1e-9), n, alpha)
  return Math.min(1, hoeffding, bentkus)
}

/** The largest mean loss on n items whose p-value is at most δ (−1 when even 0 is not). */
export function riskLimitHigh(n: number, alpha: number, delta: number, binary: boolean): number {
  if (riskPValue(0, n, alpha, binary) > delta) return -1
  if (binary) {
    let k = 0
    while (k + 1 <= n && riskPValue((k + 1) / n, n, alpha, true) <= delta) k++
    return k / n
  }
  let lo = 0
  let hi = alpha
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2
    if (riskPValue(mid, n, alpha, false) <= delta) lo = mid
    else hi = mid
  }
  return lo
}

/** The (1 − δ) upper confidence bound of a risk measured as `risk` on n items. */
export function riskUpperBound(risk: number, n: number, delta: number, binary: boolean): number {
  let lo = risk
  let hi = 1
  if (riskPValue(risk, n, hi, binary) > delta) return 1
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (riskPValue(risk, n, mid, binary) <= delta) hi = mid
    else lo = mid
  }
  return hi
}
