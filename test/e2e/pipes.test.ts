/**
 * A FIFO or a device named where aco reads a file: refused at once with what it is (exit 2), never opened. Trial 127:
 * `aco formats`, `aco merge` and `aco review` blocked forever in open() on a FIFO with no writer (a cron job hung), and
 * `aco merge /dev/zero` read 512 MB before it failed.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {isCardsInput, openCards} from '../../src/review/source.js'
import {fixture} from '../helpers.js'
import {acoAsync as aco, oneLine} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-pipes-'))
const fifo = join(dir, 'p.json')
execFileSync('mkfifo', [fifo])
mkdirSync(join(dir, 'cards'))
execFileSync('mkfifo', [join(dir, 'cards', 'cards.ndjson')])

describe('a FIFO or a device where a file is read', () => {
  it('aco formats and aco merge refuse it (exit 2), the mapping of --check too', async () => {
    for (const args of [
      ['formats', fifo],
      ['formats', '/dev/null'],
      ['merge', fifo],
      ['merge', '/dev/zero'],
      ['formats', '--check', fifo, fixture('mapping/acme-agent.jsonl')],
      ['formats', '--check', fixture('mapping/acme-agent.yaml'), fifo],
    ]) {
      const r = await aco(args)
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2)
      expect(oneLine(r.stderr), args.join(' ')).toMatch(/(?:FIFO|pipe) or a device/)
      expect(r.stderr).not.toMatch(/Parsing --check|\n\s+at /)
    }
  })

  it('aco review takes no FIFO for cards, named or in a folder, and opens none', () => {
    expect(isCardsInput(join(dir, 'cards', 'cards.ndjson'))).toBe(false)
    expect(isCardsInput(join(dir, 'cards'))).toBe(false)
    expect(() => openCards(join(dir, 'cards', 'cards.ndjson'), {cacheDir: join(dir, 'cache')})).toThrow(
      /not a regular file \(a FIFO or a device\)/,
    )
  })
})
