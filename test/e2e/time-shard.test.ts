/** The built CLI: --by/--since/--report's cost-over-time chart, and --shard + aco merge giving one run's bytes. */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {fixture, root} from '../helpers.js'
import {check} from '../../src/util/schemas.js'
import {acoAsync} from './run.js'

const tmp = mkdtempSync(join(tmpdir(), 'aco-time-shard-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))
const env = {XDG_CACHE_HOME: join(tmp, 'cache')}
const inputs = [fixture('claude-code'), fixture('codex'), fixture('waste'), fixture('otel')]

describe.concurrent('time and shards (built CLI)', () => {
  it("the README's first example is what the command prints, whole", async () => {
    // (Run as the README's reader runs it: from the repository's root, the paths as written, a pipe's 100 columns.)
    const r = await acoAsync(['analyze', 'fixtures/claude-code', 'fixtures/codex', 'fixtures/waste'], {
      ...env,
      COLUMNS: '100',
    })
    expect(r.status, r.stderr).toBe(0)
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const command = '$ aco analyze fixtures/claude-code fixtures/codex fixtures/waste\n'
    const from = readme.indexOf(command) + command.length
    expect(readme.slice(from, readme.indexOf('```', from))).toBe(r.stdout)
  })

  it("the README's --by week example is what the command prints (trial 82 found it two weeks short)", async () => {
    const r = await acoAsync(
      ['analyze', 'fixtures/claude-code', 'fixtures/codex', 'fixtures/waste', '--by', 'week', '--tz', 'Europe/Berlin'],
      {...env, COLUMNS: '100'},
    )
    const table = (text: string): string => {
      const from = text.indexOf('Cost by week  (Europe/Berlin)')
      return text.slice(from, text.indexOf('\n\n', from) === -1 ? undefined : text.indexOf('\n\n', from)).trimEnd()
    }
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const shown = readme.slice(readme.indexOf('Cost by week  (Europe/Berlin)'))
    expect(shown.slice(0, shown.indexOf('\n```')).trimEnd()).toBe(table(r.stdout))
  })

  it('says a TZ that names no zone Node knows reads dates in UTC; a zone it knows, or UTC, is said nothing of (trial 127)', async () => {
    const args = ['analyze', 'fixtures/codex', '--by', 'day']
    for (const tz of ['Foo/Bar', 'EST5EDT,M3.2.0,M11.1.0']) {
      const r = await acoAsync(args, {TZ: tz})
      expect(r.status, r.stderr).toBe(0)
      expect(r.stderr).toContain(`Note: TZ=${tz} names no time zone aco knows: dates are read and shown in UTC`)
      expect(r.stdout).toMatch(/Cost by day {2}\(UTC\)/)
    }
    for (const tz of ['UTC', 'Europe/Berlin', 'EST5EDT', 'UTC0', 'Etc/GMT+5', '']) {
      const r = await acoAsync(args, {TZ: tz})
      // (An empty TZ, docker-compose's `TZ: ${TZ}` unset, threw "Invalid time zone specified: Etc/Unknown"; review 128.)
      expect(r.status, `${tz}: ${r.stderr}`).toBe(0)
      expect(r.stderr, tz).not.toMatch(/names no time zone/)
    }
    // A zone file's path names the zone of its name under zoneinfo/.
    const file = await acoAsync(args, {TZ: '/usr/share/zoneinfo/Europe/Berlin'})
    expect(file.stdout).toMatch(/Cost by day {2}\(Europe\/Berlin\)/)
    // --tz decides, whatever TZ says.
    expect((await acoAsync([...args, '--tz', 'Asia/Tokyo'], {TZ: 'Foo/Bar'})).stderr).not.toMatch(/names no time zone/)
  })

  it('aco merge of --shard 1/2 and 2/2 prints what one run prints, byte for byte', async () => {
    const [single, one, two] = await Promise.all([
      acoAsync(['analyze', ...inputs, '--json', '--by', 'day'], env),
      acoAsync(['analyze', ...inputs, '--json', '--by', 'day', '--shard', '1/2'], env),
      acoAsync(['analyze', ...inputs, '--json', '--by', 'day', '--shard', '2/2'], env),
    ])
    expect(single.status, single.stderr).toBe(0)
    writeFileSync(join(tmp, 'p1.json'), one.stdout)
    writeFileSync(join(tmp, 'p2.json'), two.stdout)
    expect(JSON.parse(one.stdout).traces.length).toBeGreaterThan(0)
    expect(JSON.parse(two.stdout).traces.length).toBeGreaterThan(0)
    const merged = await acoAsync(['merge', join(tmp, 'p2.json'), join(tmp, 'p1.json'), '--json'])
    expect(merged.status, merged.stderr).toBe(0)
    expect(merged.stdout).toBe(single.stdout)
    const missing = await acoAsync(['merge', join(tmp, 'p1.json')])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/Shard 2 of 2 missing/)
  })

  it('aco merge redacts what shards run with --no-redact kept, unless it is asked not to (trial 107)', async () => {
    const token = `ghp_${'Nq7VwYS81VPx3kLm9TzQa2Rb5Hc8Jd4Fe6Gt'}`
    const dir = join(tmp, 'secret')
    mkdirSync(dir)
    const session = readFileSync(fixture('waste/duplicate-call.jsonl'), 'utf8').replace(
      /"content": ?"([^"]*)"/,
      (_, text: string) => `"content": "${text} (push with ${token})"`,
    )
    expect(session).toContain(token)
    writeFileSync(join(dir, 'a.jsonl'), session)
    const folders = [dir, fixture('codex')]
    const [single, one, two] = await Promise.all([
      acoAsync(['analyze', ...folders, '--json', '--no-redact'], env),
      acoAsync(['analyze', ...folders, '--json', '--no-redact', '--shard', '1/2'], env),
      acoAsync(['analyze', ...folders, '--json', '--no-redact', '--shard', '2/2'], env),
    ])
    expect(single.stdout).toContain(token)
    writeFileSync(join(tmp, 's1.json'), one.stdout)
    writeFileSync(join(tmp, 's2.json'), two.stdout)
    const merged = await acoAsync(['merge', join(tmp, 's1.json'), join(tmp, 's2.json'), '--json'])
    expect(merged.status, merged.stderr).toBe(0)
    expect(merged.stdout).not.toContain(token)
    expect(merged.stdout).toContain('[REDACTED:github-pat]')
    const kept = await acoAsync(['merge', join(tmp, 's1.json'), join(tmp, 's2.json'), '--json', '--no-redact'])
    expect(kept.stdout).toBe(single.stdout)
  })

  it('aco merge exits as the single run does: 3 when a shard skipped input', async () => {
    const withBad = [...inputs, fixture('bad/truncated-last-line.jsonl')]
    const [single, one, two] = await Promise.all([
      acoAsync(['analyze', ...withBad, '--json'], env),
      acoAsync(['analyze', ...withBad, '--json', '--shard', '1/2'], env),
      acoAsync(['analyze', ...withBad, '--json', '--shard', '2/2'], env),
    ])
    expect(single.status, single.stderr).toBe(3)
    writeFileSync(join(tmp, 'b1.json'), one.stdout)
    writeFileSync(join(tmp, 'b2.json'), two.stdout)
    const merged = await acoAsync(['merge', join(tmp, 'b1.json'), join(tmp, 'b2.json'), '--json'])
    expect(merged.status, merged.stderr).toBe(3)
    expect(merged.stdout).toBe(single.stdout)
    // On the screen: named as the merge it is.
    const screen = await acoAsync(['merge', join(tmp, 'b1.json'), join(tmp, 'b2.json')])
    expect(screen.stdout).toMatch(/^aco merge · \d+ traces/)
    // A shard the split leaves with nothing (one folder, seven parts) is a part all the same: exit 0, not 4.
    const parts = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map(i => acoAsync(['analyze', fixture('codex'), '--json', '--shard', `${i}/7`], env)),
    )
    const empty = parts.filter(p => JSON.parse(p.stdout).traces.length === 0)
    expect(empty.length).toBeGreaterThan(0)
    for (const p of empty) expect(p.status, p.stderr).toBe(0)
    // --out: the cards written, and the subagents they hold.
    const out = await acoAsync(['analyze', fixture('claude-code'), '--out', join(tmp, 'cards')], env)
    expect(out.stderr).toMatch(/wrote \d+ cards \(\+\d+ subagents\) to /)
  })

  it('--by week --since --report: the table on screen, the chart beside the report; a bad zone or date is exit 2', async () => {
    const report = join(tmp, 'r.md')
    const run = await acoAsync(
      ['analyze', ...inputs, '--by', 'week', '--tz', 'Europe/Berlin', '--since', '2026-01-01', '--report', report],
      env,
    )
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Cost by week {2}\(Europe\/Berlin\)/)
    expect(run.stdout).toMatch(/2026-W09/)
    expect(run.stdout).not.toMatch(/2025-W/)
    // The window in the zone the dates were read in (2025-12-31T23:00:00Z in --json).
    expect(run.stdout).toMatch(/Window 2026-01-01 00:00 → now \(Europe\/Berlin\)/)
    // Edges with seconds keep them (trial 34: 10:00:05 → 10:00:15 read "10:00 → 10:00", an empty-looking window).
    const seconds = await acoAsync(
      ['analyze', ...inputs, '--tz', 'UTC', '--since', '2026-11-02T10:00:05Z', '--until', '2026-11-02T10:00:15Z'],
      env,
    )
    expect(seconds.stdout).toMatch(/Window 2026-11-02 10:00:05 → 2026-11-02 10:00:15 \(UTC\)/)
    const millis = await acoAsync(
      [
        'analyze',
        ...inputs,
        '--tz',
        'Asia/Tokyo',
        '--since',
        '2026-11-02T10:00:00.200Z',
        '--until',
        '2026-11-02T10:00:00.800Z',
      ],
      env,
    )
    expect(millis.stdout).toMatch(/Window 2026-11-02 19:00:00\.200 → 2026-11-02 19:00:00\.800 \(Asia\/Tokyo\)/)
    const md = readFileSync(report, 'utf8')
    expect(md).toMatch(/## Cost by week/)
    expect(md).toMatch(/!\[cost per week\]\(r-assets\/cost-over-time\.svg\)/)
    expect(existsSync(join(tmp, 'r-assets', 'cost-over-time.svg'))).toBe(true)
    const [zone, date] = await Promise.all([
      acoAsync(['analyze', ...inputs, '--by', 'day', '--tz', 'Mars/Olympus'], env),
      acoAsync(['analyze', ...inputs, '--since', 'yesterday'], env),
    ])
    expect(zone.status).toBe(2)
    expect(zone.stderr).toMatch(/Unknown time zone: Mars\/Olympus/)
    expect(date.status).toBe(2)
    expect(date.stderr).toMatch(/--since yesterday: not a date/)
    const reversed = await acoAsync(['analyze', ...inputs, '--since', '2026-03-01', '--until', '2026-02-01'], env)
    expect(reversed.status).toBe(2)
    expect(reversed.stderr).toMatch(/--since 2026-03-01 is not before --until 2026-02-01/)
    // The machine's zone as TZ names it (ICU files Asia/Kolkata under Asia/Calcutta: trial 31).
    const kolkata = await acoAsync(['analyze', ...inputs, '--by', 'day'], {...env, TZ: 'Asia/Kolkata'})
    expect(kolkata.stdout).toContain('Cost by day  (Asia/Kolkata)')
    // A TZ ICU takes for no zone of the machine's (it says undefined): read as --tz reads it (review 32).
    const lower = await acoAsync(['analyze', ...inputs, '--by', 'day', '--json'], {...env, TZ: 'utc'})
    expect(JSON.parse(lower.stdout).groups.timeZone).toBe('UTC')
    // `--until "$END"` with the variable unset: refused, not the whole history as if no window were asked.
    const unset = await acoAsync(['analyze', ...inputs, '--until', ''], env)
    expect(unset.status, unset.stderr).toBe(2)
    expect(unset.stderr).toMatch(/--until was given an empty date/)
    // `--by model`: one table of the models, the grouped one (with each model's waste).
    const byModel = await acoAsync(['analyze', ...inputs, '--by', 'model'], env)
    expect(byModel.stdout.match(/Cost by model/g)).toHaveLength(1)
    // A window that leaves nothing: the screen says which files it kept from being opened.
    const empty = await acoAsync(['analyze', ...inputs, '--since', '2099-01-01'], env)
    expect(empty.status).toBe(4)
    // (In the machine's zone, as clock time with the zone named, UTC too: trial 31 met two forms.)
    expect(empty.stdout).toMatch(/Window 2099-01-01 00:00 → now \([^)]+\) · \d+ older files not opened/)
    // No file opened is said as that, not "0 files read: nothing in them" (trial 72).
    expect(empty.stdout).toMatch(/^ {2}0 files read$/m)
    expect(empty.stdout).not.toMatch(/nothing in them/)
    // A window that opens after now is said to (a typo for this year, most likely); the run goes on.
    expect(empty.stderr).toMatch(/Note: --since 2099-01-01 is after now \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)/)
    // With --json (stderr quiet), in the result: said somewhere either way (review 83).
    const asJson = await acoAsync(['analyze', ...inputs, '--since', '2099-01-01', '--json'], env)
    expect(asJson.status).toBe(4)
    expect(JSON.parse(asJson.stdout).notes).toEqual([expect.stringMatching(/^--since 2099-01-01 is after now \(/)])
    expect(check('analyze-result', JSON.parse(asJson.stdout))).toBeUndefined()
  })
})
