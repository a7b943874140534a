/**
 * Secret redaction for anything aco prints or writes. Patterns cover the
 * credentials agents most often echo into their logs: API keys, tokens,
 * private keys and `password=`-style assignments.
 */

const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED:private-key]'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g, '[REDACTED:api-key]'],
  [/\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,}/g, '[REDACTED:github-token]'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, '[REDACTED:slack-token]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[REDACTED:aws-key]'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, '[REDACTED:google-key]'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, '[REDACTED:jwt]'],
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{16,}/gi, '$1 [REDACTED]'],
  [
    /\b((?:api[_-]?key|secret|token|password|passwd|access[_-]?key)["']?\s*[:=]\s*["']?)([^\s"',;]{8,})/gi,
    '$1[REDACTED]',
  ],
]

/**
 * Every pattern above needs one of these prefixes or an assignment to a
 * secret-sounding name; most text has none, and skips the patterns.
 */
const MAYBE_SECRET =
  /sk-|gh[opusr]_|github_pat_|xox[abposr]-|AKIA|AIza|eyJ|bearer\s|PRIVATE KEY|(?:key|secret|token|passw(?:or)?d)["']?\s*[:=]/i

/** Replaces secrets in a string. */
export function redactText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text
  let out = text
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/** A deep copy of `value` with secrets in every string replaced. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(v => redactValue(v) as unknown) as T
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v)
  return out as T
}
