/**
 * Atomic writes: the data goes to a temporary file beside the target, which is
 * renamed over it only when complete, so a crash never leaves half a file.
 */
import {closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
}

/**
 * Writes `data` to `path` atomically and durably: a temporary file beside it
 * (with `mode`, when given) is written, flushed to disk and renamed over the
 * target, and the folder is flushed so the rename itself survives a crash.
 */
export async function writeFileAtomic(path: string, data: string, options: {mode?: number} = {}): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  const tmp = tempPath(path)
  try {
    const handle = await open(tmp, 'w', options.mode)
    try {
      await handle.writeFile(data, 'utf8')
      if (options.mode !== undefined) await handle.chmod(options.mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
  await syncFolder(dirname(path))
}

/** Flushes a folder's entries (a rename) to disk; a no-op where folders cannot be opened (Windows). */
async function syncFolder(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {
    // Some platforms and file systems cannot fsync a folder; the file itself is already on disk.
  } finally {
    await handle?.close()
  }
}

/** A file written line by line (synchronously, so memory stays flat) and renamed into place on commit. */
export interface AtomicLines {
  /** Writes one line; returns the byte offset it starts at and its length in bytes (newline excluded). */
  write(line: string): {offset: number; bytes: number}
  commit(): void
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
      close()
      renameSync(tmp, path)
    },
    abort() {
      close()
      rmSync(tmp, {force: true})
    },
  }
}
