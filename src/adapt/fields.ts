/**
 * Typed reads of untrusted records. A field of the wrong type raises a
 * RecordError naming the field, so the record is skipped with a clear reason
 * rather than silently counted as zero.
 */
import {RecordError} from './types.js'

export type Json = Record<string, unknown>

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON value's type as an error names it: `null` and `array` apart from `object`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/**
 * No single record reads or writes this many tokens (a context holds a few
 * million at most; a whole session's cumulative total stays far below): a
 * larger count is a corrupt or hostile record.
 */
const MAX_COUNT = 1e9

/**
 * Why `value` is no token count (undefined when it is one): not a number,
 * negative, not finite, fractional, or more than 1e9. The one rule every
 * adapter's token reads use; the record is then skipped with its line, so
 * the count is never counted.
 */
export function countProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `expected a number, got ${typeName(value)}`
  if (!Number.isFinite(value) || value < 0) return `expected a non-negative number, got ${value}`
  if (!Number.isInteger(value)) return `expected a whole count, got ${value}`
  if (value > MAX_COUNT) return `${value} is not a plausible count`
  return undefined
}

/** A whole, non-negative count at `obj[key]` (at most 1e9); missing or null gives 0, anything else is an error. */
export function count(obj: Json, key: string, path: string): number {
  const value = obj[key]
  if (value === undefined || value === null) return 0
  const problem = countProblem(value)
  if (problem) throw new RecordError(`${path}.${key}: ${problem}`)
  return value as number
}

/** No single record costs this many dollars: a larger figure is a unit error or a hostile record. */
const MAX_USD = 1e4

/** Why `value` is no recorded cost in USD (undefined when it is one): not a finite number in 0..10,000. */
export function usdProblem(value: unknown): string | undefined {
  if (typeof value !== 'number') return `expected a number, got ${typeName(value)}`
  if (!Number.isFinite(value) || value < 0) return `expected a non-negative number, got ${value}`
  if (value > MAX_USD) return `$${value} is not a plausible cost`
  return undefined
}

/**
 * A recorded cost in USD where one is written (undefined where none is). One that is no amount (see `usdProblem`) is
 * not counted, and said through `skip` with its field, the rest of its record read: a cost a call records beside
 * its tokens is a figure to compare, not what the call is.
 */
export function recordedUsd(value: unknown, field: string, skip: (reason: string) => void): number | undefined {
  if (value === undefined || value === null) return undefined
  const problem = usdProblem(value)
  if (problem === undefined) return value as number
  skip(`${field}: ${problem}: that cost is not counted`)
  return undefined
}

/** A recorded cost in USD at `obj[key]` (0 to 10,000); missing or null gives 0, anything else is an error. */
export function usd(obj: Json, key: string, path: string): number {
  const value = obj[key]
  if (value === undefined || value === null) return 0
  const problem = usdProblem(value)
  if (problem) throw new RecordError(`${path}.${key}: ${problem}`)
  return value as number
}

/** An optional count: undefined when absent. */
export function optCount(obj: Json, key: string, path: string): number | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  return count(obj, key, path)
}

/** A string at `obj[key]`: undefined when absent or null; any other type is an error naming the field. */
export function strField(obj: Json, key: string, path: string): string | undefined {
  const value = obj[key]
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined
  throw new RecordError(`${path}.${key}: expected a string, got ${typeName(value)}`)
}

/** A string at `obj[key]`, or undefined when absent or not a string. */
export function str(obj: Json | undefined, key: string): string | undefined {
  const value = obj?.[key]
  return typeof value === 'string' ? value : undefined
}

/** An object at `obj[key]`; an error when present but not an object. */
export function obj(parent: Json, key: string, path: string): Json | undefined {
  const value = parent[key]
  if (value === undefined || value === null) return undefined
  if (isObject(value)) return value
  throw new RecordError(`${path}.${key}: expected an object, got ${typeName(value)}`)
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** A record that must be a JSON object (a JSONL line): anything else is skipped, saying what it was. */
export function expectObject(record: unknown): Json {
  if (!isObject(record))
    throw new RecordError(`expected a JSON object, got ${Array.isArray(record) ? 'an array' : typeof record}`)
  return record
}

/**
 * A title from a prompt: its first line, trimmed; undefined when empty. Not
 * cut here: the card builder redacts a title whole and then cuts it, so no
 * part of a secret survives a cut.
 */
export function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined
  const start = text.search(/\S/)
  if (start < 0) return undefined
  const nl = text.indexOf('\n', start)
  return (nl < 0 ? text.slice(start) : text.slice(start, nl)).trim() || undefined
}

/**
 * Cache writes given as a total (`stated`) and split by lifetime (Anthropic's 5-minute and 1-hour caches): the split's
 * sum where the total is absent or smaller (LangChain sets the total to 0 beside its split, LangSmith's wrappers write
 * the split alone, Langfuse keeps both: trial 100), and the 1-hour part of it, priced at its own rate.
 */
export function writesByLifetime(
  stated: number | undefined,
  fiveMinutes: number | undefined,
  oneHour: number | undefined,
): {write: number | undefined; oneHour: number | undefined} {
  const parts = fiveMinutes === undefined && oneHour === undefined ? undefined : (fiveMinutes ?? 0) + (oneHour ?? 0)
  const write = parts === undefined ? stated : Math.max(stated ?? 0, parts)
  return {write, oneHour: oneHour ? Math.min(oneHour, write ?? 0) : undefined}
}
