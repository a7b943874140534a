/**
 * `aco analyze --shard i/n` + `aco merge`: the merged result is the single
 * run's, to the byte, for n = 1, 2 and 7, over the fixtures (many folders,
 * many formats) and the real corpus; with --by and --since too.
 */
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {mergeResults} from '../../src/analyze/merge.js'
import type {AnalyzeResult} from '../../src/analyze/result.js'
import {runAnalyze, type RunAnalyzeOptions} from '../../src/services/analyze.js'
import {validator} from '../../src/util/schemas.js'
import {corpusDir, fixture, hasCorpus, skipNoCorpus} from '../helpers.js'

const base = (paths: string[]): RunAnalyzeOptions => ({
  paths,
  redact: true,
  home: '/nonexistent',
  env: {},
  // (No cache: it would be made under the home given, a folder that must not be written.)
  cache: false,
  version: 'test',
  now: () => new Date(0),
  threads: 1,
})

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

/** A prices file that overrides one model's price. */
function pricesFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aco-merge-prices-'))
  dirs.push(dir)
  const path = join(dir, 'prices.json')
  writeFileSync(path, JSON.stringify({models: [{model: 'claude-opus-4-6', prices: {input_mtok: 1, output_mtok: 2}}]}))
  return path
}

/** What `--json` prints. */
const printed = (r: AnalyzeResult): string => `${JSON.stringify(r, null, 2)}\n`

async function shards(options: RunAnalyzeOptions, n: number): Promise<AnalyzeResult[]> {
  const out: AnalyzeResult[] = []
  for (let i = 1; i <= n; i++) out.push((await runAnalyze({...options, shard: `${i}/${n}`})).result)
  return out
}

async function expectMergeIdentical(options: RunAnalyzeOptions, ns: number[]): Promise<void> {
  const single = printed((await runAnalyze(options)).result)
  const validate = validator('analyze-result')
  for (const n of ns) {
    const parts = await shards(options, n)
    for (const p of parts) expect(validate(p), JSON.stringify(validate.errors)).toBe(true)
    // The parts really split the work (more than one holds traces when n > 1 and there are several folders).
    if (n > 1) expect(parts.filter(p => p.files.read > 0).length).toBeGreaterThan(1)
    const {result, overlaps} = mergeResults(parts)
    expect(overlaps).toEqual([])
    expect(printed(result), `n = ${n}`).toBe(single)
  }
}

// resumed-session/ holds a copy of a claude-code/ session, and codex/backup-copy/ one Codex session in three
// folders: folders that share a trace (see the last test), which stay in one shard only where the cut happens to
// fall. outcomes/ holds runs of the same SWE-bench instances by three models, one folder each: their trace ids (the
// instance ids) repeat across folders, which a single run tells apart (id~2) and aco merge can only name.
// review12b/missing-path-after-cd-windows.jsonl is review12's missing-path-after-cd.jsonl with another working folder:
// the same responses, which a single run counts once and shards cut between the two folders count twice.
const folders = readdirSync(fixture(''))
  .filter(f => f !== 'resumed-session' && f !== 'outcomes' && f !== 'review12b')
  .flatMap(f =>
    f === 'codex'
      ? readdirSync(fixture(f))
          .filter(g => g !== 'backup-copy')
          .map(g => fixture(`${f}/${g}`))
      : [fixture(f)],
  )

describe('shards merged = one run', () => {
  it('over the fixtures, n = 1, 2, 7, by day', async () => {
    await expectMergeIdentical({...base(folders), by: 'day', tz: 'Europe/Berlin'}, [1, 2, 7])
  })

  it.skipIf(!hasCorpus)('over the real corpus, n = 1, 2, 7, by model, with a window', async () => {
    await expectMergeIdentical({...base([corpusDir]), by: 'model', since: '2025-01-01', until: '2026-06-30'}, [1, 2, 7])
  })
  it.runIf(!hasCorpus)(skipNoCorpus, () => {})

  it('with the cache: a part whose own files did not change is no part of the run before when another part changed (trial 108)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-merge-cache-'))
    dirs.push(dir)
    const [a, b] = [join(dir, 'logs', 'a'), join(dir, 'logs', 'b')]
    mkdirSync(a, {recursive: true})
    mkdirSync(b, {recursive: true})
    const lines = readFileSync(fixture('waste/duplicate-call.jsonl'), 'utf8').trimEnd().split('\n')
    const half = Math.floor(lines.length / 2)
    writeFileSync(join(a, 's1.jsonl'), `${lines.slice(0, half).join('\n')}\n`)
    cpSync(fixture('claude-code/unknown-model.jsonl'), join(b, 's2.jsonl'))
    const options: RunAnalyzeOptions = {
      ...base([join(dir, 'logs')]),
      cache: true,
      env: {XDG_CACHE_HOME: join(dir, 'cache')},
    }
    const round = async (): Promise<void> => {
      const parts = await shards(options, 2)
      expect(parts.every(p => p.files.read > 0)).toBe(true)
      const {result} = mergeResults(parts)
      expect(printed(result)).toBe(printed((await runAnalyze({...options, cache: false})).result))
    }
    await round()
    // The session in part 1 grows; part 2's file is as it was.
    writeFileSync(join(a, 's1.jsonl'), `${lines.join('\n')}\n`)
    await round()
  })

  it('refuses parts of different runs, a part given twice, a part missing', async () => {
    const parts = await shards(base([fixture('claude-code'), fixture('codex')]), 2)
    expect(() => mergeResults([parts[0]!, parts[0]!])).toThrow(/given twice/)
    expect(() => mergeResults([parts[1]!])).toThrow(/1 of 2 missing/)
    const other = (await runAnalyze({...base([fixture('codex')]), shard: '1/3'})).result
    expect(() => mergeResults([parts[0]!, other])).toThrow(/different runs/)
    // Two whole runs: no part of one (trial 120: "Shard 1/1 is given twice").
    const whole = (await runAnalyze(base([fixture('codex')]))).result
    expect(() => mergeResults([whole, whole])).toThrow(/^These are results of whole runs, not parts of one/)
    const byDay = (await runAnalyze({...base([fixture('claude-code'), fixture('codex')]), shard: '2/2', by: 'day'}))
      .result
    expect(() => mergeResults([parts[0]!, byDay])).toThrow(
      /shard 2\/2 differs from shard 1\/2 in --by \(none against day\)\.$/,
    )
    // A window on one part alone: said as the window, not as a zone and files it made differ (trial 108).
    const since = (
      await runAnalyze({...base([fixture('claude-code'), fixture('codex')]), shard: '2/2', since: '2020-01-01'})
    ).result
    expect(() => mergeResults([parts[0]!, since])).toThrow(
      /differs from shard 1\/2 in the window \(--since, --until\)\.$/,
    )
    // Another zone, with no --by (trial 72: a Tokyo shard merged with one run without --tz, and the merged screen
    // showed dates in the machine's zone, not the shards').
    const tokyo = (
      await runAnalyze({...base([fixture('claude-code'), fixture('codex')]), shard: '2/2', tz: 'Asia/Tokyo'})
    ).result
    expect(tokyo.shard!.timeZone).toBe('Asia/Tokyo')
    expect(() => mergeResults([parts[0]!, tokyo])).toThrow(
      /differs from shard 1\/2 in --tz \(none against Asia\/Tokyo\)\.$/,
    )
    const tokyoFirst = (
      await runAnalyze({...base([fixture('claude-code'), fixture('codex')]), shard: '1/2', tz: 'Asia/Tokyo'})
    ).result
    expect(mergeResults([tokyoFirst, tokyo]).timeZone).toBe('Asia/Tokyo')
    // Both --by and --tz differ, each zone given: both named (trial 84: only --by was).
    const berlinByDay = (
      await runAnalyze({
        ...base([fixture('claude-code'), fixture('codex')]),
        shard: '2/2',
        by: 'day',
        tz: 'Europe/Berlin',
      })
    ).result
    expect(() => mergeResults([tokyoFirst, berlinByDay])).toThrow(
      /differs from shard 1\/2 in --by \(none against day\); --tz \(Asia\/Tokyo against Europe\/Berlin\)\.$/,
    )
    expect(mergeResults(parts).timeZone).toBeUndefined()
    // Settings the result does not otherwise record: other prices, a forced format, no redaction.
    const prices = (
      await runAnalyze({
        ...base([fixture('claude-code'), fixture('codex')]),
        shard: '2/2',
        pricesFile: pricesFile(),
      })
    ).result
    expect(() => mergeResults([parts[0]!, prices])).toThrow(/differs from shard 1\/2 in --prices\.$/)
    const plain = (await runAnalyze({...base([fixture('claude-code'), fixture('codex')]), shard: '2/2', redact: false}))
      .result
    expect(() => mergeResults([parts[0]!, plain])).toThrow(/differs from shard 1\/2 in --no-redact\.$/)
    // The same paths in another order cut other parts; other paths are another run (both used to merge, into a total
    // no single run gives, blaming copied sessions).
    const reordered = (await runAnalyze({...base([fixture('codex'), fixture('claude-code')]), shard: '2/2'})).result
    expect(() => mergeResults([parts[0]!, reordered])).toThrow(/in the paths named, or their order/)
    const elsewhere = (await runAnalyze({...base([fixture('aider')]), shard: '2/2'})).result
    expect(() => mergeResults([parts[0]!, elsewhere])).toThrow(/not the parts of one run/)
  })

  it("refuses parts run over different files: one added between the parts' runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-merge-files-'))
    dirs.push(dir)
    cpSync(fixture('claude-code'), join(dir, 'a'), {recursive: true})
    cpSync(fixture('codex'), join(dir, 'b'), {recursive: true})
    const first = (await runAnalyze({...base([dir]), shard: '1/2'})).result
    cpSync(fixture('aider'), join(dir, 'c'), {recursive: true})
    const second = (await runAnalyze({...base([dir]), shard: '2/2'})).result
    expect(() => mergeResults([first, second])).toThrow(
      /differs from shard 1\/2 in the files found \(added, removed or changed between the parts' runs\)\.$/,
    )
  })

  it('names a trace met in two shards (a session copied into another folder): the one case a merge cannot redo', async () => {
    const parts = await shards(base([fixture('resumed-session'), fixture('claude-code')]), 2)
    const {result, overlaps} = mergeResults(parts)
    expect(overlaps.map(o => o.id)).toContain('sess-split-0001')
    // Said in the result too, as a counted warning: the figures are not those of a single run.
    const said = result.warnings.first.filter(w => /read by shards 1 and 2/.test(w.message))
    expect(said.map(w => w.traceId)).toContain('sess-split-0001')
    const single = (await runAnalyze(base([fixture('resumed-session'), fixture('claude-code')]))).result
    expect(result.warnings.count).toBe(single.warnings.count + overlaps.length)
    expect(validator('analyze-result')(result)).toBe(true)
  })
})
