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

/**
 * Distinct responses and their tokens, the plain way; and how many of them logged a streaming placeholder
 * as their output count (the text of their distinct content blocks holds over 3 × 3.5 characters per
 * recorded output token, and at least 16 tokens more than recorded).
 */
function oracle(path: string): {
  calls: number
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  placeholders: number
} {
  const best = new Map<string, {total: number; u: Record<string, number>; texts: Set<string>; model?: string}>()
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const r = JSON.parse(line) as {
      message?: {id?: string; model?: string; role?: string; usage?: Record<string, number>; content?: unknown}
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
    const texts = prev?.texts ?? new Set<string>()
    const blocks = typeof m.content === 'string' ? [{type: 'text', text: m.content}] : (m.content as unknown[])
    for (const b of (blocks ?? []) as Array<{
      type?: string
      text?: string
      thinking?: string
      name?: string
      input?: unknown
    }>) {
      if (b.type === 'text' && typeof b.text === 'string') texts.add(`t${b.text}`)
      else if (b.type === 'thinking' && typeof b.thinking === 'string') texts.add(`h${b.thinking}`)
      else if (b.type === 'tool_use') texts.add(`u${b.name ?? ''}${JSON.stringify(b.input ?? null)}`)
    }
    if (!prev || total > prev.total) best.set(m.id, {total, u, texts, model: m.model})
  }
  const sum = {calls: best.size, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, placeholders: 0}
  for (const {u, texts} of best.values()) {
    sum.input += u.input_tokens ?? 0
    sum.output += u.output_tokens ?? 0
    sum.cacheRead += u.cache_read_input_tokens ?? 0
    sum.cacheWrite += u.cache_creation_input_tokens ?? 0
    const chars = [...texts].reduce((n, t) => n + t.length - 1, 0)
    const fromText = Math.ceil(chars / 3.5)
    if ((u.output_tokens ?? 0) * 3 < fromText && fromText - (u.output_tokens ?? 0) >= 16) sum.placeholders++
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
      // Output as the log recorded it (a step whose count was a streaming placeholder keeps it in recordedOutput).
      const got = {calls: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, placeholders: 0}
      const ids = new Set<string>()
      let estimatedExtra = 0
      let warnedExtra = 0
      for (const card of cards) {
        got.calls += card.totals.llmCalls
        got.input += card.totals.tokens.input
        got.cacheRead += card.totals.tokens.cacheRead
        got.cacheWrite += card.totals.tokens.cacheWrite
        for (const s of card.steps) {
          if (s.kind !== 'llm') continue
          ids.add(s.id)
          got.output += s.recordedOutput ?? s.tokens?.output ?? 0
          if (s.recordedOutput !== undefined) {
            got.placeholders++
            expect(s.estimated).toBe(true)
            estimatedExtra += s.tokens!.output - s.recordedOutput
          }
        }
        for (const w of card.warnings) if (w.estimate?.counted) warnedExtra += w.estimate.tokens.output
        // The card's total output is the recorded output plus the estimates, to the token.
        expect(card.totals.tokens.output).toBe(
          card.steps.reduce((n, s) => n + (s.kind === 'llm' ? (s.tokens?.output ?? 0) : 0), 0),
        )
      }
      expect(ids.size).toBe(got.calls)
      expect(got).toEqual(oracle(path))
      // Every token added by an estimate is said in a warning, with its price.
      expect(warnedExtra).toBe(estimatedExtra)
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
