import {Args, Flags} from '@oclif/core'
import {AcoCommand} from '../cli/base.js'
import {terminalInfo} from '../cli/terminal.js'
import {AcoError, ExitCode} from '../errors.js'
import {renderFormats} from '../report/formats.js'
import {safeStrings} from '../util/control.js'

/** Characters of one field the text shows at most (the JSON keeps them all). */
const MAX_SHOWN = 2000
import {checkMapping, detectSample, listFormats, type FormatsResult} from '../analyze/formats.js'

export default class Formats extends AcoCommand {
  static override summary =
    'List the trace formats aco reads, say which one a file is in, or check a format mapping against a sample.'

  static override description =
    `Without flags, lists every format aco reads: how it is recognised (by content, never by file name), where the tool that writes it keeps its logs, and whether the card's totals are checked against totals the file records.

With SAMPLE alone, says which format aco reads the file in (by its content, as aco analyze would) and shows the cards, tokens and first steps it read; or, where none recognises it, why.

With --check MAPPING SAMPLE, validates a format mapping (YAML or JSON, schemas/format-mapping.schema.json: JSONPath expressions evaluated with script evaluation off), says whether its detect rules recognise the sample, reads the sample with it and shows the cards, tokens and first steps that came out: what aco analyze --mapping MAPPING would count.

Exit codes: 0 done; 2 usage error (a mapping that is not valid, a path that does not exist); 3 no format reads SAMPLE (a companion of traces, read from the trace beside it, is no failure), or it was read with lines skipped or no step; the check read the sample but skipped some of it, read no step from it, found a field of the mapping that gave no record a value (a path to a field the records lack), or its detect rules do not recognise it.`

  static override examples = [
    '<%= config.bin %> formats',
    '<%= config.bin %> formats --json',
    '<%= config.bin %> formats ~/.codex/sessions/2026/03/01/rollout-2026-03-01T10-00-00-abc.jsonl',
    '<%= config.bin %> formats --check my-format.yaml exports/run-1.jsonl',
  ]

  static override enableJsonFlag = true

  static override args = {
    sample: Args.string({
      description: 'a trace file: which format it is in (with --check: a file of the format the mapping describes)',
      required: false,
    }),
  }

  static override flags = {
    check: Flags.file({
      description: 'a format mapping to check against SAMPLE',
      helpValue: 'MAPPING',
      // (Not oclif's `exists`: "Parsing --check p.json exists but is not a file" for a FIFO; the mapping's own reader
      // says what is wrong with the path, and refuses what is no regular file; trial 127.)
    }),
    redact: Flags.boolean({
      description: 'redact secrets from what the check shows (on unless --no-redact)',
      default: true,
      allowNo: true,
    }),
  }

  async run(): Promise<FormatsResult> {
    const {args, flags} = await this.parse(Formats)
    let result: FormatsResult
    if (flags.check) {
      if (!args.sample)
        throw new AcoError('usage', '--check needs a sample file to read.', 'aco formats --check MAPPING SAMPLE')
      result = await checkMapping(flags.check, args.sample, flags.redact)
      const check = result.check!
      if (check.skipped.length > 0 || !check.recognised || check.cards.length === 0 || check.unmatched.length > 0)
        process.exitCode = ExitCode.partial
    } else if (args.sample) {
      result = await detectSample(args.sample, flags.redact)
      const d = result.detected!
      if (!d.companion && (!d.format || d.cards.length === 0 || d.skipped.length > 0))
        process.exitCode = ExitCode.partial
    } else result = listFormats()
    // (A sample's ids, titles, models and tool names as printable text: no escape sequence reaches the terminal.)
    if (!this.jsonEnabled()) this.log(renderFormats(safeStrings(result, MAX_SHOWN), terminalInfo().width))
    return result
  }
}
