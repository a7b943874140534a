/**
 * Putting a plan on disk, and nothing else: either the patches and PR.md
 * under `--out` (each written atomically), or with `--write` the changed
 * files themselves, each original kept as `FILE.aco-backup` first, and a file
 * whose content changed since the plan read it refused.
 */
import {accessSync, constants, existsSync, readdirSync, readFileSync, type Stats, statSync} from 'node:fs'
import {join} from 'node:path'
import {writeFileAtomic} from '../util/atomic.js'
import {stripControls} from '../util/control.js'
import {redactText} from '../util/redact.js'
import {describeFsError} from '../util/fs-errors.js'
import {guardOutputFolder, prepareOutputDir} from '../util/output-paths.js'
import {hashContent, readTarget} from './plan.js'
import type {PatchPlan, TargetPlan} from './types.js'

const PATCH_FILE = /^\d\d-[a-z-]+-.+\.patch$/

export interface Written {
  out: string
  files: string[]
  /** Patch files in --out from an earlier run that this one did not write (left as they are). */
  stale: string[]
}

/**
 * Checks `outDir` can take the patches and PR.md (made if missing; no link or input where they go) and returns its
 * path: before `--write` changes any file, so a refusal there never comes after the configs were rewritten.
 */
export function checkPatchesOut(plan: PatchPlan, outDir: string): string {
  const out = prepareOutputDir(outDir, '--out')
  // (Not over any file the run read: a target, the decisions, the router, its evaluation, the cards.)
  guardOutputFolder(
    out,
    [...plan.targets.flatMap(t => (t.status === 'patch' && t.patchFile && t.diff ? [t.patchFile] : [])), 'PR.md'],
    '--out',
    [
      ...plan.targets.map(t => t.place.path),
      ...[plan.inputs.router, plan.inputs.evaluation, plan.inputs.decisions, plan.inputs.cards].filter(
        (p): p is string => p !== undefined,
      ),
    ],
  )
  return out
}

/** Writes the patches and PR.md into `outDir`. */
export async function writePatches(plan: PatchPlan, outDir: string): Promise<Written> {
  const out = checkPatchesOut(plan, outDir)
  const files: string[] = []
  for (const t of plan.targets) {
    if (t.status !== 'patch' || !t.patchFile || !t.diff) continue
    const path = join(out, t.patchFile)
    await writeFileAtomic(path, t.diff, {own: true})
    files.push(path)
  }
  const pr = join(out, 'PR.md')
  // (Printable, no secret: it quotes model names and reasons as the router and the cards give them.)
  await writeFileAtomic(pr, redactText(stripControls(plan.prMarkdown)), {own: true})
  files.push(pr)
  const mine = new Set(plan.targets.map(t => t.patchFile).filter(Boolean))
  const stale = readdirSync(out)
    .filter(f => PATCH_FILE.test(f) && !mine.has(f))
    .sort()
  return {out, files, stale}
}

export interface Applied {
  target: TargetPlan
  /** The backup of the original, when there was one. */
  backup?: string
  /** Why the file was not written. */
  refused?: string
  /** The owner or group the file had that the written one has not (`was 65534:65534, now 0:0`). */
  ownerNotKept?: string
}

/** Whether a file is read-only: no write bit at all (whoever runs aco), or none this user has. */
function readOnly(path: string): boolean {
  try {
    if ((statSync(path).mode & 0o222) === 0) return true
    accessSync(path, constants.W_OK)
    return false
  } catch {
    return true
  }
}

/** The first `FILE.aco-backup`, `FILE.aco-backup.2`, … that is not taken. */
function backupPath(path: string): string {
  let candidate = `${path}.aco-backup`
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}.aco-backup.${n}`
  return candidate
}

/** Applies the plan's patches to the files themselves. */
export async function applyPatches(plan: PatchPlan): Promise<Applied[]> {
  const results: Applied[] = []
  for (const target of plan.targets) {
    if (target.status !== 'patch' || target.after === undefined) continue
    const path = target.place.path
    const now = readTarget(path)
    if (hashContent(now) !== target.beforeHash) {
      results.push({
        target,
        refused: `${target.place.relative} changed since the patch was computed: run aco patch again`,
      })
      continue
    }
    let backup: string | undefined
    /** The file as it was (its mode and owner kept). */
    let before: Stats | undefined
    // A file its owner made read-only is left so (trial 33: replaced all the same, as the folder was writable: the
    // atomic write renames over it).
    if (now !== undefined && readOnly(path)) {
      results.push({
        target,
        refused: `${target.place.relative} is read-only: not written (make it writable, chmod u+w, for --write to change it; or apply its patch, written to --out)`,
      })
      continue
    }
    try {
      if (now !== undefined) {
        before = statSync(path)
        backup = backupPath(path)
        await writeFileAtomic(backup, readFileSync(path, 'utf8'), {mode: before.mode & 0o7777})
      }
    } catch (error) {
      results.push({
        target,
        refused: `cannot keep a backup of ${target.place.relative} (${describeFsError(error)}): not written`,
      })
      continue
    }
    try {
      await writeFileAtomic(path, target.after, {...(before ? {mode: before.mode & 0o7777} : {}), keepOwner: true})
    } catch (error) {
      results.push({target, refused: `cannot write ${target.place.relative}: ${describeFsError(error)}`})
      continue
    }
    // (Kept where the system lets it: see writeFileAtomic. Said where it did not, as the program reading it may care.)
    const was = before
    const after = was && statSync(path)
    const ownerNotKept =
      was && after && (was.uid !== after.uid || was.gid !== after.gid)
        ? `was ${was.uid}:${was.gid}, now ${after.uid}:${after.gid}`
        : undefined
    results.push({target, ...(backup ? {backup} : {}), ...(ownerNotKept ? {ownerNotKept} : {})})
  }
  return results
}
