/**
 * OpenTelemetry corpus (otel-genai, openinference, otel-vercel-ai): every file
 * read as otel with no skip, every card valid, and the tokens equal the
 * files' own usage attributes read here the plain way; Vercel AI SDK spans
 * count the doGenerate/doStream/doEmbed spans only, and their sum equals the
 * usage the wrapper spans record.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {tokenSum} from '../../src/card/build.js'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, llmSteps, read, skipNoCorpus} from '../helpers.js'

type Attrs = Record<string, unknown>

describe.skipIf(!hasCorpus)(`corpus: OpenTelemetry (${hasCorpus ? corpus('otel-*') : skipNoCorpus})`, () => {
  const folders = ['otel-genai', 'openinference', 'otel-vercel-ai']
  const files = hasCorpus ? folders.flatMap(d => readdirSync(corpus(d)).map(f => join(corpus(d), f))) : []

  it.each(files)('%s: read as otel, nothing skipped, cards valid', async path => {
    const r = await read(path)
    expect(r.format).toBe('otel')
    expect(r.skipped).toEqual([])
    expect(r.cards.length).toBeGreaterThan(0)
    const validate = validator('tracecard')
    for (const card of r.cards) expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
  })

  it('flat GenAI and OpenInference attribute maps: tokens = the usage attributes, total = llm.token_count.total', async () => {
    for (const [folder, name, inKey, outKey, totalKey] of [
      [
        'otel-genai',
        'otel_genai_client_span_tool_calls.json',
        'gen_ai.usage.input_tokens',
        'gen_ai.usage.output_tokens',
        undefined,
      ],
      [
        'openinference',
        'openinference_client_span_tool_calls.json',
        'llm.token_count.prompt',
        'llm.token_count.completion',
        'llm.token_count.total',
      ],
    ] as const) {
      const path = corpus(`${folder}/${name}`)
      const attrs = JSON.parse(readFileSync(path, 'utf8')) as Attrs
      const card = (await read(path)).cards[0]!
      const t = card.totals.tokens
      expect(t.input + t.cacheRead + t.cacheWrite, name).toBe(attrs[inKey])
      expect(t.output, name).toBe(attrs[outKey])
      if (totalKey) expect(tokenSum(t)).toBe(attrs[totalKey])
      expect(card.models).toEqual(['gpt-4-0613'])
      // the tool call in these spans' input messages is history (an earlier turn), not a call this span issued
      expect(card.totals.toolCalls).toBe(0)
    }
  })

  it('a lone execute_tool span is a tool step named by gen_ai.tool.name with its call id', async () => {
    const card = (await read(corpus('otel-genai/otel_genai_tool_execution_span.json'))).cards[0]!
    expect(card.steps.map(s => [s.kind, s.tool?.name, s.tool?.callId, s.tool?.status])).toEqual([
      ['tool', 'get_weather', '1234', 'ok'],
    ])
  })

  it('Vercel AI SDK: only doGenerate/doStream/doEmbed count, and their usage equals what the wrapper spans record', async () => {
    const path = corpus('otel-vercel-ai/all-spans.json')
    const spans = JSON.parse(readFileSync(path, 'utf8')) as Array<{name: string; attributes: Attrs}>
    const n = (a: Attrs, ...keys: string[]): number => {
      for (const k of keys) if (typeof a[k] === 'number') return a[k] as number
      return 0
    }
    const inner = spans.filter(s => /\.(doGenerate|doStream|doEmbed)$/.test(s.name))
    const outer = spans.filter(s => !/\.(doGenerate|doStream|doEmbed)$/.test(s.name))
    const sum = (list: typeof spans, keys: string[]) => list.reduce((acc, s) => acc + n(s.attributes, ...keys), 0)
    const r = await read(path)
    const calls = r.cards.flatMap(llmSteps)
    expect(calls).toHaveLength(inner.length)
    const tokens = r.cards.reduce(
      (acc, c) => ({
        prompt: acc.prompt + c.totals.tokens.input + c.totals.tokens.cacheRead,
        out: acc.out + c.totals.tokens.output,
      }),
      {prompt: 0, out: 0},
    )
    const inKeys = ['ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens']
    const outKeys = ['ai.usage.outputTokens', 'ai.usage.completionTokens']
    expect(tokens.prompt).toBe(sum(inner, inKeys))
    expect(tokens.out).toBe(sum(inner, outKeys))
    // the wrappers repeat the same usage: counting them too would double it
    expect(sum(outer, inKeys)).toBe(tokens.prompt)
    expect(sum(outer, outKeys)).toBe(tokens.out)
  })

  it('the doGenerate file repeats two spans of all-spans.json: read together, each counts once', async () => {
    const run = await analyze({
      paths: [corpus('otel-vercel-ai')],
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    const alone = await read(corpus('otel-vercel-ai/all-spans.json'))
    expect(run.summary.totals.llmCalls).toBe(alone.cards.reduce((n, c) => n + c.totals.llmCalls, 0))
  })

  it('a tool span no LLM call issued costs nothing and counts as no unpriced call', async () => {
    const run = await analyze({paths: [corpus('otel-genai')], home: '/nonexistent', env: {}, threads: 1})
    const lone = run.summary.byTool.find(r => r.tool === 'get_weather')
    expect(lone).toMatchObject({calls: 1, costUsd: 0, unpricedCalls: 0})
    expect(run.summary.totals.unpricedCalls).toBe(0)
  })
})
