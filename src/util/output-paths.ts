/**
 * Output paths checked before any work is done: a folder aco may create and
 * write into, a file it may write. A mistake here is a usage error with the
 * path and the reason, not an errno at the end of a long run.
 */
import {accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, type Stats, statSync} from 'node:fs'
import {basename, dirname, join, resolve, sep} from 'node:path'
import {AcoError} from '../errors.js'
import {linkTarget, makeTrackedFolders} from './atomic.js'
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

/** Creates the missing folders of `path` (see folders.ts), and remembers them. */
function makeOutputFolders(path: string): void {
  makeTrackedFolders(path)
}

/** Creates `dir` (and its parents) if needed and checks it can be written into. */
export function prepareOutputDir(dir: string, flag: string): string {
  const path = resolve(dir)
  try {
    makeOutputFolders(path)
    if (!statSync(path).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'EEXIST'})
    accessSync(path, constants.W_OK)
  } catch (error) {
    // (No such folder where its parent is there: the file system would not make it, as /proc will not; a missing folder
    // is made otherwise, so "no such folder" alone misled, trial 74.)
    const why =
      (error as {code?: string}).code === 'ENOENT' && existsSync(dirname(path))
        ? `the folder cannot be made in ${dirname(path)}`
        : reason(error)
    throw new AcoError('usage', `Cannot write into ${flag} ${dir}: ${why}.`, `Give ${flag} a folder you can write to.`)
  }
  return path
}

/**
 * Refuses to write files `names` in output folder `dir` where one is a symbolic link, or anything but a regular
 * file: aco writes its own files there, and writing through a link planted in the folder (`cards.ndjson ->
 * ../logs/session.jsonl`, `PR.md -> ../deploy/config.yaml`, `-> /dev/null`) would replace what it points to.
 */
export function refuseLinksIn(dir: string, names: readonly string[], flag: string): void {
  for (const name of names) {
    const path = join(dir, name)
    let stats: Stats
    try {
      stats = lstatSync(path)
    } catch {
      continue
    }
    if (stats.isFile()) continue
    const what = stats.isSymbolicLink()
      ? `a symbolic link (to ${readlinkSync(path)}): writing it would replace what it points to`
      : 'not a regular file'
    throw new AcoError(
      'usage',
      `Refusing to write ${flag} ${dir}: its ${name} is ${what}.`,
      `Remove ${path}, or give ${flag} another folder.`,
    )
  }
}

/**
 * An output folder's files (`names` in `dir`) checked before any work: no symbolic link or non-regular file where one
 * goes (see refuseLinksIn), and none of them one of the run's `inputs` (`aco train --outcomes out/router.json --out
 * out` would have replaced its own outcome table).
 */
export function guardOutputFolder(
  dir: string,
  names: readonly string[],
  flag: string,
  inputs: readonly string[],
): void {
  refuseLinksIn(dir, names, flag)
  for (const name of names) guardOutputFile(join(dir, name), flag, {inputs, force: true})
}

/**
 * Checks that `file` can be written: it is not a folder, and its folder exists or is created (that folder
 * only: a path whose folder's parent is missing is most likely a typo, refused rather than built).
 */
export function prepareOutputFile(file: string, flag: string): string {
  refuseFolderName(file, flag)
  const path = resolve(file)
  const dir = dirname(path)
  if (!existsSync(dir) && !existsSync(dirname(dir)))
    throw new AcoError(
      'usage',
      `Cannot write ${flag} ${file}: no such folder ${dirname(dir)}.`,
      `Give ${flag} a file in a folder that exists (aco creates the file's own folder, not the folders above it).`,
    )
  try {
    if (!existsSync(dir)) makeTrackedFolders(dir)
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
        `Give ${flag} a file name, e.g. ${file.replace(/\/$/, '')}/${exampleName(flag)}.`,
      )
    accessSync(path, constants.W_OK)
  } catch (error) {
    if (error instanceof AcoError) throw error
    if ((error as {code?: string}).code !== 'ENOENT')
      throw new AcoError('usage', `Cannot write ${flag} ${file}: ${reason(error)}.`)
  }
  return path
}

/**
 * Refuses a file path written as a folder's, with a trailing `/` (`--report repdir/`: it had written a file named
 * `repdir`, and a sibling `repdir-assets/`). Before the path is resolved, which drops the `/`.
 */
export function refuseFolderName(file: string, flag: string): void {
  if (/[\\/]$/.test(file))
    throw new AcoError(
      'usage',
      `Cannot write ${flag} ${file}: it names a folder.`,
      `Give ${flag} a file name, e.g. ${file}${exampleName(flag)}.`,
    )
}

/** A file name to give as an example for an output flag. */
function exampleName(flag: string): string {
  return flag === '--decisions' ? 'aco-decisions.json' : flag === '--out' ? 'outcomes.jsonl' : 'report.md'
}

/** Whether two paths name one file (links followed; either may not exist yet). */
export function sameFile(a: string, b: string): boolean {
  return realish(linkTarget(resolve(a))) === realish(linkTarget(resolve(b)))
}

/** `path` as its folder lists it: the folder's links resolved, not the file's own. */
function nameInFolder(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path))
  } catch {
    return path
  }
}

/** `path` with its folder's links resolved (the file itself may not exist yet). */
function realish(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path))
    } catch {
      return path
    }
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

export interface OutputGuard {
  /** The input files and folders of the run: output must not replace one, nor land inside one unless forced. */
  inputs: readonly string[]
  /** Write inside an input folder all the same (`--force`). */
  force?: boolean
  /** Whether a folder walk reads a file of this name as a trace: one there is never replaced, forced or not. */
  readsName?: (name: string) => boolean
  /**
   * Every file already inside an input folder is one of the run's (`aco outcomes`: a trajectory, a report): never
   * replaced, forced or not; the words say what it is.
   */
  keepsFiles?: string
  /** The file is the flag's default, not a path the person gave: the refusal says so (trial 78). */
  defaulted?: boolean
}

/**
 * Checks a file aco is about to replace: refuses an input of the run (a trace
 * replaced by a report is lost), anything that is not a regular file (a device
 * node, a FIFO), and, unless forced, a path inside an input folder (the next run
 * would read it as input; a folder of cards is an input by its cards file alone). Returns where to write: a symbolic link's target,
 * so the link stays and what it points at is what changes.
 */
export function guardOutputFile(file: string, flag: string, guard: OutputGuard): string {
  refuseFolderName(file, flag)
  const named = resolve(file)
  const target = linkTarget(named)
  const refuse = (why: string, hint: string): never => {
    throw new AcoError(
      'usage',
      `Refusing to write ${flag} ${file}${guard.defaulted ? ` (the default of ${flag})` : ''}: ${why}.`,
      hint,
    )
  }
  let stats: Stats | undefined
  try {
    stats = statSync(target)
  } catch {
    stats = undefined
  }
  if (stats && !stats.isFile() && !stats.isDirectory())
    refuse('it is not a regular file (a device, a FIFO or a socket)', `Give ${flag} a file name to write to.`)
  const real = realish(target)
  // Where the walk meets it (the name in its folder: a link there is read by that name) and where the bytes are.
  const seen = nameInFolder(named)
  const places = seen === real ? [real] : [seen, real]
  for (const input of guard.inputs) {
    const inputReal = realish(resolve(input))
    if (places.includes(inputReal)) refuse('it is one of the inputs of this run', `Give ${flag} another file name.`)
    if (!isFolder(inputReal)) continue
    const under = inputReal.endsWith(sep) ? inputReal : inputReal + sep
    const inside = places.filter(p => p.startsWith(under))
    if (!inside.length) continue
    // A file the walk of that folder reads as a trace is an input as much as one named, and a new one named so would be
    // read as one by the next run: `--force` lets a report in, never that.
    if (stats && guard.keepsFiles) refuse(guard.keepsFiles, `Give ${flag} a new file name.`)
    if (inside.some(p => guard.readsName?.(basename(p))))
      refuse(
        stats
          ? `it is a file this run reads as input, in ${input}`
          : `a file of that name in ${input} is one the next run would read as a trace`,
        `Give ${flag} another file name (one a folder walk does not read as a trace: report.md).`,
      )
    if (!guard.force)
      refuse(
        `it is inside ${input}, which this run reads (the next run would read it as input)`,
        `Give ${flag} a path outside the inputs, or pass --force to write there all the same.`,
      )
  }
  return target
}
