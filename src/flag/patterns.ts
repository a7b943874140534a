/**
 * Search patterns compared without running them: whether every line one
 * pattern matches, another matches too (a narrower search finds only some of
 * a broader one's hits), and which of an earlier search's hit lines a later
 * pattern matches (what a narrower search over an unchanged file must print).
 *
 * Only a fragment of regular expressions is read: literal text, `.` and `.*`,
 * alternatives (`a|b`, grep's `a\|b`), `^` and `$` at an alternative's ends,
 * and small groups (`(x|X)`) and character classes (`[xX]`, `[0-3]`) with no
 * quantifier after them, which are spelled out as alternatives. Anything else
 * is not compared (the safe answer: not narrower, nothing derived).
 */

/**
 * Whether every line `later` matches, `earlier` matches too: each alternative of `later` must hold, in order, the
 * literal pieces of some alternative of `earlier`, each piece inside one of its own (a piece cannot span a `.*`). A
 * pattern in grep's basic syntax (`basic`) reads `(`, `)`, `{`, `}`, `+`, `?` and `|` as the characters themselves.
 */
export function narrower(later: string, earlier: string, laterBasic = false, earlierBasic = false): boolean {
  const inner = alternatives(later, laterBasic)
  if (!inner) return false
  // The earlier pattern matches at least what its alternatives aco reads match: one it cannot read (`tabs\s*:`) is
  // left out of the comparison, not the whole pattern.
  const outer = alternatives(earlier, earlierBasic) ?? readableAlternatives(earlier, earlierBasic)
  if (!outer?.length) return false
  // (Loops, not closures: a session compares each search with many earlier ones.)
  for (let i = 0; i < inner.length; i++) {
    let held = false
    for (let o = 0; o < outer.length && !held; o++) held = holdsInOrder(inner[i]!, outer[o]!)
    if (!held) return false
  }
  return true
}

/** The alternatives of a pattern's top-level ones that aco reads (see `alternatives`), or undefined when it has one. */
function readableAlternatives(pattern: string, basic: boolean): string[][] | undefined {
  const parts = topLevelAlternatives(pattern, basic)
  if (parts.length < 2) return undefined
  const out: string[][] = []
  for (const part of parts) {
    const alts = alternatives(part, basic)
    if (alts) out.push(...alts)
  }
  return out
}

/**
 * A pattern cut at its top-level bars (`|`; `\|` in basic syntax), outside groups and classes; the whole pattern when
 * it has none.
 */
function topLevelAlternatives(pattern: string, basic: boolean): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!
    if (c === '[') {
      // A class runs to its first `]` after the one (or `^]`) that opens it.
      let close = pattern.indexOf(']', k + (pattern[k + 1] === '^' ? 3 : 2))
      if (close === -1) close = pattern.length - 1
      k = close
      continue
    }
    if (c === '\\') {
      const next = pattern[k + 1]
      if (basic && next === '(') depth++
      else if (basic && next === ')') depth = Math.max(0, depth - 1)
      else if (basic && next === '|' && depth === 0) {
        parts.push(pattern.slice(start, k))
        start = k + 2
      }
      k++
      continue
    }
    if (basic) continue
    if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if (c === '|' && depth === 0) {
      parts.push(pattern.slice(start, k))
      start = k + 1
    }
  }
  parts.push(pattern.slice(start))
  return parts
}

/**
 * Whether `line` matches `pattern` (read as `narrower` reads it; `ignoreCase` for a pattern already lowercased);
 * undefined when the pattern is not one aco reads.
 */
export function matchesLine(pattern: string, basic: boolean, line: string, ignoreCase = false): boolean | undefined {
  const alts = alternatives(pattern, basic)
  if (!alts) return undefined
  const text = `${START}${ignoreCase ? line.toLowerCase() : line}${END}`
  return alts.some(pieces => {
    let from = 0
    for (const piece of pieces) {
      const at = indexWithAny(text, piece, from)
      if (at === -1) return false
      from = at + piece.length
    }
    return true
  })
}

/** Where `piece` first occurs in `text` from `from`, its `.` marks standing for any one character of the line. */
function indexWithAny(text: string, piece: string, from: number): number {
  if (!piece.includes(ANY_CHAR)) return text.indexOf(piece, from)
  outer: for (let k = from; k + piece.length <= text.length; k++) {
    for (let j = 0; j < piece.length; j++) {
      const p = piece[j]!
      const c = text[k + j]!
      if (p === ANY_CHAR ? c === START || c === END : p !== c) continue outer
    }
    return k
  }
  return -1
}

/** `.` alone (any one character) inside a piece: it holds another piece's `.` only where that one has its own. */
const ANY_CHAR = '\u0000'
/** `^` and `$`: a piece that starts or ends its alternative at the line's start or end holds these marks. */
const START = '\u0001'
const END = '\u0002'

/** Characters a backslash makes literal in either syntax. */
const ESCAPED_LITERAL = new Set([
  '.',
  '[',
  ']',
  '*',
  '^',
  '$',
  '\\',
  '/',
  '-',
  '"',
  "'",
  ' ',
  '=',
  ':',
  '<',
  '>',
  '@',
  '#',
  ',',
  ';',
])
/** Characters that are themselves in basic syntax and operators in extended syntax (and the reverse when escaped). */
const BASIC_LITERAL = new Set(['(', ')', '{', '}', '+', '?', '|'])

/** More spelled-out alternatives than this: not compared (`[a-z][a-z]` would be 676). */
const MAX_ALTERNATIVES = 64
/** A class of more characters than this is not spelled out. */
const MAX_CLASS = 10

/**
 * A pattern's alternatives, each as its literal pieces between `.*`; null if anything in it is not literal text,
 * `.`, `.*`, an alternative's bar, an anchor at an alternative's end, or a small group or class.
 */
function alternatives(pattern: string, basic: boolean): string[][] | null {
  // (A map per syntax, keyed by the pattern itself: a key joined from two strings is built and hashed at every call.)
  const parsedPatterns = basic ? parsedBasic : parsedExtended
  let parsed = parsedPatterns.get(pattern)
  if (parsed === undefined) {
    const spelled = spellOut(pattern, basic)
    parsed = null
    if (spelled) {
      const all: string[][] = []
      for (const p of spelled) {
        const alts = parseAlternatives(p, basic)
        if (!alts) {
          parsed = null
          break
        }
        all.push(...alts)
        parsed = all
      }
    }
    if (parsedPatterns.size > 10_000) parsedPatterns.clear()
    parsedPatterns.set(pattern, parsed)
  }
  return parsed
}

/**
 * Patterns parsed so far, in grep's basic syntax and in the extended one (a session compares the same few again and
 * again); null: not comparable.
 */
const parsedBasic = new Map<string, string[][] | null>()
const parsedExtended = new Map<string, string[][] | null>()

/**
 * The pattern with its groups and classes spelled out: `^- \[(x|X)\]` is `^- \[x\]` and `^- \[X\]`, whose matches
 * together are the pattern's (an alternative around a group distributes over it). Undefined for a group or class
 * aco does not spell out: nested, negated, named, followed by a quantifier, or too many alternatives.
 */
function spellOut(pattern: string, basic: boolean): string[] | undefined {
  const found = firstGroup(pattern, basic)
  if (found === null) return undefined
  if (found === undefined) return [pattern]
  const out: string[] = []
  for (const option of found.options) {
    const rest = spellOut(`${pattern.slice(0, found.start)}${option}${pattern.slice(found.end)}`, basic)
    if (!rest) return undefined
    out.push(...rest)
    if (out.length > MAX_ALTERNATIVES) return undefined
  }
  return out
}

/**
 * The first group or class of a pattern, its span and its options (each in the pattern's syntax); undefined when
 * there is none, null when there is one aco does not spell out.
 */
function firstGroup(
  pattern: string,
  basic: boolean,
): {start: number; end: number; options: string[]} | null | undefined {
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!
    if (c === '[') {
      const close = pattern.indexOf(']', k + 2)
      if (close === -1) return null
      const chars = classChars(pattern.slice(k + 1, close))
      if (!chars || quantified(pattern, close + 1, basic)) return null
      return {start: k, end: close + 1, options: chars.map(ch => literal(ch, basic))}
    }
    const opens = basic ? c === '\\' && pattern[k + 1] === '(' : c === '('
    if (opens) {
      const from = basic ? k + 2 : k + 1
      const group = groupOptions(pattern, from, basic)
      if (!group || quantified(pattern, group.end, basic)) return null
      return {start: k, end: group.end, options: group.options}
    }
    if (c === '\\') k++
  }
  return undefined
}

/** The options of a group whose text starts at `from`, and where the group ends; undefined if nested or unclosed. */
function groupOptions(pattern: string, from: number, basic: boolean): {options: string[]; end: number} | undefined {
  let k = from
  // `(?:…)`, a group that captures nothing, reads the same; other `(?…)` forms are not spelled out.
  if (!basic && pattern[k] === '?') {
    if (pattern[k + 1] !== ':') return undefined
    k += 2
  }
  const options: string[] = []
  let option = ''
  for (; k < pattern.length; k++) {
    const c = pattern[k]!
    if (c === '\\') {
      const next = pattern[k + 1]
      if (next === undefined) return undefined
      if (basic && next === ')') {
        options.push(option)
        return {options, end: k + 2}
      }
      if (basic && next === '|') {
        options.push(option)
        option = ''
      } else if (basic && next === '(') return undefined
      else option += c + next
      k++
    } else if (!basic && c === ')') {
      options.push(option)
      return {options, end: k + 1}
    } else if (!basic && c === '|') {
      options.push(option)
      option = ''
    } else if ((!basic && c === '(') || c === '[') return undefined
    else option += c
  }
  return undefined
}

/** The characters of a class's text (`xX`, `0-3`); undefined when negated, too large, or holding escapes or classes. */
function classChars(text: string): string[] | undefined {
  if (text.startsWith('^') || text.includes('[') || text.includes('\\')) return undefined
  const chars: string[] = []
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!
    if (text[k + 1] === '-' && k + 2 < text.length) {
      const a = c.charCodeAt(0)
      const b = text.charCodeAt(k + 2)
      if (b < a || b - a + 1 > MAX_CLASS) return undefined
      for (let x = a; x <= b; x++) chars.push(String.fromCharCode(x))
      k += 2
    } else chars.push(c)
    if (chars.length > MAX_CLASS) return undefined
  }
  return chars.length ? [...new Set(chars)] : undefined
}

/** Whether a quantifier (`*`, `+`, `?`, `{n}`; grep's basic `\{`, `\+`, `\?`) follows at `at`. */
function quantified(pattern: string, at: number, basic: boolean): boolean {
  const c = pattern[at]
  if (c === '*') return true
  if (basic) return c === '\\' && (pattern[at + 1] === '{' || pattern[at + 1] === '+' || pattern[at + 1] === '?')
  return c === '+' || c === '?' || c === '{'
}

/** A character as a literal in the pattern's syntax. */
function literal(ch: string, basic: boolean): string {
  if (ESCAPED_LITERAL.has(ch)) return `\\${ch}`
  if (BASIC_LITERAL.has(ch)) return basic ? ch : `\\${ch}`
  return ch
}

function parseAlternatives(pattern: string, basic: boolean): string[][] | undefined {
  const out: string[][] = []
  let pieces: string[] = []
  let piece = ''
  const endBranch = (): boolean => {
    pieces.push(piece)
    const kept = pieces.filter(p => p.length > 0)
    if (kept.length === 0) return false
    out.push(kept)
    pieces = []
    piece = ''
    return true
  }
  /** Whether the alternative being read ends at `k` (the pattern's end, or a bar). */
  const endsAt = (k: number): boolean =>
    k >= pattern.length || (basic ? pattern[k] === '\\' && pattern[k + 1] === '|' : pattern[k] === '|')
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!
    if (c === '\\') {
      const next = pattern[k + 1]
      if (next === undefined) return undefined
      k++
      if (next === '|' && basic) {
        if (!endBranch()) return undefined
      } else if (ESCAPED_LITERAL.has(next) || (!basic && BASIC_LITERAL.has(next))) piece += next
      else return undefined
    } else if (c === '^' && piece === '' && pieces.length === 0) piece += START
    else if (c === '$' && endsAt(k + 1)) piece += END
    else if (c === '.' && pattern[k + 1] === '*') {
      pieces.push(piece)
      piece = ''
      k++
    } else if (c === '|' && !basic) {
      if (!endBranch()) return undefined
    } else if (BASIC_LITERAL.has(c)) {
      if (!basic) return undefined
      piece += c
    } else if (c === '.' && pattern[k + 1] !== '+' && pattern[k + 1] !== '?' && pattern[k + 1] !== '{') {
      // One character, whatever it is: kept as a mark that only the same mark in the other pattern can stand for.
      piece += ANY_CHAR
    } else if (c === '.' || c === '[' || c === ']' || c === '*' || c === '^' || c === '$') return undefined
    else piece += c
  }
  return endBranch() ? out : undefined
}

/** Whether the pieces of `outer` occur in order inside the pieces of `inner`, each within one piece. */
function holdsInOrder(inner: readonly string[], outer: readonly string[]): boolean {
  let k = 0
  let from = 0
  for (const piece of outer) {
    for (;;) {
      if (k >= inner.length) return false
      const at = inner[k]!.indexOf(piece, from)
      if (at !== -1) {
        from = at + piece.length
        break
      }
      k++
      from = 0
    }
  }
  return true
}
