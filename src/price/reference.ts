/**
 * One number per model to compare models by price: USD per million uncached
 * input tokens at the catalog's current price (what most of an agent's spend
 * is: its steps read far more than they write). The per-step router's default
 * tiers and the auto-labeller's "clearly cheaper model" both read it.
 */
import {isPriced, type PriceBook} from './book.js'

const MILLION = {input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}

/** USD per million input tokens of `model`, or undefined when the catalog has no price for it. */
export function inputPricePerMillion(book: PriceBook, model: string): number | undefined {
  const r = book.resolve(model)
  if (!isPriced(r)) return undefined
  const usd = book.cost(r, MILLION)
  return usd === undefined ? undefined : Math.round(usd * 1e6) / 1e6
}
