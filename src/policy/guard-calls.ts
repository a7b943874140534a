/**
 * What the duplicate-call guard (`runGuard`) makes of one tool call, by aco's own model of tools and shell commands
 * (the waste detectors'): whether it may change anything, so it is never refused and makes earlier results stale;
 * whether its answer may change by itself (a poll, a page fetched, a process started in the background), so it is
 * never reused; or whether it only looks, so the same look with nothing changed since can be answered with its result.
 * The prune suggestion that adds the guard counts as saving only the flags on calls the guard can refuse.
 */
import type {Step} from '../card/types.js'
import {classify, keepsBooks, shellLine} from '../flag/actions.js'
import {mutates} from '../flag/effects.js'

export type GuardCall = 'changes' | 'live' | 'look'

/** A command left running in the background (`cmd &`, Claude Code's `run_in_background`): what it writes goes on. */
const BACKGROUND = /&\s*(?:$|\n|;)|(?:^|[;&|]\s*)nohup\s/

/** Whether a call leaves a process running in the background. */
export function backgroundStarted(args: unknown): boolean {
  return (
    (args !== null && typeof args === 'object' && (args as {run_in_background?: unknown}).run_in_background === true) ||
    BACKGROUND.test(shellLine(args))
  )
}

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
  if (backgroundStarted(args) || mutates(a)) return 'changes'
  return a.volatile || a.kind === 'poll' || a.kind === 'task' ? 'live' : 'look'
}
