/**
 * Tests run again that an earlier run of the same tests already reported,
 * over code nothing changed since: one test of a suite that just passed, the
 * failing test of `go test ./...` alone with `-v`. Every result the later run
 * prints (`tests/a.py::test_x PASSED`, `--- FAIL: TestX`, `ok pkg`) and every
 * other line it shows (a failure's message) the earlier run printed too, so
 * it tells nothing new. A run that shows more (`-vv`'s full diff, a test's own
 * prints with `-s`) is not one.
 */
import {harnessHeaderEnd, shownOf} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import type {FlagContext} from '../context.js'
import {type Action, mutates} from '../effects.js'

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
  for (let si = 0; si < ctx.steps.length; si++) {
    const step = ctx.steps[si]!
    const action = ctx.actions[step.index]
    // Runners of one language's tests (pytest, `go test`, cargo): those whose result lines are read here.
    if (step.kind !== 'tool' || !action?.tests || !action.depsCode || action.depsAny || mutates(action)) continue
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

/** Runs of the same language's tests in the same folder and context, with nothing they read changed in between. */
function comparable(ctx: FlagContext, earlier: Step, later: Step, action: Action): boolean {
  const e = earlier.index
  const l = later.index
  const before = ctx.actions[e]!
  if (ctx.batch[e]! >= ctx.batch[l]! || ctx.compaction[e] !== ctx.compaction[l]) return false
  // A person may have asked for the run again.
  if (earlier.turn !== later.turn || ctx.cwdOf(earlier) !== ctx.cwdOf(later)) return false
  const langs = action.depsCode!
  if (String(before.depsCode) !== String(langs)) return false
  // Run with the same options and environment (`-race`, `--release`, `FOO=1`), whatever tests they select or how much
  // they print.
  if (runOptions(before) !== runOptions(action)) return false
  const from = ctx.epochAfter[e]!
  const to = ctx.epochBefore[l]!
  // (Installs of the language's packages count as a change of its code; another language's do not.)
  return !ctx.timeline.codeChanged(langs, from, to, ctx.codeScope(action))
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
    if (/=/.test(w) && !w.startsWith('-')) kept.push(w)
    else if (w.startsWith('-') && !QUIET_OR_LOUD.test(w)) kept.push(w)
  }
  return kept.join(' ')
}

/** Options that change only how much a runner prints (or when it stops at a failure). */
const QUIET_OR_LOUD =
  /^(?:-[vqsx]+|-xvs|--verbose|--quiet|--tb=\w+|-r[fEsxXpPaAwN]+|--no-header|--color=\w+|-p|no:cacheprovider)$/

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

/**
 * A runner's own lines, which differ between two runs of the same tests (headers, separators, counts, tallies):
 * pytest's session header and `=== 3 passed in 0.1s ===`, `go test`'s `=== RUN`, a bare `PASS`/`FAIL`, cargo's
 * `running 3 tests` and `test result:`, unittest's `Ran 3 tests`.
 */
const BOILERPLATE =
  /^(?:[=_!-]+|=+ .* =+|!+ .* !+|(?:platform|rootdir|plugins|cachedir|configfile|testpaths|collecting|collected|Ran) .*|=== (?:RUN|PAUSE|CONT|NAME) .*|PASS|FAIL|OK|FAILED|running \d+ tests?|test result: .*|OK \(.*\)|FAILED \(.*\))$/

/**
 * A test's result: pytest's `path::name PASSED` and `FAILED path::name - …`, `go test`'s `--- FAIL: TestX` and
 * `ok pkg`, cargo's and unittest's `test x ... ok`.
 */
const RESULT =
  /^\S+::\S.* (?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b|^(?:FAILED|ERROR) \S+::\S|^--- (?:PASS|FAIL|SKIP): \S|^(?:ok|FAIL) \S+$|^test \S+ \.\.\. (?:ok|FAILED|ignored)|^\w+ \([\w.]+\) \.\.\. (?:ok|FAIL|ERROR|skipped)/
