import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
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

describe("a Cline task's UI messages (ui_messages.json; Roo Code and Kilo Code keep the same), trial 92", () => {
  it("gives the history's calls that record no usage theirs, with the cost recorded, and is no trace of its own beside it", async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    const card = await readOne(fixture('cline/roo-task-usage-in-ui/api_conversation_history.json'))
    const llm = card.steps.filter(s => s.kind === 'llm')
    expect(llm.map(s => s.tokens)).toEqual([
      {input: 5012, output: 84, cacheRead: 0, cacheWrite: 4800, reasoning: 0},
      {input: 310, output: 61, cacheRead: 4800, cacheWrite: 420, reasoning: 0},
    ])
    expect(llm.map(s => s.model)).toEqual(['anthropic/claude-sonnet-4.5', 'anthropic/claude-sonnet-4.5'])
    expect(llm.map(s => s.cost?.recordedUsd)).toEqual([0.0336, 0.00503])
    expect(card.warnings.map(w => w.message).join('\n')).not.toMatch(/carry no metrics/)
    // Beside the history, the UI messages are its companion: not counted twice.
    const ui = await readTraceFile(fixture('cline/roo-task-usage-in-ui/ui_messages.json'))
    expect(ui.cards).toEqual([])
    expect(ui.companion).toMatch(/read from api_conversation_history\.json beside it/)
  })

  it("reads the UI messages alone as the task's calls, their usage, cost and the person's turns", async () => {
    const card = await readOne(fixture('cline/ui-messages-alone/ui_messages.json'))
    expect(card.source.format).toBe('cline')
    // (A task is known by its first message's time, the same in every copy of it, whatever its folder.)
    expect(card.id).toBe('1780308000000')
    expect(card.title).toBe('add a health route')
    expect(card.totals.llmCalls).toBe(3)
    expect(card.totals.tokens).toMatchObject({input: 5012 + 310 + 410, output: 84 + 61 + 75, cacheRead: 4800 + 5220})
    // The request cancelled before its usage came: no call, said (review 93).
    expect(card.totals.unpricedCalls).toBe(0)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(
      /1 API request\(s\) failed or were cancelled before their usage came: no tokens billed, not counted as calls/,
    )
    expect(card.steps.filter(s => s.kind === 'llm').map(s => s.turn)).toEqual([1, 1, 2])
  })

  it("reads Roo Code's tokensIn that holds the cache (3.29.5 on), leaves failed requests out of the pairing, and is one task under --format (review 93)", async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    const {analyze} = await import('../../src/analyze/analyze.js')
    const card = await readOne(fixture('cline/roo-tokensin-holds-cache/api_conversation_history.json'))
    // tokensIn 9,200 = 200 fresh + 9,000 written: every request that used the cache sends at least its cache tokens.
    expect(card.steps.filter(s => s.kind === 'llm').map(s => s.tokens?.input)).toEqual([200, 300, 250])
    expect(card.totals.recordedCostUsd).toBeCloseTo(0.037 + 0.00705 + 0.00645, 9)
    // Alone, the same reading.
    const alone = await readTraceFile(fixture('cline/roo-tokensin-holds-cache/ui_messages.json'), {format: 'cline'})
    expect(alone.cards).toEqual([])
    // A condensation's summary (Roo Code's `isSummary`) is no request among the UI's: it takes the condensation's cost,
    // and the requests pair with the other messages (review 93: the extra message had refused the whole pairing).
    const condensed = await readOne(fixture('cline/roo-condensed-task/api_conversation_history.json'))
    expect(condensed.steps.filter(s => s.kind === 'llm').map(s => [s.tokens?.input, s.cost?.recordedUsd])).toEqual([
      [200, 0.037],
      [undefined, 0.02],
      [250, 0.00645],
    ])
    expect(condensed.totals.unpricedCalls).toBe(0)
    const run = await analyze({
      paths: [fixture('cline/roo-tokensin-holds-cache')],
      home: tmpdir(),
      env: {},
      threads: 1,
      format: 'cline',
    })
    expect(run.summary.totals.llmCalls).toBe(3)
  })

  it("counts what Cline's own task total counts: the aggregates of requests a checkpoint restore deleted and of subagents' batches, and older Cline's usage split over api_req_started and api_req_finished", async () => {
    // Beside a history whose messages carry their metrics: the deleted requests are in neither file's messages, only
    // in the UI's aggregate; the task total is Cline's (getApiMetrics: every api_req_started plus deleted_api_reqs).
    const restored = await readOne(fixture('cline/restored-task/api_conversation_history.json'))
    const calls = restored.steps.filter(s => s.kind === 'llm')
    expect(calls).toHaveLength(3)
    const aggregate = calls[2]!
    expect(aggregate.tokens).toEqual({input: 2600, output: 310, cacheRead: 1200, cacheWrite: 0, reasoning: 0})
    expect(aggregate.model).toBeUndefined()
    expect(aggregate.cost?.recordedUsd).toBe(0.01296)
    expect(aggregate.text).toMatch(/checkpoint restore deleted/)
    expect(restored.totals.costUsd).toBeCloseTo(0.0045 + 0.00231 + 0.01296, 9)
    expect(restored.warnings.map(w => w.message).join('\n')).toMatch(
      /1 aggregate\(s\) of requests a checkpoint restore deleted counted as one call each/,
    )
    // Alone: older Cline's two messages per request are one request; a subagents' batch is one aggregate, where it was
    // written; the task is `say: task`.
    const legacy = await readOne(fixture('cline/ui-legacy-and-aggregates/ui_messages.json'))
    expect(legacy.title).toBe('Summarise the open issues.')
    expect(legacy.steps.map(s => [s.tokens?.input, s.tokens?.output, s.cost?.recordedUsd])).toEqual([
      [900, 120, 0.0045],
      [5000, 700, 0.0255],
      [1800, 200, 0.0084],
    ])
    expect(legacy.steps[1]!.text).toMatch(/subagents/)
    expect(legacy.totals.costUsd).toBeCloseTo(0.0384, 9)
    expect(legacy.totals.unpricedCalls).toBe(0)
    // Roo Code's condensation, read alone: the call that wrote its summary, with the cost recorded, as beside its history.
    const dir = mkdtempSync(join(tmpdir(), 'aco-roo-alone-'))
    copyFileSync(fixture('cline/roo-condensed-task/ui_messages.json'), join(dir, 'ui_messages.json'))
    const alone = await readOne(join(dir, 'ui_messages.json'))
    const beside = await readOne(fixture('cline/roo-condensed-task/api_conversation_history.json'))
    expect(alone.steps.map(s => s.cost?.recordedUsd)).toEqual([0.037, 0.02, 0.00645])
    expect(alone.totals.costUsd).toBeCloseTo(beside.totals.costUsd, 9)
    expect(alone.warnings.map(w => w.message).join('\n')).toMatch(/1 condensation\(s\) of the context counted as calls/)
  })

  it('skips a request whose usage is no whole count or cost, with its message and field, and never counts its numbers (trial 94)', async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    const alone = await readTraceFile(fixture('cline/ui-bad-usage/ui_messages.json'))
    expect(alone.skipped.map(s => s.reason)).toEqual([
      '[2].text.tokensOut: expected a non-negative number, got -733',
      '[3].text.cost: expected a number, got string',
      '[4].text: expected a JSON object of the usage',
      '[5].text.tokensIn: expected a whole count, got 100.5',
    ])
    const card = alone.cards[0]!
    expect(card.steps.map(s => [s.tokens?.input, s.tokens?.output, s.cost?.recordedUsd])).toEqual([[900, 80, 0.0039]])
    // Beside a history: the call of that request takes no usage from it, said as skipped (the pairing holds).
    const dir = mkdtempSync(join(tmpdir(), 'aco-cline-bad-'))
    copyFileSync(
      fixture('cline/roo-task-usage-in-ui/api_conversation_history.json'),
      join(dir, 'api_conversation_history.json'),
    )
    const ui = readFileSync(fixture('cline/roo-task-usage-in-ui/ui_messages.json'), 'utf8')
    writeFileSync(join(dir, 'ui_messages.json'), ui.replace('\\"tokensOut\\": 61', '\\"tokensOut\\": -61'))
    const beside = await readTraceFile(join(dir, 'api_conversation_history.json'))
    expect(beside.skipped.map(s => s.reason)).toEqual([
      expect.stringMatching(
        /^ui_messages\.json beside it, \[\d+\]\.text\.tokensOut: expected a non-negative number, got -61: its call not priced from it$/,
      ),
    ])
    expect(beside.cards[0]!.steps.filter(s => s.kind === 'llm').map(s => s.tokens?.output)).toEqual([84, undefined])
  })

  it('counts a task saved twice, into folders of any names, once (trial 94: counted twice in silence)', async () => {
    const {analyze} = await import('../../src/analyze/analyze.js')
    const root = mkdtempSync(join(tmpdir(), 'aco-cline-copies-'))
    for (const folder of ['exported', 'backup']) {
      mkdirSync(join(root, folder))
      copyFileSync(fixture('cline/ui-messages-alone/ui_messages.json'), join(root, folder, 'ui_messages.json'))
    }
    const run = await analyze({paths: [root], home: tmpdir(), env: {}, threads: 1})
    expect(run.summary.totals.llmCalls).toBe(3)
    expect(run.files.repeats).toBe(1)
    // The original in its task folder (named by the task's id, Roo Code's UUID) and a backup of it: one task too
    // (review 95: the folder's name had been the id, another in each copy).
    const task = join(root, 'tasks', '0198c1e2-7a3b-7c4d-9e5f-0a1b2c3d4e5f')
    mkdirSync(task, {recursive: true})
    copyFileSync(fixture('cline/ui-messages-alone/ui_messages.json'), join(task, 'ui_messages.json'))
    const mixed = await analyze({paths: [task, join(root, 'backup')], home: tmpdir(), env: {}, threads: 1})
    expect(mixed.summary.totals.llmCalls).toBe(3)
    expect(mixed.files.repeats).toBe(1)
  })

  it('skips a history message whose metrics hold a count that is no whole number, and leaves a cost that is no amount uncounted, each with its field', async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    const dir = mkdtempSync(join(tmpdir(), 'aco-cline-bad-metrics-'))
    const text = readFileSync(fixture('cline/task-history.json'), 'utf8')
    const history = JSON.parse(text) as Array<{metrics?: {tokens: {completion: number}; cost?: unknown}}>
    const withMetrics = history.map((m, i) => [m, i] as const).filter(([m]) => m.metrics)
    withMetrics[0]![0].metrics!.tokens.completion = -60
    withMetrics[1]![0].metrics!.cost = '0.01'
    const path = join(dir, 'api_conversation_history.json')
    writeFileSync(path, JSON.stringify(history))
    const result = await readTraceFile(path)
    const plain = await readOne(fixture('cline/task-history.json'))
    expect(result.skipped.map(s => s.reason)).toEqual([
      `[${withMetrics[0]![1]}].metrics.tokens.completion: expected a non-negative number, got -60`,
      `[${withMetrics[1]![1]}].metrics.cost: expected a number, got string: that cost is not counted`,
    ])
    expect(result.cards[0]!.totals.llmCalls).toBe(plain.totals.llmCalls - 1)
  })

  it("merges older Cline's api_req_finished with the one request it finishes, says one that is no JSON, and counts no aggregate without a text (review 95)", async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    const dir = mkdtempSync(join(tmpdir(), 'aco-cline-finished-'))
    const say = (ts: number, kind: string, text: unknown) => ({ts, type: 'say', say: kind, text})
    const ui = [
      say(1780308000000, 'task', 'Summarise the open issues.'),
      say(1780308000100, 'api_req_started', JSON.stringify({request: '…', tokensIn: 900})),
      say(1780308001000, 'api_req_finished', '{"tokensOut": 12'),
      say(1780308002000, 'api_req_finished', JSON.stringify({tokensOut: 120, cost: 0.0045})),
      say(1780308003000, 'api_req_finished', JSON.stringify({tokensOut: 999999, cost: 9})),
      say(1780308004000, 'deleted_api_reqs', 7),
      // (A restore that deleted no request: Cline writes zeros, which add nothing, trial 96.)
      say(
        1780308004500,
        'deleted_api_reqs',
        JSON.stringify({tokensIn: 0, tokensOut: 0, cacheWrites: 0, cacheReads: 0, cost: 0}),
      ),
      {ts: 1780308005000, type: 'say', say: 'subagent_usage'},
    ]
    const path = join(dir, 'ui_messages.json')
    writeFileSync(path, JSON.stringify(ui))
    const result = await readTraceFile(path)
    expect(result.skipped.map(s => s.reason)).toEqual([
      '[2].text: expected a JSON object of the usage: the request before it is read without it',
    ])
    expect(result.cards[0]!.steps.map(s => [s.tokens?.input, s.tokens?.output, s.cost?.recordedUsd])).toEqual([
      [900, 120, 0.0045],
    ])
  })
})
