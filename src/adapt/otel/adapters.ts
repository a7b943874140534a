/**
 * OpenTelemetry traces of LLM agents (GenAI semantic conventions,
 * OpenInference, Vercel AI SDK): OTLP/JSON files, OTLP batches one per line
 * (the Collector's file exporter), span dumps (JSON arrays or one span per
 * line) and flat attribute maps. Spans are collected for the whole file, then
 * built into one card per trace id (tree.ts); parts of a trace in other files
 * are joined later by trace id (`source.traceId`).
 */
import {basename} from 'node:path'
import type {TraceCard} from '../../card/types.js'
import {isObject, type Json} from '../fields.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type JsonlAdapter, type RecordSink} from '../types.js'
import {isFlatAttributeMap, isSpanObject, spanFrom, spanFromAttributes, spansFromOtlp, type Span} from './spans.js'
import {cardsFromSpans} from './tree.js'

function fileId(path: string): string {
  return basename(path).replace(/\.(jsonl|ndjson|json|log)$/i, '')
}

/** The spans one record (a line, or an element of a document) holds. */
function spansOf(record: unknown, order: number, line?: number): Span[] {
  if (isObject(record) && Array.isArray(record.resourceSpans)) return spansFromOtlp(record, order, line)
  if (isSpanObject(record)) return [spanFrom(record as Json, order, line)]
  if (isFlatAttributeMap(record)) return [spanFromAttributes(record, order, line)]
  throw new RecordError('not a span: expected an OTLP export {resourceSpans}, a span object or a GenAI attribute map')
}

function isSpanRecord(record: unknown): boolean {
  return (isObject(record) && Array.isArray(record.resourceSpans)) || isSpanObject(record) || isFlatAttributeMap(record)
}

/** Whether a span record is a GenAI span (or an OTLP batch, which may hold some): the rest of OTel is not ours. */
function isGenAiRecord(record: unknown): boolean {
  if (isObject(record) && Array.isArray(record.resourceSpans)) return true
  if (isFlatAttributeMap(record)) return true
  if (!isSpanObject(record) || !isObject(record)) return false
  const attrs = record.attributes
  const keys = Array.isArray(attrs)
    ? attrs.map(a => (isObject(a) ? String(a.key) : ''))
    : isObject(attrs)
      ? Object.keys(attrs)
      : []
  return keys.some(k => /^(gen_ai|llm|openinference|ai|traceloop)\./.test(k)) || /^ai\./.test(String(record.name))
}

class SpanSink implements RecordSink {
  private readonly spans: Span[] = []

  constructor(private readonly ctx: AdaptContext) {}

  push(record: unknown, line: number): void {
    for (const s of spansOf(record, this.spans.length, line)) this.spans.push(s)
  }

  finish(): TraceCard[] {
    return cardsFromSpans(this.spans, this.ctx, fileId(this.ctx.path))
  }
}

const LOOKS_FOR =
  'OpenTelemetry spans with GenAI attributes (gen_ai.*, OpenInference llm.* / openinference.span.kind, Vercel ai.*): OTLP/JSON {resourceSpans}, span dumps (JSON array or one span a line) or a flat attribute map'

export const otelJsonlAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'otel',
  label: 'OpenTelemetry spans (JSONL)',
  looksFor: LOOKS_FOR,
  sniff(records) {
    if (records.length === 0 || !records.every(isSpanRecord)) return false
    return records.some(isGenAiRecord)
  },
  open: ctx => new SpanSink(ctx),
}

function documentRecords(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc
  if (!isObject(doc)) return undefined
  if (Array.isArray(doc.resourceSpans)) return [doc]
  if (Array.isArray(doc.spans)) return doc.spans
  if (isFlatAttributeMap(doc) || isSpanObject(doc)) return [doc]
  return undefined
}

export const otelDocumentAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'otel',
  label: 'OpenTelemetry spans (JSON)',
  looksFor: LOOKS_FOR,
  sniff(doc) {
    const records = documentRecords(doc)
    if (!records || records.length === 0) return false
    const head = records.slice(0, 8)
    return head.every(isSpanRecord) && head.some(isGenAiRecord)
  },
  parse(doc, ctx) {
    const records = documentRecords(doc)
    if (!records) throw new RecordError('expected OTLP/JSON {resourceSpans}, an array of spans or a span attribute map')
    const spans: Span[] = []
    records.forEach((record, i) => {
      try {
        for (const s of spansOf(record, spans.length)) spans.push(s)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        ctx.skip(undefined, `span ${i}: ${error.message}`)
      }
    })
    return cardsFromSpans(spans, ctx, fileId(ctx.path))
  },
}
