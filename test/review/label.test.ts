/** aco label: lists the decisions of a decisions file, and makes decisions without the terminal UI. */
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import Label from '../../src/commands/label.js'
import type {DecisionsFile} from '../../src/review/decisions.js'
import type {LabelResult} from '../../src/review/label.js'
import {renderLabel} from '../../src/review/label-text.js'
import {reduce} from '../../src/review/state/reduce.js'
import {decisionsDocument} from '../../src/review/state/saved.js'
import {acoAsync as aco, oneLine} from '../e2e/run.js'
import {root} from '../helpers.js'
import {byId, cleanTmp, fixtureCards, nestedCard, state, tmp, writeCards} from './fixtures.js'

let cards: TraceCard[]
let cardsDir: string
beforeAll(async () => {
  cards = await fixtureCards()
  cardsDir = tmp()
  writeCards(cardsDir, [...cards, nestedCard(), {...nestedCard(), id: 'aider:chat@2025-02-20T16:20:03', children: []}])
})
afterAll(cleanTmp)

const label = async (...argv: string[]): Promise<LabelResult> =>
  (await Label.run([...argv, '--json'], root)) as LabelResult
const valid = (result: unknown): void => {
  const validate = validator('label-result')
  expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
}
const read = (file: string): DecisionsFile => JSON.parse(readFileSync(file, 'utf8')) as DecisionsFile
const validFile = (file: string): void => {
  const validate = validator('decisions')
  expect(validate(read(file)), JSON.stringify(validate.errors)).toBe(true)
}

/** A decisions file as aco review writes it: the loop's first flag accepted, the LLM call before it labelled. */
function reviewed(): string {
  const at = '2026-03-05T12:00:00.000Z'
  let s = reduce(state(cards), {type: 'openTrace', card: byId(cards, 'loop')})
  s = reduce(s, {type: 'nextFlag', dir: 1})
  s = reduce(s, {type: 'decide', change: {prune: 'accept'}, at})
  s = reduce(s, {type: 'move', by: 'up'})
  s = reduce(s, {type: 'decide', change: {label: 'cheaper-model-ok'}, at})
  const file = join(tmp(), 'aco-decisions.json')
  writeFileSync(file, JSON.stringify(decisionsDocument(s, {cards: join(cardsDir, 'cards.ndjson')}, at)))
  return file
}

describe('aco label', () => {
  // --json prints the result too: keep it out of the test report.
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('lists the decisions and their counts (--json matches its schema) and leaves the file alone', async () => {
    const file = reviewed()
    const before = readFileSync(file, 'utf8')
    const result = await label('--decisions', file)
    valid(result)
    expect(result.written).toBe(false)
    expect(result.counts).toMatchObject({
      decisions: 2,
      prune: {accept: 1, reject: 0},
      labels: {'cheaper-model-ok': 1, fine: 0},
    })
    expect(result.counts.acceptedWastedUsd).toBeGreaterThan(0)
    expect(result.decisions.map(d => d.stepId)).toEqual(['msg_loop_8', 'toolu_loop_8'])
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  it('accepts, rejects and labels named steps (by id or #index), looked up in --cards', async () => {
    const file = join(tmp(), 'd.json')
    const result = await label(
      '--decisions',
      file,
      '--cards',
      cardsDir,
      '--accept',
      'loop:toolu_loop_11',
      '--reject',
      'dup:#13',
      '--set',
      'loop:msg_loop_2=needs-stronger-model',
      '--set',
      'root/agent-1:c3=wasted',
      '--set',
      'aider:chat@2025-02-20T16:20:03:r0=fine',
    )
    valid(result)
    validFile(file)
    expect(result.written).toBe(true)
    expect(result.changes).toEqual({accepted: 1, rejected: 1, labelled: 3, acceptedFromFlags: 0, keptAsDecided: 0})
    const doc = read(file)
    expect(doc.source.cards).toBe(join(cardsDir, 'cards.ndjson'))
    const by = (stepId: string) => doc.decisions.find(d => d.stepId === stepId)!
    expect(by('toolu_loop_11')).toMatchObject({
      traceId: 'loop',
      prune: 'accept',
      flagKind: 'loop',
      tool: 'Bash',
      by: 'label',
    })
    expect(doc.decisions.find(d => d.traceId === 'dup')).toMatchObject({
      stepIndex: 13,
      prune: 'reject',
      flagKind: 'duplicate-call',
    })
    expect(by('msg_loop_2')).toMatchObject({kind: 'llm', label: 'needs-stronger-model', costUsd: expect.any(Number)})
    expect(by('c3')).toMatchObject({traceId: 'root/agent-1', rootTraceId: 'root', label: 'wasted'})
    expect(by('r0')).toMatchObject({traceId: 'aider:chat@2025-02-20T16:20:03', label: 'fine'})
    // Asking again sets the same decision again (it does not toggle, as a key in aco review does).
    const again = await label('--decisions', file, '--accept', 'loop:toolu_loop_11')
    expect(again.decisions.find(d => d.stepId === 'toolu_loop_11')!.prune).toBe('accept')
    // A step named twice in one run is one change (trial 101: "2 labelled").
    const twice = await label('--decisions', file, '--set', 'dup:#13=fine', '--set', 'dup:#13=fine')
    expect(twice.changes.labelled).toBe(1)
  })

  it('accepts every flag of some detectors above a confidence, leaving the ones already decided', async () => {
    const file = reviewed()
    const kinds = ['loop', 'duplicate-call']
    const loopFlags = byId(cards, 'loop').steps.filter(s => kinds.includes(s.flags?.[0]?.kind ?? '')).length
    const dupFlags = byId(cards, 'dup').steps.filter(s => kinds.includes(s.flags?.[0]?.kind ?? '')).length
    await label('--decisions', file, '--reject', 'loop:toolu_loop_11')
    const result = await label('--decisions', file, '--accept-flags', 'loop,duplicate-call', '--min-confidence', '0.5')
    valid(result)
    expect(result.changes.acceptedFromFlags).toBe(loopFlags + dupFlags - 2)
    expect(result.changes.keptAsDecided).toBe(2)
    const doc = read(file)
    expect(doc.decisions.find(d => d.stepId === 'toolu_loop_11')!.prune).toBe('reject')
    expect(
      doc.decisions
        .filter(d => d.by === 'accept-flags')
        .every(d => d.prune === 'accept' && ['loop', 'duplicate-call'].includes(d.flagKind!)),
    ).toBe(true)
    // the review's cursor survives
    expect(doc.cursor?.rootTraceId).toBe('loop')
    const none = await label('--decisions', file, '--accept-flags', 'loop', '--min-confidence', '0.99')
    expect(none.changes.acceptedFromFlags).toBe(0)
  })

  it('says what is wrong, with the exit code of a usage error or of nothing to list', async () => {
    const file = reviewed()
    const fails = async (argv: string[], exit: number, message: RegExp): Promise<void> => {
      const error = (await Label.run(argv, root).then(
        () => undefined,
        (e: unknown) => e,
      )) as {oclif?: {exit?: number}; message: string} | undefined
      expect(error, argv.join(' ')).toBeDefined()
      expect(error!.oclif?.exit).toBe(exit)
      expect(oneLine(error!.message)).toMatch(message)
    }
    await fails(['--decisions', file, '--accept', 'loop:nope'], 2, /No step loop:nope in/)
    await fails(['--decisions', file, '--accept', 'loop:msg_loop_2'], 2, /has no prune suggestion/)
    await fails(['--decisions', file, '--set', 'loop:msg_loop_2=great'], 2, /expected TRACE:STEP=LABEL/)
    await fails(['--decisions', file, '--accept', 'noColon'], 2, /expected TRACE:STEP/)
    // A model label on a tool call, which runs no model (trial 33: accepted, then dropped by aco train --steps).
    await fails(
      ['--decisions', file, '--set', 'loop:toolu_loop_11=cheaper-model-ok'],
      2,
      /^loop:toolu_loop_11 is a tool call, which runs no model: cheaper-model-ok goes on the LLM call that issued it\.$/,
    )
    await fails(['--decisions', file, '--accept-flags', 'lopo'], 2, /unknown detector lopo/)
    await fails(
      ['--decisions', file, '--accept', 'loop:toolu_loop_8', '--reject', 'loop:toolu_loop_8'],
      2,
      /loop:toolu_loop_8 is given to both --accept and --reject/,
    )
    await fails(
      ['--decisions', file, '--set', 'loop:msg_loop_2=fine', '--set', 'loop:msg_loop_2=wasted'],
      2,
      /loop:msg_loop_2 is given two labels by --set \(fine and wasted\)/,
    )
    await fails(['--decisions', file, '--accept-flags', 'loop', '--min-confidence', '2'], 2, /--min-confidence 2/)
    await fails(
      ['--decisions', file, '--accept-flags', 'loop', '--min-confidence', 'high'],
      2,
      /--min-confidence takes a number/,
    )
    await fails(['--decisions', join(tmp(), 'none.json')], 4, /No decisions file at/)
    await fails(['--decisions', join(tmp(), 'none.json'), '--accept', 'loop:toolu_loop_8'], 2, /needs the cards/)
    // Decisions from reviewing traces name cards in the temp folder, which a restart may empty (trial 78): the error
    // names the traces they came from.
    const gone = join(tmp(), 'gone.json')
    const temp = join(tmp(), 'aco-review-0', 'analysed-1', 'cards.ndjson')
    writeFileSync(
      gone,
      JSON.stringify({
        schemaVersion: '1.0',
        source: {cards: temp, inputs: ['/home/me/agent logs']},
        updatedAt: '2026-12-06T00:00:00.000Z',
        decisions: [],
      }),
    )
    for (const how of [['--accept', 'loop:toolu_loop_8'], ['--auto']])
      await fails(
        ['--decisions', gone, ...how],
        2,
        /^The cards .*cards\.ndjson are not there: aco review analysed them from \/home\/me\/agent logs into a temporary folder, since emptied\.$/,
      )
    // A line of the cards that is JSON but no card (`{}`, steps that are not a list) is named with its line, exit 2:
    // it failed as an internal error (`card.steps is not iterable`, exit 1) in every way of labelling.
    const damaged = tmp()
    const one = JSON.stringify(cards[0])
    for (const [bad, why] of [
      ['{}', /must have required property/],
      [JSON.stringify({...cards[0], id: 'x', steps: {id: 1}}), /\/steps: must be array/],
    ] as const) {
      writeFileSync(join(damaged, 'cards.ndjson'), `${one}\n${bad}\n`)
      const cardsFile = join(damaged, 'cards.ndjson')
      for (const how of [['--set', `${cards[0]!.id}:#0=fine`], ['--accept-flags', 'all'], ['--auto']])
        await fails(
          ['--decisions', join(tmp(), 'd.json'), '--cards', cardsFile, ...how],
          2,
          new RegExp(`cards\\.ndjson:2 is not a TraceCard: .*${why.source}`),
        )
    }
  })

  it('prints counts and the decisions as text that fits the width', async () => {
    const result = await label('--decisions', reviewed())
    const text = renderLabel(result, {width: 80, top: 20})
    expect(text).toMatch(/aco-decisions\.json: 2 decisions on /)
    expect(text).toMatch(/prune {3}1 accepted \(\$[\d.]+ at stake\) · 0 rejected/)
    expect(text).toMatch(/labels {2}fine 0 · needs-stronger-model 0 · cheaper-model-ok 1 · wasted 0/)
    expect(text).toMatch(/ {2}#5 tool Write +accept +— +\$[\d.]+\n {4}loop:toolu_loop_8\n/)
    for (const line of text.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80)
    // a Codex trace id and call id, long as they are: the #index and the whole TRACE:STEP stay visible
    const codexRef = {traceId: '019c9a10-5e5e-7000-8000-0000000c0b1e', stepId: 'call_Kq7VwX2mJ9pL4rT8yB3nD6sF'}
    const codex = {...result, decisions: result.decisions.map(d => ({...d, ...codexRef}))}
    const lines = renderLabel(codex, {width: 80, top: 20}).trimEnd().split('\n')
    expect(lines).toContain(`    ${codexRef.traceId}:${codexRef.stepId}`)
    expect(lines.some(l => /^ {2}#5 tool Write +accept/.test(l))).toBe(true)
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80)
    expect(renderLabel(result, {width: 80, top: 1})).toMatch(/… 1 more \(--json lists them all\)/)
  })
})

describe('the built CLI', () => {
  it('aco label lists a decisions file; aco review refuses without a terminal and names the commands that work', async () => {
    const file = reviewed()
    let r = await aco(['label', '--decisions', file])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/2 decisions on /)
    r = await aco(['review', cardsDir])
    expect(r.status).toBe(2)
    const message = oneLine(r.stderr)
    expect(message).toMatch(/aco review needs an interactive terminal/)
    expect(message).toMatch(/aco analyze --json/)
    expect(message).toMatch(/aco label --decisions/)
    expect(r.stdout).toBe('')
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
    // A decisions path written as a folder's (review 73: `--decisions decdir/` wrote a file named `decdir`).
    const folder = join(mkdtempSync(join(tmpdir(), 'aco-label-dir-')), 'decdir')
    r = await aco(['label', '--cards', cardsDir, '--decisions', `${folder}/`, '--accept-flags', 'all'])
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/--decisions \S+decdir\/: it names a folder\..*decdir\/aco-decisions\.json/)
    expect(existsSync(folder)).toBe(false)
    // A --cache-dir that cannot be a folder: a usage error naming it, not an errno at the first write (trial 101).
    const plain = join(mkdtempSync(join(tmpdir(), 'aco-cache-file-')), 'afile')
    writeFileSync(plain, '')
    r = await aco(['review', cardsDir, '--cache-dir', plain])
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/Cannot write into --cache-dir \S+afile/)
    r = await aco(['review', cardsDir, '--cache-dir', ''])
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/--cache-dir is empty/)
    // Flags that go with another, given alone, and another version's file: said (trial 101).
    r = await aco(['label', '--decisions', file, '--outcomes', 'x.json'])
    expect([r.status, oneLine(r.stderr)]).toEqual([2, expect.stringMatching(/--outcomes goes with --auto/)])
    // (Named as aco analyze names them too: trial 126's `--task-results` was a "Nonexistent flag".)
    r = await aco(['label', '--decisions', file, '--task-results', 'x.json'])
    expect([r.status, oneLine(r.stderr)]).toEqual([2, expect.stringMatching(/--outcomes goes with --auto/)])
    r = await aco(['label', '--decisions', file, '--cards', cardsDir, '--min-confidence', '0.5'])
    expect([r.status, oneLine(r.stderr)]).toEqual([
      2,
      expect.stringMatching(/--min-confidence goes with --accept-flags/),
    ])
    const newer = join(mkdtempSync(join(tmpdir(), 'aco-label-v2-')), 'd.json')
    writeFileSync(newer, '{"schemaVersion": "2.0", "decisions": []}')
    r = await aco(['label', '--decisions', newer])
    expect([r.status, oneLine(r.stderr)]).toEqual([
      2,
      expect.stringMatching(/is a decisions file of version 2\.0; this aco reads version 1\.0.*written by a newer aco/),
    ])
  })
})
