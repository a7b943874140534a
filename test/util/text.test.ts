import {describe, expect, it} from 'vitest'
import {redactText} from '../../src/util/redact.js'
import {clip, cutAtWord, excerpt, type ShortenRules, shorten, shortenJson} from '../../src/util/text.js'
import {plantedSecrets} from '../support/planted.js'

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

describe('excerpts of long texts', () => {
  /** The excerpt as it was before redactHead: the whole text redacted, then cut. */
  function wholeExcerpt(text: string, max: number): string {
    const shown = redactText(text)
    if (shown.length <= max) return shown
    let cut = shown.slice(0, max)
    // A marker cut anywhere, before its colon too (`[RE`), is dropped.
    const open = cut.lastIndexOf('[')
    if (open >= 0 && !cut.includes(']', open) && '[REDACTED:'.startsWith(cut.slice(open, open + 10)))
      cut = cut.slice(0, open)
    return `${cut}… [+${text.length - cut.length} chars]`
  }

  it('are the excerpts of the whole text redacted, wherever a secret sits near the cut', () => {
    const filler = (n: number, seed: number): string => {
      let s = ''
      for (let i = 0; s.length < n; i++) s += `line ${seed}-${i}: build step ok, 12 files in src/app/module_${i % 7}\n`
      return s.slice(0, n)
    }
    let compared = 0
    for (const p of plantedSecrets(11)) {
      for (const at of [0, 250, 290, 299, 300, 310, 395, 999, 1000, 2200, 2400, 3100, 4000, 30_000]) {
        const text = `${filler(at, at)}${p.text}\n${filler(40_000, at + 1)}`
        for (const max of [300, 400, 1000]) {
          expect(excerpt(text, max), `${p.kind} at ${at}, max ${max}`).toBe(wholeExcerpt(text, max))
          compared++
        }
      }
    }
    // a private key block whose END line is far away, and one text of no line breaks: the whole text decides
    const key = plantedSecrets(11).find(p => p.kind === 'private-key')!.text
    const end = key.lastIndexOf('-----END')
    const far = `${filler(200, 1)}${key.slice(0, end)}${filler(40_000, 2)}${key.slice(end)}\n${filler(9000, 3)}`
    expect(excerpt(far, 300)).toBe(wholeExcerpt(far, 300))
    const oneLine = `${'word '.repeat(100)}${plantedSecrets(11)[0]!.text} ${'x '.repeat(30_000)}`
    expect(excerpt(oneLine, 300)).toBe(wholeExcerpt(oneLine, 300))
    expect(compared).toBeGreaterThan(300)
  })
})

describe('cuts never split a character', () => {
  it('an emoji outside the BMP at the cut is left out whole, never half of it (printed as U+FFFD; trial 32)', () => {
    const men = '👨\u200d'.repeat(200)
    for (const max of [3, 4, 5, 6]) {
      const cut = excerpt(men, max, false)
      expect(cut, `${max}`).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
      expect(cut).toMatch(/… \[\+\d+ chars\]$/)
      expect(cutAtWord(`${'x'.repeat(max - 1)}${men}`, max)).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    }
    expect(clip('a😀b', 3)).toBe('a…')
  })
})
