/**
 * The bundles (scripts/bundle.js) patch a few dependencies to start faster
 * (scripts/bundle-patches.js): their behaviour must be the libraries' own. The
 * bundled price catalog prices every catalog model as the catalog itself does
 * (its data read as JSON, its key sorts without ICU), and the bundled text
 * widths (string-width set up at its first call) are string-width's.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {Tokens} from '../../src/card/types.js'
import {PriceBook} from '../../src/price/book.js'
import {textWidth} from '../../src/util/width.js'
import {root} from '../helpers.js'

const chunks = join(root, 'dist', 'bundle', 'chunks')
const built = existsSync(chunks)

/** The bundled chunk that defines and exports `name` (a chunk's name is a hash; the chunks are CommonJS). */
function chunkWith(name: string, definition: RegExp): Record<string, unknown> {
  const file = readdirSync(chunks).find(f => {
    if (!f.endsWith('.js')) return false
    const text = readFileSync(join(chunks, f), 'utf8')
    return definition.test(text) && new RegExp(`module\\.exports=\\{[^}]*\\b${name}\\b`).test(text)
  })
  if (!file) throw new Error(`no bundled chunk defines ${name}`)
  return createRequire(import.meta.url)(join(chunks, file)) as Record<string, unknown>
}

/** The environment a user's shell gives: without the test runner's NODE_ENV=test (under which oclif looks for TypeScript sources). */
function userEnv(): NodeJS.ProcessEnv {
  const env = {...process.env}
  delete env.NODE_ENV
  delete env.VITEST
  return env
}

describe.skipIf(!built)('the bundles behave as the libraries they patch', () => {
  it('prices every catalog model as the unbundled catalog does', async () => {
    const bundled = chunkWith('PriceBook', /\bPriceBook=class\b/)
    const Bundled = bundled.PriceBook as typeof PriceBook
    // The bundled catalog's providers, each one's models a JSON text of its own (parsed when first read).
    const catalog = JSON.parse(readFileSync(join(root, 'dist', 'bundle', 'genai-prices.json'), 'utf8')) as Array<{
      id: string
      models: string
    }>
    const ours = new PriceBook()
    const theirs = new Bundled()
    const tokens: Tokens = {
      input: 1234,
      output: 567,
      cacheRead: 89_000,
      cacheWrite: 4321,
      cacheWrite1h: 1000,
      reasoning: 12,
    }
    let priced = 0
    for (const provider of catalog) {
      for (const model of JSON.parse(provider.models) as Array<{id: string}>) {
        for (const hint of [provider.id, undefined]) {
          const a = ours.resolve(model.id, hint)
          expect(theirs.resolve(model.id, hint), `${provider.id} ${model.id}`).toEqual(a)
          if ('periods' in a) {
            priced++
            for (const at of [undefined, '2024-06-01T12:00:00Z', '2026-01-01T03:00:00Z'])
              expect(theirs.cost(a, tokens, at)).toBe(ours.cost(a, tokens, at))
          }
        }
      }
    }
    expect(priced).toBeGreaterThan(1000)
  })

  it('measures text as string-width does', async () => {
    const bundled = chunkWith('textWidth', /\bfunction textWidth\(/)
    const width = bundled.textWidth as typeof textWidth
    const texts = [
      'plain',
      '日本語のテキスト',
      'emoji 👍🏽 and 👨‍👩‍👧',
      'e\u0301 combining',
      '\u001b[31mred\u001b[0m',
      '한국어',
      '１２３',
      '',
    ]
    for (const t of texts) expect(width(t), JSON.stringify(t)).toBe(textWidth(t))
  })

  it("a small analysis loads none of node's zlib, v8 and worker_threads, nor semver (each waits for the runs that use it)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-loads-'))
    const preload = join(dir, 'loads.cjs')
    writeFileSync(
      preload,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.ACO_LOADS, process.moduleLoadList.join('\\n')))",
    )
    const loads = join(dir, 'loads.txt')
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        preload,
        join(root, 'bin', 'run.js'),
        'analyze',
        join(root, 'fixtures', 'claude-code', 'split-blocks.jsonl'),
        '--no-cache',
        '--json',
      ],
      {encoding: 'utf8', env: {...userEnv(), ACO_LOADS: loads, XDG_CACHE_HOME: dir}},
    )
    expect(run.status).toBe(0)
    const modules = readFileSync(loads, 'utf8').split('\n')
    expect(modules).toContain('NativeModule fs')
    for (const name of ['zlib', 'v8', 'worker_threads']) expect(modules).not.toContain(`NativeModule ${name}`)
    expect(readFileSync(join(root, 'dist', 'bundle', 'oclif.js'), 'utf8')).not.toContain('node_modules/semver/')
  })
})
