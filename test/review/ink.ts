/** Driving Ink apps in tests: key codes, and waiting for Ink's input parser and React's scheduler. */

export const KEY = {
  enter: '\r',
  escape: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  tab: '\t',
  backspace: '\u007f',
  pageDown: '\u001b[6~',
} as const

/**
 * Lets pending work run: Ink flushes a lone Escape on setImmediate, and React
 * renders an update on its scheduler (a macrotask); two turns cover both.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await new Promise<void>(resolve => setImmediate(resolve))
    await new Promise<void>(resolve => setTimeout(resolve, 0))
  }
}

/** Writes each key to Ink's stdin, one at a time, waiting for the frame after each. */
export async function press(stdin: {write: (data: string) => void}, ...keys: string[]): Promise<void> {
  await settle()
  for (const key of keys) {
    stdin.write(key)
    await settle()
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g

export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '')
}

/**
 * SGR codes that set a colour (foreground or background; 16, 256 or true
 * colour), as opposed to bold, inverse, or a reset to the default colours
 * (39, 49: tmux writes those whatever the app did).
 */
export const COLOUR_SGR = /\u001b\[(?:\d+;)*(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;\d|48;\d)(?:;[\d;]*)?m/
