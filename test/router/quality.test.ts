/**
 * Quality gate on the development corpus (RouterBench's ARC-Challenge and
 * MBPP parts, ../shared/corpus/routing-dev): test = RouterDC's test items,
 * calibration carved from the rest (grouped by item), seed 1. The targets of
 * issue 6; every number is measured on items training and calibration never saw.
 */
import {existsSync} from 'node:fs'
import {beforeAll, describe, expect, it} from 'vitest'
import {attachTexts, readOutcomeTable, readTexts} from '../../src/learn/outcome-table.js'
import type {TrainResult} from '../../src/learn/result.js'
import {trainRouter} from '../../src/learn/train.js'
import {corpus} from '../helpers.js'

const items = corpus('routing-dev/routerbench-items.jsonl')
const prompts = corpus('routing-dev/routerbench-prompts.jsonl')
const present = existsSync(items) && existsSync(prompts)

describe.skipIf(!present)(
  'router quality on routing-dev (RouterBench; skipped when ../shared/corpus/routing-dev is absent)',
  () => {
    let result: Omit<TrainResult, 'skipped' | 'written'>
    let seconds = 0

    beforeAll(async () => {
      const table = await readOutcomeTable(items, 'train')
      attachTexts(table.items, (await readTexts(prompts)).texts)
      const started = Date.now()
      ;({result} = trainRouter(table, {
        seed: 1,
        split: {fractions: {train: 0.75, calibration: 0.25, test: 0}, testWhere: {name: 'split', value: 'test'}},
        now: Date.now,
      }))
      seconds = (Date.now() - started) / 1000
    })

    it("uses RouterDC's test split, grouped by item, without id or split features", () => {
      expect(result.split.test).toBe(573)
      expect(result.split.train + result.split.calibration).toBe(1338)
      expect(result.features.ignored.map(f => f.name)).toEqual(['routerbench_row', 'sample_id', 'source_file', 'split'])
      expect(result.strongest).toBe('gpt-4-1106-preview')
      expect(result.cheapest).toBe('mistralai/mistral-7b-chat')
    })

    it('reaches APGR ≥ 0.65 and beats the random mixes of single models', () => {
      expect(result.test.apgr).toBeGreaterThanOrEqual(0.65)
      expect(result.test.apgr).toBeGreaterThan(result.test.baselines.singleModelMixes.apgr)
    })

    it("keeps quality ≥ 0.80 at half of gpt-4's cost", () => {
      expect(result.test.qualityAtHalfBestCost!).toBeGreaterThanOrEqual(0.8)
    })

    it('stays above the random mix of the cheapest and best models everywhere between them', () => {
      expect(result.test.marginOverRandomMix!.min).toBeGreaterThan(0)
    })

    it('holds the conformal rate on test at or below α', () => {
      expect(result.conformal.available).toBe(true)
      expect(result.conformal.bound!).toBeLessThanOrEqual(0.05)
      expect(result.conformal.testRate!).toBeLessThanOrEqual(0.05)
    })

    it("gives calibrated soft estimates: every candidate's Brier score beats its base rate", () => {
      for (const rel of result.test.reliability) expect(rel.brier, rel.model).toBeLessThan(rel.brierBaseRate)
    })

    it('trains in seconds', () => {
      expect(seconds).toBeLessThan(30)
    })
  },
)
