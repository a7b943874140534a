/**
 * The recommendation rule on constructed cases: every figure is chosen by
 * hand, so what the rule must say is known. The last test checks the promise
 * on many random cases: the recommendation never contradicts its own table.
 */
import {describe, expect, it} from 'vitest'
import type {Scored} from '../../src/learn/assess.js'
import type {BoundOptions, Objective} from '../../src/learn/calibrate.js'
import {pointOf, type PolicyOutcomes} from '../../src/learn/evaluate.js'
import {Rng} from '../../src/learn/random.js'
import {choose, difference, policies, recommend, type RecommendInputs} from '../../src/learn/recommend.js'
import type {PolicyRow, TestFigures} from '../../src/learn/result.js'
import {
  points,
  recommendationText,
  type RecommendationWords,
  sharePct,
  thresholdText,
  usd,
} from '../../src/learn/prose.js'

const models = ['cheap', 'mid', 'strong']

const interval = (value: number, low = value, high = value) => ({value, low, high})

/** The words of a recommendation of `chosen` (weighed against `versus`), its other figures fixed. */
function wordsFor(
  chosen: Pick<PolicyRow, 'policy' | 'label' | 'models' | 'share'>,
  versus: RecommendationWords['versus'],
  objective: Objective = {kind: 'keep', keep: 0.88},
): RecommendationWords {
  const point = {quality: 0.9, cost: 0.01, risk: 0}
  const t = interval
  return {
    objective,
    chosen: {...chosen, eligible: true, calibration: point, test: point},
    meetsObjective: true,
    test: {quality: t(0.9), cost: t(0.01), saving: t(0.5), qualityLoss: t(0.01), risk: t(0.02)},
    strongest: 'strong',
    strongestTest: {quality: 0.91, cost: 0.02},
    versus,
    routerEligible: true,
  }
}
const marginal: BoundOptions = {guarantee: 'marginal', delta: 0.1}

/** A split where model m succeeds on item i with `success[m](i)` and costs `cost[m](i)`. */
function scored(n: number, success: Array<(i: number) => number>, cost: Array<(i: number) => number>): Scored {
  const w = models.length
  const s = new Float64Array(n * w)
  const c = new Float64Array(n * w)
  for (let i = 0; i < n; i++)
    for (let m = 0; m < w; m++) {
      s[i * w + m] = success[m]!(i)
      c[i * w + m] = cost[m]!(i)
    }
  const ids = Array.from({length: n}, (_, i) => `i${i}`)
  return {
    items: ids.map(id => ({id, line: 1, features: {}, models, success: [], cost: []})),
    matrix: {items: ids, models, success: s, cost: c},
    incomplete: 0,
  }
}

/** Outcomes of picking, per item, the model `pick(i)`. */
function picked(split: Scored, pick: (i: number) => number): PolicyOutcomes {
  const n = split.matrix.items.length
  const success = new Float64Array(n)
  const cost = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    success[i] = split.matrix.success[i * 3 + pick(i)]!
    cost[i] = split.matrix.cost[i * 3 + pick(i)]!
  }
  return {success, cost}
}

/** Test figures without intervals (the rule reads only the points). */
function figures(o: PolicyOutcomes, strong: PolicyOutcomes): TestFigures {
  const p = pointOf(o)
  const s = pointOf(strong)
  const at = (value: number) => ({value, low: value, high: value})
  const risk = o.success.reduce((sum, v, i) => sum + Math.max(0, strong.success[i]! - v), 0) / o.success.length
  return {
    quality: at(p.quality),
    cost: at(p.cost),
    saving: at(1 - p.cost / s.cost),
    qualityLoss: at(s.quality - p.quality),
    risk: at(risk),
  }
}

function run(
  objective: Objective,
  cal: Scored,
  test: Scored,
  router: {cal: PolicyOutcomes; test: PolicyOutcomes; met: boolean},
) {
  const inp: RecommendInputs = {
    objective,
    bound: marginal,
    cal,
    test,
    candidates: models,
    router: {label: 'router', models, ...router},
  }
  const table = policies(inp)
  const choice = choose(inp, table)
  const strongTest = table[2]!.test
  return recommend(inp, table, choice, i => figures(table[i]!.test, strongTest), 'strong')
}

// 400 items: strong solves 90%, mid 85%, cheap 60% (or `cheapQuality`); costs 10, 4, 1 with a little spread per item.
const n = 400
const base = (seed: number, cheapQuality = 0.6) => {
  const rng = new Rng(seed)
  const u = Array.from({length: n}, () => rng.next())
  return scored(
    n,
    [i => (u[i]! < cheapQuality ? 1 : 0), i => (u[i]! < 0.85 ? 1 : 0), i => (u[i]! < 0.9 ? 1 : 0)],
    [i => 1 + (i % 3) * 0.1, i => 4 + (i % 5) * 0.2, i => 10 + (i % 7) * 0.3],
  )
}

describe('the recommendation rule', () => {
  it("prefers a single model that meets the objective when the router is not shown cheaper: 'not shown better', never 'equal'", () => {
    // The objective is exactly mid's quality share, so no mix with a cheaper model meets it; the router is mid
    // except on a few items cheap also solves: as good, a few cents cheaper, within noise.
    const cal = base(1)
    const test = base(2)
    const route = (split: Scored) => (i: number) => (i % 100 === 0 && split.matrix.success[i * 3]! ? 0 : 1)
    const keep = pointOf(picked(cal, () => 1)).quality / pointOf(picked(cal, () => 2)).quality
    const rec = run({kind: 'keep', keep}, cal, test, {
      cal: picked(cal, route(cal)),
      test: picked(test, route(test)),
      met: true,
    })
    expect(rec.policy).toBe('single-model')
    expect(rec.label).toBe('mid')
    expect(rec.text).toMatch(/not shown better/)
    expect(rec.text).not.toMatch(/does as well|equal/)
    expect(rec.text).toMatch(
      /^Use mid alone\. On the test split it costs \$.* saving .* of strong's cost; its quality is \d+\.\d% against \d+\.\d%.*The router also meets the objective on calibration but is not shown better: it costs \$[0-9.]+ per item less than this policy/,
    )
    expect(rec.table.find(r => r.policy === 'router')!.note).toBe('not shown better than mid')
  })

  it('says what the intervals of the router against the simpler policy say: within noise, or dearer beyond it (trial 33)', () => {
    const words = (cost: [number, number, number], objective: Objective = {kind: 'keep', keep: 0.88}) =>
      recommendationText(
        wordsFor(
          {policy: 'single-model', label: 'mid', models: ['mid']},
          // This policy minus the router, on calibration.
          {label: 'router', cost: interval(...cost), quality: interval(0.001, -0.01, 0.012)},
          objective,
        ),
      )
    // The router $0.0000194 dearer, its interval above zero: dearer beyond noise, not "within noise".
    const dearer = words([-0.0000194, -0.0000299, -0.00000889])
    expect(dearer).toMatch(
      /costs \$0\.0000194 per item more than this policy \(95% interval of the difference \$0\.00000889 to \$0\.0000299\)/,
    )
    expect(dearer).toMatch(/, dearer beyond noise; the simpler policy is recommended\.$/)
    expect(dearer).not.toMatch(/within noise/)
    expect(words([0.0014, -0.0003, 0.0031])).toMatch(/, within noise on cost; the simpler policy is recommended\.$/)
    const budget: Objective = {kind: 'max-cost', maxCost: 0.02}
    expect(words([0.0014, -0.0003, 0.0031], budget)).toMatch(/, within noise on quality or cost; the simpler/)
    expect(words([-0.0000194, -0.0000299, -0.00000889], budget)).toMatch(
      /, within noise on quality, dearer beyond noise; the/,
    )
  })

  it('writes figures as a person reads them: a minus sign, decimals for a tiny cost, ∞ for the frontier ends (trial 33)', () => {
    expect(points(-0.074)).toBe('−7.4 points')
    expect(points(0.079)).toBe('7.9 points')
    expect(points(-0.0001)).toBe('0.0 points')
    expect(usd(0.000000314)).toBe('$0.000000314')
    expect(usd(-0.00306)).toBe('−$0.00306')
    expect(usd(0.015)).toBe('$0.0150')
    expect(usd(0)).toBe('$0.0000')
    expect(thresholdText(-1e9)).toBe('−∞')
    expect(thresholdText(1e9)).toBe('+∞')
    expect(thresholdText(0.0662)).toBe('0.0662')
  })

  it("writes a mix's share with a decimal where whole percents would say none or all (trial 33: 0.33% read '0%')", () => {
    const mix = (share: number) =>
      recommendationText(
        wordsFor({policy: 'two-model-mix', label: 'mix', models: ['cheap', 'strong'], share}, undefined),
      )
    expect(mix(0.0033)).toMatch(/^Use a random mix: send 0\.3% of items to strong and the rest to cheap\./)
    expect(mix(0.999)).toMatch(/send 99\.9% of items/)
    expect(mix(0.78)).toMatch(/send 78% of items/)
    // As many decimals as it takes (review 33: 0.04% read "0.0%").
    expect(sharePct(0.0004)).toBe('0.04%')
    expect(sharePct(0.9996)).toBe('99.96%')
    expect(sharePct(0.5)).toBe('50%')
    // A quality loss's interval with the minus sign (review 33: "95% interval -0.3 to 4.2 points").
    expect(
      recommendationText({
        ...wordsFor({policy: 'single-model', label: 'mid', models: ['mid']}, undefined),
        test: {
          quality: interval(0.9),
          cost: interval(0.01),
          saving: interval(0.5),
          qualityLoss: interval(0.019, -0.003, 0.042),
          risk: interval(0.02),
        },
      }),
    ).toMatch(/1\.9 points lower \(95% interval −0\.3 to 4\.2 points\)/)
  })

  it('recommends the router when it meets the objective and is shown cheaper than every simpler policy that does', () => {
    const cal = base(1)
    const test = base(2)
    // An oracle-like router: cheap where cheap succeeds, else mid where mid does, else strong.
    const route = (split: Scored) => (i: number) =>
      split.matrix.success[i * 3]! ? 0 : split.matrix.success[i * 3 + 1]! ? 1 : 2
    const rec = run({kind: 'keep', keep: 0.95}, cal, test, {
      cal: picked(cal, route(cal)),
      test: picked(test, route(test)),
      met: true,
    })
    expect(rec.policy).toBe('router')
    expect(rec.text).toMatch(/The router is shown cheaper on calibration than/)
  })

  it('never recommends a policy that misses the objective on calibration, and says so when nothing meets it', () => {
    const cal = base(1)
    const test = base(2)
    const route = (i: number): number => (i % 2 === 0 ? 0 : 2)
    // α = 0.05: cheap (risk 30%) and mid (risk 5% > the bound) are out; strong and the mixes that reach the bound are in.
    const rec = run({kind: 'alpha', alpha: 0.05}, cal, test, {
      cal: picked(cal, route),
      test: picked(test, route),
      met: false,
    })
    const chosen = rec.table.find(r => r.label === rec.label)!
    expect(chosen.eligible).toBe(true)
    expect(rec.table.find(r => r.label === 'cheap')!.eligible).toBe(false)
    expect(rec.table.find(r => r.policy === 'router')!.eligible).toBe(false)
    // Nothing keeps 120% of the strongest model's quality.
    const none = run({kind: 'keep', keep: 1.2}, cal, test, {
      cal: picked(cal, route),
      test: picked(test, route),
      met: false,
    })
    expect(none.policy).toBe('none')
    expect(none.meetsObjective).toBe(false)
    expect(none.label).toBe('strong')
    expect(none.text).toMatch(/^No policy meets the objective/)
  })

  it('with a budget, takes the best quality within it, then the cheaper of two within noise', () => {
    const cal = base(1)
    const test = base(2)
    const route = (i: number): number => (i % 2 === 0 ? 1 : 2)
    const rec = run({kind: 'max-cost', maxCost: 5}, cal, test, {
      cal: picked(cal, route),
      test: picked(test, route),
      met: false,
    })
    // mid (cost ~4.4) is within the budget; strong and the router are not. The mix of mid and strong that spends the
    // whole budget is shown better than mid alone in expected quality (it sends 9% of items to strong): it wins.
    for (const row of rec.table) if (row.calibration.cost > 5 + 1e-9) expect(row.eligible).toBe(false)
    expect(rec.label).toBe('mix: 9% strong, 91% mid')
    expect(rec.table.find(r => r.label === 'mid')!.note).toBe("quality shown lower than mix: 9% strong, 91% mid's")
    // With a budget mid alone just fits and nothing better does: mid.
    const maxCost = pointOf(picked(cal, () => 1)).cost
    const tight = run({kind: 'max-cost', maxCost}, cal, test, {
      cal: picked(cal, route),
      test: picked(test, route),
      met: false,
    })
    expect(tight.label).toBe('mid')
  })

  it('warns whenever the test split contradicts the recommendation', () => {
    const cal = base(1)
    // On test, mid collapses to 70%: keeping 90% of strong's quality fails there.
    const rng = new Rng(9)
    const u = Array.from({length: n}, () => rng.next())
    const test = scored(
      n,
      [i => (u[i]! < 0.6 ? 1 : 0), i => (u[i]! < 0.7 ? 1 : 0), i => (u[i]! < 0.9 ? 1 : 0)],
      [() => 1, () => 4, () => 10],
    )
    const route = (): number => 2
    const rec = run({kind: 'keep', keep: 0.9}, cal, test, {
      cal: picked(cal, route),
      test: picked(test, route),
      met: true,
    })
    expect(rec.meetsObjective).toBe(true)
    expect(rec.warnings.join(' ')).toMatch(
      /On the test split .* keeps \d+\.\d% of the strongest model's quality.*below the 90% asked/,
    )
  })

  it('never contradicts its own table (random constructed cases)', () => {
    const rng = new Rng(2024)
    for (let trial = 0; trial < 40; trial++) {
      const q = [0.4 + 0.2 * rng.next(), 0.6 + 0.2 * rng.next(), 0.8 + 0.15 * rng.next()]
      const c = [1, 2 + 3 * rng.next(), 8 + 4 * rng.next()]
      const make = (seed: number) => {
        const r = new Rng(seed)
        const u = Array.from({length: 300}, () => r.next())
        return scored(
          300,
          q.map(qm => (i: number) => (u[i]! < qm ? 1 : 0)),
          c.map(cm => (i: number) => cm * (0.8 + (0.4 * ((i * 7919) % 13)) / 13)),
        )
      }
      const cal = make(trial * 2 + 1)
      const test = make(trial * 2 + 2)
      const share = rng.next()
      const route = (split: Scored) => (i: number) =>
        split.matrix.success[i * 3 + 1]! && (i * 31) % 100 < share * 100 ? 1 : split.matrix.success[i * 3]! ? 0 : 2
      const objectives: Objective[] = [
        {kind: 'keep', keep: 0.9 + 0.1 * rng.next()},
        {kind: 'alpha', alpha: 0.05 + 0.1 * rng.next()},
        {kind: 'max-cost', maxCost: 2 + 8 * rng.next()},
      ]
      for (const objective of objectives) {
        const inp: RecommendInputs = {
          objective,
          bound: marginal,
          cal,
          test,
          candidates: models,
          router: {label: 'router', models, cal: picked(cal, route(cal)), test: picked(test, route(test)), met: true},
        }
        const table = policies(inp)
        const choice = choose(inp, table)
        if (choice.chosen === undefined) continue
        const chosen = choice.rows[choice.chosen]!
        // The recommended row meets the objective on calibration...
        expect(chosen.eligible).toBe(true)
        for (const row of choice.rows) {
          if (!row.eligible || row === chosen) continue
          const cost = difference(chosen.candidate, row.candidate, 'cost', 'cal')
          const quality = difference(row.candidate, chosen.candidate, 'success', 'cal')
          if (objective.kind === 'max-cost') {
            // ...no eligible policy is shown better in quality and not shown dearer...
            expect(quality.low > 0 && cost.low >= 0 && cost.value > 0, `${row.candidate.label} beats the pick`).toBe(
              false,
            )
          } else {
            // ...no eligible policy is shown cheaper...
            expect(cost.low > 0, `${row.candidate.label} is shown cheaper than ${chosen.candidate.label}`).toBe(false)
          }
        }
      }
    }
  })
})
