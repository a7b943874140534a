/**
 * How deep JSON nests, found before any recursive code sees it. Records
 * nested thousands of levels deep (an attack, or a tool's runaway output)
 * overflow the stack of any recursive walk: they are skipped as input, with
 * their line, before they reach an adapter.
 */

/** Nesting deeper than this is no trace record (real logs nest a few dozen levels). */
export const MAX_JSON_DEPTH = 512

/**
 * More objects and arrays than this in one record (or document) is no trace:
 * real records hold a few hundred, a large trajectory some tens of thousands,
 * while one line of ten million `{}` took a gigabyte to parse.
 */
const MAX_JSON_CONTAINERS = 1_000_000

/**
 * Whether JSON `text` nests deeper than `limit`. Linear, and almost free on
 * ordinary records: the full scan runs only when the text holds at least
 * `limit` opening brackets (counted with the native indexOf).
 */
export function jsonDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  return scan(text, limit, Number.POSITIVE_INFINITY) === 'depth'
}

/**
 * Why JSON `text` must not be parsed (undefined when it may be): nested
 * deeper than MAX_JSON_DEPTH, or more than MAX_JSON_CONTAINERS objects and
 * arrays. Found before JSON.parse builds anything; as cheap as `jsonDeeperThan`.
 */
export function jsonTooComplex(text: string): string | undefined {
  switch (scan(text, MAX_JSON_DEPTH, MAX_JSON_CONTAINERS)) {
    case 'depth':
      return `nested deeper than ${MAX_JSON_DEPTH} levels`
    case 'count':
      return `more than ${MAX_JSON_CONTAINERS.toLocaleString('en-US')} objects and arrays`
    case undefined:
      return undefined
  }
}

/**
 * Why a JSON document must not be parsed at all (undefined when it may be): more than MAX_JSON_CONTAINERS objects and
 * arrays. Depth alone is no reason: V8's JSON.parse does not recurse, and a document that nests too deep somewhere is
 * parsed and cut there (`cutDeeperThan`), so the rest of it is read.
 */
export function jsonTooLarge(text: string): string | undefined {
  return scan(text, Number.POSITIVE_INFINITY, MAX_JSON_CONTAINERS, true) === 'count'
    ? `more than ${MAX_JSON_CONTAINERS.toLocaleString('en-US')} objects and arrays`
    : undefined
}

/**
 * Replaces every object or array nested deeper than `limit` in `value` (in place) with a short note saying so; returns
 * how many were replaced (an explicit stack: never recursion).
 */
export function cutDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): number {
  let cut = 0
  const note = `[nested deeper than ${limit} levels: cut by aco]`
  const stack: Array<[Record<string, unknown> | unknown[], number]> = []
  if (value !== null && typeof value === 'object') stack.push([value as Record<string, unknown>, 1])
  while (stack.length) {
    const [v, d] = stack.pop()!
    const keys: Array<string | number> = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
    for (const k of keys) {
      const child = (v as Record<string | number, unknown>)[k]
      if (child === null || typeof child !== 'object') continue
      if (d >= limit) {
        ;(v as Record<string | number, unknown>)[k] = note
        cut++
      } else stack.push([child as Record<string, unknown>, d + 1])
    }
  }
  return cut
}

function scan(text: string, depthLimit: number, countLimit: number, countOnly = false): 'depth' | 'count' | undefined {
  // (Brackets counted with the native indexOf, strings or not: fewer than the limit means no full scan is needed.)
  const enough = countOnly ? countLimit : depthLimit
  let openers = 0
  for (let i = text.indexOf('['); i >= 0 && openers <= enough; i = text.indexOf('[', i + 1)) openers++
  for (let i = text.indexOf('{'); i >= 0 && openers <= enough; i = text.indexOf('{', i + 1)) openers++
  if (openers <= enough) return undefined
  let depth = 0
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // a string: skip to its closing quote (past escapes)
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > depthLimit) return 'depth'
      if (++count > countLimit) return 'count'
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return undefined
}

/** Whether a parsed value nests deeper than `limit` (an explicit stack: never recursion). */
export function valueDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length) {
    const [v, d] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (d >= limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, d + 1])
  }
  return false
}
