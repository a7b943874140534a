/**
 * Built-in formats defined by mappings (`mappings/*.yaml` at the package
 * root), not by code: LangSmith run exports and LiteLLM spend logs. They go
 * through the same schema, path checks and reader as a user's mapping, which
 * is what proves the mechanism.
 */
import {readFileSync} from 'node:fs'
import type {FormatId} from '../../card/types.js'
import type {DocumentAdapter, JsonlAdapter} from '../types.js'
import {mappingAdapters} from './adapter.js'
import {compileMapping, parseMapping} from './compile.js'

const dir = new URL('../../../mappings/', import.meta.url)

/**
 * A built-in mapping's readers, compiled on first use: parsing the YAML and
 * checking it against the mapping schema cost every run of aco (start-up) a
 * good part of its time, and most runs meet no file of these formats.
 */
function builtin(file: string, label: string, format: FormatId): [JsonlAdapter, DocumentAdapter] {
  let real: [JsonlAdapter, DocumentAdapter] | undefined
  const get = (): [JsonlAdapter, DocumentAdapter] => {
    real ??= mappingAdapters(
      compileMapping(parseMapping(readFileSync(new URL(file, dir), 'utf8'), `mappings/${file}`)),
      label,
    )
    return real
  }
  return [
    {
      kind: 'jsonl',
      format,
      label,
      sniffWhenForced: true,
      get looksFor() {
        return get()[0].looksFor
      },
      sniff: records => get()[0].sniff(records),
      open: ctx => get()[0].open(ctx),
    },
    {
      kind: 'json',
      format,
      label,
      sniffWhenForced: true,
      get looksFor() {
        return get()[1].looksFor
      },
      sniff: doc => get()[1].sniff(doc),
      parse: (doc, ctx) => get()[1].parse(doc, ctx),
    },
  ]
}

export const [langsmithJsonlAdapter, langsmithDocumentAdapter] = builtin(
  'langsmith.yaml',
  'LangSmith runs',
  'langsmith',
)
export const [litellmSpendJsonlAdapter, litellmSpendDocumentAdapter] = builtin(
  'litellm-spend.yaml',
  'LiteLLM spend logs',
  'litellm-spend',
)
