/** The traces list: its column headings (the sort marked) and the visible rows, one trace each. */
import type {CardIndexRow} from '../../analyze/card-index.js'
import {compact, costText} from '../../util/format.js'
import {listColumns, type ListColumn} from '../layout.js'
import type {ReviewState} from '../state/types.js'
import {padWidth} from '../../util/width.js'
import {modelsSummary, traceTitle} from '../text.js'
import {fitLine, highlight, seg, type Line} from './line.js'

function sortMark(state: ReviewState, id: string): string {
  const on =
    (state.list.sort === 'cost' && id === 'cost') ||
    (state.list.sort === 'waste' && id === 'wasted') ||
    (state.list.sort === 'date' && id === 'started')
  return on ? (state.list.descending ? '▼' : '▲') : ''
}

export function listHeading(state: ReviewState): Line {
  const cols = listColumns(state.screen.columns)
  const names: Record<ListColumn['id'], string> = {
    cost: 'cost',
    wasted: 'wasted',
    steps: 'steps',
    flags: 'flags',
    started: 'started',
    models: 'models',
    format: 'format',
    title: 'title',
  }
  const cells = cols.map(c => {
    const text = names[c.id] + sortMark(state, c.id)
    return padWidth(text, c.width, c.align)
  })
  return fitLine([seg(`  ${cells.join(' ')}`, 'muted', {bold: true})], state.screen.columns)
}

function listRow(state: ReviewState, row: CardIndexRow, selected: boolean): Line {
  const cols = listColumns(state.screen.columns)
  const decided = state.decidedByRoot.get(row.id) ?? 0
  const line: Line = [seg(selected ? '› ' : '  ', 'key')]
  cols.forEach((c, i) => {
    if (i > 0) line.push(seg(' '))
    const pad = (text: string): string => padWidth(text, c.width, c.align)
    switch (c.id) {
      case 'cost':
        // Never $0 for calls whose cost is unknown: — when none was priced, $1.23+ when some were not; ≥$1.23 when
        // some calls' input is not recorded (their output alone counted).
        line.push(
          seg(pad(`${row.inputUnrecordedCalls ? '≥' : ''}${costText(row.costUsd, row.unpricedCalls, true)}`), 'cost'),
        )
        break
      case 'wasted':
        line.push(
          row.wastedUsd > 0
            ? seg(pad(costText(row.wastedUsd, row.unpricedFlags ?? 0, true)), 'waste')
            : seg(pad('—'), 'muted'),
        )
        break
      case 'steps':
        line.push(seg(pad(compact(row.steps))))
        break
      case 'flags':
        if (row.flags === 0) line.push(seg(pad('—'), 'muted'))
        else
          line.push(
            seg(pad(decided ? `${decided}/${row.flags}` : String(row.flags)), decided >= row.flags ? 'accept' : 'flag'),
          )
        break
      case 'started':
        line.push(seg(pad(row.startedAt ? row.startedAt.slice(0, 10) : '—'), 'muted'))
        break
      case 'models':
        line.push(seg(pad(modelsSummary(row.models, c.width))))
        break
      case 'format':
        line.push(seg(pad(row.format), 'muted'))
        break
      case 'title':
        line.push(seg(pad(traceTitle(row))))
        break
      default:
        c.id satisfies never
    }
  })
  return selected ? highlight(line, state.screen.columns) : fitLine(line, state.screen.columns)
}

/** The rows of the list that are visible: never more than the window. */
function visibleListRows(
  state: ReviewState,
  height: number,
): Array<{row: CardIndexRow; selected: boolean; position: number}> {
  const out: Array<{row: CardIndexRow; selected: boolean; position: number}> = []
  const {order, top, cursor} = state.list
  for (let p = top; p < Math.min(order.length, top + height); p++)
    out.push({row: state.rows[order[p]!]!, selected: p === cursor, position: p})
  return out
}

function emptyListLine(state: ReviewState): Line {
  return [seg(state.rows.length ? '  no trace matches the filter (esc clears it)' : '  no traces', 'muted')]
}

/** The list's body: the visible rows, or why there are none. */
export function listLines(state: ReviewState, height: number): Line[] {
  const rows = visibleListRows(state, height)
  return rows.length ? rows.map(({row, selected}) => listRow(state, row, selected)) : [emptyListLine(state)]
}
