/**
 * Features of an item, turned into one row of small integers (bins) that the
 * forests split on. The spec is learned from the training items only (quantile
 * edges, category lists) and saved in router.json, so routing encodes an item
 * exactly as training did.
 *
 * Columns, in order:
 * - each numeric feature, binned by training quantiles (bin 0 = missing);
 * - each string feature, one-hot over its most frequent training values;
 * - text statistics of the prompt (lengths, shares of digits and symbols...),
 *   binned like numeric features;
 * - a hashed bag of the question's words and word bigrams (presence, 0/1).
 *
 * The question is the prompt's last block (after any few-shot examples,
 * separated by blank lines): the examples repeat across items and drown it.
 */
import {hash32} from './random.js'

export type FeatureValue = number | string

interface NumericColumn {
  name: string
  /** Ascending cut points: bin = 1 + number of edges <= value; 0 = missing. */
  edges: number[]
}

interface CategoricalColumn {
  name: string
  /** One column per value, in this order; other values light none. */
  values: string[]
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
}

export interface FeatureSpec {
  numeric: NumericColumn[]
  categorical: CategoricalColumn[]
  text: TextSpec | null
  ignored: IgnoredFeature[]
  /** Total number of columns. */
  columns: number
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

/** Names of the text statistics (documented in the README). */
const textStatNames = [
  'prompt_chars',
  'prompt_blocks',
  'question_chars',
  'question_words',
  'question_lines',
  'question_mean_word_length',
  'question_digit_share',
  'question_upper_share',
  'question_symbol_share',
  'question_marks',
] as const

/**
 * Whitespace as `String.prototype.trim` and `\s` know it, for the ASCII and
 * common Unicode spaces (the scans below avoid regular expressions and
 * allocations: routing featurizes a prompt in microseconds).
 */
function isSpace(c: number): boolean {
  if (c > 32 && c < 160) return false
  return (
    c <= 32 ||
    c === 160 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0x1680
  )
}

/** Where the question lies in a prompt: [start, end) of its last non-blank block, trimmed, and the number of blocks. */
export interface QuestionSpan {
  start: number
  end: number
  blocks: number
}

/**
 * Finds the question: blocks are separated by a blank line (`\n`, spaces or
 * tabs, `\n`); the question is the last block with any non-space character.
 */
function questionSpan(prompt: string, out: QuestionSpan = {start: 0, end: 0, blocks: 0}): QuestionSpan {
  const n = prompt.length
  let blocks = 0
  let blockStart = 0
  let lastStart = 0
  let lastEnd = 0
  // Jump from newline to newline (indexOf is native); a block counts when it
  // holds a non-space character.
  for (let i = prompt.indexOf('\n'); ; i = prompt.indexOf('\n', i + 1)) {
    let separatorEnd = -1
    if (i >= 0) {
      let j = i + 1
      while (j < n && (prompt.charCodeAt(j) === 32 || prompt.charCodeAt(j) === 9)) j++
      if (j < n && prompt.charCodeAt(j) === 10) separatorEnd = j
      else continue
    }
    const blockEnd = i >= 0 ? i : n
    let k = blockStart
    while (k < blockEnd && isSpace(prompt.charCodeAt(k))) k++
    if (k < blockEnd) {
      blocks++
      lastStart = k
      lastEnd = blockEnd
    }
    if (i < 0) break
    blockStart = separatorEnd + 1
    i = separatorEnd
  }
  while (lastEnd > lastStart && isSpace(prompt.charCodeAt(lastEnd - 1))) lastEnd--
  out.start = lastStart
  out.end = lastEnd
  out.blocks = blocks
  return out
}

/** The question: the last non-blank block of the prompt, trimmed. */
export function questionOf(prompt: string): {question: string; blocks: number} {
  const span = questionSpan(prompt)
  return {question: prompt.slice(span.start, span.end), blocks: span.blocks}
}

/** Writes the text statistics (order of `textStatNames`) of a prompt whose question is `span`. */
function fillTextStats(prompt: string, span: QuestionSpan, out: Float64Array | number[]): void {
  let digits = 0
  let upper = 0
  let symbols = 0
  let marks = 0
  let words = 0
  let letters = 0
  let inWord = false
  const length = span.end - span.start
  let lines = length > 0 ? 1 : 0
  for (let i = span.start; i < span.end; i++) {
    const c = prompt.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c >= 65 && c <= 90) upper++
    else if (c === 10) lines++
    else if (c === 63) marks++
    else if (c > 32 && c < 127 && !(c >= 97 && c <= 122)) symbols++
    if (isSpace(c)) inWord = false
    else {
      letters++
      if (!inWord) words++
      inWord = true
    }
  }
  const len = Math.max(1, length)
  out[0] = prompt.length
  out[1] = span.blocks
  out[2] = length
  out[3] = words
  out[4] = lines
  out[5] = words > 0 ? letters / words : 0
  out[6] = digits / len
  out[7] = upper / len
  out[8] = symbols / len
  out[9] = marks
}

/** Text statistics in the order of `textStatNames`. */
export function textStats(prompt: string): number[] {
  const out = new Array<number>(textStatNames.length).fill(0)
  fillTextStats(prompt, questionSpan(prompt), out)
  return out
}

/**
 * Calls `visit` with the hashed column (0..buckets-1) of every word and word
 * bigram of `text[start, end)`. Words are runs of ASCII letters and digits,
 * case-folded; a word's hash is FNV-1a of its characters, a bigram's mixes
 * the two word hashes, so no string is built.
 */
function hashSpan(text: string, start: number, end: number, buckets: number, visit: (bucket: number) => void): void {
  if (buckets <= 0) return
  let previous = -1
  let h = 0x811c9dc5
  let inWord = false
  for (let i = start; i <= end; i++) {
    let c = i < end ? text.charCodeAt(i) : 32
    if (c >= 65 && c <= 90) c += 32
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      h = Math.imul(h ^ c, 0x01000193)
      inWord = true
    } else if (inWord) {
      const word = h >>> 0
      visit(word % buckets)
      if (previous >= 0) visit(hash32(Math.imul(previous, 0x9e3779b1) ^ word) % buckets)
      previous = word
      h = 0x811c9dc5
      inWord = false
    }
  }
}

/** `hashSpan` over a whole question (see there). */
export function hashedTokens(question: string, buckets: number, visit: (bucket: number) => void): void {
  hashSpan(question, 0, question.length, buckets, visit)
}

function quantileEdges(values: number[], bins: number): number[] {
  if (values.length === 0) return []
  const sorted = Float64Array.from(values).sort()
  const edges: number[] = []
  for (let k = 1; k < bins; k++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins))]!
    // An edge equal to the minimum would leave bin 1 empty.
    if (v > sorted[0]! && (edges.length === 0 || v > edges[edges.length - 1]!)) edges.push(v)
  }
  return edges
}

/** Bin of `v` given ascending edges: 1 + number of edges <= v (binary search). */
export function binOf(edges: ArrayLike<number>, v: number): number {
  let lo = 0
  let hi = edges.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((edges[mid] as number) <= v) lo = mid + 1
    else hi = mid
  }
  return lo + 1
}

export interface FeatureSource {
  features: Record<string, FeatureValue>
  text?: string | undefined
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
      ignored.push({name, reason: 'constant in the training split'})
      continue
    }
    numeric.push({name, edges})
  }
  const categorical: CategoricalColumn[] = []
  for (const [name, counts] of strings) {
    if (counts.size <= 1) {
      ignored.push({name, reason: 'constant in the training split'})
      continue
    }
    const values = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.maxCategories)
      .map(([v]) => v)
    categorical.push({name, values})
  }

  let text: TextSpec | null = null
  const withText = items.filter(i => typeof i.text === 'string')
  if (withText.length > 0) {
    const stats = withText.map(i => textStats(i.text!))
    text = {
      buckets: Math.max(0, Math.floor(opts.buckets)),
      stats: textStatNames.map((name, k) => ({
        name,
        edges: quantileEdges(
          stats.map(s => s[k]!),
          bins,
        ),
      })),
    }
  }
  ignored.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const columns =
    numeric.length +
    categorical.reduce((n, c) => n + c.values.length, 0) +
    (text ? text.stats.length + text.buckets : 0)
  return {numeric, categorical, text, ignored, columns}
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

/**
 * A spec compiled for encoding many items fast: typed edges, category lookups.
 * `encode` writes one item's bins into `out` (length `spec.columns`).
 */
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
