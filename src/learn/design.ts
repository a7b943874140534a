/**
 * Design matrices: items encoded once (row-major, as routing sees them) and
 * the rows one model trains on, laid out column by column for the forests.
 */
import type {Encoder} from './encoder.js'
import type {BinnedMatrix} from './forest.js'
import type {Item} from './outcome-table.js'

/** Every item's bins, row-major: `out[i * encoder.columns + c]`. */
export function encodeAll(encoder: Encoder, items: Item[]): Uint8Array {
  const cols = encoder.columns
  const out = new Uint8Array(items.length * cols)
  items.forEach((item, i) => {
    encoder.encode(item, out.subarray(i * cols, (i + 1) * cols))
  })
  return out
}

/** Column-major matrix of the chosen rows of a row-major encoding. */
export function selectRows(rowMajor: Uint8Array, rows: number[], cols: number, bins: Uint8Array): BinnedMatrix {
  const n = rows.length
  const data = new Uint8Array(n * cols)
  for (let i = 0; i < n; i++) {
    const base = rows[i]! * cols
    for (let c = 0; c < cols; c++) data[c * n + i] = rowMajor[base + c]!
  }
  return {rows: n, cols, data, bins}
}
