#!/usr/bin/env node
import {fstatSync, readFileSync, statSync, writeSync} from 'node:fs'
import module from 'node:module'
import {arch, platform, release} from 'node:os'
import {fileURLToPath} from 'node:url'

// Node 22.1+ keeps compiled code between runs (its own cache folder); Node 20 has no such cache.
module.enableCompileCache?.()

const root = fileURLToPath(new URL('..', import.meta.url))
const mtime = path => {
  try {
    return statSync(root + path).mtimeMs
  } catch {
    return undefined
  }
}

/**
 * `aco --version` answered as oclif answers it (Config's userAgent), without
 * loading oclif: undefined where oclif could answer otherwise (hooks, plugins or more
 * version flags in package.json, or WSL, which oclif names as its platform).
 */
function version() {
  if (process.argv[2] !== '--version') return undefined
  const pjson = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
  if (pjson.oclif?.hooks || pjson.oclif?.plugins || pjson.oclif?.additionalVersionFlags) return undefined
  const maybeWsl = () => {
    if (release().toLowerCase().includes('microsoft')) return true
    try {
      return readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')
    } catch {
      return false
    }
  }
  if (platform() === 'linux' && maybeWsl()) return undefined
  return `${pjson.name}/${pjson.version} ${platform()}-${arch() === 'ia32' ? 'x86' : arch()} node-${process.version}`
}

// A standard output that cannot take what aco writes (a full disk, `> /dev/full`) is said in one line and ends the run
// with exit 2, as any output that cannot be written does: not the stack trace oclif's own listener throws. A pipe its
// reader closed (`| head`, EPIPE) is a reader that had enough: quiet, as oclif has it.
const cannotWrite = error => {
  if (error?.code === 'EPIPE') return
  try {
    const why = {
      ENOSPC: 'no space left on the device',
      EDQUOT: 'over the disk quota',
      EFBIG: 'the file grew past the largest size the system allows',
      EIO: 'an input/output error',
    }
    writeSync(2, `Error: cannot write to standard output: ${why[error?.code] ?? error?.message ?? error}\n`)
  } catch {
    // standard error cannot take it either
  }
  process.exit(2)
}
process.stdout.prependListener('error', cannotWrite)
// Standard output on a file is written by node with one write a chunk, whatever part of it the disk took: each byte is
// written here, or the run ends as above (review 109: a disk that filled cut the output, and the run exited 0).
try {
  if (fstatSync(1).isFile())
    process.stdout.write = (chunk, encoding, callback) => {
      const done = typeof encoding === 'function' ? encoding : callback
      const bytes =
        typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk
      try {
        for (let at = 0; at < bytes.length; ) at += writeSync(1, bytes, at)
      } catch (error) {
        cannotWrite(error)
      }
      done?.()
      return true
    }
} catch {
  // no standard output to look at
}

/** The number of one-character edits between two words (Levenshtein). */
function distance(a, b) {
  let row = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

/**
 * A first word that names no command: `aco help [COMMAND]` asks for the help as `--help` does; any other word is said
 * in one line with the command nearest to it (trial 113: oclif said "command anlyze:fixtures not found", the next
 * argument glued on), exit 2, as JSON with `--json`. Only from the manifest the bundles were built with (a stale one,
 * oclif writes again first: review 114).
 */
async function firstWord() {
  const word = process.argv[2]
  if (word === undefined || word === '--help' || word === '--version') return
  // (`aco -h` is `aco --help`, as each command's own -h is.)
  if (word === '-h') {
    process.argv[2] = '--help'
    return
  }
  let commands
  try {
    commands = Object.keys(JSON.parse(readFileSync(`${root}oclif.manifest.json`, 'utf8')).commands)
  } catch {
    return
  }
  if (commands.includes(word)) {
    // (`aco analyze -h` alone is its help, as `aco -h` is: no command has a -h of its own.)
    if (process.argv.length === 4 && process.argv[3] === '-h') process.argv[3] = '--help'
    return
  }
  if (word === 'help') {
    process.argv.splice(2, 1)
    process.argv.push('--help')
    return firstWord()
  }
  const [near] = (word.startsWith('-') ? ['--help', '--version'] : commands)
    .map(c => [c, distance(word, c)])
    .sort((x, y) => x[1] - y[1])
  // (The word as typed, its controls written out and any secret in it redacted, as every message quotes input.)
  const {redactText} = await import('../dist/util/redact.js')
  const what = word.startsWith('-') ? 'option before its command' : 'command'
  const message = `aco has no ${what} ${redactText(JSON.stringify(word))}${near && near[1] <= 2 ? `; did you mean "${near[0]}"?` : ''}`
  const hint = 'aco --help lists the commands.'
  if (process.argv.includes('--json'))
    writeSync(1, `${JSON.stringify({error: {code: 'usage', message, hint, exit: 2}}, null, 2)}\n`)
  else writeSync(2, `Error: ${message}\nTry this: ${hint}\n`)
  process.exit(2)
}

const answer = version()
if (answer !== undefined) {
  process.stdout.write(`${answer}\n`)
} else {
  // The bundles (scripts/bundle.js, run by `npm run build`) unless a `tsc -b` ran since: then dist/ as compiled
  // (and ACO_BUNDLE=0 asks for dist/ as compiled).
  const stamp = process.env.ACO_BUNDLE === '0' ? undefined : mtime('dist/bundle/.stamp')
  const built = mtime('tsconfig.tsbuildinfo')
  if (stamp !== undefined && (built === undefined || stamp >= built) && mtime('oclif.manifest.json') !== undefined) {
    await firstWord()
    // The bundles are CommonJS: on a node without a compile cache of its own, V8's compiled code of them is kept
    // between runs (src/cli/compile-cache.ts; ACO_COMPILE_CACHE=0 turns it off).
    if (!module.enableCompileCache && process.env.ACO_COMPILE_CACHE !== '0') {
      const {keepCompiledCode} = await import('../dist/cli/compile-cache.js')
      keepCompiledCode(`${root}dist/bundle`)
    }
    const {execute} = module.createRequire(import.meta.url)('../dist/bundle/oclif.js')
    await execute({dir: import.meta.url})
  } else {
    const [{execute}, {refreshedPlugin}] = await Promise.all([import('@oclif/core'), import('../dist/cli/manifest.js')])
    // A stale oclif.manifest.json is written again first (see src/cli/manifest.ts).
    const plugin = await refreshedPlugin(root)
    if (plugin) await execute({loadOptions: {root, plugins: new Map([[plugin.name, plugin]])}})
    else await execute({dir: import.meta.url})
  }
}
