/**
 * The files git does not track, as a `git status` the agent ran showed them: a `git diff` ignores them, so a write to
 * one of them changes no diff. Read from `git status` (short, `-sb`, or long) run in the same folder, with nothing
 * since that changed git's state (an `add` would make them tracked).
 */
import {coreDir} from './commands.js'
import type {Step} from '../card/types.js'
import type {FlagContext} from './context.js'
import {type Action, isUnder, normalisePath} from './effects.js'

/** How far back a status is looked for. */
const LOOK_BACK = 200

/** A command line that is `git status` and nothing else (not `--porcelain`, whose paths hang from the repository's root). */
const GIT_STATUS =
  /^@(\S*) git status(?: (?:-s|-sb|-bs|--short|-b|--branch|-u|-uall|--untracked-files(?:=all|=normal)?))*$/

/**
 * The untracked paths (resolved) the latest `git status` before `later`, run in its folder, showed, when git's state
 * did not change between that status (or `from`, whichever is earlier) and `later`; undefined when there is none.
 */
function untrackedAt(ctx: FlagContext, later: Step, dir: string, from: number): string[] | undefined {
  const stop = Math.max(0, later.index - LOOK_BACK)
  for (let i = later.index - 1; i >= stop; i--) {
    const step = ctx.steps[i]!
    const core = ctx.actions[i]?.core
    if (step.kind !== 'tool' || core === undefined || ctx.failed[i] === 1) continue
    const m = GIT_STATUS.exec(core)
    if (!m) continue
    if (normalisePath(coreDir(m[1]!)) !== dir) return undefined
    if (ctx.compaction[i] !== ctx.compaction[later.index]) return undefined
    if (ctx.timeline.gitChanged(Math.min(ctx.epochBefore[i]!, from), ctx.epochBefore[later.index]!)) return undefined
    const output = ctx.outputOf(step)
    return output === undefined ? undefined : untrackedIn(output, dir)
  }
  return undefined
}

/** The untracked paths a `git status` output lists (`?? a.md`, `?? docs/`; the long format's "Untracked files:"). */
export function untrackedIn(output: string, dir: string): string[] {
  const out: string[] = []
  const lines = output.split('\n')
  let long = false
  for (const line of lines) {
    const short = /^\?\? (.+?)\s*$/.exec(line)
    if (short) {
      const path = unquote(short[1]!)
      if (path !== undefined) out.push(normalisePath(path, dir))
      continue
    }
    if (/^Untracked files:/.test(line)) {
      long = true
      continue
    }
    if (!long) continue
    if (/^\s*\(use /.test(line)) continue
    const entry = /^\t(.+?)\s*$/.exec(line)
    const path = entry ? unquote(entry[1]!) : undefined
    if (path !== undefined) out.push(normalisePath(path, dir))
    else if (line.trim() === '' && out.length) long = false
    else if (line.trim() !== '') long = false
  }
  return out
}

/** A path git quoted (`"a b.md"`): without its quotes; undefined when it holds C escapes (`"caf\\303\\251.md"`). */
function unquote(path: string): string | undefined {
  if (!path.startsWith('"')) return path
  return path.includes('\\') ? undefined : path.slice(1, -1)
}

export const NOWHERE = (): boolean => false

/** A path through a folder builds write their outputs to. */
export const BUILD_OUTPUT_PATH = /\/(?:build|target|dist|out|bin|obj|\.next|\.nuxt|\.gradle|\.output|_build)(?:\/|$)/

/** Whether `path` lies at or below one of the untracked paths. */
function isUntracked(untracked: readonly string[], path: string): boolean {
  return untracked.some(u => isUnder(path, u))
}

/** A `git diff` of the working tree (alone on its line): the folder it ran in. */
const GIT_DIFF = /^@(\S+) git diff(?: |$)/

/**
 * Whether what the `git diff` of step `later` shows of `path` may have changed in (from, to]: a change there other than
 * to files a `git status` showed untracked (which no diff of the working tree shows). For any other command, whether
 * anything there may have changed.
 */
export function diffMayHaveChanged(
  ctx: FlagContext,
  later: Step,
  action: Action,
  path: string,
  from: number,
  to: number,
  /** Whether the later call printed what the earlier one did: then a build's outputs changed nothing it shows. */
  same?: () => boolean,
): boolean {
  // (A log a running job writes is the file itself changing: `changed` counts it, `treeChanged` does not.)
  if (!ctx.timeline.treeChanged(path, from, to) && !ctx.timeline.changed(path, from, to, true)) return false
  // A build's outputs, when the later call printed what the earlier one did: they changed nothing it shows.
  // (Not a look into a build's own output folder, which the build rewrote: `ls app/build/outputs/apk/` checks its work.)
  const besideBuilds = same !== undefined && !BUILD_OUTPUT_PATH.test(path) && ctx.timeline.anyBuilt(from, to) && same()
  if (besideBuilds && !ctx.timeline.treeChangedBeside(path, NOWHERE, from, to, true)) return false
  const m = action.parts?.length === 1 && action.core !== undefined ? GIT_DIFF.exec(action.core) : null
  if (!m || !ofTheWorkTree(action.core!, coreDir(m[1]!))) return true
  const untracked = untrackedAt(ctx, later, coreDir(m[1]!), from)
  if (!untracked?.length) return true
  return ctx.timeline.treeChangedBeside(path, p => isUntracked(untracked, p), from, to, besideBuilds)
}

/**
 * Whether a `git diff` line compares the work tree with git's records: only options, `HEAD`, and after `--` paths inside
 * its folder. Not one naming other paths or commits before `--` (`git diff ../base/a.md notes/a.md` compares two files
 * as `--no-index` does when one lies outside the repository), nor `--no-index` itself.
 */
function ofTheWorkTree(core: string, dir: string): boolean {
  const words = core
    .slice(core.indexOf(' git diff') + ' git diff'.length)
    .trim()
    .split(/\s+/)
    .filter(Boolean)
  let paths = false
  for (const w of words) {
    if (w === '--') paths = true
    else if (w === '--no-index') return false
    else if (paths) {
      if (!(w === dir || w.startsWith(`${dir}/`))) return false
    } else if (!w.startsWith('-') && w !== 'HEAD') return false
  }
  return true
}
