/**
 * Terminal escape sequences and control characters: what a trace may carry
 * (a web page, a coloured log) and must never reach a terminal as is.
 * The one place these patterns are written down.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 and C1 controls but tab and newline, on purpose
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
/**
 * Characters that change how text shows without showing themselves: bidirectional overrides and isolates (U+202A–
 * U+202E, U+2066–U+2069, the marks U+200E, U+200F, U+061C, which make `txt.exe` read as `exe.txt`), zero-width
 * spaces and joiners (U+200B–U+200D, U+2060; a key cut by one reads whole), and a byte-order mark inside text.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR (colour) sequences are what is measured away
const SGR = /\u001b\[[0-9;]*m/g

/**
 * `text` without escape sequences (CSI, OSC, other ESC), control characters and invisible formatting characters
 * (see INVISIBLE); tabs and newlines kept.
 */
export function stripControls(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '').replace(INVISIBLE, '')
}

/**
 * `text` without control characters and invisible formatting characters, one by one, escape sequences' other
 * characters kept (stripControls takes the letter after a lone ESC with it: a key cut by one would lose a character and
 * read as no key). Where a secret is looked for in text whose controls are written out.
 */
function stripControlChars(text: string): string {
  return text.replace(CONTROLS, '').replace(INVISIBLE, '')
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: one colour (SGR) sequence, what aco's own screens use
const ONE_SGR = /^\u001b\[[0-9;]*m$/
// biome-ignore lint/suspicious/noControlCharactersInRegex: C0 and C1 controls but tab, newline and ESC
const CONTROLS_BUT_ESC = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: an ESC that opens no colour sequence
const LONE_ESC = /\u001b(?!\[[0-9;]*m)/g

/**
 * Text a command prints, made safe for a terminal whatever it quotes: escape sequences, controls and invisible
 * characters removed, colour (SGR) sequences kept (aco's own screens colour their text).
 */
export function terminalText(text: string): string {
  return text
    .replace(ESCAPES, m => (ONE_SGR.test(m) ? m : ''))
    .replace(CONTROLS_BUT_ESC, '')
    .replace(LONE_ESC, '')
    .replace(INVISIBLE, '')
}

/**
 * A file's path as it may be shown: each control character, escape and invisible formatting character written out
 * (`\x1b`, `\u202e`), not dropped. Dropped, they would leave the name of another file, or of none (trial 78:
 * `evil\x1b]0;pwn\x07name.jsonl` shown as `evilname.jsonl`).
 */
export function visiblePath(path: string): string {
  return path.replace(SHOWN_ESCAPED, ch => {
    const code = ch.charCodeAt(0)
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** What `visiblePath` writes out: every C0 and C1 control (tabs and line breaks too), and INVISIBLE's characters. */
const SHOWN_ESCAPED = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f]|${INVISIBLE.source}`, 'g')

/**
 * A message of aco's own naming what the user gave (a path, a value), as it may be shown: each control character,
 * escape and invisible formatting character written out as `visiblePath` writes them, but its line breaks and tabs
 * kept (aco's messages run to several lines). Dropped, they would name another file, or none (trial 84: `aco merge
 * $'x\x1b[2J.json'` said it could not read `x.json`, which was there).
 */
export function visibleText(text: string): string {
  return text.replace(SHOWN_ESCAPED, ch => (ch === '\n' || ch === '\t' ? ch : visiblePath(ch)))
}

/**
 * A copy of `value` whose properties named `path`, `tool`, `model` or `key` (a `--by` row's: a model, a session's
 * path) are written as `visiblePath` shows them: what a result says of files, and the names its rows are told apart by,
 * before its text is made safe for a screen or a report (dropped, `Bash\x1b[2J` would show as a second row named
 * `Bash`, trial 84, and a model's `--by` row would lose its `*`, review 86).
 */
export function withVisibleNames<T>(value: T, redact?: (text: string) => string): T {
  const name = (x: string): string => {
    const shown = visiblePath(x)
    return !redact || shown === x ? shown : (joinedSecret(x, redact) ?? shown)
  }
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit)
    if (v === null || typeof v !== 'object') return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      out[k] = WRITTEN_OUT.has(k) && typeof x === 'string' ? name(x) : visit(x)
    return out
  }
  return visit(value) as T
}

/**
 * `text` without its controls, redacted, where a secret they cut in two is whole without them (sequences gone whole, or
 * characters one by one: stripControls takes the letter after a lone ESC with it); undefined when none is. What is
 * shown of a text whose controls are otherwise written out.
 */
export function joinedSecret(text: string, redact: (text: string) => string): string | undefined {
  for (const joined of [stripControls(text), stripControlChars(text)]) {
    const redacted = redact(joined)
    if (redacted !== joined) return redacted
  }
  return undefined
}

/** The properties `withVisibleNames` writes out. */
const WRITTEN_OUT: ReadonlySet<string> = new Set(['path', 'tool', 'model', 'key'])

/** `text` without the colour codes aco itself adds (to measure what is visible). */
export function stripSgr(text: string): string {
  return text.replace(SGR, '')
}

/**
 * One line of trace text safe to print: escape sequences and control
 * characters removed, tabs and line breaks as spaces. What the review, the
 * analyze screen and the report show of a trace goes through here.
 */
export function safeLine(text: string): string {
  return stripControls(text.replace(/[\t\n\r]+/g, ' '))
}

/**
 * A copy of `value` with every string made a safe line (`safeLine`) and cut
 * to `max` characters with "…" (a 100 KB model name is no name to print).
 * `recheck` sees each string that lost characters that way: text redacted
 * before may have held a secret cut in two by an escape sequence or a
 * zero-width space, whole again once they are gone (`redactText` finds it).
 * Iterative, so no depth of nesting overflows the stack.
 */
/**
 * `cut` without a lone high surrogate at its end: a character outside the Basic Multilingual Plane (an emoji) cut in
 * half, which prints as U+FFFD.
 */
export function wholeChars(cut: string): string {
  const last = cut.charCodeAt(cut.length - 1)
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut
}

export function safeStrings<T>(value: T, max: number, recheck?: (text: string) => string): T {
  const clean = (s: string): string => {
    let line = safeLine(s)
    if (recheck && line.length !== s.length && line !== s.replace(/[\t\n\r]+/g, ' ')) line = recheck(line)
    return line.length > max ? `${wholeChars(line.slice(0, max - 1))}…` : line
  }
  if (typeof value === 'string') return clean(value) as T
  if (value === null || typeof value !== 'object') return value
  const root: unknown = Array.isArray(value) ? [] : {}
  const stack: Array<[source: object, target: Record<string, unknown>]> = [[value, root as Record<string, unknown>]]
  while (stack.length) {
    const [source, target] = stack.pop()!
    for (const [k, v] of Object.entries(source)) {
      if (typeof v === 'string') target[k] = clean(v)
      else if (v !== null && typeof v === 'object') {
        const copy: Record<string, unknown> = Array.isArray(v) ? ([] as unknown as Record<string, unknown>) : {}
        target[k] = copy
        stack.push([v, copy])
      } else target[k] = v
    }
  }
  return root as T
}

/**
 * Characters JSON leaves as they are that a terminal acts on or shows as other text: DEL and the 8-bit controls
 * (U+009B is a CSI), bidirectional overrides and isolates (U+202E turns what follows around), zero-width characters,
 * the line and paragraph separators.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g

/**
 * JSON text with those characters written as `\uXXXX` escapes: the same values once parsed (`--json` keeps values as
 * read), but `cat` of the output shows them as text rather than acting on them. They stand only inside strings.
 */
export function escapeJsonText(json: string): string {
  JSON_UNSAFE.lastIndex = 0
  if (!JSON_UNSAFE.test(json)) return json
  JSON_UNSAFE.lastIndex = 0
  return json.replace(JSON_UNSAFE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
