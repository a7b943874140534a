/**
 * The base of aco's commands: maps the core's AcoError to oclif's error with
 * its exit code and hint, so a user's mistake is a message, not a stack trace.
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
}
