/**
 * Loops: the agent cycles through the same few actions (a period of 2 to 6
 * tool calls) with the same results, three times or more: repeated n-grams of
 * action hashes. Runs in O(n) per period. A single action repeated is a
 * duplicate-call or a failed-repeat, not a loop.
 */
import type {Step} from '../../card/types.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'

const MAX_PERIOD = 6

export const loop: Detector = ctx => {
  const seq: Step[] = []
  for (const step of ctx.steps) {
    const action = ctx.actions[step.index]
    if (step.kind === 'tool' && step.tool && action && action.kind !== 'poll') seq.push(step)
  }
  // One number per (call, result): calls × results stays well inside 2^53.
  const stride = ctx.resultKey.reduce((m, k) => Math.max(m, k), 0) + 1
  const key = seq.map(s => ctx.callKey[s.index]! * stride + ctx.resultKey[s.index]!)
  const taken = new Array<boolean>(seq.length).fill(false)
  const findings: Finding[] = []
  for (let p = 2; p <= MAX_PERIOD; p++) {
    let run = 0
    for (let i = p; i <= seq.length; i++) {
      if (i < seq.length && key[i] === key[i - p]) {
        run++
        continue
      }
      // A run of `run` matches ends before i: positions i-run-p .. i-1 repeat with period p.
      if (run >= 2 * p) {
        const start = i - run
        const pattern = key.slice(start - p, start)
        // A pattern of one repeated action is not a cycle of several.
        if (new Set(pattern).size > 1 && !taken.slice(start, i).every(Boolean)) {
          const first = seq.slice(start - p, start)
          const times = Math.floor((run + p) / p)
          for (let j = start; j < i; j++) {
            if (taken[j]) continue
            taken[j] = true
            findings.push(
              toolFinding(
                ctx,
                'loop',
                seq[j]!,
                `part of a loop: the same ${p} actions (${first.map(s => describeCall(s)).join(' → ')}) ran ${times} times with the same results`,
                0.9,
                first.map(s => s.id),
              ),
            )
          }
        }
      }
      run = 0
    }
  }
  return findings
}
