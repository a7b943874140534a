/**
 * Is what a router is asked to route like what it was trained on? Compared
 * with the training counts saved in the router's feature spec:
 *
 * - categories the training split never had (a router encodes them as no
 *   category at all: every one-hot column off), and other values of a feature
 *   that was constant in training (left out, so the router cannot see them);
 * - numbers and text statistics outside the training range (a binned number
 *   past the last edge lands in the last bin, whatever its size), when more
 *   items fall outside than sampling explains (a fresh item from the training
 *   distribution lands outside its n values' range with probability 2/(n+1));
 * - drift of a feature's distribution: the population stability index (PSI)
 *   over its bins (numbers) or values (categories) against the training
 *   counts, flagged at 0.25 (the usual "significant shift") when it is also
 *   well above what sampling alone gives a batch of this size.
 *
 * The guarantee and the evaluation hold only for items like the training and
 * calibration items: these findings say how far a batch is from them.
 */
import {binOf} from './binning.js'
import {binomialCdf} from './bounds.js'
import type {
  CategoricalColumn,
  FeatureSource,
  FeatureSpec,
  FeatureValue,
  IgnoredFeature,
  NumericColumn,
} from './featurize.js'
import {textStats} from './text-features.js'

interface ShiftFinding {
  feature: string
  kind: 'unseen-category' | 'out-of-range' | 'drift'
  /** Items of the batch concerned (all of them, for drift). */
  items: number
  share: number
  /** Plain words, with the figures. */
  message: string
}

export interface ShiftReport {
  items: number
  findings: ShiftFinding[]
}

const psiLimit = 0.25

/** Population stability index of counts against training counts (both smoothed by half an item per bin). */
export function psi(batch: number[], train: number[]): number {
  const nb = batch.reduce((s, v) => s + v, 0) + 0.5 * batch.length
  const nt = train.reduce((s, v) => s + v, 0) + 0.5 * train.length
  let v = 0
  for (let i = 0; i < batch.length; i++) {
    const p = (batch[i]! + 0.5) / nb
    const q = (train[i]! + 0.5) / nt
    v += (p - q) * Math.log(p / q)
  }
  return v
}

/** PSI a batch of n items would show by sampling alone, for b bins against N training items (about (b − 1)(1/n + 1/N)). */
function samplingPsi(bins: number, n: number, trainItems: number): number {
  return (bins - 1) * (1 / n + 1 / Math.max(1, trainItems))
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4)
}

function drift(
  feature: string,
  batch: number[],
  train: number[],
  n: number,
  trainItems: number,
  what: string,
): ShiftFinding | undefined {
  const value = psi(batch, train)
  if (!(value > psiLimit && value > 3 * samplingPsi(train.length, n, trainItems))) return undefined
  return {
    feature,
    kind: 'drift',
    items: n,
    share: 1,
    message: `${feature}: its distribution${what} drifted from training (PSI ${value.toFixed(2)}; above 0.25 is a significant shift).`,
  }
}

function numericFindings(
  col: NumericColumn,
  values: Array<number | undefined>,
  n: number,
  trainItems: number,
): ShiftFinding[] {
  const out: ShiftFinding[] = []
  if (col.min !== undefined && col.max !== undefined) {
    let below = 0
    let above = 0
    let lowest = col.min
    let highest = col.max
    for (const v of values) {
      if (v === undefined) continue
      if (v < col.min) {
        below++
        lowest = Math.min(lowest, v)
      } else if (v > col.max) {
        above++
        highest = Math.max(highest, v)
      }
    }
    // More outside than sampling explains? (one-sided binomial test at 0.001)
    const outside = below + above
    const unlikely = outside > 0 && 1 - binomialCdf(outside - 1, n, Math.min(1, 2 / (trainItems + 1))) < 0.001
    if (unlikely) {
      const parts = [
        ...(below > 0 ? [`${below} below it (down to ${fmt(lowest)})`] : []),
        ...(above > 0 ? [`${above} above it (up to ${fmt(highest)})`] : []),
      ]
      out.push({
        feature: col.name,
        kind: 'out-of-range',
        items: below + above,
        share: (below + above) / n,
        message: `${col.name}: ${below + above} of ${n} items (${pct((below + above) / n)}) lie outside the training range ${fmt(col.min)}–${fmt(col.max)}: ${parts.join(', ')}.`,
      })
    }
  }
  if (col.counts) {
    const counts = new Array<number>(col.counts.length).fill(0)
    for (const v of values) counts[v === undefined ? 0 : binOf(col.edges, v)]!++
    const d = drift(col.name, counts, col.counts, n, trainItems, ' over its training bins')
    if (d) out.push(d)
  }
  return out
}

function categoricalFindings(col: CategoricalColumn, values: Array<string | undefined>, n: number, trainItems: number) {
  const out: ShiftFinding[] = []
  const index = new Map(col.values.map((v, k) => [v, k] as const))
  const counts = new Array<number>(col.values.length + 2).fill(0)
  const unseen = new Map<string, number>()
  for (const v of values) {
    if (v === undefined) counts[col.values.length + 1]!++
    else {
      const k = index.get(v)
      if (k !== undefined) counts[k]!++
      else {
        counts[col.values.length]!++
        unseen.set(v, (unseen.get(v) ?? 0) + 1)
      }
    }
  }
  const complete = col.distinct !== undefined && col.distinct <= col.values.length
  const outside = counts[col.values.length]!
  if (outside > 0 && complete) {
    const examples = [...unseen.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([v, c]) => `"${v}" (${c})`)
      .join(', ')
    out.push({
      feature: col.name,
      kind: 'unseen-category',
      items: outside,
      share: outside / n,
      message: `${col.name}: ${outside} of ${n} items (${pct(outside / n)}) have a value the training split never had, e.g. ${examples}; the router encodes them as no value at all.`,
    })
  }
  if (col.counts && col.other !== undefined && col.missing !== undefined) {
    const train = [...col.counts, col.other, col.missing]
    const d = drift(col.name, counts, train, n, trainItems, ' over its training values')
    if (d) out.push(d)
  }
  return out
}

/**
 * A feature constant in training was left out of the router: items with
 * another value look to it like the training items. Flagged when more differ
 * than sampling explains (a fresh item differs from N equal training values
 * with probability at most 1/(N + 1)).
 */
function constantFindings(
  feature: IgnoredFeature & {value: FeatureValue},
  values: Array<FeatureValue | undefined>,
  n: number,
  trainItems: number,
): ShiftFinding[] {
  const other = new Map<string, number>()
  let differ = 0
  for (const v of values) {
    if (v === undefined || v === feature.value || String(v) === String(feature.value)) continue
    differ++
    other.set(String(v), (other.get(String(v)) ?? 0) + 1)
  }
  if (differ === 0 || 1 - binomialCdf(differ - 1, n, Math.min(1, 1 / (trainItems + 1))) >= 0.001) return []
  const quote = (v: string): string => (typeof feature.value === 'string' ? `"${v}"` : v)
  const examples = [...other.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([v, c]) => `${quote(v)} (${c})`)
    .join(', ')
  return [
    {
      feature: feature.name,
      kind: typeof feature.value === 'string' ? 'unseen-category' : 'out-of-range',
      items: differ,
      share: differ / n,
      message: `${feature.name}: ${differ} of ${n} items (${pct(differ / n)}) have a value the training split never had (it was always ${quote(String(feature.value))}), e.g. ${examples}; the router left the feature out as constant, so it cannot tell these items from the training ones.`,
    },
  ]
}

/** How a batch of items differs from the training items a spec was learned on. */
export function shiftReport(spec: FeatureSpec, items: readonly FeatureSource[]): ShiftReport {
  const n = items.length
  const findings: ShiftFinding[] = []
  if (n === 0) return {items: 0, findings}
  const trainItems = spec.items ?? 0
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
  for (const col of spec.numeric)
    findings.push(
      ...numericFindings(
        col,
        items.map(i => num(i.features[col.name])),
        n,
        trainItems,
      ),
    )
  for (const col of spec.categorical) {
    const values = items.map(i => {
      const v = i.features[col.name]
      return v === undefined || v === null ? undefined : String(v)
    })
    findings.push(...categoricalFindings(col, values, n, trainItems))
  }
  for (const feature of spec.ignored) {
    if (feature.value === undefined) continue
    const values = items.map(i => {
      const v = i.features[feature.name]
      return v === undefined || v === null ? undefined : v
    })
    findings.push(...constantFindings(feature as IgnoredFeature & {value: FeatureValue}, values, n, trainItems))
  }
  if (spec.text) {
    const stats = items.map(i => (typeof i.text === 'string' ? textStats(i.text) : undefined))
    spec.text.stats.forEach((col, k) => {
      findings.push(
        ...numericFindings(
          {...col, name: `text:${col.name}`},
          stats.map(s => s?.[k]),
          n,
          trainItems,
        ),
      )
    })
  }
  return {items: n, findings}
}
