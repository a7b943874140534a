/**
 * `aco review` of trace folders goes through aco analyze's per-file cache: a second open reads unchanged files'
 * cards back instead of analysing them again (on test/corpus-extra: 8.6 s to the first screen, then 2.2 s).
 */
import {copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync, appendFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {cacheDir} from '../../src/analyze/cache-dir.js'
import {openReview} from '../../src/review/open.js'
import {summaryLines} from '../../src/review/start.js'
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

  it('keeps what analysing the traces skipped, and says it when the review ends (file and line), as analyze does', async () => {
    const dir = join(tmp(), 'traces')
    mkdirSync(dir, {recursive: true})
    copyFileSync(fixture('waste-classes/ssh-and-scp-between-reads.jsonl'), join(dir, 'a.jsonl'))
    appendFileSync(join(dir, 'a.jsonl'), '{"type":"user",\n')
    writeFileSync(join(dir, 'b.jsonl'), '{"bad json\n')
    const opened = await openReview({paths: [dir], cwd: process.cwd(), home: tmp(), env: {}, cacheDir: tmp()})
    opened.source.close()
    expect(opened.skipped.map(s => [s.path.split('/').pop(), s.line])).toEqual([
      ['a.jsonl', 16],
      ['b.jsonl', undefined],
    ])
    const said = summaryLines({
      decisionsPath: './d.json',
      saved: false,
      counts: {decisions: 0, prune: {accept: 0, reject: 0}} as never,
      skipped: opened.skipped,
    })
    expect(said[0]).toBe('Skipped (2 problems; the rest was read):')
    expect(said[1]).toMatch(/a\.jsonl:16 {2}invalid JSON/)
    expect(said[2]).toMatch(/b\.jsonl {2}truncated/)
    // A reason of kilobytes (an unknown format's list of every format looked for) is cut for the terminal (trial 72).
    const long = summaryLines({
      decisionsPath: './d.json',
      saved: false,
      counts: {decisions: 0, prune: {accept: 0, reject: 0}} as never,
      skipped: [{path: '/t/odd.jsonl', reason: `unknown format; looked for ${'a format (its shape); '.repeat(200)}`}],
    })
    expect(long[1]!.length).toBeLessThan(320)
    expect(long[1]).toMatch(
      /^ {2}\/t\/odd\.jsonl {2}unknown format; looked for .*… \(aco analyze --json has it whole\)$/,
    )
  })
})
