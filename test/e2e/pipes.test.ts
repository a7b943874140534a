/**
 * Paths aco cannot read, said as what they are. A FIFO or a device named where aco reads a file: refused at once with what it is (exit 2), never opened. Trial 127:
 * `aco formats`, `aco merge` and `aco review` blocked forever in open() on a FIFO with no writer (a cron job hung), and
 * `aco merge /dev/zero` read 512 MB before it failed.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
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

  it('aco review reads cards whose index is a FIFO as cards with no index: it builds its own (review 128)', async () => {
    const out = join(dir, 'out')
    expect((await aco(['analyze', fixture('codex'), '--out', out])).status).toBe(0)
    rmSync(join(out, 'cards.index.ndjson'))
    execFileSync('mkfifo', [join(out, 'cards.index.ndjson')])
    expect(isCardsInput(out)).toBe(true)
    const source = openCards(out, {cacheDir: join(dir, 'cache')})
    expect(source.indexRebuilt).toBe(true)
    expect(source.rows.length).toBeGreaterThan(0)
    source.close()
  })
})

describe('a file behind a folder aco may not enter', () => {
  it('is said to be behind a permission, not "no such file or folder" (trial 127)', () => {
    const root = mkdtempSync(join(tmpdir(), 'aco-perm-'))
    mkdirSync(join(root, 'nox'))
    copyFileSync(fixture('claude-code/advisor-tool.jsonl'), join(root, 'nox', 'a.jsonl'))
    chmodSync(join(root, 'nox'), 0o644)
    chmodSync(root, 0o755)
    const file = join(root, 'nox', 'a.jsonl')
    const args = [`${process.cwd()}/bin/run.js`, 'analyze', file]
    const env = {...process.env, NO_COLOR: '1', HOME: root, XDG_CACHE_HOME: join(root, 'cache')}
    // (Root enters any folder: the run is made as nobody where setpriv can, else the test says so and stops.)
    const asRoot = process.getuid?.() === 0
    const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath]
    const setpriv = asRoot && spawnSync('setpriv', ['--version']).status === 0
    if (asRoot && !setpriv) {
      console.warn('skipped: running as root without setpriv, so no folder is closed to the run')
      return
    }
    // (Nor where nobody may not read aco itself: a clone in a folder closed to others.)
    if (
      setpriv &&
      spawnSync('setpriv', [...nobody, '-e', `require('fs').accessSync(${JSON.stringify(args[0])})`]).status
    )
      return void console.warn('skipped: this clone of aco is closed to the user nobody')
    const r = setpriv
      ? spawnSync('setpriv', [...nobody, ...args], {
          env,
          encoding: 'utf8',
        })
      : spawnSync(process.execPath, args, {env, encoding: 'utf8'})
    expect(r.status, r.stderr).toBe(2)
    expect(oneLine(r.stderr)).toMatch(/Cannot read \S+a\.jsonl \(permission denied\)/)
    expect(r.stderr).not.toMatch(/No such file/)
  })
})
