/**
 * What the duplicate-call guard (`runGuard`) makes of one tool call, by aco's own model of tools and shell commands
 * (the waste detectors'): whether it may change anything, so it is never refused and makes earlier results stale (and
 * whether it leaves a process running, which goes on changing things); whether its answer may change by itself (a
 * poll, a page fetched), so it is never reused; or whether it only looks, so the same look with nothing changed since
 * can be answered with its result.
 * The prune suggestion that adds the guard counts as saving only the flags on calls the guard can refuse.
 */
import type {Step} from '../card/types.js'
import {classify, keepsBooks} from '../flag/actions.js'
import {mutates} from '../flag/effects.js'
import {argsHash} from '../util/hash.js'

/** `starts`: a change that leaves a process running (`cmd &`, Claude Code's `run_in_background`): it writes on. */
export type GuardCall = 'starts' | 'changes' | 'live' | 'look'

export function guardCall(name: string, args: unknown): GuardCall {
  const step: Step = {
    index: 0,
    id: 'guard',
    kind: 'tool',
    tool: {callId: 'guard', name, arguments: args, argsHash: '', status: 'ok'},
  }
  // (Bookkeeping, a todo list or a skill loaded, is no look at the project: never reused.)
  if (keepsBooks(step)) return 'live'
  const a = classify(step, {cwd: undefined})
  // (The shell model reads `&` and `nohup` as detached; Claude Code says it of the call in its arguments.)
  const background =
    a.detached === true ||
    (args !== null && typeof args === 'object' && (args as {run_in_background?: unknown}).run_in_background === true)
  if (background) return 'starts'
  if (mutates(a)) return 'changes'
  return a.volatile || a.kind === 'poll' || a.kind === 'task' ? 'live' : 'look'
}

/**
 * The tool steps of a card the duplicate-call guard would refuse, run over the card's calls as `runGuard` runs over a
 * task's: a look with the same tool and arguments as one since the last call that may have changed anything, and none
 * after a process was left running. A flag on any other step (a re-read of another range, a look after an edit or a
 * command aco cannot read) is waste the guard lets through: no saving of its.
 */
export function guardRefusals(steps: readonly Step[]): Set<Step> {
  const refused = new Set<Step>()
  const seen = new Set<string>()
  let live = false
  for (const step of steps) {
    if (step.kind !== 'tool' || !step.tool) continue
    const call = guardCall(step.tool.name, step.tool.arguments)
    if (call === 'changes' || call === 'starts') {
      seen.clear()
      if (call === 'starts') live = true
      continue
    }
    if (call === 'live' || live) continue
    const key = argsHash(step.tool.name, step.tool.arguments)
    if (seen.has(key)) refused.add(step)
    else seen.add(key)
  }
  return refused
}
