/**
 * A plain-text table that fits a terminal width: fixed columns keep their
 * size, the one flexible column takes what is left (and is cut with "…").
 * Widths are terminal columns (a Chinese character takes two), not string lengths.
 */
import {fitPath, fitWidth, padWidth, textWidth} from '../util/width.js'

/** A text column is not cut below this many columns to fit the width. */
const MIN_TEXT = 12

export interface Column {
  header: string
  align?: 'left' | 'right'
  /** The column that shrinks to fit the width (at most one). */
  flex?: boolean
  /** Minimum width of the flexible column. */
  min?: number
  /** Cut a cell too long from its start (a path or a session's file, whose end tells them apart), not its end. */
  keepEnd?: boolean
}

export interface TableStyle {
  header: (s: string) => string
  cell?: (s: string, column: number, row: number) => string
}

export function table(columns: Column[], rows: string[][], width: number, style: TableStyle, indent = 2): string[] {
  const gap = 2
  const widths = columns.map((c, i) => Math.max(textWidth(c.header), ...rows.map(r => textWidth(r[i] ?? ''))))
  const flex = columns.findIndex(c => c.flex)
  const used = indent + widths.reduce((n, w) => n + w, 0) + gap * (columns.length - 1)
  let excess = used - width
  if (flex >= 0 && excess > 0) {
    const min = columns[flex]!.min ?? 12
    const before = widths[flex]!
    widths[flex] = Math.max(min, before - excess)
    excess -= before - widths[flex]!
  }
  // Still too wide (a 100 KB model name in a fixed column): the widest left-aligned text columns give way too,
  // down to 12 columns each, cut with "…". Figures (right-aligned) keep their width.
  while (excess > 0) {
    let widest = -1
    for (let i = 0; i < widths.length; i++)
      if (columns[i]!.align !== 'right' && widths[i]! > MIN_TEXT && (widest < 0 || widths[i]! > widths[widest]!))
        widest = i
    if (widest < 0) break
    const give = Math.min(excess, widths[widest]! - MIN_TEXT)
    widths[widest]! -= give
    excess -= give
  }
  const margin = ' '.repeat(indent)
  const render = (cells: string[], rowIndex: number, isHeader: boolean): string =>
    margin +
    cells
      .map((cell, i) => {
        const w = widths[i]!
        // The last column, left-aligned, needs no padding after it.
        const last = i === cells.length - 1 && columns[i]!.align !== 'right'
        const text = columns[i]!.keepEnd && textWidth(cell) > w ? fitPath(cell, w) : cell
        const aligned = last ? fitWidth(text, w) : padWidth(text, w, columns[i]!.align)
        if (isHeader) return style.header(aligned)
        return style.cell ? style.cell(aligned, i, rowIndex) : aligned
      })
      .join(' '.repeat(gap))
  return [
    render(
      columns.map(c => c.header),
      -1,
      true,
    ),
    ...rows.map((r, i) => render(r, i, false)),
  ].map(line => line.trimEnd())
}
