/**
 * The feature spec: which features of an item a router uses and how each
 * becomes columns of small integers (bins). It is learned from the training
 * items only (quantile edges, category lists) and saved in router.json, so
 * routing encodes an item exactly as training did (encoder.ts).
 *
 * Columns, in order:
 * - each numeric feature, binned by training quantiles (bin 0 = missing);
 * - each string feature, one-hot over its most frequent training values;
 * - text statistics of the prompt (lengths, shares of digits and symbols...),
 *   binned like numeric features;
 * - a hashed bag of the question's words and word bigrams (presence, 0/1).
 *
 * Text features live in text-features.ts, quantile binning in binning.ts.
 */
import {AcoError} from '../errors.js'
import {binOf, quantileEdges} from './binning.js'
import {textStatNames, textStats} from './text-features.js'

export type FeatureValue = number | string

export interface NumericColumn {
  name: string
  /** Ascending cut points: bin = 1 + number of edges <= value; 0 = missing. */
  edges: number[]
  /** Training range (absent in routers of aco 0.1, and when every training value was missing). */
  min?: number
  max?: number
  /** Training items per bin, bin 0 = missing (what routing compares its items with). */
  counts?: number[]
}

export interface CategoricalColumn {
  name: string
  /** One column per value, in this order; other values light none. */
  values: string[]
  /** Training items per value, in the order of `values`. */
  counts?: number[]
  /** Training items with a value outside `values`. */
  other?: number
  missing?: number
  /** Distinct training values: when no more than `values.length`, every training value is listed. */
  distinct?: number
}

interface TextSpec {
  /** Number of hashed columns for words and bigrams. */
  buckets: number
  /** Statistics of the prompt, binned by training quantiles. */
  stats: NumericColumn[]
}

export interface IgnoredFeature {
  name: string
  reason: string
  /**
   * For a feature constant in the training split, its one value: routing
   * warns about items that have another (the router cannot tell them apart).
   */
  value?: FeatureValue
}

export interface FeatureSpec {
  numeric: NumericColumn[]
  categorical: CategoricalColumn[]
  text: TextSpec | null
  ignored: IgnoredFeature[]
  /** Total number of columns. */
  columns: number
  /** Training items the spec was learned on. */
  items?: number
}

export interface FeatureOptions {
  /** Quantile bins per numeric feature (at most 255). */
  bins: number
  /** Most frequent values one-hot encoded per string feature. */
  maxCategories: number
  /** Hashed word/bigram columns (0 turns the bag off). */
  buckets: number
  /** Extra feature names to ignore. */
  ignore: string[]
  /** Names to keep even when their name looks like bookkeeping. */
  use: string[]
}

const defaultFeatureOptions: FeatureOptions = {bins: 24, maxCategories: 32, buckets: 512, ignore: [], use: []}

/**
 * Names that are ids or bookkeeping, never properties of the item: `sample_id`,
 * `routerbench_row`, `split`, `source_file`... A model would learn the split or
 * the row order, not the item.
 */
const bookkeepingName =
  /(^|[_\-.])(id|ids|uuid|key|row|rows|row_index|index|idx|split|fold|source|source_file|file|path)$|^(id|row|split|fold|file|path)$/i

/**
 * Names of what is known only after a model ran (its response, tokens, cost,
 * score): features like these would leak the outcome.
 */
const outcomeName = /(response|output|completion|answer|success|correct|score|cost|latency|reward|input_tokens|label)/i

export interface FeatureSource {
  features: Record<string, FeatureValue>
  text?: string | undefined
}

/**
 * Refuses a feature a person named (--ignore-feature, --use-feature) that no training item has: a typo, not a feature
 * left out or kept (trial 99: `--use-feature bogus` trained and said nothing).
 */
export function checkNamedFeatures(items: readonly FeatureSource[], options: Partial<FeatureOptions> = {}): void {
  const names = new Set<string>()
  for (const item of items) for (const name of Object.keys(item.features)) names.add(name)
  const absent = [...new Set([...(options.ignore ?? []), ...(options.use ?? [])])].filter(n => !names.has(n))
  if (absent.length)
    throw new AcoError(
      'usage',
      `${absent.map(n => `"${n}"`).join(', ')}: no item of the training split has ${absent.length === 1 ? 'this feature' : 'these features'} (--ignore-feature and --use-feature name keys of "features").`,
      names.size ? `Its features: ${[...names].sort().join(', ')}.` : 'Its lines have no "features".',
    )
}

/**
 * Learns the feature spec from training items: which features to use, their
 * bins and categories. `inconsistent` names features whose value differed
 * between lines of one item (they describe a run, not the item).
 */
export function buildSpec(
  items: FeatureSource[],
  options: Partial<FeatureOptions> = {},
  inconsistent: ReadonlySet<string> = new Set(),
): FeatureSpec {
  const opts = {...defaultFeatureOptions, ...options}
  const bins = Math.max(2, Math.min(255, opts.bins))
  const ignore = new Set(opts.ignore)
  const use = new Set(opts.use)
  const numbers = new Map<string, number[]>()
  const strings = new Map<string, Map<string, number>>()
  const ignored: IgnoredFeature[] = []
  const names = new Set<string>()
  for (const item of items) for (const name of Object.keys(item.features)) names.add(name)

  const kept: string[] = []
  for (const name of [...names].sort()) {
    const reason = ignore.has(name)
      ? 'ignored by --ignore-feature'
      : use.has(name)
        ? undefined
        : inconsistent.has(name)
          ? 'differs between lines of one item: it describes a run, not the item'
          : outcomeName.test(name)
            ? 'known only after a model ran (would leak the outcome)'
            : bookkeepingName.test(name)
              ? 'an id or bookkeeping field (names the row, split or file, not the item)'
              : undefined
    if (reason) ignored.push({name, reason})
    else kept.push(name)
  }

  for (const name of kept) {
    let isString = false
    for (const item of items) if (typeof item.features[name] === 'string') isString = true
    if (isString) {
      const counts = new Map<string, number>()
      for (const item of items) {
        const v = item.features[name]
        if (v !== undefined) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1)
      }
      strings.set(name, counts)
    } else {
      const values: number[] = []
      for (const item of items) {
        const v = item.features[name]
        if (typeof v === 'number' && Number.isFinite(v)) values.push(v)
      }
      numbers.set(name, values)
    }
  }

  const numeric: NumericColumn[] = []
  for (const [name, values] of numbers) {
    const edges = quantileEdges(values, bins)
    if (edges.length === 0 && new Set(values).size <= 1) {
      ignored.push({name, reason: 'constant in the training split', ...(values.length > 0 ? {value: values[0]!} : {})})
      continue
    }
    numeric.push(numericColumn(name, edges, values, items.length))
  }
  const categorical: CategoricalColumn[] = []
  for (const [name, counts] of strings) {
    if (counts.size <= 1) {
      const [only] = counts.keys()
      ignored.push({name, reason: 'constant in the training split', ...(only !== undefined ? {value: only} : {})})
      continue
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.maxCategories)
    let present = 0
    for (const c of counts.values()) present += c
    const listed = top.reduce((n, [, c]) => n + c, 0)
    categorical.push({
      name,
      values: top.map(([v]) => v),
      counts: top.map(([, c]) => c),
      other: present - listed,
      missing: items.length - present,
      distinct: counts.size,
    })
  }

  let text: TextSpec | null = null
  const withText = items.filter(i => typeof i.text === 'string')
  if (withText.length > 0) {
    const stats = withText.map(i => textStats(i.text!))
    text = {
      buckets: Math.max(0, Math.floor(opts.buckets)),
      stats: textStatNames.map((name, k) => {
        const values = stats.map(s => s[k]!)
        return numericColumn(name, quantileEdges(values, bins), values, items.length)
      }),
    }
  }
  ignored.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const columns =
    numeric.length +
    categorical.reduce((n, c) => n + c.values.length, 0) +
    (text ? text.stats.length + text.buckets : 0)
  return {numeric, categorical, text, ignored, columns, items: items.length}
}

/** A numeric column with its training range and bin counts (`total` items, the rest of `values` missing). */
function numericColumn(name: string, edges: number[], values: number[], total: number): NumericColumn {
  const counts = new Array<number>(edges.length + 2).fill(0)
  counts[0] = total - values.length
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const v of values) {
    counts[binOf(edges, v)]!++
    if (v < min) min = v
    if (v > max) max = v
  }
  return {name, edges, ...(values.length > 0 ? {min, max} : {}), counts}
}

/** Number of bins of every column (for the forest trainer). */
export function columnBins(spec: FeatureSpec): Uint8Array {
  const out = new Uint8Array(spec.columns)
  let c = 0
  for (const col of spec.numeric) out[c++] = col.edges.length + 2
  for (const col of spec.categorical) for (let k = 0; k < col.values.length; k++) out[c++] = 2
  if (spec.text) {
    for (const col of spec.text.stats) out[c++] = col.edges.length + 2
    for (let k = 0; k < spec.text.buckets; k++) out[c++] = 2
  }
  return out
}

/** Human-readable name of every column (for evaluation and debugging). */
export function columnNames(spec: FeatureSpec): string[] {
  const names: string[] = []
  for (const col of spec.numeric) names.push(col.name)
  for (const col of spec.categorical) for (const v of col.values) names.push(`${col.name}=${v}`)
  if (spec.text) {
    for (const col of spec.text.stats) names.push(`text:${col.name}`)
    for (let k = 0; k < spec.text.buckets; k++) names.push(`text:hash${k}`)
  }
  return names
}
