/**
 * flag: runs the waste detectors over a card and turns their findings into
 * step flags. One flag per step (the first detector in priority order wins),
 * and an LLM call's cost is claimed at most once across all flags, so the
 * wasted dollars of a trace never count the same dollar twice.
 */
import {
  computeTotals,
  forEachCard,
  hasPromptNotes,
  type PromptNote,
  promptNote,
  releaseUnpacked,
} from '../card/build.js'
import type {Flag, Step, TraceCard} from '../card/types.js'
import {CostBudget} from './budget.js'
import {
  buildContext,
  type FlagContext,
  type ForeignWrite,
  foreignWrites,
  jobAtWork,
  timeOf,
  waitBefore,
} from './context.js'
import {type Action, type FileWrite, isUnder, languageOf, normalisePath, withHome} from './effects.js'
import type {DetectorKind, Finding} from './finding.js'
import {DETECTOR_KINDS, DETECTORS} from './registry.js'
import {type BeforeContent, firstAfter, forgetsBelow} from './timeline.js'

/**
 * Runs every detector on the card and on its subagents. Replaces earlier
 * flags. The cards of one session share its files: each card's detectors see
 * the writes its relatives made (placed by time), and a Task step whose
 * subagent card is here writes nothing of its own. `redact`: the flags' reasons redact what they quote (a command, a
 * failure's line) before cutting it, unless the run shows secrets (`--no-redact`).
 */
export function flagCard(card: TraceCard, only?: ReadonlySet<DetectorKind>, redact = true): void {
  // `~` is the session's user's home folder wherever the session ran in one.
  withHome(card.cwd, () => flagCards(card, only, redact))
}

function flagCards(card: TraceCard, only: ReadonlySet<DetectorKind> | undefined, redact: boolean): void {
  const cards: TraceCard[] = []
  forEachCard([card], c => cards.push(c))
  const ids = new Set(cards.map(c => c.id))
  if (cards.length === 1) {
    flagOne(card, buildContext(card, [], ids, false, redact), only)
    releaseUnpacked()
    return
  }
  // Each card's own writes, from a context of its own; the context is let go at once and built again when the
  // card is flagged (holding one per card held a second copy of the session's per-step tables). What its calls do is
  // kept for that second context, which would classify them the same, and let go once it is built.
  const classified: Array<ReadonlyArray<Action | undefined> | undefined> = []
  const session = new SessionWrites(
    cards.map(c => {
      const ctx = buildContext(c, [], ids, true)
      classified.push(ctx.actions)
      return foreignWrites(ctx)
    }),
  )
  cards.forEach((c, k) => {
    // Writes up to the card's first step are no event of its timeline (see Timeline's `before`): only the contents
    // they leave known count. A first step without a time places none of them before it: all are its events then.
    const first = c.steps.length ? timeOf(c.steps[0]!) : Number.NaN
    const timed = !Number.isNaN(first)
    const foreign = session.between(k, timed ? first : Number.NEGATIVE_INFINITY, lastTime(c))
    const before = timed ? (path: string) => session.contentBefore(k, first, path) : undefined
    const given = classified[k]
    classified[k] = undefined
    flagOne(c, buildContext(c, foreign, ids, false, redact, before, given), only)
  })
  releaseUnpacked()
}

/**
 * A session's writes across its cards, sorted once by time (at equal times, by card, then by step), and for each
 * card what the others' writes tell it:
 *
 * - `between`: the writes its timeline places between its steps, from its first step (`from`, exclusive) to its last
 *   (`to`). A write later than every step of the card is never placed between two of them (buildContext places a
 *   write before the first step at or after it): leaving those out changes nothing.
 * - `contentBefore`: the whole content of a file the writes up to its first step left known, as a timeline that
 *   applied them all would answer `content` (a later write without content, or a known command's writes below a
 *   folder holding the file, forgets it). Looked up per file, so a session with thousands of subagents does not
 *   place every earlier write before each one's first step.
 */
export class SessionWrites {
  private readonly all: Array<{write: ForeignWrite; card: number}> = []
  /** Per path: the indexes (in `all`) of the writes that name it. Built when first asked. */
  private byPath?: Map<string, number[]>
  /** The indexes of the writes that forget what a folder holds (`under`, not a build's outputs). */
  private wide?: number[]

  constructor(own: ReadonlyArray<readonly ForeignWrite[]>) {
    own.forEach((writes, j) => {
      for (const write of writes) this.all.push({write, card: j})
    })
    this.all.sort((a, b) => a.write.time - b.write.time)
  }

  /** The other cards' writes that card `k` places in (from, to], in order. */
  between(k: number, from: number, to: number): ForeignWrite[] {
    const out: ForeignWrite[] = []
    for (let i = this.firstLater(from); i < this.all.length && this.all[i]!.write.time <= to; i++)
      if (this.all[i]!.card !== k) out.push(this.all[i]!.write)
    return out
  }

  /**
   * The whole content the other cards' writes at or before `at` last wrote at `path` (undefined when the last of them
   * forgot it), and whether it is still known then (`fresh`): not when a folder's writes after it may have changed
   * it. A stale content is known again after a write that leaves the content as it was (Timeline's `apply`).
   */
  contentBefore(k: number, at: number, path: string): BeforeContent | undefined {
    this.index()
    const end = this.firstLater(at)
    const list = this.byPath!.get(path)
    if (!list) return undefined
    // A write that leaves the content as it was (`chmod`, `touch`) keeps it known from then on (Timeline's `apply`).
    let touched: number | undefined
    for (let n = firstAfter(list, end - 1) - 1; n >= 0; n--) {
      const i = list[n]!
      if (this.all[i]!.card === k) continue
      // The last write of the event to name the path decides (a content, or a write that forgets it).
      let last: FileWrite | undefined
      for (const w of this.all[i]!.write.writes.writes) if (w.path === path && !w.metaOnly) last = w
      if (!last) {
        touched ??= i
        continue
      }
      if (last.content === undefined) return undefined
      // What a folder's writes after it (not in the same event: it took the same epoch) may have changed.
      const since = touched ?? i
      const wide = this.wide!
      for (let m = firstAfter(wide, since); m < wide.length && wide[m]! < end; m++) {
        const e = this.all[wide[m]!]!
        if (e.card !== k && e.write.writes.under.some(dir => forgetsBelow(e.write.writes, dir) && isUnder(path, dir)))
          return {content: last.content, fresh: false}
      }
      return {content: last.content, fresh: true}
    }
    return undefined
  }

  private index(): void {
    if (this.byPath) return
    const byPath = new Map<string, number[]>()
    const wide: number[] = []
    this.all.forEach(({write}, i) => {
      for (const w of write.writes.writes) {
        const list = byPath.get(w.path)
        if (!list) byPath.set(w.path, [i])
        else if (list[list.length - 1] !== i) list.push(i)
      }
      if (write.writes.under.some(dir => forgetsBelow(write.writes, dir))) wide.push(i)
    })
    this.byPath = byPath
    this.wide = wide
  }

  /** The index of the first write later than `time` (the length when none is). */
  private firstLater(time: number): number {
    let lo = 0
    let hi = this.all.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.all[mid]!.write.time <= time) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** The latest time of a card's steps (as buildContext reads them), -Infinity when none has one. */
function lastTime(card: TraceCard): number {
  let last = Number.NEGATIVE_INFINITY
  for (const step of card.steps) {
    const t = timeOf(step)
    if (t > last) last = t
  }
  return last
}

function flagOne(card: TraceCard, ctx: FlagContext, only?: ReadonlySet<DetectorKind>): void {
  const steps = card.steps
  for (let i = 0; i < steps.length; i++) if (steps[i]!.flags !== undefined) delete steps[i]!.flags
  const findings: Finding[] = []
  // In priority order: a step keeps the flag of the first detector that finds it.
  for (const kind of DETECTOR_KINDS) {
    if (only && !only.has(kind)) continue
    findings.push(...DETECTORS[kind].detect(ctx, findings))
  }
  // A look again after waiting on a job left running in the background: a poll of what it writes.
  for (let k = findings.length - 1; k >= 0; k--) if (pollsJob(ctx, findings[k]!)) findings.splice(k, 1)
  // Looks again a person asked for, or that follow a change they told of, at the start of their turn.
  if (hasPromptNotes(card)) {
    const byId = new Map(card.steps.map(s => [s.id, s]))
    for (let k = findings.length - 1; k >= 0; k--)
      if (askedInPrompt(card, ctx, findings[k]!, byId)) findings.splice(k, 1)
  }
  // Each LLM call's cost is claimed once, by the issuing step's share and by the carrying in later calls alike.
  const budget = new CostBudget(ctx.steps)
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!
    if (f.step.flags?.length) continue
    const own = f.own.llm ? budget.claim(f.own.llm.index, f.own.usd) : 0
    const carried = budget.claimAfter(f.step.index, f.carryUsd)
    const wastedUsd = own + carried
    // A finding whose dollars were all claimed by others adds nothing a person should act on.
    if (wastedUsd <= 0 && f.kind === 'context-growth') continue
    const flag: Flag = {kind: f.kind, reason: f.reason, confidence: f.confidence, wastedUsd, evidence: f.evidence}
    if (carried > 0) flag.carriedUsd = carried
    // What the call it came from cost is not known: neither is what it wasted (never a $0 a person would trust).
    if (f.own.llm && (f.own.llm.cost === undefined || f.own.llm.cost.usd === null)) flag.unpriced = true
    f.step.flags = [flag]
  }
  card.totals = computeTotals(card.steps)
}

/**
 * Whether a look again (or a call repeated, or failing again) waited first, on purpose, for a job left running in the
 * background to get on (`nohup python train.py … &`, Claude Code's `run_in_background`), then looked at what such a job
 * may write: a `sleep` between the two, or the look's own first (`sleep 60 && ls checkpoints/`). What a running program
 * writes aco cannot tell (a training run's checkpoints, a worker's own log), and the agent looked again to see whether
 * it had: a poll, not a repeat, even when it printed the same. Not a look at source code or at git's state, which a
 * job does not write (`cat app/main.py` while a server runs).
 */
function pollsJob(ctx: FlagContext, f: Finding): boolean {
  if (f.kind === 'context-growth' || f.kind === 'loop' || f.kind === 'unused-output') return false
  const action = ctx.actions[f.step.index]
  if (!action || !mayShowJobWrites(action)) return false
  const waitAt = waitBefore(ctx, f.step.index)
  if (waitAt < 0) return false
  // (The evidence's step looked up last: finding it builds the index of the card's steps by id.)
  const earlier = ctx.byId.get(f.evidence[0] ?? '')?.index
  if (earlier === undefined || earlier >= f.step.index) return false
  return waitAt > earlier && jobAtWork(ctx, waitAt)
}

/** Whether a look may show what a job writes: not only source files or configuration, nor git's state alone. */
function mayShowJobWrites(action: Action): boolean {
  // (A check of code: a job writes its outputs, not the project's sources.)
  if (action.depsCode && !action.depsAny) return false
  const paths = [...action.reads.map(r => r.path), ...action.searches.flatMap(s => s.scopes)]
  const deps = action.deps.filter(d => d !== '(env)')
  if (!paths.length && deps.length && deps.every(d => d === '(git)')) return false
  if (paths.length && paths.every(p => languageOf(p) !== undefined || CONFIG.test(p))) return false
  return true
}

/** Configuration and prose a person or the agent writes, not a job (`configs/small.yaml`, `pyproject.toml`, `README.md`). */
const CONFIG = /\.(?:ya?ml|toml|ini|cfg|conf|properties|md|rst)$/i

/**
 * Whether a look again (or a call repeated) came at a person's turn whose prompt said files changed or asked to read
 * them again (`please rescan and review as the config has changed`), its evidence all from earlier turns: the person
 * asked for it, or told of a change aco cannot see. Where the prompt names files, only a look at one of them. (Taking a
 * prompt that names the file as asking for it, without such words, was measured: 119 right flags lost for 13 wrong.)
 */
function askedInPrompt(card: TraceCard, ctx: FlagContext, f: Finding, byId: ReadonlyMap<string, Step>): boolean {
  if (f.kind !== 'reread-unchanged' && f.kind !== 'near-duplicate' && f.kind !== 'duplicate-call') return false
  const turn = f.step.turn
  if (turn === undefined) return false
  // The latest turn of the evidence: a prompt after it (up to the step's own) that told of a change is one the evidence
  // predates; a prompt asking to read again asks it of its own turn's looks.
  let since = -1
  for (const id of f.evidence) since = Math.max(since, byId.get(id)?.turn ?? turn)
  if (since >= turn) return false
  const a = ctx.actions[f.step.index]
  const paths = [
    ...(a?.reads.map(r => r.path) ?? []),
    ...(a?.searches.flatMap(s => s.scopes) ?? []),
    ...(a?.deps ?? []),
  ]
  for (let t = since + 1; t <= turn; t++) {
    const note = promptNote(card, t)
    // (A prompt that only asks for a retry, or speaks of the network, says nothing of the files.)
    if (note && (note.changed || (note.again && t === turn)) && reaches(card, note, paths)) return true
  }
  return false
}

/** Whether what a prompt told of or asked for reaches a look at `paths` (see `PromptNote`'s names, unless, within). */
function reaches(card: TraceCard, note: PromptNote, paths: readonly string[]): boolean {
  // (A change that did not reach where it looks: a resumed session's own state, a file outside the repository.)
  const unless = note.unless
  if (unless && paths.length && paths.every(p => unless.some(u => p.includes(u)))) return false
  const within = note.within && normalisePath(note.within, card.cwd)
  if (within && paths.length && paths.every(p => !isUnder(p, within))) return false
  if (!note.names.length) return true
  // (By its name, or its name's stem: `the README` is README.md.)
  return paths.some(p => {
    const name = p.slice(p.lastIndexOf('/') + 1).toLowerCase()
    const dot = name.lastIndexOf('.')
    return note.names.includes(name) || (dot > 0 && note.names.includes(name.slice(0, dot)))
  })
}
