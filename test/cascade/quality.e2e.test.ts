/**
 * Quality gate of the cascade on the development data (RouterBench's
 * ARC-Challenge and MBPP with every model's response, rebuilt from
 * ../shared/corpus/routing-dev by scripts/routing-dev.js): test = RouterDC's
 * test items, calibration carved from the rest, seed 1, the operating point
 * by α = 0.05 with the high-probability bound. The bar of issue 14 (over
 * seeds 1–5 it is measured by `npm run bench:cascade -- --quality`); every
 * figure is measured on items training and calibration never saw, at levels
 * fixed before. Trained through the built CLI (aco train --cascade --json),
 * as a user runs it.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureRoutingDev} from '../../scripts/routing-dev.js'
import type {CascadeTrainResult} from '../../src/learn/cascade/result.js'
import {acoAsync} from '../e2e/run.js'

const dev = ensureRoutingDev()
type Result = CascadeTrainResult
const out = mkdtempSync(join(tmpdir(), 'aco-cascade-quality-'))
afterAll(() => rmSync(out, {recursive: true, force: true}))

/** Trains through the built CLI, in a child process: a minute of training in the test worker would stall vitest's RPC. */
async function train(task: string): Promise<{result: Result}> {
  const r = await acoAsync([
    'train',
    '--outcomes',
    join(dev!, `${task}.jsonl`),
    '--text',
    join(dev!, 'prompts.jsonl'),
    '--cascade',
    '--test-where',
    'split=test',
    '--alpha',
    '0.05',
    '--guarantee',
    'high',
    '--seed',
    '1',
    '--out',
    join(out, task),
    '--json',
  ])
  expect(r.status, r.stderr).toBe(0)
  return {result: JSON.parse(r.stdout) as Result}
}

const rate = (r: Result, alpha: number, guarantee: string): number =>
  r.guarantees.find(g => g.alpha === alpha && g.guarantee === guarantee)!.testRate!

describe.skipIf(!dev)('cascade quality on routing-dev (skipped when ../shared/corpus/routing-dev is absent)', () => {
  let arc: {result: Result}
  let mbpp: {result: Result}

  beforeAll(async () => {
    ;[arc, mbpp] = await Promise.all([train('arc-challenge'), train('mbpp')])
  }, 600_000)

  it("ARC: keeps ≥ 95% of gpt-4's quality at half of its cost, and at the operating point for well under its cost", () => {
    const r = arc.result
    expect(r.strongest).toBe('gpt-4-1106-preview')
    // The bar: the curve at levels fixed on calibration, at half of gpt-4's cost on test (measured 99.2%).
    expect(r.test.qualityShareAtHalfBestCost!.value).toBeGreaterThanOrEqual(0.95)
    // The operating point is chosen by α = 0.05, not by cost: measured 99.3% of gpt-4's quality for 51.4% of its cost (49.3% on calibration).
    expect(r.operatingPoint.test.qualityShare).toBeGreaterThanOrEqual(0.95)
    expect(r.operatingPoint.test.costShare).toBeLessThan(0.6)
    // Chosen with --guarantee high: said so, not as conformal risk control.
    const md = readFileSync(join(out, 'arc-challenge', 'evaluation.md'), 'utf8')
    expect(md).toMatch(/Chosen by Learn-then-Test at α = 0\.05, δ = 0\.1 on the calibration split/)
  })

  it('ARC: holds the rate of items it fails where gpt-4 succeeds ≤ α on test, at α = 0.05 and 0.1', () => {
    for (const alpha of [0.05, 0.1]) {
      expect(rate(arc.result, alpha, 'high'), `high, α ${alpha}`).toBeLessThanOrEqual(alpha)
      expect(rate(arc.result, alpha, 'marginal'), `marginal, α ${alpha}`).toBeLessThanOrEqual(alpha)
    }
  })

  it('ARC: beats the agreement baseline on APGR and is not behind it at its cost', () => {
    const a = arc.result.test.baselines.agreement!
    expect(arc.result.test.apgr.value).toBeGreaterThan(a.apgr.value)
    expect(a.cascadeLeadAtItsCost.high).toBeGreaterThanOrEqual(0)
  })

  it('ARC and MBPP: the cascade’s APGR is at least the ex-ante router’s within the bootstrap interval of the lead', () => {
    for (const {result} of [arc, mbpp]) {
      expect(result.test.leadOverExAnte!.high).toBeGreaterThan(0)
      expect(result.test.apgr.value).toBeGreaterThan(result.test.baselines.singleModelMixes.apgr.value)
    }
  })

  it('MBPP: the chain ends with the strongest model and the rate stays ≤ α on test', () => {
    const r = mbpp.result
    expect(r.chain.models[r.chain.models.length - 1]).toBe(r.strongest)
    expect(rate(r, 0.05, 'high')).toBeLessThanOrEqual(0.05)
  })
})
