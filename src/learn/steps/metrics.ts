/**
 * How well estimates predict labels: the area under the ROC curve, the Brier
 * score against the base rate's, and a reliability table (predicted against
 * observed, in ten bins), all with row weights (a label's strength). Pure.
 */

/** Weighted AUC of `score` for 0/1 labels `y` (ties count half); NaN with one class. */
export function weightedAuc(score: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>): number {
  const n = score.length
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => (score[a] as number) - (score[b] as number))
  let negBelow = 0
  let pos = 0
  let neg = 0
  let area = 0
  for (let i = 0; i < n; ) {
    let j = i
    let tiePos = 0
    let tieNeg = 0
    while (j < n && score[order[j]!] === score[order[i]!]) {
      const r = order[j]!
      const wi = w ? (w[r] as number) : 1
      if ((y[r] as number) > 0.5) tiePos += wi
      else tieNeg += wi
      j++
    }
    area += tiePos * (negBelow + tieNeg / 2)
    negBelow += tieNeg
    pos += tiePos
    neg += tieNeg
    i = j
  }
  return pos > 0 && neg > 0 ? area / (pos * neg) : Number.NaN
}

interface ReliabilityBin {
  from: number
  to: number
  /** Rows in the bin (unweighted), and their weight. */
  count: number
  weight: number
  predicted: number
  observed: number
}

export interface Calibration {
  rows: number
  /** Weighted mean of the labels. */
  rate: number
  auc: number
  brier: number
  /** Brier score of predicting the training base rate for every row. */
  brierBaseRate: number
  /** 1 − brier / brierBaseRate. */
  skill: number
  bins: ReliabilityBin[]
  /** Largest |predicted − observed| over bins of at least `minBin` rows (NaN when none is that full). */
  worstGap: number
  minBin: number
}

/** AUC, Brier score and reliability of estimates `p` of labels `y` (weights `w`), against base rates `base`. */
export function calibration(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  base: ArrayLike<number>,
  w?: ArrayLike<number>,
  minBin = 20,
): Calibration {
  const bins: ReliabilityBin[] = Array.from({length: 10}, (_, b) => ({
    from: b / 10,
    to: (b + 1) / 10,
    count: 0,
    weight: 0,
    predicted: 0,
    observed: 0,
  }))
  let tw = 0
  let ty = 0
  let brier = 0
  let brierBase = 0
  for (let i = 0; i < p.length; i++) {
    const wi = w ? (w[i] as number) : 1
    const pi = p[i] as number
    const yi = y[i] as number
    tw += wi
    ty += wi * yi
    brier += wi * (pi - yi) ** 2
    brierBase += wi * ((base[i] as number) - yi) ** 2
    const bin = bins[Math.min(9, Math.max(0, Math.floor(pi * 10)))]!
    bin.count++
    bin.weight += wi
    bin.predicted += wi * pi
    bin.observed += wi * yi
  }
  const full = bins
    .filter(b => b.count > 0)
    .map(b => ({...b, predicted: b.predicted / b.weight, observed: b.observed / b.weight}))
  let worstGap = Number.NaN
  for (const b of full)
    if (b.count >= minBin) {
      const gap = Math.abs(b.predicted - b.observed)
      if (!(gap <= worstGap)) worstGap = gap
    }
  const bs = tw > 0 ? brier / tw : Number.NaN
  const bb = tw > 0 ? brierBase / tw : Number.NaN
  return {
    rows: p.length,
    rate: tw > 0 ? ty / tw : Number.NaN,
    auc: weightedAuc(p, y, w),
    brier: bs,
    brierBaseRate: bb,
    skill: bb > 0 ? 1 - bs / bb : 0,
    bins: full,
    worstGap,
    minBin,
  }
}
