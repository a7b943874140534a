/**
 * Files a Harbor (Terminal-Bench) trial leaves beside its ATIF trajectory,
 * read for what the trajectory lacks: how the task ended. A trial folder is
 * `<trial>/agent/trajectory.json`, `<trial>/result.json` (Harbor's
 * TrialResult: `task_name`, `verifier_result.rewards`, `exception_info`,
 * `agent_result`), `<trial>/config.json` (its TrialConfig) and the
 * verifier's `<trial>/verifier/ctrf.json` (the CTRF report of pytest
 * `--ctrf`: `results.summary.{tests, passed, failed, skipped, pending,
 * other}`) and `verifier/reward.txt`. Copies of a trial are often kept flat,
 * every file beside the trajectory; both layouts are looked in.
 * (Layout: harbor src/harbor/models/trial/paths.py; shapes: trial/result.py,
 * the Terminal-Bench 2 test.sh template; see fixtures/atif/README.md.)
 */
import type {TaskInfo} from '../card/types.js'
import {isObject, num, str, type Json} from './fields.js'
import type {AdaptContext, CompanionRule} from './types.js'

/** Harbor's TrialResult (`<trial>/result.json`). */
function isTrialResult(doc: unknown): doc is Json {
  return (
    isObject(doc) &&
    typeof doc.trial_name === 'string' &&
    typeof doc.task_name === 'string' &&
    'verifier_result' in doc &&
    isObject(doc.agent_info)
  )
}

/** Harbor's TrialConfig (`<trial>/config.json`, also inside result.json as `config`). */
function isTrialConfig(doc: unknown): boolean {
  return (
    isObject(doc) &&
    typeof doc.trial_name === 'string' &&
    isObject(doc.task) &&
    isObject(doc.agent) &&
    isObject(doc.environment) &&
    'verifier' in doc
  )
}

/** A CTRF test report (`{results: {tool, summary: {tests, passed, failed, …}, tests: [...]}}`). */
function isCtrf(doc: unknown): boolean {
  if (!isObject(doc) || !isObject(doc.results)) return false
  const {summary, tests} = doc.results
  return (
    isObject(summary) && typeof summary.tests === 'number' && typeof summary.passed === 'number' && Array.isArray(tests)
  )
}

/** The Harbor files found in a trial folder: recognised as companions of ATIF trajectories, never read as traces. */
export const HARBOR_COMPANIONS: readonly CompanionRule[] = [
  {label: 'Harbor trial result (read with its ATIF trajectory for the task outcome)', doc: isTrialResult},
  {
    label:
      'CTRF test report (the Harbor / Terminal-Bench verifier; read with its ATIF trajectory for the task outcome)',
    doc: isCtrf,
  },
  {label: 'Harbor trial config (not a trace)', doc: isTrialConfig},
]

/** Where a trial's files lie from its trajectory: in Harbor's layout (`agent/`), or flat beside it. */
const RESULT_NAMES = ['../result.json', 'result.json']
const CTRF_NAMES = ['../verifier/ctrf.json', 'ctrf.json', 'verifier/ctrf.json']
const REWARD_NAMES = ['../verifier/reward.txt', 'reward.txt', 'verifier/reward.txt']

async function firstDoc(
  ctx: AdaptContext,
  names: readonly string[],
  test: (doc: unknown) => boolean,
): Promise<{doc: Json; file: string} | undefined> {
  if (!ctx.readSibling) return undefined
  for (const file of names) {
    const text = await ctx.readSibling(file)
    if (!text?.trim()) continue
    try {
      const doc: unknown = JSON.parse(text)
      if (test(doc)) return {doc: doc as Json, file}
    } catch {
      // not JSON: not this file
    }
  }
  return undefined
}

/** The trial's reward: `rewards.reward`, else the only reward it has. */
function rewardOf(result: Json): number | undefined {
  const verifier = isObject(result.verifier_result) ? result.verifier_result : undefined
  const rewards = verifier && isObject(verifier.rewards) ? verifier.rewards : undefined
  if (!rewards) return undefined
  const named = num(rewards.reward)
  if (named !== undefined) return named
  const values = Object.values(rewards).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  return values.length === 1 ? values[0] : undefined
}

export interface HarborTrial {
  /** The task's name (`task_name`), the id a task is compared on across runs. */
  taskId?: string
  outcome?: NonNullable<TaskInfo['outcome']>
  /** Said on the card when the trial's files disagree. */
  warning?: string
}

/**
 * How the trial of this trajectory ended, from the files beside it: the
 * reward in `result.json` (else `reward.txt`), the tests of `ctrf.json`, and
 * the exception Harbor caught. Resolved = full reward (Terminal-Bench's
 * reward is 1 when every test passed); with no reward, every test passed.
 */
export async function harborTrial(ctx: AdaptContext): Promise<HarborTrial> {
  const result = await firstDoc(ctx, RESULT_NAMES, isTrialResult)
  const ctrf = await firstDoc(ctx, CTRF_NAMES, isCtrf)
  const sources: string[] = []
  let reward = result ? rewardOf(result.doc) : undefined
  if (reward !== undefined) sources.push(`Harbor ${result!.file} verifier_result.rewards`)
  if (reward === undefined && ctx.readSibling) {
    for (const file of REWARD_NAMES) {
      const text = (await ctx.readSibling(file))?.trim()
      if (!text || !/^-?\d+(\.\d+)?$/.test(text)) continue
      reward = Number(text)
      sources.push(`Harbor ${file}`)
      break
    }
  }
  let tests: {passed: number; failed: number; total: number} | undefined
  let allPassed: boolean | undefined
  if (ctrf) {
    const s = (ctrf.doc.results as {summary: Json}).summary
    const count = (k: string) => Math.max(0, num(s[k]) ?? 0)
    tests = {passed: count('passed'), failed: count('failed'), total: count('tests')}
    allPassed = tests.passed > 0 && tests.failed === 0 && count('other') === 0
    sources.push(`CTRF ${ctrf.file}`)
  }
  const exception =
    result && isObject(result.doc.exception_info) ? str(result.doc.exception_info, 'exception_type') : undefined
  if (exception) sources.push(`Harbor ${result!.file} exception_info`)
  const trial: HarborTrial = {}
  const taskName = result ? str(result.doc, 'task_name') : undefined
  if (taskName) trial.taskId = taskName
  if (!sources.length) return trial
  const outcome: NonNullable<TaskInfo['outcome']> = {source: sources.join('; ')}
  if (reward !== undefined) {
    outcome.reward = reward
    outcome.resolved = reward >= 1
  } else if (allPassed !== undefined) outcome.resolved = allPassed
  if (tests) outcome.tests = tests
  if (exception) outcome.exitStatus = exception
  trial.outcome = outcome
  if (reward !== undefined && allPassed !== undefined && reward >= 1 !== allPassed)
    trial.warning = `the trial's reward (${reward}) and its tests (${tests!.passed} of ${tests!.total} passed) disagree: the outcome follows the reward`
  return trial
}
