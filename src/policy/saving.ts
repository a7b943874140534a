/**
 * The expected monthly saving of a patch, with its arithmetic: what the
 * analysed traces spent per model over the period they cover, scaled to 30
 * days, times the share of cost the policy saves against that model on the
 * router's held-out items; plus the prune changes' expected savings scaled the
 * same way. Every figure says where it comes from; a figure that cannot be
 * computed says why instead.
 */
import {ranOn, sameModel} from './models.js'
import type {PruneSuggestion} from './prune.js'
import {tracePeriod, type TraceSummary} from './traces.js'
import type {RoutingPolicy} from './types.js'

const DAYS_PER_MONTH = 30

interface RoutingSavingRow {
  /** The model as the traces name it. */
  model: string
  /** The router's candidate it matches. */
  candidate: string
  /** What the traces spent on it over the period. */
  spendUsd: number
  /** The policy's mean cost per item over this model's, on the held-out items. */
  costRatio: number
  policyQuality: number
  modelQuality: number
  /** spend × (1 − costRatio): negative when the policy costs more (it buys quality). */
  savingUsd: number
}

/** Calls a patch sends to another model: those of `model` (any, when absent) in traces of `formats` (any, when absent). */
export interface MovedCalls {
  model?: string
  formats?: readonly string[]
}

/** Whether a trace's calls of `model` are among those `moves` sends elsewhere (`[{}]`: every call). */
function moved(moves: readonly MovedCalls[], format: string, model: string): boolean {
  return moves.some(m => (m.model === undefined || ranOn(m.model, model)) && (!m.formats || m.formats.includes(format)))
}

export interface SavingEstimate {
  /**
   * The period of the traces of the agents the patched files configure (their formats; every trace where a change
   * applies to any): a month's saving is the rate over the weeks that agent ran, not over a year of another's traces.
   */
  period?: {start: string; end: string; days: number}
  /** How many traces that period is of. */
  periodTraces?: number
  /** 30 / days, when the traces cover at least a day. */
  monthlyFactor?: number
  routing: {
    rows: RoutingSavingRow[]
    /** Models the traces used that the router has no figures for. */
    unmatched: Array<{model: string; spendUsd: number}>
    /** Models the traces used whose calls no file here moves (a config slot or alias that ran another model). */
    unmoved: Array<{model: string; spendUsd: number}>
    /** Over the period. */
    savingUsd?: number
    monthlyUsd?: number
    /** Why there is no routing figure. */
    note?: string
    /** Subagents' spend was left out (the policy has no rule for subagents, so they keep their models). */
    subagentsLeftOut?: boolean
  }
  prune: {savingUsd: number; monthlyUsd?: number}
  monthlyUsd?: number
}

/** Estimates the saving of a policy and the prune changes that some target expresses. */
export function estimateSaving(
  policy: RoutingPolicy,
  traces: readonly TraceSummary[] | undefined,
  expressed: readonly PruneSuggestion[],
  /**
   * The calls the patches move: of a model as a file named it (any model where none is given) in traces of the formats
   * of the agent the file configures (any format where none are given); undefined when no file changes the routing.
   */
  moves: readonly MovedCalls[] | undefined,
  /** Why the router moves nothing at its operating point (its evaluation says so): no routing saving. */
  idle?: string,
): SavingEstimate {
  const est: SavingEstimate = {routing: {rows: [], unmatched: [], unmoved: []}, prune: {savingUsd: 0}}
  est.prune.savingUsd = expressed.reduce((s, p) => s + p.expectedSavingUsd, 0)
  // The formats of the agents each side's changes apply to, undefined where one applies to any (trial 123: a year of
  // Claude Code sessions a Codex change never touches made its 89 days of Codex spend a month's rate over 340 days).
  const formatsOf = (scopes: ReadonlyArray<readonly string[] | undefined>): Set<string> | undefined => {
    const out = new Set<string>()
    for (const scope of scopes) {
      if (!scope) return undefined
      for (const f of scope) out.add(f)
    }
    return out
  }
  const routingFormats = formatsOf((moves ?? []).map(m => m.formats))
  const pruneFormats = formatsOf(
    expressed.filter(p => p.expectedSavingUsd > 0).map(p => (p.scope.format ? [p.scope.format] : undefined)),
  )

  const ev = policy.evaluation
  const policyCost = ev?.test?.costUsd
  const policyQuality = ev?.test?.quality
  if (policy.tiers.length === 0) est.routing.note = 'no router was given: the patch routes nothing'
  else if (idle) est.routing.note = `${idle}: the patch routes nothing`
  else if (moves === undefined)
    est.routing.note =
      "no file here changes the routing (no target changes the model a call runs on; a file already on the policy's model, or naming the model its alias ran, moves none): the patches move no call to another model"
  else if (policy.source.router?.kind === 'aco-step-router')
    est.routing.note =
      'a per-step router: its projected saving over the steps of its cards is in its evaluation (evaluation.md), not in per-item figures this could scale by'
  else if (!traces) est.routing.note = 'no cards were given (--cards): the traces to scale the saving by are unknown'
  else if (policyCost === undefined || policyQuality === undefined || !ev?.singleModels?.length)
    est.routing.note =
      "the router's evaluation does not report the figures this needs (evaluation.json beside router.json)"
  else {
    // A subagent runs on its own model unless the policy has a rule for subagents: only then does its spend move.
    const subagentRules = policy.rules.some(r => 'stepKind' in r.when || 'agent' in r.when)
    const movedTraces = subagentRules ? traces : traces.filter(t => !t.subagent)
    if (movedTraces.length < traces.length) est.routing.subagentsLeftOut = true
    // Spend on calls no file here moves stays where it is (another model, another agent's traces): none of it is saved.
    const spend = new Map<string, number>()
    const stays = new Map<string, number>()
    for (const t of movedTraces)
      for (const [m, usd] of Object.entries(t.costByModel)) {
        const into = moved(moves, t.format, m) ? spend : stays
        into.set(m, (into.get(m) ?? 0) + usd)
      }
    const bySpend = (a: [string, number], b: [string, number]): number => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)
    for (const [model, spendUsd] of [...stays].sort(bySpend))
      if (spendUsd > 0) est.routing.unmoved.push({model, spendUsd})
    for (const [model, spendUsd] of [...spend].sort(bySpend)) {
      if (spendUsd <= 0) continue
      const single = ev.singleModels.find(s => sameModel(s.model, model))
      if (!single || single.costUsd <= 0) {
        est.routing.unmatched.push({model, spendUsd})
        continue
      }
      const costRatio = policyCost / single.costUsd
      est.routing.rows.push({
        model,
        candidate: single.model,
        spendUsd,
        costRatio,
        policyQuality,
        modelQuality: single.quality,
        savingUsd: spendUsd * (1 - costRatio),
      })
    }
    if (est.routing.rows.length === 0) {
      const names = (list: ReadonlyArray<{model: string}>): string => list.map(u => u.model).join(', ')
      const elsewhere = `${names(est.routing.unmoved)} ran elsewhere than the slots the files here change`
      est.routing.note = !est.routing.unmoved.length
        ? `the traces used none of the router's models (${ev.singleModels.map(s => s.model).join(', ')})`
        : est.routing.unmatched.length
          ? `the router has no figures for the models of the calls the files here move (${names(est.routing.unmatched)}), and ${elsewhere}`
          : `no analysed call is one the files here move (${elsewhere})`
    } else est.routing.savingUsd = est.routing.rows.reduce((s, r) => s + r.savingUsd, 0)
  }
  // One period scales both sides: a side's agents alone where only it counts, or where both sides' are the same ones;
  // every trace where they differ (review 125: a Claude Code prune beside a Codex change would stretch the Codex
  // change's period over both).
  const routes = est.routing.rows.length > 0
  const prunes = est.prune.savingUsd > 0
  const same = (a: Set<string> | undefined, b: Set<string> | undefined): boolean =>
    a !== undefined && b !== undefined && a.size === b.size && [...a].every(f => b.has(f))
  const formats =
    routes && prunes
      ? same(routingFormats, pruneFormats)
        ? routingFormats
        : undefined
      : routes
        ? routingFormats
        : prunes
          ? pruneFormats
          : undefined
  const theirs = traces && formats?.size ? traces.filter(t => formats.has(t.format)) : traces
  const over = theirs?.length ? theirs : traces
  const period = over ? tracePeriod(over) : undefined
  if (period) {
    const days = (Date.parse(period.end) - Date.parse(period.start)) / 86_400_000
    est.period = {...period, days}
    est.periodTraces = over!.length
    if (days >= 1) est.monthlyFactor = DAYS_PER_MONTH / days
  }
  if (est.monthlyFactor !== undefined) {
    const f = est.monthlyFactor
    if (est.routing.savingUsd !== undefined) est.routing.monthlyUsd = est.routing.savingUsd * f
    est.prune.monthlyUsd = est.prune.savingUsd * f
    est.monthlyUsd = (est.routing.monthlyUsd ?? 0) + est.prune.monthlyUsd
  }
  return est
}

/**
 * Whether nothing is counted on either side over traces with a period (no routing row, no prune saving): the patch's
 * summary, PR.md and `--json` then say "none credited" with why, no "$0.00 per 30 days" that reads as measured.
 */
export function nothingCounted(s: SavingEstimate): boolean {
  return (
    s.period !== undefined && !s.monthlyUsd && !s.prune.savingUsd && s.routing.rows.length === 0 && !!s.routing.note
  )
}
