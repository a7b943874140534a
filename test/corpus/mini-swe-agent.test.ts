/**
 * mini-swe-agent corpus: every trajectory is read, every card validates, the
 * per-call usage and costs add up to what the file says (`extra.cost` sums to
 * `info.model_stats.instance_cost`), tool errors follow `returncode`, and the
 * SWE-bench report beside each trajectory gives its outcome.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, llmSteps, read, skipNoCorpus} from '../helpers.js'

const dir = corpus('mini-swe-agent')
const bench = join(dir, 'swebench-deepseek')

interface Message {
  role: string
  extra?: {
    cost?: number
    returncode?: number
    response?: {
      usage: {prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: {cached_tokens?: number}}
    }
  }
}
interface Traj {
  instance_id: string
  info: {exit_status: string; model_stats: {instance_cost: number; api_calls: number}}
  messages: Message[]
}

describe.skipIf(!hasCorpus)(`corpus: mini-swe-agent (${hasCorpus ? dir : skipNoCorpus})`, () => {
  const trajs = hasCorpus ? readdirSync(bench).filter(f => f.endsWith('.traj.json')) : []

  it.each(trajs)('%s: read whole, valid, usage and costs add up', async name => {
    const path = join(bench, name)
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Traj
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.format).toBe('mini-swe-agent')
    expect(result.cards).toHaveLength(1)
    const card = result.cards[0]!
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)

    const assistants = doc.messages.filter(m => m.role === 'assistant')
    let prompt = 0
    let cached = 0
    let completion = 0
    let cost = 0
    for (const m of assistants) {
      const u = m.extra!.response!.usage
      prompt += u.prompt_tokens
      cached += u.prompt_tokens_details?.cached_tokens ?? 0
      completion += u.completion_tokens
      cost += m.extra!.cost!
    }
    expect(card.totals.llmCalls).toBe(assistants.length)
    expect(card.totals.llmCalls).toBe(doc.info.model_stats.api_calls)
    expect(card.totals.tokens.input + card.totals.tokens.cacheRead).toBe(prompt)
    expect(card.totals.tokens.cacheRead).toBe(cached)
    expect(card.totals.tokens.output).toBe(completion)
    // The file's own check: per-call costs sum to instance_cost.
    expect(Math.abs(cost - doc.info.model_stats.instance_cost)).toBeLessThan(1e-9)
    expect(card.recorded).toEqual({
      source: 'mini-swe-agent info.model_stats',
      costUsd: doc.info.model_stats.instance_cost,
      apiCalls: doc.info.model_stats.api_calls,
    })
    expect(Math.abs(card.totals.recordedCostUsd! - doc.info.model_stats.instance_cost)).toBeLessThan(1e-9)
    expect(card.unpriced).toEqual([])
    expect(card.totals.costUsd).toBeGreaterThan(0)
    expect(card.warnings).toEqual([])

    const failed = doc.messages.filter(m => m.role === 'tool' && m.extra?.returncode !== 0).length
    expect(card.steps.filter(s => s.tool?.status === 'error')).toHaveLength(failed)
    expect(card.steps.filter(s => s.kind === 'tool' && s.tool!.status === 'unknown')).toEqual([])

    const reportPath = join(bench, `${doc.instance_id}.report.json`)
    expect(existsSync(reportPath)).toBe(true)
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Record<string, {resolved: boolean}>
    expect(card.task).toEqual({
      id: doc.instance_id,
      outcome: {
        resolved: report[doc.instance_id]!.resolved,
        exitStatus: doc.info.exit_status,
        source: `SWE-bench ${doc.instance_id}.report.json`,
      },
    })
  })

  it('the old bare message list: LLM calls are its assistant messages, counted without tokens, with a warning', async () => {
    const path = join(dir, 'local.traj.json')
    const messages = JSON.parse(readFileSync(path, 'utf8')) as Message[]
    const result = await read(path)
    expect(result.skipped).toEqual([])
    const card = result.cards[0]!
    expect(validator('tracecard')(card)).toBe(true)
    expect(card.totals.llmCalls).toBe(messages.filter(m => m.role === 'assistant').length)
    expect(llmSteps(card).every(s => s.tokens === undefined)).toBe(true)
    expect(card.warnings.some(w => /no token counts/.test(w.message))).toBe(true)
  })

  it('the folder reads with nothing unknown: reports and preds.json are companions', async () => {
    const run = await analyze({paths: [dir], home: '/nonexistent', env: {}, threads: 1})
    expect(run.summary.skipped).toEqual([])
    const companions = readdirSync(bench).filter(f => f.endsWith('.report.json') || f === 'preds.json').length
    expect(run.files.companions).toBe(companions)
    expect(run.summary.byFormat.map(f => [f.format, f.traces])).toEqual([['mini-swe-agent', trajs.length + 1]])
  })
})
