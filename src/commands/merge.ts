import {Args, Flags} from '@oclif/core'
import type {AnalyzeResult} from '../analyze/result.js'
import {AcoCommand} from '../cli/base.js'
import {terminalInfo} from '../cli/terminal.js'
import {ExitCode} from '../errors.js'
import {terminalText} from '../util/control.js'
import {redactText, redactValue} from '../util/redact.js'

export default class Merge extends AcoCommand {
  static override summary = 'Put the --json results of aco analyze --shard i/n together.'

  static override description =
    `Reads the --json results of the n shards of one aco analyze run (aco analyze --shard i/n --json, e.g. one per worker of a Spark job) and prints the result a single run over the whole input gives: the same figures, to the byte (every figure is a sum or a count; dollars are summed in whole nano-dollars).

Every shard must be given once, run with the same flags (the same --prices, --format, --mapping and --task-results too). A trace id met in two shards (a copy of a session in another folder) is said on stderr and as a warning in the result, and the exit code is 3: a single run counts the responses the copies share once, the merged figures count them twice.

Exit codes, as a single run's: 0 merged; 2 usage error (a file that is not an aco analyze --json result, which a run without --shard is too, as shard 1/1; a shard missing or given twice, shards run with different flags); 3 merged, but the shards skipped some input (listed) or read the same trace (a warning); 4 no trace counted in any shard.`

  static override examples = [
    '<%= config.bin %> merge part-*.json --json > result.json',
    '<%= config.bin %> merge part-1.json part-2.json',
  ]

  static override enableJsonFlag = true

  static override strict = false

  static override flags = {
    redact: Flags.boolean({
      default: true,
      allowNo: true,
      description:
        'redact secrets (API keys, tokens, passwords) from what is printed, --json too, as aco analyze does (on unless --no-redact: shards run with --no-redact then merge to what a single such run prints)',
    }),
  }

  static override args = {
    results: Args.string({description: 'the --json results of aco analyze --shard i/n', required: true}),
  }

  async run(): Promise<AnalyzeResult> {
    const {argv, flags} = await this.parse(Merge)
    const {mergeFiles} = await import('../services/merge.js')
    const merged = await mergeFiles(argv as string[])
    const {overlaps, timeZone} = merged
    // Shards run with --no-redact hold what they read as it is: merged, it is redacted as aco analyze redacts, unless
    // the merge too is asked not to (trial 107: the text was redacted and --json was not).
    const result = flags.redact ? redactValue(merged.result) : merged.result
    const shownId = (id: string): string => terminalText(flags.redact ? redactText(id) : id)
    // (On stderr with --json too: oclif's logToStderr says nothing then, and this changes the figures.)
    if (overlaps.length)
      process.stderr.write(
        `aco merge: ${overlaps.length} trace id${overlaps.length === 1 ? '' : 's'} met in more than one shard (e.g. ${shownId(overlaps[0]!.id)}, shards ${overlaps[0]!.shards.join(' and ')}): responses the copies share are counted twice here, once in a single run (see the warnings)\n`,
      )
    if (!this.jsonEnabled()) {
      const term = terminalInfo()
      const {renderAnalyze} = await import('../report/terminal.js')
      this.log(
        renderAnalyze(result, {
          width: term.width,
          color: term.color,
          top: 10,
          topWaste: 5,
          command: 'aco merge',
          // (As the shards showed dates: a run with --tz and no --by showed its own zone; trial 72.)
          timeZone,
        }).trimEnd(),
      )
    }
    // The exit code a single run over the whole input gives (see aco analyze).
    if (result.traces.length === 0) process.exitCode = ExitCode.noInput
    else if (result.skipped.length > 0 || overlaps.length > 0) process.exitCode = ExitCode.partial
    return result
  }
}
