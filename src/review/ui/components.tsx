/**
 * The review's Ink components. They only display: the frame's lines come
 * from ../lines/ (pure functions of the state that build only the visible
 * rows), and each becomes one Text; nothing is rendered for rows off screen.
 */
import {Box, Text} from 'ink'
import type {ReactElement} from 'react'
import {frameHeight} from '../layout.js'
import {frameLines} from '../lines/frame.js'
import {mergeSegments, PALETTE, type Line} from '../lines/line.js'
import type {ReviewState} from '../state/types.js'

/** One screen line. Without colour (NO_COLOR, not a TTY) tones are dropped; bold and inverse stay. */
function LineView({line, color}: {line: Line; color: boolean}): ReactElement {
  if (line.length === 0) return <Text> </Text>
  return (
    <Text wrap="truncate">
      {mergeSegments(line, color).map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional; a line is repainted whole
        <Text key={i} color={color && s.tone ? PALETTE[s.tone] : undefined} bold={s.bold} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  )
}

/** The whole frame: header, the line under it, the body, the status line and the keys. */
export function ReviewScreen({state, color}: {state: ReviewState; color: boolean}): ReactElement {
  const lines = frameLines(state)
  return (
    <Box
      flexDirection="column"
      height={Math.min(lines.length, frameHeight(state.screen))}
      width={state.screen.columns}
      overflow="hidden"
    >
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: screen rows are positional
        <LineView key={i} line={line} color={color} />
      ))}
    </Box>
  )
}
