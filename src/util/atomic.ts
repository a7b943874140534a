/**
 * Atomic, durable writes: the data goes to a temporary file beside the
 * target, is flushed to the disk (fsync), and only then renamed over the
 * target; the folder is flushed too, so the rename itself survives a crash.
 * A symbolic link is written through: its target gets the new data.
 * A crash or a power cut leaves the old file or the new one, never half a
 * file, and never a new name pointing at data still in the page cache.
 */
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {lazyModule} from './lazy-module.js'
import {makeFolders} from './folders.js'

/** Only the main thread hears signals; worker_threads is loaded with the first temporary file (see lazy-module.ts). */
const threads = lazyModule<typeof import('node:worker_threads')>('node:worker_threads')

/**
 * Where writing `path` lands: the final target of its symbolic links (which
 * need not exist yet). A rename over a link would replace the link and leave
 * its target stale; writes go through to the target instead.
 */
export function linkTarget(path: string): string {
  let p = resolve(path)
  for (let hops = 0; hops < 40; hops++) {
    let link: string
    try {
      if (!lstatSync(p).isSymbolicLink()) return p
      link = readlinkSync(p)
    } catch {
      return p
    }
    p = resolve(dirname(p), link)
  }
  return p
}

/**
 * Keeps the owner and group of a file written over, where they are not the user's aco runs as and the system lets it:
 * root keeps both, a member of the file's group keeps the group (trial 99: `sudo aco patch --write` left a service's
 * config owned by root, which its service could then not read). Returns whether the new file has them.
 */
function keepOwner(fd: number, before: {uid: number; gid: number} | undefined): boolean {
  const uid = process.getuid?.()
  const gid = process.getgid?.()
  if (!before || uid === undefined || gid === undefined || (before.uid === uid && before.gid === gid)) return true
  try {
    fchownSync(fd, before.uid, before.gid)
    return true
  } catch {
    try {
      if (before.gid !== gid) fchownSync(fd, -1, before.gid)
    } catch {
      // not a member of its group: the new file is the user's, and its mode allows others no more than before
    }
    return false
  }
}

/** The regular file at `path` (undefined: none there, or something else). */
function regularFile(path: string): Stats | undefined {
  try {
    const s = lstatSync(path)
    return s.isFile() ? s : undefined
  } catch {
    return undefined
  }
}

/**
 * The permission bits a file written over keeps: its read, write and execute bits (never setuid, setgid or sticky),
 * and, for another user's file (`ownerKept` false), none that let others write (review 91: a planted world-writable
 * file would have stayed so, now owned by whoever ran aco).
 */
function modeOf(file: Stats | undefined, ownerKept = false): number | undefined {
  if (!file) return undefined
  const uid = process.getuid?.()
  return file.mode & (ownerKept || uid === undefined || file.uid === uid ? 0o777 : 0o755)
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
}

/** Whether a process of this id runs on this machine (one that is not ours to signal still runs); false for no id. */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** A temporary file `tempPath` names, `.<name>.<pid>.<ms>.tmp` (the Parquet writer named its own `.<name>.<pid>.tmp`). */
const TEMP_NAME = /^\.(.+?)\.(\d+)(?:\.\d+)?\.tmp$/

/**
 * How long a temporary file must have gone unwritten before a later run takes it for abandoned. By time alone, not by
 * whether its writer's process runs: a run in another container sharing the folder is no process of this one (a live
 * run's cards were taken away so), and in a container aco is pid 1 run after run (its leftovers never were; review
 * 128). A live run writes its cards as it reads, far more often than this.
 */
const ABANDONED_MS = 3_600_000

/**
 * Removes from `folder` the temporary files a write of one of `names` left when its process was killed before it could
 * (SIGKILL, the OOM killer, a container stopped): a nightly job killed each night piled up full-size copies of its
 * cards in --out (trial 127). Only those nothing wrote to for an hour, and never this process's own; failures are
 * ignored.
 */
export function removeAbandonedTemps(folder: string, names: readonly string[]): void {
  let entries: string[]
  try {
    entries = readdirSync(folder)
  } catch {
    return
  }
  for (const entry of entries) {
    const m = TEMP_NAME.exec(entry)
    if (!m || !names.includes(m[1]!) || Number(m[2]) === process.pid) continue
    const path = join(folder, entry)
    try {
      const s = lstatSync(path)
      if (s.isFile() && Date.now() - s.mtimeMs >= ABANDONED_MS) rmSync(path, {force: true})
    } catch {
      // (Gone already, or not ours to remove.)
    }
  }
}

/** Temporary files being written now, removed if the process is interrupted before they are renamed. */
const inFlight = new Set<string>()
/** Output folders this run made, removed if the process is interrupted while they are still empty. */
const madeFolders: string[] = []
let onSignal = false
/** Holders that end the process themselves on SIGINT and SIGTERM (the review: its screen restored first). */
let signalExitHeld = 0

/**
 * Leaves the exit on SIGINT and SIGTERM to the caller until the returned function is called: the temporary files are
 * still removed, but the process is not ended at once (trial 101: a review's first save installed the handler, and
 * SIGTERM left the terminal in the review's screen, no summary printed).
 */
export function holdSignalExit(): () => void {
  signalExitHeld++
  let released = false
  return () => {
    if (!released) signalExitHeld--
    released = true
  }
}

/** Exit codes of an interrupted run, as a shell reports them (128 + the signal's number). */
const SIGNAL_EXIT = {SIGINT: 130, SIGTERM: 143} as const

/** More to remove when a signal stops the run (see `removeOnSignal`), by a key naming what each removes. */
const signalCleanups = new Map<string, () => void>()

/**
 * Runs `cleanup` when a signal stops the run, beside the temporary files tracked here: for temporary files this thread
 * cannot name one by one (the cache's entries, which worker threads write too). One per `key` (a later one for the
 * same key replaces it). Main thread only.
 */
export function removeOnSignal(key: string, cleanup: () => void): void {
  signalCleanups.set(key, cleanup)
  cleanUpOnSignal()
}

/**
 * Notes a temporary file being written: Ctrl-C (SIGINT) or SIGTERM before it
 * is renamed or dropped removes it, then the process exits 130 or 143. A
 * killed run used to leave its temp files behind (38 MB of cards). Only the
 * main thread hears signals; the handlers are installed with the first file.
 */
export function trackTemp(path: string): void {
  inFlight.add(path)
  cleanUpOnSignal()
}

/**
 * Notes output folders this run made (`--out`, a report's folder), parents first: an interrupted run removes those
 * still empty, so a Ctrl-C leaves no empty folder behind.
 */
function trackMadeFolders(folders: readonly string[]): void {
  if (!folders.length) return
  madeFolders.push(...folders)
  cleanUpOnSignal()
}

/**
 * Makes the missing folders of `path` (see folders.ts) and notes them (see trackMadeFolders), the signal handlers
 * installed first: a Ctrl-C between making a folder and noting it is heard once it is noted, never by Node's default
 * exit, which left the folder behind (a clean-clone CI caught that window on a busy machine).
 */
export function makeTrackedFolders(path: string): void {
  cleanUpOnSignal()
  trackMadeFolders(makeFolders(path))
}

function cleanUpOnSignal(): void {
  if (onSignal || !threads().isMainThread) return
  onSignal = true
  for (const signal of Object.keys(SIGNAL_EXIT) as Array<keyof typeof SIGNAL_EXIT>)
    process.on(signal, () => {
      for (const tmp of inFlight) {
        try {
          rmSync(tmp, {force: true})
        } catch {
          // gone already, or not ours to remove: nothing more to do on the way out
        }
      }
      for (const cleanup of signalCleanups.values()) {
        try {
          cleanup()
        } catch {
          // nothing more to do on the way out
        }
      }
      removeEmptyMadeFolders()
      if (signalExitHeld === 0) process.exit(SIGNAL_EXIT[signal])
    })
}

/**
 * Removes the output folders this run made that are still empty, deepest first (a folder that holds anything, a
 * finished file or the user's own, stays): an interrupted run, or one that wrote nothing (a usage error found after
 * `--out`'s folder was made, nothing to count), leaves no empty folder behind.
 */
export function removeEmptyMadeFolders(): void {
  for (const folder of [...madeFolders].reverse()) {
    try {
      rmdirSync(folder)
    } catch {
      // not empty, or gone: left as it is
    }
  }
  madeFolders.length = 0
}

/** The temporary file was renamed into place or removed: nothing to clean up for it. */
export function untrackTemp(path: string): void {
  inFlight.delete(path)
}

/** Flushes a file another writer wrote (and closed) to the disk. */
export function syncFile(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Flushes a folder's entries (the rename) to the disk. Some systems cannot
 * open a folder for that (Windows) or refuse to sync one: the file itself is
 * durable by then, so that is no error.
 */
export function syncFolder(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // not supported here: the data is synced, only the rename's durability is up to the system
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

export interface WriteOptions {
  /** The file's mode (aco patch --write keeps a config's permissions). */
  mode?: number
  /**
   * A file of aco's own in an output folder (cards, charts, router.json, PR.md): written at its name, never through
   * a symbolic link there. Output folders refuse such a link before the work; one planted while the run went on is
   * replaced by the file, and what it pointed to stays as it was. (A path the person named, `--report FILE`, is
   * written through its link: the link stays and what it points to changes.)
   */
  own?: boolean
  /**
   * Keep the owner and group of the file written over, where the system lets it (aco patch --write: a config a service
   * reads stays the service's). Other writes leave the file the user's, with no bit that lets others write it.
   */
  keepOwner?: boolean
}

/**
 * Writes `data` to `path` atomically and durably (creating its folder if
 * needed), with file mode `mode` when given (aco patch --write keeps a
 * config's permissions).
 */
export async function writeFileAtomic(file: string, data: string, options: WriteOptions = {}): Promise<void> {
  stageFileAtomic(file, data, options).commit()
}

/** A file written whole to a temporary file beside its place, flushed to the disk: `commit` only renames it there. */
export interface StagedFile {
  /** Renames it into place and flushes its folder. */
  commit(): void
  /** Drops the temporary file; the target is left as it was. */
  abort(): void
}

/**
 * `writeFileAtomic` up to the rename, for files that must replace theirs together (a report and its charts): each
 * written and flushed first, so a disk that fills leaves every old one in place, then renamed one after another, with
 * nothing between them a signal could stop (trial 127: a report killed among its charts kept the old text beside new
 * charts). A write that fails throws, its temporary file removed.
 */
export function stageFileAtomic(file: string, data: string, options: WriteOptions = {}): StagedFile {
  const path = options.own ? resolve(file) : linkTarget(file)
  // Folders it makes (a report's charts folder) are removed by an interrupted run while still empty.
  makeTrackedFolders(dirname(path))
  const tmp = tempPath(path)
  trackTemp(tmp)
  // (A file written over keeps its permissions: a decisions file made private stays so, trial 88.)
  const before = regularFile(path)
  let mode = options.mode ?? modeOf(before)
  // Written synchronously: a signal is heard only between whole files, so the temporary file it removes is never one
  // a pending open creates after it (trial 84: a Ctrl-C while a report's charts were written left a `.tmp`).
  try {
    const fd = openSync(tmp, 'w', mode)
    try {
      writeFileSync(fd, data, 'utf8')
      // (Its owner kept, another user's file keeps the bits that let others write: it is still theirs.)
      if (options.keepOwner && before && keepOwner(fd, before) && options.mode === undefined)
        mode = modeOf(before, true)
      if (mode !== undefined) fchmodSync(fd, mode)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    rmSync(tmp, {force: true})
    untrackTemp(tmp)
    throw error
  }
  let done = false
  return {
    commit() {
      if (done) return
      done = true
      try {
        renameSync(tmp, path)
      } catch (error) {
        rmSync(tmp, {force: true})
        throw error
      } finally {
        untrackTemp(tmp)
      }
      syncFolder(dirname(path))
    },
    abort() {
      if (done) return
      done = true
      rmSync(tmp, {force: true})
      untrackTemp(tmp)
    },
  }
}

/** A file written line by line (synchronously, so memory stays flat) and renamed into place on commit. */
export interface AtomicLines {
  /** Writes one line; returns the byte offset it starts at and its length in bytes (newline excluded). */
  write(line: string): {offset: number; bytes: number}
  /** Flushes the file to the disk (and closes it): after this, `commit` only renames it into place. */
  flush(): void
  /** Flushes the file to the disk and renames it into place. */
  commit(): void
  /** Drops the temporary file; the target is left as it was. */
  abort(): void
  readonly path: string
}

export function openLinesAtomic(file: string, options: Pick<WriteOptions, 'own'> = {}): AtomicLines {
  const path = options.own ? resolve(file) : linkTarget(file)
  makeTrackedFolders(dirname(path))
  const tmp = tempPath(path)
  trackTemp(tmp)
  const fd = openSync(tmp, 'w')
  const mode = modeOf(regularFile(path))
  if (mode !== undefined) fchmodSync(fd, mode)
  let open = true
  let offset = 0
  const close = (): void => {
    if (open) closeSync(fd)
    open = false
  }
  return {
    path,
    write(line) {
      const buf = Buffer.from(`${line}\n`, 'utf8')
      // Every byte, or an error: a disk that fills takes part of a write and fails the next (review 109: a line cut in
      // two, and the run said it wrote the cards).
      for (let done = 0; done < buf.length; ) done += writeSync(fd, buf, done)
      const at = {offset, bytes: buf.length - 1}
      offset += buf.length
      return at
    },
    flush() {
      if (!open) return
      try {
        fsyncSync(fd)
      } finally {
        close()
      }
    },
    commit() {
      this.flush()
      renameSync(tmp, path)
      untrackTemp(tmp)
      syncFolder(dirname(path))
    },
    abort() {
      close()
      rmSync(tmp, {force: true})
      untrackTemp(tmp)
    },
  }
}
