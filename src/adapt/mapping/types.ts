/**
 * A format mapping, as `schemas/format-mapping.schema.json` defines it: a
 * format described by JSONPath expressions instead of code.
 */

export type Paths = string | string[]
/** What a format's tool does, as the waste detectors read it (see `steps.tool.as`). */
export type ToolRole = 'shell' | 'read' | 'write' | 'edit' | 'patch' | 'search' | 'glob' | 'list'
type Scalar = string | number | boolean | null

export interface Condition {
  path: string
  equals?: Scalar | Scalar[]
  exists?: boolean
}

export interface TokenPaths {
  input?: Paths
  output?: Paths
  cacheRead?: Paths
  cacheWrite?: Paths
  /** Cache writes by lifetime (Anthropic's 5-minute and 1-hour caches), beside or instead of `cacheWrite`. */
  cacheWrite5m?: Paths
  cacheWrite1h?: Paths
  reasoning?: Paths
  total?: Paths
  inputIncludesCache?: boolean
  outputIncludesReasoning?: boolean
}

export interface FormatMapping {
  $schema?: string
  name: string
  description?: string
  format?: 'langsmith' | 'litellm-spend' | 'mapping'
  detect?: {all?: Condition[]; any?: Condition[]}
  records?: string
  trace?: {id?: Paths; title?: Paths; session?: Paths}
  steps: {
    when?: Condition
    cacheHit?: Condition
    /** LLM records whose recorded cost is no cost: the source writes it where it could not price the call (LiteLLM's 0). */
    costUnknown?: Condition
    failedWhen?: Condition
    id?: Paths
    parent?: Paths
    order?: Paths
    kind?: {path: string; llm?: Scalar | Scalar[]; tool?: Scalar | Scalar[]}
    model?: Paths
    /** The provider of the call's model (`openai`, `groq`, `aws.bedrock`): it prices a model the catalog knows only with it. */
    provider?: Paths
    startedAt?: Paths
    endedAt?: Paths
    text?: Paths
    stopReason?: Paths
    error?: Paths
    tokens?: TokenPaths
    costUsd?: Paths
    tool?: {
      name?: Paths
      callId?: Paths
      arguments?: Paths
      result?: Paths
      exitCode?: Paths
      as?: Record<string, ToolRole>
    }
    toolCalls?: {path: string; id?: Paths; name?: Paths; arguments?: Paths}
  }
  recorded?: {when: Condition; tokens?: TokenPaths; costUsd?: Paths}
}
