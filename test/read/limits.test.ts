/**
 * Input that used to crash or hang a read: a record nested 100,000 levels deep
 * (a stack overflow reported as an internal error, its line both skipped and
 * counted), a file still being written (read to its live end forever), and a
 * report over 150,000 LLM calls (`Math.max(...bars)` overflowed the stack).
 */
import {appendFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {forEachLine, type TraceFile} from '../../src/discover/read.js'
import {readTraceFile} from '../../src/read/read-file.js'
import {costPerStepSvg} from '../../src/report/svg.js'
import {cutDeeperThan, jsonDeeperThan, valueDeeperThan} from '../../src/util/depth.js'
import {fixture} from '../helpers.js'
import {claudeSession} from '../support/traces.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-read-limits-'))

describe('records nested too deeply', () => {
  it('jsonDeeperThan counts only brackets outside strings', () => {
    expect(jsonDeeperThan('[[[1]]]', 3)).toBe(false)
    expect(jsonDeeperThan('[[[[1]]]]', 3)).toBe(true)
    expect(jsonDeeperThan(JSON.stringify({a: '[[[[[[[[', b: '\\"[[[['}), 3)).toBe(false)
    expect(valueDeeperThan([[[[1]]]], 3)).toBe(true)
    expect(valueDeeperThan({a: [{b: 1}]}, 3)).toBe(false)
  })

  it('a line nested 100,000 levels deep is skipped with its line, not counted, and is no internal error', async () => {
    const [prompt, call, ...rest] = claudeSession({
      prompt: 'hi',
      calls: [{tools: [{name: 'Bash', input: {command: 'X'}, output: 'ok'}]}, {text: 'done'}],
    })
    const deep = call!.replace('"X"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)
    const path = join(dir, 'deep.jsonl')
    writeFileSync(path, `${[prompt, deep, ...rest].join('\n')}\n`)
    const result = await readTraceFile(path)
    expect(result.skipped).toEqual([
      {path, line: 2, reason: 'nested deeper than 512 levels: not a trace record, skipped'},
    ])
    expect(result.internalErrors).toBe(0)
    const card = result.cards[0]!
    // only the second call (the last assistant line) is counted
    expect(card.totals.llmCalls).toBe(1)
  })
})

describe('a JSON document with one value nested too deeply', () => {
  it('cuts that value where it goes too deep and reads the rest of the document (an OpenHands trajectory)', async () => {
    const events = JSON.parse(readFileSync(fixture('openhands/llm-metrics-per-call.json'), 'utf8')) as Array<
      Record<string, unknown>
    >
    const whole = await readTraceFile(fixture('openhands/llm-metrics-per-call.json'))
    expect(whole.skipped).toEqual([])
    // One observation's extras hold a value 100,000 levels deep: before, the whole file was skipped.
    const observation = events.findIndex(e => e.observation !== undefined && e.extras !== undefined)
    expect(observation).toBeGreaterThan(0)
    const text = JSON.stringify(events, null, 1).replace(
      /"extras": \{/,
      `"extras": {"deep": ${'['.repeat(100_000)}${']'.repeat(100_000)},`,
    )
    const path = join(dir, 'deep-openhands.json')
    writeFileSync(path, text)
    const result = await readTraceFile(path)
    expect(result.internalErrors).toBe(0)
    expect(result.skipped).toEqual([
      {path, reason: '1 value nested deeper than 512 levels: cut there, the rest of the file read'},
    ])
    expect(result.cards.map(c => c.totals)).toEqual(whole.cards.map(c => c.totals))
    expect(cutDeeperThan([[[[1]]], {a: {b: 2}}], 2)).toBe(2)
  })
})

describe('a file still being written', () => {
  it('is read up to the size it had when opened', () => {
    const path = join(dir, 'live.jsonl')
    writeFileSync(path, '{"a":1}\n{"a":2}\n')
    const file: TraceFile = {
      path,
      size: 16,
      dataEnd: 16,
      nulPadding: 0,
      encoding: 'utf8',
      lineBreaks: 'lf',
      head: '',
      complete: false,
      binary: false,
    }
    appendFileSync(path, '{"a":3}\n'.repeat(1000))
    const lines: string[] = []
    forEachLine(file, text => lines.push(text))
    expect(lines).toEqual(['{"a":1}', '{"a":2}'])
  })
})

describe('the report chart over many calls', () => {
  it('draws 150,000 calls in at most 600 bars, without overflowing the stack', () => {
    const bars = Array.from({length: 150_000}, (_, i) => ({index: i, costUsd: (i % 7) / 1000, wastedUsd: 0}))
    const svg = costPerStepSvg('long session', bars)
    expect(svg.match(/<rect /g)!.length).toBeLessThanOrEqual(600 + 3)
    expect(svg).toContain('LLM calls in order (150000, 250 a bar)')
    expect(svg.length).toBeLessThan(200_000)
  })
})

describe('a record of millions of values', () => {
  // One line of ten million `{}` took a gigabyte to parse: counted before JSON.parse sees it, and skipped.
  const huge = `[${'{},'.repeat(1_200_000)}{}]`

  it('is skipped with its line inside a session, the other records read', async () => {
    const [prompt, call, ...rest] = claudeSession({
      prompt: 'hi',
      calls: [{tools: [{name: 'Bash', input: {command: 'ls'}, output: 'ok'}]}, {text: 'done'}],
    })
    const path = join(dir, 'many-values.jsonl')
    writeFileSync(path, `${[prompt, huge, call, ...rest].join('\n')}\n`)
    const result = await readTraceFile(path)
    expect(result.format).toBe('claude-code')
    expect(result.skipped).toEqual([
      {path, line: 2, reason: 'more than 1,000,000 objects and arrays: not a trace record, skipped'},
    ])
    expect(result.cards[0]!.steps.length).toBeGreaterThan(0)
  })

  it('as the only line of a file: one reason, never parsed', async () => {
    const path = join(dir, 'only-values.jsonl')
    writeFileSync(path, `${huge}\n`)
    const result = await readTraceFile(path)
    expect(result.cards).toEqual([])
    expect(result.skipped).toEqual([{path, reason: 'more than 1,000,000 objects and arrays: not a trace, skipped'}])
  })
})
