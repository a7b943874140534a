/**
 * `aco patch` end to end, as the command calls it: plan (checks, policy,
 * renders, diffs, PR.md), then write the patches under --out or, with
 * --write, apply them; and the result (schemas/patch-result.schema.json).
 */
import {redactText} from '../util/redact.js'
import type {RoutingPolicy} from '../policy/types.js'
import {nothingCounted} from '../policy/saving.js'
import {planPatch, type PatchOptions} from './plan.js'
import type {PatchPlan, TargetStatus} from './types.js'
import type {Change} from './target.js'
import {notAppliedSection} from './pr.js'
import {applyPatches, checkPatchesOut, writePatches} from './write.js'

export interface PatchRunOptions extends PatchOptions {
  out: string
  write: boolean
}

interface PatchTargetResult {
  index: number
  kind: string
  /** The file, relative to its repository (as the diff names it). */
  path: string
  status: TargetStatus | 'written' | 'refused'
  patchFile?: string
  appliesAsIs?: false
  backup?: string
  /** The backup holds a secret, as the file held it: a `.gitignore` that names the file does not name its backup. */
  backupHoldsSecret?: true
  ownerNotKept?: string
  changes: Change[]
  unsupported: string[]
  settled: string[]
  notes: string[]
  error?: {line?: number; message: string}
}

export interface PatchResult {
  schemaVersion: '1.0'
  policy: RoutingPolicy
  targets: PatchTargetResult[]
  prunes: Array<{
    id: string
    prevention: string
    title: string
    flags: number
    wastedUsd: number
    expectedSavingUsd: number
    /** The files (repository-relative) that carry it. */
    expressedIn: string[]
    /** Files that already carry it as tight (no saving credited for them). */
    heldIn: string[]
    /** Instructions files that carry a guard's waste as a rule for the agent (no saving credited). */
    advisedIn?: string[]
  }>
  saving: {
    period?: {start: string; end: string; days: number}
    monthlyUsd?: number
    routingUsd?: number
    routingMonthlyUsd?: number
    pruneUsd: number
    pruneMonthlyUsd?: number
    routingNote?: string
    /** Spend on calls no file here moves, by model, over the period: not in the routing saving. */
    routingUnmoved?: Array<{model: string; spendUsd: number}>
  }
  /** PR.md and the patches written (absolute paths), with --write too, and patch files an earlier run left there. */
  written?: {out: string; files: string[]; stale: string[]}
  /** PR.md's path. */
  pr: string
  notes: string[]
  /** Where the router chooses among models the traces did not run (see `PatchPlan.offModels`). */
  offModels?: string
}

/** Plans the patches and writes them (or, with `write`, applies them). */
export async function patch(options: PatchRunOptions): Promise<{result: PatchResult; plan: PatchPlan}> {
  const plan = await planPatch(options)
  const targets: PatchTargetResult[] = plan.targets.map(t => {
    const r: PatchTargetResult = {
      index: t.index,
      kind: t.kind,
      path: t.place.relative,
      status: t.status,
      changes: t.rendered?.changes ?? [],
      unsupported: t.rendered?.unsupported ?? [],
      settled: t.rendered?.settled ?? [],
      notes: t.rendered?.notes ?? [],
    }
    if (t.error) r.error = t.error
    if (t.patchFile) r.patchFile = t.patchFile
    if (t.appliesAsIs === false) r.appliesAsIs = false
    return r
  })
  let written: PatchResult['written']
  let prPath: string
  if (options.write) {
    // (--out first: a refusal there comes before any file is changed; review 86.)
    checkPatchesOut(plan, options.out)
    const applied = await applyPatches(plan)
    for (const a of applied) {
      const r = targets.find(x => x.index === a.target.index)!
      if (a.refused) {
        r.status = 'refused'
        r.error = {message: a.refused}
      } else {
        r.status = 'written'
        if (a.backup) r.backup = a.backup
        if (a.backup && a.target.before !== undefined && redactText(a.target.before) !== a.target.before)
          r.backupHoldsSecret = true
        if (a.ownerNotKept) r.ownerNotKept = a.ownerNotKept
      }
    }
    // The patches too, which PR.md names: a record of what changed, and for a file refused, the patch to apply by
    // hand, as its refusal says (trial 85: PR.md named patch files --write had not written). PR.md says which.
    const refused = applied.filter(a => a.refused)
    written = await writePatches(
      refused.length
        ? {
            ...plan,
            prMarkdown: `${plan.prMarkdown.trimEnd()}\n\n${notAppliedSection(
              refused.map(a => ({file: a.target.place.relative, patchFile: a.target.patchFile, why: a.refused!})),
            )}`,
          }
        : plan,
      options.out,
    )
    prPath = written.files[written.files.length - 1]!
  } else {
    written = await writePatches(plan, options.out)
    prPath = written.files[written.files.length - 1]!
  }
  const s = plan.saving
  const saving: PatchResult['saving'] = {pruneUsd: s.prune.savingUsd}
  if (s.period) saving.period = s.period
  // (Nothing counted on either side: no monthly figure, as the summary and PR.md say "none credited"; review 83.)
  if (s.monthlyUsd !== undefined && !nothingCounted(s)) saving.monthlyUsd = s.monthlyUsd
  if (s.routing.unmoved.length) saving.routingUnmoved = s.routing.unmoved
  if (s.routing.savingUsd !== undefined) saving.routingUsd = s.routing.savingUsd
  if (s.routing.monthlyUsd !== undefined) saving.routingMonthlyUsd = s.routing.monthlyUsd
  if (s.prune.monthlyUsd !== undefined) saving.pruneMonthlyUsd = s.prune.monthlyUsd
  if (s.routing.note) saving.routingNote = s.routing.note
  const result: PatchResult = {
    schemaVersion: '1.0',
    policy: plan.built.policy,
    targets,
    prunes: plan.built.suggestions.map(p => ({
      id: p.id,
      prevention: p.prevention,
      title: p.title,
      flags: p.flags.length,
      wastedUsd: p.wastedUsd,
      expectedSavingUsd: p.expectedSavingUsd,
      expressedIn: plan.targets.filter(t => t.rendered?.expressed.includes(p.id)).map(t => t.place.relative),
      heldIn: plan.targets.filter(t => t.rendered?.held.includes(p.id)).map(t => t.place.relative),
      ...advisedIn(plan, p.id),
    })),
    saving,
    pr: prPath,
    notes: plan.notes,
    ...(plan.offModels ? {offModels: plan.offModels} : {}),
  }
  if (written) result.written = written
  return {result, plan}
}

/** The instructions files that carry a guard's waste as a rule, when any does (`advisedIn`). */
function advisedIn(plan: PatchPlan, id: string): {advisedIn?: string[]} {
  const files = plan.targets.filter(t => t.rendered?.advised?.includes(id)).map(t => t.place.relative)
  return files.length ? {advisedIn: files} : {}
}
