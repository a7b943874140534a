/**
 * `codex-config:PATH`: Codex CLI's `config.toml` (`~/.codex/config.toml`, or a project's `.codex/config.toml`).
 *
 * - `model`: the model the policy gives every item, when it gives one; where the file picks a profile (`profile =
 *   "fast"`) whose table names a model (`[profiles.fast] model = …`), that model is the one Codex runs, and it is the
 *   one set.
 *
 * Keys as documented: https://developers.openai.com/codex/config-reference (model, profile, profiles.<name>.model).
 * Codex has no setting that answers a repeated call or limits a session's calls; what it keeps of a tool's output
 * (`tool_output_token_limit`, tokens) has a default aco does not know, so no cap is written and none credited.
 */
import {sameModel, spellLike} from '../../policy/models.js'
import {
  emptyRendered,
  movesCalls,
  relevantSuggestions,
  shortName,
  slotModel,
  type PatchContext,
  type Rendered,
  type TargetAdapter,
} from '../target.js'
import {TomlText} from '../toml-text.js'
import {TargetParseError} from '../yaml-text.js'

export const codexConfigTarget: TargetAdapter = {
  kind: 'codex-config',
  describe: "Codex CLI's config.toml (model, or the model of the profile it picks)",
  formats: ['codex'],
  mayCreate: false,
  render(text: string | undefined, ctx: PatchContext): Rendered {
    const t = new TomlText(text ?? '')
    // A file of another program's settings, named as Codex's: its keys are not Codex's.
    if (t.get(['model_list']) !== undefined)
      throw new TargetParseError('this file has model_list: a LiteLLM config, not Codex? (--target litellm:PATH)', 1)
    const out = emptyRendered(t.text)
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

    // The model Codex runs: the picked profile's, when its table names one; else the root's.
    const profile = str(t.get(['profile']))
    const table = profile !== undefined && str(t.get(['profiles', profile, 'model'])) ? ['profiles', profile] : []
    const where = [...table, 'model'].join('.')
    const current = str(t.get([...table, 'model']))
    const slot = slotModel(ctx.policy, {stepKind: 'main'}, current)
    if (slot.unsupported) out.unsupported.push(`${where}: ${slot.unsupported}`)
    else if (slot.model) {
      const value = spellLike(slot.model, current)
      if (current !== undefined && sameModel(current, value)) out.settled.push(where)
      else {
        const set = t.setString(table, 'model', value)
        if (set === undefined)
          out.unsupported.push(
            `${where}: written in a form aco does not rewrite (a dotted key, an inline table); set it by hand`,
          )
        else if (set) {
          movesCalls(out, current)
          out.changes.push({where, ...(current ? {from: current} : {}), to: value, why: slot.why ?? ''})
          if (profile !== undefined && table.length === 0)
            out.notes.push(
              `${where}: the profile the file picks, "${profile}", names no model of its own, so the root's is the one it runs`,
            )
        } else out.settled.push(where)
      }
    }

    // Profiles picked on the command line (`codex --profile deep`) run their own model, which this file's choice does not
    // tell: said, left.
    const profiles = t.get(['profiles'])
    if (profiles && typeof profiles === 'object')
      for (const [name, p] of Object.entries(profiles as Record<string, unknown>)) {
        const model = str((p as Record<string, unknown> | null)?.model)
        if (model && name !== profile)
          out.notes.push(
            `profiles.${name}.model: a session started with \`codex --profile ${name}\` runs ${model}, which this patch leaves as it is`,
          )
      }

    for (const s of relevantSuggestions(ctx.suggestions, this.formats)) {
      if (s.scope.agent) continue
      if (s.prevention === 'output-cap')
        out.unsupported.push(
          `${shortName(s)}: Codex keeps a tool's output up to tool_output_token_limit tokens, whose default aco does not know; no cap is written (set one by hand where the traces show the output was not needed)`,
        )
      else if (s.prevention === 'call-limit')
        out.unsupported.push(`${shortName(s)}: Codex's config.toml has no limit on a session's calls`)
      else if (s.prevention === 'duplicate-guard')
        out.unsupported.push(
          `${shortName(s)}: Codex has no setting that answers a repeated tool call (the aco-policy target's guard does, in agent code; the instructions target writes AGENTS.md rules)`,
        )
    }
    out.text = t.text
    return out
  },
}
