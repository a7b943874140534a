/**
 * Prices every LLM step of a card (and its children) with a PriceBook, and
 * lists the models that could not be priced with their tokens. A step the
 * catalog cannot price keeps a cost the source recorded, if any; otherwise it
 * is unpriced (cost null), never $0.
 */
import {addTokens, computeTotals, emptyTokens} from '../card/build.js'
import type {CardWarning, FormatId, Step, Tokens, TraceCard, UnpricedModel} from '../card/types.js'
import {usd as usdText} from '../util/format.js'
import {fromNano, toNano} from '../util/exact.js'
import {isPriced, type PriceBook} from './book.js'

/** The provider a format's model names belong to, when the format implies one. */
const PROVIDER_HINT: Partial<Record<FormatId, string>> = {
  'claude-code': 'anthropic',
  codex: 'openai',
  'gemini-api': 'google',
  'gemini-cli': 'google',
}

/** The catalog provider a call's model is looked up with: the one the trace names for it, or its format's. */
export function providerHintOf(book: PriceBook, card: TraceCard, step: Step): string | undefined {
  return (step.provider && book.providerId(step.provider)) ?? PROVIDER_HINT[card.source.format]
}

export function priceCard(card: TraceCard, book: PriceBook): void {
  const hint = PROVIDER_HINT[card.source.format]
  const unpriced = new Map<string, UnpricedModel>()
  const listUnpriced = (model: string, reason: string, tokens: Tokens | undefined): void => {
    const key = `${model}\u0000${reason}`
    let entry = unpriced.get(key)
    if (!entry) {
      entry = {model, tokens: emptyTokens(), calls: 0, reason}
      unpriced.set(key, entry)
    }
    entry.calls++
    if (tokens) addTokens(entry.tokens, tokens)
  }
  for (const step of card.steps) {
    if (step.kind !== 'llm') continue
    const recordedUsd = step.cost?.recordedUsd
    // An adapter's estimate (a split of recorded totals) stands as it is.
    if (step.cost?.source === 'estimated') continue
    const name = step.model ?? '(unknown)'
    if (!step.tokens) {
      // A call the log kept no usage for: its cost is what the tool recorded, or unknown (never $0).
      step.cost =
        recordedUsd !== undefined
          ? {usd: recordedUsd, source: 'recorded', recordedUsd}
          : {usd: null, source: 'unpriced'}
      if (recordedUsd === undefined) listUnpriced(name, NO_USAGE, undefined)
      continue
    }
    const resolution = step.model
      ? book.resolve(step.model, providerHintOf(book, card, step))
      : {model: '(unknown)', reason: 'the trace names no model'}
    let reason: string
    if (isPriced(resolution)) {
      // (The instant a step is dated by: a call counted on a day is priced at that day's price.)
      // (One with no time of its own, dated by its session's start, is priced at that day's price for most of its
      // hours: which hour it ran at is not known. Aider's sessions: trial 89, its start read in DeepSeek's night.)
      const own = step.endedAt ?? step.startedAt
      const at = own ?? card.startedAt
      const dayOnly = own === undefined
      // (A call of several model turns is priced by each turn's prompt, not their sum: `context`, the last one's.)
      const usd = book.cost(resolution, step.tokens, at, step.context, dayOnly)
      if (usd !== undefined) {
        const inputUsd =
          step.tokens.output > 0
            ? (book.cost(resolution, {...step.tokens, output: 0, reasoning: 0}, at, step.context, dayOnly) ?? usd)
            : usd
        step.cost = {usd, source: 'computed', inputUsd}
        // (The same tokens read from the cache instead of written to it: what writing it added.)
        if (step.tokens.cacheWrite > 0) {
          const {cacheWrite1h: _written1h, ...tokens} = step.tokens
          const read = {...tokens, cacheRead: tokens.cacheRead + tokens.cacheWrite, cacheWrite: 0}
          const premium = usd - (book.cost(resolution, read, at, step.context, dayOnly) ?? usd)
          if (premium > 0) step.cost.cacheWritePremiumUsd = premium
        }
        if (recordedUsd !== undefined) step.cost.recordedUsd = recordedUsd
        continue
      }
      reason = `the --prices file prices it only from ${resolution.pricedFrom!.slice(0, 10)}`
    } else reason = resolution.reason
    step.cost =
      recordedUsd !== undefined ? {usd: recordedUsd, source: 'recorded', recordedUsd} : {usd: null, source: 'unpriced'}
    // (A call the tool recorded a cost for is priced by it: not unpriced, as with no usage above.)
    if (recordedUsd === undefined) listUnpriced(name, reason, step.tokens)
  }
  card.unpriced = [...unpriced.values()]
  card.totals = computeTotals(card.steps)
  for (const warning of card.warnings) if (warning.estimate) priceEstimate(warning, book, hint, card.startedAt)
  // (Its subagents first: a session's recorded total holds theirs.)
  for (const child of card.children) priceCard(child, book)
  compareRecordedTotal(card)
}

/** A trace's own recorded total more than this many times apart from what its calls come to is said. */
const TOTAL_RATIO = 1.5
/** …when the two differ by at least this much. */
const TOTAL_MIN_USD = 0.01

/**
 * A cost the trace records for itself as a whole (a run's summary: `recorded.costUsd`) against what its calls come
 * to, said in a warning with both figures when they are far apart: the log may hold fewer calls than were billed, or
 * its tool priced them otherwise. Only where no call records a cost of its own (those are compared call by call),
 * and not while a call has no price.
 */
function compareRecordedTotal(card: TraceCard): void {
  const recorded = card.recorded?.costUsd
  // (A total of 0 is what a tool writes when it could not price the calls, mini-swe-agent's `ignore_errors`: no figure.)
  if (recorded === undefined || recorded === 0) return
  // The trace with its subagents, whose calls a session's recorded total holds (Copilot's bill).
  const cards: TraceCard[] = []
  const walk = (c: TraceCard) => {
    cards.push(c)
    for (const child of c.children) walk(child)
  }
  walk(card)
  if (cards.some(c => c.totals.unpricedCalls > 0)) return
  // Calls with their own recorded cost are compared one by one (the analysis' recorded-against-computed figures).
  if (cards.some(c => c.steps.some(s => s.cost?.recordedUsd !== undefined))) return
  const computed = fromNano(cards.reduce((a, c) => a + toNano(c.totals.costUsd), 0))
  const far = computed > recorded * TOTAL_RATIO || computed * TOTAL_RATIO < recorded
  if (!far || Math.abs(computed - recorded) < TOTAL_MIN_USD) return
  const message = `the trace records a total cost of ${usdText(recorded)} and its calls come to ${usdText(computed)} (${(Math.max(recorded, computed) / Math.max(Math.min(recorded, computed), 1e-12)).toFixed(1)}× apart): ${recorded > computed ? 'the log may not show every call that was billed' : 'its tool may price the calls otherwise, or leave some out of the total'}`
  if (!card.warnings.some(w => w.message === message)) card.warnings.push({message})
}

/**
 * Prices the tokens a warning is about (estimated tokens counted in the totals, or calls the log lost), and
 * says the dollars at stake in the warning's message.
 */
function priceEstimate(warning: CardWarning, book: PriceBook, hint: string | undefined, at: string | undefined): void {
  const estimate = warning.estimate!
  if (estimate.usd !== undefined) return
  const resolution = estimate.model ? book.resolve(estimate.model, hint) : undefined
  // Each call at its own size (a long-prompt tier goes by one call's prompt, not by the sum of them).
  const n = Math.max(1, estimate.calls)
  const t = estimate.tokens
  const perCall: Tokens = {
    input: t.input / n,
    output: t.output / n,
    cacheRead: t.cacheRead / n,
    cacheWrite: t.cacheWrite / n,
    reasoning: t.reasoning / n,
  }
  // (Calls of a whole run, dated by its start: that day's price for most of its hours.)
  const one = resolution && isPriced(resolution) ? book.cost(resolution, perCall, at, undefined, true) : undefined
  const usd = one === undefined ? undefined : one * n
  if (usd === undefined) {
    warning.message += estimate.counted ? ' (its model has no price)' : '; not priced (its model has no price)'
    return
  }
  estimate.usd = usd
  warning.message += estimate.counted
    ? `; ${usdText(usd)} of the cost rests on this estimate`
    : `; estimated ≈${usdText(usd)}, not counted`
}

const NO_USAGE = 'the log records no token usage for these calls'
