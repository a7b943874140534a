/**
 * Output safety with the built CLI (issue #12): a session whose prompt, tool names and models carry terminal
 * escape sequences (OSC title, clear screen, colours, BEL, C1 CSI), HTML (`<script>`, `<img onerror>`, `<!--`)
 * and a model name of 100 KB. `aco analyze` prints no control character but newlines and no line wider than the
 * terminal; the Markdown report and its SVG charts carry no raw HTML from the trace, no control character, and
 * no 100 KB line.
 */
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {textWidth} from '../../src/util/width.js'
import {claudeSession} from '../support/traces.js'
import {acoAsync, type CliRun} from './run.js'

const ESC = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mRED\u009b31m\u0007'
const HTML = '<script>alert(1)</script><img src=x onerror=alert(2)><!-- hidden -->'
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

let dir: string
let run: CliRun

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aco-e2e-safety-'))
  const lines = claudeSession({
    prompt: `${ESC} fix it ${HTML}`,
    calls: [
      {
        model: `claude-${'m'.repeat(100_000)}${ESC}`,
        tools: [{name: `Bash${ESC}${HTML}`, input: {command: `ls ${ESC}`}, output: 'ok'}],
      },
      {
        model: `gpt-${HTML}`,
        tools: [{name: `Read${'x'.repeat(5000)}`, input: {file_path: `/a${ESC}.ts`}, output: 'x'}],
      },
      {text: 'done'},
    ],
  })
  writeFileSync(join(dir, `session${ESC.slice(0, 8)}.jsonl`), `${lines.join('\n')}\n`)
  run = await acoAsync(['analyze', dir, '--report', join(dir, 'report', 'report.md'), '--force'], {COLUMNS: '100'})
}, 120_000)

describe('aco analyze on a hostile trace', () => {
  it('prints no escape sequence or control character, and no line wider than the terminal', () => {
    expect(run.status, run.stderr).toBe(0)
    for (const [name, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
    ] as const) {
      expect(CONTROL.exec(text), name).toBeNull()
      for (const line of text.split('\n'))
        expect(textWidth(line), `${name}: ${line.slice(0, 80)}`).toBeLessThanOrEqual(100)
    }
    // The model is named, cut with an ellipsis.
    expect(run.stdout).toMatch(/claude-m+…/)
  })

  it('writes a report and charts with the HTML escaped, no control character, and no field of 100 KB', () => {
    const files = [
      join(dir, 'report', 'report.md'),
      ...readdirSync(join(dir, 'report', 'report-assets')).map(n => join(dir, 'report', 'report-assets', n)),
    ]
    expect(files.length).toBeGreaterThan(1)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      expect(text, file).not.toMatch(/<script|<img|<!--|onerror=alert\(2\)>/)
      expect(CONTROL.exec(text), file).toBeNull()
      for (const line of text.split('\n')) expect(line.length, file).toBeLessThan(2000)
    }
    const md = readFileSync(files[0]!, 'utf8')
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })
})

describe('aco analyze --json and --out on a hostile trace (built CLI)', () => {
  it('writes the 8-bit controls, bidirectional overrides and zero-width characters as \\u escapes: the same values parsed (trial 32)', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'aco-e2e-json-escapes-'))
    const lines = claudeSession({prompt: 'fix it \u009b31mRED \u202eevil\u200b \u2028 end', calls: [{text: 'done'}]})
    writeFileSync(join(hostile, 'session.jsonl'), `${lines.join('\n')}\n`)
    const r = await acoAsync(['analyze', hostile, '--json', '--out', join(hostile, 'out')])
    expect(r.status, r.stderr).toBe(0)
    const unsafe = /[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/
    for (const [name, text] of [
      ['--json', r.stdout],
      ['cards', readFileSync(join(hostile, 'out', 'cards.ndjson'), 'utf8')],
      ['index', readFileSync(join(hostile, 'out', 'cards.index.ndjson'), 'utf8')],
    ] as const)
      expect(unsafe.exec(text), name).toBeNull()
    // The values as read: the title keeps the characters, escaped only in the text.
    expect(JSON.parse(r.stdout).traces[0].title).toContain('\u202eevil')
    expect(r.stdout).toContain('\\u202eevil')
  })
})

describe('aco analyze --report on a title holding a secret (built CLI)', () => {
  it("redacts the charts' titles before they are SVG: the markup around them stays whole (trial 32)", async () => {
    const work = mkdtempSync(join(tmpdir(), 'aco-e2e-svg-title-'))
    // (Built from pieces: the repository holds no string of a token's shape.)
    const token = ['eyJhbGciOiJIUzI1NiJ9', 'abcdefGHIJKLmnopqrstUVWX'].join('')
    const lines = claudeSession({
      prompt: `why does curl -H "Authorization: Bearer ${token}" https://api.example.com/v1 return 401`,
      calls: [{text: 'because'}],
    })
    writeFileSync(join(work, 'session.jsonl'), `${lines.join('\n')}\n`)
    const r = await acoAsync(['analyze', join(work, 'session.jsonl'), '--report', join(work, 'r', 'r.md')])
    expect(r.status, r.stderr).toBe(0)
    const svg = readFileSync(join(work, 'r', 'r-assets', 'trace-1.svg'), 'utf8')
    expect(svg).not.toContain(token.slice(0, 12))
    expect(svg).toContain('[REDACTED:')
    // Every element that holds the title closes where it opens; the document ends as it began.
    for (const line of svg.split('\n')) {
      if (line.includes('<title>')) expect(line, line).toMatch(/<title>[^<]*<\/title>/)
      if (/<text\b/.test(line)) expect(line, line).toMatch(/<text\b[^>]*>[^<]*<\/text>/)
    }
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
  })
})

describe('error messages quoting what was typed (built CLI)', () => {
  it("write a path's escape sequences out, not drop them: dropped, the message names another file (trial 84)", async () => {
    const here = mkdtempSync(join(tmpdir(), 'aco-e2e-safety-errors-'))
    // `x.json` is there; the path given is `x<ESC>[2J.json`, which is not.
    writeFileSync(join(here, 'x.json'), '{}')
    const given = join(here, 'x\u001b[2J.json')
    for (const args of [
      ['merge', given],
      ['analyze', given],
      ['analyze', '--json', given],
      ['analyze', '--bogus\u001b]0;pwn\u0007'],
    ]) {
      const r = await acoAsync(args)
      const text = r.stdout + r.stderr
      expect(r.status, args.join(' ')).toBe(2)
      expect(text, args.join(' ')).not.toMatch(CONTROL_BUT_NEWLINE)
      // (In JSON the backslash is itself escaped.)
      expect(text, args.join(' ')).toMatch(/\\{1,2}x1b/)
      expect(text, args.join(' ')).not.toMatch(/[/\\]x\.json/)
    }
  })
})

describe('error messages in a colour terminal, and a key a lone ESC cuts (built CLI, review 86)', () => {
  it("oclif's own colour is no part of what was typed; a key cut by an ESC before a letter is still redacted", async () => {
    // (FORCE_COLOR: oclif colours the flags it names, as it does in a terminal.)
    const clash = await acoAsync(['train', '--alpha', '0.1', '--max-cost', '3'], {FORCE_COLOR: '1'})
    expect(clash.status).toBe(2)
    expect(clash.stderr).toMatch(/--alpha=0\.1 cannot also be provided/)
    expect(clash.stderr).not.toMatch(/\\x1b/)
    const key = ['AKIA', 'QYLPMN5HHHFPZAM2'].join('')
    const cut = join(tmpdir(), `${key.slice(0, 8)}\u001b${key.slice(8)}.json`)
    const r = await acoAsync(['analyze', cut])
    expect(r.status).toBe(2)
    expect(r.stdout + r.stderr).not.toContain(key.slice(8))
    expect(r.stdout + r.stderr).toMatch(/\[REDACTED/)
  })
})

/** A control character but a line break (and a tab), what no message may carry. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
