/**
 * What a tool's output showed the model, read from its text: which numbered
 * lines of a file (`cat -n`, `nl`, Claude Code's Read, SWE-agent's viewer,
 * `grep -n`), whether the harness cut part of it out (mini-swe-agent's
 * `<elided_chars>`, Claude Code's "[N lines truncated]"), whether a search
 * found nothing, whether it reports a failure even though no exit code says
 * so, and which missing paths a failure names.
 *
 * The flag stage's detectors ask these of every output; a card built in this
 * process keeps them (`OutputFacts`) for the outputs it keeps packed, computed
 * while the text is at hand, so that flagging need not unpack those outputs
 * (see card/build.ts).
 */

/**
 * The text of an output a harness wrapped as JSON: Codex 0.5x sends the model `{"output": "…", "metadata":
 * {"exit_code": 0, …}}`, its lines escaped, so line numbers, cut markers and failures are read from the inner
 * text. Any other output as it is.
 */
export function outputText(text: string, tool?: string): string {
  // (Copilot CLI's view alone numbers lines `12. text`: another tool's `1. ` is a Markdown list's, its text.)
  if (tool === 'view' && isDigit(text.charCodeAt(0))) return dotNumbered(text) ?? text
  if (!text.startsWith('{"output":') || !text.endsWith('}')) return text
  try {
    const parsed = JSON.parse(text) as {output?: unknown; metadata?: unknown}
    // Codex's envelope has its metadata beside the output: another JSON document (a file `cat` printed) is as it is.
    return typeof parsed.output === 'string' && typeof parsed.metadata === 'object' && parsed.metadata !== null
      ? parsed.output
      : text
  } catch {
    return text
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/**
 * A file's lines numbered `12. text` (Copilot CLI's view), every line so, one after another (up to the note of a cut,
 * `[Output truncated. Use view_range=…]`), as the tab-numbered lines other tools print (`12\ttext`); undefined for any
 * other text (a Markdown list among other lines is no numbering).
 */
function dotNumbered(text: string): string | undefined {
  // (Most outputs that start with a digit are no such view: a look at the first line before splitting the rest.)
  if (!DOT_NUMBER_START.test(text.slice(0, 12))) return undefined
  const lines = text.split('\n')
  let end = lines.length
  if (end > 1 && lines[end - 1] === '') end--
  if (end > 2 && lines[end - 1]!.startsWith('[Output truncated.') && lines[end - 2] === '') end -= 2
  if (end < 2) return undefined
  let expected = -1
  const out: string[] = []
  for (let k = 0; k < end; k++) {
    const m = DOT_NUMBER.exec(lines[k]!)
    if (!m) return undefined
    const n = Number(m[1])
    if (expected !== -1 && n !== expected) return undefined
    expected = n + 1
    out.push(`${m[1]}\t${lines[k]!.slice(m[0].length)}`)
  }
  return [...out, ...lines.slice(end)].join('\n')
}

const DOT_NUMBER = /^(\d{1,9})\.(?: |(?=\r?$))/
/** The same number at an output's start, its line's end a newline. */
const DOT_NUMBER_START = /^\d{1,9}\.(?:[ \n]|\r\n|\r?$)/

/** A range of line numbers, [from, to). */
type LineRange = [number, number]

/** Markers harnesses put where they cut an output. */
export const ELISION =
  /<elided_chars>|\[\.\.\. ?\d+ (?:lines|characters|chars) truncated|\.\.\. \[\d+ lines truncated\] \.\.\.|\[\.\.\. omitted \d+ of \d+ lines|<response clipped>|\[Output truncated|Output too large|output of your last command was too long|…\d+ (?:tokens|chars|characters|lines) truncated…|\(Results are truncated\. Consider using a more specific path or pattern\.\)|\(Results truncated: showing \d+ of \d+ matches|\.\.\.\d+ bytes truncated\.\.\.|\[\.\.\. output truncated to fit \d+ bytes \.\.\.\]/i

export interface Shown {
  /** Part of the output was cut out before the model saw it. */
  elided: boolean
  /** Line numbers printed beside the lines (merged into ranges), when the output numbers its lines. */
  numbered?: LineRange[]
  /** Lines in the part of the output the model saw first (before any cut). */
  headLines: number
  /** Whole lines in the part shown after the cut, when there is one. */
  tailLines?: number
  /** The output was empty (or only whitespace). */
  empty: boolean
}

/**
 * A cheap test before the marker regex: every marker holds one of these words (short prefixes scan faster), and
 * Codex opens an output it cut with "Total output lines: N".
 */
const MAYBE_ELIDED = /elid|trunc|omitt|clipp|too l|Total output lines/

function mayBeElided(text: string): boolean {
  // Harnesses cut only long outputs, and announce it at the start (mini-swe-agent's warning, Codex's
  // "Total output lines") or the end (Claude Code's "[N lines truncated]"): scan a long output's ends first. (A cut
  // may also sit in the middle, `…N tokens truncated…`: an output of a few thousand characters is scanned whole.)
  if (text.length <= 8000) return MAYBE_ELIDED.test(text)
  return MAYBE_ELIDED.test(text.slice(0, 1500)) || MAYBE_ELIDED.test(text.slice(-1500)) || MAYBE_ELIDED.test(text)
}

/** Where a harness cut an output: the end of the part shown first, and the start of the part shown last. */
const CUT_START =
  /<\/output_head>|\[\.\.\. output truncated to fit \d+ bytes \.\.\.\]|<elided_chars>|\.\.\.\d+ bytes truncated\.\.\.|\.\.\. \[\d+ lines truncated\]|\[\.\.\. ?\d+ (?:lines|characters|chars) truncated|\[\.\.\. omitted|<response clipped>|…\d+ (?:tokens|chars|characters|lines) truncated…/
const CUT_END =
  /output truncated to fit \d+ bytes \.\.\.\]\n\n?|<\/elided_chars>\s*(?:<output_tail>)?\n?|\d+ lines truncated\] \.\.\.\n?|(?:lines|characters|chars) truncated \.\.\.\]\n?|omitted \d+ of \d+ lines(?: \.\.\.)?\]\n\n?|(?:tokens|chars|characters|lines) truncated…\n?/

/**
 * What a harness writes above a command's output: Codex's exec header (≥ 0.1xx: `Command: …` of exec_command, on as
 * many lines as the command has (a heredoc's),
 * `Exit code: N` of shell_command, `Chunk ID: …`, `Wall time: …`, `Process exited with code N`, `Original token
 * count: N`, `Output:`; a code-mode cell's `Script completed`, `Wall time 0.1 seconds`) and its note of a cut, `Total
 * output lines: N`.
 */
const HARNESS_HEADER =
  /^(?:<path>[^\n]*<\/path>\n<type>file<\/type>\n<content>\n?|(?:(?:Command: [^\n]*\n(?:(?!Exit code: |Chunk ID: |Script |Wall time|Process |Original token count: |Output:\n)[^\n]*\n)*)?(?:Exit code: -?\d+\n)?(?:Chunk ID: [^\n]*\n)?(?:Script (?:completed|failed|running with cell ID \d+)\n)?(?:Wall time:? [^\n]*\n)?(?:Process (?:exited with code \d+|running with session ID \d+)\n)?(?:Original token count: \d+\n)?Output:\n)?(?:Total output lines: \d+\n\n?)?)/

/** Where an output's own text starts, past what a harness wrote above it (Codex's exec header; see HARNESS_HEADER). */
export function harnessHeaderEnd(text: string): number {
  // Claude Code's answer for a command that printed nothing is the harness's text, not a line of output.
  if (noOutputNote(text)) return text.length
  // (A header opens with one of a few letters: any other first one, and there is none, without running the pattern.)
  if (!HEADER_OPENERS.has(text.charCodeAt(0))) return 0
  return HARNESS_HEADER.exec(text)?.[0].length ?? 0
}

/** The first characters HARNESS_HEADER's parts open with: `<path>`, `Command:`, `Exit code:`, `Chunk ID:`, `Script`, `Wall time`, `Process`, `Original token count:`, `Output:`, `Total output lines:`. */
const HEADER_OPENERS: ReadonlySet<number> = new Set([...'<CESWPOT'].map(c => c.charCodeAt(0)))

/** Whether an output is Claude Code's note that its Bash command printed nothing. */
export function noOutputNote(text: string): boolean {
  return text.charCodeAt(0) === 40 && NO_OUTPUT_NOTE.test(text)
}

/** What Claude Code's Bash answers for a command that printed nothing. */
const NO_OUTPUT_NOTE = /^\(Bash completed with no output\)\s*$/

/** An output's own text, past what a harness wrote above it (see `harnessHeaderEnd`). */
export function outputBody(text: string): string {
  return text.slice(harnessHeaderEnd(text))
}

/** The length of the whole output when the harness states it above the part it kept (Codex's "Total output lines: N"). */
export function statedLines(text: string): number | undefined {
  const header = text.slice(0, harnessHeaderEnd(text))
  const m = /Total output lines: (\d+)\n/.exec(header)
  return m ? Number(m[1]) : undefined
}

/**
 * Whether a tool states the lines it shows above them: Gemini CLI's read_file and Desktop Commander's (an MCP server:
 * `mcp__desktop-commander__read_file`). Only theirs is read so: the same words at the head of another tool's output
 * (`head` of a file that begins with them) are the file's.
 */
export function statesItsLines(toolName: string): boolean {
  return toolName === 'read_file' || toolName.endsWith('__read_file')
}

/** Where the lines of such a tool's output start, past its statement of them (0 where it makes none). */
export function statedHeaderEnd(text: string): number {
  return STATED_HEADER.exec(text)?.[0].length ?? 0
}

const STATED_HEADER =
  /^(?:\n?IMPORTANT: The file content has been truncated\.\nStatus: Showing lines \d+-\d+ of \d+ total lines\.\nAction: [^\n]*\n\n--- FILE CONTENT \(truncated\) ---\n|\[Reading \d+ lines? from (?:start|line \d+) \(total: \d+ lines?, \d+ remaining\)\]\n\n?)/

/**
 * The lines a file tool says it showed and the file's length, where it states them above the lines (Gemini CLI's
 * read_file of a range or of a long file: `Status: Showing lines 70-110 of 555 total lines.`; Desktop Commander's):
 * `[first, last, total]`. Only for a tool that does (see `statesItsLines`).
 */
export function statedFileLines(text: string): [number, number, number] | undefined {
  const c = text.charCodeAt(text.charCodeAt(0) === 10 ? 1 : 0)
  if (c === 73) {
    const m = GEMINI_READ_STATUS.exec(text)
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
  }
  if (c !== 91) return undefined
  // Desktop Commander's read_file (an MCP server): `[Reading 107 lines from line 80 (total: 188 lines, 1 remaining)]`,
  // its line counted from 0 (its `offset`); `from start`: from line 1.
  const m = READING_STATUS.exec(text)
  if (!m) return undefined
  const first = m[2] === undefined ? 1 : Number(m[2]) + 1
  return [first, first + Number(m[1]) - 1, Number(m[3])]
}

const READING_STATUS = /^\[Reading (\d+) lines? from (?:start|line (\d+)) \(total: (\d+) lines?, \d+ remaining\)\]\n/

const GEMINI_READ_STATUS =
  /^\n?IMPORTANT: The file content has been truncated\.\nStatus: Showing lines (\d+)-(\d+) of (\d+) total lines\.\n/

/**
 * Tags harnesses open an output with (mini-swe-agent's `<returncode>`, Claude Code's `<tool_use_error>`, Gemini CLI's
 * `<tool_output_masked>` around the head and tail of an output it later masked in the session file, JSON-encoded…).
 */
const HARNESS_TAG =
  /^\s*<\/?(?:returncode|output|warning|system-reminder|tool_use_error|error|stdout|stderr|persisted-output|exit_code|result|function_results|tool_output_masked)\b/

/**
 * The whole lines the model saw first, as `shownOf` counts them: after the harness's header (Codex's) or
 * `<output_head>` (mini-swe-agent's), up to any cut, the last line before a cut left out (it may be partial);
 * undefined where the output opens with other text of the harness.
 */
export function headLines(text: string, shown: Shown): string[] | undefined {
  let body = text.slice(harnessHeaderEnd(text))
  const head = body.indexOf('<output_head>')
  if (head !== -1) body = body.slice(head + 13).replace(/^\n/, '')
  // (A harness's own tag, not a file's first line: `<template>`, `<?xml`, `<!DOCTYPE` are text.)
  if (HARNESS_TAG.test(body)) return undefined
  return body.split('\n', shown.elided ? shown.headLines - 1 : shown.headLines)
}

/**
 * Where a note the harness appended after the output begins (Claude Code's `<system-reminder>` after a Read's lines),
 * or the output's end: no line of what the tool showed.
 */
export function reminderAt(text: string): number {
  // OpenCode's read: its lines end before `(End of file - total N lines)` (or its note of more lines, `(Showing lines
  // 230-279 of 748. Use offset=280 to continue.)` in 1.17) and `</content>`.
  if (text.endsWith(CONTENT_CLOSE) && text.startsWith('<path>')) {
    const close = text.length - CONTENT_CLOSE.length
    const note = text.lastIndexOf('\n(', close)
    return note !== -1 &&
      /^\n\((?:End of file|File has more lines|Output capped|Showing lines)/.test(text.slice(note, note + 24))
      ? endOfText(text, note)
      : endOfText(text, close)
  }
  // The first of the blocks that run to the output's end (one or more), walked back from the end: linear in the
  // output whatever it holds.
  let i = endOfText(text, text.length)
  let start = -1
  while (i >= REMINDER_CLOSE.length && text.startsWith(REMINDER_CLOSE, i - REMINDER_CLOSE.length)) {
    const open = text.lastIndexOf(REMINDER_OPEN, i - REMINDER_CLOSE.length)
    if (open === -1) break
    start = open
    i = endOfText(text, open)
  }
  // (A block that opens a line, after the tool's own lines.)
  return start > 0 && text.charCodeAt(start - 1) === 10 ? start : text.length
}

const REMINDER_OPEN = '<system-reminder>'
/** How OpenCode's read closes the lines it shows. */
const CONTENT_CLOSE = '</content>'

/**
 * The file's length that OpenCode's read states in its closing note (`(End of file - total 3 lines)`, `(Showing lines
 * 230-279 of 748. Use offset=280 to continue.)`), or undefined where it states none.
 */
export function notedFileLines(text: string): number | undefined {
  if (!text.startsWith('<path>') || !text.endsWith(CONTENT_CLOSE)) return undefined
  const m = OPENCODE_LENGTH.exec(text.slice(Math.max(0, text.length - 200)))
  return m ? Number(m[1] ?? m[2]) : undefined
}

const OPENCODE_LENGTH = /\n\((?:End of file - total (\d+) lines?|Showing lines \d+-\d+ of (\d+)\.)/

const REMINDER_CLOSE = '</system-reminder>'

/** Where the text before `to` ends, white space left out. */
function endOfText(text: string, to: number): number {
  let i = to
  while (i > 0 && /\s/.test(text[i - 1]!)) i--
  return i
}

/** Reads what an output showed: one pass over its lines, no copies in the common (uncut) case. */
export function shownOf(text: string | undefined): Shown | undefined {
  if (text === undefined) return undefined
  const elided = mayBeElided(text) && ELISION.test(text)
  const scanner = new LineScanner(text)
  // Codex's run header (`Chunk ID`, `Wall time`, `Output:`) and "Total output lines: N" are no lines of the output.
  const start = harnessHeaderEnd(text)
  const empty = !/\S/.test(start ? text.slice(start) : text)
  if (!elided) {
    scanner.scan(start, reminderAt(text), false, false)
    const out: Shown = {elided, headLines: scanner.lines, empty}
    const numbered = scanner.ranges()
    if (numbered) out.numbered = numbered
    return out
  }
  // A cut: the part before it and the part after it, each without the partial line at the cut.
  let headStart = start
  let headEnd = text.length
  let tailStart = -1
  const cut = text.search(CUT_START)
  if (cut !== -1) {
    headEnd = cut
    const end = CUT_END.exec(text.slice(cut, cut + 400))
    if (end) tailStart = cut + end.index + end[0].length
  }
  const open = text.indexOf('<output_head>')
  if (open !== -1 && open < headEnd) headStart = open + 13
  if (text.charCodeAt(headEnd - 1) === 10) headEnd--
  scanner.scan(headStart, headEnd, false, true)
  const out: Shown = {elided, headLines: scanner.lines, empty}
  if (tailStart !== -1) {
    let tailEnd = text.indexOf('</output_tail>', tailStart)
    if (tailEnd === -1) tailEnd = text.length
    // (Nothing after the cut but white space: the head alone was kept, as Codex's cut to its byte limit does.)
    if (/\S/.test(text.slice(tailStart, tailEnd))) {
      scanner.scan(tailStart, tailEnd, true, false)
      out.tailLines = scanner.lines - out.headLines
    }
  }
  const numbered = scanner.ranges()
  if (numbered) out.numbered = numbered
  return out
}

/** Counts the lines of parts of `text` and collects the line numbers they print (a class: no closures per output). */
class LineScanner {
  private readonly numbers: number[] = []
  private contentLines = 0
  lines = 0

  constructor(private readonly text: string) {}

  /** Scans `text[from, to)`, leaving out a partial first or last line. */
  scan(from: number, to: number, dropFirst: boolean, dropLast: boolean): void {
    const text = this.text
    let i = from
    let first = true
    while (i < to) {
      let j = text.indexOf('\n', i)
      if (j === -1 || j > to) j = to
      const last = j >= to
      if (!(first && dropFirst) && !(last && dropLast)) {
        if (!(last && j === i)) this.lines++
        const n = lineNumberAt(text, i, j)
        if (n !== -2) {
          this.contentLines++
          if (n >= 0 && !omittedAt(text, i, j)) this.numbers.push(n)
        }
      }
      first = false
      i = j + 1
    }
  }

  /**
   * The numbers as merged ranges; undefined unless most lines are numbered (headers like "[File: …]" aside). Lines
   * numbered from 0 are each one place further (no file has a line 0: Claude Code 2.0's Read asked for offset 0 numbers
   * the file's first line 0).
   */
  ranges(): LineRange[] | undefined {
    const numbers = this.numbers[0] === 0 ? this.numbers.map(n => n + 1) : this.numbers
    if (numbers.length < 2 || numbers.length < this.contentLines * 0.6) return undefined
    const ranges: LineRange[] = []
    let start = numbers[0]!
    let prev = start
    for (let k = 1; k < numbers.length; k++) {
      const n = numbers[k]!
      if (n === prev + 1 || n === prev) {
        prev = n
        continue
      }
      ranges.push([start, prev + 1])
      start = n
      prev = n
    }
    ranges.push([start, prev + 1])
    return ranges
  }
}

/**
 * Whether the numbered line at `text[from, to)` is ripgrep's stand-in for a line longer than its `--max-columns`
 * (`12:[Omitted long matching line]`), or its start alone (`--max-columns-preview`): that line's number, not its
 * text, was shown.
 */
function omittedAt(text: string, from: number, to: number): boolean {
  // (Looked for only where each can stand: the stand-in within the number's 12 columns, the preview's marker at the
  // line's end or before one last character, a `\r`. Searching the text from there was quadratic in a long output.)
  const last = Math.min(from + 12, to - OMITTED_LONG.length)
  for (let k = from; k <= last; k++) if (text.charCodeAt(k) === 91 && text.startsWith(OMITTED_LONG, k)) return true
  const end = to - OMITTED_END.length
  return (
    (end >= from && text.startsWith(OMITTED_END, end)) || (end - 1 >= from && text.startsWith(OMITTED_END, end - 1))
  )
}

const OMITTED_LONG = '[Omitted long '
const OMITTED_END = '[... omitted end of long line]'

/** Whether a numbered line of a search's output is ripgrep's stand-in for a long line (see `omittedAt`). */
export function omittedLine(line: string): boolean {
  return omittedAt(line, 0, line.length)
}

/**
 * The line number a line of output starts with (`   12\t`, `    12→`, `12:`,
 * `12-` in grep context), -1 when it has none, -2 for a blank line.
 */
export function lineNumberAt(text: string, from: number, to: number): number {
  let i = from
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++
  if (i >= to || text.charCodeAt(i) === 13) return -2
  let n = 0
  const digits = i
  while (i < to) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) break
    n = n * 10 + (c - 48)
    i++
  }
  if (i === digits || i - digits > 9) return -1
  const c = text.charCodeAt(i)
  if (c === 9 || c === 0x2192 || c === 58) return n
  if (c === 45 && (i + 1 >= to || text.charCodeAt(i + 1) === 32)) return n
  // (Cline's read_file: `12 | text`.)
  if (c === 32 && text.charCodeAt(i + 1) === 124 && (i + 2 >= to || text.charCodeAt(i + 2) === 32)) return n
  return -1
}

/** Whether a search output reports no hits (Codex's run header is no hit). */
export function noHits(text: string): boolean {
  const t = text.slice(harnessHeaderEnd(text)).trim()
  return t === '' || /^(?:No files found|No matches found|No matches|0 matches|Found 0 |No results)/i.test(t)
}

/** The final line of an uncaught Python exception, or a shell's "command not found": a failure whatever the exit code. */
const FAILURE_END =
  /(?:^Traceback \(most recent call last\):[\s\S]*\n(?:[\w.]+(?:Error|Exception|Exit|Interrupt)\b[^\n]*)\s*$)|(?:^|\n)[^\n]*: command not found\s*$/

/** Python's own refusal to start, as its last line: `python -m x` without x, `python missing.py`. */
const INTERPRETER_FAILURE =
  /(?:^|\n)[^\n]*\bpython[\d.]*: (?:No module named [\w.]+|can't open file [^\n]*No such file or directory)\s*$/

/**
 * Whether an output ends in a JavaScript error's stack (see `JS_STACK_END`): a program an error stopped, when the
 * command ran one (the flag context decides that: a log shown through a pipe may end in an error it logged).
 */
export function endsInJsStack(text: string | undefined): boolean {
  return text !== undefined && JS_STACK_END.test(text.length > 4000 ? text.slice(-4000) : text)
}

/**
 * A JavaScript error's stack ending the output: its line (`Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'vite'`,
 * `TypeError: x is not a function`) and nothing after its `at` frames but Node's error fields and version (how Node
 * ends a program an error stopped, and how a tool prints the error it stopped on: `error during build:` and the stack).
 */
const JS_STACK_END =
  /(?:^|\n)[\w.]*(?:Error|Exception)(?: \[[A-Z_]+\])?: [^\n]*(?:\n[^\n]*){0,3}?(?:\n {4}at [^\n]+)+(?:\n\s*\{(?:\n [^\n]*)*\n\})?(?:\s*\n\s*Node\.js v[\d.]+)?\s*$/

/** A program's refusal to read a folder as a file, as its last line: `nl: src: Is a directory`. */
const DIRECTORY_FAILURE = /(?:^|\n)[\w.-]+: [^\n]*Is a directory\s*$/

/** git's own abort (exit 128) near the output's end: `fatal: Could not read from remote repository.` and its advice. */
const GIT_FATAL = /(?:^|\n)fatal: [^\n]+(?:\n[^\n]*){0,4}\s*$/

/**
 * Whether an output ends in git's own abort (`git ls-remote … | grep … || true` exits 0): a failure of a command line
 * that runs git alone (the flag context decides that; a line that ran other commands too did those).
 */
export function gitAborted(text: string | undefined): boolean {
  if (!text) return false
  return GIT_FATAL.test(text.length > 300 ? text.slice(-300) : text)
}

/**
 * A search pattern grep or rg could not compile, as the whole output (after a harness's header): it fails before it
 * reads a file, so nothing else is printed (`grep -rn "a\)" . || true` exits 0).
 */
const REGEX_FAILURE =
  /^(?:(?:(?:grep|egrep|ugrep): (?:Unmatched|Invalid|Trailing backslash)[^\n]*\s*)+|(?:rg: )?regex parse error:\n[\s\S]*\nerror: [^\n]+\s*)$/

/** Whether an output is grep's or rg's refusal of its search pattern (see REGEX_FAILURE): a failure whatever the exit code. */
export function regexFailed(text: string): boolean {
  if (text.length > 2000 || !/(?:Unmatched|Invalid|Trailing backslash|error: )[^\n]*\s*$/.test(text)) return false
  return REGEX_FAILURE.test(text.slice(harnessHeaderEnd(text)).trimStart())
}

/**
 * pytest's last line when tests failed or could not be collected (`1 failed, 11 passed in 4.12s`, `=== 3 errors in
 * 0.25s ===`, with `-q` or without): pytest exits non-zero then, whatever a pipe after it returns.
 */
const PYTEST_FAILED_END =
  /(?:^|\n)=*\s*(?:\d+ (?:passed|skipped|deselected|xfailed|xpassed|warnings?), )*\d+ (?:failed|errors?)\b[^\n]*? in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?\s*=*\s*$/

/** Whether an output shows a failure that its exit code hides (a pipe through `tail` returns tail's 0). */
export function showsFailure(text: string | undefined): boolean {
  if (!text) return false
  // These failures end the output: look at its last line before anything else.
  const end = text.length > 300 ? text.slice(-300) : text
  if (INTERPRETER_FAILURE.test(end) || DIRECTORY_FAILURE.test(end) || PYTEST_FAILED_END.test(end)) return true
  if (regexFailed(text)) return true
  if (!/(?:Error|Exception|Exit|Interrupt|KeyboardInterrupt)\b[^\n]*\s*$|command not found\s*$/.test(end)) return false
  const tail = text.length > 4000 ? text.slice(-4000) : text
  if (
    /Traceback \(most recent call last\):/.test(tail) ||
    /Traceback \(most recent call last\):/.test(text.slice(0, 2000))
  )
    return FAILURE_END.test(tail.slice(tail.indexOf('Traceback')))
  return /(?:^|\n)[^\n]*: command not found\s*$/.test(tail)
}

/**
 * Whether a program caught an exception, printed its traceback and ended by reporting it
 * (`print(f"Import error: {e!r}")` after `traceback.print_exc()`): the traceback's own last line is
 * repeated in the output's last line, with more around it. It failed at what it was run for, whatever
 * its exit code says.
 */
export function reportsCaughtFailure(text: string | undefined): boolean {
  if (!text) return false
  // Its last line names an exception: look at the end before anything else (most outputs stop here).
  if (!REPORT_END.test(text.length > 300 ? text.slice(-300) : text)) return false
  const tail = text.length > 4000 ? text.slice(-4000) : text
  const at = tail.lastIndexOf('Traceback (most recent call last):')
  if (at === -1) return false
  const exception = EXCEPTION_LINE.exec(tail.slice(at))?.[1]?.trim()
  if (!exception || exception.length < 12) return false
  const last = lastLine(tail)
  return last !== exception && last.includes(exception)
}

const REPORT_END = /(?:Error|Exception)\b[^\n]*\s*$/

/** The first line after a traceback's frames that names an exception (`KeyError: 'x'`). */
const EXCEPTION_LINE = /\n([\w.]*[A-Z]\w*(?:Error|Exception)\b[^\n]*)/

function lastLine(text: string): string {
  let end = text.length
  while (end > 0 && /\s/.test(text[end - 1]!)) end--
  return text.slice(text.lastIndexOf('\n', end - 1) + 1, end).trim()
}

/**
 * Whether a shell said a command the call ran does not exist (`bash: line 1: x: command not found`,
 * dash's `sh: 1: x: not found`, `zsh: command not found: x`, zsh's `no matches found: src/(app)/x.ts` for a word it
 * took as a pattern that no file name was meant to match: a path through a folder named in brackets or parentheses, an
 * option (`--include=*.rs`), a URL or a query (`http://h/q?id=1`); `(eval):1:` where Claude Code's Bash runs zsh on
 * macOS): part of what the agent wrote did not run,
 * whatever the exit code of the last command says.
 */
export function reportsCommandNotFound(text: string | undefined, command?: () => string): boolean {
  if (!text) return false
  const head = text.length > 4000 ? text.slice(0, 4000) : text
  return notFound(head) || (text.length > 4000 && notFound(text.slice(-4000))) || zshRefused(head, command)
}

/**
 * The programs a shell said it could not find (`bash: line 1: cargo: command not found`, `zsh: command not found: jq`,
 * dash's `sh: 1: x: not found`), by the word that named them, once per report (a line may run one twice), from the
 * output's first 4,000 characters; undefined when it names none. A script's own lines (`./ops/backup.sh: line 4: dirname: command not found`) name programs that
 * script ran, not the call's.
 */
export function programsNotFound(text: string | undefined): string[] | undefined {
  if (!text) return undefined
  const head = text.length > 4000 ? text.slice(0, 4000) : text
  if (!head.includes('not found') && !head.includes('not recognized') && !PATH_REFUSED.test(head)) return undefined
  const names: string[] = []
  for (const m of head.matchAll(PROGRAM_NOT_FOUND)) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]
    if (name) names.push(name)
  }
  return names.length ? names : undefined
}

/** The words of PROGRAM_NOT_FOUND's reports of a program named by its path, for a first look. */
const PATH_REFUSED = /no such file or directory|permission denied/i

/**
 * One shell's report of a program it could not find: bash or dash (`…sh: [line N: |N: ]x: [command ]not found`), zsh;
 * or of a program named by its path that is not there or may not run (zsh's `no such file or directory: ./x.sh`,
 * `permission denied: ./x.sh`; bash's `./x.sh: No such file or directory`). (Those words also name a redirection's
 * file: only a name that is a command's program counts, see `withAbsentPrograms`.)
 */
const PROGRAM_NOT_FOUND =
  /^(?:stderr: )?(?:\/[\w/.-]*\/)?(?:ba|da|z)?sh: (?:-c: )?(?:line \d+: |\d+: )?(.{1,200}?): (?:command )?not found[ \t]*$|^(?:zsh(?::\d+)?|\(eval\):\d+): command not found: (\S+)[ \t]*$|^'([^'\n]{1,200})' is not recognized as an internal or external command,?[ \t]*$|^(?:stderr: )?(?:zsh(?::\d+)?|\(eval\):\d+): (?:no such file or directory|permission denied): ([^\n]{1,200}?)[ \t]*$|^(?:stderr: )?(?:\/[\w/.-]*\/)?(?:ba|da)?sh: (?:-c: )?(?:line \d+: |\d+: )?([^\n:]{1,200}): (?:No such file or directory|Permission denied)[ \t]*$/gm

/** SHELL_NOT_FOUND, after the native search for what each of its forms holds (`sh: `, or zsh's name). */
function notFound(text: string): boolean {
  return (text.includes('sh: ') || text.includes('zsh')) && SHELL_NOT_FOUND.test(text)
}

const SHELL_NOT_FOUND =
  /(?:^|\n)(?:[\w/.-]*sh: (?:line \d+: |\d+: )?[^\n:]{1,200}: (?:command )?not found|zsh: command not found: \S+)[ \t]*(?:\n|$)/

/**
 * zsh's report that a word it took for a pattern matched no file, for a word no file name was meant to match: a path
 * through a folder named in brackets or parentheses (`app/(tabs)/x.tsx`), an option's value (`--include=*.rs`), a URL
 * or a query (`http://h/q?id=1`). `zsh:1:`, or `(eval):1:` where Claude Code's Bash runs zsh on macOS.
 */
const ZSH_REFUSED =
  /^(?:zsh(?::\d+)?|\(eval\):\d+): no matches found: ([^\s*?]*[[(][^\s*?]*|--?[\w-]+=\S*|\S*(?::\/\/|\?[\w.-]*=)\S*)[ \t]*$/gm

/**
 * Whether zsh refused a word of the call's own command line (see ZSH_REFUSED): the line zsh printed, not one a file or
 * a page the command showed quotes (`cat notes.md`, `gh issue view 12`). Without the command, any such line.
 */
function zshRefused(text: string, command: (() => string) | undefined): boolean {
  if (!text.includes('no matches found: ')) return false
  const line = command?.()
  for (const m of text.matchAll(ZSH_REFUSED)) if (line === undefined || line.includes(m[1]!)) return true
  return false
}

/**
 * Whether an output opens with Windows PowerShell's report that it could not parse the command line (`At line:1
 * char:12` … `The token '||' is not a valid statement separator`, `The string is missing the terminator`, then
 * `+ CategoryInfo : ParserError`): what the agent wrote did not run, whatever the exit code says (Codex's Windows
 * shell can return 0).
 */
export function reportsParseError(text: string | undefined): boolean {
  if (!text) return false
  const body = text.slice(harnessHeaderEnd(text))
  if (!/^(?:At line:\d+ char:\d+\r?\n|The string is missing the terminator)/.test(body)) return false
  return /\n\s*\+ CategoryInfo\s*: ParserError:/.test(body.length > 4000 ? body.slice(0, 4000) : body)
}

/**
 * Whether an output holds, near its start, a PowerShell error record (in English whatever the system's language) that
 * says the script did not run as written.
 */
export function reportsPowerShellError(text: string | undefined): boolean {
  if (!text) return false
  const head = text.length > 4000 ? text.slice(0, 4000) : text
  // A word it took for a command (`= : The term '=' is not recognized`), a script it could not parse, a cmdlet left
  // without the value a variable was to give it: not an error of what ran as written (`Remove-Item : Access … denied`).
  // (The record's field names found first with the native search: the pattern alone steps through every line.)
  if (!head.includes('FullyQualifiedErrorId') && !head.includes('CategoryInfo')) return false
  return /\n\s*\+ (?:FullyQualifiedErrorId : (?:CommandNotFoundException|MissingMandatoryParameter)\b|CategoryInfo\s*: ParserError:)/.test(
    head,
  )
}

/**
 * Whether an output is only `cmd.exe`'s banner and prompt (`Microsoft Windows [Version …]` … `D:\work>`): `cmd /c …`
 * run from Git Bash, whose `/c` became a path, started an interactive cmd that read no command and ran nothing.
 */
export function onlyCmdBanner(text: string | undefined): boolean {
  if (!text || text.length > 2000) return false
  const body = text.slice(harnessHeaderEnd(text)).trim()
  if (!/^Microsoft Windows \[[^\]\n]*\][^\n]*\r?\n/.test(body) || !/\n[A-Za-z]:\\[^\n>]*>$/.test(body)) return false
  // The banner, its copyright line and the prompt, nothing between (cmd fed commands on its input echoes and runs them).
  return body.split('\n').filter(l => l.trim() !== '').length === 3
}

/** What every "no such file" error below holds (a native search each: faster than one pattern of them all). */
const MISSING_WORDS = ['No such file', 'no such file', 'cannot access', 'does not exist', 'ENOENT']

/** The paths a "no such file" error names (as written, unresolved). */
export function missingPaths(text: string | undefined): string[] {
  if (!text) return []
  const head = text.slice(0, 2000)
  if (!MISSING_WORDS.some(w => head.includes(w))) return []
  const out = new Set<string>()
  for (const m of head.matchAll(
    /cannot access '([^']+)'|[‘'`]([^’'`]+)[’'`]: No such file or directory|: ([^\s:'‘]+): open: No such file or directory|(?:^|\n|: )([^\s:'‘]+): No such file or directory|No such file or directory: '([^']+)'|ENOENT: no such file or directory, \w+ '([^']+)'|no such file or directory: (\S+)|File does not exist: (\S+)|does not exist: (\S+)|path '([^']+)' does not exist|IO error for operation on ([^\s:]+): No such file or directory|\bcan't (?:read|open|stat)(?: file)? '?([^\s:']+)'?: No such file or directory|\bcannot open '([^']+)'(?: for reading)?: No such file or directory/gi,
  )) {
    const p = m.slice(1).find(x => x !== undefined)
    if (p && !/^(?:ls|cat|find|cd|tree|head|tail|sed|grep|bash|sh|zsh|python\d?)$/.test(p))
      out.add(p.replace(/[.,;]$/, ''))
  }
  return [...out]
}

/** Claude Code's account of a subagent that used no tool (`tool_uses: 0`). */
const NO_TOOL_USES = /(?:^|\n)tool_uses: 0(?:\n|$)/

/** Whether a subagent's result says it used no tool (it failed to start). */
export function reportsNoToolUses(text: string): boolean {
  return NO_TOOL_USES.test(text)
}

/** The file SWE-agent's viewer shows (its `[File: path (N lines total)]` header), as written. */
export function viewerFile(text: string): string | undefined {
  return /^\[File: ([^\]\n]+?) \(\d+ lines total\)\]/m.exec(text)?.[1]
}

/** Bits of `OutputFacts.bits`: what the output's text says, as the functions above read it. */
export const NO_HITS = 1
export const SHOWS_FAILURE = 2
export const CAUGHT_FAILURE = 4
export const COMMAND_NOT_FOUND = 8
export const NO_TOOL_USES_REPORTED = 16
export const GIT_ABORTED = 32
export const PARSE_ERROR = 64
export const POWERSHELL_ERROR = 128
export const CMD_BANNER = 256
export const REGEX_FAILED = 512
export const JS_STACK = 1024

/**
 * What the flag stage asks of an output, read once from its text: kept with an
 * output the card holds packed, so flagging need not unpack it (an output is
 * unpacked only to be compared with another).
 */
export interface OutputFacts {
  /**
   * `NO_HITS` | `SHOWS_FAILURE` | `CAUGHT_FAILURE` | `COMMAND_NOT_FOUND` | `NO_TOOL_USES_REPORTED` | `GIT_ABORTED` |
   * `PARSE_ERROR` | `POWERSHELL_ERROR` | `CMD_BANNER` | `REGEX_FAILED` | `JS_STACK`.
   */
  readonly bits: number
  readonly shown: Shown
  /** The paths it reports missing, as written (absent when none). */
  readonly missing?: readonly string[]
  /** SWE-agent's open file, from the viewer's header (SWE-agent outputs only). */
  readonly file?: string
}

/**
 * The facts of an output (`swe`: a SWE-agent trace's, whose viewer header names the open file; `command`: the call's
 * arguments as text, for what the shell said of its words).
 */
export function outputFacts(output: string, swe: boolean, tool?: string, command?: () => string): OutputFacts {
  const text = outputText(output, tool)
  let bits = 0
  if (noHits(text)) bits |= NO_HITS
  if (showsFailure(text)) bits |= SHOWS_FAILURE
  if (endsInJsStack(text)) bits |= JS_STACK
  if (reportsCaughtFailure(text)) bits |= CAUGHT_FAILURE
  if (reportsCommandNotFound(text, command)) bits |= COMMAND_NOT_FOUND
  if (reportsNoToolUses(text)) bits |= NO_TOOL_USES_REPORTED
  if (gitAborted(text)) bits |= GIT_ABORTED
  if (reportsParseError(text)) bits |= PARSE_ERROR
  if (reportsPowerShellError(text)) bits |= POWERSHELL_ERROR
  if (onlyCmdBanner(text)) bits |= CMD_BANNER
  if (regexFailed(text)) bits |= REGEX_FAILED
  const facts: {bits: number; shown: Shown; missing?: string[]; file?: string} = {bits, shown: shownOf(text)!}
  const missing = missingPaths(text)
  if (missing.length) facts.missing = missing
  if (swe) {
    const file = viewerFile(text)
    if (file !== undefined) facts.file = file
  }
  return facts
}
