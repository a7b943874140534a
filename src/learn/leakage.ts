/**
 * Guards against features that leak the outcome. The names guard
 * (featurize.ts) catches `response_chars` or `cost`; these catch what a name
 * hides, on the training split:
 *
 * - a feature that alone predicts some candidate's success implausibly well
 *   (single-feature AUC > 0.9; a category scored by its training success rate,
 *   categories of fewer than 10 items pooled so that ids do not score by
 *   memory);
 * - a feature constant per item that looks derived from the outcomes: its
 *   values name models (which model solved the item, or should be routed to),
 *   or it tracks how many models solved the item (|rank correlation| ≥ 0.9
 *   for a number, a share of variance ≥ 0.9 for a category).
 *
 * They warn; they do not drop the feature (a feature can be that strong and
 * honest): the user decides, with --ignore-feature.
 */
import type {FeatureSpec, FeatureValue} from './featurize.js'
import type {Item} from './outcome-table.js'
import type {ModelSummary, Warning} from './result.js'

const aucLimit = 0.9
const derivedLimit = 0.9
const rareCategory = 10

/** Average ranks (1-based) of values, ties sharing their mean rank. */
function ranks(values: number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!)
  const out = new Float64Array(values.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[order[k]!] = rank
    i = j + 1
  }
  return out
}

/** Area under the ROC curve of `score` for labels `y` (0/1), either direction: max(A, 1 − A). NaN with one class. */
export function auc(score: number[], y: number[]): number {
  const r = ranks(score)
  let pos = 0
  let sum = 0
  for (let i = 0; i < y.length; i++) {
    if (y[i]! > 0) {
      pos++
      sum += r[i]!
    }
  }
  const neg = y.length - pos
  if (pos === 0 || neg === 0) return Number.NaN
  const a = (sum - (pos * (pos + 1)) / 2) / (pos * neg)
  return Math.max(a, 1 - a)
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i] as number
    mb += b[i] as number
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma
    const db = (b[i] as number) - mb
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0
}

/** Category keys with rare ones pooled (and missing as its own key). */
function categoryKeys(values: Array<FeatureValue | undefined>): string[] {
  const keys = values.map(v => (v === undefined ? '\u0000missing' : String(v)))
  const counts = new Map<string, number>()
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1)
  return keys.map(k => (counts.get(k)! < rareCategory ? '\u0000rare' : k))
}

/** Share of the variance of `y` explained by the categories (the correlation ratio η²). */
function varianceExplained(keys: string[], y: number[]): number {
  const mean = y.reduce((s, v) => s + v, 0) / Math.max(1, y.length)
  const groups = new Map<string, {n: number; s: number}>()
  keys.forEach((k, i) => {
    const g = groups.get(k) ?? {n: 0, s: 0}
    g.n++
    g.s += y[i]!
    groups.set(k, g)
  })
  let between = 0
  for (const g of groups.values()) between += g.n * (g.s / g.n - mean) ** 2
  let total = 0
  for (const v of y) total += (v - mean) ** 2
  return total > 0 ? between / total : 0
}

/** Warnings about features of the training split that look like leaked outcomes. */
export function leakageWarnings(
  train: Item[],
  spec: FeatureSpec,
  candidates: ModelSummary[],
  models: string[],
): Warning[] {
  const out: Warning[] = []
  const modelNames = new Set(models)
  const solved = train.map(item => item.success.reduce((s, v) => s + v, 0) / Math.max(1, item.models.length))
  const features = [
    ...spec.numeric.map(c => ({name: c.name, numeric: true})),
    ...spec.categorical.map(c => ({name: c.name, numeric: false})),
  ]
  for (const f of features) {
    const values = train.map(item => item.features[f.name])
    const reasons: string[] = []
    // Alone, does it predict some candidate's success implausibly well?
    let worst = {auc: 0, model: ''}
    const keys = f.numeric ? undefined : categoryKeys(values)
    for (const cand of candidates) {
      const score: number[] = []
      const y: number[] = []
      const key: string[] = []
      train.forEach((item, i) => {
        const k = item.models.indexOf(cand.model)
        const v = values[i]
        if (k < 0) return
        if (f.numeric) {
          if (typeof v !== 'number' || !Number.isFinite(v)) return
          score.push(v)
        } else key.push(keys![i]!)
        y.push(item.success[k]! >= 0.5 ? 1 : 0)
      })
      if (!f.numeric) {
        const rate = new Map<string, {n: number; s: number}>()
        key.forEach((k, i) => {
          const r = rate.get(k) ?? {n: 0, s: 0}
          r.n++
          r.s += y[i]!
          rate.set(k, r)
        })
        for (const k of key) score.push(rate.get(k)!.s / rate.get(k)!.n)
      }
      const a = auc(score, y)
      if (a > worst.auc) worst = {auc: a, model: cand.model}
    }
    if (worst.auc > aucLimit)
      reasons.push(
        `alone it predicts the success of ${worst.model} with AUC ${worst.auc.toFixed(3)} on the training split, implausibly well for something known before any model runs`,
      )
    // Constant per item, and derived from the outcomes?
    if (f.numeric) {
      const pairs = values
        .map((v, i) => [v, solved[i]!] as const)
        .filter((p): p is readonly [number, number] => typeof p[0] === 'number' && Number.isFinite(p[0]))
      if (pairs.length >= 10) {
        const rho = pearson(ranks(pairs.map(p => p[0])), ranks(pairs.map(p => p[1])))
        if (Math.abs(rho) >= derivedLimit)
          reasons.push(
            `it tracks how many models solved the item (rank correlation ${rho.toFixed(3)}): it looks derived from the outcomes`,
          )
      }
    } else {
      const present = values.filter(v => v !== undefined)
      const naming = present.filter(v => modelNames.has(String(v))).length
      if (present.length > 0 && naming / present.length >= 0.5)
        reasons.push(
          `its values name models for ${Math.round((100 * naming) / present.length)}% of items: it looks like an outcome (which model solved the item, or should be routed to)`,
        )
      else {
        const eta = varianceExplained(keys!, solved)
        if (eta >= derivedLimit)
          reasons.push(
            `it explains ${Math.round(eta * 100)}% of the variance of how many models solved the item: it looks derived from the outcomes`,
          )
      }
    }
    if (reasons.length > 0)
      out.push({
        kind: 'leakage',
        message: `Feature ${f.name}: ${reasons.join('; ')}. If it is not known before a model runs, leave it out (--ignore-feature ${f.name}).`,
      })
  }
  return out
}
