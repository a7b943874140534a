/**
 * One unit of work, start to finish where it can be done alone: adapt each
 * file, price its cards, nest subagents under their session. Runs in the main
 * thread or in a worker; takes and returns plain data.
 */
import {mappingAdapters} from '../adapt/mapping/adapter.js'
import {compileMapping} from '../adapt/mapping/compile.js'
import type {FormatMapping} from '../adapt/mapping/types.js'
import {adaptersFor} from '../adapt/registry.js'
import type {Adapter} from '../adapt/types.js'
import type {FileState, SiblingSeen, Skipped} from '../read/file-report.js'
import {readTraceFile} from '../read/read-file.js'
import type {FormatId, TraceCard} from '../card/types.js'
import type {PriceBook} from '../price/book.js'
import {computeTotals, forEachCard, redactKept} from '../card/build.js'
import {flagCard} from '../flag/flag-card.js'
import {priceCard} from '../price/price-card.js'
import {leanCard} from './lean.js'
import {nestChildren} from './link.js'
import type {Unit} from './units.js'

export interface UnitResult {
  cards: TraceCard[]
  skipped: Skipped[]
  internalErrors: number
  filesWithTraces: number
  filesWithout: number
  companions: number
  /** Files read without a problem that hold nothing to count (a session that only started). */
  empty: number
  /** Files read without a problem that hold no trace (empty ones and companions), and why. */
  nothingToCount: NothingToCount[]
  /** The files beside its files that their readers looked for, as they were (see `SiblingSeen`). */
  siblings?: SiblingSeen[]
}

/** A file read without a problem that holds nothing to count, and why. */
export interface NothingToCount {
  path: string
  reason: string
}

export interface UnitOptions {
  format?: FormatId
  /** A validated format mapping (`--mapping`), compiled once per thread. */
  mapping?: FormatMapping
  /** Strip what only the cards' readers need (see lean.ts). */
  lean?: boolean
  /** Redact secrets in the excerpts and arguments cards keep (default true). */
  redact?: boolean
}

/**
 * Reading on from where an earlier run stopped (the cache's states of a
 * unit's files, by path), and the states this read leaves, filled in.
 */
export interface UnitStates {
  from?: ReadonlyMap<string, FileState>
  /** The files whose state to keep (those likely to grow). */
  keep: ReadonlySet<string>
  kept: Map<string, FileState>
  /** Files read on from a state rather than whole. */
  resumed: number
}

/** Adapts, prices, flags and links one unit. */
export async function processUnit(
  unit: Unit,
  book: PriceBook,
  options: UnitOptions = {},
  states?: UnitStates,
): Promise<UnitResult> {
  const {format, lean = false, redact = true} = options
  const mapping = options.mapping ? mappingReaders(options.mapping) : undefined
  const out: UnitResult = {
    cards: [],
    skipped: [],
    internalErrors: 0,
    filesWithTraces: 0,
    filesWithout: 0,
    companions: 0,
    empty: 0,
    nothingToCount: [],
  }
  let cards: TraceCard[] = []
  /** Prices and flags a card, then redacts what it keeps. */
  const finish = (card: TraceCard, path: string): void => {
    priceCard(card, book)
    try {
      flagCard(card, undefined, redact)
    } catch (error) {
      // aco's bug, not the file's: the trace is still counted, without waste flags, and the run says so (exit 1).
      out.internalErrors++
      out.skipped.push({
        path,
        reason: `internal error in the waste detectors (${(error as Error).message}): the trace is counted without its waste flags`,
      })
      unflag(card)
    }
    if (redact && !lean) redactKept(card)
  }
  for (const file of unit.files) {
    const resume = states?.from?.get(file.path)
    const result = await readTraceFile(file.path, {
      format,
      // The detectors read the text as it is; what a card keeps past this unit is redacted once it is flagged, and a
      // lean card keeps none of it (so none is redacted).
      redact: redact && (lean ? 'dropped' : 'after-flags'),
      mapping,
      resume,
      keepState: states?.keep.has(file.path),
      // A file of many sessions (OpenCode's database) has each finished as it is read: lean already where the unit's
      // cards end lean and no other file's card may nest under one of them (one file), so they are never all held whole.
      eachCard: card => {
        if (card.steps.length === 0 && card.children.length === 0) return card
        finish(card, file.path)
        return lean && unit.files.length === 1 ? leanCard(card) : card
      },
    })
    if (result.siblings) out.siblings = [...(out.siblings ?? []), ...result.siblings]
    if (result.state) states!.kept.set(file.path, result.state)
    if (result.resumed) states!.resumed++
    out.internalErrors += result.internalErrors
    out.skipped.push(...inLineOrder(result.skipped))
    const kept = result.cards.filter(c => c.steps.length > 0 || c.children.length > 0)
    if (!result.finished) for (const card of kept) finish(card, file.path)
    if (kept.length) out.filesWithTraces++
    else if (result.acoOutput) {
      out.companions++
      out.nothingToCount.push({path: file.path, reason: `${ACO_OUTPUT}${result.acoOutput}`})
    } else if (result.companion) {
      out.companions++
      out.nothingToCount.push({path: file.path, reason: `a companion of traces, not a trace: ${result.companion}`})
    } else if (result.skipped.length) out.filesWithout++
    else if (result.empty) {
      out.empty++
      out.nothingToCount.push({path: file.path, reason: 'an empty file: nothing to count'})
    } else {
      out.empty++
      // (The reader that read it: a format may have several, Gemini CLI's.)
      const label = result.reader ?? (result.format ? adaptersFor(result.format)[0]?.label : undefined)
      out.nothingToCount.push({
        path: file.path,
        reason: `${label ? `read as ${/^(?:[AEIOU]|HTTP)/.test(label) ? 'an' : 'a'} ${label}` : 'read'}: it holds no LLM call or tool call to count`,
      })
    }
    cards.push(...kept)
  }
  if (unit.files.length > 1) cards = nestChildren(cards)
  out.cards = lean ? cards.map(leanCard) : cards
  return out
}

/** A card and its subagents with no flags, their totals counted again. */
function unflag(card: TraceCard): void {
  forEachCard([card], c => {
    for (const step of c.steps) delete step.flags
    c.totals = computeTotals(c.steps)
  })
}

/** How the note on a file aco itself wrote begins (renderers count these notes). */
export const ACO_OUTPUT = 'aco output, skipped: '

const compiledMappings = new Map<string, {adapters: Adapter[]; only: boolean}>()

/** The readers of a mapping, compiled once per thread (a mapping arrives as data, also in workers). */
function mappingReaders(mapping: FormatMapping): {adapters: Adapter[]; only: boolean} {
  const key = JSON.stringify(mapping)
  let readers = compiledMappings.get(key)
  if (!readers) {
    readers = {adapters: mappingAdapters(compileMapping(mapping)), only: mapping.detect === undefined}
    compiledMappings.set(key, readers)
  }
  return readers
}

/**
 * A file's skipped input in the order of its lines (a reader says some only once the file is read: trial 116 listed
 * `collector.jsonl:5` before `:4`), each file's where it first appears, a skip of no line before the file's lines.
 */
function inLineOrder<T extends {path: string; line?: number}>(skipped: readonly T[]): T[] {
  if (skipped.length < 2) return [...skipped]
  const first = new Map<string, number>()
  skipped.forEach((s, i) => {
    if (!first.has(s.path)) first.set(s.path, i)
  })
  return skipped
    .map((s, i) => ({s, i}))
    .sort((a, b) => first.get(a.s.path)! - first.get(b.s.path)! || (a.s.line ?? 0) - (b.s.line ?? 0) || a.i - b.i)
    .map(x => x.s)
}
