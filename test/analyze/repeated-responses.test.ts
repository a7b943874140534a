import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {fixture} from '../helpers.js'

describe('responses found in more than one file', () => {
  it('a resumed session that copies an earlier response (and its tool call) counts it once', async () => {
    const run = await analyze({paths: [fixture('resumed-session')], home: '/x', env: {}, keepCards: true})
    expect(run.repeatedResponses).toBe(1)
    // split-blocks has 3 responses and 2 tool calls; the resumed file repeats one of each and adds one response
    expect(run.summary.totals.llmCalls).toBe(4)
    expect(run.summary.totals.toolCalls).toBe(2)
    // the file read first keeps the response; the other drops it with the tool call it made, and says so
    const ids = run.cards.flatMap(c => c.steps.map(s => s.id))
    expect(ids.filter(id => id === 'msg_split_1')).toHaveLength(1)
    expect(ids.filter(id => id === 'toolu_read_1')).toHaveLength(1)
    const warned = run.cards.filter(c =>
      c.warnings.some(w => /1 response\(s\) already counted in trace sess-/.test(w.message)),
    )
    expect(warned).toHaveLength(1)
    // the same totals when the cards are not kept (lean cards between threads)
    const lean = await analyze({paths: [fixture('resumed-session')], home: '/x', env: {}})
    expect(lean.summary.totals).toEqual(run.summary.totals)
  })

  it('a file that only copies a session already read adds nothing, not an empty trace', async () => {
    const run = await analyze({
      paths: [fixture('claude-code/split-blocks.jsonl'), fixture('resumed-session/sess-split-0001.jsonl')],
      home: '/x',
      env: {},
    })
    expect(run.repeatedResponses).toBe(3)
    expect(run.summary.traces.map(t => t.id)).toEqual(['sess-split-0001'])
    expect(run.summary.totals.llmCalls).toBe(3)
  })
})

describe('responses of other sessions that carry an id already met', () => {
  it('are not taken for copies when their usage differs: both count, whichever file is read first', async () => {
    const {mkdtempSync, readFileSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const text = readFileSync(fixture('resumed-session/sess-split-0001.jsonl'), 'utf8')
    // Another session whose responses reuse the ids, with other prompts (another usage).
    const other = text
      .replaceAll('sess-split-0001', 'sess-other-0001')
      .replace(/"input_tokens":\s*(\d+)/g, (_, n: string) => `"input_tokens":${Number(n) + 1000}`)
    expect(other).not.toBe(text)
    const totals = []
    for (const [first, second] of [
      ['a.jsonl', 'b.jsonl'],
      ['b.jsonl', 'a.jsonl'],
    ]) {
      const dir = mkdtempSync(join(tmpdir(), 'aco-ids-'))
      writeFileSync(join(dir, first!), text)
      writeFileSync(join(dir, second!), other)
      const run = await analyze({paths: [dir], home: '/x', env: {}})
      expect(run.repeatedResponses).toBe(0)
      totals.push(run.summary.totals)
    }
    expect(totals[0]).toEqual(totals[1])
    const alone = await analyze({paths: [fixture('resumed-session/sess-split-0001.jsonl')], home: '/x', env: {}})
    expect(totals[0]!.llmCalls).toBe(2 * alone.summary.totals.llmCalls)
  })
})

describe('the same figures whether cards are kept or not', () => {
  it('a resumed session that repeats a read: waste is the same with and without the cards', async () => {
    const {mkdtempSync, readFileSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'aco-lean-'))
    const lines = readFileSync(fixture('waste/duplicate-call.jsonl'), 'utf8').trim().split('\n')
    writeFileSync(join(dir, 'a.jsonl'), `${lines.join('\n')}\n`)
    // b: a resumed copy of the first five records, then the Read again under a new message id
    const copy = lines.slice(0, 5).map(l => l.replaceAll('"sessionId":"dup"', '"sessionId":"dup-resumed"'))
    const again = [lines[5]!, lines[6]!].map(l =>
      l
        .replaceAll('"sessionId":"dup"', '"sessionId":"dup-resumed"')
        .replaceAll('msg_dup_8', 'msg_resumed_8')
        .replaceAll('toolu_dup_8', 'toolu_resumed_8')
        .replaceAll('req_dup_8', 'req_resumed_8'),
    )
    writeFileSync(join(dir, 'b.jsonl'), `${[...copy, ...again].join('\n')}\n`)
    const lean = await analyze({paths: [dir], home: '/x', env: {}})
    const whole = await analyze({paths: [dir], home: '/x', env: {}, keepCards: true})
    expect(lean.repeatedResponses).toBe(2)
    expect(lean.summary.totals).toEqual(whole.summary.totals)
    expect(lean.summary.waste).toEqual(whole.summary.waste)
  })
})
