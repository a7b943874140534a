/**
 * Encoding items with a learned feature spec: one row of small integers
 * (bins) per item, exactly as training encoded them. The spec is compiled once
 * (typed edges, category lookups); `encode` allocates nothing per item.
 */
import {binOf} from './binning.js'
import type {FeatureSource, FeatureSpec} from './featurize.js'
import {fillTextStats, hashSpan, questionSpan, textStatNames, type QuestionSpan} from './text-features.js'

/** `encode` writes one item's bins into `out` (length `spec.columns`). */
export class Encoder {
  readonly columns: number
  private readonly numeric: Array<{name: string; edges: Float64Array}>
  private readonly categorical: Array<{name: string; index: Map<string, number>; offset: number}>
  private readonly statEdges: Float64Array[]
  private readonly statOffset: number
  private readonly hashOffset: number
  private readonly buckets: number
  // Scratch space, so that encoding allocates nothing per item.
  private readonly span: QuestionSpan = {start: 0, end: 0, blocks: 0}
  private readonly stats = new Float64Array(textStatNames.length)
  private row: Uint8Array = new Uint8Array(0)
  private readonly mark = (bucket: number): void => {
    this.row[this.hashOffset + bucket] = 1
  }

  constructor(readonly spec: FeatureSpec) {
    this.columns = spec.columns
    this.numeric = spec.numeric.map(c => ({name: c.name, edges: Float64Array.from(c.edges)}))
    let offset = spec.numeric.length
    this.categorical = spec.categorical.map(c => {
      const entry = {name: c.name, index: new Map(c.values.map((v, k) => [v, k] as const)), offset}
      offset += c.values.length
      return entry
    })
    this.statOffset = offset
    this.statEdges = spec.text ? spec.text.stats.map(s => Float64Array.from(s.edges)) : []
    this.hashOffset = offset + this.statEdges.length
    this.buckets = spec.text?.buckets ?? 0
  }

  encode(source: FeatureSource, out: Uint8Array): Uint8Array {
    out.fill(0)
    const features = source.features
    for (let k = 0; k < this.numeric.length; k++) {
      const col = this.numeric[k]!
      const v = features[col.name]
      if (typeof v === 'number' && Number.isFinite(v)) out[k] = binOf(col.edges, v)
    }
    for (const col of this.categorical) {
      const v = features[col.name]
      if (v === undefined) continue
      const k = col.index.get(typeof v === 'string' ? v : String(v))
      if (k !== undefined) out[col.offset + k] = 1
    }
    const text = source.text
    if (this.statEdges.length > 0 && typeof text === 'string') {
      const span = questionSpan(text, this.span)
      fillTextStats(text, span, this.stats)
      for (let k = 0; k < this.statEdges.length; k++)
        out[this.statOffset + k] = binOf(this.statEdges[k]!, this.stats[k]!)
      this.row = out
      hashSpan(text, span.start, span.end, this.buckets, this.mark)
    }
    return out
  }
}
