/** --out-format parquet: two tables that give back aco's totals, read with an independent Parquet reader. */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parquetMetadata, parquetReadObjects} from 'hyparquet'
import {afterAll, describe, expect, it} from 'vitest'
import {CardBuilder} from '../../src/card/build.js'
import {openCardsWriter} from '../../src/analyze/cards-writer.js'
import {openParquetWriter} from '../../src/analyze/parquet-writer.js'
import {toNano} from '../../src/util/exact.js'
import {runAnalyze} from '../../src/services/analyze.js'
import {fixture} from '../helpers.js'

const tmp = mkdtempSync(join(tmpdir(), 'aco-parquet-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

async function table(path: string): Promise<Array<Record<string, unknown>>> {
  const bytes = readFileSync(path)
  return parquetReadObjects({file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)})
}

describe('--out-format parquet', () => {
  it('writes cards.parquet (a row per card) and steps.parquet (a row per step) whose sums are the totals', async () => {
    const out = join(tmp, 'out')
    const {result} = await runAnalyze({
      // (gemini/stream-usage-grows.responses: Gemini API responses name no model, so none of its calls has a price.)
      paths: [
        fixture('claude-code'),
        fixture('codex'),
        fixture('waste'),
        fixture('gemini/stream-usage-grows.responses'),
      ],
      outDir: out,
      outFormat: 'parquet',
      cache: false,
      redact: true,
      home: '/x',
      env: {},
      version: 't',
      now: () => new Date(0),
    })
    expect(result.written?.cards).toBe(join(out, 'cards.parquet'))
    const cards = await table(join(out, 'cards.parquet'))
    const steps = await table(join(out, 'steps.parquet'))
    expect(cards.map(c => c.id)).toEqual(result.traces.map(t => t.id))
    expect(cards.filter(c => c.parent_id !== null).length).toBe(result.traces.filter(t => t.parentId).length)
    expect(steps.length).toBe(result.totals.steps)
    expect(steps.filter(s => s.kind === 'llm').length).toBe(result.totals.llmCalls)
    const nano = (rows: Array<Record<string, unknown>>, key: string): number =>
      rows.reduce((n, r) => n + toNano((r[key] as number | null) ?? 0), 0)
    expect(nano(steps, 'cost_usd')).toBe(toNano(result.totals.costUsd))
    expect(nano(steps, 'wasted_usd')).toBe(toNano(result.totals.wastedUsd))
    expect(steps.reduce((n, s) => n + Number(s.output_tokens), 0)).toBe(result.totals.tokens.output)
    const timed = steps.find(s => s.started_at !== null)
    expect(timed?.started_at).toBeInstanceOf(Date)
    // An unpriced call is null, never $0.
    expect(steps.filter(s => s.kind === 'llm' && s.cost_usd === null).length).toBe(result.totals.unpricedCalls)
    // So is a card none of whose calls has a price (trial 82: 0.0); a card with some priced sums those.
    const unknown = cards.filter(c => Number(c.llm_calls) > 0 && Number(c.unpriced_calls) === Number(c.llm_calls))
    expect(unknown.length).toBeGreaterThan(0)
    for (const c of unknown) {
      expect(c.cost_usd, String(c.id)).toBeNull()
      expect(c.wasted_usd, String(c.id)).toBeNull()
    }
    for (const c of cards.filter(c => !unknown.includes(c))) expect(typeof c.cost_usd, String(c.id)).toBe('number')
  })
})

describe('the Parquet writer, over more rows than one row group holds', () => {
  it('writes every row once, in order, in groups of bounded size (each row read as it comes)', async () => {
    const dir = mkdtempSync(join(tmp, 'groups-'))
    const b = new CardBuilder('claude-code', 'many.jsonl')
    for (let k = 0; k < 12_500; k++) {
      const llm = b.addLlm({
        model: 'claude-sonnet-4-5-20250929',
        tokens: {input: k, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0},
        startedAt: new Date(Date.UTC(2026, 0, 1) + k * 1000).toISOString(),
      })
      b.addToolCall(llm, `toolu_${k}`, 'Read', {file_path: `/repo/f${k % 50}.ts`})
      b.resolveTool(`toolu_${k}`, {status: 'ok', output: 'x'})
    }
    const card = b.build({id: 'many'})
    const writer = openParquetWriter(dir, {redact: false})
    writer.write([card])
    writer.commit()
    const bytes = readFileSync(join(dir, 'steps.parquet'))
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const groups = parquetMetadata(file).row_groups.map(g => Number(g.num_rows))
    expect(groups.reduce((a, n) => a + n, 0)).toBe(25_000)
    expect(groups.length).toBeGreaterThan(1)
    const steps = await table(join(dir, 'steps.parquet'))
    expect(steps.map(s => s.step_index)).toEqual(card.steps.map(s => s.index))
    expect(steps.filter(s => s.kind === 'llm').map(s => Number(s.input_tokens))).toEqual(
      Array.from({length: 12_500}, (_, k) => k),
    )
    expect(new Set(steps.map(s => s.trace_id))).toEqual(new Set(['many']))
  })
})

describe('the Parquet tables, redacted', () => {
  it('hold each string as cards.ndjson holds it, and no secret', async () => {
    const key = 'ghp_NqVwYS81VP7xKd02LmQaZ9tRbC4uEwHj6sYf'
    const b = new CardBuilder('claude-code', `/home/dev/${key}/session.jsonl`)
    const llm = b.addLlm({
      model: 'claude-sonnet-4-5-20250929',
      tokens: {input: 10, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0},
      startedAt: '2026-01-01T00:00:00.000Z',
    })
    b.addToolCall(llm, `toolu_${key}`, 'Bash', {command: `export GITHUB_TOKEN=${key}`})
    b.resolveTool(`toolu_${key}`, {status: 'ok', output: key})
    const card = b.build({id: `s-${key}`, sessionId: key, title: `deploy with ${key}`, cwd: `/home/dev/${key}`})
    const pq = mkdtempSync(join(tmp, 'redacted-pq-'))
    const nd = mkdtempSync(join(tmp, 'redacted-nd-'))
    for (const [dir, open] of [
      [pq, openParquetWriter],
      [nd, openCardsWriter],
    ] as const) {
      const writer = open(dir, {redact: true})
      writer.write([card])
      writer.commit()
    }
    for (const name of ['cards.parquet', 'steps.parquet'])
      expect(readFileSync(join(pq, name)).includes(key)).toBe(false)
    const shown = JSON.parse(readFileSync(join(nd, 'cards.ndjson'), 'utf8').split('\n')[0]!)
    const [row] = await table(join(pq, 'cards.parquet'))
    expect(row).toMatchObject({
      id: shown.id,
      path: shown.source.path,
      session_id: shown.sessionId,
      title: shown.title,
      cwd: shown.cwd,
      models: shown.models.join(','),
    })
    expect(String(row?.id)).toContain('[REDACTED')
    expect(String(row?.title)).toContain('[REDACTED')
    const steps = await table(join(pq, 'steps.parquet'))
    expect(steps.map(s => [s.trace_id, s.step_id, s.parent_step_id ?? undefined])).toEqual(
      shown.steps.map((s: {id: string; parentStepId?: string}) => [shown.id, s.id, s.parentStepId]),
    )
  })
})
