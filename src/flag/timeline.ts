/**
 * The state of a session's files as it goes: every write is an event at an
 * epoch (a counter that moves with each step that may have changed
 * something), recorded against the file, against every directory above it,
 * and, for a write aco cannot place, against everything. Queries answer "did
 * anything that could change this file (or anything below this directory)
 * happen between epochs a and b?" in O(depth · log n). The last whole content
 * seen of a file (a Write, a heredoc) is kept too, for reading the scripts an
 * agent runs.
 */
import {
  ANYWHERE,
  type CodeScope,
  isUnder,
  type FileWrite,
  foreignTo,
  inScope,
  type Lang,
  packageKey,
  UNKNOWN_CWD,
} from './effects.js'

/** The content writes before a card's first step last wrote at a path, and whether it is still known there. */
export interface BeforeContent {
  content: string
  fresh: boolean
}

/** What one step may have changed. */
export interface StepWrites {
  writes: FileWrite[]
  /** Directories anything below which may have changed (some under ANYWHERE: see `effects.ts`). */
  under: string[]
  /** It may have changed anything. */
  any: boolean
  /** It changed the environment (packages). */
  env: boolean
  /** The packages it installed, when that is all it did to the environment (see `Action.installs`). */
  installs?: string[]
  /** The languages whose packages alone it changed (see `Action.envOf`). */
  envOf?: readonly Lang[]
  /** The project folder whose own packages alone it changed (see `Action.envIn`). */
  envIn?: string
  /** It changed git's state. */
  git: boolean
  /**
   * The session sat idle while a person was away: anything may have changed (with `any`), unseen. A read after it
   * can tell: `changed(…, true)` leaves these out for the detectors that compare what the read showed.
   */
  away?: boolean
  /** Of `under`, the folders a build writes its outputs to (see `Action.outputs`): a read after it can tell. */
  built?: readonly string[]
  /**
   * What a command left running goes on writing, again at a later step. Its `log` (what it prints to a file): a
   * change to that file alone, not to its folders, nor to what a check that depends on anything depends on. Its
   * `output` (the files and folders it writes): a change to those, but not to code (a running job or server writes its
   * outputs, not the project's sources, so a check of code is judged by the agent's own writes).
   */
  ongoing?: 'log' | 'output'
  /**
   * Of an `ongoing` event: the steps (by index) whose commands, still running, it is the writes of; -1 for a command
   * not named. A question about one command's run can tell its own writes from another's.
   */
  runningOf?: readonly number[]
}

/**
 * Whether a step's writes below folder `dir` (one of its `under`) make a timeline forget the contents it knew there:
 * a known command's, not a build's outputs (`built`) nor a folder aco cannot place (ANYWHERE).
 */
export function forgetsBelow(w: StepWrites, dir: string): boolean {
  return !dir.startsWith(`${ANYWHERE}/`) && !w.built?.includes(dir)
}

export function hasWrites(w: StepWrites): boolean {
  return w.writes.length > 0 || w.under.length > 0 || w.any || w.env || w.git
}

/** Events `pathsAdded` walks at most. */
const MAX_WALKED = 4096

export class Timeline {
  private epoch = 0
  /** Writes at exactly this path. */
  private readonly file = new Map<string, number[]>()
  /** Writes at or below this path. */
  private readonly tree = new Map<string, number[]>()
  /** "Anything below may have changed" events at this directory. */
  private readonly wide = new Map<string, number[]>()
  /** Builds' outputs written below this directory (`built`). */
  private readonly wideBuilt = new Map<string, number[]>()
  private readonly any: number[] = []
  /** The epochs of `any` that are no person's absence (`away`). */
  private readonly anySeen: number[] = []
  private readonly away: number[] = []
  /** Writes below a folder aco cannot place (ANYWHERE): their epochs, and the path each ends with. */
  private readonly floating: number[] = []
  private readonly floatingTails: string[] = []
  private readonly env: number[] = []
  /** Per entry of `env`: the packages installed then, undefined when aco cannot name them. */
  private readonly envInstalls: Array<string[] | undefined> = []
  private readonly git: number[] = []
  private readonly all: number[] = []
  /** The epochs of `all` that changed more than git's state (see `anyChanged`). */
  private readonly files: number[] = []
  /** Each event's writes (epoch e at index e - 1). */
  private readonly events: StepWrites[] = []
  private readonly contents = new Map<string, {epoch: number; content: string}>()
  /** Temporary files' last whole content (they are no change to the project: no epoch of their own). */
  private readonly scratchContents = new Map<string, {epoch: number; content: string}>()
  /** Temporary files written, in order (see `scratch`). */
  private readonly temps: Array<{epoch: number; path: string}> = []

  /**
   * `before`: the whole content writes made before the card's first step last wrote at a path (its relatives'
   * writes: see `SessionWrites.contentBefore`), and whether it is still known at that step. Every question the
   * detectors ask spans epochs of the card's own steps, so those writes take no epoch: they can only answer `content`.
   */
  constructor(private readonly before?: (path: string) => BeforeContent | undefined) {}

  get now(): number {
    return this.epoch
  }

  /**
   * The content last written whole at `path`, as `contents` holds it: the card's own, else (no write of its own having
   * named the path) what was written before its first step, still known or not (`fresh`).
   */
  private held(path: string): {epoch: number; content: string; fresh?: boolean} | undefined {
    const c = this.contents.get(path)
    if (c || !this.before || this.file.has(path)) return c
    const b = this.before(path)
    return b && {epoch: 0, content: b.content, fresh: b.fresh}
  }

  /** The content known at `path`: as held, unless a folder's writes before the first step made it stale. */
  private known(path: string): {epoch: number; content: string} | undefined {
    const c = this.held(path)
    return c?.fresh === false ? undefined : c
  }

  /** Records one step's writes as one event; returns its epoch (unchanged when it wrote nothing). */
  apply(w: StepWrites): number {
    if (!hasWrites(w)) return this.epoch
    const e = ++this.epoch
    this.events.push(w)
    if (w.ongoing === 'log') {
      for (const write of w.writes) {
        push(this.file, write.path, e)
        this.contents.delete(write.path)
      }
      return e
    }
    this.all.push(e)
    if (w.any || w.env || w.writes.length || w.under.length) this.files.push(e)
    if (w.any) {
      this.any.push(e)
      if (w.away) this.away.push(e)
      else this.anySeen.push(e)
    }
    if (w.env) {
      this.env.push(e)
      this.envInstalls.push(w.installs)
    }
    if (w.git) this.git.push(e)
    for (const write of w.writes) {
      // `chmod`, `touch`: the file's content is as it was (what a read shows); its folder's listing may not be.
      if (!write.metaOnly) push(this.file, write.path, e)
      for (let p = write.path; ; p = up(p)) {
        push(this.tree, p, e)
        if (p === '/') break
      }
      if (write.content !== undefined) this.contents.set(write.path, {epoch: e, content: write.content})
      else if (write.metaOnly) {
        const kept = this.held(write.path)
        if (kept) this.contents.set(write.path, {epoch: e, content: kept.content})
      } else this.contents.delete(write.path)
    }
    for (const dir of w.under) {
      if (dir.startsWith(`${ANYWHERE}/`)) {
        this.floating.push(e)
        this.floatingTails.push(dir.slice(ANYWHERE.length))
        continue
      }
      push(forgetsBelow(w, dir) ? this.wide : this.wideBuilt, dir, e)
      for (let p = dir; ; p = up(p)) {
        push(this.tree, p, e)
        if (p === '/') break
      }
    }
    return e
  }

  /**
   * Whether anything may have changed the file `path` in epochs (from, to]; with `verifiable`, only a write aco
   * placed at that file or below a folder holding it counts: what it could not place (a command it cannot read, a
   * person's absence) and builds' outputs are left to what the read itself showed (see `unseenIn`, `builtIn`: the
   * caller compares the read's lines with the earlier ones).
   */
  changed(path: string, from: number, to: number, verifiable = false): boolean {
    if (from >= to) return false
    if (inRange(this.file.get(path), from, to) || this.wideOver(path, from, to)) return true
    // (A file of an installed package: an install of its language's packages may have rewritten it.)
    if (INSTALLED.test(path) && this.installedOver(path, from, to)) return true
    if (verifiable) return false
    return this.unseenIn(path, from, to) !== undefined || this.builtIn(path, from, to)
  }

  /** Whether a known command wrote anything below a folder holding `path` in (from, to] (not a build's outputs). */
  private wideOver(path: string, from: number, to: number): boolean {
    // Most sessions never clear a whole directory: no walk up the path (and no string per level) then.
    if (this.wide.size === 0) return false
    for (let p = path; ; p = up(p)) {
      if (inRange(this.wide.get(p), from, to)) return true
      if (p === '/') return false
    }
  }

  /**
   * The last event in (from, to] that may have changed the file `path` without aco seeing how (its epoch), or
   * undefined: a command it cannot read, a person's absence, a write below a folder it cannot place. Not a known
   * command's writes below a folder holding the file (`black src/`, a branch switched): the agent ran it to change
   * files there, and a read after it checks what it did. Nor builds' outputs (`builtIn`).
   */
  unseenIn(path: string, from: number, to: number): number | undefined {
    if (from >= to) return undefined
    const last = lastIn(this.any, from, to)
    if (!this.floating.length) return last
    const f = this.floatingMatch(path, from, to)
    return f !== undefined && (last === undefined || f > last) ? f : last
  }

  /** Whether a build wrote its outputs in a folder holding `path` in (from, to]. */
  builtIn(path: string, from: number, to: number): boolean {
    if (from >= to || this.wideBuilt.size === 0) return false
    for (let p = path; ; p = up(p)) {
      if (inRange(this.wideBuilt.get(p), from, to)) return true
      if (p === '/') return false
    }
  }

  /** Whether anything at or below `path` (a file or a directory) may have changed in (from, to]. */
  treeChanged(path: string, from: number, to: number): boolean {
    if (from >= to) return false
    if (inRange(this.any, from, to) || inRange(this.tree.get(path), from, to)) return true
    // A folder aco cannot place may lie below any other.
    if (inRange(this.floating, from, to)) return true
    if (this.wide.size === 0 && this.wideBuilt.size === 0) return false
    for (let p = path; ; p = up(p)) {
      if (inRange(this.wide.get(p), from, to) || inRange(this.wideBuilt.get(p), from, to)) return true
      if (p === '/') return false
    }
  }

  /**
   * The last write below a folder aco cannot place, in (from, to], that may have reached `path` (its epoch): one whose
   * path ends with the written one or passes through it. Past 256 others in the span, the last of all (the work
   * stays linear).
   */
  private floatingMatch(path: string, from: number, to: number): number | undefined {
    let seen = 0
    let last: number | undefined
    for (let k = firstAfter(this.floating, from); k < this.floating.length && this.floating[k]! <= to; k++) {
      const tail = this.floatingTails[k]!
      if (path.endsWith(tail) || path.includes(`${tail}/`)) last = this.floating[k]!
      else if (++seen > 256) return lastIn(this.floating, from, to)
    }
    return last
  }

  envChanged(from: number, to: number): boolean {
    return inRange(this.env, from, to) || inRange(this.any, from, to)
  }

  /** Whether the session's own commands may have changed the environment in (from, to]: not a person's absence. */
  envChangedBySession(from: number, to: number): boolean {
    return inRange(this.env, from, to) || inRange(this.anySeen, from, to)
  }

  /**
   * Whether an install in (from, to] may have rewritten `path`, a file of an installed package (see `INSTALLED`): one of
   * its language's packages (or of any, when aco cannot tell), into any place or a project's folder holding the path.
   */
  private installedOver(path: string, from: number, to: number): boolean {
    const lang: Lang = /\/node_modules\//.test(path) ? 'js' : /\/pkg\/mod\//.test(path) ? 'go' : 'python'
    for (let k = firstAfter(this.env, from); k < this.env.length && this.env[k]! <= to; k++) {
      const w = this.events[this.env[k]! - 1]!
      if ((!w.envOf || w.envOf.includes(lang)) && (w.envIn === undefined || isUnder(path, w.envIn))) return true
    }
    return false
  }

  /** Whether anything in (from, to] may have changed the packages of `langs` (another language's installs cannot). */
  envChangedFor(langs: readonly Lang[], from: number, to: number): boolean {
    if (inRange(this.any, from, to)) return true
    for (let k = firstAfter(this.env, from); k < this.env.length && this.env[k]! <= to; k++) {
      const of = this.events[this.env[k]! - 1]!.envOf
      if (!of || of.some(l => langs.includes(l))) return true
    }
    return false
  }

  /**
   * Whether anything between the epochs may have installed what provides the (Python) module named:
   * an install aco cannot name, or one of a package whose name holds the module's or is held in it
   * (`pyyaml` for `yaml`); an install of other named packages cannot.
   */
  mayHaveProvided(module: string, from: number, to: number, cwd?: string): boolean {
    if (inRange(this.any, from, to)) return true
    const m = packageKey(module)
    for (let k = firstAfter(this.env, from); k < this.env.length && this.env[k]! <= to; k++) {
      const names = this.envInstalls[k]
      if (!names || names.some(n => n.includes(m) || m.includes(n))) return true
      // A system package (apt's `python3.12-venv`, brew's) may hold a module by any name (`ensurepip`): only a
      // language's own installer names what it installs.
      if (!this.events[this.env[k]! - 1]!.envOf) return true
    }
    return this.wroteModule(module, from, to, cwd)
  }

  /**
   * Whether a file or folder named as the module's top package was written in (from, to] (`tests/__init__.py`,
   * `yaml.py`, a folder `tests/quickapp` made): a module of the project's own, which may be the one missing.
   */
  private wroteModule(module: string, from: number, to: number, cwd?: string): boolean {
    for (let e = Math.max(from, 0) + 1; e <= to && e <= this.events.length; e++) {
      const w = this.events[e - 1]!
      if (w.writes.some(x => namesModule(x.path, module, cwd)) || w.under.some(dir => namesModule(dir, module, cwd)))
        return true
    }
    return false
  }

  /**
   * Whether anything installed between the epochs may have changed the code of these files (the frames of a
   * stack trace): an install aco cannot name, or one of a package that one of their paths passes through
   * (`site-packages/yaml/…` for `pyyaml`, `node_modules/left-pad/…`). Installs of other named packages leave
   * that code as it was.
   */
  mayHaveChangedCode(files: readonly string[], from: number, to: number): boolean {
    if (inRange(this.any, from, to)) return true
    let parts: Set<string> | undefined
    for (let k = firstAfter(this.env, from); k < this.env.length && this.env[k]! <= to; k++) {
      const names = this.envInstalls[k]
      if (!names) return true
      parts ??= new Set(files.flatMap(f => f.split(/[\\/]/).map(packageKey)))
      for (const n of names)
        for (const p of parts) if (p !== '' && (p === n || (p.length > 2 && n.includes(p)))) return true
    }
    return false
  }

  /**
   * Whether anything a check of code in `langs` reads may have changed in (from, to]: the environment (but another
   * language's packages), a write aco cannot place, a folder, or a file that is not another language's (see
   * `foreignTo`). Git's state alone is not code: a commit changes no file (a checkout that does is a write). Of a
   * check run in its own project (`scope`), only what that project reads (see `inScope`).
   */
  codeChanged(langs: readonly Lang[], from: number, to: number, scope?: CodeScope, docsBase?: string): boolean {
    for (let e = Math.max(from, 0) + 1; e <= to && e <= this.events.length; e++) {
      const w = this.events[e - 1]!
      if (w.ongoing) continue
      if (w.any) return true
      for (const dir of w.under)
        if (!foreignTo(langs, dir, docsBase) && (!scope || inScope(scope, dir, true))) return true
      if (
        w.env &&
        (!w.envOf || w.envOf.some(l => langs.includes(l))) &&
        (!scope || w.envIn === undefined || inScope(scope, w.envIn, true))
      )
        return true
      for (const write of w.writes)
        if (!foreignTo(langs, write.path, docsBase) && (!scope || inScope(scope, write.path, false))) return true
    }
    return false
  }

  /**
   * Whether the entries of folder `dir` (its names, not what they hold) may have changed in (from, to], given the
   * names a listing showed there: an event aco cannot place, a write at or above the folder or directly in it (a
   * file made or removed), or one below a name the listing did not show (a new folder). A write below a name it
   * showed (`src/app/x.ts` under a listed `src`) adds no entry.
   */
  entriesChanged(dir: string, names: ReadonlySet<string>, from: number, to: number): boolean {
    return this.writtenThrough(dir, (name, direct) => direct || !names.has(name), from, to)
  }

  /**
   * Whether an entry of folder `dir` whose name `matches` may have been made, changed or removed in (from, to]: an
   * event aco cannot place, a write at or above the folder, or one in it or below it through such a name (a write to
   * `.gitignore` makes or removes no `Dockerfile*`).
   */
  entryWritten(dir: string, matches: (name: string) => boolean, from: number, to: number): boolean {
    return this.writtenThrough(dir, matches, from, to)
  }

  /**
   * Whether in (from, to] a file may have been made at or below `dir` that is not one of the `known` paths: an event
   * aco cannot place, a write at or above the folder, a folder below it anything below which may have changed, a
   * write below it to a path not known.
   */
  pathsAdded(dir: string, known: ReadonlySet<string>, from: number, to: number): boolean {
    if (from >= to) return false
    // Past this many events, as if one made a file (each look compared walks them: the work stays linear).
    if (to - from > MAX_WALKED) return true
    return this.writtenThrough(dir, (_name, _direct, path, under) => under || !known.has(path), from, to)
  }

  /**
   * Whether in (from, to] an event aco cannot place ran, a write reached `dir` or above it, or one below it went
   * through an entry `through` accepts (`name`: the entry's; `direct`: the write is that entry itself; `path`: what
   * was written; `under`: anything below that folder may have changed).
   */
  private writtenThrough(
    dir: string,
    through: (name: string, direct: boolean, path: string, under: boolean) => boolean,
    from: number,
    to: number,
    besideBuilds = false,
  ): boolean {
    if (inRange(this.any, from, to) || inRange(this.floating, from, to)) return true
    const prefix = dir === '/' ? '/' : `${dir}/`
    const reaches = (path: string, under: boolean): boolean => {
      if (isUnder(dir, path)) return true
      if (!path.startsWith(prefix)) return false
      const rest = path.slice(prefix.length)
      const slash = rest.indexOf('/')
      return slash === -1 ? through(rest, true, path, under) : through(rest.slice(0, slash), false, path, under)
    }
    for (let e = Math.max(from, 0) + 1; e <= to && e <= this.events.length; e++) {
      const w = this.events[e - 1]!
      // (A log written again adds or removes no entry.)
      if (w.ongoing === 'log') continue
      if (w.any) return true
      for (const u of w.under) if (!(besideBuilds && w.built?.includes(u)) && reaches(u, true)) return true
      for (const write of w.writes) if (reaches(write.path, false)) return true
    }
    return false
  }

  /**
   * Whether anything at or below `dir` may have changed in (from, to] other than files and folders below the paths
   * `beside` accepts: an event aco cannot place, a write at or above `dir`, or one below it elsewhere.
   */
  treeChangedBeside(
    dir: string,
    beside: (path: string) => boolean,
    from: number,
    to: number,
    /** Builds' outputs (their `built` folders) are no change either. */
    besideBuilds = false,
  ): boolean {
    if (from >= to) return false
    if (to - from > MAX_WALKED) return this.treeChanged(dir, from, to)
    return this.writtenThrough(dir, (_name, _direct, path) => !beside(path), from, to, besideBuilds)
  }

  /** Whether a build wrote its outputs in (from, to]. */
  anyBuilt(from: number, to: number): boolean {
    for (let e = Math.max(from, 0) + 1; e <= to && e <= this.events.length; e++)
      if (this.events[e - 1]!.built) return true
    return false
  }

  gitChanged(from: number, to: number): boolean {
    return inRange(this.git, from, to) || inRange(this.any, from, to)
  }

  /** The last time in (from, to] the session sat idle while a person was away (its epoch), or undefined. */
  awayIn(from: number, to: number): number | undefined {
    return lastIn(this.away, from, to)
  }

  /**
   * Whether any step changed anything in (from, to]; `besideGit`: anything but git's own state (an add, a commit, a
   * push, a branch made at HEAD change no file of the work tree; a commit whose hooks ran may have, see `stepWrites`).
   */
  anyChanged(from: number, to: number, besideGit = false): boolean {
    return inRange(besideGit ? this.files : this.all, from, to)
  }

  /**
   * As `anyChanged`, leaving out steps that only wrote files (or below folders) the question does not read (`ignored`,
   * told, of a running command's writes, which commands', see `StepWrites.runningOf`).
   */
  anyChangedBut(
    from: number,
    to: number,
    besideGit: boolean,
    ignored: (path: string, runningOf: readonly number[] | undefined) => boolean,
  ): boolean {
    const list = besideGit ? this.files : this.all
    if (!inRange(list, from, to)) return false
    for (let k = firstAfter(list, from); k < list.length && list[k]! <= to; k++) {
      const w = this.events[list[k]! - 1]!
      const of = w.ongoing !== undefined ? (w.runningOf ?? [-1]) : undefined
      if ((w.git && !besideGit) || !w.writes.every(x => ignored(x.path, of))) return true
      if (w.any || w.env || w.under.some(dir => dir.startsWith(`${ANYWHERE}/`) || !ignored(dir, of))) return true
    }
    return false
  }

  /**
   * Whether a script file a command ran was written in (from, to]: a temporary one too, which `anyChanged` leaves out;
   * or a temporary file its line names (`python scripts/validate.py /tmp/payload.json`).
   */
  scriptWritten(scripts: ReadonlyArray<{path?: string}>, from: number, to: number, line?: string): boolean {
    if (scripts.some(s => s.path !== undefined && inRange(this.file.get(s.path), from, to))) return true
    if (line === undefined || from >= to) return false
    // (In the order written: from the latest back to the first at or before `from`.)
    for (let k = this.temps.length - 1; k >= 0 && this.temps[k]!.epoch > from; k--) {
      const t = this.temps[k]!
      if (t.epoch <= to && line.includes(t.path)) return true
    }
    return false
  }

  /**
   * Records temporary files written (`/tmp/q.py`, `/tmp/run.log`): their whole content, or (none given) that it is no
   * longer known. Each is changed, as a log is (an event of that file alone): a read of it, or a run of a script there,
   * is not the one before; no file of the project changed.
   */
  scratch(files: readonly FileWrite[]): void {
    if (files.length === 0) return
    this.apply({
      writes: files.map(f => ({path: f.path})),
      under: [],
      any: false,
      env: false,
      git: false,
      ongoing: 'log',
    })
    for (const f of files) this.temps.push({epoch: this.epoch, path: f.path})
    for (const f of files) {
      if (f.content !== undefined) this.scratchContents.set(f.path, {epoch: this.epoch, content: f.content})
      else this.scratchContents.delete(f.path)
    }
  }

  /**
   * The whole content last written to `path`, if nothing may have changed it since (a person's absence aside). A
   * path under ANYWHERE (a script run from a folder aco cannot name: Gemini CLI's shell, which runs in the project's
   * root) is the file the file tools wrote by that relative path from the folder no record names (UNKNOWN_CWD), and
   * only that one: a file of that name elsewhere (`tools/fix.py`) is not the `fix.py` that ran.
   */
  content(path: string): string | undefined {
    if (path.startsWith(`${ANYWHERE}/`)) return this.content(UNKNOWN_CWD + path.slice(ANYWHERE.length))
    const c = this.known(path)
    const s = this.scratchContents.get(path)
    if (s && (!c || s.epoch >= c.epoch))
      return inRange(this.anySeen, s.epoch, this.epoch) || this.floatingMatch(path, s.epoch, this.epoch) !== undefined
        ? undefined
        : s.content
    // The agent's own scripts are taken to hold what it wrote across what a read could tell apart (`verifiable`): a
    // person's absence, and a build, which writes its outputs, not the scripts that run it.
    if (!c || this.changed(path, c.epoch, this.epoch, true)) return undefined
    return c.content
  }
}

/** Whether a path passes through a file or folder named as the module's top package (`…/tests/quickapp` for `tests.x`). */
export function namesModule(path: string, module: string, cwd?: string): boolean {
  const top = packageKey(module.split('.')[0] ?? module)
  if (top === '') return false
  // Below the folder the failure ran in, only what lies below it: the project's own folder is no module of it.
  const own = cwd && path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path
  const parts = own.split('/')
  return parts.some((part, k) =>
    k === parts.length - 1 && /\.[^.]+$/.test(part)
      ? /\.(?:py|pyi|pyd|so|[cm]?js|ts)$/i.test(part) && packageKey(part.replace(/\.[^.]+$/, '')) === top
      : packageKey(part) === top,
  )
}

function up(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

function push(map: Map<string, number[]>, key: string, e: number): void {
  const list = map.get(key)
  if (!list) map.set(key, [e])
  else if (list[list.length - 1] !== e) list.push(e)
}

/** Whether the sorted list has a value in (from, to]: a binary search. */
/** A file of an installed package: Python's site-packages, a node_modules folder, Go's module cache. */
const INSTALLED = /\/(?:site-packages|dist-packages|node_modules|pkg\/mod)\//

function inRange(sorted: readonly number[] | undefined, from: number, to: number): boolean {
  if (!sorted?.length || from >= to) return false
  if (sorted[sorted.length - 1]! <= from || sorted[0]! > to) return false
  const lo = firstAfter(sorted, from)
  return lo < sorted.length && sorted[lo]! <= to
}

/** The last entry of a sorted list in (from, to], or undefined. */
function lastIn(sorted: readonly number[] | undefined, from: number, to: number): number | undefined {
  if (!sorted?.length || from >= to) return undefined
  const k = firstAfter(sorted, to) - 1
  return k >= 0 && sorted[k]! > from ? sorted[k] : undefined
}

/** The index of the first entry of a sorted list above `from` (its length when none is). */
export function firstAfter(sorted: readonly number[], from: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! <= from) lo = mid + 1
    else hi = mid
  }
  return lo
}
