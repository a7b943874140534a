/**
 * Lists of formats kept by hand beside the readers (test/card/format-ids.test.ts keeps them equal to what the
 * registry's readers say), so the commands and the summary need not load every reader to know them.
 */

/**
 * The formats a user can name with `--format`, in the order detection tries
 * their readers: what `knownFormats()` of the registry gives (a test keeps the
 * two equal), without loading every reader. A command's flags are built when
 * its file is imported, so importing the registry there made every run of
 * `aco analyze` load all readers (and js-yaml, jsonpath-plus) first, even one
 * that reads nothing but the cache.
 */
import type {FormatId} from '../card/types.js'

export const NAMED_FORMATS: readonly FormatId[] = [
  'codex',
  'claude-code',
  'swe-agent',
  'mini-swe-agent',
  'openhands',
  'gemini-api',
  'gemini-cli',
  'aider',
  'aider-llm-history',
  'cline',
  'opencode',
  'copilot-cli',
  'atif',
  'langfuse',
  'openai-agents',
  'otel',
  'langsmith',
  'litellm-spend',
  'api-log',
  'cassette',
]

/** Formats whose usage always carries cache fields (their readers' `recordsCache`): no cache tokens, no cache used. */
export const RECORDS_CACHE_FORMATS: readonly FormatId[] = ['codex', 'claude-code', 'gemini-cli', 'opencode']
