/**
 * An agent's instructions file (Claude Code's `CLAUDE.md`, Codex's and OpenCode's `AGENTS.md`, Gemini CLI's
 * `GEMINI.md`, Copilot's `.github/copilot-instructions.md`): the accepted waste no setting can stop (a partial re-read,
 * tests run again, a narrower search, a command run again or retried unchanged) becomes a few rules for the agent, in a
 * section of its own between two markers. aco writes only between them: the rest of the file stays as it is, and
 * running again replaces the section (the same rules: already applied). A rule is advice the model may not follow, so
 * it is credited with no saving; PR.md says what is at stake.
 */
import {basename} from 'node:path'
import type {PruneSuggestion} from '../../policy/prune.js'
import {emptyRendered, type PatchContext, type Rendered, type TargetAdapter} from '../target.js'
import {TargetParseError} from '../yaml-text.js'

const BEGIN =
  '<!-- aco patch: begin. Rules from the tool calls aco found repeated; aco patch rewrites this section. -->'
const END = '<!-- aco patch: end -->'
/** The markers as aco looks for them (their words after `begin` may have been edited; indented, as Markdown allows). */
const BEGIN_LINE = /^[ \t]{0,3}<!-- aco patch: begin\b.*-->\s*$/
const END_LINE = /^[ \t]{0,3}<!-- aco patch: end\b.*-->\s*$/
/** A fenced code block's opening or closing line (three or more backticks or tildes): markers shown in one are text. */
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/

/**
 * The rule for each kind of advice (by the suggestion id's kind, `advice:near-duplicate:tests`), in the order the
 * section lists them. Kinds with none (a call limit or an output cap that would have cut nothing) stay in PR.md.
 */
const RULES: ReadonlyArray<{kind: RegExp; rule: string}> = [
  {
    kind: /^advice:repeated-runs(?::|$)/,
    rule: 'Before you run a command or read a file again, check whether this conversation already holds its result and nothing changed what it reads since (no edit, write, install or build of it). Do not retry a failed command unchanged: first change what made it fail.',
  },
  {
    kind: /^advice:near-duplicate$/,
    rule: 'Read only the lines you lack: when lines of a file are already in this conversation and nothing changed the file since, do not read them again; ask for the range you have not seen.',
  },
  {
    kind: /^advice:near-duplicate:tests$/,
    rule: 'After a test run passed, do not run those tests again, or some of them, until the code they run has changed: read the output you have.',
  },
  {
    kind: /^advice:near-duplicate:searches$/,
    rule: 'Before you search or list files again, look in the results of the earlier search or listing that covered the same place: while nothing there changed, a narrower search can only find some of what it found.',
  },
  {
    kind: /^advice:near-duplicate:git$/,
    rule: 'Use the answer of an earlier `git status` or `git diff` while nothing has changed since: a diff of fewer files or a status of fewer paths tells nothing new.',
  },
  {
    kind: /^advice:near-duplicate:other$/,
    rule: 'When an earlier call already returned what you need and nothing changed since, use that result instead of calling again.',
  },
]

/** The advice suggestions this file can carry, each with its rule, in the rules' order. */
function instructionRules(suggestions: readonly PruneSuggestion[]): Array<{id: string; rule: string; guard: boolean}> {
  const out: Array<{id: string; rule: string; order: number; guard: boolean}> = []
  for (const s of suggestions) {
    if (s.flags.length === 0) continue
    // A duplicate-call guard's calls are repeats too: the rule for them, which the PR credits to the guard where a file
    // carries it, and lists as a rule where none does (trial 76: with CLAUDE.md alone, the clearest repeats fell out).
    const guard = s.prevention === 'duplicate-guard'
    if (s.prevention !== 'advice' && !guard) continue
    const order = guard ? 0 : RULES.findIndex(r => r.kind.test(s.id))
    if (order >= 0) out.push({id: s.id, rule: RULES[order]!.rule, order, guard})
  }
  // (One rule once, for the ids of every format it came from: `advice:repeated-runs:claude-code` and `…:codex`.)
  out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return out.map(({id, rule, guard}) => ({id, rule, guard}))
}

export const instructionsTarget: TargetAdapter = {
  kind: 'instructions',
  describe:
    "an agent's instructions file (CLAUDE.md, AGENTS.md, GEMINI.md, .github/copilot-instructions.md): accepted waste no setting can stop, as rules in a section of its own",
  formats: 'any',
  mayCreate: true,
  render(text: string | undefined, ctx: PatchContext): Rendered {
    // (An agent's instructions are Markdown: trial 76 had rules appended to a TypeScript file.)
    if (!/\.(?:md|mdc|markdown)$/i.test(ctx.path))
      throw new TargetParseError(
        'not a Markdown file: an instructions target is the Markdown file the agent reads (CLAUDE.md, AGENTS.md, GEMINI.md, .github/copilot-instructions.md)',
      )
    // Only the waste of the agents that read this file (trial 99: CLAUDE.md had rules for SWE-agent's waste).
    const readers = readersOf(ctx.path)
    // (Waste of traces in a format that names no agent, ATIF, an API log, a cassette, spans: whoever ran them may read it.)
    const read = readers
      ? ctx.suggestions.filter(
          s => !s.scope.format || !AGENT_FORMATS.has(s.scope.format) || readers.includes(s.scope.format),
        )
      : ctx.suggestions
    const rules = instructionRules(read)
    const before = text ?? ''
    const out = emptyRendered(before)
    const others = ctx.suggestions.filter(s => !read.includes(s) && instructionRules([s]).length > 0)
    if (readers && others.length)
      out.notes.push(
        `no rule here for the waste of ${[...new Set(others.map(s => s.scope.format!))].sort().join(', ')} runs: ${basename(ctx.path)} is read by ${readers.join(', ')}`,
      )
    const found = markedSection(before)
    if (rules.length === 0) {
      if (found) out.notes.push('the section aco wrote before is left as it is: no accepted waste asks for a rule now')
      return out
    }
    // Lines someone wrote between the markers (a team's own rule): rewriting the section would drop them. Not patched,
    // with the line, for a person to move them out (trial 80).
    if (found) {
      const own = handWritten(before, found)
      if (own !== undefined)
        throw new TargetParseError(
          'the section between the aco patch markers holds a line aco did not write; move it above the begin marker (aco rewrites the section whole) or remove it',
          own,
        )
    }
    const ids = rules.map(r => r.id)
    // (A guard's waste is carried here as a rule, never credited: `expressed` is for what a file enforces.)
    out.expressed.push(...rules.filter(r => !r.guard).map(r => r.id))
    const guards = rules.filter(r => r.guard).map(r => r.id)
    if (guards.length) out.advised = guards
    const lines = [...new Set(rules.map(r => r.rule))]
    const eol = before.includes('\r\n') ? '\r\n' : '\n'
    const section = [BEGIN, '## Tool calls', '', ...lines.map(l => `- ${l}`), END].join(eol)
    if (found && before.slice(found.start, found.end) === section) {
      out.settled.push('its rules for the agent')
      return out
    }
    out.text = found
      ? before.slice(0, found.start) + section + before.slice(found.end)
      : before === ''
        ? section + eol
        : before.replace(/(?:\r?\n)*$/, '') + eol + eol + section + eol
    out.changes.push({
      where: found ? 'the section between the aco patch markers' : 'a new section at the end, between two markers',
      ...(found ? {from: 'the rules aco wrote before'} : {}),
      to: `${lines.length} rule${lines.length === 1 ? '' : 's'} for the agent`,
      why: 'the accepted waste that no setting can stop, as instructions the agent reads (no saving credited: it may not follow them)',
      prunes: ids,
    })
    return out
  },
}

/** The trace formats that are one agent's own logs (others, ATIF, spans, API logs, carry any agent's calls). */
const AGENT_FORMATS: ReadonlySet<string> = new Set([
  'aider',
  'aider-llm-history',
  'claude-code',
  'cline',
  'codex',
  'copilot-cli',
  'gemini-api',
  'gemini-cli',
  'mini-swe-agent',
  'opencode',
  'openhands',
  'swe-agent',
])

/**
 * The agents (trace formats) that read an instructions file, by its name; undefined for a name aco does not know (any
 * agent's waste then). CLAUDE.md: https://code.claude.com/docs/en/memory; AGENTS.md: Codex, OpenCode and Copilot CLI
 * (https://agents.md); GEMINI.md: Gemini CLI's default context file; CONVENTIONS.md: what aider is told to read
 * (`--read CONVENTIONS.md`); `.github/copilot-instructions.md`: Copilot; `.clinerules/`: Cline.
 */
function readersOf(path: string): readonly string[] | undefined {
  const name = basename(path).toLowerCase()
  if (name === 'claude.md' || name === 'claude.local.md') return ['claude-code']
  if (name === 'agents.md') return ['codex', 'copilot-cli', 'opencode']
  if (name === 'gemini.md') return ['gemini-api', 'gemini-cli']
  if (name === 'conventions.md') return ['aider', 'aider-llm-history']
  if (name === 'copilot-instructions.md') return ['copilot-cli']
  if (/(?:^|[\\/])\.clinerules[\\/]/.test(path)) return ['cline']
  return undefined
}

/** The lines aco writes in its section, but the markers: its heading and every rule it has. */
const OWN_LINES: ReadonlySet<string> = new Set(['## Tool calls', ...RULES.map(r => `- ${r.rule}`)])

/** The line number of the first line in the section that aco did not write (blank lines aside), if any. */
function handWritten(text: string, found: {start: number; end: number}): number | undefined {
  const lines = text.slice(found.start, found.end).split('\n')
  const first = text.slice(0, found.start).split('\n').length
  for (let k = 1; k < lines.length - 1; k++) {
    const l = lines[k]!.replace(/\r$/, '').trim()
    if (l !== '' && !OWN_LINES.has(l)) return first + k
  }
  return undefined
}

/** Where the section between the markers lies (from the first marker's start to the second's end), if the file has one. */
function markedSection(text: string): {start: number; end: number} | undefined {
  let start: number | undefined
  let startLine = 0
  let at = 0
  let line = 0
  /** The fence of the code block the line is in (review 75: markers shown in a ```md block had been taken). */
  let fence: string | undefined
  let found: {start: number; end: number} | undefined
  for (const raw of text.split('\n')) {
    line++
    const l = raw.replace(/\r$/, '')
    const f = FENCE.exec(l)?.[1]
    if (f && (fence === undefined || (f[0] === fence[0] && f.length >= fence.length))) fence = fence ? undefined : f
    else if (fence === undefined && BEGIN_LINE.test(l)) {
      // (A second section after the first: trial 76 found a stale one left as it was, the file "already applied".)
      if (found)
        throw new TargetParseError(
          'a second section between "aco patch" markers: keep one (aco rewrites only one)',
          line,
        )
      if (start !== undefined)
        throw new TargetParseError('a second "aco patch: begin" marker before the end of the first section', line)
      start = at
      startLine = line
    } else if (fence === undefined && END_LINE.test(l)) {
      if (found) continue
      if (start === undefined)
        throw new TargetParseError('an "aco patch: end" marker with no begin marker above it', line)
      found = {start, end: at + l.length}
      start = undefined
    }
    at += raw.length + 1
  }
  if (start !== undefined)
    throw new TargetParseError(
      found
        ? 'a second section between "aco patch" markers: keep one (aco rewrites only one)'
        : 'an "aco patch: begin" marker with no end marker after it',
      startLine,
    )
  return found
}
