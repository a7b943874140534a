/**
 * The `aco analyze` service: discover → detect → adapt → price → link →
 * summarize. Streams: each unit of work (a file, or a session with its
 * subagents) is folded into the summary and handed to `onCards`, then let go,
 * so memory is bounded by the largest unit, not the corpus. Takes its paths
 * and environment as arguments; returns data.
 */
import {existsSync, lstatSync, statSync} from 'node:fs'
import {describeFsError} from '../util/fs-errors.js'
import {basename, join} from 'node:path'
import {applyTaskResults, type TaskResult} from '../adapt/task-results.js'
import type {FormatMapping} from '../adapt/mapping/types.js'
import type {SiblingSeen, Skipped} from '../read/file-report.js'
import {forEachCard} from '../card/build.js'
import type {FormatId, TraceCard} from '../card/types.js'
import {NOT_UTF8, PIPE_REASON, traceNamesText, walk, type WalkResult} from '../discover/walk.js'
import {AcoError} from '../errors.js'
import type {UserPrice} from '../price/book.js'
import {SummaryBuilder, type AnalyzeSummary} from './aggregate.js'
import {GroupBuilder, type GroupBy, type Grouping} from './group.js'
import {TraceJoiner} from './join-traces.js'
import {dropRepeatedResponses, isEmpty, uniqueIds, warnIdenticalTraces} from './link.js'
import {SeenResponses} from './seen-responses.js'
import type {UnitCache} from './cache.js'
import {runUnits} from './pool.js'
import type {NothingToCount} from './process-unit.js'
import {type Shard, shardUnits} from './shard.js'
import {hashText} from '../util/hash.js'
import {groupUnits, type Unit} from './units.js'
import {applyWindow, fileMayHoldWindow, type TimeWindow} from './window.js'

export interface AnalyzeOptions {
  /** Files and folders to read; empty means the agents' default log folders. */
  paths: string[]
  format?: FormatId
  /** A format mapping (`--mapping`), validated: files it recognises (or every file, without detect rules) are read with it. */
  mapping?: FormatMapping
  prices?: UserPrice[]
  /** Task results (e.g. from a SWE-bench report), joined to cards on their task id. */
  taskResults?: ReadonlyMap<string, TaskResult>
  /** For the default folders. */
  home: string
  env: Record<string, string | undefined>
  /** Worker threads: 0 or undefined decides from the amount of work, 1 stays in-process. */
  threads?: number
  /** Redact secrets in the excerpts and arguments the cards keep (default true). */
  redact?: boolean
  /** Keep every card in the returned run (for callers that need them all at once). */
  keepCards?: boolean
  /** Receives the finished cards of each unit, in a stable order. */
  onCards?: (cards: TraceCard[]) => void
  onProgress?: (done: {files: number; bytes: number}, total: {files: number; bytes: number}) => void
  /** `--since`/`--until`: only steps in this window count; files last modified before it are not opened. */
  window?: TimeWindow
  /** `--by`: the totals again, split by this key (dates in `timeZone`). */
  groupBy?: {by: GroupBy; timeZone: string}
  /** `--shard i/n`: read only this part of the input (merged again with `aco merge`). */
  shard?: Shard
  /** Keep and reuse per-unit results (see cache.ts); off when undefined. */
  cache?: UnitCache
}

export interface AnalyzeRun {
  summary: AnalyzeSummary
  /** Every card, when `keepCards` was asked for; empty otherwise. */
  cards: TraceCard[]
  files: {
    read: number
    withTraces: number
    skipped: number
    empty: number
    ignored: number
    companions: number
    /** Files that only repeat traces read from other files (a backup copy of a session): counted once. */
    repeats: number
  }
  /** Where aco looked when no path was given. */
  searched: string[]
  /** Of the files passed over for their names, those compressed or archived (`.jsonl.gz`; the first shard's only). */
  packed?: number
  internalErrors: number
  repeatedResponses: number
  /** The files that only repeat traces read elsewhere, with the trace each repeats (the first 100). */
  repeatedFiles: Array<{path: string; of: string}>
  /** Files read without a problem that hold no trace (empty sessions, companions), and why (the first 100). */
  nothingToCount: NothingToCount[]
  /** With task results given: how many there were, and how many joined a trace's task id. */
  taskResults?: {given: number; joined: number}
  /** With `--by`: the totals split by its key. */
  groups?: Grouping
  /** With `--since`/`--until`: files not opened (modified before the window) and steps outside it. */
  window?: WindowReport
  /**
   * With the cache: units whose result came from it, units read, and files of those read on from where a run stopped;
   * `whole` when the run's result was the one a run before kept (nothing was added to the cache).
   */
  cache?: {hits: number; misses: number; resumed: number; whole?: boolean}
  /** Trace rows and listed warnings of traces joined from parts, listed last (a shard's result says how many). */
  tail?: {traces: number; warnings: number}
  /**
   * With `--shard`: a fingerprint of every file the walk found (path, size, modification time, in the walk's order),
   * the same in every part of one run over unchanged input: a file added, removed or changed between two parts' runs
   * makes their parts another run's.
   */
  inputs?: string
}

/** What `--since`/`--until` passed over. */
export interface WindowReport {
  since?: string
  until?: string
  /** Files not counted: last modified before the window (by block, read only to place the blocks: see below). */
  filesSkipped: number
  /** By block: of `filesSkipped`, those read to place the blocks (their calls before the window), counting nothing. */
  filesPlacingBlocks?: number
  /** Steps read but outside the window (or with no time to place them). */
  stepsOutside: number
}

/** The folders agents keep their logs in, for `aco analyze` with no path. */
export function defaultTracePaths(home: string, env: Record<string, string | undefined>): string[] {
  const claude = claudeProjectFolders(home, env)
  // Codex keeps its sessions in sessions/YYYY/MM/DD/, and those a person archived in archived_sessions/ (trial 115: an
  // archived session had gone uncounted, the bill too low).
  const codexHome = env.CODEX_HOME || join(home, '.codex')
  const codex = [join(codexHome, 'sessions'), join(codexHome, 'archived_sessions')]
  // Gemini CLI keeps chat recordings in ~/.gemini/tmp/<project hash>/chats/.
  const gemini = join(env.GEMINI_DIR || join(home, '.gemini'), 'tmp')
  // GitHub Copilot CLI keeps each session in ~/.copilot/session-state/<id>/events.jsonl ($COPILOT_HOME moves it).
  const copilot = join(env.COPILOT_HOME || join(home, '.copilot'), 'session-state')
  // OpenCode (1.2+) keeps every session in one SQLite database, under the XDG data folder on every platform.
  const opencode = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'opencode', 'opencode.db')
  // (Once each: %APPDATA% may be ~/.config; review 119.)
  return [...new Set([...claude, ...codex, gemini, copilot, opencode, ...editorTaskFolders(home, env)])]
}

/** The VS Code editions whose global storage an extension keeps its data in (each its own user data folder). */
const EDITORS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf']
/** Cline and its forks, by extension id: each keeps a task's history in `<global storage>/<id>/tasks/<task id>/`. */
export const TASK_EXTENSIONS = ['saoudrizwan.claude-dev', 'rooveterinaryinc.roo-cline', 'kilocode.kilo-code']

/**
 * Where Cline, Roo Code and Kilo Code keep their tasks, in each VS Code edition's global storage: the user data folder
 * is `$XDG_CONFIG_HOME/<edition>` (`~/.config`) on Linux, `~/Library/Application Support/<edition>` on macOS and
 * `%APPDATA%\<edition>` on Windows (trial 117: aco with no path had left out a Cline task, 72% of the bill).
 */
function editorTaskFolders(home: string, env: Record<string, string | undefined>): string[] {
  const bases = [
    env.XDG_CONFIG_HOME || join(home, '.config'),
    join(home, 'Library', 'Application Support'),
    ...(env.APPDATA ? [env.APPDATA] : []),
  ]
  const out: string[] = []
  for (const base of bases)
    for (const editor of EDITORS)
      for (const id of TASK_EXTENSIONS) out.push(join(base, editor, 'User', 'globalStorage', id, 'tasks'))
  return out
}

/**
 * Where Claude Code keeps its sessions, as ccusage reads them: `$CLAUDE_CONFIG_DIR/projects`, the variable a list of
 * folders split at commas (each a config folder, or its `projects` folder itself); without it, both the XDG folder
 * Claude Code writes since 1.0.30 (`$XDG_CONFIG_HOME/claude/projects`, default `~/.config/claude/projects`) and the
 * one it wrote before (`~/.claude/projects`).
 */
function claudeProjectFolders(home: string, env: Record<string, string | undefined>): string[] {
  const given = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
  // (A folder named `projects` is taken for the projects folder itself only when it holds no `projects` of its own: a
  // config folder of that name is not walked whole, its settings and todos with it; review 86.)
  const projects = (p: string): string =>
    basename(p) === 'projects' && !existsSync(join(p, 'projects')) ? p : join(p, 'projects')
  if (given.length) return [...new Set(given.map(projects))]
  return [join(env.XDG_CONFIG_HOME || join(home, '.config'), 'claude', 'projects'), join(home, '.claude', 'projects')]
}

/** How many repeated files the result lists (all are counted). */
export const MAX_LISTED = 100

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeRun> {
  let paths = options.paths
  let searched: string[] = []
  if (paths.length === 0) {
    // (The editors' task folders, dozens of them, are listed where they are there: the others, wherever looked.)
    searched = defaultTracePaths(options.home, options.env).filter(
      p => !TASK_EXTENSIONS.some(id => p.includes(id)) || existsSync(p),
    )
    paths = searched.filter(p => existsSync(p))
    if (paths.length === 0) {
      throw new AcoError(
        'no-input',
        `No traces found: looked in ${searched.join(', ')}, and in the tasks of Cline, Roo Code and Kilo Code in VS Code's global storage (Code, Insiders, VSCodium, Cursor, Windsurf).`,
        "Point aco at your traces: aco analyze path/to/traces (files or folders), or set CODEX_HOME / CLAUDE_CONFIG_DIR / COPILOT_HOME / XDG_DATA_HOME (OpenCode's opencode.db; `opencode db path` prints where it is). Sessions exported with `opencode export <session id> > s.json` are read too.",
      )
    }
  }

  // A path given that does not exist is most likely a typo: say so before reading anything.
  const missing = options.paths.filter(p => !existsSync(p))
  if (missing.includes('-'))
    throw new AcoError(
      'usage',
      "aco reads files and folders, not standard input ('-').",
      'Save the log to a file first and name it: cmd > session.jsonl && aco analyze session.jsonl.',
    )
  if (missing.length) {
    // Why each cannot be read, where it is more than a typo: a link that leads nowhere is there, as a link (trial 107);
    // a name that is not UTF-8 reached aco with U+FFFD for its bytes, and a path behind a folder it may not enter is
    // there too (trial 127).
    const links = missing.map(p => brokenLink(p))
    const why = missing.map((p, k) => links[k] ?? (p.includes('\uFFFD') ? NOT_UTF8 : statError(p)))
    if (why.every(w => w === NO_SUCH))
      throw new AcoError('usage', `No such file or folder: ${missing.join(', ')}.`, 'Check the path; nothing was read.')
    throw new AcoError(
      'usage',
      `Cannot read ${missing.map((p, k) => `${p} (${why[k]})`).join(', ')}.`,
      links.some(l => l !== undefined)
        ? 'Name the file the link was meant for, or mend the link; nothing was read.'
        : why.includes(NOT_UTF8)
          ? 'Name the folder that holds it once renamed; nothing was read.'
          : 'Check the path and its permissions; nothing was read.',
    )
  }
  const found = await walk(paths)
  const skipped: Skipped[] = found.problems.map(p => ({path: p.path, reason: p.reason}))
  if (found.files.length === 0) {
    // (The paths given themselves cannot be read: a usage error. What a folder held that could not be read is
    // input skipped, and nothing else counted: exit 4 with the list.)
    const given = new Set(paths)
    if (skipped.length > 0 && found.problems.every(p => given.has(p.path))) {
      throw new AcoError(
        'usage',
        `Cannot read ${skipped.map(s => `${s.path} (${s.reason})`).join(', ')}.`,
        skipped.every(s => s.reason === PIPE_REASON) ? undefined : 'Check the path and its permissions.',
      )
    }
    // (Entries it could not follow, links in a loop or to nothing, are named: they may be the traces meant.)
    const unread = skipped.length
      ? ` ${skipped.length === 1 ? '1 entry' : `${skipped.length} entries`} could not be read: ${skipped
          .slice(0, 5)
          .map(s => `${s.path} (${s.reason})`)
          .join(', ')}${skipped.length > 5 ? ', …' : ''}.`
      : ''
    throw new AcoError(
      'no-input',
      `No trace files in ${paths.join(', ')}${found.ignored ? ` (${found.ignored === 1 ? '1 file with another name was' : `${found.ignored} files with other names were`} passed over${found.packed ? `, ${found.packed === found.ignored ? (found.ignored === 1 ? 'it is compressed or archived' : 'all are compressed or archived') : `${found.packed} of them ${found.packed === 1 ? 'is' : 'are'} compressed or archived`}` : ''})` : ''}.${unread}`,
      `${found.packed ? 'Unpack compressed logs first (gunzip, unzstd, bunzip2, unxz, unzip, tar -x): aco reads traces as they were written. ' : ''}In a folder aco reads ${traceNamesText()}; name a file directly to read it whatever its name.`,
    )
  }

  const window = options.window
  // (By block every file is read: a block's start depends on the calls before the window, in files it leaves out. Those
  // files place the blocks and count nothing else: no problem, repeat or file of theirs is said; review 132.)
  const byBlock = options.groupBy?.by === 'block'
  const files = window && !byBlock ? found.files.filter(f => fileMayHoldWindow(f.mtimeMs, window)) : found.files
  const older =
    window && byBlock
      ? new Set(found.files.filter(f => !fileMayHoldWindow(f.mtimeMs, window)).map(f => f.path))
      : undefined
  const anchorOnly = (unit: Unit): boolean => older !== undefined && unit.files.every(f => older.has(f.path))
  // Every shard walks the same paths: what the walk met is counted once, by the first shard.
  const first = !options.shard || options.shard.index === 1
  if (!first) skipped.length = 0
  const units = options.shard ? shardUnits(groupUnits(files), options.shard) : groupUnits(files)
  const inputs = options.shard ? hashText(files.map(f => `${f.path}\0${f.size}\0${f.mtimeMs}`).join('\n')) : undefined
  // Cards nobody reads travel lean between threads (see lean.ts).
  const lean = !options.onCards && !options.keepCards
  // The options that shape a unit's result are part of its key.
  const unitCache: UnitCache | undefined = options.cache && {
    dir: options.cache.dir,
    salt: `${options.cache.salt}\0${JSON.stringify([options.format, options.mapping, options.prices, lean, options.redact ?? true])}`,
    maxBytes: options.cache.maxBytes,
    statesFrom: (await import('./cache.js')).statesFrom(files, options.cache.maxBytes),
  }
  // The same logs, unchanged, under the same options: the whole result a run kept is the result (see `memoOf`).
  const memo = unitCache && lean ? await memoOf(units, unitCache, options, {searched, first, found}, inputs) : undefined
  if (memo?.run) return memo.run
  const unitFiles = units.reduce((n, u) => n + (anchorOnly(u) ? 0 : u.files.length), 0)
  const anchoredFiles = units.reduce((n, u) => n + (anchorOnly(u) ? u.files.length : 0), 0)
  const total = {files: unitFiles + anchoredFiles, bytes: units.reduce((n, u) => n + u.bytes, 0)}
  const done = {files: 0, bytes: 0}
  const summary = new SummaryBuilder()
  const seenResponses = new SeenResponses()
  const usedIds = new Set<string>()
  /** Digests of the cards of formats with no session id read so far (see `warnIdenticalTraces`). */
  const seenTraces = new Set<string>()
  const joinedTasks = new Set<string>()
  const kept: TraceCard[] = []
  const run: AnalyzeRun = {
    summary: undefined as unknown as AnalyzeSummary,
    cards: kept,
    files: {
      read: unitFiles,
      withTraces: 0,
      skipped: 0,
      empty: 0,
      ignored: first ? found.ignored : 0,
      companions: 0,
      repeats: 0,
    },
    ...(first && found.packed ? {packed: found.packed} : {}),
    searched,
    internalErrors: 0,
    repeatedResponses: 0,
    repeatedFiles: [],
    nothingToCount: [],
  }
  if (options.cache) run.cache = {hits: 0, misses: 0, resumed: 0}
  const groups = options.groupBy ? new GroupBuilder(options.groupBy.by, options.groupBy.timeZone) : undefined
  if (window) {
    run.window = {filesSkipped: first ? found.files.length - files.length + anchoredFiles : 0, stepsOutside: 0}
    if (anchoredFiles) run.window.filesPlacingBlocks = anchoredFiles
    if (window.since !== undefined) run.window.since = new Date(window.since).toISOString()
    if (window.until !== undefined) run.window.until = new Date(window.until).toISOString()
  }

  const deliver = (cards: TraceCard[]): void => {
    // Ids first: a copy of a session has the session's id, and must not pass for the session itself.
    uniqueIds(cards, usedIds)
    const repeated = dropRepeatedResponses(cards, seenResponses)
    run.repeatedResponses += repeated.dropped
    warnIdenticalTraces(cards, seenTraces)
    // A file that only repeats traces counted elsewhere (a copy of a session) leaves nothing to list: it is
    // counted among the repeats, with the trace it repeats.
    if (repeated.changed.length) {
      cards = cards.filter(c => !isEmpty(c))
      const counted = new Set<string>()
      forEachCard(cards, c => counted.add(c.source.path))
      for (const {card, of} of repeated.emptied) {
        const path = card.source.path
        if (counted.has(path)) continue
        counted.add(path)
        run.files.repeats++
        run.files.withTraces--
        if (run.repeatedFiles.length < MAX_LISTED) run.repeatedFiles.push({path, of})
      }
    }
    if (window) {
      groups?.anchor(cards)
      const kept = applyWindow(cards, window)
      cards = kept.cards
      run.window!.stepsOutside += kept.dropped
    }
    if (options.taskResults) for (const id of applyTaskResults(cards, options.taskResults)) joinedTasks.add(id)
    summary.add(cards)
    groups?.add(cards)
    options.onCards?.(cards)
    if (options.keepCards) kept.push(...cards)
  }
  /** The files beside the units' files their readers looked for, by path (see `SiblingSeen`): what the run depends on. */
  const siblings = new Map<string, SiblingSeen>()
  // Parts of one trace in several files (spans cut into batches) are joined once every file is read.
  const joiner = new TraceJoiner()

  await runUnits(
    units,
    {
      format: options.format,
      mapping: options.mapping,
      prices: options.prices,
      threads: options.threads,
      lean,
      redact: options.redact ?? true,
      cache: unitCache,
    },
    (result, unit, _index, fromCache, resumed) => {
      if (run.cache) {
        run.cache[fromCache ? 'hits' : 'misses']++
        run.cache.resumed += resumed
      }
      if (anchorOnly(unit)) {
        groups?.anchor(result.cards)
        done.files += unit.files.length
        done.bytes += unit.bytes
        options.onProgress?.(done, total)
        return
      }
      run.internalErrors += result.internalErrors
      run.files.withTraces += result.filesWithTraces
      run.files.skipped += result.filesWithout
      run.files.companions += result.companions
      run.files.empty += result.empty
      for (const n of result.nothingToCount) if (run.nothingToCount.length < MAX_LISTED) run.nothingToCount.push(n)
      for (const s of result.skipped) skipped.push(s)
      for (const s of result.siblings ?? []) if (!siblings.has(s.path)) siblings.set(s.path, s)
      deliver(joiner.take(result.cards))
      done.files += unit.files.length
      done.bytes += unit.bytes
      options.onProgress?.(done, total)
    },
  )
  const joined = joiner.release()
  const before = summary.listed()
  if (joined.length) deliver(joined)
  const after = summary.listed()
  run.tail = {traces: after.traces - before.traces, warnings: after.warnings - before.warnings}
  if (inputs !== undefined) run.inputs = inputs

  run.summary = summary.build(skipped)
  if (groups) run.groups = groups.build()
  if (options.taskResults) run.taskResults = {given: options.taskResults.size, joined: joinedTasks.size}
  // Kept only when nothing went wrong inside aco (a fault may be fixed by the next run), as units are.
  if (memo && run.internalErrors === 0) await memo.keep(run, [...siblings.values()])
  return run
}

/**
 * A second run over logs nobody changed takes its whole result from the one before: reading 2,005 unit entries
 * back and summing them again took ~1 s over the bench corpus, most of it V8 deserializing and collecting ~50 MB of
 * lean cards. The key is every unit's key (path, size and modification time of each file, the code, the options that
 * shape a unit) and all that shapes the result beside them: the options the summary depends on and what the walk met
 * (its problems, the files it passed over). One file grown, added or gone, and the run sums its units as before (each
 * unchanged one still from its own entry). What the run says of the cache is what the units' entries would say: all
 * of them from it.
 */
async function memoOf(
  units: readonly Unit[],
  cache: UnitCache,
  options: AnalyzeOptions,
  walked: {searched: string[]; first: boolean; found: WalkResult},
  /**
   * A shard's fingerprint of every file the walk found (`AnalyzeRun.inputs`), which its result records: a file changed
   * in another part is another result of this part (trial 108: a part kept from the run before carried the old
   * fingerprint, and `aco merge` refused the parts).
   */
  inputs: string | undefined,
): Promise<{run?: AnalyzeRun; keep: (run: AnalyzeRun, siblings: SiblingSeen[]) => Promise<void>}> {
  const {readRun, runKey, writeRun} = await import('./cache.js')
  const key = runKey(
    units,
    cache,
    [options.paths, walked.searched, options.window ?? null, options.groupBy ?? null, options.shard ?? null],
    [
      options.taskResults ? [...options.taskResults] : null,
      walked.first,
      walked.found.ignored,
      walked.found.packed,
      walked.found.files.length,
      walked.found.problems,
      inputs ?? null,
    ],
  )
  const run = readRun<AnalyzeRun>(cache, key)
  if (run) run.cache = {hits: units.length, misses: 0, resumed: 0, whole: true}
  return {run, keep: (kept, siblings) => writeRun(cache.dir, key, kept, siblings)}
}

/** Why a path that does not lead to a file is there all the same: a link in a loop or to nothing; undefined if none. */
function brokenLink(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined
  } catch {
    return undefined
  }
  try {
    statSync(path)
    return undefined
  } catch (error) {
    // (Said as the folder walk says it of a link it meets.)
    return (error as {code?: string}).code === 'ELOOP' ? 'a loop of symbolic links' : 'broken symbolic link'
  }
}

const NO_SUCH = 'no such file or folder'

/** Why a path cannot be looked at, as people read it. */
function statError(path: string): string {
  try {
    statSync(path)
    return NO_SUCH
  } catch (error) {
    return describeFsError(error)
  }
}
