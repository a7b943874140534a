/**
 * Context growth without progress: a run of LLM calls whose prompt keeps
 * growing while nothing changes: every tool call they make repeats earlier
 * work (flagged by the detectors run before) or fails the way an earlier call
 * failed, and none changes a file. A failure not met before tells the agent
 * something (trial and error: another fix, another error): no stall. The
 * calls' own cost is what is at stake.
 */
import type {Step} from '../../card/types.js'
import {promptTokens} from '../../card/build.js'
import type {Detector, Finding} from '../finding.js'
import {errorSignature} from '../output.js'
import {noiseOf} from './failed-repeat.js'

/** The parts of an error line that differ between two runs of one failure: any word holding a digit. */
const VARYING = /\b[\w.:-]*\d[\w.:-]*\b/g

/** Shorter stalls are normal trial and error. */
const MIN_STALL_CALLS = 4

export const contextGrowth: Detector = (ctx, earlier) => {
  const flagged = new Uint8Array(ctx.steps.length)
  for (const f of earlier) flagged[f.step.index] = 1
  const findings: Finding[] = []
  let run: Step[] = []
  const close = (): void => {
    if (run.length >= MIN_STALL_CALLS) {
      const first = run[0]!
      const last = run[run.length - 1]!
      const growth = promptTokens(last) - promptTokens(first)
      for (const step of run) {
        // The run's ends stand for it (the reason names its range): every other call of the run on each call
        // would be n² ids, which ran a session of 25,000 calls out of memory.
        const evidence = [first, last].filter(s => s !== step).map(s => s.id)
        findings.push({
          kind: 'context-growth',
          step,
          reason: `one of ${run.length} calls in a row (steps ${first.index}–${last.index}) whose context grew by ${Math.round(growth / 100) / 10}k tokens while every tool call repeated earlier work or failed as an earlier one had`,
          confidence: 0.8,
          evidence,
          own: {llm: step, usd: step.cost?.usd ?? 0},
          carryUsd: 0,
        })
      }
    }
    run = []
  }
  /** Whether a failed step's error line is one no earlier step of the card met (its text noted as met). */
  const newFailure = (step: Step): boolean => {
    // (Numbers, ids, times and addresses made even: a request id or a PID is no other failure, review 114.)
    const signature = errorSignature(ctx.outputOf(step) ?? step.tool!.excerpt, noiseOf(ctx)).replace(VARYING, '#')
    if (met.has(signature)) return false
    met.add(signature)
    return true
  }
  // Per LLM call: how many tool steps it issued, how many of them neither repeated earlier work nor failed (then: nor
  // failed as no earlier one had), and how many changed a file.
  const n = ctx.steps.length
  const issued = new Int32Array(n)
  const useful = new Int32Array(n)
  const changed = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const p = ctx.parentIndex[i]!
    if (p === -1 || ctx.steps[i]!.kind !== 'tool') continue
    issued[p]!++
    const failed = ctx.failed[i] === 1
    if (flagged[i] !== 1 && !failed) useful[p]!++
    if (!failed && ctx.writes[i] !== undefined) changed[p]!++
  }
  /** The runs of idle calls, each call's context no smaller than the one before it. */
  const runs = (): Step[][] => {
    const out: Step[][] = []
    let current: Step[] = []
    for (let si = 0; si < ctx.steps.length; si++) {
      const step = ctx.steps[si]!
      if (step.kind !== 'llm') continue
      const k = step.index
      const idle = issued[k]! > 0 && useful[k] === 0 && changed[k] === 0
      const growing = current.length === 0 || promptTokens(step) >= promptTokens(current[current.length - 1]!)
      if (idle && growing) current.push(step)
      else {
        if (current.length >= MIN_STALL_CALLS) out.push(current)
        current = idle ? [step] : []
      }
    }
    if (current.length >= MIN_STALL_CALLS) out.push(current)
    return out
  }
  // A failure not met before is progress: its call is no part of a stall. Read only where a stall could be (a failure's
  // error line costs its output), each failure up to the last such call noted as met in order, a flagged one too.
  const candidates = runs()
  if (candidates.length === 0) return findings
  const last = candidates[candidates.length - 1]!.at(-1)!.index
  const met = new Set<string>()
  for (let i = 0; i < n; i++) {
    const p = ctx.parentIndex[i]!
    const step = ctx.steps[i]!
    if (p === -1 || p > last || step.kind !== 'tool' || ctx.failed[i] !== 1) continue
    if (newFailure(step) && flagged[i] !== 1) useful[p]!++
  }
  for (const r of runs()) {
    run = r
    close()
  }
  return findings
}
