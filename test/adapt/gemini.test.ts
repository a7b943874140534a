import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {geminiExitCode, geminiShellOutput} from '../../src/adapt/gemini-cli.js'
import {geminiTokens} from '../../src/adapt/gemini-api.js'
import {tokenSum} from '../../src/card/build.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {validator} from '../../src/util/schemas.js'
import type {Step, TraceCard} from '../../src/card/types.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

const tool = (card: TraceCard, callId: string): Step['tool'] => card.steps.find(s => s.tool?.callId === callId)?.tool
const byId = (card: TraceCard, id: string): Step => card.steps.find(s => s.id === id)!
const messages = (card: TraceCard): string => card.warnings.map(w => w.message).join('\n')

describe('Gemini token meaning', () => {
  it('keeps thoughts apart from candidates and the cached part inside the prompt', () => {
    // the Vertex cassette's figures: total 87 = 7 prompt + 7 candidates + 73 thoughts
    const t = geminiTokens({prompt: 7, candidates: 7, cached: 0, thoughts: 73, toolUse: 0})
    expect(t).toEqual({input: 7, output: 80, cacheRead: 0, cacheWrite: 0, reasoning: 73})
    expect(tokenSum(t)).toBe(87)
    // browser-agent line 1: 10491 prompt (8126 cached) + 52 + 80 = 10623
    const c = geminiTokens({prompt: 10491, candidates: 52, cached: 8126, thoughts: 80, toolUse: 0})
    expect(c).toMatchObject({input: 10491 - 8126, cacheRead: 8126, output: 132})
    expect(tokenSum(c)).toBe(10623)
  })
})

describe('Gemini API responses (.responses)', () => {
  it("takes each usage field's maximum over the stream chunks", async () => {
    const card = await readOne(fixture('gemini/stream-usage-grows.responses'))
    const [first, malformed, single] = llmSteps(card)
    // promptTokenCount grows 9000 → 9120; the cached count is only on the last chunk
    expect(first!.tokens).toEqual({input: 9120 - 8000, cacheRead: 8000, cacheWrite: 0, output: 25 + 40, reasoning: 40})
    // the MALFORMED_FUNCTION_CALL end drops thoughtsTokenCount: the earlier chunk's 70 still counts
    expect(malformed!.tokens).toEqual({input: 9200, cacheRead: 0, cacheWrite: 0, output: 70, reasoning: 70})
    expect(malformed!.stopReason).toBe('MALFORMED_FUNCTION_CALL')
    // tool-use prompt tokens are billed as input
    expect(single!.tokens).toEqual({input: 9300 + 12, cacheRead: 0, cacheWrite: 0, output: 30, reasoning: 0})
  })

  it('turns functionCall parts into tool calls of unknown status, and skips countTokens/embedContent', async () => {
    const card = await readOne(fixture('gemini/stream-usage-grows.responses'))
    expect(card.totals.llmCalls).toBe(3)
    const tools = card.steps.filter(s => s.kind === 'tool').map(s => [s.tool!.name, s.tool!.status, s.parentStepId])
    expect(tools).toEqual([
      ['list_directory', 'unknown', 'call-1'],
      ['read_file', 'unknown', 'call-4'],
      ['read_file', 'unknown', 'call-4'],
    ])
    expect(messages(card)).toMatch(/1 countTokens line\(s\)/)
    expect(messages(card)).toMatch(/1 embedContent line\(s\)/)
  })

  it('without a modelVersion, lists the steps as unpriced with their tokens, never $0', async () => {
    const card = await readOne(fixture('gemini/stream-usage-grows.responses'))
    expect(llmSteps(card).map(s => s.cost)).toEqual([
      {usd: null, source: 'unpriced'},
      {usd: null, source: 'unpriced'},
      {usd: null, source: 'unpriced'},
    ])
    expect(card.totals.unpricedCalls).toBe(3)
    expect(card.unpriced).toEqual([
      {model: '(unknown)', tokens: card.totals.tokens, calls: 3, reason: expect.any(String)},
    ])
  })

  it('prices a call whose response names its modelVersion', async () => {
    const card = await readOne(fixture('gemini/model-version.responses'))
    const [step] = llmSteps(card)
    expect(step!.model).toBe('gemini-2.5-flash')
    expect(step!.cost?.source).toBe('computed')
    expect(step!.cost!.usd).toBeGreaterThan(0)
    expect(card.unpriced).toEqual([])
  })

  it('skips a line with a count of the wrong type, naming the field', async () => {
    const result = await read(fixture('gemini/wrong-type.responses'))
    expect(result.skipped).toEqual([
      {
        path: fixture('gemini/wrong-type.responses'),
        line: 2,
        reason: 'response.usageMetadata.promptTokenCount: expected a number, got string',
      },
    ])
    expect(llmSteps(result.cards[0]!).map(s => s.line)).toEqual([1, 3])
  })
})

describe("Gemini CLI's shell output", () => {
  it("is what the command printed, without the tool's wrapping (its PGID differs on every run)", () => {
    expect(geminiShellOutput('Output: a\nb\nExit Code: 2\nProcess Group PGID: 111997')).toBe('a\nb')
    expect(geminiShellOutput('Output: hello\nProcess Group PGID: 43464')).toBe('hello')
    const old =
      'Command: ls\nDirectory: (root)\nOutput: x\nError: (none)\nExit Code: 0\nSignal: 0\nBackground PIDs: (none)\nProcess Group PGID: 128'
    expect(geminiShellOutput(old)).toBe('x')
    // The tool's own error stays; `(empty)` is nothing printed; another shape (newlines escaped twice) is left as it is.
    expect(
      geminiShellOutput(
        'Command: x\nDirectory: (root)\nOutput: (empty)\nError: spawn failed\nExit Code: 1\nSignal: 0\nBackground PIDs: (none)\nProcess Group PGID: 9',
      ),
    ).toBe('Error: spawn failed')
    expect(geminiShellOutput('Command: a\\nDirectory: /tmp\\nOutput: a')).toBe(
      'Command: a\\nDirectory: /tmp\\nOutput: a',
    )
    expect(geminiShellOutput('Output: no trailer here')).toBe('Output: no trailer here')
    // A command killed by a signal (the old format writes `Exit Code: (none)` then): the signal stays.
    const killed =
      'Command: sleep 99\nDirectory: (root)\nOutput: (empty)\nError: (none)\nExit Code: (none)\nSignal: 9\nBackground PIDs: (none)\nProcess Group PGID: 7'
    expect(geminiShellOutput(killed)).toBe('Signal: 9')
  })

  it("so the same command printing the same is a duplicate; the exit code stays the call's own", async () => {
    const card = await readOne(fixture('gemini/shell-wrapper-pgid.json'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => s.tool!.exitCode)).toEqual([undefined, undefined, 1, 1])
    flagCard(card)
    expect(tools.map(s => s.flags?.[0]?.kind ?? '')).toEqual(['', 'duplicate-call', '', 'failed-repeat'])
  })
})

describe("Gemini CLI's shell stopping a command at its timeout", () => {
  it('is an error: the command did not finish (a server run in the foreground), whatever the call says', async () => {
    // (fresh285 #72: "Command was automatically cancelled because it exceeded the timeout of 5.0 minutes without
    // output", recorded with the status `success`.)
    const card = await readOne(fixture('gemini/shell-cancelled-at-timeout.json'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => s.tool!.status)).toEqual(['error', 'error'])
    expect(tools[0]!.tool!.exitCode).toBeUndefined()
  })
})

describe("Gemini CLI's project folder", () => {
  it('is the folder the calls name whose SHA-256 is the projectHash: relative paths resolve against it', async () => {
    // write_file of /home/jules/infra/monitoring/prometheus.yml, then read_file of infra/monitoring/prometheus.yml;
    // projectHash = sha256("/home/jules").
    const card = await readOne(fixture('gemini/project-root-from-hash.json'))
    expect(card.cwd).toBe('/home/jules')
    flagCard(card)
    const read = card.steps.filter(s => s.kind === 'tool')[2]!
    expect(read.flags?.[0]?.kind).toBe('reread-unchanged')
  })

  it("is the workspace Gemini CLI's own context names, which titles nothing, nor does a mode notice (trial 117)", async () => {
    // The session of project-root-not-named.json opened by the <session_context> block Gemini CLI sends first
    // (Workspace Directories: /home/jules) and its notice "User has manually exited Plan Mode…", both as the person's.
    const card = await readOne(fixture('gemini/session-context-first.json'))
    expect(card.title).toBe('Set up the monitoring stack')
    expect(card.cwd).toBe('/home/jules')
    // (Nor are they the person's turns: the request is the first; review 119.)
    const plain = await readOne(fixture('gemini/project-root-not-named.json'))
    expect(llmSteps(card).map(s => s.turn)).toEqual(llmSteps(plain).map(s => s.turn))
    flagCard(card)
    expect(card.steps.filter(s => s.kind === 'tool')[2]!.flags?.[0]?.kind).toBe('reread-unchanged')
    // Older versions' words for several folders, and a Windows one written with `/` (review 119).
    const dir = mkdtempSync(join(tmpdir(), 'aco-gemini-context-'))
    const doc = JSON.parse(readFileSync(fixture('gemini/session-context-first.json'), 'utf8')) as {
      messages: Array<{content: Array<{text: string}>}>
    }
    doc.messages[0]!.content[0]!.text =
      "This is the Gemini CLI. We are setting up the context for our chat.\nI'm currently working in the following directories:\n  - C:\\Users\\jules\n  - D:\\other\n"
    writeFileSync(join(dir, 'session.json'), JSON.stringify(doc))
    const older = await readOne(join(dir, 'session.json'))
    expect(older.cwd).toBe('C:/Users/jules')
    expect(older.title).toBe('Set up the monitoring stack')
  })

  it('stays unknown when no folder the calls name hashes to it (nothing guessed)', async () => {
    const card = await readOne(fixture('gemini/project-root-not-named.json'))
    expect(card.cwd).toBeUndefined()
    flagCard(card)
    expect(card.steps.filter(s => s.kind === 'tool').flatMap(s => s.flags ?? [])).toEqual([])
  })
})

describe('Gemini CLI chat recordings', () => {
  it("reads tokens as the API's usage: total = input + output + thoughts + tool", async () => {
    const result = await read(fixture('gemini/session-tool-calls.json'))
    const card = result.cards[0]!
    const m2 = byId(card, 'm2')
    // tokens {input 12000, output 80, cached 9000, thoughts 150, tool 40, total 12270}
    expect(m2.tokens).toEqual({
      input: 12000 - 9000 + 40,
      cacheRead: 9000,
      cacheWrite: 0,
      output: 80 + 150,
      reasoning: 150,
    })
    expect(tokenSum(m2.tokens!)).toBe(12270)
    expect(m2.model).toBe('gemini-2.5-pro')
    expect(card.models).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash'])
    expect(validator('tracecard')(card)).toBe(true)
  })

  it('completes nested tool results: status is the error flag, a shell exit code overrides "success"', async () => {
    const card = (await read(fixture('gemini/session-tool-calls.json'))).cards[0]!
    expect(tool(card, 'read_file-1759305609000-0')).toMatchObject({status: 'ok', excerpt: '#!/bin/sh\nnpm run build\n'})
    expect(tool(card, 'run_shell_command-1759305609000-1')).toMatchObject({status: 'error', exitCode: 2})
    expect(tool(card, 'replace-1759305660000-0')).toMatchObject({
      status: 'error',
      excerpt: 'Failed to edit, 0 occurrences found for old_string',
    })
    expect(tool(card, 'write_file-1759305660000-1')?.status).toBe('error')
    expect(tool(card, 'run_shell_command-1759305780000-0')).toMatchObject({status: 'ok', exitCode: 0})
    expect(byId(card, 'run_shell_command-1759305609000-1').parentStepId).toBe('m2')
    expect(geminiExitCode('Output: x\nExit Code: 127\nSignal: (none)')).toBe(127)
    expect(geminiExitCode('Error: (none)\\nExit Code: 1\\nSignal: 0')).toBe(1)
    expect(geminiExitCode('no code here')).toBeUndefined()
  })

  it('skips a message with a wrong type, counts replies without tokens, and warns of error messages', async () => {
    const result = await read(fixture('gemini/session-tool-calls.json'))
    expect(result.skipped).toEqual([
      {
        path: fixture('gemini/session-tool-calls.json'),
        reason: 'messages[6] (id m7): tokens.input: expected a number, got string',
      },
    ])
    const card = result.cards[0]!
    expect(llmSteps(card).map(s => s.id)).toEqual(['m2', 'm3', 'm8', 'm9'])
    expect(byId(card, 'm8').tokens).toBeUndefined()
    expect(messages(card)).toMatch(/1 reply message\(s\) carry no tokens/)
    expect(messages(card)).toMatch(/503 Service Unavailable/)
    expect(byId(card, 'm9').turn).toBe(2)
    expect(card.title).toBe('Make the build pass')
  })

  it('JSONL: the last copy of a message wins in the place of the first; $set and $rewindTo are applied without losing paid calls', async () => {
    const result = await read(fixture('gemini/session-updates.jsonl'))
    expect(result.format).toBe('gemini-cli')
    // g4's toolCalls is not a list: skipped at the line where g4 appears
    expect(result.skipped).toEqual([
      {
        path: fixture('gemini/session-updates.jsonl'),
        line: 13,
        reason: 'message g4.toolCalls: expected an array, got string',
      },
    ])
    const card = result.cards[0]!
    expect(llmSteps(card).map(s => s.id)).toEqual(['g1', 'g2', 'g3', 'g5'])
    // g1 was written three times: without tokens, with a scheduled call, then complete
    expect(byId(card, 'g1').tokens).toEqual({input: 8000, cacheRead: 0, cacheWrite: 0, output: 40 + 60, reasoning: 60})
    expect(byId(card, 'g1').line).toBe(4)
    expect(tool(card, 'run_shell_command-1-0')).toMatchObject({status: 'error', exitCode: 1})
    // the rewound prompt and reply were paid for: kept, and said
    expect(byId(card, 'g3').tokens).toBeDefined()
    expect(messages(card)).toMatch(/2 message\(s\) were rewound/)
    expect(card.title).toBe('Fix flaky test_cache')
    expect(card.sessionId).toBe('a1b2c3d4-0000-4000-8000-00000000beef')
    expect(card.endedAt).toBe('2026-01-20T11:02:31.000Z')
    expect(byId(card, 'g5').turn).toBe(3)
  })

  it('a chat recording written on one line (its JSON minified) is read as the document is, not as an empty JSONL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-gemini-one-line-'))
    try {
      const pretty = fixture('gemini/session-tool-calls.json')
      const oneLine = join(dir, 'session-tool-calls.json')
      writeFileSync(oneLine, `${JSON.stringify(JSON.parse(readFileSync(pretty, 'utf8')))}\n`)
      const [a, b] = [await read(oneLine), await read(pretty)]
      expect(a.format).toBe('gemini-cli')
      const shape = (card: TraceCard) => ({
        totals: card.totals,
        steps: card.steps.map(s => [s.id, s.kind, s.model, s.tokens, s.tool?.name, s.tool?.status]),
        title: card.title,
        sessionId: card.sessionId,
      })
      expect(a.cards.map(shape)).toEqual(b.cards.map(shape))
      // The message of the wrong type is skipped in both, named the same (on line 1 of the one-line file).
      expect(a.skipped).toEqual(b.skipped.map(s => ({...s, path: oneLine, line: 1})))
      // A message with no id and one whose id repeats are read as the document reads them, not merged by id
      // (review 32).
      const doc = JSON.parse(readFileSync(pretty, 'utf8'))
      const variant = {...doc, messages: [...doc.messages, {...doc.messages[1], id: undefined}, doc.messages[1]]}
      const variantDoc = join(dir, 'variant.json')
      const variantLine = join(dir, 'variant-line.json')
      writeFileSync(variantDoc, JSON.stringify(variant, null, 2))
      writeFileSync(variantLine, `${JSON.stringify(variant)}\n`)
      const [c, d] = [await read(variantLine), await read(variantDoc)]
      expect(c.cards.map(shape)).toEqual(d.cards.map(shape))
      expect(c.cards[0]!.steps.length).toBeGreaterThan(a.cards[0]!.steps.length)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('Gemini CLI headless output (--output-format stream-json)', () => {
  it("reads each run as a card, its calls inferred from the events, and splits the result's totals over them", async () => {
    const result = await read(fixture('gemini/headless-stream-json.jsonl'))
    expect(result.format).toBe('gemini-cli')
    const [run, cut] = result.cards as TraceCard[]
    expect(result.cards).toHaveLength(2)
    expect(run!.sessionId).toBe('0b7e2c1a-5f3d-4a8e-9c61-2d4f8e7a1b30')
    expect(run!.title).toBe('Fix the failing test in tests/test_math.py')
    // Four responses: text and a read; two calls issued together; the edit; the closing text (its two chunks one).
    const llm = llmSteps(run!)
    expect(llm).toHaveLength(4)
    expect(llm.every(s => s.estimated && s.model === 'gemini-2.5-pro')).toBe(true)
    expect(run!.steps.filter(s => s.parentStepId === llm[1]!.id).map(s => s.tool?.name)).toEqual([
      'read_file',
      'run_shell_command',
    ])
    expect(llm[3]!.text).toBe('Fixed: `add` subtracted instead of adding.')
    expect(tool(run!, 'run_shell_command-1772442009110-0a1b2c')).toMatchObject({status: 'error'})
    // The split sums to the run's own totals: prompts 30,940 (18,000 cached), candidates 410, thoughts 520.
    expect(run!.totals.tokens).toEqual({input: 12_940, cacheRead: 18_000, cacheWrite: 0, output: 930, reasoning: 520})
    // A later call holds more of the conversation: its prompt is the larger share.
    expect(llm[3]!.tokens!.cacheRead).toBeGreaterThan(llm[0]!.tokens!.cacheRead)
    expect(messages(run!)).toMatch(/split over the 4 model call\(s\) inferred from its events/)
    // A run cut before its result: its call counted, not priced.
    expect(llmSteps(cut!)).toHaveLength(1)
    expect(llmSteps(cut!)[0]!.tokens).toBeUndefined()
    expect(messages(cut!)).toMatch(/no result event \(cut short\)/)
    for (const card of result.cards) expect(validator('tracecard')(card)).toBe(true)
  })

  it("reads each model's tokens where the result gives them: the concrete model behind auto, Gemini CLI's own calls (review 91)", async () => {
    const card = await readOne(fixture('gemini/headless-stream-json-models.jsonl'))
    const llm = llmSteps(card)
    // The init names `auto-gemini-2.5`, a choice of model: the events' two responses are gemini-2.5-pro's, the
    // model of the most tokens; flash-lite's tokens (the router's own calls) one step.
    expect(llm.map(s => s.model)).toEqual(['gemini-2.5-pro', 'gemini-2.5-pro', 'gemini-2.5-flash-lite'])
    const of = (model: string) =>
      llm
        .filter(s => s.model === model)
        .reduce((n, s) => n + s.tokens!.input + s.tokens!.cacheRead + s.tokens!.output, 0)
    expect(of('gemini-2.5-pro')).toBe(18_830)
    expect(of('gemini-2.5-flash-lite')).toBe(4_300)
    expect(llm.every(s => s.cost?.usd !== null)).toBe(true)
    expect(messages(card)).toMatch(
      /gemini-2\.5-flash-lite \(Gemini CLI's own calls, which the events do not show\) one step each/,
    )
  })

  it('gives tokens of a run with no response seen (an empty reply) to one call, not to none (review 91)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-gemini-stream-'))
    try {
      const path = join(dir, 'run.jsonl')
      const lines = [
        {type: 'init', timestamp: '2026-03-02T09:00:00.000Z', session_id: 's-empty', model: 'gemini-2.5-pro'},
        {type: 'message', timestamp: '2026-03-02T09:00:00.010Z', role: 'user', content: 'hello'},
        {
          type: 'result',
          timestamp: '2026-03-02T09:00:02.000Z',
          status: 'success',
          stats: {
            total_tokens: 1000,
            input_tokens: 990,
            output_tokens: 0,
            cached: 0,
            input: 990,
            duration_ms: 2000,
            tool_calls: 0,
          },
        },
      ]
      writeFileSync(path, `${lines.map(l => JSON.stringify(l)).join('\n')}\n`)
      const card = await readOne(path)
      expect(llmSteps(card)).toHaveLength(1)
      expect(card.totals.tokens).toEqual({input: 990, cacheRead: 0, cacheWrite: 0, output: 10, reasoning: 10})
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it("says a result whose count has the wrong type could not be read, with its line, and skips an unknown event's line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-gemini-stream-'))
    try {
      const path = join(dir, 'run.jsonl')
      const lines = readFileSync(fixture('gemini/headless-stream-json.jsonl'), 'utf8').split('\n').slice(0, 14)
      lines[13] = lines[13]!.replace('"output_tokens":410', '"output_tokens":"410"')
      lines.splice(2, 0, '{"type":"telemetry","timestamp":"2026-03-02T09:00:00.020Z"}')
      writeFileSync(path, `${lines.join('\n')}\n`)
      const result = await read(path)
      expect(result.skipped.map(s => [s.line, s.reason])).toEqual([
        [3, expect.stringMatching(/unknown event type "telemetry"/)],
        [
          15,
          expect.stringMatching(/^result: stats\.output_tokens: .*\(its stats not read; the rest of the event was\)$/),
        ],
      ])
      // The result's other fields stand; its stats are said to be unreadable (not "cut short"), with their line.
      const card = result.cards[0] as TraceCard
      expect(card.warnings).toContainEqual(
        expect.objectContaining({
          message: expect.stringMatching(/result could not be read \(stats\.output_tokens: .*\): its 4 model call/),
          line: 15,
        }),
      )
      expect(messages(card)).not.toMatch(/cut short/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('Gemini CLI headless output (--output-format json)', () => {
  it("reads each model's answered requests as its calls, its tokens split evenly over them, the sums its own", async () => {
    const card = await readOne(fixture('gemini/headless-output.json'))
    expect(card.source.format).toBe('gemini-cli')
    expect(card.id).toBe('3f0c9a7e-1b2d-4c5e-8f9a-0b1c2d3e4f5a')
    const llm = llmSteps(card)
    // gemini-2.5-pro: 4 requests, 1 failed (no usage); gemini-2.5-flash (Gemini CLI's own utility calls): 2.
    expect(llm.map(s => s.model)).toEqual([
      'gemini-2.5-pro',
      'gemini-2.5-pro',
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'gemini-2.5-flash',
    ])
    expect(llm.every(s => s.estimated)).toBe(true)
    const sum = (model: string) =>
      tokenSum(
        llm
          .filter(s => s.model === model)
          .reduce(
            (t, s) => ({
              input: t.input + s.tokens!.input,
              output: t.output + s.tokens!.output,
              cacheRead: t.cacheRead + s.tokens!.cacheRead,
              cacheWrite: 0,
              reasoning: t.reasoning + s.tokens!.reasoning,
            }),
            {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0},
          ),
      )
    // Each model's total: prompt + candidates + thoughts + tool.
    expect(sum('gemini-2.5-pro')).toBe(31_870)
    expect(sum('gemini-2.5-flash')).toBe(3_825)
    expect(card.totals.tokens).toEqual({
      input: 12_940 + 3_801,
      cacheRead: 18_000,
      cacheWrite: 0,
      output: 930 + 24,
      reasoning: 520,
    })
    expect(llm[2]!.text).toBeUndefined()
    expect(llm[4]!.text).toMatch(/it now adds/)
    expect(messages(card)).toMatch(/1 request\(s\) failed/)
    expect(messages(card)).toMatch(/4 tool call\(s\) are only counted/)
    expect(validator('tracecard')(card)).toBe(true)
  })
})

describe("--format gemini-cli with the format's several readers (review 91)", () => {
  it('reads each kind of Gemini CLI file with the reader that knows it, and names that reader', async () => {
    const {readTraceFile} = await import('../../src/read/read-file.js')
    for (const [name, llmCalls] of [
      ['gemini/headless-stream-json.jsonl', 5],
      ['gemini/headless-output.json', 5],
      ['gemini/session-updates.jsonl', 4],
      ['gemini/session-tool-calls.json', 4],
    ] as const) {
      const result = await readTraceFile(fixture(name), {format: 'gemini-cli'})
      expect(
        result.cards.reduce((n, c) => n + c.totals.llmCalls, 0),
        name,
      ).toBe(llmCalls)
    }
    const dir = mkdtempSync(join(tmpdir(), 'aco-gemini-stream-'))
    try {
      const path = join(dir, 'none.jsonl')
      writeFileSync(
        path,
        `${JSON.stringify({type: 'init', timestamp: '2026-03-02T09:00:00.000Z', session_id: 'x', model: 'gemini-2.5-pro'})}\n`,
      )
      expect((await readTraceFile(path)).reader).toBe('Gemini CLI headless output (--output-format stream-json)')
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
