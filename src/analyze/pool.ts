/**
 * Runs units on worker threads (all cores) when there is enough work to pay
 * for starting them, in the main thread otherwise. The main thread only
 * merges. Results are handed over in unit order, whatever order the workers
 * finish in, so output is deterministic.
 */
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import type {FormatMapping} from '../adapt/mapping/types.js'
import type {FormatId} from '../card/types.js'
import type {UserPrice} from '../price/book.js'
import type {UnitCache} from './cache.js'
import type {UnitResult, UnitStates} from './process-unit.js'
import type {Unit} from './units.js'

export interface PoolOptions {
  format?: FormatId
  mapping?: FormatMapping
  prices?: UserPrice[]
  /** Worker threads: 0 or undefined decides from the amount of work; 1 = none (all in the main thread). */
  threads?: number
  /** Return lean cards (see lean.ts) when nobody needs the cards themselves. */
  lean?: boolean
  /** Redact secrets in what cards keep (default true). */
  redact?: boolean
  /** Keep and reuse per-unit results (see cache.ts). */
  cache?: UnitCache
}

/** Below this much input, a worker costs more to start than it saves. */
const MIN_BYTES_FOR_WORKERS = 16 * 1024 * 1024
/** Units queued per worker, so it never waits for the main thread. */
const QUEUE_PER_WORKER = 2

async function threadCount(units: readonly Unit[], options: PoolOptions): Promise<number> {
  // Workers run the compiled JavaScript; from TypeScript sources (tests, dev) stay in one thread.
  if (!import.meta.url.endsWith('.js')) return 1
  if (options.threads !== undefined && options.threads > 0) return Math.min(options.threads, Math.max(1, units.length))
  // What the cache holds is read, not worked on: only the rest counts (a second run over the same logs stays in one thread).
  const cache = options.cache
  const isCached = cache ? (await import('./cache.js')).isCached : undefined
  const bytes = units.reduce((n, u) => n + (cache && isCached?.(u, cache) ? 0 : u.bytes), 0)
  if (bytes < MIN_BYTES_FOR_WORKERS || units.length < 4) return 1
  return Math.max(1, Math.min(availableParallelism(), 4, units.length))
}

export async function runUnits(
  units: readonly Unit[],
  options: PoolOptions,
  onResult: (result: UnitResult, unit: Unit, index: number, fromCache: boolean, resumed: number) => void,
): Promise<void> {
  const threads = await threadCount(units, options)
  if (threads <= 1) {
    // Loaded here, not at the top: with workers the main thread never prices, and the catalog is large.
    // The readers and the catalog load at the first unit the cache does not hold (a second run may need neither).
    const {cachedUnit} = await import('./cache.js')
    let reader: ((unit: Unit, states?: UnitStates) => Promise<UnitResult>) | undefined
    const unitOptions = {format: options.format, mapping: options.mapping, lean: options.lean, redact: options.redact}
    const read = async (unit: Unit, states?: UnitStates): Promise<UnitResult> => {
      if (!reader) {
        const [{PriceBook}, {processUnit}] = await Promise.all([
          import('../price/book.js'),
          import('./process-unit.js'),
        ])
        const book = new PriceBook(options.prices)
        reader = (u, s) => processUnit(u, book, unitOptions, s)
      }
      return reader(unit, states)
    }
    for (let i = 0; i < units.length; i++) {
      const {result, hit, resumed} = options.cache
        ? await cachedUnit(units[i]!, options.cache, states => read(units[i]!, states))
        : {result: await read(units[i]!), hit: false, resumed: 0}
      onResult(result, units[i]!, i, hit, resumed)
    }
    return
  }

  const done = new Map<number, {result: UnitResult; hit: boolean; resumed: number}>()
  let delivered = 0
  let next = 0
  const workers: Worker[] = []
  const feeders: Array<() => void> = []
  // Results wait here for an earlier, slower unit; this many at most, so memory stays bounded.
  const maxAhead = threads * 16
  try {
    await new Promise<void>((resolve, reject) => {
      const deliver = (): void => {
        while (done.has(delivered)) {
          const {result, hit, resumed} = done.get(delivered)!
          done.delete(delivered)
          onResult(result, units[delivered]!, delivered, hit, resumed)
          delivered++
        }
        if (delivered === units.length) resolve()
      }
      for (let t = 0; t < threads; t++) {
        const worker = new Worker(new URL('./worker.js', import.meta.url), {
          workerData: {
            format: options.format,
            mapping: options.mapping,
            prices: options.prices,
            lean: options.lean,
            redact: options.redact,
            cache: options.cache,
          },
        })
        let inFlight = 0
        const feed = (): void => {
          while (inFlight < QUEUE_PER_WORKER && next < units.length && next - delivered < maxAhead) {
            worker.postMessage({index: next, unit: units[next]})
            inFlight++
            next++
          }
        }
        worker.on(
          'message',
          (message: {index: number; result?: UnitResult; hit?: boolean; resumed?: number; error?: string}) => {
            inFlight--
            if (message.error !== undefined) {
              reject(new Error(`reading ${units[message.index]?.files[0]?.path} failed: ${message.error}`))
              return
            }
            done.set(message.index, {result: message.result!, hit: message.hit ?? false, resumed: message.resumed ?? 0})
            try {
              deliver()
            } catch (error) {
              reject(error as Error)
              return
            }
            // Delivering may have unblocked every worker, not only this one.
            for (const f of feeders) f()
          },
        )
        worker.on('error', reject)
        workers.push(worker)
        feeders.push(feed)
        feed()
      }
    })
  } finally {
    await Promise.all(workers.map(w => w.terminate()))
  }
}
