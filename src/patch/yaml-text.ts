/**
 * Editing YAML the way a person would: `yaml`'s Document API finds each
 * node's exact place in the text (its source range), and only those bytes
 * change. The document is never re-serialised, so comments, key order,
 * quoting, indentation, blank lines and number spellings (`3.`) of every
 * other line stay exactly as they were. After each edit the text is parsed
 * again, so the next edit sees true ranges.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  stringify,
  type Document,
  type Node,
  type Pair,
  type ScalarTag,
  type Tags,
} from 'yaml'

/**
 * YAML 1.1 as PyYAML reads it (the Python tools' configs): `yes`/`no`,
 * `on`/`off`, `true`/`false` are booleans, but not `y` and `n`, which the
 * 1.1 spec (and `yaml`'s 1.1 schema) would also take for booleans.
 */
function pyyamlTags(tags: Tags): Tags {
  return tags.map(tag => {
    const t = tag as ScalarTag
    if (t.tag !== 'tag:yaml.org,2002:bool' || !(t.test instanceof RegExp)) return tag
    return {
      ...t,
      test: t.identify?.(true) ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    }
  })
}

const YAML_11 = {version: '1.1', customTags: pyyamlTags} as const

/** A file that is not valid YAML: where and why. */
export class TargetParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message)
    this.name = 'TargetParseError'
  }
}

/** A value where the edit expects another shape (a mapping where a name was expected…). */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ShapeError'
  }
}

type Key = string | number
export type Scalarish = string | number | boolean

/** A JSON-like value rendered as one flow line: `[{"cheap": ["strong"]}]`. */
function flowText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${flowText(v)}`)
      .join(', ')}}`
  return JSON.stringify(value)
}

/** A scalar as YAML writes it in block context (plain when it can be, quoted when it must). */
function scalarText(value: Scalarish): string {
  if (typeof value !== 'string') return String(value)
  // Quoted where either YAML version would read it as something else (`yes`, `100_000`).
  const v11 = stringify(value, {lineWidth: 0, ...YAML_11}).replace(/\n$/, '')
  return v11 === value ? stringify(value, {lineWidth: 0}).replace(/\n$/, '') : v11
}

const FLOW_UNSAFE = /[,[\]{}#]|: |^[\s'"&*!|>%@`-]|\s$/

/** A string as a plain flow scalar when it can be one, else double-quoted. */
function flowScalar(value: string, quoteLike?: string): string {
  if (quoteLike === 'QUOTE_DOUBLE') return JSON.stringify(value)
  if (quoteLike === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`
  const plain = scalarText(value)
  return plain.startsWith('"') || plain.startsWith("'") || FLOW_UNSAFE.test(value) ? JSON.stringify(value) : plain
}

/** A string in block context, quoted the way the value it replaces was (plain when it can stay plain). */
function blockScalar(value: string, quoteLike?: string): string {
  if (quoteLike === 'QUOTE_DOUBLE') return JSON.stringify(value)
  if (quoteLike === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`
  return scalarText(value)
}

export class YamlText {
  text: string
  private doc!: Document.Parsed
  /** Spaces per nesting level, as the file does it. */
  readonly unit: number
  /** Whether the file indents sequence items under their key (`key:\n  - x`) or not (`key:\n- x`). */
  readonly indentSeq: boolean

  /**
   * `version`: the YAML the file's tool reads. Python tools (LiteLLM,
   * SWE-agent, mini-swe-agent) read YAML 1.1 with PyYAML, where `100_000` is
   * a number and `yes` a boolean; JavaScript tools read YAML 1.2.
   */
  constructor(
    text: string,
    readonly version: '1.1' | '1.2' = '1.1',
  ) {
    this.text = text
    this.reparse()
    const style = detectStyle(text)
    this.unit = style.unit
    this.indentSeq = style.indentSeq
  }

  private reparse(): void {
    const doc = parseDocument(this.text, {
      keepSourceTokens: true,
      prettyErrors: true,
      uniqueKeys: false,
      ...(this.version === '1.1' ? YAML_11 : {version: '1.2' as const}),
    })
    const error = doc.errors[0]
    // (The library's own words name its API: "please use YAML.parseAllDocuments()"; trial 99.)
    if (error?.code === 'MULTIPLE_DOCS')
      throw new TargetParseError(
        'the file holds more than one YAML document (a `---` line starts another): aco edits a config written as one',
        error.linePos?.[0]?.line,
      )
    if (error)
      throw new TargetParseError(
        error.message
          .split('\n')[0]!
          .replace(/ at line \d+, column \d+:?$/, '')
          .replace(/:$/, ''),
        error.linePos?.[0]?.line,
      )
    this.doc = doc
  }

  /** The plain value at `path` (undefined when absent). */
  get(path: readonly Key[]): unknown {
    const node = this.resolved(path).node
    if (node === undefined) return undefined
    if (isScalar(node)) return node.value
    try {
      // (In the document's context: a merge key `<<: *defaults` resolves its alias there, and not from the node alone.)
      return (node as {toJS(doc: Document): unknown}).toJS(this.doc)
    } catch (error) {
      // (What the yaml library cannot resolve, such as a merge key it does not take: this target, not the run.)
      throw new TargetParseError((error as Error).message, node.range ? this.lineAt(node.range[0]) : undefined)
    }
  }

  /**
   * The node at `path` as the file's tool reads it: aliases followed, and a key a mapping lacks looked up in what its
   * merge keys (`<<: *base`) bring, the first source that has it winning (https://yaml.org/type/merge.html). `through`
   * says how it was reached, where an edit at `path` would not change only this place: `alias` when the path goes
   * through an alias (or a merged mapping) before its last key, `merge` when only its last key came from a merge (an
   * explicit key written beside the merge overrides it there), `value-alias` when its value is an alias (`model: *m`).
   */
  resolved(path: readonly Key[]): {node?: Node; through?: 'alias' | 'merge' | 'value-alias'; anchor?: string} {
    let node: unknown = this.doc.contents
    let through: 'alias' | 'merge' | undefined
    let anchor: string | undefined
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!
      if (isAlias(node)) {
        anchor ??= node.source
        through = 'alias'
        node = node.resolve(this.doc)
      }
      let next: unknown
      if (isMap(node)) {
        const own = node.items.find(p => keyValue(p.key) === key)
        if (own) next = own.value
        else {
          const merged = this.mergedPair(node, key, 0)
          if (merged) {
            anchor ??= merged.anchor
            next = merged.pair.value
            through = i === path.length - 1 && through === undefined ? 'merge' : 'alias'
          }
        }
      } else if (isSeq(node) && typeof key === 'number') next = node.items[key]
      // Not there: where the path went through an alias on the way, what is written there is the anchor's (or shadows
      // a merged mapping), so that is said too.
      if (next === undefined || next === null) return through === 'alias' ? {through, ...(anchor ? {anchor} : {})} : {}
      node = next
    }
    if (isAlias(node)) {
      anchor ??= node.source
      return {node: node.resolve(this.doc) as Node | undefined, through: through ?? 'value-alias', anchor}
    }
    return {node: node as Node, ...(through ? {through} : {}), ...(anchor ? {anchor} : {})}
  }

  /**
   * The pair for `key` that a mapping's merge keys bring, with the anchor it came through: the first merged mapping
   * that has it, each one's own keys before what its own merge keys bring (chained merges), as PyYAML reads them.
   */
  private mergedPair(map: unknown, key: Key, depth: number): {pair: Pair; anchor?: string} | undefined {
    if (!isMap(map) || depth > 16) return undefined
    for (const merge of map.items.filter(p => isMergeKey(p.key))) {
      for (let source of isSeq(merge.value) ? merge.value.items : [merge.value]) {
        let anchor: string | undefined
        if (isAlias(source)) {
          anchor = source.source
          source = source.resolve(this.doc)
        }
        if (!isMap(source)) continue
        const own = source.items.find(p => keyValue(p.key) === key) as Pair | undefined
        if (own) return {pair: own, ...(anchor ? {anchor} : {})}
        const deeper = this.mergedPair(source, key, depth + 1)
        if (deeper) return {pair: deeper.pair, ...((anchor ?? deeper.anchor) ? {anchor: anchor ?? deeper.anchor} : {})}
      }
    }
    return undefined
  }

  /**
   * Refuses an edit at `path` that would not change this place alone: one reached through an alias (or a merged
   * mapping), which would change the anchor and every place that uses it, or, with `merged` false, one whose value a
   * merge key brings (a list written here would shadow the merged one), or the value (or a mapping or list it sits in)
   * carrying an anchor aliases use. `seen`: the path resolved, where the caller already has it.
   */
  private refuseShared(
    path: readonly Key[],
    allow: {merged: boolean; valueAlias: boolean},
    seen = this.resolved(path),
  ): void {
    const where = path.join('.')
    if (
      seen.through === 'alias' ||
      (seen.through === 'merge' && !allow.merged) ||
      (seen.through === 'value-alias' && !allow.valueAlias)
    )
      throw new ShapeError(
        `${where} comes from the anchor &${seen.anchor ?? '?'} through an alias or merge key: changing it there would change every place that uses the anchor; change it by hand`,
      )
    // The value, or a mapping or list it sits in, carrying an anchor an alias uses: the change would show there too
    // (review 34: an anchor on `agent.model` with `reviewer.model: *m` beside it).
    for (let depth = path.length; depth >= 1; depth--) {
      const node = this.node(path.slice(0, depth)) as (Node & {anchor?: string}) | undefined
      if (node?.anchor && this.aliasUsed(node.anchor))
        throw new ShapeError(
          `${depth === path.length ? where : path.slice(0, depth).join('.')} carries the anchor &${node.anchor}, which other places use: changing ${where} there would change them too; change it by hand`,
        )
    }
  }

  /** Whether an alias of the document names `anchor`. */
  private aliasUsed(anchor: string): boolean {
    let used = false
    visit(this.doc, {
      Alias(_, node) {
        if (node.source !== anchor) return undefined
        used = true
        return visit.BREAK
      },
    })
    return used
  }

  /** The 1-based line of a character offset of the text. */
  private lineAt(offset: number): number {
    let line = 1
    for (let i = 0; i < offset && i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) line++
    return line
  }

  node(path: readonly Key[]): Node | undefined {
    if (path.length === 0) return (this.doc.contents ?? undefined) as Node | undefined
    const found = this.doc.getIn(path, true) as Node | undefined
    return found ?? undefined
  }

  /** The keys of the top-level mapping, as written (none for an empty document or another top level). */
  topKeys(): string[] {
    const c = this.doc.contents
    return isMap(c) ? c.items.map(item => String(keyValue(item.key))) : []
  }

  /** Whether the document's top level is a mapping (or empty). */
  isMapping(): boolean {
    const c = this.doc.contents
    return c === null || isMap(c) || (isScalar(c) && c.value === null)
  }

  private splice(start: number, end: number, insert: string): void {
    // (Lines added to a file written with CRLF end as its lines do: a mix of CRLF and LF is no file its tools wrote.)
    const text = this.text.includes('\r\n') ? insert.replace(/\r?\n/g, '\r\n') : insert
    this.text = this.text.slice(0, start) + text + this.text.slice(end)
    this.reparse()
  }

  /**
   * Sets a scalar at `path`, creating the mappings on the way. Keeps the
   * value's quoting style and its comment. Returns whether the text changed.
   */
  setScalar(path: readonly Key[], value: Scalarish): boolean {
    const seen = this.resolved(path)
    if (seen.through !== 'alias' && isScalar(seen.node) && seen.node.value === value) return false
    // Reached through an alias: the change would be the anchor's, and every place that uses it would change too.
    this.refuseShared(path, {merged: true, valueAlias: true}, seen)
    const node = this.node(path)
    // An alias as the value (`model_name: *m`): this place alone gets the new value; the anchor stays as it is.
    if (isAlias(node)) {
      if (!node.range) throw new ShapeError(`${path.join('.')} has no place in the text`)
      this.splice(node.range[0], node.range[1], typeof value === 'string' ? blockScalar(value, 'PLAIN') : String(value))
      return true
    }
    if (node !== undefined && isScalar(node) && node.value !== null) {
      if (node.value === value) return false
      if (!node.range) throw new ShapeError(`${path.join('.')} has no place in the text`)
      const [start, end] = node.range
      const parent = this.node(path.slice(0, -1)) as {flow?: boolean} | undefined
      const rendered =
        typeof value !== 'string'
          ? String(value)
          : parent?.flow
            ? flowScalar(value, String(node.type))
            : blockScalar(value, String(node.type))
      this.splice(start, end, rendered)
      return true
    }
    if (node !== undefined && !(isScalar(node) && node.value === null))
      throw new ShapeError(`${path.join('.')} is a ${isMap(node) ? 'mapping' : 'list'}, not a single value`)
    this.insert(path, value)
    return true
  }

  /** Sets `path` to a value written on one flow line (a list or mapping), replacing what is there. */
  setFlow(path: readonly Key[], value: unknown): boolean {
    this.refuseShared(path, {merged: true, valueAlias: true})
    const node = this.node(path)
    const rendered = flowText(value)
    if (node !== undefined && !(isScalar(node) && node.value === null)) {
      if (JSON.stringify((node as {toJSON(): unknown}).toJSON()) === JSON.stringify(value)) return false
      if (!node.range) throw new ShapeError(`${path.join('.')} has no place in the text`)
      if ((isMap(node) || isSeq(node)) && !node.flow)
        throw new ShapeError(`${path.join('.')} is written as a block: edit its entries, not the whole`)
      this.splice(node.range[0], node.range[1], rendered)
      return true
    }
    this.insert(path, {flow: rendered})
    return true
  }

  /** Inserts `path` (absent, or an empty value) with `value`, under its deepest existing mapping. */
  private insert(path: readonly Key[], value: Scalarish | {flow: string}): void {
    // A key written with no value (`model_list:`, `fallbacks: null`): its value goes there, not a second key beside it
    // (trial 99: programs reading the file keep the last of two keys, and an edit the first).
    if (this.fillNull(path, value)) return
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const parentPath = path.slice(0, depth)
      const parent = this.node(parentPath)
      if (parent === undefined) continue
      const rest = path.slice(depth)
      if (rest.some(k => typeof k !== 'string'))
        throw new ShapeError(`${path.join('.')}: a list entry that is not there cannot be created`)
      const keys = rest as string[]
      if (isMap(parent)) {
        if (parent.flow) this.insertFlowPair(parent, keys, value)
        else this.insertBlockPair(parent, keys, value)
        return
      }
      if (isScalar(parent) && parent.value === null) {
        this.fillEmpty(parentPath, keys, value)
        return
      }
      throw new ShapeError(`${parentPath.join('.') || 'the document'} is not a mapping`)
    }
    // No ancestor at all: an empty document.
    if (path.some(k => typeof k !== 'string')) throw new ShapeError('the document is empty')
    const lines = this.blockLines(path as string[], value, 0)
    const sep = this.text.length === 0 || this.text.endsWith('\n') ? '' : '\n'
    this.splice(this.text.length, this.text.length, `${sep}${lines}`)
  }

  /**
   * Writes `value` as the value of a key a mapping holds with none (`key:`, `key: ~`, `key: null`), on the key's line.
   * False when `path` names no such key.
   */
  private fillNull(path: readonly Key[], value: Scalarish | {flow: string}): boolean {
    const key = path[path.length - 1]
    const parent = this.node(path.slice(0, -1))
    if (key === undefined || !isMap(parent)) return false
    const pair = parent.items.find(p => keyValue(p.key) === key)
    const keyNode = pair?.key as Node | undefined
    const held = pair?.value as Node | null | undefined
    if (!pair || !keyNode?.range || (held && !(isScalar(held) && held.value === null))) return false
    const rendered =
      typeof value === 'object'
        ? value.flow
        : typeof value !== 'string'
          ? String(value)
          : parent.flow
            ? flowScalar(value)
            : blockScalar(value)
    // Only `key:` with nothing after it on its line but a comment, or `key: ~` / `key: null`: anything else (a key with
    // no colon, `{a, b: 1}` or `? a`; a tag, `a: !!null`) is not edited in place (review 102: `{a, b: v 1}`).
    const refuse = (): never => {
      throw new ShapeError(
        `${path.join('.')} is written with no value in a way aco cannot edit in place; set it by hand`,
      )
    }
    const colon = /^[ \t]*:/.exec(this.text.slice(keyNode.range[1]))
    if (!colon) refuse()
    const at = keyNode.range[1] + colon![0].length
    if (held?.range && held.range[1] > held.range[0]) {
      if (!/^(?:~|null|Null|NULL)$/.test(this.text.slice(held.range[0], held.range[1]))) refuse()
      this.splice(held.range[0], held.range[1], rendered)
      return true
    }
    const end = this.text.indexOf('\n', at)
    const rest = this.text.slice(at, end < 0 ? undefined : end)
    // (In a flow mapping, `{a: , b: 1}` and `{a:}`: the value goes before the comma or brace; review 104.)
    if (!(parent.flow ? /^[ \t]*[,}]/ : /^[ \t]*(?:#.*)?\r?$/).test(rest)) refuse()
    this.splice(at, at, ` ${rendered}`)
    return true
  }

  /** `a:\n  b: v\n` for keys [a, b], indented at `column`. */
  private blockLines(keys: readonly string[], value: Scalarish | {flow: string}, column: number): string {
    const pad = ' '.repeat(column)
    const lines: string[] = []
    keys.forEach((k, i) => {
      const indent = pad + ' '.repeat(this.unit * i)
      const key = scalarText(k)
      if (i < keys.length - 1) lines.push(`${indent}${key}:`)
      else lines.push(`${indent}${key}: ${typeof value === 'object' ? value.flow : scalarText(value)}`)
    })
    return `${lines.join('\n')}\n`
  }

  private insertBlockPair(
    map: Node & {items: Pair[]},
    keys: readonly string[],
    value: Scalarish | {flow: string},
  ): void {
    const first = map.items[0]
    const column = first ? this.columnOf((first.key as Node).range![0]) : 0
    const at = this.endOfLine(this.collectionEnd(map))
    const sep = at > 0 && this.text[at - 1] !== '\n' ? '\n' : ''
    this.splice(at, at, `${sep}${this.blockLines(keys, value, column)}`)
  }

  private insertFlowPair(
    map: Node & {items: Pair[]},
    keys: readonly string[],
    value: Scalarish | {flow: string},
  ): void {
    const like = String((map.items[0]?.value as {type?: string} | null)?.type ?? '')
    let inner =
      typeof value === 'object' ? value.flow : typeof value === 'string' ? flowScalar(value, like) : String(value)
    for (let i = keys.length - 1; i >= 1; i--) inner = `{${JSON.stringify(keys[i])}: ${inner}}`
    const pair = `${JSON.stringify(keys[0])}: ${inner}`
    const last = map.items[map.items.length - 1]
    if (last) {
      const end = ((last.value as Node | null)?.range ?? (last.key as Node).range)![1]
      this.splice(end, end, `, ${pair}`)
    } else {
      const open = this.text.indexOf('{', map.range![0])
      this.splice(open + 1, open + 1, pair)
    }
  }

  /** `key:` with nothing (or `null`) after it: the new keys go on the lines below. */
  private fillEmpty(path: readonly Key[], keys: readonly string[], value: Scalarish | {flow: string}): void {
    const node = this.node(path)!
    const parent = this.doc.getIn(path.slice(0, -1), true) as (Node & {items: Pair[]}) | undefined
    const pair =
      parent && isMap(parent)
        ? parent.items.find(p => (p.key as {value?: unknown})?.value === path[path.length - 1])
        : undefined
    const keyNode = pair?.key as Node | undefined
    const column = keyNode?.range ? this.columnOf(keyNode.range[0]) : 0
    if (node.range && node.range[1] > node.range[0]) this.splice(node.range[0], node.range[1], '')
    const after = this.node(path)
    const from = after?.range ? after.range[0] : keyNode?.range ? keyNode.range[1] : this.text.length
    const at = this.endOfLine(from)
    const sep = at > 0 && this.text[at - 1] !== '\n' ? '\n' : ''
    this.splice(at, at, `${sep}${this.blockLines(keys, value, column + this.unit)}`)
  }

  /**
   * Appends an entry to the list at `path` (written as a block or a flow
   * list). `value` is a scalar or a JSON-like mapping. Creates the list (as
   * a flow line) when it is not there.
   */
  appendToList(path: readonly Key[], value: unknown, options: {flowValues?: boolean} = {}): void {
    // (A list a merge key or an alias brings: one written here would shadow it, one appended to would be the anchor's.)
    this.refuseShared(path, {merged: false, valueAlias: false})
    const node = this.node(path)
    if (node === undefined || (isScalar(node) && node.value === null)) {
      this.setFlow(path, [value])
      return
    }
    if (!isSeq(node)) throw new ShapeError(`${path.join('.')} is not a list`)
    if (node.flow) {
      const last = node.items[node.items.length - 1] as Node | undefined
      const rendered = flowText(value)
      if (last?.range) this.splice(last.range[1], last.range[1], `, ${rendered}`)
      else {
        const open = this.text.indexOf('[', node.range![0])
        this.splice(open + 1, open + 1, rendered)
      }
      return
    }
    const first = node.items[0] as Node
    const dash = this.text.lastIndexOf('-', first.range![0])
    const column = this.columnOf(dash)
    const isMapping = value !== null && typeof value === 'object' && !Array.isArray(value)
    const body =
      isMapping && options.flowValues
        ? `${Object.entries(value as Record<string, unknown>)
            .map(
              ([k, v], i) =>
                `${i === 0 ? '- ' : '  '}${scalarText(k)}: ${typeof v === 'object' ? flowText(v) : scalarText(v as Scalarish)}`,
            )
            .join('\n')}\n`
        : isMapping
          ? stringify([value], {indent: this.unit, indentSeq: this.indentSeq, lineWidth: 0, ...YAML_11})
          : `- ${typeof value === 'object' ? flowText(value) : scalarText(value as Scalarish)}\n`
    const lines = body
      .replace(/\n$/, '')
      .split('\n')
      .map(l => ' '.repeat(column) + l)
      .join('\n')
    const at = this.endOfLine(this.collectionEnd(node))
    const sep = at > 0 && this.text[at - 1] !== '\n' ? '\n' : ''
    this.splice(at, at, `${sep}${lines}\n`)
  }

  /** Removes the entry `index` of the list at `path`: its lines (a block list) or the entry (a flow list). */
  removeFromList(path: readonly Key[], index: number): void {
    const node = this.node(path)
    if (!node || !isSeq(node)) throw new ShapeError(`${path.join('.')} is not a list`)
    const item = node.items[index] as Node | undefined
    if (!item?.range) throw new ShapeError(`${path.join('.')} has no entry ${index}`)
    if (node.flow) {
      const values = (node.toJSON() as unknown[]).filter((_, i) => i !== index)
      const plain = values.every(v => typeof v === 'string' && flowScalar(v) === v)
      const rendered = plain ? `[${(values as string[]).join(', ')}]` : flowText(values)
      this.splice(node.range![0], node.range![1], rendered)
      return
    }
    const dash = this.text.lastIndexOf('-', item.range[0])
    const start = this.text.lastIndexOf('\n', dash) + 1
    const end = this.endOfLine(item.range[2])
    this.splice(start, end, '')
  }

  /** Where a block collection's content ends (after its last entry, before what follows). */
  private collectionEnd(node: Node & {items: unknown[]}): number {
    let end = node.range![0]
    for (const item of node.items) {
      const parts = isSeq(node) ? [item as Node] : [(item as Pair).key as Node, (item as Pair).value as Node | null]
      for (const p of parts) if (p?.range) end = Math.max(end, p.range[1])
    }
    return end
  }

  /** The offset just after the newline of the line holding `offset - 1` (or the end of the text). */
  private endOfLine(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset
    const nl = this.text.indexOf('\n', offset)
    return nl < 0 ? this.text.length : nl + 1
  }

  private columnOf(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1)
  }
}

/** The file's indentation unit and sequence style, from its first nested lines. */
function detectStyle(text: string): {unit: number; indentSeq: boolean} {
  let unit = 0
  let indentSeq: boolean | undefined
  const lines = text.split('\n')
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!
    if (!/^\s*[^#\s-][^#]*:\s*(#.*)?$/.test(line)) continue
    const next = lines.slice(i + 1).find(l => l.trim() !== '' && !l.trim().startsWith('#'))
    if (!next) continue
    const a = line.length - line.trimStart().length
    const b = next.length - next.trimStart().length
    if (next.trimStart().startsWith('- ')) {
      indentSeq ??= b > a
      if (b > a && unit === 0) unit = b - a
    } else if (b > a && unit === 0) unit = b - a
    if (unit > 0 && indentSeq !== undefined) break
  }
  return {unit: unit || 2, indentSeq: indentSeq ?? true}
}

/** A mapping key's plain value (a scalar's), for comparing with a path's key. */
function keyValue(key: unknown): unknown {
  return isScalar(key) ? key.value : key
}

/** A merge key (`<<`), as the YAML 1.1 schema reads it (a symbol) or as written. */
function isMergeKey(key: unknown): boolean {
  const v = keyValue(key)
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<')
}
