/**
 * A read-only reader of SQLite database files (the file format of https://www.sqlite.org/fileformat2.html), for the
 * agents that keep their sessions in one (OpenCode 1.2 and later: `opencode.db`). It reads pages where it needs them,
 * never the whole file, so a database of gigabytes costs a few pages of memory; it takes the write-ahead log beside
 * the file (`opencode.db-wal`, where a database in WAL mode keeps its latest commits until a checkpoint) into account,
 * as SQLite's own recovery does: the frames of its last valid commit, checked by their salts and checksums.
 *
 * Only what reading tables needs: the schema, a table's rows in rowid order (`rows`), one row by its rowid (`row`).
 * No SQL, no indexes, no writing, no locks: a database being written while it is read may be read mid-write (read it
 * again). A damaged file raises a `SqliteError` naming the page; the reader never loops on a cycle of pages.
 */
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {TextDecoder} from 'node:util'

/** What every SQLite database file starts with. */
const MAGIC = 'SQLite format 3\u0000'

/** A database file that cannot be read as one (its header, a page, a record), with the reason. */
export class SqliteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SqliteError'
  }
}

/** Whether the first bytes of a file are a SQLite database's header. */
export function isSqliteHeader(head: Uint8Array): boolean {
  if (head.length < MAGIC.length) return false
  for (let k = 0; k < MAGIC.length; k++) if (head[k] !== MAGIC.charCodeAt(k)) return false
  return true
}

/** A value of a column as SQLite stores it. */
export type SqliteValue = null | number | string | Uint8Array

/** A table of the schema: its name, first page, and its columns in their order. */
export interface SqliteTable {
  name: string
  rootPage: number
  columns: string[]
  /** The column that is the rowid itself (`id INTEGER PRIMARY KEY`), if any. */
  rowidColumn?: number
  withoutRowid: boolean
}

/** Pages kept in memory at most (4 KB each by default): enough for a b-tree's upper levels and a row's overflow. */
const CACHED_PAGES = 512
/** Deeper than this a b-tree is no b-tree SQLite wrote (a cycle of pages). */
const MAX_DEPTH = 40

/** An open database file (and its write-ahead log). Close it when done. */
export class SqliteFile {
  readonly pageSize: number
  private readonly usable: number
  private readonly fd: number
  private readonly walFd: number | undefined
  /** Per page number, where its newest committed frame sits in the write-ahead log. */
  private readonly walPages = new Map<number, number>()
  private readonly pageCount: number
  private readonly decoder: TextDecoder
  private readonly cache = new Map<number, Buffer>()
  private schemaTables: Map<string, SqliteTable> | undefined

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r')
    try {
      const header = Buffer.alloc(100)
      const read = readSync(this.fd, header, 0, 100, 0)
      if (!isSqliteHeader(header.subarray(0, read))) throw new SqliteError('not a SQLite database (no SQLite header)')
      if (read < 100) throw new SqliteError(`cut short: the file ends inside its 100-byte header (${read} bytes)`)
      const size = header.readUInt16BE(16)
      this.pageSize = size === 1 ? 65536 : size
      if (this.pageSize < 512 || (this.pageSize & (this.pageSize - 1)) !== 0)
        throw new SqliteError(`page size ${this.pageSize} is no power of two from 512 to 65536`)
      this.usable = this.pageSize - header[20]!
      if (this.usable < 480) throw new SqliteError('reserved space leaves too little of each page')
      const encoding = header.readUInt32BE(56)
      this.decoder = new TextDecoder(encoding === 2 ? 'utf-16le' : encoding === 3 ? 'utf-16be' : 'utf-8')
      let pages = Math.floor(fstatSync(this.fd).size / this.pageSize)
      this.walFd = openWal(`${path}-wal`)
      if (this.walFd !== undefined) {
        const committed = readWal(this.walFd, this.pageSize, this.walPages)
        if (committed !== undefined) pages = committed
        if (this.walPages.size === 0) {
          closeSync(this.walFd)
          this.walFd = undefined
        }
      }
      this.pageCount = pages
    } catch (error) {
      this.close()
      throw error
    }
  }

  close(): void {
    try {
      closeSync(this.fd)
    } catch {
      // closed already
    }
    if (this.walFd !== undefined)
      try {
        closeSync(this.walFd)
      } catch {
        // closed already
      }
  }

  /** The tables the schema declares, by name. */
  tables(): Map<string, SqliteTable> {
    if (this.schemaTables) return this.schemaTables
    const tables = new Map<string, SqliteTable>()
    // sqlite_schema: (type, name, tbl_name, rootpage, sql), rooted at page 1.
    for (const {values} of this.scan(1)) {
      if (values[0] !== 'table' || typeof values[1] !== 'string' || typeof values[3] !== 'number') continue
      const sql = typeof values[4] === 'string' ? values[4] : ''
      const parsed = columnsOf(sql)
      tables.set(values[1], {
        name: values[1],
        rootPage: values[3],
        columns: parsed.columns,
        ...(parsed.rowidColumn !== undefined ? {rowidColumn: parsed.rowidColumn} : {}),
        withoutRowid: withoutRowid(sql),
      })
    }
    this.schemaTables = tables
    return tables
  }

  /**
   * A table's rows in rowid order, each as its column values by name (a column added to the table after a row was
   * written reads as null in it). `only` names the columns wanted: the others are not decoded, and a row whose
   * wanted columns all lie before its overflow pages is read without them.
   */
  *rows(
    table: SqliteTable,
    only?: readonly string[],
    /** Told of a page that cannot be read (its rows are not yielded; the rest are); without it, the error is thrown. */
    onDamage?: (error: SqliteError) => void,
  ): Generator<{rowid: number; row: Record<string, SqliteValue>}> {
    if (table.withoutRowid)
      throw new SqliteError(`${table.name} is a WITHOUT ROWID table, which this reader does not read`)
    const wanted = columnIndexes(table, only)
    const last = Math.max(...wanted)
    for (const {rowid, values} of this.scan(table.rootPage, last + 1, onDamage))
      yield {rowid, row: named(table, rowid, values, wanted)}
  }

  /** One row of a table by its rowid, or undefined when the table holds none. */
  row(table: SqliteTable, rowid: number, only?: readonly string[]): Record<string, SqliteValue> | undefined {
    const wanted = columnIndexes(table, only)
    let page = table.rootPage
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      try {
        const p = this.btreePage(page)
        if (p.type === LEAF_TABLE) {
          // (Each cell's rowid from its header: only the row asked for is decoded, its overflow pages read.)
          for (let c = 0; c < p.cells; c++) {
            if (this.leafRowid(p, c) !== rowid) continue
            return named(table, rowid, this.leafCell(p, c, Math.max(...wanted) + 1).values, wanted)
          }
          return undefined
        }
        if (p.type !== INTERIOR_TABLE) throw new SqliteError(`page ${page} is no table page (type ${p.type})`)
        // The first cell whose key is at least the rowid leads to it; past them all, the right-most child.
        let next = p.right
        let lo = 0
        let hi = p.cells - 1
        while (lo <= hi) {
          const mid = (lo + hi) >> 1
          const {child, key} = this.interiorCell(p, mid)
          if (key >= rowid) {
            next = child
            hi = mid - 1
          } else lo = mid + 1
        }
        page = next
      } catch (error) {
        throw asSqliteError(error, page)
      }
    }
    throw new SqliteError(`table ${table.name} is deeper than ${MAX_DEPTH} levels (a cycle of pages?)`)
  }

  /**
   * Every row of the table b-tree rooted at `root`, in rowid order: its first `count` values (all when undefined). A
   * page that cannot be read is told to `onDamage` (its rows lost, the others read), or thrown without it.
   */
  private *scan(
    root: number,
    count?: number,
    onDamage?: (error: SqliteError) => void,
  ): Generator<{rowid: number; values: SqliteValue[]}> {
    const stack: Array<{page: number; depth: number}> = [{page: root, depth: 0}]
    const seen = new Set<number>()
    while (stack.length) {
      const {page, depth} = stack.pop()!
      let rows: Array<{rowid: number; values: SqliteValue[]}> | undefined
      try {
        if (depth > MAX_DEPTH || seen.has(page))
          throw new SqliteError(`page ${page} is reached twice (a cycle of pages?)`)
        // (Page 1 holds the schema: no table's child.)
        if (page === 1 && depth > 0) throw new SqliteError('a table page points at page 1, the schema')
        seen.add(page)
        const p = this.btreePage(page)
        if (p.type === LEAF_TABLE) {
          rows = []
          for (let c = 0; c < p.cells; c++) rows.push(this.leafCell(p, c, count))
        } else {
          if (p.type !== INTERIOR_TABLE) throw new SqliteError(`page ${page} is no table page (type ${p.type})`)
          // Children pushed right to left, so they come off the stack in rowid order.
          const children = [p.right]
          for (let c = p.cells - 1; c >= 0; c--) children.push(this.interiorCell(p, c).child)
          for (const child of children) stack.push({page: child, depth: depth + 1})
        }
      } catch (error) {
        const damage = asSqliteError(error, page)
        if (!onDamage) throw damage
        onDamage(damage)
        continue
      }
      if (rows) yield* rows
    }
  }

  private btreePage(page: number): BtreePage {
    const data = this.page(page)
    const at = page === 1 ? 100 : 0
    const type = data[at]!
    const interior = type === INTERIOR_TABLE || type === INTERIOR_INDEX
    const cells = data.readUInt16BE(at + 3)
    const pointers = at + (interior ? 12 : 8)
    if (pointers + cells * 2 > data.length) throw new SqliteError(`page ${page} claims more cells than it holds`)
    return {number: page, data, type, cells, pointers, right: interior ? data.readUInt32BE(at + 8) : 0}
  }

  private cellAt(p: BtreePage, c: number): number {
    const offset = p.data.readUInt16BE(p.pointers + c * 2)
    // (Cells lie past the page's header and cell pointers, inside its usable part.)
    if (offset < p.pointers + p.cells * 2 || offset >= this.usable)
      throw new SqliteError(`page ${p.number}: cell ${c} lies outside the page's cells`)
    return offset
  }

  private interiorCell(p: BtreePage, c: number): {child: number; key: number} {
    const at = this.cellAt(p, c)
    if (at + 4 > p.data.length) throw new SqliteError(`page ${p.number}: cell ${c} runs past the page`)
    return {child: p.data.readUInt32BE(at), key: varint(p.data, at + 4, p.number).value}
  }

  /** A table leaf cell's rowid, from its header alone. */
  private leafRowid(p: BtreePage, c: number): number {
    const at = this.cellAt(p, c)
    const size = varint(p.data, at, p.number)
    return varint(p.data, at + size.length, p.number).value
  }

  private leafCell(p: BtreePage, c: number, count?: number): {rowid: number; values: SqliteValue[]} {
    let at = this.cellAt(p, c)
    const size = varint(p.data, at, p.number)
    at += size.length
    const rowid = varint(p.data, at, p.number)
    at += rowid.length
    const payload = this.payload(p, at, size.value, count)
    return {rowid: rowid.value, values: this.record(payload, p.number, count)}
  }

  /**
   * A cell's payload: the part on its page, then its overflow pages as far as needed. Only the record's header and
   * its first `count` values are needed: the overflow is followed no further than their end.
   */
  private payload(p: BtreePage, at: number, size: number, count?: number): Buffer {
    const u = this.usable
    const x = u - 35
    const m = Math.floor(((u - 12) * 32) / 255) - 23
    const k = m + ((size - m) % (u - 4))
    const local = size <= x ? size : k <= x ? k : m
    if (at + local > p.data.length || (local < size && at + local + 4 > p.data.length))
      throw new SqliteError(`page ${p.number}: a cell runs past the page`)
    // (No row of a database holds more than its pages do.)
    if (size > this.pageCount * this.pageSize)
      throw new SqliteError(`page ${p.number}: a cell claims ${size} bytes, more than the database holds`)
    const head = p.data.subarray(at, at + local)
    if (local === size) return head
    let need = size
    if (count !== undefined) {
      const end = recordEnd(head, count)
      if (end !== undefined && end <= local) return head
      if (end !== undefined) need = Math.min(size, end)
    }
    const out = Buffer.alloc(need)
    head.copy(out, 0)
    let filled = local
    let next = p.data.readUInt32BE(at + local)
    const seen = new Set<number>()
    while (filled < need) {
      if (next === 0 || seen.has(next)) throw new SqliteError(`page ${p.number}: an overflow chain ends early or loops`)
      seen.add(next)
      const page = this.page(next)
      const take = Math.min(u - 4, need - filled)
      page.copy(out, filled, 4, 4 + take)
      filled += take
      next = page.readUInt32BE(0)
    }
    return out
  }

  /** A record's values (its first `count`; all when undefined): https://www.sqlite.org/fileformat2.html#record_format */
  private record(payload: Buffer, page: number, count?: number): SqliteValue[] {
    const headerSize = varint(payload, 0, page)
    const values: SqliteValue[] = []
    let h = headerSize.length
    let body = headerSize.value
    while (h < headerSize.value && (count === undefined || values.length < count)) {
      const t = varint(payload, h, page)
      h += t.length
      const type = t.value
      const length = serialLength(type)
      if (body + length > payload.length) throw new SqliteError(`page ${page}: a record's value runs past its payload`)
      values.push(this.value(payload, body, type, length))
      body += length
    }
    return values
  }

  private value(b: Buffer, at: number, type: number, length: number): SqliteValue {
    switch (type) {
      case 0:
        return null
      case 1:
        return b.readInt8(at)
      case 2:
        return b.readInt16BE(at)
      case 3:
        return b.readIntBE(at, 3)
      case 4:
        return b.readInt32BE(at)
      case 5:
        return b.readIntBE(at, 6)
      case 6:
        return Number(b.readBigInt64BE(at))
      case 7:
        return b.readDoubleBE(at)
      case 8:
        return 0
      case 9:
        return 1
      default:
        if (type < 12) throw new SqliteError(`a record holds the reserved serial type ${type}`)
        return type % 2 === 0 ? b.subarray(at, at + length) : this.decoder.decode(b.subarray(at, at + length))
    }
  }

  /** A page's bytes: from the write-ahead log when a committed frame holds it, else from the file. */
  private page(page: number): Buffer {
    const cached = this.cache.get(page)
    if (cached) {
      // (Kept as the most recently used.)
      this.cache.delete(page)
      this.cache.set(page, cached)
      return cached
    }
    if (!Number.isInteger(page) || page < 1 || page > this.pageCount)
      throw new SqliteError(`page ${page} lies outside the database (${this.pageCount} pages)`)
    const data = Buffer.alloc(this.pageSize)
    const frame = this.walPages.get(page)
    const read =
      frame !== undefined && this.walFd !== undefined
        ? readSync(this.walFd, data, 0, this.pageSize, frame)
        : readSync(this.fd, data, 0, this.pageSize, (page - 1) * this.pageSize)
    if (read < this.pageSize) throw new SqliteError(`page ${page} is cut short (the file ends inside it)`)
    if (this.cache.size >= CACHED_PAGES) this.cache.delete(this.cache.keys().next().value!)
    this.cache.set(page, data)
    return data
  }
}

const INTERIOR_INDEX = 2
const INTERIOR_TABLE = 5
const LEAF_TABLE = 13

interface BtreePage {
  number: number
  data: Buffer
  type: number
  cells: number
  /** Where the cell pointer array starts. */
  pointers: number
  /** An interior page's right-most child. */
  right: number
}

/** A SQLite varint (1 to 9 bytes, big-endian, 7 bits a byte but the ninth's 8), as a number. */
function varint(b: Buffer, at: number, page?: number): {value: number; length: number} {
  const past = (): SqliteError =>
    new SqliteError(`${page === undefined ? '' : `page ${page}: `}a varint runs past its cell`)
  let value = 0
  for (let k = 0; k < 8; k++) {
    if (at + k >= b.length) throw past()
    const byte = b[at + k]!
    value = value * 128 + (byte & 0x7f)
    if (byte < 0x80) return {value, length: k + 1}
  }
  if (at + 8 >= b.length) throw past()
  return {value: value * 256 + b[at + 8]!, length: 9}
}

/** An error met reading page `page`, as the database's: a RangeError of a bound not checked above included. */
function asSqliteError(error: unknown, page: number): SqliteError {
  if (error instanceof SqliteError) return error
  if (error instanceof RangeError) return new SqliteError(`page ${page}: ${error.message}`)
  throw error
}

/** The length of a value of a serial type. */
function serialLength(type: number): number {
  if (type >= 12) return Math.floor((type - 12) / 2)
  return [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][type]!
}

/** Where the first `count` values of a record end, from its header (undefined when the header is not all there). */
function recordEnd(head: Buffer, count: number): number | undefined {
  try {
    const size = varint(head, 0)
    if (size.value > head.length) return undefined
    let h = size.length
    let end = size.value
    for (let n = 0; n < count && h < size.value; n++) {
      const t = varint(head, h)
      h += t.length
      end += serialLength(t.value)
    }
    return end
  } catch {
    return undefined
  }
}

function columnIndexes(table: SqliteTable, only?: readonly string[]): number[] {
  if (!only) return table.columns.map((_, k) => k)
  return only.map(name => {
    const k = table.columns.indexOf(name)
    if (k === -1) throw new SqliteError(`table ${table.name} has no column ${name}`)
    return k
  })
}

function named(
  table: SqliteTable,
  rowid: number,
  values: readonly SqliteValue[],
  wanted: readonly number[],
): Record<string, SqliteValue> {
  const out: Record<string, SqliteValue> = {}
  for (const k of wanted) out[table.columns[k]!] = k === table.rowidColumn ? rowid : (values[k] ?? null)
  return out
}

/**
 * A table's column names, in order, from its CREATE TABLE statement (quoted names unquoted; comments and the
 * constraints between them left out; a generated VIRTUAL column, which rows do not store, left out too), and which one
 * is the rowid (`INTEGER PRIMARY KEY`, as a column's constraint or the table's over that column alone).
 */
export function columnsOf(sql: string): {columns: string[]; rowidColumn?: number} {
  const open = sql.indexOf('(')
  const close = sql.lastIndexOf(')')
  if (open === -1 || close <= open) return {columns: []}
  const body = sql.slice(open + 1, close)
  const items: string[] = []
  let item = ''
  let depth = 0
  let quote: string | undefined
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!
    if (quote) {
      if (ch === quote) quote = undefined
    } else if (ch === '-' && body[k + 1] === '-') {
      // A comment to the line's end, or one between /* and */: no part of any column.
      const end = body.indexOf('\n', k)
      k = end === -1 ? body.length : end - 1
      continue
    } else if (ch === '/' && body[k + 1] === '*') {
      const end = body.indexOf('*/', k + 2)
      k = end === -1 ? body.length : end + 1
      continue
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch
    else if (ch === '[') quote = ']'
    else if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === ',' && depth === 0) {
      items.push(item)
      item = ''
      continue
    }
    item += ch
  }
  items.push(item)
  const columns: string[] = []
  const integer: string[] = []
  let rowidColumn: number | undefined
  let tableKey: string[] | undefined
  for (const raw of items) {
    const text = raw.trim()
    if (!text) continue
    const key = /^(?:CONSTRAINT\s+\S+\s+)?PRIMARY\s+KEY\s*\(([^)]*)\)/i.exec(text)
    if (key) tableKey = key[1]!.split(',').map(k => unquote(k.trim().split(/\s+/)[0] ?? ''))
    if (/^(?:CONSTRAINT|PRIMARY\s+KEY|FOREIGN\s+KEY|UNIQUE|CHECK)\b/i.test(text)) continue
    const m = /^(?:"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|'((?:[^']|'')*)'|(\S+))\s*([\s\S]*)$/.exec(text)
    if (!m) continue
    const name = m[1]?.replace(/""/g, '"') ?? m[2]?.replace(/``/g, '`') ?? m[3] ?? m[4]?.replace(/''/g, "'") ?? m[5]!
    const rest = m[6]!.trim()
    // (A generated column that is not STORED is computed when read: rows hold no value of it.)
    if (/\b(?:GENERATED\s+ALWAYS\s+)?AS\s*\(/i.test(rest) && !/\bSTORED\b/i.test(rest)) continue
    const isInteger = /^INTEGER\b/i.test(rest)
    if (isInteger && /\bPRIMARY\s+KEY\b(?!\s+DESC)/i.test(rest)) rowidColumn = columns.length
    if (isInteger) integer.push(name)
    columns.push(name)
  }
  if (rowidColumn === undefined && tableKey?.length === 1 && integer.includes(tableKey[0]!))
    rowidColumn = columns.indexOf(tableKey[0]!)
  return rowidColumn !== undefined ? {columns, rowidColumn} : {columns}
}

function unquote(word: string): string {
  const m = /^(?:"(.*)"|`(.*)`|\[(.*)\]|'(.*)')$/.exec(word)
  return m ? (m[1] ?? m[2] ?? m[3] ?? m[4]!) : word
}

/** Whether a CREATE TABLE's options, after its columns, say WITHOUT ROWID (beside STRICT, in either order). */
function withoutRowid(sql: string): boolean {
  const close = sql.lastIndexOf(')')
  return close !== -1 && /\bWITHOUT\s+ROWID\b/i.test(sql.slice(close + 1))
}

function openWal(path: string): number | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    if (fstatSync(fd).isFile()) return fd
  } catch {
    // none beside it, or one that cannot be read: the file as it is
  }
  if (fd !== undefined) closeSync(fd)
  return undefined
}

/**
 * Reads a write-ahead log's frames into `pages` (page number → where its newest committed frame's data sits), as
 * SQLite's recovery does: frames count up to the last commit whose salts match the header's and whose checksums
 * chain unbroken from it. Returns the database's size in pages at that commit, or undefined when the log holds
 * none (empty, another page size, damaged from its header).
 */
function readWal(fd: number, pageSize: number, pages: Map<number, number>): number | undefined {
  const header = Buffer.alloc(32)
  if (readSync(fd, header, 0, 32, 0) < 32) return undefined
  const magic = header.readUInt32BE(0)
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined
  const bigEndian = magic === 0x377f0683
  if (header.readUInt32BE(8) !== pageSize) return undefined
  const salt1 = header.readUInt32BE(16)
  const salt2 = header.readUInt32BE(20)
  let sum = checksum(header.subarray(0, 24), bigEndian, [0, 0])
  if (sum[0] !== header.readUInt32BE(24) || sum[1] !== header.readUInt32BE(28)) return undefined
  const size = fstatSync(fd).size
  const frame = Buffer.alloc(24 + pageSize)
  const pending = new Map<number, number>()
  let committed: number | undefined
  for (let at = 32; at + 24 + pageSize <= size; at += 24 + pageSize) {
    if (readSync(fd, frame, 0, frame.length, at) < frame.length) break
    if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break
    sum = checksum(frame.subarray(0, 8), bigEndian, sum)
    sum = checksum(frame.subarray(24), bigEndian, sum)
    if (sum[0] !== frame.readUInt32BE(16) || sum[1] !== frame.readUInt32BE(20)) break
    pending.set(frame.readUInt32BE(0), at + 24)
    const dbSize = frame.readUInt32BE(4)
    if (dbSize > 0) {
      for (const [page, offset] of pending) pages.set(page, offset)
      pending.clear()
      committed = dbSize
    }
  }
  return committed
}

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`. */
function checksum(data: Buffer, bigEndian: boolean, s: readonly [number, number] | number[]): [number, number] {
  let s0 = s[0]!
  let s1 = s[1]!
  for (let k = 0; k + 8 <= data.length; k += 8) {
    const x0 = bigEndian ? data.readUInt32BE(k) : data.readUInt32LE(k)
    const x1 = bigEndian ? data.readUInt32BE(k + 4) : data.readUInt32LE(k + 4)
    s0 = (s0 + x0 + s1) >>> 0
    s1 = (s1 + x1 + s0) >>> 0
  }
  return [s0, s1]
}
