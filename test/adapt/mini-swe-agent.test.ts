import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {litellmTokens} from '../../src/adapt/litellm.js'
import {miniSweAgentAdapter, pythonObservation, returnCodeIn} from '../../src/adapt/mini-swe-agent.js'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

function tools(card: TraceCard) {
  return card.steps.filter(s => s.kind === 'tool').map(s => s.tool!)
}

const TOOLCALL = 'mini-swe-agent/toolcall-2x/acme__widgets-56.traj.json'

describe('mini-swe-agent adapter', () => {
  it('reads 2.x usage: DeepSeek cache hits are part of prompt_tokens', async () => {
    const card = await readOne(fixture(TOOLCALL))
    // Fixture calls: (hit 320, miss 1195, out 83), (1536, 197, 86), (1664, 300, 40).
    expect(llmSteps(card).map(s => s.tokens)).toEqual([
      {input: 1195, output: 83, cacheRead: 320, cacheWrite: 0, reasoning: 0},
      {input: 197, output: 86, cacheRead: 1536, cacheWrite: 0, reasoning: 0},
      {input: 300, output: 40, cacheRead: 1664, cacheWrite: 0, reasoning: 0},
    ])
    expect(card.models).toEqual(['deepseek-chat'])
    expect(llmSteps(card).every(s => s.cost?.source === 'computed' && (s.cost.usd ?? 0) > 0)).toBe(true)
  })

  it('keeps each call’s recorded cost beside the computed one; they sum to instance_cost', async () => {
    const card = await readOne(fixture(TOOLCALL))
    const doc = JSON.parse(readFileSync(fixture(TOOLCALL), 'utf8')) as {
      info: {model_stats: {instance_cost: number; api_calls: number}}
    }
    expect(llmSteps(card).map(s => s.cost?.recordedUsd)).toEqual([0.00037842, 0.000134288, 0.000121])
    expect(card.recorded).toEqual({
      source: 'mini-swe-agent info.model_stats',
      costUsd: doc.info.model_stats.instance_cost,
      apiCalls: 3,
    })
    expect(Math.abs(card.totals.recordedCostUsd! - doc.info.model_stats.instance_cost)).toBeLessThan(1e-12)
    expect(card.warnings).toEqual([])
  })

  it('pairs tool calls with tool messages by id; a non-zero returncode or an exception is an error; the exit message answers the submit', async () => {
    const card = await readOne(fixture(TOOLCALL))
    expect(tools(card).map(t => [t.callId, t.name, t.status, t.exitCode])).toEqual([
      ['call_00_ls', 'bash', 'ok', 0],
      ['call_00_test', 'bash', 'error', 1],
      ['call_00_pip', 'bash', 'error', -1],
      ['call_00_submit', 'bash', 'ok', undefined],
    ])
    expect(tools(card)[1]!.arguments).toEqual({command: 'python -m pytest tests/test_widgets.py -q'})
    const second = llmSteps(card)[1]!
    expect(second.toolStepIds).toEqual(['call_00_test', 'call_00_pip'])
    expect(tools(card)[3]!.excerpt).toContain('diff --git')
  })

  it('carries the instance id and the SWE-bench outcome from report.json', async () => {
    const card = await readOne(fixture(TOOLCALL))
    expect(card.id).toBe('acme__widgets-56')
    expect(card.task).toEqual({
      id: 'acme__widgets-56',
      outcome: {resolved: false, exitStatus: 'Submitted', source: 'SWE-bench report.json'},
    })
    expect(card.source.toolVersion).toBe('2.2.7')
    expect(card.startedAt).toBe('2026-04-10T06:41:56.000Z')
    expect(llmSteps(card)[0]!.durationMs).toBe(1500)
  })

  it('reads 1.x text actions, their <returncode> observations, format errors and timeouts', async () => {
    const card = await readOne(fixture('mini-swe-agent/text-1x.traj.json'))
    expect(card.totals.llmCalls).toBe(3)
    expect(tools(card).map(t => [t.arguments, t.status, t.exitCode])).toEqual([
      [{command: 'ls -la'}, 'ok', 0],
      [{command: 'sleep 100 && pytest'}, 'error', undefined],
    ])
    // OpenAI usage: cached ⊂ prompt, reasoning ⊂ completion.
    expect(llmSteps(card)[2]!.tokens).toEqual({input: 440, output: 120, cacheRead: 2560, cacheWrite: 0, reasoning: 64})
    expect(card.models).toEqual(['gpt-4o-2024-08-06'])
    expect(card.recorded?.costUsd).toBe(0.0525)
    expect(card.totals.recordedCostUsd).toBeUndefined()
    expect(card.task?.outcome).toEqual({exitStatus: 'LimitsExceeded', source: 'mini-swe-agent info.exit_status'})
  })

  it('counts the calls of a bare message list without tokens, says so, and finds the model in preds.json', async () => {
    const card = await readOne(fixture('mini-swe-agent/bare-list/acme__widgets-78.traj.json'))
    expect(card.totals.llmCalls).toBe(2)
    expect(llmSteps(card).every(s => s.tokens === undefined)).toBe(true)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/records no token counts: 2 LLM call/)
    expect(card.models).toEqual(['anthropic/claude-sonnet-4-20250514'])
    expect(card.task?.id).toBe('acme__widgets-78')
    expect(tools(card).map(t => [t.status, t.exitCode])).toEqual([
      ['error', 2],
      ['unknown', undefined],
    ])
  })

  it('does not take a recorded $0 as the cost of a call with tokens', async () => {
    const card = await readOne(fixture('mini-swe-agent/zero-recorded-cost.traj.json'))
    const [step] = llmSteps(card)
    expect(step!.cost).toEqual({usd: null, source: 'unpriced'})
    expect(card.unpriced.map(u => [u.model, u.calls])).toEqual([['acme-local-13b', 1]])
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/recorded cost of \$0/)
  })

  it('reports a usage count of the wrong type by name, keeps the call and its recorded cost', async () => {
    const result = await read(fixture('mini-swe-agent/bad-usage.traj.json'))
    expect(result.skipped.map(s => s.reason)).toEqual([
      'messages[2].extra.response.usage.prompt_tokens: expected a number, got string; the call is counted without tokens',
      'messages[4]: expected an object, got number',
    ])
    const card = result.cards[0]!
    expect(card.totals.llmCalls).toBe(2)
    expect(llmSteps(card)[0]!.cost).toEqual({usd: 0.0004, source: 'recorded', recordedUsd: 0.0004})
    expect(Math.abs(card.totals.recordedCostUsd! - 0.0007)).toBeLessThan(1e-12)
    expect(card.totals.unpricedCalls).toBe(0)
  })

  it('produces cards that validate against the schema', async () => {
    const validate = validator('tracecard')
    for (const name of [
      TOOLCALL,
      'mini-swe-agent/text-1x.traj.json',
      'mini-swe-agent/bare-list/acme__widgets-78.traj.json',
      'mini-swe-agent/zero-recorded-cost.traj.json',
      'mini-swe-agent/bad-usage.traj.json',
    ]) {
      const card = await readOne(fixture(name))
      expect(validate(card), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
  })

  it('converts LiteLLM usage to the card meaning (Anthropic cache writes are inside prompt_tokens)', () => {
    // LiteLLM-normalised Anthropic usage: 4646 = 6 + 1158 written + 3482 read.
    const anthropic = {
      prompt_tokens: 4646,
      completion_tokens: 200,
      prompt_tokens_details: {cached_tokens: 3482},
      cache_creation_input_tokens: 1158,
      cache_read_input_tokens: 3482,
    }
    expect(litellmTokens(anthropic, 'usage')).toEqual({
      input: 6,
      output: 200,
      cacheRead: 3482,
      cacheWrite: 1158,
      reasoning: 0,
    })
    expect(
      litellmTokens(
        {prompt_tokens: 100, completion_tokens: 50, completion_tokens_details: {reasoning_tokens: 30}},
        'usage',
      ),
    ).toEqual({
      input: 100,
      output: 50,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 30,
    })
    expect(() => litellmTokens({prompt_tokens: '1'}, 'u')).toThrow(/u\.prompt_tokens: expected a number/)
    expect(returnCodeIn('<returncode>127</returncode>\n<output>')).toBe(127)
    expect(returnCodeIn('no code')).toBeUndefined()
  })

  it('sniffs mini-swe-agent only', () => {
    expect(miniSweAgentAdapter.sniff({messages: [], trajectory_format: 'mini-swe-agent-1.1', info: {}})).toBe(true)
    expect(miniSweAgentAdapter.sniff({messages: [], info: {mini_version: '1.0.0'}})).toBe(true)
    // A generic chat export is not claimed.
    expect(miniSweAgentAdapter.sniff({messages: [{role: 'user', content: 'hi'}]})).toBe(false)
    expect(
      miniSweAgentAdapter.sniff([
        {role: 'system', content: 'You are helpful.'},
        {role: 'user', content: 'hi'},
      ]),
    ).toBe(false)
    // OpenHands events and SWE-agent trajectories are not either.
    expect(miniSweAgentAdapter.sniff([{id: 0, source: 'user', action: 'message', args: {}}])).toBe(false)
    expect(miniSweAgentAdapter.sniff({trajectory: [], history: [], info: {model_stats: {}}})).toBe(false)
  })
})

describe("mini-swe-agent 1.x observations (a Python dict's repr)", () => {
  it('reads the output unescaped and the exit code', () => {
    expect(
      pythonObservation(
        "Observation: {'output': 'bash: line 1: x: command not found\\nit\\'s\\tok\\n', 'returncode': 0}",
      ),
    ).toEqual({
      output: "bash: line 1: x: command not found\nit's\tok\n",
      code: 0,
    })
    // Python quotes with " when the text holds a ' and no ".
    expect(pythonObservation("Observation: {'output': \"it's \\\\ \\xe9\\n\", 'returncode': 2}")).toEqual({
      output: "it's \\ \u00e9\n",
      code: 2,
    })
    expect(pythonObservation('<returncode>0</returncode>\n<output>\nx</output>')).toBeUndefined()
  })
})
