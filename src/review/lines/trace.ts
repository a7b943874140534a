/**
 * A trace as a timeline: where you are (the trace's totals), the column
 * headings, and the visible lines, one step or folded subagent each, with
 * its cost bar, its flag and the decision taken on it.
 */
import {CHARS_PER_TOKEN} from '../../flag/chars-per-token.js'
import type {Step} from '../../card/types.js'
import {compact, costText, int, usd} from '../../util/format.js'
import type {Decision} from '../decisions.js'
import {LABEL_SHORT} from '../decisions.js'
import {timelineColumns} from '../layout.js'
import type {ReviewState} from '../state/types.js'
import {fitWidth, padWidth, textWidth} from '../../util/width.js'
import {cardLabel, describeToolFit, shortModel} from '../text.js'
import type {TimelineLine} from '../timeline.js'

/** The fewest characters of a detector's name a flag cell shows beside its dollars (`reread-un…`). */
const MIN_KIND = 10
import {fitLine, highlight, lineText, seg, type Line} from './line.js'

export function traceSubLine(state: ReviewState): Line {
  const trace = state.trace!
  const root = trace.model.root
  const t = trace.model.totals.get(root.id)!
  const line: Line = [
    seg('‹ ', 'key'),
    seg(cardLabel(root), undefined, {bold: true}),
    seg(` · ${root.source.format} · ${int(t.steps)} step${t.steps === 1 ? '' : 's'} · `, 'muted'),
    seg(costText(t.costUsd, t.unpricedCalls), 'cost'),
    seg(' · wasted ', 'muted'),
    seg(costText(t.wastedUsd, t.unpricedFlags), 'waste'),
    seg(` · ${t.flags} flag${t.flags === 1 ? '' : 's'}`, 'muted'),
  ]
  if (trace.stale) line.push(seg(` · ${trace.stale} stale decision${trace.stale === 1 ? '' : 's'}`, 'warn'))
  return fitLine(line, state.screen.columns)
}

function timelineHeading(state: ReviewState): Line {
  const c = timelineColumns(state.screen.columns)
  const text = [
    padWidth('#', c.index, 'right'),
    padWidth('kind', c.kind),
    padWidth('model / tool', c.name),
    padWidth('tokens', c.tokens, 'right'),
    padWidth('cost', c.cost, 'right'),
    padWidth('', c.bar),
    padWidth(c.flag <= 2 ? '⚑' : 'flag', c.flag),
    padWidth(c.decision <= 3 ? '✓' : 'decision', c.decision),
  ].join(' ')
  return fitLine([seg(`  ${text}`, 'muted', {bold: true})], state.screen.columns)
}

function decisionCell(decision: Decision | undefined, width: number): Line {
  if (!decision) return [seg(' '.repeat(width))]
  const parts: Line = []
  if (decision.prune === 'accept') parts.push(seg('✓', 'accept', {bold: true}))
  if (decision.prune === 'reject') parts.push(seg('✗', 'reject', {bold: true}))
  if (decision.label) {
    if (parts.length) parts.push(seg(' '))
    // An automatic label (aco label --auto) is marked, a person's is not.
    parts.push(seg(`${LABEL_SHORT[decision.label]}${decision.by === 'auto' ? '*' : ''}`, 'label'))
  }
  const used = textWidth(lineText(parts))
  return fitLine([...parts, seg(' '.repeat(Math.max(0, width - used)))], width)
}

function promptTokens(step: Step): number {
  const t = step.tokens
  return t ? t.input + t.cacheRead + t.cacheWrite + t.output : 0
}

function timelineRow(state: ReviewState, line: TimelineLine, selected: boolean): Line {
  const width = state.screen.columns
  const c = timelineColumns(width)
  const model = state.trace!.model
  const indent = '  '.repeat(line.depth)
  const out: Line = [seg(selected ? '› ' : '  ', 'key')]
  if (line.kind === 'child') {
    const card = model.cards.get(line.traceId)!
    const t = model.totals.get(card.id)!
    const open = state.trace!.expanded.has(line.traceId)
    out.push(
      seg(`${padWidth('', c.index, 'right')} ${padWidth('', c.kind)} `),
      seg(
        padWidth(
          `${indent}${open ? '▾' : '▸'} ${cardLabel(card)} · ${int(t.steps)} step${t.steps === 1 ? '' : 's'}`,
          c.name + 1 + c.tokens,
        ),
        'title',
      ),
      seg(' '),
      seg(padWidth(costText(t.costUsd, t.unpricedCalls, true), c.cost, 'right'), 'cost'),
      seg(` ${padWidth('', c.bar)} `),
      seg(padWidth(t.flags ? `⚑ ${t.flags}` : '', c.flag), 'flag'),
    )
    return selected ? highlight(out, width) : fitLine(out, width)
  }
  const ref = model.steps.get(line.key)!
  const step = ref.step
  const flag = step.flags?.[0]
  const isTool = step.kind === 'tool'
  const failed = step.tool?.status === 'error'
  const room = (failed ? c.name - 2 : c.name) - textWidth(indent)
  const name = `${indent}${isTool ? describeToolFit(step, room, step.cwd ?? model.root.cwd) : step.model ? shortModel(step.model) : 'model unknown'}`
  out.push(
    seg(padWidth(String(step.index), c.index, 'right'), 'muted'),
    seg(' '),
    seg(padWidth(step.kind, c.kind), isTool ? 'muted' : undefined),
    seg(' '),
  )
  if (failed) {
    out.push(seg(padWidth(name, c.name - 2)), seg(' ✗', 'error'))
  } else out.push(seg(padWidth(name, c.name)))
  out.push(seg(' '))
  if (isTool)
    out.push(
      seg(
        // A tool's output in the tokens it adds to the context (estimated from its characters, as the waste
        // detectors count it), so the column holds one unit.
        padWidth(
          step.tool?.outputChars !== undefined
            ? `≈${compact(Math.round(step.tool.outputChars / CHARS_PER_TOKEN))}`
            : '',
          c.tokens,
          'right',
        ),
        'muted',
      ),
    )
  else
    out.push(
      seg(
        padWidth(
          // (A call whose input the log does not record holds at least its output: `≥`, not a count.)
          step.tokens ? `${step.inputUnrecorded ? '≥' : ''}${compact(promptTokens(step))}` : '',
          c.tokens,
          'right',
        ),
      ),
    )
  out.push(seg(' '))
  const cost = step.cost?.usd
  if (typeof cost === 'number') out.push(seg(padWidth(usd(cost), c.cost, 'right'), 'cost'))
  else out.push(seg(padWidth(step.cost?.source === 'unpriced' ? 'unpriced' : '', c.cost, 'right'), 'muted'))
  out.push(seg(' '))
  const share = typeof cost === 'number' && model.maxCostUsd > 0 ? cost / model.maxCostUsd : 0
  const cells = typeof cost === 'number' && cost > 0 && c.bar > 0 ? Math.max(1, Math.round(share * c.bar)) : 0
  out.push(seg('█'.repeat(cells), 'cost'), seg(' '.repeat(c.bar - cells)))
  out.push(seg(' '))
  if (flag) {
    // The detector's own name, as every other screen and the report give it, and the dollars at stake: where both do
    // not fit, the name is cut before the dollars are (`⚑ reread-unch… $0.02`), down to a few letters of it.
    const amount = usd(flag.wastedUsd)
    const room = c.flag - textWidth(amount) - 3
    const text =
      c.flag <= 2
        ? '⚑'
        : textWidth(`⚑ ${flag.kind} ${amount}`) <= c.flag
          ? `⚑ ${flag.kind} ${amount}`
          : room >= MIN_KIND
            ? `⚑ ${fitWidth(flag.kind, room)} ${amount}`
            : `⚑ ${flag.kind}`
    out.push(seg(padWidth(text, c.flag), 'flag'))
  } else out.push(seg(padWidth('', c.flag)))
  out.push(seg(' '))
  out.push(...decisionCell(state.decisions.get(line.key), c.decision))
  return selected ? highlight(out, width) : fitLine(out, width)
}

function visibleTimeline(
  state: ReviewState,
  height: number,
): Array<{line: TimelineLine; selected: boolean; position: number}> {
  const trace = state.trace!
  const out: Array<{line: TimelineLine; selected: boolean; position: number}> = []
  for (let p = trace.top; p < Math.min(trace.lines.length, trace.top + height); p++) {
    out.push({line: trace.lines[p]!, selected: p === trace.cursor, position: p})
  }
  return out
}

/** The timeline's body: its column headings and the visible lines. */
export function timelineLines(state: ReviewState, height: number): Line[] {
  return [
    timelineHeading(state),
    ...visibleTimeline(state, height).map(({line, selected}) => timelineRow(state, line, selected)),
  ]
}
