/**
 * No planted secret reaches any output: a Claude Code session carries a
 * secret of every provider's shape where real logs carry them (the prompt,
 * a tool's arguments and output, an error, the response's text, the first
 * line a title is made of, an output long enough that the card keeps its
 * distinctive terms), repeated so the waste detectors flag the calls.
 * Then every output of the built CLI is searched for any 12 characters of any
 * of them: analyze's terminal table and --json, the cards and their index,
 * the Markdown report and its SVG charts, aco label's output and decisions
 * file, and aco patch's PR.md and patches.
 */
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {forbidden, leak, plantedSecrets} from '../support/planted.js'
import {claudeSession} from '../support/traces.js'
import {acoAsync, type CliRun} from './run.js'

const planted = plantedSecrets(12)
let work: string
const runs: Array<{name: string; run: CliRun}> = []

/** Every file under `dir`, with its path. */
function filesUnder(dir: string): Array<{path: string; text: string}> {
  const out: Array<{path: string; text: string}> = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...filesUnder(path))
    else out.push({path, text: readFileSync(path, 'utf8')})
  }
  return out
}

function leaks(where: string, text: string): string[] {
  const found: string[] = []
  for (const p of planted)
    for (const secret of forbidden(p)) {
      const part = leak(text, secret)
      if (part) found.push(`${where}: ${p.kind} (${part})`)
    }
  return found
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aco-e2e-secrets-'))
  const all = planted.map(p => p.text).join('\n')
  // The title is the prompt's first line: a token near its start (the SVG chart shows it) and an AWS key across
  // its 100th character (where titles are cut).
  let title = `${planted.find(p => p.kind === 'github-classic')!.text} and `
  while (title.length < 56) title += 'please '
  title += planted.find(p => p.kind === 'aws-access-key-id')!.text
  const log = Array.from(
    {length: 400},
    (_, i) => `2026-01-01 INFO worker_${i} done batch_id=${i} in app.core.run_${i}`,
  ).join('\n')
  const lines = claudeSession({
    prompt: `${title}\n${all}`,
    calls: [
      ...Array.from({length: 4}, () => ({
        text: `Reading the env file. ${planted.at(-1)!.text}`,
        // (The secrets on the command's one line, as a comment: a read of .env repeated, which the detectors flag.)
        tools: [{name: 'Bash', input: {command: `cat .env # ${all.replace(/\n/g, ' ')}`}, output: all}],
      })),
      ...planted.map(p => ({
        tools: [{name: 'Read', input: {file_path: '/home/dev/app/.env', note: p.text}, output: p.text, isError: true}],
      })),
      // An output long enough that the card keeps its distinctive terms (a password's value alone is a term like any
      // other word): the secrets, then a log.
      {tools: [{name: 'Bash', input: {command: 'cat .env app.log'}, output: `${all}\n${log}`}]},
      {text: `Done. ${all}`},
    ],
  })
  const input = join(work, 'session.jsonl')
  writeFileSync(input, `${lines.join('\n')}\n`)
  const cards = join(work, 'cards')
  const decisions = join(work, 'decisions.json')
  const steps: Array<[string, string[]]> = [
    ['analyze (terminal)', ['analyze', input, '--out', cards, '--report', join(work, 'report', 'report.md')]],
    ['analyze --json', ['analyze', input, '--json']],
    ['label --accept-flags', ['label', '--decisions', decisions, '--cards', cards, '--accept-flags', 'all']],
    ['label --json', ['label', '--decisions', decisions, '--json']],
    [
      'patch',
      [
        'patch',
        '--decisions',
        decisions,
        '--cards',
        cards,
        '--target',
        'aco-policy:aco-policy.json',
        '--out',
        join(work, 'patches'),
      ],
    ],
  ]
  for (const [name, args] of steps) {
    const run = await acoAsync(args, {}, work)
    if (run.status !== 0) throw new Error(`aco ${name} exited ${run.status}: ${run.stderr}`)
    runs.push({name, run})
  }
}, 240_000)

describe('no planted secret in any output of the built CLI', () => {
  it('the session plants every kind, and the detectors flag its calls (so decisions and PR.md hold steps)', () => {
    expect(planted.length).toBeGreaterThan(25)
    const decisions = JSON.parse(readFileSync(join(work, 'decisions.json'), 'utf8')) as {decisions: unknown[]}
    expect(decisions.decisions.length).toBeGreaterThan(0)
    expect(readdirSync(join(work, 'report'))).toEqual(expect.arrayContaining(['report.md', 'report-assets']))
    expect(readdirSync(join(work, 'report', 'report-assets')).some(f => f.endsWith('.svg'))).toBe(true)
    expect(readdirSync(join(work, 'patches'))).toContain('PR.md')
  })

  it('stdout and stderr of analyze, label and patch', () => {
    const found = runs.flatMap(({name, run}) => [
      ...leaks(`${name} stdout`, run.stdout),
      ...leaks(`${name} stderr`, run.stderr),
    ])
    expect(found).toEqual([])
  })

  it('the cards, their index, the report and its SVG charts, the decisions file, PR.md and the patches', () => {
    const files = filesUnder(work).filter(f => !f.path.endsWith('session.jsonl'))
    expect(files.length).toBeGreaterThan(4)
    expect(files.flatMap(f => leaks(f.path.slice(work.length + 1), f.text))).toEqual([])
  })

  it('the control: with --no-redact the cards hold every planted kind (the search finds what is there)', async () => {
    // Outside `work`: the other tests search every file under it.
    const raw = mkdtempSync(join(tmpdir(), 'aco-e2e-secrets-control-'))
    const run = await acoAsync(
      ['analyze', join(work, 'session.jsonl'), '--out', raw, '--no-redact', '--no-cache'],
      {},
      work,
    )
    expect(run.status).toBe(0)
    const text = readFileSync(join(raw, 'cards.ndjson'), 'utf8')
    const missed = planted.filter(p => leaks('control', text).every(l => !l.includes(`: ${p.kind} (`)))
    expect(missed.map(p => p.kind)).toEqual([])
  }, 120_000)
})
