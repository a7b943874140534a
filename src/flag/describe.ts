/** What each waste detector finds, in one line, for reports and help. */
import type {DetectorKind} from './finding.js'

export const DETECTOR_DESCRIPTIONS: Record<DetectorKind, string> = {
  loop: 'the agent cycles through the same few actions with the same results, three times or more',
  'failed-repeat': 'a failed call repeated unchanged, failing the same way',
  'duplicate-call': 'the same tool call with the same arguments while its earlier result still held',
  'reread-unchanged': 'a file read again, though no step changed it since it was read',
  'near-duplicate': 'a read mostly overlapping an earlier one, or a search repeated with a trivially different pattern',
  'unused-output': 'a large tool result no later step referred to, carried as context in every later call',
  'context-growth': 'a run of calls whose context grew while every tool call repeated earlier work or failed',
}
