/**
 * What was already in the model's context when a step looked at something:
 * which lines of each file (from reads, from the agent's own whole-file
 * writes, from what outputs actually showed), and which searches and
 * listings, over trees nothing has changed since. Computed once per card in
 * one pass and shared by the re-read, near-duplicate and duplicate detectors.
 *
 * An earlier result counts only when it was shown in the same context (no
 * compaction since), was issued in an earlier LLM call (calls issued
 * together are judged on what came before them), succeeded, and nothing that
 * could change what it depends on happened since (`Timeline`).
 */
import {toolOutputLines} from '../../card/build.js'
import {
  ELISION,
  harnessHeaderEnd,
  headLines,
  notedFileLines,
  omittedLine,
  outputBody,
  reminderAt,
  statedFileLines,
  statedLines,
  statesItsLines,
} from '../../card/output-facts.js'
import type {Step} from '../../card/types.js'
import {CLAUDE_FILE_TOOLS, shellLine} from '../actions.js'
import {CHANGED_BEHIND, type FlagContext} from '../context.js'
import {
  DIR_GLOB,
  displayPath,
  isUnder,
  LOG_FILE,
  mayBeUnder,
  mutates,
  normalisePath,
  type Action,
  type FileRead,
  type FileWrite,
  type Range,
  type Search,
  WHOLE,
} from '../effects.js'
import {hitLines, noHits, textLines} from '../output.js'
import {matchesLine, narrower} from '../patterns.js'
import {parseShell} from '../shell.js'
import {BUILD_OUTPUT_PATH, NOWHERE} from '../untracked.js'
import {escapeRegExp, lineCount} from '../../util/text.js'

/** Lines Claude Code's Read shows when it names no range. */
const READ_DEFAULT_LINES = 2000

/**
 * The share of a partial re-read's lines shown before that makes it mostly known. Lines of which about half were
 * shown are half new: careful readers leave such a read alone (54% in two blind sets), and call three in five "mostly".
 */
const MOSTLY = 0.6

export interface LookFinding {
  step: Step
  /** `reread`: every line it showed was in context; `partial`: most were; `search`: an earlier search or listing already covered its hits. */
  kind: 'reread' | 'partial' | 'search'
  /** The file (for reads) or the scope (for searches) it is about. */
  subject: string
  /** Share of what it showed that was already in context, 0..1. */
  covered: number
  /** The earlier steps that cover it. */
  by: Step[]
  /** For searches: it is the same search in effect (not only a narrower one). */
  same?: boolean
  /** For searches: the earlier one was a listing of the tree. */
  byListing?: boolean
  /** For searches: every path it printed, the earlier listing printed, and no file was made there since (edits were). */
  byPaths?: boolean
  /** For reads: the copies (`cp a b`) that carried the lines shown by `by` into this file. */
  copies?: Step[]
  /** What may have changed the file since `by`, which the look's own lines show did not (a search: only a build). */
  readsSameAfter?: 'absence' | 'build' | 'unseen'
  /** The read's tool answered that the file is unchanged since it was last read (it showed no line of it). */
  stub?: boolean
  /** Its own lines must read as `by` showed them (see `lookFindings`). */
  verify?: boolean
  /** For a read that printed nothing: the file's length `by` told, which ends before the lines it asked for. */
  pastEnd?: number
}

interface Entry {
  step: Step
  range: Range
  /** The file's length in lines, when this entry tells it. */
  lines?: number
  /** The step that copied these lines here from the file `step` showed them in (`cp a b`). */
  via?: Step
  /** Lines a search of several files printed (see `filesPrinted`): no answer to another search of this file. */
  searched?: true
  epoch: number
  compaction: number
  batch: number
}

interface SearchEntry {
  step: Step
  search: Search
  epoch: number
  compaction: number
  batch: number
  empty: boolean
}

const cache = new WeakMap<FlagContext, LookFinding[]>()
/** Work done per context: entries of earlier reads looked at (tests check it stays linear in the steps). */
const work = new WeakMap<FlagContext, {entriesVisited: number}>()

/** How much coverage work judging a card's looks took (for tests of its growth). */
export function lookFindingsStats(ctx: FlagContext): {entriesVisited: number} {
  lookFindings(ctx)
  return work.get(ctx) ?? {entriesVisited: 0}
}

/** Steps that only looked at what the context already held (one finding per step at most). */
export function lookFindings(ctx: FlagContext): LookFinding[] {
  const cached = cache.get(ctx)
  if (cached) return cached
  const out: LookFinding[] = []
  const stats = {entriesVisited: 0}
  work.set(ctx, stats)
  const files = new Map<string, Entry[]>()
  const searches = new Map<string, SearchEntry[]>()
  const demands = new ReadDemands()
  const hits = new HitCache()
  const keys: GroupKeys = new Map()
  const texts = new TextSeen()
  const patches = new PatchRuns()
  /** Per file, the latest read of it in any context (see the unchanged stub below). */
  const lastReads = new Map<string, Step>()
  /** The tool call before this one. */
  let previous: Step | undefined
  /**
   * Files the agent's edit tool refused as changed since it read them, by someone else (see `CHANGED_BEHIND`): a person
   * editing them in their editor, a formatter on save. What aco cannot see goes on changing them.
   */
  let changedBehind: Set<string> | undefined
  // Indexed loops: a for-of over 100,000 steps allocates an iterator result per step in these large functions.
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const step = ctx.steps[i]!
    const action = ctx.actions[i]!
    const failed = ctx.failed[i] === 1
    if (failed && action.kind === 'write' && action.targets.length && CHANGED_BEHIND.test(ctx.outputOf(step) ?? '')) {
      changedBehind ??= new Set()
      for (let k = 0; k < action.targets.length; k++) changedBehind.add(action.targets[k]!)
    }
    const pure =
      !action.opaque &&
      !action.writesAny &&
      action.writes.length === 0 &&
      action.writesUnder.length === 0 &&
      !action.env &&
      action.scripts.length === 0 &&
      !action.volatile &&
      (action.reads.length > 0 || action.searches.length > 0)
    // Claude Code's Read answering "File unchanged since last read" (2.1.x): the tool itself says the call re-read what
    // is in context. It shows no line of the file, so nothing of it is noted (not even a length).
    if (
      !failed &&
      action.kind === 'read' &&
      action.reads.length === 1 &&
      !action.searches.length &&
      !action.writes.length &&
      !action.opaque &&
      readsByDefaultLimit(step.tool?.name ?? '') &&
      unchangedStub(ctx, step)
    ) {
      // (After a compaction the tool still answers so where its summary attached the file again: it says the read is
      // in context, and it tells the last one, of an earlier context, where nothing changed the file since.)
      const path = action.reads[0]!.path
      const last = lastReads.get(path)
      const earlier =
        latestLook(ctx, step, files, path) ??
        (last &&
        ctx.compaction[last.index]! < ctx.compaction[i]! &&
        !ctx.timeline.changed(path, ctx.epochAfter[last.index]!, ctx.epochBefore[i]!)
          ? last
          : undefined)
      if (earlier) {
        out.push({step, kind: 'reread', subject: action.reads[0]!.path, covered: 1, by: [earlier], stub: true})
        previous = step
        continue
      }
    }
    // What the output showed matters for reads; for a search, only whether it found nothing.
    const shown = action.reads.length ? ctx.shown(step) : undefined
    // An empty read showed nothing; an empty search showed that nothing matches (no output kept: judge on the arguments).
    const demand = action.reads.length === 1 ? demands.demand(ctx, step, action.reads[0]!.path) : undefined
    const demanded = demand === 'asked'
    const notFound = action.reads.length === 1 && demands.notFound(action.reads[0]!.path)
    demands.note(ctx, step)
    if (!failed && action.kind === 'read')
      for (let k = 0; k < action.reads.length; k++) lastReads.set(action.reads[k]!.path, step)
    // (Claude Code's tools count their own writes as reads: its stub answers "unchanged" since them too.)
    else if (!failed && action.kind === 'write' && CLAUDE_FILE_TOOLS.test(step.tool?.name ?? ''))
      for (let k = 0; k < action.targets.length; k++) lastReads.set(action.targets[k]!, step)
    // The lines each read put in context (computed once: judged, then remembered).
    const seenAll = action.reads.length
      ? placeReads(ctx, step, action, files).map(read =>
          unrefuted(ctx, step, read.path, seenRanges(ctx, step, read.range, action.reads.length === 1)),
        )
      : NOTHING_SEEN
    const printed = failed ? undefined : printedLines(ctx, step, action)
    // A range read past the end of a file whose length an earlier look told: its empty output was known.
    if (pure && !failed && shown?.empty && action.reads.length === 1 && !action.searches.length && !demanded) {
      const past = pastTheEnd(ctx, step, files, action.reads[0]!)
      if (past) out.push(past)
    }
    // A path listed that is not there (`ls ops`: "No such file or directory") asked whether its folder holds it.
    const absent = failed ? absentPath(ctx, step, action) : undefined
    if (
      pure &&
      (!failed || missingOnly(ctx, step, action) || absent !== undefined) &&
      (!shown?.empty || action.reads.length === 0) &&
      !demanded
    ) {
      let finding =
        (printed && previous && justPrinted(ctx, step, files, printed, previous, stats)) ||
        (printed && knownHits(ctx, step, files, searches, keys, printed, stats)) ||
        judge(ctx, step, files, searches, hits, keys, seenAll, stats, absent)
      // A read whose lines aco cannot place by number (or not all of them) may still show text already shown.
      if (action.reads.length === 1 && action.searches.length === 0 && (!finding || finding.kind === 'partial')) {
        const byText =
          texts.judge(ctx, step, action.reads[0]!.path, seenAll[0]!.ranges.length > 0, stats) ??
          patches.judge(ctx, step, action.reads[0]!.path)
        if (byText && (!finding || byText.covered > finding.covered)) finding = byText
      }
      // After an edit that did not find its text, what the agent holds of the file may be wrong, and a read is the fix.
      // A read of lines shown since the file last changed, each of them, by a read or an edit's snippet (the tool prints
      // both the same way, numbered lines of the file as it is) fixes nothing: it is a re-read (a snippet's lines must
      // read the same). A read that shows more than edits' snippets had, their lines among them, looks for the text.
      // (OpenHands' editor prints the file as the edit left it, and no hook of its harness rewrites it after: its
      // snippets are what the file holds.)
      if (finding && notFound && !finding.by.every(b => ctx.actions[b.index]?.kind === 'read')) {
        if (
          finding.kind === 'partial' &&
          ctx.card.source.format !== 'openhands' &&
          !finding.by.every(b =>
            ctx.writes[b.index]?.writes.some(w => w.path === finding!.subject && w.content !== undefined),
          )
        )
          finding = undefined
        else finding.verify = true
      }
      // A Read the tools would have asked for but for their own write of the file must read as written: a formatter
      // aco does not see (`npm run lint -- --fix`, a hook) may have rewritten it, and then the tools ask again.
      else if (finding && demand === 'spared') finding.verify = true
      // A file someone changes behind the agent, read again: a look for what they did, whatever it shows (fresh288 #27:
      // "it could not know the file was unchanged"); not right after the call before it showed those lines.
      if (
        finding &&
        finding.kind !== 'search' &&
        changedBehind?.has(finding.subject) &&
        !finding.by.every(b => b === previous)
      )
        finding = undefined
      if (finding) out.push(finding)
    }
    previous = step
    // What this step puts in context. What it looked at, it saw before its own writes were done (`ls -la && npm run
    // clean`: those count as changes since), unless it ends with the look (`python fix.py && nl -ba f | sed -n 1,40p`).
    const seenAt =
      mutates(action) && !LOOK_LAST.test(action.parts?.at(-1) ?? '') ? ctx.epochBefore[i]! : ctx.epochAfter[i]!
    if (!failed) patches.note(ctx, step)
    if (!failed) {
      for (let r = 0; r < action.reads.length; r++) {
        const read = action.reads[r]!
        const seen = seenAll[r]!
        for (let k = 0; k < seen.ranges.length; k++)
          addEntry(ctx, files, read.path, {
            step,
            range: seen.ranges[k]!,
            lines: seen.lines,
            epoch: seenAt,
            compaction: ctx.compaction[i]!,
            batch: ctx.batch[i]!,
          })
      }
      for (let k = 0; k < action.searches.length; k++) {
        const s = action.searches[k]!
        const key = groupKey(s, keys)
        const entry: SearchEntry = {
          step,
          search: s,
          epoch: seenAt,
          compaction: ctx.compaction[i]!,
          batch: ctx.batch[i]!,
          empty: ctx.foundNothing(step),
        }
        remember(searches, key, entry)
        // Content searches are also kept by their options alone, for a later narrower pattern.
        if (comparablePattern(s)) remember(searches, broadKey(s), entry)
      }
    }
    // Whether its lines were placed by number (a read's range, numbered lines): text adds nothing to those.
    if (!failed)
      texts.note(ctx, step, action, action.reads.length === 1 ? seenAll[0]!.ranges.length > 0 : !!printed, seenAt)
    // The numbered lines a search of one file printed (`grep -n`, with its context lines) are in context too.
    if (printed)
      for (const range of printed.ranges)
        addEntry(ctx, files, printed.path, {
          step,
          range,
          epoch: seenAt,
          compaction: ctx.compaction[i]!,
          batch: ctx.batch[i]!,
        })
    // The numbered lines a search printed of each file it found them in (`grep -rn`, `rg -n`, Grep's content, Gemini
    // CLI's grep_search) are in context too, file by file.
    else if (!failed && action.searches.length === 1 && !action.reads.length) {
      const byFile = filesPrinted(ctx, step, action.searches[0]!)
      if (byFile)
        for (const [path, lines] of byFile)
          for (const range of rangesOf(lines))
            addEntry(ctx, files, path, {
              step,
              range,
              epoch: seenAt,
              compaction: ctx.compaction[i]!,
              batch: ctx.batch[i]!,
              searched: true,
            })
    }
    // The numbered lines an edit tool printed of the file it changed (Claude Code's Edit, str_replace_editor: "the
    // result of running `cat -n` on a snippet of the edited file") are in context as they are after the edit.
    if (!failed && action.kind === 'write' && action.targets.length === 1) {
      const numbered = ctx.shown(step)?.numbered
      if (numbered)
        for (const range of numbered)
          addEntry(ctx, files, action.targets[0]!, {
            step,
            range,
            epoch: ctx.epochAfter[i]!,
            compaction: ctx.compaction[i]!,
            batch: ctx.batch[i]!,
          })
    }
    // A whole file the agent wrote itself is in its context, every line of it.
    const writes = ctx.writes[i]
    if (writes && !failed) carryCopies(ctx, step, action, writes.writes, files)
    if (writes && !failed) {
      for (let k = 0; k < writes.writes.length; k++) {
        const w = writes.writes[k]!
        if (w.content === undefined) continue
        const lines = lineCount(w.content)
        addEntry(ctx, files, w.path, {
          step,
          range: [1, WHOLE],
          lines,
          epoch: ctx.epochAfter[i]!,
          compaction: ctx.compaction[i]!,
          batch: ctx.batch[i]!,
        })
      }
    }
  }
  // The last word on a read: lines printed with their numbers both times must say the same; after what aco could not
  // see into (a command it cannot read, a person's absence, a write somewhere below the file's folder), the read must
  // show that nothing it printed changed.
  // A read that shows a line changed since then tells that this did change the project: no read across it of a file in
  // that folder (or below it) is called unchanged (the agent could not know which files there were).
  // After a build wrote its outputs where the file lies, likewise: the read's lines must read as shown before.
  const unseen = out.map(f => (f.kind === 'search' ? undefined : acrossUnseen(ctx, f)))
  const built = out.map(f => f.kind !== 'search' && acrossBuild(ctx, f))
  // A file's last lines placed by its length must read as those lines did: a log another process appends to moves
  // its end where aco cannot see.
  // A log read again after what aco could not see into checks for news, whatever it shows (see `LOG_FILE`).
  const verdicts = out.map((f, k) =>
    (unseen[k] !== undefined && namedBetween(ctx, f)) ||
    ((unseen[k] !== undefined || built[k]) && f.kind !== 'search' && LOG_FILE.test(f.subject))
      ? 'unknown'
      : unseen[k] !== undefined || built[k] || (f.kind !== 'search' && (placed.has(f.step) || f.verify === true))
        ? sameLines(ctx, f)
        : undefined,
  )
  // Where such a read showed a change: the folders (of the files that changed) whose files the agent could not know
  // were unchanged. A read elsewhere that reads as shown before is a re-read (a training script rewrote
  // models/meta.json; the sources beside it read as written).
  const changedIn = new Map<number, string[]>()
  out.forEach((f, k) => {
    const u = unseen[k]
    if (u === undefined || verdicts[k] !== 'differs') return
    const dirs = changedIn.get(u) ?? []
    dirs.push(f.subject.slice(0, Math.max(1, f.subject.lastIndexOf('/'))))
    changedIn.set(u, dirs)
  })
  // (And a file such a command's output names as written: `writing src/generated/models.py`.)
  // (A change in the project's own folder, a manifest or a lock file an installer rewrote, tells of the files beside it,
  // not of every file below: `npx expo lint` that installed eslint into package.json had held every re-read of the
  // session's sources after it.)
  const changedAround = (f: LookFinding, u: number | undefined): boolean => {
    const dirs = u === undefined ? undefined : changedIn.get(u)
    const top = (dir: string): boolean => dir === ctx.card.cwd || dir === ctx.cwdOf(f.step)
    const beside = (dir: string): boolean => f.subject.slice(0, Math.max(1, f.subject.lastIndexOf('/'))) === dir
    return (
      dirs !== undefined &&
      (dirs.some(dir => (top(dir) ? beside(dir) : isUnder(f.subject, dir))) || reportedBetween(ctx, f))
    )
  }
  out.forEach((f, k) => {
    const u = unseen[k]
    if (verdicts[k] === 'same' && (u !== undefined || built[k]))
      f.readsSameAfter = u === undefined ? 'build' : ctx.timeline.awayIn(u - 1, u) !== undefined ? 'absence' : 'unseen'
  })
  const agreed = out.filter(
    (f, k) =>
      // Times and sizes asked again at a person's later turn (`ls -l`, `stat`): a check of what they may have done.
      !(f.by.some(b => b.turn !== f.step.turn) && showsTimes(f.step)) &&
      !asksWhatACutHid(ctx, f) &&
      (f.kind === 'search' ||
        f.stub === true ||
        (numberedLinesAgree(ctx, f) &&
          !hitGone(ctx, f) &&
          linesPresent(ctx, f) &&
          !lengthDiffers(ctx, f) &&
          (verdicts[k] === undefined
            ? !gotShorter(ctx, f) && !differsFromOwnWrite(ctx, f)
            : verdicts[k] === 'same' &&
              !changedAround(f, unseen[k]) &&
              !(unseen[k] !== undefined && saysChanged(ctx, f))))),
  )
  cache.set(ctx, agreed)
  return agreed
}

/**
 * What Claude Code's Read answers instead of a file it has not changed since the agent last read it ("File unchanged
 * since last read"; 2.1.15x: "Wasted call — file unchanged since your last Read. Refer to that earlier tool_result").
 */
const UNCHANGED_STUB = /^\s*(?:File unchanged since last read|Wasted call — file unchanged since your last Read)\b/i

function unchangedStub(ctx: FlagContext, step: Step): boolean {
  const excerpt = step.tool?.excerpt
  return excerpt !== undefined && UNCHANGED_STUB.test(excerpt) && UNCHANGED_STUB.test(ctx.outputOf(step) ?? '')
}

/** The latest look at `path` still in context when `step` was issued (the same context, an earlier LLM call). */
function latestLook(ctx: FlagContext, step: Step, files: Map<string, Entry[]>, path: string): Step | undefined {
  const list = files.get(path)
  if (!list?.length) return undefined
  const i = step.index
  dropStale(ctx, list, path, ctx.compaction[i]!, ctx.epochBefore[i]!)
  // The latest read of it (the tool's "since last read"), not a search of it.
  return list.findLast(e => e.batch < ctx.batch[i]! && ctx.actions[e.step.index]?.kind === 'read')?.step
}

/** A command line's last pipeline that looks at files (it ran after the rest of the line). */
const LOOK_LAST =
  /(?:^|\s)(?:cat|nl|sed|head|tail|ls|find|grep|rg|wc|tree|stat|Get-Content|Get-ChildItem|Select-String)\s/

/** The reads of steps whose reads asked for a file's last lines, placed (see `placeReads`). */
const placed = new WeakMap<Step, readonly FileRead[]>()

/** A step's reads, those of a file's last lines placed. */
function readsOf(ctx: FlagContext, step: Step): readonly FileRead[] | undefined {
  return placed.get(step) ?? ctx.actions[step.index]?.reads
}

/**
 * A step's reads with the last lines of a file (`tail -n 40 f`) placed: by the file's length, when an earlier look
 * told it, nothing changed the file since and the read printed as many lines as that length leaves; as the whole file,
 * when the read printed fewer lines than it asked for;
 * else counted back from the end (`[-40, 0)`), where only another such read of the unchanged file meets them.
 */
function placeReads(ctx: FlagContext, step: Step, action: Action, files: Map<string, Entry[]>): readonly FileRead[] {
  if (!action.reads.some(r => r.last !== undefined)) return action.reads
  const shown = ctx.shown(step)
  const reads = action.reads.map((r): FileRead => {
    const n = r.last
    if (n === undefined) return r
    const length = knownLength(ctx, step, r.path, files)
    // (A shell's banner above the file's lines is none of them.)
    const lines = shown && !shown.elided ? shown.headLines - leadingBanners(ctx, step) : undefined
    // Placed by the length only when it printed as many lines as that length leaves (a log that grew prints more).
    if (length !== undefined && (lines === undefined || lines === Math.min(n, length)))
      return {path: r.path, range: [Math.max(1, length + 1 - n), length + 1]}
    if (action.reads.length === 1 && lines !== undefined && !shown!.empty && lines < n)
      return {path: r.path, range: [1, 1 + n]}
    // The file's own numbers on every line it printed (`nl -ba f | tail -n 30`, `cat -n f | tail`) place them, when they
    // do not start at 1 (numbers given after the cut, `tail f | cat -n`, always do).
    const numbered = action.reads.length === 1 && lines !== undefined ? shown!.numbered : undefined
    if (
      numbered?.length === 1 &&
      numbered[0]![0] > 1 &&
      numbered[0]![1] - numbered[0]![0] === lines &&
      numbersEveryLine(step)
    )
      return {path: r.path, range: numbered[0]!}
    return {path: r.path, range: [-n, 0]}
  })
  placed.set(step, reads)
  return reads
}

/**
 * Whether the numbers a call printed are its file's lines: not plain `nl`'s, which skip blank lines (`nl -ba`, `nl -b
 * a` and `cat -n` number every line; review 109: `nl f | tail` placed lines 46-50 as 38-42).
 */
function numbersEveryLine(step: Step): boolean {
  const line = shellLine(step.tool?.arguments)
  if (!line) return true
  for (const c of parseShell(line)) {
    const w = c.words
    if (w[0]?.slice(w[0].lastIndexOf('/') + 1) !== 'nl') continue
    const all = w.some(
      (x, k) =>
        /^-[A-Za-z]*ba$/.test(x) ||
        x === '--body-numbering=a' ||
        ((/^-[A-Za-z]*b$/.test(x) || x === '--body-numbering') && w[k + 1] === 'a'),
    )
    // (Nor numbers from another start or by another step: `-v 0`, `-i 2`.)
    const shifted = w.some(x => /^-[A-Za-z]*[vil]|^--(?:starting-line-number|line-increment|join-blank-lines)/.test(x))
    if (!all || shifted) return false
  }
  return true
}

/**
 * A read of lines from `a` on that printed nothing, where the latest look that told the file's length (nothing having
 * changed the file since, in the same context, asked before) told it ends before `a`: it could only print nothing.
 */
function pastTheEnd(
  ctx: FlagContext,
  step: Step,
  files: Map<string, Entry[]>,
  read: FileRead,
): LookFinding | undefined {
  const from = read.range?.[0]
  // A log grows by itself (what a running process appends): reading on past its end is how it is followed.
  if (from === undefined || from <= 1 || LOG_FILE.test(read.path)) return undefined
  const e = lengthTold(ctx, step, read.path, files)
  const i = step.index
  if (!e || e.lines! >= from || e.compaction !== ctx.compaction[i] || e.batch >= ctx.batch[i]!) return undefined
  // A look of lines from past that length that showed some (an empty look adds no entry) says the file grew since,
  // whatever aco saw write it. (A range that starts within the file says nothing: it asked for more than it showed.)
  if (files.get(read.path)!.some(x => x.range[0] > e.lines!)) return undefined
  return {step, kind: 'partial', subject: read.path, covered: 1, by: [e.step], pastEnd: e.lines}
}

/** The file's length in lines, as the latest look that told it did, when nothing changed the file since. */
function knownLength(ctx: FlagContext, step: Step, path: string, files: Map<string, Entry[]>): number | undefined {
  return lengthTold(ctx, step, path, files)?.lines
}

/** The latest look that told the file's length (its `lines`), when nothing changed the file since. */
function lengthTold(ctx: FlagContext, step: Step, path: string, files: Map<string, Entry[]>): Entry | undefined {
  const entries = files.get(path)
  if (!entries) return undefined
  for (let k = entries.length - 1; k >= 0; k--) {
    const e = entries[k]!
    if (e.lines === undefined) continue
    return ctx.timeline.changed(path, e.epoch, ctx.epochBefore[step.index]!) ? undefined : e
  }
  return undefined
}

/**
 * Whether a read asked, in other words, for a file an earlier look of it showed cut short by the harness (`sed -n
 * 1,200p f` after a `cat f` cut to its byte limit), and was cut short itself: it showed mostly what the earlier one
 * had, but it asked for what that cut hid, and that it would be cut as well the agent could not know. (The same
 * command again, cut the same way, it could.)
 */
function asksWhatACutHid(ctx: FlagContext, f: LookFinding): boolean {
  if (f.kind === 'search' || !ctx.shown(f.step)?.elided) return false
  const key = ctx.callKey[f.step.index]
  return f.by.some(b => ctx.shown(b)?.elided === true && ctx.callKey[b.index] !== key)
}

/**
 * Whether the lines a read printed with their numbers (`cat -n`, `nl`, Claude Code's Read, `grep -n` in one file)
 * read the same as the earlier outputs that cover it printed them, where both printed a line. A change aco did not
 * see (a command whose writes it cannot read) shows there: then nothing is called unchanged.
 */
function numberedLinesAgree(ctx: FlagContext, f: LookFinding): boolean {
  const later = fileLines(ctx, f.step)
  if (!later) return true
  for (const by of f.by) {
    const earlier = lookedLines(ctx, by, f.subject)
    if (!earlier || agree(earlier, later, 0) !== false) continue
    // A range read that printed fewer lines than it asked for may have lost blank lines at its start to the harness's
    // trimming (Claude Code's Bash trims an output's both ends): its lines stand one or two lower in the file. Placed
    // so, they agree line for line (some of them with text: blank lines agree with anything blank).
    // (Or the earlier look's lines, the same way.)
    // (Within one turn: across a person's turn the lines may have moved by their edit.)
    const sameTurn = by.turn === f.step.turn
    const short = sameTurn ? trimmed(ctx, f.step) : 0
    const shortBefore = sameTurn ? trimmed(ctx, by) : 0
    let placed = false
    for (let shift = -shortBefore; shift <= short && !placed; shift++)
      placed = shift !== 0 && agree(earlier, later, shift) === true
    if (!placed) return false
  }
  return true
}

/**
 * Whether the lines two looks placed agree where both placed one, the later's moved `shift` lines down (up, for a
 * negative shift: the earlier's down): false where
 * one differs, true where at least `MIN_AGREEING` lines with text agree, undefined when too few overlap to tell.
 */
function agree(earlier: Map<number, string>, later: Map<number, string>, shift: number): boolean | undefined {
  let agreeing = 0
  for (const [n, text] of later) {
    const was = earlier.get(n + shift)
    if (was === undefined) continue
    if (!sameLine(was, text, bare(earlier, n + shift) || bare(later, n))) return false
    if (text.trim()) agreeing++
  }
  return shift === 0 || agreeing >= MIN_AGREEING ? true : undefined
}

/** Lines with text that must agree, placed otherwise, to say where a read's lines stand. */
const MIN_AGREEING = 3

/**
 * How many blank lines a read may have lost at its start to the harness's trimming: its shortfall (see `shortfall`), when
 * no more than `TRIMMABLE` and the harness trims (Claude Code's Bash); 0 otherwise (a read that asked far past the end
 * of a file lost its lines to the end).
 */
function trimmed(ctx: FlagContext, step: Step): number {
  if (ctx.card.source.format !== 'claude-code' || step.tool?.name !== 'Bash') return 0
  const short = shortfall(ctx, step)
  return short <= TRIMMABLE ? short : 0
}

/** How many fewer lines than its range asks a read of one file printed (0 when it asked none, or showed a cut). */
function shortfall(ctx: FlagContext, step: Step): number {
  const action = ctx.actions[step.index]
  const range = action?.reads.length === 1 && !action.searches.length ? readsOf(ctx, step)![0]?.range : undefined
  const shown = ctx.shown(step)
  if (!range || !shown || shown.elided || shown.numbered || range[1] === WHOLE) return 0
  return Math.max(0, range[1] - range[0] - (shown.headLines - leadingBanners(ctx, step)))
}

/**
 * For a re-read (every line it shows was shown): whether each line it printed stands somewhere in what the looks
 * covering it showed (their outputs, the agent's whole-file writes, the runs a patch carried), wherever it stood
 * there. A line shown nowhere says the file changed where aco could not see (a person's edits between turns), or that
 * the lines were placed wrong: then it is not called unchanged. Outputs past a budget per card are not compared.
 */
function linesPresent(ctx: FlagContext, f: LookFinding): boolean {
  // Across a person's turn only: what they did between turns (edit, commit, pull) is what aco cannot see.
  if (f.kind !== 'reread' || f.by.every(b => b.turn === f.step.turn)) return true
  const budget = presentBudget.get(ctx) ?? {chars: 0}
  presentBudget.set(ctx, budget)
  const mine = ctx.outputOf(f.step)
  if (mine === undefined) return true
  const pool = new Set<string>()
  // Each covering look's lines in order, for one look alone (a line moved or gone shows there).
  let only: string[] | undefined
  for (const by of f.by) {
    const writes = ctx.writes[by.index]?.writes ?? []
    let carried = false
    const seen: string[] = []
    for (const w of writes) {
      if (w.content !== undefined) seen.push(...textLines(w.content, MAX_PRESENT_LINES).map(printed))
      if (w.replaced) for (const run of w.replaced) seen.push(...textLines(run, MAX_PRESENT_LINES).map(printed))
      carried ||= w.content !== undefined || w.replaced !== undefined
    }
    // (A search's lines of several files: this file's, as its own search numbers them and as a read prints them.)
    const lines = carried ? undefined : printedOf.get(by)?.get(f.subject)
    if (lines) for (const [n, text] of lines) seen.push(printed(`${n}:${text}`), printed(text))
    const output = carried || lines ? undefined : ctx.outputOf(by)
    if (output === undefined && !carried && !lines) return true
    if (output !== undefined) {
      budget.chars += output.length
      if (budget.chars > MAX_READ_CHARS) return true
      seen.push(...presentLines(ctx, by, output))
    }
    for (const line of seen) pool.add(line)
    if (f.by.length === 1) only = seen
  }
  const banner = banners(ctx)
  const lines = presentLines(ctx, f.step, mine).filter(line => !banner.has(line))
  // (A line may have been printed joined to what came next: a file without a last newline, then `echo ---`. A few
  // such lines at most: each is looked for among all the pool's lines.)
  let all: string[] | undefined
  let joined = 0
  for (const line of lines) {
    if (pool.has(line)) continue
    all ??= [...pool]
    if (++joined > MAX_JOINED || !all.some(p => p.startsWith(line))) return false
  }
  // One look covering it: its lines stand in that look in the same order (a line moved says the file changed).
  if (only) {
    let at = 0
    for (const line of lines) {
      let k = only.indexOf(line, at)
      if (k === -1 && ++joined <= 2 * MAX_JOINED) k = only.findIndex((p, q) => q >= at && p.startsWith(line))
      if (k === -1) return false
      at = k + 1
    }
  }
  return true
}

/** `differsFromOwnWrite` for a read that printed no line numbers (see there). */
function unnumberedDiffers(ctx: FlagContext, f: LookFinding): boolean {
  // (A shell command's print of the file: a read tool numbers its lines, one line too few to count as numbered.)
  if (!ctx.actions[f.step.index]?.parts) return false
  const later = fileLines(ctx, f.step)
  const range = readsOf(ctx, f.step)?.[0]?.range
  if (!later || !later.size || [...later.values()].some(line => /^\s*\d+(?:\t|→)/.test(line))) return false
  const got = [...later].filter(([, text]) => text.trim() !== '')
  for (const by of f.by) {
    const written = writtenLines(ctx, by, f.subject)
    if (!written) continue
    const [from, to] = range ?? [1, WHOLE]
    const want = [...written].filter(([n, text]) => n >= from && n < to && text.trim() !== '')
    // (A read cut short shows the start alone.)
    if (got.length > want.length) return true
    for (let k = 0; k < got.length; k++) {
      const [n, text] = got[k]!
      const was = want[k]![1]
      if (unmangled(was) !== unmangled(text) && !sameLine(was, text, bare(later, n))) return true
    }
  }
  return false
}

/** A line as `printed` compares it, and without the `?` a console's encoding may print for what is not ASCII. */
function unmangled(line: string): string {
  return printed(line).replace(/\?/g, '')
}

/** A printed line as `linesPresent` compares it: without what printing may add or mangle (a console's encoding). */
function printed(line: string): string {
  return line.replace(/[^\x20-\x7e]+/g, '')
}

/**
 * What a tool showed of a file: its output without the harness's header above the lines (Codex's exec header,
 * OpenCode's `<path>…<content>`) nor the notes it appends after them (OpenCode's `(End of file - total 3 lines)` and
 * `</content>`, Claude Code's `<system-reminder>`).
 */
function shownBody(output: string): string {
  return outputBody(output.slice(0, reminderAt(output)))
}

/**
 * An output's lines as `linesPresent` compares them: no harness header, numbers (`12:`, and grep's `12-` for the
 * context lines of a search with context) or grep's `--`.
 */
function presentLines(ctx: FlagContext, step: Step, output: string): string[] {
  const context = ctx.actions[step.index]?.searches.some(x => x.context[0] > 0 || x.context[1] > 0) ?? false
  const out: string[] = []
  for (const line of textLines(shownBody(output), MAX_PRESENT_LINES)) {
    if (context && line === '--') continue
    out.push(printed(context ? line.replace(/^\d+-/, '') : line))
  }
  return out
}

const presentBudget = new WeakMap<FlagContext, {chars: number}>()
/** Lines of a re-read looked for as the start of a longer line, at most (see `linesPresent`). */
const MAX_JOINED = 4
/** Lines of one text compared at most. */
const MAX_PRESENT_LINES = 20_000

/** Whether a command aco could not see into ran between any of `covering` and the search `s` of `step`. */
function acrossUnseenSearch(ctx: FlagContext, step: Step, s: Search, covering: readonly Step[]): boolean {
  const before = ctx.epochBefore[step.index]!
  return covering.some(b =>
    s.scopes.some(scope => ctx.timeline.unseenIn(scope, ctx.epochAfter[b.index]!, before) !== undefined),
  )
}

/**
 * The last event aco could not see into (see `Timeline.unseenIn`) between a look that covers the read and the read
 * (its epoch), or undefined.
 */
function acrossUnseen(ctx: FlagContext, f: LookFinding): number | undefined {
  const before = ctx.epochBefore[f.step.index]!
  let last: number | undefined
  for (const by of f.by) {
    const a = ctx.timeline.unseenIn(f.subject, ctx.epochAfter[by.index]!, before)
    if (a !== undefined && (last === undefined || a > last)) last = a
  }
  return last
}

/**
 * Whether a call between a look that covers the read and the read, which may have written what aco could not place,
 * names the read's file (`./fix.sh app.py`, a subagent asked to change `app.py`): it may have been run to change it,
 * and the read checks whether it did. Its own lines cannot say the read was redundant then.
 */
function namedBetween(ctx: FlagContext, f: LookFinding): boolean {
  const name = f.subject.slice(f.subject.lastIndexOf('/') + 1)
  if (name === '') return false
  const from = Math.min(...f.by.map(b => b.index))
  for (let i = from + 1; i < f.step.index; i++) {
    const w = ctx.writes[i]
    if (!w || !(w.any || w.under.length)) continue
    const args = ctx.steps[i]!.tool?.arguments
    if (args === undefined) continue
    // The command line where it names the file (`python3 init_agent.py`, whose description "Test init_agent.py" says
    // nothing more); the description too where it does not (`make fmt`, "Format src/cli.py": what it meant to rewrite).
    const line = shellLine(args)
    const text = line.includes(name) ? line : JSON.stringify(args)
    // (Named as the program an interpreter runs, `python3 src/report.py`: a program does not rewrite itself.)
    let at = text.indexOf(name)
    while (at !== -1 && RUN_BY_INTERPRETER.test(text.slice(Math.max(0, at - 200), at))) at = text.indexOf(name, at + 1)
    if (at !== -1) return true
  }
  return false
}

/** An output saying files were changed without naming them: `Updating fonts.`, `Updated 3 files`, `reformatted 2 files`. */
const UNLISTED_CHANGES =
  /^[ \t]*(?:[✔✓√•*>+-][ \t]*)?(?:updat(?:ing|ed)|rewr(?:ote|iting)|reformatt(?:ed|ing)|formatt(?:ed|ing)|modif(?:ied|ying)|fix(?:ed|ing))[ \t]+(?:[1-9]\d*[ \t]+)?(?:files?|fonts|imports|configs?|configuration|sources?|styles?)\b(?![ \t]+(?:in|at|to)[ \t]+\S*[/.])(?![\w.-]*[/:])/im
/** An output that says, beside such a line, that it changed nothing (Biome's `Formatted 12 files … No fixes applied`). */
const CHANGED_NOTHING =
  /\bno (?:fixes|changes) (?:applied|made|needed)\b|\b(?:0|no) files? (?:changed|fixed|modified|updated|reformatted)\b|\ball files? (?:are )?unchanged\b/i

/**
 * Whether a call between a look that covers the read and the read, which may have written what aco could not place,
 * says in its output that it changed files without naming them (`✔ Updating fonts.`, `Formatted 12 files`): the agent
 * could not know which, and a read after it checks (fresh108 #185, after shadcn's init: "it mentioned 'Updating fonts':
 * let me check what it did to the layout").
 */
function saysChanged(ctx: FlagContext, f: LookFinding): boolean {
  // (Past a few such commands, their outputs are not read: the read is judged as before.)
  return outputBetween(ctx, f, false, output => UNLISTED_CHANGES.test(output) && !CHANGED_NOTHING.test(output))
}

/**
 * Whether `test` holds for the output of a call between a look that covers the read and the read that may have
 * written what aco could not place; past MAX_REPORTING such calls their outputs are not all read again for each read,
 * and `past` is the answer.
 */
function outputBetween(
  ctx: FlagContext,
  f: LookFinding,
  past: boolean,
  test: (output: string, step: Step) => boolean,
): boolean {
  const from = Math.min(...f.by.map(b => b.index))
  let read = 0
  for (let i = from + 1; i < f.step.index; i++) {
    if (!ctx.writes[i]?.any) continue
    if (++read > MAX_REPORTING) return past
    const step = ctx.steps[i]!
    const output = ctx.outputOf(step) ?? step.tool?.excerpt
    if (output !== undefined && test(output, step)) return true
  }
  return false
}

/** How many outputs of commands aco cannot see into `outputBetween` reads for one read. */
const MAX_REPORTING = 32

/**
 * Whether a call between a look that covers the read and the read, which may have written what aco could not place,
 * names the read's file in its output (its path from the call's folder, or whole): a file it says it wrote.
 */
function reportedBetween(ctx: FlagContext, f: LookFinding): boolean {
  // (Past a few such commands, taken as named.)
  return outputBetween(ctx, f, true, (output, step) => {
    const cwd = ctx.cwdOf(step)
    const rel = cwd && f.subject.startsWith(`${cwd}/`) ? f.subject.slice(cwd.length + 1) : undefined
    for (const p of rel ? [f.subject, rel] : [f.subject]) {
      for (let at = output.indexOf(p); at !== -1; at = output.indexOf(p, at + 1)) {
        if (!/[\w./-]/.test(output[at - 1] ?? '') && !/[\w/-]/.test(output[at + p.length] ?? '')) return true
      }
    }
    return false
  })
}

/**
 * The words before a program's path when an interpreter runs it (`python3 -u src/`, `py -3 `, `uv run `, `node `,
 * `bash scripts/`, PowerShell's `& 'C:\\tools\\` and `-File `), in a call's arguments as JSON.
 */
const RUN_BY_INTERPRETER =
  /(?:(?:^|[\s"'&;|(])(?:pythonw?[\d.]*|py|node|bash|sh|zsh|ruby|perl|php|deno run|bun|tsx|ts-node|Rscript|pwsh|powershell|(?:uv|pipenv|hatch|poetry|rye) run(?: pythonw?[\d.]*)?)(?: -[\w.-]+)*\s+|(?:^|[\s"(;]|\\n)& |\s-File\s+)['"]?[^\s'"]*$/

/** Whether a build wrote its outputs where the read's file lies, between a look that covers it and the read. */
function acrossBuild(ctx: FlagContext, f: LookFinding): boolean {
  const before = ctx.epochBefore[f.step.index]!
  return f.by.some(by => ctx.timeline.builtIn(f.subject, ctx.epochAfter[by.index]!, before))
}

/**
 * `same` when every line the read placed reads as the looks covering it showed them (the agent's own whole-file
 * writes, earlier reads' placed lines); `differs` when a line reads otherwise; `unknown` when the read's lines cannot
 * be placed, or one was shown nowhere. A file the agent had only read counts as much as one it wrote: what the read
 * printed is what the file holds, whatever ran in between.
 */
function sameLines(ctx: FlagContext, f: LookFinding): 'same' | 'differs' | 'unknown' {
  // (Several files with their numbers, one after another: each compared with the looks at that file alone.)
  const several = readsOf(ctx, f.step)
  if (several && several.length > 1) return sameLinesEach(ctx, f, several)
  // (Looks one after another on one line, `rg -n x f && sed -n 1,80p f`: each part compared with what it printed.)
  if ((ctx.actions[f.step.index]?.parts?.length ?? 1) > 1 && !ctx.shown(f.step)?.numbered) return sameLinesSplit(ctx, f)
  const later = fileLines(ctx, f.step)
  if (!later || later.size === 0 || ctx.shown(f.step)?.elided) return 'unknown'
  // What each covering look showed, and whether it showed the whole file (then its length is the file's).
  const known: Array<{lines: Map<number, string>; whole: boolean}> = []
  for (const by of f.by) {
    const written = writtenLines(ctx, by, f.subject)
    if (written) known.push({lines: written, whole: true})
    else {
      const lines = lookedLines(ctx, by, f.subject)
      if (!lines) return 'unknown'
      const read = readsOf(ctx, by)
      known.push({lines, whole: read?.length === 1 && !read[0]!.range && !ctx.shown(by)?.elided})
    }
  }
  let same = 0
  let unplaced = false
  let last = 0
  for (const [n, text] of later) {
    if (text.trim() !== '') last = Math.max(last, n)
    const from = known.find(k => k.lines.has(n))?.lines
    const was = from?.get(n)
    if (was === undefined) {
      // (Claude Code's Read numbers the empty line after a file's last newline.)
      if (f.kind === 'reread' && text.trim() !== '') unplaced = true
      continue
    }
    // Exactly, indentation included (a line moved into a block reads otherwise).
    // A line whose indentation a harness took, alike in its text: where the earlier look lost it, what it was is not
    // known, so the read cannot be said to read as it did; where this read lost it, it shows nothing new.
    const loose = bare(from!, n) || bare(later, n)
    if (!sameLine(was, text, loose)) return 'differs'
    if (loose && !sameLine(was, text)) {
      if (!bare(later, n)) return 'unknown'
      continue
    }
    same++
  }
  // A file that got shorter: lines a whole earlier look showed inside the read's range that the read no longer shows
  // (a read shows its range whole; a search in the file, `grep -n`, only the lines that match).
  const reads = readsOf(ctx, f.step)
  if (reads?.length !== 1) return same > 0 && !unplaced ? 'same' : 'unknown'
  const range = reads[0]!.range
  const from = range ? range[0] : 1
  const to = range && range[1] !== WHOLE ? range[1] : Number.POSITIVE_INFINITY
  for (const k of known) {
    if (!k.whole) continue
    for (const [n, text] of k.lines) if (n >= from && n < to && n > last && text.trim() !== '') return 'differs'
  }
  return same > 0 && !unplaced ? 'same' : 'unknown'
}

/**
 * `sameLines` for a read of several files that printed their lines with their numbers, one file after another (`nl -ba
 * a | sed -n 5,8p; nl -ba b | sed -n 3,4p`): the output split where the numbers start again, each part compared with
 * what the looks at its own file showed (fresh229 #83: the numbers of one file were compared with another's lines).
 * Unknown where the parts do not match the reads one for one, or a look showed several files too.
 */
function sameLinesEach(ctx: FlagContext, f: LookFinding, reads: readonly FileRead[]): 'same' | 'differs' | 'unknown' {
  if (ctx.shown(f.step)?.elided) return 'unknown'
  if (!ctx.shown(f.step)?.numbered) return sameLinesSplit(ctx, f)
  const all = numberedLines(ctx.outputOf(f.step))
  if (!all) return 'unknown'
  const parts: Array<Map<number, string>> = []
  let previous = Number.POSITIVE_INFINITY
  for (const [n, text] of all) {
    if (n <= previous) parts.push(new Map())
    parts[parts.length - 1]!.set(n, text)
    previous = n
  }
  // (Ranges of one file one after another, `sed -n '52,75p;632,705p'`, number on: one part.)
  const files = reads.map(r => r.path).filter((path, k, all) => k === 0 || all[k - 1] !== path)
  if (parts.length !== files.length) return 'unknown'
  let same = 0
  for (let k = 0; k < parts.length; k++) {
    const path = files[k]!
    const known: Array<Map<number, string>> = []
    for (const by of f.by) {
      const written = writtenLines(ctx, by, path)
      if (written) {
        known.push(written)
        continue
      }
      const printed = printedOf.get(by)?.get(path)
      if (printed) {
        known.push(printed)
        continue
      }
      const theirs = readsOf(ctx, by)
      if (!theirs?.some(r => r.path === path)) continue
      const lines = theirs.length === 1 ? fileLines(ctx, by) : undefined
      if (!lines) return 'unknown'
      known.push(lines)
    }
    for (const [n, text] of parts[k]!) {
      const was = known.find(lines => lines.has(n))?.get(n)
      if (was === undefined) {
        if (text.trim() !== '') return 'unknown'
        continue
      }
      if (!sameLine(was, text)) return 'differs'
      same++
    }
  }
  return same > 0 ? 'same' : 'unknown'
}

/**
 * `sameLines` for looks one after another on one line that print no numbers of their own (`sed -n 5,12p a; sed -n
 * 1,200p b`, `rg -n x f && sed -n 1,80p f`, with fixed `echo`s between): the output cut into each look's part, in order
 * (a read's part as many lines as its range holds of the file, whose length a covering look told; a search's, the
 * numbered hits `rg -n` printed of its one file), each line compared with what the covering looks showed of that line
 * of that file. Unknown where a part cannot be placed (a pipe, a redirect, a command aco cannot place, a line left over).
 */
function sameLinesSplit(ctx: FlagContext, f: LookFinding): 'same' | 'differs' | 'unknown' {
  const step = f.step
  const action = ctx.actions[step.index]
  const shown = ctx.shown(step)
  const output = ctx.outputOf(step)
  if (!action || !shown || shown.elided || shown.numbered || output === undefined) return 'unknown'
  const reads = readsOf(ctx, step) ?? []
  const head = headLines(output, shown)?.slice(leadingBanners(ctx, step))
  if (!head) return 'unknown'
  const known = new Map<string, {lines: Map<number, string>; length?: number} | null>()
  const knownOf = (path: string): {lines: Map<number, string>; length?: number} | null => {
    let k = known.get(path)
    if (k !== undefined) return k
    const lines = new Map<number, string>()
    let length: number | undefined
    for (const by of f.by) {
      const seen = shownLinesOf(ctx, by, path)
      if (!seen) continue
      for (const [n, text] of seen.lines) if (!lines.has(n)) lines.set(n, text)
      if (seen.written) length = seen.lines.size
      else if (!ctx.shown(by)?.elided && seen.lines.size) {
        // A look that printed fewer lines than its range asked for (or the whole file) told where the file ends.
        const range = readsOf(ctx, by)![0]!.range
        const start = range ? range[0] : 1
        const end = range ? range[1] : WHOLE
        if (start >= 1 && start + seen.lines.size < end) length = start + seen.lines.size - 1
      }
    }
    k = lines.size ? {lines, length} : null
    known.set(path, k)
    return k
  }
  const trims = trimsOutput(ctx, step)
  let at = 0
  let nextRead = 0
  let nextSearch = 0
  let same = 0
  // A line that reads otherwise says the file changed, once every part is placed (a part cut short moves the rest).
  let differs = false
  const compare = (path: string, n: number, text: string | undefined): 'same' | 'differs' | 'unknown' | 'blank' => {
    if (text === undefined) return 'unknown'
    const was = knownOf(path)?.lines.get(n)
    if (was === undefined) return text.trim() === '' ? 'blank' : 'unknown'
    return sameLine(was, text.trimEnd(), trims && at === 0) ? 'same' : 'differs'
  }
  for (const c of parseShell(shellLine(step.tool?.arguments))) {
    if (c.piped || c.nested || c.background || c.redirects.length || c.substitutions.length) return 'unknown'
    const name = c.words[0] ?? ''
    if (name === 'cd') continue
    if (name === 'echo') {
      if (c.dynamic.some(Boolean) || /^-[neE]+$/.test(c.words[1] ?? '')) return 'unknown'
      if (head[at]?.trimEnd() !== c.words.slice(1).join(' ').trimEnd()) return 'unknown'
      at++
      continue
    }
    if (name === 'rg' || name === 'grep') {
      // A content search of one file printing each hit numbered (`N:text`) and nothing else: each hit, the line it
      // names; and every line shown before that matches, among them (a hit gone says the file changed).
      const search = action.searches[nextSearch++]
      const path = search?.scopes.length === 1 ? search.scopes[0]! : undefined
      if (!path || search!.mode !== 'content' || !numberedHitsOnly(name, c.words)) return 'unknown'
      const hits = new Set<number>()
      for (let m = /^(\d+):(.*)$/.exec(head[at] ?? ''); m; m = /^(\d+):(.*)$/.exec(head[at] ?? '')) {
        const verdict = compare(path, Number(m[1]), m[2])
        if (verdict === 'unknown') return verdict
        if (verdict === 'differs') differs = true
        if (verdict === 'same') same++
        hits.add(Number(m[1]))
        at++
      }
      // (A line shown before that the pattern matches, not among the hits: a hit gone, the file changed; or one aco cannot
      // tell matches or not. Unknown either way: it is no line known to read otherwise.)
      if (hitLeftOut(search!, hits, knownOf(path)?.lines) !== false) return 'unknown'
      continue
    }
    const read = reads[nextRead++]
    if (!read || (read.range && read.range[0] < 1)) return 'unknown'
    const k = knownOf(read.path)
    if (!k) return 'unknown'
    const start = read.range ? read.range[0] : 1
    const asked = read.range ? read.range[1] : WHOLE
    // Where its part ends: its range's end, or the file's, whichever comes first (unknown past what was shown).
    const end = k.length !== undefined ? Math.min(asked, k.length + 1) : asked
    if (end === WHOLE || (k.length === undefined && !k.lines.has(end - 1))) return 'unknown'
    for (let n = start; n < end; n++) {
      const verdict = compare(read.path, n, head[at])
      if (verdict === 'unknown') return verdict
      if (verdict === 'differs') differs = true
      if (verdict === 'same') same++
      at++
    }
  }
  if (nextRead !== reads.length || nextSearch !== action.searches.length) return 'unknown'
  // (Nothing left over but the blank lines a harness leaves at the end.)
  for (; at < head.length; at++) if (head[at]!.trim() !== '') return 'unknown'
  return differs ? 'differs' : same > 0 ? 'same' : 'unknown'
}

/**
 * Whether a numbered search of one file (`rg -n TODO f`, `grep -n`), printed whole, leaves out a line the looks before
 * it showed that its pattern matches: that hit is gone, so the file changed since (a script aco cannot read rewrote
 * it), whatever the lines it still prints read. (Not for `-v`, `-x`, whose matches aco does not read.)
 */
function hitGone(ctx: FlagContext, f: LookFinding): boolean {
  const action = ctx.actions[f.step.index]
  const search = action?.reads.length === 0 && action.searches.length === 1 ? action.searches[0]! : undefined
  if (search?.mode !== 'content' || search.scopes.length !== 1 || search.limited || /[vx]/.test(search.flags))
    return false
  if (ctx.shown(f.step)?.elided) return false
  const hits = numberedLines(ctx.outputOf(f.step))
  if (!hits) return false
  const hitSet = new Set(hits.keys())
  return f.by.some(by => hitLeftOut(search, hitSet, shownLinesOf(ctx, by, search.scopes[0]!)?.lines) === true)
}

/**
 * What a covering look showed of `path`, by line number: the agent's whole write of it (`written`), or a read of that
 * one file; undefined for a look of several files, or one whose lines aco cannot place.
 */
function shownLinesOf(
  ctx: FlagContext,
  by: Step,
  path: string,
): {lines: Map<number, string>; written: boolean} | undefined {
  const written = writtenLines(ctx, by, path)
  if (written) return {lines: written, written: true}
  const theirs = readsOf(ctx, by)
  const lines =
    printedOf.get(by)?.get(path) ?? (theirs?.length === 1 && theirs[0]!.path === path ? fileLines(ctx, by) : undefined)
  return lines && {lines, written: false}
}

/**
 * Whether a line of `lines` (what looks showed of a file) that a search's pattern matches is not among its `hits`: true
 * for a hit gone; undefined where aco cannot tell a line matches (a pattern it does not read); false when every one is
 * there.
 */
function hitLeftOut(
  search: Search,
  hits: ReadonlySet<number>,
  lines: ReadonlyMap<number, string> | undefined,
): boolean | undefined {
  const ignoreCase = search.flags.includes('i')
  const pattern = ignoreCase ? search.pattern.toLowerCase() : search.pattern
  let unsure = false
  for (const [n, text] of lines ?? []) {
    if (hits.has(n)) continue
    const match = matchesLine(pattern, search.basic === true, text, ignoreCase)
    if (match) return true
    if (match === undefined) unsure = true
  }
  return unsure ? undefined : false
}

/**
 * Whether a `grep` or `rg` line prints its hits numbered and nothing else (`-n`, with options that change only what
 * matches: `-i`, `-F`, `-w`, `-E`): not counts, names, parts of lines, columns or context.
 */
function numberedHitsOnly(name: string, words: readonly string[]): boolean {
  // (Not ripgrep's smart case, `-S`: its matching is not one aco reads, as a case folded by it.)
  const cluster = name === 'rg' ? /^-[niFw]+$/ : /^-[niFwEr]+$/
  const long = new Set(['--line-number', '--ignore-case', '--fixed-strings', '--word-regexp'])
  let numbered = false
  for (const w of words.slice(1)) {
    if (w === '--') break
    if (!w.startsWith('-')) continue
    if (long.has(w)) numbered ||= w === '--line-number'
    else if (cluster.test(w)) numbered ||= w.includes('n')
    else return false
  }
  return numbered
}

/**
 * Whether a read of what the agent wrote whole shows other lines than it wrote (a formatter its tool's hook ran, a
 * write aco did not see): then the file changed since, whatever aco saw of it.
 */
function differsFromOwnWrite(ctx: FlagContext, f: LookFinding): boolean {
  if (f.kind === 'search') return false
  // Unnumbered (`cat f`, `sed -n 1,80p f`): its lines with text, in order, against those the agent wrote there (a
  // harness may have trimmed blank lines at the output's ends, which moves the rest).
  if (!ctx.shown(f.step)?.numbered) return unnumberedDiffers(ctx, f)
  // (Lines it numbered, placed where they stand; a console's encoding may mangle what is not ASCII.)
  const later = fileLines(ctx, f.step)
  if (!later) return false
  for (const by of f.by) {
    const written = writtenLines(ctx, by, f.subject)
    if (!written) continue
    for (const [n, text] of later) {
      const was = written.get(n)
      if (was !== undefined && unmangled(was.trimEnd()) !== unmangled(text.trimEnd()) && !sameLine(was, text))
        return true
    }
  }
  return false
}

/**
 * Whether the read states the file's length (OpenCode's closing note) and a look it repeats knew another: the agent's
 * own whole write of the file, or another read that stated one. The file changed since, whatever lines the read shows
 * (review 68: lines 4-6 of a file two lines longer than written).
 */
function lengthDiffers(ctx: FlagContext, f: LookFinding): boolean {
  if (f.kind === 'search') return false
  const total = statedLength(ctx, f.step)
  if (total === undefined) return false
  for (const by of f.by) {
    const writes = ctx.writes[by.index]?.writes
    if (writes)
      for (let k = 0; k < writes.length; k++)
        if (
          writes[k]!.path === f.subject &&
          writes[k]!.content !== undefined &&
          !sameLength(writes[k]!.content!, total, ctx.outputOf(f.step))
        )
          return true
    const earlier = statedLength(ctx, by)
    if (earlier !== undefined && earlier !== total) return true
  }
  return false
}

/**
 * Whether a file written with `content` has the length a read stated, `total` lines: as `lineCount` counts them
 * (OpenCode 1.17), or one more where the content ends with a newline and the read shows that last line empty (OpenCode
 * 1.2 numbers the empty line after a last newline: `199: ` above `(End of file - total 199 lines)`).
 */
function sameLength(content: string, total: number, output: string | undefined): boolean {
  const lines = lineCount(content)
  if (lines === total) return true
  if (total !== lines + 1 || !content.endsWith('\n') || output === undefined) return false
  const body = output.slice(0, reminderAt(output))
  return body.endsWith(`\n${total}: `) || body.endsWith(`\n${total}:`)
}

/** The file's length a read states (see `lengthDiffers`), from the output's excerpt or whole. */
function statedLength(ctx: FlagContext, step: Step): number | undefined {
  // (OpenCode's alone: it counts a file's lines as `lineCount` does; Gemini CLI counts one more after a last newline.)
  const t = step.tool
  if (!t?.excerpt?.startsWith('<path>')) return undefined
  const output = ctx.outputOf(step)
  return output === undefined ? undefined : notedFileLines(output)
}

/**
 * Whether a whole-file read shows the file ending before lines an earlier whole read of it showed (a person cut it
 * between turns, where aco could not see), or going on past its end (a running server appended to a log): whatever
 * else it shows, the file changed.
 */
function gotShorter(ctx: FlagContext, f: LookFinding): boolean {
  if (f.kind === 'search' || !readsOnly(ctx, f.step)) return false
  const reads = readsOf(ctx, f.step)
  if (reads?.length !== 1 || reads[0]!.range || ctx.shown(f.step)?.elided) return false
  const later = fileLines(ctx, f.step)
  if (!later || later.size === 0) return false
  let last = 0
  for (const [n, text] of later) if (text.trim() !== '') last = Math.max(last, n)
  // (A read that stops at its tool's own limit, Claude Code's 2,000 lines, may be cut where it says nothing.)
  if (readsByDefaultLimit(f.step.tool?.name ?? '') && later.size >= READ_DEFAULT_LINES) return false
  for (const by of f.by) {
    const read = readsOf(ctx, by)
    if (read?.length !== 1 || read[0]!.range || ctx.shown(by)?.elided || !readsOnly(ctx, by)) continue
    const lines = fileLines(ctx, by)
    if (!lines) continue
    let end = 0
    for (const [n, text] of lines) {
      if (n > last && text.trim() !== '') return true
      if (text.trim() !== '') end = Math.max(end, n)
    }
    // Or longer: a line with text past the end of that whole look (a log a running server appended to; review 57).
    if (end > 0 && last > end) return true
  }
  return false
}

/** Whether a step's command line only read (`cat f`, not `cat f; echo "exit=$?"`: the output holds more than the file). */
function readsOnly(ctx: FlagContext, step: Step): boolean {
  const a = ctx.actions[step.index]
  return a !== undefined && a.kind === 'read' && !a.opaque && (a.parts?.length ?? 1) <= 1
}

/** The lines of `path` a step wrote whole (Write, a heredoc, an added file), by number. */
function writtenLines(ctx: FlagContext, step: Step, path: string): Map<number, string> | undefined {
  const content = ctx.writes[step.index]?.writes.find(w => w.path === path)?.content
  if (content === undefined) return undefined
  const lines = content.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return new Map(lines.map((line, k) => [k + 1, line.trimEnd()]))
}

/**
 * Two printings of one line (kept without trailing blanks): the same, or one with a space more after its number
 * (PowerShell's `'{0,4}: {1}'` prints `12: text` where `grep -n` prints `12:text` and `cat -n` a tab); `loose`, alike
 * but for indentation a harness took (see `bareFirst`).
 */
function sameLine(a: string, b: string, loose = false): boolean {
  return a === b || a === ` ${b}` || b === ` ${a}` || (loose && a.trimStart() === b.trimStart())
}

/**
 * The first line of an unnumbered read's output, by its number in the file: a harness that trims the output's ends
 * (OpenHands' and Claude Code's shells) took its indentation, so only its text says what it was.
 */
const bareFirst = new WeakMap<Map<number, string>, number>()

/** Whether the call's harness trims the ends of a command's output (Claude Code's Bash, OpenHands' shell; not Codex's). */
function trimsOutput(ctx: FlagContext, step: Step): boolean {
  const format = ctx.card.source.format
  const tool = step.tool?.name ?? ''
  return (
    (format === 'claude-code' && tool === 'Bash') || (format === 'openhands' && /^(?:execute_bash|bash)$/.test(tool))
  )
}

/** Whether line `n` of `lines` may have lost its indentation to the harness (see `bareFirst`). */
function bare(lines: Map<number, string>, n: number): boolean {
  return bareFirst.get(lines) === n
}

/** Each step's numbered lines, parsed once per card (null: none to compare), and how many lines are held. */
const parsedLines = new WeakMap<
  FlagContext,
  {byStep: Map<number, Map<number, string> | null>; held: number; chars: number}
>()
/** Output read for the comparison at most, per card (characters): past it, a read is not compared. */
const MAX_READ_CHARS = 1_000_000
/** A pipe into `cat -n` or `nl` numbers what it was given; `nl` without `-ba` numbers only the lines not blank. */
const RENUMBERS_INPUT = /\|[^|]*\b(?:cat -n|nl)\b/
const PLAIN_NL = /(?:^|[\s/])nl (?![^|;]*-b ?a)/
/** A command that numbers a file's own lines (`nl -ba f`, `cat -n f`). */
const NUMBERS_ITS_FILE = /(?:^|[\s/])(?:nl -b ?a|cat -n) /

/** Lines held for the comparison at most, per card: past it, a read is not compared (as before the check). */
const MAX_HELD_LINES = 50_000

/**
 * The lines a read printed with their numbers, where the numbers are the file's own: not of a command that numbers
 * what it was given (`sed -n 100,140p f | cat -n` starts at 1; plain `nl` skips blank lines). Only outputs known to
 * print line numbers are unpacked.
 */
function fileLines(ctx: FlagContext, step: Step): Map<number, string> | undefined {
  let cache = parsedLines.get(ctx)
  if (!cache) {
    cache = {byStep: new Map(), held: 0, chars: 0}
    parsedLines.set(ctx, cache)
  }
  const cached = cache.byStep.get(step.index)
  if (cached !== undefined) return cached ?? undefined
  let lines: Map<number, string> | undefined
  const action = ctx.actions[step.index]
  const core = action?.core ?? ''
  const renumbers = RENUMBERS_INPUT.test(core) || PLAIN_NL.test(core)
  const shown = ctx.shown(step)
  const read = action?.reads.length === 1 && !action.searches.length ? readsOf(ctx, step)![0] : undefined
  // Bounded work: a card's outputs are read for this at most up to a budget (large ones are kept packed).
  cache.chars += step.tool?.outputChars ?? 0
  if (cache.chars > MAX_READ_CHARS) {
    cache.byStep.set(step.index, null)
    return undefined
  }
  if (cache.held < MAX_HELD_LINES && !renumbers && shown?.numbered) {
    lines = numberedLines(ctx.outputOf(step))
    // A range read prints numbers inside its range; other numbers are not the file's.
    const range = read?.range
    if (lines && range) for (const n of lines.keys()) if (n < range[0] || n >= range[1]) lines = undefined
  } else if (cache.held < MAX_HELD_LINES && shown && !shown.numbered && read && !action!.opaque && shown.headLines) {
    // An unnumbered read of one file (`sed -n 40,80p f`, `cat f`): its lines are the file's from its range's start,
    // as many as it showed before any cut (a file's last lines, unplaced, counted back from its end: from -n).
    // (Where the tool states which lines it showed, there: Desktop Commander counts its offset from 0.)
    const stated = step.tool?.excerpt && statesItsLines(step.tool.name) ? statedFileLines(step.tool.excerpt) : undefined
    const start = stated ? stated[0] : read.range ? read.range[0] : 1
    const output = ctx.outputOf(step)
    const head = start !== 0 && output !== undefined ? headLines(output, shown) : undefined
    // (A shell's banner above the file's lines is none of them, nor what the line's own `echo`s printed first.)
    const below = head?.slice(leadingBanners(ctx, step))
    const first = below?.slice(echoedAbove(step, below))
    // (No more than its range holds: `| Out-String` ends the text with one more line break.)
    const end = stated ? stated[1] + 1 : read.range ? read.range[1] : Number.POSITIVE_INFINITY
    // (One line numbered by `nl -ba` or `cat -n`, too few for the numbers to count as such: its number is its place.)
    const lone = first?.length === 1 && NUMBERS_ITS_FILE.test(core) ? /^\s*(\d+)\t(.*)$/.exec(first[0]!) : null
    if (lone && Number(lone[1]) === start) lines = new Map([[start, lone[2]!.trimEnd()]])
    else if (first) {
      lines = new Map(first.filter((_, k) => start + k < end).map((line, k) => [start + k, line.trimEnd()]))
      if (trimsOutput(ctx, step)) bareFirst.set(lines, start)
    }
  }
  if (lines) cache.held += lines.size
  cache.byStep.set(step.index, lines ?? null)
  return lines
}

/**
 * How many of an output's first lines (`lines`) its command line's own `echo`s printed, above what the command after
 * them printed (`echo "=== config ===" && sed -n 1,40p f`): plain echoes of fixed text, run one after another before
 * any other command, each found as it printed. 0 where any is not (an option, an expansion, a pipe or a redirect).
 */
function echoedAbove(step: Step, lines: readonly string[]): number {
  const line = shellLine(step.tool?.arguments)
  if (!line.startsWith('echo ')) return 0
  const commands = parseShell(line)
  let n = 0
  for (const c of commands) {
    if (c.words[0] !== 'echo') return c.piped ? 0 : n
    if (c.piped || c.nested || c.redirects.length || c.substitutions.length || c.dynamic.some(Boolean)) return 0
    if (c.words[1]?.startsWith('-') || lines[n]?.trimEnd() !== c.words.slice(1).join(' ').trimEnd()) return 0
    n++
  }
  return 0
}

/** An output's numbered lines (`   12\ttext`, `12→text`, `12:text`), by number; undefined for an output of other lines. */
function numberedLines(output: string | undefined): Map<number, string> | undefined {
  if (!output) return undefined
  const lines = new Map<number, string>()
  let other = 0
  let last: number | undefined
  let skipNext = false
  // (Past a harness's header: Codex's runs it over six lines; up to the notes a harness appends after the lines.)
  const stop = reminderAt(output)
  for (let start = harnessHeaderEnd(output), count = 0; start < stop && count < 20_000; count++) {
    const nl = output.indexOf('\n', start)
    // (A Windows program's lines end with CR LF: the CR is no part of the line.)
    const end = nl === -1 || nl > stop ? stop : nl
    const line = output.slice(start, output.charCodeAt(end - 1) === 13 ? end - 1 : end)
    start = nl === -1 || nl > stop ? stop : nl + 1
    // Where a harness cut the output, the lines on either side of the cut may be partial: neither is compared.
    if (ELISION.test(line)) {
      if (last !== undefined) lines.delete(last)
      skipNext = true
      other++
      continue
    }
    const m = /^\s*(\d+)(?:\t|→|:| \| ?)(.*)$/.exec(line)
    if (m && omittedLine(line)) other++
    else if (m) {
      last = Number(m[1])
      if (skipNext) skipNext = false
      else lines.set(last, m[2]!.trimEnd())
    } else if (line.trim() !== '') other++
  }
  // Mostly numbered lines (a cut marker or a header aside), else it is not such an output.
  if (lines.size === 0 || other > Math.max(3, lines.size / 10)) return undefined
  // (Numbered from 0, each line is one place further: see the scanner's `ranges` in output-facts.ts.)
  return lines.has(0) ? new Map([...lines].map(([n, text]) => [n + 1, text])) : lines
}

const NOTHING_SEEN: {ranges: Range[]; lines?: number}[] = []

/** Blank lines an output may have lost at its end to a harness's trimming, without the file ending there. */
const TRIMMABLE = 2

/**
 * A read's lines, less the claim that it reached the file's end where another look at the same content of the file
 * numbered a line past it: a harness that trims the blank lines an output ends with (Claude Code's Bash) makes `sed -n
 * 1,60p` of a long file print 59 lines when its line 60 is blank, which is no end of the file. Then the read showed
 * those lines, no more.
 */
function unrefuted(
  ctx: FlagContext,
  step: Step,
  path: string,
  seen: {ranges: Range[]; lines?: number},
): {ranges: Range[]; lines?: number} {
  const length = seen.lines
  if (length === undefined) return seen
  const i = step.index
  const longer = numberedShown(ctx)
    .get(path)
    ?.some(e =>
      e.most <= length
        ? false
        : e.after <= ctx.epochBefore[i]!
          ? !ctx.timeline.changed(path, e.after, ctx.epochBefore[i]!, true)
          : !ctx.timeline.changed(path, ctx.epochAfter[i]!, e.before, true),
    )
  return longer ? {ranges: length > 0 ? [[1, length + 1]] : []} : seen
}

const numbered = new WeakMap<FlagContext, Map<string, NumberedLook[]>>()
/** A look that numbered a file's lines: the highest number it showed, and the epochs around it. */
interface NumberedLook {
  most: number
  before: number
  after: number
}
/**
 * The looks of the session that numbered the lines of one file alone (Claude Code's Read, `cat -n`, `nl`, a `grep -n`
 * of it), by file: each tells the file had at least its highest number's lines then.
 */
function numberedShown(ctx: FlagContext): Map<string, NumberedLook[]> {
  const known = numbered.get(ctx)
  if (known) return known
  const out = new Map<string, NumberedLook[]>()
  numbered.set(ctx, out)
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    const action = ctx.actions[i]!
    if (ctx.failed[i] === 1 || action.opaque) continue
    const search = action.searches.length === 1 ? action.searches[0]! : undefined
    const path =
      action.reads.length === 1 && !search
        ? action.reads[0]!.path
        : !action.reads.length && search?.mode === 'content' && search.output === 'lines' && search.scopes.length === 1
          ? search.scopes[0]!
          : undefined
    // The numbers its output printed, as reading it found them (no output read again).
    const ranges = path === undefined ? undefined : ctx.shown(ctx.steps[i]!)?.numbered
    if (path === undefined || !ranges) continue
    let most = 0
    for (const r of ranges) if (r[1] - 1 > most) most = r[1] - 1
    const list = out.get(path)
    const look = {most, before: ctx.epochBefore[i]!, after: ctx.epochAfter[i]!}
    if (list) list.push(look)
    else out.set(path, [look])
  }
  return out
}

/** A line alone (a one-line read) must be this long to be told apart from another's (`    return None` is not). */
const LONE_LINE = 20
/**
 * The share of a read's lines that must have been shown, placed by their text, for it to be a near-duplicate:
 * a line's text is weaker evidence than its number (the same lines recur in a file).
 */
const TEXT_MOSTLY = 0.75
/** Earlier looks at one file whose text a read is compared with (the latest). */
const TEXT_ENTRIES = 32
/** Places of one line looked at (a `}` may stand in hundreds). */
const MAX_PLACES = 64

interface TextEntry {
  step: Step
  /** Its lines were placed by number too (a read's range, numbered lines, a whole-file write). */
  placed: boolean
  /** The text, when it is not the step's output (a whole-file write's content). */
  content?: string
  /** Its lines and where each stands, made when a later read first needs them. */
  text?: {lines: string[]; at: Map<string, number[]>}
  epoch: number
  compaction: number
  batch: number
}

/**
 * The runs of lines patches replaced without context (see `FileWrite.replaced`), by file: the latest patch of each
 * file. A read showing exactly one run, nothing having changed the file since, shows only what the patch carried
 * (`sed -n 1,320p plan.md` after a patch that replaced all its lines).
 */
class PatchRuns {
  private readonly byFile = new Map<string, {step: Step; runs: readonly string[]}>()

  note(ctx: FlagContext, step: Step): void {
    const writes = ctx.writes[step.index]?.writes
    if (!writes) return
    for (let k = 0; k < writes.length; k++) {
      const w = writes[k]!
      // (`chmod +x`, `touch`: the content stays what the patch made it.)
      if (w.metaOnly) continue
      if (w.replaced) this.byFile.set(w.path, {step, runs: w.replaced})
      else this.byFile.delete(w.path)
    }
  }

  judge(ctx: FlagContext, step: Step, path: string): LookFinding | undefined {
    const patch = this.byFile.get(path)
    if (!patch) return undefined
    const p = patch.step.index
    const i = step.index
    if (ctx.compaction[p] !== ctx.compaction[i] || ctx.batch[p]! >= ctx.batch[i]!) return undefined
    if (ctx.timeline.changed(path, ctx.epochAfter[p]!, ctx.epochBefore[i]!)) return undefined
    const output = ctx.outputOf(step)
    if (output === undefined) return undefined
    // Its lines with text, as printed (not a shell's banner above the file's lines); of an output the harness cut, the
    // lines it numbered before the cut (the line the cut broke is none of them).
    let mine: string[]
    const shownLines = ctx.shown(step)
    if (shownLines?.elided) {
      const numbered = shownLines.numbered ? fileLines(ctx, step) : undefined
      if (!numbered?.size || shownLines.tailLines) return undefined
      const at = [...numbered.keys()].sort((a, b) => a - b)
      if (at[at.length - 1]! - at[0]! !== at.length - 1) return undefined
      mine = at.map(n => numbered.get(n)!.trim()).filter(line => line !== '')
    } else mine = textLines(shownBody(output), Number.POSITIVE_INFINITY).slice(leadingBanners(ctx, step))
    if (mine.length < MIN_RUN_LINES) return undefined
    // A run whole, or a long stretch of one (`sed -n 63,160p plan.md`, a cut `nl -ba` of it, after a patch replaced all
    // its lines); not a few lines of one: the same lines may stand elsewhere in the file (a second CI job's setup steps).
    const shown = mine.join('\n')
    const same = patch.runs.some(run => {
      const text = textLines(run, Number.POSITIVE_INFINITY).join('\n')
      return text === shown || (mine.length >= MIN_STRETCH_LINES && `\n${text}\n`.includes(`\n${shown}\n`))
    })
    return same ? {step, kind: 'reread', subject: path, covered: 1, by: [patch.step]} : undefined
  }
}

/** A read this short matching a run a patch wrote says too little (a lone `}` could be anywhere). */
const MIN_RUN_LINES = 3
/** A read showing part of a run only, this long at least: a stretch of lines too long to stand elsewhere by chance. */
const MIN_STRETCH_LINES = 10

/**
 * What earlier looks at a file showed of it as text: the output of each read of that one file and of each
 * search of it alone, and the agent's own whole-file writes. A later read of the file whose lines were all (or
 * mostly) among them showed nothing new, even when neither printed line numbers (`grep -A 50 def f file`, then
 * `sed -n 793,890p file`). Entries follow the same rules as line ranges: the same context, an earlier LLM call,
 * the file unchanged since.
 */
class TextSeen {
  private readonly byFile = new Map<string, TextEntry[]>()

  /** `seenAt`: the epoch its looks saw the files at (see `lookFindings`); what it wrote is as after it. */
  note(ctx: FlagContext, step: Step, action: Action, placed: boolean, seenAt: number): void {
    const i = step.index
    const at = {step, placed, epoch: seenAt, compaction: ctx.compaction[i]!, batch: ctx.batch[i]!}
    if (action.reads.length === 1 && action.searches.length === 0) this.add(ctx, action.reads[0]!.path, at)
    else if (action.reads.length === 0 && action.searches.length === 1) {
      const s = action.searches[0]!
      if (s.mode === 'content' && s.output === 'lines' && s.scopes.length === 1) this.add(ctx, s.scopes[0]!, at)
    }
    const writes = ctx.writes[i]?.writes
    if (writes)
      for (let k = 0; k < writes.length; k++) {
        const w = writes[k]!
        if (w.content !== undefined)
          this.add(ctx, w.path, {...at, epoch: ctx.epochAfter[i]!, placed: true, content: w.content})
      }
  }

  /**
   * A read of `path` whose every line (or most) earlier looks showed. A line counts as shown where it
   * stands beside a neighbour it stood beside there too, blank lines aside (a lone `return x` or `}` could be
   * any function's); a one-line read counts when its line, long enough to tell apart, was shown.
   */
  judge(
    ctx: FlagContext,
    step: Step,
    path: string,
    placed: boolean,
    stats: {entriesVisited: number},
  ): LookFinding | undefined {
    const list = this.byFile.get(path)
    if (!list?.length) return undefined
    const i = step.index
    dropStale(ctx, list, path, ctx.compaction[i]!, ctx.epochBefore[i]!)
    const valid = list.filter(e => e.batch < ctx.batch[i]!)
    // A read placed by number, after looks whose lines were all placed by number, was judged by number already.
    if (placed && valid.every(e => e.placed)) return undefined
    stats.entriesVisited += valid.length
    const output = ctx.outputOf(step)
    if (output === undefined) return undefined
    // Every line of it (an earlier look's lines are capped: fewer known lines only make a flag less likely).
    const mine = textLines(shownBody(output), Number.POSITIVE_INFINITY)
    const n = mine.length
    if (!n || (n === 1 && mine[0]!.length < LONE_LINE)) return undefined
    const by: Step[] = []
    // Which of its lines an earlier look showed, each by the first look found to.
    const shownBy: Array<number | undefined> = new Array(n)
    for (let v = 0; v < valid.length; v++) {
      const e = textOf(ctx, valid[v]!)
      if (n === 1) {
        if (e.at.has(mine[0]!)) shownBy[0] ??= v
        continue
      }
      for (const [start, end] of anchoredRuns(mine, e)) for (let k = start; k <= end; k++) shownBy[k] ??= v
    }
    let seen = 0
    for (let k = 0; k < n; k++) {
      const v = shownBy[k]
      if (v === undefined) continue
      seen++
      addOnce(by, valid[v]!.step)
    }
    const share = seen / n
    if (share >= 0.999) return {step, kind: 'reread', subject: path, covered: 1, by: by.sort(byIndex)}
    // Placed by text, "mostly" asks for more than by number; and a read after one the harness cut is after the rest.
    if (share < TEXT_MOSTLY || by.some(b => ctx.shown(b)?.elided)) return undefined
    return {step, kind: 'partial', subject: path, covered: share, by: by.sort(byIndex)}
  }

  private add(ctx: FlagContext, path: string, entry: TextEntry): void {
    const list = this.byFile.get(path)
    if (!list) this.byFile.set(path, [entry])
    else {
      dropStale(ctx, list, path, entry.compaction, entry.epoch)
      list.push(entry)
      // The latest looks only: a file looked at thousands of times would make every judgement look at them all.
      if (list.length > TEXT_ENTRIES) list.splice(0, list.length - TEXT_ENTRIES)
    }
  }
}

/**
 * The runs of a read's lines (first and last index) that stand in an earlier look in the same order, line after line,
 * and hold a line that stands in that look once only and is long enough to tell apart: a run of lines that recur there
 * (`),`, `name="pk",`, `type=dynamodb.AttributeType.STRING,`: every table of a stack has them) is placed by nothing,
 * however long, so the next table's definition is not taken for one shown. Runs of one line do not count (a lone
 * `return x` could be any function's).
 */
function anchoredRuns(
  mine: readonly string[],
  e: {lines: string[]; at: Map<string, number[]>},
): Array<[number, number]> {
  const out: Array<[number, number]> = []
  // Open runs by diagonal (the earlier position minus the read's index): where each started, whether anchored.
  let open = new Map<number, {start: number; anchored: boolean}>()
  // (Two maps, swapped line after line: no map made per line.)
  let next = new Map<number, {start: number; anchored: boolean}>()
  const close = (run: {start: number; anchored: boolean}, end: number): void => {
    if (run.anchored && end > run.start) out.push([run.start, end])
  }
  for (let k = 0; k < mine.length; k++) {
    const at = e.at.get(mine[k]!)
    if (at) {
      const anchor = at.length === 1 && mine[k]!.trim().length >= ANCHOR_LINE
      for (let q = 0; q < at.length && q < MAX_PLACES; q++) {
        const d = at[q]! - k
        const run = open.get(d) ?? {start: k, anchored: false}
        open.delete(d)
        if (anchor) run.anchored = true
        next.set(d, run)
      }
    }
    for (const run of open.values()) close(run, k - 1)
    const done = open
    open = next
    next = done
    next.clear()
  }
  for (const run of open.values()) close(run, mine.length - 1)
  return out
}

/** A line that stands once in an earlier look places the run around it when it is this long (trimmed). */
const ANCHOR_LINE = 8

function textOf(ctx: FlagContext, e: TextEntry): {lines: string[]; at: Map<string, number[]>} {
  if (e.text) return e.text
  const lines = textLines(e.content ?? shownBody(ctx.outputOf(e.step) ?? ''))
  const at = new Map<string, number[]>()
  for (let p = 0; p < lines.length; p++) {
    const list = at.get(lines[p]!)
    if (list) list.push(p)
    else at.set(lines[p]!, [p])
  }
  e.text = {lines, at}
  return e.text
}

/**
 * Tool errors that ask for a read before an edit (Claude Code: "File has not been read yet. Read it first…", "File has
 * been modified since read, either by the user or by a linter. Read it again before attempting to write it.").
 */
const READ_FIRST = /has not been read yet|read it first|read it again|must read the file|read the file first/i

/**
 * The Bash views of one file that Claude Code's Edit counts as a read of it, by the version that began to (its
 * changelog: `cat` and `sed -n 'X,Yp'` from 2.1.89, `head` and `tail` from 2.1.144), unpiped and unredirected: the
 * view's command words as aco writes a command line's part (`@/dir sed -n 20,60p /dir/f`), its last word the file.
 */
const CLAUDE_BASH_VIEWS: ReadonlyArray<{since: readonly number[]; words: RegExp}> = [
  {since: [2, 1, 89], words: /^(?:cat|sed -n \d+(?:,\d+)?p)$/},
  {since: [2, 1, 144], words: /^(?:head|tail)(?: -n ?\d+| -\d+)?$/},
]

/** The command words of the Bash views whose file Claude Code `version`'s Edit counts as read, if any. */
function claudeBashViews(version: string | undefined): RegExp[] {
  const v = (version ?? '').split('.').map(Number)
  if (v.length < 3 || v.some(Number.isNaN)) return []
  const atLeast = (since: readonly number[]): boolean => {
    for (let k = 0; k < since.length; k++) if (v[k]! !== since[k]!) return v[k]! > since[k]!
    return true
  }
  return CLAUDE_BASH_VIEWS.filter(x => atLeast(x.since)).map(x => x.words)
}

/** Whether a call's command line pipes and redirects nothing. */
function plainLine(step: Step): boolean {
  const line = shellLine(step.tool?.arguments)
  return line !== '' && !/[|<>]/.test(line)
}

/** Whether a part of the command line is a plain view of `path` alone, by one of `views`' command words. */
function viewsAlone(parts: readonly string[], path: string, views: readonly RegExp[]): boolean {
  for (const part of parts) {
    if (!part.endsWith(` ${path}`)) continue
    const words = part.slice(part.indexOf(' ') + 1, part.length - path.length - 1)
    if (views.some(v => v.test(words))) return true
  }
  return false
}

/**
 * Tool errors that say the text to replace is not in the file: what the agent holds of the file may be wrong (an
 * edit's snippet shows lines as the tool prints them, not the file's bytes), and a read is the fix, unless a plain
 * read had already shown those lines whole.
 */
const TEXT_NOT_FOUND =
  /string to replace not found|did not appear verbatim|no match found for|could not find the (?:text|string)|failed to find expected lines|occurrences found for old_string/i

/**
 * Per file, the last read and the last failed edit that asked for a read
 * first, or found its text missing. A read the tool demanded (such an edit came
 * after the last read) is the price of the edit, not a repeat. Once the tool has
 * asked for a read before an edit, a first read of a file the agent only wrote,
 * followed by an edit of it, is that price too (Claude Code asks it of files its
 * Write made).
 */
class ReadDemands {
  private readonly lastRead = new Map<string, number>()
  private readonly lastDemand = new Map<string, number>()
  private readonly lastNotFound = new Map<string, number>()
  private readFirst = false
  /** Files Claude Code's own file tools have read or written (what its Edit asks of a file). */
  private readonly toolRead = new Set<string>()
  /** Of those, the ones its tools wrote and no tool read since. */
  private readonly toolWritten = new Set<string>()
  /** The Bash views Claude Code's Edit counts as reads (by the card's version; none for other agents). */
  private views: RegExp[] | undefined
  /** Files such a view showed since they last changed by other means. */
  private readonly viewed = new Set<string>()
  /** The session showed that a file its tools wrote still needs a Read before an edit ("File has not been read yet"). */
  private writtenUnread = false
  /**
   * The tool asked for a Read of a file its Read had read, which aco saw nothing change since: it lost what it had read
   * ("not read yet"), or someone else changed the file ("modified since read"). Either way reads in that read's model
   * response or before it may be stale as well, for the rest of that person's turn (the batch the file was read in, the
   * refusal's step and turn), and so may any read as old as it was then, counted in other files the tools read or wrote
   * since (`age`, the least of the turn's refusals: the tools keep what they read in a cache that drops the oldest).
   */
  private lost: {batch: number; at: number; turn: number; age: number} | undefined
  /** The paths Claude Code's file tools read or wrote, in order, and where each was last. */
  private readonly touches: string[] = []
  private readonly touchedAt = new Map<string, number>()

  /**
   * Whether the next edit asks for this Read (`asked`), or would but for the tools' own whole write of the file, which
   * they count as a read (`spared`: then the Read must read as written), or neither.
   */
  demand(ctx: FlagContext, step: Step, path: string): 'asked' | 'spared' | undefined {
    const read = this.lastRead.get(path)
    if ((this.lastDemand.get(path) ?? -1) > (read ?? -1)) return 'asked'
    // A file read no later than one the tool has shown it forgot, read again before its tools write it (an Edit, or a
    // Write of the file, which asks the same): the write's price too.
    if (
      this.lost &&
      this.lost.turn === (step.turn ?? 0) &&
      read !== undefined &&
      writtenNextByTools(ctx, step, path) &&
      ((read < this.lost.at && ctx.batch[read]! <= this.lost.batch) || this.olderThanLost(path))
    )
      return 'asked'
    // Once the session met "File has not been read yet": not for a file the agent wrote whole with its tools, unless
    // the session showed they ask for those too (an edit of such a file refused for want of a Read).
    if (this.readFirst && read === undefined && editedNext(ctx, step, path))
      return this.writtenUnread || !this.toolRead.has(path) ? 'asked' : 'spared'
    // Claude Code's Edit and Write need the file read by its own Read tool (or written by its tools) since it last
    // changed: a `cat` is no such read for its Write (nor for its Edit before 2.1.89), and a `sed -i` changes the file
    // under it ("modified since read").
    if (ctx.card.source.format !== 'claude-code' || step.tool?.name !== 'Read' || this.toolRead.has(path))
      return undefined
    const next = nextWrite(ctx, step, path)
    const tool = next === undefined ? '' : (ctx.steps[next]!.tool?.name ?? '')
    if (!CLAUDE_FILE_TOOLS.test(tool)) return undefined
    // Its Edit takes a Bash view of the file as that read (2.1.89 on); its changelog says so of the Edit alone.
    return this.viewed.has(path) && tool === 'Edit' ? undefined : 'asked'
  }

  /**
   * Whether the tools' last read or write of `path` is as old, in other files they read or wrote since, as the forgotten
   * read was when they showed they had forgotten it: they keep what they read in a cache that evicts the oldest.
   */
  private olderThanLost(path: string): boolean {
    return this.lost !== undefined && this.age(path, this.lost.age) >= this.lost.age
  }

  /**
   * How many other files the tools read or wrote since they last read or wrote `path` (its place in their cache),
   * counted up to `enough`; past `MAX_AGE_SCAN` touches as many as `enough` (a cache holds far fewer).
   */
  private age(path: string, enough = MAX_AGE): number {
    const at = this.touchedAt.get(path)
    if (at === undefined) return 0
    if (this.touches.length - at > MAX_AGE_SCAN) return enough
    const since = new Set<string>()
    for (let k = at + 1; k < this.touches.length && since.size < enough; k++) since.add(this.touches[k]!)
    return since.size
  }

  private touch(path: string): void {
    this.touchedAt.set(path, this.touches.length)
    this.touches.push(path)
  }

  /** An edit of the file failed to find its text since the file's last read. */
  notFound(path: string): boolean {
    return (this.lastNotFound.get(path) ?? -1) > (this.lastRead.get(path) ?? -1)
  }

  note(ctx: FlagContext, step: Step): void {
    const a = ctx.actions[step.index]
    if (!a) return
    for (let k = 0; k < a.reads.length; k++) this.lastRead.set(a.reads[k]!.path, step.index)
    if (CLAUDE_FILE_TOOLS.test(step.tool?.name ?? '')) {
      if (ctx.failed[step.index] !== 1) {
        for (let k = 0; k < a.reads.length; k++) {
          this.toolRead.add(a.reads[k]!.path)
          this.toolWritten.delete(a.reads[k]!.path)
          this.touch(a.reads[k]!.path)
        }
        for (let k = 0; k < a.targets.length; k++) {
          this.toolRead.add(a.targets[k]!)
          this.toolWritten.add(a.targets[k]!)
          this.touch(a.targets[k]!)
        }
      }
    } else {
      // Written by another tool (`sed -i`, a redirect): Claude Code's edit tools ask for a new Read of it. (Not what only
      // may have changed it, a folder's writes or a command aco cannot read: the tools ask when the file did change.)
      const w = ctx.writes[step.index]
      if (w && (this.toolRead.size || this.viewed.size))
        for (const x of w.writes)
          if (!x.metaOnly) {
            this.toolRead.delete(x.path)
            this.viewed.delete(x.path)
          }
      // Viewed whole or in part by a Bash command its Edit counts as a read (Claude Code 2.1.89 on).
      // (By the session's first version: one resumed after an update ran its early calls under the older one.)
      this.views ??=
        ctx.card.source.format === 'claude-code'
          ? claudeBashViews(ctx.card.source.toolVersionFirst ?? ctx.card.source.toolVersion)
          : []
      // (Not where the line pipes or redirects anything, `cat f 2>/dev/null`: its changelog counts views "with no pipes
      // or redirects", and aco's parts leave some redirects out.)
      if (this.views.length && a.parts && a.reads.length && ctx.failed[step.index] !== 1 && plainLine(step))
        for (let k = 0; k < a.reads.length; k++) {
          const path = a.reads[k]!.path
          if (!w?.writes.some(x => x.path === path) && viewsAlone(a.parts, path, this.views)) this.viewed.add(path)
        }
    }
    if (a.kind === 'write' && ctx.failed[step.index] === 1 && a.targets.length) {
      const out = ctx.outputOf(step) ?? step.tool?.excerpt ?? ''
      if (READ_FIRST.test(out)) {
        for (const t of a.targets) {
          const read = this.lastRead.get(t)
          if (read !== undefined && this.toolRead.has(t) && !this.toolWritten.has(t)) {
            const same = this.lost && this.lost.turn === (step.turn ?? 0)
            const age = this.age(t)
            this.lost = {
              batch: Math.max(same ? this.lost!.batch : -1, ctx.batch[read]!),
              at: step.index,
              turn: step.turn ?? 0,
              age: same ? Math.min(this.lost!.age, age) : age,
            }
          }
          this.lastDemand.set(t, step.index)
          if (this.toolWritten.has(t)) this.writtenUnread = true
        }
        this.readFirst = true
      } else if (TEXT_NOT_FOUND.test(out)) for (const t of a.targets) this.lastNotFound.set(t, step.index)
    }
  }
}

/** An age (see `ReadDemands.age`) past any cache's size, and how many touches one count looks through at most. */
const MAX_AGE = 1000
const MAX_AGE_SCAN = 20_000

/** Whether the next call that touches `path` after `step` (a few calls on at most) is Claude Code's tools writing it. */
function writtenNextByTools(ctx: FlagContext, step: Step, path: string): boolean {
  const next = nextWrite(ctx, step, path)
  return next !== undefined && CLAUDE_FILE_TOOLS.test(ctx.steps[next]!.tool?.name ?? '')
}

/** Whether the next call that touches `path` after `step` (a few calls on at most) edits it in place. */
function editedNext(ctx: FlagContext, step: Step, path: string): boolean {
  const next = nextWrite(ctx, step, path)
  return next !== undefined && ctx.actions[next]!.writes.every(w => w.content === undefined)
}

/** The next call after `step` (a few calls on at most) that writes `path`, unless one reads it first. */
function nextWrite(ctx: FlagContext, step: Step, path: string): number | undefined {
  for (let i = step.index + 1, seen = 0; i < ctx.steps.length && seen < 24; i++) {
    const a = ctx.actions[i]
    if (!a) continue
    seen++
    if (a.reads.some(r => r.path === path)) return undefined
    if (a.kind === 'write' && a.targets.includes(path)) return i
  }
  return undefined
}

/**
 * Adds what a step put in context. Entries stale for good by now (the file
 * changed since, or the context was compacted: both only grow) are dropped,
 * and an entry that repeats a remaining one (same lines, same length) is not
 * kept: the earlier one is valid whenever the repeat is and becomes stale with
 * it, so it covers whatever the repeat would. The list stays as long as the
 * distinct ranges since the file last changed, not as long as the reads.
 */
function addEntry(ctx: FlagContext, files: Map<string, Entry[]>, path: string, entry: Entry): void {
  const list = files.get(path)
  if (!list) {
    files.set(path, [entry])
    return
  }
  dropStale(ctx, list, path, entry.compaction, entry.epoch)
  // Lines shown again after what may have changed them unseen (see `acrossUnseen`, `acrossBuild`): they are known as
  // this look shows them, not as the earlier one did.
  for (let k = list.length - 1; k >= 0; k--) {
    const e = list[k]!
    if (
      e.range[0] >= entry.range[0] &&
      e.range[1] <= entry.range[1] &&
      e.epoch < entry.epoch &&
      (ctx.timeline.unseenIn(path, e.epoch, entry.epoch) !== undefined ||
        ctx.timeline.builtIn(path, e.epoch, entry.epoch))
    )
      list.splice(k, 1)
  }
  // The same lines shown again in a later model call: what the agent saw last (and holds). The look before it stays
  // beside it, for the calls sent together with this one (they knew only that); older ones go. (Of calls sent
  // together, the first stands.)
  let before = -1
  for (let k = list.length - 1; k >= 0; k--) {
    const e = list[k]!
    if (e.range[0] !== entry.range[0] || e.range[1] !== entry.range[1] || e.lines !== entry.lines) continue
    if (e.batch >= entry.batch) return
    if (before === -1) before = k
    else list.splice(k, 1)
  }
  list.push(entry)
  // The latest distinct ranges only: a file shown in thousands of ranges would make every judgement look at them all.
  // The oldest partial range goes first; a whole file shown stays while it holds.
  if (list.length > RANGES_PER_FILE) {
    const k = list.findIndex(e => e.range[0] !== 1 || e.range[1] !== WHOLE)
    list.splice(k === -1 ? 0 : k, 1)
  }
}

/** Distinct ranges of one file kept (the latest): enough for any session seen, and a bound on the work per look. */
const RANGES_PER_FILE = 128

/**
 * `cp a b`: the lines of `a` in context (shown since `a` last changed) are the
 * lines of `b` now, so a read of `b` shows them again. Only for a `b` not shown
 * before (a copy over a file in context is a restore, which counts as a change), when the step did
 * nothing else to `b` (no other write to it, no directory above it cleared, no
 * script or unknown command), and only for a later LLM call than both the copy
 * and the read that showed them.
 */
function carryCopies(
  ctx: FlagContext,
  step: Step,
  action: Action,
  writes: readonly FileWrite[],
  files: Map<string, Entry[]>,
): void {
  if (action.writesAny || action.scripts.length) return
  const i = step.index
  for (let k = 0; k < writes.length; k++) {
    const w = writes[k]!
    if (w.copyOf === undefined || w.copyOf === w.path) continue
    const dest = w.path
    if (writes.some(x => x !== w && x.path === dest) || action.writesUnder.some(dir => mayBeUnder(dest, dir))) continue
    // A copy over a file shown before is a restore: a change of that file, as the labelling conventions have it.
    if (files.has(dest)) continue
    const source = files.get(w.copyOf)
    if (!source?.length) continue
    // The source's entries still valid when the copy ran (it did not change since they were shown).
    dropStale(ctx, source, w.copyOf, ctx.compaction[i]!, ctx.epochBefore[i]!)
    for (let e = 0; e < source.length; e++) {
      const entry = source[e]!
      addEntry(ctx, files, dest, {
        step: entry.step,
        range: entry.range,
        lines: entry.lines,
        via: step,
        epoch: ctx.epochAfter[i]!,
        compaction: ctx.compaction[i]!,
        batch: Math.max(entry.batch, ctx.batch[i]!),
      })
    }
  }
}

/** Drops the entries made stale for good at `epoch` (the file changed since, or the context was compacted). */
function dropStale(
  ctx: FlagContext,
  list: Array<{compaction: number; epoch: number}>,
  path: string,
  compaction: number,
  epoch: number,
): void {
  let drop = 0
  for (let k = list.length - 1; k >= 0; k--) {
    const e = list[k]!
    if (e.compaction !== compaction || ctx.timeline.changed(path, e.epoch, epoch, true)) {
      drop = k + 1
      break
    }
  }
  if (drop) list.splice(0, drop)
}

/**
 * The lines of one file a search printed with their numbers (`grep -n PATTERN file`, context lines
 * included), read from its output: undefined unless the call is that one search of one file and its
 * output numbers most of its lines (a recursive search prints file names first, which is not this).
 */
function printedLines(ctx: FlagContext, step: Step, action: Action): {path: string; ranges: Range[]} | undefined {
  if (action.reads.length !== 0 || action.searches.length !== 1) return undefined
  const s = action.searches[0]!
  if (s.mode !== 'content' || s.output !== 'lines' || s.scopes.length !== 1 || !numbersFileLines(step)) return undefined
  const shown = ctx.shown(step)
  // (With context, grep's own numbering read first: its context lines' `N-` is often followed by no space.)
  const numbered =
    (s.context[0] || s.context[1] ? !shown?.elided && contextNumbered(ctx.outputOf(step)) : undefined) ||
    shown?.numbered ||
    oneNumberedLine(ctx.outputOf(step))
  return numbered ? {path: s.scopes[0]!, ranges: numbered} : undefined
}

/**
 * Whether a search of one file printed the file's own line numbers: a search tool (unless told not to number, `-n:
 * false`), or a shell grep or rg given `-n` that reads the file itself (first in its pipeline, or after a plain `cat`
 * of it); not one that numbers what a pipe gave it (`sed -n 5000,6000p f | grep -n x` numbers sed's lines), nor one
 * without `-n` (a file's own text may start with numbers: `1- build`, `09:00 standup`).
 */
function numbersFileLines(step: Step): boolean {
  const args = step.tool?.arguments
  const line = shellLine(args)
  if (!line) return (args as Record<string, unknown> | undefined)?.['-n'] !== false
  const commands = parseShell(line)
  for (let k = 0; k < commands.length; k++) {
    const words = commands[k]!.words
    const name = words[0]?.slice(words[0].lastIndexOf('/') + 1)
    const at = name === 'git' && words[1] === 'grep' ? 2 : SEARCHERS.has(name ?? '') ? 1 : -1
    if (at === -1) continue
    const own =
      !commands[k]!.piped ||
      (k > 0 && !commands[k - 1]!.piped && commands[k - 1]!.words[0] === 'cat' && commands[k - 1]!.words.length === 2)
    const options = words.slice(at)
    // (Not with `-o`: it prints the matches alone, not their lines.)
    if (options.some(w => w === '--only-matching' || /^-[A-Za-z]*o/.test(w))) return false
    return own && options.some(w => w === '--line-number' || /^-[A-Za-z]*n/.test(w))
  }
  return false
}

const SEARCHERS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag'])

/**
 * The lines a `grep -n` with context printed of one file, read as grep prints them: each hit `N:` and each line around
 * it `N-` (whatever follows the dash: in a log whose lines open with a date, `174-2026-02-24T…`, which line numbers
 * in general are not read from), groups parted by `--`, every line of a group the one after the line before it.
 * Undefined unless every line reads so.
 */
function contextNumbered(output: string | undefined): Range[] | undefined {
  if (output === undefined) return undefined
  const body = output.slice(harnessHeaderEnd(output), reminderAt(output)).trimEnd().replace(PAGINATION, '')
  const ranges: Range[] = []
  let prev = -1
  for (const line of body.split('\n')) {
    if (line === '--') {
      prev = -1
      continue
    }
    // (A line its tool left out, ripgrep's `[Omitted long matching line]`, was not shown: the group ends there.)
    if (omittedLine(line)) {
      prev = -1
      continue
    }
    const m = /^(\d{1,9})[:-]/.exec(line)
    if (!m) return undefined
    const n = Number(m[1])
    if (prev === -1) {
      if (ranges.length && n < ranges[ranges.length - 1]![1]) return undefined
      ranges.push([n, n + 1])
    } else if (n === prev + 1) ranges[ranges.length - 1]![1] = n + 1
    else return undefined
    prev = n
  }
  return ranges.length > 1 || (ranges.length === 1 && ranges[0]![1] - ranges[0]![0] > 1) ? ranges : undefined
}

/** Whether a shell look prints files' times or sizes: `ls -l` (`-la`, `-lh`…), `stat`. */
export function showsTimes(step: Step): boolean {
  const line = shellLine(step.tool?.arguments)
  return line !== '' && /(?:^|[;&|(]\s*)(?:ls\s+(?:-\w+\s+)*-[A-Za-z]*l|stat\b)/.test(line)
}

/** The line Claude Code's Grep adds after results it limited (`[Showing results with pagination = limit: 20, …]`). */
const PAGINATION = /\n*\[Showing results with pagination = [^\n]*\]$/
/** That line anywhere in an output, with the limit it states. */
const PAGED = /^\[Showing results with pagination = limit: (\d+)/m

/**
 * Whether Claude Code's Grep may have left results out by its limit: as many lines as the limit it states, or more
 * (it states one under fewer too).
 */
function paged(output: string): boolean {
  const m = PAGED.exec(output)
  if (!m) return false
  let lines = 0
  for (const line of output.slice(0, m.index).split('\n')) if (line.trim() !== '') lines++
  return lines >= Number(m[1])
}

/** Per search step, the numbered lines it printed of each file (see `filesPrinted`). */
const printedOf = new WeakMap<Step, Map<string, Map<number, string>>>()

/** What an earlier look showed of `path` by line number: a search's lines of that file, or a read's (`fileLines`). */
function lookedLines(ctx: FlagContext, by: Step, path: string): Map<number, string> | undefined {
  return printedOf.get(by)?.get(path) ?? fileLines(ctx, by)
}

/**
 * The numbered lines a search printed, file by file: grep's and ripgrep's `path:N:text` hits and `path-N-text` lines
 * around them (given `-n`, over files of its own, not a pipe's), and Gemini CLI's grep_search (`File: path` above
 * `L24: text` hits and `L23- text` lines around them, paths below the folder it searched). Undefined unless every line
 * reads so (a header and the groups' `--` aside), or when the output was cut.
 */
function filesPrinted(ctx: FlagContext, step: Step, s: Search): Map<string, Map<number, string>> | undefined {
  if (s.mode !== 'content' || s.scopes.length === 0) return undefined
  const output = ctx.outputOf(step)
  if (output === undefined || ctx.shown(step)?.elided) return undefined
  const body = output.slice(harnessHeaderEnd(output), reminderAt(output)).replace(PAGINATION, '')
  const gemini = GEMINI_MATCHES.exec(body)
  const byFile = gemini
    ? geminiMatches(body.slice(gemini[0].length), s.scopes[0]!)
    : numbersFileLines(step) && s.output === 'lines'
      ? prefixedMatches(body, ctx.cwdOf(step))
      : undefined
  if (byFile?.size) printedOf.set(step, byFile)
  return byFile?.size ? byFile : undefined
}

/** Gemini CLI's grep_search header: `Found 2 matches for pattern "x" in path "src":` then `---`. */
const GEMINI_MATCHES = /^Found \d+ match(?:es)? for pattern [^\n]*:\n---\n/

function geminiMatches(text: string, scope: string): Map<string, Map<number, string>> | undefined {
  const byFile = new Map<string, Map<number, string>>()
  let lines: Map<number, string> | undefined
  for (const line of text.split('\n')) {
    if (line === '---' || line === '') continue
    if (line.startsWith('File: ')) {
      const name = line.slice(6)
      // (A search of one file names it by its own name.)
      const path =
        scope.endsWith(`/${name}`) || scope === name ? scope : normalisePath(name.replace(/^\.\//, ''), scope)
      lines = byFile.get(path) ?? new Map()
      byFile.set(path, lines)
      continue
    }
    const m = /^L(\d+)[:-] ?(.*)$/.exec(line)
    if (!m || !lines) return undefined
    lines.set(Number(m[1]), m[2]!.trimEnd())
  }
  return byFile
}

function prefixedMatches(text: string, cwd: string | undefined): Map<string, Map<number, string>> | undefined {
  const rows = text.trimEnd().split('\n')
  if (rows.length > 20_000) return undefined
  // The files, from the hits (`path:N:text`); the lines around them are read against those (`path-N-text`: a path may
  // hold dashes of its own).
  const names = new Set<string>()
  for (const row of rows) {
    const m = hitRow(row)
    if (m) names.add(m[0])
  }
  if (!names.size) return undefined
  const byFile = new Map<string, Map<number, string>>()
  const add = (name: string, n: number, text: string): void => {
    const path = normalisePath(name, cwd)
    let lines = byFile.get(path)
    if (!lines) {
      lines = new Map()
      byFile.set(path, lines)
    }
    lines.set(n, text.trimEnd())
  }
  for (const row of rows) {
    if (row === '--' || row === '') continue
    const hit = hitRow(row)
    if (hit) {
      add(hit[0], hit[1], hit[2])
      continue
    }
    const dash = row.indexOf('-')
    let placed = false
    // (A path is no longer than MAX_PATH: a long row is looked at no further, whatever it holds.)
    for (let at = dash; at !== -1 && at <= MAX_PATH && !placed; at = row.indexOf('-', at + 1)) {
      const name = row.slice(0, at)
      if (!names.has(name)) continue
      const m = /^-(\d+)-(.*)$/.exec(row.slice(at))
      if (m) {
        add(name, Number(m[1]), m[2]!)
        placed = true
      }
    }
    if (!placed) return undefined
  }
  return byFile
}

/**
 * A hit as grep and ripgrep print it over several files with `-n`: `path:N:text`, the path not itself a number (a
 * Windows drive's colon is part of it: `C:\\app\\a.py:12:`). Read without a regular expression: linear in the row.
 */
function hitRow(row: string): [string, number, string] | undefined {
  const at = row.indexOf(':', driveEnd(row))
  if (at <= 0 || at > MAX_PATH) return undefined
  let end = at + 1
  while (end < row.length && end - at <= 10 && row.charCodeAt(end) >= 48 && row.charCodeAt(end) <= 57) end++
  if (end === at + 1 || row[end] !== ':') return undefined
  const path = row.slice(0, at)
  if (/^\d+$/.test(path)) return undefined
  return [path, Number(row.slice(at + 1, end)), row.slice(end + 1)]
}

/** Where a row's path starts past a Windows drive (`C:\\app\\a.cs:12:`: 2), else 0. */
function driveEnd(row: string): number {
  return row.length > 2 && row[1] === ':' && (row[2] === '\\' || row[2] === '/') && /[A-Za-z]/.test(row[0]!) ? 2 : 0
}

/** The longest path a search's row is read for. */
const MAX_PATH = 1024

/** Line numbers as ranges of consecutive lines. */
function rangesOf(lines: Map<number, string>): Range[] {
  const numbers = [...lines.keys()].sort((a, b) => a - b)
  const ranges: Range[] = []
  for (const n of numbers) {
    const last = ranges.at(-1)
    if (last && last[1] === n) last[1] = n + 1
    else ranges.push([n, n + 1])
  }
  return ranges
}

/** The line a one-hit `grep -n` printed (`1245:    def f(…):`), which `shownOf` leaves alone (one number says little in general). */
function oneNumberedLine(output: string | undefined): Range[] | undefined {
  const m = output === undefined ? null : /^\s*(\d{1,9}):[^\n]*\n?\s*$/.exec(output)
  return m ? [[Number(m[1]), Number(m[1]) + 1]] : undefined
}

/** Each search's group key, built once per search (searches belong to actions, which are shared by equal calls). */
type GroupKeys = Map<Search, string>

function groupKey(s: Search, keys: GroupKeys): string {
  let key = keys.get(s)
  if (key === undefined) {
    key = `${s.mode}\u0000${s.pattern}\u0000${s.flags}`
    keys.set(s, key)
  }
  return key
}

/** Tool names (as written) that read a default number of lines when asked for none (a session uses a few). */
const defaultLimited = new Map<string, boolean>()

function readsByDefaultLimit(name: string): boolean {
  let yes = defaultLimited.get(name)
  if (yes === undefined) {
    const lower = name.toLowerCase()
    yes = lower === 'read' || lower === 'read_file'
    if (defaultLimited.size < 1000) defaultLimited.set(name, yes)
  }
  return yes
}

/** The whole output's length as the harness stated it above what it kept (Codex's "Total output lines: 529"). */
function statedOf(ctx: FlagContext, step: Step): number | undefined {
  const o = ctx.outputOf(step)
  return o === undefined ? undefined : statedLines(o)
}

/** The lines a read put in context, from what its output showed when aco has it. */
function seenRanges(
  ctx: FlagContext,
  step: Step,
  asked: Range | undefined,
  single: boolean,
): {ranges: Range[]; lines?: number} {
  const shown = ctx.shown(step)
  const defaultLimit = readsByDefaultLimit(step.tool?.name ?? '') ? READ_DEFAULT_LINES : undefined
  const want: Range = asked ?? [1, defaultLimit ? 1 + defaultLimit : WHOLE]
  if (!shown) return {ranges: [want]}
  if (shown.empty) return {ranges: []}
  // A file tool that states which lines it showed, of how many (Gemini CLI's read_file): those lines, that length.
  const stated =
    single && !shown.elided && step.tool?.excerpt && statesItsLines(step.tool.name)
      ? statedFileLines(step.tool.excerpt)
      : undefined
  if (stated && stated[1] >= stated[0]) {
    const [first, last, total] = stated
    return {ranges: first === 1 && last === total ? [[1, WHOLE]] : [[first, last + 1]], lines: total}
  }
  if (single && shown.numbered) {
    const ranges = shown.numbered
      .map(r => [Math.max(r[0], want[0]), Math.min(r[1], want[1])] as Range)
      .filter(r => r[1] > r[0])
    // A whole-file read that showed fewer lines than its limit showed the whole file.
    const last = ranges[ranges.length - 1]
    if (!shown.elided && want[0] === 1 && ranges.length === 1 && ranges[0]![0] === 1 && last && last[1] < want[1]) {
      return {ranges: [[1, WHOLE]], lines: last[1] - 1}
    }
    return {ranges}
  }
  if (shown.elided) {
    if (!single || want[0] < 1) return {ranges: []}
    const ranges: Range[] = [[want[0], want[0] + shown.headLines - leadingBanners(ctx, step)]]
    // The whole output's length (mini-swe-agent keeps it beside the cut one; Codex states it) places the tail's lines too.
    const total = step.tool ? (toolOutputLines(step.tool) ?? statedOf(ctx, step)) : undefined
    if (total !== undefined && shown.tailLines && total - shown.tailLines >= shown.headLines)
      ranges.push([want[0] + total - shown.tailLines, want[0] + total])
    return {ranges}
  }
  // (A shell's banner above the file's lines is none of them.)
  const headLines = shown.headLines - leadingBanners(ctx, step)
  if (!asked && !defaultLimit) return {ranges: [[1, WHOLE]], lines: single ? headLines : undefined}
  // A head that printed fewer lines than asked reached the end of the file; short by one or two, it may have ended in
  // blank lines the harness trimmed (Claude Code's Bash trims what an output ends with; two blank lines in a row are
  // common, between Python's top-level definitions).
  if (single && want[0] === 1 && want[1] !== WHOLE && headLines < want[1] - want[0] - TRIMMABLE && !shown.elided)
    return {ranges: [[1, WHOLE]], lines: headLines}
  return {ranges: [want]}
}

/**
 * A `grep -n` of one file whose hits are already known, because the same pattern was searched in that file (or a
 * folder holding it) before and nothing changed it since: what it adds are its context lines (`-A 50` after `-A 30`).
 * When every line it printed is in context it is a re-read; when most are, a near-duplicate.
 */
function knownHits(
  ctx: FlagContext,
  step: Step,
  files: Map<string, Entry[]>,
  searches: Map<string, SearchEntry[]>,
  keys: GroupKeys,
  printed: {path: string; ranges: Range[]},
  stats: {entriesVisited: number},
): LookFinding | undefined {
  const s = ctx.actions[step.index]!.searches[0]!
  const i = step.index
  const earlier = (searches.get(groupKey(s, keys)) ?? NO_SEARCHES).some(
    e =>
      e.batch < ctx.batch[i]! &&
      e.compaction === ctx.compaction[i] &&
      !e.search.limited &&
      e.search.scopes.some(scope => scope === printed.path || printed.path.startsWith(`${scopeDir(scope)}/`)) &&
      !ctx.timeline.changed(printed.path, e.epoch, ctx.epochBefore[i]!, true),
  )
  if (!earlier) return undefined
  const by: Step[] = []
  // (Lines another search printed tell nothing of this one's hits.)
  const share = coverage(ctx, step, files, printed.path, printed.ranges, undefined, stats, by, [], true)
  if (!by.length) return undefined
  if (share >= 0.999) return {step, kind: 'reread', subject: printed.path, covered: 1, by: by.sort(byIndex)}
  return share >= MOSTLY
    ? {step, kind: 'partial', subject: printed.path, covered: share, by: by.sort(byIndex)}
    : undefined
}

/**
 * A `grep -n` of one file whose every printed line the call just before it had printed: the search
 * also tells where else the pattern occurs, but right after printing those lines its point is their
 * line numbers (the labelling conventions' rule). Earlier reads alone do not make it a re-read, nor does a
 * read the harness cut short (the search also looks in the part that was cut).
 */
function justPrinted(
  ctx: FlagContext,
  step: Step,
  files: Map<string, Entry[]>,
  printed: {path: string; ranges: Range[]},
  previous: Step,
  stats: {entriesVisited: number},
): LookFinding | undefined {
  const own = files.get(printed.path)?.filter(e => e.step === previous && !e.searched)
  if (!own?.length) return undefined
  // A read the harness cut (an elided `cat`) left part of the file unseen: a search of the whole file looks there too;
  // so does a search whose output a `| head` cut (`grep -n 'import' f | head -5`, then `grep -n 'from x import' f`).
  if (ctx.shown(previous)?.elided || cutShort(ctx, previous)) return undefined
  const by: Step[] = []
  const share = coverage(
    ctx,
    step,
    new Map([[printed.path, own]]),
    printed.path,
    printed.ranges,
    undefined,
    stats,
    by,
    [],
  )
  if (share < 0.999 || !by.length) return undefined
  return {step, kind: 'reread', subject: printed.path, covered: 1, by}
}

/** Whether a step's search output was cut short (it reached its `| head -N`, or was cut some other way). */
function cutShort(ctx: FlagContext, step: Step): boolean {
  const searches = ctx.actions[step.index]?.searches
  return !!searches?.some(s => wasCut(s, ctx.outputOf(step)))
}

/** Whether the cut a search's output went through (`| head -N`, `| tail`, `grep -m`) took anything from `output`. */
function wasCut(s: Search, output: string | undefined): boolean {
  return s.cut !== undefined && !(output !== undefined && lineCount(output) < s.cut)
}

/** Judges one pure look: is everything it showed already in context? */
function judge(
  ctx: FlagContext,
  step: Step,
  files: Map<string, Entry[]>,
  searches: Map<string, SearchEntry[]>,
  hits: HitCache,
  keys: GroupKeys,
  seenAll: ReadonlyArray<{ranges: Range[]; lines?: number}>,
  stats: {entriesVisited: number},
  asked?: Action,
): LookFinding | undefined {
  const action = asked ?? ctx.actions[step.index]!
  const pieces = action.reads.length + action.searches.length
  // The steps that cover it, each once (a few at most: an array, not a Set, for the many looks judged).
  const by: Step[] = []
  const via: Step[] = []
  let allCovered = true
  let bestPartial: {share: number; subject: string} | undefined
  let searchHit: {subject: string; same: boolean; listing: boolean; paths?: boolean; built?: boolean} | undefined
  // (The question a failed read asked, `asked`, is a search: not the lines it read.)
  const reads = asked && !asked.reads.length ? [] : readsOf(ctx, step)!
  for (let r = 0; r < reads.length; r++) {
    const read = reads[r]!
    const seen = seenAll[r]!
    const asked: Range[] = seen.ranges.length ? seen.ranges : read.range ? [read.range] : [[1, WHOLE]]
    // Lines searches printed (hits, and the lines around them) answer a read of a range they hold whole: not a read of
    // a whole file (hits never tell where a file ends), nor the most of a range (the read was for the lines between).
    const ranged = read.range !== undefined && read.range[1] !== WHOLE
    const mine: Step[] = []
    const copies: Step[] = []
    let share = coverage(ctx, step, files, read.path, asked, seen.lines, stats, mine, copies, !ranged)
    if (ranged && share < 0.999 && files.get(read.path)?.some(e => e.searched)) {
      mine.length = 0
      copies.length = 0
      share = coverage(ctx, step, files, read.path, asked, seen.lines, stats, mine, copies, true)
    }
    for (const b of mine) addOnce(by, b)
    for (const c of copies) addOnce(via, c)
    if (share < 0.999) {
      allCovered = false
      if (pieces === 1) bestPartial = {share, subject: read.path}
    }
  }
  for (let k = 0; k < action.searches.length; k++) {
    const s = action.searches[k]!
    // A search in files whose every line is in context shows nothing new (`grep -n x README.md solve.rb` after
    // the agent wrote both whole); not a count of hits (`grep -c`, `| wc -l`): a number no look printed, known only by
    // counting (none found is known: no line shown matches).
    let hit: ReturnType<typeof coveringSearch>
    if (
      s.mode === 'content' &&
      (s.output !== 'count' || ctx.foundNothing(step)) &&
      s.scopes.every(scope => files.has(scope))
    ) {
      const covering: Step[] = []
      const copies: Step[] = []
      let whole = true
      for (let f = 0; f < s.scopes.length && whole; f++)
        whole = coverage(ctx, step, files, s.scopes[f]!, WHOLE_FILE, undefined, stats, covering, copies) >= 0.999
      // Unless a command aco cannot see into ran since, when an earlier search that tells this one's result without
      // crossing it is the better evidence (a re-read's own lines verify it; a search that found nothing has none).
      if (whole && acrossUnseenSearch(ctx, step, s, covering)) hit = coveringSearch(ctx, step, s, searches, hits, keys)
      if (whole && !hit) {
        for (const b of covering) addOnce(by, b)
        for (const c of copies) addOnce(via, c)
        continue
      }
    }
    hit ??= coveringSearch(ctx, step, s, searches, hits, keys)
    if (!hit) {
      allCovered = false
      continue
    }
    addOnce(by, hit.entry.step)
    searchHit = {
      subject: s.scopes.join(', '),
      same: hit.same,
      paths: hit.paths,
      built: hit.built === true || searchHit?.built === true,
      listing:
        hit.entry.search.mode === 'name' && hit.entry.search.pattern === '' && hit.entry.search.names.length === 0,
    }
  }
  const subject = action.reads[0]?.path ?? action.searches[0]?.scopes[0] ?? ''
  if (allCovered && by.length) {
    const steps = by.sort(byIndex)
    if (searchHit)
      return {
        step,
        kind: 'search',
        subject: searchHit.subject,
        covered: 1,
        by: steps,
        same: searchHit.same,
        byListing: searchHit.listing,
        ...(searchHit.paths ? {byPaths: true} : {}),
        ...(searchHit.built ? {readsSameAfter: 'build' as const} : {}),
      }
    return via.length
      ? {step, kind: 'reread', subject, covered: 1, by: steps, copies: via.sort(byIndex)}
      : {step, kind: 'reread', subject, covered: 1, by: steps}
  }
  if (bestPartial && bestPartial.share >= MOSTLY && by.length)
    return {
      step,
      kind: 'partial',
      subject: bestPartial.subject,
      covered: bestPartial.share,
      by: by.sort(byIndex),
      ...(via.length ? {copies: via.sort(byIndex)} : {}),
    }
  return undefined
}

const byIndex = (a: Step, b: Step): number => a.index - b.index

function addOnce(list: Step[], step: Step): void {
  if (!list.includes(step)) list.push(step)
}

/** "Every line of the file", asked of a search in one file. */
const WHOLE_FILE: readonly Range[] = [[1, WHOLE]]

/**
 * How much of `asked` (ranges of `path`) the valid earlier entries cover, 0..1;
 * the entries' steps that cover some of it are added to `by` (each once).
 */
function coverage(
  ctx: FlagContext,
  step: Step,
  files: Map<string, Entry[]>,
  path: string,
  asked: readonly Range[],
  lengthHint: number | undefined,
  stats: {entriesVisited: number},
  by: Step[],
  via: Step[],
  readsAlone = false,
): number {
  const list = files.get(path)
  if (!list?.length) return 0
  stats.entriesVisited += list.length
  const i = step.index
  const now = ctx.epochBefore[i]!
  // Drop entries made stale for good (the file changed since, or the context was compacted): staleness only grows.
  dropStale(ctx, list, path, ctx.compaction[i]!, now)
  const batch = ctx.batch[i]!
  const valid =
    list.length === 1 && !readsAlone
      ? list[0]!.batch < batch
        ? list
        : NO_ENTRIES
      : list.filter(e => e.batch < batch && !(readsAlone && e.searched))
  if (!valid.length) return 0
  let lines = lengthHint
  for (let k = 0; k < valid.length; k++) if (valid[k]!.lines !== undefined) lines = valid[k]!.lines
  // Ranges end at the file's last line when its length is known.
  const cap = lines !== undefined ? lines + 1 : WHOLE
  let total = 0
  let covered = 0
  const found: Step[] = []
  for (let a = 0; a < asked.length; a++) {
    const want0 = asked[a]!
    const from = want0[0]
    const to = lines !== undefined ? Math.min(want0[1], cap) : want0[1]
    if (to <= from) continue
    if (to === WHOLE) {
      // The rest of a file of unknown length is covered only by an entry that saw it to the end (the latest: what
      // the agent saw last is what it holds).
      const whole = valid.findLast(e => e.range[0] <= from && e.range[1] === WHOLE)
      total += 1
      if (whole) {
        covered += 1
        addOnce(found, whole.step)
        if (whole.via) addOnce(via, whole.via)
      }
      continue
    }
    const parts: {e: Entry; lo: number; hi: number}[] = []
    for (let k = 0; k < valid.length; k++) {
      const e = valid[k]!
      const lo = Math.max(from, e.range[0])
      const hi = Math.min(to, lines !== undefined ? Math.min(e.range[1], cap) : e.range[1])
      if (hi > lo) parts.push({e, lo, hi})
    }
    // From the first line on; where two looks start at the same line, the later first (what the agent saw last).
    if (parts.length > 1) parts.sort((x, y) => x.lo - y.lo || y.e.step.index - x.e.step.index)
    let reach = from
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!
      const lo = Math.max(p.lo, reach)
      if (p.hi > lo) {
        covered += p.hi - lo
        reach = p.hi
        addOnce(found, p.e.step)
        if (p.e.via) addOnce(via, p.e.via)
      }
    }
    total += to - from
  }
  if (total === 0) return 0
  for (let k = 0; k < found.length; k++) addOnce(by, found[k]!)
  return covered / total
}

const NO_ENTRIES: Entry[] = []

const OUTPUT_RANK: Record<Search['output'], number> = {status: 0, files: 1, count: 2, lines: 3}

/**
 * Whether what a search of `scope` finds may have changed in (from, to]: anything below the folder; for names looked
 * for in the folder itself (`find . -maxdepth 1 -name .dockerignore`, `test -f VERSION`), only those names there, or
 * what lies below them (a write in `backend/src` can create no `.dockerignore` at the top).
 */
function scopeChanged(
  ctx: FlagContext,
  s: Search,
  scope: string,
  from: number,
  to: number,
  earlier?: SearchEntry,
): boolean {
  const dir = scopeDir(scope)
  if (s.mode === 'name' && s.depth === 1 && s.names.length > 0 && s.names.every(n => !/[*?[\]{}/\\]/.test(n)))
    return s.names.some(n => ctx.timeline.treeChanged(dir === '/' ? `/${n}` : `${dir}/${n}`, from, to))
  // Names by a pattern there (`ls Dockerfile*`): only a write through a name it matches.
  if (s.mode === 'name' && s.depth === 1 && s.names.length > 0 && s.names.every(n => !/[/\\{}]/.test(n)))
    return ctx.timeline.entryWritten(dir, name => s.names.some(n => globMatch(n, name)), from, to)
  // A listing of the folder itself, after an earlier one of it: only its entries matter (see `entriesChanged`).
  if (
    earlier &&
    s.listing &&
    s.depth === 1 &&
    earlier.search.listing &&
    earlier.search.depth === 1 &&
    earlier.search.scopes.length === 1 &&
    earlier.search.scopes[0] === scope &&
    ctx.timeline.treeChanged(dir, from, to)
  ) {
    const names = listedNames(ctx, earlier.step)
    return names === undefined || ctx.timeline.entriesChanged(dir, names, from, to)
  }
  // A search that leaves hidden files out (ripgrep, Claude Code's Grep, a shell glob, `ls`) finds nothing written in
  // a hidden folder below its scope, nor a hidden file (`rg --files` after the agent wrote `.specify/plan.md`).
  if (!s.hidden && ctx.timeline.treeChanged(dir, from, to))
    return ctx.timeline.treeChangedBeside(dir, path => hiddenBelow(path, dir), from, to)
  return ctx.timeline.treeChanged(dir, from, to)
}

/** Whether `path` lies below `dir` through a hidden name (a file or folder whose name starts with a dot). */
function hiddenBelow(path: string, dir: string): boolean {
  const prefix = dir === '/' ? '/' : `${dir}/`
  return path.startsWith(prefix) && /(?:^|\/)\.[^/]/.test(path.slice(prefix.length))
}

/** The names a listing of one folder printed (`ls`, `ls -la`: a long line's last field), or undefined. */
function listedNames(ctx: FlagContext, step: Step): Set<string> | undefined {
  const output = ctx.outputOf(step)
  if (output === undefined || ctx.shown(step)?.elided) return undefined
  const names = new Set<string>()
  for (const line of outputBody(output).split('\n')) {
    const l = line.trim()
    if (!l || /^total \d+$/.test(l)) continue
    const long = LONG_LISTING.exec(l)
    const name = (long ? long[1]!.replace(/ -> .*$/, '') : l).replace(/\/$/, '')
    names.add(name)
  }
  return names
}

/** The latest earlier search or listing whose results contain this search's. */
function coveringSearch(
  ctx: FlagContext,
  step: Step,
  s: Search,
  searches: Map<string, SearchEntry[]>,
  lines: HitCache,
  keys: GroupKeys,
): {entry: SearchEntry; same: boolean; paths?: boolean; built?: boolean} | undefined {
  const i = step.index
  // Listings and name searches share a group (their pattern is ''), so a listing of the tree answers a name search.
  const candidates = searches.get(groupKey(s, keys)) ?? NO_SEARCHES
  let checked = 0
  for (let k = candidates.length - 1; k >= 0; k--) {
    const e = candidates[k]!
    // (Entries are in step order: all before one of an earlier context are of an earlier context too.)
    if (e.compaction !== ctx.compaction[i]) break
    if (e.batch >= ctx.batch[i]!) continue
    const same = sameSearch(e, s)
    // (Not below a folder ignore files usually name, asked of a search that may leave such folders out: one that reads
    // ignore files, or Claude Code's Glob, of which that is not settled.)
    if (
      !same &&
      s.mode === 'name' &&
      !e.search.listing &&
      (e.search.ignores || e.step.tool?.name === 'Glob') &&
      s.scopes.some(scope => ignoredBelow(scope, e.search.scopes[0]!))
    )
      continue
    const within = same || contains(e, s)
    // Anything looked for below a folder a listing showed whole, hidden entries too, and held no folder (`ls -la`:
    // `.` and `..` alone, or files only), nothing made there since: the tree below it is those files, at any depth
    // (`find . -maxdepth 3 -type f` after it). (And it showed none but them, as it could only: a file it shows came
    // where aco did not see, review 68.)
    if (!within && s.mode === 'name') {
      // (Of the listing's folders that hold every place the later one looks, the deepest: `ls -la a a/b`, then `find
      // a/b`, is told by a/b's block.)
      let deepest: string | undefined
      for (const o of e.search.scopes)
        if (s.scopes.every(scope => isUnder(scope, o)) && (deepest === undefined || o.length > deepest.length))
          deepest = o
      const tree = deepest === undefined ? undefined : listedTree(ctx, e, deepest)
      if (
        tree &&
        !ctx.timeline.treeChanged(deepest!, e.epoch, ctx.epochBefore[i]!) &&
        showsOnlyFrom(ctx, step, s, tree)
      )
        return {entry: e, same: false, paths: true}
    }
    // Files of given names looked for in a tree an earlier listing printed whole (`find t -name "*theme*"` after
    // `find t -type f`, `find d -name "*.ex"` after Glob `d/**/*.ex`).
    if (!within && s.names.length && namesListed(ctx, e, step, s, () => ++checked <= MAX_VERIFIED))
      return {entry: e, same: false, paths: true}
    // A listing of files that may show hidden or ignored ones (`find src -type f`) after one that left them out
    // (`rg --files`), or after files it lists were edited: covered when every path it printed, the earlier one
    // printed, and no file was made there since.
    if (!within && !contains(e, s, false, false, true) && !listingWithin(e.search, s) && !listingOfFiles(e.search, s))
      continue
    const changed = within && s.scopes.some(scope => scopeChanged(ctx, s, scope, e.epoch, ctx.epochBefore[i]!, e))
    // (Only a build's outputs written there since: they change no line a content search shows, which `verified`
    // below still checks, hit by hit.)
    const built = changed && builtOnly(ctx, s, e.epoch, ctx.epochBefore[i]!)
    if (!within || (changed && !built)) {
      const shown = ++checked <= MAX_VERIFIED && pathsShown(ctx, e, step, s)
      if (shown) return {entry: e, same: shown === 'same' || (same && !e.search.limited), paths: true}
      continue
    }
    // Outputs are compared for the few latest candidates only: older ones rarely show what the newest did not.
    if (++checked > MAX_VERIFIED || !verified(ctx, e, step, s, lines)) continue
    // The very same search printing fewer lines than it did: what it looks at changed (files deleted where aco could
    // not see, by a person between turns), whatever the rest says.
    if (same && fewerLines(ctx, e.step, step)) continue
    // Across a build, the later search must show every hit the earlier one showed where it looks: a build that
    // generates sources may have taken one away (review 56).
    if (built && !keptEveryHit(ctx, e, step, s)) continue
    return {entry: e, same: same && !e.search.limited, ...(built ? {built} : {})}
  }
  // An earlier search with another pattern that matches every line this one can (`encode_ascii` for
  // `replace.*encode_ascii`, `a\|b` for `a`): its output must still show every hit (`verified`), and
  // there must be hits (that a narrower pattern finds nothing is rarely plain from the broader output).
  if (!comparablePattern(s)) return undefined
  const later = ctx.outputOf(step)
  if (later === undefined) return undefined
  // No hits, or only their count: what the earlier output's lines say the narrower pattern finds must be that.
  const derive = noHits(later) || s.output === 'count'
  const broad = searches.get(broadKey(s)) ?? NO_SEARCHES
  checked = 0
  for (let k = broad.length - 1; k >= 0; k--) {
    const e = broad[k]!
    if (e.compaction !== ctx.compaction[i]) break
    if (e.batch >= ctx.batch[i]!) continue
    if (
      e.search.pattern === s.pattern ||
      !narrower(s.pattern, e.search.pattern, s.basic, e.search.basic) ||
      !contains(e, s, true, derive && noHits(later))
    )
      continue
    if (s.scopes.some(scope => scopeChanged(ctx, s, scope, e.epoch, ctx.epochBefore[i]!))) continue
    if (++checked > MAX_VERIFIED) continue
    // (Files listed both times, no line of them, say nothing of which hold the narrower pattern: only lines printed do.)
    if (!derive && listsFilesOnly(ctx.outputOf(e.step))) continue
    if (derive ? !derivable(ctx, e, s, later) : !verified(ctx, e, step, s, lines)) continue
    return {entry: e, same: false}
  }
  return undefined
}

/**
 * Whether a search's output lists files and no line of them (Claude Code's Grep by default: `Found 2 files` and their
 * paths; `grep -l`): no hit line a narrower pattern could be told by.
 */
function listsFilesOnly(output: string | undefined): boolean {
  if (output === undefined) return false
  const lines = outputBody(output)
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '' && !/^Found \d+ files?$/.test(l))
  return lines.length > 0 && lines.every(l => !/:\d+[:-]|^Line \d+:|:$/.test(l) && !/\s/.test(l))
}

/**
 * Whether a search of one file printed every hit an earlier search printed for that file (by their text), and at
 * least one: only a search of one file, whose hits the earlier output names by its path below the earlier scope.
 */
function keptEveryHit(ctx: FlagContext, e: SearchEntry, step: Step, s: Search): boolean {
  const later = ctx.outputOf(step)
  const had = hitsOfFile(ctx, e, s)
  if (later === undefined || !had?.length) return false
  const got = fileHitLines(later, s.context[0] + s.context[1] > 0)
  if (!got?.length) return false
  const shown = new Set(got.map(l => l.trim()))
  return had.every(l => shown.has(l.trim()))
}

/**
 * The hit lines an earlier search printed for the one file a later search looks at (its text, below the earlier
 * scope or that file itself); undefined when that cannot be read.
 */
function hitsOfFile(ctx: FlagContext, e: SearchEntry, s: Search): string[] | undefined {
  const earlier = ctx.outputOf(e.step)
  if (earlier === undefined || s.scopes.length !== 1 || e.search.scopes.length !== 1) return undefined
  const file = s.scopes[0]!
  const outer = scopeDir(e.search.scopes[0]!)
  // (The same scope: a file only where every line the earlier search printed is numbered, as a search of one file
  // prints them; a folder's lines name their files.)
  if (file === outer)
    return outputBody(earlier)
      .split('\n')
      .every(l => l === '' || l === '--' || /^\d+[:-]/.test(l))
      ? fileHitLines(earlier, e.search.context[0] + e.search.context[1] > 0)
      : undefined
  return file.startsWith(`${outer}/`) ? folderHitLines(earlier, file.slice(outer.length + 1)) : undefined
}

/**
 * Whether in (from, to] only builds wrote where a content search looks (their outputs), nothing else there changed,
 * and it looks at none of a build's own output folders: what the files it reads hold is what it was.
 */
function builtOnly(ctx: FlagContext, s: Search, from: number, to: number): boolean {
  return (
    s.mode === 'content' &&
    ctx.timeline.anyBuilt(from, to) &&
    s.scopes.every(
      scope =>
        !BUILD_OUTPUT_PATH.test(scope) && !ctx.timeline.treeChangedBeside(scopeDir(scope), NOWHERE, from, to, true),
    )
  )
}

/**
 * Whether what a search printed (no hits, or a count: `rg -n x f | wc -l`) is what the earlier search of the same
 * file printed says it must be: the earlier one printed every hit line (no context, nothing cut or filtered away),
 * and exactly that many of them match the later pattern.
 */
function derivable(ctx: FlagContext, e: SearchEntry, s: Search, later: string): boolean {
  const E = e.search
  if (E.output !== 'lines' || E.scopes.length !== 1 || s.scopes.length !== 1) return false
  const empty = noHits(later)
  // The same file; or, for a search that found nothing, a file or a folder below the folder the earlier one searched.
  const sameFile = s.scopes[0] === E.scopes[0]
  const rel = sameFile ? '' : s.scopes[0]!.slice(E.scopes[0]!.length + 1)
  // Not in a folder a search of the folder leaves out (node_modules, dist, a dot-folder): the earlier search printed
  // whatever hits it had there.
  if (!sameFile && !(empty && isUnder(s.scopes[0]!, E.scopes[0]!) && !ignoredBelow(s.scopes[0]!, E.scopes[0]!)))
    return false
  const folder = !sameFile && !/\.\w+$/.test(rel)
  // A count counts context lines too.
  if (!empty && (s.context[0] || s.context[1] || E.context[0] || E.context[1])) return false
  const earlier = ctx.outputOf(e.step)
  // Every hit printed: nothing filtered away, no cut (or one the output was too short to need: `| tail -20`).
  if (earlier === undefined || wasCut(E, earlier) || (E.limited && !Number.isFinite(E.cut))) return false
  // Nor cut by the harness (`[120 lines truncated]`), paged by the tool (Claude Code's Grep: `[Showing results with
  // pagination = limit: 8, …]`), or a hit left out as too long (ripgrep's `[Omitted long matching line]`).
  if (ctx.shown(e.step)?.elided || paged(earlier) || earlier.includes('[Omitted long ')) return false
  // A folder below: found nothing where the earlier output names no file in it at all (a hit there, even one the
  // narrower pattern would miss, is not weighed).
  if (folder) return !namesBelow(earlier, rel)
  const same = s.pattern === E.pattern
  // (The same folder searched again: its hits in every file, `src/a.rs:14:text`, context lines `src/a.rs-9-text` aside.
  // Hits printed among context lines with no numbers to tell them by, as Claude Code's Grep prints one file's: for a
  // narrower pattern that found nothing, every line printed stands in for the hits, since a line it matches is one the
  // earlier pattern matched, a hit. Not for a pattern anchored at the line's start, which a file's name before the line,
  // `src/a.rs-`, would keep from matching.)
  const hits = sameFile
    ? (fileHitLines(earlier, E.context[0] + E.context[1] > 0) ??
      (E.depth !== 1 ? treeHitLines(earlier) : undefined) ??
      (empty && !same && !s.pattern.includes('^') ? everyLinePrinted(earlier) : undefined))
    : folderHitLines(earlier, rel)
  if (!hits) return false
  let count = 0
  for (const line of hits) {
    const hit = same || matchesLine(s.pattern, s.basic === true, line, s.flags.includes('i'))
    if (hit === undefined) return false
    if (hit) count++
  }
  if (empty) return count === 0
  const body = outputBody(later).trim()
  return /^\d+$/.test(body) && Number(body) === count
}

/**
 * The hit lines a search of one file printed, without the line numbers `-n` put before them (when every line has
 * one); with context lines around the hits (`-A 3`), only the hits (`12:` against `13-`), which only numbers tell
 * apart: undefined when the lines have none.
 */
function fileHitLines(output: string, context: boolean): string[] | undefined {
  const lines = outputBody(output).split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const numbered = lines.every(l => l === '--' || /^\d+[:-]/.test(l))
  if (!numbered) return context ? undefined : lines
  const out: string[] = []
  for (const l of lines) {
    const m = /^\d+([:-])/.exec(l)
    if (m && m[1] === ':') out.push(l.slice(m[0].length))
  }
  return out
}

/** Every line a search printed, hits and context alike (group separators, `--`, aside). */
function everyLinePrinted(output: string): string[] {
  return outputBody(output)
    .split('\n')
    .filter(l => l !== '--')
}

/**
 * The hit lines a search of a folder printed with their files and numbers (`src/a.rs:14:text`), with context lines
 * (`src/a.rs-9-text`) and group separators (`--`) left out; undefined when a line is neither (no numbers, another form).
 */
function treeHitLines(output: string): string[] | undefined {
  const lines = outputBody(output).split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const out: string[] = []
  for (const l of lines) {
    if (l === '--') continue
    // (A Windows drive's colon is part of the path: `C:\\app\\a.cs:12:`.)
    const hit = /^(?:[A-Za-z]:[\\/])?[^\n:]+?:\d+:(.*)$/.exec(l)
    if (hit) out.push(hit[1]!)
    else if (!/^(?:[A-Za-z]:[\\/])?[^\n:]+?-\d+-/.test(l)) return undefined
  }
  return out
}

/** Folders a search of a tree leaves out (ignore files, hidden folders): a file there was not searched. */
const SKIPPED_PART = /\/(?:node_modules|dist|build|target|vendor|venv|__pycache__|\.[^/]+)\//

/**
 * The hit lines a search of a folder printed for the file at `base` below it (`src/a.ts:12:text`, `~/p/src/a.ts:12:text`;
 * its context lines, `src/a.ts-13-text`, are not hits). Lines of other files are left out.
 */
function folderHitLines(output: string, base: string): string[] {
  const out: string[] = []
  for (const line of outputBody(output).split('\n')) {
    const at = line.indexOf(base)
    // The name must end the line's path: nothing before it but a path, a separator right after it.
    if (at === -1 || line.slice(driveEnd(line), at).includes(':') || (at > 0 && !'/\\'.includes(line[at - 1]!)))
      continue
    const m = /^([:-])(?:\d+\1)?/.exec(line.slice(at + base.length))
    if (m && m[1] === ':') out.push(line.slice(at + base.length + m[0].length))
  }
  return out
}

/**
 * Whether a search's output names a file below the folder `base` (a path relative to the folder it searched): a line
 * whose path, before its first `:`, holds `base/` at its start or after a separator.
 */
function namesBelow(output: string, base: string): boolean {
  const folder = new RegExp(`(?:^|/)${escapeRegExp(base)}/`)
  for (const line of outputBody(output).split('\n')) {
    const colon = line.indexOf(':', driveEnd(line))
    if (folder.test((colon === -1 ? line : line.slice(0, colon)).replaceAll('\\', '/'))) return true
  }
  return false
}

/** The folder a scope stands for (`src/test_*` stands for `src`). */
function scopeDir(scope: string): string {
  return scope.endsWith('*') ? scope.slice(0, scope.lastIndexOf('/')) || '/' : scope
}

function remember(searches: Map<string, SearchEntry[]>, key: string, entry: SearchEntry): void {
  const list = searches.get(key)
  if (!list) {
    searches.set(key, [entry])
    return
  }
  list.push(entry)
  if (list.length > 64) list.shift()
}

/** The group of content searches with the same options, whatever their pattern. */
function broadKey(s: Search): string {
  return `${s.mode}\u0000*\u0000${s.flags}`
}

/** A content search whose pattern can be compared with another's: neither inverted nor bound to words or lines. */
function comparablePattern(s: Search): boolean {
  return s.mode === 'content' && !/[vwx]/.test(s.flags) && s.pattern !== ''
}

const NO_SEARCHES: SearchEntry[] = []

/** How many earlier searches a search's output is compared with. */
const MAX_VERIFIED = 4

/**
 * The same search in effect: same pattern, place and filters, printed the same
 * way (or printed any way, when the earlier one found nothing at all).
 */
function sameSearch(e: SearchEntry, b: Search): boolean {
  const a = e.search
  return (
    a.mode === b.mode &&
    a.pattern === b.pattern &&
    a.flags === b.flags &&
    a.depth === b.depth &&
    a.hidden === b.hidden &&
    a.listing === b.listing &&
    a.otherFilters === b.otherFilters &&
    (e.empty || (a.output === b.output && a.context[0] === b.context[0] && a.context[1] === b.context[1])) &&
    sameSet(a.scopes, b.scopes) &&
    sameSet(a.names, b.names) &&
    sameSet(a.filters, b.filters)
  )
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every(x => b.includes(x))
}

/**
 * Whether every hit `s` can show is among those `e` showed: same pattern (or, `anyPattern`, one the
 * caller has checked is broader), a narrower place, stricter filters; how each printed its hits matters not when `s`
 * found nothing (`foundNothing`).
 */
function contains(e: SearchEntry, s: Search, anyPattern = false, foundNothing = false, anyHidden = false): boolean {
  const E = e.search
  if (E.mode !== s.mode || (!anyPattern && E.pattern !== s.pattern) || E.flags !== s.flags) return false
  if (E.otherFilters) return false
  if (!E.filters.every(f => s.filters.includes(f) || (f.startsWith(DIR_GLOB) && foldersWithin(s, f)))) return false
  // Nor where the later one looks in what the earlier one left out by name (`rg x app -g '!gen'`, then `rg x app/gen`:
  // a place named is searched whatever the globs say, and the earlier search saw nothing there; review 79).
  if (s.scopes.some(scope => E.scopes.some(outer => leftOutOnTheWay(scope, outer, E.filters)))) return false
  // Every file the later one can match, the earlier one matched: the same glob, or a name its glob matches.
  const nameWithin = (n: string): boolean =>
    E.names.includes(n) || (!/[*?[]/.test(n) ? E.names.some(g => globMatch(g, n)) : E.names.some(g => globWithin(n, g)))
  // (A listing of a folder whose own name matched lists what is in it, which the earlier search by name did not look
  // at: `find ~ -iname '*kosh*'` found kosh-ai/, `ls -la kosh-ai` shows its files, trial 92; `ls -d kosh-ai` shows the
  // entry itself, review 93.)
  if (
    E.names.length &&
    !(s.names.length
      ? s.names.every(nameWithin)
      : !(s.listing && s.depth > 0) && s.scopes.every(p => nameWithin(p.slice(p.lastIndexOf('/') + 1))))
  )
    return false
  // A search for names that are no dotfiles, in no dot-folder, finds nothing a plain listing (`ls`, `tree`: no
  // ignore file obeyed, unlike `rg --files`) without them hid.
  if (!anyHidden && !E.hidden && s.hidden && !(E.listing && plainNames(s))) return false
  // Nor one that leaves out what ignore files name (`rg --files`) what it hid (`ls build`, `cat build/out.log`).
  if (!anyHidden && E.ignores && !s.ignores && s.mode === 'name') return false
  // Nor one without dotfiles what lies in a dot-folder below it (`ls -R`, `tree`: `.github/workflows` never listed).
  if (!anyHidden && !E.hidden && s.scopes.some(scope => E.scopes.some(outer => dotBelow(scope, outer)))) return false
  // Nor one that obeys ignore files (ripgrep, Claude Code's Grep) what lies in a folder they commonly name below it
  // (`rg x .`, then `rg x node_modules`, `rg x target/debug`: a path named searches there all the same).
  if (!anyHidden && E.ignores && s.scopes.some(scope => E.scopes.some(outer => ignoredBelow(scope, outer))))
    return false
  // (What a later search that found nothing would have printed around its hits does not matter.)
  if (!e.empty && !foundNothing) {
    if (OUTPUT_RANK[E.output] < OUTPUT_RANK[s.output]) return false
    // (Context lines show only beside hit lines: a list of files, a count, has none, whatever `-C` asked.)
    if (s.output === 'lines' && (E.context[0] < s.context[0] || E.context[1] < s.context[1])) return false
  }
  return s.scopes.every(scope =>
    E.scopes.some(outer => within(scope, s.depth, outer, E.depth) || (scope === outer && searchedAsFile(e))),
  )
}

/** Whether `scope` lies in a folder below `outer` that searches obeying ignore files leave out (see SKIPPED_PART). */
function ignoredBelow(scope: string, outer: string): boolean {
  if (scope === outer || !isUnder(scope, outer)) return false
  return SKIPPED_PART.test(`/${scope.slice(outer === '/' ? 1 : outer.length + 1)}/`)
}

/**
 * Whether an earlier content search looked at its one path as a file: without recursing and without a glob (`dir/*`
 * names the folder), it printed hits (`grep x f`; of a folder, grep prints only "Is a directory", whatever the line's
 * exit code says). A later `grep -r x f` of that path then searches that file alone.
 */
function searchedAsFile(e: SearchEntry): boolean {
  const E = e.search
  return (
    E.mode === 'content' &&
    E.depth === 1 &&
    E.scopes.length === 1 &&
    E.names.length === 0 &&
    !e.empty &&
    !IS_A_DIRECTORY.test(e.step.tool?.excerpt ?? '')
  )
}

/**
 * Whether a list of files (`later`) is the files an earlier search's hit lines (`path:N:line`, context lines `path-N-`)
 * named: every file listed had a hit line there, and no hit line names another. Paths as either printed them, relative
 * to where the search ran or whole.
 */
function filesOfHits(ctx: FlagContext, step: Step, earlier: string, later: string): boolean {
  const cwd = ctx.cwdOf(step)
  const listed = outputBody(later)
    .split('\n')
    .map(l => l.trim())
    .filter(l => l !== '' && !/^Found \d+ files?$/.test(l))
  if (!listed.length) return false
  const names = listed.flatMap(p => (cwd && !p.startsWith('/') ? [p, `${cwd}/${p}`] : [p]))
  const hits = outputBody(earlier)
    .split('\n')
    .filter(l => /:\d+:/.test(l))
  if (hits.some(l => !names.some(n => l.startsWith(`${n}:`)))) return false
  return listed.every(p => hits.some(l => l.startsWith(`${p}:`) || (cwd !== undefined && l.startsWith(`${cwd}/${p}:`))))
}

/**
 * The files below a folder a listing that shows hidden entries (`ls -la`, `ls -A`) listed (`scope`), when that is every
 * file below it at any depth: it showed no entry at all (`total 0`, a header, the folder itself and its parent), or
 * only long rows (`-rw-r--r-- … name`) of plain files, no folder or link among them. Undefined otherwise.
 */
function listedTree(ctx: FlagContext, e: SearchEntry, scope: string): Set<string> | undefined {
  const E = e.search
  // (Not `ls -d`, which lists the folder itself; nor a listing told to leave entries out, `-I`, `--ignore=`.)
  if (!E.listing || !E.hidden || E.depth < 1 || E.otherFilters || E.ignores) return undefined
  if (E.filters.length || E.names.length || E.limited) return undefined
  if (ctx.failed[e.step.index] === 1 || ctx.shown(e.step)?.elided) return undefined
  const output = ctx.outputOf(e.step)
  if (output === undefined) return undefined
  const own = ownListing(ctx, e, outputBody(output))
  const block = own && E.scopes.length > 1 ? folderBlock(ctx, e.step, own, scope) : own
  if (block === undefined) return undefined
  const folder = scopeDir(scope)
  // Its entries: none (`ls -A`), or `.` and `..` both (`ls -a`), as names or as long rows' last fields; else files.
  const dots = new Set<string>()
  const files = new Set<string>()
  let rows = 0
  for (const line of block) {
    const l = line.trim()
    if (l === '' || /^total \d+$/.test(l) || EZA_HEADER.test(l)) continue
    rows++
    if (/^\.{1,2}(?:\s+\.{1,2})?$/.test(l)) {
      for (const d of l.split(/\s+/)) dots.add(d)
      continue
    }
    const dot = /^[-dl][-rwxsStT]{9}.*\s(\.{1,2})$/.exec(l)?.[1]
    if (dot !== undefined) {
      dots.add(dot)
      continue
    }
    const name = LONG_LISTING.exec(l)?.[1]
    if (name === undefined || l[0] !== '-' || name.includes('/')) return undefined
    files.add(folder === '/' ? `/${name}` : `${folder}/${name}`)
  }
  return rows === 0 || (dots.has('.') && dots.has('..')) ? files : undefined
}

/**
 * Of a listing of several folders (`ls -la a b`), the lines under the header that names `scope` (`a:`, as typed, read
 * from the folder the call's commands all ran in), up to the next header; undefined when no header names it.
 */
function folderBlock(ctx: FlagContext, step: Step, lines: readonly string[], scope: string): string[] | undefined {
  // (The folder the listing ran in: one the call's commands all ran in, else none known, review 81.)
  const dirs = new Set(ctx.actions[step.index]?.partDirs ?? [])
  if (dirs.size > 1) return undefined
  const cwd = dirs.size === 1 ? [...dirs][0]! : ctx.cwdOf(step)
  const headers: number[] = []
  for (let k = 0; k < lines.length; k++)
    if (/^\S.*:$/.test(lines[k]!) && lines[k + 1]?.startsWith('total ')) headers.push(k)
  for (let h = 0; h < headers.length; h++) {
    const name = lines[headers[h]!]!.slice(0, -1)
    const path = name.startsWith('/') ? normalisePath(name) : cwd === undefined ? undefined : normalisePath(name, cwd)
    if (path === scopeDir(scope)) return lines.slice(headers[h]! + 1, headers[h + 1] ?? lines.length)
  }
  return undefined
}

/**
 * The lines of a call's output that one of its listings printed: all of them when it ran that listing alone; when it
 * ran several long listings (`ls -la a && ls -la b`), the block that listing's `total N` opens, in order, provided each
 * listing opened one; undefined when the blocks cannot be told apart.
 */
function ownListing(ctx: FlagContext, e: SearchEntry, body: string): string[] | undefined {
  const lines = body.split('\n')
  const action = ctx.actions[e.step.index]
  const searches = action?.searches ?? []
  if (searches.length <= 1) return lines
  // (Not when the call also wrote, `ls -la a && cp -r t a/ && ls -la a`: the listings saw different states, and the
  // call's looks are placed after its writes (review 79); nor when one ran in the background: blocks in any order.)
  if (!action || mutates(action) || action.detached) return undefined
  if (parseShell(shellLine(e.step.tool?.arguments)).some(c => c.background)) return undefined
  const at = searches.indexOf(e.search)
  if (at < 0 || !searches.every(s => s.listing)) return undefined
  const starts: number[] = []
  for (let k = 0; k < lines.length; k++) if (/^total \d+$/.test(lines[k]!.trim())) starts.push(k)
  if (starts.length !== searches.length) return undefined
  return lines.slice(starts[at], starts[at + 1] ?? lines.length)
}

/**
 * Whether a name search or listing printed no path but the folders it looked in (`find . -type d`: `.`) and files of
 * `files`.
 */
function showsOnlyFrom(ctx: FlagContext, step: Step, s: Search, files: ReadonlySet<string>): boolean {
  const output = ctx.outputOf(step)
  if (output === undefined || ctx.failed[step.index] === 1) return false
  const body = outputBody(output).trim()
  if (body === '' || ctx.foundNothing(step)) return true
  const shown = listedPaths(ctx, step, s)
  if (!shown) return false
  const folders = new Set(s.scopes.map(scopeDir))
  for (const p of shown) if (!folders.has(p) && !files.has(p)) return false
  return true
}

/** eza's (exa's) header above a long listing. */
const EZA_HEADER = /^Permissions\s+Size\s+User\s/

/** The letter of a long listing's row that `-type f` and `-type d` ask for. */
const TYPE_KIND: Record<string, string> = {'-type f': '-', '-type d': 'd'}

/** The first letter of the long listing's row for `name` (`-` a file, `d` a folder, `l` a link), if it printed one. */
function longRowKind(output: string, name: string): string | undefined {
  for (const line of outputBody(output).split('\n')) {
    const m = LONG_LISTING.exec(line.trim())
    if (m && m[1]!.replace(/ -> .*$/, '').replace(/\/$/, '') === name) return line.trim()[0]
  }
  return undefined
}

/** grep's word for a folder it was asked to search as a file (`grep: src: Is a directory`). */
const IS_A_DIRECTORY = /: Is a directory$/m

/**
 * Two listings (no pattern, no names) where the later one looks only inside what the earlier one listed, whatever
 * either hides by name (`ls src` after `tree -I node_modules`): what they printed decides (`pathsShown`).
 */
function listingWithin(E: Search, s: Search): boolean {
  return (
    E.mode === 'name' &&
    s.mode === 'name' &&
    E.pattern === '' &&
    s.pattern === '' &&
    E.names.length === 0 &&
    s.names.length === 0 &&
    E.output === 'files' &&
    s.output === 'files' &&
    s.scopes.every(
      scope =>
        E.scopes.some(outer => within(scope, s.depth, outer, E.depth)) &&
        // Each condition of the earlier one the later one shares, or one that keeps everything there.
        E.filters.every(f => s.filters.includes(f) || keepsAllUnder(f, scopeDir(scope), E.base)),
    )
  )
}

/**
 * Whether a listing's condition on paths keeps every path below `dir`: a `| grep P` on them, or `find -path G`, that
 * the folder's own path already matches (`rg --files | rg test` keeps all of `test/`). Not one on kinds: folders only
 * (`find -type d`) does not tell there are no files.
 */
function keepsAllUnder(filter: string, dir: string, base: string | undefined): boolean {
  const relative = base !== undefined && isUnder(dir, base) && dir !== base ? dir.slice(base.length + 1) : undefined
  const forms = relative === undefined ? [dir] : [dir, relative]
  const re = /^re:(.+)$/s.exec(filter)?.[1]
  // (A pattern that may stop matching once more follows: anchored at the end, a look-around.)
  if (re !== undefined) return !/\$|\(\?/.test(re) && forms.every(f => matchesLine(re, false, `${f}/`) === true)
  const glob = /^-path (.+)$/s.exec(filter)?.[1]
  return glob?.endsWith('*') === true && forms.every(f => globMatch(glob, `${f}/`))
}

/** Whether `path` lies below `outer` through a folder whose name starts with a dot (`outer/.github/x`). */
function dotBelow(path: string, outer: string): boolean {
  const dir = scopeDir(outer)
  return isUnder(path, dir) && path.slice(dir.length).includes('/.')
}

/**
 * For a listing of file paths (`find src -type f`, `rg --files src`) that may show what an earlier one left out
 * (hidden or ignored files): whether the earlier one, printed whole, showed every path the later one printed, and no
 * write since made a file there that it did not show (an edit of a listed file adds no path).
 */
function pathsShown(ctx: FlagContext, e: SearchEntry, step: Step, s: Search): 'same' | 'within' | false {
  const E = e.search
  if (s.mode !== 'name' || s.output !== 'files' || E.output !== 'files' || s.names.length || s.limited) return false
  // Which files there are, of a kind at most: not which changed lately, are empty, or come first by time.
  if (s.ordered || !s.filters.every(f => PATH_KIND.test(f))) return false
  // (Not `ls -a` after an `ls` of the folder without dotfiles: it asked for what that one could not show, and showing
  // none is its answer; fresh15 #20.)
  if (s.listing && E.listing && s.hidden && !E.hidden) return false
  if (e.empty || wasCut(E, ctx.outputOf(e.step)) || ctx.shown(e.step)?.elided) return false
  const known = listedPaths(ctx, e.step, E)
  if (!known || known.size === 0) return false
  const to = ctx.epochBefore[step.index]!
  if (s.scopes.some(scope => ctx.timeline.pathsAdded(scopeDir(scope), known, e.epoch, to))) return false
  const shown = listedPaths(ctx, step, s)
  if (!shown || shown.size === 0) return false
  // (A folder a listing of files alone showed files in, `find svc -type f` then `ls svc/build`, which shows `db`: it
  // printed the folder's path on their way. A folder it showed no file in may be empty: not known.)
  const folders = E.filters.includes('-type f') ? foldersOf(known) : undefined
  for (const p of shown) if (!known.has(p) && !folders?.has(p)) return false
  // (And every entry the find tells the folder holds is still there: one left out went where aco could not see.)
  if (folders && s.depth === 1)
    for (const dir of s.scopes.map(scopeDir))
      for (const p of known) {
        if (!p.startsWith(`${dir}/`)) continue
        const name = p.slice(dir.length + 1).split('/', 1)[0]!
        if ((s.hidden || !name.startsWith('.')) && !shown.has(`${dir}/${name}`)) return false
      }
  // A long listing shows each entry's size, date, mode and a link's target too: news after one that showed names
  // alone (`ls -la releases` after `ls releases`), or once anything wrote there since (an edit, a chmod).
  if (detailed.has(shown)) {
    if (!detailed.has(known)) return false
    for (const p of shown) if (ctx.timeline.treeChanged(p, e.epoch, to)) return false
  }
  // A file it listed before and not now that was written since (deleted, moved): the listing checks what is left.
  // (Of the later one's folders: a file elsewhere the earlier one listed is no entry it could show.)
  const dirs = s.scopes.map(scopeDir)
  if (shown.size < known.size)
    for (const p of known)
      if (!shown.has(p) && dirs.some(d => isUnder(p, d)) && ctx.timeline.changed(p, e.epoch, to)) return false
  // The same files over the same folders: the same listing in effect.
  return shown.size === known.size && sameSet(E.scopes, s.scopes) ? 'same' : 'within'
}

/**
 * Whether a listing (`ls svc/build`) looks within a tree an earlier listing of its files alone printed (`find svc
 * -type f`): what it shows, the earlier one told, where its every entry is a file or folder on a path printed there
 * (`pathsShown` checks that).
 */
function listingOfFiles(E: Search, s: Search): boolean {
  return (
    E.mode === 'name' &&
    s.mode === 'name' &&
    s.listing === true &&
    E.pattern === '' &&
    !E.names.length &&
    !s.names.length &&
    !E.otherFilters &&
    E.filters.length === 1 &&
    E.filters[0] === '-type f' &&
    !s.filters.length &&
    s.scopes.every(scope => E.scopes.some(outer => within(scope, s.depth, outer, E.depth)))
  )
}

/** The folders on the way to the paths of a listing (each path's parents), found once per listing. */
function foldersOf(paths: Set<string>): Set<string> {
  let folders = foldersCache.get(paths)
  if (folders) return folders
  folders = new Set()
  for (const p of paths)
    for (let at = p.lastIndexOf('/'); at > 0; at = p.lastIndexOf('/', at - 1)) {
      const dir = p.slice(0, at)
      if (folders.has(dir)) break
      folders.add(dir)
    }
  foldersCache.set(paths, folders)
  return folders
}

const foldersCache = new WeakMap<Set<string>, Set<string>>()

/**
 * For a search of files by name (`find t -name "*.ex"`): whether an earlier listing of files over the same tree, printed
 * whole, already answered it, with no file made there since: every path the later one printed, the earlier one listed;
 * and when it printed none, the earlier one hid nothing and no path it listed (nor a folder on its way, unless the later
 * one asked for files alone) has such a name.
 */
function namesListed(ctx: FlagContext, e: SearchEntry, step: Step, s: Search, budget: () => boolean): boolean {
  const E = e.search
  if (s.mode !== 'name' || s.output !== 'files' || s.flags || s.limited || s.otherFilters || s.ordered) return false
  if (E.mode !== 'name' || E.output !== 'files' || E.limited || E.otherFilters || E.ordered) return false
  if (!s.filters.every(f => PATH_KIND.test(f)) || !E.filters.every(f => f === '-type f')) return false
  // The earlier one listed every file (or every file of these names).
  if (E.names.length && !s.names.every(n => E.names.includes(n))) return false
  if (!s.scopes.every(scope => E.scopes.some(outer => within(scope, s.depth, outer, E.depth)))) return false
  if (!budget()) return false
  if (e.empty || wasCut(E, ctx.outputOf(e.step)) || ctx.shown(e.step)?.elided) return false
  const known = listedPaths(ctx, e.step, E)
  if (!known?.size) return false
  const to = ctx.epochBefore[step.index]!
  if (s.scopes.some(scope => ctx.timeline.pathsAdded(scopeDir(scope), known, e.epoch, to))) return false
  const shown = listedPaths(ctx, step, s)
  if (!shown) return false
  if (shown.size) return [...shown].every(p => known.has(p))
  // Found nothing: only a listing that hid nothing (`find`, which shows dotfiles and obeys no ignore file, unlike
  // `rg --files` or Glob) tells there is nothing of those names.
  if (ctx.failed[step.index] === 1 || !E.hidden) return false
  const filesOnly = s.filters.includes('-type f')
  const dirs = s.scopes.map(scopeDir)
  for (const path of known) {
    const base = dirs.find(d => isUnder(path, d))
    if (base === undefined) continue
    const parts = path.slice(base.length).split('/').filter(Boolean)
    for (let k = filesOnly ? parts.length - 1 : 0; k < parts.length; k++)
      if (s.names.some(n => globMatch(n, parts[k]!))) return false
  }
  return true
}

/**
 * The paths a listing of files printed, one a line (`find`, `rg --files`, `ls -1`), each resolved from the folder its
 * relative paths hang from (`Search.base`), or undefined when a line is no path below where it looked (a long
 * listing's, a header, an error, a name `-printf` made).
 */
function listedPaths(ctx: FlagContext, step: Step, s: Search): Set<string> | undefined {
  // A listing is compared with every later one that may repeat it: its paths are found once. (Per step, not per
  // search: calls with the same arguments share one action, and their outputs differ.)
  if (listedCache.has(step)) return listedCache.get(step)
  const output = ctx.outputOf(step)
  const paths = output === undefined ? undefined : pathsOf(output, s)
  listedCache.set(step, paths)
  return paths
}

const listedCache = new WeakMap<Step, Set<string> | undefined>()
/** The paths of long listings (`ls -l`), which also show each entry's size, date and mode. */
const detailed = new WeakSet<Set<string>>()
/** Listings longer than this are not compared path by path (the work stays linear in what the card holds). */
const MAX_LISTED = 20_000

function pathsOf(output: string, s: Search): Set<string> | undefined {
  const dirs = s.scopes.map(scopeDir)
  const lines = outputBody(output).split('\n')
  if (lines.length > MAX_LISTED) return undefined
  if (lines.some(l => TREE_ENTRY.test(l))) return drawnPaths(lines, s)
  const paths = new Set<string>()
  // The folder a long listing's names hang from: the one listed, or of several, the one its header names.
  let folder = s.depth === 1 ? s.base : undefined
  let isLong = false
  for (const line of lines) {
    const l = line.trim()
    if (!l) continue
    const long = LONG_LISTING.exec(l)
    let entry = l
    if (s.depth === 1 && s.scopes.length > 1 && l.endsWith(':') && !long) {
      folder = headedFolder(l.slice(0, -1), s.scopes)
      if (folder === undefined) return undefined
      continue
    }
    if (long || /^total \d+$/.test(l)) {
      // A long listing of a folder's entries (`ls -la dir`): each line's last field, a link's target left out; of
      // anything else (a file named, `ls -ld`, `ls -R`) the names need not hang from the folder.
      if (folder === undefined) return undefined
      if (!long) continue
      entry = long[1]!.replace(/ -> .*$/, '')
      if (entry === '.' || entry === '..') continue
      if (entry.includes('/')) return undefined
    } else if (MISSING_LINE.test(l) || /:$/.test(l) || /\s{2}/.test(l)) return undefined
    // (`ls -a` of a folder lists the folder itself and its parent first.)
    else if (folder !== undefined && (l === '.' || l === '..')) continue
    const path = resolveListed(entry.replace(/\/$/, ''), folder ?? s.base)
    // A line that is no path below where it looked (a name `-printf` made, a header): the output is no listing.
    if (path === undefined || !dirs.some(d => isUnder(path, d))) return undefined
    paths.add(path)
    if (long) isLong = true
  }
  if (isLong) detailed.add(paths)
  return paths
}

/** The one folder listed whose path ends as `ls` wrote it above its entries (`src:`, `./specs/a:`, a whole path). */
function headedFolder(header: string, scopes: readonly string[]): string | undefined {
  const tail = header.replace(/^\.\//, '').replace(/\/+$/, '')
  if (!tail) return undefined
  const found = scopes.filter(scope => scope === tail || scope.endsWith(`/${tail}`))
  return found.length === 1 ? found[0] : undefined
}

/** A line of `tree`'s drawing: `│   ` (or four spaces) a level above, then `├── ` or `└── ` (`|-- `, `` `-- `` in ASCII). */
const TREE_ENTRY = /^((?:(?:│|\|)\s{3}|\s{4})*)(?:├── |└── |\|-- |`-- )(.*)$/

/**
 * The paths `tree` drew under its one root (the folder it was asked for): each entry's name below the entries a level
 * up; undefined for anything else (several roots, full paths `-f` printed, sizes or dates in brackets, an error).
 */
function drawnPaths(lines: readonly string[], s: Search): Set<string> | undefined {
  if (s.scopes.length !== 1) return undefined
  const root = scopeDir(s.scopes[0]!)
  const paths = new Set<string>()
  const stack: string[] = []
  let rooted = false
  for (const line of lines) {
    if (!line.trim()) continue
    const m = TREE_ENTRY.exec(line)
    if (!m) {
      // Its root first, a count of what it drew last.
      if (!rooted && paths.size === 0) {
        rooted = true
        continue
      }
      if (/^\d+ director(?:y|ies)(?:, \d+ files?)?$/.test(line.trim())) continue
      return undefined
    }
    const level = m[1]!.length / 4
    const name = m[2]!.replace(/ -> .*$/, '')
    if (!name || name.startsWith('[') || name.includes('/') || level > stack.length) return undefined
    stack.length = level
    stack.push(name)
    paths.add(normalisePath(stack.join('/'), root))
  }
  return rooted ? paths : undefined
}

/**
 * A listed line as an absolute path: as the tool wrote it when absolute (`C:\\code\\app\\x.ts` is
 * `/c/code/app/x.ts`), else from the folder its paths hang from (`Search.base`).
 */
function resolveListed(line: string, base: string | undefined): string | undefined {
  if (line.startsWith('/') || /^[A-Za-z]:[\\/]/.test(line)) return normalisePath(line)
  if (base === undefined || /^~/.test(line)) return undefined
  return normalisePath(line.replace(/\\/g, '/'), base)
}

/** Whether the later output holds fewer lines than the earlier one (both kept, neither cut short). */
function fewerLines(ctx: FlagContext, earlier: Step, later: Step): boolean {
  const a = ctx.outputOf(earlier)
  const b = ctx.outputOf(later)
  if (a === undefined || b === undefined || ctx.shown(earlier)?.elided || ctx.shown(later)?.elided) return false
  return textLines(outputBody(b)).length < textLines(outputBody(a)).length
}

/** A condition of a listing that says only what kind a path is. */
const PATH_KIND = /^-type [fdl]$/

/** Literal names, no dotfile among them, looked for in folders whose paths hold no dot-folder (nor their patterns). */
function plainNames(s: Search): boolean {
  return (
    s.names.length > 0 &&
    s.names.every(n => !n.startsWith('.') && !/[*?[]/.test(n)) &&
    s.scopes.every(scope => !scope.includes('/.')) &&
    s.filters.every(f => !f.startsWith(DIR_GLOB) || !f.includes('/.'))
  )
}

/** Whether searching `inner` to `innerDepth` stays inside searching `outer` to `outerDepth`. */
function within(inner: string, innerDepth: number, outer: string, outerDepth: number): boolean {
  if (outer.endsWith('*')) {
    const prefix = outer.slice(0, -1)
    return inner.startsWith(prefix) && outerDepth === Number.POSITIVE_INFINITY
  }
  if (!isUnder(inner, outer)) return false
  if (outerDepth === Number.POSITIVE_INFINITY) return true
  const below = inner === outer ? 0 : inner.slice(outer.length).split('/').length - 1
  return below + innerDepth <= outerDepth
}

/**
 * When both outputs are at hand, the later hits must all appear in the earlier
 * output (and an earlier output cut short must have shown them): what the model
 * saw, not only what the commands imply.
 */
/** Whether a grep's pattern may keep a line (see `matchesLine`; a pattern it cannot judge may). */
function keeps(pattern: string, line: string): boolean {
  return matchesLine(pattern, false, line, false) !== false
}

function verified(ctx: FlagContext, e: SearchEntry, step: Step, s: Search, lines: HitCache): boolean {
  const later = ctx.outputOf(step)
  const earlier = ctx.outputOf(e.step)
  if (later === undefined || earlier === undefined) return !e.search.limited
  // An earlier output cut short left unknown whether there were more hits, which the later search tells: it shows
  // something new even when every hit it prints was shown (`grep -n 'from x import' f` after `grep -n 'import' f | head`).
  // A filter (`| grep -v test_`) hides nothing the later search finds: those hits would be missing below.
  if (wasCut(e.search, earlier)) return false
  // So did one the harness cut (Codex's "[... omitted 273 of 934 lines ...]"): the hits it left out may be the later's.
  if (ctx.shown(e.step)?.elided) return false
  if (noHits(later)) {
    if (e.search.limited && !e.empty) return false
    // A file the earlier search printed hits of, searched again finding none: it changed where aco could not see (review
    // 56), whatever else says it did not.
    if (s.mode === 'content' && !e.empty && hitsOfFile(ctx, e, s)?.length) return false
    const E = e.search
    // An empty listing of a folder that did not fail (`ls tech`) tells the folder is there, empty: a listing of files
    // alone (`rg --files`) cannot tell that, unless it listed that folder or showed its name.
    const folder = s.listing && !s.names.length && s.scopes.length === 1 ? s.scopes[0]! : undefined
    if (
      folder !== undefined &&
      ctx.failed[step.index] !== 1 &&
      !E.scopes.includes(folder) &&
      !showsFolder(E, earlier, folder)
    )
      return false
    // Names found missing must be missing from what an earlier listing of the same folder showed too (else the folder
    // changed): none of its entries a name matches, none of its lines the filter a listing was piped through
    // (`ls -la | grep dist`) keeps.
    if (s.mode !== 'name' || e.empty || !E.listing || E.scopes.length !== 1 || E.scopes[0] !== s.scopes[0]) return true
    const shown = outputBody(earlier)
    const filters = s.filters.filter(f => f.startsWith('re:')).map(f => f.slice(3))
    if (filters.length && shown.split('\n').some(l => l.trim() && filters.every(f => keeps(f, l)))) return false
    const tokens = shown.split(/[\s/'"]+/).filter(Boolean)
    return !tokens.some(t => s.names.some(n => globMatch(n, t)))
  }
  if (s.output === 'count') return derivable(ctx, e, s, later)
  // Whether a name exists (`[ -f P ]`): the earlier listing, whole, told; whether it is a file or a folder (`-f`,
  // `-d`) only when it showed the name absent (a plain listing does not say which a name is).
  // The names the earlier listing showed.
  const tokens = s.mode === 'name' ? new Set(earlier.split(/[\s/'"]+/).filter(Boolean)) : undefined
  if (s.output === 'status') {
    // (A listing cut to a number of lines that it did not reach printed whole: `ls -la d | sed -n 1,120p`.)
    if (e.search.limited && e.search.cut === undefined) return false
    return (
      !s.filters.some(f => f.startsWith('-type')) ||
      !s.names.some(n => tokens!.has(n)) ||
      // (A long listing tells which a name is: its row's first letter, `-` a file, `d` a folder.)
      s.names.every(n => longRowKind(earlier, n) === TYPE_KIND[s.filters.find(f => f.startsWith('-type'))!])
    )
  }
  if (e.empty) return false
  if (tokens) {
    const earlierLines = new Set(earlier.split('\n').map(l => l.trim()))
    // Names found missing (`ls Dockerfile*` failing): the earlier listing must have shown none of them either.
    if (ctx.failed[step.index] === 1 && [...tokens].some(t => s.names.some(n => globMatch(n, t)))) return false
    // A long listing's line (mode, owner, size, date, a link's target) must be one the earlier output printed whole: it
    // tells more than a name (a log that grew, a mode changed, where a link points). A folder's line tells its name and
    // that it is a folder: its size, date and link count follow what changed inside it, which a listing of its parent
    // is not about.
    if (entryGone(e.search, s, earlier, later)) return false
    let folders: Set<string> | undefined
    return outputBody(later)
      .split('\n')
      .every(line => {
        const l = line.trim()
        if (!l || /^total \d+$/.test(l) || MISSING_LINE.test(l)) return true
        const long = LONG_LISTING.exec(l)
        if (long && l.startsWith('d') && !earlierLines.has(l)) {
          folders ??= new Set(
            earlier
              .split('\n')
              .map(x => x.trim())
              .filter(x => x.startsWith('d'))
              .map(x => LONG_LISTING.exec(x)?.[1])
              .filter((x): x is string => x !== undefined),
          )
          return folders.has(long[1]!)
        }
        if (long) return earlierLines.has(l)
        const name = l.replace(/\/$/, '')
        // (A line the earlier output printed too, whole: a shell's banner before every output.) A path's folders must
        // be names it showed too: `venv/lib/…/migrations/0001_initial.py` is no file of a listing that showed `venv/`
        // unexpanded and an app's `migrations/0001_initial.py` (fresh336 #57).
        // (Claude Code's LS marks each entry `- `; an absolute path is read from the folder the search looked in.)
        const path = name.replace(/^- /, '')
        const scope = path.startsWith('/') ? s.scopes.find(x => path.startsWith(`${scopeDir(x)}/`)) : undefined
        return (
          earlierLines.has(l) ||
          (scope === undefined ? path : path.slice(scopeDir(scope).length + 1))
            .split('/')
            .every(part => part === '' || part === '.' || part === '..' || tokens.has(part))
        )
      })
  }
  // The files with hits, after their hit lines printed with each file's path (`grep -rn` then `grep -rl`; Claude Code's
  // Grep in content mode, then in files mode): each file listed must have had a hit line, and no other file one.
  if (s.output === 'files' && e.search.output === 'lines') return filesOfHits(ctx, step, earlier, later)
  // Hits printed with their line numbers after a search that printed them without: the numbers are news, and no look
  // told them (unlike a `grep -n` of a line a `sed -n 40,80p` printed, whose number follows from the range).
  if (s.mode === 'content' && numberedHits(later) && !numberedHits(earlier)) return false
  const have = lines.of(e.step, earlier)
  for (const l of lines.of(step, later)) if (!have.has(l)) return false
  return true
}

/**
 * Whether an earlier listing's output names `folder` itself (a line that is its path from the listing's one scope, or
 * begins with it: `tests/`, `tests/a.py`), not only a folder of the same name elsewhere (`src/ledger/tests/`).
 */
function showsFolder(E: Search, earlier: string, folder: string): boolean {
  if (E.scopes.length !== 1) return false
  const base = scopeDir(E.scopes[0]!)
  if (!folder.startsWith(base === '/' ? '/' : `${base}/`)) return false
  const rel = folder.slice(base === '/' ? 1 : base.length + 1)
  for (const line of outputBody(earlier).split('\n')) {
    const l = line.trim().replace(/^\.\//, '')
    if (l === rel || l === `${rel}/` || l.startsWith(`${rel}/`)) return true
  }
  return false
}

/** Whether a content search's output prints its hits with line numbers (`12:text`, `src/a.py:12:text`). */
function numberedHits(output: string): boolean {
  let numbered = 0
  let plain = 0
  for (const line of outputBody(output).split('\n', 200)) {
    if (!line.trim() || line === '--') continue
    if (/^(?:[^:\n]*[:-])?\d+[:-]/.test(line)) numbered++
    else plain++
  }
  return numbered > 0 && numbered >= plain
}

/**
 * Whether a plain listing of a folder leaves out an entry an earlier plain listing of the same folder showed, one its
 * options would show (not a dotfile to `ls` without `-a`): the entry is gone, where aco could not see (a person moved it
 * between turns). Only one name a line, in both: a long listing says more than names.
 */
function entryGone(E: Search, s: Search, earlier: string, later: string): boolean {
  if (!E.listing || !s.listing || s.names.length || E.names.length || s.filters.length || E.filters.length) return false
  if (E.scopes.length !== 1 || s.scopes.length !== 1 || E.scopes[0] !== s.scopes[0] || s.depth !== E.depth) return false
  const names = (text: string): Set<string> | undefined => {
    const out = new Set<string>()
    for (const line of outputBody(text).split('\n')) {
      const l = line.trim()
      if (!l) continue
      if (LONG_LISTING.test(l) || /\s/.test(l) || MISSING_LINE.test(l)) return undefined
      out.add(l.replace(/\/$/, ''))
    }
    return out
  }
  const before = names(earlier)
  const now = names(later)
  if (!before || !now) return false
  for (const n of before) if (!now.has(n) && (s.hidden || !n.startsWith('.'))) return true
  return false
}

/**
 * A look for names in a folder that failed only because none is there (`ls Dockerfile* 2>/dev/null`, `ls: cannot
 * access 'x': No such file or directory`): its answer, that there is none, is what a listing of the folder tells.
 */
function missingOnly(ctx: FlagContext, step: Step, action: Action): boolean {
  if (action.reads.length || action.searches.length !== 1) return false
  const s = action.searches[0]!
  if (s.mode !== 'name' || !s.listing || s.names.length === 0) return false
  return saysOnlyMissing(ctx, step)
}

/**
 * A listing of one path that failed because nothing is there (its output says only that), as the question it asked:
 * whether the parent holds that name (a name search of the parent, which a listing of the parent answers). Labelled so
 * by a blind second reading of ten such calls (2026-12-02: all ten wasted).
 */
function absentPath(ctx: FlagContext, step: Step, action: Action): Action | undefined {
  // A read of one file that is not there (`cat go.sum`: "No such file or directory") asked the same.
  if (action.reads.length === 1 && !action.searches.length && !action.reads[0]!.range) {
    const path = action.reads[0]!.path
    const s: Search = {...LISTED_PATH, scopes: [path]}
    return absentPath(ctx, step, {...action, reads: [], searches: [s]})
  }
  if (action.reads.length || action.searches.length !== 1) return undefined
  const s = action.searches[0]!
  if (s.mode !== 'name' || !s.listing || s.names.length || s.scopes.length !== 1 || s.filters.length) return undefined
  const scope = s.scopes[0]!
  const cut = scope.lastIndexOf('/')
  if (cut <= 0 || cut === scope.length - 1) return undefined
  if (!ctx.missingIn(step).includes(scope) || !saysOnlyMissing(ctx, step)) return undefined
  const name = scope.slice(cut + 1)
  // (A dotfile's absence only a listing that shows dotfiles tells.)
  const hidden = s.hidden || name.startsWith('.')
  return {
    ...action,
    searches: [{...s, scopes: [scope.slice(0, cut)], names: [name], depth: 1, base: scope.slice(0, cut), hidden}],
  }
}

/** A listing of one path (`ls P`), as a read of a file that is not there asks it. */
const LISTED_PATH: Search = {
  mode: 'name',
  pattern: '',
  flags: '',
  scopes: [],
  depth: 1,
  names: [],
  filters: [],
  otherFilters: false,
  listing: true,
  output: 'files',
  context: [0, 0],
  limited: false,
  hidden: false,
}

/** Whether a step's output says only that what it looked for is missing (a shell's banner aside). */
function saysOnlyMissing(ctx: FlagContext, step: Step): boolean {
  const output = ctx.outputOf(step)
  if (output === undefined) return false
  const banner = banners(ctx)
  return outputBody(output)
    .split('\n')
    .every(line => line.trim() === '' || MISSING_LINE.test(line) || banner.has(line.trim()))
}

/**
 * Lines a shell prints before every command's own output (a profile's `Now using node v22 (npm v10)`, a sandbox's two
 * refusals): the first line of at least three successful outputs of the card, of three calls at least two of which read
 * no file, each another program (a file's first lines, however often they or their like are read, open only reads and
 * `git show`s: `#!/usr/bin/env python3`, a license header); then each next line that stands below those as often, up to
 * four. Found from the outputs' excerpts (read on in an output past its excerpt's cut), once per card.
 */
function banners(ctx: FlagContext): ReadonlySet<string> {
  const cached = bannerCache.get(ctx)
  if (cached) return cached
  const banner = (s: ReadonlySet<string>): boolean => {
    let calls = 0
    for (const source of s) if (source.startsWith('c')) calls++
    return s.size >= MIN_BANNER && calls >= 2
  }
  const found = new Set<string>()
  const opened = new Map<number, string>()
  let levels = 0
  // A banner of several lines (a profile's two warnings): the line after the banners an output opens with, as often.
  for (let depth = 0; depth < MAX_BANNER_LINES; depth++) {
    const sources = new Map<string, Set<string>>()
    for (let ti = 0; ti < ctx.tools.length; ti++) {
      const k = ctx.tools[ti]!
      if (ctx.failed[k] === 1) continue
      const tool = ctx.steps[k]!.tool!
      if (!tool.excerpt) continue
      // (Past the first line, the whole output where the excerpt was cut: only of outputs a banner opens.)
      let text = outputBody(tool.excerpt)
      if (depth > 0 && EXCERPT_CUT.test(tool.excerpt)) {
        const first = text.indexOf('\n')
        if (first === -1 || !found.has(text.slice(0, first).trim())) continue
        // (Its head only: a banner's lines are a few hundred characters.)
        text = opened.get(k) ?? outputBody(ctx.outputOf(ctx.steps[k]!) ?? tool.excerpt).slice(0, OPENING_CHARS)
        opened.set(k, text)
      }
      let at = 0
      let d = 0
      for (; d < depth; d++) {
        const end = text.indexOf('\n', at)
        if (end === -1 || !found.has(text.slice(at, end).trim())) break
        at = end + 1
      }
      if (d < depth) continue
      const end = text.indexOf('\n', at)
      const line = (end === -1 ? '' : text.slice(at, end)).trim()
      // (A banner is a sentence a shell prints, not a bracket opening JSON or code: `{`, `[`, `<?xml …`.)
      if (!BANNER_SHAPE.test(line) || found.has(line)) continue
      // What opened it: a read of a file, or another call (by its key).
      const reads = ctx.actions[k]?.reads.length ?? 0
      let set = sources.get(line)
      if (!set) {
        set = new Set()
        sources.set(line, set)
      }
      // (Other calls by their program: a file's opening lines stand above `git show A:f` and `git show B:g` alike,
      // a shell's banner above `ls`, `pwd` and `git status`.)
      if (set.size < 2 * MIN_BANNER) set.add(reads ? `r${ctx.callKey[k]}` : `c${programOf(ctx.steps[k]!)}`)
    }
    let more = false
    for (const [line, s] of sources)
      if (banner(s)) {
        found.add(line)
        more = true
      }
    if (!more) break
    levels++
  }
  bannerCache.set(ctx, found)
  bannerLevels.set(ctx, levels)
  return found
}

/** Per context: how many lines its banner runs to (the depths at which `banners` found one). */
const bannerLevels = new WeakMap<FlagContext, number>()

/** The program a call ran (its line's first two words), or its tool's name. */
function programOf(step: Step): string {
  const line = shellLine(step.tool?.arguments)
  return line ? line.trim().split(/\s+/, 2).join(' ') : (step.tool?.name ?? '')
}

/** Lines of a banner at most (see `banners`). */
const MAX_BANNER_LINES = 4

/** The head of an output a banner of several lines is looked for in. */
const OPENING_CHARS = 4096

/** The end of an excerpt cut short (see `util/text.ts`). */
const EXCERPT_CUT = /… \[\+\d+ chars\]$/

const bannerCache = new WeakMap<FlagContext, ReadonlySet<string>>()

/** What a banner line looks like: at least ten characters, with a word of three letters. */
const BANNER_SHAPE = /^(?=.{10,}).*[A-Za-z]{3}/

/**
 * How many of the lines an output opens with are the session's banners (see `banners`): read from its excerpt; no more
 * than the banner runs to (a tail of a log whose first line reads as the banner does is the log's).
 */
function leadingBanners(ctx: FlagContext, step: Step): number {
  const banner = banners(ctx)
  let text = banner.size ? step.tool?.excerpt : undefined
  if (!text) return 0
  const levels = bannerLevels.get(ctx) ?? 0
  let n = 0
  let at = harnessHeaderEnd(text)
  while (n < levels) {
    let end = text.indexOf('\n', at)
    // (Lines of a banner past where the excerpt was cut: read on in the whole output.)
    if (end === -1 && n > 0 && EXCERPT_CUT.test(text)) {
      const whole = ctx.outputOf(step)
      if (whole === undefined) return n
      text = whole
      at = harnessHeaderEnd(whole)
      for (let k = 0; k < n; k++) at = whole.indexOf('\n', at) + 1
      end = text.indexOf('\n', at)
    }
    if (end === -1 || !banner.has(text.slice(at, end).trim())) return n
    n++
    at = end + 1
  }
  return n
}
/** Successful outputs a line must open for it to be a banner. */
const MIN_BANNER = 3

const MISSING_LINE = /No such file or directory|cannot access|not found|does not exist/i

/** `drwxr-xr-x  5 user group 4096 Mar 26 13:41 name` (GNU and BSD `ls -l`, a date or a year; `9  3` or `9月  3日` in a Japanese locale). */
const LONG_LISTING =
  /^[-dlcbps][-rwxsStT]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+[\d,]+\s+(?:\w{3}\s+\d{1,2}|\d{1,2}\s+\w{3}|\d{4}-\d{2}-\d{2}|\d{1,2}月?\s+\d{1,2}日?)\s+(?:\d{1,2}:\d{2}|\d{4})\s+(.+)$/

/** The hit lines of each search output, computed once. */
class HitCache {
  private readonly cache = new Map<Step, Set<string>>()
  of(step: Step, output: string): Set<string> {
    let set = this.cache.get(step)
    if (!set) {
      // (Not the harness's header: Codex's wall time differs between two runs of one search.)
      set = new Set(hitLines(outputBody(output)))
      this.cache.set(step, set)
    }
    return set
  }
}

/**
 * Whether every folder `s` can find a file in matches the folder pattern of a Glob's filter (`DIR_GLOB`): its own
 * such pattern lies within it, or each place it looks (and, looking deeper, every folder below) does.
 * (`src/features/sign-in/**` within `src/**` then `sign-in*` then `**`.)
 */
function foldersWithin(s: Search, filter: string): boolean {
  const outer = filter.slice(DIR_GLOB.length).split('/')
  // (Bounded work whatever a trace holds: a pattern of more parts, or more `**`, is not judged.)
  if (outer.length > MAX_SEGMENTS || outer.filter(p => p === '**').length > MAX_STARS) return false
  const own = s.filters.find(f => f.startsWith(DIR_GLOB))
  const inner = own
    ? [own.slice(DIR_GLOB.length).split('/')]
    : s.scopes.map(scope => [...scope.split('/'), ...(s.depth > 1 ? ['**'] : [])])
  return inner.every(segs => segs.length <= MAX_SEGMENTS && segmentsWithin(segs, outer))
}

/** Parts of a Glob's folder pattern judged at most, and `**` among them. */
const MAX_SEGMENTS = 48
const MAX_STARS = 4

/** Segments of path patterns: whether every path `inner` matches, `outer` matches (only `**` takes in a `**`). */
function segmentsWithin(inner: readonly string[], outer: readonly string[], i = 0, o = 0): boolean {
  if (o === outer.length) return i === inner.length
  if (outer[o] === '**')
    return segmentsWithin(inner, outer, i, o + 1) || (i < inner.length && segmentsWithin(inner, outer, i + 1, o))
  if (i === inner.length || inner[i] === '**') return false
  const a = inner[i]!
  const b = outer[o]!
  // (A brace set, `{src,lib}`, stands for each of its words: within it when within one of them.)
  const one = braceWords(b).some(w => a === w || w === '*' || (/[*?[{]/.test(a) ? globWithin(a, w) : globMatch(w, a)))
  return one && segmentsWithin(inner, outer, i + 1, o + 1)
}

/** The words a segment's one brace set stands for (`{src,lib}` → src, lib; `x.{ts,tsx}` → x.ts, x.tsx), or itself. */
function braceWords(segment: string): string[] {
  const m = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/.exec(segment)
  return m ? m[2]!.split(',').map(w => `${m[1]}${w}${m[3]}`) : [segment]
}

/**
 * Whether every name glob `inner` matches, `outer` matches too, for globs of literal text and `*` (`rbac*` within
 * `*rbac*`, `test_*.py` within `*.py`); a `?` or a class in either: not judged (false).
 */
function globWithin(inner: string, outer: string): boolean {
  let a = inner
  let b = outer
  if (b.startsWith('i:')) {
    b = b.slice(2)
    a = a.startsWith('i:') ? a.slice(2) : a.toLowerCase()
  } else if (a.startsWith('i:')) return false
  if (/[?[\]:]/.test(a) || /[?[\]:]/.test(b)) return false
  const chunks = a.split('*')
  const outerChunks = b.split('*')
  if (chunks.length === 1) return globMatch(b, a)
  const first = chunks[0]!
  const last = chunks[chunks.length - 1]!
  // `X*…*Y`: the inner glob's first text must open with X, its last end with Y; what the outer glob asks between
  // (`*M*`) must stand whole in one of the inner glob's texts, in order.
  const head = outerChunks[0]!
  const tail = outerChunks[outerChunks.length - 1]!
  if (outerChunks.length === 1 || !first.startsWith(head) || !last.endsWith(tail)) return false
  const middle = outerChunks.slice(1, -1)
  if (middle.length === 0) return true
  if (middle.length > 1) return false
  const m = middle[0]!
  return chunks.some((c, k) =>
    (k === 0 ? c.slice(head.length) : k === chunks.length - 1 ? c.slice(0, c.length - tail.length) : c).includes(m),
  )
}

/**
 * Whether a name on the way from `outer` down to `scope` (the folders between, and `scope`'s own) is one a search of
 * `outer` left out (its `exclude:`, `iexclude:`, `exclude-dir:` filters, `**` before and after a name aside).
 */
function leftOutOnTheWay(scope: string, outer: string, filters: readonly string[]): boolean {
  const prefix = outer.endsWith('/') ? outer : `${outer}/`
  if (!scope.startsWith(prefix)) return false
  const names = scope.slice(prefix.length).split('/').filter(Boolean)
  for (const f of filters) {
    const colon = f.indexOf(':')
    const kind = f.slice(0, colon)
    if (kind !== 'exclude' && kind !== 'iexclude' && kind !== 'exclude-dir') continue
    const bare = f
      .slice(colon + 1)
      .replace(/^\*\*\//, '')
      .replace(/\/\*\*$/, '')
      .replace(/\/$/, '')
    const glob = kind === 'iexclude' ? `i:${bare.toLowerCase()}` : bare
    if (names.some(n => globMatch(glob, n))) return true
  }
  return false
}

/** Whether a file name matches a shell glob (`*.py`, `test_?.py`, `[ab]*`); `i:` globs ignore case. */
function globMatch(glob: string, name: string): boolean {
  let g = glob
  let n = name
  if (g.startsWith('i:')) {
    g = g.slice(2)
    n = n.toLowerCase()
  }
  if (g.includes(':')) return false
  const re = g
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${re}$`).test(n)
}

/** How the steps that carried a file's lines did it, in words: `moved` when each moved the file (`mv`), else `copied`. */
export function carriedBy(ctx: FlagContext, steps: readonly Step[]): 'moved' | 'copied' {
  const moved = steps.every(c => {
    const a = ctx.actions[c.index]
    return a !== undefined && a.writes.some(w => w.copyOf !== undefined && a.writesUnder.includes(w.copyOf))
  })
  return moved ? 'moved' : 'copied'
}

/** Of the files a look read, those the copies wrote (in the order read). */
export function copiesRead(
  ctx: FlagContext,
  copies: readonly Step[],
  files: readonly string[],
): {path: string; from: string}[] {
  const out: {path: string; from: string}[] = []
  for (const path of files)
    for (const c of copies) {
      const w = ctx.actions[c.index]?.writes.find(w => w.path === path && w.copyOf !== undefined)
      if (w) {
        out.push({path, from: w.copyOf!})
        break
      }
    }
  return out
}

/** The files the copies that carried lines into `path` copied from ("a file" where none is known). */
export function copySources(ctx: FlagContext, copies: readonly Step[], path: string): string {
  const from = copiesRead(ctx, copies, [path])
  return from.length ? displayPath(from[0]!.from, ctx.card.cwd) : 'a file'
}
