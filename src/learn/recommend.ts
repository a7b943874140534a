/**
 * The recommendation, by a stated rule (RULE below), decided on the
 * calibration split and then checked against the test split:
 *
 * 1. The policies: each candidate model alone (never a model dominated on the
 *    training split), random mixes of two candidates with the share that just
 *    meets the objective, and the router at its operating point.
 * 2. Only those that meet the objective on calibration are eligible: quality
 *    ≥ keep × the strongest model's; or the α bound on the rate of items where
 *    the policy fails and the strongest succeeds (the same bound, marginal or
 *    high-probability, as the router's operating point); or mean cost ≤ the
 *    budget.
 * 3. With a budget, the eligible policies whose quality is not shown lower
 *    than the best eligible quality stay (paired 95% interval over items);
 *    then, in every case, those whose cost is not shown higher than the
 *    cheapest remaining one's.
 * 4. Of these, the simplest (one model, then a mix of two, then the router),
 *    and among equally simple ones the cheaper.
 *
 * A lead inside the noise is "not shown better", never "equal"; of two
 * policies within noise, the cheaper or simpler one is recommended. (The
 * noise is that of estimating each policy's expected quality and cost from
 * a sample of items; a random mix's own coin averages out over the items it
 * will route, so it adds none.) Every way the test split contradicts the
 * choice is a warning.
 */
import type {BoundOptions, Objective} from './calibrate.js'
import {riskLimit} from './calibrate.js'
import {lossOf, type Scored} from './assess.js'
import {columnOutcomes, mixOutcomes, pointOf, weightedMean, type PolicyOutcomes} from './evaluate.js'
import {pairedDifference, type Interval} from './intervals.js'
import {objectiveMissText, recommendationText, sharePct, testBetterText} from './prose.js'
import type {PolicyRow, Recommendation, TestFigures} from './result.js'

const RULE =
  'Only policies that meet the objective on the calibration split are eligible (a single candidate model, never one dominated on training; a random mix of two; the router at its operating point). With a budget, keep those whose quality is not shown lower than the best; then keep those whose cost is not shown higher than the cheapest; of these, recommend the simplest (one model, then a mix, then the router), the cheaper among equals. "Shown" = beyond the paired 95% interval over calibration items.'

const simplicity = {'single-model': 0, 'two-model-mix': 1, router: 2} as const

/** A policy of the table, before its test figures. */
export interface Candidate {
  policy: PolicyRow['policy']
  label: string
  models: string[]
  share?: number
  cal: PolicyOutcomes
  test: PolicyOutcomes
}

export interface RecommendInputs {
  objective: Objective
  /** The bound that decides α eligibility (the router's operating point used the same). */
  bound: BoundOptions
  cal: Scored
  test: Scored
  /** Candidate models, cheapest on training first; the last is the strongest. */
  candidates: string[]
  /** The router at its operating point, and whether that point met the objective on calibration. */
  router: {label: string; models: string[]; cal: PolicyOutcomes; test: PolicyOutcomes; met: boolean}
}

/** Mean of p − q per item on a split (`field` success or cost) and its paired 95% interval. */
export function difference(p: Candidate, q: Candidate, field: 'success' | 'cost', split: 'cal' | 'test'): Interval {
  return pairedDifference(p[split][field], q[split][field])
}

/** The policies of the table, with calibration outcomes that meet the objective where a share can. */
export function policies(inp: RecommendInputs): Candidate[] {
  const col = (m: string): number => inp.cal.matrix.models.indexOf(m)
  const singles = inp.candidates.map(model => ({
    model,
    cal: columnOutcomes(inp.cal.matrix, col(model)),
    test: columnOutcomes(inp.test.matrix, col(model)),
  }))
  const strong = singles[singles.length - 1]!.cal
  const n = inp.cal.matrix.items.length
  const out: Candidate[] = singles.map(s => ({
    policy: 'single-model',
    label: s.model,
    models: [s.model],
    cal: s.cal,
    test: s.test,
  }))
  for (let a = 0; a < singles.length; a++) {
    for (let b = a + 1; b < singles.length; b++) {
      const A = singles[a]!
      const B = singles[b]!
      const share = mixShare(inp.objective, inp.bound, n, A.cal, B.cal, strong)
      // A share of 0 or 1 is a single model, already in the table.
      if (share === undefined || !(share > 1e-9 && share < 1 - 1e-9)) continue
      out.push({
        policy: 'two-model-mix',
        label: `mix: ${sharePct(share)} ${B.model}, ${sharePct(1 - share)} ${A.model}`,
        models: [A.model, B.model],
        share,
        cal: mixOutcomes(A.cal, B.cal, share),
        test: mixOutcomes(A.test, B.test, share),
      })
    }
  }
  out.push({
    policy: 'router',
    label: inp.router.label,
    models: inp.router.models,
    cal: inp.router.cal,
    test: inp.router.test,
  })
  return out
}

/** The share of `b` that just meets the objective on calibration, when a mix strictly between the two does. */
function mixShare(
  objective: Objective,
  bound: BoundOptions,
  n: number,
  a: PolicyOutcomes,
  b: PolicyOutcomes,
  strong: PolicyOutcomes,
): number | undefined {
  const between = (lo: number, hi: number, target: number): number | undefined =>
    lo < target && hi >= target && hi > lo ? (target - lo) / (hi - lo) : undefined
  switch (objective.kind) {
    case 'keep': {
      const target = objective.keep * pointOf(strong).quality
      return between(pointOf(a).quality, pointOf(b).quality, target)
    }
    case 'alpha': {
      const limit = riskLimit(n, objective.alpha, bound, false)
      const ra = weightedMean(lossOf(a, strong), null)
      const rb = weightedMean(lossOf(b, strong), null)
      // Risk falls from a to b: the share where it reaches the limit.
      return ra > limit && rb <= limit && ra > rb ? (ra - limit) / (ra - rb) : undefined
    }
    case 'max-cost': {
      const ca = pointOf(a).cost
      const cb = pointOf(b).cost
      return ca <= objective.maxCost && cb > objective.maxCost ? (objective.maxCost - ca) / (cb - ca) : undefined
    }
    default:
      return objective satisfies never
  }
}

function isBinary(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0 && v[i] !== 1) return false
  return true
}

/** Does a policy meet the objective on a split? (`strong` = the strongest model's outcomes there.) */
function meets(
  objective: Objective,
  bound: BoundOptions,
  o: PolicyOutcomes,
  strong: PolicyOutcomes,
  onCalibration: boolean,
): boolean {
  const p = pointOf(o)
  switch (objective.kind) {
    case 'keep':
      return p.quality >= objective.keep * pointOf(strong).quality - 1e-9
    case 'alpha': {
      const loss = lossOf(o, strong)
      const risk = weightedMean(loss, null)
      // On calibration: the bound; on test: the rate itself.
      if (!onCalibration) return risk <= objective.alpha + 1e-12
      return risk <= riskLimit(o.success.length, objective.alpha, bound, isBinary(loss)) + 1e-9
    }
    case 'max-cost':
      return p.cost <= objective.maxCost + 1e-12
    default:
      return objective satisfies never
  }
}

/** The rule's choice on calibration, and why each other policy was not it. */
export interface Choice {
  chosen: number | undefined
  rows: Array<{candidate: Candidate; eligible: boolean; note?: string}>
  /** The comparison that decided between the router and the chosen policy, for the words. */
  versus?: {label: string; cost: Interval; quality: Interval}
}

/** Steps 2–4 of the rule, on the calibration split. */
export function choose(inp: RecommendInputs, table: Candidate[]): Choice {
  const strong = table.find(c => c.policy === 'single-model' && c.label === inp.candidates[inp.candidates.length - 1])!
  const rows = table.map(candidate => {
    const eligible =
      candidate.policy === 'router' ? inp.router.met : meets(inp.objective, inp.bound, candidate.cal, strong.cal, true)
    return {candidate, eligible, ...(eligible ? {} : {note: 'misses the objective on calibration'})}
  }) as Choice['rows']
  let pool = rows.map((r, i) => (r.eligible ? i : -1)).filter(i => i >= 0)
  if (pool.length === 0) return {chosen: undefined, rows}
  const cal = (i: number): PolicyOutcomes => rows[i]!.candidate.cal
  const diff = (a: number, b: number, field: 'success' | 'cost'): Interval =>
    difference(rows[a]!.candidate, rows[b]!.candidate, field, 'cal')
  if (inp.objective.kind === 'max-cost') {
    const best = pool.reduce((b, i) => (pointOf(cal(i)).quality > pointOf(cal(b)).quality ? i : b))
    pool = pool.filter(i => {
      const shownWorse = diff(best, i, 'success').low > 0
      if (shownWorse) rows[i]!.note = `quality shown lower than ${rows[best]!.candidate.label}'s`
      return !shownWorse
    })
  }
  const cheapest = pool.reduce((b, i) => (pointOf(cal(i)).cost < pointOf(cal(b)).cost ? i : b))
  pool = pool.filter(i => {
    const shownDearer = diff(i, cheapest, 'cost').low > 0
    if (shownDearer) rows[i]!.note = `cost shown higher than ${rows[cheapest]!.candidate.label}'s`
    return !shownDearer
  })
  const chosen = pool.reduce((b, i) => {
    const si = simplicity[rows[i]!.candidate.policy]
    const sb = simplicity[rows[b]!.candidate.policy]
    return si < sb || (si === sb && pointOf(cal(i)).cost < pointOf(cal(b)).cost) ? i : b
  })
  for (const i of pool) if (i !== chosen) rows[i]!.note = `not shown better than ${rows[chosen]!.candidate.label}`
  const router = rows.findIndex(r => r.candidate.policy === 'router')
  const other = chosen === router ? cheapestSimpler(rows, router) : router
  const versus =
    other >= 0 && other !== chosen && rows[other]!.eligible
      ? {
          label: rows[other]!.candidate.label,
          cost: diff(chosen, other, 'cost'),
          quality: diff(chosen, other, 'success'),
        }
      : undefined
  return {chosen, rows, ...(versus ? {versus} : {})}
}

/** The cheapest eligible policy simpler than the router (what the router had to be shown better than). */
function cheapestSimpler(rows: Choice['rows'], router: number): number {
  let best = -1
  rows.forEach((r, i) => {
    if (i === router || !r.eligible) return
    if (best < 0 || pointOf(r.candidate.cal).cost < pointOf(rows[best]!.candidate.cal).cost) best = i
  })
  return best
}

/**
 * The recommendation: the rule's choice with its test figures (intervals from
 * `figures`, keyed by table row), its plain words, and a warning for every
 * way the test split contradicts it.
 */
export function recommend(
  inp: RecommendInputs,
  table: Candidate[],
  choice: Choice,
  figures: (row: number) => TestFigures,
  strongest: string,
): Recommendation {
  const strongRow = table.findIndex(c => c.policy === 'single-model' && c.label === strongest)
  const strongTest = table[strongRow]!.test
  const strongCal = table[strongRow]!.cal
  const riskOf = (o: PolicyOutcomes, s: PolicyOutcomes): number => weightedMean(lossOf(o, s), null)
  const rows: PolicyRow[] = choice.rows.map(r => ({
    policy: r.candidate.policy,
    label: r.candidate.label,
    models: r.candidate.models,
    ...(r.candidate.share !== undefined ? {share: r.candidate.share} : {}),
    eligible: r.eligible,
    ...(r.note ? {note: r.note} : {}),
    calibration: {...pointOf(r.candidate.cal), risk: riskOf(r.candidate.cal, strongCal)},
    test: {...pointOf(r.candidate.test), risk: riskOf(r.candidate.test, strongTest)},
  }))
  const meetsObjective = choice.chosen !== undefined
  // Nothing eligible: the strongest model for a quality objective, the cheapest candidate for a budget.
  const index =
    choice.chosen ??
    (inp.objective.kind === 'max-cost'
      ? table.findIndex(c => c.policy === 'single-model' && c.label === inp.candidates[0])
      : strongRow)
  const chosen = table[index]!
  const test = figures(index)
  const warnings: string[] = []
  if (!meets(inp.objective, inp.bound, chosen.test, strongTest, false))
    warnings.push(objectiveMissText(inp.objective, chosen.label, test, rows[strongRow]!.test))
  rows.forEach((r, i) => {
    if (i === index || !r.eligible || !meets(inp.objective, inp.bound, table[i]!.test, strongTest, false)) return
    const better =
      inp.objective.kind === 'max-cost'
        ? difference(table[i]!, chosen, 'success', 'test')
        : difference(chosen, table[i]!, 'cost', 'test')
    if (better.low > 0) warnings.push(testBetterText(inp.objective, chosen.label, r.label, better))
  })
  return {
    rule: RULE,
    policy: meetsObjective ? chosen.policy : 'none',
    label: chosen.label,
    models: chosen.models,
    ...(chosen.share !== undefined ? {share: chosen.share} : {}),
    meetsObjective,
    text: recommendationText({
      objective: inp.objective,
      chosen: rows[index]!,
      meetsObjective,
      test,
      strongest,
      strongestTest: rows[strongRow]!.test,
      versus: choice.versus,
      routerEligible: rows.some(r => r.policy === 'router' && r.eligible),
    }),
    warnings,
    calibration: rows[index]!.calibration,
    test,
    table: rows,
    ...(choice.versus
      ? {versus: {label: choice.versus.label, costUsd: choice.versus.cost, quality: choice.versus.quality}}
      : {}),
  }
}
