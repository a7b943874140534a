/**
 * Outcome rows from a team's own runs (`aco outcomes`): the same tasks run
 * by several models (mini-swe-agent, SWE-agent, OpenHands output folders with
 * their SWE-bench reports), one row per (task, model) with whether the task
 * was resolved, what the run cost, and what the trace showed once the run was
 * over: the `signals` a cascade decides on (steps, API calls, exit status,
 * test runs seen and how they ended, tool errors, waste the detectors flagged,
 * cost, and the uncertainty of its calls when they carried logprobs) and the submitted patch as its `response`. Pure: cards in, rows out.
 */
import type {Step, TraceCard} from '../card/types.js'

/** One line of an outcome table (schemas/outcome-table.schema.json). */
export interface RunRow {
  item_id: string
  model: string
  success: number
  cost_usd: number
  response?: string
  signals: Record<string, number>
  features: Record<string, string>
}

export interface RunsTable {
  rows: RunRow[]
  /** Runs that could not become a row, and why. */
  skipped: Array<{path: string; reason: string}>
}

/** Commands that run a test suite. */
const TEST_COMMAND =
  /\b(?:pytest|py\.test|unittest|nosetests|runtests\.py|tox|manage\.py test|(?:npm|yarn|pnpm) (?:run )?test|go test|cargo test|jest|vitest|mvn test|gradle test|rspec)\b/
/** Words in a test run's output that say something failed. */
const TEST_FAILED = /\b(?:\d+ failed|FAILED|FAILURES|\d+ errors?\b|Error:|failures=\d+)/

function commandOf(step: Step): string | undefined {
  const a = step.tool?.arguments
  if (typeof a === 'string') return a
  if (a && typeof a === 'object' && !Array.isArray(a)) {
    const c = (a as Record<string, unknown>).command ?? (a as Record<string, unknown>).cmd
    if (typeof c === 'string') return c
  }
  return undefined
}

/** The model that made most of a card's LLM calls. */
function mainModel(card: TraceCard): string | undefined {
  const counts = new Map<string, number>()
  for (const s of card.steps) if (s.kind === 'llm' && s.model) counts.set(s.model, (counts.get(s.model) ?? 0) + 1)
  let best: string | undefined
  for (const [m, n] of counts) if (best === undefined || n > counts.get(best)!) best = m
  return best ?? card.models[0]
}

/** What the trace of one run shows, as numbers. */
export function runSignals(card: TraceCard): Record<string, number> {
  const tools = card.steps.filter(s => s.kind === 'tool')
  let testsPassed = 0
  let testsFailed = 0
  let lastTest: number | undefined
  for (const s of tools) {
    const command = commandOf(s)
    if (!command || !TEST_COMMAND.test(command)) continue
    const failed =
      s.tool?.status === 'error' ||
      (s.tool?.exitCode !== undefined && s.tool.exitCode !== 0) ||
      TEST_FAILED.test(s.tool?.excerpt ?? '')
    if (failed) testsFailed++
    else testsPassed++
    lastTest = failed ? 0 : 1
  }
  let flags = 0
  for (const s of card.steps) flags += s.flags?.length ?? 0
  const signals: Record<string, number> = {
    steps: card.totals.llmCalls,
    tool_errors: tools.filter(s => s.tool?.status === 'error').length,
    tests_passed: testsPassed,
    tests_failed: testsFailed,
    waste_flags: flags,
    wasted_usd: round(card.totals.wastedUsd),
  }
  if (card.recorded?.apiCalls !== undefined) signals.api_calls = card.recorded.apiCalls
  if (lastTest !== undefined) signals.last_tests_passed = lastTest
  const exit = card.task?.outcome?.exitStatus
  if (exit !== undefined) signals.exit_status = exit === 'Submitted' || exit === 'submitted' ? 0 : 1
  const cost = runCost(card)
  if (cost !== undefined) signals.cost_usd = cost
  Object.assign(signals, runUncertainty(card))
  return signals
}

/**
 * The run's `uncertainty` (mean 1 − p over its output tokens) and `entropy`,
 * from the calls that carried logprobs: each call's mean weighted by its output
 * tokens (1 when the call does not say). Nothing when no call carried them.
 */
function runUncertainty(card: TraceCard): {uncertainty?: number; entropy?: number} {
  let w = 0
  let u = 0
  let we = 0
  let e = 0
  for (const s of card.steps) {
    if (s.kind !== 'llm' || !s.uncertainty || !Number.isFinite(s.uncertainty.meanOneMinusP)) continue
    const weight = Math.max(1, s.tokens?.output ?? 0)
    w += weight
    u += weight * s.uncertainty.meanOneMinusP
    if (s.uncertainty.entropy !== undefined && Number.isFinite(s.uncertainty.entropy)) {
      we += weight
      e += weight * s.uncertainty.entropy
    }
  }
  return {
    ...(w > 0 ? {uncertainty: round(u / w)} : {}),
    ...(we > 0 ? {entropy: round(e / we)} : {}),
  }
}

/** The run's cost: computed when every call was priced, else the cost the tool recorded; undefined when neither. */
function runCost(card: TraceCard): number | undefined {
  if (card.totals.unpricedCalls === 0 && card.totals.llmCalls > 0) return round(card.totals.costUsd)
  if (card.recorded?.costUsd !== undefined) return round(card.recorded.costUsd)
  return undefined
}

const round = (v: number): number => Math.round(v * 1e9) / 1e9

/** The repository of a SWE-bench instance id (`django__django-11099` → `django__django`): known before any run. */
function repoOf(id: string): string | undefined {
  const m = /^(.+)-\d+$/.exec(id)
  return m ? m[1] : undefined
}

/**
 * Rows from cards, grouped by task: cards without a task id, without a known
 * outcome, without a model or a cost are skipped with the reason; a second
 * run of the same task by the same model is skipped too (the first is kept).
 * `patchOf(card)` gives the patch a run submitted, when known.
 */
export function outcomeRowsFromCards(
  cards: readonly TraceCard[],
  patchOf: (card: TraceCard) => string | undefined = () => undefined,
): RunsTable {
  const rows: RunRow[] = []
  const skipped: RunsTable['skipped'] = []
  const seen = new Map<string, string>()
  for (const card of cards) {
    const path = card.source.path
    const id = card.task?.id
    const resolved = card.task?.outcome?.resolved
    const model = mainModel(card)
    const cost = runCost(card)
    const reason =
      id === undefined
        ? 'no task id in the trace'
        : resolved === undefined
          ? `no SWE-bench report says whether ${id} was resolved (put the harness's report.json beside the trajectory, or pass --task-results)`
          : model === undefined
            ? 'no model named in the trace'
            : cost === undefined
              ? `the run's cost is unknown (${card.unpriced.map(u => u.model).join(', ') || 'a model'} has no price and the tool recorded none; pass --prices)`
              : undefined
    if (reason) {
      skipped.push({path, reason})
      continue
    }
    const key = `${id}\u0000${model}`
    const first = seen.get(key)
    if (first !== undefined) {
      skipped.push({path, reason: `a second run of ${id} by ${model} (the first: ${first})`})
      continue
    }
    seen.set(key, path)
    const features: Record<string, string> = {}
    const repo = repoOf(id!)
    if (repo) features.repo = repo
    const row: RunRow = {
      item_id: id!,
      model: model!,
      success: resolved ? 1 : 0,
      cost_usd: cost!,
      signals: runSignals(card),
      features,
    }
    const patch = patchOf(card)
    if (patch !== undefined) row.response = patch
    rows.push(row)
  }
  rows.sort((a, b) =>
    a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : 0,
  )
  return {rows, skipped}
}
