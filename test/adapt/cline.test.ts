/**
 * Cline task histories (`api_conversation_history.json`): one LLM step per assistant message, its calls' results read
 * from the next user message's `[tool for '…'] Result:` text, the person's turns, the working folder.
 */
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {fixture, llmSteps, readOne} from '../helpers.js'

describe('Cline adapter', () => {
  it('reads calls, their results from the text after them, usage, turns and the working folder', async () => {
    const card = await readOne(fixture('cline/task-history.json'))
    expect(card.source.format).toBe('cline')
    expect(card.cwd).toBe('/home/dev/shop')
    expect(card.title).toMatch(/ignores PORT/)
    const llm = llmSteps(card)
    expect(llm).toHaveLength(7)
    expect(llm[0]!.model).toBe('claude-sonnet-4-5')
    // The prompt holds what was read from the cache.
    expect(llm[1]!.tokens).toMatchObject({input: 1300, cacheRead: 1100, output: 70})
    expect(card.totals.tokens.input + card.totals.tokens.cacheRead).toBe(1200 + 2400 + 2900 + 3300 + 4200 + 3600 + 3900)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(t => [t.tool!.name, t.tool!.status])).toEqual([
      ['read_file', 'ok'],
      ['execute_command', 'error'],
      ['read_file', 'ok'],
      ['replace_in_file', 'ok'],
      ['read_file', 'ok'],
      ['attempt_completion', 'ok'],
      ['use_subagents', 'ok'],
    ])
    expect(tools[1]!.tool!.exitCode).toBe(1)
    // Each call is its own message's, and its result is without Cline's header.
    for (const [k, t] of tools.entries()) expect(t.parentStepId).toBe(llm[k]!.id)
    expect(tools[0]!.tool!.excerpt).toMatch(/^1 \| export const port/)
    // The feedback given with the completion is the person's next turn.
    expect(tools[6]!.turn ?? 0).toBeGreaterThan(tools[5]!.turn ?? 0)
  })

  it('flags the same file read again with nothing changed between, and reads its numbered lines', async () => {
    const card = await readOne(fixture('cline/task-history.json'))
    const ctx = buildContext(card)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(ctx.actions[tools[0]!.index]).toMatchObject({kind: 'read'})
    expect(ctx.shown(tools[0]!)?.numbered).toEqual([[1, 3]])
    flagCard(card)
    // 3: the file again after the failed test. 5: the file right after replace_in_file printed it whole
    // (`<final_file_content>`): the content the write left.
    expect(ctx.actions[tools[3]!.index]!.writes[0]).toMatchObject({path: '/home/dev/shop/src/app.ts'})
    expect(ctx.actions[tools[3]!.index]!.writes[0]!.content).toMatch(/^import 'dotenv\/config'/)
    expect(tools.map(t => t.flags?.[0]?.kind ?? null)).toEqual([
      null,
      null,
      'reread-unchanged',
      null,
      'reread-unchanged',
      null,
      null,
    ])
  })
})

describe('Cline result shapes (review 57)', () => {
  it("reads native tool_result blocks (their header dropped), results out of order by their argument, and older Cline's header and result in two blocks", async () => {
    const native = await readOne(fixture('cline/native-tool-results.json'))
    const n = native.steps.filter(s => s.kind === 'tool')
    expect(n.map(t => t.tool!.status)).toEqual(['ok', 'error', 'ok'])
    expect(n[1]!.tool!.exitCode).toBe(1)
    expect(n[0]!.tool!.excerpt).toMatch(/^1 \| /)
    const order = await readOne(fixture('cline/results-out-of-order.json'))
    const o = order.steps.filter(s => s.kind === 'tool')
    // read_file a.ts and b.ts in one message, answered b then a: each gets its own file's lines.
    expect(o.slice(0, 2).map(t => t.tool!.excerpt)).toEqual([expect.stringMatching(/A/), expect.stringMatching(/B/)])
    const apart = await readOne(fixture('cline/header-and-result-apart.json'))
    const a = apart.steps.filter(s => s.kind === 'tool')
    expect(a.every(t => t.tool!.status !== 'unknown' && (t.tool!.excerpt ?? '') !== '')).toBe(true)
  })
})
