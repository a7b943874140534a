/**
 * GitHub Copilot CLI sessions (events.jsonl): one LLM step per API call, output tokens per call, the input and the
 * cache from each process's session.shutdown split over its calls, tool results with the shell's exit code, the
 * person's turns, a subagent as a child card.
 */
import {existsSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import type {Step, Tokens, TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, readOne, root} from '../helpers.js'

const FIXTURE = fixture('copilot-cli/session-events.jsonl')

function sum(steps: Step[]): Tokens {
  const t: Tokens = {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0}
  for (const s of steps) {
    t.input += s.tokens?.input ?? 0
    t.output += s.tokens?.output ?? 0
    t.cacheRead += s.tokens?.cacheRead ?? 0
    t.cacheWrite += s.tokens?.cacheWrite ?? 0
  }
  return t
}

const byModel = (card: TraceCard, model: string): Step[] => llmSteps(card).filter(s => s.model === model)

describe('Copilot CLI adapter', () => {
  it('reads one step per API call, the session, its calls and results, and the shell exit code', async () => {
    const card = await readOne(FIXTURE)
    expect(card.source.format).toBe('copilot-cli')
    expect(card.source.toolVersion).toBe('1.0.72-1')
    expect(card.sessionId).toBe('7b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d')
    expect(card.cwd).toBe('/home/dev/shop')
    expect(card.gitBranch).toBe('main')
    const llm = llmSteps(card)
    // api-1 is written as two messages (its reasoning, then its text and calls): one step. Seven calls before the
    // shutdown, one step for the title model's tokens, one call after the resume.
    expect(llm.map(s => s.model)).toEqual([...Array(7).fill('claude-sonnet-4.5'), 'gpt-4.1-mini', 'claude-sonnet-4.5'])
    expect(llm[0]!.text).toMatch(/look at the server/)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(t => [t.tool!.name, t.tool!.status, t.tool!.exitCode])).toEqual([
      ['view', 'ok', undefined],
      ['rg', 'ok', undefined],
      ['bash', 'ok', 0],
      ['view', 'error', undefined],
      ['apply_patch', 'ok', undefined],
      ['bash', 'error', 1],
      ['task', 'ok', undefined],
      ['bash', 'unknown', undefined],
    ])
    expect(tools[0]!.parentStepId).toBe(llm[0]!.id)
    expect(tools[1]!.parentStepId).toBe(llm[0]!.id)
    // The shell's `<shellId: N completed with exit code C>` is no part of what the command printed.
    expect(tools[5]!.tool!.excerpt).toMatch(/# fail 1$/)
    expect(tools[2]!.tool!.outputChars).toBe(0)
    expect(tools[3]!.tool!.excerpt).toBe('Path does not exist')
    // The instruction text Copilot adds as a user message is not the person's: two turns, the resume's the second.
    expect(llm[6]!.turn).toBe(llm[0]!.turn)
    expect(llm[8]!.turn).toBe((llm[0]!.turn ?? 0) + 1)
  })

  it("splits each shutdown's per-model sums over that process's calls, exactly, the later calls taking more", async () => {
    const card = await readOne(FIXTURE)
    const sonnet = byModel(card, 'claude-sonnet-4.5')
    const before = sonnet.slice(0, 7)
    // inputTokens 60,000 hold the 40,000 cache reads and 5,000 cache writes: 15,000 fresh.
    expect(sum(before)).toEqual({input: 15000, output: 600, cacheRead: 40000, cacheWrite: 5000, reasoning: 0})
    expect(before.every(s => s.estimated)).toBe(true)
    // Each call keeps its own output tokens; the 30 the shutdown counts beyond them are spread over the calls.
    expect(before.map(s => s.recordedOutput ?? s.tokens!.output)).toEqual([120, 60, 40, 200, 50, 80, 20])
    // The conversation grows: a later call's prompt is larger.
    const inputs = before.map(s => s.tokens!.input + s.tokens!.cacheRead + s.tokens!.cacheWrite)
    expect(inputs[6]!).toBeGreaterThan(inputs[0]!)
    // The title model has no message: one step holds its tokens.
    expect(byModel(card, 'gpt-4.1-mini')[0]!.tokens).toMatchObject({input: 500, output: 12})
    // After the resume there is no shutdown: that call counts its output alone, and the card says so.
    expect(sonnet[7]!.tokens).toEqual({input: 0, output: 90, cacheRead: 0, cacheWrite: 0, reasoning: 0})
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/1 call\(s\) after the last session.shutdown/)
    // The subagent: a child card under the task call, its haiku calls sharing haiku's sums.
    expect(card.children).toHaveLength(1)
    const child = card.children[0]!
    expect(child.parent).toMatchObject({traceId: card.id, toolCallId: 'call_t1'})
    expect(sum(llmSteps(child))).toEqual({input: 6000, output: 55, cacheRead: 3000, cacheWrite: 0, reasoning: 0})
    expect(child.steps.filter(s => s.kind === 'tool').map(t => t.tool!.name)).toEqual(['rg'])
    // What the shutdown counted equals aco's totals over the session and its subagent, less the call after it.
    const all = sum([...llmSteps(card), ...llmSteps(child)])
    expect(card.recorded?.tokens).toMatchObject({...all, output: all.output - 90, reasoning: 0})
    expect(card.recorded?.apiCalls).toBe(10)
  })

  it("reads Copilot's tools: view reads a file, rg searches the folder its `paths` names, apply_patch writes", async () => {
    const card = await readOne(FIXTURE)
    const ctx = buildContext(card)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(ctx.actions[tools[0]!.index]).toMatchObject({kind: 'read', reads: [{path: '/home/dev/shop/server.js'}]})
    expect(ctx.actions[tools[1]!.index]).toMatchObject({kind: 'search', searches: [{scopes: ['/home/dev/shop']}]})
    expect(ctx.actions[tools[4]!.index]).toMatchObject({kind: 'write', targets: ['/home/dev/shop/server.js']})
  })

  it('is told from other JSONL: the event envelope {type, data, parentId} with a Copilot event type', async () => {
    const {copilotCliAdapter} = await import('../../src/adapt/copilot-cli.js')
    expect(copilotCliAdapter.sniff([{type: 'session.start', data: {producer: 'copilot-agent'}, parentId: null}])).toBe(
      true,
    )
    expect(copilotCliAdapter.sniff([{type: 'user.message', data: {content: 'hi'}, id: 'e1', parentId: null}])).toBe(
      true,
    )
    // Claude Code's records and OpenTelemetry spans are no Copilot events.
    expect(copilotCliAdapter.sniff([{type: 'user', message: {role: 'user'}, parentUuid: null}])).toBe(false)
    expect(copilotCliAdapter.sniff([{name: 'chat', attributes: {}, parentId: null}])).toBe(false)
  })
})

const REAL = `${root}test/corpus-extra/fresh192/copilot-cli/azure-dev-45f1a36c.jsonl`

describe.skipIf(!existsSync(REAL))('Copilot CLI adapter on a real session (fresh192, JeffreyCA/azure-dev)', () => {
  it("reads every call and result; its output tokens are the messages' own, and Entire's count of the first 27", async () => {
    const card = await readOne(REAL)
    const llm = llmSteps(card)
    expect(llm).toHaveLength(29)
    expect(card.steps.filter(s => s.kind === 'tool')).toHaveLength(108)
    expect(card.steps.filter(s => s.kind === 'tool' && s.tool!.status === 'unknown')).toHaveLength(0)
    expect(card.totals.tokens.output).toBe(18112)
    // Entire's checkpoint metadata counts 27 API calls and 17,832 output tokens when it was taken.
    expect(sum(llm.slice(0, 27)).output).toBe(17832)
    // No shutdown in this log: the card says why it counts no input.
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/no session.shutdown/)
  })
})
