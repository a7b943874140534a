/**
 * The base of aco's commands: maps the core's AcoError to oclif's error with
 * its exit code and hint, so a user's mistake is a message, not a stack trace;
 * prints `--json` results as plain JSON (oclif's colouriser tokenises the
 * whole document, which costs seconds on large results and adds nothing in a pipe).
 */
import {Command} from '@oclif/core'
import {isAcoError} from '../errors.js'

export abstract class AcoCommand extends Command {
  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (isAcoError(error)) {
      return this.error(error.message, {exit: error.exit, ...(error.hint ? {suggestions: [error.hint]} : {})})
    }
    return super.catch(error)
  }

  override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }
}
