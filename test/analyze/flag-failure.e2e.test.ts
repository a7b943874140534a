/**
 * A failure inside the waste detectors is aco's bug, not the file's: the trace is still counted (without waste flags),
 * the run says which file and why, and counts it as an internal error (exit 1), instead of aborting the analysis.
 * (Named *.e2e.test.ts to run in a process of its own: the fast files share one module graph, where a module mock
 * would come too late.)
 */
import {statSync} from 'node:fs'
import {describe, expect, it, vi} from 'vitest'
import {processUnit} from '../../src/analyze/process-unit.js'
import {PriceBook} from '../../src/price/book.js'
import {fixture} from '../helpers.js'

vi.mock('../../src/flag/flag-card.js', () => ({
  flagCard: () => {
    throw new TypeError("Cannot read properties of null (reading '0')")
  },
}))

describe('a failure of the waste detectors', () => {
  it('is an internal error of the file; its trace is counted without flags', async () => {
    const path = fixture('waste-classes/passing-test-reruns.jsonl')
    const result = await processUnit(
      {files: [{path, size: statSync(path).size}], bytes: statSync(path).size} as never,
      new PriceBook(),
    )
    expect(result.internalErrors).toBe(1)
    expect(result.skipped).toEqual([
      {
        path,
        reason:
          "internal error in the waste detectors (Cannot read properties of null (reading '0')): the trace is counted without its waste flags",
      },
    ])
    expect(result.cards).toHaveLength(1)
    expect(result.cards[0]!.steps.some(s => s.flags !== undefined)).toBe(false)
    expect(result.cards[0]!.totals.costUsd).toBeGreaterThan(0)
  })
})
