/**
 * The adapter contract. An adapter turns one file of one format into
 * TraceCards. Line-oriented formats are pushed one record at a time (so memory
 * stays bounded by the trace, not the file); JSON documents arrive parsed.
 */
import type {FormatId, TraceCard} from '../card/types.js'

/** What an adapter tells the run about input it could not use. */
export interface AdaptContext {
  readonly path: string
  /** Reports a record (or part of the file) that was skipped, and why. */
  skip(line: number | undefined, reason: string): void
  /** Reads a file beside the trace (e.g. SWE-agent's `all_preds.jsonl`); undefined when absent. */
  readSibling?(name: string): Promise<string | undefined>
}

/** Receives one parsed record (a JSONL line) at a time. */
export interface RecordSink {
  push(record: unknown, line: number): void
  finish(): TraceCard[]
}

interface AdapterBase {
  readonly format: FormatId
  /** A human name, e.g. "Claude Code session". */
  readonly label: string
  /** What detection looks for, shown when a file matches no format. */
  readonly looksFor: string
}

export interface JsonlAdapter extends AdapterBase {
  readonly kind: 'jsonl'
  /** True when these first records (parsed lines) are of this format. */
  sniff(records: readonly unknown[]): boolean
  open(ctx: AdaptContext): RecordSink
}

export interface DocumentAdapter extends AdapterBase {
  readonly kind: 'json'
  sniff(doc: unknown): boolean
  parse(doc: unknown, ctx: AdaptContext): Promise<TraceCard[]> | TraceCard[]
}

/** Receives one line of text at a time (Markdown and plain-text logs). */
export interface LineSink {
  push(text: string, line: number): void
  finish(): TraceCard[]
}

export interface TextAdapter extends AdapterBase {
  readonly kind: 'text'
  sniff(head: string): boolean
  open(ctx: AdaptContext): LineSink
}

export type Adapter = JsonlAdapter | DocumentAdapter | TextAdapter

/** A record that cannot be used; the message names the field and what was wrong. */
export class RecordError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RecordError'
  }
}
