/** Timestamps: every card carries ISO-8601 UTC strings. */

/**
 * Normalises a timestamp to ISO-8601 UTC. Accepts ISO strings (a missing
 * zone is read as UTC), e-mail style dates with their zone, and Unix epochs in
 * seconds, milliseconds, microseconds or nanoseconds (numbers, or digits in a string).
 */
/** 2000-01-01T00:00:00Z: an agent's log holds no time before it (`"timestamp": 42` is a writer's garbage, not 1970). */
export const EARLIEST_ISO = '2000-01-01T00:00:00.000Z'

export function toIso(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by size (today: 1.7e9, e12, e15, e18).
    const ms = value > 1e17 ? value / 1e6 : value > 1e14 ? value / 1e3 : value > 1e12 ? value : value * 1000
    const d = new Date(ms)
    return Number.isNaN(d.getTime()) || !fourDigitYear(d) ? undefined : d.toISOString()
  }
  if (typeof value !== 'string' || value.length < 10) return undefined
  // An epoch count written as a string: seconds, milliseconds, microseconds or nanoseconds of these decades (10, 13,
  // 16 or 19 digits: `"1730548800"`, `"1730548800123"`), not a compact date (`"20241102120000"`). (Not looked for in an
  // ISO date, `YYYY-`: the common case, once per record, passes by it.)
  if (value[4] !== '-' && EPOCH_DIGITS.test(value)) return toIso(Number(value))
  // A day that does not exist (`2025-02-29`, `2026-04-31`) is no time, not a day of the next month (as `Date` has it).
  if (!realDate(value)) return undefined
  // Fast path: already `YYYY-MM-DDTHH:MM:SS(.sss)Z`.
  if (value.length === 24 && value.endsWith('Z') && value[10] === 'T') return value
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value)
  let d = new Date(hasZone ? value : `${value.replace(' ', 'T')}Z`)
  // An e-mail style date with its zone (`Sat, 02 Nov 2024 12:00:00 GMT`, `… +0100`).
  if (Number.isNaN(d.getTime()) && EMAIL_DATE.test(value)) d = new Date(value)
  return Number.isNaN(d.getTime()) || !fourDigitYear(d) ? undefined : d.toISOString()
}

const EPOCH_DIGITS = /^(?:\d{10}|\d{13}|\d{16}|\d{19})(?:\.\d+)?$/

/** An e-mail style date (RFC 2822): `[Sat, ]02 Nov 2024 12:00[:00] GMT|UTC|UT|+0100`. */
const EMAIL_DATE =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UTC|UT|[+-]\d{4})$/

/** A year a day key can spell (`0000-01-01` and year 275,760 are a writer's garbage, not a time). */
function fourDigitYear(d: Date): boolean {
  const y = d.getUTCFullYear()
  return y >= 1000 && y <= 9999
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Whether a string that opens with `YYYY-MM-DD` names a day that exists (other strings: left to `Date`). */
function realDate(value: string): boolean {
  const c = (i: number): number => value.charCodeAt(i) - 48
  if (value[4] !== '-' || value[7] !== '-') return true
  const y = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3)
  const m = c(5) * 10 + c(6)
  const d = c(8) * 10 + c(9)
  if (Number.isNaN(y + m + d)) return true
  return y >= 0 && realDay(y, m, d)
}

/** Whether day `d` of month `m` (1-based) of year `y` exists (not 2026-02-30, which `Date` rolls into March). */
export function realDay(y: number, m: number, d: number): boolean {
  if (!(m >= 1 && m <= 12 && d >= 1)) return false
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
  return d <= (m === 2 && leap ? 29 : DAYS[m - 1]!)
}

export function msBetween(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined
  const ms = Date.parse(end) - Date.parse(start)
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

/**
 * A card's timestamp in ms since the epoch, NaN when it is none. Cards write `YYYY-MM-DDTHH:MM:SS.sssZ` (see `toIso`),
 * read here digit by digit (three times as fast as `Date.parse`, which the detectors call for every step); any other
 * form goes to `Date.parse`.
 */
export function isoMs(at: string): number {
  if (
    at.length === 24 &&
    at.charCodeAt(23) === 90 &&
    at.charCodeAt(10) === 84 &&
    at.charCodeAt(19) === 46 &&
    at.charCodeAt(4) === 45 &&
    at.charCodeAt(7) === 45 &&
    at.charCodeAt(13) === 58 &&
    at.charCodeAt(16) === 58
  ) {
    const year = digits(at, 0, 4)
    const month = digits(at, 5, 2)
    const day = digits(at, 8, 2)
    const hour = digits(at, 11, 2)
    const minute = digits(at, 14, 2)
    const second = digits(at, 17, 2)
    const ms = digits(at, 20, 3)
    // (Fields in range only: what Date.parse reads as Date.UTC does; it rejects some others, `10:60`, and carries some.)
    // (Years before 100 too go to Date.parse: Date.UTC reads 0–99 as 1900–1999.)
    if (
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 28 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      ms >= 0
    )
      return Date.UTC(year, month - 1, day, hour, minute, second, ms)
  }
  return Date.parse(at)
}

/** The number `count` decimal digits at `from` spell, -1 when any is no digit. */
function digits(text: string, from: number, count: number): number {
  let n = 0
  for (let k = from; k < from + count; k++) {
    const c = text.charCodeAt(k) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}
