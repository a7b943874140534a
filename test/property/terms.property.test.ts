/**
 * `distinctiveTerms` against its specification written the plain way: split the output's head on characters that
 * are not `[\w$./-]`, strip trailing dots, dashes and slashes, leading `./` and `../` and then a leading slash,
 * keep words of 6–120 characters that start like an identifier, a path or a hidden file's name and hold one of `./_`
 * or a digit or a lower-then-upper pair, not a run of hex digits, each once, in order, up to `max`.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {distinctiveTerms} from '../../src/util/terms.js'
import {LIMIT_MS, runs} from './runs.js'

function reference(text: string, max: number): string[] {
  const seen = new Set<string>()
  for (let word of text.slice(0, 64_000).split(/[^\w$./-]+/)) {
    if (word.length < 6) continue
    word = word.replace(/[./-]+$/, '')
    word = word.replace(/^(\.\.?\/)+/, '')
    if (word.startsWith('/')) word = word.slice(1)
    const ok =
      word.length >= 6 &&
      word.length <= 120 &&
      /^([A-Za-z_$/]|\.[A-Za-z_$])/.test(word) &&
      (/[./_\d]/.test(word) || /[a-z][A-Z]/.test(word)) &&
      !/^[0-9a-f]{16,}$/i.test(word)
    if (!ok || seen.has(word)) continue
    seen.add(word)
    if (seen.size >= max) break
  }
  return [...seen]
}

const PIECES = [
  'src/app.ts',
  '/usr/lib/x',
  './',
  '../',
  '.entire/x1',
  '.gitignore',
  'fooBar',
  'snake_case_x',
  'deadbeefdeadbeef00',
  'abcdef012345678',
  'abcdef0123456789',
  'a'.repeat(118),
  '...',
  '--',
  '/',
  ' ',
  '\n',
]

describe('distinctiveTerms', () => {
  it('finds the terms of a tool output, in order, each once', () => {
    const out = 'Error in src/flag/commands.ts: parseShellWord failed\n  at /home/dev/app/src/flag/commands.ts:12.\n'
    expect(distinctiveTerms(out)).toEqual([
      'src/flag/commands.ts',
      'parseShellWord',
      'home/dev/app/src/flag/commands.ts',
    ])
    // English words, short words and hashes are no terms.
    expect(distinctiveTerms('the quick brown foxes jumped 0123456789abcdef0123 over')).toEqual([])
    expect(distinctiveTerms('a_b_c1 a_b_c2 a_b_c3', 2)).toEqual(['a_b_c1', 'a_b_c2'])
    // `find .` prints every path from `./`, hidden folders included: each is a term.
    expect(distinctiveTerms('./.entire/settings.json\n./src/index.ts\n../lib/util.ts\n')).toEqual([
      '.entire/settings.json',
      'src/index.ts',
      'lib/util.ts',
    ])
  })

  it(
    'equals its specification on arbitrary text',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({maxLength: 8})), {maxLength: 40}),
          fc.integer({min: 1, max: 8}),
          (parts, max) => {
            const text = parts.join('')
            expect(distinctiveTerms(text, max)).toEqual(reference(text, max))
          },
        ),
        runs(3000, 200_000),
      )
    },
    LIMIT_MS,
  )
})
