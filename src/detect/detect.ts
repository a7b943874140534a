/**
 * detect: which format a file is, from its first records (never from its
 * name alone). JSONL is sniffed from its first lines; a JSON document is
 * parsed and sniffed whole; anything else is offered to the text adapters.
 */
import {ADAPTERS} from '../adapt/registry.js'
import type {Adapter, CompanionRule, DocumentAdapter, JsonlAdapter, TextAdapter} from '../adapt/types.js'

export type Detection =
  | {kind: 'jsonl'; adapter: JsonlAdapter}
  | {kind: 'json'; adapter: DocumentAdapter}
  | {kind: 'text'; adapter: TextAdapter}
  | {kind: 'companion'; label: string}
  | {kind: 'unknown'; reason: string}

/**
 * Files that are not traces but travel with some format's traces (SWE-bench
 * reports and predictions): each adapter names its own (its companion hook).
 */
function companionRules(adapters: readonly Adapter[]): CompanionRule[] {
  return [...new Set(adapters.flatMap(a => a.companions ?? []))]
}

const SNIFF_LINES = 5

/** The first complete lines of `head` parsed as JSON (unparseable lines become undefined). */
export function firstRecords(
  head: string,
  complete: boolean,
): {records: unknown[]; lines: number; firstParsed: boolean} {
  const lines = head.split('\n')
  if (!complete) lines.pop() // the last line may be cut by the head's size
  const records: unknown[] = []
  let firstParsed = false
  let seen = 0
  for (const line of lines) {
    const text = line.trim()
    if (!text) continue
    seen++
    try {
      records.push(JSON.parse(text))
      if (seen === 1) firstParsed = true
    } catch {
      records.push(undefined)
    }
    if (seen >= SNIFF_LINES) break
  }
  return {records, lines: seen, firstParsed}
}

/** Whether a head looks like JSON (object or array) rather than text. */
function startsLikeJson(head: string): boolean {
  const c = head.trimStart()[0]
  return c === '{' || c === '['
}

/**
 * Detects the format from a file's head. `forced` skips sniffing. A JSON
 * document needs its parsed body: the caller passes `doc` when it has it
 * (detection asks for it by returning `needDocument`).
 */
export function detectFromHead(
  head: string,
  complete: boolean,
  adapters: readonly Adapter[] = ADAPTERS,
): Detection | {kind: 'needDocument'} {
  if (startsLikeJson(head)) {
    const {records, lines, firstParsed} = firstRecords(head, complete)
    if (firstParsed) {
      const parsed = records.filter(r => r !== undefined)
      for (const adapter of adapters) {
        if (adapter.kind === 'jsonl' && adapter.sniff(parsed)) return {kind: 'jsonl', adapter}
      }
      const companion = companionRules(adapters).find(c => c.jsonl?.(parsed))
      if (companion) return {kind: 'companion', label: companion.label}
      // One JSON value on one line is a document, not JSONL.
      if (lines === 1 && complete) return {kind: 'needDocument'}
      return {kind: 'unknown', reason: unknownReason(adapters)}
    }
    return {kind: 'needDocument'}
  }
  for (const adapter of adapters) {
    if (adapter.kind === 'text' && adapter.sniff(head)) return {kind: 'text', adapter}
  }
  return {kind: 'unknown', reason: unknownReason(adapters)}
}

/** Detects a parsed JSON document's format. */
export function detectDocument(doc: unknown, adapters: readonly Adapter[] = ADAPTERS): Detection {
  for (const adapter of adapters) {
    if (adapter.kind === 'json' && adapter.sniff(doc)) return {kind: 'json', adapter}
  }
  const companion = companionRules(adapters).find(c => c.doc?.(doc))
  if (companion) return {kind: 'companion', label: companion.label}
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
  return `unknown format; looked for ${wanted.join('; ')}. Name it with --format if you know it, or describe it with --mapping`
}
