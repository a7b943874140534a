/**
 * The terminal around the review: the alternate screen (the terminal's
 * contents come back on quit), and a first paint of the opening frame in
 * plain escape codes while Ink and React load (half a second), with the
 * keyboard in raw mode so keys typed meanwhile wait, unechoed, for the app.
 * No React here.
 */
import {mergeSegments, PALETTE, type Line, type ToneColor} from './lines/line.js'

const ESC = '\u001b['
const SGR: Record<ToneColor, number> = {gray: 90, yellow: 33, green: 32, red: 31, cyan: 36, magenta: 35}

/** A frame as escape codes: from the top-left corner, each line cleared to its end, the cursor back home. */
export function paintFrame(lines: readonly Line[], color: boolean): string {
  const out: string[] = []
  for (const line of lines) {
    let text = ''
    for (const s of mergeSegments(line, color)) {
      const codes: number[] = []
      if (s.bold) codes.push(1)
      if (s.inverse) codes.push(7)
      const name = color && s.tone ? PALETTE[s.tone] : undefined
      const c = name ? SGR[name] : undefined
      if (c) codes.push(c)
      text += codes.length ? `${ESC}${codes.join(';')}m${s.text}${ESC}0m` : s.text
    }
    out.push(`${text}${ESC}K`)
  }
  return `${ESC}H${out.join('\r\n')}${ESC}H`
}

export interface Terminal {
  stdout: NodeJS.WriteStream
  stdin: NodeJS.ReadStream
}

/** Switches to the alternate screen, hides the cursor, paints `lines` and holds keys for the app. */
export function openScreen(term: Terminal, lines: readonly Line[], color: boolean): void {
  term.stdout.write(`${ESC}?1049h${ESC}?25l${ESC}H${ESC}2J${paintFrame(lines, color)}`)
  if (term.stdin.isTTY) term.stdin.setRawMode(true)
}

/** Back to the normal screen, cursor shown, keyboard as it was. */
export function closeScreen(term: Terminal): void {
  if (term.stdin.isTTY) term.stdin.setRawMode(false)
  term.stdout.write(`${ESC}?25h${ESC}?1049l`)
}
