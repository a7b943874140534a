/**
 * Secret redaction for everything aco prints or writes. Two rule sets:
 * gitleaks' (about 220 token shapes of known providers, as data: see
 * secrets/gitleaks-rules.ts for its source and commit) and aco's own
 * (private key blocks, values of secret-named fields, credentials in URLs
 * and Authorization headers, JWTs, long random tokens of no known format).
 *
 * A rule runs only on text holding one of its keywords (one pass finds them
 * all), every pattern is linear on any input, and secrets are found on the
 * whole value before anything is cut: a key that crosses a cut, or a private
 * key longer than an excerpt, is hidden whole.
 */
import {GITLEAKS} from './secrets/gitleaks-rules.js'
import {KeywordScanner} from './secrets/keywords.js'
import {
  ENTROPY_RULE,
  isTokenCharCode,
  MIN_TOKEN_RUN,
  OWN_RULES,
  type Rule,
  type Span,
  TOKEN_CHAR_SET,
} from './secrets/own-rules.js'
import {isPlaceholder, isSecretName} from './secrets/names.js'
import type {Pattern, RuleData} from './secrets/rule-set.js'
import {shannonEntropy} from './secrets/entropy.js'
import {sha256Hex} from './hash.js'

export interface RedactOptions {
  /**
   * Also hide long random tokens of no known format (default true). Off for
   * values that are ids by their field's name (`id`, `traceId`, `argsHash`).
   */
  entropy?: boolean
}

const compile = (p: Pattern, extra = ''): RegExp => new RegExp(p.source, p.flags + extra)

/** A gitleaks rule as a Rule: its pattern, the secret group, entropy and allowlists. */
function gitleaksRule(data: RuleData, globalAllow: RegExp[], globalStopwords: readonly string[]): Rule {
  let re: RegExp | undefined
  let allowSecret: RegExp[] = []
  let allowMatch: RegExp[] = []
  let allowLine: RegExp[] = []
  let stopwords: readonly string[] = []
  return {
    id: data.id,
    source: data.source,
    keywords: data.keywords,
    find(text, out) {
      // Compiled when the rule first runs (its keyword found), not for all ~220 rules at the first redaction.
      if (!re) {
        const groups = new RegExp(`${data.source}|`, data.flags).exec('')!.length - 1
        re = compile(data, groups > 0 ? 'gd' : 'g')
        allowSecret = (data.allow?.secret ?? []).map(p => compile(p))
        allowMatch = (data.allow?.match ?? []).map(p => compile(p))
        allowLine = (data.allow?.line ?? []).map(p => compile(p))
        stopwords = [...(data.allow?.stopwords ?? []), ...globalStopwords]
      }
      re.lastIndex = 0
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0].length === 0) {
          re.lastIndex++
          continue
        }
        let start = m.index
        let end = m.index + m[0].length
        const g = data.group ?? firstGroup(m)
        if (g !== undefined && m.indices?.[g]) [start, end] = m.indices[g]!
        const secret = text.slice(start, end)
        if (data.entropy !== undefined && shannonEntropy(secret) < data.entropy) continue
        if (globalAllow.some(a => a.test(secret)) || allowSecret.some(a => a.test(secret))) continue
        if (stopwords.length) {
          const lower = secret.toLowerCase()
          if (stopwords.some(w => lower.includes(w))) continue
        }
        // The rule's prefix (the name before a keyword) was dropped from the pattern: look 50 characters back.
        if (allowMatch.length && allowMatch.some(a => a.test(text.slice(Math.max(0, m.index - 50), end)))) continue
        if (allowLine.length && allowLine.some(a => a.test(lineAround(text, m.index, end)))) continue
        out.push({start, end, kind: data.id})
      }
    },
  }
}

function firstGroup(m: RegExpExecArray): number | undefined {
  for (let i = 1; i < m.length; i++) if (m[i]) return i
  return undefined
}

/** The line holding [start, end), at most 1,000 characters either side. */
function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start)
  const to = text.indexOf('\n', end)
  return text.slice(
    Math.max(from + 1, start - 1000),
    to < 0 ? Math.min(text.length, end + 1000) : Math.min(to, end + 1000),
  )
}

interface Engine {
  rules: Rule[]
  scanner: KeywordScanner
  /** For each keyword id, the rules it turns on. */
  byKeyword: number[][]
  /** Rules without keywords: they always run. */
  always: number[]
  /** run[rule] === pass: the rule is already listed to run on this text. */
  listed: Uint32Array
  pass: number
}

let engine: Engine | undefined

function getEngine(): Engine {
  if (engine) return engine
  const globalAllow = GITLEAKS.allow.map(p => compile(p))
  const rules = [...OWN_RULES, ...GITLEAKS.rules.map(r => gitleaksRule(r, globalAllow, GITLEAKS.stopwords))]
  const keywords: string[] = []
  const ids = new Map<string, number>()
  const byKeyword: number[][] = []
  const always: number[] = []
  rules.forEach((rule, r) => {
    if (rule.keywords.length === 0) always.push(r)
    for (const word of rule.keywords) {
      let id = ids.get(word)
      if (id === undefined) {
        id = keywords.length
        ids.set(word, id)
        keywords.push(word)
        byKeyword.push([])
      }
      byKeyword[id]!.push(r)
    }
  })
  engine = {
    rules,
    scanner: new KeywordScanner(keywords, TOKEN_CHAR_SET),
    byKeyword,
    always,
    listed: new Uint32Array(rules.length),
    pass: 0,
  }
  return engine
}

/** Every rule, aco's and gitleaks', the entropy rule last. */
export function secretRules(): readonly Rule[] {
  return [...getEngine().rules, ENTROPY_RULE]
}

/** Where the secrets in `text` are, merged and in order. */
function findSecrets(text: string, options: RedactOptions = {}, decoded = false): Span[] {
  const spans: Span[] = []
  if (text.length < 8) return spans
  const e = getEngine()
  // One pass finds every keyword and the longest run of token characters; the rules run in the order listed.
  const hits = e.scanner.found(text)
  if (++e.pass === 0xffffffff) {
    e.listed.fill(0)
    e.pass = 1
  }
  const run: number[] = []
  for (const r of e.always) list(e, run, r)
  for (const k of hits) for (const r of e.byKeyword[k]!) list(e, run, r)
  for (const r of run) e.rules[r]!.find(text, spans)
  // A token the entropy rule would judge is a run of token characters (and at most two `=` of padding).
  if (options.entropy !== false && e.scanner.longestRun >= MIN_TOKEN_RUN) ENTROPY_RULE.find(text, spans)
  if (!decoded && e.scanner.longestRun >= MIN_ENCODED) encodedSecrets(text, spans, options)
  return mergedSpans(spans)
}

/** The shortest run of base64 that may hold a secret (24 bytes of text). */
const MIN_ENCODED = 32

/**
 * The runs of base64 (the token characters, `isTokenCharCode`) in `text` at least `MIN_ENCODED` long, each with at
 * most two `=` of padding after it, as start and end: what `/[A-Za-z0-9+/_-]{32,}={0,2}/g` matches, found without a
 * regular expression, whose backtracking stack overflowed on a run of millions (trial 124: a 6 MB base64 blob in a
 * tool output dropped its whole file with `--out`).
 */
function* base64Runs(text: string): Generator<[number, number]> {
  const n = text.length
  let i = 0
  while (i < n) {
    if (!isTokenCharCode(text.charCodeAt(i))) {
      i++
      continue
    }
    let j = i + 1
    while (j < n && isTokenCharCode(text.charCodeAt(j))) j++
    if (j - i >= MIN_ENCODED) {
      let end = j
      while (end < n && end - j < 2 && text.charCodeAt(end) === 61) end++
      yield [i, end]
      i = end
    } else i = j
  }
}

/**
 * Secrets written in base64 (`echo $KEY | base64`, a Kubernetes Secret's `data`, a config's encoded value): a run of
 * base64 whose text, decoded, is printable and holds a secret the rules of known shapes find (trial 107: an Anthropic key so written
 * went whole into the cards and the review). Base64 of text is no random text to the entropy rule: its characters
 * follow the text's letters.
 */
function encodedSecrets(text: string, spans: Span[], options: RedactOptions): void {
  // The spans found so far, by start: a run is covered when one that starts at or before it reaches its end (the
  // farthest end among them, kept as the runs go forward: linear, where a look through every span for every run of a
  // wrapped base64 file was quadratic, review 109).
  const found = spans.length ? [...spans].sort((a, b) => a.start - b.start) : spans
  let next = 0
  let reach = -1
  for (const [start, end] of base64Runs(text)) {
    while (next < found.length && found[next]!.start <= start) reach = Math.max(reach, found[next++]!.end)
    if (reach >= end) continue
    const run = text.slice(start, end)
    const bytes = Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64')
    let printable = 0
    for (const b of bytes) if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) printable++
    if (printable < 0.95 * bytes.length) continue
    // (By the rules of known shapes alone: the entropy rule reads a certificate's base64 lines, public data, as keys;
    // review 109 saw a kubeconfig's certificate-authority-data redacted.)
    if (findSecrets(bytes.toString('latin1'), {...options, entropy: false}, true).length)
      spans.push({start, end, kind: 'base64-secret'})
  }
}

/** Adds rule `r` to `run` unless it is listed already (in this pass). */
function list(e: Engine, run: number[], r: number): void {
  if (e.listed[r] === e.pass) return
  e.listed[r] = e.pass
  run.push(r)
}

/** Zero-width characters (space, non-joiner, joiner, word joiner, byte-order mark). */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g
const HAS_ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/

/**
 * `text` with every secret replaced by `[REDACTED:<kind>]`. A key cut in two by a zero-width character
 * (`ghp_NqVw\u200bYS81…`) is a key: where dropping them shows a secret the text as it is hides, the text is redacted
 * without them; otherwise it stays as it is (a joiner inside an emoji is no secret's).
 */
export function redactText(text: string, options: RedactOptions = {}): string {
  const out = replaced(text, findSecrets(text, options))
  if (!HAS_ZERO_WIDTH.test(text)) return out
  const seen = text.replace(ZERO_WIDTH, '')
  const whole = replaced(seen, findSecrets(seen, options))
  return whole === out.replace(ZERO_WIDTH, '') ? out : whole
}

function replaced(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text
  let out = ''
  let at = 0
  for (const s of spans) {
    out += `${text.slice(at, s.start)}[REDACTED:${s.kind}]`
    at = s.end
  }
  return out + text.slice(at)
}

/**
 * How far past what an excerpt shows its head reaches, in characters. The
 * head ends at a line break, so it holds every line an excerpt's secret lies
 * on, whole: the rules' matches and the context they read (the line around a
 * match, a name 64 characters back, a value to its closing quote) stay within
 * a line, or cross line breaks only through short runs of white space; the
 * one rule that spans lines, a private key block, falls back to the whole text.
 */
const HEAD_MARGIN = 2048

/**
 * The start of `redactText(text)`: its first `max + 1` characters at least
 * (all of it when shorter), found from the head of the text alone when the
 * text is long. For excerpts: a 300-character excerpt of a 1 MB tool output
 * need not look for secrets in the whole megabyte. The head ends at a line
 * break at least HEAD_MARGIN characters past what the excerpt shows, so every
 * match that starts in the excerpt is found whole, with the context its rule
 * reads, exactly as in the whole text; a private key block (whose END line
 * may lie anywhere after) and a long redaction reaching the head's end fall
 * back to the whole text (so does a head without a line break near its end).
 */
export function redactHead(text: string, max: number, options: RedactOptions = {}): string {
  const from = max + HEAD_MARGIN
  if (text.length <= from + HEAD_MARGIN) return redactText(text, options)
  const nl = text.indexOf('\n', from)
  if (nl < 0 || nl > from + 4 * HEAD_MARGIN) return redactText(text, options)
  const head = text.slice(0, nl)
  if (head.includes('-----BEGIN') || HAS_ZERO_WIDTH.test(head)) return redactText(text, options)
  const spans = findSecrets(head, options)
  let out = ''
  let at = 0
  for (const s of spans) {
    if (out.length + (s.start - at) > max) break
    out += `${text.slice(at, s.start)}[REDACTED:${s.kind}]`
    at = s.end
  }
  // The original text up to here decides the first max + 1 characters; rules saw HEAD_MARGIN beyond it.
  const reached = at + Math.max(0, max + 1 - out.length)
  if (reached + HEAD_MARGIN > nl) return redactText(text, options)
  return out.length > max ? out : out + text.slice(at, reached)
}

/** Field names whose values are ids, digests or paths: random-looking on purpose, never a secret by entropy. */
const ID_FIELD =
  /(?:^|[^A-Za-z])(?:ids?|hash|uuid|sha\d*|digest|etag|checksum|nonce|cursor|path|cwd|file)$|[a-z0-9](?:Ids?|Hash|Uuid|Path)$|^id$|^evidence$/i
/** Of those, the fields that name one trace or step (`id`, `traceId`, `parentStepId`, `toolStepIds`, a flag's `evidence`). */
const IDENTITY_FIELD = /^(?:ids?|evidence)$|[a-z0-9]Ids?$/

/** Nesting beyond this is cut (aco's own values are shallow; this only stops runaway input). */
const MAX_DEPTH = 256

/**
 * A deep copy of `value` with secrets in every string replaced; a string
 * under a secret's name (`token`, `apiKey`, `DB_PASSWORD`) is replaced whole.
 */
export function redactValue<T>(value: T, options: RedactOptions = {}): T {
  return redactIn(value, undefined, options, 0) as T
}

/** A string as redactValue writes it under the field `key` (an id, a path, a secret's name or any other). */
export function redactField(value: string, key: string, options: RedactOptions = {}): string {
  return redactIn(value, key, options, 0) as string
}

/** A trace's or a step's id as redactValue writes it wherever it names one (with its digest: see IDENTITY_FIELD). */
export function redactId(id: string, options: RedactOptions = {}): string {
  return redactIn(id, 'id', options, 0) as string
}

function redactIn(value: unknown, key: string | undefined, options: RedactOptions, depth: number): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && value.length > 0 && isSecretName(key) && !isPlaceholder(value))
      return '[REDACTED:secret-field]'
    if (key === undefined || !ID_FIELD.test(key)) return redactText(value, options)
    const out = redactPathLike(value, {...options, entropy: false})
    // An id that names one trace or step stays distinct from the others redacted: two sessions named after two tokens
    // would read as one (trial 107: the review opened one for the other, and no label could name either). A short
    // digest of the whole id tells them apart and tells nothing of the token.
    return out !== value && IDENTITY_FIELD.test(key) ? `${out}~${sha256Hex(value).slice(0, 8)}` : out
  }
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '[…]'
  if (Array.isArray(value)) return value.map(v => redactIn(v, key, options, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[redactKey(k, options)] = redactIn(v, k, options, depth + 1)
  return out
}

/** The last path redacted, and what it gave (a card repeats its folder on every step). */
let lastPath: {value: string; entropy: boolean | undefined; out: string} | undefined

/** What separates a path's or an id's parts: a token's rules read each as the end of a token (a space does). */
const PART_SEPARATORS = /[/\\.@=:,+]/g
/** The same and `-`, which Claude Code's project folders put for each `/` (`-home-dev-<token>-proj`). */
const PART_SEPARATORS_DASH = /[/\\.@=:,+-]/g
/** The same and `_` (`<token>_backup`); tokens that hold `_` or `-` themselves are found by the readings above. */
const PART_SEPARATORS_ALL = /[/\\.@=:,+_-]/g
const HAS_PART_SEPARATOR = new RegExp(PART_SEPARATORS_ALL.source)

/**
 * A path or an id, redacted as a text and then as its parts: a provider's token rule wants a quote, a space or the end
 * of the text after the token, and in a path a `/`, a file's extension or a dash follows it (`…/sk_live_…/x.jsonl`,
 * `/home/dev/AIza…/proj`, Claude Code's `-home-dev-sk_live_…-proj`). The rules also read a copy with each separator
 * made a space (the same length, so their matches are places in the value), once with `-` and `_` kept (a Google key
 * holds dashes, a Stripe key underscores), once without `-`, once without either; every place any reading finds is
 * redacted.
 */
function redactPathLike(value: string, options: RedactOptions): string {
  if (lastPath?.value === value && lastPath.entropy === options.entropy) return lastPath.out
  let out: string
  // (A reading with spaces finds only what a rule's keyword turns on, and the keywords hold no separator: a value
  // with none of them is read once, as most ids and paths are.)
  if (HAS_ZERO_WIDTH.test(value) || !HAS_PART_SEPARATOR.test(value) || getEngine().scanner.found(value).length === 0)
    out = redactText(value, options)
  else {
    const spans = [...findSecrets(value, options)]
    for (const separators of [PART_SEPARATORS, PART_SEPARATORS_DASH, PART_SEPARATORS_ALL]) {
      const spaced = value.replace(separators, ' ')
      if (spaced !== value) spans.push(...findSecrets(spaced, options))
    }
    out = replaced(value, mergedSpans(spans))
  }
  lastPath = {value, entropy: options.entropy, out}
  return out
}

/** Spans sorted by start, overlapping ones joined (the first one's kind named). */
function mergedSpans(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans
  spans.sort((a, b) => a.start - b.start || b.end - a.end)
  const merged: Span[] = [{...spans[0]!}]
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i]!
    const last = merged[merged.length - 1]!
    if (s.start <= last.end) last.end = Math.max(last.end, s.end)
    else merged.push({...s})
  }
  return merged
}

/** A field name like the schemas' (short, an identifier). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,15}$/

/**
 * A key that is not a field name is data (a span id, a path, a header): a
 * trace can put a secret there too, so it is redacted like a value (without
 * the entropy rule, which ids and hashes would trip).
 */
export function redactKey(key: string, options: RedactOptions = {}): string {
  return FIELD_NAME.test(key) ? key : redactText(key, {...options, entropy: false})
}
