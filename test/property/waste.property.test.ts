/**
 * A dollar is claimed once: on any session, the wasted dollars of its flags
 * add up to no more than what its LLM calls cost. The two cases
 * (ten identical `cat` calls wasted $0.00509 of $0.00495; a thousand calls
 * whose context grows showed 1448% of spend) are regression tests; then
 * fast-check builds sessions of repeated, failing and re-read calls with
 * growing and shrinking contexts.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {TraceCard} from '../../src/card/types.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {readOne} from '../helpers.js'
import {type CallSpec, claudeSession} from '../support/traces.js'
import {LIMIT_MS, runs} from './runs.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-waste-property-'))
let files = 0

async function flagged(calls: CallSpec[]): Promise<TraceCard> {
  const path = join(dir, `s${files++}.jsonl`)
  writeFileSync(path, `${claudeSession({prompt: 'fix the bug', calls}).join('\n')}\n`)
  const card = await readOne(path)
  flagCard(card)
  return card
}

function sums(card: TraceCard): {cost: number; wasted: number; flags: number} {
  let cost = 0
  let wasted = 0
  let flags = 0
  for (const s of card.steps) {
    if (s.kind === 'llm') cost += s.cost?.usd ?? 0
    for (const f of s.flags ?? []) {
      expect(f.wastedUsd).toBeGreaterThanOrEqual(0)
      wasted += f.wastedUsd
      flags++
    }
  }
  return {cost, wasted, flags}
}

const cat = (i: number, cacheRead: number): CallSpec => ({
  tools: [{name: 'Bash', input: {command: 'cat src/app.py'}, output: 'x = 1\n'.repeat(400)}],
  usage: {input_tokens: 20 + i, output_tokens: 30, cache_read_input_tokens: cacheRead},
})

describe('wasted dollars never exceed the cost', () => {
  it('ten identical cat calls', async () => {
    const card = await flagged(Array.from({length: 10}, (_, i) => cat(i, 2000 + 600 * i)))
    const {cost, wasted, flags} = sums(card)
    expect(flags).toBeGreaterThanOrEqual(9)
    expect(wasted).toBeLessThanOrEqual(cost * (1 + 1e-9))
    expect(card.totals.wastedUsd).toBeLessThanOrEqual(card.totals.costUsd * (1 + 1e-9))
  })

  it('a thousand calls whose context grows', async () => {
    const card = await flagged(Array.from({length: 1000}, (_, i) => cat(i, 2000 + 600 * i)))
    const {cost, wasted} = sums(card)
    expect(wasted).toBeGreaterThan(0)
    expect(wasted).toBeLessThanOrEqual(cost * (1 + 1e-9))
  })

  it(
    'any session of repeated, failing and re-read calls (property)',
    async () => {
      const tool = fc.record({
        name: fc.constantFrom('Bash', 'Read', 'Grep'),
        input: fc.constantFrom(
          {command: 'cat a.py'},
          {command: 'npm test'},
          {file_path: '/home/dev/app/a.py'},
          {pattern: 'TODO'},
        ),
        output: fc.constantFrom('ok', 'x'.repeat(4000), 'Error: failed\n'.repeat(50), ''),
        isError: fc.boolean(),
      })
      const call = fc.record({
        tools: fc.array(tool, {maxLength: 3}),
        usage: fc.record({
          input_tokens: fc.integer({min: 0, max: 5000}),
          output_tokens: fc.integer({min: 0, max: 2000}),
          cache_read_input_tokens: fc.integer({min: 0, max: 200_000}),
          cache_creation_input_tokens: fc.integer({min: 0, max: 20_000}),
        }),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(call, {minLength: 1, maxLength: 40}), async calls => {
          const {cost, wasted} = sums(await flagged(calls))
          expect(wasted).toBeLessThanOrEqual(cost * (1 + 1e-9) + 1e-12)
        }),
        runs(60, 3000),
      )
    },
    LIMIT_MS,
  )
})
