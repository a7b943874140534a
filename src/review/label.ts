/**
 * The `aco label` service: reads a decisions file and, without a terminal UI,
 * makes decisions on named steps (`TRACE:STEP`, or `TRACE:#INDEX`) or accepts
 * every flag of some detectors at or above a confidence. Steps are looked up
 * in the cards by streaming them once; only the steps asked about are kept.
 */
import {existsSync, realpathSync} from 'node:fs'
import {forEachCard} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import {parseCardLine} from '../card/parse-line.js'
import {AcoError} from '../errors.js'
import {DETECTOR_KINDS} from '../flag/registry.js'
import {writeFileAtomic} from '../util/atomic.js'
import {withFileLock} from '../util/lock.js'
import {guardOutputFile} from '../util/output-paths.js'
import {cardsNotThere, checkWritable, readDecisions, serialiseDecisions, writingDecisions} from './decisions-file.js'
import {
  applyChange,
  countDecisions,
  decisionKey,
  DECISIONS_VERSION,
  isLabel,
  LABELS,
  modelLabel,
  sortedDecisions,
  stepFacts,
  toMap,
  type Decision,
  type DecisionChange,
  type DecisionCounts,
  type DecisionsFile,
  type Label,
} from './decisions.js'
import {cardsPaths} from './source.js'
import {fileLines} from '../util/lines.js'

export interface LabelOptions {
  decisionsPath: string
  cards?: string
  accept: string[]
  reject: string[]
  /** `TRACE:STEP=LABEL`. */
  set: string[]
  /** Detector kinds (or `all`) whose flags to accept. */
  acceptFlags: string[]
  minConfidence: number
  now: string
}

export interface LabelResult {
  schemaVersion: typeof DECISIONS_VERSION
  file: string
  source?: DecisionsFile['source']
  /** Whether the file was written (decisions were asked for). */
  written: boolean
  changes: {accepted: number; rejected: number; labelled: number; acceptedFromFlags: number; keptAsDecided: number}
  counts: DecisionCounts
  decisions: Decision[]
  /** What `aco label --auto` did (absent otherwise). */
  auto?: AutoLabelSummary
}

/** What a run of `aco label --auto` did. */
export interface AutoLabelSummary {
  /** Cards read (subagents included) and their LLM steps. */
  cards: number
  llmSteps: number
  /** Steps given an automatic label, by source and label. */
  labelled: number
  bySource: Record<'execution' | 'outcome' | 'multi-model', Record<Label, number>>
  /** Steps with evidence left alone because a person had labelled them. */
  keptPersonLabels: number
  /** Automatic labels of an earlier run on these cards that were taken away (their evidence is gone). */
  removed: number
  /** Task outcomes given with --outcomes, and how many cards they joined. */
  outcomes?: {given: number; joined: number}
  seconds: number
}

interface Wanted {
  /** As the user wrote it. */
  ref: string
  candidates: Array<{traceId: string; step: string}>
  change: DecisionChange
  found: Array<{card: TraceCard; rootId: string; step: Step}>
}

export async function label(options: LabelOptions): Promise<LabelResult> {
  const file = await readDecisions(options.decisionsPath)
  const wanted = [
    ...options.accept.map(ref => wantedOf(ref, {prune: 'accept'})),
    ...options.reject.map(ref => wantedOf(ref, {prune: 'reject'})),
    ...options.set.map(arg => {
      const eq = arg.lastIndexOf('=')
      const value = eq < 0 ? '' : arg.slice(eq + 1)
      if (eq < 0 || !isLabel(value)) {
        throw new AcoError('usage', `--set ${arg}: expected TRACE:STEP=LABEL with LABEL one of ${LABELS.join(', ')}.`)
      }
      return wantedOf(arg.slice(0, eq), {label: value})
    }),
  ]
  // The same step both accepted and rejected in one run: no decision to make of it.
  const both = options.accept.find(ref => options.reject.includes(ref))
  if (both !== undefined)
    throw new AcoError(
      'usage',
      `${both} is given to both --accept and --reject.`,
      'Give each step one decision per run (the later run replaces the earlier decision).',
    )
  // One step given two labels in one run (as written: `loop:#4=fine --set loop:#4=wasted`): which one is meant?
  const labelOf = new Map<string, string>()
  for (const arg of options.set) {
    const eq = arg.lastIndexOf('=')
    const ref = arg.slice(0, eq)
    const had = labelOf.get(ref)
    if (had !== undefined && had !== arg.slice(eq + 1))
      throw new AcoError(
        'usage',
        `${ref} is given two labels by --set (${had} and ${arg.slice(eq + 1)}).`,
        'Give each step one label per run (the later run replaces the earlier label).',
      )
    labelOf.set(ref, arg.slice(eq + 1))
  }
  const kinds = flagKinds(options.acceptFlags)
  const changing = wanted.length > 0 || kinds.size > 0
  const result: LabelResult = {
    schemaVersion: DECISIONS_VERSION,
    file: options.decisionsPath,
    written: false,
    changes: {accepted: 0, rejected: 0, labelled: 0, acceptedFromFlags: 0, keptAsDecided: 0},
    counts: countDecisions([]),
    decisions: [],
  }
  if (!changing) {
    if (!file) {
      throw new AcoError(
        'no-input',
        `No decisions file at ${options.decisionsPath}.`,
        'Make decisions with aco review CARDS, or here: aco label --decisions FILE --cards CARDS --accept TRACE:STEP (or --set, --reject, --accept-flags).',
      )
    }
    result.source = file.source
    result.decisions = file.decisions
    result.counts = countDecisions(file.decisions)
    return result
  }

  const cardsArg = options.cards ?? file?.source.cards
  if (!cardsArg || !existsSync(cardsArg)) throw cardsNotThere(cardsArg, file, 'Making decisions')
  const cardsPath = realpathSync(cardsPaths(cardsArg).cards)
  guardOutputFile(options.decisionsPath, '--decisions', {inputs: [cardsPath]})
  checkWritable(options.decisionsPath)
  const flagged = await scanCards(cardsPath, wanted, kinds, options.minConfidence)

  // The read, the merge and the write happen under the file's lock: two aco label runs at once both land.
  // The schema is compiled before, so the lock is held for as short a time as can be.
  ;(await import('../util/schemas.js')).validator('decisions')
  await writingDecisions(options.decisionsPath, () =>
    withFileLock(options.decisionsPath, async () => {
      const current = await readDecisions(options.decisionsPath)
      const decisions = toMap(current?.decisions ?? [])
      const counted = new Set<string>()
      for (const w of wanted) {
        if (w.found.length === 0) {
          throw new AcoError(
            'usage',
            `No step ${w.ref} in ${cardsPath}.`,
            "Name a step as TRACE:STEP (its id) or TRACE:#INDEX, as aco review shows them; a subagent's steps are under the subagent's own trace id.",
          )
        }
        if (w.found.length > 1)
          throw new AcoError('usage', `${w.ref} names more than one step; give the step id rather than its index.`)
        const {card, rootId, step} = w.found[0]!
        const key = decisionKey(card.id, step.id)
        if ('prune' in w.change && !step.flags?.length) {
          throw new AcoError(
            'usage',
            `${w.ref} has no prune suggestion (no flag) to ${w.change.prune}.`,
            'Label it instead: --set TRACE:STEP=LABEL.',
          )
        }
        if ('label' in w.change && modelLabel(w.change.label) && step.kind === 'tool') {
          const issuer = card.steps.find(s => s.id === step.parentStepId)
          throw new AcoError(
            'usage',
            `${w.ref} is a tool call, which runs no model: ${w.change.label} goes on the LLM call that issued it.`,
            issuer
              ? `Label ${card.id}:${issuer.id} (#${issuer.index}) instead.`
              : 'Label the LLM call before it instead.',
          )
        }
        const next = applyChange(
          decisions.get(key),
          stepFacts(card, rootId, step),
          w.change,
          'label',
          options.now,
          false,
        )!
        decisions.set(key, next)
        // (A step named twice, `--set T:#20=fine --set T:#20=fine`, is one change: trial 101 read "2 labelled".)
        const kind = 'prune' in w.change ? (w.change.prune === 'accept' ? 'accepted' : 'rejected') : 'labelled'
        if (counted.has(`${kind}\u0000${key}`)) continue
        counted.add(`${kind}\u0000${key}`)
        result.changes[kind]++
      }
      for (const f of flagged) {
        const key = decisionKey(f.card.id, f.step.id)
        const before = decisions.get(key)
        if (before?.prune) {
          result.changes.keptAsDecided++
          continue
        }
        decisions.set(
          key,
          applyChange(
            before,
            stepFacts(f.card, f.rootId, f.step),
            {prune: 'accept'},
            'accept-flags',
            options.now,
            false,
          )!,
        )
        result.changes.acceptedFromFlags++
      }

      const source: DecisionsFile['source'] = {cards: cardsPath}
      if (current?.source.inputs && current.source.cards === cardsPath) source.inputs = current.source.inputs
      const next: DecisionsFile = {
        schemaVersion: DECISIONS_VERSION,
        source,
        updatedAt: options.now,
        decisions: sortedDecisions(decisions),
      }
      if (current?.cursor) next.cursor = current.cursor
      await writeFileAtomic(options.decisionsPath, serialiseDecisions(next))
      result.written = true
      result.source = source
      result.decisions = next.decisions
      result.counts = countDecisions(next.decisions)
    }),
  )
  return result
}

/** Every way of reading `TRACE:STEP` (trace ids and step ids may hold colons themselves). */
function wantedOf(ref: string, change: DecisionChange): Wanted {
  const candidates: Wanted['candidates'] = []
  for (let i = ref.indexOf(':'); i >= 0; i = ref.indexOf(':', i + 1)) {
    const traceId = ref.slice(0, i)
    const step = ref.slice(i + 1)
    if (traceId && step) candidates.push({traceId, step})
  }
  if (candidates.length === 0)
    throw new AcoError('usage', `${ref}: expected TRACE:STEP (a trace id, a colon, a step id or #index).`)
  return {ref, candidates, change, found: []}
}

function flagKinds(args: string[]): Set<string> {
  const kinds = new Set<string>()
  for (const arg of args) {
    for (const kind of arg
      .split(',')
      .map(k => k.trim())
      .filter(Boolean)) {
      if (kind === 'all') for (const k of DETECTOR_KINDS) kinds.add(k)
      else if ((DETECTOR_KINDS as readonly string[]).includes(kind)) kinds.add(kind)
      else
        throw new AcoError(
          'usage',
          `--accept-flags: unknown detector ${kind}.`,
          `Detectors: ${DETECTOR_KINDS.join(', ')} (or all).`,
        )
    }
  }
  return kinds
}

/** Streams the cards once: fills in the steps `wanted` names and returns the flagged steps of `kinds`. */
async function scanCards(
  cardsPath: string,
  wanted: Wanted[],
  kinds: ReadonlySet<string>,
  minConfidence: number,
): Promise<Array<{card: TraceCard; rootId: string; step: Step}>> {
  const byTrace = new Map<string, Array<{w: Wanted; step: string}>>()
  for (const w of wanted) {
    for (const c of w.candidates) {
      const list = byTrace.get(c.traceId) ?? []
      list.push({w, step: c.step})
      byTrace.set(c.traceId, list)
    }
  }
  const flagged: Array<{card: TraceCard; rootId: string; step: Step}> = []
  for await (const {line, n: lineNo} of fileLines(cardsPath)) {
    if (!line.trim()) continue
    const read = parseCardLine(line)
    if (!read.card)
      throw new AcoError(
        'bad-file',
        `${cardsPath}:${lineNo} is ${read.problem}.`,
        'Write the cards again with aco analyze --out.',
      )
    const root = read.card
    forEachCard([root], card => {
      const asked = byTrace.get(card.id)
      for (const step of card.steps) {
        if (asked)
          for (const a of asked)
            if (a.step === step.id || a.step === `#${step.index}`) a.w.found.push({card, rootId: root.id, step})
        const flag = step.flags?.[0]
        if (flag && kinds.has(flag.kind) && flag.confidence >= minConfidence)
          flagged.push({card, rootId: root.id, step})
      }
    })
  }
  return flagged
}
