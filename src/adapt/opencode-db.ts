/**
 * OpenCode's database: since OpenCode 1.2 (February 2026) every session lives in one SQLite file,
 * `~/.local/share/opencode/opencode.db` (`opencode db path` prints where), in place of the JSON files `opencode
 * export` still writes. Its tables `session`, `message` and `part` hold what an export holds: a message's and a part's
 * JSON in their `data` column (without their ids, which are columns), a session's fields as columns (`directory`,
 * `title`, `version`, and since 1.17 its `cost` and `tokens_*`). Each session is read as its export would be (see
 * opencode.ts), one card a session, a subagent's session (`parent_id`) a card of its own.
 *
 * Traps handled here:
 * - a database in WAL mode keeps its latest commits in `opencode.db-wal` beside it until a checkpoint: read with it
 *   (src/util/sqlite.ts), or the newest sessions would be missing;
 * - messages in the order OpenCode shows them (by time created, then id), parts by their ids within a message;
 * - parts are read a session at a time, by rowid, so a database of gigabytes is never held whole;
 * - a row whose `data` is no JSON is skipped and said (table and id); a damaged page loses its session, not the rest;
 * - the database also holds accounts, access tokens and credentials: nothing of those tables is read;
 * - OpenCode 2 writes new sessions to other tables (`session_v2`, `session_message`): their count is said as not read.
 */
import {readOpencodeSession} from './opencode.js'
import type {TraceCard} from '../card/types.js'
import {SqliteError, type SqliteFile, type SqliteTable, type SqliteValue} from '../util/sqlite.js'
import {RecordError, type AdaptContext} from './types.js'

/** Whether a database holds OpenCode's sessions (its `session`, `message` and `part` tables). */
export function isOpencodeDatabase(db: SqliteFile): boolean {
  const tables = db.tables()
  return ['session', 'message', 'part'].every(name => tables.has(name))
}

/**
 * The cards of every session in OpenCode's database, oldest first; each through `finish` as soon as it is read, when
 * given (see `ReadOptions.eachCard`).
 */
export function readOpencodeDatabase(
  db: SqliteFile,
  ctx: AdaptContext,
  finish?: (card: TraceCard) => TraceCard,
): TraceCard[] {
  const tables = db.tables()
  const sessionTable = tables.get('session')
  const messageTable = tables.get('message')
  const partTable = tables.get('part')
  if (!sessionTable || !messageTable || !partTable)
    throw new RecordError("a SQLite database without OpenCode's session, message and part tables: not a trace")

  // A page of a table that cannot be read loses its rows, said; the rest is read.
  const damaged = (table: string) => (error: SqliteError) =>
    ctx.skip(undefined, `table ${table}: ${error.message}; the rows on that page are not read`)
  const sessions = new Map<string, Record<string, SqliteValue>>()
  for (const {row} of db.rows(sessionTable, present(sessionTable, SESSION_COLUMNS), damaged('session')))
    if (typeof row.id === 'string') sessions.set(row.id, row)

  const messages = new Map<string, Array<{id: string; created: number; data: string}>>()
  for (const {row} of db.rows(messageTable, ['id', 'session_id', 'time_created', 'data'], damaged('message'))) {
    if (typeof row.id !== 'string' || typeof row.session_id !== 'string' || typeof row.data !== 'string') {
      ctx.skip(undefined, `message ${String(row.id)}: expected text id, session_id and data`)
      continue
    }
    const list = messages.get(row.session_id) ?? []
    if (!list.length) messages.set(row.session_id, list)
    list.push({id: row.id, created: typeof row.time_created === 'number' ? row.time_created : 0, data: row.data})
  }

  // Where each session's parts are (their rowids alone): the parts themselves are read a session at a time.
  const parts = new Map<string, number[]>()
  for (const {rowid, row} of db.rows(partTable, ['session_id'], damaged('part'))) {
    if (typeof row.session_id !== 'string') {
      ctx.skip(undefined, `part at rowid ${rowid}: expected a text session_id`)
      continue
    }
    const list = parts.get(row.session_id) ?? []
    if (!list.length) parts.set(row.session_id, list)
    list.push(rowid)
  }

  const order = [...messages.keys()].sort(
    (a, b) => started(sessions.get(a), a) - started(sessions.get(b), b) || cmp(a, b),
  )
  const cards: TraceCard[] = []
  for (const id of order) {
    try {
      const card = readSession(db, partTable, id, sessions.get(id), messages.get(id)!, parts.get(id) ?? [], ctx)
      if (card) cards.push(finish ? finish(card) : card)
    } catch (error) {
      if (!(error instanceof SqliteError)) throw error
      ctx.skip(undefined, `session ${id}: ${error.message}; the session is not read`)
    }
  }
  // Parts of a session that has no message: nothing to place them in.
  for (const [id, rowids] of parts)
    if (!messages.has(id))
      ctx.skip(
        undefined,
        `session ${id}: ${rowids.length} part${rowids.length === 1 ? '' : 's'} but no message to hold them: not read`,
      )
  try {
    notReadV2(db, tables, ctx)
  } catch (error) {
    if (!(error instanceof SqliteError)) throw error
    ctx.skip(undefined, `table session_v2: ${error.message}; its sessions not counted`)
  }
  return cards
}

/** The session columns read, of those the table has (the later ones came with later versions). */
const SESSION_COLUMNS = [
  'id',
  'parent_id',
  'directory',
  'title',
  'version',
  'time_created',
  'time_updated',
  'cost',
  'tokens_input',
  'tokens_output',
  'tokens_reasoning',
  'tokens_cache_read',
  'tokens_cache_write',
]

function present(table: SqliteTable, names: readonly string[]): string[] {
  return names.filter(name => table.columns.includes(name))
}

function started(session: Record<string, SqliteValue> | undefined, id: string): number {
  const t = session?.time_created
  return typeof t === 'number' ? t : id === '' ? 0 : Number.MAX_SAFE_INTEGER
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function readSession(
  db: SqliteFile,
  partTable: SqliteTable,
  id: string,
  session: Record<string, SqliteValue> | undefined,
  rows: Array<{id: string; created: number; data: string}>,
  rowids: readonly number[],
  base: AdaptContext,
): TraceCard | undefined {
  // (What is skipped is said with the session it belongs to.)
  const ctx: AdaptContext = {...base, skip: (line, reason) => base.skip(line, `session ${id}: ${reason}`)}
  const byMessage = new Map<string, Array<Record<string, unknown>>>()
  for (const rowid of rowids) {
    const row = db.row(partTable, rowid, ['id', 'message_id', 'data'])
    if (typeof row?.id !== 'string' || typeof row.message_id !== 'string') {
      ctx.skip(undefined, `part at rowid ${rowid}: expected a text id and message_id`)
      continue
    }
    const part = typeof row.data === 'string' ? parsed(row.data) : undefined
    if (!part) {
      ctx.skip(undefined, `part ${row.id}: its data is no JSON object`)
      continue
    }
    const list = byMessage.get(row.message_id) ?? []
    if (!list.length) byMessage.set(row.message_id, list)
    list.push({...part, id: row.id, messageID: row.message_id, sessionID: id})
  }
  // (A message's parts in the order of their ids, as OpenCode shows them.)
  for (const list of byMessage.values()) list.sort((a, b) => cmp(a.id as string, b.id as string))
  rows.sort((a, b) => a.created - b.created || cmp(a.id, b.id))
  // Parts naming a message the session does not hold (another session's, or none): said, not placed.
  const held = new Set(rows.map(r => r.id))
  let stray = 0
  for (const [message, list] of byMessage) if (!held.has(message)) stray += list.length
  if (stray) ctx.skip(undefined, `${stray} part${stray === 1 ? '' : 's'} of messages not in this session: not read`)
  const messages: unknown[] = []
  for (const row of rows) {
    const info = parsed(row.data)
    if (!info) {
      ctx.skip(undefined, `message ${row.id}: its data is no JSON object`)
      continue
    }
    messages.push({info: {...info, id: row.id, sessionID: id}, parts: byMessage.get(row.id) ?? []})
  }
  if (!messages.length) return undefined
  return readOpencodeSession(sessionInfo(id, session), messages, ctx)
}

/** A session row as the `info` of its export: its fields, and the tokens and cost OpenCode summed (when it did). */
function sessionInfo(id: string, row: Record<string, SqliteValue> | undefined): Record<string, unknown> {
  const info: Record<string, unknown> = {id}
  if (!row) return info
  for (const [column, key] of [
    ['directory', 'directory'],
    ['title', 'title'],
    ['version', 'version'],
    ['parent_id', 'parentID'],
  ] as const)
    if (typeof row[column] === 'string') info[key] = row[column]
  const count = (column: string): number => (typeof row[column] === 'number' ? (row[column] as number) : 0)
  const tokens = {
    input: count('tokens_input'),
    output: count('tokens_output'),
    reasoning: count('tokens_reasoning'),
    cache: {read: count('tokens_cache_read'), write: count('tokens_cache_write')},
  }
  // (Columns a migration added hold 0 for the sessions before it: no sum OpenCode made.)
  if (tokens.input + tokens.output + tokens.reasoning + tokens.cache.read + tokens.cache.write > 0) {
    info.tokens = tokens
    if (typeof row.cost === 'number') info.cost = row.cost
  }
  return info
}

function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** OpenCode 2's tables (`session_v2`): how many sessions they hold, said as not read. */
function notReadV2(db: SqliteFile, tables: Map<string, SqliteTable>, ctx: AdaptContext): void {
  const v2 = tables.get('session_v2')
  if (!v2?.columns.length) return
  let n = 0
  for (const _ of db.rows(v2, [v2.columns[0]!])) n++
  if (n > 0)
    ctx.skip(
      undefined,
      `${n} session${n === 1 ? '' : 's'} in OpenCode 2's session_v2 table: not read (this aco reads the session, message and part tables)`,
    )
}
