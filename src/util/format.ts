/**
 * Numbers as people read them: dollars, counts and shares, the same way in
 * every table, report and chart aco writes. (Text fitted to columns is in
 * width.ts.)
 */

/** Dollars for tables: `$0.0042`, `$12.34`, `$1,235`; a negative amount `-$0.0042`. */
export function usd(value: number): string {
  if (value === 0) return '$0.00'
  if (value < 0) return `-${usd(-value)}`
  // (Not "$0.0000" for a cost that is not nothing.)
  if (value < 0.00005) return '<$0.0001'
  if (Math.abs(value) < 0.01) return `$${value.toFixed(4)}`
  if (Math.abs(value) < 1000) return `$${value.toFixed(2)}`
  return `$${int(value)}`
}

/**
 * A formatter of dollars for figures printed side by side that must add up as printed (a total and its parts): all
 * to the hundredth of a cent when one of them is under a cent, else as `usd` prints each.
 */
export function usdAlike(values: readonly number[]): (value: number) => string {
  const abs = values.map(Math.abs)
  const fine = abs.some(v => v > 0 && v < 0.01) && abs.every(v => v < 1000)
  // (Below $0.00005 as usd has it, "<$0.0001": not "$0.0000" for an amount that is not nothing.)
  return value =>
    fine && (value === 0 || Math.abs(value) >= 0.00005)
      ? `${value < 0 ? '-' : ''}$${Math.abs(value).toFixed(4)}`
      : usd(value)
}

/**
 * Dollars for a total and its parts (see `usdAlike`), with as many more decimals as it takes (up to six) for the parts,
 * as printed, to add up to the total as printed (trial 80: "$0.0125 (routing saves $0.0117, prune saves $0.0007)").
 */
export function usdSumming(total: number, parts: readonly number[]): (value: number) => string {
  const alike = usdAlike([total, ...parts])
  const start = /\.\d{4}$/.test(alike(total)) ? 4 : 2
  // (An amount that is not nothing but rounds to nothing at these digits reads "<$0.0001", never "$0.0000": trial 126
  // read "+ $0.0000 carrying its result onward".)
  const fixed =
    (d: number) =>
    (value: number): string =>
      value !== 0 && Math.abs(value) < 0.5 / 10 ** d
        ? `${value < 0 ? '-' : ''}<$${(1 / 10 ** d).toFixed(d)}`
        : `${value < 0 ? '-' : ''}$${Math.abs(value).toLocaleString('en-US', {minimumFractionDigits: d, maximumFractionDigits: d})}`
  // (As printed: the figures read back from their text, so a part `toFixed` rounds otherwise than arithmetic does,
  // 0.0115 printed "0.011", cannot make "$0.026 = $0.011 + $0.014"; trial 115. Less than the last digit reads as
  // nothing of it.)
  const addsUp = (show: (value: number) => string, unit: number): boolean => {
    const printed = (value: number): number => {
      const text = show(value)
      return text.includes('<') ? 0 : Math.round(Number(text.replace(/[^\d.-]/g, '')) * unit)
    }
    return printed(total) === parts.reduce((sum, p) => sum + printed(p), 0)
  }
  for (let d = start; d <= 6; d++) {
    if (d === start && addsUp(alike, 10 ** d)) return alike
    if (addsUp(fixed(d), 10 ** d)) return fixed(d)
  }
  return alike
}

/** Dollars for a chart's axis and tooltips: `$1.23`, `$0.123`, `$0.0012`. */
export function usdAxis(value: number): string {
  if (value < 0) return `-${usdAxis(-value)}`
  if (value === 0) return '$0'
  if (value < 0.00005) return '<$0.0001'
  return value >= 1 ? `$${value.toFixed(2)}` : value >= 0.01 ? `$${value.toFixed(3)}` : `$${value.toFixed(4)}`
}

/** 1234 → 1.2k, 4500000 → 4.5M. */
export function compact(n: number): string {
  const abs = Math.abs(n)
  if (abs < 1000) return String(Math.round(n))
  if (abs < 1e6) return `${(n / 1e3).toFixed(abs < 1e4 ? 1 : 0)}k`
  if (abs < 1e9) return `${(n / 1e6).toFixed(abs < 1e7 ? 1 : 0)}M`
  return `${(n / 1e9).toFixed(1)}B`
}

/**
 * A whole number with thousands separators: 12,345. What `toLocaleString('en-US')` gives, without its first
 * call's ~30 ms of setting up ICU's number formats (issue 18, start-up); it formats what is not a safe integer.
 */
export function int(n: number): string {
  const k = Math.round(n)
  if (!Number.isSafeInteger(k) || Object.is(k, -0)) return k.toLocaleString('en-US')
  const digits = String(Math.abs(k))
  let out = digits.slice(0, digits.length % 3 || 3)
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`
  return k < 0 ? `-${out}` : out
}

/**
 * A share between 0 and 1 as a percentage: `percent(0.1234, 1)` → `12.3%`. A share above 0 too small to show is `<0.1%`
 * (`<1%` with no digits), never `0.0%`, which reads as none (a new user's trial: $0.02 of waste had read `0.0%`).
 */
export function percent(share: number, digits = 0): string {
  const text = (share * 100).toFixed(digits)
  if (share > 0 && Number(text) === 0) return `<${(10 ** -digits).toFixed(digits)}%`
  return `${text}%`
}

/**
 * A cost some of whose calls have no price: never `$0.00` for calls whose cost is unknown. Wide:
 * `$1.23`, `$1.23 + 3 unpriced`, `— (3 unpriced)`; narrow (a column of a few characters): `$1.23`,
 * `$1.23+`, `—`.
 */
export function costText(value: number, unpricedCalls: number, narrow = false, what?: string): string {
  if (!unpricedCalls) return usd(value)
  // (`what`: what was not priced, where a count beside dollars could read as dollars: "+ 1,023 unpriced calls".)
  const unpriced = `${int(unpricedCalls)} unpriced${what ? ` ${what}${unpricedCalls === 1 ? '' : 's'}` : ''}`
  if (value === 0) return narrow ? '—' : `— (${unpriced})`
  return narrow ? `${usd(value)}+` : `${usd(value)} + ${unpriced}`
}
