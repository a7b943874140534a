/** The guards around a router: leakage at training, shift at routing. */
import {describe, expect, it} from 'vitest'
import {buildSpec} from '../../src/learn/featurize.js'
import {auc, leakageWarnings} from '../../src/learn/leakage.js'
import type {Item} from '../../src/learn/outcome-table.js'
import {Rng} from '../../src/learn/random.js'
import type {ModelSummary} from '../../src/learn/result.js'
import {psi, shiftReport} from '../../src/learn/shift.js'

const models = ['a', 'b', 'c']

/** Items with an honest weak feature (length), a category, and outcomes that depend on both a little. */
function items(n: number, seed: number): Item[] {
  const rng = new Rng(seed)
  return Array.from({length: n}, (_, i) => {
    const length = 50 + Math.floor(rng.next() * 500)
    const kind = ['qa', 'code', 'math'][i % 3]!
    const success = models.map((_, m) => (rng.next() < 0.3 + 0.2 * m + (length < 200 ? 0.1 : 0) ? 1 : 0))
    return {
      id: `i${i}`,
      line: i + 1,
      features: {length, kind},
      text: `Question ${Math.floor(rng.next() * 900) + 100}: ${'word '.repeat(5 + (length % 30))}?`,
      models,
      success,
      cost: [0.1, 1, 10],
    }
  })
}

const candidates: ModelSummary[] = models.map(model => ({
  model,
  trainItems: 300,
  trainQuality: 0.5,
  trainCostUsd: 1,
  candidate: true,
}))

describe('leakage at training', () => {
  it('computes a single-feature AUC either way round', () => {
    expect(auc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1)
    expect(auc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(1)
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5)
    expect(auc([1, 2], [1, 1])).toBeNaN()
  })

  it('is quiet on honest features and loud on features derived from the outcomes', () => {
    const train = items(300, 1)
    expect(leakageWarnings(train, buildSpec(train, {buckets: 0}), candidates, models)).toEqual([])
    for (const item of train) {
      const solved = item.models.filter((_, k) => item.success[k]! >= 0.5)
      item.features.oracle_model_to_route_to = solved[0] ?? 'c'
      item.features.models_solved = solved.length
      item.features.c_passed_tests = item.success[2]! * 10 + (item.features.length as number) / 1000
    }
    const warnings = leakageWarnings(train, buildSpec(train, {buckets: 0, use: ['c_passed_tests']}), candidates, models)
    const about = (name: string): string => warnings.find(w => w.message.startsWith(`Feature ${name}:`))?.message ?? ''
    expect(about('oracle_model_to_route_to')).toMatch(/its values name models for 100% of items/)
    expect(about('models_solved')).toMatch(
      /tracks how many models solved the item \(rank correlation (0\.9\d\d|1\.000)\)/,
    )
    expect(about('c_passed_tests')).toMatch(/alone it predicts the success of c with AUC 1\.000/)
    expect(about('length')).toBe('')
    expect(about('kind')).toBe('')
    for (const w of warnings) expect(w.message).toMatch(/--ignore-feature/)
  })
})

describe('shift at routing', () => {
  const train = items(600, 2)
  const spec = buildSpec(train, {buckets: 32, bins: 12})

  it('keeps the training counts and ranges in the spec', () => {
    expect(spec.items).toBe(600)
    const length = spec.numeric.find(c => c.name === 'length')!
    expect(length.min).toBeGreaterThanOrEqual(50)
    expect(length.max).toBeLessThan(550)
    expect(length.counts!.reduce((s, v) => s + v, 0)).toBe(600)
    expect(spec.categorical[0]).toMatchObject({name: 'kind', other: 0, missing: 0, distinct: 3})
  })

  it('finds nothing in fresh items from the same distribution', () => {
    expect(shiftReport(spec, items(300, 3)).findings).toEqual([])
  })

  it('says how many items are unseen, out of range, or drifted', () => {
    const batch = items(200, 4)
    batch.forEach((item, i) => {
      if (i % 4 === 0) item.features.kind = 'poetry'
      item.features.length = 400 + i * 5 // drifts up; from i = 30 on past the training maximum
    })
    const report = shiftReport(spec, batch)
    const find = (feature: string, kind: string) => report.findings.find(f => f.feature === feature && f.kind === kind)
    expect(find('kind', 'unseen-category')).toMatchObject({items: 50, share: 0.25})
    expect(find('kind', 'unseen-category')!.message).toMatch(
      /50 of 200 items \(25\.0%\) have a value the training split never had, e\.g\. "poetry" \(50\)/,
    )
    expect(find('length', 'out-of-range')!.message).toMatch(
      /lie outside the training range \d+–\d+: \d+ above it \(up to 1395\)/,
    )
    expect(find('length', 'drift')!.message).toMatch(/PSI \d+\.\d\d/)
  })

  it('warns when a feature constant in training (left out of the router) takes other values', () => {
    const family = items(600, 6).map(item => ({...item, features: {...item.features, family: 'arc', parts: 1}}))
    const constant = buildSpec(family, {buckets: 32, bins: 12})
    expect(constant.ignored).toEqual(
      expect.arrayContaining([
        {name: 'family', reason: 'constant in the training split', value: 'arc'},
        {name: 'parts', reason: 'constant in the training split', value: 1},
      ]),
    )
    expect(
      shiftReport(
        constant,
        items(200, 7).map(i => ({...i, features: {...i.features, family: 'arc', parts: 1}})),
      ).findings,
    ).toEqual([])
    const other = items(200, 7).map((item, i) => ({
      ...item,
      features: {...item.features, family: i < 150 ? 'mbpp' : 'arc', parts: i < 20 ? 2 : 1},
    }))
    const report = shiftReport(constant, other)
    const find = (feature: string) => report.findings.find(f => f.feature === feature)
    expect(find('family')).toMatchObject({kind: 'unseen-category', items: 150, share: 0.75})
    expect(find('family')!.message).toMatch(
      /150 of 200 items \(75\.0%\) .*it was always "arc"\), e\.g\. "mbpp" \(150\)/,
    )
    expect(find('parts')).toMatchObject({kind: 'out-of-range', items: 20})
    expect(find('parts')!.message).toMatch(/it was always 1\), e\.g\. 2 \(20\)/)
    // One odd item among 200 is within what sampling explains.
    const one = items(200, 7).map((item, i) => ({
      ...item,
      features: {...item.features, family: i === 0 ? 'mbpp' : 'arc'},
    }))
    expect(shiftReport(constant, one).findings).toEqual([])
  })

  it('does not call a small batch drifted for its sampling noise alone', () => {
    expect(psi([5, 5], [500, 500])).toBeCloseTo(0, 6)
    const small = items(20, 5)
    expect(shiftReport(spec, small).findings.filter(f => f.kind === 'drift')).toEqual([])
  })
})
