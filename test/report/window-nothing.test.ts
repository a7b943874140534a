/** A window that holds none of the steps read says so, not that the files hold nothing (trial 117). */
import {cpSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {renderAnalyze} from '../../src/report/terminal.js'
import {runAnalyze} from '../../src/services/analyze.js'
import {fixture} from '../helpers.js'

describe('no trace counted, the window holding none of the steps read', () => {
  it('says the steps are outside the window, not that the files hold nothing', async () => {
    // (Every step of these files is of 2025-2026: after --until, though the files are opened, each may hold older ones.)
    const dir = mkdtempSync(join(tmpdir(), 'aco-window-nothing-'))
    cpSync(fixture('codex'), dir, {recursive: true})
    const {result} = await runAnalyze({
      paths: [dir],
      until: '2001-01-01',
      redact: true,
      home: '/x',
      env: {},
      cache: false,
      version: 't',
      now: () => new Date(),
    })
    expect(result.totals.llmCalls).toBe(0)
    const screen = renderAnalyze(result, {width: 120, color: false, top: 10, timeZone: 'UTC'})
    expect(screen).toMatch(/files read: .*[\d,]+ steps read, every one outside the window or undated/)
    expect(screen).not.toMatch(/nothing in them/)
  })
})
