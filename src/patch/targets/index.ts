/** Every kind of file aco patch renders a policy into, by the KIND a user types in `--target KIND:PATH`. */
import type {TargetAdapter} from '../target.js'
import {acoPolicyTarget} from './aco-policy.js'
import {claudeAgentTarget} from './claude-agent.js'
import {claudeSettingsTarget} from './claude-settings.js'
import {codexConfigTarget} from './codex-config.js'
import {instructionsTarget} from './instructions.js'
import {litellmTarget} from './litellm.js'
import {miniSweAgentTarget, sweAgentTarget} from './swe-agent.js'

export const TARGETS: readonly TargetAdapter[] = [
  acoPolicyTarget,
  litellmTarget,
  claudeSettingsTarget,
  claudeAgentTarget,
  codexConfigTarget,
  sweAgentTarget,
  miniSweAgentTarget,
  instructionsTarget,
]

export const TARGET_KINDS: readonly string[] = TARGETS.map(t => t.kind)

export function targetAdapter(kind: string): TargetAdapter | undefined {
  return TARGETS.find(t => t.kind === kind)
}
