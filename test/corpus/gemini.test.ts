/**
 * Gemini corpus: the recorded API responses and the chat recordings are read
 * with no skip, every card validates, and the card's tokens equal the files'
 * own totals (`totalTokenCount` per call, `tokens.total` per message), read
 * here the plain way.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {tokenSum} from '../../src/card/build.js'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, llmSteps, read, skipNoCorpus} from '../helpers.js'

const dir = corpus('gemini-cli')

type Usage = Partial<
  Record<
    | 'promptTokenCount'
    | 'candidatesTokenCount'
    | 'cachedContentTokenCount'
    | 'thoughtsTokenCount'
    | 'toolUsePromptTokenCount'
    | 'totalTokenCount',
    number
  >
>
interface Chunk {
  usageMetadata?: Usage
  candidates?: Array<{content?: {parts?: Array<{functionCall?: unknown}>}}>
}

/** Per call, each usage field's largest value over its chunks; summed over the file. */
function responsesOracle(path: string) {
  const sum = {
    calls: 0,
    functionCalls: 0,
    prompt: 0,
    candidates: 0,
    cached: 0,
    thoughts: 0,
    toolUse: 0,
    total: 0,
    consistent: true,
  }
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const r = JSON.parse(line) as {method: string; response: Chunk | Chunk[]}
    if (!r.method.startsWith('generateContent')) continue
    const chunks = Array.isArray(r.response) ? r.response : [r.response]
    const max = (k: keyof Usage): number => Math.max(0, ...chunks.map(c => c.usageMetadata?.[k] ?? 0))
    sum.calls++
    sum.functionCalls += chunks.flatMap(c => c.candidates?.[0]?.content?.parts ?? []).filter(p => p.functionCall).length
    const m = {
      prompt: max('promptTokenCount'),
      candidates: max('candidatesTokenCount'),
      cached: max('cachedContentTokenCount'),
      thoughts: max('thoughtsTokenCount'),
      toolUse: max('toolUsePromptTokenCount'),
      total: max('totalTokenCount'),
    }
    // the per-field maxima reproduce the largest total the API reported for the call
    if (m.prompt + m.candidates + m.thoughts + m.toolUse !== m.total) sum.consistent = false
    for (const k of ['prompt', 'candidates', 'cached', 'thoughts', 'toolUse', 'total'] as const) sum[k] += m[k]
  }
  return sum
}

describe.skipIf(!hasCorpus)(`corpus: Gemini CLI (${hasCorpus ? dir : skipNoCorpus})`, () => {
  const all = hasCorpus ? readdirSync(dir) : []
  const responses = all.filter(f => f.endsWith('.responses'))
  const chats = all.filter(f => f.endsWith('.json'))

  it.each(responses)(
    '%s: tokens equal the per-call maxima, totals equal totalTokenCount, unpriced not $0',
    async name => {
      const path = join(dir, name)
      const result = await read(path)
      expect(result.format).toBe('gemini-api')
      expect(result.skipped).toEqual([])
      expect(result.cards).toHaveLength(1)
      const card = result.cards[0]!
      const validate = validator('tracecard')
      expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
      const o = responsesOracle(path)
      expect(o.consistent).toBe(true)
      expect(card.totals.llmCalls).toBe(o.calls)
      expect(card.totals.toolCalls).toBe(o.functionCalls)
      const t = card.totals.tokens
      expect(t.input + t.cacheRead).toBe(o.prompt + o.toolUse)
      expect(t.cacheRead).toBe(o.cached)
      expect(t.output).toBe(o.candidates + o.thoughts)
      expect(t.reasoning).toBe(o.thoughts)
      expect(tokenSum(t)).toBe(o.total)
      // no model name in these files: listed as unpriced with every token, cost null
      expect(card.unpriced).toEqual([{model: '(unknown)', tokens: t, calls: o.calls, reason: expect.any(String)}])
      expect(llmSteps(card).every(s => s.cost?.usd === null)).toBe(true)
    },
  )

  it.each(chats)("%s: each reply's tokens add up to its tokens.total", async name => {
    const path = join(dir, name)
    const result = await read(path)
    expect(result.format).toBe('gemini-cli')
    expect(result.skipped).toEqual([])
    const card = result.cards[0]!
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    const doc = JSON.parse(readFileSync(path, 'utf8')) as {
      sessionId: string
      messages: Array<{id: string; type: string; tokens?: {total: number}; toolCalls?: unknown[]}>
    }
    expect(card.id).toBe(doc.sessionId)
    const replies = doc.messages.filter(m => m.type === 'gemini' || m.type === 'model')
    expect(llmSteps(card).map(s => s.id)).toEqual(replies.map(m => m.id))
    for (const m of replies.filter(r => r.tokens)) {
      expect(tokenSum(card.steps.find(s => s.id === m.id)!.tokens!), m.id).toBe(m.tokens!.total)
    }
    expect(card.totals.toolCalls).toBe(replies.reduce((n, m) => n + (m.toolCalls?.length ?? 0), 0))
  })

  it('the large fixture\'s schema drift (type "model") is read and said, not fatal', async () => {
    const card = (await read(join(dir, 'agent-sessions-gemini-chat-large.json'))).cards[0]!
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/2 message\(s\) of type "model"/)
    // "Exit Code: 1" in a call that reports success is a failed command
    expect(card.steps.find(s => s.tool?.callId === 'run_shell_command-2')?.tool).toMatchObject({
      status: 'error',
      exitCode: 1,
    })
  })
})
