/**
 * Odd numbers in an outcome table (issue #12): `cost_usd: 1e308` passed the schema and swung the router's APGR
 * (its upper bound past 1); 1e309 parses to Infinity. Every number is bounded: such a line is skipped with its
 * line, and training is what it would be without it.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {isAcoError} from '../../src/errors.js'
import {collectOutcomeTable} from '../../src/learn/outcome-table.js'
import {trainRouter} from '../../src/learn/train.js'
import {renderEvaluationMarkdown, renderTrainSummary} from '../../src/learn/report.js'
import {fixture} from '../helpers.js'

const row = (extra: object): string =>
  JSON.stringify({item_id: 'a', model: 'm1', success: 1, cost_usd: 0.01, features: {n: 1}, ...extra})

describe('odd numbers in outcome lines', () => {
  it('a cost past $10,000, Infinity, a signal or feature past 1e15: each skipped with its line', () => {
    const t = collectOutcomeTable(
      [
        row({cost_usd: 1e308}),
        row({item_id: 'b'}).replace('0.01', '1e309'),
        row({item_id: 'c', signals: {steps: 1e300}}),
        row({item_id: 'd', features: {n: -1e16}}),
        row({item_id: 'e', cost_usd: -0.5}),
        row({item_id: 'f', cost_usd: 12.5, signals: {steps: 40}, features: {n: 1.7e12}}),
      ],
      'o.jsonl',
      'train',
    )
    expect(t.skipped.map(s => [s.line, s.reason.replace(/:? .*/, '')])).toEqual([
      [1, '/cost_usd'],
      [2, '/cost_usd'],
      [3, '/signals/steps'],
      [4, '/features/n'],
      [5, '/cost_usd'],
    ])
    expect(t.items.map(i => i.id)).toEqual(['f'])
  })

  it('training with a cost_usd of 1e308 on one line is training without that line', () => {
    const lines = readFileSync(fixture('routing/outcomes.jsonl'), 'utf8').trim().split('\n')
    const odd = lines.map((l, i) => (i === 7 ? l.replace(/"cost_usd":[0-9.e-]+/, '"cost_usd":1e308') : l))
    const without = lines.filter((_, i) => i !== 7)
    const options = {
      seed: 3,
      split: {fractions: {train: 0.6, calibration: 0.2, test: 0.2}},
      forest: {trees: 8},
      now: () => 0,
    }
    const oddTable = collectOutcomeTable(odd, 'o.jsonl', 'train')
    expect(oddTable.skipped.map(s => s.line)).toEqual([8])
    const a = trainRouter(oddTable, options).result.test
    const b = trainRouter(collectOutcomeTable(without, 'o.jsonl', 'train'), options).result.test
    expect(a.apgr).toEqual(b.apgr)
    expect(a.apgr.high).toBeLessThanOrEqual(1.5)
  })
})

describe('tables too small or too narrow for a router', () => {
  const lines = readFileSync(fixture('routing/outcomes.jsonl'), 'utf8').trim().split('\n')
  const options = {seed: 3, forest: {trees: 4}, now: () => 0}
  const refusal = (table: ReturnType<typeof collectOutcomeTable>): string => {
    try {
      trainRouter(table, options)
      return 'trained'
    } catch (error) {
      return isAcoError(error) ? `${error.code}: ${error.message}` : String(error)
    }
  }

  it('one model: nothing to choose between (no NaN figures, no recommendation)', () => {
    const one = lines.filter(l => JSON.parse(l).model === JSON.parse(lines[0]!).model)
    expect(refusal(collectOutcomeTable(one, 'o.jsonl', 'train'))).toMatch(
      /^too-small: A router chooses between models: the outcomes name one/,
    )
  })

  it('every model failing every item: trained, and no figure printed as NaN (APGR is not defined there)', () => {
    const fail = lines.map(l => JSON.stringify({...JSON.parse(l), success: 0}))
    const {result} = trainRouter(collectOutcomeTable(fail, 'o.jsonl', 'train'), options)
    const full = {...result, skipped: []}
    const text = `${renderTrainSummary(full)}\n${renderEvaluationMarkdown(full, 'frontier.svg')}`
    expect(text).not.toMatch(/NaN/)
    expect(text).toMatch(
      /APGR on test .*: not defined \(on the test items the cheapest model costs no less than the best one, or does as well\)/,
    )
    // Not defined on the items as they are, so no interval either (trial 99 read a null APGR "from −1.04 to 0.75").
    expect(result.test.apgr).toMatchObject({value: Number.NaN, low: Number.NaN, high: Number.NaN})
  })

  it('one model both the cheapest and the best: no "random mix of small and small" (trial 123)', () => {
    const small = new Map(
      lines
        .map(l => JSON.parse(l))
        .filter(r => r.model === 'small')
        .map(r => [r.item_id, r.success]),
    )
    const same = lines.map(l => {
      const row = JSON.parse(l)
      return JSON.stringify({...row, success: small.get(row.item_id)})
    })
    const {result} = trainRouter(collectOutcomeTable(same, 'o.jsonl', 'train'), options)
    expect(result.test.cheapest.model).toBe(result.test.best.model)
    const text = renderEvaluationMarkdown({...result, skipped: []}, 'frontier.svg')
    expect(text).not.toMatch(/random mix of (\S+) and \1\b/)
    expect(text).not.toMatch(/normalised from (\S+)'s \(0\) to \1's \(1\)/)
    expect(text).toContain(
      `| APGR of a random mix of the cheapest and the best model | n/a: ${result.test.best.model} is both on test |`,
    )
  })

  it('the strongest model free: nothing to route, said so (not a router `aco route` refuses, trial 121)', () => {
    const strongest = 'large'
    const free = lines.map(l => {
      const row = JSON.parse(l)
      return JSON.stringify(row.model === strongest ? {...row, cost_usd: 0} : row)
    })
    expect(lines.some(l => JSON.parse(l).model === strongest)).toBe(true)
    expect(refusal(collectOutcomeTable(free, 'o.jsonl', 'train'))).toMatch(
      new RegExp(
        `^too-small: On the training split, ${strongest} succeeds on [\\d.]+% of items for \\$0\\.00 per item: every other model .* send every item to ${strongest}`,
      ),
    )
  })

  it('the strongest model free and the others nearly so: their costs in decimals, not `$1.00e-7` (review 122)', () => {
    const strongest = 'large'
    const tiny = lines.map(l => {
      const row = JSON.parse(l)
      return JSON.stringify({...row, cost_usd: row.model === strongest ? 0 : 1e-7})
    })
    const text = refusal(collectOutcomeTable(tiny, 'o.jsonl', 'train'))
    expect(text).toMatch(/every other model \(\w+ [\d.]+% for \$0\.000000100/)
    expect(text).not.toMatch(/\de-\d/)
  })

  it('a model named another way on a few lines: the refusal names it with the items it has (trial 121)', () => {
    const typo = lines.map((l, k) => {
      const row = JSON.parse(l)
      return JSON.stringify(k % 40 === 0 && row.model === 'medium' ? {...row, model: 'medum'} : row)
    })
    expect(typo.filter(l => l.includes('"medum"')).length).toBeGreaterThan(0)
    expect(refusal(collectOutcomeTable(typo, 'o.jsonl', 'train'))).toMatch(
      /^too-small: No calibration or test item has an outcome for every model \(0 calibration, 0 test\): of the \d+ items held out, medum has outcomes for \d+/,
    )
  })

  it('a handful of items: too few to train, calibrate and test (the README flow from six runs)', () => {
    const ids = [...new Set(lines.map(l => JSON.parse(l).item_id as string))].slice(0, 6)
    const few = lines.filter(l => ids.includes(JSON.parse(l).item_id))
    expect(refusal(collectOutcomeTable(few, 'o.jsonl', 'train'))).toMatch(
      /^too-small: Too few items to train and check a router: .*10 each at least/,
    )
  })
})
