/**
 * aco analyze end to end: the built CLI run as a user runs it. Each test's
 * runs are separate processes, so the tests run side by side (concurrent),
 * keeping both cores busy.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import type {AnalyzeResult} from '../../src/analyze/result.js'
import {fixture, root} from '../helpers.js'
import {acoAsync as aco, oneLine} from './run.js'

const tmp = (): string => mkdtempSync(join(tmpdir(), 'aco-e2e-'))

describe.concurrent('aco analyze (built CLI)', () => {
  it('--json returns a result that matches its schema, with totals equal to the sum of traces', async () => {
    const r = await aco(['analyze', fixture('claude-code'), fixture('codex'), '--json'])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    const validate = validator('analyze-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    const sum = result.traces.reduce(
      (acc, t) => ({
        cost: acc.cost + t.totals.costUsd,
        input: acc.input + t.totals.tokens.input,
        calls: acc.calls + t.totals.llmCalls,
      }),
      {cost: 0, input: 0, calls: 0},
    )
    expect(sum.cost).toBeCloseTo(result.totals.costUsd, 12)
    expect(sum.input).toBe(result.totals.tokens.input)
    expect(sum.calls).toBe(result.totals.llmCalls)
    // the subagent file is nested under its session's Task call, not a second top-level trace
    const child = result.traces.find(t => t.id === 'sess-parent-0004/agent-a1b2c3d')!
    expect(child.parentId).toBe('sess-parent-0004')
    expect(result.unpriced.map(u => u.model)).toEqual(['claude-imaginary-9'])
    expect(result.skipped).toEqual([])
  })

  it('prints one screen of plain text that fits the terminal, without colour under NO_COLOR', async () => {
    const r = await aco(['analyze', fixture('claude-code'), fixture('codex')], {COLUMNS: '80'})
    expect(r.status).toBe(0)
    expect(r.stdout).not.toMatch(/\u001b\[/)
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80)
    expect(r.stdout).toMatch(/Cost by model/)
    expect(r.stdout).toMatch(/Cost by tool/)
    expect(r.stdout).toMatch(/Top traces by cost/)
    expect(r.stdout).toMatch(/Unpriced models[\s\S]*claude-imaginary-9/)
    expect(r.stdout).toMatch(/cache hit rate \d+\.\d%/)
  })

  it('reads the rest when some input is bad, reports file and line, and exits 3', async () => {
    const r = await aco(['analyze', fixture('bad'), fixture('codex'), '--json'])
    expect(r.status).toBe(3)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    const by = (name: string) => result.skipped.find(s => s.path.endsWith(name))
    expect(by('truncated-last-line.jsonl')).toMatchObject({line: 3, reason: expect.stringMatching(/truncated/)})
    expect(by('wrong-type.jsonl')).toMatchObject({line: 2, reason: expect.stringMatching(/expected a number/)})
    expect(by('binary.jsonl')!.reason).toMatch(/binary/)
    expect(by('unknown-format.json')!.reason).toMatch(/unknown format.*Claude Code session/)
    // the good lines of the bad files and the good files are all counted
    // (fixtures/codex: seven rollouts, one of them with two backup copies counted once)
    expect(by('wrong-type-model.jsonl')).toMatchObject({
      line: 2,
      reason: 'message.model: expected a string, got number',
    })
    expect(result.traces.map(t => t.format).sort()).toEqual([
      'claude-code',
      'claude-code',
      'claude-code',
      'codex',
      'codex',
      'codex',
      'codex',
      'codex',
      'codex',
      'codex',
    ])
    expect(result.files.repeats).toBe(2)
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('says what to do with an empty folder (exit 4), a missing path (exit 2) and no default logs (exit 4)', async () => {
    const empty = tmp()
    let r = await aco(['analyze', empty])
    expect(r.status).toBe(4)
    expect(oneLine(r.stderr)).toMatch(/No trace files in/)
    // A file of another name passed over: said so, and the names a folder walk reads, every one (the new user's trial 40).
    writeFileSync(join(empty, 'notes.txt'), 'x')
    r = await aco(['analyze', empty])
    expect(r.status).toBe(4)
    expect(oneLine(r.stderr)).toMatch(/\(1 file with another name was passed over\)/)
    expect(oneLine(r.stderr)).toMatch(
      /\.jsonl, \.json, \.ndjson, \.traj, \.responses and \.log files, aider's .*, OpenCode's opencode\.db, and \.yaml and \.yml files that start as a recorded HTTP cassette/,
    )
    r = await aco(['analyze', join(empty, 'missing')])
    expect(r.status).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/No such file or folder: .*missing/)
    // One line for the message and one for its hint, whatever their length, not cut to 80 columns (trial 113).
    const long = join(empty, 'a-folder-with-a-long-name', 'and-another-long-one', 'and-a-third-one', 'missing.jsonl')
    r = await aco(['analyze', long])
    expect(r.stderr).toBe(`Error: No such file or folder: ${long}.\nTry this: Check the path; nothing was read.\n`)
    // A bad flag: the message and where the help is, not the whole usage.
    r = await aco(['analyze', '--bogus'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('Error: Nonexistent flag: --bogus\nSee more help with --help\n')
    // Several: one after the other, each ending where it ends (trial 126: "--outcomes Missing required flag router").
    r = await aco(['route'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(
      'Error: Exactly one of the following must be provided: --cards, --outcomes; Missing required flag router\nSee more help with --help\n',
    )
    // A command mistyped: the nearest command named (oclif had said "command anlyze:fixtures not found").
    r = await aco(['anlyze', 'fixtures'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(
      'Error: aco has no command "anlyze"; did you mean "analyze"?\nTry this: aco --help lists the commands.\n',
    )
    r = await aco(['\u001b[2Jnope'])
    expect(r.stderr).toMatch(/^Error: aco has no command "\\u001b\[2Jnope"\n/)
    // An option before any command: the nearest one named; `-h` is `--help`, alone or after a command.
    r = await aco(['--hlep'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^Error: aco has no option before its command "--hlep"; did you mean "--help"\?\n/)
    r = await aco(['anlyze', '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({error: {code: 'usage', exit: 2}})
    r = await aco(['analyze', '-h'])
    expect(r.stdout).toMatch(/^Read agent traces and report where the money went\./)
    // `aco help COMMAND` is `aco COMMAND --help`.
    r = await aco(['help', 'analyze'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^Read agent traces and report where the money went\.\n\nUSAGE\n {2}\$ aco analyze /)
    // Standard input is not read: said so, with what to do (not a missing file named `-` in the current folder).
    r = await aco(['analyze', '-'])
    expect(r.status).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/not standard input \('-'\).*Save the log to a file first/)
    // A file that is named `-` is read as that file, named by its whole path (review 91).
    copyFileSync(fixture('claude-code/unknown-model.jsonl'), join(empty, '-'))
    r = await aco(['analyze', '-', '--json'], {}, empty)
    expect(r.status).toBe(0)
    expect((JSON.parse(r.stdout) as AnalyzeResult).traces[0]!.path).toBe(join(empty, '-'))
    r = await aco(['analyze'], {
      HOME: empty,
      CODEX_HOME: '',
      CLAUDE_CONFIG_DIR: '',
      GEMINI_DIR: '',
      COPILOT_HOME: '',
      XDG_DATA_HOME: '',
    })
    expect(r.status).toBe(4)
    expect(oneLine(r.stderr)).toMatch(
      /looked in .*\.claude\/projects, .*\.codex\/sessions, .*\.codex\/archived_sessions, .*\.gemini\/tmp, .*\.copilot\/session-state, .*\.local\/share\/opencode\/opencode\.db, and in the tasks of Cline, Roo Code and Kilo Code in VS Code's global storage/,
    )
    // OpenCode keeps its sessions in a database (or exports them): the hint says where, and how to find it.
    expect(oneLine(r.stderr)).toMatch(/`opencode db path` prints where it is/)
    expect(oneLine(r.stderr)).toMatch(/opencode export <session id>/)
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
    // A folder holding only a link to nothing: nothing to count (4), not a path that cannot be read (2).
    const broken = tmp()
    symlinkSync(join(broken, 'gone'), join(broken, 'session.jsonl'))
    r = await aco(['analyze', broken])
    expect(r.status, r.stderr).toBe(4)
    // …named, with why (trial 107: only "No trace files" and a hint about names). Links in a loop too; and a link named
    // itself is a link that leads nowhere, not a path that is not there.
    expect(oneLine(r.stderr)).toMatch(/1 entry could not be read: .*session\.jsonl \(broken symbolic link\)/)
    const loop = tmp()
    symlinkSync(join(loop, 'b.jsonl'), join(loop, 'a.jsonl'))
    symlinkSync(join(loop, 'a.jsonl'), join(loop, 'b.jsonl'))
    r = await aco(['analyze', loop])
    expect(r.status, r.stderr).toBe(4)
    expect(oneLine(r.stderr)).toMatch(/2 entries could not be read: .*a\.jsonl \(a loop of symbolic links\)/)
    r = await aco(['analyze', join(loop, 'a.jsonl')])
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/Cannot read .*a\.jsonl \(a loop of symbolic links\)/)
  })

  it("with no path reads Cline's, Roo Code's and Kilo Code's tasks in VS Code's global storage too (trial 117)", async () => {
    const home = tmp()
    const task = (base: string, id: string, from: string): void => {
      const dir = join(home, base, 'User', 'globalStorage', id, 'tasks', basename(from))
      mkdirSync(dir, {recursive: true})
      for (const f of ['api_conversation_history.json', 'ui_messages.json'])
        copyFileSync(fixture(`cline/${from}/${f}`), join(dir, f))
    }
    task('.config/Code', 'saoudrizwan.claude-dev', 'restored-task')
    task('Library/Application Support/Cursor', 'rooveterinaryinc.roo-cline', 'roo-task-usage-in-ui')
    const r = await aco(['analyze', '--json', '--no-cache'], {
      HOME: home,
      CODEX_HOME: '',
      CLAUDE_CONFIG_DIR: '',
      GEMINI_DIR: '',
      COPILOT_HOME: '',
      XDG_DATA_HOME: '',
      XDG_CONFIG_HOME: '',
    })
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.traces.map(t => t.path.split('/globalStorage/')[1]?.split('/')[0]).sort()).toEqual([
      'rooveterinaryinc.roo-cline',
      'saoudrizwan.claude-dev',
    ])
  })

  it('files read, none of them a trace: nothing found (exit 4), and what they were', async () => {
    for (const path of [fixture('not-traces'), fixture('claude-code/summary-only.jsonl')]) {
      const r = await aco(['analyze', path])
      expect(r.status, path).toBe(4)
      expect(r.stdout).toMatch(/^aco analyze · no trace counted in \d+ files?\n/)
    }
  })

  it('a folder of compressed logs only: nothing found (exit 4), and said to unpack them (trial 84)', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(readFileSync(fixture('claude-code/advisor-tool.jsonl'))))
    writeFileSync(join(dir, 'notes.txt'), 'not a trace\n')
    const r = await aco(['analyze', dir])
    expect(r.status, r.stderr).toBe(4)
    expect(oneLine(r.stderr)).toMatch(
      /2 files with other names were passed over, 1 of them is compressed or archived\)/,
    )
    expect(oneLine(r.stderr)).toMatch(/Unpack compressed logs first/)
    // (Said as a sentence where every file passed over is packed: trial 126 read "it compressed or archived".)
    rmSync(join(dir, 'notes.txt'))
    expect(oneLine((await aco(['analyze', dir])).stderr)).toMatch(
      /\(1 file with another name was passed over, it is compressed or archived\)/,
    )
  })

  it('a compressed log beside traces: the traces read, and the packed one said in a note, not only counted (trial 84)', async () => {
    const dir = tmp()
    copyFileSync(fixture('claude-code/advisor-tool.jsonl'), join(dir, 'today.jsonl'))
    writeFileSync(
      join(dir, 'last-month.jsonl.gz'),
      gzipSync(readFileSync(fixture('claude-code/cleared-conversation.jsonl'))),
    )
    const screen = await aco(['analyze', dir])
    expect(screen.status, screen.stderr).toBe(0)
    expect(oneLine(screen.stderr)).toMatch(/1 compressed or archived file was passed over .*unpack it/)
    const json = await aco(['analyze', dir, '--json'])
    expect((JSON.parse(json.stdout) as AnalyzeResult).notes).toEqual([
      expect.stringMatching(/^1 compressed or archived file was passed over/),
    ])
  })

  it('reads the default folders when no path is given', async () => {
    const home = tmp()
    const codex = join(home, 'codex-home')
    const day = join(codex, 'sessions', '2026', '02', '23')
    mkdirSync(day, {recursive: true})
    const text = readFileSync(fixture('codex/duplicate-token-counts.jsonl'), 'utf8')
    writeFileSync(join(day, 'rollout-2026-02-23T10-00-00-019c0000.jsonl'), text)
    // (Every other agent's folder moved where nothing is.)
    const env = {
      HOME: home,
      CODEX_HOME: codex,
      CLAUDE_CONFIG_DIR: '',
      XDG_CONFIG_HOME: '',
      GEMINI_DIR: '',
      COPILOT_HOME: '',
      XDG_DATA_HOME: '',
    }
    const r = await aco(['analyze', '--json'], env)
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.searched).toEqual([
      join(home, '.config', 'claude', 'projects'),
      join(home, '.claude', 'projects'),
      join(codex, 'sessions'),
      join(codex, 'archived_sessions'),
      join(home, '.gemini', 'tmp'),
      join(home, '.copilot', 'session-state'),
      join(home, '.local', 'share', 'opencode', 'opencode.db'),
    ])
    expect(result.totals.llmCalls).toBe(3)
    // A session the person archived (Codex moves it to archived_sessions/) is counted too (trial 115).
    const archived = join(codex, 'archived_sessions')
    mkdirSync(archived)
    writeFileSync(
      join(archived, 'rollout-2026-02-24T10-00-00-019c0001.jsonl'),
      readFileSync(fixture('codex/recorded-durations.jsonl'), 'utf8'),
    )
    const both = await aco(['analyze', '--json'], env)
    expect((JSON.parse(both.stdout) as AnalyzeResult).traces).toHaveLength(2)
  })

  it("reads Claude Code's folders as ccusage does: both the XDG one and ~/.claude, or each folder CLAUDE_CONFIG_DIR lists", async () => {
    const home = tmp()
    // (Three sessions of their own: one copied twice would be a repeat, counted once.)
    const sessions: Record<string, string> = {
      'a.jsonl': 'cleared-conversation.jsonl',
      'b.jsonl': 'advisor-tool.jsonl',
      'c.jsonl': 'inline-sidechain.jsonl',
    }
    const session = (folder: string, name: string): void => {
      mkdirSync(folder, {recursive: true})
      copyFileSync(fixture(`claude-code/${sessions[name]}`), join(folder, name))
    }
    const none = {CODEX_HOME: '', GEMINI_DIR: '', COPILOT_HOME: '', XDG_DATA_HOME: ''}
    // Claude Code 1.0.30 and later write under ~/.config/claude; older ones under ~/.claude: both are read.
    session(join(home, '.config', 'claude', 'projects', 'new'), 'a.jsonl')
    session(join(home, '.claude', 'projects', 'old'), 'b.jsonl')
    let r = await aco(['analyze', '--json'], {HOME: home, CLAUDE_CONFIG_DIR: '', XDG_CONFIG_HOME: '', ...none})
    let result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.files.withTraces, r.stderr).toBe(2)
    // A list at commas, each a config folder or its projects folder itself; spaces around a comma are no part of a path.
    const prod = join(home, 'prod')
    session(join(prod, 'projects', 'p'), 'c.jsonl')
    r = await aco(['analyze', '--json'], {
      HOME: home,
      CLAUDE_CONFIG_DIR: `${prod}, ${join(home, '.claude', 'projects')}`,
      ...none,
    })
    result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.searched?.slice(0, 2)).toEqual([join(prod, 'projects'), join(home, '.claude', 'projects')])
    expect(result.files.withTraces, r.stderr).toBe(2)
    expect([...new Set(result.traces.map(t => basename(t.path)))].sort()).toEqual(['b.jsonl', 'c.jsonl'])
  })

  it("reads OpenCode's database by default ($XDG_DATA_HOME/opencode/opencode.db), with its write-ahead log", async () => {
    const data = tmp()
    mkdirSync(join(data, 'opencode'))
    for (const name of ['opencode.db', 'opencode.db-wal'])
      copyFileSync(fixture(`opencode-db/sessions/${name}`), join(data, 'opencode', name))
    const r = await aco(['analyze', '--json'], {
      HOME: tmp(),
      CODEX_HOME: '',
      CLAUDE_CONFIG_DIR: '',
      GEMINI_DIR: '',
      COPILOT_HOME: '',
      XDG_DATA_HOME: data,
    })
    // (Exit 3: the fixture's part that is no JSON, and its OpenCode 2 session, are said as skipped.)
    expect(r.status, r.stderr).toBe(3)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.traces.map(t => `${t.format}: ${t.title}`).sort()).toEqual([
      'opencode: Fix the failing test',
      'opencode: List the project',
      'opencode: Look for other callers',
    ])
    expect(result.skipped.map(s => s.reason)).toEqual([
      'session ses_fixture1: part prt_fixture1zzzz: its data is no JSON object',
      "1 session in OpenCode 2's session_v2 table: not read (this aco reads the session, message and part tables)",
    ])
  })

  it('reads a Copilot CLI home by default, its logs, settings and a session that never started no trouble (exit 0)', async () => {
    const home = tmp()
    const copilot = join(home, '.copilot')
    const state = join(copilot, 'session-state')
    mkdirSync(join(state, 'a1b2c3d4'), {recursive: true})
    copyFileSync(fixture('copilot-cli/session-events.jsonl'), join(state, 'a1b2c3d4', 'events.jsonl'))
    // A session that never started: its events.jsonl is empty.
    mkdirSync(join(state, 'e5f6a7b8'))
    writeFileSync(join(state, 'e5f6a7b8', 'events.jsonl'), '')
    // The process log Copilot writes beside the sessions (as a real session read one), and an empty one.
    mkdirSync(join(copilot, 'logs'))
    writeFileSync(
      join(copilot, 'logs', 'process-1784889705812-12588.log'),
      [
        '2026-07-24T10:44:43.844Z [INFO] Shell completions: no supported shell detected, skipping',
        '2026-07-24T10:44:43.952Z [INFO] Starting Copilot CLI: 1.0.74',
        '2026-07-24T10:45:27.237Z [ERROR] Hook from "repo settings" execution failed: Error: Hook command failed with code 1',
        '',
      ].join('\n'),
    )
    writeFileSync(join(copilot, 'logs', 'process-1784891785487-4168.log'), '')
    writeFileSync(join(copilot, 'config.json'), JSON.stringify({trusted_folders: ['/home/dev/shop']}))
    const bare = await aco(['analyze', '--json'], {HOME: home, CODEX_HOME: '', CLAUDE_CONFIG_DIR: '', GEMINI_DIR: ''})
    expect(bare.status, bare.stderr).toBe(0)
    const found = JSON.parse(bare.stdout) as AnalyzeResult
    expect(found.searched).toContain(state)
    expect(found.totals.llmCalls).toBeGreaterThan(0)
    // The whole home: every file recognised, none skipped.
    const all = await aco(['analyze', copilot, '--json'], {HOME: home})
    expect(all.status, all.stderr).toBe(0)
    const result = JSON.parse(all.stdout) as AnalyzeResult
    expect(result.skipped).toEqual([])
    expect(result.totals.llmCalls).toBe(found.totals.llmCalls)
    const why = result.nothingToCount.map(n => `${basename(n.path)}: ${n.reason}`)
    expect(why).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^process-1784889705812-12588\.log: a companion of traces, not a trace: Copilot CLI process log/,
        ),
        expect.stringMatching(/^process-1784891785487-4168\.log: an empty file: nothing to count$/),
        expect.stringMatching(/^events\.jsonl: an empty file: nothing to count$/),
        expect.stringMatching(/^config\.json: a companion of traces, not a trace: Copilot CLI settings/),
      ]),
    )
  })

  it('--out writes one valid TraceCard a line, atomically, with secrets redacted', async () => {
    const dir = tmp()
    const secretDir = tmp()
    const line = readFileSync(fixture('claude-code/split-blocks.jsonl'), 'utf8')
      .replace('Fix the failing test', 'Use key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123 to fix the failing test')
      .replaceAll('msg_split', 'msg_secret')
      .replaceAll('sess-split-0001', 'sess-secret-0001')
    writeFileSync(join(secretDir, 'secret.jsonl'), line)
    const r = await aco(['analyze', fixture('claude-code'), secretDir, '--out', dir, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const text = readFileSync(join(dir, 'cards.ndjson'), 'utf8')
    const cards = text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l) as unknown)
    expect(cards.length).toBeGreaterThan(3)
    const validate = validator('tracecard')
    for (const card of cards) expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    expect(text).not.toMatch(/sk-ant-api03/)
    expect(text).toMatch(/REDACTED/)
    expect((JSON.parse(r.stdout) as AnalyzeResult).written?.cards).toBe(join(dir, 'cards.ndjson'))
  })

  it('--prices prices a model the catalog lacks; a bad prices file is a usage error', async () => {
    const dir = tmp()
    const good = join(dir, 'prices.json')
    writeFileSync(
      good,
      JSON.stringify({models: [{model: 'claude-imaginary-9', prices: {input_mtok: 1000, output_mtok: 1000}}]}),
    )
    let r = await aco(['analyze', fixture('claude-code/unknown-model.jsonl'), '--prices', good, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.unpriced).toEqual([])
    expect(result.byModel.find(m => m.model === 'claude-imaginary-9')!.costUsd).toBeCloseTo(((50 + 5) * 1000) / 1e6, 9)
    expect(result.notes ?? []).toEqual([])
    // An entry that prices no call, the model spelt otherwise than the traces spell it, is said (trial 116).
    const spelt = join(dir, 'spelt.json')
    writeFileSync(
      spelt,
      JSON.stringify({models: [{model: 'acme/claude-imaginary-9-v2', prices: {input_mtok: 1, output_mtok: 1}}]}),
    )
    r = await aco(['analyze', fixture('claude-code/unknown-model.jsonl'), '--prices', spelt, '--json'])
    expect(r.status, r.stderr).toBe(0)
    expect((JSON.parse(r.stdout) as AnalyzeResult).notes).toEqual([
      `--prices ${spelt}: an entry prices no call of these traces (acme/claude-imaginary-9-v2); the models still unpriced are named claude-imaginary-9: give the model as the traces name it`,
    ])
    // …and only such an entry: one the catalog also prices (its figures win), or one matching by prefix, prices calls
    // (review 118: the catalog's id had hidden the entry that matched).
    const mixed = join(dir, 'mixed.json')
    const price = {input_mtok: 5, output_mtok: 50}
    writeFileSync(
      mixed,
      JSON.stringify({
        models: [
          {model: 'claude-haiku-4-5-20251001', prices: price},
          {model: 'claude-opus', match: 'prefix', prices: price},
          {model: 'nope-x', prices: price},
        ],
      }),
    )
    r = await aco(['analyze', fixture('claude-code'), '--prices', mixed, '--json', '--no-cache'])
    expect(r.status, r.stderr).toBe(0)
    expect((JSON.parse(r.stdout) as AnalyzeResult).notes?.join('\n')).toMatch(
      /an entry prices no call of these traces \(nope-x\)/,
    )
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({models: [{model: 'x', prices: {input_mtok: 'cheap'}}]}))
    r = await aco(['analyze', fixture('codex'), '--prices', bad])
    expect(r.status).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/does not match schemas\/prices.schema.json/)
    // A price no model has (1e308 a million tokens) is a typo: refused, not costs of NaN (trial 107).
    writeFileSync(bad, JSON.stringify({models: [{model: 'x', prices: {input_mtok: 1e308, output_mtok: 1}}]}))
    r = await aco(['analyze', fixture('codex'), '--prices', bad])
    expect(r.status).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/input_mtok: must be <= 10000/)
  })
})

describe.concurrent('aco analyze --report and worker threads (built CLI)', () => {
  it('--report writes a Markdown report with waste by detector, the top waste and an SVG chart per costly trace', async () => {
    const dir = tmp()
    const file = join(dir, 'waste-report.md')
    const r = await aco(['analyze', fixture('waste'), fixture('claude-code'), '--report', file, '--json'])
    expect(r.status, r.stderr).toBe(0)
    const md = readFileSync(file, 'utf8')
    expect(md).toMatch(/^# Where the money went/)
    expect(md).toMatch(/## Waste by detector[\s\S]*\| loop \|[\s\S]*\| context-growth \|/)
    expect(md).toMatch(/## Top waste[\s\S]*find \/home\/dev -name/)
    const charts = [...md.matchAll(/!\[[^\]]*\]\((waste-report-assets\/trace-\d+\.svg)\)/g)].map(m => m[1]!)
    expect(charts).toHaveLength(5)
    for (const chart of charts) {
      const svg = readFileSync(join(dir, chart), 'utf8')
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/)
    }
    // the trace with the unused flood of paths has red (wasted) bars
    expect(charts.some(c => readFileSync(join(dir, c), 'utf8').includes('fill="#d64545"'))).toBe(true)
    expect((JSON.parse(r.stdout) as AnalyzeResult).written?.report).toBe(file)
  })

  it('gives the same result with and without worker threads', async () => {
    const paths = [fixture('claude-code'), fixture('codex'), fixture('waste')]
    const one = await aco(['analyze', ...paths, '--json', '--threads', '1'])
    const two = await aco(['analyze', ...paths, '--json', '--threads', '2'])
    // Three threads: two workers and the main thread take units from one shared counter.
    const three = await aco(['analyze', ...paths, '--json', '--threads', '3'])
    expect(one.status).toBe(0)
    expect(two.status).toBe(0)
    expect(three.status).toBe(0)
    expect(JSON.parse(one.stdout).files.read).toBeGreaterThan(3)
    expect(two.stdout).toBe(one.stdout)
    expect(three.stdout).toBe(one.stdout)
  })
})

describe.concurrent('V8 budgets (built CLI)', () => {
  it("sets the optimizing compiler's budgets in runs with workers, and only there", async () => {
    const dir = tmp()
    // A preloaded script records every V8 flag the run sets (node runs it before aco, in the main thread).
    const spy = join(dir, 'spy.cjs')
    writeFileSync(
      spy,
      `const v8 = require('node:v8'); const fs = require('node:fs'); const set = v8.setFlagsFromString;
v8.setFlagsFromString = flags => { fs.appendFileSync(process.env.ACO_TEST_FLAGS, flags + '\\n'); return set(flags) }`,
    )
    const paths = [fixture('claude-code'), fixture('codex'), fixture('waste')]
    const flagsOf = async (threads: string): Promise<string[]> => {
      const log = join(dir, `flags-${threads}.txt`)
      writeFileSync(log, '')
      const r = await aco(['analyze', ...paths, '--json', '--no-cache', '--threads', threads], {
        NODE_OPTIONS: `--require ${spy}`,
        ACO_TEST_FLAGS: log,
      })
      expect(r.status, r.stderr).toBe(0)
      return readFileSync(log, 'utf8').split('\n').filter(Boolean)
    }
    const [one, two] = await Promise.all([flagsOf('1'), flagsOf('2')])
    expect(one).toEqual([])
    expect(two).toEqual(['--max-inlined-bytecode-size-cumulative=300', '--interrupt-budget=540672'])
  })
})

describe.concurrent('secrets (built CLI)', () => {
  it('never prints a secret found in a trace, even cut short in a reason, unless --no-redact', async () => {
    const dir = tmp()
    const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
    writeFileSync(
      join(dir, 'leaky.jsonl'),
      readFileSync(fixture('waste/failed-repeat.jsonl'), 'utf8').replaceAll(
        'npm test',
        `ANTHROPIC_API_KEY=${key} npm test`,
      ),
    )
    const screen = await aco(['analyze', dir])
    const json = await aco(['analyze', dir, '--json'])
    for (const out of [screen.stdout, json.stdout]) {
      expect(out).not.toMatch(/sk-ant-api03-abc/)
      expect(out).toMatch(/REDACTED/)
    }
    expect((JSON.parse(json.stdout) as AnalyzeResult).waste.top.some(w => /failed-repeat/.test(w.kind))).toBe(true)
    expect((await aco(['analyze', dir, '--json', '--no-redact'])).stdout).toContain(key.slice(0, 40))
  })
})

describe.concurrent('usage errors (built CLI)', () => {
  it('checks output paths before reading anything, and names the problem (exit 2)', async () => {
    const dir = tmp()
    const file = join(dir, 'a-file')
    writeFileSync(file, '')
    const cases: Array<[string[], RegExp]> = [
      [['--out', join(file, 'sub')], /a part of the path is a file/],
      [['--out', file], /exists and is not a folder/],
      [['--report', dir], /it is a folder/],
      [['--out', ''], /--out was given an empty path/],
      [['--report', ''], /--report was given an empty path/],
      [[''], /An empty path was given/],
      // (Not standard output: it wrote a file named "-" and a folder "--assets"; trial 127.)
      [['--report', '-'], /--report writes files, not standard output \('-'\)/],
      [['--out', '-'], /--out writes files, not standard output \('-'\)/],
    ]
    if (existsSync('/proc/self')) cases.push([['--out', '/proc'], /Cannot write into --out \/proc/])
    // A folder the file system will not make (trial 74: it read "no such folder", though --out makes missing folders).
    if (existsSync('/proc/self'))
      cases.push([
        ['--out', '/proc/aco-out'],
        /Cannot write into --out \/proc\/aco-out: the folder cannot be made in \/proc\./,
      ])
    // A folder's name with its trailing `/` that does not exist yet (the trial: it wrote a file named `repdir`).
    cases.push([['--report', `${join(dir, 'repdir')}/`], /it names a folder\..*e\.g\. \S+repdir\/report\.md/])
    for (const [args, message] of cases) {
      const r = await aco(['analyze', fixture('codex'), ...args])
      expect(r.status, oneLine(r.stderr)).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
      expect(r.stderr).not.toMatch(/ENOTDIR|EEXIST|EISDIR/)
    }
    expect(existsSync(join(dir, 'repdir'))).toBe(false)
    expect(existsSync(join(root, '-'))).toBe(false)
  })

  it('says a cache bound that is no number of megabytes above 0 is not taken (trial 127: ignored in silence)', async () => {
    for (const bound of ['abc', '0', '-5']) {
      const r = await aco(['analyze', fixture('codex')], {ACO_CACHE_MAX_MB: bound, XDG_CACHE_HOME: tmp()})
      expect(r.status, r.stderr).toBe(0)
      expect(oneLine(r.stderr)).toContain(`Note: ACO_CACHE_MAX_MB=${bound} is no number of megabytes above 0`)
    }
    expect(
      (await aco(['analyze', fixture('codex')], {ACO_CACHE_MAX_MB: '64', XDG_CACHE_HOME: tmp()})).stderr,
    ).not.toMatch(/ACO_CACHE_MAX_MB/)
  })

  it('a --report the system will not let it write after the analysis (`/proc`): exit 2 with the reason, no errno', async () => {
    if (!existsSync('/proc/self')) return
    const r = await aco(['analyze', fixture('codex'), '--report', '/proc/aco-report.md'])
    expect(r.status, oneLine(r.stderr)).toBe(2)
    // (As root the checks before the work let `/proc` pass and the write fails at the end; else its folder is refused.)
    expect(oneLine(r.stderr)).toMatch(/Cannot write --report \/proc\/aco-report\.md: /)
    expect(r.stderr).not.toMatch(/ENOENT|Code:/)
    const json = await aco(['analyze', fixture('codex'), '--report', '/proc/aco-report.md', '--json'])
    expect(json.status).toBe(2)
    // Refused before the work (not root), an error; failed at the end (root), the result with the report not written.
    const printed = JSON.parse(json.stdout)
    if (printed.error) expect(printed.error).toMatchObject({code: 'usage', exit: 2})
    else {
      expect(printed.totals.llmCalls).toBeGreaterThan(0)
      expect(printed.notWritten).toEqual([
        {output: '--report', path: '/proc/aco-report.md', reason: expect.stringMatching(/^Cannot write --report /)},
      ])
    }
  })

  it('never writes through a link planted in the --out folder: an input or a device stays as it was (exit 2)', async () => {
    const dir = tmp()
    const input = join(dir, 'in', 'session.jsonl')
    mkdirSync(join(dir, 'in'))
    copyFileSync(fixture('claude-code/inline-sidechain.jsonl'), input)
    const before = readFileSync(input, 'utf8')
    for (const [name, format] of [
      ['cards.ndjson', 'ndjson'],
      ['cards.index.ndjson', 'ndjson'],
      ['steps.parquet', 'parquet'],
    ] as const) {
      const out = join(dir, `out-${name}`)
      mkdirSync(out)
      symlinkSync(input, join(out, name))
      const r = await aco(['analyze', join(dir, 'in'), '--out', out, '--out-format', format])
      expect(r.status, oneLine(r.stderr)).toBe(2)
      expect(oneLine(r.stderr)).toMatch(new RegExp(`its ${name.replace(/\./g, '\\.')} is a symbolic link`))
      expect(readFileSync(input, 'utf8')).toBe(before)
    }
  })

  it('says a usage error without the escape codes or the secret a path it names holds', async () => {
    const dir = tmp()
    const token = `ghp_${'dCaRqzCLRJT92Jx1dCkYwWfVl0deCy7e30m4'}`
    const escaped = await aco(['analyze', join(dir, 'a\u001b]0;title\u0007\u001b[2Jb.jsonl')])
    expect(escaped.status).toBe(2)
    expect(escaped.stderr).toMatch(/No such file or folder/)
    expect(escaped.stderr).not.toContain('\u001b')
    const secret = await aco(['analyze', join(dir, `${token}.jsonl`), '--json'])
    expect(secret.status).toBe(2)
    expect(secret.stdout).toMatch(/No such file or folder/)
    expect(secret.stdout + secret.stderr).not.toContain(token)
  })

  it("creates a report's own folder, never the folders above it (a typo, most likely: exit 2)", async () => {
    const dir = tmp()
    const file = join(dir, 'a-file')
    writeFileSync(file, '')
    for (const [path, message] of [
      [join(dir, 'no-such', 'sub', 'r.md'), /no such folder .*no-such\./],
      [join(file, 'r.md'), /its folder .*a-file: it exists and is not a folder/],
    ] as const) {
      const r = await aco(['analyze', fixture('codex'), '--report', path])
      expect(r.status, oneLine(r.stderr)).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
    }
    expect(existsSync(join(dir, 'no-such'))).toBe(false)
    const r = await aco(['analyze', fixture('codex/recorded-durations.jsonl'), '--report', join(dir, 'new', 'r.md')])
    expect(r.status, oneLine(r.stderr)).toBe(0)
    expect(existsSync(join(dir, 'new', 'r.md'))).toBe(true)
  })

  it('keeps the usage exit code with --json, and says what was wrong as JSON', async () => {
    for (const args of [['--top', '0'], ['--format', 'nope'], ['--bogus']]) {
      const r = await aco(['analyze', fixture('codex'), '--json', ...args])
      expect(r.status, args.join(' ')).toBe(2)
      expect((JSON.parse(r.stdout) as {error: {exit: number; message: string}}).error.exit).toBe(2)
    }
    const missing = await aco(['analyze', join(tmp(), 'nope'), '--json'])
    expect(missing.status).toBe(2)
    expect((JSON.parse(missing.stdout) as {error: {message: string}}).error.message).toMatch(/No such file or folder/)
  })

  it('a missing path among good ones stops before reading anything (a typo, most likely)', async () => {
    const r = await aco(['analyze', fixture('codex'), join(tmp(), 'typo')])
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
  })
})

describe.concurrent('--outcomes (built CLI)', () => {
  it('joins outcomes on task ids, reports bad lines with their line, and says how many joined', async () => {
    const file = join(tmp(), 'outcomes.jsonl')
    writeFileSync(
      file,
      `${[
        '{"instance_id":"acme__widgets-91","resolved":true}',
        '{"instance_id":"acme__widgets-78","resolved":"yes"}',
        'garbage',
        '{"instance_id":"nobody__here-1","resolved":false}',
      ].join('\n')}\n`,
    )
    const out = tmp()
    const r = await aco(['analyze', fixture('mini-swe-agent'), '--outcomes', file, '--out', out, '--json'])
    expect(r.status).toBe(3)
    const result = JSON.parse(r.stdout) as AnalyzeResult
    expect(result.outcomes).toEqual({given: 2, joined: 1})
    expect(result.skipped.filter(s => s.path === file).map(s => s.line)).toEqual([2, 3])
    const cards = readFileSync(join(out, 'cards.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l) as {id: string; task?: {outcome?: {resolved?: boolean; source: string}}})
    expect(cards.find(c => c.id === 'acme__widgets-91')!.task!.outcome).toMatchObject({resolved: true, source: file})
  })
})
