/**
 * The base of aco's commands: maps the core's AcoError to oclif's error with
 * its exit code and hint, so a user's mistake is a message, not a stack trace;
 * with `--json`, errors are JSON too and keep their exit code; prints `--json`
 * results as plain JSON (oclif's colouriser tokenises the whole document,
 * which costs seconds on large results and adds nothing in a pipe).
 */
import {Command} from '@oclif/core'
import {isAcoError} from '../errors.js'
import {removeEmptyMadeFolders} from '../util/atomic.js'
import {escapeJsonText, joinedSecret, stripSgr, terminalText, visibleText} from '../util/control.js'
import {jsonPieces} from '../util/json-out.js'
import {redactText} from '../util/redact.js'

/**
 * A message naming what the user gave (a path, a value), as it is shown: printable, its controls written out rather than
 * dropped (dropped, a path would name another file), and no secret in it (a file named after a token). The colour oclif
 * adds to its own messages is no part of what was typed (review 86: written out, it read `\x1b[2m…`). A secret the
 * controls cut in two is whole without them, whether sequences go whole or characters one by one: such a message is
 * shown without them, redacted.
 */
function typedText(text: string): string {
  const plain = stripSgr(text)
  return joinedSecret(plain, redactText) ?? redactText(visibleText(plain))
}

/**
 * An oclif message on one line (`Parsing --top \n\tExpected an integer…`, "The following error(s) occurred:" and a line
 * a flag), its pointer to the help on a line of its own.
 */
function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  const help = lines.at(-1) === SEE_HELP ? lines.pop() : undefined
  // (oclif's several errors, one a line under "The following errors occurred:", are said one after the other, each
  // ending where it ends: trial 126 read "…--cards, --outcomes Missing required flag router".)
  const several = lines[0] === 'The following errors occurred:' && lines.length > 2
  const text = several
    ? lines
        .slice(1)
        .map(l => l.replace(/[.:;]?$/, ''))
        .join('; ')
    : lines.join(' ')
  return `${text}${help ? `\n${help}` : ''}`
}

const SEE_HELP = 'See more help with --help'

/** An error aco has printed itself: oclif's handler exits with its code and prints nothing more. */
function printed(message: string, exit: number): Error {
  return Object.assign(new Error(message), {oclif: {exit}, skipOclifErrorHandling: true})
}

export abstract class AcoCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    // A run that stops on an error leaves no empty output folder it made (`--out` made before a later check failed).
    removeEmptyMadeFolders()
    if (isAcoError(error)) {
      const message = typedText(error.message)
      const hint = error.hint === undefined ? undefined : typedText(error.hint)
      if (this.jsonEnabled()) {
        process.exitCode = error.exit
        this.logJson({error: {code: error.code, message, ...(hint ? {hint} : {}), exit: error.exit}})
        return undefined
      }
      // One line for the message and one for the hint, as typed: not oclif's 80 columns of `›` lines (trial 113: a
      // hint cut in two mid-word, in a pipe too). Thrown all the same, for a caller that runs the command in its process.
      this.errorLines(message, hint)
      throw printed(message, error.exit)
    }
    // A bad flag or argument (oclif's parse errors carry their exit code, 2): it quotes what was typed (an escape
    // sequence in a flag's name reached the terminal as is).
    if (typeof error.message === 'string') error.message = typedText(error.message)
    const exit = error.oclif?.exit
    if (this.jsonEnabled() && typeof exit === 'number' && exit !== 1) {
      process.exitCode = exit
      this.logJson({error: {code: 'usage', message: error.message, exit}})
      return undefined
    }
    // (The message alone, not oclif's usage block after it: the message says where the help is.)
    if (typeof exit === 'number' && exit !== 1) {
      this.errorLines(oneLine(error.message))
      throw printed(error.message, exit)
    }
    // Anything else is aco's fault: with --json, in the same shape as every other error (trial 99: oclif's own
    // `{message, name}` had no code and no exit), and no secret of the input it may quote.
    if (this.jsonEnabled() && exit === undefined) {
      process.exitCode = 1
      this.logJson({error: {code: 'internal', message: redactText(visibleText(String(error.message))), exit: 1}})
      return undefined
    }
    return super.catch(error)
  }

  /** An error as aco prints it on stderr: `Error: …`, each line of it whole, and `Try this: …` for its hint. */
  private errorLines(message: string, hint?: string): void {
    process.stderr.write(`Error: ${message}\n${hint ? `Try this: ${hint}\n` : ''}`)
  }

  /**
   * What a command prints to the terminal, whatever it quotes of its inputs (a model or item named with an escape
   * sequence or a token): printable (see terminalText), and redacted unless the run says `--no-redact`.
   */
  override log(message = '', ...args: unknown[]): void {
    super.log(this.shown(message), ...args)
  }

  override logToStderr(message = '', ...args: unknown[]): void {
    super.logToStderr(this.shown(message), ...args)
  }

  private shown(message: string): string {
    const text = terminalText(String(message))
    if (this.argv.includes('--no-redact')) return text
    // (Looked for without colour codes, which can sit inside a key: such a text loses its colours.)
    const plain = stripSgr(text)
    const redacted = redactText(plain)
    return redacted === plain ? text : redacted
  }

  override logJson(json: unknown): void {
    // In pieces of ~64 KB, each escaped (characters one by one: the same text as escaping the whole), so a large result
    // is never held whole as text (see json-out.ts).
    let batch = ''
    for (const piece of jsonPieces(json)) {
      batch += piece
      if (batch.length >= 65_536) {
        process.stdout.write(escapeJsonText(batch))
        batch = ''
      }
    }
    process.stdout.write(`${escapeJsonText(batch)}\n`)
  }
}
