/**
 * The English of a training result: number formats and the sentences of the
 * recommendation and its warnings. Kept apart from the rules that decide, so
 * the rules read as rules and the words can change without touching them.
 */
import {percent} from '../util/format.js'
import type {Objective} from './calibrate.js'
import type {Point} from './evaluate.js'
import type {Interval} from './intervals.js'
import type {PolicyRow, TestFigures} from './result.js'

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? 'never' : percent(v, digits)
}

/**
 * Per-item costs run down to $0.00008: three significant digits there, where
 * util/format's table dollars would print $0.0001.
 */
function fmtCost(v: number): string {
  if (Math.abs(v) >= 0.01) return v.toFixed(4)
  // Three significant digits, in decimals: "0.000000314", not "3.14e-7" (trial 33).
  if (v === 0 || !Number.isFinite(v)) return v.toFixed(4)
  return v.toFixed(Math.min(20, 2 - Math.floor(Math.log10(Math.abs(v)))))
}

export function usd(v: number): string {
  return v < 0 ? `−$${fmtCost(-v)}` : `$${fmtCost(v)}`
}

/** "12.3% (95% interval 10.1–14.2%)". */
export function pctInterval(iv: Interval): string {
  return interval(pct(iv.value), pct(iv.low), pct(iv.high))
}

export function usdInterval(iv: Interval): string {
  return interval(usd(iv.value), usd(iv.low), usd(iv.high))
}

/**
 * A figure and its 95% interval; one whose ends read as the figure at its precision says so (trial 82: "17.7% to
 * 17.7%"), not that the resamples all agree (they may differ past the digits shown; review 83).
 */
function interval(value: string, low: string, high: string): string {
  return low === high && low === value
    ? `${value} (its 95% interval rounds to ${value} too)`
    : `${value} (95% interval ${low} to ${high})`
}

/** Quality points: 0.034 → "3.4 points". */
export function points(v: number): string {
  return `${pointsNumber(v)} points`
}

/** Quality points as a number alone, to one decimal, a minus sign as the dollars have it (not a hyphen; trial 33). */
function pointsNumber(v: number): string {
  const text = (v * 100).toFixed(1)
  return text.startsWith('-') && text !== '-0.0' ? `−${text.slice(1)}` : text.replace(/^-/, '')
}

/** A threshold of the router's frontier: its ends (every item to one end's model) as ∞, not ±1000000000. */
export function thresholdText(threshold: number): string {
  return Math.abs(threshold) >= 1e9 ? (threshold < 0 ? '−∞' : '+∞') : String(threshold)
}

/** A figure with its interval, three decimals (APGR). */
export function decimalInterval(iv: Interval, undefinedWhy = 'nothing here to measure it on'): string {
  // (A figure with nothing to measure: APGR when the models leave no gap in quality or cost, an AUC with one class.)
  if (!Number.isFinite(iv.value)) return `not defined (${undefinedWhy})`
  // (A negative figure with a minus sign, as the other figures have it: "−1.020", not "-1.020"; trial 110.)
  const f = (v: number): string => {
    const text = v.toFixed(3)
    return text === '-0.000' ? '0.000' : text.replace(/^-/, '−')
  }
  return `${f(iv.value)} (${f(iv.low)}–${f(iv.high)})`
}

/**
 * APGR with its interval, or why it is not defined: the test split's cheapest model costs no less than its best, or
 * does as well (trial 99: one line at $9,999 made the "cheapest" cost $250 an item, and the report said "nothing here
 * to measure it on" of 40 items).
 */
export function apgrText(iv: Interval): string {
  return decimalInterval(iv, 'on the test items the cheapest model costs no less than the best one, or does as well')
}

export function objectiveText(o: Objective): string {
  switch (o.kind) {
    case 'keep':
      return `keep ${pct(o.keep, 0)} of the strongest model's quality`
    case 'alpha':
      return `fail where the strongest model succeeds on at most α = ${o.alpha} of items`
    case 'max-cost':
      return `the best quality within ${usd(o.maxCost)} per item`
    default:
      return o satisfies never
  }
}

/**
 * A mix's share in whole percents, with as many decimals as it takes (up to four) where whole ones would say none or
 * all: 0.33% is not "0%", 0.04% not "0.0%".
 */
export function sharePct(share: number): string {
  // (As many decimals as it takes, counted on the plain rounding: not `percent`'s `<1%`.)
  const plain = (v: number, digits: number): string => `${(v * 100).toFixed(digits)}%`
  for (let digits = 0; digits < 4; digits++) {
    const text = plain(share, digits)
    if (!(share > 0 && share < 1) || (text !== plain(0, digits) && text !== plain(1, digits))) return text
  }
  return plain(share, 4)
}

function what(row: PolicyRow): string {
  switch (row.policy) {
    case 'single-model':
      return `Use ${row.label} alone`
    case 'two-model-mix':
      return `Use a random mix: send ${sharePct(row.share ?? 0)} of items to ${row.models[1]} and the rest to ${row.models[0]}`
    case 'router':
      return `Use the router (it chooses among ${row.models.join(', ')})`
    default:
      return row.policy satisfies never
  }
}

/** "3.4 points lower (95% interval 1.2 to 5.6)" for a quality loss. */
function lossWords(loss: Interval): string {
  const range = `95% interval ${pointsNumber(loss.low)} to ${points(loss.high)}`
  if (loss.value > 0) return `${points(loss.value)} lower (${range})`
  if (loss.value < 0) return `${points(-loss.value)} higher (${range}, as a loss)`
  return `the same (${range}, as a loss)`
}

export interface RecommendationWords {
  objective: Objective
  chosen: PolicyRow
  meetsObjective: boolean
  test: TestFigures
  strongest: string
  strongestTest: Point
  /** Chosen minus the policy it was weighed against, per item on calibration. */
  versus: {label: string; cost: Interval; quality: Interval} | undefined
  routerEligible: boolean
}

/** Which policy, what it saves and what quality it loses, with intervals, and why. */
export function recommendationText(w: RecommendationWords): string {
  const out: string[] = []
  if (!w.meetsObjective)
    out.push(
      `No policy meets the objective (${objectiveText(w.objective)}) on the calibration split; the closest safe choice:`,
    )
  out.push(`${what(w.chosen)}.`)
  if (w.chosen.label === w.strongest) {
    out.push(
      `On the test split its quality is ${pctInterval(w.test.quality)} at ${usdInterval(w.test.cost)} per item; nothing is saved.`,
    )
  } else {
    out.push(
      `On the test split it costs ${usdInterval(w.test.cost)} per item, saving ${pctInterval(w.test.saving)} of ${w.strongest}'s cost; its quality is ${pct(w.test.quality.value)} against ${pct(w.strongestTest.quality)} for ${w.strongest} alone: ${lossWords(w.test.qualityLoss)}.`,
    )
  }
  if (!w.meetsObjective) return out.join(' ')
  const v = w.versus
  const budget = w.objective.kind === 'max-cost'
  if (w.chosen.policy === 'router') {
    out.push(
      v
        ? budget
          ? `The router is shown better on calibration than ${v.label}, the best simpler policy within the budget (quality ${points(v.quality.value)} higher, 95% interval ${points(v.quality.low)} to ${points(v.quality.high)}; cost difference ${usd(v.cost.value)}).`
          : `The router is shown cheaper on calibration than ${v.label}, the cheapest simpler policy that meets the objective (by ${usd(-v.cost.value)} per item, 95% interval ${usd(-v.cost.high)} to ${usd(-v.cost.low)}).`
        : 'No simpler policy meets the objective on calibration.',
    )
  } else if (v) {
    // v is this policy minus the router: the router's side is the negation.
    const cost = -v.cost.value
    const quality = -v.quality.value
    // What the intervals say, in words that follow them (trial 33: "within noise on cost" beside an interval of the
    // difference wholly above zero, the router shown dearer).
    const costWords =
      -v.cost.low < 0 ? 'cheaper beyond noise' : -v.cost.high > 0 ? 'dearer beyond noise' : 'within noise on cost'
    const qualityWords =
      -v.quality.high > 0
        ? 'better in quality beyond noise'
        : -v.quality.low < 0
          ? 'worse in quality beyond noise'
          : 'within noise on quality'
    const noiseWords = !budget
      ? costWords
      : qualityWords === 'within noise on quality' && costWords === 'within noise on cost'
        ? 'within noise on quality or cost'
        : `${qualityWords}, ${costWords}`
    out.push(
      `The router also meets the objective on calibration but is not shown better: it costs ${usd(Math.abs(cost))} per item ${cost <= 0 ? 'less' : 'more'} than this policy (95% interval of the difference ${usd(-v.cost.high)} to ${usd(-v.cost.low)}) with ${points(Math.abs(quality))} ${quality >= 0 ? 'more' : 'less'} quality (95% interval ${points(-v.quality.high)} to ${points(-v.quality.low)}), ${noiseWords}; the simpler policy is recommended.`,
    )
  } else if (!w.routerEligible) {
    out.push('The router at its operating point does not meet the objective on calibration.')
  }
  return out.join(' ')
}

/** The warning when the recommended policy misses the objective on the test split. */
export function objectiveMissText(o: Objective, label: string, test: TestFigures, strongest: Point): string {
  switch (o.kind) {
    case 'keep':
      return `On the test split ${label} keeps ${pct(test.quality.value / strongest.quality)} of the strongest model's quality (${pctInterval(test.quality)} against ${pct(strongest.quality)}), below the ${pct(o.keep, 0)} asked.`
    case 'alpha':
      return `On the test split ${label} fails where the strongest model succeeds on ${pctInterval(test.risk)} of items, above α = ${o.alpha}.`
    case 'max-cost':
      return `On the test split ${label} costs ${usdInterval(test.cost)} per item, above the budget of ${usd(o.maxCost)}.`
    default:
      return o satisfies never
  }
}

/** The warning when another eligible policy does better on the test split beyond noise. */
export function testBetterText(o: Objective, chosen: string, other: string, diff: Interval): string {
  return o.kind === 'max-cost'
    ? `On the test split ${other} stays within the budget with quality ${points(diff.value)} above ${chosen}'s (95% interval ${points(diff.low)} to ${points(diff.high)}): the choice made on calibration does not hold there.`
    : `On the test split ${other} also meets the objective and costs ${usd(diff.value)} per item less than ${chosen} (95% interval ${usd(diff.low)} to ${usd(diff.high)}): the choice made on calibration does not hold there.`
}

/** What a test rate above α beyond noise says: the bound is about items like the calibration items, and these are not. */
export const NOT_LIKE_CALIBRATION =
  'the test items are not like the calibration items (another task or kind of item, changed models or prices), and no bound calibrated on those holds for them; calibrate on items like the ones routed'
