/**
 * Text fitted to terminal columns. A column is not a UTF-16 unit: a Chinese
 * character or an emoji takes two, a combining accent none. Everything that
 * cuts or pads text for a terminal (tables, the analyze screen, the review)
 * measures it here, with string-width (the measure Ink uses too).
 */
import stringWidth from 'string-width'

/**
 * Characters that each take one column and are a grapheme cluster of their own
 * beside any of the others (not combining, joining, prepended or emoji-wide):
 * printable ASCII, and the Latin-1 to Latin Extended-B, Greek, Cyrillic,
 * punctuation, arrows, mathematical, box drawing, block, shape and symbol
 * ranges aco and traces print most (…, ·, ›, ▼, █, ⚑, –, é). Text made only
 * of them takes one column a UTF-16 unit, with no segmenting and no
 * string-width (whose first call compiles its emoji regular expressions, and
 * which takes ~0.1 ms a string beyond ASCII). Checked code point by code point
 * against string-width and Intl.Segmenter in test/report/width.test.ts.
 */
export const NARROW_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0xac],
  [0xae, 0x24f],
  [0x370, 0x482],
  [0x48a, 0x4ff],
  [0x2000, 0x200a],
  [0x2010, 0x2029],
  [0x202f, 0x205f],
  [0x2070, 0x20cf],
  [0x20f1, 0x2319],
  [0x231c, 0x2328],
  [0x232b, 0x23e8],
  [0x23ed, 0x23ef],
  [0x23f1, 0x23f2],
  [0x23f4, 0x25fc],
  [0x25ff, 0x2613],
  [0x2616, 0x262f],
  [0x2638, 0x2647],
  [0x2654, 0x267e],
  [0x2680, 0x2689],
  [0x2690, 0x2692],
  [0x2694, 0x26a0],
  [0x26a2, 0x26a9],
  [0x26ac, 0x26bc],
  [0x26bf, 0x26c3],
  [0x26c6, 0x26cd],
  [0x26cf, 0x26d3],
  [0x26d5, 0x26e9],
  [0x26eb, 0x26f1],
  [0x26f4, 0x26f4],
  [0x26f6, 0x26f9],
  [0x26fb, 0x26fc],
  [0x26fe, 0x2704],
  [0x2706, 0x2709],
  [0x270c, 0x2727],
  [0x2729, 0x274b],
  [0x274d, 0x274d],
  [0x274f, 0x2752],
  [0x2756, 0x2756],
  [0x2758, 0x2794],
  [0x2798, 0x27af],
  [0x27b1, 0x27be],
  [0x27c0, 0x2b1a],
  [0x2b1d, 0x2b4f],
  [0x2b51, 0x2b54],
  [0x2b56, 0x2bff],
]

const hex = (c: number): string => `\\u${c.toString(16).padStart(4, '0')}`
/** Text made only of NARROW_RANGES: as many columns as UTF-16 units. */
const NARROW = new RegExp(`^[${NARROW_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}]*$`)

/** Whether every UTF-16 unit of `text` is a one-column character of its own (see NARROW_RANGES). */
export function isNarrow(text: string): boolean {
  return NARROW.test(text)
}

// Made on first use: an Intl.Segmenter costs ~10 ms to create, and narrow text never needs one.
let segmenter: Intl.Segmenter | undefined
/** The grapheme clusters of `text`. */
export function graphemes(text: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter()
  return segmenter.segment(text)
}

/**
 * Widths of text met lately: a screen redrawn on every key measures the same
 * strings again, and string-width takes microseconds per character beyond
 * ASCII (segmenting, emoji and East Asian Width lookups).
 */
const measured = new Map<string, number>()

/** The columns `text` takes in a terminal (escape sequences count for nothing). */
export function textWidth(text: string): number {
  if (NARROW.test(text)) return text.length
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
  for (const {segment, index} of graphemes(text)) {
    const w = textWidth(segment)
    if (width + w > columns) return {head: text.slice(0, index), width}
    width += w
    end = index + segment.length
  }
  return {head: text.slice(0, end), width}
}

/** The longest end of `text` (whole graphemes) that fits in `columns`. */
function tailWithin(text: string, columns: number): string {
  if (NARROW.test(text)) return text.slice(Math.max(0, text.length - columns))
  const parts = [...graphemes(text)]
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
  if (NARROW.test(text)) {
    if (text.length <= width) return text
    return width === 1 ? '…' : `${text.slice(0, width - 1)}…`
  }
  if (textWidth(text) <= width) return text
  if (width === 1) return '…'
  return `${headWithin(text, width - 1).head}…`
}

/**
 * Cuts `text` to at most `width` columns in its middle, keeping its start and its end (`claude-so…4-20250514`):
 * names that share a start (models of one vendor) stay told apart by their ends.
 */
export function fitMiddle(text: string, width: number): string {
  if (textWidth(text) <= width) return text
  if (width <= 2) return fitWidth(text, width)
  const head = headWithin(text, Math.ceil((width - 1) / 2)).head
  return `${head}…${tailWithin(text, width - 1 - textWidth(head))}`
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
