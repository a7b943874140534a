/**
 * Text from data (model, feature and item names, warnings that quote them) placed into Markdown that aco writes
 * (evaluation.md, PR.md): escaped so that it reads as the text it is. A model named `<img src=x>` or `a|b`
 * is shown as those characters, not as HTML or a broken table; a `[link](…)` is not a link. The escapes are
 * CommonMark's backslash escapes, which render as the character alone; characters that are markup only in
 * some places are escaped only there (an underscore inside a word, `&` that starts no entity), so most names
 * read in the file as they are (aco's own `[REDACTED:…]` placeholders too).
 */

/**
 * What GitHub links in text of a pull request or an issue, beyond Markdown: a mention (`@octocat`, `@org/team`) notifies
 * people, a reference (`#12`) links an issue. A word joiner (U+2060, invisible) after the sign keeps the text as it reads
 * and links nothing (trial 107: a command quoted in PR.md pinged a user). After any sign, a backquote too (escaped,
 * it opens no code span: review 109); not in an address (`git@github.com`), nor where aco writes a code element.
 */
export function noMentions(text: string): string {
  return text.replace(MENTION, '$1$2\u2060')
}

const MENTION = /(^|[^\p{L}\p{N}_])([@#])(?=[\p{L}\p{N}])/gu

/** One string escaped for Markdown text (not for a code span, where nothing is markup). */
export function markdownText(text: string): string {
  return noMentions(
    text
      .replace(/[\\`*<>|~]/g, '\\$&')
      // A bracket is markup only where it closes a link's text (`[a](b)`, `[a][b]`): a `[REDACTED:…]` stays as it is.
      .replace(/\](?=[([])/g, '\\]')
      .replace(/(^|[^\p{L}\p{N}])_|_(?=$|[^\p{L}\p{N}])/gu, (m: string) => m.replace('_', '\\_'))
      .replace(/&(?=#?\w+;)/g, '\\&')
      .replace(/^(\s*)([#>+-])(?=\s)/gm, '$1\\$2')
      // (A list number's dot or parenthesis is escaped, not the number: `1\. x`.)
      .replace(/^(\s*\d+)([.)])(?=\s)/gm, '$1\\$2'),
  )
}

/** A copy of a value with each of its strings escaped as `markdownText` (for a result rendered as Markdown). */
export function markdownStrings<T>(value: T): T {
  if (typeof value === 'string') return markdownText(value) as T
  if (Array.isArray(value)) return value.map(v => markdownStrings(v)) as T
  // Plain objects only: a typed array, a Map or a Date is kept as it is.
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = markdownStrings(v)
    return out as T
  }
  return value
}
