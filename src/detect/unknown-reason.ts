/**
 * The reason a file of no format aco reads is skipped, written and read in one place: the formats it was compared
 * with and what to do. The report reads the list back (one line each below its Skipped table, not ~4,000 characters in
 * a cell); the screen and `--json` give the reason as it is.
 */

const LOOKED_FOR = 'unknown format; looked for '
/** What to do about such a file. */
export const UNKNOWN_FORMAT_HINT = 'Name it with --format if you know it, or describe it with --mapping'

/** The reason, from each format's `label (what it looks for)`. */
export function unknownFormatReason(wanted: readonly string[]): string {
  return `${LOOKED_FOR}${wanted.join('; ')}. ${UNKNOWN_FORMAT_HINT}`
}

/** The formats an unknown-format reason lists, each `label (what it looks for)`; undefined for another reason. */
export function formatsLookedFor(reason: string): string[] | undefined {
  const end = `. ${UNKNOWN_FORMAT_HINT}`
  if (!reason.startsWith(LOOKED_FOR) || !reason.endsWith(end)) return undefined
  return topLevelParts(reason.slice(LOOKED_FOR.length, reason.length - end.length))
}

/** `a (x; y); b (z)` as `a (x; y)` and `b (z)`: split at the semicolons outside parentheses. */
function topLevelParts(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '(') depth++
    else if (ch === ')') depth = Math.max(0, depth - 1)
    else if (ch === ';' && depth === 0) {
      parts.push(text.slice(from, i).trim())
      from = i + 1
    }
  }
  parts.push(text.slice(from).trim())
  return parts.filter(p => p)
}
