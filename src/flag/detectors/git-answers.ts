/**
 * A git question whose answer an earlier git question already gave: `git status --porcelain` after `git status
 * --short`, `git diff --name-only` after a `git status` that listed every changed file, `git status --short docs` after
 * a status of the whole tree, a `git diff -- src/b.py` after a status that showed the file unchanged (so the diff can
 * only be empty), a `git status` after a `git commit` that found nothing staged and printed the status. What each asks is read from its options (what it shows: the status, the names or the diff; of which
 * change: the work tree against the index, the index against HEAD, or the work tree against HEAD; of which paths);
 * what the earlier one told, from its output. It counts only when the later output is exactly what the earlier one
 * told, nothing having changed since in those paths or in git's state, and the earlier output was not cut.
 */
import {coreDir} from '../commands.js'
import {harnessHeaderEnd} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'
import {gitPath, readStatus} from '../git-status.js'
import {withoutStartupErrors} from '../output.js'

export interface GitAnswer {
  step: Step
  /** The earlier question that told the answer. */
  earlier: Step
  /** The same question asked another way (the same paths, and nothing more shown): a duplicate, not a narrower look. */
  same: boolean
  /** The earlier call was a `git commit` that failed with nothing staged, printing the status. */
  byCommit?: boolean
}

/** How many earlier git questions of a folder a later one is compared with (the latest). */
const COMPARED = 12

/** Characters of git outputs a card's check reads at most. */
const MAX_READ_CHARS = 2_000_000

const cache = new WeakMap<FlagContext, GitAnswer[]>()

/**
 * The git questions of a card whose answer an earlier one told. `holds` says whether the earlier call's result still
 * holds for the later one (the duplicate detector's test: nothing the later call reads changed in between, the earlier
 * one succeeded in an earlier LLM call of the same context). Both detectors that ask pass the same test, so the answer
 * is kept per context.
 */
export function gitAnswers(ctx: FlagContext, holds: (earlier: Step, later: Step) => boolean): readonly GitAnswer[] {
  const cached = cache.get(ctx)
  if (cached) return cached
  const out: GitAnswer[] = []
  const budget = {chars: MAX_READ_CHARS}
  const byDir = new Map<string, Asked[]>()
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    const core = action.core
    if (core === undefined || core.indexOf(' git ') === -1) continue
    const step = ctx.steps[i]!
    if (ctx.failed[i] === 1) {
      // A `git commit` with nothing staged fails printing the status in its long form: an answer a later status asks.
      const commit = action.parts?.length === 1 ? COMMIT.exec(action.parts[0]!) : null
      if (commit) remember(byDir, {step, q: longStatus(coreDir(commit[1]!)), told: undefined, failedCommit: true})
      continue
    }
    // A question alone on its line (later), or the last part of one (earlier: `git add -A && git status`).
    const alone = action.parts?.length === 1 ? questionOf(action.parts[0]!) : undefined
    const last = alone ?? (action.parts?.length ? lastQuestion(action.parts) : undefined)
    if (!last) continue
    const earlier = byDir.get(last.dir)
    if (alone && earlier) {
      const found = answered(ctx, step, alone, earlier, holds, budget)
      if (found) out.push({step, ...found})
    }
    remember(byDir, {step, q: last, told: undefined})
  }
  cache.set(ctx, out)
  return out
}

/** Keeps an earlier question among the latest of its folder. */
function remember(byDir: Map<string, Asked[]>, asked: Asked): void {
  const list = byDir.get(asked.q.dir) ?? []
  list.push(asked)
  if (list.length > COMPARED) list.shift()
  byDir.set(asked.q.dir, list)
}

/** `git commit` alone on its line (its options and message are the commit's own). */
const COMMIT = /^@(\S+) git commit(?: |$)/

/** What a `git status` in the long form asks, in a folder: every path, with the branch. */
function longStatus(dir: string): Question {
  return {
    dir,
    shows: 'status',
    letters: false,
    frame: 'folder',
    base: 'tree',
    branch: true,
    paths: [],
    untracked: 'normal',
  }
}

/** What a git question shows. */
type Shows = 'status' | 'names' | 'stat' | 'diff'

/** Which change a diff compares: the work tree with the index, the index with HEAD, the work tree with HEAD. */
type Base = 'tree' | 'index' | 'head'

export interface Question {
  /** The folder it ran in. */
  dir: string
  shows: Shows
  /** `--name-status`: the names with their letters (M, A, D…), which a list of names alone does not tell. */
  letters: boolean
  /**
   * Where the paths it prints hang from: a status in its short or long form prints them from its folder; the porcelain
   * form and a diff, from the repository's root, which aco does not know (a folder may lie below it).
   */
  frame: 'folder' | 'root'
  /** For a diff; a status shows all three. */
  base: Base
  /** A status that prints its branch (the long form, `-b`). */
  branch: boolean
  /**
   * The paths it asks of, relative to its folder (`''`: the folder itself, `git status .`); none: the whole repository,
   * wherever its root is.
   */
  paths: string[]
  /** Lines a filter after it keeps at most (`| head -50`, `| sed -n '1,200p'`): its output is whole below that. */
  keeps?: number
  /**
   * A status's untracked files (`-u`/`--untracked-files`): folders of them shown as the folder (`normal`, git's default),
   * every file (`all`), or none (`no`).
   */
  untracked?: 'normal' | 'all' | 'no'
}

/** An earlier question, and once read what its output told. */
interface Asked {
  step: Step
  q: Question
  told: Told | null | undefined
  /**
   * A `git commit` that failed printing the status (nothing staged): its result holds while nothing at all changed,
   * in the same person's turn (the duplicates' test asks a call that succeeded).
   */
  failedCommit?: boolean
}

/** What a question's output told: the status of each path, or the paths a diff shows (and the branch line). */
interface Told {
  /** Path → its two status letters (`XY` of `git status --short`, `??` untracked), for a status. */
  status?: Map<string, string>
  /** The paths of a diff of `base`. */
  names?: Set<string>
  branch?: string
  /** The lines it printed (a filter after it that keeps as many may have cut it); not for an answer foretold. */
  lines?: number
}

/** The latest earlier question that told this one's answer, and whether it is the same question. */
function answered(
  ctx: FlagContext,
  step: Step,
  q: Question,
  earlier: Asked[],
  holds: (earlier: Step, later: Step) => boolean,
  budget: {chars: number},
): {earlier: Step; same: boolean; byCommit?: boolean} | undefined {
  let mine: Told | null | undefined
  for (let k = earlier.length - 1; k >= 0; k--) {
    const e = earlier[k]!
    if (
      !tells(e.q, q) ||
      ctx.shown(e.step)?.elided ||
      !(e.failedCommit ? stillAfter(ctx, e.step, step) : holds(e.step, step))
    )
      continue
    // The same question again, as its call's exact repeat, is the plain duplicates' to judge.
    if (ctx.callKey[e.step.index] === ctx.callKey[step.index]) return undefined
    if (mine === undefined) mine = readTold(ctx, step, q, budget)
    if (mine === null || cut(q, mine)) return undefined
    if (e.told === undefined) e.told = readTold(ctx, e.step, e.q, budget)
    // (An output a filter may have cut, `| head -20` that printed 20 lines, told only its first lines.)
    if (e.told === null || cut(e.q, e.told)) continue
    const want = predict(e.q, e.told, q)
    if (want !== undefined && agrees(want, mine, q))
      return {earlier: e.step, same: sameQuestion(e.q, q), ...(e.failedCommit ? {byCommit: true} : {})}
  }
  return undefined
}

/** Whether nothing at all changed (files or git's state) between two steps of one turn and context, in other LLM calls. */
function stillAfter(ctx: FlagContext, earlier: Step, later: Step): boolean {
  const e = earlier.index
  const l = later.index
  return (
    ctx.batch[e]! < ctx.batch[l]! &&
    ctx.compaction[e] === ctx.compaction[l] &&
    earlier.turn === later.turn &&
    !ctx.timeline.anyChanged(ctx.epochAfter[e]!, ctx.epochBefore[l]!)
  )
}

/** Whether a filter after a question may have cut what it printed (it printed as many lines as the filter keeps). */
function cut(q: Question, told: Told): boolean {
  return q.keeps !== undefined && (told.lines ?? 0) >= q.keeps
}

/**
 * Whether an earlier question's output can tell a later one's answer: a status tells any question of its paths (a
 * diff's only where it shows no change, checked later); a diff's names (or the diff itself) tell the names of the same
 * change, and a diff's emptiness.
 */
function tells(e: Question, q: Question): boolean {
  if (!covers(e.paths, q.paths)) return false
  // Paths asked of are read from the folder; paths printed from the root can be matched with them only at the root.
  if ((e.paths.length || q.paths.length) && e.frame === 'root') return false
  // A diff's letters (`--name-status`) only a status or another such list told.
  if (q.letters && e.shows !== 'status' && !e.letters) return false
  if (e.shows === 'status') return q.shows !== 'status' || e.branch || !q.branch
  if (q.shows === 'status') return false
  return e.base === q.base
}

function sameQuestion(e: Question, q: Question): boolean {
  return (
    e.untracked === q.untracked &&
    samePaths(e.paths, q.paths) &&
    e.shows === q.shows &&
    e.letters === q.letters &&
    (e.shows === 'status' || e.base === q.base)
  )
}

/** What the later question's output must be, from what the earlier one told; undefined when it does not tell. */
function predict(e: Question, told: Told, q: Question): Told | undefined {
  if (q.shows === 'status') {
    if (!told.status) return undefined
    const status = new Map<string, string>()
    for (const [path, xy] of told.status) {
      const inside = within(path, q.paths)
      if (inside === undefined) return undefined
      if (!inside) continue
      // Untracked files shown another way: none shown (`-uno`) tells nothing of them; a folder of them (`?? dir/`)
      // tells nothing of the files `-uall` lists; `-uno` leaves them out.
      if (xy === '??' && q.untracked !== (e.untracked ?? 'normal')) {
        if (q.untracked === 'no') continue
        if (path.endsWith('/') || e.untracked === 'no') return undefined
      }
      status.set(path, xy)
    }
    if (e.untracked === 'no' && q.untracked !== 'no') return undefined
    return q.branch ? {status, branch: told.branch} : {status}
  }
  let names: Set<string>
  if (told.status) {
    names = new Set()
    for (const [path, xy] of told.status) {
      if (xy === '??' || xy === '!!') {
        // A diff of files the status showed untracked prints nothing, but that asks what git tracks, not what changed
        // (the labellers do not call it a look again).
        if (q.paths.length && within(path, q.paths) !== false) return undefined
      } else if (changedIn(xy, q.base)) names.add(path)
    }
  } else if (told.names && e.base === q.base && (q.shows === 'names' || !q.paths.length)) {
    // (A diff of named files, empty as a diff's names foretold, may be of files git does not track, which only a
    // status shows: see above.)
    names = told.names
  } else return undefined
  const kept = new Set<string>()
  for (const path of names) {
    const inside = within(path, q.paths)
    if (inside === undefined) return undefined
    if (inside) kept.add(path)
  }
  // A diff or its stat follows only when it is empty; its names, always.
  if (q.shows !== 'names' && kept.size) return undefined
  return {names: kept}
}

/** Whether a status's letters show a change of this kind (X: the index against HEAD; Y: the work tree against the index). */
function changedIn(xy: string, base: Base): boolean {
  // (`?` in a column: a submodule with only untracked files in it, which no diff shows.)
  const x = xy[0] !== ' ' && xy[0] !== '?'
  const y = xy[1] !== ' ' && xy[1] !== '?'
  return base === 'index' ? x : base === 'tree' ? y : x || y
}

function agrees(want: Told, got: Told, q: Question): boolean {
  if (q.branch && (want.branch === undefined || want.branch !== got.branch)) return false
  if (want.status) return got.status !== undefined && sameMap(want.status, got.status)
  if (!want.names || !got.names) return false
  return got.names.size === want.names.size && [...want.names].every(n => got.names!.has(n))
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}

/**
 * Whether a path a status printed from its folder (`../x` outside it; a folder git shows whole ends in `/`) lies within
 * the paths asked of; undefined when that cannot be told (a path asked of inside a folder shown whole).
 */
function within(path: string, paths: readonly string[]): boolean | undefined {
  if (!paths.length) return true
  let inside = false
  for (const p of paths) {
    if (p === '' ? !path.startsWith('../') : path === p || path === `${p}/` || path.startsWith(`${p}/`)) inside = true
    else if (path.endsWith('/') && p.startsWith(path)) return undefined
  }
  return inside
}

/** Whether the earlier paths take in every later one (none: the whole repository; `''`: the folder, and all below it). */
function covers(earlier: readonly string[], later: readonly string[]): boolean {
  if (!earlier.length) return true
  if (!later.length) return false
  return later.every(p => earlier.some(e => e === '' || p === e || p.startsWith(`${e}/`)))
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort()
  const y = [...new Set(b)].sort()
  return x.length === y.length && x.every((p, k) => p === y[k])
}

/** What a question's output told; null when aco cannot read it whole (another shape, a quoted path, a merge). */
function readTold(ctx: FlagContext, step: Step, q: Question, budget: {chars: number}): Told | null {
  budget.chars -= step.tool?.outputChars ?? 0
  if (budget.chars < 0) return null
  const output = ctx.outputOf(step)
  if (output === undefined) return null
  // (Less what the shell reported from its start-up files, `~/.bashrc: line 1: …: command not found` on every
  // command: no line of git's answer.)
  const text = withoutStartupErrors(output.slice(harnessHeaderEnd(output)).replace(/\r/g, ''))
  // (Git's warnings about line endings, which a harness that merges the streams shows among the answer's lines.)
  const lines = text.split('\n').filter(l => l.trim() !== '' && !LINE_ENDINGS_WARNING.test(l))
  if (q.shows === 'status') {
    const read = readStatus(lines)
    return read && {...read, lines: lines.length}
  }
  if (q.shows === 'names') return readNames(lines)
  if (q.shows === 'diff') return readDiffNames(lines)
  return readStat(lines)
}

/** Git's warning that it will convert a file's line endings (`core.autocrlf`): no line of the answer. */
const LINE_ENDINGS_WARNING =
  /^warning: (?:in the working copy of '.*', (?:CR)?LF will be replaced by (?:CR)?LF the next time Git touches it|(?:CR)?LF will be replaced by (?:CR)?LF in .*\.?|The file will have its original line endings in your working directory\.?)$/

/**
 * `git diff --stat` (` path | 12 ++--`, then `N files changed, …`) or `--numstat` (`3\t1\tpath`): the paths the diff
 * shows, when every one is printed whole (`--stat` shortens a long one to `.../tail`; a rename shows `=>`) and the
 * summary counts as many; nothing printed, none. `--shortstat` prints the summary alone: no names.
 */
function readStat(lines: readonly string[]): Told | null {
  const names = new Set<string>()
  let summary: number | undefined
  for (const line of lines) {
    const total = /^\s*(\d+) files? changed\b/.exec(line)
    if (total) {
      if (summary !== undefined) return null
      summary = Number(total[1])
      continue
    }
    const stat =
      /^ (\S(?:.*\S)?)\s+\|\s+(?:\d+(?: [+-]+)?|Bin\b.*)$/.exec(line) ?? /^(?:\d+|-)\t(?:\d+|-)\t([^\t]+)$/.exec(line)
    if (!stat || stat[1]!.startsWith('...') || stat[1]!.includes('=>')) return null
    const path = gitPath(stat[1]!)
    if (path === undefined) return null
    names.add(path)
  }
  if (summary === undefined ? names.size > 0 && !lines.every(l => l.includes('\t')) : summary !== names.size)
    return null
  return {names, lines: lines.length}
}

/** `git diff --name-only` (a path a line) or `--name-status` (`M\tpath`, `R100\told\tnew`). */
function readNames(lines: readonly string[]): Told | null {
  const names = new Set<string>()
  for (const line of lines) {
    const status = /^[ACDMRTUXB]\d*\t([^\t]+)(?:\t([^\t]+))?$/.exec(line)
    const path = gitPath(status ? (status[2] ?? status[1]!) : line)
    if (path === undefined || (!status && line.includes('\t'))) return null
    names.add(path)
  }
  return {names, lines: lines.length}
}

/** The paths a diff shows (its `diff --git a/x b/x` headers); an empty diff shows none. */
function readDiffNames(lines: readonly string[]): Told | null {
  const names = new Set<string>()
  if (lines.length && !lines[0]!.startsWith('diff --git ')) return null
  for (const line of lines) {
    if (!line.startsWith('diff --git ')) continue
    const m = /^diff --git a\/(\S+) b\/(\S+)$/.exec(line)
    if (!m) return null
    names.add(m[2]!)
  }
  return {names, lines: lines.length}
}

/** A status option and whether it prints the branch. */
const STATUS_OPTIONS: Readonly<Record<string, boolean | undefined>> = {
  '-s': false,
  '--short': false,
  '--porcelain': false,
  '--porcelain=v1': false,
  '-b': true,
  '--branch': true,
  '-sb': true,
  '-bs': true,
  '--long': false,
}

/**
 * The question a command line asks (`@/repo git status --short -- docs`), when it is a `git status` or a `git diff`
 * aco reads: options among those that change only the form, at most the revision HEAD, paths inside its folder (no
 * pattern); optionally cut by `| head` or `| sed -n '1,Np'`. Undefined for anything else.
 */
export function questionOf(part: string): Question | undefined {
  const stages = part.split(' | ')
  if (stages.length > 2) return undefined
  const m = /^@(\S+) git (status|diff)((?: \S+)*)$/.exec(stages[0]!)
  if (!m) return undefined
  let keeps: number | undefined
  if (stages.length === 2) {
    const cut = /^@\S+ (?:head(?: -n)? -?(\d+)|sed -n '?1,(\d+)p'?)$/.exec(stages[1]!)
    if (!cut) return undefined
    keeps = Number(cut[1] ?? cut[2])
  }
  const dir = coreDir(m[1]!)
  const words = m[3]!.trim() === '' ? [] : m[3]!.trim().split(' ')
  const status = m[2] === 'status'
  let shows: Shows = status ? 'status' : 'diff'
  let letters = false
  let porcelain = false
  let cached = false
  let head = false
  let branch = false
  let long = true
  let untracked: Question['untracked'] = 'normal'
  const paths: string[] = []
  let afterDashes = false
  for (const w of words) {
    if (w === '--' && !afterDashes) afterDashes = true
    else if (afterDashes || (!w.startsWith('-') && (status || w !== 'HEAD'))) {
      // (A word before `--` in a diff is a path only when it is one: absolute, as aco writes paths it resolved. Any
      // other is a revision, which aco does not read.)
      if (!afterDashes && !status && !w.startsWith('/')) return undefined
      const p = relativePath(w, dir)
      if (p === undefined) return undefined
      paths.push(p)
    } else if (status && UNTRACKED_OPTION.test(w)) {
      const mode = UNTRACKED_OPTION.exec(w)![1] ?? 'all'
      untracked = mode === 'no' ? 'no' : mode === 'normal' ? 'normal' : 'all'
    } else if (status) {
      const b = STATUS_OPTIONS[w]
      if (b === undefined) return undefined
      if (b) branch = true
      if (w !== '--long' && w !== '-b' && w !== '--branch') long = false
      if (w.startsWith('--porcelain')) porcelain = true
    } else if (w === '--name-only' || w === '--name-status') {
      shows = 'names'
      letters ||= w === '--name-status'
    } else if (w === '--stat' || w === '--numstat' || w === '--shortstat') shows = 'stat'
    else if (w === '--cached' || w === '--staged') cached = true
    else if (w === 'HEAD' && !head) head = true
    else if (!(w === '--no-color' || w === '--color=never' || w === '--no-ext-diff')) return undefined
  }
  // The long form prints the branch too.
  if (status && long) branch = true
  const base: Base = cached ? 'index' : head ? 'head' : 'tree'
  const frame = status && !porcelain ? 'folder' : 'root'
  return {dir, shows, letters, frame, base, branch, paths, keeps, ...(status ? {untracked} : {})}
}

/** `-u`, `-uall`, `-unormal`, `-uno`, `--untracked-files[=mode]` (a bare `-u` or `--untracked-files` is `all`). */
const UNTRACKED_OPTION = /^(?:-u|--untracked-files)(?:=?(all|normal|no))?$/

/** The last part of a compound command, when it is a git question and every part before it a git command. */
function lastQuestion(parts: readonly string[]): Question | undefined {
  const q = questionOf(parts[parts.length - 1]!)
  if (!q || q.keeps !== undefined) return undefined
  for (let k = 0; k < parts.length - 1; k++)
    if (!/^@\S+ git [a-z]/.test(parts[k]!) || parts[k]!.includes(' | ')) return undefined
  return q
}

/** A path asked of, relative to the folder the question ran in; undefined outside it or with a pattern in it. */
function relativePath(path: string, dir: string): string | undefined {
  // (Patterns, and words the shell gives their value only when it runs: `"$f"`, `$(…)`, `~`, `{a,b}`. The command
  // line aco reads has lost its quotes, so a quoted path with a space in it is two words: what git printed of it,
  // quoted, is refused when read.)
  if (/[*?[\]'"\\$`(){}~]/.test(path)) return undefined
  let p = path.replace(/\/+$/, '')
  if (!p.startsWith('/')) {
    while (p.startsWith('./')) p = p.slice(2)
    if (p === '.' || p === '') return ''
    return p.split('/').includes('..') ? undefined : p
  }
  if (p === dir) return ''
  return p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : undefined
}
