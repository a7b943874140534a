/**
 * A router and a cascade trained on one task of the development data (ARC-Challenge) and measured on another it never
 * saw (MBPP: `--test-where eval_name=mbpp`), through the built CLI (trial 110). Their bounds were calibrated on ARC
 * items and do not hold on MBPP's: the rate measured on test is above α beyond the test split's noise, and a single
 * model does better than the router's operating point there. The output says both, in words, rather than calling the
 * breach noise.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {ensureRoutingDev} from '../../scripts/routing-dev.js'
import type {CascadeTrainResult} from '../../src/learn/cascade/result.js'
import type {CascadeRouteRun as CascadeRouteResult} from '../../src/learn/cascade/route.js'
import type {TrainResult} from '../../src/learn/result.js'
import {validator} from '../../src/util/schemas.js'
import {acoAsync} from '../e2e/run.js'
import {corpus} from '../helpers.js'

const items = corpus('routing-dev/routerbench-items.jsonl')
const prompts = corpus('routing-dev/routerbench-prompts.jsonl')
const present = existsSync(items) && existsSync(prompts)
const out = mkdtempSync(join(tmpdir(), 'aco-held-out-'))
afterAll(() => rmSync(out, {recursive: true, force: true}))

const held = ['--test-where', 'eval_name=mbpp', '--alpha', '0.05', '--guarantee', 'high', '--seed', '1', '--json']

describe.skipIf(!present)('a task held out (skipped when ../shared/corpus/routing-dev is absent)', () => {
  it("the router: its bounds' breach on the held-out task is said as such, and the single model that does better", async () => {
    const r = await acoAsync(['train', '--outcomes', items, '--text', prompts, ...held, '--out', join(out, 'router')])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as TrainResult
    const messages = result.warnings.map(w => w.message)
    expect(result.conformal.high!.testRate.low).toBeGreaterThan(0.05)
    expect(
      messages.some(m =>
        /high-probability bound's threshold .* beyond the test split's noise: the test items are not like/.test(m),
      ),
    ).toBe(true)
    expect(
      messages.some(m => /^On the test split \S+ alone does better than the router's operating point/.test(m)),
    ).toBe(true)
    const md = readFileSync(join(out, 'router', 'evaluation.md'), 'utf8')
    expect(md).toMatch(
      /is above α = 0\.05 beyond this split's noise:\*\* the test items are not like the calibration items/,
    )
    expect(md).not.toMatch(/within this split's noise/)
  }, 300_000)

  it('on a random split, a rate above α is not called a change of items, nor a finding of its features a shift (review 111)', async () => {
    const r = await acoAsync([
      'train',
      '--outcomes',
      items,
      '--text',
      prompts,
      '--seed',
      '12',
      '--engine',
      'logistic',
      '--json',
      '--out',
      join(out, 'random'),
    ])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as TrainResult
    expect(result.split.method).toBe('random')
    const messages = result.warnings.map(w => w.message).join('\n')
    expect(messages).not.toMatch(/not like the calibration items|The test split is not like the training split/)
    expect(readFileSync(join(out, 'random', 'evaluation.md'), 'utf8')).not.toMatch(/beyond this split's noise/)
  }, 300_000)

  it("the cascade: a bound the held-out task's rate goes above is warned of", async () => {
    const dev = ensureRoutingDev()
    if (!dev) return
    const r = await acoAsync([
      'train',
      '--outcomes',
      join(dev, 'items.jsonl'),
      '--text',
      join(dev, 'prompts.jsonl'),
      '--cascade',
      ...held,
      '--out',
      join(out, 'cascade'),
    ])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as CascadeTrainResult
    const above = result.guarantees.filter(g => g.testRateInterval.low > g.alpha)
    expect(above.length).toBeGreaterThan(0)
    for (const g of above)
      expect(result.warnings ?? []).toContainEqual(
        expect.stringMatching(
          new RegExp(`^at the ${g.guarantee} bound for α = ${g.alpha} the test rate .* beyond the test split's noise`),
        ),
      )
    expect(readFileSync(join(out, 'cascade', 'evaluation.md'), 'utf8')).toMatch(
      /\*\*Warning:\*\* at the \w+ bound for α/,
    )
    // A cascade trained on ARC alone that reads the items' features (trial 110's), routing MBPP's items: it says how
    // they differ from the items it was trained on, as the router does.
    const arc = await acoAsync([
      'train',
      '--outcomes',
      join(dev, 'arc-challenge.jsonl'),
      '--text',
      join(dev, 'prompts.jsonl'),
      '--cascade',
      '--alpha',
      '0.05',
      '--guarantee',
      'high',
      '--seed',
      '1',
      '--out',
      join(out, 'cascade-arc'),
    ])
    expect(arc.status, arc.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(out, 'cascade-arc', 'router.json'), 'utf8')).features).not.toBeNull()
    const routed = await acoAsync([
      'route',
      '--router',
      join(out, 'cascade-arc', 'router.json'),
      '--outcomes',
      join(dev, 'mbpp.jsonl'),
      '--text',
      join(dev, 'prompts.jsonl'),
      '--json',
    ])
    expect(routed.status, routed.stderr).toBe(0)
    const route = JSON.parse(routed.stdout) as CascadeRouteResult
    expect(validator('cascade-route-result')(route)).toBe(true)
    expect(route.shift!.findings.map(f => f.feature)).toContain('eval_name')
  }, 300_000)
})
