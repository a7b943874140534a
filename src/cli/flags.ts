/**
 * Flags shared by aco's commands. Enumerations use oclif's `Flags.option`
 * (typed, listed in --help); numbers that need not be whole use `numberFlag`,
 * so every command says the same thing about a bad number.
 */
import {Flags} from '@oclif/core'
import {AcoError} from '../errors.js'

/**
 * A number flag (decimals allowed), optionally bounded: `numberFlag({min: 0,
 * max: 1, description: '…'})`. A value that is not a number, or is out of
 * bounds, is a usage error (exit 2) naming the flag and what it takes.
 */
export const numberFlag = Flags.custom<number, {min?: number; max?: number}>({
  helpValue: 'N',
  parse: async (input, _context, opts) => {
    const value = Number(input)
    if (input.trim() === '' || !Number.isFinite(value))
      throw new AcoError('usage', `--${opts.name} takes a number (got "${input}").`)
    const {min, max} = opts
    const below = min !== undefined && value < min
    const above = max !== undefined && value > max
    if (below || above) {
      const range =
        min !== undefined && max !== undefined
          ? `a number from ${min} to ${max}`
          : min !== undefined
            ? `a number of at least ${min}`
            : `a number of at most ${max}`
      throw new AcoError('usage', `--${opts.name} ${input}: expected ${range}.`)
    }
    return value
  },
})
