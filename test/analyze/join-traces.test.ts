import {copyFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {validator} from '../../src/util/schemas.js'
import type {TraceCard} from '../../src/card/types.js'
import {fixture} from '../helpers.js'

const run = (paths: string[], keepCards = true) =>
  analyze({paths, home: '/nonexistent', env: {}, keepCards, threads: 1})

describe('a trace split over several files', () => {
  it('is one card: steps of both files in time order, the tool call issued in one file and run in the other counted once', async () => {
    const r = await run([fixture('otel/split')])
    expect(r.cards).toHaveLength(1)
    const card = r.cards[0] as TraceCard
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    expect(card.id).toBe('0af7651916cd43dd8448eb211c80319c')
    expect(card.steps.map(s => [s.kind, s.id, s.tool?.status])).toEqual([
      ['llm', '1000000000000002', undefined],
      ['tool', 'call_run', 'ok'],
      ['llm', '1000000000000004', undefined],
    ])
    expect(card.steps[1]!.parentStepId).toBe('1000000000000002')
    expect(card.steps[0]!.toolStepIds).toEqual(['call_run'])
    expect(card.steps.map(s => s.index)).toEqual([0, 1, 2])
    expect(card.totals).toMatchObject({llmCalls: 2, toolCalls: 1, tokens: {input: 2300, output: 140}})
    const warnings = card.warnings.map(w => w.message).join('\n')
    expect(warnings).toMatch(/joined from 2 files by trace id/)
    expect(warnings).not.toMatch(/parent that is not in this file/)
    expect(r.summary.totals.llmCalls).toBe(2)
  })

  it('pairs a call issued in one file with its tool span in another that names no call id (trial 116): one tool step', async () => {
    for (const [name, tool] of [
      ['split-unnamed-tool', 'search'],
      ['split-unnamed-tool-genai', 'lookup'],
    ] as const) {
      const r = await run([fixture(`otel/${name}`)])
      expect(r.cards, name).toHaveLength(1)
      const card = r.cards[0] as TraceCard
      const tools = card.steps.filter(s => s.kind === 'tool')
      expect(
        tools.map(s => [s.tool!.name, s.tool!.status]),
        name,
      ).toEqual([[tool, 'ok']])
      // Under the call that issued it, the first LLM step, and listed there once.
      const first = card.steps.find(s => s.kind === 'llm')!
      expect(tools[0]!.parentStepId, name).toBe(first.id)
      expect(first.toolStepIds, name).toEqual([tools[0]!.id])
      expect(card.warnings.map(w => w.message).join('\n'), name).not.toMatch(/status unknown/)
      expect(card.source.unissuedTools, name).toBeUndefined()
      const validate = validator('tracecard')
      expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    }
  })

  it('pairs such runs with their own calls by time and arguments, not by the order of the files (review 118)', async () => {
    const card = (await run([fixture('otel/split-unnamed-tool-order')])).cards[0] as TraceCard
    const calls = card.steps.filter(s => s.kind === 'llm').map(s => s.id)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => [s.parentStepId, s.tool!.arguments, s.tool!.status])).toEqual([
      [calls[0], {q: 'one'}, 'ok'],
      [calls[1], {q: 'two'}, 'ok'],
    ])
    expect(card.warnings.map(w => w.message).join('\n')).not.toMatch(/status unknown/)
    // A run that started before its call's span ended (a streamed call's tool) is the call's too.
    const inside = (await run([fixture('otel/split-unnamed-tool-inside-call')])).cards[0] as TraceCard
    expect(inside.totals.toolCalls).toBe(1)
    expect(inside.steps.find(s => s.kind === 'tool')!.tool!.status).toBe('ok')
  })

  it('counts a span found in two files (a copy) once, and the summary agrees when cards travel lean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-join-'))
    copyFileSync(fixture('otel/nested-usage.json'), join(dir, 'a.json'))
    copyFileSync(fixture('otel/nested-usage.json'), join(dir, 'b.json'))
    const kept = await run([dir])
    expect(kept.cards).toHaveLength(1)
    expect(kept.cards[0]!.totals.llmCalls).toBe(1)
    expect(kept.cards[0]!.warnings.map(w => w.message).join('\n')).toMatch(/1 step\(s\) appear in more than one file/)
    const lean = await run([dir], false)
    expect(lean.summary.totals).toEqual(kept.summary.totals)
  })

  it('leaves traces of other ids, and formats without trace ids, as they were', async () => {
    const r = await run([fixture('otel/otlp-agent-trace.json'), fixture('otel/nested-usage.json'), fixture('codex')])
    const otel = r.cards.filter(c => c.source.format === 'otel')
    expect(otel.map(c => c.id).sort()).toEqual(['5b8efff798038103d269b633813fc60c', '7d2c000000000000000000000000abcd'])
    expect(otel.every(c => !c.warnings.some(w => /joined from/.test(w.message)))).toBe(true)
    expect(r.cards.some(c => c.source.format === 'codex')).toBe(true)
  })

  it('a call in one file under a call in another, both stating the same usage, counts once: as when both sit in one file', async () => {
    const r = await run([fixture('otel/split-nested')])
    expect(r.cards).toHaveLength(1)
    const card = r.cards[0] as TraceCard
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)
    // The framework's chat span (c…02) repeats the SDK's (d…02) under it, through an HTTP span in the other file.
    expect(card.steps.map(s => [s.kind, s.id])).toEqual([
      ['llm', 'd000000000000002'],
      ['llm', 'd000000000000003'],
    ])
    expect(card.totals).toMatchObject({llmCalls: 2, tokens: {input: 300 + 900, cacheRead: 1500, output: 220 + 40}})
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(
      /1 LLM span\(s\) in one file repeat the usage of LLM spans under them in another: counted once/,
    )
    expect(card.source.parentSpans).toBeUndefined()
    // The same spans in one file: the same totals.
    const dir = mkdtempSync(join(tmpdir(), 'aco-join-'))
    const docs = ['framework.json', 'sdk.json'].map(
      n => JSON.parse(readFileSync(fixture(`otel/split-nested/${n}`), 'utf8')) as {resourceSpans: unknown[]},
    )
    writeFileSync(join(dir, 'one.json'), JSON.stringify({resourceSpans: docs.flatMap(d => d.resourceSpans)}))
    const whole = await run([dir])
    expect(whole.cards).toHaveLength(1)
    expect(whole.cards[0]!.totals).toEqual(card.totals)
    expect(whole.cards[0]!.steps.map(s => s.id)).toEqual(card.steps.map(s => s.id))
    // Lean cards: the same summary.
    expect((await run([fixture('otel/split-nested')], false)).summary.totals).toEqual(r.summary.totals)
  })

  it('says so when the calls under a roll-up in another file do not add up to its usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-join-'))
    copyFileSync(fixture('otel/split-nested/framework.json'), join(dir, 'framework.json'))
    const sdk = readFileSync(fixture('otel/split-nested/sdk.json'), 'utf8').replace(/"220"/, '"200"')
    writeFileSync(join(dir, 'sdk.json'), sdk)
    const card = (await run([dir])).cards[0] as TraceCard
    expect(card.totals.llmCalls).toBe(2)
    expect(card.warnings.map(w => w.message).join('\n')).toMatch(
      /span c000000000000002: states 1800 input and 220 output tokens, the calls under it in other files add up to 1800 and 200/,
    )
  })

  it("an agent span's usage, its calls cut over two batches: compared again once joined, said only where it still differs (trial 85)", async () => {
    // One file alone: the agent states 3000 in, 300 out, and holds one call of 1000 and 100.
    const one = (await run([fixture('otel/split-agent-usage/batch-1.json')])).cards[0] as TraceCard
    expect(one.warnings.map(w => w.message)).toContain(
      'span invoke_agent coder: states 3000 input and 300 output tokens, its calls add up to 1000 and 100',
    )
    // Both: its second call is in the next batch, and the two add up to what it states.
    const both = (await run([fixture('otel/split-agent-usage')])).cards[0] as TraceCard
    expect(both.totals.tokens).toMatchObject({input: 3000, output: 300})
    expect(both.warnings.map(w => w.message).join('\n')).not.toMatch(/states \d+ input/)
    expect(both.source.rollupUsage).toBeUndefined()
    expect(validator('tracecard')(both)).toBe(true)
    // Stating more than all its calls in every file: said again, of the joined calls.
    const dir = mkdtempSync(join(tmpdir(), 'aco-join-'))
    writeFileSync(
      join(dir, 'batch-1.json'),
      readFileSync(fixture('otel/split-agent-usage/batch-1.json'), 'utf8').replace('"3000"', '"3500"'),
    )
    copyFileSync(fixture('otel/split-agent-usage/batch-2.json'), join(dir, 'batch-2.json'))
    const more = (await run([dir])).cards[0] as TraceCard
    expect(more.warnings.map(w => w.message)).toContain(
      'span invoke_agent coder: states 3500 input and 300 output tokens, its calls add up to 3000 and 300',
    )
    expect(more.warnings.map(w => w.message).join('\n')).not.toMatch(/add up to 1000 and 100/)
  })

  it('a trace read from one file keeps no span tree on its card', async () => {
    const r = await run([fixture('otel/nested-usage.json')])
    expect(r.cards[0]!.source.parentSpans).toBeUndefined()
  })
})
