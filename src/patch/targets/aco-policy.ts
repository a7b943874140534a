/**
 * `aco-policy:PATH`: the policy itself, as the JSON file the library loads
 * (`loadPolicy` / `route`). Everything the policy says is expressed here (a
 * guard an earlier policy file already held as tight is held, earning nothing);
 * paths inside it are written relative to the policy file, so the folder can
 * move as a whole.
 */
import {credit} from '../limits.js'
import {dirname, isAbsolute, relative} from 'node:path'
import {guardsFrom} from '../../policy/prune.js'
import type {GuardScope, Guards, RoutingPolicy} from '../../policy/types.js'
import {
  ESCALATION,
  emptyRendered,
  relevantSuggestions,
  movesCalls,
  type PatchContext,
  type Rendered,
  type TargetAdapter,
} from '../target.js'
import {TargetParseError} from '../yaml-text.js'
import {parseJson} from '../../util/json-parse.js'

function rel(from: string, path: string): string {
  if (!isAbsolute(path)) return path
  const r = relative(from, path)
  return r === '' ? '.' : r.split('\\').join('/')
}

/** Whether two guards watch the same runs (a format, a subagent). */
function sameScope(a: GuardScope, b: GuardScope): boolean {
  return a.format === b.format && a.agent === b.agent
}

/**
 * Whether guards a policy file holds are at least as tight as every one of `wanted` (the same scope: a call limit of
 * no more calls, an output cap of the tool at no more characters, a duplicate-call guard over its tools).
 */
function holds(have: Partial<Guards>, wanted: Guards): boolean {
  if (wanted.callLimits.length + wanted.outputCaps.length + wanted.duplicateCalls.length === 0) return false
  return (
    wanted.callLimits.every(w =>
      (have.callLimits ?? []).some(h => sameScope(h.scope, w.scope) && h.maxLlmCalls <= w.maxLlmCalls),
    ) &&
    wanted.outputCaps.every(w =>
      (have.outputCaps ?? []).some(h => sameScope(h.scope, w.scope) && h.tool === w.tool && h.maxChars <= w.maxChars),
    ) &&
    wanted.duplicateCalls.every(w =>
      (have.duplicateCalls ?? []).some(
        h => sameScope(h.scope, w.scope) && (h.tools.includes('*') || w.tools.every(t => h.tools.includes(t))),
      ),
    )
  )
}

/**
 * What a policy routes, as the models its default and its rules name (not the tiers' names, nor a tier only escalation
 * goes to): two files that give every call the same model route the same.
 */
function routing(p: Partial<RoutingPolicy>): string {
  const model = (tier: string | undefined): string | undefined => p.tiers?.find(t => t.name === tier)?.model
  // (A rule's id and why are words about it: a figure of the evaluation in its why changes no call's model.)
  return JSON.stringify([model(p.default), (p.rules ?? []).map(r => ({when: r.when, tier: model(r.tier)}))])
}

/** The guards `wanted` with each held tighter in `have` kept at its value, and those of `have` it lacks added. */
function tighter(have: Partial<Guards>, wanted: Guards): Guards {
  const min = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined ? b : b === undefined ? a : Math.min(a, b)
  const callLimits = wanted.callLimits.map(w => {
    const h = have.callLimits?.find(x => sameScope(x.scope, w.scope))
    if (!h) return w
    const maxCostUsd = min(h.maxCostUsd, w.maxCostUsd)
    return {
      ...w,
      maxLlmCalls: Math.min(h.maxLlmCalls, w.maxLlmCalls),
      ...(maxCostUsd !== undefined ? {maxCostUsd} : {}),
    }
  })
  const outputCaps = wanted.outputCaps.map(w => {
    const h = have.outputCaps?.find(x => sameScope(x.scope, w.scope) && x.tool === w.tool)
    return h ? {...w, maxChars: Math.min(h.maxChars, w.maxChars)} : w
  })
  const duplicateCalls = wanted.duplicateCalls.map(w => {
    const h = have.duplicateCalls?.find(x => sameScope(x.scope, w.scope))
    return h ? {...w, tools: h.tools.includes('*') ? ['*'] : [...new Set([...w.tools, ...h.tools])]} : w
  })
  // (In the order the policy writes them: a file rendered again is byte for byte the same.)
  return {
    callLimits: [
      ...callLimits,
      ...(have.callLimits ?? []).filter(h => !callLimits.some(w => sameScope(w.scope, h.scope))),
    ],
    duplicateCalls: [
      ...duplicateCalls,
      ...(have.duplicateCalls ?? []).filter(h => !duplicateCalls.some(w => sameScope(w.scope, h.scope))),
    ],
    outputCaps: [
      ...outputCaps,
      ...(have.outputCaps ?? []).filter(h => !outputCaps.some(w => sameScope(w.scope, h.scope) && w.tool === h.tool)),
    ],
  }
}

/** Whether a policy routes nothing and guards nothing. */
function saysNothing(p: RoutingPolicy): boolean {
  const g = p.guards
  return (
    !p.tiers.length &&
    !p.rules.length &&
    !p.escalation.length &&
    g.callLimits.length + g.duplicateCalls.length + g.outputCaps.length === 0
  )
}

/** The routing an earlier file holds, kept in a policy that has none of its own. */
function keepRouting(policy: RoutingPolicy, before: Partial<RoutingPolicy>): void {
  policy.tiers = before.tiers ?? []
  policy.default = before.default ?? ''
  policy.rules = before.rules ?? []
  policy.thresholds = before.thresholds ?? []
  policy.escalation = before.escalation ?? []
  if (before.evaluation) policy.evaluation = before.evaluation
  if (before.source?.router) policy.source.router = before.source.router
  if (before.source?.evaluation) policy.source.evaluation = before.source.evaluation
}

/** The policy as its file holds it: paths relative to the file's folder. */
function policyForFile(policy: RoutingPolicy, file: string): RoutingPolicy {
  const dir = dirname(file)
  const copy = structuredClone(policy)
  if (copy.source.router) copy.source.router.path = rel(dir, copy.source.router.path)
  for (const key of ['evaluation', 'decisions', 'cards'] as const) {
    const v = copy.source[key]
    if (v) copy.source[key] = rel(dir, v)
  }
  if (copy.evaluation?.file) copy.evaluation.file = rel(dir, copy.evaluation.file)
  for (const rule of copy.rules) {
    if ('router' in rule.when) rule.when.router.path = rel(dir, rule.when.router.path)
    if ('cascade' in rule.when) rule.when.cascade.path = rel(dir, rule.when.cascade.path)
  }
  return copy
}

export const acoPolicyTarget: TargetAdapter = {
  kind: 'aco-policy',
  describe: "aco's routing policy file (JSON), for loadPolicy / route in agent code",
  formats: 'any',
  mayCreate: true,
  render(text: string | undefined, ctx: PatchContext): Rendered {
    let before: Partial<RoutingPolicy> | undefined
    if (text !== undefined && text.trim() !== '') {
      try {
        before = parseJson(text) as Partial<RoutingPolicy>
      } catch (error) {
        throw new TargetParseError(`not JSON: ${(error as Error).message}`, 1)
      }
      if (before?.kind !== 'aco-routing-policy')
        throw new TargetParseError(
          'not an aco routing policy (kind is not "aco-routing-policy"): refusing to replace it',
          1,
        )
    }
    const policy = policyForFile(ctx.policy, ctx.path)
    // Limits only ever tighten: a guard the earlier file held tighter (set by hand) keeps its value, and one it has that
    // the policy has not is kept.
    if (before?.guards) policy.guards = tighter(before.guards, policy.guards)
    // A run with no router keeps the routing the file holds (its guards added to it): it has nothing to route by, and
    // an empty one would send every call to no model.
    if (!policy.tiers.length && before?.tiers?.length) keepRouting(policy, before)
    // A run whose policy says nothing (no router, no decision accepting a flag: trial 116) makes no file and changes
    // none: a file there keeps what it says, and the decisions it was made from (review 118: a rewrite had credited its
    // guards to decisions that accepted nothing).
    if (saysNothing(ctx.policy)) {
      const none = emptyRendered(text ?? '')
      none.notes.push(
        text === undefined || text.trim() === ''
          ? 'not created: the policy says nothing (no router given, and no accepted flag asks for a guard)'
          : 'left as it is: this run’s policy says nothing (no router given, and no accepted flag asks for a guard)',
      )
      return none
    }
    const out = emptyRendered(`${JSON.stringify(policy, null, 2)}\n`)
    if (out.text === text)
      return {
        ...out,
        // (The file already says all of it: its guards are held, not added, and earn no saving.)
        expressed: ctx.policy.escalation.length ? [ESCALATION] : [],
        held: relevantSuggestions(ctx.suggestions, 'any').map(s => s.id),
        settled: ['the policy'],
      }
    const g = policy.guards
    const parts = [
      `${policy.tiers.length} tier${policy.tiers.length === 1 ? '' : 's'}${policy.tiers.length ? ` (${policy.tiers.map(t => `${t.name} ${t.model}`).join(', ')})` : ''}`,
      `${policy.rules.length} rule${policy.rules.length === 1 ? '' : 's'}`,
      `${g.callLimits.length + g.duplicateCalls.length + g.outputCaps.length} guard${g.callLimits.length + g.duplicateCalls.length + g.outputCaps.length === 1 ? '' : 's'}`,
    ]
    out.changes.push({
      where: text === undefined ? '(new file)' : '(whole file)',
      to: parts.join(', '),
      why: 'the routing policy agent code loads with loadPolicy and applies with route',
      prunes: [
        ...relevantSuggestions(ctx.suggestions, 'any').map(s => s.id),
        ...(ctx.policy.escalation.length ? [ESCALATION] : []),
      ],
    })
    // A file that already had a guard as tight (another run's policy) adds nothing for it; nor does it route anew when
    // its tiers and rules are the policy's (whatever else changed: a guard, a figure of the evaluation).
    for (const s of relevantSuggestions(ctx.suggestions, 'any')) {
      const wanted = guardsFrom([s])
      const held = before?.guards !== undefined && holds(before.guards, wanted)
      ;(held ? out.held : out.expressed).push(s.id)
      // (A looser cap the file already held: only the output between the two is saved.)
      const looser =
        s.outputCap &&
        before?.guards?.outputCaps?.find(h => sameScope(h.scope, s.scope) && h.tool === s.outputCap!.tool)
      if (!held && looser) credit(out, s, looser.maxChars)
      // (As in a config: the saving is reckoned from calls past the limit; a cost limit tightened beside it is said.)
      const cost = wanted.callLimits[0]?.maxCostUsd
      const had = before?.guards?.callLimits?.find(h => sameScope(h.scope, s.scope))?.maxCostUsd
      if (held && cost !== undefined && (had === undefined || had > cost))
        out.notes.push(
          `guards: the cost limit of ${s.title} tightened to $${cost}; its saving is not credited, since the call limit was already as tight`,
        )
    }
    if (ctx.policy.escalation.length) out.expressed.push(ESCALATION)
    // (Agent code asks route() for every call's model: any call may move.)
    out.routes = ctx.policy.tiers.length > 0 && (before === undefined || routing(before) !== routing(policy))
    if (out.routes) movesCalls(out, undefined)
    return out
  },
}
