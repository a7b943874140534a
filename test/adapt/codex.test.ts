import {describe, expect, it} from 'vitest'
import {promptTitle} from '../../src/adapt/codex.js'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  codeModeCall,
  codexDurationMs,
  codexExitCode,
  codexOutputIdentity,
  sandboxPolicy,
} from '../../src/adapt/codex.js'
import {codexOutputFails} from '../../src/adapt/tool-status.js'
import {toolOutput} from '../../src/card/build.js'
import {buildContext} from '../../src/flag/context.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {validator} from '../../src/util/schemas.js'
import {fixture, llmSteps, read, readOne} from '../helpers.js'

describe('Codex adapter', () => {
  it('a forked session counts its own work, not the history it replays from the session it was forked from', async () => {
    // A subagent spawned with its parent's context: its log holds the parent's history (its calls, its token counts)
    // up to the spawn's output, then its own turn. And a conversation forked by a person: no such output, the history
    // written at once before its own records.
    for (const name of ['subagent-forked-with-context.jsonl', 'conversation-forked.jsonl']) {
      const card = await readOne(fixture(`codex-forked/${name}`))
      expect(card.title).toBe('Map the student flow')
      expect(card.steps.filter(s => s.kind === 'tool').map(s => s.tool!.callId)).toEqual(['call_child_1'])
      // One LLM call: the cumulative usage from where the parent's left off (96,000 − 62,000 input, 70,000 − 40,000 of it
      // cached), not the parent's calls again.
      expect(card.totals.llmCalls).toBe(1)
      expect(card.totals.tokens).toEqual({input: 4000, cacheRead: 30000, cacheWrite: 0, output: 150, reasoning: 0})
      expect(card.warnings?.map(w => w.message)).toEqual([
        expect.stringMatching(
          /^forked from session 019d5634-7399-7101-804c-e37b548f3306: the \d+ records of its history/,
        ),
      ])
    }
  })

  it('a spawned subagent goes on in the background until a wait reports it ended or close_agent stops it', async () => {
    const card = await readOne(fixture('waste-classes/codex-subagents-at-work.jsonl'))
    const at = (name: string) => card.steps.filter(s => s.tool?.name === name).map(s => s.tool!.background)
    // The first until the wait that reported it completed (not the one that timed out), the second until it was
    // closed, the third never said to end: to the end of the log. A message to the first sets it to work again, until
    // the next wait reports it completed.
    expect(at('spawn_agent')).toEqual([
      {finishedAt: '2026-04-04T02:00:16.000Z'},
      {finishedAt: '2026-04-04T02:00:31.000Z'},
      {},
    ])
    expect(at('send_input')).toEqual([{finishedAt: '2026-04-04T02:00:25.000Z'}])
    // The reads: each re-reads the first across an agent's work, and reads the same.
    flagCard(card)
    const reads = card.steps.filter(s => s.tool?.name === 'exec_command')
    expect(reads.map(s => s.flags?.[0]?.reason ?? '')).toEqual([
      '',
      expect.stringMatching(/reads as it did then: a command that might have changed it ran in between, and did not$/),
      expect.stringMatching(/reads as it did then: a command that might have changed it ran in between, and did not$/),
    ])
  })

  it('counts a step only when the cumulative total changes (token_count is written twice)', async () => {
    const card = await readOne(fixture('codex/duplicate-token-counts.jsonl'))
    expect(card.totals.llmCalls).toBe(3)
    // final total_token_usage: input 63500 (42800 cached), output 870 (360 reasoning)
    expect(card.totals.tokens).toEqual({
      input: 63500 - 42800,
      cacheRead: 42800,
      cacheWrite: 0,
      output: 870,
      reasoning: 360,
    })
    expect(card.recorded?.tokens).toEqual(card.totals.tokens)
  })

  it('takes the model from turn_context and converts cached/reasoning tokens to the card meaning', async () => {
    const card = await readOne(fixture('codex/duplicate-token-counts.jsonl'))
    const [first, second] = llmSteps(card)
    expect(first!.model).toBe('gpt-5.3-codex')
    expect(first!.tokens).toEqual({input: 17000, cacheRead: 3000, cacheWrite: 0, output: 300, reasoning: 120})
    expect(second!.tokens).toEqual({input: 2000, cacheRead: 19000, cacheWrite: 0, output: 150, reasoning: 40})
    expect(first!.cost?.source).toBe('computed')
  })

  it('warns of a model, a call usage or a time of the wrong type with its line, and counts from the totals (trial 78)', async () => {
    const lines = readFileSync(fixture('codex/duplicate-token-counts.jsonl'), 'utf8').trimEnd().split('\n')
    const records = lines.map(l => JSON.parse(l))
    const turn = records.findIndex(r => r.type === 'turn_context')
    const count = records.findIndex(r => r.type === 'event_msg' && r.payload?.type === 'token_count' && r.payload.info)
    records[turn].payload.model = 7
    records[count].payload.info.last_token_usage.input_tokens = '17000'
    records[count + 1].timestamp = 42
    const dir = mkdtempSync(join(tmpdir(), 'aco-codex-types-'))
    try {
      const file = join(dir, 'rollout.jsonl')
      writeFileSync(file, `${records.map(r => JSON.stringify(r)).join('\n')}\n`)
      const card = await readOne(file)
      const before = await readOne(fixture('codex/duplicate-token-counts.jsonl'))
      expect(card.totals.tokens).toEqual(before.totals.tokens)
      expect(card.warnings).toEqual([
        {
          line: turn + 1,
          message:
            'turn_context payload.model: expected a string, got number; the calls after it keep the model before it',
        },
        {
          line: count + 1,
          message:
            'payload.info.last_token_usage.input_tokens: expected a number, got string; the call is counted from the totals',
        },
        {line: count + 2, message: 'timestamp 42 is no time aco reads: the record is read without it'},
      ])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('pairs function calls with their outputs and exit codes', async () => {
    const card = await readOne(fixture('codex/duplicate-token-counts.jsonl'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.tool!.callId, s.tool!.status, s.tool!.exitCode])).toEqual([
      ['call_ls_1', 'ok', 0],
      ['call_test_1', 'error', 1],
    ])
    expect(tools[1]!.parentStepId).toBe(llmSteps(card)[1]!.id)
  })

  it('reads structured exit codes, custom tool calls, unanswered calls and a model switch', async () => {
    const card = await readOne(fixture('codex/exit-codes-and-unanswered-call.jsonl'))
    const tools = Object.fromEntries(card.steps.filter(s => s.kind === 'tool').map(s => [s.tool!.callId, s.tool!]))
    expect(tools.call_patch_1).toMatchObject({name: 'apply_patch', status: 'ok', exitCode: 0})
    expect(tools.call_git_1).toMatchObject({name: 'shell_command', status: 'error', exitCode: 128})
    expect(tools.call_git_2).toMatchObject({status: 'unknown'})
    expect(llmSteps(card).map(s => s.model)).toEqual(['gpt-5.4', 'gpt-5.4', 'gpt-5.3-codex'])
    expect(card.totals.tokens.input + card.totals.tokens.cacheRead).toBe(28900)
  })

  it('finds exit codes in every output form Codex wrote', () => {
    expect(codexExitCode('Exit code: 2\nWall time: 1s')).toBe(2)
    expect(codexExitCode('Chunk ID: 1\nWall time: 0.1 seconds\nProcess exited with code 127\n')).toBe(127)
    expect(codexExitCode('{"output":"ok","metadata":{"exit_code":0,"duration_seconds":0.1}}')).toBe(0)
    expect(codexExitCode('plain text')).toBeUndefined()
  })

  it('identifies a result without what changes from run to run: the chunk id and wall time, not the exit code or body', () => {
    const a =
      'Chunk ID: 5741bb\nWall time: 0.2354 seconds\nProcess exited with code 0\nOriginal token count: 3\nOutput:\nok\n'
    const b =
      'Chunk ID: 0c1d2e\nWall time: 1.0100 seconds\nProcess exited with code 0\nOriginal token count: 3\nOutput:\nok\n'
    expect(codexOutputIdentity(a)).toBe('Process exited with code 0\nOriginal token count: 3\nOutput:\nok\n')
    expect(codexOutputIdentity(a)).toBe(codexOutputIdentity(b))
    expect(codexOutputIdentity(a)).not.toBe(codexOutputIdentity(a.replace('code 0', 'code 1')))
    expect(codexOutputIdentity('Exit code: 0\nWall time: 9.3 seconds\nOutput:\nWall time: 1 second\n')).toBe(
      'Exit code: 0\nOutput:\nWall time: 1 second\n',
    )
    // A JSON output without its duration.
    const json = (seconds: number) =>
      JSON.stringify({output: 'ok\n', metadata: {exit_code: 0, duration_seconds: seconds}})
    expect(codexOutputIdentity(json(0.4))).toBe(codexOutputIdentity(json(3.1)))
    expect(codexOutputIdentity(json(0.4))).toBe('{"output":"ok\\n","metadata":{"exit_code":0}}')
    // No header: nothing to take out.
    expect(codexOutputIdentity('Success. Updated the following files:\nM a.py\n')).toBeUndefined()
  })

  it("records the sandbox of each call's turn, as Codex summarises a policy; an output saying exec_command failed is a failure", async () => {
    const card = await readOne(fixture('waste-classes/no-network-on-record.jsonl'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => s.sandbox)).toEqual([
      'workspace-write',
      'workspace-write',
      'workspace-write',
      'workspace-write',
      'danger-full-access',
      'workspace-write (network access enabled)',
    ])
    expect(validator('tracecard')(card)).toBe(true)
    expect(sandboxPolicy({mode: 'workspace-write', writable_roots: ['/tmp/a', '/opt/b'], network_access: false})).toBe(
      'workspace-write [/tmp/a, /opt/b]',
    )
    expect(sandboxPolicy({type: 'externalSandbox', network_access: 'enabled'})).toBe(
      'external-sandbox (network access enabled)',
    )
    const many = sandboxPolicy({type: 'workspace-write', writable_roots: ['/a', '/b', '/c', '/d', '/e', '/f']})!
    expect(many).toMatch(/^workspace-write \[\/a, \/b, \/c, \/d, … 2 more, [0-9a-f]{12}\]$/)
    expect(sandboxPolicy({type: 'workspace-write', writable_roots: ['/a', '/b', '/c', '/d', '/e', '/g']})).not.toBe(
      many,
    )
    expect(sandboxPolicy('read-only')).toBe('read-only')
    expect(sandboxPolicy({network_access: true})).toBeUndefined()
    expect(sandboxPolicy(42)).toBeUndefined()
    expect(sandboxPolicy({type: '\u001b[31mred'})).toBeUndefined()
    expect(sandboxPolicy('')).toBeUndefined()
    // Codex's tool router answering the model that it could not start the command (a sandbox that refused it, a
    // policy that rejected it): no exit code, and the call failed (fresh9 #65, #88; fresh52, fresh76, fresh80).
    for (const output of [
      'exec_command failed for `/bin/bash -lc \'docker images\'`: SandboxDenied { message: "permission denied while trying to connect to the docker API at unix:///var/run/docker.sock" }',
      'exec_command failed for `/bin/zsh -lc pwd`: CreateProcess { message: "Rejected(\\"rejected by user\\")" }',
      'exec_command failed: SandboxDenied { message: "fatal: cannot lock ref" }',
    ])
      expect(codexOutputFails('exec_command', output)).toBe(true)
    expect(codexOutputFails('exec_command', 'the exec_command failed for a reason, says the README')).toBe(false)
  })
})

describe('Codex: outputs written before the count of the response that made the call (0.34–0.99, 0.133 on)', () => {
  it('gives each call to the response whose token count follows it, so a call after a compaction is of the new context', async () => {
    const card = await readOne(fixture('codex/outputs-before-count.jsonl'))
    const llm = llmSteps(card)
    const parent = (callId: string): number =>
      llm.findIndex(s => s.id === card.steps.find(t => t.tool?.callId === callId)!.parentStepId)
    // Four counted responses: the config read, the tests, the read after the compaction, the new turn's read. The
    // grep's turn was cut short before its response was counted: it is the last counted one's.
    expect(llm).toHaveLength(4)
    expect(['call_cfg_1', 'call_test_1', 'call_cfg_2', 'call_grep_1', 'call_src_1'].map(parent)).toEqual([
      0, 1, 2, 2, 3,
    ])
    expect(llm[0]!.text).toContain('Reading the server config first')
    // A response starts before the calls it made (review 56: its start had been taken from their outputs).
    for (const t of card.steps.filter(s => s.kind === 'tool')) {
      const parent = card.steps.find(s => s.id === t.parentStepId)!
      expect(Date.parse(parent.startedAt!), t.tool!.callId).toBeLessThanOrEqual(Date.parse(t.startedAt!))
    }
    // Each call's output is still its own.
    const cfg2 = card.steps.find(s => s.tool?.callId === 'call_cfg_2')!
    expect(cfg2.tool).toMatchObject({status: 'ok', exitCode: 0})
    const ctx = buildContext(card)
    expect(ctx.compaction[cfg2.index]).toBe(1)
    // So the config read again after the compaction is no re-read of what the context still held.
    flagCard(card)
    expect(cfg2.flags ?? []).toEqual([])
    expect(card.totals.tokens.input + card.totals.tokens.cacheRead).toBe(30000)
  })
})

describe("Codex: unified exec's polls", () => {
  it('gives a command still running after its first output the exit code of the poll that saw it end', async () => {
    const card = await readOne(fixture('waste-classes/codex-polled-runs.jsonl'))
    const runs = card.steps.filter(s => s.kind === 'tool' && s.tool!.name === 'exec_command').map(s => s.tool!)
    expect(runs.map(t => [t.status, t.exitCode])).toEqual([
      ['error', 1],
      ['error', 1],
      ['ok', 0],
      // A dev server the agent stopped itself (Ctrl-C, exit 130) did not fail.
      ['ok', undefined],
    ])
    // The polls that saw them end did their work: each failure is counted once, on its command.
    const polls = card.steps.filter(s => s.kind === 'tool' && s.tool!.name === 'write_stdin').map(s => s.tool!)
    expect(polls.map(t => [t.status, t.exitCode])).toEqual(Array(polls.length).fill(['ok', undefined]))
    // The two failing runs printed the same thing: one result, whatever their chunk ids and sessions.
    expect(runs[0]!.outputHash).toBe(runs[1]!.outputHash)
    expect(runs[2]!.outputHash).not.toBe(runs[0]!.outputHash)
  })
})

describe('Codex: recorded durations', () => {
  it("takes a tool call's duration from what the log records, not from timestamps of the same millisecond", async () => {
    const card = await readOne(fixture('codex/recorded-durations.jsonl'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.tool!.name, s.durationMs])).toEqual([
      // "Wall time: 0.1 seconds" in the output; call and output share a timestamp
      ['exec_command', 100],
      // exec_command_end's duration (3.25 s) before the output's rounded metadata.duration_seconds (3.3)
      ['shell_command', 3250],
    ])
    expect(codexDurationMs('{"output":"ok","metadata":{"exit_code":0,"duration_seconds":1.5}}')).toBe(1500)
    expect(codexDurationMs('Exit code: 0\nOutput:\nok')).toBeUndefined()
  })
})

describe('Codex: the first rollout layout (mid-2025)', () => {
  it('reads a first line of id, time and instructions, then bare response items: one LLM call per run of the model', async () => {
    const card = await readOne(fixture('codex-first-layout/first-layout-2025.jsonl'))
    expect(card.source.format).toBe('codex')
    expect([card.id, card.cwd, card.gitBranch, card.title]).toEqual([
      '0198e5aa-1111-7000-8000-000000000001',
      '/home/dev/app',
      'main',
      'Why does the port default to 3000?',
    ])
    // Reasoning and a call; two calls issued together; a call; a patch; the answer: five calls of the model.
    expect(llmSteps(card).map(s => (s.toolStepIds ?? []).length)).toEqual([1, 2, 1, 1, 0])
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.tool!.callId, s.tool!.status])).toEqual([
      ['call_1', 'ok'],
      ['call_2', 'ok'],
      ['call_3', 'ok'],
      ['call_4', 'ok'],
      // `["apply_patch", "*** Begin Patch…"]`: the program itself, failing as its output says.
      ['call_5', 'error'],
    ])
    // No token counts, model or times: counted, not priced, and said so.
    expect(card.totals.llmCalls).toBe(5)
    expect(card.totals.tokens.input + card.totals.tokens.output).toBe(0)
    expect(card.warnings?.map(w => w.message)).toEqual([
      "Codex's first rollout layout (mid-2025) records no token counts, model or times: its 5 model calls are counted, not priced",
    ])
  })
})

describe("Codex's first layout: review 10's inputs", () => {
  it('reads mixed, garbled, out-of-order and hostile first-layout files into cards that validate, skipping what it must', async () => {
    const validate = validator('tracecard')
    for (const name of readdirSync(fixture('review10')).filter(f => f.endsWith('.jsonl'))) {
      const result = await read(fixture(`review10/${name}`))
      // A first line with neither instructions nor git is no sign of the layout (real ones carry `instructions`, if
      // null): skipped as a file of unknown format, and said so.
      if (name === 'legacy-meta-bare.jsonl') {
        expect(result.cards).toEqual([])
        expect(result.skipped.length).toBe(1)
        continue
      }
      expect(result.cards.length, name).toBeGreaterThan(0)
      for (const card of result.cards) expect(validate(card), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
  })
})

describe("Codex's code mode (0.14x: one `exec` tool running JavaScript that calls the tools)", () => {
  it('reads a cell making one call as that call, polls its cell with `wait`, and never runs the code', async () => {
    const card = await readOne(fixture('codex/code-mode-cells.jsonl'))
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => s.tool!.name)).toEqual([
      'exec_command',
      'apply_patch',
      'exec_command',
      'wait',
      'exec_command',
      'exec_command',
      'exec_command',
      'exec_command',
      // Two calls in one cell: left as the cell it is (aco cannot tell what it did).
      'exec',
    ])
    expect(tools[0]!.tool!.arguments).toEqual({cmd: 'cat README.md', workdir: '/home/dev/app'})
    expect(String(tools[1]!.tool!.arguments)).toMatch(/^\*\*\* Begin Patch\n\*\*\* Update File: src\/main\.rs/)
    // The build went on in cell 3, polled by `wait`: its result is all it printed, not the empty "running" output.
    expect(tools[2]!.tool!.outputHash).not.toBe(tools[4]!.tool!.outputHash)
    expect(validator('tracecard')(card)).toBe(true)
  })

  it("joins a cell's output parts as the model read them: no line break added after the header's own", async () => {
    const card = await readOne(fixture('codex/code-mode-cells.jsonl'))
    const first = card.steps.find(s => s.kind === 'tool')!
    // Two parts: "Script completed\nWall time 0.1 seconds\nOutput:\n" and the file. A blank line between them would
    // read as the file's first line, and a read of it would not match the file's known lines.
    expect(toolOutput(first.tool!)).toBe(
      'Script completed\nWall time 0.1 seconds\nOutput:\n# app\n\nA small crate.\nRun cargo build.\n',
    )
  })

  it('takes a run whose output ends in its error line for failed (no exit code is recorded), so its retry is no duplicate', async () => {
    const card = await readOne(fixture('codex/code-mode-cells.jsonl'))
    flagCard(card)
    const tools = card.steps.filter(s => s.kind === 'tool')
    const flags = Object.fromEntries(tools.flatMap((s, k) => (s.flags ? [[k + 1, s.flags[0]!.kind]] : [])))
    // 6: README.md again. Not 5: `cargo build` escalated after 3 failed to reach the registry ("error: failed to get
    // `serde`", then cargo's "Caused by:" chain). 7 and 8 look at a container's logs, whose last line is the app's own
    // error: no failure of the look (review 11), and a look at logs is never a duplicate.
    expect(flags).toEqual({6: 'reread-unchanged'})
    const ctx = buildContext(card)
    expect(ctx.failed[tools[2]!.index]).toBe(1)
    expect(ctx.failed[tools[4]!.index]).toBe(0)
    expect(ctx.failed[tools[6]!.index]).toBe(0)
  })

  it('reads only the two shapes of a one-call cell, as text', () => {
    expect(codeModeCall('const r = await tools.exec_command({"cmd":"ls"});\ntext(r.output);')).toEqual({
      name: 'exec_command',
      args: {cmd: 'ls'},
    })
    expect(codeModeCall('const p = "*** Begin Patch\\n*** End Patch";\ntext(await tools.apply_patch(p));')).toEqual({
      name: 'apply_patch',
      args: '*** Begin Patch\n*** End Patch',
    })
    // The arguments as a JavaScript object literal of bare keys, double-quoted strings and numbers, as Codex Desktop
    // 0.145 writes them (fresh229 #63: `nl -ba f | sed -n '275,345p'`, a re-read the detectors can now place).
    expect(
      codeModeCall(
        'const r = await tools.exec_command({\n  cmd: "nl -ba a.go | sed -n \'275,345p\'",\n  workdir: "/w",\n  yield_time_ms: 10000,\n});\ntext(r.output);\n',
      ),
    ).toEqual({
      name: 'exec_command',
      args: {cmd: "nl -ba a.go | sed -n '275,345p'", workdir: '/w', yield_time_ms: 10000},
    })
    expect(codeModeCall('const r = await tools.exec_command({cmd: "a, b: c", n: [1, 2]});\ntext(r.output);')).toEqual({
      name: 'exec_command',
      args: {cmd: 'a, b: c', n: [1, 2]},
    })
    // Arguments that are not data (code, a template or single-quoted string, a comment), a second statement, another
    // tool's shape: none.
    expect(codeModeCall('const r = await tools.exec_command({cmd: x});\ntext(r.output);')).toBeUndefined()
    expect(codeModeCall('const r = await tools.exec_command({cmd: `ls $d`});\ntext(r.output);')).toBeUndefined()
    expect(codeModeCall("const r = await tools.exec_command({cmd: 'ls'});\ntext(r.output);")).toBeUndefined()
    expect(codeModeCall('const r = await tools.exec_command({cmd: "ls" /* x */});\ntext(r.output);')).toBeUndefined()
    expect(codeModeCall('const r = await tools.exec_command({cmd: "a" + b});\ntext(r.output);')).toBeUndefined()
    // Read in one pass: a cell of 100,000 keys (2.3 MB) whole, and 200,000 bare words refused, each at once.
    const keys = Array.from({length: 100_000}, (_, i) => `k${i}: "v, x: ${i}"`).join(', ')
    const big = codeModeCall(`const r = await tools.exec_command({${keys}});\ntext(r.output);`)
    expect(Object.keys((big?.args ?? {}) as object)).toHaveLength(100_000)
    expect(
      codeModeCall(`const r = await tools.exec_command({${'a, '.repeat(200_000)}});\ntext(r.output);`),
    ).toBeUndefined()
    expect(
      codeModeCall('const r = await tools.exec_command({"cmd":"ls"});\nawait fs.rm("/");\ntext(r.output);'),
    ).toBeUndefined()
    expect(codeModeCall('text(await tools.exec_command({"cmd":"ls"}));')).toBeUndefined()
  })
})

describe("a Codex session's title", () => {
  it("is the request Codex's IDE extension sends after its context, or the first line that is no heading (trial 115)", () => {
    const ide =
      '# Context from my IDE setup:\n\n## Active file: src/a.ts\n\n## My request for Codex:\nFix the failing login test\n'
    expect(promptTitle(ide)).toBe('Fix the failing login test')
    expect(promptTitle('## User Input\n\n```text\nadd dark mode\n```\n')).toBe('add dark mode')
    expect(promptTitle('Run the order tests\nthen commit')).toBe('Run the order tests')
    expect(promptTitle('## Only a heading')).toBe('## Only a heading')
  })
})
