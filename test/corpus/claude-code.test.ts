/**
 * Claude Code corpus: every file is read, every card validates, and no
 * response is counted twice. The expected figures come from an independent,
 * deliberately simple reading of the files (distinct message ids, largest usage).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {validator} from '../../src/util/schemas.js'
import {allCards, corpus, hasCorpus, read, skipNoCorpus} from '../helpers.js'

const dir = corpus('claude-code')

function files(): string[] {
  if (!hasCorpus) return []
  const top = readdirSync(dir)
    .filter(f => f.endsWith('.jsonl'))
    .map(f => join(dir, f))
  const sub = readdirSync(join(dir, 'subagents')).map(f => join(dir, 'subagents', f))
  return [...top, ...sub]
}

/** Distinct responses and their tokens, the plain way. */
function oracle(path: string): {calls: number; input: number; output: number; cacheRead: number; cacheWrite: number} {
  const best = new Map<string, {total: number; u: Record<string, number>}>()
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const r = JSON.parse(line) as {
      message?: {id?: string; model?: string; role?: string; usage?: Record<string, number>}
    }
    const m = r.message
    if (!m?.usage || m.role !== 'assistant' || m.model === '<synthetic>' || !m.id) continue
    const u = m.usage
    const total =
      (u.input_tokens ?? 0) +
      (u.output_tokens ?? 0) +
      (u.cache_read_input_tokens ?? 0) +
      (u.cache_creation_input_tokens ?? 0)
    const prev = best.get(m.id)
    if (!prev || total > prev.total) best.set(m.id, {total, u})
  }
  const sum = {calls: best.size, input: 0, output: 0, cacheRead: 0, cacheWrite: 0}
  for (const {u} of best.values()) {
    sum.input += u.input_tokens ?? 0
    sum.output += u.output_tokens ?? 0
    sum.cacheRead += u.cache_read_input_tokens ?? 0
    sum.cacheWrite += u.cache_creation_input_tokens ?? 0
  }
  return sum
}

describe.skipIf(!hasCorpus)(`corpus: Claude Code (${hasCorpus ? dir : skipNoCorpus})`, () => {
  it.each(files().map(f => [f.slice(dir.length), f]))(
    '%s: read whole, valid cards, each response once',
    async (_name, path) => {
      const result = await read(path)
      expect(result.skipped).toEqual([])
      expect(result.format).toBe('claude-code')
      const cards = allCards(result.cards)
      const validate = validator('tracecard')
      for (const card of result.cards) expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
      // every inline sidechain is nested under the Task call that started it
      for (const card of cards)
        expect(card.warnings.filter(w => /no Task call in this file started it/.test(w.message))).toEqual([])
      const got = {calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0}
      const ids = new Set<string>()
      for (const card of cards) {
        got.calls += card.totals.llmCalls
        got.input += card.totals.tokens.input
        got.output += card.totals.tokens.output
        got.cacheRead += card.totals.tokens.cacheRead
        got.cacheWrite += card.totals.tokens.cacheWrite
        for (const s of card.steps) if (s.kind === 'llm') ids.add(s.id)
      }
      expect(ids.size).toBe(got.calls)
      expect(got).toEqual(oracle(path))
    },
  )

  it('every LLM step of the corpus is priced', async () => {
    const run = await analyze({paths: [dir], home: '/nonexistent', env: {}})
    expect(run.summary.unpriced).toEqual([])
    expect(run.summary.totals.costUsd).toBeGreaterThan(0)
    const expectedCalls = files().reduce((n, f) => n + oracle(f).calls, 0)
    expect(run.summary.totals.llmCalls).toBe(expectedCalls)
    expect(run.repeatedResponses).toBe(0)
  })
})
