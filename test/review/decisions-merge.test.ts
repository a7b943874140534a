/**
 * The review's writer and another process on one decisions file: each write
 * keeps what others decided since the review opened, and the review's own
 * undo is never undone by the disk.
 */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {DecisionWriter} from '../../src/review/decisions-file.js'
import type {Decision, DecisionsFile} from '../../src/review/decisions.js'

const decision = (step: string, at: string): Decision => ({
  traceId: 't',
  rootTraceId: 't',
  stepId: step,
  stepIndex: Number(step.slice(1)),
  kind: 'tool',
  label: 'wasted',
  by: 'review',
  at,
})
const file = (...decisions: Decision[]): DecisionsFile => ({
  schemaVersion: '1.0',
  source: {cards: '/c/cards.ndjson'},
  updatedAt: '2026-03-05T12:00:00.000Z',
  decisions,
})
const steps = (path: string): string[] =>
  (JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile).decisions.map(d => d.stepId)

describe("the review's decisions writer beside another process", () => {
  it('keeps a decision another process made while the review was open; its own undo stays undone', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aco-merge-')), 'd.json')
    const old = '2020-01-01T00:00:00.000Z'
    const later = new Date(Date.now() + 1000).toISOString()
    // The review opens on a file holding s0, clears it and decides s1.
    writeFileSync(path, JSON.stringify(file(decision('s0', old))))
    const writer = new DecisionWriter(path, undefined, undefined, file(decision('s0', old)))
    writer.save(file(decision('s1', later)))
    await writer.flush()
    expect(steps(path)).toEqual(['s1'])
    // aco label, meanwhile, adds s2 to the file as it is.
    const disk = JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile
    writeFileSync(path, JSON.stringify(file(...disk.decisions, decision('s2', later))))
    writer.save(file(decision('s1', later), decision('s3', later)))
    await writer.flush()
    expect(steps(path)).toEqual(['s1', 's2', 's3'])
    // the review undoes s1: it does not come back from the disk
    writer.save(file(decision('s3', later)))
    await writer.flush()
    expect(steps(path)).toEqual(['s2', 's3'])
  })

  it("never undoes what another process changed on a step the review holds (trial 101), and keeps each side's part", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aco-merge-')), 'd.json')
    const at = '2026-03-05T12:00:00.000Z'
    const accept = {...decision('s1', at), label: undefined, prune: 'accept' as const}
    const opened = file(accept, decision('s2', at))
    writeFileSync(path, JSON.stringify(opened))
    const notices: string[] = []
    const writer = new DecisionWriter(path, undefined, m => notices.push(m), opened)
    // aco label rejects s1 and labels s4 fine while the review is open.
    const labelled = {...decision('s4', '2026-03-05T12:01:00.000Z'), label: 'fine' as const, by: 'label' as const}
    const rejected = {...accept, prune: 'reject' as const, at: '2026-03-05T12:01:00.000Z', by: 'label' as const}
    writeFileSync(path, JSON.stringify(file(rejected, decision('s2', at), labelled)))
    // The review, still showing s1 accepted, rejects s4's prune and labels s3.
    const mine = {
      ...labelled,
      label: undefined,
      prune: 'reject' as const,
      by: 'review' as const,
      at: '2026-03-05T12:02:00.000Z',
    }
    writer.save(file(accept, decision('s2', at), decision('s3', at), mine))
    await writer.flush()
    const saved = JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile
    const by = new Map(saved.decisions.map(d => [d.stepId, d]))
    expect(by.get('s1')!.prune).toBe('reject')
    expect(by.get('s4')).toMatchObject({prune: 'reject', label: 'fine'})
    expect([...by.keys()]).toEqual(['s1', 's2', 's3', 's4'])
    expect(notices).toEqual([
      `2 decisions another process (aco label) made while this review was open are kept in ${path}, on steps shown here otherwise (first: t #1): reopen the review to see them`,
    ])
  })

  it("keeps aco label's prune on a flagged step the review labels, says each kept decision once, drops none it lacks (review 102)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aco-merge-')), 'd.json')
    const facts = {flagKind: 'duplicate-call', wastedUsd: 0.02}
    const at = '2026-03-05T12:00:00.000Z'
    const notices: string[] = []
    const writer = new DecisionWriter(path, undefined, m => notices.push(m), file())
    // aco label accepts s1's flag; the review, not knowing, labels s1 and decides s2.
    const accepted = {
      ...decision('s1', at),
      ...facts,
      label: undefined,
      prune: 'accept' as const,
      by: 'accept-flags' as const,
    }
    writeFileSync(path, JSON.stringify(file(accepted)))
    const labelled = {...decision('s1', '2026-03-05T12:01:00.000Z'), ...facts, label: 'fine' as const}
    writer.save(file(labelled, decision('s2', at)))
    await writer.flush()
    let saved = JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile
    expect(saved.decisions.find(d => d.stepId === 's1')).toMatchObject({prune: 'accept', label: 'fine'})
    expect(notices).toHaveLength(1)
    // The next saves (a move to another step) do not say it again.
    writer.save(file(labelled, decision('s2', at)))
    await writer.flush()
    writer.save(file(labelled, decision('s2', at)))
    await writer.flush()
    expect(notices).toHaveLength(1)
    // The file replaced meanwhile by one that lacks the review's decisions: they stay.
    writeFileSync(path, JSON.stringify(file(decision('s9', at))))
    writer.save(file(labelled, decision('s2', at)))
    await writer.flush()
    saved = JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile
    expect(saved.decisions.map(d => d.stepId)).toEqual(['s1', 's2', 's9'])
    expect(notices).toHaveLength(1)
  })

  it('lets aco label --auto take away its own labels; an undo leaves a newer label of the other; the later label stands (review 104)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aco-merge-')), 'd.json')
    const auto = {
      ...decision('s1', '2026-03-05T12:00:00.000Z'),
      label: 'wasted' as const,
      labelSource: 'execution' as const,
      by: 'auto' as const,
    }
    const mine = {...decision('s3', '2026-03-05T12:00:00.000Z'), label: 'wasted' as const}
    const opened = file(auto, mine)
    writeFileSync(path, JSON.stringify(opened))
    const writer = new DecisionWriter(path, undefined, undefined, opened)
    // aco label --auto runs again (s1 no longer labelled), and aco label --set s3=fine later than the review's wasted.
    const fine = {...mine, label: 'fine' as const, by: 'label' as const, at: '2026-03-05T12:05:00.000Z'}
    writeFileSync(path, JSON.stringify(file(fine)))
    // The review undoes its wasted on s3 and decides s2: aco label's fine is back, not nothing; s1 stays gone.
    writer.save(file(auto, decision('s2', '2026-03-05T12:06:00.000Z')))
    await writer.flush()
    let saved = JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile
    expect(saved.decisions.map(d => [d.stepId, d.label, d.by])).toEqual([
      ['s2', 'wasted', 'review'],
      ['s3', 'fine', 'label'],
    ])
    // Both label s4, the review later: its label stands with its own name and time.
    const theirs = {...decision('s4', '2026-03-05T12:07:00.000Z'), label: 'fine' as const, by: 'label' as const}
    writeFileSync(path, JSON.stringify(file(...saved.decisions, theirs)))
    const ours = {...decision('s4', '2026-03-05T12:10:00.000Z'), label: 'cheaper-model-ok' as const}
    writer.save(file(auto, decision('s2', '2026-03-05T12:06:00.000Z'), ours))
    await writer.flush()
    saved = JSON.parse(readFileSync(path, 'utf8')) as DecisionsFile
    expect(saved.decisions.find(d => d.stepId === 's4')).toMatchObject({
      label: 'cheaper-model-ok',
      by: 'review',
      at: ours.at,
    })
  })

  it('keeps a file edited into something that is no decisions file aside, never replaces it unseen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aco-broken-')), 'd.json')
    const notices: string[] = []
    const writer = new DecisionWriter(path, undefined, m => notices.push(m))
    const later = new Date(Date.now() + 1000).toISOString()
    writer.save(file(decision('s1', later)))
    await writer.flush()
    // Edited by hand while the review is open: a comma too many.
    const broken = readFileSync(path, 'utf8').replace('"decisions": [', '"decisions": [,')
    writeFileSync(path, broken)
    writer.save(file(decision('s1', later), decision('s2', later)))
    await writer.flush()
    expect(steps(path)).toEqual(['s1', 's2'])
    expect(readFileSync(`${path}.broken`, 'utf8')).toBe(broken)
    expect(notices).toEqual([
      `${path} was no decisions file any more: kept as ${path}.broken, the decisions saved anew`,
    ])
    // Broken again: a second file aside, the first kept.
    writeFileSync(path, 'not json')
    writer.save(file(decision('s2', later)))
    await writer.flush()
    expect(readFileSync(`${path}.broken.2`, 'utf8')).toBe('not json')
    expect(readFileSync(`${path}.broken`, 'utf8')).toBe(broken)
  })
})
