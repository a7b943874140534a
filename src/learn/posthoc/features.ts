/**
 * Post-hoc features: what a cascade knows after running the models of its
 * first steps, as numbers. For step s (the models of steps 0..s have run):
 *
 * - the answer in hand: whether one was found (`answered`), its kind, the
 *   response's length against that model's usual (`length_z`: z-score of
 *   log(1 + chars) over the model's training responses), refusal and hedges,
 *   and for code its blocks, lines, asserts and balanced brackets;
 * - agreement with each earlier step's answer (`agree_k`, 0..1; `same_name_k`
 *   for code: the same function name), their mean, and how far the earlier
 *   answers agreed among themselves (`prev_agree`): several cheap answers that
 *   agree are evidence that a single answer is not;
 * - the signals the run reported (uncertainty from logprobs, steps, exit
 *   status, tests, tool errors, cost): `signal:<name>`.
 *
 * Missing values are NaN (binned apart). A response is digested once
 * (`digest`); `posthocValues` then only combines numbers.
 */
import {agreement, answerKindCode, extractAnswer, sameName, type Answer} from './answer.js'
import {hedges, refuses} from './cues.js'

/** Signals with a documented meaning (schemas/outcome-table.schema.json); others are used as they come. */
export const knownSignals = [
  'uncertainty',
  'entropy',
  'steps',
  'api_calls',
  'exit_status',
  'tests_passed',
  'tests_failed',
  'tool_errors',
  'cost_usd',
] as const

/** What a runtime observed once a model ran on an item. */
export interface Observed {
  response?: string | undefined
  signals?: Readonly<Record<string, number>> | undefined
}

/** One step's observation, digested once. */
export interface Digest {
  answer: Answer
  /** log(1 + characters of the response); NaN without a response. */
  logChars: number
  refusal: number
  hedges: number
  signals: Readonly<Record<string, number>> | undefined
}

const EMPTY_ANSWER: Answer = {kind: 'none', value: ''}

/** Digests an observation (the answer extracted, length and cues measured). */
export function digest(obs: Observed): Digest {
  const r = obs.response
  if (r === undefined)
    return {answer: EMPTY_ANSWER, logChars: Number.NaN, refusal: Number.NaN, hedges: Number.NaN, signals: obs.signals}
  return {
    answer: extractAnswer(r),
    logChars: Math.log1p(r.length),
    refusal: refuses(r),
    hedges: hedges(r),
    signals: obs.signals,
  }
}

/** A model's usual response length: mean and standard deviation of log(1 + chars) on training. */
export interface LengthNorm {
  mean: number
  sd: number
}

/** Length norm from training values (sd floored so a model that always says one letter does not divide by 0). */
export function lengthNorm(logChars: ArrayLike<number>): LengthNorm {
  let n = 0
  let sum = 0
  for (let i = 0; i < logChars.length; i++) {
    const v = logChars[i] as number
    if (Number.isFinite(v)) {
      n++
      sum += v
    }
  }
  const mean = n > 0 ? sum / n : 0
  let ss = 0
  for (let i = 0; i < logChars.length; i++) {
    const v = logChars[i] as number
    if (Number.isFinite(v)) ss += (v - mean) ** 2
  }
  return {mean: round(mean), sd: round(Math.max(0.05, n > 1 ? Math.sqrt(ss / (n - 1)) : 1))}
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6

const OWN = [
  'answered',
  'answer_kind',
  'length_z',
  'refusal',
  'hedges',
  'code_blocks',
  'code_lines',
  'code_asserts',
  'code_balanced',
] as const

/** Names of the post-hoc columns of step `step`, with these signal names. */
export function posthocNames(step: number, signals: readonly string[]): string[] {
  const names: string[] = [...OWN]
  for (let k = 0; k < step; k++) names.push(`agree_${k}`, `same_name_${k}`, `answered_${k}`)
  if (step >= 1) names.push('agree_mean')
  if (step >= 2) names.push('prev_agree')
  for (const s of signals) names.push(`signal:${s}`)
  return names
}

/**
 * The post-hoc values of step `step` (in `posthocNames` order) from the
 * digests of steps 0..step and the length norm of the step's model.
 */
export function posthocValues(
  step: number,
  digests: readonly Digest[],
  norm: LengthNorm,
  signals: readonly string[],
  out: Float64Array,
): Float64Array {
  const d = digests[step]!
  const a = d.answer
  let j = 0
  out[j++] = Number.isFinite(d.logChars) ? (a.kind === 'none' ? 0 : 1) : Number.NaN
  out[j++] = answerKindCode[a.kind]
  out[j++] = (d.logChars - norm.mean) / norm.sd
  out[j++] = d.refusal
  out[j++] = d.hedges
  out[j++] = a.code ? a.code.blocks : Number.NaN
  out[j++] = a.code ? a.code.lines : Number.NaN
  out[j++] = a.code ? a.code.asserts : Number.NaN
  out[j++] = a.code ? (a.code.balanced ? 1 : 0) : Number.NaN
  let sum = 0
  for (let k = 0; k < step; k++) {
    const prev = digests[k]!
    const agree = agreement(a, prev.answer)
    sum += agree
    out[j++] = agree
    out[j++] = sameName(a, prev.answer)
    out[j++] = prev.answer.kind === 'none' ? 0 : 1
  }
  if (step >= 1) out[j++] = sum / step
  if (step >= 2) {
    let pairs = 0
    let agree = 0
    for (let x = 0; x < step; x++) {
      for (let y = x + 1; y < step; y++) {
        agree += agreement(digests[x]!.answer, digests[y]!.answer)
        pairs++
      }
    }
    out[j++] = agree / pairs
  }
  for (const s of signals) {
    const v = d.signals?.[s]
    out[j++] = v === undefined ? Number.NaN : v
  }
  return out
}
