import {describe, expect, it} from 'vitest'
import {cutAtWord, excerpt, type ShortenRules, shorten, shortenJson} from '../../src/util/text.js'

describe('shortened JSON', () => {
  it('shortens strings, long arrays and deep nesting by the rules given', () => {
    const rules = {
      text: s => (s.length > 5 ? `${s.slice(0, 4)}…` : s),
      key: k => k.toUpperCase(),
      maxItems: 2,
      more: n => `+${n}`,
      maxDepth: 1,
      deep: '~',
    } satisfies ShortenRules
    expect(shortenJson({a: 'abcdefgh', b: [1, 2, 3, 4], c: {d: {e: 1}}, n: null}, rules)).toEqual({
      A: 'abcd…',
      B: [1, 2, '+2'],
      C: {D: '~'},
      N: null,
    })
  })

  it('keeps tool arguments in cards small, redacted unless asked otherwise', () => {
    const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789'
    const args = {command: `curl -H "x-api-key: ${key}"`, files: Array.from({length: 50}, (_, i) => `f${i}`)}
    const kept = shorten(args) as {command: string; files: string[]}
    expect(kept.command).not.toContain(key)
    expect(kept.files).toHaveLength(41)
    expect(kept.files[40]).toBe('… [+10 items]')
    expect((shorten(args, false) as {command: string}).command).toContain(key)
    expect(shorten('x'.repeat(500))).toBe(excerpt('x'.repeat(500), 400))
  })
})

describe('cutAtWord (titles)', () => {
  it('cuts at the end of a word near the limit, with "…", and leaves a short text whole', () => {
    const title = 'Fix the discount rules so that a cart with a zero total never divides by zero at checkout'
    expect(cutAtWord(title, 200)).toBe(title)
    const cut = cutAtWord(title, 40)
    expect(cut).toBe('Fix the discount rules so that a cart…')
    expect(cut.length).toBeLessThanOrEqual(41)
    // no word near the limit (one long token): cut inside it, still marked
    expect(cutAtWord('x'.repeat(120), 100)).toBe(`${'x'.repeat(100)}…`)
    // no dangling punctuation before the ellipsis
    expect(cutAtWord('Checkout fails, discount rules: cart totals', 31)).toBe('Checkout fails, discount rules…')
  })
})
