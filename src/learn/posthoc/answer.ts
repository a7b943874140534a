/**
 * The answer inside a model's response, extracted and normalised so that two
 * models' answers can be compared: a multiple-choice letter, a number, a code
 * block (or an agent's patch: the lines it changes), or else the first line of text. Nothing here knows a benchmark: the
 * rules read the response alone (a runtime has nothing else), and a response
 * with no recognisable answer says so (`kind: 'none'`), which is evidence too.
 */

export type AnswerKind = 'none' | 'choice' | 'number' | 'code' | 'text'

/** Numeric code of each kind, as a feature column sees it. */
export const answerKindCode: Record<AnswerKind, number> = {none: 0, choice: 1, number: 2, code: 3, text: 4}

export interface Answer {
  kind: AnswerKind
  /** The normalised answer: a letter, a number in canonical form, code with comments and blank space removed, or text. */
  value: string
  /** Code only: the names of the functions it defines, in order (a patch: the files it changes). */
  defines?: string[]
  /** Code only: its tokens (identifiers, numbers, operators), for similarity. */
  tokens?: Set<string>
  /** Code only: fenced or tagged blocks, lines of code, assert statements, brackets balanced. */
  code?: {blocks: number; lines: number; asserts: number; balanced: boolean}
}

const NONE: Answer = {kind: 'none', value: ''}

// A bare option letter: "B", "(B)", "B)", "B.", "B: ...", "**B**"; not the article "A chart" or the pronoun "I do".
const BARE_CHOICE = /^[*_`"'\s]*\(?([A-J])\)?(?:[*_`"']*)(?:$|[.):,\]]|\s+(?:\(|\)|$|[A-Z0-9]|-|–|—))/
const NAMED_CHOICE = /\b(?:answer|choice|option)\s*(?:is|would be|:)?\s*:?\s*[*_`"']*\(?([A-J])\b\)?/i
const FENCE = /```[^\n`]*\n([\s\S]*?)(?:```|$)/g
const PY_TAG = /\[PYTHON\]([\s\S]*?)(?:\[\/PYTHON\]|$)/g
const CODE_START = /^(?:def|class|import|from)\s/m
const NUMBER_CLAIM = /(?:answer is|answer:|=|####|result is|total is)\s*\$?\s*(-?[\d,]*\.?\d+(?:e-?\d+)?)/i
const BARE_NUMBER = /^[\s$]*(-?[\d,]*\.?\d+(?:e-?\d+)?)\s*[.%]?\s*$/
const DEF_NAME = /^\s*def\s+([A-Za-z_]\w*)\s*\(/gm
const CODE_TOKEN = /[A-Za-z_]\w*|\d+(?:\.\d+)?|==|!=|<=|>=|\*\*|\/\/|[-+*/%<>=!&|^~[\](){}:,.]/g
const LINE_COMMENT = /(^|\s)#[^\n]*/g
const DOCSTRING = /("""|''')[\s\S]*?\1/g

/** A number in one canonical spelling ("1,000.50" → "1000.5"), or undefined. */
function canonicalNumber(text: string): string | undefined {
  const v = Number(text.replace(/,/g, ''))
  return Number.isFinite(v) ? String(v) : undefined
}

function codeAnswer(code: string, blocks: number): Answer {
  const stripped = code.replace(DOCSTRING, '').replace(LINE_COMMENT, '$1')
  const lines = stripped.split('\n').filter(l => l.trim().length > 0)
  const defines: string[] = []
  for (const m of stripped.matchAll(DEF_NAME)) defines.push(m[1]!)
  const tokens = new Set(stripped.match(CODE_TOKEN) ?? [])
  let depth = 0
  let balanced = true
  for (const c of stripped) {
    if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') {
      depth--
      if (depth < 0) balanced = false
    }
  }
  if (depth !== 0) balanced = false
  let asserts = 0
  for (const l of lines) if (l.trimStart().startsWith('assert ')) asserts++
  return {
    kind: 'code',
    value: lines.map(l => l.trim()).join('\n'),
    defines,
    tokens,
    code: {blocks, lines: lines.length, asserts, balanced},
  }
}

/** The code of a response: its fenced or [PYTHON]-tagged blocks, else the whole response when it starts like code. */
function extractCode(response: string): Answer | undefined {
  const parts: string[] = []
  for (const m of response.matchAll(FENCE)) parts.push(m[1]!)
  for (const m of response.matchAll(PY_TAG)) parts.push(m[1]!)
  if (parts.length > 0) {
    // The block that defines something is the answer; later blocks are usually examples of its use.
    const main = parts.find(p => CODE_START.test(p)) ?? parts[0]!
    return codeAnswer(main, parts.length)
  }
  if (CODE_START.test(response) && /^\s*(?:def|class)\s/m.test(response)) return codeAnswer(response, 0)
  return undefined
}

const DIFF = /^(?:diff --git |--- a\/|\+\+\+ b\/|@@ )/m
const DIFF_FILE = /^\+\+\+ b\/(\S+)/gm

/** A unified diff (an agent's submitted patch): its changed lines as code, the files it changes as what it defines. */
function diffAnswer(response: string): Answer {
  const changed = response
    .split('\n')
    .filter(l => (l.startsWith('+') || l.startsWith('-')) && !l.startsWith('+++') && !l.startsWith('---'))
    .join('\n')
  const answer = codeAnswer(changed, 1)
  answer.defines = [...response.matchAll(DIFF_FILE)].map(m => m[1]!)
  return answer
}

/** The answer in a response (see the module comment). */
export function extractAnswer(response: string): Answer {
  const trimmed = response.trim()
  if (trimmed.length === 0) return NONE
  if (DIFF.test(response)) return diffAnswer(response)
  const bare = BARE_CHOICE.exec(trimmed)
  if (bare) return {kind: 'choice', value: bare[1]!}
  const code = extractCode(response)
  if (code) return code
  const named = NAMED_CHOICE.exec(trimmed)
  if (named) return {kind: 'choice', value: named[1]!.toUpperCase()}
  const num = BARE_NUMBER.exec(trimmed) ?? NUMBER_CLAIM.exec(trimmed)
  if (num) {
    const value = canonicalNumber(num[1]!)
    if (value !== undefined) return {kind: 'number', value}
  }
  const firstLine = trimmed.split('\n', 1)[0]!
  const text = firstLine
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
  return text.length > 0 ? {kind: 'text', value: text} : NONE
}

/** Jaccard similarity of two sets. */
function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  let both = 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  for (const t of small) if (large.has(t)) both++
  return both / (a.size + b.size - both)
}

/**
 * How far two answers agree, 0 to 1: equal letters, numbers or texts 1,
 * different 0; code by the overlap of its tokens (Jaccard); answers of
 * different kinds, or a missing answer, 0.
 */
export function agreement(a: Answer, b: Answer): number {
  if (a.kind === 'none' || b.kind === 'none' || a.kind !== b.kind) return 0
  if (a.kind !== 'code') return a.value === b.value ? 1 : 0
  return jaccard(a.tokens ?? new Set(), b.tokens ?? new Set())
}

/**
 * Whether two code answers define a function of the same name first (callers
 * reach code by its names): 1 or 0, NaN when either is not code defining one.
 */
export function sameName(a: Answer, b: Answer): number {
  const na = a.defines?.[0]
  const nb = b.defines?.[0]
  return na === undefined || nb === undefined ? Number.NaN : na === nb ? 1 : 0
}
