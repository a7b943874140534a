/**
 * What every waste detector needs to know about a card, computed once in
 * O(n): each tool step's action, the state of files at each step (so a
 * detector can tell whether an earlier result still holds), and the price of
 * carrying a tool result as context in the LLM calls that follow it.
 */
import type {Step, TraceCard} from '../card/types.js'
import {classify, mutates, type Action} from './actions.js'

/** Roughly four characters per token: the usual measure for English and code. */
export const CHARS_PER_TOKEN = 4

export interface FlagContext {
  readonly card: TraceCard
  readonly steps: readonly Step[]
  readonly byId: ReadonlyMap<string, Step>
  /** The action of each tool step (by step index). */
  readonly actions: ReadonlyArray<Action | undefined>
  /** A counter that moves whenever any file may have changed: equal values mean nothing changed in between. */
  readonly epochBefore: Int32Array
  readonly epochAfter: Int32Array
  /** Per step: a small integer naming the call (tool and normalised arguments); equal numbers = the same call. -1 for LLM steps. */
  readonly callKey: Int32Array
  /** Per step: a small integer naming the result (its hash, or its status when unknown). */
  readonly resultKey: Int32Array
  /** For a file: the epochs at which it was written (so a reader can tell whether it changed). */
  fileChangedBetween(file: string, from: number, to: number): boolean
  /** The cost of carrying `tokens` as context in the LLM calls after step `index`, and in how many calls. */
  carry(index: number, tokens: number): {usd: number; calls: number}
  /** The share of the issuing LLM call's cost that one of its tool calls accounts for. */
  ownShare(step: Step): {llmStepId?: string; usd: number}
  /** Estimated tokens of a tool step's result. */
  outputTokens(step: Step): number
}

export function buildContext(card: TraceCard): FlagContext {
  const steps = card.steps
  const n = steps.length
  const byId = new Map<string, Step>()
  const actions: Array<Action | undefined> = new Array(n)
  const epochBefore = new Int32Array(n)
  const epochAfter = new Int32Array(n)
  const callKey = new Int32Array(n).fill(-1)
  const resultKey = new Int32Array(n).fill(-1)
  const calls = new Map<string, number>()
  const results = new Map<string, number>()
  // The same call (by name and arguments) is classified once.
  const classified = new Map<number, Action>()
  const fileWrites = new Map<string, number[]>()
  const anyWrites: number[] = []
  let epoch = 0
  for (let i = 0; i < n; i++) {
    const step = steps[i]!
    byId.set(step.id, step)
    epochBefore[i] = epoch
    if (step.kind === 'tool' && step.tool) {
      const tool = step.tool
      // argsHash covers the tool's name too.
      let key = calls.get(tool.argsHash)
      if (key === undefined) {
        key = calls.size
        calls.set(tool.argsHash, key)
      }
      callKey[i] = key
      const resultText = tool.outputHash ?? `\u0000${tool.status}`
      let rkey = results.get(resultText)
      if (rkey === undefined) {
        rkey = results.size
        results.set(resultText, rkey)
      }
      resultKey[i] = rkey
      let action = classified.get(key)
      if (!action) {
        action = classify(step, card.cwd)
        classified.set(key, action)
      }
      actions[i] = action
      // A failed write changed nothing we can rely on; count it anyway unless it clearly failed.
      if (mutates(action) && step.tool.status !== 'error') {
        epoch++
        if (action.mutatesAny || !action.writes?.length) anyWrites.push(epoch)
        for (const file of action.writes ?? []) {
          const list = fileWrites.get(file) ?? []
          list.push(epoch)
          fileWrites.set(file, list)
        }
      }
    }
    epochAfter[i] = epoch
  }

  // LLM calls in order, their prompt sizes and blended per-token prompt rates.
  const llm: number[] = []
  for (let i = 0; i < n; i++) if (steps[i]!.kind === 'llm') llm.push(i)
  const prompt = llm.map(i => promptTokens(steps[i]!))
  const rate = llm.map((i, k) => {
    const cost = steps[i]!.cost
    const p = prompt[k]!
    if (!cost || cost.usd === null || p <= 0) return 0
    return (cost.inputUsd ?? cost.usd) / p
  })
  const prefix = [0]
  for (const r of rate) prefix.push(prefix[prefix.length - 1]! + r)
  // The first later call whose prompt is smaller: the context was compacted or reset there.
  const reset = new Array<number>(llm.length).fill(llm.length)
  const stack: number[] = []
  for (let k = 0; k < llm.length; k++) {
    while (stack.length && prompt[k]! < prompt[stack[stack.length - 1]!]!) reset[stack.pop()!] = k
    stack.push(k)
  }
  // For each step index, the position (in `llm`) of the first LLM call after it.
  const nextLlm = new Array<number>(n)
  for (let i = n - 1, k = llm.length; i >= 0; i--) {
    nextLlm[i] = k
    if (steps[i]!.kind === 'llm') k--
  }

  return {
    card,
    steps,
    byId,
    actions,
    epochBefore,
    epochAfter,
    callKey,
    resultKey,
    fileChangedBetween(file, from, to) {
      if (from >= to) return false
      return changedIn(anyWrites, from, to) || changedIn(fileWrites.get(file), from, to)
    },
    carry(index, tokens) {
      const k0 = nextLlm[index] ?? llm.length
      if (k0 >= llm.length || tokens <= 0) return {usd: 0, calls: 0}
      const end = reset[k0]!
      return {usd: tokens * (prefix[end]! - prefix[k0]!), calls: end - k0}
    },
    ownShare(step) {
      const parent = step.parentStepId ? byId.get(step.parentStepId) : undefined
      const usd = parent?.cost?.usd ?? 0
      return {llmStepId: parent?.id, usd: usd / Math.max(1, parent?.toolStepIds?.length ?? 1)}
    },
    outputTokens(step) {
      return Math.round((step.tool?.outputChars ?? 0) / CHARS_PER_TOKEN)
    },
  }
}

export function promptTokens(step: Step): number {
  const t = step.tokens
  return t ? t.input + t.cacheRead + t.cacheWrite : 0
}

/** Whether the sorted list has a value in (from, to]: a binary search. */
function changedIn(sorted: readonly number[] | undefined, from: number, to: number): boolean {
  if (!sorted?.length) return false
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! <= from) lo = mid + 1
    else hi = mid
  }
  return lo < sorted.length && sorted[lo]! <= to
}
