/**
 * Choosing the chain on the training split: which models run, in which
 * order, at most three steps, the last always the strongest model (so that
 * running the whole chain gives the strongest model's answer, and the
 * guarantee, measured against that model, can always be met).
 *
 * Every chain is scored by the area under its cost–quality curve on the
 * training items (APGR, between the cheapest and the strongest model), with
 * a screening estimate of P(answer right) that costs nothing to fit: the
 * success rate of the training items that look the same after the run
 * (answer found or not, agreement with each earlier answer in three bands,
 * refusal, the first signals halved at their median), each item left out
 * of its own cell. The chosen chain's estimators are then fitted properly.
 * The training-free cascade (`entropy`) scores chains with its own signal.
 */
import {apgr, paretoFrontier, type OutcomeMatrix, type Point} from '../evaluate.js'
import type {CascadeSplit} from './data.js'
import {observedRows, subMatrix} from './data.js'
import {cascadePoint, freeConfidence, thresholdPath, type ChainEstimates} from './policy.js'

export type CascadeMode = 'learned' | 'entropy'

/** A chain scored on the training split. */
export interface ChainScore {
  models: string[]
  /** APGR of its training curve under the screening estimate. */
  apgr: number
  items: number
}

export interface ChainContext {
  split: CascadeSplit
  /** Column of the strongest model (always the chain's last step). */
  strong: number
  /** Column of the cheapest candidate (the low end of APGR). */
  cheap: number
  /** Columns that may run before the strongest. */
  prefix: number[]
  /** Per column: the chain needs its response. */
  needsResponse: boolean[]
  /** Per column: the signal names its training rows carry. */
  signals: string[][]
  mode: CascadeMode
}

/** Every chain of at most `maxSteps` steps ending with the strongest model. */
export function enumerateChains(prefix: readonly number[], strong: number, maxSteps: number): number[][] {
  const out: number[][] = []
  for (const a of prefix) out.push([a, strong])
  if (maxSteps >= 3) for (const a of prefix) for (const b of prefix) if (a !== b) out.push([a, b, strong])
  return out
}

/** Signals a screening cell splits on: the first two of these the model carries. */
const SCREEN_SIGNALS = ['uncertainty', 'exit_status', 'tests_failed', 'tool_errors', 'entropy']

const band = (v: number): number => (v < 0.25 ? 0 : v < 0.75 ? 1 : 2)

/** The training-free confidence of step s on row i (see freeConfidence). */
function entropyConfidence(ctx: ChainContext, chain: readonly number[], i: number, s: number): number {
  const col = chain[s]!
  let sum = 0
  for (let k = 0; k < s; k++) sum += ctx.split.agree(i, col, chain[k]!)
  return freeConfidence(
    s,
    ctx.signals[col]!.includes('uncertainty'),
    ctx.split.digests[i]![col]?.signals?.uncertainty,
    sum,
  )
}

/** Screening estimates (leave-one-out cell rates) of a chain's gates on some rows. */
function screeningEstimates(ctx: ChainContext, chain: readonly number[], rows: readonly number[]): Float64Array {
  const gates = chain.length - 1
  const p = new Float64Array(rows.length * gates)
  const w = ctx.split.matrix.models.length
  for (let s = 0; s < gates; s++) {
    const col = chain[s]!
    if (ctx.mode === 'entropy') {
      rows.forEach((r, i) => {
        p[i * gates + s] = entropyConfidence(ctx, chain, r, s)
      })
      continue
    }
    const signals = SCREEN_SIGNALS.filter(x => ctx.signals[col]!.includes(x)).slice(0, 2)
    const medians = signals.map(name => {
      const v = rows
        .map(r => ctx.split.digests[r]![col]?.signals?.[name])
        .filter((x): x is number => x !== undefined)
        .sort((a, b) => a - b)
      return v.length > 0 ? v[Math.floor(v.length / 2)]! : 0
    })
    const keys = rows.map(r => {
      const d = ctx.split.digests[r]![col]
      let key = d ? (d.answer.kind === 'none' ? '0' : '1') : '2'
      for (let k = 0; k < s; k++) key += band(ctx.split.agree(r, col, chain[k]!))
      key += d?.refusal === 1 ? 'r' : '-'
      signals.forEach((name, j) => {
        const v = d?.signals?.[name]
        key += v === undefined ? 'm' : v <= medians[j]! ? 'l' : 'h'
      })
      return key
    })
    const sum = new Map<string, number>()
    const count = new Map<string, number>()
    let total = 0
    rows.forEach((r, i) => {
      const y = ctx.split.matrix.success[r * w + col]!
      total += y
      sum.set(keys[i]!, (sum.get(keys[i]!) ?? 0) + y)
      count.set(keys[i]!, (count.get(keys[i]!) ?? 0) + 1)
    })
    const base = total / Math.max(1, rows.length)
    const m = 5
    rows.forEach((r, i) => {
      const y = ctx.split.matrix.success[r * w + col]!
      p[i * gates + s] = (sum.get(keys[i]!)! - y + m * base) / (count.get(keys[i]!)! - 1 + m)
    })
  }
  return p
}

/** APGR of a cascade's curve along a path of thresholds, between the cheapest and the strongest model on the same items. */
function curveApgr(
  m: OutcomeMatrix,
  est: ChainEstimates,
  path: readonly number[][],
  cheap: number,
  strong: number,
): number {
  const points = path.map(t => cascadePoint(m, est, t))
  const single = (col: number): Point => {
    const w = m.models.length
    let q = 0
    let c = 0
    for (let i = 0; i < m.items.length; i++) {
      q += m.success[i * w + col]!
      c += m.cost[i * w + col]!
    }
    const n = Math.max(1, m.items.length)
    return {quality: q / n, cost: c / n}
  }
  return apgr(paretoFrontier(points), single(cheap), single(strong))
}

/** Scores every chain on the training split, best first. */
export function rankChains(ctx: ChainContext, maxSteps: number): ChainScore[] {
  const scores: ChainScore[] = []
  for (const chain of enumerateChains(ctx.prefix, ctx.strong, maxSteps)) {
    const needs = chain.map(c => ctx.needsResponse[c]!)
    const rows = observedRows(ctx.split, [...chain, ctx.cheap], [...needs, false])
    if (rows.length < 10) continue
    const m = subMatrix(ctx.split.matrix, rows)
    const est: ChainEstimates = {cols: chain, p: screeningEstimates(ctx, chain, rows)}
    const value = curveApgr(m, est, thresholdPath(m, est, 24, 200), ctx.cheap, ctx.strong)
    if (Number.isFinite(value)) scores.push({models: chain.map(c => m.models[c]!), apgr: value, items: rows.length})
  }
  return scores.sort((a, b) => b.apgr - a.apgr || a.models.length - b.models.length)
}
