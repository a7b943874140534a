/**
 * detect: which format a file is, from its first records (never from its
 * name alone). JSONL is sniffed from its first lines; a JSON document is
 * parsed and sniffed whole; anything else is offered to the text adapters.
 */
import {ADAPTERS} from '../adapt/registry.js'
import type {Adapter, DocumentAdapter, JsonlAdapter, TextAdapter} from '../adapt/types.js'

export type Detection =
  | {kind: 'jsonl'; adapter: JsonlAdapter}
  | {kind: 'json'; adapter: DocumentAdapter}
  | {kind: 'text'; adapter: TextAdapter}
  | {kind: 'companion'; label: string}
  | {kind: 'unknown'; reason: string}

/**
 * Files that are not traces but sit beside them and are read with them
 * (SWE-bench reports, predictions): recognised, so they are not reported as
 * unknown, and not parsed as traces.
 */
const COMPANIONS: Array<{label: string; jsonl?: (records: unknown[]) => boolean; doc?: (doc: unknown) => boolean}> = [
  {
    label: 'SWE-bench evaluation report (read with its trajectories, or via --task-results)',
    doc: d =>
      isRecord(d) &&
      someValue(
        d,
        v =>
          isRecord(v) && typeof v.resolved === 'boolean' && ('tests_status' in v || 'patch_successfully_applied' in v),
      ),
  },
  {
    label: 'SWE-bench results summary (use it with --task-results)',
    doc: d => isRecord(d) && (Array.isArray(d.resolved) || Array.isArray(d.resolved_ids)),
  },
  {
    label: 'SWE-bench predictions (read with their trajectories for the model name)',
    doc: d => isRecord(d) && someValue(d, v => isRecord(v) && 'model_patch' in v && 'instance_id' in v),
    jsonl: records => records.length > 0 && records.every(r => isRecord(r) && 'model_patch' in r && 'instance_id' in r),
  },
]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function someValue(obj: Record<string, unknown>, test: (v: unknown) => boolean): boolean {
  let n = 0
  for (const key in obj) {
    if (test(obj[key])) return true
    if (++n > 5) break
  }
  return false
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
      const companion = COMPANIONS.find(c => c.jsonl?.(parsed))
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
  const companion = COMPANIONS.find(c => c.doc?.(doc))
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
  return `unknown format; looked for ${adapters.map(a => `${a.label} (${a.looksFor})`).join('; ')}. Name it with --format if you know it`
}
