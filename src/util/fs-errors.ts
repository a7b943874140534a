/**
 * File-system errors in words a person can act on (never raw errno text such
 * as "ENOENT: no such file or directory, open …"), and the one way aco reads
 * a file a user named: read it, or fail with a usage error saying why.
 */
import {readFileSync} from 'node:fs'
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
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw unreadable(what, path, error, hint)
  }
}

/** `readInputText` for synchronous callers. */
export function readInputTextSync(path: string, what: string, hint?: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw unreadable(what, path, error, hint)
  }
}
