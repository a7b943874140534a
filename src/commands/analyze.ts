import {Args, Flags} from '@oclif/core'
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {resolve} from 'node:path'
import {NAMED_FORMATS} from '../adapt/format-names.js'
import {GROUP_BYS} from '../analyze/group.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {AcoCommand} from '../cli/base.js'
import {progressBar, terminalInfo} from '../cli/terminal.js'
import {ExitCode} from '../errors.js'
import type {AnalyzeCommandRun} from '../services/analyze.js'

export default class Analyze extends AcoCommand {
  static override summary = 'Read agent traces and report where the money went.'

  static override description =
    `Reads agent traces (files or folders, recursively), puts every step on the TraceCard schema, prices it with the genai-prices catalog and reports cost and tokens by model, by tool and by trace.

With no path, reads Claude Code's ~/.config/claude/projects and ~/.claude/projects (or each folder $CLAUDE_CONFIG_DIR lists, comma-separated, as ccusage does), $CODEX_HOME/sessions and archived_sessions (default ~/.codex), ~/.gemini/tmp, $COPILOT_HOME/session-state (default ~/.copilot/session-state) and OpenCode's database, $XDG_DATA_HOME/opencode/opencode.db (default ~/.local/share/opencode/opencode.db).

Exit codes: 0 everything was read; 2 usage error; 3 some input was skipped (listed under "skipped"); 4 no trace found; 1 an internal error; 130 or 143 interrupted (Ctrl-C, SIGTERM), its temporary files removed.`

  static override examples = [
    '<%= config.bin %> analyze',
    '<%= config.bin %> analyze ~/.claude/projects --top 20',
    '<%= config.bin %> analyze traces/ --json > result.json',
    '<%= config.bin %> analyze traces/ --out cards/   # cards/cards.ndjson, one TraceCard a line',
    '<%= config.bin %> analyze traces/ --prices my-prices.json',
    '<%= config.bin %> analyze exports/ --mapping my-format.yaml   # a format described with JSONPath (see aco formats)',
    "<%= config.bin %> analyze --since 2026-11-01 --by day   # cost and waste per day this month, in the machine's zone",
    '<%= config.bin %> analyze --by week --tz UTC --json',
    '<%= config.bin %> analyze logs/ --shard 2/8 --json > part-2.json   # then: aco merge part-*.json',
  ]

  static override enableJsonFlag = true

  static override strict = false

  static override args = {
    paths: Args.string({description: "trace files or folders (default: the agents' log folders)", required: false}),
  }

  static override flags = {
    top: Flags.integer({
      description: 'how many rows each table shows (default 10; 5 for the top waste, two lines each)',
      min: 1,
    }),
    report: Flags.string({
      description: 'write a Markdown report (with SVG charts in FILE-assets/) fit for an issue or a pull request',
      helpValue: 'FILE.md',
    }),
    out: Flags.directory({
      description: 'write cards.ndjson (one TraceCard a line) and cards.index.ndjson (a row per card) into this folder',
    }),
    'out-format': Flags.option({
      description:
        'what --out writes: ndjson (the default: cards.ndjson, one TraceCard a line) or parquet (cards.parquet, a row per card, and steps.parquet, a row per step)',
      options: ['ndjson', 'parquet'] as const,
      dependsOn: ['out'],
    })(),
    format: Flags.option({
      description: 'read every file as this format instead of detecting it',
      options: [...NAMED_FORMATS],
      exclusive: ['mapping'],
    })(),
    mapping: Flags.file({
      description:
        'a format described with JSONPath (YAML or JSON, schemas/format-mapping.schema.json): files it recognises are read with it (every file, if it has no detect rules); check one with aco formats --check',
      helpValue: 'FILE',
    }),
    'task-results': Flags.file({
      description:
        'whether each task was resolved: a SWE-bench report.json / results.json, or JSONL {instance_id, resolved} (alias: --outcomes)',
      aliases: ['outcomes'],
    }),
    prices: Flags.file({description: 'JSON file of prices for models the catalog lacks (schemas/prices.schema.json)'}),
    threads: Flags.integer({
      description: 'worker threads (default: decided from the amount of input; 1 = none)',
      min: 1,
      max: 64,
    }),
    force: Flags.boolean({
      description:
        'write --report inside a folder being analysed all the same (an input file or a device is never replaced)',
      default: false,
    }),
    redact: Flags.boolean({
      description:
        'redact secrets (API keys, tokens, passwords) from what is printed or written (on unless --no-redact)',
      default: true,
      allowNo: true,
    }),
    since: Flags.string({
      description:
        'only steps from this date (a whole day in --tz) or time (2026-11-01T09:00Z) on; files last modified before it are not opened (but with --by block)',
      helpValue: 'DATE',
    }),
    until: Flags.string({
      description: 'only steps before the end of this date (in --tz), or before this time',
      helpValue: 'DATE',
    }),
    by: Flags.option({
      description:
        'split the totals (cost, waste, tokens, calls) by this key, in the terminal, --json and --report (block: 5-hour billing windows, as ccusage blocks)',
      options: GROUP_BYS,
    })(),
    tz: Flags.string({
      description: "the time zone of dates (--since, --until, --by day|week|month|block); default: the machine's",
      helpValue: 'ZONE',
    }),
    cache: Flags.boolean({
      description:
        "keep per-file results in $XDG_CACHE_HOME/aco (default ~/.cache/aco) and reuse those of unchanged files, and a run's whole result while none changed (--no-cache: read everything; aco's own compiled code is cached apart, ACO_COMPILE_CACHE=0 turns that off)",
      default: true,
      allowNo: true,
    }),
    shard: Flags.string({
      description:
        'read only part i of n of the input (whole folders, balanced by bytes); aco merge joins the --json results',
      helpValue: 'i/n',
    }),
  }

  async run(): Promise<AnalyzeResult> {
    const {argv, flags} = await this.parse(Analyze)
    const term = terminalInfo()
    const progress = progressBar(term.stderrTty && !this.jsonEnabled(), 'reading')
    // The analysis loads when it runs: every aco command imports every command file at start (oclif without a
    // manifest), so what a command imports at the top, the others pay for too.
    const {runAnalyze} = await import('../services/analyze.js')
    let run: AnalyzeCommandRun
    try {
      run = await runAnalyze({
        // Absolute paths: cards name their source files, and are read again later (review, patch) from anywhere.
        // (An empty one stays empty, for the service to refuse: resolve('') would be the current folder.)
        // (`-`, standard input, stays as written, the service saying it reads files; a file named `-` is that file.)
        paths: (argv as string[]).map(p => (p.trim() === '' || (p === '-' && !existsSync(p)) ? p : resolve(p))),
        format: flags.format,
        mappingFile: flags.mapping,
        pricesFile: flags.prices,
        taskResultsFile: flags['task-results'],
        outDir: flags.out,
        reportFile: flags.report,
        threads: flags.threads,
        force: flags.force,
        redact: flags.redact,
        since: flags.since,
        until: flags.until,
        by: flags.by,
        tz: flags.tz,
        shard: flags.shard,
        cache: flags.cache,
        outFormat: flags['out-format'],
        home: homedir(),
        env: process.env,
        version: this.config.version,
        now: () => new Date(),
        onProgress: (done, total) =>
          progress.update(
            done.bytes,
            total.bytes,
            `${done.files}/${total.files} files · ${(done.bytes / 1e6).toFixed(0)}/${(total.bytes / 1e6).toFixed(0)} MB`,
          ),
      })
    } finally {
      progress.stop()
    }
    const {result} = run

    if (!this.jsonEnabled()) {
      // The screen's renderer (and string-width under it) loads only when there is a screen to render.
      const {renderAnalyze} = await import('../report/terminal.js')
      this.log(
        renderAnalyze(result, {
          width: term.width,
          color: term.color,
          top: flags.top ?? 10,
          topWaste: flags.top ?? 5,
          timeZone: run.timeZone,
          redact: flags.redact,
        }).trimEnd(),
      )
      if (result.outcomes) {
        const {given, joined} = result.outcomes
        this.logToStderr(
          `task results: ${joined} of ${given} joined a trace${given > joined ? ` (${given - joined} matched no trace's task id)` : ''}`,
        )
      }
      if (result.written?.report) this.logToStderr(`wrote the report to ${result.written.report}`)
      if (result.written?.cards) {
        // (A card holds its subagents; a Parquet file has a row for each.)
        const cards = result.traces.filter(t => !t.parentId).length
        const subagents = result.traces.length - cards
        // (Parquet is two files: a row per card and a row per step.)
        const steps = result.written.cards.endsWith('cards.parquet')
          ? ` and their steps to ${result.written.cards.replace(/cards\.parquet$/, 'steps.parquet')}`
          : ''
        this.logToStderr(
          `wrote ${cards} card${cards === 1 ? '' : 's'}${subagents ? ` (+${subagents} subagent${subagents === 1 ? '' : 's'})` : ''} to ${result.written.cards}${steps}`,
        )
      }
      for (const note of run.notes ?? []) this.logToStderr(`Note: ${note}.`)
    }
    // An output that could not be written is an error of the run, said last, where it is seen (with --json, in the result).
    for (const failed of result.notWritten ?? []) if (!this.jsonEnabled()) this.logToStderr(`Error: ${failed.reason}`)
    // (In the result too, last: with --json, stderr is quiet, and a note said nowhere is lost; review 83.)
    if (run.notes?.length) result.notes = run.notes
    if (run.internalErrors > 0) process.exitCode = ExitCode.internal
    else if (result.notWritten?.length) process.exitCode = ExitCode.usage
    // Nothing counted is nothing found (4), whatever was skipped on the way; the output says why. (Not for one shard:
    // a part the split left without traces is a part all the same; `aco merge` says whether any part counted any.)
    else if (result.traces.length === 0 && !result.shard) process.exitCode = ExitCode.noInput
    else if (result.skipped.length > 0) process.exitCode = ExitCode.partial
    return result
  }
}
