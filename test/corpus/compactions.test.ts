/**
 * Compactions, as the waste detectors infer them from prompt sizes (`buildContext`), against the ones Codex records
 * (`"type":"compacted"`) in every real Codex rollout of the repository's blind sets and of the corpus: the same number.
 * A prompt that shrinks at a person's next turn by the reasoning the provider dropped is no compaction; before that
 * rule, five of these rollouts showed compactions that never happened (a re-read across them counted for nothing).
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import {corpus, hasCorpus, read} from '../helpers.js'

const extra = fileURLToPath(new URL('../corpus-extra/', import.meta.url))

function rollouts(): string[] {
  const out: string[] = []
  for (const set of existsSync(extra) ? readdirSync(extra) : []) {
    const dir = join(extra, set, 'codex')
    if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.jsonl')) out.push(join(dir, f))
  }
  const dir = corpus('codex-rollout')
  if (hasCorpus && existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.jsonl')) out.push(join(dir, f))
  return out
}

/**
 * Rollouts whose prompt shrank at a turn by far more than the reasoning the provider drops, with no compaction recorded:
 * the context the model saw was cut there all the same, and aco says so. fresh223 (Codex 0.135, gpt-5.5): turn 2's first
 * prompt holds 45,812 tokens against 75,676 at turn 1's end, of which turn 1's reasoning explains 2,273; its turn opens
 * with a developer message changing the agent's personality, and the agent no longer knew what it had done in turn 1
 * (its labeller's note).
 */
const SHRANK_UNRECORDED: Record<string, number> = {'fresh223/codex/entire-sem-019e7da4.jsonl': 1}

function recorded(path: string): number {
  let n = 0
  for (const line of readFileSync(path, 'utf8').split('\n'))
    if (line.includes('"compacted"') && (JSON.parse(line) as {type?: string}).type === 'compacted') n++
  return n
}

describe('corpus: compactions inferred from prompt sizes are the ones Codex recorded', () => {
  const paths = rollouts()
  it('reads some rollouts', () => {
    expect(paths.length).toBeGreaterThan(30)
  })
  it.each(paths.map(p => [p.slice(p.indexOf('corpus')), p]))('%s', async (_, path) => {
    const result = await read(path)
    const card = result.cards[0]!
    const ctx = buildContext(card, [], new Set([card.id]))
    const unrecorded = Object.entries(SHRANK_UNRECORDED).find(([tail]) => path.endsWith(tail))?.[1] ?? 0
    expect(ctx.compaction[card.steps.length - 1] ?? 0).toBe(recorded(path) + unrecorded)
  })
})
