import {Args, Flags} from '@oclif/core'
import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import type {TraceCard} from '../card/types.js'
import {AcoCommand} from '../cli/base.js'
import {progressBar, terminalInfo} from '../cli/terminal.js'
import {AcoError} from '../errors.js'
import {DecisionWriter, readDecisions} from '../review/decisions-file.js'
import {countDecisions} from '../review/decisions.js'
import {openReview} from '../review/open.js'
import {frameLines} from '../review/lines.js'
import {closeScreen, openScreen} from '../review/screen.js'
import {initialState} from '../review/state.js'

/** CI as Ink sees it (is-in-ci) or as aco does: either way, no interactive UI. */
function inCi(env: Record<string, string | undefined>): boolean {
  const set = (key: string): boolean => key in env && env[key] !== '0' && env[key] !== 'false'
  return set('CI') || set('CONTINUOUS_INTEGRATION')
}

/** Decisions are saved as they are made: a file that cannot be written is found out now, not after the first decision. */
function checkWritable(path: string): void {
  let target = path
  while (!existsSync(target) && dirname(target) !== target) target = dirname(target)
  const problem = (): string | undefined => {
    const isDir = statSync(target).isDirectory()
    if (target === path && isDir) return 'it is a folder'
    if (target !== path && !isDir) return `${target} is not a folder`
    try {
      accessSync(target, constants.W_OK)
    } catch {
      return `${target} is not writable`
    }
    return undefined
  }
  const why = problem()
  if (why)
    throw new AcoError(
      'usage',
      `Cannot write the decisions file ${path}: ${why}.`,
      'Pass --decisions FILE in a folder you can write to.',
    )
}

export default class Review extends AcoCommand {
  static override summary =
    'Review where the money went, step by step, and decide what to prune and how to label steps.'

  static override description =
    `Opens an interactive review in the terminal: the traces sorted by cost (or waste, or date), a trace's steps as a timeline with cost bars and flags, a step's arguments, result, cost and the evidence behind its flag. Accept or reject each prune suggestion, label steps (fine, needs a stronger model, a cheaper model would do, wasted), undo.

Decisions are saved to the decisions file (schemas/decisions.schema.json) as they are made, so quitting, Ctrl-C or a crash loses nothing, and opening it again resumes where you left off. aco label and aco patch read it.

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
      default: 'aco-decisions.json',
      helpValue: 'FILE',
    }),
    'cache-dir': Flags.string({
      description:
        'where derived files go (an index rebuilt, traces analysed); default: a folder in the system temp folder',
      helpValue: 'DIR',
    }),
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Review)
    const term = terminalInfo()
    if (!term.interactive || inCi(process.env)) {
      throw new AcoError(
        'usage',
        'aco review needs an interactive terminal (stdin and stdout a TTY, not CI).',
        'Without one: aco analyze --json for the figures, and aco label --decisions FILE to list decisions or make them (--accept, --reject, --set, --accept-flags).',
      )
    }
    // Only now load React and Ink (--help and the refusal above never do); the import runs while the cards are opened.
    const ui = import('../review/ui/run.js')
    ui.catch(() => {})
    const cwd = process.cwd()
    const decisionsPath = resolve(flags.decisions)
    checkWritable(decisionsPath)
    const file = await readDecisions(decisionsPath)
    const progress = progressBar(term.stderrTty, 'opening')
    let opened: Awaited<ReturnType<typeof openReview>>
    try {
      opened = await openReview({
        paths: argv as string[],
        cwd,
        home: homedir(),
        env: process.env,
        cacheDir: flags['cache-dir'] ? resolve(flags['cache-dir']) : undefined,
        onProgress: (stage, done, total) => progress.update(done, total, stage),
      })
    } finally {
      progress.stop()
    }
    const {source} = opened
    try {
      let card: TraceCard | undefined
      const resumeId = file?.cursor?.view !== 'traces' ? file?.cursor?.rootTraceId : undefined
      if (resumeId && source.rows.some(r => r.id === resumeId)) {
        try {
          card = source.load(resumeId)
        } catch {
          card = undefined
        }
      }
      const shown = relative(cwd, decisionsPath)
      const display = shown && !shown.startsWith('..') && !isAbsolute(shown) ? `./${shown}` : decisionsPath
      let initial = initialState({
        rows: source.rows,
        screen: {columns: process.stdout.columns || 80, rows: process.stdout.rows || 24},
        decisionsPath: display,
        file,
        card,
      })
      if (file && file.source.cards !== source.cardsPath && !initial.message) {
        initial = {
          ...initial,
          message: {
            text: `these decisions were made on ${file.source.cards}; matched by trace and step id`,
            tone: 'info',
          },
        }
      }
      const writer = new DecisionWriter(decisionsPath)
      const terminal = {stdout: process.stdout, stdin: process.stdin}
      // The first frame is painted now; Ink takes over the same frame when it has loaded.
      openScreen(terminal, frameLines(initial), term.color)
      let final: Awaited<ReturnType<Awaited<typeof ui>['runReview']>>
      try {
        const {runReview} = await ui
        final = await runReview({
          initial,
          load: id => source.load(id),
          color: term.color,
          writer,
          source: {cards: source.cardsPath, ...(opened.inputs ? {inputs: opened.inputs} : {})},
          fileExisted: file !== undefined,
        })
      } finally {
        closeScreen(terminal)
      }
      if (existsSync(decisionsPath)) {
        const c = countDecisions(final.decisions.values())
        this.logToStderr(
          `${c.decisions} decision${c.decisions === 1 ? '' : 's'} (${c.prune.accept} accepted, ${c.prune.reject} rejected, ${c.decisions - c.prune.accept - c.prune.reject} labelled only) in ${display}`,
        )
        this.logToStderr(`list them: aco label --decisions ${display}`)
      }
    } finally {
      source.close()
    }
  }
}
