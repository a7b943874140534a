/**
 * JSONPath for format mappings. Every path is checked once: a script or
 * filter expression (`[?(…)]`, `[(…)]`) is refused, so a mapping can never run
 * code; the rest is evaluated by jsonpath-plus with `eval: false`. Plain paths
 * (`$.a.b[0]['c d']`), which are nearly all of them, are compiled to direct
 * property reads: a mapping is applied to every record of a file, and this
 * keeps it as fast as a hand-written reader.
 */
import type * as JsonPathPlus from 'jsonpath-plus'
import {lazyModule} from '../../util/lazy-module.js'

/** jsonpath-plus loads with the first path compiled (see lazy-module.ts). */
const jsonPath = lazyModule<typeof JsonPathPlus>('jsonpath-plus')

/** A path that cannot be used, with the reason. */
export class PathError extends Error {}

export interface CompiledPath {
  readonly source: string
  /** Every value the path selects in `value` (empty when none). */
  all(value: unknown): unknown[]
  /** The first value the path selects, or undefined. */
  first(value: unknown): unknown
}

/** A script or filter expression, with or without spaces before it (`[?(…)]`, `[ ?(@.x)]`, `[(…)]`). */
const SCRIPT = /^\s*\??\s*\(/
/**
 * Recursive descents a path may hold. Each `..` searches every level below every node the path has reached, so the
 * time grows with a record's depth to the power of their number (trial 124: `$..*..*..*..x` still ran after two
 * minutes on a record 400 levels deep, `$..*..*..x` took 30 s).
 */
const MAX_DESCENTS = 1
/** jsonpath-plus's selectors of values by type (`$..@string()`). */
const VALUE_TYPES = new Set([
  'null',
  'boolean',
  'number',
  'string',
  'integer',
  'undefined',
  'nonFinite',
  'scalar',
  'array',
  'object',
  'function',
  'other',
])

/**
 * The longest path a mapping may hold. Real ones are tens of characters; jsonpath-plus splits a path in time that grows
 * with its square (a 400 KB path took 95 s), so a longer one is refused before it is read.
 */
const MAX_PATH_CHARS = 1_000

/** A path as an error quotes it: cut to its first 120 characters, so a hostile one does not flood the terminal. */
function quoted(path: string): string {
  return JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path)
}

/** Checks and compiles one path. */
export function compilePath(path: string): CompiledPath {
  if (!path.startsWith('$')) throw new PathError(`${quoted(path)} is not a JSONPath (it must start with $)`)
  if (path.length > MAX_PATH_CHARS)
    throw new PathError(
      `${quoted(path)} is ${path.length.toLocaleString('en-US')} characters long: a JSONPath of a mapping holds at most ${MAX_PATH_CHARS.toLocaleString('en-US')}`,
    )
  // (jsonpath-plus reads `$..[` or `$.a.b]` without a word; such a path then selects nothing, or not what was meant.)
  const problem = syntaxProblem(path)
  if (problem) throw new PathError(`${quoted(path)} is not a valid JSONPath: ${problem}`)
  let segments: string[]
  try {
    segments = jsonPath().JSONPath.toPathArray(path) as string[]
  } catch (error) {
    throw new PathError(`${quoted(path)} is not a valid JSONPath: ${(error as Error).message}`)
  }
  if (segments.filter(segment => segment === '..').length > MAX_DESCENTS)
    throw new PathError(
      `${quoted(path)} searches all levels (..) more than once: each such search goes through every level below each value the one before it found, which on a deep record takes minutes. Use one '..', and name the levels around it`,
    )
  for (const segment of segments) {
    // (jsonpath-plus reads a name that starts with `@` as a selector of values by type, `@string()`: of another name
    // it throws, `@parent` "Unknown value type pare" in the middle of a run, trial 124. Such a name, `@timestamp`, is
    // read by a plain path, a property of its own.)
    if (segment.startsWith('@') && segment.endsWith('()') && !VALUE_TYPES.has(segment.slice(1, -2)))
      throw new PathError(
        `${quoted(path)} uses "${segment}", which is no selector of values by type (${[...VALUE_TYPES].map(t => `@${t}()`).join(', ')})`,
      )
    // (Each member of a union too: `$.a[0,?(@.x)]`, review 125.)
    if (segment.split(',').some(part => SCRIPT.test(part)))
      throw new PathError(
        `${quoted(path)} uses a script or filter expression ("${segment}"): aco evaluates mappings with script evaluation off and never runs code from a mapping. Select with plain paths, and use steps.kind / steps.when / detect conditions to choose records by value`,
      )
  }
  const plain = segments.slice(1)
  const byType = (s: string): boolean => s.startsWith('@') && s.endsWith('()')
  if (segments[0] === '$' && plain.every(s => s !== '*' && s !== '..' && !byType(s) && !s.includes('~') && s !== '^'))
    return plainPath(path, plain)
  const named = plain.find(s => s.startsWith('@') && !byType(s))
  if (named)
    throw new PathError(
      `${quoted(path)} reads "${named}" beside a search or a wildcard, which JSONPath reads as a selector of values by type, not a name: name every level from $ to it`,
    )
  return {
    source: path,
    all(value) {
      if (value === null || typeof value !== 'object') return []
      const out = jsonPath().JSONPath({path, json: value as object, eval: false, wrap: true}) as unknown[]
      return Array.isArray(out) ? out.filter(v => v !== undefined) : []
    },
    first(value) {
      return this.all(value)[0]
    },
  }
}

/**
 * What is wrong with a path's syntax, or undefined: after `$`, only `.name`, `..name`, `.*`, `..*`, `..[…]` and
 * bracketed selectors (`[0]`, `['a b']`, `[*]`, `[0:2]`, `[?(…)]`, which the caller refuses), each complete.
 */
function syntaxProblem(path: string): string | undefined {
  let i = 1
  while (i < path.length) {
    const c = path[i]
    if (c === '.') {
      i += path[i + 1] === '.' ? 2 : 1
      if (i >= path.length) return 'it ends with a dot'
      if (path[i] === '[') continue
      if (path[i] === '*') {
        i++
        continue
      }
      const name = /^[^.[\]\s]+/.exec(path.slice(i))
      if (!name) return `no name after the dot at character ${i}`
      i += name[0].length
    } else if (c === '[') {
      let j = i + 1
      let quote = ''
      for (; j < path.length; j++) {
        const d = path[j]
        if (quote) {
          if (d === '\\') j++
          else if (d === quote) quote = ''
        } else if (d === "'" || d === '"') quote = d
        else if (d === ']') break
      }
      if (j >= path.length) return `the bracket at character ${i + 1} is never closed`
      if (j === i + 1) return `empty brackets at character ${i + 1}`
      i = j + 1
    } else return `"${c}" at character ${i + 1} starts no selector`
  }
  return undefined
}

function plainPath(source: string, keys: string[]): CompiledPath {
  const first = (value: unknown): unknown => {
    let v = value
    for (const key of keys) {
      if (v === null || typeof v !== 'object') return undefined
      v = (v as Record<string, unknown>)[key]
    }
    return v
  }
  return {
    source,
    first,
    all(value) {
      const v = first(value)
      return v === undefined ? [] : [v]
    },
  }
}

/** Several paths, the first that yields a value winning. */
export interface CompiledPaths {
  readonly sources: string[]
  first(value: unknown): unknown
}

export function compilePaths(paths: string | string[]): CompiledPaths {
  const list = (Array.isArray(paths) ? paths : [paths]).map(compilePath)
  return {
    sources: list.map(p => p.source),
    first(value) {
      for (const p of list) {
        const v = p.first(value)
        if (v !== undefined && v !== null) return v
      }
      return undefined
    },
  }
}
