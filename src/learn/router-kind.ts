/**
 * What a file given as a router is, by its `kind`, before its schema is checked: a router of another kind than the
 * command takes, or a file that is no router (its evaluation.json, beside it), is named as such, with the command that
 * takes it, rather than as a list of the schema's complaints (trial 33: "unknown key "tiers"; … and 29 more").
 */
import {AcoError} from '../errors.js'

type RouterKind = 'aco-router' | 'aco-cascade' | 'aco-step-router'

const WHAT: Record<RouterKind, {is: string; use: string}> = {
  'aco-router': {
    is: 'an ex-ante router (aco train)',
    use: 'aco route --router FILE --outcomes FILE routes items with it',
  },
  'aco-cascade': {
    is: 'a cascade (aco train --cascade)',
    use: 'aco route --router FILE --outcomes FILE routes items with it',
  },
  'aco-step-router': {
    is: 'a per-step router (aco train --steps)',
    use: 'aco route --router FILE --cards CARDS routes the LLM steps of cards with it',
  },
}

const isKind = (kind: unknown): kind is RouterKind => typeof kind === 'string' && kind in WHAT

/** Throws a usage error when `data` (read from `path`) is not a router of one of the `wanted` kinds. */
export function expectRouterKind(data: unknown, path: string, wanted: readonly RouterKind[]): void {
  // (Not an object, or an object with no kind: the schema check says what is wrong.)
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return
  const fields = data as Record<string, unknown>
  const kind = fields.kind
  if (isKind(kind) && wanted.includes(kind)) return
  const takes = wanted.map(k => WHAT[k].is).join(' or ')
  if (isKind(kind)) throw new AcoError('usage', `${path} is ${WHAT[kind].is}, not ${takes}.`, `${WHAT[kind].use}.`)
  // The file beside router.json, given in its place.
  // (A cascade's evaluation says `kind: 'cascade'`: trial 72 read "is an cascade file, not an ex-ante router".)
  if (
    kind === 'aco-step-train' ||
    (kind === 'cascade' && 'operatingPoint' in fields) ||
    ('operatingPoint' in fields && ('conformal' in fields || 'recommendation' in fields))
  )
    throw new AcoError(
      'usage',
      `${path} is the evaluation aco train wrote (evaluation.json), not a router.`,
      'Pass the router.json beside it.',
    )
  if (typeof kind === 'string')
    throw new AcoError(
      'usage',
      `${path} is a file of kind "${kind.length > 60 ? `${kind.slice(0, 59)}…` : kind}", not ${takes}.`,
    )
}
