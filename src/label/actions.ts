/**
 * What a tool call does, in a few words every format shares: `read`,
 * `search`, `edit`, `test`, `run`, `install`, `delegate`, `plan`, `web`,
 * `submit` or `other`. The auto-labeller compares models at "the same kind of
 * step" by it, and the per-step router's features name the previous action by
 * it. A call is judged by its tool's name and, for a shell, by the command's
 * first program (`cat` reads, `grep` searches, `sed -i` edits, `pytest` tests).
 * Nothing here runs or parses the command beyond its first words.
 */
import type {ToolCall} from '../card/types.js'

const ACTION_KINDS = [
  'read',
  'search',
  'edit',
  'test',
  'run',
  'install',
  'delegate',
  'plan',
  'web',
  'submit',
  'other',
] as const
export type ActionKind = (typeof ACTION_KINDS)[number]

/** Tool names (lower-case) whose kind the name alone tells. */
const BY_NAME: Record<string, ActionKind> = {
  read: 'read',
  read_file: 'read',
  view: 'read',
  open: 'read',
  notebookread: 'read',
  cat: 'read',
  grep: 'search',
  rg: 'search',
  glob: 'search',
  ls: 'search',
  list: 'search',
  list_dir: 'search',
  list_directory: 'search',
  search: 'search',
  search_file: 'search',
  search_dir: 'search',
  find_file: 'search',
  codebase_search: 'search',
  edit: 'edit',
  multiedit: 'edit',
  write: 'edit',
  write_file: 'edit',
  create: 'edit',
  str_replace_editor: 'edit',
  str_replace_based_edit_tool: 'edit',
  str_replace: 'edit',
  apply_patch: 'edit',
  notebookedit: 'edit',
  replace: 'edit',
  insert: 'edit',
  task: 'delegate',
  agent: 'delegate',
  todowrite: 'plan',
  update_todo: 'plan',
  report_intent: 'plan',
  todoread: 'plan',
  update_plan: 'plan',
  exitplanmode: 'plan',
  think: 'plan',
  webfetch: 'web',
  websearch: 'web',
  web_search: 'web',
  web_search_call: 'web',
  fetch: 'web',
  submit: 'submit',
  finish: 'submit',
  attempt_completion: 'submit',
}

/** Tools that run a shell command (their `command` / `cmd` argument is judged). */
const SHELL_TOOLS = new Set([
  'bash',
  'shell',
  'exec_command',
  'execute_bash',
  'run_command',
  'terminal',
  'local_shell',
  'run_shell_command',
  'execute_command',
  'cmd',
  'run',
  'bashoutput',
])

const READ_PROGRAMS = new Set(['cat', 'head', 'tail', 'less', 'more', 'nl', 'bat', 'view', 'open', 'xxd', 'od'])
const SEARCH_PROGRAMS = new Set([
  'grep',
  'egrep',
  'rg',
  'ag',
  'ack',
  'find',
  'fd',
  'ls',
  'tree',
  'wc',
  'pwd',
  'which',
  'file',
  'stat',
  'du',
  'locate',
  'search_dir',
  'search_file',
  'find_file',
])
const EDIT_PROGRAMS = new Set(['tee', 'patch', 'mv', 'cp', 'rm', 'mkdir', 'touch', 'edit', 'create', 'apply_patch'])
const TEST_PROGRAMS = new Set(['pytest', 'tox', 'nox', 'jest', 'vitest', 'mocha', 'rspec', 'phpunit', 'ctest'])
const INSTALL_PROGRAMS = new Set(['pip', 'pip3', 'uv', 'poetry', 'conda', 'apt', 'apt-get', 'brew', 'gem', 'bundle'])
/** Words that make a command a submission (mini-swe-agent's and SWE-agent's). */
const SUBMIT_MARKERS = ['COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT', 'MINI_SWE_AGENT_FINAL_OUTPUT']

/** The shell command of a call's arguments, when it has one. */
export function commandOf(args: unknown): string | undefined {
  if (typeof args === 'string') return args
  if (!args || typeof args !== 'object') return undefined
  const a = args as Record<string, unknown>
  for (const key of ['command', 'cmd', 'script', 'input']) {
    const v = a[key]
    if (typeof v === 'string') return v
    if (Array.isArray(v) && v.every(x => typeof x === 'string')) return (v as string[]).join(' ')
  }
  return undefined
}

/** The file a call names, when it names one (`file_path`, `path`, `filename`…). */
export function pathOf(args: unknown): string | undefined {
  if (!args || typeof args !== 'object') return undefined
  const a = args as Record<string, unknown>
  for (const key of ['file_path', 'path', 'filename', 'file', 'notebook_path', 'target_file']) {
    const v = a[key]
    if (typeof v === 'string' && v.length > 0) return v
  }
  return undefined
}

/** The kind of a shell command, by its first program (after `cd x &&`, env assignments and `timeout`). */
function commandKind(command: string): ActionKind {
  for (const marker of SUBMIT_MARKERS) if (command.includes(marker)) return 'submit'
  // Judge the first segment that is not a `cd`.
  const segments = command.split(/&&|;|\|\||\n/)
  let words: string[] = []
  for (const segment of segments) {
    words = segment.trim().split(/\s+/).filter(Boolean)
    while (
      words.length > 0 &&
      (/^[A-Z_][A-Z0-9_]*=/.test(words[0]!) || words[0] === 'timeout' || /^\d+s?$/.test(words[0]!))
    )
      words.shift()
    if (words.length > 0 && words[0] !== 'cd' && words[0] !== 'source' && words[0] !== 'export') break
  }
  const program = (words[0] ?? '').replace(/^.*\//, '')
  const rest = words.slice(1)
  if (!program) return 'other'
  if (program === 'sed') return rest.some(w => w === '-i' || w.startsWith('-i')) ? 'edit' : 'read'
  if (READ_PROGRAMS.has(program)) return /(^|\s)>>?\s*\S/.test(command) || command.includes('<<') ? 'edit' : 'read'
  if (SEARCH_PROGRAMS.has(program)) return 'search'
  if (EDIT_PROGRAMS.has(program)) return 'edit'
  if (program === 'echo' || program === 'printf') return /(^|[^2])>>?\s*\S/.test(command) ? 'edit' : 'other'
  if (TEST_PROGRAMS.has(program)) return 'test'
  if (INSTALL_PROGRAMS.has(program)) return rest[0] === 'install' || rest[0] === 'add' ? 'install' : 'run'
  if (program === 'git') {
    const sub = rest[0] ?? ''
    if (['diff', 'status', 'log', 'show', 'grep', 'blame', 'ls-files'].includes(sub)) return 'search'
    if (['apply', 'checkout', 'restore', 'stash', 'reset', 'mv', 'rm', 'add', 'commit'].includes(sub)) return 'edit'
    return 'run'
  }
  if (['npm', 'pnpm', 'yarn', 'bun', 'npx'].includes(program)) {
    if (rest[0] === 'install' || rest[0] === 'i' || rest[0] === 'add' || rest[0] === 'ci') return 'install'
    if (rest.some(w => /^test/.test(w) || w === 'vitest' || w === 'jest')) return 'test'
    return 'run'
  }
  if (['go', 'cargo', 'make', 'mvn', 'gradle', 'dotnet'].includes(program)) return rest[0] === 'test' ? 'test' : 'run'
  if (program.startsWith('python')) {
    if (rest[0] === '-m' && ['pytest', 'unittest', 'tox'].includes(rest[1] ?? '')) return 'test'
    if (rest[0] === '-m' && rest[1] === 'pip') return rest[2] === 'install' ? 'install' : 'run'
    if (command.includes('<<') && /open\([^)]*['"]w/.test(command)) return 'edit'
    if (rest.some(w => /(^|\/)tests?[_/]|_test\.py$|test_\w*\.py$/.test(w))) return 'test'
    return 'run'
  }
  if (['node', 'ruby', 'perl', 'php', 'java', 'deno', 'tsx', 'ts-node', 'bash', 'sh', 'zsh'].includes(program))
    return 'run'
  return 'other'
}

/** The kind of one tool call. */
export function actionKind(tool: Pick<ToolCall, 'name' | 'arguments'>): ActionKind {
  const name = tool.name.toLowerCase()
  if (SHELL_TOOLS.has(name)) {
    const command = commandOf(tool.arguments)
    return command ? commandKind(command) : 'run'
  }
  const known = BY_NAME[name]
  if (known) return known
  if (name.startsWith('mcp__')) return 'other'
  if (name.startsWith('browser') || name.includes('click') || name.includes('navigate')) return 'web'
  if (name.includes('search') || name.includes('grep') || name.includes('find')) return 'search'
  if (name.includes('read') || name.includes('view')) return 'read'
  if (name.includes('edit') || name.includes('write') || name.includes('replace')) return 'edit'
  const command = commandOf(tool.arguments)
  return command ? commandKind(command) : 'other'
}

/** How much a kind says about a step, for choosing one kind among a step's several calls. */
const WEIGHT: Record<ActionKind, number> = {
  submit: 10,
  edit: 9,
  delegate: 8,
  test: 7,
  run: 6,
  install: 5,
  web: 4,
  search: 3,
  read: 2,
  plan: 1,
  other: 0,
}

/** The kind that says most about a step that made several calls. */
export function mainKind(kinds: Iterable<ActionKind>): ActionKind | undefined {
  let best: ActionKind | undefined
  for (const k of kinds) if (best === undefined || WEIGHT[k] > WEIGHT[best]) best = k
  return best
}
