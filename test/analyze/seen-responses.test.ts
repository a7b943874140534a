/**
 * The table of responses a run has counted (see seen-responses.ts): each key answers with the trace that claimed it
 * first, through every growth of the table, and no key answers for another.
 */
import {describe, expect, it} from 'vitest'
import {SeenResponses} from '../../src/analyze/seen-responses.js'

describe('the responses a run has counted', () => {
  it('answers each key with the trace that claimed it first, through growth, and never for another key', () => {
    const seen = new SeenResponses()
    const n = 50_000
    const key = (i: number): string => `msg_${i.toString(36)}\u0000${i * 7},${i % 13},0`
    // Every key claimed once by its own trace (a trace per 100 keys): each is new.
    for (let i = 0; i < n; i++)
      expect(seen.claim(key(i), `trace-${Math.floor(i / 100)}`)).toBe(`trace-${Math.floor(i / 100)}`)
    // Claimed again by another trace: the first one answers, the table grown many times since.
    for (let i = 0; i < n; i += 97) expect(seen.claim(key(i), 'copy')).toBe(`trace-${Math.floor(i / 100)}`)
    // Keys it never saw (one character off) are new.
    for (let i = 0; i < 2_000; i++) expect(seen.claim(`${key(i)}x`, 'later')).toBe('later')
  })

  it('tells the same response from one whose usage differs (the key is whole, not a prefix)', () => {
    const seen = new SeenResponses()
    expect(seen.claim('msg_01\u00005,100,0', 'a')).toBe('a')
    expect(seen.claim('msg_01\u00005,100,1', 'b')).toBe('b')
    expect(seen.claim('msg_01\u00005,100,0', 'b')).toBe('a')
  })
})
