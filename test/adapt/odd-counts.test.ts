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

describe('odd recorded costs and counts where other readers keep a cost beside the tokens', () => {
  // (ATIF, OpenCode, Langfuse: a cost that was negative, a string or past $10,000 was dropped in silence; OpenCode's
  // token counts were read as 0.)
  const cases: Array<[string, string, RegExp, RegExp, string]> = [
    [
      'an ATIF step cost of -5',
      'atif/spec-subagent-logprobs.json',
      /"cost_usd":\s*0\.00045/,
      /^steps\[\d+\]\.metrics\.cost_usd: expected a non-negative number, got -5: that cost is not counted$/,
      '"cost_usd": -5',
    ],
    [
      'an OpenCode step cost written as a string',
      'opencode/session-export.json',
      /"cost": 0\.0081,(\s*)"id": "prt_msg_a1_sf3"/,
      /step-finish\.cost: expected a number, got string: that cost is not counted$/,
      '"cost": "0.0081",$1"id": "prt_msg_a1_sf3"',
    ],
    [
      'a Langfuse trace total of $20,000',
      'langfuse/trace-7f3c9a1e-2b4d-4e8f-9a6b-1c2d3e4f5a6b.json',
      /"totalCost":\s*[0-9.]+/,
      /^trace\.totalCost: \$20000 is not a plausible cost: that cost is not counted$/,
      '"totalCost": 20000',
    ],
  ]
  for (const [name, file, pattern, reason, replacement] of cases)
    it(`${name}: said with its field, never counted, the rest read`, async () => {
      const text = readFileSync(fixture(file), 'utf8')
      expect(text).toMatch(pattern)
      const path = join(dir, file.replace(/\//g, '-'))
      writeFileSync(path, text.replace(pattern, replacement))
      const result = await read(path)
      const plain = await read(fixture(file))
      expect(result.skipped.map(s => s.reason)).toEqual([expect.stringMatching(reason)])
      const costs = result.cards.flatMap(c => c.steps.map(s => s.cost?.recordedUsd ?? 0))
      expect(costs.every(c => c >= 0 && c <= 1e4)).toBe(true)
      expect(result.cards[0]!.totals.llmCalls).toBe(plain.cards[0]!.totals.llmCalls)
    })

  it('an OpenCode token count of -10: the message skipped with its field', async () => {
    const text = readFileSync(fixture('opencode/session-export.json'), 'utf8')
    const path = join(dir, 'opencode-negative-tokens.json')
    // (The step-finish part's own count: the one the call is read from.)
    const at = text.lastIndexOf('"output": 60', text.indexOf('"id": "prt_msg_a1_sf3"'))
    writeFileSync(path, `${text.slice(0, at)}"output": -10${text.slice(at + '"output": 60'.length)}`)
    const result = await read(path)
    expect(result.skipped.map(s => s.reason)).toEqual([
      expect.stringMatching(/\.tokens\.output: expected a non-negative number, got -10$/),
    ])
    for (const s of result.cards[0]!.steps) if (s.tokens) expect(s.tokens.output).toBeGreaterThanOrEqual(0)
  })
})
