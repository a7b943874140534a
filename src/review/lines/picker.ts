/** The picker of a model or a format to show only its traces: each with its traces and what it cost in them. */
import {costText, int} from '../../util/format.js'
import {bodyHeight} from '../layout.js'
import type {ReviewState} from '../state/types.js'
import {padWidth} from '../../util/width.js'
import {oneLine} from '../text.js'
import {fitLine, highlight, seg, type Line} from './line.js'

export function pickerLines(state: ReviewState): Line[] {
  const overlay = state.overlay
  if (overlay?.kind !== 'picker') return []
  const width = state.screen.columns
  const height = bodyHeight(state.screen) - 1
  // (Counted over the traces the other filters show; a model's cost is that of its own calls.)
  const within = state.list.text || (overlay.field === 'model' ? state.list.format : state.list.model)
  const out: Line[] = [
    [
      seg(`Show only the traces of one ${overlay.field}`, 'title', {bold: true}),
      seg(
        `${overlay.field === 'model' ? ' · cost of its own calls' : ''}${within ? ' · within the traces the other filters show' : ''}`,
        'muted',
      ),
    ],
  ]
  for (let p = overlay.top; p < Math.min(overlay.items.length, overlay.top + height); p++) {
    const item = overlay.items[p]!
    const selected = p === overlay.cursor
    const line: Line = [
      seg(selected ? '› ' : '  ', 'key'),
      seg(padWidth(item.value ? oneLine(item.label) : item.label, Math.max(10, width - 30))),
      seg(padWidth(`${int(item.traces)} trace${item.traces === 1 ? '' : 's'}`, 14, 'right'), 'muted'),
      seg(padWidth(costText(item.costUsd, item.unpricedCalls, true), 12, 'right'), 'cost'),
    ]
    out.push(selected ? highlight(line, width) : fitLine(line, width))
  }
  return out
}
