/**
 * Built-in formats defined by mappings (`mappings/*.yaml` at the package
 * root), not by code: LangSmith run exports and LiteLLM spend logs. They go
 * through the same schema, path checks and reader as a user's mapping, which
 * is what proves the mechanism.
 */
import {readFileSync} from 'node:fs'
import type {DocumentAdapter, JsonlAdapter} from '../types.js'
import {mappingAdapters} from './adapter.js'
import {compileMapping, parseMapping} from './compile.js'

const dir = new URL('../../../mappings/', import.meta.url)

function builtin(file: string, label: string): [JsonlAdapter, DocumentAdapter] {
  const url = new URL(file, dir)
  return mappingAdapters(compileMapping(parseMapping(readFileSync(url, 'utf8'), `mappings/${file}`)), label)
}

export const [langsmithJsonlAdapter, langsmithDocumentAdapter] = builtin('langsmith.yaml', 'LangSmith runs')
export const [litellmSpendJsonlAdapter, litellmSpendDocumentAdapter] = builtin(
  'litellm-spend.yaml',
  'LiteLLM spend logs',
)
