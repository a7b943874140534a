/**
 * Editing JSON in place: jsonc-parser (the parser VS Code edits settings
 * with) computes the smallest text edit for a change, formatted like the
 * file (its indentation, tabs or spaces, line endings), so key order, the
 * layout of every other member and the trailing newline stay as they were.
 */
import * as jsonc from 'jsonc-parser'
import {ShapeError, TargetParseError} from './yaml-text.js'

export class JsonText {
  text: string
  private readonly format: jsonc.FormattingOptions

  constructor(text: string) {
    this.text = text
    this.check()
    this.format = detectFormat(text)
  }

  private check(): void {
    // What a person can act on, where the parser's code would not say (trial 33: "InvalidSymbol at column 1").
    if (this.text.charCodeAt(0) === 0xfeff)
      throw new TargetParseError(
        'the file starts with a byte-order mark, which JSON readers refuse (JSON.parse does): save it as UTF-8 without one',
        1,
      )
    if (this.text.trim() === '') throw new TargetParseError('the file is empty: a JSON object was expected', 1)
    const errors: jsonc.ParseError[] = []
    const value = jsonc.parse(this.text, errors, {allowTrailingComma: false, disallowComments: true})
    const first = errors[0]
    if (first) {
      throw new TargetParseError(
        `not JSON: ${jsonc.printParseErrorCode(first.error)} at column ${columnAt(this.text, first.offset)}${/^\s*[A-Za-z_#-]/.test(this.text) ? ' (YAML? this kind of target is a JSON file)' : ''}`,
        lineAt(this.text, first.offset),
      )
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new TargetParseError('the file is not a JSON object', 1)
    const duplicate = firstDuplicateKey(this.text)
    if (duplicate)
      throw new TargetParseError(
        `the key "${duplicate.key.length > 80 ? `${duplicate.key.slice(0, 79)}…` : duplicate.key}" appears twice in one object (programs reading the file take the last, an edit would find the first)`,
        lineAt(this.text, duplicate.offset),
      )
  }

  get(path: readonly (string | number)[]): unknown {
    const root = jsonc.parseTree(this.text)
    const node = root ? jsonc.findNodeAtLocation(root, [...path]) : undefined
    return node ? jsonc.getNodeValue(node) : undefined
  }

  /** Sets `path` to `value` (undefined removes it). Returns whether the text changed. */
  set(path: readonly (string | number)[], value: unknown): boolean {
    const before = this.get(path)
    if (JSON.stringify(before) === JSON.stringify(value)) return false
    // A key set inside a value that is no object (`"env": null`, a string, a list): the file says something else there,
    // which is for its owner to mend (trial 99: jsonc-parser's "Can not add index to parent of type null").
    for (let depth = 1; depth < path.length; depth++) {
      const held = this.get(path.slice(0, depth))
      if (held === undefined) break
      const list = Array.isArray(held)
      if (held !== null && typeof held === 'object' && list === (typeof path[depth] === 'number')) continue
      const what =
        held === null ? 'null' : list ? 'a list' : typeof held === 'object' ? 'an object' : `a ${typeof held}`
      throw new ShapeError(
        `${path.slice(0, depth).join('.')} is ${what}, not ${typeof path[depth] === 'number' ? 'a list' : 'an object'}: ${path.join('.')} cannot be set in it (mend the file by hand)`,
      )
    }
    // The edit unformatted, then only what it adds laid out like the file: jsonc-parser's own formatting of an edit
    // reaches back over the member before it (trial 99: a one-line `hooks` spread over 14 lines to add `env` after it).
    let text = this.text
    const into = container(text, path)
    const oneLine = into !== undefined && !/[\r\n]/.test(text.slice(into.offset, into.offset + into.length))
    // Into an object or list written over lines with nothing in it yet, jsonc-parser's own layout reaches back over no
    // member (and lays out its braces' lines, which a range around the new member alone would not: review 102). One
    // written on one line stays on it (its layout would spread the whole line: review 104).
    if (into && !into.children?.length && !oneLine) {
      this.text = jsonc.applyEdits(text, jsonc.modify(text, [...path], value, {formattingOptions: this.format}))
      return true
    }
    for (const edit of jsonc.modify(text, [...path], value, {}).sort((a, b) => b.offset - a.offset)) {
      if (!edit.content || !oneLine) {
        text = jsonc.applyEdits(text, [edit])
        if (edit.content)
          text = jsonc.applyEdits(
            text,
            jsonc.format(text, {offset: edit.offset, length: edit.content.length}, this.format),
          )
      } else text = jsonc.applyEdits(text, [{...edit, content: onOneLine(edit.content)}])
    }
    this.text = text
    return true
  }
}

/** The object or list an edit of `path` lands in: the deepest one on the way that is there. */
function container(text: string, path: readonly (string | number)[]): jsonc.Node | undefined {
  const root = jsonc.parseTree(text)
  for (let depth = path.length - 1; root && depth >= 0; depth--) {
    const node = jsonc.findNodeAtLocation(root, [...path.slice(0, depth)])
    if (node) return node.type === 'object' || node.type === 'array' ? node : undefined
  }
  return undefined
}

/** JSON text on one line, as such files write it: a space after each comma and colon, none elsewhere. */
function onOneLine(json: string): string {
  const scanner = jsonc.createScanner(json, true)
  let out = ''
  for (let kind = scanner.scan(); kind !== jsonc.SyntaxKind.EOF; kind = scanner.scan()) {
    out += json.slice(scanner.getTokenOffset(), scanner.getTokenOffset() + scanner.getTokenLength())
    if (kind === jsonc.SyntaxKind.CommaToken || kind === jsonc.SyntaxKind.ColonToken) out += ' '
  }
  return out
}

/**
 * The first key an object of the document names twice. Readers differ on such a file (JSON.parse keeps the last
 * value, an editor finds the first): a change made to one of the two may be the one nothing reads.
 */
function firstDuplicateKey(text: string): {key: string; offset: number} | undefined {
  const keys: Array<Set<string> | undefined> = []
  let found: {key: string; offset: number} | undefined
  jsonc.visit(text, {
    onObjectBegin: () => {
      keys.push(new Set())
    },
    onObjectEnd: () => {
      keys.pop()
    },
    onArrayBegin: () => {
      keys.push(undefined)
    },
    onArrayEnd: () => {
      keys.pop()
    },
    onObjectProperty: (key, offset) => {
      const seen = keys[keys.length - 1]
      if (!seen || found) return
      if (seen.has(key)) found = {key, offset}
      seen.add(key)
    },
  })
  return found
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

function columnAt(text: string, offset: number): number {
  return offset - text.lastIndexOf('\n', offset - 1)
}

function detectFormat(text: string): jsonc.FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const indented = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  '
  if (indented.startsWith('\t')) return {insertSpaces: false, tabSize: 1, eol}
  return {insertSpaces: true, tabSize: indented.length, eol}
}
