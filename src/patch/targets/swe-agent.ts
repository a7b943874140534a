/**
 * `swe-agent:PATH` and `mini-swe-agent:PATH`: the YAML configs of SWE-agent
 * and mini-swe-agent.
 *
 * SWE-agent (https://swe-agent.com/latest/reference/model_config/, the
 * repository's config/models/*.yaml and sweagent/agent/agents.py):
 * `agent.model.name`, `agent.model.per_instance_call_limit` (0 = none),
 * `agent.model.per_instance_cost_limit` (0 = none),
 * `agent.templates.max_observation_length` (characters of every observation).
 *
 * mini-swe-agent (https://mini-swe-agent.com/latest/advanced/yaml_configuration/,
 * minisweagent/agents/default.py): `model.model_name`, `agent.step_limit`
 * (0 = none), `agent.cost_limit` (0 = none).
 */
import {sameModel, spellLike} from '../../policy/models.js'
import {defaultOutputCut, type PruneSuggestion} from '../../policy/prune.js'
import {credit, shouldTighten, shown} from '../limits.js'
import {
  emptyRendered,
  relevantSuggestions,
  shortName,
  slotModel,
  movesCalls,
  type PatchContext,
  type Rendered,
  type TargetAdapter,
} from '../target.js'
import {ShapeError, TargetParseError, YamlText} from '../yaml-text.js'

interface Layout {
  kind: string
  format: string
  describe: string
  model: string[]
  callLimit: string[]
  costLimit: string[]
  /** Where every observation is capped (undefined: the tool has no such setting). */
  outputCap?: string[]
  noOutputCap?: string
}

function render(layout: Layout, text: string | undefined, ctx: PatchContext): Rendered {
  const y = new YamlText(text ?? '')
  if (!y.isMapping()) throw new TargetParseError(`a ${layout.kind} config is a mapping (agent:, model: …)`, 1)
  const out = emptyRendered(y.text)
  const policy = ctx.policy
  const set = (path: string[], value: string | number, why: string, prunes?: string[]): void => {
    const before = y.get(path)
    try {
      if (!y.setScalar(path, value)) out.settled.push(path.join('.'))
      else
        out.changes.push({
          where: path.join('.'),
          ...(shown(before) ? {from: shown(before)} : {}),
          to: String(value),
          why,
          ...(prunes ? {prunes} : {}),
        })
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error
      out.unsupported.push(`${path.join('.')}: ${error.message}`)
    }
  }

  if (layout.kind === 'swe-agent' && y.get(['agent', 'type']) === 'retry') {
    out.unsupported.push(
      'a retry agent (agent.agent_configs): each of its agent configs names its own model and limits; edit them by hand',
    )
  } else {
    const current = y.get(layout.model)
    const slot = slotModel(policy, {stepKind: 'main'}, typeof current === 'string' ? current : undefined)
    if (slot.unsupported) out.unsupported.push(`${layout.model.join('.')}: ${slot.unsupported}`)
    else if (slot.model) {
      const value = spellLike(slot.model, typeof current === 'string' ? current : undefined)
      if (typeof current === 'string' && sameModel(current, value)) out.settled.push(layout.model.join('.'))
      else {
        const before = out.changes.length
        set(layout.model, value, slot.why ?? '')
        if (out.changes.length > before) movesCalls(out, typeof current === 'string' ? current : undefined)
      }
    }
  }

  /** Sets a limit the file lacks or has looser; whether it did (else the file already holds it). */
  const tighten = (s: PruneSuggestion, path: string[], value: number, zeroIsNone: boolean): boolean => {
    if (shouldTighten(y.get(path), value, zeroIsNone)) {
      set(path, value, s.title, [s.id])
      return true
    }
    out.settled.push(path.join('.'))
    return false
  }
  for (const s of relevantSuggestions(ctx.suggestions, [layout.format])) {
    if (s.scope.agent) continue
    if (s.prevention === 'call-limit' && s.callLimit) {
      const calls = tighten(s, layout.callLimit, s.callLimit.maxLlmCalls, true)
      const cost = s.callLimit.maxCostUsd !== undefined && tighten(s, layout.costLimit, s.callLimit.maxCostUsd, true)
      // The saving is reckoned from calls past the limit: a call limit already as tight holds it, whatever the cost
      // limit gets (tightened, it is said, with no saving of its own).
      ;(calls ? out.expressed : out.held).push(s.id)
      if (!calls && cost)
        out.notes.push(
          `${layout.costLimit.join('.')}: tightened with ${shortName(s)}; its saving is not credited, since ${layout.callLimit.join('.')} already limits the calls as tight`,
        )
    } else if (s.prevention === 'output-cap' && s.outputCap && layout.outputCap) {
      // The cut in force: the value set, else the agent's own.
      const had = Number(y.get(layout.outputCap))
      const inForce = Number.isFinite(had) && had > 0 ? had : defaultOutputCut(layout.format, s.outputCap.tool)
      if (inForce !== undefined && s.outputCap.maxChars >= inForce) {
        out.settled.push(layout.outputCap.join('.'))
        out.held.push(s.id)
      } else if (tighten(s, layout.outputCap, s.outputCap.maxChars, false)) {
        out.expressed.push(s.id)
        // (With no value set, the traces' own results tell the cut they ran under: the suggestion's figure stands.)
        if (Number.isFinite(had) && had > 0) credit(out, s, had)
      } else out.held.push(s.id)
    } else if (s.prevention === 'output-cap') out.unsupported.push(`${shortName(s)}: ${layout.noOutputCap}`)
    else if (s.prevention === 'duplicate-guard')
      out.unsupported.push(
        `${shortName(s)}: ${layout.kind} has no setting that answers a repeated command (the aco-policy target's guard does, in agent code)`,
      )
  }
  out.text = y.text
  return out
}

const sweAgent: Layout = {
  kind: 'swe-agent',
  format: 'swe-agent',
  describe:
    'a SWE-agent config YAML (agent.model.name, per_instance_call_limit, per_instance_cost_limit, templates.max_observation_length)',
  model: ['agent', 'model', 'name'],
  callLimit: ['agent', 'model', 'per_instance_call_limit'],
  costLimit: ['agent', 'model', 'per_instance_cost_limit'],
  outputCap: ['agent', 'templates', 'max_observation_length'],
}

const miniSweAgent: Layout = {
  kind: 'mini-swe-agent',
  format: 'mini-swe-agent',
  describe: 'a mini-swe-agent config YAML (model.model_name, agent.step_limit, agent.cost_limit)',
  model: ['model', 'model_name'],
  callLimit: ['agent', 'step_limit'],
  costLimit: ['agent', 'cost_limit'],
  noOutputCap:
    'mini-swe-agent cuts long output inside its observation template (model.action_observation_template, a Jinja length test); change the number there by hand',
}

export const sweAgentTarget: TargetAdapter = {
  kind: sweAgent.kind,
  describe: sweAgent.describe,
  formats: [sweAgent.format],
  mayCreate: false,
  render: (text, ctx) => render(sweAgent, text, ctx),
}

export const miniSweAgentTarget: TargetAdapter = {
  kind: miniSweAgent.kind,
  describe: miniSweAgent.describe,
  formats: [miniSweAgent.format],
  mayCreate: false,
  render: (text, ctx) => render(miniSweAgent, text, ctx),
}
