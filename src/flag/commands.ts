/**
 * The shell-command model: which files a command line reads, shows, searches,
 * lists and writes. Commands are parsed into simple commands (`shell.ts`) and
 * each is classified by what it is known to do (`cat` shows a file, `sed -i`
 * rewrites one, `pytest` reads the tree and writes no source, `pip install`
 * changes the environment); pipes compose (`nl f | sed -n 10,20p` shows lines
 * 10–19 of f, `find . | xargs grep -l x` searches what find listed). A command
 * aco does not know, or a path it cannot resolve (a variable, `cd $(…)`), is
 * answered "may write anything": the model never guesses that a command left
 * files alone.
 */
import {codeEffects} from './code.js'
import {
  type Action,
  ANYWHERE,
  emptyAction,
  floatingPath,
  type FileRead,
  type FileWrite,
  changesEnvironment,
  isTemp,
  isUnder,
  type Lang,
  normalisePath,
  packageKey,
  normaliseQuery,
  type Range,
  type ScriptRun,
  type Search,
  WHOLE,
} from './effects.js'
import type {SyntaxStop} from './output.js'
import {commandName, parseShell, parseUntilQuote, type SimpleCommand} from './shell.js'
import {escapeRegExp} from '../util/text.js'

/** Lines that submit an agent's final answer (mini-swe-agent, SWE-agent): required by the harness, never waste. */
const SUBMIT_MARKERS = ['COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT', 'MINI_SWE_AGENT_FINAL_OUTPUT']

/** The core of a command that does nothing. */
const NOTHING = /^@[^ ]* (?:true|:|exit(?: 0)?)$/

/** Commands that change nothing and whose output depends only on the files they name (or on nothing). */
const LOOKERS = new Set([
  'wc',
  'file',
  'stat',
  'du',
  'df',
  'pwd',
  'which',
  'whereis',
  'type',
  'whoami',
  'env',
  'printenv',
  'uname',
  'id',
  'hostname',
  'true',
  ':',
  'exit',
  'false',
  'test',
  '[',
  '[[',
  'diff',
  'cmp',
  'sort',
  'uniq',
  'cut',
  'tr',
  'column',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'jq',
  'yq',
  'xxd',
  'hexdump',
  // (macOS's base64 writes a file given `-o`: see below.)
  'base64',
  'base32',
  'basenc',
  'od',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'shasum',
  'cksum',
  'strings',
  'awk',
  'gawk',
  'comm',
  'join',
  'paste',
  'fold',
  'fmt',
  'rev',
  'expr',
  'seq',
  'yes',
  'history',
  'alias',
  'export',
  'set',
  'unset',
  // Builtins that change only the shell's own variables or flow.
  'let',
  'declare',
  'typeset',
  'local',
  'readonly',
  'shift',
  'getopts',
  'return',
  'break',
  'continue',
  'trap',
  'shopt',
  'read',
  'ulimit',
  'umask',
  'clear',
  'tput',
  'locale',
  // macOS: Spotlight's index searched, a file's metadata, the system's version.
  'mdfind',
  'mdls',
  'sw_vers',
  'nproc',
  'free',
  'lscpu',
  'command',
  'hash',
  'help',
  'man',
  'info',
  'printf',
  'echo',
  'file',
  'get-command',
  'write-host',
  'write-output',
  'measure-object',
  'select-object',
  'format-table',
  'format-list',
  'out-string',
  'out-null',
  'test-path',
  'resolve-path',
  'split-path',
  'join-path',
  'get-item',
  'get-itemproperty',
  'get-location',
  'get-filehash',
  'format-hex',
  'get-acl',
  'compare-object',
  'sort-object',
  'group-object',
  'convertfrom-json',
  'convertto-json',
])

/** Commands whose output changes with time, processes or the network: a repeat may be polling. */
const VOLATILE = new Set([
  'date',
  'ps',
  'top',
  'htop',
  'lsof',
  'netstat',
  'ss',
  'uptime',
  'curl',
  'wget',
  'http',
  'ping',
  'nc',
  'jobs',
  'docker',
  'docker-compose',
  'kubectl',
  'systemctl',
  'journalctl',
  'pgrep',
  'nvidia-smi',
  'get-process',
  'get-date',
  'invoke-webrequest',
  'invoke-restmethod',
])

/** What `docker`, `docker compose`, `kubectl` and `systemctl` only look with. */
const CONTAINER_LOOKS = new Set([
  'ps',
  'images',
  'logs',
  'get',
  'describe',
  'status',
  'inspect',
  'top',
  'ls',
  'version',
  'port',
  'stats',
])

/** What `docker compose` does to images alone: no file of the host is written. */
const IMAGE_ONLY = new Set(['build', 'pull', 'push'])

/** Global options of docker, docker compose and kubectl that take a value (`-f x.yml`, `--env-file .env`, `-n ns`). */
const CONTAINER_VALUE_OPTIONS = new Set([
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--profile',
  '--project-directory',
  '--env-file',
  '--ansi',
  '--progress',
  '--parallel',
  '--context',
  '-H',
  '--host',
  '--config',
  '-l',
  '--log-level',
  '-n',
  '--namespace',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
])

/** Where the subcommand is among `w` from `from`, past global options and their values. */
function subcommandAt(w: readonly string[], from: number): number {
  let k = from
  while (k < w.length && w[k]!.startsWith('-')) k += CONTAINER_VALUE_OPTIONS.has(w[k]!) ? 2 : 1
  return k
}

/**
 * `docker compose config`: prints the compose files as resolved, with their variables filled from the env file. It
 * writes nothing, and its output depends on those files alone (`-f`, `--env-file`; without them, the folder's).
 */
function composeConfig(cmd: SimpleCommand, at: number, state: State): Stream {
  const a = state.action
  a.volatile = false
  const w = cmd.words
  // `config -o merged.yml` writes the resolved file there.
  const o = w.findIndex((x, k) => k > at && (x === '-o' || x === '--output' || x.startsWith('--output=')))
  if (o !== -1) {
    const x = w[o]!
    const inline = x.startsWith('--output=')
    write(state, inline ? x.slice(9) : w[o + 1], inline ? cmd.dynamic[o] : cmd.dynamic[o + 1])
  }
  let named = false
  for (let k = 1; k < at; k++) {
    const x = w[k]!
    if (x === '-f' || x === '--file' || x === '--env-file') {
      const p = pathArg(w[k + 1], cmd.dynamic[k + 1], state)
      if (!p) {
        a.depsAny = true
        return {type: 'opaque'}
      }
      a.deps.push(p)
      if (x !== '--env-file') named = true
    } else if (x === '--project-directory' || x.startsWith('--file=') || x.startsWith('--env-file=')) {
      a.depsAny = true
      return {type: 'opaque'}
    }
  }
  // The compose file and `.env` of the folder it runs in.
  if (!named || !w.slice(1, at).includes('--env-file')) {
    if (state.dir === undefined) a.depsAny = true
    else a.deps.push(state.dir)
  }
  return {type: 'opaque'}
}

/**
 * A `while`/`until` loop that sleeps in its body: it waits for something (a log line, a port, a file). The words are
 * looked for one after another (linear in the line's length, whatever it holds).
 */
function pollingLoop(line: string): boolean {
  let at = 0
  for (const word of POLL_WORDS) {
    word.lastIndex = at
    const m = word.exec(line)
    if (!m) return false
    at = m.index + m[0].length
  }
  return true
}

const POLL_WORDS = [/(?<![\w-])(?:until|while)\s/g, /(?<![\w-])do\s/g, /(?<![\w-])sleep\s/g, /(?<![\w-])done\b/g]

/**
 * A PowerShell line with its unquoted paths through a folder named in parentheses (Next.js route groups:
 * `src/app/(dashboard)/page.tsx`) quoted: PowerShell passes such a path on as one word, where a shell would read a
 * subshell (and bash or zsh stop at it).
 */
export function quoteGroupedPaths(line: string): string {
  return line.includes('/(') ? line.replace(GROUPED_PATH, "$1'$2'") : line
}

const GROUPED_PATH = /(^|[\s=])((?:[\w.~-]+\/)+\([\w.-]+\)(?:\/[\w.()[\]-]+)*)(?=$|[\s;|&])/g

/**
 * A shell line with the words zsh reported matching nothing quoted where they stand unquoted (see `unmatchedWords`):
 * each is one path, as zsh read it, where bash would read a subshell or a pattern.
 */
export function quoteWords(line: string, words: readonly string[]): string {
  let out = line
  for (const word of words) {
    if (word.includes("'")) continue
    let quote = ''
    let next = ''
    for (let i = 0; i < out.length; i++) {
      const c = out[i]!
      if (c === '\\' && quote !== "'") {
        next += out.slice(i, i + 2)
        i++
      } else if (quote) {
        if (c === quote) quote = ''
        next += c
      } else if (c === "'" || c === '"') {
        quote = c
        next += c
      } else if (
        out.startsWith(word, i) &&
        BEFORE_WORD.test(out[i - 1] ?? ' ') &&
        AFTER_WORD.test(out[i + word.length] ?? ' ')
      ) {
        next += `'${word}'`
        i += word.length - 1
      } else next += c
    }
    out = next
  }
  return out
}

const BEFORE_WORD = /[\s=;|&(]/
const AFTER_WORD = /[\s;|&)]/

/** Commands that only control processes or the terminal. */
const PROCESS = new Set([
  'kill',
  'pkill',
  'killall',
  'disown',
  'wait',
  'fg',
  'bg',
  'open',
  'xdg-open',
  'start',
  'sleep',
])

/** Wrappers that run the command after them (with their own options). */
const WRAPPERS: Record<string, number> = {
  sudo: 0,
  time: 0,
  nice: 0,
  nohup: 0,
  setsid: 0,
  exec: 0,
  stdbuf: 0,
  unbuffer: 0,
  'xvfb-run': 0,
  timeout: 1,
  chronic: 0,
}

/** `git rev-parse` flags that ask where the repository is, not what it holds. */
const GIT_LAYOUT_FLAGS = new Set([
  '--git-dir',
  '--absolute-git-dir',
  '--git-common-dir',
  '--show-toplevel',
  '--show-prefix',
  '--show-cdup',
  '--is-inside-work-tree',
  '--is-inside-git-dir',
  '--is-bare-repository',
])

/** git subcommands that only look, and only at git's own state (history, refs, objects, config): no working-tree file. */
const GIT_STATE_LOOK = new Set([
  'log',
  'show',
  'rev-parse',
  'ls-tree',
  'describe',
  'shortlog',
  'reflog',
  'cat-file',
  'whatchanged',
  'name-rev',
  'rev-list',
  'merge-base',
  'for-each-ref',
  'show-ref',
  'var',
  'help',
  'version',
])
/** git subcommands that only look, at the working tree as well as at git's state. */
const GIT_LOOK = new Set(['status', 'diff', 'ls-files', 'blame', 'check-ignore'])
/** git subcommands that change files in the working tree. */
const GIT_TREE = new Set([
  'checkout',
  'switch',
  'restore',
  'reset',
  'merge',
  'rebase',
  'pull',
  'cherry-pick',
  'revert',
  'clean',
  'am',
  'apply',
  'rm',
  'mv',
  'stash',
  'clone',
  'submodule',
  'worktree',
  'bisect',
])

/** Test runners: read the tree, write no source file (caches aside). */
const TEST_RUNNERS = new Set([
  'pytest',
  'py.test',
  'jest',
  'vitest',
  'mocha',
  'ava',
  'tap',
  'rspec',
  'phpunit',
  'nosetests',
  'tox',
  'nox',
  'karma',
  'cypress',
  'playwright',
])
/** The language whose tests each runner runs (absent: tests of anything, or of a running app). */
const TEST_LANG: Record<string, Lang> = {
  pytest: 'python',
  'py.test': 'python',
  nosetests: 'python',
  jest: 'js',
  vitest: 'js',
  mocha: 'js',
  ava: 'js',
  tap: 'js',
  karma: 'js',
  rspec: 'ruby',
  phpunit: 'php',
}
/** The language a build tool's `test` runs the tests of (`mix`, `swift`: none aco tells apart). */
const BUILD_TOOL_LANG: Record<string, Lang> = {
  cargo: 'rust',
  go: 'go',
  dotnet: 'dotnet',
  mvn: 'jvm',
  gradle: 'jvm',
  gradlew: 'jvm',
}
/** Checkers: read the files they are given (or the tree), write nothing. */
const CHECKERS = new Set([
  'tsc',
  'eslint',
  'ruff',
  'flake8',
  'pylint',
  'mypy',
  'pyright',
  'pyflakes',
  'pycodestyle',
  'shellcheck',
  'hadolint',
  'stylelint',
  'biome',
  'black',
  'isort',
  'prettier',
  'rubocop',
  'golint',
  'staticcheck',
  'gofmt',
  'goimports',
  'clippy',
  'markdownlint',
  'yamllint',
  'codespell',
  'bandit',
  'sqlfluff',
  'xmllint',
])
/** Package managers: they change the environment (and, for JavaScript, node_modules and the manifest). */
const INSTALLERS = new Set([
  'pip',
  'pip3',
  'uv',
  'conda',
  'mamba',
  'micromamba',
  'poetry',
  'pipenv',
  'pipx',
  'apt',
  'apt-get',
  'brew',
  'yum',
  'dnf',
  'apk',
  'gem',
  'bundle',
])
const JS_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun'])
/** The language whose packages an installer changes; none named: it may install anything (apt, brew, conda). */
const INSTALLER_LANG: Partial<Record<string, Lang[]>> = {
  pip: ['python'],
  pip3: ['python'],
  uv: ['python'],
  poetry: ['python'],
  pipenv: ['python'],
  gem: ['ruby'],
  bundle: ['ruby'],
}
const PYTHONS = /^(?:python(?:\d(?:\.\d+)?)?|pypy3?)$/

/** What flows through a pipeline: the output of the commands so far. */
type Stream =
  | {type: 'read'; path: string; range?: Range; file: string; last?: number; raw?: boolean}
  | {type: 'search'; search: Search}
  | {type: 'literal'; text?: string}
  | {type: 'opaque'}
  /** Files shown one after the other (`cat a b`, `head -20 a b`): each read as alone, when nothing consumes them. */
  | {type: 'reads'; reads: FileRead[]; each?: boolean}
  | undefined

interface State {
  action: Action
  /** The current directory, or undefined once a `cd` went somewhere aco cannot tell. */
  dir: string | undefined
  /** The directory the command line started in (the project, when it `cd`s below it). */
  root?: string
  depth: number
  /** Set by a command that only runs another (`bash -c "…"`, `python -c "subprocess.run([…])"`): the inner command's parts. */
  wrapped?: string[]
  /**
   * Where the commands run once `dir` is unknown, as far as the line tells (`cd YudaiV3` from an unknown folder:
   * `?/YudaiV3`): `ls -la` there is not `ls -la` where the session started.
   */
  lost?: string
  /**
   * Set by a command whose result follows from the files it names alone, every one resolved (`python -m py_compile
   * a.py`, `node --check app.js`): run from another folder on the same files, it is the same run.
   */
  filesOnly?: boolean
  /** The line sets HOME (or runs as another user, see OWN_HOME): `$HOME` and `~` are not the user's home folder there. */
  ownHome?: boolean
}

/**
 * Classifies a shell command line run in `cwd`. `stop`: where the shell stopped at a syntax error (see
 * `syntaxError`): it runs a script one complete command at a time, so nothing from that line on ran. Agents meet
 * this when they put their prose, apostrophes and all, into the command.
 */
export function classifyShell(line: string, cwd: string | undefined, depth = 0, stop?: SyntaxStop): Action {
  // A line run by one that set HOME (`HOME=/tmp/h bash -c '…'`, `sudo sh -c '…'`) has that HOME too.
  const ownHome = (depth > 0 && homeAbove) || OWN_HOME.test(line)
  const before = homeAbove
  homeAbove = ownHome
  try {
    return classifyLine(line, cwd, depth, stop, ownHome)
  } finally {
    homeAbove = before
  }
}

/**
 * Whether the line sets HOME for what it runs (`HOME=/tmp/h cmd`, `export HOME=…`, `env HOME=…`), or runs it as another
 * user (`sudo`, `su`): `~` and `$HOME` are not the session user's home folder there.
 */
const OWN_HOME = /(?:^|[\s;&|(])HOME=|(?:^|[\s;&|(])(?:sudo|su|doas)(?:\s|$)/
/** Set while the commands of a line that set HOME are read (see classifyShell). */
let homeAbove = false

/**
 * Set while a line is read whose output reports programs the shell could not find (see `withAbsentPrograms`): how
 * many runs of each it reported.
 */
let absentPrograms: Map<string, number> | undefined

/**
 * Classifies with `absent` taken for programs the shell could not find (`bash: cargo: command not found`): a command
 * naming one ran nothing, so it wrote nothing, whatever it would have done. As many of its runs as the shell reported,
 * the first ones: `black f || (pip install black && black f)` reported once ran the second (review 56).
 */
export function withAbsentPrograms<T>(absent: readonly string[] | undefined, classify: () => T): T {
  if (!absent?.length) return classify()
  const before = absentPrograms
  absentPrograms = new Map()
  for (const name of absent) absentPrograms.set(name, (absentPrograms.get(name) ?? 0) + 1)
  try {
    return classify()
  } finally {
    absentPrograms = before
  }
}

/** Whether this run of a program is one the shell reported it could not find (counting it off). */
function reportedAbsent(cmd: SimpleCommand): boolean {
  const word = cmd.words[0]
  if (!absentPrograms || cmd.dynamic[0] || word === undefined) return false
  const left = absentPrograms.get(word) ?? 0
  if (left === 0) return false
  absentPrograms.set(word, left - 1)
  return true
}

function classifyLine(
  line: string,
  cwd: string | undefined,
  depth: number,
  stop: SyntaxStop | undefined,
  ownHome: boolean,
): Action {
  const action = emptyAction('run')
  if (SUBMIT_MARKERS.some(m => line.includes(m))) return emptyAction('other')
  // (Not where bash named a line of the command: the rewrite moves lines.)
  if (!stop && (line.includes("'@") || line.includes('"@') || line.includes('$_') || line.includes('{1}')))
    line = powershellIdioms(line)
  if (!stop && PS_LITERAL_VAR.test(line)) line = powershellVariables(line)
  if (!stop && line.includes('::ReadAll')) line = line.replace(DOTNET_READ, dotnetRead)
  const commands = untilExit(stop ? stoppedCommands(line, stop) : parseShell(line))
  const dir = cwd === undefined ? undefined : normalisePath(cwd)
  const state: State = {action, dir, root: dir, depth, ownHome}
  const parts: string[] = []
  const cores: string[] = []
  const bare: string[] = []
  const assigns: string[] = []
  const exports: string[] = []
  let lastDir = dir
  let ranDirs = 0
  /** The subshells the commands are inside, each with the folder at its `(`. */
  const entered: Array<{group: number; dir: string | undefined}> = []
  const partDirs: Array<string | undefined> = []
  /** The subshells and `{ …; }` groups opened right after `||`: what runs in them runs only when what came before failed. */
  const fallbackGroups = new Set<number>()
  /** The subshells and groups met so far, each with the folder where it began (a group's redirect opens its file there). */
  const openedGroups = new Map<number, string | undefined>()
  let i = 0
  while (i < commands.length) {
    let j = i + 1
    while (j < commands.length && commands[j]!.piped) j++
    const slice = commands.slice(i, j)
    // A subshell left: the folder its `cd` entered is left too (`(cd web && npm ci); python app.py`, and before the next
    // one, `(cd web && x) && (cd api && y)`).
    const groups = slice[0]!.subshell ?? NO_GROUPS
    while (entered.length && (entered.length > groups.length || entered.at(-1)!.group !== groups[entered.length - 1]))
      state.dir = entered.pop()!.dir
    // (A subshell or group opened by this command right after `||`: all of it runs only when what came before failed.)
    const blocks = slice[0]!.blocks ?? NO_GROUPS
    for (const g of [...groups, ...blocks])
      if (!openedGroups.has(g)) {
        openedGroups.set(g, state.dir)
        if (slice[0]!.after === '||') fallbackGroups.add(g)
      }
    // (`{ cd web; cat a; } > out.txt` writes ./out.txt: the file is opened before the group runs, review 77.)
    const outputOf = slice[0]!.groupOutput
    const movedTo = outputOf !== undefined && openedGroups.has(outputOf) ? state.dir : undefined
    if (outputOf !== undefined && openedGroups.has(outputOf)) state.dir = openedGroups.get(outputOf)
    while (entered.length < groups.length) entered.push({group: groups[entered.length]!, dir: state.dir})
    const wrote = action.writes.length
    const under = action.writesUnder.length
    const scratched = action.scratch?.length ?? 0
    // Where it runs (not a `cd` alone, which only moves on: `cd .. && ls` lists the folder above; nor what only sets
    // the environment, `source .venv/bin/activate`). Of commands run in several folders, none is the line's.
    if (!(slice.length === 1 && movesOnly(commandName(slice[0]!)))) {
      if (ranDirs === 0 || state.dir !== lastDir) ranDirs++
      lastDir = state.dir
    }
    const ranAt = state.dir
    const read = action.reads.length
    const searched = action.searches.length
    const p = pipeline(slice, state)
    if (movedTo !== undefined) state.dir = movedTo
    // What runs after `||` runs only when what came before it failed (`cat s.json | python3 -c … || cat s.json | head
    // -30`), a subshell opened there all of it (`|| (echo none && cat s.json)`): its reads and searches are no lines
    // the output surely shows, nor a look again (fresh361: the fallback's `head -30` counted as shown after the python
    // summary had printed three lines). What it reads is still read from.
    const fallback =
      slice[0]!.after === '||' || groups.some(g => fallbackGroups.has(g)) || blocks.some(g => fallbackGroups.has(g))
    if (fallback && p) action.fallbackParts = [...(action.fallbackParts ?? []), p.part]
    // (So does what a group sent on after it, into a pipe, `{ cat a; cat b; } | grep x`, where what the pipe let through
    // is not told, or into a file.)
    if ((fallback || slice[0]!.sentOn) && (action.reads.length > read || action.searches.length > searched)) {
      for (let k = read; k < action.reads.length; k++)
        if (!action.deps.includes(action.reads[k]!.path)) action.deps.push(action.reads[k]!.path)
      action.reads.length = read
      action.searches.length = searched
    }
    // What a pipeline left running writes, it may go on writing (`npm run dev > dev.log &`); not what runs before it
    // and ends (`mkdir -p logs && nohup …`, `echo $! > .pid`).
    if (slice.some(leavesRunning)) {
      for (let k = wrote; k < action.writes.length; k++) action.writes[k]!.background = true
      // (Its log a temporary file too: `nohup npm run dev > /tmp/dev.log 2>&1 &`.)
      for (let k = scratched; k < (action.scratch?.length ?? 0); k++) action.scratch![k]!.background = true
      if (action.writesUnder.length > under) {
        action.backgroundUnder ??= []
        action.backgroundUnder.push(...action.writesUnder.slice(under))
      }
    }
    if (p) {
      parts.push(p.part)
      partDirs.push(ranAt)
      cores.push(p.core)
      if (p.bareCore) bare.push(p.bareCore)
      assigns.push(...p.assigns)
    }
    // `export A=1` sets A for the rest of this command and for the commands after it.
    // (PowerShell's `$env:A = 1` too.)
    for (const c of slice)
      if (commandName(c) === 'export') {
        for (const w of c.words.slice(1)) if (ASSIGNMENT.test(w)) exports.push(w)
      } else if (powershellAssignment(c)) exports.push(powershellExport(c))
    i = j
  }
  action.parts = parts
  action.partDirs = partDirs
  action.ranFrom = dir
  action.ranIn = ranDirs === 1 ? lastDir : undefined
  // (Not when the line waits for what it sent to the background: `a & b & wait`.)
  if (commands.some(leavesRunning) && !commands.some(c => commandName(c) === 'wait')) action.detached = true
  // `sleep 60` alone waits for time to pass: what a call after it sees may differ.
  if (commands.length && commands.every(c => commandName(c) === 'sleep')) action.volatile = true
  // `until grep -q Started app.log; do sleep 1; done`: a loop that waits for something to happen polls; what it
  // finds depends on when it runs.
  if (pollingLoop(line)) action.volatile = true
  // `sleep 30 && tail -15 run.log`: it waits for something to happen, then looks.
  for (let k = 0; k < commands.length - 1; k++)
    if (commandName(commands[k]!) === 'sleep' && Number(commands[k]!.words[1]?.replace(/[smh]$/, '')) > 0) {
      action.volatile = true
      break
    }
  // A line that runs nothing (a comment) or only commands that do nothing (`true`, `:`, `exit 0`) is one call in
  // effect, however it is written.
  action.core =
    commands.length === 0 ||
    (cores.length > 0 && cores.every(c => NOTHING.test(c))) ||
    (cores.length === 0 && commands.every(c => NOTHING.test(`@ ${c.words.join(' ')}`)))
      ? '(nothing)'
      : cores.join(' ; ')
  if (assigns.length || exports.length) {
    action.bareCore = bare.join(' ; ')
    action.assigns = [...assigns, ...exports]
  }
  if (exports.length) action.exports = exports
  action.kind = kindOf(action)
  return action
}

/**
 * A command left running when the line returns: sent to the background (`cmd &`, `nohup cmd &`), or started detached
 * by a terminal multiplexer or `setsid` (`tmux new-session -d "…"`, `screen -dmS name …`).
 */
function leavesRunning(c: SimpleCommand): boolean {
  const name = commandName(c)
  if (c.background) return !PROCESS.has(name)
  if (name === 'setsid') return true
  if (name === 'tmux')
    return c.words.some(w => w === 'new-session' || w === 'new') && c.words.some(w => /^-\w*d/.test(w))
  if (name === 'screen') return c.words.some(w => /^-\w*d/.test(w))
  return false
}

/** The shell's tests, and the flags by which one asks about a file (`-f`, `-d`, `-e`, `-s`…). */
const FILE_TESTS = new Set(['test', '[', '[['])
/** Lookers whose words are no files. */
const NOT_FILES = new Set([
  'echo',
  'printf',
  'basename',
  'dirname',
  'expr',
  'seq',
  'date',
  'true',
  ':',
  'false',
  'exit',
])
const FILE_TEST_FLAG = /^-[abcdefghkprsuwxGLNOS]$/

/**
 * The command line a terminal multiplexer starts detached: tmux's last words after its options (`new-session -d -s
 * NAME -c DIR "CMD"`), screen's words after its options (`-dmS NAME CMD ARGS`); undefined when there is none.
 */
function detachedLine(cmd: SimpleCommand, name: string): string | undefined {
  const w = cmd.words
  const takesValue = name === 'tmux' ? /^-[sntcxyeFf]$/ : /^-(?:S|L|Logfile|c|p|T|h)$/
  let k = name === 'tmux' ? 2 : 1
  for (; k < w.length && w[k]!.startsWith('-'); k++) {
    if (takesValue.test(w[k]!) || (name === 'screen' && /^-\w*S$/.test(w[k]!))) k++
  }
  return k < w.length && !cmd.dynamic.slice(k).some(Boolean) ? w.slice(k).join(' ') : undefined
}

/**
 * What `cmd /c LINE` runs, when LINE is one of cmd's commands that only look (`type f`, `more f`, `findstr /n x f`,
 * `dir /b d`), as the shell command that does the same (`cat f`, `grep -n x f`, `ls d`); undefined for any other, and
 * for options not read here (findstr's `/r`, a regular expression). findstr's pattern is its words, any of which may
 * match (`/c:"a b"`: the whole string).
 */
function cmdBuiltin(cmd: SimpleCommand): SimpleCommand | undefined {
  const rest = cmd.words.slice(2)
  const dynamic = cmd.dynamic.slice(2)
  const name = (rest[0] ?? '').toLowerCase()
  const args = rest.slice(1)
  const operands = args.filter(x => !x.startsWith('/'))
  const options = args.filter(x => x.startsWith('/')).map(x => x.toLowerCase())
  const make = (words: string[], dyn: boolean[]): SimpleCommand => ({...cmd, words, dynamic: dyn})
  if ((name === 'type' || name === 'more') && options.length === 0 && operands.length)
    return make(['cat', ...operands], [false, ...dynamic.slice(1).filter((_, k) => !args[k]!.startsWith('/'))])
  if (name === 'dir' && options.every(o => o === '/b') && operands.length <= 1)
    return make(['ls', ...operands], [false, ...dynamic.slice(1).filter((_, k) => !args[k]!.startsWith('/'))])
  // Any other `dir` (`/a`, `/s`, `/o:d`…) only looks: its entries with their sizes and times, in a layout of its own
  // (a volume header, a summary), read as a look at those paths, not as a listing of names (fresh281 #141).
  if (name === 'dir')
    return make(['stat', ...operands], [false, ...dynamic.slice(1).filter((_, k) => !args[k]!.startsWith('/'))])
  if (name === 'findstr' && operands.length >= 1) {
    const flags: string[] = []
    let literal: string | undefined
    for (const o of options) {
      if (o === '/n') flags.push('-n')
      else if (o === '/i') flags.push('-i')
      else if (o === '/s') flags.push('-r')
      else if (o.startsWith('/c:')) literal = args.find(x => x.toLowerCase() === o)!.slice(3)
      else if (o !== '/l') return undefined
    }
    const [pattern, ...files] = literal === undefined ? operands : [literal, ...operands]
    if (pattern === undefined || !files.length || dynamic.slice(1).some(Boolean)) return undefined
    // Its words, any of them (not under /c:), each matched as written.
    const words = literal === undefined ? pattern.split(/\s+/).filter(Boolean) : [pattern]
    const alternatives = words.map(x => (x === '^' || x === '$' ? x : escapeRegExp(x)))
    return make(
      ['grep', ...flags, '-E', alternatives.join('|'), ...files],
      [false, ...flags.map(() => false), false, false, ...files.map(() => false)],
    )
  }
  return undefined
}

/** The commands up to an `exit` the shell always reaches (not after `&&`/`||`, not inside `if` or a loop): none after it run. */
function untilExit(commands: SimpleCommand[]): SimpleCommand[] {
  for (let k = 0; k < commands.length; k++) {
    const c = commands[k]!
    if (c.nested || c.piped || (c.after !== '' && c.after !== ';') || commandName(c) !== 'exit') continue
    return k + 1 < commands.length ? commands.slice(0, k + 1) : commands
  }
  return commands
}

/** What in a PowerShell script block writes, or runs something that may: a cmdlet or alias, a redirection, `&`. */
const PS_BLOCK_WRITES =
  /(?:^|[\s{;|(])(?:set-content|add-content|out-file|remove-item|rm|del|erase|rd|rmdir|ri|move-item|mv|move|mi|copy-item|cp|copy|cpi|new-item|ni|mkdir|md|rename-item|ren|rni|set-item|si|clear-content|clc|clear-item|tee-object|tee|invoke-expression|iex|start-process|saps|start|invoke-item|ii|export-csv|export-clixml|expand-archive|compress-archive)(?=$|[\s;}|)])|>|&\s*[$'"\w.]/i

/**
 * .NET's file reads called from PowerShell, alone on the line or piped on (`[System.IO.File]::ReadAllText('a.ps1')`,
 * `[IO.File]::ReadAllLines("x.txt", [Text.Encoding]::UTF8)`): Get-Content of the file, which is what they print.
 */
const DOTNET_READ =
  /^(\s*)\[(?:System\.)?IO\.File\]::ReadAll(Text|Lines)\(\s*(['"])([^'"$`]+)\3\s*(?:,\s*\[(?:System\.)?Text\.Encoding\]::\w+\s*)?\)(?=\s*(?:\||$))/i

function dotnetRead(_all: string, space: string, what: string, quote: string, path: string): string {
  return `${space}Get-Content${what.toLowerCase() === 'text' ? ' -Raw' : ''} ${quote}${path}${quote}`
}

/**
 * PowerShell lines Codex runs on Windows, as the shell commands they are in effect: a script in a literal
 * here-string piped into `powershell -Command -` is that script (PowerShell's backslashes are path separators); a
 * file's lines numbered by a counter (`$i=1; Get-Content f | ForEach-Object { '{0,4}: {1}' -f $i, $_; $i++ }`, or
 * `$i=0; … { $i++; … }`, or `"$i: $_"`) are `nl -ba f` when the first number printed is 1, the file's own line
 * numbers. A here-string in double quotes is expanded by the shell that pipes it: not read.
 */
function powershellIdioms(line: string): string {
  const here = PIPED_HERE_STRING.exec(line)
  const text = here
    ? here[1]!.replace(/\\/g, '/')
    : line
        .replace(HERE_STRING_VAR_TO_FILE, hereStringVarToFile)
        .replace(HERE_STRING_VALUE_TO_FILE, hereStringValueToFile)
        .replace(HERE_STRING_TO_FILE, hereStringToFile)
        .replace(HERE_STRING_TO_COMMAND, hereStringToCommand)
  if (!text.includes('$_') && !text.includes('{1}')) return text
  return text
    .replace(COUNTED_CONTENT, (all, counter: string, start: string, file: string, first: string, block: string) => {
      if (firstNumber(block, counter, Number(start)) !== 1) return all
      return first === undefined ? `nl -ba ${file}` : `nl -ba ${file} | sed -n '1,${Number(first)}p'`
    })
    .replace(NUMBERED_RANGE, (all, _lines, file: string, _i, from: string, to: string) => {
      const [a, b] = [Number(from), Number(to)]
      return a >= 1 && b >= a ? `nl -ba ${file} | sed -n '${a},${b}p'` : all
    })
}

/**
 * The number a ForEach-Object block that only counts and prints prints first, its counter starting at `start`: the
 * block is one increment of the counter (`$i++`, `$i += 1`) and one line printed of the counter and `$_` (`'{0,4}:
 * {1}' -f $i, $_`, `"$i: $_"`), in either order. Undefined for any other block (it may do anything).
 */
function firstNumber(block: string, counter: string, start: number): number | undefined {
  if (/['"][^'"]*;[^'"]*['"]/.test(block)) return undefined
  const statements = block
    .split(';')
    .map(x => x.trim())
    .filter(Boolean)
  if (statements.length !== 2) return undefined
  const v = `\\$${counter}`
  const increment = new RegExp(`^${v}(?:\\+\\+|\\s*\\+=\\s*1|\\s*=\\s*${v}\\s*\\+\\s*1)$`, 'i')
  const format = new RegExp(
    `^(?:(['"])[^'"]*\\{0(?:,\\s*-?\\d+)?\\}[^'"]*\\{1\\}[^'"]*\\1\\s*-f\\s*${v}\\s*,\\s*\\$_|"[^"]*\\$(?:\\{${counter}\\}|${counter}\\b)[^"$]*\\$_\\s*")$`,
    'i',
  )
  const [a, b] = statements as [string, string]
  if (increment.test(a) && format.test(b)) return start + 1
  if (format.test(a) && increment.test(b)) return start
  return undefined
}

/**
 * A literal here-string piped into `Set-Content f`, `Out-File f` or `Add-Content f`: the file written whole (or
 * appended to) with that text and a line break, as `cat > f <<'EOF'` writes it.
 */
const HERE_STRING_TO_FILE =
  /@'\r?\n([\s\S]*?)\r?\n'@[ \t]*\|[ \t]*(Set-Content|Out-File|Add-Content)((?:[ \t]+-(?:Encoding[ \t]+[\w-]+|NoNewline|Force|Append))*)(?:[ \t]+-(?:Path|LiteralPath|FilePath))?[ \t]+('[^'\n]*'|"[^"$`\n]*"|[^\s|;'"-][^\s|;'"]*)((?:[ \t]+-(?:Encoding[ \t]+[\w-]+|NoNewline|Force|Append))*)[ \t]*(?:;|(?=\r?\n|$))/gi

function hereStringToFile(
  all: string,
  body: string,
  verb: string,
  before: string,
  file: string,
  options: string,
): string {
  if (body.split(/\r?\n/).includes(HERE_DELIMITER)) return all
  const append = /^add-content$/i.test(verb) || /-Append/i.test(before + options)
  return `cat ${append ? '>>' : '>'} ${file} <<'${HERE_DELIMITER}'\n${body}\n${HERE_DELIMITER}\n`
}

const HERE_DELIMITER = 'ACO_PS_HERE'

/**
 * A here-string held in a variable and written at once (`$content = @'…'@; Set-Content -Path $file -Value $content`):
 * the here-string piped into `Set-Content`, as `HERE_STRING_TO_FILE` reads it. A here-string in double quotes counts
 * when nothing in it expands (no `$`, no backtick).
 */
const HERE_STRING_VAR_TO_FILE =
  /\$(\w+)[ \t]*=[ \t]*@(['"])\r?\n([\s\S]*?)\r?\n\2@[ \t]*(?:;[ \t]*)?\r?\n?[ \t]*(Set-Content|Out-File|Add-Content)[ \t]+(?:-(?:Path|LiteralPath|FilePath)[ \t]+)?('[^'\n]*'|\$\w+)[ \t]+-Value[ \t]+\$(\w+)\b/gi

function hereStringVarToFile(
  all: string,
  name: string,
  quote: string,
  body: string,
  verb: string,
  file: string,
  value: string,
): string {
  if (value.toLowerCase() !== name.toLowerCase() || (quote === '"' && /[$`]/.test(body))) return all
  return `@'\n${body}\n'@ | ${verb} ${file}`
}

/**
 * A here-string given as the value itself (`Set-Content -Path 'f' -Value @'…'@`): the here-string piped into
 * `Set-Content f`, as `HERE_STRING_TO_FILE` reads it. A here-string in double quotes counts when nothing in it expands.
 */
const HERE_STRING_VALUE_TO_FILE =
  /(Set-Content|Add-Content)[ \t]+(?:-(?:Path|LiteralPath)[ \t]+)?('[^'\n]*'|"[^"$`\n]*"|[^\s|;,'"(@$-][^\s|;,'"]*)[ \t]+-Value[ \t]+@(['"])\r?\n([\s\S]*?)\r?\n\3@((?:[ \t]+-(?:Encoding[ \t]+[\w-]+|NoNewline|Force))*)[ \t]*(?=;|\r?\n|$)/gi

function hereStringValueToFile(
  all: string,
  verb: string,
  file: string,
  quote: string,
  body: string,
  options: string,
): string {
  // (A body with a line that would close the here-string it is rewritten as, `'@`, is left as it was.)
  if ((quote === '"' && /[$`]/.test(body)) || /^'@/m.test(body)) return all
  return `@'\n${body}\n'@ | ${verb}${options} ${file}`
}

/** A literal here-string piped into another command (`| apply_patch`, `| python -`): that command's input, as a heredoc. */
const HERE_STRING_TO_COMMAND = /@'\r?\n([\s\S]*?)\r?\n'@[ \t]*\|[ \t]*([A-Za-z_][^\n|;'"`$@]*?)[ \t]*(?:;|(?=\r?\n|$))/g

function hereStringToCommand(all: string, body: string, command: string): string {
  if (body.split(/\r?\n/).includes(HERE_DELIMITER) || /^(?:powershell|pwsh)\b/i.test(command)) return all
  return `${command} <<'${HERE_DELIMITER}'\n${body}\n${HERE_DELIMITER}\n`
}

/** A PowerShell variable set to a literal in single quotes (`$p = 'src/app.py'`), as a statement of its own. */
const PS_LITERAL_VAR = /(?:^|[;\n])[ \t]*\$(\w+)[ \t]*=[ \t]*'([^'\n$]*)'[ \t]*(?=;|\r?\n|$)/
const PS_LITERAL_VARS = new RegExp(PS_LITERAL_VAR.source, 'g')

/**
 * `$p = 'src/app.py'; Get-Content -Path $p`: the variable's uses as the literal itself, the assignment gone (it prints
 * nothing). Only where every use is the plain variable (`$p`, not `$p.Length` or `$p[0]`), set once.
 */
function powershellVariables(line: string): string {
  const values = new Map<string, string | null>()
  for (const m of line.matchAll(PS_LITERAL_VARS)) values.set(m[1]!, values.has(m[1]!) ? null : m[2]!)
  let out = line
  for (const [name, value] of values) {
    if (value === null) continue
    const uses = [...out.matchAll(new RegExp(`\\$${name}\\b(.?)`, 'g'))]
    // The assignment itself is one use; every other must be the variable alone.
    if (uses.some(u => u[1] === '.' || u[1] === '[' || u[1] === ':')) continue
    out = out
      .replace(new RegExp(`(^|[;\\n])[ \\t]*\\$${name}[ \\t]*=[ \\t]*'[^'\\n$]*'[ \\t]*(?:;|(?=\\r?\\n|$))`), '$1')
      .replace(new RegExp(`\\$${name}\\b`, 'g'), `'${value}'`)
  }
  return out
}

const PIPED_HERE_STRING =
  /^\s*@'\r?\n([\s\S]*?)\r?\n'@\s*\|\s*(?:powershell|pwsh)(?:\.exe)?(?:\s+-(?:NoProfile|NoLogo|NonInteractive|ExecutionPolicy\s+\w+))*\s+-(?:Command|c)\s+-\s*$/i

/** `$lines = Get-Content f` then `for($i=250; $i -le 520; $i++){ '{0,4}: {1}' -f $i, $lines[$i-1] }`: lines 250–520. */
const NUMBERED_RANGE =
  /\$(\w+)\s*=\s*(?:Get-Content|gc)\s+(?:-(?:Path|LiteralPath)\s+)?('[^'\n]*'|"[^"$`\n]*"|[^\s|;'"]+)\s*[;\n]\s*for\s*\(\s*\$(\w+)\s*=\s*(\d+)\s*;\s*\$\3\s*-le\s*(\d+)\s*;\s*\$\3\+\+\s*\)\s*\{\s*(['"])\{0(?:,\s*-?\d+)?\}[^'"{}\n]*\{1\}\6\s*-f\s*\$\3\s*,\s*\$\1\[\s*\$\3\s*-\s*1\s*\]\s*;?\s*\}/gi

/**
 * `$i = N; Get-Content f [| Select-Object -First M] | ForEach-Object { … }` (or `%`): the counter, its start, the
 * file, how many lines are kept, and the block.
 */
const COUNTED_CONTENT =
  /\$(\w+)\s*=\s*(\d+)\s*;\s*(?:Get-Content|gc|cat|type)\s+(?:-(?:Path|LiteralPath)\s+)?('[^'\n]*'|"[^"$`\n]*"|[^\s|;'"]+)\s*(?:\|\s*Select-Object\s+-First\s+(\d+)\s*)?\|\s*(?:ForEach-Object|%)\s*\{([^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*)\}/gi

/**
 * The commands of a script bash stopped in: for a quote never closed, those before the command that opened it, where
 * aco finds that quote on the line bash named; for another syntax error, those on the lines before the one bash
 * named and echoed back (a command begun earlier that runs into it did not run either, but keeping it only keeps
 * more of the script as run). Else all of them: the error was another shell's.
 */
function stoppedCommands(text: string, stop: SyntaxStop): SimpleCommand[] {
  // Only where the command itself holds what bash names (a shell it started prints the same): the quote bash found
  // unclosed, found on that line by aco too; or the line bash echoed back.
  if (stop.unclosedQuote) {
    const r = parseUntilQuote(text, stop.line)
    return r.cut ? r.commands : parseShell(text)
  }
  const named = text.split('\n', stop.line)[stop.line - 1]
  if (stop.text === undefined || named === undefined || named.trim() !== stop.text.trim()) return parseShell(text)
  // Every line before it is one command that bash reported not found, by its own name or by the file its glob
  // matched (a patch sent to the shell: `*** Begin Patch`, `@@`, `-x = 1`): the script did nothing.
  if (
    stop.notFound &&
    linesBefore(text, stop.line)
      .split('\n')
      .every((l, k) => ranNothing(l, stop.notFound!.get(k + 1)))
  )
    return []
  return parseShell(linesBefore(text, stop.line))
}

/**
 * Whether a script's line ran nothing, bash having reported `word` not found on it: the line is one simple command (no
 * `&&`, `||`, `;`, pipe: another command of the line may have run) whose first word is that word, or a glob (bash ran
 * the file it matched). A shell some command started prints the same with its own line numbers: its command is not
 * the line's.
 */
function ranNothing(line: string, word: string | undefined): boolean {
  if (line.trim() === '') return true
  if (word === undefined || /[;&|`]|\$\(/.test(line)) return false
  const commands = parseShell(line)
  if (commands.length !== 1) return false
  const first = commands[0]!.words[0]
  return first !== undefined && (first === word || /[*?[]/.test(first))
}

/** The text's lines before its 1-based line `n`. */
function linesBefore(text: string, n: number): string {
  let end = 0
  for (let line = 1; line < n; line++) {
    const nl = text.indexOf('\n', end)
    if (nl === -1) return text
    end = nl + 1
  }
  return text.slice(0, end)
}

/**
 * Whether a builtin prints nothing with these words (bash's own behaviour): `true`, `:`, `exit 1`; `set -e`
 * (not `set -x`, which traces every later command, nor `set -o`, which lists the options); `export A=1` (not
 * `export -p`); `shopt -s globstar`; `alias ll='ls -l'`. (Not `trap`: its handler runs, and prints, at exit.)
 */
function printsNothing(name: string, w: readonly string[]): boolean {
  const args = w.slice(1)
  switch (name) {
    case 'true':
    case ':':
    case 'false':
    case 'out-null':
    case 'exit':
    case 'return':
    case 'break':
    case 'continue':
    case 'shift':
    case 'unset':
    case 'let':
      return true
    case 'set':
      return args.length > 0 && !args.some(a => /^[-+][a-zA-Z]*[xv]/.test(a) || a === '-o' || a === '+o')
    case 'export':
    case 'declare':
    case 'typeset':
    case 'local':
    case 'readonly':
      return args.some(a => !a.startsWith('-')) && !args.some(a => /^-[a-zA-Z]*[pfF]/.test(a))
    case 'shopt':
      return args.some(a => a === '-s' || a === '-u' || a === '-q') && args.some(a => !a.startsWith('-'))
    case 'alias':
      return args.length > 0 && args.every(a => a.includes('='))
    default:
      return false
  }
}

function kindOf(a: Action): Action['kind'] {
  if (a.writesAny || a.writesUnder.length || a.writes.length || a.env || a.scripts.length) return 'shell'
  if (a.opaque) return 'run'
  if (a.reads.length && !a.searches.length) return 'read'
  if (a.searches.length) return a.searches.every(s => s.mode === 'name' && s.pattern === '') ? 'list' : 'search'
  return 'run'
}

/** A pipeline's canonical text without trailing output filters (`| tail -50`, `| head`): the command it ran. */
const OUTPUT_FILTERS = new Set([
  'head',
  'tail',
  'grep',
  'egrep',
  'sort',
  'uniq',
  'cat',
  'less',
  'more',
  'tee',
  'wc',
  // PowerShell's: its head and tail (`Select-Object -First 20`, `-Last 20`), grep, sort, count and formatting.
  'select-object',
  'select',
  'select-string',
  'where-object',
  'sort-object',
  'measure-object',
  'out-string',
  'format-table',
  'format-list',
  'findstr',
])

/** `NAME=value`. */
const ASSIGNMENT = /^[A-Za-z_]\w*=/

/**
 * Classifies one pipeline; returns its canonical text ('' for one that prints
 * nothing worth comparing), the same without environment assignments, and those
 * assignments.
 */
function pipeline(
  cmds: SimpleCommand[],
  state: State,
): {part: string; core: string; bareCore: string; assigns: string[]} | undefined {
  let stream: Stream
  /** The pipeline runs on after the line returns (see `leavesRunning`). */
  const running = cmds.some(leavesRunning)
  const texts: string[] = []
  const bare: string[] = []
  const assigns: string[] = []
  /** How many stages of `texts` come before the trailing output filters. */
  let coreLength = 0
  let literalOnly = true
  for (const raw of cmds) {
    const cmd = unwrap(raw)
    if (cmd.substitutions.length) substitutions(cmd.substitutions, state)
    const name = commandName(cmd)
    if (changesDir(name)) {
      changeDir(cmd, state)
      continue
    }
    let canonical = canonicalText(cmd, state.dir, state.lost)
    const before = stream
    state.wrapped = undefined
    state.filesOnly = undefined
    const teed = state.action.writes.length
    stream = command(cmd, name, state, stream)
    // What a stage made of a file's content it was fed (`cat f | wc -c`, `cat cert.pem | openssl x509`) depends on that
    // file: a read of it no longer shows (review 68).
    const deps = state.action.deps
    if (before && stream?.type !== before.type) {
      if (before.type === 'read' && !deps.includes(before.path)) deps.push(before.path)
      else if (before.type === 'reads') for (const r of before.reads) if (!deps.includes(r.path)) deps.push(r.path)
    }
    // And what it read on its standard input (`wc -c < f`), unless that is what it shows (`cat < f`).
    const input = cmd.redirects.find(r => r.op === '<' && r.fd === 0)
    if (input && stream?.type !== 'read') {
      const path = input.dynamic ? undefined : pathArg(input.target, false, state)
      if (path === undefined) state.action.depsAny = true
      else if (!deps.includes(path)) deps.push(path)
    }
    // (Not a program named by a path from the folder, `.venv/bin/python`: another folder's is another program.)
    if (state.filesOnly && !/^[^/]+\//.test(cmd.words[0] ?? ''))
      canonical = `@* ${canonical.slice(canonical.indexOf(' ') + 1)}`
    if (name === 'tee' && running)
      for (let k = teed; k < state.action.writes.length; k++) state.action.writes[k]!.log = true
    // A wrapper is compared by what it runs: `bash -c "pip install y"` is `pip install y`.
    const wrapped = state.wrapped as string[] | undefined
    if (wrapped?.length) {
      texts.push(wrapped.join(' ; '))
      bare.push(wrapped.join(' ; '))
    } else if (canonical) {
      texts.push(canonical)
      if (name === 'export') bare.push('')
      else bare.push(cmd.assigns.length ? canonicalText({...cmd, assigns: []}, state.dir, state.lost) : canonical)
    }
    assigns.push(...cmd.assigns, ...rawAssigns(raw))
    if (texts.length === 1 || !OUTPUT_FILTERS.has(name)) coreLength = texts.length
    state.wrapped = undefined
    if (!(stream?.type === 'literal' && (before === undefined || before.type === 'literal'))) literalOnly = false
    // `echo "EXIT: $?"` prints what the command before it returned: the line shows more than that command alone.
    else if (cmd.words.some(x => x.includes('$?'))) literalOnly = false
    // Output sent to a file is not shown; `> /dev/null` throws it away.
    const out = cmd.redirects.find(r => (r.op === '>' || r.op === '>>') && (r.fd === 1 || r.fd === -1))
    const logged = state.action.writes.length
    if (out) {
      redirectWrite(out.target, out.dynamic, out.op === '>>', stream, state)
      stream = undefined
    }
    for (const r of cmd.redirects)
      if ((r.op === '>' || r.op === '>>') && r.fd === 2) redirectWrite(r.target, r.dynamic, true, undefined, state)
    // (Of a command left running, what it prints is its log.)
    if (running) for (let k = logged; k < state.action.writes.length; k++) state.action.writes[k]!.log = true
  }
  emit(stream, state.action)
  if (literalOnly || texts.length === 0) return undefined
  const part = texts.join(' | ')
  const bareCore = bare.slice(0, coreLength).filter(Boolean).join(' | ')
  return {part, core: coreLength === texts.length ? part : texts.slice(0, coreLength).join(' | '), bareCore, assigns}
}

/** The assignments an `env A=1 cmd` wrapper adds. */
function rawAssigns(cmd: SimpleCommand): string[] {
  if (commandName(cmd) !== 'env') return []
  return cmd.words.slice(1).filter(w => ASSIGNMENT.test(w))
}

/**
 * The command an `rtk` line runs (past rtk's own options): the words after it, its readers as `cat` of their files
 * (`rtk read -n f`), its `grep` as ripgrep's (recursive, the folder `.` when it names none) and its `find` of a name
 * (`rtk find "*.ts" src`) as `find src -name "*.ts"`, its wrappers' command (`rtk err npm run build`); none for rtk's own
 * commands (`rtk gain`, `rtk init`).
 */
function rtkInner(cmd: SimpleCommand): SimpleCommand | undefined {
  let k = 1
  while (k < cmd.words.length && /^-(?:v+|u|-verbose|-ultra-compact|-skip-env)$/.test(cmd.words[k]!)) k++
  const sub = cmd.words[k]
  if (sub === undefined || RTK_OWN.has(sub)) return undefined
  if (RTK_WRAPPERS.has(sub))
    return k + 1 < cmd.words.length
      ? {...cmd, words: cmd.words.slice(k + 1), dynamic: cmd.dynamic.slice(k + 1)}
      : undefined
  const made = (words: string[]): SimpleCommand => ({...cmd, words, dynamic: words.map(() => false)})
  // (Its words after the subcommand that are no options, as `operands` reads a command's.)
  const words = (valued: ReadonlySet<string>): string[] =>
    operands({...cmd, words: cmd.words.slice(k), dynamic: cmd.dynamic.slice(k)}, valued).map(o => o.word)
  if (RTK_READERS.has(sub)) {
    const files = words(RTK_READ_VALUED)
    return files.length ? made(['cat', ...files]) : undefined
  }
  if (sub === 'grep') {
    const [pattern, ...paths] = words(RTK_GREP_VALUED)
    if (pattern === undefined) return undefined
    return made(['rg', '-n', pattern, ...(paths.length ? paths : ['.'])])
  }
  const first = cmd.words[k + 1]
  if (sub === 'find' && first !== undefined && !first.startsWith('-') && /[*?[]/.test(first)) {
    const [name, ...paths] = words(NO_VALUED)
    return made(['find', paths[0] ?? '.', '-name', name!])
  }
  return {...cmd, words: cmd.words.slice(k), dynamic: cmd.dynamic.slice(k)}
}

/** rtk's commands that read a file and print it condensed. */
const RTK_READERS = new Set(['read', 'json', 'log', 'smart'])
/** …their options that take a value (`-l aggressive`, `--max-lines 50`). */
const RTK_READ_VALUED = new Set(['-l', '--level', '-m', '--max-lines'])
/** rtk grep's options that take a value (`-l 120`: the longest line it prints; `-t ts`: a file type). */
const RTK_GREP_VALUED = new Set(['-l', '--max-len', '-m', '--max', '-t', '--file-type', '-g', '--glob'])
const NO_VALUED: ReadonlySet<string> = new Set()
/** rtk's commands that run the command after them and print part of its output. */
const RTK_WRAPPERS = new Set(['err', 'test', 'summary'])
/** rtk's commands about itself (its savings, its hooks, its settings). */
const RTK_OWN = new Set(['gain', 'discover', 'init', 'config', 'help', 'hook', 'cc-economics', 'proxy'])

/** Strips wrappers (`sudo`, `timeout 60`, `env X=1`) off a command. */
function unwrap(cmd: SimpleCommand): SimpleCommand {
  let words = cmd.words
  let dynamic = cmd.dynamic
  for (let guard = 0; guard < 4 && words.length > 1; guard++) {
    const name = words[0]!.toLowerCase()
    let skip: number | undefined
    if (name in WRAPPERS) {
      skip = 1
      while (skip < words.length && words[skip]!.startsWith('-')) skip++
      skip += WRAPPERS[name]!
    } else if (name === 'env') {
      skip = 1
      while (skip < words.length && (words[skip]!.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[skip]!))) skip++
    } else if (name === 'command' && words[1] !== '-v') skip = 1
    // rtk's `proxy` runs the command as it is (its other subcommands print a condensed output of their own).
    else if (name === 'rtk' && words[1] === 'proxy') skip = 2
    else skip = runnerSkip(name, words)
    if (skip === undefined || skip >= words.length) break
    words = words.slice(skip)
    dynamic = dynamic.slice(skip)
  }
  return words === cmd.words ? cmd : {...cmd, words, dynamic}
}

/**
 * Programs that run the command after `--` with the tool versions a project pins (`mise exec node@20 -- npm test`,
 * `mise x -- go test ./...`); the subcommand that does so. (Runners that inject secrets, `doppler run -- x`, `op run --
 * x`, stay unknown: what they run talks to services whose state aco does not see, a live database's tests.)
 */
const DASH_RUNNERS: Record<string, ReadonlySet<string>> = {
  mise: new Set(['exec', 'x']),
  rtx: new Set(['exec', 'x']),
}

/**
 * How many words an environment runner takes before the command it runs (see `DASH_RUNNERS`; also `nix develop -c
 * CMD`, `direnv exec DIR CMD`, `asdf exec CMD`), or undefined where the words run no command of their own (`mise run
 * task`, a task of the project's file, stays unknown).
 */
function runnerSkip(name: string, words: readonly string[]): number | undefined {
  // Only where the runner's own words choose nothing: a tool version (`mise exec go@1.21 --`), a dev shell (`nix
  // develop .#go121 -c`) or another folder's environment (`direnv exec ./env/pg`) makes another run of the same
  // command (review 62), so the line stays the runner's, unknown.
  if (name in DASH_RUNNERS) return DASH_RUNNERS[name]!.has(words[1]!) && words[2] === '--' ? 3 : undefined
  if (name === 'nix' && words[1] === 'develop') return words[2] === '-c' || words[2] === '--command' ? 3 : undefined
  if (name === 'direnv' && words[1] === 'exec') return words[2] === '.' && words.length > 3 ? 3 : undefined
  if (name === 'asdf' && words[1] === 'exec') return 2
  return undefined
}

const NO_GROUPS: readonly number[] = []

/** A command that changes the directory (`cd`, `pushd`, `popd`, PowerShell's `Set-Location` and its kin). */
function changesDir(name: string): boolean {
  return name === 'cd' || name === 'pushd' || name === 'popd' || DIR_CHANGES.has(name)
}

/**
 * A command that only changes the directory or the environment the next ones run in (`source .venv/bin/activate`,
 * `export A=1`): it runs in no folder of its own.
 */
function movesOnly(name: string): boolean {
  return changesDir(name) || ENV_ONLY.has(name)
}

const ENV_ONLY = new Set(['source', '.', 'export', 'set', 'unset'])

/** PowerShell's ways of changing directory (`Set-Location 'c:\\x'`, its aliases, `-Path x`). */
const DIR_CHANGES = new Set(['set-location', 'sl', 'chdir', 'push-location', 'pop-location'])

function changeDir(cmd: SimpleCommand, state: State): void {
  const name = commandName(cmd)
  const operands = cmd.words.slice(1).filter(x => !/^-(?:path|literalpath)$/i.test(x))
  // (bash's options before the folder: `cd -P api`, `cd -- api`.)
  let at = 1
  if (!DIR_CHANGES.has(name)) {
    while (at < cmd.words.length && /^-[LPe@]+$/.test(cmd.words[at]!)) at++
    if (cmd.words[at] === '--') at++
  }
  const target = DIR_CHANGES.has(name) ? operands[0] : cmd.words[at]
  if (
    name === 'popd' ||
    name === 'pop-location' ||
    target === '-' ||
    (cmd.dynamic[at] && target !== undefined && !target.startsWith('~'))
  ) {
    state.lost = lostPath(`${state.dir ?? state.lost ?? '?'}/${name} ${target ?? ''}`)
    state.dir = undefined
    return
  }
  if (target === undefined || target === '~') {
    state.dir = normalisePath('~')
    state.lost = undefined
    return
  }
  // (A Windows drive, `C:/Users/x`, and the home folder, `~/x`, are as absolute as `/x`.)
  if (state.dir === undefined && !/^(?:\/|~(?:\/|$)|[A-Za-z]:(?:[\\/]|$))/.test(target))
    state.lost = lostPath(`${state.lost ?? '?'}/${target}`)
  else {
    state.dir = normalisePath(target, state.dir)
    state.lost = undefined
    // No folder's path is longer than the system allows (PATH_MAX): past it, the shell's `cd` failed, and where it
    // stayed is not known. (Thousands of `cd x &&` in one line had made each path longer, the line's reading quadratic.)
    if (state.dir.length > PATH_MAX) {
      state.lost = lostPath(state.dir)
      state.dir = undefined
    }
  }
}

/** The longest path a system names a folder by (Linux's PATH_MAX). */
const PATH_MAX = 4096

/** Where a `cd` aco could not follow led, for what it says: cut, as no folder's path is longer. */
function lostPath(path: string): string {
  return path.length > PATH_MAX ? `…${path.slice(-PATH_MAX)}` : path
}

/** Tools run the same as a program or as a Python module (`python -m pip` is `pip`). */
const MODULE_TOOLS: Record<string, string> = {pip: 'pip', pip3: 'pip', pytest: 'pytest', 'py.test': 'pytest'}

/** How many leading words name the program (`python -m pip` 3, `pip` 1), and its name, for a tool run as a module. */
function moduleTool(words: readonly string[]): {drop: number; name: string} | undefined {
  const first = words[0] ?? ''
  const name = first.slice(first.lastIndexOf('/') + 1).toLowerCase()
  const module = words[2]
  if (PYTHONS.test(name) && words[1] === '-m' && module !== undefined && MODULE_TOOLS[module])
    return {drop: 3, name: MODULE_TOOLS[module]!}
  if (MODULE_TOOLS[name] && name !== MODULE_TOOLS[name]) return {drop: 1, name: MODULE_TOOLS[name]!}
  return undefined
}

/**
 * How many words open a run of a package's own program (`npx tsc`, `pnpm exec tsc`, `yarn exec tsc`, `bunx tsc`,
 * `./node_modules/.bin/tsc`): the program that runs is the word after them (0 for the path under node_modules
 * itself, whose name is the program's). Undefined for anything else, and for a program npx may fetch (`-p`, a
 * version asked for: `npx tsc@5`).
 */
function localBin(words: readonly string[]): number | undefined {
  const first = words[0] ?? ''
  if (/(?:^|\/)node_modules\/\.bin\/[\w.-]+$/.test(first)) return 0
  let k: number
  // (Not `pnpx`, which is `pnpm dlx`: it fetches the latest release, not the project's own.)
  if (first === 'npx' || first === 'bunx') k = 1
  else if ((first === 'pnpm' || first === 'yarn' || first === 'npm') && words[1] === 'exec') k = 2
  else return undefined
  while (k < words.length && /^(?:-y|--yes|--no|--no-install|-q|--quiet)$/.test(words[k]!)) k++
  // `npm exec -- tsc --noEmit`; without the `--`, npm takes `--noEmit` for an option of its own.
  const dashes = words[k] === '--'
  if (dashes) k++
  const program = words[k]
  if (program === undefined || program.startsWith('-') || program.includes('@')) return undefined
  if (first === 'npm' && !dashes && words.slice(k + 1).some(x => x.startsWith('-'))) return undefined
  return k
}

/** A command's text with paths resolved against the directory it ran in: equal texts ran the same thing. */
function canonicalText(cmd: SimpleCommand, dir: string | undefined, lost?: string): string {
  // A package's own program, however it was asked for (`pnpm exec tsc`, `./node_modules/.bin/tsc`), is `tsc`.
  const bin = localBin(cmd.words)
  if (bin !== undefined) {
    const words = cmd.words.slice(bin)
    words[0] = words[0]!.slice(words[0]!.lastIndexOf('/') + 1)
    return canonicalText({...cmd, words, dynamic: cmd.dynamic.slice(bin)}, dir, lost)
  }
  // `python -m pip …` and `pip3 …` are written `pip …`.
  const tool = moduleTool(cmd.words)
  const drop = tool ? tool.drop - 1 : 0
  const words = cmd.words
    .slice(drop)
    .map((w, k) =>
      k === 0 && tool
        ? tool.name
        : k > 0 && !cmd.dynamic[k + drop] && looksLikePath(w) && dir
          ? normalisePath(w, dir)
          : w,
    )
  const program = (words[0] ?? '').slice((words[0] ?? '').lastIndexOf('/') + 1)
  // `git log --pretty=%H …` prints the commits' hashes one a line, as `git rev-list …` does (fresh142 #78).
  if (program === 'git' && words[1] === 'log') {
    const k = words.findIndex(w => HASH_ONLY_FORMAT.test(w))
    const dashes = words.indexOf('--')
    const options = words.slice(2, dashes === -1 ? undefined : dashes)
    // (Only with the commits named, as `rev-list` needs them: `git log` alone means HEAD.)
    const named = options.some(
      w => w === '--all' || w === '--branches' || w === '--tags' || (!w.startsWith('-') && !/^\d+$/.test(w)),
    )
    if (
      k > 1 &&
      named &&
      options.every(w => w === words[k] || !/^--(?:pretty|format|oneline|graph|stat|patch)|^-p$/.test(w))
    ) {
      words.splice(k, 1)
      words[1] = 'rev-list'
    }
  }
  for (const r of cmd.redirects) {
    if (r.fd === 2 || r.op === '>&' || r.target === '/dev/null') continue
    words.push(r.op, r.op === '<<' ? `<<${codeText(r.body ?? '', program)}>>` : r.target)
  }
  return `@${(dir ?? lost ?? '?').replaceAll(' ', CORE_SPACE)} ${cmd.assigns.join(' ')}${cmd.assigns.length ? ' ' : ''}${words.join(' ')}`
}

/**
 * A space in the folder that opens a command's canonical text (`@/Users/me/Eagle Point AI git status`), written as this
 * mark: the folder stays one word, so the patterns that read a command after it (`^@\S* git `) hold for any folder.
 */
const CORE_SPACE = '\u2420'

/** A folder read back from the start of a command's canonical text (`@dir …`), its spaces restored. */
export function coreDir(word: string): string {
  return word.replaceAll(CORE_SPACE, ' ')
}

/** A `git log` format that prints a commit's full hash alone. */
const HASH_ONLY_FORMAT = /^--(?:pretty|format)=(?:format:|tformat:)?["']?%H["']?$/

/**
 * A script fed to an interpreter on its input (`python - <<'PY'`), without what does not run: lines that are only a
 * comment, blank lines, trailing space. Two scripts that differ only there run the same.
 */
function codeText(body: string, program: string): string {
  const comment =
    PYTHONS.test(program) || /^(?:ba|z|da)?sh$|^ruby$|^perl$/.test(program)
      ? '#'
      : JS_RUNNERS.test(program)
        ? '//'
        : undefined
  if (comment === undefined) return body
  return body
    .split('\n')
    .map(line => line.trimEnd())
    .filter(line => line !== '' && !line.trimStart().startsWith(comment))
    .join('\n')
}

const JS_RUNNERS = /^(?:node|deno|bun|tsx|ts-node)$/

function looksLikePath(word: string): boolean {
  if (!word.includes('/') && !word.includes('.')) return false
  return !word.startsWith('-') && (word.includes('/') || /\.\w{1,6}$/.test(word) || word === '.' || word === '..')
}

/** `$HOME` or `${HOME}` at the start of a word, alone or before a `/`. */
const HOME_PREFIX = /^(?:\$HOME|\$\{HOME\})(?=\/|$)/
/** A path that is `$HOME` and plain names below it (`$HOME/.config/app.json`): no other expansion, no glob. */
const HOME_VAR = /^(?:\$HOME|\$\{HOME\})(?:\/[^$`*?[{]*)?$/

/** A path argument resolved, or undefined when it holds something aco cannot resolve. */
function pathArg(word: string | undefined, dynamic: boolean | undefined, state: State): string | undefined {
  if (word === undefined) return undefined
  // `$HOME/app/a.py`: the path `~/app/a.py` names (no other expansion in it).
  if (dynamic) return !state.ownHome && HOME_VAR.test(word) ? normalisePath(word.replace(HOME_PREFIX, '~')) : undefined
  // (`~` is `$HOME`: where the line set HOME, some folder aco cannot name.)
  if (state.ownHome && (word === '~' || word.startsWith('~/'))) return undefined
  if (state.dir === undefined && !word.startsWith('/') && !word.startsWith('~')) return undefined
  return normalisePath(word, state.dir)
}

/**
 * The path of a script a command runs: as `pathArg`, or from a folder aco cannot name, the script by its relative
 * path under ANYWHERE (`python fix.py` in a Gemini CLI session, which records no folder): the timeline finds its
 * content where the session wrote exactly one file of that name.
 */
function scriptPath(word: string | undefined, dynamic: boolean | undefined, state: State): string | undefined {
  if (word === undefined || dynamic) return undefined
  return pathArg(word, dynamic, state) ?? floating(word, dynamic, state)
}

/**
 * Where a relative path lies when the folder the command runs in is unknown (see ANYWHERE): the path, or for a
 * glob or a variable path its static folder (`build/*.o`: below `…/build`); undefined where that is the unknown
 * folder itself (`*.pyc`) or the path is not relative.
 */
function floating(word: string, dynamic: boolean | undefined, state: State): string | undefined {
  if (state.dir !== undefined) return undefined
  if (!dynamic) return floatingPath(word)
  const cut = word.search(/[*?[$`{]/)
  const prefix = cut === -1 ? word : word.slice(0, cut)
  const slash = prefix.lastIndexOf('/')
  return slash <= 0 ? undefined : floatingPath(prefix.slice(0, slash))
}

/** The directory a glob or a variable path can only lie in (its static prefix), or undefined. */
function staticDir(word: string, state: State): string | undefined {
  if (!state.ownHome && HOME_PREFIX.test(word) && !HOME_VAR.test(word)) {
    const rest = word.replace(HOME_PREFIX, '~')
    if (!/[$`]/.test(rest.slice(0, rest.search(/[*?[{]|$/)))) return staticDir(rest, state)
  }
  const cut = word.search(/[*?[$`{]/)
  // `$OUT/x`, `$(pwd)/x`: the variable may hold any folder, not only one below here.
  if (cut === 0 && (word[0] === '$' || word[0] === '`')) return undefined
  const prefix = cut === -1 ? word : word.slice(0, cut)
  const slash = prefix.lastIndexOf('/')
  const dirPart = slash === -1 ? '.' : prefix.slice(0, slash) || '/'
  if (state.dir === undefined && !dirPart.startsWith('/')) return undefined
  return normalisePath(dirPart, state.dir)
}

function write(
  state: State,
  word: string | undefined,
  dynamic: boolean | undefined,
  content?: string,
  partial?: boolean,
  replaced?: string[],
): void {
  const a = state.action
  if (word === undefined) {
    a.writesAny = true
    return
  }
  if (word === '/dev/null' || word.startsWith('/dev/std') || word === '/dev/tty') return
  const path = pathArg(word, dynamic, state)
  if (path === undefined) {
    const dir = (dynamic ? staticDir(word, state) : undefined) ?? floating(word, dynamic, state)
    if (dir && dir !== '/') a.writesUnder.push(dir)
    else a.writesAny = true
    return
  }
  if (isTemp(path)) {
    a.scratch ??= []
    a.scratch.push(content !== undefined && !partial ? {path, content} : {path})
    return
  }
  const w: FileWrite = {path}
  if (content !== undefined && !partial) w.content = content
  if (partial) w.partial = true
  if (replaced) w.replaced = replaced
  a.writes.push(w)
}

/**
 * A write anywhere below the folder `word` names (the folder itself included); below a temporary folder, only with
 * `temp` (an archive extracted there: a script of it run again after it was extracted again may differ).
 */
function writeUnder(state: State, word: string | undefined, dynamic: boolean | undefined, temp = false): void {
  if (word === undefined) {
    state.action.writesAny = true
    return
  }
  const path = pathArg(word, dynamic, state) ?? (dynamic ? staticDir(word, state) : undefined)
  const somewhere = path === undefined ? floating(word, dynamic, state) : undefined
  if (somewhere) state.action.writesUnder.push(somewhere)
  else if (path === undefined || path === '/') state.action.writesAny = true
  else if (temp || !isTemp(path)) {
    state.action.writesUnder.push(path)
    state.action.writes.push({path})
  }
}

function redirectWrite(target: string, dynamic: boolean, append: boolean, stream: Stream, state: State): void {
  const content = stream?.type === 'literal' ? stream.text : undefined
  write(state, target, dynamic, content, append)
}

/**
 * Commands run inside `$(…)`: their writes count; their output only feeds the outer command. A `cd` there moves
 * only the commands after it in the substitution (`$(cd "$(dirname "$0")" && pwd)`).
 */
function substitutions(subs: readonly SimpleCommand[], state: State): void {
  const inner: State = {
    action: emptyAction('run'),
    dir: state.dir,
    root: state.root,
    depth: state.depth + 1,
    ownHome: state.ownHome,
  }
  let moved = false
  for (const sub of subs) {
    const cmd = unwrap(sub)
    const name = commandName(cmd)
    if (changesDir(name)) {
      changeDir(cmd, inner)
      moved = true
    } else dependOn(inner.action, command(cmd, name, inner, undefined))
  }
  // The substitutions of one word come as one list: after a cd, a write may belong to another `$(…)`, run where the
  // command line is (each runs in its own subshell). Where it lands cannot be told then.
  const a = inner.action
  if (moved && (a.writes.length || a.writesUnder.length)) a.writesAny = true
  merge(state.action, a, false)
}

/**
 * What a command substitution printed becomes part of the command it is in (`echo "$(rg -c x "$f")"`): the result
 * depends on the files it read or searched (any, for a search of paths aco cannot tell).
 */
function dependOn(a: Action, stream: Stream): void {
  if (!stream) return
  if (stream.type === 'read') a.deps.push(stream.path)
  else if (stream.type === 'reads') for (const r of stream.reads) a.deps.push(r.path)
  else if (stream.type === 'search') {
    if (stream.search.scopes.length) a.deps.push(...stream.search.scopes)
    else a.depsAny = true
  }
}

/** Adds the effects of `from` to `into` (its output too when `output`). */
function merge(into: Action, from: Action, output: boolean): void {
  into.writes.push(...from.writes)
  into.writesUnder.push(...from.writesUnder)
  into.writesAny ||= from.writesAny
  if (from.scratch) {
    into.scratch ??= []
    into.scratch.push(...from.scratch)
  }
  if (from.env) changesEnvironment(into, from.installs, from.envOf, from.syncs, from.envIn)
  into.git ||= from.git
  into.hooks ||= from.hooks
  into.scripts.push(...from.scripts)
  into.deps.push(...from.deps)
  into.depsAny ||= from.depsAny
  if (from.depsCode) {
    into.depsCode = into.depsCode ? [...new Set([...into.depsCode, ...from.depsCode])] : from.depsCode
    into.codeDirs = [...(into.codeDirs ?? []), ...(from.codeDirs ?? [''])]
  }
  if (from.outputs) into.outputs = [...(into.outputs ?? []), ...from.outputs]
  if (from.reported) into.reported = [...(into.reported ?? []), ...from.reported]
  into.volatile ||= from.volatile
  if (from.usage) into.usage = true
  if (output) {
    into.reads.push(...from.reads)
    into.searches.push(...from.searches)
    into.opaque ||= from.opaque
  }
}

/** Records what reaches the terminal at the end of a pipeline. */
function emit(stream: Stream, a: Action): void {
  if (!stream) return
  if (stream.type === 'read') {
    const r: FileRead = {path: stream.path}
    if (stream.range) r.range = stream.range
    if (stream.last) r.last = stream.last
    a.reads.push(r)
    if (!a.deps.includes(stream.path)) a.deps.push(stream.path)
  } else if (stream.type === 'search') {
    a.searches.push(stream.search)
    a.deps.push(...stream.search.scopes)
  } else if (stream.type === 'reads') a.reads.push(...stream.reads)
  else if (stream.type === 'opaque') a.opaque = true
}

/** Classifies one simple command, given what flows into it; returns what flows out. */
function command(cmd: SimpleCommand, name: string, state: State, input: Stream): Stream {
  const a = state.action
  const w = cmd.words
  const heredoc = cmd.redirects.find(r => r.op === '<<')
  const hereString = cmd.redirects.find(r => r.op === '<<<')
  if (!name) {
    // Only assignments or redirections (`> file` truncates it); a group's redirection gets the group's output, unknown
    // here (`(cd web && npm test) > test.log` had read as writing an empty log, the same again after an edit).
    return cmd.groupOutput !== undefined ? {type: 'opaque'} : {type: 'literal', text: ''}
  }
  // A program the shell could not find ran nothing (its redirections still open their files: see `pipeline`).
  if (reportedAbsent(cmd)) return {type: 'opaque'}
  if (asksOnlyAbout(w)) {
    // (What it prints depends on what is installed.)
    a.usage = true
    if (!a.deps.includes('(env)')) a.deps.push('(env)')
    return {type: 'opaque'}
  }
  if (powershellAssignment(cmd)) return {type: 'literal', text: ''}
  // `tmux new-session -d "./run.sh"`, `screen -dmS job ./run.sh`: what they run, left running (see `leavesRunning`).
  if ((name === 'tmux' || name === 'screen') && leavesRunning(cmd)) {
    const line = detachedLine(cmd, name)
    // (Its line runs in the background too: what it prints to a file is its log.)
    if (line && state.depth < 3) merge(a, classifyShell(`${line} &`, state.dir, state.depth + 1), false)
    else a.writesAny = true
    return {type: 'opaque'}
  }
  // rtk (the Rust Token Killer) runs the command after it and prints an output of its own, condensed (`rtk git status`,
  // `rtk read f` as `cat f`, `rtk err npm run build`): what that command writes it writes, and it depends on what the
  // command reads; what it printed is not the command's (no lines of a file, no hits of a search, as they stand).
  if (name === 'rtk' && state.depth < 3) {
    const inner = rtkInner(cmd)
    if (inner) {
      const run: State = {...state, action: emptyAction('run'), depth: state.depth + 1}
      dependOn(run.action, command(inner, commandName(inner), run, undefined))
      merge(a, run.action, false)
      // (A test run still: `rtk pytest`, `rtk cargo test`.)
      a.tests ||= run.action.tests
      return {type: 'opaque'}
    }
  }
  // `cmd /c type f`, `cmd /c findstr /n x f`: cmd's own commands, as the shell's that do the same.
  if (name === 'cmd' && /^\/[ck]$/i.test(w[1] ?? '')) {
    const inner = cmdBuiltin(cmd)
    if (inner) return command(inner, commandName(inner), state, input)
  }
  switch (name) {
    // PowerShell's `| Out-String` passes the text on as one string: what reaches the screen is the same.
    case 'out-string':
      return input
    // `| Select-Object -Skip 164 -First 5` keeps lines 165-169 of a file's; `| ForEach-Object { $_ }` passes them on.
    case 'select-object':
      return selectObject(cmd, input)
    case 'foreach-object':
    case '%': {
      const block = cmd.words.slice(1).join(' ')
      // A block that writes or runs what it is given (`% { Remove-Item $_ }`, `{ Add-Content log.txt $_ }`) may write
      // anything (the rest of a block after its first `;` is a command of its own).
      if (PS_BLOCK_WRITES.test(block)) state.action.writesAny = true
      // (`{ $_ }` passes them on; `{ $_.Name }`, `{ $_.FullName }` of a listing are its entries by name or path, as
      // `Select-Object -ExpandProperty Name` gives them.)
      if (/^\{\s*\$_\s*\}$/.test(block)) return input
      return input?.type === 'search' && input.search.mode === 'name' && /^\{\s*\$_\.(?:Full)?Name\s*\}$/i.test(block)
        ? input
        : {type: 'opaque'}
    }
    case 'cat':
    case 'nl':
    case 'bat':
    case 'batcat':
    case 'less':
    case 'more':
    case 'get-content':
    case 'gc':
    case 'type': {
      if (name === 'type' && !w[1]?.includes('.') && !w[1]?.includes('/')) return {type: 'literal'}
      const content = name === 'get-content' || name === 'gc' ? getContent(cmd, state) : undefined
      if (content) return content
      const files = operands(cmd, name === 'nl' ? NL_VALUE_OPTS : new Set())
      if (files.length === 0) {
        // A body the shell expands (`<<EOF` with `$(git rev-parse HEAD)` in it) is not the text written.
        if (heredoc)
          return heredoc.expands && /[$`]/.test(heredoc.body ?? '')
            ? {type: 'opaque'}
            : {type: 'literal', text: heredoc.body ?? ''}
        if (hereString) return {type: 'literal', text: hereString.target}
        // `| cat -A` shows the text changed (line ends, tabs); `| cat -n` only numbers it.
        if (w.slice(1).some(x => /^-[a-zA-Z]*[AvetETs]/.test(x) || x === '--show-all'))
          return input ? {type: 'opaque'} : input
        return input
      }
      if (files.length === 1) {
        const path = pathArg(files[0]!.word, files[0]!.dynamic, state)
        if (path) return {type: 'read', path, file: path}
      }
      return manyReads(files, undefined, state, cmd.perWord)
    }
    case 'head':
    case 'tail':
      return headTail(cmd, name, state, input)
    case 'awk':
    case 'gawk': {
      if (awkWrites(cmd, state)) return {type: 'opaque'}
      const lines = awkLines(cmd, state, input)
      if (lines !== null) return lines
      break
    }
    case 'sed':
      return sed(cmd, state, input)
    case 'grep':
    case 'egrep':
    case 'fgrep':
    case 'rg':
    case 'ag':
    case 'ack':
    case 'select-string':
    case 'sls':
      return grep(cmd, name, state, input)
    case 'find':
      return find(cmd, state)
    case 'fd':
    case 'fdfind':
      return fd(cmd, state)
    case 'ls':
    case 'll':
    case 'dir':
    case 'get-childitem':
    case 'gci':
    case 'tree':
      return listing(cmd, name, state)
    case 'xargs':
      return xargs(cmd, state, input)
    case 'yq':
      // `yq --split-exp '.name' f.yaml`: a file per document, named by the expression, in the folder it runs in.
      if (w.some(x => x === '--split-exp' || x.startsWith('--split-exp='))) {
        if (state.dir && state.dir !== '/') state.action.writesUnder.push(state.dir)
        else state.action.writesAny = true
        return {type: 'opaque'}
      }
      // `yq -i '.a = 1' f.yaml`, `yq e -i …`: the expression, then the files it rewrites.
      if (w.some(x => x === '--inplace' || x === '--in-place' || /^-[a-zA-Z]*i[a-zA-Z]*$/.test(x))) {
        const words = operands(cmd, YQ_VALUE)
        if (/^(?:e|eval|ea|eval-all)$/.test(words[0]?.word ?? '')) words.shift()
        editsInPlace(state, words.slice(1))
        return {type: 'opaque'}
      }
      break
    case 'tee': {
      for (const f of operands(cmd, new Set()))
        write(state, f.word, f.dynamic, input?.type === 'literal' ? input.text : undefined, w.includes('-a'))
      return input
    }
    case 'echo':
    case 'printf':
    case 'write-output':
    case 'write-host': {
      if (cmd.dynamic.slice(1).some(Boolean) || name === 'printf') return {type: 'literal'}
      const args = w.slice(1).filter(x => !/^-[neE]+$/.test(x))
      return {type: 'literal', text: `${args.join(' ')}\n`}
    }
    case 'touch':
    case 'mkdir':
    case 'rmdir':
    case 'chmod':
    case 'chown':
    case 'truncate':
    case 'ln':
    case 'new-item':
    case 'ni':
    case 'set-content':
    case 'add-content':
    case 'out-file':
    case 'remove-item':
    case 'rm':
    case 'del':
    case 'unlink':
    case 'shred':
      return fileOp(cmd, name, state)
    case 'tar':
    case 'bsdtar':
    case 'gtar':
      return tarCommand(cmd, state)
    case 'unzip':
      return unzipCommand(cmd, state)
    case 'cp':
    case 'mv':
    case 'copy-item':
    case 'move-item':
    case 'rsync':
    case 'install':
      return copyMove(cmd, name, state)
    case 'git':
      return git(cmd, state)
    case 'patch':
      return patchCmd(cmd, state, heredoc?.body)
    case 'apply_patch':
    case 'applypatch': {
      const text = heredoc?.body ?? hereString?.target ?? w[1]
      if (text !== undefined) addPatchWrites(text, state)
      else {
        // `apply_patch < /tmp/fix.patch`: the patch file names what it changes (its content looked up as a script's).
        const input = cmd.redirects.find(r => r.op === '<' && r.fd === 0 && !r.dynamic)?.target
        const path = pathArg(input, false, state)
        if (path) a.scripts.push({lang: 'patch', path, cwd: state.dir})
        else a.writesAny = true
      }
      return {type: 'opaque'}
    }
    case 'perl':
    case 'ruby': {
      const edit = inPlace(cmd)
      if (edit) return inPlaceEdit(edit, state)
      return script(cmd, name, state, heredoc?.body)
    }
    case 'bash':
    case 'sh':
    case 'zsh':
    case 'dash':
    case 'source':
    case '.':
    case 'eval':
      return shellScript(cmd, name, state, heredoc?.body)
    case 'node':
    case 'deno':
    case 'bun':
    case 'ts-node':
    case 'tsx': {
      if (name === 'bun' && JS_MANAGERS.has(name) && w[1] && !/\.[cm]?[jt]sx?$/.test(w[1]))
        return jsManager(cmd, name, state)
      // `node node_modules/.bin/vitest run`: the package's own program, as npx runs it.
      const tool = name === 'node' && w[1] && !cmd.dynamic[1] ? packageProgram(w[1]) : undefined
      if (tool)
        return npx(
          {...cmd, words: ['npx', tool, ...w.slice(2)], dynamic: [false, false, ...cmd.dynamic.slice(2)]},
          state,
        )
      return script(cmd, name, state, heredoc?.body)
    }
    case 'powershell':
    case 'pwsh':
      return powershell(cmd, state)
    case 'npx':
    case 'pnpx':
    case 'bunx':
      return npx(cmd, state)
    case 'make':
    case 'cmake':
    case 'ninja':
    case 'gradle':
    case 'gradlew':
    case 'mvn':
    case 'ant':
    case 'bazel':
    case 'cargo':
    case 'go':
    case 'dotnet':
    case 'mix':
    case 'swift':
      return buildTool(cmd, name, state)
    default:
      break
  }
  if (PYTHONS.test(name)) return python(cmd, state, heredoc?.body)
  if (JS_MANAGERS.has(name)) return jsManager(cmd, name, state)
  if (INSTALLERS.has(name)) return installer(cmd, name, state)
  if (TEST_RUNNERS.has(name)) return testRun(cmd, state, TEST_LANG[name])
  if (CHECKERS.has(name)) return checker(cmd, name, state)
  if (name in WRAPPERS) return {type: 'opaque'}
  if (name === 'test' || name === '[' || name === '[[' || name === 'test-path') {
    const s = existenceTest(cmd, name, state)
    if (s) return {type: 'search', search: s}
  }
  // `find d -type f | sort`, `rg -l x | sort -u`: the same hits in another order (duplicates dropped), no more, no fewer.
  if (input?.type === 'search' && reordersOnly(cmd, name)) return input
  // `rg -n x f | wc -l`: how many lines the search found, a count of what its lines would have shown.
  if (
    name === 'wc' &&
    input?.type === 'search' &&
    input.search.mode === 'content' &&
    input.search.output === 'lines' &&
    cmd.words.length === 2 &&
    cmd.words[1] === '-l'
  )
    return {type: 'search', search: {...input.search, output: 'count'}}
  if (LOOKERS.has(name)) {
    // `sort -o FILE` (also in place: `sort -o f f`) and macOS's `base64 -d -o FILE` write their output there.
    if (name === 'sort' || name === 'base64') {
      const o = w.findIndex(x => x === '-o' || x === '--output' || x.startsWith('--output=') || /^-o./.test(x))
      if (o !== -1) {
        const x = w[o]!
        const inline = x.startsWith('--output=')
          ? x.slice(9)
          : x.startsWith('-o') && x.length > 2
            ? x.slice(2)
            : undefined
        write(state, inline ?? w[o + 1], inline !== undefined ? cmd.dynamic[o] : cmd.dynamic[o + 1])
      }
    }
    for (const f of operands(cmd, new Set())) {
      const p = pathArg(f.word, f.dynamic, state)
      if (p && looksLikePath(f.word)) a.deps.push(p)
      // A look at a path held in a variable (`[ -f "$f" ]`, `wc -l "$f"`): at some file below the folder its words name.
      else if (f.dynamic && (FILE_TESTS.has(name) ? w.some(x => FILE_TEST_FLAG.test(x)) : !NOT_FILES.has(name))) {
        const dir = staticDir(f.word, state)
        if (dir) a.deps.push(dir)
        else a.depsAny = true
      }
    }
    // `grep … || true`, `set -e; cat f`: a builtin that prints nothing adds nothing to what the call showed.
    if (printsNothing(name, w)) return {type: 'literal', text: ''}
    // `wc -l f` and `diff a b` depend on the files; `sort`/`awk` in a pipe transform what came in.
    return input?.type === 'literal' || name === 'echo' ? input : {type: 'opaque'}
  }
  if (name === 'ssh') return remoteShell(cmd, state)
  if (name === 'scp') return secureCopy(cmd, state)
  if (name === 'gh') return githubCli(cmd, state)
  if (name === 'openssl') return openssl(cmd, state)
  if (name === 'sqlite3') return sqlite(cmd, state, input)
  if (name === 'adb') return adb(cmd, state)
  if (VOLATILE.has(name)) {
    a.volatile = true
    if (name === 'curl') curlWrites(cmd, state)
    else if (name === 'wget') wgetWrites(cmd, state)
    else if (name === 'invoke-webrequest' || name === 'invoke-restmethod') {
      // `Invoke-WebRequest -Uri … -OutFile f.zip`: the download goes to that file.
      // (PowerShell takes `-OutFile:x`, and any unambiguous prefix of the name: `-OutF`.)
      const k = w.findIndex(x => /^-outf(?:i(?:le?)?)?(?::.*)?$/i.test(x))
      const joined = k === -1 ? undefined : /^[^:]+:(.+)$/.exec(w[k]!)?.[1]
      if (joined !== undefined) write(state, joined, cmd.dynamic[k])
      else if (k !== -1) write(state, w[k + 1], cmd.dynamic[k + 1])
    }
    if (name === 'docker' && (w[1] === 'run' || w[1] === 'build')) dockerRun(cmd, state)
    else if (name === 'docker' || name === 'docker-compose' || name === 'kubectl' || name === 'systemctl') {
      // `docker compose ps` and `docker-compose logs` look as `docker ps` does (global options skipped:
      // `docker compose -f x.yml --env-file .env config`).
      let at = subcommandAt(w, 1)
      const compose = name === 'docker-compose' || (name === 'docker' && w[at] === 'compose')
      if (name === 'docker' && compose) at = subcommandAt(w, at + 1)
      const sub = w[at] ?? ''
      if (compose && sub === 'config') return composeConfig(cmd, at, state)
      // Building, pulling or pushing a service's images writes no file of the host (as `docker build` without -o).
      a.writesAny = !CONTAINER_LOOKS.has(sub) && !(compose && IMAGE_ONLY.has(sub))
    }
    return {type: 'opaque'}
  }
  if (PROCESS.has(name)) return undefined
  // A project's own test runner by its conventional name, run by its path: a test run.
  if (w[0] && !cmd.dynamic[0] && /(?:^|\/)runtests\.py$/.test(w[0])) return testRun(cmd, state, 'python')
  // (`/usr/bin/test` never comes here: commandName names it `test`, one of the LOOKERS.)
  if (w[0] && !cmd.dynamic[0] && /(?:^|\/)bin\/test$/.test(w[0])) return testRun(cmd, state)
  const kit = w[0] && !cmd.dynamic[0] ? specKit(w[0], state) : undefined
  if (kit) return kit
  if (w[0]?.startsWith('./') || w[0]?.startsWith('/')) {
    // A script or binary run by path: a script aco can read is judged by its content.
    const path = scriptPath(w[0], cmd.dynamic[0], state)
    const help = asksHelp(w.slice(1))
    if (path && /\.py$/.test(path)) a.scripts.push({lang: 'python', path, cwd: state.dir, help})
    else if (path && /\.[cm]?js$/.test(path)) a.scripts.push({lang: 'node', path, cwd: state.dir, help})
    // (A shell script passes its arguments on as often as not: `./run.sh pytest -h` asks pytest.)
    else if (path && /\.(?:sh|bash)$/.test(path)) a.scripts.push({lang: 'shell', path, cwd: state.dir})
    else a.writesAny = true
    a.depsAny = true
    return {type: 'opaque'}
  }
  // Unknown: assume it may have written anything, unless its subcommands only ask (`tool session list`). What it
  // answers may change by itself (a deploy's status, a queue): asked again, it is no repeat (review 60).
  if (asksOnly(cmd)) a.volatile = true
  else a.writesAny = true
  a.depsAny = true
  return {type: 'opaque'}
}

/**
 * The subcommands of a command-line tool that, whatever the tool, ask and change nothing: `status`, `list`, `show`,
 * `current`, `whoami`… (`kubectl get` and `gh pr view` are known; `entire session current` is not).
 */
const ASKING = new Set(['status', 'list', 'current', 'whoami', 'info', 'view'])

/**
 * Subcommands that make or change something: one before the asking word is the command (`flutter create status` makes
 * a project named status, `rails new info` an app).
 */
const MAKING =
  /^(?:create|new|init|add|set|update|upgrade|delete|remove|rm|install|uninstall|sync|apply|push|pull|deploy|run|exec|build|generate|gen|make|start|stop|restart|kill|reset|clean|fix|edit|write|put|post|publish|release|import|export|migrate|up|down|commit|merge|rebase|checkout|switch|mv|cp|move|copy)$/i

/** Options an asking subcommand may take and still only ask: how much and in what form to answer. */
const ASKING_OPTIONS =
  /^(?:--(?:json|yaml|format|output-format|all|verbose|quiet|no-pager|porcelain|long|limit|status|state|project|region|namespace|profile|env|plain|wide|short)(?:=.*)?|-[aqvlnj]|--?h(?:elp)?)$/

/** The asking options that take a value as the next word. */
const TAKES_VALUE = /^(?:-n|--(?:limit|status|state|project|region|namespace|profile|env|format|output-format))$/

/**
 * Whether a program aco does not know is asked only: one or two plain subcommand words, none that makes or changes
 * something, the last of them one that asks (see ASKING), then at most one operand, and options only of how much and in
 * what form to answer (`tool session list --json`; not `tool status --fix`, `tool create status`).
 */
function asksOnly(cmd: SimpleCommand): boolean {
  const w = cmd.words
  if (w.length < 2 || w.length > 10 || cmd.dynamic.some(Boolean)) return false
  const plain: string[] = []
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (!x.startsWith('-')) plain.push(x)
    else if (!ASKING_OPTIONS.test(x)) return false
    // (`-n 20`, `--status any`: the value it takes.)
    else if (TAKES_VALUE.test(x) && w[k + 1] !== undefined && !w[k + 1]!.startsWith('-')) k++
  }
  const at = plain.findIndex(x => ASKING.has(x.toLowerCase()))
  if (at < 0 || at > 1) return false
  if (plain.slice(0, at).some(x => !/^[a-z][a-z-]*$/.test(x) || MAKING.test(x))) return false
  return plain.length - at - 1 <= 1
}

interface Operand {
  word: string
  dynamic: boolean
}

/** Options of `nl` that take a value (`cat` has none). */
const NL_VALUE_OPTS = new Set(['-b', '-v', '-i', '-w', '-s', '-n', '-l', '-d', '-h', '-f'])

/** The non-option words of a command (options in `withValue` take the next word). */
function operands(cmd: SimpleCommand, withValue: ReadonlySet<string>): Operand[] {
  const out: Operand[] = []
  let options = true
  for (let k = 1; k < cmd.words.length; k++) {
    const word = cmd.words[k]!
    if (options && word === '--') {
      options = false
      continue
    }
    if (options && word.startsWith('-') && word.length > 1) {
      if (withValue.has(word)) k++
      continue
    }
    out.push({word, dynamic: cmd.dynamic[k]!})
  }
  return out
}

function headTail(cmd: SimpleCommand, name: 'head' | 'tail', state: State, input: Stream): Stream {
  const w = cmd.words
  let count = 10
  let bytes = false
  let follow = false
  let fromLine: number | undefined
  const files: Operand[] = []
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    const num = /^-(\d+)$/.exec(x)
    if (num) count = Number(num[1])
    else if (x === '-n' || x === '--lines' || x === '-c' || x === '--bytes') {
      const v = w[++k] ?? ''
      if (x === '-c' || x === '--bytes') bytes = true
      if (v.startsWith('+')) fromLine = Number(v.slice(1))
      else count = Math.abs(Number(v)) || 10
    } else if (/^-n\d+$/.test(x)) count = Number(x.slice(2))
    else if (/^--lines=/.test(x)) count = Number(x.slice(8)) || 10
    else if (x === '-f' || x === '-F' || x === '--follow') follow = true
    else if (x.startsWith('-')) {
      // -q, -v
    } else files.push({word: x, dynamic: cmd.dynamic[k]!})
  }
  if (follow) state.action.volatile = true
  const range: Range | undefined = bytes
    ? undefined
    : name === 'head'
      ? [1, 1 + count]
      : fromLine !== undefined
        ? [fromLine, WHOLE]
        : undefined
  if (files.length === 1) {
    const path = pathArg(files[0]!.word, files[0]!.dynamic, state)
    if (!path) return {type: 'opaque'}
    // `tail -n 20 f` shows the file's last lines, which only its length places.
    if (!range) {
      state.action.deps.push(path)
      return bytes || count < 1 ? {type: 'opaque'} : {type: 'read', path, file: path, last: count}
    }
    return {type: 'read', path, range, file: path}
  }
  if (files.length > 1) return name === 'head' && range ? manyReads(files, range, state) : {type: 'opaque'}
  // `head -500 | tail -100` shows the last lines of what came in: lines 401-500 when the file is that long.
  if (name === 'tail' && !range && !bytes && input?.type === 'read' && input.range && input.range[1] !== WHOLE) {
    const [start, end] = input.range
    return {type: 'read', path: input.path, file: input.file, range: [Math.max(start, end - count), end]}
  }
  // `cat f | tail -N`: the file's last lines, which only its length places; the run still depends on the file (a log
  // written since shows other last lines). Read so, as `tail -N f` is (trial 106: `cat -n f | tail -20` after `cat f`
  // printed it whole had gone unseen); not after PowerShell's `Get-Content -Raw`, whose one object is the whole text.
  if (name === 'tail' && !range && input?.type === 'read' && input.range === undefined) {
    state.action.deps.push(input.path)
    if (!bytes && count >= 1 && input.last === undefined && !input.raw)
      return {type: 'read', path: input.path, file: input.file, last: count}
  }
  // `| tail -N` keeps N lines too (the last ones): what came in shorter than that lost nothing.
  return narrowStream(input, range, name === 'tail' && !bytes && fromLine === undefined ? count : undefined)
}

/** `NR==5`, `NR>=10 && NR<=20`, `NR>9 && NR<21`, `NR>=10` (with an optional `{print}` or `{print $0}`). */
const AWK_LINES =
  /^\s*NR\s*(==|>=|>)\s*(\d+)\s*(?:&&\s*NR\s*(<=|<)\s*(\d+)\s*)?(\{\s*print(?:\s+\$0)?\s*;?\s*\}|\{\s*printf?\s*\(?(?:\s*(?:"(?:[^"\\]|\\.)*"|NR|\$0)\s*,?)+\)?\s*;?\s*\})?\s*$/

/**
 * What an awk program writes: gawk's `-i inplace` rewrites the files it reads; `print > "out.txt"` and `printf …
 * >> "log"` write the files they name; `system(…)`, a pipe to or from a command (`print | "sort"`, `"date" |
 * getline`) or a program aco cannot read (`-f prog.awk`, a variable) may write anything. True when it may write
 * (its writes recorded); false for a program that only reads and prints.
 */
function awkWrites(cmd: SimpleCommand, state: State): boolean {
  const w = cmd.words
  const a = state.action
  const programs: Operand[] = []
  const files: Operand[] = []
  let inplace = false
  let unread = false
  const include = (lib: string | undefined): void => {
    // gawk's `-i inplace` (also its file, `inplace.awk`) edits the files in place; any other library is code unread.
    if (lib !== undefined && /^(?:.*\/)?inplace(?:\.awk)?$/.test(lib)) inplace = true
    else unread = true
  }
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (x === '--') {
      // (The program may come after `--`: `awk -- '{print}' f`.)
      const rest = w.slice(k + 1).map((word, j) => ({word, dynamic: cmd.dynamic[k + 1 + j]!}))
      if (programs.length === 0 && !unread && rest.length) programs.push(rest.shift()!)
      files.push(...rest)
      break
    }
    if (x === '-F' || x === '-v' || x === '--assign' || x === '--field-separator') k++
    else if (x === '-i' || x === '--include') include(w[++k])
    else if (x.startsWith('--include=')) include(x.slice(10))
    else if (/^-i./.test(x)) include(x.slice(2))
    else if (x === '-f' || x === '--file' || x === '-E' || x === '--exec') {
      unread = true
      k++
    } else if (x === '-e' || x === '--source') {
      programs.push({word: w[k + 1] ?? '', dynamic: cmd.dynamic[k + 1] ?? true})
      k++
    } else if (x.startsWith('-') && x.length > 1) {
      if (/^-[fE]./.test(x) || x.startsWith('--file=') || x.startsWith('--exec=')) unread = true
    } else if (programs.length === 0 && !unread) programs.push({word: x, dynamic: cmd.dynamic[k]!})
    else files.push({word: x, dynamic: cmd.dynamic[k]!})
  }
  let writes = inplace || unread
  if (inplace) editsInPlace(state, files)
  if (unread) a.writesAny = true
  for (const p of programs) {
    if (p.dynamic) {
      a.writesAny = true
      writes = true
      continue
    }
    // Its string literals and regular expressions set aside (a `"->"` printed is no redirection, a `/"/` no string),
    // each string kept to name the file it may be; a literal never closed: a program aco does not read right.
    const masked = maskAwk(p.word)
    const strings = masked?.strings ?? []
    const text = masked?.text ?? ''
    if (!masked || /\bsystem\s*\(|\|&?\s*getline|@(?:include|load)\b/.test(text)) {
      a.writesAny = true
      writes = true
      continue
    }
    // Statement by statement (each read once: a long program costs no more than its length), `print … > target`,
    // `printf … >> target`: a quoted name is that file; anything else, any file. `print … | "cmd"` runs a command.
    for (const statement of text.split(/[;}\n]/)) {
      const at = statement.search(/\bprintf?\b/)
      if (at === -1) continue
      const rest = statement.slice(at)
      const redirect = rest.indexOf('>')
      if (rest.includes('|')) {
        a.writesAny = true
        writes = true
      } else if (redirect !== -1) {
        writes = true
        const target = rest.slice(redirect + (rest[redirect + 1] === '>' ? 2 : 1)).trim()
        const literal = /^"(\d+)"$/.exec(target)
        const name = literal ? strings[Number(literal[1])]! : undefined
        if (name && !name.includes('\\')) write(state, name, false)
        else a.writesAny = true
      }
    }
  }
  return writes
}

/**
 * An awk program with its string literals as `"N"` (N: the index of its text in `strings`) and its regular expression
 * literals as `/R/`, read left to right as awk reads them: a `/` opens a regular expression where an operand may
 * start (at the start, after `(`, `,`, `~`, `!`, `{`, `;`, `&`, `|`, a newline), and divides elsewhere. Undefined for
 * a literal never closed (a program aco does not read right).
 */
function maskAwk(program: string): {text: string; strings: string[]} | undefined {
  const strings: string[] = []
  let text = ''
  let last = ''
  for (let k = 0; k < program.length; k++) {
    const c = program[k]!
    if (c === '"') {
      let j = k + 1
      while (j < program.length && program[j] !== '"') j += program[j] === '\\' ? 2 : 1
      if (j >= program.length) return undefined
      text += `"${strings.push(program.slice(k + 1, j)) - 1}"`
      k = j
      last = '"'
      continue
    }
    if (c === '/' && (last === '' || '(,;~!&|{\n'.includes(last))) {
      let j = k + 1
      let inClass = false
      while (j < program.length && (inClass || program[j] !== '/')) {
        if (program[j] === '\\') j++
        else if (program[j] === '[') inClass = true
        else if (program[j] === ']') inClass = false
        else if (program[j] === '\n') return undefined
        j++
      }
      if (j >= program.length) return undefined
      text += '/R/'
      k = j
      last = '/'
      continue
    }
    text += c
    if (c !== ' ' && c !== '\t') last = c
  }
  return {text, strings}
}

/**
 * `awk` whose whole program selects lines by number prints a range of its
 * file (or of what came in); null for any other program (judged as before).
 */
function awkLines(cmd: SimpleCommand, state: State, input: Stream): Stream | null {
  const w = cmd.words
  if (w.length < 2 || w.length > 3 || w[1]!.startsWith('-') || cmd.dynamic[1]) return null
  const m = AWK_LINES.exec(w[1]!)
  // (Each line as it is, or with its number beside it, `{printf "%6d\t%s\n", NR, $0}`: the line itself is printed.)
  if (!m || (m[5] !== undefined && /NR|"/.test(m[5]) && !m[5].includes('$0'))) return null
  const from = Number(m[2]) + (m[1] === '>' ? 1 : 0)
  const range: Range =
    m[1] === '=='
      ? [from, from + 1]
      : m[3] === undefined
        ? [from, WHOLE]
        : [from, Number(m[4]) + (m[3] === '<=' ? 1 : 0)]
  if (range[1] !== WHOLE && range[1] <= range[0]) return null
  if (w.length === 3) {
    const path = pathArg(w[2]!, cmd.dynamic[2]!, state)
    return path ? {type: 'read', path, range, file: path} : null
  }
  return input?.type === 'read' ? narrowStream(input, range) : null
}

/**
 * Several files shown in turn (`cat a b`; `head -20 a b`, each under its `==> a <==` header): what each shows, as
 * `cat a; cat b` would. The command depends on them all; one aco cannot place shows what aco cannot tell.
 */
function manyReads(files: readonly Operand[], range: Range | undefined, state: State, each?: boolean): Stream {
  const reads: FileRead[] = []
  for (const f of files) {
    const path = pathArg(f.word, f.dynamic, state)
    if (!path) {
      state.action.depsAny = true
      return {type: 'opaque'}
    }
    state.action.deps.push(path)
    reads.push(range ? {path, range} : {path})
  }
  return each ? {type: 'reads', reads, each} : {type: 'reads', reads}
}

/**
 * A line filter applied to a stream: a read gets the lines in `range`, a search shows part of its hits (`kept`: how
 * many lines a `tail -N` keeps, when the filter is one).
 */
function narrowStream(input: Stream, range: Range | undefined, kept?: number): Stream {
  if (!input) return input
  // Files read each by a run of its own (a `for` loop's body): the filter cut each one's lines.
  if (input.type === 'reads')
    return input.each && range && kept === undefined
      ? {type: 'reads', reads: input.reads.map(r => ({path: r.path, range: narrow(r.range, range)})), each: true}
      : {type: 'opaque'}
  if (input.type === 'read') {
    if (!range || input.last !== undefined) return {type: 'opaque'}
    return {type: 'read', path: input.path, file: input.file, range: narrow(input.range, range)}
  }
  if (input.type === 'search') {
    // `| head -N` keeps the first N lines, `| tail -N` the last N; anything else (`| sed -n 5,9p`) leaves unknown
    // what was cut.
    const head = range && range[0] === 1 && range[1] !== WHOLE ? range[1] - 1 : (kept ?? Number.NaN)
    const cut = Math.min(head, input.search.cut ?? Number.POSITIVE_INFINITY)
    return {type: 'search', search: {...input.search, limited: true, cut}}
  }
  return input
}

/** A range within a range (`undefined` = the whole file). */
function narrow(outer: Range | undefined, inner: Range): Range {
  if (!outer) return inner
  const start = outer[0] + inner[0] - 1
  const end = inner[1] === WHOLE ? outer[1] : Math.min(outer[1], start + (inner[1] - inner[0]))
  return [start, end]
}

function sed(cmd: SimpleCommand, state: State, input: Stream): Stream {
  const w = cmd.words
  let inPlace = false
  let suffix: string | undefined
  let quiet = false
  // A script in a file (`-f fix.sed`): what it does, aco cannot read.
  let unread = false
  const scripts: string[] = []
  const files: Operand[] = []
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (x === '--in-place' || x.startsWith('--in-place=')) {
      inPlace = true
      if (x.length > 11) suffix = x.slice(11)
    } else if (x === '--quiet' || x === '--silent') quiet = true
    else if (x === '--expression') scripts.push(w[++k] ?? '')
    else if (x.startsWith('--expression=')) scripts.push(x.slice(13))
    else if (x === '--file' || x.startsWith('--file=')) {
      unread = true
      if (x === '--file') k++
    } else if (x.startsWith('--')) {
      // --regexp-extended, --separate, --null-data, --posix, --debug…
    } else if (x.startsWith('-') && x.length > 1) {
      // One-letter options cluster (`-Ei`, `-ni.bak`, `-ne 's/a/b/p'`): `i` takes the rest of the word as its backup
      // suffix, `e` and `f` the rest of the word or the next one, `l` a number.
      for (let c = 1; c < x.length; c++) {
        const ch = x[c]!
        const rest = x.slice(c + 1)
        if (ch === 'i') {
          inPlace = true
          if (rest) suffix = rest
          // BSD sed (macOS) takes the suffix as the next word: `sed -i '' 's/a/b/' f`, `sed -i .bak …`.
          else if (x === '-i' && (w[k + 1] === '' || /^\.\w+$/.test(w[k + 1] ?? ''))) suffix = w[++k] || undefined
          break
        }
        if (ch === 'e' || ch === 'f' || ch === 'l') {
          const value = rest || (w[++k] ?? '')
          if (ch === 'e') scripts.push(value)
          else if (ch === 'f') unread = true
          break
        }
        if (ch === 'n') quiet = true
      }
    } else if (scripts.length === 0 && !unread) scripts.push(x)
    else files.push({word: x, dynamic: cmd.dynamic[k]!})
  }
  const script = scripts.join(';')
  // `w file` and `W file` commands write (after an address too: `/start/,/end/w out.txt`), as does a substitution's `w`
  // flag (`s/a/b/w out.txt`); its `e` flag and the `e` command run a command.
  if (unread || SED_WRITE_COMMAND.test(script) || SUBSTITUTION_WRITES.test(script) || SED_EXECUTE.test(script))
    state.action.writesAny = true
  if (inPlace) {
    editsInPlace(state, files, suffix)
    return undefined
  }
  const range = quiet ? sedRange(script) : undefined
  // (Several ranges one after another, `sed -n '52,75p;632,705p'`: each shown in turn, as `cat a b` shows files.)
  const ranges = quiet && !range ? sedRanges(script) : undefined
  if (files.length === 1) {
    const path = pathArg(files[0]!.word, files[0]!.dynamic, state)
    if (!path) return {type: 'opaque'}
    if (range) return {type: 'read', path, range, file: path}
    if (ranges) return {type: 'reads', reads: ranges.map(r => ({path, range: r}))}
    state.action.deps.push(path)
    return {type: 'opaque'}
  }
  if (files.length > 1) return {type: 'opaque'}
  if (range) return narrowStream(input, range)
  if (ranges && input?.type === 'read' && input.last === undefined)
    return {type: 'reads', reads: ranges.map(r => ({path: input.path, range: narrow(input.range, r)}))}
  // Names rewritten (`find . -type f | sed 's#^./##'`): the same files, written otherwise.
  if (input?.type === 'search' && input.search.mode === 'name' && !quiet && SUBSTITUTIONS.test(script)) return input
  return input?.type === 'literal' ? {type: 'literal'} : input ? {type: 'opaque'} : undefined
}

/**
 * A substitution whose flags write a file or run a command (`s/a/b/gw out.txt`, `s/^/date /e`), after an address or not
 * (`1,5s/…/w f`, `/x/s/…/w f`, `$s/…/e`).
 */
const SUBSTITUTION_WRITES = /(?:^|[;{}\s\d$!/~])s([^\w\s\\])(?:(?!\1)[^\\]|\\.)*\1(?:(?!\1)[^\\]|\\.)*\1[gpiImM\d]*[we]/
/** sed's `w`/`W` command, alone or after an address (`/start/,/end/w out.txt`, `1,5w part.txt`). */
const SED_WRITE_COMMAND = /(?:^|[;{}\s\d$!/])[wW]\s+\S/
/** GNU sed's `e` command (`1e date`, `/x/e cmd`, `e touch y`): it runs a command. */
const SED_EXECUTE =
  /(?:^|[;{\n])\s*(?:(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)(?:,(?:\d+|\$|\/(?:[^/\\]|\\.)*\/))?!?\s*)?e(?:\s|;|$)/

/** A sed script of substitutions only (`s#^./##`, `s/a/b/g; s/c/d/`): no line added, dropped, printed or written. */
const SUBSTITUTIONS =
  /^\s*s([#/|,:@])(?:(?!\1)[^\\]|\\.)*\1(?:(?!\1)[^\\]|\\.)*\1[gI\d]*\s*(?:;\s*s\1(?:(?!\1)[^\\]|\\.)*\1(?:(?!\1)[^\\]|\\.)*\1[gI\d]*\s*)*;?\s*$/

/** `10,40p` → [10, 41); `5p` → [5, 6); `10,$p` → [10, end). */
function sedRange(script: string): Range | undefined {
  const m = /^\s*(\d+)(?:\s*,\s*(\d+|\$))?\s*p\s*;?\s*$/.exec(script)
  if (!m) return undefined
  const start = Number(m[1])
  if (m[2] === '$') return [start, WHOLE]
  const end = m[2] === undefined ? start : Number(m[2])
  // `sed -n 1251,1140p`: an end before the start prints the start line alone.
  return [start, Math.max(start, end) + 1]
}

/**
 * `52,75p;632,705p`: ranges printed one after another, each past the one before (else the lines would come out of
 * their order in the file, or twice); undefined for any other script.
 */
function sedRanges(script: string): Range[] | undefined {
  const parts = script.split(';').filter(p => p.trim() !== '')
  if (parts.length < 2) return undefined
  const ranges: Range[] = []
  for (const part of parts) {
    const r = sedRange(part)
    if (!r || (ranges.length && r[0] < ranges[ranges.length - 1]![1])) return undefined
    ranges.push(r)
  }
  return ranges
}

function newSearch(mode: Search['mode'], scopes: string[]): Search {
  return {
    mode,
    pattern: '',
    flags: '',
    scopes,
    depth: Number.POSITIVE_INFINITY,
    names: [],
    filters: [],
    otherFilters: false,
    listing: false,
    output: mode === 'content' ? 'lines' : 'files',
    context: [0, 0],
    limited: false,
    hidden: true,
  }
}

const GREP_VALUE = new Set(['A', 'B', 'C', 'm', 'e', 'f', 'd', 'D', 'g', 't', 'T', 'M', 'j'])

/** grep / rg / ag / Select-String: a content search (or, reading a stream, a filter of it). */
function grep(cmd: SimpleCommand, name: string, state: State, input: Stream): Stream {
  const w = cmd.words
  const rg = name === 'rg' || name === 'ag' || name === 'ack'
  const ps = name === 'select-string' || name === 'sls'
  const patterns: string[] = []
  const positional: Operand[] = []
  const flags = new Set<string>()
  let recursive = rg
  let output: Search['output'] = rg && name === 'rg' ? 'lines' : 'lines'
  const context: [number, number] = [0, 0]
  const names: string[] = []
  // Paths left out by name (`rg -g '!**/build/**'`, `grep --exclude-dir=dist`): a search that leaves out the same ones,
  // or more, looks at no file this one did not. Only where what they leave out does not hang on the order of the
  // options (a glob or an include after them overrides them, in rg and grep alike) nor on the folder the search ran
  // from (a glob with a `/` inside is anchored there): else the search is one aco does not compare (review 79).
  const excludes: string[] = []
  let other = false
  const exclude = (kind: string, glob: string): void => {
    if (
      /\//.test(
        glob
          .replace(/^\*\*\//, '')
          .replace(/\/\*\*$/, '')
          .replace(/\/$/, ''),
      )
    )
      other = true
    else excludes.push(kind + glob)
  }
  let overridden = false
  const include = (name: string): void => {
    if (excludes.length) overridden = other = true
    names.push(name)
  }
  let quiet = false
  let limited = false
  let hidden = !rg
  let listFiles = false
  let sorted = false
  let depth = Number.POSITIVE_INFINITY
  // grep's own syntax is basic (`(`, `|`, `+` are plain characters) unless told otherwise; rg, ag and ack read Perl's.
  let extended = rg || ps || name === 'egrep'
  if (name === 'fgrep') flags.add('F')
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (x === '--') {
      for (k++; k < w.length; k++) positional.push({word: w[k]!, dynamic: cmd.dynamic[k]!})
      break
    }
    if (ps) {
      if (/^-(?:pattern)$/i.test(x)) patterns.push(w[++k] ?? '')
      else if (/^-(?:path|literalpath)$/i.test(x))
        positional.push({word: w[++k] ?? '', dynamic: cmd.dynamic[k] ?? false})
      else if (/^-simplematch$/i.test(x)) flags.add('F')
      else if (/^-context$/i.test(x)) {
        // `-Context 0,2`: lines before and after each hit.
        const [before, after] = (w[++k] ?? '').split(',').map(Number)
        context[0] = Number.isFinite(before) ? before! : 0
        context[1] = Number.isFinite(after) ? after! : context[0]
      } else if (/^-(?:encoding|include|exclude)$/i.test(x)) {
        k++
        other = true
      } else if (/^-casesensitive$/i.test(x)) {
        // PowerShell matches case-insensitively by default
      } else if (x.startsWith('-')) other = true
      else positional.push({word: x, dynamic: cmd.dynamic[k]!})
      continue
    }
    if (x.startsWith('--')) {
      const eq = x.indexOf('=')
      const key = eq === -1 ? x : x.slice(0, eq)
      const takes =
        /^--(?:after-context|before-context|context|max-count|regexp|file|include|exclude|exclude-dir|glob|type|type-not|max-depth|maxdepth|iglob|binary-files|color|colour|devices|directories|label|max-columns|threads|sort|sortr|engine|encoding|replace)$/.test(
          key,
        )
      const value = eq !== -1 ? x.slice(eq + 1) : takes ? (w[++k] ?? '') : ''
      switch (key) {
        case '--recursive':
        case '--dereference-recursive':
          recursive = true
          break
        case '--ignore-case':
          flags.add('i')
          break
        case '--word-regexp':
          flags.add('w')
          break
        case '--line-regexp':
          flags.add('x')
          break
        case '--invert-match':
          flags.add('v')
          break
        case '--fixed-strings':
          flags.add('F')
          break
        case '--extended-regexp':
        case '--perl-regexp':
          extended = true
          break
        case '--files-with-matches':
          output = 'files'
          break
        case '--files-without-match':
          output = 'files'
          other = true
          break
        case '--count':
          output = 'count'
          break
        case '--after-context':
          context[1] = Number(value) || 0
          break
        case '--before-context':
          context[0] = Number(value) || 0
          break
        case '--context':
          context[0] = context[1] = Number(value) || 0
          break
        case '--max-count':
          limited = true
          break
        case '--regexp':
          patterns.push(value)
          break
        case '--include':
        case '--glob':
        case '--iglob':
          if (value.startsWith('!')) exclude(`${key === '--iglob' ? 'iexclude' : 'exclude'}:`, value.slice(1))
          else include(value)
          break
        case '--exclude':
        case '--exclude-dir':
          if (rg) other = true
          else exclude(`${key.slice(2)}:`, value)
          break
        case '--type':
          include(`type:${value}`)
          break
        case '--max-depth':
        case '--maxdepth':
          depth = Number(value) || depth
          break
        case '--quiet':
        case '--silent':
          quiet = true
          break
        case '--hidden':
        case '--no-ignore':
        case '--unrestricted':
          hidden = true
          break
        case '--files':
          listFiles = true
          break
        case '--line-number':
        case '--with-filename':
        case '--no-filename':
        case '--no-heading':
        case '--heading':
        case '--color':
        case '--colour':
        case '--no-messages':
        case '--binary-files':
        case '--text':
        case '--null':
        case '--basic-regexp':
        case '--smart-case':
        case '--no-line-number':
        case '--pretty':
        case '--vimgrep':
        case '--trim':
        case '--max-columns':
        case '--follow':
        case '--threads':
          break
        // `--sort modified`, `--sortr accessed`: an order that tells what changed (by path alone tells nothing).
        case '--sort':
        case '--sortr':
          if (key === '--sortr' || !/^(?:path|none)?$/.test(value)) sorted = true
          break
        default:
          other = true
      }
      continue
    }
    if (x.startsWith('-') && x.length > 1 && !/^-\d/.test(x.slice(0, 2)) && patterns.length + positional.length >= 0) {
      for (let c = 1; c < x.length; c++) {
        const ch = x[c]!
        if (GREP_VALUE.has(ch)) {
          const rest = x.slice(c + 1)
          const value = rest || (w[++k] ?? '')
          if (ch === 'A') context[1] = Number(value) || 0
          else if (ch === 'B') context[0] = Number(value) || 0
          else if (ch === 'C') context[0] = context[1] = Number(value) || 0
          else if (ch === 'm') limited = true
          else if (ch === 'e') patterns.push(value)
          else if (ch === 'f') other = true
          else if (ch === 'g') {
            if (value.startsWith('!')) exclude('exclude:', value.slice(1))
            else include(value)
          } else if (ch === 't') include(`type:${value}`)
          else if (ch === 'd' && value === 'recurse') recursive = true
          break
        }
        switch (ch) {
          case 'r':
          case 'R':
            recursive = true
            break
          case 'i':
          case 'y':
            flags.add('i')
            break
          case 'w':
          case 'x':
          case 'v':
          case 'F':
            flags.add(ch)
            break
          case 'l':
            output = 'files'
            break
          case 'L':
            output = 'files'
            other = true
            break
          case 'c':
            output = 'count'
            break
          case 'q':
            quiet = true
            break
          case 'u':
            hidden = true
            break
          case 'o':
            other = true
            break
          case 'E':
          case 'P':
            extended = true
            break
          default:
            // n, H, h, s, I, a, E, G, P, S, N, z: how hits print or how the pattern reads
            break
        }
      }
      continue
    }
    const digits = /^-(\d+)$/.exec(x)
    if (digits) {
      context[0] = context[1] = Number(digits[1])
      continue
    }
    positional.push({word: x, dynamic: cmd.dynamic[k]!})
  }
  let pattern: string | undefined
  if (patterns.length) pattern = patterns.join('|')
  else if (!listFiles) pattern = positional.shift()?.word
  const files = positional
  // A filter of what came in (ripgrep with no path searches what is piped into it, else the folder).
  const filters = files.length === 0 && (rg ? cmd.piped === true : !recursive)
  // Only the exit status of a filter is shown: it depends on what came in, shows none of it.
  if (quiet && filters) return {type: 'opaque'}
  if (filters) {
    // A filter of what came in.
    if (!input) return {type: 'opaque'}
    if (input.type === 'read' && input.last === undefined) {
      // `cat f | grep x` searches f (`| grep -c x` prints only how many lines matched).
      const s = newSearch('content', [input.path])
      s.pattern = normaliseQuery(pattern ?? '', flags.has('i'))
      s.flags = [...flags].sort().join('')
      s.context = context
      if (output === 'count') s.output = 'count'
      s.depth = 1
      if (!extended) s.basic = true
      return {type: 'search', search: s}
    }
    if (input.type === 'search') {
      // `find … | grep x` or `grep … | grep -v y`: fewer hits of the same search. After a cut, its output's length no
      // longer tells whether the cut took anything (`| head -5 | grep -v json` printing four lines).
      const s: Search = {...input.search, limited: true}
      if (s.cut !== undefined) s.cut = Number.NaN
      if (input.search.mode === 'name' && pattern) {
        s.filters = [...s.filters, `${flags.has('v') ? 'not-re' : 're'}:${normaliseQuery(pattern, flags.has('i'))}`]
        s.limited = input.search.limited
      }
      return {type: 'search', search: s}
    }
    return input.type === 'literal' ? {type: 'literal'} : {type: 'opaque'}
  }
  const scopes: string[] = []
  for (const f of files) {
    const p = pathArg(f.word, f.dynamic, state)
    if (p) scopes.push(p)
    else if (f.dynamic) {
      // `grep x src/*.py`: the files of a glob lie in its directory.
      const dir = staticDir(f.word, state)
      if (!dir) {
        // (`rg -c x "$f"`: a search of files aco cannot name depends on any.)
        state.action.depsAny = true
        return {type: 'opaque'}
      }
      scopes.push(dir)
      const base = f.word.slice(f.word.lastIndexOf('/') + 1)
      if (base && !base.includes('$')) names.push(base)
      if (!recursive) depth = 1
    } else {
      state.action.depsAny = true
      return {type: 'opaque'}
    }
  }
  if (scopes.length === 0) {
    if (state.dir === undefined) {
      state.action.depsAny = true
      return {type: 'opaque'}
    }
    scopes.push(state.dir)
  }
  const s = newSearch(listFiles ? 'name' : 'content', scopes)
  s.pattern = listFiles ? '' : normaliseQuery(pattern ?? '', flags.has('i'))
  s.flags = [...flags].sort().join('')
  s.depth = recursive || rg ? depth : 1
  s.names = names
  // (Overridden by what followed them, they tell of no path left out: the search is compared as leaving out none.)
  if (excludes.length && !overridden) s.filters = [...new Set(excludes)]
  s.otherFilters = other
  // `grep -q`: only whether something matched (its exit status), the least a search can show.
  s.output = quiet ? 'status' : listFiles ? 'files' : output
  if (listFiles && state.dir !== undefined) s.base = state.dir
  // (ripgrep leaves out what ignore files name, listing or searching.)
  if (rg && !cmd.words.some(w => w === '--no-ignore' || w === '--unrestricted' || /^-u+$/.test(w))) s.ignores = true
  if (sorted) s.ordered = true
  s.context = context
  s.limited = limited
  // `-m N`: at most N matches a file, which is no count of lines shown.
  if (limited) s.cut = Number.NaN
  s.hidden = hidden
  if (!extended) s.basic = true
  return {type: 'search', search: s}
}

/** Primaries of find that change files, and the commands it may run that change none. */
const FIND_WRITES = new Set(['-delete', '-fprint', '-fprint0', '-fprintf', '-fls'])
const FIND_EXECS = new Set(['-exec', '-execdir', '-ok', '-okdir'])
const FIND_LOOKS = new Set(['cat', 'head', 'tail', 'wc', 'ls', 'file', 'stat', 'echo', 'grep', 'egrep', 'fgrep', 'rg'])

/**
 * A find aco cannot place (a relative scope where the folder is unknown, a variable): its results are not read,
 * but what it may change is: below its scopes (anywhere, where they cannot be placed) with `-delete`, an output
 * file or a command it runs that is not a look.
 */
function unplacedFind(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  const changes = w.some(
    (x, k) =>
      FIND_WRITES.has(x) || (FIND_EXECS.has(x) && !FIND_LOOKS.has(commandName({...cmd, words: w.slice(k + 1)}))),
  )
  if (!changes) return {type: 'opaque'}
  const scopes: Array<{word: string; dynamic: boolean}> = []
  for (let k = 1; k < w.length && !w[k]!.startsWith('-') && w[k] !== '(' && w[k] !== '!' && w[k] !== '\\('; k++)
    scopes.push({word: w[k]!, dynamic: cmd.dynamic[k] ?? false})
  if (scopes.length === 0) state.action.writesAny = true
  for (const s of scopes) writeUnder(state, s.word, s.dynamic)
  return {type: 'opaque'}
}

/** find: a name search (or a content search with `-exec grep`, or a change with `-delete` / `-exec rm`). */
function find(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  const scopes: string[] = []
  let k = 1
  for (; k < w.length; k++) {
    const x = w[k]!
    if (x.startsWith('-') || x === '(' || x === '!' || x === '\\(') break
    const p = pathArg(x, cmd.dynamic[k], state)
    if (!p) return unplacedFind(cmd, state)
    scopes.push(p)
  }
  if (scopes.length === 0) {
    if (state.dir === undefined) return unplacedFind(cmd, state)
    scopes.push(state.dir)
  }
  const s = newSearch('name', scopes)
  const filters: string[] = []
  let exec: string[] | undefined
  let printsOther = false
  for (; k < w.length; k++) {
    const x = w[k]!
    switch (x) {
      case '-name':
      case '-iname':
        s.names.push(x === '-iname' ? `i:${(w[++k] ?? '').toLowerCase()}` : (w[++k] ?? ''))
        break
      case '-path':
      case '-ipath':
      case '-wholename': {
        const glob = w[++k] ?? ''
        // `-path "./test*"`: the hits lie under that prefix.
        const m = /^([^*?[]+?)\/?\*$/.exec(glob)
        const prefix = m ? pathArg(m[1], false, state) : undefined
        if (prefix && scopes.length === 1) {
          s.scopes = [`${prefix}*`]
        } else filters.push(`${x} ${glob}`)
        break
      }
      case '-type':
        filters.push(`-type ${w[++k] ?? ''}`)
        break
      case '-maxdepth':
        s.depth = Number(w[++k]) || s.depth
        break
      case '-printf':
      case '-fprintf':
      case '-fprint':
      case '-fls':
        // It prints (or writes) something else than one path a line.
        printsOther = true
        k++
        break
      case '-ls':
      case '-print0':
        printsOther = true
        break
      case '-empty':
      case '-executable':
      case '-readable':
      case '-writable':
        filters.push(x)
        break
      case '-mindepth':
      case '-newer':
      case '-mtime':
      case '-mmin':
      case '-size':
      case '-perm':
      case '-user':
      case '-group':
      case '-regex':
      case '-iregex':
      case '-ctime':
      case '-atime':
      case '-cmin':
      case '-amin':
      case '-links':
      case '-inum':
      case '-samefile':
      case '-used':
      case '-newermt':
        filters.push(`${x} ${w[++k] ?? ''}`)
        break
      case '-delete':
        for (const scope of s.scopes) writeUnder(state, scope.replace(/\*$/, ''), false)
        break
      case '-exec':
      case '-execdir':
      case '-ok':
      case '-okdir': {
        const start = ++k
        while (k < w.length && w[k] !== ';' && w[k] !== '+' && w[k] !== '\\;') k++
        exec = w.slice(start, k)
        break
      }
      case '-not':
      case '!':
      case '-prune':
        s.otherFilters = true
        break
      default:
        // -o, -a, -print, -print0, -ls, parentheses, -L, -H
        break
    }
  }
  s.names = [...new Set(s.names)]
  s.filters = filters
  s.listing = s.names.length === 0 && filters.length === 0
  // Its paths start with the folders as typed: relative ones hang from where it ran.
  if (!printsOther && state.dir !== undefined) s.base = state.dir
  if (exec) return findExec(exec, s, state)
  return {type: 'search', search: s}
}

/** `find … -exec CMD {} \;` and `… | xargs CMD`: CMD over the files the listing found. */
function findExec(exec: string[], listing: Search, state: State, replace = '{}'): Stream {
  const name = (exec[0] ?? '').toLowerCase()
  if (shellLooksOnly(exec, replace, state)) {
    state.action.deps.push(...listing.scopes)
    return {type: 'opaque'}
  }
  if (name === 'grep' || name === 'egrep' || name === 'rg') {
    // Each found file is grepped: parse it as a grep of one file, then search where the listing looked.
    const words = exec.map(x => (x === '{}' ? '/' : x))
    if (!exec.includes('{}')) words.push('/')
    const fake: SimpleCommand = {
      words,
      dynamic: words.map(() => false),
      assigns: [],
      redirects: [],
      substitutions: [],
      piped: false,
      after: '',
      nested: false,
    }
    const inner = grep(fake, name, {...state, action: emptyAction('run')}, undefined)
    if (inner?.type === 'search') {
      const s: Search = {
        ...inner.search,
        scopes: listing.scopes,
        depth: listing.depth,
        names: listing.names,
        filters: [...listing.filters, ...inner.search.names.map(n => `include:${n}`), ...inner.search.filters],
        // grep on one file at a time prints no file names: its lines still come from the same hits.
        otherFilters: listing.otherFilters || inner.search.otherFilters,
        limited: listing.limited,
      }
      return {type: 'search', search: s}
    }
    return {type: 'opaque'}
  }
  if (
    ['cat', 'head', 'wc', 'ls', 'file', 'stat', 'echo', 'basename', 'dirname', 'md5sum', 'sha256sum', 'du'].includes(
      name,
    )
  ) {
    state.action.deps.push(...listing.scopes)
    return {type: 'opaque'}
  }
  // rm, sed -i, chmod, mv…: anything below where it looked may have changed.
  for (const scope of listing.scopes) writeUnder(state, scope.replace(/\*$/, ''), false)
  return {type: 'opaque'}
}

/** A name no file has: stands for each item `xargs` or `find -exec` hands a script (`{}`, `$1`). */
const EACH_ITEM = '/__aco_each_item__'

/**
 * Whether what `xargs` or `find -exec` runs for each item is a shell's script (`sh -c 'echo "== {} =="; cat {}'`) that
 * only looks, read by the shell model with the item for its placeholder: a script that writes, runs another script or
 * a program aco does not know is not.
 */
function shellLooksOnly(exec: readonly string[], replace: string | undefined, state: State): boolean {
  const name = (exec[0] ?? '').toLowerCase()
  if (!['sh', 'bash', 'zsh', 'dash'].includes(name) || state.depth >= 3) return false
  const c = exec.findIndex((x, k) => k > 0 && /^-\w*c$/.test(x))
  const script = c === -1 ? undefined : exec[c + 1]
  if (!script) return false
  // (The item as the script's placeholder, or as its positional arguments: `sh -c 'cat "$1"' _ {}`.)
  const line = (replace ? script.split(replace).join(EACH_ITEM) : script).replace(
    /"\$(?:[0-9@*]|\{[0-9@*]\})"|\$(?:[0-9@*]|\{[0-9@*]\})/g,
    EACH_ITEM,
  )
  const inner = classifyShell(line, state.dir, state.depth + 1)
  // (Only a look at the files themselves: not a test run or a build, whose code may lie elsewhere, nor a network call
  // or anything else whose answer may change by itself; review 60.)
  return (
    !inner.writesAny &&
    !inner.writes.length &&
    !inner.writesUnder.length &&
    !inner.scripts.length &&
    !inner.git &&
    !inner.installs?.length &&
    !inner.syncs?.length &&
    !inner.tests &&
    !inner.depsCode &&
    !inner.depsAny &&
    !inner.volatile &&
    !inner.opaque
  )
}

/**
 * What `xargs` may run on the files it is given and only look: programs with no option or operand that writes (not
 * `yq -i`, `awk`'s print to a file, `uniq IN OUT`, `env CMD`).
 */
const XARGS_LOOKS = new Set(['sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'b2sum', 'realpath', 'readlink'])

function xargs(cmd: SimpleCommand, state: State, input: Stream): Stream {
  const w = cmd.words
  let k = 1
  let replace: string | undefined
  while (k < w.length && w[k]!.startsWith('-')) {
    if (w[k] === '-I') replace = w[k + 1]
    else if (/^-I./.test(w[k]!)) replace = w[k]!.slice(2)
    if (/^-[InLPsd]$/.test(w[k]!)) k++
    k++
  }
  const exec = w.slice(k)
  if (input?.type === 'search' && input.search.mode === 'name') return findExec(exec, input.search, state, replace)
  const name = (exec[0] ?? '').toLowerCase()
  if (shellLooksOnly(exec, replace, state)) {
    state.action.depsAny = true
    return {type: 'opaque'}
  }
  if (
    [
      'grep',
      'egrep',
      'cat',
      'head',
      'wc',
      'ls',
      'file',
      'stat',
      'echo',
      'basename',
      'dirname',
      'md5sum',
      'du',
    ].includes(name)
  ) {
    state.action.depsAny = true
    return {type: 'opaque'}
  }
  // `… | xargs kill -9`: signals the processes it was given; `xargs sha256sum`, `xargs realpath`: look at files.
  if (name === 'kill' || name === 'pkill' || name === 'killall') return {type: 'opaque'}
  if (XARGS_LOOKS.has(name)) {
    state.action.depsAny = true
    return {type: 'opaque'}
  }
  state.action.writesAny = true
  return {type: 'opaque'}
}

/** sqlite3's options that take values, and how many (`-cmd` is read as SQL; `-init FILE` runs a file aco does not read). */
const SQLITE_VALUE_OPTS = new Map([
  ['-cmd', 1],
  ['-init', 1],
  ['-separator', 1],
  ['-newline', 1],
  ['-nullvalue', 1],
  ['-escape', 1],
  ['-vfs', 1],
  ['-maxsize', 1],
  ['-mmap', 1],
  ['-heap', 1],
  ['-nonce', 1],
  ['-pagecache', 2],
  ['-lookaside', 2],
])
/** Pragmas that change the database or run a job on it (`PRAGMA optimize`); others, without a value, only report. */
const SQLITE_PRAGMA_JOBS = /^(?:optimize|wal_checkpoint|incremental_vacuum|shrink_memory)\b/i
/** Pragmas that take an argument and only report on it (`PRAGMA table_info(users)`). */
const SQLITE_PRAGMA_LOOKS =
  /^(?:table_x?info|index_x?info|index_list|foreign_key_list|foreign_key_check|integrity_check|quick_check)\s*\(/i
/** The shell's own commands that only show (`.tables`, `.schema t`) or set how it shows. */
const SQLITE_DOT_LOOKS = new Set([
  'tables',
  'table',
  'schema',
  'fullschema',
  'indexes',
  'indices',
  'headers',
  'header',
  'mode',
  'width',
  'nullvalue',
  'separator',
  'show',
  'databases',
  'dbinfo',
  'print',
  'timer',
  'echo',
  'bail',
  'changes',
  'help',
  'quit',
  'exit',
  'explain',
  'eqp',
  'dump',
  'stats',
  'lint',
  'sha3sum',
])
/** SQL that reaches files beside the database (`ATTACH 'b.db'`, `VACUUM INTO 'copy.db'`, a zip archive, a file read). */
const SQLITE_OTHER_FILES =
  /\b(?:attach|vacuum\b[^;]*\binto|writefile|readfile|edit|load_extension|fts3_tokenizer|zipfile|sqlar)\b/i

/**
 * SQL cut into its statements and the shell's dot-commands, each as written: comments dropped and `;` read as an end
 * only outside quotes (`LIKE '%--%'` is text, and so is a glob's slash and star), a string or a comment going on over
 * lines as it does in SQL, `[name]` quoting a name. A dot-command is a line of its own that starts where no statement
 * has begun.
 */
function sqlPieces(sql: string): {statements: string[]; dots: string[]} {
  const statements: string[] = []
  const dots: string[] = []
  let current = ''
  /** Whether the statement being read has begun (more than blanks): a line starting with `.` then is SQL. */
  let open = false
  let k = 0
  while (k < sql.length) {
    if (!open && (k === 0 || sql[k - 1] === '\n')) {
      const dot = /^[ \t]*\./.exec(sql.slice(k, k + 256))
      if (dot) {
        const end = sql.indexOf('\n', k)
        dots.push(sql.slice(k, end === -1 ? sql.length : end).trim())
        k = end === -1 ? sql.length : end + 1
        continue
      }
    }
    const c = sql[k]!
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = sql.indexOf(c === '[' ? ']' : c, k + 1)
      const to = close === -1 ? sql.length - 1 : close
      current += sql.slice(k, to + 1)
      open = true
      k = to + 1
    } else if (c === '-' && sql[k + 1] === '-') {
      const end = sql.indexOf('\n', k)
      k = end === -1 ? sql.length : end
    } else if (c === '/' && sql[k + 1] === '*') {
      const close = sql.indexOf('*/', k + 2)
      current += ' '
      k = close === -1 ? sql.length : close + 2
    } else if (c === ';') {
      statements.push(current)
      current = ''
      open = false
      k++
    } else {
      current += c
      if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\n') open = true
      k++
    }
  }
  statements.push(current)
  return {statements: statements.map(x => x.trim()).filter(Boolean), dots}
}

/**
 * What a SQL script does to its database: `look` when every statement only reads (SELECT, EXPLAIN, a pragma that
 * reports, `.tables`); `write` when some statement may change the database alone; `any` when it may reach other
 * files (`.output f`, `.backup`, `ATTACH`, `VACUUM INTO`, `writefile()`) or run what aco does not read (`.read f`,
 * `.shell`, an extension). A statement that starts with no known verb is a write.
 */
function sqlEffect(sql: string): 'look' | 'write' | 'any' {
  const {statements, dots} = sqlPieces(sql)
  let effect: 'look' | 'write' | 'any' = 'look'
  for (const dot of dots) {
    const [, name = '', rest = ''] = /^\.(\w+)\s*(.*)$/.exec(dot) ?? []
    const cmd = name.toLowerCase()
    // `.output` or `.once` alone send the output back to the screen.
    if ((cmd === 'output' || cmd === 'once') && !rest.trim()) continue
    if (SQLITE_DOT_LOOKS.has(cmd)) continue
    // `.import data.csv t` fills a table; `.import '|cmd' t` runs a command.
    if (cmd === 'import' && !rest.includes('|')) effect = 'write'
    else return 'any'
  }
  for (const st of statements) {
    if (SQLITE_OTHER_FILES.test(st)) return 'any'
    const verb = /^\w+/.exec(st)?.[0]?.toLowerCase()
    if (verb === 'select' || verb === 'explain' || verb === 'values') continue
    if (verb === 'with' && !/\b(?:insert|update|delete|replace)\b/i.test(st)) continue
    if (verb === 'pragma') {
      const body = st
        .slice(6)
        .trim()
        .replace(/^\w+\./, '')
      if (!SQLITE_PRAGMA_JOBS.test(body) && (SQLITE_PRAGMA_LOOKS.test(body) || /^\w+$/.test(body))) continue
    }
    effect = 'write'
  }
  return effect
}

/**
 * `sqlite3 app.db "SELECT …"`: a query reads the database file and writes no file; a statement that may change it
 * writes the database (and the journal beside it); one that reaches other files may write anything. What a query
 * prints is volatile: a program the session runs (a server, a worker, a test, a script through a library) may write
 * the database in ways aco does not see, so a repeat of it is never called a duplicate; it only stops counting as an
 * unknown write. The SQL comes from its arguments (options may stand anywhere), or from a here-document or what is
 * piped in; from anywhere else (`< schema.sql`, `-init f`) aco cannot read it.
 */
function sqlite(cmd: SimpleCommand, state: State, input: Stream): Stream {
  const a = state.action
  const w = cmd.words
  const unknown = (): Stream => {
    a.writesAny = true
    a.depsAny = true
    return {type: 'opaque'}
  }
  /** Each SQL argument and `-cmd` is run on its own (a statement left open in one does not go on in the next). */
  const sql: string[] = []
  /** The script read from its input, when no SQL argument is given. */
  let script: string | undefined
  const ops: Operand[] = []
  let readonly = false
  for (let k = 1; k < w.length; k++) {
    const word = w[k]!
    if (word.startsWith('-') && word.length > 1) {
      const opt = word.replace(/^--/, '-')
      // `-A`/`-archive`: the database as an archive, extracted or filled from files.
      if (opt === '-init' || /^-(?:A|archive)/.test(opt)) return unknown()
      if (opt === '-readonly') readonly = true
      const values = SQLITE_VALUE_OPTS.get(opt) ?? 0
      for (let v = 1; v <= values; v++) if (cmd.dynamic[k + v]) return unknown()
      if (opt === '-cmd') sql.push(w[k + 1] ?? '')
      k += values
      continue
    }
    ops.push({word, dynamic: cmd.dynamic[k]!})
  }
  const db = ops[0]
  for (const op of ops.slice(1)) {
    if (op.dynamic) return unknown()
    sql.push(op.word)
  }
  if (ops.length <= 1) {
    const heredoc = cmd.redirects.find(r => r.op === '<<')
    const hereString = cmd.redirects.find(r => r.op === '<<<')
    const text =
      heredoc && !(heredoc.expands && /[$`]/.test(heredoc.body ?? ''))
        ? heredoc.body
        : hereString && !hereString.dynamic
          ? hereString.target
          : undefined
    // (What `echo -e` or zsh's echo pipes in has its `\n` turned into lines: not the text aco holds.)
    const piped = input?.type === 'literal' && !input.text?.includes('\\') ? input.text : undefined
    const given = text ?? piped
    if (given === undefined) return unknown()
    script = given
  }
  let effect: 'look' | 'write' | 'any' = script === undefined ? 'look' : sqlEffect(script)
  if (effect === 'any') return unknown()
  for (const part of sql) {
    // An argument that starts with `.` is one dot-command, whatever follows (lines after it are its arguments).
    const one = /^\s*\./.test(part) && part.trim().includes('\n') ? 'any' : sqlEffect(part)
    if (one === 'any') return unknown()
    if (one === 'write') effect = 'write'
  }
  a.volatile = true
  // A URI names its file (`file:app.db?mode=ro`; `mode=ro` and `immutable=1` write nothing).
  const uri =
    db && /^file:/i.test(db.word) ? /^file:(?:\/\/(?:localhost)?(?=\/))?([^?#]*)(\?[^#]*)?/i.exec(db.word) : null
  if (uri && /[?&](?:mode=ro|immutable=1)(?:&|$)/i.test(uri[2] ?? '')) readonly = true
  const file =
    db && db.word !== ':memory:' && !(uri && !uri[1]) ? (uri ? {word: uri[1]!, dynamic: db.dynamic} : db) : undefined
  const path = file ? pathArg(file.word, file.dynamic, state) : undefined
  if (file && path === undefined) {
    a.depsAny = true
    if (!readonly) a.writesAny = true
    return {type: 'opaque'}
  }
  if (path) a.deps.push(path)
  if (effect === 'write' && !readonly && file)
    for (const suffix of ['', '-journal', '-wal', '-shm']) write(state, file.word + suffix, file.dynamic)
  // Opened where there is none, a database is made (an empty file): a query may make it, its content nothing.
  else if (path && !readonly && !isTemp(path)) a.writes.push({path, metaOnly: true})
  return {type: 'opaque'}
}

/** adb's own options that take a value (`-s emulator-5554`). */
const ADB_VALUE_OPTS = new Set(['-s', '-t', '-H', '-P', '-L'])
/** What adb does to a device alone: no file of this machine is written (what `shell` prints is the device's state). */
const ADB_DEVICE_ONLY = new Set([
  'devices',
  'shell',
  'exec-out',
  'push',
  'install',
  'install-multiple',
  'uninstall',
  'logcat',
  'root',
  'unroot',
  'remount',
  'reboot',
  'kill-server',
  'start-server',
  'reconnect',
  'forward',
  'reverse',
  'connect',
  'disconnect',
  'get-state',
  'get-serialno',
  'get-devpath',
  'version',
  'help',
  'sideload',
  'sync',
  'restore',
  'tcpip',
  'usb',
  'disable-verity',
  'enable-verity',
  'features',
  'host-features',
  'pair',
  'mdns',
])
/** Options of `adb pull` and `adb push` that take a value (`-z brotli`). */
const ADB_TRANSFER_VALUE = new Set(['-z'])

/**
 * `adb`: commands to an Android device or emulator. What they print is the device's state, which may change at any
 * time (a repeat may be polling); of this machine's files, `adb pull` writes where it is told (a folder pulled whole
 * lands as a folder), `backup`, `bugreport` and `keygen` write their files, and the emulator's console (`adb emu`)
 * anything but `kill`; the rest write none.
 */
function adb(cmd: SimpleCommand, state: State): Stream {
  const a = state.action
  const w = cmd.words
  let k = 1
  while (k < w.length && w[k]!.startsWith('-')) k += ADB_VALUE_OPTS.has(w[k]!) ? 2 : 1
  a.volatile = true
  const sub = w[k] ?? ''
  const rest: Operand[] = []
  for (let j = k + 1; j < w.length; j++) {
    if (w[j]!.startsWith('-')) {
      if ((sub === 'pull' || sub === 'push') && ADB_TRANSFER_VALUE.has(w[j]!)) j++
      continue
    }
    rest.push({word: w[j]!, dynamic: cmd.dynamic[j]!})
  }
  if (sub.startsWith('wait-for-') || (sub === 'emu' && w[k + 1] === 'kill')) return {type: 'opaque'}
  if (ADB_DEVICE_ONLY.has(sub)) {
    if (sub === 'push' || sub === 'install' || sub === 'install-multiple' || sub === 'sideload' || sub === 'restore') {
      const local = sub === 'push' ? rest.slice(0, -1) : rest
      for (const f of local) {
        const p = pathArg(f.word, f.dynamic, state)
        if (p) a.deps.push(p)
        else a.depsAny = true
      }
    }
    return {type: 'opaque'}
  }
  if (sub === 'pull') {
    // `adb pull /sdcard/x.png` lands as ./x.png (a folder as ./folder, whole); `adb pull REMOTE… LOCAL` in LOCAL.
    const local = rest.length >= 2 ? rest.at(-1) : undefined
    const name = rest[0] && !rest[0].dynamic ? rest[0].word.replace(/\/+$/, '').split('/').pop() : undefined
    if (local) writeUnder(state, local.word, local.dynamic)
    else if (name) writeUnder(state, name, false)
    else a.writesAny = true
    return {type: 'opaque'}
  }
  if (sub === 'backup' || sub === 'keygen' || sub === 'bugreport') {
    const f = w.indexOf('-f', k)
    const target = sub === 'backup' ? (f !== -1 ? w[f + 1] : 'backup.ab') : rest[0]?.word
    const dynamic = sub === 'backup' ? f !== -1 && cmd.dynamic[f + 1] : rest[0]?.dynamic
    if (target !== undefined) {
      writeUnder(state, target, dynamic)
      // (`adb keygen k` writes the key pair: k and k.pub.)
      if (sub === 'keygen') writeUnder(state, `${target}.pub`, dynamic)
    } else if (sub === 'bugreport') writeUnder(state, '.', false)
    else a.writesAny = true
    return {type: 'opaque'}
  }
  a.writesAny = true
  return {type: 'opaque'}
}

function fd(cmd: SimpleCommand, state: State): Stream {
  const ops = operands(cmd, new Set(['-e', '--extension', '-t', '--type', '-d', '--max-depth', '-E', '--exclude']))
  const s = newSearch('name', [])
  const pattern = ops[0]
  const dir = ops[1] ? pathArg(ops[1].word, ops[1].dynamic, state) : state.dir
  if (!dir) return {type: 'opaque'}
  s.scopes = [dir]
  s.hidden = cmd.words.includes('-H') || cmd.words.includes('--hidden')
  s.ignores = !cmd.words.some(w => w === '-I' || w === '--no-ignore' || w === '-u' || w === '-uu')
  if (pattern) s.filters.push(`re:${normaliseQuery(pattern.word)}`)
  if (state.dir !== undefined) s.base = state.dir
  const e = cmd.words.findIndex(x => x === '-e' || x === '--extension')
  if (e !== -1) s.names.push(`*.${cmd.words[e + 1] ?? ''}`)
  return {type: 'search', search: s}
}

/** ls / tree / dir: a listing of directories (depth 1, or all of it for `ls -R` and `tree`). */
function listing(cmd: SimpleCommand, name: string, state: State): Stream {
  const w = cmd.words
  let depth = name === 'tree' ? Number.POSITIVE_INFINITY : 1
  let hidden = false
  let other = false
  let ordered = false
  let ignores = false
  const paths: Operand[] = []
  const filters: string[] = []
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (x === '-L' && name === 'tree') depth = Number(w[++k]) || depth
    else if (x === '-I' || x === '-P' || x === '--ignore' || x === '--hide' || x === '-Exclude' || x === '-Filter') {
      other = true
      k++
    }
    // (`ls --ignore=PAT`, `--hide=PAT`, `-B`: entries left out, whatever `-a` shows.)
    else if (x.startsWith('--ignore=') || x.startsWith('--hide=') || (x === '-B' && name === 'ls')) other = true
    else if (/^-recurse$/i.test(x)) depth = Number.POSITIVE_INFINITY
    else if (/^-force$/i.test(x)) hidden = true
    // PowerShell's named parameters: the folder (`-Path X`), files or folders only (`-File`, `-Directory`).
    else if (/^-(?:literal)?path$/i.test(x) && k + 1 < w.length) paths.push({word: w[++k]!, dynamic: cmd.dynamic[k]!})
    else if (/^-file$/i.test(x)) filters.push('-type f')
    else if (/^-directory$/i.test(x)) filters.push('-type d')
    else if (/^--sort(?:=|$)|^--time(?:=|$)/.test(x)) ordered = true
    // `tree --gitignore`, `eza --git-ignore`: what ignore files name is left out.
    else if (x === '--gitignore' || x === '--git-ignore') ignores = true
    else if (x.startsWith('-') && x.length > 1) {
      // `tree -d`: folders only.
      if (name === 'tree' && /^-[a-zA-Z]*d/.test(x)) filters.push('-type d')
      if (/R/.test(x) && name !== 'tree') depth = Number.POSITIVE_INFINITY
      if (/[aA]/.test(x)) hidden = true
      if (/d/.test(x) && name !== 'tree') depth = 0
      // By time or size, oldest or smallest first: the order tells what changed, not only what is there.
      if (!x.startsWith('--') && /[tSucUvXr]/.test(x) && name !== 'tree') ordered = true
    } else paths.push({word: x, dynamic: cmd.dynamic[k]!})
  }
  const s = newSearch('name', [])
  s.depth = depth
  s.hidden = hidden
  s.otherFilters = other
  s.filters.push(...filters)
  s.listing = true
  for (const p of paths) {
    const path = pathArg(p.word, p.dynamic, state)
    if (path) s.scopes.push(path)
    else if (p.dynamic) {
      const dir = staticDir(p.word, state)
      if (!dir) return {type: 'opaque'}
      s.scopes.push(dir)
      s.names.push(p.word.slice(p.word.lastIndexOf('/') + 1))
    } else return {type: 'opaque'}
  }
  if (s.scopes.length === 0) {
    if (state.dir === undefined) return {type: 'opaque'}
    s.scopes.push(state.dir)
  }
  if (ordered) s.ordered = true
  if (ignores) s.ignores = true
  // One folder's entries, one a line: names in that folder (`tree` draws, several folders get headers).
  if (name !== 'tree' && depth === 1 && s.scopes.length === 1 && s.names.length === 0) s.base = s.scopes[0]
  return {type: 'search', search: s}
}

/**
 * `[ -f P ]`, `test -d P`, `[[ -e P ]]`, `Test-Path P`: whether one path exists (as a file, a folder), asked of its
 * folder: a search for that name there, which tells only whether it matched. A listing of the folder that showed (or
 * did not show) the name already told, while nothing was written there since.
 */
function existenceTest(cmd: SimpleCommand, name: string, state: State): Search | undefined {
  let w = cmd.words.slice(1)
  let dynamic = cmd.dynamic.slice(1)
  if (name === '[' || name === '[[') {
    if (w[w.length - 1] !== (name === '[' ? ']' : ']]')) return undefined
    w = w.slice(0, -1)
    dynamic = dynamic.slice(0, -1)
  }
  if (w[0] === '!') {
    w = w.slice(1)
    dynamic = dynamic.slice(1)
  }
  let word: string | undefined
  let type: string | undefined
  if (name === 'test-path') {
    const p = w.findIndex(x => /^-(?:Path|LiteralPath)$/i.test(x))
    const rest = p === -1 ? w : [w[p + 1] ?? '', ...w.filter((_, k) => k !== p && k !== p + 1)]
    if (rest.length !== 1 || (p !== -1 && dynamic[p + 1]) || (p === -1 && dynamic[0])) return undefined
    word = rest[0]
  } else {
    if (w.length !== 2 || !/^-[efd]$/.test(w[0]!) || dynamic[1]) return undefined
    word = w[1]
    type = w[0] === '-f' ? '-type f' : w[0] === '-d' ? '-type d' : undefined
  }
  if (!word || /[*?[]/.test(word)) return undefined
  const path = pathArg(word, false, state)
  if (!path || path === '/') return undefined
  const s = newSearch('name', [path.slice(0, path.lastIndexOf('/')) || '/'])
  s.depth = 1
  s.names = [path.slice(path.lastIndexOf('/') + 1)]
  if (type) s.filters = [type]
  s.output = 'status'
  return s
}

/**
 * PowerShell's `Get-Content [-Path] f [-TotalCount|-Head|-First N] [-Raw] [-Encoding e]`: a read of f, of its first N
 * lines when a count is given; with `-Tail`/`-Last` (lines aco cannot place without the file's length), a look that
 * depends on f. Undefined for any other form (more than one file, a wildcard, an option aco does not know).
 */
function getContent(cmd: SimpleCommand, state: State): Stream | undefined {
  const w = cmd.words
  let file: Operand | undefined
  let count: number | undefined
  let tail = false
  let raw = false
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (/^-(?:Path|LiteralPath)$/i.test(x)) {
      if (file || w[k + 1] === undefined) return undefined
      file = {word: w[k + 1]!, dynamic: cmd.dynamic[k + 1]!}
      k++
    } else if (/^-(?:TotalCount|Head|First)$/i.test(x)) {
      count = Number(w[++k])
      if (!Number.isInteger(count) || count < 1) return undefined
    } else if (/^-(?:Tail|Last)$/i.test(x)) {
      count = Number(w[++k])
      if (!Number.isInteger(count) || count < 1) return undefined
      tail = true
    } else if (/^-Encoding$/i.test(x)) k++
    else if (/^-Raw$/i.test(x)) raw = true
    else if (/^-Force$/i.test(x)) continue
    else if (x.startsWith('-') || file) return undefined
    else file = {word: x, dynamic: cmd.dynamic[k]!}
  }
  if (!file || /[*?]/.test(file.word)) return undefined
  const path = pathArg(file.word, file.dynamic, state)
  if (!path) return undefined
  if (tail) {
    state.action.deps.push(path)
    return {type: 'read', path, file: path, last: count}
  }
  if (count !== undefined) return {type: 'read', path, range: [1, 1 + count], file: path}
  // (`-Raw`: the whole text as one string, which what it is piped to takes as one object.)
  return raw ? {type: 'read', path, file: path, raw: true} : {type: 'read', path, file: path}
}

function fileOp(cmd: SimpleCommand, name0: string, state: State): Stream {
  // `New-Item -ItemType Directory a,b`: folders made, as mkdir makes them.
  const t = cmd.words.findIndex(x => /^-(?:ItemType|Type)$/i.test(x))
  const name = (name0 === 'new-item' || name0 === 'ni') && /^directory$/i.test(cmd.words[t + 1] ?? '') ? 'mkdir' : name0
  const recursive = cmd.words.some(x => /^-[a-zA-Z]*[rR]/.test(x) || x === '--recursive' || /^-recurse$/i.test(x))
  const valueOpts = new Set(['-m', '--mode', '-s', '--size', '-Path', '-Value', '-ItemType', '-Name', '-Encoding'])
  const ops = operands(cmd, name === 'chmod' || name === 'chown' ? new Set() : valueOpts)
  // `chmod +x f`: the first operand is the mode.
  const files = name === 'chmod' || name === 'chown' ? ops.slice(1) : ops
  const psPath = cmd.words.findIndex(x => /^-(?:path|literalpath|filepath)$/i.test(x))
  if (psPath !== -1 && cmd.words[psPath + 1])
    files.push({word: cmd.words[psPath + 1]!, dynamic: cmd.dynamic[psPath + 1]!})
  // A PowerShell cmdlet takes a list of paths as `a,b,c`.
  if (name0.includes('-') || name0 === 'ni')
    for (let k = files.length - 1; k >= 0; k--) {
      const f = files[k]!
      if (!f.dynamic && f.word.includes(','))
        files.splice(
          k,
          1,
          ...f.word
            .split(',')
            .filter(Boolean)
            .map(word => ({word, dynamic: false})),
        )
    }
  if (files.length === 0) state.action.writesAny = name !== 'mkdir'
  const removes = name === 'rm' || name === 'del' || name === 'remove-item' || name === 'rmdir' || name === 'shred'
  for (const f of files) {
    if (removes && (recursive || name === 'rmdir' || f.dynamic)) writeUnder(state, f.word, f.dynamic)
    else if (f.dynamic) writeUnder(state, f.word, f.dynamic)
    else if (name === 'mkdir') {
      const path = pathArg(f.word, f.dynamic, state)
      const somewhere = path === undefined ? floating(f.word, f.dynamic, state) : undefined
      if (path) state.action.writes.push({path, partial: true, dir: true})
      else if (somewhere) state.action.writesUnder.push(somewhere)
      else state.action.writesAny = true
    } else {
      const before = state.action.writes.length
      write(
        state,
        f.word,
        f.dynamic,
        undefined,
        name === 'touch' || name === 'chmod' || name === 'chown' || name === 'add-content',
      )
      // `chmod +x run.sh`, `touch f`: the file's mode or times change, its content stays what it was.
      if ((name === 'chmod' || name === 'chown' || name === 'touch') && state.action.writes.length === before + 1)
        state.action.writes[before]!.metaOnly = true
    }
  }
  return undefined
}

/**
 * tar: a listing (`-t`) or a comparison (`-d`) reads the archive; an extraction (`-x`) writes below the folder it
 * extracts to (`-C dir`, `--directory=dir`; else where it runs), whatever the archive holds, unless it extracts to the
 * standard output (`-O`); a new or grown archive (`-c`, `-r`, `-u`, `-A`) writes its file (`-f f`; `-f -` is the
 * standard output). Options read as tar reads them: a first word without a dash is a cluster of letters whose values
 * (`f`, `C`, `b`) follow it in order (`tar xzf a.tgz`); `-xzf a.tgz` takes the rest of the cluster or the next word.
 * One that runs commands (`--to-command`, `--checkpoint-action`, `-F`/`--info-script`) may write anything.
 */
function tarCommand(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  const a = state.action
  let mode: string | undefined
  let file: Operand | undefined
  let dir: Operand | undefined
  let toStdout = false
  const at = (k: number): Operand | undefined =>
    w[k] === undefined ? undefined : {word: w[k]!, dynamic: cmd.dynamic[k] ?? false}
  let next = 1
  const letters = (cluster: string, inline: boolean): boolean => {
    for (let j = 0; j < cluster.length; j++) {
      const c = cluster[j]!
      if ('xctrudA'.includes(c)) mode ??= c
      else if (c === 'O') toStdout = true
      else if (c === 'F') return false
      if (!TAR_VALUE_LETTERS.includes(c)) continue
      // (`-xzfa.tgz`: the rest of the cluster is the value; old style and `-xzf a.tgz`: the next word.)
      const rest = cluster.slice(j + 1)
      const value = inline && rest ? {word: rest, dynamic: cmd.dynamic[next - 1] ?? false} : at(next++)
      if (c === 'f') file = value
      else if (c === 'C') dir = value
      if (inline && rest) break
    }
    return true
  }
  if (w[1] !== undefined && !w[1].startsWith('-') && /^[a-zA-Z]+$/.test(w[1])) {
    next = 2
    if (!letters(w[1], false)) return unknownArchive(a)
  }
  while (next < w.length) {
    const x = w[next++]!
    if (x === '--') break
    if (x.startsWith('--')) {
      const [opt, value] = x.includes('=') ? [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)] : [x, undefined]
      if (/^--(?:to-command|checkpoint-action|info-script|new-volume-script|rsh-command|rmt-command)$/.test(opt))
        return unknownArchive(a)
      const val = (): Operand | undefined =>
        value !== undefined ? {word: value, dynamic: cmd.dynamic[next - 1] ?? false} : at(next++)
      if (opt === '--extract' || opt === '--get') mode ??= 'x'
      else if (opt === '--create') mode ??= 'c'
      else if (opt === '--list') mode ??= 't'
      else if (opt === '--append') mode ??= 'r'
      else if (opt === '--update') mode ??= 'u'
      else if (opt === '--concatenate' || opt === '--catenate') mode ??= 'A'
      else if (opt === '--diff' || opt === '--compare') mode ??= 'd'
      else if (opt === '--delete') mode ??= 'r'
      else if (opt === '--to-stdout') toStdout = true
      else if (opt === '--file') file = val()
      else if (opt === '--directory') dir = val()
      else if (value === undefined && TAR_LONG_VALUES.has(opt)) next++
      continue
    }
    if (x.startsWith('-') && x.length > 1) {
      if (!letters(x.slice(1), true)) return unknownArchive(a)
    }
    // (Operands: members to extract or files to add; a folder `-C` names later applies to what follows it.)
  }
  if (mode === undefined) return unknownArchive(a)
  const archivePath = file && file.word !== '-' ? pathArg(file.word, file.dynamic, state) : undefined
  if (mode === 't' || mode === 'd') {
    if (archivePath) a.deps.push(archivePath)
    else a.depsAny = true
    return {type: 'opaque'}
  }
  if (mode === 'x') {
    if (archivePath) a.deps.push(archivePath)
    if (!toStdout) writeUnder(state, dir?.word ?? '.', dir?.dynamic ?? false, true)
    return {type: 'opaque'}
  }
  // A new archive, or one grown: its file (none on the standard output).
  if (file && file.word !== '-') write(state, file.word, file.dynamic)
  a.depsAny = true
  return {type: 'opaque'}
}

/** tar's short options that take a value (`-f FILE`, `-C DIR`, `-b N`…). */
const TAR_VALUE_LETTERS = 'fCbTXNKLVgH'

/** tar's long options that take a value as the next word when not joined by `=`. */
const TAR_LONG_VALUES = new Set([
  '--exclude',
  '--exclude-from',
  '--files-from',
  '--transform',
  '--xform',
  '--strip-components',
  '--owner',
  '--group',
  '--mode',
  '--mtime',
  '--newer',
  '--after-date',
  '--newer-mtime',
  '--use-compress-program',
  '--blocking-factor',
  '--record-size',
  '--format',
  '--label',
  '--suffix',
  '--tape-length',
  '--checkpoint',
  '--occurrence',
  '--sort',
  '--warning',
])

function unknownArchive(a: Action): Stream {
  a.writesAny = true
  a.depsAny = true
  a.opaque = true
  return {type: 'opaque'}
}

/**
 * unzip: a listing, a test or a print (`-l`, `-v`, `-t`, `-z`, `-Z`, `-p`, `-c`) reads the archive; an extraction
 * writes below the folder `-d` names (else where it runs), whatever the archive holds.
 */
function unzipCommand(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  const a = state.action
  let dir: Operand | undefined
  let reads = false
  let archive: Operand | undefined
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    // (`-d dir`, `-ddir`, or `d` last in a cluster: `-qd dir`; `-x` takes the member names after it, up to an option.)
    if (/^-[a-zA-Z]*d$/.test(x) && !x.startsWith('--')) {
      if (/[lvtzZpc]/.test(x.slice(1, -1))) reads = true
      dir = {word: w[k + 1] ?? '', dynamic: cmd.dynamic[k + 1] ?? false}
      k++
    } else if (x.startsWith('-d') && x.length > 2) dir = {word: x.slice(2), dynamic: cmd.dynamic[k] ?? false}
    else if (x === '-P') k++
    else if (x === '-x') while (k + 1 < w.length && !w[k + 1]!.startsWith('-')) k++
    else if (x.startsWith('-')) {
      if (/[lvtzZpc]/.test(x.slice(1))) reads = true
    } else if (archive === undefined) archive = {word: x, dynamic: cmd.dynamic[k] ?? false}
  }
  if (!archive) return unknownArchive(a)
  const path = pathArg(archive.word, archive.dynamic, state)
  if (path) a.deps.push(path)
  else a.depsAny = true
  if (!reads) writeUnder(state, dir?.word || '.', dir?.dynamic ?? false, true)
  return {type: 'opaque'}
}

/** A path whose last part names a file by a known extension (`lottery.vue`, `README.md`), not a folder (`conf.d`). */
const FILE_LIKE =
  /[^/\\]\.(?:[jt]sx?|mjs|cjs|vue|svelte|py|pyi|go|rs|java|kts?|rb|php|c|h|cc|cpp|hpp|cs|fs|swift|scala|ex|exs|erl|hs|ml|clj|dart|lua|pl|pm|r|jl|zig|nix|tf|hcl|sol|sh|bash|zsh|fish|ps1|sql|md|mdx|rst|adoc|org|tex|txt|json|jsonc|jsonl|ya?ml|toml|ini|cfg|conf|env|properties|xml|svg|html?|css|scss|less|csv|lock|gradle|groovy|cmake|proto|graphql|ipynb)$/i

function copyMove(cmd: SimpleCommand, name: string, state: State): Stream {
  const ops = operands(cmd, new Set(['-t', '--target-directory', '-S', '--suffix', '-Destination', '-Path', '-e']))
  const tIndex = cmd.words.findIndex(x => x === '-t' || x === '--target-directory' || /^-destination$/i.test(x))
  let dest: Operand | undefined
  let sources: Operand[]
  if (tIndex !== -1 && cmd.words[tIndex + 1]) {
    dest = {word: cmd.words[tIndex + 1]!, dynamic: cmd.dynamic[tIndex + 1]!}
    sources = ops
  } else {
    dest = ops[ops.length - 1]
    sources = ops.slice(0, -1)
  }
  if (!dest || sources.length === 0) {
    state.action.writesAny = true
    return undefined
  }
  const moves = name === 'mv' || name === 'move-item'
  const destPath = pathArg(dest.word, dest.dynamic, state)
  const recursive =
    cmd.words.some(x => /^-[a-zA-Z]*[rRa]/.test(x) || x === '--recursive' || /^-recurse$/i.test(x)) || name === 'rsync'
  for (const src of sources) {
    if (moves) {
      if (src.dynamic) writeUnder(state, src.word, true)
      else writeUnder(state, src.word, false)
    }
    if (!destPath) {
      // A destination relative to a folder aco cannot name: below it, wherever it is (see `floating`).
      const somewhere = floating(dest.word, dest.dynamic, state)
      if (somewhere) state.action.writesUnder.push(somewhere)
      else state.action.writesAny = true
      continue
    }
    // The destination is the file itself or a directory the source lands in.
    const base = src.dynamic ? undefined : src.word.replace(/\/$/, '').split('/').pop()
    // One file moved (`mv app/page.vue app/[id]/page.vue`, a name with an extension): the file it lands as holds
    // what the source held, as a copy's does (a folder moved is a tree changed below the destination).
    const from =
      moves && sources.length === 1 && !src.dynamic && FILE_LIKE.test(src.word)
        ? pathArg(src.word, false, state)
        : undefined
    if (from) {
      state.action.writes.push({path: destPath, copyOf: from})
      if (base) state.action.writes.push({path: normalisePath(base, destPath), copyOf: from})
      continue
    }
    if (recursive || moves || src.dynamic || sources.length > 1 || dest.word.endsWith('/')) {
      writeUnder(state, dest.word, dest.dynamic)
      if (base) state.action.writes.push({path: normalisePath(base, destPath)})
    } else {
      // One file copied to a name (`cp a.py a.py.bak`): the copy holds what the source held, unless the name is a directory.
      const from = moves ? undefined : pathArg(src.word, src.dynamic, state)
      state.action.writes.push(from ? {path: destPath, copyOf: from} : {path: destPath})
      if (base) state.action.writes.push({path: normalisePath(base, destPath)})
    }
  }
  return undefined
}

/**
 * Whether `git branch` with these words only lists branches: options alone (not one that deletes, moves or copies), or
 * a listing's own options with their values (`--merged origin/main`, `--contains HEAD`) and patterns (`--list 'feat*'`).
 */
function branchListing(words: readonly string[]): boolean {
  let listing = false
  for (let k = 0; k < words.length; k++) {
    const x = words[k]!
    if (
      /^-[dDmMcC]$|^--(?:delete|move|copy|set-upstream-to|unset-upstream|edit-description)\b|^-[uf]$|^--force$/.test(x)
    )
      return false
    if (BRANCH_FILTER.test(x)) {
      listing = true
      // (Its value, when not joined to it with `=`; `--merged` alone means HEAD.)
      if (!x.includes('=') && words[k + 1] !== undefined && !words[k + 1]!.startsWith('-')) k++
      continue
    }
    // How it lists, with its key (which alone makes no listing: `git branch --sort=-committerdate new` makes `new`).
    if (BRANCH_SHAPE.test(x)) {
      if (!x.includes('=')) k++
      continue
    }
    if (x === '--list' || x === '-l' || x === '-a' || x === '--all' || x === '-r' || x === '--remotes') listing = true
    else if (!x.startsWith('-') && !listing) return false
  }
  return true
}

/** The options of `git branch` that choose which branches it lists (list mode), each with a commit after it. */
const BRANCH_FILTER = /^--(?:no-)?(?:merged|contains)(?:=|$)|^--points-at(?:=|$)/
/** Options of how `git branch` lists, each with its key. */
const BRANCH_SHAPE = /^--(?:sort|format)(?:=|$)/

/**
 * A range of commits (`main..HEAD`, `origin/main...HEAD`, `HEAD~3..`, `..main`), not a path (`../src`, `a/../b`, and
 * `..` or `...` alone: the parent folder, as git reads it, review 62).
 */
const REVISION_RANGE = /[^/.]\.\.\.?(?:$|[^/.])|^\.\.\.?[^/.]/

function git(cmd: SimpleCommand, outer: State): Stream {
  const w = cmd.words
  let k = 1
  let state = outer
  // git -C dir / -c key=value: paths after `-C dir` are the folder's.
  while (k < w.length && w[k]!.startsWith('-')) {
    if (w[k] === '-C' && w[k + 1] !== undefined) state = {...state, dir: pathArg(w[k + 1], cmd.dynamic[k + 1], state)}
    if (w[k] === '-C' || w[k] === '-c') k++
    k++
  }
  const sub = (w[k] ?? '').toLowerCase()
  const rest = w.slice(k + 1)
  const a = state.action
  if (sub === 'grep') {
    const fake: SimpleCommand = {
      ...cmd,
      words: ['grep', '-rn', ...rest],
      dynamic: [false, false, ...cmd.dynamic.slice(k + 1)],
    }
    return grep(fake, 'grep', state, undefined)
  }
  // Where the repository is, and its remotes (`git rev-parse --show-toplevel`, `git remote -v`): only a repository made,
  // moved or removed, or its config written (`git remote add`, `git config …`: they write .git/config), changes them;
  // not a commit or a checkout (fresh16 #156: `git rev-parse --git-dir` a third time, the same `.git`).
  if (
    (sub === 'rev-parse' && rest.length > 0 && rest.every(x => GIT_LAYOUT_FLAGS.has(x))) ||
    (sub === 'remote' && (rest.length === 0 || rest[0] === '-v' || rest[0] === 'get-url'))
  ) {
    a.deps.push(normalisePath('.git', state.dir))
    return {type: 'opaque'}
  }
  if (
    GIT_STATE_LOOK.has(sub) ||
    (sub === 'branch' && branchListing(rest)) ||
    (sub === 'remote' && (rest.length === 0 || rest[0] === '-v' || rest[0] === 'show' || rest[0] === 'get-url')) ||
    (sub === 'config' &&
      (rest.includes('--get') ||
        rest.includes('--list') ||
        rest.includes('-l') ||
        rest.filter(x => !x.startsWith('-')).length <= 1)) ||
    (sub === 'stash' && (rest[0] === 'list' || rest[0] === 'show')) ||
    (sub === 'tag' && rest.every(x => x.startsWith('-'))) ||
    (sub === 'worktree' && rest[0] === 'list') ||
    // The object store checked or counted (`fsck --lost-found` writes what it finds into .git/lost-found).
    ((sub === 'fsck' || sub === 'count-objects' || sub === 'verify-pack') && !rest.includes('--lost-found'))
  ) {
    // History, refs, the index, config: what only git's own commands change (commit, add, checkout, fetch…).
    a.deps.push('(git)')
    return {type: 'opaque'}
  }
  if (GIT_LOOK.has(sub)) {
    a.deps.push('(git)')
    // `git diff --cached` compares the index with HEAD: no working-tree file. The others compare the working
    // tree with them: the files named after `--`, or (none named) the whole tree: for a status or a diff, the whole
    // repository wherever it runs, whose root aco does not know (a folder may lie below it), so any write.
    if (sub === 'diff' && (rest.includes('--cached') || rest.includes('--staged'))) return {type: 'opaque'}
    const dd = rest.indexOf('--')
    // (A range, `git diff origin/main...HEAD`, `HEAD~3..HEAD`, compares two commits: no working-tree file.)
    if (
      sub === 'diff' &&
      !rest.includes('--no-index') &&
      (dd === -1 ? rest : rest.slice(0, dd)).some(x => !x.startsWith('-') && REVISION_RANGE.test(x))
    )
      return {type: 'opaque'}
    const named = dd === -1 ? [] : rest.slice(dd + 1)
    const paths = named.map((p, j) => pathArg(p, cmd.dynamic[k + 2 + dd + j] || /[*?[]/.test(p), state))
    if (named.length && paths.every(p => p !== undefined)) a.deps.push(...(paths as string[]))
    else a.deps.push(sub === 'status' || sub === 'diff' ? '/' : (state.dir ?? '/'))
    return {type: 'opaque'}
  }
  // The remote's branches and tags, over the network: no local change, and an answer that may change by itself.
  if (sub === 'ls-remote') {
    a.volatile = true
    return {type: 'opaque'}
  }
  if (
    sub === 'add' ||
    sub === 'commit' ||
    sub === 'fetch' ||
    sub === 'push' ||
    sub === 'tag' ||
    sub === 'branch' ||
    sub === 'remote' ||
    sub === 'config' ||
    sub === 'notes' ||
    sub === 'init' ||
    sub === 'gc'
  ) {
    a.git = true
    if (sub === 'init') a.writes.push({path: normalisePath('.git', state.dir)})
    if (sub === 'commit' || sub === 'push') a.hooks = true
    // Settings every program that runs git reads (an identity, a remote's address, a hooks folder): a file changed.
    if (sub === 'config' || sub === 'remote')
      a.writes.push({
        path: normalisePath(rest.includes('--global') ? '~/.gitconfig' : '.git/config', state.dir),
        partial: true,
      })
    return {type: 'opaque'}
  }
  if (sub === 'apply' || sub === 'am') {
    a.git = true
    // `git apply fix.patch`: the patch file names what it changes (looked up in the session's files).
    const files = rest.filter(x => !x.startsWith('-'))
    const heredoc = cmd.redirects.find(r => r.op === '<<')?.body
    if (heredoc) addPatchWrites(heredoc, state)
    else if (files.length && rest.includes('--check')) return {type: 'opaque'}
    else if (files.length && sub === 'apply' && !rest.some(x => x === '--directory' || x.startsWith('--directory='))) {
      for (const f of files) {
        const path = pathArg(f, /[$*?[`]/.test(f), state)
        if (path) a.scripts.push({lang: 'patch', path, cwd: state.dir})
        else a.writesAny = true
      }
    } else a.writesAny = true
    return {type: 'opaque'}
  }
  // `git checkout -b NAME` / `git switch -c NAME` with no start point: a new branch at HEAD, the tree as it was.
  if (newBranchAtHead(sub, rest)) {
    a.git = true
    a.hooks = true
    return {type: 'opaque'}
  }
  // `git mv a b`: the move `mv a b` makes, and the index told of it.
  if (sub === 'mv') {
    a.git = true
    const moved: SimpleCommand = {...cmd, words: ['mv', ...rest], dynamic: [false, ...cmd.dynamic.slice(k + 1)]}
    return copyMove(moved, 'mv', state)
  }
  if (GIT_TREE.has(sub)) {
    a.git = true
    const dd = rest.indexOf('--')
    const paths =
      dd !== -1 ? rest.slice(dd + 1) : sub === 'restore' || sub === 'rm' ? rest.filter(x => !x.startsWith('-')) : []
    if (paths.length && (sub === 'checkout' || sub === 'restore' || sub === 'rm' || sub === 'reset')) {
      for (const p of paths) writeUnder(state, p, /[*?[$]/.test(p))
    } else if (sub === 'clone') {
      const target = rest.filter(x => !x.startsWith('-'))[1]
      if (target) writeUnder(state, target, false)
      else a.writesUnder.push(state.dir ?? '/')
      // A branch switched, a merge, a pull, a rebase: files anywhere in the work tree (which may reach above the
      // command's folder) change, by a command whose effect is known, not a command aco cannot read.
    } else a.writesUnder.push('/')
    return {type: 'opaque'}
  }
  a.writesAny = true
  return {type: 'opaque'}
}

/** `checkout -b|-B NAME` or `switch -c|-C NAME`, nothing else but quiet or tracking options: no start point given. */
function newBranchAtHead(sub: string, rest: readonly string[]): boolean {
  const create = sub === 'checkout' ? /^-[bB]$/ : sub === 'switch' ? /^-[cC]$|^--(?:force-)?create$/ : undefined
  if (!create) return false
  const k = rest.findIndex(x => create.test(x))
  if (k === -1 || rest[k + 1] === undefined || rest[k + 1]!.startsWith('-')) return false
  const others = rest.filter((_, i) => i !== k && i !== k + 1)
  return others.every(x => x === '-q' || x === '--quiet' || x === '--no-track')
}

/** The files a patch (Codex apply_patch envelope or a unified diff) changes. */
export function patchFiles(
  patch: string,
): Array<{path: string; content?: string; deleted?: boolean; replaced?: string[]}> {
  const out: Array<{path: string; content?: string; deleted?: boolean; replaced?: string[]}> = []
  const lines = patch.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    let m = /^\*\*\* (Add|Update|Delete) File: (.+?)\s*$/.exec(line)
    if (m) {
      if (m[1] === 'Add') {
        const body: string[] = []
        while (i + 1 < lines.length && !lines[i + 1]!.startsWith('*** ')) body.push(lines[++i]!.replace(/^\+/, ''))
        out.push({path: m[2]!, content: `${body.join('\n')}\n`})
      } else if (m[1] === 'Update') {
        const body: string[] = []
        while (i + 1 < lines.length && !/^\*\*\* (?!End of File)/.test(lines[i + 1]!)) body.push(lines[++i]!)
        const file: {path: string; replaced?: string[]} = {path: m[2]!}
        const replaced = replacedRuns(body)
        if (replaced.length) file.replaced = replaced
        out.push(file)
      } else out.push({path: m[2]!, deleted: true})
      continue
    }
    m = /^\*\*\* Move to: (.+?)\s*$/.exec(line)
    if (m) {
      out.push({path: m[1]!})
      continue
    }
    m = /^\+\+\+ (?:b\/)?(.+?)(?:\t.*)?$/.exec(line)
    if (m && m[1] !== '/dev/null') {
      out.push({path: m[1]!})
      continue
    }
    m = /^--- (?:a\/)?(.+?)(?:\t.*)?$/.exec(line)
    if (m && m[1] !== '/dev/null' && lines[i + 1]?.startsWith('+++ /dev/null')) out.push({path: m[1]!, deleted: true})
  }
  return out
}

/**
 * Of an apply_patch envelope that changes no file, the lines it takes out and puts back (`-import x` then `+import x`):
 * updates only (no file added, deleted or moved), each hunk's lines after it (context and `+` lines) the same as before
 * it (context and `-` lines). Undefined when it changes a file; empty when it holds only lines of context.
 */
export function linesPutBack(patch: string): string[] | undefined {
  const back: string[] = []
  let updates = 0
  let before: string[] = []
  let after: string[] = []
  const same = (): boolean => {
    const ok = before.length === after.length && before.every((l, k) => l === after[k])
    before = []
    after = []
    return ok
  }
  const lines = patch.replace(/\r\n/g, '\n').split('\n')
  for (const line of lines) {
    if (line.startsWith('*** ')) {
      if (line === '*** Begin Patch' || line === '*** End Patch' || line === '*** End of File') continue
      if (!line.startsWith('*** Update File: ') || !same()) return undefined
      updates++
    } else if (line.startsWith('@@')) {
      if (!same()) return undefined
    } else if (updates === 0) {
      if (line.trim() !== '') return undefined
    } else if (line.startsWith('-')) before.push(line.slice(1))
    else if (line.startsWith('+')) {
      after.push(line.slice(1))
      back.push(line.slice(1))
    } else {
      const text = line.startsWith(' ') ? line.slice(1) : line
      before.push(text)
      after.push(text)
    }
  }
  return updates > 0 && same() ? back : undefined
}

/**
 * The text of each hunk of an apply_patch update that only replaces lines (no line of context: `-` lines, then `+`
 * lines): what those lines now read, carried whole by the patch.
 */
function replacedRuns(lines: readonly string[]): string[] {
  let end = lines.length
  while (end > 0 && lines[end - 1] === '') end--
  const body = lines.slice(0, end)
  const out: string[] = []
  let added: string[] = []
  let plain = true
  const close = (): void => {
    if (plain && added.length) out.push(`${added.join('\n')}\n`)
    added = []
    plain = true
  }
  for (const l of body) {
    if (l.startsWith('@@')) close()
    else if (l.startsWith('+')) added.push(l.slice(1))
    else if (l.startsWith('-')) {
      if (added.length) plain = false
    } else if (l !== '*** End of File' && l !== '') plain = false
  }
  close()
  return out
}

function addPatchWrites(patch: string, state: State): void {
  const files = patchFiles(patch)
  if (files.length === 0) {
    state.action.writesAny = true
    return
  }
  for (const f of files) {
    write(state, f.path, false, f.content, f.content === undefined, f.replaced)
    state.action.targets.push(...state.action.writes.slice(-1).map(x => x.path))
  }
  const back = linesPutBack(patch)
  if (back?.length) state.action.noChange = back
}

function patchCmd(cmd: SimpleCommand, state: State, heredoc: string | undefined): Stream {
  if (heredoc) {
    addPatchWrites(heredoc, state)
    return {type: 'opaque'}
  }
  const ops = operands(
    cmd,
    new Set(['-p', '-i', '--input', '-d', '--directory', '-o', '-r', '-B', '-z', '-F', '-V', '-D']),
  )
  if (cmd.words.includes('--dry-run')) return {type: 'opaque'}
  // `patch file.py < fix.diff`: the file named changes.
  if (ops.length >= 1 && !cmd.words.includes('-i')) {
    write(state, ops[0]!.word, ops[0]!.dynamic, undefined, true)
    return {type: 'opaque'}
  }
  // `patch -p1 < fix.diff`, `patch -i fix.diff`: the diff names the files, once its content is known (in another directory, `-d`, aco does not follow).
  const w = cmd.words
  const i = w.findIndex(x => x === '-i' || x === '--input')
  const input = i !== -1 ? w[i + 1] : cmd.redirects.find(r => r.op === '<' && r.fd === 0 && !r.dynamic)?.target
  const path = i !== -1 && cmd.dynamic[i + 1] ? undefined : pathArg(input, false, state)
  if (path && !w.some(x => x === '-d' || x === '--directory' || x.startsWith('--directory=')))
    state.action.scripts.push({lang: 'patch', path, cwd: state.dir})
  else state.action.writesAny = true
  return {type: 'opaque'}
}

function shellScript(cmd: SimpleCommand, name: string, state: State, heredoc: string | undefined): Stream {
  const w = cmd.words
  const a = state.action
  const c = w.findIndex((x, k) => k > 0 && /^-\w*c$/.test(x))
  let inline: string | undefined
  if (name === 'eval') inline = w.slice(1).join(' ')
  else if (c !== -1) inline = w[c + 1]
  else if (heredoc !== undefined && w.length === 1) inline = heredoc
  if (inline !== undefined && state.depth < 3) {
    const inner = classifyShell(inline, state.dir, state.depth + 1)
    merge(a, inner, true)
    state.wrapped = inner.parts
    return undefined
  }
  const file = w.slice(1).find(x => !x.startsWith('-'))
  // `bash -n f.sh`: the shell reads the script and runs none of it (a syntax check; `-n` alone or among other letters).
  const options = file ? w.slice(1, w.indexOf(file)) : []
  if (file && name !== 'source' && name !== '.' && options.some(x => /^-[a-z]*n[a-z]*$/.test(x))) {
    const path = pathArg(file, cmd.dynamic[w.indexOf(file)], state)
    if (path) {
      a.deps.push(path)
      state.filesOnly = true
      return {type: 'opaque'}
    }
  }
  const kit = file && !cmd.dynamic[w.indexOf(file)] ? specKit(file, state) : undefined
  if (kit) return kit
  const path = file ? scriptPath(file, cmd.dynamic[w.indexOf(file)], state) : undefined
  if (path) a.scripts.push({lang: 'shell', path, cwd: state.dir})
  else a.writesAny = true
  a.depsAny = true
  return {type: 'opaque'}
}

/**
 * PowerShell's `Select-Object` over a read: `-First N`, `-Skip S`, `-Last N` keep those lines (as `head`, `sed -n`
 * and `tail` do); any other selection (properties, `-Index`, `-Unique`) is not a file's lines.
 */
function selectObject(cmd: SimpleCommand, input: Stream): Stream {
  // A listing's entries by their name or path (`Get-ChildItem d -File | Select-Object -ExpandProperty FullName`): the same
  // entries, written otherwise.
  if (
    input?.type === 'search' &&
    input.search.mode === 'name' &&
    /^-ExpandProperty (?:FullName|Name)$/i.test(cmd.words.slice(1).join(' '))
  )
    return input
  if (input?.type !== 'read' || input.last !== undefined) return input ? {type: 'opaque'} : input
  // `Get-Content -Raw f | Select-Object -First 200`: the first object is the whole text.
  if (input.raw)
    return /^-First$/i.test(cmd.words[1] ?? '') && Number(cmd.words[2]) >= 1 && cmd.words.length === 3
      ? input
      : {type: 'opaque'}
  let first: number | undefined
  let skip = 0
  let last: number | undefined
  const w = cmd.words
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!.toLowerCase()
    const n = Number(w[k + 1])
    if ((x === '-first' || x === '-skip' || x === '-last') && Number.isInteger(n) && n >= 0) {
      if (x === '-first') first = n
      else if (x === '-skip') skip = n
      else last = n
      k++
    } else return {type: 'opaque'}
  }
  if (last !== undefined) {
    if (first !== undefined || skip || input.range) return {type: 'opaque'}
    return {type: 'read', path: input.path, file: input.file, last}
  }
  const range: Range = [skip + 1, first === undefined ? WHOLE : skip + 1 + first]
  return narrowStream(input, range)
}

/**
 * A script of GitHub's Spec Kit (`.specify/scripts/bash/*.sh`, `.specify/scripts/powershell/*.ps1`), which agents run
 * at every `/speckit.*` prompt: what each does is known. Its project is the folder holding `.specify`. Checking the
 * prerequisites reads the feature's folder under `specs/` and the git branch; setting up a plan copies its template
 * there (the paths it prints say which file and folder); a new feature also creates its branch; updating the agent context rewrites the agents' instruction files at
 * the project's root. Any other script there is not known: undefined.
 */
function specKit(word: string, state: State): Stream | undefined {
  const m = /(?:^|\/)\.specify\/scripts\/(?:bash|powershell)\/([\w-]+)\.(?:sh|ps1)$/.exec(word)
  if (!m) return undefined
  const path = pathArg(word, false, state)
  if (path === undefined) return undefined
  const root = path.slice(0, path.lastIndexOf('/.specify/')) || '/'
  const a = state.action
  const name = m[1]!.toLowerCase().replace(/-/g, '')
  // (Paths below it: the root folder itself adds no slash.)
  const base = root === '/' ? '' : root
  const specs = `${base}/specs`
  if (name === 'checkprerequisites' || name === 'checktaskprerequisites' || name === 'getfeaturepaths') {
    a.deps.push(specs, '(git)')
    return {type: 'opaque'}
  }
  if (name === 'setupplan' || name === 'createnewfeature') {
    a.writesUnder.push(specs)
    // It copies a template to the plan or the spec of the feature's folder, and prints that file's path.
    a.reported = [...(a.reported ?? []), {under: specs, keys: [name === 'setupplan' ? 'IMPL_PLAN' : 'SPEC_FILE']}]
    a.deps.push(specs, '(git)')
    // A new feature's branch: created, and checked out.
    if (name === 'createnewfeature') a.git = true
    return {type: 'opaque'}
  }
  if (name === 'updateagentcontext') {
    for (const file of AGENT_FILES) a.writes.push({path: `${base}/${file}`, partial: true})
    for (const dir of AGENT_RULE_FOLDERS) a.writesUnder.push(`${base}/${dir}`)
    a.deps.push(specs, '(git)')
    return {type: 'opaque'}
  }
  return undefined
}

/** The instruction files Spec Kit's update-agent-context writes at a project's root, and the folders of the rest. */
const AGENT_FILES = ['AGENTS.md', 'CLAUDE.md', 'GEMINI.md', 'QWEN.md', 'CODEBUDDY.md', 'SHAI.md', 'IFLOW.md']
const AGENT_RULE_FOLDERS = [
  '.github',
  '.cursor',
  '.windsurf',
  '.kilocode',
  '.augment',
  '.roo',
  '.amazonq',
  '.qwen',
  '.opencode',
  '.codebuddy',
  '.bob',
  '.agents',
  '.agent',
  '.clinerules',
  '.qoder',
  '.kiro',
  '.gemini',
  '.claude',
]

/**
 * The program a script under node_modules is (`node_modules/.bin/vitest` → `vitest`, `node_modules/typescript/bin/tsc`
 * → `tsc`, `node_modules/vitest/dist/cli-wrapper.js` → `vitest`), or undefined for any other script.
 */
function packageProgram(path: string): string | undefined {
  const p = path.replace(/\\/g, '/')
  const bin = /(?:^|\/)node_modules\/\.bin\/([^/]+)$/.exec(p)
  if (bin) return bin[1]!.replace(/\.(?:c?js|mjs|cmd|ps1)$/, '').toLowerCase()
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\/(.+)$/.exec(p)
  if (!m) return undefined
  const inner = /(?:^|\/)bin\/([^/]+)$/.exec(m[2]!)
  if (inner) return inner[1]!.replace(/\.(?:c?js|mjs)$/, '').toLowerCase()
  return m[1]!.slice(m[1]!.lastIndexOf('/') + 1).toLowerCase()
}

/**
 * `powershell -Command "Set-Location 'c:\\x'; npm install"`: the commands it runs, read as a shell's (its `;`,
 * quotes and redirections read the same for such lines); a script file or an encoded command may do anything.
 */
function powershell(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  const a = state.action
  const c = w.findIndex((x, k) => k > 0 && /^-(?:c|command)$/i.test(x))
  const f = w.findIndex((x, k) => k > 0 && /^-f(?:ile)?$/i.test(x))
  const kit = f !== -1 && w[f + 1] && !cmd.dynamic[f + 1] ? specKit(w[f + 1]!.replace(/\\/g, '/'), state) : undefined
  if (kit) return kit
  if (c === -1 || cmd.dynamic.slice(c + 1).some(Boolean) || state.depth >= 3) {
    if (!w.slice(1).some(x => /^-(?:version|help|\?)$/i.test(x))) a.writesAny = true
    a.depsAny = true
    return {type: 'opaque'}
  }
  // PowerShell escapes with a backtick: its backslashes are Windows paths' separators, which a shell would take for escapes.
  const inner = classifyShell(
    quoteGroupedPaths(
      w
        .slice(c + 1)
        .join(' ')
        .replace(/\\/g, '/'),
    ),
    state.dir,
    state.depth + 1,
  )
  merge(a, inner, true)
  state.wrapped = inner.parts
  return undefined
}

/** Options of `docker run` that take no value (`-it`, `--rm`). */
const DOCKER_FLAGS =
  /^(?:-[itdP]+|--(?:rm|init|interactive|tty|detach|publish-all|read-only|privileged|no-healthcheck|oom-kill-disable|sig-proxy|quiet|volumes-from))$/

/** Options of `docker run` / `docker build` that take a value. */
const DOCKER_VALUE_OPTS =
  /^(?:-[evpwuml]|--(?:env|env-file|volume|mount|publish|workdir|user|name|network|net|label|memory|cpus|platform|entrypoint|hostname|add-host|cap-add|cap-drop|device|dns|expose|gpus|ipc|link|log-driver|log-opt|pid|restart|runtime|security-opt|shm-size|stop-signal|tmpfs|ulimit|userns|uts|volume-driver|cidfile|file|tag|target|build-arg|cache-from|progress|secret|ssh|iidfile))$/

/**
 * `docker run`: a container writes the host's files only through what it mounts (`-v host:/app`, `--mount
 * type=bind,source=…`): the command it runs is read with the container's paths, and what it writes under a mount
 * lands under the host folder; the rest stays in the container. A container given the host (`--privileged`, the
 * Docker socket, `--volumes-from`) may do anything. `docker build` writes no host file unless told to (`-o`).
 */
function dockerRun(cmd: SimpleCommand, state: State): void {
  const w = cmd.words
  const a = state.action
  if (w[1] === 'build') {
    if (w.some(x => x === '-o' || x.startsWith('--output'))) a.writesAny = true
    return
  }
  const mounts: Array<{host: string; target: string}> = []
  let workdir = '/'
  let k = 2
  for (; k < w.length; k++) {
    const x = w[k]!
    if (!x.startsWith('-')) break
    const eq = x.indexOf('=')
    const opt = eq !== -1 && x.startsWith('--') ? x.slice(0, eq) : x
    // An option aco does not know may take a value, which would then pass for the image: where the command starts
    // (and so what it mounts) is not known, and it may write anything.
    if (eq === -1 && !DOCKER_VALUE_OPTS.test(x) && !DOCKER_FLAGS.test(x)) {
      a.writesAny = true
      return
    }
    const value = eq !== -1 && x.startsWith('--') ? x.slice(eq + 1) : DOCKER_VALUE_OPTS.test(x) ? w[++k] : undefined
    if (opt === '--privileged' || opt === '--volumes-from' || (value && /docker\.sock/.test(value))) {
      a.writesAny = true
      return
    }
    if (value === undefined) continue
    if (opt === '-w' || opt === '--workdir') workdir = value
    else if (opt === '-v' || opt === '--volume' || opt === '--mount') {
      const m =
        opt === '--mount'
          ? /(?:^|,)type=bind(?:,|$)/.test(value) || !/type=/.test(value)
            ? {
                host: /(?:^|,)(?:source|src)=([^,]+)/.exec(value)?.[1],
                target: /(?:^|,)(?:target|destination|dst)=([^,]+)/.exec(value)?.[1],
              }
            : undefined
          : (() => {
              const v = /^((?:[A-Za-z]:)?[^:]+):([^:]+)(?::[^:]*)?$/.exec(value)
              return v ? {host: v[1], target: v[2]} : undefined
            })()
      if (!m) continue
      // A named volume (no path) is Docker's own storage, not the host's files.
      if (!m.host || !m.target || !/^(?:[./~]|[A-Za-z]:|\$\(?pwd\)?|\$\{?PWD\}?|%cd%)/i.test(m.host)) {
        if (m.host && !m.target) a.writesAny = true
        continue
      }
      const here = /^(?:\$\(pwd\)|\$\{?PWD\}?|%cd%)/i.exec(m.host)
      const hostWord = here ? (state.dir ? state.dir + m.host.slice(here[0].length) : undefined) : m.host
      const host = hostWord === undefined ? undefined : pathArg(hostWord, false, state)
      if (!host) {
        a.writesAny = true
        return
      }
      mounts.push({host, target: normalisePath(m.target)})
    }
  }
  if (mounts.length === 0) return
  // The image, then what it runs: `sh -c "…"` is read; anything else may write anywhere it mounted.
  const run = w.slice(k + 1)
  const shell = /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|ash|zsh)$/.test(run[0] ?? '') && /^-\w*c$/.test(run[1] ?? '')
  const inner =
    shell && run[2] !== undefined && state.depth < 3 ? classifyShell(run[2], workdir, state.depth + 1) : undefined
  const toHost = (path: string): string | undefined => {
    for (const m of mounts)
      if (path === m.target || path.startsWith(m.target === '/' ? '/' : `${m.target}/`))
        return normalisePath(`.${path.slice(m.target.length)}`, m.host)
    return undefined
  }
  if (!inner || inner.writesAny || inner.scripts.length) {
    a.writesUnder.push(...mounts.map(m => m.host))
    return
  }
  for (const f of inner.writes) {
    const host = toHost(f.path)
    if (host) a.writes.push({path: host, partial: true})
  }
  for (const dir of inner.writesUnder) {
    const host = toHost(dir)
    if (host) a.writesUnder.push(host)
    // Somewhere in the container aco cannot place: in any mount.
    else if (dir.startsWith(`${ANYWHERE}/`)) a.writesUnder.push(...mounts.map(m => m.host))
    // A folder above a mount holds it.
    else for (const m of mounts) if (m.target.startsWith(dir === '/' ? '/' : `${dir}/`)) a.writesUnder.push(m.host)
  }
}

function script(cmd: SimpleCommand, name: string, state: State, heredoc: string | undefined): Stream {
  const lang: ScriptRun['lang'] = name === 'perl' || name === 'ruby' ? 'shell' : 'node'
  const a = state.action
  const w = cmd.words
  a.depsAny = true
  const e = w.findIndex(x => x === '-e' || x === '--eval' || x === '-p' || x === '--print')
  if (e !== -1) {
    if (lang === 'node' && !cmd.dynamic[e + 1]) scriptCode(state, 'node', w[e + 1] ?? '')
    else a.writesAny = true
    return {type: 'opaque'}
  }
  // `node --test [files]`: Node's own test runner, a test run like vitest's (not a script that may write anything).
  if (name === 'node' && w.some(x => x === '--test' || x.startsWith('--test-') || x.startsWith('--test=')))
    return testRun(cmd, state, 'js')
  if (w.includes('--check') || w.includes('-c')) {
    // `node --check f.js`: a syntax check reads f and writes nothing.
    let resolved = 0
    const files = operands(cmd, new Set())
    for (const f of files) {
      const p = pathArg(f.word, f.dynamic, state)
      if (p) a.deps.push(p)
      if (p) resolved++
    }
    a.depsAny = false
    if (files.length && resolved === files.length) state.filesOnly = true
    return {type: 'opaque'}
  }
  const file = operands(cmd, new Set(['-r', '--require', '--import', '--loader']))[0]
  if (!file && heredoc !== undefined && lang === 'node') {
    scriptCode(state, 'node', heredoc)
    return {type: 'opaque'}
  }
  const path = file ? scriptPath(file.word, file.dynamic, state) : undefined
  if (path && lang === 'node' && /\.[cm]?[jt]sx?$/.test(path)) {
    const at = cmd.words.indexOf(file!.word)
    a.scripts.push({lang: 'node', path, cwd: state.dir, help: asksHelp(cmd.words.slice(at + 1))})
  } else a.writesAny = true
  return {type: 'opaque'}
}

/** curl's options that take a value, and of them those that name a file curl writes (`-D -` prints instead). */
const CURL_VALUE =
  /^(?:-[HdXuAebcTwmKEFrxyYzDCPQ]|--(?:header|data|data-raw|data-binary|data-urlencode|request|user|user-agent|referer|cookie|cookie-jar|upload-file|write-out|max-time|config|cert|form|range|proxy|dump-header|continue-at|output-dir|url|connect-timeout|retry|retry-delay|retry-max-time|limit-rate|resolve|cacert|key|trace|trace-ascii|stderr|libcurl|json|oauth2-bearer))$/
const CURL_FILE_OUT = /^(?:-[cD]|--(?:cookie-jar|dump-header|trace|trace-ascii|stderr|libcurl))$/

/** ssh's options that take a value (`-i key`, `-p 22`, `-o StrictHostKeyChecking=no`, `-E log`). */
const SSH_VALUE = new Set('-B -b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w'.split(' '))
/** scp's options that take a value. */
const SCP_VALUE = new Set('-c -D -F -i -J -l -o -P -S -X'.split(' '))
/** A remote operand of scp (`host:path`, `user@host:~/x`), not a Windows drive (`C:\x`) nor a path (`./a:b`). */
const REMOTE_OPERAND = /^[^/:]{2,}:/

/**
 * `ssh host command`: the command runs on another machine. What it answers comes from there, which no call of the
 * session shows the state of (asked again, it is no repeat), and it writes no file here (the shell's own redirections
 * aside, read with the line; ssh's log, `-E file`, is one).
 */
function remoteShell(cmd: SimpleCommand, state: State): Stream {
  const a = state.action
  const w = cmd.words
  let k = 1
  for (; k < w.length; k++) {
    if (!w[k]!.startsWith('-')) break
    if (w[k] === '-E') write(state, w[k + 1], cmd.dynamic[k + 1])
    else if (w[k]!.startsWith('-E')) write(state, w[k]!.slice(2), cmd.dynamic[k])
    if (SSH_VALUE.has(w[k]!)) k++
  }
  // (This machine itself, asked through ssh: what it runs may write any file here.)
  if (k < w.length && (cmd.dynamic[k] || THIS_MACHINE.test(w[k]!))) a.writesAny = true
  a.volatile = true
  a.depsAny = true
  return {type: 'opaque'}
}

/** A host that is this machine (`localhost`, `user@127.0.0.1`, `[::1]`). */
const THIS_MACHINE = /^(?:[^@\s]*@)?(?:localhost|127(?:\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0)(?::\d+)?$/i

/**
 * `scp a.xml host:/tmp/`: a copy to or from another machine. It writes here only a local destination (anything below
 * it: a folder or the file itself); what it copies from there is as that machine holds it now.
 */
function secureCopy(cmd: SimpleCommand, state: State): Stream {
  const a = state.action
  const ops = operands(cmd, SCP_VALUE)
  const dest = ops[ops.length - 1]
  if (!dest || ops.length < 2) a.writesAny = true
  else if (!REMOTE_OPERAND.test(dest.word)) writeUnder(state, dest.word, dest.dynamic)
  a.volatile = true
  a.depsAny = true
  return {type: 'opaque'}
}

/**
 * The files a curl command writes: `-o FILE` (also ending a cluster, `-fsSLo FILE`, or joined, `-oFILE`); `-O`
 * (`-LO`, `--remote-name`): the last part of the URL's path, in the folder it runs in or `--output-dir`; `-J` a name
 * the server sends (any file there); a cookie jar, dumped headers, a trace. `-o -` prints.
 */
function curlWrites(cmd: SimpleCommand, state: State): void {
  const w = cmd.words
  const a = state.action
  let remote = false
  let serverName = false
  let dir: Operand | undefined
  const urls: Operand[] = []
  // Files named by `-o` (resolved against `--output-dir` when relative, once every option is read).
  const named: Operand[] = []
  const out = (word: string | undefined, dynamic: boolean | undefined) => {
    if (word !== '-') named.push({word: word ?? '', dynamic: dynamic ?? true})
  }
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    const next = (): Operand => ({word: w[++k] ?? '', dynamic: cmd.dynamic[k] ?? true})
    if (x === '--output') out(w[k + 1], cmd.dynamic[++k])
    else if (x === '--remote-name' || x === '--remote-name-all') remote = true
    else if (x === '--remote-header-name') serverName = true
    else if (x === '--output-dir') dir = next()
    else if (x === '--url') urls.push(next())
    else if (CURL_FILE_OUT.test(x)) out(w[k + 1], cmd.dynamic[++k])
    else if (CURL_VALUE.test(x)) k++
    else if (/^-[a-zA-Z0-9#]/.test(x)) {
      // A cluster of one-letter options; one taking a value takes the rest of the word (`-sSo./src/x.ts`), or the next
      // word.
      for (let c = 1; c < x.length; c++) {
        const ch = x[c]!
        if (ch === 'O') remote = true
        else if (ch === 'J') serverName = true
        else if (ch === 'o' || CURL_VALUE.test(`-${ch}`)) {
          const rest = x.slice(c + 1)
          const value: Operand = rest ? {word: rest, dynamic: cmd.dynamic[k]!} : next()
          if (ch === 'o' || CURL_FILE_OUT.test(`-${ch}`)) out(value.word, value.dynamic)
          break
        }
      }
    } else if (!x.startsWith('-')) urls.push({word: x, dynamic: cmd.dynamic[k]!})
  }
  const folder = dir ? pathArg(dir.word, dir.dynamic, state) : state.dir
  for (const f of named) {
    if (dir && !f.word.startsWith('/') && !f.word.startsWith('~')) {
      if (folder && !f.dynamic) write(state, `${folder}/${f.word}`, false)
      else a.writesAny = true
    } else write(state, f.word, f.dynamic)
  }
  // (curl's own URL globs, `{a,b}` and `[1-3]`, name several files: any of the folder's.)
  if (remote && urls.some(u => /[{[]/.test(u.word))) {
    if (folder && folder !== '/') a.writesUnder.push(folder)
    else a.writesAny = true
    return
  }
  // A config file may name outputs of its own.
  if (w.some(x => x === '-K' || x === '--config' || /^-[a-zA-Z]*K/.test(x))) a.writesAny = true
  if (!remote) return
  const names = urls.map(u =>
    u.dynamic ? undefined : /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/(?:[^?#]*\/)?([^/?#]+)(?:[?#]|$)/i.exec(u.word)?.[1],
  )
  if (serverName || folder === undefined || names.length === 0 || names.some(n => n === undefined)) {
    if (folder && folder !== '/') a.writesUnder.push(folder)
    else a.writesAny = true
    return
  }
  for (const n of names) write(state, `${folder}/${decodeURIComponentSafe(n!)}`, false)
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * The files a wget command writes: `-O FILE` (`-qO FILE`, `-OFILE`, `--output-document=FILE`; `-O -` prints), its log
 * (`-o FILE`); otherwise the download goes into the folder it runs in, or `-P DIR`, under a name the URL or the
 * server gives.
 */
function wgetWrites(cmd: SimpleCommand, state: State): void {
  const w = cmd.words
  let document: Operand | undefined
  let prefix: Operand | undefined
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    const value = (rest: string): Operand =>
      rest ? {word: rest, dynamic: cmd.dynamic[k]!} : {word: w[++k] ?? '', dynamic: cmd.dynamic[k] ?? true}
    if (x.startsWith('--output-document=')) document = {word: x.slice(18), dynamic: cmd.dynamic[k]!}
    else if (x === '--output-document') document = value('')
    else if (x.startsWith('--directory-prefix=')) prefix = {word: x.slice(19), dynamic: cmd.dynamic[k]!}
    else if (x === '--directory-prefix') prefix = value('')
    else if (x.startsWith('--output-file=') || x.startsWith('--append-output=')) {
      const v = x.slice(x.indexOf('=') + 1)
      write(state, v, cmd.dynamic[k], undefined, x.startsWith('--append'))
    } else if (/^-[a-zA-Z]+/.test(x) && !x.startsWith('--')) {
      for (let c = 1; c < x.length; c++) {
        const ch = x[c]!
        if (ch === 'O' || ch === 'P' || ch === 'o' || ch === 'a') {
          const v = value(x.slice(c + 1))
          if (ch === 'O') document = v
          else if (ch === 'P') prefix = v
          else write(state, v.word, v.dynamic, undefined, ch === 'a')
          break
        }
        if (/[tTwAReUBeDIX]/.test(ch)) {
          if (c === x.length - 1) k++
          break
        }
      }
    }
  }
  if (document) {
    if (document.word !== '-') write(state, document.word, document.dynamic)
    return
  }
  const folder = prefix ? pathArg(prefix.word, prefix.dynamic, state) : state.dir
  if (folder && folder !== '/') state.action.writesUnder.push(folder)
  else state.action.writesAny = true
}

/** yq's options that take a value (`-o json`, `--arg k v` takes two: its second is read as an operand, not written). */
const YQ_VALUE = new Set([
  '-o',
  '--output-format',
  '-p',
  '--input-format',
  '-I',
  '--indent',
  '--arg',
  '--argjson',
  '--expression',
  '--front-matter',
  '--xml-attribute-prefix',
  '--xml-content-name',
])

/** What `perl -i …` or `ruby -i …` was given: its code (`-e`), the backup suffix (`-i.bak`) and the files it edits. */
interface InPlace {
  code: Operand[]
  suffix: string | undefined
  files: Operand[]
  /** It loads modules or libraries (`-MFile::Copy`, ruby's `-r`), or runs a script file: its code is not all here. */
  more: boolean
}

/**
 * A perl or ruby command that edits files in place (`-i`), its switches read as perl reads them: they cluster (`-pi`,
 * `-0777`), `-i` takes the rest of its word as the backup suffix (`-i.bak`; `-pie` keeps backups ending in `e`), `-e`
 * the rest of its word or the next word as code. Undefined when there is no `-i`.
 */
function inPlace(cmd: SimpleCommand): InPlace | undefined {
  const w = cmd.words
  const out: InPlace = {code: [], suffix: undefined, files: [], more: false}
  let edits = false
  let options = true
  for (let k = 1; k < w.length; k++) {
    const x = w[k]!
    if (options && x === '--') {
      options = false
      continue
    }
    if (!options || !x.startsWith('-') || x.length < 2 || x.startsWith('--')) {
      if (options && x.startsWith('--')) continue
      options = false
      out.files.push({word: x, dynamic: cmd.dynamic[k]!})
      continue
    }
    for (let c = 1; c < x.length; c++) {
      const ch = x[c]!
      const rest = x.slice(c + 1)
      if (ch === 'i') {
        edits = true
        if (rest) out.suffix = rest
        break
      }
      if (ch === 'e' || ch === 'E') {
        if (rest) out.code.push({word: rest, dynamic: cmd.dynamic[k]!})
        else {
          k++
          out.code.push({word: w[k] ?? '', dynamic: cmd.dynamic[k] ?? true})
        }
        break
      }
      if (ch === 'M' || ch === 'm' || ch === 'r' || ch === 'I') {
        if (ch !== 'I') out.more = true
        if (!rest) k++
        break
      }
      if (ch === '0' || ch === 'l') {
        while (c + 1 < x.length && /[0-9a-fA-Fx]/.test(x[c + 1]!)) c++
        continue
      }
      // Switches whose value is the rest of the word (`-F:`, `-C0`, `-x dir`, `-d:Module`).
      if (ch === 'F' || ch === 'C' || ch === 'x' || ch === 'd' || ch === 'D') {
        if (ch === 'd') out.more = true
        break
      }
    }
  }
  if (!edits) return undefined
  // Without `-e`, the first operand is the script (its code is elsewhere).
  if (out.code.length === 0) {
    out.files.shift()
    out.more = true
  }
  return out
}

/**
 * Perl or ruby words that reach beyond the edited lines: run a command, open, remove, rename or make a file, load
 * code. Code with none of them (`s/a/b/g`, `tr/a-z/A-Z/`, `$_ = uc`, `print`) changes only the files being edited.
 */
const REACHES_OUT =
  /[`]|%x|\/[a-z]*e[a-z]*e[a-z]*(?:[;'"\s]|$)|\b(?:system|exec|spawn|fork|open|sysopen|unlink|rename|mkdir|rmdir|truncate|chmod|chown|link|symlink|utime|require|load|do|eval|use|qx|readpipe|pipe|syswrite|binwrite|reopen|File|FileUtils|Dir|IO|Kernel|Open3|Process|Pathname|Tempfile|syscall)\b/

/**
 * `perl -i -pe 's/a/b/' f g`: rewrites f and g (and, with a suffix, keeps the old ones as `f.bak`, `g.bak`). Code aco
 * cannot read (a variable, a script file, modules) or that reaches out (see REACHES_OUT) may write anything.
 */
function inPlaceEdit(edit: InPlace, state: State): Stream {
  if (edit.more || edit.code.some(c => c.dynamic || REACHES_OUT.test(c.word))) state.action.writesAny = true
  editsInPlace(state, edit.files, edit.suffix)
  return {type: 'opaque'}
}

/**
 * Files edited in place (`sed -i`, `perl -i`, `awk -i inplace`), none named: any file; with a backup suffix
 * (`-i.bak`), the file as it was kept beside it (a suffix with `*` or `/` names it another way: any file).
 */
function editsInPlace(state: State, files: readonly Operand[], suffix?: string): void {
  if (files.length === 0) state.action.writesAny = true
  for (const f of files) {
    write(state, f.word, f.dynamic, undefined, true)
    if (suffix === undefined) continue
    if (suffix.includes('*') || suffix.includes('/')) state.action.writesAny = true
    else write(state, f.word + suffix, f.dynamic)
  }
}

/** The effects of inline code: its writes, and the commands it runs through a shell. */
function scriptCode(state: State, lang: 'python' | 'node', code: string): void {
  const a = state.action
  a.inline ??= {lang, code}
  const effects = codeEffects(lang, code)
  a.writesAny ||= effects.writesAny
  for (const p of effects.writes) if (!effects.under.includes(p)) write(state, p, false, undefined, true)
  for (const p of new Set(effects.under)) writeUnder(state, p, false)
  for (const c of effects.commands) {
    if (state.depth >= 3) {
      a.writesAny = true
      continue
    }
    const inner = classifyShell(c, state.dir, state.depth + 1)
    merge(a, inner, false)
    if (effects.commands.length === 1) state.wrapped = inner.parts
  }
}

/**
 * PowerShell's setting of an environment variable to a value (`$env:JAVA_HOME='D:\\jbr'`, `$env:Path =
 * "$env:JAVA_HOME\\bin;$env:Path"`, `$env:NODE_ENV='test'`): nothing run, nothing printed. Not a value a command computes
 * (`$env:V = git describe`), nor an assignment to a variable of the script's own (`$x = …`), which a line the shell's
 * reading cannot follow holds before what it does (`$spec = "…"; if (Test-Path $spec) { … }`): those are read as any
 * unknown command is, and PowerShell's own reading then takes them (see powershell-writes.ts).
 */
function powershellAssignment(cmd: SimpleCommand): boolean {
  const w = cmd.words
  if (!cmd.dynamic[0] || cmd.redirects.length || cmd.substitutions.length) return false
  let value: string | undefined
  if (w.length === 1) value = PS_ASSIGNED.exec(w[0]!)?.[1]
  else if (w.length === 3 && w[1] === '=' && PS_VARIABLE.test(w[0]!)) value = w[2]
  return value !== undefined && PS_VALUE.test(value) && !PS_PROGRAM.test(value)
}

/** A PowerShell environment variable set, as bash's export writes it (`NAME=value`). */
function powershellExport(cmd: SimpleCommand): string {
  const w = cmd.words
  return w.length === 1 ? w[0]!.slice('$env:'.length) : `${w[0]!.slice('$env:'.length)}=${w[2]}`
}

const PS_VARIABLE = /^\$env:[A-Za-z_]\w*$/i
const PS_ASSIGNED = /^\$env:[A-Za-z_]\w*=(.*)$/is
/** A value that runs a program or script by its path (`$env:X = .\\build.ps1`). */
const PS_PROGRAM = /^\.{1,2}[/\\]|\.(?:exe|ps1|bat|cmd|sh|py|js)$/i
/**
 * A value on one line (not a here-string, `@'…'@`), and no cmdlet's call (`Get-Date`): a string (its quotes the shell's
 * reading removed), a number, a path, a list.
 */
const PS_VALUE = /^(?![A-Z][a-z]+-[A-Z]\w*$)(?:[^\s@][^\n]*)?$/

/**
 * A script's arguments end by asking for its usage (`cli.py backtest -h`): what it does then is print it (see
 * `ScriptRun.help`). Not `-h` before other arguments (`report.py -h --out r.json`: `-h` may mean human-readable).
 */
function asksHelp(words: readonly string[]): boolean | undefined {
  const last = words[words.length - 1]
  return last === '-h' || last === '--help' || undefined
}

/**
 * `prog --version` or `prog --help` and nothing else: a program asked only about itself writes nothing
 * (a subcommand named `version` is not the same: `npm version` bumps the package's version). Nor does a program
 * asked the usage of a subcommand (`entire collab --help`, `git worktree add --help`): a program named, not a path
 * (a script may take any word for an argument), its subcommands plain words, none running what follows it (`npm run
 * build --help`, `docker run img --help`), and no program that runs what it is given (`npx tool --help`).
 */
function asksOnlyAbout(words: readonly string[]): boolean {
  if (words.length === 2) return words[1] === '--version' || words[1] === '--help'
  const program = (words[0] ?? '').toLowerCase().replace(/\.(?:cmd|exe|bat|ps1)$/, '')
  return (
    words.length <= 5 &&
    words[words.length - 1] === '--help' &&
    /^[\w.-]+$/.test(words[0]!) &&
    !PASSES_ON.has(program) &&
    !ACTS_FIRST.has(program) &&
    words.slice(1, -1).every(w => SUBCOMMAND_WORD.test(w) && !RUNS_WHAT_FOLLOWS.has(w))
  )
}

/**
 * Whether every part of a call's line (`Action.parts`) only asks a program its usage or version, or looks where a
 * program is (`which x`, `command -v x`), whatever filter follows (`| head -5`): a look at what is installed.
 */
export function asksOnlyUsage(parts: readonly string[] | undefined): boolean {
  if (!parts?.length) return false
  return parts.every(part => {
    const first = part.split(' | ', 1)[0]!
    const words = first.slice(first.indexOf(' ') + 1).split(' ')
    return asksOnlyAbout(words) || /^(?:which|whereis|type|command -v) \S+$/.test(words.join(' '))
  })
}

const SUBCOMMAND_WORD = /^[a-z][a-z0-9-]*$/
/** Programs that run what they are given (a package, a script, a command): `--help` may be that one's. */
const PASSES_ON = new Set([
  'npx',
  'bunx',
  'pnpx',
  'uvx',
  'pipx',
  'yarn',
  'pnpm',
  'bun',
  'deno',
  'npm',
  'uv',
  'poetry',
  'pipenv',
  'hatch',
  'env',
  'sudo',
  'doas',
  'time',
  'nohup',
  'xargs',
  'timeout',
  'nice',
  'watch',
  'make',
  'just',
  'task',
  'sh',
  'bash',
  'zsh',
  'python',
  'python3',
  'node',
  'ruby',
  'perl',
  'php',
  'ssh',
  'rake',
  'mix',
  'dotnet',
  'gradle',
  'mvn',
  'sbt',
])
/** Subcommands that run what follows them (`cargo xtask` builds and runs the project's own tasks). */
const RUNS_WHAT_FOLLOWS = new Set([
  'run',
  'exec',
  'x',
  'dlx',
  'start',
  'test',
  'eval',
  'script',
  'run-script',
  'call',
  'xtask',
])
/**
 * Programs that may act on a word before they read a later `--help` (BSD `touch f --help` makes f first; `java app
 * --help` runs the class): a word after them is no subcommand (review 56).
 */
const ACTS_FIRST = new Set([
  'touch',
  'mkdir',
  'rm',
  'rmdir',
  'cp',
  'mv',
  'ln',
  'chmod',
  'chown',
  'java',
  'dd',
  'install',
  'tee',
])

function python(cmd: SimpleCommand, state: State, heredoc: string | undefined): Stream {
  const w = cmd.words
  const a = state.action
  let k = 1
  while (k < w.length && w[k]!.startsWith('-') && w[k] !== '-c' && w[k] !== '-m' && w[k] !== '-') k++
  const flag = w[k]
  if (flag === '-c') {
    a.depsAny = true
    if (cmd.dynamic[k + 1]) a.writesAny = true
    else scriptCode(state, 'python', w[k + 1] ?? '')
    return {type: 'opaque'}
  }
  if (flag === '-m') {
    const mod = w[k + 1] ?? ''
    const rest = w.slice(k + 2)
    if (asksOnlyAbout([mod, ...rest])) return {type: 'opaque'}
    const sub: SimpleCommand = {...cmd, words: [mod, ...rest], dynamic: [false, ...cmd.dynamic.slice(k + 2)]}
    if (mod === 'pytest' || mod === 'unittest' || mod === 'nose' || mod === 'nose2' || mod === 'doctest')
      return testRun(sub, state, 'python')
    if (mod === 'py_compile' || mod === 'compileall' || mod === 'tabnanny' || mod === 'pyflakes' || CHECKERS.has(mod))
      return checker(sub, mod, state)
    if (mod === 'pip' || mod === 'ensurepip') return installer(sub, 'pip', state)
    if (mod === 'venv' || mod === 'virtualenv') {
      writeUnder(
        state,
        rest.find(x => !x.startsWith('-')),
        false,
      )
      return {type: 'opaque'}
    }
    if (
      mod === 'http.server' ||
      mod === 'json.tool' ||
      mod === 'this' ||
      mod === 'site' ||
      mod === 'timeit' ||
      mod === 'platform'
    ) {
      // (Volatile as a server it starts; otherwise as what the line ran before it: `curl … | python3 -m json.tool` asks
      // a server, whatever formats its answer.)
      if (mod === 'http.server') a.volatile = true
      return {type: 'opaque'}
    }
    if (mod === 'django' || mod === 'flask') return manage(sub, state)
    a.writesAny = true
    a.depsAny = true
    return {type: 'opaque'}
  }
  if (flag === undefined || flag === '-') {
    a.depsAny = true
    if (heredoc !== undefined) scriptCode(state, 'python', heredoc)
    else if (flag === undefined && !cmd.redirects.some(r => r.op === '<')) return {type: 'opaque'}
    else a.writesAny = true
    return {type: 'opaque'}
  }
  const path = scriptPath(flag, cmd.dynamic[k], state)
  a.depsAny = true
  if (!path) {
    a.writesAny = true
    return {type: 'opaque'}
  }
  if (/(?:^|\/)manage\.py$/.test(path))
    return manage({...cmd, words: ['manage', ...w.slice(k + 1)], dynamic: [false, ...cmd.dynamic.slice(k + 1)]}, state)
  // A project's own test runner by its conventional name (Django's `tests/runtests.py`, SymPy's `bin/test`): a test run.
  if (/(?:^|\/)runtests\.py$|\/bin\/test$/.test(path)) return testRun(cmd, state, 'python')
  if (/(?:^|\/)setup\.py$/.test(path)) {
    a.writesAny = true
    changesEnvironment(a, undefined, ['python'])
    return {type: 'opaque'}
  }
  a.scripts.push({lang: 'python', path, cwd: state.dir, help: asksHelp(w.slice(k + 1))})
  return {type: 'opaque'}
}

/** `manage.py test`, `python -m django test`: a test run; other management commands may write anything. */
function manage(cmd: SimpleCommand, state: State): Stream {
  const sub = cmd.words.slice(1).find(x => !x.startsWith('-'))
  if (sub === 'test' || sub === 'check' || sub === 'showmigrations' || sub === 'diffsettings')
    return testRun(cmd, state, 'python')
  state.action.writesAny = true
  state.action.depsAny = true
  return {type: 'opaque'}
}

/**
 * A test run. Of a runner of one language's tests (`pytest`, `vitest`, `go test`), it depends on that language's
 * code, every other file but another language's sources and manifests, and the environment, as a check does:
 * `pytest` re-run after edits of `.tsx` files only is the same run. Of any other (`tox` builds environments,
 * `playwright` and `cypress` drive a running app whatever serves it), it depends on anything.
 */
function testRun(cmd: SimpleCommand, state: State, lang?: Lang): Stream {
  const a = state.action
  // `playwright install chromium`, `cypress install`: a browser (and its system packages) installed, no test run.
  const runner = commandName(cmd)
  if ((runner === 'playwright' || runner === 'cypress') && /^install(?:-deps)?$/.test(cmd.words[1] ?? '')) {
    changesEnvironment(a)
    a.volatile = true
    return {type: 'opaque'}
  }
  // `playwright screenshot [options] <url> <file>`, `playwright pdf …`: a page captured into the file it names, no
  // test run; what it shows is the app's as it is now.
  if (runner === 'playwright' && /^(?:screenshot|pdf)$/.test(cmd.words[1] ?? '')) {
    // (A word after an option may be its value, `-b webkit`, `--viewport-size 390,844`: not an operand. Where that
    // leaves no URL and file, anything may have been written.)
    const operands = cmd.words
      .map((x, k) => ({x, k}))
      .filter(({x, k}) => k > 1 && !x.startsWith('-') && !/^-[^=]*$/.test(cmd.words[k - 1]!))
    const file = operands.length === 2 ? operands[1]! : undefined
    if (file) write(state, file.x, cmd.dynamic[file.k] ?? true)
    else a.writesAny = true
    a.volatile = true
    return {type: 'opaque'}
  }
  a.tests = true
  if (lang) checksCode(a, state.dir, lang)
  else a.depsAny = true
  // Tests chosen by what git says changed (`jest -o`, `--changedSince=main`, `vitest --changed`): git's state too.
  if (cmd.words.some(x => GIT_SELECTED_TESTS.test(x))) a.deps.push('(git)')
  // Snapshot updates rewrite test files.
  if (
    cmd.words.some(
      x =>
        x === '-u' ||
        x === '--update-snapshots' ||
        x === '--snapshot-update' ||
        x === '--updateSnapshot' ||
        x === '--snapshot-update',
    )
  )
    a.writesAny = true
  return {type: 'opaque'}
}

const GIT_SELECTED_TESTS = /^(?:-o|--only-?[cC]hanged|--changed(?:Since|Files)?|--lastCommit|--last-commit)(?:=|$)/

function checker(cmd: SimpleCommand, name: string, state: State): Stream {
  const a = state.action
  const w = cmd.words
  const fixes = w.some(
    x =>
      x === '--fix' ||
      x === '--write' ||
      x === '-w' ||
      x === '--fix-only' ||
      x === '-i' ||
      x === '--in-place' ||
      // rubocop's corrections (`-a`, `-A`, `--autocorrect`, `--autocorrect-all`), codespell's `--write-changes`.
      (name === 'rubocop' && /^(?:-[aA]|--auto-?correct(?:-all)?)$/.test(x)) ||
      (name === 'codespell' && x === '--write-changes'),
  )
  const checkOnly = w.some(
    x => x === '--check' || x === '--diff' || x === '--noEmit' || x === '--no-emit' || x === '-c' || x === 'check',
  )
  // Formatters write unless told to check; tsc emits unless --noEmit; ruff format writes.
  const writes =
    fixes ||
    (name === 'black' && !checkOnly) ||
    (name === 'isort' && !checkOnly) ||
    (name === 'ruff' && w[1] === 'format' && !checkOnly) ||
    (name === 'sqlfluff' && (w[1] === 'fix' || w[1] === 'format')) ||
    (name === 'tsc' && !checkOnly && !w.includes('-p') && !w.includes('--build') ? !w.includes('--noEmit') : false) ||
    (name === 'tsc' && (w.includes('--build') || w.includes('-b')) && !w.includes('--noEmit'))
  const files = operands(
    cmd,
    new Set([
      '-p',
      '--project',
      '--config',
      '-c',
      '--target',
      '--module',
      '--select',
      '--ignore',
      '--rcfile',
      '--max-line-length',
      // eslint's, whose values are no files it checks (`--ext .ts,.tsx`)
      '--ext',
      '--rulesdir',
      '--resolve-plugins-relative-to',
      '--ignore-pattern',
      '--ignore-path',
      '--max-warnings',
      '--format',
      '-f',
      '--output-file',
      '-o',
      // xmllint's, whose values are no files (`--xpath //rule`, `--encode utf-8`), and where it writes (`--output f`)
      '--output',
      '--xpath',
      '--encode',
      '--path',
      '--pattern',
      '--maxmem',
    ]),
  )
    .filter(f => looksLikePath(f.word) && !CHECKER_VERBS.has(f.word))
    // A glob the tool expands itself (`prettier --write "src/**/*.ts"`): the files below its folder, any of them.
    .map(f => (f.dynamic || !/[*?[{]/.test(f.word) ? f : {...f, dynamic: true}))
  // A report written to a file (`eslint . -o report.json`, `ruff check --output-file r.txt`).
  const report = w.findIndex(x => x === '-o' || x === '--output-file' || x === '--output')
  if (report !== -1) write(state, w[report + 1], cmd.dynamic[report + 1])
  if (name === 'py_compile' || name === 'compileall') {
    // They write byte-code caches only.
  } else if (writes) {
    if (files.length && name !== 'tsc') for (const f of files) writeUnder(state, f.word, f.dynamic)
    else if (name === 'tsc') {
      // tsc emits what it compiled (into its outDir, inside the project): a build.
      build(state, state.dir, 'js')
      return {type: 'opaque'}
    } else a.writesAny = true
  }
  if (files.length && !FOLLOWS_IMPORTS.has(name)) {
    let resolved = 0
    for (const f of files) {
      const p = pathArg(f.word, f.dynamic, state) ?? (f.dynamic ? staticDir(f.word, state) : undefined)
      if (p) a.deps.push(p)
      else a.depsAny = true
      if (p && !f.dynamic) resolved++
    }
    // (A byte-compile of named files: its verdict is theirs, from wherever it ran.)
    if ((name === 'py_compile' || name === 'compileall') && resolved === files.length) state.filesOnly = true
  } else if (CHECKER_LANG[name]) checksCode(a, state.dir, CHECKER_LANG[name])
  else a.depsAny = true
  return {type: 'opaque'}
}

/** A checker's sub-commands, which are not files it reads (`ruff check`, `sqlfluff lint`). */
const CHECKER_VERBS = new Set(['check', 'format', 'lint', 'fix', 'parse', 'render'])

/**
 * Checkers whose verdict on the files they are given follows what those files import (types, inferred members):
 * `mypy a.py` can change when `b.py` does. They depend on their language's code, not on the files named.
 * So does a checker run inside its own repository, where an agent edits its rules (SWE-bench's sqlfluff tasks:
 * `sqlfluff lint test.sql` changes when `src/sqlfluff/rules/L031.py` does).
 */
const FOLLOWS_IMPORTS = new Set(['tsc', 'mypy', 'pyright', 'pylint', 'sqlfluff'])

/** The language a checker reads (`mypy .` reads Python files, never a `.tsx`); checkers of any text are not here. */
const CHECKER_LANG: Record<string, Lang> = {
  tsc: 'js',
  eslint: 'js',
  biome: 'js',
  prettier: 'js',
  stylelint: 'js',
  ruff: 'python',
  flake8: 'python',
  pylint: 'python',
  mypy: 'python',
  pyright: 'python',
  pyflakes: 'python',
  pycodestyle: 'python',
  black: 'python',
  isort: 'python',
  bandit: 'python',
  py_compile: 'python',
  compileall: 'python',
  tabnanny: 'python',
  rubocop: 'ruby',
  golint: 'go',
  gofmt: 'go',
  goimports: 'go',
  staticcheck: 'go',
  clippy: 'rust',
  sqlfluff: 'python',
}

/**
 * The command checks (or compiles) code in `langs`, run in `dir`: it depends on that code, wherever it lies (but see
 * `FlagContext.codeScope`), and the environment.
 */
function checksCode(a: Action, dir: string | undefined, ...langs: Lang[]): void {
  a.depsCode = a.depsCode ? [...new Set([...a.depsCode, ...langs])] : langs
  a.codeDirs = [...(a.codeDirs ?? []), dir ?? '']
}

function installer(cmd: SimpleCommand, name: string, state: State): Stream {
  const a = state.action
  const sub = cmd.words.slice(1).find(x => !x.startsWith('-')) ?? ''
  // (uv's pip interface asks as pip does: `uv pip list`, `uv pip show mkdocs`.)
  const asked =
    name === 'uv' && sub === 'pip'
      ? (cmd.words.slice(cmd.words.indexOf('pip') + 1).find(x => !x.startsWith('-')) ?? '')
      : sub
  if (
    /^(?:list|show|freeze|search|info|check|config|env|--version|help|inspect|outdated)$/.test(asked) ||
    cmd.words.includes('--version')
  ) {
    a.deps.push('(env)')
    return {type: 'opaque'}
  }
  if (name === 'conda' && sub === 'activate') {
    changesEnvironment(a)
    return {type: 'opaque'}
  }
  if (name === 'bundle' && sub === 'exec') return testRun(cmd, state)
  if (sub === 'run' && name !== 'pip' && name !== 'pip3' && name !== 'pipx') return runIn(cmd, name, state)
  // Installs of named packages keep their names (a missing module they cannot provide stays missing).
  changesEnvironment(a, installedNames(cmd, name, sub), INSTALLER_LANG[name], syncedFrom(cmd, name, sub, state))
  a.volatile = true
  // The project's manifest and lock file, where the manager keeps them (`uv add` writes pyproject.toml and uv.lock; not
  // `uv tool install`, `uv pip install`, `uv cache clean`: a tool's own place, the environment, a cache).
  if (!(name === 'uv' && UV_OUTSIDE_PROJECT.has(sub)))
    for (const f of MANAGER_FILES[name] ?? []) a.writes.push({path: normalisePath(f, state.dir), partial: true})
  return {type: 'opaque'}
}

/**
 * OpenSSL: the files its `-out` and `-keyout` name (a key, a certificate, a request, a digest) are what it writes, the
 * ones `-in`, `-key`, `-config`… name, and the files named on their own, what it reads (its standard input the pipeline
 * reads); a CA's serial it may create (`-CAcreateserial`) lies beside the CA. A key or random bytes made afresh, or a
 * server asked over the network, are news each time (volatile).
 */
function openssl(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  const a = state.action
  const sub = (w[1] ?? '').toLowerCase()
  if (OPENSSL_FRESH.has(sub) || w.includes('-new') || w.includes('-newkey')) a.volatile = true
  const read = (word: string | undefined, dynamic: boolean | undefined): void => {
    const p = word === undefined ? undefined : pathArg(word, dynamic, state)
    if (p) a.deps.push(p)
    else a.depsAny = true
  }
  for (let k = 2; k < w.length; k++) {
    const x = w[k]!
    if (x === '-out' || x === '-keyout') {
      write(state, w[k + 1], cmd.dynamic[k + 1])
      k++
    } else if (OPENSSL_READS.has(x)) {
      read(w[k + 1], cmd.dynamic[k + 1])
      k++
    } else if (!x.startsWith('-') && (cmd.dynamic[k] || looksLikePath(x))) {
      // A file named on its own (`openssl verify -CAfile ca.pem server.pem`, `openssl dgst -sha256 f.tar.gz`), or an
      // option's value that reads as one: read either way.
      read(x, cmd.dynamic[k])
    } else if (x === '-CAcreateserial') {
      const ca = w.indexOf('-CA')
      const p = ca === -1 || w[ca + 1] === undefined ? undefined : pathArg(w[ca + 1], cmd.dynamic[ca + 1], state)
      if (p) a.writesUnder.push(p.slice(0, Math.max(1, p.lastIndexOf('/'))))
      else a.writesAny = true
    }
  }
  return {type: 'opaque'}
}

/** OpenSSL's subcommands whose every run makes something new (keys, random bytes) or asks a server. */
const OPENSSL_FRESH: ReadonlySet<string> = new Set([
  'genrsa',
  'genpkey',
  'ecparam',
  'dhparam',
  'rand',
  's_client',
  'ocsp',
])
/** OpenSSL's options that name a file it reads. */
const OPENSSL_READS: ReadonlySet<string> = new Set([
  '-in',
  '-signature',
  '-verify',
  '-prverify',
  '-sign',
  '-CApath',
  '-untrusted',
  '-keyfile',
  '-key',
  '-inkey',
  '-signkey',
  '-config',
  '-extfile',
  '-CA',
  '-CAkey',
  '-CAfile',
  '-cert',
])

/**
 * GitHub's CLI: its answers come over the network (they may change by themselves) and most of its commands change
 * nothing here (`gh pr create`, `gh pr view`, `gh run list`, `gh api`). Those that do: `gh pr checkout` and `gh pr
 * merge` (a branch switched, as `git checkout`), `gh repo clone`, `gh repo fork`, `gh gist clone` and `gh release` /
 * `gh run download` (files written where it runs).
 */
function githubCli(cmd: SimpleCommand, state: State): Stream {
  const a = state.action
  a.volatile = true
  const [group, verb] = cmd.words.slice(1).filter(x => !x.startsWith('-'))
  const checkout = cmd.words.includes('--checkout') || cmd.words.includes('-c')
  if (
    (group === 'pr' && (verb === 'checkout' || verb === 'merge')) ||
    (group === 'repo' && verb === 'sync') ||
    (group === 'issue' && verb === 'develop' && checkout)
  ) {
    a.git = true
    a.writesUnder.push('/')
  } else if (
    (group === 'repo' && (verb === 'clone' || verb === 'fork')) ||
    (group === 'gist' && verb === 'clone') ||
    ((group === 'release' || group === 'run') && verb === 'download')
  ) {
    const d = cmd.words.findIndex(x => x === '-D' || x === '--dir')
    const into = d !== -1 ? pathArg(cmd.words[d + 1], cmd.dynamic[d + 1], state) : state.dir
    if (into === undefined) a.writesAny = true
    else a.writesUnder.push(into)
  } else if (group === undefined || group === 'codespace' || !GH_GROUPS.has(group)) a.writesAny = true
  return {type: 'opaque'}
}

/** `gh`'s command groups (an extension's or an alias's name is any other word: it may do anything). */
const GH_GROUPS = new Set([
  'pr',
  'issue',
  'repo',
  'run',
  'workflow',
  'release',
  'api',
  'auth',
  'search',
  'gist',
  'label',
  'secret',
  'variable',
  'cache',
  'ruleset',
  'project',
  'browse',
  'status',
  'codespace',
  'config',
  'attestation',
])

/**
 * A filter that only orders the lines it reads (`sort`, `sort -u -r -V`) or drops repeated ones (`uniq`): no file
 * named, nothing written, no line changed or merged with another (`uniq -c` counts, `sort -u -k1,1` keeps one line a
 * key, `sort -f -u` one a case: not these).
 */
function reordersOnly(cmd: SimpleCommand, name: string): boolean {
  const options = cmd.words.slice(1)
  // Orders only: reversed, numeric, version, human sizes, stable, and -u over whole lines (not by a key or folded case).
  if (name === 'sort') return options.every(x => /^-[rnVhsu]+$/.test(x))
  return name === 'uniq' && options.length === 0
}

/**
 * The manifests an install follows when it names no package (`uv sync`, `poetry install`, `pip install -r
 * requirements.txt`); undefined when it names one, or aco cannot tell.
 */
function syncedFrom(cmd: SimpleCommand, name: string, sub: string, state: State): string[] | undefined {
  const w = cmd.words
  const k = w.indexOf(sub, 1)
  if (k < 0 || cmd.dynamic.some(Boolean)) return undefined
  const rest = w.slice(k + 1)
  if ((name === 'pip' || name === 'pip3') && sub === 'install') {
    // Only `-r FILE` (or `--requirement FILE`) operands, nothing else to install.
    const files: string[] = []
    for (let j = 0; j < rest.length; j++) {
      const x = rest[j]!
      if ((x === '-r' || x === '--requirement') && rest[j + 1]) files.push(rest[++j]!)
      else if (!x.startsWith('-') || INSTALL_SOURCES.test(x)) return undefined
    }
    return files.length ? files.map(f => normalisePath(f, state.dir)) : undefined
  }
  const syncs = (name === 'uv' && sub === 'sync') || (sub === 'install' && rest.every(x => x.startsWith('-')))
  const files = MANAGER_FILES[name]
  return syncs && files && state.dir ? files.map(f => normalisePath(f, state.dir)) : undefined
}

/** uv's sub-commands that write none of the project's manifests. */
const UV_OUTSIDE_PROJECT = new Set(['tool', 'cache', 'python', 'self', 'pip', 'venv'])

/** The files a package manager rewrites in the project's folder when it installs, adds or locks. */
const MANAGER_FILES: Record<string, readonly string[]> = {
  uv: ['uv.lock', 'pyproject.toml'],
  poetry: ['poetry.lock', 'pyproject.toml'],
  pipenv: ['Pipfile.lock', 'Pipfile'],
  pdm: ['pdm.lock', 'pyproject.toml'],
  bundle: ['Gemfile.lock', 'Gemfile'],
  composer: ['composer.lock', 'composer.json'],
}

/** Options of `uv run`, `poetry run`, `pipenv run` and `conda run` that take a value. */
const RUN_VALUE_OPTIONS = new Set([
  '--with',
  '--with-requirements',
  '--with-editable',
  '--directory',
  '--project',
  '--python',
  '-p',
  '--group',
  '--extra',
  '--env-file',
  '--package',
  '--index',
  '-n',
  '--name',
  '--prefix',
  '-C',
])

/**
 * `uv run X`, `poetry run X`, `pipenv run X`, `conda run -n env X`: X, run in the project's environment (the
 * command it runs decides what it reads and writes: `uv run python fix.py` rewrites what fix.py rewrites). `uv run`
 * first syncs that environment with the project's lock, so it may change it; `--with` adds packages.
 */
function runIn(cmd: SimpleCommand, name: string, state: State): Stream {
  const a = state.action
  const w = cmd.words
  let k = w.indexOf('run', 1) + 1
  let dir = state.dir
  while (k < w.length && w[k]!.startsWith('-')) {
    const [opt, value] = w[k]!.includes('=') ? w[k]!.split('=', 2) : [w[k]!, undefined]
    if (opt === '--') {
      k++
      break
    }
    if (opt === '--directory' || (name !== 'uv' && opt === '-C')) {
      const word = value ?? w[k + 1]
      dir = word === undefined ? undefined : pathArg(word, cmd.dynamic[value === undefined ? k + 1 : k], state)
    }
    k += RUN_VALUE_OPTIONS.has(opt!) && value === undefined ? 2 : 1
  }
  // `uv run` first syncs the project's environment with its manifests; `--with` installs more.
  if (name === 'uv' || w.some(x => x === '--with' || x.startsWith('--with=')))
    changesEnvironment(
      a,
      undefined,
      ['python'],
      name === 'uv' && dir && !w.some(x => x === '--with' || x.startsWith('--with='))
        ? MANAGER_FILES.uv!.map(f => normalisePath(f, dir))
        : undefined,
    )
  if (k >= w.length) {
    a.writesAny = true
    return {type: 'opaque'}
  }
  // `uv run fix.py` runs it with the project's python.
  const words = /\.py$/.test(w[k]!) ? ['python', ...w.slice(k)] : w.slice(k)
  const dynamic = /\.py$/.test(w[k]!) ? [false, ...cmd.dynamic.slice(k)] : cmd.dynamic.slice(k)
  const inner: SimpleCommand = {...cmd, words, dynamic}
  return command(inner, commandName(inner), {...state, dir}, undefined)
}

/** Options of installers that take a file, a folder or an index: what they install cannot be named. */
const INSTALL_SOURCES =
  /^(?:-[rcefit]|--requirement|--constraint|--editable|--find-links|--index-url|--extra-index-url|--target|--prefix|--root|--src|--channel|--file|--build-dep)(?:=|$)/

/**
 * The packages an install names (`pip install -q asgiref "pytz>=2020"`, `apt-get install -y python3-numpy`,
 * `uv pip install x`, `poetry add x`), as `packageKey`s; undefined for anything else: a requirements
 * file, an editable or local install, a URL, an option aco does not know to take no value.
 */
function installedNames(cmd: SimpleCommand, name: string, sub: string): string[] | undefined {
  const w = cmd.words
  let k = w.indexOf(sub, 1)
  if (name === 'uv' && sub === 'pip') k = w.indexOf('install', k + 1)
  else if (sub !== 'install' && sub !== 'add') return undefined
  if (k < 0) return undefined
  const names: string[] = []
  for (let j = k + 1; j < w.length; j++) {
    const word = w[j]!
    if (cmd.dynamic[j]) return undefined
    if (word.startsWith('-')) {
      if (INSTALL_SOURCES.test(word) || word.includes('=')) return undefined
      continue
    }
    if (/[/:@\\]|^\.|\.(?:whl|zip|tar\.gz|tgz)$/i.test(word)) return undefined
    const bare = word.replace(/\[.*?\]/g, '').split(/[<>=!~;, ]/)[0]!
    if (!/^[A-Za-z0-9][\w.+-]*$/.test(bare)) return undefined
    names.push(packageKey(bare))
  }
  return names.length ? names : undefined
}

/** npm / pnpm / yarn / bun: installs change node_modules and the manifest; scripts run what package.json says. */
function jsManager(cmd: SimpleCommand, name: string, state: State): Stream {
  const a = state.action
  const w = cmd.words
  let k = 1
  // `npm --prefix web run build`, `pnpm -C web build`, `yarn --cwd web build`: the package in another folder.
  let dir = state.dir
  while (k < w.length && w[k]!.startsWith('-')) {
    const [opt, value] = w[k]!.includes('=') ? w[k]!.split('=', 2) : [w[k]!, undefined]
    if (JS_DIR_OPTIONS.has(opt!)) {
      const word = value ?? w[k + 1]
      dir = word === undefined ? undefined : pathArg(word, cmd.dynamic[value === undefined ? k + 1 : k], state)
      k += value === undefined ? 2 : 1
    } else k += JS_VALUE_OPTIONS.has(opt!) && value === undefined ? 2 : 1
  }
  let sub = (w[k] ?? '').toLowerCase()
  let script = sub
  if (sub === 'run' || sub === 'run-script') {
    // `npm run -w backend test`: options may come between `run` and the script's name.
    let j = k + 1
    while (j < w.length && w[j]!.startsWith('-') && w[j] !== '--') {
      const opt = w[j]!.split('=', 1)[0]!
      j += (JS_VALUE_OPTIONS.has(opt) || JS_DIR_OPTIONS.has(opt)) && !w[j]!.includes('=') ? 2 : 1
    }
    script = (w[j] ?? '').toLowerCase()
  } else if (sub === 'exec' || sub === 'dlx' || sub === 'x')
    return npx({...cmd, words: ['npx', ...w.slice(k + 1)], dynamic: [false, ...cmd.dynamic.slice(k + 1)]}, state)
  // `npm create vite app`, `npm init next-app app`: a scaffolder writes the new project's folder.
  if ((sub === 'create' || sub === 'init') && w[k + 1] && !w[k + 1]!.startsWith('-'))
    return scaffold({...cmd, words: w.slice(k + 1), dynamic: cmd.dynamic.slice(k + 1)}, 1, state)
  if (
    /^(?:install|i|add|ci|remove|rm|uninstall|un|update|up|upgrade|link|unlink|dedupe|prune|rebuild|create|init)$/.test(
      sub,
    ) ||
    (name === 'yarn' && sub === '')
  ) {
    // `npm install` / `npm ci` with no package named installs what package.json lists: it writes the lock file (ci
    // not even that), not package.json.
    const named = w.slice(k + 1).some(x => !x.startsWith('-'))
    const locks = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb']
    const installsListed =
      !named && (sub === 'install' || sub === 'i' || sub === 'ci' || (name === 'yarn' && sub === ''))
    // A project's packages go to its own node_modules (not with -g).
    const global = w.some(x => x === '-g' || x === '--global' || x === '--location=global')
    changesEnvironment(
      a,
      undefined,
      ['js'],
      installsListed && dir ? ['package.json', ...locks].map(f => normalisePath(f, dir)) : undefined,
      global ? undefined : dir,
    )
    a.volatile = true
    if (dir) {
      a.writesUnder.push(normalisePath('node_modules', dir))
      const manifests = !installsListed ? ['package.json', ...locks] : sub === 'ci' ? [] : locks
      for (const f of manifests) a.writes.push({path: normalisePath(f, dir), partial: true})
      if (sub === 'create' || sub === 'init') a.writesUnder.push(dir)
    } else a.writesAny = true
    return {type: 'opaque'}
  }
  // `npm version patch` bumps the version in package.json and its lock file (and commits and tags it); `npm version`
  // alone prints the versions.
  // (`yarn version --patch` bumps too; its scripts `preversion`/`version`/`postversion` may write anything, and in a
  // workspace, `-w pkg`, another package's manifest is the one bumped.)
  const bumps = w
    .slice(k + 1)
    .some(x => !x.startsWith('-') || (name === 'yarn' && /^--(?:major|minor|patch|new-version)/.test(x)))
  if (sub === 'version' && dir && bumps) {
    for (const f of ['package.json', 'package-lock.json', 'npm-shrinkwrap.json'])
      a.writes.push({path: normalisePath(f, dir), partial: true})
    a.git = true
    if (!w.includes('--ignore-scripts') || w.some(x => /^(?:-w|--workspaces?)(?:=|$)/.test(x))) a.writesAny = true
    return {type: 'opaque'}
  }
  if (
    /^(?:ls|list|view|info|outdated|audit|why|--version|-v|version|config|help|bin|root|prefix|whoami|search)$/.test(
      sub,
    )
  ) {
    a.deps.push('(env)')
    return {type: 'opaque'}
  }
  // `npm pkg set/delete` edits package.json; `npm pkg get` only reads it.
  if (sub === 'pkg' && dir) {
    const op = (w[k + 1] ?? '').toLowerCase()
    if (op === 'set' || op === 'delete' || op === 'fix')
      a.writes.push({path: normalisePath('package.json', dir), partial: true})
    else if (op === 'get') a.deps.push(normalisePath('package.json', dir))
    else a.writesAny = true
    return {type: 'opaque'}
  }
  sub = script
  // A package script's contents are unknown (a Hardhat `npm test` compiles Solidity, another runs pytest): anything.
  if (/^(?:test|t|tst|test:.*|tests?|jest|vitest)$/.test(sub)) return testRun(cmd, state)
  if (/^(?:lint|typecheck|type-check|check|tsc|types|check-types)$/.test(sub)) {
    checksCode(a, dir, 'js')
    return {type: 'opaque'}
  }
  if (/^(?:dev|start|serve|preview|watch)$/.test(sub)) {
    a.volatile = true
    a.depsAny = true
    return {type: 'opaque'}
  }
  if (/^(?:build|build:[\w:-]+|compile)$/.test(sub)) return build(state, dir, 'js')
  // Any other script: it runs whatever package.json says.
  a.writesAny = true
  a.depsAny = true
  return {type: 'opaque'}
}

/** Options of npm, pnpm, yarn and bun that name the package's folder. */
const JS_DIR_OPTIONS = new Set(['--prefix', '-C', '--dir', '--cwd'])
/** Their other options that take a value. */
const JS_VALUE_OPTIONS = new Set(['-w', '--workspace', '--filter', '-F', '--loglevel', '--registry'])

/**
 * What Gradle's tasks on a command line do, when all of them do one thing: run tests (`test`, `check`,
 * `:app:testDebugUnitTest`: Android's per-variant tasks), or build (`build`, `assembleDebug`, `:app:bundleRelease`,
 * `compileKotlin`, `lint`: outputs below the project's `build/` folders; with tests too). Undefined for any other task
 * (`clean`, `installDebug`, `bootRun`, `connectedAndroidTest`), or an option aco does not know to take no value (`-x
 * test`, `-p dir`).
 */
function gradleTasks(words: readonly string[]): 'test' | 'build' | undefined {
  let kind: 'test' | 'build' | undefined
  for (const w of words) {
    if (w.startsWith('-')) {
      if (GRADLE_FLAG.test(w)) continue
      return undefined
    }
    const task = w.slice(w.lastIndexOf(':') + 1)
    const k = GRADLE_TEST_TASK.test(task) ? 'test' : GRADLE_BUILD_TASK.test(task) ? 'build' : undefined
    if (k === undefined) return undefined
    // (Tests and a build together: the build's outputs.)
    kind = kind === undefined || kind === k ? k : 'build'
  }
  return kind
}

const GRADLE_TEST_TASK = /^(?:check|test(?:[A-Z]\w*)?)$(?<!Classes)/
const GRADLE_BUILD_TASK = /^(?:build|assemble|bundle|compile|lint)(?:[A-Z]\w*)?$(?<!Fix|Format|Apply)|^testClasses$/
/** Gradle's options that take no value of their own word. */
const GRADLE_FLAG =
  /^(?:-[qisdw]|--(?:quiet|info|stacktrace|full-stacktrace|debug|warn|no-daemon|daemon|offline|parallel|no-parallel|build-cache|no-build-cache|continue|scan|no-scan|rerun-tasks|configuration-cache|no-configuration-cache|console=\w+|warning-mode=\w+)|-[PD][\w.-]+=\S*)$/

/**
 * A build (`npm run build`, `cargo build`) run in `dir`: it writes its outputs inside the project (the folder
 * the command line started in, when it runs below it; else its own folder), and neither git's state nor the
 * environment. A compiler of `lang` reads that language's code (and whatever else it may), not another's; a
 * build that also runs tests (`mvn package`) is given no language: it depends on anything.
 */
function build(state: State, dir: string | undefined, lang?: Lang): Stream {
  const a = state.action
  const project = dir !== undefined && state.root !== undefined && isUnder(dir, state.root) ? state.root : dir
  if (project === undefined || project === '/') a.writesAny = true
  else {
    a.writesUnder.push(project)
    a.outputs = [...(a.outputs ?? []), project]
  }
  if (lang) checksCode(a, dir, lang)
  else a.depsAny = true
  return {type: 'opaque'}
}

function npx(cmd: SimpleCommand, state: State): Stream {
  const w = cmd.words
  let k = 1
  while (k < w.length && w[k]!.startsWith('-')) k += w[k] === '-p' || w[k] === '--package' ? 2 : 1
  const rest = w.slice(k)
  const name = (rest[0] ?? '').replace(/@[^/]*$/, '').toLowerCase()
  if (!name) {
    state.action.writesAny = true
    return {type: 'opaque'}
  }
  const inner: SimpleCommand = {...cmd, words: rest, dynamic: cmd.dynamic.slice(k)}
  if (name.startsWith('create-')) return scaffold(inner, 1, state)
  if (TEST_RUNNERS.has(name)) return testRun(inner, state, TEST_LANG[name])
  if (CHECKERS.has(name)) return checker(inner, name, state)
  if (name === 'next' && (rest[1] === 'dev' || rest[1] === 'start')) {
    state.action.volatile = true
    return {type: 'opaque'}
  }
  const outputs = compilerOutputs(name, rest[1] ?? '', state.dir)
  if (outputs) {
    // A compiler writes its build folders, not the sources it compiles. (`hardhat test` runs tests too.)
    const a = state.action
    a.writesUnder.push(...outputs)
    if (name === 'hardhat' && rest[1] === 'test') a.depsAny = true
    else {
      a.outputs = [...(a.outputs ?? []), ...outputs]
      checksCode(a, state.dir, 'js', ...(name === 'hardhat' ? (['solidity'] as const) : []))
    }
    return {type: 'opaque'}
  }
  state.action.writesAny = true
  state.action.depsAny = true
  return {type: 'opaque'}
}

/**
 * The folders (and files) a compiler run through npx writes, relative to where it runs: Hardhat's artifacts
 * and cache (compile and test both compile first), Next's build folder and the two files it rewrites as it
 * builds, Vite's build folder. Undefined for anything
 * else, or when the folder it runs in is unknown.
 */
function compilerOutputs(name: string, sub: string, dir: string | undefined): string[] | undefined {
  if (!dir) return undefined
  const folders =
    name === 'hardhat' && (sub === 'compile' || sub === 'test')
      ? ['artifacts', 'cache', 'typechain-types']
      : name === 'next' && sub === 'build'
        ? ['.next', 'next-env.d.ts', 'tsconfig.json'] // Next.js rewrites tsconfig.json and next-env.d.ts as it builds
        : name === 'vite' && sub === 'build'
          ? ['dist']
          : undefined
  return folders?.map(f => normalisePath(f, dir))
}

/**
 * A project scaffolder (`create-next-app app`, `npm create vite app`): it
 * writes the folder it is given (the first operand after the package), or
 * the current folder when it names none.
 */
function scaffold(cmd: SimpleCommand, from: number, state: State): Stream {
  const a = state.action
  a.volatile = true
  const target = cmd.words.slice(from).findIndex(x => !x.startsWith('-'))
  const k = target === -1 ? -1 : from + target
  if (k === -1) {
    if (state.dir) a.writesUnder.push(state.dir)
    else a.writesAny = true
  } else writeUnder(state, cmd.words[k], cmd.dynamic[k])
  return {type: 'opaque'}
}

/**
 * `go mod tidy`, `go get x`: the module's go.mod and go.sum (in the folder or one above it, up to where the command line
 * started) and the language's packages; `go mod vendor` also vendor/; `go mod why|graph|verify` only look, `go mod
 * download` only fills the module cache. `go fmt` rewrites the packages' files below the folder.
 */
function goModule(cmd: SimpleCommand, sub: string, state: State): Stream {
  const a = state.action
  const dir = state.dir
  if (sub === 'fmt') {
    if (dir && dir !== '/') a.writesUnder.push(dir)
    else a.writesAny = true
    return {type: 'opaque'}
  }
  const op = sub === 'mod' ? (cmd.words.slice(cmd.words.indexOf('mod') + 1).find(x => !x.startsWith('-')) ?? '') : 'get'
  if (op === 'why' || op === 'graph' || op === 'verify') {
    a.deps.push('(env)')
    return {type: 'opaque'}
  }
  changesEnvironment(a, undefined, ['go'])
  if (op === 'download') return {type: 'opaque'}
  if (!dir) {
    a.writesAny = true
    return {type: 'opaque'}
  }
  for (let d = dir; ; d = d.slice(0, Math.max(d.lastIndexOf('/'), 1))) {
    a.writes.push({path: normalisePath('go.mod', d), partial: true}, {path: normalisePath('go.sum', d), partial: true})
    if (d === '/' || d === state.root || state.root === undefined || !isUnder(d, state.root)) break
  }
  if (op === 'vendor') a.writesUnder.push(normalisePath('vendor', dir))
  return {type: 'opaque'}
}

function buildTool(cmd: SimpleCommand, name: string, state: State): Stream {
  const sub = cmd.words.slice(1).find(x => !x.startsWith('-')) ?? ''
  const a = state.action
  if (name === 'gradle' || name === 'gradlew') {
    const tasks = gradleTasks(cmd.words.slice(1))
    if (tasks === 'test') return testRun(cmd, state, BUILD_TOOL_LANG[name])
    if (tasks === 'build') return build(state, state.dir)
  }
  if (
    (name === 'cargo' ||
      name === 'go' ||
      name === 'dotnet' ||
      name === 'mix' ||
      name === 'swift' ||
      name === 'mvn' ||
      name === 'gradle' ||
      name === 'gradlew') &&
    /^(?:test|vet|check|clippy|fmt --check)$/.test(sub) &&
    // (`cargo clippy --fix` rewrites the code it checks, as `cargo fix` does.)
    !cmd.words.includes('--fix')
  ) {
    // `cargo check`, `cargo clippy`, `go vet` only read the code; the others run tests.
    if (name === 'cargo' && (sub === 'check' || sub === 'clippy')) checksCode(a, state.dir, 'rust')
    else if (name === 'go' && sub === 'vet') checksCode(a, state.dir, 'go')
    else return testRun(cmd, state, BUILD_TOOL_LANG[name])
    return {type: 'opaque'}
  }
  // Documentation from the code: `go doc pkg.Func` prints what the code says; `cargo doc` builds it (the crate's
  // README too, when its doc comments take it in) into target/doc.
  if (name === 'go' && sub === 'doc') {
    checksCode(a, state.dir, 'go')
    return {type: 'opaque'}
  }
  if (name === 'cargo' && sub === 'doc' && state.dir) {
    const out = normalisePath('target/doc', state.dir)
    a.writesUnder.push(out)
    a.outputs = [...(a.outputs ?? []), out]
    a.depsAny = true
    return {type: 'opaque'}
  }
  if ((name === 'cargo' || name === 'go') && /^(?:version|env|list|tree|metadata)$/.test(sub)) return {type: 'opaque'}
  // A build whose outputs go where the project keeps them (`target/`, `bin/`, the binary beside the sources), not
  // where an option sends them.
  const lang: Lang | undefined =
    (name === 'cargo' && (sub === 'build' || sub === 'b') && 'rust') ||
    (name === 'go' && sub === 'build' && 'go') ||
    (name === 'dotnet' && sub === 'build' && 'dotnet') ||
    undefined
  if (
    (lang ||
      (name === 'mvn' && (sub === 'compile' || sub === 'package')) ||
      ((name === 'gradle' || name === 'gradlew') && (sub === 'build' || sub === 'assemble'))) &&
    !cmd.words.some(x => /^(?:-o|--output|--target-dir|--out-dir|--artifact-dir|-D)(?:=|$)/.test(x))
  )
    return build(state, state.dir, lang)
  if (name === 'go' && (sub === 'mod' || sub === 'get' || sub === 'fmt')) return goModule(cmd, sub, state)
  // A module added is the language's own; a program installed (`go install`, `cargo install`) may serve anything.
  if (name === 'cargo' && sub === 'add') changesEnvironment(a, undefined, [BUILD_TOOL_LANG[name]!])
  else if ((name === 'go' || name === 'cargo') && sub === 'install') changesEnvironment(a)
  a.writesAny = true
  a.depsAny = true
  return {type: 'opaque'}
}
