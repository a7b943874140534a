/**
 * SWE-agent corpus: every trajectory is read, every card validates, the card's
 * totals equal the file's own `info.model_stats`, demonstrations are not
 * steps, and the predictions file beside a trajectory is a companion.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {validator} from '../../src/util/schemas.js'
import {corpus, hasCorpus, llmSteps, read, skipNoCorpus} from '../helpers.js'

const dir = corpus('swe-agent-traj')

interface Traj {
  trajectory: Array<{action?: string}>
  history: Array<{role: string; is_demo?: boolean}>
  info: {
    exit_status?: string
    model_stats: {instance_cost: number; tokens_sent: number; tokens_received: number; api_calls: number}
  }
}

describe.skipIf(!hasCorpus)(`corpus: SWE-agent trajectories (${hasCorpus ? dir : skipNoCorpus})`, () => {
  const trajs = hasCorpus ? readdirSync(dir).filter(f => f.endsWith('.traj')) : []

  it.each(trajs)('%s: read whole, valid, totals equal info.model_stats', async name => {
    const path = join(dir, name)
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Traj
    const result = await read(path)
    expect(result.skipped).toEqual([])
    expect(result.format).toBe('swe-agent')
    expect(result.cards).toHaveLength(1)
    const card = result.cards[0]!
    const validate = validator('tracecard')
    expect(validate(card), JSON.stringify(validate.errors)).toBe(true)

    const stats = doc.info.model_stats
    // One LLM step per trajectory step; demonstrations in history are not steps.
    expect(card.totals.llmCalls).toBe(doc.trajectory.length)
    expect(card.totals.toolCalls).toBe(doc.trajectory.filter(s => (s.action ?? '').trim()).length)
    expect(card.recorded).toEqual({
      source: 'swe-agent info.model_stats',
      costUsd: stats.instance_cost,
      tokens: {input: stats.tokens_sent, output: stats.tokens_received},
      apiCalls: stats.api_calls,
    })
    expect(card.totals.tokens.input).toBe(stats.tokens_sent)
    expect(card.totals.tokens.output).toBe(stats.tokens_received)
    expect(Math.abs(card.totals.costUsd - stats.instance_cost)).toBeLessThan(1e-9)
    expect(card.task?.outcome?.exitStatus).toBe(doc.info.exit_status)
    if (stats.instance_cost > 0)
      expect(llmSteps(card).every(s => s.estimated && s.cost?.source === 'estimated')).toBe(true)
    else expect(card.warnings.some(w => /all zero/.test(w.message))).toBe(true)
  })

  it('pydicom: the model comes from the all_preds.jsonl beside it, and is the one SWE-agent priced', async () => {
    const card = (await read(join(dir, 'pydicom__pydicom-1458.traj'))).cards[0]!
    expect(card.task?.id).toBe('pydicom__pydicom-1458')
    const preds = JSON.parse(
      readFileSync(join(dir, 'pydicom__pydicom-1458.all_preds.jsonl'), 'utf8').split('\n')[0]!,
    ) as {model_name_or_path: string}
    expect(preds.model_name_or_path.startsWith('gpt4__')).toBe(true)
    expect(card.models).toEqual(['gpt-4-1106-preview'])
    // SWE-agent priced gpt-4-1106-preview at $10 / $30 per million tokens: the recorded cost agrees.
    const {tokens_sent, tokens_received, instance_cost} = (
      JSON.parse(readFileSync(join(dir, 'pydicom__pydicom-1458.traj'), 'utf8')) as Traj
    ).info.model_stats
    expect(tokens_sent * 1e-5 + tokens_received * 3e-5).toBeCloseTo(instance_cost, 9)
  })

  it('marshmallow (1.x): instance and model from replay_config, tool call ids from history', async () => {
    const card = (await read(join(dir, 'marshmallow-1867.function_calling_replace.traj'))).cards[0]!
    expect(card.task?.id).toBe('marshmallow-code__marshmallow-1867')
    expect(card.models).toEqual(['gpt-4o'])
    expect(card.steps.filter(s => s.kind === 'tool').every(s => s.tool!.callId.startsWith('call_'))).toBe(true)
  })

  it('the folder reads with nothing unknown: the predictions file is a companion', async () => {
    const run = await analyze({paths: [dir], home: '/nonexistent', env: {}, threads: 1})
    expect(run.summary.skipped).toEqual([])
    expect(run.files.companions).toBe(1)
    expect(run.summary.byFormat.map(f => [f.format, f.traces])).toEqual([['swe-agent', trajs.length]])
  })
})
