import {Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {AcoError} from '../errors.js'
import {AcoCommand} from '../cli/base.js'
import {numberFlag} from '../cli/flags.js'
import {terminalInfo} from '../cli/terminal.js'
import {DETECTOR_KINDS} from '../flag/registry.js'
import {DEFAULT_DECISIONS, LABELS} from '../review/decisions.js'
import {runAutoLabel} from '../label/run.js'
import {label, type LabelResult} from '../review/label.js'
import {renderLabel} from '../review/label-text.js'
import {safeStrings} from '../util/control.js'
import {refuseFolderName} from '../util/output-paths.js'
import {redactValue} from '../util/redact.js'

/** Characters of one field the text shows at most (the JSON keeps them all). */
const MAX_SHOWN = 2000

export default class Label extends AcoCommand {
  static override summary = 'List the decisions made in aco review, or make decisions without it.'

  static override description =
    `Reads a decisions file (schemas/decisions.schema.json, written by aco review as decisions are made) and prints what it holds: prune suggestions accepted and rejected, steps labelled.

Makes decisions without the terminal UI (for scripts, CI, or a terminal that is not interactive): accept or reject a step's prune suggestion, label a step, or accept every flag of some detectors. Steps are named TRACE:STEP (the trace id and the step id) or TRACE:#INDEX, and looked up in --cards.

Labels: ${LABELS.join(', ')}. Detectors: ${DETECTOR_KINDS.join(', ')}.

--auto labels every LLM step of the cards from evidence, each label with its source and strength: the step's own execution (its calls failed, were retried, undone or flagged as waste: needs-stronger-model or wasted; they succeeded and their result was used: fine), the task's outcome (--outcomes, or the SWE-bench reports found beside the traces) as weaker evidence, and how other models fared at that kind of step on the same task or session. A label a person gave (aco review, --set) is never overwritten; an earlier --auto run's labels on the same cards are replaced.

Exit codes: 0 done; 2 usage error (a step not found, a bad file); 4 no decisions file to list; 1 an internal error.`

  static override examples = [
    '<%= config.bin %> label --decisions aco-decisions.json',
    '<%= config.bin %> label --decisions aco-decisions.json --json',
    '<%= config.bin %> label --decisions d.json --cards cards/ --accept loop:toolu_loop_8 --set loop:#4=wasted',
    '<%= config.bin %> label --decisions d.json --cards cards/ --accept-flags duplicate-call,reread-unchanged --min-confidence 0.8',
    '<%= config.bin %> label --auto --cards cards/ --decisions d.json --outcomes results.json',
  ]

  static override enableJsonFlag = true

  static override usage = [
    'label [--decisions FILE] [--cards CARDS] [--top N]',
    'label [--decisions FILE] [--cards CARDS] [--accept TRACE:STEP]... [--reject TRACE:STEP]... [--set TRACE:STEP=LABEL]... [--accept-flags KIND[,KIND] [--min-confidence P]]',
    'label [--decisions FILE] [--cards CARDS] --auto [--outcomes FILE]',
  ]

  static override flags = {
    decisions: Flags.string({description: 'the decisions file', default: DEFAULT_DECISIONS, helpValue: 'FILE'}),
    cards: Flags.string({
      description: 'the cards the steps are in (cards.ndjson or its folder; default: the cards the file names)',
      helpValue: 'CARDS',
    }),
    accept: Flags.string({
      description: "accept a step's prune suggestion",
      multiple: true,
      helpValue: 'TRACE:STEP',
    }),
    reject: Flags.string({
      description: "reject a step's prune suggestion",
      multiple: true,
      helpValue: 'TRACE:STEP',
    }),
    set: Flags.string({
      description: `label a step (${LABELS.join(' | ')})`,
      multiple: true,
      helpValue: 'TRACE:STEP=LABEL',
    }),
    'accept-flags': Flags.string({
      description: 'accept every flag of these detectors (comma-separated, or all) not decided yet',
      multiple: true,
      helpValue: 'KIND[,KIND]',
    }),
    'min-confidence': numberFlag({
      description: 'with --accept-flags: only flags at least this confident (0 to 1; default 0)',
      default: 0,
      min: 0,
      max: 1,
      helpValue: 'P',
    }),
    auto: Flags.boolean({
      description:
        'label every LLM step from evidence (execution feedback, task outcomes, other models), never over a person',
      default: false,
      exclusive: ['accept', 'reject', 'set', 'accept-flags'],
    }),
    outcomes: Flags.string({
      description:
        'with --auto: task results (SWE-bench report.json, results.json, or JSONL {instance_id, resolved}; alias: --task-results, as aco analyze names them)',
      helpValue: 'FILE',
      dependsOn: ['auto'],
      aliases: ['task-results'],
    }),
    top: Flags.integer({description: 'how many decisions the text output lists', default: 20, min: 0}),
  }

  async run(): Promise<LabelResult> {
    const {flags, metadata} = await this.parse(Label)
    // Flags that only go with another, given without it: said, not ignored (trial 101: both exited 0 doing nothing;
    // oclif's dependsOn takes a default value for the flag given).
    if (flags.outcomes !== undefined && !flags.auto)
      throw new AcoError('usage', '--outcomes goes with --auto (task results to label steps from).', 'Add --auto.')
    if (metadata.flags['min-confidence']?.setFromDefault !== true && !flags['accept-flags']?.length)
      throw new AcoError(
        'usage',
        '--min-confidence goes with --accept-flags (the flags to accept at or above it).',
        'Add --accept-flags KIND[,KIND] (or all).',
      )
    // (Before the path is resolved, which drops a trailing `/`: `--decisions decdir/` had written a file `decdir`.)
    refuseFolderName(flags.decisions, '--decisions')
    const result = flags.auto
      ? await runAutoLabel({
          decisionsPath: resolve(flags.decisions),
          cards: flags.cards ? resolve(flags.cards) : undefined,
          outcomes: flags.outcomes ? resolve(flags.outcomes) : undefined,
          now: new Date().toISOString(),
          clock: Date.now,
        })
      : await label({
          decisionsPath: resolve(flags.decisions),
          cards: flags.cards ? resolve(flags.cards) : undefined,
          accept: flags.accept ?? [],
          reject: flags.reject ?? [],
          set: flags.set ?? [],
          acceptFlags: flags['accept-flags'] ?? [],
          minConfidence: flags['min-confidence'],
          now: new Date().toISOString(),
        })
    // What the cards hold is shown redacted (cards written with --no-redact, or edited by hand, may hold secrets in a
    // tool's or a model's name), and as printable text on the screen.
    const shown = redactValue(result)
    if (!this.jsonEnabled())
      this.log(renderLabel(safeStrings(shown, MAX_SHOWN), {width: terminalInfo().width, top: flags.top}).trimEnd())
    return shown
  }
}
