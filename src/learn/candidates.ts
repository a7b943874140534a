/**
 * Which models a router may choose: each model's success and cost on the
 * training split, and the candidates, those on its cost–quality Pareto front
 * (a model both dearer and worse on average than another is left out).
 */
import {paretoFrontier} from './evaluate.js'
import type {Item} from './outcome-table.js'
import type {ModelSummary} from './result.js'

/** Every model's training figures, `candidate` set for those on the training Pareto front. */
export function summarizeModels(names: string[], train: Item[]): ModelSummary[] {
  const stats = names.map(model => ({model, n: 0, q: 0, c: 0}))
  const index = new Map(names.map((m, k) => [m, k] as const))
  for (const item of train) {
    item.models.forEach((model, k) => {
      const s = stats[index.get(model)!]!
      s.n++
      s.q += item.success[k]!
      s.c += item.cost[k]!
    })
  }
  const summaries = stats.map(s => ({
    model: s.model,
    trainItems: s.n,
    trainQuality: s.n > 0 ? s.q / s.n : 0,
    trainCostUsd: s.n > 0 ? s.c / s.n : 0,
    candidate: false,
  }))
  const front = paretoFrontier(
    summaries.filter(s => s.trainItems > 0).map(s => ({model: s.model, cost: s.trainCostUsd, quality: s.trainQuality})),
  )
  const onFront = new Set(front.map(p => p.model))
  for (const s of summaries) s.candidate = onFront.has(s.model)
  return summaries
}
