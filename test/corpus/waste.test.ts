/**
 * Waste detectors on the real corpus: every flag has a hand-checked verdict
 * (test/corpus/waste-judgements.json), each detector is right on at least 90%
 * of what it flags, and the corpus is not flag-free where waste is visible.
 * Flags on the traces whose every call is labelled (test/corpus/waste-labels/)
 * are judged by those labels in waste-labels.test.ts instead.
 */
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import type {TraceCard} from '../../src/card/types.js'
import {allCards, corpusDir, hasCorpus, skipNoCorpus} from '../helpers.js'
import {loadLabels} from './waste-eval.js'

interface Judgement {
  trace: string
  step: string
  kind: string
  verdict: 'right' | 'wrong'
  note: string
}

const judgements = (
  JSON.parse(readFileSync(new URL('./waste-judgements.json', import.meta.url), 'utf8')) as {judgements: Judgement[]}
).judgements

describe.skipIf(!hasCorpus)(`corpus: waste flags (${hasCorpus ? corpusDir : skipNoCorpus})`, () => {
  it('every flag was judged, and every detector is right on at least 90% of its flags', async () => {
    const run = await analyze({paths: [corpusDir], home: '/nonexistent', env: {}, keepCards: true})
    const labelled = new Set(loadLabels().map(l => `${corpusDir}${l.trace}`))
    const flags: Array<{trace: string; step: string; kind: string}> = []
    const kinds = new Set<string>()
    let count = 0
    for (const card of allCards(run.cards as TraceCard[])) {
      for (const step of card.steps)
        for (const f of step.flags ?? []) {
          count++
          kinds.add(f.kind)
          if (!labelled.has(card.source.path)) flags.push({trace: card.id, step: step.id, kind: f.kind})
        }
    }
    const verdict = (f: {trace: string; step: string; kind: string}) =>
      judgements.find(j => j.trace === f.trace && j.step === f.step && j.kind === f.kind)
    const unjudged = flags.filter(f => !verdict(f))
    expect(unjudged, 'new flags on the corpus: read them and add a verdict to waste-judgements.json').toEqual([])

    const byKind = new Map<string, {right: number; wrong: number}>()
    for (const f of flags) {
      const row = byKind.get(f.kind) ?? {right: 0, wrong: 0}
      row[verdict(f)!.verdict]++
      byKind.set(f.kind, row)
    }
    for (const [kind, {right, wrong}] of byKind) expect(right / (right + wrong), kind).toBeGreaterThanOrEqual(0.9)
    // Visible waste is found: failed repeats, duplicate calls, re-reads, partial re-reads. (The corpus's one stall,
    // astropy-12907's six calls, is trial and error, each install failing another way: no longer a context-growth
    // run, trial 112.)
    expect(count).toBeGreaterThanOrEqual(10)
    expect([...kinds].sort()).toEqual(['duplicate-call', 'failed-repeat', 'near-duplicate', 'reread-unchanged'])
    expect(run.summary.totals.wastedUsd).toBeGreaterThan(0)
  })
})
