/**
 * OpenCode session exports (`opencode export`, Entire's `full.jsonl`): one LLM step per model step (`step-finish`),
 * tokens with the cache and the reasoning apart, tool parts with their state, the person's turns, the session's own sum.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import {PriceBook} from '../../src/price/book.js'
import {priceCard} from '../../src/price/price-card.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {fixture, llmSteps, readOne, root} from '../helpers.js'

/**
 * An OpenCode export in the shape of a real one (fresh207's, OpenCode 1.4.3 with the context-pruning plugin): a read of
 * a file, then what `between` puts between it and the same read again.
 */
function exportWith(between: object[]): object {
  const sid = 'ses_0f1e2d3c4b5aFixtureCompact'
  const out = (path: string) =>
    `<path>${path}</path>\n<type>file</type>\n<content>\n1: export const port = 3000\n\n(End of file - total 1 lines)\n</content>`
  const read = (n: number) => ({
    info: {
      role: 'assistant',
      modelID: 'gpt-5.4',
      providerID: 'openai',
      id: `msg_r${n}`,
      sessionID: sid,
      time: {created: 1787700000000 + n * 1000},
    },
    parts: [
      {type: 'step-start', id: `s${n}`},
      {
        type: 'tool',
        tool: 'read',
        callID: `call_r${n}`,
        state: {
          status: 'completed',
          input: {filePath: '/home/dev/shop/src/config.ts'},
          output: out('/home/dev/shop/src/config.ts'),
        },
      },
      {type: 'step-finish', tokens: {input: 100, output: 10, reasoning: 0, cache: {read: 0, write: 0}}, cost: 0},
    ],
  })
  const prompt = {
    info: {role: 'user', id: 'msg_u1', sessionID: sid, time: {created: 1787700000000}},
    parts: [{type: 'text', text: 'What port does it use?'}],
  }
  return {
    info: {id: sid, directory: '/home/dev/shop', version: '1.4.3'},
    messages: [prompt, read(1), ...between, read(2)],
  }
}

async function readBack(doc: object): Promise<{turns: number[]; flags: Array<string | null>}> {
  const dir = mkdtempSync(join(tmpdir(), 'aco-opencode-'))
  try {
    const path = join(dir, 'full.jsonl')
    writeFileSync(path, JSON.stringify(doc))
    const card = await readOne(path)
    flagCard(card)
    const reads = card.steps.filter(s => s.kind === 'tool' && s.tool!.name === 'read')
    return {turns: reads.map(s => s.turn ?? 0), flags: reads.map(s => s.flags?.[0]?.kind ?? null)}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

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

  it("starts the context again after OpenCode's compaction or the pruning plugin's compress, neither a person's turn", async () => {
    const sid = 'ses_0f1e2d3c4b5aFixtureCompact'
    const step = (n: number, parts: object[]) => ({
      info: {
        role: 'assistant',
        modelID: 'gpt-5.4',
        providerID: 'openai',
        id: `msg_c${n}`,
        sessionID: sid,
        time: {created: 1787700001500},
      },
      parts: [
        {type: 'step-start'},
        ...parts,
        {type: 'step-finish', tokens: {input: 50, output: 5, reasoning: 0, cache: {read: 0, write: 0}}},
      ],
    })
    // Nothing between: the same read again is a re-read.
    expect(await readBack(exportWith([]))).toEqual({turns: [1, 1], flags: [null, 'reread-unchanged']})
    // The plugin's compress (fresh207 #41), then its notice as a user message: no re-read, and still the first turn.
    const compress = step(3, [
      {
        type: 'tool',
        tool: 'compress',
        callID: 'call_c1',
        state: {
          status: 'completed',
          input: {topic: 'Port', content: [{startId: 'm0001', endId: 'm0002', summary: 'config.ts sets port 3000'}]},
          output: 'Compressed 2 messages into [Compressed conversation section].',
        },
      },
    ])
    const notice = {
      info: {role: 'user', id: 'msg_u2', sessionID: sid},
      parts: [{type: 'text', text: '▣ DCP | -7.3K removed, +0.4K summary — Compression #1'}],
    }
    expect(await readBack(exportWith([compress, notice]))).toEqual({turns: [1, 1], flags: [null, null]})
    // A compress that failed compressed nothing.
    const failed = step(4, [
      {type: 'tool', tool: 'compress', callID: 'call_c2', state: {status: 'error', input: {}, error: 'no such range'}},
    ])
    expect((await readBack(exportWith([failed]))).flags).toEqual([null, 'reread-unchanged'])
    // OpenCode's own compaction: its request (a `compaction` part) and the summary answering it.
    const request = {info: {role: 'user', id: 'msg_u3', sessionID: sid}, parts: [{type: 'compaction', auto: true}]}
    const summary = {
      ...step(5, [{type: 'text', text: 'Summary: config.ts sets port 3000.'}]),
      info: {...step(5, []).info, summary: true, mode: 'compaction'},
    }
    expect(await readBack(exportWith([request, summary]))).toEqual({turns: [1, 1], flags: [null, null]})
  })

  it("counts no LLM call for a subtask OpenCode runs itself: its zero-token message's task call is the harness's (trial 105)", async () => {
    // As OpenCode's prompt loop writes a `subtask` (a command run by a subagent, nimbus `/review`): an assistant message
    // of zero tokens and cost holding only the `task` call, with no step-start or step-finish.
    const sid = 'ses_0f1e2d3c4b5aFixtureSubtask'
    const tokens = (input: number, output: number) => ({input, output, reasoning: 0, cache: {read: 0, write: 0}})
    const model = (n: number, cost: number) => ({
      info: {role: 'assistant', modelID: 'gpt-5.4', providerID: 'openai', id: `msg_a${n}`, sessionID: sid, cost},
      parts: [
        {type: 'step-start', id: `s${n}`},
        {type: 'text', text: 'Done.', id: `t${n}`},
        {type: 'step-finish', tokens: tokens(1000 * n, 50), cost, id: `f${n}`},
      ],
    })
    const doc = {
      info: {id: sid, directory: '/home/dev/shop', version: '1.14.30'},
      messages: [
        {info: {role: 'user', id: 'msg_u1', sessionID: sid}, parts: [{type: 'text', text: 'Add the route.'}]},
        model(1, 0.002),
        {
          info: {role: 'user', id: 'msg_u2', sessionID: sid},
          parts: [{type: 'subtask', agent: 'build', description: 'review changes', prompt: 'You are a code reviewer.'}],
        },
        {
          info: {
            role: 'assistant',
            modelID: 'gpt-5.4',
            providerID: 'openai',
            id: 'msg_a2',
            sessionID: sid,
            cost: 0,
            tokens: tokens(0, 0),
          },
          parts: [
            {
              type: 'tool',
              tool: 'task',
              callID: 'call_task1',
              state: {
                status: 'completed',
                input: {prompt: 'You are a code reviewer.', subagent_type: 'build'},
                output: 'No issues.',
              },
            },
          ],
        },
        model(3, 0.004),
      ],
    }
    const dir = mkdtempSync(join(tmpdir(), 'aco-opencode-'))
    try {
      const path = join(dir, 'full.jsonl')
      writeFileSync(path, JSON.stringify(doc))
      const card = await readOne(path)
      expect(llmSteps(card).map(s => s.id)).toEqual(['msg_a1', 'msg_a3'])
      const task = card.steps.find(s => s.tool?.name === 'task')!
      expect(task.parentStepId).toBeUndefined()
      expect(task.tool!.status).toBe('ok')
      expect(card.totals.llmCalls).toBe(2)
      // The same message after a person's words is the model's own (a call whose usage it recorded as none).
      const asked = doc.messages.slice()
      asked[2] = {info: {role: 'user', id: 'msg_u2', sessionID: sid}, parts: [{type: 'text', text: 'Review it.'}]}
      writeFileSync(path, JSON.stringify({...doc, messages: asked}))
      expect((await readOne(path)).totals.llmCalls).toBe(3)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('is told from other JSON documents: a session export needs info.id and messages of {info.role, parts}', async () => {
    const {opencodeAdapter} = await import('../../src/adapt/opencode.js')
    const session = {info: {id: 'ses_1', directory: '/r'}, messages: [{info: {role: 'user'}, parts: []}]}
    expect(opencodeAdapter.sniff(session)).toBe(true)
    expect(opencodeAdapter.sniff({info: {id: 'x'}, messages: [{role: 'user', content: 'hi'}]})).toBe(false)
    expect(opencodeAdapter.sniff([{role: 'user'}])).toBe(false)
  })
})

describe("OpenCode's reasoning tokens, within the output before 1.3.16 and beside it since, as each record's total says (trial 130)", () => {
  /** One call's output and reasoning as aco reads them, from a session of `version` with the step's `tokens`. */
  async function outputOf(version: string | undefined, tokens: object): Promise<[number, number]> {
    const doc = exportWith([]) as {info: {version?: string}; messages: Array<{parts: Array<{type: string}>}>}
    if (version === undefined) delete doc.info.version
    else doc.info.version = version
    for (const m of doc.messages)
      for (const p of m.parts) if (p.type === 'step-finish') Object.assign(p, {tokens: {...tokens}})
    const dir = mkdtempSync(join(tmpdir(), 'aco-opencode-reasoning-'))
    try {
      writeFileSync(join(dir, 'session.json'), JSON.stringify(doc))
      const t = llmSteps(await readOne(join(dir, 'session.json')))[0]!.tokens!
      return [t.output, t.reasoning]
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }
  const cache = {read: 0, write: 0}

  it("goes by the record's own total, whatever the version says", async () => {
    // 1.2.5's (fresh308): 17490 + 479 = 17969, the 341 of reasoning within the 479.
    const within = {total: 17969, input: 17490, output: 479, reasoning: 341, cache}
    expect(await outputOf('1.2.5', within)).toEqual([479, 341])
    expect(await outputOf('1.4.3', within)).toEqual([479, 341])
    // 1.4.3's (fresh207): 26962 + 20 + 175 = 27157, the reasoning beside the output.
    const beside = {total: 27157, input: 26962, output: 20, reasoning: 175, cache}
    expect(await outputOf('1.4.3', beside)).toEqual([195, 175])
    expect(await outputOf('1.2.5', beside)).toEqual([195, 175])
  })

  it('counts the reasoning beside the output where no total tells, whatever the version (review 132: Gemini leaves its thinking out of output)', async () => {
    const bare = {input: 100, output: 50, reasoning: 30, cache}
    for (const version of ['1.2.5', '1.3.15', '1.3.16', '1.18.31', undefined])
      expect(await outputOf(version, bare), version).toEqual([80, 30])
    // A total that matches neither reading: beside it. Reasoning within is never more than the output.
    expect(await outputOf('1.3.0', {total: 5, input: 100, output: 50, reasoning: 30, cache})).toEqual([80, 30])
    expect(await outputOf('1.3.0', {total: 100, input: 100, output: 0, reasoning: 30, cache})).toEqual([30, 30])
  })
})

describe('OpenCode sessions of public repositories (the blind sets in test/corpus-extra)', () => {
  const sets = join(root, 'test', 'corpus-extra')
  const files = readdirSync(sets).flatMap(set => {
    try {
      return readdirSync(join(sets, set, 'opencode')).map(f => join(sets, set, 'opencode', f))
    } catch {
      return []
    }
  })

  it('reads a step for each step-finish that used tokens, and its tokens: equal to the sums OpenCode recorded', async () => {
    expect(files.length).toBeGreaterThanOrEqual(8)
    // fresh191's two messages the person aborted hold zeros for tokens: usage unknown, not none.
    const aborted = await readOne(files.find(f => f.includes('fresh191'))!)
    expect(llmSteps(aborted).filter(x => x.tokens === undefined)).toHaveLength(2)
    expect(aborted.warnings.map(w => w.message).join('\n')).toMatch(
      /2 call\(s\) ended before OpenCode recorded their usage \(MessageAbortedError\): counted, with no price/,
    )
    // …and priced as it says: unknown, listed as unpriced, not the $0 OpenCode keeps for them (trial 117).
    priceCard(aborted, new PriceBook())
    const unknown = llmSteps(aborted).filter(x => x.tokens === undefined)
    expect(unknown.map(x => x.cost)).toEqual([
      {usd: null, source: 'unpriced'},
      {usd: null, source: 'unpriced'},
    ])
    expect(aborted.unpriced.reduce((n, u) => n + u.calls, 0)).toBe(2)
    // One OpenCode did record a cost for keeps it (review 119).
    const path = files.find(f => f.includes('fresh191'))!
    const doc = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as {
      messages: Array<{info: {role: string; error?: unknown; cost?: number}}>
    }
    const first = doc.messages.find(m => m.info.role === 'assistant' && m.info.error !== undefined)!
    first.info.cost = 0.25
    const dir = mkdtempSync(join(tmpdir(), 'aco-opencode-aborted-'))
    writeFileSync(join(dir, 'session.json'), JSON.stringify(doc))
    const kept = await readOne(join(dir, 'session.json'))
    priceCard(kept, new PriceBook())
    expect(
      llmSteps(kept)
        .filter(x => x.tokens === undefined)
        .map(x => x.cost?.usd),
    ).toEqual([0.25, null])
    rmSync(dir, {recursive: true, force: true})
    for (const path of files) {
      // (As OpenCode's export on Windows may write it: UTF-16 with a byte-order mark, fresh272.)
      const bytes = readFileSync(path)
      const text =
        bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.subarray(2).toString('utf16le') : bytes.toString('utf8')
      const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as {
        messages: Array<{
          info: {role: string}
          parts: Array<{
            type: string
            tokens?: {
              total?: number
              input?: number
              output?: number
              reasoning?: number
              cache?: {read?: number; write?: number}
            }
          }>
        }>
      }
      const want = {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, steps: 0}
      for (const m of doc.messages) {
        if (m.info.role !== 'assistant') continue
        for (const p of m.parts) {
          if (p.type !== 'step-finish' || !p.tokens) continue
          if ((p.tokens.input ?? 0) + (p.tokens.output ?? 0) + (p.tokens.cache?.read ?? 0) > 0) want.steps++
          want.input += p.tokens.input ?? 0
          // (What the model wrote is what the record's total holds beyond the prompt: the reasoning within `output`
          // before OpenCode 1.3.16, beside it since, trial 130; without a total, beside it.)
          const prompt = (p.tokens.input ?? 0) + (p.tokens.cache?.read ?? 0) + (p.tokens.cache?.write ?? 0)
          want.output +=
            p.tokens.total !== undefined ? p.tokens.total - prompt : (p.tokens.output ?? 0) + (p.tokens.reasoning ?? 0)
          want.cacheRead += p.tokens.cache?.read ?? 0
          want.cacheWrite += p.tokens.cache?.write ?? 0
        }
      }
      const card = await readOne(path)
      const t = card.totals.tokens
      expect(
        {
          input: t.input,
          output: t.output,
          cacheRead: t.cacheRead,
          cacheWrite: t.cacheWrite,
          steps: llmSteps(card).filter(x => x.tokens && x.tokens.input + x.tokens.output + x.tokens.cacheRead > 0)
            .length,
        },
        path,
      ).toEqual(want)
    }
  })
})
