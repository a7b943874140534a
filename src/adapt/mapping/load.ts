/** Loads a `--mapping FILE`: a file aco cannot read, parse, validate or compile is a usage error naming the problem. */
import {readInputText} from '../../util/fs-errors.js'
import {compileMapping, parseMapping, type CompiledMapping} from './compile.js'

export async function loadMapping(path: string): Promise<CompiledMapping> {
  const text = await readInputText(
    path,
    'the mapping file',
    'Give a YAML or JSON format mapping (schemas/format-mapping.schema.json).',
  )
  return compileMapping(parseMapping(text, path))
}
