/** Shared test helpers: read fixture files into priced cards, find the corpus. */
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {FileResult} from '../src/read/file-report.js'
import {readTraceFile} from '../src/read/read-file.js'
import {forEachCard} from '../src/card/build.js'
import type {Step, TraceCard} from '../src/card/types.js'
import {PriceBook} from '../src/price/book.js'
import {priceCard} from '../src/price/price-card.js'
import {flagCard} from '../src/flag/flag-card.js'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const fixture = (path: string): string => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url))
export const corpusDir = fileURLToPath(new URL('../../shared/corpus/', import.meta.url))
export const hasCorpus = existsSync(corpusDir)
export const corpus = (path: string): string => `${corpusDir}${path}`

const book = new PriceBook()

/** Adapts and prices one file. */
export async function read(path: string): Promise<FileResult> {
  const result = await readTraceFile(path)
  for (const card of result.cards) priceCard(card, book)
  return result
}

export async function readOne(path: string): Promise<TraceCard> {
  const result = await read(path)
  if (result.cards.length !== 1)
    throw new Error(
      `expected one card from ${path}, got ${result.cards.length}; skipped: ${JSON.stringify(result.skipped)}`,
    )
  return result.cards[0]!
}

export function llmSteps(card: TraceCard): Step[] {
  return card.steps.filter(s => s.kind === 'llm')
}

export function allCards(cards: TraceCard[]): TraceCard[] {
  const out: TraceCard[] = []
  forEachCard(cards, c => out.push(c))
  return out
}

export const skipNoCorpus = `../shared/corpus is absent (a user's clone): corpus tests skipped`

/** The flags of a fixture's card, by tool call (1-based): each call's first flag's kind. */
export async function fixtureFlags(path: string): Promise<Record<number, string>> {
  const card = await readOne(fixture(path))
  flagCard(card)
  return toolFlags(card)
}

/** The flags of a flagged card, by tool call (1-based): each call's first flag's kind. */
export function toolFlags(card: TraceCard): Record<number, string> {
  const flags: Record<number, string> = {}
  card.steps
    .filter(s => s.kind === 'tool')
    .forEach((s, k) => {
      if (s.flags?.[0]) flags[k + 1] = s.flags[0].kind
    })
  return flags
}
