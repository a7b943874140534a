/**
 * `aco analyze --by day|week|month|block|session|project|model`: the totals
 * again, split by one key. Time keys are calendar dates in a time zone (the
 * machine's unless `--tz` names one), taken from each step's own time, so a
 * session that runs past midnight counts on both days. A block is a 5-hour
 * billing window as ccusage draws them (Claude's usage limits): one starts at
 * the hour of the first call after the last block ended, and holds every call
 * of the five hours from there, over all traces. Dollars are summed in
 * nano-dollars like the totals (exact.ts): the rows sum to the totals exactly.
 * Pure: cards in, rows out.
 */
import {realpathSync} from 'node:fs'
import {addTokens, emptyTokens} from '../card/build.js'
import type {Step, Tokens, TraceCard} from '../card/types.js'
import {AcoError} from '../errors.js'
import {outsideOf} from './lean.js'
import {fromNano, toNano} from '../util/exact.js'

export const GROUP_BYS = ['day', 'week', 'month', 'block', 'session', 'project', 'model'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export interface GroupRow {
  /**
   * `2026-11-30`, `2026-W48`, `2026-11`, a block's start (`2026-11-30 09:00`, and its agent where blocks of several
   * are listed: `2026-11-30 09:00 codex`), a session id, a project folder or a model.
   */
  key: string
  costUsd: number
  wastedUsd: number
  tokens: Tokens
  steps: number
  llmCalls: number
  toolCalls: number
  /** Top-level traces with a step in this group (a trace over two days counts on both). */
  traces: number
  /** Of `llmCalls`, those with no price: their cost is not in `costUsd` (absent when none). */
  unpricedCalls?: number
  /** Of `llmCalls`, those whose log records their output alone (see Step's `inputUnrecorded`): `costUsd` is a floor. */
  inputUnrecordedCalls?: number
  /** By block: when it starts (UTC); it ends five hours later. */
  startsAt?: string
  /**
   * By block: the agent (the traces' format, `claude-code`) whose calls it holds: each agent's calls make blocks of
   * their own, and where several do, the key names it after the start (`2026-11-30 09:00 codex`).
   */
  agent?: string
  /** By block: the run's time falls within it (the block in use: what its limits still allow is the rest of it). */
  active?: boolean
}

export interface Grouping {
  by: GroupBy
  /** The IANA time zone dates are read in (time keys only). */
  timeZone?: string
  rows: GroupRow[]
}

/** The key of steps with no time at all (by day, week or month). */
export const NO_TIME = '(no time)'

/** Checks a `--tz` value, or returns the machine's zone. */
export function resolveTimeZone(tz: string | undefined, envTz?: string): string {
  if (tz === undefined) {
    // (ICU's `Etc/Unknown` for an empty TZ is no zone Intl takes back: every date threw; review 128.)
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined
    const machine = resolved === 'Etc/Unknown' ? undefined : resolved
    // The machine's zone as `TZ` names it, when it names that zone (`TZ=Asia/Kolkata`, which ICU files under
    // Asia/Calcutta): the name the person chose, as for --tz. A zone file's path (`:/etc/localtime`, a link to one,
    // `/usr/share/zoneinfo/Europe/Berlin`) names the zone of its name under `zoneinfo/`.
    const named = zoneOfFile(envTz?.startsWith(':') ? envTz.slice(1) : envTz)
    // A TZ ICU takes for no zone of the machine's (`utc`, `Asia/kolkata`: it says undefined) is read as --tz would
    // read it; else UTC, as Intl then formats.
    if (machine === undefined) {
      try {
        return named ? resolveTimeZone(named) : 'UTC'
      } catch {
        return 'UTC'
      }
    }
    if (named)
      try {
        if (new Intl.DateTimeFormat('en-CA', {timeZone: named}).resolvedOptions().timeZone === machine) return named
      } catch {
        // not a zone Intl knows (a POSIX rule, `EST5EDT,M3.2.0`): the machine's as ICU names it
      }
    return machine
  }
  try {
    const resolved = new Intl.DateTimeFormat('en-CA', {timeZone: tz}).resolvedOptions().timeZone
    // The name given, not the one ICU files it under (Asia/Kolkata, not Asia/Calcutta); its own spelling of `utc`.
    return resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz
  } catch {
    throw new AcoError(
      'usage',
      `Unknown time zone: ${tz}.`,
      'Name an IANA zone (Europe/Berlin, America/New_York, UTC).',
    )
  }
}

/** The zone a TZ naming a zone file means (`/etc/localtime` → what it links to under `zoneinfo/`); else TZ itself. */
function zoneOfFile(tz: string | undefined): string | undefined {
  if (!tz?.startsWith('/')) return tz
  let path = tz
  try {
    path = realpathSync(tz)
  } catch {
    // (Not there: its name is all there is.)
  }
  const at = path.lastIndexOf('/zoneinfo/')
  return at === -1 ? tz : path.slice(at + '/zoneinfo/'.length)
}

const isTimeKey = (by: GroupBy): boolean => by === 'day' || by === 'week' || by === 'month' || by === 'block'

/** A billing block's length (ccusage's `blocks`, Claude's usage windows). */
const BLOCK_MS = 5 * 3_600_000
const HOUR_MS = 3_600_000

/** The minute a block starts (`2026-11-30 09:00`) in a zone: its UTC hour, read there. */
function blockLabel(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
  return ms => {
    const parts = format.formatToParts(ms)
    const get = (type: string): string => parts.find(p => p.type === type)?.value ?? ''
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
  }
}

/** Calendar day of an instant in a zone, cached by quarter hour (zone offsets are multiples of 15 minutes). */
function dayOf(timeZone: string): (ms: number) => [number, number, number] {
  const format = new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit'})
  const cache = new Map<number, [number, number, number]>()
  return ms => {
    const slot = Math.floor(ms / 900_000)
    let day = cache.get(slot)
    if (!day) {
      const parts = format.formatToParts(ms)
      const get = (type: string): number => Number(parts.find(p => p.type === type)?.value)
      day = [get('year'), get('month'), get('day')]
      cache.set(slot, day)
    }
    return day
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** The calendar day (`2026-03-02`) of an ISO time in a zone; the time's own first ten characters if it is no time. */
export function dayIn(timeZone: string): (iso: string) => string {
  const day = dayOf(timeZone)
  return iso => {
    const ms = Date.parse(iso)
    if (Number.isNaN(ms)) return iso.slice(0, 10)
    const [y, m, d] = day(ms)
    return `${y}-${pad(m)}-${pad(d)}`
  }
}

/** ISO 8601 week (`2026-W48`) of a calendar date. */
export function isoWeek(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day))
  const weekday = date.getUTCDay() || 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday)
  const weekYear = date.getUTCFullYear()
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7)
  return `${weekYear}-W${pad(week)}`
}

/**
 * Every period from `first` to `last` (keys of one time grouping, in time order), both included, so a chart over time
 * spaces its bars by time: a week with no call is an empty place, not the next week drawn beside the one before.
 * Undefined for a key it cannot read (`(no time)`, a year of garbage) or past `max` periods.
 */
export function periodsBetween(
  by: 'day' | 'week' | 'month',
  first: string,
  last: string,
  max = 4000,
): string[] | undefined {
  const out: string[] = []
  if (by === 'month') {
    const a = /^(\d{4})-(\d{2})$/.exec(first)
    const b = /^(\d{4})-(\d{2})$/.exec(last)
    if (!a || !b || !validMonth(a[2]!) || !validMonth(b[2]!)) return undefined
    let y = Number(a[1])
    let m = Number(a[2])
    const end = Number(b[1]) * 12 + Number(b[2])
    while (y * 12 + m <= end) {
      if (out.length >= max) return undefined
      out.push(`${y}-${pad(m)}`)
      if (++m > 12) {
        m = 1
        y++
      }
    }
    return out.length ? out : undefined
  }
  const start = by === 'day' ? dayStart(first) : weekStart(first)
  const stop = by === 'day' ? dayStart(last) : weekStart(last)
  if (start === undefined || stop === undefined || stop < start) return undefined
  const stride = by === 'day' ? 86_400_000 : 7 * 86_400_000
  for (let ms = start; ms <= stop; ms += stride) {
    if (out.length >= max) return undefined
    const d = new Date(ms)
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
    out.push(by === 'day' ? `${y}-${pad(m)}-${pad(day)}` : isoWeek(y, m, day))
  }
  return out
}

/** The UTC midnight of a day key (`2026-03-02`), when it names a real day. */
function dayStart(key: string): number | undefined {
  const k = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key)
  if (!k) return undefined
  const ms = Date.UTC(Number(k[1]), Number(k[2]) - 1, Number(k[3]))
  return new Date(ms).getUTCDate() === Number(k[3]) ? ms : undefined
}

/** The UTC midnight of the Monday of an ISO week key (`2026-W48`): week 1 is the week holding January 4th. */
function weekStart(key: string): number | undefined {
  const k = /^(\d{4})-W(\d{2})$/.exec(key)
  if (!k) return undefined
  const jan4 = Date.UTC(Number(k[1]), 0, 4)
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() || 7) - 1) * 86_400_000
  const week = Number(k[2])
  if (week < 1 || week > 53) return undefined
  const ms = monday1 + (week - 1) * 7 * 86_400_000
  // (Week 53 of a year of 52 is the next year's first: no key the grouping writes.)
  const d = new Date(ms)
  return isoWeek(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) === key ? ms : undefined
}

const validMonth = (mm: string): boolean => Number(mm) >= 1 && Number(mm) <= 12

/**
 * The instant of a step: the time the log dates it by (a Claude Code response's first record, what ccusage dates a call
 * by: see Step's `loggedAt`), else its end, else its start, else its trace's start. A start is often read off the record before (a call's prompt), which
 * can be hours earlier when the log holds no record in between.
 */
export function stepTime(step: Step, card: TraceCard): number | undefined {
  // Each in turn: an end that is no time leaves the start to date the step.
  for (const at of [step.loggedAt, step.endedAt, step.startedAt, card.startedAt]) {
    if (!at) continue
    const ms = Date.parse(at)
    if (!Number.isNaN(ms) && plausibleTime(ms)) return ms
  }
  return undefined
}

/**
 * Whether a time names an instant of a four-digit year: year 0 or 275,760 (a writer's garbage; `toIso` refuses days
 * that do not exist) is no time, which no day key spells.
 */
function plausibleTime(ms: number): boolean {
  const year = new Date(ms).getUTCFullYear()
  return year >= 1000 && year <= 9999
}

interface Acc {
  key: string
  cost: number
  wasted: number
  tokens: Tokens
  steps: number
  llmCalls: number
  toolCalls: number
  traces: number
  unpriced: number
  inputUnrecorded: number
  /** By block: its start, in ms. */
  startsAt?: number
  /** By block: the agent whose calls it holds (a trace's format). */
  agent?: string
}

/** Folds cards (or rows of merged results) into the rows of one grouping. */
export class GroupBuilder {
  private readonly rows = new Map<string, Acc>()
  private readonly day?: (ms: number) => [number, number, number]

  constructor(
    readonly by: GroupBy,
    readonly timeZone: string,
  ) {
    if (isTimeKey(by)) this.day = dayOf(timeZone)
  }

  private row(key: string): Acc {
    let row = this.rows.get(key)
    if (!row) {
      row = emptyAcc(key)
      this.rows.set(key, row)
    }
    return row
  }

  /** By block: each top-level trace's hour rows (see `timeKey`), to count it once in each of its blocks. */
  private readonly traceHours: string[][] = []
  /**
   * By block: the hours of steps outside a `--since`/`--until` window (see `anchor`), and whether an LLM call was made
   * in each. They count in no row, but place the blocks: a block's start depends on the calls before it.
   */
  private readonly anchors = new Map<string, boolean>()
  /** By block: each anchored step's hour, read with its whole trace (a tool call's by the call that made it, which the window may leave out). */
  private readonly anchoredHour = new WeakMap<Step, string>()

  private timeKey(ms: number | undefined, agent = ''): string {
    if (ms === undefined) return NO_TIME
    // (By block the rows are an agent's hours until `build` joins them into blocks: `claude-code 123`, and `… 123=`
    // for the calls made at that hour's very first millisecond, which a block that ends then still holds, as
    // ccusage's does.)
    if (this.by === 'block') return `${agent} ${Math.floor(ms / HOUR_MS)}${ms % HOUR_MS === 0 ? '=' : ''}`
    const [y, m, d] = this.day!(ms)
    switch (this.by) {
      case 'day':
        return `${y}-${pad(m)}-${pad(d)}`
      case 'month':
        return `${y}-${pad(m)}`
      default:
        return isoWeek(y, m, d)
    }
  }

  /**
   * By block, notes the hours of cards' steps without counting them: those a `--since`/`--until` window leaves out
   * (pass the cards before it cuts them; what it keeps is `add`ed too). A block is drawn from all of an agent's calls,
   * as ccusage draws them before it keeps the blocks of a window: the window's first calls may belong to a block that
   * started before it (its row is named by that start), and a block starts no later for a window opening within it.
   */
  anchor(cards: readonly TraceCard[]): void {
    if (this.by !== 'block') return
    for (const card of cards) this.anchorTree(card, card.source.format)
  }

  private anchorTree(card: TraceCard, agent: string): void {
    const llmOf = new Map(card.steps.map(s => [s.id, s]))
    for (const step of card.steps) {
      const key = this.blockHour(step, card, llmOf, agent)
      this.anchoredHour.set(step, key)
      if (key !== NO_TIME) this.anchors.set(key, (this.anchors.get(key) ?? false) || step.kind === 'llm')
    }
    for (const child of card.children) this.anchorTree(child, agent)
  }

  /** By block, a step's hour row: a tool call goes with the call that made it (a result logged hours later starts no block, review 97). */
  private blockHour(step: Step, card: TraceCard, llmOf: ReadonlyMap<string, Step>, agent: string): string {
    const issuer = step.kind === 'tool' && step.parentStepId ? llmOf.get(step.parentStepId) : undefined
    return this.timeKey(stepTime(issuer ?? step, card), agent)
  }

  /** Adds top-level cards with their subagents (a subagent's steps count with its session and project). */
  add(cards: readonly TraceCard[]): void {
    for (const card of cards) {
      const seen = new Set<string>()
      this.addTree(card, card, seen)
      if (this.by === 'block') {
        if (seen.delete(NO_TIME)) this.row(NO_TIME).traces++
        this.traceHours.push([...seen])
      } else for (const key of seen) this.row(key).traces++
    }
  }

  private addTree(card: TraceCard, root: TraceCard, seen: Set<string>): void {
    const fixed =
      this.by === 'session'
        ? (root.sessionId ?? root.id)
        : this.by === 'project'
          ? (root.cwd ?? projectOfPath(root.source.path))
          : undefined
    const modelOf = this.by === 'model' ? new Map(card.steps.map(s => [s.id, s.model])) : undefined
    // (By block a tool call goes with the call that made it, and each agent's calls make blocks of their own.)
    const llmOf = this.by === 'block' ? new Map(card.steps.map(s => [s.id, s])) : undefined
    // By project, a task resumed in another project's folder (Cline's) is billed there from then on; trial 117 had billed
    // all of it to the first folder. Only where a step's folder is the task's, not a shell's after a `cd /tmp`; judged
    // against the card's own folder, as its lean copy keeps a step's.
    const home = this.by === 'project' && RESUMES_ELSEWHERE.has(root.source.format) ? (card.cwd ?? root.cwd) : undefined
    // A tool step's folder is its own, else the task's (Cline names only a folder other than the first); an LLM call's,
    // that of the first tool call it issued, else the last one's (review 119: a move back had stayed away, and the
    // call that moved billed to the folder it left).
    const away = (cwd: string | undefined): string | undefined => (outsideOf(cwd, home) ? cwd : undefined)
    const byId = home !== undefined ? new Map(card.steps.map(s => [s.id, s])) : undefined
    let elsewhere: string | undefined
    for (const step of card.steps) {
      let key: string
      if (home !== undefined) {
        const first = step.kind === 'llm' ? step.toolStepIds?.map(id => byId!.get(id)).find(Boolean) : undefined
        if (step.kind === 'tool') elsewhere = away(step.cwd)
        else if (first) elsewhere = away(first.cwd)
      }
      if (fixed !== undefined) key = elsewhere ?? fixed
      else if (modelOf)
        // (A tool step no LLM call of the trace issued, a span file of tool spans alone: no model, and no call either.)
        key =
          step.kind === 'tool' && !step.parentStepId && !step.model
            ? '(no LLM call)'
            : ((step.kind === 'llm'
                ? step.model
                : (step.model ?? (step.parentStepId ? modelOf.get(step.parentStepId) : undefined))) ?? '(unknown)')
      else if (llmOf) key = this.anchoredHour.get(step) ?? this.blockHour(step, card, llmOf, root.source.format)
      else key = this.timeKey(stepTime(step, card))
      const row = this.row(key)
      seen.add(key)
      row.steps++
      if (step.flags) for (const f of step.flags) row.wasted += toNano(f.wastedUsd)
      if (step.kind === 'tool') {
        row.toolCalls++
        continue
      }
      row.llmCalls++
      if (step.tokens) addTokens(row.tokens, step.tokens)
      if (step.cost?.usd != null) row.cost += toNano(step.cost.usd)
      else row.unpriced++
      if (step.inputUnrecorded) row.inputUnrecorded++
    }
    for (const child of card.children) this.addTree(child, root, seen)
  }

  /** Adds the rows of a grouping built elsewhere (a shard's result). */
  addRows(rows: readonly GroupRow[]): void {
    for (const r of rows) {
      const row = this.row(r.key)
      row.cost += toNano(r.costUsd)
      row.wasted += toNano(r.wastedUsd)
      addTokens(row.tokens, r.tokens)
      row.steps += r.steps
      row.llmCalls += r.llmCalls
      row.toolCalls += r.toolCalls
      row.traces += r.traces
      row.unpriced += r.unpricedCalls ?? 0
      row.inputUnrecorded += r.inputUnrecordedCalls ?? 0
    }
  }

  /**
   * By block, the hours' rows joined into blocks, each agent's apart (Claude Code's limits are not Codex's): from the
   * agent's first hour with a call, the five hours from its start; the next block at its next hour with a call after
   * those (ccusage's `identifySessionBlocks`, which floors a block's start to the hour). The hours of steps a window
   * left out (`anchor`) place the blocks too; a block of those alone is no row. A trace counts once in each block it
   * has a call in.
   */
  private blocks(): Acc[] {
    const hours: Hour[] = []
    for (const row of this.rows.values()) {
      const hour = parseHour(row.key, row, row.llmCalls > 0 || this.anchors.get(row.key) === true)
      if (hour) hours.push(hour)
    }
    if (hours.length === 0 || hours.length !== this.rows.size - (this.rows.has(NO_TIME) ? 1 : 0))
      return [...this.rows.values()]
    const counted = new Set(hours.map(h => h.agent))
    for (const [key, call] of this.anchors) {
      if (this.rows.has(key)) continue
      const hour = parseHour(key, emptyAcc(key), call)
      if (hour && counted.has(hour.agent)) hours.push(hour)
    }
    // (In time order: an hour's first millisecond before the rest of it.)
    hours.sort((a, b) => a.at - b.at || (a.edge ? -1 : b.edge ? 1 : 0))
    const label = blockLabel(this.timeZone)
    const blockOf = new Map<string, Acc>()
    const out: Acc[] = []
    for (const agent of [...counted].sort()) {
      const own = hours.filter(h => h.agent === agent)
      // (Only LLM calls start a block, as only they are in ccusage's: a step with none joins the block before it, or
      // the first; where no call has a time, the steps' hours start blocks.)
      const calls = own.some(h => h.call)
      const blocks: Acc[] = []
      const before: Acc[] = []
      let start = Number.NEGATIVE_INFINITY
      for (const {row, at, edge, call} of own) {
        // (A block holds its five hours and the instant they end, as ccusage's: past that, a new one.)
        const past = edge ? at > start + BLOCK_MS : at >= start + BLOCK_MS
        if (past && (call || !calls)) {
          start = at
          blocks.push({
            ...emptyAcc(counted.size > 1 ? `${label(start)} ${agent}` : label(start)),
            startsAt: start,
            agent,
          })
        }
        const block = blocks[blocks.length - 1]
        if (block) {
          addAcc(block, row)
          blockOf.set(row.key, block)
        } else before.push(row)
      }
      for (const row of before) {
        addAcc(blocks[0]!, row)
        blockOf.set(row.key, blocks[0]!)
      }
      out.push(...blocks.filter(b => b.steps > 0))
    }
    for (const hoursOfTrace of this.traceHours)
      for (const b of new Set(hoursOfTrace.map(h => blockOf.get(h)!))) b.traces++
    // (In time order; agents whose blocks start at one hour by name.)
    out.sort((a, b) => a.startsAt! - b.startsAt! || (a.key < b.key ? -1 : 1))
    const none = this.rows.get(NO_TIME)
    return none ? [...out, none] : out
  }

  /** Time groups in time order (no time last); the others costliest first, ties by key. */
  build(): Grouping {
    // (Blocks come in time order: a key read in a zone may repeat an hour where clocks go back.)
    const rows = this.by === 'block' ? this.blocks() : [...this.rows.values()]
    if (this.by !== 'block' && isTimeKey(this.by))
      rows.sort((a, b) => (a.key === NO_TIME ? 1 : b.key === NO_TIME ? -1 : a.key < b.key ? -1 : 1))
    else if (this.by !== 'block') rows.sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    const grouping: Grouping = {
      by: this.by,
      rows: rows.map(r => {
        const row: GroupRow = {
          key: r.key,
          costUsd: fromNano(r.cost),
          wastedUsd: fromNano(r.wasted),
          tokens: r.tokens,
          steps: r.steps,
          llmCalls: r.llmCalls,
          toolCalls: r.toolCalls,
          traces: r.traces,
        }
        if (r.unpriced) row.unpricedCalls = r.unpriced
        if (r.inputUnrecorded) row.inputUnrecordedCalls = r.inputUnrecorded
        if (r.startsAt !== undefined) row.startsAt = new Date(r.startsAt).toISOString()
        if (r.agent !== undefined) row.agent = r.agent
        return row
      }),
    }
    if (isTimeKey(this.by)) grouping.timeZone = this.timeZone
    return grouping
  }
}

/** A project from a log's path when the card names no working folder: Claude Code's folder under projects/. */
function projectOfPath(path: string): string {
  const parts = path.split(/[\\/]/)
  // (Past the folders a tool keeps every project's logs in alike: Gemini CLI's `tmp/<project>/chats/`, a day's folder;
  // trial 117 had four projects under "chats".)
  let k = parts.length - 2
  for (;;) {
    // (A date's folders, YYYY/MM/DD, Codex's: not a project named 2048; review 119.)
    if (k >= 3 && /^\d{2}$/.test(parts[k]!) && /^\d{2}$/.test(parts[k - 1]!) && /^\d{4}$/.test(parts[k - 2]!)) k -= 3
    else if (k > 0 && LOG_FOLDER.test(parts[k]!)) k--
    else break
  }
  return k >= 0 ? parts[k]! : path
}

/** Formats whose steps' folder is the task's (a resumed task's, elsewhere), not a shell's. */
const RESUMES_ELSEWHERE = new Set<string>(['cline'])

/** A folder name that says how a tool files its logs, not whose they are. */
const LOG_FOLDER = /^(?:chats|sessions)$/

/** Marks the block a run's time falls in (`now`) as active: the one whose five hours are not over. */
export function markActiveBlock(grouping: Grouping | undefined, now: number): void {
  if (grouping?.by !== 'block') return
  for (const row of grouping.rows) {
    const start = row.startsAt === undefined ? Number.NaN : Date.parse(row.startsAt)
    if (now >= start && now < start + BLOCK_MS) row.active = true
  }
}

function emptyAcc(key: string): Acc {
  return {
    key,
    cost: 0,
    wasted: 0,
    tokens: emptyTokens(),
    steps: 0,
    llmCalls: 0,
    toolCalls: 0,
    traces: 0,
    unpriced: 0,
    inputUnrecorded: 0,
  }
}

/** By block, an agent's hour row before `blocks` joins the hours (see `timeKey`). */
interface Hour {
  row: Acc
  agent: string
  /** The hour's first millisecond, UTC. */
  at: number
  /** The calls made at that very millisecond (`=`). */
  edge: boolean
  /** An LLM call was made in it (counted or not). */
  call: boolean
}

const HOUR_KEY = /^(\S*) (-?\d+)(=?)$/

function parseHour(key: string, row: Acc, call: boolean): Hour | undefined {
  const m = HOUR_KEY.exec(key)
  return m ? {row, agent: m[1]!, at: Number(m[2]) * HOUR_MS, edge: m[3] === '=', call} : undefined
}

/** Adds one row's sums to another's (their traces apart: see `blocks`). */
function addAcc(to: Acc, row: Acc): void {
  to.cost += row.cost
  to.wasted += row.wasted
  addTokens(to.tokens, row.tokens)
  to.steps += row.steps
  to.llmCalls += row.llmCalls
  to.toolCalls += row.toolCalls
  to.unpriced += row.unpriced
  to.inputUnrecorded += row.inputUnrecorded
}
