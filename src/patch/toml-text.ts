/**
 * A TOML file edited as text: its values read by a TOML parser (smol-toml, which checks the whole file), a string
 * value set by rewriting its one line, so comments, spacing, key order, a BOM and CRLF line endings stay as they were.
 * Every edit is read back through the parser: an edit that would not say what was asked is refused, not written.
 */
import {parse, TomlError} from 'smol-toml'
import {TargetParseError} from './yaml-text.js'

/** A key line of a table: `key = value`, the key bare or quoted. */
const KEY_LINE = /^(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(\s*=\s*)(.*)$/
/** A table header, `[name]` or `[a.b]` (not `[[array]]`), with what may follow it. */
const HEADER = /^\s*\[(?!\[)\s*([^\]]+?)\s*\](\s*(?:#.*)?)$/
/** An array-of-tables header: the keys under it belong to one of its items. */
const ARRAY_HEADER = /^\s*\[\[/

export class TomlText {
  private doc: Record<string, unknown>
  private readonly eol: string

  constructor(public text: string) {
    this.doc = read(text)
    this.eol = text.includes('\r\n') ? '\r\n' : '\n'
  }

  /** The value at a path of tables and a key (undefined when absent). */
  get(path: readonly string[]): unknown {
    let at: unknown = this.doc
    for (const key of path) {
      if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined
      at = (at as Record<string, unknown>)[key]
    }
    return at
  }

  /**
   * Sets a string value at `[...table, key]`: its line rewritten where the key is set on a line of its own in that
   * table (the root: before the first header), else a line added at the end of the table's keys. Whether the text
   * changed; undefined when the key is written another way this editor leaves alone (a dotted key, a value over
   * several lines, an inline table).
   */
  setString(table: readonly string[], key: string, value: string): boolean | undefined {
    if (this.get([...table, key]) === value) return false
    const lines = this.lines()
    const name = table.join('\u0000')
    let current = ''
    let inArray = false
    let lastKey = -1
    let header = name === '' ? -1 : undefined
    let found = -1
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!
      if (ARRAY_HEADER.test(line)) {
        inArray = true
        current = '\u0001'
        continue
      }
      const t = tableOf(line)
      if (t !== undefined) {
        inArray = false
        current = t
        if (t === name) header = i
        continue
      }
      const m = KEY_LINE.exec(line)
      if (!m) continue
      // (A value over several lines, a multi-line string or array: its lines are no keys, and a key goes after it.)
      const end = valueEnd(lines, i, m[4]!)
      if (!inArray && current === name) {
        lastKey = end
        if (unquote(m[2]!) === key) found = i
      }
      i = end
    }
    let next: string[]
    if (found >= 0) {
      const m = KEY_LINE.exec(lines[found]!)!
      const rest = stringValueEnd(m[4]!)
      if (rest === undefined) return undefined
      next = [...lines]
      // (In the quotes it was written in: a literal string stays one where the value allows.)
      const quoted = m[4]!.startsWith("'") && !/['\n]/.test(value) ? `'${value}'` : JSON.stringify(value)
      next[found] = `${m[1]}${m[2]}${m[3]}${quoted}${m[4]!.slice(rest)}`
    } else {
      if (header === undefined) return undefined
      // After the table's last key; in the root with no key, before the first header (after the comments that open the
      // file, where a person reads the settings).
      let at = lastKey >= 0 ? lastKey + 1 : header + 1
      if (name === '' && lastKey < 0) {
        at = 0
        while (at < lines.length && /^\s*(?:#.*)?$/.test(lines[at]!) && lines[at]!.trim() !== '') at++
      }
      next = [...lines.slice(0, at), `${key} = ${JSON.stringify(value)}`, ...lines.slice(at)]
    }
    const text = next.join(this.eol)
    let doc: Record<string, unknown>
    try {
      doc = read(text)
    } catch {
      return undefined
    }
    const before = this.doc
    this.doc = doc
    if (this.get([...table, key]) !== value) {
      this.doc = before
      return undefined
    }
    this.text = text
    return true
  }

  private lines(): string[] {
    return this.text.split(/\r?\n/)
  }
}

function read(text: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>
  } catch (error) {
    if (error instanceof TomlError) throw new TargetParseError(`not TOML: ${error.message.split('\n')[0]}`, error.line)
    throw error
  }
}

/**
 * The table a header line opens (`profiles.fast`; quoted parts unquoted, a dot inside quotes kept: `[profiles."my.team"]`
 * is the table `my.team` of `profiles`), its parts joined by NUL; undefined for any other line.
 */
function tableOf(line: string): string | undefined {
  const m = HEADER.exec(line)
  if (!m) return undefined
  const parts: string[] = []
  for (const part of m[1]!.matchAll(/\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^.]+?)\s*(?:\.|$)/g)) parts.push(unquote(part[1]!))
  return parts.join('\u0000')
}

/**
 * The last line of a value that starts on line `i` (`value`: the text after its `=`): a multi-line string runs to its
 * closing quotes, an array to its closing bracket (brackets in strings and comments not counted); else line `i`.
 */
function valueEnd(lines: readonly string[], i: number, value: string): number {
  for (const quotes of ['"""', "'''"]) {
    if (!value.startsWith(quotes)) continue
    if (value.indexOf(quotes, 3) >= 0) return i
    for (let k = i + 1; k < lines.length; k++) if (lines[k]!.includes(quotes)) return k
    return lines.length - 1
  }
  if (!value.startsWith('[')) return i
  let depth = 0
  for (let k = i; k < lines.length; k++) {
    const text = k === i ? value : lines[k]!
    for (let c = 0; c < text.length; c++) {
      const ch = text[c]!
      if (ch === '#') break
      if (ch === '"' || ch === "'") {
        const close = text.indexOf(ch, c + 1)
        if (close < 0) break
        c = close
      } else if (ch === '[') depth++
      else if (ch === ']') depth--
    }
    if (depth <= 0) return k
  }
  return lines.length - 1
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"') && key.length >= 2) return JSON.parse(key) as string
  if (key.startsWith("'") && key.endsWith("'") && key.length >= 2) return key.slice(1, -1)
  return key
}

/** Where a one-line string value (`"gpt-5"`, `'gpt-5'`) ends in the text after `=`; undefined for any other value. */
function stringValueEnd(value: string): number | undefined {
  if (value.startsWith('"""') || value.startsWith("'''")) return undefined
  if (value.startsWith("'")) {
    const end = value.indexOf("'", 1)
    return end > 0 ? end + 1 : undefined
  }
  if (!value.startsWith('"')) return undefined
  for (let i = 1; i < value.length; i++) {
    if (value[i] === '\\') i++
    else if (value[i] === '"') return i + 1
  }
  return undefined
}
