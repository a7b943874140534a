/**
 * `aco patch` as a service over a throwaway repository holding the fixture
 * configs: usage errors before any work, a file that does not parse reported
 * while the others are done, byte-identical reruns, "already applied", and
 * --write (backups, refusing a file that changed since it was read).
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {openCardsWriter} from '../../src/analyze/cards-writer.js'
import {analyze} from '../../src/analyze/analyze.js'
import type {TraceCard} from '../../src/card/types.js'
import {isAcoError} from '../../src/errors.js'
import {patch} from '../../src/patch/patch.js'
import {modelsOffPolicy, planPatch, type PatchOptions} from '../../src/patch/plan.js'
import {money, moneySum} from '../../src/patch/pr.js'
import {applyPatches, writePatches} from '../../src/patch/write.js'
import {label} from '../../src/review/label.js'
import {fixture} from '../helpers.js'
import {claudeRouter, policyProblem} from '../policy/helpers.js'
import {validator} from '../../src/util/schemas.js'
import {tempRepo} from './git.js'

const SECRET = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'

let repo: string
let base: Omit<PatchOptions, 'targets'>
/** The cards the decisions were made on, as analysed (before the secret went into one reason). */
let analysed: TraceCard[]
/** The folder of those cards, as written. */
let cardsDir: string

const targets = {
  policy: 'aco-policy:aco-policy.json',
  litellm: 'litellm:deploy/litellm.yaml',
  settings: 'claude-settings:.claude/settings.json',
  agent: 'claude-agent:.claude/agents/explorer.md',
  swe: 'swe-agent:agents/swe.yaml',
  mini: 'mini-swe-agent:agents/mini.yaml',
  bad: 'litellm:deploy/broken.yaml',
}

beforeAll(async () => {
  const cfg = (p: string): string => readFileSync(fixture(`configs/${p}`), 'utf8')
  repo = tempRepo({
    'deploy/litellm.yaml': cfg('litellm/config.yaml'),
    'deploy/broken.yaml': cfg('bad/litellm-tab.yaml'),
    '.claude/settings.json': cfg('claude/.claude/settings.json'),
    '.claude/agents/explorer.md': cfg('claude/.claude/agents/explorer.md'),
    'agents/swe.yaml': cfg('swe-agent/config.yaml'),
    'agents/mini.yaml': cfg('mini-swe-agent/config.yaml'),
  })
  const work = mkdtempSync(join(tmpdir(), 'aco-patch-inputs-'))
  const {router, evaluation} = await claudeRouter()
  mkdirSync(join(work, 'router'))
  writeFileSync(join(work, 'router/router.json'), JSON.stringify(router.json))
  writeFileSync(join(work, 'router/evaluation.json'), JSON.stringify(evaluation))
  // Cards of the bundled traces, one flag reason carrying a secret (the cards are written unredacted on purpose).
  const run = await analyze({
    paths: [fixture('claude-code'), fixture('waste')],
    home: '/nonexistent',
    env: {},
    keepCards: true,
    threads: 1,
  })
  const cards: TraceCard[] = run.cards
  analysed = structuredClone(cards)
  const dup = cards.find(c => c.id === 'dup')!
  const flagged = dup.steps.find(s => s.flags?.length)!
  flagged.flags![0]!.reason = `repeats the deploy with ANTHROPIC_API_KEY=${SECRET}`
  const writer = openCardsWriter(join(work, 'cards'), {redact: false})
  writer.write(cards)
  writer.commit()
  cardsDir = join(work, 'cards')
  await label({
    decisionsPath: join(work, 'decisions.json'),
    cards: join(work, 'cards'),
    accept: [],
    reject: [],
    set: [],
    acceptFlags: ['all'],
    minConfidence: 0,
    now: '2026-03-02T00:00:00.000Z',
  })
  base = {
    router: join(work, 'router/router.json'),
    decisions: join(work, 'decisions.json'),
    cwd: repo,
    allowOutside: false,
  }
})

async function usageError(options: Partial<PatchOptions>): Promise<{message: string; hint?: string | undefined}> {
  try {
    await planPatch({...base, targets: [targets.litellm], ...options})
  } catch (error) {
    if (isAcoError(error) && error.exit === 2) return {message: error.message, hint: error.hint}
    throw error
  }
  throw new Error('expected a usage error')
}

describe('usage errors, before any work', () => {
  it('an unknown KIND lists the valid kinds', async () => {
    const e = await usageError({targets: ['cursor:rules.md']})
    expect(e.message).toMatch(
      /unknown kind "cursor".*aco-policy, litellm, claude-settings, claude-agent, codex-config, swe-agent, mini-swe-agent/,
    )
  })

  it('a missing file, a folder, no input at all, --accept-above without cards', async () => {
    expect((await usageError({targets: ['litellm:deploy/nope.yaml']})).message).toMatch(/does not exist/)
    expect((await usageError({targets: ['litellm:deploy']})).message).toMatch(/is a folder/)
    expect((await usageError({targets: ['litellm']})).message).toMatch(/no path after "litellm:"/)
    expect((await usageError({targets: []})).message).toMatch(/at least one --target/)
    const {router: _r, decisions: _d, ...none} = base
    await expect(planPatch({...none, targets: [targets.litellm]})).rejects.toThrow(/Nothing to patch from/)
    await expect(planPatch({...none, targets: [targets.litellm], acceptAbove: 0.9})).rejects.toThrow(
      /--accept-above needs the cards/,
    )
  })

  it('the same file given twice as a target (its second patch would not apply after the first)', async () => {
    const error = await usageError({targets: [targets.litellm, 'litellm:./deploy/litellm.yaml']})
    expect(error.message).toMatch(
      /is already a target \(--target litellm:deploy\/litellm\.yaml\); each file is patched once/,
    )
  })

  it('a router or decisions file that fails its schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-bad-'))
    writeFileSync(join(dir, 'router.json'), JSON.stringify({schemaVersion: '1.0', kind: 'aco-router'}))
    writeFileSync(join(dir, 'decisions.json'), JSON.stringify({schemaVersion: '1.0', decisions: 'all of them'}))
    expect((await usageError({router: join(dir, 'router.json')})).message).toMatch(/not a valid router/)
    const bad = await usageError({decisions: join(dir, 'decisions.json')})
    expect(bad.message).toMatch(/does not match schemas\/decisions.schema.json/)
    // (aco patch only reads decisions: "move this one away to start afresh" is a hint for the commands that write them.)
    expect(bad.hint).toBe('Pass the decisions file aco review or aco label wrote (--decisions FILE).')
    expect((await usageError({router: join(dir, 'missing.json')})).message).toMatch(/Cannot read the router/)
  })

  it("a target outside the current directory's repository needs --allow-outside", async () => {
    const elsewhere = tempRepo({'config.yaml': 'agent:\n  model:\n    name: x\n'})
    const e = await usageError({targets: [`swe-agent:${join(elsewhere, 'config.yaml')}`]})
    expect(e.message).toMatch(/outside the current directory's repository/)
    expect(e.hint).toMatch(/--allow-outside/)
    const plan = await planPatch({
      ...base,
      allowOutside: true,
      targets: [`swe-agent:${join(elsewhere, 'config.yaml')}`],
    })
    expect(plan.targets[0]!.place.relative).toBe('config.yaml')
  })

  it('reads `~/` in a target as the home folder, as a shell would have (trial 115: ~/.codex/config.toml)', async () => {
    const home = tempRepo({'.codex/config.toml': 'model = "gpt-5.5"\n'})
    const was = process.env.HOME
    process.env.HOME = home
    try {
      const plan = await planPatch({...base, allowOutside: true, targets: ['codex-config:~/.codex/config.toml']})
      expect(plan.targets[0]!.place.relative).toBe('.codex/config.toml')
    } finally {
      process.env.HOME = was
    }
  })
})

describe('a plan', () => {
  it('patches every file it can read, and reports the one it cannot with its line', async () => {
    const plan = await planPatch({...base, targets: Object.values(targets)})
    const by = Object.fromEntries(plan.targets.map(t => [t.place.relative, t]))
    expect(by['deploy/broken.yaml']).toMatchObject({status: 'unreadable', error: {line: 5}})
    expect(by['deploy/broken.yaml']!.diff).toBeUndefined()
    expect(by['aco-policy.json']).toMatchObject({status: 'patch', patchFile: '01-aco-policy-aco-policy.json.patch'})
    expect(by['.claude/settings.json']!.status).toBe('patch')
    expect(by['aco-policy.json']!.diff).toMatch(
      /^diff --git a\/aco-policy.json b\/aco-policy.json\nnew file mode 100644\n--- \/dev\/null\n\+\+\+ b\/aco-policy.json\n/,
    )
    expect(policyProblem(plan.built.policy)).toBeUndefined()
    expect(plan.prMarkdown).toMatch(
      /`deploy\/broken.yaml` \(litellm\): \*\*not patched\*\*, it could not be read \(line 5\)/,
    )
  })

  it('redacts secrets quoted from the traces in PR.md', async () => {
    const plan = await planPatch({...base, targets: [targets.policy]})
    expect(plan.prMarkdown).not.toContain(SECRET)
    expect(plan.prMarkdown).toMatch(/ANTHROPIC_API_KEY=\[REDACTED/)
  })

  it("gives the router's lead over a simpler policy shipped, in quality and in cost, as the evaluation weighed it", async () => {
    const {evaluation} = await claudeRouter()
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-lead-'))
    const file = join(dir, 'evaluation.json')
    // The mix minus the router, on calibration: the router 0.3 points better, $0.0014 cheaper, both within noise.
    const versus = {
      label: 'router at threshold 0.43',
      costUsd: {value: 0.0014, low: -0.0003, high: 0.0031},
      quality: {value: -0.003, low: -0.081, high: 0.075},
    }
    const mix = {
      ...evaluation.recommendation,
      policy: 'two-model-mix',
      models: ['claude-haiku-4-5', 'claude-opus-4-6'],
      share: 0.78,
      versus,
    }
    writeFileSync(file, JSON.stringify({...evaluation, recommendation: mix}))
    expect(validator('train-result')({...evaluation, recommendation: mix, skipped: []})).toBe(true)
    let plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain(
      "| router's lead over this policy | +0.3 points of quality (noise ±7.8), $0.0014 per item cheaper (noise ±$0.0017) on calibration (within noise: not shown better) |",
    )
    // The router's own guarantee figures under a mix shipped are named as the router's (trial 82), and the mix is said
    // to be recommended for the router not being shown better, not "as good as the router at the same cost".
    expect(plan.prMarkdown).toMatch(/^\| α \(the router's\) \| /m)
    expect(plan.prMarkdown).toMatch(/^\| conformal bound \(the router's\) \| /m)
    expect(plan.prMarkdown).toMatch(/^\| measured rate \(test, the router's\) \| /m)
    expect(plan.prMarkdown).toContain('the evaluation recommends it, the router not being shown better than this mix')
    expect(plan.prMarkdown).not.toContain('as good as the router at the same cost')
    // Beyond its noise in cost: shown better (the rule would then have shipped the router; the words follow the figures).
    const cheaper = {...versus, costUsd: {value: 0.003, low: 0.002, high: 0.004}}
    writeFileSync(file, JSON.stringify({...evaluation, recommendation: {...mix, versus: cheaper}}))
    plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain(
      "| router's lead over this policy | +0.3 points of quality (noise ±7.8), $0.0030 per item cheaper (noise ±$0.0010) on calibration |",
    )
    // Dearer beyond its noise: said so, not "within noise" (trial 33).
    const dearer = {...versus, costUsd: {value: -0.003, low: -0.004, high: -0.002}}
    writeFileSync(file, JSON.stringify({...evaluation, recommendation: {...mix, versus: dearer}}))
    plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain(
      "| router's lead over this policy | +0.3 points of quality (noise ±7.8), $0.0030 per item dearer (noise ±$0.0010) on calibration (dearer beyond noise: not shown better) |",
    )
    // Better in quality beyond noise, within noise in cost: the rule (no budget) weighs cost, so not shown better, as
    // the evaluation's words say.
    const better = {...versus, quality: {value: -0.1, low: -0.15, high: -0.05}}
    writeFileSync(file, JSON.stringify({...evaluation, recommendation: {...mix, versus: better}}))
    plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain(
      "| router's lead over this policy | +10.0 points of quality (noise ±5.0), $0.0014 per item cheaper (noise ±$0.0017) on calibration (within noise: not shown better) |",
    )
  })

  it('with --accept-above alone names no decisions file (none was written), and says how to keep the flags as decisions', async () => {
    const alone = await planPatch({
      cards: cardsDir,
      acceptAbove: 0.5,
      cwd: repo,
      allowOutside: false,
      targets: [targets.policy],
    })
    expect(alone.built.accepted.length).toBeGreaterThan(0)
    expect(alone.prMarkdown).not.toContain('aco label --decisions')
    expect(alone.prMarkdown).toMatch(/for its next flagged step\.\n/)
    expect(alone.prMarkdown).toMatch(
      /Every flag at least 0\.5 confident was accepted, except those a decision rejected \(`--accept-above 0\.5`\); to keep them as decisions: `aco label --cards \S+ --accept-flags all --min-confidence 0\.5`\./,
    )
    // With a decisions file, it is named, and the flags accepted beside its decisions are said as such.
    const both = await planPatch({...base, cards: cardsDir, acceptAbove: 0.5, targets: [targets.policy]})
    expect(both.prMarkdown).toMatch(
      /for its next flagged step;\n`aco label --decisions \S+decisions\.json` lists every decision\./,
    )
    expect(both.prMarkdown).toContain('Beside those decisions, every flag at least 0.5 confident')
    // The command that keeps them writes to the decisions file named (review 73: it wrote aco-decisions.json).
    expect(both.prMarkdown).toMatch(
      /`aco label --cards \S+ --decisions \S+decisions\.json --accept-flags all --min-confidence 0\.5`/,
    )
    const decided = await planPatch({...base, targets: [targets.policy]})
    expect(decided.prMarkdown).not.toContain('--accept-above')
  })

  it('says "not reported" for every figure the evaluation does not give', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-eval-'))
    writeFileSync(
      join(dir, 'evaluation.json'),
      JSON.stringify({schemaVersion: '1.0', recommendation: {policy: 'router'}}),
    )
    const plan = await planPatch({...base, evaluation: join(dir, 'evaluation.json'), targets: [targets.policy]})
    for (const figure of ['quality kept', 'cost saved', 'α', 'conformal bound', 'measured rate \\(test\\)'])
      expect(plan.prMarkdown).toMatch(new RegExp(`\\| ${figure} \\| not reported \\|`))
    // No α: no bound is in force, and PR.md claims none (trial 30: "stays at most α" beside "α | not reported").
    expect(plan.prMarkdown).toContain('not by a conformal bound: no guarantee holds for the router')
    expect(plan.prMarkdown).not.toMatch(/stays at most α/)
    // A simpler policy shipped, and no α: no bound is claimed for it either (review 31).
    writeFileSync(
      join(dir, 'evaluation.json'),
      JSON.stringify({schemaVersion: '1.0', recommendation: {policy: 'single-model', models: ['claude-opus-4-6']}}),
    )
    const single = await planPatch({...base, evaluation: join(dir, 'evaluation.json'), targets: [targets.policy]})
    expect(single.prMarkdown).toContain('No conformal bound is reported for the router, and none would cover')
    expect(single.prMarkdown).not.toMatch(/are the router's, at its conformal threshold/)
    expect(plan.saving.routing.note).toMatch(/does not report/)
  })

  it('leaves out figures no training gives (a negative cost, a quality above 1), and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-eval-'))
    writeFileSync(
      join(dir, 'evaluation.json'),
      JSON.stringify({
        schemaVersion: '1.0',
        recommendation: {policy: 'router'},
        operatingPoint: {test: {quality: 1.7, cost: -0.004, qualityShare: 1.2, costShare: -0.5}},
        conformal: {alpha: 0.1, marginal: {bound: 0.08, testRate: 3}, n: 40},
      }),
    )
    const plan = await planPatch({...base, evaluation: join(dir, 'evaluation.json'), targets: [targets.policy]})
    for (const figure of ['cost saved', 'measured rate \\(test\\)'])
      expect(plan.prMarkdown).toMatch(new RegExp(`\\| ${figure} \\| not reported \\|`))
    expect(plan.prMarkdown).toMatch(
      /gives figures no training gives \(test quality 1\.7, test cost -0\.004, cost share -0\.5, measured rate 3\)/,
    )
    expect(plan.prMarkdown).toMatch(/\| α \| 0\.1 \|/)
  })

  it('names the bound the router was calibrated with: marginal, or high-probability with its δ (trial 33)', async () => {
    const {evaluation} = await claudeRouter()
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-bound-'))
    const file = join(dir, 'evaluation.json')
    // (Chosen at α: a bound chose its threshold.)
    const routerShipped = {
      ...evaluation,
      operatingPoint: {...evaluation.operatingPoint, objective: {kind: 'alpha', alpha: evaluation.conformal.alpha}},
      recommendation: {...evaluation.recommendation, policy: 'router'},
    }
    writeFileSync(file, JSON.stringify(routerShipped))
    let plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain('The conformal bound is marginal: on average over calibration draws')
    expect(plan.built.policy.evaluation?.calibration?.guarantee).toBe('marginal')
    // The same figures under the high-probability bound (`--guarantee high`): PR.md had called it marginal.
    const conformal = {...evaluation.conformal, guarantee: 'high', high: evaluation.conformal.marginal}
    writeFileSync(file, JSON.stringify({...routerShipped, conformal}))
    plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain(
      'The conformal bound is high-probability: with probability at least 0.9 over calibration draws',
    )
    expect(plan.prMarkdown).not.toMatch(/marginal/)
    expect(plan.built.policy.evaluation?.calibration).toMatchObject({guarantee: 'high', delta: 0.1})
    // δ = 0.07: "0.93", not 0.9299999999999999 (review 33).
    writeFileSync(file, JSON.stringify({...routerShipped, conformal: {...conformal, delta: 0.07}}))
    plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain('with probability at least 0.93 over calibration draws')
    // Chosen by quality kept (the default), its threshold is not the bound's: no bound is named for it (trial 121).
    writeFileSync(file, JSON.stringify({...routerShipped, operatingPoint: evaluation.operatingPoint}))
    plan = await planPatch({...base, evaluation: file, targets: [targets.policy]})
    expect(plan.prMarkdown).toContain('not by a conformal bound: no guarantee holds for the router')
    expect(plan.prMarkdown).not.toMatch(/conformal bound \| \d/)
    expect(plan.built.policy.evaluation?.calibration).toBeUndefined()
    // Its rate on test at that threshold is given as measured, saying no bound chose it (trial 121: "not reported").
    const risk = routerShipped.recommendation.table.find((r: {policy: string}) => r.policy === 'router')!.test.risk
    expect(plan.prMarkdown).toContain(
      `| measured rate (test) | ${(risk * 100).toFixed(1)}% of items failed where \`${evaluation.strongest}\` succeeded (at its operating point; no bound chose it) |`,
    )
    expect(plan.built.policy.evaluation?.testRate).toBe(risk)
  })

  it("refuses an evaluation whose operating point is not the router's (another run's file beside it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-eval-'))
    const evaluation = JSON.parse(readFileSync(join(base.router!, '../evaluation.json'), 'utf8'))
    // The router's own evaluation passes; the same file with another threshold is another run's.
    await expect(
      planPatch({...base, evaluation: join(base.router!, '../evaluation.json'), targets: [targets.policy]}),
    ).resolves.toBeDefined()
    evaluation.operatingPoint.threshold += 0.05
    writeFileSync(join(dir, 'evaluation.json'), JSON.stringify(evaluation))
    const error = await usageError({evaluation: join(dir, 'evaluation.json')})
    expect(error.message).toMatch(/is not the evaluation of the router .*threshold/)
  })

  it('claims no routing saving when no target carries the routing, and titles only what the files express', async () => {
    // A model named by an alias the policy cannot spell: the file is left as it is, and so is every call's model.
    writeFileSync(join(repo, '.claude/alias.json'), '{\n  "model": "opus"\n}\n')
    const plan = await planPatch({...base, targets: ['claude-settings:.claude/alias.json']})
    // (The output cap an accepted flag asks for is expressed; the model is not touched.)
    expect((plan.targets[0]!.rendered?.changes ?? []).map(c => c.where)).toEqual(['env.BASH_MAX_OUTPUT_LENGTH'])
    expect(plan.targets[0]!.rendered?.routes).not.toBe(true)
    expect(plan.saving.routing.rows).toEqual([])
    expect(plan.saving.routing.note).toMatch(/no file here changes the routing/)
    // (Per 30 days, as the expected saving is, where the traces give a period: trial 82.)
    expect(plan.prMarkdown.split('\n')[0]).toMatch(/^# aco: prune accepted waste \(\$[\d.]+ per 30 days\)$/)
    // The policy file carries it.
    const routed = await planPatch({...base, targets: [targets.policy]})
    expect(routed.targets[0]!.rendered?.routes).toBe(true)
    expect(routed.saving.routing.note ?? '').not.toMatch(/no file here changes/)
    // A title names the routing's figure and the whole change's: the prune's alone read as a saving where the routing
    // costs more than the prune saves (trial 113).
    expect(routed.saving.routing.monthlyUsd).toBeLessThan(0)
    expect(routed.saving.monthlyUsd).toBeLessThan(0)
    expect(routed.prMarkdown.split('\n')[0]).toMatch(
      /^# aco: route each item with the trained router \(claude-haiku-4-5, claude-sonnet-4-5, claude-opus-4-6; costs \$[\d.]+ more per 30 days\); prune accepted waste \(saves \$[\d.]+ per 30 days\): costs \$[\d.]+ more per 30 days in all$/,
    )
  })

  it("names a guard's waste carried as a rule by what the agent did, not by the guard (trial 115)", async () => {
    const plan = await planPatch({...base, targets: ['instructions:CLAUDE.md']})
    const rules = plan.prMarkdown.split('### Rules for the agent')[1] ?? ''
    expect(rules).toMatch(/^- \*\*calls repeated with nothing changed in claude-code runs/m)
    expect(rules).not.toMatch(/is answered with the earlier result/)
  })

  it('names the policy file in its roll-back steps only where one is patched (trial 115)', async () => {
    const settings = await planPatch({...base, targets: [targets.settings]})
    expect(settings.targets[0]!.status).toBe('patch')
    expect(settings.prMarkdown).toMatch(/## Roll back/)
    expect(settings.prMarkdown).not.toMatch(/removing the policy file/)
    const policy = await planPatch({...base, targets: [targets.policy]})
    expect(policy.prMarkdown).toMatch(/removing the policy file undoes the routing/)
  })

  it('says "no prune saving" where nothing is pruned, not "+ prune $0.0000" (trial 115)', async () => {
    const {decisions: _d, ...rest} = base
    const plan = await planPatch({...rest, cards: cardsDir, targets: [targets.policy]})
    expect(plan.saving.routing.monthlyUsd).toBeDefined()
    expect(plan.prMarkdown).toMatch(/\(an estimate: routing −?\$[\d.]+; no prune saving\)/)
    expect(plan.prMarkdown).not.toMatch(/prune \$0\.0000/)
  })

  it("sets what the router was trained on beside the traces' formats where it claims a routing saving (trial 74)", async () => {
    const plan = await planPatch({...base, targets: [targets.policy]})
    expect(plan.saving.routing.rows.length).toBeGreaterThan(0)
    expect(plan.built.routerItems).toMatch(/^[\d,]+ items/)
    expect(plan.prMarkdown).toContain(
      `The router was trained on ${plan.built.routerItems}, and its figures are those of held-out items like them; the traces are claude-code`,
    )
    expect(plan.prMarkdown).not.toContain("This assumes the traces' items")
  })

  it('puts the advice into an instructions file as rules, credits them no saving, and no longer lists them as expressed nowhere', async () => {
    writeFileSync(join(repo, 'CLAUDE.md'), '# Agents\n\nRun the tests with `npm test`.\n')
    const plan = await planPatch({...base, router: undefined, targets: ['instructions:CLAUDE.md']})
    const rules = plan.built.suggestions.filter(
      s => s.prevention === 'advice' && /^advice:(?:repeated-runs|near-duplicate)/.test(s.id),
    )
    expect(rules.length).toBeGreaterThan(0)
    expect(plan.targets[0]!.status).toBe('patch')
    expect(plan.targets[0]!.rendered!.expressed).toEqual(expect.arrayContaining(rules.map(s => s.id)))
    // The duplicate-call guard no file here carries: its waste is carried as a rule too, credited nothing (trial 76).
    const guard = plan.built.suggestions.find(s => s.prevention === 'duplicate-guard')!
    expect(guard).toBeDefined()
    expect(plan.targets[0]!.rendered!.advised).toEqual([guard.id])
    expect(plan.targets[0]!.rendered!.expressed).not.toContain(guard.id)
    const {result} = await patch({
      ...base,
      router: undefined,
      targets: ['instructions:CLAUDE.md'],
      out: mkdtempSync(join(tmpdir(), 'aco-patch-rules-')),
      write: false,
    })
    expect(result.prunes.find(p => p.id === guard.id)).toMatchObject({expressedIn: [], advisedIn: ['CLAUDE.md']})
    expect(validator('patch-result')(result)).toBe(true)
    rules.push(guard)
    const pr = plan.prMarkdown
    expect(pr).toContain('`CLAUDE.md` gets a rule for each kind of waste below')
    // With the policy file beside it, the guard is the policy file's: no rule for it too (review 77).
    const both = await planPatch({...base, router: undefined, targets: [targets.policy, 'instructions:CLAUDE.md']})
    expect(both.targets[0]!.rendered!.expressed).toContain(guard.id)
    expect(both.targets[1]!.rendered!.advised).toBeUndefined()
    const atStake = rules.reduce((t, s) => t + s.wastedUsd, 0)
    expect(pr.split('\n')[0]).toMatch(
      /^# aco: rules for the agent against \$[\d.]+ of accepted waste \(no saving claimed\)$/,
    )
    expect(pr).toContain('### Rules for the agent')
    expect(pr).toContain('None credited: the only change is rules for the agent (below)')
    expect(pr).not.toMatch(/per 30 days/)
    expect(plan.saving.prune.savingUsd).toBe(0)
    expect(atStake).toBeGreaterThan(0)
    // Each rule's advice under the rules, not under "What no file here expresses".
    const at = pr.indexOf('## What no file here expresses')
    const end = pr.indexOf('\n## ', at + 1)
    const nowhere = at < 0 ? '' : pr.slice(at, end < 0 ? undefined : end)
    for (const s of rules) {
      // (The guard's waste named by what the agent did: trial 115.)
      const name =
        s.prevention === 'duplicate-guard'
          ? `calls repeated with nothing changed in claude-code runs (${s.tools!.join(', ')})`
          : s.title
      expect(pr.slice(pr.indexOf('### Rules for the agent'))).toContain(`**${name}**`)
      expect(nowhere, s.id).not.toContain(`**${name}**`)
    }
    // Applied, the file says it all: the next run finds it already applied.
    writeFileSync(join(repo, 'CLAUDE.md'), plan.targets[0]!.after!)
    const again = await planPatch({...base, router: undefined, targets: ['instructions:CLAUDE.md']})
    expect(again.targets[0]!.status).toBe('already-applied')
    expect(again.prMarkdown).toContain('`CLAUDE.md` already carries a rule for each kind of waste below')
    // The cards the decisions were made on gone (a review's temporary ones): no format to name, and no "undefined"
    // in its place (trial 123: "calls repeated with nothing changed in undefined runs").
    const gone = join(mkdtempSync(join(tmpdir(), 'aco-patch-gone-')), 'decisions.json')
    const file = JSON.parse(readFileSync(base.decisions!, 'utf8'))
    writeFileSync(gone, JSON.stringify({...file, source: {...file.source, cards: '/nonexistent/cards.ndjson'}}))
    writeFileSync(join(repo, 'CLAUDE.md'), '# Agents\n')
    const orphan = await planPatch({...base, router: undefined, decisions: gone, targets: ['instructions:CLAUDE.md']})
    expect(orphan.prMarkdown).not.toMatch(/undefined/)
    expect(orphan.prMarkdown).toMatch(/\*\*calls repeated with nothing changed \(/)
    expect(orphan.notes.join('\n')).toMatch(/the cards the decisions were made on .* are gone/)
  })

  it('says on the target itself when its patch does not apply as written: a secret beside a change (trial 99)', async () => {
    writeFileSync(
      join(repo, '.claude/secret.json'),
      `{\n  "env": {\n    "BASH_MAX_OUTPUT_LENGTH": "900000",\n    "ANTHROPIC_API_KEY": "${SECRET}",\n    "DISABLE_TELEMETRY": "1"\n  },\n  "permissions": {}\n}\n`,
    )
    const {result} = await patch({
      ...base,
      targets: ['claude-settings:.claude/secret.json'],
      out: mkdtempSync(join(tmpdir(), 'aco-patch-secret-')),
      write: false,
    })
    expect(result.targets[0]).toMatchObject({status: 'patch', appliesAsIs: false})
    expect(JSON.stringify(result)).not.toContain(SECRET)
    expect(validator('patch-result')(result)).toBe(true)
    const plain = await patch({
      ...base,
      targets: [targets.settings],
      out: mkdtempSync(join(tmpdir(), 'aco-patch-plain-')),
      write: false,
    })
    expect(plain.result.targets[0]!.appliesAsIs).toBeUndefined()
  })

  it("writes no rule for the waste of agents that do not read the file (trial 99: CLAUDE.md had SWE-agent's)", async () => {
    // The traces here are Claude Code's: AGENTS.md is read by Codex, OpenCode and Copilot CLI.
    writeFileSync(join(repo, 'AGENTS.md'), '# Agents\n')
    const plan = await planPatch({...base, router: undefined, targets: ['instructions:AGENTS.md']})
    expect(plan.built.suggestions.some(s => s.prevention === 'advice' && s.scope.format === 'claude-code')).toBe(true)
    expect(plan.targets[0]!.status).toBe('nothing-to-do')
    expect(plan.targets[0]!.rendered!.notes.join('\n')).toContain(
      'no rule here for the waste of claude-code runs: AGENTS.md is read by codex, copilot-cli, opencode',
    )
    // A file whose readers aco does not know takes every agent's.
    writeFileSync(join(repo, 'RULES.md'), '# Rules\n')
    const any = await planPatch({...base, router: undefined, targets: ['instructions:RULES.md']})
    expect(any.targets[0]!.status).toBe('patch')
  })

  it('credits no saving for a guard a file already carries as tight (merging changes nothing for it)', async () => {
    writeFileSync(join(repo, '.claude/capped.json'), '{\n  "env": {\n    "BASH_MAX_OUTPUT_LENGTH": "2000"\n  }\n}\n')
    const plan = await planPatch({...base, targets: ['claude-settings:.claude/capped.json']})
    const r = plan.targets[0]!.rendered!
    expect(r.changes.map(c => c.where)).not.toContain('env.BASH_MAX_OUTPUT_LENGTH')
    expect(r.expressed).toEqual([])
    expect(r.held.length).toBeGreaterThan(0)
    // (It used to be credited with the cap's saving, and the title said "prune $…".)
    expect(plan.saving.prune.savingUsd).toBe(0)
    expect(plan.prMarkdown.split('\n')[0]).not.toMatch(/prune/)
    expect(plan.prMarkdown).toMatch(
      /^Not credited: \$[\d.]+ of expected saving on accepted waste whose guard is already in place/m,
    )
    // (Whoever put it there, an earlier `aco patch --write` too: not "the traces may well have run with it", trial 80.)
    expect(plan.prMarkdown).toMatch(/whether the traces ran before or with it, this patch saves nothing more\)/)
    expect(plan.prMarkdown).toMatch(
      /### Guards already in place\n\n- .*`\.claude\/capped\.json` already carries it at least as tight; no saving credited/,
    )
    expect(plan.prMarkdown).not.toMatch(/## What no file here expresses[\s\S]*cap of/)
    // The policy file for agent code carries the guard too: the config's own cap is the one in force, so still no
    // saving for it (adding that target used to credit it in full, "In: the policy file").
    const held = r.held[0]!
    const both = await planPatch({...base, targets: ['claude-settings:.claude/capped.json', targets.policy]})
    expect(both.targets.some(t => t.rendered?.expressed.includes(held))).toBe(false)
    expect(both.saving.prune.savingUsd).toBeCloseTo(
      both.built.suggestions
        .filter(s => both.targets.some(t => t.rendered?.expressed.includes(s.id)))
        .reduce((sum, s) => sum + s.expectedSavingUsd, 0),
      9,
    )
    expect(both.prMarkdown).toMatch(/### Guards already in place/)
  })

  it('credits a cap tightened from a looser one in force with only the output between the two', async () => {
    const full = await planPatch({...base, targets: [targets.settings]})
    const cap = full.built.suggestions.find(s => s.prevention === 'output-cap' && s.outputCap?.tool === 'Bash')!
    const above = cap.outputCap!.above!
    expect(above.length).toBeGreaterThan(0)
    // A file that already cuts Bash output halfway between the cap and the largest unused result.
    const inForce = Math.floor((cap.outputCap!.maxChars + Math.max(...above.map(r => r.chars))) / 2)
    writeFileSync(
      join(repo, '.claude/looser.json'),
      `{\n  "env": {\n    "BASH_MAX_OUTPUT_LENGTH": "${inForce}"\n  }\n}\n`,
    )
    const plan = await planPatch({...base, targets: ['claude-settings:.claude/looser.json']})
    expect(plan.targets[0]!.rendered!.expressed).toContain(cap.id)
    const credited = plan.built.suggestions.find(s => s.id === cap.id)!
    const want = above.reduce(
      (sum, r) =>
        sum +
        (Math.min(r.chars, inForce) > cap.outputCap!.maxChars
          ? r.wastedUsd * ((Math.min(r.chars, inForce) - cap.outputCap!.maxChars) / r.chars)
          : 0),
      0,
    )
    expect(credited.expectedSavingUsd).toBeCloseTo(want, 12)
    expect(credited.expectedSavingUsd).toBeLessThan(cap.expectedSavingUsd)
    expect(credited.basis).toMatch(/already cut this output at a looser size/)
    expect(plan.saving.prune.savingUsd).toBeCloseTo(
      plan.built.suggestions
        .filter(s => plan.targets.some(t => t.rendered?.expressed.includes(s.id)))
        .reduce((sum, s) => sum + s.expectedSavingUsd, 0),
      12,
    )
    // With no value set, Claude Code's own cut (30,000 characters) is the one in force.
    expect(Math.max(...above.map(r => r.chars))).toBeLessThanOrEqual(30_000)
    expect(full.built.suggestions.find(s => s.id === cap.id)!.expectedSavingUsd).toBe(cap.expectedSavingUsd)
    // The policy file for agent code beside it changes nothing: the config's value is the one in force (it brought
    // back the whole saving).
    const both = await planPatch({...base, targets: ['claude-settings:.claude/looser.json', targets.policy]})
    expect(both.built.suggestions.find(s => s.id === cap.id)!.expectedSavingUsd).toBeCloseTo(want, 12)
  })

  it('gives the prune saving over the traces when they carry no dates (no monthly figure)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-patch-dateless-'))
    const cards = structuredClone(analysed)
    const undate = (c: TraceCard): void => {
      delete c.startedAt
      delete c.endedAt
      for (const st of c.steps) {
        delete st.startedAt
        delete st.endedAt
      }
      for (const child of c.children) undate(child)
    }
    for (const c of cards) undate(c)
    const writer = openCardsWriter(join(dir, 'cards'), {redact: false})
    writer.write(cards)
    writer.commit()
    const plan = await planPatch({...base, cards: join(dir, 'cards'), targets: [targets.settings]})
    expect(plan.saving.period).toBeUndefined()
    expect(plan.saving.prune.savingUsd).toBeGreaterThan(0)
    expect(plan.prMarkdown).toMatch(/The traces carry no dates/)
    expect(plan.prMarkdown).toMatch(/^Prune: \$[\d.]+ over the analysed traces, from the changes below/m)
  })

  it('PR.md states a prune saving of one term as that term, no sum of one (trial 80: "$0.0108 = $0.0108")', async () => {
    for (const t of [targets.policy, targets.settings, targets.litellm, targets.swe]) {
      const plan = await planPatch({...base, targets: [t]})
      const line = /^Prune: (.+) over the period/m.exec(plan.prMarkdown)?.[1]
      if (line === undefined) continue
      const [sum, total] = line.split(' = ')
      if (total !== undefined) expect(sum!.split(' + ').length, line).toBeGreaterThan(1)
    }
  })

  it("PR.md's sums add up as shown: each term with as many decimals as that takes", async () => {
    const plan = await planPatch({...base, targets: [targets.policy, targets.litellm, targets.settings]})
    const value = (t: string): number => Number(t.replace(/[$,]/g, '').replace('−', '-'))
    const decimals = (t: string): number => t.split('.')[1]?.length ?? 0
    const prune = /^Prune: (.+) = (\S+) over/m.exec(plan.prMarkdown)
    expect(prune).not.toBeNull()
    const terms = prune![1]!.split(' + ')
    const d = decimals(prune![2]!)
    expect(terms.every(t => decimals(t) === d)).toBe(true)
    expect(Math.round(terms.reduce((a, t) => a + value(t), 0) * 10 ** d)).toBe(Math.round(value(prune![2]!) * 10 ** d))
    const monthly = /^\*\*(\S+) per 30 days\*\* \(an estimate: routing (\S+) \+ prune (\S+)\)/m.exec(plan.prMarkdown)
    if (monthly) {
      const m = decimals(monthly[1]!)
      expect(Math.round((value(monthly[2]!) + value(monthly[3]!)) * 10 ** m)).toBe(
        Math.round(value(monthly[1]!) * 10 ** m),
      )
    }
  })

  it('runs twice to byte-identical patches and PR.md; once applied, every file is "already applied"', async () => {
    const t = [targets.policy, targets.litellm, targets.settings, targets.swe, targets.mini]
    const out1 = mkdtempSync(join(tmpdir(), 'aco-patch-out-'))
    const out2 = mkdtempSync(join(tmpdir(), 'aco-patch-out-'))
    await writePatches(await planPatch({...base, targets: t}), out1)
    await writePatches(await planPatch({...base, targets: t}), out2)
    const files = readdirSync(out1).sort()
    expect(files).toEqual(readdirSync(out2).sort())
    expect(files).toContain('PR.md')
    for (const f of files) expect(readFileSync(join(out1, f), 'utf8')).toBe(readFileSync(join(out2, f), 'utf8'))

    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-copy-'))
    cpSync(repo, copy, {recursive: true})
    const local = {...base, cwd: copy}
    const first = await planPatch({...local, targets: t})
    // The fixture router recommends itself: the one-model files (SWE-agent, mini-swe-agent) cannot express it.
    expect(first.targets.filter(x => x.status === 'patch').length).toBeGreaterThanOrEqual(3)
    const applied = await applyPatches(first)
    expect(applied.every(a => !a.refused)).toBe(true)
    const again = await planPatch({...local, targets: t})
    expect(again.targets.map(x => x.status)).toEqual(
      first.targets.map(x => (x.status === 'patch' ? 'already-applied' : x.status)),
    )
    const written = await writePatches(again, mkdtempSync(join(tmpdir(), 'aco-patch-out-')))
    expect(written.files.map(f => f.split('/').pop())).toEqual(['PR.md'])
    expect(again.prMarkdown).toMatch(/already applied/)
  })

  it('a file that says what it can of the policy and cannot express the rest is not "already applied" (trial 85)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-partly-'))
    cpSync(repo, copy, {recursive: true})
    const local = {...base, cwd: copy}
    await applyPatches(await planPatch({...local, targets: [targets.litellm]}))
    // Applied: the proxy says what it can (its tiers, fallbacks); the per-item routing it cannot express at all.
    const plan = await planPatch({...local, targets: [targets.litellm]})
    expect(plan.targets[0]!.status).toBe('already-applied')
    expect(plan.targets[0]!.rendered!.unsupported.join('\n')).toMatch(/^per-item routing by the trained router/)
    expect(plan.prMarkdown).not.toMatch(/already applied/)
    expect(plan.prMarkdown).toMatch(
      /it already says what it can express of the policy .*and the rest it cannot express/,
    )
    expect(plan.prMarkdown).toMatch(
      /^None: every file here already says what it can express of the policy, and the rest/m,
    )
  })
})

describe('--write', () => {
  it('keeps the original as FILE.aco-backup (numbered when one is there) and refuses a file that changed since it was read', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-write-'))
    cpSync(repo, copy, {recursive: true})
    const options = {...base, cwd: copy, targets: [targets.settings, targets.litellm]}
    const original = readFileSync(join(copy, '.claude/settings.json'), 'utf8')
    const plan = await planPatch(options)
    // someone edits the LiteLLM config after the plan read it
    writeFileSync(
      join(copy, 'deploy/litellm.yaml'),
      `${readFileSync(join(copy, 'deploy/litellm.yaml'), 'utf8')}# edited\n`,
    )
    const applied = await applyPatches(plan)
    const settings = applied.find(a => a.target.kind === 'claude-settings')!
    const litellm = applied.find(a => a.target.kind === 'litellm')!
    expect(settings.backup).toBe(join(copy, '.claude/settings.json.aco-backup'))
    expect(readFileSync(settings.backup!, 'utf8')).toBe(original)
    expect(readFileSync(join(copy, '.claude/settings.json'), 'utf8')).toBe(plan.targets[0]!.after)
    expect(litellm.refused).toMatch(/changed since the patch was computed/)
    expect(readFileSync(join(copy, 'deploy/litellm.yaml'), 'utf8')).toMatch(/# edited\n$/)
    expect(existsSync(join(copy, 'deploy/litellm.yaml.aco-backup'))).toBe(false)

    // a second change to the same file keeps the first backup and numbers the next
    writeFileSync(join(copy, '.claude/settings.json'), original)
    await applyPatches(await planPatch(options))
    expect(readFileSync(join(copy, '.claude/settings.json.aco-backup'), 'utf8')).toBe(original)
    expect(readFileSync(join(copy, '.claude/settings.json.aco-backup.2'), 'utf8')).toBe(original)
  })

  it('says where a backup holds a secret the file held (a .gitignore that names the file does not name it; trial 115)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-secret-backup-'))
    cpSync(repo, copy, {recursive: true})
    const settings = join(copy, '.claude/settings.json')
    const json = JSON.parse(readFileSync(settings, 'utf8')) as {env: Record<string, string>}
    json.env.ANTHROPIC_API_KEY = SECRET
    writeFileSync(settings, `${JSON.stringify(json, null, 2)}\n`)
    const out = join(copy, 'aco-patches')
    const {result} = await patch({...base, cwd: copy, targets: [targets.settings, targets.litellm], out, write: true})
    const [withSecret, without] = result.targets
    expect(withSecret!.status).toBe('written')
    expect(readFileSync(withSecret!.backup!, 'utf8')).toContain(SECRET)
    expect(withSecret!.backupHoldsSecret).toBe(true)
    expect(without!.status).toBe('written')
    expect(without!.backupHoldsSecret).toBeUndefined()
    expect(validator('patch-result')(JSON.parse(JSON.stringify(result)))).toBe(true)
  })

  it('leaves a read-only file alone, and says how to let it be changed (trial 33)', async () => {
    // (The folder is writable: the atomic write's rename had replaced the file all the same, even as another user.)
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-ro-file-'))
    cpSync(repo, copy, {recursive: true})
    const file = join(copy, '.claude/settings.json')
    const plan = await planPatch({...base, cwd: copy, targets: [targets.settings]})
    chmodSync(file, 0o444)
    try {
      const [applied] = await applyPatches(plan)
      expect(applied!.refused).toMatch(
        /^\.claude\/settings\.json is read-only: not written \(make it writable, chmod u\+w/,
      )
      expect(readFileSync(file, 'utf8')).toBe(plan.targets[0]!.before)
      expect(statSync(file).mode & 0o777).toBe(0o444)
      expect(existsSync(`${file}.aco-backup`)).toBe(false)
    } finally {
      chmodSync(file, 0o644)
    }
  })

  // root writes into a read-only folder anyway: the case cannot be made there
  it.skipIf(process.getuid?.() === 0)(
    'says why when it cannot keep a backup, and then leaves the file alone',
    async () => {
      const copy = mkdtempSync(join(tmpdir(), 'aco-patch-ro-'))
      cpSync(repo, copy, {recursive: true})
      const plan = await planPatch({...base, cwd: copy, targets: [targets.settings]})
      chmodSync(join(copy, '.claude'), 0o555)
      try {
        const [applied] = await applyPatches(plan)
        expect(applied!.refused).toMatch(/cannot keep a backup of .claude\/settings.json .*: not written/)
      } finally {
        chmodSync(join(copy, '.claude'), 0o755)
      }
      expect(readFileSync(join(copy, '.claude/settings.json'), 'utf8')).toBe(plan.targets[0]!.before)
    },
  )

  it('writes PR.md and the patches it names under --out, and gives results that say what happened', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-run-'))
    cpSync(repo, copy, {recursive: true})
    const out = join(copy, 'aco-patches')
    const {result} = await patch({...base, cwd: copy, targets: [targets.settings, targets.bad], out, write: true})
    expect(result.targets.map(t => t.status)).toEqual(['written', 'unreadable'])
    // (PR.md names each patch, and its roll back undoes one with git apply -R: they are there, trial 85; and the result
    // lists them, review 86.)
    const patchFile = result.targets[0]!.patchFile!
    expect(readdirSync(out).sort()).toEqual([patchFile, 'PR.md'].sort())
    expect(result.written!.files.map(f => f.split('/').pop())).toEqual([patchFile, 'PR.md'])
    expect(readFileSync(join(out, 'PR.md'), 'utf8')).toContain(patchFile)
    expect(readFileSync(join(out, 'PR.md'), 'utf8')).not.toMatch(/## Not applied/)
  })

  it('--write with an --out it may not write into: refused before any file is changed (review 86)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-run-out-'))
    cpSync(repo, copy, {recursive: true})
    // A link where PR.md goes in --out: refused, as without --write, and the target stays as it was.
    const out = join(copy, 'aco-patches')
    mkdirSync(out)
    symlinkSync(join(copy, 'elsewhere.md'), join(out, 'PR.md'))
    const file = join(copy, '.claude/settings.json')
    const before = readFileSync(file, 'utf8')
    await expect(patch({...base, cwd: copy, targets: [targets.settings], out, write: true})).rejects.toThrow(
      /PR\.md is a symbolic link/,
    )
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(existsSync(`${file}.aco-backup`)).toBe(false)
  })

  it('--write on a read-only file: PR.md says it was not applied, and its patch is beside PR.md (trial 85)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-run-ro-'))
    cpSync(repo, copy, {recursive: true})
    const out = join(copy, 'aco-patches')
    const file = join(copy, '.claude/settings.json')
    chmodSync(file, 0o444)
    try {
      const {result} = await patch({...base, cwd: copy, targets: [targets.settings], out, write: true})
      expect(result.targets.map(t => t.status)).toEqual(['refused'])
      const patchFile = result.targets[0]!.patchFile!
      expect(readdirSync(out).sort()).toEqual([patchFile, 'PR.md'].sort())
      const pr = readFileSync(join(out, 'PR.md'), 'utf8')
      expect(pr).toMatch(/## Not applied\n\n`--write` did not change these files/)
      expect(pr).toMatch(
        new RegExp(`- \`\\.claude/settings\\.json\`: .*read-only.*Its patch, \`${patchFile}\`, is beside this file`),
      )
      // The patch applies to the file as it still is.
      expect(readFileSync(join(out, patchFile), 'utf8')).toMatch(/^--- a\/\.claude\/settings\.json/m)
    } finally {
      chmodSync(file, 0o644)
    }
  })

  it('never writes through a link planted in --out: the file it points to stays as it was (exit 2)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-link-'))
    cpSync(repo, copy, {recursive: true})
    const out = join(copy, 'aco-patches')
    mkdirSync(out)
    const config = join(copy, 'victim.yaml')
    writeFileSync(config, 'model: keep-me\n')
    symlinkSync(config, join(out, 'PR.md'))
    await expect(patch({...base, cwd: copy, targets: [targets.settings], out, write: false})).rejects.toThrow(
      /its PR\.md is a symbolic link .*writing it would replace what it points to/,
    )
    expect(readFileSync(config, 'utf8')).toBe('model: keep-me\n')
  })

  it('never writes PR.md over an input of the run (the decisions file kept as PR.md in --out)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-input-'))
    cpSync(repo, copy, {recursive: true})
    const out = join(copy, 'aco-patches')
    mkdirSync(out)
    const decisions = join(out, 'PR.md')
    cpSync(base.decisions!, decisions)
    const before = readFileSync(decisions, 'utf8')
    await expect(
      patch({...base, decisions, cwd: copy, targets: [targets.settings], out, write: false}),
    ).rejects.toThrow(/Refusing to write --out .*PR\.md: it is one of the inputs of this run/)
    expect(readFileSync(decisions, 'utf8')).toBe(before)
  })
})

describe("PR.md's evidence for decisions made in `aco review` of trace files", () => {
  it('tells the cards aco review wrote in a temporary folder from cards a person keeps (the new user’s trial 40)', async () => {
    const {mkdtempSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const {openReview} = await import('../../src/review/open.js')
    const {madeByReview} = await import('../../src/patch/pr.js')
    const {fixture} = await import('../helpers.js')
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'aco-test-')), 'aco-review-1000')
    const opened = await openReview({paths: [fixture('waste')], cwd: process.cwd(), home: tmpdir(), env: {}, cacheDir})
    expect(madeByReview(opened.source.cardsPath)).toBe(true)
    // PR.md names those cards by what made them, in its first line too (trial 123 read a path of the temporary folder).
    const plan = await planPatch({
      cards: opened.source.cardsPath,
      acceptAbove: 0.5,
      cwd: repo,
      allowOutside: false,
      targets: [targets.policy],
    })
    expect(plan.built.accepted.length).toBeGreaterThan(0)
    expect(plan.prMarkdown).toMatch(
      /^Generated by `aco patch` from \d+ analysed traces? \(subagents counted apart\) that `aco review` read from trace files\.$/m,
    )
    expect(plan.prMarkdown).not.toContain('aco-review-')
    opened.source.close()
    expect(madeByReview('/home/dev/project/aco-cards/cards.ndjson')).toBe(false)
    expect(madeByReview('/home/dev/aco-review-notes/cards.ndjson')).toBe(false)
  })
})

describe('a router over models the traces did not run (trial 115)', () => {
  it('says so before its figures, in the summary and the result, where none or a tenth of the cost ran off it', () => {
    const tiers = [{model: 'gpt-4-1106-preview'}, {model: 'gpt-3.5-turbo-1106'}]
    const none = modelsOffPolicy(tiers, [{costByModel: {'gpt-5.3-codex': 3}}, {costByModel: {'gpt-5.4': 1}}])
    expect(none).toMatch(
      /^none of the traces' calls ran a model the router chooses among: they ran gpt-5\.3-codex \(75%\), gpt-5\.4 \(25%\)\./,
    )
    expect(modelsOffPolicy(tiers, [{costByModel: {'gpt-4-1106-preview': 8, 'gpt-5.4': 2}}])).toBe(
      "20% of the traces' cost ran on models the router does not choose among (gpt-5.4 (20%)): its figures do not cover that work",
    )
    // (Under a tenth of the cost goes unsaid; one model in other spellings is the same model.)
    expect(modelsOffPolicy(tiers, [{costByModel: {'openai/gpt-4-1106-preview': 95, 'gpt-5.4': 5}}])).toBeUndefined()
    expect(
      modelsOffPolicy([{model: 'anthropic/claude-haiku-4-5'}], [{costByModel: {'claude-haiku-4-5-20251001': 1}}]),
    ).toBeUndefined()
    // (No call priced: the models themselves are counted.)
    expect(modelsOffPolicy(tiers, [{costByModel: {'local-llama': 0}}])).toMatch(/they ran local-llama\./)
    // (A model with no cost counted beside priced ones, a private one: named, whatever its share; review 118.)
    expect(modelsOffPolicy(tiers, [{costByModel: {'gpt-4-1106-preview': 1, 'my-private-llm': 0}}])).toBe(
      "some of the traces' calls ran on models the router does not choose among, for which no cost was counted (my-private-llm): its figures do not cover that work",
    )
    // (Named among priced ones, and first: cut at four, it had been left out; review 119.)
    const many = {
      'gpt-4-1106-preview': 100,
      'a-model': 1,
      'b-model': 1,
      'c-model': 1,
      'd-model': 1,
      'my-private-llm': 0,
    }
    expect(modelsOffPolicy(tiers, [{costByModel: many}])).toBe(
      "some of the traces' calls ran on models the router does not choose among, for which no cost was counted (my-private-llm): its figures do not cover that work",
    )
    const big = {'gpt-4-1106-preview': 10, 'a-model': 10, 'my-private-llm': 0}
    expect(modelsOffPolicy(tiers, [{costByModel: big}])).toMatch(
      /^50% of the traces' cost ran on models the router does not choose among \(my-private-llm \(no cost counted\), a-model \(50%\)\)/,
    )
    // (No routing, or no model in the traces: nothing to say.)
    expect(modelsOffPolicy([], [{costByModel: {'gpt-5.4': 1}}])).toBeUndefined()
    expect(modelsOffPolicy(tiers, [{costByModel: {}}])).toBeUndefined()
  })

  it("puts it at the head of PR.md's evaluation and in the result: the share off it, or that none ran on it", async () => {
    // (The bundled traces run other models beside the router's Claude models: a sixth of their cost.)
    const plan = await planPatch({...base, targets: [targets.policy]})
    expect(plan.offModels).toMatch(
      /^1\d% of the traces' cost ran on models the router does not choose among \(claude-imaginary-9 \(no cost counted\), claude-opus-5 /,
    )
    expect(plan.prMarkdown).toContain(`**The traces' own models**: ${plan.offModels}`)
    const {router, evaluation} = await claudeRouter()
    const json = structuredClone(router.json) as unknown as Record<string, unknown>
    const rename = (v: unknown): unknown =>
      typeof v === 'string'
        ? v.replace(/claude-(haiku|sonnet|opus)-4-[56]/g, 'gpt-x-$1')
        : Array.isArray(v)
          ? v.map(rename)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [rename(k) as string, rename(x)]))
            : v
    const dir = mkdtempSync(join(tmpdir(), 'aco-off-models-'))
    writeFileSync(join(dir, 'router.json'), JSON.stringify(rename(json)))
    writeFileSync(join(dir, 'evaluation.json'), JSON.stringify(rename(evaluation)))
    const off = await patch({
      ...base,
      router: join(dir, 'router.json'),
      targets: [targets.policy],
      out: join(dir, 'out'),
      write: false,
    })
    expect(off.plan.offModels).toMatch(
      /^none of the traces' calls ran a model the router chooses among: they ran claude-/,
    )
    expect(off.result.offModels).toBe(off.plan.offModels)
    const evaluationPart = off.plan.prMarkdown.split("## The router's evaluation")[1] ?? ''
    expect(evaluationPart.trimStart()).toMatch(/^\(held-out items\)\n\n\*\*The traces' own models\*\*: None of/)
    expect(validator('patch-result')(JSON.parse(JSON.stringify(off.result)))).toBe(true)
  })
})

describe("PR.md's dollars", () => {
  it('read the same alone and in a sum (trial 116: one flag at $0.01005 read $0.0101 in a sum, $0.0100 beside it)', () => {
    const sum = moneySum([0.01005, 0.0078], 0.01785)
    expect(sum).toEqual({terms: ['$0.0101', '$0.0078'], total: '$0.0179'})
    expect(money(0.01005)).toBe(sum.terms[0])
    expect(money(0.0078)).toBe(sum.terms[1])
    expect(money(0.01785)).toBe(sum.total)
    expect(money(-0.0061)).toBe('−$0.0061')
    // Below a ten-thousandth, two significant digits in decimals (not `$3.1e-8`).
    expect(money(0.00005)).toBe('$0.000050')
    expect(money(3.1e-8)).toBe('$0.000000031')
    // Rounded up into the next decade, one decimal fewer; below what twenty decimals show, said so (review 125).
    expect(money(0.00009999)).toBe('$0.00010')
    expect(money(1e-22)).toBe('<$0.0000000000000000001')
  })
})

describe('the policy file when this run routes nothing (trial 116)', () => {
  it('makes no file of a policy that says nothing, and keeps the routing a file holds when adding guards to it', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aco-patch-empty-policy-'))
    cpSync(repo, copy, {recursive: true})
    // No router, and decisions that accept nothing: nothing to say, so no file.
    const none = join(copy, 'none.json')
    writeFileSync(none, JSON.stringify({...JSON.parse(readFileSync(base.decisions!, 'utf8')), decisions: []}, null, 2))
    const empty = await planPatch({cwd: copy, allowOutside: false, decisions: none, targets: ['aco-policy:new.json']})
    expect(empty.targets[0]!.status).toBe('nothing-to-do')
    expect(empty.targets[0]!.rendered?.notes.join('\n')).toMatch(/not created: the policy says nothing/)
    expect(empty.prMarkdown).toContain('None: the policy says nothing')
    // A policy file with the router's routing, patched again with the decisions alone: its routing stays, guards added.
    const routed = await patch({...base, cwd: copy, targets: [targets.policy], out: join(copy, 'p1'), write: true})
    expect(routed.result.targets[0]!.status).toBe('written')
    const first = JSON.parse(readFileSync(join(copy, 'aco-policy.json'), 'utf8')) as {
      tiers: unknown[]
      rules: unknown[]
    }
    expect(first.tiers.length).toBeGreaterThan(0)
    const {router: _r, ...decisionsOnly} = base
    await patch({...decisionsOnly, cwd: copy, targets: [targets.policy], out: join(copy, 'p2'), write: true})
    const after = JSON.parse(readFileSync(join(copy, 'aco-policy.json'), 'utf8')) as {
      tiers: unknown[]
      rules: unknown[]
    }
    expect(after.tiers).toEqual(first.tiers)
    expect(after.rules).toEqual(first.rules)
    // Decisions accepting nothing leave that file as it is (review 118: a rewrite had named them as its source), and an
    // empty file too.
    const held = readFileSync(join(copy, 'aco-policy.json'), 'utf8')
    const again = await planPatch({cwd: copy, allowOutside: false, decisions: none, targets: [targets.policy]})
    expect(again.targets[0]!.status).toBe('nothing-to-do')
    expect(again.targets[0]!.rendered?.notes.join('\n')).toMatch(/left as it is: this run’s policy says nothing/)
    expect(readFileSync(join(copy, 'aco-policy.json'), 'utf8')).toBe(held)
    writeFileSync(join(copy, 'empty.json'), '')
    const blank = await planPatch({cwd: copy, allowOutside: false, decisions: none, targets: ['aco-policy:empty.json']})
    expect(blank.targets[0]!.status).toBe('nothing-to-do')
  })
})
