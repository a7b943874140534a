/**
 * Creating folders. Node's recursive mkdir can spin forever on pseudo file systems: under /proc a missing folder's
 * mkdir fails with ENOENT while its parent exists, and Node tries the parent and the folder again, endlessly.
 */
import {existsSync, mkdirSync} from 'node:fs'
import {dirname} from 'node:path'

/** Creates the missing folders of `path` one at a time, outermost first; returns those it made. Throws as mkdir does. */
export function makeFolders(path: string, mode?: number): string[] {
  const missing: string[] = []
  let p = path
  while (!existsSync(p)) {
    missing.push(p)
    const parent = dirname(p)
    if (parent === p) break
    p = parent
  }
  missing.reverse()
  for (const folder of missing) mkdirSync(folder, mode === undefined ? undefined : {mode})
  return missing
}
