/**
 * mini-swe-agent trajectories (`<instance_id>.traj.json`). See corpus
 * FORMATS.md §5 and §8c. Three layouts:
 * - 2.x (`trajectory_format` "mini-swe-agent-1.1"): assistant messages carry
 *   the raw LiteLLM response (`extra.response`, with `usage`), the call's cost
 *   (`extra.cost`) and tool calls; `tool` messages carry `extra.returncode`;
 *   a last `exit` message holds the submission;
 * - 1.x ("mini-swe-agent-1"): `extra.response` on assistant messages, no
 *   per-call cost; the action is a bash code block in the text and its output
 *   the next user message (`<returncode>N</returncode>`);
 * - before 1.0: a bare list of `{role, content}` messages, with no usage at all.
 *
 * Traps handled here:
 * - LiteLLM `prompt_tokens` include cached tokens (`prompt_tokens_details.cached_tokens`,
 *   DeepSeek's `prompt_cache_hit_tokens`) and, for Anthropic, cache writes;
 * - the recorded per-call cost is kept beside the computed one, and its sum is
 *   checked against `info.model_stats.instance_cost`; a recorded $0 for a call
 *   with tokens (LiteLLM had no price) is not taken as the cost;
 * - a non-zero `returncode` (or an exception) is a failed tool call, its exit code kept;
 * - the final submit call has no tool message: the `exit` message answers it.
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, Tokens, ToolStatus, TraceCard} from '../card/types.js'
import {contentText} from '../util/text.js'
import {toIso} from '../util/time.js'
import {count, isObject, obj, str, usd, type Json, typeName} from './fields.js'
import {predictionsModel, reportNames, reportOutcome, SWE_BENCH_COMPANIONS} from './swe-siblings.js'
import {RecordError, type AdaptContext, type DocumentAdapter} from './types.js'
import {litellmTokens} from './litellm.js'

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'exit'])

/** Text an old (pre-2.0) mini-swe-agent conversation is recognised by. */
const MINI_MARKERS =
  /mswea_bash_command|COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT|MINI_SWE_AGENT_FINAL_OUTPUT|<returncode>-?\d+<\/returncode>/

/** The one action of a text-based response (mini-swe-agent accepts exactly one). */
const ACTION_BLOCK = /```(?:mswea_bash_command|bash)\s*\n([\s\S]*?)\n```/g

/** The exit code an observation text reports (`<returncode>1</returncode>`). */
export function returnCodeIn(text: string): number | undefined {
  const m = /<returncode>\s*(-?\d+)\s*<\/returncode>/.exec(text.slice(0, 2000))
  return m ? Number(m[1]) : undefined
}

/**
 * mini-swe-agent 1.x's observation: the command's result as a Python dict
 * (`Observation: {'output': 'a\\nb\\n', 'returncode': 0}`): its output unescaped and its exit code.
 */
export function pythonObservation(text: string): {output: string; code: number} | undefined {
  const m =
    /^\s*Observation: \{'output': (?:'((?:[^'\\]|\\[\s\S])*)'|"((?:[^"\\]|\\[\s\S])*)"), 'returncode': (-?\d+)\}\s*$/.exec(
      text,
    )
  if (!m) return undefined
  return {output: unescapePython(m[1] ?? m[2] ?? ''), code: Number(m[3])}
}

/** A Python string literal's body, its escapes resolved. */
function unescapePython(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16))
    return PY_ESCAPES[e] ?? `\\${e}`
  })
}

const PY_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
}

function statusOf(code: number | undefined, exception: string | undefined): ToolStatus {
  if (code !== undefined) return code !== 0 ? 'error' : 'ok'
  return exception ? 'error' : 'unknown'
}

interface Info {
  instanceCost?: number
  apiCalls?: number
  exitStatus?: string
  configModel?: string
  version?: string
  cwd?: string
}

function readInfo(doc: Json): Info {
  const info = obj(doc, 'info', '(root)')
  if (!info) return {}
  const out: Info = {exitStatus: str(info, 'exit_status'), version: str(info, 'mini_version')}
  const stats = obj(info, 'model_stats', 'info')
  if (stats) {
    if (stats.instance_cost !== undefined && stats.instance_cost !== null)
      out.instanceCost = usd(stats, 'instance_cost', 'info.model_stats')
    if (stats.api_calls !== undefined && stats.api_calls !== null)
      out.apiCalls = count(stats, 'api_calls', 'info.model_stats')
  }
  const config = isObject(info.config) ? info.config : undefined
  if (config) {
    const model = config.model
    out.configModel = isObject(model) ? str(model, 'model_name') : typeof model === 'string' ? model : undefined
    if (isObject(config.environment)) out.cwd = str(config.environment, 'cwd')
  }
  return out
}

class MiniReader {
  readonly builder: CardBuilder
  private lastTimestamp: string | undefined
  /** Tool calls of the latest assistant message not answered yet. */
  private open: string[] = []
  /** A text-based action waiting for the next user message. */
  private awaiting: string | undefined
  private calls = 0
  private withUsage = 0
  private recordedSum = 0
  private recordedCalls = 0
  private zeroRecorded = 0
  exitStatus: string | undefined
  firstPrompt: string | undefined

  constructor(
    private readonly ctx: AdaptContext,
    private readonly configModel: string | undefined,
  ) {
    this.builder = new CardBuilder('mini-swe-agent', ctx.path, ctx.redact)
  }

  read(messages: readonly unknown[]): void {
    messages.forEach((m, i) => {
      if (!isObject(m)) {
        this.ctx.skip(
          undefined,
          `messages[${i}]: expected an object, got ${m === null ? 'null' : Array.isArray(m) ? 'array' : typeof m}`,
        )
        return
      }
      try {
        this.message(m, i)
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        this.ctx.skip(undefined, `messages[${i}]: ${error.message}`)
      }
    })
  }

  private message(m: Json, i: number): void {
    switch (m.role) {
      case 'assistant':
        this.assistant(m, i)
        return
      case 'tool':
        this.tool(m, i)
        return
      case 'user':
        this.user(m)
        return
      case 'exit':
        this.exit(m)
        return
      default:
        return
    }
  }

  private assistant(m: Json, i: number): void {
    const at = `messages[${i}]`
    const extra = obj(m, 'extra', at)
    const response = extra ? obj(extra, 'response', `${at}.extra`) : undefined
    let tokens: Tokens | undefined
    const usage = response ? response.usage : undefined
    if (isObject(usage)) {
      try {
        tokens = litellmTokens(usage, `${at}.extra.response.usage`)
        this.withUsage++
      } catch (error) {
        if (!(error instanceof RecordError)) throw error
        this.ctx.skip(undefined, `${error.message}; the call is counted without tokens`)
      }
    } else if (usage !== undefined && usage !== null) {
      this.ctx.skip(undefined, `${at}.extra.response.usage: expected an object; the call is counted without tokens`)
    }

    let recordedUsd: number | undefined
    if (extra && extra.cost !== undefined && extra.cost !== null) {
      const cost = usd(extra, 'cost', `${at}.extra`)
      this.recordedSum += cost
      this.recordedCalls++
      // LiteLLM records $0 when it has no price for the model: that is no figure, not a free call.
      if (cost > 0 || !tokens || tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite === 0)
        recordedUsd = cost
      else this.zeroRecorded++
    }

    const choice =
      response && Array.isArray(response.choices) && isObject(response.choices[0]) ? response.choices[0] : undefined
    const endedAt = toIso(extra?.timestamp)
    const startedAt = this.lastTimestamp ?? toIso(response?.created)
    const text = contentText(m.content)
    this.calls++
    const step = this.builder.addLlm({
      id: str(response, 'id') ?? `call-${this.calls}`,
      model: str(response, 'model') ?? this.configModel,
      tokens,
      startedAt,
      endedAt: endedAt && startedAt && endedAt < startedAt ? startedAt : endedAt,
      text,
      stopReason: str(choice, 'finish_reason'),
      // Pricing replaces a cost it can compute from tokens; without tokens the recorded cost stands.
      cost:
        recordedUsd === undefined
          ? undefined
          : tokens
            ? {usd: null, source: 'unpriced', recordedUsd}
            : {usd: recordedUsd, source: 'recorded', recordedUsd},
    })
    if (endedAt) this.lastTimestamp = endedAt
    this.open = []
    this.awaiting = undefined
    this.toolCalls(m, extra, step, text, at)
  }

  private toolCalls(m: Json, extra: Json | undefined, step: Step, text: string, at: string): void {
    const calls = m.tool_calls
    if (Array.isArray(calls) && calls.length > 0) {
      calls.forEach((c, k) => {
        if (!isObject(c)) throw new RecordError(`${at}.tool_calls[${k}]: expected an object`)
        const fn = isObject(c.function) ? c.function : {}
        const id = str(c, 'id') ?? `${step.id}.call-${k + 1}`
        this.builder.addToolCall(step, id, str(fn, 'name') ?? 'unknown', parseArgs(fn.arguments), step.endedAt)
        this.open.push(id)
      })
      return
    }
    const actions = extra?.actions
    if (Array.isArray(actions) && actions.length > 0) {
      actions.forEach((a, k) => {
        if (!isObject(a)) throw new RecordError(`${at}.extra.actions[${k}]: expected an object`)
        const id = str(a, 'tool_call_id') ?? `${step.id}.action-${k + 1}`
        this.builder.addToolCall(step, id, 'bash', {command: a.command}, step.endedAt)
        this.open.push(id)
      })
      return
    }
    // Text-based (1.x and before): exactly one bash block is an action; anything else is a format error.
    const blocks = [...text.matchAll(ACTION_BLOCK)]
    if (blocks.length !== 1) return
    const id = `${step.id}.action`
    this.builder.addToolCall(step, id, 'bash', {command: blocks[0]![1]!.trim()}, step.endedAt)
    this.open.push(id)
    this.awaiting = id
  }

  private tool(m: Json, i: number): void {
    const callId = str(m, 'tool_call_id')
    const extra = obj(m, 'extra', `messages[${i}]`)
    const text = contentText(m.content)
    const raw = extra?.returncode
    if (raw !== undefined && raw !== null && (typeof raw !== 'number' || !Number.isInteger(raw))) {
      throw new RecordError(`messages[${i}].extra.returncode: expected an integer, got ${typeName(raw)}`)
    }
    const code = typeof raw === 'number' ? raw : returnCodeIn(text)
    const exception = str(extra, 'exception_info') || undefined
    const endedAt = toIso(extra?.timestamp)
    if (endedAt) this.lastTimestamp = endedAt
    const output = str(extra, 'raw_output') ?? text
    // The model saw `text`: mini-swe-agent cuts the middle out of a long output (`<elided_chars>`).
    const seen =
      output !== text && /<elided_chars>|output of your last command was too long/.test(text) ? text : undefined
    if (
      !callId ||
      !this.builder.resolveTool(callId, {status: statusOf(code, exception), exitCode: code, output, seen, endedAt})
    ) {
      this.builder.warn(`tool message messages[${i}] answers no known call${callId ? ` (${callId})` : ''}`)
      return
    }
    this.open = this.open.filter(id => id !== callId)
  }

  private user(m: Json): void {
    const text = contentText(m.content)
    if (this.firstPrompt === undefined) this.firstPrompt = text
    const at = isObject(m.extra) ? toIso(m.extra.timestamp) : undefined
    if (at) this.lastTimestamp = at
    const id = this.awaiting
    if (!id) return
    this.awaiting = undefined
    const observed = pythonObservation(text)
    const code = observed ? observed.code : returnCodeIn(text)
    const timedOut = code === undefined && /timed out/i.test(text.slice(0, 500))
    this.builder.resolveTool(id, {
      status: timedOut ? 'error' : statusOf(code, undefined),
      exitCode: code,
      output: observed ? observed.output : text,
      endedAt: at,
    })
    this.open = this.open.filter(x => x !== id)
  }

  /** The run's end: it answers the submit call, which gets no tool message. */
  private exit(m: Json): void {
    const extra = isObject(m.extra) ? m.extra : undefined
    this.exitStatus = str(extra, 'exit_status') ?? this.exitStatus
    const output = contentText(m.content)
    for (const id of this.open) this.builder.resolveTool(id, {status: 'ok', output, endedAt: toIso(extra?.timestamp)})
    this.open = []
    this.awaiting = undefined
  }

  /** Warnings about what the file could not tell. */
  finish(info: Info, layout: string): void {
    const b = this.builder
    if (this.calls > 0 && this.withUsage === 0)
      b.warn(`${layout} records no token counts: ${this.calls} LLM call(s) counted without tokens or cost`)
    else if (this.withUsage < this.calls)
      b.warn(`${this.calls - this.withUsage} of ${this.calls} LLM calls have no usage: counted without tokens`)
    if (this.zeroRecorded > 0) {
      b.warn(
        `${this.zeroRecorded} call(s) have a recorded cost of $0 with tokens (LiteLLM had no price for the model): not taken as their cost; they are priced from the catalog or listed as unpriced`,
      )
    }
    if (info.instanceCost !== undefined && this.recordedCalls > 0) {
      const diff = Math.abs(this.recordedSum - info.instanceCost)
      if (diff > 1e-9 * Math.max(1, info.instanceCost)) {
        b.warn(
          `the per-call costs sum to $${this.recordedSum} but info.model_stats.instance_cost is $${info.instanceCost}`,
        )
      }
    }
    if (info.apiCalls !== undefined && info.apiCalls !== this.calls) {
      b.warn(`info.model_stats.api_calls is ${info.apiCalls} but the trajectory has ${this.calls} assistant message(s)`)
    }
  }
}

function parseArgs(args: unknown): unknown {
  if (typeof args !== 'string') return args ?? {}
  try {
    return JSON.parse(args) as unknown
  } catch {
    return args
  }
}

/** The task's title from the instance prompt (SWE-bench `<pr_description>` or "Please solve this issue:"). */
function taskTitle(prompt: string | undefined): string | undefined {
  if (!prompt) return undefined
  let rest: string | undefined
  const pr = prompt.indexOf('Consider the following PR description:\n')
  if (pr >= 0) rest = prompt.slice(pr + 39, pr + 400)
  else if (prompt.startsWith('Please solve this issue:')) rest = prompt.slice(24, 400)
  // Not cut here: the card builder redacts the title whole, then cuts it at a word.
  return rest?.trim().split('\n', 1)[0]?.trim() || undefined
}

function fileStem(path: string): string {
  return basename(path).replace(/\.traj\.json$|\.json$/i, '')
}

async function parse(doc: unknown, ctx: AdaptContext): Promise<TraceCard[]> {
  const bare = Array.isArray(doc)
  if (!bare && !isObject(doc)) throw new RecordError('expected a JSON object or an array of messages')
  const root: Json = bare ? {messages: doc} : (doc as Json)
  const info = readInfo(root)
  const messages = root.messages
  if (!Array.isArray(messages)) throw new RecordError('messages: expected an array')

  const reader = new MiniReader(ctx, info.configModel)
  reader.read(messages)
  const layout = bare
    ? 'this trajectory (the pre-1.0 bare message list)'
    : `this trajectory (${str(root, 'trajectory_format') ?? 'mini-swe-agent'})`
  reader.finish(info, layout)

  const builder = reader.builder
  const instanceId = str(root, 'instance_id') ?? fileStem(ctx.path)
  // Without a model in the responses or the config, the run's predictions name it.
  if (builder.models.size === 0 && builder.steps.some(s => s.kind === 'llm')) {
    const hit = await predictionsModel(ctx, instanceId, ['preds.json', '../preds.json'])
    if (hit) {
      for (const step of builder.steps) step.model = hit.value
      builder.models.add(hit.value)
    } else {
      builder.warn(
        'no model name in the responses, the config or a preds.json beside the file: the model shows as unknown',
      )
    }
  }

  const card = builder.build({
    id: instanceId,
    toolVersion: info.version,
    title: taskTitle(reader.firstPrompt),
    cwd: info.cwd,
  })
  if (info.instanceCost !== undefined || info.apiCalls !== undefined) {
    card.recorded = {source: 'mini-swe-agent info.model_stats'}
    if (info.instanceCost !== undefined) card.recorded.costUsd = info.instanceCost
    if (info.apiCalls !== undefined) card.recorded.apiCalls = info.apiCalls
  }
  const exitStatus = info.exitStatus ?? reader.exitStatus
  card.task = {id: instanceId}
  const report = await reportOutcome(ctx, instanceId, reportNames(instanceId))
  if (report) {
    card.task.outcome = {resolved: report.value, source: `SWE-bench ${report.file}`}
    if (exitStatus) card.task.outcome.exitStatus = exitStatus
  } else if (exitStatus) {
    card.task.outcome = {exitStatus, source: 'mini-swe-agent info.exit_status'}
  }
  return [card]
}

/** Whether an array is an old mini-swe-agent conversation: chat messages only, with mini's own markers. */
function isBareConversation(doc: readonly unknown[]): boolean {
  if (doc.length < 2) return false
  let marked = false
  for (let i = 0; i < Math.min(doc.length, 8); i++) {
    const m = doc[i]
    if (!isObject(m) || typeof m.role !== 'string' || !ROLES.has(m.role) || !('content' in m)) return false
    if (!marked && typeof m.content === 'string' && MINI_MARKERS.test(m.content)) marked = true
  }
  return marked && isObject(doc[0]) && doc[0].role === 'system'
}

export const miniSweAgentAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'mini-swe-agent',
  label: 'mini-swe-agent trajectory',
  looksFor:
    'a JSON object with messages[] and trajectory_format "mini-swe-agent-…" or info.mini_version, or a bare message list with mini-swe-agent prompts',
  sniff(doc) {
    if (Array.isArray(doc)) return isBareConversation(doc)
    if (!isObject(doc) || !Array.isArray(doc.messages)) return false
    const format = doc.trajectory_format
    if (typeof format === 'string' && format.startsWith('mini-swe-agent')) return true
    return isObject(doc.info) && typeof doc.info.mini_version === 'string'
  },
  parse,
  companions: SWE_BENCH_COMPANIONS,
}
