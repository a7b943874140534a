import {calcPrice} from '@pydantic/genai-prices'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

describe('Claude Code adapter', () => {
  it('counts one LLM step per (message.id, requestId), keeping the largest usage of the split lines', async () => {
    const card = await readOne(fixture('claude-code/split-blocks.jsonl'))
    const llm = llmSteps(card)
    // 10 assistant lines in 3 responses
    expect(llm.map(s => s.id)).toEqual(['msg_split_1', 'msg_split_2', 'msg_split_3'])
    // output grew on the last split line (13 → 87): the largest is kept, not the sum (3×)
    expect(llm[0]!.tokens).toEqual({
      input: 3,
      output: 87,
      cacheRead: 10000,
      cacheWrite: 2000,
      cacheWrite1h: 2000,
      reasoning: 0,
    })
    expect(card.totals.tokens.input).toBe(3 + 5 + 2)
    expect(card.totals.tokens.output).toBe(87 + 40 + 9)
    expect(card.totals.llmCalls).toBe(3)
  })

  it('pairs tool_use with tool_result into tool steps after the call that issued them', async () => {
    const card = await readOne(fixture('claude-code/split-blocks.jsonl'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.tool!.name, s.tool!.status, s.parentStepId])).toEqual([
      ['Read', 'ok', 'msg_split_1'],
      ['Edit', 'ok', 'msg_split_2'],
    ])
    expect(card.steps.map(s => s.id)).toEqual([
      'msg_split_1',
      'toolu_read_1',
      'msg_split_2',
      'toolu_edit_1',
      'msg_split_3',
    ])
    expect(tools[0]!.tool!.excerpt).toContain('a - b')
    expect(tools[0]!.durationMs).toBe(200)
    expect(card.totals.toolCalls).toBe(2)
  })

  it('prices cache writes at their 1-hour rate, equal to genai-prices for the same usage', async () => {
    const card = await readOne(fixture('claude-code/split-blocks.jsonl'))
    const step = llmSteps(card)[0]!
    const expected = calcPrice(
      {
        input_tokens: 3 + 10000 + 2000,
        cache_read_tokens: 10000,
        cache_write_tokens: 2000,
        cache_write_1h_tokens: 2000,
        output_tokens: 87,
      },
      'claude-sonnet-4-5-20250929',
      {providerId: 'anthropic', timestamp: new Date(step.startedAt!)},
    )!
    expect(step.cost?.source).toBe('computed')
    expect(step.cost!.usd).toBeCloseTo(expected.total_price, 12)
    // 1h writes cost more than 5m writes would
    const at5m = calcPrice(
      {input_tokens: 12003, cache_read_tokens: 10000, cache_write_tokens: 2000, output_tokens: 87},
      'claude-sonnet-4-5-20250929',
    )!
    expect(step.cost!.usd!).toBeGreaterThan(at5m.total_price)
  })

  it('does not count a sidechain replay of a parent message twice', async () => {
    const card = await readOne(fixture('claude-code/sidechain-replay.jsonl'))
    const all = [card, ...card.children]
    const calls = all.flatMap(c => llmSteps(c).map(s => s.id))
    expect(calls.sort()).toEqual(['msg_replay_1', 'msg_replay_2'])
    const input = all.reduce((n, c) => n + c.totals.tokens.input, 0)
    expect(input).toBe(10 + 4)
  })

  it('marks failed tools, skips <synthetic> records and keeps a recorded costUSD beside the computed cost', async () => {
    const card = await readOne(fixture('claude-code/tool-error-synthetic-costusd.jsonl'))
    const llm = llmSteps(card)
    expect(llm.map(s => s.model)).not.toContain('<synthetic>')
    expect(llm).toHaveLength(2)
    const bash = card.steps.find(s => s.kind === 'tool')!
    expect(bash.tool).toMatchObject({name: 'Bash', status: 'error', exitCode: 1})
    expect(llm[0]!.cost).toMatchObject({source: 'computed', recordedUsd: 0.00075})
    expect(card.totals.recordedCostUsd).toBeCloseTo(0.00075 + 0.00066, 12)
    expect(card.source.toolVersion).toBe('1.0.17')
  })

  it("keeps an Anthropic-compatible endpoint's final usage, not its first line's estimate with no output (trial 92: GLM-5)", async () => {
    const card = await readOne(fixture('claude-code/compatible-endpoint-final-usage.jsonl'))
    const [llm] = llmSteps(card)
    expect(llmSteps(card)).toHaveLength(1)
    // The first line's 27,693 in and 0 out is the endpoint's estimate; the later lines' 26,158 and 116 are billed.
    expect(llm!.tokens).toMatchObject({input: 26_158, output: 116})
    expect(llm!.estimated).toBeUndefined()
    expect(card.warnings.map(w => w.message).join('\n')).not.toMatch(/streaming placeholder/)
    // A later line whose prompt is far from the first's (none, a tenth) is no final accounting of it (review 93).
    const dir = mkdtempSync(join(tmpdir(), 'aco-cc-final-'))
    try {
      const lines = readFileSync(fixture('claude-code/compatible-endpoint-final-usage.jsonl'), 'utf8').split('\n')
      for (const prompt of [0, 2_600]) {
        const path = join(dir, `p${prompt}.jsonl`)
        writeFileSync(path, lines.map(l => l.replaceAll('"input_tokens":26158', `"input_tokens":${prompt}`)).join('\n'))
        const [first] = llmSteps(await readOne(path))
        expect(first!.tokens!.input, String(prompt)).toBe(27_693)
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('pairs a result written before the call it answers (2.1.112 writes the two lines out of order at times)', async () => {
    const card = await readOne(fixture('claude-code/result-before-call.jsonl'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.id, s.tool!.status, s.parentStepId])).toEqual([
      ['toolu_early_1', 'ok', 'msg_e1'],
      ['toolu_early_2', 'ok', 'msg_e2'],
    ])
    // The early result is the call's output: its time, its size, and what the detectors read.
    expect(tools[0]!.endedAt).toBe('2026-04-10T12:00:03.460Z')
    expect(tools[0]!.tool!.outputChars).toBe(tools[1]!.tool!.outputChars)
    const {flagCard} = await import('../../src/flag/flag-card.js')
    flagCard(card)
    expect(tools[1]!.flags?.map(f => f.kind)).toEqual(['reread-unchanged'])
    // Only a result no call in the file claims is warned of, with its own line.
    expect(card.warnings).toEqual([
      expect.objectContaining({message: 'tool_result for unknown tool_use toolu_gone', line: 6}),
    ])
  })

  it("a person's /clear empties the context: a read after it is no re-read (1.0.x went on in the same file)", async () => {
    const card = await readOne(fixture('claude-code/cleared-conversation.jsonl'))
    const {flagCard} = await import('../../src/flag/flag-card.js')
    flagCard(card)
    // 3: README.md again in the same context (a grep's output quoting the command's tags is no clear: review 66); 4:
    // again after `/clear` (fresh270 #15, #16, #21, #22 had been flagged).
    const flags = card.steps.filter(s => s.kind === 'tool').map(s => s.flags?.[0]?.kind)
    expect(flags).toEqual([undefined, undefined, 'reread-unchanged', undefined])
  })

  it('links an inline sidechain (1.0.x) to the Task call whose prompt started it', async () => {
    const card = await readOne(fixture('claude-code/inline-sidechain.jsonl'))
    expect(llmSteps(card).map(s => s.id)).toEqual(['msg_inline_1', 'msg_inline_2'])
    expect(card.children).toHaveLength(1)
    const child = card.children[0]!
    expect(llmSteps(child).map(s => s.id)).toEqual(['msg_inline_s1', 'msg_inline_s2'])
    expect(child.parent).toMatchObject({traceId: card.id, stepId: 'toolu_task_i1', agentType: 'general-purpose'})
    const task = card.steps.find(s => s.id === 'toolu_task_i1')!
    expect(task.childTraceIds).toEqual([child.id])
  })

  it('links an inline sidechain whose prompt is longer than the shortened arguments a card keeps', async () => {
    const {mkdtempSync, readFileSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const long = `Create a types/ directory with a Todo interface. ${'Explain every field in detail. '.repeat(40)}`
    const text = readFileSync(fixture('claude-code/inline-sidechain.jsonl'), 'utf8').replaceAll(
      'Create a types/ directory with a Todo interface.',
      long,
    )
    const path = join(mkdtempSync(join(tmpdir(), 'aco-cc-')), 'long-prompt.jsonl')
    writeFileSync(path, text)
    const card = await readOne(path)
    // (the longer prompt makes the Task call's recorded output a placeholder-like count: estimated, with a warning)
    expect(card.warnings.filter(w => !w.estimate)).toEqual([])
    expect(card.children[0]!.parent?.stepId).toBe('toolu_task_i1')
  })

  it('reads a subagent file as its own trace with the id its parent points to', async () => {
    const parent = await readOne(fixture('claude-code/session-with-subagent/sess-parent-0004.jsonl'))
    const child = await readOne(
      fixture('claude-code/session-with-subagent/sess-parent-0004/subagents/agent-a1b2c3d.jsonl'),
    )
    const task = parent.steps.find(s => s.tool?.name === 'Task')!
    expect(task.childTraceIds).toEqual([child.id])
    expect(child.parent).toMatchObject({sessionId: 'sess-parent-0004', agentId: 'a1b2c3d'})
    expect(child.models).toEqual(['claude-haiku-4-5-20251001'])
    expect(child.totals.llmCalls).toBe(3)
  })

  it("takes a subagent's metadata file beside it (agent-<id>.meta.json, 2.1.x) for what it is, no unknown input (trial 101)", async () => {
    const meta = await read(
      fixture('claude-code/session-with-subagent/sess-parent-0004/subagents/agent-a1b2c3d.meta.json'),
    )
    expect(meta.cards).toEqual([])
    expect(meta.skipped).toEqual([])
    expect(meta.companion).toMatch(/Claude Code subagent metadata/)
  })

  it('lists an unknown model as unpriced with its tokens, never as $0', async () => {
    const card = await readOne(fixture('claude-code/unknown-model.jsonl'))
    const [unknown, known] = llmSteps(card)
    expect(unknown!.cost).toEqual({usd: null, source: 'unpriced'})
    expect(known!.cost!.usd).toBeGreaterThan(0)
    expect(card.unpriced).toEqual([
      expect.objectContaining({
        model: 'claude-imaginary-9',
        calls: 1,
        tokens: expect.objectContaining({input: 50, output: 5}),
      }),
    ])
    expect(card.totals.unpricedCalls).toBe(1)
    expect(card.totals.costUsd).toBeCloseTo(known!.cost!.usd!, 12)
  })

  it('reports a wrong type with its line and keeps the other records', async () => {
    const result = await read(fixture('bad/wrong-type.jsonl'))
    expect(result.skipped).toEqual([
      expect.objectContaining({line: 2, reason: 'message.usage.input_tokens: expected a number, got string'}),
    ])
    expect(result.cards[0]!.totals.llmCalls).toBe(1)
    // A model that is no string: the record is skipped with its line, as a count of the wrong type is, not read as a
    // call of no model.
    const model = await read(fixture('bad/wrong-type-model.jsonl'))
    expect(model.skipped).toEqual([
      expect.objectContaining({line: 2, reason: 'message.model: expected a string, got number'}),
    ])
    expect(model.cards[0]!.totals.llmCalls).toBe(1)
    // A message that is an array or null is named so, not "got object" (trial 32).
    const dir = mkdtempSync(join(tmpdir(), 'aco-cc-message-type-'))
    try {
      const lines = readFileSync(fixture('bad/wrong-type-model.jsonl'), 'utf8').trimEnd().split('\n')
      const second = JSON.parse(lines[1]!)
      for (const [message, name] of [
        [[], 'array'],
        [null, 'null'],
      ] as const) {
        const file = join(dir, `${name}.jsonl`)
        writeFileSync(file, `${[lines[0], JSON.stringify({...second, message}), lines[2]].join('\n')}\n`)
        expect((await read(file)).skipped).toEqual([
          expect.objectContaining({line: 2, reason: `message: expected an object, got ${name}`}),
        ])
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('a time that is no time (trial 78)', () => {
  it('is warned of with its line, and the record read without it: not 1970, not the time before it as its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-cc-time-type-'))
    try {
      const lines = readFileSync(fixture('bad/wrong-type.jsonl'), 'utf8').trimEnd().split('\n')
      const third = JSON.parse(lines[2]!)
      for (const [value, shown] of [
        [42, '42'],
        ['yesterday', '"yesterday"'],
        [{at: 'noon'}, '{"at":"noon"}'],
      ] as const) {
        const file = join(dir, 'session.jsonl')
        writeFileSync(file, `${[lines[0], lines[1], JSON.stringify({...third, timestamp: value})].join('\n')}\n`)
        const result = await read(file)
        const card = result.cards[0]!
        expect(card.warnings).toEqual([
          {line: 3, message: `timestamp ${shown} is no time aco reads: the record is read without it`},
        ])
        // The call it records ends at no time; none of the card's times is before 2000.
        const last = card.steps.filter(s => s.kind === 'llm').at(-1)!
        expect(last.endedAt).toBeUndefined()
        for (const s of card.steps) if (s.startedAt) expect(s.startedAt >= '2026-02-10').toBe(true)
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it("reads no time before 2000 as a record's time, warns of three with their lines, and of the rest once", async () => {
    const {CardBuilder} = await import('../../src/card/build.js')
    const b = new CardBuilder('claude-code', 'x.jsonl', false)
    expect(b.time(946_684_800, 1)).toBe('2000-01-01T00:00:00.000Z')
    expect(b.time(1_730_548_800_123, 2)).toBe('2024-11-02T12:00:00.123Z')
    expect(b.time('2026-02-10T10:00:00Z', 3)).toBe('2026-02-10T10:00:00.000Z')
    for (const [k, value] of [42, 0, 946_684_799, '1999-12-31T23:59:59Z', 'soon'].entries())
      expect(b.time(value, 10 + k)).toBeUndefined()
    expect(b.warnings.map(w => w.line)).toEqual([10, 11, 12, undefined])
    expect(b.warnings[3]!.message).toBe('more records hold a timestamp that is no time: read without it, not listed')
    // (A mapping's own times go through toIso, which reads small counts as it always did: seconds since a start.)
    const {toIso} = await import('../../src/util/time.js')
    expect(toIso(0.5)).toBe('1970-01-01T00:00:00.500Z')
  })
})

describe('Claude Code details', () => {
  it('titles a session by its first real prompt: slash commands by name, injected text skipped', async () => {
    const {promptTitle} = await import('../../src/adapt/claude-code.js')
    expect(
      promptTitle(
        '<command-message>init is analyzing your codebase…</command-message>\n<command-name>/init</command-name>',
      ),
    ).toBe('/init')
    expect(promptTitle('<command-name>review</command-name><command-args>PR 12</command-args>')).toBe('/review PR 12')
    expect(promptTitle('<system-reminder>hooks ran</system-reminder>')).toBeUndefined()
    expect(
      promptTitle('Caveat: The messages below were generated by the user while running local commands.'),
    ).toBeUndefined()
    expect(promptTitle('  fix the build  ')).toBe('fix the build')
  })

  it("titles a session by the person's words, not an IDE's note before them nor a tool's result after", async () => {
    const {mkdtempSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const path = join(mkdtempSync(join(tmpdir(), 'aco-cc-')), 'ide.jsonl')
    const base = {sessionId: 's-ide', cwd: '/w', version: '2.1.22', userType: 'external', isSidechain: false}
    const records = [
      {
        ...base,
        type: 'user',
        uuid: 'u1',
        parentUuid: null,
        timestamp: '2026-01-28T20:00:00.000Z',
        message: {
          role: 'user',
          content: [
            {type: 'text', text: '<ide_opened_file>The user opened the file Untitled-1 in the IDE.</ide_opened_file>'},
            {type: 'text', text: 'I want a bot that tells me if it will rain on my commute'},
          ],
        },
      },
      {
        ...base,
        type: 'assistant',
        uuid: 'a1',
        parentUuid: 'u1',
        requestId: 'req_ide_1',
        timestamp: '2026-01-28T20:00:05.000Z',
        message: {
          id: 'msg_ide_1',
          model: 'claude-opus-4-5-20251101',
          role: 'assistant',
          type: 'message',
          content: [{type: 'tool_use', id: 'toolu_ide_1', name: 'Bash', input: {command: 'ls -la'}}],
          usage: {input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 0},
        },
      },
      {
        ...base,
        type: 'user',
        uuid: 'u2',
        parentUuid: 'a1',
        timestamp: '2026-01-28T20:00:06.000Z',
        message: {
          role: 'user',
          content: [{type: 'tool_result', tool_use_id: 'toolu_ide_1', content: 'total 8\n./\n../'}],
        },
      },
    ]
    writeFileSync(path, records.map(r => JSON.stringify(r)).join('\n'))
    const result = await read(path)
    expect(result.cards[0]!.title).toBe('I want a bot that tells me if it will rain on my commute')
  })

  it('reads a session whose first lines are records about it (Claude Code 2.1), titled as Claude Code lists it', async () => {
    // custom-title, agent-name, last-prompt, ai-title and permission-mode come before the conversation; the file had
    // been "of no format aco knows". A person's title (the last rename) comes before the generated one.
    const result = await read(fixture('claude-code/metadata-records-first.jsonl'))
    expect(result.skipped).toEqual([])
    expect(result.cards).toHaveLength(1)
    const card = result.cards[0]!
    expect(card.title).toBe('DEX swap events')
    expect(card.steps.filter(s => s.kind === 'llm')).toHaveLength(2)
    expect(card.steps.filter(s => s.kind === 'tool').map(s => s.tool!.name)).toEqual(['Bash'])
  })

  it('skips a record whose token count is not plausible, with its line', async () => {
    const {mkdtempSync, readFileSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const path = join(mkdtempSync(join(tmpdir(), 'aco-cc-')), 'huge.jsonl')
    writeFileSync(
      path,
      readFileSync(fixture('claude-code/unknown-model.jsonl'), 'utf8').replace(
        '"input_tokens":60',
        '"input_tokens":1e300',
      ),
    )
    const result = await read(path)
    expect(result.skipped).toEqual([
      expect.objectContaining({line: 4, reason: 'message.usage.input_tokens: 1e+300 is not a plausible count'}),
    ])
    expect(result.cards[0]!.totals.llmCalls).toBe(1)
  })
})

describe("Claude Code: a call that consulted Claude's advisor (usage.iterations)", () => {
  it('counts the advisor as a call of its own at its model, and the executor by its own turns', async () => {
    const card = await readOne(fixture('claude-code/advisor-tool.jsonl'))
    const [first, executor, advisor, last] = llmSteps(card)
    // msg_adv_002 ran three turns in one API call: the executor, the advisor (claude-opus-5), the executor again. The
    // top-level usage sums the executor's turns only, and its cache-write split is the first turn's (300 of 700).
    expect(executor!.id).toBe('msg_adv_002')
    expect(executor!.tokens).toEqual({
      input: 4,
      output: 347,
      cacheRead: 41300,
      cacheWrite: 700,
      reasoning: 0,
      cacheWrite1h: 300,
    })
    expect(advisor!.id).toBe('msg_adv_002/advisor-1')
    expect(advisor!.model).toBe('claude-opus-5')
    expect(advisor!.tokens).toEqual({
      input: 21000,
      output: 900,
      cacheRead: 0,
      cacheWrite: 0,
      reasoning: 0,
      cacheWrite1h: 0,
    })
    expect(card.totals.llmCalls).toBe(4)
    // Once, though three records of the response repeat its usage.
    expect(llmSteps(card).filter(s => s.id.includes('/advisor'))).toHaveLength(1)
    // Priced at the advisor's rates: the card's cost is the steps' sum, the advisor's the larger part of it.
    expect(advisor!.cost!.usd!).toBeGreaterThan(executor!.cost!.usd! + first!.cost!.usd! + last!.cost!.usd!)
    // What the context held is the last turn's prompt, not the sum: no compaction is read into 41,300 → 21,701.
    expect(executor!.context).toBe(2 + 20800 + 400)
    expect(last!.compacted).toBeUndefined()
  })

  it('keeps the context across it: the same Read after it is a re-read (the summed prompt looked like a compaction)', async () => {
    const card = await readOne(fixture('claude-code/advisor-tool.jsonl'))
    const {flagCard} = await import('../../src/flag/flag-card.js')
    flagCard(card)
    const flagged = card.steps.filter(s => s.flags?.length).map(s => [s.tool?.callId, s.flags![0]!.kind])
    expect(flagged).toEqual([['toolu_adv_003', 'reread-unchanged']])
  })
})
