import {Args, Flags} from '@oclif/core'
import {homedir} from 'node:os'
import {AcoCommand} from '../cli/base.js'
import {progressBar, terminalInfo} from '../cli/terminal.js'
import {DEFAULT_DECISIONS} from '../review/decisions.js'
import {startReview, summaryLines} from '../review/start.js'
import {AcoError} from '../errors.js'
import {prepareOutputDir} from '../util/output-paths.js'

export default class Review extends AcoCommand {
  static override summary =
    'Review where the money went, step by step, and decide what to prune and how to label steps.'

  static override description =
    `Opens an interactive review in the terminal: the traces sorted by cost (or waste, or date), a trace's steps as a timeline with cost bars and flags, a step's arguments, result, cost and the evidence behind its flag. Accept or reject each prune suggestion, label steps (fine, needs a stronger model, a cheaper model would do, wasted), undo.

Decisions are saved to the decisions file (schemas/decisions.schema.json) as they are made, so quitting, Ctrl-C or a crash loses nothing, and opening it again resumes where you left off. aco label reads it.

Input: a cards.ndjson written by aco analyze --out (or its folder), opened as it is; or trace files and folders, analysed first. With no path, the agents' default log folders.

Needs an interactive terminal (80×24 or larger). Without one, use aco analyze --json for the figures and aco label --decisions FILE to list or make decisions.

Exit codes: 0 done; 2 usage error (not a terminal, a bad file); 4 no trace found; 1 an internal error.`

  static override examples = [
    '<%= config.bin %> review cards/                # from: aco analyze traces/ --out cards/',
    '<%= config.bin %> review ~/.claude/projects/my-project',
    '<%= config.bin %> review cards/cards.ndjson --decisions review-2026-03.json',
  ]

  static override strict = false

  static override args = {
    paths: Args.string({
      description: 'a cards.ndjson (or a folder holding one), or trace files and folders',
      required: false,
    }),
  }

  static override flags = {
    decisions: Flags.string({
      description: 'where decisions are saved (and resumed from)',
      default: DEFAULT_DECISIONS,
      helpValue: 'FILE',
    }),
    force: Flags.boolean({
      description:
        'keep --decisions inside a folder being reviewed all the same (an input file or a device is never replaced)',
      default: false,
    }),
    'cache-dir': Flags.string({
      description:
        'where derived files go (an index rebuilt, traces analysed); default: a folder in the system temp folder',
      helpValue: 'DIR',
    }),
  }

  async run(): Promise<void> {
    const {argv, flags, metadata} = await this.parse(Review)
    // (A folder that cannot be one, a file or /proc: a usage error before any work, not an errno at the first write;
    // an empty value names no folder. Trial 101.)
    if (flags['cache-dir'] !== undefined) {
      if (flags['cache-dir'].trim() === '')
        throw new AcoError(
          'usage',
          '--cache-dir is empty.',
          'Give --cache-dir a folder you can write to, or leave it out.',
        )
      prepareOutputDir(flags['cache-dir'], '--cache-dir')
    }
    const term = terminalInfo()
    const outcome = await startReview({
      paths: argv as string[],
      decisions: flags.decisions,
      decisionsDefaulted: metadata.flags.decisions?.setFromDefault === true,
      force: flags.force,
      cacheDir: flags['cache-dir'],
      version: this.config.version,
      cwd: process.cwd(),
      home: homedir(),
      env: process.env,
      stdin: process.stdin,
      stdout: process.stdout,
      interactive: term.interactive,
      color: term.color,
      progress: progressBar(term.stderrTty, 'opening'),
    })
    for (const line of summaryLines(outcome)) this.logToStderr(line)
  }
}
