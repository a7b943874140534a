import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {autoLabels} from '../../src/label/auto-label.js'
import {mergeAutoLabels, runAutoLabel} from '../../src/label/run.js'
import type {Decision} from '../../src/review/decisions.js'
import {renderLabel} from '../../src/review/label-text.js'
import {check} from '../../src/util/schemas.js'
import {withFileLock} from '../../src/util/lock.js'
import {cleanTmp, tmp, writeCards} from '../review/fixtures.js'
import {shellCard} from './cards.js'

afterAll(cleanTmp)

const byStep = (labels: ReturnType<typeof autoLabels>) => new Map(labels.map(l => [l.step.id, l]))

describe('aco label --auto: labels from execution feedback', () => {
  it('a call that failed and was repeated unchanged is a struggle; calls that worked and were followed are fine', () => {
    const card = shellCard('run', [
      {command: 'cat src/app.py'},
      {command: 'python -c "import numpy"', exit: 1},
      {command: 'python -c "import numpy"', exit: 1},
      {command: 'pip install numpy'},
      {command: 'python -m pytest tests'},
      {command: 'git diff'},
    ])
    const labels = byStep(autoLabels([card]))
    const failedThenRepeated = labels.get('run-l1')!
    expect(failedThenRepeated).toMatchObject({label: 'needs-stronger-model', source: 'execution', strength: 0.7})
    expect(failedThenRepeated.evidence).toMatch(/failed and was repeated unchanged/)
    expect(labels.get('run-l0')).toMatchObject({label: 'fine', source: 'execution'})
    expect(labels.get('run-l3')).toMatchObject({label: 'fine', source: 'execution'})
    // The last step's result was used by nothing after it: no verdict either way.
    expect(labels.has('run-l5')).toBe(false)
    for (const l of labels.values()) expect(l.strength).toBeGreaterThan(0)
    for (const l of labels.values()) expect(l.strength).toBeLessThan(1)
  })

  it("a step that called nothing takes the task's outcome, weaker than any execution evidence", () => {
    const card = shellCard('task', [{command: 'ls'}, {command: '', text: 'The fix is done.'}, {command: 'ls -la'}], {
      task: {id: 'org__repo-1', outcome: {resolved: false, source: 'report.json'}},
    })
    const answer = byStep(autoLabels([card])).get('task-l1')!
    expect(answer).toMatchObject({label: 'needs-stronger-model', source: 'outcome'})
    expect(answer.strength).toBeLessThan(0.35)
    // An outcome given for the task id (--outcomes) wins over the card's own.
    const given = new Map([['org__repo-1', {resolved: true, source: 'results.json'}]])
    expect(byStep(autoLabels([card], {outcomes: given})).get('task-l1')).toMatchObject({
      label: 'fine',
      source: 'outcome',
    })
  })

  it('where a clearly cheaper model did as well at a kind of step on the same task, the dearer model’s steps of that kind are cheaper-model-ok', () => {
    const reads = [{command: 'cat a.py'}, {command: 'cat b.py'}, {command: 'cat c.py'}, {command: 'cat d.py'}]
    const dear = shellCard('dear', reads, {task: {id: 'org__repo-2'}})
    const cheap = shellCard(
      'cheap',
      reads.map(r => ({...r, model: 'deepseek-chat'})),
      {task: {id: 'org__repo-2'}},
    )
    const labels = byStep(autoLabels([dear, cheap]))
    expect(labels.get('dear-l0')).toMatchObject({label: 'cheaper-model-ok', source: 'multi-model'})
    expect(labels.get('dear-l0')!.evidence).toMatch(/deepseek-chat/)
    // The cheaper model's own steps are not relabelled by the comparison.
    expect(labels.get('cheap-l0')?.source).toBe('execution')
    // Two runs of different tasks are not compared.
    const other = shellCard('other', reads, {task: {id: 'org__repo-3'}})
    expect(byStep(autoLabels([other, cheap])).get('other-l0')?.source).toBe('execution')
  })
})

describe('merging automatic labels into decisions', () => {
  const card = shellCard('m', [
    {command: 'ls'},
    {command: 'false', exit: 1},
    {command: 'false', exit: 1},
    {command: 'ls'},
  ])
  const person: Decision = {
    traceId: 'm',
    rootTraceId: 'm',
    stepId: 'm-l1',
    stepIndex: 2,
    kind: 'llm',
    label: 'cheaper-model-ok',
    by: 'review',
    at: '2026-01-01T00:00:00.000Z',
  }

  it("never overwrites a person's label, and replaces an earlier run's automatic labels", () => {
    const stale: Decision = {
      traceId: 'm',
      rootTraceId: 'm',
      stepId: 'gone',
      stepIndex: 9,
      kind: 'llm',
      label: 'wasted',
      labelSource: 'execution',
      labelStrength: 0.5,
      by: 'auto',
      at: '2026-01-01T00:00:00.000Z',
    }
    const merged = mergeAutoLabels([person, stale], autoLabels([card]), new Set(['m']), '2026-02-01T00:00:00.000Z')
    expect(merged.decisions.get('m\u0000m-l1')).toEqual(person)
    expect(merged.keptPersonLabels).toBe(1)
    expect(merged.removed).toBe(1)
    expect([...merged.decisions.values()].some(d => d.stepId === 'gone')).toBe(false)
    const auto = [...merged.decisions.values()].filter(d => d.labelSource && d.labelSource !== 'person')
    expect(auto.length).toBeGreaterThan(0)
    for (const d of auto) expect(d).toMatchObject({by: 'auto', at: '2026-02-01T00:00:00.000Z'})
  })

  it('writes a valid decisions file and reports counts by label and source (--json)', async () => {
    const dir = tmp('aco-auto-label-')
    writeCards(dir, [card])
    const decisionsPath = join(dir, 'd.json')
    const first = await runAutoLabel({decisionsPath, cards: dir, now: '2026-02-01T00:00:00.000Z'})
    expect(check('label-result', JSON.parse(JSON.stringify(first)))).toBeUndefined()
    const file = JSON.parse(readFileSync(decisionsPath, 'utf8'))
    expect(check('decisions', file)).toBeUndefined()
    expect(first.auto).toMatchObject({cards: 1, llmSteps: 4, keptPersonLabels: 0})
    expect(first.auto!.labelled).toBe(first.counts.decisions)
    const bySource = first.counts.sources
    expect(bySource.execution['needs-stronger-model']).toBeGreaterThanOrEqual(1)
    expect(bySource.person).toEqual({fine: 0, 'needs-stronger-model': 0, 'cheaper-model-ok': 0, wasted: 0})
    // The text at 80 columns (a pipe) says every count whole, wrapped, never cut.
    const text = renderLabel(first, {width: 80, top: 0})
    // (The first line's paths give way from their start, by design.)
    expect(text.split('\n').slice(1).join('\n')).not.toContain('…')
    expect(text.replace(/\s+/g, ' ')).toContain(
      `${first.auto!.labelled} of 4 LLM steps labelled from evidence · 0 kept as a person labelled them · 0 earlier automatic labels removed`,
    )
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80)
    // Run again: the same labels, nothing piles up.
    const again = await runAutoLabel({decisionsPath, cards: dir, now: '2026-02-02T00:00:00.000Z'})
    expect(again.counts).toEqual(first.counts)
  })

  it("takes the decisions file's lock: a person's label written while it worked is kept", async () => {
    const dir = tmp('aco-auto-label-lock-')
    writeCards(dir, [card])
    const decisionsPath = join(dir, 'd.json')
    await runAutoLabel({decisionsPath, cards: dir, now: '2026-02-01T00:00:00.000Z'})
    const before = JSON.parse(readFileSync(decisionsPath, 'utf8'))
    const step = before.decisions[0]
    // Another aco label holds the lock; --auto starts, works out its labels, and waits; the other writes a person's label.
    let auto: Promise<unknown> | undefined
    await withFileLock(decisionsPath, async () => {
      auto = runAutoLabel({decisionsPath, cards: dir, now: '2026-02-02T00:00:00.000Z'})
      await new Promise(r => setTimeout(r, 300))
      // (It waits for the lock: the file is as the holder left it.)
      expect(JSON.parse(readFileSync(decisionsPath, 'utf8'))).toEqual(before)
      const person = {...step, label: 'fine', labelSource: 'person', by: 'label', at: '2026-02-02T00:00:00.000Z'}
      delete person.labelStrength
      writeFileSync(
        decisionsPath,
        JSON.stringify({...before, decisions: before.decisions.map((d: typeof step) => (d === step ? person : d))}),
      )
    })
    await auto
    const after = JSON.parse(readFileSync(decisionsPath, 'utf8'))
    expect(
      after.decisions.find((d: typeof step) => d.stepId === step.stepId && d.traceId === step.traceId),
    ).toMatchObject({label: 'fine', labelSource: 'person'})
  })
})
