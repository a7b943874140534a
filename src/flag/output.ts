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
  /<elided_chars>|\[\.\.\. ?\d+ (?:lines|characters|chars) truncated|\.\.\. \[\d+ lines truncated\] \.\.\.|\[\.\.\. omitted \d+ of \d+ lines|<response clipped>|\[Output truncated|Output too large|output of your last command was too long/i

export interface Shown {
  /** Part of the output was cut out before the model saw it. */
  elided: boolean
  /** Line numbers printed beside the lines (merged into ranges), when the output numbers its lines. */
  numbered?: Range[]
  /** Lines in the part of the output the model saw first (before any cut). */
  headLines: number
  /** The output was empty (or only whitespace). */
  empty: boolean
}

/** How a line number is printed: `   12\t`, `    12→`, `12:` (SWE-agent, grep -n on one file), `12-` (grep context). */
const NUMBERED = /^\s*(\d+)(?:\t|→|:|-(?=\s|$))/

/** Where a harness cut an output: the end of the part shown first, and the start of the part shown last. */
const CUT_START =
  /<\/output_head>|<elided_chars>|\.\.\. \[\d+ lines truncated\]|\[\.\.\. ?\d+ (?:lines|characters|chars) truncated|\[\.\.\. omitted|<response clipped>/
const CUT_END =
  /<\/elided_chars>\s*(?:<output_tail>)?\n?|\d+ lines truncated\] \.\.\.\n?|(?:lines|characters|chars) truncated \.\.\.\]\n?|omitted \d+ of \d+ lines\]\n?/

/** Reads what an output showed. Cheap: a few passes over the text. */
export function shownOf(text: string | undefined): Shown | undefined {
  if (text === undefined) return undefined
  const empty = text.trim().length === 0
  const elided = ELISION.test(text)
  let head = text
  let tail: string | undefined
  if (elided) {
    const cut = text.search(CUT_START)
    if (cut !== -1) {
      head = text.slice(0, cut)
      const rest = text.slice(cut)
      const end = CUT_END.exec(rest)
      if (end) tail = rest.slice(end.index + end[0].length).replace(/<\/output_tail>[\s\S]*$/, '')
    }
  }
  const headStart = head.indexOf('<output_head>')
  if (headStart !== -1) head = head.slice(headStart + 13)
  const headLines = (elided ? head.replace(/\n$/, '') : head).split('\n')
  // Around a cut, lines are partial: the last before it and the first after it do not count.
  if (elided && headLines.length > 1) headLines.pop()
  const tailLines = tail?.split('\n') ?? []
  if (tailLines.length) tailLines.shift()
  const count = headLines.filter((l, i) => i < headLines.length - 1 || l.length > 0).length
  const numbered = numberedRanges(
    tail === undefined && elided ? [] : [...headLines, '', ...tailLines],
    elided && tail === undefined ? undefined : headLines,
  )
  const out: Shown = {elided, headLines: count, empty}
  if (numbered) out.numbered = numbered
  return out
}

/** The line numbers shown lines print, as merged ranges; undefined when the lines are not numbered. */
function numberedRanges(lines: readonly string[], fallback: readonly string[] | undefined): Range[] | undefined {
  const source = lines.length ? lines : (fallback ?? [])
  const numbers: number[] = []
  let contentLines = 0
  for (const line of source) {
    if (!line.trim()) continue
    contentLines++
    const m = NUMBERED.exec(line)
    if (m) numbers.push(Number(m[1]))
  }
  // Most lines must be numbered (headers like "[File: …]" and "(12 more lines above)" aside).
  if (numbers.length < 2 || numbers.length < contentLines * 0.6) return undefined
  const ranges: Range[] = []
  let start = numbers[0]!
  let prev = start
  for (let i = 1; i < numbers.length; i++) {
    const n = numbers[i]!
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

/** Whether an output shows a failure that its exit code hides (a pipe through `tail` returns tail's 0). */
export function showsFailure(text: string | undefined): boolean {
  if (!text) return false
  const tail = text.length > 4000 ? text.slice(-4000) : text
  if (
    /Traceback \(most recent call last\):/.test(tail) ||
    /Traceback \(most recent call last\):/.test(text.slice(0, 2000))
  )
    return FAILURE_END.test(tail.slice(tail.indexOf('Traceback')))
  return /(?:^|\n)[^\n]*: command not found\s*$/.test(tail)
}

/** A failure's signature for comparing two failures: its last error line (or first line), trimmed. */
export function errorSignature(text: string | undefined): string {
  if (!text) return ''
  const lines = text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - 40; i--) {
    const l = lines[i]!
    if (
      /(?:error|exception|not found|no such file|denied|invalid|failed|cannot|refused|unable|must|not read yet)/i.test(
        l,
      )
    )
      return l.replace(/\s+/g, ' ').replace(/<\/?tool_use_error>/g, '')
  }
  return (lines[0] ?? '').replace(/\s+/g, ' ')
}

/** The paths a "no such file" error names (as written, unresolved). */
export function missingPaths(text: string | undefined): string[] {
  if (!text) return []
  const out = new Set<string>()
  const head = text.slice(0, 2000)
  for (const m of head.matchAll(
    /cannot access '([^']+)'|[‘'`]([^’'`]+)[’'`]: No such file or directory|(?:^|\n|: )([^\s:'‘]+): No such file or directory|No such file or directory: '([^']+)'|ENOENT: no such file or directory, \w+ '([^']+)'|no such file or directory: (\S+)|File does not exist: (\S+)|does not exist: (\S+)|path '([^']+)' does not exist/gi,
  )) {
    const p = m.slice(1).find(x => x !== undefined)
    if (p && !/^(?:ls|cat|find|cd|tree|head|tail|sed|grep|bash|sh|zsh|python\d?)$/.test(p))
      out.add(p.replace(/[.,;]$/, ''))
  }
  return [...out]
}
