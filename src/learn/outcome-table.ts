/**
 * Outcome tables, what routers learn from (`aco train --outcomes`): JSONL
 * with one line per (item, model), how that model did on the item and what it
 * cost, gathered into items. (Not to be confused with the task results that
 * `aco analyze` joins to traces: those are pass/fail per task, one run each.)
 * A bad line is reported with its file and line and skipped; a file with no
 * usable line is an AcoError. Parsing is pure (`collectOutcomeTable` takes lines);
 * `readOutcomeTable` and `readTexts` are the thin file-reading edge.
 */
import {stat} from 'node:fs/promises'
import {check} from '../util/schemas.js'
import {AcoError} from '../errors.js'
import {describeFsError} from '../util/fs-errors.js'
import type {FeatureValue} from './featurize.js'
import {fileLines, notText} from '../util/lines.js'
import {parseJson} from '../util/json-parse.js'

/** A line that was skipped, and why. */
export interface BadLine {
  path: string
  line: number
  reason: string
}

/** One item with the models that ran it (train) or may run it (route). */
export interface Item {
  id: string
  /** Line of the item's first outcome (for reporting). */
  line: number
  features: Record<string, FeatureValue>
  text?: string
  /** Models in the order their lines appeared. */
  models: string[]
  /** success[k] of models[k]; NaN when routing (not known yet). */
  success: number[]
  /** cost_usd[k] of models[k]; NaN when routing. */
  cost: number[]
  /** response[k] of models[k] where the line had one (post-hoc evidence for cascades); absent when no line did. */
  responses?: Array<string | undefined>
  /** signals[k] of models[k] where the line had some; absent when no line did. */
  signals?: Array<Readonly<Record<string, number>> | undefined>
}

export interface OutcomeTable {
  items: Item[]
  /** Every model seen, sorted. */
  models: string[]
  /** Features whose value differed between lines of one item. */
  inconsistent: Set<string>
  skipped: BadLine[]
  lines: number
}

/** `train` needs success and cost on every line; `route` reads only item, model and features. */
export type TableMode = 'train' | 'route'

interface RawLine {
  item_id: string
  model: string
  success?: number
  cost_usd?: number
  response?: string
  signals?: Record<string, number>
  features?: Record<string, FeatureValue | null>
}

/** Gathers outcome lines into items. Lines are numbered from 1. */
export function collectOutcomeTable(lines: Iterable<string>, path: string, mode: TableMode): OutcomeTable {
  const builder = new OutcomeTableBuilder(path, mode)
  for (const line of lines) builder.add(line)
  return builder.finish()
}

class OutcomeTableBuilder {
  private readonly byId = new Map<string, Item & {lineOf: Map<string, number>}>()
  private readonly models = new Set<string>()
  private readonly inconsistent = new Set<string>()
  private readonly skipped: BadLine[] = []
  private lineNo = 0

  constructor(
    private readonly path: string,
    private readonly mode: TableMode,
  ) {}

  add(text: string): void {
    const line = ++this.lineNo
    if (text.trim().length === 0) return
    let raw: unknown
    try {
      raw = parseJson(text)
    } catch (error) {
      this.skip(line, `not JSON: ${(error as Error).message}`)
      return
    }
    // Routing happens before any model runs: success and cost are ignored
    // there, so the schema is checked with neutral stand-ins for them.
    const checked =
      this.mode === 'route' && raw !== null && typeof raw === 'object' && !Array.isArray(raw)
        ? {...(raw as object), success: 0, cost_usd: 0}
        : raw
    const problem = check('outcome-table', checked)
    if (problem) {
      this.skip(line, problem)
      return
    }
    const row = raw as RawLine
    // (Bytes that were not UTF-8 read as U+FFFD: in a model's name or an item's id they make another model or item,
    // trial 121 a twelfth "model" of three items. Said with the line, as any line that cannot be read.)
    const mangled = row.model.includes('\uFFFD') ? 'model' : row.item_id.includes('\uFFFD') ? 'item_id' : undefined
    if (mangled) {
      this.skip(
        line,
        `${mangled} holds bytes that are not UTF-8 text (shown as �): another encoding, or a name cut mid-character`,
      )
      return
    }
    let item = this.byId.get(row.item_id)
    if (!item) {
      item = {id: row.item_id, line, features: {}, models: [], success: [], cost: [], lineOf: new Map()}
      this.byId.set(row.item_id, item)
    }
    const earlier = item.lineOf.get(row.model)
    if (earlier !== undefined) {
      this.skip(line, `a second line for item ${row.item_id} and model ${row.model} (first on line ${earlier})`)
      return
    }
    const first = item.models.length === 0
    for (const [name, value] of Object.entries(row.features ?? {})) {
      if (value === null) continue
      const known = item.features[name]
      if (known === undefined) {
        if (!first) this.inconsistent.add(name)
        item.features[name] = value
      } else if (known !== value) this.inconsistent.add(name)
    }
    item.lineOf.set(row.model, line)
    item.models.push(row.model)
    item.success.push(this.mode === 'train' ? row.success! : Number.NaN)
    item.cost.push(this.mode === 'train' ? row.cost_usd! : Number.NaN)
    const k = item.models.length - 1
    if (row.response !== undefined) {
      item.responses ??= []
      item.responses[k] = row.response
    }
    if (row.signals !== undefined && Object.keys(row.signals).length > 0) {
      item.signals ??= []
      item.signals[k] = row.signals
    }
    this.models.add(row.model)
  }

  private skip(line: number, reason: string): void {
    this.skipped.push({path: this.path, line, reason})
  }

  finish(): OutcomeTable {
    const items: Item[] = []
    for (const {lineOf: _, ...item} of this.byId.values()) items.push(item)
    return {
      items,
      models: [...this.models].sort(),
      inconsistent: this.inconsistent,
      skipped: this.skipped,
      lines: this.lineNo,
    }
  }
}

/** Prompts by item id from `{item_id, prompt}` lines. */
export function collectTexts(lines: Iterable<string>, path: string): {texts: Map<string, string>; skipped: BadLine[]} {
  const texts = new Map<string, string>()
  const skipped: BadLine[] = []
  let line = 0
  for (const text of lines) {
    line++
    if (text.trim().length === 0) continue
    let raw: unknown
    try {
      raw = parseJson(text)
    } catch (error) {
      skipped.push({path, line, reason: `not JSON: ${(error as Error).message}`})
      continue
    }
    const row = raw as {item_id?: unknown; prompt?: unknown}
    if (raw === null || typeof raw !== 'object' || typeof row.item_id !== 'string' || row.item_id.length === 0) {
      skipped.push({path, line, reason: 'item_id must be a non-empty string'})
    } else if (typeof row.prompt !== 'string') {
      skipped.push({path, line, reason: 'prompt must be a string'})
    } else if (texts.has(row.item_id)) {
      skipped.push({path, line, reason: `a second prompt for item ${row.item_id}`})
    } else texts.set(row.item_id, row.prompt)
  }
  return {texts, skipped}
}

const LINE_SHAPE = {outcomes: '{item_id, model, success, cost_usd, features}', text: '{item_id, prompt}'} as const

async function openLines(path: string, what: keyof typeof LINE_SHAPE): Promise<AsyncIterable<string>> {
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw Object.assign(new Error('not a file'), {code: info.isDirectory() ? 'EISDIR' : undefined})
    size = info.size
  } catch (error) {
    throw new AcoError('usage', `Cannot read the ${what} file ${path}: ${describeFsError(error)}.`, 'Check the path.')
  }
  if (size === 0) {
    throw new AcoError(
      'no-input',
      `The ${what} file ${path} is empty.`,
      `Give a JSONL file with one ${LINE_SHAPE[what]} object a line.`,
    )
  }
  const problem = notText(path)
  if (problem)
    throw new AcoError(
      'bad-file',
      `The ${what} file ${path} cannot be read: ${problem}.`,
      `Give a UTF-8 JSONL file with one ${LINE_SHAPE[what]} object a line.`,
    )
  return (async function* () {
    for await (const {line} of fileLines(path)) yield line
  })()
}

/** Reads an outcome table; refuses a missing or empty file or one with no usable line. */
export async function readOutcomeTable(path: string, mode: TableMode): Promise<OutcomeTable> {
  const builder = new OutcomeTableBuilder(path, mode)
  for await (const line of await openLines(path, 'outcomes')) builder.add(line)
  const table = builder.finish()
  if (table.items.length === 0) {
    const first = table.skipped[0]
    throw new AcoError(
      'no-input',
      `No usable line in ${path}${first ? `: ${table.skipped.length} skipped, the first on line ${first.line}: ${first.reason}` : ''}.`,
      mode === 'train'
        ? 'Each line needs item_id, model, success (0..1) and cost_usd (schemas/outcome-table.schema.json).'
        : 'Each line needs item_id, model (a candidate) and features (schemas/outcome-table.schema.json).',
    )
  }
  return table
}

/** Reads a prompts file (`{item_id, prompt}` lines). */
export async function readTexts(path: string): Promise<{texts: Map<string, string>; skipped: BadLine[]}> {
  const lines: string[] = []
  for await (const line of await openLines(path, 'text')) lines.push(line)
  const result = collectTexts(lines, path)
  if (result.texts.size === 0) {
    const first = result.skipped[0]
    throw new AcoError(
      'no-input',
      `No usable line in ${path}${first ? `: the first bad one is line ${first.line}: ${first.reason}` : ''}.`,
      'Each line needs {item_id, prompt}.',
    )
  }
  return result
}

/** Attaches prompts to items by id. Returns how many items got one. */
export function attachTexts(items: Item[], texts: Map<string, string>): number {
  let n = 0
  for (const item of items) {
    const text = texts.get(item.id)
    if (text !== undefined) {
      item.text = text
      n++
    }
  }
  return n
}
