/**
 * PR.md: the body of the pull request that carries the patches, written for
 * a reviewer to trust in one read. What changes and why; the expected saving
 * with its arithmetic (the analysed traces, the period they cover, the
 * router's held-out figures); the router's evaluation as it reported it
 * ("not reported" where it did not); the prune changes with their evidence
 * and the commands that open it; what no target can express; how to roll
 * back. Quoted trace content (titles, flag reasons) is redacted.
 */
import {basename, relative} from 'node:path'
import type {AcceptedFlag, PruneSuggestion} from '../policy/prune.js'
import {nothingCounted} from '../policy/saving.js'
import type {RoutingPolicy} from '../policy/types.js'
import {percent, usd} from '../util/format.js'
import {markdownText} from '../util/markdown.js'
import {redactText} from '../util/redact.js'
import {nothingToMerge, type PatchPlan, rulesOnly, type TargetPlan} from './types.js'
import {ESCALATION} from './target.js'
import {DEFAULT_DECISIONS} from '../review/decisions.js'

const NOT_REPORTED = 'not reported'

/** Dollars with `d` decimals, rounded as `moneySum` rounds them (a figure reads the same in a sum and alone). */
function fixed(v: number, d: number): string {
  return `$${v.toLocaleString('en-US', {minimumFractionDigits: d, maximumFractionDigits: d})}`
}

/**
 * Dollars in the arithmetic: four decimals under a dollar, so small sums still add up on the page. (Rounded as the sums
 * are: trial 116 read one flag's $0.01005 as $0.0101 in a sum and $0.0100 beside it, toFixed rounding its binary value.)
 */
export function money(v: number): string {
  if (v < 0) return `−${money(-v)}`
  // (Two significant digits in decimals: $0.000000031, not $3.1e-8.)
  if (v !== 0 && v < 0.0001) {
    // (Below what twenty decimals show, said so, not $0.00000000000000000000; review 125.)
    if (v < 1e-19) return '<$0.0000000000000000001'
    const digits = Math.min(20, 1 - Math.floor(Math.log10(v)))
    // (Rounded up into the next decade, $0.000100 for 0.00009999: one decimal fewer.)
    const text = v.toFixed(digits)
    return `$${Number(text) >= 10 ** (1 - digits) * 10 ? v.toFixed(digits - 1) : text}`
  }
  return v < 1 ? fixed(v, 4) : usd(v)
}

/**
 * Dollars in a sum shown term by term (`a + b = c`): each figure with as many decimals as it takes for the terms as
 * shown to add up to the total as shown (as many as `money` shows at least; eight at most).
 */
export function moneySum(terms: readonly number[], total: number): {terms: string[]; total: string} {
  const show = (v: number, d: number): string => `${v < 0 ? '−' : ''}${fixed(Math.abs(v), d)}`
  // (Cents where every figure is a dollar or more, as `money` shows those.)
  let d = [...terms, total].every(v => Math.abs(v) >= 1) ? 2 : 4
  const shown = (v: number): number => Math.round(v * 10 ** d)
  while (d < 8 && terms.reduce((a, v) => a + shown(v), 0) !== shown(total)) d++
  return {terms: terms.map(v => show(v, d)), total: show(total, d)}
}

/** A sentence with exactly one full stop. */
function sentence(text: string): string {
  return `${text.replace(/[.\s]+$/, '')}.`
}

function pct(v: number | undefined, digits = 1): string {
  return v === undefined ? NOT_REPORTED : percent(v, digits)
}

/** Markdown table cell: no pipes or newlines, secrets redacted. */
function cell(text: string): string {
  return markdownText(redactText(text)).replace(/\s*\n\s*/g, ' ')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``
}

function shortDate(iso: string): string {
  return iso.slice(0, 10)
}

function title(plan: PatchPlan): string {
  const policy = plan.built.policy
  const parts: string[] = []
  const ev = policy.evaluation
  // What the patches carry: the routing when a file here does, the guards files here express.
  // (Not a router its evaluation found moving nothing at its operating point: no call would move.)
  const routes =
    policy.tiers.length > 0 && !plan.built.routerIdle && plan.targets.some(t => t.rendered?.routes === true)
  if (routes) {
    if (policy.rules.some(r => 'cascade' in r.when)) parts.push(`run ${describePolicy(policy)}`)
    else if (policy.source.router?.kind === 'aco-step-router')
      parts.push(`route each step with the per-step router (${policy.tiers.map(t => t.model).join(', ')})`)
    else if (policy.rules.some(r => 'router' in r.when))
      parts.push(`route each item with the trained router (${policy.tiers.map(t => t.model).join(', ')})`)
    else if (policy.rules.some(r => 'share' in r.when))
      parts.push(`mix ${ev?.recommendedModels?.join(' and ') ?? 'two models'}`)
    else parts.push(`run on ${policy.tiers.find(t => t.name === policy.default)?.model}`)
  }
  const guards = plan.built.suggestions.filter(s => s.prevention !== 'advice' && isExpressed(plan, s))
  const s = plan.saving
  // A counted routing's figure beside the prune's, and the whole change's, each as the body shows it (the terms
  // adding up as shown): a title that gave the prune's alone read as a saving where the routing costs more than the
  // prune saves (trial 113), per 30 days where the traces give a month, else over their period (review 114).
  const monthly = s.monthlyUsd !== undefined
  const routing = routes ? (monthly ? s.routing.monthlyUsd : s.routing.savingUsd) : undefined
  const prune = monthly ? (s.prune.monthlyUsd ?? 0) : s.prune.savingUsd
  const span = monthly ? 'per 30 days' : s.period ? "over the traces' period" : 'over the traces'
  const figures =
    routing !== undefined
      ? moneySum([routing, guards.length ? prune : 0], routing + (guards.length ? prune : 0))
      : undefined
  const per = (v: number, shown: string): string =>
    `${v < 0 ? `costs ${shown.replace('−', '')} more` : `saves ${shown}`} ${span}`
  if (figures) {
    const part = parts[0]!
    const text = per(routing!, figures.terms[0]!)
    parts[0] = part.endsWith(')') ? `${part.slice(0, -1)}; ${text})` : `${part} (${text})`
  }
  // (Per 30 days where the traces give a period, as the expected saving is; else over the traces, said so: trial 82 read
  // "prune $0.0393" over 437.9 days beside a routing that costs more.)
  if (guards.length > 0)
    parts.push(
      figures
        ? `prune accepted waste (saves ${figures.terms[1]} ${span})`
        : s.prune.monthlyUsd !== undefined
          ? `prune accepted waste (${money(s.prune.monthlyUsd)} per 30 days)`
          : `prune ${money(guards.reduce((sum, g) => sum + g.expectedSavingUsd, 0))} of accepted waste`,
    )
  const rules = asRules(plan)
  if (rules.length > 0 && plan.targets.some(t => t.status === 'patch' && t.kind === 'instructions'))
    parts.push(
      `rules for the agent against ${money(rules.reduce((sum, r) => sum + r.wastedUsd, 0))} of accepted waste (no saving claimed)`,
    )
  if (figures && guards.length > 0) {
    const net = routing! + prune
    return `aco: ${parts.join('; ')}: ${per(net, figures.total)} in all`
  }
  if (parts.length) return `aco: ${parts.join('; ')}`
  // Files change, but no change moves a call or adds a guard (a model named as evaluated, an escalation list).
  return plan.targets.some(t => t.status === 'patch')
    ? 'aco: align the configs with the policy (no saving claimed)'
    : 'aco: no change'
}

export function renderPullRequest(plan: PatchPlan, cwd: string): string {
  const out: string[] = []
  const rel = (p: string): string => relative(cwd, p) || '.'
  const policy = plan.built.policy
  out.push(`# ${title(plan)}`, '')
  const from: string[] = []
  if (plan.inputs.router) from.push(`the router ${code(rel(plan.inputs.router))}`)
  if (plan.inputs.evaluation) from.push(`its evaluation ${code(rel(plan.inputs.evaluation))}`)
  if (plan.inputs.decisions) from.push(`the decisions ${code(rel(plan.inputs.decisions))}`)
  if (plan.inputs.cards)
    from.push(
      // (Cards `aco review` analysed sit in this machine's temporary files: named by what made them, not by a path the
      // reader has not; trial 123 read `../../aco-review-0/analysed-…/cards.ndjson` here.)
      `${plan.inputs.traces} analysed trace${plan.inputs.traces === 1 ? '' : 's'} (subagents counted apart) ${madeByReview(plan.inputs.cards) ? 'that `aco review` read from trace files' : code(rel(plan.inputs.cards))}`,
    )
  out.push(`Generated by \`aco patch\` from ${from.join(', ')}.`, '')

  changesSection(out, plan)
  savingSection(out, plan)
  if (policy.tiers.length > 0) evaluationSection(out, policy, plan.offModels)
  pruneSection(out, plan)
  adviceSection(out, plan)
  evidenceSection(out, plan, rel)
  rollbackSection(out, plan)
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}

function changesSection(out: string[], plan: PatchPlan): void {
  out.push('## What changes and why', '')
  const policy = plan.built.policy
  if (policy.tiers.length > 0) {
    const tiers = policy.tiers.map(t => `${t.name} = ${code(t.model)}`).join(', ')
    const rules = policy.rules.length
      ? policy.rules.map(r => r.why).join('; ')
      : `every item goes to the ${policy.default} tier`
    out.push(`The routing policy: tiers ${tiers}; ${rules}.`)
    if (policy.escalation.length) out.push(`Escalation: ${policy.escalation.map(e => e.why).join('; ')}.`)
    out.push('')
  }
  const patched = plan.targets.filter(t => t.status === 'patch')
  if (patched.length > 0) {
    out.push('| file | where | change | why |', '| --- | --- | --- | --- |')
    for (const t of patched)
      for (const c of t.rendered?.changes ?? [])
        out.push(
          `| ${code(t.place.relative)} | ${code(c.where)} | ${c.from !== undefined ? `${cell(c.from)} → ` : ''}${cell(c.to)} | ${cell(c.why)} |`,
        )
    out.push('')
    for (const t of patched) if (t.patchFile) out.push(`- ${code(t.patchFile)}: ${t.kind} ${code(t.place.relative)}`)
    out.push('')
  }
  for (const t of plan.targets.filter(x => x.status === 'already-applied'))
    out.push(
      // (Not "what the policy says" where it cannot say all of it: an alias from an anchor still names the old model,
      // trial 85.)
      t.rendered?.unsupported.length
        ? `- ${code(t.place.relative)} (${t.kind}): no change; it already says what it can express of the policy (${t.rendered.settled.join(', ') || 'nothing to add'}), and the rest it cannot express (below).`
        : `- ${code(t.place.relative)} (${t.kind}): already applied — it already says what the policy says (${t.rendered?.settled.join(', ') || 'nothing to add'}).`,
    )
  for (const t of plan.targets.filter(x => x.status === 'nothing-to-do'))
    out.push(
      t.rendered?.unsupported.length
        ? `- ${code(t.place.relative)} (${t.kind}): no change; what the policy says about it, it cannot express (below).`
        : `- ${code(t.place.relative)} (${t.kind}): nothing in the policy concerns it.`,
    )
  for (const t of plan.targets.filter(x => x.status === 'unreadable'))
    out.push(
      `- ${code(t.place.relative)} (${t.kind}): **not patched**, it could not be read${t.error?.line !== undefined ? ` (line ${t.error.line})` : ''}: ${cell(t.error?.message ?? '')}.`,
    )
  const notes = [
    ...plan.notes,
    ...plan.targets.flatMap(t => (t.rendered?.notes ?? []).map(n => `${code(t.place.relative)}: ${n}`)),
  ]
  if (notes.length) {
    out.push('', 'Notes:', '')
    for (const n of notes) out.push(`- ${redactText(n)}`)
  }
  out.push('')
}

function savingSection(out: string[], plan: PatchPlan): void {
  const s = plan.saving
  out.push('## Expected saving', '')
  const idle =
    !s.monthlyUsd && !s.prune.savingUsd
      ? nothingToMerge(plan.targets, t => t.rendered?.unsupported.length ?? 0)
      : undefined
  const p = plan.built.policy
  const g = p.guards
  if (
    !p.tiers.length &&
    !p.escalation.length &&
    g.callLimits.length + g.duplicateCalls.length + g.outputCaps.length === 0 &&
    !plan.built.suggestions.length
  )
    // (No router, and no decision accepting a flag: trial 116's PR.md read "no file here can express the policy".)
    out.push('None: the policy says nothing (no router given, and no accepted flag asks for a change).', '')
  else if (idle) {
    out.push(
      idle === 'applied'
        ? 'None: every file here already says what the policy says, so merging changes no call.'
        : idle === 'partly'
          ? 'None: every file here already says what it can express of the policy, and the rest none of them can (below: what), so merging changes no call.'
          : 'None: no file here can express the policy (below: what each cannot), so merging changes no call.',
      '',
    )
    notCredited(out, plan)
  } else if (!s.monthlyUsd && !s.prune.savingUsd && s.routing.rows.length === 0 && rulesOnly(plan.targets)) {
    // (Rules for the agent alone: no figure to give, not a "$0.0000 per 30 days" that reads as measured, trial 76.)
    out.push(
      'None credited: the only change is rules for the agent (below), instructions it may not follow; `aco analyze` of its traces after the merge shows what they saved.',
      '',
    )
    notCredited(out, plan)
  } else if (nothingCounted(s) && s.routing.note) {
    // (Nothing counted on either side: no figure, not a "$0.0000 per 30 days" that reads as measured, trial 82.)
    out.push(
      `None credited: routing not counted, ${noteText(s.routing.note)}; and ${plan.inputs.decisions || plan.inputs.acceptAbove !== undefined ? 'no accepted waste that a file here expresses saves anything' : 'no prune saving (no accepted waste: no decisions or --accept-above given)'}.`,
      '',
    )
    notCredited(out, plan)
  } else if (!s.period) {
    out.push(
      plan.inputs.cards
        ? 'The traces carry no dates: the period they cover, and so a monthly figure, is unknown.'
        : 'No analysed traces (--cards, or the cards the decisions name): the spend a saving scales with is unknown, so no figure is given.',
      '',
    )
    // (What the changes would have saved over the traces themselves needs no period.)
    if (plan.inputs.cards && s.prune.savingUsd > 0)
      out.push(
        `Prune: ${money(s.prune.savingUsd)} over the analysed traces, from the changes below that a file here expresses.`,
        '',
      )
  } else {
    const days = s.period.days
    const span = `${shortDate(s.period.start)} → ${shortDate(s.period.end)}`
    const factor = s.monthlyFactor
    const monthly = moneySum([s.routing.monthlyUsd ?? 0, s.prune.monthlyUsd ?? 0], s.monthlyUsd ?? 0)
    if (s.monthlyUsd !== undefined)
      out.push(
        `**${monthly.total} per 30 days** (an estimate: routing ${s.routing.monthlyUsd !== undefined ? monthly.terms[0] : 'not counted'}${s.prune.monthlyUsd ? ` + prune ${monthly.terms[1]}` : '; no prune saving'}), from ${tracesCounted(s.periodTraces, plan.inputs.traces ?? 0)} covering ${days.toFixed(1)} days (${span}).`,
        '',
      )
    else
      out.push(
        `The traces cover ${periodText(days)} (${span}): too short to scale to a month, so the figures below are for that period only.`,
        '',
      )
    const scale = (v: number): string =>
      factor !== undefined ? `, × 30 / ${days.toFixed(1)} days = **${money(v * factor)} per 30 days**` : ''
    if (s.routing.rows.length > 0) {
      out.push(
        `Routing (spend on each model the router has figures for × the share of cost the policy saves against it on held-out items${s.routing.subagentsLeftOut ? '; subagents are left out: the policy has no rule for them, so they keep their own models' : ''}):`,
        '',
      )
      for (const r of s.routing.rows) {
        const same = r.model === r.candidate ? '' : ` (the router's ${code(r.candidate)})`
        out.push(
          `- ${code(r.model)}${same}: ${money(r.spendUsd)} spent; the policy costs ${percent(r.costRatio, 1)} of it per item (quality ${percent(r.policyQuality, 1)} against its ${percent(r.modelQuality, 1)}), so ${money(r.spendUsd)} × (1 − ${percent(r.costRatio, 1)}) = ${money(r.savingUsd)}${scale(r.savingUsd)}.${r.savingUsd < 0 ? ' The policy costs more here: it buys quality.' : ''}`,
        )
      }
      if (s.routing.unmoved.length)
        out.push(
          `- Not counted (no file here moves their calls: the slots the files change ran ${movedList(plan)}): ${s.routing.unmoved.map(u => `${code(u.model)} ${money(u.spendUsd)}`).join(', ')}.`,
        )
      if (s.routing.unmatched.length)
        out.push(
          `- Not counted (the router has no figures for them): ${s.routing.unmatched.map(u => `${code(u.model)} ${money(u.spendUsd)}`).join(', ')}.`,
        )
      out.push('', sameItems(plan), '')
    } else if (s.routing.note) out.push(`Routing: not counted, ${noteText(s.routing.note)}.`, '')
    const expressed = plan.built.suggestions.filter(p => p.expectedSavingUsd > 0 && isExpressed(plan, p))
    const prune = moneySum(
      expressed.map(p => p.expectedSavingUsd),
      s.prune.savingUsd,
    )
    if (expressed.length > 0)
      out.push(
        `Prune: ${prune.terms.length > 1 ? `${prune.terms.join(' + ')} = ` : ''}${prune.total} over the period from the changes below that a file here expresses${scale(s.prune.savingUsd)}.`,
        '',
      )
    const held = notCredited(out, plan)
    const rules = asRules(plan)
    if (rules.length > 0)
      out.push(
        `Not credited: the rules for the agent (below), ${money(rules.reduce((t, p) => t + p.wastedUsd, 0))} of accepted waste at stake over the analysed traces: instructions it may not follow.`,
        '',
      )
    if (expressed.length === 0 && held === 0 && rules.length === 0)
      out.push('Prune: no accepted waste that a file here expresses.', '')
    else if (expressed.length > 0 && s.routing.rows.length > 0) {
      // (The sum itself, over the period: with too short a period to scale, it is the only total PR.md gives; trial 85.)
      const routed = s.routing.savingUsd ?? 0
      const both = moneySum([routed, s.prune.savingUsd], routed + s.prune.savingUsd)
      out.push(
        `The two are added: routing ${both.terms[0]} + prune ${both.terms[1]} = **${both.total} over the period**${scale(routed + s.prune.savingUsd)}; they overlap a little, since a pruned call would also have been routed.`,
        '',
      )
    }
  }
}

/** The expected saving of accepted waste whose guards the files already hold, said as not credited; how many. */
function notCredited(out: string[], plan: PatchPlan): number {
  const held = plan.built.suggestions.filter(p => p.expectedSavingUsd > 0 && !isExpressed(plan, p) && isHeld(plan, p))
  if (held.length > 0)
    out.push(
      `Not credited: ${held.map(p => money(p.expectedSavingUsd)).join(' + ')} of expected saving on accepted waste whose guard${held.length === 1 ? ' is' : 's are'} already in place, as tight, in the files here (merging changes nothing for ${held.length === 1 ? 'it' : 'them'}; whether the traces ran before or with ${held.length === 1 ? 'it' : 'them'}, this patch saves nothing more).`,
      '',
    )
  return held.length
}

/**
 * The router against the simpler policy shipped, on calibration: its quality lead in points and its cost per item, each
 * with the noise (half the 95% interval); "not shown better" when its lead on what the recommendation rule weighed them
 * on (cost, or within a budget quality) is not beyond the noise, as the evaluation's own words judge it.
 */
function routerLead(lead: number, noise: number, cost?: number, costNoise?: number, on?: 'cost' | 'quality'): string {
  const points = `${lead >= 0 ? '+' : '−'}${(Math.abs(lead) * 100).toFixed(1)} points of quality (noise ±${(noise * 100).toFixed(1)})`
  const costs =
    cost !== undefined && costNoise !== undefined
      ? `, ${money(Math.abs(cost))} per item ${cost <= 0 ? 'cheaper' : 'dearer'} (noise ±${money(costNoise)})`
      : ''
  const cheaper = cost !== undefined && costNoise !== undefined && -cost > costNoise
  const shown = on === 'cost' ? cheaper : on === 'quality' ? lead > noise : lead > noise || cheaper
  // Not shown better: within noise, or worse beyond it (trial 33: "within noise" beside a router shown dearer).
  const dearer = cost !== undefined && costNoise !== undefined && cost > costNoise
  const worse = -lead > noise
  const why =
    on !== 'quality' && dearer
      ? 'dearer beyond noise'
      : on !== 'cost' && worse
        ? 'worse in quality beyond noise'
        : 'within noise'
  return `${points}${costs} on calibration${shown ? '' : ` (${why}: not shown better)`}`
}

function evaluationSection(out: string[], policy: RoutingPolicy, offModels: string | undefined): void {
  const ev = policy.evaluation
  const cascade = ev?.recommendation === 'cascade'
  out.push(`## The ${cascade ? 'cascade' : 'router'}'s evaluation (held-out items)`, '')
  // (Before its figures, which a reader would otherwise take for this team's: trial 115.)
  if (offModels)
    out.push(
      `**The traces' own models**: ${markdownText(redactText(offModels.charAt(0).toUpperCase() + offModels.slice(1)))}.`,
      '',
    )
  if (!ev) {
    out.push(
      policy.source.router?.kind === 'aco-step-router'
        ? `A per-step router: its evaluation (the cost–quality frontier over labelled steps, the bound, the baselines) is in ${policy.source.evaluation ? code(basename(policy.source.evaluation)) : 'the evaluation.md aco train --steps wrote'} beside it, not in figures per item; the policy's threshold above is its operating point.`
        : `${NOT_REPORTED}: no evaluation.json beside the router.`,
      '',
    )
    return
  }
  const strongest = ev.strongest ? code(ev.strongest) : 'the strongest model'
  const cal = ev.calibration
  const shipped = describePolicy(policy)
  // (What ships, not what was recommended: a recommendation the policy could not carry keeps the router; review 83.)
  const isRouter =
    policy.rules.some(r => 'router' in r.when) || ev.recommendation === undefined || ev.recommendation === 'router'
  const others = isRouter || cascade ? '' : " (the router's)"
  const rows: Array<[string, string]> = [
    // (A cascade's evaluation recommends nothing: `cascade` marks its own figures, trial 80.)
    [
      'policy shipped',
      `${shipped}${ev.recommendation && ev.recommendation !== 'cascade' ? ` (the evaluation recommends: ${ev.recommendation})` : ''}`,
    ],
    ['quality kept', ev.qualityShare !== undefined ? `${pct(ev.qualityShare)} of ${strongest}'s` : NOT_REPORTED],
    ['cost saved', ev.costShare !== undefined ? `${pct(1 - ev.costShare)} of ${strongest}'s cost` : NOT_REPORTED],
    [
      'quality, cost per item',
      ev.test?.quality !== undefined && ev.test.costUsd !== undefined
        ? `${pct(ev.test.quality)}, ${money(ev.test.costUsd)} on ${ev.test.items ?? '?'} test items`
        : NOT_REPORTED,
    ],
    [
      "router's lead over this policy",
      cascade
        ? '— (this is the cascade; its lead over the ex-ante router is below)'
        : isRouter
          ? '— (this is the router)'
          : ev.lead !== undefined && ev.noise !== undefined
            ? routerLead(ev.lead, ev.noise, ev.costLeadUsd, ev.costNoiseUsd, ev.leadOn)
            : NOT_REPORTED,
    ],
    // (The router's own where the policy shipped is a simpler one: the rows say so, trial 82.)
    [`α${others}`, cal?.alpha !== undefined ? String(cal.alpha) : NOT_REPORTED],
    [
      // (Named by the bound that holds: conformal risk control's on average, Learn-then-Test's with probability 1 − δ.)
      `${cal?.guarantee === 'high' ? 'high-probability bound' : 'conformal bound'}${others}`,
      cal?.bound !== undefined
        ? `${cal.bound.toFixed(4)}${cal.calibrationItems !== undefined ? ` on ${cal.calibrationItems} calibration items` : ''}`
        : NOT_REPORTED,
    ],
    [
      `measured rate (test${others ? ", the router's" : ''})`,
      cal?.measuredRate !== undefined
        ? `${pct(cal.measuredRate)} of items failed where ${strongest} succeeded`
        : ev.testRate !== undefined
          ? `${pct(ev.testRate)} of items failed where ${strongest} succeeded (at its operating point; no bound chose it)`
          : NOT_REPORTED,
    ],
  ]
  out.push('| figure | value |', '| --- | --- |')
  for (const [k, v] of rows) out.push(`| ${k} | ${v} |`)
  out.push('')
  if (ev.recommendationText) out.push(`The evaluation says: ${markdownText(redactText(ev.recommendationText))}`, '')
  // (The kind of bound, as the evaluation recorded it: the router's and the cascade's sentences both say it.)
  const boundKind =
    cal?.guarantee === 'high'
      ? `high-probability: with probability at least ${Number((1 - (cal?.delta ?? 0.1)).toFixed(6))} over calibration draws`
      : 'marginal: on average over calibration draws'
  // (An operating point chosen by keeping a share of the strongest's quality, or a budget, has no bound in force: the
  // bounds an evaluation records for other levels do not cover it.)
  const bounded = cal?.alpha !== undefined
  out.push(
    !bounded
      ? cascade || isRouter
        ? `The operating point was chosen by its objective on the calibration split, not by a conformal bound: no guarantee holds for the ${cascade ? 'cascade' : 'router'} beyond the figures measured on the test split above.`
        : `No conformal bound is reported for the router, and none would cover ${shipped}, the simpler policy this PR ships: its figures are the ones measured on the test split above, with no guarantee beyond them.`
      : cascade
        ? `The conformal bound is ${boundKind}, for new items drawn like the calibration items, the rate of items where the cascade's kept answer fails while ${strongest} would have succeeded stays at most α. Its cost counts every model it ran. Drift, another task mix or other prompts break it.`
        : isRouter
          ? `The conformal bound is ${boundKind}, for new items drawn like the calibration items, the rate of items the router gets wrong where the strongest model gets them right stays at most α; drift, another task mix or other prompts break it.`
          : `α, the bound and the measured rate are the router's, at its conformal threshold: they do not cover ${shipped}, the simpler policy this PR ships. Its figures are the ones measured on the test split above, with no guarantee beyond them.`,
    '',
  )
  if (ev.warnings.length) {
    out.push('**Warnings**', '')
    for (const w of ev.warnings) out.push(`- ${markdownText(redactText(w))}`)
    out.push('')
  } else out.push('Warnings: none reported.', '')
}

/** The policy in words: "claude-sonnet-4-5 alone", "a mix of …", "the router over …". */
function describePolicy(policy: RoutingPolicy): string {
  const model = (tier: string | undefined): string => policy.tiers.find(t => t.name === tier)?.model ?? '?'
  const share = policy.rules.find(r => 'share' in r.when)
  const cascade = policy.rules.find(r => 'cascade' in r.when)
  if (cascade) {
    const chain = policy.evaluation?.recommendedModels ?? [model(policy.default)]
    return `the cascade ${chain.join(' → ')}`
  }
  if (policy.rules.some(r => 'router' in r.when)) return `the router over ${policy.tiers.map(t => t.model).join(', ')}`
  if (share && 'share' in share.when)
    return `a mix: ${(share.when.share * 100).toFixed(1)}% of items to ${model(share.tier)}, the rest to ${model(policy.default)}`
  return `${model(policy.default)} alone`
}

function isExpressed(plan: PatchPlan, s: PruneSuggestion): boolean {
  return plan.targets.some(t => t.rendered?.expressed.includes(s.id))
}

function isHeld(plan: PatchPlan, s: PruneSuggestion): boolean {
  return plan.targets.some(t => t.rendered?.held.includes(s.id))
}

/**
 * The accepted waste carried as rules for the agent: advice an instructions file expresses, and a guard no file here
 * carries or holds whose waste such a file carries as a rule (no saving credited either way).
 */
function asRules(plan: PatchPlan): PruneSuggestion[] {
  return plan.built.suggestions.filter(
    s =>
      (s.prevention === 'advice' && isExpressed(plan, s)) ||
      (s.prevention !== 'advice' &&
        !isExpressed(plan, s) &&
        !isHeld(plan, s) &&
        plan.targets.some(t => t.rendered?.advised?.includes(s.id))),
  )
}

function flagLine(f: AcceptedFlag): string {
  const where = `${code(f.traceId)} step #${f.stepIndex}${f.tool ? ` (${f.tool})` : ''}`
  const reason = f.reason ? `: ${cell(f.reason.length > 160 ? `${f.reason.slice(0, 159)}…` : f.reason)}` : ''
  return `${where}, ${f.kind}, ${money(f.wastedUsd)}${reason}`
}

function evidence(out: string[], flags: readonly AcceptedFlag[], max = 8): void {
  const sorted = [...flags].sort(
    (a, b) =>
      b.wastedUsd - a.wastedUsd ||
      (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0) ||
      a.stepIndex - b.stepIndex,
  )
  for (const f of sorted.slice(0, max)) out.push(`  - ${flagLine(f)}`)
  if (sorted.length > max)
    out.push(`  - … and ${sorted.length - max} more (${money(sorted.slice(max).reduce((s, f) => s + f.wastedUsd, 0))})`)
}

function pruneSection(out: string[], plan: PatchPlan): void {
  const expressed = plan.built.suggestions.filter(s => s.prevention !== 'advice' && isExpressed(plan, s))
  const removals = plan.targets.flatMap(t =>
    (t.rendered?.changes ?? []).filter(c => c.prunes?.some(p => p.startsWith('unused-'))).map(c => ({t, c})),
  )
  const held = plan.built.suggestions.filter(s => s.prevention !== 'advice' && !isExpressed(plan, s) && isHeld(plan, s))
  const rules = asRules(plan)
  if (expressed.length === 0 && removals.length === 0 && held.length === 0 && rules.length === 0) return
  out.push('## Prune changes', '')
  for (const s of expressed) {
    const carriers = plan.targets.filter(t => t.rendered?.expressed.includes(s.id)).map(t => code(t.place.relative))
    out.push(`### ${redactText(s.title)}`, '')
    out.push(
      `- Expected saving: ${money(s.expectedSavingUsd)} over the analysed traces (${s.flags.length} accepted flag${s.flags.length === 1 ? '' : 's'}, ${money(s.wastedUsd)} at stake; ${redactText(s.basis).replace(/[.\s]+$/, '')}).`,
    )
    out.push(`- In: ${carriers.join(', ')}.`)
    out.push('- Evidence:')
    evidence(out, s.flags)
    out.push('')
  }
  if (rules.length) {
    const carrying = plan.targets.filter(t =>
      rules.some(s => t.rendered?.expressed.includes(s.id) || t.rendered?.advised?.includes(s.id)),
    )
    const carriers = carrying.map(t => code(t.place.relative))
    const changed = carrying.some(t => t.status === 'patch')
    out.push('### Rules for the agent', '')
    out.push(
      `${carriers.join(', ')} ${changed ? (carriers.length === 1 ? 'gets' : 'get') : carriers.length === 1 ? 'already carries' : 'already carry'} a rule for each kind of waste below, in a section between two \`aco patch\` markers. No saving is credited: the agent reads the rules but may not follow them. Once it runs with them, \`aco analyze\` of its new traces shows what they saved.`,
      '',
    )
    for (const s of rules) {
      // (A guard's waste carried as a rule is named by what the agent did, not by the guard no file here runs: trial 115
      // read "a duplicate-call guard … is answered with the earlier result" under the rules of a Codex run.)
      const name =
        s.prevention === 'duplicate-guard'
          ? `calls repeated with nothing changed${s.scope.format ? ` in ${s.scope.format} runs` : ''}${s.tools?.length ? ` (${s.tools.join(', ')})` : ''}`
          : s.title
      out.push(
        `- **${redactText(name)}** — ${money(s.wastedUsd)} at stake in ${s.flags.length} accepted flag${s.flags.length === 1 ? '' : 's'}.`,
      )
      evidence(out, s.flags, 5)
    }
    out.push('')
  }
  if (held.length) {
    out.push('### Guards already in place', '')
    for (const s of held) {
      const carriers = plan.targets.filter(t => t.rendered?.held.includes(s.id)).map(t => code(t.place.relative))
      out.push(
        `- ${redactText(s.title)}: ${carriers.join(', ')} already ${carriers.length === 1 ? 'carries' : 'carry'} it at least as tight; no saving credited (${money(s.expectedSavingUsd)} over the analysed traces, ${s.flags.length} accepted flag${s.flags.length === 1 ? '' : 's'}).`,
      )
    }
    out.push('')
  }
  if (removals.length) {
    out.push('### Tools no run used', '')
    for (const {t, c} of removals)
      out.push(`- ${code(t.place.relative)} ${code(c.where)}: ${cell(c.from ?? '')} removed; ${cell(c.why)}.`)
    out.push('')
  }
}

function adviceSection(out: string[], plan: PatchPlan): void {
  const rules = new Set(asRules(plan))
  const advice = plan.built.suggestions.filter(
    s => !isExpressed(plan, s) && (s.prevention === 'advice' || !isHeld(plan, s)) && !rules.has(s),
  )
  const unsupported = plan.targets.flatMap(t => (t.rendered?.unsupported ?? []).map(u => ({t, u})))
  const escalation =
    plan.built.policy.escalation.length > 0 && !plan.targets.some(t => t.rendered?.expressed.includes(ESCALATION))
  if (advice.length === 0 && unsupported.length === 0 && !escalation) return
  out.push('## What no file here expresses', '')
  if (escalation)
    out.push(
      `- **Escalation** (${plan.built.policy.escalation.map(e => e.why).join('; ')}): no file here carries it; a LiteLLM proxy config (the litellm target) or the policy file (aco-policy) can.`,
    )
  for (const s of advice) {
    const why =
      s.prevention === 'advice'
        ? redactText(s.basis)
        : `no file given here can carry it (${s.prevention}${s.scope.format ? ` for ${s.scope.format}` : ''}); an aco-policy target would`
    out.push(
      `- **${redactText(s.title)}** — ${money(s.wastedUsd)} at stake in ${s.flags.length} accepted flag${s.flags.length === 1 ? '' : 's'}: ${sentence(why)}`,
    )
    evidence(out, s.flags, 5)
  }
  if (unsupported.length) {
    if (advice.length) out.push('')
    for (const {t, u} of unsupported) out.push(`- ${code(t.place.relative)}: ${sentence(redactText(u))}`)
  }
  out.push('')
}

function evidenceSection(out: string[], plan: PatchPlan, rel: (p: string) => string): void {
  const flags = plan.built.accepted
  if (flags.length === 0) return
  const byTrace = new Map<string, {root: string; usd: number; steps: number}>()
  for (const f of flags) {
    const t = byTrace.get(f.traceId) ?? {root: f.rootTraceId, usd: 0, steps: 0}
    t.usd += f.wastedUsd
    t.steps++
    byTrace.set(f.traceId, t)
  }
  const top = [...byTrace].sort((a, b) => b[1].usd - a[1].usd || (a[0] < b[0] ? -1 : 1)).slice(0, 10)
  out.push('## Evidence', '')
  out.push(
    `The traces with the most accepted waste (${flags.length} accepted flag${flags.length === 1 ? '' : 's'} in ${byTrace.size} trace${byTrace.size === 1 ? '' : 's'}):`,
    '',
  )
  out.push('| trace | accepted flags | at stake |', '| --- | --: | --: |')
  for (const [id, t] of top) out.push(`| ${code(id)} | ${t.steps} | ${money(t.usd)} |`)
  out.push('')
  const decisions = plan.inputs.decisions ? rel(plan.inputs.decisions) : DEFAULT_DECISIONS
  // Cards `aco review` analysed from trace files sit in a folder of this machine's temporary files, which a reader of
  // the pull request has not (the new user's trial 40): they are named by what made them, not by that path.
  const temporary = plan.inputs.cards !== undefined && madeByReview(plan.inputs.cards)
  const open = temporary
    ? 'The decisions were made in `aco review` of the trace files themselves, whose cards sit in a temporary folder of the machine that made them. To open them: `aco analyze TRACES --out DIR`, then `aco review DIR`, `/` and a trace id, `⏎` to open it, `n` for its next flagged step'
    : `To open them: \`aco review ${plan.inputs.cards ? rel(plan.inputs.cards) : 'CARDS'}\`, then \`/\` and a trace id, \`⏎\` to open it, \`n\` for its next flagged step`
  const above = plan.inputs.acceptAbove
  // (With `--accept-above` alone no decisions file exists: PR.md had named a default one nobody wrote.)
  if (plan.inputs.decisions || above === undefined)
    out.push(`${open};`, `\`aco label --decisions ${decisions}\` lists every decision.`, '')
  else out.push(`${open}.`, '')
  if (above !== undefined) {
    // (The command that keeps them writes the decisions file named above, not a default one; and names the cards as
    // the line above does: not a temporary folder of the machine that made them, review 73.)
    const cards = plan.inputs.cards && !temporary ? rel(plan.inputs.cards) : 'CARDS'
    out.push(
      `${plan.inputs.decisions ? 'Beside those decisions, every' : 'Every'} flag at least ${above} confident was accepted, except those a decision rejected (\`--accept-above ${above}\`); to keep them as decisions: \`aco label --cards ${cards}${plan.inputs.decisions ? ` --decisions ${decisions}` : ''} --accept-flags all --min-confidence ${above}\`.`,
      '',
    )
  }
}

/** How long the traces' period is, in words: `less than a minute`, `7 minutes`, `2.5 hours`, `3.0 days`. */
export function periodText(days: number): string {
  if (days >= 1) return `${days.toFixed(1)} days`
  if (days * 24 >= 0.1) return `${(days * 24).toFixed(1)} hours`
  const minutes = Math.round(days * 1440)
  return days * 1440 < 1 ? 'less than a minute' : `${minutes} minute${minutes > 1 ? 's' : ''}`
}

/**
 * What `--write` could not change, added to PR.md after the files were written: each file, why, and its patch (written
 * beside PR.md) to apply by hand. The saving above assumes every change is made.
 */
export function notAppliedSection(refused: ReadonlyArray<{file: string; patchFile?: string; why: string}>): string {
  const out = ['## Not applied', '', '`--write` did not change these files; the changes above assume it did:', '']
  for (const r of refused)
    out.push(
      `- ${code(r.file)}: ${cell(r.why)}${r.patchFile ? `. Its patch, ${code(r.patchFile)}, is beside this file: apply it by hand, or mend the cause and run \`aco patch --write\` again.` : '.'}`,
    )
  return `${out.join('\n')}\n`
}

/**
 * Whether a cards path is one `aco review` wrote when it analysed trace files (see `openReview`):
 * `$TMPDIR/aco-review-<user>/analysed-<key>/cards.ndjson`.
 */
export function madeByReview(path: string): boolean {
  return /[\\/]aco-review-[^\\/]+[\\/]analysed-[0-9a-f]+(?:[\\/]cards\.ndjson)?$/.test(path)
}

function rollbackSection(out: string[], plan: PatchPlan): void {
  const patched = plan.targets.filter((t: TargetPlan) => t.status === 'patch')
  if (patched.length === 0) return
  out.push('## Roll back', '')
  out.push(
    '- Revert the commit that applied the patches, or undo one: `git apply -R NN-KIND-FILE.patch` from the repository root.',
    '- Applied with `aco patch --write`: each file was kept as `FILE.aco-backup` (numbered when one was already there); copy it back over the file.',
  )
  // (The policy file's own line only where one is patched: trial 115 read it beside a config.toml alone.)
  if (plan.built.policy.tiers.length > 0 && patched.some(t => t.kind === 'aco-policy'))
    out.push(
      '- The router itself changes nothing until a file above points at it: removing the policy file undoes the routing.',
    )
  out.push('')
}

/**
 * What the routing figure assumes, with what the router was trained on and what the traces are, where both are known:
 * trial 74 read a saving reckoned on a SWE-agent session with a router of multiple-choice and short-code questions.
 */
function sameItems(plan: PatchPlan): string {
  const generic =
    "This assumes the traces' items are like the router's held-out items; where they differ (another task mix, other prompts), the saving differs too."
  const items = plan.built.routerItems
  const formats = plan.inputs.formats ?? []
  if (!items || formats.length === 0) return generic
  return `The router was trained on ${redactText(items)}, and its figures are those of held-out items like them; the traces are ${formats.join(', ')} sessions. The saving assumes their work is like those items: where it is another kind of task (an agent's session against single questions, another task mix, other prompts), it differs, and may not hold at all.`
}

/** A note that names models and groups from the traces and configs, as Markdown text: no markup of theirs (review 83). */
function noteText(note: string): string {
  return markdownText(redactText(note))
}

/** The models whose calls the patches move, as PR.md names them. */
function movedList(plan: PatchPlan): string {
  const moved = [
    ...new Set(plan.targets.flatMap(t => (Array.isArray(t.rendered?.movesFrom) ? t.rendered.movesFrom : []))),
  ]
  return moved.map(code).join(', ')
}

/** "12 traces", or "3 of the 12 traces (of the agents the files here configure)". */
function tracesCounted(counted: number | undefined, all: number): string {
  if (counted === undefined || counted >= all) return `${all} trace${all === 1 ? '' : 's'}`
  return `${counted} of the ${all} traces (those of the agents the files here configure)`
}
