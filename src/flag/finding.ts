/**
 * A detector's finding before it becomes a flag: the step it is about, why,
 * how sure, which steps show it, and the dollars at stake split into the
 * share of the LLM call that issued the step and the cost of carrying its
 * result in later calls. `flagCard` turns findings into flags so that no
 * dollar is counted twice.
 */
import type {Step} from '../card/types.js'
import {clip} from '../util/text.js'
import type {FlagContext} from './context.js'

/** The waste detectors by name (flag/registry.ts has a row for each). */
export type DetectorKind =
  | 'loop'
  | 'failed-repeat'
  | 'duplicate-call'
  | 'reread-unchanged'
  | 'near-duplicate'
  | 'unused-output'
  | 'context-growth'

export interface Finding {
  kind: DetectorKind
  /** The step the flag goes on. */
  step: Step
  reason: string
  confidence: number
  /** Ids of the steps that show why (e.g. the earlier identical call). */
  evidence: string[]
  /** The LLM call whose cost this finding claims, and how much of it. */
  own: {llm?: Step; usd: number}
  /** The cost of carrying this step's result in later calls' context. */
  carryUsd: number
}

/** A detector: a pure function of the card (through its context) and of the findings of detectors run before it. */
export type Detector = (ctx: FlagContext, earlier: readonly Finding[]) => Finding[]

/** A finding about a redundant tool step: its share of the issuing call plus the carrying of its result. */
export function toolFinding(
  ctx: FlagContext,
  kind: DetectorKind,
  step: Step,
  reason: string,
  confidence: number,
  evidence: string[],
  carriedShare = 1,
): Finding {
  const own = ctx.ownShare(step)
  const carry = ctx.carry(step.index, ctx.outputTokens(step) * carriedShare)
  return {
    kind,
    step,
    reason,
    confidence,
    evidence,
    own: {llm: own.llm, usd: own.usd * carriedShare},
    carryUsd: carry.usd,
  }
}

/** Steps named in a reason: `step 40`, `steps 40 and 53`, `steps 40, 53 and 60`. */
export function stepList(steps: readonly Step[]): string {
  const n = steps.map(s => s.index)
  if (n.length <= 1) return `step ${n[0] ?? ''}`
  return `steps ${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`
}

/** A short, readable description of a tool call for reasons: `Read src/a.ts`, `Bash: npm test`. */
export function describeCall(step: Step, redact = true): string {
  const tool = step.tool
  if (!tool) return step.id
  const args = tool.arguments as Record<string, unknown> | string | undefined
  let detail = ''
  if (typeof args === 'string') detail = args
  else if (args && typeof args === 'object') {
    const first =
      args.file_path ??
      args.command ??
      args.cmd ??
      args.pattern ??
      args.query ??
      args.url ??
      args.path ??
      Object.values(args)[0]
    // A command as an array of words (`["bash", "-lc", "ls"]`); not a list of objects (a todo list).
    detail =
      typeof first === 'string'
        ? first
        : Array.isArray(first) && first.every(w => typeof w === 'string')
          ? first.join(' ')
          : ''
  }
  detail = clip(detail, 60, {oneLine: true, redact})
  if (!detail) return tool.name
  // SWE-agent's commands are their own tool's name and arguments (`edit 287:295 …`): the name once.
  return detail === tool.name || detail.startsWith(`${tool.name} `) ? detail : `${tool.name} ${detail}`
}
