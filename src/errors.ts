/**
 * Typed errors of aco's core. The core never imports oclif: commands map an
 * AcoError to `this.error(message, {exit, suggestions})`.
 */

/** Process exit codes, documented in the README. */
export const ExitCode = {
  /** Everything was read. */
  ok: 0,
  /** A bug in aco (an unexpected exception). */
  internal: 1,
  /** A usage error: a bad flag, a missing or unreadable argument. */
  usage: 2,
  /** The run finished, but some input was skipped (see `skipped`). */
  partial: 3,
  /** Nothing to work on: no trace was found in the paths given. */
  noInput: 4,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export type AcoErrorCode = 'usage' | 'no-input' | 'bad-file' | 'schema' | 'too-small' | 'internal'

const exitFor: Record<AcoErrorCode, ExitCodeValue> = {
  usage: ExitCode.usage,
  'no-input': ExitCode.noInput,
  'bad-file': ExitCode.usage,
  schema: ExitCode.usage,
  'too-small': ExitCode.usage,
  internal: ExitCode.internal,
}

/** An error a user can act on: what went wrong and how to fix it. */
export class AcoError extends Error {
  readonly code: AcoErrorCode
  readonly hint: string | undefined

  constructor(code: AcoErrorCode, message: string, hint?: string) {
    super(message)
    this.name = 'AcoError'
    this.code = code
    this.hint = hint
  }

  get exit(): ExitCodeValue {
    return exitFor[this.code]
  }
}

export function isAcoError(error: unknown): error is AcoError {
  return error instanceof AcoError
}
