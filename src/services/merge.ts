/**
 * What `aco merge` does without oclif: reads the shard results it is given,
 * checks each against the `aco analyze --json` schema, and merges them.
 */
import {readFile} from 'node:fs/promises'
import {mergeResults} from '../analyze/merge.js'
import type {AnalyzeResult} from '../analyze/result.js'
import {AcoError} from '../errors.js'
import {describeFsError} from '../util/fs-errors.js'
import {validator} from '../util/schemas.js'
import {parseJson} from '../util/json-parse.js'

export async function mergeFiles(paths: readonly string[]): Promise<ReturnType<typeof mergeResults>> {
  const validate = validator('analyze-result')
  const parts: AnalyzeResult[] = []
  for (const path of paths) {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      throw new AcoError(
        'usage',
        `Cannot read ${path}: ${describeFsError(error)}.`,
        'Name the --json results of aco analyze --shard i/n.',
      )
    }
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
