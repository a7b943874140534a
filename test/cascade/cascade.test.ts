/**
 * Training a cascade on the fixture (fixtures/cascade: multiple-choice items
 * whose lines carry each model's response and, for the cheap models, an
 * uncertainty signal), routing with it through the library and `aco route`'s
 * core, and the bad input the issue names.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {renderCascadeMarkdown, renderCascadeSummary} from '../../src/learn/cascade/report.js'
import {beforeAll, describe, expect, it} from 'vitest'
import {isCascade, loadRouter, route} from '../../src/index.js'
import type {CascadeJson} from '../../src/learn/cascade/router.js'
import {routeCascadeItems, sweepLevels} from '../../src/learn/cascade/route.js'
import type {CascadeTrainResult} from '../../src/learn/cascade/result.js'
import {trainCascade} from '../../src/learn/cascade/train.js'
import {
  attachTexts,
  collectOutcomeTable,
  readOutcomeTable,
  readTexts,
  type OutcomeTable,
} from '../../src/learn/outcome-table.js'
import {check} from '../../src/util/schemas.js'
import {fixture} from '../helpers.js'

const now = (): number => Date.parse('2025-01-01T00:00:00Z')
const split = {fractions: {train: 0.6, calibration: 0.2, test: 0.2}}
/** A cascade whose gates are learned estimators (over the item and the post-hoc signals). */
const withEstimators = {
  seed: 1,
  split,
  trees: 16,
  resamples: 50,
  compare: false,
  variants: ['item-and-posthoc' as const],
  now,
}

describe('a cascade trained on the fixture', () => {
  let table: OutcomeTable
  let router: CascadeJson
  let result: Omit<CascadeTrainResult, 'skipped' | 'written'>

  beforeAll(async () => {
    table = await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train')
    attachTexts(table.items, (await readTexts(fixture('cascade/prompts.jsonl'))).texts)
    ;({router, result} = trainCascade(table, {seed: 1, split, trees: 16, resamples: 100, now}))
  })

  it('writes a router.json and a result that match their schemas and describe themselves', () => {
    expect(check('cascade-router', router)).toBeUndefined()
    expect(check('cascade-result', {...result, skipped: []})).toBeUndefined()
    expect(router.chain.map(s => s.model)).toEqual(result.chain.models)
    expect(router.chain[router.chain.length - 1]!.model).toBe('large')
    expect(router.guarantees.map(g => `${g.guarantee} ${g.alpha}`)).toEqual([
      'marginal 0.05',
      'high 0.05',
      'marginal 0.1',
      'high 0.1',
    ])
    for (const g of router.guarantees) {
      expect(g.bound).toBeLessThanOrEqual(g.alpha)
      expect(g.testRate).toBeTypeOf('number')
      expect(router.path[g.level]).toEqual(g.thresholds)
    }
    expect(router.operatingPoint.thresholds).toEqual(router.path[router.operatingPoint.level])
    // The summary counts the items it scored, on calibration as on test (the bounds' n is that calibration count).
    const short = {...result, skipped: [], split: {...result.split, incomplete: {calibration: 3, test: 8}}}
    expect(renderCascadeSummary(short)).toContain(
      `calibrated on ${result.split.calibration - 3}, tested on ${result.test.items} (scored items: 11 more lacked`,
    )
  })

  it('learns the evidence: beats the ex-ante router and keeps the strongest quality for a fraction of its cost', () => {
    expect(result.test.apgr.value).toBeGreaterThan(result.test.baselines.exAnte!.apgr.value)
    expect(result.operatingPoint.test.qualityShare).toBeGreaterThanOrEqual(0.95)
    expect(result.operatingPoint.test.costShare).toBeLessThanOrEqual(0.5)
    // Every variant was weighed on training; the cheap models report their uncertainty, so the training-free signal does as well.
    expect(result.chain.variants.map(v => v.variant)).toEqual(['training-free', 'posthoc', 'item-and-posthoc'])
    expect(result.chain.variant).toBe(router.training.variant)
    expect(result.test.baselines.agreement!.models).toEqual(['small', 'medium'])
    expect(result.test.baselines.trainingFree).not.toBeNull()
  })

  it('with estimators: each step’s engine chosen out of fold, and its estimates beat the base rate on calibration', () => {
    const learned = trainCascade(table, withEstimators)
    expect(check('cascade-router', learned.router)).toBeUndefined()
    const step = learned.result.steps[0]!
    expect(step.outOfFoldLogLoss!.map(e => e.engine).sort()).toEqual(['hist', 'knn', 'logistic', 'mean'])
    expect(step.engine).toBe(step.outOfFoldLogLoss![0]!.engine)
    expect(step.calibration!.brier).toBeLessThan(step.calibration!.brierBaseRate)
    expect(learned.router.chain[0]!.estimator!.estimator.engine).toBe(step.engine)
    // The saved estimators decide as training measured them.
    const cascade = loadRouter(learned.router)
    const item = table.items[0]!
    const obs = [{model: learned.router.chain[0]!.model, response: 'B', signals: {uncertainty: 0.05}}]
    expect(route(cascade, {features: item.features, text: item.text}, obs).confidence).toBeGreaterThan(0)
  })

  it('says the mode of the cascade it trained: learned estimators asked for, the training-free variant kept, is entropy', () => {
    const free = trainCascade(table, {...withEstimators, variants: ['training-free' as const]})
    expect(free.router.mode).toBe('entropy')
    expect(free.result.mode).toBe('entropy')
    expect(renderCascadeSummary({...free.result, skipped: []})).toMatch(/^Cascade \(entropy\)/)
  })

  it('is deterministic for a seed', () => {
    const again = trainCascade(table, {seed: 1, split, trees: 16, resamples: 100, compare: false, now})
    expect(again.router.chain).toEqual(router.chain)
    expect(again.router.path).toEqual(router.path)
  })

  it('routes through the library as it was evaluated: keep or escalate after each step', () => {
    const cascade = loadRouter(router)
    expect(isCascade(cascade)).toBe(true)
    const item = table.items.find(i => i.features.split !== undefined)!
    const [first, second] = router.chain
    expect(route(cascade, {features: item.features, text: item.text})).toBe(first!.model)
    // Agent code passing no item gets a usage error saying so, from a cascade as from any router (trial 30).
    for (const bad of [null, 'item', [1]])
      expect(() => route(cascade, bad as never)).toThrow(/^route: the item is (null|string|an array), not an object\.$/)
    const obs = (model: string, response: string, uncertainty?: number) => ({
      model,
      response,
      ...(uncertainty === undefined ? {} : {signals: {uncertainty}}),
    })
    // Two cheap answers that agree and say they are sure: kept at the operating point.
    const sure = route(cascade, {features: item.features, text: item.text}, [
      obs(first!.model, 'B', 0.05),
      obs(second!.model, 'B', 0.05),
    ])
    expect(sure).toMatchObject({action: 'keep', model: second!.model, step: 1})
    // They disagree and are unsure: escalate to the strongest.
    const unsure = route(cascade, {features: item.features, text: item.text}, [
      obs(first!.model, 'B', 0.7),
      obs(second!.model, 'C', 0.7),
    ])
    expect(unsure).toMatchObject({action: 'escalate', model: 'large', step: 1})
    // No observation yet: run the first step.
    expect(route(cascade, {}, [])).toMatchObject({action: 'escalate', model: first!.model})
    // At the strong end every answer but the strongest's is escalated.
    const last = router.path.length - 1
    expect(route(cascade, {features: item.features, text: item.text}, [obs(first!.model, 'B', 0)], last)).toMatchObject(
      {
        action: 'escalate',
      },
    )
    expect(() => route(cascade, {}, [obs('large', 'B')])).toThrow(/step 1 is/)
  })

  it("aco route's decisions follow the chain, and --sweep spans the path", () => {
    const cascade = loadRouter(router)
    const run = routeCascadeItems(cascade, table.items, 'x.jsonl')
    expect(run.decisions).toHaveLength(table.items.length)
    expect(run.fallbacks).toEqual([])
    for (const d of run.decisions!) {
      expect(d.ran[d.ran.length - 1]).toBe(d.model)
      expect(router.chain.map(s => s.model).slice(0, d.ran.length)).toEqual(d.ran)
    }
    const levels = sweepLevels(cascade, 3)
    expect(levels[0]).toBe(0)
    expect(levels[levels.length - 1]).toBe(router.path.length - 1)
    const sweep = routeCascadeItems(cascade, table.items, 'x.jsonl', {sweep: 3})
    expect(sweep.points!.map(p => p.threshold)).toEqual(levels)
    expect(sweep.points![0]!.decisions.every(d => d.ran.length === 1)).toBe(true)
    expect(sweep.points![sweep.points!.length - 1]!.decisions.every(d => d.model === 'large')).toBe(true)
  })

  it('routes an item lacking a response the chain needs to the strongest model, and says so', () => {
    const cascade = loadRouter(router)
    const item = table.items[0]!
    const k = item.models.indexOf(router.chain[0]!.model)
    const responses = [...item.responses!]
    responses[k] = undefined
    const run = routeCascadeItems(cascade, [{...item, responses}], 'x.jsonl')
    expect(run.decisions![0]).toEqual({item_id: item.id, model: 'large', ran: ['large']})
    expect(run.fallbacks[0]).toMatchObject({item_id: item.id, line: item.line})
    expect(run.fallbacks[0]!.reason).toMatch(/no response/)
    expect(route(cascade, {}, [{model: router.chain[0]!.model}])).toMatchObject({action: 'escalate', model: 'large'})
  })
})

describe('bad input', () => {
  const line = (o: Record<string, unknown>): string =>
    JSON.stringify({item_id: 'i1', model: 'small', success: 1, cost_usd: 0.1, ...o})

  it('skips a line whose response is not a string or whose signals are not finite numbers, with its line', () => {
    const table = collectOutcomeTable(
      [
        line({response: 'B', signals: {uncertainty: 0.2}}),
        line({model: 'medium', response: 42}),
        // JSON's 1e999 parses to Infinity.
        '{"item_id": "i1", "model": "large", "success": 1, "cost_usd": 0.1, "signals": {"uncertainty": 1e999}}',
        line({model: 'x', signals: {steps: 'many'}}),
        line({model: 'y', signals: {steps: null}}),
      ],
      'o.jsonl',
      'train',
    )
    expect(table.items[0]!.models).toEqual(['small'])
    expect(table.items[0]!.responses).toEqual(['B'])
    expect(table.items[0]!.signals).toEqual([{uncertainty: 0.2}])
    expect(table.skipped.map(s => s.line)).toEqual([2, 3, 4, 5])
    expect(table.skipped[0]!.reason).toMatch(/response/)
    expect(table.skipped[1]!.reason).toMatch(/signals.uncertainty: must be number/)
  })

  it('refuses to train a cascade on lines with no response or signal', async () => {
    const table = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
    expect(() => trainCascade(table, {now})).toThrow(/responses or signals/)
  })

  it('refuses a calibration split too small for the α asked, before training', async () => {
    const table = await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train')
    expect(() =>
      trainCascade(table, {
        split: {fractions: {train: 0.9, calibration: 0.05, test: 0.05}},
        objective: {kind: 'alpha', alpha: 0.01},
        now,
      }),
    ).toThrow(/needs at least 99/)
  })

  it('refuses a chain of other than 2 or 3 steps', async () => {
    const table = await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train')
    expect(() => trainCascade(table, {maxSteps: 4, now})).toThrow(/2 or 3 steps/)
    expect(() => trainCascade(table, {chain: ['large'], now})).toThrow(/has 1 step \(2 to 3\)/)
  })

  it("warns when the operating point costs the strongest model's cost or more for no more quality (trial 87)", async () => {
    const base = {seed: 1, split, trees: 16, resamples: 50, compare: false, now}
    // The cheaper models wrong on every item: the cascade can keep none of their answers, and runs them for nothing.
    const dir = mkdtempSync(join(tmpdir(), 'aco-cascade-dominated-'))
    const lines = readFileSync(fixture('cascade/outcomes.jsonl'), 'utf8').trim().split('\n')
    const wrong = lines.map(l => {
      const row = JSON.parse(l) as {model: string; success: number}
      return JSON.stringify(row.model === 'large' ? row : {...row, success: 0})
    })
    writeFileSync(join(dir, 'outcomes.jsonl'), `${wrong.join('\n')}\n`)
    const hopeless = trainCascade(await readOutcomeTable(join(dir, 'outcomes.jsonl'), 'train'), base).result
    expect(hopeless.operatingPoint.test.costShare).toBeGreaterThanOrEqual(1)
    expect(hopeless.warnings).toEqual([
      expect.stringMatching(
        /^at the operating point the cascade costs \d+\.\d% of large's cost for 100\.0% of its quality/,
      ),
    ])
    expect(renderCascadeSummary({...hopeless, skipped: []})).toMatch(/^Warning: at the operating point/m)
    // The fixture's own models: a point the cheaper models serve, no warning.
    const good = trainCascade(await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train'), base).result
    expect(good.operatingPoint.test.costShare).toBeLessThan(1)
    expect(good.warnings).toBeUndefined()
  })

  it('takes a chain named by the start of each model name, and refuses a start that names several (trial 87)', async () => {
    const table = await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train')
    const named = trainCascade(table, {
      chain: ['sm', 'lar'],
      seed: 1,
      split,
      trees: 16,
      resamples: 50,
      compare: false,
      now,
    })
    expect(named.router.chain.map(s => s.model)).toEqual(['small', 'large'])
    expect(() => trainCascade(table, {chain: ['x-nothing', 'large'], now})).toThrow(
      /names models the outcomes do not have: x-nothing/,
    )
    // (An empty start is the start of every model's name: which one is not said.)
    expect(() => trainCascade(table, {chain: ['', 'large'], now})).toThrow(/which is the start of 3 models/)
  })

  it("says a chain given with --chain was given, beside the screening's ranking", async () => {
    const table = await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train')
    const screened = trainCascade(table, {seed: 1, split, trees: 16, resamples: 50, compare: false, now})
    const first = screened.result.chain.ranking[0]!.models
    const other = screened.result.chain.ranking.find(c => c.models.join() !== first.join())!.models
    const given = trainCascade(table, {seed: 1, split, trees: 16, resamples: 50, compare: false, now, chain: other})
    const md = renderCascadeMarkdown({...given.result, skipped: [], written: {} as never}, 'frontier.svg')
    expect(md).toContain(`The chain was given (--chain: ${other.join(' → ')})`)
    // Each kind of bound the table lists is said as what it is (trial 72: "the guarantee is marginal" under a level
    // Learn-then-Test had chosen).
    const kinds = new Set(given.result.guarantees.map(g => g.guarantee))
    expect(kinds.has('high')).toBe(true)
    expect(md).toContain('The high-probability bound (Learn-then-Test')
    expect(md).toContain('the rate exceeds α with probability at most δ over calibration draws')
    expect(md).not.toContain('The guarantee is marginal')
    // Negative figures with a minus sign, not a hyphen (trial 72: "-0.014 [-0.053, 0.021]").
    expect(md).not.toMatch(/(?:^|[\s[(])-\d/m)
    const lead = {value: -0.014, low: -0.053, high: 0.021}
    const behind = {...given.result, test: {...given.result.test, leadOverExAnte: lead}}
    expect(renderCascadeMarkdown({...behind, skipped: [], written: {} as never}, 'f.svg')).toContain(
      "Cascade APGR minus the ex-ante router's, paired over the same draws: −0.014 [−0.053, 0.021].",
    )
    const marginalOnly = {...given.result, guarantees: given.result.guarantees.filter(g => g.guarantee === 'marginal')}
    const one = renderCascadeMarkdown({...marginalOnly, skipped: [], written: {} as never}, 'frontier.svg')
    expect(one).not.toContain('Learn-then-Test')
    expect(one).toContain('It breaks under drift')
    expect(renderCascadeMarkdown({...screened.result, skipped: [], written: {} as never}, 'f.svg')).toContain(
      'Chains considered on the training split',
    )
  })

  it('refuses a router.json of a cascade that does not match its schema', () => {
    expect(() => loadRouter({kind: 'aco-cascade', chain: []} as unknown as CascadeJson)).toThrow(/not a valid cascade/)
  })

  it('refuses a gate whose estimator does not fit the features it reads (a hand-edited router.json)', async () => {
    const table = await readOutcomeTable(fixture('cascade/outcomes.jsonl'), 'train')
    attachTexts(table.items, (await readTexts(fixture('cascade/prompts.jsonl'))).texts)
    const learned = trainCascade(table, withEstimators)
    const gate = learned.router.chain[0]!
    expect(gate.posthoc!.names.length).toBeGreaterThan(0)
    const fewer = structuredClone(learned.router)
    fewer.chain[0]!.posthoc!.edges.pop()
    expect(() => loadRouter(fewer)).toThrow(/not a valid cascade: the gate after \S+ has \d+ signals and \d+ bin edges/)
    const columns = structuredClone(learned.router)
    columns.features!.columns += 3
    expect(() => loadRouter(columns)).toThrow(/not a valid cascade: features\.columns is/)
  })
})
