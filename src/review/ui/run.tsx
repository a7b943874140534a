/**
 * Runs the review in the terminal (the caller has opened the screen, see
 * ../screen.ts): decisions saved as they are made,
 * and the final state handed back once the person quits (q, Ctrl-C, or a
 * SIGTERM/SIGHUP, after which the last decisions are still written).
 * Loaded with `await import()` by the command, so nothing else loads React.
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {render} from 'ink'
import type {TraceCard} from '../../card/types.js'
import {AcoError} from '../../errors.js'
import {holdSignalExit, writeFileAtomic} from '../../util/atomic.js'
import {describeFsError} from '../../util/fs-errors.js'
import {type DecisionWriter, serialiseDecisions} from '../decisions-file.js'
import type {DecisionsFile} from '../decisions.js'
import {decisionsDocument, worthSaving} from '../state/saved.js'
import type {ReviewState} from '../state/types.js'
import {ReviewApp} from './app.js'

export interface RunReviewOptions {
  initial: ReviewState
  load: (rootId: string) => TraceCard
  color: boolean
  writer: DecisionWriter
  source: DecisionsFile['source']
  /** Whether the decisions file existed when the review opened (then it is kept current even with no decisions). */
  fileExisted: boolean
  stdout?: NodeJS.WriteStream
  stdin?: NodeJS.ReadStream
}

/** What a write to a terminal that hung up fails with. */
const HUNG_UP = new Set(['EIO', 'EPIPE', 'ENXIO'])

export async function runReview(options: RunReviewOptions): Promise<ReviewState> {
  const stdout = options.stdout ?? process.stdout
  quietCursorRestore()
  let last = options.initial
  let existed = options.fileExisted
  const save = (state: ReviewState): void => {
    if (state.decisions.size === 0 && !existed) return
    existed = true
    options.writer.save(decisionsDocument(state, options.source, new Date().toISOString()))
  }
  // The terminal gone (closed, an ssh session lost): nothing can be drawn on it or restored, and every write to it
  // fails at once (trial 101: Ink, unmounting on SIGHUP before anything else, threw EIO; then Node crashed resetting
  // the terminal on its way out, SIGSEGV, 46 KB on stderr). Writes then go nowhere; the decisions are saved (to the temp
  // folder if the file cannot take them), and the process ends by the signal, as a program whose terminal hangs up does.
  let gone = false
  /** The error the review ends with when its last decisions could not be saved (see `unsaved`). */
  const notSaved = (error: unknown): Promise<AcoError> =>
    unsaved(options.writer.path, decisionsDocument(last, options.source, new Date().toISOString()), error)
  const hangUp = (): void => {
    if (gone) return
    gone = true
    const ignore = (): void => {}
    stdout.on('error', ignore)
    input.on('error', ignore)
    save(last)
    void options.writer
      .flush()
      .catch(notSaved)
      .finally(() => {
        process.removeAllListeners('SIGHUP')
        process.kill(process.pid, 'SIGHUP')
      })
  }
  // (A failed write is said on the stream, after the call: as an 'error' event, which unheard ends the process.)
  const onWriteError = (error: NodeJS.ErrnoException): void => {
    if (!HUNG_UP.has(error.code ?? '')) throw error
    hangUp()
  }
  stdout.on('error', onWriteError)
  const write = stdout.write
  stdout.write = function (this: NodeJS.WriteStream, ...args: unknown[]): boolean {
    if (gone) return true
    try {
      return (write as (...a: unknown[]) => boolean).apply(this, args)
    } catch (error) {
      if (!HUNG_UP.has((error as NodeJS.ErrnoException).code ?? '')) throw error
      hangUp()
      return true
    }
  } as typeof stdout.write
  // (Heard before Ink's own handlers, which unmount on the signal or on the input's end, writing their last frame. A
  // terminal's input ends only when it hangs up: that comes first, before the signal.)
  // (`on`, not `once`: a listener of ours must still be there when Ink's signal-exit handler runs, or it ends the
  // process itself at once, before the decisions are saved and their lock let go; review 102.)
  process.on('SIGHUP', hangUp)
  const input = options.stdin ?? process.stdin
  input.once('end', hangUp)
  const onChange = (next: ReviewState, prev: ReviewState): void => {
    last = next
    if (worthSaving(prev, next)) save(next)
  }

  let show: ((text: string) => void) | undefined
  options.writer.onError = error =>
    show?.(
      `decisions not saved (${describeFsError(error)}): kept in this review, saved with the next decision or when you quit`,
    )
  options.writer.onNotice = message => show?.(message)
  const notifier = (fn: (text: string) => void): void => {
    show = fn
  }

  const app = render(
    <ReviewApp
      initial={options.initial}
      load={options.load}
      color={options.color}
      onChange={onChange}
      notifier={notifier}
    />,
    {
      stdout,
      stdin: options.stdin ?? process.stdin,
      exitOnCtrlC: true,
      patchConsole: true,
    },
  )
  // SIGTERM and SIGINT end the app the way q does (the last cursor is saved, the screen restored, the counts printed),
  // with the signal's exit code; nothing else ends the process first (see holdSignalExit).
  const release = holdSignalExit()
  const onTerm = (): void => {
    process.exitCode = 143
    app.unmount()
  }
  const onInt = (): void => {
    process.exitCode = 130
    app.unmount()
  }
  process.once('SIGTERM', onTerm)
  process.once('SIGINT', onInt)
  try {
    await app.waitUntilExit()
  } finally {
    process.off('SIGTERM', onTerm)
    process.off('SIGINT', onInt)
    release()
    save(last)
    // A hang-up is still heard while the last save waits (its lock held by aco label: review 104, where the terminal
    // went away then and the screen's restoring wrote to it, SIGSEGV again); then the signal ends the process once the
    // decisions are saved, and nothing more is written.
    let failure: unknown
    try {
      await options.writer.flush()
    } catch (error) {
      failure = error
    }
    if (gone) await new Promise(() => {})
    process.off('SIGHUP', hangUp)
    input.off('end', hangUp)
    stdout.write = write
    stdout.off('error', onWriteError)
    if (failure !== undefined)
      // biome-ignore lint/correctness/noUnsafeFinally: the decisions not saved are the error the review ends with.
      throw await notSaved(failure)
  }
  return last
}

/**
 * The error a review ends with when its decisions could not be saved (the folder made read-only while it was open): the
 * decisions are written to the system's temp folder instead, named, or printed whole on stderr when even that fails.
 * Nothing decided is lost (trial 88: they were, with a bare EACCES and exit 1).
 */
export async function unsaved(path: string, file: DecisionsFile, error: unknown): Promise<AcoError> {
  const why = `Could not save the decisions to ${path}: ${describeFsError(error)}.`
  const n = `${file.decisions.length} decision${file.decisions.length === 1 ? '' : 's'}`
  try {
    // (In a folder of its own, made afresh: no name another user could have planted a link at, review 91.)
    const aside = join(mkdtempSync(join(tmpdir(), 'aco-decisions-unsaved-')), 'decisions.json')
    await writeFileAtomic(aside, serialiseDecisions(file), {mode: 0o600, own: true})
    return new AcoError(
      'usage',
      `${why} The review's ${n} are kept in ${aside}.`,
      `Copy it over the decisions file once it can be written (cp ${aside} ${path}), or pass it as --decisions.`,
    )
  } catch {
    process.stderr.write(serialiseDecisions(file))
    return new AcoError(
      'usage',
      `${why} Nor could they be kept in ${tmpdir()}: the review's ${n} are printed above, as the file's JSON.`,
      'Save that JSON to a file and pass it as --decisions.',
    )
  }
}

/** What cli-cursor's exit hook writes to stderr to show the cursor again. */
const SHOW_CURSOR = '\u001B[?25h'

/**
 * Ink hides the cursor through cli-cursor, whose exit hook then shows it on stderr whatever stderr is: into a
 * redirected stderr (`aco review … 2> log`) that wrote an escape code. The review shows the cursor itself on quit
 * (`closeScreen`), so that one write is dropped when stderr is no terminal.
 */
function quietCursorRestore(): void {
  const stderr = process.stderr
  if (stderr.isTTY) return
  const write = stderr.write
  stderr.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (chunk === SHOW_CURSOR) return true
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
  } as typeof stderr.write
}
