/**
 * A plain-text table that fits a terminal width: fixed columns keep their
 * size, the one flexible column takes what is left (and is cut with "…").
 * Widths are terminal columns (a Chinese character takes two), not string lengths.
 */
import {fitWidth, padWidth, textWidth} from '../util/width.js'

export interface Column {
  header: string
  align?: 'left' | 'right'
  /** The column that shrinks to fit the width (at most one). */
  flex?: boolean
  /** Minimum width of the flexible column. */
  min?: number
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
  if (flex >= 0 && used > width) {
    const min = columns[flex]!.min ?? 12
    widths[flex] = Math.max(min, widths[flex]! - (used - width))
  }
  const margin = ' '.repeat(indent)
  const render = (cells: string[], rowIndex: number, isHeader: boolean): string =>
    margin +
    cells
      .map((cell, i) => {
        const w = widths[i]!
        // The last column, left-aligned, needs no padding after it.
        const last = i === cells.length - 1 && columns[i]!.align !== 'right'
        const aligned = last ? fitWidth(cell, w) : padWidth(cell, w, columns[i]!.align)
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
