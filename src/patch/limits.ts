/**
 * Limits only ever tighten: a config that already limits calls, cost or
 * output at least as hard as the policy asks keeps its own value.
 */

/** Whether `current` should become `wanted`: absent, "no limit" (0 where the tool means that), or looser. */
export function shouldTighten(current: unknown, wanted: number, zeroIsNone: boolean): boolean {
  const n = typeof current === 'number' ? current : typeof current === 'string' ? Number(current) : Number.NaN
  if (current === undefined || current === null || Number.isNaN(n)) return true
  if (zeroIsNone && n <= 0) return true
  return n > wanted
}

/** A number as a config shows it (`0.05`, `40`). */
export function shown(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v)
}
