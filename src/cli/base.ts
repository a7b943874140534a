/**
 * The base of aco's commands: maps the core's AcoError to oclif's error with
 * its exit code and hint, so a user's mistake is a message, not a stack trace;
 * with `--json`, errors are JSON too and keep their exit code; prints `--json`
 * results as plain JSON (oclif's colouriser tokenises the whole document,
 * which costs seconds on large results and adds nothing in a pipe).
 */
import {Command} from '@oclif/core'
import {isAcoError} from '../errors.js'

export abstract class AcoCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (isAcoError(error)) {
      if (this.jsonEnabled()) {
        process.exitCode = error.exit
        this.logJson({
          error: {
            code: error.code,
            message: error.message,
            ...(error.hint ? {hint: error.hint} : {}),
            exit: error.exit,
          },
        })
        return undefined
      }
      return this.error(error.message, {exit: error.exit, ...(error.hint ? {suggestions: [error.hint]} : {})})
    }
    // A bad flag or argument (oclif's parse errors carry their exit code, 2).
    const exit = error.oclif?.exit
    if (this.jsonEnabled() && typeof exit === 'number' && exit !== 1) {
      process.exitCode = exit
      this.logJson({error: {code: 'usage', message: error.message, exit}})
      return undefined
    }
    return super.catch(error)
  }

  override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }
}
