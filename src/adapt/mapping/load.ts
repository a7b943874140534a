/** Loads a `--mapping FILE`: a file aco cannot read, parse, validate or compile is a usage error naming the problem. */
import {readFile} from 'node:fs/promises'
import {describeFsError} from '../../discover/walk.js'
import {AcoError} from '../../errors.js'
import {compileMapping, parseMapping, type CompiledMapping} from './compile.js'

export async function loadMapping(path: string): Promise<CompiledMapping> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new AcoError('usage', `Cannot read the mapping file ${path}: ${describeFsError(error)}.`)
  }
  return compileMapping(parseMapping(text, path))
}
