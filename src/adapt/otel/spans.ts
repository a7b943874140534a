/**
 * OpenTelemetry spans in the shapes files hold them, read into one plain
 * shape (`Span`): ids, name, times as ISO strings, attributes as a flat
 * key → value map, events, error status.
 *
 * Shapes read (corpus FORMATS.md §3):
 * - OTLP/JSON: `{resourceSpans: [{resource, scopeSpans: [{scope, spans: [...]}]}]}`
 *   (a whole file, or one batch per line as the Collector's file exporter
 *   writes); attributes are `[{key, value: {stringValue | intValue |
 *   doubleValue | boolValue | arrayValue | kvlistValue}}]`, `intValue` a
 *   string by spec but a number from some emitters, times nanoseconds as strings;
 * - JS `ReadableSpan` dumps: `{name, spanContext: {traceId, spanId},
 *   parentSpanId | parentSpanContext, attributes, status, startTime: [s, ns], endTime}`;
 * - the JS console exporter: `{traceId, id, parentId, name, timestamp (µs), duration (µs), attributes}`;
 * - Python `span.to_json()`: `{name, context: {trace_id, span_id}, parent_id,
 *   start_time, end_time, status: {status_code}, attributes}`;
 * - a flat attribute map (one span's attributes, as instrumentation tests keep them).
 * Nested attribute objects (`{llm: {token_count: {prompt: 9}}}`) are flattened with dots.
 */
import {isObject, num, str, type Json} from '../fields.js'

interface SpanEvent {
  name: string
  at?: string
  attrs: Record<string, unknown>
}

export interface Span {
  traceId?: string
  spanId?: string
  parentId?: string
  name: string
  start?: string
  end?: string
  /** Start in ms since the epoch, for ordering. */
  startMs?: number
  attrs: Record<string, unknown>
  events: SpanEvent[]
  /** Set when the span's status is ERROR: the status message, or true. */
  error?: string | true
  /** Where it was read: the line (JSONL) or the position in the document. */
  line?: number
  /** Reading order, to keep ties stable. */
  order: number
  /** Service name from the OTLP resource. */
  service?: string
}

/** One OTLP AnyValue as a plain value. */
function anyValue(v: unknown): unknown {
  if (!isObject(v)) return v
  if ('stringValue' in v) return v.stringValue
  if ('intValue' in v) {
    const n = typeof v.intValue === 'string' ? Number(v.intValue) : v.intValue
    return typeof n === 'number' && Number.isFinite(n) ? n : v.intValue
  }
  if ('doubleValue' in v) return typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue
  if ('boolValue' in v) return v.boolValue
  if ('arrayValue' in v) {
    const values = isObject(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : []
    return values.map(anyValue)
  }
  if ('kvlistValue' in v) {
    const out: Json = {}
    const values = isObject(v.kvlistValue) && Array.isArray(v.kvlistValue.values) ? v.kvlistValue.values : []
    for (const kv of values) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value)
    return out
  }
  if ('bytesValue' in v) return v.bytesValue
  return undefined
}

/** OTLP `[{key, value}]` or a plain object (nested objects flattened with dots). */
function attributesOf(raw: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (Array.isArray(raw)) {
    for (const kv of raw) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value)
    return out
  }
  if (isObject(raw)) flatten(raw, '', out, 0)
  return out
}

function flatten(obj: Json, prefix: string, out: Record<string, unknown>, depth: number): void {
  for (const key of Object.keys(obj)) {
    const value = obj[key]
    const full = prefix ? `${prefix}.${key}` : key
    if (isObject(value) && depth < 8 && !('stringValue' in value || 'intValue' in value))
      flatten(value, full, out, depth + 1)
    else out[full] = isObject(value) ? anyValue(value) : value
  }
}

/** A time in any of the span shapes' encodings, as ms since the epoch. */
function timeMs(value: unknown, unit: 'ns' | 'us' | 'auto' = 'auto'): number | undefined {
  if (Array.isArray(value) && value.length === 2) {
    const s = num(value[0])
    const ns = num(value[1])
    return s === undefined || ns === undefined ? undefined : s * 1000 + ns / 1e6
  }
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return timeMs(Number(value), unit === 'auto' ? 'ns' : unit)
    const ms = Date.parse(/(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`)
    return Number.isFinite(ms) ? ms : undefined
  }
  const n = num(value)
  if (n === undefined) return undefined
  if (unit === 'ns') return n / 1e6
  if (unit === 'us') return n / 1e3
  // Magnitude decides: ns ~1e18, µs ~1e15, ms ~1e12, s ~1e9.
  if (n > 1e17) return n / 1e6
  if (n > 1e14) return n / 1e3
  if (n > 1e11) return n
  return n * 1000
}

function iso(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

function hexId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined
  return value.startsWith('0x') ? value.slice(2) : value
}

function errorOf(status: unknown, attrs: Record<string, unknown>): string | true | undefined {
  if (!isObject(status)) return undefined
  const code = status.code ?? status.status_code ?? status.statusCode
  const isError = code === 2 || code === 'STATUS_CODE_ERROR' || code === 'ERROR' || code === 'error'
  if (!isError) return undefined
  const message = str(status, 'message') ?? str(status, 'description')
  const type = typeof attrs['error.type'] === 'string' ? (attrs['error.type'] as string) : undefined
  return message || type || true
}

function eventsOf(raw: unknown): SpanEvent[] {
  if (!Array.isArray(raw)) return []
  const out: SpanEvent[] = []
  for (const e of raw) {
    if (!isObject(e)) continue
    out.push({
      name: str(e, 'name') ?? '',
      at: iso(timeMs(e.timeUnixNano ?? e.time ?? e.timestamp)),
      attrs: attributesOf(e.attributes),
    })
  }
  return out
}

/** Whether an object is one span in any of the object shapes (not a flat attribute map). */
export function isSpanObject(v: unknown): boolean {
  if (!isObject(v) || typeof v.name !== 'string') return false
  return (
    ('spanId' in v && ('traceId' in v || 'startTimeUnixNano' in v)) ||
    isObject(v.spanContext) ||
    isObject(v.context) ||
    ('traceId' in v && 'id' in v) ||
    ('span_id' in v && 'trace_id' in v)
  )
}

/** Reads one span object (any shape). */
export function spanFrom(raw: Json, order: number, line?: number, service?: string): Span {
  const attrs = attributesOf(raw.attributes)
  const ctx = isObject(raw.spanContext) ? raw.spanContext : isObject(raw.context) ? raw.context : undefined
  const parentCtx = isObject(raw.parentSpanContext) ? raw.parentSpanContext : undefined
  let startMs: number | undefined
  let endMs: number | undefined
  if ('startTimeUnixNano' in raw) {
    startMs = timeMs(raw.startTimeUnixNano, 'ns')
    endMs = timeMs(raw.endTimeUnixNano, 'ns')
  } else if ('startTime' in raw || 'start_time' in raw) {
    startMs = timeMs(raw.startTime ?? raw.start_time)
    endMs = timeMs(raw.endTime ?? raw.end_time)
  } else if ('timestamp' in raw) {
    // The JS console exporter: µs since the epoch and a duration in µs.
    startMs = timeMs(raw.timestamp, 'us')
    const duration = num(raw.duration)
    if (startMs !== undefined && duration !== undefined) endMs = startMs + duration / 1000
  }
  const span: Span = {
    traceId: hexId(ctx?.traceId ?? ctx?.trace_id ?? raw.traceId ?? raw.trace_id),
    spanId: hexId(ctx?.spanId ?? ctx?.span_id ?? raw.spanId ?? raw.span_id ?? raw.id),
    parentId: hexId(raw.parentSpanId ?? parentCtx?.spanId ?? raw.parent_id ?? raw.parentId ?? raw.parent_span_id),
    name: str(raw, 'name') ?? '',
    start: iso(startMs),
    end: iso(endMs),
    startMs,
    attrs,
    events: eventsOf(raw.events),
    order,
  }
  const error = errorOf(raw.status, attrs)
  if (error) span.error = error
  if (line !== undefined) span.line = line
  if (service) span.service = service
  return span
}

/** The spans of one OTLP/JSON export (`{resourceSpans: [...]}`). */
export function spansFromOtlp(doc: Json, firstOrder: number, line?: number): Span[] {
  const out: Span[] = []
  const resources = Array.isArray(doc.resourceSpans) ? doc.resourceSpans : []
  for (const rs of resources) {
    if (!isObject(rs)) continue
    const resourceAttrs = isObject(rs.resource) ? attributesOf(rs.resource.attributes) : {}
    const service =
      typeof resourceAttrs['service.name'] === 'string' ? (resourceAttrs['service.name'] as string) : undefined
    const scopes = Array.isArray(rs.scopeSpans)
      ? rs.scopeSpans
      : Array.isArray(rs.instrumentationLibrarySpans)
        ? rs.instrumentationLibrarySpans
        : []
    for (const ss of scopes) {
      if (!isObject(ss) || !Array.isArray(ss.spans)) continue
      for (const s of ss.spans) if (isObject(s)) out.push(spanFrom(s, firstOrder + out.length, line, service))
    }
  }
  return out
}

/** Attribute prefixes that make a flat map a GenAI span's attributes. */
const GENAI_KEYS = /^(gen_ai\.|llm\.|openinference\.span\.kind$|ai\.(usage|model|operationId|toolCall|response)\b)/

/** Whether an object is a flat attribute map of a GenAI span (no ids, no name). */
export function isFlatAttributeMap(v: unknown): v is Json {
  if (!isObject(v) || 'resourceSpans' in v || isSpanObject(v)) return false
  let n = 0
  for (const key in v) {
    if (GENAI_KEYS.test(key)) return true
    if (++n > 60) break
  }
  return false
}

/** A flat attribute map as a span without ids or times. */
export function spanFromAttributes(attrs: Json, order: number, line?: number): Span {
  const span: Span = {name: '', attrs: attributesOf(attrs), events: [], order}
  if (line !== undefined) span.line = line
  return span
}
