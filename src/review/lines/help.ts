/** The help screen: every key of the review, by screen, and where the decisions are saved; scrolled when taller than the body. */
import {helpRows} from '../help-keys.js'
import type {ReviewState} from '../state/types.js'
import {fitLine, seg, type Line} from './line.js'

export function helpLines(state: ReviewState): Line[] {
  const width = state.screen.columns
  const top = state.overlay?.kind === 'help' ? state.overlay.top : 0
  return helpRows(width, state.decisionsPath)
    .slice(top)
    .map(row =>
      fitLine(
        row.map(part =>
          part.style === 'title'
            ? seg(part.text, 'title', {bold: true})
            : seg(part.text, part.style === 'plain' ? undefined : part.style),
        ),
        width,
      ),
    )
}
