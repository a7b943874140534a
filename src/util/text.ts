/** Small text helpers: excerpts and shortened copies of large values. */
import {redactText} from './redact.js'

let redactExcerpts = true

/**
 * Whether excerpts are redacted (the default). Redaction has to happen before
 * a text is cut: a key cut in half no longer looks like a key. Set once per
 * thread from the run's `--redact`.
 */
export function setExcerptRedaction(on: boolean): void {
  redactExcerpts = on
}

/** The first `max` characters of `text` (secrets redacted), with a marker of what was cut. */
export function excerpt(text: string, max = 300): string {
  if (text.length <= max) return redactExcerpts ? redactText(text) : text
  // Redact a little past the cut, so a secret across it is still recognised whole.
  const head = redactExcerpts ? redactText(text.slice(0, max + 256)) : text
  return `${head.slice(0, max)}… [+${text.length - max} chars]`
}

/** Set by `shorten` when it cut something (read through `shortenChecked`). */
let cutSomething = false

/** `shorten`, and whether the copy differs from the value (a string cut or redacted, a list cut, a nesting level). */
export function shortenChecked(value: unknown, maxString = 400, maxItems = 40): {value: unknown; cut: boolean} {
  cutSomething = false
  const out = shorten(value, maxString, maxItems)
  return {value: out, cut: cutSomething}
}

/**
 * A copy of `value` where long strings and arrays are shortened, so a card
 * stays small while keeping what a person needs to recognise the call.
 */
function shorten(value: unknown, maxString = 400, maxItems = 40, depth = 0): unknown {
  if (typeof value === 'string') {
    const out = excerpt(value, maxString)
    // Cut, or a secret redacted: the copy is not the value.
    if (out !== value) cutSomething = true
    return out
  }
  if (value === null || typeof value !== 'object') return value
  if (depth > 6) {
    cutSomething = true
    return '[…]'
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, maxItems).map(v => shorten(v, maxString, maxItems, depth + 1))
    if (value.length > maxItems) {
      cutSomething = true
      items.push(`… [+${value.length - maxItems} items]`)
    }
    return items
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = shorten(v, maxString, maxItems, depth + 1)
  return out
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
