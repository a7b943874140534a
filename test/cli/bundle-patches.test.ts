import {createRequire} from 'node:module'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {
  acoCollate,
  genaiPricesUnitsOnce,
  genaiPricesWithoutCollator,
  lazyBuiltins,
  lazyExecFile,
  lazyModelsCatalog,
  lazyStringWidth,
  lazyTinyglobby,
  oclifPluginWithoutCollator,
  oclifWithoutEngineCheck,
} from '../../scripts/bundle-patches.js'
import {root} from '../helpers.js'

const source = (path: string): string => readFileSync(join(root, 'node_modules', path), 'utf8')

describe('the bundles’ patches (scripts/bundle-patches.js)', () => {
  it('acoCollate orders as localeCompare does', () => {
    const sign = (n: number): number => Math.sign(n)
    const alphabet = 'abz09_5m1hT-:.'
    let seed = 11
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const word = (): string =>
      Array.from({length: Math.floor(rnd() * 7)}, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')
    const differ: string[] = []
    const check = (a: string, b: string): void => {
      if (sign(acoCollate(a, b)) !== sign(a.localeCompare(b))) differ.push(`${a} ${b}`)
    }
    for (let i = 0; i < 50_000; i++) check(word(), word())
    // What the patched sorts meet: the catalog's usage keys and dimension names, and aco's command ids.
    const words = new Set(
      [
        ...source('@pydantic/genai-prices/dist/index.js').matchAll(
          /\b([a-z][a-z0-9_]*(?:_tokens|_mtok|_type|_ttl))\b/g,
        ),
      ].map(m => m[1]!),
    )
    for (const id of ['analyze', 'formats', 'label', 'merge', 'outcomes', 'patch', 'review', 'route', 'train'])
      words.add(id)
    expect(words.size).toBeGreaterThan(50)
    for (const a of words) for (const b of words) check(a, b)
    expect(differ).toEqual([])
  })

  it('apply to the installed dependencies (a new version of another shape is bundled unpatched: noticed here)', () => {
    expect(genaiPricesWithoutCollator(source('@pydantic/genai-prices/dist/index.js'))).toContain('__acoCollate(t, a)')
    expect(genaiPricesUnitsOnce(source('@pydantic/genai-prices/dist/index.js'))).toContain('__acoWithin(o, i)')
    expect(oclifPluginWithoutCollator(source('@oclif/core/lib/config/plugin.js'))).toContain('__acoCollate(a.id')
    expect(lazyTinyglobby(source('@oclif/core/lib/config/plugin.js'))).not.toContain('= require("tinyglobby");')
    const index = oclifWithoutEngineCheck(source('@oclif/core/lib/index.js'))
    expect(index).toContain('function checkNodeVersion(')
    expect(index).not.toMatch(/^checkNodeVersion\(\);$/m)
    for (const p of ['wsl-utils/index.js', 'powershell-utils/index.js'])
      expect(lazyExecFile(source(p))).not.toMatch(/^const execFile = promisify/m)
    for (const p of ['string-width/index.js', 'ink/node_modules/wrap-ansi/node_modules/string-width/index.js']) {
      const lazy = lazyStringWidth(source(p))
      expect(lazy).toMatch(/^export default function stringWidthOnFirstCall\(/m)
      expect(lazy?.match(/^export /gm)).toHaveLength(1)
    }
  })

  it('lazyBuiltins: a deferred module is the module itself once used', async () => {
    const bundle = [
      "import {createRequire as r} from 'node:module';const require=r(import.meta.url);",
      'import cp from"node:child_process";var rl=__require("node:readline");var ph=__require("perf_hooks");',
      'export {cp, rl, ph}',
    ].join('\n')
    const {text, count} = lazyBuiltins(bundle.replace('var rl', 'var __require=require;var rl'))
    expect(count).toBe(3)
    const dir = mkdtempSync(join(tmpdir(), 'aco-lazy-'))
    writeFileSync(join(dir, 'b.mjs'), text)
    const m = await import(pathToFileURL(join(dir, 'b.mjs')).href)
    const require = createRequire(import.meta.url)
    expect(m.cp.execFileSync).toBe(require('node:child_process').execFileSync)
    expect(m.rl.createInterface).toBe(require('node:readline').createInterface)
    expect(m.ph.performance).toBe(require('node:perf_hooks').performance)
    expect(Object.keys(m.cp)).toEqual(Object.keys(require('node:child_process')))
    expect(m.cp.__esModule).toBeUndefined()
  })

  it('lazyTinyglobby: the module loads at the first glob, and is the module itself', () => {
    const text = lazyTinyglobby(
      'const tinyglobby_1 = require("tinyglobby");\nmodule.exports = () => (0, tinyglobby_1.glob)(["*.json"], {cwd: process.cwd()});',
    )
    const loaded: string[] = []
    const require = (name: string): unknown => {
      loaded.push(name)
      return {glob: (patterns: string[]) => patterns}
    }
    const module = {exports: undefined as unknown}
    new Function('require', 'module', text!)(require, module)
    expect(loaded).toEqual([])
    expect((module.exports as () => string[])()).toEqual(['*.json'])
    expect(loaded).toEqual(['tinyglobby'])
  })

  it('lazyModelsCatalog: the providers read back are the catalog, models parsed when first read', () => {
    const catalog = [
      {id: 'a', name: 'A', models: [{id: 'm1', prices: {input_mtok: 1}}]},
      {id: 'b', models: [], extra: {x: [1, 2]}},
    ]
    const lazy = lazyModelsCatalog(catalog, 'JSON.parse(text)')!
    const back = new Function('text', `return ${lazy.expression}`)(lazy.json) as typeof catalog
    expect(JSON.stringify(back)).toBe(JSON.stringify(catalog))
    expect(back[0]!.models[0]!.id).toBe('m1')
    back[1]!.models = [{id: 'set', prices: {input_mtok: 2}}]
    expect(back[1]!.models[0]!.id).toBe('set')
    expect(lazyModelsCatalog([{id: 'no models'}], 'x')).toBeUndefined()
  })
})
