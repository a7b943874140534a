/**
 * Oversized tool output that later steps never referred to: no later call's
 * arguments or the model's later text mention any of its distinctive terms
 * (paths, identifiers), yet every later call paid for it as context until
 * the context was compacted. One backward pass over the steps: O(n · terms).
 */
import type {Step} from '../../card/types.js'
import {CHARS_PER_TOKEN} from '../context.js'
import {describeCall, toolFinding, type Detector, type Finding} from '../finding.js'

/** Outputs below this many tokens are not worth a flag. */
export const UNUSED_MIN_TOKENS = 4000
/** The agent must have had a few calls to use the output (a session cut short had not). */
const MIN_LATER_CALLS = 3
const TOKEN = /[A-Za-z_$][\w$-]*(?:[./][\w$-]+)*/g

export const unusedOutput: Detector = (ctx) => {
  const findings: Finding[] = []
  const later = new Set<string>()
  const steps = ctx.steps
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    const tool = step.tool
    if (tool?.terms?.length && (tool.outputChars ?? 0) >= UNUSED_MIN_TOKENS * CHARS_PER_TOKEN && tool.status === 'ok' && hasLaterLlm(ctx.steps, i)) {
      const used = tool.terms.some((t) => later.has(t) || later.has(basename(t)))
      if (!used) {
        const tokens = Math.round((tool.outputChars ?? 0) / CHARS_PER_TOKEN)
        const f = toolFinding(ctx, 'unused-output', step, '', 0.7, [])
        const carried = ctx.carry(step.index, tokens)
        f.reason = `${describeCall(step)} returned ≈${Math.round(tokens / 100) / 10}k tokens that no later step refers to, carried as context in ${carried.calls} later call${carried.calls === 1 ? '' : 's'}`
        if (carried.calls >= MIN_LATER_CALLS) findings.push(f)
      }
    }
    // What this step says or asks counts as a use of earlier outputs.
    if (step.text) addTokens(later, step.text)
    if (tool) addTokens(later, typeof tool.arguments === 'string' ? tool.arguments : JSON.stringify(tool.arguments ?? ''))
  }
  return findings.reverse()
}

function hasLaterLlm(steps: readonly Step[], i: number): boolean {
  for (let j = i + 1; j < steps.length; j++) if (steps[j]!.kind === 'llm') return true
  return false
}

function basename(term: string): string {
  const slash = term.lastIndexOf('/')
  return slash >= 0 ? term.slice(slash + 1) : term
}

function addTokens(set: Set<string>, text: string): void {
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0].replace(/[.-]+$/, '')
    if (t.length < 4) continue
    set.add(t)
    if (t.includes('/')) {
      set.add(basename(t))
      // every suffix path, so `src/a.ts` matches `/home/x/src/a.ts`
      let idx = t.indexOf('/')
      while (idx !== -1) {
        set.add(t.slice(idx + 1))
        idx = t.indexOf('/', idx + 1)
      }
    }
  }
}
