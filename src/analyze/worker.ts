/**
 * A worker thread of `aco analyze`: processes the units the main thread sends
 * and posts the results back. Prices are resolved once per worker.
 */
import {parentPort, workerData} from 'node:worker_threads'
import type {FormatMapping} from '../adapt/mapping/types.js'
import type {FormatId} from '../card/types.js'
import {PriceBook, type UserPrice} from '../price/book.js'
import {cachedUnit, type UnitCache} from './cache.js'
import {processUnit, type UnitStates} from './process-unit.js'
import type {Unit} from './units.js'

interface Init {
  format?: FormatId
  mapping?: FormatMapping
  prices?: UserPrice[]
  lean?: boolean
  redact?: boolean
  cache?: UnitCache
}

const init = workerData as Init
const book = new PriceBook(init.prices)

parentPort?.on('message', (message: {index: number; unit: Unit}) => {
  const compute = (states?: UnitStates): ReturnType<typeof processUnit> =>
    processUnit(
      message.unit,
      book,
      {format: init.format, mapping: init.mapping, lean: init.lean, redact: init.redact},
      states,
    )
  const work = init.cache
    ? cachedUnit(message.unit, init.cache, compute)
    : compute().then(result => ({result, hit: false, resumed: 0}))
  work.then(
    ({result, hit, resumed}) => parentPort?.postMessage({index: message.index, result, hit, resumed}),
    (error: unknown) =>
      parentPort?.postMessage({index: message.index, error: error instanceof Error ? error.message : String(error)}),
  )
})
