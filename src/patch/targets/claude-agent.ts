/**
 * `claude-agent:PATH`: a Claude Code subagent, `.claude/agents/NAME.md`. Only
 * its YAML front matter changes; the body (the subagent's prompt) is left
 * byte for byte.
 *
 * - `model`: when the policy has a rule for this agent (or for subagents);
 * - `maxTurns`: a call limit for this agent's runs;
 * - `tools` / `mcpServers`: a tool or MCP server none of the analysed runs of
 *   this agent called (at least 3 runs) is removed from its list.
 *
 * Fields as documented: https://code.claude.com/docs/en/sub-agents
 * (supported frontmatter fields: name, description, tools, model, maxTurns,
 * mcpServers).
 */
import {basename} from 'node:path'
import {longContext, sameModel, spellLike} from '../../policy/models.js'
import {aliasModel} from './claude-alias.js'
import {shouldTighten, shown} from '../limits.js'
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

/** Analysed runs an agent needs before a tool it never called is taken away. */
const MIN_RUNS_FOR_UNUSED = 3

/** The front matter between the first two `---` lines, and where it sits. */
function splitFrontMatter(text: string): {start: number; end: number; yaml: string} {
  const open = /^---[ \t]*\r?\n/.exec(text)
  if (!open) throw new TargetParseError('no front matter: the file must start with a --- line', 1)
  const start = open[0].length
  const close = /^---[ \t]*$/m
  close.lastIndex = 0
  const rest = text.slice(start)
  const m = close.exec(rest)
  if (!m) throw new TargetParseError('the front matter has no closing --- line', 1)
  const end = start + m.index
  return {start, end, yaml: text.slice(start, end)}
}

export const claudeAgentTarget: TargetAdapter = {
  kind: 'claude-agent',
  describe: 'a Claude Code subagent, .claude/agents/NAME.md (front matter: model, maxTurns, tools, mcpServers)',
  formats: ['claude-code'],
  mayCreate: false,
  render(text: string | undefined, ctx: PatchContext): Rendered {
    const source = text ?? ''
    const fm = splitFrontMatter(source)
    let y: YamlText
    try {
      y = new YamlText(fm.yaml, '1.2')
    } catch (error) {
      if (error instanceof TargetParseError && error.line !== undefined)
        throw new TargetParseError(error.message, error.line + 1)
      throw error
    }
    if (!y.isMapping()) throw new TargetParseError('the front matter is not a mapping of fields', 2)
    const out = emptyRendered(source)
    const name =
      typeof y.get(['name']) === 'string' ? (y.get(['name']) as string) : basename(ctx.path).replace(/\.md$/i, '')
    const policy = ctx.policy

    const current = typeof y.get(['model']) === 'string' ? (y.get(['model']) as string) : undefined
    const slot = slotModel(policy, {agent: name, stepKind: 'subagent', explicit: true}, current)
    if (slot.model) {
      // (`opus[1m]` on the policy's Opus keeps its long context window, as the settings file does.)
      const alias = aliasModel(policy, current)
      const long = alias === slot.model && longContext(current!)
      const value = current === 'inherit' ? slot.model : spellLike(long ? `${slot.model}[1m]` : slot.model, current)
      if (value === current || (current !== undefined && current !== 'inherit' && sameModel(current, value)))
        out.settled.push('model')
      else if (y.setScalar(['model'], value)) {
        // (Naming the model an alias ran, `opus` → claude-opus-4-6, moves no call: no routing.)
        if (!(alias !== undefined && sameModel(alias, value)))
          movesCalls(out, current === 'inherit' ? undefined : current)
        // (`opus[1m]`, the long context: a model of another family may not have it.)
        if (current && longContext(current) && !longContext(value))
          out.notes.push(
            `model: the long context window of "${current}" ([1m]) is not carried over to ${value}: check the agent's runs do not need it`,
          )
        out.changes.push({where: 'model', ...(current ? {from: current} : {}), to: value, why: slot.why ?? ''})
      }
    }

    for (const s of relevantSuggestions(ctx.suggestions, this.formats)) {
      if (s.scope.agent !== name) continue
      if (s.prevention === 'call-limit' && s.callLimit) {
        const before = y.get(['maxTurns'])
        if (!shouldTighten(before, s.callLimit.maxLlmCalls, false)) {
          out.settled.push('maxTurns')
          out.held.push(s.id)
        } else if (y.setScalar(['maxTurns'], s.callLimit.maxLlmCalls)) {
          out.changes.push({
            where: 'maxTurns',
            ...(shown(before) ? {from: shown(before)} : {}),
            to: String(s.callLimit.maxLlmCalls),
            why: s.title,
            prunes: [s.id],
          })
          out.expressed.push(s.id)
        }
        if (s.callLimit.maxCostUsd !== undefined)
          out.unsupported.push(`${shortName(s)}: a subagent file has no cost limit; maxTurns carries the call limit`)
      } else out.unsupported.push(`${shortName(s)}: a subagent's front matter has no setting for it`)
    }

    const usage = ctx.toolUsage.get(name)
    let emptyServers = false
    if (usage && usage.traces >= MIN_RUNS_FOR_UNUSED) {
      const unusedWhy = (what: string): string =>
        `none of the ${usage.traces} analysed runs of ${name} called ${what}: its definition rides in every call's context for nothing (saving not measured: tool definitions are not in the traces)`
      const tools = y.get(['tools'])
      if (typeof tools === 'string') {
        const list = tools
          .split(',')
          .map(t => t.trim())
          .filter(Boolean)
        const keep = list.filter(t => usage.used.has(t) || isPattern(t))
        if (keep.length > 0 && keep.length < list.length) {
          y.setScalar(['tools'], keep.join(', '))
          for (const t of list.filter(x => !keep.includes(x)))
            out.changes.push({
              where: 'tools',
              from: t,
              to: '(removed)',
              why: unusedWhy(t),
              prunes: [`unused-tool:${name}:${t}`],
            })
        }
      } else if (Array.isArray(tools)) {
        const drop = tools
          .map((t, i) => ({t, i}))
          .filter(({t}) => typeof t === 'string' && !usage.used.has(t) && !isPattern(t))
        if (drop.length < tools.length)
          for (const {t, i} of drop.reverse()) {
            y.removeFromList(['tools'], i)
            out.changes.push({
              where: 'tools',
              from: String(t),
              to: '(removed)',
              why: unusedWhy(String(t)),
              prunes: [`unused-tool:${name}:${t}`],
            })
          }
      }
      const servers = y.get(['mcpServers'])
      if (Array.isArray(servers)) {
        const serverName = (s: unknown): string | undefined =>
          typeof s === 'string'
            ? s
            : s && typeof s === 'object' && Object.keys(s).length === 1
              ? Object.keys(s)[0]
              : undefined
        const drop = servers
          .map((s, i) => ({s: serverName(s), i}))
          .filter(({s}) => s !== undefined && ![...usage.used].some(t => t.startsWith(`mcp__${s}__`)))
        // (Every server gone: the key is left an empty list, `[]`, not a key with no value, which YAML reads as null.)
        const all = drop.length === servers.length
        for (const {s, i} of drop.reverse()) {
          try {
            y.removeFromList(['mcpServers'], i)
            out.changes.push({
              where: 'mcpServers',
              from: s!,
              to: '(removed)',
              why: unusedWhy(`any tool of the ${s} MCP server`),
              prunes: [`unused-mcp:${name}:${s}`],
            })
          } catch (error) {
            if (!(error instanceof ShapeError)) throw error
          }
        }
        if (all && drop.length > 0 && (y.get(['mcpServers']) ?? null) === null) emptyServers = true
      }
    }
    const front = emptyServers
      ? y.text.replace(/^(mcpServers:)[ \t]*(#.*)?$/m, (_, key, note) => `${key} []${note ? ` ${note}` : ''}`)
      : y.text
    out.text = source.slice(0, fm.start) + front + source.slice(fm.end)
    return out
  },
}

/** A tool entry that names a pattern (`Bash(git *)`, `mcp__server__*`), not one tool. */
function isPattern(tool: string): boolean {
  return /[(*]/.test(tool)
}
