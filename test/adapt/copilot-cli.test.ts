/**
 * GitHub Copilot CLI sessions (events.jsonl): one LLM step per API call, output tokens per call, the input and the
 * cache from each process's session.shutdown split over its calls, tool results with the shell's exit code, the
 * person's turns, a subagent as a child card.
 */
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import type {Step, Tokens, TraceCard} from '../../src/card/types.js'
import {check} from '../../src/util/schemas.js'
import {fixture, fixtureFlags, llmSteps, read, readOne, root} from '../helpers.js'

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
const gross = (t: Tokens): number => t.input + t.cacheRead + t.cacheWrite

describe('Copilot CLI adapter', () => {
  it('reads one step per API call, the session, its calls and results, and the shell exit code', async () => {
    const card = await readOne(FIXTURE)
    expect(card.source.format).toBe('copilot-cli')
    expect(card.source.toolVersion).toBe('1.0.72-1')
    expect(card.sessionId).toBe('7b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d')
    expect(card.cwd).toBe('/home/dev/shop')
    expect(card.gitBranch).toBe('main')
    // The person's first prompt names the session (not the text Copilot adds as a user message).
    expect(card.title).toBe('The server ignores PORT and always listens on 3000. Fix it.')
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
    // Its input is unknown, not 0, and the step says so; the calls a shutdown counted do not.
    expect(sonnet[7]!.inputUnrecorded).toBe(true)
    expect(before.some(s => s.inputUnrecorded)).toBe(false)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/1 call\(s\) after the last session.shutdown/)
    // The subagent: a child card under the task call, its haiku calls sharing haiku's sums.
    expect(card.children).toHaveLength(1)
    const child = card.children[0]!
    expect(child.parent).toMatchObject({traceId: card.id, toolCallId: 'call_t1', agentType: 'explore'})
    expect(child.title).toBe("Find the test's port")
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
    // Copilot's other tools: its todo table (`sql`) and intent are bookkeeping; `read_bash` polls a shell left running.
    const {classify} = await import('../../src/flag/actions.js')
    const call = (name: string, args: object) =>
      classify(
        {
          index: 1,
          id: 's1',
          kind: 'tool',
          tool: {callId: 'c1', name, arguments: args, argsHash: 'h', status: 'ok'},
        } as never,
        {cwd: '/w'},
      )
    expect(call('sql', {query: "UPDATE todos SET status = 'done'"})).toMatchObject({kind: 'other', writesAny: false})
    expect(call('report_intent', {intent: 'Fixing tests'})).toMatchObject({kind: 'other', writesAny: false})
    expect(call('read_bash', {shellId: '3', delay: 10})).toMatchObject({kind: 'poll', volatile: true})
    // A question to the person, the plan put to them, the summary at the end, a fact kept in Copilot's own memory, a
    // query of its own sessions' store: none writes a file of the project (they had counted as writing anything).
    for (const [name, args] of [
      ['ask_user', {question: 'Restart now?', choices: ['yes', 'no']}],
      ['exit_plan_mode', {summary: '- split extension.ts'}],
      ['task_complete', {summary: 'Fixed the hooks'}],
      ['store_memory', {subject: 'runtime', fact: 'uses Copilot CLI'}],
      ['session_store_sql', {query: 'SELECT id FROM sessions'}],
      // OpenCode's question to the person.
      ['question', {questions: [{header: 'Ticket', options: []}]}],
    ] as const)
      expect(call(name, args), name).toMatchObject({writesAny: false, writes: [], writesUnder: []})
  })

  it("is told from other JSONL: Copilot's own start, or two of its event types with a field only its events carry", async () => {
    const {copilotCliAdapter} = await import('../../src/adapt/copilot-cli.js')
    const ev = (type: string, data: object) => ({type, data, id: 'e', parentId: null})
    expect(copilotCliAdapter.sniff([ev('session.start', {producer: 'copilot-agent'})])).toBe(true)
    // A log cut at its head, its first lines hooks (review 59).
    const hook = {hookInvocationId: 'h1', hookType: 'userPromptSubmitted'}
    expect(copilotCliAdapter.sniff([ev('hook.start', hook), ev('hook.end', hook)])).toBe(true)
    // Another tool's events of the same envelope and names: a help-desk bot's chat, a site's analytics.
    expect(
      copilotCliAdapter.sniff([ev('user.message', {content: 'hi'}), ev('assistant.message', {content: 'Hello!'})]),
    ).toBe(false)
    expect(copilotCliAdapter.sniff([ev('session.start', {page: '/'})])).toBe(false)
    // Claude Code's records and OpenTelemetry spans are no Copilot events.
    expect(copilotCliAdapter.sniff([{type: 'user', message: {role: 'user'}, parentUuid: null}])).toBe(false)
    expect(copilotCliAdapter.sniff([{name: 'chat', attributes: {}, parentId: null}])).toBe(false)
  })
})

/** A Copilot CLI log of these events (each `[type, data, extra envelope fields]`), read and priced. */
let made = 0
async function session(events: Array<[string, object, object?]>) {
  const dir = mkdtempSync(join(tmpdir(), 'aco-copilot-'))
  const path = join(dir, `events-${made++}.jsonl`)
  const start: [string, object] = [
    'session.start',
    {sessionId: 's1', producer: 'copilot-agent', copilotVersion: '1.0.72', context: {cwd: '/w'}},
  ]
  const lines = [start, ...events].map(([type, data, extra], k) =>
    JSON.stringify({
      type,
      data,
      id: `e${k}`,
      timestamp: `2026-07-20T09:00:${String(k % 60).padStart(2, '0')}.000Z`,
      parentId: null,
      ...extra,
    }),
  )
  writeFileSync(path, `${lines.join('\n')}\n`)
  return read(path)
}
const msg = (api: string, output: number, model = 'claude-sonnet-4.5', requests: object[] = []): [string, object] => [
  'assistant.message',
  {messageId: `m-${api}`, apiCallId: api, model, content: '', toolRequests: requests, outputTokens: output},
]
const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0, count = 1) => ({
  requests: {count},
  usage: {inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens},
})
const shutdown = (metrics: object, id?: string): [string, object, object?] => [
  'session.shutdown',
  {shutdownType: 'routine', modelMetrics: metrics},
  id ? {id} : undefined,
]
const totals = (cards: TraceCard[]) => sum(cards.flatMap(c => [...llmSteps(c), ...c.children.flatMap(llmSteps)]))

describe('Copilot CLI adapter: the shutdown sums, as review 59 tried them', () => {
  it("reads a resumed session's shutdowns as running totals when they grow as its calls' output does", async () => {
    const sonnet = (i: number, o: number, r: number, w: number, n: number) => ({
      'claude-sonnet-4.5': usage(i, o, r, w, n),
    })
    // Two processes: two calls, a shutdown, a resume, a third call, a second shutdown (`second`).
    const resumed = (second: object) =>
      session([
        msg('a1', 100),
        msg('a2', 50),
        shutdown(sonnet(10000, 150, 6000, 1000, 2)),
        ['session.resume', {}],
        msg('a3', 70),
        shutdown(second),
      ])
    const running = await resumed(sonnet(30000, 220, 21000, 1000, 3))
    const card = running.cards[0]!
    expect(totals(running.cards)).toMatchObject({output: 220})
    expect(gross(totals(running.cards))).toBe(30000)
    expect(card.recorded?.apiCalls).toBe(3)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/read as the session's running totals/)
    // Each process's own figures (an older Copilot): the second shutdown holds the third call's alone.
    const own = await resumed(sonnet(20000, 70, 15000, 0, 1))
    expect(totals(own.cards)).toMatchObject({output: 220})
    expect(gross(totals(own.cards))).toBe(30000)
    // The same shutdown line written twice counts once.
    const once = sonnet(10000, 100, 0, 0, 1)
    const twice = await session([msg('a1', 100), shutdown(once, 'x'), shutdown(once, 'x')])
    expect(gross(totals(twice.cards))).toBe(10000)
  })

  it('pairs calls with a model the shutdown names otherwise, and calls of no model: no output counted twice', async () => {
    const dated = await session([
      msg('a1', 100),
      msg('a2', 50),
      shutdown({'claude-sonnet-4-5-20250929': usage(9000, 150, 4000)}),
    ])
    expect(llmSteps(dated.cards[0]!)).toHaveLength(2)
    expect(totals(dated.cards)).toMatchObject({input: 5000, output: 150, cacheRead: 4000})
    const unnamed = await session([
      ['assistant.message', {messageId: 'm1', apiCallId: 'a1', content: '', toolRequests: [], outputTokens: 100}],
      shutdown({'gpt-5.4': usage(3000, 120)}),
    ])
    expect(llmSteps(unnamed.cards[0]!)).toHaveLength(1)
    expect(totals(unnamed.cards)).toMatchObject({input: 3000, output: 120})
    // A compaction of no model in a process of one model, and a call whose usage came before its message.
    const compacted = await session([
      msg('a1', 100),
      [
        'session.compaction_complete',
        {compactionTokensUsed: {inputTokens: 3000, outputTokens: 200, cacheReadTokens: 1000}},
      ],
      ['assistant.usage', {apiCallId: 'a2', model: 'claude-sonnet-4.5', inputTokens: 4000, outputTokens: 50}],
      msg('a2', 50),
      shutdown({'claude-sonnet-4.5': usage(13000, 350, 7000)}),
    ])
    expect(llmSteps(compacted.cards[0]!)).toHaveLength(3)
    expect(totals(compacted.cards)).toMatchObject({input: 6000, output: 350, cacheRead: 7000})
  })

  it('skips an impossible count with its line, and keeps an inputTokens smaller than its cache as fresh input', async () => {
    const bad = await session([msg('a1', 100), shutdown({'claude-sonnet-4.5': usage(-5, 100)})])
    expect(bad.skipped.map(s => s.reason).join('\n')).toMatch(/inputTokens: expected a non-negative number/)
    expect(bad.skipped[0]!.line).toBe(3)
    expect(bad.cards[0]!.warnings.map(w => w.message).join('\n')).toMatch(
      /session.shutdown holding them could not be read/,
    )
    const huge = await session([msg('a1', 1e300)])
    expect(huge.skipped.map(s => s.reason).join('\n')).toMatch(/outputTokens: .*not a plausible count/)
    expect(totals(huge.cards).output).toBe(0)
    const cache = await session([msg('a1', 10), shutdown({'claude-sonnet-4.5': usage(2000, 10, 50000, 1000)})])
    expect(totals(cache.cards)).toMatchObject({input: 2000, cacheRead: 50000, cacheWrite: 1000})
    expect(cache.cards[0]!.warnings.map(w => w.message).join('\n')).toMatch(/exceeds its inputTokens/)
  })
})

describe('Copilot CLI adapter: the input no shutdown counted, estimated apart', () => {
  it("scales a subagent's estimate to the tokens its end records in all (totalTokens), less its output", async () => {
    const sub = (api: string, output: number): [string, object, object] => [
      'assistant.message',
      {messageId: api, apiCallId: api, model: 'claude-opus-4.8', content: 'x'.repeat(400), outputTokens: output},
      {agentId: 'task1'},
    ]
    const {cards} = await session([
      msg('a1', 10, undefined, [{toolCallId: 'task1', name: 'task', arguments: {name: 'review'}}]),
      ['subagent.started', {toolCallId: 'task1', agentName: 'car', model: 'claude-opus-4.8'}, {agentId: 'task1'}],
      sub('s1', 10),
      sub('s2', 20),
      ['subagent.completed', {toolCallId: 'task1', model: 'claude-opus-4.8', totalTokens: 50000}, {agentId: 'task1'}],
    ])
    const estimate = cards[0]!.warnings.find(w => w.estimate?.model === 'claude-opus-4.8')
    expect(estimate?.message).toMatch(/subagents' recorded totals/)
    const t = estimate!.estimate!.tokens
    expect(Math.abs(t.input + t.cacheRead - (50000 - 30))).toBeLessThanOrEqual(2)
    // The session's own call is estimated by the conversation alone.
    expect(cards[0]!.warnings.find(w => w.estimate?.model === 'claude-sonnet-4.5')?.message).not.toMatch(/recorded/)
  })
})

describe('Copilot CLI adapter: calls and results, as review 59 tried them', () => {
  const call = (id: string, command: string) => ({toolCallId: id, name: 'bash', arguments: {command}})
  const done = (id: string, content: string): [string, object] => [
    'tool.execution_complete',
    {toolCallId: id, success: true, result: {content}},
  ]

  it('a tool call id used again by a later call is a call of its own, each given its own result', async () => {
    const {cards} = await session([
      msg('a1', 10, undefined, [call('dup', 'npm test')]),
      done('dup', 'not ok 1\n<shellId: 0 completed with exit code 1>'),
      msg('a2', 10, undefined, [call('dup', 'npm run build')]),
      done('dup', 'built\n<shellId: 1 completed with exit code 0>'),
    ])
    const tools = cards[0]!.steps.filter(s => s.kind === 'tool')
    expect(tools.map(t => [t.tool!.status, t.tool!.exitCode])).toEqual([
      ['error', 1],
      ['ok', 0],
    ])
  })

  it("a subagent's result written without its agentId is its call's; a result no call asked for is said", async () => {
    const rg = {toolCallId: 'rg1', name: 'rg', arguments: {pattern: 'x'}}
    const {cards} = await session([
      msg('a1', 10, undefined, [{toolCallId: 'task1', name: 'task', arguments: {prompt: 'look'}}]),
      ['subagent.started', {toolCallId: 'task1', agentName: 'explore'}, {agentId: 'task1'}],
      [
        'assistant.message',
        {messageId: 's1', apiCallId: 's1', model: 'claude-haiku-4.5', content: '', toolRequests: [rg], outputTokens: 5},
        {agentId: 'task1'},
      ],
      ['tool.execution_complete', {toolCallId: 'rg1', success: false, error: {message: 'rg: bad pattern'}}],
      done('ghost', 'boom'),
    ])
    const child = cards[0]!.children[0]!
    expect(child.id).toBe('s1/agent/task1')
    expect(child.steps.find(s => s.kind === 'tool')!.tool).toMatchObject({status: 'error', excerpt: 'rg: bad pattern'})
    expect(cards[0]!.warnings.map(w => w.message).join('\n')).toMatch(/call ghost, which no message asked for/)
  })

  it("reads the shell's closing line on the shell's tools alone, at a line's start", async () => {
    const {cards} = await session([
      msg('a1', 10, undefined, [{toolCallId: 'v1', name: 'view', arguments: {path: '/w/run.log'}}, call('b1', 'make')]),
      done('v1', '1. started\n2. <exited with exit code 1>'),
      done('b1', 'ok\r\n<exited with exit code 2>'),
    ])
    const [view, bash] = cards[0]!.steps.filter(s => s.kind === 'tool')
    expect(view!.tool).toMatchObject({status: 'ok'})
    expect(view!.tool!.exitCode).toBeUndefined()
    expect(bash!.tool).toMatchObject({status: 'error', exitCode: 2, excerpt: 'ok'})
  })
})

describe('Copilot CLI adapter: what a session folder holds beside its events', () => {
  it('recognises the rewind-snapshot index and the command history, and reads neither as a trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copilot-'))
    const index = join(dir, 'index.json')
    const rewind = {snapshotId: 'a47a9d74', eventId: 'df21aa4d', userMessage: 'fix PORT', fileCount: 1}
    writeFileSync(index, JSON.stringify({version: 1, snapshots: [rewind], filePathMap: {}}))
    const history = join(dir, 'command-history-state.json')
    writeFileSync(history, JSON.stringify({commandHistory: ['fix the port', '/usage']}))
    const config = join(dir, 'config.json')
    writeFileSync(config, JSON.stringify({model: 'gpt-5.6-sol', trusted_folders: ['/w']}))
    for (const [path, what] of [
      [index, /rewind-snapshot index/],
      [history, /command history/],
      [config, /settings/],
    ] as const) {
      const result = await read(path)
      expect(result.cards).toEqual([])
      expect(result.companion).toMatch(what)
    }
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
    // No shutdown in this log: the card says why it counts no input, and estimates it apart (priced, not counted).
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(/no session.shutdown/)
    const estimate = card.warnings.find(w => w.estimate)?.estimate
    expect(estimate).toMatchObject({model: 'gpt-5.6-sol', calls: 29, counted: false})
    expect(estimate!.tokens.cacheRead).toBeGreaterThan(estimate!.tokens.input)
    // Copilot's own bill at its last checkpoint (310,218,050,000 billionths of an AI unit, a cent each), set beside.
    expect(card.recorded?.costUsd).toBeCloseTo(3.1021805, 9)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(
      /records a total cost of \$3\.10 and its calls come to/,
    )
  })
})

const RESUMED = `${root}test/corpus-extra/fresh197/copilot-cli/StarCar-e07fc822.jsonl`

describe.skipIf(!existsSync(RESUMED))('Copilot CLI adapter on a real resumed session (fresh197, StarCar)', () => {
  it("splits its shutdown over the process's 59 calls exactly; the shutdown's tokenDetails confirm the cache reading", async () => {
    const {cards} = await read(RESUMED)
    const text = readFileSync(RESUMED, 'utf8').split('\n')
    const at = text.findIndex(l => l.includes('"type":"session.shutdown"')) + 1
    const shutdown = JSON.parse(text[at - 1]!).data
    const before = cards.flatMap(c => [c, ...c.children]).flatMap(c => llmSteps(c).filter(s => (s.line ?? 0) < at))
    // One step per request Copilot counted, and the process's tokens exactly.
    expect(before).toHaveLength(shutdown.modelMetrics['claude-fable-5'].requests.count)
    const usage = shutdown.modelMetrics['claude-fable-5'].usage
    expect(sum(before)).toMatchObject({
      input: usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens,
      output: usage.outputTokens,
      cacheRead: usage.cacheReadTokens,
      cacheWrite: usage.cacheWriteTokens,
    })
    // Its own breakdown: inputTokens holds the cache reads and the cache writes.
    expect(shutdown.tokenDetails.input.tokenCount).toBe(
      usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens,
    )
    // Its bill, 1,565,379,500,000 billionths of an AI unit (a cent), is what aco prices those 59 calls at.
    const priced = before.reduce((a, s) => a + (s.cost?.usd ?? 0), 0)
    expect(priced).toBeCloseTo(shutdown.totalNanoAiu / 1e11, 6)
    // A compaction's billing breakdown is its tokens: its cacheWriteTokens says 0, its tokenDetails 139,926.
    const compaction = cards
      .flatMap(c => [c, ...c.children])
      .flatMap(llmSteps)
      .find(s => s.text === 'context compaction')
    expect(compaction?.tokens).toMatchObject({input: 2, cacheRead: 14777, cacheWrite: 139926, output: 4769})
    expect(cards[0]!.warnings.map(w => w.message).join('\n')).toMatch(/after the last session.shutdown/)
  })

  it("estimates a process's input from the conversation's size to within a fifth, low, where no shutdown counts it", async () => {
    // The same session cut before its shutdown: the estimate against what the shutdown then counted.
    const text = readFileSync(RESUMED, 'utf8').split('\n')
    const at = text.findIndex(l => l.includes('"type":"session.shutdown"'))
    const usage = JSON.parse(text[at]!).data.modelMetrics['claude-fable-5'].usage
    const dir = mkdtempSync(join(tmpdir(), 'aco-copilot-'))
    writeFileSync(join(dir, 'cut.jsonl'), `${text.slice(0, at).join('\n')}\n`)
    const {cards} = await read(join(dir, 'cut.jsonl'))
    const estimate = cards[0]!.warnings.find(w => w.estimate)!.estimate!
    expect(estimate).toMatchObject({model: 'claude-fable-5', calls: 59, counted: false})
    const ratio = (estimate.tokens.input + estimate.tokens.cacheRead) / usage.inputTokens
    expect(ratio).toBeGreaterThan(0.8)
    expect(ratio).toBeLessThan(1)
  })
})

describe('a Copilot CLI session resumed at another commit', () => {
  it("tells of a change to the repository's files, as a person's `I pulled` would: a read at its next turn is no re-read", async () => {
    // 5, 6: issue.md and AGENTS.md read again after the session resumed at another commit (a CI job's fresh clone:
    // fresh258 #21, #35, #124 were flagged, their labeller called them justified); 7: AGENTS.md a third time in that turn;
    // 8: the session's own plan (`session-state/<id>/plan.md`), which a resume restores as it was (fresh262's nine
    // re-reads of plan.md); 9: a file outside the repository (review 66); 11: issue.md again after a resume at the commit
    // the agent itself made in 10 (`[issue-3 4f5e6d7]`: review 66, from fresh197).
    expect(await fixtureFlags('copilot-cli-resumes/resumed-at-another-commit.jsonl')).toEqual({
      7: 'reread-unchanged',
      8: 'reread-unchanged',
      9: 'reread-unchanged',
      11: 'reread-unchanged',
    })
  })
})

describe("Copilot CLI's view of a folder", () => {
  it('is a listing of the folder, not a read of a file: a grep over the folder after it is a new search', async () => {
    // 1: `view src` prints its entries; 2: `grep connect` over src (fresh254: it had been "reads src again"); 3, 4: one
    // file viewed twice, numbered lines both times: 4 is the re-read.
    expect(await fixtureFlags('copilot-cli-views/view-folder-then-grep.jsonl')).toEqual({4: 'reread-unchanged'})
  })
})

describe('Copilot CLI: a timestamp that is no time', () => {
  it('is said with its line and read as none, the subagent’s too: the cards hold no time their schema refuses (trial 98)', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n')
    // (Every record of the subagent, and one of the main agent's, dated "yesterday", as a fixture writer trimmed them.)
    const bad = lines.map((l, k) =>
      l.includes('"agentId"') || k === 5 ? l.replace(/"timestamp":"[^"]*"/, '"timestamp":"yesterday"') : l,
    )
    expect(bad.filter(l => l.includes('"yesterday"')).length).toBeGreaterThan(2)
    const dir = mkdtempSync(join(tmpdir(), 'aco-copilot-time-'))
    const path = join(dir, 'events.jsonl')
    writeFileSync(path, `${bad.join('\n')}\n`)
    const card = await readOne(path)
    const all = [card, ...card.children]
    expect(JSON.stringify(all.map(c => [c.startedAt, c.endedAt, c.steps]))).not.toContain('yesterday')
    for (const c of all) {
      expect(c.startedAt === undefined || !Number.isNaN(Date.parse(c.startedAt))).toBe(true)
      for (const s of c.steps)
        for (const at of [s.startedAt, s.endedAt, s.loggedAt]) expect(at === undefined || at !== 'yesterday').toBe(true)
    }
    expect(card.warnings).toContainEqual({
      line: 6,
      message: 'timestamp "yesterday" is no time aco reads: the record is read without it',
    })
    expect(check('tracecard', JSON.parse(JSON.stringify(card)))).toBeUndefined()
  })
})
