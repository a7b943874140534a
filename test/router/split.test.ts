import {describe, expect, it} from 'vitest'
import {collectOutcomeTable} from '../../src/learn/outcome-table.js'
import {defaultFractions, parseFractions, parseTestWhere, splitItems} from '../../src/learn/split.js'

/** 40 items × 3 models, shuffled line order. */
function lines(order: 'forward' | 'reverse'): string[] {
  const out: string[] = []
  for (let i = 0; i < 40; i++) {
    for (const model of ['a', 'b', 'c']) {
      out.push(
        JSON.stringify({
          item_id: `item-${i}`,
          model,
          success: (i + model.length) % 2,
          cost_usd: 0.001,
          features: {split: i % 5 === 0 ? 'test' : 'train', n: i},
        }),
      )
    }
  }
  return order === 'forward' ? out : out.reverse()
}

describe('splits grouped by item', () => {
  it('puts every item, with all its rows, in exactly one split', () => {
    const table = collectOutcomeTable(lines('forward'), 'mem.jsonl', 'train')
    const s = splitItems(table.items, {fractions: {train: 0.6, calibration: 0.2, test: 0.2}, seed: 7})
    const ids = [...s.train, ...s.calibration, ...s.test].map(i => i.id)
    expect(new Set(ids).size).toBe(40)
    expect(ids.length).toBe(40)
    for (const item of [...s.train, ...s.calibration, ...s.test]) expect(item.models).toEqual(['a', 'b', 'c'])
    expect(s.test.length).toBe(8)
    expect(s.calibration.length).toBe(8)
    expect(s.train.length).toBe(24)
  })

  it('is the same for a seed whatever the line order, and differs across seeds', () => {
    const a = splitItems(collectOutcomeTable(lines('forward'), 'f', 'train').items, {
      fractions: {train: 0.6, calibration: 0.2, test: 0.2},
      seed: 3,
    })
    const b = splitItems(collectOutcomeTable(lines('reverse'), 'f', 'train').items, {
      fractions: {train: 0.6, calibration: 0.2, test: 0.2},
      seed: 3,
    })
    const c = splitItems(collectOutcomeTable(lines('forward'), 'f', 'train').items, {
      fractions: {train: 0.6, calibration: 0.2, test: 0.2},
      seed: 4,
    })
    const ids = (s: typeof a) => s.test.map(i => i.id).sort()
    expect(ids(a)).toEqual(ids(b))
    expect(ids(a)).not.toEqual(ids(c))
  })

  it('--test-where takes the named items as test and carves calibration from the rest', () => {
    const table = collectOutcomeTable(lines('forward'), 'f', 'train')
    const s = splitItems(table.items, {
      fractions: {train: 0.75, calibration: 0.25, test: 0},
      testWhere: parseTestWhere('split=test'),
      seed: 1,
    })
    expect(s.method).toBe('feature')
    expect(s.test.map(i => i.features.n).sort((x, y) => Number(x) - Number(y))).toEqual([0, 5, 10, 15, 20, 25, 30, 35])
    expect(s.calibration.length).toBe(8)
    expect(s.train.length).toBe(24)
    for (const item of [...s.train, ...s.calibration]) expect(item.features.split).toBe('train')
  })

  it('says a --test-where no item matches as such, with the values there are (trial 72: "change the shares with --split")', () => {
    const items = Array.from({length: 20}, (_, n) => ({id: `i${n}`, features: {n, split: n % 4 ? 'train' : 'test'}}))
    const split = (where: string) =>
      splitItems(items, {fractions: defaultFractions, seed: 1, testWhere: parseTestWhere(where)})
    expect(() => split('split=nosuch')).toThrow(/no item has split = nosuch \(its values: test, train\)/)
    expect(() => split('fold=3')).toThrow(/no item has fold = 3; no item has a feature fold/)
    expect(split('split=test').test).toHaveLength(5)
  })

  it('parses shares and refuses nonsense', () => {
    expect(parseFractions('3,1,1')).toEqual({train: 0.6, calibration: 0.2, test: 0.2})
    expect(() => parseFractions('0.5,0.5')).toThrow(/three shares/)
    expect(() => parseFractions('1,0,1')).toThrow(/three shares/)
    expect(() => parseTestWhere('split')).toThrow(/NAME=VALUE/)
  })
})
