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

async function stateOf(n: number): Promise<{steps: number; evidence: number; entries: number}> {
  const card = await readOne(identicalReads(n))
  const ctx = buildContext(card)
  const findings: Finding[] = []
  for (const kind of DETECTOR_KINDS) findings.push(...DETECTORS[kind].detect(ctx, findings))
  const evidence = findings.reduce((sum, f) => sum + f.evidence.length, 0)
  return {steps: card.steps.length, evidence, entries: lookFindingsStats(ctx).entriesVisited}
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
