/**
 * A worker thread of `aco analyze`: takes the next unit from the counter it
 * shares with the other threads (see pool.ts), processes it and posts the
 * result back, until none is left. Prices are resolved once per worker.
 */
import {parentPort, workerData} from 'node:worker_threads'
import {PriceBook} from '../price/book.js'
import {cachedUnit, settleEntries} from './cache.js'
import {DELIVERED, NEXT, type WorkerInit, type WorkerMessage} from './pool.js'
import {processUnit, type UnitResult, type UnitStates} from './process-unit.js'
import type {Unit} from './units.js'

const init = workerData as WorkerInit
const book = new PriceBook(init.prices)
const options = {format: init.format, mapping: init.mapping, lean: init.lean, redact: init.redact}

async function compute(unit: Unit): Promise<{result: UnitResult; hit: boolean; resumed: number}> {
  const read = (states?: UnitStates): Promise<UnitResult> => processUnit(unit, book, options, states)
  return init.cache ? cachedUnit(unit, init.cache, read) : {result: await read(), hit: false, resumed: 0}
}

async function run(): Promise<void> {
  const {units, shared, maxAhead} = init
  for (;;) {
    const index = Atomics.add(shared, NEXT, 1)
    // (The pool waits for the thread to end, so the entries it is writing are whole.)
    if (index >= units.length) return await settleEntries()
    // Not too far ahead of the first unit not yet delivered (the main thread delivers in order).
    for (let delivered = Atomics.load(shared, DELIVERED); index - delivered >= maxAhead; ) {
      Atomics.wait(shared, DELIVERED, delivered, 1000)
      delivered = Atomics.load(shared, DELIVERED)
    }
    let message: WorkerMessage
    try {
      message = {index, ...(await compute(units[index]!))}
    } catch (error) {
      message = {index, error: error instanceof Error ? error.message : String(error)}
    }
    parentPort?.postMessage(message)
  }
}

void run()
