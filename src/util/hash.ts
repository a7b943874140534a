/** Stable hashes for identity checks (the same call, the same output). */
import * as crypto from 'node:crypto'

// `crypto.hash` (Node ≥ 20.12) hashes a string in one call, several times faster
// than a Hash object for the short strings hashed on every step.
const oneShot = (crypto as {hash?: (algorithm: string, data: string, encoding: 'hex') => string}).hash

/** Beyond this size a text is hashed by its length, its head and its tail: equal in all three is equal in practice. */
const HASH_WHOLE_LIMIT = 256 * 1024

/** The SHA-1 of a string, in hex. */
export function sha1Hex(data: string): string {
  return oneShot ? oneShot('sha1', data, 'hex') : crypto.createHash('sha1').update(data).digest('hex')
}

/** The SHA-256 of a string, in hex. */
export function sha256Hex(data: string): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex')
}

/** A short, stable hex hash of a string. */
export function hashText(text: string): string {
  const data =
    text.length > HASH_WHOLE_LIMIT
      ? `${text.length}\u0000${text.slice(0, 192 * 1024)}\u0000${text.slice(-64 * 1024)}`
      : text
  const hex = sha1Hex(data)
  // A cut of the digest would be a view of all 40 characters; read back from JSON, the 16 are a string of their own
  // (cards keep two hashes a tool step).
  return JSON.parse(`"${hex.slice(0, 16)}"`) as string
}

/**
 * Keys that describe or bound a call without changing what it does: the same
 * command with another description or timeout is the same call.
 */
const COSMETIC_KEYS = new Set([
  'description',
  'timeout',
  'timeout_ms',
  'yield_time_ms',
  'max_output_tokens',
  'justification',
])

/**
 * The hash of a tool call's arguments after normalisation: keys sorted,
 * strings trimmed, cosmetic keys (a description, a timeout) dropped. A string
 * that holds JSON (OpenAI-style arguments) is parsed first.
 */
export function argsHash(name: string, args: unknown): string {
  return hashText(`${name}\u0000${JSON.stringify(normaliseArgs(args)) ?? 'null'}`)
}

/** A copy of `args` with sorted keys, trimmed strings and no cosmetic keys: equal calls serialise equally. */
function normaliseArgs(args: unknown): unknown {
  if (typeof args === 'string') {
    const trimmed = args.trim()
    const first = trimmed.charCodeAt(0)
    if (first === 123 || first === 91) {
      try {
        return normaliseArgs(JSON.parse(trimmed))
      } catch {
        return trimmed
      }
    }
    return trimmed
  }
  if (Array.isArray(args)) return args.map(a => normaliseArgs(a))
  if (args && typeof args === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(args).sort()) {
      if (!COSMETIC_KEYS.has(key)) out[key] = normaliseArgs((args as Record<string, unknown>)[key])
    }
    return out
  }
  return args
}
