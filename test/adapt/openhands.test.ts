import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {litellmTokens} from '../../src/adapt/litellm.js'
import {validator} from '../../src/util/schemas.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

interface Event {
  id: number
  action?: string
  llm_metrics?: {
    accumulated_cost: number
    costs: Array<{cost: number}>
    token_usages: Array<{response_id: string; prompt_tokens: number}>
  }
  tool_call_metadata?: {model_response: {id: string; usage: Record<string, unknown>}}
}

const events = (name: string): Event[] => JSON.parse(readFileSync(fixture(`openhands/${name}`), 'utf8')) as Event[]
const tool = (card: TraceCard, callId: string): Step['tool'] => card.steps.find(s => s.tool?.callId === callId)?.tool
const byId = (card: TraceCard, id: string): Step => card.steps.find(s => s.id === id)!

describe('OpenHands adapter', () => {
  it("reads a conversation exported with its events ({conversation, events}, as OpenHands Cloud's API gives them)", async () => {
    const exported = await readOne(fixture('openhands/exported-conversation.json'))
    const bare = await readOne(fixture('openhands/llm-metrics-per-call.json'))
    expect(exported.source.format).toBe('openhands')
    expect(exported.title).toBe('Fix the flaky websocket test')
    expect(exported.steps.map(s => [s.id, s.tokens])).toEqual(bare.steps.map(s => [s.id, s.tokens]))
    expect(exported.totals).toEqual(bare.totals)
  })

  it("reads the events as the server's trajectory endpoint answers them ({trajectory: [...]})", async () => {
    const answered = await readOne(fixture('openhands/trajectory-endpoint.json'))
    const bare = await readOne(fixture('openhands/llm-metrics-per-call.json'))
    expect(answered.source.format).toBe('openhands')
    expect(answered.steps.map(s => [s.id, s.kind, s.tokens])).toEqual(bare.steps.map(s => [s.id, s.kind, s.tokens]))
    expect(answered.totals).toEqual(bare.totals)
  })

  it('takes a call id used again after a condensation for a new call, each with its own result (fresh109)', async () => {
    // DeepSeek numbers its calls anew after OpenHands condensed the context (`toolu_01` twice): the second call had
    // been taken for the first told again and dropped, with the result paired to the first (84 of 142 calls lost).
    const card = await readOne(fixture('openhands/call-ids-numbered-anew-after-condensation.json'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.tool!.callId, s.tool!.status, s.tool!.exitCode])).toEqual([
      ['toolu_01', 'error', 1],
      ['toolu_01', 'ok', 0],
    ])
    expect(tools.map(s => s.tool!.excerpt)).toEqual(['1 failed, 11 passed', ' M backend/app.py'])
    expect(new Set(tools.map(s => s.id)).size).toBe(2)
    expect(card.totals.toolCalls).toBe(2)
  })

  it("reads the file editor's refusal as a failure, and keeps the bash tool's note when it says more than done", async () => {
    const card = await readOne(fixture('waste-classes/openhands-editor-refusals-and-busy-shell.json'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => s.tool!.status)).toEqual([
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'error',
      'ok',
    ])
    expect(tools[0]!.tool!.excerpt).toMatch(/^ERROR:\nNo replacement was performed/)
    // (The note the agent read after the output: not run, still running; not "completed with exit code 0".)
    expect(tools[3]!.tool!.excerpt).toMatch(/is NOT executed\. The previous command is still running/)
    expect(tools[2]!.tool!.excerpt).toMatch(/\[The command has no new output after 10 seconds\./)
    expect(tools[8]!.tool!.excerpt).toBe(
      '[main 1a2b3c4] fix: error message\n 1 file changed, 1 insertion(+), 1 deletion(-)',
    )
  })

  it('makes one LLM step per model_response.id: sibling tool calls and observations repeat it', async () => {
    const card = await readOne(fixture('openhands/llm-metrics-per-call.json'))
    const ids = new Set(
      events('llm-metrics-per-call.json').flatMap(e =>
        e.tool_call_metadata ? [e.tool_call_metadata.model_response.id] : [],
      ),
    )
    // five events carry metadata, three distinct responses; the fourth LLM step is the condenser call of llm_metrics
    expect(ids.size).toBe(3)
    expect(llmSteps(card).map(s => s.id)).toEqual([...ids, 'chatcmpl-C1'])
    const first = byId(card, 'chatcmpl-A1')
    expect(first.toolStepIds).toEqual(['call_ls', 'call_view'])
    expect(first.model).toBe('gpt-4o-2024-08-06')
  })

  it('converts OpenAI-style usage: cached_tokens is inside prompt_tokens', async () => {
    const card = await readOne(fixture('openhands/llm-metrics-per-call.json'))
    // chatcmpl-A2: prompt_tokens 6100 with 5120 cached, 60 completion tokens
    expect(byId(card, 'chatcmpl-A2').tokens).toEqual({
      input: 6100 - 5120,
      cacheRead: 5120,
      cacheWrite: 0,
      output: 60,
      reasoning: 0,
    })
  })

  it('converts LiteLLM-normalised Anthropic usage: prompt_tokens includes cache reads and writes', () => {
    // basic.json's second call: 4646 = 6 + 1158 written + 3482 read
    const usage = {
      prompt_tokens: 4646,
      completion_tokens: 177,
      prompt_tokens_details: {cached_tokens: 3482},
      cache_creation_input_tokens: 1158,
      cache_read_input_tokens: 3482,
    }
    expect(litellmTokens(usage)).toEqual({input: 6, cacheWrite: 1158, cacheRead: 3482, output: 177, reasoning: 0})
    // an older LiteLLM left the writes out of prompt_tokens: only what fits is subtracted
    expect(
      litellmTokens({
        prompt_tokens: 3488,
        completion_tokens: 5,
        cache_creation_input_tokens: 900,
        cache_read_input_tokens: 3000,
      }),
    ).toMatchObject({input: 488, cacheWrite: 900, cacheRead: 3000})
    expect(
      litellmTokens({prompt_tokens: 10, completion_tokens: 50, completion_tokens_details: {reasoning_tokens: 30}}),
    ).toEqual({input: 10, cacheWrite: 0, cacheRead: 0, output: 50, reasoning: 30})
  })

  it('pairs actions with observations by cause, with exit codes; finish completes at once', async () => {
    const card = await readOne(fixture('openhands/llm-metrics-per-call.json'))
    expect(tool(card, 'call_ls')).toMatchObject({
      name: 'execute_bash',
      status: 'ok',
      exitCode: 0,
      arguments: {command: 'ls /workspace'},
    })
    expect(tool(card, 'call_view')).toMatchObject({name: 'str_replace_editor', status: 'ok'})
    expect(tool(card, 'call_test')).toMatchObject({status: 'error', exitCode: 1})
    expect(tool(card, 'call_test')!.excerpt).toMatch(/FAILED test_utils.py::test_add/)
    expect(tool(card, 'call_finish')).toMatchObject({name: 'finish', status: 'ok'})
    expect(card.task?.outcome).toEqual({exitStatus: 'finished', source: 'openhands event stream'})
  })

  it('takes per-call costs from llm_metrics, matched to token_usages by position, and checks them against accumulated_cost', async () => {
    const card = await readOne(fixture('openhands/llm-metrics-per-call.json'))
    const metrics = events('llm-metrics-per-call.json')
      .filter(e => e.llm_metrics)
      .at(-1)!.llm_metrics!
    metrics.token_usages.forEach((u, i) => {
      expect(byId(card, u.response_id).cost?.recordedUsd, u.response_id).toBe(metrics.costs[i]!.cost)
    })
    expect(card.recorded?.costUsd).toBe(metrics.accumulated_cost)
    expect(Math.abs(card.totals.recordedCostUsd! - metrics.accumulated_cost)).toBeLessThan(1e-9)
    // the condenser call no event shows is still counted, with its tokens
    expect(byId(card, 'chatcmpl-C1').tokens).toMatchObject({input: 3000, output: 400})
    expect(card.recorded?.tokens).toEqual(card.totals.tokens)
    expect(card.warnings.map(w => w.message)).toEqual([
      expect.stringMatching(/1 call\(s\) in llm_metrics appear in no event/),
    ])
  })

  it('attributes the growth of accumulated_cost to the calls made in between when only totals are kept', async () => {
    const card = await readOne(fixture('openhands/accumulated-cost-only.json'))
    const snaps = events('accumulated-cost-only.json').filter(e => e.llm_metrics)
    const diff = (i: number): number =>
      snaps[i]!.llm_metrics!.accumulated_cost - (i === 0 ? 0 : snaps[i - 1]!.llm_metrics!.accumulated_cost)
    expect(byId(card, 'chatcmpl-R1').cost?.recordedUsd).toBeCloseTo(diff(0), 12)
    expect(byId(card, 'chatcmpl-R2').cost?.recordedUsd).toBeCloseTo(diff(1), 12)
    // the agent's question has no tool_call_metadata: a call without tokens whose recorded cost stands
    const question = llmSteps(card).find(s => s.text?.startsWith('Which Python version'))!
    expect(question.tokens).toBeUndefined()
    expect(question.cost).toEqual({usd: diff(2), source: 'recorded', recordedUsd: diff(2)})
    // the condensation's cost has no call in the events: a step with the recorded cost and no tokens
    const unattributed = llmSteps(card).filter(s => !s.tokens && s !== question)
    expect(unattributed.map(s => s.cost?.usd)).toEqual([diff(3)])
    // R3's action carries no snapshot, so R4's increase covers both: split by tokens, marked estimated
    const r3 = byId(card, 'chatcmpl-R3').cost!
    const r4 = byId(card, 'chatcmpl-R4').cost!
    expect([r3.source, r4.source]).toEqual(['estimated', 'estimated'])
    expect(Math.abs(r3.usd! + r4.usd! - diff(4))).toBeLessThan(1e-12)
    const last = snaps.at(-1)!.llm_metrics!.accumulated_cost
    expect(card.recorded?.costUsd).toBe(last)
    expect(Math.abs(card.totals.recordedCostUsd! - last)).toBeLessThan(1e-9)
    // the condenser's tokens are in accumulated_token_usage but in no event: said, not hidden
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/differ from llm_metrics.accumulated_token_usage/)
  })

  it('reads newer observations (metadata.exit_code, success: false, error) and user turns', async () => {
    const card = await readOne(fixture('openhands/accumulated-cost-only.json'))
    expect(byId(card, 'chatcmpl-R1').tokens).toEqual({
      input: 3,
      cacheWrite: 8997,
      cacheRead: 0,
      output: 120,
      reasoning: 0,
    })
    expect(tool(card, 'toolu_01')).toMatchObject({status: 'ok', exitCode: 0})
    expect(tool(card, 'toolu_02')).toMatchObject({name: 'think', status: 'ok'})
    expect(tool(card, 'toolu_03')).toMatchObject({status: 'error', exitCode: 4})
    expect(tool(card, 'toolu_04')).toMatchObject({status: 'error', excerpt: 'The command timed out after 120 seconds.'})
    expect(byId(card, 'toolu_04').durationMs).toBe(120_000)
    expect(card.task?.outcome?.exitStatus).toBe('finished')
    expect(byId(card, 'chatcmpl-R1').turn).toBe(1)
    expect(byId(card, 'chatcmpl-R3').turn).toBe(2)
    expect(card.startedAt).toBe('2025-06-02T14:10:00.500Z')
    expect(card.title).toBe('Why does CI fail on main?')
    expect(validator('tracecard')(card)).toBe(true)
  })

  it('skips an event with a wrong type, naming the field, and reads the rest', async () => {
    const result = await read(fixture('openhands/wrong-type-usage.json'))
    expect(result.skipped).toEqual([
      {
        path: fixture('openhands/wrong-type-usage.json'),
        reason: 'event 3 (id 3): tool_call_metadata.model_response.usage.prompt_tokens: expected a number, got string',
      },
    ])
    const card = result.cards[0]!
    expect(llmSteps(card).map(s => s.id)).toEqual(['chatcmpl-B1'])
    expect(tool(card, 'call_1')?.status).toBe('ok')
  })
})

describe('LiteLLM usage, one converter for every reader', () => {
  it('never counts a token twice when the cache parts exceed the prompt', () => {
    // prompt 1000 with 800 read and 300 written: the writes cannot all be inside the prompt
    const t = litellmTokens({
      prompt_tokens: 1000,
      completion_tokens: 10,
      prompt_tokens_details: {cached_tokens: 800},
      cache_creation_input_tokens: 300,
    })
    expect(t).toEqual({input: 200, cacheRead: 800, cacheWrite: 300, output: 10, reasoning: 0})
    // DeepSeek names its cache hits apart
    expect(
      litellmTokens({
        prompt_tokens: 1515,
        completion_tokens: 1,
        prompt_cache_hit_tokens: 320,
        prompt_cache_miss_tokens: 1195,
      }),
    ).toMatchObject({input: 1195, cacheRead: 320})
  })
})
