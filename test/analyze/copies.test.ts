/**
 * Copies of a trace (a backup folder, a session saved twice) are counted
 * once, by the same rule in every format that has a session id: the same
 * session, trace, step and tokens. A file that only repeats traces read
 * elsewhere is counted among the repeats, with the trace it repeats.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {IDENTICAL_TRACE} from '../../src/analyze/link.js'
import {fixture} from '../helpers.js'

const run = (paths: string[], keepCards = false) => analyze({paths, home: '/x', env: {}, keepCards})

describe('copies of a trace', () => {
  it('counts a Codex rollout and its backups (whole, and cut mid-session) once', async () => {
    const dir = fixture('codex/backup-copy')
    const original = await run([join(dir, 'sessions')])
    const all = await run([dir], true)
    expect(all.summary.totals).toEqual(original.summary.totals)
    expect(all.cards).toHaveLength(1)
    expect(all.files).toMatchObject({read: 3, withTraces: 1, repeats: 2})
    expect(all.repeatedFiles).toHaveLength(2)
    for (const r of all.repeatedFiles) expect(r.of).toBe('019c9a10-5e5e-7000-8000-0000000c0b1e')
    // the figures are the same when cards travel lean (no cards kept)
    expect((await run([dir])).summary.totals).toEqual(all.summary.totals)
  })

  it('keeps what a longer copy adds to a shorter one read first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copies-'))
    const name = 'rollout-2026-03-02T08-15-00-019c9a10-5e5e-7000-8000-0000000c0b1e.jsonl'
    mkdirSync(join(dir, 'a-old'))
    mkdirSync(join(dir, 'b-sessions'))
    copyFileSync(fixture(`codex/backup-copy/backup-old/${name}`), join(dir, 'a-old', name))
    copyFileSync(fixture(`codex/backup-copy/sessions/2026/03/02/${name}`), join(dir, 'b-sessions', name))
    const both = await run([dir])
    const original = await run([fixture('codex/backup-copy/sessions')])
    const {costUsd, ...rest} = both.summary.totals
    const {costUsd: originalCost, ...originalRest} = original.summary.totals
    expect(rest).toEqual(originalRest)
    expect(costUsd).toBeCloseTo(originalCost, 12)
    expect(both.summary.totals.tokens).toEqual(original.summary.totals.tokens)
    expect(both.summary.totals.llmCalls).toBe(original.summary.totals.llmCalls)
    expect(both.files.repeats).toBe(0)
    expect(both.repeatedResponses).toBeGreaterThan(0)
  })

  it('counts two copies of a Gemini CLI recording once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copies-'))
    const text = readFileSync(fixture('gemini/session-updates.jsonl'), 'utf8')
    writeFileSync(join(dir, 'session-a.jsonl'), text)
    writeFileSync(join(dir, 'session-b.jsonl'), text)
    const one = await run([fixture('gemini/session-updates.jsonl')])
    const two = await run([dir])
    expect(two.summary.totals).toEqual(one.summary.totals)
    expect(two.files.repeats).toBe(1)
  })

  it('counts two copies of a Claude Code session with its subagent once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copies-'))
    const id = '4b8e2d61-0c7f-4a93-b5d8-6e1f9a2c7b04'
    const from = fixture('claude-code/subagent-in-progress-and-file')
    for (const copy of ['a', 'b']) {
      mkdirSync(join(dir, copy, id, 'subagents'), {recursive: true})
      copyFileSync(join(from, `${id}.jsonl`), join(dir, copy, `${id}.jsonl`))
      copyFileSync(
        join(from, id, 'subagents/agent-a7e3f9c.jsonl'),
        join(dir, copy, id, 'subagents/agent-a7e3f9c.jsonl'),
      )
    }
    const one = await run([from])
    const two = await run([dir], true)
    expect(two.summary.totals).toEqual(one.summary.totals)
    // no empty subagent row is left behind by the copy
    expect(two.summary.traces.map(t => t.totals.llmCalls)).toEqual([2, 2])
    expect(two.files.repeats).toBe(2)
  })

  it('never takes steps of traces without a session id for copies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copies-'))
    const text = readFileSync(fixture('swe-agent/no-model.traj'), 'utf8')
    writeFileSync(join(dir, 'a.traj'), text)
    writeFileSync(join(dir, 'b.traj'), text)
    const one = await run([fixture('swe-agent/no-model.traj')])
    const two = await run([dir])
    expect(two.summary.totals.llmCalls).toBe(2 * one.summary.totals.llmCalls)
    expect(two.files.repeats).toBe(0)
    // Counted twice, and said so of the second (trial 78: 60 copies counted in silence); the first has no such word.
    const warned = two.summary.warnings.first.filter(w => w.message === IDENTICAL_TRACE)
    expect(warned).toHaveLength(1)
    expect(warned[0]!.traceId).toBe('b')
    expect(one.summary.warnings.first.some(w => w.message === IDENTICAL_TRACE)).toBe(false)
  })

  it("says so of a copy of a one-call session that records when it started (aider's, to the second: trial 105)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copies-'))
    const whole = readFileSync(fixture('aider/recorded-cost-unpriced-model.aider.chat.history.md'), 'utf8')
    const history = whole.slice(0, whole.indexOf('#### another'))
    for (const d of ['a', 'b']) {
      mkdirSync(join(dir, d))
      writeFileSync(join(dir, d, '.aider.chat.history.md'), history)
    }
    const two = await run([dir])
    expect(two.summary.traces.map(t => t.totals.llmCalls)).toEqual([1, 1])
    expect(two.summary.warnings.first.filter(w => w.message === IDENTICAL_TRACE)).toHaveLength(1)
    // Another session of the same call (another start) is no copy.
    writeFileSync(
      join(dir, 'b', '.aider.chat.history.md'),
      history.replace(/(# aider chat started at \S+ \d\d:\d\d):\d\d/, '$1:59'),
    )
    const rerun = await run([dir])
    expect(rerun.summary.warnings.first.some(w => w.message === IDENTICAL_TRACE)).toBe(false)
  })

  it('does not take two runs of one task that differ in a step for copies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-copies-'))
    const text = readFileSync(fixture('swe-agent/no-model.traj'), 'utf8')
    writeFileSync(join(dir, 'a.traj'), text)
    const other = JSON.parse(text)
    other.trajectory[0].action = `${other.trajectory[0].action} # again`
    writeFileSync(join(dir, 'b.traj'), JSON.stringify(other))
    const two = await run([dir])
    expect(two.summary.warnings.first.some(w => w.message === IDENTICAL_TRACE)).toBe(false)
  })
})
