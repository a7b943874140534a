/**
 * One number per model to compare models by price: USD per million uncached
 * input tokens at the catalog's current price (what most of an agent's spend
 * is: its steps read far more than they write). The per-step router's default
 * tiers and the auto-labeller's "clearly cheaper model" both read it.
 */
import {isPriced, type PriceBook} from './book.js'

/**
 * A call of 10,000 input tokens, priced and scaled to a million: a call of a million tokens would be priced at the
 * long-context rate some models charge past 200,000 (Claude Sonnet 4.5: $6 instead of $3), not at their usual one.
 */
const SAMPLE = {input: 10_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
const PER_MILLION = 1_000_000 / SAMPLE.input

/** USD per million input tokens of `model`, or undefined when the catalog has no price for it. */
export function inputPricePerMillion(book: PriceBook, model: string, providerHint?: string): number | undefined {
  const r = book.resolve(model, providerHint)
  if (!isPriced(r)) return undefined
  const usd = book.cost(r, SAMPLE)
  return usd === undefined ? undefined : Math.round(usd * PER_MILLION * 1e6) / 1e6
}

/**
 * Whether the catalog prices `model`'s input and not its output: a model that writes no tokens, an embedding model
 * (`text-embedding-3-small`). Undefined when the catalog has no price for it.
 */
export function readsOnly(book: PriceBook, model: string, providerHint?: string): boolean | undefined {
  const r = book.resolve(model, providerHint)
  if (!isPriced(r)) return undefined
  const input = book.cost(r, SAMPLE)
  const output = book.cost(r, {...SAMPLE, input: 0, output: SAMPLE.input})
  return input === undefined || output === undefined ? undefined : input > 0 && output === 0
}
