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
 * Safe by construction: a cache file is named by a hash of the file's own text, node's version and the platform
 * (V8 checks its version and flags itself, but of the source only its length), so no file runs another text's code;
 * the folder is the user's own (`~/.cache/aco/code`, mode 700), each file written whole under a temporary name and
 * renamed; any failure to read or write one only means compiling as node would. At most MAX_FILES are kept (the
 * oldest removed first). `ACO_COMPILE_CACHE=0` turns it off.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {dirname, join, resolve, sep} from 'node:path'
import vm from 'node:vm'
import {cacheDir} from '../analyze/cache-dir.js'

/** Cache files kept at most (a build's bundles are ~60 files; a few builds and node versions fit). */
const MAX_FILES = 400

interface CompilingModule {
  exports: unknown
  _compile(content: string, filename: string): unknown
}

/**
 * Compiles every CommonJS file below `bundles` with V8's cached code from `dir` (by default aco's cache folder's
 * `code/`); writes what was compiled afresh when the process exits. Returns false when it could not be set up
 * (nothing changed then).
 */
export function keepCompiledCode(bundles: string, dir = join(cacheDir(homedir(), process.env), 'code')): boolean {
  const proto = (Module as unknown as {prototype: CompilingModule}).prototype
  const compile = proto._compile
  if (typeof compile !== 'function') return false
  const below = resolve(bundles) + sep
  const fresh: Array<{script: vm.Script; path: string}> = []
  const salt = `${process.version}\0${process.platform}\0${process.arch}\0`
  proto._compile = function (this: CompilingModule, content: string, filename: string) {
    if (!filename.startsWith(below)) return compile.call(this, content, filename)
    const path = join(dir, `${createHash('sha1').update(salt).update(content).digest('hex')}.v8`)
    let cachedData: Buffer | undefined
    try {
      cachedData = readFileSync(path)
    } catch {
      // not cached yet
    }
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
    if (fresh.length > 0) save(dir, fresh)
  })
  return true
}

/** Writes each script's compiled code whole (a temporary name, then renamed), and keeps the folder bounded. */
function save(dir: string, fresh: ReadonlyArray<{script: vm.Script; path: string}>): void {
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700})
    for (const {script, path} of fresh) {
      const tmp = `${path}.${process.pid}.tmp`
      writeFileSync(tmp, script.createCachedData(), {mode: 0o600})
      renameSync(tmp, path)
    }
    const names = readdirSync(dir)
    if (names.length > MAX_FILES) {
      const aged = names
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
