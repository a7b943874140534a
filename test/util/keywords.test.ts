import {describe, expect, it} from 'vitest'
import {secretRules} from '../../src/util/redact.js'
import {KeywordScanner} from '../../src/util/secrets/keywords.js'

/** The keywords in `text` found the slow way: ASCII runs, upper case as lower case, each keyword searched alone. */
function naive(words: readonly string[], text: string): number[] {
  const runs = text.split(/[^\x00-\x7f]/).map(r => r.replace(/[A-Z]/g, c => c.toLowerCase()))
  return words.flatMap((w, id) => (runs.some(r => r.includes(w.toLowerCase())) ? [id] : []))
}

describe('KeywordScanner', () => {
  it('finds exactly the keywords a search of each finds, over the secret rules’ keywords', () => {
    const words = [...new Set(secretRules().flatMap(r => r.keywords))]
    const scanner = new KeywordScanner(words)
    let seed = 5
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return Math.floor((seed / 2 ** 31) * n)
    }
    for (let i = 0; i < 300; i++) {
      // Keywords (some upper-cased, some cut by a non-ASCII character) among random ASCII and a few others.
      let text = ''
      while (text.length < 400) {
        const pick = rnd(10)
        if (pick < 3) {
          const w = words[rnd(words.length)]!
          text += pick === 0 ? w.toUpperCase() : pick === 1 ? `${w.slice(0, 2)}é${w.slice(2)}` : w
        } else text += String.fromCharCode(pick === 3 ? 0xe9 : 32 + rnd(95))
      }
      expect(
        [...new Set(scanner.found(text))].sort((a, b) => a - b),
        text,
      ).toEqual(naive(words, text))
    }
  })

  it('measures the longest run of the characters asked for', () => {
    const scanner = new KeywordScanner(['key'], 'ab')
    scanner.found('xxabab-aaaaé ba key')
    expect(scanner.longestRun).toBe(4)
  })
})
