/**
 * What every waste detector needs to know about a card, computed once in one
 * pass: each tool step's action (what it read, searched and wrote), whether
 * it failed, the state of the session's files at each step (a timeline of
 * writes, so a detector can tell whether an earlier result still holds for
 * the files it depends on), which LLM call issued each step (calls issued
 * together are judged only against what came before them), where the context
 * was compacted, and the price of carrying a tool result as context in the
 * LLM calls that follow it.
 */
import {
  argumentsText,
  asidesOf,
  outsideEdits,
  type PromptNote,
  promptNote,
  promptTokens,
  toolArguments,
  toolOutput,
  toolOutputFacts,
} from '../card/build.js'
import {
  CAUGHT_FAILURE,
  GIT_ABORTED,
  PARSE_ERROR,
  POWERSHELL_ERROR,
  CMD_BANNER,
  REGEX_FAILED,
  regexFailed,
  onlyCmdBanner,
  reportsPowerShellError,
  gitAborted,
  harnessHeaderEnd,
  COMMAND_NOT_FOUND,
  missingPaths,
  JS_STACK,
  NO_HITS,
  NO_TOOL_USES_REPORTED,
  noHits,
  noOutputNote,
  type OutputFacts,
  endsInJsStack,
  outputText,
  programsNotFound,
  reportsCaughtFailure,
  reportsCommandNotFound,
  reportsParseError,
  reportsNoToolUses,
  reminderAt,
  SHOWS_FAILURE,
  type Shown,
  showsFailure,
  shownOf,
  viewerFile,
} from '../card/output-facts.js'
import type {Step, ToolCall, TraceCard} from '../card/types.js'
import {classify, nameSearch, shellLine, toolName} from './actions.js'
import {CHARS_PER_TOKEN} from './chars-per-token.js'
import {codeEffects} from './code.js'
import {classifyShell, patchFiles} from './commands.js'
import {
  ANYWHERE,
  type Action,
  type CodeScope,
  type FileWrite,
  floatingPath,
  isTemp,
  isUnder,
  joinsWorkspace,
  type Lang,
  LOG_FILE,
  manifestLang,
  mutates,
  namedIn,
  normalisePath,
  readsProse,
  type Reported,
  UNKNOWN_CWD,
} from './effects.js'
import {
  lessIgnoreGlobErrors,
  mergedPaths,
  missingTool,
  neverStarted,
  noHitsBeside,
  noiseLines,
  syntaxError,
  unmatchedWords,
  withoutStartupErrors,
} from './output.js'
import {matchesLine} from './patterns.js'
import {parseShell} from './shell.js'
import {type BeforeContent, hasWrites, type StepWrites, Timeline} from './timeline.js'
import {isoMs} from '../util/time.js'

export {CHARS_PER_TOKEN}

/** A prompt that falls below this share of the largest one before it: the context was compacted there… */
const COMPACTION_SHARE = 0.7
/**
 * …unless, within a few calls, a prompt is back to this share of it at one jump (the small ones were requests on the
 * side: a review, a title, a summary for a person, after which the conversation went on whole).
 */
const REBOUND_SHARE = 0.9
/** …back to this share after more than one call on the side. */
const SIDE_REBOUND_SHARE = 0.97
/** How many calls on the side a request may take. */
const SIDE_CALLS = 16

/** The prompt tokens of the first LLM call after step `i` that records any (NaN when none does). */
function rebounds(steps: readonly Step[], i: number, largest: number): boolean {
  let previous = promptTokens(steps[i]!)
  let calls = 0
  for (let k = i + 1; k < steps.length && calls < SIDE_CALLS; k++) {
    const step = steps[k]!
    if (step.kind !== 'llm') continue
    const p = promptTokens(step)
    if (p <= 0) continue
    // (After several, the conversation goes on whole: as large as it was. A context regrown after a compaction rarely is.)
    if (p >= largest * (calls === 0 ? REBOUND_SHARE : SIDE_REBOUND_SHARE)) return p >= 2 * previous
    previous = p
    calls++
  }
  return false
}

/** A write made by another card of the same session (a subagent, a parallel sibling), placed by time. */
export interface ForeignWrite {
  time: number
  writes: StepWrites
}

export interface FlagContext {
  readonly card: TraceCard
  readonly steps: readonly Step[]
  readonly byId: ReadonlyMap<string, Step>
  /** Per step: the index of the LLM call that issued it (-1 when that call is not in the card). */
  readonly parentIndex: Int32Array
  /** The action of each tool step (by step index). */
  readonly actions: ReadonlyArray<Action | undefined>
  /** What each tool step may have changed (by step index; scripts read from their content). */
  readonly writes: ReadonlyArray<StepWrites | undefined>
  /** The timeline epoch before and after each step: equal values mean nothing changed in between. */
  readonly epochBefore: Int32Array
  readonly epochAfter: Int32Array
  /** The session's files over time. */
  readonly timeline: Timeline
  /** Whether what the flags' reasons quote is redacted (the run's `--redact`). */
  readonly redact: boolean
  /** Per step: a small integer naming the call (tool and normalised arguments); equal numbers = the same call. -1 for LLM steps. */
  readonly callKey: Int32Array
  /** Per tool step: 1 when the call failed (an error status, or a failure its exit code hid). */
  readonly failed: Uint8Array
  /** Per step: the index of the LLM call that issued it (its own index for an LLM step or a step without one). */
  readonly batch: Int32Array
  /** Per step: how many times the context had been compacted when its LLM call ran. */
  readonly compaction: Int32Array
  /** Per step: its time in ms (`timeOf`: its end, else its start), NaN when unknown; read once. */
  readonly times: Float64Array
  /**
   * The tool steps that carry a call (each with its action), by step index, in order. A detector that reads only tool
   * calls goes through these, and loads a step only once its action is one it reads: over the bench's 100,000 steps a
   * loop that loaded every step and its action took 11 ms alone, one over these 6 ms. (The whole pass: 0.985x the time
   * over twelve pairs, within the noise of a machine whose load moved single runs by 40%.)
   */
  readonly tools: Int32Array
  /** The directory a tool step ran in. */
  cwdOf(step: Step): string | undefined
  /** The output the model saw, when the card was built in this process. */
  outputOf(step: Step): string | undefined
  /** What a tool step's output showed (computed on first use). */
  shown(step: Step): Shown | undefined
  /** Whether a step that ran one search printed that nothing matched. */
  foundNothing(step: Step): boolean
  /**
   * The step whose whole-file write left every file this step writes whole with just the content it writes, nothing
   * having changed them since (the same file written again, word for word): undefined for any other step.
   */
  rewrote(step: Step): Step | undefined
  /** The paths (resolved) a failed step's output, or a short one's, reports missing. */
  missingIn(step: Step): readonly string[]
  /** The cost of carrying `tokens` as context in the LLM calls after step `index`, and in how many calls. */
  carry(index: number, tokens: number): {usd: number; calls: number}
  /** The share of the issuing LLM call's cost that one of its tool calls accounts for. */
  ownShare(step: Step): {llm?: Step; usd: number}
  /** Estimated tokens of a tool step's result. */
  outputTokens(step: Step): number
  /** Where a check of code ran, when that folder is a project of its own (see `CodeScope`); undefined otherwise. */
  codeScope(action: Action): CodeScope | undefined
}

/**
 * Formats whose shell tool starts every command in the session's folder, a process of its own (a `cd` does not carry
 * to the next call), and whose file tools' relative paths hang from that same folder.
 */
const FRESH_SHELL: ReadonlySet<string> = new Set(['gemini-cli', 'codex', 'mini-swe-agent'])

/**
 * Builds the context of one card. `foreign` are writes other cards of the
 * same session made (placed between this card's steps by time); `children`
 * are the ids of subagent cards present, whose writes come through `foreign`
 * (a Task step whose subagent is absent may have written anything).
 */
export function buildContext(
  card: TraceCard,
  foreign: readonly ForeignWrite[] = [],
  children: ReadonlySet<string> = new Set(),
  /** Only the card's writes are wanted (a session's first pass): what its looks showed is not kept. */
  writesOnly = false,
  /** Redact what the flags' reasons quote (the run's `--redact`). */
  redact = true,
  /** The contents writes before its first step left known (see Timeline's `before`); `foreign` then holds only later ones. */
  before?: (path: string) => BeforeContent | undefined,
  /**
   * What each step does, as a context of this card already read it (a session's first pass): what a call does depends
   * on the call, its output and where it ran, never on other cards' writes, so it is not classified twice.
   */
  given?: ReadonlyArray<Action | undefined>,
): FlagContext {
  const steps = card.steps
  const n = steps.length
  // Steps by id, built only when a lookup needs it (most parents are the LLM call just before).
  let byIdMap: Map<string, Step> | undefined
  const byId = (): Map<string, Step> => {
    if (!byIdMap) {
      byIdMap = new Map()
      for (const step of steps) byIdMap.set(step.id, step)
    }
    return byIdMap
  }
  /** Per step: the index of the LLM call that issued it, -1 when none is in the card. */
  const parentIndex = new Int32Array(n).fill(-1)
  const actions: Array<Action | undefined> = new Array(n)
  const tools = new Int32Array(n)
  let toolCount = 0
  const writes: Array<StepWrites | undefined> = new Array(n)
  const epochBefore = new Int32Array(n)
  const epochAfter = new Int32Array(n)
  const callKey = new Int32Array(n).fill(-1)
  const failed = new Uint8Array(n)
  const shownCache: Array<Shown | null | undefined> = new Array(n)
  const foundNothing = new Uint8Array(n)
  // (See `rewrote`.) Per file, the step that last wrote it whole; per step, the one it wrote again word for word.
  const wholeBy = new Map<string, number>()
  const rewrites = new Map<number, number>()
  const missing: Array<readonly string[] | undefined> = []
  const batch = new Int32Array(n)
  const compaction = new Int32Array(n)
  const times = new Float64Array(n)
  const calls = new Map<string, number>()
  // The same call (by name and arguments) in the same place is classified once.
  const classified = new Map<string, Action>()
  const byKey: Array<Action | undefined> = []
  const timeline = new Timeline(before)
  const staticWrites = new Map<Action, StepWrites>()
  const cwd = card.cwd
  // No record names the session's folder: a harness that starts each command afresh where its file tools' relative
  // paths hang runs it in that folder (UNKNOWN_CWD), so `sed -n 5p a.py` and a read_file of `a.py` read one file. What
  // such a command writes by a relative path still floats (see ANYWHERE): the file tools may name the same file whole.
  const unnamed = cwd === undefined && FRESH_SHELL.has(card.source.format)
  let openFile: string | undefined
  const swe = card.source.format === 'swe-agent'
  /** What a tool call does (see `classify`), from its arguments, its output and where it ran. */
  const actionOf = (
    step: Step,
    tool: ToolCall,
    key: number,
    site: string | undefined,
    output: string | undefined,
    facts: OutputFacts | undefined,
  ): Action => {
    // The shell stopped at a syntax error (a quote never closed, prose in the command): from that line on, nothing ran.
    const stop = tool.status === 'error' ? syntaxError(output ?? tool.excerpt) : undefined
    // zsh read a path through `(group)` as a pattern and ran nothing: the path is one word, not a subshell.
    const unmatched = unmatchedWords(output ?? tool.excerpt)
    // Programs the shell could not find ran nothing.
    // (127 and 126: the shell found no program by that path, or one it may not run.)
    const absent =
      facts && !(facts.bits & COMMAND_NOT_FOUND) && tool.exitCode !== 127 && tool.exitCode !== 126
        ? undefined
        : programsNotFound(output ?? tool.excerpt)
    // Where it ran (and, for SWE-agent, which file was open) is part of what a call means.
    let action: Action | undefined
    if (stop || unmatched || absent) action = classify(step, {cwd: site, openFile, stop, unmatched, absent})
    else if (!swe && step.cwd === undefined) {
      // The call alone: its key names it.
      action = byKey[key]
      if (!action) {
        action = classify(step, {cwd: site, openFile})
        byKey[key] = action
      }
    } else {
      const cacheKey = swe
        ? `${tool.argsHash}\u0000${site ?? ''}\u0000${openFile ?? ''}`
        : `${tool.argsHash}\u0000${site}`
      action = classified.get(cacheKey)
      if (!action) {
        action = classify(step, {cwd: site, openFile})
        classified.set(cacheKey, action)
      }
    }
    // Gemini's read_many_files: what it read is what its output shows, file by file (globs in its paths, files its
    // ignore rules or size left out); a file it cut is not read whole.
    if (output !== undefined && MANY_FILES.test(tool.name) && tool.status !== 'error') {
      const shown = filesShown(output)
      if (shown.length)
        action = {
          ...action,
          kind: 'read',
          opaque: false,
          reads: shown.map(p => ({path: normalisePath(p, site)})),
          deps: shown.map(p => normalisePath(p, site)),
        }
    }
    // GitHub Copilot CLI's `view` of a folder prints its entries, one name a line, where a file's lines come numbered
    // (`1. text`): a listing of the folder, not a read of a file (fresh254: a grep over `src` after `view src` had been
    // called a re-read of "the file" src).
    if (
      output !== undefined &&
      tool.name === 'view' &&
      card.source.format === 'copilot-cli' &&
      action.kind === 'read' &&
      action.reads.length === 1 &&
      !action.reads[0]!.range &&
      tool.status !== 'error' &&
      output.trim() !== '' &&
      !/^\s*\d+(?:\. |\t)/.test(output)
    ) {
      const dir = action.reads[0]!.path
      action = {
        ...action,
        kind: 'list',
        reads: [],
        searches: [{...nameSearch([dir]), depth: 1, listing: true}],
        deps: [dir],
      }
    }
    // A write whose result prints the file as it now stands (Cline's `<final_file_content path="…">`, the agent's text
    // with a formatter's or a person's edits in it): that is the whole content it left.
    if (output !== undefined && action.kind === 'write' && tool.status !== 'error' && output.includes(FINAL_CONTENT)) {
      const finals = finalContents(output)
      if (finals.length)
        action = {
          ...action,
          writes: action.writes.map(w => {
            const f = finals.find(x => normalisePath(x.path, site) === w.path)
            return f ? {path: w.path, content: f.content} : w
          }),
        }
    }
    return action
  }
  let nextForeign = 0
  /**
   * What goes on in the background while the session does other things: async agents whose cards are absent, and
   * commands still running after their call returned (see `Background`).
   */
  const running = new Background()
  /**
   * The lines successful outputs print that read like errors (a login shell's profile refused by the sandbox): from
   * the first lines of every output the card's tools reported ok, read once, when a search's "no match" needs them.
   */
  let noise: ReadonlySet<string> | undefined
  const sessionNoise = (): ReadonlySet<string> => {
    if (!noise) {
      const excerpts: string[] = []
      for (const step of steps) if (step.tool?.status === 'ok' && step.tool.excerpt) excerpts.push(step.tool.excerpt)
      noise = noiseLines(excerpts)
    }
    return noise
  }
  /** Where each command still running when its call returned is seen to end (see `runningEnds`). */
  const ends = runningEnds(steps)
  /** Async agents launched, by id: whether each may write. */
  const agents = new Map<string, boolean>()
  let compactions = 0
  let largestPrompt = 0
  /** The reasoning tokens generated in the current turn so far. */
  let turnReasoning = 0
  /** What the agent last wrote whole of each file (no other write since), to tell a change made outside the session. */
  const ownWhole = new Map<string, string>()
  /**
   * What the session last showed whole of each file, nothing having changed it since: the agent's whole writes, and a
   * whole Read (its text read from the output when an edit asks, see `wholeEdit`).
   */
  const knownWhole = new Map<string, string | (() => string | undefined)>()
  const dropsReasoning = card.source.format === 'codex'
  let lastLlm: Step | undefined
  /** When the last step before this one ended (ms), NaN before any. */
  let lastTime = Number.NaN
  /** Per set of manifests a sync followed, the epoch after it last ran. */
  const lastSync = new Map<string, number>()
  // Commands whose output came in later calls that polled them (Codex's write_stdin): their output is all of it.
  const continued = continuations(steps)
  const outputOfStep = (step: Step): string | undefined => {
    const polls = continued?.get(step.index)
    return polls ? wholeOutput(step, polls) : detailOutput(step)
  }
  /** The session's projects, found when a check first asks (see `codeScope`). */
  let projects: ReturnType<typeof sessionProjects> | undefined
  const scopes = new Map<string, CodeScope>()

  const outside = outsideEdits(card)
  for (let i = 0; i < n; i++) {
    const step = steps[i]!
    const t = timeOf(step)
    times[i] = t
    // Writes other cards made before this step.
    if (nextForeign < foreign.length) {
      if (!Number.isNaN(t))
        while (nextForeign < foreign.length && foreign[nextForeign]!.time <= t)
          timeline.apply(foreign[nextForeign++]!.writes)
    }
    // An agent of its own still at work in the background (its card absent) may have written anything since.
    // (Each was at work after the last tool step started: it is let go at the first step to start after it finished.)
    if (running.size && step.kind === 'tool') running.step(timeline, i, startOf(step))
    // The first step of a person's next turn starting long after the last one ended: the session sat idle.
    if (i > 0 && step.turn !== steps[i - 1]!.turn && awayBetween(lastTime, startOf(step))) timeline.apply(AWAY)
    // Files the harness told the agent were changed outside it (a person's editor, a formatter).
    const edited = outside?.get(i)
    if (edited)
      timeline.apply({
        writes: edited.map(p => ({path: normalisePath(p, cwd)})),
        under: [],
        any: false,
        env: false,
        git: false,
      })
    if (!Number.isNaN(t)) lastTime = t
    epochBefore[i] = timeline.now
    if (step.kind === 'llm') {
      // A person's next turn in Codex: OpenAI's reasoning models drop the reasoning of the turns before from the
      // prompt, which Codex counts in it within a turn. A prompt that still holds most of the rest is no compaction:
      // the conversation goes on whole, without it. (Gemini's thoughts are never in a prompt; Claude Code counts none.)
      if (lastLlm && lastLlm.turn !== step.turn) {
        if (dropsReasoning) largestPrompt = Math.max(0, largestPrompt - turnReasoning)
        turnReasoning = 0
      }
      turnReasoning += step.tokens?.reasoning ?? 0
      lastLlm = step
      batch[i] = i
      const p = promptTokens(step)
      // The source recorded a compaction before this call: the context starts again from its summary.
      if (step.compacted) {
        compactions++
        largestPrompt = p
      } else if (p > 0) {
        if (largestPrompt > 0 && p < largestPrompt * COMPACTION_SHARE) {
          // Calls far smaller, and then one as large as the context was: requests on the side, no compaction.
          if (!rebounds(steps, i, largestPrompt)) {
            compactions++
            largestPrompt = p
          }
        } else largestPrompt = Math.max(largestPrompt, p)
      }
      compaction[i] = compactions
      epochAfter[i] = timeline.now
      continue
    }
    // The issuing LLM call is nearly always the latest one: a string comparison before a lookup.
    const parentId = step.parentStepId
    const parent = !parentId ? undefined : lastLlm?.id === parentId ? lastLlm : byId().get(parentId)
    if (parent) parentIndex[i] = parent.index
    batch[i] = parent && parent.index < i ? parent.index : i
    compaction[i] = compactions
    const tool = step.tool
    if (!tool) {
      epochAfter[i] = timeline.now
      continue
    }
    // argsHash covers the tool's name too; a call run in another folder than the card's (a `cd` the agent's shell kept:
    // SWE-agent's working_dir, Claude Code's record cwd) is another call.
    const id = step.cwd === undefined ? tool.argsHash : `${tool.argsHash}\u0000${step.cwd}`
    let key = calls.get(id)
    if (key === undefined) {
      key = calls.size
      calls.set(id, key)
    }
    callKey[i] = key
    const site = step.cwd ?? cwd ?? (unnamed && shellLine(tool.arguments) ? UNKNOWN_CWD : undefined)
    // Outputs are looked up when needed, not held for the whole card (they are kept packed: see card/build.ts).
    // A packed output's facts were read when the card was built: it is not unpacked here.
    const facts = continued?.has(i) ? undefined : toolOutputFacts(tool)
    const output = facts ? undefined : outputOfStep(step)
    const action = given?.[i] ?? actionOf(step, tool, key, site, output, facts)
    actions[i] = action
    tools[toolCount++] = i
    failed[i] = isFailure(step, action, output, facts, sessionNoise) ? 1 : 0
    // What a read or a search showed, while its output is at hand (unpacking it again later costs more than this).
    if (!writesOnly && (action.reads.length || action.searches.length)) {
      shownCache[i] = (facts ? facts.shown : shownOf(output)) ?? null
      if (
        action.searches.length === 1 &&
        (facts
          ? facts.bits & NO_HITS
          : output !== undefined &&
            (noHits(output) ||
              (tool.exitCode === 1 && noHitsBeside(output, sessionNoise())) ||
              (tool.exitCode === 2 && failed[i] !== 1 && noHitsLessIgnoreGlobErrors(output))))
      )
        foundNothing[i] = 1
    }
    // The paths a failure, or a short output, reports missing (`tree d || find d` exits 0 and says so).
    if (!writesOnly && (failed[i] === 1 || (tool.outputChars ?? 0) < MISSING_CHECKED_BELOW)) {
      const paths = facts ? (facts.missing ?? NO_PATHS) : missingPaths(output ?? tool.excerpt)
      // (Relative to where the command ran: a Codex call's workdir, a `cd` before it.)
      if (paths.length) missing[i] = paths.map(p => missingAt(action, p, step.cwd ?? cwd))
      // A file tool's own refusal names no path (Claude Code's Read or Edit: "File does not exist."): its one file.
      else if (failed[i] === 1 && NO_SUCH_FILE_TOOL.test(tool.excerpt ?? '')) {
        const file =
          action.reads.length === 1
            ? action.reads[0]!.path
            : action.targets.length === 1
              ? action.targets[0]
              : undefined
        if (file) missing[i] = [file]
      }
    }
    if (swe)
      openFile = sweOpenFile(step, action, facts ? facts.file : output ? viewerFile(output) : undefined, openFile, site)
    // A change made outside the session (a person reverting files) that this call shows: it happened before it.
    if (ownWhole.size) {
      const outside = changedOutside(action, failed[i] === 1, output ?? tool.excerpt, ownWhole, ranIn(action) ?? site)
      if (outside.length) {
        timeline.apply({writes: outside.map(path => ({path})), under: [], any: false, env: false, git: false})
        epochBefore[i] = timeline.now
        for (const path of outside) {
          ownWhole.delete(path)
          knownWhole.delete(path)
        }
      }
    }
    let w = stepWrites(step, action, output, facts, failed[i] === 1, timeline, children, staticWrites)
    if (w && site === UNKNOWN_CWD) w = floated(w)
    // A folder written below whose files the output names: those files (a small output, unpacked if it was packed).
    if (w && action.reported && failed[i] !== 1)
      w = withReported(w, action.reported, output ?? outputOfStep(step), ranIn(action) ?? site)
    // A merge or a pull that says which files it changed: those files, not the whole work tree.
    if (w && failed[i] !== 1 && w.under.includes('/') && action.parts?.some(isMerge))
      w = withMerged(w, action, output ?? outputOfStep(step), ranIn(action) ?? site)
    // A sync from manifests (`npm install`, `uv sync`, `uv run`) run again with none of them changed and nothing else
    // installed since it last ran: it installed nothing.
    const syncKey = action.syncs && failed[i] !== 1 ? syncKeyOf(action) : undefined
    if (w && syncKey !== undefined) {
      const last = lastSync.get(syncKey)
      if (last !== undefined && syncIdle(timeline, action, last)) w = withoutSync(w, action.syncs!)
    }
    // An install or a sync whose installer reported it installed, removed and changed nothing (`Audited 21 packages`,
    // `up to date, audited 120 packages`, every requirement already satisfied): the environment is as it was.
    // (Not inferred from a report's absence: `uv run X` printing no install line was tried, and called a build's cache
    // outputs no change where a labeller counted them one.)
    // (Only a short output is unpacked for it: an installer that installed nothing says so in a few lines, and
    // unpacking every install's long log cost the detectors' bench half as much time again.)
    if (
      w?.env &&
      failed[i] !== 1 &&
      (action.installs || action.syncs) &&
      (tool.outputChars ?? 0) <= NOTHING_INSTALLED_MAX &&
      installsAlone(action)
    ) {
      const said = output ?? outputOfStep(step)
      if (said !== undefined && installedNothing(said)) w = withoutSync(w, action.syncs ?? [])
    }
    // An edit whose old text is the whole file as the session last showed it, nothing having changed it since: it wrote
    // the file whole again, its new text (Claude Code's Edit of a small file, every line its old_string).
    if (w && knownWhole.size && failed[i] !== 1) w = wholeEdit(w, step, knownWhole)
    // An async agent launched: whether it may write (a read-only one, or one whose card is here, adds nothing).
    if (action.kind === 'task' && tool.background) {
      const id = ASYNC_AGENT_ID.exec(tool.excerpt ?? '')?.[1]
      if (id) agents.set(id, w !== undefined)
    }
    // The background shell Claude Code ran the call in, as its answer names it (what stops it names it too).
    const shell = tool.background ? BACKGROUND_SHELL.exec(tool.excerpt ?? '')?.[1] : undefined
    if (w) {
      writes[i] = w
      // A file written whole with the content it already holds, as the agent last wrote it whole: a write that changes
      // nothing (the same heredoc again under another delimiter, a Write of the same text).
      // (By the same tool: a shell's relative path and a file tool's absolute one meet only where aco knows the shell's
      // folder, which a `cd` it missed moves: ccviewer-fe5e's heredocs wrote new files where its Writes had been.)
      const again = failed[i] !== 1 ? sameWholeWrite(w, timeline, wholeBy, epochAfter, missing) : undefined
      if (again !== undefined && steps[again]!.tool?.name === tool.name) rewrites.set(i, again)
      timeline.apply(w)
      noteWhole(wholeBy, w, failed[i] === 1, () => i)
      noteWhole(ownWhole, w, failed[i] === 1, content => content)
      noteWhole(knownWhole, w, failed[i] === 1, content => content)
      // An async agent (launched, or resumed by SendMessage: not one known to write nothing) writes while the session
      // goes on, until the harness says it finished (else to the end).
      const resumed = tool.name === 'SendMessage' ? resumedAgent(tool.arguments) : undefined
      if (
        (action.kind === 'task' ||
          (tool.name === 'SendMessage' && (resumed === undefined || agents.get(resumed) !== false))) &&
        tool.background &&
        failed[i] !== 1
      ) {
        // (By its id, as a TaskOutput that saw it end names it.)
        const agent = resumed ?? ASYNC_AGENT_ID.exec(tool.excerpt ?? '')?.[1]
        running.add({until: finishedBy(tool), untilStep: n, writes: w, shell: agent})
      } else if (failed[i] !== 1) {
        // A command still running when its call returned (Codex's unified exec) goes on writing what it writes, its
        // outputs, until a poll sees it end.
        const polled = ends.get(i)
        if (polled !== undefined)
          running.add({
            until: Number.POSITIVE_INFINITY,
            untilStep: polled,
            writes: {...w, ongoing: 'output', runningOf: [i]},
          })
        else if (action.detached) {
          // Sent to the background (`nohup job > job.log &`, `tmux new-session -d`), with nothing to say how long it
          // runs: only what the command left running is seen to write (not what ran before it and ended, nor
          // anything a program aco cannot see into might: a server left listening), to the end of the session.
          const logs = w.writes.filter(x => x.background && x.log)
          let outputs = w.writes.filter(x => x.background && !x.log)
          let under = w.under.filter(u => action.backgroundUnder?.includes(u))
          // A job seen to write nothing (its log a temporary file) writes where the line made room for it: `rm -rf
          // test-results; mkdir -p test-results; playwright test > /tmp/run.log &`.
          if (!logs.length && !outputs.length && !under.length) {
            outputs = w.writes.filter(x => !x.log)
            under = w.under
          }
          const job = {...w, any: false, env: false, git: false, away: false, built: undefined}
          const core = JSON.stringify(tool.arguments ?? '')
          if (logs.length)
            running.add({
              until: Number.POSITIVE_INFINITY,
              untilStep: n,
              writes: {...job, writes: logs, under: [], ongoing: 'log'},
              core,
            })
          if (outputs.length || under.length)
            running.add({
              until: Number.POSITIVE_INFINITY,
              untilStep: n,
              writes: {...job, writes: outputs, under, ongoing: 'output'},
              core,
            })
        } else if (stillRunning(step)) {
          // Still running when its call returned, and no poll saw it end (Codex's unified exec: `python backfill.py >
          // logs/backfill.log`, its log tailed later): what it logs, it may go on logging to the end of the session.
          // (Only its logs: a long-running command's other outputs are not what a later look depends on. Its
          // temporary files are below, with those of every command left running.)
          const logs = w.writes.filter(x => x.log || LOG_FILE.test(x.path))
          if (logs.length)
            running.add({
              until: Number.POSITIVE_INFINITY,
              untilStep: n,
              writes: {...w, writes: logs, under: [], any: false, env: false, git: false, ongoing: 'log'},
              core: JSON.stringify(tool.arguments ?? ''),
            })
        } else if (tool.background && action.kind !== 'task') {
          // A shell command Claude Code ran in the background (`run_in_background`: `python worker.py >
          // logs/worker.log`): what it writes, it writes while it runs, until the harness says it finished or a call
          // stopped it.
          const until = finishedBy(tool)
          const job = {...w, any: false, env: false, git: false, away: false, built: undefined}
          // (A log it writes, `npm run dev > dev.log`, changes no code, git's state or the project's other files.)
          const logs = w.writes.filter(x => x.log || LOG_FILE.test(x.path))
          const outputs = w.writes.filter(x => !logs.includes(x))
          for (const [writes, under, ongoing] of [
            [logs, [] as string[], 'log'],
            [outputs, w.under, 'output'],
          ] as const)
            if (writes.length || under.length)
              running.add({
                until,
                untilStep: n,
                writes: {...job, writes, under, ongoing},
                core: JSON.stringify(tool.arguments ?? ''),
                shell,
              })
        }
      }
    }
    // The file Claude Code writes a background command's output to, as its answer names it ("Output is being written
    // to: /private/tmp/claude-501/…/tasks/b72pgby14.output"): written until the harness says the command finished.
    const harnessLog = tool.background && failed[i] !== 1 ? HARNESS_LOG.exec(tool.excerpt ?? '')?.[1] : undefined
    if (harnessLog) {
      running.add({
        until: finishedBy(tool),
        untilStep: printedOnceAt(steps, i, harnessLog) ?? n,
        // (As a read names it: `C:\Users\…\tasks\x.output` is the `/c/Users/…` a `cat` of it reads, fresh144.)
        writes: {
          writes: [{path: normalisePath(harnessLog, step.cwd ?? card.cwd)}],
          under: [],
          any: false,
          env: false,
          git: false,
          ongoing: 'log',
        },
        core: JSON.stringify(tool.arguments ?? ''),
        shell,
      })
    }
    // A background shell stopped (`KillShell`, `TaskStop`) or seen ended (a `BashOutput` saying so) writes no more.
    const stopped = running.size ? stoppedShell(tool, failed[i] === 1) : undefined
    if (stopped !== undefined) running.stop(stopped)
    // A temporary file a command left running writes (`nohup npm run dev > /tmp/dev.log 2>&1 &`, the same line run in
    // the background by Claude Code, or one still running when Codex's call returned): it goes on writing it until the
    // command is seen to end (to the end of the session when nothing says so): a read of it is not the one before. (Not
    // a script it wrote whole, `cat > /tmp/q.py <<EOF`: that is written once.)
    const bash = tool.background !== undefined && action.kind !== 'task'
    const runsOn = !action.detached && !bash && stillRunning(step)
    const logs =
      failed[i] !== 1 && (action.detached || bash || runsOn)
        ? action.scratch?.filter(x => (action.detached ? x.background : x.content === undefined))
        : undefined
    if (logs?.length)
      running.add({
        until: bash ? finishedBy(tool) : Number.POSITIVE_INFINITY,
        untilStep: runsOn ? (ends.get(i) ?? n) : n,
        writes: {
          writes: logs.map(x => ({path: x.path})),
          under: [],
          any: false,
          env: false,
          git: false,
          ongoing: 'log',
        },
        core: JSON.stringify(tool.arguments ?? ''),
        shell: bash ? shell : undefined,
      })
    // `pkill -f 'python train.py'`, `killall node`, `tmux kill-server`: the jobs it names end.
    if (running.size && failed[i] !== 1 && KILLER.test(action.core ?? ''))
      running.kill(JSON.stringify(tool.arguments ?? ''))
    if (syncKey !== undefined) lastSync.set(syncKey, timeline.now)
    if (action.scratch && failed[i] !== 1) timeline.scratch(action.scratch)
    // A whole file a Read tool printed (numbered, uncut, from line 1): its content, for an edit of all of it later.
    const shown = shownCache[i]
    if (
      failed[i] !== 1 &&
      action.kind === 'read' &&
      action.reads.length === 1 &&
      !action.reads[0]!.range &&
      !action.parts &&
      shown?.numbered?.length === 1 &&
      shown.numbered[0]![0] === 1 &&
      !shown.elided
    )
      knownWhole.set(action.reads[0]!.path, () => wholeRead(outputOfStep(step)))
    epochAfter[i] = timeline.now
  }

  // LLM calls in order, their prompt sizes and blended per-token prompt rates.
  const llm: number[] = []
  for (let i = 0; i < n; i++) if (steps[i]!.kind === 'llm') llm.push(i)
  const prompt = llm.map(i => promptTokens(steps[i]!))
  const rate = llm.map((i, k) => {
    const cost = steps[i]!.cost
    const p = prompt[k]!
    if (!cost || cost.usd === null || p <= 0) return 0
    return (cost.inputUsd ?? cost.usd) / p
  })
  const prefix = [0]
  for (const r of rate) prefix.push(prefix[prefix.length - 1]! + r)
  // The first later call whose prompt is smaller: the context was compacted or reset there.
  const reset = new Array<number>(llm.length).fill(llm.length)
  const stack: number[] = []
  for (let k = 0; k < llm.length; k++) {
    while (stack.length && prompt[k]! < prompt[stack[stack.length - 1]!]!) reset[stack.pop()!] = k
    stack.push(k)
  }
  // For each step index, the position (in `llm`) of the first LLM call after it.
  const nextLlm = new Array<number>(n)
  for (let i = n - 1, k = llm.length; i >= 0; i--) {
    nextLlm[i] = k
    if (steps[i]!.kind === 'llm') k--
  }

  return {
    card,
    steps,
    get byId() {
      return byId()
    },
    parentIndex,
    actions,
    writes,
    epochBefore,
    epochAfter,
    timeline,
    redact,
    callKey,
    failed,
    batch,
    compaction,
    times,
    tools: tools.subarray(0, toolCount),
    cwdOf(step) {
      const action = actions[step.index]
      return (action && ranIn(action)) ?? step.cwd ?? cwd
    },
    outputOf(step) {
      return outputOfStep(step)
    },
    shown(step) {
      const cached = shownCache[step.index]
      if (cached !== undefined) return cached ?? undefined
      const facts = step.tool && !continued?.has(step.index) ? toolOutputFacts(step.tool) : undefined
      const s = facts ? facts.shown : shownOf(outputOfStep(step))
      shownCache[step.index] = s ?? null
      return s
    },
    missingIn(step) {
      return missing[step.index] ?? NO_PATHS
    },
    foundNothing(step) {
      return foundNothing[step.index] === 1
    },
    rewrote(step) {
      const k = rewrites.get(step.index)
      return k === undefined ? undefined : steps[k]
    },
    carry(index, tokens) {
      const k0 = nextLlm[index] ?? llm.length
      if (k0 >= llm.length || tokens <= 0) return {usd: 0, calls: 0}
      const end = reset[k0]!
      return {usd: tokens * (prefix[end]! - prefix[k0]!), calls: end - k0}
    },
    ownShare(step) {
      const p = parentIndex[step.index] ?? -1
      const parent = p === -1 ? undefined : steps[p]
      // (Less what the call paid to write the prompt cache: a cache rebuilt after it expired, or extended with what came
      // before, is the next call's to read whatever this step did; a new user's trial: a re-read of a 493-character
      // file had been $1.03, the call's rewrite of 164,811 cached tokens.)
      const usd = Math.max(0, (parent?.cost?.usd ?? 0) - (parent?.cost?.cacheWritePremiumUsd ?? 0))
      return {llm: parent, usd: usd / Math.max(1, parent?.toolStepIds?.length ?? 1)}
    },
    outputTokens(step) {
      return Math.round((step.tool?.outputChars ?? 0) / CHARS_PER_TOKEN)
    },
    codeScope(action) {
      const dirs = action.codeDirs
      const dir = dirs?.[0]
      if (!dir || !action.depsCode || dirs.some(d => d !== dir)) return undefined
      projects ??= sessionProjects(steps, actions)
      if (projects.workspace || !action.depsCode.some(l => projects!.roots.get(dir)?.has(l))) return undefined
      // One scope per folder, asked for by every check run there.
      const kept = scopes.get(dir)
      if (kept) return kept
      const scope = {dir, projects: [...projects.roots.keys()].filter(r => r !== dir)}
      scopes.set(dir, scope)
      return scope
    },
  }
}

/**
 * The session's project folders (those holding a manifest it read, wrote or named: `frontend/package.json`,
 * `backend/go.mod`), and whether anything joins projects into a workspace: a workspace file (`pnpm-workspace.yaml`,
 * `go.work`), a package manager's workspace option, or a manifest that lists workspaces or depends on another project
 * (`"workspaces"`, `workspace:*`, Cargo's `[workspace]`; by its path: `file:../shared`, Cargo's `path = "../core"`,
 * Go's `replace … => ../lib`, pip's `-e ../lib`), in what it read or wrote. A manifest whose content aco cannot see
 * may do so too.
 */
function sessionProjects(
  steps: readonly Step[],
  actions: ReadonlyArray<Action | undefined>,
): {roots: Map<string, Set<Lang>>; workspace: boolean} {
  const roots = new Map<string, Set<Lang>>()
  let workspace = false
  const note = (path: string): boolean => {
    if (joinsWorkspace(path)) workspace = true
    const lang = manifestLang(path)
    if (!lang) return false
    const dir = path.slice(0, Math.max(path.lastIndexOf('/'), 1))
    const langs = roots.get(dir)
    if (langs) langs.add(lang)
    else roots.set(dir, new Set([lang]))
    return true
  }
  for (let i = 0; i < steps.length && !workspace; i++) {
    const a = actions[i]
    if (!a) continue
    if (a.core && WORKSPACE_OPTION.test(a.core)) workspace = true
    let lists = false
    for (const r of a.reads) lists = note(r.path) || lists
    for (const w of a.writes) lists = note(w.path) || lists
    for (const t of a.targets) lists = note(t) || lists
    for (const d of a.deps) note(d)
    // A manifest it showed or wrote: does it list workspaces, or depend on another project by its path?
    if (lists) {
      const step = steps[i]!
      const output = detailOutput(step)
      const text = `${step.tool ? JSON.stringify(step.tool.arguments ?? null) : ''}\n${output ?? ''}`
      if (WORKSPACE_TEXT.test(text) || (a.reads.length > 0 && output === undefined)) workspace = true
    }
  }
  return {roots, workspace}
}

const WORKSPACE_OPTION =
  /(?:^|\s)(?:(?:npm|pnpm|yarn|bun)\s(?:[^|;&]*\s)?(?:-w|--workspaces?|--filter|-F|-r|--recursive|workspaces?)(?:[\s=]|$)|(?:turbo|nx|lerna)\s)/
const WORKSPACE_TEXT =
  /\\?"workspaces\\?"\s*:|workspace:[*^~\d]|\[workspace\]|\\?"(?:file|link|portal):|\bpath\s*=\s*\\?["']\.\.?\/|=>\s*\.\.?\/|(?:^|\s)-e\s+\.\.?\/|@\s*file:/m

/** Outputs shorter than this are looked at for paths reported missing even when the call succeeded. */
const MISSING_CHECKED_BELOW = 2000

/** What an action says it writes, as one step's writes. */
function actionWrites(action: Action): StepWrites {
  return {
    writes: action.writes,
    under: action.writesUnder,
    any: action.writesAny,
    env: action.env,
    installs: action.installs,
    envOf: action.envOf,
    envIn: action.envIn,
    git: action.git,
  }
}

/**
 * The paths a file utility says it was refused (`chmod: changing permissions of 'f': Operation not permitted`, `cp:
 * cannot create regular file 'f': Permission denied`), relative ones without their leading `./`.
 */
function refusedPaths(output: string | undefined): readonly string[] {
  if (!output?.includes(': ')) return NO_PATHS
  const out: string[] = []
  for (const m of output.matchAll(REFUSED)) out.push(m[1]!.replace(/^\.\//, ''))
  return out.length ? out : NO_PATHS
}

const REFUSED =
  /^(?:chmod|chown|chgrp|touch|cp|mv|rm|mkdir|ln|install|tee): (?:changing (?:permissions|ownership) of|cannot (?:touch|create regular file|create directory|remove|move [^\n]*? to|overwrite)) ['‘]([^'’\n]+)['’]: (?:Operation not permitted|Permission denied|Read-only file system)\s*$/gm

/**
 * Whether a git command that runs hooks (see `Action.hooks`) shows that one ran, and may have rewritten files (husky's
 * scripts, lint-staged, lefthook, overcommit, the pre-commit framework, a pre-push build). Of a line of git commands
 * that print nothing else (`git add -A && git commit -m x && git push`): anything in the output but git's own lines (a
 * commit's summary, its file list, the status it prints when there is nothing to commit; a push's progress and refs; a
 * branch switched to; warnings, hints). Of a line that also runs commands that print (`git commit … && git log`): what
 * hook runners print.
 */
function hooksRan(output: string, action: Action): boolean {
  const text = output.slice(harnessHeaderEnd(output))
  if (!action.parts?.every(p => GIT_QUIET_PART.test(p))) return HOOK_LINE.test(text)
  // (ssh ends its own lines with a carriage return.)
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '' && !GIT_OWN_LINE.test(line)) return true
  return false
}

/** A part of a command line that prints only git's own lines: an add, a commit, a push, a tag, a branch made. */
const GIT_QUIET_PART =
  /^@\S* git (?:-[Cc] \S+ |--no-pager )*(?:add|commit|push|tag|checkout -[bB]|switch -[cC]|config|remote (?:add|set-url))\b/

/** Lines hook runners print. */
const HOOK_LINE =
  /^(?:husky [->] |\[(?:STARTED|COMPLETED|FAILED|SKIPPED)\] |\s*[✔✖↓] (?:Running tasks|Preparing lint-staged|Applying modifications)|\s*🥊 lefthook |Running pre-(?:commit|push) hooks|- files were modified by this hook|> [\w@/.-]+@\d[\w.+-]* [\w:.-]+$)|\.{3,}\[\w+\] (?:OK|WARNING|FAILED)$|^[^\n]{3,80}?\.{4,}(?:\([^)\n]*\))?(?:Passed|Failed|Skipped)\s*$/m

const GIT_OWN_LINE = new RegExp(
  [
    // A commit: `[main 1a2b3c4] subject`, its counts, its file list, the identity notes.
    String.raw`^\[[^\]\n]+ [0-9a-f]{7,40}\] `,
    String.raw`^ \d+ files? changed\b`,
    String.raw`^ (?:create|delete) mode \d+ `,
    String.raw`^ (?:rename|copy|rewrite|mode change) `,
    String.raw`^ (?:Author|Committer|Date): `,
    String.raw`^(?:Your name and email address were configured automatically|on your username and hostname|You can suppress this message by setting|following command and follow the instructions|your configuration file:$|After doing this, you may fix the identity|If the identity used for this commit is wrong|    git (?:config|commit) )`,
    // Nothing to commit: the status git prints instead.
    String.raw`^(?:On branch |HEAD detached |Your branch |nothing (?:to commit|added to commit)|no changes added to commit|Changes (?:not staged|to be committed)|Untracked files:|Initial commit$|\s+\(use "git )`,
    String.raw`^\t`,
    // A push: its address, progress, refs and the remote's words.
    String.raw`^To \S+$`,
    String.raw`^(?:remote|hint|warning|error|fatal): `,
    // …or ssh's, when it could not reach it (no hook ran: a pre-push hook runs once the remote answered).
    String.raw`^\S+: Permission denied \([\w,-]+\)\.?$`,
    String.raw`^(?:Please make sure you have the correct access rights|and the repository exists\.|Host key verification failed\.)$`,
    String.raw`^ssh: (?:connect to host|Could not resolve hostname) `,
    String.raw`^(?:Enumerating|Counting|Compressing|Writing|Receiving|Resolving) objects: `,
    String.raw`^(?:Delta compression using|Total \d+ \(delta)`,
    String.raw`^ [-+*!=t ] (?:\[[^\]\n]+\]|\S+) +\S+ -> \S+`,
    String.raw`^ \+? *[0-9a-f]{7,40}\.{2,3}[0-9a-f]{7,40} `,
    String.raw`^Everything up-to-date$`,
    String.raw`^[Bb]ranch '[^'\n]+' set up to track `,
    // A branch made: `Switched to a new branch 'x'`.
    String.raw`^Switched to (?:a new )?branch `,
    // Line endings git will change.
    String.raw`^The file will have its original line endings`,
    // Entire's git hooks (the session recorder's post-commit and pre-push), which write its own branches and refs, not
    // the work tree: `[entire] Pushing entire/checkpoints/v1 to origin.... done`.
    String.raw`^\[entire\] `,
  ].join('|'),
)

/** A file tool's answer for a path with no file there, the whole of it (Claude Code's Read, Edit and Write). */
const NO_SUCH_FILE_TOOL = /^\s*(?:<tool_use_error>)?File does not exist\.?(?:<\/tool_use_error>)?\s*$/
const NO_PATHS: readonly string[] = []

/**
 * A pause this long before a person's next prompt: the session sat idle (a resumed session, a night, weeks), and
 * anything may have changed outside it meanwhile (the person's editor, a pull, another agent). Files shown before
 * it are no longer known to hold what they held.
 */
const AWAY_MS = 60 * 60 * 1000
const AWAY: StepWrites = {writes: [], under: [], any: true, env: true, git: true, away: true}

function awayBetween(before: number, after: number): boolean {
  return !Number.isNaN(before) && !Number.isNaN(after) && after - before >= AWAY_MS
}

/** The id an async agent's launch result names (`agentId: a3715b9e5e5aad58c`). */
const ASYNC_AGENT_ID = /\bagentId: (\w+)/

/** The agent a SendMessage call resumes (its `to`), when named. */
function resumedAgent(args: unknown): string | undefined {
  const to = typeof args === 'object' && args !== null ? (args as {to?: unknown}).to : undefined
  return typeof to === 'string' ? to : undefined
}

/** The folder a shell command line ran in: the one all its commands ran in, else the one it started in, when known. */
function ranIn(action: Action): string | undefined {
  return action.ranIn ?? action.ranFrom
}

/**
 * Where a path a command line's output names missing lies: as a command of the line named and resolved it; else, for
 * the folder a `cd` could not enter (`cd backend && cat go.sum`: "cd: backend: No such file"), from where the `cd` ran;
 * else in the folder the line ran in (`ranIn`).
 */
function missingAt(action: Action, path: string, fallback: string | undefined): string {
  // The path as the command that named it resolved it (`cat go.sum; cd api && make`: the top folder's go.sum).
  const named = namedIn(action, path)
  if (named !== undefined) return named
  const dir = ranIn(action)
  if (dir === undefined) return normalisePath(path, fallback)
  const entered = path.replace(/\/+$/, '')
  if (entered && !/^(?:[/~]|[A-Za-z]:)/.test(entered) && dir !== action.ranFrom && dir.endsWith(`/${entered}`))
    return normalisePath(entered, dir.slice(0, -entered.length - 1) || '/')
  return normalisePath(path, dir)
}

/** When a step started in ms (else its end), NaN when unknown. */
function startOf(step: Step): number {
  const at = step.startedAt ?? step.endedAt
  return at ? isoMs(at) : Number.NaN
}

/**
 * Of a check of code run at `step`, the project's folder, below which agents' notes and plans are none of its input
 * (see `documentation`): the session's folder when the check ran below it, else the check's own; undefined when it
 * may read prose (see `readsProse`).
 */
export function docsBase(ctx: FlagContext, action: Action, step: Step): string | undefined {
  if (readsProse(action)) return undefined
  const dir = action.codeDirs?.[0] || ctx.cwdOf(step)
  const top = ctx.card.cwd
  return top !== undefined && dir !== undefined && isUnder(dir, top) ? top : dir
}

/**
 * Whether a person's prompt after the earlier step, up to the later step's turn, says what `says` looks for (see
 * `PromptNote`: asks for a retry, speaks of running anything, tells of a change).
 */
export function promptedBetween(
  ctx: FlagContext,
  earlier: Step,
  later: Step,
  says: (note: PromptNote) => boolean | undefined,
): boolean {
  // (A message the person queued within a turn, between the two steps.)
  const asides = asidesOf(ctx.card)
  if (asides) for (const [at, note] of asides) if (at > earlier.index && at <= later.index && says(note)) return true
  if (earlier.turn === undefined || later.turn === undefined) return false
  for (let t = earlier.turn + 1; t <= later.turn; t++) {
    const note = promptNote(ctx.card, t)
    if (note && says(note)) return true
  }
  return false
}

/** A note that asks for a run or a look again, speaks of running or checking anything, or tells of a change. */
export function asksOrTells(note: PromptNote): boolean {
  return note.runs === true || note.retry === true || note.changed || note.again
}

/** Per context: for each step, whether the agent changed a file earlier in the step's turn (see `workedInTurn`). */
const workedBefore = new WeakMap<FlagContext, Uint8Array>()

/**
 * Whether the agent changed files in the later step's turn before it (a write, an edit, a command that may have
 * written anything; not a commit or an install alone): the run it repeats was then its own check after its own work,
 * not a run the person's prompt asked for again ("commit it all, then check it still compiles").
 */
export function workedInTurn(ctx: FlagContext, later: Step): boolean {
  let worked = workedBefore.get(ctx)
  if (!worked) {
    worked = new Uint8Array(ctx.steps.length)
    let so = 0
    for (let i = 0; i < ctx.steps.length; i++) {
      if (i > 0 && ctx.steps[i]!.turn !== ctx.steps[i - 1]!.turn) so = 0
      worked[i] = so
      const w = ctx.writes[i]
      if (w && (w.writes.length > 0 || w.under.length > 0 || w.any)) so = 1
    }
    workedBefore.set(ctx, worked)
  }
  return worked[later.index] === 1
}

/** A step's time in ms (its end, else its start), NaN when unknown. */
export function timeOf(step: Step): number {
  const at = step.endedAt ?? step.startedAt
  return at ? isoMs(at) : Number.NaN
}

/**
 * Commands still running when their call returned (Codex's exec_command: `Process running with session ID 1183` and
 * no output yet; a code-mode cell: `Script running with cell ID 3`), by step index, with the later calls that only
 * polled them for more (`write_stdin` with no input to that session, `wait` for that cell): what those printed is the
 * command's output. Undefined when no call polls.
 */
function continuations(steps: readonly Step[]): Map<number, Step[]> | undefined {
  let out: Map<number, Step[]> | undefined
  for (let i = 0; i < steps.length; i++) {
    const tool = steps[i]!.tool
    if (tool?.name !== 'write_stdin' && tool?.name !== 'wait') continue
    const args = tool.arguments as {session_id?: unknown; chars?: unknown; cell_id?: unknown} | undefined
    if (typeof args !== 'object' || args === null || (args.chars !== undefined && args.chars !== '')) continue
    // (Code mode's `wait` polls a cell, as write_stdin polls a session.)
    const started =
      tool.name === 'wait'
        ? args.cell_id === undefined
          ? undefined
          : `Script running with cell ID ${String(args.cell_id)}\n`
        : `Process running with session ID ${String(args.session_id)}\n`
    if (!started) continue
    // The command that started the session, a few calls back at most.
    for (let k = i - 1; k >= 0 && k >= i - SESSION_LOOKBACK; k--) {
      const t = steps[k]!.tool
      if (!t || t.name === 'write_stdin' || t.name === 'wait') continue
      // (The result's first characters say it: the whole result is unpacked only without them.)
      const head = t.excerpt ?? detailOutput(steps[k]!)?.slice(0, 200)
      if (!head?.includes(started)) continue
      out ??= new Map()
      const polls = out.get(k)
      if (polls) polls.push(steps[i]!)
      else out.set(k, [steps[i]!])
      break
    }
  }
  return out
}

/** One thing at work in the background: what it may write, until when (ms and step index), and what started it. */
interface Running {
  until: number
  untilStep: number
  writes: StepWrites
  core?: string
  /** The id Claude Code gave the background shell it runs in. */
  shell?: string
}

/**
 * What is at work in the background, applied to the timeline before each tool step as at most one event of each kind
 * (what may write anything or code, outputs, logs): many jobs cost a session no more events than one.
 */
class Background {
  private list: Running[] = []
  private merged: StepWrites[] | undefined

  get size(): number {
    return this.list.length
  }

  add(r: Running): void {
    this.list.push(r)
    this.merged = undefined
  }

  /** Applies what is at work before tool step `i` (starting at `start` ms), then lets go of what ended before it. */
  step(timeline: Timeline, i: number, start: number): void {
    this.merged ??= mergeByKind(this.list.map(r => r.writes))
    for (const w of this.merged) timeline.apply(w)
    const ended = (r: Running): boolean => start > r.until || i >= r.untilStep
    if (this.list.some(ended)) {
      this.list = this.list.filter(r => !ended(r))
      this.merged = undefined
    }
  }

  /** Ends the jobs of a background shell (by the id Claude Code gave it). */
  stop(shell: string): void {
    const kept = this.list.filter(r => r.shell !== shell)
    if (kept.length !== this.list.length) {
      this.list = kept
      this.merged = undefined
    }
  }

  /**
   * Ends the jobs a command that kills processes names (`pkill -f PATTERN`, `killall NAME`, `tmux kill-server`), by
   * the text of the calls (their arguments as JSON) that started them.
   */
  kill(call: string): void {
    const named = killedName(call)
    if (!named) return
    const kept = this.list.filter(r => !r.core?.includes(named))
    if (kept.length !== this.list.length) {
      this.list = kept
      this.merged = undefined
    }
  }
}

/** What a call (its arguments as JSON) kills, as the calls that started jobs name it (see `KILLS`), or undefined. */
function killedName(call: string): string | undefined {
  const m = KILLS.exec(call)
  return m?.[1] ?? m?.[3]
}

/** A cheap first look, at a call's core, for a command `KILLS` may find. */
const KILLER = /\b(?:pkill|killall|kill-server|kill-session|-X quit)\b/

/**
 * A command that ends a multiplexer's sessions (group 1) or processes by name (`pkill -f 'python train.py'`: the name
 * as group 3, inside its quotes as the call's JSON writes them), in a call's arguments as JSON.
 */
const KILLS =
  /\b(?:(tmux|screen)\b[^;&|"]*?(?:kill-server|kill-session|-X quit)|(?:pkill|killall)(?: -\w+)* (\\"|'|)([^'\\;&|]+?)\2(?=\s*(?:;|&|\||\\n|"|$)))/

/** Writes of things at work, merged into one event per kind: as it was, outputs, logs. */
function mergeByKind(all: readonly StepWrites[]): StepWrites[] {
  const out: StepWrites[] = []
  for (const kind of [undefined, 'output', 'log'] as const) {
    const some = all.filter(w => w.ongoing === kind)
    if (some.length === 1) out.push(some[0]!)
    else if (some.length > 1)
      out.push({
        writes: some.flatMap(w => w.writes),
        under: some.flatMap(w => w.under),
        any: some.some(w => w.any),
        env: some.some(w => w.env),
        envOf: undefined,
        git: some.some(w => w.git),
        ongoing: kind,
        runningOf: some.flatMap(w => w.runningOf ?? [-1]),
      })
  }
  return out
}

/**
 * Commands still running when their call returned (see `continuations`) and polled later, by step index, with the
 * index of the call that saw each end (a poll printing `Process exited with code N`, or the cell's `Script
 * completed`/`Script failed`), else of the last poll that saw it still running. One never polled again is not known
 * to have run on.
 */
function runningEnds(steps: readonly Step[]): Map<number, number> {
  const out = new Map<number, number>()
  /** The commands still running, by the header their polls print: started at step index. */
  const open = new Map<string, number>()
  // Only a later poll ends a command: none after the last one is looked at (none at all without polls).
  let lastPoll = steps.length - 1
  while (lastPoll >= 0 && steps[lastPoll]!.tool?.name !== 'write_stdin' && steps[lastPoll]!.tool?.name !== 'wait')
    lastPoll--
  for (let i = 0; i <= lastPoll; i++) {
    const tool = steps[i]!.tool
    if (!tool) continue
    // (Its header is in its excerpt: no output is unpacked for this.)
    const head = tool.excerpt ?? ''
    if (tool.name === 'write_stdin' || tool.name === 'wait') {
      const args = tool.arguments as {session_id?: unknown; cell_id?: unknown} | undefined
      const key =
        tool.name === 'wait'
          ? `Script running with cell ID ${String(args?.cell_id)}\n`
          : `Process running with session ID ${String(args?.session_id)}\n`
      const started = open.get(key)
      if (started === undefined) continue
      out.set(started, i)
      if (RUN_ENDED.test(head)) open.delete(key)
      continue
    }
    const running = head.includes(' running with ') ? RUNNING.exec(head) : null
    if (running) open.set(`${running[1]}\n`, i)
  }
  return out
}

/** Whether a call's command was still running when it returned (Codex's `Process running with session ID 1183`). */
export function stillRunning(step: Step): boolean {
  const excerpt = step.tool?.excerpt
  // (The words first: most outputs have none, and the pattern costs more.)
  return excerpt?.includes(' running with ') === true && RUNNING.test(excerpt)
}

/** The harness's header of a command still running (Codex's unified exec, a code-mode cell), in its first lines. */
const RUNNING = /^(?:[^\n]*\n){0,4}?((?:Process running with session ID|Script running with cell ID) \d+)\n/
/** Its header once it ended, as the poll that saw it end prints it. */
const RUN_ENDED = /^(?:[^\n]*\n){0,4}?(?:Process exited with code -?\d+|Script (?:completed|failed))\n/

/** How many calls back a poll looks for the command it polls. */
const SESSION_LOOKBACK = 64

/** A command's output with what the calls that polled it printed after it: under the last one's header. */
function wholeOutput(step: Step, polls: readonly Step[]): string | undefined {
  const first = detailOutput(step)
  if (first === undefined) return undefined
  const texts = polls.map(p => detailOutput(p) ?? '')
  const last = texts[texts.length - 1]!
  const body = (t: string) => t.slice(harnessHeaderEnd(t))
  return `${last.slice(0, harnessHeaderEnd(last))}${body(first)}${texts.map(body).join('')}`
}

/** A call's output as the flag stage reads it: a JSON-wrapped one (Codex 0.5x) by its inner text. */
function detailOutput(step: Step): string | undefined {
  const output = step.tool ? toolOutput(step.tool) : undefined
  return output === undefined ? undefined : outputText(output, step.tool?.name)
}

/**
 * Whether a call failed: an error status (except a search that exited 1
 * because it found nothing, which is a result), or a failure printed in the
 * output whose exit code a pipe hid (`python x.py 2>&1 | tail`).
 */
/**
 * Whether an output ends in a program's own error line, as a failing command's does when no exit code is known
 * (`error: failed to get \`chrono\``, then cargo's indented "Caused by:" chain; `npm error …`; `fatal: …`;
 * `TypeError: …`): its last line not indented, "Caused by:" aside.
 */
function endsInError(output: string): boolean {
  const lines = output.slice(Math.max(harnessHeaderEnd(output), output.length - 4000)).split('\n')
  for (let k = lines.length - 1; k >= 0 && k >= lines.length - 40; k--) {
    const line = lines[k]!
    if (line.trim() === '' || /^\s/.test(line) || line === 'Caused by:') continue
    return ERROR_LINE.test(line)
  }
  return false
}

const ERROR_LINE = /^(?:error(?:\[[\w-]+\])?:|npm (?:error|ERR!)|fatal:|Error:|[A-Z]\w*(?:Error|Exception):)/

/** Whether ripgrep printed nothing but its ignore-file glob warnings (see `lessIgnoreGlobErrors`). */
function noHitsLessIgnoreGlobErrors(output: string): boolean {
  const rest = lessIgnoreGlobErrors(output)
  return rest !== undefined && noHits(rest)
}

/** Whether a call's command line is one ripgrep run (a `cd` before it aside), no pipe: its exit code is rg's. */
function ripgrepAlone(args: unknown): boolean {
  const commands = parseShell(shellLine(args)).filter(c => c.words[0] !== 'cd')
  return commands.length === 1 && commands[0]!.words[0] === 'rg' && !commands[0]!.piped
}

/** A test runner's tally of passes with no failure (`# fail 0`, `ℹ fail 0`, `Tests: 7 passed`): the run passed, whatever it logged last. */
const PASSED_TALLY = /^[#ℹ] fail 0$|^Tests:\s+\d+ passed(?:,\s+\d+ total)?$|^test result: ok\./m

function isFailure(
  step: Step,
  action: Action,
  output: string | undefined,
  facts: OutputFacts | undefined,
  /** What the session prints around every command that reads like an error (see `noiseLines`). */
  noise: () => ReadonlySet<string>,
): boolean {
  const tool = step.tool!
  if (tool.status === 'error') {
    const onlyLooks =
      !action.opaque &&
      action.writes.length === 0 &&
      !action.writesAny &&
      (action.searches.length > 0 || action.reads.length > 0)
    // grep and rg exit 1 when nothing matched: no failure, also under a shell that prints its profile's refusal first.
    // (A packed output's facts were read without the session's noise: only long outputs are packed, and one that long
    // printed more than a shell's refusal.)
    if (
      onlyLooks &&
      tool.exitCode === 1 &&
      (tool.outputChars === 0 ||
        (facts
          ? facts.bits & NO_HITS
          : output !== undefined && (noHits(output) || (action.searches.length > 0 && noHitsBeside(output, noise())))))
    )
      return false
    // ripgrep's exit 2 for an ignore file's glob it could not parse: it searched all the same. (rg the whole command
    // line, whose exit code it is: not `rg x; ls nope`; and no pattern it refused, review 79.)
    if (onlyLooks && tool.exitCode === 2 && output !== undefined && ripgrepAlone(tool.arguments)) {
      const rest = lessIgnoreGlobErrors(output)
      if (rest !== undefined && !regexFailed(rest)) return false
    }
    return true
  }
  if (tool.status !== 'ok') return false
  // A web search whose answer says it has no search tool (Claude Code's WebSearch with another provider's model behind
  // it): no search was made.
  if (output !== undefined && noSearchTool(tool.name, output)) return true
  // A tool of a server or a subagent (no shell, no file tool) that answered with its own failure as its whole output.
  if (
    output !== undefined &&
    action.reads.length === 0 &&
    !shellLine(tool.arguments) &&
    answersFailure(output, action.kind === 'task')
  )
    return true
  // The editor's refusal (SWE-agent's and OpenHands' str_replace_editor: "No replacement was performed, old_str … did
  // not appear verbatim"), which a trajectory records as any other output: the file was not written.
  if (action.kind === 'write' && output !== undefined && EDITOR_REFUSAL.test(output)) return true
  // A code-mode cell records no exit code: a run (a build, an install, a test run, a command aco cannot see into; not a
  // look at logs or state) whose output ends in a program's error line failed, unless it tallied passes and no failure.
  if (
    tool.exitCode === undefined &&
    output !== undefined &&
    output.startsWith('Script completed\n') &&
    !action.volatile &&
    (action.opaque || action.writesAny || action.tests === true || action.depsCode !== undefined) &&
    endsInError(output) &&
    !PASSED_TALLY.test(output)
  )
    return true
  // git's abort under a zero exit code (`git ls-remote … | grep … || true`), when the command line ran git alone, once
  // (in a loop over folders it met one that is no repository, the others answered).
  const gitAlone =
    action.parts?.length === 1 && GIT_FIRST.test(action.parts[0]!) && !LOOP.test(JSON.stringify(tool.arguments))
  // A search grep or rg refused before reading a file (its pattern no regular expression), whatever hid the exit code
  // (`grep -rn "a\)" . || true`).
  const searchOnly = action.searches.length > 0 && !action.opaque && action.writes.length === 0
  if (facts) {
    if (facts.bits & (CAUGHT_FAILURE | COMMAND_NOT_FOUND | CMD_BANNER)) return true
    if (searchOnly && facts.bits & REGEX_FAILED) return true
    // PowerShell's parser refused the line: nothing of it ran, when PowerShell ran the whole line.
    if (facts.bits & PARSE_ERROR && powerShellWholeLine(step)) return true
    // PowerShell run from a POSIX shell with its script in double quotes: the shell replaced the script's `$name`s
    // first (`$_` became its last argument), and PowerShell's errors say the script it got did not run as written.
    if (facts.bits & POWERSHELL_ERROR && bashRunsPowerShellVars(step)) return true
    if (gitAlone && facts.bits & GIT_ABORTED) return true
    const piped = action.parts?.some(p => p.includes(' | ')) === true
    return piped && ((facts.bits & SHOWS_FAILURE) !== 0 || ((facts.bits & JS_STACK) !== 0 && !showsLogs(action)))
  }
  if (searchOnly && output !== undefined && regexFailed(output)) return true
  // A path the error names that the command line never named (`ls: cannot access 'glob'` for `ls *.md | wc -l`: the
  // harness handed the shell a mangled line, as Claude Code 1.0.8x did with a glob before a pipe): the command did not
  // run as written, whatever its status says.
  if (output !== undefined && mangledPath(output, () => argumentsText(tool))) return true
  // (Less what the shell reported from its own start-up files: a broken profile's `command not found` is no failure of
  // the command.)
  if (action.parts?.some(p => p.includes(' | ')) && output !== undefined) {
    if (showsFailure(withoutStartupErrors(output))) return true
    if (!showsLogs(action) && endsInJsStack(output)) return true
  }
  if (gitAlone && gitAborted(output)) return true
  if (reportsPowerShellError(output) && bashRunsPowerShellVars(step)) return true
  if (reportsParseError(output) && powerShellWholeLine(step)) return true
  return (
    reportsCaughtFailure(output) || reportsCommandNotFound(output, () => argumentsText(tool)) || onlyCmdBanner(output)
  )
}

/**
 * Whether a command line shows what is already written (a log, a file: `docker logs api | tail -5`, `cat app.log |
 * tail`), whose last lines may be an error a program logged, not one that stopped this command.
 */
function showsLogs(action: Action): boolean {
  if (action.kind === 'read' || action.kind === 'search' || action.kind === 'list') return true
  const first = action.parts?.[0] ?? action.core ?? ''
  return LOG_VIEWER.test(first)
}

/** Programs that show what others wrote: files, a container's or a service's logs. */
const LOG_VIEWER =
  /^(?:@\S+ )?(?:cat|tail|head|less|more|grep|egrep|rg|sed|awk|jq|journalctl|(?:sudo )?(?:docker|podman)(?: compose| container)? logs|kubectl logs|pm2 logs|heroku logs|fly logs|vercel logs)\b/

/**
 * Whether an output says a program could not find a path the call never named, a bare word (`ls: cannot access
 * 'glob': No such file or directory` for `ls -la dir/top6_*.json | tail -2`): what ran was not the command line the
 * agent wrote. (A bare word only: a path a variable or a loop made is named by no command line either.)
 */
export function mangledPath(output: string, args: () => string): boolean {
  // (The call's arguments as text only for an output that says so: most never do.)
  if (!output.includes('cannot access')) return false
  const m = MISSING_BARE_WORD.exec(output)
  return m !== null && !args().includes(m[1]!)
}

const MISSING_BARE_WORD = /(?:^|\n)\w+: cannot access '([A-Za-z_]+)': No such file or directory\s*(?:\n|$)/

/**
 * Whether a web search tool answered that it has no search to make (`I don't currently have a web search tool
 * available in this environment`): the model behind it had no such tool.
 */
export function noSearchTool(name: string, output: string): boolean {
  if (!/^(?:websearch|web_search|google_web_search)$/i.test(name)) return false
  // (Not the query echoed above the answer, and never an answer that lists results: review 57.)
  const answer = output.replace(/^Web search results for query: [^\n]*\n+/, '').slice(0, 600)
  return !/\bLinks: \[/.test(output.slice(0, 4000)) && NO_SEARCH_TOOL.test(answer)
}

/**
 * Whether a tool's whole output is its own failure, under an ok status: a JSON object that says so at its top and
 * says nothing else (an MCP server's `{"status":"error","error":"Figma API error: 429 …"}`, `{"success": false,
 * "message": …}`, an `error` and no result beside it), MCP's own `"isError": true`, or a subagent whose model call
 * failed (Claude Code's Agent: `Failed to authenticate. API Error: 403 {…}`, `API Error: Request timed out.`). An
 * object that describes something (`{"id": 55, "status": "failed", "ref": "main"}`: a pipeline that failed, a test
 * run's tally, a health check) is the tool's answer, however failed the thing it describes (review 114). `subagent`:
 * the call ran one (a task tool), whose answer is read as Claude Code words its failures.
 */
export function answersFailure(output: string, subagent: boolean): boolean {
  const text = output.trim()
  if (subagent) return SUBAGENT_FAILED.test(text)
  if (!text.startsWith('{') || !text.endsWith('}') || text.length > MAX_FAILURE_BODY) return false
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return false
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false
  const o = body as Record<string, unknown>
  if (o.isError === true) return true
  // (Nothing but the failure and its words beside the key that says it.)
  if (!Object.keys(o).every(k => FAILURE_KEYS.has(k))) return false
  if (typeof o.status === 'string' && FAILED_STATUS.test(o.status)) return true
  if (o.success === false || o.ok === false) return true
  return said(o.error) || said(o.errors)
}

/** A value that says something: a non-empty string, array or object. */
function said(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() !== ''
  if (Array.isArray(v)) return v.length > 0
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0
}

/** A subagent whose model call failed, as Claude Code words it (the status and its JSON body, or its reason). */
const SUBAGENT_FAILED =
  /^(?:(?:Failed to authenticate\.\s*)?API Error: (?:\d{3}(?:\s*[{[]|\s*$)|Request timed out|Connection error)|Prompt is too long\b|Claude AI usage limit reached\b)/
/** A failure body is short: a longer object is a result that happens to hold such keys. */
const MAX_FAILURE_BODY = 4000
const FAILED_STATUS = /^(?:error|errored|fail|failed|failure)$/i
/** The keys a failure's own body holds: what failed and its words, nothing the tool was asked about. */
const FAILURE_KEYS = new Set([
  'status',
  'success',
  'ok',
  'error',
  'errors',
  'message',
  'msg',
  'code',
  'detail',
  'details',
  'reason',
  'hint',
])

/** A search tool's answer that it has no search tool to use. */
const NO_SEARCH_TOOL =
  /\b(?:do not|don't|cannot|can't|no)\b[^.\n]{0,40}\b(?:(?:have|access)[^.\n]{0,20}web search tool|web search tool (?:available|has been)|perform (?:live )?web searches)/i

const EDITOR_REFUSAL = /^\s*(?:ERROR:\s*)?No replacement was performed\b/

/**
 * Whether PowerShell ran the call's whole command line: not a POSIX shell's line that runs PowerShell and then other
 * commands (`powershell -Command "…"; npm install`: bash goes on after PowerShell's error).
 */
function powerShellWholeLine(step: Step): boolean {
  const line = posixCommand(step)
  return line === undefined || POWERSHELL_ALONE.test(line)
}

/** A line that is one `powershell -Command "…"` (or `'…'`) and nothing else. */
const POWERSHELL_ALONE =
  /^\s*(?:powershell|pwsh)(?:\.exe)?\b[^"';&|]*?\s-(?:Command|c)\s+(?:"(?:[^"\\]|\\[\s\S])*"|'[^']*')\s*$/i

/**
 * Whether a call ran `powershell -Command "…"` through a POSIX shell (Claude Code's Bash tool, `bash -lc`) with a
 * `$name` unescaped inside the double quotes, which that shell expands before PowerShell sees the script.
 */
export function bashRunsPowerShellVars(step: Step): boolean {
  const line = posixCommand(step)
  if (line === undefined || !/\b(?:powershell|pwsh)(?:\.exe)?\b/i.test(line)) return false
  // (To the closing quote, or the end of arguments the card holds cut.)
  const m = /\b(?:powershell|pwsh)(?:\.exe)?\b[^"\n]*?\s-(?:Command|c)\s+"((?:[^"\\]|\\[\s\S])*)(?:"|$)/i.exec(line)
  if (m === null) return false
  // PowerShell's own variables, unescaped: its automatic ones (`$_`, `$null`, `$env:X`) or one the script assigns
  // (`$key = …`); not a `$(cygpath -w f)` or `$HOME` meant for bash.
  const script = m[1]!
  return (
    /(?:^|[^\\`])\$(?:_|PSItem\b|true\b|false\b|null\b|env:|LASTEXITCODE\b|args\b|input\b)/i.test(script) ||
    /(?:^|[^\\`])\$[A-Za-z_]\w*\s*=(?!=)/.test(script)
  )
}

/** The command line of a call a POSIX shell ran: Claude Code's Bash tool, a Codex `["bash", "-lc", line]`. */
function posixCommand(step: Step): string | undefined {
  const args = (step.tool && toolArguments(step.tool)?.args) ?? step.tool?.arguments
  const c = (args as {command?: unknown} | undefined)?.command
  const posix =
    typeof c === 'string'
      ? step.tool?.name === 'Bash'
      : Array.isArray(c) && c.length >= 3 && /^(?:\/\S*\/)?(?:ba|z|da)?sh$/.test(String(c[0]))
  return posix ? shellLine(args) : undefined
}

/** A pipeline (see `Action.parts`) whose first command is git. */
const GIT_FIRST = /^@\S* git /
/** A shell loop in a command line (as the call's arguments hold it, JSON). */
const LOOP = /\b(?:for|while|until)\b[\s\S]*\bdo\b[\s\S]*\bdone\b/

/** A command line that only switches to a branch by name (`git checkout main`, `git switch -q main`). */
const SWITCH_ALONE = /^@\S* git (?:-C \S+ )?(?:checkout|switch)(?: -q| --quiet)* [^\s-]\S*$/

/** A command line that only runs Codex's apply_patch (its canonical text: see Action.core). */
const PATCH_ALONE = /^@\S* apply_?patch\b(?![\s\S]* ; @)/

/**
 * What makes two syncs the same: the manifests they follow and the options they run with (`uv sync --all-extras` is
 * not `uv sync`); of `uv run X`, the options before X (the same sync as `uv sync`, whatever X is).
 */
function syncKeyOf(action: Action): string {
  const core = action.core ?? ''
  const run = /\buv (?:run|sync)((?: -\S+)*)/.exec(core)
  // (A line that runs `uv run` twice follows the same manifests once.)
  return `${[...new Set(action.syncs)].join('\u0000')}\u0000${run ? run[1] : core}`
}

/**
 * None of a sync's manifests written, nothing done to what it installs into (`rm -rf node_modules`, `.venv`), and
 * none of its language's packages installed, since epoch `last`.
 */
function syncIdle(timeline: Timeline, action: Action, last: number): boolean {
  const now = timeline.now
  const changed = action.envOf ? timeline.envChangedFor(action.envOf, last, now) : timeline.envChanged(last, now)
  if (changed) return false
  for (const p of action.syncs!) {
    if (timeline.changed(p, last, now)) return false
    const folder = p.slice(0, p.lastIndexOf('/'))
    if (timeline.treeChanged(`${folder}/node_modules`, last, now) || timeline.treeChanged(`${folder}/.venv`, last, now))
      return false
  }
  return true
}

/** A step's writes less what an idle sync did: the environment, its lock files, node_modules. */
function withoutSync(w: StepWrites, manifests: readonly string[]): StepWrites | undefined {
  const rest: StepWrites = {
    ...w,
    writes: w.writes.filter(x => !manifests.includes(x.path)),
    under: w.under.filter(d => !d.endsWith('/node_modules')),
    env: false,
    installs: undefined,
    envOf: undefined,
    envIn: undefined,
  }
  return hasWrites(rest) ? rest : undefined
}

/**
 * Whether an installer's output says it installed, removed and changed nothing: uv's `Audited N packages` with no
 * `Installed`/`Uninstalled` line, npm's `up to date, audited N packages`, pnpm's and yarn's `Already up to date`, bun's
 * `(no changes)`, poetry's `No dependencies to install or update`, pip's `Requirement already satisfied` for every
 * package and no `Successfully installed`. Any line of a change, a download or a build says otherwise.
 */
function installedNothing(output: string): boolean {
  return NOTHING_INSTALLED.test(output) && !PACKAGES_CHANGED.test(output)
}

/** The longest output read for an installer's report that it installed nothing (pip's lines for 60 requirements). */
const NOTHING_INSTALLED_MAX = 8000

const NOTHING_INSTALLED =
  /^\s*(?:Audited \d+ packages? in |up to date, audited \d+ packages?\b|(?:success )?Already up[ -]to[ -]date\.?\s*$|Checked \d+ installs? across \d+ packages? \(no changes\)|No dependencies to install or update|Requirement already satisfied: )/m
const PACKAGES_CHANGED =
  /^\s*(?:Successfully (?:installed|uninstalled)|(?:Installed|Uninstalled|Prepared|Built|Updated|Downloaded) \d+ packages?\b|\d+ packages? installed|(?:added|removed|changed) \d+ packages?\b|up to date, audited[^\n]*\b(?:added|removed|changed)\b|Collecting |Downloading |Installing collected|Building wheels?\b|Attempting uninstall|Packages: [+-]|[+-] \S+ \S*\d|\+ \S+@\d|\+{3,}|dependencies:\s*$|Installing the current project|Creating virtual environment|Using (?:C|Py)Python \d|[-•] (?:Installing|Updating|Downgrading|Removing) |Package operations: [1-9]|success Saved (?:lockfile|\d+ new)|\[\d\/\d\] (?:Fetching|Linking|Building))/m

/**
 * Whether a command line is one installer's run alone (a `cd`, `source` or `export` beside it aside), its output not
 * filtered (`| tail -5`, `| grep`) nor quietened (`-q`): only then is its output the installer's whole report (review 73:
 * `git pull && yarn` read git's "Already up to date." as yarn's; `pip install -r r.txt | head -3` cut the
 * "Successfully installed" line away).
 */
function installsAlone(action: Action): boolean {
  const parts = (action.parts ?? []).filter(p => !/^@\S* (?:source|\.|export|set) /.test(p))
  return parts.length === 1 && !parts[0]!.includes(' | @') && !/\s(?:-q+|--quiet|--silent|-s)(?=\s|$)/.test(parts[0]!)
}

/** A usage line: the program's name, and the rest of the line. */
const USAGE_LINE = /^\s*usage:\s+(\S+)([^\n]*)/i

/**
 * Whether an output (past a harness's header) starts with the usage of the script run: argparse's `usage: cli.py [-h]
 * …`, click's `Usage: cli.py [OPTIONS] COMMAND`, commander's `Usage: cli [options]`: the line names the script or
 * shows options in brackets (not `Usage: 12.4G of 50G`, a report's first line).
 */
function printedUsage(output: string, script: string | undefined): boolean {
  const m = USAGE_LINE.exec(output.slice(harnessHeaderEnd(output)))
  if (!m) return false
  const stem = (p: string) => (p.split('/').pop() ?? p).replace(/\.[^.]*$/, '')
  return (script !== undefined && stem(m[1]!) === stem(script)) || /[[<]/.test(m[2]!)
}

/**
 * Writes below the session's unnamed folder as what they are, paths relative to a folder no record names: each a place
 * under ANYWHERE, which the timeline finds in any file whose path ends with it (see `floatingPath`).
 */
function floated(w: StepWrites): StepWrites {
  const below = (path: string): boolean => path.startsWith(`${UNKNOWN_CWD}/`)
  const lift = (path: string): string => `${ANYWHERE}${path.slice(UNKNOWN_CWD.length)}`
  if (!w.writes.some(x => below(x.path) || x.path === UNKNOWN_CWD) && !w.under.some(d => below(d) || d === UNKNOWN_CWD))
    return w
  const whole = w.writes.some(x => x.path === UNKNOWN_CWD) || w.under.includes(UNKNOWN_CWD)
  const under = w.under.filter(dir => dir !== UNKNOWN_CWD).map(dir => (below(dir) ? lift(dir) : dir))
  for (const x of w.writes) if (below(x.path)) under.push(lift(x.path))
  return {
    ...w,
    writes: w.writes.filter(x => x.path !== UNKNOWN_CWD && !below(x.path)),
    under,
    any: w.any || whole,
  }
}

/**
 * What a step may have changed: its action's writes (a write tool that failed
 * changed nothing: Edit, Write and apply_patch are all-or-nothing), the writes
 * of the scripts it ran (read from their content when the session wrote
 * them), and for a Task whose subagent card is absent, anything.
 */
function stepWrites(
  step: Step,
  action: Action,
  output: string | undefined,
  facts: OutputFacts | undefined,
  failed: boolean,
  timeline: Timeline,
  children: ReadonlySet<string>,
  staticWrites: Map<Action, StepWrites>,
): StepWrites | undefined {
  if (action.kind === 'task') {
    const ids = step.childTraceIds ?? []
    if (ids.length && ids.every(id => children.has(id))) return undefined
    // A read-only subagent, or one whose result says it used no tool (it failed to start), changed nothing.
    const noTools = facts ? facts.bits & NO_TOOL_USES_REPORTED : output !== undefined && reportsNoToolUses(output)
    if (!action.writesAny || noTools) return undefined
    return {writes: [], under: [], any: true, env: false, git: false}
  }
  // (`apply_patch` run as a shell command, alone, is the same tool: all or nothing. A tool the harness does not have
  // ran nothing.)
  if (failed && (action.kind === 'write' || PATCH_ALONE.test(action.core ?? ''))) return undefined
  if (failed && (missingTool(output) || neverStarted(output ?? step.tool?.excerpt))) return undefined
  if (!mutates(action)) return undefined
  // `git checkout main` on main: git says so and touches nothing (the local changes it lists were there before).
  if (output !== undefined && SWITCH_ALONE.test(action.core ?? '') && /^Already on '[^'\n]+'$/m.test(output))
    return undefined
  if (!action.scripts.length) {
    // What an action without scripts writes depends on the action alone: one object for all the steps that ran it.
    let fixed = staticWrites.get(action)
    if (!fixed) {
      fixed = actionWrites(action)
      if (action.outputs?.length) fixed.built = action.outputs
      staticWrites.set(action, fixed)
    }
    // A commit or a push whose hooks ran: they may have rewritten any file.
    if (action.hooks && output !== undefined && hooksRan(output, action)) return {...fixed, any: true}
    // A write the program itself reported refused (`chmod: changing permissions of 'f': Operation not permitted`) did
    // not happen.
    const refused = failed ? refusedPaths(output ?? step.tool?.excerpt) : NO_PATHS
    if (refused.length) {
      const writes = fixed.writes.filter(w => !refused.some(r => w.path === r || w.path.endsWith(`/${r}`)))
      if (writes.length < fixed.writes.length) {
        const kept = {...fixed, writes}
        return hasWrites(kept) ? kept : undefined
      }
    }
    return fixed
  }
  const w = actionWrites(action)
  // (A commit the script runs runs its hooks.)
  let hooks = action.hooks === true
  if (action.scripts.length) {
    const extra: FileWrite[] = []
    const under: string[] = []
    for (const script of action.scripts) {
      if (script.help && output !== undefined && printedUsage(output, script.path)) continue
      // A script written by this very command (`cat > fix.py <<EOF … EOF` then `python fix.py`), else by an earlier step.
      const written = script.path
        ? (
            action.writes.find(x => x.path === script.path && x.content !== undefined) ??
            action.scratch?.find(x => x.path === script.path && x.content !== undefined)
          )?.content
        : undefined
      const code = script.code ?? written ?? (script.path ? timeline.content(script.path) : undefined)
      if (code === undefined) {
        w.any = true
        continue
      }
      if (script.lang === 'patch') {
        // A diff applied: the files its headers name (bar a diff naming none, which aco cannot follow).
        const files = patchFiles(code)
        if (!files.length) w.any = true
        for (const f of files) extra.push({path: normalisePath(f.path, script.cwd), partial: true})
        continue
      }
      if (script.lang === 'shell') {
        const inner = classifyShell(code, script.cwd)
        extra.push(...inner.writes)
        under.push(...inner.writesUnder)
        w.any ||= inner.writesAny || inner.scripts.length > 0
        if (inner.env) w.installs = undefined
        w.env ||= inner.env
        w.git ||= inner.git
        hooks ||= inner.hooks === true
        continue
      }
      const effects = codeEffects(script.lang, code)
      w.any ||= effects.writesAny
      for (const p of effects.writes) {
        // From a folder aco cannot name, a relative path is a file of that name in whatever folder (see ANYWHERE).
        if (script.cwd === undefined && !/^(?:[/~]|[A-Za-z]:)/.test(p)) {
          const somewhere = floatingPath(p)
          if (somewhere) under.push(somewhere)
          else w.any = true
          continue
        }
        const path = normalisePath(p, script.cwd)
        if (!isTemp(path)) extra.push({path, partial: true})
        else timeline.scratch([{path}])
      }
      for (const p of effects.under) {
        if (script.cwd === undefined && !/^(?:[/~]|[A-Za-z]:)/.test(p)) continue
        const path = normalisePath(p, script.cwd)
        if (!isTemp(path)) under.push(path)
      }
      for (const c of effects.commands) {
        const inner = classifyShell(c, script.cwd)
        extra.push(...inner.writes)
        under.push(...inner.writesUnder)
        w.any ||= inner.writesAny || inner.scripts.length > 0
        if (inner.env) w.installs = undefined
        w.env ||= inner.env
        w.git ||= inner.git
        hooks ||= inner.hooks === true
      }
    }
    if (extra.length) w.writes = [...w.writes, ...extra]
    if (under.length) w.under = [...w.under, ...under]
  }
  if (hooks && output !== undefined && hooksRan(output, action)) w.any = true
  return hasWrites(w) ? w : undefined
}

/**
 * The writes of a step that wrote below folders files its output names (`Action.reported`): the files the output names
 * under each key and their folders (made), in place of one such folder per run of the command (another command of the
 * step may have written the same folder: `git checkout -- specs/ && setup-plan.sh`); unchanged where the output names
 * fewer files than the command ran, or one outside those folders (an output cut short or silent says nothing).
 */
function withReported(
  w: StepWrites,
  reported: readonly Reported[],
  output: string | undefined,
  cwd: string | undefined,
): StepWrites {
  if (output === undefined) return w
  const under = [...w.under]
  const files: FileWrite[] = []
  for (const key of new Set(reported.flatMap(r => r.keys))) {
    const runs = reported.filter(r => r.keys.includes(key))
    // Every file the output names under the key (a loop of the script prints one per run).
    const paths = reportedPaths(output, key, cwd)
    if (paths.length < runs.length || !paths.every(p => runs.some(r => p.startsWith(`${r.under}/`)))) continue
    for (const p of paths) files.push({path: p, partial: true}, {path: p.slice(0, p.lastIndexOf('/')), partial: true})
    for (const r of runs) {
      const k = under.indexOf(r.under)
      if (k !== -1) under.splice(k, 1)
    }
  }
  return files.length ? {...w, writes: [...w.writes, ...files], under} : w
}

/** Whether a part of a command line (as a core writes it: `@/dir git merge main`) is a git merge or pull. */
function isMerge(part: string): boolean {
  return /^(?:@\S* )?git (?:merge|pull)\b/.test(part)
}
/** A part of a command line that only looks (`@/dir git status`), beside a merge or a pull. */
const LOOKS_ONLY =
  /^(?:@\S* )?(?:git (?:status|log|fetch|diff|show|branch|remote|rev-parse|describe)\b|echo\b|printf\b|pwd\b|true\b)/

/**
 * A git merge or pull that names the files it changed (see `mergedPaths`): those files written, in place of the whole
 * work tree, when it is the line's one command that changes anything. Its paths are from the repository's top folder,
 * which is the folder it ran in or one above it: each is written below every one of them.
 */
function withMerged(w: StepWrites, action: Action, output: string | undefined, cwd: string | undefined): StepWrites {
  if (output === undefined || cwd === undefined || !cwd.startsWith('/')) return w
  // One merge or pull, every other part of the line only looking: `git status && git pull`; not `git pull && npm run
  // codegen`, `git stash && git pull`, nor two pulls.
  const parts = action.parts ?? []
  if (parts.filter(isMerge).length !== 1 || parts.some(part => !isMerge(part) && !LOOKS_ONLY.test(part))) return w
  const paths = mergedPaths(output)
  if (paths === undefined) return w
  const tops: string[] = []
  for (let dir = cwd; ; dir = dir.slice(0, Math.max(1, dir.lastIndexOf('/')))) {
    tops.push(dir)
    if (dir === '/') break
  }
  if (paths.length * tops.length > MAX_MERGED_WRITES) return w
  const writes: FileWrite[] = [...w.writes]
  for (const top of tops) for (const p of paths) writes.push({path: normalisePath(p, top), partial: true})
  return {...w, writes, under: w.under.filter(u => u !== '/')}
}

/** Files × folders a merge's writes are placed at, at most (past it, the whole work tree as before). */
const MAX_MERGED_WRITES = 4000

/**
 * The paths an output gives under `key`, in order: as JSON (`"IMPL_PLAN":"/p/specs/001-x/plan.md"`, PowerShell's
 * `"C:\\p\\…"`) or on a line of its own (`IMPL_PLAN: /p/specs/001-x/plan.md`, the scripts' output without `--json`).
 * Empty when one of them cannot be read.
 */
function reportedPaths(output: string, key: string, cwd: string | undefined): string[] {
  const out: string[] = []
  const pattern = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\\\n]|\\\\.)*")|^${key}: *([^\\n]*?)\\s*$`, 'gm')
  for (const m of output.matchAll(pattern)) {
    let value: unknown = m[2]
    if (m[1] !== undefined)
      try {
        value = JSON.parse(m[1])
      } catch {
        return []
      }
    if (typeof value !== 'string' || value === '') return []
    out.push(normalisePath(value.replace(/\\/g, '/'), cwd))
  }
  return out
}

/** SWE-agent's open file after a step: `open`/`create` set it; an edit's output names it. */
function sweOpenFile(
  step: Step,
  action: Action,
  /** The file its output's viewer header names. */
  shown: string | undefined,
  current: string | undefined,
  cwd: string | undefined,
): string | undefined {
  const name = toolName(step)
  if (shown !== undefined) return normalisePath(shown, cwd)
  if ((name === 'open' || name === 'create') && !step.tool?.status.startsWith('e'))
    return action.reads[0]?.path ?? action.writes[0]?.path ?? current
  return current
}

/** The writes a card's steps made, with their times, for its relatives. */
export function foreignWrites(ctx: FlagContext): ForeignWrite[] {
  const out: ForeignWrite[] = []
  for (let i = 0; i < ctx.steps.length; i++) {
    const w = ctx.writes[i]
    if (!w) continue
    const time = ctx.times[i]!
    if (!Number.isNaN(time)) out.push({time, writes: w})
  }
  return out
}

/**
 * Claude Code refusing a write of a file someone else changed since its tools read it ("modified since read, either by
 * the user or by a linter", 2.0's "has been unexpectedly modified").
 */
export const CHANGED_BEHIND = /has been modified since (?:it was )?read\b|has been unexpectedly modified\b/i
/** Claude Code refusing a write of a file changed since its tools last saw it, or that they never read ("not been read"). */
const REFUSED_STALE = new RegExp(`${CHANGED_BEHIND.source}|has not been read yet`, 'i')
/** A hit line of a search: `path:12:text`, `path:text`, `path-12-text` aside (context lines are not hits). */
const HIT_PATH = /^((?:[A-Za-z]:)?[^:\n]+):(?:\d+:)?/

/**
 * Files a call shows were changed outside the session since the agent wrote them whole (`own`: their content then):
 * Claude Code refusing a write of one as changed since its tools saw it, or a search reporting a hit in one whose
 * written lines hold none that its pattern matches.
 */
function changedOutside(
  action: Action,
  failed: boolean,
  output: string | undefined,
  own: ReadonlyMap<string, string>,
  site: string | undefined,
): string[] {
  if (!output) return []
  if (failed) return action.kind === 'write' && REFUSED_STALE.test(output) ? action.targets.filter(t => own.has(t)) : []
  const s = action.searches.length === 1 ? action.searches[0]! : undefined
  if (s?.mode !== 'content' || /[vwx]/.test(s.flags) || !s.pattern) return []
  const fold = s.flags.includes('i')
  const single = s.scopes.length === 1 && own.has(s.scopes[0]!) ? s.scopes[0]! : undefined
  // (Past the harness's header; a search that found nothing shows nothing.)
  const body = output.slice(harnessHeaderEnd(output))
  if (noHits(body)) return []
  const out: string[] = []
  const seen = new Set<string>()
  let lines = 0
  for (const raw of body.split('\n')) {
    if (++lines > 2000) break
    const line = raw.trim()
    if (!line) continue
    // A file listed alone (files with matches), or a hit's file (`path:12:text`), or the one file searched.
    let path: string | undefined = normalisePath(line, site)
    if (!own.has(path)) {
      const m = HIT_PATH.exec(line)
      const p = m ? normalisePath(m[1]!, site) : undefined
      path = p !== undefined && own.has(p) ? p : single
    }
    if (path === undefined || seen.has(path)) continue
    seen.add(path)
    // Whether the pattern matches a line of what the agent wrote: if not, the hit is in another text than that.
    let any: boolean | undefined = false
    for (const l of own.get(path)!.split('\n')) {
      const m = matchesLine(s.pattern, s.basic ?? false, l, fold)
      if (m !== false) {
        any = m
        break
      }
    }
    if (any === false) out.push(path)
  }
  return out
}

/**
 * An edit tool's change of one file (`old_string` → `new_string`) whose old text is the whole content the session last
 * showed of it (`known`: the agent's whole write or a whole Read, nothing having changed it since), white space at the
 * end aside: the file's new content is known whole, the new text with the old content's ending. Otherwise the writes
 * as they were.
 */
function wholeEdit(
  w: StepWrites,
  step: Step,
  known: ReadonlyMap<string, string | (() => string | undefined)>,
): StepWrites {
  if (w.writes.length !== 1 || w.under.length || w.any || !w.writes[0]!.partial) return w
  const path = w.writes[0]!.path
  const whole = known.get(path)
  const before = typeof whole === 'function' ? whole() : whole
  if (before === undefined) return w
  const args = ((step.tool && toolArguments(step.tool)?.args) ?? step.tool?.arguments) as Record<string, unknown>
  const from = args?.old_string ?? args?.old_str
  const to = args?.new_string ?? args?.new_str
  if (typeof from !== 'string' || typeof to !== 'string') return w
  const body = before.trimEnd()
  if (from.trimEnd() !== body || !from.trim()) return w
  const content = to.trimEnd() + before.slice(body.length)
  return {...w, writes: [{path, content}]}
}

/** The text of a file a Read tool printed whole, from its numbered lines (`     1→…`); undefined when not all so. */
function wholeRead(output: string | undefined): string | undefined {
  if (output === undefined) return undefined
  const lines: string[] = []
  for (const line of output.slice(0, reminderAt(output)).trimEnd().split('\n')) {
    const m = /^\s*(\d+)→(.*)$/.exec(line)
    if (!m || Number(m[1]) !== lines.length + 1) return undefined
    lines.push(m[2]!)
  }
  return lines.length ? lines.join('\n') : undefined
}

/**
 * The step that last wrote whole, with just this content, every file `w` writes whole, none of them changed since
 * (`timeline` still holds that content): `w` changes nothing. Undefined when it writes anything else (a folder, a file
 * in part, whatever a command aco cannot read may write).
 */
function sameWholeWrite(
  w: StepWrites,
  timeline: Timeline,
  wholeBy: ReadonlyMap<string, number>,
  epochAfter: Int32Array,
  missing: ReadonlyArray<readonly string[] | undefined>,
): number | undefined {
  if (w.any || w.env || w.git || w.under.length || !w.writes.length) return undefined
  let by: number | undefined
  for (const x of w.writes) {
    const k = wholeBy.get(x.path)
    if (x.content === undefined || x.partial || k === undefined || timeline.content(x.path) !== x.content)
      return undefined
    // Nothing at all since that could have changed it, a person's absence or a command aco cannot read included (the
    // content above is what a read would show, which a read can tell; a write cannot); and the earlier write took
    // (`cat > a/b.txt <<EOF …; echo done`: "No such file or directory", exit code 0).
    if (timeline.changed(x.path, epochAfter[k]!, timeline.now) || missing[k]?.length) return undefined
    by = Math.max(by ?? k, k)
  }
  return by
}

/**
 * Keeps a map of what each file was last written whole with (`own`, `knownWhole`: its content; see `changedOutside`,
 * `wholeEdit`) or by (`wholeBy`: the step) up to date with a step's writes.
 */
function noteWhole<T>(map: Map<string, T>, w: StepWrites, failed: boolean, value: (content: string) => T): void {
  if (w.any) map.clear()
  for (const dir of w.under) for (const path of map.keys()) if (path.startsWith(`${dir}/`)) map.delete(path)
  for (const x of w.writes) {
    if (x.metaOnly) continue
    if (x.content !== undefined && !failed && !x.partial) map.set(x.path, value(x.content))
    else map.delete(x.path)
  }
}

/**
 * The jobs a card's calls left running (a command sent to the background: `nohup … &`, `setsid`, `tmux new -d`;
 * Claude Code's `run_in_background` and async agents), each from the step that started it to the one where it is seen
 * to end: the harness's notice that it finished, a `KillShell` of it, a `BashOutput` that shows it ended, a `pkill`,
 * `killall` or `tmux kill-…` naming it (to the end of the card when nothing does).
 */
function jobsOf(ctx: FlagContext): {jobs: Array<{from: number; to: number}>; lastWait: Int32Array} {
  const kept = jobsCache.get(ctx)
  if (kept) return kept
  const steps = ctx.steps
  const n = steps.length
  const jobs: Array<{from: number; to: number; until: number; core: string; shell?: string}> = []
  const lastWait = new Int32Array(n).fill(-1)
  let last = -1
  for (let k = 0; k < n; k++) {
    lastWait[k] = last
    const step = steps[k]!
    const action = ctx.actions[k]
    const tool = step.tool
    if (step.kind !== 'tool' || !action || !tool) continue
    const t = ctx.times[k]!
    // Ended by now: the harness said so before this step began.
    if (!Number.isNaN(t)) for (const j of jobs) if (j.to === n && t > j.until) j.to = k
    if (WAIT.test(action.core ?? '')) last = k
    const stopped = stoppedShell(tool, ctx.failed[k] === 1)
    if (stopped !== undefined) for (const j of jobs) if (j.shell === stopped && j.to === n) j.to = k
    if (ctx.failed[k] === 1) continue
    if (KILLER.test(action.core ?? '')) {
      // (As `Background.kill` ends them: the jobs whose call names what it kills.)
      const named = killedName(JSON.stringify(tool.arguments ?? ''))
      if (named) for (const j of jobs) if (j.to === n && j.core.includes(named)) j.to = k
    }
    const background = tool.background
    if (background || action.detached) {
      const until = background?.finishedAt ? Date.parse(background.finishedAt) : Number.NaN
      jobs.push({
        from: k,
        to: n,
        until: Number.isNaN(until) ? Number.POSITIVE_INFINITY : until,
        core: JSON.stringify(tool.arguments ?? ''),
        shell: (BACKGROUND_SHELL.exec(tool.excerpt ?? '') ?? ASYNC_AGENT_ID.exec(tool.excerpt ?? ''))?.[1],
      })
    }
  }
  const out = {jobs: jobs.map(j => ({from: j.from, to: j.to})), lastWait}
  jobsCache.set(ctx, out)
  return out
}

const jobsCache = new WeakMap<FlagContext, ReturnType<typeof jobsOf>>()

/** Whether a job left running earlier in the card was still at work at step `k` (see `jobsOf`). */
export function jobAtWork(ctx: FlagContext, k: number): boolean {
  return jobsOf(ctx).jobs.some(j => j.from < k && k <= j.to)
}

/**
 * The step where a call waited before step `k`: `k` itself when its line starts with a wait (`sleep 60 && ls out/`),
 * else the last call before it that only waited (`sleep 5`, PowerShell's `Start-Sleep 5`); -1 when none did.
 */
export function waitBefore(ctx: FlagContext, k: number): number {
  if (WAIT.test(ctx.actions[k]?.parts?.[0] ?? '')) return k
  return jobsOf(ctx).lastWait[k] ?? -1
}

/**
 * Whether a command line (a core) ends processes: kill, pkill, killall, fuser -k, taskkill, PowerShell's Stop-Process;
 * not `kill -0` (is it alive?) nor `kill -l` (the signals' names), which end nothing.
 */
export function endsProcesses(core: string): boolean {
  return KILLS_PROCESS.test(core) && !KILL_NOTHING.test(core)
}

const KILLS_PROCESS =
  /(?:^@\S* |[;|] @\S* )(?:kill|pkill|killall|taskkill|stop-process|fuser (?:-\w+ )*-\w*k|xargs (?:-\S+ )*kill|npx (?:-\S+ )*kill-port|docker (?:container )?(?:stop|kill|rm -f)|tmux kill-(?:session|server))\b/i
const KILL_NOTHING = /(?:^@\S* |[;|] @\S* )kill (?:-0|-l|-L)\b/

/**
 * Whether a call between two steps left a process running (sent to the background, started detached, a harness's
 * background shell, a command still running when its call returned): one a kill after it may end. Any such call,
 * whatever the kill names: `npm run dev` starts the `next dev` a `pkill -f "next dev"` ends.
 */
export function startedBetween(ctx: FlagContext, earlier: number, later: number): boolean {
  for (let k = earlier + 1; k < later; k++) {
    const step = ctx.steps[k]!
    if (step.kind !== 'tool' || ctx.failed[k] === 1) continue
    if (ctx.actions[k]?.detached || step.tool?.background || stillRunning(step)) return true
  }
  return false
}

/** A call that only waits, by its core. */
const WAIT = /^@\S* (?:sleep|start-sleep)\b[^;|]*$/i
/**
 * For a background command whose line ends in `| tail -N` (tail prints only once what it reads has ended): the first
 * later call that names its output file and got something back, after which the file is written no more (the job's
 * write is placed before that call, and none after it). Undefined for any other command.
 */
function printedOnceAt(steps: readonly Step[], i: number, log: string): number | undefined {
  const command = (steps[i]!.tool?.arguments as {command?: unknown} | undefined)?.command
  if (typeof command !== 'string' || !ENDS_IN_TAIL.test(command)) return undefined
  for (let j = i + 1; j < steps.length; j++) {
    const t = steps[j]!.tool
    if (!t || t.status !== 'ok' || !(t.outputChars ?? 0) || noOutputNote(t.excerpt ?? '')) continue
    // A look at the file alone (after a `cd` or a wait): what another command on the line printed says nothing of it.
    const line = (t.arguments as {command?: unknown} | undefined)?.command
    if (typeof line === 'string' && line.includes(log) && !/;|&&|\|\||\n/.test(line.replace(LOOK_PREFIX, ''))) return j
  }
  return undefined
}

/** A `cd` or a wait before a look, on its line (`sleep 60 && tail -30 f`). */
const LOOK_PREFIX = /^(?:\s*(?:cd\s+(?:"[^"]*"|'[^']*'|\S+)|sleep\s+\d+)\s*&&\s*)+/

/** A command line whose last command is `tail -N` (or `tail -n N`) of what came through the pipe. */
const ENDS_IN_TAIL = /\|\s*tail\s+(?:-n\s*)?-?\d+\s*$/

/** A tool that prints several files, each under a `--- path ---` line (Gemini CLI's read_many_files). */
const MANY_FILES = /^read_many_files$/i

/** Where Cline's write tools print the file as it stands after them. */
const FINAL_CONTENT = '<final_file_content path="'

/** The files a write's result prints whole (`<final_file_content path="p">` … `</final_file_content>`). */
function finalContents(output: string): Array<{path: string; content: string}> {
  const out: Array<{path: string; content: string}> = []
  for (const m of output.matchAll(/<final_file_content path="([^"\n]+)">\n?([\s\S]*?)\n?<\/final_file_content>/g))
    out.push({path: m[1]!, content: m[2]!})
  return out
}

/** The files an output of MANY_FILES shows whole: under their `--- path ---` line, and not cut there. */
function filesShown(output: string): string[] {
  const out: string[] = []
  const heads = [...output.matchAll(/^--- (.+) ---$/gm)]
  heads.forEach((m, k) => {
    const path = m[1]!
    if (path === 'End of content') return
    const body = output.slice(m.index! + m[0].length, heads[k + 1]?.index ?? output.length)
    if (!/truncated|showing lines \d/i.test(body)) out.push(path)
  })
  return out
}

/** Where Claude Code's answer to a command sent to the background says its output is written. */
const HARNESS_LOG = /\bOutput is being written to: (\S+?)\.?(?:\s|$)/

/** Claude Code's answer to a command sent to the background, naming its shell. */
const BACKGROUND_SHELL = /^Command running in background with ID: (\S+?)\.?(?:\s|$)/

/** When the harness said a call that went on in the background finished (ms), or never. */
function finishedBy(tool: NonNullable<Step['tool']>): number {
  const at = tool.background?.finishedAt ? Date.parse(tool.background.finishedAt) : Number.NaN
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at
}

/**
 * The background shell or agent a call stopped or saw ended (`KillShell`, `TaskStop`, a `BashOutput` or `TaskOutput`
 * showing it ended, or answering that no such task is left: it ended and was let go). A failed call only by that answer.
 */
function stoppedShell(tool: NonNullable<Step['tool']>, failed: boolean): string | undefined {
  const args = (tool.arguments ?? {}) as Record<string, unknown>
  const id = [args.shell_id, args.bash_id, args.task_id].find(x => typeof x === 'string') as string | undefined
  if (id === undefined) return undefined
  const excerpt = tool.excerpt ?? ''
  if (failed) return NO_TASK.exec(excerpt)?.[1] === id ? id : undefined
  return /^(?:KillShell|KillBash|TaskStop)$/.test(tool.name) || ENDED_SHELL.test(excerpt) ? id : undefined
}
/** A `BashOutput` or `TaskOutput` whose own status (its first `<status>` field) says the job ended. */
const ENDED_SHELL = /^(?:(?!<status>)[\s\S])*<status>(?:completed|failed|killed)<\/status>/
/** Claude Code's answer for a task it no longer holds (`No task found with ID: af7d03e`). */
const NO_TASK = /No (?:task|shell) found with ID: ([\w-]+)/
