/**
 * The per-step router, start to finish, without oclif: `aco train --steps`
 * reads the cards, the decisions file and the tiers, trains (learn/steps) and
 * writes router.json, evaluation.json and evaluation.md; `aco route --cards`
 * routes every LLM step of some cards with a step router and projects what it
 * would have cost. The commands parse flags and print; this does the rest.
 */
import {join, resolve} from 'node:path'
import {AcoError} from '../errors.js'
import {readCards, resolveCards} from '../label/run.js'
import type {BoundOptions} from '../learn/calibrate.js'
import type {EngineName} from '../learn/estimator.js'
import {renderStepEvaluation} from '../learn/steps/report.js'
import {loadStepRouter, routeCards, type Projection, type StepDecision, withoutEvidence} from '../learn/steps/router.js'
import {readTiers} from '../learn/steps/tiers.js'
import {trainStepRouter, type FeatureMode, type SourceMode, type StepTrainResult} from '../learn/steps/train.js'
import {PriceBook} from '../price/book.js'
import {readDecisions} from '../review/decisions-file.js'
import {writeFileAtomic} from '../util/atomic.js'
import {guardOutputFolder, prepareOutputDir} from '../util/output-paths.js'
import {stripControls} from '../util/control.js'
import {markdownStrings} from '../util/markdown.js'
import {redactText, redactValue} from '../util/redact.js'

export interface TrainStepsOptions {
  cards: string
  decisions: string
  tiers?: string
  out: string
  seed: number
  folds: number
  alpha: number
  bound: BoundOptions
  engine: 'auto' | EngineName
  features: FeatureMode
  sources: SourceMode
  escalate: boolean
  now: () => number
  onProgress?: (message: string) => void
}

export type TrainStepsResult = StepTrainResult & {
  written: {router: string; evaluationJson: string; evaluationMd: string}
}

/** `aco train --steps`: a per-step router and its evaluation, written to `out`. */
export async function trainSteps(o: TrainStepsOptions): Promise<TrainStepsResult> {
  const out = prepareOutputDir(o.out, '--out')
  const cardsPath = resolveCards(o.cards)
  guardOutputFolder(out, ['router.json', 'evaluation.json', 'evaluation.md'], '--out', [
    cardsPath,
    resolve(o.decisions),
    ...(o.tiers ? [resolve(o.tiers)] : []),
  ])
  const decisions = await readDecisions(
    o.decisions,
    'Pass the decisions file aco review or aco label wrote (--decisions FILE).',
  )
  if (!decisions)
    throw new AcoError(
      'usage',
      `There is no decisions file at ${o.decisions}.`,
      'Label steps first: aco label --auto --cards CARDS --decisions FILE, or aco review.',
    )
  const tiers = o.tiers ? readTiers(o.tiers) : undefined
  const roots = await readCards(cardsPath)
  const {router, result} = trainStepRouter(roots, decisions, new PriceBook(), {
    seed: o.seed,
    folds: o.folds,
    alpha: o.alpha,
    bound: o.bound,
    engine: o.engine,
    features: o.features,
    sources: o.sources,
    escalate: o.escalate,
    ...(tiers ? {tiers} : {}),
    now: o.now,
    ...(o.onProgress ? {onProgress: o.onProgress} : {}),
  })
  const written = {
    router: join(out, 'router.json'),
    evaluationJson: join(out, 'evaluation.json'),
    evaluationMd: join(out, 'evaluation.md'),
  }
  const full: TrainStepsResult = {...result, written}
  await writeFileAtomic(written.router, `${JSON.stringify(router)}\n`, {own: true})
  // (Printable, no secret, and the names the cards give read as text in evaluation.md, not as markup: redacted before
  // they are escaped, whose backslashes would hide a key from the redaction's patterns.)
  await writeFileAtomic(written.evaluationJson, `${JSON.stringify(redactValue(full), null, 2)}\n`, {own: true})
  await writeFileAtomic(
    written.evaluationMd,
    redactText(stripControls(renderStepEvaluation(markdownStrings(redactValue(result))))),
    {own: true},
  )
  return full
}

export interface RouteStepsResult {
  schemaVersion: '1.0'
  kind: 'aco-step-route'
  router: string
  cards: string
  threshold: number
  decisions: Array<Pick<StepDecision, 'traceId' | 'stepId' | 'model'> & Partial<StepDecision>>
  projected: Projection
  warnings: string[]
}

/** `aco route --router R --cards C`: the tier and model of every LLM step of the cards. */
export async function routeSteps(o: {router: string; cards: string; threshold?: number}): Promise<RouteStepsResult> {
  const router = loadStepRouter(o.router)
  const cardsPath = resolveCards(o.cards)
  const roots = await readCards(cardsPath)
  const {decisions, projected} = routeCards(router, roots, new PriceBook(), o.threshold)
  return {
    schemaVersion: '1.0',
    kind: 'aco-step-route',
    router: o.router,
    cards: cardsPath,
    threshold: o.threshold ?? router.json.operatingPoint.threshold,
    decisions,
    projected,
    warnings: withoutEvidence(router.json)
      ? [
          `${o.router} was trained by an earlier aco, which did not count the labels a projected saving rests on: no saving is projected (train it again: aco train --steps).`,
        ]
      : [],
  }
}
