import {calcPrice} from '@pydantic/genai-prices'
import {describe, expect, it, vi} from 'vitest'
import {computeTotals} from '../../src/card/build.js'
import type {Step, Tokens, TraceCard} from '../../src/card/types.js'
import {priceCard} from '../../src/price/price-card.js'
import {isPriced, PriceBook, type ModelPricing} from '../../src/price/book.js'

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MODELS: Array<[string, string | undefined]> = [
  ['claude-opus-4-6', 'anthropic'],
  ['claude-sonnet-4-5-20250929', 'anthropic'], // tiered above 200k prompt tokens
  ['claude-sonnet-4-20250514', 'anthropic'],
  ['claude-haiku-4-5-20251001', 'anthropic'],
  ['claude-3-5-sonnet-20241022', 'anthropic'],
  ['gpt-5.3-codex', 'openai'],
  ['gpt-5.4', 'openai'], // tiered
  ['gpt-5.5', 'openai'],
  ['gpt-4o', 'openai'],
  ['gemini-2.5-pro', 'google'], // tiered
  ['deepseek-chat', undefined], // time-of-day and start-date periods
]

function usageOf(t: Tokens): Record<string, number> {
  const u: Record<string, number> = {
    input_tokens: t.input + t.cacheRead + t.cacheWrite,
    output_tokens: t.output,
    cache_read_tokens: t.cacheRead,
    cache_write_tokens: t.cacheWrite,
  }
  if (t.cacheWrite1h) u.cache_write_1h_tokens = t.cacheWrite1h
  return u
}

describe('PriceBook', () => {
  it('equals genai-prices calcPrice on random usage, across tiers, periods and cache kinds', () => {
    const book = new PriceBook()
    const random = rng(42)
    let checked = 0
    for (const [model, hint] of MODELS) {
      const pricing = book.resolve(model, hint)
      expect(isPriced(pricing), model).toBe(true)
      for (let i = 0; i < 200; i++) {
        const big = random() < 0.3
        const tokens: Tokens = {
          input: Math.floor(random() * (big ? 400_000 : 20_000)),
          cacheRead: random() < 0.6 ? Math.floor(random() * (big ? 300_000 : 50_000)) : 0,
          cacheWrite: random() < 0.4 ? Math.floor(random() * 30_000) : 0,
          output: Math.floor(random() * 8_000),
          reasoning: 0,
        }
        if (tokens.cacheWrite && random() < 0.5) tokens.cacheWrite1h = Math.floor(tokens.cacheWrite * random())
        const at = new Date(Date.UTC(2025, 0, 1) + random() * 700 * 86400_000).toISOString()
        const expected = calcPrice(usageOf(tokens), model, {
          ...(hint ? {providerId: hint} : {}),
          timestamp: new Date(at),
        })
        expect(expected, model).not.toBeNull()
        const got = book.cost(pricing as ModelPricing, tokens, at)!
        expect(Math.abs(got - expected!.total_price), `${model} ${JSON.stringify(tokens)} at ${at}`).toBeLessThan(
          1e-9 + 1e-9 * expected!.total_price,
        )
        checked++
      }
    }
    expect(checked).toBe(MODELS.length * 200)
  })

  it('uses the price in force at the step time (start dates and times of day)', () => {
    const book = new PriceBook()
    const tokens: Tokens = {input: 300_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    // claude-opus-4-6: long prompts cost double until 2026-03-13, then one flat rate
    const opus = book.resolve('claude-opus-4-6', 'anthropic') as ModelPricing
    expect(book.cost(opus, tokens, '2026-03-01T00:00:00Z')).toBeCloseTo(3.0, 9)
    expect(book.cost(opus, tokens, '2026-03-20T00:00:00Z')).toBeCloseTo(1.5, 9)
    // deepseek-chat: a peak window of the day costs more
    const deepseek = book.resolve('deepseek-chat') as ModelPricing
    const peak = book.cost(deepseek, tokens, '2026-01-15T12:00:00Z')
    const offPeak = book.cost(deepseek, tokens, '2026-01-15T20:00:00Z')!
    expect(peak).toBeCloseTo(2 * offPeak, 9)
  })

  it('prices a step with no time the same at whatever hour aco runs: at the price in force most hours of the day', () => {
    const book = new PriceBook()
    const tokens: Tokens = {input: 300_000, output: 1000, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    // deepseek-chat: its standard price from 00:30 to 16:30 UTC, a discount the other 8 hours
    const deepseek = book.resolve('deepseek-chat') as ModelPricing
    const standard = book.cost(deepseek, tokens, '2026-01-15T12:00:00Z')!
    expect(book.cost(deepseek, tokens, '2026-01-15T20:00:00Z')).not.toBeCloseTo(standard, 9)
    vi.useFakeTimers()
    try {
      for (const now of ['2026-11-30T10:00:00Z', '2026-11-30T20:00:00Z', '2026-11-30T23:59:00Z']) {
        vi.setSystemTime(new Date(now))
        expect(book.cost(deepseek, tokens), now).toBeCloseTo(standard, 12)
      }
    } finally {
      vi.useRealTimers()
    }
  })

  it('resolves a model once and caches it', () => {
    const book = new PriceBook()
    expect(book.resolve('gpt-5.3-codex', 'openai')).toBe(book.resolve('gpt-5.3-codex', 'openai'))
  })

  it("prices a free tier's model at no paid model's price: the catalog's own free entries only (trial 130)", () => {
    const book = new PriceBook()
    // OpenCode Zen's free model, which the catalog matched by its paid model's name (deepseek-v4-flash).
    expect(isPriced(book.resolve('deepseek-v4-flash'))).toBe(true)
    for (const [m, p] of [
      ['deepseek-v4-flash-free', 'opencode'],
      ['opencode/deepseek-v4-flash-free', undefined],
      ['deepseek-v4-flash (free)', undefined],
    ] as const) {
      const r = book.resolve(m, p)
      expect(isPriced(r), m).toBe(false)
      expect(!isPriced(r) && r.reason, m).toMatch(/^a free tier's model the catalog does not list/)
    }
    // OpenRouter's `:free` entries are the catalog's own, at 0; a name that only holds the word is no free tier.
    const free = book.resolve('qwen/qwen3-coder:free', 'openrouter')
    expect(isPriced(free) && free.catalogId).toMatch(/free/)
    expect(isPriced(book.resolve('gpt-4o-mini'))).toBe(true)
    // Named with no provider, OpenRouter's own free entry (review 132: refused as not listed).
    const named = book.resolve('google/gemini-2.0-flash-exp:free')
    expect(isPriced(named) && named.providerId).toBe('openrouter')
  })

  it('resolves LiteLLM-style provider/model names', () => {
    const book = new PriceBook()
    const r = book.resolve('anthropic/claude-sonnet-4-20250514')
    expect(isPriced(r) && r.providerId).toBe('anthropic')
    expect(isPriced(book.resolve('deepseek/deepseek-chat'))).toBe(true)
    // Bedrock-style vendor and region prefixes
    expect(isPriced(book.resolve('openai/deepseek.deepseek-chat'))).toBe(true)
    // A Bedrock model id is Bedrock's, with no provider named too (trial 124: `us.` was priced at Anthropic's own
    // long-context rate, `global.` and `apac.amazon.` were unpriced); a vendor-dotted name Bedrock does not write
    // (no version suffix, no region) is the vendor's.
    for (const m of [
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'apac.amazon.nova-pro-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
    ]) {
      const r = book.resolve(m)
      expect(isPriced(r) && r.providerId, m).toBe('aws')
    }
    const vendor = book.resolve('deepseek.deepseek-chat')
    expect(isPriced(vendor) && vendor.providerId).toBe('deepseek')
  })

  it("prices a gateway's alias written with underscores as the catalog's hyphened name, and nothing else (trial 90)", () => {
    const book = new PriceBook()
    const id = (m: string, hint?: string): string | undefined => {
      const r = book.resolve(m, hint)
      return isPriced(r) ? `${r.providerId}/${r.catalogId}` : undefined
    }
    expect(id('claude_4_5_opus', 'openai')).toBe('anthropic/claude-opus-4-5')
    expect(id('gpt_4o')).toBe('openai/gpt-4o')
    expect(id('openai/gpt_4o_mini')).toBe('openai/gpt-4o-mini')
    // A name of no catalog model stays unpriced, however it is spelled.
    expect(id('my_internal_model')).toBeUndefined()
    expect(id('__gpt_4o__')).toBeUndefined()
  })

  it('reads a provider a trace names as the catalog names it, and prices a model known only with it (trial 34)', () => {
    const book = new PriceBook()
    expect(
      ['openai', 'aws.bedrock', 'gcp.gemini', 'groq.chat', 'openai.embedding', 'mistral_ai', 'nowhere'].map(p =>
        book.providerId(p),
      ),
    ).toEqual(['openai', 'aws', 'google', 'groq', 'openai', 'mistral', undefined])
    // Without its provider the catalog finds no `text-embedding-3-small`; with it, calcPrice's own price.
    expect(isPriced(book.resolve('text-embedding-3-small'))).toBe(false)
    const embedding = book.resolve('text-embedding-3-small', book.providerId('openai'))
    const tokens: Tokens = {input: 1000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    expect(isPriced(embedding) && book.cost(embedding, tokens)).toBeCloseTo(
      calcPrice({input_tokens: 1000}, 'text-embedding-3-small', {providerId: 'openai'})!.total_price,
      12,
    )
  })

  it("prices a catalog entry its own match rules do not take by its id (Bedrock's regional Claude): as calcPrice, not $0", () => {
    // Review 34: every rate sampled by the entry's id read 0, a computed $0.00 for Claude on Bedrock.
    const book = new PriceBook()
    const tokens: Tokens = {input: 100_000, output: 5000, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    const want = calcPrice({input_tokens: 100_000, output_tokens: 5000}, 'us.anthropic.claude-sonnet-4-20250514-v1:0', {
      providerId: 'aws',
    })!.total_price
    expect(want).toBeGreaterThan(0)
    for (const [model, provider] of [
      ['us.anthropic.claude-sonnet-4-20250514-v1:0', book.providerId('aws.bedrock')],
      ['bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0', undefined],
      ['us.anthropic.claude-sonnet-4-20250514-v1:0', undefined],
    ] as const) {
      const r = book.resolve(model, provider)
      expect(isPriced(r) && r.providerId, model).toBe('aws')
      expect(isPriced(r) && book.cost(r, tokens), model).toBeCloseTo(want, 12)
    }
  })

  it("prices a Bedrock id written without its date and version as Bedrock's one entry of that model (review 125)", () => {
    const book = new PriceBook()
    const tokens: Tokens = {input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    const bedrock = (id: string): number =>
      calcPrice({input_tokens: 1_000_000, output_tokens: 0}, id, {providerId: 'aws'})!.total_price
    for (const [model, full] of [
      ['us.anthropic.claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['eu.anthropic.claude-haiku-4-5', 'eu.anthropic.claude-haiku-4-5-20251001-v1:0'],
      ['global.anthropic.claude-sonnet-4-5', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['bedrock/us.anthropic.claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ] as const) {
      const r = book.resolve(model)
      expect(isPriced(r) && r.providerId, model).toBe('aws')
      expect(isPriced(r) && book.cost(r, tokens), model).toBeCloseTo(bedrock(full), 9)
    }
    // (Not Anthropic's own price: $3.30 for a million prompt tokens on a regional profile, where Anthropic's is $3.)
    expect(bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).not.toBeCloseTo(
      calcPrice({input_tokens: 1_000_000, output_tokens: 0}, 'claude-sonnet-4-5', {providerId: 'anthropic'})!
        .total_price,
      6,
    )
    // A vendor's own id is not Bedrock's, and an id naming no one Bedrock model is left to the other spellings.
    expect((book.resolve('claude-sonnet-4-5') as ModelPricing).providerId).toBe('anthropic')
    expect((book.resolve('us.anthropic.claude-sonnet-4') as ModelPricing).providerId).toBe('aws')
  })

  it('says why a model is unpriced', () => {
    const r = new PriceBook().resolve('my-local-llama')
    expect(isPriced(r)).toBe(false)
    expect(!isPriced(r) && r.reason).toMatch(/--prices/)
  })

  it('takes prices from a user file, for unknown models and as overrides', () => {
    const book = new PriceBook([
      {model: 'my-local-llama', prices: {input_mtok: 1, output_mtok: 2}},
      {model: 'claude-opus-4-6', prices: {input_mtok: 100, output_mtok: 100, cache_read_mtok: 0, cache_write_mtok: 0}},
      {model: 'dated', prices: {input_mtok: 1, output_mtok: 1}},
      {model: 'dated', startDate: '2026-01-01', prices: {input_mtok: 2, output_mtok: 2}},
    ])
    const tokens: Tokens = {input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    const llama = book.resolve('my-local-llama') as ModelPricing
    expect(llama.fromUserFile).toBe(true)
    expect(book.cost(llama, tokens)).toBeCloseTo(3, 9)
    expect(book.cost(book.resolve('claude-opus-4-6', 'anthropic') as ModelPricing, tokens)).toBeCloseTo(200, 9)
    const dated = book.resolve('dated') as ModelPricing
    expect(book.cost(dated, tokens, '2025-06-01T00:00:00Z')).toBeCloseTo(2, 9)
    expect(book.cost(dated, tokens, '2026-06-01T00:00:00Z')).toBeCloseTo(4, 9)
  })

  it('a dated override applies from its date on; before it, the catalog still prices the calls', () => {
    const catalog = new PriceBook()
    const book = new PriceBook([
      {
        model: 'claude-opus-4-6',
        startDate: '2027-01-01',
        prices: {input_mtok: 4, output_mtok: 20, cache_read_mtok: 0.4, cache_write_mtok: 5},
      },
    ])
    const tokens: Tokens = {input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    const before = '2026-06-01T00:00:00Z'
    const opus = book.resolve('claude-opus-4-6', 'anthropic') as ModelPricing
    expect(book.cost(opus, tokens, before)).toBeCloseTo(
      catalog.cost(catalog.resolve('claude-opus-4-6', 'anthropic') as ModelPricing, tokens, before)!,
      12,
    )
    expect(book.cost(opus, tokens, '2027-02-01T00:00:00Z')).toBeCloseTo(24, 9)
  })

  it("an override that leaves out cache prices keeps the catalog's", () => {
    const book = new PriceBook([{model: 'claude-sonnet-4-5-20250929', prices: {input_mtok: 3, output_mtok: 15}}])
    const reads: Tokens = {input: 0, output: 0, cacheRead: 100_000, cacheWrite: 0, reasoning: 0}
    // the catalog's cache-read price (0.30/M below its 200k tier), not the input price (3/M)
    expect(
      book.cost(book.resolve('claude-sonnet-4-5-20250929', 'anthropic') as ModelPricing, reads, '2026-06-01T00:00:00Z'),
    ).toBeCloseTo(0.03, 9)
  })

  it('a cache-write price the user gives prices 1-hour writes too, unless the entry gives theirs', () => {
    const writes: Tokens = {
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 1_000_000,
      cacheWrite1h: 600_000,
      reasoning: 0,
    }
    const at = '2026-06-01T00:00:00Z'
    const priced = (prices: Record<string, number>) => {
      const book = new PriceBook([{model: 'claude-opus-4-6', prices: {input_mtok: 1, output_mtok: 1, ...prices}}])
      return book.cost(book.resolve('claude-opus-4-6', 'anthropic') as ModelPricing, writes, at)
    }
    // (The catalog's 1-hour write price was kept: $10/M for 600,000 tokens, whatever the file said.)
    expect(priced({cache_write_mtok: 0})).toBeCloseTo(0, 12)
    expect(priced({cache_write_mtok: 2})).toBeCloseTo(2, 9)
    expect(priced({cache_write_mtok: 2, cache_write_1h_mtok: 3})).toBeCloseTo(0.4 * 2 + 0.6 * 3, 9)
    // An entry that names no cache-write price keeps the catalog's, both kinds.
    const catalog = new PriceBook()
    expect(priced({})).toBeCloseTo(
      catalog.cost(catalog.resolve('claude-opus-4-6', 'anthropic') as ModelPricing, writes, at)!,
      12,
    )
  })

  it('a model priced only from a date by the user has no price before it', () => {
    const book = new PriceBook([{model: 'my-model', startDate: '2026-05-01', prices: {input_mtok: 1, output_mtok: 1}}])
    const pricing = book.resolve('my-model') as ModelPricing
    const tokens: Tokens = {input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    expect(book.cost(pricing, tokens, '2026-04-01T00:00:00Z')).toBeUndefined()
    expect(book.cost(pricing, tokens, '2026-06-01T00:00:00Z')).toBeCloseTo(1, 9)
  })

  it('prices a call at the instant it is dated by (its end): the day it is counted on', () => {
    const book = new PriceBook([
      {model: 'my-model', startDate: '2026-05-01', prices: {input_mtok: 1, output_mtok: 1}},
      {model: 'my-model', startDate: '2026-05-02', prices: {input_mtok: 2, output_mtok: 2}},
    ])
    const tokens: Tokens = {input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    // Its start read off the record before it, the day before; logged (ended) on the 2nd, where --by day counts it.
    const step: Step = {
      index: 0,
      id: 's1',
      kind: 'llm',
      model: 'my-model',
      tokens,
      startedAt: '2026-05-01T12:00:00Z',
      endedAt: '2026-05-02T09:00:00Z',
    }
    const card = {
      schemaVersion: '1.0',
      id: 'c',
      source: {format: 'claude-code', path: '/x.jsonl'},
      steps: [step],
      children: [],
      warnings: [],
      unpriced: [],
      totals: computeTotals([step]),
    } as unknown as TraceCard
    priceCard(card, book)
    expect(step.cost?.usd).toBeCloseTo(2, 9)
  })
})

describe('a call with no time of its own (dated by its session start)', () => {
  it("is priced at its day's price for most hours, never at a window of some hours it may not have run in (trial 89)", () => {
    const book = new PriceBook()
    const tokens: Tokens = {input: 300_000, output: 1000, cacheRead: 0, cacheWrite: 0, reasoning: 0}
    const deepseek = book.resolve('deepseek-chat') as ModelPricing
    const standard = book.cost(deepseek, tokens, '2026-01-15T12:00:00Z')!
    const night = book.cost(deepseek, tokens, '2026-01-15T20:00:00Z')!
    expect(night).toBeLessThan(standard)
    expect(book.cost(deepseek, tokens, '2026-01-15T20:00:00Z', undefined, true)).toBeCloseTo(standard, 12)
    // Through the card: aider's session start (a local time read as UTC, 17:02 in DeepSeek's night) dates its calls.
    const timed: Step = {
      index: 0,
      id: 'a',
      kind: 'llm',
      model: 'deepseek-chat',
      tokens,
      endedAt: '2026-01-15T20:00:00Z',
    }
    const untimed: Step = {index: 1, id: 'b', kind: 'llm', model: 'deepseek-chat', tokens}
    const card = {
      schemaVersion: '1.0',
      id: 'c',
      source: {format: 'aider', path: '/x.md'},
      startedAt: '2026-01-15T17:02:36Z',
      steps: [timed, untimed],
      children: [],
      warnings: [],
      unpriced: [],
      totals: computeTotals([timed, untimed]),
    } as unknown as TraceCard
    priceCard(card, book)
    expect(timed.cost?.usd).toBeCloseTo(night, 12)
    expect(untimed.cost?.usd).toBeCloseTo(standard, 12)
  })
})

describe('a call of several model turns (Step.context)', () => {
  it('is priced by the prompt of its last turn, not the sum of its turns (which may cross a long-context band)', () => {
    const book = new PriceBook()
    const pricing = book.resolve('claude-sonnet-4-5')
    if (!isPriced(pricing)) throw new Error('claude-sonnet-4-5 is priced by the catalog')
    // Two executor turns of ~120k prompt each, summed by the API's top-level usage: 240k, past the 200k band.
    const tokens: Tokens = {input: 4, output: 900, cacheRead: 240_000, cacheWrite: 1_300, reasoning: 0}
    const at = '2026-08-13T10:00:00Z'
    const summed = book.cost(pricing, tokens, at)!
    const byTurn = book.cost(pricing, tokens, at, 121_000)!
    // The long-context band doubles the prompt's rates; by its turns the call stays in the base band, whose rates are
    // those of a call under 200k: linear in the tokens.
    expect(summed / byTurn).toBeGreaterThan(1.5)
    const half = book.cost(pricing, {...tokens, cacheRead: 120_000, cacheWrite: 650, output: 450, input: 2}, at)!
    expect(byTurn).toBeCloseTo(2 * half, 9)
  })
})
