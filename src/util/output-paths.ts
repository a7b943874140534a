/**
 * Output paths checked before any work is done: a folder aco may create and
 * write into, a file it may write. A mistake here is a usage error with the
 * path and the reason, not an errno at the end of a long run.
 */
import {accessSync, constants, existsSync, mkdirSync, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {AcoError} from '../errors.js'
import {describeFsError} from './fs-errors.js'

function reason(error: unknown): string {
  switch ((error as {code?: string}).code) {
    case 'EEXIST':
      return 'it exists and is not a folder'
    case 'ENOENT':
      return 'no such folder'
    default:
      return describeFsError(error)
  }
}

/**
 * Creates the missing folders of `path` one at a time (Node's recursive mkdir
 * can spin on pseudo file systems such as /proc), outermost first.
 */
function makeFolders(path: string): void {
  const missing: string[] = []
  let p = path
  while (!existsSync(p)) {
    missing.push(p)
    const parent = dirname(p)
    if (parent === p) break
    p = parent
  }
  for (const folder of missing.reverse()) mkdirSync(folder)
}

/** Creates `dir` (and its parents) if needed and checks it can be written into. */
export function prepareOutputDir(dir: string, flag: string): string {
  const path = resolve(dir)
  try {
    makeFolders(path)
    if (!statSync(path).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'EEXIST'})
    accessSync(path, constants.W_OK)
  } catch (error) {
    throw new AcoError(
      'usage',
      `Cannot write into ${flag} ${dir}: ${reason(error)}.`,
      `Give ${flag} a folder you can write to.`,
    )
  }
  return path
}

/**
 * Checks that `file` can be written: it is not a folder, and its folder exists or is created (that folder
 * only: a path whose folder's parent is missing is most likely a typo, refused rather than built).
 */
export function prepareOutputFile(file: string, flag: string): string {
  const path = resolve(file)
  const dir = dirname(path)
  if (!existsSync(dir) && !existsSync(dirname(dir)))
    throw new AcoError(
      'usage',
      `Cannot write ${flag} ${file}: no such folder ${dirname(dir)}.`,
      `Give ${flag} a file in a folder that exists (aco creates the file's own folder, not the folders above it).`,
    )
  try {
    if (!existsSync(dir)) mkdirSync(dir)
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'EEXIST'})
    accessSync(dir, constants.W_OK)
  } catch (error) {
    throw new AcoError(
      'usage',
      `Cannot write ${flag} ${file}: its folder ${dir}: ${reason(error)}.`,
      `Give ${flag} a file in a folder you can write to.`,
    )
  }
  try {
    if (statSync(path).isDirectory())
      throw new AcoError(
        'usage',
        `Cannot write ${flag} ${file}: it is a folder.`,
        `Give ${flag} a file name, e.g. ${file.replace(/\/$/, '')}/report.md.`,
      )
    accessSync(path, constants.W_OK)
  } catch (error) {
    if (error instanceof AcoError) throw error
    if ((error as {code?: string}).code !== 'ENOENT')
      throw new AcoError('usage', `Cannot write ${flag} ${file}: ${reason(error)}.`)
  }
  return path
}
