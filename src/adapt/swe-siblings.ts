/**
 * Files SWE-agent and mini-swe-agent runs leave beside their trajectories,
 * read for what the trajectory itself lacks: the model name (predictions:
 * `all_preds.jsonl`, `preds.json`, SWE-agent 1.x `<instance>.pred`) and
 * whether the task was resolved (a SWE-bench harness `report.json`).
 */
import {isObject} from './fields.js'
import {parseTaskResults} from './task-results.js'
import type {AdaptContext, CompanionRule} from './types.js'

/** Whether one of the first few values of `obj` passes `test` (a report's entries all look alike). */
function someValue(obj: Record<string, unknown>, test: (v: unknown) => boolean): boolean {
  let n = 0
  for (const key in obj) {
    if (test(obj[key])) return true
    if (++n > 5) break
  }
  return false
}

/**
 * The SWE-bench files found beside SWE-agent and mini-swe-agent
 * trajectories: recognised as companions (read by the trajectories' readers,
 * or given with --task-results), never read as traces.
 */
export const SWE_BENCH_COMPANIONS: readonly CompanionRule[] = [
  {
    label: 'SWE-bench evaluation report (read with its trajectories, or via --task-results)',
    doc: d =>
      isObject(d) &&
      someValue(
        d,
        v =>
          isObject(v) && typeof v.resolved === 'boolean' && ('tests_status' in v || 'patch_successfully_applied' in v),
      ),
  },
  {
    label: 'SWE-bench results summary (use it with --task-results)',
    doc: d => isObject(d) && (Array.isArray(d.resolved) || Array.isArray(d.resolved_ids)),
  },
  {
    label: 'SWE-bench predictions (read with their trajectories for the model name)',
    doc: d => isObject(d) && someValue(d, v => isObject(v) && 'model_patch' in v && 'instance_id' in v),
    jsonl: records => records.length > 0 && records.every(r => isObject(r) && 'model_patch' in r && 'instance_id' in r),
  },
]

export interface SiblingValue<T> {
  value: T
  /** The sibling's name, as read (e.g. `../preds.json`). */
  file: string
}

/**
 * `model_name_or_path` of `instanceId` from the first predictions file found
 * among `names` (JSONL lines or a `{instance_id: {...}}` document). A file
 * with no line for this instance still names its run's model, so its first
 * entry is used then.
 */
export async function predictionsModel(
  ctx: AdaptContext,
  instanceId: string | undefined,
  names: readonly string[],
): Promise<SiblingValue<string> | undefined> {
  if (!ctx.readSibling) return undefined
  for (const file of names) {
    const text = await ctx.readSibling(file)
    if (text === undefined || !text.trim()) continue
    const model = modelIn(text, instanceId)
    if (model) return {value: model, file}
  }
  return undefined
}

function modelIn(text: string, instanceId: string | undefined): string | undefined {
  const trimmed = text.trimStart()
  let first: string | undefined
  const pick = (entry: unknown): string | undefined => {
    if (!isObject(entry)) return undefined
    const model = entry.model_name_or_path
    return typeof model === 'string' && model ? model : undefined
  }
  if (trimmed.startsWith('{')) {
    // A whole document (preds.json, a .pred file) or JSONL: try the document first.
    try {
      const doc: unknown = JSON.parse(trimmed)
      if (isObject(doc)) {
        const own = pick(doc)
        if (own) return own
        if (instanceId && doc[instanceId] !== undefined) {
          const hit = pick(doc[instanceId])
          if (hit) return hit
        }
        for (const value of Object.values(doc)) {
          first = pick(value)
          if (first) return first
        }
        return undefined
      }
    } catch {
      // not one document: JSONL below
    }
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    // Parse only the line of this instance (and the first line, as a fallback).
    if (first !== undefined && instanceId && !line.includes(instanceId)) continue
    let rec: unknown
    try {
      rec = JSON.parse(line)
    } catch {
      continue
    }
    const model = pick(rec)
    if (!model) continue
    if (!instanceId || (isObject(rec) && rec.instance_id === instanceId)) return model
    first ??= model
  }
  return first
}

/**
 * Whether `instanceId` was resolved, from the first SWE-bench report among
 * `names` that has an entry for it (`{instance_id: {resolved}}` or a results
 * summary with `resolved` ids).
 */
export async function reportOutcome(
  ctx: AdaptContext,
  instanceId: string,
  names: readonly string[],
): Promise<SiblingValue<boolean> | undefined> {
  if (!ctx.readSibling) return undefined
  for (const file of names) {
    const text = await ctx.readSibling(file)
    if (text === undefined || !text.includes(instanceId)) continue
    const outcome = parseTaskResults(text, file).results.get(instanceId)
    if (outcome) return {value: outcome.resolved, file}
  }
  return undefined
}

/** The report names to look for beside a trajectory of `instanceId`, nearest first. */
export function reportNames(instanceId: string): string[] {
  return [`${instanceId}.report.json`, 'report.json', '../report.json']
}
