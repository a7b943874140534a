/**
 * Gemini CLI's headless output, `gemini -p … --output-format stream-json`:
 * one JSON event a line, as CI jobs and evaluation harnesses keep it. See
 * Gemini CLI's `packages/core/src/output/types.ts`.
 *
 * - `init` (`session_id`, `model`) opens a run: one card each (a harness may
 *   append several runs to one file);
 * - `message` (`role` user or assistant, `content`, `delta` for a chunk of a
 *   streamed reply): a user message is a person's turn, an assistant one the
 *   text of a model response;
 * - `tool_use` (`tool_name`, `tool_id`, `parameters`) and `tool_result`
 *   (`tool_id`, `status` success or error, `output`, `error`) are a tool call
 *   and its result;
 * - `error` (`severity`, `message`) is warned of;
 * - `result` (`status`, `stats`) closes the run with its token totals only:
 *   `input_tokens` (the prompts, `cached` of them read from the cache and
 *   `input` not), `output_tokens` (the candidates), `total_tokens` (with the
 *   thoughts besides), `tool_calls`.
 *
 * Traps: the stream records no usage per model call, nor how many calls there
 * were. Each model response is inferred from the events (the text and the tool
 * calls between two tool results or prompts: calls issued together are one
 * response), and the run's totals are split over them, prompts in proportion
 * to what the conversation held by then and output to what each response
 * wrote; the steps are marked estimated and the card's totals are the run's
 * own. A run cut before its `result` has no usage: its calls are counted, not
 * priced, with a warning. The thoughts are `total_tokens` less the prompts and
 * the candidates (billed as output, as Gemini bills them).
 */
import {basename} from 'node:path'
import {CardBuilder} from '../card/build.js'
import type {Step, TraceCard} from '../card/types.js'
import {count, expectObject, isObject, optCount, str, type Json} from './fields.js'
import {splitInteger} from './split-estimate.js'
import {RecordError, type AdaptContext, type DocumentAdapter, type JsonlAdapter, type RecordSink} from './types.js'

/** A model response inferred from the events, with what the conversation held before it (characters). */
interface Response {
  step: Step
  before: number
  wrote: number
  /** Its text, chunks joined. */
  text: string
}

interface Run {
  builder: CardBuilder
  sessionId: string | undefined
  model: string | undefined
  responses: Response[]
  /** The response still open: text or calls may follow until a tool result or a prompt. */
  open: Response | undefined
  /** Characters of the conversation so far (prompts, replies, calls and results). */
  held: number
  /** The result's totals (see `Usage`), and each model's where it gives them (`stats.models`, newer versions). */
  stats: Usage | undefined
  byModel: Array<Usage & {model: string}>
  statsLine: number | undefined
  /** Why the result's stats could not be read, when they could not. */
  statsProblem: string | undefined
  /** The result's time: where the calls of models no event shows are put. */
  endedAt: string | undefined
  title: string | undefined
}

class GeminiStreamSink implements RecordSink {
  private readonly runs: Run[] = []
  private run: Run | undefined
  /** Prompts written before the first `init` (a harness's own line): the first run's. */
  private readonly early: Array<{text: string; at: string | undefined}> = []

  constructor(private readonly ctx: AdaptContext) {}

  push(raw: unknown, line: number): void {
    const r = expectObject(raw)
    const at = str(r, 'timestamp')
    switch (r.type) {
      case 'init': {
        const run: Run = {
          builder: new CardBuilder('gemini-cli', this.ctx.path, this.ctx.redact),
          sessionId: str(r, 'session_id'),
          model: str(r, 'model'),
          responses: [],
          open: undefined,
          held: 0,
          stats: undefined,
          byModel: [],
          statsLine: undefined,
          statsProblem: undefined,
          endedAt: undefined,
          title: undefined,
        }
        run.builder.seen(at)
        this.runs.push(run)
        this.run = run
        for (const p of this.early.splice(0)) this.prompt(run, p.text, p.at)
        return
      }
      case 'message': {
        const content = typeof r.content === 'string' ? r.content : ''
        if (r.role === 'user') {
          if (this.run) this.prompt(this.run, content, at)
          else this.early.push({text: content, at})
          return
        }
        if (r.role !== 'assistant')
          throw new RecordError(`message: role ${JSON.stringify(r.role)} is neither user nor assistant`)
        const run = this.need(r.type)
        run.builder.seen(at)
        const response = this.respond(run, at)
        // (A streamed reply's chunks are one text; whole messages of one response are lines of it.)
        response.text += response.text && r.delta !== true ? `\n${content}` : content
        response.wrote += content.length
        return
      }
      case 'tool_use': {
        const run = this.need(r.type)
        const id = str(r, 'tool_id')
        if (!id) throw new RecordError('tool_use: tool_id missing')
        run.builder.seen(at)
        const response = this.respond(run, at)
        const input = r.parameters ?? {}
        run.builder.addToolCall(response.step, id, str(r, 'tool_name') ?? 'unknown', input, at, line)
        response.wrote += JSON.stringify(input).length
        return
      }
      case 'tool_result': {
        const run = this.need(r.type)
        const id = str(r, 'tool_id')
        if (!id) throw new RecordError('tool_result: tool_id missing')
        run.builder.seen(at)
        const error = isObject(r.error) ? r.error : undefined
        const output =
          typeof r.output === 'string'
            ? r.output
            : error
              ? `${str(error, 'type') ?? 'error'}: ${str(error, 'message') ?? ''}`
              : ''
        const ok = run.builder.resolveTool(id, {status: r.status === 'success' ? 'ok' : 'error', output, endedAt: at})
        if (!ok) run.builder.warn(`tool_result for unknown tool_use ${id}`, line)
        run.held += output.length
        // The model reads the result in its next call: the response that issued the call is closed.
        this.close(run)
        return
      }
      case 'error': {
        const run = this.need(r.type)
        run.builder.warn(`Gemini CLI ${str(r, 'severity') ?? 'error'}: ${str(r, 'message') ?? ''}`, line)
        return
      }
      case 'result': {
        const run = this.need(r.type)
        run.builder.seen(at)
        this.close(run)
        run.endedAt = at
        if (isObject(r.stats)) {
          run.statsLine = line
          // (A count of the wrong type leaves the stats unread, said with the line; the rest of the event stands.)
          try {
            run.stats = usageOf(r.stats, 'stats')
            const models = isObject(r.stats.models) ? r.stats.models : {}
            run.byModel = Object.entries(models).map(([model, m]) => {
              if (!isObject(m)) throw new RecordError(`stats.models[${JSON.stringify(model)}]: not an object`)
              return {model, ...usageOf(m, `stats.models[${JSON.stringify(model)}]`)}
            })
          } catch (error) {
            if (!(error instanceof RecordError)) throw error
            run.stats = undefined
            run.byModel = []
            run.statsProblem = error.message
            // (Said with its line as any record read wrong is, whether or not a call is left to carry the warning.)
            this.ctx.skip(line, `result: ${error.message} (its stats not read; the rest of the event was)`)
          }
        }
        const error = isObject(r.error) ? r.error : undefined
        if (r.status === 'error')
          run.builder.warn(`the run ended in an error: ${error ? (str(error, 'message') ?? '') : 'no message'}`, line)
        return
      }
      default:
        throw new RecordError(`unknown event type ${JSON.stringify(r.type)}`)
    }
  }

  private need(type: unknown): Run {
    if (!this.run) throw new RecordError(`${String(type)} before any init event`)
    return this.run
  }

  private prompt(run: Run, text: string, at: string | undefined): void {
    this.close(run)
    run.builder.seen(at)
    run.builder.newTurn(text)
    run.title ??= text
      .split('\n')
      .find(l => l.trim())
      ?.trim()
    run.held += text.length
  }

  /** The open response, or a new one (its step) when none is open. */
  private respond(run: Run, at: string | undefined): Response {
    if (run.open) return run.open
    const step = run.builder.addLlm({model: run.model, startedAt: at})
    const response: Response = {step, before: run.held, wrote: 0, text: ''}
    run.responses.push(response)
    run.open = response
    return response
  }

  private close(run: Run): void {
    if (!run.open) return
    if (run.open.text) run.builder.appendText(run.open.step, run.open.text)
    run.held += run.open.wrote
    run.open = undefined
  }

  finish(): TraceCard[] {
    return this.runs.map((run, k) => {
      this.close(run)
      this.usage(run)
      const id =
        run.sessionId ?? `${basename(this.ctx.path).replace(/\.jsonl$/i, '')}${this.runs.length > 1 ? `-${k + 1}` : ''}`
      return run.builder.build({id, sessionId: run.sessionId, title: run.title})
    })
  }

  /** The run's totals split over its inferred calls (see the file's comment). */
  private usage(run: Run): void {
    const b = run.builder
    const stats = run.stats
    if (!stats) {
      if (run.responses.length)
        b.warn(
          run.statsProblem
            ? `the run's result could not be read (${run.statsProblem}): its ${run.responses.length} model call(s) are counted, not priced`
            : `the run has no result event (cut short): its ${run.responses.length} model call(s) are counted, not priced (the stream records usage only in its result)`,
          run.statsProblem ? run.statsLine : undefined,
        )
      return
    }
    // Each model's tokens where the result gives them (the concrete model behind `auto`, and Gemini CLI's own calls
    // to others); else the run's, as the init's model. The model the events' responses are: the init's, if it used
    // it, else the one of the most tokens.
    const models = run.byModel.filter(m => m.prompts + m.candidates + m.total > 0)
    const main =
      models.find(m => m.model === run.model) ??
      models.reduce<(typeof models)[number] | undefined>((a, m) => (a && a.total >= m.total ? a : m), undefined)
    const own = main ?? {...stats, model: run.model}
    if (own.prompts + own.candidates + own.total === 0 && run.responses.length === 0) return
    // (Tokens with no response seen, an empty reply: one call carries them.)
    if (run.responses.length === 0) this.respond(run, run.endedAt)
    this.close(run)
    const n = run.responses.length
    for (const r of run.responses) if (own.model) r.step.model = own.model
    split(own, run.responses)
    const others = main ? models.filter(m => m !== main) : []
    for (const m of others) {
      const step = b.addLlm({model: m.model, startedAt: run.endedAt})
      split(m, [{step, before: 0, wrote: 0, text: ''}])
    }
    b.warn(
      main
        ? `the stream records tokens per model for the whole run only: ${own.model}'s are split over the ${n} call(s) inferred from its events${others.length ? `; ${others.map(m => m.model).join(', ')} (Gemini CLI's own calls, which the events do not show) one step each` : ''} (estimated)`
        : `the stream records tokens only for the whole run, summed over every model it used (Gemini CLI's own calls to another model included, priced as ${run.model ?? 'its model'}): split over the ${n} model call(s) inferred from its events (estimated)`,
      run.statsLine,
    )
    if (!main && run.model?.startsWith('auto'))
      b.warn(
        `${run.model} is Gemini CLI's choice of model, not a model: the result names none, so its calls are not priced (a newer Gemini CLI names them in stats.models)`,
        run.statsLine,
      )
  }
}

/** Token totals as the stream's stats give them: prompts (`cached` of them from the cache), candidates, all. */
interface Usage {
  prompts: number
  cached: number
  candidates: number
  total: number
}

function usageOf(o: Json, path: string): Usage {
  const prompts = optCount(o, 'input_tokens', path) ?? 0
  const candidates = optCount(o, 'output_tokens', path) ?? 0
  return {
    prompts,
    cached: Math.min(optCount(o, 'cached', path) ?? 0, prompts),
    candidates,
    total: optCount(o, 'total_tokens', path) ?? prompts + candidates,
  }
}

/**
 * `usage` over the calls: prompts in proportion to what each held (a base every prompt holds, the system prompt and the
 * tools' declarations, taken as the calls' mean conversation, plus the conversation before it: review 91), output to
 * what each wrote; thoughts (and tool-use prompt tokens) are the total less prompts and candidates, billed as output.
 */
function split(usage: Usage, calls: readonly Response[]): void {
  const {prompts, cached, candidates, total} = usage
  const thoughts = Math.max(0, total - prompts - candidates)
  const base = calls.reduce((sum, c) => sum + c.before, 0) / Math.max(1, calls.length) + 1
  const promptWeights = calls.map(c => c.before + base)
  const outputWeights = calls.map(c => c.wrote + 1)
  const cachedParts = splitInteger(cached, promptWeights)
  const inputParts = splitInteger(prompts - cached, promptWeights)
  const outputParts = splitInteger(candidates, outputWeights)
  const thoughtParts = splitInteger(thoughts, outputWeights)
  calls.forEach((c, i) => {
    c.step.tokens = {
      input: inputParts[i]!,
      output: outputParts[i]! + thoughtParts[i]!,
      cacheRead: cachedParts[i]!,
      cacheWrite: 0,
      reasoning: thoughtParts[i]!,
    }
    c.step.estimated = true
  })
}

export const geminiStreamAdapter: JsonlAdapter = {
  kind: 'jsonl',
  format: 'gemini-cli',
  label: 'Gemini CLI headless output (--output-format stream-json)',
  recordsCache: true,
  looksFor:
    'JSONL events {type: init {session_id, model} | message {role, content} | tool_use {tool_name, tool_id, parameters} | tool_result {tool_id, status} | result {stats}}',
  sniff(records) {
    let votes = 0
    for (const r of records) {
      if (!isObject(r)) continue
      // Claude Code and Codex lines are never these.
      if ('parentUuid' in r || 'payload' in r || 'uuid' in r) return false
      if (r.type === 'init' && typeof r.session_id === 'string' && typeof r.model === 'string') votes++
      else if (r.type === 'tool_use' && typeof r.tool_id === 'string' && typeof r.tool_name === 'string') votes++
      else if (r.type === 'result' && isObject(r.stats) && 'total_tokens' in r.stats) votes++
    }
    return votes > 0
  },
  open: ctx => new GeminiStreamSink(ctx),
}

/** `gemini -p … --output-format json`: one object, `{session_id?, response, stats: SessionMetrics, error?}`. */
function isHeadlessJson(doc: unknown): doc is Json {
  if (!isObject(doc) || !isObject(doc.stats) || !isObject(doc.stats.models)) return false
  if (!('response' in doc || 'session_id' in doc || 'error' in doc)) return false
  const models = Object.values(doc.stats.models)
  return models.every(m => isObject(m) && isObject(m.api) && isObject(m.tokens))
}

/**
 * The same run as one object (`--output-format json`): its `stats.models` hold each model's requests and tokens, exact
 * (the requests include failed ones, `totalErrors`, which carry no usage); no single call is recorded. Each model's
 * answered requests are its LLM steps, its tokens split evenly over them (estimated); Gemini CLI's own utility calls to
 * another model are that model's. The tool calls are only counted (`stats.tools.byName`): said in a warning.
 */
export const geminiHeadlessJsonAdapter: DocumentAdapter = {
  kind: 'json',
  format: 'gemini-cli',
  label: 'Gemini CLI headless output (--output-format json)',
  recordsCache: true,
  looksFor:
    'a JSON object {session_id?, response, stats: {models: {<model>: {api: {totalRequests, totalErrors}, tokens: {prompt, candidates, cached, thoughts, tool}}}, tools}}',
  sniff: isHeadlessJson,
  parse(doc, ctx) {
    if (!isHeadlessJson(doc)) throw new RecordError('stats.models: expected an object of models')
    const b = new CardBuilder('gemini-cli', ctx.path, ctx.redact)
    const stats = doc.stats as Json
    const sessionId = str(doc, 'session_id')
    let last: Step | undefined
    let failed = 0
    for (const [model, raw] of Object.entries(stats.models as Json)) {
      const m = raw as Json
      const path = `stats.models[${JSON.stringify(model)}]`
      const api = m.api as Json
      const t = m.tokens as Json
      const requests = count(api, 'totalRequests', `${path}.api`)
      const errors = Math.min(count(api, 'totalErrors', `${path}.api`), requests)
      failed += errors
      const prompt = count(t, 'prompt', `${path}.tokens`)
      const cached = Math.min(count(t, 'cached', `${path}.tokens`), prompt)
      const thoughts = count(t, 'thoughts', `${path}.tokens`)
      const tool = count(t, 'tool', `${path}.tokens`)
      const candidates = count(t, 'candidates', `${path}.tokens`)
      // (Tokens with no answered request: one call, not none.)
      const n = Math.max(requests - errors, prompt + candidates > 0 ? 1 : 0)
      if (n === 0) continue
      const even = new Array<number>(n).fill(1)
      const parts = [prompt - cached + tool, cached, candidates + thoughts, thoughts].map(x => splitInteger(x, even))
      for (let i = 0; i < n; i++) {
        last = b.addLlm({
          model,
          tokens: {
            input: parts[0]![i]!,
            cacheRead: parts[1]![i]!,
            cacheWrite: 0,
            output: parts[2]![i]!,
            reasoning: parts[3]![i]!,
          },
        })
        last.estimated = true
      }
    }
    if (last && typeof doc.response === 'string' && doc.response) b.appendText(last, doc.response)
    b.warn(
      "the output records tokens per model for the whole run, not per call: each model's tokens are split evenly over its requests (estimated)",
    )
    if (failed) b.warn(`${failed} request(s) failed (stats totalErrors): no usage, not counted as calls`)
    const tools = isObject(stats.tools) ? optCount(stats.tools, 'totalCalls', 'stats.tools') : undefined
    if (tools)
      b.warn(
        `${tools} tool call(s) are only counted in this output (stats.tools), not recorded one by one: not read as steps`,
      )
    if (isObject(doc.error))
      b.warn(`the run ended in an error: ${str(doc.error, 'message') ?? str(doc.error, 'type') ?? ''}`)
    const stem = basename(ctx.path).replace(/\.json$/i, '')
    return [b.build({id: sessionId ?? stem, sessionId})]
  },
}
