/**
 * `aco route` with a cascade: for every item of an outcome table whose lines
 * carry what each model returned, the model whose answer the cascade keeps
 * and every model it ran, in order, at the operating point or at levels along
 * the calibration frontier (--sweep). An item lacking the response of a model
 * the chain needs is reported and routed to the strongest model, never guessed.
 */
import type {FeatureValue} from '../featurize.js'
import {shiftReport, type ShiftReport} from '../shift.js'
import type {LoadedCascade, StepObservation} from './router.js'

interface CascadeDecision {
  item_id: string
  /** The model whose answer is kept. */
  model: string
  /** Every model run, in order (the cascade's cost is the sum over them). */
  ran: string[]
}

export interface CascadeRouteRun {
  kind: 'cascade'
  /** The level of the path decisions were made at (the operating point unless --threshold). */
  level: number
  decisions?: CascadeDecision[]
  points?: Array<{threshold: number; thresholds: number[]; decisions: CascadeDecision[]}>
  /** Items routed to the strongest model because a response the chain needs was missing. */
  fallbacks: Array<{path: string; line: number; item_id: string; reason: string}>
  skipped: Array<{path: string; line: number; reason: string}>
  /**
   * How the items differ from the training items, where the cascade reads items' features (see ../shift.ts; trial 110:
   * a cascade trained on ARC routed MBPP items and said nothing, where the router warned of every one).
   */
  shift?: ShiftReport
}

/** An item as read from an outcome table in route mode. */
export interface CascadeRouteItem {
  id: string
  line: number
  features: Record<string, FeatureValue>
  text?: string | undefined
  models: readonly string[]
  responses?: ReadonlyArray<string | undefined>
  signals?: ReadonlyArray<Readonly<Record<string, number>> | undefined>
}

/** Levels for `--sweep N`: N points spread along the saved calibration frontier, both ends of the path included. */
export function sweepLevels(cascade: LoadedCascade, count: number): number[] {
  const last = cascade.json.path.length - 1
  const line = [0, ...cascade.json.frontier.map(p => p.level).filter(l => l !== 0 && l !== last), last]
  if (count >= line.length) return line
  if (count === 1) return [cascade.level]
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(line[Math.round((i * (line.length - 1)) / (count - 1))]!)
  return [...new Set(out)]
}

/** What the cascade does with one item at a level; `missing` says which needed observation was absent. */
function decideItem(
  cascade: LoadedCascade,
  item: CascadeRouteItem,
  level: number,
): {decision: CascadeDecision; missing?: string} {
  const chain = cascade.models
  const strongest = chain[chain.length - 1]!
  const observed: StepObservation[] = []
  const ran: string[] = []
  for (let s = 0; s < chain.length; s++) {
    const model = chain[s]!
    const k = item.models.indexOf(model)
    const needs = cascade.json.chain[s]!.needsResponse
    const response = k >= 0 ? item.responses?.[k] : undefined
    if (k < 0 || (needs && response === undefined)) {
      const reason =
        k < 0
          ? `item ${item.id} has no line for ${model}, step ${s + 1} of the chain: routed to ${strongest}`
          : `item ${item.id}: the line of ${model} (step ${s + 1}) has no response, which the chain needs: routed to ${strongest}`
      if (ran[ran.length - 1] !== strongest) ran.push(strongest)
      return {decision: {item_id: item.id, model: strongest, ran}, missing: reason}
    }
    observed.push({model, response, signals: item.signals?.[k]})
    ran.push(model)
    const next = cascade.next({features: item.features, text: item.text}, observed, level)
    if (next.action === 'keep') return {decision: {item_id: item.id, model: next.model, ran}}
  }
  return {decision: {item_id: item.id, model: strongest, ran}}
}

/** Routes every item (see the module comment). */
export function routeCascadeItems(
  cascade: LoadedCascade,
  items: readonly CascadeRouteItem[],
  path: string,
  options: {sweep?: number | undefined; level?: number | undefined} = {},
): CascadeRouteRun {
  const fallbacks: CascadeRouteRun['fallbacks'] = []
  const seen = new Set<string>()
  const at = (level: number): CascadeDecision[] =>
    items.map(item => {
      const {decision, missing} = decideItem(cascade, item, level)
      if (missing && !seen.has(item.id)) {
        seen.add(item.id)
        fallbacks.push({path, line: item.line, item_id: item.id, reason: missing})
      }
      return decision
    })
  const level = options.level ?? cascade.level
  const features = cascade.json.features
  const shift = features ? shiftReport(features, items) : undefined
  const said = shift ? {shift} : {}
  if (options.sweep !== undefined) {
    const points = sweepLevels(cascade, options.sweep).map(l => ({
      threshold: l,
      thresholds: cascade.json.path[l]!,
      decisions: at(l),
    }))
    return {kind: 'cascade', level, points, fallbacks, skipped: [], ...said}
  }
  return {kind: 'cascade', level, decisions: at(level), fallbacks, skipped: [], ...said}
}
