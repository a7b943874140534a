import {describe, expect, it} from 'vitest'
import {int, percent, usd, usdAlike, usdSumming} from '../../src/util/format.js'

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

describe('usdAlike: a total and its parts at one precision', () => {
  it('prints all to the hundredth of a cent when one is under a cent, so they add up as printed (trial 33)', () => {
    // "$0.03 (routing saves $0.03, prune saves $0.0072)" did not add up as shown.
    const money = usdAlike([0.0323, 0.0251, 0.0072])
    expect([0.0323, 0.0251, 0.0072].map(money)).toEqual(['$0.0323', '$0.0251', '$0.0072'])
    expect(usdAlike([-0.0051, 0.0037])(-0.0051)).toBe('-$0.0051')
    // Parts all a cent or more: as usd prints each.
    const plain = usdAlike([12.5, 10, 2.5])
    expect([12.5, 10, 2.5].map(plain)).toEqual([usd(12.5), usd(10), usd(2.5)])
    expect(usdAlike([0, 1.5])(0)).toBe('$0.00')
    // An amount under $0.00005 is not "$0.0000" (review 33).
    expect(usdAlike([0.0051, 0.00508, 0.00002])(0.00002)).toBe('<$0.0001')
    expect(usdAlike([0.0051, 0.00508, 0.00002])(0)).toBe('$0.0000')
  })
})

describe('percent', () => {
  it('shows a share too small for its digits as under the least it can show, never as none', () => {
    expect(percent(0.1234, 1)).toBe('12.3%')
    expect(percent(0, 1)).toBe('0.0%')
    // $0.02 of $47.00 (a new user's trial): not "0.0%".
    expect(percent(0.02 / 47, 1)).toBe('<0.1%')
    expect(percent(0.004)).toBe('<1%')
    expect(percent(0.005)).toBe('1%')
  })
})

describe('usdSumming', () => {
  it('prints a total and its parts so that the parts add up as printed (trial 80)', () => {
    const money = usdSumming(0.01248, [0.01174, 0.00074])
    expect([money(0.01248), money(0.01174), money(0.00074)]).toEqual(['$0.01248', '$0.01174', '$0.00074'])
    // Where they add up already, as usdAlike prints them.
    const plain = usdSumming(0.0125, [0.0117, 0.0008])
    expect([plain(0.0125), plain(0.0117), plain(0.0008)]).toEqual(['$0.0125', '$0.0117', '$0.0008'])
    const big = usdSumming(12.5, [10.25, 2.25])
    expect(big(12.5)).toBe(usdAlike([12.5, 10.25, 2.25])(12.5))
    // A part that costs: the sum holds with its sign.
    const signed = usdSumming(0.00331, [-0.00601, 0.00932])
    expect(Math.round(0.00331 * 1e5)).toBe(Math.round(-0.00601 * 1e5) + Math.round(0.00932 * 1e5))
    expect(signed(-0.00601)).toMatch(/^-\$0\.00\d+$/)
  })

  it('adds up as printed, not as rounded before printing: a part toFixed rounds down, a total over $1,000 (trial 115)', () => {
    const read = (text: string): number => Number(text.replace(/[^\d.-]/g, ''))
    for (const [total, parts] of [
      [0.0257, [0.0115, 0.0142]],
      [1234.5, [1000, 234.5]],
      [-0.6667, [-1.2345, 0.5678]],
    ] as const) {
      const money = usdSumming(total, parts)
      const shown = parts.map(p => read(money(p)))
      expect(read(money(total))).toBeCloseTo(shown[0]! + shown[1]!, 9)
    }
    expect(usdSumming(1234.5, [1000, 234.5])(1234.5)).toBe('$1,234.50')
  })

  it('never prints a part that is not nothing as $0.0000 (trial 126: "+ $0.0000 carrying its result onward")', () => {
    const money = usdSumming(0.00423, [0.0042, 0.00003])
    expect([money(0.00423), money(0.0042), money(0.00003)]).toEqual(['$0.0042', '$0.0042', '<$0.0001'])
    // Where more digits are needed for the rest to add up, the tiny part is still less than the last digit, not 0.
    const finer = usdSumming(0.012345, [0.012344, 0.0000004])
    for (const part of [0.012344, 0.0000004]) expect(finer(part)).not.toMatch(/^\$0\.0+$/)
    expect(finer(0.0000004)).toMatch(/^<\$0\.0+1$/)
  })
})
