import {describe, expect, it} from 'vitest'
import {actionName, sweAgentAdapter, sweAgentModel} from '../../src/adapt/swe-agent.js'
import {splitAmount, splitInteger} from '../../src/adapt/split-estimate.js'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

function tools(card: TraceCard) {
  return card.steps.filter(s => s.kind === 'tool').map(s => s.tool!)
}

describe('SWE-agent adapter', () => {
  it('splits model_stats over the steps by prompt and response size, summing exactly to the recorded totals', async () => {
    // The fixture's prompts before the three calls are 1000, 2000 and 3000 characters (the
    // demonstration counts: it is sent), its responses 100, 100 and 200 characters.
    const card = await readOne(fixture('swe-agent/demo-in-history/acme__widgets-12.traj'))
    const steps = llmSteps(card)
    expect(steps).toHaveLength(3)
    expect(steps.map(s => s.tokens!.input)).toEqual([1000, 2000, 3000])
    expect(steps.map(s => s.tokens!.output)).toEqual([100, 100, 200])
    expect(steps.every(s => s.estimated === true && s.cost?.source === 'estimated')).toBe(true)
    // Cost weights input + 4 × output: 1400, 2400, 3800 of 7600 → 0.07, 0.12, 0.19 of $0.38.
    const usd = steps.map(s => s.cost!.usd!)
    expect(usd[0]).toBeCloseTo(0.07, 12)
    expect(usd[1]).toBeCloseTo(0.12, 12)
    expect(usd[2]).toBeCloseTo(0.19, 12)
    expect(Math.abs(card.totals.costUsd - 0.38)).toBeLessThan(1e-9)
    expect(card.totals.tokens).toEqual({input: 6000, output: 400, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(card.recorded).toEqual({
      source: 'swe-agent info.model_stats',
      costUsd: 0.38,
      tokens: {input: 6000, output: 400},
      apiCalls: 4,
    })
  })

  it('says when api_calls differs from the steps, and keeps demonstrations out of the steps', async () => {
    const card = await readOne(fixture('swe-agent/demo-in-history/acme__widgets-12.traj'))
    expect(card.totals.llmCalls).toBe(3)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/api_calls is 4 but the trajectory has 3 steps/)
  })

  it('takes the model from the run name in all_preds.jsonl and the outcome from report.json', async () => {
    const card = await readOne(fixture('swe-agent/demo-in-history/acme__widgets-12.traj'))
    expect(card.models).toEqual(['gpt-4-1106-preview'])
    expect(card.task).toEqual({
      id: 'acme__widgets-12',
      outcome: {resolved: true, exitStatus: 'submitted', source: 'SWE-bench report.json'},
    })
    expect(card.title).toBe('Widget.resize drops the last column')
    expect(card.cwd).toBe('/acme__widgets')
  })

  it('makes a tool step of each action, named by its first word, an error when SWE-agent rejected it', async () => {
    const card = await readOne(fixture('swe-agent/demo-in-history/acme__widgets-12.traj'))
    expect(tools(card).map(t => [t.name, t.status])).toEqual([
      ['open', 'ok'],
      ['edit', 'error'],
      ['submit', 'ok'],
    ])
    expect(tools(card)[1]!.arguments).toBe('edit 3:3\n        return self.cells[: cols\nend_of_edit')
    const [first] = card.steps
    expect(card.steps[1]!.parentStepId).toBe(first!.id)
  })

  it('reads 1.x function calling: replay_config (a JSON string) names model and instance, tool_call ids skip demonstrations', async () => {
    const card = await readOne(fixture('swe-agent/function-calling/replayed-run.traj'))
    expect(card.id).toBe('acme__widgets-34')
    expect(card.task?.id).toBe('acme__widgets-34')
    expect(card.task?.outcome).toEqual({exitStatus: 'submitted (exit_cost)', source: 'swe-agent info.exit_status'})
    expect(card.models).toEqual(['claude-3-5-sonnet-20241022'])
    const t = card.steps.filter(s => s.kind === 'tool')
    expect(t.map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.durationMs])).toEqual([
      ['call_run_1', 'python', 'error', 1250],
      ['call_submit_1', 'submit', 'ok', 500],
    ])
    expect(card.totals.tokens.input).toBe(3000)
    expect(card.totals.tokens.output).toBe(90)
    expect(Math.abs(card.totals.costUsd - 0.0123)).toBeLessThan(1e-12)
    expect(card.title).toBe('Widget.resize drops the last column')
  })

  it('counts all-zero model_stats (a demonstration) without cost, and says so', async () => {
    const card = await readOne(fixture('swe-agent/zero-model-stats.traj'))
    expect(card.totals.llmCalls).toBe(1)
    expect(llmSteps(card)[0]!.tokens).toBeUndefined()
    // its cost is unknown, not $0: the call is listed as unpriced
    expect(llmSteps(card)[0]!.cost).toEqual({usd: null, source: 'unpriced'})
    expect(card.totals.costUsd).toBe(0)
    expect(card.totals.unpricedCalls).toBe(1)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/all zero/)
  })

  it('keeps the recorded cost when no model is named anywhere', async () => {
    const card = await readOne(fixture('swe-agent/no-model.traj'))
    expect(card.models).toEqual([])
    expect(card.unpriced).toEqual([])
    expect(Math.abs(card.totals.costUsd - 0.2)).toBeLessThan(1e-12)
    // 20001 prompt tokens split in whole numbers still sum exactly.
    expect(llmSteps(card).reduce((n, s) => n + s.tokens!.input, 0)).toBe(20001)
    expect(llmSteps(card).reduce((n, s) => n + s.tokens!.output, 0)).toBe(101)
    expect(llmSteps(card).every(s => s.model === undefined)).toBe(true)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/model shows as unknown/)
    expect(tools(card).map(t => t.status)).toEqual(['ok', 'error'])
  })

  it('reports fields of the wrong type by name and reads the rest', async () => {
    const result = await read(fixture('swe-agent/bad-model-stats.traj'))
    expect(result.skipped.map(s => s.reason)).toEqual([
      'trajectory[1]: expected an object, got string',
      'info.model_stats.tokens_sent: expected a number, got string; the steps are read without tokens or cost',
    ])
    const card = result.cards[0]!
    expect(card.totals.llmCalls).toBe(2)
    expect(card.recorded).toBeUndefined()
    expect(result.internalErrors).toBe(0)
  })

  it('produces cards that validate against the schema', async () => {
    const validate = validator('tracecard')
    for (const name of [
      'demo-in-history/acme__widgets-12.traj',
      'function-calling/replayed-run.traj',
      'zero-model-stats.traj',
      'no-model.traj',
      'bad-model-stats.traj',
    ]) {
      const card = await readOne(fixture(`swe-agent/${name}`))
      expect(validate(card), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
  })

  it('sniffs trajectories only', () => {
    expect(sweAgentAdapter.sniff({trajectory: [{action: 'ls', observation: ''}], history: [], info: {}})).toBe(true)
    expect(sweAgentAdapter.sniff({messages: [], info: {model_stats: {}}, trajectory_format: 'mini-swe-agent-1'})).toBe(
      false,
    )
    expect(sweAgentAdapter.sniff({trajectory: [{foo: 1}], history: [], info: {}})).toBe(false)
    expect(sweAgentAdapter.sniff([{role: 'user', content: 'x'}])).toBe(false)
  })

  it('expands SWE-agent model shortcuts and run names', () => {
    expect(sweAgentModel('gpt4__swe-bench-dev-easy_first_only__default__t-0.00__p-0.95__c-3.00__install-1')).toBe(
      'gpt-4-1106-preview',
    )
    expect(sweAgentModel('azure:gpt4')).toBe('gpt-4-1106-preview')
    expect(sweAgentModel('claude-3-5-sonnet-20241022')).toBe('claude-3-5-sonnet-20241022')
    expect(actionName('edit 4:4\ndef f():\nend_of_edit')).toBe('edit')
    expect(actionName('  python reproduce.py')).toBe('python')
  })
})

describe('split of recorded totals', () => {
  it('gives whole parts that sum to the total (largest remainder)', () => {
    expect(splitInteger(10, [1, 1, 1])).toEqual([4, 3, 3])
    expect(splitInteger(7, [0, 0])).toEqual([4, 3])
    expect(splitInteger(100, [1, 2, 3, 4]).reduce((a, b) => a + b, 0)).toBe(100)
    for (let seed = 1; seed < 50; seed++) {
      const weights = Array.from({length: (seed % 7) + 1}, (_, i) => ((seed * 7919 + i * 104729) % 1000) / 7)
      const total = seed * 1237
      const parts = splitInteger(total, weights)
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
      expect(parts.every(p => Number.isInteger(p) && p >= 0)).toBe(true)
    }
  })

  it('gives amounts that sum to the total within 1e-9', () => {
    for (let seed = 1; seed < 50; seed++) {
      const weights = Array.from({length: (seed % 9) + 1}, (_, i) => ((seed * 31 + i * 17) % 13) + 0.5)
      const total = seed * 0.0137
      const parts = splitAmount(total, weights)
      expect(Math.abs(parts.reduce((a, b) => a + b, 0) - total)).toBeLessThan(1e-9)
      expect(parts.every(p => p >= 0)).toBe(true)
    }
  })
})
