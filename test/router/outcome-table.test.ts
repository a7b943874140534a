import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {isAcoError} from '../../src/errors.js'
import {collectOutcomeTable, collectTexts, readOutcomeTable, readTexts} from '../../src/learn/outcome-table.js'
import {fixture} from '../helpers.js'

const good = (id: string, model: string, extra: object = {}): string =>
  JSON.stringify({item_id: id, model, success: 1, cost_usd: 0.001, features: {kind: 'qa', n: 3}, ...extra})

describe('outcome lines', () => {
  it('reports each bad line with its file, line and reason, and keeps the good ones', () => {
    const t = collectOutcomeTable(
      [
        good('a', 'm1'),
        '{oops',
        JSON.stringify({item_id: 'a', model: 'm2', success: 1.5, cost_usd: 0.1}),
        JSON.stringify({item_id: 'b', model: 'm1', cost_usd: 0.1}),
        JSON.stringify({item_id: 'b', model: 'm1', success: 0, cost_usd: -1}),
        JSON.stringify({item_id: 'b', model: 'm1', success: 0, cost_usd: 0.1, features: {x: [1]}}),
        '',
        good('a', 'm1'),
        good('a', 'm2'),
      ],
      'data/outcomes.jsonl',
      'train',
    )
    expect(t.items.map(i => [i.id, i.models])).toEqual([['a', ['m1', 'm2']]])
    expect(t.skipped.map(s => [s.path, s.line])).toEqual([
      ['data/outcomes.jsonl', 2],
      ['data/outcomes.jsonl', 3],
      ['data/outcomes.jsonl', 4],
      ['data/outcomes.jsonl', 5],
      ['data/outcomes.jsonl', 6],
      ['data/outcomes.jsonl', 8],
    ])
    expect(t.skipped[0]!.reason).toMatch(/not JSON/)
    expect(t.skipped[1]!.reason).toMatch(/success.*<= 1/)
    expect(t.skipped[2]!.reason).toMatch(/success/)
    expect(t.skipped[3]!.reason).toMatch(/cost_usd.*>= 0/)
    expect(t.skipped[4]!.reason).toMatch(/features\/x/)
    expect(t.skipped[5]!.reason).toMatch(/second line for item a and model m1 \(first on line 1\)/)
    expect(t.lines).toBe(9)
  })

  it('for routing, needs only item, model and features: success and cost are ignored', () => {
    const t = collectOutcomeTable(
      [
        JSON.stringify({item_id: 'a', model: 'm1', features: {n: 1}}),
        JSON.stringify({item_id: 'a', model: 'm2', success: 'n/a'}),
      ],
      'r.jsonl',
      'route',
    )
    expect(t.skipped).toEqual([])
    expect(t.items[0]!.models).toEqual(['m1', 'm2'])
    expect(Number.isNaN(t.items[0]!.success[0])).toBe(true)
    const train = collectOutcomeTable(
      [JSON.stringify({item_id: 'a', model: 'm1', features: {n: 1}})],
      'r.jsonl',
      'train',
    )
    expect(train.skipped[0]!.reason).toMatch(/success/)
  })

  it('notes features that differ between lines of one item (they describe a run, not the item)', () => {
    const t = collectOutcomeTable(
      [good('a', 'm1', {features: {kind: 'qa', tokens: 10}}), good('a', 'm2', {features: {kind: 'qa', tokens: 12}})],
      'f',
      'train',
    )
    expect([...t.inconsistent]).toEqual(['tokens'])
  })

  it('reads prompts and reports bad prompt lines', () => {
    const r = collectTexts(
      [
        JSON.stringify({item_id: 'a', prompt: 'hi'}),
        '{"item_id": "b"}',
        JSON.stringify({item_id: 'a', prompt: 'again'}),
      ],
      'p.jsonl',
    )
    expect([...r.texts]).toEqual([['a', 'hi']])
    expect(r.skipped.map(s => [s.line, s.reason])).toEqual([
      [2, 'prompt must be a string'],
      [3, 'a second prompt for item a'],
    ])
  })
})

describe('outcome files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aco-outcomes-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))
  const codeOf = async (p: Promise<unknown>): Promise<string | undefined> => {
    try {
      await p
    } catch (error) {
      return isAcoError(error) ? `${error.code}:${error.exit}` : 'not an AcoError'
    }
    return undefined
  }

  it('skips, with its line, a line whose model or item id holds bytes that are not UTF-8 (trial 121: a twelfth "model")', async () => {
    const lines: Buffer[] = [good('a', 'm1'), good('a', 'm2'), good('b', 'm1'), good('b', 'm2')].map(l =>
      Buffer.from(`${l}\n`),
    )
    // m2 on line 4 and item b on line 3 written in Latin-1 bytes (0xE9 alone is no UTF-8).
    const latin = (l: string): Buffer => Buffer.from(`${l}\n`, 'latin1')
    lines[3] = latin(good('b', 'm\u00e92'))
    lines[2] = latin(good('b\u00e9', 'm1'))
    writeFileSync(join(dir, 'latin.jsonl'), Buffer.concat(lines))
    const t = await readOutcomeTable(join(dir, 'latin.jsonl'), 'train')
    expect(t.models).toEqual(['m1', 'm2'])
    expect(t.skipped.map(s => [s.line, s.reason.split(' holds')[0]])).toEqual([
      [3, 'item_id'],
      [4, 'model'],
    ])
    expect(t.skipped[0]!.reason).toMatch(/bytes that are not UTF-8 text/)
  })

  it('refuses a missing file (usage), an empty one and one with no usable line (no input), with hints', async () => {
    writeFileSync(join(dir, 'empty.jsonl'), '')
    writeFileSync(join(dir, 'bad.jsonl'), 'nope\n{"item_id": 1}\n')
    expect(await codeOf(readOutcomeTable(join(dir, 'missing.jsonl'), 'train'))).toBe('usage:2')
    expect(await codeOf(readOutcomeTable(join(dir, 'empty.jsonl'), 'train'))).toBe('no-input:4')
    expect(await codeOf(readOutcomeTable(join(dir, 'bad.jsonl'), 'train'))).toBe('no-input:4')
    await expect(readOutcomeTable(join(dir, 'bad.jsonl'), 'train')).rejects.toThrow(
      /No usable line .*2 skipped, the first on line 1/,
    )
    expect(await codeOf(readTexts(join(dir, 'empty.jsonl')))).toBe('no-input:4')
  })

  it('says a file is UTF-16 or binary rather than a JSON error per line (trial 78: a program read as an outcome table)', async () => {
    const line = `${good('a', 'm1')}\n`
    writeFileSync(join(dir, 'bom16.jsonl'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, 'utf16le')]))
    writeFileSync(join(dir, 'plain16.jsonl'), Buffer.from(line, 'utf16le'))
    writeFileSync(join(dir, 'be16.jsonl'), Buffer.from(line, 'utf16le').swap16())
    writeFileSync(join(dir, 'binary.jsonl'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))
    for (const name of ['bom16.jsonl', 'plain16.jsonl', 'be16.jsonl']) {
      expect(await codeOf(readOutcomeTable(join(dir, name), 'train'))).toBe('bad-file:2')
      await expect(readOutcomeTable(join(dir, name), 'train')).rejects.toThrow(/cannot be read: it is UTF-16 text/)
    }
    await expect(readTexts(join(dir, 'binary.jsonl'))).rejects.toThrow(/it is a binary file \(NUL bytes\), not text/)
    // Good lines and then NUL padding (a writer that crashed): the lines are read, the padding skipped with its line.
    writeFileSync(
      join(dir, 'padded.jsonl'),
      Buffer.concat([Buffer.from(`${line}${good('a', 'm2')}\n`), Buffer.alloc(4096)]),
    )
    const padded = await readOutcomeTable(join(dir, 'padded.jsonl'), 'train')
    expect(padded.items).toHaveLength(1)
    expect(padded.skipped.map(s => s.line)).toEqual([3])
    // UTF-8 with characters beyond ASCII is text.
    writeFileSync(join(dir, 'utf8.jsonl'), good('é', 'mödel'))
    expect((await readOutcomeTable(join(dir, 'utf8.jsonl'), 'train')).items).toHaveLength(1)
  })

  it('reads the routing fixture as the schema says', async () => {
    const t = await readOutcomeTable(fixture('routing/outcomes.jsonl'), 'train')
    expect(t.skipped).toEqual([])
    expect(t.items.length).toBe(160)
    expect(t.models).toEqual(['large', 'medium', 'small'])
    const bad = await readOutcomeTable(fixture('routing/outcomes-bad.jsonl'), 'train')
    expect(bad.skipped.map(s => s.line)).toEqual([3, 4, 5, 6, 7])
    expect(bad.skipped.every(s => s.path.endsWith('outcomes-bad.jsonl'))).toBe(true)
  })
})
