/**
 * The cascade from the built CLI, as a user runs it: aco outcomes on run
 * folders, aco train --cascade on an outcome table with responses, aco route
 * with the cascade (decisions that reproduce the evaluation's test figures,
 * --sweep, items lacking a response), and the bad input the issue names.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import YAML from 'yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {CascadeRouteResult} from '../../src/commands/route.js'
import type {CascadeTrainResult} from '../../src/learn/cascade/result.js'
import type {PatchResult} from '../../src/patch/patch.js'
import {loadRouter} from '../../src/learn/runtime.js'
import {loadPolicy, route} from '../../src/policy/load.js'
import {validator} from '../../src/util/schemas.js'
import {acoAsync} from '../e2e/run.js'
import {fixture} from '../helpers.js'

const outcomes = fixture('cascade/outcomes.jsonl')
const prompts = fixture('cascade/prompts.jsonl')
const made: string[] = []
const tmp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'aco-cascade-e2e-'))
  made.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of made) rmSync(dir, {recursive: true, force: true})
})
const valid = (name: string, data: unknown): void => {
  const validate = validator(name)
  expect(validate(data), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
}

describe('aco train --cascade and aco route (built CLI)', () => {
  const out = tmp()
  let result: CascadeTrainResult
  /** `aco route --sweep N --json` with the router trained below, on the items and prompts it was trained on. */
  const sweep = (n: number) =>
    acoAsync([
      'route',
      '--router',
      join(out, 'router.json'),
      '--outcomes',
      outcomes,
      '--text',
      prompts,
      '--sweep',
      String(n),
      '--json',
    ])

  beforeAll(async () => {
    const r = await acoAsync([
      'train',
      '--outcomes',
      outcomes,
      '--text',
      prompts,
      '--cascade',
      '--out',
      out,
      '--test-where',
      'split=test',
      '--trees',
      '16',
      '--json',
    ])
    expect(r.status, r.stderr).toBe(0)
    result = JSON.parse(r.stdout) as CascadeTrainResult
  })

  it('writes router.json, evaluation.json, evaluation.md and frontier.svg that match their schemas', async () => {
    valid('cascade-result', result)
    valid('cascade-router', JSON.parse(readFileSync(join(out, 'router.json'), 'utf8')))
    const md = readFileSync(join(out, 'evaluation.md'), 'utf8')
    for (const heading of [
      '## The cascade',
      '## Summary (test split)',
      '## Beside the simplest post-hoc baseline',
      '## Operating point and guarantees',
      '## One frontier (test split)',
    ])
      expect(md).toContain(heading)
    expect(md).toContain('ex-ante router')
    expect(readFileSync(join(out, 'frontier.svg'), 'utf8')).toMatch(/^<svg/)
  })

  it("routes the test items as the evaluation measured them: the kept model's success and the cost of every model run", async () => {
    const r = await acoAsync([
      'route',
      '--router',
      join(out, 'router.json'),
      '--outcomes',
      outcomes,
      '--text',
      prompts,
      '--json',
    ])
    expect(r.status, r.stderr).toBe(0)
    const routed = JSON.parse(r.stdout) as CascadeRouteResult
    valid('cascade-route-result', routed)
    const truth = new Map<string, {success: number; cost: number; split: string}>()
    for (const line of readFileSync(outcomes, 'utf8').trim().split('\n')) {
      const o = JSON.parse(line) as {
        item_id: string
        model: string
        success: number
        cost_usd: number
        features: {split: string}
      }
      truth.set(`${o.item_id} ${o.model}`, {success: o.success, cost: o.cost_usd, split: o.features.split})
    }
    let q = 0
    let c = 0
    let n = 0
    for (const d of routed.decisions!) {
      if (truth.get(`${d.item_id} ${d.model}`)!.split !== 'test') continue
      n++
      q += truth.get(`${d.item_id} ${d.model}`)!.success
      for (const m of d.ran) c += truth.get(`${d.item_id} ${m}`)!.cost
    }
    expect(n).toBe(result.test.items)
    expect(q / n).toBeCloseTo(result.operatingPoint.test.quality, 6)
    expect(c / n).toBeCloseTo(result.operatingPoint.test.cost, 8)
  })

  it('--sweep gives decisions at levels from the cheap end to the strong end', async () => {
    const r = await sweep(4)
    expect(r.status, r.stderr).toBe(0)
    const routed = JSON.parse(r.stdout) as CascadeRouteResult
    valid('cascade-route-result', routed)
    expect(routed.points!.length).toBeGreaterThanOrEqual(2)
    expect(routed.points![0]!.decisions.every(d => d.ran.length === 1)).toBe(true)
    expect(routed.points![routed.points!.length - 1]!.decisions.every(d => d.model === 'large')).toBe(true)
    // Fewer levels than asked: as many as the path has, and said (review 104).
    const n = routed.points!.length
    expect(r.stderr).toBe(
      n < 4 ? `note: --sweep 4: the router has ${n} distinct thresholds to route at, so ${n} points\n` : '',
    )
    const many = await sweep(500)
    const levels = (JSON.parse(many.stdout) as CascadeRouteResult).points!.length
    expect(many.stderr).toBe(
      `note: --sweep 500: the router has ${levels} distinct thresholds to route at, so ${levels} points\n`,
    )
  })

  it('routes an item lacking a response the chain needs to the strongest model, says so, and exits 3', async () => {
    const dir = tmp()
    const first = result.chain.models[0]!
    const lines = readFileSync(outcomes, 'utf8').trim().split('\n').slice(0, 9)
    const broken = lines.map(l => {
      const o = JSON.parse(l) as {item_id: string; model: string; response?: string}
      if (o.item_id === 'cq-001' && o.model === first) delete o.response
      return JSON.stringify(o)
    })
    writeFileSync(join(dir, 'items.jsonl'), `${broken.join('\n')}\n`)
    const r = await acoAsync([
      'route',
      '--router',
      join(out, 'router.json'),
      '--outcomes',
      join(dir, 'items.jsonl'),
      '--text',
      prompts,
      '--json',
    ])
    expect(r.status).toBe(3)
    const routed = JSON.parse(r.stdout) as CascadeRouteResult
    expect(routed.fallbacks.map(f => [f.item_id, f.line])).toEqual([['cq-001', 4]])
    expect(routed.decisions!.find(d => d.item_id === 'cq-001')).toEqual({
      item_id: 'cq-001',
      model: 'large',
      ran: ['large'],
    })
  })

  it('skips a line whose response is not a string or whose signals are not finite, with its line, and exits 3', async () => {
    const dir = tmp()
    const lines = readFileSync(outcomes, 'utf8').trim().split('\n')
    const bad = [...lines]
    bad[1] = bad[1]!.replace(/"response":"[^"]*"/, '"response":7')
    bad[4] = bad[4]!.replace(/"uncertainty":[0-9.]+/, '"uncertainty":1e999')
    writeFileSync(join(dir, 'bad.jsonl'), `${bad.join('\n')}\n`)
    const r = await acoAsync([
      'train',
      '--outcomes',
      join(dir, 'bad.jsonl'),
      '--cascade',
      'entropy',
      '--out',
      join(dir, 'c'),
      '--json',
    ])
    expect(r.status, r.stderr).toBe(3)
    const trained = JSON.parse(r.stdout) as CascadeTrainResult
    expect(trained.skipped.map(s => s.line)).toEqual([2, 5])
    expect(trained.mode).toBe('entropy')
  })

  it('aco patch renders the cascade: the policy file escalates on evidence as the cascade does, LiteLLM carries its fallbacks and says what it cannot', async () => {
    const dir = tmp()
    copyFileSync(fixture('configs/litellm/config.yaml'), join(dir, 'config.yaml'))
    const r = await acoAsync([
      'patch',
      '--router',
      join(out, 'router.json'),
      '--target',
      `aco-policy:${join(dir, 'aco-policy.json')}`,
      '--target',
      `litellm:${join(dir, 'config.yaml')}`,
      '--allow-outside',
      '--out',
      join(dir, 'out'),
      '--write',
      '--json',
    ])
    expect(r.status, r.stderr).toBe(0)
    const patched = JSON.parse(r.stdout) as PatchResult
    valid('patch-result', patched)
    valid('routing-policy', patched.policy)
    const chain = result.chain.models
    // every item starts on the chain's first model; each step escalates to the next on low confidence and on a failed call
    expect(patched.policy.rules.map(x => x.when)).toEqual([
      {cascade: {path: join(out, 'router.json'), level: result.operatingPoint.level}},
    ])
    expect(patched.policy.tiers.find(t => t.name === patched.policy.default)!.model).toBe(chain[0])
    const tierModel = (tier: string): string => patched.policy.tiers.find(t => t.name === tier)!.model
    const pairs = (on: string): string[][] =>
      patched.policy.escalation.filter(e => e.on === on).map(e => [tierModel(e.from), tierModel(e.to)])
    const steps = chain.slice(1).map((to, s) => [chain[s]!, to])
    expect(pairs('low-confidence')).toEqual(steps)
    expect(pairs('call-error')).toEqual(steps)
    expect(patched.policy.evaluation?.calibration?.alpha).toBe(0.05)

    // The written policy decides as the cascade itself, item by item, on the test items' responses.
    const policy = loadPolicy(join(dir, 'aco-policy.json'))
    const cascade = loadRouter(join(out, 'router.json'))
    type Row = {item_id: string; model: string; response?: string; features?: Record<string, string | number>}
    const rows = new Map<string, Map<string, Row>>()
    for (const line of readFileSync(outcomes, 'utf8').trim().split('\n')) {
      const o = JSON.parse(line) as Row
      if (!rows.has(o.item_id)) rows.set(o.item_id, new Map())
      rows.get(o.item_id)!.set(o.model, o)
    }
    const text = new Map(
      readFileSync(prompts, 'utf8')
        .trim()
        .split('\n')
        .map(l => JSON.parse(l) as {item_id: string; prompt: string})
        .map(p => [p.item_id, p.prompt] as const),
    )
    let escalated = 0
    for (const [id, byModel] of rows) {
      const item = {text: text.get(id) ?? '', features: [...byModel.values()][0]!.features ?? {}}
      expect(route(policy, {id, ...item})).toBe(chain[0])
      const observed: Array<{model: string; response: string}> = []
      for (const model of chain) {
        observed.push({model, response: byModel.get(model)?.response ?? ''})
        const mine = route(policy, {id, ...item}, observed)
        expect(mine).toEqual(route(cascade, item, observed))
        if (mine.action === 'keep') break
        escalated++
      }
    }
    expect(escalated).toBeGreaterThan(0)

    // LiteLLM: the chain's fallbacks for failed calls; escalation on evidence listed as what it cannot express
    const config = readFileSync(join(dir, 'config.yaml'), 'utf8')
    const fallbacks = (YAML.parse(config) as {router_settings: {fallbacks: Array<Record<string, string[]>>}})
      .router_settings.fallbacks
    for (const [from, to] of steps) expect(fallbacks).toContainEqual({[from!]: [to!]})
    const litellm = patched.targets.find(t => t.kind === 'litellm')!
    expect(litellm.unsupported.join('\n')).toMatch(
      /escalation on what a model returned .*LiteLLM's fallbacks retry a call that failed/,
    )
    const pr = readFileSync(join(dir, 'out', 'PR.md'), 'utf8')
    expect(pr).toContain(`# aco: run the cascade ${chain.join(' → ')}`)
    expect(pr).toContain("## The cascade's evaluation (held-out items)")
    expect(pr).toMatch(/APGR lead over the ex-ante router/)
    // A cascade's evaluation recommends nothing: PR.md says the cascade is shipped, not that it was recommended (trial 80).
    expect(pr).toMatch(/\| policy shipped \|/)
    expect(pr).not.toMatch(/the evaluation recommends: cascade/)
  })

  it('refuses an α the calibration split is too small for (exit 2), and a chain that does not end with the strongest', async () => {
    const small = await acoAsync([
      'train',
      '--outcomes',
      outcomes,
      '--cascade',
      '--alpha',
      '0.001',
      '--out',
      tmp(),
      '--json',
    ])
    expect(small.status).toBe(2)
    expect(JSON.parse(small.stdout).error.message).toMatch(/needs at least/)
    const chain = await acoAsync([
      'train',
      '--outcomes',
      outcomes,
      '--cascade',
      '--chain',
      'small,medium',
      '--out',
      tmp(),
      '--json',
    ])
    expect(chain.status).toBe(2)
    expect(JSON.parse(chain.stdout).error.message).toMatch(/not the strongest model/)
  })
})

describe('aco outcomes (built CLI)', () => {
  it('writes the outcome table of three models’ runs, and a result that matches its schema', async () => {
    const dir = tmp()
    const r = await acoAsync(['outcomes', fixture('outcomes/runs'), '--out', join(dir, 'items.jsonl'), '--json'])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as {rows: number; items: number}
    valid('outcomes-result', result)
    expect(result).toMatchObject({rows: 18, items: 6})
    expect(readFileSync(join(dir, 'items.jsonl'), 'utf8').trim().split('\n')).toHaveLength(18)
    // On the screen: how many models "every model" is (trial 87 read "run by every model" of one model's rows).
    const screen = await acoAsync(['outcomes', fixture('outcomes/runs'), '--out', join(dir, 'again.jsonl')])
    expect(screen.stdout).toMatch(/^18 outcome lines for 6 tasks \(6 run by each of the 3 models with lines\)/)
  })
})
