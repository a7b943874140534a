/** Tracing products' exports: OpenAI Agents SDK and Langfuse. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {langfuseTokens} from '../../src/adapt/langfuse.js'
import {tokenSum} from '../../src/card/build.js'
import {validator} from '../../src/util/schemas.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'
import {PriceBook} from '../../src/price/book.js'
import {priceCard} from '../../src/price/price-card.js'

const tools = (card: TraceCard): Step[] => card.steps.filter(s => s.kind === 'tool')
const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')

function valid(card: TraceCard): void {
  const validate = validator('tracecard')
  expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
}

describe('OpenAI Agents SDK trace export', () => {
  it('generation and response spans are calls; a span exported at start and at end counts once', async () => {
    const card = await readOne(fixture('openai-agents/refund-trace.json'))
    valid(card)
    expect(card.source).toMatchObject({format: 'openai-agents', traceId: 'trace_9f1c2d3e4b5a69788796a5b4c3d2e1f0'})
    expect(card.title).toBe('Refund workflow')
    expect(card.sessionId).toBe('thread-77')
    expect(llmSteps(card).map(s => [s.id, s.model, s.tokens?.input, s.tokens?.cacheRead, s.tokens?.output])).toEqual([
      ['span_gen00000000000000000001', 'gpt-4o-mini', 1100, 0, 40],
      ['resp_68a1', undefined, 126, 1024, 60],
      ['span_gen00000000000000000002', 'gpt-4o-mini', 1150, 0, 50],
    ])
    expect(messages(card)).toMatch(/1 span\(s\) exported more than once/)
  })

  it('a response span names no model: its tokens are unpriced, never $0 or guessed', async () => {
    const card = await readOne(fixture('openai-agents/refund-trace.json'))
    expect(card.unpriced).toEqual([
      {
        model: '(unknown)',
        tokens: {input: 126, output: 60, cacheRead: 1024, cacheWrite: 0, reasoning: 0},
        calls: 1,
        reason: expect.any(String),
      },
    ])
    expect(llmSteps(card)[1]!.cost).toEqual({usd: null, source: 'unpriced'})
    expect(messages(card)).toMatch(/name no model/)
  })

  it("function spans are tool steps (the error kept); the task span's usage is the recorded total and equals the card's", async () => {
    const card = await readOne(fixture('openai-agents/refund-trace.json'))
    expect(tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.parentStepId])).toEqual([
      ['call_o1', 'lookup_order', 'ok', 'span_gen00000000000000000001'],
      ['span_fn000000000000000000002', 'issue_refund', 'error', 'resp_68a1'],
    ])
    expect(card.recorded!.tokens).toEqual(card.totals.tokens)
    expect(card.totals.llmCalls).toBe(3)
  })

  it('reads the same items as JSONL wrapped by a local processor ({event, span}), notes without items passed over', async () => {
    const doc = JSON.parse(readFileSync(fixture('openai-agents/refund-trace.json'), 'utf8')) as {
      data: Array<{object: string}>
    }
    const dir = mkdtempSync(join(tmpdir(), 'aco-agents-'))
    const path = join(dir, 'trace.jsonl')
    const lines = doc.data.map(item =>
      JSON.stringify({
        event: item.object === 'trace' ? 'trace_start' : 'span_end',
        [item.object === 'trace' ? 'trace' : 'span']: item,
      }),
    )
    lines.push(JSON.stringify({event: 'span_end', span_id: 'span_x', span_type: 'agent'}))
    writeFileSync(path, `${lines.join('\n')}\n`)
    const r = await read(path)
    expect(r.format).toBe('openai-agents')
    expect(r.skipped).toEqual([])
    expect(r.cards[0]!.totals).toEqual((await readOne(fixture('openai-agents/refund-trace.json'))).totals)
  })
})

describe('Langfuse trace export', () => {
  const file = fixture('langfuse/trace-7f3c9a1e-2b4d-4e8f-9a6b-1c2d3e4f5a6b.json')

  it('usage types are disjoint and add up to the total; an input that holds the cached part is split', () => {
    const disjoint = langfuseTokens({input: 40, output: 120, cache_read_input_tokens: 2800, total: 2960}, 'u')
    expect(disjoint.tokens).toEqual({input: 40, output: 120, cacheRead: 2800, cacheWrite: 0, reasoning: 0})
    expect(tokenSum(disjoint.tokens)).toBe(2960)
    const inclusive = langfuseTokens({input: 1500, output: 200, input_cached_tokens: 1024, total: 1700}, 'u')
    expect(inclusive.tokens).toEqual({input: 476, output: 200, cacheRead: 1024, cacheWrite: 0, reasoning: 0})
    expect(tokenSum(inclusive.tokens)).toBe(1700)
    const reasoning = langfuseTokens({input: 10, output: 5, output_reasoning_tokens: 30, total: 45}, 'u')
    expect(reasoning.tokens).toMatchObject({output: 35, reasoning: 30})
  })

  it('GENERATIONs are the calls (a generation inside a generation counts once), TOOLs the tool steps, level ERROR kept', async () => {
    const card = await readOne(file)
    valid(card)
    expect(card.source.format).toBe('langfuse')
    expect(card.title).toBe('support-request')
    expect(card.sessionId).toBe('chat-5512')
    expect(llmSteps(card).map(s => s.id)).toEqual(['obs-plan', 'obs-sdk-gen'])
    expect(messages(card)).toMatch(/1 generation\(s\) repeat the usage/)
    expect(tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.parentStepId])).toEqual([
      ['toolu_9', 'search_docs', 'ok', 'obs-plan'],
      ['obs-email', 'send_email', 'error', 'obs-sdk-gen'],
    ])
    expect(tools(card)[1]!.tool!.excerpt).toMatch(/SMTP 550/)
    // A call a generation issued started when its TOOL observation did, not when the generation ended.
    expect(tools(card)[0]!.startedAt).toBe('2025-09-02T14:00:03.100Z')
  })

  it("the generations' recorded costs add up to the trace's totalCost", async () => {
    const card = await readOne(file)
    expect(card.recorded).toEqual({source: 'Langfuse trace totalCost', costUsd: 0.00576})
    expect(card.totals.recordedCostUsd).toBeCloseTo(0.00576, 12)
    expect(messages(card)).not.toMatch(/costs sum to/)
  })

  it('observations exported as JSONL: one card per trace', async () => {
    const r = await read(fixture('langfuse/observations-export.jsonl'))
    expect(r.format).toBe('langfuse')
    expect(r.cards.map(c => [c.id, c.totals.llmCalls, c.totals.recordedCostUsd])).toEqual([
      ['trace-0', 1, 0.000156],
      ['trace-1', 1, 0.0001605],
    ])
  })
})

describe('cache writes the export formats record their own way (trial 100)', () => {
  it('OpenAI Agents: input_tokens_details.cache_write_tokens are writes inside the input', async () => {
    const card = await readOne(fixture('openai-agents/cache-write-tokens.jsonl'))
    priceCard(card, new PriceBook())
    expect(card.totals.tokens).toMatchObject({input: 1000, output: 500, cacheRead: 6000, cacheWrite: 3000})
    expect(card.totals.costUsd).toBeCloseTo(0.02355, 9)
  })

  it('OpenAI Agents: bad usage is skipped with its line; cache tokens above the input are cut to it, and said', async () => {
    const path = fixture('bad-usage/openai-agents.jsonl')
    const r = await read(path)
    expect(r.skipped.map(s => s.line).sort()).toEqual([2, 3, 4])
    expect(r.cards[0]!.warnings.map(w => w.message)).toContain(
      '1 span(s) state fewer input tokens than their cache tokens (first at line 5): the cache counted as at most the input',
    )
  })

  it('Langfuse: writes split by lifetime beside their total count once, the 1-hour part at its rate', async () => {
    const card = await readOne(fixture('langfuse/anthropic-cache-by-lifetime.json'))
    priceCard(card, new PriceBook())
    expect(card.totals.tokens).toMatchObject({input: 12, output: 300, cacheRead: 20000, cacheWrite: 2048})
    expect(card.totals.costUsd).toBeCloseTo(0.018216, 9)
  })

  it('LangSmith: writes given only by lifetime (langsmith-sdk wrappers) are writes, the 1-hour ones at their rate', async () => {
    const card = await readOne(fixture('langsmith/anthropic-cache-by-lifetime.jsonl'))
    priceCard(card, new PriceBook())
    expect(card.totals.tokens).toMatchObject({
      input: 12,
      output: 300,
      cacheRead: 20000,
      cacheWrite: 2048,
      cacheWrite1h: 2048,
    })
    expect(card.totals.costUsd).toBeCloseTo(0.022824, 9)
    expect(card.warnings).toEqual([])
  })
})
