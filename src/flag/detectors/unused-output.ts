/**
 * Oversized tool output that later steps never referred to and the agent set
 * aside: no later call's arguments or the model's later text mention any of its
 * distinctive terms (paths, identifiers), one of the next calls looks again at
 * the place it covered (`tree src -I node_modules` after a `find .` flooded with
 * `node_modules`), yet every later call paid for it as context until the context
 * was compacted. Not a file read: a file's content is read for what it says,
 * which a reader uses without naming its words. Without the look again, an
 * output nobody named may still have been read (the top of a listing, an
 * install's log): hand labels of every call in 84 blind sets called none of six
 * such flags wasted. One backward pass over the steps: O(n · terms).
 */
import type {Step} from '../../card/types.js'
import {CHARS_PER_TOKEN, type FlagContext} from '../context.js'
import {type Action, isUnder} from '../effects.js'
import type {StepWrites} from '../timeline.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'

/** Outputs below this many tokens are not worth a flag. */
const UNUSED_MIN_TOKENS = 4000
/** The agent must have had a few calls to use the output (a session cut short had not). */
const MIN_LATER_CALLS = 3

export const unusedOutput: Detector = ctx => {
  const steps = ctx.steps
  const minChars = UNUSED_MIN_TOKENS * CHARS_PER_TOKEN
  const isCandidate = (step: Step): boolean =>
    !!step.tool?.terms?.length &&
    (step.tool.outputChars ?? 0) >= minChars &&
    step.tool.status === 'ok' &&
    !readsFiles(ctx.actions[step.index]) &&
    !editsFiles(ctx.writes[step.index])
  const first = steps.findIndex(isCandidate)
  if (first === -1) return []
  const findings: Finding[] = []
  // Only the candidates' terms (and their base names) can be looked up: the words of later text are kept when they are one.
  const wanted = new Set<string>()
  for (let i = first; i < steps.length; i++) {
    const terms = isCandidate(steps[i]!) ? steps[i]!.tool!.terms! : undefined
    if (terms)
      for (const t of terms) {
        wanted.add(t)
        wanted.add(basename(t))
      }
  }
  const later = new Set<string>()
  let llmAfter = false
  // Backwards from the end to the first candidate: `later` holds every word said or asked after step i.
  for (let i = steps.length - 1; i >= first; i--) {
    const step = steps[i]!
    const tool = step.tool
    if (llmAfter && isCandidate(step) && lookedAgain(ctx, i)) {
      const used = tool!.terms!.some(t => later.has(t) || later.has(basename(t)))
      if (!used) {
        const tokens = Math.round((tool!.outputChars ?? 0) / CHARS_PER_TOKEN)
        const carried = ctx.carry(step.index, tokens)
        if (carried.calls >= MIN_LATER_CALLS) {
          // The call that fetched it may have been needed (an install, a build): only the carrying is waste.
          const f = toolFinding(ctx, 'unused-output', step, '', 0.7, [])
          f.own = {usd: 0}
          f.reason = `${describeCall(step, ctx.redact)} returned ≈${Math.round(tokens / 100) / 10}k tokens that no later step refers to, carried as context in ${carried.calls} later call${carried.calls === 1 ? '' : 's'}`
          findings.push(f)
        }
      }
    }
    if (step.kind === 'llm') llmAfter = true
    // Once every term is known to be used later, earlier words change nothing.
    if (later.size === wanted.size) continue
    // What this step says or asks counts as a use of earlier outputs.
    if (step.text) addWords(later, wanted, step.text)
    if (tool)
      addWords(
        later,
        wanted,
        typeof tool.arguments === 'string' ? tool.arguments : JSON.stringify(tool.arguments ?? ''),
      )
  }
  return findings.reverse()
}

/** How many tool calls after an output `lookedAgain` reads. */
const NEXT_LOOKS = 3

/**
 * Whether one of the next few calls looks again at what the output covered (a search or listing of the same place or
 * a place within it: `tree src -I node_modules` after a `find .` flooded with `node_modules`): the evidence that the
 * agent set the output aside, not only that it named nothing of it.
 */
function lookedAgain(ctx: FlagContext, i: number): boolean {
  const scopes = ctx.actions[i]?.searches.flatMap(s => s.scopes) ?? []
  if (!scopes.length) return false
  let seen = 0
  for (let j = i + 1; j < ctx.steps.length && seen < NEXT_LOOKS; j++) {
    if (ctx.steps[j]!.kind !== 'tool') continue
    seen++
    const later = ctx.actions[j]?.searches.flatMap(s => s.scopes) ?? []
    if (later.some(l => scopes.some(e => isUnder(l, e) || isUnder(e, l)))) return true
  }
  return false
}

/**
 * A call that changed files it names (a fix script that also prints the file it patched), not an install: what it
 * printed came with the change the agent wanted, and a person does not call the printing waste apart from it.
 */
function editsFiles(w: StepWrites | undefined): boolean {
  return !!w && w.writes.length > 0 && !w.env
}

/** A read of files and nothing else (`cat`, `sed -n`, Read): its output is their content. */
function readsFiles(action: Action | undefined): boolean {
  return !!action && action.reads.length > 0 && action.searches.length === 0 && !action.opaque
}

function basename(term: string): string {
  const slash = term.lastIndexOf('/')
  return slash >= 0 ? term.slice(slash + 1) : term
}

const SPLIT = /[^\w$./-]+/

/** Adds to `set` the words of `text` (and every path suffix of them) that are in `wanted`. */
function addWords(set: Set<string>, wanted: ReadonlySet<string>, text: string): void {
  for (let word of text.split(SPLIT)) {
    if (word.length < 4) continue
    const last = word.charCodeAt(word.length - 1)
    if (last === 46 || last === 45) word = word.replace(/[.-]+$/, '')
    if (wanted.has(word)) set.add(word)
    let slash = word.indexOf('/')
    if (slash === -1) continue
    // every path suffix, so `src/a.ts` matches `/home/x/src/a.ts`
    while (slash !== -1) {
      const suffix = word.slice(slash + 1)
      if (wanted.has(suffix)) set.add(suffix)
      slash = word.indexOf('/', slash + 1)
    }
  }
}
