import {describe, expect, it} from 'vitest'
import {parseAiderCost, parseAiderCount} from '../../src/adapt/aider.js'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read} from '../helpers.js'

const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')
const tools = (card: TraceCard) =>
  card.steps.filter(s => s.kind === 'tool').map(s => [s.tool!.name, s.tool!.arguments, s.tool!.status, s.parentStepId])

describe('Aider chat history', () => {
  it('parses counts as aider prints them, rounded or exact', () => {
    expect(parseAiderCount('222')).toEqual({value: 222, rounded: false})
    expect(parseAiderCount('3,486')).toEqual({value: 3486, rounded: false})
    expect(parseAiderCount('3.2k')).toEqual({value: 3200, rounded: true})
    expect(parseAiderCount('10k')).toEqual({value: 10000, rounded: true})
    expect(parseAiderCount('1.5M')).toEqual({value: 1_500_000, rounded: true})
    expect(parseAiderCount('lots')).toBeUndefined()
    expect(parseAiderCost('0.0014')).toEqual({usd: 0.0014, halfUnit: 0.00005})
    expect(parseAiderCost('0.01')).toEqual({usd: 0.01, halfUnit: 0.005})
  })

  it('makes one card per session and drops a session that only started and quit', async () => {
    const result = await read(fixture('aider/sessions-and-model-switch.aider.chat.history.md'))
    expect(result.format).toBe('aider')
    expect(result.skipped).toEqual([])
    expect(result.cards.map(c => c.startedAt)).toEqual(['2025-09-14T10:02:11.000Z', '2025-09-14T18:40:05.000Z'])
    const validate = validator('tracecard')
    for (const card of result.cards) expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
  })

  it('takes the model from the latest banner, without its edit-format tail, and follows /model', async () => {
    const [card] = (await read(fixture('aider/sessions-and-model-switch.aider.chat.history.md'))).cards
    expect(llmSteps(card!).map(s => s.model)).toEqual(['anthropic/claude-sonnet-4-20250514', 'openai/gpt-4.1-mini'])
    expect(card!.source.toolVersion).toBe('v0.86.1')
    expect(card!.title).toBe('add a --verbose flag to cli.py')
  })

  it("marks rounded counts estimated, keeps message costs as recorded and the session cost as the card's recorded total", async () => {
    const [card] = (await read(fixture('aider/sessions-and-model-switch.aider.chat.history.md'))).cards
    const [first, second] = llmSteps(card!)
    expect(first!.tokens).toEqual({input: 4600, output: 312, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(first!.estimated).toBe(true)
    expect(second!.tokens).toMatchObject({input: 812, output: 95})
    expect(second!.estimated).toBeUndefined()
    expect([first!.cost?.recordedUsd, second!.cost?.recordedUsd]).toEqual([0.02, 0.00048])
    expect(card!.recorded).toEqual({source: 'aider session cost', costUsd: 0.02})
    // 0.02 + 0.00048 is within the rounding of "$0.02 session": no warning
    expect(messages(card!)).not.toMatch(/add up to/)
  })

  it('turns "Applied edit" lines into edit tool steps of the reply before them; a failed edit format is an error', async () => {
    const [one, two] = (await read(fixture('aider/sessions-and-model-switch.aider.chat.history.md'))).cards
    const [a, b] = llmSteps(one!).map(s => s.id)
    expect(tools(one!)).toEqual([
      ['edit', {path: 'cli.py'}, 'ok', a],
      ['edit', {path: 'cli.py'}, 'ok', b],
      ['edit', {path: 'README.md'}, 'ok', b],
    ])
    expect(tools(two!).map(t => t[2])).toEqual(['error', 'ok'])
  })

  it('gathers litellm errors into one warning per kind, with the line of the first', async () => {
    const [card] = (await read(fixture('aider/sessions-and-model-switch.aider.chat.history.md'))).cards
    expect(card!.warnings).toContainEqual({
      line: 37,
      message: 'litellm.RateLimitError ×2: RateLimitError: OpenAIException - Rate limit reached for gpt-4.1-mini',
    })
  })

  it('prints no cost for a local model: its steps are unpriced, not $0, and a multi-line prompt is one turn', async () => {
    const [, card] = (await read(fixture('aider/sessions-and-model-switch.aider.chat.history.md'))).cards
    expect(card!.recorded).toBeUndefined()
    expect(card!.unpriced.map(u => [u.model, u.calls])).toEqual([['ollama_chat/qwen2.5-coder:7b', 2]])
    expect(llmSteps(card!).map(s => s.cost)).toEqual([
      {usd: null, source: 'unpriced'},
      {usd: null, source: 'unpriced'},
    ])
    expect(llmSteps(card!).map(s => s.turn)).toEqual([1, 1])
    expect(card!.title).toBe('rename helper() to parse_args()')
  })

  it('reads cache writes and hits out of "sent", a cost on its own line, and old exact counts with "request"', async () => {
    const [old, cached] = (await read(fixture('aider/cache-write-and-hit.aider.chat.history.md'))).cards
    const [exact] = llmSteps(old!)
    expect(exact!.tokens).toMatchObject({input: 3486, output: 1135})
    expect(exact!.estimated).toBeUndefined()
    expect(exact!.cost?.recordedUsd).toBe(0.03)
    expect(exact!.model).toBe('claude-3-5-sonnet-20240620')
    const [write, hit] = llmSteps(cached!)
    // "12k sent, 11k cache write, 1.1k received."
    expect(write!.tokens).toEqual({input: 12000 - 11000, cacheWrite: 11000, cacheRead: 0, output: 1100, reasoning: 0})
    // "13k sent, 1.5k cache write, 11k cache hit, 870 received." and the cost on the next, unquoted line
    expect(hit!.tokens).toEqual({
      input: 13000 - 1500 - 11000,
      cacheWrite: 1500,
      cacheRead: 11000,
      output: 870,
      reasoning: 0,
    })
    expect([write!.cost?.recordedUsd, hit!.cost?.recordedUsd]).toEqual([0.06, 0.02])
    expect(write!.model).toBe('anthropic/claude-3-7-sonnet-20250219')
    expect(cached!.recorded?.costUsd).toBe(0.08)
  })

  it('warns when the message costs do not add up to the session cost within the printed rounding', async () => {
    const [card] = (await read(fixture('aider/session-cost-mismatch.aider.chat.history.md'))).cards
    expect(card!.recorded?.costUsd).toBe(0.02)
    expect(messages(card!)).toMatch(/the message costs add up to \$0\.007000 but the last session cost is \$0\.02/)
  })
})

describe('Aider LLM I/O log', () => {
  it('makes one LLM step per request/response pair, without tokens, and says why', async () => {
    const result = await read(fixture('aider/calls.aider.llm.history'))
    expect(result.format).toBe('aider-llm-history')
    expect(result.skipped).toEqual([])
    const card = result.cards[0]!
    expect(validator('tracecard')(card)).toBe(true)
    const steps = llmSteps(card)
    expect(steps).toHaveLength(3)
    // no usage in this log: the calls are unpriced (cost unknown, never $0) and listed as such
    expect(steps.every(s => s.tokens === undefined && s.cost?.usd === null && s.cost.source === 'unpriced')).toBe(true)
    expect(card.totals.unpricedCalls).toBe(3)
    expect(card.unpriced.map(u => [u.calls, u.reason])).toEqual([[3, 'the log records no token usage for these calls']])
    expect(messages(card)).toMatch(/no model names, token counts or costs/)
    // request 10:05:01, response 10:05:09
    expect(steps[0]!.durationMs).toBe(8000)
    expect(steps[0]!.text).toMatch(/^I will add the flag/)
  })

  it('marks an empty response as a failed call, and keeps its retry in the same turn', async () => {
    const card = (await read(fixture('aider/calls.aider.llm.history'))).cards[0]!
    const steps = llmSteps(card)
    expect(steps.map(s => s.stopReason)).toEqual([undefined, 'empty response', undefined])
    expect(steps.map(s => s.turn)).toEqual([1, 2, 2])
    expect(messages(card)).toMatch(/1 request\(s\) got no answer/)
    expect(card.title).toBe('add a --verbose flag to cli.py')
  })
})
