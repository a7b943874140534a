/** Stable hashes and canonical JSON for identity checks (same call, same output). */
import {createHash} from 'node:crypto'

/** A short, stable hex hash of a string. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16)
}

/** JSON with object keys sorted, so equal values serialise equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`
  const keys = Object.keys(value).sort()
  const parts: string[] = []
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key]
    if (v === undefined) continue
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`)
  }
  return `{${parts.join(',')}}`
}

/**
 * Keys that describe or bound a call without changing what it does: the same
 * command with another description or timeout is the same call.
 */
const COSMETIC_KEYS = new Set(['description', 'timeout', 'timeout_ms', 'yield_time_ms', 'max_output_tokens', 'justification'])

/**
 * The hash of a tool call's arguments after normalisation: keys sorted,
 * strings trimmed, cosmetic keys (a description, a timeout) dropped. A string
 * that holds JSON (OpenAI-style arguments) is parsed first.
 */
export function argsHash(name: string, args: unknown): string {
  return hashText(`${name}\u0000${canonicalJson(normaliseArgs(args))}`)
}

function normaliseArgs(args: unknown): unknown {
  if (typeof args === 'string') {
    const trimmed = args.trim()
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return normaliseArgs(JSON.parse(trimmed))
      } catch {
        return trimmed
      }
    }
    return trimmed
  }
  if (Array.isArray(args)) return args.map((a) => normaliseArgs(a))
  if (args && typeof args === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(args)) if (!COSMETIC_KEYS.has(k)) out[k] = normaliseArgs(v)
    return out
  }
  return args
}
