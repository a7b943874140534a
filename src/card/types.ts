/**
 * The TraceCard: the one shape every stage after `adapt` reads.
 * These types mirror `schemas/tracecard.schema.json`; a test validates real
 * cards against the schema so the two cannot drift apart.
 */

export const SCHEMA_VERSION = '1.0' as const

/** Formats aco reads. `detect` returns one of these (or nothing). */
export const FORMAT_IDS = [
  'claude-code',
  'codex',
  'swe-agent',
  'mini-swe-agent',
  'openhands',
  'aider',
  'aider-llm-history',
  'cline',
  'opencode',
  'copilot-cli',
  'gemini-api',
  'gemini-cli',
  'otel',
  'openai-agents',
  'langfuse',
  'langsmith',
  'api-log',
  'litellm-spend',
  'cassette',
  'atif',
  'mapping',
] as const
export type FormatId = (typeof FORMAT_IDS)[number]

/**
 * Token counts with one meaning everywhere:
 * - `input`: prompt tokens neither read from nor written to the cache;
 * - `cacheRead`: prompt tokens read from the cache;
 * - `cacheWrite`: prompt tokens written to the cache (`cacheWrite1h` of them at the 1-hour rate, when known);
 * - `output`: generated tokens, reasoning included;
 * - `reasoning`: the part of `output` that was reasoning.
 */
export interface Tokens {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  reasoning: number
  /** The part of `cacheWrite` written with a 1-hour TTL, when the source says. */
  cacheWrite1h?: number
}

/** How a step's cost was obtained. */
export type CostSource = 'computed' | 'recorded' | 'estimated' | 'unpriced'

export interface StepCost {
  /** The cost counted in totals; null when the step could not be priced. */
  usd: number | null
  source: CostSource
  /** The part of `usd` paid for the prompt (input, cache reads and writes), when known. */
  inputUsd?: number
  /**
   * Of `usd`, what writing the prompt cache cost over reading the same tokens from it, when the call wrote any: the
   * price of extending or rebuilding a cache the next call reads (not counted again in a flagged step's share).
   */
  cacheWritePremiumUsd?: number
  /** A cost the source tool itself recorded for this step, kept beside the computed one. */
  recordedUsd?: number
}

export type ToolStatus = 'ok' | 'error' | 'unknown'

/** A tool call an LLM step issued, and (on the tool step) what came back. */
export interface ToolCall {
  /** The call id the source gave (`toolu_…`, `call_…`), or one aco made up. */
  callId: string
  name: string
  /** The tool aco knows this one works as (a format mapping's `steps.tool.as`), read by the detectors in place of `name`. */
  as?: string
  /** The arguments, with long strings shortened (see `argsHash` for identity). */
  arguments: unknown
  /** A stable hash of the full, normalised arguments. */
  argsHash: string
  status: ToolStatus
  exitCode?: number
  /** Size of the result in characters. */
  outputChars?: number
  /** A stable hash of the full result text, less what differs from run to run of one command (Codex's chunk id, wall time, a JSON output's duration). */
  outputHash?: string
  /** The first characters of the result. */
  excerpt?: string
  /** Distinctive words of a large result (paths, identifiers), to see whether later steps used it. */
  terms?: string[]
  /**
   * The call went on in the background after its result came back (Claude Code's async agents and background shell
   * commands); `finishedAt`: when the harness said it finished, absent while the log does not say.
   */
  background?: {finishedAt?: string}
}

export interface Flag {
  kind: string
  reason: string
  confidence: number
  wastedUsd: number
  /** Ids of the steps that show why (e.g. the earlier identical call). */
  evidence: string[]
  /** The LLM call that issued it has no price (its model is not in the catalog, or the log records no tokens): what it
   * wasted is not known, and `wastedUsd` counts none of it. */
  unpriced?: boolean
  /**
   * Of `wastedUsd`, what carrying the step's result in the later calls' context cost (absent when nothing): the rest
   * is the step's share of the LLM call that issued it.
   */
  carriedUsd?: number
}

export interface Uncertainty {
  /** Mean of 1 − p over generated tokens. */
  meanOneMinusP: number
  /** Mean entropy (nats) over the top alternatives. */
  entropy?: number
}

export interface Step {
  index: number
  id: string
  kind: 'llm' | 'tool'
  /** For a tool step: the LLM step that issued the call. */
  parentStepId?: string
  model?: string
  /**
   * The provider the trace names for an LLM call (OpenTelemetry's `gen_ai.provider.name` or `gen_ai.system`, the
   * Vercel AI SDK's `ai.model.provider`), as written: it prices a model the catalog knows only with its provider
   * (`text-embedding-3-small` from OpenAI).
   */
  provider?: string
  startedAt?: string
  endedAt?: string
  /**
   * The time the log dates the call by, where that is not its end: Claude Code writes a response over several records
   * and ccusage dates it by the first (the one it keeps), so `--by` and `--since`/`--until` do too.
   */
  loggedAt?: string
  durationMs?: number
  tokens?: Tokens
  /** True when `tokens` are estimates (a split of recorded totals, rounded counts), not counts the source reported for this call. */
  estimated?: boolean
  /**
   * The output tokens the log recorded, when aco replaced them with an estimate from the text (Claude Code's
   * streaming placeholder: 1 or 8 tokens for an answer of thousands of characters).
   */
  recordedOutput?: number
  /**
   * The log records this call's output tokens alone (Copilot CLI writes a process's input and cache counts when it
   * ends, and this call's process never wrote them): its input and cache counts are not 0 but unknown, and not counted.
   */
  inputUnrecorded?: boolean
  cost?: StepCost
  /**
   * On LLM steps whose tokens sum several model turns of one API call (a server tool the model called, Claude's
   * advisor): the prompt of the last turn, what the context held (`tokens` are what was billed).
   */
  context?: number
  /** On LLM steps: the ids of the tool steps this call started. */
  toolStepIds?: string[]
  /** On tool steps: the call and its result. */
  tool?: ToolCall
  /** Ids of child traces (subagents) this step started. */
  childTraceIds?: string[]
  /** An excerpt of what the model said (its first 1,000 characters). */
  text?: string
  /** The user turn the step belongs to (0 before the first prompt); a new prompt starts a new turn. */
  turn?: number
  /** The directory a tool call ran in, when the source records it per call and it differs from the card's `cwd`. */
  cwd?: string
  /**
   * On tool steps: the sandbox the call ran under, when the source records it per turn (Codex's `turn_context`
   * `sandbox_policy`, as `sandboxPolicy` writes it). Calls escalated out of it say so in their arguments.
   */
  sandbox?: string
  stopReason?: string
  /**
   * On LLM steps: the source recorded that the context was compacted before this call (Codex's `compacted` item, Claude
   * Code's `compact_boundary` or `microcompact_boundary`, an OpenHands condensation).
   */
  compacted?: boolean
  uncertainty?: Uncertainty
  flags?: Flag[]
  /** Where the step was read from (1-based line, when the source is line-oriented). */
  line?: number
}

export interface Totals {
  costUsd: number
  tokens: Tokens
  steps: number
  llmCalls: number
  toolCalls: number
  wastedUsd: number
  /** LLM calls whose model has no price: their tokens are counted, their cost is not. */
  unpricedCalls: number
  /** The costs the source tool recorded per call, summed over the calls that record one (not a total a trace records for itself alone: see `recordedCost`). */
  recordedCostUsd?: number
}

/** Totals the source tool itself reported for the trace (SWE-agent model_stats, Codex total_token_usage…). */
export interface RecordedTotals {
  source: string
  costUsd?: number
  tokens?: Partial<Tokens>
  apiCalls?: number
}

export interface UnpricedModel {
  model: string
  tokens: Tokens
  calls: number
  reason: string
}

export interface CardWarning {
  line?: number
  message: string
  /**
   * Tokens the warning is about, priced by the price stage: estimated tokens counted in the totals
   * (`counted`), or tokens of calls the log lost that are not (`counted: false`).
   */
  estimate?: WarningEstimate
  /** The id of the subagent trace the warning is about (its transcript was not read): dropped when it is. */
  subagent?: string
}

export interface WarningEstimate {
  model?: string
  /** The tokens of `calls` calls together (each call is priced at its own size: tiers go by one prompt's). */
  tokens: Tokens
  calls: number
  counted: boolean
  /** What the tokens cost at the model's price (set by the price stage; absent when the model has none). */
  usd?: number
}

export interface TaskInfo {
  id?: string
  title?: string
  outcome?: {
    resolved?: boolean
    exitStatus?: string
    /** The verifier's reward, where the benchmark gives one (Harbor / Terminal-Bench: 1 when every test passed). */
    reward?: number
    /** The verifier's tests (a CTRF report). */
    tests?: {passed: number; failed: number; total: number}
    source: string
  }
}

export interface TraceCard {
  schemaVersion: typeof SCHEMA_VERSION
  id: string
  source: {
    format: FormatId
    path: string
    /** The version of the tool that wrote the trace (its last record's). */
    toolVersion?: string
    /** The version its first record names, where the session went on under another (resumed after an update). */
    toolVersionFirst?: string
    /** Which client wrote it (Codex `originator`, Claude Code `userType`…). */
    originator?: string
    /** The format mapping the file was read with (`aco analyze --mapping`), by its name. */
    mapping?: string
    /**
     * True when the log records cache tokens where its format does not say so (a mapping that maps `cacheRead` or
     * `cacheWrite`): a count of 0 is then a cache not used, not one not recorded.
     */
    recordsCache?: boolean
    /** The trace id the source gave (OpenTelemetry, OpenAI Agents SDK): parts of one trace read from several files are joined on it. */
    traceId?: string
    /**
     * OpenTelemetry: the parent span id of each span of this file that has one, so that when parts of a
     * trace are joined a call in one file under a call in another (both stating the same usage) counts once.
     * Removed from the card once the parts are joined (aco analyze).
     */
    parentSpans?: Record<string, string>
    /**
     * OpenTelemetry: the usage spans that wrap calls (an agent's, Vercel's `ai.generateText`) state, by span id, where
     * it differs from the calls under them in this file: a trace split over files may hold the rest of those calls in
     * another, so the joined trace compares them again. Removed from the card once the parts are joined.
     */
    rollupUsage?: Record<string, {name: string; input: number; output: number}>
    /**
     * OpenTelemetry: the tool steps of this file whose span named no call id and which no call here issued: when the
     * parts of a trace are joined, each answers the call of its name another file saw issued (trial 116). Removed from
     * the card once the parts are joined.
     */
    unissuedTools?: string[]
  }
  sessionId?: string
  title?: string
  cwd?: string
  gitBranch?: string
  task?: TaskInfo
  /** For a subagent: the trace and step that started it. */
  parent?: {
    traceId?: string
    sessionId?: string
    stepId?: string
    toolCallId?: string
    agentId?: string
    agentType?: string
  }
  startedAt?: string
  endedAt?: string
  models: string[]
  /** Totals of this card's own steps; children have their own. */
  totals: Totals
  recorded?: RecordedTotals
  unpriced: UnpricedModel[]
  steps: Step[]
  /** Subagents and other nested traces. */
  children: TraceCard[]
  warnings: CardWarning[]
}
