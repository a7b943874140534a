import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {tokenSum} from '../../src/card/build.js'
import {validator} from '../../src/util/schemas.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'
import {PriceBook} from '../../src/price/book.js'
import {priceCard} from '../../src/price/price-card.js'

const tools = (card: TraceCard): Step[] => card.steps.filter(s => s.kind === 'tool')
const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')
const prompt = (t: {input: number; cacheRead: number; cacheWrite: number}): number =>
  t.input + t.cacheRead + t.cacheWrite

function valid(card: TraceCard): void {
  const validate = validator('tracecard')
  expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
}

describe('OpenTelemetry: OTLP/JSON with GenAI semantic conventions', () => {
  it('reads intValue as strings or numbers, ns times as strings, current and deprecated names', async () => {
    const card = await readOne(fixture('otel/otlp-agent-trace.json'))
    valid(card)
    expect(card.source).toMatchObject({
      format: 'otel',
      traceId: '5b8efff798038103d269b633813fc60c',
      originator: 'weather-bot',
    })
    expect(card.title).toBe('weather-bot')
    expect(card.sessionId).toBe('conv-42')
    const [first, second] = llmSteps(card)
    // input_tokens "500" (a string) includes the 300 cache reads; output 40 a JSON number
    expect(first!.tokens).toEqual({input: 200, output: 40, cacheRead: 300, cacheWrite: 0, reasoning: 0})
    expect(first!.model).toBe('gpt-4o-mini-2024-07-18') // gen_ai.response.model over the request model
    expect(first!.startedAt).toBe('2024-05-29T16:26:40.100Z')
    expect(first!.durationMs).toBe(2000)
    // deprecated gen_ai.usage.prompt_tokens / completion_tokens, only a request model
    expect(second!.tokens).toEqual({input: 620, output: 35, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(second!.model).toBe('gpt-4o-mini')
    expect(second!.text).toMatch(/could not reach the weather service/)
    // the HTTP span and the agent span are not steps
    expect(card.totals.llmCalls).toBe(2)
  })

  it('makes execute_tool spans tool steps under the call that issued them, keeps the error status, and says which calls ran no span', async () => {
    const card = await readOne(fixture('otel/otlp-agent-trace.json'))
    const [first] = llmSteps(card)
    expect(tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.parentStepId])).toEqual([
      ['call_2', 'lookup_time', 'unknown', first!.id],
      ['call_1', 'get_weather', 'error', first!.id],
    ])
    expect(card.steps.find(s => s.tool?.callId === 'call_1')!.tool!.excerpt).toBe('upstream weather service timed out')
    expect(messages(card)).toMatch(/1 tool span\(s\) ended with an error status/)
    expect(messages(card)).toMatch(/1 tool call\(s\) a response issued have no tool span/)
  })

  it("checks the card's tokens against the usage the agent span records (and they are equal)", async () => {
    const card = await readOne(fixture('otel/otlp-agent-trace.json'))
    expect(card.recorded?.source).toMatch(/span roll-up \(invoke_agent\)/)
    expect(card.recorded!.tokens).toEqual(card.totals.tokens)
    expect(messages(card)).not.toMatch(/states .* input/)
  })

  it('counts once the usage a parent span and its child span both carry', async () => {
    const card = await readOne(fixture('otel/nested-usage.json'))
    valid(card)
    expect(llmSteps(card).map(s => s.id)).toEqual(['f000000000000002'])
    expect(card.totals.tokens).toEqual({input: 300, output: 220, cacheRead: 1500, cacheWrite: 0, reasoning: 0})
    expect(card.totals.llmCalls).toBe(1)
    expect(card.recorded!.tokens).toEqual(card.totals.tokens)
    expect(messages(card)).toMatch(/1 LLM span\(s\) repeat the usage of the LLM spans under them/)
    // priced from the inner span's response model
    expect(llmSteps(card)[0]!.model).toBe('claude-sonnet-4-5-20250929')
    expect(card.totals.costUsd).toBeGreaterThan(0)
  })
})

describe('OpenTelemetry: Vercel AI SDK spans', () => {
  it('counts the doGenerate spans, never the ai.generateText span that repeats their usage, which checks them', async () => {
    const card = await readOne(fixture('otel/vercel-tool-loop.json'))
    valid(card)
    expect(llmSteps(card).map(s => s.id)).toEqual(['0100000000000002', '0100000000000004'])
    // [s, ns] times
    expect(llmSteps(card)[0]!.startedAt).toBe('2025-02-03T16:26:40.010Z')
    expect(card.totals.tokens).toEqual({input: 1300 - 1024, output: 95, cacheRead: 1024, cacheWrite: 0, reasoning: 0})
    // the wrapper's own usage is the recorded total: 1300 in (1024 cached), 95 out
    expect(prompt(card.recorded!.tokens as never)).toBe(1300)
    expect(card.recorded!.tokens!.output).toBe(95)
    expect(card.title).toBe('weather-agent')
    // Its calls' spans have an attribute for the cache: its hit rate is recorded (trial 89: a 0 read "not recorded").
    expect(card.source.recordsCache).toBe(true)
  })

  it('records no cache for calls whose spans have no attribute for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-otel-cache-'))
    try {
      const text = readFileSync(fixture('otel/vercel-tool-loop.json'), 'utf8')
      const path = join(dir, 'spans.json')
      writeFileSync(path, text.replaceAll('ai.usage.cachedInputTokens', 'ai.usage.somethingElse'))
      expect((await readOne(path)).source.recordsCache).toBeUndefined()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('makes ai.toolCall a tool step of the doGenerate whose ai.response.toolCalls named it', async () => {
    const card = await readOne(fixture('otel/vercel-tool-loop.json'))
    expect(
      tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.parentStepId, s.tool!.arguments]),
    ).toEqual([['call_w1', 'weather', 'ok', '0100000000000002', {city: 'Berlin'}]])
    expect(card.steps.map(s => s.kind)).toEqual(['llm', 'tool', 'llm'])
  })
})

describe('OpenTelemetry: OpenInference spans as Python to_json() writes them', () => {
  it('reads llm.token_count.* (cache reads inside the prompt), 0x ids, ISO times, and checks the chain totals', async () => {
    const card = await readOne(fixture('otel/openinference-chain.jsonl'))
    valid(card)
    expect(card.source.traceId).toBe('6e0c63257de34c92bf9efcd03927272e')
    expect(card.sessionId).toBe('ticket-881')
    const [a, b] = llmSteps(card)
    expect(a!.tokens).toEqual({input: 452, output: 60, cacheRead: 2048, cacheWrite: 0, reasoning: 0})
    expect(tokenSum(a!.tokens!)).toBe(2560) // llm.token_count.total
    expect(b!.text).toMatch(/refund failed/)
    expect(prompt(card.recorded!.tokens as never)).toBe(5200)
    expect(prompt(card.totals.tokens)).toBe(5200)
    expect(card.totals.tokens.output).toBe(150)
  })

  it('matches a TOOL span that names no call id to the call its LLM span issued, by name, and keeps its ERROR status', async () => {
    const card = await readOne(fixture('otel/openinference-chain.jsonl'))
    expect(tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.parentStepId])).toEqual([
      ['call_r1', 'issue_refund', 'error', '0000000000000a02'],
    ])
    expect(card.totals.toolCalls).toBe(1)
  })
})

describe('OpenTelemetry: bad input', () => {
  it('skips a span whose token count is not a number, naming the attribute, and reads the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-otel-'))
    const path = join(dir, 'spans.jsonl')
    const span = (id: string, input: unknown) =>
      JSON.stringify({
        name: 'chat gpt-4o',
        context: {trace_id: '0xabc', span_id: id},
        parent_id: null,
        start_time: '2025-01-01T00:00:00Z',
        end_time: '2025-01-01T00:00:01Z',
        status: {status_code: 'OK'},
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': input,
        },
      })
    writeFileSync(path, `${span('0x1', 'many')}\n${span('0x2', 12)}\n`)
    const r = await read(path)
    expect(r.format).toBe('otel')
    expect(r.skipped).toEqual([
      {path, line: 1, reason: 'span 1: attribute gen_ai.usage.input_tokens: expected a token count, got "many"'},
    ])
    expect(r.cards[0]!.totals.llmCalls).toBe(1)
  })
})

describe('the provider a span names', () => {
  it('keeps it on the step, and the price stage prices the model with it (trial 34: "not in the catalog")', async () => {
    const card = await readOne(fixture('otel/provider-named-models.jsonl'))
    expect(llmSteps(card).map(s => [s.model, s.provider])).toEqual([
      ['text-embedding-3-small', 'openai'],
      ['llama-3.3-70b-versatile', 'groq'],
    ])
    priceCard(card, new PriceBook())
    expect(card.unpriced).toEqual([])
    expect(llmSteps(card).map(s => s.cost?.source)).toEqual(['computed', 'computed'])
    expect(card.totals.costUsd).toBeCloseTo(0.00002 + 0.000669, 9)
    expect(validator('tracecard')(card)).toBe(true)
  })
})

describe('OpenTelemetry: what trial 100 found', () => {
  const priced = (card: TraceCard): TraceCard => {
    priceCard(card, new PriceBook())
    return card
  }

  it('AI SDK 5 with the Anthropic provider: the cache is on top of inputTokens, its writes in the provider metadata', async () => {
    const card = priced(await readOne(fixture('otel/vercel-v5-anthropic-cache.json')))
    expect(card.totals.tokens).toMatchObject({input: 5000, output: 400, cacheRead: 3000, cacheWrite: 2000})
    expect(card.totals.costUsd).toBeCloseTo(0.0294, 9)
    // Its total is the SDK's input + output, the cache outside both: no mismatch to say.
    expect(card.warnings.map(w => w.message).join('\n')).not.toMatch(/do not add up/)
  })

  it('a wrapper stating usage with no call span under it counts as the call it stands for', async () => {
    const vercel = await read(fixture('otel/vercel-outer-spans-only.json'))
    expect(vercel.cards.map(c => [c.totals.llmCalls, c.totals.tokens.input, c.totals.tokens.output])).toEqual([
      [1, 120, 18],
      [1, 260, 64],
    ])
    expect(vercel.cards[0]!.warnings.map(w => w.message)).toContain(
      '1 ai.generateText span(s) state usage with no call span under them, nor calls in the file that account for it: each counted as one call with that usage (the calls it made, joined by trace id where another file holds them)',
    )
    // A call exported elsewhere is a wrapper's where it names it as parent, or states its usage in its time; a call that
    // cannot account for a wrapper's usage leaves it standing for its own (review 118). [calls, input tokens, skipped]
    const cases: Array<[string, number, number, number]> = [
      ['calls-under-another-trace-id', 1, 1000, 0],
      ['call-ends-after-its-wrapper', 1, 1000, 0],
      ['lone-wrapper-over-anothers-call', 2, 51000, 0],
      ['roll-up-and-lone-wrapper-overlapping', 2, 51000, 0],
      ['call-with-no-time', 1, 1000, 1],
    ]
    for (const [name, calls, input, skipped] of cases) {
      const r = await read(fixture(`otel-wrapper-cases/${name}.json`))
      const total = r.cards.reduce((n, c) => n + c.totals.tokens.input, 0)
      expect([r.cards.reduce((n, c) => n + c.totals.llmCalls, 0), total, r.skipped.length], name).toEqual([
        calls,
        input,
        skipped,
      ])
    }
    const unsure = await read(fixture('otel-wrapper-cases/call-with-no-time.json'))
    expect(unsure.skipped[0]!.reason).toMatch(/may be theirs \(a time unknown\): taken for their roll-up, not counted$/)
    // Beside a trace of a wrapper with its call (trial 116: 98% of a file's spend had gone uncounted, unsaid), in its
    // time even: that call is its own wrapper's, so the lone wrapper still stands for calls no span here holds.
    for (const name of ['wrapper-trace-beside-whole-trace.json', 'agent-trace-beside-whole-trace.json']) {
      const mixed = await read(fixture(`otel/${name}`))
      expect(
        mixed.cards.map(c => [c.totals.llmCalls, c.totals.tokens.input, c.totals.tokens.output]),
        name,
      ).toEqual([
        [1, 1000, 100],
        [1, 50000, 5000],
      ])
    }
    const agent = priced(await readOne(fixture('otel/agent-span-alone.json')))
    expect(llmSteps(agent).map(s => [s.model, s.tokens?.input, s.tokens?.output])).toEqual([['deepseek-chat', 14, 132]])
    // Where the calls are under it, the wrapper is their roll-up as before (the Vercel dump with its doGenerate spans).
    const loop = await readOne(fixture('otel/vercel-tool-loop.json'))
    expect(llmSteps(loop).every(s => s.id !== loop.steps[0]?.id || s.model !== undefined)).toBe(true)
    expect(loop.warnings.map(w => w.message).join('\n')).not.toMatch(/state usage in a file with no call span/)
  })

  it('names an OpenLLMetry tool span by its traceloop.entity.name, not its span name `run_tests.tool` (trial 116)', async () => {
    const card = await readOne(fixture('otel/openllmetry-tool-span.json'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    // One tool step, the call the first response issued, run: not a call left "status unknown" beside a second step.
    expect(tools.map(s => [s.tool!.callId, s.tool!.name, s.tool!.status])).toEqual([['call_a', 'run_tests', 'ok']])
    expect(card.totals.toolCalls).toBe(1)
    expect(card.warnings.map(w => w.message).join('\n')).not.toMatch(/status unknown/)
    // Its root is named for what it is (`workflow`): the first request of its first call titles it (trial 116: four
    // traces titled "chat" in aco review).
    expect(card.title).toBe('fix the bug')
  })

  it("reads Python's ConsoleSpanExporter output: pretty-printed spans one after another, as the one-a-line file", async () => {
    const console = await read(fixture('otel/python-console-exporter.json'))
    const lines = await read(fixture('otel/openinference-chain.jsonl'))
    expect(console.skipped).toEqual([])
    expect(console.cards.map(c => c.totals)).toEqual(lines.cards.map(c => c.totals))
    // A cut one is said to be cut, as a cut document is.
    const dir = mkdtempSync(join(tmpdir(), 'aco-console-'))
    try {
      const text = readFileSync(fixture('otel/python-console-exporter.json'), 'utf8')
      const cut = join(dir, 'cut.json')
      writeFileSync(cut, text.slice(0, text.length - 40))
      expect((await read(cut)).skipped[0]!.reason).toMatch(/^truncated: /)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('pairs tool spans naming no call id with the calls of one tool issued together by their arguments', async () => {
    const card = await readOne(fixture('otel/parallel-same-tool.json'))
    const tools = card.steps
      .filter(s => s.kind === 'tool')
      .map(s => [s.tool!.callId, s.tool!.arguments, s.tool!.status])
    expect(tools).toEqual(
      expect.arrayContaining([
        ['call_P', {city: 'Paris'}, 'error'],
        ['call_L', {city: 'London'}, 'ok'],
      ]),
    )
  })

  it('says when copies of one span disagree on their token counts', async () => {
    const r = await read(fixture('otel/copies-disagree.jsonl'))
    expect(r.cards.flatMap(c => c.warnings.map(w => w.message)).join('\n')).toMatch(
      /appear more than once \(same span id\): counted once; 1 of them with other token counts than the copy before/,
    )
  })
})
