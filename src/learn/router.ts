/**
 * A saved router (router.json) and routing with it: `loadRouter` validates
 * and compiles it once (estimators to typed arrays, feature spec to lookups,
 * kNN reference items to an inverted index); `route` then encodes an item and
 * picks its model without allocating much, in microseconds. The same `decide`
 * as in training and evaluation.
 */
import {check} from '../util/schemas.js'
import {routerProblem} from './router-check.js'
import {AcoError} from '../errors.js'
import {readInputTextSync} from '../util/fs-errors.js'
import type {Guarantee, Objective} from './calibrate.js'
import {Encoder} from './encoder.js'
import {ReferenceIndex, type ReferencesJson} from './engine-knn.js'
import {loadEstimator} from './engines.js'
import {type EngineName, type Estimator, type EstimatorJson, Query} from './estimator.js'
import {columnBins, type FeatureSpec, type FeatureValue} from './featurize.js'
import type {ForestJson} from './forest.js'
import {decide, sweepLine, type Rule} from './policy.js'
import {shiftReport, type ShiftReport} from './shift.js'
import type {EngineOption} from './result.js'
import {sparseLayout} from './sparse.js'
import {expectRouterKind} from './router-kind.js'
import {parseJson} from '../util/json-parse.js'

export const routerSchemaVersion = '2.0'

interface RouterModel {
  model: string
  /** Mean USD per item on the training split. */
  costUsd: number
  /** Mean success on the training split. */
  quality: number
  /** Cost relative to the strongest model's (what λ weighs). */
  relCost: number
  estimator: EstimatorJson
}

export interface RouterJson {
  schemaVersion: typeof routerSchemaVersion
  kind: 'aco-router'
  rule: Rule
  /** Candidates, cheapest first; the last is the strongest. */
  models: RouterModel[]
  features: FeatureSpec
  /** The training items kNN estimators compare with (present when one uses kNN). */
  references?: ReferencesJson
  /** Thresholds from the cheap end to the strong end (chosen on the calibration split). */
  grid: number[]
  operatingPoint: {
    threshold: number
    objective: Objective
    /** The bound that chose the threshold when the objective is α. */
    guarantee?: Guarantee
    /** Quality and mean cost per item on the calibration split. */
    calibration: {quality: number; cost: number}
  }
  /** The calibration split's cost–quality frontier along the grid (for --sweep). */
  frontier: Array<{threshold: number; quality: number; cost: number}>
  training: {
    seed: number
    engine: EngineOption
    /** Engines averaged for every model, or the base rates. */
    chosen: EngineName[] | 'constant'
    forest: Record<string, number>
    trainItems: number
    calibrationItems: number
    createdAt: string
    /** Every model of the training table, candidates or not (routers before 2026-12 have none). */
    models?: string[]
  }
}

/** router.json as aco 0.1 wrote it: one forest per model. Still loaded. */
interface RouterJsonV1 extends Omit<RouterJson, 'schemaVersion' | 'models' | 'training' | 'references'> {
  schemaVersion: '1.0'
  models: Array<Omit<RouterModel, 'estimator'> & {forest: ForestJson}>
  training: Omit<RouterJson['training'], 'chosen' | 'engine'> & {engine: 'hist' | 'ml-random-forest'}
}

function upgrade(json: RouterJson | RouterJsonV1): RouterJson {
  if (json.schemaVersion === routerSchemaVersion) return json
  const engine = json.training.engine
  return {
    ...json,
    schemaVersion: routerSchemaVersion,
    models: json.models.map(({forest, ...m}) => ({...m, estimator: {engine, ...forest}})),
    training: {...json.training, chosen: [engine]},
  }
}

/** What an item brings to routing: its features and prompt, and optionally which models it may use. */
export interface RouteItem {
  features?: Record<string, FeatureValue | null | undefined>
  text?: string
  /** Models allowed for this item (default: every candidate). */
  candidates?: readonly string[]
}

export interface LoadedRouter {
  readonly json: RouterJson
  readonly models: readonly string[]
  readonly threshold: number
  /** Estimated P(success) of each candidate for an item, cheapest first. */
  estimate(item: RouteItem): Float64Array
  /** The model for an item at the operating point (or at `threshold`). */
  route(item: RouteItem, threshold?: number): string
}

class CompiledRouter implements LoadedRouter {
  readonly models: readonly string[]
  readonly threshold: number
  private readonly encoder: Encoder
  private readonly estimators: Estimator[]
  private readonly relCost: Float64Array
  private readonly query: Query
  private readonly p: Float64Array
  private readonly available: boolean[]
  private readonly index: Map<string, number>

  constructor(readonly json: RouterJson) {
    this.models = json.models.map(m => m.model)
    this.threshold = json.operatingPoint.threshold
    this.encoder = new Encoder(json.features)
    const references = json.references ? ReferenceIndex.fromJSON(json.references) : undefined
    this.estimators = json.models.map(m => loadEstimator(m.estimator, references))
    this.relCost = Float64Array.from(json.models.map(m => m.relCost))
    this.query = new Query(sparseLayout(columnBins(json.features)))
    this.p = new Float64Array(json.models.length)
    this.available = json.models.map(() => true)
    this.index = new Map(this.models.map((m, k) => [m, k] as const))
  }

  estimate(item: RouteItem): Float64Array {
    const q = this.query
    this.encoder.encode({features: (item.features ?? {}) as Record<string, FeatureValue>, text: item.text}, q.bins)
    q.refresh()
    for (let k = 0; k < this.estimators.length; k++) this.p[k] = this.estimators[k]!.predict(q)
    return this.p
  }

  route(item: RouteItem, threshold = this.threshold): string {
    const p = this.estimate(item)
    let mask: boolean[] | undefined
    if (item.candidates) {
      mask = this.available
      mask.fill(false)
      for (const name of item.candidates) {
        const k = this.index.get(name)
        if (k !== undefined) mask[k] = true
      }
      if (!mask.includes(true)) {
        throw new AcoError(
          'usage',
          `None of the item's models (${item.candidates.join(', ')}) is one the router knows (${this.models.join(', ')}).`,
          'Route with the models the router was trained on.',
        )
      }
    }
    return this.models[decide(this.json.rule, threshold, p, this.relCost, mask)]!
  }
}

/**
 * Loads a router: from a path to router.json, or from its parsed JSON.
 * Validates it against schemas/router.schema.json and compiles it.
 */
export function loadRouter(source: string | RouterJson): LoadedRouter {
  let json: unknown = source
  if (typeof source === 'string') {
    const text = readInputTextSync(source, 'the router', 'Train one with: aco train --outcomes FILE --out DIR')
    try {
      json = parseJson(text)
    } catch (error) {
      throw new AcoError(
        'bad-file',
        `${source} is not JSON: ${(error as Error).message}.`,
        'Give the router.json that aco train wrote.',
      )
    }
  }
  if (typeof source === 'string') expectRouterKind(json, source, ['aco-router'])
  const problem = check('router', json) ?? routerProblem(json as RouterJson)
  if (problem) {
    throw new AcoError(
      'schema',
      `${typeof source === 'string' ? source : 'The router'} is not a valid router: ${problem}.`,
      'Give the router.json that aco train wrote (schemas/router.schema.json).',
    )
  }
  return new CompiledRouter(upgrade(json as RouterJson | RouterJsonV1))
}

/** Routes one item with a loaded router: the name of the model to use. */
export function route(router: LoadedRouter, item: RouteItem, threshold?: number): string {
  return router.route(item, threshold)
}

/**
 * Thresholds for `aco route --sweep N`: N points spread evenly along the saved
 * calibration frontier, always including both ends of the grid (every item to
 * the cheapest model, every item to the strongest).
 */
export function sweepThresholds(json: RouterJson, count: number): number[] {
  const line = sweepLine(json.grid, json.frontier)
  if (count >= line.length) return line
  if (count === 1) return [json.operatingPoint.threshold]
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push(line[Math.round((i * (line.length - 1)) / (count - 1))]!)
  return [...new Set(out)]
}

interface RouteDecision {
  item_id: string
  model: string
}

export interface RouteRun {
  threshold: number
  decisions?: RouteDecision[]
  points?: Array<{threshold: number; decisions: RouteDecision[]}>
  /** How the routed items differ from the training items (routers of aco 0.1 keep no training counts: ranges and drift are not checked). */
  shift: ShiftReport
  /** Lines and items left out; an entry with `routed` is about items routed all the same (a warning). */
  skipped: Array<{path: string; line: number; reason: string; routed?: true; items?: number}>
}

/**
 * Routes every item of an outcomes table (each line names a candidate model):
 * at the operating point, at `threshold`, or at `sweep` points along the
 * saved frontier. Items whose models the router does not know are skipped.
 */
export function routeItems(
  router: LoadedRouter,
  items: ReadonlyArray<{
    id: string
    line: number
    features: Record<string, FeatureValue>
    text?: string | undefined
    models: readonly string[]
  }>,
  path: string,
  options: {sweep?: number | undefined; threshold?: number | undefined} = {},
): RouteRun {
  const known = new Set(router.models)
  /** The models it was trained among (a model left out as no candidate is known, not new). */
  const trained = new Set([...known, ...(router.json.training.models ?? [])])
  const skipped: RouteRun['skipped'] = []
  const usable = items.filter(item => {
    if (item.models.some(m => known.has(m))) return true
    skipped.push({
      path,
      line: item.line,
      reason: `item ${item.id}: none of its models (${item.models.join(', ')}) is a candidate of the router`,
    })
    return false
  })
  // Lines naming a model the router never learned (a cheap model renamed or new): left out, so said (trial 99: 1,897
  // lines went unsaid, their items routed among the rest).
  // (A router trained before the table's models were kept cannot tell a model it left out from a new one: not said.)
  const strangers = new Map<string, {items: number; line: number}>()
  if (router.json.training.models)
    for (const item of usable)
      for (const m of item.models)
        if (!trained.has(m)) {
          const seen = strangers.get(m)
          if (seen) seen.items++
          else strangers.set(m, {items: 1, line: item.line})
        }
  if (strangers.size) {
    const names = [...strangers].sort((a, b) => b[1].items - a[1].items)
    const items = usable.filter(item => item.models.some(m => !trained.has(m))).length
    skipped.push({
      path,
      line: Math.min(...names.map(([, v]) => v.line)),
      reason: `${items} item${items === 1 ? '' : 's'} name${items === 1 ? 's' : ''} a model the router was not trained on (${names
        .slice(0, 5)
        .map(([m, v]) => `${m}: ${v.items}`)
        .join(
          ', ',
        )}${names.length > 5 ? `, ${names.length - 5} more` : ''}): not a candidate, routed among the router's own (${router.models.join(', ')}); a model renamed or new needs the router trained again with its outcomes`,
      routed: true,
      items,
    })
  }
  // Items without the router's strongest model (renamed, or not run): the router cannot escalate them, so said.
  const strongest = router.models[router.models.length - 1]
  const lacking = usable.filter(item => strongest !== undefined && !item.models.includes(strongest))
  if (lacking.length)
    skipped.push({
      path,
      line: lacking[0]!.line,
      reason: `${lacking.length} item${lacking.length === 1 ? ' has' : 's have'} no outcome of the router's strongest model, ${strongest} (${[...new Set(lacking.flatMap(i => i.models))].filter(m => !known.has(m)).join(', ') || 'no other model'} in its place): routed among the others, never escalated`,
      routed: true,
      items: lacking.length,
    })
  // Items that name the strongest model and no other candidate: nothing to route between (trial 87 listed each new
  // item once, under the strongest model, and read 573 decisions for it as the router's).
  const alone = usable.filter(item => item.models.filter(m => known.has(m)).length === 1 && !lacking.includes(item))
  if (alone.length)
    skipped.push({
      path,
      line: alone[0]!.line,
      reason: `${alone.length} item${alone.length === 1 ? ' names' : 's name'} only ${strongest} of the router's candidates: nothing to route between, ${alone.length === 1 ? 'it stays' : 'they stay'} on it (a line per candidate model an item may go to lets the router choose; the library's route(router, {features, text}) weighs them all)`,
      routed: true,
      items: alone.length,
    })
  const at = (threshold: number): RouteDecision[] =>
    usable.map(item => ({
      item_id: item.id,
      model: router.route({features: item.features, text: item.text, candidates: item.models}, threshold),
    }))
  const threshold = options.threshold ?? router.threshold
  const shift = shiftReport(router.json.features, usable)
  if (options.sweep !== undefined) {
    return {
      threshold,
      points: sweepThresholds(router.json, options.sweep).map(t => ({threshold: t, decisions: at(t)})),
      shift,
      skipped,
    }
  }
  return {threshold, decisions: at(threshold), shift, skipped}
}
