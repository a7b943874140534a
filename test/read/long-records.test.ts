/**
 * Detection reads whole records, however long (bounded by the line limit),
 * never a fixed prefix of the file: a session that opens with a pasted prompt
 * of 90 KB, a Codex rollout whose session_meta is 80 KB, and a valid file of
 * one record of 0.6 or 17 MB are read as what they are. A detection failure is
 * never reported as a JSON error pinned on a record.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {WHOLE_FILE_LIMIT, firstLines, openTraceFile} from '../../src/discover/read.js'
import {readTraceFile} from '../../src/read/read-file.js'
import {fixture, llmSteps, read} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-long-'))

describe('detection on long records', () => {
  it('reads a Claude Code session whose first record is a pasted prompt of 90 KB', async () => {
    const path = fixture('claude-code/long-first-prompt.jsonl')
    expect(readFileSync(path, 'utf8').split('\n')[0]!.length).toBeGreaterThan(90_000)
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.format).toBe('claude-code')
    const card = result.cards[0]!
    expect(card.totals.llmCalls).toBe(2)
    expect(card.title).toMatch(/^Why do some requests fail with 500\?/)
  })

  it('reads a Codex rollout whose session_meta is 80 KB, its totals exact', async () => {
    const path = fixture('codex/long-session-meta.jsonl')
    expect(readFileSync(path, 'utf8').split('\n')[0]!.length).toBeGreaterThan(78_000)
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.format).toBe('codex')
    const card = result.cards[0]!
    expect(card.totals.llmCalls).toBe(2)
    expect(card.totals.tokens).toMatchObject({input: 48300 - 25800, cacheRead: 25800, output: 212})
  })

  it.each([
    ['0.6 MB', 600_000],
    ['17 MB, read in chunks', WHOLE_FILE_LIMIT + 1_000_000],
  ])('reads a valid file of one record of %s', async (_name, size) => {
    // The last response of the pasted-prompt session, alone in its file, with an answer of `size` characters.
    const last = readFileSync(fixture('claude-code/long-first-prompt.jsonl'), 'utf8').trim().split('\n').pop()!
    const record = JSON.parse(last) as {message: {content: Array<{text: string}>}}
    record.message.content[0]!.text = 'The handler divides by zero. '.repeat(Math.ceil(size / 29))
    const path = join(dir, `one-record-${size}.jsonl`)
    writeFileSync(path, `${JSON.stringify(record)}\n`)
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.format).toBe('claude-code')
    expect(llmSteps(result.cards[0]!)).toHaveLength(1)
  })

  it('reads a rollout whose first line is broken: that line is skipped, the rest read', async () => {
    const lines = readFileSync(fixture('codex/long-session-meta.jsonl'), 'utf8').split('\n')
    const path = join(dir, 'cut-first-line.jsonl')
    writeFileSync(path, [lines[0]!.slice(0, 5000), ...lines.slice(1)].join('\n'))
    const result = await read(path)
    expect(result.format).toBe('codex')
    expect(result.skipped).toEqual([expect.objectContaining({line: 1, reason: expect.stringMatching(/^invalid JSON/)})])
    expect(result.cards[0]!.totals.llmCalls).toBe(2)
  })

  it("a broken line's reason quotes none of it (trial 124: JSON.parse's excerpt held 10 characters of a key)", async () => {
    const lines = readFileSync(fixture('codex/long-session-meta.jsonl'), 'utf8').split('\n')
    const path = join(dir, 'unquoted-key.jsonl')
    writeFileSync(path, [lines[0], '{"type":"note","key": AKIA4HAFCFGW7QXJ2M5N}', ...lines.slice(1)].join('\n'))
    const result = await read(path)
    expect(result.format).toBe('codex')
    expect(result.skipped).toEqual([
      expect.objectContaining({line: 2, reason: "invalid JSON: Unexpected token 'A': not valid JSON"}),
    ])
  })

  it('says what a file of unknown records is, not that its JSON is invalid', async () => {
    const path = join(dir, 'other-records.jsonl')
    const long = {kind: 'metric', name: 'latency', note: 'x'.repeat(100_000)}
    writeFileSync(path, `${JSON.stringify(long)}\n${JSON.stringify({kind: 'metric', name: 'errors'})}\n`)
    const result = await read(path)
    expect(result.skipped).toEqual([{path, reason: expect.stringMatching(/^unknown format/)}])
  })

  it('reports a broken JSON document once, for the file, not as an error in a record', async () => {
    const path = join(dir, 'broken.json')
    writeFileSync(path, '{\n  "trajectory": [\n    {"action": "ls"},\n')
    const result = await read(path)
    // (Cut short while written: said so, for the file.)
    expect(result.skipped).toEqual([
      {path, reason: expect.stringMatching(/^truncated: the file ends inside a JSON value.*, at line 3$/)},
    ])
    // Cut after a number or a key (V8 says "Expected ',' or '}'" there, not "Unexpected end"): cut short too.
    for (const [name, text] of [
      ['cut-after-number.jsonl', '{"type":"assistant","message":{"id":"msg_1","usage":{"input_tokens":5'],
      ['cut-after-key.json', '{\n  "trajectory": [\n    {"action": "ls", "observation"'],
    ] as const) {
      const cut = join(dir, name)
      writeFileSync(cut, text)
      expect((await read(cut)).skipped, name).toEqual([
        {path: cut, reason: expect.stringMatching(/^truncated: the file ends inside a JSON value/)},
      ])
    }
    // Broken otherwise: neither JSONL nor a JSON document.
    const other = join(dir, 'broken-mid.json')
    writeFileSync(other, '{\n  "trajectory": [\n    {"action": "ls"} {"action": "pwd"}\n  ]\n}\n')
    expect((await read(other)).skipped).toEqual([
      {path: other, reason: expect.stringMatching(/^not JSONL .* not a JSON document/)},
    ])
    // A first JSONL line of many megabytes that never ends.
    const huge = join(dir, 'huge-cut.jsonl')
    writeFileSync(huge, `{"type":"user","message":{"content":"${'x'.repeat(3_000_000)}\n`)
    expect((await read(huge)).skipped).toEqual([{path: huge, reason: expect.stringMatching(/^truncated: /)}])
  })

  it('a format forced on a short file of another: one reason for the file, not one per line', async () => {
    const path = join(dir, 'three-claude-lines.jsonl')
    writeFileSync(path, readFileSync(fixture('waste/duplicate-call.jsonl'), 'utf8').split('\n').slice(0, 3).join('\n'))
    const result = await readTraceFile(path, {format: 'codex'})
    expect(result.cards).toEqual([])
    expect(result.skipped).toEqual([
      {
        path,
        reason: expect.stringMatching(
          /^not a Codex CLI rollout \(--format codex\): none of its records reads as one, e\.g\. line 1: /,
        ),
      },
    ])
  })

  it('reads first lines whole, and passes over a line past the line limit', () => {
    const path = join(dir, 'lines.jsonl')
    writeFileSync(path, `${'a'.repeat(300)}\n\n${'b'.repeat(10)}\n${'c'.repeat(10)}\n`)
    const file = openTraceFile(path)
    expect(firstLines(file, 2)).toEqual({lines: ['a'.repeat(300), 'b'.repeat(10)], more: true, tooLong: false})
    expect(firstLines(file, 5)).toEqual({
      lines: ['a'.repeat(300), 'b'.repeat(10), 'c'.repeat(10)],
      more: false,
      tooLong: false,
    })
    // The line past the limit is passed over, as the reader passes it over: the lines after it tell the format.
    expect(firstLines(file, 5, 100)).toEqual({lines: ['b'.repeat(10), 'c'.repeat(10)], more: false, tooLong: true})
    writeFileSync(path, `${'a'.repeat(300)}\n`)
    expect(firstLines(openTraceFile(path), 5, 100)).toEqual({lines: [], more: false, tooLong: true})
  })

  it('reads a Claude Code session whose first line is past the line limit, naming that line skipped', async () => {
    // A pasted file of 65 MiB as the first prompt: the session had been given up whole as "no JSON document".
    const path = join(dir, 'huge-first-line.jsonl')
    const record = (i: number, extra: object) =>
      JSON.stringify({
        type: 'assistant',
        sessionId: 's-huge',
        uuid: `u${i}`,
        timestamp: `2026-01-01T00:00:0${i}Z`,
        requestId: `req_${i}`,
        message: {
          id: `msg_${i}`,
          role: 'assistant',
          model: 'claude-sonnet-4-20250514',
          content: [{type: 'text', text: 'ok'}],
          usage: {input_tokens: 10, output_tokens: 5},
        },
        ...extra,
      })
    const pasted = JSON.stringify({
      type: 'user',
      sessionId: 's-huge',
      uuid: 'u0',
      timestamp: '2026-01-01T00:00:00Z',
      message: {role: 'user', content: 'y'.repeat(65 * 1024 * 1024)},
    })
    writeFileSync(path, `${pasted}\n${record(1, {})}\n${record(2, {})}\n`)
    const result = await read(path)
    expect(result.format).toBe('claude-code')
    expect(result.cards[0]!.totals.llmCalls).toBe(2)
    expect(result.skipped).toEqual([{path, line: 1, reason: 'a line longer than 64 MiB: not a trace record, skipped'}])
  })
})
