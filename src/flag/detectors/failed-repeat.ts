/**
 * A failed call repeated unchanged, failing the same way: same tool, same
 * arguments, nothing changed in between, and the same error (exit code and,
 * when known, the same output).
 */
import type {Step} from '../../card/types.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'

export const failedRepeat: Detector = ctx => {
  const findings: Finding[] = []
  const lastFailure = new Map<number, Step>()
  for (const step of ctx.steps) {
    const tool = step.tool
    if (step.kind !== 'tool' || !tool) continue
    const action = ctx.actions[step.index]
    if (!action || action.kind === 'poll') continue
    const key = ctx.callKey[step.index]!
    if (tool.status !== 'error') {
      lastFailure.delete(key)
      continue
    }
    const earlier = lastFailure.get(key)
    lastFailure.set(key, step)
    if (!earlier) continue
    // A change to files in between may have been the attempted fix.
    if (ctx.epochAfter[earlier.index] !== ctx.epochBefore[step.index]) continue
    if (earlier.tool!.exitCode !== tool.exitCode) continue
    const sameOutput = earlier.tool!.outputHash !== undefined && earlier.tool!.outputHash === tool.outputHash
    const sameFirstLine = firstLine(earlier.tool!.excerpt) === firstLine(tool.excerpt)
    if (!sameOutput && !sameFirstLine) continue
    const how = tool.exitCode !== undefined ? `exit code ${tool.exitCode}` : 'the same error'
    findings.push(
      toolFinding(
        ctx,
        'failed-repeat',
        step,
        `retries ${describeCall(step)} unchanged after it failed at step ${earlier.index}, and fails again with ${how}`,
        sameOutput ? 0.95 : 0.85,
        [earlier.id],
      ),
    )
  }
  return findings
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0]!.trim()
}
