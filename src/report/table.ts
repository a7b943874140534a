/**
 * A plain-text table that fits a terminal width: fixed columns keep their
 * size, the one flexible column takes what is left (and is cut with "…").
 */
import {fit, padEnd, padStart} from './format.js'

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
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map(r => (r[i] ?? '').length)))
  const flex = columns.findIndex(c => c.flex)
  const used = indent + widths.reduce((n, w) => n + w, 0) + gap * (columns.length - 1)
  if (flex >= 0 && used > width) {
    const min = columns[flex]!.min ?? 12
    widths[flex] = Math.max(min, widths[flex]! - (used - width))
  }
  const pad = ' '.repeat(indent)
  const render = (cells: string[], rowIndex: number, isHeader: boolean): string =>
    pad +
    cells
      .map((cell, i) => {
        const w = widths[i]!
        const text = fit(cell, w)
        const aligned =
          columns[i]!.align === 'right' ? padStart(text, w) : i === cells.length - 1 ? text : padEnd(text, w)
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
