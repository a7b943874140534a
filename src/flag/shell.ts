/**
 * A small POSIX-shell reader for the commands agents run: it splits a command
 * line into simple commands (words, redirections, heredoc bodies) joined by
 * pipes, `&&`, `||`, `;`, `&` and newlines, following quotes, escapes,
 * command substitutions and compound commands (`if`, `for`, `while`, `( … )`,
 * `{ …; }`). It does not expand anything: a word that holds a variable, a
 * command substitution or a glob is marked `dynamic`, so a caller can tell a
 * path it knows from one it cannot. What a command does with its words is
 * decided elsewhere (`commands.ts`); this module only reads the syntax.
 */
import {escapeRegExp} from '../util/text.js'

interface Redirect {
  /** `>`, `>>`, `<`, `<<` (heredoc), `<<<` (here-string), `>&` / `<&` (duplication). */
  op: '>' | '>>' | '<' | '<<' | '<<<' | '>&' | '<&'
  /** The file descriptor redirected (1 for `>`, 0 for `<`, 2 for `2>`); -1 for `&>` (both). */
  fd: number
  /** The target word (a path, an fd number for duplications, the delimiter for heredocs). */
  target: string
  /** True when the target holds an expansion aco cannot resolve. */
  dynamic: boolean
  /** For heredocs: the body. */
  body?: string
  /** For heredocs: the delimiter was not quoted, so the shell expands `$x`, `$(…)` and backticks in the body. */
  expands?: boolean
}

export interface SimpleCommand {
  /** The words after quote removal; `VAR=value` prefixes are in `assigns`. */
  words: string[]
  /** Per word: it holds an expansion (`$x`, `$(…)`, a backtick) or an unquoted glob. */
  dynamic: boolean[]
  assigns: string[]
  redirects: Redirect[]
  /** Commands inside `$(…)`, backticks or `<(…)` in this command's words. */
  substitutions: SimpleCommand[]
  /** True when the command reads the previous command's output through a pipe. */
  piped: boolean
  /** The operator that joined this command to the previous one ('' for the first). */
  after: '' | '|' | '&&' | '||' | ';' | '&'
  /** True when the command sits inside a loop or a condition body (runs zero or more times). */
  nested: boolean
  /** True when an `&` ends the command: it runs in the background, on after the line returns. */
  background?: boolean
  /** The `( … )` subshells it sits in, outermost first, each by its number on the line (absent: none): a `cd` there
   * ends with its subshell. */
  subshell?: number[]
  /** The `{ …; }` groups it sits in, outermost first, numbered as the subshells are (absent: none). */
  blocks?: number[]
  /**
   * Its output, with the rest of its group's, goes on after the group: into a pipe (`{ cat a; cat b; } | grep x`) or a
   * file (`(cd web && cat a) > out.txt`). None of it is shown as its own.
   */
  sentOn?: boolean
  /**
   * A redirect of a group alone (`(…) > out`), by the group's number: the file receives the group's output, whatever it
   * was, and is opened where the group began (a `cd` inside a `{ …; }` group does not move it).
   */
  groupOutput?: number
  /**
   * True when its words list a `for` loop's words in place of the loop variable (`nl -ba "$f"` over `a b`: `nl -ba a
   * b`): each word had a run of its own, the rest of its pipeline with it (`| sed -n 1,80p` cut each file's output).
   */
  perWord?: boolean
}

enum Ch {
  Tab = 9,
  Newline = 10,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  Amp = 38,
  Quote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Semicolon = 59,
  Lt = 60,
  Gt = 62,
  Question = 63,
  LBracket = 91,
  Backslash = 92,
  Backtick = 96,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
}

/** Reserved words that open or close compound commands: skipped at command position. */
const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'while',
  'until',
  'case',
  'esac',
  '{',
  '}',
  '!',
])

interface Token {
  type: 'word' | 'op'
  text: string
  dynamic: boolean
  /** For words: commands found in substitutions inside the word. */
  subs?: SimpleCommand[]
  /** For a word right before a redirection operator: its digits were an fd number. */
  quoted?: boolean
  /** For a quoted word: how many characters of it came before its first quote (`A="$(pwd)"`: 2). */
  quotedAt?: number
  /** For a heredoc's delimiter: it was not quoted (the shell expands the body). */
  expands?: boolean
  /** A word whose only expansion is a brace list of names (`src/{a,b}.ts`): the words it expands to. */
  braces?: string[]
}

/**
 * Parses a command line into its simple commands, in order. Never throws: an
 * unterminated quote or heredoc ends at the end of the text. With `quoteLine`,
 * the line bash reported a quote never closed on ("line 3: unexpected EOF while
 * looking for matching `''"), a quote found unclosed on that very line ends the
 * commands at the last line break before it: bash runs a script one complete
 * command at a time, so the command holding the quote and all after it never
 * ran. Only on bash's word, and only where aco finds the same quote: other
 * shells (PowerShell's backtick escapes) and text aco reads differently from
 * bash would be cut wrongly.
 */
export function parseShell(text: string, depth = 0, quoteLine?: number): SimpleCommand[] {
  return assemble(tokenize(text, depth, quoteLine).tokens)
}

/** parseShell with `quoteLine`, and whether it found that quote (and cut the commands there). */
export function parseUntilQuote(text: string, quoteLine: number): {commands: SimpleCommand[]; cut: boolean} {
  const {tokens, cut} = tokenize(text, 0, quoteLine)
  return {commands: assemble(tokens), cut}
}

function tokenize(text: string, depth: number, quoteLine?: number): {tokens: Token[]; cut: boolean} {
  const tokens: Token[] = []
  const n = text.length
  let i = 0
  // Heredocs whose bodies start after the next newline.
  const pendingHeredocs: Array<{token: Token; delimiter: string; stripTabs: boolean}> = []
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === Ch.Space || c === Ch.Tab || c === 13) {
      i++
      continue
    }
    if (c === Ch.Backslash && text.charCodeAt(i + 1) === Ch.Newline) {
      i += 2
      continue
    }
    if (c === Ch.Newline) {
      tokens.push({type: 'op', text: '\n', dynamic: false})
      i++
      if (pendingHeredocs.length) i = readHeredocs(text, i, pendingHeredocs)
      continue
    }
    if (c === Ch.Hash) {
      while (i < n && text.charCodeAt(i) !== Ch.Newline) i++
      continue
    }
    // Operators.
    const op = operatorAt(text, i)
    if (op) {
      // A redirection: `2>`, `&>`, `>>`, `<<`, `<<-`, `<<<`, `>&`.
      tokens.push({type: 'op', text: op, dynamic: false})
      i += op.length
      if (op === '<<' || op === '<<-') {
        // The delimiter word follows; the body comes after the next newline.
        while (i < n && (text.charCodeAt(i) === Ch.Space || text.charCodeAt(i) === Ch.Tab)) i++
        const word = readWord(text, i, depth)
        const quoted = /['"\\]/.test(text.slice(i, word.end))
        i = word.end
        const token: Token = {type: 'word', text: word.text, dynamic: false, expands: !quoted}
        tokens.push(token)
        pendingHeredocs.push({token, delimiter: word.text, stripTabs: op === '<<-'})
      }
      continue
    }
    // An fd number right before a redirection (`2>`, `1>>`).
    if (c >= 48 && c <= 57) {
      let j = i
      while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++
      const next = text.charCodeAt(j)
      if (next === Ch.Gt || next === Ch.Lt) {
        const redirect = operatorAt(text, j)
        if (redirect) {
          tokens.push({type: 'op', text: `${text.slice(i, j)}${redirect}`, dynamic: false})
          i = j + redirect.length
          continue
        }
      }
    }
    const word = readWord(text, i, depth)
    if (word.unterminatedAt !== undefined && depth === 0 && quoteLine === lineAt(text, word.unterminatedAt)) {
      // What ran: the lines before this one (a line ends at a newline token; the last one, if any, is kept).
      let end = tokens.length
      while (end > 0 && !(tokens[end - 1]!.type === 'op' && tokens[end - 1]!.text === '\n')) end--
      tokens.length = end
      return {tokens, cut: true}
    }
    tokens.push({
      type: 'word',
      text: word.text,
      dynamic: word.dynamic,
      subs: word.subs,
      ...(word.braces && !word.quoted && word.dynamic ? braceWords(word.text, text.slice(i, word.end)) : {}),
      quoted: word.quoted,
      quotedAt: word.quotedAt,
    })
    i = word.end
  }
  return {tokens, cut: false}
}

/** The 1-based line of the text position `i`, as bash counts them. */
function lineAt(text: string, i: number): number {
  let line = 1
  for (let k = text.indexOf('\n'); k !== -1 && k < i; k = text.indexOf('\n', k + 1)) line++
  return line
}

/** The operator starting at `i`, if any. */
function operatorAt(text: string, i: number): string | undefined {
  const c = text.charCodeAt(i)
  const d = text.charCodeAt(i + 1)
  switch (c) {
    case Ch.Amp:
      if (d === Ch.Amp) return '&&'
      if (d === Ch.Gt) return text.charCodeAt(i + 2) === Ch.Gt ? '&>>' : '&>'
      return '&'
    case Ch.Pipe:
      if (d === Ch.Pipe) return '||'
      if (d === Ch.Amp) return '|&'
      return '|'
    case Ch.Semicolon:
      return d === Ch.Semicolon ? ';;' : ';'
    case Ch.LParen:
      return '('
    case Ch.RParen:
      return ')'
    case Ch.Gt:
      if (d === Ch.Gt) return '>>'
      if (d === Ch.Amp) return '>&'
      if (d === Ch.Pipe) return '>|'
      if (d === Ch.LParen) return undefined // process substitution: part of a word
      return '>'
    case Ch.Lt:
      if (d === Ch.Lt) {
        const e = text.charCodeAt(i + 2)
        if (e === Ch.Lt) return '<<<'
        if (e === 45) return '<<-'
        return '<<'
      }
      if (d === Ch.Amp) return '<&'
      if (d === Ch.LParen) return undefined
      return '<'
    default:
      return undefined
  }
}

function isWordEnd(c: number): boolean {
  return (
    c === Ch.Space ||
    c === Ch.Tab ||
    c === Ch.Newline ||
    c === 13 ||
    c === Ch.Semicolon ||
    c === Ch.Amp ||
    c === Ch.Pipe ||
    c === Ch.LParen ||
    c === Ch.RParen ||
    c === Ch.Lt ||
    c === Ch.Gt
  )
}

/** A character that readWord copies as it is: not a word's end, a quote, an escape, an expansion or a glob. */
function isPlain(c: number): boolean {
  return !(
    isWordEnd(c) ||
    c === Ch.Quote ||
    c === Ch.DoubleQuote ||
    c === Ch.Backslash ||
    c === Ch.Dollar ||
    c === Ch.Backtick ||
    c === Ch.Star ||
    c === Ch.Question ||
    c === Ch.LBracket ||
    c === Ch.LBrace
  )
}

interface WordRead {
  text: string
  end: number
  dynamic: boolean
  quoted: boolean
  /** How many characters of the word came before its first quote. */
  quotedAt?: number
  subs?: SimpleCommand[]
  /** Where a quote in it opens that is never closed (it runs to the end of the text). */
  unterminatedAt?: number
  /** It holds an unquoted brace list (`{a,b}`). */
  braces?: boolean
}

/** Words a brace list expands to at most: past it, the word stays one the shell's reading cannot name. */
const MAX_BRACE_WORDS = 64
/** What a brace list's alternatives may hold: paths' characters (and the braces and commas of lists nested in them). */
const BRACE_TEXT = /^[\w.@+/{},-]*$/
/** How deep brace lists may nest (`a/{b/{c,d},e}`: 2). */
const MAX_BRACE_DEPTH = 8

/**
 * What bash's brace expansion makes of a word without quotes or other expansions: `src/{a,b}.ts` → `src/a.ts
 * src/b.ts`, `f{,.bak}` → `f f.bak`, `x/{a/{b,c},d}` → `x/a/b x/a/c x/d`, each list in turn, lists nested in an
 * alternative expanded in it. Undefined when a brace is not such a list (a sequence `{1..3}`, other characters, no
 * closing brace) or the words would be too many.
 */
export function expandBraces(word: string): string[] | undefined {
  return expandList(word, 0)
}

function expandList(text: string, depth: number): string[] | undefined {
  // List by list, left to right (a loop: `{a,b}` 8,000 times in one word had overflowed the stack when recursive);
  // only a nested list recurses, as deep as it nests.
  let words = ['']
  let at = 0
  for (;;) {
    const open = text.indexOf('{', at)
    if (open === -1) {
      const rest = text.slice(at)
      return rest.includes('}') ? undefined : words.map(w => w + rest)
    }
    const before = text.slice(at, open)
    if (before.includes('}')) return undefined
    // Its closing brace, and the commas between that are its own (not a nested list's).
    const commas: number[] = []
    let level = 0
    let close = -1
    for (let k = open; k < text.length; k++) {
      const c = text.charCodeAt(k)
      if (c === Ch.LBrace) level++
      else if (c === Ch.RBrace && --level === 0) {
        close = k
        break
      } else if (c === 44 && level === 1) commas.push(k)
    }
    if (close === -1 || commas.length === 0 || depth >= MAX_BRACE_DEPTH) return undefined
    const inner = text.slice(open + 1, close)
    if (!BRACE_TEXT.test(inner)) return undefined
    const alternatives: string[] = []
    let from = open + 1
    for (const comma of [...commas, close]) {
      const alt = text.slice(from, comma)
      const expanded = alt.includes('{') ? expandList(alt, depth + 1) : [alt]
      if (!expanded) return undefined
      alternatives.push(...expanded)
      // (Too many words already: no need to expand the rest.)
      if (alternatives.length * words.length > MAX_BRACE_WORDS) return undefined
      from = comma + 1
    }
    if (alternatives.length * words.length > MAX_BRACE_WORDS) return undefined
    words = words.flatMap(w => alternatives.map(alt => w + before + alt))
    at = close + 1
  }
}

/** `NAME=value`, its name and `=` unquoted (the value may be quoted: `A="$(pwd)"`). */
function isAssignment(t: Token): boolean {
  const m = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(t.text)
  return m !== null && (!t.quoted || (t.quotedAt ?? 0) >= m[0].length)
}

/**
 * The words an unquoted word with a brace list expands to, when the list is its only expansion (`raw`, the word as
 * written, holds no `$`, backtick, glob or escape).
 */
function braceWords(word: string, raw: string): {braces: string[]} | Record<string, never> {
  if (/[$`*?[\\]|\{[^{}]*\.\.[^{}]*\}/.test(raw)) return {}
  const words = expandBraces(word)
  return words && words.length > 1 ? {braces: words} : {}
}

/** Reads one word from `i`: quotes removed, expansions kept as written and marked dynamic. */
function readWord(text: string, start: number, depth: number): WordRead {
  const n = text.length
  let i = start
  let out = ''
  let dynamic = false
  let quoted = false
  let quotedAt: number | undefined
  let unterminatedAt: number | undefined
  let braces = false
  let subs: SimpleCommand[] | undefined
  const addSubs = (inner: string): void => {
    if (depth > 4) return
    subs ??= []
    subs.push(...parseShell(inner, depth + 1))
  }
  while (i < n) {
    const c = text.charCodeAt(i)
    // `<(…)` / `>(…)`: process substitution, a word of its own.
    if ((c === Ch.Lt || c === Ch.Gt) && text.charCodeAt(i + 1) === Ch.LParen && i === start) {
      const close = matchParen(text, i + 1)
      addSubs(text.slice(i + 2, close))
      out += text.slice(i, Math.min(n, close + 1))
      dynamic = true
      i = close + 1
      continue
    }
    if (isWordEnd(c)) break
    if (c === Ch.Quote) {
      quotedAt ??= out.length
      quoted = true
      const close = text.indexOf("'", i + 1)
      if (close === -1) unterminatedAt ??= i
      const end = close === -1 ? n : close
      out += text.slice(i + 1, end)
      i = end + 1
      continue
    }
    if (c === Ch.DoubleQuote) {
      quotedAt ??= out.length
      quoted = true
      const open = i
      i++
      while (i < n && text.charCodeAt(i) !== Ch.DoubleQuote) {
        const d = text.charCodeAt(i)
        if (d === Ch.Backslash) {
          const e = text[i + 1] ?? ''
          if (e === '"' || e === '\\' || e === '$' || e === '`') out += e
          else if (e === '\n') {
            // line continuation inside double quotes
          } else out += `\\${e}`
          i += 2
          continue
        }
        if (d === Ch.Dollar || d === Ch.Backtick) {
          const r = readExpansion(text, i)
          if (r.inner !== undefined) addSubs(r.inner)
          out += text.slice(i, r.end)
          dynamic = dynamic || r.dynamic
          i = r.end
          continue
        }
        out += text[i]
        i++
      }
      if (i >= n) unterminatedAt ??= open
      i++
      continue
    }
    if (c === Ch.Backslash) {
      out += text[i + 1] ?? ''
      i += 2
      continue
    }
    if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.Quote) {
      // $'…': ANSI-C quoting; escapes kept as written (enough to compare and to read a path).
      quoted = true
      let j = i + 2
      while (j < n && text.charCodeAt(j) !== Ch.Quote) j += text.charCodeAt(j) === Ch.Backslash ? 2 : 1
      out += text.slice(i + 2, Math.min(j, n))
      i = j + 1
      continue
    }
    if (c === Ch.Dollar || c === Ch.Backtick) {
      const r = readExpansion(text, i)
      if (r.inner !== undefined) addSubs(r.inner)
      out += text.slice(i, r.end)
      dynamic = dynamic || r.dynamic
      i = r.end
      continue
    }
    if (c === Ch.Star || c === Ch.Question || c === Ch.LBracket) dynamic = true
    if (c === Ch.LBrace && /^\{[^{}\s]*,[^{}\s]*\}/.test(text.slice(i, i + 200))) braces = true
    // A sequence (`part{1..3}.ini`, `{a..e}`): names aco does not spell out.
    if (c === Ch.LBrace && /^\{(?:-?\d+\.\.-?\d+|[a-zA-Z]\.\.[a-zA-Z])(?:\.\.-?\d+)?\}/.test(text.slice(i, i + 40)))
      dynamic = true
    // This character and the plain ones after it, appended at once (not a string per character).
    let j = i + 1
    while (j < n && isPlain(text.charCodeAt(j))) j++
    out += text.slice(i, j)
    i = j
  }
  return {
    text: out,
    end: Math.max(i, start + (i === start ? 1 : 0)),
    dynamic: dynamic || braces,
    quoted,
    quotedAt,
    subs,
    unterminatedAt,
    braces,
  }
}

/** A `$…` or backtick expansion starting at `i`: where it ends, and the command inside when it runs one. */
function readExpansion(text: string, i: number): {end: number; dynamic: boolean; inner?: string} {
  const n = text.length
  const c = text.charCodeAt(i)
  if (c === Ch.Backtick) {
    let j = i + 1
    while (j < n && text.charCodeAt(j) !== Ch.Backtick) j += text.charCodeAt(j) === Ch.Backslash ? 2 : 1
    return {end: Math.min(n, j + 1), dynamic: true, inner: text.slice(i + 1, j)}
  }
  const d = text.charCodeAt(i + 1)
  if (d === Ch.LParen) {
    if (text.charCodeAt(i + 2) === Ch.LParen) {
      const close = matchParen(text, i + 1)
      return {end: Math.min(n, close + 1), dynamic: true}
    }
    const close = matchParen(text, i + 1)
    return {end: Math.min(n, close + 1), dynamic: true, inner: text.slice(i + 2, close)}
  }
  if (d === Ch.LBrace) {
    const close = text.indexOf('}', i + 2)
    return {end: close === -1 ? n : close + 1, dynamic: true}
  }
  let j = i + 1
  // $1, $?, $$, $@, $#, $!, $-
  if (j < n && /[0-9?$@#!*-]/.test(text[j]!)) return {end: j + 1, dynamic: true}
  while (j < n && /[A-Za-z0-9_]/.test(text[j]!)) j++
  // A lone `$` is a literal dollar.
  return {end: j, dynamic: j > i + 1}
}

/** The index of the `)` that closes the `(` at `open`, skipping quotes and nested parentheses. */
function matchParen(text: string, open: number): number {
  const n = text.length
  // `$((…))` is arithmetic: `<<` shifts and `#` is a base there.
  const arithmetic = text.charCodeAt(open + 1) === Ch.LParen
  let level = 0
  for (let i = open; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === Ch.Backslash) {
      i++
      continue
    }
    if (c === Ch.Quote) {
      const close = text.indexOf("'", i + 1)
      if (close === -1) return n
      i = close
      continue
    }
    if (c === Ch.DoubleQuote) {
      let j = i + 1
      while (j < n && text.charCodeAt(j) !== Ch.DoubleQuote) j += text.charCodeAt(j) === Ch.Backslash ? 2 : 1
      i = j
      continue
    }
    // `${line%% #*}`: a parameter expansion holds its own text, a `#` and a `<<` included.
    if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LBrace) {
      const close = text.indexOf('}', i + 2)
      if (close !== -1) {
        i = close
        continue
      }
    }
    // A comment (`$(ls # don't\n)`) and a heredoc's body (`$(cat <<'EOF'\nit's\nEOF\n)`) hold any quote; not in
    // arithmetic, where only parentheses count.
    if (arithmetic) {
      // nothing more
    } else if (c === Ch.Hash && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i)
      if (nl === -1) return n
      i = nl
      continue
    } else if (c === Ch.Lt && text.charCodeAt(i + 1) === Ch.Lt && text.charCodeAt(i + 2) !== Ch.Lt) {
      const heredoc = /^<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|\\?([\w.-]+))/.exec(text.slice(i, i + 200))
      const delimiter = heredoc ? (heredoc[2] ?? heredoc[3] ?? heredoc[4]) : undefined
      if (heredoc && delimiter) {
        // Not a heredoc where no line ends it (`$((1 << 2))` shifts): read on as it is.
        const nl = text.indexOf('\n', i)
        const end = nl === -1 ? undefined : new RegExp(`^${heredoc[1] ? '\\t*' : ''}${escapeRegExp(delimiter)}$`, 'm')
        const body = end?.exec(text.slice(nl + 1))
        if (body) {
          i = nl + 1 + body.index + body[0].length - 1
          continue
        }
      }
    }
    if (c === Ch.LParen) level++
    else if (c === Ch.RParen) {
      level--
      if (level === 0) return i
    }
  }
  return n
}

/** Reads the bodies of pending heredocs from `i` (the start of the line after their operator). */
function readHeredocs(
  text: string,
  start: number,
  pending: Array<{token: Token; delimiter: string; stripTabs: boolean}>,
): number {
  let i = start
  const n = text.length
  while (pending.length) {
    const {token, delimiter, stripTabs} = pending.shift()!
    const lines: string[] = []
    let done = false
    while (i < n && !done) {
      let end = text.indexOf('\n', i)
      if (end === -1) end = n
      let line = text.slice(i, end)
      if (line.endsWith('\r')) line = line.slice(0, -1)
      i = end + 1
      const cmp = stripTabs ? line.replace(/^\t+/, '') : line
      if (cmp === delimiter || cmp.trim() === delimiter) done = true
      else lines.push(stripTabs ? cmp : line)
    }
    // The body rides on the delimiter token; `assemble` moves it onto the redirect.
    ;(token as Token & {body?: string}).body = lines.join('\n')
    if (i > n) i = n
  }
  return i
}

/** Groups tokens into simple commands. */
function assemble(tokens: Token[]): SimpleCommand[] {
  const out: SimpleCommand[] = []
  let current: SimpleCommand | undefined
  let after: SimpleCommand['after'] = ''
  let nesting = 0
  /** The subshells and the `{ …; }` groups open here, by number; how many were opened. */
  const groups: number[] = []
  const blocks: number[] = []
  let groupCount = 0
  /** The subshell or group that closed right before this token (`{ a; b; } > log`: the redirect is the group's). */
  let closed: number | undefined
  /** After `for NAME in`, words up to the next separator are the loop's list, not a command. */
  let skipToSeparator = false
  /** The `for` loops open here whose lists aco knows, innermost last. */
  const loops: Array<{name: string; values: string[]; globs: boolean[]; depth: number}> = []
  const finish = (): void => {
    if (current && (current.words.length || current.redirects.length || current.assigns.length)) {
      if (loops.length) expandLoopVariable(current, loops)
      out.push(current)
    }
    current = undefined
  }
  const start = (): SimpleCommand => {
    current ??= {
      words: [],
      dynamic: [],
      assigns: [],
      redirects: [],
      substitutions: [],
      piped: after === '|',
      after,
      nested: nesting > 0,
    }
    if (groups.length) current.subshell = [...groups]
    if (blocks.length) current.blocks = [...blocks]
    return current
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!
    const group = closed
    closed = undefined
    if (t.type === 'op') {
      const redirect = redirectOf(t.text)
      if (redirect) {
        const target = tokens[k + 1]
        if (target?.type === 'word') {
          k++
          // A subshell's or group's redirect (not a heredoc, the group's input): its output sent to a file is none of
          // its commands' shown (`{ cat a; cat b; } > out`); the file is written by a command of its own, its path
          // where the group began (a `cd` inside it moves only its commands: `(cd web && npm test) > test.log` writes
          // ./test.log). A copy of a descriptor (`2>&1`) writes nothing. What follows may still be the group's (a pipe).
          if (group !== undefined && current === undefined && redirect.op !== '<<' && redirect.op !== '<<<') {
            if ((redirect.op === '>' || redirect.op === '>>') && (redirect.fd === 1 || redirect.fd === -1))
              for (const cmd of out) if (cmd.subshell?.includes(group) || cmd.blocks?.includes(group)) cmd.sentOn = true
            if (redirect.op !== '>&' && redirect.op !== '<&') {
              const own = start()
              own.groupOutput = group
              own.redirects.push({op: redirect.op, fd: redirect.fd, target: target.text, dynamic: target.dynamic})
              if (target.subs) own.substitutions.push(...target.subs)
              finish()
            }
            closed = group
            continue
          }
          const cmd = start()
          const r: Redirect = {op: redirect.op, fd: redirect.fd, target: target.text, dynamic: target.dynamic}
          const body = (target as Token & {body?: string}).body
          if (redirect.op === '<<') {
            r.body = body ?? ''
            if (target.expands) r.expands = true
          }
          cmd.redirects.push(r)
          if (target.subs) cmd.substitutions.push(...target.subs)
        }
        continue
      }
      switch (t.text) {
        case '|':
        case '|&':
          finish()
          after = '|'
          if (group !== undefined) intoPipe(out, group)
          continue
        case '&&':
        case '||':
          finish()
          after = t.text
          continue
        case '&': {
          const ran = current
          finish()
          // (What runs in the background goes on after the line returns.)
          if (ran && out[out.length - 1] === ran) ran.background = true
          after = '&'
          continue
        }
        case '(':
          finish()
          groups.push(++groupCount)
          continue
        case ')':
          finish()
          closed = groups.pop()
          continue
        default: {
          // ';', ';;', newline: a separator, unless it only continues a line after `&&`, `||` or `|`.
          const ended = current !== undefined
          finish()
          skipToSeparator = false
          if (ended || after === '') after = ';'
          continue
        }
      }
    }
    if (skipToSeparator) continue
    if (!current) {
      // Command position: reserved words open/close compound commands.
      if (!t.quoted && RESERVED.has(t.text)) {
        if (t.text === 'if' || t.text === 'while' || t.text === 'until' || t.text === 'case') nesting++
        else if (t.text === '{') blocks.push(++groupCount)
        else if (t.text === '}') closed = blocks.pop()
        else if (t.text === 'fi' || t.text === 'done' || t.text === 'esac') {
          if (t.text === 'done' && loops.length && loops[loops.length - 1]!.depth === nesting) loops.pop()
          nesting = Math.max(0, nesting - 1)
        }
        continue
      }
      if (!t.quoted && t.text === 'for') {
        nesting++
        skipToSeparator = true
        const loop = forList(tokens, k)
        if (loop) loops.push({...loop, depth: nesting})
        continue
      }
      if (isAssignment(t)) {
        const cmd = start()
        cmd.assigns.push(t.text)
        if (t.subs) cmd.substitutions.push(...t.subs)
        continue
      }
    } else if (current.words.length === 0 && isAssignment(t)) {
      current.assigns.push(t.text)
      if (t.subs) current.substitutions.push(...t.subs)
      continue
    }
    const cmd = start()
    if (t.braces)
      for (const w of t.braces) {
        cmd.words.push(w)
        cmd.dynamic.push(false)
      }
    else {
      cmd.words.push(t.text)
      cmd.dynamic.push(t.dynamic)
    }
    if (t.subs) cmd.substitutions.push(...t.subs)
  }
  finish()
  return out
}

/**
 * Marks the commands of a group whose output goes into a pipe after it, but its last when nothing before it in the
 * group prints (`(cd web && git diff) | head -5`): that one's output alone goes in, as if it stood before the pipe.
 */
function intoPipe(out: readonly SimpleCommand[], group: number): void {
  const inside = out.filter(cmd => cmd.subshell?.includes(group) || cmd.blocks?.includes(group))
  const last = inside.at(-1)
  const alone = inside.every(cmd => cmd === last || (cmd.nested === false && SILENT.has(commandName(cmd))))
  for (const cmd of inside) if (!(alone && cmd === last)) cmd.sentOn = true
}

/** Commands that print nothing when they work (a group's output is its other commands'). */
const SILENT = new Set(['cd', 'pushd', 'popd', 'export', 'set', 'source', '.', 'unset', 'true', ':', 'shopt', 'umask'])

/**
 * `for NAME in W1 W2 …` starting at token `k`: the variable and its list, when every word of the list is known (no
 * expansion) or a glob (`src/*.py`: the files it matches, a word that stays dynamic).
 */
function forList(tokens: readonly Token[], k: number): {name: string; values: string[]; globs: boolean[]} | undefined {
  const name = tokens[k + 1]
  if (name?.type !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text) || tokens[k + 2]?.text !== 'in')
    return undefined
  const values: string[] = []
  const globs: boolean[] = []
  for (let j = k + 3; j < tokens.length; j++) {
    const w = tokens[j]!
    if (w.type === 'op') break
    if (w.dynamic && (/[$`]/.test(w.text) || !/[*?[]/.test(w.text))) return undefined
    values.push(w.text)
    globs.push(w.dynamic)
  }
  return values.length && values.length <= 64 ? {name: name.text, values, globs} : undefined
}

/**
 * A command in the body of a `for` loop over known words, whose one use of
 * the loop variable is a whole word (`grep x "$f"`): the word becomes the
 * list, so the command reads as what the loop's runs do together (`grep x a b`).
 */
function expandLoopVariable(
  cmd: SimpleCommand,
  loops: ReadonlyArray<{name: string; values: string[]; globs: boolean[]}>,
): void {
  let at = -1
  let values: string[] | undefined
  let globs: boolean[] | undefined
  for (let w = 0; w < cmd.words.length; w++) {
    if (!cmd.dynamic[w]) continue
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(cmd.words[w]!)
    const loop = m ? loops.findLast(l => l.name === (m[1] ?? m[2])) : undefined
    if (!loop) {
      // Another word built from a loop variable (`"$f.bak"`): the runs do not add up to one command.
      if (loops.some(l => cmd.words[w]!.includes(`$${l.name}`) || cmd.words[w]!.includes(`\${${l.name}`))) return
      continue
    }
    if (at !== -1) return
    at = w
    values = loop.values
    globs = loop.globs
  }
  if (at <= 0 || !values || !globs) return
  cmd.words.splice(at, 1, ...values)
  cmd.dynamic.splice(at, 1, ...globs)
  if (values.length > 1) cmd.perWord = true
}

function redirectOf(op: string): {op: Redirect['op']; fd: number} | undefined {
  const m = /^(\d*)(>>|>\||>&|>|<<<|<<-|<<|<&|<)$/.exec(op)
  if (m) {
    const sym = m[2]!
    const kind = (sym === '>|' ? '>' : sym === '<<-' ? '<<' : sym) as Redirect['op']
    const fd = m[1] ? Number(m[1]) : sym.startsWith('<') ? 0 : 1
    return {op: kind, fd}
  }
  if (op === '&>') return {op: '>', fd: -1}
  if (op === '&>>') return {op: '>>', fd: -1}
  return undefined
}

/**
 * The command name of a simple command without its path (`/usr/bin/grep` → `grep`), lowercased; a Windows
 * program's too (`"C:/Program Files/Git/bin/bash.exe"`, `C:\Windows\…\powershell.exe` → `bash`, `powershell`).
 */
export function commandName(cmd: SimpleCommand): string {
  const w = cmd.words[0] ?? ''
  const slash = Math.max(w.lastIndexOf('/'), w.lastIndexOf('\\'))
  const name = (slash >= 0 ? w.slice(slash + 1) : w).toLowerCase()
  // `./bin/test` is a project's script, not the shell's `test`: a builtin's name counts only from a system folder.
  if (slash >= 0 && BUILTIN_NAMES.has(name) && !SYSTEM_BIN.test(w)) return w.toLowerCase()
  // Windows launchers are the program they launch (`npm.cmd`, `npx.cmd`, `tsc.ps1`), unless that is a builtin's name.
  const ext = /\.(?:exe|cmd|bat|ps1)$/.exec(name)
  if (!ext) return name
  const bare = name.slice(0, ext.index)
  return ext[0] !== '.exe' && BUILTIN_NAMES.has(bare) ? name : bare
}

/** Names of shell builtins (and their system programs) a project's own script may also have. */
const BUILTIN_NAMES = new Set([
  'test',
  '[',
  'echo',
  'printf',
  'true',
  'false',
  'pwd',
  'read',
  'type',
  'command',
  'kill',
])
const SYSTEM_BIN =
  /^(?:\/(?:usr|bin|sbin|opt|nix|snap)\/|~\/\.local\/|\/home\/[^/]+\/\.local\/|\/Users\/[^/]+\/\.local\/)/
