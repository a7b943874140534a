import {Parser} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {numberFlag} from '../../src/cli/flags.js'
import Analyze from '../../src/commands/analyze.js'
import {isCi, terminalInfo} from '../../src/cli/terminal.js'
import {AcoError} from '../../src/errors.js'

const flags = {
  share: numberFlag({description: 'a share', min: 0, max: 1}),
  floor: numberFlag({description: 'at least one', min: 1}),
  any: numberFlag({description: 'any number'}),
}

/** The error a parse throws (oclif prefixes the message; the error stays an AcoError, so exit 2). */
async function parseError(args: string[]): Promise<AcoError> {
  try {
    await Parser.parse(args, {flags})
  } catch (error) {
    expect(error).toBeInstanceOf(AcoError)
    return error as AcoError
  }
  throw new Error(`${args.join(' ')} parsed`)
}

describe('numberFlag', () => {
  it('takes decimals, negatives and exponents within its bounds', async () => {
    const parsed = await Parser.parse(['--share', '0.25', '--floor', '1e3', '--any', '-2.5'], {flags})
    expect(parsed.flags).toEqual({share: 0.25, floor: 1000, any: -2.5})
  })

  it('refuses what is not a number, or out of bounds, as a usage error naming the flag', async () => {
    let e = await parseError(['--any', 'abc'])
    expect(e.exit).toBe(2)
    expect(e.message).toMatch(/--any takes a number \(got "abc"\)/)
    e = await parseError(['--any', ' '])
    expect(e.message).toMatch(/--any takes a number/)
    e = await parseError(['--share', '2'])
    expect(e.message).toMatch(/--share 2: expected a number from 0 to 1/)
    e = await parseError(['--floor', '0.5'])
    expect(e.message).toMatch(/--floor 0.5: expected a number of at least 1/)
  })
})

describe('isCi', () => {
  it('agrees with Ink: CI or CONTINUOUS_INTEGRATION set to anything but 0 or false', () => {
    expect(isCi({})).toBe(false)
    expect(isCi({CI: 'true'})).toBe(true)
    expect(isCi({CI: '1'})).toBe(true)
    expect(isCi({CI: ''})).toBe(true)
    expect(isCi({CONTINUOUS_INTEGRATION: 'yes'})).toBe(true)
    expect(isCi({CI: 'false'})).toBe(false)
    expect(isCi({CI: '0'})).toBe(false)
    expect(isCi({CI: 'false', CONTINUOUS_INTEGRATION: '1'})).toBe(true)
  })
})

describe('terminalInfo', () => {
  it('colours no output where FORCE_COLOR=0 asks for none, as chalk reads it, and a pipe where FORCE_COLOR asks (trial 127)', () => {
    const tty = process.stdout.isTTY
    try {
      process.stdout.isTTY = true
      expect(terminalInfo({TERM: 'xterm'}).color).toBe(true)
      expect(terminalInfo({TERM: 'xterm', FORCE_COLOR: '0'}).color).toBe(false)
      expect(terminalInfo({TERM: 'xterm', FORCE_COLOR: 'false'}).color).toBe(false)
      expect(terminalInfo({TERM: 'xterm', NO_COLOR: '1'}).color).toBe(false)
      process.stdout.isTTY = false as true
      expect(terminalInfo({TERM: 'xterm'}).color).toBe(false)
      expect(terminalInfo({TERM: 'xterm', FORCE_COLOR: '1'}).color).toBe(true)
      expect(terminalInfo({TERM: 'xterm', FORCE_COLOR: '0'}).color).toBe(false)
    } finally {
      process.stdout.isTTY = tty
    }
  })
})

describe('aco analyze flags', () => {
  it('takes --task-results, and --outcomes as its alias (users type it)', async () => {
    for (const args of [['--task-results', 'r.json'], ['--outcomes', 'r.json'], ['--outcomes=r.json']]) {
      const parsed = await Parser.parse(args, {flags: Analyze.flags, strict: false})
      expect(parsed.flags['task-results'], args.join(' ')).toBe('r.json')
    }
  })

  it('types --format as a format id and refuses an unknown one', async () => {
    const parsed = await Parser.parse(['--format', 'codex'], {flags: Analyze.flags, strict: false})
    expect(parsed.flags.format).toBe('codex')
    await expect(Parser.parse(['--format', 'nope'], {flags: Analyze.flags, strict: false})).rejects.toThrow(
      /Expected --format=nope to be one of: codex/,
    )
  })
})
