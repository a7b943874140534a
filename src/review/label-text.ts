/** The text `aco label` prints: counts, what changed, and the decisions (plain, fitted to the width). */
import {int, usd} from '../util/format.js'
import {fitPath, fitWidth, padWidth, textWidth, wrapWords} from '../util/width.js'
import {LABEL_SHORT, LABEL_SOURCES, LABELS} from './decisions.js'
import type {LabelResult} from './label.js'

export function renderLabel(result: LabelResult, options: {width: number; top: number}): string {
  const width = Math.max(40, options.width)
  const c = result.counts
  const out: string[] = []
  // Long paths give way from their start: the counts at the end of the line stay.
  const counts = `: ${int(c.decisions)} decision${c.decisions === 1 ? '' : 's'}`
  const on = result.source ? ` on ${result.source.cards}` : ''
  const room = Math.max(10, width - counts.length)
  const file = fitPath(result.file, on ? Math.ceil(room / 2) : room)
  out.push(
    `${file}${counts}${on ? ` on ${fitPath(result.source!.cards, width - textWidth(file) - counts.length - 4)}` : ''}`,
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
    // (Wrapped, not cut: each count is part of what the run did.)
    const said = `--auto: ${int(a.labelled)} of ${int(a.llmSteps)} LLM steps labelled from evidence · ${int(a.keptPersonLabels)} kept as a person labelled them · ${int(a.removed)} earlier automatic labels removed`
    const lines = wrapWords(said, width - 4)
    for (let k = 0; k < lines.length; k++) out.push(`${k ? '    ' : '  '}${lines[k]}`)
  }
  if (result.written && !result.auto) {
    const ch = result.changes
    const parts = [
      ch.accepted ? `${ch.accepted} accepted` : '',
      ch.rejected ? `${ch.rejected} rejected` : '',
      ch.labelled ? `${ch.labelled} labelled` : '',
      ch.acceptedFromFlags ? `${ch.acceptedFromFlags} flag${ch.acceptedFromFlags === 1 ? '' : 's'} accepted` : '',
      ch.keptAsDecided ? `${ch.keptAsDecided} flag${ch.keptAsDecided === 1 ? '' : 's'} kept as decided` : '',
    ].filter(Boolean)
    out.push(fitWidth(`  this run: ${parts.join(' · ') || 'nothing changed'}`, width))
  }
  if (result.decisions.length && options.top > 0) {
    out.push('')
    const step = Math.max(16, width - 2 - 10 - 10 - 9 - 3)
    out.push(
      `  ${padWidth('step', step)} ${padWidth('prune', 10)}${padWidth('label', 10)}${padWidth('at stake', 9, 'right')}`,
    )
    // The step by its #index and what it is, then on a line of its own the whole TRACE:STEP reference (what
    // `aco label` takes): trace and step ids of some formats (Codex) are long, and neither is ever cut unseen.
    for (const d of result.decisions.slice(0, options.top)) {
      const what = d.kind === 'tool' ? (d.tool ?? 'tool') : (d.model ?? 'llm')
      out.push(
        fitWidth(
          `  ${padWidth(`#${d.stepIndex} ${d.kind} ${what}`, step)} ${padWidth(d.prune ?? '—', 10)}${padWidth(d.label ? LABEL_SHORT[d.label] : '—', 10)}${padWidth(d.wastedUsd !== undefined ? usd(d.wastedUsd) : '', 9, 'right')}`,
          width,
        ),
      )
      out.push(`    ${fitPath(`${d.traceId}:${d.stepId}`, width - 4)}`)
    }
    if (result.decisions.length > options.top)
      out.push(`  … ${result.decisions.length - options.top} more (--json lists them all)`)
  }
  return `${out.join('\n')}\n`
}
