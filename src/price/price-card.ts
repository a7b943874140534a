/**
 * Prices every LLM step of a card (and its children) with a PriceBook, and
 * lists the models that could not be priced with their tokens. A step the
 * catalog cannot price keeps a cost the source recorded, if any; otherwise it
 * is unpriced (cost null), never $0.
 */
import {addTokens, computeTotals, emptyTokens} from '../card/build.js'
import type {FormatId, TraceCard, UnpricedModel} from '../card/types.js'
import {isPriced, type PriceBook} from './book.js'

/** The provider a format's model names belong to, when the format implies one. */
const PROVIDER_HINT: Partial<Record<FormatId, string>> = {
  'claude-code': 'anthropic',
  codex: 'openai',
  'gemini-api': 'google',
  'gemini-cli': 'google',
}

export function priceCard(card: TraceCard, book: PriceBook): void {
  const hint = PROVIDER_HINT[card.source.format]
  const unpriced = new Map<string, UnpricedModel>()
  for (const step of card.steps) {
    if (step.kind !== 'llm' || !step.tokens) continue
    const recordedUsd = step.cost?.recordedUsd
    // An adapter's estimate (a split of recorded totals) stands as it is.
    if (step.cost?.source === 'estimated') continue
    const resolution = step.model ? book.resolve(step.model, hint) : {model: '(unknown)', reason: 'the trace names no model'}
    if (isPriced(resolution)) {
      const at = step.startedAt ?? step.endedAt ?? card.startedAt
      const usd = book.cost(resolution, step.tokens, at)
      const inputUsd = step.tokens.output > 0 ? book.cost(resolution, {...step.tokens, output: 0, reasoning: 0}, at) : usd
      step.cost = {usd, source: 'computed', inputUsd}
      if (recordedUsd !== undefined) step.cost.recordedUsd = recordedUsd
      continue
    }
    step.cost = recordedUsd !== undefined ? {usd: recordedUsd, source: 'recorded', recordedUsd} : {usd: null, source: 'unpriced'}
    const name = step.model ?? '(unknown)'
    let entry = unpriced.get(name)
    if (!entry) {
      entry = {model: name, tokens: emptyTokens(), calls: 0, reason: resolution.reason}
      unpriced.set(name, entry)
    }
    entry.calls++
    addTokens(entry.tokens, step.tokens)
  }
  card.unpriced = [...unpriced.values()]
  card.totals = computeTotals(card.steps)
  for (const child of card.children) priceCard(child, book)
}
