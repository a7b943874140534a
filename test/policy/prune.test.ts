import {describe, expect, it} from 'vitest'
import {analyze} from '../../src/analyze/analyze.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {buildPolicy} from '../../src/policy/build.js'
import {
  acceptedFlags,
  guardsFrom,
  type PruneSuggestion,
  pruneSuggestions,
  toolUsageByAgent,
} from '../../src/policy/prune.js'
import {estimateSaving} from '../../src/policy/saving.js'
import {summariseCard, type FlagRef, type TraceSummary} from '../../src/policy/traces.js'
import type {Decision} from '../../src/review/decisions.js'
import {fixture, readOne} from '../helpers.js'
import {policyProblem, trace} from './helpers.js'

function flag(t: TraceSummary, index: number, kind: string, usd: number, extra: Partial<FlagRef> = {}): FlagRef {
  const f: FlagRef = {
    traceId: t.id,
    rootTraceId: t.rootId,
    stepId: `${t.id}-step-${index}`,
    stepIndex: index,
    stepKind: 'tool',
    kind,
    confidence: 0.9,
    wastedUsd: usd,
    reason: `${kind} at ${index}`,
    evidence: [],
    llmStepId: t.llmCalls[Math.min(index, t.llmCalls.length - 1)]!.id,
    ...extra,
  }
  t.flags.push(f)
  return f
}

function decide(f: FlagRef, prune: 'accept' | 'reject'): Decision {
  return {
    traceId: f.traceId,
    rootTraceId: f.rootTraceId,
    stepId: f.stepId,
    stepIndex: f.stepIndex,
    kind: f.stepKind,
    ...(f.tool ? {tool: f.tool} : {}),
    flagKind: f.kind,
    wastedUsd: f.wastedUsd,
    prune,
    by: 'review',
    at: '2026-03-01T00:00:00.000Z',
  }
}

describe('accepted flags', () => {
  it('are the decisions that accept, matched to the cards; --accept-above adds confident flags no one rejected', () => {
    const t = trace('t1', 'claude-code', 6, 0.01)
    const a = flag(t, 1, 'duplicate-call', 0.02, {tool: 'Read'})
    const b = flag(t, 2, 'loop', 0.03, {tool: 'Bash', confidence: 0.95})
    const c = flag(t, 3, 'failed-repeat', 0.04, {tool: 'Bash', confidence: 0.6})
    const d = flag(t, 4, 'duplicate-call', 0.05, {tool: 'Read', confidence: 0.99})
    const decisions = [decide(a, 'accept'), decide(d, 'reject')]
    expect(acceptedFlags(decisions, [t]).map(f => f.stepId)).toEqual([a.stepId])
    const above = acceptedFlags(decisions, [t], 0.9)
    expect(above.map(f => [f.stepId, f.by])).toEqual([
      [a.stepId, 'decision'],
      [b.stepId, 'accept-above'],
    ])
    expect(above.some(f => f.stepId === c.stepId || f.stepId === d.stepId)).toBe(false)
    // a decision whose step the cards no longer have keeps its own facts, marked stale
    const gone = {...decide(a, 'accept'), stepId: 'vanished'}
    expect(acceptedFlags([gone], [t])[0]).toMatchObject({
      stepId: 'vanished',
      kind: 'duplicate-call',
      wastedUsd: 0.02,
      stale: true,
    })
    expect(acceptedFlags([gone], undefined)[0]!.stale).toBeUndefined()
  })
})

describe('prune suggestions', () => {
  it('give each accepted flag to exactly one prevention, so no dollar counts twice', () => {
    const t = trace('t1', 'claude-code', 10, 0.01, {toolOutputs: [{tool: 'Bash', chars: 3000, stepId: 'x'}]})
    flag(t, 1, 'duplicate-call', 0.02, {tool: 'Read'})
    flag(t, 2, 'reread-unchanged', 0.01, {tool: 'Read'})
    flag(t, 3, 'failed-repeat', 0.03, {tool: 'Bash'})
    flag(t, 4, 'loop', 0.01, {tool: 'Write'})
    flag(t, 5, 'near-duplicate', 0.02, {tool: 'Read', reason: 'reads a.ts again: 70% of these lines were shown'})
    flag(t, 6, 'unused-output', 0.1, {tool: 'Bash', outputChars: 40_000})
    flag(t, 7, 'something-new', 0.01)
    t.toolOutputs.push({tool: 'Bash', chars: 40_000, stepId: t.flags[5]!.stepId})
    const accepted = acceptedFlags([], [t], 0)
    const s = pruneSuggestions(accepted, [t])
    const total = (xs: {wastedUsd: number}[]): number => xs.reduce((a, x) => a + x.wastedUsd, 0)
    expect(total(s)).toBeCloseTo(total(accepted), 12)
    expect(s.flatMap(x => x.flags).length).toBe(accepted.length)
    const by = Object.fromEntries(s.map(x => [x.id, x]))
    expect(by['duplicate-guard:claude-code']).toMatchObject({
      prevention: 'duplicate-guard',
      tools: ['Bash', 'Read', 'Write'],
    })
    expect(by['duplicate-guard:claude-code']!.expectedSavingUsd).toBeCloseTo(0.07, 12)
    // the cap sits above the largest Bash result that was used (3,000 chars + 20% → 4,000), and saves the share above it
    expect(by['output-cap:claude-code:Bash']).toMatchObject({
      prevention: 'output-cap',
      outputCap: {tool: 'Bash', maxChars: 4000},
    })
    expect(by['output-cap:claude-code:Bash']!.expectedSavingUsd).toBeCloseTo(0.1 * (36_000 / 40_000), 12)
    expect(by['advice:near-duplicate']).toMatchObject({prevention: 'advice', expectedSavingUsd: 0})
    expect(by['advice:something-new']!.basis).toMatch(/no target can express/)
  })

  it('advise on near-duplicates by what they repeat: a partial re-read, tests run again, a narrower search, a git answer', () => {
    const t = trace('t1', 'claude-code', 10, 0.01)
    flag(t, 1, 'near-duplicate', 0.02, {
      tool: 'Read',
      reason: 'reads a.ts again: 70% of these lines were shown at step 0',
    })
    flag(t, 2, 'near-duplicate', 0.03, {
      tool: 'Bash',
      reason: 'runs tests that passed at step 1 (Bash go test ./...) again',
    })
    flag(t, 3, 'near-duplicate', 0.01, {
      tool: 'Bash',
      reason: 'runs tests that step 2 ran (Bash go test -v ./x): every',
    })
    flag(t, 4, 'near-duplicate', 0.01, {tool: 'Grep', reason: 'searches again within what step 3 searched (Grep x)'})
    flag(t, 5, 'near-duplicate', 0.01, {tool: 'Bash', reason: 'asks git what step 4 (Bash git status) already told'})
    const by = Object.fromEntries(pruneSuggestions(acceptedFlags([], [t], 0), [t]).map(x => [x.id, x]))
    expect(Object.keys(by).sort()).toEqual([
      'advice:near-duplicate',
      'advice:near-duplicate:git',
      'advice:near-duplicate:searches',
      'advice:near-duplicate:tests',
    ])
    expect(by['advice:near-duplicate:tests']!.flags).toHaveLength(2)
    expect(by['advice:near-duplicate:tests']!.title).toMatch(
      /^tests run again .* not to run passed tests again until the code they run changed/,
    )
    expect(by['advice:near-duplicate']!.title).toMatch(/^reads that mostly overlap an earlier one/)
    for (const s of Object.values(by)) expect(s).toMatchObject({prevention: 'advice', expectedSavingUsd: 0})
  })

  it("count as the duplicate guard's saving only the flags on calls it can refuse: a build or an edit runs all the same", () => {
    const t = trace('t1', 'claude-code', 10, 0.01)
    flag(t, 1, 'duplicate-call', 0.02, {tool: 'Read', refusable: true})
    flag(t, 2, 'duplicate-call', 0.03, {tool: 'Bash', refusable: false})
    // (Its evidence and dollars at stake are its own flags only: the flags on calls it lets run are advice beside it,
    // the night trial's PR listed shell retries as a guard's evidence, "34 flags, $1.18 at stake" for $0.58 saved.)
    const mixed = pruneSuggestions(acceptedFlags([], [t], 0), [t])
    expect(mixed.map(x => x.id).sort()).toEqual(['advice:repeated-runs:claude-code', 'duplicate-guard:claude-code'])
    const guard = mixed.find(x => x.prevention === 'duplicate-guard')
    expect(guard).toMatchObject({wastedUsd: 0.02, tools: ['Read']})
    expect(guard!.flags.map(f => f.tool)).toEqual(['Read'])
    expect(guard!.expectedSavingUsd).toBeCloseTo(0.02, 12)
    expect(guard!.basis).toMatch(/\(1 more flag, on calls it lets run, is advice below\)$/)
    const runs = mixed.find(x => x.prevention === 'advice')
    expect(runs).toMatchObject({expectedSavingUsd: 0, wastedUsd: 0.03})
    expect(runs!.flags.map(f => f.tool)).toEqual(['Bash'])
    // Every flag on a call it lets run: no guard at all (it would save nothing), advice (trial 33: a guard shipped as a
    // change titled "prune $0.0000 of accepted waste").
    const b = trace('t2', 'claude-code', 10, 0.01)
    flag(b, 1, 'failed-repeat', 0.02, {tool: 'Bash', refusable: false})
    const [build] = pruneSuggestions(acceptedFlags([], [b], 0), [b])
    expect(build).toMatchObject({
      id: 'advice:repeated-runs:claude-code',
      prevention: 'advice',
      expectedSavingUsd: 0,
      wastedUsd: 0.02,
    })
    expect(build!.title).toMatch(/^calls to Bash that repeat earlier work in a way a duplicate-call guard lets run/)
    expect(guardsFrom([build!]).duplicateCalls).toEqual([])
  })

  it('read from the cards whether the guard would refuse each flagged call, running it over the calls', async () => {
    const run = await analyze({paths: [fixture('waste')], home: '/nonexistent', env: {}, keepCards: true, threads: 1})
    const traces = run.cards.flatMap(c => summariseCard(c))
    const refs = traces.flatMap(t => t.flags).filter(f => f.tool !== undefined)
    expect(refs.length).toBeGreaterThan(0)
    expect(refs.every(f => typeof f.refusable === 'boolean')).toBe(true)
    expect(refs.filter(f => f.tool === 'Write' || f.tool === 'Edit').every(f => !f.refusable)).toBe(true)
    const of = (id: string, tool: string) => traces.find(t => t.id.startsWith(id))!.flags.find(f => f.tool === tool)!
    // The same Read of src/math.ts again, nothing changed between: refused.
    expect(of('dup', 'Read').refusable).toBe(true)
    // A Read of lines 40-59 of config.py after `cat config.py` showed them: waste, but no call the guard has seen (the
    // new user's trial 40: such re-reads counted as the guard's saving).
    expect(of('reread', 'Read').refusable).toBe(false)
  })

  it('set a call limit above what every analysed run needed, and count only the calls it would have cut', () => {
    // Three normal runs need 8, 10 and 12 calls; a fourth ran 30 calls, 20 of them flagged.
    const runs = [8, 10, 12].map((n, i) => trace(`ok-${i}`, 'swe-agent', n, 0.01))
    const waste = trace('long', 'swe-agent', 30, 0.01)
    for (let i = 10; i < 30; i++)
      flag(waste, i, 'context-growth', 0.01, {stepKind: 'llm', llmStepId: waste.llmCalls[i]!.id})
    const traces = [...runs, waste]
    const [limit] = pruneSuggestions(acceptedFlags([], traces, 0), traces)
    // needed: max(8, 10, 12, 30 − 20) = 12 → max(12 + 2, ceil(12 × 1.2)) = 15 calls; cost 12 × $0.01 × 1.2 = $0.15
    expect(limit).toMatchObject({prevention: 'call-limit', callLimit: {maxLlmCalls: 15, maxCostUsd: 0.15}})
    // The basis states the rule the figure follows (trial 85: "3 calls … plus 20%" read as no rule for 5).
    expect(limit!.basis).toMatch(
      /\(12 calls, \$0\.1200\), plus 20% \(calls: at least 2 more, rounded up; cost: to the cent above\)/,
    )
    // calls past the limit: 15 by count ($0.15), 15 by cost (from the 16th call on): at most the $0.20 flagged
    expect(limit!.expectedSavingUsd).toBeCloseTo(0.15, 12)
    const guards = guardsFrom([limit!])
    expect(guards.callLimits).toEqual([
      expect.objectContaining({scope: {format: 'swe-agent'}, maxLlmCalls: 15, maxCostUsd: 0.15, flags: 20, traces: 1}),
    ])

    // waste inside a run of normal length: no limit can stop it, so it stays advice
    const short = trace('short', 'swe-agent', 12, 0.01)
    for (let i = 2; i < 6; i++)
      flag(short, i, 'context-growth', 0.01, {stepKind: 'llm', llmStepId: short.llmCalls[i]!.id})
    const [advice] = pruneSuggestions(acceptedFlags([], [...runs, short], 0), [...runs, short])
    expect(advice).toMatchObject({prevention: 'advice', expectedSavingUsd: 0})
    expect(advice!.basis).toMatch(/would not have cut this waste/)
  })

  it('scope a call limit to a subagent when the waste is in its runs', () => {
    const main = trace('main', 'claude-code', 5, 0.01)
    const sub = (i: number, n: number): TraceSummary =>
      trace(`sub-${i}`, 'claude-code', n, 0.01, {agent: 'Explore', rootId: 'main'})
    const subs = [sub(0, 6), sub(1, 40)]
    for (let i = 6; i < 40; i++)
      flag(subs[1]!, i, 'context-growth', 0.01, {stepKind: 'llm', llmStepId: subs[1]!.llmCalls[i]!.id})
    const [s] = pruneSuggestions(acceptedFlags([], [main, ...subs], 0), [main, ...subs])
    expect(s).toMatchObject({
      id: 'call-limit:claude-code:Explore',
      scope: {format: 'claude-code', agent: 'Explore'},
      callLimit: {maxLlmCalls: 8},
    })
  })

  it('without the cards, limits and caps cannot be computed: that waste stays advice, the duplicate guard does not', () => {
    const t = trace('t', 'claude-code', 5, 0.01)
    const decisions = [
      decide(flag(t, 1, 'context-growth', 0.02), 'accept'),
      decide(flag(t, 2, 'duplicate-call', 0.01, {tool: 'Read'}), 'accept'),
    ]
    const s = pruneSuggestions(acceptedFlags(decisions, undefined), undefined)
    expect(s.map(x => [x.id, x.prevention])).toEqual([
      ['duplicate-guard:any', 'duplicate-guard'],
      ['advice:context-growth', 'advice'],
    ])
    expect(s[1]!.basis).toMatch(/needs the cards/)
    const built = buildPolicy({
      decisions: {
        file: {schemaVersion: '1.0', source: {cards: 'x'}, updatedAt: '2026-03-01T00:00:00Z', decisions},
        path: 'd.json',
      },
    })
    expect(built.policy.guards.duplicateCalls).toEqual([expect.objectContaining({scope: {}, tools: ['Read']})])
    expect(policyProblem(built.policy)).toBeUndefined()
    // Cards none of whose steps the decisions name (made on other traces): the decisions are left out, said so, and
    // credited nothing (trial 80); cards holding one of them keep the others, stale, as before.
    const other = trace('other', 'claude-code', 5, 0.01)
    const file = {schemaVersion: '1.0' as const, source: {cards: 'x'}, updatedAt: '2026-03-01T00:00:00Z', decisions}
    const elsewhere = buildPolicy({
      decisions: {file, path: 'd.json'},
      traces: {path: 'cards.ndjson', traces: [other], skipped: []},
    })
    expect(elsewhere.accepted).toEqual([])
    expect(elsewhere.suggestions).toEqual([])
    expect(elsewhere.notes.join('\n')).toMatch(/none of the 2 accepted decisions names a step of the cards/)
    const gone = {...decisions[1]!, stepId: 'vanished'}
    const partly = buildPolicy({
      decisions: {file: {...file, decisions: [...decisions, gone]}, path: 'd.json'},
      traces: {path: 'cards.ndjson', traces: [t], skipped: []},
    })
    expect(partly.accepted.map(a => a.stale === true)).toEqual([false, false, true])
    expect(partly.notes.join('\n')).toMatch(/1 accepted decision name steps the cards do not have/)
  })

  it('know which tools each subagent type called', () => {
    const traces = [
      trace('a', 'claude-code', 1, 0, {agent: 'Explore', toolsUsed: ['Grep', 'Read']}),
      trace('b', 'claude-code', 1, 0, {agent: 'Explore', toolsUsed: ['Glob']}),
      trace('c', 'claude-code', 1, 0, {toolsUsed: ['Bash']}),
    ]
    const usage = toolUsageByAgent(traces)
    expect([...usage.keys()]).toEqual(['Explore'])
    expect(usage.get('Explore')!.traces).toBe(2)
    expect([...usage.get('Explore')!.used].sort()).toEqual(['Glob', 'Grep', 'Read'])
  })
})

describe('traces from cards', () => {
  it('summarise a card and its subagents: calls, cost by model, tools, flags and the call each flag rests on', async () => {
    const card = await readOne(fixture('waste/duplicate-call.jsonl'))
    flagCard(card)
    const [s] = summariseCard(card)
    expect(s!.format).toBe('claude-code')
    expect(s!.llmCalls.length).toBe(card.totals.llmCalls)
    expect(Object.values(s!.costByModel).reduce((a, b) => a + b, 0)).toBeCloseTo(card.totals.costUsd, 12)
    expect(s!.flags.length).toBeGreaterThan(0)
    for (const f of s!.flags) {
      const step = card.steps.find(x => x.id === f.stepId)!
      expect(f.llmStepId).toBe(step.kind === 'llm' ? step.id : step.parentStepId)
    }
    const run = await analyze({
      paths: [fixture('claude-code/session-with-subagent')],
      home: '/nonexistent',
      env: {},
      keepCards: true,
      threads: 1,
    })
    const all = summariseCard(run.cards[0]!)
    expect(all.map(x => [x.id, x.agent, x.rootId])).toEqual([
      ['sess-parent-0004', undefined, 'sess-parent-0004'],
      ['sess-parent-0004/agent-a1b2c3d', 'Explore', 'sess-parent-0004'],
    ])
    expect(all[1]!.toolsUsed).toEqual(['Grep', 'Read'])
  })
})

describe('the expected saving', () => {
  it('scales spend per model by the cost the policy saves against it on held-out items, and by 30 days over the period', async () => {
    const t1 = trace('a', 'claude-code', 2, 1, {
      costByModel: {'claude-sonnet-4-5-20250929': 8, 'gpt-4o': 2},
      startedAt: '2026-01-01T00:00:00Z',
    })
    const t2 = trace('b', 'claude-code', 2, 1, {
      costByModel: {'claude-opus-4-6': 4},
      startedAt: '2026-01-11T00:00:00Z',
      endedAt: '2026-01-16T00:00:00Z',
    })
    const policy = buildPolicy({}).policy
    policy.tiers = [
      {name: 'cheap', model: 'claude-sonnet-4-5'},
      {name: 'strong', model: 'claude-opus-4-6'},
    ]
    policy.default = 'cheap'
    policy.evaluation = {
      test: {quality: 0.8, costUsd: 0.01},
      singleModels: [
        {model: 'claude-sonnet-4-5', quality: 0.8, costUsd: 0.01},
        {model: 'claude-opus-4-6', quality: 0.9, costUsd: 0.04},
      ],
      warnings: [],
    }
    const prune = pruneSuggestions([], [])
    // a subagent keeps its own model (no rule for subagents): its spend does not move, so it is left out
    const sub = trace('a/sub', 'claude-code', 1, 1, {
      rootId: 'a',
      agent: 'Explore',
      costByModel: {'claude-opus-4-6': 100},
    })
    // so is a subagent's transcript read without its session's file (a card of its own that names its parent): trial 33
    // found the Explore agent's haiku spend counted as moved while the PR said subagents were left out
    const agentFile = await readOne(
      fixture('claude-code/session-with-subagent/sess-parent-0004/subagents/agent-a1b2c3d.jsonl'),
    )
    expect(agentFile.parent).toBeDefined()
    const alone = summariseCard(agentFile)[0]!
    expect(alone.subagent).toBe(true)
    expect(summariseCard(await readOne(fixture('waste/duplicate-call.jsonl')))[0]!.subagent).toBe(false)
    const moved = {...alone, costByModel: {'claude-opus-4-6': 50}, startedAt: t2.startedAt, endedAt: t2.endedAt}
    const s = estimateSaving(policy, [t1, t2, sub, moved], prune, [{}])
    expect(s.routing.subagentsLeftOut).toBe(true)
    // 15 days; sonnet spend $8 saves nothing (the policy is sonnet); opus spend $4 × (1 − 0.01/0.04) = $3
    expect(s.period).toMatchObject({start: '2026-01-01T00:00:00Z', end: '2026-01-16T00:00:00Z', days: 15})
    expect(s.routing.rows.map(r => [r.model, r.candidate, r.spendUsd, r.costRatio])).toEqual([
      ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 8, 1],
      ['claude-opus-4-6', 'claude-opus-4-6', 4, 0.25],
    ])
    expect(s.routing.unmatched).toEqual([{model: 'gpt-4o', spendUsd: 2}])
    expect(s.routing.savingUsd).toBeCloseTo(3, 12)
    expect(s.routing.monthlyUsd).toBeCloseTo(6, 12)
    expect(s.monthlyUsd).toBeCloseTo(6, 12)

    expect(estimateSaving(policy, undefined, prune, [{}]).routing.note).toMatch(/no cards/)
    const unknown = structuredClone(policy)
    unknown.evaluation = {warnings: []}
    expect(estimateSaving(unknown, [t1, t2], prune, [{}]).routing.note).toMatch(/does not report/)
    // under a day of traces: no monthly figure
    const brief = trace('c', 'x', 1, 1, {startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T02:00:00Z'})
    expect(estimateSaving(policy, [brief], prune, [{}]).monthlyUsd).toBeUndefined()

    // Only the spend on calls a file here moves is credited (trial 80: a LiteLLM alias no agent called was credited with
    // every model's spend). A Claude Code alias stands for its whole family.
    for (const model of ['opus', 'anthropic/claude-opus-4-6', 'claude-opus-4-6-20260101']) {
      const only = estimateSaving(policy, [t1, t2], prune, [{model}])
      expect(
        only.routing.rows.map(r => r.model),
        model,
      ).toEqual(['claude-opus-4-6'])
      expect(only.routing.unmoved).toEqual([
        {model: 'claude-sonnet-4-5-20250929', spendUsd: 8},
        {model: 'gpt-4o', spendUsd: 2},
      ])
      expect(only.routing.savingUsd).toBeCloseTo(3, 12)
    }
    // And only in the traces of the agent the file configures (review 83: a SWE-agent config was credited with a Claude
    // Code session's spend on the model it named); a file for any agent (a proxy) moves them all.
    const swe = trace('s', 'swe-agent', 1, 1, {costByModel: {'claude-opus-4-6': 6}, startedAt: '2026-01-05T00:00:00Z'})
    const agentOnly = estimateSaving(policy, [t1, t2, swe], prune, [{model: 'claude-opus-4-6', formats: ['swe-agent']}])
    expect(agentOnly.routing.rows.map(r => [r.model, r.spendUsd])).toEqual([['claude-opus-4-6', 6]])
    // Its month is the rate over that agent's traces' period, not over other agents' (trial 123: a year of Claude Code
    // sessions made 89 days of Codex spend a quarter of its monthly rate). One swe-agent trace of under a day: no month.
    expect(agentOnly.periodTraces).toBe(1)
    expect(agentOnly.monthlyUsd).toBeUndefined()
    const swe2 = trace('s2', 'swe-agent', 1, 1, {
      costByModel: {'claude-opus-4-6': 6},
      startedAt: '2026-01-08T00:00:00Z',
    })
    const agentMonth = estimateSaving(policy, [t1, t2, swe, swe2], prune, [
      {model: 'claude-opus-4-6', formats: ['swe-agent']},
    ])
    expect(agentMonth.period).toMatchObject({start: '2026-01-05T00:00:00Z', end: '2026-01-08T00:00:00Z', days: 3})
    expect(agentMonth.routing.savingUsd).toBeCloseTo(9, 12)
    expect(agentMonth.monthlyUsd).toBeCloseTo(90, 12)
    // A prune for another agent beside it: one period scales both, so it is every trace's (review 125), not the two
    // agents' spans stretched over each other.
    const other = {expectedSavingUsd: 1, scope: {format: 'claude-code'}, flags: []} as unknown as PruneSuggestion
    const both = estimateSaving(
      policy,
      [t1, t2, swe, swe2],
      [other],
      [{model: 'claude-opus-4-6', formats: ['swe-agent']}],
    )
    expect(both.periodTraces).toBe(4)
    expect(both.period).toMatchObject({start: '2026-01-01T00:00:00Z', end: '2026-01-16T00:00:00Z', days: 15})
    // The same agent's: its traces alone.
    const same = {...other, scope: {format: 'swe-agent'}} as unknown as PruneSuggestion
    expect(
      estimateSaving(policy, [t1, t2, swe, swe2], [same], [{model: 'claude-opus-4-6', formats: ['swe-agent']}])
        .periodTraces,
    ).toBe(2)
    expect(agentOnly.routing.unmoved).toEqual([
      {model: 'claude-sonnet-4-5-20250929', spendUsd: 8},
      {model: 'claude-opus-4-6', spendUsd: 4},
      {model: 'gpt-4o', spendUsd: 2},
    ])
    const anyModel = estimateSaving(policy, [t1, t2, swe], prune, [{formats: ['claude-code']}])
    expect(anyModel.routing.rows.map(r => [r.model, r.spendUsd])).toEqual([
      ['claude-sonnet-4-5-20250929', 8],
      ['claude-opus-4-6', 4],
    ])
    expect(anyModel.routing.unmoved).toEqual([{model: 'claude-opus-4-6', spendUsd: 6}])
    const none = estimateSaving(policy, [t1, t2], prune, [{model: 'gpt-4o-mini'}, {model: 'haiku'}])
    expect(none.routing.rows).toEqual([])
    expect(none.routing.savingUsd).toBeUndefined()
    expect(none.routing.note).toBe(
      'no analysed call is one the files here move (claude-sonnet-4-5-20250929, claude-opus-4-6, gpt-4o ran elsewhere than the slots the files here change)',
    )
    // Moved calls of a model the router has no figures for are said as that, not as no call moved (review 83).
    const noFigures = estimateSaving(policy, [t1, t2], prune, [{model: 'gpt-4o'}])
    expect(noFigures.routing.note).toBe(
      'the router has no figures for the models of the calls the files here move (gpt-4o), and claude-sonnet-4-5-20250929, claude-opus-4-6 ran elsewhere than the slots the files here change',
    )
    expect(estimateSaving(policy, [t1, t2], prune, undefined).routing.note).toMatch(/no file here changes the routing/)
  })
})
