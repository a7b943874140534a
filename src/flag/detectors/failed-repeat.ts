/**
 * A failed call repeated, failing the same way, with nothing in between that
 * could have fixed it: the same command (also inside a compound command or
 * with its output filtered: `cd x && pip install y`, `… 2>&1 | tail`) with
 * nothing it depends on changed; an edit of a file retried (with any edit
 * tool) after it failed, without reading or changing that file in between;
 * or a path looked for again after a call had just found it missing, with
 * nothing created there since. The same command also when it sets environment
 * variables that were already exported with those values (`A=1 pip install y`
 * after `export A=1`), or runs the tool as a module (`python -m pip`).
 */
import {argumentsText, promptNote, toolArguments} from '../../card/build.js'
import type {Step} from '../../card/types.js'
import {CLAUDE_FILE_TOOLS, shellLine} from '../actions.js'
import {
  bashRunsPowerShellVars,
  docsBase,
  endsProcesses,
  type FlagContext,
  jobAtWork,
  mangledPath,
  noSearchTool,
  stillRunning,
  waitBefore,
} from '../context.js'
import {
  type Action,
  displayPath,
  isUnder,
  mayBeUnder,
  namedIn,
  normalisePath,
  type Range,
  readsNoGit,
} from '../effects.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'
import {
  declinedByPerson,
  errorSignature,
  formError,
  HEREDOC,
  isEnvironmentError,
  noiseLines,
  SHELL_SNAPSHOT_GONE,
  stackFrames,
  timedOut,
  ZSH_HEREDOC,
} from '../output.js'
import {namesModule} from '../timeline.js'
import {onlyCmdBanner, outputBody, reportsPowerShellError} from '../../card/output-facts.js'
import {commandName, parseShell} from '../shell.js'
import {clip, escapeRegExp} from '../../util/text.js'

export const failedRepeat: Detector = ctx => {
  const findings: Finding[] = []
  const byKey = new Map<number, Step>()
  const byCore = new Map<string, Step>()
  const byTarget = new Map<string, Step>()
  const byMissing = new Map<string, Step>()
  // Per error line, its failures (calls issued together are judged on what came before).
  const byError = new ByBatch(ctx.batch)
  // Per Python module an environment failure said is missing, its latest such failure.
  const byModule = new Map<string, Step>()
  // Per part of a failed compound command (`a && b`), its latest failure.
  const byPart = new Map<string, Step>()
  // Per exception message (the text after `SomeError: `), its latest failure with a stack trace, oldest first.
  const byMessage = new Map<string, Step>()
  // The same command without its environment assignments, for failures whose assignments were already in effect.
  const byBare = new Map<string, Step>()
  // Failures for want of a network, by whether the call ran escalated out of the sandbox (`in`, `out`).
  const byNetwork = new ByBatch(ctx.batch)
  // Per mistake in how a call was written (see formError), its failures.
  const byForm = new ByBatch(ctx.batch)
  // Per file, the latest failed edit that reported lines it could not find there, and those lines.
  const byNotFound = new Map<string, {step: Step; lines: string; whole: boolean}>()
  /** Exported variables and their values so far (`export A=1`). */
  const exported = new Map<string, string>()
  /** The command without assignments that change nothing (all already exported with those values), if it has any. */
  const envFree = (a: Action): string | undefined => {
    if (!a.bareCore || !a.assigns) return a.core
    for (let k = 0; k < a.assigns.length; k++) {
      const as = a.assigns[k]!
      const eq = as.indexOf('=')
      if (exported.get(as.slice(0, eq)) !== as.slice(eq + 1)) return undefined
    }
    return a.bareCore
  }
  const exporting = (a: Action): void => {
    if (!a.exports) return
    for (let k = 0; k < a.exports.length; k++) {
      const as = a.exports[k]!
      const eq = as.indexOf('=')
      exported.set(as.slice(0, eq), as.slice(eq + 1))
    }
  }
  // Failures whose status the command line hid (see hiddenRepeat): what they printed, less the status line.
  const hiddenFailures = new Map<number, HiddenFailure>()
  // Per tool name, its latest failure as a tool (see TOOL_ERROR), and the one before it, until a call of it works.
  const brokenTools = new Map<string, Broken>()
  /** The latest failure of a tool issued in an earlier model response than `step` (a sibling's is no warning). */
  const brokenBefore = (name: string, step: Step): Broken | undefined => {
    const b = brokenTools.get(name)
    return b && ctx.batch[b.step.index]! < ctx.batch[step.index]! ? b : b?.before
  }
  /** Per web search tool, the first call of the context that answered it has no search tool. */
  const noSearch = new Map<string, Step>()
  /** Writes the sandbox refused (see `sandboxRefusedPath`), with the path of each. */
  const sandboxRefusals: Array<{step: Step; path: string}> = []
  /** Per file, the latest read the tool refused as too large, with the lines it asked (undefined: the whole file). */
  const tooLarge = new Map<string, {step: Step; range: Range | undefined}>()
  /** Commands let out of the sandbox that ran, with the prefix rule of each (see `prefixRule`). */
  const approvals: Array<{index: number; rule: string}> = []
  /** The first edit of the context refused for changing nothing (its old and new text the same). */
  let noChangeEdit: Step | undefined
  /** Per Python interpreter's name, the first run that ended as Windows' alias for a missing Python does. */
  const noPython = new Map<string, Step>()
  // Per file, the last step that read it, searched it, or changed it (a write that went through).
  const lastTouch = new Map<string, number>()
  const touch = (k: number): void => {
    const a = ctx.actions[k]
    if (!a) return
    for (let j = 0; j < a.reads.length; j++) lastTouch.set(a.reads[j]!.path, k)
    for (let j = 0; j < a.searches.length; j++) {
      const scopes = a.searches[j]!.scopes
      for (let q = 0; q < scopes.length; q++) lastTouch.set(scopes[q]!, k)
    }
    if (ctx.failed[k] !== 1) for (let j = 0; j < a.targets.length; j++) lastTouch.set(a.targets[j]!, k)
    // Claude Code's own file tools: what its Write counts as a read of the file.
    if (ctx.failed[k] === 1 || !CLAUDE_FILE_TOOLS.test(ctx.steps[k]!.tool?.name ?? '')) return
    for (let j = 0; j < a.reads.length; j++) lastToolTouch.set(a.reads[j]!.path, k)
    for (let j = 0; j < a.targets.length; j++) lastToolTouch.set(a.targets[j]!, k)
  }
  // Per file, the last step in which Claude Code's file tools read or wrote it.
  const lastToolTouch = new Map<string, number>()
  /**
   * Claude Code's Write refused a file "not read yet": only a Read of its own tools (or their write of it) is what it
   * asks, not a `cat`, and a change by other means asks for one all the more. None between `earlier` and step `k`.
   */
  const unreadByTools = (earlier: Step, file: string): boolean => (lastToolTouch.get(file) ?? -1) <= earlier.index
  /** Nothing between `earlier` and step `k` read, searched or changed `file`. */
  const untouched = (earlier: Step, k: number, file: string): boolean =>
    (lastTouch.get(file) ?? -1) <= earlier.index &&
    !ctx.timeline.changed(file, ctx.epochAfter[earlier.index]!, ctx.epochBefore[k]!)
  /** Forgets a command's failure (it, or the command a poll waited on, worked): by every way it was written. */
  const forget = (k: number, bare: string | undefined): void => {
    const a = ctx.actions[k]!
    byKey.delete(ctx.callKey[k]!)
    if (a.core) byCore.delete(a.core)
    if (a.parts) for (const part of a.parts) byPart.delete(part)
    if (bare) byBare.delete(bare)
  }
  // The latest call that was no poll (the command a poll after it waits on), with its command bare of assignments.
  let lastRun: {index: number; bare: string | undefined} | undefined
  // Indexed loops: a for-of over 100,000 steps allocates an iterator result per step in these large functions.
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const step = ctx.steps[i]!
    const tool = step.tool!
    const action = ctx.actions[i]!
    // A poll that saw the command it waited on end well, its exit code 0 (OpenHands' `''` after a command still
    // running): that command did its work, and is no failure to repeat. (Codex's polls keep no exit code of their own:
    // the command's is set on the command.)
    if (action.kind === 'poll' && tool.exitCode === 0 && lastRun) forget(lastRun.index, lastRun.bare)
    if (action.kind === 'poll' || action.kind === 'task') continue
    const key = ctx.callKey[i]!
    // (A command a person let out of the sandbox, and the commands like it they let out from then on: Codex's
    // `prefix_rule` of an escalated call that ran.)
    if (ctx.failed[i] !== 1 && escalated(step)) {
      const rule = prefixRule(step)
      if (rule !== undefined) approvals.push({index: i, rule})
    }
    // The output is read only for a failure (unpacking every output again cost more than this detector's own work).
    const output = ctx.failed[i] === 1 ? (ctx.outputOf(step) ?? tool.excerpt) : undefined
    const missing = ctx.missingIn(step)
    const bare = envFree(action)
    lastRun = {index: i, bare}
    exporting(action)
    // (A search written with a mistake one before it made, finding nothing again, had been a repeat: a pattern ending in
    // a stray quote, `class MusDB"`, and grep's `\|` where it is a plain `|`, `rg 'a\|b'`. Both built from fresh22's one
    // session and taken back when blind sets of other authors had runs of such searches, each for other words, that
    // their labellers called no waste: the quote after fresh65 (6 right, 9 wrong over all labelled splits), the bars
    // after fresh231 and fresh234 (2 right, 12 wrong there; 22 right, 14 wrong over all). See the README.)
    if (ctx.failed[i] !== 1) {
      // (A tool that worked is no broken tool; a heredoc the shell took, no construct it will not take: not Codex's
      // `apply_patch <<'EOF'`, which Codex applies itself.)
      brokenTools.delete(tool.name)
      if (byForm.has(ZSH_HEREDOC)) {
        const line = shellLine(tool.arguments)
        if (HEREDOC.test(line) && !/^\s*(?:apply_patch|applypatch)\b/.test(line)) byForm.clear(ZSH_HEREDOC)
      }
      // (a') The same command again with its status hidden from the harness, printing what its failure printed.
      const hidden = hiddenRepeat(ctx, step, action, byCore, byPart, hiddenFailures)
      if (hidden) {
        findings.push(hidden.finding)
        byCore.set(hidden.core, step)
        hiddenFailures.set(i, hidden.failure)
        touch(i)
        continue
      }
      forget(i, bare)
      for (let k = 0; k < missing.length; k++) byMissing.set(missing[k]!, step)
      touch(i)
      continue
    }
    // A call cancelled because a call issued with it failed (Claude Code's "Sibling tool call errored", "Cancelled:
    // parallel tool call … errored") never ran: no failure of its own to repeat later, nor a repeat of one. Only a tool
    // already seen broken was called in vain (whatever cancelled the call, it would not have started).
    if (output !== undefined && CANCELLED.test(output)) {
      const broken = brokenBefore(tool.name, step)
      if (broken && stillBroken(ctx, broken, step) && !failedEditSentBefore(ctx, step))
        findings.push(brokenAgain(ctx, broken, step))
      continue
    }
    const signature = errorSignature(output, noiseOf(ctx))
    let finding: Finding | undefined
    // (j) The web searched again after its search tool answered that it has none (another provider's model behind
    // Claude Code's WebSearch): whatever the query, the same answer.
    if (output !== undefined && noSearchTool(tool.name, output)) {
      const first = noSearch.get(tool.name)
      if (first && ctx.compaction[first.index] === ctx.compaction[i] && ctx.batch[first.index]! < ctx.batch[i]!)
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `searches the web again after step ${first.index} answered that no web search tool is available here; it answers the same, whatever the query`,
          0.85,
          [first.id],
        )
      else if (!first || ctx.compaction[first.index] !== ctx.compaction[i]) noSearch.set(tool.name, step)
    }
    // (l) Python run where Windows has only its app-execution alias for it (Git Bash: exit 49 and nothing printed;
    // cmd: 9009), after a run of the same interpreter ended so, nothing installed since: it does not start either.
    const stub = output !== undefined ? pythonStub(tool, output) : undefined
    if (!finding && stub) {
      const first = noPython.get(stub)
      if (
        first &&
        ctx.compaction[first.index] === ctx.compaction[i] &&
        ctx.batch[first.index]! < ctx.batch[i]! &&
        first.tool!.exitCode === tool.exitCode &&
        !ctx.timeline.envChanged(ctx.epochAfter[first.index]!, ctx.epochBefore[i]!)
      )
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `runs ${stub} again after it ended with exit code ${tool.exitCode} and printed nothing at step ${first.index} (Windows' alias for a Python that is not installed); nothing was installed since, and it ends the same way`,
          0.8,
          [first.id],
        )
      else if (!first) noPython.set(stub, step)
    }
    // (k) An edit whose old and new text are the same, refused as such ("No changes to make"), after one refused so in
    // this context: the tool refuses any such edit, whatever its text.
    if (output !== undefined && NO_CHANGE_EDIT.test(output) && editChangesNothing(tool.arguments)) {
      const first = noChangeEdit
      if (first && ctx.compaction[first.index] === ctx.compaction[i] && ctx.batch[first.index]! < ctx.batch[i]!)
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `edits with the same text as old and new again, which step ${first.index}'s edit showed the tool refuses ("no changes to make"); it refuses this one too`,
          0.85,
          [first.id],
        )
      else noChangeEdit = step
    }
    // (a) The same command again.
    // The latest earlier failure of the same command, written any of these ways.
    let same = byKey.get(key)
    // (Not with variables set that were not in effect before: `env DATABASE_URL=… pytest` is another run of pytest.)
    const byItsCore =
      action.core && !(action.assigns?.length && bare === undefined) ? byCore.get(action.core) : undefined
    if (byItsCore && (!same || byItsCore.index > same.index)) same = byItsCore
    const byItsBare = bare ? byBare.get(bare) : undefined
    if (byItsBare && (!same || byItsBare.index > same.index)) same = byItsBare
    // A part both ran (`node --version && pnpm --version`, then `pnpm --version && cat package.json`), failing the same way.
    const parts = action.parts
    // (Not when the line's other parts change what the failing one meets: `echo x > new.py && git add new.py &&
    // .git/hooks/pre-commit` tries the hook on another file.)
    if (parts && parts.length > 1 && !same && !changesOnItsWay(action))
      for (let k = 0; k < parts.length; k++) {
        const byItsPart = byPart.get(parts[k]!)
        if (byItsPart && (!same || byItsPart.index > same.index)) same = byItsPart
      }
    // An edit retried: the file neither read nor changed since (reading it may have shown how to mend the edit);
    // the very same edit of the same file again after a read of it, the file unchanged, fails as it did whatever the
    // read showed, unless reading was what the error asked for ("Read it first").
    const identical =
      same !== undefined &&
      same === byKey.get(key) &&
      sameList(ctx.actions[same.index]!.targets, action.targets) &&
      !FILE_STATE_ERROR.test(signature)
    const sameTarget =
      action.kind !== 'write' ||
      action.targets.every(
        t =>
          same &&
          (identical
            ? !ctx.timeline.changed(t, ctx.epochAfter[same.index]!, ctx.epochBefore[i]!)
            : untouched(same, i, t)),
      )
    if (
      same &&
      same.turn === step.turn &&
      // (Outside the sandbox, or back in it: not the same conditions.)
      escalated(same) === escalated(step) &&
      // (Not a run that failed for taking too long: the next may not.)
      !timedOut(signature) &&
      sameTarget &&
      sameFailure(ctx, same, step, signature) &&
      nothingChanged(ctx, same, step, signature)
    ) {
      const how =
        tool.exitCode !== undefined && tool.exitCode !== 0
          ? `exit code ${tool.exitCode}`
          : `"${short(ctx.redact, signature)}"`
      finding = toolFinding(
        ctx,
        'failed-repeat',
        step,
        `retries ${describeCall(step, ctx.redact)} after it failed at step ${same.index}, and fails the same way (${how}); nothing it depends on changed in between`,
        0.9,
        [same.id],
      )
    }
    // (b) The same file edited again without doing anything about an error that was about the file, not the edit.
    if (!finding && action.kind === 'write' && FILE_STATE_ERROR.test(signature) && !TOOL_ERROR.test(signature)) {
      for (const target of action.targets) {
        const earlier = byTarget.get(target)
        const byTools = ctx.card.source.format === 'claude-code' && tool.name === 'Write' && NOT_READ.test(signature)
        const unread = byTools ? (e: Step) => unreadByTools(e, target) : (e: Step) => untouched(e, i, target)
        if (earlier && sameFailure(ctx, earlier, step, signature) && unread(earlier)) {
          finding = toolFinding(
            ctx,
            'failed-repeat',
            step,
            `tries again to change ${displayPath(target, ctx.card.cwd)} after step ${earlier.index} failed with "${short(ctx.redact, signature)}", without ${byTools ? 'a Read of it in between (what its Write asks; a shell command that shows or changes the file is none)' : 'reading or changing the file in between'}; it fails the same way`,
            0.9,
            [earlier.id],
          )
          break
        }
      }
    }
    // (c) A path looked for again right after a call found it missing; not by a look that also went elsewhere (`rg x
    // a.ex b/`, a.ex missing again: b/ is searched all the same), nor by a command that does something else with it
    // (`git mv` of a path the shell mangled, tried another way).
    if (!finding && !looksBeyond(action, missing) && (LOOKS.has(action.kind) || action.targets.length > 0)) {
      for (const path of missing) {
        const earlier = byMissing.get(path)
        if (
          earlier &&
          ctx.batch[earlier.index]! < ctx.batch[i]! &&
          !ctx.timeline.treeChanged(path, ctx.epochAfter[earlier.index]!, ctx.epochBefore[i]!)
        ) {
          finding = toolFinding(
            ctx,
            'failed-repeat',
            step,
            `${action.kind === 'write' ? 'tries to edit' : 'looks again for'} ${displayPath(path, ctx.card.cwd)}, which step ${earlier.index} had just found missing; nothing created it in between`,
            0.85,
            [earlier.id],
          )
          break
        }
      }
    }
    // (g) An edit of the file again expecting lines an earlier edit found missing there, the file unchanged since
    // (`Failed to find expected lines`, `String to replace not found`): they are missing still.
    // (Codex's apply_patch run as a shell command is such an edit too: its targets are the patch's files.)
    const missed = action.targets.length && action.writes.length ? missingLines(output) : undefined
    const notFound = missed?.lines
    // The file whose lines were not found: the edit's one file, or the one of a patch's files the message names.
    const target = missed ? notFoundIn(missed.file, action.targets) : undefined
    if (!finding && notFound && target) {
      const earlier = byNotFound.get(target)
      if (
        earlier &&
        ctx.batch[earlier.step.index]! < ctx.batch[i]! &&
        // The same lines; or more around them (a hunk grown by context still holds the lines that are not there) when
        // they were looked for in the whole file, or nothing looked at the file since (a read may have shown the lines
        // are there, and the patch failed otherwise: apply_patch says the same of hunks out of order).
        (notFound === earlier.lines ||
          (`\n${notFound}\n`.includes(`\n${earlier.lines}\n`) &&
            (earlier.whole || untouched(earlier.step, i, target))) ||
          holdsMissingText(earlier.step, step)) &&
        !ctx.timeline.changed(target, ctx.epochAfter[earlier.step.index]!, ctx.epochBefore[i]!)
      )
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `edits ${displayPath(target, ctx.card.cwd)} expecting lines step ${earlier.step.index} found missing there ("${short(ctx.redact, earlier.lines.split('\n')[0]!.trim())}"), and nothing changed the file since; it fails the same way`,
          0.85,
          [earlier.step.id],
        )
    }
    if (notFound && target)
      byNotFound.set(target, {step, lines: notFound, whole: searchedWhole(step, target, notFound)})
    // (h) The same mistake in how the call was written, made again (a path's brackets unquoted for zsh, a quote left
    // open, a patch body line without its `+`): it fails before anything runs, whatever the call was about.
    // (Two ways a Windows command run from Git Bash never runs as written: bash expands the `$name`s of a PowerShell
    // script in double quotes; `cmd /c`, its `/c` taken for a path, opens an interactive cmd that runs nothing.)
    const form = onlyCmdBanner(output)
      ? 'cmd: /c from a POSIX shell, which took it for a path and ran nothing'
      : (reportsPowerShellError(output) || /\bsyntax error near unexpected token/.test(output ?? '')) &&
          bashRunsPowerShellVars(step)
        ? 'powershell: $ inside a double-quoted -Command, which bash expanded first'
        : formError(signature, output, shellLine(tool.arguments))
    // (A shell meets these as it runs the line: what came before the failing command ran, `sed -i … && rg x app/(x)`;
    // as before, not for zsh's `no matches found`, which ends the line where it is met.)
    const ranBefore =
      SHELL_FORM.test(form ?? '') &&
      !signature.includes('no matches found') &&
      (action.parts?.length ?? 1) > 1 &&
      changesOnItsWay(action)
    if (!finding && form && !ranBefore) {
      const earlier = byForm.before(form, step)
      if (earlier && ctx.compaction[earlier.index] === ctx.compaction[i])
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          form.startsWith('no such tool: ')
            ? `calls ${form.slice('no such tool: '.length)} again, a tool the harness told step ${earlier.index} it does not have`
            : `fails as step ${earlier.index} did, for the same mistake in how it is written ("${short(ctx.redact, /^(?:powershell|cmd|openhands): /.test(form) ? form : signature)}")`,
          0.8,
          [earlier.id],
        )
    }
    if (form) byForm.add(form, step)
    // Another command than the earlier one that wrote, before it ran, what the failure is about: a fix tried.
    const ownFix = !finding && triedOwnFix(ctx, step, signature)
    // (d) Another command meeting the same failure where it arose, nothing there having changed.
    const offline = NO_NETWORK.test(output ?? '')
    if (!finding && !ownFix && signature.length >= MIN_SIGNATURE) {
      let earlier = byError.before(signature, step)
      if (earlier && !sameCause(ctx, earlier, step)) earlier = undefined
      // No host reached by another tool, for another host or package (`curl` after `pip install`): the same wall; for a
      // command line of one command (`npm run build && npm audit`: the build did its work, whatever the audit met).
      if (!earlier && offline && (action.parts?.length ?? 1) === 1) {
        const e = byNetwork.before(escalated(step) ? 'out' : 'in', step)
        if (e && sameCause(ctx, e, step)) earlier = e
      }
      if (earlier) {
        const module = MISSING_MODULE.exec(signature)?.[1]
        const where = offline
          ? 'no host could be reached then either, and neither ran outside the sandbox'
          : SANDBOX_FAILURE.test(signature)
            ? 'the sandbox could not start then either, and no command has run in it since'
            : output !== undefined && mangledPath(output, () => argumentsText(tool))
              ? 'a path neither command names: the harness mangles such a line before the shell runs it, as it did then'
              : !isEnvironmentError(signature)
                ? 'the code it fails in did not change in between'
                : module && ctx.timeline.envChanged(ctx.epochAfter[earlier.index]!, ctx.epochBefore[i]!)
                  ? `what was installed in between cannot provide ${module}`
                  : 'nothing was installed in between'
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `fails with "${short(ctx.redact, signature)}" as step ${earlier.index} did; ${where}`,
          0.8,
          [earlier.id],
        )
      }
    }
    // (e) A module missing again, whatever message says so (`No module named 'numpy'`, then astropy's
    // "Numpy version 1.10.0 or later must be installed"), with nothing installed since that could provide it.
    const module = missingModule(signature)
    if (!finding && !ownFix && module) {
      const earlier = byModule.get(module)
      if (
        earlier &&
        ctx.batch[earlier.index]! < ctx.batch[i]! &&
        !ctx.timeline.mayHaveProvided(module, ctx.epochAfter[earlier.index]!, ctx.epochBefore[i]!, cwdOf(ctx, step))
      )
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `fails because ${module} is missing ("${short(ctx.redact, signature)}"), as step ${earlier.index} showed; nothing installed in between could provide it`,
          0.8,
          [earlier.id],
        )
    }
    // (f) The same exception, its message printed by other code (a script that catches it and prints
    // `✗ Failed to import: module 'numpy' has no attribute 'product'`), nothing on its way having changed.
    if (!finding && !ownFix && byMessage.size) {
      for (const [message, earlier] of byMessage) {
        if (
          signature.includes(message) &&
          ctx.batch[earlier.index]! < ctx.batch[i]! &&
          causeUnchanged(ctx, earlier, step)
        ) {
          finding = toolFinding(
            ctx,
            'failed-repeat',
            step,
            `fails with "${short(ctx.redact, message)}" as step ${earlier.index} did; nothing on that failure's way changed in between`,
            0.8,
            [earlier.id],
          )
          break
        }
      }
    }
    // (g) A tool that failed as a tool (Codex: `execution error: Io(NotFound …)`, whatever it was given), worked
    // around since (files changed by other means), tried again with nothing done about the tool: the same failure.
    const broken = TOOL_ERROR.test(signature) ? brokenBefore(tool.name, step) : undefined
    if (!finding && broken && broken.signature === signature && stillBroken(ctx, broken, step))
      finding = brokenAgain(ctx, broken, step)
    if (TOOL_ERROR.test(signature)) {
      // (The one before kept: a call cancelled beside this failure was issued with it, after that one.)
      const last = brokenTools.get(tool.name)
      brokenTools.set(
        tool.name,
        last ? {step, signature, before: {step: last.step, signature: last.signature}} : {step, signature},
      )
    }
    // A failure of what the tool was given (a patch's lines not found): the tool itself ran, so it works again (trial 76:
    // apply_patch "used again after it failed as a tool" though a call between had run and failed verification).
    else if (signature && ctx.batch[brokenTools.get(tool.name)?.step.index ?? i]! < ctx.batch[i]!)
      brokenTools.delete(tool.name)
    // (h) A write the sandbox refused (Codex's `Sandbox(Denied …)`, `operation not permitted: P`) in a folder that also
    // holds a write it refused before, a folder that neither holds nor lies in the folder the call ran in (nor a root
    // the sandbox lets it write): all of it lies outside what the sandbox lets it write. The same sandbox, neither call
    // let out of it, and no command let out since that the person may have meant for it (a new `prefix_rule`).
    const cwd = cwdOf(ctx, step)
    const refused = output !== undefined ? sandboxRefusedPath(output, cwd) : undefined
    const listed = refused !== undefined ? writableRoots(step.sandbox) : undefined
    if (!finding && refused !== undefined && listed !== undefined && cwd !== undefined && !escalated(step)) {
      const roots = [cwd, ...listed]
      for (let k = sandboxRefusals.length - 1; k >= 0; k--) {
        const r = sandboxRefusals[k]!
        if (ctx.batch[r.step.index]! >= ctx.batch[i]! || !sameSandbox(r.step, step)) continue
        const shared = commonFolder(refused, r.path)
        if (shared === '/' || roots.some(root => isUnder(root, shared) || isUnder(shared, root))) continue
        const known = new Set(approvals.filter(a => a.index < r.step.index).map(a => a.rule))
        if (approvals.some(a => a.index > r.step.index && a.index < i && !known.has(a.rule))) break
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `writes in ${displayPath(shared, cwd)}, where the sandbox refused step ${r.step.index}'s write, outside the folder it may write; it runs in the same sandbox, not let out of it`,
          0.8,
          [r.step.id],
        )
        break
      }
    }
    if (refused !== undefined) sandboxRefusals.push({step, path: refused})
    // (i) A read the tool refused as too large (Claude Code's Read: "File content (29534 tokens) exceeds maximum allowed
    // tokens (10000)"), of lines that hold all the lines an earlier read of the unchanged file was refused for: more of
    // the same file is larger still (fresh357 #4). A smaller window is a fix tried.
    const large =
      output !== undefined && action.reads.length === 1 && TOO_LARGE.test(output) ? action.reads[0]! : undefined
    if (large) {
      const e = tooLarge.get(large.path)
      if (
        !finding &&
        e &&
        ctx.batch[e.step.index]! < ctx.batch[i]! &&
        ctx.compaction[e.step.index] === ctx.compaction[i] &&
        holdsRange(large.range, e.range) &&
        !ctx.timeline.changed(large.path, ctx.epochAfter[e.step.index]!, ctx.epochBefore[i]!)
      ) {
        finding = toolFinding(
          ctx,
          'failed-repeat',
          step,
          `reads ${displayPath(large.path, cwd)} again, lines that hold all of those step ${e.step.index} was refused as too large; nothing changed the file since, so it is larger still and is refused the same way`,
          0.8,
          [e.step.id],
        )
      }
      tooLarge.set(large.path, {step, range: large.range})
    }
    // An edit sent with it, before it, that failed was a fix tried: the agent could not know it would not take.
    if (finding && !failedEditSentBefore(ctx, step)) findings.push(finding)
    const message = exceptionMessage(signature)
    if (message && raisedByInstalled(output, signature)) {
      byMessage.delete(message)
      byMessage.set(message, step)
      if (byMessage.size > MAX_MESSAGES) byMessage.delete(byMessage.keys().next().value!)
    }
    if (module) byModule.set(module, step)
    if (signature.length >= MIN_SIGNATURE) byError.add(signature, step)
    if (offline) byNetwork.add(escalated(step) ? 'out' : 'in', step)
    touch(i)
    byKey.set(key, step)
    if (action.core) byCore.set(action.core, step)
    if (bare) byBare.set(bare, step)
    if (action.parts && action.parts.length > 1) for (const part of action.parts) byPart.set(part, step)
    if (action.kind === 'write') for (let k = 0; k < action.targets.length; k++) byTarget.set(action.targets[k]!, step)
    for (let k = 0; k < missing.length; k++) byMissing.set(missing[k]!, step)
  }
  return findings
}

/**
 * Mistakes a shell meets in a line (zsh's globs, bash's syntax, bash expanding a PowerShell script's `$`, cmd's `/c`
 * taken for a path), not a parser before anything of it ran.
 */
const SHELL_FORM = /^(?:zsh|shell|cmd): |^powershell: \$ inside/

/** Calls that look (read, search, list) rather than act. */
const LOOKS: ReadonlySet<string> = new Set(['read', 'search', 'list'])

/** Whether a compound command writes files, the environment or git's state, so one part runs after another's change. */
function changesOnItsWay(action: Action): boolean {
  // (Its environment too: `export DATABASE_URL=… && pytest`, `env DATABASE_URL=… pytest` run the tests on another
  // database.)
  return (
    action.writes.length > 0 ||
    action.writesUnder.length > 0 ||
    action.env ||
    action.git ||
    (action.exports?.length ?? 0) > 0 ||
    (action.assigns?.length ?? 0) > 0
  )
}

/**
 * What the session's commands print when they succeed that reads like an error (a login shell's profile refused by
 * the sandbox): no failure's signature. From the first lines of successful outputs, once per card.
 */
export function noiseOf(ctx: FlagContext): ReadonlySet<string> {
  let noise = noiseCache.get(ctx)
  if (!noise) {
    const excerpts: string[] = []
    for (let ti = 0; ti < ctx.tools.length; ti++) {
      const i = ctx.tools[ti]!
      if (ctx.failed[i] === 1) continue
      const tool = ctx.steps[i]!.tool!
      if (tool.excerpt && tool.status === 'ok') excerpts.push(tool.excerpt)
    }
    noise = noiseLines(excerpts)
    noiseCache.set(ctx, noise)
  }
  return noise
}

const noiseCache = new WeakMap<FlagContext, ReadonlySet<string>>()

/**
 * The lines an edit expected and did not find in its file, as the failure quotes them (Codex's apply_patch: `Failed
 * to find expected lines in f:` and the lines; Claude Code's Edit: `String to replace not found in file.` and
 * `String: …`), each without trailing spaces, and the file the message names (apply_patch's); undefined for any other
 * output.
 */
function missingLines(output: string | undefined): {lines: string; file?: string} | undefined {
  if (!output) return undefined
  const m = NOT_FOUND.exec(output)
  // (The file editor of OpenHands and SWE-agent names the file after the lines.)
  const editor = m ? null : EDITOR_NOT_FOUND.exec(output)
  const found = m ? {file: m[1], text: m[2]!} : editor ? {file: editor[2], text: editor[1]!} : undefined
  if (!found) return undefined
  const lines = found.text
    .replace(/<\/tool_use_error>\s*$/, '')
    .split('\n')
    .map(l => l.trimEnd())
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  while (lines.length && lines[0] === '') lines.shift()
  const text = lines.join('\n')
  if (text.trim().length < MIN_SIGNATURE) return undefined
  return found.file === undefined ? {lines: text} : {lines: text, file: found.file}
}

/**
 * Whether an edit's text to replace holds, anywhere in it, the whole text an earlier edit of the file did not find
 * (both tools that look for it as it is, in the whole file: Claude Code's Edit, the file editor of OpenHands and
 * SWE-agent): text that holds text a file lacks is not in that file either. (A patch's hunks are matched by lines.)
 */
function holdsMissingText(earlier: Step, step: Step): boolean {
  const before = textToReplace(earlier)
  const now = textToReplace(step)
  return before !== undefined && now !== undefined && before.trim().length >= MIN_SIGNATURE && now.includes(before)
}

/** The text a find-and-replace edit looked for, from its arguments (undefined for other tools). */
function textToReplace(step: Step): string | undefined {
  const tool = step.tool
  if (!tool) return undefined
  const args = (toolArguments(tool)?.args ?? tool.arguments) as Record<string, unknown> | undefined
  if (!args || typeof args !== 'object') return undefined
  const text =
    tool.name === 'Edit'
      ? args.old_string
      : (tool.name === 'str_replace_editor' || tool.name === 'str_replace_based_edit_tool') &&
          args.command === 'str_replace'
        ? args.old_str
        : undefined
  return typeof text === 'string' ? text : undefined
}

/** Of an edit's files, the one a not-found message is about: its only one, or the one the message names. */
function notFoundIn(named: string | undefined, targets: readonly string[]): string | undefined {
  if (targets.length === 1) return targets[0]
  if (!named) return undefined
  const path = normalisePath(named)
  return targets.find(t => t === path || t.toLowerCase() === path.toLowerCase())
}

/**
 * Whether the lines an edit did not find (`lines`, as its failure quotes them) were looked for in the whole of `file`,
 * so that no edit expecting them, and more around them, can find them there while the file is unchanged: Claude Code's
 * Edit looks for its old string anywhere in the file; Codex's apply_patch looks for a hunk's lines after the hunk
 * before it in that file, after the hunk's `@@ context` line, or at the file's end (`*** End of File`), so only a
 * file's first hunk, under a bare `@@`, is looked for from the top. (MultiEdit's later edits look in the file as its
 * earlier edits left it.)
 */
function searchedWhole(step: Step, file: string, lines: string): boolean {
  const tool = step.tool
  if (!tool) return false
  // (Claude Code's Edit, and the file editor of OpenHands and SWE-agent, look for the old string in the whole file.)
  if (tool.name === 'Edit' || tool.name === 'str_replace_editor' || tool.name === 'str_replace_based_edit_tool')
    return true
  const patch = patchText(toolArguments(tool)?.args ?? tool.arguments)
  if (!patch) return false
  const name = file.slice(file.lastIndexOf('/') + 1)
  for (const section of patch.split(/^\*\*\* Update File: /m).slice(1)) {
    const rows = section.split('\n')
    const path = rows[0]!.trim().replace(/\\/g, '/')
    if (path.slice(path.lastIndexOf('/') + 1) !== name) continue
    let k = 1
    if (rows[k]?.startsWith('*** Move to:')) k++
    if (rows[k]?.startsWith('@@')) {
      if (rows[k]!.trim() !== '@@') return false
      k++
    }
    const old: string[] = []
    for (; k < rows.length; k++) {
      const row = rows[k]!
      if (row.startsWith('@@') || row.startsWith('*** ')) {
        if (row.startsWith('*** End of File')) return false
        break
      }
      if (row === '' || row.startsWith(' ') || row.startsWith('-')) old.push(row.slice(1).trimEnd())
    }
    while (old.length && old[old.length - 1] === '') old.pop()
    while (old.length && old[0] === '') old.shift()
    return old.join('\n') === lines
  }
  return false
}

/** The text of a patch a call was given: its argument itself, or the field or command line that holds it. */
function patchText(args: unknown): string | undefined {
  if (typeof args === 'string') return args.includes('*** Begin Patch') ? args : undefined
  if (!args || typeof args !== 'object') return undefined
  const a = args as Record<string, unknown>
  for (const key of ['input', 'patch', 'command', 'cmd']) {
    const v = a[key]
    const text = Array.isArray(v) ? v.filter(x => typeof x === 'string').join(' ') : v
    if (typeof text === 'string' && text.includes('*** Begin Patch')) return text
  }
  return undefined
}

const NOT_FOUND =
  /(?:Failed to find expected lines in ([^\n]*?):\r?\n|String to replace not found in file\.\s*\nString:)([\s\S]*)$/

/** The file editor's (OpenHands', SWE-agent's str_replace_editor) words for an old string it did not find. */
const EDITOR_NOT_FOUND =
  /No replacement was performed, old_str `([\s\S]*?)` did not appear verbatim in ([^\n`]+?)\.?\s*$/

/**
 * Steps by a key (an error line, a mistake's class), for finding the latest one issued in an earlier LLM call than a
 * given step: the latest, and the latest before that one's batch (calls issued together are judged on what came
 * before them, not on each other).
 */
class ByBatch {
  private readonly latest = new Map<string, Step>()
  private readonly earlier = new Map<string, Step>()
  constructor(private readonly batch: Int32Array) {}

  /** The latest step under `key` issued in an LLM call before `step`'s. */
  before(key: string, step: Step): Step | undefined {
    const latest = this.latest.get(key)
    const found = latest && this.batch[latest.index]! >= this.batch[step.index]! ? this.earlier.get(key) : latest
    return found && this.batch[found.index]! < this.batch[step.index]! ? found : undefined
  }

  add(key: string, step: Step): void {
    const latest = this.latest.get(key)
    if (latest && this.batch[latest.index]! < this.batch[step.index]!) this.earlier.set(key, latest)
    this.latest.set(key, step)
  }

  /** Whether a step is kept under `key`. */
  has(key: string): boolean {
    return this.latest.has(key)
  }

  /** Forgets the steps under `key`. */
  clear(key: string): void {
    this.latest.delete(key)
    this.earlier.delete(key)
  }
}

/** Whether a call asked to run outside the sandbox (Codex's escalated permissions, Claude Code's sandbox disabled). */
function escalated(step: Step): boolean {
  const args = step.tool?.arguments
  if (!args || typeof args !== 'object') return false
  const a = args as Record<string, unknown>
  return (
    a.with_escalated_permissions === true ||
    a.sandbox_permissions === 'require_escalated' ||
    a.dangerouslyDisableSandbox === true
  )
}

/** The command words a call let out of the sandbox asked to be let out from then on (Codex's `prefix_rule`). */
function prefixRule(step: Step): string | undefined {
  const args = step.tool?.arguments
  if (!args || typeof args !== 'object') return undefined
  const rule = (args as Record<string, unknown>).prefix_rule
  return Array.isArray(rule) && rule.length && rule.every(w => typeof w === 'string') ? rule.join(' ') : undefined
}

/**
 * The path Codex's sandbox refused a write to (`Sandbox(Denied { … stderr: "zsh:1: operation not permitted:
 * /p/specs/x.md\n" …`, `SandboxDenied { … }`), resolved; undefined for any other output.
 */
function sandboxRefusedPath(output: string, cwd: string | undefined): string | undefined {
  if (!output.includes('Sandbox(Denied') && !output.includes('SandboxDenied')) return undefined
  const m = SANDBOX_REFUSED.exec(output)
  // (The message is JSON-escaped twice over: `\\n` ends the path, its first backslash caught with it.)
  return m ? normalisePath(m[1]!.replace(/\\+$/, '').trim(), cwd) : undefined
}

/** The deepest folder holding both paths. */
function commonFolder(a: string, b: string): string {
  const x = a.split('/')
  const y = b.split('/')
  let k = 0
  // (Not the last part of either: a file.)
  while (k < x.length - 1 && k < y.length - 1 && x[k] === y[k]) k++
  return x.slice(0, k).join('/') || '/'
}

/**
 * The folders a sandbox's policy lets it write besides the one the call ran in (`workspace-write [/a, /b]`), and /tmp;
 * undefined where the card keeps only some of them (`…, 3 more, <digest>`).
 */
function writableRoots(sandbox: string | undefined): string[] | undefined {
  const listed = sandbox ? /\[([^\]]*)\]/.exec(sandbox)?.[1] : undefined
  if (listed?.includes('…')) return undefined
  return ['/tmp', ...(listed ? listed.split(', ').filter(r => r.startsWith('/')) : [])]
}

const SANDBOX_REFUSED = /(?:operation not permitted|read-only file system): ((?:[^\\\n"]|\\(?!n))+)/i

/**
 * Whether the log records that two calls ran in the same sandbox (Codex's `sandbox_policy` of their turns), neither
 * escalated out of it: what it refused the one, it refuses the other.
 */
function sameSandbox(earlier: Step, later: Step): boolean {
  return (
    earlier.sandbox !== undefined &&
    earlier.sandbox === later.sandbox &&
    earlier.sandbox !== 'danger-full-access' &&
    !escalated(earlier) &&
    !escalated(later)
  )
}

/**
 * Whether the log records that two calls met the same host unreachable in one sandbox without a network: not on
 * Windows, where Codex recorded a policy it did not enforce (its sandbox there was experimental, off unless turned on);
 * nor across a person's turn whose prompt asks for the retry or speaks of the network (`I've reconnected the VPN`).
 */
function noNetworkOnRecord(
  ctx: FlagContext,
  earlier: Step,
  later: Step,
  before: string | undefined,
  after: string | undefined,
): boolean {
  if (!sameSandbox(earlier, later) || later.sandbox!.includes(NETWORK_ON) || WINDOWS_PATH.test(ctx.card.cwd ?? ''))
    return false
  if (earlier.turn !== later.turn && promptNote(ctx.card, later.turn)?.retry) return false
  const host = unreachedHost(before)
  return host !== undefined && host === unreachedHost(after)
}

/** A Windows path (`C:\Users\…`, `C:/…`). */
const WINDOWS_PATH = /^[A-Za-z]:[\\/]/

/** How `sandboxPolicy` says a sandbox has a network. */
const NETWORK_ON = '(network access enabled)'

/**
 * Whether a call escalated out of the sandbox went through between two steps (in the later one's turn when they are
 * of different turns): the session showed that the sandbox, not the moment, was what failed them.
 */
function escapedBetween(ctx: FlagContext, earlier: Step, later: Step): boolean {
  // (Looked for among the steps just before the later one: a failure far back is judged on the latest of them.)
  for (let k = later.index - 1; k > earlier.index && k >= later.index - MAX_ESCAPE_LOOKBACK; k--) {
    const s = ctx.steps[k]!
    if (earlier.turn !== later.turn && s.turn !== later.turn) return false
    if (s.kind === 'tool' && escalated(s) && ctx.failed[k] !== 1) return true
  }
  return false
}

/**
 * The Python interpreter a failed shell call ran, where it ended as Windows' app-execution alias for a Python that is
 * not installed does: exit code 49 (Git Bash) or 9009 (cmd) and nothing printed but the exit code.
 */
function pythonStub(tool: NonNullable<Step['tool']>, output: string): string | undefined {
  if (tool.exitCode !== 49 && tool.exitCode !== 9009) return undefined
  if (output.replace(/^Exit code \d+\s*/, '').trim() !== '') return undefined
  return PYTHON_RUN.exec(shellLine(tool.arguments))?.[1]
}

/** A Python interpreter run by name as a command or a pipeline's stage. */
const PYTHON_RUN = /(?:^|[|;&(]\s*|&&\s*)(python3?|py)(?:\.exe)?(?=\s)/

/** Claude Code's Edit refusing an edit whose old and new text are the same. */
const NO_CHANGE_EDIT = /No changes to make: old_string and new_string are exactly the same/

/** Whether an edit's arguments replace a text by itself (`old_string` = `new_string`). */
function editChangesNothing(args: unknown): boolean {
  if (typeof args !== 'object' || args === null) return false
  const a = args as Record<string, unknown>
  return typeof a.old_string === 'string' && a.old_string === a.new_string
}

/** A tool's failure as a tool (see TOOL_ERROR), and the one before it. */
interface Broken {
  step: Step
  signature: string
  before?: Broken
}

/** Claude Code's answer for a call it cancelled because a call issued with it failed: the call never ran. */
const CANCELLED = /^\s*(?:<tool_use_error>)?\s*(?:Sibling tool call errored|Cancelled: parallel tool call\b)/

/**
 * Whether a tool seen failing as a tool (`broken`) would fail the same way at `step`: in the same context, issued
 * after it, no call escalated out of the sandbox in between; a program that could not start, with nothing installed
 * since (only an install could change that); any other failure of the tool, after the files were changed by other means.
 */
function stillBroken(ctx: FlagContext, broken: Broken, step: Step): boolean {
  const i = step.index
  const e = broken.step.index
  return (
    ctx.compaction[e] === ctx.compaction[i] &&
    ctx.batch[e]! < ctx.batch[i]! &&
    !escapedBetween(ctx, broken.step, step) &&
    (NOT_STARTED.test(broken.signature)
      ? !ctx.timeline.envChanged(ctx.epochAfter[e]!, ctx.epochBefore[i]!)
      : ctx.timeline.anyChanged(ctx.epochAfter[e]!, ctx.epochBefore[i]!, true))
  )
}

/** The finding of a tool used again while it was still broken (see `stillBroken`). */
function brokenAgain(ctx: FlagContext, broken: Broken, step: Step): Finding {
  const name = step.tool!.name
  const what = short(ctx.redact, broken.signature)
  return toolFinding(
    ctx,
    'failed-repeat',
    step,
    SHELL_SNAPSHOT_GONE.test(broken.signature)
      ? `uses ${name} again after its shell could not start at step ${broken.step.index} ("${what}": the snapshot of the shell it starts from is gone); every command fails so until the harness starts another shell`
      : NOT_STARTED.test(broken.signature)
        ? `uses ${name} again after its program could not start at step ${broken.step.index} ("${what}"); nothing was installed since, and it would not start either`
        : `uses ${name} again after it failed as a tool at step ${broken.step.index} ("${what}") and the files were changed by other means since; nothing was done about the tool, and it fails the same way`,
    0.8,
    [broken.step.id],
  )
}

/** A read tool's refusal of a file too large for it (Claude Code's Read, by tokens or by size). */
const TOO_LARGE =
  /^\s*(?:<tool_use_error>)?File content \([\d.,]+ ?(?:tokens|[KMG]?B)\) exceeds maximum allowed (?:tokens|size)\b/

/** Whether the lines `outer` asks hold all the lines `inner` asks (undefined: the whole file). */
function holdsRange(outer: Range | undefined, inner: Range | undefined): boolean {
  if (outer === undefined) return true
  return inner !== undefined && outer[0] <= inner[0] && outer[1] >= inner[1]
}

/** A failure of the tool itself, not of the file (Codex: "execution error: Io(NotFound …)"): another try is a test. */
/**
 * A tool whose own program could not be started (Claude Code's Grep: `ENOENT: …, posix_spawn '…/claude'`; its Bash
 * when the shell's snapshot it sources first is gone: see `SHELL_SNAPSHOT_GONE`).
 */
const NOT_STARTED = new RegExp(String.raw`^\s*ENOENT\b[^\n]*\b(?:posix_)?spawn\b|${SHELL_SNAPSHOT_GONE.source}`, 'i')
const TOOL_ERROR = new RegExp(
  String.raw`^\s*(?:execution error|sandbox error|failed in sandbox)|${NOT_STARTED.source}`,
  'i',
)

/**
 * Errors an edit tool gives about the file rather than the edit (it must be read first, it changed since it
 * was read, it cannot be written): any other edit of that file fails the same way until something is done
 * about it. An error about the edit itself (a syntax error in the new text, a string not found) is answered
 * by another edit.
 */
/** A tool's refusal to write a file the agent has not read with it. */
const NOT_READ = /has not been read yet/i

const FILE_STATE_ERROR =
  /not been read|read it first|must (?:be )?read|modified since|unexpectedly modified|changed since|permission denied|read-only|no such file|does not exist|EACCES|EROFS/i

/**
 * The (lowercased) package an environment failure says is missing: Python's `No module named 'x.y'` (x),
 * or a library's own check (`Numpy version 1.10.0 or later must be installed`, `pytest is not installed`).
 */
function missingModule(signature: string): string | undefined {
  const m = MISSING_MODULE.exec(signature) ?? REQUIRED_PACKAGE.exec(signature) ?? NOT_AVAILABLE.exec(signature)
  return (m?.[1] ?? m?.[2])?.toLowerCase()
}

/** Python's venv without its pip seeder ("… was not created successfully because ensurepip is not available"). */
const NOT_AVAILABLE = /\bbecause ([A-Za-z_]\w*) is not(?:\s+available\b|\s*$)/

const REQUIRED_PACKAGE =
  /\b([A-Za-z_][\w]*)(?: version [\d.]+(?: or (?:later|newer|higher|above))?)? (?:must|needs to|has to) be installed|\b([A-Za-z_][\w]*) is not installed/

/** The top-level module a Python import failure names (`No module named 'yaml.loader'`: `yaml`). */
const MISSING_MODULE = /No module named '?([A-Za-z_][\w]*)/

/** An installed package lacking a name (`cannot import name 'derivative' from 'scipy.misc' (…/site-packages/…)`): its top level. */
const INSTALLED_LACKS = /cannot import name '[^']+' from '([A-Za-z_]\w*)[\w.]*' \([^)]*(?:site|dist)-packages[\\/]/

/** Error lines shorter than this ("Error", "failed") say too little to call two failures one. */
const MIN_SIGNATURE = 16

/**
 * Whether a later failure with the same error line has the same cause as an
 * earlier one: an environment error with nothing installed in between that could
 * change it; or stack traces ending in the same frame, no file of the earlier
 * trace changed since (bar the script that ran it, when the later call runs
 * another), and nothing installed that they run through. A new script reaching
 * the same failure counts; a changed file on its way does not.
 */
function sameCause(ctx: FlagContext, earlier: Step, later: Step): boolean {
  const from = ctx.epochAfter[earlier.index]!
  const to = ctx.epochBefore[later.index]!
  const before = ctx.outputOf(earlier) ?? earlier.tool!.excerpt
  const after = ctx.outputOf(later) ?? later.tool!.excerpt
  const signature = errorSignature(after, noiseOf(ctx))
  // A failure for taking too long (a read that timed out, a test's TimeoutError): the next run may not.
  if (timedOut(signature)) return false
  // The sandbox failing to start fails every command the same way, whatever the commands before it wrote, until a
  // command runs in it again (a session resumed in a new process, the sandbox mended): then it failed anew.
  // (In one person's turn, no call a person declined in between: a person may have mended it, or asked for the very
  // command again, fresh267 #74. Codex's on Windows fails in a folder and runs at the root: in the folder it failed in.)
  if (SANDBOX_FAILURE.test(signature))
    return (
      earlier.turn === later.turn &&
      !ranInSandboxBetween(ctx, earlier, later) &&
      !declinedBetween(ctx, earlier, later) &&
      (!WINDOWS_SANDBOX.test(signature) || workdirOf(ctx, earlier) === workdirOf(ctx, later))
    )
  // No network where both ran (a sandbox without it, neither run escalated out of it), the session having shown the
  // sandbox was why (a call escalated out of it went through in between: not a lookup failing for a moment, nor a
  // machine without a sandbox): what files changed in between cannot bring it back. At a later turn only when that
  // escalated call came in the later turn itself: a person may have opened the network and asked for the very retry.
  // (Or, for the same host, the log records that both ran in one sandbox without a network: that it had none is on
  // record. Another host is another question, to its labellers: `pip install` after `git ls-remote` failed.)
  if (
    escalated(earlier) === escalated(later) &&
    NO_NETWORK.test(before ?? '') &&
    NO_NETWORK.test(after ?? '') &&
    (escapedBetween(ctx, earlier, later) || noNetworkOnRecord(ctx, earlier, later, before, after))
  )
    return true
  // The harness mangling the command line before the shell ran it (a path no command named: `ls: cannot access
  // 'glob'`): it mangles the next one the same way, whatever the commands ran on or changed.
  if (
    before !== undefined &&
    after !== undefined &&
    mangledPath(before, () => argumentsText(earlier.tool!)) &&
    mangledPath(after, () => argumentsText(later.tool!))
  )
    return true
  // A module still missing (or missing a name) after installs of other packages only: none of them could provide it.
  const module = MISSING_MODULE.exec(signature)?.[1] ?? INSTALLED_LACKS.exec(signature)?.[1]
  const a = stackFrames(before).filter(f => !f.file.startsWith('<'))
  const b = stackFrames(after).filter(f => !f.file.startsWith('<'))
  if (module || isEnvironmentError(signature)) {
    if (module ? ctx.timeline.mayHaveProvided(module, from, to, cwdOf(ctx, later)) : ctx.timeline.envChanged(from, to))
      return false
    // A person's turn in between may have mended what no command here did (installed it, granted the permission).
    if (earlier.turn !== later.turn) return false
    // An edit of the code on the way to the import (not the script that ran it) may have been the fix.
    return !innerFramesChanged(ctx, b, framesDir(ctx, later, b), from, to)
  }
  if (!a.length || !b.length) return false
  // Installs in between matter only through the code the failure ran.
  if (
    ctx.timeline.mayHaveChangedCode(
      b.map(f => f.file),
      from,
      to,
    )
  )
    return false
  const last = (x: typeof a, k: number) => x[x.length - 1 - k]!
  if (last(a, 0).file !== last(b, 0).file || last(a, 0).line !== last(b, 0).line) return false
  // Any change to a file the earlier failure ran through is an attempt at a fix, except to the script that ran it
  // (its outermost frame) when the later call does not run that script: a new script meeting the same failure.
  const laterFiles = new Set(b.map(f => f.file))
  for (let k = 0; k < a.length; k++) {
    const file = a[k]!.file
    if (k === 0 && a.length > 1 && !laterFiles.has(file)) continue
    if (ctx.timeline.changed(normalisePath(file, framesDir(ctx, earlier, a)), from, to)) return false
  }
  return true
}

/**
 * The folder a call was started in (its workdir, before any `cd` of its own), as Windows compares paths (any case):
 * where Codex's sandbox on Windows starts or fails to (review 81).
 */
function workdirOf(ctx: FlagContext, step: Step): string | undefined {
  const dir = ctx.actions[step.index]?.ranFrom ?? ctx.cwdOf(step)
  return dir === undefined ? undefined : normalisePath(dir).toLowerCase()
}

/** Whether a person declined a call between two steps (Codex's `exec command rejected by user`). */
function declinedBetween(ctx: FlagContext, earlier: Step, later: Step): boolean {
  for (let k = earlier.index + 1; k < later.index; k++) {
    const s = ctx.steps[k]!
    if (s.kind === 'tool' && ctx.failed[k] === 1 && declinedByPerson(ctx.outputOf(s) ?? s.tool?.excerpt)) return true
  }
  return false
}

/** Whether a shell call that did not escalate out of the sandbox went through between two steps. */
function ranInSandboxBetween(ctx: FlagContext, earlier: Step, later: Step): boolean {
  for (let k = earlier.index + 1; k < later.index; k++) {
    const s = ctx.steps[k]!
    // (A shell command, as the classifier read it: not a patch tool whose `input` is the patch.)
    if (s.kind === 'tool' && ctx.failed[k] !== 1 && !escalated(s) && ctx.actions[k]?.core !== undefined) return true
  }
  return false
}

/**
 * A command sandbox that could not start (bubblewrap on Linux, sandbox-exec on macOS, Codex's own on Windows: `execution
 * error: Io(Custom { kind: Other, error: "windows sandbox: setup refresh failed …`), before the command ran.
 */
const SANDBOX_FAILURE = /^(?:bwrap|sandbox-exec): |\bwindows sandbox: setup refresh failed\b/

/** Codex's sandbox on Windows, which fails to start in a folder where it started at the root (fresh267). */
const WINDOWS_SANDBOX = /\bwindows sandbox: /

/** How many steps before a failure `escapedBetween` looks through. */
const MAX_ESCAPE_LOOKBACK = 2000

/** A host name that could not be resolved, or no route out: the machine (or its sandbox) has no network. */
const NO_NETWORK =
  /Could not resolve host(?:name)?\b|Temporary failure (?:in name resolution|resolving)|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|Name or service not known|nodename nor servname provided|Network is unreachable|\bno such host\b|server misbehaving|unable to resolve host address/

/** The host an output says could not be resolved or reached (`Could not resolve host: index.crates.io`), if it names one. */
function unreachedHost(output: string | undefined): string | undefined {
  return UNREACHED_HOST.exec(output ?? '')?.[1]?.toLowerCase()
}

const UNREACHED_HOST =
  /(?:Could not resolve host(?:name)?\b[^:\n]*: |getaddrinfo (?:ENOTFOUND|EAI_AGAIN) |Failed to resolve '|resolve host address '|Temporary failure resolving '|ConnectionPool\(host='|lookup )([A-Za-z0-9][\w.-]*\.[A-Za-z]{2,})/

/** Exception messages remembered at once (the latest ones): a session meets few distinct failures. */
const MAX_MESSAGES = 32

/**
 * The message of a Python or JavaScript exception line (`AttributeError: module 'numpy' has no attribute 'product'`:
 * the text after the exception's name), when it names something (a quoted name) and is long enough to be told
 * from another failure's.
 */
function exceptionMessage(signature: string): string | undefined {
  const m = /^(?:[a-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception): (.+)$/.exec(signature)
  const message = m?.[1]
  return message && message.length >= 24 && /['"`][^'"`]+['"`]/.test(message) ? message : undefined
}

/**
 * Whether a failure arose in installed code (its innermost frame is in site-packages or node_modules) or in an
 * import: the environment's, which another script meets the same way, rather than one program's own error.
 */
function raisedByInstalled(output: string | undefined, signature: string): boolean {
  if (/^(?:ImportError|ModuleNotFoundError): /.test(signature)) return true
  const frames = stackFrames(output)
  const last = frames[frames.length - 1]
  return last !== undefined && /[\\/](?:site-packages|dist-packages|node_modules)[\\/]/.test(last.file)
}

/**
 * Whether a later failure reporting an earlier one's exception (without a stack trace of its own) can have the
 * same cause: nothing installed in between that could change the code of the earlier trace, and none of its files
 * changed since (bar the script that ran it: the later call runs its own).
 */
function causeUnchanged(ctx: FlagContext, earlier: Step, later: Step): boolean {
  const from = ctx.epochAfter[earlier.index]!
  const to = ctx.epochBefore[later.index]!
  const output = ctx.outputOf(earlier) ?? earlier.tool!.excerpt
  // A module missing: an install that may provide it was an attempt at a fix, whatever it printed after.
  const signature = errorSignature(output, noiseOf(ctx))
  const module = missingModule(signature)
  if (module && ctx.timeline.mayHaveProvided(module, from, to, cwdOf(ctx, later))) return false
  // (As in `sameCause`: a person's turn in between may have mended the environment where no command here did.)
  if ((module || isEnvironmentError(signature)) && earlier.turn !== later.turn) return false
  const frames = stackFrames(output).filter(f => !f.file.startsWith('<'))
  if (frames.length < 2) return false
  if (
    ctx.timeline.mayHaveChangedCode(
      frames.map(f => f.file),
      from,
      to,
    )
  )
    return false
  return !innerFramesChanged(ctx, frames, framesDir(ctx, earlier, frames), from, to)
}

/** Whether a file a stack trace passes through, bar its outermost frame (the script that ran it), changed. */
function innerFramesChanged(
  ctx: FlagContext,
  frames: ReadonlyArray<{file: string}>,
  cwd: string | undefined,
  from: number,
  to: number,
): boolean {
  for (let k = 1; k < frames.length; k++)
    if (ctx.timeline.changed(normalisePath(frames[k]!.file, cwd), from, to)) return true
  return false
}

/**
 * Whether a later failure's own command wrote, before it ran, what the failure is about: a file or folder named as
 * the missing module (`mkdir -p tests/quickapp && cat > tests/quickapp/__init__.py <<EOF … && python run.py`), or
 * a file its stack passes through below the script that ran. That is a fix tried, not the earlier failure again. (The same command again wrote
 * the same the first time: `nothingChanged` compares up to its start.)
 */
function triedOwnFix(ctx: FlagContext, later: Step, signature: string): boolean {
  const action = ctx.actions[later.index]
  // A line that installs, before what fails, a package the failure names (`pip install kagglesdk --upgrade; python -c
  // "import kagglehub"` meeting "cannot import name … from 'kagglesdk.kaggle_env'").
  if (
    action?.env &&
    (action.parts?.length ?? 1) > 1 &&
    action.installs?.some(p => namesPackage(signature, p)) &&
    !INSTALL_FAILED.test(ctx.outputOf(later) ?? later.tool?.excerpt ?? '')
  )
    return true
  if (!action || (!action.writes.length && !action.writesUnder.length)) return false
  const written = [...action.writes.map(w => w.path), ...action.writesUnder]
  const module = MISSING_MODULE.exec(signature)?.[1] ?? missingModule(signature)
  if (module && written.some(path => namesModule(path, module, cwdOf(ctx, later)))) return true
  // Bar the outermost frame, the script that ran (a new script meeting the same failure is the same failure).
  const frames = stackFrames(ctx.outputOf(later) ?? later.tool!.excerpt).filter(f => !f.file.startsWith('<'))
  const cwd = framesDir(ctx, later, frames)
  for (let k = 1; k < frames.length; k++) {
    const file = normalisePath(frames[k]!.file, cwd)
    if (written.some(path => mayBeUnder(file, path))) return true
  }
  return false
}

/**
 * Whether a failure names a package as a module or a package, not as a word of its text: quoted (`No module named
 * 'x'`, `from 'kagglesdk.kaggle_env'`, `Cannot find module 'x'`), or as a module path (`x.exceptions`); `requests` in
 * "Too Many Requests" or `click` in "waiting to click" is no such name.
 */
function namesPackage(signature: string, name: string): boolean {
  const pkg = name.toLowerCase().replace(/[<>=!~[@].*$/, '')
  if (pkg.length < 3) return false
  const text = signature.toLowerCase()
  for (const form of new Set([pkg, pkg.replace(/-/g, '_')])) {
    const esc = escapeRegExp(form)
    if (new RegExp(`['"\`]${esc}(?:['"\`./@]|$)|(?:^|[^\\w.-])${esc}\\.[a-z_]`).test(text)) return true
  }
  return false
}

/** An install that failed: the package manager found nothing to install, or stopped at an error. */
const INSTALL_FAILED =
  /No matching distribution|Could not find a version that satisfies|^ERROR: (?:Could not|No matching|Cannot|Failed)|^npm ERR!|ERR_PNPM|^error: could not (?:install|find)/m

/**
 * The folder a failure's relative frames hang from: the one the script its outermost frame names was run from
 * (`python svc/app.py` from the top: `File "svc/app.py"`, `File "svc/lib/util.py"`), else the one the call ran in.
 */
function framesDir(ctx: FlagContext, step: Step, frames: ReadonlyArray<{file: string}>): string | undefined {
  const first = frames[0]?.file
  const action = ctx.actions[step.index]
  const named = first !== undefined && action ? namedIn(action, first) : undefined
  const rel = first?.replace(/^\.\//, '')
  if (named === undefined || !named.endsWith(`/${rel}`)) return ctx.cwdOf(step)
  return named.slice(0, named.length - rel!.length - 1) || '/'
}

/** The folder a call ran in, as paths are compared. */
function cwdOf(ctx: FlagContext, step: Step): string | undefined {
  const cwd = ctx.cwdOf(step)
  return cwd === undefined ? undefined : normalisePath(cwd)
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k])
}

/**
 * A failed command run again with its exit status hidden from the harness, which then says it worked: masked (`X ||
 * true`, `X; true`) or printed (`X; echo "exit=$?"`). It failed the same way when it printed just what the failure
 * printed (and the status it printed is the failure's exit code), nothing it depends on having changed: a status shown
 * another way tells nothing the failure did not.
 */
function hiddenRepeat(
  ctx: FlagContext,
  step: Step,
  action: Action,
  byCore: ReadonlyMap<string, Step>,
  byPart: ReadonlyMap<string, Step>,
  hiddenFailures: ReadonlyMap<number, HiddenFailure>,
): {finding: Finding; core: string; failure: HiddenFailure} | undefined {
  const tool = step.tool!
  if (!action.core || tool.status !== 'ok') return undefined
  const hidden = hiddenStatus(shellLine(tool.arguments))
  if (!hidden) return undefined
  let core = action.core
  if (hidden.echo) {
    // Compared without the echo: `X ; echo exit=$?` is X.
    const parts = action.parts ?? []
    if (parts.length < 2 || core !== parts.join(' ; ') || !parts[parts.length - 1]!.includes('$?')) return undefined
    core = parts.slice(0, -1).join(' ; ')
  }
  // (Or the last part of a failed line whose parts all ran, when it is one command: `sleep 20; gh pr checks 42`. Not a
  // part an `&&` may have kept from running: `git diff --quiet && git diff --cached --quiet` failing at its first.)
  let same = byCore.get(core)
  if (!same && !core.includes(' ; ')) {
    const part = byPart.get(core)
    const parts = part && ctx.actions[part.index]?.parts
    if (parts && parts[parts.length - 1] === core && lastAlwaysRan(shellLine(part.tool!.arguments))) same = part
  }
  if (
    !same ||
    same.turn !== step.turn ||
    ctx.batch[same.index]! >= ctx.batch[step.index]! ||
    escalated(same) !== escalated(step)
  )
    return undefined
  const was = hiddenFailures.get(same.index) ?? {
    body: failureBody(ctx.outputOf(same) ?? ''),
    status: same.tool!.exitCode,
  }
  let body = failureBody(ctx.outputOf(step) ?? '')
  let status: number | undefined
  if (hidden.echo) {
    // The echo's line, last: the status it printed, and what came before it.
    const end = body.trimEnd()
    const cut = end.lastIndexOf('\n')
    const m = hidden.echo.exec(end.slice(cut + 1).trim())
    status = m ? Number(m[1]) : 0
    if (status === 0 || (was.status !== undefined && was.status !== status)) return undefined
    body = cut < 0 ? '' : end.slice(0, cut)
  }
  // What it printed tells how it ended only where there was something to print: a masked command that printed
  // nothing, as its failure did, may have worked (`pkill -f vite || true` after the server started).
  if (body.trim() !== was.body.trim() || (status === undefined && !was.body.trim())) return undefined
  if (!nothingChanged(ctx, same, step, errorSignature(ctx.outputOf(same), noiseOf(ctx)))) return undefined
  const how = status !== undefined ? `exit code ${status}, which it printed itself` : 'its exit status masked'
  return {
    core,
    failure: {body, status: status ?? was.status},
    finding: toolFinding(
      ctx,
      'failed-repeat',
      step,
      `retries ${describeCall(step, ctx.redact)} after it failed at step ${same.index}, and fails the same way (${how}; ${body.trim() ? 'the same output' : 'no output, as then'}); nothing it depends on changed in between`,
      0.85,
      [same.id],
    ),
  }
}

/** A failure whose status its command line hid: what it printed, less the status line, and that status if printed. */
interface HiddenFailure {
  body: string
  status: number | undefined
}

/**
 * How a command line hides its status: `|| true`, `; true` (or `:`) at its end masks it (`{}`); `; echo "exit=$?"`
 * prints it (`echo`: the line it prints, the status captured). Undefined when it hides nothing.
 */
function hiddenStatus(line: string): {echo?: RegExp} | undefined {
  if (!line.includes('true') && !line.includes(':') && !line.includes('$?')) return undefined
  const cmds = parseShell(line)
  const last = cmds[cmds.length - 1]
  if (cmds.length < 2 || !last || last.nested || last.piped || last.redirects.length || last.subshell) return undefined
  const name = commandName(last)
  if ((name === 'true' || name === ':') && last.words.length === 1 && (last.after === '||' || last.after === ';'))
    return {}
  if (name !== 'echo' || last.after !== ';' || last.words.length < 2 || last.words[1]!.startsWith('-')) return undefined
  const text = last.words.slice(1).join(' ')
  const at = text.indexOf('$?')
  // (One status, and nothing else expanded: `echo "$x: $?"` prints what aco cannot know.)
  if (at < 0 || /[$`]/.test(text.slice(0, at) + text.slice(at + 2))) return undefined
  return {
    echo: new RegExp(
      `^${escapeRegExp(text.slice(0, at).trim())}\\s*(-?\\d+)\\s*${escapeRegExp(text.slice(at + 2).trim())}$`,
    ),
  }
}

/**
 * Whether a command line's last pipeline runs whatever came before it: the line is that pipeline alone, or it follows a
 * `;` or a line break (not `&&` or `||`, which may have kept it from running).
 */
function lastAlwaysRan(line: string): boolean {
  const cmds = parseShell(line)
  let k = cmds.length - 1
  while (k > 0 && cmds[k]!.after === '|') k--
  const last = cmds[k]
  return last !== undefined && !last.nested && (last.after === '' || last.after === ';')
}

/** An output less the harness's header and Claude Code's `Exit code N` line above a failure's output. */
function failureBody(text: string): string {
  return outputBody(text).replace(/^Exit code -?\d+\n?/, '')
}

/** A failure's signature in a reason: cut, its secrets redacted first (unless the run shows them: `--no-redact`). */
function short(redact: boolean, text: string): string {
  return clip(text, 80, {redact})
}

function sameFailure(ctx: FlagContext, earlier: Step, later: Step, signature: string): boolean {
  if (ctx.batch[earlier.index]! >= ctx.batch[later.index]!) return false
  const a = earlier.tool!
  const b = later.tool!
  if (a.exitCode !== b.exitCode) return false
  if (a.outputHash !== undefined && a.outputHash === b.outputHash) return true
  if (signature === '') return false
  const before = ctx.outputOf(earlier) ?? a.excerpt ?? ''
  const was = errorSignature(before, noiseOf(ctx))
  if (was === signature) return true
  // Wrapped, the same error shows with more around it (`python -c "subprocess.run(…)"` adds its own traceback).
  const after = ctx.outputOf(later) ?? b.excerpt ?? ''
  return was !== '' && (hasLine(after, was) || hasLine(before, signature))
}

function hasLine(text: string, line: string): boolean {
  return text.split('\n').some(l => l.trim().replace(/\s+/g, ' ') === line)
}

/**
 * Whether the LLM call that issued `step` issued, before it, an edit that failed (`Edit` then `npm run build` in one
 * message, the edit refused): a fix was meant to come first. (An edit that took is a change the other rules weigh.)
 */
function failedEditSentBefore(ctx: FlagContext, step: Step): boolean {
  const b = ctx.batch[step.index]!
  for (let k = step.index - 1; k > b; k--) {
    if (ctx.batch[k] !== b) continue
    if (ctx.actions[k]?.kind === 'write' && ctx.failed[k] === 1) return true
  }
  return false
}

/** Nothing the command depends on changed between the two failures. */
function nothingChanged(ctx: FlagContext, earlier: Step, later: Step, signature: string): boolean {
  const action = ctx.actions[later.index]!
  // A wait for what is at work elsewhere to change the answer: the call's own, first (`sleep 60 && gh pr checks 42`),
  // or one in between (`sleep 5`, then the same health check), while a job left running still ran (a server
  // starting), or for an answer from elsewhere (a CI run, a remote service).
  const waited = waitBefore(ctx, later.index)
  const checksCode = action.depsCode !== undefined && !action.depsAny
  if (waited > earlier.index && ((jobAtWork(ctx, waited) && !checksCode) || REMOTE.test(action.core ?? '')))
    return false
  // A probe of what is on its way, met again not yet there: checks still pending, a rollout still waiting (an answer
  // from elsewhere), or a server or container the session started refusing connections: it comes up by itself. (Newer
  // Claude Code refuses `sleep 45 && gh pr checks`, so the wait may be the time between the calls alone.)
  // (`gh pr checks` exits 8 while checks are pending, printing nothing to a pipe: its documented code.)
  const inProgress =
    !checksCode && (IN_PROGRESS.test(signature) || (earlier.tool?.exitCode === 8 && GH_CHECKS.test(action.core ?? '')))
  // (curl says so by its exit code alone when silenced, `curl -s -o /dev/null -w "%{http_code}"` printing `000`.)
  const notUp = !checksCode && (NOT_UP.test(signature) || curlNoAnswer(earlier, action))
  if (inProgress || notUp) {
    if (inProgress && REMOTE.test(action.core ?? '')) return false
    if (jobAtWork(ctx, later.index) || startedBefore(ctx, earlier)) return false
  }
  // Processes ended in between (`kill 8812`, `pkill -f uvicorn`, `taskkill /F /PID 8812`), where what failed was
  // another process in the way (a port in use, a lock): it may be free now.
  if (HELD.test(signature) && killedBetween(ctx, earlier, later)) return false
  const from = ctx.epochAfter[earlier.index]!
  const to = ctx.epochBefore[later.index]!
  if (action.depsCode && !action.depsAny && !action.scripts.length && action.kind !== 'write') {
    // A check or build of one language's code: only a change to code it can read, or to the environment.
    if (ctx.timeline.codeChanged(action.depsCode, from, to, ctx.codeScope(action), docsBase(ctx, action, later)))
      return false
  } else if (
    action.depsAny ||
    action.opaque ||
    action.scripts.length ||
    action.kind === 'write' ||
    action.kind === 'shell'
  )
    return (
      !ctx.timeline.anyChanged(from, to, readsNoGit(action)) &&
      !ctx.timeline.scriptWritten(action.scripts, from, to, action.core)
    )
  for (const dep of action.deps) {
    if (
      dep === '(git)'
        ? ctx.timeline.gitChanged(from, to)
        : dep === '(env)'
          ? ctx.timeline.envChanged(from, to)
          : ctx.timeline.treeChanged(dep, from, to)
    )
      return false
  }
  return !ctx.timeline.envChanged(from, to)
}

/** A failure that says what it waits for is not there yet: a status still in progress… */
const IN_PROGRESS = /\bpending\b|\bin[_ ]progress\b|\bqueued\b|waiting for|health: starting|not ready/i
/**
 * curl's exit codes for a server that did not answer (yet): 7 (could not connect), 28 (timed out), 52 (empty reply), 56
 * (the connection reset).
 */
function curlNoAnswer(earlier: Step, action: Action): boolean {
  const code = earlier.tool?.exitCode
  return (code === 7 || code === 28 || code === 52 || code === 56) && CURL.test(action.core ?? '')
}
const CURL = /(?:^@\S* |[;|&] @\S* )curl\b/
/** GitHub's CLI asked for a pull request's checks. */
const GH_CHECKS = /(?:^@\S* |[;|&] @\S* )gh pr checks\b/
/** …or a service not up yet (nothing answers where it will). */
const NOT_UP =
  /no response|connection refused|failed to connect|connection reset|couldn't connect|ECONNREFUSED|\b50[23] (?:Service Unavailable|Bad Gateway)\b/i
/**
 * A call that set something going that comes up in its own time: containers, a rollout, a service, CI (`docker
 * compose up -d`, `kubectl set image`, `systemctl start`, `git push`), or a command left running (Codex's `Process
 * running with session ID`).
 */
const STARTS =
  /(?:^@\S* |[;|&] @\S* )(?:docker(?:-compose| compose)? (?:up|start|run -d|run --detach|restart)|podman (?:start|run -d)|kubectl (?:apply|create|set image|rollout restart|scale|run)|helm (?:install|upgrade)|systemctl (?:start|restart)|service \S+ (?:start|restart)|git push|gh (?:pr create|workflow run|run rerun))\b/
/** Whether such a call came shortly before the first of two failures (within `STARTED_WITHIN` ms, else calls). */
function startedBefore(ctx: FlagContext, earlier: Step): boolean {
  const at = Date.parse(earlier.startedAt ?? earlier.endedAt ?? '')
  for (let j = earlier.index - 1, seen = 0; j >= 0 && seen < STARTED_CALLS; j--) {
    const step = ctx.steps[j]!
    if (step.kind !== 'tool') continue
    seen++
    const t = Date.parse(step.endedAt ?? step.startedAt ?? '')
    if (!Number.isNaN(at) && !Number.isNaN(t) && at - t > STARTED_WITHIN) break
    if (ctx.failed[j] === 1) continue
    if (STARTS.test(ctx.actions[j]?.core ?? '') || stillRunning(step)) return true
  }
  return false
}
/** How long after a start, and how many calls, a failure may still be the thing coming up. */
const STARTED_WITHIN = 10 * 60_000
const STARTED_CALLS = 20

/** Whether a call between two steps ended processes (see `endsProcesses`). */
function killedBetween(ctx: FlagContext, earlier: Step, later: Step): boolean {
  for (let k = earlier.index + 1; k < later.index; k++) {
    const core = ctx.actions[k]?.core
    // (Not one that failed, "No such process": nothing ended.)
    if (core !== undefined && ctx.failed[k] !== 1 && endsProcesses(core)) return true
  }
  return false
}

/** A failure caused by another process: a port it holds, a lock, a file it has open, the same program running. */
const HELD =
  /EADDRINUSE|address already in use|port \d+ (?:is )?(?:already )?in use|already (?:running|in use)|is locked|lock(?:ed)? file|unable to (?:create|obtain) (?:\S+ )?lock|text file busy|resource busy|another instance/i

/** A command whose answer comes from elsewhere, and may change while the session waits (a service, a CI run). */
const REMOTE = /(?:^@\S* |[;|&] @\S* )(?:curl|wget|http|https|gh|nc|ping|kubectl|aws|gcloud|az|ssh|docker|adb)\b/

/** Whether a look reads or searches a path other than those its output reports missing. */
function looksBeyond(action: Action, missing: readonly string[]): boolean {
  for (const r of action.reads) if (!missing.includes(r.path)) return true
  for (const s of action.searches) for (const scope of s.scopes) if (!missing.includes(scope)) return true
  return false
}
