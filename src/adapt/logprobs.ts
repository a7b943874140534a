/**
 * Token log-probabilities → a step's uncertainty, the post-hoc signals the
 * cascade router reads: `meanOneMinusP` = mean over generated tokens of
 * (1 − p), and `entropy` = mean over tokens of the entropy (nats) of the top
 * alternatives the provider returned, renormalised to sum to one (so it is
 * bounded by ln k for k alternatives). A token without alternatives counts
 * for the first figure only; no alternatives anywhere leaves `entropy` out.
 *
 * Shapes read (corpus FORMATS.md §7, §8e):
 * - OpenAI Chat Completions: `choices[i].logprobs.content[j] = {token, logprob, top_logprobs: [{token, logprob}]}`
 *   (and the legacy Completions `logprobs = {tokens, token_logprobs, top_logprobs: [{token: logprob}]}`);
 * - OpenAI Responses: `output[].content[]` of type `output_text` with `logprobs` of the same shape;
 * - Gemini / Vertex: `candidates[i].logprobsResult = {chosenCandidates: [{logProbability}], topCandidates: [{candidates: [{logProbability}]}]}`;
 * - Hugging Face TGI: `details.tokens[{logprob, special}]`, `details.top_tokens[[{logprob}]]`;
 * - ATIF: `metrics.logprobs`, a bare list of numbers.
 */
import type {Uncertainty} from '../card/types.js'
import {isObject, num} from './fields.js'

/** Sums token log-probabilities as they arrive (a stream may deliver them over many events). */
export class UncertaintyAccumulator {
  private tokens = 0
  private sumOneMinusP = 0
  private entropyTokens = 0
  private sumEntropy = 0

  /** One generated token: its log-probability and, when given, those of the top alternatives. */
  add(logprob: number, alternatives?: readonly number[]): void {
    if (!Number.isFinite(logprob)) return
    const p = logprob >= 0 ? 1 : Math.exp(logprob)
    this.tokens++
    this.sumOneMinusP += 1 - p
    if (alternatives && alternatives.length > 0) {
      this.entropyTokens++
      this.sumEntropy += entropyOf(alternatives)
    }
  }

  get count(): number {
    return this.tokens
  }

  result(): Uncertainty | undefined {
    if (this.tokens === 0) return undefined
    const u: Uncertainty = {meanOneMinusP: clamp01(this.sumOneMinusP / this.tokens)}
    if (this.entropyTokens > 0) u.entropy = Math.max(0, this.sumEntropy / this.entropyTokens)
    return u
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x))
}

/** Entropy (nats) of the distribution the alternatives' probabilities form once renormalised. */
function entropyOf(logprobs: readonly number[]): number {
  let total = 0
  const ps: number[] = []
  for (const lp of logprobs) {
    if (!Number.isFinite(lp)) continue
    const p = lp >= 0 ? 1 : Math.exp(lp)
    ps.push(p)
    total += p
  }
  if (total <= 0) return 0
  let h = 0
  for (const p of ps) {
    const q = p / total
    if (q > 0) h -= q * Math.log(q)
  }
  return h
}

/** `[{token, logprob, top_logprobs: [{token, logprob}]}]` (OpenAI Chat `logprobs.content`, Responses `output_text.logprobs`). */
export function addOpenAiTokenLogprobs(acc: UncertaintyAccumulator, list: unknown): void {
  if (!Array.isArray(list)) return
  for (const t of list) {
    if (!isObject(t)) continue
    const lp = num(t.logprob)
    if (lp === undefined) continue
    const top = Array.isArray(t.top_logprobs)
      ? t.top_logprobs.map(a => (isObject(a) ? num(a.logprob) : undefined)).filter((x): x is number => x !== undefined)
      : undefined
    acc.add(lp, top)
  }
}

/** A Chat Completions choice's `logprobs`: the current `{content: [...]}` or the legacy `{token_logprobs, top_logprobs}`. */
export function addChatChoiceLogprobs(acc: UncertaintyAccumulator, logprobs: unknown): void {
  if (!isObject(logprobs)) return
  if (Array.isArray(logprobs.content)) {
    addOpenAiTokenLogprobs(acc, logprobs.content)
    return
  }
  if (Array.isArray(logprobs.token_logprobs)) {
    const tops = Array.isArray(logprobs.top_logprobs) ? logprobs.top_logprobs : []
    logprobs.token_logprobs.forEach((lp, i) => {
      const value = num(lp)
      if (value === undefined) return
      const top = tops[i]
      acc.add(
        value,
        isObject(top)
          ? Object.values(top)
              .map(num)
              .filter((x): x is number => x !== undefined)
          : undefined,
      )
    })
  }
}

/** A Gemini candidate's `logprobsResult` (note the spelling `logProbability`). */
export function addGeminiLogprobs(acc: UncertaintyAccumulator, result: unknown): void {
  if (!isObject(result) || !Array.isArray(result.chosenCandidates)) return
  const tops = Array.isArray(result.topCandidates) ? result.topCandidates : []
  result.chosenCandidates.forEach((c, i) => {
    const lp = isObject(c) ? num(c.logProbability) : undefined
    if (lp === undefined) return
    const top = tops[i]
    const alternatives =
      isObject(top) && Array.isArray(top.candidates)
        ? top.candidates.map(a => (isObject(a) ? num(a.logProbability) : undefined)).filter(x => x !== undefined)
        : undefined
    acc.add(lp, alternatives as number[] | undefined)
  })
}

/** TGI `details`: `tokens[{logprob, special}]` (special tokens skipped) and `top_tokens` per position. */
export function addTgiLogprobs(acc: UncertaintyAccumulator, details: unknown): void {
  if (!isObject(details) || !Array.isArray(details.tokens)) return
  const tops = Array.isArray(details.top_tokens) ? details.top_tokens : []
  details.tokens.forEach((t, i) => {
    if (!isObject(t) || t.special === true) return
    const lp = num(t.logprob)
    if (lp === undefined) return
    const top = tops[i]
    const alternatives = Array.isArray(top)
      ? top.map(a => (isObject(a) ? num(a.logprob) : undefined)).filter(x => x !== undefined)
      : undefined
    acc.add(lp, alternatives as number[] | undefined)
  })
}

/** A bare list of log-probabilities (ATIF `metrics.logprobs`). */
export function addBareLogprobs(acc: UncertaintyAccumulator, list: unknown): void {
  if (!Array.isArray(list)) return
  for (const lp of list) {
    const value = num(lp)
    if (value !== undefined) acc.add(value)
  }
}
