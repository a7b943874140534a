/**
 * Context growth without progress: a run of LLM calls whose prompt keeps
 * growing while nothing changes: every tool call they make repeats earlier
 * work (flagged by the detectors run before) or fails, and none changes a
 * file. The calls' own cost is what is at stake.
 */
import type {Step} from '../../card/types.js'
import {promptTokens} from '../context.js'
import type {Detector, Finding} from '../finding.js'

/** Shorter stalls are normal trial and error. */
const MIN_STALL_CALLS = 4

export const contextGrowth: Detector = (ctx, earlier) => {
  const flagged = new Set(earlier.map(f => f.step.id))
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
          reason: `one of ${run.length} calls in a row (steps ${first.index}–${last.index}) whose context grew by ${Math.round(growth / 100) / 10}k tokens while every tool call repeated earlier work or failed`,
          confidence: 0.8,
          evidence,
          own: {llmStepId: step.id, usd: step.cost?.usd ?? 0},
          carryUsd: 0,
        })
      }
    }
    run = []
  }
  for (const step of ctx.steps) {
    if (step.kind !== 'llm') continue
    const tools = (step.toolStepIds ?? []).map(id => ctx.byId.get(id)).filter((s): s is Step => !!s)
    const idle =
      tools.length > 0 &&
      tools.every(t => flagged.has(t.id) || ctx.failed[t.index] === 1) &&
      !tools.some(t => ctx.failed[t.index] !== 1 && ctx.writes[t.index] !== undefined)
    const growing = run.length === 0 || promptTokens(step) >= promptTokens(run[run.length - 1]!)
    if (idle && growing) run.push(step)
    else {
      close()
      if (idle) run.push(step)
    }
  }
  close()
  return findings
}
