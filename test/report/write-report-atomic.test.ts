/**
 * A report that replaces an earlier one replaces it whole or not at all: every chart and the report are written and
 * flushed before any is renamed into place. Trial 127: a disk that filled (or a kill) while the charts were written left
 * the earlier report beside the new charts.
 */
import * as fs from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it, vi} from 'vitest'

/** The temporary files whose writes fail, by a part of their names (a disk that fills at that point). */
const failing = {part: ''}
vi.mock('node:fs', async original => {
  const real = await original<typeof import('node:fs')>()
  return {
    ...real,
    writeFileSync: (file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof file === 'number' && failing.part) {
        const name = real.readlinkSync(`/proc/self/fd/${file}`)
        if (name.includes(failing.part)) throw Object.assign(new Error('ENOSPC: no space left'), {code: 'ENOSPC'})
      }
      return (real.writeFileSync as (...a: unknown[]) => void)(file, ...rest)
    },
  }
})

const {writeReport} = await import('../../src/report/write-report.js')
const dir = fs.mkdtempSync(join(tmpdir(), 'aco-report-whole-'))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

const svg = (name: string, text: string) => ({name, content: `<svg>${text}</svg>\n`})
const contents = (folder: string): Record<string, string> =>
  Object.fromEntries(fs.readdirSync(folder).map(n => [n, fs.readFileSync(join(folder, n), 'utf8')]))

describe('a report written over an earlier one', () => {
  it.skipIf(!fs.existsSync('/proc/self/fd'))(
    'keeps the earlier report and every chart of it where a write fails',
    async () => {
      const report = join(dir, 'r.md')
      const charts = join(dir, 'r-assets')
      await writeReport(report, '# first\n', [svg('trace-1.svg', 'one'), svg('trace-2.svg', 'two')])
      const before = {report: fs.readFileSync(report, 'utf8'), charts: contents(charts)}
      for (const part of ['.trace-2.svg.', '.r.md.']) {
        failing.part = part
        await expect(
          writeReport(report, '# second\n', [svg('trace-1.svg', 'ONE'), svg('trace-2.svg', 'TWO')]),
        ).rejects.toThrow(/Cannot write --report .*no space left on the device/)
        failing.part = ''
        expect(fs.readFileSync(report, 'utf8'), part).toBe(before.report)
        expect(contents(charts), part).toEqual(before.charts)
        expect(
          fs.readdirSync(dir).filter(n => n.endsWith('.tmp')),
          part,
        ).toEqual([])
      }
      // And with nothing failing, the new one whole.
      await writeReport(report, '# second\n', [svg('trace-1.svg', 'ONE')])
      expect(fs.readFileSync(report, 'utf8')).toBe('# second\n')
      expect(contents(charts)).toEqual({'trace-1.svg': '<svg>ONE</svg>\n'})
    },
  )
})
