/** `--by`, `--tz`, `--since`/`--until`: the keys, the exact sums, the window. */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {toNano} from '../../src/util/exact.js'
import {leanCard} from '../../src/analyze/lean.js'
import {
  type GroupBy,
  GroupBuilder,
  isoWeek,
  markActiveBlock,
  NO_TIME,
  periodsBetween,
  resolveTimeZone,
  stepTime,
} from '../../src/analyze/group.js'
import {parseShard, shardUnits} from '../../src/analyze/shard.js'
import type {Unit} from '../../src/analyze/units.js'
import {applyWindow, parseWindowDate} from '../../src/analyze/window.js'
import {computeTotals} from '../../src/card/build.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import type {AnalyzeResult} from '../../src/analyze/result.js'
import {renderAnalyze} from '../../src/report/terminal.js'
import {runAnalyze} from '../../src/services/analyze.js'
import {fixture, root} from '../helpers.js'

const tokens = {input: 1, output: 2, cacheRead: 0, cacheWrite: 0, reasoning: 0}

function llm(id: string, at: string | undefined, usd: number, wasted = 0, model = 'm1'): Step {
  const step: Step = {index: 0, id, kind: 'llm', model, tokens, cost: {usd, source: 'computed'}}
  if (at) step.startedAt = at
  if (wasted) step.flags = [{kind: 'loop', reason: 'r', confidence: 1, wastedUsd: wasted, evidence: []}]
  return step
}

function card(id: string, steps: Step[], extra: Partial<TraceCard> = {}): TraceCard {
  steps.forEach((s, i) => {
    s.index = i
  })
  return {
    schemaVersion: '1.0',
    id,
    source: {format: 'claude-code', path: `/logs/proj-a/${id}.jsonl`},
    steps,
    children: [],
    models: ['m1'],
    totals: computeTotals(steps),
    unpriced: [],
    warnings: [],
    ...extra,
  } as TraceCard
}

/** An analysis of `path` grouped `by`, in the zone `tz` (and what else is asked). */
async function grouped(
  path: string,
  by: GroupBy,
  tz: string,
  extra: {shard?: string; until?: string; since?: string} = {},
): Promise<AnalyzeResult> {
  const {result} = await runAnalyze({
    paths: [path],
    by,
    tz,
    redact: true,
    home: '/x',
    env: {},
    // (No cache: it would be made under the home given, a folder that must not be written.)
    cache: false,
    version: 't',
    now: () => new Date(0),
    ...extra,
  })
  return result
}

describe('--by', () => {
  it('dates steps in the zone: 23:30 UTC is the next day in Berlin, the same day in New York', () => {
    const cards = [card('a', [llm('1', '2026-11-29T23:30:00Z', 1), llm('2', '2026-11-30T10:00:00Z', 2)])]
    const berlin = new GroupBuilder('day', 'Europe/Berlin')
    berlin.add(cards)
    expect(berlin.build().rows.map(r => [r.key, r.costUsd])).toEqual([['2026-11-30', 3]])
    const ny = new GroupBuilder('day', 'America/New_York')
    ny.add(cards)
    expect(ny.build().rows.map(r => [r.key, r.costUsd, r.traces])).toEqual([
      ['2026-11-29', 1, 1],
      ['2026-11-30', 2, 1],
    ])
  })

  it('draws blocks in the terminal and the report: every block in time order, a chart of them side by side', async () => {
    const result = await grouped(fixture('claude-code'), 'block', 'UTC')
    const {validator} = await import('../../src/util/schemas.js')
    const validate = validator('analyze-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    const screen = renderAnalyze(result, {width: 100, color: false, top: 3, timeZone: 'UTC'})
    expect(screen).toMatch(/^Cost by 5-hour block {2}\(UTC, by start\)$/m)
    const keys = result.groups!.rows.map(r => r.key).filter(k => k !== NO_TIME)
    expect(keys.length).toBeGreaterThan(3)
    // (All of them, as for days: time rows are not cut to --top.)
    for (const k of keys) expect(screen).toContain(k)
    expect([...keys].sort()).toEqual(keys)
    const {renderMarkdownReport} = await import('../../src/report/markdown.js')
    const report = renderMarkdownReport(result, [], {assetsDir: 'r', generatedAt: '2026-03-01T00:00:00Z', version: '0'})
    expect(report.markdown).toMatch(/^## Cost by 5-hour block$/m)
    expect(report.assets.some(a => /Cost per 5-hour block \(UTC, by start\)/.test(a.content))).toBe(true)
  })

  it("joins calls into 5-hour billing blocks over every trace, as ccusage's blocks: from the hour of the first call after the last block ended", () => {
    const g = new GroupBuilder('block', 'Asia/Kolkata')
    g.add([
      card('a', [
        llm('1', '2026-11-30T09:59:00Z', 1),
        llm('2', '2026-11-30T13:59:59Z', 2, 0.5),
        // (Past 14:00, the block's end: a new block, from 14:00.)
        llm('3', '2026-11-30T14:00:01Z', 4),
        llm('4', undefined, 8),
      ]),
      // Another trace's call falls in the first block: the block holds it, and counts both traces.
      card('b', [llm('5', '2026-11-30T12:30:00Z', 16)]),
      // Hours later, after a gap: a block from that call's hour.
      card('c', [llm('6', '2026-12-01T02:45:00Z', 32), llm('7', '2026-12-01T06:59:00Z', 64)]),
    ])
    const grouping = g.build()
    expect(grouping.timeZone).toBe('Asia/Kolkata')
    expect(grouping.rows.map(r => r.startsAt)).toEqual([
      '2026-11-30T09:00:00.000Z',
      '2026-11-30T14:00:00.000Z',
      '2026-12-01T02:00:00.000Z',
      undefined,
    ])
    // The block in use at the run's time is marked; one whose five hours are over is not.
    markActiveBlock(grouping, Date.parse('2026-12-01T06:59:59Z'))
    expect(grouping.rows.map(r => r.active)).toEqual([undefined, undefined, true, undefined])
    // (Blocks start on UTC hours, dated in the zone: 09:00 UTC is 14:30 in Kolkata.)
    expect(grouping.rows.map(r => [r.key, r.costUsd, r.wastedUsd, r.llmCalls, r.traces])).toEqual([
      ['2026-11-30 14:30', 1 + 2 + 16, 0.5, 3, 2],
      ['2026-11-30 19:30', 4, 0, 1, 1],
      ['2026-12-01 07:30', 32 + 64, 0, 2, 1],
      [NO_TIME, 8, 0, 1, 1],
    ])
  })

  it("dates a Claude Code response written over several records by its first, as ccusage does (trial 96: one that ended past a block's end went to the next block, and --until dropped it)", async () => {
    const {mkdtempSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'aco-block-edge-'))
    const usage = (input: number) => ({
      input_tokens: input,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    })
    const user = (uuid: string, parent: string | null, at: string) => ({
      parentUuid: parent,
      type: 'user',
      sessionId: 's1',
      uuid,
      timestamp: at,
      message: {role: 'user', content: 'go'},
    })
    const said = (uuid: string, parent: string, at: string, id: string, input: number, text: string) => ({
      parentUuid: parent,
      type: 'assistant',
      sessionId: 's1',
      uuid,
      timestamp: at,
      requestId: `req_${id}`,
      message: {
        id: `msg_${id}`,
        role: 'assistant',
        model: 'claude-haiku-4-5-20251001',
        content: [{type: 'text', text}],
        usage: usage(input),
      },
    })
    const records = [
      user('u1', null, '2026-02-11T10:05:00.000Z'),
      said('a1', 'u1', '2026-02-11T10:05:02.000Z', 'A', 10, 'a'),
      user('u2', 'a1', '2026-02-11T14:59:53.869Z'),
      // One response in two records, either side of 15:00, when the 10:00 block ends.
      said('b1', 'u2', '2026-02-11T14:59:59.022Z', 'B', 20, 'b part one'),
      said('b2', 'b1', '2026-02-11T15:00:05.957Z', 'B', 20, 'b part two'),
      user('u3', 'b2', '2026-02-11T15:10:00.000Z'),
      said('c1', 'u3', '2026-02-11T15:10:02.000Z', 'C', 40, 'c'),
    ]
    const path = join(dir, 's1.jsonl')
    writeFileSync(path, `${records.map(r => JSON.stringify(r)).join('\n')}\n`)
    const blocks = (await grouped(path, 'block', 'UTC')).groups!.rows
    expect(blocks.map(r => [r.key, r.llmCalls, r.tokens.input])).toEqual([
      ['2026-02-11 10:00', 2, 30],
      ['2026-02-11 15:00', 1, 40],
    ])
    const result = await grouped(path, 'day', 'UTC', {until: '2026-02-11T15:00Z'})
    expect(result.totals.llmCalls).toBe(2)
  })

  it('reads, by block, the files a window would pass over by their age: their calls place its blocks (trial 129)', async () => {
    const {mkdtempSync, utimesSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'aco-block-window-'))
    const session = (name: string, times: string[]) => {
      const path = join(dir, `${name}.jsonl`)
      const records = times.map((at, k) => ({
        type: 'assistant',
        sessionId: name,
        uuid: `${name}-${k}`,
        timestamp: at,
        requestId: `req_${name}${k}`,
        message: {
          id: `msg_${name}${k}`,
          role: 'assistant',
          model: 'claude-haiku-4-5-20251001',
          content: [{type: 'text', text: 'ok'}],
          usage: {input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0},
        },
      }))
      writeFileSync(path, `${records.map(r => JSON.stringify(r)).join('\n')}\n`)
      const last = new Date(times[times.length - 1]!)
      utimesSync(path, last, last)
    }
    // Last written before the window: a block from 22:00 runs on past midnight into the next session's calls.
    session('old', ['2026-04-01T22:10:00.000Z', '2026-04-01T23:30:00.000Z'])
    session('new', ['2026-04-02T01:00:00.000Z', '2026-04-02T02:30:00.000Z', '2026-04-02T03:30:00.000Z'])
    // A broken file, and a copy of the old session, both last written before the window: they place the blocks and
    // say nothing (review 132: their problems had been listed, and the run exited 3, where --by day opened neither).
    const {copyFileSync} = await import('node:fs')
    copyFileSync(join(dir, 'old.jsonl'), join(dir, 'old-copy.jsonl'))
    writeFileSync(join(dir, 'broken.jsonl'), '{"type":"assistant","timestamp":\n')
    for (const name of ['old-copy.jsonl', 'broken.jsonl'])
      utimesSync(join(dir, name), new Date('2026-04-01T23:30:00Z'), new Date('2026-04-01T23:30:00Z'))
    const blocks = await grouped(dir, 'block', 'UTC', {since: '2026-04-02'})
    expect(blocks.window).toMatchObject({filesSkipped: 3, filesPlacingBlocks: 3})
    expect(blocks.files.read).toBe(1)
    expect(blocks.skipped).toEqual([])
    expect(blocks.repeatedResponses).toBe(0)
    expect(blocks.totals.llmCalls).toBe(3)
    expect(blocks.groups!.rows.map(r => [r.key, r.llmCalls, r.traces])).toEqual([
      ['2026-04-01 22:00', 2, 1],
      ['2026-04-02 03:00', 1, 1],
    ])
    // By day the old files are not opened, as before.
    const days = await grouped(dir, 'day', 'UTC', {since: '2026-04-02'})
    expect(days.window?.filesSkipped).toBe(3)
    expect(days.window?.filesPlacingBlocks).toBeUndefined()
    expect(days.groups!.rows.map(r => [r.key, r.llmCalls])).toEqual([['2026-04-02', 3]])
  })

  it('starts blocks at calls only, a tool call going with the call that made it, and keeps in a block a call at the instant it ends, as ccusage (review 97)', () => {
    const tool = (id: string, parent: string, at: string): Step => ({
      index: 0,
      id,
      kind: 'tool',
      parentStepId: parent,
      endedAt: at,
    })
    const g = new GroupBuilder('block', 'UTC')
    g.add([
      card('a', [
        llm('1', '2026-03-02T10:06:00Z', 1),
        // (Its result logged at 15:59, a permission answered hours later: no block of its own.)
        tool('t1', '1', '2026-03-02T15:59:00Z'),
        // (Exactly five hours after the block's start: still the 10:00 block's.)
        llm('2', '2026-03-02T15:00:00Z', 2),
        llm('3', '2026-03-02T16:01:00Z', 4),
        llm('4', '2026-03-02T20:31:00Z', 8),
      ]),
    ])
    expect(g.build().rows.map(r => [r.key, r.costUsd, r.llmCalls, r.toolCalls])).toEqual([
      ['2026-03-02 10:00', 3, 2, 1],
      ['2026-03-02 16:00', 12, 2, 0],
    ])
  })

  it("draws each agent's blocks apart, as its own limits are (trial 129: a Codex session's calls had moved Claude Code's block start)", async () => {
    const g = new GroupBuilder('block', 'UTC')
    const codex = (id: string, steps: Step[]) =>
      card(id, steps, {source: {format: 'codex', path: `/logs/codex/${id}.jsonl`}} as Partial<TraceCard>)
    g.add([
      codex('x', [llm('1', '2026-02-23T11:40:00Z', 1), llm('2', '2026-02-23T12:45:00Z', 2)]),
      card('a', [llm('3', '2026-02-23T13:10:00Z', 4), llm('4', '2026-02-23T17:10:00Z', 8)]),
    ])
    // (Alone, Claude Code's calls make one block from 13:00; Codex's from 11:00 had taken the first and left 17:10 alone.)
    expect(g.build().rows.map(r => [r.key, r.agent, r.startsAt, r.llmCalls, r.costUsd, r.traces])).toEqual([
      ['2026-02-23 11:00 codex', 'codex', '2026-02-23T11:00:00.000Z', 2, 3, 1],
      ['2026-02-23 13:00 claude-code', 'claude-code', '2026-02-23T13:00:00.000Z', 2, 12, 1],
    ])
    // On the screen the agent has a column of its own: at 80 columns the start is whole (review 132 met it cut).
    const shown = await grouped(fixture('claude-code'), 'block', 'UTC')
    shown.groups = g.build()
    const screen = renderAnalyze(shown, {width: 80, color: false, top: 10, timeZone: 'UTC'})
    expect(screen).toMatch(/^ {2}block {13}agent {8}calls/m)
    expect(screen).toMatch(/^ {2}2026-02-23 11:00 {2}codex +2 /m)
    expect(screen).toMatch(/^ {2}2026-02-23 13:00 {2}claude-code +2 /m)
    // One agent's blocks keep the key of their start alone, as before.
    const one = new GroupBuilder('block', 'UTC')
    one.add([card('a', [llm('3', '2026-02-23T13:10:00Z', 4)])])
    expect(one.build().rows.map(r => [r.key, r.agent])).toEqual([['2026-02-23 13:00', 'claude-code']])
  })

  it('places the blocks of a window by the calls before it, which it does not count (trial 129: --since had started a block at the window)', () => {
    const calls = () => [
      card('a', [
        llm('1', '2026-04-01T22:10:00Z', 1),
        llm('2', '2026-04-01T23:30:00Z', 2),
        llm('3', '2026-04-02T01:00:00Z', 4),
        llm('4', '2026-04-02T02:30:00Z', 8),
        llm('5', '2026-04-02T03:30:00Z', 16),
      ]),
    ]
    const window = {since: Date.parse('2026-04-02T00:00:00Z')}
    const g = new GroupBuilder('block', 'UTC')
    const cards = calls()
    g.anchor(cards)
    g.add(applyWindow(cards, window).cards)
    // The window's first calls fall in the block from 22:00 the day before (named by its start), the last in the next.
    expect(g.build().rows.map(r => [r.key, r.llmCalls, r.costUsd])).toEqual([
      ['2026-04-01 22:00', 2, 4 + 8],
      ['2026-04-02 03:00', 1, 16],
    ])
    // Without the calls before it, the window's blocks had been one from 01:00 holding all three.
    const blind = new GroupBuilder('block', 'UTC')
    blind.add(applyWindow(calls(), window).cards)
    expect(blind.build().rows.map(r => [r.key, r.llmCalls])).toEqual([['2026-04-02 01:00', 3]])
    // A block of calls before the window alone is no row; anchoring by another grouping does nothing.
    const early = new GroupBuilder('block', 'UTC')
    const before = calls()
    early.anchor(before)
    early.add(applyWindow(before, {since: Date.parse('2026-04-02T03:00:00Z')}).cards)
    expect(early.build().rows.map(r => [r.key, r.llmCalls])).toEqual([['2026-04-02 03:00', 1]])
    const days = new GroupBuilder('day', 'UTC')
    days.anchor(calls())
    expect(days.build().rows).toEqual([])
    // A tool call whose call came before the window goes in that call's block, not an hour of its own (review 132).
    const tool: Step = {index: 0, id: 't', kind: 'tool', parentStepId: '1', endedAt: '2026-04-02T03:20:00Z'}
    const late = [card('a', [llm('1', '2026-04-01T22:10:00Z', 1), tool, llm('2', '2026-04-02T03:30:00Z', 2)])]
    const placed = new GroupBuilder('block', 'UTC')
    placed.anchor(late)
    placed.add(applyWindow(late, {since: Date.parse('2026-04-02T00:00:00Z')}).cards)
    expect(placed.build().rows.map(r => [r.key, r.llmCalls, r.toolCalls, r.traces])).toEqual([
      ['2026-04-01 22:00', 0, 1, 1],
      ['2026-04-02 03:00', 1, 0, 1],
    ])
  })

  it('names ISO weeks and months; steps with no time go last', () => {
    expect(isoWeek(2026, 11, 30)).toBe('2026-W49')
    expect(isoWeek(2021, 1, 3)).toBe('2020-W53')
    expect(isoWeek(2024, 12, 30)).toBe('2025-W01')
    const g = new GroupBuilder('month', 'UTC')
    g.add([
      card('a', [llm('1', undefined, 1), llm('2', '2026-10-31T23:00:00Z', 1), llm('3', '2026-11-01T00:00:00Z', 1)]),
    ])
    expect(g.build().rows.map(r => r.key)).toEqual(['2026-10', '2026-11', NO_TIME])
  })

  it('lists every period from one key to another, for a chart spaced by time', () => {
    expect(periodsBetween('day', '2024-02-27', '2024-03-01')).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ])
    // 2026 has 53 ISO weeks; 2027's first starts on January 4th.
    expect(periodsBetween('week', '2026-W51', '2027-W02')).toEqual([
      '2026-W51',
      '2026-W52',
      '2026-W53',
      '2027-W01',
      '2027-W02',
    ])
    // Over twelve years, each week is the ISO week of the Monday seven days after the last (2018-12-31: 2019-W01).
    const weeks = periodsBetween('week', '2019-W01', '2031-W10')!
    expect(weeks.length).toBeGreaterThan(600)
    weeks.forEach((k, i) => {
      const d = new Date(Date.UTC(2018, 11, 31) + i * 7 * 86_400_000)
      expect(k).toBe(isoWeek(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()))
    })
    expect(periodsBetween('month', '2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(periodsBetween('day', '2026-03-01', '2026-03-01')).toEqual(['2026-03-01'])
    // Keys it cannot read, an end before the start, or more periods than a chart shows: none.
    expect(periodsBetween('day', NO_TIME, '2026-01-01')).toBeUndefined()
    expect(periodsBetween('day', '2026-02-30', '2026-03-01')).toBeUndefined()
    expect(periodsBetween('month', '2026-03', '2026-01')).toBeUndefined()
    expect(periodsBetween('day', '2000-01-01', '2026-01-01')).toBeUndefined()
    // 2025 has 52 weeks; months run 01 to 12.
    expect(periodsBetween('week', '2025-W53', '2026-W02')).toBeUndefined()
    expect(periodsBetween('month', '2026-00', '2026-02')).toBeUndefined()
    expect(periodsBetween('month', '2026-11', '2026-13')).toBeUndefined()
  })

  it('counts waste, and a tool step under the model of the call that issued it', () => {
    const tool: Step = {index: 0, id: 't', kind: 'tool', parentStepId: '1'}
    tool.flags = [{kind: 'loop', reason: 'r', confidence: 1, wastedUsd: 0.5, evidence: []}]
    const g = new GroupBuilder('model', 'UTC')
    g.add([card('a', [llm('1', undefined, 1, 0, 'opus'), tool, llm('2', undefined, 3, 0, 'haiku')])])
    expect(g.build().rows.map(r => [r.key, r.costUsd, r.wastedUsd, r.toolCalls])).toEqual([
      ['haiku', 3, 0, 0],
      ['opus', 1, 0.5, 1],
    ])
  })

  it("names a project with no folder of its own by its log's folder, past the folders a tool files every project's logs in (trial 117)", () => {
    const g = new GroupBuilder('project', 'UTC')
    const at = (id: string, path: string): TraceCard =>
      card(id, [llm(`${id}1`, undefined, 1)], {source: {format: 'gemini-cli', path}})
    g.add([
      at('a', '/h/.gemini/tmp/personal-finance/chats/session-1.json'),
      at('b', '/h/.gemini/tmp/0f3c9e/chats/session-2.json'),
      // (A project named by digits is a project; a date's folders, Codex's, are not: review 119.)
      at('e', '/h/.gemini/tmp/2048/chats/session-4.json'),
      at('f', '/h/agent/sessions/2026/02/23/rollout-1.jsonl'),
      at('c', '/h/.gemini/tmp/personal-finance/chats/session-3.json'),
      card('d', [llm('d1', undefined, 1)], {cwd: '/work/app'}),
    ])
    expect(g.build().rows.map(r => [r.key, r.traces])).toEqual(
      expect.arrayContaining([
        ['personal-finance', 2],
        ['0f3c9e', 1],
        ['2048', 1],
        ['agent', 1],
        ['/work/app', 1],
      ]),
    )
  })

  it("bills a session resumed in another project's folder there from then on, as its lean copy does (trial 117)", () => {
    // (Cline names a tool call's folder only where it is not the task's first: one with none ran there.)
    const tool = (id: string, parent: string, cwd?: string): Step => ({
      index: 0,
      id,
      kind: 'tool',
      parentStepId: parent,
      ...(cwd ? {cwd} : {}),
    })
    const issuing = (id: string, usd: number, tools: string[]): Step => ({
      ...llm(id, undefined, usd),
      toolStepIds: tools,
    })
    const make = (): TraceCard =>
      card(
        'a',
        [
          issuing('1', 1, ['t1']),
          tool('t1', '1', '/work/app/src'),
          issuing('2', 2, ['t2']),
          tool('t2', '2', '/work/other'),
          llm('3', undefined, 4),
          // Back in the first folder (review 119: it had stayed away for good).
          issuing('4', 8, ['t4']),
          tool('t4', '4'),
          llm('5', undefined, 16),
        ],
        {cwd: '/work/app', source: {format: 'cline', path: '/logs/tasks/1/api_conversation_history.json'}},
      )
    for (const c of [make(), leanCard(make())]) {
      const g = new GroupBuilder('project', 'UTC')
      g.add([c])
      // The call that issued the first tool call in the other folder is that folder's (review 119: off by one).
      expect(g.build().rows.map(r => [r.key, r.costUsd])).toEqual(
        expect.arrayContaining([
          ['/work/app', 1 + 8 + 16],
          ['/work/other', 2 + 4],
        ]),
      )
    }
    // (A shell's folder after a `cd`, Claude Code's record of it, is no project of its own.)
    const shell = make()
    shell.source = {format: 'claude-code', path: '/logs/s.jsonl'}
    const g = new GroupBuilder('project', 'UTC')
    g.add([shell])
    expect(g.build().rows.map(r => [r.key, r.costUsd])).toEqual([['/work/app', 31]])
  })

  it('puts a tool step no call issued under "(no LLM call)", a call naming no model under "(unknown)" (trial 116)', () => {
    const alone: Step = {index: 0, id: 't', kind: 'tool'}
    const nameless = llm('2', undefined, 0)
    delete nameless.model
    const g = new GroupBuilder('model', 'UTC')
    g.add([card('a', [alone]), card('b', [nameless])])
    expect(g.build().rows.map(r => [r.key, r.llmCalls, r.toolCalls])).toEqual(
      expect.arrayContaining([
        ['(no LLM call)', 0, 1],
        ['(unknown)', 1, 0],
      ]),
    )
  })

  it("marks a group holding calls whose input the log does not record (Copilot CLI's after its last shutdown)", async () => {
    const open = llm('2', '2026-07-20T09:00:00Z', 0.25)
    open.inputUnrecorded = true
    const g = new GroupBuilder('day', 'UTC')
    g.add([card('a', [llm('1', '2026-07-19T09:00:00Z', 1), open, llm('3', '2026-07-20T10:00:00Z', 2)])])
    const rows = g.build().rows
    expect(rows.map(r => [r.key, r.costUsd, r.inputUnrecordedCalls])).toEqual([
      ['2026-07-19', 1, undefined],
      ['2026-07-20', 2.25, 1],
    ])
    // Merged shards keep the count; the terminal marks the row's cost as a floor and says why.
    const merged = new GroupBuilder('day', 'UTC')
    merged.addRows(rows)
    merged.addRows(rows)
    expect(merged.build().rows[1]!.inputUnrecordedCalls).toBe(2)
    const result = await grouped(fixture('copilot-cli'), 'day', 'UTC')
    const stdout = renderAnalyze(result, {width: 100, color: false, top: 10, timeZone: 'UTC'})
    expect(stdout).toMatch(/2026-07-20 +11 +70k +≥\$0\.09/)
    expect(stdout).toMatch(/≥\$…: and the input of calls the logs do not record/)
    // The day's row, the model's row in Cost by model and the trace's in Top traces are marked, each table with its
    // note; other formats' rows are not.
    expect(stdout.match(/≥\$…: /g)).toHaveLength(3)
    expect(stdout.match(/≥\$/g)).toHaveLength(6)
    expect(stdout.match(/≥\$0\.09/g)).toHaveLength(3)
    // Top traces marks the trace that holds the call (its subagent holds none), and --json counts it.
    expect(stdout).toMatch(/≥\$0\.09 +20 +2026-07-20 +copilot-cli/)
    expect(result.traces.map(t => t.inputUnrecordedCalls ?? 0).sort()).toEqual([0, 1])
    expect(result.byModel.find(m => m.model === 'claude-sonnet-4.5')?.inputUnrecordedCalls).toBe(1)
    expect(stdout).toMatch(/claude-sonnet-4\.5 +8 +61k +≥\$0\.09/)
  })

  it('rejects an unknown zone', () => {
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(/Unknown time zone/)
    expect(resolveTimeZone('UTC')).toBe('UTC')
    expect(resolveTimeZone('utc')).toBe('UTC')
    // The name given, not ICU's older one for the same zone.
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata')
    // Without --tz, the machine's zone as TZ names it when TZ names that zone (trial 31: TZ=Asia/Kolkata printed
    // Asia/Calcutta); a TZ naming another zone, or none, leaves ICU's name of the machine's.
    const machine = Intl.DateTimeFormat().resolvedOptions().timeZone
    expect(resolveTimeZone(undefined)).toBe(machine)
    expect(resolveTimeZone(undefined, machine === 'Pacific/Chatham' ? 'Asia/Kolkata' : 'Pacific/Chatham')).toBe(machine)
    expect(resolveTimeZone(undefined, 'not a zone')).toBe(machine)
    expect(resolveTimeZone(undefined, `:${machine}`)).toBe(machine)
  })

  it('rows sum to the totals exactly, for every key, over real fixtures', async () => {
    for (const by of ['day', 'week', 'month', 'block', 'session', 'project', 'model'] as const) {
      const result = await grouped(fixture(''), by, 'Asia/Kathmandu')
      const rows = result.groups!.rows
      expect(
        rows.reduce((n, r) => n + toNano(r.costUsd), 0),
        by,
      ).toBe(toNano(result.totals.costUsd))
      expect(
        rows.reduce((n, r) => n + toNano(r.wastedUsd), 0),
        by,
      ).toBe(toNano(result.totals.wastedUsd))
      expect(
        rows.reduce((n, r) => n + r.llmCalls, 0),
        by,
      ).toBe(result.totals.llmCalls)
      expect(
        rows.reduce((n, r) => n + r.steps, 0),
        by,
      ).toBe(result.totals.steps)
      expect(
        rows.reduce((n, r) => n + r.tokens.output, 0),
        by,
      ).toBe(result.totals.tokens.output)
      // Calls with no price are counted per row, never as $0 (the fixtures hold some: Codex's first layout).
      expect(
        rows.reduce((n, r) => n + (r.unpricedCalls ?? 0), 0),
        by,
      ).toBe(result.totals.unpricedCalls)
      expect(result.totals.unpricedCalls, by).toBeGreaterThan(0)
    }
  }, 140_000) // (Seven analyses of the whole fixtures folder, 1,400 files: ~13 s alone, past 30 s on a busy 2-core CI run.)
})

describe('--since / --until', () => {
  it('shares an estimate of what the logs do not record between windows side by side, counting it once (fresh197)', async () => {
    const path = join(root, 'test', 'corpus-extra', 'fresh197')
    const notCounted = async (window: {since?: string; until?: string}): Promise<number> => {
      const {result} = await runAnalyze({
        paths: [path],
        ...window,
        tz: 'UTC',
        redact: true,
        home: '/x',
        env: {},
        cache: false,
        version: 't',
        now: () => new Date(0),
      })
      return toNano(result.warnings.estimates?.notCountedUsd ?? 0)
    }
    const whole = await notCounted({})
    expect(whole).toBeGreaterThan(0)
    // Before the first process's shutdown (11:15:59) every call's input is recorded: nothing is estimated there.
    expect(await notCounted({until: '2026-07-24T11:16:00Z'})).toBe(0)
    expect(await notCounted({since: '2026-07-24T11:16:00Z'})).toBe(whole)
    // Split where calls whose input is not recorded lie on both sides: the halves add up to the whole (within a nano).
    const [a, b] = [
      await notCounted({until: '2026-07-24T11:30:00Z'}),
      await notCounted({since: '2026-07-24T11:30:00Z'}),
    ]
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThan(0)
    expect(Math.abs(a + b - whole)).toBeLessThanOrEqual(2)
  }, 30_000)

  it('reads dates as whole days in the zone, and times with or without an offset', () => {
    expect(new Date(parseWindowDate('2026-11-01', 'UTC', 'since')).toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(new Date(parseWindowDate('2026-11-01', 'UTC', 'until')).toISOString()).toBe('2026-11-02T00:00:00.000Z')
    expect(new Date(parseWindowDate('2026-07-01', 'Europe/Berlin', 'since')).toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    )
    // The day daylight saving ends in Berlin (25 hours long).
    expect(new Date(parseWindowDate('2026-10-25', 'Europe/Berlin', 'until')).toISOString()).toBe(
      '2026-10-25T23:00:00.000Z',
    )
    expect(new Date(parseWindowDate('2026-11-01T09:00:00Z', 'Asia/Tokyo', 'since')).toISOString()).toBe(
      '2026-11-01T09:00:00.000Z',
    )
    expect(new Date(parseWindowDate('2026-11-01T09:00:00', 'Asia/Tokyo', 'since')).toISOString()).toBe(
      '2026-11-01T00:00:00.000Z',
    )
    expect(() => parseWindowDate('last week', 'UTC', 'since')).toThrow(/not a date/)
    // ccusage's form of a date, `20261101` (trial 129: refused); not a number of another length.
    expect(new Date(parseWindowDate('20261101', 'Asia/Tokyo', 'until')).toISOString()).toBe('2026-11-01T15:00:00.000Z')
    for (const bad of ['2026110', '202611011', '20260230'])
      expect(() => parseWindowDate(bad, 'UTC', 'since'), bad).toThrow(/not a date/)
    // A time written with a space, as people write it; an empty value (a variable not set) refused, not left out.
    expect(new Date(parseWindowDate('2026-11-01 09:30', 'UTC', 'since')).toISOString()).toBe('2026-11-01T09:30:00.000Z')
    for (const empty of ['', ' '])
      expect(() => parseWindowDate(empty, 'UTC', 'since')).toThrow(/--since was given an empty date/)
    // Days that do not exist are refused, not rolled over into the next month.
    for (const bad of ['2026-02-30', '2026-02-31', '2026-04-31', '2025-02-29', '2026-02-30T10:00:00Z'])
      expect(() => parseWindowDate(bad, 'UTC', 'until'), bad).toThrow(/not a date/)
    expect(new Date(parseWindowDate('2028-02-29', 'UTC', 'since')).toISOString()).toBe('2028-02-29T00:00:00.000Z')
    // Years 0–99 are those years, not 1900–1999 (Date.UTC's rule), with a zone's offset too.
    expect(new Date(parseWindowDate('0001-01-01', 'UTC', 'since')).toISOString()).toBe('0001-01-01T00:00:00.000Z')
    expect(new Date(parseWindowDate('0099-12-31', 'UTC', 'until')).toISOString()).toBe('0100-01-01T00:00:00.000Z')
    expect(new Date(parseWindowDate('0050-06-01T12:00:00', 'Asia/Tokyo', 'since')).getUTCFullYear()).toBe(50)
    // Year 0: no date (review 33: it was read as 5 BC, or as year 1 in a zone).
    for (const bad of ['0000-01-01', '0000-06-01T12:00:00Z'])
      expect(() => parseWindowDate(bad, 'UTC', 'since'), bad).toThrow(/not a date/)
  })

  it('reads a time the clocks skipped forward, as Temporal and Python do, and a time they showed twice as the first', () => {
    const at = (value: string, zone: string, edge: 'since' | 'until' = 'since') =>
      new Date(parseWindowDate(value, zone, edge)).toISOString()
    // New York went from 02:00 EST to 03:00 EDT on 2026-03-08: 02:30 is 03:30 EDT (it was read as 01:30 EST).
    expect(at('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z')
    // 01:30 came twice on 2026-11-01: the first, EDT.
    expect(at('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z')
    // Santiago's clocks skip midnight on 2026-09-06 (00:00 -04 to 01:00 -03): the day starts at 04:00Z, not an hour
    // into the day before.
    expect(at('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z')
    expect(at('2026-09-05', 'America/Santiago', 'until')).toBe('2026-09-06T04:00:00.000Z')
    // Lord Howe's half-hour change (02:00 +10:30 to 02:30 +11 on 2026-10-04).
    expect(at('2026-10-04T02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:45:00.000Z')
  })

  it('keeps the steps inside, sums the card again, drops emptied cards', () => {
    const cards = [
      card('a', [
        llm('1', '2026-10-31T23:59:59Z', 1),
        llm('2', '2026-11-01T00:00:00Z', 2, 0.5),
        llm('3', undefined, 4),
      ]),
      card('b', [llm('4', '2026-10-01T00:00:00Z', 8)]),
    ]
    const since = Date.parse('2026-11-01T00:00:00Z')
    const {cards: kept, dropped} = applyWindow(cards, {since})
    expect(dropped).toBe(3)
    expect(kept.map(c => c.id)).toEqual(['a'])
    expect(kept[0]!.steps.map(s => [s.id, s.index])).toEqual([['2', 0]])
    expect(kept[0]!.totals.costUsd).toBe(2)
    expect(kept[0]!.totals.wastedUsd).toBe(0.5)
    // Its span is what it holds inside the window (the title's dates, Top traces' "started"); its end, where a kept
    // step ends.
    expect([kept[0]!.startedAt, kept[0]!.endedAt]).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'])
    const long = card('c', [llm('5', '2026-10-31T23:00:00Z', 1), llm('6', '2026-11-01T10:00:00Z', 1)])
    long.steps[1]!.endedAt = '2026-11-01T11:59:00Z'
    const [cut] = applyWindow([long], {since}).cards
    expect([cut!.startedAt, cut!.endedAt]).toEqual(['2026-11-01T10:00:00.000Z', '2026-11-01T11:59:00.000Z'])
  })

  it('dates a call by when the source logged it (its end), not by the record before it (trial 31)', () => {
    // A log of assistant records only: the call's start is read off the record before, 21 hours earlier.
    const call = llm('7', '2026-01-09T12:30:00Z', 1)
    call.endedAt = '2026-01-10T09:15:00Z'
    const logged = card('d', [llm('8', '2026-01-09T12:00:00Z', 2), call])
    logged.startedAt = '2026-01-09T12:00:00Z'
    expect(new Date(stepTime(call, logged)!).toISOString()).toBe('2026-01-10T09:15:00.000Z')
    const {cards: kept} = applyWindow([logged], {since: Date.parse('2026-01-10T00:00:00Z')})
    expect(kept[0]!.steps.map(s => s.id)).toEqual(['7'])
    // (Its span starts inside the window: the start read off the record before is not.)
    expect(kept[0]!.startedAt).toBe('2026-01-10T09:15:00.000Z')
    // Every step kept, the trace's first record (its prompt) before the window: its span is what it holds inside it
    // (review 32: the title said the 9th, the cost was counted on the 10th).
    const whole = card('e', [call])
    whole.startedAt = '2026-01-09T12:00:00Z'
    const [inside] = applyWindow([whole], {since: Date.parse('2026-01-10T00:00:00Z')}).cards
    expect(inside!.steps).toHaveLength(1)
    expect(inside!.startedAt).toBe('2026-01-10T09:15:00.000Z')
    // An end that is no time leaves the start to date the step.
    const odd = llm('9', '2026-01-09T12:30:00Z', 1)
    odd.endedAt = 'not a time'
    expect(new Date(stepTime(odd, logged)!).toISOString()).toBe('2026-01-09T12:30:00.000Z')
  })
})

describe('--shard', () => {
  const unit = (path: string, bytes: number): Unit => ({
    files: [{path, size: bytes, mtimeMs: 0, explicit: false}],
    bytes,
  })
  it('gives whole folders, contiguous, balanced by bytes', () => {
    const units = [unit('/a/1', 10), unit('/a/2', 10), unit('/b/1', 30), unit('/c/1', 20), unit('/d/1', 30)]
    const parts = [1, 2, 3].map(i => shardUnits(units, {index: i, count: 3}).map(u => u.files[0]!.path))
    expect(parts.flat()).toEqual(units.map(u => u.files[0]!.path))
    // Each folder goes where its middle byte falls: a (0–20) → 1, b (20–50) and c (50–70) → 2, d (70–100) → 3.
    expect(parts).toEqual([['/a/1', '/a/2'], ['/b/1', '/c/1'], ['/d/1']])
  })
  it('refuses --by block with --shard: a block holds calls from every file (usage, exit 2)', async () => {
    await expect(grouped(fixture('claude-code'), 'block', 'UTC', {shard: '1/2'})).rejects.toMatchObject({
      code: 'usage',
      exit: 2,
      message: expect.stringMatching(/--by block cannot be split into shards/),
    })
  })

  it('parses i/n', () => {
    expect(parseShard('2/7')).toEqual({index: 2, count: 7})
    expect(() => parseShard('0/2')).toThrow(/1 ≤ i ≤ n/)
    expect(() => parseShard('3/2')).toThrow()
  })
})
