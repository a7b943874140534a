/**
 * A step's columns: the item's (the ex-ante router's feature spec: numbers,
 * categories, text) followed by the step's post-hoc features binned by their
 * training quantiles (bin 0 = missing). The spec of each step is saved in the
 * cascade's router.json, so routing encodes a step exactly as training did.
 */
import {binOf, quantileEdges} from '../binning.js'
import type {Encoder} from '../encoder.js'
import type {Item} from '../outcome-table.js'
import {posthocNames, posthocValues, type Digest, type LengthNorm} from '../posthoc/features.js'
import type {StepDesign} from './step-model.js'

/** The post-hoc columns of one step. */
export interface PosthocSpec {
  /** Column names (posthocNames of the step and its signals). */
  names: string[]
  /** Ascending cut points per column: bin = 1 + edges ≤ value; 0 = missing. */
  edges: number[][]
  /** Signals of the step's model, in column order. */
  signals: string[]
}

/** Learns a step's post-hoc spec from its training values (`values[i * names.length + j]`). */
export function buildPosthocSpec(
  step: number,
  signals: string[],
  values: Float64Array,
  rows: number,
  bins: number,
): PosthocSpec {
  const names = posthocNames(step, signals)
  const edges = names.map((_, j) => {
    const column: number[] = []
    for (let i = 0; i < rows; i++) {
      const v = values[i * names.length + j]!
      if (Number.isFinite(v)) column.push(v)
    }
    return quantileEdges(column, bins).map(e => Math.round(e * 1e9) / 1e9)
  })
  return {names, edges, signals}
}

/** Bins of every column of a step's design: the item's, then the post-hoc ones. */
export function stepBins(itemBins: Uint8Array, spec: PosthocSpec): Uint8Array {
  const out = new Uint8Array(itemBins.length + spec.names.length)
  out.set(itemBins)
  spec.edges.forEach((e, j) => {
    out[itemBins.length + j] = e.length + 2
  })
  return out
}

/** Writes one step's row: the item's bins (already encoded) then the post-hoc values binned. */
export function writePosthocBins(spec: PosthocSpec, values: Float64Array, out: Uint8Array, offset: number): void {
  for (let j = 0; j < spec.names.length; j++) {
    const v = values[j]!
    out[offset + j] = Number.isFinite(v) ? binOf(spec.edges[j]!, v) : 0
  }
}

/** Post-hoc values of step `step` for some items: the digests of the chain's models in order. */
export function posthocMatrix(
  step: number,
  digestsOf: (i: number) => readonly Digest[],
  rows: number,
  norm: LengthNorm,
  signals: readonly string[],
): Float64Array {
  const width = posthocNames(step, signals).length
  const out = new Float64Array(rows * width)
  const scratch = new Float64Array(width)
  for (let i = 0; i < rows; i++) out.set(posthocValues(step, digestsOf(i), norm, signals, scratch), i * width)
  return out
}

/** The design of one step over some items: item bins (row-major, none without an encoder) and post-hoc values, binned. */
export function stepDesign(
  items: readonly Item[],
  encoder: Encoder | undefined,
  itemBins: Uint8Array,
  spec: PosthocSpec,
  values: Float64Array,
): StepDesign {
  const itemCols = encoder?.columns ?? 0
  const cols = itemCols + spec.names.length
  const rowMajor = new Uint8Array(items.length * cols)
  const row = new Uint8Array(itemCols)
  items.forEach((item, i) => {
    if (encoder) {
      encoder.encode(item, row)
      rowMajor.set(row, i * cols)
    }
    writePosthocBins(
      spec,
      values.subarray(i * spec.names.length, (i + 1) * spec.names.length),
      rowMajor,
      i * cols + itemCols,
    )
  })
  return {rows: items.length, cols, rowMajor, bins: stepBins(itemBins, spec)}
}
