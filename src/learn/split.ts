/**
 * Train / calibration / test splits, grouped by item: an item and all of its
 * (item, model) rows land in exactly one split, so no test item was ever seen
 * in training or calibration. Deterministic for a seed, whatever the order of
 * the input lines.
 */
import {AcoError} from '../errors.js'
import {Rng} from './random.js'

export interface SplitFractions {
  train: number
  calibration: number
  test: number
}

export const defaultFractions: SplitFractions = {train: 0.6, calibration: 0.2, test: 0.2}

export interface SplitOptions {
  fractions: SplitFractions
  /** Items whose feature `name` equals `value` form the test split (e.g. a published split). */
  testWhere?: {name: string; value: string} | undefined
  seed: number
}

export interface Splits<T> {
  train: T[]
  calibration: T[]
  test: T[]
  method: 'random' | 'feature'
}

/** Parses `--split 0.6,0.2,0.2` (train, calibration, test; normalised to sum 1). */
export function parseFractions(text: string): SplitFractions {
  const parts = text.split(',').map(s => Number(s.trim()))
  if (parts.length !== 3 || parts.some(v => !Number.isFinite(v) || v < 0) || parts[0]! <= 0 || parts[1]! <= 0) {
    throw new AcoError(
      'usage',
      `--split takes three shares "train,calibration,test" (got "${text}").`,
      'For example --split 0.6,0.2,0.2.',
    )
  }
  const sum = parts[0]! + parts[1]! + parts[2]!
  return {train: parts[0]! / sum, calibration: parts[1]! / sum, test: parts[2]! / sum}
}

/** Parses `--test-where NAME=VALUE`. */
export function parseTestWhere(text: string): {name: string; value: string} {
  const at = text.indexOf('=')
  if (at <= 0)
    throw new AcoError(
      'usage',
      `--test-where takes NAME=VALUE (got "${text}").`,
      'For example --test-where split=test.',
    )
  return {name: text.slice(0, at), value: text.slice(at + 1)}
}

/** Splits items (each with an `id` and `features`) into train, calibration and test. */
export function splitItems<T extends {id: string; features: Record<string, number | string>}>(
  items: T[],
  options: SplitOptions,
): Splits<T> {
  const rng = new Rng(options.seed)
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const {fractions, testWhere} = options
  if (testWhere) {
    const test: T[] = []
    const rest: T[] = []
    for (const item of sorted) {
      const v = item.features[testWhere.name]
      if (v !== undefined && String(v) === testWhere.value) test.push(item)
      else rest.push(item)
    }
    // No item with that value: said as such (trial 72: "Too few items … change the shares with --split", which cannot
    // help).
    if (test.length === 0) {
      const values = new Set<string>()
      for (const item of sorted) {
        const v = item.features[testWhere.name]
        if (v !== undefined) values.add(String(v))
      }
      const seen = [...values].sort()
      throw new AcoError(
        'usage',
        `--test-where ${testWhere.name}=${testWhere.value}: no item has ${testWhere.name} = ${testWhere.value}${seen.length ? ` (its values: ${seen.slice(0, 8).join(', ')}${seen.length > 8 ? `, and ${seen.length - 8} more` : ''})` : `; no item has a feature ${testWhere.name}`}.`,
        seen.length
          ? `Give one of its values, e.g. --test-where ${testWhere.name}=${seen[0]}.`
          : 'Name a feature the outcome rows carry (a column of the outcome table).',
      )
    }
    rng.shuffle(rest)
    const calShare = fractions.calibration / (fractions.train + fractions.calibration)
    const nCal = Math.round(rest.length * calShare)
    return {calibration: rest.slice(0, nCal), train: rest.slice(nCal), test, method: 'feature'}
  }
  rng.shuffle(sorted)
  const nTest = Math.round(sorted.length * fractions.test)
  const nCal = Math.round(sorted.length * fractions.calibration)
  return {
    test: sorted.slice(0, nTest),
    calibration: sorted.slice(nTest, nTest + nCal),
    train: sorted.slice(nTest + nCal),
    method: 'random',
  }
}
