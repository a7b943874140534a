/**
 * Atomic, durable writes: the data goes to a temporary file beside the
 * target, is flushed to the disk (fsync), and only then renamed over the
 * target; the folder is flushed too, so the rename itself survives a crash.
 * A crash or a power cut leaves the old file or the new one, never half a
 * file, and never a new name pointing at data still in the page cache.
 */
import {closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
}

/**
 * Flushes a folder's entries (the rename) to the disk. Some systems cannot
 * open a folder for that (Windows) or refuse to sync one: the file itself is
 * durable by then, so that is no error.
 */
function syncFolder(dir: string): void {
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

/**
 * Writes `data` to `path` atomically and durably (creating its folder if
 * needed), with file mode `mode` when given (aco patch --write keeps a
 * config's permissions).
 */
export async function writeFileAtomic(path: string, data: string, options: {mode?: number} = {}): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  const tmp = tempPath(path)
  try {
    const file = await open(tmp, 'w', options.mode)
    try {
      await file.writeFile(data, 'utf8')
      if (options.mode !== undefined) await file.chmod(options.mode)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
  syncFolder(dirname(path))
}

/** A file written line by line (synchronously, so memory stays flat) and renamed into place on commit. */
export interface AtomicLines {
  /** Writes one line; returns the byte offset it starts at and its length in bytes (newline excluded). */
  write(line: string): {offset: number; bytes: number}
  /** Flushes the file to the disk and renames it into place. */
  commit(): void
  /** Drops the temporary file; the target is left as it was. */
  abort(): void
  readonly path: string
}

export function openLinesAtomic(path: string): AtomicLines {
  mkdirSync(dirname(path), {recursive: true})
  const tmp = tempPath(path)
  const fd = openSync(tmp, 'w')
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
      writeSync(fd, buf)
      const at = {offset, bytes: buf.length - 1}
      offset += buf.length
      return at
    },
    commit() {
      try {
        fsyncSync(fd)
      } finally {
        close()
      }
      renameSync(tmp, path)
      syncFolder(dirname(path))
    },
    abort() {
      close()
      rmSync(tmp, {force: true})
    },
  }
}
