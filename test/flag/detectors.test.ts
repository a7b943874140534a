import {fromNano, toNano} from '../../src/util/exact.js'
import {describe, expect, it} from 'vitest'
import type {Step, TraceCard} from '../../src/card/types.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {fixture, readOne} from '../helpers.js'

/** The flags of a fixture, as [step index, detector] pairs, after running every detector. */
async function flagsOf(name: string, folder = 'waste'): Promise<{card: TraceCard; flags: Array<[number, string]>}> {
  const card = await readOne(fixture(`${folder}/${name}.jsonl`))
  flagCard(card)
  const flags: Array<[number, string]> = []
  for (const s of card.steps) for (const f of s.flags ?? []) flags.push([s.index, f.kind])
  return {card, flags}
}

function step(card: TraceCard, index: number): Step {
  return card.steps[index]!
}

describe('waste detectors on their fixtures', () => {
  it('duplicate-call: the same call while the result holds; not after an edit, not in a new turn', async () => {
    const {card, flags} = await flagsOf('duplicate-call')
    // the file read again (5) is a re-read; the repeated git status differs only in its description: the same call
    expect(flags).toEqual([
      [5, 'reread-unchanged'],
      [13, 'duplicate-call'],
    ])
    expect(step(card, 13).flags![0]!.evidence).toEqual([step(card, 11).id])
    expect(step(card, 13).flags![0]!.confidence).toBeGreaterThan(0.9)
  })

  it('duplicate-call: folders made again, in any spelling, while nothing removed them; not one removed since', async () => {
    // (In fixtures/waste-classes: fixtures/waste holds one trace per detector, which the review's tests open whole.)
    const {card, flags} = await flagsOf('folders-made-again', 'waste-classes')
    // 1 `mkdir -p skill/{scripts,assets}`; 3 the same from inside skill/; 5 `rm -rf skill/assets`; 7 assets made again
    // (it was removed); 9 scripts made again (it was not).
    expect(flags).toEqual([
      [3, 'duplicate-call'],
      [9, 'duplicate-call'],
    ])
    expect(step(card, 3).flags![0]!.reason).toBe(
      'makes folders skill/scripts, skill/assets again: step 1 made them, and nothing removed them since',
    )
    expect(step(card, 9).flags![0]!.evidence).toEqual([step(card, 3).id])
  })

  it('duplicate-call: a git diff again after writes only to files git status showed untracked; not after an edit', async () => {
    const {card, flags} = await flagsOf('diff-beside-untracked', 'waste-classes')
    // 1 `git status --short` (?? notes/); 3 `git diff`; 5 Write notes/review.md; 7 `git diff` again; 9 Edit src/app.py;
    // 11 `git diff` again (the edit changed what it shows).
    expect(flags).toEqual([[7, 'duplicate-call']])
    expect(step(card, 7).flags![0]!.reason).toBe(
      'repeats Bash git diff from step 3, and got the same result; only files a git status showed untracked were written in between, which no diff of the working tree shows',
    )
  })

  it('failed-repeat: the same failure again; not after a fix, not a different failure', async () => {
    const {flags} = await flagsOf('failed-repeat')
    expect(flags).toEqual([[3, 'failed-repeat']])
  })

  it('reread-unchanged: lines already read by another call; not after sed -i changed the file', async () => {
    const {card, flags} = await flagsOf('reread-unchanged')
    expect(flags).toEqual([[3, 'reread-unchanged']])
    expect(step(card, 3).flags![0]!.reason).toBe(
      'reads config.py again: every line it shows was shown at step 1, and nothing changed the file since',
    )
  })

  it('near-duplicate: overlapping read ranges and a search within an earlier one; not a read half new or a new search', async () => {
    const {card, flags} = await flagsOf('near-duplicate')
    // Lines 60-120 after 1-100: two thirds shown. Lines 80-160 after both: 41 of 81 shown, about half new.
    expect(flags).toEqual([
      [3, 'near-duplicate'],
      [9, 'near-duplicate'],
    ])
    expect(step(card, 3).flags![0]!.reason).toMatch(/67% of these lines/)
  })

  it('loop: the same two actions three times with the same results, even though each write "changes" the file', async () => {
    const {card, flags} = await flagsOf('loop')
    expect(flags.map(([, k]) => k)).toEqual(['loop', 'loop', 'loop', 'loop'])
    expect(flags.map(([i]) => i)).toEqual([5, 7, 9, 11])
    expect(step(card, 5).flags![0]!.evidence).toEqual([step(card, 1).id, step(card, 3).id])
  })

  it('unused-output: a large result nobody refers to and the agent set aside; not a large read whose content is used later', async () => {
    const {card, flags} = await flagsOf('unused-output')
    // 1: a find flooded with a virtualenv's paths, looked again within the project at once (3).
    expect(flags).toEqual([[1, 'unused-output']])
    const flag = step(card, 1).flags![0]!
    expect(flag.reason).toMatch(/find \/home\/dev .*carried as context in 6 later calls/)
    // the carrying cost dominates: more than the call's own cost
    expect(flag.wastedUsd).toBeGreaterThan(step(card, 0).cost!.usd!)
  })

  it('context-growth: a run of calls that only fail as before while the context grows', async () => {
    // Five deploys fail "permission denied": the first call met that failure first (it told the agent something),
    // the four after it only met it again.
    const {card, flags} = await flagsOf('context-growth')
    expect(flags.map(([, k]) => k)).toEqual(Array(4).fill('context-growth'))
    for (const [i] of flags) expect(step(card, i).kind).toBe('llm')
    expect(card.steps.find(s => s.flags?.length)?.flags?.[0]?.reason).toMatch(
      /^one of 4 calls in a row .* while every tool call repeated earlier work or failed as an earlier one had$/,
    )
  })

  it('context-growth: trial and error, each attempt failing another way, is no stall (trial 112)', async () => {
    const {flags} = await flagsOf('trial-and-error-failures', 'waste-classes')
    expect(flags).toEqual([])
  })

  it('context-growth: one failure met again under another request id is the same failure (review 114)', async () => {
    // Five batches refused the same way, each naming its own request id: the first told something, four did not.
    const {flags} = await flagsOf('same-failure-other-request-ids', 'waste-classes')
    expect(flags.map(([, k]) => k)).toEqual(Array(4).fill('context-growth'))
  })
})

describe("a flagged step's share of the call that issued it", () => {
  it('leaves out what that call paid to write the prompt cache over reading it', async () => {
    const {card} = await flagsOf('loop')
    const flag = step(card, 5).flags![0]!
    const parent = step(card, 4)
    // The call wrote 300 tokens to the cache: its premium over reading them is priced and kept on the call.
    expect(parent.tokens!.cacheWrite).toBe(300)
    const premium = parent.cost!.cacheWritePremiumUsd!
    expect(premium).toBeGreaterThan(0)
    expect(premium).toBeLessThan(parent.cost!.usd!)
    // The flag's own part (its dollars less the carrying) is the call's cost less the premium (one tool call).
    expect(flag.wastedUsd - (flag.carriedUsd ?? 0)).toBeCloseTo(parent.cost!.usd! - premium, 9)
  })
})

describe('waste accounting', () => {
  it('a step carries one flag and a call is never claimed beyond its cost', async () => {
    for (const name of [
      'duplicate-call',
      'failed-repeat',
      'loop',
      'context-growth',
      'near-duplicate',
      'reread-unchanged',
      'unused-output',
    ]) {
      const {card} = await flagsOf(name)
      const claimedOwn = new Map<string, number>()
      for (const s of card.steps) {
        expect((s.flags ?? []).length).toBeLessThanOrEqual(1)
        for (const f of s.flags ?? []) {
          expect(f.wastedUsd).toBeGreaterThan(0)
          expect(f.confidence).toBeGreaterThan(0)
          expect(f.confidence).toBeLessThanOrEqual(1)
          expect(f.evidence.every(id => card.steps.some(x => x.id === id))).toBe(true)
        }
        if (s.kind === 'llm' && s.flags?.length)
          claimedOwn.set(s.id, (claimedOwn.get(s.id) ?? 0) + s.flags[0]!.wastedUsd)
      }
      for (const [id, usd] of claimedOwn)
        expect(usd).toBeLessThanOrEqual(card.steps.find(x => x.id === id)!.cost!.usd! + 1e-12)
      // (Summed in whole nano-dollars, as every total is: exactly, whatever the order.)
      const sum = card.steps.reduce((n, s) => n + (s.flags ?? []).reduce((m, f) => m + toNano(f.wastedUsd), 0), 0)
      expect(card.totals.wastedUsd).toBe(fromNano(sum))
    }
  })

  it('a clean session has no flags', async () => {
    const card = await readOne(fixture('claude-code/split-blocks.jsonl'))
    flagCard(card)
    expect(card.steps.flatMap(s => s.flags ?? [])).toEqual([])
    expect(card.totals.wastedUsd).toBe(0)
  })

  it('runs each detector alone, as a pure function of the card', async () => {
    const card = await readOne(fixture('waste/duplicate-call.jsonl'))
    flagCard(card, new Set(['failed-repeat']))
    expect(card.steps.flatMap(s => s.flags ?? [])).toEqual([])
    flagCard(card, new Set(['duplicate-call']))
    expect(card.steps.flatMap(s => (s.flags ?? []).map(f => f.kind))).toEqual(['duplicate-call'])
    flagCard(card, new Set(['reread-unchanged']))
    expect(card.steps.flatMap(s => (s.flags ?? []).map(f => f.kind))).toEqual(['reread-unchanged'])
  })
})
