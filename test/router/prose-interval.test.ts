/** How a figure and its bootstrap interval read (the evaluation's words, PR.md). */
import {describe, expect, it} from 'vitest'
import {decimalInterval, pctInterval, usdInterval} from '../../src/learn/prose.js'

describe('a figure with its 95% interval', () => {
  it('gives both ends, or says the interval is as wide as nothing at its precision (trial 82: "17.7% to 17.7%")', () => {
    expect(pctInterval({value: 0.123, low: 0.101, high: 0.142})).toBe('12.3% (95% interval 10.1% to 14.2%)')
    expect(pctInterval({value: 0.1771, low: 0.17705, high: 0.17714})).toBe(
      '17.7% (its 95% interval rounds to 17.7% too)',
    )
    // (Ends that round alike but not to the figure are still two ends.)
    expect(pctInterval({value: 0.2, low: 0.1771, high: 0.1772})).toMatch(/^20\.0% \(95% interval /)
    expect(usdInterval({value: 0.015, low: 0.0128, high: 0.0173})).toBe('$0.0150 (95% interval $0.0128 to $0.0173)')
  })
})

describe('a decimal figure with its interval (APGR)', () => {
  it('writes a negative end with a minus sign, not a hyphen, and no −0.000 (trial 110)', () => {
    expect(decimalInterval({value: 0.23, low: -1.02, high: 0.48})).toBe('0.230 (−1.020–0.480)')
    expect(decimalInterval({value: -0.0001, low: -0.2, high: 0.1})).toBe('0.000 (−0.200–0.100)')
  })
})
