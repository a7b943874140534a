/**
 * detect: which format a file is, from its first records (never from its
 * name alone). JSONL is sniffed from its first lines, each read whole however
 * long (never a fixed prefix of the file); a JSON document is parsed and
 * sniffed whole; anything else is offered to the text adapters.
 */
import {ADAPTERS} from '../adapt/registry.js'
import type {Adapter, CompanionRule, DocumentAdapter, JsonlAdapter, TextAdapter} from '../adapt/types.js'
import {jsonTooComplex} from '../util/depth.js'
import {acoOutputOf} from './aco-output.js'
import {unknownFormatReason} from './unknown-reason.js'

export type Detection =
  | {kind: 'jsonl'; adapter: JsonlAdapter}
  | {kind: 'json'; adapter: DocumentAdapter}
  | {kind: 'text'; adapter: TextAdapter}
  | {kind: 'companion'; label: string}
  /** One of aco's own outputs (cards, index, a saved result): passed over with a note. */
  | {kind: 'aco-output'; label: string}
  | {kind: 'unknown'; reason: string}

/**
 * Files that are not traces but travel with some format's traces (SWE-bench
 * reports and predictions): each adapter names its own (its companion hook).
 */
function companionRules(adapters: readonly Adapter[]): CompanionRule[] {
  return [...new Set(adapters.flatMap(a => a.companions ?? []))]
}

/** How many records detection reads (each whole, however long). */
export const SNIFF_LINES = 5

/**
 * What detection sees of a file: its first ~64 KB of text (for the text
 * formats) and its first non-empty lines, each whole however long it is
 * (for the JSON formats: a session may open with a pasted prompt of 100 KB,
 * and a prefix of a record is no record at all).
 */
export interface FileStart {
  head: string
  /** The first SNIFF_LINES non-empty lines, whole. */
  lines: readonly string[]
  /** True when `lines` are all the file's non-empty lines. */
  allLines: boolean
  /** True when a line among the first is longer than the line limit, so it was passed over (not in `lines`). */
  tooLong?: boolean
}

/** The records among `lines`, parsed (a line that is not JSON becomes undefined). */
export function firstRecords(lines: readonly string[]): {records: unknown[]; firstParsed: boolean} {
  const records: unknown[] = []
  let firstParsed = false
  lines.forEach((line, i) => {
    // Not parsed at all when parsing it would cost more than any record could be worth.
    if (jsonTooComplex(line)) {
      records.push(undefined)
      return
    }
    try {
      records.push(JSON.parse(line))
      if (i === 0) firstParsed = true
    } catch {
      records.push(undefined)
    }
  })
  return {records, firstParsed}
}

/** Whether a head looks like JSON (object or array) rather than text. */
function startsLikeJson(head: string): boolean {
  const c = head.trimStart()[0]
  return c === '{' || c === '['
}

const isRecord = (r: unknown): r is object => typeof r === 'object' && r !== null

/**
 * Detects the format from a file's start. A JSON document needs its parsed
 * body: detection asks for it by returning `needDocument` (with the document
 * itself when the file's one line is it, so it is not parsed twice).
 */
export function detectFromStart(
  start: FileStart,
  adapters: readonly Adapter[] = ADAPTERS,
): Detection | {kind: 'needDocument'; doc?: unknown} {
  if (startsLikeJson(start.head)) {
    const {records, firstParsed} = firstRecords(start.lines)
    const parsed = records.filter(isRecord)
    // JSONL: records on lines of their own. A first line that is no record (cut, or garbage) does not
    // make the rest a document: the reader reports that line, and reads the others.
    if (parsed.length > 0 && (firstParsed || parsed.length >= 2)) {
      for (const adapter of adapters) {
        if (adapter.kind === 'jsonl' && adapter.sniff(parsed)) return {kind: 'jsonl', adapter}
      }
      const companion = companionRules(adapters).find(c => c.jsonl?.(parsed))
      if (companion) return {kind: 'companion', label: companion.label}
      const own = acoOutputOf(parsed[0])
      if (own) return {kind: 'aco-output', label: own}
      // One JSON value on the file's only line is a document, not JSONL.
      if (firstParsed && start.lines.length === 1 && start.allLines) return {kind: 'needDocument', doc: records[0]}
      if (firstParsed) return {kind: 'unknown', reason: unknownReason(adapters)}
    }
    return {kind: 'needDocument'}
  }
  for (const adapter of adapters) {
    if (adapter.kind === 'text' && adapter.sniff(start.head)) return {kind: 'text', adapter}
  }
  const companion = companionRules(adapters).find(c => c.text?.(start.head))
  if (companion) return {kind: 'companion', label: companion.label}
  return {kind: 'unknown', reason: unknownReason(adapters)}
}

/** Detects a parsed JSON document's format. */
export function detectDocument(doc: unknown, adapters: readonly Adapter[] = ADAPTERS): Detection {
  for (const adapter of adapters) {
    if (adapter.kind === 'json' && adapter.sniff(doc)) return {kind: 'json', adapter}
  }
  const companion = companionRules(adapters).find(c => c.doc?.(doc))
  if (companion) return {kind: 'companion', label: companion.label}
  const own = acoOutputOf(doc)
  if (own) return {kind: 'aco-output', label: own}
  // A JSON array of records may be JSONL written as one array.
  if (Array.isArray(doc)) {
    for (const adapter of adapters) {
      if (adapter.kind === 'jsonl' && adapter.sniff(doc.slice(0, SNIFF_LINES))) return {kind: 'jsonl', adapter}
    }
  }
  return {kind: 'unknown', reason: unknownReason(adapters)}
}

export function unknownReason(adapters: readonly Adapter[] = ADAPTERS): string {
  // A format read by two readers (JSON and JSONL) describes what it looks for once.
  const seen = new Set<string>()
  const wanted: string[] = []
  for (const a of adapters) {
    if (seen.has(a.looksFor)) continue
    seen.add(a.looksFor)
    wanted.push(`${a.label} (${a.looksFor})`)
  }
  return unknownFormatReason(wanted)
}
