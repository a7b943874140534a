/**
 * The same call again while its earlier result still holds: the same tool
 * and arguments (or, for shell commands, the same command run in the same
 * directory, or only parts of an earlier compound command), the earlier one
 * succeeded in an earlier LLM call of the same context, and nothing that the
 * result depends on changed in between (for a read, its file; for a search,
 * its tree; for a test run, anything). A whole-file write repeated over a
 * file nothing else touched since writes what is already there. Commands
 * whose output changes by itself (polling, `ps`, the network) are never
 * duplicates.
 */
import {harnessHeaderEnd, outputBody} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import {argumentsCarryContent, fullArguments, keepsBooks, shellLine} from '../actions.js'
import {
  asksOrTells,
  docsBase,
  endsProcesses,
  type FlagContext,
  promptedBetween,
  startedBetween,
  waitBefore,
  workedInTurn,
} from '../context.js'
import {asksOnlyUsage} from '../commands.js'
import {type Action, displayPath, normalisePath, readsNoGit} from '../effects.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'
import {lookFindings, showsTimes} from './coverage.js'
import {scriptReruns} from './script-reruns.js'
import {goCacheWords, goCertifies, goSaysUnchanged, passingReruns} from './test-reruns.js'
import {applyFilters, keptLines} from '../filters.js'
import {parseShell} from '../shell.js'
import {diffMayHaveChanged} from '../untracked.js'
import {gitAnswers} from './git-answers.js'
import {readStatus} from '../git-status.js'
import {hasWrites} from '../timeline.js'

export const duplicateCall: Detector = ctx => {
  const findings: Finding[] = []
  const flagged = new Set<Step>()
  const byKey = new Map<number, Step>()
  const byCore = new Map<string, Step>()
  /** Of those, the last that printed the command's whole output (see `printedWhole`). */
  const wholeByCore = new Map<string, Step>()
  const byPart = new Map<string, Step>()
  /** The latest read-only commands of one part (with their words), for a later one with fewer of their options. */
  const looks: Look[] = []
  /** The latest web lookup of each call key (see `webLookup`), and the latest of all. */
  const webByKey = new Map<unknown, Step>()
  let lastWeb: Step | undefined
  /** The tool call before this one. */
  let lastTool: Step | undefined
  /** Calls that filtered a command aco cannot read into, and the call before that printed it whole. */
  const filteredFrom = new Map<Step, {command: string; whole: Step}>()
  // Indexed loops: a for-of over 100,000 steps allocates an iterator result per step in these large functions.
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const step = ctx.steps[ctx.tools[ti]!]!
    // (Whatever it is: a read, a subagent, a poll between two calls is something in between; a todo list is not.)
    const prevTool = lastTool
    if (!keepsBooks(step)) lastTool = step
    const action = ctx.actions[step.index]!
    if (
      action.kind === 'poll' ||
      action.kind === 'task' ||
      // Bookkeeping (a todo list, a plan) is no look at the project: not compared.
      keepsBooks(step)
    )
      continue
    if (action.volatile && webLookup(step)) {
      // The same web search or page asked for again within one model response, right after it (Codex's
      // `web_search_call` opening a page it opened seconds before; the same WebFetch twice in one message): nothing on
      // the web changes between two requests of one response, whatever its results (a rollout records none). (Not
      // after another look in between: `open_page` after a `find_in_page` may open at the line found.)
      const key = ctx.callKey[step.index]!
      const e = webByKey.get(key)
      const named = webTarget(step) !== undefined
      if (e && named && e === lastWeb && ctx.batch[e.index] === ctx.batch[step.index] && ctx.failed[step.index] !== 1) {
        findings.push(
          toolFinding(
            ctx,
            'duplicate-call',
            step,
            `repeats ${describeCall(step, ctx.redact)} from step ${e.index} in the same model response; what it looks up cannot have changed in between`,
            0.8,
            [e.id],
          ),
        )
        flagged.add(step)
      }
      if (ctx.failed[step.index] !== 1 && named) webByKey.set(key, step)
      lastWeb = step
      continue
    }
    if (action.volatile && !idleSync(ctx, step, action)) {
      // A sync that did install (the first `npm install`) is what a later idle one repeats.
      if (action.syncs && ctx.failed[step.index] !== 1) {
        byKey.set(ctx.callKey[step.index]!, step)
        if (action.core) byCore.set(withEnv(action, action.core), step)
      }
      continue
    }
    // A patch that puts back every line it takes out, lines the latest write of its file had written: that write again.
    if (action.noChange && ctx.failed[step.index] !== 1 && (action.parts?.length ?? 1) === 1) {
      const wrote = wroteThem(ctx, step.index, action.targets, action.noChange)
      if (wrote) {
        const files = action.targets.map(t => displayPath(t, ctx.card.cwd)).join(', ')
        findings.push(
          toolFinding(
            ctx,
            'duplicate-call',
            step,
            `patches ${files} with hunks that each put back the lines they take out, lines step ${wrote.index} had written: it writes what the file already held`,
            0.9,
            [wrote.id],
          ),
        )
        flagged.add(step)
        continue
      }
    }
    // A file read again is a re-read (reread-unchanged judges it by the lines it showed), not a duplicate call.
    if (action.kind === 'read') continue
    const i = step.index
    const key = ctx.callKey[i]!
    let earlier = byKey.get(key)
    if (!earlier && action.core) earlier = byCore.get(withEnv(action, action.core))
    let evidence: Step[] | undefined
    let filtered = false
    let rightAfter = false
    let fewer: 'options' | 'count' | false = false
    if (earlier && holds(ctx, earlier, step, action)) evidence = [earlier]
    else if (!earlier && readOnly(action)) {
      // The command filtered, after an earlier call printed it whole among others (`pwd && ls -la`, then `ls -la | rg x`).
      const command = filteredCommand(action)
      const e = command === undefined ? undefined : byPart.get(withEnv(action, command))
      // (Not after one that also changed things: what it printed may be gone by its own end.)
      const read = e !== undefined && readOnly(ctx.actions[e.index]!)
      if (read && holds(ctx, e, step, action, true) && !ctx.shown(e)?.elided && derivable(ctx, e, step, action)) {
        evidence = [e]
        filtered = true
      }
    }
    // Filtered again after another filter of the command: the last call that printed it whole tells (`git diff | tail
    // -1` after `git diff | head -200`, which cut nothing, and `git diff | grep -c '^+'`).
    if (!evidence && earlier && action.core && readOnly(action)) {
      const whole = wholeByCore.get(withEnv(action, action.core))
      if (whole && whole !== earlier && holds(ctx, whole, step, action)) evidence = [whole]
    }
    // A command aco cannot read into, filtered, right after the call before printed its whole output (`punt audit . |
    // grep Missing` after `punt audit .`), nothing changed or asked for in between, printing what the filter makes of
    // that output (aco runs the filter over it). Or right after other such filters of it (`… | grep -A5 Permissions`).
    const command = action.opaque && !action.volatile && !action.tests ? filteredCommand(action) : undefined
    let whole: Step | undefined
    if (command !== undefined && prevTool !== undefined) {
      const before = ctx.actions[prevTool.index]
      if (before?.parts?.length === 1 && before.parts[0] === command && !before.tests) whole = prevTool
      else if (filteredFrom.get(prevTool)?.command === command) whole = filteredFrom.get(prevTool)!.whole
      // (Between the filters of one chain, each ran the command again: what it may have changed, the first did too.)
      if (whole && !(sameRun(ctx, whole, step, prevTool) && filterOfWhole(ctx, whole, step))) whole = undefined
      if (whole) filteredFrom.set(step, {command, whole})
    }
    if (!evidence && whole && ctx.batch[whole.index]! < ctx.batch[i]!) {
      evidence = [whole]
      filtered = true
      rightAfter = true
    }
    // The command again with fewer of its options (`git status --short` after `git status --short --branch`), printing
    // only lines the earlier one printed.
    if (!evidence && !earlier && readOnly(action) && !action.tests) {
      const wider = widerLook(ctx, looks, step, action)
      if (wider) {
        evidence = [wider.step]
        fewer = wider.how
      }
    }
    // The whole command ran before and its result no longer holds (another output, a change): its parts cannot say
    // otherwise (`grep … || true` after both a grep and another `… || true`).
    if (!evidence && !earlier && action.parts?.length && readOnly(action)) {
      // Every part of this command ran before (alone or inside a compound command) and still holds.
      const found = action.parts.map(p => byPart.get(withEnv(action, p)))
      if (found.every((e): e is Step => e !== undefined && holds(ctx, e, step, action, true)))
        evidence = [...new Set(found)]
    }
    if (evidence && ctx.failed[i] !== 1) {
      const e = evidence[evidence.length - 1]!
      const sameOutput = e.tool?.outputHash !== undefined && e.tool.outputHash === step.tool!.outputHash
      const what =
        action.kind === 'write'
          ? `writes what step ${e.index} wrote (${describeCall(step, ctx.redact)}), and nothing else changed the file since`
          : fewer
            ? `runs the command of step ${e.index} with ${fewer === 'count' ? 'a smaller count' : 'fewer of its options'} (${describeCall(step, ctx.redact)}) and prints only lines it printed; ${unchanged(ctx, action, e, step)}`
            : rightAfter
              ? `filters what step ${e.index} printed whole (${describeCall(e, ctx.redact)}), running its command again with nothing else run in between`
              : !sameOutput && (filtered || filtersWhole(ctx, e, action))
                ? `filters what step ${e.index} printed whole (${describeCall(e, ctx.redact)}); ${unchanged(ctx, action, e, step)}`
                : !sameOutput && cachedRecheck(ctx, e, step, action)
                  ? `checks the code step ${e.index} checked again (${describeCall(step, ctx.redact)}) and prints only lines it printed, its work already done; ${unchanged(ctx, action, e, step)}`
                  : `repeats ${describeCall(step, ctx.redact)} from step ${evidence.map(x => x.index).join(', ')}${sameOutput ? ', and got the same result' : ''}; ${unchanged(ctx, action, e, step)}`
      findings.push(
        toolFinding(
          ctx,
          'duplicate-call',
          step,
          what,
          sameOutput ? 0.95 : 0.8,
          evidence.map(x => x.id),
        ),
      )
      flagged.add(step)
    }
    if (ctx.failed[i] !== 1) {
      byKey.set(key, step)
      if (action.core) byCore.set(withEnv(action, action.core), step)
      if (action.core && printedWhole(ctx, step, action.core)) wholeByCore.set(withEnv(action, action.core), step)
      // (Not a part after `||`: it ran only if what came before failed, and may not have; review 73.)
      if (action.parts)
        for (const p of action.parts) if (!action.fallbackParts?.includes(p)) byPart.set(withEnv(action, p), step)
      if (
        action.core &&
        readOnly(action) &&
        !action.tests &&
        action.parts?.length === 1 &&
        action.parts[0] === action.core
      ) {
        looks.push({step, words: action.core.split(' ')})
        if (looks.length > LOOKS_KEPT) looks.shift()
      }
    }
  }
  // The same search in effect, written another way (`grep -r x d --include=*.py` after `find d -name "*.py" -exec grep -l x {} \;` found nothing).
  for (const f of lookFindings(ctx)) {
    if (f.kind !== 'search' || !f.same || flagged.has(f.step)) continue
    const e = f.by[f.by.length - 1]!
    findings.push(
      toolFinding(
        ctx,
        'duplicate-call',
        f.step,
        f.byPaths
          ? `runs the same listing as step ${e.index} (${describeCall(e, ctx.redact)}) and lists only files it showed; no file was made there since`
          : `runs the same search as step ${e.index} (${describeCall(e, ctx.redact)}) in another form; nothing changed there since`,
        0.85,
        f.by.map(b => b.id),
      ),
    )
  }
  /** A finding of one of the kinds below, for a step no other has flagged. */
  const also = (step: Step, reason: string, confidence: number, evidence: readonly Step[]): void => {
    if (flagged.has(step)) return
    findings.push(
      toolFinding(
        ctx,
        'duplicate-call',
        step,
        reason,
        confidence,
        evidence.map(e => e.id),
      ),
    )
    flagged.add(step)
  }
  // A git question asked again in another form (`git status --porcelain` after `git status --short`).
  for (const r of gitAnswers(ctx, stillHolds(ctx)))
    if (r.same)
      also(
        r.step,
        r.byCommit
          ? `asks git for the status step ${r.earlier.index} printed when its commit found nothing staged (${describeCall(r.earlier, ctx.redact)}), and got it again: nothing changed since`
          : `asks git what step ${r.earlier.index} asked (${describeCall(r.earlier, ctx.redact)}), in another form, and got the answer it gave: nothing changed those files or git's state since`,
        0.85,
        [r.earlier],
      )
  // A check script run again with other labels, prints or comments: the same statements, values already printed.
  for (const r of scriptReruns(ctx))
    also(
      r.step,
      `runs the script of step ${r.earlier.index} again in other words: it does nothing that one did not, and prints only values it printed; nothing changed since`,
      0.8,
      [r.earlier],
    )
  // A look whose output is, byte for byte, what an earlier call printed, nothing having changed at all since.
  for (const r of sameOutputs(ctx))
    also(
      r.step,
      `prints exactly what step ${r.earlier.index} printed (${describeCall(r.earlier, ctx.redact)}), and nothing changed since: its answer was in hand`,
      0.8,
      [r.earlier],
    )
  // A background shell killed again: nothing revives one, so the call can only answer that it is not running.
  for (const r of killsAgain(ctx))
    also(
      r.step,
      `kills background shell ${clipId(r.id)} again: step ${r.earlier.index} killed it, and a shell killed stays so`,
      0.9,
      [r.earlier],
    )
  // A push again after a push found nothing to push, nothing committed since: there is nothing to push still.
  for (const r of pushesAgain(ctx))
    also(
      r.step,
      `pushes ${r.what} again: step ${r.earlier.index}'s push answered "Everything up-to-date", and nothing was committed or changed in git since, so there is nothing to push still`,
      0.85,
      [r.earlier],
    )
  // A command run again under the name its deprecation notice gave, printing what it printed under the old one.
  for (const r of renamedAgain(ctx))
    also(
      r.step,
      `runs step ${r.earlier.index}'s command again under the name its deprecation notice gave (${r.name}), and prints what it printed: the same command, the same answer`,
      0.85,
      [r.earlier],
    )
  // An edit sent again after it applied: the text it replaces is gone, so it can only fail to find it.
  for (const r of editsAgain(ctx))
    also(
      r.step,
      `sends the edit of step ${r.earlier.index} again (${describeCall(r.step, ctx.redact)}): it had applied, so its text is gone; nothing else changed the file since`,
      0.9,
      [r.earlier],
    )
  // Folders made again: each was made by an earlier call and nothing removed it since.
  for (const r of madeAgain(ctx))
    also(
      r.step,
      `makes ${r.dirs.length === 1 ? `folder ${displayPath(r.dirs[0]!, ctx.card.cwd)}` : `folders ${r.dirs.map(d => displayPath(d, ctx.card.cwd)).join(', ')}`} again: step ${[...new Set(r.earlier.map(e => e.index))].join(', ')} made ${r.dirs.length === 1 ? 'it' : 'them'}, and nothing removed ${r.dirs.length === 1 ? 'it' : 'them'} since`,
      0.85,
      [...new Set(r.earlier)],
    )
  // Tests that passed, run again as they were with nothing they run changed since (their output may differ: a cache).
  for (const r of passingReruns(ctx))
    if (r.same)
      also(
        r.step,
        `runs ${describeCall(r.step, ctx.redact)} again: it passed at step ${r.earlier.index}, and ${r.byCache ? goCacheWords(ctx, r.step, ctx.actions[r.step.index]!) : 'nothing it runs changed since'}`,
        0.8,
        [r.earlier],
      )
  // A file written whole again with the very content the agent last wrote whole there, nothing having changed it since.
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const step = ctx.steps[ctx.tools[ti]!]!
    const earlier = ctx.rewrote(step)
    if (!earlier || ctx.batch[earlier.index]! >= ctx.batch[step.index]!) continue
    const files = ctx.writes[step.index]!.writes.map(w => displayPath(w.path, ctx.card.cwd))
    also(
      step,
      `writes ${files.join(', ')} with the content ${files.length === 1 ? 'it' : 'they'} already held: step ${earlier.index} wrote exactly this, and nothing changed ${files.length === 1 ? 'it' : 'them'} since`,
      0.85,
      [earlier],
    )
  }
  return findings.sort((a, b) => a.step.index - b.step.index)
}

/**
 * Calls that only make folders (`mkdir -p a b`), each of which an earlier call of the same context made (it succeeded,
 * in an earlier LLM call) with nothing since that could have removed it: no write at it or below a folder holding
 * it, no command aco cannot read, no person's absence. They can only find the folders there.
 */
/**
 * (Why the lines must be ones a write of the session carried: Codex's apply_patch finds a hunk's lines loosely, spaces
 * and some punctuation aside, so a patch that reads as putting back what it takes out may still have changed a line
 * the file held otherwise; lines the agent itself wrote, nothing changing them since, are what the file holds.)
 *
 * The latest step before `si` that wrote one of these files, when it wrote every one of these lines (as lines of a
 * file's whole content, or as a patch's `+` lines), did not fail, and nothing changed the files since; else undefined.
 */
function wroteThem(ctx: FlagContext, si: number, files: readonly string[], lines: readonly string[]): Step | undefined {
  for (let k = si - 1; k >= 0; k--) {
    const step = ctx.steps[k]!
    const action = ctx.actions[step.index]
    if (!action || step.kind !== 'tool' || ctx.failed[step.index] === 1) continue
    const writes = action.writes.filter(w => files.includes(w.path))
    if (!writes.length) continue
    // (Nothing else changed them since: a script aco cannot see into may have.)
    const from = ctx.epochAfter[step.index]!
    const to = ctx.epochBefore[ctx.steps[si]!.index]!
    if (files.some(f => ctx.timeline.changed(f, from, to))) return undefined
    const whole = writes.map(w => w.content).filter(c => c !== undefined)
    const text = `\n${whole.join('\n')}\n`
    // (The whole arguments, not the card's shortened copy: a long patch is cut there.)
    const args = `\n${argumentStrings(fullArguments(step).args).join('\n')}\n`
    return lines.every(l => text.includes(`\n${l}\n`) || args.includes(`\n+${l}\n`)) ? step : undefined
  }
  return undefined
}

/** The strings a call's arguments hold (a patch tool's input, a shell's command line), unescaped. */
function argumentStrings(args: unknown): string[] {
  if (typeof args === 'string') return [args]
  if (Array.isArray(args)) return args.flatMap(argumentStrings)
  if (args && typeof args === 'object') return Object.values(args).flatMap(argumentStrings)
  return []
}

function madeAgain(ctx: FlagContext): Array<{step: Step; dirs: string[]; earlier: Step[]}> {
  const out: Array<{step: Step; dirs: string[]; earlier: Step[]}> = []
  const madeBy = new Map<string, Step>()
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    if (ctx.failed[i] === 1) continue
    const step = ctx.steps[i]!
    if (
      action.writes.length &&
      action.writes.every(w => w.dir) &&
      !action.writesAny &&
      !action.writesUnder.length &&
      !action.scripts.length &&
      !action.env &&
      !action.git &&
      !action.opaque &&
      !action.searches.length &&
      !action.reads.length &&
      // (`mkdir -p out && cd out`: the folder entered is what the call is for; the next call runs there.)
      !ENTERS_AFTER_MKDIR.test(shellLine(step.tool?.arguments))
    ) {
      const dirs = action.writes.map(w => w.path)
      const earlier = dirs.map(d => madeBy.get(d))
      if (
        earlier.every(
          (e, k): e is Step =>
            e !== undefined &&
            ctx.batch[e.index]! < ctx.batch[i]! &&
            ctx.compaction[e.index] === ctx.compaction[i] &&
            !ctx.timeline.changed(dirs[k]!, ctx.epochAfter[e.index]!, ctx.epochBefore[i]!),
        )
      )
        out.push({step, dirs, earlier: earlier as Step[]})
    }
    const writes = action.writes
    for (let k = 0; k < writes.length; k++) if (writes[k]!.dir) madeBy.set(writes[k]!.path, step)
  }
  return out
}

/** The test a git question's answer is kept by: the earlier call's result still holds for the later one. */
export function stillHolds(ctx: FlagContext): (earlier: Step, later: Step) => boolean {
  return (earlier, later) => holds(ctx, earlier, later, ctx.actions[later.index]!, true)
}

/** A folder entered after one was made on the line (`mkdir -p out && cd out`, `mkdir x; pushd x`). */
const ENTERS_AFTER_MKDIR = /\bmkdir\b[\s\S]*?(?:&&|;|\|\||\n)\s*(?:cd|pushd|Set-Location|sl)\b/i

/** How many earlier read-only commands a command with fewer options is compared with (the latest). */
const LOOKS_KEPT = 16

/** An earlier read-only command and the words of its command line (split once). */
interface Look {
  step: Step
  words: readonly string[]
}

/**
 * The latest earlier read-only command that this one is with some of its options left out (`git status --short` of
 * `git status --short --branch`: only words starting with `-` dropped, none added), or with a smaller count (`git log
 * --oneline -3` of `git log --oneline -5`: one number lowered, nothing else), that printed every line this one prints
 * and more (not cut), and whose result still holds.
 */
function widerLook(
  ctx: FlagContext,
  looks: readonly Look[],
  step: Step,
  action: Action,
): {step: Step; how: 'options' | 'count'} | undefined {
  const core = action.core
  if (!core || !looks.length || action.parts?.length !== 1 || action.parts[0] !== core) return undefined
  const words = core.split(' ')
  let lines: Set<string> | undefined
  for (let k = looks.length - 1; k >= 0; k--) {
    const e = looks[k]!.step
    const how = optionsDropped(looks[k]!.words, words)
      ? 'options'
      : countLowered(looks[k]!.words, words)
        ? 'count'
        : undefined
    if (!how || ctx.shown(e)?.elided || !holds(ctx, e, step, action, true)) continue
    if (lines === undefined) {
      const out = ctx.outputOf(step)
      lines = new Set(out === undefined ? [] : printedLines(out))
      if (lines.size === 0) return undefined
    }
    const before = ctx.outputOf(e)
    if (before === undefined) continue
    const had = new Set(printedLines(before))
    // Fewer lines than the earlier printed: options that only added to it were dropped (`--branch`'s header). The same
    // lines again say a dropped option filtered and the wider look found nothing more: that is news (`rg x src` after
    // `rg --type=ts x src`).
    if (lines.size < had.size && [...lines].every(l => had.has(l))) return {step: e, how}
  }
  return undefined
}

/**
 * Whether `narrower` is `wider` with one count lowered and every other word the same: `-3` for `-5`, `-n 3` for `-n 5`,
 * `--max-count=3` for `--max-count=5`, of an option that counts lines or entries (see `COUNT_OPTION`). Not a number of
 * any other option (`--grep 42`, `-mmin -10`, `-size -8`, `--min-age=…`): those choose which, not how many.
 */
function countLowered(wider: readonly string[], narrower: readonly string[]): boolean {
  if (narrower.length !== wider.length) return false
  let lowered = false
  for (let k = 0; k < wider.length; k++) {
    if (narrower[k] === wider[k]) continue
    const a = countOf(wider, k)
    const b = countOf(narrower, k)
    if (lowered || a === undefined || b === undefined || a.option !== b.option || b.count >= a.count) return false
    lowered = true
  }
  return lowered
}

/**
 * The count word `k` of a command states (`-5`, `-n5`, `--max-count=5`, or `5` after `-n`), with its option: only of a
 * program whose option counts what it prints (`git log -n 5`, `head -20`, `grep -m 3`), not `grep -n 404` (a pattern).
 */
function countOf(words: readonly string[], k: number): {option: string; count: number} | undefined {
  // (A command's core starts with the folder it ran in: `@/repo git log -5`.)
  const program = words[0]?.startsWith('@') ? words[1] : words[0]
  const options = program === undefined ? undefined : COUNT_OPTIONS[program.split('/').pop()!]
  if (!options) return undefined
  const word = words[k]!
  const joined = /^(-[A-Za-z]?|--[\w-]+=)(\d+)$/.exec(word)
  if (joined) {
    const option = joined[1]!.replace(/=$/, '')
    return options.has(option) ? {option, count: Number(joined[2])} : undefined
  }
  const option = k > 0 ? words[k - 1]! : ''
  return /^\d+$/.test(word) && options.has(option) ? {option, count: Number(word)} : undefined
}

/** Per program, its options that count the lines or entries it prints (`-` alone: `-5`, as `head` and `git log` take it). */
const COUNT_OPTIONS: Record<string, ReadonlySet<string>> = {
  git: new Set(['-', '-n', '--max-count']),
  head: new Set(['-', '-n', '--lines']),
  tail: new Set(['-', '-n', '--lines']),
  journalctl: new Set(['-n', '--lines']),
  grep: new Set(['-m', '--max-count']),
  rg: new Set(['-m', '--max-count']),
  find: new Set(['-maxdepth']),
  gh: new Set(['-L', '--limit']),
  docker: new Set(['-n', '--tail']),
  kubectl: new Set(['--tail']),
}

/**
 * A command the call ran (its core, or one of its parts), with the environment the call set for it (`export
 * NODE_ENV=production; npm run build`, PowerShell's `$env:JAVA_HOME='…'; .\\gradlew.bat build`): the same command in
 * another environment is another run.
 */
function withEnv(action: Action, command: string): string {
  return action.assigns?.length ? `${command}\u0000${action.assigns.join(' ')}` : command
}

/** Whether `narrower` is `wider` with one or more of its option words (`-x`, `--long`) left out, and nothing else. */
function optionsDropped(wider: readonly string[], narrower: readonly string[]): boolean {
  if (narrower.length >= wider.length) return false
  let n = 0
  for (const w of wider) {
    if (n < narrower.length && narrower[n] === w) n++
    else if (!w.startsWith('-')) return false
  }
  return n === narrower.length
}

/** The lines an output printed (past a harness's header), trimmed, blank ones left out. */
function printedLines(output: string): string[] {
  const out: string[] = []
  for (const line of output.slice(harnessHeaderEnd(output)).split('\n')) {
    const t = line.trim()
    if (t) out.push(t)
  }
  return out
}

/** A sync from manifests (`uv sync`, `npm install`) that installed nothing: none changed since it last ran. */
function idleSync(ctx: FlagContext, step: Step, action: Action): boolean {
  return action.syncs !== undefined && ctx.failed[step.index] !== 1 && !ctx.writes[step.index]
}

function readOnly(action: Action): boolean {
  return (
    !action.writesAny &&
    action.writes.length === 0 &&
    action.writesUnder.length === 0 &&
    !action.env &&
    !action.git &&
    action.scripts.length === 0
  )
}

/** Why the earlier result still holds, in words: what it depends on, when that is narrower than the files around it. */
function unchanged(ctx: FlagContext, action: Action, earlier: Step, later: Step): string {
  const from = ctx.epochAfter[earlier.index]!
  const to = ctx.epochBefore[later.index]!
  if (!ctx.timeline.anyChanged(from, to)) return 'nothing it depends on changed in between'
  if (readsNoGit(action) && !ctx.timeline.anyChanged(from, to, true))
    return "only git's state changed in between (git commands that change no file of the work tree)"
  if (action.deps.length === 1 && action.deps[0] === '(git)')
    return "nothing changed git's state in between (no add, commit, checkout…)"
  if (action.depsCode && !action.depsAny) {
    if (action.tests && goSaysUnchanged(ctx, action, earlier, later)) return goCacheWords(ctx, later, action)
    const scope = ctx.codeScope(action)
    if (scope && ctx.timeline.codeChanged(action.depsCode, from, to, undefined, docsBase(ctx, action, later)))
      return `only files outside ${displayPath(scope.dir, ctx.card.cwd)}/ changed in between`
    if (ctx.timeline.codeChanged(action.depsCode, from, to))
      return "only notes for agents or plans of work (CLAUDE.md, Spec Kit's specs/) or other languages' files changed in between"
    return "only other languages' files changed in between"
  }
  // (A look that still holds though files below it were written: a build's outputs, which it shows the same, or files
  // git does not track, which no diff shows.)
  const folders = action.deps.filter(d => d !== '(git)' && d !== '(env)' && ctx.timeline.treeChanged(d, from, to))
  if (folders.length) {
    if (!ctx.timeline.anyBuilt(from, to))
      return 'only files a git status showed untracked were written in between, which no diff of the working tree shows'
    if (folders.every(d => !ctx.timeline.treeChangedBeside(d, () => false, from, to, true)))
      return 'only a build wrote in between (its outputs), and it shows the same'
    return "only a build's outputs and files a git status showed untracked were written in between, which no diff of the working tree shows"
  }
  return 'nothing it depends on changed in between'
}

/**
 * The later call is the earlier one's command with its output filtered (`rg -n x f | wc -l` after `rg -n x f`),
 * and the earlier one printed it unfiltered (and, the caller checks, uncut): what the later one prints follows from
 * what the earlier one printed.
 */
function filtersWhole(ctx: FlagContext, earlier: Step, later: Action): boolean {
  const core = later.core
  if (!core || !printedWhole(ctx, earlier, core)) return false
  return later.parts?.length === 1 && later.parts[0]!.startsWith(`${core} | `)
}

/**
 * Whether an earlier call printed the whole output of the command `core`: it ran it bare, or through `head` or `tail`
 * that cut nothing (`git diff … | head -200` printing fewer than 200 lines printed all there was; short by more than
 * the blank lines a harness may trim from an output's end).
 */
function printedWhole(ctx: FlagContext, earlier: Step, core: string): boolean {
  const action = ctx.actions[earlier.index]
  if (!action || action.core !== core || action.parts?.length !== 1) return false
  const part = action.parts[0]!
  if (part === core) return true
  if (!part.startsWith(`${core} | `)) return false
  const output = ctx.outputOf(earlier)
  if (output === undefined || ctx.shown(earlier)?.elided) return false
  const lines = output.slice(harnessHeaderEnd(output)).split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return part
    .slice(core.length + 3)
    .split(' | ')
    .every(stage => {
      const [name, ...args] = stage.replace(/^@\S* /, '').split(' ')
      const keeps = name === 'head' || name === 'tail' ? keptLines(args) : undefined
      return keeps !== undefined && lines.length < keeps - TRIMMED
    })
}

/** Blank lines a harness may have trimmed from the end of an output (Claude Code's Bash trims them). */
const TRIMMED = 2

/**
 * Whether a command run again (`later`, filtered) ran as `earlier` did, over what it had left: in the same context and
 * turn, with the same environment and sandbox, nothing changed since the call just before it (`since`: the earlier run
 * or a filter of it) and no message of the person's in between, and the earlier run finished (not cut short by a
 * timeout, still running, or interrupted).
 */
function sameRun(ctx: FlagContext, earlier: Step, later: Step, since: Step): boolean {
  const e = earlier.index
  const l = later.index
  if (ctx.compaction[e] !== ctx.compaction[l] || earlier.turn !== later.turn) return false
  if (String(ctx.actions[e]?.assigns ?? '') !== String(ctx.actions[l]?.assigns ?? '')) return false
  if (earlier.sandbox !== later.sandbox || unsandboxed(earlier) !== unsandboxed(later)) return false
  if (ctx.timeline.anyChanged(ctx.epochAfter[since.index]!, ctx.epochBefore[l]!)) return false
  if (promptedBetween(ctx, earlier, later, () => true)) return false
  const tool = earlier.tool!
  if (tool.status === 'unknown' || (tool.exitCode !== undefined && CUT_SHORT_EXIT.has(tool.exitCode))) return false
  const out = ctx.outputOf(earlier)
  return out !== undefined && !ctx.shown(earlier)?.elided && !CUT_SHORT.test(out)
}

/** Exit codes of a command stopped from outside: `timeout`'s 124, a kill's 137, a termination's 143. */
const CUT_SHORT_EXIT = new Set([124, 137, 143])
/** A harness's words for a command it stopped or left running (Claude Code's timeout, Codex's running session). */
const CUT_SHORT =
  /Command timed out after|Process running with session ID|\binterrupted by user\b|\[Request interrupted/i

/** Whether a Claude Code call asked to run outside its sandbox. */
function unsandboxed(step: Step): boolean {
  const args = step.tool?.arguments
  return (
    typeof args === 'object' &&
    args !== null &&
    (args as {dangerouslyDisableSandbox?: unknown}).dangerouslyDisableSandbox === true
  )
}

/**
 * Whether the later call's line is the earlier one's command piped into plain text filters, and printed what those
 * filters make of the earlier output: the same lines (blank ones aside).
 */
function filterOfWhole(ctx: FlagContext, earlier: Step, later: Step): boolean {
  return filtersGive(ctx, earlier, later) === true
}

/**
 * Whether the later call's filters, run over the earlier output, give what it printed; undefined when they cannot be
 * run here (another option, a pattern aco cannot read: no evidence either way).
 */
function filtersGive(ctx: FlagContext, earlier: Step, later: Step): boolean | undefined {
  const commands = parseShell(shellLine(later.tool?.arguments))
  if (commands.length < 2 || commands[0]!.piped || !commands.slice(1).every(c => c.piped && c.after === '|'))
    return undefined
  const before = ctx.outputOf(earlier)
  const after = ctx.outputOf(later)
  if (before === undefined || after === undefined) return undefined
  const lines = (t: string) =>
    outputBody(t)
      // (Claude Code opens a failed command's output with its exit code.)
      .replace(/^Exit code \d+\n/, '')
      .split('\n')
      .map(l => l.trim())
      .filter(l => l !== '')
  // (The filters are run over every line the earlier output had, blank ones too: `wc -l` counts them.)
  const text = outputBody(before)
    .replace(/^Exit code \d+\n/, '')
    .replace(/\r/g, '')
  const all = text.split('\n')
  if (all[all.length - 1] === '') all.pop()
  const made = applyFilters(all, commands.slice(1))
  if (made === undefined) return undefined
  // (The same lines, each as often as not: a command printing to both its streams may show a line twice, and grep's
  // context groups twice, parted by `--`.)
  const got = new Set(lines(after).filter(l => l !== '--'))
  const want = new Set(made.map(l => l.trim()).filter(l => l !== '' && l !== '--'))
  return got.size === want.size && [...got].every(l => want.has(l))
}

/**
 * The command a one-pipeline call filters (`ls -la` of `ls -la | rg -n x`): its first stage, when every stage after it
 * only filters the text it is given (`grep`, `rg`, `head`, `sort`… naming no file).
 */
function filteredCommand(action: Action): string | undefined {
  const part = action.parts?.length === 1 ? action.parts[0]! : undefined
  const stages = part?.split(' | ')
  if (!stages || stages.length < 2) return undefined
  const first = stages[0]!
  for (let k = 1; k < stages.length; k++) {
    const stage = stages[k]!
    // Each stage is `@dir command …`, its folder the first stage's (the longest prefix they share up to a space).
    let n = 0
    while (n < first.length && first[n] === stage[n]) n++
    const command = stage.slice(stage.lastIndexOf(' ', n) + 1)
    if (!FILTER.test(command) || / \//.test(command)) return undefined
  }
  return first
}

const FILTER = /^(?:grep|egrep|fgrep|rg|head|tail|sort|uniq|wc|cut|tr|sed -n)\b/

/**
 * Whether what the filtered call printed could come from what the earlier one printed: `| wc -l` the count of its
 * lines; any other filter (`| head`, `| grep`, `| sort`) only lines it printed. A log that grew, a disk that filled,
 * print otherwise.
 */
function derivable(ctx: FlagContext, earlier: Step, later: Step, action: Action): boolean {
  const a = ctx.outputOf(earlier)
  const b = ctx.outputOf(later)
  if (a === undefined || b === undefined) return false
  const lines = (t: string) => t.slice(harnessHeaderEnd(t)).replace(/\r/g, '').split('\n')
  const had = lines(a)
  if (had[had.length - 1] === '') had.pop()
  const got = lines(b).filter(l => l.trim() !== '')
  if (/\|\s*@[^ ]* wc -l$/.test(action.parts?.[0] ?? ''))
    return got.length === 1 && Number(got[0]!.trim()) === had.length
  // Nothing printed, where the earlier output had a line holding the plain word a grep keeps: the output changed.
  const word = got.length === 0 ? PLAIN_GREP.exec(action.parts?.[0] ?? '') : null
  if (word) {
    const fold = /\s-\w*i/.test(word[0])
    const w = fold ? word[1]!.toLowerCase() : word[1]!
    if (had.some(l => (fold ? l.toLowerCase() : l).includes(w))) return false
  }
  const seen = new Set(had.map(l => l.trim()))
  // (`grep -n` and `rg -n` number the lines they pass on.)
  return got.every(l => seen.has(l.trim()) || (NUMBERED.test(l) && seen.has(l.replace(NUMBERED, '').trim())))
}

const NUMBERED = /^\d+[:-]/

/** A stage that picks lines by their content (grep, rg, PowerShell's Select-String and Where-Object, findstr, awk). */
const PICKS = /(?:^|\s)(?:grep|egrep|fgrep|rg|select-string|where-object|findstr|awk)\b[^|]*/gi

/** Whether the later call picks lines by a filter the earlier one did not use (the same command asked another thing). */
function asksOtherwise(before: Action, action: Action): boolean {
  const a = (before.parts ?? []).join(' ; ')
  const b = (action.parts ?? []).join(' ; ')
  if (a === b) return false
  const had = new Set((a.match(PICKS) ?? []).map(x => x.trim()))
  return (b.match(PICKS) ?? []).some(x => !had.has(x.trim()))
}

/** A last stage that keeps the lines holding one plain word (`| grep dist`, `| rg -i readme`). */
const PLAIN_GREP = /\s(?:grep|rg)(?:\s+-[A-Za-z]+)*\s+([\w.-]+)$/

/**
 * A command line that only writes files whole with the text it carries (`cat > f <<'EOF'`, PowerShell's here-string
 * piped into `Set-Content f`): the same line again writes the same.
 */
function writesWholeContent(action: Action): boolean {
  return (
    action.writes.length > 0 &&
    action.writes.every(w => w.content !== undefined) &&
    action.scripts.length === 0 &&
    !action.opaque &&
    !action.depsAny
  )
}

/** A build that writes nothing but its outputs: run again over unchanged code, it writes what is already there. */
function writesOnlyOutputs(action: Action): boolean {
  const outputs = action.outputs
  return (
    outputs !== undefined &&
    action.writes.length === 0 &&
    !action.writesAny &&
    !action.env &&
    !action.git &&
    action.writesUnder.every(u => outputs.includes(u))
  )
}

/**
 * Outputs that differ only where a clock shows (dates, times and durations: `Ran 22 tests in 0.123s`, `passed in
 * 1.20s`, a `Date:` header) or in the order their lines came (a program's stdout and stderr interleave as they
 * will): of a command that is no poll (volatile commands are not compared at all), the same result.
 */
function sameButClock(ctx: FlagContext, earlier: Step, later: Step): boolean {
  // Lengths first: outputs are unpacked only when they could match.
  const sizeA = earlier.tool?.outputChars
  const sizeB = later.tool?.outputChars
  if (sizeA === undefined || sizeB === undefined || Math.abs(sizeA - sizeB) > 64 || sizeA > 200_000) return false
  const a = ctx.outputOf(earlier)
  const b = ctx.outputOf(later)
  if (a === undefined || b === undefined) return false
  // (Codex's header names each run's chunk: no part of the result.)
  const x = a.replace(CHUNK_ID, '').replace(CLOCK, '#')
  const y = b.replace(CHUNK_ID, '').replace(CLOCK, '#')
  if (x === y) return true
  const lines = (t: string) => t.split('\n').sort().join('\n')
  if (lines(x) === lines(y)) return true
  // Less the lines either command line printed of its own words (`tsc --noEmit && echo "compiles"`), which tell
  // nothing the agent did not write (nor does a harness's note that nothing was printed).
  const own = selfEchoes(earlier, selfEchoes(later))
  if (!own) return false
  const rest = (t: string) =>
    outputBody(t)
      .replace(CLOCK, '#')
      .split('\n')
      .filter(l => l.trim() !== '' && !own.has(l.trim()))
      .sort()
      .join('\n')
  return rest(a) === rest(b)
}

/**
 * What a step's command line prints of its own words: the text of each plain `echo` run after the command before it
 * succeeded, or whatever it did (`&&`, `;`); not one run when something failed (`|| echo failed`, which tells the
 * result), piped, redirected or with words it expands (added to `into`).
 */
function selfEchoes(step: Step, into?: Set<string>): Set<string> | undefined {
  const line = shellLine(step.tool?.arguments)
  if (!line.includes('echo ')) return into
  let out = into
  for (const c of parseShell(line)) {
    // (echo's options are `-n`, `-e`, `-E`: `echo "--- ruff OK ---"` prints its words.)
    if (c.words[0] !== 'echo' || c.words.length < 2 || /^-[neE]+$/.test(c.words[1]!)) continue
    if (c.after === '||' || c.after === '|' || c.after === '&' || c.piped || c.nested || c.background) continue
    if (c.redirects.length || c.substitutions.length || c.dynamic.some(Boolean)) continue
    out ??= new Set()
    out.add(c.words.slice(1).join(' ').trim())
  }
  return out
}

const CHUNK_ID = /^Chunk ID: [^\n]*\n/m

const CLOCK =
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}(?: GMT)?|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b|\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds)\b/g

/**
 * Whether a check or build of one language's code (`cargo check`, `go vet`, `tsc`), run again, printed only lines its
 * earlier run printed, times aside: a compiler that finds its work done prints its closing line alone (`Finished … in
 * 0.18s` after the `Compiling …` lines of the first run), which says nothing new of the same code. Whether the code
 * changed in between is `holds`'s to judge, as for any check.
 */
function cachedRecheck(ctx: FlagContext, earlier: Step, later: Step, action: Action): boolean {
  if (!action.depsCode || action.depsAny || ctx.failed[later.index] === 1) return false
  // (Lengths first: the later run prints no more than the earlier one did, or a little more: a Go test run from its
  // cache prints `(cached)` for each package's time. Every line it prints must still be one the earlier printed.)
  const sizeA = earlier.tool?.outputChars
  const sizeB = later.tool?.outputChars
  if (sizeA === undefined || sizeB === undefined || sizeB > sizeA * 1.1 + 64 || sizeA > 200_000) return false
  const a = ctx.outputOf(earlier)
  const b = ctx.outputOf(later)
  if (a === undefined || b === undefined) return false
  // Tests run again tell nothing new only when their runner says it ran none, answering from its cache what it had
  // answered for the same code (Go: `ok  pkg  (cached)` for every package it tested; Go keeps a package's result until
  // a file its tests read, sources, embedded files, files they open, or an environment variable they read changes).
  if (action.tests && !goCertifies(ctx, later, action)) return false
  const lines = (t: string): string[] =>
    outputBody(t)
      .replace(CLOCK, '#')
      .replace(GO_CACHED, '#')
      .split('\n')
      .map(l => l.trim())
      .filter(l => l !== '')
  const mine = lines(b)
  if (mine.length === 0) return false
  const before = lines(a)
  const had = new Set(before)
  if (!mine.every(l => had.has(l))) return false
  // Only the compiler's progress may be gone (`Compiling x`, `Checking y`): a diagnostic gone says the code changed.
  const kept = new Set(mine)
  return before.every(l => kept.has(l) || BUILD_PROGRESS.test(l))
}

/** The mark of a package's tests Go answered from its test cache, in place of the time they took. */
const GO_CACHED = /\(cached\)/g

/** A build's progress lines (cargo's, go's, gradle's), which a run that finds its work done leaves out. */
const BUILD_PROGRESS =
  /^(?:Compiling|Checking|Building|Downloading|Downloaded|Fresh|Blocking|Updating|Locking|Adding|Documenting|Installing|Unpacking|Resolving|Fetching)\b/

/** Whether the earlier call's result still holds when the later one runs. */
function holds(ctx: FlagContext, earlier: Step, later: Step, action: Action, part = false): boolean {
  const e = earlier.index
  const l = later.index
  if (ctx.failed[e] === 1 || ctx.batch[e]! >= ctx.batch[l]! || ctx.compaction[e] !== ctx.compaction[l]) return false
  const from = ctx.epochAfter[e]!
  const to = ctx.epochBefore[l]!
  const a = earlier.tool!
  const b = later.tool!
  // Another question asked of the same command (`… | Select-String A`, then `… | Select-String B`): unless the earlier
  // call printed the command's whole output, its answer tells nothing of the later's, even when both found nothing.
  if (!part && asksOtherwise(ctx.actions[e]!, action) && !filtersWhole(ctx, earlier, action)) return false
  // Different results say something changed (a write reports "created" then "updated": not a result of the files);
  // not when the later one only filters what the earlier one printed whole (`| wc -l`, `| head`, `| sort`).
  if (
    !part &&
    action.kind !== 'write' &&
    a.outputHash &&
    b.outputHash &&
    a.outputHash !== b.outputHash &&
    !sameButClock(ctx, earlier, later) &&
    !cachedRecheck(ctx, earlier, later, action) &&
    !(
      filtersWhole(ctx, earlier, action) &&
      !ctx.shown(earlier)?.elided &&
      // (The filters run over the earlier output decide where they can be run: `mq status | grep job` showing one job
      // of the three the earlier run listed says the queue changed, review 53; else the lines are looked up.)
      (filtersGive(ctx, earlier, later) ?? derivable(ctx, earlier, later, action))
    )
  )
    return false
  // (The very same output: one that differs only in its times may show a file the build rewrote, `ls -l`, `stat`.)
  const sameResult = (): boolean => a.outputHash !== undefined && a.outputHash === b.outputHash
  // Times and sizes asked again at a person's later turn (`ls -l`, `stat`): a check of what they may have done.
  if (earlier.turn !== later.turn && showsTimes(later)) return false
  // Ending processes again after a call left one running (`pkill -f "next dev"` after a dev server was started): it
  // ends another.
  if (action.core !== undefined && endsProcesses(action.core) && startedBetween(ctx, e, l)) return false
  if (action.unreadable) {
    // Redacted arguments: only an identical result with no change at all in between says it was the same.
    return sameResult() && !ctx.timeline.anyChanged(from, to)
  }
  // Every part of the line asks a program its usage or version (or where one is): a look at what is installed.
  const usageOnly = action.usage === true && asksOnlyUsage(action.parts)
  // A run (not a pure look) may have been asked for again by a person, unless the agent had already worked on what
  // they asked in the later turn (changed files, none the run reads) before it re-ran it.
  // (Nor when a prompt between asked for a retry, `run the tests again`, or was a command of its own, `/release-check`.)
  // (A program asked its usage or version is no run: what it prints changes with what is installed, checked below.)
  if (
    (action.opaque || action.depsAny) &&
    !(usageOnly && readOnly(action)) &&
    // (Nor where the repository is: a script run at each turn asks it again, as Spec Kit's does, fresh16 #156; a person
    // rarely makes or moves one between turns. Not its remotes, which a person is often asked to add, fresh32 #142.)
    !action.parts?.every(p => REPOSITORY_LAYOUT.test(p)) &&
    (earlier.turn !== later.turn
      ? !workedInTurn(ctx, later) || promptedBetween(ctx, earlier, later, note => note.retry || note.command)
      : // (Within a turn: a message the person queued between, asking or telling anything of the kind.)
        promptedBetween(ctx, earlier, later, asksOrTells))
  )
    return false
  if (
    (action.writes.length || action.writesUnder.length || action.writesAny || action.env || action.git) &&
    !writesOnlyOutputs(action) &&
    !idleSync(ctx, later, action)
  ) {
    // Only a whole-content write repeated over a file nothing else touched since.
    if (
      action.writesAny ||
      action.writesUnder.length ||
      action.env ||
      action.git ||
      !(argumentsCarryContent(later) || writesWholeContent(action))
    )
      return false
    return action.writes.every(w => w.content !== undefined && !ctx.timeline.changed(w.path, from, to))
  }
  if (action.scripts.length || action.depsAny)
    return (
      !ctx.timeline.anyChanged(from, to, readsNoGit(action)) &&
      !ctx.timeline.scriptWritten(action.scripts, from, to, action.core)
    )
  // A check or build of one language's code: only a change to code it can read, or to the environment.
  // (Unless the tests' runner answered them from its cache, which says nothing they read changed: see `goSaysUnchanged`.)
  if (
    action.depsCode &&
    ctx.timeline.codeChanged(action.depsCode, from, to, ctx.codeScope(action), docsBase(ctx, action, later)) &&
    !(action.tests && goSaysUnchanged(ctx, action, earlier, later))
  )
    return false
  // (What it read, a pipe's input among it: `cat cert.pem | openssl x509 -noout`, review 68.)
  for (let k = 0; k < action.reads.length; k++) if (ctx.timeline.changed(action.reads[k]!.path, from, to)) return false
  for (const dep of action.deps) {
    if (dep === '(git)') {
      if (ctx.timeline.gitChanged(from, to)) return false
    } else if (dep === '(env)') {
      // (A program's usage or version: what the session installed, not what a person might have between turns.)
      if (usageOnly ? ctx.timeline.envChangedBySession(from, to) : ctx.timeline.envChanged(from, to)) return false
    } else if (diffMayHaveChanged(ctx, later, action, dep, from, to, sameResult)) return false
  }
  return true
}

/** A command part asking only where the git repository is (see commands.ts's GIT_LAYOUT_FLAGS). */
const REPOSITORY_LAYOUT =
  /^@\S* git rev-parse(?: --(?:git-dir|absolute-git-dir|git-common-dir|show-toplevel|show-prefix|show-cdup|is-inside-work-tree|is-inside-git-dir|is-bare-repository))+$/

/** A search of the web or a page fetched from it (Codex's web_search, Claude Code's WebFetch and WebSearch). */
function webLookup(step: Step): boolean {
  return /^(?:web_?search|web_?fetch|google_web_search)$/i.test(step.tool?.name ?? '')
}

/** What a web lookup names: its URL or its query (some record none: nothing to compare). */
function webTarget(step: Step): string | undefined {
  const args = step.tool?.arguments
  if (typeof args !== 'object' || args === null) return undefined
  const a = args as Record<string, unknown>
  const action = typeof a.action === 'object' && a.action !== null ? (a.action as Record<string, unknown>) : a
  for (const x of [action.url, action.query, a.url, a.query, a.prompt]) if (typeof x === 'string' && x.trim()) return x
  return undefined
}

/** An output this long, the same, is no coincidence (a status, a listing, a file: not `OK` or an empty line). */
const SAME_OUTPUT_CHARS = 200

/**
 * Looks whose output is the very output of an earlier call of the same context, long enough not to be a coincidence,
 * with no change at all in between, in an earlier LLM call of the same person's turn, where that earlier output could
 * only foretell it: the earlier call did something and printed the state it left (`git status` after a failed `git
 * commit` printed the status), or the look is the earlier one with words that change only how it prints (`git status`
 * after `git --no-pager status`). Two questions that get the same answer are otherwise news: a wider search that found
 * nothing more, two folders alike, a job polled again.
 */
function sameOutputs(ctx: FlagContext): Array<{step: Step; earlier: Step}> {
  const out: Array<{step: Step; earlier: Step}> = []
  const byOutput = new Map<string, Step>()
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const step = ctx.steps[ctx.tools[ti]!]!
    const t = step.tool!
    if (!t.outputHash || (t.outputChars ?? 0) < SAME_OUTPUT_CHARS) continue
    const i = step.index
    const action = ctx.actions[i]
    const e = byOutput.get(t.outputHash)
    const before = e && ctx.actions[e.index]
    if (
      e &&
      before &&
      action &&
      ctx.failed[i] !== 1 &&
      readOnly(action) &&
      !action.volatile &&
      // (A file read again is reread-unchanged's to judge, by the lines it shows; a final answer is never a repeat.)
      (action.kind === 'run' || action.kind === 'list' || action.kind === 'search') &&
      // One command: the parts of a compound one may each print what another earlier did, nothing this time.
      action.parts?.length === 1 &&
      before.kind === action.kind &&
      !action.tests &&
      (!readOnly(before) || samePrinted(before, action)) &&
      ctx.callKey[e.index] !== ctx.callKey[i] &&
      ctx.batch[e.index]! < ctx.batch[i]! &&
      ctx.compaction[e.index] === ctx.compaction[i] &&
      e.turn === step.turn &&
      !ctx.shown(e)?.elided &&
      !ctx.timeline.anyChanged(ctx.epochAfter[e.index]!, ctx.epochBefore[i]!) &&
      // (Long enough without a harness's header: Codex's alone is some 90 characters.)
      bodyChars(ctx.outputOf(step)) >= SAME_OUTPUT_CHARS &&
      !personAsked(ctx, e.index, i)
    )
      out.push({step, earlier: e})
    byOutput.set(t.outputHash, step)
  }
  return out
}

/** Words that change only how a command prints, not what it answers. */
const PRINTING_ONLY = /(?<= )(?:--no-pager|--no-color|--color=never|-c color\.ui=(?:never|false|auto|always))(?= |$)/g

/** Whether two commands are one, but for words that change only how they print. */
function samePrinted(a: Action, b: Action): boolean {
  const plain = (x: Action) => x.core?.replace(PRINTING_ONLY, '').replace(/ {2,}/g, ' ').trim()
  return a.core !== undefined && plain(a) === plain(b)
}

/** Tools that put a question to the person, who may act before answering. */
const ASKS_PERSON: ReadonlySet<string> = new Set(['askuserquestion', 'request_user_input'])

/** Whether a call between steps `from` and `to` asked the person something (they may have changed things since). */
function personAsked(ctx: FlagContext, from: number, to: number): boolean {
  for (let k = from + 1; k < to; k++) {
    const name = ctx.steps[k]?.tool?.name
    if (name && ASKS_PERSON.has(name.toLowerCase())) return true
  }
  return false
}

function bodyChars(output: string | undefined): number {
  return output === undefined ? 0 : output.length - harnessHeaderEnd(output)
}

/** Claude Code's tools that stop a background shell or task, and the argument naming it. */
const KILL_TOOLS: ReadonlySet<string> = new Set(['KillShell', 'KillBash', 'TaskStop'])
const KILLED = /\bSuccessfully (?:killed|stopped)\b/

/**
 * Kills of a background shell (or task) that an earlier kill of it, in the same context, reported done: Claude Code's
 * KillShell answers "Successfully killed shell: ID", and a later one of the same id "is not running".
 */
function killsAgain(ctx: FlagContext): Array<{step: Step; earlier: Step; id: string}> {
  const out: Array<{step: Step; earlier: Step; id: string}> = []
  let killed: Map<string, Step> | undefined
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const step = ctx.steps[ctx.tools[ti]!]!
    const tool = step.tool!
    if (!KILL_TOOLS.has(tool.name)) continue
    const args = tool.arguments as {shell_id?: unknown; task_id?: unknown; bash_id?: unknown} | undefined
    const id = args?.shell_id ?? args?.task_id ?? args?.bash_id
    if (typeof id !== 'string' || !id) continue
    const earlier = killed?.get(id)
    // (A kill that itself reports one done stopped something running: a task resumed since, an id used again.)
    const done = ctx.failed[step.index] !== 1 && KILLED.test((tool.excerpt ?? ctx.outputOf(step) ?? '').slice(0, 200))
    if (
      earlier &&
      !done &&
      ctx.compaction[earlier.index] === ctx.compaction[step.index] &&
      ctx.batch[earlier.index]! < ctx.batch[step.index]!
    )
      out.push({step, earlier, id})
    else if (done) {
      killed ??= new Map()
      killed.set(id, step)
    }
  }
  return out
}

/** What a `git push` pushes: where (its repository's folder), to which remote and branch, as far as its words say. */
interface Push {
  repo: string
  /** The remote named, or undefined: the branch's upstream remote. */
  remote?: string
  /** The branch named (`HEAD`: the current one), or undefined: the current branch. */
  branch?: string
}

/** A push's options that change nothing of what it pushes (how it reports, whether it may force, its upstream). */
const PUSH_PLAIN_OPTION =
  /^(?:-u|--set-upstream|-f|--force|--force-with-lease(?:=\S*)?|--force-if-includes|--no-verify|-q|--quiet|-v|--verbose|--progress|--porcelain)$/

/**
 * The one `git push` a command line runs (alone on its line), read from its words; undefined when it pushes more than
 * a branch (`--tags`, `--all`, `--mirror`, a refspec `a:b`), deletes, or takes options read nowhere here.
 */
function pushOf(step: Step, cwd: string | undefined): Push | undefined {
  const line = shellLine(step.tool?.arguments)
  if (!line.includes('push')) return undefined
  const commands = parseShell(line)
  const git = commands.filter(c => c.words[0] === 'git')
  const c = git.length === 1 ? git[0]! : undefined
  if (!c || c.dynamic.some(Boolean)) return undefined
  let repo = cwd ?? ''
  let k = 1
  for (; k < c.words.length; k++) {
    const w = c.words[k]!
    if (w === '-C') repo = normalisePath(c.words[++k] ?? '', repo)
    else if (w === '-c') k++
    else if (w !== '--no-pager') break
  }
  if (c.words[k] !== 'push' || !repo) return undefined
  const args: string[] = []
  for (k++; k < c.words.length; k++) {
    const w = c.words[k]!
    if (w.startsWith('-')) {
      if (!PUSH_PLAIN_OPTION.test(w)) return undefined
    } else args.push(w)
  }
  if (args.length > 2 || args.some(a => a.includes(':'))) return undefined
  return {repo, remote: args[0], branch: args[1]}
}

/**
 * The branch checked out in `repo` and its upstream (`feat/x`, `origin/feat/x`), as the latest `git status` run there
 * before step `before` printed them, when no command since switched branches; undefined when none told.
 */
function branchBefore(ctx: FlagContext, repo: string, before: number): {branch: string; upstream?: string} | undefined {
  for (let k = before - 1; k >= 0 && k >= before - BRANCH_LOOKBACK; k--) {
    const step = ctx.steps[k]!
    const core = ctx.actions[k]?.core
    if (step.kind !== 'tool' || core === undefined || core.indexOf(' git ') === -1) continue
    if (SWITCHES_BRANCH.test(core)) return undefined
    if (ctx.failed[k] === 1 || !/\bstatus\b/.test(core)) continue
    const at = ctx.actions[k]!.partDirs?.[0]
    const output = ctx.outputOf(step)
    if (output === undefined || (at !== repo && !core.includes(` -C ${repo} `))) continue
    const read = readStatus(
      outputBody(output)
        .split('\n')
        .filter(l => l !== ''),
    )
    const [branch, upstream] = read?.branch?.split(' ') ?? []
    if (branch && !branch.startsWith('(')) return {branch, upstream: upstream?.includes('/') ? upstream : undefined}
  }
  return undefined
}

/** How far back `branchBefore` looks for a status (steps). */
const BRANCH_LOOKBACK = 400

/** Git commands that may check out another branch. */
const SWITCHES_BRANCH = /\bgit (?:-C \S+ )?(?:checkout|switch|worktree|branch -[mM]|rebase|stash)\b/

/** Whether two pushes push the same branch to the same remote, the branch checked out being `current` (if known). */
function samePush(a: Push, b: Push, current: {branch: string; upstream?: string} | undefined): boolean {
  if (a.repo !== b.repo) return false
  if (a.remote === b.remote && a.branch === b.branch) return true
  const remote = (p: Push): string | undefined => p.remote ?? current?.upstream?.split('/')[0]
  const branch = (p: Push): string | undefined =>
    p.branch === undefined || p.branch === 'HEAD' ? current?.branch : p.branch
  const ra = remote(a)
  const ba = branch(a)
  return ra !== undefined && ba !== undefined && ra === remote(b) && ba === branch(b)
}

/**
 * Pushes of a branch after a push of it answered "Everything up-to-date", in the same turn and context, nothing
 * committed or otherwise changed in git since (the branch checked out, as a status told, when one push names it and
 * the other does not): there is nothing to push still.
 */
function pushesAgain(ctx: FlagContext): Array<{step: Step; earlier: Step; what: string}> {
  const out: Array<{step: Step; earlier: Step; what: string}> = []
  let done: Array<{step: Step; push: Push}> | undefined
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const core = ctx.actions[i]!.core
    if (core === undefined || !core.includes(' push') || !PUSH.test(core)) continue
    const step = ctx.steps[i]!
    const push = pushOf(step, ctx.cwdOf(step))
    if (!push) continue
    if (done && ctx.failed[i] !== 1 && ctx.actions[i]!.parts?.length === 1) {
      const current = branchBefore(ctx, push.repo, i)
      for (let k = done.length - 1; k >= 0; k--) {
        const e = done[k]!.step
        if (
          e.turn === step.turn &&
          ctx.compaction[e.index] === ctx.compaction[i] &&
          ctx.batch[e.index]! < ctx.batch[i]! &&
          samePush(done[k]!.push, push, current) &&
          !ctx.timeline.gitChanged(ctx.epochAfter[e.index]!, ctx.epochBefore[i]!) &&
          // (Its own answer says so too: a push that updated a ref pushed what aco saw no commit make.)
          UP_TO_DATE.test(ctx.outputOf(step) ?? '')
        ) {
          const branch = push.branch ?? current?.branch
          out.push({step, earlier: e, what: branch ? `branch ${branch}` : 'the branch'})
          break
        }
      }
    }
    const output = ctx.failed[i] !== 1 ? ctx.outputOf(step) : undefined
    if (output !== undefined && UP_TO_DATE.test(output)) {
      done ??= []
      done.push({step, push})
    }
  }
  return out
}

/** A line whose git command pushes (after git's own options). */
const PUSH = / git (?:-\S+ (?:\S+ )?)*push\b/

/** Git's answer to a push that found nothing to push. */
const UP_TO_DATE = /^Everything up-to-date\s*$/m

/**
 * A command's notice that it was renamed (Cobra's `Command "explain" is deprecated, use 'entire checkpoint explain'
 * instead`): the old name and the new command line.
 */
const DEPRECATED = /^Command "([\w:-]+)" is deprecated, (?:please )?use '([^'\n]+)' instead\.?$/m

/**
 * Commands run again under the new name a deprecation notice gave (`entire explain --checkpoint X --json`, then
 * `entire checkpoint explain X --json`), in the same context and person's turn, nothing at all changed in between and no
 * message of the person's between, printing what the old run printed less the notice: the same command, the same
 * answer. Every word of the new run's the old one had; the old one's other words only options whose value the new one
 * gives as an operand (`--checkpoint X` → `X`): a dropped `--dry-run` is another command.
 */
function renamedAgain(ctx: FlagContext): Array<{step: Step; earlier: Step; name: string}> {
  const out: Array<{step: Step; earlier: Step; name: string}> = []
  let renamed: Array<{step: Step; key: string; rest: string[]; to: string[]; old: string[]; body: string}> | undefined
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    if (ctx.failed[i] === 1 || action.parts?.length !== 1) continue
    if (action.kind === 'poll' || action.volatile) continue
    const step = ctx.steps[i]!
    const line = shellLine(step.tool?.arguments)
    if (!line) continue
    // (The line's words, parsed once whatever the notices kept.)
    let words: string[] | undefined
    if (renamed) {
      words = parseShell(line)[0]?.words
      for (let k = renamed.length - 1; words && k >= 0; k--) {
        const r = renamed[k]!
        const e = r.step.index
        if (
          r.step.turn !== step.turn ||
          ctx.compaction[e] !== ctx.compaction[step.index] ||
          ctx.batch[e]! >= ctx.batch[step.index]! ||
          words.length < r.to.length ||
          r.to.some((w, j) => words![j] !== w)
        )
          continue
        const rest = words.slice(r.to.length)
        if (!sameWords(r.rest, rest)) continue
        if (
          ctx.timeline.anyChanged(ctx.epochAfter[e]!, ctx.epochBefore[step.index]!) &&
          !onlyOldRunsBetween(ctx, e, step.index, r.old)
        )
          continue
        if (promptedBetween(ctx, r.step, step, asksOrTells) || waitBefore(ctx, step.index) > e) continue
        const output = ctx.outputOf(step)
        if (output === undefined || outputBody(output).trim() !== r.body) continue
        out.push({step, earlier: r.step, name: r.to.join(' ')})
        break
      }
    }
    const output = step.tool?.excerpt?.includes(' is deprecated, ') ? ctx.outputOf(step) : undefined
    const m = output === undefined ? null : DEPRECATED.exec(output)
    if (!m || !output) continue
    words ??= parseShell(line)[0]?.words
    const at = words?.indexOf(m[1]!) ?? -1
    const to = m[2]!.split(/\s+/)
    if (!words || at < 1 || to[0] !== words[0]) continue
    const rest = words.slice(at + 1)
    const key = `${m[2]}\0${rest.join('\0')}`
    renamed ??= []
    // (One entry per command and its words, the latest run of it: a loop polling a deprecated command keeps one.)
    const k = renamed.findIndex(r => r.key === key)
    if (k !== -1) renamed.splice(k, 1)
    renamed.push({step, key, rest, to, old: words.slice(0, at + 1), body: outputBody(output).replace(m[0], '').trim()})
    if (renamed.length > RENAMED_KEPT) renamed.shift()
  }
  return out
}

/**
 * Whether every call between steps `from` and `to` that may have changed anything runs the old command (its words up
 * to the deprecated name, `entire explain`) with other operands: a program aco cannot see into, but the very one whose
 * answer is compared, which changed nothing the first time either. Not when another agent's card wrote in between.
 */
function onlyOldRunsBetween(ctx: FlagContext, from: number, to: number, old: readonly string[]): boolean {
  let runs = 0
  for (let k = from + 1; k < to; k++) {
    const w = ctx.writes[k]
    if (!w || !hasWrites(w)) continue
    const words = parseShell(shellLine(ctx.steps[k]!.tool?.arguments))[0]?.words
    if (!words || old.some((x, j) => words[j] !== x)) return false
    runs++
  }
  // (Each such run one event of the timeline: any other event, another card's write, is a change.)
  return runs === ctx.epochBefore[to]! - ctx.epochAfter[from]!
}

/** Renamed commands kept for a later run under the new name (the latest). */
const RENAMED_KEPT = 16

/**
 * Whether the words of a command run under its new name (`later`) are those of the old run (`earlier`): each of them
 * the old run's, and each of the old run's either the new one's or an option whose value follows it and is.
 */
function sameWords(earlier: readonly string[], later: readonly string[]): boolean {
  if (!later.every(w => earlier.includes(w))) return false
  for (let k = 0; k < earlier.length; k++) {
    const w = earlier[k]!
    if (later.includes(w)) continue
    const value = earlier[k + 1]
    if (!w.startsWith('-') || w.includes('=') || value === undefined || value.startsWith('-') || !later.includes(value))
      return false
  }
  return true
}

/** An id as a reason quotes it (ids are short; a long one is cut). */
function clipId(id: string): string {
  return id.length > 24 ? `${id.slice(0, 24)}…` : id
}

/** An edit tool's answer that the text it was to replace is not in the file. */
const EDIT_TEXT_GONE =
  /string to replace not found|old_string not found|could not find (?:the )?(?:text|string)|no match(?:es)? found for/i

/**
 * Claude Code edits (Edit, MultiEdit) sent again, the very same, after the earlier one applied, that fail to find their
 * text, nothing else having changed the file since: the earlier edit had replaced it (its new text does not hold it).
 */
function editsAgain(ctx: FlagContext): Array<{step: Step; earlier: Step}> {
  const out: Array<{step: Step; earlier: Step}> = []
  let applied: Map<number, Step> | undefined
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const step = ctx.steps[ctx.tools[ti]!]!
    const tool = step.tool!
    if (tool.name !== 'Edit' && tool.name !== 'MultiEdit') continue
    const key = ctx.callKey[step.index]!
    const action = ctx.actions[step.index]
    if (action?.targets.length !== 1) continue
    const earlier = applied?.get(key)
    if (ctx.failed[step.index] !== 1) {
      const args = tool.arguments as {old_string?: unknown; new_string?: unknown} | undefined
      // (An edit whose new text holds the old one finds it again: not gone.)
      if (
        typeof args?.old_string === 'string' &&
        typeof args.new_string === 'string' &&
        !args.new_string.includes(args.old_string)
      ) {
        applied ??= new Map()
        applied.set(key, step)
      } else applied?.delete(key)
      continue
    }
    if (
      earlier &&
      ctx.compaction[earlier.index] === ctx.compaction[step.index] &&
      ctx.batch[earlier.index]! < ctx.batch[step.index]! &&
      EDIT_TEXT_GONE.test(tool.excerpt ?? ctx.outputOf(step) ?? '') &&
      !ctx.timeline.changed(action.targets[0]!, ctx.epochAfter[earlier.index]!, ctx.epochBefore[step.index]!)
    )
      out.push({step, earlier})
  }
  return out
}
