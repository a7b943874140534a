/**
 * `aco label --auto` as a service: read the cards (and task outcomes), label
 * every LLM step that has evidence (auto-label.ts), and merge the labels into
 * the decisions file. A person's label is never touched: a step a person
 * labelled keeps that label whatever the evidence says. Automatic labels of an
 * earlier run on the same cards are replaced, so running it again after new
 * evidence (another analysis, an outcomes file) gives the labels of now.
 */
import {existsSync, realpathSync} from 'node:fs'
import {applyTaskResults, loadTaskResults} from '../adapt/task-results.js'
import {forEachCard} from '../card/build.js'
import type {TraceCard} from '../card/types.js'
import {parseCardLine} from '../card/parse-line.js'
import {AcoError} from '../errors.js'
import {
  cardsNotThere,
  checkWritable,
  readDecisions,
  serialiseDecisions,
  writingDecisions,
} from '../review/decisions-file.js'
import {
  countDecisions,
  decisionKey,
  DECISIONS_VERSION,
  isPersonLabel,
  sortedDecisions,
  stepFacts,
  toMap,
  type Decision,
  type DecisionsFile,
} from '../review/decisions.js'
import type {AutoLabelSummary, LabelResult} from '../review/label.js'
import {cardsPaths} from '../review/source.js'
import {writeFileAtomic} from '../util/atomic.js'
import {withFileLock} from '../util/lock.js'
import {autoLabels, type AutoLabel} from './auto-label.js'
import {fileLines} from '../util/lines.js'

export interface AutoLabelRunOptions {
  decisionsPath: string
  /** Cards (cards.ndjson or its folder); default: the cards the decisions file names. */
  cards?: string
  /** A task results file (SWE-bench report.json, results.json, JSONL). */
  outcomes?: string
  now: string
  /** The clock, for the run's time (the core reads none of its own). */
  clock?: () => number
}

/** Reads every card of a cards file (top-level cards, subagents inside). */
export async function readCards(cardsPath: string): Promise<TraceCard[]> {
  const cards: TraceCard[] = []
  for await (const {line, n: lineNo} of fileLines(cardsPath)) {
    if (!line.trim()) continue
    const read = parseCardLine(line)
    if (!read.card)
      throw new AcoError(
        'bad-file',
        `${cardsPath}:${lineNo} is ${read.problem}.`,
        'Write the cards again with aco analyze --out.',
      )
    cards.push(read.card)
  }
  return cards
}

/** Resolves `--cards` (or the cards a decisions file names) to the cards file. */
export function resolveCards(cardsArg: string | undefined, file?: DecisionsFile): string {
  if (!cardsArg || !existsSync(cardsArg)) throw cardsNotThere(cardsArg, file, 'Labelling')
  return realpathSync(cardsPaths(cardsArg).cards)
}

/** Merges automatic labels into decisions; people's labels stay. Returns what changed. */
export function mergeAutoLabels(
  before: readonly Decision[],
  labels: readonly AutoLabel[],
  scannedTraceIds: ReadonlySet<string>,
  now: string,
): {decisions: Map<string, Decision>; keptPersonLabels: number; removed: number} {
  const decisions = toMap(before)
  const earlier = new Set<string>()
  // An earlier run's automatic labels on these cards go: they are recomputed below.
  for (const [key, d] of decisions) {
    if (!d.label || isPersonLabel(d) || !scannedTraceIds.has(d.traceId)) continue
    earlier.add(key)
    if (!d.prune) {
      decisions.delete(key)
      continue
    }
    const {label: _label, labelSource: _s, labelStrength: _w, labelEvidence: _e, ...rest} = d
    decisions.set(key, rest)
  }
  let keptPersonLabels = 0
  for (const l of labels) {
    const key = decisionKey(l.card.id, l.step.id)
    const prior = decisions.get(key)
    if (prior?.label && isPersonLabel(prior)) {
      keptPersonLabels++
      continue
    }
    const next: Decision = {
      ...stepFacts(l.card, l.root.id, l.step),
      label: l.label,
      labelSource: l.source,
      labelStrength: l.strength,
      labelEvidence: l.evidence,
      by: prior?.prune ? prior.by : 'auto',
      at: prior?.prune ? prior.at : now,
    }
    if (prior?.prune) {
      next.prune = prior.prune
      if (prior.flagKind !== undefined) next.flagKind = prior.flagKind
      if (prior.wastedUsd !== undefined) next.wastedUsd = prior.wastedUsd
    }
    decisions.set(key, next)
    earlier.delete(key)
  }
  return {decisions, keptPersonLabels, removed: earlier.size}
}

/** `aco label --auto`: labels from evidence merged into the decisions file. */
export async function runAutoLabel(options: AutoLabelRunOptions): Promise<LabelResult> {
  const clock = options.clock ?? (() => 0)
  const started = clock()
  const file = await readDecisions(options.decisionsPath)
  const cardsPath = resolveCards(options.cards ?? file?.source.cards, file)
  const roots = await readCards(cardsPath)
  let outcomes: AutoLabelSummary['outcomes']
  if (options.outcomes) {
    const {results} = await loadTaskResults(options.outcomes)
    const all: TraceCard[] = []
    forEachCard(roots, c => {
      all.push(c)
    })
    outcomes = {given: results.size, joined: applyTaskResults(all, results).length}
  }
  const labels = autoLabels(roots)
  const scanned = new Set<string>()
  let llmSteps = 0
  forEachCard(roots, c => {
    scanned.add(c.id)
    for (const s of c.steps) if (s.kind === 'llm') llmSteps++
  })
  // The file is read again under its lock and merged there: an `aco label --set` or a review that wrote it while the
  // labels were worked out keeps what it wrote (a person's label above all).
  const source: DecisionsFile['source'] = {cards: cardsPath}
  checkWritable(options.decisionsPath)
  const {next, merged} = await writingDecisions(options.decisionsPath, () =>
    withFileLock(options.decisionsPath, async () => {
      const now = await readDecisions(options.decisionsPath)
      const merged = mergeAutoLabels(now?.decisions ?? [], labels, scanned, options.now)
      if (now?.source.inputs && now.source.cards === cardsPath) source.inputs = now.source.inputs
      const next: DecisionsFile = {
        schemaVersion: DECISIONS_VERSION,
        source,
        updatedAt: options.now,
        decisions: sortedDecisions(merged.decisions),
      }
      if (now?.cursor) next.cursor = now.cursor
      await writeFileAtomic(options.decisionsPath, serialiseDecisions(next))
      return {next, merged}
    }),
  )
  const bySource: AutoLabelSummary['bySource'] = {
    execution: {fine: 0, 'needs-stronger-model': 0, 'cheaper-model-ok': 0, wasted: 0},
    outcome: {fine: 0, 'needs-stronger-model': 0, 'cheaper-model-ok': 0, wasted: 0},
    'multi-model': {fine: 0, 'needs-stronger-model': 0, 'cheaper-model-ok': 0, wasted: 0},
  }
  let labelled = 0
  for (const d of next.decisions)
    if (d.label && d.labelSource && d.labelSource !== 'person') {
      bySource[d.labelSource][d.label]++
      labelled++
    }
  let cards = 0
  forEachCard(roots, () => {
    cards++
  })
  return {
    schemaVersion: DECISIONS_VERSION,
    file: options.decisionsPath,
    source,
    written: true,
    changes: {accepted: 0, rejected: 0, labelled: 0, acceptedFromFlags: 0, keptAsDecided: 0},
    counts: countDecisions(next.decisions),
    decisions: next.decisions,
    auto: {
      cards,
      llmSteps,
      labelled,
      bySource,
      keptPersonLabels: merged.keptPersonLabels,
      removed: merged.removed,
      ...(outcomes ? {outcomes} : {}),
      seconds: (clock() - started) / 1000,
    },
  }
}
