/**
 * Identical tool calls (same tool, same normalised arguments) while the
 * earlier result still holds: nothing that could change it ran in between, in
 * the same user turn, and (when both results are known) it came back the same.
 */
import type {Step} from '../../card/types.js'
import {argumentsCarryContent} from '../actions.js'
import type {FlagContext} from '../context.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'

export const duplicateCall: Detector = ctx => {
  const findings: Finding[] = []
  const last = new Map<number, Step>()
  for (const step of ctx.steps) {
    if (step.kind !== 'tool' || !step.tool) continue
    const action = ctx.actions[step.index]
    if (!action || action.kind === 'poll' || action.kind === 'task') continue
    // A write logged by its file alone (Aider) says nothing of what it wrote: two are not the same call.
    if (action.kind === 'write' && !argumentsCarryContent(step)) continue
    const key = ctx.callKey[step.index]!
    const earlier = last.get(key)
    last.set(key, step)
    if (!earlier || !holds(ctx, earlier, step)) continue
    const sameOutput = earlier.tool!.outputHash !== undefined && earlier.tool!.outputHash === step.tool.outputHash
    if (earlier.tool!.outputHash && step.tool.outputHash && !sameOutput) continue
    findings.push(
      toolFinding(
        ctx,
        'duplicate-call',
        step,
        `repeats ${describeCall(step)} from step ${earlier.index}${sameOutput ? ', and got the same result' : ''}; nothing changed in between`,
        sameOutput ? 0.95 : 0.75,
        [earlier.id],
      ),
    )
  }
  return findings
}

/** The earlier call succeeded, the later one too, same turn, and nothing changed files in between. */
function holds(ctx: FlagContext, earlier: Step, later: Step): boolean {
  if (earlier.tool?.status !== 'ok' || later.tool?.status === 'error') return false
  if (earlier.turn !== later.turn) return false
  return ctx.epochAfter[earlier.index] === ctx.epochBefore[later.index]
}
