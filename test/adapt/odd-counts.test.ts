/**
 * Odd numbers in trace records (issue #12): a token count that is fractional, negative, past 1e9 for one call,
 * or a recorded cost past $10,000, is never counted: its record is skipped with its file and line, and the
 * card's totals are those of the other records.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {fixture, read} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-odd-counts-'))
const source = readFileSync(fixture('claude-code/unknown-model.jsonl'), 'utf8')

describe('odd token counts and costs in a Claude Code session', async () => {
  const plain = await read(fixture('claude-code/unknown-model.jsonl'))
  const cases: Array<[string, string, RegExp]> = [
    ['a fractional count', '"input_tokens":60.5', /input_tokens: expected a whole count, got 60\.5/],
    ['a negative count', '"input_tokens":-60', /input_tokens: expected a non-negative number, got -60/],
    [
      'two billion tokens in one call',
      '"input_tokens":2000000000',
      /input_tokens: 2000000000 is not a plausible count/,
    ],
  ]
  for (const [name, replacement, reason] of cases) {
    it(`${name}: the record skipped with its line, its tokens never counted`, async () => {
      const path = join(dir, `${name.replace(/\W+/g, '-')}.jsonl`)
      writeFileSync(path, source.replace('"input_tokens":60', replacement))
      const result = await read(path)
      expect(result.skipped).toEqual([{path, line: 4, reason: expect.stringMatching(reason)}])
      const card = result.cards[0]!
      expect(card.totals.llmCalls).toBe(plain.cards[0]!.totals.llmCalls - 1)
      for (const s of card.steps) {
        const t = s.tokens
        if (t) for (const v of Object.values(t)) expect(Number.isInteger(v) && v >= 0 && v <= 1e9).toBe(true)
      }
    })
  }

  it('a recorded costUSD of 1e308: the record skipped with its line', async () => {
    const path = join(dir, 'cost.jsonl')
    const lines = source.split('\n')
    lines[3] = lines[3]!.replace(/^\{/, '{"costUSD":1e308,')
    writeFileSync(path, lines.join('\n'))
    const result = await read(path)
    expect(result.skipped).toEqual([{path, line: 4, reason: 'costUSD: $1e+308 is not a plausible cost'}])
    expect(result.cards[0]!.totals.llmCalls).toBe(plain.cards[0]!.totals.llmCalls - 1)
  })
})
