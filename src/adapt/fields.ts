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

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** No single call reads or writes this many tokens: a larger count is a corrupt record. */
const MAX_COUNT = 1e10

/** A non-negative count at `obj[key]`; missing or null gives 0, anything else not a number is an error. */
export function count(obj: Json, key: string, path: string): number {
  const value = obj[key]
  if (value === undefined || value === null) return 0
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    if (value > MAX_COUNT) throw new RecordError(`${path}.${key}: ${value} is not a plausible count`)
    return value
  }
  if (typeof value === 'number') throw new RecordError(`${path}.${key}: expected a non-negative number, got ${value}`)
  throw new RecordError(`${path}.${key}: expected a number, got ${typeName(value)}`)
}

/** An optional count: undefined when absent. */
export function optCount(obj: Json, key: string, path: string): number | undefined {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  return count(obj, key, path)
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
