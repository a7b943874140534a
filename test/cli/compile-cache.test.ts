/**
 * V8's compiled code of the bundles kept between runs (src/cli/compile-cache.ts): a run with the cache prints what a
 * run without it prints; the code cached for one text never runs for another (V8 itself checks only the source's
 * length); a folder it cannot write only costs the cache.
 */
import {spawnSync} from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {root} from '../helpers.js'

const hook = join(root, 'dist', 'cli', 'compile-cache.js')

/** Runs node on a CommonJS file below `bundles` with the compile cache of `cache` set up first. */
function run(bundles: string, cache: string, file: string): {out: string; status: number | null} {
  const main = `import {keepCompiledCode} from ${JSON.stringify(pathToFileURL(hook).href)}
import {createRequire} from 'node:module'
keepCompiledCode(${JSON.stringify(bundles)}, ${JSON.stringify(cache)})
createRequire(import.meta.url)(${JSON.stringify(file)})
`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', main], {encoding: 'utf8'})
  return {out: r.stdout + r.stderr, status: r.status}
}

describe.skipIf(!existsSync(hook))('the compile cache', () => {
  it('runs each text as it is, cached or not, and never another text of the same length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-cc-'))
    const bundles = join(dir, 'bundle')
    const cache = join(dir, 'cache')
    mkdirSync(bundles)
    const file = join(bundles, 'a.js')
    const source = (word: string) =>
      `const {helper} = require('./b.js')\nfunction shout(s) { return s.toUpperCase() }\nconsole.log(shout('${word}'), helper(), __filename.endsWith('a.js'))\n`
    writeFileSync(file, source('first'))
    writeFileSync(join(bundles, 'b.js'), 'exports.helper = () => 42\n')
    writeFileSync(join(bundles, 'package.json'), '{"type": "commonjs"}\n')

    const first = run(bundles, cache, file)
    expect(first).toEqual({out: 'FIRST 42 true\n', status: 0})
    // One file of compiled code for each of the two scripts, written at exit.
    const written = readdirSync(cache).filter(n => n.endsWith('.v8'))
    expect(written).toHaveLength(2)
    const times = written.map(n => statSync(join(cache, n)).mtimeMs)

    // Read from the cache: the same output, nothing written again.
    expect(run(bundles, cache, file)).toEqual({out: 'FIRST 42 true\n', status: 0})
    expect(readdirSync(cache).filter(n => n.endsWith('.v8'))).toEqual(written)
    expect(written.map(n => statSync(join(cache, n)).mtimeMs)).toEqual(times)

    // Another text of the very same length: its own code runs, cached under its own name.
    writeFileSync(file, source('other'))
    expect(run(bundles, cache, file)).toEqual({out: 'OTHER 42 true\n', status: 0})
    expect(readdirSync(cache).filter(n => n.endsWith('.v8'))).toHaveLength(3)
  })

  it('never gives V8 a damaged file, and uses no folder others may write in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-cc-'))
    const bundles = join(dir, 'bundle')
    mkdirSync(bundles)
    const file = join(bundles, 'a.js')
    writeFileSync(
      file,
      `function f(x) { return x * 2 }\nconsole.log(${Array.from({length: 200}, (_, k) => `f(${k})`).join(' + ')})\n`,
    )
    writeFileSync(join(bundles, 'package.json'), '{"type": "commonjs"}\n')
    const cache = join(dir, 'cache')
    const expected = {out: `${Array.from({length: 200}, (_, k) => 2 * k).reduce((a, b) => a + b)}\n`, status: 0}
    expect(run(bundles, cache, file)).toEqual(expected)
    const [name] = readdirSync(cache).filter(n => n.endsWith('.v8'))
    const path = join(cache, name!)
    // Damaged in place, the same length (a disk, a crash before the data reached it): checked, not used, written again.
    const bytes = readFileSync(path)
    for (let k = 40; k < bytes.length; k += 7) bytes[k] = bytes[k]! ^ 0x5a
    writeFileSync(path, bytes)
    expect(run(bundles, cache, file)).toEqual(expected)
    expect(readFileSync(path).equals(bytes)).toBe(false)
    expect(run(bundles, cache, file)).toEqual(expected)

    // A folder others may write in: nothing read or written there.
    const open = join(dir, 'open')
    mkdirSync(open)
    chmodSync(open, 0o777)
    writeFileSync(join(open, name!), bytes)
    expect(run(bundles, open, file)).toEqual(expected)
    expect(readdirSync(open)).toEqual([name])
    expect(readFileSync(join(open, name!)).equals(bytes)).toBe(true)
  })

  it('leaves files outside the bundles to node, and runs on when it cannot write its folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-cc-'))
    const bundles = join(dir, 'bundle')
    mkdirSync(bundles)
    const outside = join(dir, 'outside.js')
    writeFileSync(outside, "console.log('outside')\n")
    writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}\n')
    const cache = join(dir, 'cache')
    expect(run(bundles, cache, outside)).toEqual({out: 'outside\n', status: 0})
    expect(readdirSync(cache)).toEqual([])

    const inside = join(bundles, 'in.js')
    writeFileSync(inside, "console.log('inside')\n")
    // A cache folder that cannot be made (a file is in its way): compiled as node would, the run unharmed.
    const inTheWay = join(dir, 'in-the-way')
    writeFileSync(inTheWay, '')
    expect(run(bundles, join(inTheWay, 'code'), inside)).toEqual({out: 'inside\n', status: 0})
  })

  it.skipIf(!existsSync(join(root, 'dist', 'bundle', '.stamp')))(
    'gives aco the same output on its first run, from the cache, and with the cache off',
    () => {
      const home = mkdtempSync(join(tmpdir(), 'aco-cc-'))
      const analyze = (env: Record<string, string>) => {
        const environment: NodeJS.ProcessEnv = {...process.env, XDG_CACHE_HOME: home, ...env}
        delete environment.NODE_ENV
        delete environment.VITEST
        const r = spawnSync(
          process.execPath,
          [
            join(root, 'bin', 'run.js'),
            'analyze',
            join(root, 'fixtures', 'claude-code', 'split-blocks.jsonl'),
            '--json',
            '--no-cache',
          ],
          {encoding: 'utf8', env: environment},
        )
        expect(r.stderr).toBe('')
        expect(r.status).toBe(0)
        return r.stdout
      }
      const off = analyze({ACO_COMPILE_CACHE: '0'})
      expect(existsSync(join(home, 'aco', 'code'))).toBe(false)
      expect(analyze({})).toBe(off)
      expect(readdirSync(join(home, 'aco', 'code')).filter(n => n.endsWith('.v8')).length).toBeGreaterThan(3)
      expect(analyze({})).toBe(off)
    },
  )
})
