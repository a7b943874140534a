/**
 * The cache of per-unit results: the same output with and without it (to the
 * byte), only changed files read again, safe when runs overlap, bounded.
 */
import {
  existsSync,
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {cacheDir, statesFrom, trimCache} from '../../src/analyze/cache.js'
import {runAnalyze, type RunAnalyzeOptions} from '../../src/services/analyze.js'
import {corpusDir, fixture, hasCorpus, skipNoCorpus} from '../helpers.js'

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

/** The cache's entries: units' results, files' reading states and whole runs' results. */
function entries(dir: string, kinds = ['units', 'states', 'runs']): string[] {
  return kinds.flatMap(kind => {
    const d = join(dir, 'aco', kind)
    try {
      return readdirSync(d).flatMap(s => readdirSync(join(d, s)))
    } catch {
      return []
    }
  })
}

describe('the cache', () => {
  it('gives the bytes a run without it gives, from the first run and from the cache', async () => {
    const home = join(tmp, 'a')
    // A copy, written now: reading states are kept of recent files only, and a clone's files may be older.
    const paths = [join(tmp, 'a-fixtures')]
    cpSync(fixture(''), paths[0]!, {recursive: true})
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
    // Its owner's alone: entries hold what the logs hold.
    for (const kind of ['units', 'states', 'runs']) {
      const d = join(home, 'aco', kind)
      for (const slot of readdirSync(d)) {
        expect(statSync(join(d, slot)).mode & 0o777, `${kind}/${slot}`).toBe(0o700)
        for (const f of readdirSync(join(d, slot))) expect(statSync(join(d, slot, f)).mode & 0o777).toBe(0o600)
      }
    }
  })

  it('takes a second run over unchanged logs whole from the run before, and only then', async () => {
    const home = join(tmp, 'memo')
    const dir = join(tmp, 'logs-memo')
    cpSync(fixture('claude-code'), dir, {recursive: true})
    const first = await runAnalyze(options([dir], home, {by: 'day'}))
    expect(entries(home, ['runs'])).toHaveLength(1)
    // The units' entries gone, the run's result still stands for the unchanged logs; it says all came from the cache.
    rmSync(join(home, 'aco', 'units'), {recursive: true})
    const second = await runAnalyze(options([dir], home, {by: 'day'}))
    expect(printed(second.result)).toBe(printed(first.result))
    expect(second.cache).toMatchObject({hits: first.cache!.misses, misses: 0, resumed: 0})
    // Other options are another run: not this one's result.
    const byModel = await runAnalyze(options([dir], home, {by: 'model'}))
    expect(byModel.cache!.misses).toBe(first.cache!.misses)
    expect(printed(byModel.result)).toBe(
      printed((await runAnalyze(options([dir], home, {by: 'model', cache: false}))).result),
    )
    expect(entries(home, ['runs'])).toHaveLength(2)
    // A file grown, a file added: the units are summed again, to the bytes of a run without the cache.
    const session = join(dir, readdirSync(dir).find(f => f.endsWith('.jsonl'))!)
    appendFileSync(
      session,
      '{"type":"user","message":{"role":"user","content":"one more"},"timestamp":"2026-11-30T10:00:00Z"}\n',
    )
    cpSync(fixture('codex'), join(dir, 'codex'), {recursive: true})
    const grown = await runAnalyze(options([dir], home, {by: 'day'}))
    expect(grown.cache!.misses).toBeGreaterThan(1)
    // The same question of grown logs: its one entry is replaced, not joined by another.
    expect(entries(home, ['runs'])).toHaveLength(2)
    const none = await runAnalyze(options([dir], home, {by: 'day', cache: false}))
    expect(printed(grown.result)).toBe(printed(none.result))
    expect(printed(grown.result)).not.toBe(printed(first.result))
    // A damaged run entry is no result: the units are summed again.
    for (const name of entries(home, ['runs'])) {
      const shard = readdirSync(join(home, 'aco', 'runs')).find(s =>
        readdirSync(join(home, 'aco', 'runs', s)).includes(name),
      )!
      writeFileSync(join(home, 'aco', 'runs', shard, name), 'not an entry')
    }
    const again = await runAnalyze(options([dir], home, {by: 'day'}))
    expect(printed(again.result)).toBe(printed(none.result))
    expect(again.cache).toMatchObject({misses: 0})
  })

  it("keeps the units' entries of a run taken whole from the cache as recently used as the run's", async () => {
    const home = join(tmp, 'memo-used')
    const paths = [fixture('claude-code')]
    await runAnalyze(options(paths, home))
    const all = (kind: string): string[] =>
      readdirSync(join(home, 'aco', kind)).flatMap(s =>
        readdirSync(join(home, 'aco', kind, s)).map(n => join(home, 'aco', kind, s, n)),
      )
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000)
    for (const path of [...all('units'), ...all('runs')]) utimesSync(path, twoHoursAgo, twoHoursAgo)
    const second = await runAnalyze(options(paths, home))
    expect(second.cache!.misses).toBe(0)
    for (const path of [...all('units'), ...all('runs')])
      expect(statSync(path).mtimeMs).toBeGreaterThan(Date.now() - 60_000)
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

  it('reads a file again that was rewritten to its size and given back its modification time (trial 108)', async () => {
    const home = join(tmp, 'b2')
    const dir = join(tmp, 'logs-b2')
    mkdirSync(dir)
    const session = join(dir, 's.jsonl')
    const text = readFileSync(fixture('claude-code/unknown-model.jsonl'), 'utf8')
    const changed = text.replace(/"output_tokens": ?(\d)/, (m, d: string) => m.replace(d, String((Number(d) + 1) % 10)))
    expect(changed).not.toBe(text)
    expect(changed.length).toBe(text.length)
    writeFileSync(session, text)
    // (A whole second: an mtime read back from stat keeps nanoseconds a Date cannot give back.)
    const mtime = new Date('2026-01-02T03:04:05Z')
    utimesSync(session, mtime, mtime)
    const before = printed((await runAnalyze(options([dir], home))).result)
    // (A later change time than the first run's stat saw.)
    await new Promise(r => setTimeout(r, 20))
    writeFileSync(session, changed)
    utimesSync(session, mtime, mtime)
    expect(statSync(session).mtimeMs).toBe(mtime.getTime())
    const after = await runAnalyze(options([dir], home))
    expect(after.cache).toMatchObject({misses: 1})
    expect(printed(after.result)).not.toBe(before)
    expect(printed(after.result)).toBe(printed((await runAnalyze(options([dir], home, {cache: false}))).result))
  })

  it("reads a Cline task again when its UI messages change, which its history's calls take their usage from", async () => {
    const home = join(tmp, 'cline')
    const dir = join(tmp, 'logs-cline')
    cpSync(fixture('cline/roo-task-usage-in-ui'), join(dir, 'task'), {recursive: true})
    const first = await runAnalyze(options([dir], home))
    const ui = join(dir, 'task', 'ui_messages.json')
    writeFileSync(ui, readFileSync(ui, 'utf8').replace('\\"tokensIn\\": 5012', '\\"tokensIn\\": 6012'))
    const later = new Date(statSync(ui).mtimeMs + 5000)
    utimesSync(ui, later, later)
    const changed = await runAnalyze(options([dir], home))
    expect(changed.result.totals.tokens.input).toBe(first.result.totals.tokens.input + 1000)
    // And where the history is named alone (review 93).
    const history = join(dir, 'task', 'api_conversation_history.json')
    const named = await runAnalyze(options([history], home))
    writeFileSync(ui, readFileSync(ui, 'utf8').replace('\\"tokensIn\\": 6012', '\\"tokensIn\\": 7012'))
    const laterStill = new Date(statSync(ui).mtimeMs + 5000)
    utimesSync(ui, laterStill, laterStill)
    const again = await runAnalyze(options([history], home))
    expect(again.result.totals.tokens.input).toBe(named.result.totals.tokens.input + 1000)
  })

  it('reads trajectories again when a file their reader looks for beside them appears or changes (a SWE-bench report written after a first run)', async () => {
    const home = join(tmp, 'swe')
    const dir = join(tmp, 'logs-swe')
    mkdirSync(dir, {recursive: true})
    cpSync(fixture('mini-swe-agent/toolcall-2x/acme__widgets-56.traj.json'), join(dir, 'acme__widgets-56.traj.json'))
    const outcome = async (extra: Partial<RunAnalyzeOptions>): Promise<unknown> => {
      const out = mkdtempSync(join(tmp, 'swe-out-'))
      await runAnalyze(options([dir], home, {...extra, outDir: out}))
      return JSON.parse(readFileSync(join(out, 'cards.ndjson'), 'utf8').split('\n')[0]!).task.outcome
    }
    expect(await outcome({})).not.toHaveProperty('resolved')
    // The whole run's result kept too (a run without --out keeps it), to be refused as well.
    await runAnalyze(options([dir], home))
    cpSync(fixture('mini-swe-agent/toolcall-2x/report.json'), join(dir, 'report.json'))
    expect(await outcome({})).toMatchObject({resolved: false, source: 'SWE-bench report.json'})
    expect(await outcome({})).toEqual(await outcome({cache: false}))
    // Named alone, the trajectory's unit and the run's key are as before: the report it read is what changed.
    const traj = join(dir, 'acme__widgets-56.traj.json')
    await runAnalyze(options([traj], home))
    const before = await runAnalyze(options([traj], home))
    writeFileSync(
      join(dir, 'report.json'),
      readFileSync(join(dir, 'report.json'), 'utf8').replace('"resolved": false', '"resolved": true'),
    )
    const after = await runAnalyze(options([traj], home))
    expect(after.cache).toMatchObject({misses: 1})
    expect(before.cache).toMatchObject({misses: 0})
  })

  it("reads a file again whose reading as a companion depended on one beside it that came or went (review 95: a Cline task's UI messages, an aider LLM log)", async () => {
    const home = join(tmp, 'companions')
    const dir = join(tmp, 'logs-companions')
    const task = join(dir, 'task')
    cpSync(fixture('cline/roo-task-usage-in-ui'), task, {recursive: true})
    cpSync(fixture('aider/calls.aider.llm.history'), join(dir, 'x.aider.llm.history'))
    const fresh = async () => printed((await runAnalyze(options([dir], home, {cache: false}))).result)
    const cached = async () => printed((await runAnalyze(options([dir], home))).result)
    await cached()
    // The history goes: the UI messages are the task now.
    rmSync(join(task, 'api_conversation_history.json'))
    expect(await cached()).toBe(await fresh())
    // It comes back, and the aider chat history beside the LLM log comes: each is the trace, its companion not.
    cpSync(
      fixture('cline/roo-task-usage-in-ui/api_conversation_history.json'),
      join(task, 'api_conversation_history.json'),
    )
    cpSync(fixture('aider/cache-write-and-hit.aider.chat.history.md'), join(dir, 'x.aider.chat.history.md'))
    expect(await cached()).toBe(await fresh())
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

  it('reads a damaged entry again from the trace: a bit flipped inside any entry is a miss, never a result read wrong', async () => {
    const home = join(tmp, 'damaged')
    const paths = [fixture('')]
    const none = await runAnalyze(options(paths, home, {cache: false, by: 'day'}))
    const first = await runAnalyze(options(paths, home, {by: 'day'}))
    // One bit flipped three quarters into every unit's and run's entry (what v8 reads back from such bytes may be
    // a value, a wrong one: trial 31 saw a crash, files skipped, and a token count turned null).
    let flipped = 0
    for (const kind of ['units', 'runs']) {
      const d = join(home, 'aco', kind)
      for (const slot of readdirSync(d))
        for (const f of readdirSync(join(d, slot))) {
          const path = join(d, slot, f)
          const bytes = readFileSync(path)
          bytes[Math.floor((bytes.length * 3) / 4)]! ^= 0x10
          writeFileSync(path, bytes)
          flipped++
        }
    }
    expect(flipped).toBeGreaterThan(first.cache!.misses)
    const again = await runAnalyze(options(paths, home, {by: 'day'}))
    expect(again.cache!.hits).toBe(0)
    expect(printed(again.result)).toBe(printed(none.result))
    // Read again, kept again: the run after takes them from the cache.
    const after = await runAnalyze(options(paths, home, {by: 'day'}))
    expect(after.cache!.misses).toBe(0)
    expect(printed(after.result)).toBe(printed(none.result))
  })

  it('is trimmed to its bound after runs that add only their whole results (trial 108: windows over unchanged logs)', async () => {
    const home = join(tmp, 'e2')
    const size = (): number =>
      ['units', 'states', 'runs']
        .flatMap(kind => {
          const d = join(home, 'aco', kind)
          return existsSync(d) ? readdirSync(d).flatMap(sub => readdirSync(join(d, sub)).map(f => join(d, sub, f))) : []
        })
        .reduce((n, f) => n + statSync(f).size, 0)
    await runAnalyze(options([fixture('claude-code')], home))
    const bound = Math.ceil(size() * 1.3)
    const env = {XDG_CACHE_HOME: home, ACO_CACHE_MAX_MB: String(bound / (1024 * 1024))}
    for (let day = 1; day <= 8; day++) {
      await runAnalyze(options([fixture('claude-code')], home, {env, since: `2025-0${1 + (day % 9)}-0${day}`}))
      expect(size(), `after window ${day}`).toBeLessThanOrEqual(bound)
    }
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

describe('reading states, which only let a growing session be read on', () => {
  const MB = 1024 * 1024

  it("are kept of a run's newest files only, up to a quarter of the cache's bound, and of the newest whatever its size", () => {
    const files = [
      {size: 60 * MB, mtimeMs: 5_000},
      {size: 60 * MB, mtimeMs: 4_000},
      {size: 60 * MB, mtimeMs: 3_000},
      {size: 1, mtimeMs: 1_000},
    ]
    // A 512 MB bound: 128 MB of the newest files. The two newest fit (120 MB), the third would not.
    expect(statesFrom(files, 512 * MB)).toBe(4_000)
    expect(statesFrom(files.slice(0, 2), 512 * MB)).toBe(Number.NEGATIVE_INFINITY)
    // The newest session alone over the budget still keeps its state; files as new as the last one kept do too.
    expect(statesFrom([{size: 200 * MB, mtimeMs: 9_000}, ...files], 512 * MB)).toBe(9_000)
    expect(statesFrom([...files, {size: 60 * MB, mtimeMs: 4_000}], 512 * MB)).toBe(4_000)
  })

  it('are kept of the newest session alone when the bound leaves room for no more (ACO_CACHE_MAX_MB)', async () => {
    const home = join(tmp, 'newest-only-home')
    const dir = join(tmp, 'newest-only-logs')
    mkdirSync(dir, {recursive: true})
    const sources = {
      newer: fixture('claude-code/split-blocks.jsonl'),
      older: fixture('claude-code/inline-sidechain.jsonl'),
    }
    const cut = (name: keyof typeof sources, share: number, mtime: number): void => {
      const whole = readFileSync(sources[name])
      writeFileSync(join(dir, `${name}.jsonl`), whole.subarray(0, Math.floor(whole.length * share)))
      utimesSync(join(dir, `${name}.jsonl`), mtime, mtime)
    }
    const now = Date.now() / 1000
    cut('newer', 0.6, now)
    cut('older', 0.6, now - 3600)
    // A 16 KB bound: 4 KB of the newest files, which the two sessions cut (3.2 and 2.5 KB) go over.
    const small = {XDG_CACHE_HOME: home, ACO_CACHE_MAX_MB: String(16 / 1024)}
    await runAnalyze(options([dir], home, {env: small}))
    expect(entries(home, ['states'])).toHaveLength(1)
    cut('newer', 1, now + 60)
    cut('older', 1, now - 3000)
    const warm = await runAnalyze(options([dir], home, {env: small}))
    expect(warm.cache).toMatchObject({misses: 2, resumed: 1})
    expect(printed(warm.result)).toBe(printed((await runAnalyze(options([dir], home, {cache: false}))).result))
  })

  /** Entries of `kind` in a cache at `dir`, `bytes` long and last used at `used` (seconds). */
  function fakeEntries(dir: string, kind: string, list: Array<{bytes: number; used: number}>): void {
    mkdirSync(join(dir, kind, 'ab'), {recursive: true})
    list.forEach(({bytes, used}, i) => {
      const path = join(dir, kind, 'ab', `${kind}-${used}-${i}.bin`)
      writeFileSync(path, Buffer.alloc(bytes))
      utimesSync(path, used, used)
    })
  }
  const names = (dir: string, kind: string): string[] => readdirSync(join(dir, kind, 'ab')).sort()

  it("go first when they hold over half the cache's bound: the least recently used, and no file's entry before them", async () => {
    const dir = join(tmp, 'trim-states-first')
    fakeEntries(dir, 'units', [
      {bytes: 100, used: 1_000},
      {bytes: 100, used: 2_000},
      {bytes: 100, used: 3_000},
    ])
    fakeEntries(dir, 'states', [
      {bytes: 200, used: 500},
      {bytes: 200, used: 1_500},
      {bytes: 200, used: 2_500},
      {bytes: 200, used: 3_500},
      {bytes: 200, used: 4_500},
    ])
    // 1,300 bytes over a bound of 1,000 (to 800): the three oldest states go, every unit stays.
    const trimmed = await trimCache(dir, 1_000)
    expect(trimmed).toMatchObject({removed: 3, bytes: 700})
    expect(names(dir, 'units')).toHaveLength(3)
    expect(names(dir, 'states')).toEqual(['states-3500-3.bin', 'states-4500-4.bin'])
  })

  it('are trimmed with the rest, least recently used first, when they hold less than half of it', async () => {
    const dir = join(tmp, 'trim-states-lru')
    fakeEntries(
      dir,
      'units',
      [1_000, 2_000, 3_000, 4_000, 5_000].map(used => ({bytes: 200, used})),
    )
    // The state the last run wrote, of the session being written now.
    fakeEntries(dir, 'states', [{bytes: 100, used: 6_000}])
    const trimmed = await trimCache(dir, 900)
    expect(trimmed).toMatchObject({removed: 2, bytes: 700})
    expect(names(dir, 'units')).toEqual(['units-3000-2.bin', 'units-4000-3.bin', 'units-5000-4.bin'])
    expect(names(dir, 'states')).toEqual(['states-6000-0.bin'])
  })
})

describe('the cache reads an appended session on from where the last run stopped', () => {
  /** Copies `from` to `to` with every .jsonl file cut to `share` of its bytes (mid-line, as a session being written is). */
  function cutCopy(from: string, to: string, share: number): string[] {
    cpSync(from, to, {recursive: true})
    const files: string[] = []
    const visit = (dir: string): void => {
      for (const e of readdirSync(dir, {withFileTypes: true})) {
        const p = join(dir, e.name)
        if (e.isDirectory()) visit(p)
        else if (e.name.endsWith('.jsonl')) {
          const bytes = readFileSync(p)
          writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length * share)))
          files.push(p)
        }
      }
    }
    visit(to)
    return files
  }

  /** Grows every cut file back to its original, then compares a run from the cache with one without it. */
  async function growAndCompare(name: string, source: string, shares: number[]): Promise<number> {
    let resumed = 0
    for (const share of shares) {
      const home = join(tmp, `${name}-home-${share}`)
      const dir = join(tmp, `${name}-logs-${share}`)
      const files = cutCopy(source, dir, share)
      await runAnalyze(options([dir], home))
      // Grown in two steps: half of what is missing (again mid-line), then the rest.
      for (const step of [0.5, 1]) {
        for (const f of files) {
          const whole = readFileSync(join(source, relative(dir, f)))
          const have = statSync(f).size
          appendFileSync(f, whole.subarray(have, have + Math.ceil((whole.length - have) * step)))
        }
        const warm = await runAnalyze(options([dir], home))
        const cold = await runAnalyze(options([dir], home, {cache: false}))
        expect(printed(warm.result), `${name} cut at ${share}, grown ${step}`).toBe(printed(cold.result))
        resumed += warm.cache!.resumed
      }
    }
    return resumed
  }

  it('gives the bytes of a run without the cache: sidechains, subagents, progress records, placeholders', async () => {
    const resumed = await growAndCompare('fixtures', fixture('claude-code'), [0.3, 0.6, 0.9])
    expect(resumed).toBeGreaterThan(10)
  })

  it.skipIf(!hasCorpus)('over the real Claude Code sessions of the corpus', async () => {
    const resumed = await growAndCompare('corpus', join(corpusDir, 'claude-code'), [0.25, 0.7])
    expect(resumed).toBeGreaterThan(10)
  })
  it.runIf(!hasCorpus)(skipNoCorpus, () => {})

  it('reads a file whole again when it was rewritten, not appended to', async () => {
    const home = join(tmp, 'rewritten-home')
    const dir = join(tmp, 'rewritten-logs')
    mkdirSync(dir, {recursive: true})
    const file = join(dir, 's.jsonl')
    const whole = readFileSync(fixture('claude-code/split-blocks.jsonl'), 'utf8')
    writeFileSync(file, whole.slice(0, Math.floor(whole.length * 0.6)))
    await runAnalyze(options([dir], home))
    // The same bytes but one changed early on, and more after: not the file the state was taken of.
    writeFileSync(file, whole.replace('"type":"assistant"', '"type": "assistant"'))
    const warm = await runAnalyze(options([dir], home))
    expect(warm.cache).toMatchObject({misses: 1, resumed: 0})
    expect(printed(warm.result)).toBe(printed((await runAnalyze(options([dir], home, {cache: false}))).result))
  })

  it('keeps a compaction read before the cut for the call after it (its context starts anew)', async () => {
    const home = join(tmp, 'compacted-home')
    const dir = join(tmp, 'compacted-logs')
    mkdirSync(dir, {recursive: true})
    const file = join(dir, 's.jsonl')
    // A read, the tests, Claude Code's compact_boundary (line 6) and its summary (line 7); the same read after them.
    const lines = readFileSync(fixture('waste-classes/read-again-after-compaction.jsonl'), 'utf8').split(/(?<=\n)/)
    expect(lines[5]).toContain('"compact_boundary"')
    writeFileSync(file, lines.slice(0, 7).join(''))
    await runAnalyze(options([dir], home))
    appendFileSync(file, lines.slice(7).join(''))
    const warm = await runAnalyze(options([dir], home))
    const cold = await runAnalyze(options([dir], home, {cache: false}))
    expect(warm.cache).toMatchObject({misses: 1, resumed: 1})
    expect(printed(warm.result)).toBe(printed(cold.result))
    expect(printed(warm.result)).not.toContain('reread-unchanged')
  })
})

describe('where the cache lives', () => {
  it('is $XDG_CACHE_HOME/aco when that is an absolute path, else ~/.cache/aco (a relative one is ignored, as XDG says)', () => {
    expect(cacheDir('/home/ana', {XDG_CACHE_HOME: '/var/cache/ana'})).toBe('/var/cache/ana/aco')
    expect(cacheDir('/home/ana', {})).toBe('/home/ana/.cache/aco')
    expect(cacheDir('/home/ana', {XDG_CACHE_HOME: ''})).toBe('/home/ana/.cache/aco')
    expect(cacheDir('/home/ana', {XDG_CACHE_HOME: 'cache'})).toBe('/home/ana/.cache/aco')
    expect(cacheDir('/home/ana', {XDG_CACHE_HOME: './.cache'})).toBe('/home/ana/.cache/aco')
  })
})

describe('a cache folder that cannot be written', () => {
  it('is said in a note (trial 120: every run read every file again, silently); the figures are those of a run without it', async () => {
    const home = mkdtempSync(join(tmp, 'unwritable-'))
    // (aco's folder is a file: refused whoever runs the test, root included.)
    writeFileSync(join(home, 'aco'), 'not a folder')
    const run = await runAnalyze(options([fixture('claude-code')], home))
    expect(run.notes?.join('\n')).toMatch(
      /^the cache .*aco could not be written \(ENOTDIR: not a directory\): the results it could not keep are read again on the next run/m,
    )
    const plain = await runAnalyze(options([fixture('claude-code')], home, {cache: false}))
    expect(plain.notes).toBeUndefined()
    expect(printed(run.result)).toBe(printed(plain.result))
  })
})
