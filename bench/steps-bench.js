#!/usr/bin/env node
/**
 * Benchmark of the per-step labeller and router (issue 15): synthetic cards of 100,000 LLM steps, each
 * running one shell command (reads, searches, edits, tests, with failures and repeats mixed in), on two
 * models of different tiers. Times `aco label --auto`'s labelling (autoLabels) over them, trains a step
 * router on 2,000 of them (labels from a fixed rule by kind, with noise), and times routing every step
 * (routeCards: featurizing from the card up to the step, estimating, choosing the tier). Targets: labelling
 * 100,000 steps under 5 s; routing one step under 50 µs. CPU time is reported beside wall time (the machine
 * may be shared).
 *
 * Usage: npm run bench:steps   (or: node bench/steps-bench.js [--steps 100000])
 */
import {autoLabels} from '../dist/label/auto-label.js'
import {loadStepRouter, routeCards} from '../dist/learn/steps/router.js'
import {trainStepRouter} from '../dist/learn/steps/train.js'
import {PriceBook} from '../dist/price/book.js'

const args = process.argv.slice(2)
const target = Number(args[args.indexOf('--steps') + 1]) || 100_000
const PER_CARD = 50

function rng(seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const COMMANDS = [
  ['cat src/app.py', 'read'],
  ['grep -rn load src', 'search'],
  ["sed -i 's/a/b/' src/app.py", 'edit'],
  ['python -m pytest tests', 'test'],
  ['ls -la', 'search'],
  ['python reproduce.py', 'run'],
]

function card(id, n, random) {
  const steps = []
  const model = random() < 0.5 ? 'claude-haiku-4-5' : 'claude-sonnet-4-20250514'
  for (let i = 0; i < n; i++) {
    const [command] = COMMANDS[Math.floor(random() * COMMANDS.length)]
    const exit = random() < 0.1 ? 1 : 0
    steps.push({
      index: steps.length,
      id: `${id}-l${i}`,
      kind: 'llm',
      model,
      tokens: {input: 200, output: 80, cacheRead: 2000 + 100 * i, cacheWrite: 0, reasoning: 0},
      cost: {usd: 0.002, source: 'computed'},
      turn: 1 + Math.floor(i / 20),
      toolStepIds: [`${id}-t${i}`],
      text: `step ${i}`,
    })
    steps.push({
      index: steps.length,
      id: `${id}-t${i}`,
      kind: 'tool',
      parentStepId: `${id}-l${i}`,
      tool: {
        callId: `${id}-t${i}`,
        name: 'Bash',
        arguments: {command},
        argsHash: command,
        status: exit ? 'error' : 'ok',
        exitCode: exit,
        outputChars: 300,
      },
    })
  }
  return {
    schemaVersion: '1.0',
    id,
    source: {format: 'claude-code', path: `/bench/${id}.jsonl`},
    models: [model],
    totals: {
      costUsd: 0,
      tokens: {input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0},
      steps: steps.length,
      llmCalls: n,
      toolCalls: n,
      wastedUsd: 0,
      unpricedCalls: 0,
    },
    unpriced: [],
    steps,
    children: [],
    warnings: [],
  }
}

const random = rng(15)
const cards = []
for (let made = 0; made < target; made += PER_CARD)
  cards.push(card(`c${cards.length}`, Math.min(PER_CARD, target - made), random))

const time = f => {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const value = f()
  const cpu = process.cpuUsage(c0)
  return {value, wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000}
}

const labelled = time(() => autoLabels(cards))
console.log(
  `label --auto: ${target.toLocaleString()} LLM steps, ${labelled.value.length.toLocaleString()} labelled in ${(labelled.wall / 1000).toFixed(2)} s wall, ${(labelled.cpu / 1000).toFixed(2)} s CPU (target < 5 s)`,
)

// A router trained on 40 cards (2,000 steps): edits and failed tests need the stronger tier, with 10% noise.
const train = cards.slice(0, 40)
const decisions = []
for (const c of train)
  for (const s of c.steps) {
    if (s.kind !== 'llm') continue
    const call = c.steps[s.index + 1].tool
    const hard = call.arguments.command.startsWith('sed') || call.status === 'error'
    const flip = random() < 0.1
    decisions.push({
      traceId: c.id,
      rootTraceId: c.id,
      stepId: s.id,
      stepIndex: s.index,
      kind: 'llm',
      label: hard !== flip ? 'needs-stronger-model' : 'cheaper-model-ok',
      by: 'label',
      at: '2026-01-01T00:00:00.000Z',
    })
  }
const book = new PriceBook()
const {router} = trainStepRouter(
  train,
  {schemaVersion: '1.0', source: {cards: 'bench'}, updatedAt: '2026-01-01T00:00:00.000Z', decisions},
  book,
  {seed: 1, now: () => 0},
)
const loaded = loadStepRouter(router)
routeCards(loaded, cards.slice(0, 10), book)
const routed = time(() => routeCards(loaded, cards, book))
console.log(
  `route: ${routed.value.decisions.length.toLocaleString()} steps in ${(routed.wall / 1000).toFixed(2)} s wall, ${(routed.cpu / 1000).toFixed(2)} s CPU: ${((routed.wall * 1000) / target).toFixed(1)} µs a step wall, ${((routed.cpu * 1000) / target).toFixed(1)} µs CPU (target < 50 µs; load ${(await import('node:os')).loadavg()[0].toFixed(1)})`,
)
