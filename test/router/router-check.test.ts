/**
 * A router.json that passes the schema but whose trees loop, whose indexes
 * leave their arrays, or whose sizes are absurd is refused when loaded: it
 * used to hang `route()` (children pointing back to the root), change
 * decisions silently (a feature past the row), or allocate a gigabyte
 * (`columns: 1e9`).
 */
import {beforeAll, describe, expect, it} from 'vitest'
import {loadRouter, route} from '../../src/index.js'
import type {ForestJson} from '../../src/learn/forest.js'
import {attachTexts, readOutcomeTable, readTexts} from '../../src/learn/outcome-table.js'
import {forestProblem} from '../../src/learn/router-check.js'
import type {RouterJson} from '../../src/learn/router.js'
import {trainRouter} from '../../src/learn/train.js'
import {fixture} from '../helpers.js'

/** One tree: a root splitting on column 0 at bin 3 into two leaves. */
const stump = (): ForestJson => ({
  roots: [0],
  feature: [0, -1, -1],
  split: [3, 0, 0],
  child: [1, 0, 0],
  value: [0.5, 0.2, 0.9],
  base: 0.5,
})

describe('forestProblem', () => {
  it('accepts a tree whose children follow their parent', () => {
    expect(forestProblem(stump(), 4)).toBeUndefined()
  })

  it.each([
    ['a child pointing back to the root (a cycle)', (f: ForestJson) => (f.child[0] = 0), /cycle or out of range/],
    ['children past the end', (f: ForestJson) => (f.child[0] = 2), /cycle or out of range/],
    ['a root outside the nodes', (f: ForestJson) => (f.roots[0] = 7), /tree 0 starts at node 7/],
    ['a feature past the columns', (f: ForestJson) => (f.feature[0] = 4), /column 4, but the router has 4 columns/],
    ['a split outside the bins', (f: ForestJson) => (f.split[0] = 300), /bin 300/],
    ['arrays of different lengths', (f: ForestJson) => f.value.pop(), /differ in length/],
    ['a fractional index', (f: ForestJson) => (f.child[0] = 1.5), /cycle or out of range/],
  ])('refuses %s', (_, spoil, message) => {
    const forest = stump()
    spoil(forest)
    expect(forestProblem(forest, 4)).toMatch(message)
  })
})

describe('loadRouter checks the structure', () => {
  let router: RouterJson
  beforeAll(async () => {
    const table = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
    const split = {fractions: {train: 0.6, calibration: 0.2, test: 0.2}}
    router = trainRouter(table, {seed: 3, engine: 'hist', split, forest: {trees: 4}, now: () => 0}).router
  })

  it('a trained router loads and routes', () => {
    expect(typeof route(loadRouter(router), {features: {}})).toBe('string')
  })

  it('a router trained with the prompts refuses an item without its text, as aco route refuses a run without --text', async () => {
    const table = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
    attachTexts(table.items, (await readTexts(fixture('routing/prompts.jsonl'))).texts)
    const split = {fractions: {train: 0.6, calibration: 0.2, test: 0.2}}
    const withText = trainRouter(table, {seed: 3, engine: 'hist', split, forest: {trees: 4}, now: () => 0}).router
    expect(withText.features.text).toBeDefined()
    const loaded = loadRouter(withText)
    expect(() => route(loaded, {features: {}})).toThrow(
      /^route: the router was trained with the items' prompts \(--text\), and the item has no text\.$/,
    )
    // An item with no prompt says so with '' (routed on its features alone, as aco route routes it).
    expect(typeof route(loaded, {features: {}, text: ''})).toBe('string')
    expect(typeof route(loaded, {features: {}, text: 'What is 2 + 2?'})).toBe('string')
    // A router trained without them needs none.
    expect(router.features.text ?? undefined).toBeUndefined()
  })

  it('refuses a tree that loops back to its root, instead of hanging route()', () => {
    const bad = structuredClone(router)
    const estimator = bad.models[0]!.estimator
    if (estimator.engine !== 'hist') throw new Error('a forest was asked for')
    const forest: ForestJson = estimator
    const internal = forest.feature.findIndex((f: number) => f >= 0)
    expect(internal).toBeGreaterThanOrEqual(0)
    forest.child[internal] = forest.roots[0]!
    expect(() => loadRouter(bad)).toThrow(/not a valid router: the forest of .*cycle/)
  })

  it('refuses columns: 1e9 before allocating a row of that size', () => {
    const bad = structuredClone(router)
    bad.features.columns = 1e9
    expect(() => loadRouter(bad)).toThrow(/features.columns is 1000000000/)
  })
})

describe('loadRouter checks that each estimator fits the features', () => {
  const train = async (engine: 'logistic' | 'knn'): Promise<RouterJson> => {
    const table = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
    const split = {fractions: {train: 0.6, calibration: 0.2, test: 0.2}}
    return trainRouter(table, {seed: 3, engine, split, now: () => 0}).router
  }

  it('refuses logistic weights fewer than the features (they gave NaN, and NaN sent every item to one model)', async () => {
    const router = await train('logistic')
    expect(() => loadRouter(structuredClone(router))).not.toThrow()
    const bad = structuredClone(router)
    const estimator = bad.models[0]!.estimator
    if (estimator.engine !== 'logistic') throw new Error('a logistic regression was asked for')
    estimator.weights.pop()
    expect(() => loadRouter(bad)).toThrow(
      /not a valid router: the estimator of .*logistic regression has \d+ weights, the features give \d+/,
    )
  })

  it('refuses kNN labels that are not one per reference item, and a reference feature out of range', async () => {
    const router = await train('knn')
    expect(() => loadRouter(structuredClone(router))).not.toThrow()
    const fewer = structuredClone(router)
    const estimator = fewer.models[0]!.estimator
    if (estimator.engine !== 'knn') throw new Error('a kNN was asked for')
    estimator.labels.pop()
    expect(() => loadRouter(fewer)).toThrow(/kNN estimator has \d+ labels for \d+ reference items/)
    const outside = structuredClone(router)
    outside.references!.index[0] = outside.references!.dims + 5
    expect(() => loadRouter(outside)).toThrow(/a reference item has feature \d+, outside 0\.\.\d+/)
  })

  it('refuses a feature spec whose column count is not the sum of its columns', async () => {
    const router = await train('logistic')
    router.features.columns += 1
    expect(() => loadRouter(router)).toThrow(/features\.columns is \d+, its columns number \d+/)
  })
})
