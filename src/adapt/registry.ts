/** The adapters aco knows, most specific first. */
import type {FormatId} from '../card/types.js'
import {claudeCodeAdapter} from './claude-code.js'
import {codexAdapter} from './codex.js'
import {aiderAdapter} from './aider.js'
import {aiderLlmHistoryAdapter} from './aider-llm-history.js'
import {clineAdapter} from './cline.js'
import {clineUiAdapter} from './cline-ui.js'
import {opencodeAdapter} from './opencode.js'
import {copilotCliAdapter} from './copilot-cli.js'
import {geminiApiAdapter} from './gemini-api.js'
import {geminiCliDocumentAdapter, geminiCliJsonlAdapter} from './gemini-cli.js'
import {geminiHeadlessJsonAdapter, geminiStreamAdapter} from './gemini-stream.js'
import {openhandsAdapter} from './openhands.js'
import {miniSweAgentAdapter} from './mini-swe-agent.js'
import {sweAgentAdapter} from './swe-agent.js'
import {apiLogAdapter} from './api-log.js'
import {atifAdapter} from './atif.js'
import {langfuseDocumentAdapter, langfuseJsonlAdapter} from './langfuse.js'
import {openaiAgentsDocumentAdapter, openaiAgentsJsonlAdapter} from './openai-agents.js'
import {cassetteJsonAdapter, cassetteYamlAdapter} from './cassette.js'
import {otelDocumentAdapter, otelJsonlAdapter} from './otel/adapters.js'
import {
  langsmithDocumentAdapter,
  langsmithJsonlAdapter,
  litellmSpendDocumentAdapter,
  litellmSpendJsonlAdapter,
} from './mapping/builtin.js'
import type {Adapter} from './types.js'

export const ADAPTERS: readonly Adapter[] = [
  codexAdapter,
  claudeCodeAdapter,
  sweAgentAdapter,
  miniSweAgentAdapter,
  openhandsAdapter,
  geminiApiAdapter,
  geminiCliJsonlAdapter,
  geminiCliDocumentAdapter,
  geminiStreamAdapter,
  geminiHeadlessJsonAdapter,
  aiderAdapter,
  aiderLlmHistoryAdapter,
  clineAdapter,
  clineUiAdapter,
  opencodeAdapter,
  copilotCliAdapter,
  // Formats of production agents and APIs (issue 17): after the coding agents, whose files they must never claim.
  atifAdapter,
  langfuseDocumentAdapter,
  langfuseJsonlAdapter,
  openaiAgentsJsonlAdapter,
  openaiAgentsDocumentAdapter,
  otelJsonlAdapter,
  otelDocumentAdapter,
  langsmithJsonlAdapter,
  langsmithDocumentAdapter,
  litellmSpendJsonlAdapter,
  litellmSpendDocumentAdapter,
  apiLogAdapter,
  cassetteJsonAdapter,
  cassetteYamlAdapter,
]

/** The readers of a format (most have one; Gemini CLI has a JSON and a JSONL reader). */
export function adaptersFor(format: FormatId): Adapter[] {
  return ADAPTERS.filter(a => a.format === format)
}

/** The formats a user can name with `--format`. */
export function knownFormats(): FormatId[] {
  // One format may have two readers (Gemini CLI's JSON and JSONL recordings): name it once.
  return [...new Set(ADAPTERS.map(a => a.format))]
}
