/**
 * `aco review` as a service: refuses a terminal that cannot hold the
 * review, opens the cards (or analyses the traces first), resumes where the
 * decisions file left off, paints the first frame while Ink loads, runs the
 * review, and hands back what was decided. The command parses its flags,
 * calls `startReview`, and prints the summary.
 */
import {existsSync} from 'node:fs'
import {basename, isAbsolute, relative, resolve} from 'node:path'
import type {TraceCard} from '../card/types.js'
import type {Skipped} from '../read/file-report.js'
import {safeLine} from '../util/control.js'
import {cutAtWord} from '../util/text.js'
import {AcoError} from '../errors.js'
import {guardOutputFile, refuseFolderName} from '../util/output-paths.js'
import {checkWritable, decisionsOnDisk, DecisionWriter, readDecisions} from './decisions-file.js'
import {countDecisions, type DecisionCounts, type DecisionsFile} from './decisions.js'
import {answerEarlyKeys} from './early.js'
import {frameLines} from './lines/frame.js'
import {openReview, type OpenReviewOptions} from './open.js'
import {smallScreen} from './state/navigate.js'
import {closeScreen, openScreen} from './screen.js'
import {initialState} from './state/reduce.js'
import type {ReviewState} from './state/types.js'
import {cardsPaths, isCardsInput, type CardSource} from './source.js'

/** A progress bar (cli/terminal's): told how far opening has gone, stopped before the review paints. */
interface Progress {
  update(done: number, total: number, detail?: string): void
  stop(): void
}

export interface StartReviewOptions {
  /** A cards file or folder, or trace files and folders (none: the agents' default log folders). */
  paths: string[]
  /** The decisions file, as given (relative to `cwd`). */
  decisions: string
  /** The decisions file is `--decisions`' default, not a path the person typed. */
  decisionsDefaulted?: boolean
  /** `--force`: keep the decisions file inside a folder being reviewed all the same. */
  force?: boolean
  /** Folder for derived files (see OpenReviewOptions). */
  cacheDir?: string
  /** aco's version, for the per-file cache of analysed traces (see OpenReviewOptions). */
  version?: string
  cwd: string
  home: string
  env: Record<string, string | undefined>
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WriteStream
  /** stdin and stdout are terminals and this is not CI (cli/terminal's `terminalInfo().interactive`, decided once by the command). */
  interactive: boolean
  color: boolean
  progress?: Progress
}

export interface ReviewOutcome {
  /** The decisions file as the review showed it (`./name` under the working folder). */
  decisionsPath: string
  /** Whether the decisions file exists now (written from the first decision on, or kept current when it existed). */
  saved: boolean
  counts: DecisionCounts
  /** What analysing the traces skipped, said when the review ends (as aco analyze says it). */
  skipped: Skipped[]
  /** What saving did beside saving (a file that was no decisions file, kept aside), said again when the review ends. */
  notices?: readonly string[]
}

function noTerminal(): AcoError {
  return new AcoError(
    'usage',
    'aco review needs an interactive terminal (stdin and stdout a TTY, not CI).',
    'Without one: aco analyze --json for the figures, and aco label --decisions FILE to list decisions or make them (--accept, --reject, --set, --accept-flags).',
  )
}

/** Runs the review to its end (q, Ctrl-C, a signal); decisions are saved as they are made. */
export async function startReview(options: StartReviewOptions): Promise<ReviewOutcome> {
  const {stdin, stdout, cwd} = options
  // A decisions file that would replace an input (or land among the traces) is refused before anything else.
  // Cards are an input by their files (decisions beside them are at home); trace folders whole.
  const inputs = options.paths.length
    ? options.paths.map(p => resolve(cwd, p)).flatMap(p => (isCardsInput(p) ? Object.values(cardsPaths(p)) : [p]))
    : (await import('../analyze/analyze.js')).defaultTracePaths(options.home, options.env)
  // (Before the path is resolved, which drops a trailing `/`: `--decisions decdir/` had written a file `decdir`.)
  refuseFolderName(options.decisions, '--decisions')
  const decisionsPath = guardOutputFile(resolve(cwd, options.decisions), '--decisions', {
    inputs,
    force: options.force,
    defaulted: options.decisionsDefaulted === true,
  })
  if (!options.interactive) throw noTerminal()
  checkWritable(decisionsPath)
  const file = await readDecisions(decisionsPath)
  const opened = await open(options)
  const {source} = opened
  try {
    const shown = relative(cwd, decisionsPath)
    const display = shown && !shown.startsWith('..') && !isAbsolute(shown) ? `./${shown}` : decisionsPath
    const screen = {columns: stdout.columns || 80, rows: stdout.rows || 24}
    const resumedAt = resumed(source, file, display, screen, opened.skipped.length)
    // (Said when the terminal is smaller than the review fits in, as on a resize.)
    const initial = {...resumedAt, ...smallScreen(resumedAt, screen)}
    const writer = new DecisionWriter(decisionsPath, undefined, undefined, file)
    const terminal = {stdout, stdin}
    let current = initial
    // The first frame is painted now, and answers keys (early.ts); Ink takes over the same frame when it has loaded.
    openScreen(terminal, frameLines(initial), options.color)
    const early = answerEarlyKeys(terminal, initial, {color: options.color, load: id => source.load(id)})
    // Keys typed before the first frame are read and answered first: loading Ink and React (only now: --help and
    // the refusals above never do) holds the keyboard while their code compiles.
    await new Promise(resolve => setTimeout(resolve, 20))
    const ui = import('./ui/run.js')
    let final: ReviewState
    try {
      const {runReview} = await ui.finally(() => {
        current = early.stop()
      })
      final = await runReview({
        initial: current,
        load: id => source.load(id),
        color: options.color,
        writer,
        source: {cards: source.cardsPath, ...(opened.inputs ? {inputs: opened.inputs} : {})},
        fileExisted: file !== undefined,
        stdout,
        stdin,
      })
    } finally {
      closeScreen(terminal)
    }
    // (What the file holds now: another review or an aco label run may have added decisions beside this one's.)
    const onDisk = decisionsOnDisk(decisionsPath)
    return {
      decisionsPath: display,
      saved: existsSync(decisionsPath),
      counts: countDecisions(onDisk ? onDisk.decisions : final.decisions.values()),
      skipped: opened.skipped,
      notices: writer.notices,
    }
  } finally {
    source.close()
  }
}

async function open(options: StartReviewOptions): ReturnType<typeof openReview> {
  const progress = options.progress
  const onProgress: OpenReviewOptions['onProgress'] = (stage, done, total) => progress?.update(done, total, stage)
  try {
    return await openReview({
      paths: options.paths,
      cwd: options.cwd,
      home: options.home,
      env: options.env,
      cacheDir: options.cacheDir ? resolve(options.cwd, options.cacheDir) : undefined,
      ...(options.version !== undefined ? {version: options.version} : {}),
      onProgress,
    })
  } finally {
    progress?.stop()
  }
}

/** The state the review opens in: inside the trace and step the decisions file's cursor was on, when it still can. */
function resumed(
  source: CardSource,
  file: DecisionsFile | undefined,
  decisionsPath: string,
  screen: ReviewState['screen'],
  problems = 0,
): ReviewState {
  let card: TraceCard | undefined
  const resumeId = file?.cursor?.view !== 'traces' ? file?.cursor?.rootTraceId : undefined
  if (resumeId && source.rows.some(r => r.id === resumeId)) {
    try {
      card = source.load(resumeId)
    } catch {
      // A card that cannot be read now: the review opens on the list, and says so when the trace is opened.
      card = undefined
    }
  }
  const initial = initialState({rows: source.rows, screen, decisionsPath, file, card})
  const skipped = source.skippedLines
  if (skipped > 0 && !initial.message) {
    // (Said, or the list's totals would be smaller than the cards' with nothing to tell why.)
    return {
      ...initial,
      message: {
        text: `${skipped} line${skipped === 1 ? '' : 's'} of ${basename(source.cardsPath)} ${skipped === 1 ? 'is' : 'are'} no card (cut short or edited): left out of the list and its totals; aco label --cards names ${skipped === 1 ? 'it' : 'them'}`,
        tone: 'warn',
      },
    }
  }
  if (problems > 0 && !initial.message) {
    // (Said, as aco analyze says it: the list's totals leave out what could not be read.)
    return {
      ...initial,
      message: {
        text: `${problems} problem${problems === 1 ? '' : 's'} in the traces skipped (the rest was read): listed when the review ends`,
        tone: 'warn',
      },
    }
  }
  if (file && file.source.cards !== source.cardsPath && !initial.message) {
    return {
      ...initial,
      message: {text: `these decisions were made on ${file.source.cards}; matched by trace and step id`, tone: 'info'},
    }
  }
  return initial
}

/** What the review says on stderr when it ends: what the decisions file holds, and how to list it. */
export function summaryLines(outcome: ReviewOutcome): string[] {
  const skipped = [...skippedLines(outcome.skipped), ...(outcome.notices ?? []).map(safeLine)]
  if (!outcome.saved) return skipped
  const c = outcome.counts
  return [
    ...skipped,
    `${c.decisions} decision${c.decisions === 1 ? '' : 's'} (${c.prune.accept} accepted, ${c.prune.reject} rejected, ${c.decisions - c.prune.accept - c.prune.reject} labelled only) in ${outcome.decisionsPath}`,
    `list them: aco label --decisions ${outcome.decisionsPath}`,
  ]
}

/** What analysing the traces skipped, one problem a line (file and line, and why), as aco analyze lists it. */
function skippedLines(skipped: readonly Skipped[]): string[] {
  if (!skipped.length) return []
  const shown = skipped.slice(0, MAX_SKIPPED_SAID)
  return [
    `Skipped (${skipped.length} problem${skipped.length === 1 ? '' : 's'}; the rest was read):`,
    ...shown.map(s => `  ${safeLine(`${s.path}${s.line ? `:${s.line}` : ''}  ${shortReason(s.reason)}`)}`),
    ...(skipped.length > shown.length
      ? [`  … ${skipped.length - shown.length} more: aco analyze --json lists them all`]
      : []),
  ]
}

/**
 * A reason as one line of a terminal's few: an unknown format's list of every format aco looked for runs to 4 KB, which
 * `aco analyze --json` keeps whole (trial 72).
 */
function shortReason(reason: string): string {
  return reason.length > MAX_REASON ? `${cutAtWord(reason, MAX_REASON)} (aco analyze --json has it whole)` : reason
}

const MAX_REASON = 240

/** Problems said one a line when the review ends, at most. */
const MAX_SKIPPED_SAID = 10
