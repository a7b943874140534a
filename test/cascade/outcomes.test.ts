/**
 * aco outcomes: outcome rows from runs of the same tasks by several models
 * (fixtures/outcomes: mini-swe-agent trajectories, SWE-bench reports and
 * predictions), grouped by instance id, with what each trace showed.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {TraceCard} from '../../src/card/types.js'
import {outcomeRowsFromCards, runSignals} from '../../src/learn/from-runs.js'
import {collectOutcomeTable} from '../../src/learn/outcome-table.js'
import {agreement, extractAnswer, sameName} from '../../src/learn/posthoc/answer.js'
import {runOutcomes, type OutcomesResult} from '../../src/services/outcomes.js'
import {check} from '../../src/util/schemas.js'
import {corpus, fixture, hasCorpus, readOne} from '../helpers.js'

describe('aco outcomes on three models’ runs of six tasks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aco-outcomes-'))
  const out = join(dir, 'items.jsonl')
  let result: OutcomesResult
  let lines: string[]

  beforeAll(async () => {
    result = await runOutcomes({
      paths: [fixture('outcomes/runs')],
      outFile: out,
      threads: 1,
      redact: true,
      home: dir,
      env: {},
    })
    lines = readFileSync(out, 'utf8').trim().split('\n')
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('writes one line per task and model, valid outcome lines, and a result that matches its schema', () => {
    expect(check('outcomes-result', result)).toBeUndefined()
    expect(result).toMatchObject({rows: 18, items: 6, itemsRunByEveryModel: 6, withResponse: 15, skipped: []})
    expect(result.models.map(m => [m.model, m.runs, m.resolved])).toEqual([
      ['gpt-4o-mini', 6, 2],
      ['deepseek-chat', 6, 3],
      ['gpt-4o', 6, 5],
    ])
    for (const line of lines) expect(check('outcome-table', JSON.parse(line))).toBeUndefined()
    const table = collectOutcomeTable(lines, out, 'train')
    expect(table.skipped).toEqual([])
    expect(table.items).toHaveLength(6)
    expect(table.items.every(i => i.models.length === 3 && i.signals?.length === 3)).toBe(true)
  })

  it('takes each run’s outcome from its report, its cost from its calls, and its signals from its trace', () => {
    const rows = lines.map(l => JSON.parse(l) as Record<string, unknown> & {signals: Record<string, number>})
    const row = (item: string, model: string) => rows.find(r => r.item_id === item && r.model === model)!
    // gpt-4o-mini ran out of steps on task 13: no patch, exit status 1, the failing tests it kept running after one pass.
    expect(row('acme__widgets-13', 'gpt-4o-mini')).toMatchObject({success: 0, features: {repo: 'acme__widgets'}})
    expect(row('acme__widgets-13', 'gpt-4o-mini').response).toBeUndefined()
    expect(row('acme__widgets-13', 'gpt-4o-mini').signals).toMatchObject({
      exit_status: 1,
      tests_failed: 4,
      tests_passed: 1,
      last_tests_passed: 0,
    })
    // deepseek's pip install timed out on task 13: one more tool error than the test failure.
    expect(row('acme__widgets-13', 'deepseek-chat').signals).toMatchObject({
      exit_status: 0,
      tool_errors: 2,
      tests_passed: 1,
    })
    expect(row('acme__widgets-11', 'gpt-4o')).toMatchObject({success: 1})
    expect(row('acme__widgets-11', 'gpt-4o').signals).toMatchObject({
      steps: 5,
      api_calls: 5,
      tests_passed: 1,
      last_tests_passed: 1,
    })
    expect(row('acme__widgets-11', 'gpt-4o').cost_usd).toBeCloseTo(
      row('acme__widgets-11', 'gpt-4o').signals.cost_usd!,
      12,
    )
  })

  it('makes the submitted patches comparable: the same fix agrees, a fix of another file does not', () => {
    const rows = lines.map(l => JSON.parse(l) as {item_id: string; model: string; response?: string})
    const patch = (item: string, model: string) =>
      extractAnswer(rows.find(r => r.item_id === item && r.model === model)!.response!)
    const a = patch('acme__widgets-11', 'deepseek-chat')
    expect(a.kind).toBe('code')
    expect(a.defines).toEqual(['src/widgets.py'])
    expect(agreement(a, patch('acme__widgets-11', 'gpt-4o'))).toBe(1)
    const other = patch('acme__widgets-13', 'deepseek-chat')
    expect(sameName(other, patch('acme__widgets-13', 'gpt-4o'))).toBe(0)
  })

  it('refuses a folder with no run it can use, and says why runs were skipped', async () => {
    await expect(
      runOutcomes({
        paths: [fixture('mini-swe-agent/text-1x.traj.json')],
        outFile: join(dir, 'x.jsonl'),
        threads: 1,
        redact: true,
        home: dir,
        env: {},
      }),
    ).rejects.toThrow(/No run .* gave an outcome row/)
  })
})

describe('rows from cards', () => {
  it('--task-results fills only runs that left no report: a run keeps its own, and the result counts those it kept', async () => {
    const home = mkdtempSync(join(tmpdir(), 'aco-outcomes-tr-'))
    const run = async (paths: string[], outFile: string, taskResultsFile?: string) => {
      const r = await runOutcomes({paths, outFile, taskResultsFile, threads: 1, redact: true, home, env: {}})
      return {
        r,
        rows: readFileSync(r.out, 'utf8')
          .trim()
          .split('\n')
          .map(l => JSON.parse(l)),
      }
    }
    const plain = await run([fixture('outcomes/runs')], join(home, 'plain.jsonl'))
    const runs = join(home, 'runs')
    cpSync(fixture('outcomes/runs'), runs, {recursive: true})
    const lost = plain.rows.find(x => x.success === 1)!.model
    const folder = ['deepseek', 'gpt-4o', 'gpt-4o-mini'].find(f => lost.endsWith(f) || lost.includes(f))!
    rmSync(join(runs, folder, 'report.json'))
    // Every task resolved, for every model (the file names no model).
    const results = join(home, 'results.jsonl')
    const ids = [...new Set(plain.rows.map(x => x.item_id as string))]
    writeFileSync(results, ids.map(id => JSON.stringify({instance_id: id, resolved: true})).join('\n'))
    const {r, rows} = await run([runs], join(home, 'filled.jsonl'), results)
    expect(check('outcomes-result', JSON.parse(JSON.stringify(r)))).toBeUndefined()
    const others = plain.rows.filter(x => x.model !== lost)
    // The runs with a report keep its outcomes; the run without one takes the file's.
    for (const before of others)
      expect(rows.find(x => x.item_id === before.item_id && x.model === before.model)?.success).toBe(before.success)
    expect(rows.filter(x => x.model === lost).every(x => x.success === 1)).toBe(true)
    expect(rows.filter(x => x.model === lost).length).toBeGreaterThan(0)
    expect(r.keptOwnReports).toBe(others.filter(x => x.success === 0).length)
    expect(r.keptOwnReports).toBeGreaterThan(0)
  })

  it('skips a second run of a task by the same model, and runs without a report or a task id', async () => {
    const card = await readOne(fixture('mini-swe-agent/toolcall-2x/acme__widgets-56.traj.json'))
    const noTask: TraceCard = {...card, task: undefined}
    const noReport: TraceCard = {...card, task: {id: 'x-1'}}
    const table = outcomeRowsFromCards([card, card, noTask, noReport])
    expect(table.rows).toHaveLength(1)
    expect(table.skipped.map(s => s.reason)).toEqual([
      expect.stringMatching(/a second run of acme__widgets-56/),
      'no task id in the trace',
      expect.stringMatching(/no SWE-bench report says whether x-1/),
    ])
    expect(runSignals(card)).toMatchObject({tool_errors: 2, tests_failed: 1, exit_status: 0})
  })

  it('takes uncertainty and entropy from the calls that carried logprobs, weighted by their output tokens', async () => {
    const card = await readOne(fixture('mini-swe-agent/toolcall-2x/acme__widgets-56.traj.json'))
    expect(runSignals(card)).not.toHaveProperty('uncertainty')
    const llm = card.steps.filter(s => s.kind === 'llm')
    expect(llm.length).toBeGreaterThanOrEqual(2)
    const withLogprobs: TraceCard = {
      ...card,
      steps: card.steps.map(s =>
        s === llm[0]
          ? {...s, tokens: {...s.tokens!, output: 10}, uncertainty: {meanOneMinusP: 0.2, entropy: 1}}
          : s === llm[1]
            ? {...s, tokens: {...s.tokens!, output: 30}, uncertainty: {meanOneMinusP: 0.6}}
            : s,
      ),
    }
    expect(runSignals(withLogprobs)).toMatchObject({uncertainty: 0.5, entropy: 1})
  })

  it.skipIf(!hasCorpus)('reads a real mini-swe-agent SWE-bench run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-outcomes-'))
    const result = await runOutcomes({
      paths: [corpus('mini-swe-agent/swebench-deepseek')],
      outFile: join(dir, 'items.jsonl'),
      threads: 1,
      redact: true,
      home: dir,
      env: {},
    })
    expect(result).toMatchObject({rows: 3, items: 3, withResponse: 3})
    expect(result.models).toEqual([expect.objectContaining({model: 'deepseek-chat', runs: 3, resolved: 2})])
    rmSync(dir, {recursive: true, force: true})
  })
})
