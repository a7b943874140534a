/**
 * A report that replaces an earlier one replaces it whole or not at all: every chart and the report are written and
 * flushed before any is renamed into place. Trial 127: a disk that filled (or a kill) while the charts were written left
 * the earlier report beside the new charts. The failing write here is one the system refuses to anyone, root too: a
 * temporary file whose name, longer than the file's own, is past the file system's 255 bytes.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {writeReport} from '../../src/report/write-report.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-report-whole-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const svg = (name: string, text: string) => ({name, content: `<svg>${text}</svg>\n`})
/** The files of a folder and what each holds (its folders by name alone). */
const contents = (folder: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(folder, {withFileTypes: true}).map(e => [
      e.name,
      e.isDirectory() ? '(folder)' : readFileSync(join(folder, e.name), 'utf8'),
    ]),
  )
/** A name the file system takes, whose temporary file's name (`.NAME.<pid>.<ms>.tmp`) it does not. */
const longName = (end: string): string => `${'x'.repeat(245 - end.length)}${end}`

describe('a report written over an earlier one', () => {
  it('keeps the earlier report and every chart of it where a chart or the report cannot be written', async () => {
    const report = join(dir, longName('.md'))
    const charts = join(dir, `${longName('.md').slice(0, -3)}-assets`)
    // The earlier report, as a run wrote it.
    mkdirSync(charts)
    writeFileSync(report, '# first\n')
    writeFileSync(join(charts, 'trace-1.svg'), '<svg>one</svg>\n')
    writeFileSync(join(charts, 'trace-2.svg'), '<svg>two</svg>\n')
    const before = contents(dir)
    const beforeCharts = contents(charts)
    // The report cannot be written (after its charts could), and a chart cannot be (after another could).
    for (const assets of [
      [svg('trace-1.svg', 'ONE'), svg('trace-2.svg', 'TWO')],
      [svg('trace-1.svg', 'ONE'), svg(longName('.svg'), 'TWO')],
    ]) {
      await expect(writeReport(report, '# second\n', assets)).rejects.toThrow(/^Cannot write --report /)
      expect(contents(dir)).toEqual(before)
      expect(contents(charts)).toEqual(beforeCharts)
      expect(readdirSync(charts).filter(n => n.endsWith('.tmp'))).toEqual([])
    }
  })

  it('is replaced whole where every write goes through', async () => {
    const report = join(dir, 'r.md')
    await writeReport(report, '# first\n', [svg('trace-1.svg', 'one'), svg('trace-2.svg', 'two')])
    await writeReport(report, '# second\n', [svg('trace-1.svg', 'ONE')])
    expect(readFileSync(report, 'utf8')).toBe('# second\n')
    expect(contents(join(dir, 'r-assets'))).toEqual({'trace-1.svg': '<svg>ONE</svg>\n'})
  })
})
