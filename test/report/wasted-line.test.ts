/** The summary's Wasted line, said whenever there were calls to judge (trial 116: left out where no tool ran). */
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {toResult} from '../../src/analyze/result.js'
import {renderAnalyze} from '../../src/report/terminal.js'
import {fixture} from '../helpers.js'

describe("the summary's Wasted line", () => {
  it('says nothing was flagged, and why, for traces with LLM calls and no tool call', async () => {
    const run = await analyze({paths: [fixture('otel/vercel-outer-spans-only.json')], home: '/x', env: {}, threads: 1})
    expect(run.summary.totals.toolCalls).toBe(0)
    const text = renderAnalyze(toResult(run), {color: false, width: 120, top: 10, timeZone: 'UTC'})
    expect(text).toMatch(/Wasted {6}nothing flagged by the waste detectors \(no tool call to judge/)
  })
})
