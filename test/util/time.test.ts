/** Timestamps as cards carry them: ISO-8601 UTC, or no time when a trace wrote one that names no real instant. */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {isoMs, toIso} from '../../src/util/time.js'

describe('toIso', () => {
  it('normalises ISO strings (a missing zone read as UTC) and Unix epochs in seconds or milliseconds', () => {
    expect(toIso('2026-03-01T10:00:00.000Z')).toBe('2026-03-01T10:00:00.000Z')
    expect(toIso('2026-03-01 10:00:00')).toBe('2026-03-01T10:00:00.000Z')
    expect(toIso('2026-03-01T10:00:00+02:00')).toBe('2026-03-01T08:00:00.000Z')
    expect(toIso(1772409600)).toBe('2026-03-02T00:00:00.000Z')
    expect(toIso(1772409600000)).toBe('2026-03-02T00:00:00.000Z')
    expect(toIso('2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z')
  })

  it('reads epochs in microseconds and nanoseconds, epochs written as digits, and e-mail style dates with a zone', () => {
    // (Each became "no time" before: a user's log in any of them lost every time, and --check blamed the path.)
    // (Nanoseconds past 2^53 lose their last digits as a number, not their milliseconds.)
    for (const v of [1772409600123456, 1772409600123456e3, '1772409600123', '1772409600.123'])
      expect(toIso(v), String(v)).toBe('2026-03-02T00:00:00.123Z')
    expect(toIso('1772409600')).toBe('2026-03-02T00:00:00.000Z')
    expect(toIso('Mon, 02 Mar 2026 01:00:00 +0100')).toBe('2026-03-02T00:00:00.000Z')
    expect(toIso('Mon, 02 Mar 2026 00:00:00 GMT')).toBe('2026-03-02T00:00:00.000Z')
    // A short number in a string is no epoch, nor is a compact date, nor text that only ends like a zone.
    for (const no of ['12345678', '20241102120000', '202411021200', 'garbage 12 UT'])
      expect(toIso(no), no).toBeUndefined()
  })

  it('gives no time for a day that does not exist, a year no day key spells, or no date at all', () => {
    // (`Date` would roll these into the next month, the fast path would have kept them as written.)
    for (const bad of [
      '2025-02-29T00:00:00.000Z',
      '2025-02-29T00:00:00Z',
      '2026-04-31T10:00:00Z',
      '2026-13-45T99:99:99Z',
      '2026-00-10T00:00:00Z',
      '0000-01-01T00:00:00Z',
      'yesterday at noon',
    ])
      expect(toIso(bad), bad).toBeUndefined()
    expect(toIso(-8.64e15)).toBeUndefined()
  })
})

describe('isoMs', () => {
  /** Timestamps of the card's form whose fields are drawn from these bounds read as Date.parse reads them. */
  const sameAsDateParse = (fields: Array<[number, number]>, seed: number, numRuns: number): void => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    fc.assert(
      fc.property(fc.tuple(...fields.map(([min, max]) => fc.integer({min, max}))), ([y, mo, d, h, mi, s, ms]) => {
        const at = `${pad(y!, 4)}-${pad(mo!, 2)}-${pad(d!, 2)}T${pad(h!, 2)}:${pad(mi!, 2)}:${pad(s!, 2)}.${pad(ms!, 3)}Z`
        expect(Object.is(isoMs(at), Date.parse(at))).toBe(true)
      }),
      {seed, numRuns},
    )
  }

  it('reads a timestamp as Date.parse does, whatever its fields (those out of range too) or its form', () => {
    sameAsDateParse(
      [
        [0, 9999],
        [0, 99],
        [0, 99],
        [0, 99],
        [0, 99],
        [0, 99],
        [0, 999],
      ],
      7,
      2000,
    )
    // Fields in range, so the fast path is taken: every year, the first century too (Date.UTC reads 0–99 as 19xx).
    sameAsDateParse(
      [
        [0, 9999],
        [1, 12],
        [1, 31],
        [0, 24],
        [0, 60],
        [0, 60],
        [0, 999],
      ],
      11,
      5000,
    )
    expect(isoMs('0050-03-04T10:00:07.000Z')).toBe(Date.parse('0050-03-04T10:00:07.000Z'))
    for (const at of ['2026-03-01T10:00:00Z', '2026-03-01T10:00:00.000+02:00', '2026-03-0aT10:00:00.000Z', '', 'x'])
      expect(Object.is(isoMs(at), Date.parse(at))).toBe(true)
    expect(isoMs('2026-03-01T10:00:00.250Z')).toBe(Date.UTC(2026, 2, 1, 10, 0, 0, 250))
  })
})
