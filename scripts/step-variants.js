#!/usr/bin/env node
/**
 * The per-step router's feature variants, chosen by nested cross-validation (the protocol written in README.md,
 * "Pre-registered evaluation on the enlarged labels"):
 *
 *   npm run build && node scripts/step-variants.js CARDS DECISIONS.json
 *
 * CARDS is the folder (or cards.ndjson) of `aco analyze`, DECISIONS the decisions file `aco train --steps` reads
 * (hand labels from scripts/step-labels.js, plus `aco label --auto`). For every variant, the outer held-out
 * estimates come from the same trace-grouped 5-fold cross-validation as `aco train --steps` (seed 1; the folds
 * depend on the labels and the seed, not on the features). For each outer fold, every variant is scored by the
 * AUC of a 4-fold trace-grouped cross-validation over that fold's training groups only (seed 1), and the best one
 * predicts the held-out fold. The pooled held-out AUC of that procedure, with a 95% bootstrap interval over trace
 * groups, is what the choice is worth on new traces; the variant the same inner cross-validation picks over all
 * groups is the one to ship. Progress on stderr, the result as JSON on stdout.
 */
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {weightedAuc as auc} from '../dist/learn/steps/metrics.js'
import {heldOutStepEstimates} from '../dist/learn/steps/train.js'
import {PriceBook} from '../dist/price/book.js'

const BASE = ['action', 'prev_status', 'errors_recent', 'person_spoke']
/** Fixed before any was measured (README). */
const VARIANTS = {
  V0: BASE,
  V1: [...BASE, 'rule_cheap'],
  V2: [...BASE, 'prev_exit', 'prev_result_chars', 'retries_recent'],
  V3: [...BASE, 'files_touched', 'files_edited'],
  V4: [...BASE, 'text'],
  V5: ['rule_cheap', 'prev_status', 'errors_recent', 'person_spoke'],
  V6: [...BASE, 'rule_cheap', 'prev_exit', 'prev_result_chars', 'retries_recent', 'files_touched', 'files_edited'],
}
const SEED = 1
const OUTER = 5
const INNER = 4
const DRAWS = 400

function rng(seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** AUC with a 95% bootstrap interval over groups. */
function aucInterval(score, y, groups, seed) {
  const value = auc(score, y)
  const names = [...new Set(groups)]
  const r = rng(seed)
  const draws = []
  for (let d = 0; d < DRAWS; d++) {
    const count = new Map()
    for (let j = 0; j < names.length; j++) {
      const g = names[Math.floor(r() * names.length)]
      count.set(g, (count.get(g) ?? 0) + 1)
    }
    const v = auc(
      score,
      y,
      groups.map(g => count.get(g) ?? 0),
    )
    if (Number.isFinite(v)) draws.push(v)
  }
  draws.sort((a, b) => a - b)
  const at = q => draws[Math.min(draws.length - 1, Math.floor(q * draws.length))]
  return {value: round(value), low: round(at(0.025)), high: round(at(0.975))}
}

const round = v => Math.round(v * 1000) / 1000

/** People's labels of a held-out run: score (P(cheapest not enough)), target, group. */
function personRows(run) {
  const rows = []
  run.steps.forEach((s, i) => {
    if (s.source === 'person')
      rows.push({i, score: 1 - run.p0[i], y: s.label === 'needs-stronger-model' ? 1 : 0, group: s.group})
  })
  return rows
}

function readCards(path) {
  const file = statSync(path).isDirectory() ? join(path, 'cards.ndjson') : path
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(l => l.trim())
    .map(l => JSON.parse(l))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cardsPath, decisionsPath] = process.argv.slice(2)
  if (!cardsPath || !decisionsPath) {
    console.error('usage: node scripts/step-variants.js CARDS DECISIONS.json')
    process.exit(2)
  }
  const roots = readCards(cardsPath)
  const decisions = JSON.parse(readFileSync(decisionsPath, 'utf8'))
  const book = new PriceBook()
  const base = {seed: SEED, now: () => 0}
  const key = (t, s) => `${t}\u0000${s}`

  // Outer: every variant's held-out estimates over the same folds.
  const outer = {}
  for (const [name, features] of Object.entries(VARIANTS)) {
    console.error(`outer cross-validation: ${name}`)
    outer[name] = heldOutStepEstimates(roots, decisions, book, {...base, folds: OUTER, features})
  }
  const ref = outer.V0
  const groupOf = new Map(ref.steps.map((s, i) => [key(s.traceId, s.stepId), {group: s.group, fold: ref.folds[i]}]))
  for (const run of Object.values(outer))
    run.steps.forEach((s, i) => {
      if (run.folds[i] !== ref.folds[i] || s.stepId !== ref.steps[i].stepId) throw new Error('outer folds differ')
    })

  /** Inner AUC of a variant over the decisions whose steps are in `keep` groups. */
  const inner = (features, keep) => {
    const sub = {
      ...decisions,
      decisions: decisions.decisions.filter(d => {
        const g = groupOf.get(key(d.traceId, d.stepId))
        return g !== undefined && keep(g)
      }),
    }
    const run = heldOutStepEstimates(roots, sub, book, {...base, folds: INNER, features})
    const rows = personRows(run)
    return auc(
      rows.map(r => r.score),
      rows.map(r => r.y),
    )
  }

  // Per outer fold: choose on the training groups only, predict the held-out fold with the choice.
  const chosen = []
  const folds = []
  for (let f = 0; f < OUTER; f++) {
    const scores = {}
    for (const [name, features] of Object.entries(VARIANTS)) {
      console.error(`outer fold ${f + 1}: inner cross-validation of ${name}`)
      scores[name] = round(inner(features, g => g.fold !== f))
    }
    const best = Object.entries(scores).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]
    chosen[f] = best
    folds.push({fold: f + 1, innerAuc: scores, chosen: best})
  }
  const rows = personRows(ref).map(r => {
    const f = ref.folds[r.i]
    return {...r, score: 1 - outer[chosen[f]].p0[r.i]}
  })
  const nested = aucInterval(
    rows.map(r => r.score),
    rows.map(r => r.y),
    rows.map(r => r.group),
    SEED * 7919 + 1,
  )

  // The variant to ship: the same inner cross-validation over every group.
  const overall = {}
  for (const [name, features] of Object.entries(VARIANTS)) {
    console.error(`all groups: cross-validation of ${name}`)
    overall[name] = round(inner(features, () => true))
  }
  const ship = Object.entries(overall).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]

  // Each variant's own outer held-out AUC, for the record only (never used to choose).
  const perVariant = {}
  for (const [name, run] of Object.entries(outer)) {
    const r = personRows(run)
    perVariant[name] = aucInterval(
      r.map(x => x.score),
      r.map(x => x.y),
      r.map(x => x.group),
      SEED * 7919 + 1,
    )
  }
  console.log(
    JSON.stringify(
      {
        protocol: {seed: SEED, outerFolds: OUTER, innerFolds: INNER, metric: 'AUC of needs-stronger-model'},
        variants: VARIANTS,
        folds,
        nestedHeldOutAuc: nested,
        chosenOnAllGroups: {innerAuc: overall, chosen: ship},
        outerAucPerVariantNotUsedToChoose: perVariant,
      },
      null,
      2,
    ),
  )
}
