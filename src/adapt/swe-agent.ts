/**
 * SWE-agent trajectories (`<instance_id>.traj`, 0.x and 1.x). See corpus
 * FORMATS.md §4.
 *
 * Traps handled here:
 * - `history` entries with `is_demo` are in-context demonstrations, not steps:
 *   one LLM step per `trajectory` entry, aligned with the non-demo assistant
 *   messages of `history`;
 * - tokens and cost are recorded only per instance (`info.model_stats`): the
 *   per-step figures are a split of those totals (marked estimated) that sums
 *   to them exactly; `api_calls` can differ from the number of steps
 *   (requeries are not in the trajectory), which the card says;
 * - demonstrations and replays have all-zero `model_stats`: no cost, a warning;
 * - no model name per step: it comes from 1.x `replay_config`, else from the
 *   predictions written beside the trajectory (`model_name_or_path`, which in
 *   0.x is the run name `gpt4__<data>__<config>__t-…`: its first part, with
 *   SWE-agent's own shortcuts expanded); without one the steps still carry
 *   their share of the recorded cost;
 * - no exit codes: a tool step is an error only when the observation is one of
 *   SWE-agent's own failure messages (rejected edit, unknown command, usage…).
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, StepCost, Tokens, TraceCard} from '../card/types.js'
import {count, firstLine, isObject, obj, str, usd, type Json, typeName} from './fields.js'
import {splitAmount, splitInteger} from './split-estimate.js'
import {predictionsModel, reportNames, reportOutcome, SWE_BENCH_COMPANIONS} from './swe-siblings.js'
import {RecordError, type AdaptContext, type DocumentAdapter} from './types.js'

/**
 * Output tokens cost this many times an input token in the split of
 * `instance_cost` over steps. SWE-agent's own price tables put the ratio
 * between 2 (GPT-4 0613) and 5 (Claude 3); 4 is GPT-4o's and near the middle.
 * Only the per-step split depends on it, never the card's total.
 */
const OUTPUT_COST_WEIGHT = 4

/** SWE-agent 0.x model shortcuts (sweagent/agent/models.py), expanded so the name can be priced and compared. */
const SHORTCUTS: Record<string, string> = {
  gpt3: 'gpt-3.5-turbo-1106',
  'gpt3-legacy': 'gpt-3.5-turbo-16k-0613',
  'gpt3-0125': 'gpt-3.5-turbo-0125',
  gpt4: 'gpt-4-1106-preview',
  'gpt4-legacy': 'gpt-4-0613',
  'gpt4-0125': 'gpt-4-0125-preview',
  'gpt4-turbo': 'gpt-4-turbo-2024-04-09',
  gpt4o: 'gpt-4o-2024-05-13',
  'claude-2': 'claude-2.1',
  'claude-opus': 'claude-3-opus-20240229',
  'claude-sonnet': 'claude-3-sonnet-20240229',
  'claude-haiku': 'claude-3-haiku-20240307',
  'claude-sonnet-3.5': 'claude-3-5-sonnet-20240620',
}

/** Observations that are SWE-agent refusing or failing a command, not the command's own output. */
const FAILURE =
  /^(?:Your proposed edit has introduced new syntax error|Error:|Usage:|Interactive operation '|Traceback \(most recent call last\)|(?:\/usr\/bin\/|\/bin\/)?bash: |[^\n]{0,200}: command not found|The command '[^\n]*' was cancelled|EXECUTION TIMED OUT)/

/** The model a SWE-agent run name or model setting names, shortcuts expanded. */
export function sweAgentModel(nameOrRun: string): string {
  // 0.x run names: `<model>__<data>__<config>__t-…__p-…__c-…__install-…`.
  let model = nameOrRun.split('__')[0]!.trim()
  for (const prefix of ['azure:', 'openai:', 'bedrock:', 'ollama:'])
    if (model.startsWith(prefix)) model = model.slice(prefix.length)
  return SHORTCUTS[model] ?? model
}

/** The tool name of an action: the command's first word (`edit 4:4\n…` → `edit`). */
export function actionName(action: string): string {
  const m = /^\s*(\S+)/.exec(action)
  return m ? m[1]! : 'unknown'
}

interface Stats {
  instanceCost: number
  tokensSent: number
  tokensReceived: number
  apiCalls: number | undefined
}

function readStats(info: Json): Stats | undefined {
  const ms = obj(info, 'model_stats', 'info')
  if (!ms) return undefined
  const apiCalls = ms.api_calls
  return {
    instanceCost: usd(ms, 'instance_cost', 'info.model_stats'),
    tokensSent: count(ms, 'tokens_sent', 'info.model_stats'),
    tokensReceived: count(ms, 'tokens_received', 'info.model_stats'),
    apiCalls: apiCalls === undefined || apiCalls === null ? undefined : count(ms, 'api_calls', 'info.model_stats'),
  }
}

/** Characters of a history message's content (a string, or 1.x text blocks). */
function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length
  if (!Array.isArray(content)) return 0
  let n = 0
  for (const block of content) {
    if (typeof block === 'string') n += block.length
    else if (isObject(block) && typeof block.text === 'string') n += block.text.length
  }
  return n
}

/** A 1.x `replay_config`: a dict, or the same dict as a JSON string. */
function replayConfig(value: unknown): Json | undefined {
  if (isObject(value)) return value
  if (typeof value !== 'string' || !value.startsWith('{')) return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return isObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

/** `state` is a JSON string in 0.x and a dict in 1.x. */
function workingDir(state: unknown): string | undefined {
  if (isObject(state)) return str(state, 'working_dir')
  if (typeof state !== 'string' || !state.includes('working_dir')) return undefined
  try {
    const parsed: unknown = JSON.parse(state)
    return isObject(parsed) ? str(parsed, 'working_dir') : undefined
  } catch {
    return undefined
  }
}

interface StepInput {
  index: number
  thought: string
  action: string
  observation: string | undefined
  responseChars: number
  executionTime: number | undefined
  cwd: string | undefined
}

async function parse(doc: unknown, ctx: AdaptContext): Promise<TraceCard[]> {
  if (!isObject(doc)) throw new RecordError('expected a JSON object')
  const info = obj(doc, 'info', '(root)') ?? {}
  if (!Array.isArray(doc.trajectory)) throw new RecordError('trajectory: expected an array')
  const history = Array.isArray(doc.history) ? doc.history : []
  const replay = replayConfig(doc.replay_config)
  const builder = new CardBuilder('swe-agent', ctx.path, ctx.redact)

  const steps = readSteps(doc.trajectory, ctx)
  const prompts = promptSizes(history, steps, doc.trajectory.length, builder)
  const stats = readStatsOrSkip(info, ctx, builder)
  const tokens = perStepTokens(stats, steps, prompts.weights, builder)
  const costs = perStepCosts(stats, tokens, steps.length)
  const instanceId =
    str(isObject(replay?.problem_statement) ? replay.problem_statement : undefined, 'id') ??
    str(info, 'instance_id') ??
    str(doc, 'instance_id') ??
    basename(ctx.path).replace(/\.traj(?:\.json)?$/i, '')
  const model = await findModel(doc, info, replay, ctx, instanceId)

  steps.forEach((s, k) => {
    const step = builder.addLlm({
      id: `step-${s.index + 1}`,
      model,
      tokens: tokens?.[k],
      text: s.thought,
      cost: costs?.[k],
    })
    if (tokens) step.estimated = true
    if (s.action) addTool(builder, step, s, prompts.callIds[s.index], steps[0]?.cwd)
  })

  if (!model && steps.length > 0)
    builder.warn(
      'no model name in the trajectory, its replay_config or a predictions file beside it: the model shows as unknown',
    )
  if (stats && stats.apiCalls !== undefined && stats.apiCalls !== steps.length && tokens) {
    builder.warn(
      `info.model_stats.api_calls is ${stats.apiCalls} but the trajectory has ${steps.length} steps (requeries, e.g. after format errors, are not in the trajectory): the recorded tokens and cost are split over the ${steps.length} steps`,
    )
  }
  if (prompts.demos > 0 && steps.length === 0) builder.warn(`${prompts.demos} demonstration message(s) and no step`)

  const problem = isObject(replay?.problem_statement) ? str(replay.problem_statement, 'text') : undefined
  const card = builder.build({
    id: instanceId,
    toolVersion: str(info, 'swe_agent_version'),
    title: firstLine(problem) ?? issueTitle(history),
    cwd: steps[0]?.cwd,
  })
  if (stats) {
    card.recorded = {
      source: 'swe-agent info.model_stats',
      costUsd: stats.instanceCost,
      tokens: {input: stats.tokensSent, output: stats.tokensReceived},
    }
    if (stats.apiCalls !== undefined) card.recorded.apiCalls = stats.apiCalls
  }
  card.task = await taskOf(ctx, instanceId, str(info, 'exit_status'))
  return [card]
}

/** The trajectory's steps; a step of the wrong shape is skipped (and said), the others are read. */
function readSteps(trajectory: readonly unknown[], ctx: AdaptContext): StepInput[] {
  const steps: StepInput[] = []
  trajectory.forEach((raw, index) => {
    if (!isObject(raw)) {
      ctx.skip(undefined, `trajectory[${index}]: expected an object, got ${typeName(raw)}`)
      return
    }
    const action = raw.action
    if (action !== undefined && action !== null && typeof action !== 'string') {
      ctx.skip(
        undefined,
        `trajectory[${index}].action: expected a string, got ${Array.isArray(action) ? 'array' : typeof action}`,
      )
      return
    }
    const response = str(raw, 'response') ?? ''
    const thought = str(raw, 'thought') ?? ''
    const observation = raw.observation
    const time = raw.execution_time
    steps.push({
      index,
      thought: thought || response,
      action: (action ?? '').trim(),
      observation:
        typeof observation === 'string'
          ? observation
          : observation === undefined || observation === null
            ? undefined
            : JSON.stringify(observation),
      responseChars: (response || thought + (action ?? '')).length,
      executionTime: typeof time === 'number' && Number.isFinite(time) && time >= 0 ? time : undefined,
      cwd: workingDir(raw.state),
    })
  })
  return steps
}

/**
 * The size of each step's prompt (the weights its share of `tokens_sent` is
 * split by), the tool call id of each call, and how many demonstrations the
 * history holds. The prompt of the k-th call is every history message before
 * the k-th non-demo assistant message, demonstrations included (they are
 * sent to the model).
 */
function promptSizes(
  history: readonly unknown[],
  steps: readonly StepInput[],
  trajectoryLength: number,
  builder: CardBuilder,
): {weights: number[]; callIds: Array<string | undefined>; demos: number} {
  const promptChars: number[] = []
  const callIds: Array<string | undefined> = []
  let sent = 0
  for (const m of history) {
    if (!isObject(m)) continue
    if (m.role === 'assistant' && m.is_demo !== true) {
      promptChars.push(sent)
      const calls = m.tool_calls
      const first = Array.isArray(calls) && isObject(calls[0]) ? str(calls[0], 'id') : undefined
      callIds.push(first)
    }
    sent += contentChars(m.content)
  }
  const demos = history.filter(m => isObject(m) && m.is_demo === true).length
  // Aligned on the trajectory index, so a skipped step does not shift the others.
  if (promptChars.length >= trajectoryLength) return {weights: steps.map(s => promptChars[s.index]!), callIds, demos}

  // History missing or shorter than the trajectory: grow the prompt by each step's exchange.
  let acc = history.reduce<number>(
    (n, m) => n + (isObject(m) && m.role !== 'assistant' ? contentChars(m.content) : 0),
    0,
  )
  const weights = steps.map(s => {
    const here = acc
    acc += s.responseChars + (s.observation?.length ?? 0)
    return here
  })
  if (steps.length > 0)
    builder.warn(
      `history has ${promptChars.length} assistant message(s) for ${steps.length} trajectory steps: the prompt tokens are split by the trajectory's own sizes`,
    )
  return {weights, callIds, demos}
}

/** `info.model_stats`; when it cannot be read, the steps are read without tokens or cost (and that is said). */
function readStatsOrSkip(info: Json, ctx: AdaptContext, builder: CardBuilder): Stats | undefined {
  try {
    return readStats(info)
  } catch (error) {
    if (!(error instanceof RecordError)) throw error
    ctx.skip(undefined, `${error.message}; the steps are read without tokens or cost`)
    builder.warn(`${error.message}: no tokens or cost read`)
    return undefined
  }
}

/** The task: its id, and its outcome from a SWE-bench report beside the file, or the run's exit status. */
async function taskOf(
  ctx: AdaptContext,
  instanceId: string,
  exitStatus: string | undefined,
): Promise<NonNullable<TraceCard['task']>> {
  const report = await reportOutcome(ctx, instanceId, reportNames(instanceId))
  const task: NonNullable<TraceCard['task']> = {id: instanceId}
  if (report) {
    task.outcome = {resolved: report.value, source: `SWE-bench ${report.file}`}
    if (exitStatus) task.outcome.exitStatus = exitStatus
  } else if (exitStatus) {
    task.outcome = {exitStatus, source: 'swe-agent info.exit_status'}
  }
  return task
}

/** Estimated tokens per step (a split of `tokens_sent` / `tokens_received`), or undefined when none were recorded. */
function perStepTokens(
  stats: Stats | undefined,
  steps: readonly StepInput[],
  promptWeights: number[],
  builder: CardBuilder,
): Tokens[] | undefined {
  if (!stats || steps.length === 0) return undefined
  if (stats.tokensSent === 0 && stats.tokensReceived === 0 && stats.instanceCost === 0) {
    builder.warn(
      'info.model_stats are all zero (a demonstration or a replay): no tokens or cost recorded, the steps are counted without cost',
    )
    return undefined
  }
  // Prompt tokens follow the prompt's size at each call; output tokens the response's length.
  const input = splitInteger(stats.tokensSent, promptWeights)
  const output = splitInteger(
    stats.tokensReceived,
    steps.map(s => s.responseChars),
  )
  return steps.map((_, k) => ({input: input[k]!, output: output[k]!, cacheRead: 0, cacheWrite: 0, reasoning: 0}))
}

/**
 * Estimated cost per step: `instance_cost` split in proportion to each step's
 * estimated tokens, output tokens weighted by OUTPUT_COST_WEIGHT. With a zero
 * recorded cost but tokens, no cost is set: pricing then computes one from the
 * tokens (or lists the model as unpriced), rather than a silent $0.
 */
function perStepCosts(stats: Stats | undefined, tokens: Tokens[] | undefined, n: number): StepCost[] | undefined {
  if (!stats || n === 0 || stats.instanceCost === 0) return undefined
  const weights = tokens ? tokens.map(t => t.input + OUTPUT_COST_WEIGHT * t.output) : new Array<number>(n).fill(1)
  return splitAmount(stats.instanceCost, weights).map(usd => ({usd, source: 'estimated'}))
}

function addTool(
  builder: CardBuilder,
  llm: Step,
  s: StepInput,
  historyCallId: string | undefined,
  cardCwd: string | undefined,
): void {
  const callId = historyCallId ?? `${llm.id}.action`
  const tool = builder.addToolCall(llm, callId, actionName(s.action), s.action)
  // The shell keeps its directory between steps: each step records where it was.
  if (s.cwd && s.cwd !== cardCwd) tool.cwd = s.cwd
  if (s.executionTime !== undefined) tool.durationMs = Math.round(s.executionTime * 1000)
  if (s.observation === undefined) return
  const failed = FAILURE.test(s.observation.trimStart().slice(0, 400))
  builder.resolveTool(callId, {status: failed ? 'error' : 'ok', output: s.observation})
}

/** The model: 1.x replay_config, then fields some versions write in info, then the predictions beside the file. */
async function findModel(
  doc: Json,
  info: Json,
  replay: Json | undefined,
  ctx: AdaptContext,
  instanceId: string,
): Promise<string | undefined> {
  const agent = replay && isObject(replay.agent) ? replay.agent : undefined
  const fromReplay =
    agent && isObject(agent.model) ? (str(agent.model, 'name') ?? str(agent.model, 'model_name')) : undefined
  const named = fromReplay ?? str(info, 'model_name') ?? str(info, 'model') ?? str(doc, 'model_name_or_path')
  if (named) return sweAgentModel(named)
  const stem = basename(ctx.path).replace(/\.traj(?:\.json)?$/i, '')
  const names = [
    `${instanceId}.pred`,
    'all_preds.jsonl',
    `${stem}.all_preds.jsonl`,
    'preds.json',
    '../preds.json',
    '../all_preds.jsonl',
  ]
  if (stem !== instanceId) names.splice(3, 0, `${instanceId}.all_preds.jsonl`)
  const hit = await predictionsModel(ctx, instanceId, names)
  return hit ? sweAgentModel(hit.value) : undefined
}

/** 0.x puts the issue in the first non-demo user message after `ISSUE:`. */
function issueTitle(history: readonly unknown[]): string | undefined {
  for (const m of history) {
    if (!isObject(m) || m.role !== 'user' || m.is_demo === true || typeof m.content !== 'string') continue
    const at = m.content.indexOf('ISSUE:\n')
    return at >= 0 ? firstLine(m.content.slice(at + 7, at + 400)) : undefined
  }
  return undefined
}

export const sweAgentAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'swe-agent',
  label: 'SWE-agent trajectory',
  looksFor: 'a JSON object with trajectory[] ({action, observation, thought}), history[] and info.model_stats',
  sniff(doc) {
    if (!isObject(doc) || !Array.isArray(doc.trajectory) || !isObject(doc.info)) return false
    if (!Array.isArray(doc.history) && !isObject(doc.info.model_stats)) return false
    const first: unknown = doc.trajectory[0]
    return first === undefined || (isObject(first) && ('action' in first || 'observation' in first))
  },
  parse,
  companions: SWE_BENCH_COMPANIONS,
}
