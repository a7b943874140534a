/**
 * Secrets of no known format: long random-looking tokens (a bare AWS secret
 * access key, a key a service of no rule issued). A token counts when it is
 * long, mixes upper case, lower case and digits as random text does (not
 * word by word, as identifiers do), and its Shannon entropy is near that of
 * random text of its length; ids with a known prefix (`toolu_`,
 * `msg_`, `chatcmpl-`), hex digests and UUIDs, words and paths are not
 * secrets.
 */

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0
  const counts = new Map<number, number>()
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    counts.set(c, (counts.get(c) ?? 0) + 1)
  }
  let h = 0
  for (const n of counts.values()) {
    const p = n / text.length
    h -= p * Math.log2(p)
  }
  return h
}

/** Shortest and longest token the rule judges. */
export const MIN_TOKEN = 24
export const MAX_TOKEN = 512

/** Prefixes of ids that agent logs are full of: the rest is random, but not a secret. */
const ID_PREFIX =
  /^(?:toolu|tooluse|srvtoolu|msg|req|call|fc|resp|rs|run|file|asst|thread|batch|chatcmpl|cmpl|span|trace|sess|session|evt|event|step|agent|item|ctc|ws|ses|conv|chat|gen|obs|pr|sha\d*|md5)[_-]/i

const HEX = /^[0-9a-fA-F_-]+$/

/**
 * The least entropy a token of `length` characters needs: what random
 * base62 of that length exceeds 199 times in 200 (3.8 bits at 24
 * characters, 4.3 at 40, 4.7 at 64, capped at 5.5).
 */
function threshold(length: number): number {
  return Math.min(5.5, 0.82 + 0.65 * Math.log2(length))
}

function charClass(c: number): number {
  return c >= 65 && c <= 90 ? 0 : c >= 97 && c <= 122 ? 1 : c >= 48 && c <= 57 ? 2 : 3
}

/** Whether a token (a run of base64 characters) looks like a secret. */
export function looksRandom(token: string): boolean {
  if (token.length < MIN_TOKEN || token.length > MAX_TOKEN) return false
  if (HEX.test(token) || ID_PREFIX.test(token)) return false
  // A path or a compound name (`src/components/x`, `Hero_home-subtitle__P8khF`): a segment between separators
  // that is a plain word. Only a long random segment of its own (`rk_live_<random>`) makes it a secret.
  if (compound(token)) {
    const longest = longestPart(token)
    return longest.length >= 20 && random(longest)
  }
  return random(token)
}

/**
 * An OpenCode id as its storage names folders and files: `ses_`, `msg_` or `prt_`, then 12 hex digits of time and 14
 * random letters and digits. Only that shape is kept whole in a path: a known prefix alone is not enough there
 * (review 132: `…/sess-<40 characters>/usage` is OpenAI's old session key, `sess_<id>` a PHP session's file).
 */
const OPENCODE_ID = /^(?:ses|msg|prt)_[0-9a-f]{12}[0-9A-Za-z]{14}$/

/**
 * The longest part of a path or compound name between separators (`-`, `_`, `/`, `+`), leaving out the path's segments
 * that are OpenCode's ids (`storage/message/ses_0945…/msg_…`: trial 130's paths had gone unreadable).
 */
function longestPart(token: string): string {
  let longest = ''
  for (const segment of token.split('/')) {
    if (OPENCODE_ID.test(segment)) continue
    for (const part of segment.split(/[-_+]/)) if (part.length > longest.length) longest = part
  }
  return longest
}

/**
 * A name made of words run together (`SnakeCaseLowerNamingPolicy`, `useQueryClientProvider`): each word a capital or
 * none and lower-case letters with a vowel among them, an acronym (`XML`) once at most, numbers of a few digits. Random
 * text of 24 characters reads so about 3 times in 100,000 that the rule flags, of 32 none in 300,000 (trial 106: a C#
 * file's name had been redacted).
 */
function identifier(token: string): boolean {
  const words = token.match(WORD)
  if (!words || words.length < 2 || words.join('') !== token) return false
  let acronyms = 0
  for (const w of words) {
    const c = w.charCodeAt(0)
    if (c >= 48 && c <= 57) {
      if (w.length > 4) return false
    } else if (UPPER.test(w)) {
      if (w.length > 5 || ++acronyms > 1) return false
    } else {
      const lower = c >= 65 && c <= 90 ? w.slice(1) : w
      if (lower.length < 2 || !VOWEL.test(lower)) return false
    }
  }
  return true
}

const WORD = /[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+/g
const UPPER = /^[A-Z]+$/
const VOWEL = /[aeiouy]/

/** Whether the longest part of `text` between `separators` is long and random: what makes a compound name a secret. */
function randomPart(text: string, separators: RegExp): boolean {
  let longest = ''
  for (const part of text.split(separators)) if (part.length > longest.length) longest = part
  return longest.length >= 20 && random(longest)
}

/** A path or a compound name: a segment between separators is a plain word. */
function compound(token: string): boolean {
  return /[-_/+]/.test(token) && /(?:^|[-_/+])[A-Z]?[a-z]{3,}(?=[-_/+]|$)/.test(token)
}

/**
 * Of a path that `looksRandom` judged a secret for a segment of it (`/home/u/runs/vo-LZXgyEA0fH4u43jERJ6kyh/src/b`),
 * where the segments between its slashes to hide lie (start and end in the token): the one that holds the random part,
 * and any other that is not plain words (`K7MDENG`: a shorter piece of the same secret, maybe), so the path stays
 * readable and no part of a secret shows. Undefined where the token is no such path, or no segment holds the random
 * part (the whole token is the secret then).
 */
export function randomSegments(token: string): Array<[number, number]> | undefined {
  if (!token.includes('/') || !compound(token)) return undefined
  const out: Array<[number, number]> = []
  let holdsRandom = false
  let start = 0
  for (let i = 0; i <= token.length; i++) {
    if (i < token.length && token.charCodeAt(i) !== 47) continue
    const segment = token.slice(start, i)
    // (An OpenCode id is no piece of a secret: `ses_094543c98ffeLpQNuFXFVsZjKq`.)
    const id = OPENCODE_ID.test(segment)
    const holds = !id && randomPart(segment, /[-_+]/)
    holdsRandom ||= holds
    if (holds || (!id && !PLAIN_SEGMENT.test(segment))) out.push([start, i])
    start = i + 1
  }
  return holdsRandom ? out : undefined
}

/** A path segment of words, each lower case or capitalised, or digits (`src`, `Landing-Page`, a UUID's groups). */
const PLAIN_SEGMENT = /^[A-Z]?[a-z0-9]*(?:[-_+][A-Z]?[a-z0-9]*)*$/

/** Classes, their changes and entropy as random text has them. */
function random(token: string): boolean {
  if (identifier(token)) return false
  const seen = [0, 0, 0, 0]
  let changes = 0
  let before = -1
  for (let i = 0; i < token.length; i++) {
    const k = charClass(token.charCodeAt(i))
    seen[k]!++
    if (before >= 0 && k !== before) changes++
    before = k
  }
  // Two of upper case, lower case and digits at least.
  if ((seen[0]! > 0 ? 1 : 0) + (seen[1]! > 0 ? 1 : 0) + (seen[2]! > 0 ? 1 : 0) < 2) return false
  // Random text changes class at ~60% of its characters; words in camelCase or snake_case at ~20-30%.
  if (changes < 0.36 * (token.length - 1)) return false
  return shannonEntropy(token) >= threshold(token.length)
}
