/**
 * Detector state is linear in steps (issue #12): 25,000 identical reads ran out of heap at 4.3 GB, because a
 * stall of n calls named every other call of the run as evidence on each of them (n² ids), and the files a
 * context had seen kept one entry per read (n² work). Counted here, not timed: the ids every detector returns
 * and the entries coverage keeps, for two sizes of the same session.
 */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import {lookFindingsStats} from '../../src/flag/detectors/coverage.js'
import type {Finding} from '../../src/flag/finding.js'
import {DETECTOR_KINDS, DETECTORS} from '../../src/flag/registry.js'
import {readOne} from '../helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'aco-linear-'))

/** A Claude Code session that reads the same file `n` times, its context growing with every call. */
function identicalReads(n: number): string {
  const base = {
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/app',
    sessionId: `reads-${n}`,
    version: '2.1.38',
  }
  const lines = [
    JSON.stringify({
      ...base,
      parentUuid: null,
      type: 'user',
      uuid: 'u0',
      timestamp: '2026-03-01T10:00:00.000Z',
      message: {role: 'user', content: 'Go'},
    }),
  ]
  let prev = 'u0'
  for (let i = 1; i <= n; i++) {
    const timestamp = new Date(Date.parse('2026-03-01T10:00:00Z') + i * 1000).toISOString()
    const message = {
      model: 'claude-sonnet-4-5-20250929',
      id: `msg_${i}`,
      type: 'message',
      role: 'assistant',
      content: [{type: 'tool_use', id: `toolu_${i}`, name: 'Read', input: {file_path: '/home/dev/app/src/main.ts'}}],
      stop_reason: null,
      usage: {
        input_tokens: 5,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1000 + i * 50,
        output_tokens: 20,
      },
    }
    lines.push(
      JSON.stringify({
        ...base,
        parentUuid: prev,
        type: 'assistant',
        uuid: `a${i}`,
        timestamp,
        requestId: `req_${i}`,
        message,
      }),
    )
    const result = {
      role: 'user',
      content: [{tool_use_id: `toolu_${i}`, type: 'tool_result', content: 'export const main = 1'}],
    }
    lines.push(JSON.stringify({...base, parentUuid: `a${i}`, type: 'user', uuid: `r${i}`, timestamp, message: result}))
    prev = `r${i}`
  }
  const path = join(dir, `reads-${n}.jsonl`)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return path
}

async function stateOf(
  n: number,
  trace: (n: number) => string = identicalReads,
): Promise<{steps: number; evidence: number; entries: number}> {
  const card = await readOne(trace(n))
  const ctx = buildContext(card)
  const findings: Finding[] = []
  for (const kind of DETECTOR_KINDS) findings.push(...DETECTORS[kind].detect(ctx, findings))
  const evidence = findings.reduce((sum, f) => sum + f.evidence.length, 0)
  return {steps: card.steps.length, evidence, entries: lookFindingsStats(ctx).entriesVisited}
}

/** A mini-swe-agent run printing `n` different ranges of one file, none of them numbered, each overlapping the last. */
function rangedReads(n: number): string {
  const messages: unknown[] = [
    {role: 'system', content: 'You are a helpful assistant.'},
    {role: 'user', content: 'Please solve this issue: ...'},
  ]
  for (let i = 1; i <= n; i++) {
    const command = `sed -n '${i * 10},${i * 10 + 14}p' src/big.py`
    const output = Array.from({length: 15}, (_, k) => `    value_${i * 10 + k} = compute(${i * 10 + k})`).join('\n')
    const id = `call_${i}`
    messages.push({
      role: 'assistant',
      content: 'Next.',
      tool_calls: [{id, type: 'function', function: {name: 'bash', arguments: JSON.stringify({command})}}],
      extra: {
        actions: [{command, tool_call_id: id}],
        response: {
          id: `r${i}`,
          model: 'deepseek-chat',
          usage: {prompt_tokens: 1000 + i * 30, completion_tokens: 20, total_tokens: 1020 + i * 30},
        },
        cost: 0.0001,
        timestamp: 1775803319 + i,
      },
    })
    messages.push({
      role: 'tool',
      tool_call_id: id,
      content: `<returncode>0</returncode>\n<output>\n${output}\n</output>`,
      extra: {raw_output: output, returncode: 0, timestamp: 1775803319 + i},
    })
  }
  const path = join(dir, `ranges-${n}.traj.json`)
  const info = {
    model_stats: {instance_cost: 0.0001 * n, api_calls: n},
    mini_version: '2.2.7',
    exit_status: 'Submitted',
    config: {model: {model_name: 'deepseek/deepseek-chat'}, environment: {cwd: '/testbed'}},
  }
  writeFileSync(path, JSON.stringify({info, messages}))
  return path
}

describe('detector state over many identical reads', () => {
  it('grows linearly with the steps: evidence ids and coverage work per step stay bounded', async () => {
    const small = await stateOf(200)
    const large = await stateOf(800)
    // Every read after the first is a re-read, and the run of calls is one stall: findings on every step.
    expect(small.evidence).toBeGreaterThan(small.steps / 2)
    for (const s of [small, large]) {
      expect(s.evidence / s.steps).toBeLessThanOrEqual(4)
      expect(s.entries / s.steps).toBeLessThanOrEqual(4)
    }
    // Four times the steps, about four times the state (a square would be sixteen).
    expect(large.evidence / small.evidence).toBeLessThan(5)
    expect(large.entries / Math.max(1, small.entries)).toBeLessThan(5)
  })
})

describe('detector state over many reads of one file placed by their text', () => {
  it('grows linearly with the steps: each read is compared with a bounded number of earlier looks', async () => {
    const small = await stateOf(400, rangedReads)
    const large = await stateOf(1600, rangedReads)
    for (const s of [small, large]) expect(s.entries / s.steps).toBeLessThanOrEqual(100)
    expect(large.entries / Math.max(1, small.entries)).toBeLessThan(5)
  })
})
