import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {tokenSum} from '../../src/card/build.js'
import {validator} from '../../src/util/schemas.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {UncertaintyAccumulator} from '../../src/adapt/logprobs.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')
const tools = (card: TraceCard): Step[] => card.steps.filter(s => s.kind === 'tool')

function valid(card: TraceCard): void {
  const validate = validator('tracecard')
  expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
}

/** The expected uncertainty, computed here the plain way: mean 1 − p, and mean entropy of the renormalised alternatives. */
function expected(tokens: Array<{logprob: number; top: number[]}>): {meanOneMinusP: number; entropy?: number} {
  const mean = tokens.reduce((n, t) => n + (1 - Math.exp(t.logprob)), 0) / tokens.length
  const withTop = tokens.filter(t => t.top.length > 0)
  if (!withTop.length) return {meanOneMinusP: mean}
  const h = withTop.map(t => {
    const ps = t.top.map(Math.exp)
    const z = ps.reduce((a, b) => a + b, 0)
    return -ps.reduce((n, p) => n + (p / z) * Math.log(p / z), 0)
  })
  return {meanOneMinusP: mean, entropy: h.reduce((a, b) => a + b, 0) / h.length}
}

describe('logprobs → uncertainty', () => {
  it('is 0 for certain tokens, bounded by ln k for k equal alternatives', () => {
    const sure = new UncertaintyAccumulator()
    sure.add(0, [0])
    sure.add(-0, [])
    expect(sure.result()).toEqual({meanOneMinusP: 0, entropy: 0})
    const coin = new UncertaintyAccumulator()
    coin.add(Math.log(0.25), [Math.log(0.25), Math.log(0.25), Math.log(0.25), Math.log(0.25)])
    expect(coin.result()!.meanOneMinusP).toBeCloseTo(0.75, 12)
    expect(coin.result()!.entropy).toBeCloseTo(Math.log(4), 12)
    expect(new UncertaintyAccumulator().result()).toBeUndefined()
  })
})

describe("a provider's usage that counts the prompt cache at 0", () => {
  it('is a cache recorded unused (0.0%), not a hit rate not recorded (trial 89)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-api-cache-'))
    try {
      const path = join(dir, 'calls.jsonl')
      const usage = (cached: number | undefined) => ({
        prompt_tokens: 1200,
        completion_tokens: 18,
        total_tokens: 1218,
        ...(cached === undefined ? {} : {prompt_tokens_details: {cached_tokens: cached}}),
      })
      const line = (cached: number | undefined) =>
        JSON.stringify({
          timestamp: '2025-05-23T11:33:20Z',
          request: {method: 'POST', url: 'https://api.openai.com/v1/chat/completions', body: {model: 'gpt-4o-mini'}},
          response: {
            status: 200,
            body: {
              id: `c${cached}`,
              object: 'chat.completion',
              model: 'gpt-4o-mini',
              choices: [],
              usage: usage(cached),
            },
          },
        })
      writeFileSync(path, `${line(0)}\n`)
      expect((await readOne(path)).source.recordsCache).toBe(true)
      writeFileSync(path, `${line(undefined)}\n`)
      expect((await readOne(path)).source.recordsCache).toBeUndefined()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('raw API logs: OpenAI Chat Completions', () => {
  it('one step per response, cached tokens inside the prompt, logprobs as uncertainty', async () => {
    const card = await readOne(fixture('api-log/openai-chat-logprobs.jsonl'))
    valid(card)
    expect(card.source.format).toBe('api-log')
    const [a, b, c] = llmSteps(card)
    expect(a!.tokens).toEqual({input: 176, output: 18, cacheRead: 1024, cacheWrite: 0, reasoning: 0})
    expect(tokenSum(a!.tokens!)).toBe(1218) // its usage.total_tokens
    expect(a!.uncertainty!.meanOneMinusP).toBeCloseTo(
      expected([
        {logprob: -0.02, top: [-0.02, -4.1]},
        {logprob: -0.001, top: [-0.001, -7.0]},
      ]).meanOneMinusP,
      12,
    )
    const eb = expected([
      {logprob: -0.3, top: [-0.3, -1.4]},
      {logprob: -1.2, top: [-1.2, -0.5]},
      {logprob: 0, top: []},
    ])
    expect(b!.uncertainty!.meanOneMinusP).toBeCloseTo(eb.meanOneMinusP, 12)
    expect(b!.uncertainty!.entropy).toBeCloseTo(eb.entropy!, 12)
    // the streamed call: usage from the last chunk, logprobs from the deltas
    expect(c!.tokens).toEqual({input: 122, output: 4, cacheRead: 1408, cacheWrite: 0, reasoning: 0})
    expect(c!.text).toBe('Add an index.')
    expect(c!.uncertainty!.entropy).toBeCloseTo(
      expected([
        {logprob: -0.05, top: [-0.05, -3.0]},
        {logprob: -0.01, top: [-0.01]},
        {logprob: -0.2, top: [-0.2, -1.7]},
      ]).entropy!,
      12,
    )
  })

  it('completes a tool call with the result the next request sends back; counts a response logged twice once; a 429 is no call', async () => {
    const card = await readOne(fixture('api-log/openai-chat-logprobs.jsonl'))
    expect(tools(card).map(s => [s.tool!.callId, s.tool!.name, s.tool!.status, s.tool!.arguments])).toEqual([
      ['call_a', 'read_file', 'ok', {path: 'app/models.py'}],
    ])
    expect(tools(card)[0]!.tool!.excerpt).toMatch(/class User/)
    expect(card.totals.llmCalls).toBe(3)
    expect(messages(card)).toMatch(/1 response\(s\) logged more than once/)
    expect(messages(card)).toMatch(/1 failed request\(s\)/)
  })

  it('groups the calls of a log holding several runs by their run_id: one card per run, no duplicate across runs', async () => {
    const lines = readFileSync(fixture('api-log/openai-chat-logprobs.jsonl'), 'utf8').split('\n').filter(Boolean)
    const dir = mkdtempSync(join(tmpdir(), 'aco-api-log-'))
    const path = join(dir, 'two-runs.jsonl')
    // The same log twice over, as two runs of one agent interleaved line by line (response ids told apart).
    const run = (id: string) =>
      lines.map(l => {
        const r = JSON.parse(l) as Record<string, unknown>
        return JSON.stringify({...r, run_id: id}).replaceAll('"chatcmpl-', `"chatcmpl-${id}-`)
      })
    const [a, b] = [run('r-1'), run('r-2')]
    writeFileSync(path, `${a.flatMap((l, i) => [l, b[i]!]).join('\n')}\n`)
    const cards = (await read(path)).cards
    expect(cards.map(c => c.id).sort()).toEqual(['r-1', 'r-2'])
    const one = await readOne(fixture('api-log/openai-chat-logprobs.jsonl'))
    for (const card of cards) expect(card.totals.llmCalls).toBe(one.totals.llmCalls)
  })
})

describe('raw API logs: Anthropic Messages and OpenAI Responses streams', () => {
  it('keeps cache reads and writes apart from the input (1-hour writes priced apart), and an is_error tool result', async () => {
    const card = await readOne(fixture('api-log/anthropic-proxy.jsonl'))
    valid(card)
    expect(card.id).toBe('sess-7')
    const [a, b] = llmSteps(card)
    expect(a!.tokens).toEqual({input: 12, output: 80, cacheRead: 0, cacheWrite: 3000, cacheWrite1h: 3000, reasoning: 0})
    // the SSE stream: input usage from message_start, output from the last message_delta
    expect(b!.tokens).toEqual({input: 15, output: 42, cacheRead: 3000, cacheWrite: 0, reasoning: 0})
    expect(b!.text).toBe('Three tests fail on the date parser.')
    expect(b!.durationMs).toBe(2500)
    expect(tools(card).map(s => [s.tool!.name, s.tool!.status, s.tool!.excerpt])).toEqual([
      ['bash', 'error', '3 failed, 40 passed'],
    ])
  })

  it('takes Responses usage from response.completed and logprobs from the output_text deltas', async () => {
    const card = await readOne(fixture('api-log/openai-responses-stream.jsonl'))
    const [step] = llmSteps(card)
    expect(step!.tokens).toEqual({input: 40, output: 2, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(step!.uncertainty!.meanOneMinusP).toBeCloseTo(
      expected([
        {logprob: -0.1, top: []},
        {logprob: 0, top: []},
      ]).meanOneMinusP,
      12,
    )
    expect(step!.model).toBe('gpt-4.1-2025-04-14')
  })
})

describe('HTTP cassettes', () => {
  it('VCR.py: decodes a gzipped !!binary body, leaves the model list out, and counts the 500 as no call', async () => {
    const card = await readOne(fixture('cassette/openai-chat-vcrpy.yaml'))
    valid(card)
    expect(card.source.format).toBe('cassette')
    expect(llmSteps(card).map(s => [s.id, s.model, s.text])).toEqual([['chatcmpl-Vc1', 'gpt-4o-2024-08-06', '4']])
    expect(llmSteps(card)[0]!.uncertainty!.meanOneMinusP).toBeCloseTo(1 - Math.exp(-0.0001), 12)
    expect(messages(card)).toMatch(/1 interaction\(s\) are not provider API calls/)
    expect(messages(card)).toMatch(/1 failed request\(s\)/)
  })

  it('TGI: generated tokens only (the prompt is not counted, and said so), special tokens left out of the uncertainty, model from the URL', async () => {
    const card = await readOne(fixture('cassette/tgi-generate.yaml'))
    const [step] = llmSteps(card)
    expect(step!.tokens).toEqual({input: 0, output: 3, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(step!.model).toBe('mistralai/Mistral-7B-Instruct-v0.3')
    expect(step!.uncertainty!.meanOneMinusP).toBeCloseTo((1 - Math.exp(-0.25) + 1 - Math.exp(-0.9)) / 2, 12)
    expect(messages(card)).toMatch(/count only the generated tokens/)
    // no price for the model: unpriced with its tokens, never $0
    expect(step!.cost?.usd).toBeNull()
  })

  it('Ruby VCR (JSON http_interactions) with an Anthropic SSE body', async () => {
    const card = await readOne(fixture('cassette/ruby-vcr-anthropic-stream.json'))
    valid(card)
    expect(llmSteps(card).map(s => [s.id, s.model, s.startedAt])).toEqual([
      ['msg_01Rb', 'claude-haiku-4-5-20251001', '2025-07-01T08:00:09.000Z'],
    ])
    expect(card.totals.tokens).toMatchObject({input: 15, cacheRead: 3000, output: 42})
  })

  it('a YAML file that is not a cassette is not guessed', async () => {
    const r = await read(fixture('mapping/acme-agent.yaml'))
    expect(r.format).toBeUndefined()
    expect(r.skipped[0]!.reason).toMatch(/unknown format; looked for .*HTTP cassette/)
    expect(readFileSync(fixture('mapping/acme-agent.yaml'), 'utf8')).toMatch(/^# A mapping/)
  })
})

describe('HTTP cassettes: logprob byte lists', () => {
  it('reads the same whether bytes are listed at the key’s indent (PyYAML) or deeper', async () => {
    const {mkdtempSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'aco-vcr-'))
    const cassette = (itemIndent: string) => `interactions:
- request:
    method: POST
    parsed_body: {model: gpt-4o-mini}
    uri: https://api.openai.com/v1/responses
  response:
    parsed_body:
      id: resp_1
      object: response
      model: gpt-4o-mini-2024-07-18
      status: completed
      output:
      - type: message
        content:
        - type: output_text
          text: Hi
          logprobs:
          - bytes:
${itemIndent}- 72
${itemIndent}- 105
            logprob: -0.5
            token: Hi
            top_logprobs: []
      usage: {input_tokens: 5, output_tokens: 1, total_tokens: 6}
    status: {code: 200, message: OK}
version: 1
`
    const results = []
    for (const [name, indent] of [
      ['same.yaml', '            '],
      ['deeper.yaml', '              '],
    ] as const) {
      const path = join(dir, name)
      writeFileSync(path, cassette(indent))
      const r = await read(path)
      expect(r.skipped, name).toEqual([])
      results.push(llmSteps(r.cards[0]!)[0]!.uncertainty)
    }
    expect(results[0]).toEqual({meanOneMinusP: 1 - Math.exp(-0.5)})
    expect(results[1]).toEqual(results[0])
  })
})

describe('--format with a format of several readers', () => {
  it('--format cassette reads a YAML cassette with the YAML reader and a JSON one with the JSON reader', async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    const yaml = await readTraceFile(fixture('cassette/tgi-generate.yaml'), {format: 'cassette'})
    expect(yaml.skipped).toEqual([])
    expect(yaml.cards[0]!.totals.llmCalls).toBe(1)
    const json = await readTraceFile(fixture('cassette/ruby-vcr-anthropic-stream.json'), {format: 'cassette'})
    expect(json.cards[0]!.totals.llmCalls).toBe(1)
  })
})
