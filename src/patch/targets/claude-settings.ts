/**
 * `claude-settings:PATH`: Claude Code's `.claude/settings.json`.
 *
 * - `model` (or `env.ANTHROPIC_MODEL`, which takes precedence when the file
 *   sets it): the model the policy gives every item, when it gives one;
 * - `env.ANTHROPIC_DEFAULT_HAIKU_MODEL` (and the deprecated
 *   `ANTHROPIC_SMALL_FAST_MODEL`, when the file still uses it): background
 *   steps, when the policy has a rule for them;
 * - `env.CLAUDE_CODE_SUBAGENT_MODEL`: subagent steps, when it has a rule;
 * - `env.BASH_MAX_OUTPUT_LENGTH`: a cap on Bash output (characters).
 *
 * Keys as documented: https://code.claude.com/docs/en/settings (model, env),
 * https://code.claude.com/docs/en/model-config (model environment variables),
 * https://code.claude.com/docs/en/env-vars (BASH_MAX_OUTPUT_LENGTH).
 */
import {aliasFamily, longContext, ranOn, sameModel, spellLike} from '../../policy/models.js'
import {JsonText} from '../json-text.js'
import {movesCalls} from '../target.js'
import {TargetParseError} from '../yaml-text.js'
import {aliasModel} from './claude-alias.js'
import {defaultOutputCut} from '../../policy/prune.js'
import {credit, shouldTighten} from '../limits.js'
import {
  emptyRendered,
  relevantSuggestions,
  shortName,
  slotModel,
  type PatchContext,
  type Rendered,
  type TargetAdapter,
} from '../target.js'

/** Claude Code truncates Bash output at this many characters unless told otherwise. */
const BASH_DEFAULT_MAX = defaultOutputCut('claude-code', 'Bash')!
const BASH_UPPER_LIMIT = 150_000

export const claudeSettingsTarget: TargetAdapter = {
  kind: 'claude-settings',
  describe:
    "Claude Code's .claude/settings.json (model, env: ANTHROPIC_DEFAULT_HAIKU_MODEL, CLAUDE_CODE_SUBAGENT_MODEL, BASH_MAX_OUTPUT_LENGTH)",
  formats: ['claude-code'],
  mayCreate: false,
  render(text: string | undefined, ctx: PatchContext): Rendered {
    const j = new JsonText(text ?? '')
    // A LiteLLM config written as JSON, named as Claude Code settings: its `model` keys are another program's.
    const litellm = ['model_list', 'litellm_settings', 'router_settings'].find(k => j.get([k]) !== undefined)
    if (litellm)
      throw new TargetParseError(
        `this file has ${litellm}: a LiteLLM config, not Claude Code settings? (--target litellm:PATH names that kind)`,
        1,
      )
    const out = emptyRendered(j.text)
    const policy = ctx.policy
    const env = (j.get(['env']) ?? {}) as Record<string, unknown>
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

    /**
     * Sets a model slot. An alias (`opus`) runs the latest model of its family: it is taken as the policy's one tier of
     * that family (the model the router was evaluated on) and the slot then names that model, as a subagent's file
     * does; naming the model the alias ran moves no call, so it is no routing. `[1m]` (the long context window) stays
     * on a model of the same family and is said to be dropped otherwise.
     */
    const setModel = (
      path: string[],
      current: string | undefined,
      model: string,
      why: string,
      /** What the slot's calls ran on before, when it names none: the model Claude Code falls back to. */
      ran: string | undefined = current,
    ): void => {
      const where = path.join('.')
      const alias = aliasModel(policy, current)
      const long = alias !== undefined && longContext(current!)
      if (alias) {
        const notes = [
          `"${current}" is Claude Code's alias for its latest ${aliasFamily(current)} model, taken as ${alias}`,
        ]
        if (alias === model) notes.push('now named so: the alias would follow a newer model than the one evaluated')
        else if (long)
          notes.push(
            `its long context window ([1m]) is not carried over to ${model}: check the sessions do not need it`,
          )
        out.notes.push(`${where}: ${notes.join('; ')}`)
      }
      const value = spellLike(long && alias === model ? `${model}[1m]` : model, current)
      if (current === value || (current !== undefined && sameModel(current, value))) {
        out.settled.push(where)
        return
      }
      if (j.set(path, value)) {
        // (Naming the model the slot ran already, `opus` → claude-opus-4-6, an unset small model → a Haiku, moves none.)
        if (!(alias !== undefined && sameModel(alias, value)) && !(ran !== undefined && ranOn(ran, value)))
          movesCalls(out, ran)
        out.changes.push({where, ...(current ? {from: current} : {}), to: value, why})
      }
    }
    /** The slot's model as the policy reads it: an alias as its tier's model. */
    const asPolicy = (current: string | undefined): string | undefined => aliasModel(policy, current) ?? current

    // The main model: env.ANTHROPIC_MODEL wins over `model` when the file sets both.
    const mainBefore = str(env.ANTHROPIC_MODEL) ?? str(j.get(['model']))
    const mainKeys: string[][] = []
    if (str(env.ANTHROPIC_MODEL)) mainKeys.push(['env', 'ANTHROPIC_MODEL'])
    if (str(j.get(['model'])) || mainKeys.length === 0) mainKeys.push(['model'])
    for (const path of mainKeys) {
      const current = str(j.get(path))
      const slot = slotModel(policy, {stepKind: 'main'}, asPolicy(current))
      if (slot.unsupported) out.unsupported.push(`${path.join('.')}: ${slot.unsupported}`)
      // (What the main calls ran is the key that wins: a `model` env.ANTHROPIC_MODEL overrides moved none; review 83.)
      else if (slot.model) setModel(path, current, slot.model, slot.why ?? '', mainBefore)
    }
    const background = slotModel(
      policy,
      {stepKind: 'background', explicit: true},
      asPolicy(str(env.ANTHROPIC_DEFAULT_HAIKU_MODEL) ?? str(env.ANTHROPIC_SMALL_FAST_MODEL)),
    )
    if (background.model) {
      // (Unset, the background calls run on Claude Code's small model, a Haiku.)
      setModel(
        ['env', 'ANTHROPIC_DEFAULT_HAIKU_MODEL'],
        str(env.ANTHROPIC_DEFAULT_HAIKU_MODEL),
        background.model,
        background.why ?? '',
        str(env.ANTHROPIC_DEFAULT_HAIKU_MODEL) ?? str(env.ANTHROPIC_SMALL_FAST_MODEL) ?? 'haiku',
      )
      if (str(env.ANTHROPIC_SMALL_FAST_MODEL))
        setModel(
          ['env', 'ANTHROPIC_SMALL_FAST_MODEL'],
          str(env.ANTHROPIC_SMALL_FAST_MODEL),
          background.model,
          `${background.why} (the deprecated name, kept in step)`,
        )
    }
    const subagent = slotModel(
      policy,
      {stepKind: 'subagent', explicit: true},
      asPolicy(str(env.CLAUDE_CODE_SUBAGENT_MODEL)),
    )
    if (subagent.model)
      // (Unset, subagents run on the main model: what the file named for it, before this patch.)
      setModel(
        ['env', 'CLAUDE_CODE_SUBAGENT_MODEL'],
        str(env.CLAUDE_CODE_SUBAGENT_MODEL),
        subagent.model,
        subagent.why ?? '',
        str(env.CLAUDE_CODE_SUBAGENT_MODEL) ?? mainBefore,
      )

    for (const s of relevantSuggestions(ctx.suggestions, this.formats)) {
      if (s.scope.agent) continue
      if (s.prevention === 'output-cap' && s.outputCap?.tool === 'Bash') {
        const cap = Math.min(s.outputCap.maxChars, BASH_UPPER_LIMIT)
        const current = env.BASH_MAX_OUTPUT_LENGTH
        // The cut in force: the value set (Claude Code's ceiling above it), else Claude Code's own (also for a value
        // it cannot read as a length).
        const n = Number(current)
        const valid = current !== undefined && current !== null && current !== '' && Number.isFinite(n) && n > 0
        const inForce = valid ? Math.min(n, BASH_UPPER_LIMIT) : BASH_DEFAULT_MAX
        if (!valid && cap >= BASH_DEFAULT_MAX) {
          out.notes.push(
            `${s.title}: Claude Code already cuts Bash output at ${BASH_DEFAULT_MAX.toLocaleString('en-US')} characters${current === undefined ? '' : ` (the value set, ${JSON.stringify(current)}, is no length it reads)`}`,
          )
          out.held.push(s.id)
          continue
        }
        if (valid && !shouldTighten(current, cap, false)) {
          out.settled.push('env.BASH_MAX_OUTPUT_LENGTH')
          out.held.push(s.id)
        } else if (j.set(['env', 'BASH_MAX_OUTPUT_LENGTH'], String(cap))) {
          // (With no value the file reads, the traces' own results tell the cut they ran under: the suggestion's
          // figure stands.)
          if (valid) credit(out, s, inForce)
          out.changes.push({
            where: 'env.BASH_MAX_OUTPUT_LENGTH',
            ...(current !== undefined ? {from: String(current)} : {}),
            to: String(cap),
            why: s.title,
            prunes: [s.id],
          })
          out.expressed.push(s.id)
        }
      } else if (s.prevention === 'output-cap')
        out.unsupported.push(`${shortName(s)}: Claude Code settings cap Bash output only (BASH_MAX_OUTPUT_LENGTH)`)
      else if (s.prevention === 'call-limit')
        out.unsupported.push(
          `${shortName(s)}: settings.json has no limit on a session's calls (a subagent's file can: maxTurns, the claude-agent target)`,
        )
      else if (s.prevention === 'duplicate-guard')
        out.unsupported.push(
          `${shortName(s)}: Claude Code has no setting that answers a repeated tool call (the aco-policy target's guard does, in agent code)`,
        )
    }
    out.text = j.text
    return out
  },
}
