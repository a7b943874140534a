/** The adapters aco knows, most specific first. */
import type {FormatId} from '../card/types.js'
import {claudeCodeAdapter} from './claude-code.js'
import {codexAdapter} from './codex.js'
import {miniSweAgentAdapter} from './mini-swe-agent.js'
import {sweAgentAdapter} from './swe-agent.js'
import type {Adapter} from './types.js'

export const ADAPTERS: readonly Adapter[] = [codexAdapter, claudeCodeAdapter, sweAgentAdapter, miniSweAgentAdapter]

export function adapterFor(format: FormatId): Adapter | undefined {
  return ADAPTERS.find((a) => a.format === format)
}

/** The formats a user can name with `--format`. */
export function knownFormats(): FormatId[] {
  return ADAPTERS.map((a) => a.format)
}
