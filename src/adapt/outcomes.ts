/**
 * Task outcomes kept outside the traces: a SWE-bench harness `report.json`
 * (`{instance_id: {resolved, …}}`), an older `results.json`
 * (`{resolved: [ids], …}` or `{resolved_ids: [...]}`), or JSONL lines
 * `{instance_id | item_id | task_id, resolved | success}`. Joined to cards on
 * their task id.
 */
import type {TraceCard} from '../card/types.js'
import {isObject} from './fields.js'

export interface Outcome {
  resolved: boolean
  source: string
}

/** Parses an outcomes file's text; returns the outcomes and the lines it could not use. */
export function parseOutcomes(
  text: string,
  source: string,
): {outcomes: Map<string, Outcome>; problems: Array<{line?: number; reason: string}>} {
  const outcomes = new Map<string, Outcome>()
  const problems: Array<{line?: number; reason: string}> = []
  const trimmed = text.trim()
  if (!trimmed) return {outcomes, problems: [{reason: 'empty outcomes file'}]}
  let doc: unknown
  try {
    doc = JSON.parse(trimmed)
  } catch {
    doc = undefined
  }
  if (isObject(doc)) {
    const lists = ['resolved', 'resolved_ids'].map(k => doc[k]).filter(Array.isArray)
    if (lists.length) {
      for (const id of lists[0]!) if (typeof id === 'string') outcomes.set(id, {resolved: true, source})
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
            if (typeof id === 'string' && !outcomes.has(id)) outcomes.set(id, {resolved: false, source})
      }
      return {outcomes, problems}
    }
    for (const [id, value] of Object.entries(doc)) {
      if (isObject(value) && typeof value.resolved === 'boolean') outcomes.set(id, {resolved: value.resolved, source})
      else problems.push({reason: `${id}: no boolean "resolved"`})
    }
    return {outcomes, problems}
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
    else if (typeof value === 'boolean') outcomes.set(id, {resolved: value, source})
    else if (typeof value === 'number') outcomes.set(id, {resolved: value >= 1, source})
    else problems.push({line: i + 1, reason: 'no boolean "resolved" (or numeric "success")'})
  })
  return {outcomes, problems}
}

/**
 * Sets `task.outcome` on cards whose task id has an outcome (a given file wins
 * over a sibling's). Returns the task ids that were joined.
 */
export function applyOutcomes(cards: readonly TraceCard[], outcomes: ReadonlyMap<string, Outcome>): string[] {
  const joined: string[] = []
  for (const card of cards) {
    const id = card.task?.id
    const outcome = id ? outcomes.get(id) : undefined
    if (!outcome || !card.task || !id) continue
    card.task.outcome = {...card.task.outcome, resolved: outcome.resolved, source: outcome.source}
    joined.push(id)
  }
  return joined
}
