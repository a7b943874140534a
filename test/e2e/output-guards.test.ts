/**
 * The built CLI never writes its outputs over its own inputs, nor through a link planted where an output goes:
 * `aco train --out`, `aco outcomes --out` (exit 2, the input as it was).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {fixture} from '../helpers.js'
import {acoAsync as aco, oneLine} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-guards-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const env = {XDG_CACHE_HOME: join(dir, 'cache')}

describe('outputs never replace inputs (built CLI)', () => {
  it('aco train --out: an input named as one of its files, or a link where one goes, is refused', async () => {
    const out = join(dir, 'train')
    mkdirSync(out)
    // The outcome table saved as router.json in the output folder: training would have replaced it.
    const table = join(out, 'router.json')
    cpSync(fixture('routing/outcomes.jsonl'), table)
    const before = readFileSync(table, 'utf8')
    let r = await aco(['train', '--outcomes', table, '--out', out], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/Refusing to write --out .*router\.json: it is one of the inputs of this run/)
    expect(readFileSync(table, 'utf8')).toBe(before)
    // A link where evaluation.md goes: the file it points to stays as it was.
    const linked = join(dir, 'train-link')
    mkdirSync(linked)
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'keep me\n')
    symlinkSync(victim, join(linked, 'evaluation.md'))
    r = await aco(['train', '--outcomes', fixture('routing/outcomes.jsonl'), '--out', linked], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/its evaluation\.md is a symbolic link/)
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
  })

  it('aco outcomes --out: not inside a run folder read unless --force, and never over a file in one', async () => {
    const runs = join(dir, 'runs')
    cpSync(fixture('outcomes/runs'), runs, {recursive: true})
    let r = await aco(['outcomes', runs, '--out', join(runs, 'table.jsonl')], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/inside .*runs, which this run reads/)
    const report = join(runs, 'deepseek', 'report.json')
    const before = readFileSync(report, 'utf8')
    r = await aco(['outcomes', runs, '--out', report, '--force'], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/it is a file in a run folder this run reads/)
    expect(readFileSync(report, 'utf8')).toBe(before)
    r = await aco(['outcomes', runs, '--out', join(runs, 'table.jsonl'), '--force'], env)
    expect(r.status, r.stderr).toBe(0)
    // Through a link to the run folder: the same file, the same refusal.
    const linked = join(dir, 'runs-link')
    symlinkSync(runs, linked)
    r = await aco(['outcomes', linked, '--out', report, '--force'], env)
    expect(r.status, r.stderr).toBe(2)
    expect(readFileSync(report, 'utf8')).toBe(before)
  })
})

describe('aco analyze --report (built CLI)', () => {
  it('never replaces a trace a folder walk reads, --force or not; never the cards --out writes', async () => {
    const traces = join(dir, 'analyze-in')
    cpSync(fixture('codex'), traces, {recursive: true})
    const trace = join(traces, 'code-mode-cells.jsonl')
    const before = readFileSync(trace, 'utf8')
    for (const force of [[], ['--force']]) {
      const r = await aco(['analyze', traces, '--report', trace, ...force], env)
      expect(r.status, r.stderr).toBe(2)
      expect(oneLine(r.stderr)).toMatch(/it is a file this run reads as input, in .*analyze-in\./)
      expect(readFileSync(trace, 'utf8')).toBe(before)
    }
    // A new report in the folder is what --force is for; not one named like a trace, which the next run would read.
    let r = await aco(['analyze', traces, '--report', join(traces, 'report.md'), '--force'], env)
    expect(r.status, r.stderr).toBe(0)
    r = await aco(['analyze', traces, '--report', join(traces, 'report.jsonl'), '--force'], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/one the next run would read as a trace/)
    // A link in the folder, to a trace elsewhere or to any file: the walk reads it by its name there.
    const elsewhere = join(dir, 'analyze-elsewhere.jsonl')
    cpSync(trace, elsewhere)
    symlinkSync(elsewhere, join(traces, 'linked.jsonl'))
    const data = join(traces, 'data.txt')
    writeFileSync(data, 'keep me\n')
    symlinkSync('data.txt', join(traces, 'to-data.jsonl'))
    for (const [name, force] of [
      ['linked.jsonl', []],
      ['linked.jsonl', ['--force']],
      ['to-data.jsonl', ['--force']],
    ] as const) {
      r = await aco(['analyze', traces, '--report', join(traces, name), ...force], env)
      expect(r.status, `${name} ${force}`).toBe(2)
    }
    expect(readFileSync(elsewhere, 'utf8')).toBe(before)
    expect(readFileSync(data, 'utf8')).toBe('keep me\n')
    // An HTTP cassette (YAML, read by its first bytes), and the prices file the run reads.
    const cassettes = join(dir, 'analyze-cassettes')
    cpSync(fixture('cassette'), cassettes, {recursive: true})
    const yaml = join(cassettes, 'openai-chat-vcrpy.yaml')
    const cassette = readFileSync(yaml, 'utf8')
    r = await aco(['analyze', cassettes, '--report', yaml, '--force'], env)
    expect(r.status, r.stderr).toBe(2)
    expect(readFileSync(yaml, 'utf8')).toBe(cassette)
    const prices = join(dir, 'analyze-prices.json')
    writeFileSync(prices, JSON.stringify({models: [{model: 'x-local', prices: {input_mtok: 1, output_mtok: 1}}]}))
    r = await aco(['analyze', fixture('codex'), '--prices', prices, '--report', prices], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/it is one of the inputs of this run/)
    const out = join(dir, 'analyze-out')
    for (const name of ['cards.ndjson', 'cards.index.ndjson']) {
      r = await aco(['analyze', fixture('codex'), '--out', out, '--report', join(out, name)], env)
      expect(r.status, r.stderr).toBe(2)
      expect(oneLine(r.stderr)).toContain(`is the ${name} that --out`)
    }
    r = await aco(
      ['analyze', fixture('codex'), '--out', out, '--report', join(out, 'c.ndjson'), '--out-format', 'parquet'],
      env,
    )
    expect(r.status, r.stderr).toBe(0)
    r = await aco(
      ['analyze', fixture('codex'), '--out', out, '--report', join(out, 'cards.parquet'), '--out-format', 'parquet'],
      env,
    )
    expect(r.status, r.stderr).toBe(2)
    // The other format's cards of an earlier run left in the folder are said, not removed (trial 72: aco route --cards
    // of the folder would read the stale NDJSON); Parquet's two files both named.
    const mixed = join(dir, 'mixed-out')
    r = await aco(['analyze', fixture('codex'), '--out', mixed], env)
    expect(r.status, r.stderr).toBe(0)
    r = await aco(['analyze', fixture('codex'), '--out', mixed, '--out-format', 'parquet'], env)
    expect(r.status, r.stderr).toBe(0)
    expect(oneLine(r.stderr)).toMatch(/to \S+cards\.parquet and their steps to \S+steps\.parquet/)
    expect(oneLine(r.stderr)).toMatch(
      /Note: \S+mixed-out also holds cards\.ndjson and cards\.index\.ndjson of an earlier run \(--out-format ndjson\)/,
    )
    expect(existsSync(join(mixed, 'cards.ndjson'))).toBe(true)
  })

  it('never writes a chart through a link in its assets folder, nor where the folder is not one (exit 2, nothing written)', async () => {
    const traces = join(dir, 'charts-in')
    cpSync(fixture('codex'), traces, {recursive: true})
    const trace = join(traces, 'code-mode-cells.jsonl')
    const before = readFileSync(trace, 'utf8')
    const victim = join(dir, 'charts-victim.txt')
    writeFileSync(victim, 'keep me\n')
    // A link where a chart goes: to a trace read, to another file; the folder itself a file, a link to nothing.
    const cases: Array<[string, (assets: string) => void, RegExp]> = [
      [
        'to-trace',
        a => {
          mkdirSync(a)
          symlinkSync(trace, join(a, 'trace-1.svg'))
        },
        /its trace-1\.svg is a symbolic link/,
      ],
      [
        'to-file',
        a => {
          mkdirSync(a)
          symlinkSync(victim, join(a, 'cost-over-time.svg'))
        },
        /is a symbolic link/,
      ],
      [
        'chart-folder',
        a => mkdirSync(join(a, 'trace-2.svg'), {recursive: true}),
        /its trace-2\.svg is not a regular file/,
      ],
      ['not-folder', a => writeFileSync(a, 'keep me\n'), /its charts go in .*, which is not a folder/],
      ['dangling', a => symlinkSync(join(dir, 'nowhere'), a), /a symbolic link to nothing/],
      // A link to the folder read: its charts would land among the traces (--force lets them in, as for the report).
      ['to-inputs', a => symlinkSync(traces, a), /inside .*charts-in, which this run reads/],
    ]
    for (const [name, plant, message] of cases) {
      const out = join(dir, `charts-${name}`)
      mkdirSync(out)
      plant(join(out, 'r-assets'))
      const r = await aco(['analyze', traces, '--report', join(out, 'r.md'), '--by', 'day'], env)
      expect(r.status, `${name}: ${r.stderr}`).toBe(2)
      expect(oneLine(r.stderr), name).toMatch(message)
      expect(existsSync(join(out, 'r.md')), name).toBe(false)
    }
    expect(readFileSync(trace, 'utf8')).toBe(before)
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    expect(readdirSync(traces).some(n => n.endsWith('.svg'))).toBe(false)
  })
})

describe('a run that writes nothing leaves no folder it made (built CLI)', () => {
  it('a usage error found after --out was made, and nothing to count, remove the empty folders; a folder of the user stays', async () => {
    const traces = join(dir, 'made-in')
    cpSync(fixture('codex'), traces, {recursive: true})
    // --out is made before --report (inside the folder read, without --force) is refused (trial 32).
    const out = join(dir, 'made-out', 'cards')
    let r = await aco(['analyze', traces, '--out', out, '--report', join(traces, 'r.md')], env)
    expect(r.status, r.stderr).toBe(2)
    expect(existsSync(join(dir, 'made-out'))).toBe(false)
    // Nothing to count (exit 4): no cards written, no folder.
    const empty = join(dir, 'made-empty')
    mkdirSync(empty)
    r = await aco(['analyze', empty, '--out', out], env)
    expect(r.status, r.stderr).toBe(4)
    expect(existsSync(join(dir, 'made-out'))).toBe(false)
    // A folder that was there stays, and what it holds.
    const mine = join(dir, 'made-mine')
    mkdirSync(mine)
    r = await aco(['analyze', empty, '--out', mine], env)
    expect(r.status, r.stderr).toBe(4)
    expect(existsSync(mine)).toBe(true)
  })
})

describe('names from the inputs reach no terminal and no report raw (built CLI)', () => {
  it('aco train: a model named with an escape sequence and a token prints neither, nor writes them in the evaluation', async () => {
    // (Built from pieces: the repository holds no string of a token's shape.)
    const token = ['ghp_', 'dCaRqzCLRJT92Jx1dCkYwWfVl0deCy7e30m4'].join('')
    const hostile = `small\u001b]0;PWNED\u0007\u001b[2J${token}\u202e`
    const table = join(dir, 'hostile-models.jsonl')
    writeFileSync(
      table,
      readFileSync(fixture('routing/outcomes.jsonl'), 'utf8').replaceAll(
        '"model":"small"',
        `"model":${JSON.stringify(hostile)}`,
      ),
    )
    const out = join(dir, 'train-hostile')
    const r = await aco(['train', '--outcomes', table, '--out', out], env)
    expect(r.status, r.stderr).toBe(0)
    for (const text of [r.stdout, r.stderr, readFileSync(join(out, 'evaluation.md'), 'utf8')]) {
      expect(text).not.toContain(token)
      expect(text).not.toMatch(/\u001b\]|\u001b\[2J|\u202e/)
    }
    expect(readFileSync(join(out, 'evaluation.json'), 'utf8')).not.toContain(token)
  })
})

describe('a router edited by hand (built CLI)', () => {
  it('aco route says the file cannot be read or applied (exit 2), never an internal error', async () => {
    const out = join(dir, 'router')
    let r = await aco(['train', '--outcomes', fixture('routing/outcomes.jsonl'), '--out', out], env)
    expect(r.status, r.stderr).toBe(0)
    const router = JSON.parse(readFileSync(join(out, 'router.json'), 'utf8'))
    // This version's body under the first version's number: its parts pass their checks, the whole does not hold.
    const edited = join(dir, 'router-v1.json')
    writeFileSync(edited, JSON.stringify({...router, schemaVersion: '1.0'}))
    r = await aco(['route', '--router', edited, '--outcomes', fixture('routing/outcomes.jsonl')], env)
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/The router .*router-v1\.json cannot be (read|applied)/)
    expect(r.stderr).not.toMatch(/TypeError|RangeError|at .*\.js:\d+/)
  })
})

describe('prompts of other items (built CLI)', () => {
  it('aco train --text whose item ids match none of the outcomes is refused (exit 2), as aco route refuses it', async () => {
    const prompts = join(dir, 'other-prompts.jsonl')
    writeFileSync(prompts, `${JSON.stringify({item_id: 'not-an-item', prompt: 'hello'})}\n`)
    const r = await aco(
      ['train', '--outcomes', fixture('routing/outcomes.jsonl'), '--text', prompts, '--out', join(dir, 'pt')],
      env,
    )
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/None of the \d+ items has a prompt in/)
  })
})
