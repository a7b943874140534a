/**
 * What a tool call does, across agents: reads a file (and which lines),
 * searches, writes, runs a shell command that may change files, polls a
 * running process, or something else. The waste detectors reason on this
 * classification, never on a tool's name alone.
 */
import type {Step} from '../card/types.js'

type ActionKind = 'read' | 'search' | 'list' | 'write' | 'run' | 'shell' | 'poll' | 'task' | 'other'

export interface Action {
  kind: ActionKind
  /** For reads: the file and the lines read ([start, end), 1-based; undefined = the whole file). */
  file?: string
  range?: [number, number]
  /** For searches: the normalised query and where it looked. */
  query?: string
  scope?: string
  /** Files a write names (empty with `mutatesAny` = any file may have changed). */
  writes?: string[]
  /** True when the call may have changed files we cannot name (a shell command we cannot read). */
  mutatesAny?: boolean
}

const READ_TOOLS = new Set(['read', 'read_file', 'view', 'open', 'cat', 'readfile', 'notebookread'])
const SEARCH_TOOLS = new Set([
  'grep',
  'glob',
  'search',
  'search_file',
  'search_dir',
  'find_file',
  'codebase_search',
  'file_search',
  'websearch',
  'web_search',
  'search_files',
])
const LIST_TOOLS = new Set(['ls', 'list', 'list_dir', 'list_files', 'list_directory'])
const WRITE_TOOLS = new Set([
  'write',
  'edit',
  'multiedit',
  'notebookedit',
  'create',
  'apply_patch',
  'str_replace',
  'write_file',
  'edit_file',
  'insert',
  'replace',
  'create_file',
])
const POLL_TOOLS = new Set(['write_stdin', 'bashoutput', 'killshell', 'wait', 'sleep', 'read_output', 'check_status'])
const TASK_TOOLS = new Set(['task', 'agent', 'delegate', 'spawn_agent'])
const SHELL_TOOLS = new Set([
  'bash',
  'exec_command',
  'shell_command',
  'shell',
  'local_shell',
  'run',
  'execute_bash',
  'run_command',
  'terminal',
  'cmd',
])
const OTHER_TOOLS = new Set([
  'todowrite',
  'update_plan',
  'exitplanmode',
  'think',
  'finish',
  'submit',
  'webfetch',
  'view_image',
  'askuserquestion',
])

/** Lines that submit an agent's final answer (mini-swe-agent, SWE-agent): required by the harness. */
const SUBMIT_MARKERS = ['COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT', 'MINI_SWE_AGENT_FINAL_OUTPUT']

/** Commands that, piped after a read, only select lines of it. */
const PIPE_FILTERS = new Set(['sed', 'head', 'grep', 'rg', 'egrep'])

/** Commands that only look at files. */
const READ_ONLY_COMMANDS = new Set([
  'cat',
  'head',
  'tail',
  'less',
  'more',
  'nl',
  'wc',
  'ls',
  'll',
  'tree',
  'find',
  'fd',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'ack',
  'pwd',
  'echo',
  'printf',
  'which',
  'type',
  'file',
  'stat',
  'du',
  'df',
  'jq',
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
  'date',
  'whoami',
  'env',
  'printenv',
  'uname',
  'id',
  'hostname',
  'true',
  'test',
  'awk',
  'get-content',
  'get-childitem',
  'select-string',
  'dir',
  'type',
  'gc',
  'gci',
  'ps',
  'top',
  'lsof',
  'xxd',
  'hexdump',
  'od',
  'md5sum',
  'sha256sum',
])
/** git subcommands that only look. */
const GIT_READ_ONLY = new Set([
  'status',
  'diff',
  'log',
  'show',
  'branch',
  'remote',
  'rev-parse',
  'ls-files',
  'blame',
  'describe',
  'config',
  'tag',
  'grep',
  'shortlog',
  'reflog',
])
/** Commands that run tests, builds or linters: they read the tree and (normally) leave sources alone. */
const RUN_COMMANDS =
  /^(?:npm|pnpm|yarn|bun|npx|pytest|python3? -m pytest|go|cargo|make|mvn|gradle|tox|jest|vitest|mix|rspec|dotnet|tsc|eslint|ruff|mypy|node|python3?|deno|php|ruby|bundle)\b/

/** Lowercased tool name without MCP/namespace prefixes. */
function toolName(step: Step): string {
  const name = step.tool?.name ?? ''
  const base = name.includes('__') ? name.slice(name.lastIndexOf('__') + 2) : name
  return base.toLowerCase()
}

function argsOf(step: Step): Record<string, unknown> {
  const a = step.tool?.arguments
  if (a && typeof a === 'object' && !Array.isArray(a)) return a as Record<string, unknown>
  if (typeof a === 'string') return {command: a}
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

/** A path made comparable: `./a/b/` → `a/b`, joined to `cwd` when relative and a cwd is known. */
export function normalisePath(path: string, cwd?: string): string {
  // Fast path: an absolute, already clean path (the common case: Claude Code's file_path).
  if (path.charCodeAt(0) === 47 && !/\/\/|\/\.|\\|\/$|\s$|['"]/.test(path)) return path
  let p = path
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .replace(/\\/g, '/')
  if (p.startsWith('./')) p = p.slice(2)
  if (cwd && !p.startsWith('/') && !/^[A-Za-z]:\//.test(p)) p = `${cwd.replace(/\\/g, '/').replace(/\/$/, '')}/${p}`
  p = p.replace(/\/+/g, '/').replace(/\/$/, '')
  const parts: string[] = []
  for (const part of p.split('/')) {
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop()
    else if (part !== '.') parts.push(part)
  }
  return parts.join('/')
}

/** A search query made comparable: case, quotes, regex escapes and spacing do not count. */
export function normaliseQuery(q: string): string {
  return q.toLowerCase().replace(/\\(.)/g, '$1').replace(/["'`]/g, '').replace(/\s+/g, ' ').trim()
}

/** Classifies a tool step. */
export function classify(step: Step, cwd?: string): Action {
  const name = toolName(step)
  const args = argsOf(step)
  if (POLL_TOOLS.has(name)) return {kind: 'poll'}
  if (TASK_TOOLS.has(name)) return {kind: 'task'}
  if (READ_TOOLS.has(name) || name === 'str_replace_editor' || name === 'str_replace_based_edit_tool') {
    const command = str(args.command)
    const path = str(args.file_path) ?? str(args.path) ?? str(args.filename) ?? str(args.file)
    if (command && command !== 'view' && (name === 'str_replace_editor' || name === 'str_replace_based_edit_tool')) {
      return path ? {kind: 'write', writes: [normalisePath(path, cwd)]} : {kind: 'write', mutatesAny: true}
    }
    if (!path) return {kind: 'other'}
    const offset = num(args.offset) ?? num(args.start_line) ?? num(args.start)
    const limit = num(args.limit)
    const end = num(args.end_line) ?? num(args.end)
    const viewRange = Array.isArray(args.view_range) ? args.view_range.map(num) : undefined
    let range: [number, number] | undefined
    if (viewRange && viewRange[0] !== undefined)
      range = [
        viewRange[0],
        viewRange[1] !== undefined && viewRange[1]! > 0 ? viewRange[1]! + 1 : Number.MAX_SAFE_INTEGER,
      ]
    else if (offset !== undefined || limit !== undefined) {
      const start = Math.max(1, offset ?? 1)
      range = [start, limit !== undefined ? start + limit : end !== undefined ? end + 1 : Number.MAX_SAFE_INTEGER]
    }
    return {kind: 'read', file: normalisePath(path, cwd), range}
  }
  if (SEARCH_TOOLS.has(name)) {
    const query =
      str(args.pattern) ??
      str(args.query) ??
      str(args.search_term) ??
      str(args.regex) ??
      str(args.name) ??
      str(args.term) ??
      ''
    const scope = str(args.path) ?? str(args.dir) ?? str(args.directory) ?? str(args.include) ?? str(args.glob) ?? ''
    const extra = [str(args.glob), str(args.type), str(args.output_mode), args['-i'] === true ? 'i' : '']
      .filter(Boolean)
      .join(' ')
    return {kind: 'search', query: normaliseQuery(query), scope: `${scope ? normalisePath(scope, cwd) : ''}|${extra}`}
  }
  if (LIST_TOOLS.has(name)) {
    const path = str(args.path) ?? str(args.dir) ?? '.'
    return {kind: 'list', file: normalisePath(path, cwd)}
  }
  if (WRITE_TOOLS.has(name)) {
    const path = str(args.file_path) ?? str(args.path) ?? str(args.notebook_path) ?? str(args.filename)
    if (path) return {kind: 'write', writes: [normalisePath(path, cwd)]}
    const patch =
      typeof step.tool?.arguments === 'string'
        ? step.tool.arguments
        : (str(args.input) ?? str(args.patch) ?? str(args.command))
    const files = patch ? patchFiles(patch, cwd) : []
    return files.length ? {kind: 'write', writes: files} : {kind: 'write', mutatesAny: true}
  }
  if (SHELL_TOOLS.has(name)) {
    const command = commandText(args)
    const workdir = str(args.workdir) ?? str(args.cwd) ?? cwd
    return command ? classifyCommand(command, workdir) : {kind: 'shell', mutatesAny: true}
  }
  if (OTHER_TOOLS.has(name)) return {kind: 'other'}
  // Unknown tools (MCP servers, custom functions): assume nothing about files.
  return {kind: 'other'}
}

function commandText(args: Record<string, unknown>): string | undefined {
  const c = args.command ?? args.cmd ?? args.script ?? args.code
  if (typeof c === 'string') return c
  if (Array.isArray(c) && c.every(x => typeof x === 'string')) {
    const parts = c as string[]
    // ["bash", "-lc", "cmd"] → "cmd"
    if (parts.length >= 3 && /(?:^|\/)(?:ba|z)?sh$/.test(parts[0]!) && parts[1]!.startsWith('-'))
      return parts.slice(2).join(' ')
    return parts.join(' ')
  }
  return undefined
}

/** Files an apply_patch / unified diff touches. */
function patchFiles(patch: string, cwd?: string): string[] {
  const files = new Set<string>()
  for (const m of patch.matchAll(/^\*\*\* (?:Update|Add|Delete) File: (.+)$/gm)) files.add(normalisePath(m[1]!, cwd))
  for (const m of patch.matchAll(/^\+\+\+ (?:b\/)?(.+)$/gm))
    if (m[1] !== '/dev/null') files.add(normalisePath(m[1]!, cwd))
  return [...files]
}

/** A simple command of a command line, and whether it reads the previous one's output through a pipe. */
export interface CommandPart {
  text: string
  piped: boolean
}

/** Splits a shell command line into simple commands (on `&&`, `||`, `;`, `|`, newlines), outside quotes. */
export function splitCommands(line: string): CommandPart[] {
  const out: CommandPart[] = []
  let current = ''
  let piped = false
  let quote: string | undefined
  const push = (nextPiped: boolean): void => {
    if (current.trim()) out.push({text: current.trim(), piped})
    current = ''
    piped = nextPiped
  }
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"') current += line[++i] ?? ''
      else current += c
      continue
    }
    if (c === '"' || c === "'") {
      quote = c
      continue
    }
    if (c === '\\') {
      current += line[++i] ?? ''
      continue
    }
    const two = line.slice(i, i + 2)
    if (two === '&&' || two === '||') {
      push(false)
      i++
    } else if (c === '|') push(true)
    else if (c === ';' || c === '\n') push(false)
    else current += c
  }
  push(false)
  return out
}

function words(command: string): string[] {
  return command.split(/\s+/).filter(Boolean)
}

/** Classifies a shell command line: a read of a file (with lines), a search, a run, or a change. */
export function classifyCommand(line: string, cwd?: string): Action {
  // The submission command of mini-swe-agent prints the final patch: required, never waste.
  if (SUBMIT_MARKERS.some(m => line.includes(m))) return {kind: 'other'}
  const parts = splitCommands(line.replace(/\s+2>&1|\s+2>\/dev\/null/g, ''))
  let dir = cwd
  let read: Action | undefined
  let search: Action | undefined
  let run = false
  for (const {text: part, piped} of parts) {
    const w = words(part)
    let cmd = (w[0] ?? '').toLowerCase()
    if (cmd === 'sleep' || cmd === 'start-sleep') return {kind: 'poll'}
    if (cmd === 'cd') {
      dir = w[1] ? normalisePath(w[1], dir) : dir
      continue
    }
    if (cmd === 'sudo' || cmd === 'time' || cmd === 'timeout') {
      w.shift()
      if (cmd === 'timeout') w.shift()
      cmd = (w[0] ?? '').toLowerCase()
    }
    if (/[^2]>|>>|\btee\b/.test(part) && !/>\s*\/dev\/null/.test(part)) return {kind: 'shell', mutatesAny: true}
    // A read shown through anything but a line filter (`| cat -A`, `| wc -l`) shows something else: not a plain read.
    if (piped && read && !PIPE_FILTERS.has(cmd)) read = undefined
    if (cmd === 'sed') {
      if (w.some(x => x === '-i' || x.startsWith('-i'))) return {kind: 'shell', mutatesAny: true}
      const range = /^-?n?$/.test(w[1] ?? '') ? sedRange(w[2] ?? '') : undefined
      const file = w.length > 3 ? w[w.length - 1] : undefined
      if (range && file && !read) read = {kind: 'read', file: normalisePath(file, dir), range}
      // `nl -ba f | sed -n '10,40p'`: the range applies to what was piped in.
      else if (range && !file && read) read = {...read, range: narrow(read.range, range)}
      else if (!range && !read) return {kind: 'shell', mutatesAny: true}
      continue
    }
    if (cmd === 'cat' || cmd === 'nl' || cmd === 'get-content' || cmd === 'gc') {
      const files = w.slice(1).filter(x => !x.startsWith('-'))
      if (files.length === 1 && !read) read = {kind: 'read', file: normalisePath(files[0]!, dir)}
      continue
    }
    if (cmd === 'head' || cmd === 'tail') {
      const files = w.slice(1).filter((x, i, all) => !x.startsWith('-') && !/^-[nc]$/.test(all[i - 1] ?? ''))
      const count = Number(w.find(x => /^-\d+$/.test(x))?.slice(1) ?? w[w.indexOf('-n') + 1] ?? 10)
      const n = Number.isFinite(count) ? count : 10
      if (cmd === 'head' && files.length === 1 && !read)
        read = {kind: 'read', file: normalisePath(files[0]!, dir), range: [1, 1 + n]}
      else if (cmd === 'head' && files.length === 0 && read) read = {...read, range: narrow(read.range, [1, 1 + n])}
      // `tail` of a file reads lines we cannot place without its length: not a read we can compare.
      else if (cmd === 'tail' && read) read = undefined
      continue
    }
    if (
      cmd === 'grep' ||
      cmd === 'rg' ||
      cmd === 'ag' ||
      cmd === 'egrep' ||
      cmd === 'ack' ||
      cmd === 'find' ||
      cmd === 'fd' ||
      cmd === 'select-string'
    ) {
      if (cmd === 'find' && w.some(x => x === '-delete' || x === '-exec' || x === '-execdir'))
        return {kind: 'shell', mutatesAny: true}
      if (!search) {
        const rest = w.slice(1).filter(x => !x.startsWith('-'))
        search = {kind: 'search', query: normaliseQuery(rest.join(' ')), scope: `${dir ?? ''}|${cmd}`}
      }
      continue
    }
    if (cmd === 'git') {
      const sub = w[1]?.toLowerCase() ?? ''
      if (
        GIT_READ_ONLY.has(sub) &&
        !(sub === 'branch' && w.length > 2 && !w[2]!.startsWith('-')) &&
        !(sub === 'config' && w.length > 3)
      )
        continue
      return {kind: 'shell', mutatesAny: true}
    }
    if (READ_ONLY_COMMANDS.has(cmd)) continue
    if (
      RUN_COMMANDS.test(part) &&
      !/\b(?:install|add|remove|uninstall|init|create|migrate|format|fmt|--fix|-w\b|--write)\b/.test(part)
    ) {
      if (/^python3? /.test(part) && !/(?:-m (?:pytest|unittest)|test)/.test(part))
        return {kind: 'shell', mutatesAny: true}
      if (/^node /.test(part) && !/test/.test(part)) return {kind: 'shell', mutatesAny: true}
      run = true
      continue
    }
    return {kind: 'shell', mutatesAny: true}
  }
  if (run) return {kind: 'run'}
  if (read && !search) return read
  if (search) return search
  return {kind: 'run'}
}

/** A range within a range (`undefined` = the whole file). */
function narrow(outer: [number, number] | undefined, inner: [number, number]): [number, number] {
  if (!outer) return inner
  const start = outer[0] + inner[0] - 1
  return [start, Math.min(outer[1], start + (inner[1] - inner[0]))]
}

/** `sed -n '10,40p'` → [10, 41). */
function sedRange(expr: string): [number, number] | undefined {
  const m = /^(\d+)(?:,(\d+|\$))?p$/.exec(expr.replace(/['"]/g, ''))
  if (!m) return undefined
  const start = Number(m[1])
  const end = m[2] === undefined ? start : m[2] === '$' ? Number.MAX_SAFE_INTEGER - 1 : Number(m[2])
  return [start, end + 1]
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

/** Whether the action may change files (and so makes earlier reads stale). */
export function mutates(action: Action): boolean {
  return action.kind === 'write' || action.mutatesAny === true
}
