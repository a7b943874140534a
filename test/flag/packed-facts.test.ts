/**
 * A large session's tool outputs are kept packed (card/build.ts), with the facts the flag stage asks of them
 * read while the text was at hand (card/output-facts.ts), so flagging does not unpack them. The same trace
 * built with its outputs packed and as they are must flag the same steps, and its context must say the same
 * of every step: whether it failed, what it showed, whether a search found nothing, which paths it reports
 * missing, and what it wrote.
 */
import {describe, expect, it} from 'vitest'
import {CardBuilder, toolOutput, toolOutputFacts} from '../../src/card/build.js'
import {gitAborted} from '../../src/card/output-facts.js'
import type {FormatId, TraceCard} from '../../src/card/types.js'
import {buildContext} from '../../src/flag/context.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {
  missingPaths,
  noHits,
  reportsCaughtFailure,
  reportsCommandNotFound,
  showsFailure,
  shownOf,
} from '../../src/flag/output.js'
import {PriceBook} from '../../src/price/book.js'
import {priceCard} from '../../src/price/price-card.js'

/** Padding that makes an output long enough to be packed alone (4 KB), without changing what it says. */
const pad = (n = 120): string => 'filler line of output\n'.repeat(n)

const traceback = `Traceback (most recent call last):\n  File "/repo/run.py", line 3, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'`

type Call = {name: string; input: Record<string, unknown>; output: string; status?: 'ok' | 'error'; exitCode?: number}

/** Calls whose outputs carry every fact the flag stage reads, each twice or more so detectors have pairs to judge. */
const CALLS: Call[] = [
  {name: 'Read', input: {file_path: '/repo/a.py'}, output: numbered(1, 300)},
  {name: 'Read', input: {file_path: '/repo/a.py', offset: 10, limit: 50}, output: numbered(10, 60)},
  {name: 'Read', input: {file_path: '/repo/a.py'}, output: numbered(1, 300)},
  {name: 'Bash', input: {command: 'cat -n /repo/b.py'}, output: `${numbered(1, 200)}\n... [120 lines truncated] ...\n`},
  {name: 'Grep', input: {pattern: 'nothing_here', path: '/repo'}, output: 'No matches found'},
  {name: 'Grep', input: {pattern: 'nothing_here', path: '/repo'}, output: 'No matches found'},
  {
    name: 'Bash',
    input: {command: 'grep -rn nothing_here /repo'},
    output: `${' '.repeat(5000)}`,
    status: 'error',
    exitCode: 1,
  },
  {name: 'Bash', input: {command: 'python /repo/run.py 2>&1 | tail -20'}, output: `${pad()}${traceback}`},
  {name: 'Bash', input: {command: 'python /repo/run.py 2>&1 | tail -20'}, output: `${pad()}${traceback}`},
  {
    name: 'Bash',
    input: {command: 'python /repo/check.py'},
    output: `${pad()}Traceback (most recent call last):\n  File "/repo/check.py", line 4, in <module>\n    d['key']\nKeyError: 'a missing key here'\nImport error: KeyError: 'a missing key here'`,
  },
  {
    name: 'Bash',
    input: {command: 'frobnicate --all; echo done'},
    output: `bash: line 1: frobnicate: command not found\n${pad()}done`,
  },
  {
    name: 'Bash',
    input: {command: 'frobnicate --all; echo done'},
    output: `bash: line 1: frobnicate: command not found\n${pad()}done`,
  },
  {
    name: 'Bash',
    input: {command: 'ls /repo/missing_dir || true'},
    output: `ls: cannot access '/repo/missing_dir': No such file or directory\n${pad()}`,
  },
  {
    name: 'Bash',
    input: {command: 'cat /repo/nope.txt'},
    output: `cat: /repo/nope.txt: No such file or directory\n${pad()}`,
    status: 'error',
    exitCode: 1,
  },
  {name: 'Bash', input: {command: 'cat /repo/nope.txt'}, output: 'cat: /repo/nope.txt: No such file or directory'},
  {
    name: 'Task',
    input: {description: 'look around', prompt: 'find the config', subagent_type: 'general-purpose'},
    output: `${pad()}Agent could not start.\ntool_uses: 0\nduration_ms: 12`,
  },
  {
    name: 'Bash',
    input: {command: 'npm test'},
    output: `${pad()}FAIL test/x.test.ts\nError: expected 1 to be 2`,
    status: 'error',
  },
  {
    name: 'Bash',
    input: {command: 'npm test'},
    output: `${pad()}FAIL test/x.test.ts\nError: expected 1 to be 2`,
    status: 'error',
  },
  {
    name: 'Bash',
    input: {command: "git ls-remote --heads origin | grep -E 'x$' || true"},
    output: `${pad()}ssh: Could not resolve hostname github.com: Temporary failure in name resolution\nfatal: Could not read from remote repository.`,
  },
  {
    name: 'Bash',
    input: {command: 'rg -n description arguments'},
    output: `rg: arguments: IO error for operation on arguments: No such file or directory (os error 2)\n${pad()}`,
    status: 'error',
    exitCode: 2,
  },
  {name: 'Read', input: {file_path: '/repo/a.py'}, output: numbered(1, 300)},
]

function numbered(from: number, to: number): string {
  const lines: string[] = []
  for (let n = from; n <= to; n++) lines.push(`${String(n).padStart(6)}→def function_${n}(x): return x * ${n}`)
  return lines.join('\n')
}

/** The trace, built with every output packed or none (a builder past its file's first 2 MB packs from 4 KB). */
function build(packed: boolean, format: FormatId = 'claude-code', calls: Call[] = CALLS): TraceCard {
  const b = new CardBuilder(format, '/x.jsonl', true, {chars: packed ? 1e15 : 0})
  let t = Date.parse('2026-03-01T00:00:00Z')
  const at = (): string => {
    t += 1000
    return new Date(t).toISOString()
  }
  calls.forEach((call, k) => {
    const llm = b.addLlm({
      id: `m${k}`,
      model: 'claude-sonnet-4-5-20250929',
      tokens: {input: 5, output: 100, cacheRead: 20_000 + k * 3000, cacheWrite: 500, reasoning: 0},
      startedAt: at(),
    })
    b.addToolCall(llm, `t${k}`, call.name, call.input, at())
    b.resolveTool(`t${k}`, {
      status: call.status ?? 'ok',
      exitCode: call.exitCode,
      output: call.output,
      endedAt: at(),
    })
  })
  const card = b.build({id: 'card', cwd: '/repo'})
  priceCard(card, new PriceBook())
  return card
}

/** What the context says of every step. */
function contextOf(card: TraceCard): unknown[] {
  const ctx = buildContext(card)
  return card.steps.map(step => ({
    failed: ctx.failed[step.index],
    shown: ctx.shown(step),
    nothing: ctx.foundNothing(step),
    missing: ctx.missingIn(step),
    writes: ctx.writes[step.index],
    epoch: ctx.epochAfter[step.index],
  }))
}

describe('packed outputs', () => {
  it('keep the facts the flag stage asks of them, as read from their text', () => {
    const card = build(true)
    let withFacts = 0
    for (const step of card.steps) {
      if (!step.tool) continue
      const facts = toolOutputFacts(step.tool)
      if (!facts) continue
      withFacts++
      const text = toolOutput(step.tool)!
      expect(facts.shown).toStrictEqual(shownOf(text))
      expect((facts.bits & 1) !== 0).toBe(noHits(text))
      expect((facts.bits & 2) !== 0).toBe(showsFailure(text))
      expect((facts.bits & 4) !== 0).toBe(reportsCaughtFailure(text))
      expect((facts.bits & 8) !== 0).toBe(reportsCommandNotFound(text))
      expect((facts.bits & 32) !== 0).toBe(gitAborted(text))
      expect(facts.missing ?? []).toStrictEqual(missingPaths(text))
    }
    expect(withFacts).toBeGreaterThanOrEqual(15)
    // Outputs held as they are have none: the flag stage reads their text.
    for (const step of build(false).steps) if (step.tool) expect(toolOutputFacts(step.tool)).toBeUndefined()
  })

  it('give the same context and the same flags as outputs held as they are', () => {
    const packed = build(true)
    const plain = build(false)
    expect(contextOf(packed)).toStrictEqual(contextOf(plain))
    flagCard(packed)
    flagCard(plain)
    const flags = (card: TraceCard) => card.steps.map(s => s.flags ?? [])
    expect(flags(packed)).toStrictEqual(flags(plain))
    // The trace exercises the detectors: failures, repeats and looks found nothing are flagged.
    expect(flags(plain).filter(f => f.length).length).toBeGreaterThanOrEqual(5)
    expect(contextOf(plain).filter(c => (c as {failed: number}).failed === 1).length).toBeGreaterThanOrEqual(6)
  })

  it("follow SWE-agent's open file from the viewer's header", () => {
    const header = (file: string) => `[File: ${file} (300 lines total)]\n${numbered(1, 100)}`
    const calls: Call[] = [
      {name: 'open', input: {path: 'src/a.py'}, output: header('/repo/src/a.py')},
      {name: 'goto', input: {line_number: 200}, output: header('/repo/src/a.py')},
      {name: 'open', input: {path: 'src/b.py'}, output: header('/repo/src/b.py')},
      {name: 'scroll_down', input: {}, output: header('/repo/src/b.py')},
      {name: 'goto', input: {line_number: 200}, output: header('/repo/src/a.py')},
    ]
    const packed = build(true, 'swe-agent', calls)
    expect(toolOutputFacts(packed.steps[1]!.tool!)?.file).toBe('/repo/src/a.py')
    expect(contextOf(packed)).toStrictEqual(contextOf(build(false, 'swe-agent', calls)))
  })
})
