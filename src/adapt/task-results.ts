/**
 * Task results kept outside the traces (`aco analyze --task-results`, and the
 * SWE-bench reports found beside trajectories): whether each task was
 * resolved. A SWE-bench harness `report.json` (`{instance_id: {resolved, …}}`),
 * an older `results.json` (`{resolved: [ids], …}` or `{resolved_ids: [...]}`),
 * or JSONL lines `{instance_id | item_id | task_id, resolved | success}`.
 * Joined to cards on their task id, as the card's `task.outcome`.
 *
 * Not to be confused with the router's training tables (learn/, `aco train
 * --outcomes`): those hold a result per item *and model*, with its cost.
 */
import type {TraceCard} from '../card/types.js'
import {AcoError} from '../errors.js'
import {readInputText} from '../util/fs-errors.js'
import {isObject} from './fields.js'

export interface TaskResult {
  resolved: boolean
  source: string
}

/** A line (or the whole file) of a task results file that could not be used. */
export interface TaskResultProblem {
  line?: number
  reason: string
}

/** Parses a task results file's text; returns the results by task id and the lines it could not use. */
export function parseTaskResults(
  text: string,
  source: string,
): {results: Map<string, TaskResult>; problems: TaskResultProblem[]} {
  const results = new Map<string, TaskResult>()
  const problems: TaskResultProblem[] = []
  const trimmed = text.trim()
  if (!trimmed) return {results, problems: [{reason: 'empty task results file'}]}
  let doc: unknown
  try {
    doc = JSON.parse(trimmed)
  } catch {
    doc = undefined
  }
  if (isObject(doc)) {
    const lists = ['resolved', 'resolved_ids'].map(k => doc[k]).filter(Array.isArray)
    if (lists.length) {
      for (const id of lists[0]!) if (typeof id === 'string') results.set(id, {resolved: true, source})
      for (const key of [
        'unresolved',
        'unresolved_ids',
        'error',
        'error_ids',
        'failed',
        'failed_ids',
        'completed_ids',
        'submitted_ids',
      ]) {
        const list = doc[key]
        if (Array.isArray(list))
          for (const id of list)
            if (typeof id === 'string' && !results.has(id)) results.set(id, {resolved: false, source})
      }
      return {results, problems}
    }
    for (const [id, value] of Object.entries(doc)) {
      if (isObject(value) && typeof value.resolved === 'boolean') results.set(id, {resolved: value.resolved, source})
      else problems.push({reason: `${id}: no boolean "resolved"`})
    }
    return {results, problems}
  }
  trimmed.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    let rec: unknown
    try {
      rec = JSON.parse(line)
    } catch {
      problems.push({line: i + 1, reason: 'invalid JSON'})
      return
    }
    if (!isObject(rec)) {
      problems.push({line: i + 1, reason: 'expected an object'})
      return
    }
    const id = rec.instance_id ?? rec.item_id ?? rec.task_id ?? rec.id
    const value = rec.resolved ?? rec.success
    if (typeof id !== 'string') problems.push({line: i + 1, reason: 'no instance_id / item_id / task_id'})
    else if (typeof value === 'boolean') results.set(id, {resolved: value, source})
    else if (typeof value === 'number') results.set(id, {resolved: value >= 1, source})
    else problems.push({line: i + 1, reason: 'no boolean "resolved" (or numeric "success")'})
  })
  return {results, problems}
}

/** Reads `--task-results FILE`: a file aco cannot use at all is a usage error; bad lines come back as problems. */
export async function loadTaskResults(
  path: string,
): Promise<{results: Map<string, TaskResult>; problems: TaskResultProblem[]}> {
  const text = await readInputText(path, 'the task results file')
  const {results, problems} = parseTaskResults(text, path)
  if (results.size === 0) {
    const first = problems[0]
    throw new AcoError(
      'usage',
      `No task result in ${path}${first ? ` (${first.line ? `line ${first.line}: ` : ''}${first.reason})` : ''}.`,
      'Give a SWE-bench report.json ({instance_id: {resolved}}), a results.json ({resolved: [ids]}) or JSONL lines {instance_id, resolved}.',
    )
  }
  return {results, problems}
}

/**
 * Sets `task.outcome` on cards whose task id has a result and whose own run left no report (`aco outcomes`: the file
 * names no model, and a run's report says how that model did). Returns the task ids that were joined; `kept` counts the
 * cards that kept their own report where the file said otherwise. (`aco analyze` lets the file win: `applyTaskResults`.)
 */
export function fillTaskResults(
  cards: readonly TraceCard[],
  results: ReadonlyMap<string, TaskResult>,
): {joined: string[]; kept: number} {
  const joined: string[] = []
  let kept = 0
  for (const card of cards) {
    const id = card.task?.id
    const outcome = id ? results.get(id) : undefined
    if (!outcome || !card.task || !id) continue
    const own = card.task.outcome?.resolved
    if (own !== undefined) {
      if (own !== outcome.resolved) kept++
      continue
    }
    card.task.outcome = {...card.task.outcome, resolved: outcome.resolved, source: outcome.source}
    joined.push(id)
  }
  return {joined, kept}
}

/**
 * Sets `task.outcome` on cards whose task id has a result (a given file wins
 * over a sibling's). Returns the task ids that were joined.
 */
export function applyTaskResults(cards: readonly TraceCard[], results: ReadonlyMap<string, TaskResult>): string[] {
  const joined: string[] = []
  for (const card of cards) {
    const id = card.task?.id
    const outcome = id ? results.get(id) : undefined
    if (!outcome || !card.task || !id) continue
    card.task.outcome = {...card.task.outcome, resolved: outcome.resolved, source: outcome.source}
    joined.push(id)
  }
  return joined
}
