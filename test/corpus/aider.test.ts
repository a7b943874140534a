/**
 * Aider corpus: every chat history and LLM log is read with no skip, every card
 * validates, and each session's card matches the file's own figures, read here
 * the plain way: its Tokens lines (calls and counts) and its costs (the
 * message costs add up to the session cost within the printed rounding, and
 * the card records the last session figure).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, read, skipNoCorpus} from '../helpers.js'
import {readTraceFile} from '../../src/read/read-file.js'

const dir = corpus('aider-history')

const count = (s: string | undefined): number => {
  if (!s) return 0
  const n = Number(s.replace(/[kKmM]$/, '').replace(/,/g, ''))
  return Math.round(/k$/i.test(s) ? n * 1000 : /m$/i.test(s) ? n * 1e6 : n)
}
const half = (s: string): number => 5 / 10 ** (s.length - s.indexOf('.'))

interface SessionFigures {
  started: string
  calls: number
  sent: number
  received: number
  messageUsd: number
  /** The rounding the printed message costs may hide (half their last digit each). */
  tolerance: number
  sessionUsd?: number
  sessionText?: string
  hasCard: boolean
}

function sessions(path: string): SessionFigures[] {
  const out: SessionFigures[] = []
  let s: SessionFigures | undefined
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const start = /^# aider chat started at (\S+) (\S+)/.exec(line)
    if (start) {
      s = {
        started: `${start[1]}T${start[2]}.000Z`,
        calls: 0,
        sent: 0,
        received: 0,
        messageUsd: 0,
        tolerance: 0,
        hasCard: false,
      }
      out.push(s)
      continue
    }
    if (!s) continue
    if (line.startsWith('#### ') || line.startsWith('> litellm.')) s.hasCard = true
    const t =
      /^> Tokens: (\S+) sent, (?:(\S+) cache write, )?(?:(\S+) cache hit, )?(\S+) received\.(?: Cost: \$(\S+) (?:message|request), \$(\S+) session\.)?/.exec(
        line,
      )
    if (!t) continue
    s.hasCard = true
    s.calls++
    s.sent += count(t[1])
    s.received += count(t[4])
    if (t[5] && t[6]) {
      s.messageUsd += Number(t[5])
      s.tolerance += half(t[5])
      s.sessionUsd = Number(t[6])
      s.sessionText = t[6]
    }
  }
  return out
}

describe.skipIf(!hasCorpus)(`corpus: Aider (${hasCorpus ? dir : skipNoCorpus})`, () => {
  const histories = hasCorpus ? readdirSync(dir).filter(f => f.endsWith('.aider.chat.history.md')) : []
  const logs = hasCorpus ? readdirSync(dir).filter(f => f.endsWith('.aider.llm.history')) : []

  it.each(histories)('%s: a card per session, with its Tokens lines and costs', async name => {
    const path = join(dir, name)
    const result = await read(path)
    expect(result.format).toBe('aider')
    expect(result.skipped).toEqual([])
    const validate = validator('tracecard')
    for (const card of result.cards) expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    const expected = sessions(path).filter(s => s.hasCard)
    expect(result.cards.map(c => c.startedAt)).toEqual(expected.map(s => s.started))
    expected.forEach((s, i) => {
      const card = result.cards[i]!
      const t = card.totals.tokens
      expect(card.totals.llmCalls, s.started).toBe(s.calls)
      expect(t.input + t.cacheRead + t.cacheWrite, s.started).toBe(s.sent)
      expect(t.output, s.started).toBe(s.received)
      if (s.sessionUsd === undefined) {
        expect(card.recorded).toBeUndefined()
        return
      }
      const tolerance = s.tolerance + half(s.sessionText!) + 1e-12
      expect(Math.abs(s.messageUsd - s.sessionUsd), `${s.started}: the file's own figures agree`).toBeLessThanOrEqual(
        tolerance,
      )
      expect(card.recorded?.costUsd).toBe(s.sessionUsd)
      expect(Math.abs(card.totals.recordedCostUsd! - s.messageUsd)).toBeLessThan(1e-9)
      expect(card.warnings.map(w => w.message).join('\n')).not.toMatch(/add up to/)
    })
  })

  it('simple-calculator: the session cost runs on across /model switches ($0.0071 → $0.0077)', async () => {
    const card = (await read(join(dir, 'simple-calculator.aider.chat.history.md'))).cards[0]!
    expect(card.models).toEqual([
      'gemini/gemini-2.5-pro-exp-03-25',
      'openai/qwen3:32b',
      'openai/deepseek.deepseek-chat',
    ])
    expect(card.recorded?.costUsd).toBe(0.03)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/litellm\.RateLimitError ×14/)
  })

  it.each(logs)('%s: one step per request, failed requests counted', async name => {
    const path = join(dir, name)
    // Beside its chat history it is a companion: the history's calls carry the tokens, and are counted once
    const beside = await read(path)
    expect(beside.cards).toEqual([])
    expect(beside.companion).toMatch(/counted from simple-calculator\.aider\.chat\.history\.md/)
    // Read on its own (--format), it is a trace of its own
    const result = await readTraceFile(path, {format: 'aider-llm-history'})
    expect(result.format).toBe('aider-llm-history')
    expect(result.skipped).toEqual([])
    const card = result.cards[0]!
    expect(validator('tracecard')(card)).toBe(true)
    const text = readFileSync(path, 'utf8')
    const blocks = text.split(/^TO LLM /m).slice(1)
    // a request whose response has no ASSISTANT line with text got no answer
    const failed = blocks.filter(b => !/^ASSISTANT .*\S/m.test(b.split(/^LLM RESPONSE .*$/m)[1] ?? '')).length
    expect(card.totals.llmCalls).toBe(blocks.length)
    expect(card.totals.tokens).toEqual({input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(card.warnings.map(w => w.message)).toContain(
      `${failed} request(s) got no answer (rate limits or errors that aider retried)`,
    )
  })
})
