/**
 * `aco review` of trace folders goes through aco analyze's per-file cache: a second open reads unchanged files'
 * cards back instead of analysing them again (on test/corpus-extra: 8.6 s to the first screen, then 2.2 s).
 */
import {existsSync, readdirSync} from 'node:fs'
import {afterAll, describe, expect, it} from 'vitest'
import {cacheDir} from '../../src/analyze/cache-dir.js'
import {openReview} from '../../src/review/open.js'
import {fixture} from '../helpers.js'
import {cleanTmp, tmp} from './fixtures.js'

afterAll(cleanTmp)

describe('aco review of trace folders and the analysis cache', () => {
  it('fills the per-file cache at the first open; the second open lists the same traces', async () => {
    const home = tmp()
    const options = {
      paths: [fixture('claude-code')],
      cwd: process.cwd(),
      home,
      env: {},
      cacheDir: tmp(),
      version: '9.9.9',
    }
    const first = await openReview(options)
    const rows = first.source.rows.map(r => [r.id, r.costUsd])
    first.source.close()
    const units = cacheDir(home, {})
    expect(existsSync(units) && readdirSync(units).length).toBeGreaterThan(0)
    const second = await openReview(options)
    expect(second.source.rows.map(r => [r.id, r.costUsd])).toEqual(rows)
    second.source.close()
  })

  it("without aco's version, no cache is written (every file analysed)", async () => {
    const home = tmp()
    const opened = await openReview({
      paths: [fixture('claude-code')],
      cwd: process.cwd(),
      home,
      env: {},
      cacheDir: tmp(),
    })
    opened.source.close()
    expect(existsSync(cacheDir(home, {}))).toBe(false)
  })
})
