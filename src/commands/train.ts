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
import {writeFileAtomic} from '../util/atomic.js'
import {prepareOutputDir} from '../util/output-paths.js'

export default class Train extends AcoCommand {
  static override summary = 'Learn a router from outcome tables: which model each item needs.'

  static override description =
    `Reads an outcome table (JSONL, one line per item and model: {item_id, model, success, cost_usd, features}) and optionally the items' prompts ({item_id, prompt}), splits the items (grouped by item) into train, calibration and test, fits every engine (random forest, logistic regression, k nearest neighbours) per candidate model to estimate P(success), chooses the estimator, the operating point and the bounds on the calibration split, and evaluates on the test split, at thresholds fixed beforehand and with 95% intervals, against every single model, mixes of single models chosen on the training split and the per-item oracle. It recommends a policy by a stated rule and warns where the test split contradicts it, and on features that look like leaked outcomes.

Writes router.json, evaluation.json, evaluation.md and frontier.svg into --out.

The operating point: by default the cheapest threshold that keeps the strongest model's quality (--keep 1.0, a fraction); or a bound on the rate of items where the router's model fails while the strongest would have succeeded (--alpha): marginal by default (E[rate] ≤ α), or with --guarantee high the rate exceeds α with probability at most δ; or a budget (--max-cost USD per item).

Exit codes: 0 done; 2 usage error (also: too few items for the α asked); 3 done, but some input lines were skipped (listed under "skipped"); 4 no usable input; 1 an internal error.`

  static override examples = [
    '<%= config.bin %> train --outcomes items.jsonl --text prompts.jsonl --out router/',
    '<%= config.bin %> train --outcomes items.jsonl --text prompts.jsonl --test-where split=test --alpha 0.05 --guarantee high',
    '<%= config.bin %> train --outcomes items.jsonl --max-cost 0.002 --json > train.json',
  ]

  static override enableJsonFlag = true

  static override flags = {
    outcomes: Flags.file({
      description:
        'outcome table, JSONL: {item_id, model, success, cost_usd, features} per line (schemas/outcome-table.schema.json)',
      required: true,
    }),
    text: Flags.file({description: 'prompts JSONL: {item_id, prompt} per line (adds text features)'}),
    out: Flags.directory({
      description: 'folder for router.json, evaluation.json, evaluation.md, frontier.svg',
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
    trees: Flags.integer({description: 'trees per forest', default: 64, min: 1}),
    buckets: Flags.integer({
      description: 'hashed word and bigram columns of the question (0: none)',
      default: 512,
      min: 0,
    }),
    engine: Flags.option({
      description:
        'estimator of P(success): auto (every engine fitted, chosen on calibration), hist (random forest), ml-random-forest (slow on large tables), logistic (L2 logistic regression), knn (k nearest neighbours)',
      options: ['auto', ...engineNames] as const,
      default: 'auto' as const,
    })(),
  }

  async run(): Promise<TrainResult> {
    const {flags} = await this.parse(Train)
    const progress = (message: string): void => {
      if (!this.jsonEnabled()) this.logToStderr(message)
    }
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
    const table = await readOutcomeTable(outcomesPath, 'train')
    const skipped: BadLine[] = [...table.skipped]
    if (flags.text) {
      const texts = await readTexts(resolve(flags.text))
      skipped.push(...texts.skipped)
      const n = attachTexts(table.items, texts.texts)
      progress(`prompts for ${n} of ${table.items.length} items`)
    }
    if (table.skipped.length > 0)
      progress(
        `skipped ${table.skipped.length} bad lines of ${outcomesPath} (first: line ${table.skipped[0]!.line}: ${table.skipped[0]!.reason})`,
      )

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

    const written = {
      router: join(out, 'router.json'),
      evaluationJson: join(out, 'evaluation.json'),
      evaluationMd: join(out, 'evaluation.md'),
      chart: join(out, 'frontier.svg'),
    }
    const result: TrainResult = {...core, skipped, written}
    await writeFileAtomic(written.router, `${JSON.stringify(router)}\n`)
    await writeFileAtomic(written.chart, frontierChart(result))
    await writeFileAtomic(written.evaluationJson, `${JSON.stringify(result, null, 2)}\n`)
    await writeFileAtomic(written.evaluationMd, renderEvaluationMarkdown(result, 'frontier.svg'))

    if (!this.jsonEnabled()) {
      this.log(renderTrainSummary(result))
      this.logToStderr(
        `wrote ${written.router}, ${written.evaluationJson}, ${written.evaluationMd} and ${written.chart}`,
      )
    }
    if (skipped.length > 0) process.exitCode = ExitCode.partial
    return result
  }
}
