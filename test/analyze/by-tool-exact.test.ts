/** The tool rows' dollars add up to the total exactly: an LLM call's cost is split among its tools in whole nano-dollars. */
import {describe, expect, it} from 'vitest'
import {SummaryBuilder} from '../../src/analyze/aggregate.js'
import {analyze} from '../../src/analyze/analyze.js'
import {leanCard} from '../../src/analyze/lean.js'
import {declinedByPerson} from '../../src/flag/output.js'
import {fixture} from '../helpers.js'
import {toNano} from '../../src/util/exact.js'
import {computeTotals} from '../../src/card/build.js'
import type {Step, TraceCard} from '../../src/card/types.js'

const tokens = {input: 1, output: 2, cacheRead: 0, cacheWrite: 0, reasoning: 0}

function llm(id: string, usd: number, tools: string[]): Step {
  return {index: 0, id, kind: 'llm', model: 'm1', tokens, cost: {usd, source: 'computed'}, toolStepIds: tools} as Step
}

function tool(id: string, parent: string, name: string): Step {
  return {index: 0, id, kind: 'tool', parentStepId: parent, tool: {name, callId: id, status: 'ok'}} as Step
}

function cardOf(steps: Step[]): TraceCard {
  steps.forEach((s, i) => {
    s.index = i
  })
  return {
    schemaVersion: '1.0',
    id: 't',
    source: {format: 'claude-code', path: '/logs/t.jsonl'},
    steps,
    children: [],
    models: ['m1'],
    totals: computeTotals(steps),
    unpriced: [],
    warnings: [],
  } as unknown as TraceCard
}

function rowsOf(card: TraceCard): {rows: Map<string, number>; sum: number; total: number} {
  const builder = new SummaryBuilder()
  builder.add([card])
  const summary = builder.build([])
  const rows = new Map(summary.byTool.map(r => [r.tool, toNano(r.costUsd)]))
  return {rows, sum: [...rows.values()].reduce((n, v) => n + v, 0), total: toNano(summary.totals.costUsd)}
}

describe('byTool', () => {
  it("splits a call's cost among its tools so that the rows sum to the total, nano-dollar for nano-dollar", () => {
    // 11 nano-dollars among three tools: 3.67 each, rounded, would give 12; 7 among two, 3.5 each, 6 or 8.
    const {rows, sum, total} = rowsOf(
      cardOf([
        llm('a', 11e-9, ['a1', 'a2', 'a3']),
        tool('a1', 'a', 'Read'),
        tool('a2', 'a', 'Bash'),
        tool('a3', 'a', 'Grep'),
        llm('b', 7e-9, ['b1', 'b2']),
        tool('b1', 'b', 'Read'),
        tool('b2', 'b', 'Read'),
        llm('c', 0.1 + 0.2, []),
      ]),
    )
    // The remainder goes to the first calls: 4, 4, 3 and 4, 3.
    expect(rows.get('Bash')).toBe(4)
    expect(rows.get('Grep')).toBe(3)
    expect(rows.get('Read')).toBe(4 + 7)
    expect(sum).toBe(total)
  })

  it('shares a call among the tool calls of it the card holds: after --since/--until dropped some, listed twice, or not listed', () => {
    // 11 nano-dollars, three tool ids listed, one of them no longer in the card (a window dropped it): 6 and 5.
    const dropped = rowsOf(
      cardOf([llm('a', 11e-9, ['a1', 'a2', 'a3']), tool('a1', 'a', 'Read'), tool('a3', 'a', 'Bash')]),
    )
    expect(dropped.rows.get('Read')).toBe(6)
    expect(dropped.rows.get('Bash')).toBe(5)
    expect(dropped.sum).toBe(dropped.total)
    // Every tool call dropped: the call is counted apart (it did issue some).
    const none = rowsOf(cardOf([llm('a', 11e-9, ['a1'])]))
    expect(none.rows.get('(tool calls left out)')).toBe(11)
    expect(none.rows.has('(no tool call)')).toBe(false)
    expect(none.sum).toBe(none.total)
    // An id listed twice counts once; a tool call its parent does not list gets no share (its siblings have it all).
    const odd = rowsOf(
      cardOf([
        llm('a', 11e-9, ['a1', 'a1', 'a2']),
        tool('a1', 'a', 'Read'),
        tool('a2', 'a', 'Bash'),
        tool('a9', 'a', 'Grep'),
      ]),
    )
    expect(odd.rows.get('Read')).toBe(6)
    expect(odd.rows.get('Bash')).toBe(5)
    expect(odd.rows.get('Grep')).toBe(0)
    expect(odd.sum).toBe(odd.total)
    // A tool call whose parent is another tool call: no LLM call issued it, so no share and no unknown cost.
    const nested = cardOf([
      llm('a', null as unknown as number, ['a1']),
      tool('a1', 'a', 'Task'),
      tool('a2', 'a1', 'Read'),
    ])
    const builder = new SummaryBuilder()
    builder.add([nested])
    const read = builder.build([]).byTool.find(r => r.tool === 'Read')!
    expect([read.costUsd, read.unpricedCalls]).toEqual([0, 0])
  })
})

describe('byTool: calls a person declined', () => {
  // Claude Code's "The user doesn't want to proceed with this tool use" (with the person's words) and Codex's "exec
  // command rejected by user" are no failure of the tool's: the new user's trial read a person's rejections as errors.
  const paths = [
    fixture('review69/r3-declined-install-reason-given.jsonl'),
    fixture('waste-classes/codex-never-started.jsonl'),
  ]
  it('counts them apart from errors, the same on one thread and two (where the cards come back lean)', async () => {
    const rows = async (threads: number) => {
      const r = await analyze({paths, home: '/nonexistent', env: {}, threads})
      return Object.fromEntries(
        r.summary.byTool.map(t => [t.tool, {calls: t.calls, errors: t.errors, declined: t.declined}]),
      )
    }
    const one = await rows(1)
    expect(one).toEqual({
      Bash: {calls: 3, errors: 2, declined: 1},
      shell_command: {calls: 7, errors: 5, declined: 1},
    })
    expect(await rows(2)).toEqual(one)
  })

  it("knows a person's refusal by its words: Codex's exec and patch, Claude Code's; not Codex's own refusal", () => {
    for (const text of [
      'exec command rejected by user',
      'patch rejected by user',
      "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, …",
      "The user doesn't want to take this action right now. STOP what you are doing",
    ])
      expect(declinedByPerson(text), text).toBe(true)
    for (const text of ['exec command rejected: dangerous command detected; rejected by policy', 'Error: Exit code 1'])
      expect(declinedByPerson(text), text).toBe(false)
  })

  it("keeps in a lean card only a mark of a person's refusal, never a failed call's words (review 73)", () => {
    const failed = tool('f1', 'a', 'Bash')
    failed.tool!.status = 'error'
    failed.tool!.excerpt = 'curl: (22) 401 with key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'
    const declined = tool('d1', 'a', 'Bash')
    declined.tool!.status = 'error'
    declined.tool!.excerpt = "The user doesn't want to proceed with this tool use. The tool use was rejected"
    const lean = leanCard(cardOf([llm('a', 1e-6, ['f1', 'd1']), failed, declined]))
    expect(lean.steps[1]!.tool!.excerpt).toBeUndefined()
    expect(declinedByPerson(lean.steps[2]!.tool!.excerpt)).toBe(true)
    expect(JSON.stringify(lean)).not.toContain('sk-ant')
  })

  it('a tool no person declined has no declined count, and errors stay what failed', async () => {
    const r = await analyze({paths: [fixture('claude-code')], home: '/nonexistent', env: {}, threads: 1})
    expect(r.summary.byTool.some(t => t.errors > 0)).toBe(true)
    expect(r.summary.byTool.every(t => t.declined === undefined)).toBe(true)
  })
})
