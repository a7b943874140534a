/** The text `aco label` prints: counts, what changed, and the decisions (plain, fitted to the width). */
import {int, usd} from '../util/format.js'
import {fitWidth, padWidth} from '../util/width.js'
import {LABEL_SHORT, LABEL_SOURCES, LABELS} from './decisions.js'
import type {LabelResult} from './label.js'

export function renderLabel(result: LabelResult, options: {width: number; top: number}): string {
  const width = Math.max(40, options.width)
  const c = result.counts
  const out: string[] = []
  out.push(
    fitWidth(
      `${result.file}: ${int(c.decisions)} decision${c.decisions === 1 ? '' : 's'}${result.source ? ` on ${result.source.cards}` : ''}`,
      width,
    ),
  )
  out.push(
    `  prune   ${int(c.prune.accept)} accepted (${usd(c.acceptedWastedUsd)} at stake) · ${int(c.prune.reject)} rejected`,
  )
  out.push(`  labels  ${LABELS.map(l => `${l} ${int(c.labels[l])}`).join(' · ')}`)
  const auto = LABEL_SOURCES.filter(s => s !== 'person').some(s => LABELS.some(l => c.sources[s][l] > 0))
  if (auto)
    out.push(
      fitWidth(
        `  sources ${LABEL_SOURCES.map(s => `${s} ${int(LABELS.reduce((n, l) => n + c.sources[s][l], 0))}`).join(' · ')}`,
        width,
      ),
    )
  if (result.auto) {
    const a = result.auto
    out.push(
      fitWidth(
        `  --auto: ${int(a.labelled)} of ${int(a.llmSteps)} LLM steps labelled from evidence · ${int(a.keptPersonLabels)} kept as a person labelled them · ${int(a.removed)} earlier automatic labels removed`,
        width,
      ),
    )
  }
  if (result.written && !result.auto) {
    const ch = result.changes
    const parts = [
      ch.accepted ? `${ch.accepted} accepted` : '',
      ch.rejected ? `${ch.rejected} rejected` : '',
      ch.labelled ? `${ch.labelled} labelled` : '',
      ch.acceptedFromFlags ? `${ch.acceptedFromFlags} flags accepted` : '',
      ch.keptAsDecided ? `${ch.keptAsDecided} flags kept as decided` : '',
    ].filter(Boolean)
    out.push(fitWidth(`  this run: ${parts.join(' · ') || 'nothing changed'}`, width))
  }
  if (result.decisions.length && options.top > 0) {
    out.push('')
    const step = Math.max(16, width - 2 - 10 - 10 - 9 - 3)
    out.push(
      `  ${padWidth('step', step)} ${padWidth('prune', 10)}${padWidth('label', 10)}${padWidth('at stake', 9, 'right')}`,
    )
    for (const d of result.decisions.slice(0, options.top)) {
      const what = d.kind === 'tool' ? (d.tool ?? 'tool') : (d.model ?? 'llm')
      out.push(
        fitWidth(
          `  ${padWidth(`${d.traceId}:${d.stepId} #${d.stepIndex} ${what}`, step)} ${padWidth(d.prune ?? '—', 10)}${padWidth(d.label ? LABEL_SHORT[d.label] : '—', 10)}${padWidth(d.wastedUsd !== undefined ? usd(d.wastedUsd) : '', 9, 'right')}`,
          width,
        ),
      )
    }
    if (result.decisions.length > options.top)
      out.push(`  … ${result.decisions.length - options.top} more (--json lists them all)`)
  }
  return `${out.join('\n')}\n`
}
