/**
 * The README's flow on the bundled fixtures, with the built CLI:
 * aco analyze --out, aco label --accept-flags, aco train, aco patch; then the
 * patches apply with git apply, the policy file routes through the library,
 * and --json matches its schema.
 */
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {validator} from '../../src/util/schemas.js'
import {loadPolicy, route} from '../../src/policy/load.js'
import type {PatchResult} from '../../src/patch/patch.js'
import {fixture} from '../helpers.js'
import {applyIn, tempRepo} from '../patch/git.js'
import {acoAsync as aco, oneLine} from './run.js'

let work: string
let repo: string

const TARGETS = [
  '--target',
  'aco-policy:aco-policy.json',
  '--target',
  'litellm:deploy/litellm.yaml',
  '--target',
  'claude-settings:.claude/settings.json',
  '--target',
  'swe-agent:agents/swe.yaml',
]

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aco-e2e-patch-'))
  const cfg = (p: string): string => readFileSync(fixture(`configs/${p}`), 'utf8')
  repo = tempRepo({
    'deploy/litellm.yaml': cfg('litellm/config.yaml'),
    'deploy/broken.yaml': cfg('bad/litellm-tab.yaml'),
    '.claude/settings.json': cfg('claude/.claude/settings.json'),
    'agents/swe.yaml': cfg('swe-agent/config.yaml'),
  })
  const steps: string[][] = [
    ['analyze', fixture('claude-code'), fixture('waste'), '--out', join(work, 'cards')],
    ['label', '--decisions', join(work, 'decisions.json'), '--cards', join(work, 'cards'), '--accept-flags', 'all'],
    [
      'train',
      '--outcomes',
      fixture('routing-claude/outcomes.jsonl'),
      '--text',
      fixture('routing-claude/prompts.jsonl'),
      '--alpha',
      '0.1',
      '--out',
      join(work, 'router'),
    ],
  ]
  for (const args of steps) {
    const r = await aco(args)
    if (r.status !== 0) throw new Error(`aco ${args[0]} exited ${r.status}: ${r.stderr}`)
  }
}, 120_000)

const inputs = (): string[] => [
  '--router',
  join(work, 'router/router.json'),
  '--decisions',
  join(work, 'decisions.json'),
]

describe('aco patch (built CLI), after analyze, label and train', () => {
  it('writes one patch per changed file and PR.md; every patch applies from the repository root', async () => {
    const out = join(work, 'out')
    const r = await aco(['patch', ...inputs(), ...TARGETS, '--out', out], {}, repo)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(
      /aco patch · policy: cheap claude-haiku-4-5 · mid claude-sonnet-4-5 · strong claude-opus-4-6/,
    )
    expect(r.stdout).toMatch(/expected (saving|extra cost): \$[\d.]+ per 30 days/)
    // Each part says whether it saves or costs more; none is a negative amount beside a heading of the other sign.
    expect(r.stdout).toMatch(
      /\(routing (?:saves \$[\d.]+|costs \$[\d.]+ more), prune (?:saves \$[\d.]+|costs \$[\d.]+ more);/,
    )
    expect(r.stdout).not.toMatch(/\$-/)
    // The total and its parts at one precision, adding up as printed. (These figures are all under a cent, which the
    // old formatting printed alike too: the mixed case of trial 33, "$0.03 (routing saves $0.03, prune saves $0.0072)",
    // is usdAlike's own test, test/util/format.test.ts.)
    const m =
      /expected (saving|extra cost): \$([\d.]+) per 30 days \(routing (saves|costs) \$([\d.]+)(?: more)?, prune (saves|costs) \$([\d.]+)/.exec(
        r.stdout,
      )!
    const decimals = [m[2], m[4], m[6]].map(v => v!.split('.')[1]?.length ?? 0)
    expect(new Set(decimals).size, r.stdout).toBe(1)
    const sign = (w: string | undefined): number => (w === 'saves' || w === 'saving' ? 1 : -1)
    const parts = sign(m[3]) * Number(m[4]) + sign(m[5]) * Number(m[6])
    expect(Math.abs(sign(m[1]) * Number(m[2]) - parts)).toBeLessThanOrEqual(1.01 * 10 ** -decimals[0]!)
    const files = readdirSync(out).sort()
    expect(files).toContain('PR.md')
    expect(files).toContain('01-aco-policy-aco-policy.json.patch')
    const pr = readFileSync(join(out, 'PR.md'), 'utf8')
    for (const section of [
      '## What changes and why',
      '## Expected saving',
      "## The router's evaluation (held-out items)",
      '## Prune changes',
      '## Evidence',
      '## Roll back',
    ])
      expect(pr).toContain(section)
    expect(pr).toMatch(/\*\*\$[\d.]+ per 30 days\*\*/)
    expect(pr).toMatch(/aco review .*cards/)
    const check = tempRepo({
      'deploy/litellm.yaml': readFileSync(join(repo, 'deploy/litellm.yaml'), 'utf8'),
      '.claude/settings.json': readFileSync(join(repo, '.claude/settings.json'), 'utf8'),
      'agents/swe.yaml': readFileSync(join(repo, 'agents/swe.yaml'), 'utf8'),
    })
    for (const f of files.filter(x => x.endsWith('.patch'))) {
      const diff = readFileSync(join(out, f), 'utf8')
      const path = /^diff --git a\/(\S+)/.exec(diff)![1]!
      expect(applyIn(check, diff, path).check, f).toBe('')
    }
    // the policy, once applied, routes through the library
    const policy = loadPolicy(join(check, 'aco-policy.json'))
    expect(['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-6']).toContain(
      route(policy, {id: 'item-1', features: {kind: 'qa'}, text: 'What is 2 plus 2?'}),
    )
  })

  it('once the patches are merged, says there is nothing to save, not a $0.00 measured', async () => {
    const cfg = (p: string): string => readFileSync(fixture(`configs/${p}`), 'utf8')
    const merged = tempRepo({
      'deploy/litellm.yaml': cfg('litellm/config.yaml'),
      '.claude/settings.json': cfg('claude/.claude/settings.json'),
      'agents/swe.yaml': cfg('swe-agent/config.yaml'),
    })
    let r = await aco(['patch', ...inputs(), ...TARGETS, '--out', join(work, 'merged'), '--write'], {}, merged)
    expect(r.status, r.stderr).toBe(0)
    r = await aco(['patch', ...inputs(), ...TARGETS, '--out', join(work, 'merged-again')], {}, merged)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/already applied/)
    expect(r.stdout).toContain('expected saving: none: every file already says what the policy says')
    expect(r.stdout).not.toMatch(/\$0\.00|not computed/)
    const pr = readFileSync(join(work, 'merged-again', 'PR.md'), 'utf8')
    expect(pr).toContain('None: every file here already says what the policy says')
    expect(pr).not.toMatch(/\$0\.0000 per 30 days/)
    // A file that can express none of the policy says nothing of it: not "already says", and no $0.00 either.
    const mini = tempRepo({'mini.yaml': cfg('mini-swe-agent/config.yaml')})
    r = await aco(['patch', ...inputs(), '--target', 'mini-swe-agent:mini.yaml', '--out', join(work, 'mini')], {}, mini)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/no change it can express/)
    expect(r.stdout).toContain('expected saving: none: no file here can express the policy')
    expect(r.stdout).not.toMatch(/\$0\.00|already says/)
  })

  it('--json returns a result matching schemas/patch-result.schema.json, with a valid policy', async () => {
    const r = await aco(['patch', ...inputs(), ...TARGETS, '--out', join(work, 'out-json'), '--json'], {}, repo)
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as PatchResult
    const validate = validator('patch-result')
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true)
    const policy = validator('routing-policy')
    expect(policy(result.policy), JSON.stringify(policy.errors)).toBe(true)
    // --alpha 0.1 on this table recommends a random mix, 78% opus and the rest haiku: the default tier is haiku,
    // a share rule sends 78% to opus; the SWE-agent config names one model and cannot express a mix
    expect(result.policy.default).toBe('cheap')
    expect(result.policy.rules.map(r => [r.id, r.tier])).toEqual([['mix', 'strong']])
    expect(result.targets.map(t => t.status)).toEqual(['patch', 'patch', 'patch', 'nothing-to-do'])
    expect(result.prunes.find(p => p.id === 'output-cap:claude-code:Bash')?.expressedIn).toEqual([
      'aco-policy.json',
      '.claude/settings.json',
    ])
  })

  it('a file that does not parse: exit 3, its file and line, the others still done', async () => {
    const out = join(work, 'out-bad')
    const r = await aco(
      ['patch', ...inputs(), ...TARGETS, '--target', 'litellm:deploy/broken.yaml', '--out', out],
      {},
      repo,
    )
    expect(r.status).toBe(3)
    expect(r.stdout).toMatch(/deploy\/broken.yaml\s+not patched: line 5: Tabs are not allowed/)
    expect(
      readdirSync(out)
        .filter(f => f.endsWith('.patch'))
        .sort(),
    ).toEqual([
      '01-aco-policy-aco-policy.json.patch',
      '02-litellm-litellm.yaml.patch',
      '03-claude-settings-settings.json.patch',
    ])
  })

  it('an unknown KIND: exit 2 before any work, listing the kinds', async () => {
    const out = join(work, 'out-unknown')
    const r = await aco(['patch', ...inputs(), '--target', 'cursor:.cursorrules', '--out', out], {}, repo)
    expect(r.status).toBe(2)
    expect(oneLine(r.stderr)).toMatch(
      /unknown kind "cursor". The kinds are: aco-policy, litellm, claude-settings, claude-agent, codex-config, swe-agent, mini-swe-agent/,
    )
    expect(() => readdirSync(out)).toThrow()
  })

  it('traces too short to scale to 30 days: the figure over their period, its parts adding up, on the screen and in PR.md (trial 85)', async () => {
    // Two sessions of the same minute: routing and prune both have figures, and no monthly one.
    const cards = join(work, 'short-cards')
    const decisions = join(work, 'short-decisions.json')
    for (const args of [
      ['analyze', fixture('waste/duplicate-call.jsonl'), fixture('waste/failed-repeat.jsonl'), '--out', cards],
      ['label', '--decisions', decisions, '--cards', cards, '--accept-flags', 'all'],
    ]) {
      const r = await aco(args)
      expect(r.status, r.stderr).toBe(0)
    }
    const short = tempRepo({'README.md': 'x\n'})
    const out = join(work, 'short-out')
    const r = await aco(
      ['patch', '--router', join(work, 'router/router.json'), '--decisions', decisions, '--cards', cards].concat([
        '--target',
        'aco-policy:aco-policy.json',
        '--out',
        out,
      ]),
      {},
      short,
    )
    expect(r.status, r.stderr).toBe(0)
    const line = /^expected (?:saving|extra cost): (.+)$/m.exec(r.stdout)
    expect(line, r.stdout).not.toBeNull()
    expect(line![1]).toMatch(
      /^\$[\d.]+ over the traces' period, less than a minute, too short to scale to 30 days \(routing (?:saves|costs) \$[\d.]+(?: more)?, prune saves \$[\d.]+; the arithmetic is in PR\.md\)$/,
    )
    const pr = readFileSync(join(out, 'PR.md'), 'utf8')
    const sum =
      /^The two are added: routing (−?)\$([\d.]+) \+ prune \$([\d.]+) = \*\*(−?)\$([\d.]+) over the period\*\*/m.exec(
        pr,
      )
    expect(sum, pr).not.toBeNull()
    const [, rs, rv, pv, ts, tv] = sum!
    const signed = (sign: string, v: string): number => (sign ? -1 : 1) * Number(v)
    expect(signed(rs!, rv!) + Number(pv)).toBeCloseTo(signed(ts!, tv!), 8)
    // The title gives the same figures, over the period (review 114: it had read "prune $0.0238 of accepted waste"
    // beside a routing that costs more).
    const said = (sign: string, v: string) => (sign ? `costs $${v} more` : `saves $${v}`)
    expect(pr.split('\n')[0]).toMatch(
      new RegExp(
        `(?:\\(|; )${literal(said(rs!, rv!))} over the traces' period\\); prune accepted waste \\(saves \\$${pv!.replace('.', '\\.')} over the traces' period\\): ${literal(said(ts!, tv!))} over the traces' period in all$`,
      ),
    )
  })
})

/** A string as a regular expression matches it literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
