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
    const writer = new DecisionWriter(path)
    const later = new Date(Date.now() + 1000).toISOString()
    writer.save(file(decision('s1', later)))
    await writer.flush()
    // aco label, meanwhile: s2 decided now, s0 long before the review opened (the review read it, then dropped it)
    writeFileSync(path, JSON.stringify(file(decision('s0', old), decision('s1', later), decision('s2', later))))
    writer.save(file(decision('s1', later), decision('s3', later)))
    await writer.flush()
    expect(steps(path)).toEqual(['s1', 's2', 's3'])
    // the review undoes s1: it does not come back from the disk
    writer.save(file(decision('s3', later)))
    await writer.flush()
    expect(steps(path)).toEqual(['s2', 's3'])
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
