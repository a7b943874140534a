/**
 * OpenCode's database (opencode.db, OpenCode 1.2 and later): each session read as its export is, the write-ahead log
 * beside the file taken in, what cannot be read said (a row that is no JSON, OpenCode 2's tables, a damaged file,
 * another program's database), and nothing read of the tables that hold accounts and tokens. The fixtures are written
 * by SQLite itself (fixtures/opencode-db/make.py).
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {TraceCard} from '../../src/card/types.js'
import {walk} from '../../src/discover/walk.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {readTraceFile} from '../../src/read/read-file.js'
import {columnsOf, SqliteError, SqliteFile} from '../../src/util/sqlite.js'
import {read, root, toolFlags} from '../helpers.js'

const dir = join(root, 'fixtures', 'opencode-db')
const db = join(dir, 'sessions', 'opencode.db')
const tmp = mkdtempSync(join(tmpdir(), 'aco-opencode-db-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const byId = (cards: TraceCard[], id: string): TraceCard => {
  const card = cards.find(c => c.id === id)
  if (!card) throw new Error(`no card ${id} among ${cards.map(c => c.id).join(', ')}`)
  return card
}

describe('OpenCode database', () => {
  it('reads every session, one card each, the newest from the write-ahead log beside the file', async () => {
    const result = await read(db)
    expect(result.format).toBe('opencode')
    expect(result.cards.map(c => c.id)).toEqual(['ses_fixture1', 'ses_fixture1child', 'ses_fixture2'])
    // The second session was committed to opencode.db-wal only.
    const second = byId(result.cards, 'ses_fixture2')
    expect(second.title).toBe('List the project')
    expect(second.totals.toolCalls).toBe(2)
    // A subagent's session is a card of its own; the first one's steps are its own.
    expect(byId(result.cards, 'ses_fixture1child').totals.toolCalls).toBe(1)
    expect(byId(result.cards, 'ses_fixture1').totals.toolCalls).toBe(3)
  })

  it('says what it could not read: a part that is no JSON (its session read), sessions in OpenCode 2 tables', async () => {
    const result = await read(db)
    const reasons = result.skipped.map(s => s.reason)
    expect(reasons).toContain('session ses_fixture1: part prt_fixture1zzzz: its data is no JSON object')
    expect(reasons.some(r => /^1 session in OpenCode 2's session_v2 table: not read/.test(r))).toBe(true)
  })

  it('reads a session as its export is read: the same steps, tokens, costs and flags', async () => {
    const fromDb = byId((await read(db)).cards, 'ses_fixture1')
    const fromExport = (await read(join(dir, 'export.json'))).cards[0]!
    flagCard(fromDb)
    flagCard(fromExport)
    const shape = (c: TraceCard) =>
      c.steps.map(s => ({
        kind: s.kind,
        model: s.model,
        tokens: s.tokens,
        cost: s.cost?.usd,
        recorded: s.cost?.recordedUsd,
        tool: s.tool?.name,
        args: s.tool?.argsHash,
        status: s.tool?.status,
        output: s.tool?.outputHash,
      }))
    expect(shape(fromDb)).toEqual(shape(fromExport))
    expect(fromDb.totals.tokens).toEqual(fromExport.totals.tokens)
    expect(toolFlags(fromDb)).toEqual({3: 'reread-unchanged'})
    expect(toolFlags(fromExport)).toEqual(toolFlags(fromDb))
  })

  it("keeps the tokens and cost OpenCode summed in the session's row, and they equal what aco counts", async () => {
    for (const card of (await read(db)).cards) {
      expect(card.recorded?.source).toBe('opencode session tokens')
      expect(card.recorded?.tokens).toEqual(card.totals.tokens)
    }
  })

  it('reads the file alone as it was at its last checkpoint when the log is not beside it', async () => {
    const alone = join(tmp, 'alone')
    rmSync(alone, {recursive: true, force: true})
    const copy = join(tmp, 'opencode.db')
    copyFileSync(db, copy)
    const result = await read(copy)
    expect(result.cards.map(c => c.id)).toEqual(['ses_fixture1', 'ses_fixture1child'])
  })

  it('stops at the first frame of the log whose checksum fails: the commit it belongs to is not read', async () => {
    const copy = join(tmp, 'torn.db')
    copyFileSync(db, copy)
    const log = readFileSync(`${db}-wal`)
    // A byte of the last frame's page changed (a write cut short): that frame, its commit, is not taken.
    log[log.length - 10] = (log[log.length - 10]! + 1) % 256
    writeFileSync(`${copy}-wal`, log)
    const result = await read(copy)
    expect(result.cards.map(c => c.id)).toEqual(['ses_fixture1', 'ses_fixture1child'])
  })

  it('never reads the tables that hold accounts and tokens: no card holds the access token', async () => {
    const result = await read(db)
    const text = JSON.stringify(result)
    expect(readFileSync(db).includes('sk-ant-api03-FIXTURE')).toBe(true)
    expect(text).not.toContain('FIXTUREFIXTURE')
    expect(text).not.toContain('rt-fixture')
  })

  it('says the write-ahead log is read with its database, and skips another program’s database or a damaged one', async () => {
    expect((await readTraceFile(`${db}-wal`)).companion).toMatch(/^the write-ahead log of the database opencode\.db/)
    const other = await readTraceFile(join(dir, 'other', 'app.db'))
    expect(other.cards).toEqual([])
    expect(other.skipped.map(s => s.reason)).toEqual([
      "a SQLite database, but not OpenCode's (no session, message and part tables): not read",
    ])
    // A database cut inside its header, down to its magic: cut short, not an unknown text file.
    const magic = join(tmp, 'magic.db')
    writeFileSync(magic, readFileSync(db).subarray(0, 16))
    expect((await readTraceFile(magic)).skipped.map(s => s.reason)).toEqual([
      'damaged SQLite database: cut short: the file ends inside its 100-byte header (16 bytes)',
    ])
    const damaged = await readTraceFile(join(dir, 'damaged', 'opencode.db'))
    expect(damaged.cards).toEqual([])
    expect(damaged.skipped[0]?.reason).toMatch(
      /^damaged SQLite database: page \d+ lies outside the database \(2 pages\)$/,
    )
  })

  it("recognises what OpenCode's data folder holds beside its database, no traces: its storage from before 1.2, its logs", async () => {
    for (const path of [
      'storage/session/global/ses_fixture0.json',
      'storage/message/ses_fixture0/msg_fixture0a.json',
      'storage/part/msg_fixture0a/prt_fixture0a1.json',
    ])
      expect((await readTraceFile(join(dir, path))).companion, path).toMatch(
        /^a file of OpenCode's storage before 1\.2/,
      )
    for (const path of ['log/2026-06-17T053710.log', 'log/2025-11-02T100001.log'])
      expect((await readTraceFile(join(dir, path))).companion, path).toBe(
        "OpenCode's own log (what the program did, not a session's calls)",
      )
    // An export is still a session, not a part of the storage.
    expect((await readTraceFile(join(dir, 'export.json'))).cards).toHaveLength(1)
  })

  it('loses to a damaged page only the rows on it, said: a leaf of the part table, the table of OpenCode 2 sessions', async () => {
    const leaf = await read(join(dir, 'damaged', 'part-leaf', 'opencode.db'))
    expect(leaf.cards.map(c => c.id)).toEqual(['ses_fixture1', 'ses_fixture1child', 'ses_fixture2'])
    expect(leaf.skipped[0]?.reason).toMatch(
      /^table part: page \d+ is no table page \(type 0\); the rows on that page are not read$/,
    )
    const whole = await read(db)
    const parts = (r: typeof whole) => r.cards.reduce((n, c) => n + c.steps.length, 0)
    expect(parts(leaf)).toBeLessThan(parts(whole))
    const v2 = await read(join(dir, 'damaged', 'session-v2', 'opencode.db'))
    expect(v2.cards.map(c => c.id)).toEqual(['ses_fixture1', 'ses_fixture1child', 'ses_fixture2'])
    expect(v2.skipped.map(s => s.reason)).toContainEqual(
      expect.stringMatching(/^table session_v2: page \d+ is no table page \(type 0\); its sessions not counted$/),
    )
  })

  it('says the parts it cannot place: of a message no session holds, of a session with no message', async () => {
    const result = await read(join(dir, 'stray', 'opencode.db'))
    expect(result.cards.map(c => c.id)).toEqual(['ses_fixture1'])
    expect(result.skipped.map(s => s.reason)).toEqual([
      'session ses_fixture1: 1 part of messages not in this session: not read',
      'session ses_partsonly: 1 part but no message to hold them: not read',
    ])
  })

  it('a folder walk reads opencode.db (not its log, nor other databases) and counts its log in its size and time', async () => {
    const home = join(tmp, 'share')
    rmSync(home, {recursive: true, force: true})
    const data = join(home, 'opencode')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(data, {recursive: true})
    copyFileSync(db, join(data, 'opencode.db'))
    copyFileSync(`${db}-wal`, join(data, 'opencode.db-wal'))
    copyFileSync(join(dir, 'other', 'app.db'), join(data, 'app.db'))
    // The file last changed a day before its log (a session written since the last checkpoint).
    const day = Date.now() / 1000 - 86_400
    utimesSync(join(data, 'opencode.db'), day, day)
    const found = await walk([home])
    expect(found.files.map(f => f.path)).toEqual([join(data, 'opencode.db')])
    const file = found.files[0]!
    expect(file.size).toBe(statSync(db).size + statSync(`${db}-wal`).size)
    expect(file.mtimeMs).toBe(statSync(join(data, 'opencode.db-wal')).mtimeMs)
  })
})

describe('SQLite reader', () => {
  it('names the columns of a table as its CREATE TABLE declares them, constraints left out', () => {
    expect(
      columnsOf(
        'CREATE TABLE `part` (`id` text PRIMARY KEY, "message id" text NOT NULL, [data] text, x DEFAULT (1, 2), CONSTRAINT `fk` FOREIGN KEY (`message_id`) REFERENCES `message`(`id`))',
      ),
    ).toEqual({columns: ['id', 'message id', 'data', 'x']})
    expect(columnsOf('CREATE TABLE t (n integer PRIMARY KEY NOT NULL, v text)')).toEqual({
      columns: ['n', 'v'],
      rowidColumn: 0,
    })
    // Comments hold no column, whatever their commas and parentheses.
    expect(columnsOf('CREATE TABLE p ( -- parts, (one a row)\n [data] text, /* a, b */ "id" text)')).toEqual({
      columns: ['data', 'id'],
    })
    // The rowid, however its key is written; not `INTEGER PRIMARY KEY DESC` (SQLite's own exception).
    for (const sql of [
      'CREATE TABLE t(id INTEGER NOT NULL PRIMARY KEY, b)',
      'CREATE TABLE t(id INTEGER CONSTRAINT pk PRIMARY KEY, b)',
      'CREATE TABLE t(id INTEGER, b, PRIMARY KEY(id))',
    ])
      expect(columnsOf(sql), sql).toEqual({columns: ['id', 'b'], rowidColumn: 0})
    expect(columnsOf('CREATE TABLE t(id INTEGER PRIMARY KEY DESC, b)')).toEqual({columns: ['id', 'b']})
    // A generated column rows do not store (VIRTUAL) is no column of the record; a STORED one is.
    expect(columnsOf('CREATE TABLE t(a, v AS (a * 2), s GENERATED ALWAYS AS (a + 1) STORED, b)')).toEqual({
      columns: ['a', 's', 'b'],
    })
  })

  it('reads rows in rowid order and one row by its rowid, and rejects a file that is no database', () => {
    const file = new SqliteFile(db)
    try {
      const part = file.tables().get('part')!
      const rows = [...file.rows(part, ['id'])]
      expect(rows.length).toBeGreaterThan(20)
      expect(rows.map(r => r.rowid)).toEqual([...rows.map(r => r.rowid)].sort((a, b) => a - b))
      // Pages of 1 KB: the part table is a tree of several levels, its long rows run onto overflow pages.
      const last = rows[rows.length - 1]!
      expect(file.row(part, last.rowid, ['id'])).toEqual({id: last.row.id})
      const long = rows.map(r => file.row(part, r.rowid, ['data'])!.data as string).find(d => d.length > 5000)
      expect(JSON.parse(long!).state.output).toMatch(/^<path>\/home\/dev\/app\/src\/app\.ts<\/path>/)
      expect(file.row(part, 10_000_000)).toBeUndefined()
    } finally {
      file.close()
    }
    expect(() => new SqliteFile(join(dir, 'export.json'))).toThrow(SqliteError)
  })
})
