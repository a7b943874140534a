/** Rounding for figures saved in JSON (so a router or an evaluation does not carry float noise). */
export function round(v: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(v * f) / f
}
