/**
 * discover: turns the paths a user gave into the list of files to read.
 * Walks folders recursively, follows symlinks but never loops, and keeps
 * files whose names look like traces (an explicitly named file is always kept).
 */
import {type Dirent, lstatSync, readdirSync, realpathSync, type Stats, statSync} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'
import {dirname, join, sep} from 'node:path'
import {describeFsError} from '../util/fs-errors.js'

export interface FoundFile {
  path: string
  size: number
  /** Last modification, epoch milliseconds (`--since` passes over files older than its window). */
  mtimeMs: number
  /**
   * Last change of the file or its inode, epoch milliseconds: a file rewritten and given back its modification time
   * (`touch -r`, a restore, an editor that keeps it) has another (trial 108: the cache had served its old result).
   */
  ctimeMs?: number
  /**
   * Its inode, where the file system gives one JavaScript holds exactly: two paths to one file (a hard link) are read
   * once, and a file put in another's place with the same size and times (`mv logs.new logs`) is not the other.
   */
  ino?: number
  /** True when the user named this file; false when a folder walk found it. */
  explicit: boolean
}

interface WalkProblem {
  path: string
  reason: string
}

export interface WalkResult {
  files: FoundFile[]
  problems: WalkProblem[]
  /** Files a folder walk passed over because their names are not trace-like. */
  ignored: number
  /** Of those, files compressed or archived by their names (`.jsonl.gz`, `.tar`): logs kept for months often are. */
  packed: number
}

/** Names of compressed files and archives. */
const PACKED = /\.(?:gz|tgz|zst|bz2|xz|zip|tar|7z)$/i

const TRACE_EXTENSIONS = ['.jsonl', '.json', '.ndjson', '.traj', '.responses', '.log']
const TRACE_SUFFIXES = ['.aider.chat.history.md', '.aider.llm.history']

/** The names a folder walk reads, in words (`.jsonl`, `.json`, … files and aider's histories). */
export function traceNamesText(): string {
  const ext = TRACE_EXTENSIONS.join(', ').replace(/, (\.\w+)$/, ' and $1')
  return `${ext} files, aider's ${TRACE_SUFFIXES.join(' and ')}, OpenCode's opencode.db, and .yaml and .yml files that start as a recorded HTTP cassette`
}

/** Whether a folder walk should read this file name. */
export function isTraceLikeName(name: string): boolean {
  const lower = name.toLowerCase()
  return (
    TRACE_EXTENSIONS.some(ext => lower.endsWith(ext)) ||
    TRACE_SUFFIXES.some(s => lower.endsWith(s)) ||
    OPENCODE_DATABASE.test(name)
  )
}

/** OpenCode's database (`opencode.db`; a channel's own, `opencode-dev.db`): a folder walk reads it. */
const OPENCODE_DATABASE = /^opencode(?:[-_.][\w.-]*)?\.db$/i

/**
 * A database's size and last change with its write-ahead log's (`X.db-wal`, where SQLite in WAL mode keeps the commits
 * since its last checkpoint): a session written since changes the log, not the file, and must not read as unchanged.
 */
function withLog(
  path: string,
  s: {size: number; mtimeMs: number; ctimeMs: number},
): {size: number; mtimeMs: number; ctimeMs: number} {
  if (!/\.(?:db|sqlite3?)$/i.test(path)) return s
  try {
    const log = statSync(`${path}-wal`)
    return log.isFile()
      ? {size: s.size + log.size, mtimeMs: Math.max(s.mtimeMs, log.mtimeMs), ctimeMs: Math.max(s.ctimeMs, log.ctimeMs)}
      : s
  } catch {
    return s
  }
}

const YAML = /\.ya?ml$/i
/** The top-level key a VCR cassette starts with (VCR.py, pytest-recording, pydantic-ai; Ruby VCR). */
const CASSETTE_HEAD = /^(?:---[^\n]*\n)?(?:#[^\n]*\n|\s*\n)*(?:http_)?interactions:/

/**
 * YAML is mostly configuration: a folder walk reads a YAML file only when it
 * starts like a recorded HTTP cassette (its first bytes are read to tell).
 */
async function isCassette(path: string): Promise<boolean> {
  let handle: FileHandle | undefined
  try {
    handle = await open(path, 'r')
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(512), 0, 512, 0)
    return CASSETTE_HEAD.test(buffer.subarray(0, bytesRead).toString('utf8'))
  } catch {
    return false
  } finally {
    await handle?.close()
  }
}

const SKIP_DIRS = new Set(['node_modules', '.git'])

/** Why a folder walk does not follow a link to a folder that holds the path it was given. */
export const LINK_TO_ANCESTOR =
  'a symbolic link to a folder that holds a path given: not followed (name that folder to read it)'

/** Whether anything, a broken link too, is at `path` (a name with a real U+FFFD is no name that is not UTF-8). */
function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** Why a file or folder whose name is not UTF-8 is not read, and what to do instead. */
export const NOT_UTF8 =
  'its name is not UTF-8, and aco cannot open it by that name: rename it (convmv -f latin1 -t utf8 -r --notest FOLDER)'

/** Why a pipe or a device given is not read, and what to do instead. */
export const PIPE_REASON = 'a pipe or a device, not a file: save what it gives to a file and name that (cmd > s.jsonl)'

/**
 * Finds trace files under `paths`, in a stable (sorted) order. The file system is asked synchronously (as the readers
 * read): over a folder of 2,005 sessions, a stat and a realpath a file through node's thread pool left the thread idle
 * ~150 ms of a 1.2 s run from the cache. A file a folder listing names (not a link) is where its folder really is: its
 * real path is the folder's, joined with its name, without asking again. (`realpathSync.native`: the C library's, as
 * `fs.promises.realpath` was, not node's own walk of the path's parts.)
 */
export async function walk(paths: string[]): Promise<WalkResult> {
  const files: FoundFile[] = []
  const problems: WalkProblem[] = []
  const seenDirs = new Set<string>()
  const seenFiles = new Set<string>()
  const seenInodes = new Set<string>()
  let ignored = 0
  let packed = 0
  const passOver = (name: string): void => {
    ignored++
    if (PACKED.test(name)) packed++
  }

  async function visitDir(dir: string): Promise<void> {
    let real: string
    try {
      real = realpathSync.native(dir)
    } catch (error) {
      problems.push({path: dir, reason: describeFsError(error)})
      return
    }
    if (seenDirs.has(real)) return
    seenDirs.add(real)
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch (error) {
      problems.push({path: dir, reason: describeFsError(error)})
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const full = join(dir, entry.name)
      // A name that is not UTF-8 (a Latin-1 folder, `proj\xe9`) reaches JavaScript with U+FFFD for its bytes: the path
      // made of it names nothing. Said so, not "no such file or folder" (trial 127); its traces are not read.
      if (entry.name.includes('\uFFFD') && !exists(full)) {
        // (Only what a walk would read: a photo\xe9.png beside the traces is passed over as any other name; review 128.)
        if (entry.isDirectory() || entry.isSymbolicLink() || isTraceLikeName(entry.name))
          problems.push({path: full, reason: NOT_UTF8})
        else passOver(entry.name)
        continue
      }
      let isDir = entry.isDirectory()
      let isFile = entry.isFile()
      const link = entry.isSymbolicLink()
      if (link) {
        try {
          const s = statSync(full)
          isDir = s.isDirectory()
          isFile = s.isFile()
        } catch (error) {
          const code = (error as {code?: string}).code
          problems.push({
            path: full,
            reason:
              code === 'ELOOP'
                ? 'a loop of symbolic links'
                : code === 'EACCES'
                  ? 'a symbolic link to a file or folder it may not read'
                  : 'broken symbolic link',
          })
          continue
        }
      }
      if (isDir) {
        // A link to a folder that holds a path given (`parent -> ..`) would read what lies around it: not followed.
        // (Links to folders elsewhere are: a project kept on another disk.)
        if (link && holdsRoot(full)) {
          problems.push({path: full, reason: LINK_TO_ANCESTOR})
          continue
        }
        if (!SKIP_DIRS.has(entry.name)) await visitDir(full)
      } else if (isFile) {
        if (isTraceLikeName(entry.name) || (YAML.test(entry.name) && (await isCassette(full))))
          addFile(full, false, link ? undefined : join(real, entry.name))
        else passOver(entry.name)
      } else if (isTraceLikeName(entry.name))
        // (Named as a trace, but a FIFO, a socket or a device: reading it could block or never end.)
        problems.push({path: full, reason: 'not a regular file (a FIFO, a socket or a device): not read'})
      else passOver(entry.name)
    }
  }

  /**
   * Whether the folder a link leads to holds a path given (a folder, a file's folder), and is no folder given nor inside
   * one (the folders given are read whole anyway, each file once).
   */
  function holdsRoot(link: string): boolean {
    let target: string
    try {
      target = realpathSync.native(link)
    } catch {
      return false
    }
    const under = (path: string, folder: string): boolean =>
      path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)
    // (A folder given, or inside one, is read anyway, once: `aco analyze proj proj/sessions` with `sessions/up -> ..`.)
    if (roots.some(root => under(target, root))) return false
    return anchors.some(anchor => under(anchor, target))
  }

  /**
   * Adds a file once, however many paths lead to it (`real`: its real path, when known): by a link, or as a hard link
   * (trial 127: a backup tree made with `cp -al` beside the logs counted every SWE-agent session twice).
   */
  function addFile(path: string, explicit: boolean, real?: string): void {
    try {
      const key = real ?? realpathSync.native(path)
      if (seenFiles.has(key)) return
      seenFiles.add(key)
      const stat = statSync(path)
      // (A file system that numbers no inode gives 0, and an inode past 2^53 reaches JavaScript rounded, so two files
      // could share it (overlayfs with xino, NTFS file ids; review 128 lost 10 of 11 sessions so): told apart by their
      // paths alone.)
      const ino = stat.ino && Number.isSafeInteger(stat.ino) ? stat.ino : undefined
      if (ino !== undefined) {
        const file = `${stat.dev}:${ino}`
        if (seenInodes.has(file)) return
        seenInodes.add(file)
      }
      const s = withLog(path, stat)
      files.push({path, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ...(ino ? {ino} : {}), explicit})
    } catch (error) {
      problems.push({path, reason: describeFsError(error)})
    }
  }

  /** The real paths of the folders given; and of those and the folders of the files given (what a link must not hold). */
  const roots: string[] = []
  const anchors: string[] = []
  for (const given of paths)
    try {
      const real = realpathSync.native(given)
      if (statSync(given).isDirectory()) {
        roots.push(real)
        anchors.push(real)
      } else anchors.push(dirname(real))
    } catch {
      // (Said below, where the path is looked at.)
    }
  for (const given of paths) {
    // Keep the path as the user wrote it: reports show it back to them.
    const path = given
    let s: Stats
    try {
      s = statSync(path)
    } catch (error) {
      problems.push({
        path: given,
        reason:
          given.includes('\uFFFD') && (error as {code?: string}).code === 'ENOENT' && !exists(given)
            ? NOT_UTF8
            : describeFsError(error),
      })
      continue
    }
    if (s.isDirectory()) await visitDir(path)
    else if (s.isFile()) {
      addFile(path, true)
    }
    // (A pipe, `<(zcat s.jsonl.gz)` or /dev/stdin: read as it comes, it could be read only once, and never cached.)
    else
      problems.push({
        path: given,
        reason: s.isFIFO() || s.isCharacterDevice() ? PIPE_REASON : 'not a regular file or folder',
      })
  }
  return {files, problems, ignored, packed}
}
