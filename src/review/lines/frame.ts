/**
 * The whole screen of the review, as lines: the header, the line under it,
 * the body of the screen shown (the traces list, a trace's timeline, a step,
 * or the help or a picker over them), the status line and the keys. Pure
 * functions of the state that build only the visible rows.
 */
import {bodyHeight, frameHeight, listHeight, timelineHeight, tooSmall} from '../layout.js'
import type {ReviewState} from '../state/types.js'
import {filterLine, footerLine, headerLine, statusLine, tooSmallLines} from './chrome.js'
import {helpLines} from './help.js'
import type {Line} from './line.js'
import {listHeading, listLines} from './list.js'
import {pickerLines} from './picker.js'
import {stepSubLine, visibleStepLines} from './step.js'
import {timelineLines, traceSubLine} from './trace.js'

/** The body's lines: the visible rows of the list or timeline, the step, or an overlay. */
function bodyLines(state: ReviewState): Line[] {
  if (state.overlay?.kind === 'help') return helpLines(state)
  if (state.overlay?.kind === 'picker') return pickerLines(state)
  switch (state.view) {
    case 'traces':
      return listLines(state, listHeight(state.screen))
    case 'trace':
      return timelineLines(state, timelineHeight(state.screen))
    case 'step':
      return visibleStepLines(state)
    default:
      return state.view satisfies never
  }
}

function subLine(state: ReviewState): Line {
  switch (state.view) {
    case 'traces':
      return listHeading(state)
    case 'trace':
      return traceSubLine(state)
    case 'step':
      return stepSubLine(state)
    default:
      return state.view satisfies never
  }
}

/**
 * Every line of the screen, top to bottom, exactly `frameHeight` of them:
 * the header, the line under it, the body (padded), the status line, the keys.
 */
export function frameLines(state: ReviewState): Line[] {
  if (tooSmall(state.screen)) return tooSmallLines(state)
  const height = bodyHeight(state.screen)
  const body = bodyLines(state).slice(0, height)
  while (body.length < height) body.push([])
  const lines = [
    headerLine(state),
    subLine(state),
    ...body,
    state.overlay?.kind === 'filter' ? filterLine(state) : statusLine(state),
    footerLine(state),
  ]
  return lines.slice(0, frameHeight(state.screen))
}
