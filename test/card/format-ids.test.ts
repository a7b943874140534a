import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {NAMED_FORMATS, RECORDS_CACHE_FORMATS} from '../../src/adapt/format-names.js'
import {ADAPTERS, knownFormats} from '../../src/adapt/registry.js'
import {FORMAT_IDS} from '../../src/card/types.js'
import {root} from '../helpers.js'

const schema = (
  name: string,
): {$defs: Record<string, {enum?: string[]}>; properties: Record<string, {enum?: string[]}>} =>
  JSON.parse(readFileSync(`${root}schemas/${name}.schema.json`, 'utf8'))

describe('format ids: one list, everywhere', () => {
  it('the TraceCard schema and the formats result name exactly FORMAT_IDS', () => {
    expect(schema('tracecard').$defs.format!.enum).toEqual([...FORMAT_IDS])
    expect(schema('formats-result').$defs.format!.enum).toEqual([...FORMAT_IDS])
  })

  it('every format but a user mapping has a reader; a mapping names only built-in mapped formats', () => {
    expect([...knownFormats()].sort()).toEqual(FORMAT_IDS.filter(f => f !== 'mapping').sort())
    // The commands' --format options, listed without loading the readers: the registry's list, in its order.
    expect([...NAMED_FORMATS]).toEqual(knownFormats())
    expect([...RECORDS_CACHE_FORMATS]).toEqual([...new Set(ADAPTERS.filter(a => a.recordsCache).map(a => a.format))])
    for (const f of schema('format-mapping').properties.format!.enum!) expect(FORMAT_IDS).toContain(f)
  })
})
