/**
 * V8's compiled code of aco's bundles kept between runs (issue 18, start-up), for Node versions without a compile
 * cache of their own (Node 22.1+ has `module.enableCompileCache`, which bin/run.js turns on instead).
 *
 * The bundles (scripts/bundle.js) are CommonJS: node compiles each with `vm.Script` here instead of its own loader,
 * giving V8 the code it cached for that file on an earlier run, and at the end of a run that compiled any file
 * afresh (no cache yet, or one V8 rejected: another node, other V8 flags) it writes what V8 compiled by then, the
 * functions that ran included. Compiling the ~1.4 MB a small `aco analyze` loads takes more of its start than
 * anything else aco does (see the README's Performance).
 *
 * Compiled code runs as code, so what V8 is given must be what aco wrote for that very text (review 19):
 * - a cache file is named by a hash of the file's own text, node's version, the platform and the flags node runs
 *   with (V8 checks its version and flags itself, but of the source only its length);
 * - each file holds a SHA-1 of its payload, checked before V8 sees it: a file damaged in place (a disk, a crash
 *   before the data reached it) would make V8's deserializer abort the process, on every run;
 * - the folder is used only when it is the user's own and no one else may write in it (owned by the user, not
 *   group- or world-writable, not a link): a folder someone else made or opened is left alone, nothing read or
 *   written there;
 * - each file is written whole under a temporary name and renamed.
 * Any failure to read, check or write one only means compiling as node would. At most MAX_FILES are kept (those this
 * run used stay; the oldest others go first). `ACO_COMPILE_CACHE=0` turns it off; `--no-cache` is about analysis
 * results and leaves it on.
 */
import {createHash} from 'node:crypto'
import {lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {dirname, join, resolve, sep} from 'node:path'
import vm from 'node:vm'
import {cacheDir} from '../analyze/cache-dir.js'
import {makeFolders} from '../util/folders.js'

/** Cache files kept at most (a build's bundles are ~60 files; a few builds and node versions fit). */
const MAX_FILES = 400

/** What each cache file starts with, then the SHA-1 of the rest (20 bytes), then V8's data. */
const MAGIC = Buffer.from('aco-v8-1')
const HEADER = MAGIC.length + 20

interface CompilingModule {
  exports: unknown
  _compile(content: string, filename: string): unknown
}

/**
 * Compiles every CommonJS file below `bundles` with V8's cached code from `dir` (by default aco's cache folder's
 * `code/`); writes what was compiled afresh when the process exits. Returns false when it was not set up (the folder
 * is not the user's own, or node has no loader to hook): node then compiles as it would.
 */
export function keepCompiledCode(bundles: string, dir = join(cacheDir(homedir(), process.env), 'code')): boolean {
  const proto = (Module as unknown as {prototype: CompilingModule}).prototype
  const compile = proto._compile
  if (typeof compile !== 'function' || !ownFolder(dir)) return false
  const below = resolve(bundles) + sep
  const fresh: Array<{script: vm.Script; path: string}> = []
  const used = new Set<string>()
  const salt = `${process.version}\0${process.platform}\0${process.arch}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}\0`
  proto._compile = function (this: CompilingModule, content: string, filename: string) {
    if (!filename.startsWith(below)) return compile.call(this, content, filename)
    const name = `${createHash('sha1').update(salt).update(content).digest('hex')}.v8`
    used.add(name)
    const path = join(dir, name)
    const cachedData = checked(path)
    // Wrapped in an array, not in parentheses: V8 compiles a parenthesized function whole at once, this one lazily.
    const script = new vm.Script(`[function (exports, require, module, __filename, __dirname) {${content}\n}][0]`, {
      filename,
      cachedData,
    })
    if (cachedData === undefined || script.cachedDataRejected) fresh.push({script, path})
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename))
  }
  // The bundles' dynamic imports of ES modules (the review's screen) go through here: a script compiled with cached
  // code cannot import by itself.
  ;(globalThis as {__acoEsm?: (url: string) => Promise<unknown>}).__acoEsm = url => import(url)
  process.once('exit', () => {
    if (fresh.length > 0) save(dir, fresh, used)
  })
  return true
}

/**
 * Whether `dir` is a folder only the user may write in (made so when missing): owned by the user (where the platform
 * has owners), not writable by its group or others, not a link. Anything else is left alone.
 */
function ownFolder(dir: string): boolean {
  try {
    makeFolders(dir, 0o700)
    const s = lstatSync(dir)
    if (!s.isDirectory()) return false
    if (typeof process.getuid === 'function' && s.uid !== process.getuid()) return false
    return process.platform === 'win32' || (s.mode & 0o022) === 0
  } catch {
    return false
  }
}

/** V8's data of a cache file whose checksum holds; undefined when there is none, or it is damaged. */
function checked(path: string): Buffer | undefined {
  let file: Buffer
  try {
    file = readFileSync(path)
  } catch {
    return undefined
  }
  if (file.length <= HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined
  const data = file.subarray(HEADER)
  const sum = createHash('sha1').update(data).digest()
  return sum.equals(file.subarray(MAGIC.length, HEADER)) ? data : undefined
}

/**
 * Writes each script's compiled code whole (a temporary name, then renamed), with its checksum, and keeps the folder
 * bounded: past MAX_FILES, the files this run did not use go, the oldest first.
 */
function save(dir: string, fresh: ReadonlyArray<{script: vm.Script; path: string}>, used: ReadonlySet<string>): void {
  try {
    for (const {script, path} of fresh) {
      const data = script.createCachedData()
      const tmp = `${path}.${process.pid}.tmp`
      try {
        writeFileSync(tmp, Buffer.concat([MAGIC, createHash('sha1').update(data).digest(), data]), {mode: 0o600})
        renameSync(tmp, path)
      } catch (error) {
        // (A disk that filled leaves no half-written file behind, trial 108: one a run until the folder was trimmed.)
        rmSync(tmp, {force: true})
        throw error
      }
    }
    const names = readdirSync(dir)
    if (names.length > MAX_FILES) {
      const aged = names
        .filter(name => !used.has(name))
        .map(name => {
          try {
            return {name, at: statSync(join(dir, name)).mtimeMs}
          } catch {
            return {name, at: 0}
          }
        })
        .sort((a, b) => a.at - b.at)
      for (const {name} of aged.slice(0, names.length - MAX_FILES)) rmSync(join(dir, name), {force: true})
    }
  } catch {
    // A cache only: the next run compiles as node would.
  }
}
