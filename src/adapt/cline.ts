/**
 * Cline task histories (`api_conversation_history.json` in a task's folder of the VS Code extension's storage:
 * `…/globalStorage/saoudrizwan.claude-dev/tasks/<task id>/`): the conversation as Cline sent it to the model, one JSON
 * array of `{role, content[], ts, modelInfo?, metrics?}` messages.
 *
 * Traps handled here:
 * - one LLM step per assistant message; its usage is `metrics.tokens` (`prompt`, `completion`, `cached`), the model
 *   `modelInfo.modelId`, and `metrics.cost` the cost Cline recorded (kept beside aco's). Cline's own type says `prompt`
 *   holds the cached tokens (`cached` is "the subset of prompt_tokens that were cache hits"); a message without
 *   `metrics` is a call whose usage was not recorded (counted, not priced, warned);
 * - tool calls are `tool_use` blocks of the assistant message; their results are `tool_result` blocks (native tool
 *   calls) or text blocks of the next user message, one per call: `[read_file for 'src/a.ts'] Result:` and the tool's
 *   text (the header is no part of the result; older versions put the text in the block after it), matched to the call
 *   of that name whose arguments hold the header's argument;
 * - a result that reports a failure (`The tool execution failed…`, `[ERROR]`, a denied operation, a command's non-zero
 *   exit) is an error;
 * - Cline's own text in user messages (`<environment_details>`, to-do reminders, `[TASK RESUMPTION]`) is no person's
 *   prompt; `<task>`, `<feedback>`, `<user_message>`, "New instructions for task continuation" and "The user has
 *   provided feedback" are;
 * - the working folder is the one `<environment_details>` names (`# Current Working Directory (c:/x/repo) Files`):
 *   the calls' paths are relative to it; a task resumed in another folder names that one, and the calls after it run
 *   there.
 */
import {CardBuilder} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import {toIso} from '../util/time.js'
import {count, firstLine, isObject, recordedUsd, str, type Json} from './fields.js'
import {RecordError, readEach, type AdaptContext, type DocumentAdapter} from './types.js'
import {addAggregate, taskId, uiUsageBeside, warnAggregates} from './cline-ui.js'

const UI_NAME = 'ui_messages.json'

/** A tool result's header in a user message: `[name for 'argument'] Result:` or `[name] Result:`. */
const RESULT_HEAD = /^\[([a-z_]+)(?: for '([\s\S]*?)')?\] Result:[ \t]*\n?/

/** Text Cline writes into a user message that a person did write. */
const PERSON_TEXT =
  /^\s*(?:<task>|<feedback>|<user_message>|<answer>|New instructions for task continuation|The user has provided feedback|New message to respond to)/

/** A person's words inside a tool's result: an answer to a question, feedback on a completion. */
const PERSON_IN_RESULT = /<(?:feedback|answer|user_message)>([\s\S]*?)<\/(?:feedback|answer|user_message)>/

/** A result that reports the call failed. */
const FAILED =
  /^(?:The tool execution failed|\[ERROR\]|The user denied this operation|Error executing|Error reading file|Error writing file)|\nCommand failed with exit code|\bexit code:? [1-9]\d*\b/i

/** `Command executed.` … with the exit code some versions write. */
const EXIT_CODE = /(?:exit code|Exit Code):? (-?\d+)/

/** The folder Cline's environment details name. */
const WORKING_DIR = /# Current Working Directory \(([^)\n]+)\)/

/** The text of a `tool_result` block's content: a string, or its text blocks joined. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .filter(isObject)
    .map(c => (typeof c.text === 'string' ? c.text : ''))
    .join('\n')
}

function blocks(message: Json): Json[] {
  return Array.isArray(message.content) ? message.content.filter(isObject) : []
}

/** Whether a JSON document is a Cline task's conversation (not another agent's message list). */
function isClineHistory(doc: unknown): doc is unknown[] {
  if (!Array.isArray(doc) || doc.length === 0) return false
  let marks = 0
  let other = 0
  for (const m of doc.slice(0, 40)) {
    // (A damaged message or two is skipped when read, and named; more, and this is no Cline history.)
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant') || !Array.isArray(m.content)) {
      if (++other > 2) return false
      continue
    }
    if (m.role === 'assistant' && (isObject(m.modelInfo) || isObject(m.metrics))) marks++
    else if (
      m.role === 'user' &&
      blocks(m).some(
        b => typeof b.text === 'string' && (RESULT_HEAD.test(b.text) || b.text.includes('<environment_details>')),
      )
    )
      marks++
  }
  return marks > 0
}

class HistoryReader {
  readonly builder: CardBuilder
  private title: string | undefined
  /** The working folder the first environment details named (the card's), and the one they name now. */
  private cwd: string | undefined
  private currentCwd: string | undefined
  private lastAt: string | undefined
  private noUsage = 0
  /** Assistant messages that are a condensation's summary (Roo Code's `isSummary`). */
  private readonly summaries = new Set<Step>()
  /** The calls of the last assistant message whose results have not come yet, in order. */
  private pending: Array<{id: string; name: string; input: string}> = []
  /** A call whose result header stood alone in its text block: the next block is its result (older Cline). */
  private awaiting: {id: string; name: string; input: string} | undefined

  /** Its first message's time (see `taskId`). */
  private firstTs: number | undefined

  constructor(private readonly ctx: AdaptContext) {
    this.builder = new CardBuilder('cline', ctx.path, ctx.redact)
  }

  message(m: unknown, index: number): void {
    if (!isObject(m)) throw new RecordError(`[${index}]: expected a message object`)
    const at = toIso(m.ts)
    if (typeof m.ts === 'number') this.firstTs ??= m.ts
    if (m.role === 'assistant') this.assistant(m, index, at)
    else if (m.role === 'user') this.user(m)
    else throw new RecordError(`[${index}].role: expected user or assistant`)
    this.builder.seen(at)
    if (at) this.lastAt = at
  }

  private assistant(m: Json, index: number, at: string | undefined): void {
    // Calls whose results never came (the task stopped there) stay unanswered.
    this.pending = []
    this.awaiting = undefined
    const t = isObject(m.metrics) && isObject(m.metrics.tokens) ? m.metrics.tokens : undefined
    // (A count that is no whole number from 0 to 1e9 skips the message with its field, as in every reader.)
    const where = `[${index}].metrics.tokens`
    const prompt = t ? count(t, 'prompt', where) : 0
    const cached = Math.min(t ? count(t, 'cached', where) : 0, prompt)
    const completion = t ? count(t, 'completion', where) : 0
    if (!t) this.noUsage++
    const text = blocks(m)
      .filter(b => b.type === 'text' && typeof b.text === 'string')
      .map(b => b.text as string)
      .join('\n')
    const cost =
      t && isObject(m.metrics)
        ? recordedUsd(m.metrics.cost, `[${index}].metrics.cost`, reason => this.ctx.skip(undefined, reason))
        : undefined
    const step: Step = this.builder.addLlm({
      model: isObject(m.modelInfo) ? str(m.modelInfo, 'modelId') : undefined,
      tokens: t
        ? {input: prompt - cached, output: completion, cacheRead: cached, cacheWrite: 0, reasoning: 0}
        : undefined,
      startedAt: this.lastAt,
      endedAt: at,
      text,
      line: 1,
    })
    // The cost Cline recorded, kept beside the one aco computes from the tokens.
    if (cost !== undefined) step.cost = {usd: null, source: 'unpriced', recordedUsd: cost}
    if (m.isSummary === true) this.summaries.add(step)
    for (const b of blocks(m)) {
      if (b.type !== 'tool_use') continue
      const name = str(b, 'name') ?? 'unknown'
      const id = str(b, 'id') ?? str(b, 'call_id') ?? `${step.id}-call${this.pending.length + 1}`
      const call = this.builder.addToolCall(step, id, name, b.input ?? {}, at, 1)
      // (A task resumed in another folder: its calls' relative paths are that folder's.)
      if (this.currentCwd && this.currentCwd !== this.cwd) call.cwd = this.currentCwd
      this.pending.push({id, name, input: JSON.stringify(b.input ?? {})})
    }
    if (index === 0) this.builder.warn('the conversation starts with an assistant message')
  }

  private user(m: Json): void {
    for (const b of blocks(m)) {
      // Cline with native tool calls: `tool_result` blocks, by the call's id.
      if (b.type === 'tool_result') {
        const id = str(b, 'tool_use_id')
        const k = id === undefined ? -1 : this.pending.findIndex(c => c.id === id)
        // (Its text may open with the same `[tool for '…'] Result:` header: no part of the result.)
        const text = resultText(b.content)
        if (k !== -1) this.resolve(this.pending.splice(k, 1)[0]!, text.replace(RESULT_HEAD, ''), b.is_error === true)
        continue
      }
      if (b.type !== 'text' || typeof b.text !== 'string') continue
      const text = b.text
      const head = RESULT_HEAD.exec(text)
      if (head && this.pending.length) {
        // The call waiting for this result: of that name (`use_subagents` reports as `[subagents]`), the one whose
        // arguments hold the header's argument if any does, else the first.
        const named = (c: {name: string}) => c.name === head[1] || c.name === `use_${head[1]}`
        const arg = head[2]
        let k = arg ? this.pending.findIndex(c => named(c) && c.input.includes(JSON.stringify(arg).slice(1, -1))) : -1
        // (A header naming no call waiting, right after a header alone: the awaited result's own text, which begins so.)
        if (k === -1 && arg && this.awaiting) {
          this.resolve(this.awaiting, text, false)
          this.awaiting = undefined
          continue
        }
        if (k === -1) k = this.pending.findIndex(named)
        if (k !== -1) {
          const call = this.pending.splice(k, 1)[0]!
          const output = text.slice(head[0].length)
          // (Older Cline: the header alone, the result in the next block.)
          if (output.trim() === '') this.awaiting = call
          else this.resolve(call, output, false)
          continue
        }
      }
      if (this.awaiting && !head && !text.includes('<environment_details>')) {
        this.resolve(this.awaiting, text, false)
        this.awaiting = undefined
        continue
      }
      const dir = WORKING_DIR.exec(text)?.[1]?.trim().replace(/\\/g, '/')
      if (dir) {
        this.cwd ??= dir
        this.currentCwd = dir
      }
      if (PERSON_TEXT.test(text)) {
        const prompt = text.replace(/^\s*<(?:task|feedback|user_message|answer)>\s*/, '')
        this.builder.newTurn(prompt)
        this.title ??= firstLine(prompt)
      }
    }
  }

  /**
   * The usage of the calls that record none, from the task's UI messages beside the history: in order, the k-th API
   * request (those that failed before their usage came left out) for the k-th assistant message; where the two do not
   * pair up so (another count of requests, a request started after its message was written), nothing is taken, said.
   */
  private usageFromUi(beside: ReturnType<typeof uiUsageBeside>): void {
    // (Requests that failed before their usage came have no message in the history: left out, review 93.)
    const usages = beside?.requests.filter(u => !u.failed)
    if (!beside || !usages?.length) return
    // (A condensation's summary, Roo Code's, is no request there: its cost is the condensation's, below.)
    const llm = this.builder.steps.filter(s => s.kind === 'llm' && !this.summaries.has(s))
    const summaries = [...this.summaries]
    if (summaries.length && summaries.length === beside.condenses.length) {
      let priced = 0
      summaries.forEach((s, k) => {
        const cost = beside.condenses[k]!.cost
        if (s.tokens || cost === undefined) return
        s.cost = {usd: null, source: 'unpriced', recordedUsd: cost}
        priced++
      })
      if (priced) {
        this.noUsage -= priced
        this.builder.warn(
          `${priced} condensation(s) of the context take the cost Roo Code recorded for them in ${UI_NAME} (their tokens not recorded)`,
        )
      }
    }
    if (usages.length !== llm.length) {
      this.builder.warn(
        `${UI_NAME} beside it records ${usages.length} API request(s) for the history's ${llm.length} assistant message(s): their usage is not taken from it`,
      )
      return
    }
    // (In order, one request per message, each started no later than its message was written.)
    const late = llm.findIndex((s, k) => usages[k]!.at && s.endedAt && usages[k]!.at! > s.endedAt)
    if (late !== -1) {
      this.builder.warn(
        `${UI_NAME} beside it records request ${late + 1} as started after the history's message ${late + 1} was written: their usage is not taken from it`,
      )
      return
    }
    let taken = 0
    llm.forEach((s, k) => {
      const u = usages[k]!
      // (A request whose usage cannot be read pairs with its message, which takes none: skipped with its field.)
      if (u.problem && !s.tokens)
        this.ctx.skip(undefined, `${UI_NAME} beside it, ${u.problem}: its call not priced from it`)
      if (s.tokens || !u.tokens) return
      s.tokens = u.tokens
      if (!s.model && u.model) s.model = u.model
      if (u.cost !== undefined) s.cost = {usd: null, source: 'unpriced', recordedUsd: u.cost}
      taken++
    })
    if (!taken) return
    this.noUsage -= taken
    this.builder.warn(
      `${taken} call(s) record no usage here: taken from ${UI_NAME} beside it, with the cost Cline recorded`,
    )
  }

  /** A call's result: its status and exit code read from the text, and a person's words given with it. */
  private resolve(call: {id: string}, output: string, isError: boolean): void {
    const code = EXIT_CODE.exec(output.slice(0, 2000))
    const exitCode = code ? Number(code[1]) : undefined
    const failed = isError || FAILED.test(output.slice(0, 2000)) || (exitCode !== undefined && exitCode !== 0)
    this.builder.resolveTool(call.id, {status: failed ? 'error' : 'ok', exitCode, output})
    // A person's answer or feedback given with the result (`attempt_completion`, `ask_followup_question`): their turn.
    const said = PERSON_IN_RESULT.exec(output)
    if (said) this.builder.newTurn(said[1]!.trim())
  }

  build(): TraceCard {
    const b = this.builder
    // (Roo Code, Kilo Code and some Cline versions record a call's usage only in the UI messages beside the history.)
    const beside = uiUsageBeside(this.ctx)
    if (this.noUsage) this.usageFromUi(beside)
    if (this.noUsage) b.warn(`${this.noUsage} assistant message(s) carry no metrics: counted as LLM calls, not priced`)
    // (Requests the UI messages record and the history does not hold: deleted by a checkpoint restore, a subagents'
    // batch. They come after its messages, each at its own time.)
    const aggregates = beside?.aggregates ?? []
    for (const a of aggregates)
      if (a.problem) this.ctx.skip(undefined, `${UI_NAME} beside it, ${a.problem}`)
      else addAggregate(b, a)
    warnAggregates(
      b,
      aggregates.filter(a => !a.problem),
    )
    // A task's folder is named by its id (`tasks/<id>/api_conversation_history.json`).
    const id = taskId(this.ctx.path, this.firstTs === undefined ? undefined : {ts: this.firstTs})
    return b.build({id, sessionId: id, title: this.title, ...(this.cwd ? {cwd: this.cwd} : {})})
  }
}

export const clineAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'cline',
  label: 'Cline task history',
  looksFor:
    'a JSON array of {role: user|assistant, content[], ts} messages, assistant ones with modelInfo/metrics, tool results as `[tool for …] Result:` text',
  sniff: isClineHistory,
  parse(doc, ctx) {
    if (!Array.isArray(doc)) throw new RecordError('expected an array of messages')
    const reader = new HistoryReader(ctx)
    readEach(doc, ctx, (m, i) => reader.message(m, i))
    return [reader.build()]
  },
}
