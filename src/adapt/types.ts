/**
 * The adapter contract. An adapter turns one file of one format into
 * TraceCards. Line-oriented formats are pushed one record at a time (so memory
 * stays bounded by the trace, not the file); JSON documents arrive parsed.
 */
import type {RedactMode} from '../card/build.js'
import type {FormatId, TraceCard} from '../card/types.js'

/** What an adapter is given with a file: where it is, how to report what it cannot use, what to redact. */
export interface AdaptContext {
  readonly path: string
  /**
   * Redact secrets in the text cards keep (the run's `--redact`; default on;
   * see `RedactMode`). Redaction happens before text is cut: a key cut in
   * half no longer looks like a key.
   */
  readonly redact: RedactMode
  /** Reports a record (or part of the file) that was skipped, and why. */
  skip(line: number | undefined, reason: string): void
  /** Reads a file beside the trace (e.g. SWE-agent's `all_preds.jsonl`); undefined when absent. */
  readSibling?(name: string): Promise<string | undefined>
  /**
   * The same, at once (a reader that finishes its cards synchronously: Cline's history reads the task's UI messages);
   * undefined too when the file is larger than `maxBytes`.
   */
  readSiblingSync?(name: string, maxBytes?: number): string | undefined
}

/** Receives one parsed record (a JSONL line) at a time. */
export interface RecordSink {
  push(record: unknown, line: number): void
  finish(): TraceCard[]
  /**
   * The sink's whole state as bytes (a structured clone), taken between two
   * records: `JsonlAdapter.resume` reads an appended file on from there and
   * ends with exactly the cards a read of the whole file gives.
   */
  snapshot?(): Uint8Array
}

/**
 * A file that is not a trace but travels with this format's traces (e.g. a
 * SWE-bench report beside SWE-agent trajectories): recognised by detection,
 * so it is not reported as unknown, and not read as a trace.
 */
export interface CompanionRule {
  /** What the file is and how aco uses it, e.g. "SWE-bench predictions (read with their trajectories…)". */
  readonly label: string
  /** True when a parsed JSON document is one. */
  doc?(doc: unknown): boolean
  /** True when these first JSONL records are one. */
  jsonl?(records: readonly unknown[]): boolean
  /** True when a text file's head (its first ~64 KB) is one. */
  text?(head: string): boolean
}

interface AdapterBase {
  readonly format: FormatId
  /** A human name, e.g. "Claude Code session". */
  readonly label: string
  /** What detection looks for, shown when a file matches no format. */
  readonly looksFor: string
  /**
   * True when the format's usage always carries cache fields, so a trace with no cache tokens used no cache
   * (its hit rate is 0%). Otherwise a trace with none recorded none: its hit rate is "not recorded".
   */
  readonly recordsCache?: boolean
  /**
   * A format defined by a mapping's detect rules (LangSmith, LiteLLM spend logs): `--format` reads a file with it
   * only when they recognise the file (a mapping reads any JSON, and would count another tool's records as calls).
   */
  readonly sniffWhenForced?: boolean
  /** The companion hook, part one: files of other kinds that travel with this format's traces. */
  readonly companions?: readonly CompanionRule[]
  /**
   * The companion hook, part two: when a file of this format repeats what a
   * file beside it holds (Aider's LLM I/O log beside its chat history), why it
   * is not read; undefined to read it. Not asked when `--format` names the format.
   */
  companionOf?(path: string, exists: (path: string) => boolean): string | undefined
  /** Whether `companionOf` is asked even when `--format` names the format (a file of the same format's own trace). */
  readonly companionWhenForced?: boolean
}

export interface JsonlAdapter extends AdapterBase {
  readonly kind: 'jsonl'
  /** True when these first records (parsed lines) are of this format. */
  sniff(records: readonly unknown[]): boolean
  open(ctx: AdaptContext): RecordSink
  /** A sink in the state a `snapshot()` of this adapter's sink kept (formats whose files are appended to). */
  resume?(ctx: AdaptContext, state: Uint8Array): RecordSink
}

export interface DocumentAdapter extends AdapterBase {
  readonly kind: 'json'
  sniff(doc: unknown): boolean
  parse(doc: unknown, ctx: AdaptContext): Promise<TraceCard[]> | TraceCard[]
}

/** Receives one line of text at a time (Markdown and plain-text logs). */
export interface LineSink {
  push(text: string, line: number): void
  /**
   * The whole text in one piece, given instead of its lines when the file was
   * read whole, to a reader that parses the whole text anyway (a YAML
   * cassette): no splitting into lines only to join them again.
   */
  pushText?(text: string): void
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

/**
 * Reads a document's items one by one (`read(item, index)`): an item that is no record of the format (a RecordError)
 * is skipped and reported, the rest read on.
 */
export function readEach(
  items: readonly unknown[],
  ctx: AdaptContext,
  read: (item: unknown, index: number) => void,
): void {
  items.forEach((item, i) => {
    try {
      read(item, i)
    } catch (error) {
      if (!(error instanceof RecordError)) throw error
      ctx.skip(undefined, error.message)
    }
  })
}
