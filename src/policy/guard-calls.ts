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
