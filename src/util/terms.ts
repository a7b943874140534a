/**
 * Distinctive terms of a large tool output: paths, dotted names and
 * identifiers that look made-up rather than English (snake_case, camelCase,
 * digits), in the order they first appear. Later steps that mention one of
 * them used the output. Many terms, not a few rare ones: the point is to
 * notice any use, so that an output is called unused only when it clearly was.
 */

const TERM = /[A-Za-z_$][\w$-]*(?:[./][\w$-]+)+|[A-Za-z_$][\w$]{5,}/g
const SCAN_LIMIT = 200_000

function distinctive(term: string): boolean {
  if (term.length < 6 || term.length > 120) return false
  // paths, dotted names, snake_case, camelCase, words with digits
  return /[./_\d]/.test(term) || /[a-z][A-Z]/.test(term)
}

/** Up to `max` distinct distinctive terms of `text`, in order of first appearance. */
export function distinctiveTerms(text: string, max = 200): string[] {
  const seen = new Set<string>()
  const sample = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text
  for (const match of sample.matchAll(TERM)) {
    const term = match[0].replace(/[.-]+$/, '')
    if (!distinctive(term) || /^[0-9a-f]{16,}$/i.test(term)) continue
    seen.add(term)
    if (seen.size >= max) break
  }
  return [...seen]
}
