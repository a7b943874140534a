/**
 * Distinctive terms of a large tool output: paths, dotted names and
 * identifiers that look made-up rather than English (snake_case, camelCase,
 * digits), in the order they first appear. Later steps that mention one of
 * them used the output. Many terms, not a few rare ones: the point is to
 * notice any use, so that an output is called unused only when it clearly was.
 */

import {detach} from './detach.js'

const SPLIT = /[^\w$./-]+/
/** Terms are looked for in the first part of an output: enough to notice a use, cheap on huge outputs. */
const SCAN_LIMIT = 64_000

function distinctive(term: string): boolean {
  if (term.length < 6 || term.length > 120) return false
  const first = term.charCodeAt(0)
  // must start like an identifier or a path
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95 || first === 36 || first === 47))
    return false
  // paths, dotted names, snake_case, camelCase, words with digits
  return /[./_\d]/.test(term) || /[a-z][A-Z]/.test(term)
}

/** Up to `max` distinct distinctive terms of `text`, in order of first appearance. */
export function distinctiveTerms(text: string, max = 200): string[] {
  const seen = new Set<string>()
  const sample = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text
  for (let word of sample.split(SPLIT)) {
    if (word.length < 6) continue
    const last = word.charCodeAt(word.length - 1)
    if (last === 46 || last === 45 || last === 47) word = word.replace(/[./-]+$/, '')
    if (word.charCodeAt(0) === 47) word = word.slice(1)
    if (!distinctive(word) || /^[0-9a-f]{16,}$/i.test(word) || seen.has(word)) continue
    // A word split off the output is a view of the whole output (see detach.ts).
    seen.add(detach(word))
    if (seen.size >= max) break
  }
  return [...seen]
}
