/**
 * Limits only ever tighten: a config that already limits calls, cost or
 * output at least as hard as the policy asks keeps its own value.
 */
import {capSaving, type PruneSuggestion} from '../policy/prune.js'
import type {Rendered} from './target.js'

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

/**
 * Records what an output cap tightened from `inForce` (the cut the file already made) earns, when that is less than
 * the suggestion's own saving (reckoned from the results as the traces carried them).
 */
export function credit(out: Rendered, s: PruneSuggestion, inForce: number | undefined): void {
  // (Sizes not known: the suggestion's own figure stands.)
  if (!s.outputCap?.above || inForce === undefined) return
  const earned = capSaving(s.outputCap, inForce)
  if (earned < s.expectedSavingUsd) {
    out.credits ??= {}
    out.credits[s.id] = earned
  }
}
