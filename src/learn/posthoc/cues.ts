/**
 * Words in a response that say the model did not really answer: refusals
 * ("I cannot", "Unfortunately I don't have") and hedges ("might", "I think").
 * English only; a cue is evidence for the estimator to weigh, not a verdict.
 */

const REFUSAL =
  /\b(?:I (?:cannot|can't|can not|am unable|'m unable|am not able|won't|will not)|I do(?: not|n't) (?:have|know|think I can)|unfortunately|as an AI|I'?m sorry|I apologi[sz]e|not enough (?:information|context)|cannot be determined)\b/i
const HEDGE =
  /\b(?:might|maybe|perhaps|possibly|probably|likely|unsure|not sure|uncertain|it depends|I think|I believe|seems?|appears? to|could be|unclear)\b/gi

/** 1 when the response refuses or says it cannot answer, else 0. */
export function refuses(response: string): number {
  return REFUSAL.test(response) ? 1 : 0
}

/** How many hedging phrases the response uses. */
export function hedges(response: string): number {
  HEDGE.lastIndex = 0
  let n = 0
  while (HEDGE.exec(response) !== null) n++
  return n
}
