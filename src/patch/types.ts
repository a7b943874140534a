/** The shapes a patch run passes between its steps: the plan of each target, and the plan as a whole. */
import type {BuiltPolicy} from '../policy/build.js'
import type {SavingEstimate} from '../policy/saving.js'
import type {TargetPlace} from './repo.js'
import type {Rendered} from './target.js'

export type TargetStatus = 'patch' | 'already-applied' | 'nothing-to-do' | 'unreadable'

export interface TargetPlan {
  /** 1-based, in the order given. */
  index: number
  kind: string
  place: TargetPlace
  status: TargetStatus
  /** The content read (undefined: the file is not there yet). */
  before?: string
  /** sha256 of what was read ('absent' for no file), to refuse writing over a file that changed since. */
  beforeHash: string
  after?: string
  diff?: string
  /** `NN-KIND-FILE.patch`. */
  patchFile?: string
  /** False when the patch does not apply as written: a line beside a change holds a secret, shown redacted. */
  appliesAsIs?: false
  rendered?: Rendered
  error?: {line?: number; message: string}
}

export interface PatchInputs {
  router?: string
  evaluation?: string
  decisions?: string
  cards?: string
  traces?: number
  /** `--accept-above`: every flag of the cards at least this confident was accepted. */
  acceptAbove?: number
  /** The formats of the analysed traces (`claude-code`, `swe-agent`), sorted. */
  formats?: string[]
}

/**
 * Why merging would change nothing, when it would not: every file already says what the policy says (`applied`, one at
 * least; the others have nothing it can express), what it can of it while the rest no file here can express (`partly`:
 * an alias from a YAML anchor, per-item routing in a proxy, with no aco-policy file given; trial 85), or no file can express any of it (`inexpressible`). Nothing is then saved, which
 * is no figure measured. `cannot`: how many things of the policy a target cannot express.
 */
export function nothingToMerge<T extends {status: string; kind: string}>(
  targets: readonly T[],
  cannot: (t: T) => number,
): 'applied' | 'partly' | 'inexpressible' | undefined {
  if (!targets.length || !targets.every(t => t.status === 'already-applied' || t.status === 'nothing-to-do'))
    return undefined
  if (!targets.some(t => t.status === 'already-applied')) return 'inexpressible'
  // (aco's policy file says all of the policy: what another file cannot express, it does.)
  const whole = targets.some(t => t.kind === 'aco-policy' && t.status === 'already-applied')
  return !whole && targets.some(t => cannot(t) > 0) ? 'partly' : 'applied'
}

export interface PatchPlan {
  built: BuiltPolicy
  saving: SavingEstimate
  targets: TargetPlan[]
  inputs: PatchInputs
  notes: string[]
  /**
   * Where the router chooses among models the traces' calls did not run (a router trained on an outcome table of other
   * models): what it says, for PR.md's evaluation and the summary. Its figures do not cover that work.
   */
  offModels?: string
  prMarkdown: string
}

/**
 * Whether the only files that change (a patch, or written with --write) are instructions files: rules for the agent,
 * credited with no saving, so no figure is given (trial 76: "$0.00 per 30 days" read as measured).
 */
export function rulesOnly(targets: ReadonlyArray<{status: string; kind: string}>): boolean {
  const changing = targets.filter(t => t.status === 'patch' || t.status === 'written')
  return changing.length > 0 && changing.every(t => t.kind === 'instructions')
}
