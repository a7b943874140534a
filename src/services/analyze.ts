/**
 * What `aco analyze` does, start to finish, without oclif: reads the files
 * its flags name (prices, task results), checks output paths before the
 * work, analyses the traces, writes the cards folder and the Markdown report
 * it was asked for, and returns the result (redacted unless asked otherwise).
 * The command parses flags, shows progress and prints; this does the rest.
 */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {loadMapping} from '../adapt/mapping/load.js'
import {isTraceLikeName} from '../discover/walk.js'
import {loadTaskResults} from '../adapt/task-results.js'
import {analyze, type AnalyzeOptions, defaultTracePaths} from '../analyze/analyze.js'
import {cacheDir, codeFingerprint, DEFAULT_CACHE_BYTES, takeCacheWriteProblem, trimCache} from '../analyze/cache.js'
import {type GroupBy, resolveTimeZone} from '../analyze/group.js'
import {parseShard, type SETTINGS_PARTS} from '../analyze/shard.js'
import {hashText} from '../util/hash.js'
import {CARDS_FILE, CARDS_PARQUET, INDEX_FILE, STEPS_PARQUET} from '../analyze/card-index.js'
import {parseWindowDate, type TimeWindow} from '../analyze/window.js'
import {type CardsWriter, openCardsWriter} from '../analyze/cards-writer.js'
import {toResult, type AnalyzeResult} from '../analyze/result.js'
import {markActiveBlock} from '../analyze/group.js'
import type {FormatId} from '../card/types.js'
import {AcoError} from '../errors.js'
import {isPriced, PriceBook, type UserPrice} from '../price/book.js'
import {loadUserPrices} from '../price/user-prices.js'
import {
  assetsDirName,
  CostliestCards,
  guardReportCharts,
  REPORT_TRACES,
  ReportNotWritten,
  writeReport,
} from '../report/write-report.js'
import {guardOutputFile, prepareOutputDir, prepareOutputFile, refuseLinksIn, sameFile} from '../util/output-paths.js'
import {redactText, redactValue} from '../util/redact.js'
import {removeEmptyMadeFolders} from '../util/atomic.js'
import {describeFsError} from '../util/fs-errors.js'

export interface RunAnalyzeOptions {
  /** Trace files and folders, absolute (cards name their source files); empty: the agents' default folders. */
  paths: string[]
  format?: FormatId
  /** `--mapping FILE`: a format described with JSONPath. */
  mappingFile?: string
  /** `--prices FILE`: prices for models the catalog lacks. */
  pricesFile?: string
  /** `--task-results FILE`: task results joined to cards on their task id. */
  taskResultsFile?: string
  /** `--out DIR`: write cards.ndjson and its index there. */
  outDir?: string
  /** `--report FILE.md`: write the Markdown report (and its charts) there. */
  reportFile?: string
  threads?: number
  /** `--force`: write the report inside an input folder all the same. */
  force?: boolean
  /** Redact secrets from everything returned or written (default true). */
  redact: boolean
  home: string
  env: Record<string, string | undefined>
  /** aco's version and the time, for the report's byline. */
  version: string
  now: () => Date
  onProgress?: AnalyzeOptions['onProgress']
  /** `--since DATE` / `--until DATE`, as given. */
  since?: string
  until?: string
  /** `--by`: split the totals by this key. */
  by?: GroupBy
  /** `--tz`: the zone dates are read in (default: the machine's). */
  tz?: string
  /** `--shard i/n`, as given. */
  shard?: string
  /** Keep and reuse per-file results in the cache folder (`--no-cache`: false). */
  cache?: boolean
  /** `--out-format`: cards.ndjson (default) or cards.parquet + steps.parquet. */
  outFormat?: 'ndjson' | 'parquet'
}

export interface AnalyzeCommandRun {
  result: AnalyzeResult
  /** Errors that are aco's fault (an adapter threw): exit 1. */
  internalErrors: number
  /** With the cache: units from it and units read, and where it is. */
  cache?: {hits: number; misses: number; resumed: number; dir: string}
  /** The zone dates were read in, when the run read any (`--tz`, `--by`, `--since`, `--until`). */
  timeZone?: string
  /** What the person should know of what was written (said on stderr; not in the result, which shards merge). */
  notes?: string[]
}

export async function runAnalyze(options: RunAnalyzeOptions): Promise<AnalyzeCommandRun> {
  // Flags that can be wrong are checked before anything is read. An empty path is no path (a shell variable that
  // was not set): not the current folder, and not "no --out".
  if (options.paths.some(p => p.trim() === ''))
    throw new AcoError('usage', 'An empty path was given.', 'Name the files or folders to read (a variable not set?).')
  for (const [flag, value] of [
    ['--out', options.outDir],
    ['--report', options.reportFile],
  ] as const) {
    if (value !== undefined && value.trim() === '')
      throw new AcoError('usage', `${flag} was given an empty path.`, `Give ${flag} a path (a variable not set?).`)
    // (Not standard output: `--report -` wrote a file named "-" and a folder "--assets"; trial 127.)
    if (value === '-')
      throw new AcoError(
        'usage',
        `${flag} writes files, not standard output ('-').`,
        flag === '--report'
          ? 'Give --report a file name (report.md); --json prints the result on standard output.'
          : 'Give --out a folder.',
      )
  }
  // The zone is looked up only when dates are read: the first Intl lookup loads time zone data (~0.1 s).
  // (An empty --since "$START", its variable unset, is a date to read: refused, not a window left out.)
  const needsZone = options.tz !== undefined || options.since !== undefined || options.until !== undefined || options.by
  const timeZone = needsZone ? resolveTimeZone(options.tz, options.env.TZ) : 'UTC'
  const window: TimeWindow | undefined =
    options.since !== undefined || options.until !== undefined
      ? {
          ...(options.since !== undefined ? {since: parseWindowDate(options.since, timeZone, 'since')} : {}),
          ...(options.until !== undefined ? {until: parseWindowDate(options.until, timeZone, 'until')} : {}),
        }
      : undefined
  if (window?.since !== undefined && window.until !== undefined && window.since >= window.until)
    throw new AcoError(
      'usage',
      `--since ${options.since} is not before --until ${options.until}: the window holds no time.`,
      'Give --since a date before --until (--until includes its whole day).',
    )
  // A window that opens after now is a typo more often than a wish (2030 for 2026): the run goes on, and says so.
  const notes: string[] = []
  // (A TZ that names no zone this Node knows, `Foo/Bar` or a POSIX rule `EST5EDT,M3.2.0,M11.1.0`, reads every date in
  // UTC, as Node itself then does: said, or a cron job's days shift unseen; trial 127.)
  const envTz = options.env.TZ?.replace(/^:/, '')
  if (needsZone && options.tz === undefined && envTz && timeZone === 'UTC' && !UTC_TZ.test(envTz))
    notes.push(
      `TZ=${options.env.TZ} names no time zone aco knows: dates are read and shown in UTC; name the zone with --tz (Europe/Berlin, America/New_York)`,
    )
  if (window?.since !== undefined && window.since > options.now().getTime())
    notes.push(
      `--since ${options.since} is after now (${options.now().toISOString().slice(0, 16).replace('T', ' ')} UTC): no step written so far can fall in the window`,
    )
  const shard = options.shard !== undefined ? parseShard(options.shard) : undefined
  // (A block holds the calls of five hours over every file: a shard's blocks are not the run's, and do not merge.)
  if (shard && options.by === 'block')
    throw new AcoError(
      'usage',
      '--by block cannot be split into shards: a 5-hour block holds calls from every file, and one shard sees some of them.',
      'Run --by block without --shard (the day, week and month rows merge exactly).',
    )
  // (A bound that is no number of megabytes above 0 is said, not ignored in silence; trial 127.)
  const bound = options.env.ACO_CACHE_MAX_MB
  if (options.cache !== false && bound !== undefined && bound !== '' && !(Number(bound) > 0))
    notes.push(
      `ACO_CACHE_MAX_MB=${bound} is no number of megabytes above 0: the cache keeps its default bound (${DEFAULT_CACHE_BYTES / (1024 * 1024)} MB)`,
    )
  const cache =
    options.cache === false
      ? undefined
      : {
          dir: cacheDir(options.home, options.env),
          salt: codeFingerprint(options.version),
          maxBytes:
            Number(options.env.ACO_CACHE_MAX_MB) > 0
              ? Number(options.env.ACO_CACHE_MAX_MB) * 1024 * 1024
              : DEFAULT_CACHE_BYTES,
        }
  const prices = options.pricesFile ? await loadUserPrices(options.pricesFile) : undefined
  const taskResults = options.taskResultsFile ? await loadTaskResults(options.taskResultsFile) : undefined
  const mapping = options.mappingFile ? (await loadMapping(options.mappingFile)).source : undefined

  // Output paths are checked before the work, so a typo does not cost a whole run.
  const outDir = options.outDir ? prepareOutputDir(options.outDir, '--out') : undefined
  if (outDir)
    refuseLinksIn(
      outDir,
      options.outFormat === 'parquet' ? [CARDS_PARQUET, STEPS_PARQUET] : [CARDS_FILE, INDEX_FILE],
      '--out',
    )
  const inputs = options.paths.length ? options.paths : defaultTracePaths(options.home, options.env)
  const reportGuard = {
    // (The files the flags read are inputs too: a report over --prices FILE would lose the prices.)
    inputs: [
      ...inputs,
      ...[options.pricesFile, options.mappingFile, options.taskResultsFile].filter(f => f !== undefined),
    ],
    force: options.force,
    // (A YAML file may be an HTTP cassette, which a walk reads when its first bytes say so.)
    readsName: (name: string) => isTraceLikeName(name) || /\.ya?ml$/i.test(name),
  }
  const reportFile = options.reportFile
    ? prepareOutputFile(guardOutputFile(options.reportFile, '--report', reportGuard), '--report')
    : undefined
  if (reportFile) guardReportCharts(reportFile, reportGuard)
  // The report would replace the cards (or be replaced by them), and both would say they were written.
  if (outDir && reportFile) {
    const outputs = options.outFormat === 'parquet' ? [CARDS_PARQUET, STEPS_PARQUET] : [CARDS_FILE, INDEX_FILE]
    const clash = outputs.find(name => sameFile(join(outDir, name), reportFile))
    if (clash)
      throw new AcoError(
        'usage',
        `--report ${options.reportFile} is the ${clash} that --out ${options.outDir} writes.`,
        'Give --report a file of its own (report.md).',
      )
  }
  let cards: CardsWriter | undefined
  try {
    cards = !outDir
      ? undefined
      : options.outFormat === 'parquet'
        ? (await import('../analyze/parquet-writer.js')).openParquetWriter(outDir, {redact: options.redact})
        : openCardsWriter(outDir, {redact: options.redact})
  } catch (error) {
    // (A folder that takes no new file, such as /proc: said before any work, as a usage error.)
    if (error instanceof AcoError) throw error
    throw new AcoError(
      'usage',
      `Cannot write into --out ${options.outDir}: ${describeFsError(error)}.`,
      'Give --out a folder you can write to.',
    )
  }
  const expensive = reportFile ? new CostliestCards(REPORT_TRACES) : undefined
  // An output that fails while it is written (a disk that fills) loses only itself: the analysis goes on, its result is
  // shown, and the output is named with why (trial 107: the whole result was an internal error, exit 1).
  const notWritten: NonNullable<AnalyzeResult['notWritten']> = []
  const cardsFailed = (error: unknown): void => {
    cards?.abort()
    cards = undefined
    removeEmptyMadeFolders()
    notWritten.push({
      output: '--out',
      path: options.outDir!,
      reason: `Cannot write --out ${options.outDir}: ${error instanceof AcoError ? error.message : describeFsError(error)}; the folder keeps what it held.`,
    })
  }
  let run: Awaited<ReturnType<typeof analyze>>
  try {
    run = await analyze({
      paths: options.paths,
      format: options.format,
      mapping,
      prices,
      taskResults: taskResults?.results,
      threads: options.threads,
      redact: options.redact,
      home: options.home,
      env: options.env,
      onCards:
        cards || expensive
          ? found => {
              try {
                cards?.write(found)
              } catch (error) {
                cardsFailed(error)
              }
              expensive?.add(found)
            }
          : undefined,
      onProgress: options.onProgress,
      window,
      groupBy: options.by ? {by: options.by, timeZone} : undefined,
      shard,
      cache,
    })
  } catch (error) {
    cards?.abort()
    throw error
  }
  try {
    cards?.commit()
  } catch (error) {
    cardsFailed(error)
  }

  // Logs kept packed beside the others (last month's gzipped): passed over for their names, and said so, not only
  // counted (trial 84).
  if (run.packed)
    notes.push(
      `${run.packed === 1 ? '1 compressed or archived file was' : `${run.packed} compressed or archived files were`} passed over (.gz, .zst, .bz2, .xz, .zip, .tar): unpack ${run.packed === 1 ? 'it' : 'them'} (gunzip, unzstd, bunzip2, unxz, unzip, tar -x) and aco reads the traces inside`,
    )
  // A --prices entry that prices none of the run's models: a name spelt otherwise than the traces spell it, most often
  // (trial 116: the model stayed unpriced, and nothing said the entry had gone unused).
  // (Not in a shard: another shard's traces may use the entry, and the merged result is the single run's.)
  if (prices?.length && !shard && run.summary.totals.llmCalls > 0) {
    const unused = unusedPrices(prices, run.summary.byModel)
    if (unused.length) {
      const unpriced = run.summary.byModel.filter(m => m.unpricedCalls > 0).map(m => m.model)
      notes.push(
        `--prices ${options.pricesFile}: ${unused.length === 1 ? 'an entry prices' : `${unused.length} entries price`} no call of these traces (${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ', …' : ''})${unpriced.length ? `; the models still unpriced are named ${unpriced.slice(0, 5).join(', ')}${unpriced.length > 5 ? ', …' : ''}: give the model as the traces name it` : ''}`,
      )
    }
  }
  // Bad lines of the task results file are input skipped like any other.
  const resultsPath = options.taskResultsFile ? resolve(options.taskResultsFile) : ''
  const firstShard = !shard || shard.index === 1
  for (const p of firstShard ? (taskResults?.problems ?? []) : [])
    run.summary.skipped.push({path: resultsPath, ...(p.line ? {line: p.line} : {}), reason: p.reason})
  // Everything returned is redacted: titles, reasons, warnings, paths (--no-redact shows them as they are).
  const result = options.redact ? redactValue(toResult(run)) : toResult(run)
  // (The block in use now: marked after the run's result is kept, which holds no time of its own.)
  markActiveBlock(result.groups, options.now().getTime())
  if (shard) {
    // What shapes the figures beyond the flags the result records itself (--by, --tz, the window): the paths named, in
    // their order (which decides the parts), every file they hold as found, and aco's own code and price catalog.
    const parts: Record<keyof typeof SETTINGS_PARTS, unknown> = {
      paths: inputs.map(p => resolve(p)),
      files: run.inputs ?? null,
      build: codeFingerprint(options.version),
      format: options.format ?? null,
      mapping: mapping ?? null,
      prices: prices ?? null,
      taskResults: taskResults
        ? [...taskResults.results].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        : null,
      redaction: options.redact,
    }
    const settings = hashText(JSON.stringify(Object.values(parts)))
    const settingsParts = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, hashText(JSON.stringify(v))]))
    result.shard = {
      ...shard,
      tail: run.tail ?? {traces: 0, warnings: 0},
      settings,
      settingsParts,
      ...(needsZone ? {timeZone} : {}),
    }
  }
  if (cards) result.written = {cards: cards.path}
  // The other format's cards of an earlier run, left in the same folder: what `aco review` and `aco route --cards` of
  // the folder would read is not what this run wrote (trial 72). Said, not removed: they are a run's output.
  if (outDir) {
    const other = options.outFormat === 'parquet' ? [CARDS_FILE, INDEX_FILE] : [CARDS_PARQUET, STEPS_PARQUET]
    const left = other.filter(name => existsSync(join(outDir, name)))
    if (left.length)
      notes.push(
        `${options.outDir} also holds ${left.join(' and ')} of an earlier run (--out-format ${options.outFormat === 'parquet' ? 'ndjson' : 'parquet'}): ${options.outFormat === 'parquet' ? 'aco review and aco route --cards of the folder read those, not the Parquet files written now' : 'they are not the cards written now'}; remove them, or give --out a folder of its own`,
      )
  }
  if (reportFile && expensive) {
    // The report's renderer (and the detectors' descriptions it lists) loads only when a report is asked for.
    const {renderMarkdownReport} = await import('../report/markdown.js')
    const report = renderMarkdownReport(result, expensive.cards(), {
      assetsDir: assetsDirName(reportFile),
      generatedAt: options.now().toISOString(),
      version: options.version,
      // (The charts' titles are trace titles too: redacted as text, before they are SVG.)
      redact: options.redact,
    })
    try {
      await writeReport(
        reportFile,
        options.redact ? redactText(report.markdown) : report.markdown,
        report.assets,
        reportGuard,
      )
      result.written = {...result.written, report: reportFile}
    } catch (error) {
      // (Refused before writing, a link planted where a chart goes: a usage error, as ever.)
      if (!(error instanceof ReportNotWritten)) throw error
      notWritten.push({output: '--report', path: reportFile, reason: error.message})
    }
  }
  if (notWritten.length) result.notWritten = notWritten
  // Trimmed after every run not taken whole from the run before, which may have added a file's entry or its own result
  // (trial 108: twelve windows over unchanged logs, each kept, had grown it past its bound untrimmed).
  if (cache && run.cache && !run.cache.whole) await trimCache(cache.dir, cache.maxBytes)
  const refused = cache ? takeCacheWriteProblem() : undefined
  if (cache && refused)
    notes.push(
      `the cache ${cache.dir} could not be written (${refused}): the results it could not keep are read again on the next run; give XDG_CACHE_HOME a folder you can write, or --no-cache`,
    )
  return {
    result,
    internalErrors: run.internalErrors,
    ...(cache && run.cache ? {cache: {...run.cache, dir: cache.dir}} : {}),
    ...(needsZone ? {timeZone} : {}),
    ...(notes.length ? {notes} : {}),
  }
}

/** The `--prices` entries no model of the run resolves to (each named by its model). */
function unusedPrices(prices: readonly UserPrice[], models: ReadonlyArray<{model: string}>): string[] {
  // (Each entry alone: where it and the catalog both price a model, the model resolves to the catalog's id.)
  const names = new Set<string>()
  for (const entry of prices) {
    const book = new PriceBook([entry])
    const used = models.some(({model}) => {
      const r = book.resolve(model)
      return isPriced(r) && r.fromUserFile
    })
    if (!used) names.add(entry.model)
  }
  return [...names]
}

/** A TZ that means UTC itself (`UTC`, `Etc/GMT`, a POSIX `UTC0`, a zone file of UTC): no note for it. */
const UTC_TZ =
  /^(?:(?:.*\/zoneinfo\/)?(?:etc\/)?(?:utc|gmt|uct|z|zulu|universal|greenwich)(?:[+-]?0+(?::?0+)?)?|\/etc\/localtime)$/i
