/**
 * The primitives every screen of the review is drawn with: a line is a list
 * of styled segments, fitted to the width. The Ink components and the first
 * paint only print these lines; tests read them without a terminal.
 */
import {fitWidth, textWidth} from '../../util/width.js'

export type Tone =
  | 'title'
  | 'muted'
  | 'cost'
  | 'waste'
  | 'flag'
  | 'accept'
  | 'reject'
  | 'label'
  | 'key'
  | 'warn'
  | 'ok'
  | 'error'

export type ToneColor = 'gray' | 'yellow' | 'green' | 'red' | 'cyan' | 'magenta'

/** The colour of each tone, when colour is on (cost stays in the terminal's own colour). */
export const PALETTE: Record<Tone, ToneColor | undefined> = {
  title: 'cyan',
  muted: 'gray',
  cost: undefined,
  waste: 'yellow',
  flag: 'magenta',
  accept: 'green',
  reject: 'red',
  label: 'cyan',
  key: 'cyan',
  warn: 'yellow',
  ok: 'green',
  error: 'red',
}

export interface Seg {
  text: string
  tone?: Tone
  bold?: boolean
  dim?: boolean
  inverse?: boolean
}

export type Line = Seg[]

export const seg = (text: string, tone?: Tone, extra: Omit<Seg, 'text' | 'tone'> = {}): Seg => ({
  text,
  ...(tone ? {tone} : {}),
  ...extra,
})

/**
 * Cuts a line to `width` columns (a wide character takes two); with `fill`,
 * pads it to exactly `width` (for a highlighted row).
 */
export function fitLine(line: Line, width: number, fill = false): Line {
  const out: Line = []
  let used = 0
  for (const s of line) {
    if (used >= width) break
    const text = fitWidth(s.text, width - used)
    out.push({...s, text})
    used += textWidth(text)
  }
  if (fill && used < width) out.push({text: ' '.repeat(width - used)})
  return out
}

/**
 * Joins neighbouring segments that print alike (without colour, tones do not
 * matter), so a line is a few Text nodes rather than one per cell.
 */
export function mergeSegments(line: Line, color: boolean): Line {
  const out: Line = []
  for (const s of line) {
    const last = out[out.length - 1]
    const style = (x: Seg): string => `${color ? (x.tone ?? '') : ''}|${x.bold ? 1 : 0}|${x.inverse ? 1 : 0}`
    if (last && style(last) === style(s)) out[out.length - 1] = {...last, text: last.text + s.text}
    else out.push(color || !s.tone ? s : {...s, tone: undefined})
  }
  return out
}

export function lineText(line: Line): string {
  return line.map(s => s.text).join('')
}

/** The same line, every segment inverted (the row under the cursor). */
export function highlight(line: Line, width: number): Line {
  return fitLine(line, width, true).map(s => ({...s, inverse: true}))
}
