#!/usr/bin/env node
/**
 * The hand labels of test/corpus/step-labels/ as a decisions file (schemas/decisions.schema.json), for
 * `aco label --auto` and `aco train --steps` over the corpus:
 *
 *   node scripts/step-labels.js CARDS OUT.json [LABELS_DIR]
 *
 * CARDS is the cards.ndjson (or its folder) of `aco analyze ../shared/corpus --out DIR`. Each label names
 * its step by card id + step id; when an analysis gave the step another id, it is found by card id and
 * ordinal among the card's LLM steps (the `n` of the label file). Labels whose step is in no card are
 * counted and left out. Every label is a person's (`by: label`, no labelSource).
 */
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

/** Every card of a cards file, subagents included, by id. */
function cardsById(cardsPath) {
  const file = statSync(cardsPath).isDirectory() ? join(cardsPath, 'cards.ndjson') : cardsPath
  const byId = new Map()
  const visit = (card, root) => {
    byId.set(card.id, {card, root})
    for (const child of card.children ?? []) visit(child, root)
  }
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) visit(JSON.parse(line), JSON.parse(line))
  return {file: resolve(file), byId}
}

/** The decisions file of the hand labels in `labelsDir` over the cards at `cardsPath`. */
export function handDecisions(cardsPath, labelsDir, at = '2026-01-01T00:00:00.000Z') {
  const {file, byId} = cardsById(cardsPath)
  const decisions = []
  let missing = 0
  for (const name of readdirSync(labelsDir)
    .filter(f => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(join(labelsDir, name), 'utf8'))
    for (const l of doc.steps) {
      const hit = byId.get(l.traceId)
      if (!hit) {
        missing++
        continue
      }
      const llm = hit.card.steps.filter(s => s.kind === 'llm')
      const step = llm.find(s => s.id === l.step) ?? llm[l.n - 1]
      if (!step) {
        missing++
        continue
      }
      const d = {traceId: hit.card.id, rootTraceId: hit.root.id, stepId: step.id, stepIndex: step.index, kind: 'llm'}
      if (step.model) d.model = step.model
      if (typeof step.cost?.usd === 'number') d.costUsd = step.cost.usd
      decisions.push({...d, label: l.label, by: 'label', at})
    }
  }
  return {schemaVersion: '1.0', source: {cards: file}, updatedAt: at, decisions, missing}
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cards, out, dir] = process.argv.slice(2)
  if (!cards || !out) {
    console.error('usage: node scripts/step-labels.js CARDS OUT.json [LABELS_DIR]')
    process.exit(2)
  }
  const labelsDir = dir ?? new URL('../test/corpus/step-labels/', import.meta.url).pathname
  if (!existsSync(labelsDir)) {
    console.error(`no labels at ${labelsDir}`)
    process.exit(2)
  }
  const {missing, ...file} = handDecisions(cards, labelsDir)
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`)
  console.error(
    `${file.decisions.length} hand labels written to ${out}${missing ? `; ${missing} name steps in no card` : ''}`,
  )
}
