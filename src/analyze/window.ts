/**
 * `--since DATE` / `--until DATE`: a window of time. Files last modified
 * before `since` cannot hold a step inside it and are passed over before
 * they are opened; within the files read, steps outside the window are
 * dropped after pricing and flagging (a flag still sees the whole trace),
 * and each card's totals are summed again from the steps it keeps.
 * A step with no time (nor its trace) cannot be placed and is dropped too.
 */
import {computeTotals} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
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

/** What a zone's clocks show at an instant, to the second, as if it were a UTC time (milliseconds). */
export function wallClock(ms: number, timeZone: string): number {
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
  return utcTime(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
}

/** `Date.UTC` without its rule that years 0–99 mean 1900–1999 (`--since 0001-01-01` is the year 1, not 1901). */
function utcTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month, day)
  return date.setUTCHours(hour, minute, second, 0)
}

/** The offset of a zone from UTC at an instant, in milliseconds. */
function zoneOffset(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - Math.floor(ms / 1000) * 1000
}

/** Midnight starting a calendar day in a zone (in a zone whose clocks skip midnight, the first time the day has). */
function startOfDay(y: number, m: number, d: number, timeZone: string): number {
  return localToInstant(utcTime(y, m - 1, d), timeZone)
}

const DAY_MS = 86_400_000

/**
 * The instant a zone's clocks show a local time (given as if it were UTC). A time the clocks skipped (a spring-forward
 * gap) is read with the offset before the change, so it lands as far after the gap's start as it was meant to be
 * (02:30 in New York on the day clocks go from 02:00 to 03:00 is 03:30); a time they showed twice (an autumn overlap)
 * is the first of the two: JavaScript's Temporal calls this "compatible", and Python's `fold=0` reads it so.
 */
function localToInstant(local: number, timeZone: string): number {
  // The offsets a day either side; for a time near no change they are the same.
  const before = zoneOffset(local - DAY_MS, timeZone)
  const after = zoneOffset(local + DAY_MS, timeZone)
  const first = Math.min(local - before, local - after)
  const second = Math.max(local - before, local - after)
  if (first + zoneOffset(first, timeZone) === local) return first
  if (second + zoneOffset(second, timeZone) === local) return second
  return local - before
}

/**
 * A `--since`/`--until` value: a date (`2026-11-01`, a whole day in the zone:
 * `--until` includes it) or an instant (`2026-11-01T09:00:00Z`; without an
 * offset, read in the zone).
 */
export function parseWindowDate(given: string, timeZone: string, edge: 'since' | 'until'): number {
  if (given.trim() === '')
    throw new AcoError('usage', `--${edge} was given an empty date.`, `Give --${edge} a date (a variable not set?).`)
  // (`2026-11-01 09:00`, as people write it, is `2026-11-01T09:00`; `20261101`, ccusage's form, is `2026-11-01`.)
  const value = given
    .trim()
    .replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')
    .replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T')
  const day = DATE_ONLY.exec(value)
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])]
    // (Year 0 is no year of the calendar the clocks keep: Intl writes it as year 1, before the era; review 33.)
    if (y >= 1 && realDay(y, m, d))
      return edge === 'since' ? startOfDay(y, m, d, timeZone) : startOfDay(y, m, d + 1, timeZone)
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value) && dateParts(value)[0] >= 1 && realDay(...dateParts(value))) {
    const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value)
    const ms = Date.parse(hasOffset ? value : `${value}Z`)
    if (!Number.isNaN(ms)) return hasOffset ? ms : localToInstant(ms, timeZone)
  }
  throw new AcoError(
    'usage',
    `--${edge} ${given}: not a date.`,
    `Give a date (2026-11-01 or 20261101) or a time (2026-11-01T09:00:00Z); dates are read in ${timeZone} (--tz).`,
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
  // The steps each window keeps, across every card first: an estimate of a session may be about its subagents' calls.
  const keptSteps = new Set<Step>()
  const mark = (card: TraceCard): void => {
    for (const s of card.steps) if (inside(stepTime(s, card))) keptSteps.add(s)
    for (const c of card.children) mark(c)
  }
  for (const c of cards) mark(c)
  const visit = (card: TraceCard): boolean => {
    // (Before its steps and its subagents' are cut: the calls its estimates are about are counted as read.)
    windowEstimates(card, keptSteps)
    const times = card.steps.map(s => stepTime(s, card))
    const keep = card.steps.filter((_, k) => inside(times[k]))
    // A trace whose steps all count keeps its span, unless it reaches outside the window: its first record (a prompt)
    // before a step dated by its end inside it.
    const spanOutside =
      keep.length > 0 &&
      ((window.since !== undefined && card.startedAt !== undefined && Date.parse(card.startedAt) < window.since) ||
        (window.until !== undefined && card.endedAt !== undefined && Date.parse(card.endedAt) > window.until))
    if (keep.length !== card.steps.length || spanOutside) {
      dropped += card.steps.length - keep.length
      // The trace's span is what it holds inside the window (the title's dates, the "started" column).
      let first = Number.POSITIVE_INFINITY
      let last = Number.NEGATIVE_INFINITY
      card.steps.forEach((s, k) => {
        const t = times[k]
        if (t === undefined || !inside(t)) return
        // (A step starts when its start says, if that is inside the window too, and ends when its end says; else
        // each is when it is dated.)
        const start = s.startedAt ? Date.parse(s.startedAt) : Number.NaN
        const end = s.endedAt ? Date.parse(s.endedAt) : Number.NaN
        first = Math.min(first, !Number.isNaN(start) && inside(start) ? start : t)
        last = Math.max(last, Number.isNaN(end) ? t : end)
      })
      if (first <= last) {
        card.startedAt = new Date(first).toISOString()
        card.endedAt = new Date(last).toISOString()
      }
      keep.forEach((s, i) => {
        s.index = i
      })
      card.steps = keep
      card.totals = computeTotals(keep)
      // (What the source recorded for the whole trace is no figure for a part of it.)
      if (card.recorded) delete card.recorded
    }
    card.children = card.children.filter(visit)
    return card.steps.length > 0 || card.children.length > 0
  }
  return {cards: cards.filter(visit), dropped}
}

/**
 * A card's estimates (what the logs do not record: a Copilot call's input, a subagent's transcript not read, output
 * under a streaming placeholder) for the part of it a window keeps: each in proportion to its calls the window holds,
 * so that windows side by side share one estimate, never count it twice. Its calls are the LLM calls of its model whose
 * input the log does not record where it has any (Copilot CLI's), else the LLM calls of its model, else all of them.
 * An estimate none of whose calls the window holds goes, with its warning.
 */
function windowEstimates(card: TraceCard, keptSet: ReadonlySet<Step>): void {
  if (!card.warnings.some(w => w.estimate)) return
  // (The calls of the card and its subagents, as read: a session's estimate may be of its subagents' calls.)
  const llm: Step[] = []
  const collect = (c: TraceCard): void => {
    for (const s of c.steps) if (s.kind === 'llm') llm.push(s)
    for (const child of c.children) collect(child)
  }
  collect(card)
  card.warnings = card.warnings.filter(w => {
    const e = w.estimate
    if (!e) return true
    const ofModel = e.model === undefined ? llm : llm.filter(s => s.model === e.model)
    const open = ofModel.filter(s => s.inputUnrecorded)
    const calls = open.length ? open : ofModel.length ? ofModel : llm
    if (!calls.length) return true
    const inside = calls.filter(s => keptSet.has(s)).length
    if (inside === 0) return false
    if (inside === calls.length) return true
    const share = inside / calls.length
    const t = e.tokens
    w.estimate = {
      ...e,
      tokens: {
        input: Math.round(t.input * share),
        output: Math.round(t.output * share),
        cacheRead: Math.round(t.cacheRead * share),
        cacheWrite: Math.round(t.cacheWrite * share),
        reasoning: Math.round(t.reasoning * share),
      },
      calls: Math.max(1, Math.round(e.calls * share)),
      ...(e.usd !== undefined ? {usd: e.usd * share} : {}),
    }
    w.message = `${w.message} (the window holds ${inside} of the ${calls.length} calls it is about: ${Math.round(share * 100)}% of it counted here)`
    return true
  })
}
