/** A window that holds none of the steps read says so, not that the files hold nothing (trial 117). */
import {cpSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {renderAnalyze} from '../../src/report/terminal.js'
import {runAnalyze} from '../../src/services/analyze.js'
import {fixture} from '../helpers.js'

/** An analysis of `dir` without the cache, as a run at the terminal makes it. */
async function analyze(dir: string, extra: {until?: string} = {}) {
  const {result} = await runAnalyze({
    paths: [dir],
    redact: true,
    home: '/x',
    env: {},
    cache: false,
    version: 't',
    now: () => new Date(),
    ...extra,
  })
  return result
}

describe('no trace counted, the window holding none of the steps read', () => {
  it('says the steps are outside the window, not that the files hold nothing', async () => {
    // (Every step of these files is of 2025-2026: after --until, though the files are opened, each may hold older ones.)
    const dir = mkdtempSync(join(tmpdir(), 'aco-window-nothing-'))
    cpSync(fixture('codex'), dir, {recursive: true})
    const result = await analyze(dir, {until: '2001-01-01'})
    expect(result.totals.llmCalls).toBe(0)
    const screen = renderAnalyze(result, {width: 120, color: false, top: 10, timeZone: 'UTC'})
    expect(screen).toMatch(/files read: .*[\d,]+ steps read, every one outside the window or undated/)
    expect(screen).not.toMatch(/nothing in them/)
  })
})

describe('no trace counted, many files of one reason', () => {
  it('says a run of files of one reason under it once, and counts the files past the list from the counts (trial 130)', async () => {
    const {writeFileSync, mkdirSync} = await import('node:fs')
    // OpenCode's storage before 1.2: a message file of its own, a companion of traces.
    const dir = mkdtempSync(join(tmpdir(), 'aco-many-companions-'))
    const folder = join(dir, 'storage', 'message', 'ses_094543c98ffeLpQNuFXFVsZjKq')
    mkdirSync(folder, {recursive: true})
    for (let k = 0; k < 130; k++)
      writeFileSync(
        join(folder, `msg_${String(k).padStart(3, '0')}.json`),
        JSON.stringify({
          id: `msg_${k}`,
          sessionID: 'ses_094543c98ffeLpQNuFXFVsZjKq',
          role: 'assistant',
          time: {created: 1787700000000 + k},
          modelID: 'gpt-5.4',
          providerID: 'openai',
          tokens: {input: 1, output: 1, reasoning: 0, cache: {read: 0, write: 0}},
          cost: 0,
        }),
      )
    const result = await analyze(dir)
    expect(result.files.companions).toBe(130)
    expect(result.nothingToCount).toHaveLength(100)
    const screen = renderAnalyze(result, {width: 120, color: false, top: 10, timeZone: 'UTC'})
    expect(screen.match(/a companion of traces, not a trace/g)).toHaveLength(1)
    expect(screen).toMatch(/\/ses_094543c98ffeLpQNuFXFVsZjKq\/msg_009\.json\n/)
    expect(screen).toMatch(/… 120 more \(--json lists the first 100\)/)
  })
})
