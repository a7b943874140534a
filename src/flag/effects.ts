/**
 * What one tool call did to and learned from the files of a session, in one
 * shape for every agent and tool: the file content it showed (with line
 * ranges), the searches and listings it ran, the files it wrote (and, when the
 * call carries it, their whole new content), and where it could not tell: an
 * "unknown" write that may have touched anything. The waste detectors reason
 * on these effects, never on a tool's name alone.
 */

/** Lines `[start, end)`, 1-based; `end` = WHOLE for "to the end of the file". */
export type Range = [number, number]
export const WHOLE = Number.MAX_SAFE_INTEGER

export interface FileRead {
  path: string
  /** The lines asked for; undefined = the whole file (but see `last`). */
  range?: Range
  /** The last lines asked for (`tail -n 40 f`): where they lie, only the file's length tells. */
  last?: number
}

export interface Search {
  /** `content`: lines matching a pattern; `name`: files whose name matches. */
  mode: 'content' | 'name'
  /** The pattern, normalised (case, quotes, escapes and spacing do not count); '' for "every file". */
  pattern: string
  /** Options that change which lines match: i (ignore case), w (word), x (line), v (invert), F (fixed). */
  flags: string
  /** Where it looked (files or directories). */
  scopes: string[]
  /** How deep it looked below each scope directory (1 = only the directory itself; Infinity = all). */
  depth: number
  /** Name globs a file must match (`--include`, `-name`, a Glob pattern); empty = every file. */
  names: string[]
  /** Conditions every hit must also meet, as text (`-type f`, `-mtime -1`, a `| grep x` on the names): more of them = fewer hits. */
  filters: string[]
  /** Filters aco cannot compare (`--exclude`, `-not`, `-prune`): such a search covers only an identical one. */
  otherFilters: boolean
  /** A listing (`ls`, `tree`, a bare `find`): it shows directories as well as files. */
  listing: boolean
  /** What it printed per hit (`status`: nothing, only whether anything matched: `grep -q`). */
  output: 'lines' | 'files' | 'count' | 'status'
  /** Context lines printed before and after each hit. */
  context: [number, number]
  /** Its output was cut or filtered downstream (`| head`, `| grep -v`): not every hit was shown. */
  limited: boolean
  /**
   * Its output was cut (a filter is not a cut): `| head -N` to its first N lines, `| tail -N` to its last N (an output
   * shorter than that was not cut), NaN when cut another way (`sed -n 5,9p`, `grep -m`).
   */
  cut?: number
  /** Hidden files (dotfiles) included. */
  hidden: boolean
  /** Files ignore files name left out (`rg --files`, `fd`, `git ls-files`): no answer to whether one is there. */
  ignores?: boolean
  /** The pattern is in grep's basic syntax, where `(`, `)`, `{`, `}`, `+`, `?` and `|` are plain characters. */
  basic?: boolean
  /**
   * For a listing of files that prints one path a line: the folder its relative paths hang from (where it ran, or the
   * one folder `ls` listed). Undefined when its lines are no such paths (`-printf`, `ls a b` with its headers).
   */
  base?: string
  /** Its order tells something (`ls -t`, `ls -S`): not only which files there are. */
  ordered?: boolean
}

// A search filter of Claude Code's Glob: the folder of every hit matches this pattern of path segments (`**` any
// number of them, each other one a name glob), written whole from the root after the prefix. `app/**/checkout/*.tsx`
// run in /repo: the names `*.tsx` under /repo/app, filter `dir-glob:/repo/app/**/checkout`.
export const DIR_GLOB = 'dir-glob:'

export interface FileWrite {
  path: string
  /** The file's whole new content, when the call carries it (a Write tool, a heredoc). */
  content?: string
  /** The call appended to the file or changed part of it (its old content partly remains). */
  partial?: boolean
  /** The file was written as a copy of this one (`cp A B`): its new content is what that file held. */
  copyOf?: string
  /** Only its mode, owner or times changed (`chmod`, `touch`): a content known before is still its content. */
  metaOnly?: boolean
  /** A folder made (`mkdir -p a/b`): once made, it stays until something removes it. */
  dir?: boolean
  /** What a command left running prints goes there (`npm run dev > dev.log 2>&1 &`, `| tee dev.log &`): its log. */
  log?: boolean
  /** A command left running wrote it (not what ran before it and ended): it may go on writing it. */
  background?: boolean
  /**
   * Of a patch that replaced runs of lines without a line of context (`-` lines, then `+` lines): what each run now
   * reads, carried whole by the patch (a read showing exactly one of them shows nothing the patch did not).
   */
  replaced?: string[]
}

/**
 * A script the call ran, whose effects depend on its content (looked up in the session's files); also a patch file
 * a call applied (`patch -p0 < fix.diff`, `git apply fix.diff`): the files its headers name are what it writes.
 */
export interface ScriptRun {
  lang: 'python' | 'node' | 'shell' | 'patch'
  /** The script file (resolved), when it ran a file. */
  path?: string
  /** The code, when it was given inline (`python -c`, `node -e`, a heredoc). */
  code?: string
  /** The directory it ran in (its relative paths resolve against it). */
  cwd?: string
  /**
   * Its arguments end by asking for its usage (`-h`, `--help`; a Python or Node script). Where the output starts with
   * its usage line (argparse's `usage: cli.py [-h]`, click's `Usage: cli.py [OPTIONS]`), the script stopped at parsing
   * them and wrote nothing; otherwise it ran as usual.
   */
  help?: boolean
}

export type ActionKind = 'read' | 'search' | 'list' | 'write' | 'run' | 'shell' | 'poll' | 'task' | 'other'

export interface Action {
  /** What the call mostly is, for describing it. */
  kind: ActionKind
  /** File content shown in the output. */
  reads: FileRead[]
  searches: Search[]
  /** Parts of the output that are neither file content nor search results (a test run, a script's output). */
  opaque: boolean
  /** Files written (or created, or deleted). */
  writes: FileWrite[]
  /** Directories anything below which may have changed (`rm -rf d`, `git checkout -- d`). */
  writesUnder: string[]
  /** The call may have changed any file (a command or script aco cannot read). */
  writesAny: boolean
  /**
   * Temporary files it wrote (under /tmp: not the project's, so no change to it), with their whole content
   * when the call carries it: the scripts an agent keeps there are read from it.
   */
  scratch: FileWrite[] | undefined
  /** The call changed the environment (installed or removed packages). */
  env: boolean
  /**
   * When its change to the environment was only installs of packages it names: their names
   * (`packageKey`); undefined when it changed nothing there or aco cannot tell what (`-r`, a path, a script).
   */
  installs: string[] | undefined
  /**
   * When its change to the environment was only to one language's packages (pip's, npm's): those languages, whose
   * code alone can see it; undefined when it changed nothing there or may have changed any (apt, brew, a script).
   */
  envOf: Lang[] | undefined
  /**
   * When its change to the environment was only to packages a project keeps in its own folder (`npm install` run in
   * `frontend/` writes `frontend/node_modules`): that folder. Undefined when the change may reach anywhere (pip, `-g`).
   */
  envIn: string | undefined
  /**
   * When its change to the environment was only installs of what a project's manifests list (`npm install`, `uv sync`,
   * `uv run`, `pip install -r requirements.txt`): those manifests and lock files. Run again with none of them changed
   * and nothing else installed since, it installs nothing.
   */
  syncs: string[] | undefined
  /** The call changed git's state (index, commits, branches). */
  git: boolean
  /** Files or directories the result depends on. */
  deps: string[]
  /** The result depends on anything (a test run, a script). */
  depsAny: boolean
  /**
   * A check of code in these languages (a compiler, a linter, a type-checker, a build): it depends on every file
   * except those only another language's tools read, and on the environment (see `foreignTo`).
   */
  depsCode: readonly Lang[] | undefined
  /**
   * The folders its checks of code (`depsCode`) ran in ('' where aco cannot tell): what such a check reads beyond its
   * own project depends on where that project is (see `FlagContext.codeScope`).
   */
  codeDirs: readonly string[] | undefined
  /**
   * Of `writesUnder`, the folders a build writes its outputs to: what it writes there follows from what it read,
   * so running it again over unchanged code writes the same.
   */
  outputs: readonly string[] | undefined
  /**
   * Of `writesUnder`, folders below which it writes files its output names (Spec Kit's scripts print JSON: its
   * `IMPL_PLAN`, `SPEC_FILE`): where the output names each key's file there, that file and its folder (made) are
   * what it wrote there, not anything below the folder.
   */
  reported: readonly Reported[] | undefined
  /** The result can change without any write (time, processes, network): a repeat may be polling. */
  volatile: boolean
  /** Scripts whose effects are known only from their content. */
  scripts: ScriptRun[]
  /** The files a write tool aimed at, whether or not it succeeded. */
  targets: string[]
  /**
   * The command's pipelines in a canonical form (cwd resolved, output filters and
   * `2>&1` dropped): two calls with the same core ran the same thing.
   */
  core?: string
  /** The core of each pipeline, for "this call re-ran part of an earlier one". */
  parts?: string[]
  /** Those of `parts` that ran only if what came before them failed (after `||`): no proof they ran. */
  fallbackParts?: string[]
  /** The folder each of `parts` ran in, when known. */
  partDirs?: Array<string | undefined>
  /** Of a shell command line: the folder it started in (a Codex call's workdir), when known. */
  ranFrom?: string
  /**
   * Of a shell command line: the one folder all its commands ran in, a `cd`, `source` or `export` aside (`cd svc &&
   * python app.py`: svc/), where a path its output names relative is (a traceback's frames, `cat: x: No such file`);
   * undefined when they ran in several (`python app.py && cd web && npm test`) or it is not known.
   */
  ranIn?: string
  /**
   * The core without its environment assignments (`A=1 cmd`, `export A=1 && cmd`):
   * the same command, when those assignments were already in effect.
   */
  bareCore?: string
  /** The `NAME=value` assignments the core ran with (prefixes and exports), when there are any. */
  assigns?: string[]
  /** The `NAME=value` pairs the command exports to the commands after it. */
  exports?: string[]
  /** The arguments cannot be read (redacted, or cut short): aco cannot tell what it did. */
  unreadable?: boolean
  /** It runs tests (a test runner: pytest, `go test`, `npm test`…), whose results its output lists. */
  tests: boolean
  /**
   * What it runs of its own asks a program only its usage or version (`entire collab --help`, `node --version`): a
   * look at what is installed, whoever asks it again.
   */
  usage?: boolean
  /**
   * A git command that runs the repository's client hooks and otherwise changes only git's state (`git commit`, `git
   * push`, `git checkout -b`): what a hook ran shows in its output (see `stepWrites`).
   */
  hooks?: boolean
  /** The code it fed an interpreter (`python - <<'PY'`, `python -c`, `node -e`), the first when there are more. */
  inline: {lang: 'python' | 'node'; code: string} | undefined
  /**
   * It leaves a command running after the call returns (`cmd &`, `nohup cmd &`, `tmux new-session -d`, `screen -dm`,
   * `setsid`): what that command writes, it may go on writing.
   */
  detached?: boolean
  /** Of `writesUnder`, the folders the commands it left running write below. */
  backgroundUnder?: string[]
  /**
   * Of a patch whose every hunk puts back the lines it takes out (`-import x` then `+import x`), those lines: it changed
   * no file, whatever its tool answered. (Its `writes` stay: what a person reading it sees is a write.)
   */
  noChange?: string[]
}

/** Files below a folder that a command names in its output, by the JSON keys that hold their paths. */
export interface Reported {
  under: string
  keys: readonly string[]
}

/** One empty list shared by actions that never grow it (frozen: a push would throw). */
const NONE = Object.freeze([]) as unknown as never[]

/**
 * An action whose lists are given once (the tool-level classifier's): the
 * lists it does not name share one frozen empty list, so the many small
 * actions of a session allocate little.
 */
export function fixedAction(kind: ActionKind, f: Partial<Action> = {}): Action {
  // One literal with every field: every action has the same shape (fast property access downstream).
  return {
    kind,
    reads: f.reads ?? NONE,
    searches: f.searches ?? NONE,
    opaque: f.opaque ?? false,
    writes: f.writes ?? NONE,
    writesUnder: f.writesUnder ?? NONE,
    writesAny: f.writesAny ?? false,
    scratch: f.scratch,
    env: f.env ?? false,
    installs: f.installs,
    envOf: f.envOf,
    envIn: f.envIn,
    syncs: f.syncs,
    git: f.git ?? false,
    deps: f.deps ?? NONE,
    depsAny: f.depsAny ?? false,
    depsCode: f.depsCode,
    codeDirs: f.codeDirs,
    outputs: f.outputs,
    reported: f.reported,
    volatile: f.volatile ?? false,
    scripts: f.scripts ?? NONE,
    targets: f.targets ?? NONE,
    core: f.core,
    parts: f.parts,
    fallbackParts: f.fallbackParts,
    bareCore: f.bareCore,
    assigns: f.assigns,
    exports: f.exports,
    unreadable: f.unreadable ?? false,
    tests: f.tests ?? false,
    usage: f.usage,
    inline: f.inline,
    detached: f.detached,
    backgroundUnder: f.backgroundUnder,
    noChange: f.noChange,
  }
}

/** An action with lists of its own, for classifiers that add to them as they go. */
export function emptyAction(kind: ActionKind): Action {
  return {
    kind,
    reads: [],
    searches: [],
    opaque: false,
    writes: [],
    writesUnder: [],
    writesAny: false,
    scratch: undefined,
    env: false,
    installs: undefined,
    envOf: undefined,
    envIn: undefined,
    syncs: undefined,
    git: false,
    deps: [],
    depsAny: false,
    depsCode: undefined,
    codeDirs: undefined,
    outputs: undefined,
    reported: undefined,
    volatile: false,
    scripts: [],
    targets: [],
    core: undefined,
    parts: undefined,
    fallbackParts: undefined,
    partDirs: undefined,
    ranFrom: undefined,
    ranIn: undefined,
    bareCore: undefined,
    assigns: undefined,
    exports: undefined,
    unreadable: false,
    tests: false,
    usage: undefined,
    inline: undefined,
    detached: undefined,
    backgroundUnder: undefined,
  }
}

/** Whether the action may change files, the environment or git's state. */
export function mutates(action: Action): boolean {
  return (
    action.writes.length > 0 ||
    action.writesUnder.length > 0 ||
    action.writesAny ||
    action.env ||
    action.git ||
    action.scripts.length > 0
  )
}

/**
 * Whether the action is a test run that reads the work tree and nothing of git's: an add, a commit or a push before it
 * changes nothing it reads. Not a run that selects tests by what git says changed (`jest -o`, `--changedSince`,
 * `vitest --changed`), nor any other program (a release tool, a build stamping its version from git's tags, a script
 * that may run git: they are judged as reading anything).
 */
export function readsNoGit(action: Action): boolean {
  return action.tests && !action.git && !action.deps.includes('(git)') && action.scripts.length === 0
}

/**
 * The root every relative path hangs from when no record names the session's folder (the file tools' own root, as
 * Gemini CLI uses them).
 */
export const UNKNOWN_CWD = '/(cwd)'

/** Where `~` hangs when aco cannot tell the user's home folder (see normalisePath). */
const HOME = '/(home)'
/** Where `~` hangs for the session being read (see `withHome`). */
let home = HOME

/**
 * The home folder of the user whose session ran in `cwd`, when that folder lies in one: `/Users/ana/app` →
 * `/Users/ana`, `/home/ana/src` → `/home/ana`, `/root/x` → `/root`, `C:\Users\ana\app` → `/c/Users/ana`. Undefined
 * elsewhere (`/tmp/x`, `/workspace`, `/testbed`): there `~` stays a folder of its own.
 */
export function homeOf(cwd: string | undefined): string | undefined {
  if (!cwd) return undefined
  const p = normalisePath(cwd)
  const m = /^(\/(?:[a-z]\/)?Users\/(?!Shared\/|Shared$|Public\/|Public$)[^/]+|\/home\/[^/]+|\/root)(?:\/|$)/.exec(p)
  return m?.[1]
}

/**
 * Runs `f` with `~` read as the home folder of the session that ran in `cwd` (see `homeOf`): `~/app/a.py` and
 * `/Users/ana/app/a.py` are one file, and a write through one is a change to what a read through the other shows.
 */
export function withHome<T>(cwd: string | undefined, f: () => T): T {
  const before = home
  home = homeOf(cwd) ?? HOME
  try {
    return f()
  } finally {
    home = before
  }
}

/**
 * A path made comparable: quotes and `./` dropped, backslashes as slashes,
 * joined to `cwd` when relative, `.` and `..` resolved, no trailing slash.
 * Windows drive letters are lowercased (`C:\a` and `c:/a` are one file).
 */
/** A package or module name as compared: lower case, without `-`, `_` and `.` (`PyYAML` and `pyyaml`, `scikit_learn`). */
export function packageKey(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '')
}

/**
 * Records a change to the environment: installs of the packages named, or, with no names, one aco
 * cannot name (it may have installed anything); of one language's packages (`of`), or of anything's; of what
 * manifests list (`syncs`); in one project's own folder (`where`). Names, languages and manifests add up only while
 * every change so far had them; a folder, while every change so far was in it.
 */
export function changesEnvironment(
  action: Action,
  installs?: readonly string[],
  of?: readonly Lang[],
  syncs?: readonly string[],
  where?: string,
): void {
  action.envIn = where !== undefined && (!action.env || action.envIn === where) ? where : undefined
  action.installs = installs && (!action.env || action.installs) ? [...(action.installs ?? []), ...installs] : undefined
  action.envOf = of && (!action.env || action.envOf) ? [...new Set([...(action.envOf ?? []), ...of])] : undefined
  action.syncs = syncs && (!action.env || action.syncs) ? [...(action.syncs ?? []), ...syncs] : undefined
  action.env = true
}

export function normalisePath(path: string, cwd?: string): string {
  // Fast path: an absolute, already clean path (the common case: Claude Code's file_path).
  if (path.charCodeAt(0) === 47 && !/\/\/|\/\.|\\|\/$|\s$|['"]/.test(path)) return path
  let p = path
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .replace(/\\/g, '/')
  // A Windows drive (`C:\\Users`, `c:/Users`) is the folder Git Bash and MSYS name `/c/Users`: one path, whichever
  // way a tool or a shell wrote it.
  if (/^[A-Za-z]:(?:\/|$)/.test(p)) p = `/${p[0]!.toLowerCase()}${p.slice(2)}`
  if (p === '~' || p.startsWith('~/')) p = `${home}${p.slice(1)}`
  if (!p.startsWith('/')) {
    const base = cwd ? normalisePath(cwd) : UNKNOWN_CWD
    p = `${base}/${p}`
  }
  const parts: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length) parts.pop()
    } else parts.push(part)
  }
  return `/${parts.join('/')}`
}

/**
 * The folder a relative path of the shell hangs from when aco cannot tell where the command ran (a session whose
 * folder no record names, or after a `cd` it cannot follow): `/(anywhere)/src/a.py` stands for a file
 * `…/src/a.py` in some folder. Such a write is kept as a folder written below (`writesUnder`): every file whose
 * path ends with `/src/a.py` or passes through it may have changed, and any folder may hold it.
 */
export const ANYWHERE = '/(anywhere)'

/**
 * A relative path from a folder aco cannot name, as a path under ANYWHERE; undefined for the folder itself
 * (`.`, `..`: anything in it). A leading `..` climbs out of an unknown folder into another unknown one, so only
 * what follows it is kept (`../lib/a.py` is some `…/lib/a.py`).
 */
export function floatingPath(word: string): string | undefined {
  const p = word
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .replace(/\\/g, '/')
  if (p === '' || p.startsWith('/') || p.startsWith('~') || /^[A-Za-z]:(?:\/|$)/.test(p)) return undefined
  const parts: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts.length ? `${ANYWHERE}/${parts.join('/')}` : undefined
}

/**
 * Whether `path` may be `dir` or lie below it, where `dir` may be a folder under ANYWHERE: then any path that ends
 * with its rest or passes through it (`/repo/src/a.py` for `/(anywhere)/src/a.py`).
 */
export function mayBeUnder(path: string, dir: string): boolean {
  if (!dir.startsWith(`${ANYWHERE}/`)) return isUnder(path, dir)
  const tail = dir.slice(ANYWHERE.length)
  return path.endsWith(tail) || path.includes(`${tail}/`)
}

/** Whether `path` is `dir` or lies below it. */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return true
  return path === dir || (path.startsWith(dir) && path.charCodeAt(dir.length) === 47)
}

/** A path for people: relative to the session's directory when below it; `~/…` for the home folder's. */
export function displayPath(path: string, cwd?: string): string {
  const base = cwd ? normalisePath(cwd) : UNKNOWN_CWD
  if (path.startsWith(`${base}/`)) return path.slice(base.length + 1)
  if (path.startsWith(`${HOME}/`)) return `~${path.slice(HOME.length)}`
  if (home !== HOME && path.startsWith(`${home}/`)) return `~${path.slice(home.length)}`
  return path
}

/**
 * A search pattern made comparable without changing what it matches: case folded only when the search ignores case.
 * (Its outer spaces stay: `grep -n "^## "` matches no `### …` line, nor `" as "` the word `has`.)
 */
export function normaliseQuery(q: string, ignoreCase = false): string {
  return ignoreCase ? q.toLowerCase() : q
}

/** Temporary files are not part of a project (a path as `normalisePath` gives it). */
export function isTemp(path: string): boolean {
  return path === '/tmp' || path.startsWith('/tmp/') || path.startsWith('/var/tmp/') || path.startsWith('/private/tmp/')
}

/** Languages whose checks (compilers, linters, type-checkers, builds) read only their own kind of source file. */
export type Lang = 'js' | 'python' | 'rust' | 'go' | 'jvm' | 'dotnet' | 'ruby' | 'php' | 'solidity'

/** Source files by extension, and the manifests one language's tools alone read. */
const LANG_OF_EXT: Record<string, Lang> = {}
for (const [lang, exts] of [
  ['js', 'js jsx ts tsx mjs cjs mts cts vue svelte astro css scss sass less'],
  ['python', 'py pyi pyx pxd ipynb'],
  ['rust', 'rs'],
  ['go', 'go'],
  ['jvm', 'java kt kts scala groovy gradle'],
  ['dotnet', 'cs fs vb csproj fsproj sln'],
  ['ruby', 'rb rake gemspec'],
  ['php', 'php'],
  ['solidity', 'sol'],
] as const)
  for (const ext of exts.split(' ')) LANG_OF_EXT[ext] = lang
const LANG_OF_NAME: Record<string, Lang> = {
  'package.json': 'js',
  'package-lock.json': 'js',
  'yarn.lock': 'js',
  'pnpm-lock.yaml': 'js',
  'bun.lockb': 'js',
  'tsconfig.json': 'js',
  'pyproject.toml': 'python',
  'setup.cfg': 'python',
  'uv.lock': 'python',
  'poetry.lock': 'python',
  pipfile: 'python',
  'pipfile.lock': 'python',
  'requirements.txt': 'python',
  'cargo.toml': 'rust',
  'cargo.lock': 'rust',
  'go.mod': 'go',
  'go.sum': 'go',
  gemfile: 'ruby',
  'gemfile.lock': 'ruby',
  'composer.json': 'php',
  node_modules: 'js',
  '.venv': 'python',
  venv: 'python',
  'site-packages': 'python',
}

/**
 * The language whose tools alone read this file (a source file or its manifest) or folder (the packages a manager
 * installed: `node_modules`, a virtualenv); undefined for any other.
 */
export function languageOf(path: string): Lang | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase()
  const byName = LANG_OF_NAME[name]
  if (byName) return byName
  const dot = name.lastIndexOf('.')
  return dot > 0 ? LANG_OF_EXT[name.slice(dot + 1)] : undefined
}

/**
 * A log (`web.log`, `app.log.1`, `nohup.out`, a `.txt`, `.out`, `.err` or `.jsonl` under `logs/`; not the sources of a
 * logging package, `internal/log/logger.go`): a process writes it, started or restarted by
 * commands aco cannot see into. A read of it after one checks what the process did, and the same lines as before are
 * news too (the restart failed the same way): no read across such a command is called unchanged.
 */
export const LOG_FILE = /\.log(?:\.\d+)?$|(?:^|\/)nohup\.out$|\/logs?\/[^/]+\.(?:txt|out|err|jsonl?)$/i

/**
 * A note for an agent or a plan of work (`CLAUDE.md`, `AGENTS.md`, `GEMINI.md`, `.cursorrules`, Copilot's
 * instructions; Spec Kit's `specs/001-x/tasks.md` and `.specify/`): prose that no compiler, type-checker or test runner
 * reads. Not other prose (a README may be a doctest or compiled in, `include_str!`; a test may open `docs/cli.md`), nor
 * such a note where a build or a test may take it as input (below `src/`, `tests/`, `fixtures/`, `examples/`…, judged
 * below `base`, the project's folder: a path elsewhere is judged whole).
 */
export function documentation(path: string, base: string): boolean {
  const rel = base !== '/' && isUnder(path, base) ? path.slice(base.length) : path
  return AGENT_NOTES.test(rel) && !PROSE_AS_INPUT.test(rel)
}

/**
 * Whether a check of code may take prose as its input: a build of a site, a bundle or a Python package (a page in
 * Markdown, a README as the package's description) or a check of JavaScript's (`prettier --check .` formats Markdown);
 * not a compiler of Go, Rust, Java or C#, a type-checker or linter of Python, or a test run.
 */
export function readsProse(action: Action): boolean {
  const langs = action.depsCode
  if (langs?.includes('js')) return true
  if (!action.outputs?.length) return false
  return langs === undefined || langs.includes('python')
}

const AGENT_NOTES =
  /(?:^|\/)(?:(?:CLAUDE|CLAUDE\.local|AGENTS|GEMINI)\.md|\.cursorrules|\.windsurfrules|copilot-instructions\.md)$|(?:^|\/)(?:\.specify|specs)\/(?:[^/]+\/)*[^/]+\.md$/
const PROSE_AS_INPUT =
  /\/(?:src|lib|app|content|pages|posts|_posts|site|public|static|templates?|layouts|_includes|tests?|__tests__|spec|fixtures?|testdata|test-data|examples?|prompts?|skills)\//i

/** The manifests that make a folder one language's project (`frontend/package.json`, `backend/go.mod`). */
const PROJECT_MANIFEST: Record<string, Lang> = {
  'package.json': 'js',
  'pyproject.toml': 'python',
  'setup.py': 'python',
  'setup.cfg': 'python',
  'requirements.txt': 'python',
  'go.mod': 'go',
  'cargo.toml': 'rust',
  'pom.xml': 'jvm',
  'build.gradle': 'jvm',
  'build.gradle.kts': 'jvm',
  gemfile: 'ruby',
  'composer.json': 'php',
}

/** The language whose project a manifest at `path` makes its folder, or undefined. */
export function manifestLang(path: string): Lang | undefined {
  return PROJECT_MANIFEST[path.slice(path.lastIndexOf('/') + 1).toLowerCase()]
}

/** Files that join a folder's projects into one workspace, whose packages read each other's code. */
export function joinsWorkspace(path: string): boolean {
  return /^(?:pnpm-workspace\.yaml|lerna\.json|nx\.json|turbo\.json|rush\.json|go\.work)$/i.test(
    path.slice(path.lastIndexOf('/') + 1),
  )
}

/**
 * Where a check of code ran, when that folder is a project of its own: `dir` holds the check's language's manifest,
 * and nothing in the session joins projects into a workspace. `projects` are the session's other project folders.
 */
export interface CodeScope {
  dir: string
  projects: readonly string[]
}

/**
 * Whether a check of code in `langs` run in its own project (`scope`) may read what changed at `path` (a folder when
 * `folder`): anything but another project's files (`backend/` beside `frontend/`). A file outside every project may
 * be code it imports by a relative path (`shared/`) or data its tests load (`contracts/openapi.yaml`); another
 * language's sources the caller leaves out (`foreignTo`).
 */
export function inScope(scope: CodeScope, path: string, folder: boolean): boolean {
  const dir = scope.dir
  if (isUnder(path, dir)) return true
  if (isUnder(dir, folder ? path : path.slice(0, Math.max(path.lastIndexOf('/'), 1)))) return true
  return !scope.projects.some(p => isUnder(path, p) && !isUnder(dir, p))
}

/**
 * Whether a check of code in `langs` cannot read the file: it is another language's source or manifest
 * (a `.py` file for `tsc`, a `.tsx` file for `mypy`), or, given the folder it ran in (`docsBase`: see `readsProse`), a
 * document for people there. Data, configuration, templates and unknown files may be read by anything.
 */
export function foreignTo(langs: readonly Lang[], path: string, docsBase?: string): boolean {
  if (docsBase !== undefined && documentation(path, docsBase)) return true
  const lang = languageOf(path)
  return lang !== undefined && !langs.includes(lang)
}

/**
 * The relative `path` as a command of the line named it: resolved against the folder that command ran in, one of its
 * words (`cat go.sum; cd api && make`: the top folder's go.sum), when exactly one such path is found.
 */
export function namedIn(action: Action, path: string): string | undefined {
  const rel = path.replace(/^\.\//, '').replace(/\/+$/, '')
  if (!rel || /^(?:[/~]|[A-Za-z]:)/.test(rel) || rel.startsWith('../')) return undefined
  const parts = action.parts ?? []
  const dirs = action.partDirs ?? []
  let found: string | undefined
  for (let k = 0; k < parts.length; k++) {
    const part = ` ${parts[k]!} `
    // The folder the part ran in, and those its commands name as theirs (`@/app/web cat …` of `bash -lc 'cd web &&
    // cat …'`, a folder the line's own `cd` did not enter).
    const tried = new Set<string>()
    if (dirs[k] !== undefined) tried.add(dirs[k]!)
    for (const m of part.matchAll(/ @(\/\S*) /g)) tried.add(m[1]!)
    for (const dir of tried) {
      const candidate = normalisePath(rel, dir)
      // (Whole words only; a path may hold spaces: `cd 'my app' && cat config.json`.)
      if (!part.includes(` ${candidate} `)) continue
      if (found !== undefined && found !== candidate) return undefined
      found = candidate
    }
  }
  return found
}
