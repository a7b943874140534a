/**
 * What a step's label says about each tier, cheapest first: on which tiers the
 * step "goes well" (the tier is enough: no stronger tier would have done
 * better) and on which it does not. The router estimates, per tier, the
 * probability that a step like this one goes well there.
 *
 * - `cheaper-model-ok`: every tier is enough.
 * - `wasted`: nothing (the step should not have been taken at all: it says
 *   nothing of the tier such a step needs when it is worth taking; pruning
 *   it is the fix, and the prune patches carry that). Counting it as "any
 *   tier is enough" would teach the router that steps in a failing chain are
 *   safe on the cheapest tier. (An earlier session also saw it lower the
 *   held-out AUC on the hand labels; that look makes the corpus figures a
 *   little optimistic, which the README says.)
 * - `fine`: the tier that ran it and every stronger one are enough; nothing
 *   is said of cheaper ones.
 * - `needs-stronger-model`: the cheapest tier is not enough; neither is the
 *   tier that ran it, unless it was the strongest; the tiers above it (the
 *   strongest at least) are.
 * A step whose model has no tier says what it says of the cheapest and the
 * strongest only.
 */
import type {Label} from '../../review/decisions.js'

export interface TierEvidence {
  good: number[]
  bad: number[]
}

/** Good and bad tiers (indices, cheapest first) of a label on a step run on tier `ran` of `count`. */
export function tierEvidence(label: Label, ran: number | undefined, count: number): TierEvidence {
  const all = Array.from({length: count}, (_, i) => i)
  const top = count - 1
  switch (label) {
    case 'cheaper-model-ok':
      return {good: all, bad: []}
    case 'wasted':
      return {good: [], bad: []}
    case 'fine':
      return {good: ran === undefined ? [top] : all.filter(k => k >= ran), bad: []}
    case 'needs-stronger-model': {
      if (count < 2) return {good: [], bad: []}
      if (ran === undefined) return {good: [top], bad: [0]}
      if (ran >= top) return {good: [top], bad: all.filter(k => k < top)}
      return {good: all.filter(k => k > ran), bad: all.filter(k => k <= ran)}
    }
    default:
      return label satisfies never
  }
}
