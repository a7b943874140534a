/**
 * Execution feedback on each LLM step of a card: what happened to the tool
 * calls the step issued. A step *struggled* when its own calls failed, were
 * retried, or were undone by a later step; it was *wasted* when a waste
 * detector flagged it or its calls (the flags are read from the card, whatever
 * detector wrote them); it is *done* when every call it made succeeded and its
 * result was used later. A step that called no tool (an answer, a plan in
 * words) gets no verdict from execution: nothing ran.
 *
 * Each verdict carries a strength in (0, 1] that says how much it is worth
 * against a person's label (1). The constants below are fixed by what each
 * signal shows, not fitted to any traces: a failed call is the model's fault
 * only some of the time (0.5); one repeated unchanged after failing, or
 * undone, shows it more clearly (0.7); a call whose result a later step quotes
 * shows use (0.5); one merely followed by the next step without a repeat,
 * less (0.35). Pure and linear in the card's steps.
 */
import type {Step, ToolCall, TraceCard} from '../card/types.js'
import {actionKind, commandOf, mainKind, pathOf, type ActionKind} from './actions.js'

export type Verdict = 'struggle' | 'wasted' | 'done'

export interface StepEvidence {
  /** The card the step is in. */
  card: TraceCard
  step: Step
  /** Index of the step among its card's LLM steps (0-based). */
  ordinal: number
  /** What the step did: the main kind of the calls it made, or `answer` when it made none. */
  action: ActionKind | 'answer'
  verdict?: Verdict
  strength: number
  reason?: string
}

/** Strengths of each kind of evidence (see the module comment). */
const STRENGTH = {
  failed: 0.5,
  retried: 0.6,
  repeatedUnchanged: 0.7,
  undone: 0.7,
  /** Times the flag's own confidence. */
  flagged: 0.8,
  usedQuoted: 0.5,
  usedFollowed: 0.35,
} as const

/** LLM steps ahead that a retry or an undo must fall within. */
const RETRY_WINDOW = 3
const UNDO_WINDOW = 8
/** LLM steps ahead searched for a large result's terms. */
const USE_WINDOW = 20

/** Whether a tool call failed: an error, or a non-zero exit (a search that found nothing is not a failure). */
export function failed(tool: ToolCall, kind: ActionKind): boolean {
  if (tool.status === 'error') return kind === 'search' ? tool.exitCode !== 1 || (tool.outputChars ?? 0) > 0 : true
  if (tool.exitCode !== undefined && tool.exitCode !== 0) return !(kind === 'search' && tool.exitCode === 1)
  return false
}

interface Call {
  tool: ToolCall
  step: Step
  kind: ActionKind
  /** Ordinal of the LLM step that issued it. */
  at: number
  failed: boolean
  key: string
  path: string | undefined
}

/** Evidence for every LLM step of one card (children not included). */
export function cardEvidence(card: TraceCard): StepEvidence[] {
  const steps = card.steps
  const byId = new Map<string, Step>()
  for (const s of steps) byId.set(s.id, s)
  const llm: Step[] = []
  for (const s of steps) if (s.kind === 'llm') llm.push(s)
  const ordinalOf = new Map<string, number>()
  llm.forEach((s, i) => {
    ordinalOf.set(s.id, i)
  })

  // The calls each LLM step issued, in order.
  const callsOf: Call[][] = llm.map(() => [])
  const orphanAt = (s: Step): number => {
    // A tool step whose parent is unknown belongs to the last LLM step before it.
    let at = -1
    for (let i = 0; i < llm.length && llm[i]!.index < s.index; i++) at = i
    return at
  }
  for (const s of steps) {
    if (s.kind !== 'tool' || !s.tool) continue
    const at = s.parentStepId !== undefined ? (ordinalOf.get(s.parentStepId) ?? orphanAt(s)) : orphanAt(s)
    if (at < 0) continue
    const kind = actionKind(s.tool)
    callsOf[at]!.push({
      tool: s.tool,
      step: s,
      kind,
      at,
      failed: failed(s.tool, kind),
      key: `${s.tool.name}\u0000${s.tool.argsHash}`,
      path: pathOf(s.tool.arguments),
    })
  }

  // Where each call (name + arguments) appears, by LLM ordinal.
  const seenAt = new Map<string, number[]>()
  callsOf.forEach((calls, at) => {
    for (const c of calls) {
      const list = seenAt.get(c.key)
      if (list) list.push(at)
      else seenAt.set(c.key, [at])
    }
  })
  const repeatedWithin = (c: Call, window: number): boolean =>
    (seenAt.get(c.key) ?? []).some(at => at > c.at && at <= c.at + window)

  return llm.map((step, ordinal) => {
    const calls = callsOf[ordinal]!
    const action = calls.length === 0 ? 'answer' : (mainKind(calls.map(c => c.kind)) ?? 'other')
    const ev: StepEvidence = {card, step, ordinal, action, strength: 0}
    if (calls.length === 0) {
      const flag = strongestFlag([step])
      if (flag) setVerdict(ev, 'wasted', STRENGTH.flagged * flag.confidence, `flagged ${flag.kind}`)
      return ev
    }
    // Wasted: a detector flagged the step or one of its calls.
    const flag = strongestFlag([step, ...calls.map(c => c.step)])
    if (flag) {
      setVerdict(ev, 'wasted', STRENGTH.flagged * flag.confidence, `flagged ${flag.kind}`)
      return ev
    }
    // Struggle: a call failed, was retried, or a later step undid it.
    for (const c of calls) {
      if (undone(c, callsOf))
        setVerdict(ev, 'struggle', STRENGTH.undone, `its ${c.kind} of ${c.path ?? c.tool.name} was undone`)
      if (!c.failed) continue
      if (repeatedWithin(c, RETRY_WINDOW))
        setVerdict(
          ev,
          'struggle',
          STRENGTH.repeatedUnchanged,
          `its ${c.tool.name} call failed and was repeated unchanged`,
        )
      else if (retried(c, callsOf))
        setVerdict(ev, 'struggle', STRENGTH.retried, `its ${c.tool.name} call failed and was retried`)
      else setVerdict(ev, 'struggle', STRENGTH.failed, `its ${c.tool.name} call failed`)
    }
    if (ev.verdict) return ev
    // Done: every call succeeded and its result was used.
    let quoted = false
    for (const c of calls) {
      const use = usedLater(c, callsOf, llm, repeatedWithin)
      if (use === 'no') return ev
      if (use === 'quoted') quoted = true
    }
    setVerdict(
      ev,
      'done',
      quoted ? STRENGTH.usedQuoted : STRENGTH.usedFollowed,
      quoted ? 'its calls succeeded and a later step used their result' : 'its calls succeeded and the run went on',
    )
    return ev
  })
}

function setVerdict(ev: StepEvidence, verdict: Verdict, strength: number, reason: string): void {
  if (ev.verdict !== undefined && strength <= ev.strength) return
  ev.verdict = verdict
  ev.strength = Math.round(strength * 1000) / 1000
  ev.reason = reason
}

function strongestFlag(steps: Step[]): {kind: string; confidence: number} | undefined {
  let best: {kind: string; confidence: number} | undefined
  for (const s of steps)
    for (const f of s.flags ?? [])
      if (!best || f.confidence > best.confidence) best = {kind: f.kind, confidence: f.confidence}
  return best
}

/** A failed call followed soon by a call of the same tool on the same target (another attempt). */
function retried(c: Call, callsOf: Call[][]): boolean {
  const first = firstWord(c)
  for (let at = c.at + 1; at <= c.at + RETRY_WINDOW && at < callsOf.length; at++)
    for (const d of callsOf[at]!)
      if (d.tool.name === c.tool.name && d.kind === c.kind && (d.path ?? firstWord(d)) === (c.path ?? first))
        return true
  return false
}

function firstWord(c: Call): string {
  const command = commandOf(c.tool.arguments)
  return command ? (command.trim().split(/\s+/, 2).join(' ') ?? '') : ''
}

/** An edit a later step reverted: an exact inverse edit, or a `git checkout/restore` or backup copy of its file. */
function undone(c: Call, callsOf: Call[][]): boolean {
  if (c.kind !== 'edit') return false
  const args = (c.tool.arguments ?? {}) as Record<string, unknown>
  const oldText = typeof args.old_string === 'string' ? args.old_string : undefined
  const newText = typeof args.new_string === 'string' ? args.new_string : undefined
  const base = c.path ? c.path.slice(c.path.lastIndexOf('/') + 1) : undefined
  for (let at = c.at + 1; at <= c.at + UNDO_WINDOW && at < callsOf.length; at++) {
    for (const d of callsOf[at]!) {
      if (d.kind !== 'edit' || d.failed) continue
      const a = (d.tool.arguments ?? {}) as Record<string, unknown>
      if (
        oldText !== undefined &&
        newText !== undefined &&
        d.path === c.path &&
        a.old_string === newText &&
        a.new_string === oldText
      )
        return true
      const command = commandOf(d.tool.arguments)
      if (!command || !base) continue
      if (/\bgit\s+(checkout|restore)\b/.test(command) && command.includes(base)) return true
      if (/\b(cp|mv)\s/.test(command) && /\.(bak|orig|backup)\b/.test(command) && command.includes(base)) return true
    }
  }
  return false
}

/**
 * Whether a later step used a call's result: a large result's distinctive
 * terms quoted later ("quoted"); an edit followed by a test, a run or a read
 * of its file, or a call followed by the next step without being repeated
 * ("followed"); "no" when it was repeated at once or nothing came after.
 */
function usedLater(
  c: Call,
  callsOf: Call[][],
  llm: Step[],
  repeatedWithin: (c: Call, window: number) => boolean,
): 'quoted' | 'followed' | 'no' {
  if (c.at + 1 >= llm.length) return c.kind === 'submit' ? 'followed' : 'no'
  if (repeatedWithin(c, 2) && c.kind !== 'test' && c.kind !== 'run') return 'no'
  const terms = c.tool.terms
  if (terms && terms.length > 0) {
    const end = Math.min(llm.length, c.at + 1 + USE_WINDOW)
    for (let at = c.at + 1; at < end; at++) {
      const text = llm[at]!.text ?? ''
      for (const term of terms) if (text.includes(term)) return 'quoted'
      for (const d of callsOf[at]!) {
        const command = commandOf(d.tool.arguments) ?? d.path ?? ''
        for (const term of terms) if (command.includes(term)) return 'quoted'
      }
    }
  }
  if (c.kind === 'edit' && c.path) {
    const end = Math.min(llm.length, c.at + 1 + USE_WINDOW)
    for (let at = c.at + 1; at < end; at++)
      for (const d of callsOf[at]!)
        if (
          d.kind === 'test' ||
          d.kind === 'run' ||
          d.path === c.path ||
          (commandOf(d.tool.arguments) ?? '').includes(c.path)
        )
          return 'quoted'
  }
  return 'followed'
}
