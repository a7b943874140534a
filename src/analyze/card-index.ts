/**
 * The index of a cards file: one small row per top-level card with what a
 * list needs (cost, waste, steps, models, title) and where the card's line is
 * in `cards.ndjson`, so a reader (aco review) shows 10,000 traces at once and
 * loads a card only when it is opened. Written beside the cards by
 * `aco analyze --out` (schemas/card-index.schema.json).
 */
import {forEachCard, rollupTotals} from '../card/build.js'
import type {FormatId, TraceCard} from '../card/types.js'

export const CARDS_FILE = 'cards.ndjson'
export const INDEX_FILE = 'cards.index.ndjson'
/** `--out-format parquet`: a row per card, and a row per step (see parquet-writer.ts). */
export const CARDS_PARQUET = 'cards.parquet'
export const STEPS_PARQUET = 'steps.parquet'

export interface CardIndexRow {
  id: string
  /** Byte offset and length of the card's line in cards.ndjson. */
  offset: number
  bytes: number
  format: FormatId
  path: string
  title?: string
  startedAt?: string
  models: string[]
  /** Totals including subagents. */
  costUsd: number
  wastedUsd: number
  steps: number
  llmCalls: number
  flags: number
  subagents: number
  unpricedCalls: number
  /** Flags on calls with no price: what they wasted is not known (absent when none). */
  unpricedFlags?: number
  /** Of a trace with more than one model: what each model's calls cost (absent with one model: all of `costUsd`). */
  byModel?: Record<string, ModelShare>
  /** Calls whose log records their output alone (see Step's `inputUnrecorded`): `costUsd` is a floor (absent when none). */
  inputUnrecordedCalls?: number
}

interface ModelShare {
  costUsd: number
  unpricedCalls: number
}

export function indexRow(card: TraceCard, offset: number, bytes: number): CardIndexRow {
  const totals = rollupTotals(card)
  let flags = 0
  let unpricedFlags = 0
  let inputUnrecorded = 0
  let subagents = -1
  const models = new Set<string>()
  const byModel = new Map<string, ModelShare>()
  forEachCard([card], c => {
    subagents++
    for (const m of c.models) models.add(m)
    for (const s of c.steps) {
      flags += s.flags?.length ?? 0
      if (s.flags?.some(f => f.unpriced)) unpricedFlags++
      if (s.inputUnrecorded) inputUnrecorded++
      if (s.kind !== 'llm' || !s.model || !s.cost) continue
      let share = byModel.get(s.model)
      if (!share) {
        share = {costUsd: 0, unpricedCalls: 0}
        byModel.set(s.model, share)
      }
      if (s.cost.usd !== null) share.costUsd += s.cost.usd
      else share.unpricedCalls++
    }
  })
  const row: CardIndexRow = {
    id: card.id,
    offset,
    bytes,
    format: card.source.format,
    path: card.source.path,
    models: [...models],
    costUsd: totals.costUsd,
    wastedUsd: totals.wastedUsd,
    steps: totals.steps,
    llmCalls: totals.llmCalls,
    flags,
    subagents,
    unpricedCalls: totals.unpricedCalls,
  }
  if (unpricedFlags) row.unpricedFlags = unpricedFlags
  if (inputUnrecorded) row.inputUnrecordedCalls = inputUnrecorded
  // (Kept for one model too where its calls are not all the trace's: calls that name no model, unpriced, are not its
  // own, trial 88: the review's picker had put them beside it.)
  const only = models.size === 1 ? byModel.get([...models][0]!) : undefined
  if (models.size > 1 || (only !== undefined && only.unpricedCalls !== totals.unpricedCalls))
    row.byModel = Object.fromEntries([...models].map(m => [m, byModel.get(m) ?? {costUsd: 0, unpricedCalls: 0}]))
  if (card.title) row.title = card.title
  if (card.startedAt) row.startedAt = card.startedAt
  return row
}
