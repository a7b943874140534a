/**
 * OpenHands corpus: every event stream is read, every card validates, and the
 * card's tokens equal those of the file's distinct model responses, read here
 * the plain way (dedupe by response id, LiteLLM prompt_tokens split by hand).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, llmSteps, read, skipNoCorpus} from '../helpers.js'

const dir = corpus('openhands-events')

interface Usage {
  prompt_tokens: number
  completion_tokens: number
  cache_creation_input_tokens?: number
  cache_read_input_tokens?: number
  prompt_tokens_details?: {cached_tokens?: number}
}
interface Event {
  id: number
  cause?: number
  action?: string
  observation?: string
  tool_call_metadata?: {tool_call_id: string; model_response: {id: string; usage?: Usage}}
  llm_metrics?: unknown
}

function oracle(path: string): {
  calls: number
  prompt: number
  output: number
  cacheRead: number
  cacheWrite: number
  answered: string[]
} {
  const events = JSON.parse(readFileSync(path, 'utf8')) as Event[]
  const responses = new Map<string, Usage>()
  for (const e of events) {
    const r = e.tool_call_metadata?.model_response
    if (r?.usage && !responses.has(r.id)) responses.set(r.id, r.usage)
  }
  const sum = {calls: responses.size, prompt: 0, output: 0, cacheRead: 0, cacheWrite: 0}
  for (const u of responses.values()) {
    sum.prompt += u.prompt_tokens
    sum.output += u.completion_tokens
    sum.cacheRead += u.cache_read_input_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0
    sum.cacheWrite += u.cache_creation_input_tokens ?? 0
  }
  // tool calls some observation answers
  const causes = new Set(events.filter(e => e.observation !== undefined).map(e => e.cause))
  const answered = events
    .filter(e => e.action && e.tool_call_metadata && causes.has(e.id))
    .map(e => e.tool_call_metadata!.tool_call_id)
  return {...sum, answered}
}

describe.skipIf(!hasCorpus)(`corpus: OpenHands event streams (${hasCorpus ? dir : skipNoCorpus})`, () => {
  const files = hasCorpus ? readdirSync(dir).filter(f => f.endsWith('.json')) : []

  it.each(files)("%s: one step per distinct response, tokens equal the responses' usage", async name => {
    const path = join(dir, name)
    const result = await read(path)
    expect(result.format).toBe('openhands')
    expect(result.skipped).toEqual([])
    expect(result.cards).toHaveLength(1)
    const card = result.cards[0]!
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    const o = oracle(path)
    expect(llmSteps(card).filter(s => s.tokens)).toHaveLength(o.calls)
    const t = card.totals.tokens
    // LiteLLM's prompt_tokens holds the cache reads and writes: the card's three prompt kinds add up to it
    expect(t.input + t.cacheRead + t.cacheWrite).toBe(o.prompt)
    expect(t.cacheRead).toBe(o.cacheRead)
    expect(t.cacheWrite).toBe(o.cacheWrite)
    expect(t.output).toBe(o.output)
    for (const callId of o.answered) {
      expect(card.steps.find(s => s.tool?.callId === callId)?.tool?.status, callId).not.toBe('unknown')
    }
    // no llm_metrics in these samples: nothing recorded, everything with tokens priced from them;
    // replies OpenHands kept no usage for are unpriced, never $0
    expect(card.recorded).toBeUndefined()
    expect(card.unpriced.every(u => u.reason === 'the log records no token usage for these calls')).toBe(true)
    expect(card.unpriced.reduce((n, u) => n + u.calls, 0)).toBe(
      card.steps.filter(s => s.kind === 'llm' && !s.tokens).length,
    )
    expect(card.totals.costUsd).toBeGreaterThan(0)
  })

  it('basic.json: the cached call splits into 6 new, 1158 written and 3482 read tokens', async () => {
    const card = (await read(join(dir, 'basic.json'))).cards[0]!
    const step = card.steps.find(s => s.id === 'chatcmpl-27cc0ad9-6b86-4f1f-9f72-d9c7ab2282f7')!
    expect(step.tokens).toMatchObject({input: 6, cacheWrite: 1158, cacheRead: 3482})
  })
})
