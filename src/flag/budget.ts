/**
 * The dollars flags may claim: each LLM call's cost, once. A flag claims its
 * share of the call that issued its step, and the carrying of its result in
 * the calls after it; several flags can name the same later calls (ten
 * identical reads are all carried by the eleventh call), so each claim takes
 * only what is left of those calls' cost. The wasted dollars of a card never
 * exceed what it cost.
 */
import type {Step} from '../card/types.js'

export class CostBudget {
  /** Unclaimed dollars of each LLM call, in order. */
  private readonly left: number[] = []
  /** For each step index, its position among the LLM calls (-1 for other steps). */
  private readonly position: Int32Array
  /** For each step index, the position of the first LLM call after it. */
  private readonly nextLlm: Int32Array
  /** Skip pointers over spent calls (a union-find's parent array), so claims stay near linear in total. */
  private readonly skip: Int32Array

  constructor(steps: readonly Step[]) {
    this.position = new Int32Array(steps.length).fill(-1)
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      if (step.kind !== 'llm') continue
      this.position[i] = this.left.length
      const usd = step.cost?.usd
      this.left.push(typeof usd === 'number' && Number.isFinite(usd) && usd > 0 ? usd : 0)
    }
    this.nextLlm = new Int32Array(steps.length)
    for (let i = steps.length - 1, k = this.left.length; i >= 0; i--) {
      this.nextLlm[i] = k
      if (steps[i]!.kind === 'llm') k--
    }
    this.skip = Int32Array.from({length: this.left.length + 1}, (_, k) => k)
  }

  /** Claims up to `usd` of the LLM call at step index `llmIndex`; returns what was granted. */
  claim(llmIndex: number, usd: number): number {
    const k = this.position[llmIndex] ?? -1
    if (k === -1 || !(usd > 0)) return 0
    const granted = Math.min(usd, this.left[k]!)
    this.left[k]! -= granted
    return granted
  }

  /** Claims up to `usd` from the LLM calls after step `index`, earliest first; returns what was granted. */
  claimAfter(index: number, usd: number): number {
    if (!(usd > 0)) return 0
    let want = usd
    let k = this.find(this.nextLlm[index] ?? this.left.length)
    while (want > 0 && k < this.left.length) {
      const take = Math.min(want, this.left[k]!)
      this.left[k]! -= take
      want -= take
      if (this.left[k]! <= 0) {
        this.skip[k] = k + 1
        k = this.find(k + 1)
      }
    }
    return usd - want
  }

  /** The first call at or after `k` with dollars left. */
  private find(k: number): number {
    let root = k
    while (root < this.left.length && (this.skip[root] !== root || this.left[root]! <= 0)) {
      if (this.skip[root] === root) this.skip[root] = root + 1
      root = this.skip[root]!
    }
    // Path compression: later searches jump straight there.
    while (k !== root && k < this.left.length) {
      const next = this.skip[k]!
      this.skip[k] = root
      k = next
    }
    return root
  }
}
