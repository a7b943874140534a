/**
 * `aco-policy:PATH`: the policy itself, as the JSON file the library loads
 * (`loadPolicy` / `route`). Everything the policy says is expressed here (a
 * guard an earlier policy file already held as tight is held, earning nothing);
 * paths inside it are written relative to the policy file, so the folder can
 * move as a whole.
 */
import {dirname, isAbsolute, relative} from 'node:path'
import {guardsFrom} from '../../policy/prune.js'
import type {GuardScope, Guards, RoutingPolicy} from '../../policy/types.js'
import {
  ESCALATION,
  emptyRendered,
  relevantSuggestions,
  type PatchContext,
  type Rendered,
  type TargetAdapter,
} from '../target.js'
import {TargetParseError} from '../yaml-text.js'

function rel(from: string, path: string): string {
  if (!isAbsolute(path)) return path
  const r = relative(from, path)
  return r === '' ? '.' : r.split('\\').join('/')
}

/**
 * Whether guards a policy file holds are at least as tight as every one of `wanted` (the same scope: a call limit of
 * no more calls, an output cap of the tool at no more characters, a duplicate-call guard over its tools).
 */
function holds(have: Guards, wanted: Guards): boolean {
  const within = (a: GuardScope, b: GuardScope): boolean => a.format === b.format && a.agent === b.agent
  if (wanted.callLimits.length + wanted.outputCaps.length + wanted.duplicateCalls.length === 0) return false
  return (
    wanted.callLimits.every(w =>
      (have.callLimits ?? []).some(h => within(h.scope, w.scope) && h.maxLlmCalls <= w.maxLlmCalls),
    ) &&
    wanted.outputCaps.every(w =>
      (have.outputCaps ?? []).some(h => within(h.scope, w.scope) && h.tool === w.tool && h.maxChars <= w.maxChars),
    ) &&
    wanted.duplicateCalls.every(w =>
      (have.duplicateCalls ?? []).some(
        h => within(h.scope, w.scope) && (h.tools.includes('*') || w.tools.every(t => h.tools.includes(t))),
      ),
    )
  )
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
        before = JSON.parse(text) as Partial<RoutingPolicy>
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
    for (const s of relevantSuggestions(ctx.suggestions, 'any'))
      (before?.guards && holds(before.guards, guardsFrom([s])) ? out.held : out.expressed).push(s.id)
    if (ctx.policy.escalation.length) out.expressed.push(ESCALATION)
    const routing = (p: Partial<RoutingPolicy>): string => JSON.stringify([p.tiers, p.default, p.rules])
    out.routes = ctx.policy.tiers.length > 0 && (before === undefined || routing(before) !== routing(policy))
    return out
  },
}
