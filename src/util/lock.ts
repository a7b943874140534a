/**
 * A lock file beside a file that several aco processes may update (the
 * decisions file: `aco label` in parallel scripts, a review open beside
 * them). Whoever creates `<file>.lock` (exclusive create) holds the lock and
 * reads, merges and writes the file; the others wait. A lock whose process is
 * gone (same host), or older than `staleMs`, is stale and broken.
 */
import {closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import {dirname} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {AcoError} from '../errors.js'
import {linkTarget, processAlive} from './atomic.js'
import {makeFolders} from './folders.js'

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number
  /** A lock older than this (ms) is taken to be left by a crash. */
  staleMs?: number
}

/** How long a lock may stay empty (created, its owner not yet written): a few milliseconds are what it takes. */
const EMPTY_STALE_MS = 2_000

function tryCreate(lock: string): boolean {
  let fd: number
  try {
    fd = openSync(lock, 'wx')
  } catch (error) {
    if ((error as {code?: string}).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, `${process.pid} ${hostname()} ${Date.now()}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

/**
 * The content of the lock at `lock` when it was left by a process that is
 * gone, or is older than `staleMs`; undefined while it is held.
 */
function staleContent(lock: string, staleMs: number): string | undefined {
  let text: string
  let mtime: number
  try {
    text = readFileSync(lock, 'utf8')
    mtime = statSync(lock).mtimeMs
  } catch {
    return undefined // gone already: the next try creates it
  }
  if (Date.now() - mtime > staleMs) return text
  const [pid, host] = text.split(' ')
  // A lock being written has no content yet: give it time, the moment its writer takes (one left empty by a crash
  // between the two, or by hand, is not waited on for the whole stale time).
  if (!pid || !host) return Date.now() - mtime > EMPTY_STALE_MS ? text : undefined
  return host === hostname() && Number.isInteger(Number(pid)) && !processAlive(Number(pid)) ? text : undefined
}

/**
 * Breaks a stale lock: renamed aside, then checked. Two processes may find the
 * same lock stale; when the second moves the first's fresh lock aside, it sees
 * other content and links it back (an exclusive link: it fails if a third took the name).
 */
function breakLock(lock: string, stale: string): void {
  const aside = `${lock}.${process.pid}.stale`
  try {
    renameSync(lock, aside)
  } catch {
    return
  }
  try {
    if (readFileSync(aside, 'utf8') !== stale) linkSync(aside, lock)
  } catch {
    // taken by another meanwhile: theirs stands
  }
  rmSync(aside, {force: true})
}

/** Takes the lock once, breaking it first where it is stale: whether it is held now. */
function attempt(lock: string, staleMs: number): boolean {
  if (tryCreate(lock)) return true
  const stale = staleContent(lock, staleMs)
  if (stale !== undefined) breakLock(lock, stale)
  return false
}

function lockedTooLong(file: string, lock: string, timeoutMs: number): AcoError {
  return new AcoError(
    'usage',
    `${file} is locked by another aco process (${lock}) and stayed locked for ${Math.round(timeoutMs / 1000)} s.`,
    `If no aco process is running, remove ${lock}.`,
  )
}

/**
 * Runs `fn` holding the lock of `file` (`<file>.lock`, beside the target of
 * its links) and releases it after, also when `fn` throws.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T> | T, options: LockOptions = {}): Promise<T> {
  const lock = `${linkTarget(file)}.lock`
  const timeoutMs = options.timeoutMs ?? 120_000
  const staleMs = options.staleMs ?? 120_000
  // The lock sits beside the file: its folder is made first, as the write would make it.
  makeFolders(dirname(lock))
  const start = Date.now()
  let wait = 2
  while (!attempt(lock, staleMs)) {
    if (Date.now() - start > timeoutMs) throw lockedTooLong(file, lock, timeoutMs)
    await sleep(wait + Math.random() * wait)
    wait = Math.min(wait * 2, 100)
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, {force: true})
  }
}

/**
 * `withFileLock` for a short synchronous `fn` (renames): waits without giving the event loop a turn, so no signal is
 * heard between taking the lock and the work.
 */
export function withFileLockSync<T>(file: string, fn: () => T, options: LockOptions = {}): T {
  const lock = `${linkTarget(file)}.lock`
  const timeoutMs = options.timeoutMs ?? 30_000
  const staleMs = options.staleMs ?? 10_000
  makeFolders(dirname(lock))
  const start = Date.now()
  const pause = new Int32Array(new SharedArrayBuffer(4))
  let wait = 1
  while (!attempt(lock, staleMs)) {
    if (Date.now() - start > timeoutMs) throw lockedTooLong(file, lock, timeoutMs)
    Atomics.wait(pause, 0, 0, wait + Math.random() * wait)
    wait = Math.min(wait * 2, 50)
  }
  try {
    return fn()
  } finally {
    rmSync(lock, {force: true})
  }
}
