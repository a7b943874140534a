import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, readOne} from '../helpers.js'

const extra = (name: string): string => fileURLToPath(new URL(`../corpus-extra/atif/${name}`, import.meta.url))
const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')

interface Atif {
  steps: Array<{source: string; tool_calls?: unknown[]; metrics?: {prompt_tokens?: number; completion_tokens?: number}}>
  final_metrics: {
    total_prompt_tokens: number
    total_completion_tokens: number
    total_cached_tokens: number
    total_cost_usd: number
    extra?: {reasoning_output_tokens?: number}
  }
}

function valid(card: TraceCard): void {
  const validate = validator('tracecard')
  expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
}

describe('ATIF (the RFC shape)', () => {
  it('one call per agent step with metrics; cached inside prompt_tokens; cost_usd recorded; logprobs as uncertainty', async () => {
    const card = await readOne(fixture('atif/spec-subagent-logprobs.json'))
    valid(card)
    expect(card.id).toBe('atif-spec-0001')
    expect(card.source).toMatchObject({format: 'atif', originator: 'harbor-agent', toolVersion: '1.0.0'})
    const calls = llmSteps(card)
    expect(calls.map(s => s.tokens)).toEqual([
      {input: 320, output: 80, cacheRead: 200, cacheWrite: 0, reasoning: 0},
      {input: 560, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0},
      {input: 600, output: 4, cacheRead: 0, cacheWrite: 0, reasoning: 0},
    ])
    expect(calls.map(s => s.cost?.recordedUsd)).toEqual([0.00045, 0.0002, 0.00033])
    const lps = [-0.1, -0.05, -0.7, -0.02]
    expect(calls[2]!.uncertainty!.meanOneMinusP).toBeCloseTo(lps.reduce((n, l) => n + 1 - Math.exp(l), 0) / 4, 12)
    expect(calls[2]!.uncertainty!.entropy).toBeUndefined()
  })

  it('pairs tool calls with observation results (Harbor’s tool_result_is_error as the error) and nests the embedded subagent', async () => {
    const card = await readOne(fixture('atif/spec-subagent-logprobs.json'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.tool!.callId, s.tool!.status])).toEqual([
      ['call_delegate_1', 'ok'],
      ['call_tests_1', 'error'],
    ])
    expect(tools[0]!.childTraceIds).toEqual(['sub-search-1'])
    expect(card.children).toHaveLength(1)
    expect(card.children[0]!.id).toBe('sub-search-1')
    expect(card.children[0]!.parent).toEqual({traceId: 'atif-spec-0001', stepId: 'call_delegate_1'})
    expect(card.children[0]!.totals.tokens).toMatchObject({input: 900, output: 30})
  })

  it("final_metrics are the recorded totals, and the card's equal them", async () => {
    const card = await readOne(fixture('atif/spec-subagent-logprobs.json'))
    expect(card.recorded).toEqual({
      source: 'ATIF final_metrics',
      tokens: {input: 1480, output: 94, cacheRead: 200, cacheWrite: 0, reasoning: 0},
      costUsd: 0.00098,
    })
    expect(card.totals.tokens).toEqual(card.recorded!.tokens)
    expect(card.totals.recordedCostUsd).toBeCloseTo(0.00098, 12)
    expect(messages(card)).toBe('')
  })
})

describe('ATIF written by Harbor (real runs, test/corpus-extra/atif)', () => {
  it('Claude Code: one step per content block, only the first with metrics: calls are the steps with metrics, totals = final_metrics', async () => {
    const path = extra('03-divergence-heston-opus-pass.trajectory.json')
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Atif
    const card = await readOne(path)
    valid(card)
    const withMetrics = doc.steps.filter(s => s.source === 'agent' && s.metrics)
    expect(card.totals.llmCalls).toBe(withMetrics.length)
    expect(card.totals.llmCalls).toBeLessThan(doc.steps.filter(s => s.source === 'agent').length)
    expect(card.totals.toolCalls).toBe(doc.steps.reduce((n, s) => n + (s.tool_calls?.length ?? 0), 0))
    const t = card.totals.tokens
    expect(t.input + t.cacheRead + t.cacheWrite).toBe(doc.final_metrics.total_prompt_tokens)
    expect(t.output).toBe(doc.final_metrics.total_completion_tokens)
    expect(card.recorded!.costUsd).toBe(doc.final_metrics.total_cost_usd)
    // priced by the catalog: claude-opus-4-6 at list price gives the cost Harbor recorded, to the cent
    expect(card.totals.costUsd).toBeCloseTo(doc.final_metrics.total_cost_usd, 2)
    expect(messages(card)).toMatch(/5 agent step\(s\) without metrics read as more content of the call before them/)
    expect(card.steps.filter(s => s.kind === 'tool').every(s => s.tool!.status !== 'unknown')).toBe(true)
  })

  it('Codex: no per-step metrics: the calls share final_metrics (estimated) and sum to it exactly', async () => {
    const path = extra('07-codex-bl-regime-hmm.trajectory.json')
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Atif
    const card = await readOne(path)
    valid(card)
    const calls = llmSteps(card)
    expect(calls.length).toBeGreaterThan(1)
    expect(calls.every(s => s.estimated === true && s.cost?.source === 'estimated')).toBe(true)
    const t = card.totals.tokens
    const fm = doc.final_metrics
    expect(t.input + t.cacheRead).toBe(fm.total_prompt_tokens)
    expect(t.cacheRead).toBe(fm.total_cached_tokens)
    expect(t.output).toBe(fm.total_completion_tokens)
    expect(t.reasoning).toBe(fm.extra!.reasoning_output_tokens)
    expect(card.totals.costUsd).toBeCloseTo(fm.total_cost_usd, 12)
    expect(messages(card)).toMatch(/no per-step metrics/)
  })
})
