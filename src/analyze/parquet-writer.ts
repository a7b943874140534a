/**
 * `aco analyze --out DIR --out-format parquet`: the cards as two Parquet
 * tables any engine reads at columnar speed (DuckDB, Spark, BigQuery,
 * pandas): `cards.parquet`, a row per card (subagents are rows of their own,
 * with `parent_id`), and `steps.parquet`, a row per step with its trace id.
 * Written with hyparquet-writer (pure JavaScript, no native build), a row
 * group at a time so memory stays bounded; each file goes to a temporary
 * name and is renamed into place on commit. Secrets redacted unless asked
 * otherwise, as in cards.ndjson.
 */
import {renameSync, rmSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {removeAbandonedTemps, syncFile, syncFolder, trackTemp, untrackTemp} from '../util/atomic.js'
import {fileWriter, ParquetWriter} from 'hyparquet-writer'
import {forEachCard} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import {redactField} from '../util/redact.js'
import {CARDS_PARQUET, STEPS_PARQUET} from './card-index.js'
import type {CardsWriter} from './cards-writer.js'
import {stepTime} from './group.js'

type Kind = 'STRING' | 'DOUBLE' | 'INT32' | 'INT64' | 'TIMESTAMP' | 'BOOLEAN'
type Value = string | number | bigint | boolean | Date | null

/**
 * A string of a card as the table shows it: as it is, or redacted as `redactValue` would redact it under the field
 * `key` (so the tables hold what cards.ndjson holds). Only the strings a table keeps are redacted, not the whole card:
 * a card's copy with every argument and output redacted was most of the work and memory of writing the tables.
 */
type Shown = (value: string, key: string) => string

interface Column<T> {
  name: string
  type: Kind
  get: (row: T, shown: Shown) => Value
}

const time = (iso: string | undefined): Date | null => {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}
const instant = (ms: number | undefined): Date | null => (ms === undefined ? null : new Date(ms))
const big = (n: number | undefined): bigint => BigInt(Math.round(n ?? 0))

/** A card none of whose calls has a price: its cost (and waste) is unknown, never $0. */
const noCallPriced = (c: TraceCard): boolean => c.totals.llmCalls > 0 && c.totals.unpricedCalls >= c.totals.llmCalls

const CARD_COLUMNS: Array<Column<TraceCard>> = [
  {name: 'id', type: 'STRING', get: (c, shown) => shown(c.id, 'id')},
  {
    name: 'parent_id',
    type: 'STRING',
    get: (c, shown) => (c.parent?.traceId === undefined ? null : shown(c.parent.traceId, 'traceId')),
  },
  {name: 'format', type: 'STRING', get: (c, shown) => shown(c.source.format, 'format')},
  {name: 'path', type: 'STRING', get: (c, shown) => shown(c.source.path, 'path')},
  {
    name: 'session_id',
    type: 'STRING',
    get: (c, shown) => (c.sessionId === undefined ? null : shown(c.sessionId, 'sessionId')),
  },
  {name: 'title', type: 'STRING', get: (c, shown) => (c.title === undefined ? null : shown(c.title, 'title'))},
  {name: 'cwd', type: 'STRING', get: (c, shown) => (c.cwd === undefined ? null : shown(c.cwd, 'cwd'))},
  {name: 'started_at', type: 'TIMESTAMP', get: c => time(c.startedAt)},
  {name: 'models', type: 'STRING', get: (c, shown) => c.models.map(m => shown(m, 'models')).join(',')},
  // Null when no call of the card has a price (its steps' costs are all null): never counted as $0, trial 82; with some
  // priced, the sum of those, `unpriced_calls` beside it.
  {name: 'cost_usd', type: 'DOUBLE', get: c => (noCallPriced(c) ? null : c.totals.costUsd)},
  // (So is its waste: what a flag on an unpriced call cost is unknown, not $0; review 83.)
  {name: 'wasted_usd', type: 'DOUBLE', get: c => (noCallPriced(c) ? null : c.totals.wastedUsd)},
  {name: 'input_tokens', type: 'INT64', get: c => big(c.totals.tokens.input)},
  {name: 'output_tokens', type: 'INT64', get: c => big(c.totals.tokens.output)},
  {name: 'cache_read_tokens', type: 'INT64', get: c => big(c.totals.tokens.cacheRead)},
  {name: 'cache_write_tokens', type: 'INT64', get: c => big(c.totals.tokens.cacheWrite)},
  {name: 'reasoning_tokens', type: 'INT64', get: c => big(c.totals.tokens.reasoning)},
  {name: 'steps', type: 'INT32', get: c => c.totals.steps},
  {name: 'llm_calls', type: 'INT32', get: c => c.totals.llmCalls},
  {name: 'tool_calls', type: 'INT32', get: c => c.totals.toolCalls},
  {name: 'unpriced_calls', type: 'INT32', get: c => c.totals.unpricedCalls},
]

interface StepRow {
  card: TraceCard
  step: Step
}

const STEP_COLUMNS: Array<Column<StepRow>> = [
  {name: 'trace_id', type: 'STRING', get: (r, shown) => shown(r.card.id, 'id')},
  {name: 'step_index', type: 'INT32', get: r => r.step.index},
  {name: 'step_id', type: 'STRING', get: (r, shown) => shown(r.step.id, 'id')},
  {name: 'kind', type: 'STRING', get: (r, shown) => shown(r.step.kind, 'kind')},
  {
    name: 'parent_step_id',
    type: 'STRING',
    get: (r, shown) => (r.step.parentStepId === undefined ? null : shown(r.step.parentStepId, 'parentStepId')),
  },
  {
    name: 'model',
    type: 'STRING',
    get: (r, shown) => (r.step.model === undefined ? null : shown(r.step.model, 'model')),
  },
  {name: 'started_at', type: 'TIMESTAMP', get: r => time(r.step.startedAt ?? r.step.endedAt)},
  // The instant aco dates the step by (`--by day`, `--since`): its end, else its start, else its trace's start.
  {name: 'dated_at', type: 'TIMESTAMP', get: r => instant(stepTime(r.step, r.card))},
  {name: 'input_tokens', type: 'INT64', get: r => big(r.step.tokens?.input)},
  {name: 'output_tokens', type: 'INT64', get: r => big(r.step.tokens?.output)},
  {name: 'cache_read_tokens', type: 'INT64', get: r => big(r.step.tokens?.cacheRead)},
  {name: 'cache_write_tokens', type: 'INT64', get: r => big(r.step.tokens?.cacheWrite)},
  {name: 'reasoning_tokens', type: 'INT64', get: r => big(r.step.tokens?.reasoning)},
  // Null when the step could not be priced: never counted as $0.
  {name: 'cost_usd', type: 'DOUBLE', get: r => (r.step.kind === 'llm' ? (r.step.cost?.usd ?? null) : 0)},
  {
    name: 'cost_source',
    type: 'STRING',
    get: (r, shown) => (r.step.cost?.source === undefined ? null : shown(r.step.cost.source, 'source')),
  },
  {name: 'tool', type: 'STRING', get: (r, shown) => (r.step.tool ? shown(r.step.tool.name, 'name') : null)},
  {
    name: 'tool_status',
    type: 'STRING',
    get: (r, shown) => (r.step.tool?.status === undefined ? null : shown(r.step.tool.status, 'status')),
  },
  {
    name: 'args_hash',
    type: 'STRING',
    get: (r, shown) => (r.step.tool?.argsHash === undefined ? null : shown(r.step.tool.argsHash, 'argsHash')),
  },
  // (Null for a step whose every flag is on a call with no price: its waste is unknown, not $0.)
  {
    name: 'wasted_usd',
    type: 'DOUBLE',
    get: r => {
      const flags = r.step.flags ?? []
      return flags.length > 0 && flags.every(f => f.unpriced) ? null : flags.reduce((n, f) => n + f.wastedUsd, 0)
    },
  },
  {name: 'flags', type: 'STRING', get: (r, shown) => r.step.flags?.map(f => shown(f.kind, 'kind')).join(',') ?? null},
]

/** Rows held before they are written as one row group. */
const ROW_GROUP = 10_000

class Table<T> {
  private readonly writer: ParquetWriter
  private readonly tmp: string
  /**
   * The values of the rows not yet written, column by column: read from each row as it comes, so no row keeps its card
   * alive until its group is written (a group of 50,000 steps had held every card they came from: 437 MB at the peak
   * over the bench's 400 MB, against 196 MB for cards.ndjson).
   */
  private values: Value[][]
  private count = 0
  private finished = false

  constructor(
    readonly path: string,
    private readonly columns: Array<Column<T>>,
    private readonly shown: Shown,
  ) {
    removeAbandonedTemps(dirname(path), [basename(path)])
    // (Named as every temporary file aco writes, with the time beside the process id: two runs that are both pid 1 of
    // their containers, sharing --out, wrote into one file.)
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
    trackTemp(this.tmp)
    const schema = [
      {name: 'root', num_children: columns.length},
      ...columns.map(c => ({name: c.name, repetition_type: 'OPTIONAL' as const, ...SCHEMA[c.type]})),
    ]
    this.writer = new ParquetWriter({writer: fileWriter(this.tmp), schema, createdBy: 'aco'})
    this.values = columns.map(() => [])
  }

  add(row: T): void {
    for (let k = 0; k < this.columns.length; k++) this.values[k]!.push(this.columns[k]!.get(row, this.shown))
    if (++this.count >= ROW_GROUP) this.flush()
  }

  private flush(): void {
    if (!this.count) return
    const values = this.values
    const rows = this.count
    this.values = this.columns.map(() => [])
    this.count = 0
    this.writer.write({
      columnData: this.columns.map((c, k) => ({name: c.name, data: values[k]!})),
      rowGroupSize: rows,
    })
  }

  /** Writes what is left and the file's footer, and flushes the file to the disk. */
  finish(): void {
    if (this.finished) return
    this.flush()
    this.writer.finish()
    syncFile(this.tmp)
    this.finished = true
  }

  commit(): void {
    this.finish()
    renameSync(this.tmp, this.path)
    untrackTemp(this.tmp)
    syncFolder(dirname(this.path))
  }

  abort(): void {
    rmSync(this.tmp, {force: true})
    untrackTemp(this.tmp)
  }
}

// Parquet physical and logical types of each kind of column.
const SCHEMA = {
  STRING: {type: 'BYTE_ARRAY', converted_type: 'UTF8'},
  DOUBLE: {type: 'DOUBLE'},
  INT32: {type: 'INT32'},
  INT64: {type: 'INT64'},
  // An instant (UTC-adjusted), so engines read a time with a zone, not a wall-clock time.
  TIMESTAMP: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: {type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS'},
  },
  BOOLEAN: {type: 'BOOLEAN'},
} as const

/** Opens `dir/cards.parquet` and `dir/steps.parquet` for writing (the folder must exist). */
export function openParquetWriter(dir: string, options: {redact?: boolean} = {}): CardsWriter {
  const shown: Shown = (options.redact ?? true) ? (value, key) => redactField(value, key) : value => value
  const cards = new Table(join(dir, CARDS_PARQUET), CARD_COLUMNS, shown)
  const steps = new Table(join(dir, STEPS_PARQUET), STEP_COLUMNS, shown)
  return {
    path: cards.path,
    write(batch) {
      forEachCard(batch, card => {
        cards.add(card)
        for (const step of card.steps) steps.add({card, step})
      })
    },
    commit() {
      // Both on the disk before either replaces what the folder held.
      cards.finish()
      steps.finish()
      cards.commit()
      steps.commit()
    },
    abort() {
      cards.abort()
      steps.abort()
    },
  }
}
