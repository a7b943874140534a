/**
 * `--since DATE` / `--until DATE`: a window of time. Files last modified
 * before `since` cannot hold a step inside it and are passed over before
 * they are opened; within the files read, steps outside the window are
 * dropped after pricing and flagging (a flag still sees the whole trace),
 * and each card's totals are summed again from the steps it keeps.
 * A step with no time (nor its trace) cannot be placed and is dropped too.
 */
import {computeTotals} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {AcoError} from '../errors.js'
import {stepTime} from './group.js'
import {realDay} from '../util/time.js'

export interface TimeWindow {
  /** Inclusive, epoch milliseconds. */
  since?: number
  /** Exclusive, epoch milliseconds. */
  until?: number
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/

/** The offset of a zone from UTC at an instant, in milliseconds. */
function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms)
  const get = (type: string): number => Number(parts.find(p => p.type === type)?.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** Midnight starting a calendar day in a zone. */
function startOfDay(y: number, m: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d)
  let ms = guess - zoneOffset(guess, timeZone)
  // Once more, for days whose offset changes between the guess and the answer (daylight saving).
  ms = guess - zoneOffset(ms, timeZone)
  return ms
}

/**
 * A `--since`/`--until` value: a date (`2026-11-01`, a whole day in the zone:
 * `--until` includes it) or an instant (`2026-11-01T09:00:00Z`; without an
 * offset, read in the zone).
 */
export function parseWindowDate(value: string, timeZone: string, edge: 'since' | 'until'): number {
  const day = DATE_ONLY.exec(value)
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])]
    if (realDay(y, m, d)) return edge === 'since' ? startOfDay(y, m, d, timeZone) : startOfDay(y, m, d + 1, timeZone)
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value) && realDay(...dateParts(value))) {
    const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value)
    const ms = Date.parse(hasOffset ? value : `${value}Z`)
    if (!Number.isNaN(ms)) return hasOffset ? ms : ms - zoneOffset(ms - zoneOffset(ms, timeZone), timeZone)
  }
  throw new AcoError(
    'usage',
    `--${edge} ${value}: not a date.`,
    `Give a date (2026-11-01) or a time (2026-11-01T09:00:00Z); dates are read in ${timeZone} (--tz).`,
  )
}

/** Year, month and day of an ISO date's first ten characters. */
function dateParts(value: string): [number, number, number] {
  return [Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10))]
}

/** Whether a file last modified at `mtimeMs` may hold steps in the window. */
export function fileMayHoldWindow(mtimeMs: number, window: TimeWindow): boolean {
  return window.since === undefined || mtimeMs >= window.since
}

/**
 * Keeps the steps of cards (and their subagents) inside the window; a card
 * left with no step and no subagent goes. Returns the cards kept and how many
 * steps were dropped.
 */
export function applyWindow(cards: TraceCard[], window: TimeWindow): {cards: TraceCard[]; dropped: number} {
  let dropped = 0
  const inside = (ms: number | undefined): boolean =>
    ms !== undefined &&
    (window.since === undefined || ms >= window.since) &&
    (window.until === undefined || ms < window.until)
  const visit = (card: TraceCard): boolean => {
    const keep = card.steps.filter(s => inside(stepTime(s, card)))
    if (keep.length !== card.steps.length) {
      dropped += card.steps.length - keep.length
      keep.forEach((s, i) => {
        s.index = i
      })
      card.steps = keep
      card.totals = computeTotals(keep)
    }
    card.children = card.children.filter(visit)
    return card.steps.length > 0 || card.children.length > 0
  }
  return {cards: cards.filter(visit), dropped}
}
