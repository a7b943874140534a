/**
 * File-system errors in words a person can act on (never raw errno text such
 * as "ENOENT: no such file or directory, open …"), and the one way aco reads
 * a file a user named: read it, or fail with a usage error saying why.
 */
import {readFileSync, type Stats, statSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {AcoError} from '../errors.js'

/** A one-line reason for a file-system error, without a stack or an errno code. */
export function describeFsError(error: unknown): string {
  const code = (error as {code?: string}).code
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a folder'
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder'
    case 'ELOOP':
      return 'too many symbolic links'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOSPC':
      return 'no space left on the device'
    case 'EDQUOT':
      return 'over the disk quota'
    case 'EFBIG':
      return 'the file grew past the largest size the system allows'
    case 'EIO':
      return 'an input/output error of the device'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

function unreadable(what: string, path: string, error: unknown, hint: string | undefined): AcoError {
  return new AcoError('usage', `Cannot read ${what} ${path}: ${describeFsError(error)}.`, hint)
}

/**
 * The text of a file the user named (`what` names it in the message, e.g.
 * "the prices file"); a file that cannot be read is a usage error (exit 2).
 */
export async function readInputText(path: string, what: string, hint?: string): Promise<string> {
  readable(path, what, hint)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw unreadable(what, path, error, hint)
  }
}

/** `readInputText` for synchronous callers. */
export function readInputTextSync(path: string, what: string, hint?: string): string {
  readable(path, what, hint)
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw unreadable(what, path, error, hint)
  }
}

/** The most a file read whole may hold: more is no file of this kind (and no string holds it). */
const MAX_WHOLE_FILE = 512 * 1024 * 1024

/**
 * A file read whole must be a regular file of a size a string can hold: a FIFO would block the read forever, a
 * device (`/dev/zero`) never end.
 */
function readable(path: string, what: string, hint: string | undefined): void {
  let stats: Stats
  try {
    stats = statSync(path)
  } catch (error) {
    throw unreadable(what, path, error, hint)
  }
  if (stats.isDirectory()) throw new AcoError('usage', `Cannot read ${what} ${path}: it is a folder.`, hint)
  if (!stats.isFile())
    throw new AcoError('usage', `Cannot read ${what} ${path}: it is not a regular file (a FIFO or a device).`, hint)
  if (stats.size > MAX_WHOLE_FILE)
    throw new AcoError(
      'usage',
      `Cannot read ${what} ${path}: ${Math.round(stats.size / (1024 * 1024))} MB is more than such a file holds.`,
      hint,
    )
}
