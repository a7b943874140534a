/**
 * `aco formats` without oclif: list every format aco reads (how it
 * is recognised, where the tool keeps its logs, whether totals are checked),
 * or check a user's format mapping against a sample file: validate it,
 * say whether its detect rules recognise the sample, read the sample with it
 * and show what came out. The result is `schemas/formats-result.schema.json`.
 */
import {type Stats, statSync} from 'node:fs'
import {resolve} from 'node:path'
import {formatCatalog, type FormatInfo} from '../adapt/catalog.js'
import {
  issuedCalls,
  kindValueOf,
  kindValuesText,
  mappingAdapters,
  nearMisses,
  recordKind,
} from '../adapt/mapping/adapter.js'
import {type CompiledMapping, meets} from '../adapt/mapping/compile.js'
import type {CompiledPaths} from '../adapt/mapping/paths.js'
import {loadMapping} from '../adapt/mapping/load.js'
import type {Skipped} from '../read/file-report.js'
import {readTraceFile} from '../read/read-file.js'
import type {FormatId, Tokens, TraceCard} from '../card/types.js'
import {AcoError} from '../errors.js'
import {PriceBook} from '../price/book.js'
import {priceCard} from '../price/price-card.js'
import {redactValue} from '../util/redact.js'
import {describeFsError} from '../util/fs-errors.js'
import {PIPE_REASON} from '../discover/walk.js'

export interface CheckedCard {
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
    /** The log records the call's output tokens alone (see Step's `inputUnrecorded`). */
    inputUnrecorded?: boolean
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
  /** Fields of the mapping that no record of the sample holds, though every such record should (see `unmatchedFields`). */
  unmatched: string[]
  /** Fields no record of the sample holds that a sample may well lack (an error where nothing failed). */
  unconfirmed?: string[]
  cards: CheckedCard[]
  skipped: Array<{line?: number; reason: string}>
}

/** What `aco formats SAMPLE` found: the format that reads the sample, and what it read. */
interface Detected {
  sample: string
  /** Absent when no format reads it (`skipped` says why). */
  format?: FormatId
  name?: string
  /** A known companion of traces (a SWE-bench report), not a trace. */
  companion?: string
  cards: CheckedCard[]
  skipped: Array<{line?: number; reason: string}>
}

export interface FormatsResult {
  schemaVersion: '1.0'
  formats?: FormatInfo[]
  detected?: Detected
  check?: MappingCheck
}

export function listFormats(): FormatsResult {
  return {schemaVersion: '1.0', formats: formatCatalog()}
}

const FIRST_STEPS = 8

/** Records of the sample looked at for the fields of the mapping (a sample is a few hundred; a log may be millions). */
const RECORDS_LOOKED_AT = 20_000

/**
 * The mapping's fields that no record of the sample holds, by the records they apply to (a model and tokens on the
 * LLM calls, a tool's name and result on the tool executions, `toolCalls` fields on the calls a response issued): a
 * path with a typo, or to a field the records lack, which `aco analyze --mapping` would then count without. `strict`:
 * fields every such record has (exit 3 when none holds them); `optional`: fields a sample may well lack (an error
 * where nothing failed, cache tokens where nothing was cached, a response a proxy did not keep), said but no failure.
 */
function unmatchedFields(m: CompiledMapping, records: readonly unknown[]): {strict: string[]; optional: string[]} {
  const strict: string[] = []
  const optional: string[] = []
  const llm: unknown[] = []
  const tool: unknown[] = []
  for (const r of records) {
    const kind = recordKind(m, r)
    if (kind === 'llm') llm.push(r)
    else if (kind === 'tool') tool.push(r)
  }
  const k = m.steps.kind
  if (k) {
    // The values records hold there that the mapping names nowhere: what a value with a typo was meant to be.
    const other = new Map<string, number>()
    for (const r of records) {
      const v = recordKind(m, r) ? undefined : kindValueOf(m, r)
      if (v !== undefined) other.set(v, (other.get(v) ?? 0) + 1)
    }
    const held = other.size ? `; records hold ${kindValuesText(other)}` : ''
    if (llm.length === 0 && tool.length === 0)
      strict.push(
        `steps.kind (${k.path.source}) matched none of its values (llm: ${JSON.stringify(k.llm)}, tool: ${JSON.stringify(k.tool)}) in any record${held}`,
      )
    // One side matched and the other not, while records hold a value that reads as its value mistyped (trial 85:
    // `llm_call` for `llm.call` read every call as no step: $0.00, exit 0). Other kinds of record (`chain`, a run's
    // summary) are no typo: a sample of no tool runs is fine (review 86).
    else
      for (const [matched, what, values] of [
        [llm.length, 'LLM call (llm', k.llm],
        [tool.length, 'tool execution (tool', k.tool],
      ] as const) {
        const near = matched === 0 ? nearMisses(other, values) : new Map<string, number>()
        if (near.size)
          strict.push(
            `steps.kind (${k.path.source}) matched no ${what}: ${JSON.stringify(values)}); records hold ${kindValuesText(near)}: a value with a typo?`,
          )
      }
  }
  const holds = (p: CompiledPaths, of: readonly unknown[]): boolean =>
    of.some(r => {
      const v = p.first(r)
      return v !== undefined && v !== null && v !== ''
    })
  const look = (field: string, p: CompiledPaths | undefined, of: readonly unknown[], what: string, strictly = true) => {
    if (!p || of.length === 0 || holds(p, of)) return
    const note = `${field} (${p.sources.join(' | ')}) gave no ${what} a value`
    if (strictly) strict.push(`${note}: check the path against the sample's records`)
    else optional.push(`${note}: fine if the sample has none, else check the path`)
  }
  const steps = [...llm, ...tool]
  // (A log may name no trace or session: LiteLLM's rows before session ids, one card per file then.)
  look('trace.id', m.trace.id, records, 'record', false)
  look('trace.title', m.trace.title, records, 'record', false)
  look('trace.session', m.trace.session, records, 'record', false)
  look('steps.id', m.steps.id, steps, 'step')
  look('steps.parent', m.steps.parent, steps, 'step', false)
  look('steps.order', m.steps.order, steps, 'step')
  look('steps.startedAt', m.steps.startedAt, steps, 'step')
  look('steps.endedAt', m.steps.endedAt, steps, 'step')
  look('steps.error', m.steps.error, steps, 'step', false)
  const failedWhen = m.steps.failedWhen
  if (failedWhen && steps.length && !steps.some(r => meets(failedWhen, r)))
    optional.push(
      `steps.failedWhen (${failedWhen.path.source}) held for no step: fine if none failed in the sample, else check the condition`,
    )
  look('steps.model', m.steps.model, llm, 'LLM call')
  look('steps.provider', m.steps.provider, llm, 'LLM call', false)
  // (A proxy's log may keep no response: LiteLLM's spend logs, unless told to store them.)
  look('steps.text', m.steps.text, llm, 'LLM call', false)
  look('steps.stopReason', m.steps.stopReason, llm, 'LLM call', false)
  look('steps.costUsd', m.steps.costUsd, llm, 'LLM call')
  const t = m.steps.tokens
  if (t) {
    look('steps.tokens.input', t.input, llm, 'LLM call')
    look('steps.tokens.output', t.output, llm, 'LLM call')
    look('steps.tokens.total', t.total, llm, 'LLM call')
    look('steps.tokens.cacheRead', t.cacheRead, llm, 'LLM call', false)
    look('steps.tokens.cacheWrite', t.cacheWrite, llm, 'LLM call', false)
    look('steps.tokens.reasoning', t.reasoning, llm, 'LLM call', false)
  }
  look('steps.tool.name', m.steps.tool.name, tool, 'tool execution')
  look('steps.tool.callId', m.steps.tool.callId, tool, 'tool execution')
  look('steps.tool.arguments', m.steps.tool.arguments, tool, 'tool execution')
  look('steps.tool.result', m.steps.tool.result, tool, 'tool execution')
  look('steps.tool.exitCode', m.steps.tool.exitCode, tool, 'tool execution', false)
  // The records holding the trace's own totals (`recorded.when`): a path there with no value is a total not recorded.
  const rec = m.recorded
  if (rec) {
    const totals = records.filter(r => meets(rec.when, r))
    if (totals.length === 0)
      optional.push(
        `recorded.when (${rec.when.path.source}) held for no record: fine if the sample holds no totals, else check the condition`,
      )
    look('recorded.costUsd', rec.costUsd, totals, 'record of totals')
    if (rec.tokens) {
      look('recorded.tokens.input', rec.tokens.input, totals, 'record of totals')
      look('recorded.tokens.output', rec.tokens.output, totals, 'record of totals')
      look('recorded.tokens.cacheRead', rec.tokens.cacheRead, totals, 'record of totals', false)
      look('recorded.tokens.cacheWrite', rec.tokens.cacheWrite, totals, 'record of totals', false)
    }
  }
  const calls = m.steps.toolCalls
  if (calls) {
    const items = llm.flatMap(r => issuedCalls(calls, r))
    if (llm.length && items.length === 0)
      optional.push(
        `steps.toolCalls.path (${calls.path.source}) found no tool call in any LLM call: fine if the sample issued none, else check the path`,
      )
    look('steps.toolCalls.id', calls.id, items, 'tool call')
    look('steps.toolCalls.name', calls.name, items, 'tool call')
    look('steps.toolCalls.arguments', calls.arguments, items, 'tool call')
  }
  return {strict, optional}
}

/** Reads `samplePath` with the mapping at `mappingPath`; a mapping that cannot be used is an AcoError (exit 2). */
export async function checkMapping(mappingPath: string, samplePath: string, redact = true): Promise<FormatsResult> {
  // (Before the mapping's fields are looked for in it: trial 124 read "steps.kind matched none", then that it was a
  // folder, exit 3.)
  // (The mapping first, as it is named first.)
  const compiled = await loadMapping(mappingPath)
  checkSample(samplePath, 'aco formats --check MAPPING SAMPLE')
  const m = compiled.source
  const records: unknown[] = []
  const adapters = mappingAdapters(compiled, undefined, record => {
    if (records.length < RECORDS_LOOKED_AT) records.push(record)
  })
  const format: FormatId = m.format ?? 'mapping'
  let recognised = true
  if (m.detect) {
    // Recognised when, read among every other reader (the mapping's first), the mapping is the one that reads it.
    const detected = await readTraceFile(samplePath, {redact, mapping: {adapters, only: false}})
    recognised = detected.format === format && detected.cards.every(c => c.source.mapping === m.name)
  }
  // (Only the records of the read below: the one above may have been another reader's.)
  records.length = 0
  const result = await readTraceFile(samplePath, {redact, mapping: {adapters, only: true}, mappingAlone: true})
  const book = new PriceBook()
  const cards = result.cards.map(card => checkedCard(card, book))
  const fields = unmatchedFields(compiled, records)
  const out: FormatsResult = {
    schemaVersion: '1.0',
    check: {
      mapping: {name: m.name, path: resolve(mappingPath), format, hasDetect: m.detect !== undefined},
      sample: resolve(samplePath),
      recognised,
      unmatched: fields.strict,
      ...(fields.optional.length ? {unconfirmed: fields.optional} : {}),
      cards,
      skipped: skippedLines(result.skipped),
    },
  }
  return redact ? redactValue(out) : out
}

/**
 * Refuses a sample that cannot be read, a folder, or what is no regular file (a usage error, `usage` the command to
 * write): a FIFO blocked the read forever, and `/dev/null` read as a file no format recognised (trial 127).
 */
function checkSample(samplePath: string, usage: string): void {
  let stats: Stats
  try {
    stats = statSync(samplePath)
  } catch (error) {
    throw new AcoError('usage', `Cannot read ${samplePath}: ${describeFsError(error)}.`, usage)
  }
  if (stats.isDirectory()) throw new AcoError('usage', `${samplePath} is a folder: name one file of it.`, usage)
  if (!stats.isFile()) throw new AcoError('usage', `Cannot read ${samplePath}: ${PIPE_REASON}.`, usage)
}

/** What was skipped, by line where there is one. */
function skippedLines(skipped: readonly Skipped[]): Array<{line?: number; reason: string}> {
  return skipped.map(s => (s.line === undefined ? {reason: s.reason} : {line: s.line, reason: s.reason}))
}

/** A card as the checks show it: priced, its totals and its first steps. */
function checkedCard(card: TraceCard, book: PriceBook): CheckedCard {
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
      if (s.inputUnrecorded) step.inputUnrecorded = true
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
}

/**
 * The format aco reads `samplePath` in, as `aco analyze` would detect it (by content), and what it reads from it: the
 * question a person with a log asks first (trial 124: `aco formats sample.json` answered only that a sample needs
 * --check).
 */
export async function detectSample(samplePath: string, redact = true): Promise<FormatsResult> {
  checkSample(samplePath, 'aco formats SAMPLE')
  const result = await readTraceFile(samplePath, {redact})
  const book = new PriceBook()
  const detected: Detected = {
    sample: resolve(samplePath),
    cards: result.cards.map(card => checkedCard(card, book)),
    skipped: skippedLines(result.skipped),
  }
  if (result.format) {
    detected.format = result.format
    const name = formatCatalog().find(f => f.id === result.format)?.name
    if (name) detected.name = name
  }
  if (result.companion) detected.companion = result.companion
  const out: FormatsResult = {schemaVersion: '1.0', detected}
  return redact ? redactValue(out) : out
}
