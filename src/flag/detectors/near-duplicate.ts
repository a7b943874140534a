/**
 * Near-identical calls: a read whose lines were mostly (not wholly) read
 * already since the file last changed, or the same search again with a
 * trivially different pattern (case, quotes, escapes, spacing) while nothing
 * changed. Only the overlapping part counts as waste.
 */
import type {Step} from '../../card/types.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'
import {readCoverage} from './coverage.js'

const MIN_OVERLAP = 0.5

export const nearDuplicate: Detector = ctx => {
  const findings: Finding[] = readCoverage(ctx)
    .filter(c => c.covered >= MIN_OVERLAP && c.covered < 0.999 && !c.identical)
    .map(c =>
      toolFinding(
        ctx,
        'near-duplicate',
        c.step,
        `reads ${c.file} again: ${Math.round(c.covered * 100)}% of these lines were read at step ${c.by.map(b => b.index).join(', ')} and nothing changed`,
        0.8,
        c.by.map(b => b.id),
        c.covered,
      ),
    )

  const searches = new Map<string, Step>()
  for (const step of ctx.steps) {
    const action = ctx.actions[step.index]
    if (action?.kind !== 'search' || !action.query || step.tool?.status !== 'ok') continue
    const key = `${action.query}\u0000${action.scope ?? ''}`
    const earlier = searches.get(key)
    searches.set(key, step)
    if (!earlier || earlier.turn !== step.turn) continue
    if (earlier.tool!.argsHash === step.tool.argsHash && earlier.tool!.name === step.tool.name) continue
    if (ctx.epochAfter[earlier.index] !== ctx.epochBefore[step.index]) continue
    findings.push(
      toolFinding(
        ctx,
        'near-duplicate',
        step,
        `searches again for what step ${earlier.index} searched (${describeCall(earlier)}), with a trivially different pattern; nothing changed in between`,
        earlier.tool!.outputHash === step.tool.outputHash ? 0.9 : 0.75,
        [earlier.id],
      ),
    )
  }
  return findings
}
