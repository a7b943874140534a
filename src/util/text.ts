/** Small text helpers: excerpts and shortened copies of large values. */
import {wholeChars} from './control.js'
import {detach} from './detach.js'
import {redactHead, redactKey, redactText} from './redact.js'

/**
 * The first `max` characters of `text`, with a marker of what was cut;
 * secrets redacted unless `redact` is false. Redaction happens on the whole
 * text, before the cut: a key across the cut, or a private key longer than
 * the excerpt, is hidden whole and no part of it is kept (on a long text,
 * the head that decides the excerpt: see `redactHead`).
 */
export function excerpt(text: string, max = 300, redact = true): string {
  const shown = redact ? redactHead(text, max) : text
  // A redacted copy is made of cuts of the text: kept on its own (see detach.ts); the text itself is the caller's.
  if (shown.length <= max) return shown === text ? text : detach(shown)
  // A redaction marker is never cut in half (a half marker would look like text that was there), nor a character.
  const cut = beforeOpenMarker(wholeChars(shown.slice(0, max)))
  return detach(`${cut}… [+${text.length - cut.length} chars]`)
}

/**
 * `text` cut to `max` characters with "…" (with `oneLine`, its runs of white
 * space as one space first): for a flag's reason. Secrets are redacted before
 * the cut unless `redact` is false (the run's `--no-redact`), whatever the
 * card's text was (a key cut in half would no longer look like a key).
 */
export function clip(text: string, max: number, options: {oneLine?: boolean; redact?: boolean} = {}): string {
  const redact = options.redact ?? true
  let line = redact ? redactHead(text, 4 * max + 1000) : text
  if (options.oneLine) line = line.replace(/\s+/g, ' ').trim()
  if (line.length <= max) return line
  const cut = wholeChars(line.slice(0, max - 1))
  // A redaction marker is never cut in half.
  return `${redact ? beforeOpenMarker(cut) : cut}…`
}

const MARKER = '[REDACTED:'

/** `cut` without a redaction marker its end cut in half (`[REDACTED:git`, `[REDAC`), if it ends in one. */
function beforeOpenMarker(cut: string): string {
  const open = cut.lastIndexOf('[')
  if (open < 0 || cut.indexOf(']', open) >= 0) return cut
  const tail = cut.slice(open)
  return tail.startsWith(MARKER) || MARKER.startsWith(tail) ? cut.slice(0, open) : cut
}

/** A title: the first line of `text`, trimmed, redacted whole, then cut to `max` characters with "…". */
export function titleOf(text: string | undefined, redact = true, max = 100): string | undefined {
  if (!text) return undefined
  const start = text.search(/\S/)
  if (start < 0) return undefined
  const nl = text.indexOf('\n', start)
  let line = (nl < 0 ? text.slice(start) : text.slice(start, nl)).trim()
  if (!line) return undefined
  if (redact) line = redactText(line)
  if (line.length <= max) return line
  const cut = cutAtWord(line, max)
  // A redaction marker is never cut in two: the title ends before it.
  const body = cut.endsWith('…') ? cut.slice(0, -1) : cut
  const whole = beforeOpenMarker(body)
  return whole === body ? cut : `${whole.trimEnd()}…`
}

/** How `shortenJson` shortens a value. */
export interface ShortenRules {
  /** Each string, shortened (and cleaned, redacted: whatever the caller needs). */
  text(value: string): string
  /** Each key (default: kept as it is). */
  key?(key: string): string
  /** Items kept of an array; the rest become one `more(n)` item. */
  maxItems: number
  more(n: number): string
  /** Nesting kept; anything deeper becomes `deep`. */
  maxDepth: number
  deep: string
}

/**
 * A copy of a JSON value with long strings and arrays shortened and deep
 * nesting cut, keeping what a person needs to recognise it. The cards keep
 * tool arguments this way; the review shows them this way.
 */
export function shortenJson(value: unknown, rules: ShortenRules, depth = 0): unknown {
  if (typeof value === 'string') return rules.text(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > rules.maxDepth) return rules.deep
  if (Array.isArray(value)) {
    const items = value.slice(0, rules.maxItems).map(v => shortenJson(v, rules, depth + 1))
    if (value.length > rules.maxItems) items.push(rules.more(value.length - rules.maxItems))
    return items
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[rules.key ? rules.key(k) : k] = shortenJson(v, rules, depth + 1)
  return out
}

/** A tool call's arguments as a card keeps them: strings as excerpts of 400 characters, 40 items, 6 levels. */
export function shorten(value: unknown, redact = true): unknown {
  return shortenJson(value, {
    text: s => excerpt(s, 400, redact),
    maxItems: 40,
    more: n => `… [+${n} items]`,
    maxDepth: 6,
    deep: '[…]',
  })
}

/**
 * `shorten`, and whether the copy differs from the value (a string cut or
 * redacted, a list cut, nesting cut): the flag stage keeps the whole
 * arguments only where the card's copy is not them. `redacted`: whether
 * redaction changed a string (not only its cut).
 */
export function shortenChecked(value: unknown, redact = true): {value: unknown; cut: boolean; redacted: boolean} {
  let cut = false
  let redacted = false
  const out = shortenJson(value, {
    text: s => {
      const e = excerpt(s, 400, redact)
      if (e !== s) {
        cut = true
        // Whether redaction changed it, not only the cut.
        if (redact && !redacted && e !== excerpt(s, 400, false)) redacted = true
      }
      return e
    },
    // A secret can be a key too (`{"headers": {"ghp_…": …}}`): redacted as the cards' writer redacts keys.
    key: redact
      ? k => {
          const r = redactKey(k)
          if (r !== k) {
            cut = true
            redacted = true
          }
          return r
        }
      : undefined,
    maxItems: 40,
    more: n => {
      cut = true
      return `… [+${n} items]`
    },
    maxDepth: 6,
    // Read only where nesting is cut.
    get deep() {
      cut = true
      return '[…]'
    },
  })
  return {value: out, cut, redacted}
}

/** Text content of a message content field: a string, or an array of blocks with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  let out = ''
  for (const block of content) {
    if (typeof block === 'string') out += block
    else if (block && typeof block === 'object') {
      const b = block as {type?: unknown; text?: unknown; content?: unknown}
      if (typeof b.text === 'string') out += (out ? '\n' : '') + b.text
      else if (b.type === 'tool_result' || b.type === 'tool_reference') out += contentText(b.content)
    }
  }
  return out
}

/** `text` cut to at most `max` characters at a word's end where one is near, ending with "…" when cut (titles). */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  // The cut falls at a word's end when the next character is a space or punctuation.
  const space = /[\s,;:.!?)]/.test(text[max] ?? '') ? max : cut.lastIndexOf(' ')
  const head = space >= (max * 2) / 3 ? cut.slice(0, space) : wholeChars(cut)
  return `${head.replace(/[\s,;:·–—-]+$/, '')}…`
}

/** Lines of a text (a last line without its newline counts). */
export function lineCount(text: string): number {
  if (!text) return 0
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return text.endsWith('\n') ? n : n + 1
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
