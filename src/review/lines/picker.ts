/** The picker of a model or a format to show only its traces: each with its traces and what it cost in them. */
import {costText, int} from '../../util/format.js'
import {bodyHeight} from '../layout.js'
import type {ReviewState} from '../state/types.js'
import {fitMiddle, padWidth} from '../../util/width.js'
import {nameLine} from '../text.js'
import {fitLine, highlight, seg, type Line} from './line.js'

/** Below this many columns, the count of traces is a number alone. */
const NARROW_BELOW = 60

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
  // In a narrow terminal the count of traces is a number alone, and a name cut keeps its end (models of one vendor
  // share their start).
  const narrow = width < NARROW_BELOW
  const countWidth = narrow ? 6 : 14
  const labelWidth = Math.max(10, width - 2 - countWidth - 12)
  for (let p = overlay.top; p < Math.min(overlay.items.length, overlay.top + height); p++) {
    const item = overlay.items[p]!
    const selected = p === overlay.cursor
    const count = narrow ? int(item.traces) : `${int(item.traces)} trace${item.traces === 1 ? '' : 's'}`
    const line: Line = [
      seg(selected ? '› ' : '  ', 'key'),
      seg(padWidth(fitMiddle(item.value ? nameLine(item.label) : item.label, labelWidth), labelWidth)),
      seg(padWidth(count, countWidth, 'right'), 'muted'),
      seg(padWidth(costText(item.costUsd, item.unpricedCalls, true), 12, 'right'), 'cost'),
    ]
    out.push(selected ? highlight(line, width) : fitLine(line, width))
  }
  return out
}
