/**
 * Nothing lost, with the built CLI and real processes: --report and
 * --decisions refuse to replace an input or to write among the inputs, a
 * link is written through, and aco label runs at once on one decisions file
 * all land: 50 writers through the label service (10 processes of 5 writers
 * each: 50 node processes at once take minutes on a loaded two-core machine),
 * and 4 through the CLI itself.
 */
import {spawn} from 'node:child_process'
import {lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {root} from '../helpers.js'
import {claudeSession} from '../support/traces.js'
import {acoAsync, oneLine} from './run.js'

const STEPS = 50
let work: string
let input: string
let cards: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aco-e2e-lost-'))
  mkdirSync(join(work, 'traces'))
  input = join(work, 'traces', 'session.jsonl')
  const lines = claudeSession({
    prompt: 'list the files',
    calls: Array.from({length: STEPS}, (_, i) => ({
      tools: [{name: 'Bash', input: {command: `ls dir${i}`}, output: `file${i}.txt`}],
    })),
  })
  writeFileSync(input, `${lines.join('\n')}\n`)
  cards = join(work, 'cards')
  const r = await acoAsync(['analyze', input, '--out', cards])
  if (r.status !== 0) throw new Error(`aco analyze exited ${r.status}: ${r.stderr}`)
}, 120_000)

/** Step ids of the session's LLM calls (`msg_<i>`), as the decisions name them. */
function stepRefs(): string[] {
  const card = JSON.parse(readFileSync(join(cards, 'cards.ndjson'), 'utf8').split('\n')[0]!) as {
    id: string
    steps: Array<{id: string; kind: string}>
  }
  return card.steps.filter(s => s.kind === 'llm').map(s => `${card.id}:${s.id}`)
}

/** Runs the label service for each of `refs` at once, in a process of their own (the CLI's work without oclif's start-up). */
function labelProcess(decisions: string, refs: string[]): Promise<number | null> {
  const script = `
    const {label} = await import(${JSON.stringify(`${root}dist/review/label.js`)})
    await Promise.all(${JSON.stringify(refs)}.map(ref => label({decisionsPath: ${JSON.stringify(decisions)},
      cards: ${JSON.stringify(cards)}, accept: [], reject: [], set: [ref + '=fine'], acceptFlags: [], minConfidence: 0,
      now: new Date().toISOString()})))`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    child.on('error', reject)
    child.on('close', resolve)
  })
}

const labelled = (decisions: string): string[] =>
  (JSON.parse(readFileSync(decisions, 'utf8')) as {decisions: Array<{traceId: string; stepId: string}>}).decisions
    .map(d => `${d.traceId}:${d.stepId}`)
    .sort()

describe('concurrent aco label on one decisions file', () => {
  it(`${STEPS} writers in 10 processes, each labelling a step at once: every decision lands`, async () => {
    const refs = stepRefs()
    expect(refs.length).toBe(STEPS)
    const decisions = join(work, 'decisions-50.json')
    const codes = await Promise.all(
      Array.from({length: 10}, (_, p) =>
        labelProcess(
          decisions,
          refs.filter((_, i) => i % 10 === p),
        ),
      ),
    )
    expect(codes.every(c => c === 0)).toBe(true)
    expect(labelled(decisions)).toEqual([...refs].sort())
  })

  it('four aco label CLI runs at once, through a symbolic link: all land, the link stays', async () => {
    const refs = stepRefs().slice(0, 4)
    const target = join(work, 'decisions-cli.json')
    const link = join(work, 'decisions-link.json')
    symlinkSync(target, link)
    const runs = await Promise.all(
      refs.map(ref => acoAsync(['label', '--decisions', link, '--cards', cards, '--set', `${ref}=fine`])),
    )
    expect(runs.map(r => r.status)).toEqual([0, 0, 0, 0])
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(labelled(target)).toEqual([...refs].sort())
  })
})

describe('--report and --decisions never replace an input', () => {
  it('analyze --report naming the input trace: exit 2, the trace untouched', async () => {
    const before = readFileSync(input, 'utf8')
    const r = await acoAsync(['analyze', input, '--report', input])
    expect(r.status).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/Refusing to write --report .* one of the inputs/)
    expect(readFileSync(input, 'utf8')).toBe(before)
  })

  it('analyze --report inside the folder analysed: refused, written with --force', async () => {
    const folder = join(work, 'traces')
    const report = join(folder, 'report.md')
    const refused = await acoAsync(['analyze', folder, '--report', report])
    expect(refused.status).toBe(2)
    expect(oneLine(refused.stderr)).toMatch(/inside .* --force/)
    const forced = await acoAsync(['analyze', folder, '--report', report, '--force'])
    expect(forced.status, forced.stderr).toBe(0)
    expect(readFileSync(report, 'utf8')).toMatch(/^# /)
  })

  it('analyze --report /dev/null and label --decisions naming the cards: refused', async () => {
    expect((await acoAsync(['analyze', input, '--report', '/dev/null'])).status).toBe(2)
    const cardsFile = join(cards, 'cards.ndjson')
    const before = readFileSync(cardsFile, 'utf8')
    const r = await acoAsync(['label', '--decisions', cardsFile, '--cards', cards, '--set', `${stepRefs()[0]}=fine`])
    expect(r.status).toBe(2)
    expect(readFileSync(cardsFile, 'utf8')).toBe(before)
  })

  it('analyze --report through a symbolic link writes its target and keeps the link', async () => {
    const target = join(work, 'report-target.md')
    writeFileSync(target, 'stale')
    const link = join(work, 'report-link.md')
    symlinkSync(target, link)
    const r = await acoAsync(['analyze', input, '--report', link])
    expect(r.status, r.stderr).toBe(0)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toMatch(/^# /)
  })
})

describe("aco's own outputs inside a traces folder", () => {
  it('cards, index, Parquet and a saved --json result are passed over as aco output: counted once, exit 0', async () => {
    const folder = join(work, 'with-outputs')
    mkdirSync(folder)
    writeFileSync(join(folder, 'session.jsonl'), readFileSync(input))
    const alone = await acoAsync(['analyze', folder, '--json'])
    expect(alone.status, alone.stderr).toBe(0)
    writeFileSync(join(folder, 'result.json'), alone.stdout)
    // An outcome table and its prompts (routing-dev's files beside traces: the prompts had been "unknown format", exit
    // 3; trial 72).
    writeFileSync(
      join(folder, 'items.jsonl'),
      '{"item_id": "a#1", "model": "m1", "success": 1, "cost_usd": 0.001}\n{"item_id": "a#1", "model": "m2", "success": 0, "cost_usd": 0.0001}\n',
    )
    writeFileSync(
      join(folder, 'prompts.jsonl'),
      '{"item_id": "a#1", "split": "test", "prompt": "Which planet is largest?"}\n',
    )
    const ndjson = await acoAsync(['analyze', join(folder, 'session.jsonl'), '--out', join(folder, 'out')])
    expect(ndjson.status, ndjson.stderr).toBe(0)
    const parquet = await acoAsync([
      'analyze',
      join(folder, 'session.jsonl'),
      '--out',
      join(folder, 'pq'),
      '--out-format',
      'parquet',
    ])
    expect(parquet.status, parquet.stderr).toBe(0)

    const again = await acoAsync(['analyze', folder, '--json', '--force'])
    expect(again.status, again.stderr).toBe(0)
    const before = JSON.parse(alone.stdout) as {totals: {costUsd: number; steps: number}}
    const after = JSON.parse(again.stdout) as {
      totals: {costUsd: number; steps: number}
      skipped: unknown[]
      nothingToCount: Array<{path: string; reason: string}>
    }
    expect(after.totals).toEqual(before.totals)
    expect(after.skipped).toEqual([])
    const notes = Object.fromEntries(after.nothingToCount.map(n => [n.path.slice(folder.length + 1), n.reason]))
    expect(notes).toMatchObject({
      'result.json': 'aco output, skipped: an aco analyze --json result',
      'out/cards.ndjson': 'aco output, skipped: TraceCards (aco analyze --out)',
      'out/cards.index.ndjson': 'aco output, skipped: a card index (aco analyze --out)',
      'items.jsonl': 'aco output, skipped: an outcome table (aco train --outcomes reads it)',
      'prompts.jsonl': "aco output, skipped: an outcome table's prompts (aco train --text reads them)",
    })
    // Parquet is not walked (not a trace extension); named, it is passed over the same way.
    const named = await acoAsync(['analyze', join(folder, 'pq', 'cards.parquet'), join(folder, 'session.jsonl')])
    expect(named.status, named.stderr).toBe(0)
    // (A part that does not fit the line goes to the next, indented: read here as if on one.)
    const oneLine = (t: string): string => t.replace(/\n {4}/g, ' · ')
    expect(oneLine(named.stdout)).toMatch(
      /1 file of aco's own kinds \(cards, index, results, outcome tables\): skipped · \S*pq\/cards\.parquet/,
    )
    // More than three: two named, the rest counted (trial 82 could not tell which they were).
    const many = await acoAsync(['analyze', folder])
    expect(oneLine(many.stdout)).toMatch(
      /5 files of aco's own kinds \(cards, index, results, outcome tables\): skipped · \S+ · \S+ · and 3 more \(nothingToCount in --json\)/,
    )
  })
})
