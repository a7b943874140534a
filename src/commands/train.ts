import {Flags} from '@oclif/core'
import {join, resolve} from 'node:path'
import {AcoCommand} from '../cli/base.js'
import {numberFlag} from '../cli/flags.js'
import {AcoError, ExitCode} from '../errors.js'
import {guarantees, type Objective} from '../learn/calibrate.js'
import {attachTexts, readOutcomeTable, readTexts, type BadLine} from '../learn/outcome-table.js'
import {engineNames} from '../learn/estimator.js'
import {rules} from '../learn/policy.js'
import {renderEvaluationMarkdown, renderTrainSummary} from '../learn/report.js'
import {defaultFractions, parseFractions, parseTestWhere} from '../learn/split.js'
import {frontierChart} from '../learn/svg.js'
import type {TrainResult} from '../learn/result.js'
import {trainRouter} from '../learn/train.js'
import {cascadeChart} from '../learn/cascade/chart.js'
import {renderCascadeMarkdown, renderCascadeSummary} from '../learn/cascade/report.js'
import type {CascadeTrainResult} from '../learn/cascade/result.js'
import {trainCascade} from '../learn/cascade/train.js'
import {STEP_FEATURES} from '../learn/steps/features.js'
import {thresholdWords} from '../learn/steps/router.js'
import {MIN_LABELLED_STEPS} from '../learn/steps/train.js'
import {trainSteps, type TrainStepsResult} from '../services/steps.js'
import {writeFileAtomic} from '../util/atomic.js'
import {guardOutputFolder, prepareOutputDir} from '../util/output-paths.js'
import {decimalInterval} from '../learn/prose.js'
import {stripControls} from '../util/control.js'
import {markdownStrings} from '../util/markdown.js'
import {redactText, redactValue} from '../util/redact.js'

/** A report's text as written: no escape sequence or control character, no secret. */
const shownText = (text: string): string => redactText(stripControls(text))

/** What `aco train` writes into --out. */
const TRAIN_FILES = ['router.json', 'evaluation.json', 'evaluation.md', 'frontier.svg']
export default class Train extends AcoCommand {
  static override summary = 'Learn a router from outcome tables: which model each item needs.'

  static override description =
    `Reads an outcome table (JSONL, one line per item and model: {item_id, model, success, cost_usd, features}) and optionally the items' prompts ({item_id, prompt}), splits the items (grouped by item) into train, calibration and test, fits every engine (random forest, logistic regression, k nearest neighbours) per candidate model to estimate P(success), chooses the estimator, the operating point and the bounds on the calibration split, and evaluates on the test split, at thresholds fixed beforehand and with 95% intervals, against every single model, mixes of single models chosen on the training split and the per-item oracle. It recommends a policy by a stated rule and warns where the test split contradicts it, and on features that look like leaked outcomes.

Writes router.json, evaluation.json, evaluation.md and frontier.svg into --out (with --steps, the first three: its frontier is a table in evaluation.md).

The operating point: by default the cheapest threshold that keeps the strongest model's quality (--keep 1.0, a fraction); or a bound on the rate of items where the router's model fails while the strongest would have succeeded (--alpha): marginal by default (E[rate] ≤ α), or with --guarantee high the rate exceeds α with probability at most δ; or a budget (--max-cost USD per item).

With --cascade, learns a cascade instead (the outcome lines must carry what each model's run returned: "response" and/or "signals"): run a cheap model first, look at what came back, and escalate only when the evidence says so. The chain (at most --chain-length models, the last the strongest) is chosen on the training split; each step but the last gets an estimator of P(its answer is right | the item's features, the post-hoc features of every model run so far: the answer extracted, agreement between the answers, length against the model's usual, refusals and hedges, the signals); the stopping thresholds are calibrated with conformal risk control (--alpha, default 0.05: the rate of items where the cascade's answer fails while the strongest model's would have succeeded stays ≤ α), or by --keep / --max-cost. --cascade entropy is training-free: one signal (1 − uncertainty when the runs report it, else agreement between answers) against a calibrated threshold. evaluation.md puts the cascade, the ex-ante router and every baseline on one frontier; a cascade's cost counts every model it ran.

--steps CARDS --decisions FILE trains the per-step router instead: from the labelled LLM steps of the cards (aco analyze --out; labels from aco label --auto, aco label --set or aco review), per tier (--tiers tiers.yaml, or by price from the catalog), P(a step like this goes well on the tier), evaluated by cross-validation grouped by trace (no step of a scored trace in training) against people's labels, beside always-cheapest, always-strongest and a rule by tool kind, with conformal risk control over trace groups (--alpha, default 0.1). Writes router.json, evaluation.json and evaluation.md.

Exit codes: 0 done; 2 usage error (also: too few items for the α asked); 3 done, but some input lines were skipped (listed under "skipped"); 4 no usable input; 1 an internal error.`

  static override examples = [
    '<%= config.bin %> train --outcomes items.jsonl --text prompts.jsonl --out router/',
    '<%= config.bin %> train --outcomes items.jsonl --text prompts.jsonl --test-where split=test --alpha 0.05 --guarantee high',
    '<%= config.bin %> train --outcomes items.jsonl --max-cost 0.002 --json > train.json',
    '<%= config.bin %> train --steps cards/ --decisions aco-decisions.json --out step-router/',
  ]

  static override enableJsonFlag = true

  static override flags = {
    outcomes: Flags.file({
      description:
        'outcome table, JSONL: {item_id, model, success, cost_usd, features} per line (schemas/outcome-table.schema.json)',
      exactlyOne: ['outcomes', 'steps'],
    }),
    steps: Flags.string({
      description: 'train the per-step router on the LLM steps of these cards (cards.ndjson or its folder)',
      helpValue: 'CARDS',
      exactlyOne: ['outcomes', 'steps'],
    }),
    decisions: Flags.file({
      description: 'with --steps: the decisions file holding the steps’ labels',
      dependsOn: ['steps'],
    }),
    tiers: Flags.file({
      description: 'with --steps: tiers.yaml (schemas/tiers.schema.json); default: tiers by price from the catalog',
      dependsOn: ['steps'],
    }),
    folds: Flags.integer({
      description: 'with --steps: trace-grouped folds of the held-out evaluation',
      default: 5,
      min: 2,
    }),
    features: Flags.string({
      description:
        'with --steps: default (action, prev_status, errors_recent, person_spoke), all, auto (forward selection inside each training fold; slow), or a comma-separated list',
      default: 'default',
    }),
    sources: Flags.option({
      description:
        'with --steps: labels to learn from: auto (people’s alone when there are 50 or more, else all), all, person',
      options: ['auto', 'all', 'person'] as const,
      default: 'auto' as const,
    })(),
    escalate: Flags.boolean({
      description: 'with --steps: let the router send a step to a stronger tier than the one that ran it',
      default: false,
    }),
    text: Flags.file({description: 'prompts JSONL: {item_id, prompt} per line (adds text features)'}),
    out: Flags.directory({
      description: 'folder for router.json, evaluation.json, evaluation.md, frontier.svg (not with --steps)',
      default: 'aco-router',
    }),
    seed: Flags.integer({
      description: 'seed of the split, the engines, the bootstrap and everything random',
      default: 1,
    }),
    keep: numberFlag({
      min: 0,
      description:
        "operating point: cheapest threshold keeping this fraction of the strongest model's quality (default 1.0)",
      exclusive: ['alpha', 'max-cost'],
    }),
    alpha: numberFlag({
      min: 0,
      max: 1,
      description:
        'operating point: the cheapest whose bound on the rate of items where the router fails and the strongest model succeeds is at most α (see --guarantee); without it both bounds are still reported at α = 0.05',
      exclusive: ['keep', 'max-cost'],
    }),
    'max-cost': numberFlag({
      min: 0,
      description: 'operating point: best quality within this mean USD per item',
      exclusive: ['keep', 'alpha'],
    }),
    guarantee: Flags.option({
      description:
        'the bound that chooses the operating point with --alpha: marginal (E[rate] ≤ α) or high (P(rate > α) ≤ δ)',
      options: guarantees,
      default: 'marginal' as const,
    })(),
    delta: numberFlag({
      description: 'δ of the high-probability bound (--guarantee high)',
      default: 0.1,
      min: 0,
      max: 1,
    }),
    rule: Flags.option({
      description: 'utility: max P(success) − λ·cost; cheapest: cheapest model with P(success) ≥ τ',
      options: rules,
      default: 'utility' as const,
    })(),
    split: Flags.string({
      description: 'shares of items for train,calibration,test',
      default: `${defaultFractions.train},${defaultFractions.calibration},${defaultFractions.test}`,
    }),
    'test-where': Flags.string({
      description:
        'NAME=VALUE: the items whose feature NAME is VALUE are the test split (calibration is carved from the rest)',
    }),
    'ignore-feature': Flags.string({description: 'a feature to leave out (repeatable)', multiple: true, default: []}),
    'use-feature': Flags.string({
      description: 'a feature to use even though its name looks like an id or an outcome (repeatable)',
      multiple: true,
      default: [],
    }),
    trees: Flags.integer({description: 'trees per forest (at most 10,000)', default: 64, min: 1, max: 10_000}),
    buckets: Flags.integer({
      description: 'hashed word and bigram columns of the question (0: none; at most 65,536)',
      default: 512,
      min: 0,
      max: 65_536,
    }),
    cascade: Flags.option({
      description:
        'learn a cascade: learned (estimators over post-hoc features; the default when the flag is given bare) or entropy (training-free, one signal)',
      options: ['learned', 'entropy'] as const,
    })(),
    chain: Flags.string({
      description:
        'with --cascade: the chain to use, models in order (comma-separated; the last must be the strongest), instead of the one chosen on the training split',
      helpValue: 'A,B,C',
    }),
    'chain-length': Flags.integer({
      description: 'with --cascade: most models in the chain (2 or 3)',
      default: 3,
      min: 2,
      max: 3,
    }),
    engine: Flags.option({
      description:
        'estimator of P(success): auto (every engine fitted, chosen on calibration; for the steps of a cascade, by out-of-fold log-loss on the training split), hist (random forest), ml-random-forest (slow on large tables), logistic (L2 logistic regression), knn (k nearest neighbours)',
      options: ['auto', ...engineNames] as const,
      default: 'auto' as const,
    })(),
  }

  async run(): Promise<TrainResult | CascadeTrainResult | TrainStepsResult> {
    // `--cascade` given bare means `--cascade learned`.
    const argv = this.argv.flatMap((arg, k, all) =>
      arg === '--cascade' && (k + 1 >= all.length || all[k + 1]!.startsWith('-')) ? [arg, 'learned'] : [arg],
    )
    const {flags} = await this.parse(Train, argv)
    const progress = (message: string): void => {
      if (!this.jsonEnabled()) this.logToStderr(message)
    }
    if (flags.steps) {
      if (!flags.decisions)
        throw new AcoError(
          'usage',
          '--steps needs --decisions FILE (the steps’ labels).',
          'aco label --auto writes one.',
        )
      const features = flags.features
      const listed = ['default', 'all', 'auto'].includes(features) ? [] : features.split(',').map(f => f.trim())
      // (A name it does not know is a typo, not a feature left out: trial 99 trained on none for `--features bogus`.)
      // (`text`: the step's instruction text, hashed; review 102.)
      const unknown = listed.filter(f => f !== 'text' && !(STEP_FEATURES as readonly string[]).includes(f))
      if (unknown.length)
        throw new AcoError(
          'usage',
          `--features: no step feature is named ${unknown.map(f => `"${f}"`).join(', ')}.`,
          `The step features: ${STEP_FEATURES.join(', ')}, text (or default, all, auto).`,
        )
      const result = await trainSteps({
        cards: resolve(flags.steps),
        decisions: resolve(flags.decisions),
        ...(flags.tiers ? {tiers: resolve(flags.tiers)} : {}),
        out: flags.out === 'aco-router' ? 'aco-step-router' : flags.out,
        seed: flags.seed,
        folds: flags.folds,
        alpha: flags.alpha ?? 0.1,
        bound: {guarantee: flags.guarantee, delta: flags.delta},
        engine: flags.engine,
        features: listed.length ? listed : (features as 'default' | 'all' | 'auto'),
        sources: flags.sources,
        escalate: flags.escalate,
        now: Date.now,
        onProgress: progress,
      })
      if (!this.jsonEnabled()) {
        const f = result.frontier
        this.log(
          [
            `needs-stronger AUC (held out, people's labels): ${result.needsStronger.steps === 0 ? 'not defined: no step labelled by a person' : decimalInterval(result.needsStronger.auc)}`,
            ...(f.steps === 0 ? ['  no labelled step to score: no figure of cost or quality'] : []),
            // (Every label automatic: the figures below are the automatic labels' word, said so; trial 82.)
            ...(f.steps > 0 && result.needsStronger.steps === 0
              ? [
                  `  measured against automatic labels alone (aco label --auto), on ${f.steps} steps: no person's label checks them`,
                ]
              : []),
            // (How many steps the table rests on: one step a person labelled had read as a measured frontier, trial 113.)
            ...(f.steps > 0 && result.needsStronger.steps > 0
              ? [
                  `  measured on ${f.steps} held-out step${f.steps === 1 ? '' : 's'} a person labelled, in ${f.traceGroups} trace group${f.traceGroups === 1 ? '' : 's'}${f.steps < MIN_LABELLED_STEPS ? `: too few to tell these policies apart (label more with aco review or aco label)` : ''}`,
                ]
              : []),
            ...(f.steps === 0 ? [] : [...f.baselines, f.router]).map(
              b =>
                `  ${b.policy.padEnd(16)} cost ${(b.costShare * 100).toFixed(1)}% of always-strongest · not enough ${(b.notEnough * 100).toFixed(1)}%`,
            ),
            f.bound
              ? f.bound.bound <= f.bound.alpha
                ? `bound: ${(f.bound.bound * 100).toFixed(1)}% ≤ α = ${f.bound.alpha} over ${f.bound.groups} trace groups (threshold ${thresholdWords(f.bound.threshold, result.operatingPoint.escalate)})`
                : `bound: not met at any threshold (${(f.bound.bound * 100).toFixed(1)}% > α = ${f.bound.alpha} over ${f.bound.groups} trace groups, as the steps ran): the router moves no step`
              : `no bound: ${result.operatingPoint.note ?? 'too few trace groups for α'}`,
            result.projected.savedUsd < 0
              ? `projected on the cards: $${(-result.projected.savedUsd).toFixed(2)} more than the $${result.projected.actualUsd.toFixed(2)} they cost as they ran (${result.projected.assumption})`
              : `projected on the cards: $${result.projected.savedUsd.toFixed(2)} saved of $${result.projected.actualUsd.toFixed(2)} (${result.projected.assumption})`,
          ].join('\n'),
        )
        for (const w of result.warnings) this.logToStderr(`Warning: ${w}`)
        this.logToStderr(
          `wrote ${result.written.router}, ${result.written.evaluationJson} and ${result.written.evaluationMd}`,
        )
      }
      return result
    }
    if (!flags.outcomes) throw new AcoError('usage', 'Pass --outcomes FILE (or --steps CARDS).')
    const objective: Objective =
      flags.alpha !== undefined
        ? {kind: 'alpha', alpha: flags.alpha}
        : flags['max-cost'] !== undefined
          ? {kind: 'max-cost', maxCost: flags['max-cost']}
          : {kind: 'keep', keep: flags.keep ?? 1}
    if (objective.kind === 'keep' && !(objective.keep > 0))
      throw new AcoError('usage', `--keep must be above 0 (got ${objective.keep}).`, 'For example --keep 0.95.')
    if (objective.kind === 'max-cost' && !(objective.maxCost >= 0))
      throw new AcoError('usage', '--max-cost must be at least 0.')

    // Checked before training, so a bad --out does not cost the run.
    const out = prepareOutputDir(flags.out, '--out')
    const outcomesPath = resolve(flags.outcomes)
    guardOutputFolder(out, TRAIN_FILES, '--out', [outcomesPath, ...(flags.text ? [resolve(flags.text)] : [])])
    const table = await readOutcomeTable(outcomesPath, 'train')
    const skipped: BadLine[] = [...table.skipped]
    if (flags.text) {
      const texts = await readTexts(resolve(flags.text))
      skipped.push(...texts.skipped)
      // (Said as the outcomes' are: the summary had named only those, trial 121.)
      if (texts.skipped.length > 0)
        progress(
          `skipped ${texts.skipped.length} bad line${texts.skipped.length === 1 ? '' : 's'} of ${resolve(flags.text)} (first: line ${texts.skipped[0]!.line}: ${texts.skipped[0]!.reason})`,
        )
      const n = attachTexts(table.items, texts.texts)
      // (Ids of other items: a router trained on prompts no item has would learn nothing from them.)
      if (n === 0 && table.items.length > 0)
        throw new AcoError(
          'usage',
          `None of the ${table.items.length} items has a prompt in ${flags.text}: its item ids match none of the outcomes'.`,
          'Pass the prompts of these items ({item_id, prompt} lines with the same ids as the outcomes), or leave out --text.',
        )
      progress(`prompts for ${n} of ${table.items.length} items`)
    }
    if (table.skipped.length > 0)
      progress(
        `skipped ${table.skipped.length} bad line${table.skipped.length === 1 ? '' : 's'} of ${outcomesPath} (first: line ${table.skipped[0]!.line}: ${table.skipped[0]!.reason})`,
      )

    if (flags.cascade) {
      const {router, result: core} = trainCascade(table, {
        seed: flags.seed,
        split: {
          fractions: parseFractions(flags.split),
          testWhere: flags['test-where'] ? parseTestWhere(flags['test-where']) : undefined,
        },
        objective:
          flags.keep === undefined && flags['max-cost'] === undefined
            ? {kind: 'alpha', alpha: flags.alpha ?? 0.05}
            : objective,
        mode: flags.cascade,
        maxSteps: flags['chain-length'],
        chain: flags.chain?.split(',').map(m => m.trim()),
        bound: {guarantee: flags.guarantee, delta: flags.delta},
        engine: flags.engine,
        features: {buckets: flags.buckets, ignore: flags['ignore-feature'], use: flags['use-feature']},
        trees: flags.trees,
        now: Date.now,
        onProgress: progress,
      })
      return this.writeOut(
        out,
        router,
        {...core, skipped},
        {
          chart: cascadeChart,
          markdown: renderCascadeMarkdown,
          summary: renderCascadeSummary,
        },
      )
    }

    const {router, result: core} = trainRouter(table, {
      seed: flags.seed,
      split: {
        fractions: parseFractions(flags.split),
        testWhere: flags['test-where'] ? parseTestWhere(flags['test-where']) : undefined,
      },
      objective,
      alpha: flags.alpha ?? 0.05,
      bound: {guarantee: flags.guarantee, delta: flags.delta},
      rule: flags.rule,
      engine: flags.engine,
      features: {buckets: flags.buckets, ignore: flags['ignore-feature'], use: flags['use-feature']},
      forest: {trees: flags.trees},
      now: Date.now,
      onProgress: progress,
    })
    return this.writeOut(
      out,
      router,
      {...core, skipped},
      {
        chart: frontierChart,
        markdown: renderEvaluationMarkdown,
        summary: renderTrainSummary,
      },
    )
  }

  /** Writes router.json, frontier.svg, evaluation.json and evaluation.md (atomically), and says so. */
  private async writeOut<R extends {skipped: readonly unknown[]; written?: unknown}>(
    out: string,
    router: unknown,
    core: Omit<R, 'written'>,
    render: {chart: (r: R) => string; markdown: (r: R, chart: string) => string; summary: (r: R) => string},
  ): Promise<R> {
    const written = {
      router: join(out, 'router.json'),
      evaluationJson: join(out, 'evaluation.json'),
      evaluationMd: join(out, 'evaluation.md'),
      chart: join(out, 'frontier.svg'),
    }
    const result = {...core, written} as R
    await writeFileAtomic(written.router, `${JSON.stringify(router)}\n`, {own: true})
    // The evaluation quotes model and feature names as the outcome table gave them: printable, no secret in it.
    await writeFileAtomic(written.chart, shownText(render.chart(result)), {own: true})
    await writeFileAtomic(written.evaluationJson, `${JSON.stringify(redactValue(result), null, 2)}\n`, {own: true})
    await writeFileAtomic(
      written.evaluationMd,
      shownText(render.markdown(markdownStrings(redactValue(result)), 'frontier.svg')),
      {own: true},
    )
    if (!this.jsonEnabled()) {
      this.log(render.summary(result))
      this.logToStderr(
        `wrote ${written.router}, ${written.evaluationJson}, ${written.evaluationMd} and ${written.chart}`,
      )
    }
    if (result.skipped.length > 0) process.exitCode = ExitCode.partial
    return result
  }
}
