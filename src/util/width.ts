/**
 * Text fitted to terminal columns. A column is not a UTF-16 unit: a Chinese
 * character or an emoji takes two, a combining accent none. Everything that
 * cuts or pads text for a terminal (tables, the analyze screen, the review)
 * measures it here, with string-width (the measure Ink uses too).
 */
import stringWidth from 'string-width'

/** Printable ASCII only: one column per character, no need to segment. */
const PLAIN = /^[\x20-\x7e]*$/

const graphemes = new Intl.Segmenter()

/**
 * Widths of text met lately: a screen redrawn on every key measures the same
 * strings again, and string-width takes microseconds per character beyond
 * ASCII (segmenting, emoji and East Asian Width lookups).
 */
const measured = new Map<string, number>()

/** The columns `text` takes in a terminal (escape sequences count for nothing). */
export function textWidth(text: string): number {
  if (PLAIN.test(text)) return text.length
  let width = measured.get(text)
  if (width === undefined) {
    width = stringWidth(text)
    if (measured.size >= 4096) measured.clear()
    measured.set(text, width)
  }
  return width
}

/** The longest start of `text` (whole graphemes) that fits in `columns`, and its width. */
function headWithin(text: string, columns: number): {head: string; width: number} {
  let width = 0
  let end = 0
  for (const {segment, index} of graphemes.segment(text)) {
    const w = textWidth(segment)
    if (width + w > columns) return {head: text.slice(0, index), width}
    width += w
    end = index + segment.length
  }
  return {head: text.slice(0, end), width}
}

/** The longest end of `text` (whole graphemes) that fits in `columns`. */
function tailWithin(text: string, columns: number): string {
  const parts = [...graphemes.segment(text)]
  let width = 0
  let start = text.length
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = textWidth(parts[i]!.segment)
    if (width + w > columns) break
    width += w
    start = parts[i]!.index
  }
  return text.slice(start)
}

/** Cuts `text` to at most `width` columns, ending with "…" when cut. */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return ''
  if (PLAIN.test(text)) {
    if (text.length <= width) return text
    return width === 1 ? '…' : `${text.slice(0, width - 1)}…`
  }
  if (textWidth(text) <= width) return text
  if (width === 1) return '…'
  return `${headWithin(text, width - 1).head}…`
}

/** Cuts a path from the left to at most `width` columns, keeping its most telling end. */
export function fitPath(path: string, width: number): string {
  if (textWidth(path) <= width) return path
  if (width <= 1) return '…'
  return `…${tailWithin(path, width - 1)}`
}

/**
 * `text` cut to `width` columns (see `fitWidth`) and padded with spaces to exactly
 * `width`: on the right (`align: 'left'`, the default) or on the left.
 */
export function padWidth(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = fitWidth(text, width)
  const room = width - textWidth(cut)
  if (room <= 0) return cut
  return align === 'left' ? cut + ' '.repeat(room) : ' '.repeat(room) + cut
}

/** `text` in lines of at most `width` columns, broken between words (a word longer than a line is cut). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word
    if (textWidth(candidate) <= width) line = candidate
    else {
      if (line) lines.push(line)
      line = textWidth(word) <= width ? word : fitWidth(word, width)
    }
  }
  if (line) lines.push(line)
  return lines
}
