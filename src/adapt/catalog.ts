/**
 * What `aco formats` says about each format: its name, where the tool that
 * writes it keeps its logs, and whether the card's totals are checked against
 * totals the file itself records. How each is recognised comes from its
 * readers (`looksFor`), so it cannot drift from detection. A `Record` over
 * every format id: a new format without an entry does not compile.
 */
import type {FormatId} from '../card/types.js'
import {ADAPTERS} from './registry.js'

interface CatalogEntry {
  name: string
  where: string
  totals: string
  /** Built-in formats defined by a mapping file (mappings/*.yaml) rather than code. */
  mapping?: string
}

const CATALOG: Record<FormatId, CatalogEntry> = {
  'claude-code': {
    name: 'Claude Code session',
    where: '~/.claude/projects/<project>/<session>.jsonl, subagents in <session>/subagents/agent-*.jsonl',
    totals: 'no totals in the file; calls counted once per (message.id, requestId), checked over the corpus',
  },
  codex: {
    name: 'Codex CLI rollout',
    where: '$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl and archived_sessions/ (default ~/.codex)',
    totals:
      'yes: card tokens = the final total_token_usage (where the total goes back, a review mode restarting it, the calls counted by their own last_token_usage)',
  },
  'swe-agent': {
    name: 'SWE-agent trajectory',
    where: 'trajectories/<user>/<run>/<instance>.traj (0.x), <output>/<instance>/<instance>.traj (1.x)',
    totals: 'yes: card tokens and cost = info.model_stats (per-step split estimated)',
  },
  'mini-swe-agent': {
    name: 'mini-swe-agent trajectory',
    where: '<output>/<instance>/<instance>.traj.json',
    totals: 'yes: Σ extra.cost = info.model_stats.instance_cost, calls = api_calls',
  },
  openhands: {
    name: 'OpenHands event stream',
    where:
      'a saved trajectory (one JSON array of events), an exported conversation ({conversation, events}), or the server answer at /api/conversations/{id}/trajectory',
    totals: 'yes: recorded cost = the last llm_metrics.accumulated_cost',
  },
  aider: {
    name: 'Aider chat history',
    where: '.aider.chat.history.md in the repository',
    totals: 'yes: message costs add up to the session cost (within the printed rounding)',
  },
  'aider-llm-history': {
    name: 'Aider LLM I/O log',
    where: '--llm-history-file (.aider.llm.history)',
    totals: 'no totals (no tokens in this log)',
  },
  cline: {
    name: 'Cline task history (Roo Code and Kilo Code keep the same files)',
    where:
      "VS Code's globalStorage/saoudrizwan.claude-dev/tasks/<task id>/api_conversation_history.json (or a copy of it), and ui_messages.json beside it",
    totals:
      "no totals in the file; each assistant message carries its own metrics.tokens, summed, or, where it carries none, its API request's usage in ui_messages.json beside it",
  },
  opencode: {
    name: 'OpenCode session export or database',
    where:
      '~/.local/share/opencode/opencode.db (OpenCode 1.2+, every session; its opencode.db-wal read with it), or `opencode export <session id>` (one JSON document; Entire keeps the same as full.jsonl)',
    totals:
      "yes: the session's info.tokens (the database: its tokens_* columns, OpenCode 1.17+) = Σ its messages' tokens (cache and reasoning apart)",
  },
  'copilot-cli': {
    name: 'GitHub Copilot CLI session',
    where: '~/.copilot/session-state/<session id>/events.jsonl (Entire keeps the same as full.jsonl)',
    totals:
      "per process: session.shutdown's modelMetrics (input with the cache in it, output) per model; each call's output tokens",
  },
  'gemini-api': {
    name: 'Gemini API responses',
    where: 'Gemini CLI recorded responses (*.responses)',
    totals: 'yes: token sum = Σ totalTokenCount',
  },
  'gemini-cli': {
    name: 'Gemini CLI chat recording, or its headless output (--output-format stream-json or json)',
    where:
      '~/.gemini/tmp/<project hash>/chats/session-*.json(l); headless runs: wherever a CI job or harness keeps what `gemini -p … -o stream-json` (or `-o json`) printed',
    totals:
      "yes: each reply's token sum = its tokens.total; a headless run's card tokens = its stats (split over its calls, estimated)",
  },
  otel: {
    name: 'OpenTelemetry GenAI spans (GenAI semconv, OpenInference, Vercel AI SDK)',
    where:
      'wherever the exporter writes: the Collector file exporter (one OTLP/JSON batch a line), an OTLP/JSON dump, span dumps from ConsoleSpanExporter / test exporters, Phoenix / Arize exports',
    totals:
      'yes where wrapper spans carry usage (Vercel ai.generateText, invoke_agent, chains): card tokens = their sum; llm.token_count.total / gen_ai.usage.total_tokens per span',
  },
  'openai-agents': {
    name: 'OpenAI Agents SDK trace export',
    where:
      'what a trace processor saves: the ingest payload {data: [...]}, a JSON array or JSONL of trace and trace.span items',
    totals: "yes where the SDK's task span carries usage: card tokens = it",
  },
  langfuse: {
    name: 'Langfuse trace export',
    where:
      'the UI\'s "Download JSON" (trace-<id>.json, session-<id>.json), the Observations API ({data: [...]}), table exports as JSONL',
    totals: "yes: Σ generation costs = the trace's totalCost; usage types = their total",
  },
  langsmith: {
    name: 'LangSmith run export',
    where: 'Client.list_runs() / the Runs API saved as a JSON array, {runs: [...]} or JSONL',
    totals: "yes: card tokens and recorded cost = the root run's prompt/completion tokens and total_cost",
    mapping: 'mappings/langsmith.yaml',
  },
  'api-log': {
    name: 'Provider API log (request/response pairs)',
    where:
      'what a proxy or SDK hook logs: JSONL of {request, response} or of bare responses (OpenAI, Anthropic, Gemini, TGI)',
    totals: "yes: each response's tokens = its own total_tokens / totalTokenCount",
  },
  'litellm-spend': {
    name: 'LiteLLM spend logs',
    where: 'the LiteLLM proxy database (LiteLLM_SpendLogs) via GET /spend/logs, saved as JSON or JSONL',
    totals: "yes: Σ spend is the recorded cost; each row's tokens = its total_tokens",
    mapping: 'mappings/litellm-spend.yaml',
  },
  cassette: {
    name: 'HTTP cassette (VCR)',
    where:
      'test suites: cassettes/**/*.yaml (VCR.py, pytest-recording, pydantic-ai), Ruby VCR fixtures, JSON cassettes',
    totals: "yes: each response's tokens = its own total_tokens / totalTokenCount",
  },
  atif: {
    name: 'ATIF trajectory (Harbor / Terminal-Bench)',
    where:
      "Harbor jobs: <job>/<trial>/agent/trajectory.json, the trial's result.json and verifier/ctrf.json beside it (the task outcome)",
    totals: 'yes: card tokens and cost = final_metrics (split over the calls, estimated, when steps carry no metrics)',
  },
  mapping: {
    name: 'A format described by a mapping (--mapping FILE)',
    where:
      'yours: describe it with JSONPath in YAML or JSON (schemas/format-mapping.schema.json; mappings/*.yaml are examples)',
    totals: 'yes when the mapping names recorded totals (recorded.when / recorded.tokens / recorded.costUsd)',
  },
}

export interface FormatInfo {
  id: FormatId
  name: string
  /** What detection looks for, per reader. */
  recognisedBy: string[]
  where: string
  totalsChecked: string
  /** The mapping file a built-in format is defined by, when it is not code. */
  definedBy: string
}

/** Every format aco reads, in the order detection tries them. */
export function formatCatalog(): FormatInfo[] {
  const ids: FormatId[] = []
  for (const a of ADAPTERS) if (!ids.includes(a.format)) ids.push(a.format)
  ids.push('mapping')
  return ids.map(id => {
    const entry = CATALOG[id]
    const looks = [...new Set(ADAPTERS.filter(a => a.format === id).map(a => a.looksFor))]
    return {
      id,
      name: entry.name,
      recognisedBy: looks.length ? looks : ['the detect rules of the mapping you give (every file, without them)'],
      where: entry.where,
      totalsChecked: entry.totals,
      definedBy: entry.mapping ?? (id === 'mapping' ? 'your mapping file' : 'code'),
    }
  })
}
