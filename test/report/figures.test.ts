/**
 * What the screen and the Markdown report say where a figure is missing or partial (issue 10, items 6–8):
 * an unpriced call is never $0, a cut table says so and how to see all, cache use a format does not record
 * is "not recorded", a recorded cost is compared over the traces that record it, and input with nothing to
 * count says what was found and why.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {toResult, type AnalyzeResult} from '../../src/analyze/result.js'
import {renderMarkdownReport} from '../../src/report/markdown.js'
import {renderAnalyze} from '../../src/report/terminal.js'
import {costText, usd, usdAxis} from '../../src/util/format.js'
import {costOverTimeSvg, costPerStepSvg, sparkline, type TimeBar as TimeBarOf} from '../../src/report/svg.js'
import {redactValue} from '../../src/util/redact.js'
import {validator} from '../../src/util/schemas.js'
import {fixture, root} from '../helpers.js'

/** A row of a `--by` grouping: one step of `calls` LLM calls, costing `costUsd`, `wastedUsd` of it wasted. */
function groupRow(key: string, costUsd: number, wastedUsd: number, calls: number) {
  return {
    key,
    costUsd,
    wastedUsd,
    tokens: {input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0},
    steps: 1,
    llmCalls: calls,
    toolCalls: 0,
    traces: 1,
  }
}

async function result(paths: string[]): Promise<AnalyzeResult> {
  const r = toResult(await analyze({paths, home: '/x', env: {}}))
  const validate = validator('analyze-result')
  expect(validate(r), JSON.stringify(validate.errors)).toBe(true)
  return r
}
const screen = (r: AnalyzeResult): string => renderAnalyze(r, {width: 100, color: false, top: 10})
const report = (r: AnalyzeResult): string =>
  renderMarkdownReport(r, [], {assetsDir: 'r-assets', generatedAt: '2026-03-01T00:00:00Z', version: '0.0.0'}).markdown

describe('dollars', () => {
  it('put the sign before the dollar sign', () => {
    expect([usd(-0.0006), usd(-12.5), usd(-1234), usdAxis(-0.5)]).toEqual(['-$0.0006', '-$12.50', '-$1,234', '-$0.500'])
    expect([usd(0.0006), usd(12.5), usdAxis(2)]).toEqual(['$0.0006', '$12.50', '$2.00'])
  })

  it('never print a cost that is not nothing as $0.0000', () => {
    expect([usd(0.00000975), usd(-0.00000975), usdAxis(0.00000975), usdAxis(0)]).toEqual([
      '<$0.0001',
      '-<$0.0001',
      '<$0.0001',
      '$0',
    ])
    expect(usd(0)).toBe('$0.00')
  })
})

describe('never $0 for an unknown cost (item 6)', () => {
  it("the cost-over-time chart's tooltips say a bar's unpriced calls, as the tables do", () => {
    const svg = costOverTimeSvg('Cost per day (UTC)', [
      {label: '2026-02-27', costUsd: 0.5, wastedUsd: 0, unpricedCalls: 1},
      {label: '2026-02-28', costUsd: 0, wastedUsd: 0, unpricedCalls: 5},
      {label: '2026-03-01', costUsd: 0.00000975, wastedUsd: 0},
    ])
    expect(svg).toContain('<title>2026-02-27: $0.500 + 1 unpriced call</title>')
    expect(svg).toContain('<title>2026-02-28: — (5 unpriced calls)</title>')
    expect(svg).toContain('<title>2026-03-01: &lt;$0.0001</title>')
    // A floor, as the tables mark it (trial 131).
    const floor = costOverTimeSvg('Cost per month (UTC)', [
      {label: '2026-03', costUsd: 492.29, wastedUsd: 0, floor: true},
    ])
    expect(floor).toContain('<title>2026-03: ≥$492.29</title>')
    expect(svg).not.toContain('$0.0000')
  })

  it("the cost-over-time chart's axis labels never cover each other; the last, `(no time)`, is always drawn", () => {
    // 470 days and the steps with no time: the last day's label fell a bar before `(no time)`, the two drawn over each other.
    const day = (i: number) => new Date(Date.UTC(2025, 0, 27 + i)).toISOString().slice(0, 10)
    const spaced = (bars: TimeBarOf[]) => {
      const svg = costOverTimeSvg('Cost per day (UTC)', bars)
      const drawn = [
        ...svg.matchAll(/<text x="([\d.]+)" y="\d+" text-anchor="middle" fill="#555">([^<]+)<\/text>/g),
      ].map(m => ({x: Number(m[1]), text: m[2]!}))
      for (let i = 1; i < drawn.length; i++) {
        const [a, b] = [drawn[i - 1]!, drawn[i]!]
        const room = (a.text.length + b.text.length) * 6.2 * 0.5
        expect(b.x - a.x, `${a.text} and ${b.text}`).toBeGreaterThanOrEqual(room)
      }
      return drawn
    }
    const drawn = spaced([
      ...Array.from({length: 470}, (_, i) => ({label: day(i), costUsd: 1, wastedUsd: 0})),
      {label: '(no time)', costUsd: 1, wastedUsd: 0},
    ])
    expect(drawn.length).toBeGreaterThan(5)
    expect(drawn[0]!.text).toBe('2025-01-27')
    expect(drawn.at(-1)!.text).toBe('(no time)')
    // Blocks of several agents, named by start and agent, ~170 px each (trial 131: drawn every 70 px, run together).
    const blocks = spaced(
      Array.from({length: 40}, (_, i) => ({
        label: `${day(i)} 10:00 ${i % 2 ? 'claude-code' : 'gemini-cli'}`,
        costUsd: 1,
        wastedUsd: 0,
      })),
    )
    expect(blocks.length).toBeGreaterThan(2)
  })

  it('spaces the cost-over-time chart by time: a week with no call is an empty place, steps with no time last', async () => {
    const r = await result([fixture('claude-code')])
    const row = (key: string, costUsd: number) => groupRow(key, costUsd, 0, 1)
    // (2027-W03 holds a call with no price beside priced ones: drawn by its priced cost, the tallest.)
    const w03 = {...row('2027-W03', 2), unpricedCalls: 1}
    r.groups = {by: 'week', timeZone: 'UTC', rows: [row('2026-W52', 1), w03, row('(no time)', 0.5)]}
    const out = renderMarkdownReport(r, [], {assetsDir: 'r-assets', generatedAt: '2026-03-01T00:00:00Z', version: '0'})
    const svg = out.assets.find(a => a.name === 'cost-over-time.svg')!.content
    const titles = [...svg.matchAll(/<rect [^>]*><title>([^:<]+):/g)].map(m => m[1])
    expect(titles).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02', '2027-W03', '(no time)'])
    expect(svg).toContain('<title>2027-W01: $0</title>')
    expect(out.markdown).toContain('`▄   █▂`\n')
    // Past 60 periods a character sums several, and the line says how many (trial 72: 69 weeks in 35 characters, a
    // blank read as one empty week).
    r.groups = {by: 'week', timeZone: 'UTC', rows: [row('2025-W01', 1), row('2026-W17', 2)]}
    const many = renderMarkdownReport(r, [], {assetsDir: 'r-assets', generatedAt: '2026-03-01T00:00:00Z', version: '0'})
    expect(many.markdown).toMatch(
      /`▄ +█` \(a character for every 2 weeks, in order; blank: none of them cost anything\)/,
    )
    r.groups = {by: 'week', timeZone: 'UTC', rows: [row('2026-W52', 1), w03, row('(no time)', 0.5)]}
    // The table lists the weeks that had calls, as --json does.
    expect(out.markdown).not.toMatch(/\| 2027-W01 \|/)
    expect(out.markdown).toMatch(/\| 2027-W03 \|/)
    expect(out.markdown).not.toMatch(/side by side/)
    // Every label stands inside the chart: `(no time)`, last of two years of weeks, at the right edge, was cut off
    // (trial 31).
    r.groups = {by: 'week', timeZone: 'UTC', rows: [row('2025-W01', 1), row('2026-W52', 2), row('(no time)', 0.5)]}
    const weeks = renderMarkdownReport(r, [], {
      assetsDir: 'r-assets',
      generatedAt: '2026-03-01T00:00:00Z',
      version: '0',
    })
    const weeksSvg = weeks.assets.find(a => a.name === 'cost-over-time.svg')!.content
    const width = Number(/<svg [^>]*width="(\d+)"/.exec(weeksSvg)![1])
    const labels = [...weeksSvg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="middle"[^>]*>([^<]+)<\/text>/g)]
    expect(labels.map(m => m[2])).toContain('(no time)')
    for (const m of labels) expect(Number(m[1]) + (m[2]!.length * 6.2) / 2, m[2]).toBeLessThanOrEqual(width)
    // A span of more days than a chart spaces by time (a stray date of 1999 among this year's): the bars of the days
    // with calls side by side, and the chart and the report say so (trial 31).
    r.groups = {by: 'day', timeZone: 'UTC', rows: [row('1999-01-01', 1), row('2026-06-01', 2), row('2026-06-02', 3)]}
    const far = renderMarkdownReport(r, [], {assetsDir: 'r-assets', generatedAt: '2026-03-01T00:00:00Z', version: '0'})
    const farSvg = far.assets.find(a => a.name === 'cost-over-time.svg')!.content
    expect([...farSvg.matchAll(/<rect [^>]*><title>([^:<]+):/g)].map(m => m[1])).toEqual([
      '1999-01-01',
      '2026-06-01',
      '2026-06-02',
    ])
    expect(farSvg).toMatch(/<title>Cost per day \(UTC\), the periods with calls side by side: not to scale in time/)
    // The line drawn is cut to the chart's width (a long zone's name ran past it; review 32); the title element whole.
    r.groups = {...r.groups, timeZone: 'America/Argentina/ComodRivadavia'}
    const long = renderMarkdownReport(r, [], {assetsDir: 'r-assets', generatedAt: '2026-03-01T00:00:00Z', version: '0'})
    const longSvg = long.assets.find(a => a.name === 'cost-over-time.svg')!.content
    const drawn = /<text x="\d+" y="15"[^>]*>([^<]+)<\/text>/.exec(longSvg)![1]!
    expect(56 + drawn.length * 6.8).toBeLessThanOrEqual(720)
    expect(drawn.endsWith('…')).toBe(true)
    expect(longSvg).toContain('<title>Cost per day (America/Argentina/ComodRivadavia), the periods with calls side by')
    expect(far.markdown).toMatch(/The calls span 1999-01-01 to 2026-06-02, more days than a chart spaces by time/)
  })

  it('the cost-per-step chart and the sparkline say a call with no price, never $0 or the lowest bar', () => {
    const svg = costPerStepSvg('Cost per call', [
      {index: 1, costUsd: 0.2, wastedUsd: 0},
      {index: 3, costUsd: 0, wastedUsd: 0, unpricedCalls: 1},
    ])
    expect(svg).toContain('<title>step 3: — (1 unpriced call)</title>')
    expect(svg).not.toMatch(/step 3: \$0/)
    expect(sparkline([0.2, Number.NaN, 0.1])).toBe('█·▄')
  })

  it("a call's bar is red for what it wasted of its own cost; what its results cost later calls is said beside (trial 113)", () => {
    const svg = costPerStepSvg('Cost per call', [
      {index: 14, costUsd: 0.117, wastedUsd: 0.03, carriedUsd: 0.115},
      {index: 15, costUsd: 0.2, wastedUsd: 0},
    ])
    expect(svg).toContain('<title>step 14: $0.117, wasted $0.030 ($0.115 more carried in later calls)</title>')
    // Said under the chart too: a Markdown image shows no tooltip (review 114).
    expect(svg).toContain(
      ">red: each call's own waste; $0.115 more was spent carrying flagged results in later calls</text>",
    )
    const only = costPerStepSvg('Cost per call', [{index: 0, costUsd: 0.005, wastedUsd: 0, carriedUsd: 0.013}])
    expect(only).toContain('<title>step 0: $0.0050, its results wasted $0.013 carried in later calls</title>')
    const red = /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#d64545"\/>/.exec(svg)!
    const blue = /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#6b8fd6"><title>step 14/.exec(svg)!
    expect(Number(red[1]) / Number(blue[1])).toBeCloseTo(0.03 / 0.117, 2)
  })

  it("the cost-per-step chart names a subagent's calls by the subagent, as the table of flagged steps does (trial 123)", async () => {
    const run = await analyze({
      paths: [fixture('claude-code/session-with-subagent')],
      home: '/x',
      env: {},
      keepCards: true,
      threads: 1,
    })
    const card = run.cards!.find(c => c.children.length)!
    const md = renderMarkdownReport(toResult(run), [card], {
      assetsDir: 'r-assets',
      generatedAt: '2026-03-01T00:00:00Z',
      version: '0',
    })
    const svg = md.assets.find(a => a.name.startsWith('trace-'))!.content
    const titles = [...svg.matchAll(/<title>([^:<]+):/g)].map(m => m[1]!)
    const child = card.children[0]!
    const part = child.id.slice(card.id.length)
    const own = card.steps.filter(s => s.kind === 'llm').length
    const its = child.steps.filter(s => s.kind === 'llm').map(s => `subagent …${part} step ${s.index}`)
    expect(its.length).toBeGreaterThan(0)
    expect(titles.filter(t => t.startsWith('subagent '))).toEqual(its)
    expect(titles.filter(t => t.startsWith('step '))).toHaveLength(own)
    // Past 600 calls, a bar of several is named by its first call, and says where it holds the trace's and a
    // subagent's calls (review 128: "3 calls from subagent …" over the trace's own too).
    const many = costPerStepSvg('Cost per call', [
      ...Array.from({length: 601}, (_, i) => ({index: i, costUsd: 0.01, wastedUsd: 0})),
      {subagent: '…/agent-1', index: 0, costUsd: 0.01, wastedUsd: 0},
    ])
    const grouped = [...many.matchAll(/<title>([^:<]+):/g)].map(m => m[1]!)
    expect(grouped[0]).toBe('2 calls from step 0')
    expect(grouped.at(-1)).toBe("2 calls from step 600 on, the trace's and its subagents'")
  })

  it('the sparkline leaves a period that cost nothing blank: `▁` is the smallest cost, not a day with no call', () => {
    expect(sparkline([0.2, 0, 0.001, 0, 0.1])).toBe('█ ▁ ▄')
    // (Periods summed into one character: blank only when all of them cost nothing.)
    expect(sparkline([0.2, 0, 0, 0, 0, 0.001], 3)).toBe('█ ▁')
  })

  it('costText: — with the count when nothing is priced, the count beside a partial cost', () => {
    expect(costText(1.5, 0)).toBe('$1.50')
    expect(costText(0, 3)).toBe('— (3 unpriced)')
    expect(costText(0, 3, true)).toBe('—')
    expect(costText(1.5, 2)).toBe('$1.50 + 2 unpriced')
    expect(costText(1.5, 2, true)).toBe('$1.50+')
  })

  it('shows — and the unpriced calls in Cost by model, Cost by tool and Top traces; says where a table is cut', async () => {
    // 17 models in one API log, one of them (acme-local-13b, a tool call) not in the catalog
    const r = await result([fixture('api-log/many-models.jsonl')])
    const tool = r.byTool.find(t => t.tool === 'run_tests')!
    expect(tool).toMatchObject({calls: 1, costUsd: 0, unpricedCalls: 1})
    expect(r.byTool.find(t => t.tool === '(no tool call)')!.unpricedCalls).toBe(0)
    const out = screen(r)
    expect(out).toMatch(/run_tests +1 +— \(1 unpriced\) +—/)
    expect(out).toMatch(/\$[\d.]+ \+ 1 unpriced +18 +\S+ +api-log +many-models/)
    expect(out).not.toMatch(/\$0\.00(?!\d)/)
    const md = report(r)
    // the 15 costliest models, then one row for the rest with their calls and cost, and where to see them
    const rows = md.split('## Cost by model')[1]!.split('\n\n')[1]!.split('\n').slice(2)
    expect(rows).toHaveLength(16)
    expect(rows[15]).toMatch(
      /^\| … 2 more models \(`aco analyze --json` lists all, in byModel\) \| 2 \| \$[\d.]+ \+ 1 unpriced \|/,
    )
    expect(md).toMatch(/\| Cost \| \*\*\$[\d.]+\*\* \+ 1 unpriced call \(never counted as \$0/)
    expect(md).not.toMatch(/\$0\.00 \|/)
    // The Tokens row names every kind the terminal does, reasoning too.
    expect(md).toMatch(/\| Tokens \| input \S+ · output \S+ · cache read \S+ · cache write \S+ · reasoning \S+ \|/)
    // Cost by a key: a row of unpriced calls alone says how many, as the tables above (trial 72: `—` alone).
    const row = (key: string, costUsd: number, unpricedCalls: number) => ({
      key,
      costUsd,
      wastedUsd: 0,
      tokens: {input: 1, output: 1, cacheRead: 0, cacheWrite: 0, reasoning: 0},
      steps: 1,
      llmCalls: 1 + unpricedCalls,
      toolCalls: 0,
      traces: 1,
      unpricedCalls,
    })
    r.groups = {
      by: 'day',
      timeZone: 'UTC',
      rows: [row('2026-02-23', 3.23, 0), row('2026-02-28', 0, 5), row('2026-03-12', 0.82, 1)],
    }
    const byDay = screen(r)
    expect(byDay).toMatch(/2026-02-28 +6 +\S+ +— \(5 unpriced\) +—/)
    expect(byDay).toMatch(/2026-03-12 +2 +\S+ +\$0\.82\+/)
  })

  it("ends the title line's dates at the last step's end, not the last trace's start (a session resumed weeks later)", async () => {
    const r = await result([fixture('claude-code')])
    for (const t of r.traces) {
      t.startedAt = '2026-05-11T09:00:00.000Z'
      t.endedAt = '2026-05-11T10:00:00.000Z'
    }
    r.traces[0]!.endedAt = '2026-06-22T08:00:00.000Z'
    expect(renderAnalyze(r, {width: 100, color: false, top: 10})).toMatch(/· 2026-05-11 → 2026-06-22/)
  })

  it("shows the days of --tz in the title line and the Top traces' started column", async () => {
    const r = await result([fixture('claude-code')])
    // A trace that started two minutes before midnight UTC: already the next day in Berlin.
    for (const t of r.traces) {
      t.startedAt = '2026-03-01T23:58:00.000Z'
      t.endedAt = '2026-03-01T23:59:00.000Z'
    }
    const utc = renderAnalyze(r, {width: 100, color: false, top: 10})
    expect(utc).toMatch(/· 2026-03-01 → 2026-03-01/)
    const berlin = renderAnalyze(r, {width: 100, color: false, top: 10, timeZone: 'Europe/Berlin'})
    expect(berlin).toMatch(/· 2026-03-02 → 2026-03-02/)
    expect(berlin.split('Top traces by cost')[1]).toMatch(/2026-03-02/)
    expect(berlin.split('Top traces by cost')[1]).not.toMatch(/2026-03-01/)
    // Narrow (60 columns, the least the screen takes): the dates go on a line of their own rather than past it.
    const narrow = renderAnalyze(r, {width: 60, color: false, top: 10}).split('\n')
    expect(narrow[0]!.length).toBeLessThanOrEqual(60)
    expect(narrow[0]!.length + ' · 2026-03-01 → 2026-03-01'.length).toBeGreaterThan(60)
    expect(narrow[0]).toMatch(/^aco analyze · \d+ traces/)
    expect(narrow[1]).toBe('  2026-03-01 → 2026-03-01')
  })

  it('says "not recorded" for the cache hit rate of formats that record no cache use, never 0%', async () => {
    // SWE-agent trajectories record tokens sent and received, nothing of the cache
    const r = await result([fixture('swe-agent')])
    expect(r.totals.cacheHitRate).toBeNull()
    expect(screen(r)).toMatch(/cache hit rate not recorded/)
    expect(report(r)).toMatch(/\| Cache hit rate \| not recorded \|/)
    // Codex records cached input on every call: a session that read nothing from the cache is 0%, and beside
    // it the rate holds for the share of prompt tokens that record it
    const both = await result([fixture('swe-agent'), fixture('codex')])
    expect(both.totals.cacheHitRate).toBeGreaterThan(0)
    expect(both.totals.cacheRecordedShare).toBeGreaterThan(0)
    expect(both.totals.cacheRecordedShare).toBeLessThan(1)
    expect(screen(both)).toMatch(/cache hit rate [\d.]+% \(where recorded: \d+% of prompt tokens\)/)
  })

  it('a flag on a call with no price says its waste is unknown, on the screen, in --json and in the report', async () => {
    // Codex's first layout records no tokens: its re-read is flagged, and what it wasted is not known.
    const r = await result([fixture('codex-first-layout/first-layout-2025.jsonl')])
    expect(r.waste.byDetector).toEqual([{kind: 'reread-unchanged', flags: 1, wastedUsd: 0, unpricedFlags: 1}])
    expect(r.waste.top.map(w => w.unpriced)).toEqual([true])
    const s = screen(r)
    expect(s).toContain('Waste  — (on unpriced calls) in 1 flagged step')
    // Nothing is priced at all: the cost is not known, not $0.
    expect(s).toMatch(/Cost +— {2}\+ 5 unpriced calls \(below\)/)
    expect(s).toMatch(/reread-unchanged +1 +— \(1 unpriced\) +—/)
    expect(s).not.toMatch(/\$0\.00 +reread-unchanged/)
    expect(report(r)).toMatch(/\| reread-unchanged \| .* \| 1 \| — \(1 unpriced\) \| — \|/)
    // A priced flag keeps its dollars and no mark.
    const priced = await result([fixture('waste/duplicate-call.jsonl')])
    expect(priced.waste.byDetector.every(w => w.unpricedFlags === undefined)).toBe(true)
    expect(priced.waste.top.every(w => w.unpriced === undefined)).toBe(true)
  })
})

describe('recorded against computed cost (item 7)', () => {
  it('compares over the traces that record a cost, and lists a trace far off with both and a likely reason', async () => {
    // one Claude Code session whose costUSD is 4× the catalog's price, beside traces that record no cost
    const r = await result([fixture('recorded-cost'), fixture('api-log/many-models.jsonl')])
    const rc = r.recordedCost!
    expect(rc.traces).toBe(1)
    expect(rc.recordedUsd).toBeCloseTo(0.00564, 9)
    expect(rc.comparedRecordedUsd).toBeCloseTo(0.00564, 9)
    expect(rc.computedUsd / rc.recordedUsd).toBeCloseTo(0.25, 2)
    expect(rc.disagreements).toHaveLength(1)
    expect(rc.disagreements[0]).toMatchObject({traceId: 'sess-price-drift-0007', models: ['claude-sonnet-4-20250514']})
    expect(rc.disagreements[0]!.reason).toMatch(/higher than the catalog: a tier the log does not show/)
    const out = screen(r)
    expect(out).toMatch(/recorded \$0\.0056 for the 1 trace that records cost \(computed for those: \$0\.0014\)/)
    expect(out).not.toMatch(/the tools recorded/)
    expect(out).toMatch(
      /Recorded against computed[\s\S]*recorded \$0\.0056 · computed \$0\.0014 \(4\.0× less\) {2}sess-price-drift-0007/,
    )
    const md = report(r)
    expect(md).toMatch(/\| Recorded by the tools \| recorded \$0\.0056 for the 1 trace that records cost/)
    expect(md).toMatch(
      /## Recorded against computed[\s\S]*\| <code>sess-price-drift-0007<\/code> \| \$0\.0056 \| \$0\.0014 \| 4\.0× less \|/,
    )
  })

  it("counts a trace's own recorded total where its calls record none (Copilot CLI's bill), with the reason it is off", async () => {
    // fresh192: Copilot's bill ($3.10) against the calls aco counts ($0.54: no shutdown recorded their input); fresh202:
    // OpenCode on a subscription, $0 recorded per call.
    const extra = (set: string) => join(root, 'test', 'corpus-extra', set)
    const r = await result([extra('fresh192'), extra('fresh202')])
    const rc = r.recordedCost!
    expect(rc.traces).toBe(2)
    expect(rc.recordedUsd).toBeCloseTo(3.1021805, 6)
    const byId = new Map(rc.disagreements.map(d => [d.traceId.slice(0, 8), d]))
    expect(byId.get('45f1a36c')).toMatchObject({recordedUsd: 3.1021805})
    expect(byId.get('45f1a36c')!.reason).toMatch(/^\d+ of its calls have no price or no recorded input/)
    expect(byId.get('ses_21fe')!.reason).toMatch(
      /recorded \$0 for gpt-5\.4: calls a subscription or a free tier pays for/,
    )
    expect(screen(r)).toMatch(/recorded \$3\.10 for the 2 traces that record cost/)
    // Tool calls, none flagged: the screen says so rather than leave the line out.
    const quiet = await result([extra('fresh192')])
    expect(quiet.waste.byDetector.every(w => w.flags === 0)).toBe(true)
    expect(screen(quiet)).toMatch(/\n {2}Wasted {6}nothing flagged by the waste detectors\n/)
    expect(screen(r)).not.toMatch(/nothing flagged/)
    // A window cuts the session: its whole bill is no figure for the part, and is left out.
    const cut = await analyze({
      paths: [extra('fresh192')],
      home: '/x',
      env: {},
      window: {since: Date.parse('2026-07-19T23:20:00Z')},
      keepCards: true,
    })
    expect(cut.cards.length).toBeGreaterThan(0)
    expect(cut.cards.every(c => c.recorded === undefined)).toBe(true)
    expect(toResult(cut).recordedCost).toBeUndefined()
  })

  it('lists no disagreement where the recorded cost matches the catalog', async () => {
    const r = await result([fixture('claude-code/tool-error-synthetic-costusd.jsonl')])
    expect(r.recordedCost!.traces).toBe(1)
    expect(r.recordedCost!.computedUsd).toBeCloseTo(r.recordedCost!.comparedRecordedUsd, 9)
    expect(r.recordedCost!.disagreements).toEqual([])
    expect(report(r)).not.toMatch(/## Recorded against computed/)
    // The calls compared are counted; a result of a build before the count is still a result (review 95: a shard of
    // it was refused as "not an aco analyze --json result" before its build could be named).
    expect(r.recordedCost!.comparedCalls).toBeGreaterThan(0)
    const {comparedCalls: _, ...older} = r.recordedCost!
    const validate = validator('analyze-result')
    expect(validate({...r, recordedCost: older}), JSON.stringify(validate.errors)).toBe(true)
  })

  it("says a total split over the calls is not compared: SWE-agent's instance_cost is the cost (trial 105)", async () => {
    const r = await result([fixture('swe-agent/function-calling'), fixture('swe-agent/zero-model-stats.traj')])
    // (The run whose stats are all zero records no figure.)
    expect(r.recordedCost).toMatchObject({traces: 1, recordedUsd: 0.0123, comparedCalls: 0, splitCalls: 2})
    expect(r.recordedCost!.computedUsd).toBe(0)
    const out = screen(r)
    expect(out).toMatch(/recorded \$0\.01 for the 1 trace that records cost, as a total: split over its 2 calls/)
    expect(out).not.toMatch(/computed for those/)
    expect(validator('analyze-result')(r)).toBe(true)
  })
})

describe('nothing to count (item 8)', () => {
  it('a folder of files that are not traces: what they are, not a summary of zeros', async () => {
    const r = await result([fixture('not-traces')])
    expect(r.traces).toEqual([])
    expect(r.files).toMatchObject({read: 2, withTraces: 0, skipped: 2, ignored: 1})
    const out = screen(r)
    expect(out).toMatch(/^aco analyze · no trace counted in 2 files\n/)
    expect(out).toMatch(/2 files read: 2 of no format aco knows/)
    expect(out).toMatch(/1 file passed over for its extension \(not read\)/)
    expect(out).not.toMatch(/\$0\.00(?!\d)|the rest was read|Cost by/)
    const md = report(r)
    expect(md).toMatch(/no trace counted/)
    expect(md).not.toMatch(/\$0\.00|everything else was read|0 traces from 0 files/)
  })

  it('a Claude Code file of summary records only: read, and why it holds nothing', async () => {
    const r = await result([fixture('claude-code/summary-only.jsonl')])
    expect(r.traces).toEqual([])
    expect(r.skipped).toEqual([])
    expect(r.files).toMatchObject({read: 1, empty: 1})
    expect(r.nothingToCount).toEqual([
      {
        path: fixture('claude-code/summary-only.jsonl'),
        reason: 'read as a Claude Code session: it holds no LLM call or tool call to count',
      },
    ])
    expect(screen(r)).toMatch(
      /1 file read: 1 read fine but holding no LLM or tool call\n {4}\S*summary-only\.jsonl\n {6}read as a Claude Code session/,
    )
  })

  it('an Aider chat history with no call in it: "read as an Aider chat history"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-empty-aider-'))
    const file = join(dir, 'empty.aider.chat.history.md')
    writeFileSync(file, '\n# aider chat started at 2026-03-01 10:00:00\n\n')
    const r = await result([file])
    expect(r.nothingToCount.map(n => n.reason)).toEqual([
      'read as an Aider chat history: it holds no LLM call or tool call to count',
    ])
  })
})

describe('the Markdown report (item 9)', () => {
  it('names the trace in every per-trace waste row, and groups skipped input by reason, each reason whole once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-report-'))
    // ten files of no known format (one reason), and one file with two bad lines (one reason, two lines)
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `notes-${i}.jsonl`), '{"level":"info","msg":"started"}\n')
    const good = readFileSync(fixture('waste/loop.jsonl'), 'utf8').trimEnd().split('\n')
    writeFileSync(
      join(dir, 'two-bad-lines.jsonl'),
      [good[0], '{"oops', ...good.slice(1, 3), '{"again', ...good.slice(3)].join('\n'),
    )
    const run = await analyze({paths: [fixture('waste'), dir], home: '/x', env: {}, keepCards: true})
    const r = toResult(run)
    const expensive = run.cards.filter(c => !c.parent?.traceId).sort((a, b) => b.totals.costUsd - a.totals.costUsd)
    const md = renderMarkdownReport(r, expensive.slice(0, 5), {
      assetsDir: 'r-assets',
      generatedAt: '2026-03-01T00:00:00Z',
      version: '0.0.0',
    }).markdown
    const perTrace = md
      .split('## The most expensive traces')[1]!
      .split('\n')
      .filter(l => /^\| .* \| \d+ \| [a-z-]+ \| \$/.test(l))
    expect(perTrace.length).toBeGreaterThan(0)
    for (const row of perTrace) expect(row).toMatch(/^\| <code>[^<]+<\/code> \|/)
    const skipped = md.split('## Skipped input')[1]!
    expect(skipped).toMatch(
      /\| 10 \| <code>notes-\d\.jsonl<\/code>, <code>notes-\d\.jsonl<\/code>, <code>notes-\d\.jsonl<\/code> and 7 more \| unknown format: none of the formats listed below the table\. Name it with --format if you know it, or describe it with --mapping \|$/m,
    )
    expect(skipped).toMatch(/\| 2 \| <code>two-bad-lines\.jsonl<\/code> \(lines 2, 5\) \| invalid JSON: /)
    // The formats looked for, once, a line each below the table, not ~4,000 characters in a cell (trial 82).
    const listed = skipped.split('The formats a file of unknown format was compared with:\n\n')[1]!.split('\n\n')[0]!
    const items = listed.split('\n')
    expect(items.length).toBeGreaterThan(15)
    for (const item of items) expect(item).toMatch(/^- [\w -]+.* \(.*\)$/)
    expect(listed).toContain('- Claude Code session (JSONL lines with sessionId/parentUuid')
    expect(skipped.match(/looked for|compared with/g)).toHaveLength(1)
  })
})

describe("the report's table of a trace's flagged steps", () => {
  it('keeps the costliest when it is cut, in the order they ran (the new user’s trial 40)', async () => {
    const run = await analyze({paths: [fixture('codex')], home: tmpdir(), env: {}, keepCards: true, threads: 1})
    const card = run.cards.find(c => c.steps.filter(s => s.kind === 'tool').length >= 8)!
    expect(card).toBeDefined()
    // Every step flagged, cheaply, but the last two: more than the table keeps (15), the costliest at the end.
    const steps = card.steps.slice(0, 17)
    expect(steps).toHaveLength(17)
    steps.forEach((step, k) => {
      step.flags = [
        {kind: 'near-duplicate', reason: `r${k}`, confidence: 0.9, wastedUsd: k >= 15 ? 0.02 : 0.001, evidence: []},
      ]
    })
    const md = renderMarkdownReport(toResult(run), [card], {
      assetsDir: 'a',
      generatedAt: '2026-03-01T00:00:00Z',
      version: '0',
    }).markdown
    const rows = md.split('| trace | step | detector | wasted | why |')[1]!.split('\n\n')[0]!.split('\n').slice(2)
    expect(rows.filter(r => /\$0\.02 \|/.test(r))).toHaveLength(2)
    expect(
      rows
        .map(r => /\| (\d+) \| near-duplicate/.exec(r)?.[1])
        .filter(Boolean)
        .map(Number),
    ).toEqual([...steps.slice(0, 13), ...steps.slice(15)].map(s => s.index))
    expect(rows[rows.length - 1]).toMatch(/… 2 more flagged steps in this trace, none costlier than these/)
  })
})

describe("the report's sparkline of a trace's calls", () => {
  it('says when a character sums several calls (review 73: only the cost-over-time line said so)', async () => {
    const run = await analyze({paths: [fixture('codex')], home: tmpdir(), env: {}, keepCards: true, threads: 1})
    const card = structuredClone(run.cards[0]!)
    const llm = card.steps.find(s => s.kind === 'llm')!
    // 130 calls: three to a character of 60.
    card.steps = Array.from({length: 130}, (_, k) => ({
      ...structuredClone(llm),
      index: k,
      id: `s${k}`,
      toolStepIds: [],
    }))
    const md = renderMarkdownReport(toResult(run), [card], {
      assetsDir: 'a',
      generatedAt: '2026-03-01T00:00:00Z',
      version: '0',
    }).markdown
    expect(md).toMatch(/`[▁▂▃▄▅▆▇█ ·]{44}` \(a character for every 3 LLM calls, in order\)/)
  })
})

describe('warnings grouped', () => {
  it('as one where they differ only in figures or the ids of what they are about, never in a model’s name (trial 40)', async () => {
    const {groupWarnings} = await import('../../src/report/wording.js')
    const w = (traceId: string, message: string) => ({traceId, path: 'p', message})
    const groups = groupWarnings({
      first: [
        w('a', 'its own transcript (subagents/agent-a7e3f9c.jsonl) was not read'),
        w('b', 'its own transcript (subagents/agent-b21d0e4.jsonl) was not read'),
        w('c', 'claude-sonnet-4-5-20250929: 3 calls not priced'),
        w('d', 'claude-haiku-4-5-20251001: 4 calls not priced'),
        w('e', 'claude-haiku-4-5-20251001: 1 call not priced'),
      ],
    })
    expect(groups.map(g => g.traces).sort()).toEqual([1, 2, 2])
    expect(groups.filter(g => /haiku/.test(g.message))).toHaveLength(1)
  })

  it("says a group's message is one of its traces' where their figures differ (trial 92: '2 traces: 4 tool call(s)' for 4 and 1)", async () => {
    const {groupWarnings, warningGroupText} = await import('../../src/report/wording.js')
    const w = (traceId: string, message: string) => ({traceId, path: 'p', message})
    const [differ] = groupWarnings({
      first: [w('a', '4 tool call(s) after the last token count'), w('b', '1 tool call(s) after the last token count')],
    })
    expect(warningGroupText(differ!)).toBe('one of them: 4 tool call(s) after the last token count')
    const [same] = groupWarnings({first: [w('a', 'no cwd recorded'), w('b', 'no cwd recorded')]})
    expect(warningGroupText(same!)).toBe('no cwd recorded')
  })
})

describe('warnings on the screen', () => {
  it('keep a space after a count that fills their column (trial 120: "100 traces:$6.71 in all")', async () => {
    const r = await result([fixture('opencode/session-export.json')])
    const [one] = r.warnings.first
    expect(one).toBeDefined()
    const many = Array.from({length: 100}, (_, k) => ({...one!, traceId: `t-${k}`}))
    const text = screen({...r, warnings: {...r.warnings, count: 100, first: many, groups: undefined}})
    expect(text).toMatch(/^ {2}100 traces: \S/m)
  })
})

describe('unpriced models', () => {
  it('say tokens are counted only where some are: calls the log records no usage for have none (trial 106)', async () => {
    const none = screen(await result([fixture('mini-swe-agent/bare-list/acme__widgets-78.traj.json')]))
    expect(none).toMatch(/Unpriced models {2}\(calls counted, cost not: never counted as \$0\)/)
    const some = screen(await result([fixture('claude-code/unknown-model.jsonl')]))
    expect(some).toMatch(/Unpriced models {2}\(tokens counted, cost not: never counted as \$0\)/)
  })
})

describe('trace ids in the report', () => {
  it('are written as the cards write them: two sessions named after two tokens stay two, and no token shows (review 109)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-report-ids-'))
    try {
      const text = readFileSync(fixture('waste/duplicate-call.jsonl'), 'utf8')
      const id = (JSON.parse(text.split('\n')[0]!) as {sessionId: string}).sessionId
      const tokens = [`ghp_${'Nq7VwYS81VPx3kLm9TzQa2Rb5Hc8Jd4Fe6Gt'}`, `ghp_${'Zr4XcVb7NmQw2Ek9Ty6Ui3Op8As5Df1Gh0Jk'}`]
      for (const [k, t] of tokens.entries())
        writeFileSync(join(dir, `s${k}.jsonl`), text.replaceAll(id, `sess-${t}`).replaceAll('"msg_', `"msg_${k}`))
      const run = await analyze({paths: [dir], home: '/x', env: {}, keepCards: true})
      const md = renderMarkdownReport(redactValue(toResult(run)), run.cards, {
        assetsDir: 'r-assets',
        generatedAt: '2026-03-01T00:00:00Z',
        version: '0',
        redact: true,
      }).markdown
      for (const t of tokens) expect(md).not.toContain(t.slice(4, 12))
      const ids = new Set([...md.matchAll(/<code>(sess-[^<]*)<\/code>/g)].map(m => m[1]!))
      expect([...ids].filter(i => /~[0-9a-f]{8}$/.test(i))).toHaveLength(2)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('the report read as a manager reads it (trial 131)', () => {
  it('sums the rows a --by table leaves out, the earlier periods above the latest; links charts by encoded paths; escapes emphasis', async () => {
    const r = await result([fixture('claude-code')])
    const row = (key: string, costUsd: number) => groupRow(key, costUsd, 0.5, 2)
    const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)
    r.groups = {by: 'day', timeZone: 'UTC', rows: Array.from({length: 70}, (_, i) => row(day(i), i < 10 ? 1 : 0.25))}
    r.byModel[0]!.model = 'src/git_alias/__init__.py **/*'
    const options = {assetsDir: 'Q3 report#1-assets', generatedAt: '2026-03-01T00:00:00Z', version: '0'}
    const md = renderMarkdownReport(r, [], options).markdown
    // The first 10 days, together, then the latest 60.
    expect(md).toContain('| … 10 earlier days, together | 20 | $10.00 | $5.00 |')
    expect(md).toContain(`| ${day(10)} | 2 | $0.25 | $0.50 |`)
    expect(md).toContain(`| ${day(69)} | 2 | $0.25 | $0.50 |`)
    expect(md).not.toContain(`| ${day(9)} |`)
    expect(md).toContain('![cost per day](Q3%20report%231-assets/cost-over-time.svg)')
    expect(md).toContain('src/git\\_alias/\\_\\_init\\_\\_.py \\*\\*/\\*')
    // Sorted by cost (sessions), the costliest shown and the rest below.
    r.groups = {by: 'session', rows: Array.from({length: 65}, (_, i) => row(`s${i}`, 65 - i))}
    const sessions = renderMarkdownReport(r, [], options).markdown
    expect(sessions).toContain('| s59 | 2 |')
    expect(sessions).toContain('| … 5 more, together | 10 | $15.00 | $2.50 |')
  })

  it('has one section of the models with --by model, its table the grouped one', async () => {
    const r = await result([fixture('claude-code')])
    const {GroupBuilder} = await import('../../src/analyze/group.js')
    const options = {assetsDir: 'a', generatedAt: '2026-03-01T00:00:00Z', version: '0'}
    expect(renderMarkdownReport(r, [], options).markdown.match(/^## Cost by model$/gm)).toHaveLength(1)
    const g = new GroupBuilder('model', 'UTC')
    r.groups = g.build()
    r.groups.rows = r.byModel.map(m => ({
      key: m.model,
      costUsd: m.costUsd,
      wastedUsd: 0,
      tokens: m.tokens,
      steps: m.llmCalls,
      llmCalls: m.llmCalls,
      toolCalls: 0,
      traces: 1,
    }))
    const md = renderMarkdownReport(r, [], options).markdown
    expect(md.match(/^## Cost by model$/gm)).toHaveLength(1)
    expect(md).toMatch(/^\| model \| LLM calls \| cost \| wasted \| share \|$/m)
  })

  it('says a cost no call has a price for as unknown, not $0.00, and waste of no flag as none', async () => {
    const r = await result([fixture('mini-swe-agent/bare-list/acme__widgets-78.traj.json')])
    expect(r.totals.unpricedCalls).toBe(r.totals.llmCalls)
    const md = renderMarkdownReport(r, [], {assetsDir: 'a', generatedAt: '2026-03-01T00:00:00Z', version: '0'}).markdown
    expect(md).toMatch(/^\| Cost \| \*\*—\*\* \+ \d+ unpriced calls? /m)
    expect(md).toContain('| Wasted | nothing flagged by the waste detectors |')
    const priced = await result([fixture('claude-code')])
    const some = renderMarkdownReport(priced, [], {assetsDir: 'a', generatedAt: '2026-03-01T00:00:00Z', version: '0'})
    expect(some.markdown).toMatch(/^\| Cost \| \*\*\$0\.\d\d\*\*/m)
    expect(some.markdown).toMatch(/^\| Wasted \| \*\*\$0\.\d\d\*\* \(/m)
  })
})

describe("a chart's title (trial 131)", () => {
  it('is cut to the width its characters take, keeping the cost it ends with', async () => {
    const {textWidth} = await import('../../src/util/width.js')
    const drawn = (title: string): string =>
      /<text x="\d+" y="15" font-size="12" fill="#222">([^<]*)<\/text>/.exec(
        costPerStepSvg(title, [{index: 0, costUsd: 0.1, wastedUsd: 0}]),
      )![1]!
    // (720 − 56 − 12 px at 6.8 a character: 95 columns.)
    for (const title of [
      `${'请帮我把这个项目的所有测试都跑一遍然后修复失败的部分'.repeat(3)} (— (330 unpriced))`,
      `${'fix the failing **bold** tests in the payments module '.repeat(3)} ($0.11 + 2 unpriced)`,
    ]) {
      const shown = drawn(title)
      expect(textWidth(shown), shown).toBeLessThanOrEqual(95)
      expect(shown, shown).toMatch(/… \((?:— \(330 unpriced\)|\$0\.11 \+ 2 unpriced)\)$/)
    }
    expect(drawn('short title ($1.00)')).toBe('short title ($1.00)')
  })
})

describe('a call with no price in the per-call chart (trial 131)', () => {
  it('is a grey mark on the axis, said in the legend, not the gap of a $0 call', () => {
    const svg = costPerStepSvg('Cost per call', [
      {index: 0, costUsd: 0.1, wastedUsd: 0},
      {index: 1, costUsd: 0, wastedUsd: 0, unpricedCalls: 1},
      {index: 2, costUsd: 0, wastedUsd: 0},
    ])
    expect(svg.match(/height="3" fill="#aaaaaa"/g)).toHaveLength(2)
    expect(svg).toContain('>no price</text>')
    const none = costPerStepSvg('Cost per call', [{index: 0, costUsd: 0.1, wastedUsd: 0}])
    expect(none).not.toContain('#aaaaaa')
  })
})

describe('the report has Cost by tool, as the terminal (trial 131)', () => {
  it('lists each tool with its calls, errors and the cost of the calls that issued it', async () => {
    const r = await result([fixture('claude-code'), fixture('codex')])
    const md = renderMarkdownReport(r, [], {assetsDir: 'a', generatedAt: '2026-03-01T00:00:00Z', version: '0'}).markdown
    expect(md).toContain('## Cost by tool')
    const first = r.byTool[0]!
    expect(md).toMatch(
      new RegExp(
        `^\\| ${first.tool.replace(/[_*]/g, m => `\\\\\\${m}`)} \\| ${first.calls} \\| ${first.errors || ''} \\| `,
        'm',
      ),
    )
  })
})
