/**
 * `aco patch` as a service, in two steps. `planPatch` checks every input
 * before any work (a usage error names the problem: an unknown KIND with the
 * valid ones, a missing file, a router or decisions file that fails its
 * schema), builds the policy, renders it into each target and diffs the
 * result; a target that does not parse is reported with its line and the
 * others are still done. `writePatches` / `applyPatches` (write.ts) then put
 * the result on disk.
 */
import type {BuiltPolicy} from '../policy/build.js'
import {createHash} from 'node:crypto'
import {existsSync, realpathSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {basename, dirname, join, resolve} from 'node:path'
import {AcoError} from '../errors.js'
import {loadRouter} from '../learn/runtime.js'
import {isStepRouterFile, loadStepRouter, withoutEvidence} from '../learn/steps/router.js'
import {buildPolicy} from '../policy/build.js'
import {evaluationMismatch, evaluationWarnings, readEvaluationFile} from '../policy/evaluation.js'
import {type PruneSuggestion, toolUsageByAgent} from '../policy/prune.js'
import {estimateSaving, type MovedCalls} from '../policy/saving.js'
import {sameModel} from '../policy/models.js'
import {readTraces, type TracesSummary} from '../policy/traces.js'
import {percent} from '../util/format.js'
import {readDecisions} from '../review/decisions-file.js'
import type {DecisionsFile} from '../review/decisions.js'
import {secretFreeDiff} from './diff.js'
import {renderPullRequest} from './pr.js'
import {placeTarget, type TargetPlace} from './repo.js'
import type {Rendered, TargetAdapter} from './target.js'
import type {PatchInputs, PatchPlan, TargetPlan} from './types.js'
import {TARGET_KINDS, targetAdapter} from './targets/index.js'
import {ShapeError, TargetParseError} from './yaml-text.js'
import {readInputTextSync} from '../util/fs-errors.js'

export interface PatchOptions {
  router?: string
  /** Default: evaluation.json beside the router. */
  evaluation?: string
  decisions?: string
  /** Default: the cards the decisions file names. */
  cards?: string
  acceptAbove?: number
  /** `KIND:PATH`, as typed. */
  targets: readonly string[]
  cwd: string
  allowOutside: boolean
}

interface TargetSpec {
  index: number
  kind: string
  adapter: TargetAdapter
  path: string
  place: TargetPlace
}

export function hashContent(text: string | undefined): string {
  return text === undefined ? 'absent' : createHash('sha256').update(text, 'utf8').digest('hex')
}

/** Reads a file as a target's content (undefined when it is not there). */
export function readTarget(path: string): string | undefined {
  return existsSync(path)
    ? readInputTextSync(path, 'the target', 'Give a config file as --target KIND:PATH.')
    : undefined
}

function parseTargets(specs: readonly string[], cwd: string, allowOutside: boolean): TargetSpec[] {
  if (specs.length === 0)
    throw new AcoError(
      'usage',
      'No target: aco patch needs at least one --target KIND:PATH.',
      `KIND is one of ${TARGET_KINDS.join(', ')}.`,
    )
  const seen = new Map<string, string>()
  return specs.map((spec, i) => {
    const colon = spec.indexOf(':')
    const kind = colon < 0 ? spec : spec.slice(0, colon)
    const file = colon < 0 ? '' : spec.slice(colon + 1)
    const adapter = targetAdapter(kind)
    if (!adapter)
      throw new AcoError(
        'usage',
        `--target ${spec}: unknown kind "${kind}". The kinds are: ${TARGET_KINDS.join(', ')}.`,
        'Write --target KIND:PATH, e.g. --target litellm:deploy/config.yaml.',
      )
    if (file === '')
      throw new AcoError('usage', `--target ${spec}: no path after "${kind}:".`, `Write --target ${kind}:PATH.`)
    // (`~/` as a shell would read it: after `KIND:` no shell does, and `~/.codex/config.toml` is how people name it.)
    const path = resolve(cwd, /^~(?=\/|$)/.test(file) ? (process.env.HOME || homedir()) + file.slice(1) : file)
    // (Two patches of one file: the second would not apply after the first.)
    const real = existsSync(path) ? realpathSync(path) : path
    const twice = seen.get(real)
    if (twice)
      throw new AcoError(
        'usage',
        `--target ${spec}: ${file} is already a target (--target ${twice}); each file is patched once.`,
        'Give each file once, with the kind that reads it.',
      )
    seen.set(real, spec)
    if (existsSync(path) && statSync(path).isDirectory())
      throw new AcoError('usage', `--target ${spec}: ${file} is a folder, not a file.`)
    if (!adapter.mayCreate && !existsSync(path))
      throw new AcoError(
        'usage',
        `--target ${spec}: ${file} does not exist.`,
        `Give the path of the file to patch: ${adapter.describe}.`,
      )
    if (adapter.mayCreate && !existsSync(dirname(path)))
      throw new AcoError('usage', `--target ${spec}: the folder ${dirname(file)} does not exist.`)
    const place = placeTarget(path, cwd)
    if (place.outside && !allowOutside)
      throw new AcoError(
        'usage',
        `--target ${spec}: ${file} is outside the current directory's repository, so a diff of it would not apply from here.`,
        'Run aco patch from the repository that holds it, or pass --allow-outside (its diff is then relative to its own repository).',
      )
    return {index: i + 1, kind, adapter, path, place}
  })
}

function patchFileName(index: number, kind: string, path: string): string {
  const file = basename(path).replace(/[^A-Za-z0-9._-]+/g, '-')
  return `${String(index).padStart(2, '0')}-${kind}-${file}.patch`
}

/** Checks the inputs, builds the policy, renders every target. Throws AcoError for usage errors, before any work. */
export async function planPatch(options: PatchOptions): Promise<PatchPlan> {
  const {cwd} = options
  const specs = parseTargets(options.targets, cwd, options.allowOutside)
  if (!options.router && !options.decisions && options.acceptAbove === undefined)
    throw new AcoError(
      'usage',
      'Nothing to patch from: give a router (--router router.json), decisions (--decisions FILE), or both.',
      'Train a router with aco train; make decisions with aco review or aco label; or accept every confident flag with --cards CARDS --accept-above P.',
    )
  if (options.acceptAbove !== undefined && !(options.acceptAbove >= 0 && options.acceptAbove <= 1))
    throw new AcoError('usage', `--accept-above ${options.acceptAbove}: expected a confidence from 0 to 1.`)

  const routerPath = options.router ? resolve(cwd, options.router) : undefined
  const router = routerPath
    ? isStepRouterFile(routerPath)
      ? loadStepRouter(routerPath)
      : loadRouter(routerPath)
    : undefined
  const loaded = router
  const evaluationPath = options.evaluation
    ? resolve(cwd, options.evaluation)
    : routerPath
      ? join(dirname(routerPath), 'evaluation.json')
      : undefined
  if (options.evaluation && !existsSync(evaluationPath!))
    throw new AcoError(
      'usage',
      `--evaluation ${options.evaluation} does not exist.`,
      'Give the evaluation.json aco train wrote beside router.json.',
    )
  const evaluationData = evaluationPath ? readEvaluationFile(evaluationPath) : undefined
  const mismatch = router && evaluationData !== undefined ? evaluationMismatch(router.json, evaluationData) : undefined
  if (mismatch)
    throw new AcoError(
      'usage',
      `${evaluationPath} is not the evaluation of the router ${routerPath}: ${mismatch}. Its figures would be quoted in PR.md as this router's.`,
      options.evaluation
        ? 'Give the evaluation.json aco train wrote with this router (--evaluation FILE).'
        : 'Give the evaluation.json aco train wrote with this router (--evaluation FILE), or move this one away (PR.md then says the figures are not reported).',
    )

  let decisions: DecisionsFile | undefined
  const decisionsPath = options.decisions ? resolve(cwd, options.decisions) : undefined
  if (decisionsPath) {
    decisions = await readDecisions(
      decisionsPath,
      'Pass the decisions file aco review or aco label wrote (--decisions FILE).',
    )
    if (!decisions)
      throw new AcoError(
        'usage',
        `--decisions ${options.decisions} does not exist.`,
        'Make decisions with aco review CARDS or aco label.',
      )
  }
  const notes: string[] = []
  let cardsPath = options.cards ? resolve(cwd, options.cards) : undefined
  if (!cardsPath && decisions) {
    const named = resolve(dirname(decisionsPath!), decisions.source.cards)
    if (existsSync(named)) cardsPath = named
    else
      notes.push(
        `the cards the decisions were made on (${decisions.source.cards}) are gone: limits and caps need them, so that waste stays advice`,
      )
  }
  if (options.acceptAbove !== undefined && !cardsPath)
    throw new AcoError('usage', '--accept-above needs the cards whose flags it accepts.', 'Pass --cards CARDS.')
  let traces: TracesSummary | undefined
  if (cardsPath) traces = await readTraces(cardsPath)
  if (traces && traces.skipped.length > 0)
    notes.push(
      `${traces.skipped.length} line${traces.skipped.length === 1 ? '' : 's'} of ${traces.path} are not cards (first: line ${traces.skipped[0]!.line}: ${traces.skipped[0]!.reason})`,
    )

  const built = buildPolicy({
    ...(loaded && routerPath ? {router: {loaded, path: routerPath}} : {}),
    ...(evaluationData !== undefined && evaluationPath
      ? {evaluation: {data: evaluationData, path: evaluationPath}}
      : {}),
    ...(decisions && decisionsPath ? {decisions: {file: decisions, path: decisionsPath}} : {}),
    ...(traces ? {traces} : {}),
    ...(options.acceptAbove !== undefined ? {acceptAbove: options.acceptAbove} : {}),
  })
  if (routerPath && evaluationData === undefined)
    notes.push(`no evaluation.json beside ${routerPath}: the router's figures are not reported`)
  notes.push(...built.notes)
  // (A per-step router's evaluation has no figures per item for PR.md's table; what it warns of is said here: trial 121's
  // router cost six times the steps as they ran, and PR.md said nothing of it.)
  if (router && 'json' in router && router.json.kind === 'aco-step-router') {
    for (const w of evaluationWarnings(evaluationData)) notes.push(`the per-step router's evaluation warns: ${w}`)
    if (withoutEvidence(router.json))
      notes.push(
        `${routerPath} was trained by an earlier aco, which did not count the labels a projected saving rests on: its evaluation's saving may rest on none (train it again: aco train --steps)`,
      )
  }

  const toolUsage = traces ? toolUsageByAgent(traces.traces) : new Map()
  const renderTarget = (spec: (typeof specs)[number], suggestions: PruneSuggestion[]): TargetPlan => {
    const before = readTarget(spec.path)
    const plan: TargetPlan = {
      index: spec.index,
      kind: spec.kind,
      place: spec.place,
      status: 'nothing-to-do',
      beforeHash: hashContent(before),
    }
    if (before !== undefined) plan.before = before
    let rendered: Rendered
    try {
      rendered = spec.adapter.render(before, {
        policy: built.policy,
        suggestions,
        toolUsage,
        path: spec.place.path,
        ...(built.routerIdle ? {routerIdle: built.routerIdle} : {}),
      })
    } catch (error) {
      if (error instanceof TargetParseError) {
        plan.status = 'unreadable'
        plan.error = {message: error.message, ...(error.line !== undefined ? {line: error.line} : {})}
        return plan
      }
      if (error instanceof ShapeError) {
        plan.status = 'unreadable'
        plan.error = {message: error.message}
        return plan
      }
      throw error
    }
    plan.rendered = rendered
    plan.after = rendered.text
    // (A file not there that a target renders empty is not made: there was nothing to write in it.)
    if (rendered.text !== (before ?? '')) {
      plan.status = 'patch'
      // (No secret of the file in the patch: see secretFreeDiff.)
      const diff = secretFreeDiff(spec.place.relative, before, rendered.text)
      plan.diff = diff.text
      if (diff.inside) plan.appliesAsIs = false
      if (diff.inside)
        notes.push(
          `${spec.place.relative}: a line beside a change holds a secret (shown redacted, or left out where it was the only context after a change): that patch does not apply as it is (aco patch --write changes the file itself)`,
        )
      plan.patchFile = patchFileName(spec.index, spec.kind, spec.path)
    } else {
      plan.status =
        rendered.settled.length > 0 ||
        rendered.expressed.length > 0 ||
        rendered.held.length > 0 ||
        (rendered.advised?.length ?? 0) > 0
          ? 'already-applied'
          : 'nothing-to-do'
    }
    return plan
  }
  // Instructions files last: a guard a config or the policy file carries (or already holds) is theirs, not a rule's
  // too (review 77: a rule was written for a guard aco-policy.json held, and PR.md had no rule to show for it).
  const first = new Map<number, TargetPlan>()
  for (const spec of specs)
    if (spec.kind !== 'instructions') first.set(spec.index, renderTarget(spec, built.suggestions))
  const carried = new Set(
    [...first.values()].flatMap(t => [...(t.rendered?.expressed ?? []), ...(t.rendered?.held ?? [])]),
  )
  const forRules = built.suggestions.filter(s => s.prevention === 'advice' || !carried.has(s.id))
  const targets: TargetPlan[] = specs.map(spec => first.get(spec.index) ?? renderTarget(spec, forRules))

  // A guard a config already carries earns no saving because the policy file carries it too: that file is for agent
  // code, and the config's own limit is the one in force.
  const heldIds = new Set(targets.flatMap(t => t.rendered?.held ?? []))
  for (const t of targets)
    if (t.kind === 'aco-policy' && t.rendered)
      t.rendered.expressed = t.rendered.expressed.filter(id => !heldIds.has(id))
  creditCaps(built, targets)
  const expressedIds = new Set(targets.flatMap(t => t.rendered?.expressed ?? []))
  const saving = estimateSaving(
    built.policy,
    traces?.traces,
    built.suggestions.filter(s => expressedIds.has(s.id)),
    movedModels(targets),
    built.routerIdle,
  )
  const inputs: PatchInputs = {}
  if (routerPath) inputs.router = routerPath
  if (evaluationData !== undefined && evaluationPath) inputs.evaluation = evaluationPath
  if (decisionsPath) inputs.decisions = decisionsPath
  if (options.acceptAbove !== undefined) inputs.acceptAbove = options.acceptAbove
  if (traces) {
    inputs.cards = traces.path
    inputs.traces = traces.traces.length
    inputs.formats = [...new Set(traces.traces.map(t => t.format))].sort()
  }
  const plan: PatchPlan = {built, saving, targets, inputs, notes, prMarkdown: ''}
  const offModels = router && traces ? modelsOffPolicy(built.policy.tiers, traces.traces) : undefined
  if (offModels) plan.offModels = offModels
  plan.prMarkdown = renderPullRequest(plan, cwd)
  return plan
}

/** The share of the traces' cost (or, none priced, of their models) below which models off the router go unsaid. */
const OFF_MODELS_SAID = 0.1

/**
 * Whether the traces' calls ran models the router does not choose among, and how much of their cost: none of them
 * (a router trained on an outcome table of gpt-4 and gpt-3.5, sessions run on gpt-5-codex: trial 115), or a share of
 * at least `OFF_MODELS_SAID`. The router's figures were measured on its own items and models, not on that work.
 */
export function modelsOffPolicy(
  tiers: ReadonlyArray<{model: string}>,
  traces: ReadonlyArray<{costByModel: Record<string, number>}>,
): string | undefined {
  if (!tiers.length) return undefined
  const byModel = new Map<string, number>()
  for (const t of traces)
    for (const [m, usd] of Object.entries(t.costByModel)) byModel.set(m, (byModel.get(m) ?? 0) + usd)
  if (!byModel.size) return undefined
  const total = [...byModel.values()].reduce((a, b) => a + b, 0)
  const off = [...byModel].filter(([m]) => !tiers.some(t => sameModel(t.model, m)))
  if (!off.length) return undefined
  const shareOf = (usd: number): number => (total > 0 ? usd / total : 1 / byModel.size)
  const share = off.reduce((a, [, usd]) => a + shareOf(usd), 0)
  // (A model of no cost is most often one with no price, a private one: its share of the cost says nothing of its
  // calls, so it is named as such, and always; review 118.)
  const unpriced = off.filter(([, usd]) => usd === 0)
  const listed = off
    // (Those of no cost counted first: cut at four, they had been left out; review 119.)
    .sort((a, b) => Number(b[1] === 0) - Number(a[1] === 0) || b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 4)
    .map(([m, usd]) => `${m}${total > 0 ? ` (${usd === 0 ? 'no cost counted' : percent(shareOf(usd))})` : ''}`)
  const more = off.length > 4 ? `, and ${off.length - 4} more` : ''
  if (off.length === byModel.size)
    return `none of the traces' calls ran a model the router chooses among: they ran ${listed.join(', ')}${more}. The router's figures were measured on its own items and models, not on this work: what it would save or cost here is untested. Train it on outcomes of the models these traces run`
  if (unpriced.length && share < OFF_MODELS_SAID) {
    const names = unpriced.map(([m]) => m).sort()
    return `some of the traces' calls ran on models the router does not choose among, for which no cost was counted (${names.slice(0, 4).join(', ')}${names.length > 4 ? `, and ${names.length - 4} more` : ''}): its figures do not cover that work`
  }
  if (share < OFF_MODELS_SAID) return undefined
  return `${percent(share)} of the traces' ${total > 0 ? 'cost' : 'models'} ran on models the router does not choose among (${listed.join(', ')}${more}): its figures do not cover that work`
}

/**
 * An output cap tightened from a looser one already in force saves only the output between the two (a result was
 * carried only up to the size in force): each such suggestion is credited with what it earns in the config that saves
 * the most, and its basis says why. The policy file for agent code counts only where no config carries the cap: a
 * config's own value is the one in force.
 */
function creditCaps(built: BuiltPolicy, targets: readonly TargetPlan[]): void {
  const best = new Map<string, number>()
  const inConfig = new Set(targets.filter(t => t.kind !== 'aco-policy').flatMap(t => t.rendered?.expressed ?? []))
  for (const t of targets)
    for (const id of t.rendered?.expressed ?? []) {
      if (t.kind === 'aco-policy' && inConfig.has(id)) continue
      const full = built.suggestions.find(s => s.id === id)?.expectedSavingUsd
      if (full === undefined) continue
      const earned = t.rendered?.credits?.[id] ?? full
      best.set(id, Math.max(best.get(id) ?? 0, earned))
    }
  built.suggestions = built.suggestions.map(s => {
    const earned = best.get(s.id)
    if (earned === undefined || earned >= s.expectedSavingUsd) return s
    return {
      ...s,
      expectedSavingUsd: earned,
      basis: `${s.basis.replace(/[.\s]+$/, '')}; a file here already cut this output at a looser size, so only what lies between that and the cap is counted`,
    }
  })
}

/**
 * The calls the targets' patches move: each file's models (any, where it says `any`) in the traces of the agent it
 * configures (its adapter's formats; a proxy's or the policy file's, any agent's); undefined when none moves a call.
 * (Review 83: a SWE-agent config had been credited with a Claude Code session's spend on the model it named.)
 */
function movedModels(targets: readonly TargetPlan[]): MovedCalls[] | undefined {
  const routing = targets.filter(t => t.rendered?.routes === true)
  if (routing.length === 0) return undefined
  return routing.flatMap(t => {
    const formats = targetAdapter(t.kind)?.formats
    const of = formats === undefined || formats === 'any' || formats.length === 0 ? {} : {formats}
    const from = t.rendered!.movesFrom
    return from === undefined || from === 'any' ? [of] : from.map(model => ({model, ...of}))
  })
}
