/**
 * The cache of per-unit results (`~/.cache/aco`, `$XDG_CACHE_HOME/aco`;
 * off with `--no-cache`). A unit (a file, or a session with its subagents)
 * read once is not read again while its files keep their path, size and
 * modification time: the result of adapting, pricing and flagging it is kept
 * under a key made of those, the options that shape it, and a fingerprint of
 * aco's own code and price catalog (a new build never reads an old build's
 * results). What happens after (joining, the window, grouping, summing) runs
 * on every run, so output is the same with or without the cache, to the byte;
 * only a run over the very same units under the very same options takes the
 * whole result the run before kept (`runKey`, see analyze.ts's `memoOf`).
 *
 * Entries are written to a unique temporary name and renamed into place:
 * concurrent runs (and worker threads) never see half an entry, and the last
 * rename wins with the same content. They are not fsynced: a cache needs no
 * durability, and an entry that fails to read is a miss, read again from the
 * trace. Each entry carries a digest of its bytes, checked on every read: a
 * damaged entry (a bit flipped on the disk, a file cut or edited) is a miss
 * too, never a result read wrong. The cache is kept under a size bound by
 * dropping the entries used least recently (hits touch their entry), reading
 * states first while they hold over half of it (see `trimCache`).
 */
import {createHash} from 'node:crypto'
import {
  closeSync,
  existsSync,
  fstatSync,
  futimesSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs'
import {open, readFile, rename, rm, unlink} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type FileState, type SiblingSeen, siblingNow} from '../read/file-report.js'
import type {UnitResult, UnitStates} from './process-unit.js'
import type {Unit} from './units.js'
import {processAlive, removeOnSignal} from '../util/atomic.js'
import {lazyModule} from '../util/lazy-module.js'
import {makeFolders} from '../util/folders.js'

/** Loaded by the runs that read or write the cache, the thread's id for temporary files' names (see lazy-module.ts). */
const v8 = lazyModule<typeof import('node:v8')>('node:v8')
const threads = lazyModule<typeof import('node:worker_threads')>('node:worker_threads')

/** Where the cache lives: `$XDG_CACHE_HOME/aco`, else `~/.cache/aco`. */
export {cacheDir} from './cache-dir.js'

/** Default bound of the cache, in bytes (`ACO_CACHE_MAX_MB` changes it). */
export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024

let fingerprint: string | undefined

/**
 * In the bundles (scripts/bundle.js), a hash of the compiled code and the
 * price catalog they were built from; undefined when aco runs from dist/ as
 * compiled or from its sources.
 */
declare const ACO_BUILD_ID: string | undefined

/**
 * aco's code and catalog: the bundles' build id, else the sizes and
 * modification times of the compiled files (or the sources, when run from
 * them) and of the price catalog (a walk of ~900 files, ~30 ms at start-up
 * that the bundles spare): a version number alone would not change between
 * two builds of one version.
 */
export function codeFingerprint(version: string): string {
  if (fingerprint) return fingerprint
  const hash = createHash('sha1').update(`${version}\0${process.versions.v8}\0`)
  if (typeof ACO_BUILD_ID === 'string') {
    fingerprint = hash.update(`build\0${ACO_BUILD_ID}`).digest('hex')
    return fingerprint
  }
  const root = dirname(dirname(fileURLToPath(import.meta.url)))
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))
    for (const e of entries) {
      const p = join(dir, e.name)
      if (e.isDirectory()) visit(p)
      else if (/\.(js|ts|json)$/.test(e.name)) {
        const s = statSync(p)
        hash.update(`${p}\0${s.size}\0${s.mtimeMs}\0`)
      }
    }
  }
  visit(root)
  try {
    const catalog = fileURLToPath(import.meta.resolve('@pydantic/genai-prices'))
    const s = statSync(catalog)
    hash.update(`${catalog}\0${s.size}\0${s.mtimeMs}`)
  } catch {
    // not resolvable here (bundled): aco's own files stand for it
  }
  fingerprint = hash.digest('hex')
  return fingerprint
}

export interface UnitCache {
  dir: string
  /** The fingerprint of the code and of the options that shape a unit's result. */
  salt: string
  /** The bound the cache is trimmed to (bytes). */
  maxBytes?: number
  /**
   * Reading states are kept only of files modified at or after this time (ms; see `statesFrom`): the run's newest
   * files, not every file of a week of logs. Not part of any key.
   */
  statesFrom?: number
}

/**
 * The modification time from which a run keeps reading states: its newest files, up to a quarter of the cache's bound
 * in bytes (128 MB by default; a state costs about its file's size), and the newest one whatever its size. A state
 * lets a session that grows be read on from where the last run stopped, and only the sessions agents are in now
 * grow: a week of a busy person's logs (the 1.2 GB bench folder, every file written the same day) kept 1 GB of states,
 * over the cache's bound, and trimming took the files' own entries with them, so with one file touched the next run
 * read 3,813 of its 6,005 files again (28 s; 2.2 s with the budget).
 */
export function statesFrom(
  files: ReadonlyArray<{size: number; mtimeMs: number}>,
  /** The cache's bound (a quarter of it is the budget). */
  maxBytes = DEFAULT_CACHE_BYTES,
): number {
  const budget = maxBytes / 4
  const newest = [...files].sort((a, b) => b.mtimeMs - a.mtimeMs)
  let bytes = 0
  for (let k = 0; k < newest.length; k++) {
    bytes += newest[k]!.size
    // (Files as new as the last one kept are kept too.)
    if (bytes > budget && k > 0) return newest[k - 1]!.mtimeMs
  }
  return Number.NEGATIVE_INFINITY
}

/**
 * The key of a unit: its files (path, size, modification and change time, and the file's inode: trial 127's `mv
 * logs.new logs` put another file of the same size and times in place, and its old result was served) under the cache's
 * salt. (Not its device's number, which a remount or a reboot changes for the same file: every entry missed; review
 * 128.)
 */
function unitKey(unit: Unit, cache: UnitCache): string {
  const hash = createHash('sha1').update(cache.salt)
  for (const f of unit.files) hash.update(`\0${f.path}\0${f.size}\0${f.mtimeMs}\0${f.ctimeMs ?? ''}\0${f.ino ?? ''}`)
  return hash.digest('hex')
}

const entryPath = (cache: UnitCache, key: string): string => join(cache.dir, 'units', key.slice(0, 2), `${key}.bin`)

/** Reading states are kept of files modified within this long (agents append to the sessions they are in). */
const STATE_MAX_AGE_MS = 7 * 24 * 3600 * 1000

/** The key of a unit's reading states: its first file's path under the salt (whatever its size and time). */
function statesKey(unit: Unit, cache: UnitCache): string {
  return createHash('sha1')
    .update(`${cache.salt}\0states\0${unit.files[0]?.path ?? ''}`)
    .digest('hex')
}

const statesPath = (cache: UnitCache, key: string): string => join(cache.dir, 'states', key.slice(0, 2), `${key}.bin`)

/** The reading states kept for a unit's files, by path (none: read whole). */
async function readStates(cache: UnitCache, key: string): Promise<Map<string, FileState> | undefined> {
  try {
    const payload = unsealed(await readFile(statesPath(cache, key)))
    if (!payload) return undefined
    const value = v8().deserialize(payload) as {
      key?: string
      states?: Map<string, FileState>
    }
    return value?.key === key && value.states instanceof Map ? value.states : undefined
  } catch {
    return undefined
  }
}

/** Whether a unit has an entry (it may still fail to read): what is left to read decides whether threads pay. */
export function isCached(unit: Unit, cache: UnitCache): boolean {
  return existsSync(entryPath(cache, unitKey(unit, cache)))
}

/** A unit's cached result, or undefined (absent, or unreadable: read again). */
async function readCached(cache: UnitCache, key: string): Promise<UnitResult | undefined> {
  return readEntry<{result?: UnitResult}>(entryPath(cache, key), key)?.result
}

/**
 * The value of the entry at `path` when it carries `key` (undefined: absent, unreadable, another key's). Used now, it
 * is touched, the last to go when the cache is trimmed (an entry used within the hour is recent enough), and `touched`
 * is called then.
 */
function readEntry<T>(path: string, key: string, touched?: () => void): T | undefined {
  let fd: number | undefined
  try {
    // Synchronous: a second run reads hundreds of small entries, and each asynchronous read is four hops
    // through the thread pool (open, stat, read, close).
    fd = openSync(path, 'r')
    const stat = fstatSync(fd)
    const bytes = Buffer.allocUnsafe(stat.size)
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read)
      if (n === 0) break
      read += n
    }
    const payload = unsealed(bytes.subarray(0, read))
    if (!payload) return undefined
    const value = v8().deserialize(payload) as (T & {key?: string}) | undefined
    if (value?.key !== key) return undefined
    const now = Date.now()
    if (now - stat.mtimeMs > 3_600_000) {
      futimesSync(fd, now / 1000, now / 1000)
      touched?.()
    }
    return value
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

let counter = 0

/** What an entry starts with: aco's mark, then the first 16 bytes of the SHA-1 of the serialized value after them. */
const MARK = Buffer.from('aco\u0001', 'latin1')
const HEADER_BYTES = MARK.length + 16

function digestOf(payload: Uint8Array): Buffer {
  return createHash('sha1').update(payload).digest().subarray(0, 16)
}

/** An entry's serialized value, when its bytes are those written (undefined: another format, cut or damaged). */
function unsealed(bytes: Buffer): Buffer | undefined {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MARK.length).equals(MARK)) return undefined
  const payload = bytes.subarray(HEADER_BYTES)
  return digestOf(payload).equals(bytes.subarray(MARK.length, HEADER_BYTES)) ? payload : undefined
}

/** Entries this thread is writing: it goes on with its next unit meanwhile (see `keepEntry`). */
const writing = new Set<Promise<void>>()
let writingBytes = 0
/** Past this many bytes under way (more than one entry), the next unit waits for a write to end. */
const MAX_WRITING_BYTES = 8 * 1024 * 1024

/**
 * Starts writing an entry, its value serialized now (before the caller hands it on to be changed), and returns once
 * fewer than 8 MB of entries are under way: the thread reads its next unit while the file system writes. A first run
 * over the bench corpus (every unit written) took 0.82x the wall time on one thread and 0.89x on two (paired, three
 * runs each), its peak some 10 MB higher.
 */
async function keepEntry(path: string, value: unknown): Promise<void> {
  let payload: Buffer
  try {
    payload = v8().serialize(value)
  } catch {
    return
  }
  const bytes = payload.length
  const p: Promise<void> = writePayload(path, payload).finally(() => {
    writing.delete(p)
    writingBytes -= bytes
  })
  writing.add(p)
  writingBytes += bytes
  while (writing.size > 1 && writingBytes > MAX_WRITING_BYTES) await Promise.race(writing)
}

const ENTRY_KINDS = ['units', 'states', 'runs']

/** An entry being written (see `writePayload`): its writer's process id. */
const TEMP_ENTRY = /^[0-9a-f]+\.bin\.(\d+)\.\d+\.\d+\.tmp$/

/**
 * Makes a stopped run (Ctrl-C, SIGTERM) remove the entries its threads were writing, under `dir`: their temporary
 * files, named with this process's id, in whatever thread (trial 120: each interrupted run left a few, and later runs
 * kept them). Called once by the main thread of a run that keeps entries.
 */
export function removeTempEntriesOnSignal(dir: string): void {
  removeOnSignal(`cache:${dir}`, () => {
    // (By the process id's own place in the name, `<key>.bin.<pid>.<thread>.<n>.tmp`: another run's thread or counter
    // may be this process's id, review 122.)
    for (const {path, name} of entryFiles(dir)) if (writerOf(name) === process.pid) rmSync(path, {force: true})
  })
}

/** Every file under the cache's entry folders (`units/`, `states/`, `runs/`, one level of shards), with its kind. */
function* entryFiles(dir: string): Generator<{kind: string; path: string; name: string}> {
  for (const kind of ENTRY_KINDS) {
    let shards: string[]
    try {
      shards = readdirSync(join(dir, kind))
    } catch {
      continue // none of this kind yet
    }
    for (const shard of shards) {
      let names: string[]
      try {
        names = readdirSync(join(dir, kind, shard))
      } catch {
        continue // gone meanwhile, or not a folder
      }
      for (const name of names) yield {kind, path: join(dir, kind, shard, name), name}
    }
  }
}

/** The id of the process writing a temporary entry, by its name (see `writePayload`); undefined for another name. */
function writerOf(name: string): number | undefined {
  const pid = TEMP_ENTRY.exec(name)?.[1]
  return pid === undefined ? undefined : Number(pid)
}

/** Waits for every entry this thread started writing (at a run's end; a worker before it exits). */
export async function settleEntries(): Promise<void> {
  while (writing.size) await Promise.all(writing)
}

/** The first reason this thread could not write an entry, when the file system refused it (see `cacheWriteProblem`). */
let refused: string | undefined

/**
 * Why the cache could not be written in this thread since the last call, when the file system refused (a folder not
 * the user's, a read-only home, a full disk): a run says so, since a later run reads again what it could not keep
 * (trial 120: nothing said it). Undefined when every write went through, or failed otherwise. (The main thread's own
 * writes: it reads its share of the units and writes the run's result, so a folder refused to all is heard.)
 */
export function takeCacheWriteProblem(): string | undefined {
  const problem = refused
  refused = undefined
  return problem
}

const REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC', 'EDQUOT', 'EEXIST'])

/** Writes an entry under a unique temporary name, renamed into place; a failure only costs the next run a read. */
async function writePayload(path: string, payload: Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}.${threads().threadId}.${counter++}.tmp`
  try {
    // Its owner's alone: an entry holds what the logs hold (their text, unredacted: it stands for them). Its folder
    // is made when missing (not checked before every write: 4,000 checks were 0.3 s of a first run).
    const file = await open(tmp, 'w', 0o600).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
      makeFolders(dirname(path), 0o700)
      return open(tmp, 'w', 0o600)
    })
    try {
      const {bytesWritten} = await file.writev([MARK, digestOf(payload), payload])
      // (A short write would only be a miss when read: no entry is better.)
      if (bytesWritten !== HEADER_BYTES + payload.length) throw new Error('short write')
    } finally {
      await file.close()
    }
    await rename(tmp, path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (refused === undefined && code !== undefined && REFUSALS.has(code))
      refused = `${code}: ${/^[A-Z]+: ([^,]+)/.exec((error as Error).message)?.[1] ?? 'refused'}`
    await rm(tmp, {force: true}).catch(() => undefined)
  }
}

/**
 * Trims the cache to `maxBytes` (to 80% of it, so not every run trims): first the reading states used least recently
 * while states hold over half the bound (without one a grown file is read whole, as without the cache; without a
 * file's entry an unchanged file is read again), then any entry used least recently. Entries another run is using
 * may go: that run reads them again from the traces.
 */
export async function trimCache(
  dir: string,
  maxBytes: number,
): Promise<{entries: number; bytes: number; removed: number}> {
  const entries: Array<{path: string; bytes: number; used: number; state: boolean}> = []
  for (const {kind, path, name} of entryFiles(dir)) {
    // Synchronous: the walk runs after every run that read a file, over thousands of entries, and an asynchronous
    // stat is a hop through the thread pool each (6,605 entries: 1.1 s awaited one by one, 0.09 s so).
    const s = statSync(path, {throwIfNoEntry: false})
    // (Gone meanwhile: another run trimmed it.)
    if (!s) continue
    if (name.endsWith('.tmp')) {
      // A temporary entry whose writer has ended, or an hour old, is left over from a run that was stopped (killed; or
      // a worker thread that began one as a signal's cleanup ran): it goes whatever the cache's size. A younger one
      // of a live process may be another run's, being written.
      const pid = writerOf(name)
      if (Date.now() - s.mtimeMs >= 3_600_000 || (pid !== undefined && pid !== process.pid && !processAlive(pid)))
        await unlink(path).catch(() => undefined)
      continue
    }
    entries.push({path, bytes: s.size, used: s.mtimeMs, state: kind === 'states'})
  }
  let bytes = entries.reduce((n, e) => n + e.bytes, 0)
  let removed = 0
  if (bytes > maxBytes) {
    entries.sort((a, b) => a.used - b.used)
    let states = entries.reduce((n, e) => n + (e.state ? e.bytes : 0), 0)
    const gone = new Set<(typeof entries)[number]>()
    const drop = async (e: (typeof entries)[number]): Promise<void> => {
      await unlink(e.path).catch(() => undefined)
      gone.add(e)
      bytes -= e.bytes
      if (e.state) states -= e.bytes
      removed++
    }
    for (const e of entries) {
      if (bytes <= maxBytes * 0.8 || states <= maxBytes / 2) break
      if (e.state) await drop(e)
    }
    for (const e of entries) {
      if (bytes <= maxBytes * 0.8) break
      if (!gone.has(e)) await drop(e)
    }
  }
  return {entries: entries.length - removed, bytes, removed}
}

const runPath = (dir: string, slot: string): string => join(dir, 'runs', slot.slice(0, 2), `${slot}.bin`)

/**
 * Where a run's result is kept (`slot`: one per question asked), the key it must carry to stand for this run, and the
 * keys of the run's units (their entries are touched with the run's).
 */
export interface RunKey {
  slot: string
  key: string
  units: string[]
}

/**
 * The key of a whole run: its units' keys in order and whatever else shapes its result beside them. `asked`: what the
 * run was asked (the paths, the options the summary depends on) names its slot, so the same question asked of logs
 * that keep growing overwrites one entry rather than leaving one a run; `met`: what else it met (the walk's problems,
 * the files it passed over, the task results' contents). The same logs, unchanged, under the same options: the same key.
 */
export function runKey(units: readonly Unit[], cache: UnitCache, asked: unknown, met: unknown): RunKey {
  const slot = createHash('sha1')
    .update(`${cache.salt}\0run\0${JSON.stringify(asked)}`)
    .digest('hex')
  const hash = createHash('sha1').update(`${slot}\0${JSON.stringify(met)}`)
  const keys = units.map(unit => unitKey(unit, cache))
  for (const k of keys) hash.update(`\0${k}`)
  return {slot, key: hash.digest('hex'), units: keys}
}

/**
 * Whether the files beside a unit's files that its readers looked for are still as they were (see `SiblingSeen`): a
 * result that read one stands only while it does (a SWE-bench report written beside trajectories after a first run
 * gives them their outcome; an edited `ui_messages.json` gives a Cline task its calls' usage).
 */
export function siblingsHold(siblings: readonly SiblingSeen[] | undefined): boolean {
  for (const seen of siblings ?? []) {
    const now = siblingNow(seen.path)
    if (
      'absent' in seen
        ? !('absent' in now)
        : 'absent' in now || now.size !== seen.size || now.mtimeMs !== seen.mtimeMs || now.ctimeMs !== seen.ctimeMs
    )
      return false
  }
  return true
}

/**
 * A whole run's result kept by `writeRun`, or undefined (absent, unreadable, another key's). Used now: it is touched,
 * and so are its units' entries, which the run did not read: when the cache is trimmed they go no sooner
 * than the run's own entry, and one file grown later is summed with the others' entries, not read again whole.
 */
export function readRun<T>(cache: UnitCache, {slot, key, units}: RunKey): T | undefined {
  const entry = readEntry<{run?: T; siblings?: SiblingSeen[]}>(runPath(cache.dir, slot), key, () => {
    const now = Date.now() / 1000
    for (const unit of units) {
      try {
        utimesSync(entryPath(cache, unit), now, now)
      } catch {
        // gone (trimmed): the unit is read again when the run's result no longer stands
      }
    }
  })
  // (A file its units' readers looked for beside them changed: the units that read it are read again.)
  return entry && siblingsHold(entry.siblings) ? entry.run : undefined
}

/**
 * Keeps a whole run's result (a copy of it as it is now), for the next run over the same logs, with the files its
 * units' readers looked for beside them, as they were.
 */
export async function writeRun(dir: string, {slot, key}: RunKey, run: unknown, siblings: SiblingSeen[]): Promise<void> {
  await keepEntry(runPath(dir, slot), siblings.length ? {key, run, siblings} : {key, run})
  await settleEntries()
}

/**
 * A unit's result from the cache, or computed and kept there; says which.
 * Computing reads on from the states an earlier run kept of the unit's files
 * (an appended session is read from where that run stopped) and keeps the
 * states this read ends in.
 */
export async function cachedUnit(
  unit: Unit,
  cache: UnitCache,
  compute: (states: UnitStates) => Promise<UnitResult>,
): Promise<{result: UnitResult; hit: boolean; resumed: number}> {
  const key = unitKey(unit, cache)
  const cached = await readCached(cache, key)
  if (cached && siblingsHold(cached.siblings)) return {result: cached, hit: true, resumed: 0}
  const sKey = statesKey(unit, cache)
  // Only live sessions grow: states are kept of files written to lately (a state costs about the file's size).
  const now = Date.now()
  const from = cache.statesFrom ?? Number.NEGATIVE_INFINITY
  const keep = new Set(unit.files.filter(f => now - f.mtimeMs < STATE_MAX_AGE_MS && f.mtimeMs >= from).map(f => f.path))
  const states: UnitStates = {from: await readStates(cache, sKey), keep, kept: new Map(), resumed: 0}
  const result = await compute(states)
  // A unit aco failed on is read again next time (the fault may be fixed by then).
  if (result.internalErrors === 0) {
    await keepEntry(entryPath(cache, key), {key, result})
    if (states.kept.size) await keepEntry(statesPath(cache, sKey), {key: sKey, states: states.kept})
  }
  return {result, hit: false, resumed: states.resumed}
}
