/**
 * Where a target sits: the git repository that holds it (the folder with
 * `.git`), so its diff names it as `git apply` run from that root expects,
 * and whether that is the current directory's repository.
 */
import {existsSync, realpathSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realish(path: string): string {
  const abs = resolve(path)
  let p = abs
  const rest: string[] = []
  while (!existsSync(p)) {
    const parent = dirname(p)
    if (parent === p) return abs
    rest.unshift(p.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)))
    p = parent
  }
  return join(realpathSync(p), ...rest)
}

/** The root of the git repository holding `path` (a file or folder), or undefined. */
function repoRoot(path: string): string | undefined {
  let dir = realish(path)
  if (!isDirectory(dir)) dir = dirname(dir)
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function isInside(path: string, folder: string): boolean {
  const r = relative(folder, path)
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r))
}

export interface TargetPlace {
  /** The target's real path. */
  path: string
  /** The folder its diff is relative to. */
  root: string
  /** The target relative to `root`, with `/`. */
  relative: string
  /** Not in the current directory's repository (or, outside any, not under the current directory). */
  outside: boolean
}

/** Where a target sits relative to the current directory's repository. */
export function placeTarget(target: string, cwd: string): TargetPlace {
  const path = realish(target)
  const here = repoRoot(cwd) ?? realish(cwd)
  const own = repoRoot(path)
  const root = own ?? (isInside(path, here) ? here : dirname(path))
  return {
    path,
    root,
    relative: relative(root, path).split(sep).join('/'),
    outside: root !== here || !isInside(path, here),
  }
}
