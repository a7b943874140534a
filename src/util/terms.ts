/**
 * Distinctive terms of a large tool output: paths, dotted names and
 * identifiers that look made-up rather than English (snake_case, camelCase,
 * digits), in the order they first appear. Later steps that mention one of
 * them used the output. Many terms, not a few rare ones: the point is to
 * notice any use, so that an output is called unused only when it clearly was.
 */

import {detach} from './detach.js'
import {redactHead} from './redact.js'

/** Terms are looked for in the first part of an output: enough to notice a use, cheap on huge outputs. */
const SCAN_LIMIT = 64_000

/** Up to `max` distinct distinctive terms of `text`, in order of first appearance. */
export function distinctiveTerms(text: string, max = 200): string[] {
  const seen = new Set<string>()
  const end = Math.min(text.length, SCAN_LIMIT)
  // Runs of term characters (`[\w$./-]`), judged by their character codes: only a run that is a term is cut out as a
  // string (no array of every word of the sample).
  let i = 0
  while (i < end) {
    while (i < end && !termChar(text.charCodeAt(i))) i++
    const start = i
    while (i < end && termChar(text.charCodeAt(i))) i++
    if (i - start < 6) continue
    let to = i
    // Without trailing dots, dashes and slashes, and a leading slash or `./` and `../` (`find .` prints `./src/a.ts`).
    while (to > start && isTrail(text.charCodeAt(to - 1))) to--
    let from = start
    while (text.charCodeAt(from) === 46) {
      const dots = text.charCodeAt(from + 1) === 46 ? 2 : 1
      if (text.charCodeAt(from + dots) !== 47) break
      from += dots + 1
    }
    if (text.charCodeAt(from) === 47) from++
    if (to - from < 6 || to - from > 120 || !termLike(text, from, to) || hexRun(text, from, to)) continue
    const word = text.slice(from, to)
    if (seen.has(word)) continue
    // A word cut from the output is a view of the whole output (see detach.ts).
    seen.add(detach(word))
    if (seen.size >= max) break
  }
  return [...seen]
}

/**
 * The distinctive terms of `text` with its secrets redacted: what a card keeps where secrets are redacted. Each term
 * alone may not look like a secret (`hunter2226` after `DB_PASSWORD=`, a piece of a private key's body): the text
 * around it tells, so the text is redacted before it is cut into terms.
 */
export function redactedTerms(text: string, max = 200): string[] {
  return distinctiveTerms(redactHead(text, Math.min(text.length, SCAN_LIMIT)), max)
}

/** `[\w$./-]`: a character of a term. */
function termChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 45 && c <= 57) || c === 95 || c === 36
    // (45–57 is `-`, `.`, `/` and the digits.)
  )
}

/** `[A-Za-z_$]`: a character an identifier starts with. */
function letterLike(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36
}

function isTrail(c: number): boolean {
  return c === 46 || c === 45 || c === 47
}

/**
 * Starts like an identifier, a path or a hidden file's name (`.entire/settings.json`), and is a path, a dotted name,
 * snake_case, camelCase or a word with digits (`[./_\d]` or `[a-z][A-Z]` in it).
 */
function termLike(text: string, from: number, to: number): boolean {
  const first = text.charCodeAt(from)
  if (!(letterLike(first) || first === 47 || (first === 46 && letterLike(text.charCodeAt(from + 1))))) return false
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k)
    if (c === 46 || c === 47 || c === 95 || (c >= 48 && c <= 57)) return true
    if (c >= 97 && c <= 122 && k + 1 < to) {
      const n = text.charCodeAt(k + 1)
      if (n >= 65 && n <= 90) return true
    }
  }
  return false
}

/** A run of 16 or more hex digits and nothing else (a hash, an id): no term. */
function hexRun(text: string, from: number, to: number): boolean {
  if (to - from < 16) return false
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false
  }
  return true
}
