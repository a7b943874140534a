/**
 * price: USD per LLM step from token counts, with @pydantic/genai-prices.
 *
 * `calcPrice` costs tens of microseconds a call (it matches the model and
 * decomposes usage each time), too slow for a per-step hot path. So each model
 * is resolved once, and for each price period and each tier band of that
 * model the catalog's cost is sampled with `calcPrice` itself into per-token
 * rates: within a band the catalog's cost is linear in the token counts, so
 * `rates · tokens` reproduces `calcPrice` exactly (a test checks this against
 * `calcPrice` on random usage for every model aco meets). The price in force
 * at the step's timestamp is chosen the way the catalog chooses it.
 */
import {
  calcPrice,
  findProvider,
  type ConditionalPrice,
  type ModelInfo,
  type ModelPrice,
  type Provider,
} from '@pydantic/genai-prices'
import type {Tokens} from '../card/types.js'
import {escapeRegExp} from '../util/text.js'

/** Per-token USD rates of one tier band, plus a fixed per-request part. */
interface Rates {
  fixed: number
  input: number
  cacheRead: number
  cacheWrite5m: number
  cacheWrite1h: number
  output: number
  /** Extra per reasoning token, for models that price reasoning apart from output. */
  reasoningExtra: number
}

interface Band {
  /** The band covers prompts of more than `above` tokens (tiers start after their threshold). */
  above: number
  rates: Rates
}

interface Period {
  constraint: ConditionalPrice['constraint']
  bands: Band[]
}

/** A model resolved against the catalog (or a user's price file). */
export interface ModelPricing {
  /** The name the trace used. */
  model: string
  /** The catalog's provider and model ids, e.g. `anthropic` / `claude-opus-4-6`. */
  providerId: string
  catalogId: string
  fromUserFile: boolean
  periods: Period[]
  /** Prices from a --prices file only, all dated: calls before this date have no price. */
  pricedFrom?: string
}

interface Unpriced {
  model: string
  reason: string
}

export type Resolution = ModelPricing | Unpriced

export function isPriced(r: Resolution): r is ModelPricing {
  return 'periods' in r
}

/** A price a user supplies with `--prices FILE` (schemas/prices.schema.json). */
export interface UserPrice {
  model: string
  match?: 'exact' | 'prefix'
  provider?: string
  startDate?: string
  prices: Record<string, number>
}

const PRICES_HINT = 'add it with --prices FILE'
const UNPRICED_REASON = `not in the genai-prices catalog; ${PRICES_HINT}`
/** A model name that ends by saying it is a free tier's: `…-free`, `…:free`, `… (free)`. */
const FREE_TIER = /[-_:.\s(]free\)?$/i

/**
 * A model id only Amazon Bedrock writes: a vendor's model with Bedrock's version suffix (`anthropic.claude-…-v1:0`),
 * or behind a cross-region inference profile (`us.`, `eu.`, `apac.`, `global.` …).
 */
const BEDROCK_ID =
  /^(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\.(?:anthropic|amazon|meta|mistral|cohere|ai21|writer|deepseek|qwen|openai|twelvelabs)\.[\w.:-]+|(?:anthropic|amazon|meta|mistral|cohere|ai21|writer|deepseek|qwen|openai)\.[\w.-]+-v\d+(?::\d+)?)$/

/** Resolves models once and prices token counts quickly. One per run. */
export class PriceBook {
  private readonly cache = new Map<string, Resolution>()
  /** Provider names a trace gave, with the catalog id each means ("" for none). */
  private readonly providers = new Map<string, string>()
  private readonly userProvider: Provider | undefined

  constructor(userPrices: readonly UserPrice[] = []) {
    this.userProvider = userPrices.length ? toProvider(userPrices) : undefined
  }

  /**
   * The catalog's id of a provider a trace names (`aws.bedrock` → `aws`, the Vercel SDK's `groq.chat` → `groq`), or
   * undefined when the catalog knows none by that name.
   */
  providerId(name: string): string | undefined {
    let id = this.providers.get(name)
    if (id === undefined) {
      const clean = name.trim().toLowerCase()
      const dot = clean.indexOf('.')
      id =
        findProvider({providerId: clean})?.id ??
        (dot > 0 ? findProvider({providerId: clean.slice(0, dot)})?.id : undefined) ??
        ''
      this.providers.set(name, id)
    }
    return id || undefined
  }

  /** The pricing of `model` (resolved on first use, then cached). */
  resolve(model: string, providerHint?: string): Resolution {
    const key = providerHint ? `${providerHint}\u0000${model}` : model
    let r = this.cache.get(key)
    if (!r) {
      r = this.lookup(model, providerHint)
      this.cache.set(key, r)
    }
    return r
  }

  /**
   * USD for one call of `pricing` with `tokens` at time `at` (ISO string; the
   * current price when absent). `context` is the prompt that picks a price band
   * where the tokens sum several model turns of one call (see `Step.context`).
   * `dayOnly`: `at` dates the call but is not its own time (its session's start): the price of that day for most
   * of its hours, never a window of some hours (DeepSeek's night discount) the call may not have run in.
   */
  cost(pricing: ModelPricing, tokens: Tokens, at?: string, context?: number, dayOnly = false): number | undefined {
    if (pricing.pricedFrom && at && at < pricing.pricedFrom) return undefined
    const period = pricing.periods.length === 1 ? pricing.periods[0]! : pickPeriod(pricing.periods, at, dayOnly)
    const prompt = context ?? tokens.input + tokens.cacheRead + tokens.cacheWrite
    let band = period.bands[0]!
    for (let i = 1; i < period.bands.length; i++) {
      const b = period.bands[i]!
      if (prompt > b.above) band = b
      else break
    }
    const r = band.rates
    const w1h = Math.min(tokens.cacheWrite1h ?? 0, tokens.cacheWrite)
    return (
      r.fixed +
      r.input * tokens.input +
      r.cacheRead * tokens.cacheRead +
      r.cacheWrite5m * (tokens.cacheWrite - w1h) +
      r.cacheWrite1h * w1h +
      r.output * tokens.output +
      r.reasoningExtra * tokens.reasoning
    )
  }

  private lookup(model: string, providerHint: string | undefined): Resolution {
    const name = model.trim()
    if (!name) return {model, reason: 'no model name in the trace'}
    const user = this.userProvider ? tryCalc(name, {provider: this.userProvider}) : undefined
    const catalog = this.catalogLookup(name, providerHint)
    if (user && catalog) {
      // The user's prices join the catalog's periods and win from their start date on; keys they
      // leave out (cache prices, often) keep the catalog's.
      const merged = build(model, catalog.provider, catalog.model, false)
      const userInfo = {...user.model, prices: withDefaults(user.model.prices, latestPrices(catalog.model))}
      merged.periods.push(...build(model, user.provider, userInfo, true).periods)
      merged.fromUserFile = true
      return merged
    }
    if (user) {
      const pricing = build(model, user.provider, user.model, true)
      const first = pricing.periods[0]?.constraint
      if (first?.type === 'start_date') pricing.pricedFrom = new Date(first.start_date).toISOString()
      return pricing
    }
    if (catalog) {
      // A free tier's model (`deepseek-v4-flash-free`, OpenCode Zen's) that the catalog matched by its paid model's
      // name: not that price (trial 130: $0.39 for calls OpenCode recorded as $0). The catalog's own free entries
      // (OpenRouter's `…:free`) name themselves so.
      if (FREE_TIER.test(name) && !/free/i.test(catalog.model.id)) {
        // (OpenRouter's own `…:free` entry, named with no provider: review 132.)
        const router = providerHint ? undefined : tryCalc(name, {providerId: 'openrouter'})
        if (router && /free/i.test(router.model.id)) return build(model, router.provider, router.model, false)
        return {
          model,
          reason: `a free tier's model the catalog does not list (not its paid model's price); ${PRICES_HINT}`,
        }
      }
      return build(model, catalog.provider, catalog.model, false)
    }
    return {model, reason: UNPRICED_REASON}
  }

  /** The catalog's entry for a model name, trying the spellings traces use. */
  private catalogLookup(
    name: string,
    providerHint: string | undefined,
  ): {provider: Provider; model: ModelInfo} | undefined {
    const attempts: Array<[string, string | undefined]> = []
    if (providerHint) attempts.push([name, providerHint])
    // A Bedrock model id (`us.anthropic.claude-…-v1:0`, `global.…`, `apac.amazon.nova-pro-v1:0`) is Bedrock's, priced
    // as Bedrock prices it: trial 124 saw `us.` priced at Anthropic's own long-context rate, `global.` unpriced.
    else {
      const id = name.slice(name.lastIndexOf('/') + 1)
      if (BEDROCK_ID.test(id)) {
        const hit = tryCalc(name, {providerId: 'aws'}) ?? bedrockEntry(id)
        if (hit) return hit
      }
    }
    attempts.push([name, undefined])
    const slash = name.indexOf('/')
    if (slash > 0) {
      // LiteLLM-style `provider/model` (and `openrouter/provider/model`).
      const parts = name.split('/')
      attempts.push([parts.slice(1).join('/'), parts[0]])
      attempts.push([parts[parts.length - 1]!, parts.length > 2 ? parts[parts.length - 2] : undefined])
      attempts.push([parts[parts.length - 1]!, undefined])
    }
    // Suffixes some tools append, e.g. `claude-opus-4-6[1m]` or `gpt-5 (high)`.
    const bare = name.replace(/\[[^\]]*\]$|\s*\([^)]*\)$/, '')
    if (bare !== name) attempts.push([bare, providerHint])
    // Bedrock-style vendor and region prefixes: `us.anthropic.claude-…`, `deepseek.deepseek-chat`.
    const last = bare.slice(bare.lastIndexOf('/') + 1)
    const undotted = last.replace(/^(?:[a-z]{2}\.)?[a-z-]+\./, '')
    if (undotted !== last) attempts.push([undotted, undefined])
    for (const [id, providerId] of attempts) {
      const hit = tryCalc(id, providerId ? {providerId} : {})
      if (hit) return hit
    }
    // A gateway's alias written with underscores (`claude_4_5_opus`, an Azure deployment `gpt_4o`): the catalog's
    // spelling has hyphens (trial 90: a Cline session of 14M tokens behind a proxy stayed unpriced). Only when no
    // spelling above matched.
    const hyphened = undotted.replace(/(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])/g, '-')
    if (hyphened !== undotted)
      for (const providerId of providerHint ? [providerHint, undefined] : [undefined]) {
        const hit = tryCalc(hyphened, providerId ? {providerId} : {})
        if (hit) return hit
      }
    return undefined
  }
}

/** The prices in force last in a catalog entry (its latest period). */
function latestPrices(info: ModelInfo): ModelPrice {
  if (!Array.isArray(info.prices)) return info.prices
  const unconstrained = info.prices.filter(p => p.constraint === undefined || p.constraint.type === 'start_date')
  return (unconstrained[unconstrained.length - 1] ?? info.prices[0]!).prices
}

/**
 * Each of a user's price entries, completed with the catalog's keys it leaves out. A cache-write price the user gives
 * is the price of every cache write: the catalog's 1-hour and 5-minute write prices are not kept beside it (the
 * catalog prices a write of either kind at `cache_write_mtok` when it has no price of that kind), unless the entry
 * gives them too.
 */
function withDefaults(prices: ModelInfo['prices'], defaults: ModelPrice): ConditionalPrice[] {
  const list: ConditionalPrice[] = Array.isArray(prices) ? prices : [{prices}]
  return list.map(p => {
    const base: ModelPrice = {...defaults}
    if (p.prices.cache_write_mtok !== undefined) {
      delete base.cache_write_1h_mtok
      delete base.cache_write_5m_mtok
    }
    return {...p, prices: {...base, ...p.prices}}
  })
}

/** A Bedrock model id without its date and version: a geography's inference profile (`us.`…) and the vendor's model. */
const UNVERSIONED_BEDROCK = /^(?:([a-z]{2,6}(?:-gov)?)\.)?([a-z0-9]+\.[\w.-]+)$/

/**
 * Bedrock's entry for a model id written without the date and version the catalog's ids carry
 * (`us.anthropic.claude-sonnet-4-5` for `regional.anthropic.claude-sonnet-4-5-20250929-v1:0`, review 125: it was
 * priced at Anthropic's own rate): the one entry of that model, of the global endpoint for a `global.` profile and of
 * the regional ones otherwise. Undefined where there is none, or more than one (two dated versions: which one is not
 * known, and the id is left to the spellings tried after).
 */
function bedrockEntry(id: string): {provider: Provider; model: ModelInfo} | undefined {
  if (/-v\d+(?::\d+)?$/.test(id)) return undefined
  const parts = UNVERSIONED_BEDROCK.exec(id)
  if (!parts) return undefined
  const aws = findProvider({providerId: 'aws'})
  if (!aws) return undefined
  const global = parts[1] === 'global'
  const dated = new RegExp(`^${escapeRegExp(parts[2]!)}-(?:\\d{8}-)?v\\d+(?::\\d+)?$`)
  const found = aws.models.filter(
    m => m.id.startsWith('global.') === global && dated.test(m.id.replace(/^(?:global|regional)\./, '')),
  )
  return found.length === 1 ? {provider: aws, model: found[0]!} : undefined
}

function tryCalc(
  model: string,
  options: {providerId?: string; provider?: Provider},
): {provider: Provider; model: ModelInfo} | undefined {
  try {
    const r = calcPrice({input_tokens: 1, output_tokens: 1}, model, options)
    return r ? {provider: r.provider, model: r.model} : undefined
  } catch {
    return undefined
  }
}

function build(model: string, provider: Provider, info: ModelInfo, fromUserFile: boolean): ModelPricing {
  const entries: ConditionalPrice[] = Array.isArray(info.prices) ? info.prices : [{prices: info.prices}]
  const periods = entries.map(entry => ({constraint: entry.constraint, bands: bandsOf(provider, info, entry.prices)}))
  return {model, providerId: provider.id, catalogId: info.id, fromUserFile, periods}
}

/** Samples the catalog into per-token rates, one set per tier band. */
function bandsOf(provider: Provider, info: ModelInfo, prices: ModelPrice): Band[] {
  // (Matched by its own id: a catalog entry's rules need not take its id, Bedrock's `regional.anthropic.claude-…` does
  // not, and every sampled price then read 0, a computed $0.00; review 34.)
  const single: Provider = {
    id: provider.id,
    name: provider.name,
    api_pattern: provider.api_pattern,
    models: [{...info, prices, match: {equals: info.id}}],
  }
  const starts = new Set<number>()
  for (const value of Object.values(prices)) {
    if (value && typeof value === 'object' && Array.isArray(value.tiers))
      for (const t of value.tiers) starts.add(t.start)
  }
  const thresholds = [...starts].sort((a, b) => a - b)
  const bands: Band[] = []
  const edges = [0, ...thresholds]
  for (let i = 0; i < edges.length; i++) {
    const lo = edges[i]!
    const hi = edges[i + 1]
    // Two prompt sizes inside the band (lo, hi].
    const t1 = hi === undefined ? lo + 1e6 : lo + (hi - lo) / 2
    const t2 = hi === undefined ? lo + 2e6 : hi
    bands.push({above: lo, rates: ratesAt(single, info.id, t1, t2)})
  }
  return bands
}

function ratesAt(provider: Provider, modelId: string, t1: number, t2: number): Rates {
  const f = (usage: Record<string, number>): number | undefined => {
    try {
      return calcPrice(usage, modelId, {provider})?.total_price
    } catch {
      return undefined
    }
  }
  const at1 = f({input_tokens: t1}) ?? 0
  const at2 = f({input_tokens: t2}) ?? at1
  const input = (at2 - at1) / (t2 - t1)
  const fixed = Math.max(0, at1 - input * t1)
  const per = (usage: Record<string, number>, fallback: number): number => {
    const v = f(usage)
    return v === undefined ? fallback : (v - fixed) / t1
  }
  const cacheRead = per({input_tokens: t1, cache_read_tokens: t1}, input)
  const cacheWrite5m = per({input_tokens: t1, cache_write_tokens: t1}, input)
  const cacheWrite1h = per({input_tokens: t1, cache_write_tokens: t1, cache_write_1h_tokens: t1}, cacheWrite5m)
  const withOutput = f({input_tokens: t1, output_tokens: t1})
  const output = withOutput === undefined ? 0 : (withOutput - at1) / t1
  const withReasoning = f({input_tokens: t1, output_tokens: t1, output_reasoning_tokens: t1})
  const reasoningExtra = withReasoning === undefined || withOutput === undefined ? 0 : (withReasoning - withOutput) / t1
  return {fixed, input, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoningExtra}
}

/**
 * The period in force at `at`, chosen as genai-prices chooses it (last matching constraint wins).
 * A step with no time gets the price in force now for most hours of the day (DeepSeek's standard
 * price, not its 8-hour night discount): the hour aco runs at must not change a cost. A step dated
 * only by its session's start (`dayOnly`) gets the price in force that day for most of its hours.
 */
function pickPeriod(periods: Period[], at: string | undefined, dayOnly = false): Period {
  if (!at) return mostOfTheDay(periods, new Date())
  const when = new Date(at)
  if (Number.isNaN(when.getTime())) return periods[periods.length - 1]!
  if (dayOnly) return mostOfTheDay(periods, when)
  const secs =
    when.getUTCHours() * 3600 + when.getUTCMinutes() * 60 + when.getUTCSeconds() + when.getUTCMilliseconds() / 1000
  for (let i = periods.length - 1; i >= 0; i--) {
    const p = periods[i]!
    const c = p.constraint
    if (c === undefined) return p
    if (c.type === 'start_date') {
      if (when >= new Date(c.start_date)) return p
    } else if (c.type === 'time_of_date') {
      const start = secondsOfDay(c.start_time)
      const end = secondsOfDay(c.end_time)
      if (end < start ? secs >= start || secs < end : secs >= start && secs < end) return p
    }
  }
  return periods[0]!
}

/** Of the periods in force on the day of `now`, the one that holds for the most seconds of the day. */
function mostOfTheDay(periods: Period[], now: Date): Period {
  const windows: Array<{period: Period; seconds: number}> = []
  let base: Period | undefined
  for (let i = periods.length - 1; i >= 0 && !base; i--) {
    const p = periods[i]!
    const c = p.constraint
    if (c === undefined || (c.type === 'start_date' && now >= new Date(c.start_date))) base = p
    else if (c.type === 'time_of_date') {
      const start = secondsOfDay(c.start_time)
      const end = secondsOfDay(c.end_time)
      windows.push({period: p, seconds: end < start ? 86400 - start + end : end - start})
    }
  }
  let best = base ?? periods[0]!
  let most = 86400 - windows.reduce((sum, w) => sum + w.seconds, 0)
  for (const w of windows) {
    if (w.seconds > most) {
      best = w.period
      most = w.seconds
    }
  }
  return best
}

function secondsOfDay(time: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(time)
  if (!m) return 0
  const offset = m[5] === 'Z' ? 0 : (Number(m[7]) * 60 + Number(m[8])) * 60 * (m[6] === '+' ? 1 : -1)
  const s = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(`0.${m[4] ?? '0'}`)
  return (s - offset + 86400) % 86400
}

function toProvider(prices: readonly UserPrice[]): Provider {
  const byModel = new Map<string, UserPrice[]>()
  for (const p of prices) {
    const key = `${p.match ?? 'exact'}\u0000${p.model.toLowerCase()}`
    const list = byModel.get(key) ?? []
    list.push(p)
    byModel.set(key, list)
  }
  const models: ModelInfo[] = []
  for (const list of byModel.values()) {
    const first = list[0]!
    list.sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''))
    const prices: ConditionalPrice[] = list.map(p =>
      p.startDate ? {constraint: {type: 'start_date', start_date: p.startDate}, prices: p.prices} : {prices: p.prices},
    )
    models.push({
      id: first.model,
      match: first.match === 'prefix' ? {starts_with: first.model} : {equals: first.model},
      prices: prices.length === 1 && !prices[0]!.constraint ? prices[0]!.prices : prices,
    })
  }
  return {id: 'user-prices', name: 'prices from --prices', api_pattern: '^$', models}
}
