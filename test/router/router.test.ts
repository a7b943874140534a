import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {check} from '../../src/util/schemas.js'
import {loadRouter, route} from '../../src/index.js'
import {attachTexts, readOutcomeTable, readTexts, type OutcomeTable} from '../../src/learn/outcome-table.js'
import {routeItems, sweepThresholds, type RouterJson} from '../../src/learn/router.js'
import {splitItems} from '../../src/learn/split.js'
import type {TrainResult} from '../../src/learn/result.js'
import {trainRouter} from '../../src/learn/train.js'
import {renderTrainSummary} from '../../src/learn/report.js'
import {fixture} from '../helpers.js'

let table: OutcomeTable
let router: RouterJson
let result: Omit<TrainResult, 'skipped' | 'written'>
const fractions = {train: 0.6, calibration: 0.2, test: 0.2}

beforeAll(async () => {
  table = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
  attachTexts(table.items, (await readTexts(fixture('routing/prompts.jsonl'))).texts)
  ;({router, result} = trainRouter(table, {seed: 3, split: {fractions}, forest: {trees: 16}, now: () => 0}))
})

describe('a trained router', () => {
  it('matches schemas/router.schema.json and the result matches train-result (with skipped)', () => {
    expect(check('router', router)).toBeUndefined()
    expect(check('train-result', {...result, skipped: []})).toBeUndefined()
    expect(check('router', {...router, rule: 'psychic'})).toMatch(/rule/)
  })

  it('says when only some items have a prompt, and not when all do (trial 87)', async () => {
    const noPrompt = (w: {message: string}): boolean => / items have no prompt/.test(w.message)
    expect(result.warnings.filter(noPrompt)).toEqual([])
    const half = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
    attachTexts(half.items, (await readTexts(fixture('routing/prompts.jsonl'))).texts)
    for (const item of half.items.slice(0, Math.floor(half.items.length / 2))) delete item.text
    const withText = half.items.filter(i => i.text !== undefined).length
    const trained = trainRouter(half, {seed: 3, split: {fractions}, forest: {trees: 16}, now: () => 0}).result
    expect(trained.warnings.filter(noPrompt).map(w => w.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^${half.items.length - withText} of ${half.items.length} items have no prompt`),
      ),
    ])
    expect(check('train-result', {...trained, skipped: []})).toBeUndefined()
  })

  it('says how many calibration items the bounds read where some lack a model (trial 87: 382 against 378)', () => {
    const whole = renderTrainSummary({...result, skipped: []})
    expect(whole).toMatch(new RegExp(`calibrated on ${result.split.calibration}, tested on`))
    const n = result.split.calibration - 4
    const some = renderTrainSummary({...result, conformal: {...result.conformal, n}, skipped: []})
    expect(some).toContain(
      `calibrated on ${result.split.calibration} (${n} of them with every model's outcome, which the bounds read)`,
    )
  })

  it('is deterministic for a seed (clock aside)', () => {
    const again = trainRouter(table, {seed: 3, split: {fractions}, forest: {trees: 16}, now: () => 0}).router
    expect(JSON.stringify(again)).toBe(JSON.stringify(router))
  })

  it('routes, through the library entry, exactly as the evaluation scored: the claimed test curve is reproducible', () => {
    const loaded = loadRouter(router)
    const test = splitItems(table.items, {fractions, seed: 3}).test.filter(i => i.models.length === 3)
    expect(test.length).toBe(result.test.items)
    for (const point of result.test.curve) {
      let quality = 0
      let cost = 0
      for (const item of test) {
        const model = route(loaded, {features: item.features, text: item.text}, point.threshold)
        const k = item.models.indexOf(model)
        quality += item.success[k]!
        cost += item.cost[k]!
      }
      expect(quality / test.length).toBeCloseTo(point.quality, 12)
      expect(cost / test.length).toBeCloseTo(point.cost, 12)
    }
  })

  it("respects an item's candidates and refuses an item none of whose models it knows", () => {
    const loaded = loadRouter(router)
    const item = table.items[0]!
    expect(loaded.route({features: item.features, text: item.text, candidates: ['medium']})).toBe('medium')
    expect(() => loaded.route({features: item.features, candidates: ['gpt-9']})).toThrow(/None of the item's models/)
    const run = routeItems(loaded, [{...item, models: ['gpt-9']}, item], 'x.jsonl')
    expect(run.decisions!.map(d => d.item_id)).toEqual([item.id])
    expect(run.skipped[0]).toMatchObject({path: 'x.jsonl', line: item.line})
    expect(run.skipped[0]!.routed).toBeUndefined()
  })

  it('routes items that lack the strongest model among the others, and says so as routed, not skipped (trial 74)', () => {
    const loaded = loadRouter(router)
    const strongest = loaded.models[loaded.models.length - 1]!
    const lacking = table.items.slice(0, 3).map(i => ({...i, models: i.models.filter(m => m !== strongest)}))
    const run = routeItems(loaded, lacking, 'x.jsonl')
    expect(run.decisions).toHaveLength(3)
    expect(run.skipped).toEqual([
      {
        path: 'x.jsonl',
        line: lacking[0]!.line,
        reason: expect.stringMatching(/^3 items have no outcome/),
        routed: true,
        items: 3,
      },
    ])
    expect(check('route-result', {schemaVersion: '1.0', router: 'r.json', ...run})).toBeUndefined()
  })

  it('says of lines naming a model it was never trained on that they were left out (trial 99: a renamed cheap model)', () => {
    const loaded = loadRouter(router)
    const items = table.items.slice(0, 4).map((i, k) => (k < 3 ? {...i, models: [...i.models, 'cheap-v2']} : i))
    const run = routeItems(loaded, items, 'x.jsonl')
    expect(run.decisions).toHaveLength(4)
    expect(run.decisions!.map(d => d.model)).not.toContain('cheap-v2')
    expect(run.skipped).toEqual([
      {
        path: 'x.jsonl',
        line: items[0]!.line,
        reason: expect.stringMatching(
          /^3 items name a model the router was not trained on \(cheap-v2: 3\): not a candidate/,
        ),
        routed: true,
        items: 3,
      },
    ])
    // A model of the training table that was no candidate is known: nothing to say of it.
    const trained = loadRouter({...router, training: {...router.training, models: [...loaded.models, 'cheap-v2']}})
    expect(routeItems(trained, items, 'x.jsonl').skipped).toEqual([])
    // A router trained before the table's models were kept cannot tell: nothing said (review 102: exit 3 on old routers).
    const {models: _, ...older} = router.training
    expect(routeItems(loadRouter({...router, training: older}), items, 'x.jsonl').skipped).toEqual([])
  })

  it('--sweep picks thresholds spread along the saved frontier, from the cheap end to the strong end', () => {
    const three = sweepThresholds(router, 3)
    expect(three[0]).toBe(router.grid[0])
    expect(three[three.length - 1]).toBe(router.grid[router.grid.length - 1])
    const all = sweepThresholds(router, 1000)
    for (const p of router.frontier) expect(all).toContain(p.threshold)
    expect(sweepThresholds(router, 1)).toEqual([router.operatingPoint.threshold])
  })

  it('loads from a file, and refuses one that is not a router', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-router-'))
    writeFileSync(join(dir, 'router.json'), JSON.stringify(router))
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({hello: 1}))
    writeFileSync(join(dir, 'broken.json'), '{')
    expect(loadRouter(join(dir, 'router.json')).models).toEqual(router.models.map(m => m.model))
    expect(() => loadRouter(join(dir, 'bad.json'))).toThrow(/not a valid router/)
    expect(() => loadRouter(join(dir, 'broken.json'))).toThrow(/not JSON/)
    expect(() => loadRouter(join(dir, 'missing.json'))).toThrow(/Cannot read the router/)
    rmSync(dir, {recursive: true, force: true})
  })

  it('still loads a router of aco 0.1 (schemaVersion 1.0, a forest per model) and routes as it did', () => {
    const hist = trainRouter(table, {
      seed: 3,
      engine: 'hist',
      split: {fractions},
      forest: {trees: 8},
      now: () => 0,
    }).router
    const v1 = {
      ...hist,
      schemaVersion: '1.0',
      models: hist.models.map(({estimator, ...m}) => {
        if (estimator.engine !== 'hist') throw new Error('a forest was asked for')
        const {engine: __, ...forest} = estimator
        return {...m, forest}
      }),
      training: {...hist.training, engine: 'hist', chosen: undefined},
    }
    delete (v1.training as {chosen?: unknown}).chosen
    expect(check('router', v1)).toBeUndefined()
    const old = loadRouter(v1 as unknown as RouterJson)
    const now = loadRouter(hist)
    for (const item of table.items.slice(0, 40))
      expect(old.route({features: item.features, text: item.text})).toBe(
        now.route({features: item.features, text: item.text}),
      )
  })

  it("learns the fixture's signal: hard questions go to a stronger model than easy ones", () => {
    const loaded = loadRouter(router)
    // At the threshold where the router spends a third of the large model's price.
    const mid = result.test.curve.find(p => p.cost > result.test.best.cost / 4 && p.cost < result.test.best.cost / 2)!
    const price = (m: string): number => router.models.find(x => x.model === m)!.costUsd
    const hard = loaded.route(
      {features: {eval_name: 'code'}, text: 'Write a python function to parse nested parentheses in O(n log n) time.'},
      mid.threshold,
    )
    const easy = loaded.route({features: {eval_name: 'qa'}, text: 'Name the capital of Peru.'}, mid.threshold)
    expect(price(hard)).toBeGreaterThan(price(easy))
  })
})
