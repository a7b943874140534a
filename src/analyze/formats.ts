/**
 * `aco formats` without oclif: list every format aco reads (how it
 * is recognised, where the tool keeps its logs, whether totals are checked),
 * or check a user's format mapping against a sample file: validate it,
 * say whether its detect rules recognise the sample, read the sample with it
 * and show what came out. The result is `schemas/formats-result.schema.json`.
 */
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {formatCatalog, type FormatInfo} from '../adapt/catalog.js'
import {mappingAdapters} from '../adapt/mapping/adapter.js'
import {loadMapping} from '../adapt/mapping/load.js'
import type {Skipped} from '../read/file-report.js'
import {readTraceFile} from '../read/read-file.js'
import {forEachCard} from '../card/build.js'
import type {FormatId, Step, Tokens, TraceCard} from '../card/types.js'
import type {FormatMapping, Paths} from '../adapt/mapping/types.js'
import {AcoError} from '../errors.js'
import {PriceBook} from '../price/book.js'
import {priceCard} from '../price/price-card.js'
import {redactValue} from '../util/redact.js'

interface CheckedCard {
  id: string
  title?: string
  steps: number
  llmCalls: number
  toolCalls: number
  tokens: Tokens
  costUsd: number
  unpricedCalls: number
  models: string[]
  recorded?: {costUsd?: number; tokens?: Partial<Tokens>}
  warnings: string[]
  /** The first steps, to see the mapping picked the right fields. */
  firstSteps: Array<{
    id: string
    kind: 'llm' | 'tool'
    model?: string
    tokens?: Tokens
    costUsd?: number | null
    tool?: string
    status?: string
  }>
}

interface MappingCheck {
  mapping: {name: string; path: string; format: FormatId; hasDetect: boolean}
  sample: string
  /** Whether the mapping's detect rules recognise the sample (always true without detect rules). */
  recognised: boolean
  /** Fields of the mapping that gave no step of the sample a value (see `unmatchedFields`). */
  unmatched: string[]
  cards: CheckedCard[]
  skipped: Array<{line?: number; reason: string}>
}

export interface FormatsResult {
  schemaVersion: '1.0'
  formats?: FormatInfo[]
  check?: MappingCheck
}

export function listFormats(): FormatsResult {
  return {schemaVersion: '1.0', formats: formatCatalog()}
}

const FIRST_STEPS = 8

/**
 * The mapping's fields that gave no step of the sample a value (a path to a field the records do not have, a
 * `kind` whose values no record holds): what `aco analyze --mapping` would then count without, said so a person
 * can fix the path. Only fields the sample's steps would carry (a model for its LLM calls, a name for its tool calls).
 */
function unmatchedFields(m: FormatMapping, cards: readonly TraceCard[]): string[] {
  const steps: Step[] = []
  forEachCard(cards, c => {
    for (const s of c.steps) steps.push(s)
  })
  const llm = steps.filter(s => s.kind === 'llm')
  const tools = steps.filter(s => s.kind === 'tool')
  const out: string[] = []
  const paths = (p: Paths | undefined): string => (Array.isArray(p) ? p.join(', ') : (p ?? ''))
  const none = (field: string, p: Paths | undefined, of: string): void => {
    out.push(`${field} (${paths(p)}) gave no ${of} a value: check the path against the sample's records`)
  }
  const k = m.steps.kind
  if (k && steps.length === 0)
    out.push(
      `steps.kind (${k.path}) matched none of its values (llm: ${JSON.stringify(k.llm ?? [])}, tool: ${JSON.stringify(k.tool ?? [])}) in any record`,
    )
  if (m.steps.model && llm.length && !llm.some(s => s.model)) none('steps.model', m.steps.model, 'LLM call')
  if (m.steps.startedAt && steps.length && !steps.some(s => s.startedAt))
    none('steps.startedAt', m.steps.startedAt, 'step')
  if (m.steps.endedAt && steps.length && !steps.some(s => s.endedAt)) none('steps.endedAt', m.steps.endedAt, 'step')
  const t = m.steps.tokens
  if (t && llm.length && !llm.some(s => s.tokens && Object.values(s.tokens).some(v => v > 0)))
    out.push(
      `steps.tokens (${[t.input, t.output, t.cacheRead, t.cacheWrite, t.total].filter(Boolean).map(paths).join('; ')}) gave no LLM call a token: check the paths against the sample's records`,
    )
  if (m.steps.costUsd && llm.length && !llm.some(s => s.cost?.recordedUsd !== undefined))
    none('steps.costUsd', m.steps.costUsd, 'LLM call')
  if (m.steps.tool?.name && tools.length && tools.every(s => s.tool?.name === 'tool'))
    none('steps.tool.name', m.steps.tool.name, 'tool call')
  return out
}

/** Reads `samplePath` with the mapping at `mappingPath`; a mapping that cannot be used is an AcoError (exit 2). */
export async function checkMapping(mappingPath: string, samplePath: string, redact = true): Promise<FormatsResult> {
  if (!existsSync(samplePath))
    throw new AcoError('usage', `No such file: ${samplePath}.`, 'aco formats --check MAPPING SAMPLE')
  const compiled = await loadMapping(mappingPath)
  const m = compiled.source
  const adapters = mappingAdapters(compiled)
  const format: FormatId = m.format ?? 'mapping'
  let recognised = true
  if (m.detect) {
    // Recognised when, read among every other reader (the mapping's first), the mapping is the one that reads it.
    const detected = await readTraceFile(samplePath, {redact, mapping: {adapters, only: false}})
    recognised = detected.format === format && detected.cards.every(c => c.source.mapping === m.name)
  }
  const result = await readTraceFile(samplePath, {redact, mapping: {adapters, only: true}})
  const book = new PriceBook()
  const cards = result.cards.map(card => {
    priceCard(card, book)
    const checked: CheckedCard = {
      id: card.id,
      steps: card.totals.steps,
      llmCalls: card.totals.llmCalls,
      toolCalls: card.totals.toolCalls,
      tokens: card.totals.tokens,
      costUsd: card.totals.costUsd,
      unpricedCalls: card.totals.unpricedCalls,
      models: card.models,
      warnings: card.warnings.map(w => w.message),
      firstSteps: card.steps.slice(0, FIRST_STEPS).map(s => {
        const step: CheckedCard['firstSteps'][number] = {id: s.id, kind: s.kind}
        if (s.model) step.model = s.model
        if (s.tokens) step.tokens = s.tokens
        if (s.cost) step.costUsd = s.cost.usd
        if (s.tool) {
          step.tool = s.tool.name
          step.status = s.tool.status
        }
        return step
      }),
    }
    if (card.title) checked.title = card.title
    if (card.recorded) {
      checked.recorded = {}
      if (card.recorded.costUsd !== undefined) checked.recorded.costUsd = card.recorded.costUsd
      if (card.recorded.tokens) checked.recorded.tokens = card.recorded.tokens
    }
    return checked
  })
  const out: FormatsResult = {
    schemaVersion: '1.0',
    check: {
      mapping: {name: m.name, path: resolve(mappingPath), format, hasDetect: m.detect !== undefined},
      sample: resolve(samplePath),
      recognised,
      unmatched: unmatchedFields(m, result.cards),
      cards,
      skipped: result.skipped.map((s: Skipped) =>
        s.line === undefined ? {reason: s.reason} : {line: s.line, reason: s.reason},
      ),
    },
  }
  return redact ? redactValue(out) : out
}
