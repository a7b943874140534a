/**
 * Writing `--report`: the Markdown file and its charts, each written
 * atomically; and the small keeper of the costliest traces the report charts,
 * so analyze need not hold every card.
 */
import {lstatSync, rmSync, type Stats, statSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {rollupTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {AcoError} from '../errors.js'
import {removeAbandonedTemps, removeEmptyMadeFolders, type StagedFile, stageFileAtomic} from '../util/atomic.js'
import {describeFsError} from '../util/fs-errors.js'
import {guardOutputFile, type OutputGuard, refuseLinksIn} from '../util/output-paths.js'

/** How many of the costliest traces the report charts. */
export const REPORT_TRACES = 5

/** `report.md` → `report-assets`. */
export function assetsDirName(reportPath: string): string {
  return `${basename(reportPath).replace(/\.(md|markdown)$/i, '')}-assets`
}

/** The chart of the `i`th costliest trace (from 0), and of the cost over time: the files the assets folder gets. */
export const traceChartName = (i: number): string => `trace-${i + 1}.svg`
export const COST_OVER_TIME_CHART = 'cost-over-time.svg'

/**
 * Checks, before any work, the folder the report's charts go in (`report-assets/` beside it) and every chart file a
 * report may write there: the folder is a folder (or is made), and no chart's name is a symbolic link or anything but
 * a regular file (writing it would replace what the link points to: a trace, a device), nor a file the run may not
 * replace (an input, or inside an input folder unless forced: `guard`).
 */
export function guardReportCharts(reportFile: string, guard: OutputGuard): void {
  const dir = join(dirname(reportFile), assetsDirName(reportFile))
  const refuse = (why: string): never => {
    throw new AcoError(
      'usage',
      `Cannot write --report ${reportFile}: its charts go in ${dir}, ${why}.`,
      `Remove ${dir}, or give --report another file name.`,
    )
  }
  let entry: Stats | undefined
  try {
    entry = lstatSync(dir)
  } catch (error) {
    if ((error as {code?: string}).code !== 'ENOENT') refuse('which cannot be read')
  }
  if (entry?.isSymbolicLink())
    try {
      entry = statSync(dir)
    } catch (error) {
      refuse((error as {code?: string}).code === 'ELOOP' ? 'a loop of symbolic links' : 'a symbolic link to nothing')
    }
  if (entry && !entry.isDirectory()) refuse('which is not a folder')
  const names = chartNames()
  refuseLinksIn(dir, names, '--report')
  for (const name of names) guardOutputFile(join(dir, name), '--report', guard)
}

/** The system refused a report's file or a chart of it while they were written (a disk that filled, `/proc`). */
export class ReportNotWritten extends AcoError {
  constructor(message: string, hint: string) {
    super('usage', message, hint)
  }
}

export async function writeReport(
  path: string,
  markdown: string,
  assets: ReadonlyArray<{name: string; content: string}>,
  guard?: OutputGuard,
): Promise<void> {
  const dir = join(dirname(path), assetsDirName(path))
  // Checked again just before (a link or a folder planted while the run went on is refused), and each chart written at
  // its name, never through a link planted after that.
  // (Also where it draws none: it takes away an earlier report's charts there, below; review 86.)
  if (guard) guardReportCharts(path, guard)
  // (What a killed run's writes left: trial 127.)
  removeAbandonedTemps(dirname(path), [basename(path)])
  removeAbandonedTemps(
    dir,
    assets.map(a => a.name),
  )
  // Every chart and the report written and flushed first, then renamed into place one after another with nothing
  // between them a signal could stop: a disk that fills, or a run stopped while they are written, leaves the earlier
  // report and its charts as they were, and a report written for the first time none of its charts (trial 107: a chart
  // alone in the folder it made); trial 127 had found the earlier report beside new charts.
  // (A folder the checks let pass and the system then refuses, `/proc`: exit 2 with the reason, not an errno.)
  const staged: StagedFile[] = []
  const stage = (file: string, content: string, own: boolean): void => {
    try {
      staged.push(stageFileAtomic(file, content, own ? {own: true} : undefined))
    } catch (error) {
      for (const s of staged) s.abort()
      removeEmptyMadeFolders()
      if (error instanceof AcoError) throw error
      throw new ReportNotWritten(
        `Cannot write --report ${path}: ${file === path ? 'the report' : `its chart ${file}`}: ${describeFsError(error)}.`,
        'Give --report a file in a folder you can write to.',
      )
    }
  }
  for (const asset of assets) stage(join(dir, asset.name), asset.content, true)
  stage(path, markdown, false)
  try {
    for (const file of staged) file.commit()
  } catch (error) {
    // (A rename the system refuses after every write went through: what is left is said, not an errno.)
    for (const s of staged) s.abort()
    throw new ReportNotWritten(
      `Cannot write --report ${path}: ${describeFsError(error)}; some of its charts may be the new ones.`,
      'Run it again.',
    )
  }
  // The charts of the report this one replaced that it does not draw again (fewer traces, no `--by`) go with it: left,
  // they would be published beside a report that never shows them (trial 84).
  const drawn = new Set(assets.map(a => a.name))
  for (const name of chartNames()) if (!drawn.has(name)) removeOwnChart(join(dir, name))
}

/** Every chart a report may draw in its assets folder (see `guardReportCharts`). */
function chartNames(): string[] {
  return [...Array.from({length: REPORT_TRACES}, (_, i) => traceChartName(i)), COST_OVER_TIME_CHART]
}

/** Removes a chart an earlier report drew, if it is one: a regular file (never what a link there points to). */
function removeOwnChart(file: string): void {
  try {
    if (lstatSync(file).isFile()) rmSync(file)
  } catch {
    // not there, or not ours to remove: left as it is
  }
}

/** Keeps the `size` costliest top-level cards seen (cost including subagents). */
export class CostliestCards {
  private kept: Array<{cost: number; card: TraceCard}> = []

  constructor(private readonly size: number) {}

  add(cards: readonly TraceCard[]): void {
    for (const card of cards) {
      if (card.parent?.traceId) continue
      const cost = rollupTotals(card).costUsd
      if (this.kept.length < this.size || cost > this.kept[this.kept.length - 1]!.cost) {
        this.kept.push({cost, card})
        this.kept.sort((a, b) => b.cost - a.cost)
        if (this.kept.length > this.size) this.kept.pop()
      }
    }
  }

  cards(): TraceCard[] {
    return this.kept.map(k => k.card)
  }
}
