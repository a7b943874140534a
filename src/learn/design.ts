/**
 * Items encoded once, row-major, as routing sees them (estimator.ts makes
 * them a design for the engines).
 */
import type {Encoder} from './encoder.js'
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
