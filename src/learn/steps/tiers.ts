/**
 * Model tiers for the per-step router, cheapest first. A tier is a set of
 * models a step may be sent to, with one model routing names for it. From
 * `tiers.yaml` (schemas/tiers.schema.json):
 *
 * ```yaml
 * tiers:                       # cheapest first
 *   - name: cheap
 *     model: claude-haiku-4-5  # what a step sent here runs on (default: the tier's most used model)
 *     models: [claude-haiku-*, gpt-4o-mini*, deepseek-*]
 *   - name: strong
 *     models: [claude-sonnet-*, claude-opus-*]
 * ```
 *
 * or, by default, from the price catalog: a model whose input costs at most
 * $1 per million tokens is `cheap` (Haiku, GPT-4o mini, DeepSeek, Flash
 * class), $5 or more `strong` (Opus, GPT-4, GPT-5.5 class), `mid` between;
 * tiers no model of the cards falls in are left out. A model the catalog has
 * no price for has no tier unless tiers.yaml names it.
 */
import {parse as parseYaml} from 'yaml'
import {AcoError} from '../../errors.js'
import {isPriced, type PriceBook} from '../../price/book.js'
import {inputPricePerMillion, readsOnly} from '../../price/reference.js'
import {readInputTextSync} from '../../util/fs-errors.js'
import {check} from '../../util/schemas.js'
import {escapeRegExp} from '../../util/text.js'
import {bareModel} from './features.js'

interface TierSpec {
  name: string
  /** The model a step sent to this tier runs on. */
  model?: string
  /** Model names or patterns (`*` matches any characters), compared without provider prefix or date. */
  models: string[]
}

export interface TiersConfig {
  tiers: TierSpec[]
}

/** The catalog's thresholds for the default tiers, in USD per million input tokens. */
const PRICE_TIERS = {cheapMax: 1, strongMin: 5} as const

/** How a router assigns a model it has not seen to a tier. */
export type TierRule = {kind: 'price'; cheapMax: number; strongMin: number} | {kind: 'config'}

export interface Tier {
  name: string
  /** The model routing names for this tier. */
  model: string
  /** Patterns (from tiers.yaml) or the models the cards ran on this tier. */
  models: string[]
  /** USD per million input tokens of `model`, when the catalog has it. */
  inputUsdPerMillion?: number
  /** The catalog provider `model` is priced with, where the cards' calls of it named one (`text-embedding-3-small`). */
  provider?: string
}

export interface ResolvedTiers {
  tiers: Tier[]
  rule: TierRule
  /** Models of the cards that no tier claims (unpriced, or not in tiers.yaml). */
  untiered: string[]
}

/** Reads and validates tiers.yaml. */
export function readTiers(path: string): TiersConfig {
  const text = readInputTextSync(path, 'the tiers file')
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    throw new AcoError('bad-file', `${path} is not YAML: ${(error as Error).message}.`)
  }
  const problem = check('tiers', doc)
  if (problem)
    throw new AcoError(
      'schema',
      `${path} does not match schemas/tiers.schema.json: ${problem}.`,
      'List the tiers cheapest first: tiers: [{name: cheap, models: [claude-haiku-*]}, {name: strong, models: [claude-sonnet-*]}].',
    )
  const config = doc as TiersConfig
  const names = new Set<string>()
  for (const t of config.tiers) {
    if (names.has(t.name)) throw new AcoError('schema', `${path} names the tier "${t.name}" twice.`)
    names.add(t.name)
  }
  return config
}

function patternMatches(pattern: string, model: string): boolean {
  const p = bareModel(pattern)
  const m = bareModel(model)
  if (!p.includes('*')) return p === m
  const re = new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`)
  return re.test(m)
}

/** The index of the tier a model belongs to under a config (its first matching tier). */
function configTierOf(tiers: readonly Pick<Tier, 'models'>[], model: string): number | undefined {
  for (let i = 0; i < tiers.length; i++) if (tiers[i]!.models.some(p => patternMatches(p, model))) return i
  return undefined
}

/** The default tier name of a price. */
function priceTierName(usdPerMillion: number, rule: {cheapMax: number; strongMin: number}): string {
  if (usdPerMillion <= rule.cheapMax) return 'cheap'
  if (usdPerMillion >= rule.strongMin) return 'strong'
  return 'mid'
}

const PRICE_ORDER = ['cheap', 'mid', 'strong']

/**
 * Tiers for the models the cards ran (`usage`: LLM steps per model): from a
 * config, or from the price catalog. Each tier's model is the config's, or
 * the tier's most used model.
 */
export function resolveTiers(
  usage: ReadonlyMap<string, number>,
  book: PriceBook,
  config?: TiersConfig,
  /** Per model, the catalog provider its calls were priced with (`text-embedding-3-small` is openai's). */
  hints: ReadonlyMap<string, string> = new Map(),
): ResolvedTiers {
  const byUse = [...usage.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  if (config) {
    const members = config.tiers.map(() => [] as string[])
    const untiered: string[] = []
    for (const [model] of byUse) {
      const i = configTierOf(config.tiers, model)
      if (i === undefined) untiered.push(model)
      else members[i]!.push(model)
    }
    const tiers: Tier[] = []
    config.tiers.forEach((t, i) => {
      const model = t.model ?? members[i]![0]
      if (!model) return
      const price = inputPricePerMillion(book, model, hints.get(model))
      // (A model no price is known for, a typo most often, would make every cost of the evaluation 0%.)
      if (price === undefined)
        throw new AcoError(
          'usage',
          `tiers.yaml: tier ${t.name}'s model ${model} has no price in the catalog (a typo?): the tiers' costs could not be compared.`,
          'Name a model the price catalog knows, spelled as aco analyze shows it under Cost by model, or price it with --prices FILE.',
        )
      const provider = hints.get(model)
      tiers.push({name: t.name, model, models: t.models, inputUsdPerMillion: price, ...(provider ? {provider} : {})})
    })
    // Tiers go from the cheap end up: listed the other way, every "cheaper" step would cost more.
    for (let i = 1; i < tiers.length; i++) {
      const [a, b] = [tiers[i - 1]!, tiers[i]!]
      if (a.inputUsdPerMillion! > b.inputUsdPerMillion!)
        throw new AcoError(
          'usage',
          `tiers.yaml: tier ${a.name} (${a.model}, $${a.inputUsdPerMillion}/M input tokens) comes before ${b.name} (${b.model}, $${b.inputUsdPerMillion}/M), which is cheaper.`,
          'List the tiers from the cheapest up.',
        )
    }
    return {tiers, rule: {kind: 'config'}, untiered}
  }
  const rule = {kind: 'price' as const, ...PRICE_TIERS}
  const members = new Map<string, string[]>()
  const untiered: string[] = []
  for (const [model] of byUse) {
    const price = inputPricePerMillion(book, model, hints.get(model))
    // (No price, or one for input alone: an embedding model, which no chat model of a tier would do the job of; the
    // README promised it stays on its model, and trial 87 found it in the cheap tier.)
    if (price === undefined || readsOnly(book, model, hints.get(model))) {
      untiered.push(model)
      continue
    }
    const name = priceTierName(price, rule)
    const list = members.get(name) ?? []
    list.push(model)
    members.set(name, list)
  }
  const tiers: Tier[] = []
  for (const name of PRICE_ORDER) {
    const list = members.get(name)
    if (!list?.length) continue
    const provider = hints.get(list[0]!)
    const price = inputPricePerMillion(book, list[0]!, provider)
    tiers.push({
      name,
      model: list[0]!,
      models: list,
      ...(price !== undefined ? {inputUsdPerMillion: price} : {}),
      ...(provider ? {provider} : {}),
    })
  }
  return {tiers, rule, untiered}
}

/** A model's tier under resolved tiers (a seen model by its list; an unseen one by price or pattern). */
export function tierIndex(
  resolved: Pick<ResolvedTiers, 'tiers' | 'rule'>,
  model: string,
  book?: PriceBook,
): number | undefined {
  const listed = configTierOf(resolved.tiers, model)
  if (listed !== undefined || resolved.rule.kind === 'config' || !book) return listed
  const price = inputPricePerMillion(book, model)
  if (price === undefined) return undefined
  const name = priceTierName(price, resolved.rule)
  const i = resolved.tiers.findIndex(t => t.name === name)
  return i >= 0 ? i : undefined
}

/**
 * The model a step of `from` runs on when sent to tier `t`: a model of that
 * tier from the same provider as `from` when the tier has one (a Claude step
 * goes to a Claude model), else the tier's model.
 */
export function modelFor(
  tier: Tier,
  from: string | undefined,
  book: PriceBook,
  /** For a step whose trace names no model: the provider its trace's format or record says (a Gemini CLI step, Google). */
  hint?: string,
): string {
  if (!from && !hint) return tier.model
  const provider = from ? providerOf(from, book) : hint
  if (provider === undefined) return tier.model
  if (providerOf(tier.model, book) === provider) return tier.model
  for (const m of tier.models) if (!m.includes('*') && providerOf(m, book) === provider) return m
  return tier.model
}

/** What a step of `from` costs per token on tier `tier`: the model it goes to (`modelFor`), priced as the cards priced it. */
export function tierPricing(tier: Tier, from: string | undefined, book: PriceBook): ReturnType<PriceBook['resolve']> {
  const model = modelFor(tier, from, book)
  return book.resolve(model, model === tier.model ? tier.provider : undefined)
}

/**
 * A tier's models, one per provider (its own model first): what an agent running on another provider's models is
 * given for this tier (`modelFor`), written into a policy so `route(policy, {model})` gives the same.
 */
export function modelsByProvider(tier: Tier, book: PriceBook): Array<{model: string; provider: string}> {
  const out: Array<{model: string; provider: string}> = []
  for (const m of [tier.model, ...tier.models]) {
    if (m.includes('*')) continue
    const provider = providerOf(m, book)
    if (provider !== undefined && !out.some(x => x.provider === provider)) out.push({model: m, provider})
  }
  return out
}

function providerOf(model: string, book: PriceBook): string | undefined {
  const r = book.resolve(model)
  return isPriced(r) ? r.providerId : undefined
}
