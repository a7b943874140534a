import {describe, expect, it} from 'vitest'
import {int, usd} from '../../src/util/format.js'

describe('int: thousands separators without Intl', () => {
  it("gives what Math.round(n).toLocaleString('en-US') gives", () => {
    const values = [
      0,
      -0,
      0.4,
      -0.4,
      0.5,
      -0.5,
      1,
      -1,
      9,
      12,
      999,
      999.5,
      1000,
      -1000,
      1234.49,
      12345,
      123456,
      1234567,
      -1234567,
      999999,
      1000000,
      2 ** 31,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      2 ** 60,
      1e21,
      -1e21,
      1e300,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]
    // and a spread of magnitudes with fractions, fixed seed
    let seed = 7
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      values.push(((seed / 2 ** 31) * 2 - 1) * 10 ** (i % 17))
    }
    for (const v of values) expect(int(v), String(v)).toBe(Math.round(v).toLocaleString('en-US'))
  })

  it('dollars of a thousand and more are whole and grouped', () => {
    expect(usd(1234.5)).toBe('$1,235')
    expect(usd(-98765.4)).toBe('-$98,765')
  })
})
