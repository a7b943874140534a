/**
 * What `aco merge` does without oclif: reads the shard results it is given,
 * checks each against the `aco analyze --json` schema, and merges them.
 */
import {mergeResults} from '../analyze/merge.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {AcoError} from '../errors.js'
import {readInputText} from '../util/fs-errors.js'
import {validator} from '../util/schemas.js'
import {parseJson} from '../util/json-parse.js'

export async function mergeFiles(paths: readonly string[]): Promise<ReturnType<typeof mergeResults>> {
  const validate = validator('analyze-result')
  const parts: AnalyzeResult[] = []
  for (const path of paths) {
    // (A regular file of a size a string holds: a FIFO blocked the read forever, /dev/zero read 512 MB; trial 127.)
    const text = await readInputText(path, 'the shard result', 'Name the --json results of aco analyze --shard i/n.')
    let value: unknown
    try {
      value = parseJson(text)
    } catch (error) {
      throw new AcoError(
        'usage',
        `${path} is not JSON: ${(error as Error).message}.`,
        'Save each shard with aco analyze --shard i/n --json > part-i.json.',
      )
    }
    if (!validate(value))
      throw new AcoError(
        'usage',
        `${path} is not an aco analyze --json result.`,
        'Save each shard with aco analyze --shard i/n --json > part-i.json.',
      )
    parts.push(value as AnalyzeResult)
  }
  return mergeResults(parts)
}
