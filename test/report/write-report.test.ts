/**
 * Writing the report's charts at the end of a run: a link planted in their folder while the run went on (after the
 * checks made before the work) is refused by the check made again just before writing, and a chart is written at its
 * own name, never through a link (REVIEW32: a link planted 0.6 s into a run received the SVG).
 */
import {lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {openCardsWriter} from '../../src/analyze/cards-writer.js'
import {writeReport} from '../../src/report/write-report.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-write-report-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('writeReport', () => {
  it('refuses a link planted among the charts when it checks again, and never writes a chart through one', async () => {
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'keep me\n')
    const assets = [{name: 'trace-1.svg', content: '<svg/>\n'}]
    // Checked again before writing: refused, nothing written.
    mkdirSync(join(dir, 'a', 'r-assets'), {recursive: true})
    symlinkSync(victim, join(dir, 'a', 'r-assets', 'trace-1.svg'))
    await expect(writeReport(join(dir, 'a', 'r.md'), '# r\n', assets, {inputs: []})).rejects.toThrow(
      /its trace-1\.svg is a symbolic link/,
    )
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    // A link planted after that check: the chart replaces the link, and what it pointed to stays as it was.
    mkdirSync(join(dir, 'b', 'r-assets'), {recursive: true})
    symlinkSync(victim, join(dir, 'b', 'r-assets', 'trace-1.svg'))
    await writeReport(join(dir, 'b', 'r.md'), '# r\n', assets)
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    expect(lstatSync(join(dir, 'b', 'r-assets', 'trace-1.svg')).isSymbolicLink()).toBe(false)
    expect(readFileSync(join(dir, 'b', 'r-assets', 'trace-1.svg'), 'utf8')).toBe('<svg/>\n')
  })

  it('takes away the charts of the report it replaces that it does not draw, and nothing else there (trial 84)', async () => {
    const report = join(dir, 'c', 'r.md')
    const charts = join(dir, 'c', 'r-assets')
    const svg = (name: string) => ({name, content: `<svg>${name}</svg>\n`})
    await writeReport(report, '# first\n', ['trace-1.svg', 'trace-2.svg', 'trace-3.svg', 'cost-over-time.svg'].map(svg))
    // A file of the person's own in the folder, and a link where a chart was: neither is aco's to remove.
    writeFileSync(join(charts, 'notes.txt'), 'mine\n')
    const victim = join(dir, 'victim-chart.txt')
    writeFileSync(victim, 'keep me\n')
    rmSync(join(charts, 'trace-3.svg'))
    symlinkSync(victim, join(charts, 'trace-3.svg'))
    await writeReport(report, '# second\n', [svg('trace-1.svg')])
    expect(readdirSync(charts).sort()).toEqual(['notes.txt', 'trace-1.svg', 'trace-3.svg'])
    expect(lstatSync(join(charts, 'trace-3.svg')).isSymbolicLink()).toBe(true)
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
  })

  it('--out: the cards and their index are written at their names, never through a link planted during the run', () => {
    const victim = join(dir, 'victim-cards.txt')
    writeFileSync(victim, 'keep me\n')
    const out = join(dir, 'out')
    mkdirSync(out)
    const writer = openCardsWriter(out)
    // (Planted after the folder was checked and opened.)
    symlinkSync(victim, join(out, 'cards.ndjson'))
    writer.commit()
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n')
    expect(lstatSync(join(out, 'cards.ndjson')).isSymbolicLink()).toBe(false)
  })
})
