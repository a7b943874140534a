/**
 * Claude Code under-counts that real logs hide: output counts that are
 * streaming placeholders (2.1.x), and subagents whose calls exist only in the
 * parent's `agent_progress` records, or nowhere that was read.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {fixture, llmSteps, readOne} from '../helpers.js'

describe('streaming placeholders as output counts', () => {
  it("estimates a response's output from its text when the log kept the count the stream started with", async () => {
    const card = await readOne(fixture('claude-code/streaming-placeholder.jsonl'))
    const [answer, final] = llmSteps(card)
    // thinking, a long answer and a tool call, every split record with output_tokens 4
    expect(answer!.recordedOutput).toBe(4)
    expect(answer!.estimated).toBe(true)
    expect(answer!.tokens!.output).toBe(Math.ceil(7930 / 3.5))
    // the prompt side is as recorded
    expect(answer!.tokens).toMatchObject({input: 3, cacheRead: 21000, cacheWrite: 1800})
    // a final count (stop_reason set, 38 tokens for 108 characters) is left alone
    expect(final!.recordedOutput).toBeUndefined()
    expect(final!.estimated).toBeUndefined()
    expect(final!.tokens!.output).toBe(38)
    expect(card.totals.tokens.output).toBe(Math.ceil(7930 / 3.5) + 38)
  })

  it('says so in a warning, with the dollars that rest on the estimate', async () => {
    const card = await readOne(fixture('claude-code/streaming-placeholder.jsonl'))
    const [answer] = llmSteps(card)
    const warning = card.warnings.find(w => w.estimate)!
    expect(warning.message).toMatch(
      /^1 response logged a streaming placeholder as output count \(4 tokens for 7,930 characters of text, the largest\): output estimated from the text at 3.5 characters a token, 4 → 2,266 tokens; the steps are marked estimated; \$0\.03 of the cost rests on this estimate$/,
    )
    expect(warning.estimate).toMatchObject({model: 'claude-sonnet-4-5-20250929', calls: 1, counted: true})
    expect(warning.estimate!.tokens.output).toBe(2266 - 4)
    // the dollars are the output price of the added tokens ($15 a million for Sonnet 4.5)
    expect(warning.estimate!.usd).toBeCloseTo((2266 - 4) * 15e-6, 9)
    expect(answer!.cost!.usd).toBeGreaterThan(warning.estimate!.usd!)
  })

  it('never estimates more than one response can hold (128k tokens), and says which were capped', async () => {
    // The fixture's long answer made 600,000 characters: more text than any model writes in one response.
    const lines = readFileSync(fixture('claude-code/streaming-placeholder.jsonl'), 'utf8').split('\n')
    let grown = false
    const out = lines.map(line => {
      if (grown || !line.includes('"type":"text"')) return line
      const record = JSON.parse(line)
      const block = record.message?.content?.find((b: {type?: string}) => b.type === 'text')
      if (!block) return line
      block.text = 'x'.repeat(600_000)
      grown = true
      return JSON.stringify(record)
    })
    expect(grown).toBe(true)
    const dir = mkdtempSync(join(tmpdir(), 'aco-placeholder-'))
    try {
      writeFileSync(join(dir, 'big.jsonl'), out.join('\n'))
      const card = await readOne(join(dir, 'big.jsonl'))
      const [answer] = llmSteps(card)
      expect(answer!.estimated).toBe(true)
      expect(answer!.tokens!.output).toBe(128_000)
      expect(card.warnings.find(w => w.estimate)!.message).toMatch(
        /1 of them held more text than one response can: each counted at 128,000 tokens/,
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('sums the dollars at stake over the run', async () => {
    const run = await analyze({paths: [fixture('claude-code/streaming-placeholder.jsonl')], home: '/x', env: {}})
    expect(run.summary.warnings.estimates!.countedUsd).toBeCloseTo((2266 - 4) * 15e-6, 9)
    expect(run.summary.warnings.estimates!.notCountedUsd).toBe(0)
  })
})

describe("subagents in the parent's agent_progress records", () => {
  const session = '9d4f1e27-6b3a-4c58-a0e9-2f7d5c8b1a36'

  it('reads a subagent with no transcript file from the progress records, under its Task call', async () => {
    const run = await analyze({
      paths: [fixture('claude-code/subagent-in-progress')],
      home: '/x',
      env: {},
      keepCards: true,
    })
    expect(run.cards).toHaveLength(1)
    const [card] = run.cards
    expect(card!.children).toHaveLength(1)
    const child = card!.children[0]!
    expect(child.id).toBe(`${session}/agent-a7e3f9c`)
    expect(child.parent).toMatchObject({
      traceId: session,
      stepId: 'toolu_01ProgressTask000000001',
      agentType: 'Explore',
    })
    expect(llmSteps(child).map(s => s.id)).toEqual(['msg_01ProgressSub000000001', 'msg_01ProgressSub000000002'])
    expect(child.models).toEqual(['claude-haiku-4-5-20251001'])
    expect(child.totals.tokens).toMatchObject({input: 8, cacheRead: 11074 + 11927, cacheWrite: 853 + 2246})
    // its Grep call and result are read too
    expect(child.steps.filter(s => s.kind === 'tool').map(s => [s.tool!.name, s.tool!.status])).toEqual([
      ['Grep', 'ok'],
    ])
    expect(child.warnings.map(w => w.message)).toContainEqual(
      expect.stringMatching(/read from the parent session's agent_progress records/),
    )
    expect(run.summary.totals.llmCalls).toBe(4)
  })

  it('counts a subagent call whose progress record copies its usage as zeros by its output alone, its input unrecorded (fresh46: the prompt is never 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-progress-zeros-'))
    const file = `${session}.jsonl`
    const text = readFileSync(fixture(`claude-code/subagent-in-progress/${file}`), 'utf8')
    const zeroed = text
      .split('\n')
      .map(l =>
        l.includes('"agent_progress"')
          ? l.replace(/"usage":\{[^}]*\}[^}]*\}/, '"usage":{"input_tokens":0,"output_tokens":0}')
          : l,
      )
      .join('\n')
    expect(zeroed).not.toBe(text)
    writeFileSync(join(dir, file), zeroed)
    const run = await analyze({paths: [dir], home: '/x', env: {}, keepCards: true})
    const child = run.cards[0]!.children[0]!
    expect(llmSteps(child).map(s => s.inputUnrecorded)).toEqual([true, true])
    expect(child.warnings.map(w => w.message)).toContainEqual(
      expect.stringMatching(/^2 of its calls' prompts are recorded as 0 tokens in those records/),
    )
    // The parent's own calls are not touched.
    expect(llmSteps(run.cards[0]!).some(s => s.inputUnrecorded)).toBe(false)
  })

  it('counts it once, from its own file, when the session is read with its subagents folder', async () => {
    const withFile = await analyze({
      paths: [fixture('claude-code/subagent-in-progress-and-file')],
      home: '/x',
      env: {},
      keepCards: true,
    })
    const alone = await analyze({paths: [fixture('claude-code/subagent-in-progress')], home: '/x', env: {}})
    expect(withFile.summary.totals.llmCalls).toBe(4)
    expect(withFile.summary.totals.tokens).toEqual(alone.summary.totals.tokens)
    expect(withFile.repeatedResponses).toBe(0)
    const child = withFile.cards[0]!.children
    expect(child).toHaveLength(1)
    expect(child[0]!.source.path).toMatch(/subagents\/agent-a7e3f9c\.jsonl$/)
    expect(child[0]!.warnings.map(w => w.message).join()).not.toMatch(/agent_progress/)
  })

  it("estimates a background agent from its completion notice's usage (its Task result only says it was launched)", async () => {
    // Claude Code 2.1's `<task-notification>` ends with `<usage><total_tokens>…</total_tokens><tool_uses>…</tool_uses>`:
    // a new user's five background review agents had been "no usage was recorded" (about $6.4 of a $13 session).
    const card = await readOne(fixture('subagent-estimates/background-agent-notice-usage.jsonl'))
    const warning = card.warnings.find(w => w.subagent)!
    expect(warning.message).toMatch(
      /its completion notice records 17 tool uses and a last call of 52,640 tokens: about 18 calls at claude-sonnet-4-5-20250929 prices, their prompts alone; estimated ≈\$0\.\d\d, not counted$/,
    )
    // 18 calls whose context grows evenly to 52,640 tokens: written once, read back half on average; no output told.
    expect(warning.estimate).toMatchObject({calls: 18, counted: false})
    expect(warning.estimate!.tokens).toMatchObject({cacheWrite: 52640, cacheRead: 18 * 26320 - 52640, output: 0})
    const run = await analyze({
      paths: [fixture('subagent-estimates/background-agent-notice-usage.jsonl')],
      home: '/x',
      env: {},
    })
    expect(run.summary.warnings.estimates!.notCountedUsd).toBeCloseTo(warning.estimate!.usd!, 9)
    // The same session without the usage block: nothing to estimate from.
    const bare = await readOne(fixture('waste-classes/background-agent.jsonl'))
    expect(bare.warnings.find(w => w.subagent)!.message).toMatch(/no usage was recorded for it to estimate from$/)
  })

  it('warns that a transcript is missing, with what the Task result lets one estimate, not counted', async () => {
    const card = await readOne(fixture('claude-code/subagent-transcript-missing.jsonl'))
    expect(card.children).toEqual([])
    expect(card.totals.llmCalls).toBe(2)
    const warning = card.warnings.find(w => w.subagent)!
    expect(warning.subagent).toBe('c2a8d5e1-7f39-4b06-9e4d-1a6b3c8f2d70/agent-a5c1e8b4d2f6a9073')
    expect(warning.message).toMatch(
      /^subagent a5c1e8b4d2f6a9073 \("Review cart divisions"\): its transcript \(subagents\/agent-a5c1e8b4d2f6a9073\.jsonl\) was not read .* not counted; its Task result records 11 tool uses and a last call of 41,004 prompt tokens: about 12 calls at claude-opus-4-6 prices; estimated ≈\$0\.\d\d, not counted$/,
    )
    expect(warning.estimate).toMatchObject({model: 'claude-opus-4-6', calls: 12, counted: false})
    // 12 calls whose context grows evenly to 41,004 tokens: written once, read back half on average
    expect(warning.estimate!.tokens).toMatchObject({cacheWrite: 41004, cacheRead: 12 * 20502 - 41004, output: 12 * 246})
    expect(warning.estimate!.usd).toBeGreaterThan(0.3)
    const run = await analyze({paths: [fixture('claude-code/subagent-transcript-missing.jsonl')], home: '/x', env: {}})
    expect(run.summary.warnings.estimates!.notCountedUsd).toBeCloseTo(warning.estimate!.usd!, 9)
    // not in the totals
    expect(run.summary.totals.costUsd).toBeCloseTo(card.totals.costUsd, 9)
  })

  it('says a subagent whose Task result records no tool use and no tokens left nothing to count, no estimate', async () => {
    // fresh363's Explore agents: "Failed to authenticate. API Error: 403", usage all zeros. It had read "about 1 calls
    // at claude-opus-4-6 prices" with an estimate of nothing.
    const card = await readOne(fixture('subagent-estimates/subagent-failed-before-first-call.jsonl'))
    const warning = card.warnings.find(w => w.subagent)!
    expect(warning.message).toBe(
      'subagent a9d3f1c7e5b2a4068 ("Review cart divisions"): its Task result records no tool use and no tokens (it stopped before its first call was answered): nothing of it to count',
    )
    expect(warning.estimate).toBeUndefined()
  })

  it('drops that warning when the subagent file is read with the session', async () => {
    const {cpSync, mkdtempSync, mkdirSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'aco-missing-'))
    const id = 'c2a8d5e1-7f39-4b06-9e4d-1a6b3c8f2d70'
    cpSync(fixture('claude-code/subagent-transcript-missing.jsonl'), join(dir, `${id}.jsonl`))
    mkdirSync(join(dir, id, 'subagents'), {recursive: true})
    const rec = (n: number, extra: object): string =>
      JSON.stringify({
        parentUuid: null,
        isSidechain: true,
        sessionId: id,
        agentId: 'a5c1e8b4d2f6a9073',
        version: '2.1.63',
        uuid: `66666666-0000-4000-8000-00000000000${n}`,
        timestamp: `2026-02-28T14:20:1${n}.000Z`,
        ...extra,
      })
    writeFileSync(
      join(dir, id, 'subagents', 'agent-a5c1e8b4d2f6a9073.jsonl'),
      `${rec(1, {type: 'user', message: {role: 'user', content: 'Review src/cart'}})}\n${rec(2, {
        type: 'assistant',
        requestId: 'req_lost_1',
        message: {
          model: 'claude-opus-4-6',
          id: 'msg_lost_1',
          role: 'assistant',
          content: [{type: 'text', text: 'Found two more.'}],
          stop_reason: 'end_turn',
          usage: {input_tokens: 4, cache_creation_input_tokens: 1200, cache_read_input_tokens: 39800, output_tokens: 6},
        },
      })}\n`,
    )
    const run = await analyze({paths: [dir], home: '/x', env: {}, keepCards: true})
    const card = run.cards[0]!
    expect(card.children.map(c => c.id)).toEqual([`${id}/agent-a5c1e8b4d2f6a9073`])
    expect(card.warnings.filter(w => w.subagent)).toEqual([])
    expect(run.summary.warnings.estimates).toBeUndefined()
  })
})
