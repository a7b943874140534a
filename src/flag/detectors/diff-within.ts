/**
 * `git diff` of some files after a `git diff` of them and more (the same options, the same folder), nothing having
 * changed since in those files or in git's state: its diff is a part of the earlier one. It counts only when the
 * earlier output shows the later one whole, line for line (a harness that cut the earlier output in the middle may
 * have kept it or not); or the later one shows nothing, and the earlier output, whole, has no section for its files.
 */
import {harnessHeaderEnd} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'
import {diffMayHaveChanged} from '../untracked.js'
import {mayBeUnder} from '../effects.js'

export interface DiffWithin {
  step: Step
  /** The earlier diff that showed it. */
  earlier: Step
  /** It printed nothing: the earlier diff had no section for its files. */
  empty: boolean
}

/** Earlier diffs of a folder and options a later one is compared with (the latest ones; one per file is common). */
const COMPARED = 16

export function diffsWithin(ctx: FlagContext): DiffWithin[] {
  const cached = cache.get(ctx)
  if (cached) return cached
  const out: DiffWithin[] = []
  const budget = {chars: MAX_READ_CHARS}
  // Per folder and options, the latest diffs that went through, with the paths each covers and (once read) its text.
  const byForm = new Map<string, Diff[]>()
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    const form = action.core === undefined ? undefined : diffForm(action.core)
    if (form === undefined || ctx.failed[i] === 1) continue
    const step = ctx.steps[i]!
    // The files it diffs: those it names, or (none named) the folder it ran in.
    const paths = action.deps.filter(d => d !== '(git)')
    const earlier = byForm.get(form)
    const found = earlier && paths.length ? within(ctx, step, paths, earlier, budget) : undefined
    if (found) out.push({step, earlier: found.step, empty: found.empty})
    const list = earlier ?? []
    list.push({step, paths, text: undefined})
    if (list.length > COMPARED) list.shift()
    if (!earlier) byForm.set(form, list)
  }
  cache.set(ctx, out)
  return out
}

const cache = new WeakMap<FlagContext, DiffWithin[]>()

/** Characters of diff outputs a card's check reads at most. */
const MAX_READ_CHARS = 4_000_000

/** A diff that went through: the paths it covers, and its text once a later diff was compared with it. */
interface Diff {
  step: Step
  paths: readonly string[]
  text: string | undefined
}

/** The latest earlier diff covering `paths` that still holds and showed this step's diff whole. */
function within(
  ctx: FlagContext,
  step: Step,
  paths: readonly string[],
  earlier: readonly Diff[],
  budget: {chars: number},
): {step: Step; empty: boolean} | undefined {
  const i = step.index
  // (Read once: null when it cannot be, or shows nothing.)
  let mine: string | null | undefined
  for (let k = earlier.length - 1; k >= 0; k--) {
    const e = earlier[k]!
    const j = e.step.index
    if (ctx.batch[j]! >= ctx.batch[i]! || ctx.compaction[j] !== ctx.compaction[i]) continue
    // The same diff again is the plain duplicates' to judge.
    if (ctx.callKey[j] === ctx.callKey[i]) continue
    if (!paths.every(p => e.paths.some(q => p === q || mayBeUnder(p, q)))) continue
    const from = ctx.epochAfter[j]!
    const to = ctx.epochBefore[i]!
    const action = ctx.actions[i]!
    if (ctx.timeline.gitChanged(from, to)) continue
    // (Bounded work: outputs unpacked for this check, per card, at most MAX_READ_CHARS characters.)
    const readMine = (): string | null => {
      if (mine === undefined) {
        budget.chars -= step.tool?.outputChars ?? 0
        mine = budget.chars < 0 ? null : (body(ctx.outputOf(step)) ?? null)
      }
      return mine
    }
    const shownWithin = (): boolean => {
      const own = readMine()
      if (own === null) return false
      if (e.text === undefined) {
        budget.chars -= e.step.tool?.outputChars ?? 0
        e.text = budget.chars < 0 ? '' : (body(ctx.outputOf(e.step)) ?? '')
      }
      return e.text.includes(own)
    }
    // (A build in between wrote its outputs: a diff that printed what the earlier one did of each file it names, every
    // one of them, shows none of them changed. One that printed fewer files may show a file the build put back. Its own
    // sections are looked at first: a diff of a folder, or one that lost a file, needs no earlier output read.)
    const eachShownWithin = (): boolean => {
      const own = readMine()
      return own !== null && paths.every(p => showsFile(own, p)) && shownWithin()
    }
    if (paths.some(p => diffMayHaveChanged(ctx, step, action, p, from, to, eachShownWithin))) continue
    if (shownWithin()) return {step: e.step, empty: false}
    // An empty diff of files the earlier one, shown whole, printed no section for: it could only print nothing (an
    // untracked file's, fresh218 #50; one the earlier diff found unchanged, fresh220 #42).
    if (mine === null && budget.chars >= 0 && emptyOutput(ctx.outputOf(step))) {
      if (e.text === undefined) {
        budget.chars -= e.step.tool?.outputChars ?? 0
        e.text = budget.chars < 0 ? undefined : (body(ctx.outputOf(e.step)) ?? '')
      }
      if (
        e.text !== undefined &&
        printedWhole(ctx, e.step) &&
        !ctx.shown(e.step)?.elided &&
        !paths.some(p => sectionUnder(e.text!, p))
      )
        return {step: e.step, empty: true}
    }
    if (mine === null) return undefined
  }
  return undefined
}

/**
 * Whether a diff's whole output reached the agent: no filter after it (`git diff | head -12`, `| grep -A6 …` leave out
 * what they leave out, review 62), the harness's own cuts aside (`elided`, asked of separately).
 */
function printedWhole(ctx: FlagContext, step: Step): boolean {
  const a = ctx.actions[step.index]
  return a?.core !== undefined && a.parts?.length === 1 && a.parts[0] === a.core
}

/** Whether a diff's output holds nothing but the harness's header (and git's line-ending warnings). */
function emptyOutput(output: string | undefined): boolean {
  return output !== undefined && body(output) === undefined
}

/**
 * Whether a diff's text has a section for a file at or below `path` (absolute; a file or a folder): a `diff --git` header
 * whose path, from the repository's root, is the path asked of or lies below it, wherever the root is.
 */
function sectionUnder(text: string, path: string): boolean {
  for (const m of text.matchAll(/\ndiff --git a\/\S+ b\/(\S+)\n/g)) {
    const file = m[1]!
    if (path === '/' || path === file || path.endsWith(`/${file}`)) return true
    for (let k = file.indexOf('/'); k !== -1; k = file.indexOf('/', k + 1))
      if (path === file.slice(0, k) || path.endsWith(`/${file.slice(0, k)}`)) return true
  }
  return false
}

/**
 * Whether a diff's text has a section for the file at `path` (absolute): a `diff --git a/x b/x` header whose path, from
 * the repository's root, ends the path asked of. A folder asked of matches no header: it is not told.
 */
function showsFile(text: string, path: string): boolean {
  for (const m of text.matchAll(/\ndiff --git a\/\S+ b\/(\S+)\n/g))
    if (path === m[1] || path.endsWith(`/${m[1]}`)) return true
  return false
}

/**
 * An output without the harness's header, carriage returns (one output may keep a file's CRLF, another not) and
 * trailing blank lines, between line breaks (one `includes` finds it line for line in another); undefined when
 * nothing is left.
 */
function body(output: string | undefined): string | undefined {
  if (output === undefined) return undefined
  const text = output.slice(harnessHeaderEnd(output)).replace(/\r/g, '').replace(LINE_ENDINGS, '').replace(/\s+$/, '')
  return text === '' ? undefined : `\n${text}\n`
}

/**
 * Git's warnings of line endings it will convert (on stderr beside the diff, one per file it read, so a diff of fewer
 * files has fewer): `warning: in the working copy of 'a.kt', LF will be replaced by CRLF the next time Git touches
 * it`, and the older `warning: LF will be replaced by CRLF in a.kt.` with its second line (`The file will have its
 * original line endings in your working directory`).
 */
const LINE_ENDINGS =
  /^warning: (?:in the working copy of '[^\n]*', )?(?:CR)?LF will be replaced by (?:CR)?LF\b[^\n]*\n(?:The file will have its original line endings in your working directory\.?\n)?/gm

/**
 * A command that is a `git diff` alone, as the folder it ran in and its options (before `--` and the paths): diffs of
 * one form differ only in the files they cover. Undefined for anything else (a pipe, a compound command, other
 * revisions or paths not after `--`, which the options would then hold).
 */
function diffForm(core: string): string | undefined {
  const m = DIFF.exec(core)
  if (!m) return undefined
  const options = m[2]!.trim()
  // Only options: a word not starting with `-` is a revision or an unmarked path, which aco does not tell apart (a
  // file's name, `release.v2`, `renovate/node-20.x`, may be a branch's: review 81).
  if (options !== '' && options.split(/\s+/).some(w => !w.startsWith('-'))) return undefined
  return `${m[1]}\0${options}`
}

const DIFF = /^@(\S*) git diff((?: [^\s|;&<>]+)*?)(?: --(?: [^|;&<>]*)?)?$/
