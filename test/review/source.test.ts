/** Where the review's data comes from and goes to: the cards and their index, trace paths, the decisions file. */
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {DecisionWriter, readDecisions} from '../../src/review/decisions-file.js'
import type {DecisionsFile} from '../../src/review/decisions.js'
import {openReview} from '../../src/review/open.js'
import {indexRowProblem, isCardsInput, openCards, readIndex} from '../../src/review/source.js'
import {argumentLines, cleanLines, describeTool, oneLine, traceTitle, wrap} from '../../src/review/text.js'
import {textWidth} from '../../src/util/width.js'
import {fixture} from '../helpers.js'
import {cleanTmp, fixtureCards, nestedCard, tmp, writeCards} from './fixtures.js'

let cards: TraceCard[]
beforeAll(async () => {
  cards = await fixtureCards()
})
afterAll(cleanTmp)

describe('opening cards', () => {
  it('lists traces from the index alone and reads a card from its byte range when opened', () => {
    const dir = tmp()
    writeCards(dir, cards)
    const source = openCards(dir, {cacheDir: tmp()})
    expect(source.indexRebuilt).toBe(false)
    expect(source.rows.map(r => r.id)).toEqual(cards.map(c => c.id))
    const validate = validator('card-index')
    for (const row of source.rows) expect(validate(row), JSON.stringify(validate.errors)).toBe(true)
    const card = source.load('loop')
    // What the card held only in memory for the detectors (under a symbol) is not written: compare as written.
    expect(card).toEqual(JSON.parse(JSON.stringify(cards.find(c => c.id === 'loop'))))
    // A second load comes from the cache: the same object.
    expect(source.load('loop')).toBe(card)
    expect(() => source.load('nope')).toThrow(/No trace nope/)
    source.close()
  })

  it('rebuilds a missing index into the cache folder, never beside the cards, and reuses it', () => {
    const dir = tmp()
    const file = writeCards(dir, cards, false)
    const cache = tmp()
    expect(isCardsInput(file)).toBe(true)
    expect(isCardsInput(dir)).toBe(true)
    const first = openCards(file, {cacheDir: cache})
    expect(first.indexRebuilt).toBe(true)
    expect(first.indexPath.startsWith(cache)).toBe(true)
    expect(readdirSync(dir)).toEqual(['cards.ndjson'])
    expect(first.rows.map(r => r.id)).toEqual(cards.map(c => c.id))
    expect(first.load('dup').id).toBe('dup')
    const mtime = statSync(first.indexPath).mtimeMs
    const again = openCards(file, {cacheDir: cache})
    expect(again.indexPath).toBe(first.indexPath)
    expect(statSync(again.indexPath).mtimeMs).toBe(mtime)
    first.close()
    again.close()
  })

  it('does not trust an index that no longer matches its cards (they were written again)', () => {
    const dir = tmp()
    writeCards(dir, cards)
    const index = readFileSync(join(dir, 'cards.index.ndjson'), 'utf8')
    writeCards(dir, [nestedCard(), ...cards])
    writeFileSync(join(dir, 'cards.index.ndjson'), index)
    const source = openCards(dir, {cacheDir: tmp()})
    expect(source.indexRebuilt).toBe(true)
    expect(source.rows[0]!.id).toBe('root')
    expect(source.load('loop').id).toBe('loop')
    source.close()
  })

  it('skips and counts lines that are not cards while rebuilding', () => {
    const dir = tmp()
    const file = writeCards(dir, cards.slice(0, 2), false)
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"not":"a card"}\nnot json\n`)
    const source = openCards(file, {cacheDir: tmp()})
    expect(source.rows).toHaveLength(2)
    expect(source.skippedLines).toBe(2)
    source.close()
  })

  it('counts a card cut short in the middle of the file, whether the index is built now or was built before', () => {
    const dir = tmp()
    const file = writeCards(dir, cards.slice(0, 3), false)
    const lines = readFileSync(file, 'utf8').split('\n')
    lines[1] = lines[1]!.slice(0, Math.floor(lines[1]!.length / 2))
    // (A blank line is no card either, and no line left out.)
    writeFileSync(file, `${lines[0]}\n\n${lines.slice(1).join('\n')}`)
    const cache = tmp()
    const first = openCards(file, {cacheDir: cache})
    expect(first.rows.map(r => r.id)).toEqual([cards[0]!.id, cards[2]!.id])
    expect(first.skippedLines).toBe(1)
    first.close()
    const again = openCards(file, {cacheDir: cache})
    expect(again.skippedLines).toBe(1)
    again.close()
  })

  it('says what is wrong with an index row, as the schema would', () => {
    const validate = validator('card-index')
    const good = readIndexOf(cards)[0]!
    const bad = [
      {...good, offset: -1},
      {...good, costUsd: 'x'},
      {...good, models: [1]},
      {...good, id: undefined},
      {...good, bytes: 0},
    ]
    expect(indexRowProblem(good)).toBeUndefined()
    for (const row of bad) {
      expect(indexRowProblem(row), JSON.stringify(row)).toBeDefined()
      expect(validate(row)).toBe(false)
    }
  })

  it('reads an index of any length line by line, with the line of the first bad row in the error', () => {
    // Rows cross the reader's 64 KiB chunks, with multi-byte titles, blank lines, CRLF and no final newline.
    const good = readIndexOf(cards)[0]!
    const rows = Array.from({length: 1500}, (_, i) => ({
      ...good,
      id: `t${i}`,
      title: `修复 ${'é'.repeat(i % 97)} ${i}`,
    }))
    const lines = rows.map((r, i) => `${JSON.stringify(r)}${i % 7 === 0 ? '\r' : ''}`)
    lines.splice(500, 0, '', '   ')
    const dir = tmp()
    const path = join(dir, 'cards.index.ndjson')
    writeFileSync(path, lines.join('\n'))
    expect(statSync(path).size).toBeGreaterThan(3 * (1 << 16))
    expect(readIndex(path)).toEqual(rows)
    lines.splice(1200, 0, '{"id": broken')
    writeFileSync(path, `${lines.join('\n')}\n`)
    expect(() => readIndex(path)).toThrow(`${path}:1201 is not JSON.`)
    lines.splice(1200, 1, JSON.stringify({...good, bytes: 0}))
    writeFileSync(path, lines.join('\n'))
    expect(() => readIndex(path)).toThrow(`${path}:1201 is not a card index row: bytes must be ≥ 1.`)
  })

  it('analyses trace paths into the cache first, then opens them the same way', async () => {
    const cache = tmp()
    const opened = await openReview({
      paths: [fixture('waste')],
      cwd: process.cwd(),
      home: tmp(),
      env: {},
      cacheDir: cache,
    })
    expect(opened.inputs).toEqual([fixture('waste')])
    expect(opened.source.cardsPath.startsWith(cache)).toBe(true)
    expect(opened.source.rows.map(r => r.id).sort()).toEqual([
      'dup',
      'fail',
      'growth',
      'loop',
      'near',
      'reread',
      'unused',
    ])
    expect(opened.source.load('loop').steps.some(s => s.flags?.length)).toBe(true)
    // The same paths again: the same cards file, so decisions made on it still match.
    const again = await openReview({
      paths: [fixture('waste')],
      cwd: process.cwd(),
      home: tmp(),
      env: {},
      cacheDir: cache,
    })
    expect(again.source.cardsPath).toBe(opened.source.cardsPath)
    opened.source.close()
    again.source.close()
  })

  it('refuses a cards file mixed with trace paths', async () => {
    const dir = tmp()
    writeCards(dir, cards)
    await expect(
      openReview({paths: [dir, fixture('waste')], cwd: process.cwd(), home: tmp(), env: {}, cacheDir: tmp()}),
    ).rejects.toThrow(/either a cards file or trace paths/)
  })
})

function readIndexOf(list: readonly TraceCard[]) {
  const dir = tmp()
  writeCards(dir, list)
  return readIndex(join(dir, 'cards.index.ndjson'))
}

describe('the decisions file', () => {
  const doc = (n: number): DecisionsFile => ({
    schemaVersion: '1.0',
    source: {cards: '/c/cards.ndjson'},
    updatedAt: '2026-03-05T12:00:00.000Z',
    decisions: Array.from({length: n}, (_, i) => ({
      traceId: 't',
      rootTraceId: 't',
      stepId: `s${i}`,
      stepIndex: i,
      kind: 'tool' as const,
      label: 'wasted' as const,
      by: 'review' as const,
      at: '2026-03-05T12:00:00.000Z',
    })),
  })

  it('is written atomically, in order, the last asked for landing last', async () => {
    const file = join(tmp(), 'sub', 'd.json')
    const writer = new DecisionWriter(file)
    for (let i = 1; i <= 20; i++) writer.save(doc(i))
    await writer.flush()
    expect((await readDecisions(file))!.decisions).toHaveLength(20)
    // Coalesced: far fewer writes than saves, and no temporary file left behind.
    expect(writer.writes).toBeLessThan(20)
    expect(readdirSync(join(file, '..'))).toEqual(['d.json'])
  })

  it('reports a write that fails, and flush rejects with it', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'file'), 'x')
    const errors: Error[] = []
    const writer = new DecisionWriter(join(dir, 'file', 'd.json'), e => errors.push(e))
    writer.save(doc(1))
    await expect(writer.flush()).rejects.toThrow()
    expect(errors).toHaveLength(1)
  })

  it('a review whose decisions cannot be saved when it ends keeps them in the temp folder, named, exit 2 (trial 88)', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'file'), 'x')
    const path = join(dir, 'file', 'd.json')
    const writer = new DecisionWriter(path)
    writer.save(doc(3))
    const error = await writer.flush().catch((e: unknown) => e)
    const {unsaved} = await import('../../src/review/ui/run.js')
    const said = await unsaved(path, doc(3), error)
    expect(said).toMatchObject({code: 'usage', exit: 2})
    const kept = /are kept in (\S+\.json)\.$/.exec(said.message)?.[1]
    expect(said.message).toMatch(
      /^Could not save the decisions to .*d\.json: a part of the path is a file, not a folder\. The review's 3 decisions/,
    )
    expect(said.hint).toContain(`cp ${kept} ${path}`)
    expect((await readDecisions(kept!))!.decisions).toHaveLength(3)
    expect(statSync(kept!).mode & 0o777).toBe(0o600)
  })

  it.skipIf(process.getuid?.() === 0)(
    'refuses a decisions file made read-only, or in a folder it cannot write, before any work (trial 88)',
    async () => {
      const {checkWritable} = await import('../../src/review/decisions-file.js')
      const {chmodSync} = await import('node:fs')
      const dir = tmp()
      const path = join(dir, 'd.json')
      writeFileSync(path, '{}')
      chmodSync(path, 0o444)
      expect(() => checkWritable(path)).toThrow(/Cannot write the decisions file .*: it is read-only/)
      chmodSync(path, 0o644)
      chmodSync(dir, 0o555)
      try {
        expect(() => checkWritable(path)).toThrow(/its folder .* is not writable/)
        // A link to it from a folder that is writable: the file is written where the link leads (review 91).
        const elsewhere = tmp()
        const {symlinkSync} = await import('node:fs')
        symlinkSync(path, join(elsewhere, 'link.json'))
        expect(() => checkWritable(join(elsewhere, 'link.json'))).toThrow(/its folder .* is not writable/)
      } finally {
        chmodSync(dir, 0o755)
      }
    },
  )

  it('refuses a decisions file with no write bit whoever runs aco, root too (trial 101)', async () => {
    const {checkWritable} = await import('../../src/review/decisions-file.js')
    const {chmodSync} = await import('node:fs')
    const path = join(tmp(), 'd.json')
    writeFileSync(path, '{}')
    chmodSync(path, 0o444)
    expect(() => checkWritable(path)).toThrow(/Cannot write the decisions file .*: it is read-only/)
    // The hint is about the file, its folder being writable (trial 123: "in a folder you can write to").
    const hint = (() => {
      try {
        checkWritable(path)
      } catch (error) {
        return (error as {hint?: string}).hint
      }
    })()
    expect(hint).toMatch(/^Make it writable \(chmod u\+w .*d\.json\), or pass --decisions FILE for another one\.$/)
    chmodSync(path, 0o644)
    expect(() => checkWritable(path)).not.toThrow()
  })

  it('is validated when read: a bad file is a user error that names it, an absent one is no decisions yet', async () => {
    const dir = tmp()
    expect(await readDecisions(join(dir, 'none.json'))).toBeUndefined()
    writeFileSync(join(dir, 'bad.json'), '{"schemaVersion":"1.0","decisions":[]}')
    await expect(readDecisions(join(dir, 'bad.json'))).rejects.toMatchObject({
      code: 'schema',
      message: expect.stringMatching(/bad\.json does not match schemas\/decisions\.schema\.json/),
    })
    writeFileSync(join(dir, 'broken.json'), '{')
    await expect(readDecisions(join(dir, 'broken.json'))).rejects.toMatchObject({code: 'bad-file'})
    expect(existsSync(join(dir, 'none.json'))).toBe(false)
  })

  it('has the same decision items as the --json result of aco label', () => {
    const decisions = JSON.parse(readFileSync(new URL('../../schemas/decisions.schema.json', import.meta.url), 'utf8'))
    const label = JSON.parse(readFileSync(new URL('../../schemas/label-result.schema.json', import.meta.url), 'utf8'))
    expect(label.$defs.decision).toEqual(decisions.$defs.decision)
    expect(label.properties.source).toEqual(decisions.properties.source)
  })
})

describe('text shown from traces', () => {
  it('loses escape sequences and control characters, and secrets', () => {
    const nasty =
      '\u001b[2J\u001b]0;title\u0007red \u001b[31mtext\u001b[0m\u0000 and sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345'
    const line = oneLine(nasty)
    expect(line).not.toMatch(/[\u0000-\u001f]/)
    expect(line).toMatch(/^red text and \[REDACTED:[a-z-]+\]$/)
    expect(cleanLines('a\r\nb\tc')).toEqual(['a', 'b  c'])
    const args = argumentLines({command: 'curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwxyz"', n: 3}, 200, 10)
    expect(args.join('\n')).toMatch(/\[REDACTED:[a-z-]+\]/)
    expect(args.join('\n')).not.toMatch(/abcdefghijklmnop/)
  })

  it('describes a tool call in a few words and wraps text to the width', () => {
    const step = cards.find(c => c.id === 'loop')!.steps.find(s => s.tool?.name === 'Bash')!
    expect(describeTool(step)).toBe('Bash npx vitest run test/math.test.ts')
    expect(describeTool({...step, tool: {...step.tool!, arguments: {todos: [{a: 1}, {b: 2}]}}})).toBe('Bash 2 items')
    const lines = wrap('the quick brown fox jumps over the lazy dog', 10)
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(10)
    expect(lines.join(' ')).toBe('the quick brown fox jumps over the lazy dog')
    expect(wrap('a b c d e f g h', 3, 2)).toHaveLength(2)
  })

  it('wraps Chinese and emoji by the columns they take, never inside a character', () => {
    const zh = '修复登录页面在移动端显示错位的问题，并为表单验证添加单元测试 🚀📦 then ship it'
    for (const width of [1, 2, 3, 7, 10, 21]) {
      const lines = wrap(zh, width)
      for (const l of lines) expect(textWidth(l), `${width}: ${l}`).toBeLessThanOrEqual(Math.max(2, width))
      expect(lines.join('').replace(/ /g, '')).toBe(zh.replace(/ /g, ''))
    }
    expect(wrap('修复登录页面', 5)).toEqual(['修复', '登录', '页面'])
    const cut = wrap(zh, 10, 2)
    expect(cut).toHaveLength(2)
    expect(textWidth(cut[1]!)).toBeLessThanOrEqual(10)
    expect(cut[1]!.endsWith('…')).toBe(true)
  })
})

describe('traceTitle', () => {
  it('names a trace by its title, else its file, with its id where the file holds it under another name (trial 85)', () => {
    expect(traceTitle({title: 'fix the build\n', path: '/l/a.jsonl', id: 'x'})).toBe('fix the build')
    // One session a file, named by its id: the file's name alone.
    expect(traceTitle({path: '/p/5b2c.jsonl', id: '5b2c'})).toBe('5b2c.jsonl')
    // Two traces of one file (a log of a team's own agent): told apart by their ids.
    const rows = ['s-001', 's-002'].map(id => traceTitle({path: '/l/agent.jsonl', id}))
    expect(rows).toEqual(['agent.jsonl · s-001', 'agent.jsonl · s-002'])
    expect(traceTitle({path: '', id: 'only-id'})).toBe('only-id')
  })
})
