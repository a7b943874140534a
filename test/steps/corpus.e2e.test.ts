/**
 * The per-step router and the auto-labeller on the real corpus and test/corpus-extra, judged against the 1,311
 * hand labels of test/corpus/step-labels (the ground truth here; the default features were chosen among variants
 * fixed in advance by nested cross-validation inside training groups, README "Pre-registered evaluation on the
 * enlarged labels"). Gates are the figures measured at seed 1 less a margin, so a change that makes them worse fails.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import type {TraceCard} from '../../src/card/types.js'
import {autoLabels} from '../../src/label/auto-label.js'
import {mergeAutoLabels} from '../../src/label/run.js'
import {trainStepRouter} from '../../src/learn/steps/train.js'
import {PriceBook} from '../../src/price/book.js'
import type {Decision, DecisionsFile} from '../../src/review/decisions.js'
import {check} from '../../src/util/schemas.js'
import {acoAsync} from '../e2e/run.js'
import {corpusDir, hasCorpus, root, skipNoCorpus} from '../helpers.js'
import {writeCards} from '../review/fixtures.js'
// @ts-expect-error: a plain script of the repo (scripts/step-labels.js), without types
import {handDecisions} from '../../scripts/step-labels.js'

const labelsDir = join(root, 'test/corpus/step-labels')
const extraDir = join(root, 'test/corpus-extra')
let dir = ''
let roots: TraceCard[] = []
let hand: DecisionsFile

describe.skipIf(!hasCorpus)(`corpus: per-step labels and router (${hasCorpus ? corpusDir : skipNoCorpus})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aco-steps-'))
    const run = await analyze({paths: [corpusDir, extraDir], home: '/nonexistent', env: {}, keepCards: true})
    // Every card of the run is a root (subagents sit inside their parents; a subagent whose session is not in the
    // corpus is a root of its own).
    roots = run.cards as TraceCard[]
    writeCards(dir, roots)
    const {missing, ...file} = handDecisions(join(dir, 'cards.ndjson'), labelsDir) as DecisionsFile & {missing: number}
    expect(missing, 'hand labels whose step is in no card').toBe(0)
    hand = file
  }, 180_000)
  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('auto-labels agree with the hand labels as measured, and never replace one', () => {
    expect(hand.decisions.length).toBe(1311)
    const labels = autoLabels(roots)
    const auto = new Map(labels.map(l => [`${l.card.id}\u0000${l.step.id}`, l]))
    const kind = (label: string) => (label === 'fine' || label === 'cheaper-model-ok' ? 'ok' : label)
    let covered = 0
    let agree = 0
    const confusion = new Map<string, number>()
    for (const d of hand.decisions) {
      const a = auto.get(`${d.traceId}\u0000${d.stepId}`)
      if (!a) continue
      covered++
      if (kind(a.label) === kind(d.label!)) agree++
      const key = `${kind(d.label!)}→${kind(a.label)}`
      confusion.set(key, (confusion.get(key) ?? 0) + 1)
    }
    console.log(
      `auto-labels on hand-labelled steps: ${covered}/1311 covered, agreement ${agree}/${covered} = ${(agree / covered).toFixed(3)}; hand→auto ${[...confusion].map(([k, n]) => `${k} ${n}`).join(', ')}`,
    )
    // Measured at this commit: 1,248 of 1,311 covered, 1,009 agree (0.808); the execution evidence finds 9 of the
    // 79 covered needs-stronger-model steps (README: auto-labels are weak evidence for routing).
    expect(covered).toBeGreaterThanOrEqual(1200)
    expect(agree / covered).toBeGreaterThanOrEqual(0.79)

    const merged = mergeAutoLabels(hand.decisions, labels, new Set(roots.map(r => r.id)), '2026-02-01T00:00:00.000Z')
    const people = [...merged.decisions.values()].filter(d => d.labelSource === undefined)
    expect(people).toEqual(expect.arrayContaining(hand.decisions as Decision[]))
    expect(people.length).toBe(1311)
  })

  it('the router, held out by trace group, stays within its bound and sits on the frontier beside the baselines', () => {
    // (A router that may send a step above the tier that ran it: the one whose quality is gated below.)
    const {router, result} = trainStepRouter(roots, hand, new PriceBook(), {seed: 1, escalate: true, now: () => 0})
    expect(check('step-router', router)).toBeUndefined()
    expect(check('step-train-result', JSON.parse(JSON.stringify(result)))).toBeUndefined()
    const f = result.frontier
    const at = (p: string) => f.baselines.find(b => b.policy === p)!
    console.log(
      `step router (seed 1): needs-stronger AUC ${result.needsStronger.auc.value} [${result.needsStronger.auc.low}, ${result.needsStronger.auc.high}]; ${[...f.baselines, f.router].map(b => `${b.policy} cost ${b.costShare} not-enough ${b.notEnough}`).join('; ')}; bound ${f.bound?.bound} at α ${f.bound?.alpha} over ${f.bound?.groups} groups`,
    )
    // Every step scored was predicted by a router that saw no step of its trace group.
    expect(result.split.method).toBe('trace-grouped cross-validation')
    expect(result.needsStronger.steps).toBe(1311)
    // Quality gates (measured at seed 1, less a margin): AUC 0.761 (0.702-0.816) on the 1,311 hand labels alone.
    // The margin is for fold assignment: unlabelled traces added to the corpus move groups between folds (merging
    // 13 of them moved this figure from 0.772 to 0.761). The issue's bar is 0.75; README says where it stands.
    expect(result.needsStronger.auc.value).toBeGreaterThanOrEqual(0.72)
    expect(f.bound).not.toBeNull()
    expect(f.bound!.bound).toBeLessThanOrEqual(f.bound!.alpha)
    // The router is cheaper than always-strongest and sends fewer steps to a tier that is not enough than
    // always-cheapest and than the steps as they ran.
    expect(f.router.costShare).toBeLessThan(1)
    expect(f.router.notEnough).toBeLessThan(at('always cheapest').notEnough)
    expect(f.router.notEnough).toBeLessThan(at('as run').notEnough)
    // Dearer than the steps as they ran (escalations buy its quality), it says so (trial 121: 61.5% against 10.0%, no
    // word of it).
    const dearer = f.router.costShare > at('as run').costShare
    expect(result.warnings.some(w => /more than the steps as they ran/.test(w))).toBe(dearer)
    // Same seed, same router.
    const again = trainStepRouter(roots, hand, new PriceBook(), {seed: 1, escalate: true, now: () => 0})
    expect(again.router).toEqual(router)
  }, 240_000)

  // (Without blocking the worker while the CLI trains: a minute of it under load lost vitest's connection to the worker,
  // "Timeout calling onTaskUpdate", in a run where every test passed.)
  it('aco train --steps and aco route --cards write what their schemas say', async () => {
    const decisions = join(dir, 'hand.json')
    const out = join(dir, 'router')
    writeFileSync(decisions, JSON.stringify(hand))
    const trained = await acoAsync(['train', '--steps', dir, '--decisions', decisions, '--out', out, '--json'])
    expect(trained.status, trained.stderr).toBe(0)
    const result = JSON.parse(trained.stdout)
    expect(check('step-train-result', result)).toBeUndefined()
    expect(readFileSync(join(out, 'evaluation.md'), 'utf8')).toMatch(/by tool kind/)
    const routed = await acoAsync(['route', '--router', join(out, 'router.json'), '--cards', dir, '--json'])
    expect(routed.status, routed.stderr).toBe(0)
    const r = JSON.parse(routed.stdout)
    expect(check('step-route-result', r)).toBeUndefined()
    expect(r.decisions.length).toBe(result.data.llmSteps)
    expect(r.projected.savedUsd).toBeCloseTo(result.projected.savedUsd, 6)
    // An empty cards file: no usable input, exit 4, said (trial 72: exit 0, "projected: $0.00 instead of $0.00").
    const empty = join(dir, 'empty-cards.ndjson')
    writeFileSync(empty, '')
    const none = await acoAsync(['route', '--router', join(out, 'router.json'), '--cards', empty])
    expect(none.status, none.stderr).toBe(4)
    expect(none.stderr).toMatch(/No LLM step to route in \S+empty-cards\.ndjson/)
    expect(none.stderr).not.toMatch(/projected:/)
    // The steps whose trace names no model are said apart on the screen, as --json counts them (trial 82).
    const text = await acoAsync(['route', '--router', join(out, 'router.json'), '--cards', dir])
    expect(text.status, text.stderr).toBe(0)
    const noModel = Object.values((r.projected.noModel ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0)
    if (noModel)
      expect(text.stderr).toContain(`; ${noModel} steps whose trace names no model given a tier by the router`)
    else expect(text.stderr).not.toContain('whose trace names no model')
    // Trained on automatic labels alone, the screen says its figures are theirs (trial 82).
    const auto = join(dir, 'auto.json')
    expect((await acoAsync(['label', '--auto', '--cards', dir, '--decisions', auto])).status).toBe(0)
    const onAuto = await acoAsync(['train', '--steps', dir, '--decisions', auto, '--out', join(dir, 'auto-router')])
    expect(onAuto.status, onAuto.stderr).toBe(0)
    expect(onAuto.stdout).toMatch(
      /not defined: no step labelled by a person\n {2}measured against automatic labels alone/,
    )
  }, 360_000)
})
