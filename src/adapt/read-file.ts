/**
 * Reads one file into TraceCards: sniff, pick the adapter, stream the records
 * through it. Whatever cannot be used is reported (file, line, reason) and
 * the rest of the file goes on.
 */
import {readFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import type {FormatId, TraceCard} from '../card/types.js'
import {describeFsError} from '../util/fs-errors.js'
import {forEachLine, MAX_LINE_BYTES, openTraceFile, wholeText} from '../discover/read.js'
import {detectDocument, detectFromHead, firstRecords, unknownReason, type Detection} from '../detect/detect.js'
import {adaptersFor} from './registry.js'
import {RecordError, type AdaptContext, type Adapter} from './types.js'

export interface Skipped {
  path: string
  line?: number
  reason: string
}

export interface FileResult {
  path: string
  format?: FormatId
  cards: TraceCard[]
  skipped: Skipped[]
  /** Errors that are aco's fault (an adapter threw unexpectedly). */
  internalErrors: number
  /** Set when the file is a known companion of traces (e.g. a SWE-bench report), not a trace. */
  companion?: string
}

/** Lines skipped in one file beyond this are summed up in one entry. */
const MAX_SKIPS_PER_FILE = 50
/** With --format, a file whose first records all fail is not of that format: said once, not per line. */
const FORCED_MISMATCH_RECORDS = 5

/** Stops reading a file (thrown out of the line loop). */
class StopReading extends Error {}

export async function adaptFile(path: string, forced?: FormatId): Promise<FileResult> {
  const result: FileResult = {path, cards: [], skipped: [], internalErrors: 0}
  let extraSkips = 0
  const skip = (line: number | undefined, reason: string): void => {
    if (result.skipped.length < MAX_SKIPS_PER_FILE)
      result.skipped.push(line === undefined ? {path, reason} : {path, line, reason})
    else extraSkips++
  }
  /** What an adapter threw: a RecordError skips the record; anything else is aco's bug, reported as such. */
  const failed = (label: string, line: number | undefined, error: unknown): void => {
    if (error instanceof RecordError) skip(line, error.message)
    else {
      result.internalErrors++
      skip(line, `internal error in the ${label} reader: ${(error as Error).message}`)
    }
  }
  const guarded = (label: string, line: number | undefined, run: () => void): void => {
    try {
      run()
    } catch (error) {
      failed(label, line, error)
    }
  }
  const ctx: AdaptContext = {
    path,
    skip,
    readSibling: async name => {
      try {
        return await readFile(join(dirname(path), name), 'utf8')
      } catch {
        return undefined
      }
    },
  }

  try {
    const file = openTraceFile(path)
    if (file.binary) {
      skip(undefined, 'binary file, not a trace')
      return result
    }

    if (file.size === 0 || (file.complete && file.head.trim().length === 0)) {
      skip(undefined, 'empty file')
      return result
    }
    let detection: Detection | {kind: 'needDocument'}
    let doc: unknown
    if (forced) {
      const picked = pickForced(forced, file.head, file.complete)
      if (!picked) {
        skip(undefined, `no adapter for format ${forced}`)
        return result
      }
      detection = picked.kind === 'json' ? {kind: 'needDocument'} : ({kind: picked.kind, adapter: picked} as Detection)
    } else {
      detection = detectFromHead(file.head, file.complete)
    }
    if (detection.kind === 'needDocument') {
      const text = wholeText(file)
      try {
        doc = JSON.parse(text)
      } catch (error) {
        skip(lineOfJsonError(text, error), `invalid JSON: ${(error as Error).message}`)
        return result
      }
      const forcedDoc = forced ? adaptersFor(forced).find(a => a.kind === 'json') : undefined
      detection = forcedDoc?.kind === 'json' ? {kind: 'json', adapter: forcedDoc} : detectDocument(doc)
    }

    switch (detection.kind) {
      case 'companion':
        result.companion = detection.label
        return result
      case 'unknown':
        skip(undefined, detection.reason || unknownReason())
        return result
      case 'json': {
        const adapter = detection.adapter
        result.format = adapter.format
        try {
          result.cards = await adapter.parse(doc, ctx)
        } catch (error) {
          failed(adapter.label, undefined, error)
        }
        return result
      }
      case 'jsonl': {
        const adapter = detection.adapter
        result.format = adapter.format
        const sink = adapter.open(ctx)
        let accepted = 0
        let rejected = 0
        try {
          if (Array.isArray(doc)) {
            // A JSON array of records: push them as if they were lines.
            doc.forEach((record, i) => {
              pushRecord(record, i + 1)
            })
          } else {
            forEachLine(
              file,
              (text, line, terminated) => parseAndPush(text, line, !terminated),
              line => skip(line, `a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB: not a trace record, skipped`),
            )
          }
        } catch (error) {
          if (!(error instanceof StopReading)) throw error
          result.skipped = [
            {
              path,
              reason: `not a ${adapter.label} (--format ${forced}): its first ${FORCED_MISMATCH_RECORDS} records fail to read, e.g. ${error.message}`,
            },
          ]
          return result
        }
        result.cards = sink.finish()
        return result

        function parseAndPush(text: string, line: number, last: boolean): void {
          if (text.length === 0 || text.trim().length === 0) return
          let record: unknown
          try {
            record = JSON.parse(text)
          } catch (error) {
            skip(line, last ? 'truncated line: the file ends mid-record' : `invalid JSON: ${(error as Error).message}`)
            return
          }
          pushRecord(record, line)
        }
        function pushRecord(record: unknown, line: number): void {
          try {
            sink.push(record, line)
            accepted++
          } catch (error) {
            failed(adapter.label, line, error)
            rejected++
            if (forced && accepted === 0 && rejected >= FORCED_MISMATCH_RECORDS)
              throw new StopReading(`line ${line}: ${(error as Error).message}`)
          }
        }
      }
      case 'text': {
        const adapter = detection.adapter
        result.format = adapter.format
        // Aider's LLM I/O log repeats the calls of the chat history beside it, which has their tokens and costs.
        if (adapter.format === 'aider-llm-history' && !forced && existsSync(chatHistoryBeside(path))) {
          result.companion = `Aider LLM I/O log: its calls are counted from ${basename(chatHistoryBeside(path))} beside it`
          return result
        }
        const sink = adapter.open(ctx)
        forEachLine(file, (text, line) => guarded(adapter.label, line, () => sink.push(text, line)))
        result.cards = sink.finish()
        return result
      }
      default:
        return detection satisfies never
    }
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code) skip(undefined, `unreadable: ${describeFsError(error)}`)
    else if (error instanceof RangeError) skip(undefined, `too large to read: ${error.message}`)
    else {
      result.internalErrors++
      skip(undefined, `internal error: ${(error as Error).message}`)
    }
    return result
  } finally {
    if (extraSkips > 0) result.skipped.push({path, reason: `… and ${extraSkips} more problems in this file`})
  }
}

/**
 * The reader `--format` names. A format with several readers (Gemini CLI's
 * JSON and JSONL recordings) is read by the one whose shape the file has.
 */
function pickForced(format: FormatId, head: string, complete: boolean): Adapter | undefined {
  const candidates = adaptersFor(format)
  if (candidates.length <= 1) return candidates[0]
  const {lines, firstParsed} = firstRecords(head, complete)
  const looksJsonl = firstParsed && (lines > 1 || !complete)
  return candidates.find(a => (looksJsonl ? a.kind === 'jsonl' : a.kind === 'json')) ?? candidates[0]
}

/** `x.aider.llm.history` → `x.aider.chat.history.md` (and `.aider.llm.history` → `.aider.chat.history.md`). */
function chatHistoryBeside(path: string): string {
  const name = basename(path).replace(/\.aider\.llm\.history$|\.llm\.history$/, '')
  return join(dirname(path), `${name}.aider.chat.history.md`)
}

/** The 1-based line of a JSON.parse error, from the position V8 reports. */
function lineOfJsonError(text: string, error: unknown): number | undefined {
  const m = /position (\d+)/.exec((error as Error).message)
  if (!m) return undefined
  const pos = Number(m[1])
  let line = 1
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}
