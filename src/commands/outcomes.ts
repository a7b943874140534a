import {Args, Flags} from '@oclif/core'
import {homedir} from 'node:os'
import {resolve} from 'node:path'
import {NAMED_FORMATS} from '../adapt/format-names.js'
import {AcoCommand} from '../cli/base.js'
import {AcoError, ExitCode} from '../errors.js'
import {type OutcomesResult, runOutcomes} from '../services/outcomes.js'
import {refuseFolderName} from '../util/output-paths.js'

export default class Outcomes extends AcoCommand {
  static override summary = 'Build an outcome table from your own runs of the same tasks by several models.'

  static override description =
    `Reads agent runs (mini-swe-agent, SWE-agent or OpenHands output folders, with the SWE-bench report of each run beside its trajectories, or --task-results) and writes one outcome line per task and model, grouped by the task's instance id: {item_id, model, success (resolved: 1), cost_usd, response (the submitted patch, from the predictions file beside the trajectories), signals, features}.

The signals are what each run's trace showed once it was over, read through aco's adapters: steps (LLM calls), api_calls (as the tool recorded them), exit_status (0: the run submitted; 1: it stopped otherwise, e.g. at a step or cost limit), tests_passed and tests_failed (test commands seen in the trace and how they ended; last_tests_passed: the last one), tool_errors, waste_flags and wasted_usd (what aco's waste detectors flagged), cost_usd, and uncertainty and entropy when the run's calls carried logprobs (weighted by their output tokens). The table trains a router or a cascade: aco train --outcomes FILE [--cascade].

Exit codes: 0 done; 2 usage error; 3 done, but some runs were skipped (no report, no cost, a second run of a task by the same model), listed under "skipped"; 4 no run gave a row; 1 an internal error.`

  static override examples = [
    '<%= config.bin %> outcomes runs/deepseek runs/gpt-4o-mini runs/gpt-4o --out items.jsonl',
    '<%= config.bin %> outcomes runs/ --out items.jsonl --json',
    '<%= config.bin %> train --outcomes items.jsonl --cascade --out cascade/',
  ]

  static override enableJsonFlag = true

  static override strict = false

  static override args = {
    paths: Args.string({description: 'run folders or trajectory files', required: true}),
  }

  static override flags = {
    out: Flags.string({description: 'the outcome table to write (JSONL)', required: true, helpValue: 'FILE.jsonl'}),
    format: Flags.option({
      description: 'read every file as this format instead of detecting it',
      options: [...NAMED_FORMATS],
    })(),
    'task-results': Flags.file({
      description:
        'whether each task was resolved, when no report lies beside the runs: a SWE-bench report.json / results.json, or JSONL {instance_id, resolved}',
    }),
    prices: Flags.file({description: 'JSON file of prices for models the catalog lacks (schemas/prices.schema.json)'}),
    threads: Flags.integer({
      description: 'worker threads (default: decided from the amount of input; 1 = none)',
      min: 1,
    }),
    'no-redact': Flags.boolean({description: 'keep secrets found in patches and paths as they are'}),
    force: Flags.boolean({description: 'write --out inside a run folder being read (not over a file it read)'}),
  }

  async run(): Promise<OutcomesResult> {
    const {argv, flags} = await this.parse(Outcomes)
    const paths = (argv as string[]).map(p => resolve(p))
    if (paths.length === 0)
      throw new AcoError('usage', 'Give at least one run folder.', 'aco outcomes RUN_DIR... --out FILE')
    // (Before the path is resolved, which drops a trailing `/`: `--out od/` names a folder.)
    refuseFolderName(flags.out, '--out')
    const result = await runOutcomes({
      paths,
      outFile: resolve(flags.out),
      format: flags.format,
      pricesFile: flags.prices,
      taskResultsFile: flags['task-results'],
      threads: flags.threads,
      redact: !flags['no-redact'],
      force: flags.force,
      home: homedir(),
      env: process.env,
    })
    if (!this.jsonEnabled()) {
      this.log(
        // (The models with a line: a model whose every run was skipped has none, and is not among them; trial 87.)
        `${result.rows} outcome lines for ${result.items} tasks (${result.itemsRunByEveryModel} run by ${result.models.length === 1 ? 'the one model with a line' : `each of the ${result.models.length} models with lines`}), ${result.withResponse} with the submitted patch → ${result.out}`,
      )
      for (const m of result.models)
        this.log(`  ${m.model}: ${m.runs} runs, ${m.resolved} resolved, $${m.costUsd.toFixed(4)} in all`)
      if (result.keptOwnReports)
        this.logToStderr(
          `${result.keptOwnReports} run${result.keptOwnReports === 1 ? '' : 's'} kept the outcome of the report beside ${result.keptOwnReports === 1 ? 'it' : 'them'} where --task-results said otherwise (it fills only runs that left none)`,
        )
      if (result.skipped.length > 0)
        this.logToStderr(
          `skipped ${result.skipped.length} (first: ${result.skipped[0]!.path}: ${result.skipped[0]!.reason})`,
        )
    }
    if (result.skipped.length > 0) process.exitCode = ExitCode.partial
    return result
  }
}
