/** Loads a `--outcomes FILE`; a file aco cannot use at all is a usage error. */
import {readFile} from 'node:fs/promises'
import {describeFsError} from '../discover/walk.js'
import {AcoError} from '../errors.js'
import {parseOutcomes, type Outcome} from './outcomes.js'

export interface LoadedOutcomes {
  outcomes: Map<string, Outcome>
  /** Lines that could not be used, with their line numbers. */
  problems: Array<{line?: number; reason: string}>
}

export async function loadOutcomes(path: string): Promise<LoadedOutcomes> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new AcoError('usage', `Cannot read the outcomes file ${path}: ${describeFsError(error)}.`)
  }
  const {outcomes, problems} = parseOutcomes(text, path)
  if (outcomes.size === 0) {
    const first = problems[0]
    throw new AcoError(
      'usage',
      `No outcome in ${path}${first ? ` (${first.line ? `line ${first.line}: ` : ''}${first.reason})` : ''}.`,
      'Give a SWE-bench report.json ({instance_id: {resolved}}), a results.json ({resolved: [ids]}) or JSONL lines {instance_id, resolved}.',
    )
  }
  return {outcomes, problems}
}
