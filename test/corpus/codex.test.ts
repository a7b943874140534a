/**
 * Codex corpus: every rollout is read, every card validates, and each card's
 * totals equal the file's own final `total_token_usage`.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, read, skipNoCorpus} from '../helpers.js'

const dir = corpus('codex-rollout')

function finalUsage(path: string): Record<string, number> | undefined {
  let last: Record<string, number> | undefined
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.includes('"token_count"')) continue
    const r = JSON.parse(line) as {
      payload?: {type?: string; info?: {total_token_usage?: Record<string, number>} | null}
    }
    if (r.payload?.type === 'token_count' && r.payload.info?.total_token_usage) last = r.payload.info.total_token_usage
  }
  return last
}

describe.skipIf(!hasCorpus)(`corpus: Codex rollouts (${hasCorpus ? dir : skipNoCorpus})`, () => {
  const rollouts = hasCorpus ? readdirSync(dir).filter(f => f.endsWith('.jsonl')) : []

  it.each(rollouts)('%s: totals equal the final total_token_usage', async name => {
    const path = join(dir, name)
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.cards).toHaveLength(1)
    const card = result.cards[0]!
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    const u = finalUsage(path)!
    expect(card.totals.tokens.input + card.totals.tokens.cacheRead).toBe(u.input_tokens)
    expect(card.totals.tokens.cacheRead).toBe(u.cached_input_tokens)
    expect(card.totals.tokens.output).toBe(u.output_tokens)
    expect(card.totals.tokens.reasoning).toBe(u.reasoning_output_tokens)
    expect(card.unpriced).toEqual([])
    expect(card.totals.costUsd).toBeGreaterThan(0)
  })

  it('reports the non-rollout file in the folder as an unknown format', async () => {
    const result = await read(join(dir, 'localpush-fixture-manifest.json'))
    expect(result.cards).toEqual([])
    expect(result.skipped[0]!.reason).toMatch(/^unknown format/)
  })
})
