/**
 * OpenCode session exports (`opencode export`, Entire's `full.jsonl`): one LLM step per model step (`step-finish`),
 * tokens with the cache and the reasoning apart, tool parts with their state, the person's turns, the session's own sum.
 */
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {fixture, llmSteps, readOne} from '../helpers.js'

describe('OpenCode adapter', () => {
  it('reads model steps, their tokens and cost, tool calls and results, turns and the session folder', async () => {
    const card = await readOne(fixture('opencode/session-export.json'))
    expect(card.source.format).toBe('opencode')
    expect(card.source.toolVersion).toBe('1.18.21')
    expect(card.cwd).toBe('/home/dev/shop')
    expect(card.title).toBe('Fix the server ignoring PORT')
    const llm = llmSteps(card)
    // Four assistant messages, the second of two model steps.
    expect(llm).toHaveLength(5)
    expect(llm[0]!.model).toBe('claude-sonnet-4-5')
    // OpenCode's output leaves out the reasoning, which aco's holds; its input leaves out the cache.
    expect(llm[0]!.tokens).toEqual({input: 1200, output: 80, cacheRead: 0, cacheWrite: 800, reasoning: 20})
    expect(llm[2]!.tokens).toEqual({input: 250, output: 30, cacheRead: 2400, cacheWrite: 0, reasoning: 0})
    expect(llm[0]!.cost?.recordedUsd).toBe(0.0081)
    // The session's own sum of its messages' tokens equals aco's.
    expect(card.recorded?.tokens).toEqual(card.totals.tokens)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(t => [t.tool!.name, t.tool!.status, t.tool!.exitCode])).toEqual([
      ['read', 'ok', undefined],
      ['bash', 'error', 1],
      ['read', 'ok', undefined],
      ['edit', 'ok', undefined],
      ['edit', 'error', undefined],
      ['bash', 'ok', 0],
      ['bash', 'unknown', undefined],
    ])
    // Each call is its model step's: the second read is the second step of its message.
    expect(tools[1]!.parentStepId).toBe(llm[1]!.id)
    expect(tools[2]!.parentStepId).toBe(llm[2]!.id)
    expect(tools[4]!.tool!.excerpt).toMatch(/not found/)
    // The second prompt is a turn of its own; OpenCode's synthetic text in it is no part of it.
    expect(tools[5]!.turn).toBe((tools[0]!.turn ?? 0) + 1)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/1 tool call\(s\) never returned/)
  })

  it("reads read's numbered lines inside its wrapper, and flags the file read again with nothing changed", async () => {
    const card = await readOne(fixture('opencode/session-export.json'))
    const ctx = buildContext(card)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(ctx.actions[tools[0]!.index]).toMatchObject({kind: 'read', reads: [{path: '/home/dev/shop/src/config.ts'}]})
    // `<path>…<content>` above and `(End of file - total 3 lines)` below are no lines of the file.
    expect(ctx.shown(tools[0]!)).toMatchObject({numbered: [[1, 4]], headLines: 3})
    expect(ctx.actions[tools[3]!.index]).toMatchObject({kind: 'write', targets: ['/home/dev/shop/src/config.ts']})
    flagCard(card)
    // 3: config.ts again after a test run that wrote nothing; not 6 (the edit changed it).
    expect(tools.map(t => t.flags?.[0]?.kind ?? null)).toEqual([null, null, 'reread-unchanged', null, null, null, null])
  })

  it('is told from other JSON documents: a session export needs info.id and messages of {info.role, parts}', async () => {
    const {opencodeAdapter} = await import('../../src/adapt/opencode.js')
    const session = {info: {id: 'ses_1', directory: '/r'}, messages: [{info: {role: 'user'}, parts: []}]}
    expect(opencodeAdapter.sniff(session)).toBe(true)
    expect(opencodeAdapter.sniff({info: {id: 'x'}, messages: [{role: 'user', content: 'hi'}]})).toBe(false)
    expect(opencodeAdapter.sniff([{role: 'user'}])).toBe(false)
  })
})
