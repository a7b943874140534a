/**
 * Text features of a prompt, computed without regular expressions or
 * allocations (routing featurizes a prompt in microseconds): where the
 * question lies (the prompt's last block, after any few-shot examples
 * separated by blank lines: the examples repeat across items and drown it),
 * ten statistics of it, and a hashed bag of its words and word bigrams.
 */
import {hash32} from './random.js'

/** Names of the text statistics (documented in the README). */
export const textStatNames = [
  'prompt_chars',
  'prompt_blocks',
  'question_chars',
  'question_words',
  'question_lines',
  'question_mean_word_length',
  'question_digit_share',
  'question_upper_share',
  'question_symbol_share',
  'question_marks',
] as const

/**
 * Whitespace as `String.prototype.trim` and `\s` know it, for the ASCII and
 * common Unicode spaces (the scans below avoid regular expressions and
 * allocations: routing featurizes a prompt in microseconds).
 */
function isSpace(c: number): boolean {
  if (c > 32 && c < 160) return false
  return (
    c <= 32 ||
    c === 160 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff ||
    c === 0x1680
  )
}

/** Where the question lies in a prompt: [start, end) of its last non-blank block, trimmed, and the number of blocks. */
export interface QuestionSpan {
  start: number
  end: number
  blocks: number
}

/**
 * Finds the question: blocks are separated by a blank line (`\n`, spaces or
 * tabs, `\n`); the question is the last block with any non-space character.
 */
export function questionSpan(prompt: string, out: QuestionSpan = {start: 0, end: 0, blocks: 0}): QuestionSpan {
  const n = prompt.length
  let blocks = 0
  let blockStart = 0
  let lastStart = 0
  let lastEnd = 0
  // Jump from newline to newline (indexOf is native); a block counts when it
  // holds a non-space character.
  for (let i = prompt.indexOf('\n'); ; i = prompt.indexOf('\n', i + 1)) {
    let separatorEnd = -1
    if (i >= 0) {
      let j = i + 1
      while (j < n && (prompt.charCodeAt(j) === 32 || prompt.charCodeAt(j) === 9)) j++
      if (j < n && prompt.charCodeAt(j) === 10) separatorEnd = j
      else continue
    }
    const blockEnd = i >= 0 ? i : n
    let k = blockStart
    while (k < blockEnd && isSpace(prompt.charCodeAt(k))) k++
    if (k < blockEnd) {
      blocks++
      lastStart = k
      lastEnd = blockEnd
    }
    if (i < 0) break
    blockStart = separatorEnd + 1
    i = separatorEnd
  }
  while (lastEnd > lastStart && isSpace(prompt.charCodeAt(lastEnd - 1))) lastEnd--
  out.start = lastStart
  out.end = lastEnd
  out.blocks = blocks
  return out
}

/** The question: the last non-blank block of the prompt, trimmed. */
export function questionOf(prompt: string): {question: string; blocks: number} {
  const span = questionSpan(prompt)
  return {question: prompt.slice(span.start, span.end), blocks: span.blocks}
}

/** Writes the text statistics (order of `textStatNames`) of a prompt whose question is `span`. */
export function fillTextStats(prompt: string, span: QuestionSpan, out: Float64Array | number[]): void {
  let digits = 0
  let upper = 0
  let symbols = 0
  let marks = 0
  let words = 0
  let letters = 0
  let inWord = false
  const length = span.end - span.start
  let lines = length > 0 ? 1 : 0
  for (let i = span.start; i < span.end; i++) {
    const c = prompt.charCodeAt(i)
    if (c >= 48 && c <= 57) digits++
    else if (c >= 65 && c <= 90) upper++
    else if (c === 10) lines++
    else if (c === 63) marks++
    else if (c > 32 && c < 127 && !(c >= 97 && c <= 122)) symbols++
    if (isSpace(c)) inWord = false
    else {
      letters++
      if (!inWord) words++
      inWord = true
    }
  }
  const len = Math.max(1, length)
  out[0] = prompt.length
  out[1] = span.blocks
  out[2] = length
  out[3] = words
  out[4] = lines
  out[5] = words > 0 ? letters / words : 0
  out[6] = digits / len
  out[7] = upper / len
  out[8] = symbols / len
  out[9] = marks
}

/** Text statistics in the order of `textStatNames`. */
export function textStats(prompt: string): number[] {
  const out = new Array<number>(textStatNames.length).fill(0)
  fillTextStats(prompt, questionSpan(prompt), out)
  return out
}

/**
 * Calls `visit` with the hashed column (0..buckets-1) of every word and word
 * bigram of `text[start, end)`. Words are runs of ASCII letters and digits,
 * case-folded; a word's hash is FNV-1a of its characters, a bigram's mixes
 * the two word hashes, so no string is built.
 */
export function hashSpan(
  text: string,
  start: number,
  end: number,
  buckets: number,
  visit: (bucket: number) => void,
): void {
  if (buckets <= 0) return
  let previous = -1
  let h = 0x811c9dc5
  let inWord = false
  for (let i = start; i <= end; i++) {
    let c = i < end ? text.charCodeAt(i) : 32
    if (c >= 65 && c <= 90) c += 32
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      h = Math.imul(h ^ c, 0x01000193)
      inWord = true
    } else if (inWord) {
      const word = h >>> 0
      visit(word % buckets)
      if (previous >= 0) visit(hash32(Math.imul(previous, 0x9e3779b1) ^ word) % buckets)
      previous = word
      h = 0x811c9dc5
      inWord = false
    }
  }
}

/** `hashSpan` over a whole question (see there). */
export function hashedTokens(question: string, buckets: number, visit: (bucket: number) => void): void {
  hashSpan(question, 0, question.length, buckets, visit)
}
