/**
 * Routers at run time, whatever their kind: `loadRouter` reads a router.json
 * (an ex-ante router or a cascade) and `route` answers for an item, either
 * before any model ran (the model to run) or after some did (keep the answer
 * in hand, or escalate to a model). Agent code calls this once per step.
 */
import {readInputTextSync} from '../util/fs-errors.js'
import {AcoError} from '../errors.js'
import {
  loadCascade,
  type CascadeJson,
  type LoadedCascade,
  type StepDecision,
  type StepObservation,
} from './cascade/router.js'
import {
  loadRouter as loadExAnte,
  route as routeExAnte,
  type LoadedRouter,
  type RouteItem,
  type RouterJson,
} from './router.js'
import {parseJson} from '../util/json-parse.js'

export type AnyRouter = LoadedRouter | LoadedCascade

/** True for a cascade (router.json of kind `aco-cascade`). */
export function isCascade(router: AnyRouter): router is LoadedCascade {
  return (router as LoadedCascade).kind === 'cascade'
}

/** Parses a router.json from a path (usage errors name the file). */
function readRouterJson(path: string): unknown {
  const text = readInputTextSync(
    path,
    'the router',
    'Train one with: aco train --outcomes FILE --out DIR (add --cascade for a cascade)',
  )
  try {
    return parseJson(text)
  } catch (error) {
    throw new AcoError(
      'bad-file',
      `${path} is not JSON: ${(error as Error).message}.`,
      'Give the router.json that aco train wrote.',
    )
  }
}

/**
 * Loads a router: from a path to router.json, or from its parsed JSON. A
 * cascade (kind `aco-cascade`) is validated against
 * schemas/cascade-router.schema.json, any other against schemas/router.schema.json.
 */
export function loadRouter(source: RouterJson): LoadedRouter
export function loadRouter(source: CascadeJson): LoadedCascade
export function loadRouter(source: string | RouterJson | CascadeJson): AnyRouter
export function loadRouter(source: string | RouterJson | CascadeJson): AnyRouter {
  const json = typeof source === 'string' ? readRouterJson(source) : source
  const name = typeof source === 'string' ? source : undefined
  if (json !== null && typeof json === 'object' && (json as {kind?: unknown}).kind === 'aco-cascade')
    return loadCascade(json, name)
  return loadExAnte(typeof source === 'string' ? source : (json as RouterJson))
}

/**
 * The model for an item before any model ran: an ex-ante router's choice (at
 * its operating point or `threshold`), a cascade's first step.
 */
export function route(router: AnyRouter, item: RouteItem, threshold?: number): string
/**
 * After the models in `observed` ran (in order), with what each returned:
 * keep the answer in hand, or escalate to the model named. For a cascade,
 * `level` picks a level of its path (default: the operating point); an
 * ex-ante router keeps the answer of the model it routes to.
 */
export function route(
  router: AnyRouter,
  item: RouteItem,
  observed: readonly StepObservation[],
  level?: number,
): StepDecision
export function route(
  router: AnyRouter,
  item: RouteItem,
  third?: number | readonly StepObservation[],
  level?: number,
): string | StepDecision {
  // (Called from agent code: what it passes is checked, as the CLI checks its input, rather than failing inside.)
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    throw new AcoError(
      'usage',
      `route: the item is ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}, not an object.`,
      'Pass {features, text} (either may be left out).',
    )
  // A router trained with the items' prompts decides mostly on their words: an item without one is refused, as
  // `aco route` refuses a run without --text (routed on no words, it got decisions no evaluation stands behind).
  const readsText = isCascade(router) ? !!router.json.features?.text : !!router.json.features.text
  const decides = Array.isArray(third) || !isCascade(router)
  if (readsText && decides && typeof item.text !== 'string')
    throw new AcoError(
      'usage',
      "route: the router was trained with the items' prompts (--text), and the item has no text.",
      "Pass the item's prompt as item.text ('' for an item that has none).",
    )
  if (Array.isArray(third)) {
    const observed = third as readonly StepObservation[]
    if (isCascade(router)) return router.next(item, observed, level)
    const model = router.route(item)
    const step = observed.length - 1
    return observed.some(o => o.model === model)
      ? {action: 'keep', model, step, confidence: Number.NaN}
      : {action: 'escalate', model, step, confidence: Number.NaN}
  }
  if (isCascade(router)) return router.models[0]!
  return routeExAnte(router, item, third as number | undefined)
}
