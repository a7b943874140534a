/** Number and text formatting for terminal and Markdown reports. */

export function usd(value: number): string {
  if (value === 0) return '$0.00'
  if (Math.abs(value) < 0.01) return `$${value.toFixed(4)}`
  if (Math.abs(value) < 1000) return `$${value.toFixed(2)}`
  return `$${Math.round(value).toLocaleString('en-US')}`
}

/** 1234 → 1.2k, 4500000 → 4.5M. */
export function compact(n: number): string {
  const abs = Math.abs(n)
  if (abs < 1000) return String(Math.round(n))
  if (abs < 1e6) return `${(n / 1e3).toFixed(abs < 1e4 ? 1 : 0)}k`
  if (abs < 1e9) return `${(n / 1e6).toFixed(abs < 1e7 ? 1 : 0)}M`
  return `${(n / 1e9).toFixed(1)}B`
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function percent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)}%`
}

/** Cuts `text` to `width` characters with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return ''
  if (text.length <= width) return text
  if (width === 1) return '…'
  return `${text.slice(0, width - 1)}…`
}

/** Cuts a path from the left, keeping its most telling end. */
export function fitPath(path: string, width: number): string {
  if (path.length <= width) return path
  if (width <= 1) return '…'
  return `…${path.slice(path.length - width + 1)}`
}

export function padEnd(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length)
}

export function padStart(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text
}

/** A bar of `width` cells for a share between 0 and 1. */
export function bar(share: number, width: number): string {
  const cells = Math.max(0, Math.min(width, Math.round(share * width)))
  return '█'.repeat(cells)
}
