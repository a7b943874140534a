import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

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
    const path = extra('03-divergence-heston-opus-pass/trajectory.json')
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
    const path = extra('07-codex-bl-regime-hmm/trajectory.json')
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

describe('Harbor trial files beside an ATIF trajectory (result.json, verifier/ctrf.json)', () => {
  it('Harbor layout: the reward and the tests are the task outcome; the task id is the task name', async () => {
    const card = await readOne(fixture('atif/harbor-trial-pass/agent/trajectory.json'))
    valid(card)
    expect(card.task).toEqual({
      id: 'log-report',
      outcome: {
        resolved: true,
        reward: 1,
        tests: {passed: 3, failed: 0, total: 3},
        source: 'Harbor ../result.json verifier_result.rewards; CTRF ../verifier/ctrf.json',
      },
    })
  })

  it('a flat copy of a trial that timed out: reward 0, 1 of 3 tests passed, the exception as the exit status', async () => {
    const card = await readOne(fixture('atif/harbor-flat-timeout/trajectory.json'))
    valid(card)
    expect(card.task?.outcome).toMatchObject({
      resolved: false,
      reward: 0,
      tests: {passed: 1, failed: 2, total: 3},
      exitStatus: 'AgentTimeoutError',
    })
  })

  it('real trials: reward 1.0 and every test of their CTRF report passed (10 of 10, 1 of 1); task ids are the task names', async () => {
    const heston = await readOne(extra('03-divergence-heston-opus-pass/trajectory.json'))
    expect(heston.task).toEqual({
      id: 'heston-mc-pricing',
      outcome: {
        resolved: true,
        reward: 1,
        tests: {passed: 10, failed: 0, total: 10},
        source: 'Harbor result.json verifier_result.rewards; CTRF ctrf.json',
      },
    })
    const codex = await readOne(extra('07-codex-bl-regime-hmm/trajectory.json'))
    expect(codex.task?.outcome).toMatchObject({resolved: true, reward: 1, tests: {passed: 1, failed: 0, total: 1}})
    for (const name of ['03-divergence-heston-opus-pass', '07-codex-bl-regime-hmm'])
      for (const file of ['result.json', 'ctrf.json'])
        expect((await read(extra(`${name}/${file}`))).companion).toBeDefined()
  })

  it('result.json, ctrf.json and config.json are companions, not unknown formats or traces', async () => {
    for (const name of [
      'harbor-trial-pass/result.json',
      'harbor-trial-pass/config.json',
      'harbor-trial-pass/verifier/ctrf.json',
      'harbor-flat-timeout/ctrf.json',
    ]) {
      const r = await read(fixture(`atif/${name}`))
      expect(r.companion, name).toMatch(/Harbor|CTRF/)
      expect(r.cards, name).toEqual([])
      expect(r.skipped, name).toEqual([])
    }
  })

  it('with no result.json: the CTRF tests alone decide (all passed), or reward.txt; and a disagreement is said', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-harbor-'))
    const trajectory = readFileSync(fixture('atif/harbor-trial-pass/agent/trajectory.json'), 'utf8')
    const ctrf = readFileSync(fixture('atif/harbor-flat-timeout/ctrf.json'), 'utf8')
    mkdirSync(join(dir, 'a', 'agent'), {recursive: true})
    mkdirSync(join(dir, 'a', 'verifier'))
    writeFileSync(join(dir, 'a', 'agent', 'trajectory.json'), trajectory)
    writeFileSync(join(dir, 'a', 'verifier', 'ctrf.json'), ctrf)
    const a = await readOne(join(dir, 'a', 'agent', 'trajectory.json'))
    expect(a.task).toEqual({
      outcome: {resolved: false, tests: {passed: 1, failed: 2, total: 3}, source: 'CTRF ../verifier/ctrf.json'},
    })
    writeFileSync(join(dir, 'a', 'verifier', 'reward.txt'), '1\n')
    const b = await readOne(join(dir, 'a', 'agent', 'trajectory.json'))
    expect(b.task?.outcome).toMatchObject({resolved: true, reward: 1})
    expect(messages(b)).toMatch(/reward \(1\) and its tests \(1 of 3 passed\) disagree/)
    // A trajectory with no trial files beside it has no outcome.
    mkdirSync(join(dir, 'b', 'c'), {recursive: true})
    writeFileSync(join(dir, 'b', 'c', 'alone.json'), trajectory)
    expect((await readOne(join(dir, 'b', 'c', 'alone.json'))).task).toBeUndefined()
  })
})
