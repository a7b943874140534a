/**
 * A fast reader for the block YAML that cassette recorders write (PyYAML for
 * VCR.py and pydantic-ai, Psych for Ruby VCR): block mappings and sequences,
 * plain, quoted and literal (`|`) scalars, empty flow collections and
 * `!!binary`. js-yaml spends most of a cassette's read time in its general
 * machinery; this reader walks the same text with plain string scans, about
 * three times faster.
 *
 * It gives the value js-yaml gives with the cassette schema (core types plus
 * `!!binary`), or `undefined` when the text uses anything else (anchors,
 * aliases, other tags, non-empty flow collections, folded scalars, explicit
 * keys, tabs or CR line ends, several documents, a duplicate key, a
 * character js-yaml refuses...): the caller then reads it with js-yaml, which
 * is also what reports a YAML error. Tests compare both readers on every
 * cassette fixture and corpus sample, and on generated documents.
 */
import type * as JsYaml from 'js-yaml'
import {lazyModule} from '../util/lazy-module.js'

/** Thrown inside the reader when the text leaves the subset it reads; caught at the top. */
const UNSUPPORTED = Symbol('unsupported')

interface ScalarType {
  resolve(data: string): boolean
  construct(data: string): unknown
}
/** js-yaml's own implicit types of its core schema, in the order it tries them, so plain scalars resolve alike. */
const jsYaml = lazyModule<typeof JsYaml>('js-yaml')
let implicitTypes: readonly ScalarType[] | undefined
/** Loads js-yaml at the first plain scalar (a run that reads no cassette never does). */
function implicit(): readonly ScalarType[] {
  if (!implicitTypes) {
    const {types} = jsYaml() as unknown as {types: Record<'null' | 'bool' | 'int' | 'float', ScalarType>}
    implicitTypes = [types.null, types.bool, types.int, types.float]
  }
  return implicitTypes
}

/** The characters js-yaml refuses anywhere in its input (its PATTERN_NON_PRINTABLE). */
const NON_PRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is looked for
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/
/** Characters js-yaml treats as line breaks or that change tokenisation: text with them is left to js-yaml. */
const OUTSIDE = /[\r\t\x85\u2028\u2029]/

const SPACE = 32
const NEWLINE = 10
const HASH = 35
const COLON = 58
const DASH = 45
const QUOTE = 39
const DQUOTE = 34

/** Constructs a `!!binary` scalar (the cassette schema's own type, passed in so both readers build the same bytes). */
export type BinaryConstructor = (data: string) => unknown

/**
 * The document `text` holds, read as block YAML; undefined when it uses
 * anything this reader leaves to js-yaml.
 */
export function readBlockYaml(text: string, binary: BinaryConstructor): unknown {
  if (OUTSIDE.test(text) || NON_PRINTABLE.test(text)) return undefined
  try {
    return new BlockReader(text, binary).document()
  } catch (error) {
    if (error === UNSUPPORTED) return undefined
    throw error
  }
}

function unsupported(): never {
  throw UNSUPPORTED
}

class BlockReader {
  /** Where the content of the current line starts (after its indentation). */
  private pos = 0
  /** The column of `pos`: the current line's indentation, or a compact node's column mid-line. */
  private col = 0
  /** The end of the current line (index of its newline, or the text's length). */
  private eol = 0
  private readonly end: number

  constructor(
    private readonly text: string,
    private readonly binary: BinaryConstructor,
  ) {
    this.end = text.length
  }

  document(): unknown {
    // An opening `---` on the first line (then nothing else on it) is all of YAML's document syntax read here.
    const opening = /^---[ ]*\n/.exec(this.text)
    if (!this.seekContent(opening ? opening[0].length : 0)) unsupported()
    if (this.col !== 0 || this.text.charCodeAt(this.pos) === 37 /* % */) unsupported()
    const root = this.blockNode(-1)
    if (this.pos < this.end) unsupported()
    return root
  }

  /**
   * Moves to the first line at or after `from` with content (not blank, not a
   * comment); false at the end of the text. Sets pos, col and eol.
   */
  private seekContent(from: number): boolean {
    const t = this.text
    let start = from
    while (start < this.end) {
      let i = start
      while (t.charCodeAt(i) === SPACE) i++
      let eol = t.indexOf('\n', i)
      if (eol < 0) eol = this.end
      if (i < eol && t.charCodeAt(i) !== HASH) {
        this.pos = i
        this.col = i - start
        this.eol = eol
        if (this.col === 0 && (t.startsWith('---', i) || t.startsWith('...', i))) {
          const next = t.charCodeAt(i + 3)
          if (i + 3 === eol || next === SPACE) {
            // `...` closing the only document (PyYAML ends a scalar root with it) and nothing after it: the end.
            if (t.charCodeAt(i) !== 46 || /\S/.test(t.slice(i + 3).replace(/(^|\n)[ ]*#[^\n]*/g, ''))) unsupported()
            this.pos = this.end
            this.col = -1
            this.eol = this.end
            return false
          }
        }
        return true
      }
      start = eol + 1
    }
    this.pos = this.end
    this.col = -1
    this.eol = this.end
    return false
  }

  /** After a node that ended on this line: only spaces or a comment may follow it; then moves to the next content. */
  private endLine(from: number): void {
    const t = this.text
    let i = from
    while (t.charCodeAt(i) === SPACE) i++
    if (i < this.eol) {
      if (t.charCodeAt(i) !== HASH || i === from) unsupported()
    }
    this.seekContent(this.eol + 1)
  }

  /** True when the content at pos is a sequence entry (`-` then a space or the line's end). */
  private atDash(): boolean {
    if (this.text.charCodeAt(this.pos) !== DASH) return false
    const next = this.pos + 1
    return next === this.eol || this.text.charCodeAt(next) === SPACE
  }

  /** A node whose first line is the current one, at column col > parentIndent. */
  private blockNode(parentIndent: number): unknown {
    if (this.col <= parentIndent) unsupported()
    if (this.atDash()) return this.sequence()
    if (this.keyEnd() >= 0) return this.mapping()
    return this.inlineValue(parentIndent, false)
  }

  /** Block sequence whose entries start at column col. */
  private sequence(): unknown[] {
    const indent = this.col
    const list: unknown[] = []
    while (this.pos < this.end && this.col === indent && this.atDash()) {
      const t = this.text
      let i = this.pos + 1
      while (t.charCodeAt(i) === SPACE) i++
      if (i === this.eol || t.charCodeAt(i) === HASH) {
        if (i < this.eol && t.charCodeAt(i - 1) !== SPACE) unsupported()
        this.seekContent(this.eol + 1)
        list.push(this.pos < this.end && this.col > indent ? this.blockNode(indent) : null)
      } else {
        // A compact node on the entry's own line: its column is where it starts.
        this.col += i - this.pos
        this.pos = i
        list.push(this.blockNode(indent))
      }
      if (this.pos < this.end && this.col > indent) unsupported()
    }
    return list
  }

  /**
   * Where the plain or quoted key on the current line ends (the index of its
   * `:`), or -1 when the line is no `key:` entry.
   */
  private keyEnd(): number {
    const t = this.text
    const c = t.charCodeAt(this.pos)
    if (c === QUOTE || c === DQUOTE) {
      // A quoted key: its closing quote on this line, then `:`.
      let i = this.pos + 1
      for (;;) {
        const q = indexInLine(t, c, i, this.eol)
        if (q < 0) return -1
        if (c === QUOTE && t.charCodeAt(q + 1) === QUOTE) {
          i = q + 2
          continue
        }
        if (c === DQUOTE && t.charCodeAt(q - 1) === 92 /* \ */) {
          // Leave escaped quotes in keys to js-yaml.
          return -1
        }
        let j = q + 1
        while (t.charCodeAt(j) === SPACE) j++
        return t.charCodeAt(j) === COLON && (j + 1 === this.eol || t.charCodeAt(j + 1) === SPACE) ? j : -1
      }
    }
    let i = indexInLine(t, COLON, this.pos, this.eol)
    while (i >= 0) {
      if (i + 1 === this.eol || t.charCodeAt(i + 1) === SPACE) return i
      i = indexInLine(t, COLON, i + 1, this.eol)
    }
    return -1
  }

  /** The key of a mapping entry, from the current line up to its `:` at `colon`. */
  private key(colon: number): string {
    const t = this.text
    const c = t.charCodeAt(this.pos)
    if (c === QUOTE) {
      let close = colon - 1
      while (t.charCodeAt(close) === SPACE) close--
      return t.slice(this.pos + 1, close).replaceAll("''", "'")
    }
    if (c === DQUOTE) {
      let close = colon - 1
      while (t.charCodeAt(close) === SPACE) close--
      const raw = t.slice(this.pos + 1, close)
      if (raw.includes('\\')) unsupported()
      return raw
    }
    let last = colon - 1
    while (t.charCodeAt(last) === SPACE) last--
    const key = t.slice(this.pos, last + 1)
    if (!isPlainStart(key) || key.includes(' #')) unsupported()
    // A key that resolves to null, a boolean or a number becomes its string form in js-yaml; left to it.
    if (mayResolve(key.charCodeAt(0)) && typeof resolvePlain(key) !== 'string') unsupported()
    return key
  }

  /** Block mapping whose keys start at column col. */
  private mapping(): Record<string, unknown> {
    const indent = this.col
    const map: Record<string, unknown> = {}
    while (this.pos < this.end && this.col === indent) {
      const colon = this.keyEnd()
      if (colon < 0) unsupported()
      const key = this.key(colon)
      // A repeated key is an error js-yaml reports; so is a key it stores apart (`__proto__`). A key that names a
      // property every object inherits (`constructor`) is left to it too: one lookup serves all three.
      if (map[key] !== undefined || key === '__proto__') unsupported()
      const t = this.text
      let i = colon + 1
      while (t.charCodeAt(i) === SPACE) i++
      let value: unknown
      if (i === this.eol || t.charCodeAt(i) === HASH) {
        if (i < this.eol && i === colon + 1) unsupported()
        this.seekContent(this.eol + 1)
        if (this.pos < this.end && this.col > indent) value = this.blockNode(indent)
        else if (this.pos < this.end && this.col === indent && this.atDash()) value = this.sequence()
        else value = null
      } else {
        this.col += i - this.pos
        this.pos = i
        if (this.atDash()) unsupported()
        value = this.inlineValue(indent, true)
      }
      map[key] = value
      if (this.pos < this.end && this.col > indent) unsupported()
    }
    return map
  }

  /**
   * A scalar (or `{}`/`[]`) starting at pos, whose continuation lines must be
   * indented past parentIndent. Leaves pos at the next content line.
   */
  private inlineValue(parentIndent: number, afterKey: boolean): unknown {
    const t = this.text
    const c = t.charCodeAt(this.pos)
    switch (c) {
      case QUOTE:
        return this.singleQuoted(parentIndent)
      case DQUOTE:
        return this.doubleQuoted(parentIndent)
      case 124 /* | */:
        return this.literal(parentIndent, afterKey)
      case 91 /* [ */:
      case 123 /* { */:
        {
          const close = c === 91 ? 93 : 125
          if (t.charCodeAt(this.pos + 1) !== close) unsupported()
          this.endLine(this.pos + 2)
          return c === 91 ? [] : {}
        }
      case 33 /* ! */:
        {
          if (!t.startsWith('!!binary ', this.pos)) unsupported()
          let i = this.pos + 9
          while (t.charCodeAt(i) === SPACE) i++
          this.col += i - this.pos
          this.pos = i
          const data = this.inlineValue(parentIndent, afterKey)
          if (typeof data !== 'string') unsupported()
          return this.binary(data)
        }
      default:
        if (!isPlainStartCode(c, t.charCodeAt(this.pos + 1))) unsupported()
        return this.plain(parentIndent)
    }
  }

  /** A plain scalar, folded over its continuation lines, resolved by js-yaml's core types. */
  private plain(parentIndent: number): unknown {
    const t = this.text
    let comment = indexInLine(t, HASH, this.pos, this.eol)
    while (comment >= 0 && t.charCodeAt(comment - 1) !== SPACE) comment = indexInLine(t, HASH, comment + 1, this.eol)
    if (comment >= 0) {
      // A comment ends the scalar on its first line.
      let last = comment - 1
      while (t.charCodeAt(last) === SPACE) last--
      const value = this.plainLine(this.pos, last + 1)
      this.seekContent(this.eol + 1)
      return mayResolve(value.charCodeAt(0)) ? resolvePlain(value) : value
    }
    let value = this.plainLine(this.pos, this.eol)
    let multi = false
    let breaks = 0
    let next = this.eol + 1
    // Where reading goes on: after the scalar's last line.
    let resume = next
    // Continuation lines: indented past the parent; a comment line ends the scalar.
    while (next < this.end) {
      let i = next
      while (t.charCodeAt(i) === SPACE) i++
      let eol = t.indexOf('\n', i)
      if (eol < 0) eol = this.end
      if (i === eol) {
        breaks++
        next = eol + 1
        continue
      }
      if (i - next <= parentIndent || t.charCodeAt(i) === HASH) break
      multi = true
      value += breaks ? '\n'.repeat(breaks) : ' '
      breaks = 0
      value += this.plainLine(i, eol)
      next = eol + 1
      resume = next
    }
    this.seekContent(resume)
    return multi || !mayResolve(value.charCodeAt(0)) ? value : resolvePlain(value)
  }

  /** One line of a plain scalar, from `from` to `eol`, trailing spaces dropped; comments and `: ` are left to js-yaml. */
  private plainLine(from: number, eol: number): string {
    const t = this.text
    let last = eol - 1
    while (t.charCodeAt(last) === SPACE) last--
    const line = t.slice(from, last + 1)
    if (line.includes(' #') || line.includes(': ') || line.endsWith(':')) unsupported()
    return line
  }

  /** A single-quoted scalar ('' is a quote; line breaks fold). */
  private singleQuoted(parentIndent: number): string {
    const t = this.text
    let out = ''
    let i = this.pos + 1
    // The next quote, searched again only once passed: a body folded over many lines is scanned once, not once a line.
    let q = -1
    let nl = -1
    for (;;) {
      if (q < i) q = t.indexOf("'", i)
      if (q < 0) unsupported()
      // Likewise the line's end: a long line with many '' escapes is scanned once.
      if (nl < i && nl !== -2) {
        nl = t.indexOf('\n', i)
        if (nl < 0) nl = -2
      }
      if (nl >= 0 && nl < q) {
        out += trimEndSpaces(t.slice(i, nl))
        i = this.fold(nl, parentIndent, (s: string) => {
          out += s
        })
        continue
      }
      out += t.slice(i, q)
      if (t.charCodeAt(q + 1) === QUOTE) {
        out += "'"
        i = q + 2
        continue
      }
      this.closeQuoted(q + 1)
      return out
    }
  }

  /** A double-quoted scalar: escapes, folded line breaks, and `\` at a line's end joining lines. */
  private doubleQuoted(parentIndent: number): string {
    const t = this.text
    let out = ''
    let i = this.pos + 1
    let run = i
    const emit = (s: string) => {
      out += s
    }
    for (;;) {
      const c = t.charCodeAt(i)
      if (Number.isNaN(c)) unsupported()
      if (c === DQUOTE) {
        out += t.slice(run, i)
        this.closeQuoted(i + 1)
        return out
      }
      if (c === NEWLINE) {
        out += trimEndSpaces(t.slice(run, i))
        i = this.fold(i, parentIndent, emit)
        run = i
        continue
      }
      if (c !== 92 /* \ */) {
        i++
        continue
      }
      out += t.slice(run, i)
      const e = t.charCodeAt(i + 1)
      if (e === NEWLINE) {
        // An escaped line break: the lines join with nothing between them.
        i = this.skipIndent(i + 2, parentIndent)
      } else {
        const simple = ESCAPES[e]
        if (simple !== undefined) {
          out += simple
          i += 2
        } else {
          const digits = e === 120 /* x */ ? 2 : e === 117 /* u */ ? 4 : e === 85 /* U */ ? 8 : 0
          if (!digits) unsupported()
          const hex = t.slice(i + 2, i + 2 + digits)
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) unsupported()
          const code = Number.parseInt(hex, 16)
          if (code > 0x10ffff) unsupported()
          out += String.fromCodePoint(code)
          i += 2 + digits
        }
      }
      run = i
    }
  }

  /**
   * A line break inside a quoted scalar at `nl`: empty lines become `\n`
   * each, a single break one space. Returns where the text resumes.
   */
  private fold(nl: number, parentIndent: number, emit: (s: string) => void): number {
    const t = this.text
    let i = nl + 1
    let breaks = 0
    for (;;) {
      const start = i
      while (t.charCodeAt(i) === SPACE) i++
      if (t.charCodeAt(i) === NEWLINE) {
        breaks++
        i++
        continue
      }
      if (i >= this.end || i - start <= parentIndent) unsupported()
      if (i - start === 0 && (t.startsWith('---', i) || t.startsWith('...', i))) unsupported()
      break
    }
    emit(breaks ? '\n'.repeat(breaks) : ' ')
    return i
  }

  /** After an escaped line break: the next line's indentation is dropped. */
  private skipIndent(from: number, parentIndent: number): number {
    const t = this.text
    let i = from
    while (t.charCodeAt(i) === SPACE) i++
    if (t.charCodeAt(i) === NEWLINE || i - from <= parentIndent) unsupported()
    return i
  }

  /** After a closing quote at `after - 1`: the rest of its line, then the next content. */
  private closeQuoted(after: number): void {
    let eol = this.text.indexOf('\n', after)
    if (eol < 0) eol = this.end
    this.eol = eol
    this.endLine(after)
  }

  /** A literal block scalar (`|`, `|-`, `|+`, with an indentation indicator after a key). */
  private literal(parentIndent: number, afterKey: boolean): string {
    const t = this.text
    let i = this.pos + 1
    let chomp = 0
    const h = t.charCodeAt(i)
    if (h === DASH) {
      chomp = -1
      i++
    } else if (h === 43 /* + */) {
      chomp = 1
      i++
    }
    // An indentation indicator (PyYAML writes `|2+` for a token that is a line break) counts from the key's column.
    let indent = -1
    const c = t.charCodeAt(i)
    if (c >= 49 && c <= 57) {
      if (!afterKey) unsupported()
      indent = parentIndent + c - 48
      i++
      if (chomp === 0 && t.charCodeAt(i) === DASH) {
        chomp = -1
        i++
      } else if (chomp === 0 && t.charCodeAt(i) === 43) {
        chomp = 1
        i++
      }
    } else if (c === 48) unsupported()
    while (t.charCodeAt(i) === SPACE) i++
    if (i < this.eol && (t.charCodeAt(i) !== HASH || t.charCodeAt(i - 1) !== SPACE)) unsupported()
    // Content lines: the first non-empty one sets the indentation.
    let next = this.eol + 1
    const lines: string[] = []
    let lastNext = next
    while (next < this.end) {
      let j = next
      while (t.charCodeAt(j) === SPACE) j++
      let eol = t.indexOf('\n', j)
      if (eol < 0) eol = this.end
      const spaces = j - next
      if (j === eol) {
        // A blank line: empty content (spaces past the indentation would be content; left to js-yaml).
        if (spaces > 0 && (indent < 0 || spaces > indent)) unsupported()
        lines.push('')
        next = eol + 1
        continue
      }
      if (indent < 0) {
        if (spaces <= parentIndent) break
        indent = spaces
      } else if (spaces < indent) break
      lines.push(t.slice(next + indent, eol))
      next = eol + 1
      lastNext = next
    }
    // Trailing blank lines belong to the scalar (chomping decides) only up to the last content line read.
    let content = lines
    let trailing = 0
    while (content.length && content[content.length - 1] === '') {
      content = content.slice(0, -1)
      trailing++
    }
    let value = content.join('\n')
    if (content.length) {
      if (chomp === 0) value += '\n'
      else if (chomp === 1) value += '\n'.repeat(1 + trailing)
    } else if (chomp === 1) value = '\n'.repeat(trailing)
    this.seekContent(indent < 0 ? this.eol + 1 : lastNext)
    return value
  }
}

const ESCAPES: Record<number, string> = {
  48: '\x00',
  97: '\x07',
  98: '\x08',
  116: '\t',
  9: '\t',
  110: '\n',
  118: '\x0B',
  102: '\x0C',
  114: '\r',
  101: '\x1B',
  32: ' ',
  34: '"',
  47: '/',
  92: '\\',
  78: '\x85',
  95: '\xA0',
  76: '\u2028',
  80: '\u2029',
}

/** The index of the character `code` in `t` from `from` up to `end` (a line's end), or -1: never scans past the line. */
function indexInLine(t: string, code: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (t.charCodeAt(i) === code) return i
  return -1
}

function trimEndSpaces(s: string): string {
  let end = s.length
  while (end > 0 && s.charCodeAt(end - 1) === SPACE) end--
  return end === s.length ? s : s.slice(0, end)
}

/** Whether a plain scalar starting with this character may be something other than a string in the core schema. */
function mayResolve(c: number): boolean {
  // ~ + - . 0-9 n N t T f F
  return (
    c === 126 ||
    c === 43 ||
    c === 45 ||
    c === 46 ||
    (c >= 48 && c <= 57) ||
    c === 110 ||
    c === 78 ||
    c === 116 ||
    c === 84 ||
    c === 102 ||
    c === 70
  )
}

/** A short decimal integer or fixed-point number (`-12`, `0.25`, `-0.0`): what js-yaml makes of it, without its regexes. */
const SIMPLE_NUMBER = /^-?[0-9]{1,15}(\.[0-9]{1,15})?$/

function resolvePlain(s: string): unknown {
  // js-yaml reads these as sign × parseInt / parseFloat of the digits; Number() gives the same (and -0 for -0.0).
  if (SIMPLE_NUMBER.test(s)) return Number(s)
  for (const type of implicit()) if (type.resolve(s)) return type.construct(s)
  return s
}

/** A plain scalar may not start with an indicator (the ones `-`, `?`, `:` only when a space follows). */
function isPlainStartCode(c: number, next: number): boolean {
  switch (c) {
    case 38 /* & */:
    case 42 /* * */:
    case 33 /* ! */:
    case 124 /* | */:
    case 62 /* > */:
    case 39 /* ' */:
    case 34 /* " */:
    case 37 /* % */:
    case 64 /* @ */:
    case 96 /* ` */:
    case 91 /* [ */:
    case 93 /* ] */:
    case 123 /* { */:
    case 125 /* } */:
    case 44 /* , */:
    case HASH:
      return false
    case DASH:
    case 63 /* ? */:
    case COLON:
      return !(Number.isNaN(next) || next === SPACE || next === NEWLINE)
    default:
      return true
  }
}

function isPlainStart(s: string): boolean {
  return s.length > 0 && isPlainStartCode(s.charCodeAt(0), s.charCodeAt(1))
}
