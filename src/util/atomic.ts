/**
 * Atomic writes: the data goes to a temporary file beside the target, which is
 * renamed over it only when complete, so a crash never leaves half a file.
 */
import {closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {mkdir, rename, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
}

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  const tmp = tempPath(path)
  try {
    await writeFile(tmp, data, 'utf8')
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
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
