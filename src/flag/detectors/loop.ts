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
  for (let ti = 0; ti < ctx.tools.length; ti++) {
    const i = ctx.tools[ti]!
    if (ctx.actions[i]!.kind !== 'poll') seq.push(ctx.steps[i]!)
  }
  // The same action with the same result: the same call key and the same output hash (or status, without one).
  const call = new Int32Array(seq.length)
  const result = new Array<string>(seq.length)
  for (let k = 0; k < seq.length; k++) {
    const s = seq[k]!
    call[k] = ctx.callKey[s.index]!
    result[k] = s.tool!.outputHash ?? s.tool!.status
  }
  const same = (a: number, b: number): boolean => call[a] === call[b] && result[a] === result[b]
  const taken = new Uint8Array(seq.length)
  const findings: Finding[] = []
  for (let p = 2; p <= MAX_PERIOD; p++) {
    let run = 0
    for (let i = p; i <= seq.length; i++) {
      if (i < seq.length && same(i, i - p)) {
        run++
        continue
      }
      // A run of `run` matches ends before i: positions i-run-p .. i-1 repeat with period p.
      if (run >= 2 * p) {
        const start = i - run
        // A pattern of one repeated action is not a cycle of several.
        let several = false
        for (let j = start - p + 1; j < start && !several; j++) several = !same(j, start - p)
        if (several && taken.subarray(start, i).includes(0)) {
          const first = seq.slice(start - p, start)
          const times = Math.floor((run + p) / p)
          for (let j = start; j < i; j++) {
            if (taken[j]) continue
            taken[j] = 1
            findings.push(
              toolFinding(
                ctx,
                'loop',
                seq[j]!,
                `part of a loop: the same ${p} actions (${first.map(s => describeCall(s, ctx.redact)).join(' → ')}) ran ${times} times with the same results`,
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
