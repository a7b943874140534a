/**
 * What a tool call does, across agents: the tool-level half of the model
 * (Claude Code's Read/Edit/MultiEdit/Write/NotebookEdit/Grep/Glob/LS, Codex's
 * apply_patch in every form and its shell tools, SWE-agent's file viewer and
 * editor, str_replace_editor, mini-swe-agent's bash); shell commands go
 * through the shell-command model (`commands.ts`). A tool aco does not know
 * is assumed to possibly write anything, unless its name says it only looks.
 */
import {toolArguments} from '../card/build.js'
import type {Step} from '../card/types.js'
import {codeEffects} from './code.js'
import {classifyShell, linesPutBack, patchFiles, quoteGroupedPaths, quoteWords, withAbsentPrograms} from './commands.js'
import {powershellWrites} from './powershell-writes.js'
import {parseShell} from './shell.js'
import type {SyntaxStop} from './output.js'
import {
  type Action,
  changesEnvironment,
  DIR_GLOB,
  emptyAction,
  fixedAction,
  normalisePath,
  normaliseQuery,
  type Range,
  type Search,
  WHOLE,
} from './effects.js'

const READ_TOOLS = new Set([
  'read',
  'read_file',
  'readfile',
  'view',
  'view_file',
  'cat',
  'notebookread',
  'read_many_files',
])
const GREP_TOOLS = new Set([
  'grep',
  'search',
  'search_file_content',
  'codebase_search',
  'grep_search',
  'ripgrep',
  // Copilot CLI's ripgrep tool.
  'rg',
])
const GLOB_TOOLS = new Set(['glob', 'file_search', 'find_files', 'glob_search'])
const LIST_TOOLS = new Set(['ls', 'list', 'list_dir', 'list_files', 'list_directory'])
const FULL_WRITE_TOOLS = new Set(['write', 'write_file', 'create', 'create_file', 'writefile', 'write_to_file'])
const PARTIAL_WRITE_TOOLS = new Set([
  'edit',
  'multiedit',
  'notebookedit',
  'str_replace',
  'edit_file',
  'insert',
  'replace',
  'edit_notebook',
  // Cline's edit by SEARCH/REPLACE blocks.
  'replace_in_file',
])
const PATCH_TOOLS = new Set(['apply_patch', 'applypatch', 'patch'])

/** The file a file tool's arguments name, under the names the agents give it. */
function filePathOf(args: Record<string, unknown>): string | undefined {
  return (
    str(args.file_path) ??
    str(args.filePath) ??
    str(args.path) ??
    str(args.notebook_path) ??
    str(args.absolute_path) ??
    str(args.absolutePath) ??
    str(args.filename) ??
    str(args.file)
  )
}

/** Whether a write tool's arguments ask it to append (`append: true`, `mode: "a"`, `overwrite: false`). */
function appends(args: Record<string, unknown>): boolean {
  const mode = args.mode ?? args.write_mode
  return (
    args.append === true ||
    args.append === 'true' ||
    args.append_mode === true ||
    args.overwrite === false ||
    (typeof mode === 'string' && /^(?:a\+?|append)$/i.test(mode.trim()))
  )
}
const POLL_TOOLS = new Set([
  'write_stdin',
  'bashoutput',
  'killshell',
  'killbash',
  'wait',
  'sleep',
  'read_output',
  'check_status',
  'taskoutput',
  'taskstop',
  // Copilot CLI's tools for a shell left running (`bash` with mode async): read its output, send it input, stop it.
  'read_bash',
  'write_bash',
  'stop_bash',
  'list_bash',
])
const TASK_TOOLS = new Set(['task', 'agent', 'delegate', 'spawn_agent', 'send_input'])
/**
 * Tools that load instructions the agent then follows (Claude Code's Skill and SlashCommand): called again, the agent
 * runs that procedure again (another round the person asked for), no look at the project.
 */
const INSTRUCTION_TOOLS = new Set(['skill', 'slashcommand'])
/** Subagent types that cannot change files (Claude Code's built-in Explore and Plan agents). */
const READ_ONLY_AGENTS = new Set(['explore', 'plan'])
const SHELL_TOOLS = new Set([
  'bash',
  'exec_command',
  'shell_command',
  'shell',
  'local_shell',
  'container.exec',
  'run',
  'execute_bash',
  'execute_command',
  'run_command',
  'run_shell_command',
  'terminal',
  'cmd',
  'powershell',
])
/**
 * Tools that only keep the agent's books (a todo list, a plan, a goal, a thought): sent again with the same content
 * they restate the plan, no look at the project.
 */
const BOOKKEEPING = new Set([
  'todowrite',
  'todoread',
  'update_plan',
  'exitplanmode',
  'enterplanmode',
  'think',
  'taskcreate',
  'taskupdate',
  'tasklist',
  'taskget',
  'update_goal',
  'get_goal',
  // Copilot CLI: the intent it shows the person, its todo list (kept in the session's own database by `sql`).
  'report_intent',
  'update_todo',
  'sql',
  // Copilot CLI: the plan it asks the person to approve; its summary ending a task, which each turn of autopilot
  // ends with (a `submit` sent again after it took is a repeat: fresh2 #11-#13).
  'exit_plan_mode',
  'task_complete',
])

/** Tools that change no file (bookkeeping, questions, the web). */
const OTHER_TOOLS = new Set([
  ...BOOKKEEPING,
  'finish',
  'submit',
  'webfetch',
  'web_fetch',
  'websearch',
  'web_search',
  'google_web_search',
  'view_image',
  'askuserquestion',
  // Codex: a question to the person (plan mode), and the web tool its code cells call.
  'request_user_input',
  'web__run',
  // Codex: a folder of node modules made visible to its JavaScript cell (nothing written).
  'js_add_node_module_dir',
  'save_memory',
  'listmcpresourcestool',
  'readmcpresourcetool',
  // Claude Code: a skill's instructions loaded into the context, deferred tools' schemas fetched.
  'skill',
  // Gemini CLI's way to load a skill's instructions; its help agent, which answers questions about the CLI from its docs.
  'activate_skill',
  'cli_help',
  'toolsearch',
  // Cline: a question to the person, its answer when done, its reply in plan mode.
  'ask_followup_question',
  'attempt_completion',
  'plan_mode_respond',
  // Copilot CLI: a question to the person, a fact kept in its own memory, a query of its own store of sessions.
  // OpenCode: a question to the person.
  'ask_user',
  'store_memory',
  'session_store_sql',
  'question',
])

/** A call that only keeps the agent's books (see BOOKKEEPING). */
export function keepsBooks(step: Step): boolean {
  return BOOKKEEPING.has(toolName(step))
}

/** Tools that run a Python cell (OpenHands' IPython, code interpreters): `!cmd` lines are shell commands. */
const IPYTHON_TOOLS = new Set([
  'run_ipython',
  'execute_ipython_cell',
  'ipython',
  'jupyter',
  'python',
  'code_interpreter',
])
/** Claude Code's file tools: a file they read or wrote counts as read for its Write and Edit. */
export const CLAUDE_FILE_TOOLS = /^(?:Read|Write|Edit|MultiEdit|NotebookEdit)$/
/** Codex's JavaScript cell (a Node REPL the desktop app runs: browser checks with Playwright, quick computations). */
const JS_TOOLS = new Set(['js'])
/** SWE-agent's file viewer and editor commands (0.x), issued as the first word of an action. */
const SWE_VIEW = new Set(['open', 'goto', 'scroll_down', 'scroll_up'])
/** Words in an unknown tool's name that say it only looks. */
const LOOKING_NAME =
  /(?:^|[_-])(?:get|list|read|search|find|fetch|query|view|show|describe|lookup|status|browse|info|inspect|count|check)(?:[_-]|$)/

/**
 * A browser driver's tools that only look at the page (Playwright MCP's `browser_snapshot`,
 * `browser_console_messages`…). Its other tools click, type or load pages of an app whose server may write files,
 * and a screenshot is a file.
 */
const BROWSER_LOOKS = /^browser_(?:snapshot|console_messages|network_requests|wait_for)$/

/** Redacted arguments: `[REDACTED_ARGUMENTS len=153 sha=23291271]`. */
const REDACTED = /^\[REDACTED_\w+(?: len=\d+)?(?: sha=[0-9a-f]+)?\]$/

/** Lowercased tool name without MCP/namespace prefixes. */
export function toolName(step: Step): string {
  // (A user's tool a format mapping says works as one aco knows is read as that one.)
  const name = step.tool?.as ?? step.tool?.name ?? ''
  let lower = lowered.get(name)
  if (lower === undefined) {
    // (Codex's code-mode web tool keeps its namespace: its last word, `run`, is a shell tool's name.)
    lower = (
      name.includes('__') && !WHOLE_NAMES.has(name) ? name.slice(name.lastIndexOf('__') + 2) : name
    ).toLowerCase()
    if (lowered.size < 10_000) lowered.set(name, lower)
  }
  return lower
}

/** Namespaced tool names kept whole (`web__run` is no `run`). */
const WHOLE_NAMES = new Set(['web__run'])

/** Tool names seen, lowercased (a session uses a few dozen). */
const lowered = new Map<string, string>()

/** The call's arguments: the full ones when the card was built in this process, else the card's shortened copy. */
export function fullArguments(step: Step): {args: unknown; cut: boolean} {
  const full = step.tool ? toolArguments(step.tool) : undefined
  if (full) return {args: full.args, cut: false}
  const args = step.tool?.arguments
  return {args, cut: JSON.stringify(args ?? '').includes('… [+')}
}

function argsObject(args: unknown): Record<string, unknown> {
  if (args && typeof args === 'object' && !Array.isArray(args)) return args as Record<string, unknown>
  if (typeof args === 'string') {
    const t = args.trim()
    if (t.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(t)
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
      } catch {
        // not JSON
      }
    }
    return {command: args}
  }
  return {}
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v)
  return undefined
}

/** What the classifier needs from the session: where the call ran, and SWE-agent's open file. */
export interface CallSite {
  cwd: string | undefined
  openFile?: string
  /** Where the shell stopped at a syntax error in the command, as its output reports it. */
  stop?: SyntaxStop
  /** Words zsh found no match for (see `unmatchedWords`): paths it did not expand, quoted before reading the line. */
  unmatched?: readonly string[]
  /** Programs the shell reported it could not find (see `programsNotFound`): they ran nothing. */
  absent?: readonly string[]
}

/** Classifies a tool step. */
export function classify(step: Step, site: CallSite): Action {
  const name = toolName(step)
  const {args: raw, cut} = fullArguments(step)
  if (typeof raw === 'string' && REDACTED.test(raw.trim())) return redacted(name)
  if (REDACTED.test(step.tool?.name ?? '')) return redacted('')
  // SWE-agent 0.x: the action is a command line whose first word is the tool's name (`edit 2:2 …`, `create f`),
  // before the tools of other agents that share those names (`create`, `edit`) and take their arguments as fields.
  if (typeof raw === 'string' && (raw.trim().split(/\s/, 1)[0] ?? '').toLowerCase() === name)
    return sweAction(name, raw, site, cut)
  const args = argsObject(raw)
  const cwd = site.cwd
  if (POLL_TOOLS.has(name)) return fixedAction('poll', {volatile: true})
  // OpenHands' bash sent no command (`''`, a wait for more of the one still running) or input to that command
  // (`is_input`, Ctrl-C's `C-c`): a poll of what runs, no command of its own.
  if (name === 'execute_bash' && (args.is_input === true || args.is_input === 'true' || args.command === ''))
    return fixedAction('poll', {volatile: true})
  if (INSTRUCTION_TOOLS.has(name)) return fixedAction('task', {})
  if (TASK_TOOLS.has(name)) {
    // Claude Code's Explore and Plan subagents are read-only by design: they look, they change nothing.
    const type = typeof args.subagent_type === 'string' ? args.subagent_type.toLowerCase() : ''
    return fixedAction('task', {writesAny: !READ_ONLY_AGENTS.has(type), opaque: true})
  }
  if (
    name === 'str_replace_editor' ||
    name === 'str_replace_based_edit_tool' ||
    name === 'text_editor' ||
    name === 'file_editor'
  ) {
    const path = str(args.path) ?? str(args.file_path)
    if (!path) return unknownWrite()
    return editorAction(str(args.command) ?? 'view', normalisePath(path, cwd), args, true)
  }
  if (READ_TOOLS.has(name)) {
    const path = filePathOf(args)
    if (!path) return fixedAction('other')
    // A negative offset is no line of the file (Claude Code's Read answers with a warning alone): it shows none.
    if ((num(args.offset) ?? 0) < 0) return fixedAction('other', {deps: [normalisePath(path, cwd)]})
    return readAction(normalisePath(path, cwd), readRange(args))
  }
  if (GREP_TOOLS.has(name)) return grepTool(args, cwd)
  if (GLOB_TOOLS.has(name)) return globTool(args, cwd)
  if (LIST_TOOLS.has(name)) {
    const path = str(args.path) ?? str(args.dir) ?? str(args.dir_path) ?? str(args.directory) ?? '.'
    const s = nameSearch([normalisePath(path, cwd)])
    // Claude Code's LS walks the whole tree, without dotfiles; Cline's list_files only when asked `recursive`, and most
    // list tools one folder.
    s.depth =
      name === 'ls' || (name === 'list_files' && /^true$/i.test(String(args.recursive))) ? Number.POSITIVE_INFINITY : 1
    s.hidden = false
    s.listing = true
    if (Array.isArray(args.ignore) && args.ignore.length) s.otherFilters = true
    return fixedAction('list', {searches: [s], deps: s.scopes})
  }
  if (FULL_WRITE_TOOLS.has(name) || PARTIAL_WRITE_TOOLS.has(name)) {
    const path = filePathOf(args)
    if (!path) return unknownWrite()
    const file = normalisePath(path, cwd)
    const content = str(args.content) ?? str(args.file_text) ?? str(args.text)
    // A write tool told to append (LangChain's `write_file(append=True)`, a `mode: "a"`, `overwrite: false`) adds to
    // what the file holds: neither its whole content nor a call that changes nothing when made again.
    if (appends(args)) return fixedAction('shell', {targets: [file], writes: [{path: file, partial: true}]})
    const write =
      FULL_WRITE_TOOLS.has(name) && content !== undefined && !cut ? {path: file, content} : {path: file, partial: true}
    return fixedAction('write', {targets: [file], writes: [write]})
  }
  if (PATCH_TOOLS.has(name)) {
    // (OpenCode's apply_patch and patch tools take it as `patchText`.)
    const patch =
      typeof raw === 'string'
        ? raw
        : (str(args.input) ?? str(args.patch) ?? str(args.patchText) ?? str(args.command) ?? str(args.diff))
    if (!patch || cut) return unknownWrite()
    const files = patchFiles(patch)
    if (files.length === 0) return unknownWrite()
    const writes = files.map(f => {
      const path = normalisePath(f.path, cwd)
      return f.content !== undefined
        ? {path, content: f.content}
        : f.replaced
          ? {path, partial: true, replaced: f.replaced}
          : {path, partial: true}
    })
    const back = linesPutBack(patch)
    return fixedAction('write', {targets: writes.map(w => w.path), writes, noChange: back?.length ? back : undefined})
  }
  if (SHELL_TOOLS.has(name) || (name === 'local_shell' && args.command)) {
    const command = commandText(args)
    const workdir =
      str(args.workdir) ?? str(args.cwd) ?? str(args.working_directory) ?? str(args.dir_path) ?? str(args.directory)
    // A workdir is relative to the session's directory ("." is the session's directory itself); relative to one
    // no record names, it cannot be placed either (its relative paths are then below …/path in any folder).
    const unplaced = cwd === undefined && workdir !== undefined && !/^(?:\/|~|[A-Za-z]:)/.test(workdir)
    const dir = unplaced ? undefined : workdir !== undefined ? normalisePath(workdir, cwd) : cwd
    if (!command) return unknownWrite()
    // Codex's shell_command and exec_command on Windows run PowerShell (unless exec_command names another shell), as
    // Claude Code's PowerShell tool does: its backslashes are path separators, not escapes.
    const powershell =
      name === 'powershell' ||
      ((name === 'shell_command' || name === 'exec_command') &&
        /^[A-Za-z]:[\\/]/.test(workdir ?? cwd ?? '') &&
        !POSIX_SHELL.test(str(args.shell) ?? ''))
    const line = powershell
      ? quoteGroupedPaths(windowsPaths(withoutBacktickEscapes(command)))
      : runsPowerShell(args)
        ? withoutBacktickEscapes(command)
        : site.unmatched
          ? quoteWords(command, site.unmatched)
          : command
    const a = withAbsentPrograms(site.absent, () => classifyShell(line, dir, 0, site.stop))
    if (cut) a.writesAny = true
    // A PowerShell script a shell's reading cannot follow (blocks, methods, cmdlets in braces) that only reads, or
    // writes files it names, writes those (see powershell-writes.ts).
    else if ((powershell || runsPowerShell(args)) && (a.writesAny || a.writesUnder.length > 0)) {
      const written = powershellWrites(command)
      if (written)
        return scriptAction(
          a,
          written.map(p => normalisePath(p.replace(/\\/g, '/'), dir)),
        )
    }
    return a
  }
  if (IPYTHON_TOOLS.has(name)) {
    const code = str(args.code) ?? str(args.source) ?? str(args.cell)
    if (code === undefined || cut) return unknownWrite()
    return ipython(code, cwd)
  }
  // Codex's JavaScript cell (a Node REPL: `js`): its writes read from its code, as a `node -e` script's are.
  if (JS_TOOLS.has(name)) {
    const code = str(args.code)
    if (code === undefined || cut) return unknownWrite()
    return jsCell(code, cwd)
  }
  // Codex's view_image shows the image at its path (its answer is only "attached local image path"): it depends on
  // that file, which a command aco cannot see into (a screenshot, a plot) may have written again since, in a
  // temporary folder as well as in the project.
  if (name === 'view_image') {
    const path = str(args.path)
    if (!path) return fixedAction('other', {depsAny: true})
    const file = normalisePath(path, cwd)
    // (Its core names the file: a temporary one written since is a change to it, see `Timeline.scriptWritten`.)
    return fixedAction('other', {depsAny: true, deps: [file], core: `view_image ${file}`})
  }
  if (OTHER_TOOLS.has(name)) return fixedAction('other', {volatile: /web|fetch|search/.test(name)})
  // SWE-agent 0.x: the action is a command line whose first word is the tool's name.
  const line = typeof raw === 'string' ? raw : str(args.command)
  if (line !== undefined && (line.trim().split(/\s/, 1)[0] ?? '').toLowerCase() === name)
    return sweAction(name, line, site, cut)
  // An MCP server or a custom function: it only looks if its name says so.
  if (LOOKING_NAME.test(name) || BROWSER_LOOKS.test(name)) return fixedAction('other', {volatile: true})
  return unknownWrite()
}

/** A POSIX shell named by a call's `shell` argument (`bash`, `/usr/bin/zsh`, `C:\\…\\bash.exe`). */
const POSIX_SHELL = /(?:^|[\\/])(?:ba|z|da|k|fi)?sh(?:\.exe)?$/i

/**
 * A PowerShell line with its paths' backslashes as slashes (`Get-Content sessions\\a.json`,
 * `.\\.venv\\Scripts\\python.exe`): a backslash between a path's characters. (A regular expression's `\\b` or `\\.`
 * in a search pattern reads as `/b`, `/.`: another pattern, compared only with the session's others alike.)
 */
function windowsPaths(command: string): string {
  // (Not a regular expression's escape ending its word, `user\b`, `\d+`, `\s*`: no folder of one letter.)
  return command.replace(/(?<=[\w.~$:)-])\\(?=[\w.$-])(?![bBdDsSwW](?![\w.$-]))/g, '/')
}

function redacted(name: string): Action {
  if (POLL_TOOLS.has(name)) return fixedAction('poll', {volatile: true})
  // Arguments replaced by a hash: aco cannot tell what it did, so it may have written anything.
  return fixedAction('shell', {writesAny: !OTHER_TOOLS.has(name), depsAny: true, opaque: true, unreadable: true})
}

/**
 * PowerShell's escapes inside double quotes (`"\`n---\`n"`: a backtick and the character it escapes) as the character:
 * a shell's reading would take the backtick for a command substitution and the call for one it cannot read.
 */
function withoutBacktickEscapes(command: string): string {
  if (!command.includes('`')) return command
  return command.replace(/"(?:[^"`\\]|\\.|`.)*"/g, q => q.replace(/`(.)/g, '$1'))
}

/** Whether a shell call runs PowerShell itself (`["powershell.exe", "-Command", …]`). */
function runsPowerShell(args: Record<string, unknown>): boolean {
  const c = args.command ?? args.cmd
  return Array.isArray(c) && typeof c[0] === 'string' && /(?:^|[\\/])(?:powershell|pwsh)(?:\.exe)?$/i.test(c[0])
}

/**
 * A script whose writes are known (see powershell-writes.ts), as the shell's reading named it: the files it names,
 * changed in part; what it reads, unknown.
 */
function scriptAction(read: Action, written: readonly string[]): Action {
  return fixedAction(written.length ? 'write' : 'shell', {
    depsAny: true,
    opaque: true,
    volatile: read.volatile,
    writes: written.map(path => ({path, partial: true})),
    targets: [...written],
    ...(read.core === undefined ? {} : {core: read.core}),
    ...(read.parts === undefined ? {} : {parts: read.parts}),
  })
}

function unknownWrite(): Action {
  return fixedAction('shell', {writesAny: true, depsAny: true, opaque: true})
}

function readAction(file: string, range: Range | undefined): Action {
  return fixedAction('read', {reads: [range ? {path: file, range} : {path: file}], deps: [file]})
}

function readRange(args: Record<string, unknown>): Range | undefined {
  const viewRange = viewRangeOf(args)
  if (viewRange) return viewRange
  const offset = num(args.offset) ?? num(args.start_line) ?? num(args.start) ?? num(args.line)
  const limit = num(args.limit) ?? num(args.lines)
  const end = num(args.end_line) ?? num(args.end)
  if (offset === undefined && limit === undefined && end === undefined) return undefined
  const start = Math.max(1, offset ?? 1)
  return [start, limit !== undefined ? start + limit : end !== undefined ? end + 1 : WHOLE]
}

function viewRangeOf(args: Record<string, unknown>): Range | undefined {
  if (!Array.isArray(args.view_range)) return undefined
  const [a, b] = args.view_range.map(num)
  if (a === undefined) return undefined
  return [Math.max(1, a), b !== undefined && b > 0 ? b + 1 : WHOLE]
}

function viewRange(args: Record<string, unknown>): Range | undefined {
  return viewRangeOf(args)
}

export function nameSearch(scopes: string[]): Search {
  return {
    mode: 'name',
    pattern: '',
    flags: '',
    scopes,
    depth: Number.POSITIVE_INFINITY,
    names: [],
    filters: [],
    otherFilters: false,
    listing: false,
    output: 'files',
    context: [0, 0],
    limited: false,
    hidden: true,
  }
}

/** Claude Code's Grep (and alike): a recursive content search with ripgrep's options. */
function grepTool(args: Record<string, unknown>, cwd: string | undefined): Action {
  const pattern = str(args.pattern) ?? str(args.query) ?? str(args.search_term) ?? str(args.regex) ?? ''
  const path = str(args.path) ?? str(args.paths) ?? str(args.dir) ?? str(args.directory) ?? str(args.dir_path)
  const s = nameSearch([normalisePath(path ?? '.', cwd)])
  s.mode = 'content'
  const flags: string[] = []
  if (args['-i'] === true || args.case_sensitive === false || args.ignore_case === true) flags.push('i')
  s.pattern = normaliseQuery(pattern, flags.includes('i'))
  s.flags = flags.join('')
  const glob = str(args.glob) ?? str(args.include) ?? str(args.file_pattern)
  if (glob) s.names.push(glob)
  const type = str(args.type)
  if (type) s.names.push(`type:${type}`)
  const mode = str(args.output_mode)
  s.output = mode === 'content' ? 'lines' : mode === 'count' ? 'count' : 'files'
  s.context = [num(args['-B']) ?? num(args['-C']) ?? 0, num(args['-A']) ?? num(args['-C']) ?? 0]
  const head = num(args.head_limit)
  if (head !== undefined) {
    // Its first `head_limit` lines (after `offset` of them, which leaves unknown what came before).
    s.limited = true
    s.cut = num(args.offset) ? Number.NaN : head
  }
  if (args.multiline === true) s.otherFilters = true
  s.hidden = false
  // (ripgrep underneath: what ignore files name is left out.)
  s.ignores = true
  return fixedAction('search', {searches: [s], deps: s.scopes})
}

/** Claude Code's Glob: a name search; `**` walks the tree, a bare name matches only at the top. */
function globTool(args: Record<string, unknown>, cwd: string | undefined): Action {
  const pattern = (str(args.pattern) ?? str(args.glob) ?? str(args.name) ?? '').replace(/\\/g, '/')
  const path = str(args.path) ?? str(args.paths) ?? str(args.dir) ?? str(args.directory) ?? str(args.dir_path) ?? '.'
  // A pattern of alternatives through dot-folders or for dotfiles (`**/{.cursorrules,.github/*.md}`): one search for
  // each, so that each asks for hidden files where it does (review 68). (Other alternatives stay one search, their
  // folders a pattern: `{src,lib}/**/*.tsx`.)
  const patterns = pattern.includes('{') && /[{,]\./.test(pattern) ? expandBraces(pattern) : [pattern]
  const searches = patterns.map(p => globSearch(p, path, cwd))
  return fixedAction('search', {searches, deps: searches.map(s => s.scopes[0]!)})
}

/**
 * A glob's brace alternatives written out (`{a,b}/x` → `a/x`, `b/x`), at most MAX_BRACED of them; past that, or with
 * a brace left open, the pattern as it is.
 */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{')
  if (open === -1) return [pattern]
  let depth = 0
  let close = -1
  const commas: number[] = []
  for (let k = open; k < pattern.length; k++) {
    const c = pattern[k]
    if (c === '{') depth++
    else if (c === '}' && --depth === 0) {
      close = k
      break
    } else if (c === ',' && depth === 1) commas.push(k)
  }
  if (close === -1 || commas.length === 0) return [pattern]
  const head = pattern.slice(0, open)
  const tail = pattern.slice(close + 1)
  const cuts = [open, ...commas, close]
  const out: string[] = []
  for (let k = 0; k + 1 < cuts.length; k++)
    for (const rest of expandBraces(pattern.slice(cuts[k]! + 1, cuts[k + 1]) + tail)) {
      out.push(head + rest)
      if (out.length > MAX_BRACED) return [pattern]
    }
  return out
}

/** Alternatives of a glob written out at most (see `expandBraces`). */
const MAX_BRACED = 16

/** One glob pattern's search (see `globTool`). */
function globSearch(pattern: string, path: string, cwd: string | undefined): Search {
  // The static directories at the pattern's start narrow where it looks; an absolute pattern looks from its own root.
  const parts = pattern.split('/')
  const root = /^(?:[A-Za-z]:)?$/.test(parts[0]!) && parts.length > 1 ? `${parts.shift()}/` : undefined
  let base = root !== undefined ? normalisePath(root, cwd) : normalisePath(path, cwd)
  while (parts.length > 1 && !/[*?[{]/.test(parts[0]!)) base = normalisePath(parts.shift()!, base)
  const deep = parts.some(p => p === '**') || parts.length > 1
  const leaf = parts[parts.length - 1] ?? '*'
  const s = nameSearch([base])
  s.depth = deep ? Number.POSITIVE_INFINITY : 1
  if (leaf !== '*' && leaf !== '**') s.names.push(leaf)
  // Folders named between (`app/**/checkout/**/*.tsx`) narrow the hits to files in folders that match them: a filter
  // (see `DIR_GLOB`), its folder pattern whole from the root.
  // (A last `**` takes in every folder below: `**/node_modules/**`.)
  const between = leaf === '**' ? parts : parts.slice(0, -1)
  if (between.some(p => p !== '**')) s.filters.push(`${DIR_GLOB}${base === '/' ? '' : base}/${between.join('/')}`)
  // Shell-style globs skip dotfiles unless the pattern names one, or a dot-folder on the way (`**/.github/*.md`); a
  // brace left as it is may hold one.
  s.hidden = parts.some(p => (p.startsWith('.') && p !== '.' && p !== '..') || /[{,]\./.test(p))
  return s
}

/** A JavaScript cell: its writes read from its code (`fs` calls, `child_process` commands through the shell model). */
function jsCell(code: string, cwd: string | undefined): Action {
  const a = emptyAction('run')
  a.opaque = true
  a.depsAny = true
  const effects = codeEffects('node', code)
  withCodeEffects(a, effects, [], cwd)
  return a
}

/** A Python cell: its writes read from its code, its `!` lines and `%%bash` cells through the shell model. */
function ipython(code: string, cwd: string | undefined): Action {
  const a = emptyAction('run')
  a.opaque = true
  a.depsAny = true
  const shellLines: string[] = []
  let python = code
  if (/^\s*%%(?:bash|sh|script)/.test(code)) {
    shellLines.push(code.replace(/^\s*%%\w+[^\n]*\n?/, ''))
    python = ''
  } else {
    python = code.replace(/^\s*!(.*)$/gm, (_, cmd: string) => {
      shellLines.push(cmd)
      return ''
    })
  }
  withCodeEffects(a, codeEffects('python', python), shellLines, cwd)
  return a
}

/** A cell's writes from its code's effects and the shell lines it runs (its own, and those its code runs). */
function withCodeEffects(
  a: Action,
  effects: ReturnType<typeof codeEffects>,
  shellLines: string[],
  cwd: string | undefined,
): void {
  a.writesAny = effects.writesAny
  for (const p of effects.writes) a.writes.push({path: normalisePath(p, cwd), partial: true})
  for (const p of effects.under) a.writesUnder.push(normalisePath(p, cwd))
  for (const line of [...shellLines, ...effects.commands]) {
    const inner = classifyShell(line, cwd)
    a.writes.push(...inner.writes)
    a.writesUnder.push(...inner.writesUnder)
    a.writesAny ||= inner.writesAny || inner.scripts.length > 0
    if (inner.env) changesEnvironment(a)
    a.git ||= inner.git
  }
  if (a.writes.length || a.writesAny || a.writesUnder.length || a.env) a.kind = 'shell'
}

/** The command line a shell tool ran. */
/** The command line of a shell call's arguments (a JSON string of them too), or '' when they hold none. */
export function shellLine(args: unknown): string {
  return commandText(argsObject(args)) ?? ''
}

function commandText(args: Record<string, unknown>): string | undefined {
  // LangChain's `terminal` tool (ShellTool) takes a list of commands and runs them one after another in one shell.
  const commands = args.commands
  if (
    args.command === undefined &&
    Array.isArray(commands) &&
    commands.length &&
    commands.every(x => typeof x === 'string')
  )
    return commands.join('; ')
  const c = args.command ?? args.cmd ?? args.script ?? args.code ?? args.input
  if (typeof c === 'string') return c
  if (Array.isArray(c) && c.every(x => typeof x === 'string')) {
    const parts = c as string[]
    // ["bash", "-lc", "cmd"] → "cmd"; ["pwsh", "-NoProfile", "-Command", "cmd"] → "cmd"
    if (parts.length >= 3 && /(?:^|\/)(?:ba|z)?sh$|powershell|pwsh/.test(parts[0]!) && parts[1]!.startsWith('-')) {
      const k = parts.findIndex((x, i) => i > 0 && /^-(?:\w*c|Command)$/i.test(x))
      return parts.slice(k !== -1 && k + 1 < parts.length ? k + 1 : 2).join(' ')
    }
    return parts.map(p => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`)).join(' ')
  }
  if (c && typeof c === 'object') return commandText(c as Record<string, unknown>)
  return undefined
}

/** SWE-agent 0.x commands: its viewer and editor act on the open file; anything else is a shell command. */
function sweAction(name: string, line: string, site: CallSite, cut: boolean): Action {
  const words = line.trim().split(/\s+/)
  const cwd = site.cwd
  const open = site.openFile
  if (SWE_VIEW.has(name)) {
    const file = name === 'open' ? (words[1] ? normalisePath(words[1].replace(/^"|"$/g, ''), cwd) : undefined) : open
    if (!file) return fixedAction('other')
    // The window shown is read from the numbered output (see context.ts).
    return readAction(file, [1, 2])
  }
  if (name === 'create') {
    if (!words[1]) return unknownWrite()
    const file = normalisePath(words[1], cwd)
    return fixedAction('write', {targets: [file], writes: [{path: file, content: ''}]})
  }
  if (name === 'edit' || name === 'insert' || name === 'append') {
    if (!open) return unknownWrite()
    // The same edit of the same lines of the open file, whatever else its first line holds (`edit 2:2 x.py`
    // edits the open file all the same): for telling a verbatim retry from a new attempt.
    const nl = line.indexOf('\n')
    const head = nl === -1 ? line : line.slice(0, nl)
    const range = /^\s*\w+\s+(\d+(?::\d+)?)/.exec(head)?.[1] ?? ''
    const core = `${name} ${open} ${range}\n${nl === -1 ? '' : line.slice(nl + 1).trimEnd()}`
    return fixedAction('write', {targets: [open], writes: [{path: open, partial: true}], core})
  }
  if (name === 'search_file' || name === 'search_dir' || name === 'find_file') {
    const m = /^\S+\s+("(?:[^"\\]|\\.)*"|\S+)(?:\s+(.+))?$/.exec(line.trim())
    const term = (m?.[1] ?? '').replace(/^"|"$/g, '')
    const where = m?.[2]?.trim().replace(/^"|"$/g, '')
    const scope = where ? normalisePath(where, cwd) : name === 'search_file' ? open : normalisePath('.', cwd)
    if (!scope) return fixedAction('other')
    const s = nameSearch([scope])
    if (name === 'find_file') s.names.push(term)
    else {
      s.mode = 'content'
      s.pattern = normaliseQuery(term)
      s.output = name === 'search_dir' ? 'count' : 'lines'
      s.flags = 'F'
      if (name === 'search_file') s.depth = 1
    }
    return fixedAction('search', {searches: [s], deps: [scope]})
  }
  if (name === 'submit') return fixedAction('other')
  if (name === 'str_replace_editor' || name === 'str_replace_based_edit_tool') {
    const editor = editorLine(line, cwd, cut)
    if (editor) return editor
  }
  const a = withAbsentPrograms(site.absent, () => classifyShell(line, cwd, 0, site.stop))
  if (cut) a.writesAny = true
  return a
}

/**
 * SWE-agent 1.x's editor called as a command (`str_replace_editor view /testbed/f.py --view_range 10 40`,
 * `str_replace_editor str_replace /testbed/f.py --old_str '…' --new_str '…'`): the same tool as its function-call form,
 * its arguments as shell words. Undefined for a line that is not one call of it alone.
 */
function editorLine(line: string, cwd: string | undefined, cut: boolean): Action | undefined {
  const commands = parseShell(line)
  if (commands.length !== 1 || commands[0]!.redirects.length || commands[0]!.dynamic.some(d => d)) return undefined
  const [, command, path, ...rest] = commands[0]!.words
  if (!command || !path) return undefined
  const args: Record<string, unknown> = {command, path}
  for (let k = 0; k < rest.length; k++) {
    const flag = /^--(\w+)$/.exec(rest[k]!)?.[1]
    if (!flag) return undefined
    if (flag === 'view_range') {
      args.view_range = [Number(rest[k + 1]), Number(rest[k + 2])]
      k += 2
    } else args[flag] = rest[++k]
  }
  if (!['view', 'create', 'str_replace', 'insert', 'undo_edit'].includes(command)) return undefined
  return editorAction(command, normalisePath(path, cwd), args, !cut)
}

/**
 * What the editor (`str_replace_editor` and its kin) does to `file`: a view reads it, `create` writes `file_text` as
 * its whole content (when `whole`: arguments not cut), any other command writes part of it.
 */
function editorAction(command: string, file: string, args: Record<string, unknown>, whole: boolean): Action {
  if (command === 'view') return readAction(file, viewRange(args))
  const write =
    command === 'create' && whole ? {path: file, content: str(args.file_text) ?? ''} : {path: file, partial: true}
  return fixedAction('write', {targets: [file], writes: [write]})
}

const CONTENT_KEYS = [
  'content',
  'new_string',
  'new_str',
  'edits',
  'input',
  'patch',
  'file_text',
  'diff',
  'text',
  'insert_line',
]

/**
 * Whether two calls with equal arguments wrote the same thing: true only when
 * the arguments carry the written content (some agents log an edit by its file alone).
 */
export function argumentsCarryContent(step: Step): boolean {
  const args = step.tool?.arguments
  if (typeof args === 'string') return args.length > 0
  if (!args || typeof args !== 'object') return false
  return CONTENT_KEYS.some(k => k in (args as Record<string, unknown>))
}
