/**
 * Which step features the router uses, chosen by evidence on the training
 * steps alone: forward selection by trace-grouped cross-validation. Starting
 * from the tiers' base rates, the feature (or the hashed instruction text, as
 * one group) that lowers the cross-validated log-loss most is added, as long
 * as the gain is larger than one standard error of its per-trace-group
 * differences; at most `maxFeatures`.
 *
 * Why: labelled steps are few and come in long runs from a few traces, so
 * every feature that describes a trace rather than a step (its format, its
 * words, its sizes) lets a model learn the traces it saw and predict worse on
 * new ones; on the hand-labelled corpus a model on every feature ranked the
 * held-out steps no better than chance. Selection keeps what predicts across
 * traces, and keeps more when there is more data to show it.
 *
 * The selection model is a logistic regression with one intercept per tier
 * and feature weights shared by all tiers, at a fixed penalty (C = 1), fitted
 * by L-BFGS: cheap enough to refit a few thousand times.
 */
import {Encoder} from '../encoder.js'
import {buildSpec, columnBins, columnNames, type FeatureOptions} from '../featurize.js'
import {minimize} from '../lbfgs.js'
import {expandRow, sparseLayout} from '../sparse.js'
import type {LabelledStep} from './data.js'
import {groupFolds, source} from './model.js'

export interface SelectOptions {
  features: Partial<FeatureOptions>
  /** Candidate features (names; `text` for the hashed instruction text). */
  candidates: readonly string[]
  seed: number
  folds: number
  maxFeatures: number
  /** Inverse penalty of the selection model. */
  c: number
}

export const defaultSelectOptions: Omit<SelectOptions, 'candidates' | 'seed' | 'features'> = {
  folds: 5,
  maxFeatures: 8,
  c: 1,
}

interface SelectionStep {
  feature: string
  /** Cross-validated log-loss per (step, tier) row after adding it. */
  loss: number
  /** Its gain over the set before, in standard errors of the per-group differences. */
  standardErrors: number
}

export interface Selection {
  chosen: string[]
  /** Loss of the base rates alone. */
  baseLoss: number
  trail: SelectionStep[]
}

interface Rows {
  /** Step of each (step, tier) row, its tier, label and weight. */
  step: Int32Array
  tier: Int32Array
  y: Float64Array
  w: Float64Array
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))
}

/** Chooses features by forward selection (module comment). */
export function selectFeatures(train: readonly LabelledStep[], tierCount: number, options: SelectOptions): Selection {
  // One encoding of every candidate; each one-hot feature remembers the candidate it belongs to.
  const spec = buildSpec(
    train.map(l => source(l.step)),
    {...options.features, use: [...options.candidates]},
  )
  const encoder = new Encoder(spec)
  const names = columnNames(spec)
  const layout = sparseLayout(columnBins(spec))
  const candidateOf = (column: string): number => {
    const name = column.startsWith('text:') ? 'text' : column.replace(/=.*$/, '')
    return options.candidates.indexOf(name)
  }
  const owner = new Int32Array(layout.dims).fill(-1)
  names.forEach((name, c) => {
    const cand = candidateOf(name)
    const start = layout.offsets[c]!
    const end = c + 1 < names.length ? layout.offsets[c + 1]! : layout.dims
    for (let j = start; j < end; j++) owner[j] = cand
  })
  const bins = new Uint8Array(encoder.columns)
  const scratch = new Int32Array(encoder.columns)
  const active: Int32Array[] = train.map(l => {
    encoder.encode(source(l.step), bins)
    const k = expandRow(layout, bins, scratch)
    return scratch.slice(0, k)
  })
  const rowsList: Array<[number, number, number, number]> = []
  train.forEach((l, i) => {
    for (let k = 0; k < tierCount; k++) {
      const good = l.evidence.good.includes(k)
      if (good || l.evidence.bad.includes(k)) rowsList.push([i, k, good ? 1 : 0, l.strength])
    }
  })
  const rows: Rows = {
    step: Int32Array.from(rowsList, r => r[0]),
    tier: Int32Array.from(rowsList, r => r[1]),
    y: Float64Array.from(rowsList, r => r[2]),
    w: Float64Array.from(rowsList, r => r[3]),
  }
  const stepFold = groupFolds(
    train.map(l => l.group),
    options.folds,
    options.seed ^ 0x2f6b1c3d,
  )
  const groups = train.map(l => l.group)
  const groupCount = Math.max(0, ...groups) + 1

  /** Cross-validated loss of a set of candidates: total, and per group. */
  const evaluate = (set: ReadonlySet<number>): {loss: number; perGroup: Float64Array} => {
    const perGroup = new Float64Array(groupCount)
    let total = 0
    let weight = 0
    for (let f = 0; f < options.folds; f++) {
      const fitRows: number[] = []
      const testRows: number[] = []
      for (let r = 0; r < rows.step.length; r++) (stepFold[rows.step[r]!] === f ? testRows : fitRows).push(r)
      if (testRows.length === 0 || fitRows.length === 0) continue
      const x = fitWeights(fitRows, set)
      for (const r of testRows) {
        const p = Math.min(1 - 1e-6, Math.max(1e-6, predict(x, r, set)))
        const y = rows.y[r]!
        const l = -rows.w[r]! * (y * Math.log(p) + (1 - y) * Math.log(1 - p))
        total += l
        weight += rows.w[r]!
        perGroup[groups[rows.step[r]!]!]! += l
      }
    }
    return {loss: weight > 0 ? total / weight : Number.NaN, perGroup}
  }

  const dims = layout.dims
  const predict = (x: Float64Array, r: number, set: ReadonlySet<number>): number => {
    let z = x[dims + rows.tier[r]!]!
    for (const j of active[rows.step[r]!]!) if (set.has(owner[j]!)) z += x[j]!
    return sigmoid(z)
  }
  const fitWeights = (fitRows: readonly number[], set: ReadonlySet<number>): Float64Array => {
    const x = new Float64Array(dims + tierCount)
    let total = 0
    for (const r of fitRows) total += rows.w[r]!
    const scale = 1 / Math.max(total, 1e-12)
    const penalty = 1 / (options.c * Math.max(total, 1e-12))
    minimize(
      (beta, g) => {
        g.fill(0)
        let loss = 0
        for (const r of fitRows) {
          const s = rows.step[r]!
          let z = beta[dims + rows.tier[r]!]!
          const act = active[s]!
          for (let a = 0; a < act.length; a++) if (set.has(owner[act[a]!]!)) z += beta[act[a]!]!
          const y = rows.y[r]!
          const w = rows.w[r]!
          loss += w * (softplus(z) - y * z)
          const d = w * (sigmoid(z) - y) * scale
          for (let a = 0; a < act.length; a++) if (set.has(owner[act[a]!]!)) g[act[a]!]! += d
          g[dims + rows.tier[r]!]! += d
        }
        let reg = 0
        for (let j = 0; j < dims; j++) {
          reg += beta[j]! * beta[j]!
          g[j]! += penalty * beta[j]!
        }
        return loss * scale + 0.5 * penalty * reg
      },
      x,
      {gradientTolerance: 1e-4, relativeTolerance: 1e-7, maxIterations: 200},
    )
    return x
  }

  const chosen = new Set<number>()
  let current = evaluate(chosen)
  const baseLoss = current.loss
  const trail: SelectionStep[] = []
  while (chosen.size < options.maxFeatures) {
    let best: {cand: number; result: ReturnType<typeof evaluate>; se: number} | undefined
    for (let cand = 0; cand < options.candidates.length; cand++) {
      if (chosen.has(cand) || !owner.includes(cand)) continue
      const result = evaluate(new Set([...chosen, cand]))
      const se = gainInStandardErrors(current.perGroup, result.perGroup)
      if (!best || result.loss < best.result.loss) best = {cand, result, se}
    }
    if (!best || !(best.result.loss < current.loss) || !(best.se > 1)) break
    chosen.add(best.cand)
    current = best.result
    trail.push({feature: options.candidates[best.cand]!, loss: round(best.result.loss), standardErrors: round(best.se)})
  }
  return {
    chosen: [...chosen].map(c => options.candidates[c]!),
    baseLoss: round(baseLoss),
    trail,
  }
}

/** The mean per-group gain of `after` over `before`, in standard errors (positive: `after` is better). */
function gainInStandardErrors(before: Float64Array, after: Float64Array): number {
  const n = before.length
  let mean = 0
  let used = 0
  for (let g = 0; g < n; g++) {
    if (before[g] === 0 && after[g] === 0) continue
    mean += before[g]! - after[g]!
    used++
  }
  if (used < 2) return 0
  mean /= used
  let v = 0
  for (let g = 0; g < n; g++) {
    if (before[g] === 0 && after[g] === 0) continue
    v += (before[g]! - after[g]! - mean) ** 2
  }
  const se = Math.sqrt(v / (used - 1) / used)
  return se > 0 ? mean / se : mean > 0 ? Number.POSITIVE_INFINITY : 0
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6
}
