/**
 * Tests run again that an earlier run of the same tests already reported,
 * over code nothing changed since: one test of a suite that just passed, the
 * failing test of `go test ./...` alone with `-v`. Every result the later run
 * prints (`tests/a.py::test_x PASSED`, `--- FAIL: TestX`, `ok pkg`) and every
 * other line it shows (a failure's message) the earlier run printed too, so
 * it tells nothing new. A run that shows more (`-vv`'s full diff, a test's own
 * prints with `-s`) is not one.
 */
import {coreDir} from '../commands.js'
import {harnessHeaderEnd, shownOf} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import {asksOrTells, docsBase, type FlagContext, promptedBetween, workedInTurn} from '../context.js'
import {type Action, documentation, isUnder, mutates, readsNoGit} from '../effects.js'
import {escapeRegExp} from '../../util/text.js'

export interface TestRerun {
  step: Step
  /** The earlier run that printed all of it. */
  earlier: Step
}

/** Earlier test runs a run is compared with (the latest ones). */
const COMPARED = 4

export function testReruns(ctx: FlagContext): TestRerun[] {
  const out: TestRerun[] = []
  const runs: Step[] = []
  const linesOf = new Map<Step, Set<string> | null>()
  const printed = (step: Step): Set<string> | null => {
    let lines = linesOf.get(step)
    if (lines === undefined) {
      const output = ctx.outputOf(step)
      lines = output === undefined || shownOf(output)?.elided ? null : new Set(outputLines(output))
      linesOf.set(step, lines)
    }
    return lines
  }
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    // Runners of one language's tests (pytest, `go test`, cargo): those whose result lines are read here.
    if (!action.tests || !action.depsCode || action.depsAny || mutates(action)) continue
    const step = ctx.steps[i]!
    // Its output is unpacked only when an earlier run is one it can be compared with.
    let shown: string[] | null | undefined
    for (let k = runs.length - 1; k >= 0 && k >= runs.length - COMPARED; k--) {
      const e = runs[k]!
      if (!comparable(ctx, e, step, action)) continue
      if (shown === undefined) {
        const output = ctx.outputOf(step)
        const lines = output === undefined ? [] : informative(output)
        shown = lines.some(l => RESULT.test(l)) ? lines : null
      }
      if (shown === null) break
      // (A package's tally, `ok pkg`, tells of the tests the run selected: of tests the earlier did not select, it is
      // another result, however alike its line. Claude Code's token saver shows the agent only these lines: fresh227.)
      if (
        !narrowedAlike(selection(action), selection(ctx.actions[e.index]!)) &&
        !shown.some(l => RESULT.test(l) && !PACKAGE_TALLY.test(l))
      )
        continue
      const had = printed(e)
      if (had && shown.every(l => had.has(l))) {
        out.push({step, earlier: e})
        break
      }
    }
    runs.push(step)
    if (runs.length > 2 * COMPARED) linesOf.delete(runs.shift()!)
  }
  return out
}

/**
 * Tests run again over code nothing changed since an earlier run of them passed: they pass again (fewer of its tests;
 * a runner's cache; the same tests filtered otherwise, `| head` after `| tail`, when every line the later shows but
 * progress and times the earlier showed). The later run is the same command (`same`), or the same tests, fewer or
 * filtered otherwise; it fails nothing itself. A run aco
 * cannot read into (`bash run_tests.sh`, `pnpm run coverage`) counts when its output showed a runner's tally of
 * passes, with nothing at all changed since. Another turn, a compaction or a run issued together never count.
 */
export function passingReruns(ctx: FlagContext): PassingRerun[] {
  const cached = passingCache.get(ctx)
  if (cached) return cached
  const out: PassingRerun[] = []
  // The earlier runs a run may repeat, by its command (core) and, for one language's test runners, by the options
  // they ran with; their outputs are read only when a later run could repeat them.
  const byKey = new Map<string, Step[]>()
  const seen = new Map<Step, RunText>()
  // Bounded work: the outputs compared, per card, at most this many characters (past it, runs are not compared).
  let budget = MAX_COMPARED_CHARS
  const textOf = (step: Step): RunText | undefined => {
    let t = seen.get(step)
    if (!t) {
      budget -= step.tool?.outputChars ?? 0
      if (budget < 0) return undefined
      t = runText(ctx.outputOf(step))
      seen.set(step, t)
    }
    return t
  }
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    if (!action.core || action.volatile || ctx.failed[i] === 1) continue
    // A test runner aco knows, or a command it cannot read into that names tests (`bash run_tests.sh`, `pnpm run coverage`).
    if (!(action.tests || ((action.depsAny || action.opaque) && TESTS_NAMED.test(action.core)))) continue
    const step = ctx.steps[i]!
    const keys = [`=${action.core}`]
    if (action.tests && action.depsCode && !action.depsAny) keys.push(`~${action.depsCode}\0${runOptions(action)}`)
    // (A line that ends running the tests, `gofmt -w x.go && go test ./...`: a later run of those tests alone repeats its
    // last part, which ran after the rest had written what it wrote.)
    const last = lastRun(action)
    if (last !== undefined) keys.push(`=${last}`)
    const earlier: Step[] = []
    for (const key of keys) for (const e of byKey.get(key) ?? []) if (!earlier.includes(e)) earlier.push(e)
    earlier.sort((a, b) => b.index - a.index)
    // (Go says a run's result is the one it cached from a run with the same inputs: whatever was written between.)
    let cached: GoCached | undefined
    const certified = (): GoCached => {
      cached ??= goCertifies(ctx, step, action)
      return cached
    }
    // The latest of them that ran in the same context, nothing they depend on changed since, and passed.
    for (let k = 0; k < earlier.length; k++) {
      const e = earlier[k]!
      // (The same call with the same result the plain duplicates judge first; one they leave, as after a change Go's
      // cache says its tests did not read, is judged here.)
      const known = rerunOf(ctx, e, step, action, certified)
      if (!known) continue
      const before = textOf(e)
      if (!before?.passed) continue
      const mine = textOf(step)
      const fewer = !sameSelection(selection(action), selection(ctx.actions[e.index]!))
      // It shows nothing the earlier run had not (but progress and times; with fewer of its tests, a runner's banners and
      // their own passes). The same tests shown otherwise (`| grep '==='` after `| grep '^# '`, `-v` after a token saver
      // showed `ok pkg`) tell what the earlier output hid: a tally, a banner, each test's name. Its labellers split on
      // such a run (fresh10 #131 and fresh20 #131, one call labelled twice) and called three of four no waste.
      if (mine && !mine.failed && shownBefore(mine, before, fewer))
        out.push({step, earlier: e, same: ctx.callKey[e.index] === ctx.callKey[step.index], byCache: known === 'cache'})
      break
    }
    for (const key of keys) {
      const list = byKey.get(key)
      if (!list) byKey.set(key, [step])
      else {
        list.push(step)
        if (list.length > 2 * COMPARED) seen.delete(list.shift()!)
      }
    }
  }
  passingCache.set(ctx, out)
  return out
}

const passingCache = new WeakMap<FlagContext, PassingRerun[]>()

/**
 * A passing run repeated (see `passingReruns`): `same`, the very call again; `byCache`, known to hold because Go answered
 * it from its test cache (aco could not tell that nothing changed).
 */
export interface PassingRerun extends TestRerun {
  same: boolean
  byCache: boolean
}

/** What a run printed, as compared: whether it tallied passes, or failures; its text, each line as compared. */
interface RunText {
  passed: boolean
  failed: boolean
  /** Its lines, each as `normal` makes it, between line breaks (`\nline\n`: one `includes` finds a line). */
  text: string
  /** The words of its banners, their times cut (`=== 12 passed in 0.40s ===`: `12 passed in`). */
  banners: Set<string>
}

function runText(output: string | undefined): RunText {
  const text = output === undefined ? '' : plain(output)
  const failed = FAILURE_TALLY.test(text)
  const passed = !failed && PASS_TALLY.test(text)
  // One pass over the whole text rather than a string per line: a test run prints thousands.
  const lines = failed
    ? ''
    : text
        .replace(/\r/g, '')
        // (Runs of blanks as one space: only those that are not one already, so `ok ok ok` is not rebuilt match by match.)
        .replace(/ [ \t]+|\t[ \t]*/g, ' ')
        .replace(/^ | $/gm, '')
        .replace(/ ?\[ ?\d+%\]$/gm, '')
        .replace(/(?: ?\((?:\d+(?:\.\d+)? ?m?s|cached)\)| \d+(?:\.\d+)?m?s(?: \(\d+:\d\d:\d\d\))?)$/gm, '')
  const banners = new Set<string>()
  for (const m of lines.matchAll(BANNERS)) banners.add(bannerWords(m[0])!)
  return {passed, failed, text: `\n${lines}\n`, banners}
}

/** A line of rules around words (`===== 12 passed in =====`, `--- coverage ---`). */
const BANNER = /^[=_!*-]{3,} (.*\S) [=_!*-]{3,}$/
/** Every banner line of a text. */
const BANNERS = new RegExp(BANNER.source, 'gm')

/** The words of a banner line, without its time (`12 passed in`), or undefined when it is none. */
function bannerWords(line: string): string | undefined {
  const m = BANNER.exec(line)
  return m ? m[1]!.replace(/ \d+(?:\.\d+)?m?s(?: \(\d+:\d+:\d+\))?$/, '') : undefined
}

/**
 * Whether every line `later` shows (but progress, times and rules) `earlier` showed too, a banner as its words; with
 * `fewer` of its tests, a runner's banners, a test's own pass or a tally of passes need not have been.
 */
function shownBefore(later: RunText, earlier: RunText, fewer: boolean): boolean {
  let checked = 0
  for (let at = 1; at < later.text.length; ) {
    const end = later.text.indexOf('\n', at)
    const line = later.text.slice(at, end)
    at = end + 1
    if (line === '' || NOISE.test(line)) continue
    if (fewer) {
      if (BOILERPLATE.test(line) || PASSED_LINE.test(line)) continue
    } else if (DECOR.test(line)) continue
    // (A whole run again is the plain duplicates' to judge, or unlike: past a few hundred lines, not compared.)
    if (++checked > MAX_COMPARED_LINES) return false
    if (earlier.text.includes(`\n${line}\n`)) continue
    // (A banner is its words: pytest's `=== 12 passed in 0.40s ===` tells what `-q`'s `12 passed in 0.40s` does.)
    const words = bannerWords(line)
    if (fewer || !(words === undefined ? earlier.banners.has(line) : DECOR.test(words) || earlier.banners.has(words)))
      return false
  }
  return true
}

/** Output compared for passing re-runs at most, per card (characters). */
const MAX_COMPARED_CHARS = 1_000_000

const TESTS_NAMED = /test|spec|coverage|check|verify/i

/** A later run showing more result lines than this is not compared line by line. */
const MAX_COMPARED_LINES = 400

/**
 * Whether `later` runs the tests the passing run `earlier` ran (or fewer), in the same context, nothing at all changed
 * between: a test suite may drive any of the project (a browser test exercises the frontend a Python runner never
 * reads), so another language's files count here, as they do not for a compiler. Says how it knows: nothing changed
 * (`unchanged`), or Go answered the later run from its test cache (`cache`, see `goSaysUnchanged`).
 */
function rerunOf(
  ctx: FlagContext,
  earlier: Step,
  later: Step,
  action: Action,
  certified: () => GoCached = () => false,
): 'unchanged' | 'cache' | false {
  const before = ctx.actions[earlier.index]!
  if (!sameContext(ctx, earlier, later)) return false
  const from = ctx.epochAfter[earlier.index]!
  const to = ctx.epochBefore[later.index]!
  // (A test runner of one language's code reads no document for people: `README.md`, Spec Kit's `tasks.md`.)
  const base = action.tests && action.depsCode ? docsBase(ctx, action, later) : undefined
  // (Or Go answered the tests from its cache: see `goSaysUnchanged`.)
  const changed =
    base === undefined
      ? ctx.timeline.anyChanged(from, to, readsNoGit(action))
      : ctx.timeline.anyChangedBut(from, to, readsNoGit(action), path => documentation(path, base))
  if (changed && !goSaysUnchanged(ctx, action, earlier, later, certified)) return false
  const known = changed ? 'cache' : 'unchanged'
  // (In another environment, `TZ=… npm test`, another run.)
  if (String(before.assigns ?? '') !== String(action.assigns ?? '')) return false
  if (before.core === action.core || (action.core !== undefined && lastRun(before) === action.core)) return known
  // Fewer of the same tests: a runner of one language's tests, the same options, its selection within the earlier's.
  // (`uv run pytest` syncs first: one that installed nothing, as the timeline tells, changed nothing.)
  const changes = mutates(action) && ctx.writes[later.index] !== undefined
  if (!action.tests || !action.depsCode || action.depsAny || changes || !before.tests) return false
  if (String(before.depsCode) !== String(action.depsCode) || runOptions(before) !== runOptions(action)) return false
  const picks = selection(action)
  const picked = selection(before)
  // (A mark the earlier run did not ask for, `-m slow`, where its tally said tests were deselected, `2 deselected`: the
  // configuration's own mark left those out, and this one picks them. Review 63.)
  if (
    picks.filters.some(f => f.startsWith('-m ') && !picked.filters.includes(f)) &&
    /\b\d+ deselected\b/.test(ctx.outputOf(earlier) ?? '')
  )
    return false
  // (After a run that named no path, one naming paths runs fewer of its tests only where that run showed it ran them: the
  // configuration picks what a bare `pytest` runs, `testpaths`, and a bare `go test` tests one package. Review 63.)
  if (!picked.words.some(isPath) && picks.words.some(isPath)) {
    const at = /^@(\S+) /.exec(action.core ?? '')?.[1]
    const dir = at && coreDir(at)
    const shown = ctx.outputOf(earlier) ?? ''
    const ran = (word: string): boolean => {
      const rel = dir && word.startsWith(`${dir}/`) ? word.slice(dir.length + 1) : word
      const file = rel.replace(/::.*$/, '').replace(/\/$/, '')
      return file !== '' && new RegExp(`(?:^|[\\s/])${escapeRegExp(file)}(?:[/:\\s]|$)`, 'm').test(shown)
    }
    if (!picks.words.filter(isPath).every(ran)) return false
  }
  return within(picks, picked) && known
}

/**
 * Of a command line of several commands run one after the other (`&&`, `;`), whose last runs tests: that last one's
 * core. Undefined for one command, or a last one that runs only when the others failed (`|| go test`).
 */
function lastRun(action: Action): string | undefined {
  const parts = action.parts
  if (!action.tests || parts === undefined || parts.length < 2) return undefined
  const last = parts[parts.length - 1]!
  return action.fallbackParts?.includes(last) || !GO_TEST.test(last) ? undefined : last
}

/**
 * How many lines of a run's output the line shows at most: unbounded when nothing filters it, N when only a tail or a
 * head of N lines does (`| tail -20`, `| Select-Object -Last 20`); undefined for any other filter (`| grep ok`).
 */
function shownWhole(action: Action): number | undefined {
  const part = action.parts?.length === 1 ? action.parts[0]! : undefined
  if (part === undefined || action.core === undefined) return undefined
  if (part === action.core) return Number.POSITIVE_INFINITY
  if (!part.startsWith(`${action.core} | `)) return undefined
  let room = Number.POSITIVE_INFINITY
  for (const stage of part.slice(action.core.length + 3).split(' | ')) {
    const m = /^@\S* (?:(?:tail|head) (?:-n ?)?-?(\d+)|Select-Object -(?:Last|First) (\d+))$/i.exec(stage)
    if (!m) return undefined
    room = Math.min(room, Number(m[1] ?? m[2]))
  }
  return room
}

/**
 * Whether the results a `go test` run (`later`) answered from Go's cache say that nothing its tests read changed since
 * the `earlier` run: only files of the module it ran in changed (with packages of no test files, which Go builds anew,
 * the module's prose alone: a changed package of them would tell of itself only by failing to build), or documents for
 * people, and no run of the same tests failed between. (Go's cache tells of the files of the module, not of files
 * elsewhere or a database: those still count, review 60.)
 */
export function goSaysUnchanged(
  ctx: FlagContext,
  action: Action,
  earlier: Step,
  later: Step,
  certified: () => GoCached = () => goCertifies(ctx, later, action),
): boolean {
  const module = action.codeDirs?.length === 1 ? action.codeDirs[0] : undefined
  if (!module || !GO_TEST.test(action.core ?? '')) return false
  // (The same tests failing between: the later run checks that a fix, or a revert, holds; the cache says only that the
  // code is as it was once.)
  for (let k = earlier.index + 1; k < later.index; k++)
    if (ctx.failed[k] === 1 && ctx.actions[k]?.core === action.core) return false
  const from = ctx.epochAfter[earlier.index]!
  const to = ctx.epochBefore[later.index]!
  const cached = certified()
  if (!cached) return false
  const base = action.tests && action.depsCode ? docsBase(ctx, action, later) : undefined
  // (What the earlier command wrote, it goes on writing while it runs, its output polled later: `gofmt -w x.go && go
  // test ./...` writes x.go before its tests run. Only its own: another command running beside it may rewrite the same
  // file after those tests ran, review 122.)
  const own = new Set([
    ...ctx.actions[earlier.index]!.writes.map(w => w.path),
    ...ctx.actions[earlier.index]!.writesUnder,
  ])
  return !ctx.timeline.anyChangedBut(
    from,
    to,
    readsNoGit(action),
    (path, runningOf) =>
      (runningOf?.every(k => k === earlier.index) === true && own.has(path)) ||
      (isUnder(path, module) && (cached === 'whole' || PROSE_FILE.test(path))) ||
      documentation(path, base ?? module),
  )
}

/**
 * Why a `go test` run's result still holds, in words, when Go's cache says it (see `goSaysUnchanged`): every package
 * answered from the cache, or (`untested`) those that have tests, and only prose changed in the module, whose packages
 * of no tests Go built anew (review 122: "every package" had been said of both).
 */
export function goCacheWords(ctx: FlagContext, step: Step, action: Action): string {
  return goCertifies(ctx, step, action) === 'untested'
    ? 'Go answered every package that has tests from its test cache, and only prose changed in the module since'
    : 'Go answered every package from its test cache: nothing its tests read changed since'
}

/** What a `go test` run's output certifies of its tests' input (see `goCached`); false for other runs. */
export function goCertifies(ctx: FlagContext, step: Step, action: Action): GoCached {
  if (!GO_TEST.test(action.core ?? '')) return false
  // (Read once a step: both duplicate detectors and the reason of a flag ask.)
  let certified = certifiedBy.get(step)
  if (certified === undefined) {
    certified = goCached(ctx.outputOf(step), shownWhole(action))
    certifiedBy.set(step, certified)
  }
  return certified
}

/** A command line that runs Go's tests. */
const GO_TEST = /(?:^|[\s/])go test\b/
const certifiedBy = new WeakMap<Step, GoCached>()

/**
 * Whether a `go test` run printed only results Go took from its test cache (`ok  pkg  (cached)`, packages with no test
 * files aside): Go caches a package's result with every file and variable its test read, and gives it again only when
 * none changed, so the run tells that nothing it depends on changed since the run it cached.
 */
function goCached(output: string | undefined, room: number | undefined): GoCached {
  if (!output || room === undefined) return false
  // (Cut by a filter, the lines left may all be cached while a package cut off ran again: review 60.)
  if (output.replace(/\n+$/, '').split('\n').length >= room) return false
  let cached = 0
  let untested = false
  for (const line of output.split('\n')) {
    const t = line.trim()
    if (/^ok\s+\S+\s+\(cached\)/.test(t)) cached++
    // (A package with no test files is built again, its result not cached: a change to its code is not told of. With
    // `-cover`, Go 1.22 on prints such a package by its coverage alone, `example.com/app/cmd  coverage: 0.0% …`.)
    else if (/\[no test files\]/.test(t) || /^\S+\s+coverage: /.test(t)) untested = true
    else if (/^(?:ok\s|FAIL\b|--- FAIL|panic:|# )/.test(t)) return false
  }
  return cached === 0 ? false : untested ? 'untested' : 'whole'
}

/**
 * What a `go test` run's cached results certify (see `goCached`): that nothing its tests read changed (`whole`); with
 * packages of no test files beside them, nothing but the module's prose (`untested`); nothing (false).
 */
export type GoCached = 'whole' | 'untested' | false

/** Prose for people, which no Go build reads as code (an `embed` of it builds the same). */
const PROSE_FILE = /\.(?:md|markdown|txt|rst|adoc)$/i

interface Selection {
  words: string[]
  filters: string[]
  /** Of `words`, those written as tests' paths (`tests/a.py`, `a.py::t`, `./pkg`), not a runner's word (`test`). */
  named: string[]
}

/**
 * A test run's words that are no options: the runner's, then the tests it selects (paths, `path::name`, resolved from
 * where it ran); and the filters it selects them by (`-k expr`).
 */
function selection(action: Action): Selection {
  const words: string[] = []
  const filters: string[] = []
  const named: string[] = []
  const all = (action.core ?? '').split(' ')
  const dir = all[0]?.startsWith('@') ? coreDir(all[0].slice(1)) : ''
  for (let k = 1; k < all.length; k++) {
    const w = all[k]!
    if (w === '-k' || w === '-run' || w === '--run' || w === '-m') filters.push(`${w} ${all[++k] ?? ''}`)
    // (pytest's mark joined to its option, `-mslow`: the same filter as `-m slow`.)
    else if (/^-m[^-\s]/.test(w)) filters.push(`-m ${w.slice(2)}`)
    else if (VALUED.has(w)) k++
    else if (!w.startsWith('-') && !/^\w+=/.test(w)) {
      // (Go's command, `go test`, is no folder of tests: a bare `go test` tests the package it ran in, and `go test ./...`
      // more than that. Cargo's words after `cargo test` filter the tests by name: within all of them, as before.)
      const own = words.length === 1 && words[0] === 'go' && w === 'test'
      const word = words.length && dir && !own && !w.startsWith('/') ? `${dir}/${w}` : w
      words.push(word)
      if (words.length > 1 && (w.includes('/') || w.includes('::') || /\.\w+$/.test(w))) named.push(word)
    }
  }
  return {words, filters, named}
}

/**
 * Whether the later selection is within the earlier one: the same runner words, each test it names under one the
 * earlier named (or the earlier named none: all of them), and every filter the earlier had (it may add its own).
 */
function within(later: Selection, earlier: Selection): boolean {
  if (!earlier.filters.every(f => later.filters.includes(f))) return false
  let k = 0
  while (k < earlier.words.length && k < later.words.length && earlier.words[k] === later.words[k]) k++
  const wide = earlier.words.slice(k)
  const narrow = later.words.slice(k)
  // (Naming no test, the later one runs them all: more than an earlier one that named some.)
  if (narrow.length === 0 && wide.length > 0) return false
  // Within the tests the earlier one named, the words it shares with the later one too (`pytest a.py`, then `pytest a.py
  // b.py`: b.py is more, review 68); where it named none, within its other words (none: all of them).
  const named = earlier.named.length ? earlier.named : wide
  return narrow.every(
    n =>
      isPath(n) &&
      (named.length === 0 ||
        named.some(
          w =>
            n === w ||
            // (Go's `./pkg/...` takes in the packages below ./pkg, which `./pkg` alone does not.)
            ((n.startsWith(`${w}/`) || n.startsWith(`${w}::`)) && !(n.endsWith('/...') && !w.endsWith('/...'))),
        )),
  )
}

const isPath = (word: string): boolean => word.includes('/') || word.includes('::')

/** An output's text after the harness's header, colours dropped. */
function plain(output: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes
  return output.slice(harnessHeaderEnd(output)).replace(/\x1b\[[0-9;]*m/g, '')
}

/**
 * A runner's tally of passes: pytest's `3 passed`, jest's and vitest's `Tests: 16 passed`, mocha's `3 passing`,
 * `go test`'s `ok  pkg`, cargo's `test result: ok.`, unittest's `OK`, TAP's `# pass 3`, node --test's `ℹ pass 3`.
 */
const PASS_TALLY = /\b\d+ (?:passed|passing)\b|^ok\s+\S|^test result: ok\.|^OK\b|^[#ℹ] pass \d+/m
/**
 * Lines that tell nothing of a run's result: progress (`....F..  [ 45%]`), times, where it ran, a runner's closing words,
 * Go's line for a package that has no tests (`?   pkg [no test files]`): no test ran there.
 */
const NOISE =
  /^[.sFEx]+$|^(?:Time|Duration|Start at|Snapshots):|^(?:cachedir|rootdir|configfile|plugins|platform|testpaths): |^Ran all test suites|^Done in\b|^> |^[#ℹ] duration_ms |^\? \S+ \[no test files\]$/
/**
 * A test's own pass (`tests/a.py::test_x PASSED`, `✓ adds`, `--- PASS: TestX`, `ok pkg`), or a tally of passes only
 * (pytest's `3 passed, 1 skipped in 0.38s`, its time already cut).
 */
const PASSED_LINE =
  /^\S+::\S.* PASSED$|^✓ |^--- PASS: |^ok \S|^\d+ passed(?:, \d+ (?:skipped|deselected|warnings?|xfailed|xpassed))*(?: in)?$|^test \S+ \.\.\. ok$/
/** …and of failures (any tally above zero, a failing package or test, a progress line with an F or an E). */
const FAILURE_TALLY =
  /\b[1-9]\d* (?:failed|failing|errors?|error)\b|^(?:FAIL|FAILED|ERROR)\b|^--- FAIL|^test result: FAILED|^[#ℹ] fail [1-9]|^not ok\b|^[.sxX]*[FE][.sFExX]*(?:\s*\[\s*\d+%\])?$/m

/**
 * Two runs in one context: the earlier issued in an earlier LLM call, no compaction between, the same turn (a person
 * may have asked for the run again) and folder.
 */
function sameContext(ctx: FlagContext, earlier: Step, later: Step): boolean {
  const e = earlier.index
  const l = later.index
  if (ctx.batch[e]! >= ctx.batch[l]! || ctx.compaction[e] !== ctx.compaction[l]) return false
  if (ctx.cwdOf(earlier) !== ctx.cwdOf(later)) return false
  // (Within a turn, a message the person queued between the runs may have asked for the run, or told of a change.)
  return earlier.turn === later.turn
    ? !promptedBetween(ctx, earlier, later, asksOrTells)
    : quietTurns(ctx, earlier, later)
}

/**
 * Whether the later run comes at a later turn after the agent worked on other things in it (not opening the turn: the
 * person may have changed files and asked for the run), and no person's prompt between the two runs (the later's
 * turn's included) spoke of running or checking anything, of a change, or asked for anything again (see
 * `PromptNote`): `ok`, `add a CLAUDE.md` leave a run's result standing.
 */
function quietTurns(ctx: FlagContext, earlier: Step, later: Step): boolean {
  return workedInTurn(ctx, later) && !promptedBetween(ctx, earlier, later, asksOrTells)
}

/** Runs of the same language's tests in the same folder and context, with nothing they read changed in between. */
function comparable(ctx: FlagContext, earlier: Step, later: Step, action: Action): boolean {
  const e = earlier.index
  const l = later.index
  const before = ctx.actions[e]!
  if (!sameContext(ctx, earlier, later)) return false
  const langs = action.depsCode!
  if (String(before.depsCode) !== String(langs)) return false
  // Run with the same options and environment (`-race`, `--release`, `FOO=1`), whatever tests they select or how much
  // they print.
  if (runOptions(before) !== runOptions(action)) return false
  const from = ctx.epochAfter[e]!
  const to = ctx.epochBefore[l]!
  // (Installs of the language's packages count as a change of its code; another language's do not.)
  return !ctx.timeline.codeChanged(langs, from, to, ctx.codeScope(action), docsBase(ctx, action, later))
}

/**
 * A test run's options and environment assignments, less those that only select tests (`-k expr`, `-run re`, paths)
 * or say how much to print (`-v`, `-q`, `-s`, `-x`, `--tb=short`), in order.
 */
function runOptions(action: Action): string {
  const words = (action.core ?? '').split(' ').slice(1)
  const kept: string[] = []
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!
    if (w === '-k' || w === '-run' || w === '--run' || w === '-m') {
      k++
      continue
    }
    // (An option and its value as two words: another build tag or count is another run, review 62.)
    if (VALUED.has(w) && k + 1 < words.length) {
      kept.push(`${w} ${words[++k]}`)
      continue
    }
    if (/=/.test(w) && !w.startsWith('-')) kept.push(w)
    else if (w.startsWith('-') && !QUIET_OR_LOUD.test(w)) kept.push(w)
  }
  // The environment the line sets for it, however it sets it (`export DATABASE_URL=… && pytest`, `env A=1 pytest`):
  // another database, another run.
  for (const a of action.assigns ?? []) if (!kept.includes(a)) kept.push(a)
  return kept.join(' ')
}

/**
 * Options of test runners whose value is the next word (`go test -tags sqlite`, `-count 50`, `cargo test --features x`,
 * `pytest -n 4`): the value is part of the option, not a test picked.
 */
const VALUED = new Set([
  '-tags',
  '-count',
  '-timeout',
  '-cpu',
  '-parallel',
  '-bench',
  '-benchtime',
  '-coverprofile',
  '-covermode',
  '-coverpkg',
  '-ldflags',
  '-gcflags',
  '-shuffle',
  '-n',
  '--maxfail',
  '-c',
  '-o',
  '--features',
  '--package',
  '--target',
  '-j',
  '--config',
  '--project',
  '--shard',
])

/** Options that change only how much a runner prints (or when it stops at a failure); cargo's `--` passes them on. */
const QUIET_OR_LOUD =
  /^(?:-[vqsx]+|-xvs|--verbose|--quiet|--tb=\w+|-r[fEsxXpPaAwN]+|--no-header|--color=\w+|-p|no:cacheprovider|--|--nocapture|--show-output)$/

/** The lines of an output as compared: progress, durations and spacing left out. */
function outputLines(output: string): string[] {
  return output
    .slice(harnessHeaderEnd(output))
    .split('\n')
    .map(normal)
    .filter(l => l !== '')
}

/** The lines a run showed that must have been shown before: results and messages, not a runner's headers and tallies. */
function informative(output: string): string[] {
  return outputLines(output).filter(l => !BOILERPLATE.test(l))
}

function normal(line: string): string {
  return line.trim().replace(PROGRESS, '').replace(DURATION, '').replace(/\s+/g, ' ')
}

/** pytest's `[ 45%]` at a line's end. */
const PROGRESS = /\s*\[\s*\d+%\]$/
/** `(0.00s)`, `(cached)`, `0.012s` at a line's end (`--- PASS: TestX (0.00s)`, `ok pkg 0.012s`). */
const DURATION = /(?:\s*\((?:\d+(?:\.\d+)?\s*m?s|cached)\)|\s+\d+(?:\.\d+)?m?s)$/

/** What a run prints that tells nothing of which tests ran or how they did, shown or not: rules, where it ran, a test starting. */
const DECOR =
  /^(?:[=_!*-]+|test session starts|(?:platform|rootdir|plugins|cachedir|configfile|testpaths|collecting) .*|=== (?:RUN|PAUSE|CONT|NAME) .*)$/

/**
 * A runner's own lines, which differ between two runs of the same tests (headers, separators, counts, tallies):
 * pytest's session header and `=== 3 passed in 0.1s ===`, `go test`'s `=== RUN`, a bare `PASS`/`FAIL`, cargo's
 * `running 3 tests` and `test result:`, unittest's `Ran 3 tests`.
 */
const BOILERPLATE =
  /^(?:[=_!-]+|=+ .* =+|!+ .* !+|(?:platform|rootdir|plugins|cachedir|configfile|testpaths|collecting|collected|Ran) .*|=== (?:RUN|PAUSE|CONT|NAME) .*|PASS|FAIL|OK|FAILED|running \d+ tests?|test result: .*|OK \(.*\)|FAILED \(.*\))$/

/** Whether two runs pick the same tests: the same packages, paths and filters, in any order (options aside: `-v`, `-q`). */
function sameSelection(a: Selection, b: Selection): boolean {
  const same = (x: string[], y: string[]): boolean =>
    x.length === y.length && x.every(w => y.includes(w)) && y.every(w => x.includes(w))
  return same(a.words, b.words) && same(a.filters, b.filters)
}

/**
 * A test's result: pytest's `path::name PASSED` and `FAILED path::name - …`, `go test`'s `--- FAIL: TestX` and
 * `ok pkg`, cargo's and unittest's `test x ... ok`.
 */

/**
 * Whether the later run's tests are picked by every filter the earlier's were (`-run re`, `-k expr`; it may add its
 * own), whatever names their package: a package's tally then tells of no test the earlier's did not.
 */
function narrowedAlike(later: {filters: string[]}, earlier: {filters: string[]}): boolean {
  return earlier.filters.every(f => later.filters.includes(f))
}

/** A result line of a whole package (`ok  pkg  0.3s`, `FAIL pkg`), not of one test. */
const PACKAGE_TALLY = /^(?:ok|FAIL) \S+$/

const RESULT =
  /^\S+::\S.* (?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b|^(?:FAILED|ERROR) \S+::\S|^--- (?:PASS|FAIL|SKIP): \S|^(?:ok|FAIL) \S+$|^test \S+ \.\.\. (?:ok|FAILED|ignored)|^\w+ \([\w.]+\) \.\.\. (?:ok|FAIL|ERROR|skipped)/
