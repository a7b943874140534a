/**
 * The writes each card of a session places between its steps (flag-card.ts): the session's writes sorted
 * once, each card's taken from that list, must be the very list each card's selection sorted on its own
 * gave (the other cards' writes up to its last step, by time, ties by card then step). fast-check builds
 * sessions with many equal times.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {ForeignWrite} from '../../src/flag/context.js'
import {othersWrites} from '../../src/flag/flag-card.js'
import {runs} from '../property/runs.js'

/** How the flag stage chose them before: each card's selection, sorted on its own. */
function naive(own: ForeignWrite[][], k: number, last: number): ForeignWrite[] {
  return own
    .filter((_, j) => j !== k)
    .flat()
    .filter(w => w.time <= last)
    .sort((a, b) => a.time - b.time)
}

const write = (time: number): ForeignWrite => ({time, writes: {} as ForeignWrite['writes']})

describe("each card's share of a session's writes", () => {
  it('is what sorting its own selection gave, object for object', () => {
    const session = fc.array(fc.array(fc.integer({min: 0, max: 12}).map(write), {maxLength: 12}), {maxLength: 8})
    fc.assert(
      fc.property(session, fc.integer({min: -1, max: 14}), (own, at) => {
        const foreignOf = othersWrites(own)
        own.forEach((_, k) => {
          for (const last of [Number.NEGATIVE_INFINITY, at, Number.POSITIVE_INFINITY]) {
            const got = foreignOf(k, last)
            const want = naive(own, k, last)
            expect(got.length).toBe(want.length)
            for (let i = 0; i < got.length; i++) expect(got[i]).toBe(want[i])
          }
        })
      }),
      runs(300, 20_000),
    )
  })
})
