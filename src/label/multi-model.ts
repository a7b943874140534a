/**
 * How each model fared at each kind of step where several models worked on
 * the same task or in the same session: the same SWE-bench instance run by two
 * models, a session whose subagents ran on a smaller model, an aider history
 * that switched models. Runs are grouped by task id and by session (a root
 * card and its subagents); within a group, each model's steps of one kind
 * (read, search, edit, test…: actions.ts) are counted with how many
 * struggled or were wasted (evidence.ts).
 *
 * For a clearly cheaper model c (at most 2/3 of the other's input price) and
 * a dearer model d, at a kind of step both took at least `MIN_STEPS` times and
 * execution judged:
 * - c struggled no more often than d (within 5 points): d's steps of that kind
 *   did not need d → `cheaper-model-ok`;
 * - c struggled at least 20 points more often: c's struggling steps of that
 *   kind needed more → `needs-stronger-model`, more surely than their own
 *   execution alone says.
 * Models the catalog has no price for are not compared.
 */
import type {Step, TraceCard} from '../card/types.js'
import {PriceBook} from '../price/book.js'
import {inputPricePerMillion} from '../price/reference.js'
import type {Label} from '../review/decisions.js'
import type {StepEvidence} from './evidence.js'

/** Steps of a kind each model needs before two models are compared at it. */
const MIN_STEPS = 3
/** A model is clearly cheaper at this share of the other's price or less. */
const CHEAPER_SHARE = 2 / 3
const AS_WELL_MARGIN = 0.05
const WORSE_MARGIN = 0.2
const MULTI_MODEL_STRENGTH = {cheaperOk: 0.4, needsStronger: 0.3, boost: 0.2, cap: 0.9} as const

type Evidence = StepEvidence & {root: TraceCard}

export interface MultiModelLabel {
  step: Evidence
  label: Extract<Label, 'cheaper-model-ok' | 'needs-stronger-model'>
  strength: number
  evidence: string
}

interface Tally {
  judged: number
  struggled: number
  steps: Evidence[]
}

/** Groups of evidence that share a task id or a session (union-find over both keys). */
function groups(evidence: readonly Evidence[]): Evidence[][] {
  const parent = new Map<string, string>()
  const find = (k: string): string => {
    let r = k
    while (parent.get(r) !== r) r = parent.get(r) ?? r
    parent.set(k, r)
    return r
  }
  const union = (a: string, b: string): void => {
    for (const k of [a, b]) if (!parent.has(k)) parent.set(k, k)
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(ra, rb)
  }
  for (const ev of evidence) {
    const session = `session\u0000${ev.root.id}`
    union(session, session)
    const task = ev.root.task?.id ?? ev.card.task?.id
    if (task) union(session, `task\u0000${task}`)
  }
  const out = new Map<string, Evidence[]>()
  for (const ev of evidence) {
    const k = find(`session\u0000${ev.root.id}`)
    const list = out.get(k)
    if (list) list.push(ev)
    else out.set(k, [ev])
  }
  return [...out.values()]
}

function pct(t: Tally): string {
  return `${Math.round((t.struggled / t.judged) * 100)}% of ${t.judged}`
}

/** Labels from comparing models on shared tasks and sessions (see the module comment). */
export function multiModelEvidence(
  evidence: readonly Evidence[],
  book: PriceBook = new PriceBook(),
): MultiModelLabel[] {
  const out: MultiModelLabel[] = []
  const priceOf = new Map<string, number | undefined>()
  const price = (model: string): number | undefined => {
    if (!priceOf.has(model)) priceOf.set(model, inputPricePerMillion(book, model))
    return priceOf.get(model)
  }
  for (const group of groups(evidence)) {
    // model → kind → tally
    const byModel = new Map<string, Map<string, Tally>>()
    for (const ev of group) {
      const model = ev.step.model
      if (!model || ev.action === 'answer') continue
      let kinds = byModel.get(model)
      if (!kinds) {
        kinds = new Map()
        byModel.set(model, kinds)
      }
      let t = kinds.get(ev.action)
      if (!t) {
        t = {judged: 0, struggled: 0, steps: []}
        kinds.set(ev.action, t)
      }
      t.steps.push(ev)
      if (!ev.verdict) continue
      t.judged++
      if (ev.verdict !== 'done') t.struggled++
    }
    if (byModel.size < 2) continue
    const models = [...byModel.keys()]
      .filter(m => price(m) !== undefined)
      .sort((a, b) => price(a)! - price(b)! || (a < b ? -1 : 1))
    const cheaperOk = new Map<Step, MultiModelLabel>()
    const stronger = new Map<Step, MultiModelLabel>()
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const c = models[i]!
        const d = models[j]!
        if (!(price(c)! <= CHEAPER_SHARE * price(d)!)) continue
        for (const [kind, tc] of byModel.get(c)!) {
          const td = byModel.get(d)!.get(kind)
          if (!td || tc.judged < MIN_STEPS || td.judged < MIN_STEPS) continue
          const rc = tc.struggled / tc.judged
          const rd = td.struggled / td.judged
          const where = `on the same task or session ${c} struggled at ${pct(tc)} ${kind} steps, ${d} at ${pct(td)}`
          if (rc <= rd + AS_WELL_MARGIN) {
            for (const ev of td.steps)
              if (ev.verdict !== 'struggle' && ev.verdict !== 'wasted')
                cheaperOk.set(ev.step, {
                  step: ev,
                  label: 'cheaper-model-ok',
                  strength: MULTI_MODEL_STRENGTH.cheaperOk,
                  evidence: where,
                })
          } else if (rc >= rd + WORSE_MARGIN) {
            for (const ev of tc.steps)
              if (ev.verdict === 'struggle')
                stronger.set(ev.step, {
                  step: ev,
                  label: 'needs-stronger-model',
                  strength: Math.min(
                    MULTI_MODEL_STRENGTH.cap,
                    Math.max(MULTI_MODEL_STRENGTH.needsStronger, ev.strength + MULTI_MODEL_STRENGTH.boost),
                  ),
                  evidence: where,
                })
          }
        }
      }
    }
    out.push(...cheaperOk.values(), ...stronger.values())
  }
  return out
}
