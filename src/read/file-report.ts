/**
 * What reading one file gave: its cards, and the records (or the whole file)
 * that could not be used, each with its line and reason. At most a few dozen
 * problems are listed per file; the rest are counted in one last entry.
 */
import {statSync} from 'node:fs'
import type {FormatId, TraceCard} from '../card/types.js'
import {RecordError} from '../adapt/types.js'

export interface Skipped {
  path: string
  line?: number
  reason: string
}

export interface FileResult {
  path: string
  format?: FormatId
  /** The reader of the format that read it, where the format has several and it is not the first (Gemini CLI's). */
  reader?: string
  cards: TraceCard[]
  skipped: Skipped[]
  /** Errors that are aco's fault (an adapter threw unexpectedly). */
  internalErrors: number
  /** Set when the file is a known companion of traces (e.g. a SWE-bench report), not a trace. */
  companion?: string
  /** With `keepState`: where the read stopped and the reader's state there, to read on when the file grows. */
  state?: FileState
  /** True when the file was read on from an earlier read's state, not from its start. */
  resumed?: boolean
  /** Set when the file is one of aco's own outputs (cards, their index, a saved result): what it is. */
  acoOutput?: string
  /** Set when the file holds nothing at all (no byte, or only white space): read fine, nothing to count, nothing lost. */
  empty?: boolean
  /** True when the cards went through `ReadOptions.eachCard` as they were read (they are finished already). */
  finished?: boolean
  /** The files beside it its reader looked for (see `SiblingSeen`): its result holds while they stay as seen. */
  siblings?: SiblingSeen[]
}

/**
 * A file a reader looked for beside the trace (a SWE-bench report, predictions, a Cline task's UI messages), as it was
 * then: its size and modification time, or absent. What the trace reads as depends on it, so a result kept in the
 * cache stands only while each is still so (a report written after a first run changes the trace's outcome).
 */
export type SiblingSeen = {path: string; size: number; mtimeMs: number; ctimeMs?: number} | {path: string; absent: true}

/** A file looked for beside a trace, as it is now: its size and time where it is a file, absent otherwise. */
export function siblingNow(path: string): SiblingSeen {
  try {
    const s = statSync(path)
    // (Its change time too: one rewritten to its size and given back its modification time is another file.)
    return s.isFile() ? {path, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs} : {path, absent: true}
  } catch {
    return {path, absent: true}
  }
}

/**
 * A read of a JSONL file stopped after its last complete line, to read on
 * from there when the file grows (an appended session): the offset past that
 * line, its number, the reader's state and the problems listed so far. `check`
 * is a hash of the bytes before the offset: a file rewritten rather than
 * appended to is read again whole.
 */
export interface FileState {
  /** The reader's label (the adapter that read it must read on). */
  reader: string
  offset: number
  line: number
  check: string
  sink: Uint8Array
  report: {skipped: Skipped[]; internalErrors: number; extraSkips: number}
}

/** Lines skipped in one file beyond this are summed up in one entry. */
const MAX_SKIPS_PER_FILE = 50

/** Stops reading a file (thrown out of the line loop). */
export class StopReading extends Error {}

/** Collects one file's result while it is read. */
export class FileReport {
  readonly result: FileResult
  private extraSkips = 0

  constructor(readonly path: string) {
    this.result = {path, cards: [], skipped: [], internalErrors: 0}
  }

  /** A record (or the file) skipped, and why. */
  readonly skip = (line: number | undefined, reason: string): void => {
    if (this.result.skipped.length < MAX_SKIPS_PER_FILE)
      this.result.skipped.push(line === undefined ? {path: this.path, reason} : {path: this.path, line, reason})
    else this.extraSkips++
  }

  /**
   * Notes a file beside the trace that its reader looks for, as it is now: its size and time where it is a file
   * (returned, to be read), absent otherwise.
   */
  sibling(path: string): {path: string; size: number} | undefined {
    const seen = siblingNow(path)
    const list = this.result.siblings ?? []
    if (!list.some(x => x.path === path)) this.result.siblings = [...list, seen]
    return 'absent' in seen ? undefined : seen
  }

  /** A failure that is aco's bug, not the file's: counted as internal, and skipped with its reason. */
  internal(line: number | undefined, reason: string): void {
    this.result.internalErrors++
    this.skip(line, reason)
  }

  /** What an adapter threw: a RecordError skips the record; anything else is aco's bug, reported as such. */
  failed(label: string, line: number | undefined, error: unknown): void {
    if (error instanceof RecordError) this.skip(line, error.message)
    else this.internal(line, `internal error in the ${label} reader: ${(error as Error).message}`)
  }

  /** Runs one record through an adapter, reporting what it throws. */
  guarded(label: string, line: number | undefined, run: () => void): void {
    try {
      run()
    } catch (error) {
      this.failed(label, line, error)
    }
  }

  /** The problems listed so far, for a FileState. */
  state(): FileState['report'] {
    return {
      skipped: [...this.result.skipped],
      internalErrors: this.result.internalErrors,
      extraSkips: this.extraSkips,
    }
  }

  /** Takes up the problems a FileState listed, to read on after them. */
  restore(state: FileState['report']): void {
    this.result.skipped = state.skipped.map(s => ({...s}))
    this.result.internalErrors = state.internalErrors
    this.extraSkips = state.extraSkips
  }

  /** Replaces every problem listed so far with one reason for the whole file. */
  replaceSkips(reason: string): void {
    this.result.skipped = [{path: this.path, reason}]
    this.extraSkips = 0
  }

  /** Sums up the problems beyond the listed ones; call once, when the file is done. */
  close(): void {
    if (this.extraSkips > 0)
      this.result.skipped.push({path: this.path, reason: `… and ${this.extraSkips} more problems in this file`})
  }
}
