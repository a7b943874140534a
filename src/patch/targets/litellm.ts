/**
 * `litellm:PATH`: a LiteLLM proxy `config.yaml`.
 *
 * - `model_list`: an entry (a model group) for every model the policy uses;
 *   a model with none gets one, and PR.md says so.
 * - `router_settings.fallbacks`: escalation (a call a cheaper model's
 *   provider fails is retried on the stronger model's group).
 * - `router_settings.model_group_alias`: aliases that send clients to one of
 *   the policy's models are pointed at the policy's default, when the policy
 *   sends every item to one model.
 * - an `auto_router/complexity_router` entry's `complexity_router_config.tiers`
 *   (and `default_model`): the four complexity tiers mapped onto the policy's
 *   tiers from the cheap end. LiteLLM classifies requests with its own
 *   classifier there, not with aco's router: PR.md says so.
 *
 * Keys as documented: https://docs.litellm.ai/docs/proxy/configs,
 * https://docs.litellm.ai/docs/proxy/reliability, and the complexity router's
 * README (litellm/router_strategy/complexity_router/README.md).
 */
import {bareModel, providerPrefix, sameModel} from '../../policy/models.js'
import {
  describeRule,
  ESCALATION,
  emptyRendered,
  modelOfTier,
  perItemRule,
  policyWhy,
  movesCalls,
  type PatchContext,
  type Rendered,
  type TargetAdapter,
} from '../target.js'
import {ShapeError, TargetParseError, YamlText} from '../yaml-text.js'

const COMPLEXITY_TIERS = ['SIMPLE', 'MEDIUM', 'COMPLEX', 'REASONING'] as const

/** The top-level keys of a LiteLLM proxy config (https://docs.litellm.ai/docs/proxy/config_settings). */
const LITELLM_KEYS = new Set([
  'model_list',
  'litellm_settings',
  'router_settings',
  'general_settings',
  'environment_variables',
  'callback_settings',
  'credential_list',
  'guardrails',
  'include',
  'mcp_servers',
])

/** A few of a file's keys, for a message. */
function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map(k => (k.length > 40 ? `${k.slice(0, 39)}…` : k))
  return `${shown.join(', ')}${keys.length > 5 ? ` and ${keys.length - 5} more` : ''}`
}

interface Entry {
  model_name?: unknown
  litellm_params?: {model?: unknown; complexity_router_config?: {tiers?: unknown; default_model?: unknown}}
}

/** LiteLLM's provider prefix for a model aco knows only by name (a guess PR.md asks a person to check). */
function litellmModel(model: string): {value: string; guessed: boolean} {
  if (providerPrefix(model)) return {value: model, guessed: false}
  const m = model.toLowerCase()
  const provider = m.startsWith('claude')
    ? 'anthropic/'
    : /^(gpt-|o\d|chatgpt|text-)/.test(m)
      ? 'openai/'
      : m.startsWith('gemini')
        ? 'gemini/'
        : m.startsWith('deepseek')
          ? 'deepseek/'
          : /^(mistral|mixtral|codestral)/.test(m)
            ? 'mistral/'
            : ''
  return {value: `${provider}${model}`, guessed: true}
}

export const litellmTarget: TargetAdapter = {
  kind: 'litellm',
  describe:
    'a LiteLLM proxy config.yaml (model_list, router_settings.fallbacks, model_group_alias, complexity router tiers)',
  formats: [],
  mayCreate: false,
  render(text: string | undefined, ctx: PatchContext): Rendered {
    const y = new YamlText(text ?? '')
    if (!y.isMapping()) throw new TargetParseError('a LiteLLM config is a mapping (model_list:, router_settings: …)', 1)
    // Another kind of file named as this one (trial 33: a Claude Code settings.json given as litellm: got a model_list).
    const keys = y.topKeys()
    if (keys.length > 0 && !keys.some(k => LITELLM_KEYS.has(k)))
      throw new TargetParseError(
        `none of a LiteLLM config's keys (model_list, litellm_settings, router_settings, general_settings) is here, only ${listKeys(keys)}: not a LiteLLM config? (--target KIND:PATH names the kind of file)`,
        1,
      )
    const out = emptyRendered(y.text)
    const policy = ctx.policy
    if (policy.tiers.length === 0) {
      out.notes.push('the policy routes nothing (no router was given): nothing to change here')
      return out
    }
    const list = y.get(['model_list'])
    if (list !== undefined && list !== null && !Array.isArray(list))
      throw new TargetParseError('model_list is not a list', lineOfKey(y.text, 'model_list'))
    const entries = (): Entry[] => ((y.get(['model_list']) as Entry[] | null) ?? []).map(e => e ?? {})
    const perItem = perItemRule(policy)

    // The tiers the policy sends anything to (not a router's, where it sends nothing anywhere at its operating point:
    // trial 121's step router "routes nothing", and its models and fallbacks were added all the same).
    const used = new Set<string>([policy.default])
    for (const r of policy.rules) {
      if (r.tier) used.add(r.tier)
      if (('router' in r.when || 'cascade' in r.when) && !ctx.routerIdle) for (const t of policy.tiers) used.add(t.name)
    }
    for (const e of policy.escalation) used.add(e.to)
    const entryOf = (model: string): Entry | undefined =>
      entries().find(
        e =>
          (typeof e.model_name === 'string' && sameModel(e.model_name, model)) ||
          (typeof e.litellm_params?.model === 'string' && sameModel(e.litellm_params.model, model)),
      )
    /**
     * The models a group's requests ran on, as traces name them: its deployments' `litellm_params.model` (not the
     * group's own name: a group called `opus` is no Claude Code alias for every Opus, review 83); unknown (any) for a
     * group no entry serves.
     */
    const servedBy = (name: string): Array<string | undefined> => {
      const models = entries()
        .filter(e => e.model_name === name && typeof e.litellm_params?.model === 'string')
        .map(e => e.litellm_params!.model as string)
      return models.length ? models : [undefined]
    }
    // Every group that serves one of the policy's models (aliases to any of them follow the policy).
    const tierGroups = new Set<string>()
    for (const tier of policy.tiers) {
      const name = entryOf(tier.model)?.model_name
      if (typeof name === 'string') tierGroups.add(name)
    }
    const group = new Map<string, string>()
    for (const tier of policy.tiers) {
      if (!used.has(tier.name)) continue
      const found = entryOf(tier.model)
      if (found && typeof found.model_name === 'string') {
        group.set(tier.name, found.model_name)
        out.settled.push(`model_list[${found.model_name}]`)
        continue
      }
      const {value, guessed} = litellmModel(tier.model)
      const name = bareModel(tier.model)
      y.appendToList(['model_list'], {model_name: name, litellm_params: {model: value}})
      group.set(tier.name, name)
      tierGroups.add(name)
      out.changes.push({
        where: `model_list[${name}]`,
        to: `litellm_params.model: ${value}`,
        why: `the policy's ${tier.name} tier is ${tier.model}, which had no entry`,
      })
      out.notes.push(
        `added a model_list entry for ${tier.model} (litellm_params.model: ${value}${guessed ? ', the provider prefix guessed from the name' : ''}): check the provider and give it its api_key or api_base as the other entries have`,
      )
    }
    // Agent code asks the proxy for a model group, while route() answers the policy's model names: where they differ, say
    // which group serves each (a request for the policy's name would find no group).
    const renamed = policy.tiers.filter(t => group.has(t.name) && group.get(t.name) !== t.model)
    if (renamed.length)
      out.notes.push(
        `route() answers the policy's model names; in this proxy they are the model groups ${renamed.map(t => `${t.model} → ${group.get(t.name)}`).join(', ')}: ask the proxy for the group`,
      )

    // Escalation: router_settings.fallbacks, which LiteLLM follows when a call fails, never on what a model returned.
    const onEvidence = policy.escalation.filter(e => e.on !== 'call-error')
    if (onEvidence.length > 0)
      out.unsupported.push(
        `escalation on what a model returned (${onEvidence.map(e => `${modelOfTier(policy, e.from)} → ${modelOfTier(policy, e.to)}`).join(', ')}): LiteLLM's fallbacks retry a call that failed, not one whose answer was doubtful; the cascade runs in agent code (the aco-policy target, loadPolicy / route with the observations)`,
      )
    // Where the team keeps its fallbacks: under litellm_settings (LiteLLM's documented place too) when router_settings
    // has none there, since the Router takes router_settings' list over litellm_settings' (`fallbacks or
    // litellm.fallbacks`): a new list there would silently drop theirs.
    const section =
      y.get(['router_settings', 'fallbacks']) === undefined && y.get(['litellm_settings', 'fallbacks']) !== undefined
        ? 'litellm_settings'
        : 'router_settings'
    for (const e of policy.escalation) {
      if (e.on !== 'call-error') continue
      const from = group.get(e.from)
      const to = group.get(e.to)
      if (!from || !to || from === to) continue
      const fallbacks = y.get([section, 'fallbacks'])
      const list = Array.isArray(fallbacks) ? (fallbacks as Array<Record<string, unknown>>) : []
      const index = list.findIndex(f => f && typeof f === 'object' && from in f)
      const current = index >= 0 ? list[index]![from] : undefined
      // The way back already there (to → from): adding this one would make the two fall back to each other.
      const back = list.find(f => f && typeof f === 'object' && to in f)?.[to]
      if (Array.isArray(back) && back.includes(from) && !(Array.isArray(current) && current.includes(to))) {
        out.unsupported.push(
          `escalation ${from} → ${to}: ${section}.fallbacks already sends ${to} to ${from}, and the two would fall back to each other; decide which way by hand`,
        )
        continue
      }
      if (Array.isArray(current) && current.includes(to)) {
        out.settled.push(`${section}.fallbacks[${from}]`)
        if (!out.expressed.includes(ESCALATION)) out.expressed.push(ESCALATION)
        continue
      }
      try {
        const node = y.node([section, 'fallbacks'])
        const flowList = node === undefined || (node as {flow?: boolean}).flow === true || fallbacks === null
        if (index >= 0) {
          const merged = [...(Array.isArray(current) ? current : []), to]
          if (flowList)
            y.setFlow(
              [section, 'fallbacks'],
              list.map((f, i) => (i === index ? {...f, [from]: merged} : f)),
            )
          else if (Array.isArray(current) && !(y.node([section, 'fallbacks', index, from]) as {flow?: boolean}).flow)
            y.appendToList([section, 'fallbacks', index, from], to)
          else y.setFlow([section, 'fallbacks', index, from], merged)
        } else if (flowList) y.setFlow([section, 'fallbacks'], [...list, {[from]: [to]}])
        else y.appendToList([section, 'fallbacks'], {[from]: [to]}, {flowValues: true})
        out.changes.push({where: `${section}.fallbacks[${from}]`, to: `+ ${to}`, why: e.why})
        if (!out.expressed.includes(ESCALATION)) out.expressed.push(ESCALATION)
      } catch (error) {
        if (!(error instanceof ShapeError)) throw error
        out.unsupported.push(`escalation ${from} → ${to}: ${error.message}; add it to ${section}.fallbacks by hand`)
      }
    }

    // Aliases and the complexity router.
    const defaultGroup = group.get(policy.default)
    const aliases = y.get(['router_settings', 'model_group_alias'])
    if (!perItem && defaultGroup && aliases && typeof aliases === 'object') {
      for (const [alias, target] of Object.entries(aliases as Record<string, unknown>)) {
        if (target === defaultGroup) out.settled.push(`router_settings.model_group_alias.${alias}`)
        if (typeof target !== 'string' || target === defaultGroup || !tierGroups.has(target)) continue
        try {
          y.setScalar(['router_settings', 'model_group_alias', alias], defaultGroup)
          for (const model of servedBy(target)) movesCalls(out, model)
          // (The traces name the model a call ran, not the name it asked the proxy for: review 83.)
          out.notes.push(
            `model_group_alias ${alias}: the expected saving counts every traced call of ${target}'s models, while only those that ask for ${alias} move; calls that ask for ${target} by its own name keep it, so the routing figure is at most that`,
          )
          out.changes.push({
            where: `router_settings.model_group_alias.${alias}`,
            from: target,
            to: defaultGroup,
            why: policyWhy(policy),
          })
        } catch (error) {
          if (!(error instanceof ShapeError)) throw error
          out.unsupported.push(`model_group_alias ${alias}: ${error.message}`)
        }
      }
    }

    const complexity = entries()
      .map((e, i) => ({e, i}))
      .filter(({e}) => e.litellm_params?.model === 'auto_router/complexity_router')
    // A random mix is not a classifier's choice: spreading the complexity tiers over its two models would route
    // by LiteLLM's classifier with none of the mix's evaluated figures behind it.
    const mix = perItem && ('share' in perItem.when || 'cascade' in perItem.when)
    if (mix)
      for (const {e} of complexity)
        out.unsupported.push(
          `${describeRule(perItem, policy)}: LiteLLM's complexity router (${String(e.model_name)}) chooses by its own classifier, ${'share' in perItem.when ? 'not at random; the mix' : 'before any model answered; the cascade'} runs in agent code (the aco-policy target, loadPolicy / route)`,
        )
    for (const {e, i} of mix ? [] : complexity) {
      const names = policy.tiers.filter(t => used.has(t.name)).map(t => group.get(t.name)!)
      const mapped = perItem ? names : names.length ? [defaultGroup ?? names[names.length - 1]!] : []
      if (mapped.length === 0) continue
      const base = ['model_list', i, 'litellm_params', 'complexity_router_config']
      COMPLEXITY_TIERS.forEach((level, k) => {
        const value = mapped[Math.round((k * (mapped.length - 1)) / (COMPLEXITY_TIERS.length - 1))]!
        const before = y.get([...base, 'tiers', level])
        try {
          if (y.setScalar([...base, 'tiers', level], value)) {
            for (const model of typeof before === 'string' ? servedBy(before) : [undefined]) movesCalls(out, model)
            out.changes.push({
              where: `model_list[${String(e.model_name)}].complexity_router_config.tiers.${level}`,
              ...(typeof before === 'string' ? {from: before} : {}),
              to: value,
              why: perItem
                ? `the ${COMPLEXITY_TIERS.length} complexity tiers spread over the policy's tiers from the cheap end`
                : policyWhy(policy),
            })
          } else out.settled.push(`complexity_router_config.tiers.${level}`)
        } catch (error) {
          if (!(error instanceof ShapeError)) throw error
          out.unsupported.push(
            `complexity tier ${level} of ${String(e.model_name)}: ${error.message} (a pool of models): edit it by hand`,
          )
        }
      })
      const defaultModel = y.get([...base, 'default_model'])
      const fallbackModel = defaultGroup ?? mapped[mapped.length - 1]!
      if (
        typeof defaultModel === 'string' &&
        defaultModel !== fallbackModel &&
        y.setScalar([...base, 'default_model'], fallbackModel)
      )
        out.changes.push({
          where: `model_list[${String(e.model_name)}].complexity_router_config.default_model`,
          from: defaultModel,
          to: fallbackModel,
          why: `the policy's default tier (${policy.default}), for requests the classifier cannot place`,
        })
      if (perItem)
        out.notes.push(
          `LiteLLM's complexity router (${String(e.model_name)}) classifies each request with its own classifier, not with aco's router: the evaluation figures in this PR are aco's router's, not its`,
        )
    }
    // (A cascade's part LiteLLM cannot carry is said once, with its escalation, above.)
    if (perItem && complexity.length === 0 && !('cascade' in perItem.when))
      out.unsupported.push(
        `${describeRule(perItem, policy)}: a LiteLLM proxy routes per request only through its own classifier (a model_list entry with model: auto_router/complexity_router); aco's router runs in agent code (the aco-policy target, loadPolicy / route)`,
      )
    if (!perItem && defaultGroup && !aliases && complexity.length === 0)
      out.notes.push(
        `clients choose the model group per request: send them to ${defaultGroup} (${modelOfTier(policy, policy.default)}), or give them one stable name with router_settings.model_group_alias`,
      )
    out.text = y.text
    return out
  },
}

function lineOfKey(text: string, key: string): number | undefined {
  const i = text.search(new RegExp(`^${key}:`, 'm'))
  return i < 0 ? undefined : text.slice(0, i).split('\n').length
}
