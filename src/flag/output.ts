/**
 * What a tool's output showed the model: which numbered lines of a file
 * (`cat -n`, `nl`, Claude Code's Read, SWE-agent's viewer, `grep -n`), whether
 * the harness cut part of it out (mini-swe-agent's `<elided_chars>`, Claude
 * Code's "[N lines truncated]"), whether it reports a failure even though no
 * exit code says so, and which missing path a failure names.
 */
import type {Range} from './effects.js'

/** Markers harnesses put where they cut an output. */
const ELISION =
  /<elided_chars>|\[\.\.\. ?\d+ (?:lines|characters|chars) truncated|\.\.\. \[\d+ lines truncated\] \.\.\.|\[\.\.\. omitted \d+ of \d+ lines|<response clipped>|\[Output truncated|Output too large|output of your last command was too long|…\d+ (?:tokens|chars|characters|lines) truncated…/i

export interface Shown {
  /** Part of the output was cut out before the model saw it. */
  elided: boolean
  /** Line numbers printed beside the lines (merged into ranges), when the output numbers its lines. */
  numbered?: Range[]
  /** Lines in the part of the output the model saw first (before any cut). */
  headLines: number
  /** Whole lines in the part shown after the cut, when there is one. */
  tailLines?: number
  /** The output was empty (or only whitespace). */
  empty: boolean
}

/** A cheap test before the marker regex: every marker holds one of these words (short prefixes scan faster). */
const MAYBE_ELIDED = /elid|trunc|omitt|clipp|too l/

function mayBeElided(text: string): boolean {
  // Harnesses cut only long outputs, and announce it at the start (mini-swe-agent's warning, Codex's
  // "Total output lines") or the end (Claude Code's "[N lines truncated]"): scan a short output's ends only.
  if (text.length <= 3000) return MAYBE_ELIDED.test(text)
  if (MAYBE_ELIDED.test(text.slice(0, 1500)) || MAYBE_ELIDED.test(text.slice(-1500))) return true
  return text.length > 8000 && MAYBE_ELIDED.test(text)
}

/** Where a harness cut an output: the end of the part shown first, and the start of the part shown last. */
const CUT_START =
  /<\/output_head>|<elided_chars>|\.\.\. \[\d+ lines truncated\]|\[\.\.\. ?\d+ (?:lines|characters|chars) truncated|\[\.\.\. omitted|<response clipped>|…\d+ (?:tokens|chars|characters|lines) truncated…/
const CUT_END =
  /<\/elided_chars>\s*(?:<output_tail>)?\n?|\d+ lines truncated\] \.\.\.\n?|(?:lines|characters|chars) truncated \.\.\.\]\n?|omitted \d+ of \d+ lines\]\n?|(?:tokens|chars|characters|lines) truncated…\n?/

/** Reads what an output showed: one pass over its lines, no copies in the common (uncut) case. */
export function shownOf(text: string | undefined): Shown | undefined {
  if (text === undefined) return undefined
  const empty = !/\S/.test(text)
  const elided = mayBeElided(text) && ELISION.test(text)
  const scanner = new LineScanner(text)
  if (!elided) {
    scanner.scan(0, text.length, false, false)
    const out: Shown = {elided, headLines: scanner.lines, empty}
    const numbered = scanner.ranges()
    if (numbered) out.numbered = numbered
    return out
  }
  // A cut: the part before it and the part after it, each without the partial line at the cut.
  let headStart = 0
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
    scanner.scan(tailStart, tailEnd, true, false)
    out.tailLines = scanner.lines - out.headLines
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
          if (n >= 0) this.numbers.push(n)
        }
      }
      first = false
      i = j + 1
    }
  }

  /** The numbers as merged ranges; undefined unless most lines are numbered (headers like "[File: …]" aside). */
  ranges(): Range[] | undefined {
    const numbers = this.numbers
    if (numbers.length < 2 || numbers.length < this.contentLines * 0.6) return undefined
    const ranges: Range[] = []
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
 * The line number a line of output starts with (`   12\t`, `    12→`, `12:`,
 * `12-` in grep context), -1 when it has none, -2 for a blank line.
 */
function lineNumberAt(text: string, from: number, to: number): number {
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
  return -1
}

/** The result lines of a search output, stripped of file and line-number prefixes, for comparing hits. */
export function hitLines(text: string): string[] {
  const out: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw
      .replace(/^(?:[^\s:]+:)?\d+[:-]/, '')
      .replace(/^[^\s:]+:/, '')
      .trim()
    if (line && line !== '--') out.push(line)
  }
  return out
}

/** Whether a search output reports no hits. */
export function noHits(text: string): boolean {
  const t = text.trim()
  return t === '' || /^(?:No files found|No matches found|No matches|0 matches|Found 0 |No results)/i.test(t)
}

/** The final line of an uncaught Python exception, or a shell's "command not found": a failure whatever the exit code. */
const FAILURE_END =
  /(?:^Traceback \(most recent call last\):[\s\S]*\n(?:[\w.]+(?:Error|Exception|Exit|Interrupt)\b[^\n]*)\s*$)|(?:^|\n)[^\n]*: command not found\s*$/

/** Python's own refusal to start, as its last line: `python -m x` without x, `python missing.py`. */
const INTERPRETER_FAILURE =
  /(?:^|\n)[^\n]*\bpython[\d.]*: (?:No module named [\w.]+|can't open file [^\n]*No such file or directory)\s*$/

/** Whether an output shows a failure that its exit code hides (a pipe through `tail` returns tail's 0). */
export function showsFailure(text: string | undefined): boolean {
  if (!text) return false
  // Both failures end the output: look at its last line before anything else.
  const end = text.length > 300 ? text.slice(-300) : text
  if (INTERPRETER_FAILURE.test(end)) return true
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
 * dash's `sh: 1: x: not found`, `zsh: command not found: x`): part of what the agent wrote did not run,
 * whatever the exit code of the last command says.
 */
export function reportsCommandNotFound(text: string | undefined): boolean {
  if (!text) return false
  const head = text.length > 4000 ? text.slice(0, 4000) : text
  return SHELL_NOT_FOUND.test(head) || (text.length > 4000 && SHELL_NOT_FOUND.test(text.slice(-4000)))
}

const SHELL_NOT_FOUND =
  /(?:^|\n)(?:[\w/.-]*sh: (?:line \d+: |\d+: )?[^\n:]{1,200}: (?:command )?not found|zsh: command not found: \S+)[ \t]*(?:\n|$)/

/** A failure's signature for comparing two failures: its last error line (or first line), trimmed. */
export function errorSignature(text: string | undefined): string {
  if (!text) return ''
  const lines = (text.length > 6000 ? text.slice(-6000) : text)
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 40; i--) {
    const l = lines[i]!
    if (
      /(?:error|exception|not found|no such file|denied|invalid|failed|cannot|refused|unable|must|not read yet)/i.test(
        l,
      )
    ) {
      // The shell's own line number (`bash: line 2: x: command not found`) does not make another failure.
      const line = l
        .replace(/\s+/g, ' ')
        .replace(/<\/?tool_use_error>/g, '')
        .replace(/^([\w/.-]*sh): (?:line )?\d+: /, '$1: ')
      // A program's own report of an exception (`Import error: KeyError: 'x'`) is that exception.
      return REPORTED_EXCEPTION.exec(line)?.[1] ?? line
    }
  }
  return (lines[0] ?? '').replace(/\s+/g, ' ')
}

/** An exception named inside a longer line, after something of the program's own (`Failed: ValueError: bad`). */
const REPORTED_EXCEPTION = /^.*?[^\w.]((?:[a-z_][\w]*\.)*[A-Z]\w*(?:Error|Exception): .{8,})$/

/** The paths a "no such file" error names (as written, unresolved). */
export function missingPaths(text: string | undefined): string[] {
  if (!text) return []
  const head = text.slice(0, 2000)
  if (!/[Nn]o such file|cannot access|does not exist|ENOENT/.test(head)) return []
  const out = new Set<string>()
  for (const m of head.matchAll(
    /cannot access '([^']+)'|[‘'`]([^’'`]+)[’'`]: No such file or directory|(?:^|\n|: )([^\s:'‘]+): No such file or directory|No such file or directory: '([^']+)'|ENOENT: no such file or directory, \w+ '([^']+)'|no such file or directory: (\S+)|File does not exist: (\S+)|does not exist: (\S+)|path '([^']+)' does not exist/gi,
  )) {
    const p = m.slice(1).find(x => x !== undefined)
    if (p && !/^(?:ls|cat|find|cd|tree|head|tail|sed|grep|bash|sh|zsh|python\d?)$/.test(p))
      out.add(p.replace(/[.,;]$/, ''))
  }
  return [...out]
}

/**
 * Whether a failure is about the environment (a module, package or command
 * that is not installed): only an install, or something aco cannot see,
 * changes its outcome, whatever command meets it.
 */
export function isEnvironmentError(signature: string): boolean {
  return /No module named |ModuleNotFoundError|: command not found$|Cannot find module ['"]|is not installed|must be installed|not recognized as an internal or external command|cannot import name '[^']+' from '[^']+' \([^)]*(?:site|dist)-packages[\\/]/.test(
    signature,
  )
}

/** One frame of a stack trace: the file and line of code a failure passed through. */
export interface Frame {
  file: string
  line: number
}

/**
 * The frames of the last stack trace in an output, outermost first: Python's
 * `File "x.py", line 12` and Node's `at f (/x.js:12:3)`. Empty when the output
 * has none (or it was cut from the part kept).
 */
export function stackFrames(text: string | undefined): Frame[] {
  if (!text) return []
  const tail = text.length > 20_000 ? text.slice(-20_000) : text
  const start = tail.lastIndexOf('Traceback (most recent call last):')
  const frames: Frame[] = []
  if (start !== -1) {
    for (const m of tail.slice(start).matchAll(/^\s*File "([^"]+)", line (\d+)/gm))
      frames.push({file: m[1]!, line: Number(m[2])})
    return frames
  }
  // Node: innermost first; reversed to outermost first.
  for (const m of tail.matchAll(/^\s+at (?:[^\n(]*\()?((?:\/|[A-Za-z]:\\)[^\n():]+):(\d+):\d+\)?$/gm))
    frames.push({file: m[1]!, line: Number(m[2])})
  return frames.reverse()
}

/** Lines of an output that are a harness's, not the file's: cut markers, Codex's exec header, reminders. */
const HARNESS_LINE =
  /^(?:<\/?(?:output_head|output_tail|elided_chars|returncode|output|warning)>|Chunk ID: |Wall time: |Process exited with code |Original token count: |Output:$|Exit code: |\[?\.\.\. ?\d+ (?:lines|characters|chars) (?:truncated|elided))/

/**
 * The lines an output showed, as text: line-number prefixes (`12:`, `12-`, `   12\t`, `12→`) and surrounding
 * space removed, blank lines and harness lines left out, at most `max`. For outputs that print a file's lines without their
 * numbers (`grep -A 50`, `sed -n`, a script printing source), whose lines can then only be placed by their text.
 */
export function textLines(text: string, max = 5000): string[] {
  const reminder = text.indexOf('<system-reminder>')
  const body = reminder === -1 ? text : text.slice(0, reminder)
  const out: string[] = []
  let i = 0
  while (i < body.length && out.length < max) {
    let j = body.indexOf('\n', i)
    if (j === -1) j = body.length
    const n = lineNumberAt(body, i, j)
    let from = i
    if (n >= 0) {
      // Skip the number and the one separator after it.
      while (body.charCodeAt(from) === 32 || body.charCodeAt(from) === 9) from++
      while (body.charCodeAt(from) >= 48 && body.charCodeAt(from) <= 57) from++
      from++
    }
    const line = body.slice(from, j).trim()
    if (line && !HARNESS_LINE.test(line)) out.push(line)
    i = j + 1
  }
  return out
}
