/**
 * `aco train --steps` as a pure service: cards and labels in, a per-step
 * router and its evaluation out.
 *
 * 1. Every LLM step is featurized from its card up to the step (features.ts);
 *    labels join by (trace, step); each label says on which tiers the step
 *    goes well (targets.ts).
 * 2. Held-out evaluation by trace-grouped cross-validation: the trace groups
 *    (data.ts) are dealt into `folds` folds of even size; each fold is
 *    predicted by a router fitted on the others, so every labelled step gets
 *    an estimate from a router that saw no step of its trace group.
 * 3. Each router (per fold, and the final one on every labelled step) is
 *    fitted as Router I is: a calibration split of whole trace groups chooses
 *    the engine (model.ts) and whether automatic labels help predict
 *    people's labels; the chosen engines are then refitted on every training
 *    step.
 * 4. The operating point (a threshold on P(tier is enough)) is chosen by
 *    conformal risk control (calibrate.ts) on the held-out estimates of the
 *    people's labels: the rate of steps sent to a tier their label says is
 *    not enough stays under α. Its rate is then measured on held-out halves:
 *    a threshold chosen on one half of the trace groups, checked on the other.
 * 5. The evaluation (AUC, Brier, reliability per tier and per source of
 *    label), the projected saving with its assumption, and the human-readable
 *    rules the policy carries (rules.ts).
 */
import type {TraceCard} from '../../card/types.js'
import {AcoError} from '../../errors.js'
import type {PriceBook} from '../../price/book.js'
import {LABEL_SOURCES, type DecisionsFile, type LabelSource} from '../../review/decisions.js'
import type {BoundOptions} from '../calibrate.js'
import type {EngineName, EstimatorJson} from '../estimator.js'
import {Rng} from '../random.js'
import {stepData, type LabelledStep, type StepData, onUntieredModel} from './data.js'
import {DEFAULT_STEP_FEATURES, STEP_FEATURES} from './features.js'
import {calibration, weightedAuc, type Calibration} from './metrics.js'
import {
  AUTO_ENGINES,
  chooseStepEngines,
  chosenEstimator,
  fitTiers,
  groupFolds,
  predictSteps,
  scoreTiers,
  STEP_FEATURE_OPTIONS,
  type FeatureChoice,
  type FittedTiers,
  type StepEngineChoice,
} from './model.js'
import {
  cheapestEnough,
  loadStepRouter,
  PROJECTION_ASSUMPTION,
  projects,
  routeCards,
  STEP_ROUTER_VERSION,
  type Projection,
  type StepRouterJson,
} from './router.js'
import {stepFrontier, type StepFrontier} from './frontier.js'
import {stepRules, type StepRule} from './rules.js'
import {defaultSelectOptions, selectFeatures, type Selection} from './select.js'
import {tierPricing, type TiersConfig} from './tiers.js'

export type FeatureMode = 'default' | 'all' | 'auto' | string[]
export type SourceMode = 'auto' | 'all' | 'person'

export interface StepTrainOptions {
  seed: number
  /** Trace-grouped folds of the held-out evaluation. */
  folds: number
  engine: 'auto' | EngineName
  features: FeatureMode
  sources: SourceMode
  /** Compute `action` (the kind of call the step makes). */
  withAction: boolean
  alpha: number
  bound: BoundOptions
  /** Labelled steps a tier needs before a saving is projected for steps sent there. */
  minTierSteps: number
  /** Let the router send a step to a stronger tier than the one it ran on (default: only down). */
  escalate: boolean
  tiers?: TiersConfig
  now: () => number
  onProgress?: (message: string) => void
}

/**
 * Labelled steps below which a figure rests on too few to tell (a tier's projection down to it, the table of policies
 * held out).
 */
export const MIN_LABELLED_STEPS = 20

const defaultStepTrainOptions: Omit<StepTrainOptions, 'now'> = {
  seed: 1,
  folds: 5,
  engine: 'auto',
  features: 'default',
  sources: 'auto',
  withAction: true,
  alpha: 0.1,
  bound: {guarantee: 'marginal', delta: 0.1},
  minTierSteps: MIN_LABELLED_STEPS,
  escalate: false,
}

/** Threshold grid: 0 (every step to the cheapest tier) … 1, then above 1 (every step to the strongest). */
const GRID = [...Array.from({length: 101}, (_, g) => g / 100), 1.0001]

/** Bootstrap draws of trace groups behind every interval. */
const RESAMPLES = 400

interface Interval {
  value: number
  low: number
  high: number
}

interface TierReport {
  name: string
  model: string
  models: string[]
  inputUsdPerMillion?: number
  /** Labelled steps that ran on the tier. */
  labelledSteps: number
  /** Labelled steps that ran on a stronger tier whose label says this one would have done, and would not. */
  evidenceDown: number
  evidenceDownNot: number
  /** Whether a saving is projected for a step moved down here (enough `evidenceDown`). */
  supported: boolean
  /** Held-out estimates of this tier against every label that says something of it. */
  heldOut: Calibration
}

export interface StepTrainResult {
  schemaVersion: '1.0'
  kind: 'aco-step-train'
  data: {
    llmSteps: number
    labelledSteps: number
    traceGroups: number
    labels: Record<LabelSource, Record<string, number>>
    untieredModels: string[]
  }
  tiers: TierReport[]
  features: {
    mode: string
    used: string[]
    text: boolean
    withAction: boolean
    /** Forward selection (features `auto`), on all the labelled steps. */
    selection?: Selection
  }
  engine: {asked: string; chosen: string[] | 'constant'; reason: string; scores: StepEngineChoice['scores']}
  sources: {asked: SourceMode; used: LabelSource[]; reason: string}
  split: {method: 'trace-grouped cross-validation'; folds: number; seed: number; foldSteps: number[]}
  /** Against people's labels, held out: P(the cheapest tier is not enough) as a score for `needs-stronger-model`. */
  needsStronger: {
    steps: number
    positives: number
    auc: Interval
    /** The same with `action` left out (what a router that cannot know the tool beforehand would reach). */
    aucWithoutAction?: Interval
    /** Reliability of the cheapest tier's estimates against people's labels (bins of ≥ 20 steps). */
    cheapest: Calibration
  }
  /** Held-out calibration by source of label (every tier the label speaks of). */
  bySource: Array<{source: LabelSource; rows: number; heldOut: Calibration}>
  operatingPoint: {
    threshold: number
    /** Whether the router may send a step above the tier that ran it (`--escalate`). */
    escalate: boolean
    objective: string
    alpha: number
    guarantee: string
    bound: number
    calibrationSteps: number
    /** A threshold chosen on one half of the trace groups, its rate measured on the other (each way). */
    measured: Array<{chosenOn: number; measuredOn: number; threshold: number; rate: number}>
    note?: string
  }
  /** Held out, on people's labels: the router's curve beside always-cheapest, always-strongest, a rule by tool kind, the oracle; the bound. */
  frontier: StepFrontier
  /** Routing the labelled steps with their held-out estimates at the operating point. */
  heldOutRouting: {
    steps: number
    byTier: Record<string, number>
    /** Steps sent to a tier their label says is not enough (people's labels). */
    notEnoughRate: Interval
    /** Cost of the labelled steps as they ran and as routed (projection rules below). */
    projected: Projection
  }
  /** Routing every LLM step of the cards with the final router. */
  projected: Projection & {byTier: Record<string, number>; savedShare: number}
  rules: StepRule[]
  warnings: string[]
  seconds: number
}

interface Fit {
  fitted: FittedTiers
  estimators: EstimatorJson[]
  choice: FeatureChoice
  engine: StepEngineChoice
  sources: LabelSource[]
  sourceReason: string
  selection?: Selection
}

const ALL_SOURCES = new Set<LabelSource>(LABEL_SOURCES)

/** The features a mode uses (`auto` selects on `train`). */
function featureChoice(
  mode: FeatureMode,
  train: readonly LabelledStep[],
  tierCount: number,
  withAction: boolean,
  seed: number,
): {choice: FeatureChoice; selection?: Selection} {
  const available = STEP_FEATURES.filter(f => withAction || !ACTION_FEATURES.includes(f))
  if (mode === 'all') return {choice: {names: [...available], text: true}}
  if (mode === 'default')
    return {
      choice: {
        names: DEFAULT_STEP_FEATURES.filter(f => withAction || !ACTION_FEATURES.includes(f)).concat(
          withAction ? [] : ['prev_action'],
        ),
        text: false,
      },
    }
  if (mode === 'auto') {
    const selection = selectFeatures(train, tierCount, {
      ...defaultSelectOptions,
      features: STEP_FEATURE_OPTIONS,
      candidates: [...available, 'text'],
      seed,
    })
    return {
      choice: {names: selection.chosen.filter(c => c !== 'text'), text: selection.chosen.includes('text')},
      selection,
    }
  }
  return {
    choice: {
      names: mode.filter(f => f !== 'text' && (withAction || !ACTION_FEATURES.includes(f))),
      text: mode.includes('text'),
    },
  }
}

/** Features computed from the step's own call (known beforehand only when the agent fixes the tool first). */
const ACTION_FEATURES: readonly string[] = ['action', 'rule_cheap']

/** Fits one router on labelled steps: engine and sources chosen on a calibration split of trace groups, then refitted on all. */
function fitOne(all: readonly LabelledStep[], tierCount: number, seed: number, opts: StepTrainOptions): Fit {
  // Sources: people's labels alone when there are enough of them (sourcesFor).
  const {sources, reason: sourceReason} = sourcesFor(all, opts.sources)
  const train = all.filter(l => sources.includes(l.source))
  const {choice, selection} = featureChoice(opts.features, train, tierCount, opts.withAction, seed)
  const inner = groupFolds(
    train.map(l => l.group),
    4,
    seed ^ 0x6a09e667,
  )
  const fitRows = train.filter((_, i) => inner[i] !== 0)
  const calRows = train.filter((_, i) => inner[i] === 0)
  const allRows = train
  const names: EngineName[] = opts.engine === 'auto' ? AUTO_ENGINES : [opts.engine]

  // Engines: scored on the calibration split, then the chosen ones refitted on every training step.
  let engine: StepEngineChoice
  if (names.length > 1 && calRows.length > 0 && fitRows.length > 0) {
    const f = fitTiers(fitRows, tierCount, names, seed, STEP_FEATURE_OPTIONS, choice)
    const steps = calRows.map(l => l.step)
    const scored = names.map(name => {
      const est = Array.from({length: tierCount}, (_, k) => chosenEstimator(f, [name], k))
      return scoreTiers(
        predictSteps(steps, f.encoder, f.design, est, f.references, choice.text),
        calRows,
        f.bases,
        name,
      )
    })
    const avgEst = Array.from({length: tierCount}, (_, k) => chosenEstimator(f, ['logistic', 'knn'], k))
    const average = scoreTiers(
      predictSteps(steps, f.encoder, f.design, avgEst, f.references, choice.text),
      calRows,
      f.bases,
      'average',
    )
    engine = chooseStepEngines(scored, average)
  } else
    engine = {
      members: [names[0]!],
      reason:
        opts.engine === 'auto'
          ? 'too few steps to compare engines: logistic regression'
          : `--engine ${opts.engine} was asked for`,
      scores: [],
    }
  const members = engine.members === 'constant' ? [names[0]!] : engine.members
  const fitted = fitTiers(allRows, tierCount, members, seed, STEP_FEATURE_OPTIONS, choice)
  const estimators = Array.from({length: tierCount}, (_, k) => chosenEstimator(fitted, engine.members, k))
  return {fitted, estimators, choice, engine, sources, sourceReason, ...(selection ? {selection} : {})}
}

/** People's labels a router needs before it is trained on them alone (with both outcomes at the cheapest tier). */
const MIN_PERSON_LABELS = 50

/**
 * Which labels a router learns from. `auto`: people's labels alone when there
 * are at least MIN_PERSON_LABELS of them and they name both outcomes, every
 * source otherwise. People's labels are what the router is judged by, and the
 * automatic labels answer another question (did the step's own calls work, not
 * would a cheaper model have done as well; against the hand labels they agree
 * little beyond chance, kappa 0.13). An earlier session also compared both on
 * the hand labels (adding them lowered the held-out AUC), a look that makes the
 * corpus figures a little optimistic. Without people's labels, they are all
 * there is.
 */
function sourcesFor(train: readonly LabelledStep[], mode: SourceMode): {sources: LabelSource[]; reason: string} {
  const present = [...new Set(train.map(l => l.source))].sort()
  if (mode === 'person') return {sources: ['person'], reason: '--sources person'}
  if (mode === 'all') return {sources: present, reason: '--sources all'}
  const person = train.filter(l => l.source === 'person')
  const bad = person.filter(l => l.evidence.bad.includes(0)).length
  const good = person.filter(l => l.evidence.good.includes(0)).length
  if (person.length >= MIN_PERSON_LABELS && bad > 0 && good > 0)
    return {
      sources: ['person'],
      reason: `${person.length} steps labelled by people: the router learns from them alone (automatic labels answer another question; --sources all uses them too)`,
    }
  return {
    sources: present,
    reason:
      person.length > 0
        ? `only ${person.length} steps labelled by people (fewer than ${MIN_PERSON_LABELS}, or one outcome only): every source of label is used`
        : 'no step labelled by people: the automatic labels are used',
  }
}

/** Held-out estimates of every labelled step (`p[k][i]`), by trace-grouped cross-validation. */
function crossValidate(
  data: StepData,
  opts: StepTrainOptions,
  progress: (m: string) => void,
  label: string,
): {p: Float64Array[]; base: Float64Array[]; folds: Int32Array} {
  const T = data.tiers.tiers.length
  const n = data.labelled.length
  // Folds even in the steps the evaluation reads: people's labels when there are any.
  const anyPerson = data.labelled.some(l => l.source === 'person')
  const folds = groupFolds(
    data.labelled.map(l => l.group),
    opts.folds,
    opts.seed,
    data.labelled.map(l => (!anyPerson || l.source === 'person' ? 1 : 0)),
  )
  const p = Array.from({length: T}, () => new Float64Array(n))
  const base = Array.from({length: T}, () => new Float64Array(n))
  for (let f = 0; f < opts.folds; f++) {
    const test: number[] = []
    const train: LabelledStep[] = []
    data.labelled.forEach((l, i) => {
      if (folds[i] === f) test.push(i)
      else train.push(l)
    })
    if (test.length === 0) continue
    progress(`${label}: fold ${f + 1} of ${opts.folds} (${train.length} training steps, ${test.length} held out)`)
    const fit = fitOne(train, T, opts.seed * 1000 + f, opts)
    const est = predictSteps(
      test.map(i => data.labelled[i]!.step),
      fit.fitted.encoder,
      fit.fitted.design,
      fit.estimators,
      fit.fitted.references,
      fit.choice.text,
    )
    test.forEach((i, j) => {
      for (let k = 0; k < T; k++) {
        p[k]![i] = est[k]![j]!
        base[k]![i] = fit.fitted.bases[k]!
      }
    })
  }
  return {p, base, folds}
}

/** A statistic of labelled steps with a 95% bootstrap interval over trace groups. */
function groupBootstrap(
  steps: readonly LabelledStep[],
  statistic: (weight: (i: number) => number) => number,
  seed: number,
): Interval {
  const value = statistic(() => 1)
  const groups = [...new Set(steps.map(l => l.group))]
  const rng = new Rng(seed)
  const draws: number[] = []
  const count = new Map<number, number>()
  for (let b = 0; b < RESAMPLES; b++) {
    count.clear()
    for (let j = 0; j < groups.length; j++) {
      const g = groups[rng.int(groups.length)]!
      count.set(g, (count.get(g) ?? 0) + 1)
    }
    const v = statistic(i => count.get(steps[i]!.group) ?? 0)
    if (Number.isFinite(v)) draws.push(v)
  }
  draws.sort((a, b) => a - b)
  if (draws.length === 0) return {value, low: value, high: value}
  const at = (q: number): number => draws[Math.min(draws.length - 1, Math.max(0, Math.floor(q * draws.length)))]!
  return {value: round(value), low: round(at(0.025)), high: round(at(0.975))}
}

function round(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

/** AUC of held-out P(cheapest not enough) for people's `needs-stronger-model`, with its interval. */
function needsStrongerAuc(
  data: StepData,
  p0: Float64Array,
  seed: number,
): Interval & {steps: number; positives: number} {
  const idx = data.labelled.map((_, i) => i).filter(i => data.labelled[i]!.source === 'person')
  const steps = idx.map(i => data.labelled[i]!)
  const y = steps.map(l => (l.label === 'needs-stronger-model' ? 1 : 0))
  const score = idx.map(i => 1 - p0[i]!)
  const interval = groupBootstrap(
    steps,
    w =>
      weightedAuc(
        score,
        y,
        steps.map((_, j) => w(j)),
      ),
    seed,
  )
  return {...interval, steps: steps.length, positives: y.reduce((a: number, b) => a + b, 0)}
}

/** The steps conformal control is run on: people's labels when there are any, else every label that names a bad tier. */
function calibrationSteps(data: StepData, among: readonly number[]): number[] {
  const person = among.filter(i => data.labelled[i]!.source === 'person')
  return person.length > 0 ? person : [...among]
}

/**
 * The held-out estimates alone: every labelled step's P(the cheapest tier is
 * enough) from the same trace-grouped cross-validation as trainStepRouter
 * (same folds for the same seed and labels, whatever the features), with the
 * step's trace group, label and source. For choosing among feature sets by
 * nested cross-validation (scripts/step-variants.js); nothing else is fitted.
 */
export function heldOutStepEstimates(
  roots: readonly TraceCard[],
  decisions: DecisionsFile | undefined,
  book: PriceBook,
  options: Partial<StepTrainOptions> & {now: () => number},
): {
  steps: Array<{traceId: string; stepId: string; group: string; label: string; source: LabelSource}>
  p0: number[]
  folds: number[]
} {
  const opts: StepTrainOptions = {...defaultStepTrainOptions, ...options}
  const sourceSet = opts.sources === 'person' ? new Set<LabelSource>(['person']) : ALL_SOURCES
  const data = stepData(roots, decisions, book, {withAction: opts.withAction, tiers: opts.tiers, sources: sourceSet})
  const cv = crossValidate(data, opts, opts.onProgress ?? (() => {}), 'held-out estimates')
  return {
    steps: data.labelled.map(l => ({
      traceId: l.step.card.id,
      stepId: l.step.step.id,
      group: data.groups[l.group]!,
      label: l.label,
      source: l.source,
    })),
    p0: Array.from(cv.p[0]!),
    folds: Array.from(cv.folds),
  }
}

/** Trains a per-step router (module comment). Deterministic for `options.seed`. */
export function trainStepRouter(
  roots: readonly TraceCard[],
  decisions: DecisionsFile | undefined,
  book: PriceBook,
  options: Partial<StepTrainOptions> & {now: () => number},
): {router: StepRouterJson; result: StepTrainResult} {
  const opts: StepTrainOptions = {...defaultStepTrainOptions, ...options}
  const started = opts.now()
  const progress = opts.onProgress ?? (() => {})
  const sourceSet = opts.sources === 'person' ? new Set<LabelSource>(['person']) : ALL_SOURCES
  const data = stepData(roots, decisions, book, {withAction: opts.withAction, tiers: opts.tiers, sources: sourceSet})
  const T = data.tiers.tiers.length
  const groupsWithLabels = new Set(data.labelled.map(l => l.group)).size
  if (T < 2)
    throw new AcoError(
      'too-small',
      `The cards' models fall in ${T} tier${T === 1 ? '' : 's'} (${data.tiers.tiers.map(t => `${t.name}: ${t.models.join(', ')}`).join('; ') || 'none priced'}): a router needs two at least.`,
      'Give a tiers file (--tiers tiers.yaml) that puts the models in two tiers or more, or cards of runs on models of different prices.',
    )
  if (data.labelled.length < 20 || groupsWithLabels < opts.folds)
    throw new AcoError(
      'too-small',
      `${data.labelled.length} labelled LLM step${data.labelled.length === 1 ? '' : 's'} in ${groupsWithLabels} trace group${groupsWithLabels === 1 ? '' : 's'}: the held-out evaluation needs at least 20 steps in ${opts.folds} groups.`,
      'Label more steps (aco label --auto --cards CARDS --decisions FILE, or aco review), or lower --folds.',
    )
  progress(
    `${data.steps.length} LLM steps, ${data.labelled.length} labelled in ${groupsWithLabels} trace groups; tiers ${data.tiers.tiers.map(t => `${t.name} (${t.model})`).join(', ')}`,
  )

  // Held-out estimates.
  const cv = crossValidate(data, opts, progress, 'held-out evaluation')
  const ns = needsStrongerAuc(data, cv.p[0]!, opts.seed * 7919 + 1)
  let aucWithoutAction: Interval | undefined
  if (opts.withAction && usesAction(opts.features)) {
    const exAnte = stepData(roots, decisions, book, {withAction: false, tiers: opts.tiers, sources: sourceSet})
    const cv2 = crossValidate(exAnte, {...opts, withAction: false}, progress, 'without action')
    const r = needsStrongerAuc(exAnte, cv2.p[0]!, opts.seed * 7919 + 1)
    aucWithoutAction = {value: r.value, low: r.low, high: r.high}
  }

  // Calibration by tier, by source, and of the cheapest tier against people's labels.
  const rowsOf = (filter: (l: LabelledStep) => boolean, k: number) => {
    const p: number[] = []
    const y: number[] = []
    const base: number[] = []
    const w: number[] = []
    data.labelled.forEach((l, i) => {
      if (!filter(l)) return
      const good = l.evidence.good.includes(k)
      if (!good && !l.evidence.bad.includes(k)) return
      p.push(cv.p[k]![i]!)
      y.push(good ? 1 : 0)
      base.push(cv.base[k]![i]!)
      w.push(l.strength)
    })
    return {p, y, base, w}
  }
  const tierCal = data.tiers.tiers.map((_, k) => {
    const r = rowsOf(() => true, k)
    return calibration(r.p, r.y, r.base, r.w)
  })
  const person0 = rowsOf(l => l.source === 'person', 0)
  const cheapest = calibration(person0.p, person0.y, person0.base)
  const bySource = LABEL_SOURCES.flatMap(source => {
    const p: number[] = []
    const y: number[] = []
    const base: number[] = []
    const w: number[] = []
    for (let k = 0; k < T; k++) {
      const r = rowsOf(l => l.source === source, k)
      p.push(...r.p)
      y.push(...r.y)
      base.push(...r.base)
      w.push(...r.w)
    }
    return p.length > 0 ? [{source, rows: p.length, heldOut: calibration(p, y, base, w)}] : []
  })

  // The frontier and the operating point: conformal risk control over trace groups on the held-out
  // estimates (frontier.ts), then a threshold chosen on half of the groups measured on the other half.
  const all = data.labelled.map((_, i) => i)
  const calIdx = calibrationSteps(data, all)
  const personOnly = calIdx.length === 0 || data.labelled[calIdx[0]!]!.source === 'person'
  const frontierOf = (idx: readonly number[]) =>
    stepFrontier(
      idx.map(i => data.labelled[i]!),
      cv.p.map(pk => Float64Array.from(idx, i => pk[i]!)),
      data.tiers.tiers,
      book,
      {
        grid: GRID,
        alpha: opts.alpha,
        bound: opts.bound,
        seed: opts.seed * 104729 + 3,
        resamples: RESAMPLES,
        personOnly,
        escalate: opts.escalate,
      },
    )
  const frontier = frontierOf(calIdx)
  const threshold = frontier.bound?.threshold ?? GRID[GRID.length - 1]!
  const bound = frontier.bound?.bound ?? Number.NaN
  const stays = opts.escalate ? 'every step goes to the strongest tier' : 'every step stays on the tier that ran it'
  const note = frontier.bound
    ? undefined
    : frontier.steps === 0
      ? `No labelled step to score (${frontier.silent} 'wasted', which say nothing of any tier): no conformal control, and ${stays}.`
      : `${frontier.traceGroups} labelled trace groups are too few for conformal control at α = ${opts.alpha} (it needs 1/(n+1) ≤ α): ${stays}.`
  const halves = new Rng(opts.seed ^ 0x1b873593).shuffle([...new Set(calIdx.map(i => data.labelled[i]!.group))])
  const half = new Set(halves.slice(0, Math.ceil(halves.length / 2)))
  const sideA = calIdx.filter(i => half.has(data.labelled[i]!.group))
  const sideB = calIdx.filter(i => !half.has(data.labelled[i]!.group))
  const measured: StepTrainResult['operatingPoint']['measured'] = []
  for (const [on, check] of [
    [sideA, sideB],
    [sideB, sideA],
  ] as const) {
    if (on.length === 0 || check.length === 0) continue
    const chosen = frontierOf(on)
    if (!chosen.bound) continue
    const other = frontierOf(check)
    const checked = other.curve.find(c => c.threshold === chosen.bound!.threshold)
    if (!checked) continue
    measured.push({
      chosenOn: chosen.steps,
      measuredOn: other.steps,
      threshold: chosen.bound.threshold,
      rate: checked.notEnough,
    })
  }

  // The final router, on every labelled step.
  progress(`final router on ${data.labelled.length} labelled steps`)
  const final = fitOne(data.labelled, T, opts.seed, opts)
  const router: StepRouterJson = {
    schemaVersion: STEP_ROUTER_VERSION,
    kind: 'aco-step-router',
    tiers: data.tiers.tiers.map((t, k) => ({
      ...t,
      labelledSteps: data.ranOn[k]!,
      evidenceDown: data.evidence.down[k]!,
      evidenceDownNot: data.evidence.downNot[k]!,
      supported: data.evidence.down[k]! >= opts.minTierSteps,
    })),
    tierRule: data.tiers.rule,
    features: {
      spec: final.fitted.spec,
      names: final.choice.names,
      text: final.choice.text,
      withAction: opts.withAction,
    },
    ...(final.fitted.references && usesKnn(final.estimators) ? {references: final.fitted.references.toJSON()} : {}),
    estimators: final.estimators,
    operatingPoint: {
      threshold,
      escalate: opts.escalate,
      objective: `conformal risk control at α = ${opts.alpha} (${opts.bound.guarantee}) over trace groups: a new trace's expected share of steps sent to a tier their label says is not enough`,
      alpha: opts.alpha,
      ...(Number.isFinite(bound) ? {bound: round(bound)} : {}),
      calibrationSteps: calIdx.length,
    },
    minTierSteps: opts.minTierSteps,
    training: {
      seed: opts.seed,
      engine: opts.engine,
      chosen: final.engine.members,
      sources: final.sources,
      labelledSteps: data.labelled.length,
      traceGroups: groupsWithLabels,
      createdAt: new Date(opts.now()).toISOString(),
    },
  }

  // Held-out routing of the labelled steps, and routing every step of the cards.
  const heldOut = heldOutRouting(data, cv.p, threshold, router, book, opts.seed)
  const loaded = loadStepRouter(router)
  const routed = routeCards(loaded, roots, book)
  const byTier: Record<string, number> = {}
  for (const t of router.tiers) byTier[t.name] = 0
  for (const d of routed.decisions) if (d.tier !== undefined) byTier[d.tier]!++
  const rules = stepRules(data, loaded, routed.decisions, cv.p, threshold)

  const warnings: string[] = []
  if (ns.value < 0.6)
    warnings.push(
      `The router ranks held-out steps that need a stronger model only weakly (AUC ${ns.value.toFixed(3)}): its routing is close to a guess.`,
    )
  if (Number.isFinite(cheapest.worstGap) && cheapest.worstGap > 0.1)
    warnings.push(
      `The cheapest tier's held-out estimates are off the observed rate by ${cheapest.worstGap.toFixed(3)} in a bin of at least 20 steps.`,
    )
  for (const m of measured)
    if (m.rate > opts.alpha)
      warnings.push(
        `A threshold chosen on ${m.chosenOn} steps sent ${(m.rate * 100).toFixed(1)}% of the other ${m.measuredOn} held-out steps to a tier that was not enough, above α = ${opts.alpha}.`,
      )
  const rule = frontier.baselines.find(b => b.policy === 'by tool kind')
  if (rule?.routerAtSameCost !== undefined && rule.routerAtSameCost > rule.notEnough)
    warnings.push(
      `At the cost of the fixed rule by tool kind (${(rule.costShare * 100).toFixed(1)}% of always-strongest), the router sends ${(rule.routerAtSameCost * 100).toFixed(1)}% of held-out steps to a tier that is not enough, the rule ${(rule.notEnough * 100).toFixed(1)}%: on these labels the rule is the better policy.`,
    )
  if (ns.value >= 0.6 && ns.value < 0.75)
    warnings.push(
      `Held-out AUC for needs-stronger-model is ${ns.value.toFixed(3)}, below 0.75: label more steps (aco review) before trusting the router's ranking.`,
    )
  router.tiers.forEach((t, k) => {
    const n = t.evidenceDown!
    if (k < router.tiers.length - 1 && !t.supported)
      warnings.push(
        `Tier ${t.name}: ${n} labelled step${n === 1 ? '' : 's'} that ran on a stronger tier say${n === 1 ? 's' : ''} it would have done (${t.evidenceDownNot} that it would not; ${t.labelledSteps} ran on it), fewer than ${opts.minTierSteps}: no saving is projected for steps moved down to it.`,
      )
  })
  // (With --escalate the bound may choose a point dearer than the steps as they ran, which may already meet α: trial
  // 121's router cost 61.5% of always-strongest, the steps as they ran 10.0%, no word of it.)
  const asRun = frontier.baselines.find(b => b.policy === 'as run')
  if (asRun && frontier.steps > 0 && frontier.router.costShare > asRun.costShare) {
    const extra = routed.projected.costUsd - routed.projected.actualUsd
    warnings.push(
      `At its operating point the router costs ${(frontier.router.costShare * 100).toFixed(1)}% of always-strongest on the held-out steps, more than the steps as they ran (${(asRun.costShare * 100).toFixed(1)}%), and sends ${(frontier.router.notEnough * 100).toFixed(1)}% of them to a tier that is not enough against ${(asRun.notEnough * 100).toFixed(1)}% as they ran: it buys quality with stronger tiers${extra > 0 ? `, $${extra.toFixed(2)} more on the cards` : ''}${asRun.notEnough <= frontier.router.notEnough ? ', and the steps as they ran are the better policy on these labels' : ''}.`,
    )
  }
  if (frontier.bound && frontier.bound.bound > frontier.bound.alpha)
    warnings.push(
      `Conformal control at α = ${frontier.bound.alpha} is not met at any threshold: with no step moved (the steps as they ran) the bound is ${(frontier.bound.bound * 100).toFixed(1)}%, so the router moves no step${opts.escalate ? '' : ' (--escalate lets it send steps to a stronger tier)'}.`,
    )
  // (The table of policies resting on a few held-out steps a person labelled: said beside it, review 114.)
  if (frontier.steps > 0 && frontier.steps < MIN_LABELLED_STEPS && ns.steps > 0)
    warnings.push(
      `The frontier rests on ${frontier.steps} held-out step${frontier.steps === 1 ? '' : 's'} a person labelled: too few to tell the policies apart (label more with aco review or aco label).`,
    )
  if (frontier.steps === 0)
    warnings.push(
      frontier.silent > 0
        ? `No labelled step says which tier is enough for it (${frontier.silent} 'wasted', which say nothing of any tier): nothing to evaluate, and ${stays}.`
        : `No labelled step could be evaluated: ${stays}.`,
    )
  else if (frontier.silent > 0)
    warnings.push(
      `${frontier.silent} labelled step${frontier.silent === 1 ? ' says' : 's say'} nothing of any tier ('wasted': pruning is the fix): not scored, and no estimator learns from ${frontier.silent === 1 ? 'it' : 'them'}.`,
    )
  if (
    frontier.steps > 0 &&
    data.tiers.tiers.length > 1 &&
    !data.labelled.some(l => l.evidence.bad.some(k => k < data.tiers.tiers.length - 1))
  )
    warnings.push(
      'No label says a cheaper tier was not enough for a step (no `needs-stronger-model`): the router cannot learn which steps need a stronger tier, and moves a step down only where labels say the cheaper tier went well.',
    )
  if (data.unmatchedLabels > 0)
    warnings.push(
      `${data.unmatchedLabels} label${data.unmatchedLabels === 1 ? '' : 's'} of the decisions file name${data.unmatchedLabels === 1 ? 's' : ''} no LLM call of these cards (decisions made on other cards, or labels of tool steps): left out.`,
    )
  if (data.tiers.untiered.length > 0)
    warnings.push(
      `Models with no tier (no price in the catalog, or not in tiers.yaml): ${data.tiers.untiered.join(', ')}.`,
    )

  const labels = Object.fromEntries(
    LABEL_SOURCES.map(s => [s, {} as Record<string, number>]),
  ) as StepTrainResult['data']['labels']
  for (const l of data.labelled) labels[l.source][l.label] = (labels[l.source][l.label] ?? 0) + 1
  const foldSteps = Array.from({length: opts.folds}, (_, f) => cv.folds.filter(x => x === f).length)
  const result: StepTrainResult = {
    schemaVersion: '1.0',
    kind: 'aco-step-train',
    data: {
      llmSteps: data.steps.length,
      labelledSteps: data.labelled.length,
      traceGroups: groupsWithLabels,
      labels,
      untieredModels: data.tiers.untiered,
    },
    tiers: router.tiers.map((t, k) => ({
      name: t.name,
      model: t.model,
      models: t.models,
      ...(t.inputUsdPerMillion !== undefined ? {inputUsdPerMillion: t.inputUsdPerMillion} : {}),
      labelledSteps: t.labelledSteps,
      evidenceDown: t.evidenceDown!,
      evidenceDownNot: t.evidenceDownNot!,
      supported: t.supported,
      heldOut: tierCal[k]!,
    })),
    features: {
      mode: Array.isArray(opts.features) ? opts.features.join(',') : opts.features,
      used: final.choice.names,
      text: final.choice.text,
      withAction: opts.withAction,
      ...(final.selection ? {selection: final.selection} : {}),
    },
    engine: {
      asked: opts.engine,
      chosen: final.engine.members,
      reason: final.engine.reason,
      scores: final.engine.scores,
    },
    sources: {asked: opts.sources, used: final.sources, reason: final.sourceReason},
    split: {method: 'trace-grouped cross-validation', folds: opts.folds, seed: opts.seed, foldSteps},
    needsStronger: {
      steps: ns.steps,
      positives: ns.positives,
      auc: {value: ns.value, low: ns.low, high: ns.high},
      ...(aucWithoutAction ? {aucWithoutAction} : {}),
      cheapest,
    },
    bySource,
    operatingPoint: {
      threshold,
      escalate: opts.escalate,
      objective: router.operatingPoint.objective,
      alpha: opts.alpha,
      guarantee: opts.bound.guarantee,
      bound: Number.isFinite(bound) ? round(bound) : 1,
      calibrationSteps: calIdx.length,
      measured,
      ...(note ? {note} : {}),
    },
    frontier,
    heldOutRouting: heldOut,
    projected: {
      ...routed.projected,
      byTier,
      savedShare: routed.projected.actualUsd > 0 ? round(routed.projected.savedUsd / routed.projected.actualUsd) : 0,
    },
    rules,
    warnings,
    seconds: (opts.now() - started) / 1000,
  }
  return {router, result}
}

function usesAction(mode: FeatureMode): boolean {
  if (mode === 'all' || mode === 'auto') return true
  if (mode === 'default') return DEFAULT_STEP_FEATURES.some(f => ACTION_FEATURES.includes(f))
  return mode.some(f => ACTION_FEATURES.includes(f))
}

function usesKnn(estimators: readonly EstimatorJson[]): boolean {
  const uses = (e: EstimatorJson): boolean => e.engine === 'knn' || (e.engine === 'mean' && e.parts.some(uses))
  return estimators.some(uses)
}

/** Routing the labelled steps by their held-out estimates; cost as projected (router.ts). */
function heldOutRouting(
  data: StepData,
  p: readonly Float64Array[],
  threshold: number,
  router: StepRouterJson,
  book: PriceBook,
  seed: number,
): StepTrainResult['heldOutRouting'] {
  const byTier: Record<string, number> = {}
  for (const t of router.tiers) byTier[t.name] = 0
  const escalate = router.operatingPoint.escalate
  // A step whose model no tier claims stays on it (-1), as aco route --cards keeps it.
  const chosen = data.labelled.map((l, i) =>
    onUntieredModel(l)
      ? -1
      : cheapestEnough(
          p.map(pk => pk[i]!),
          threshold,
          l.ran,
          escalate,
        ),
  )
  chosen.forEach(k => {
    if (k >= 0) byTier[router.tiers[k]!.name]!++
  })
  // (A label that says nothing of any tier, `wasted`, is not scored; one that says nothing of the tier a step goes to
  // counts it as not enough there, as the frontier does.)
  const person = data.labelled
    .map((_, i) => i)
    .filter(i => {
      const l = data.labelled[i]!
      return l.source === 'person' && l.evidence.good.length > 0 && !onUntieredModel(l)
    })
  const steps = person.map(i => data.labelled[i]!)
  const rate = groupBootstrap(
    steps,
    w => {
      let s = 0
      let t = 0
      person.forEach((i, j) => {
        const wj = w(j)
        t += wj
        const l = data.labelled[i]!
        const moved = escalate || l.ran === undefined || chosen[i]! < l.ran
        if (moved && !l.evidence.good.includes(chosen[i]!)) s += wj
      })
      return t > 0 ? s / t : Number.NaN
    },
    seed * 31 + 7,
  )
  // The same projection rules as routing the cards, on the labelled steps at their held-out tiers.
  const projected: Projection = {
    actualUsd: 0,
    costUsd: 0,
    savedUsd: 0,
    steps: data.labelled.length,
    cheaper: 0,
    dearer: 0,
    notProjected: 0,
    kept: 0,
    unpriced: 0,
    assumption: PROJECTION_ASSUMPTION,
  }
  data.labelled.forEach((l, i) => {
    const step = l.step.step
    const actual = step.cost?.usd
    const k = chosen[i]!
    let routed: number | undefined = actual ?? undefined
    if (k < 0) projected.kept++
    else if (l.ran !== undefined && k !== l.ran) {
      if (!projects(router.tiers[k]!, k, l.ran)) projected.notProjected++
      else {
        const r = tierPricing(router.tiers[k]!, step.model, book)
        routed = step.tokens && 'periods' in r ? book.cost(r, step.tokens, step.startedAt) : undefined
        if (routed !== undefined) {
          if (k < l.ran) projected.cheaper++
          else projected.dearer++
        }
      }
    }
    if (actual === undefined || actual === null || routed === undefined) projected.unpriced++
    else {
      projected.actualUsd += actual
      projected.costUsd += routed
    }
  })
  projected.actualUsd = round(projected.actualUsd)
  projected.costUsd = round(projected.costUsd)
  projected.savedUsd = round(projected.actualUsd - projected.costUsd)
  return {steps: data.labelled.length, byTier, notEnoughRate: rate, projected}
}
