/**
 * What an LLM step is asked to do, from its card up to the step and never
 * after: each feature below is known before the model is called (the README
 * gives the reason for each). One pass over a card's steps in order keeps the
 * running state, so featurizing a whole card costs a constant per step.
 *
 * - previous action and its result: what the agent just did (read, edit,
 *   test…), whether it failed, its exit code class, how much came back;
 * - errors and retries in the last k = 5 LLM steps: a run in trouble;
 * - what the agent has been doing: edits, reads and runs among the last k
 *   steps, and how many edits in a row just came before (a chain of edit
 *   attempts with no check in between is where agents flail);
 * - position in the turn and in the session, turns so far;
 * - context size: the step's own prompt tokens (assembled before the call);
 * - whether a person just spoke (the first step after a prompt);
 * - subagent type and depth; files touched and edited so far; tool calls so far;
 * - the tool about to be used, when the record says so (`action`: the kind of
 *   call the step made; only with `withAction`, since it is the step's own
 *   output unless the agent fixes the tool before calling the model), and
 *   the fixed rule by tool kind's decision for it (`rule_cheap`: 1 when that
 *   rule sends the step to the cheapest tier; also only with `withAction`);
 * - the model and tier that ran it; the trace's format;
 * - the instruction, as text for the hashed bag of words: the agent's own
 *   last words and its last call (cards keep a turn's prompt only as a title,
 *   which some formats write after the fact, so it is not used).
 */
import {promptTokens} from '../../card/build.js'
import type {Step, TraceCard} from '../../card/types.js'
import {actionKind, commandOf, mainKind, pathOf, type ActionKind} from '../../label/actions.js'
import {failed} from '../../label/evidence.js'

/**
 * Kinds of call the fixed rule by tool kind sends to the cheapest tier (the
 * rest go to the strongest): the baseline policy of the evaluation, and the
 * `rule_cheap` feature (that rule's own decision for the step).
 */
export const RULE_CHEAP_KINDS: readonly string[] = ['read', 'search', 'plan', 'run', 'test', 'install', 'submit']

/** LLM steps looked back at for errors and retries. */
const WINDOW = 5

/** Names of the step features (documented in the README, in this order). */
export const STEP_FEATURES = [
  'prev_action',
  'prev_status',
  'prev_exit',
  'prev_result_chars',
  'prev_calls',
  'prev_said_chars',
  'errors_recent',
  'retries_recent',
  'edits_recent',
  'reads_recent',
  'runs_recent',
  'edit_streak',
  'position_in_turn',
  'position_in_session',
  'turns_so_far',
  'context_tokens',
  'person_spoke',
  'subagent_type',
  'depth',
  'files_touched',
  'files_edited',
  'tool_calls_so_far',
  'model',
  'tier',
  'format',
  'action',
  'rule_cheap',
] as const

export type StepFeatureName = (typeof STEP_FEATURES)[number]

/**
 * The features the router uses by default, chosen before looking at any
 * label, from what the issue names as the reasons a step needs a stronger
 * model: the kind of call the step makes (reading and searching are cheap
 * work; editing and delegating are not), whether the last action failed and
 * how many errors came in the last k steps (recovering from a failure), and
 * whether a person just spoke (planning a reply to a new request). They are
 * few on purpose: labelled steps come in long runs from a few traces, and
 * every feature that describes a trace rather than a step (its format, its
 * model, its sizes) lets a model learn the traces it saw. The pre-registered
 * nested cross-validation of README "Pre-registered evaluation on the enlarged
 * labels" kept them: on the final data no variant (among them `rule_cheap`,
 * the fixed rule's own decision) scored better inside the training groups.
 * `--features auto` chooses by forward selection inside each training fold.
 * Without `action`, `prev_action` takes its place.
 */
export const DEFAULT_STEP_FEATURES: readonly StepFeatureName[] = [
  'action',
  'prev_status',
  'errors_recent',
  'person_spoke',
]

export interface StepFeatureOptions {
  /** Include `action`, the kind of call the step made (known beforehand only where the agent fixes the tool first). */
  withAction: boolean
  /** The tier of a model (absent: no `tier` feature). */
  tierOf?: (model: string) => string | undefined
}

export interface FeaturedStep {
  card: TraceCard
  step: Step
  /** Index among the card's LLM steps. */
  ordinal: number
  features: Record<string, number | string>
  text: string
}

interface CallSummary {
  kind: ActionKind
  failed: boolean
  exit: string
  chars: number
  describe: string
}

/** Characters of the agent's last words and last call kept as the instruction text. */
const TEXT_CHARS = 400

/** A short description of a call for the instruction text: its name and command or file. */
function describeCall(step: Step): string {
  const tool = step.tool!
  const command = commandOf(tool.arguments)
  const what = command ?? pathOf(tool.arguments) ?? ''
  return `${tool.name} ${what.length > 160 ? what.slice(0, 160) : what}`
}

function exitClass(step: Step, isFailed: boolean): string {
  const code = step.tool?.exitCode
  if (code === undefined) return isFailed ? 'error' : step.tool?.status === 'unknown' ? 'unknown' : 'none'
  if (code === 0) return '0'
  if (code === 1) return '1'
  if (code === 2) return '2'
  if (code >= 124 && code <= 137) return 'killed'
  return 'other'
}

/**
 * The features of every LLM step of a card (not its children), in order.
 * `depth` is the card's depth under its root (0: the root).
 */
export function cardStepFeatures(
  card: TraceCard,
  depth: number,
  options: StepFeatureOptions,
  /** What the subagent was asked (its parent's call), for its first step's text. */
  firstInstruction = '',
): FeaturedStep[] {
  const out: FeaturedStep[] = []
  const steps = card.steps
  const byId = new Map<string, Step>()
  for (const s of steps) byId.set(s.id, s)
  // (A subagent's transcript read without its session's file is a subagent all the same: its card names its parent.)
  const subagent = depth === 0 && !card.parent ? 'main' : (card.parent?.agentType ?? 'subagent')
  const format = card.source.format
  // Running state, over the steps before the current one.
  const seen = new Set<string>()
  const files = new Set<string>()
  const edited = new Set<string>()
  let toolCalls = 0
  let ordinal = 0
  let inTurn = 0
  let turns = 0
  let lastTurn: number | undefined
  let prevCalls: CallSummary[] = []
  let prevText = ''
  const recentErrors: number[] = []
  const recentRetries: number[] = []
  /** The main kind of each of the last k LLM steps' calls ('answer': none). */
  const recentKinds: Array<ActionKind | 'answer'> = []
  let editStreak = 0
  // The first instruction of a subagent is the prompt its parent gave it (known before it ran).
  let instruction = firstInstruction.length > TEXT_CHARS ? firstInstruction.slice(0, TEXT_CHARS) : firstInstruction

  for (const step of steps) {
    if (step.kind !== 'llm') continue
    const turn = step.turn ?? 0
    const personSpoke = ordinal === 0 || (lastTurn !== undefined && turn !== lastTurn)
    if (personSpoke) {
      inTurn = 0
      turns++
    }
    lastTurn = turn
    const calls = (step.toolStepIds ?? []).map(id => byId.get(id)).filter((s): s is Step => s?.tool !== undefined)
    const features: Record<string, number | string> = {}
    const prev = prevCalls
    features.prev_action =
      ordinal === 0 ? 'start' : prev.length === 0 ? 'answer' : (mainKind(prev.map(c => c.kind)) ?? 'other')
    features.prev_status = prev.length === 0 ? 'none' : prev.some(c => c.failed) ? 'error' : 'ok'
    features.prev_exit = prev.find(c => c.failed)?.exit ?? prev[prev.length - 1]?.exit ?? 'none'
    features.prev_result_chars = prev.reduce((n, c) => n + c.chars, 0)
    features.prev_calls = prev.length
    features.prev_said_chars = prevText.length
    features.errors_recent = sum(recentErrors)
    features.retries_recent = sum(recentRetries)
    features.edits_recent = count(recentKinds, k => k === 'edit')
    features.reads_recent = count(recentKinds, k => k === 'read' || k === 'search')
    features.runs_recent = count(recentKinds, k => k === 'run' || k === 'test')
    features.edit_streak = editStreak
    features.position_in_turn = inTurn
    features.position_in_session = ordinal
    features.turns_so_far = turns
    if (step.tokens) features.context_tokens = promptTokens(step)
    features.person_spoke = personSpoke ? 1 : 0
    features.subagent_type = subagent
    features.depth = depth
    features.files_touched = files.size
    features.files_edited = edited.size
    features.tool_calls_so_far = toolCalls
    if (step.model) {
      features.model = bareModel(step.model)
      const tier = options.tierOf?.(step.model)
      if (tier) features.tier = tier
    }
    features.format = format
    const kinds = calls.map(c => actionKind(c.tool!))
    const main = calls.length === 0 ? 'answer' : (mainKind(kinds) ?? 'other')
    if (options.withAction) {
      features.action = main
      features.rule_cheap = RULE_CHEAP_KINDS.includes(main) ? 1 : 0
    }

    const said = prevText.length > TEXT_CHARS ? prevText.slice(prevText.length - TEXT_CHARS) : prevText
    const text = `${instruction} ${said} ${prev.map(c => c.describe).join(' ; ')}`.replace(/\n\s*\n/g, '\n').trim()
    out.push({card, step, ordinal, features, text})

    // The state after this step: its calls and their results become "before" for the next one.
    let errors = 0
    let retries = 0
    prevCalls = calls.map((c, i) => {
      const tool = c.tool!
      const kind = kinds[i]!
      const isFailed = failed(tool, kind)
      if (isFailed) errors++
      const key = `${tool.name}\u0000${tool.argsHash}`
      if (seen.has(key)) retries++
      seen.add(key)
      const path = pathOf(tool.arguments)
      if (path) {
        files.add(path)
        if (kind === 'edit') edited.add(path)
      }
      return {
        kind,
        failed: isFailed,
        exit: exitClass(c, isFailed),
        chars: tool.outputChars ?? 0,
        describe: describeCall(c),
      }
    })
    toolCalls += calls.length
    recentErrors.push(errors)
    recentRetries.push(retries)
    recentKinds.push(main)
    if (recentErrors.length > WINDOW) {
      recentErrors.shift()
      recentRetries.shift()
      recentKinds.shift()
    }
    editStreak = main === 'edit' ? editStreak + 1 : 0
    prevText = step.text ?? ''
    instruction = ''
    ordinal++
    inTurn++
  }
  return out
}

function count<T>(values: readonly T[], test: (v: T) => boolean): number {
  let n = 0
  for (const v of values) if (test(v)) n++
  return n
}

function sum(values: readonly number[]): number {
  let s = 0
  for (const v of values) s += v
  return s
}

/** The model without a provider prefix or date suffix (`anthropic/claude-x-20250101` → `claude-x`). */
export function bareModel(model: string): string {
  const slash = model.lastIndexOf('/')
  return (slash < 0 ? model : model.slice(slash + 1)).replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, '').toLowerCase()
}

/** Features of every LLM step of some root cards and their subagents. */
export function stepFeatures(
  roots: readonly TraceCard[],
  options: StepFeatureOptions,
): Array<FeaturedStep & {root: TraceCard}> {
  const out: Array<FeaturedStep & {root: TraceCard}> = []
  const visit = (card: TraceCard, root: TraceCard, depth: number, instruction: string): void => {
    for (const f of cardStepFeatures(card, depth, options, instruction)) out.push(Object.assign(f, {root}))
    for (const child of card.children) visit(child, root, depth + 1, subagentInstruction(card, child))
  }
  for (const root of roots) visit(root, root, 0, '')
  return out
}

/** The prompt a parent's call gave a subagent (its `prompt` or `description`), or ''. */
export function subagentInstruction(parent: TraceCard, child: TraceCard): string {
  const id = child.parent?.stepId ?? child.parent?.toolCallId
  if (!id) return ''
  const call = parent.steps.find(s => s.id === id || s.tool?.callId === id)
  const args = call?.tool?.arguments
  if (!args || typeof args !== 'object') return ''
  const a = args as Record<string, unknown>
  const parts = [a.description, a.prompt].filter((v): v is string => typeof v === 'string')
  return parts.join(' ')
}
