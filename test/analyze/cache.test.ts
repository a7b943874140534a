/**
 * The cache of per-unit results: the same output with and without it (to the
 * byte), only changed files read again, safe when runs overlap, bounded.
 */
import {appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {trimCache} from '../../src/analyze/cache.js'
import {runAnalyze, type RunAnalyzeOptions} from '../../src/services/analyze.js'
import {fixture} from '../helpers.js'

const tmp = mkdtempSync(join(tmpdir(), 'aco-cache-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const options = (paths: string[], cacheHome: string, extra: Partial<RunAnalyzeOptions> = {}): RunAnalyzeOptions => ({
  paths,
  redact: true,
  home: '/nonexistent',
  env: {XDG_CACHE_HOME: cacheHome},
  version: 'test',
  now: () => new Date(0),
  threads: 1,
  ...extra,
})
const printed = (v: unknown): string => JSON.stringify(v, null, 2)

function entries(dir: string): string[] {
  const units = join(dir, 'aco', 'units')
  return readdirSync(units).flatMap(s => readdirSync(join(units, s)))
}

describe('the cache', () => {
  it('gives the bytes a run without it gives, from the first run and from the cache', async () => {
    const home = join(tmp, 'a')
    const paths = [fixture('')]
    const none = await runAnalyze(options(paths, home, {cache: false, by: 'day'}))
    expect(none.cache).toBeUndefined()
    const first = await runAnalyze(options(paths, home, {by: 'day'}))
    expect(first.cache!.hits).toBe(0)
    expect(first.cache!.misses).toBeGreaterThan(10)
    expect(first.cache!.dir).toBe(join(home, 'aco'))
    const second = await runAnalyze(options(paths, home, {by: 'day'}))
    expect(second.cache!.misses).toBe(0)
    expect(second.cache!.hits).toBe(first.cache!.misses)
    expect(printed(first.result)).toBe(printed(none.result))
    expect(printed(second.result)).toBe(printed(none.result))
  })

  it('reads a file again when it grows or is touched, and only that file', async () => {
    const home = join(tmp, 'b')
    const dir = join(tmp, 'logs-b')
    cpSync(fixture('claude-code'), dir, {recursive: true})
    const first = await runAnalyze(options([dir], home))
    const session = join(dir, readdirSync(dir).find(f => f.endsWith('.jsonl'))!)
    const line = '{"type":"user","message":{"role":"user","content":"one more"},"timestamp":"2026-11-30T10:00:00Z"}\n'
    appendFileSync(session, line)
    const grown = await runAnalyze(options([dir], home))
    expect(grown.cache).toMatchObject({misses: 1, hits: first.cache!.misses - 1})
    const later = new Date(statSync(session).mtimeMs + 5000)
    utimesSync(session, later, later)
    const touched = await runAnalyze(options([dir], home))
    expect(touched.cache).toMatchObject({misses: 1})
    // And it matches a run that reads everything.
    expect(printed(touched.result)).toBe(printed((await runAnalyze(options([dir], home, {cache: false}))).result))
  })

  it('keeps options apart: a run with --no-redact does not get redacted results, nor the reverse', async () => {
    const home = join(tmp, 'c')
    const paths = [fixture('codex')]
    await runAnalyze(options(paths, home))
    const raw = await runAnalyze(options(paths, home, {redact: false}))
    expect(raw.cache!.hits).toBe(0)
  })

  it('survives runs side by side: the same output, every entry whole', async () => {
    const home = join(tmp, 'd')
    const paths = [fixture('')]
    const runs = await Promise.all([1, 2, 3].map(() => runAnalyze(options(paths, home))))
    const again = await runAnalyze(options(paths, home))
    for (const r of runs) expect(printed(r.result)).toBe(printed(again.result))
    expect(again.cache!.misses).toBe(0)
    expect(entries(home).filter(n => n.endsWith('.tmp'))).toEqual([])
  })

  it('is trimmed to its bound, the least recently used entries first', async () => {
    const home = join(tmp, 'e')
    await runAnalyze(options([fixture('')], home))
    const before = entries(home).length
    const trimmed = await trimCache(join(home, 'aco'), 20_000)
    expect(trimmed.removed).toBeGreaterThan(0)
    expect(trimmed.bytes).toBeLessThanOrEqual(16_000)
    expect(entries(home).length).toBe(before - trimmed.removed)
  })
})
