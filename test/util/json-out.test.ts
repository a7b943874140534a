/** jsonPieces: `JSON.stringify(value, null, 2)` in pieces, the same text to the byte. */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {jsonPieces} from '../../src/util/json-out.js'

const joined = (value: unknown): string => [...jsonPieces(value)].join('')

describe('jsonPieces', () => {
  it('joins to what JSON.stringify(value, null, 2) writes, for any JSON-like value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), value => {
        expect(joined(value)).toBe(JSON.stringify(value, null, 2))
      }),
      {numRuns: 500, seed: 7},
    )
    // Objects whose fields are arrays of objects, empty ones, and fields JSON leaves out (undefined, functions).
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(
            fc.array(fc.dictionary(fc.string(), fc.jsonValue())),
            fc.constant(undefined),
            fc.constant([]),
            fc.constant(() => 1),
            fc.jsonValue(),
          ),
        ),
        value => {
          expect(joined(value)).toBe(JSON.stringify(value, null, 2))
        },
      ),
      {numRuns: 500, seed: 11},
    )
  })

  it('cuts a large result into its fields and each element of an array field', () => {
    const traces = Array.from({length: 1000}, (_, k) => ({id: `t-${k}`, costUsd: k / 7, lines: ['a\nb', 'c']}))
    const result = {schemaVersion: '1.0', traces, empty: [], gone: undefined, when: new Date(0)}
    const pieces = [...jsonPieces(result)]
    expect(pieces.join('')).toBe(JSON.stringify(result, null, 2))
    expect(pieces.length).toBeGreaterThan(1000)
    expect(Math.max(...pieces.map(p => p.length))).toBeLessThan(200)
  })
})
