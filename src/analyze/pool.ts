/**
 * Runs units on all cores when there is enough work to pay for starting
 * worker threads (the main thread is one of them, and merges), in the main
 * thread alone otherwise. Results are handed over in unit order, whatever
 * order the threads finish in, so output is deterministic.
 */
import {availableParallelism} from 'node:os'
import type {Worker} from 'node:worker_threads'
import type {FormatMapping} from '../adapt/mapping/types.js'
import type {FormatId} from '../card/types.js'
import type {UserPrice} from '../price/book.js'
import type {UnitCache} from './cache.js'
import type {UnitResult, UnitStates} from './process-unit.js'
import type {Unit} from './units.js'
import {lazyModule} from '../util/lazy-module.js'

/** Loaded by the runs that use them (see lazy-module.ts): worker threads, and v8 to bound the heap's growth. */
const threadsModule = lazyModule<typeof import('node:worker_threads')>('node:worker_threads')
const v8 = lazyModule<typeof import('node:v8')>('node:v8')

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

/**
 * Below this much input, a worker costs more to start than it saves. With V8's budgets below (`budgetCompiler`), two
 * threads on two cores took 0.83x the wall time of one (which has none) over 20 MB of the bench corpus and 0.79x over 97
 * MB (without them 1.03x and 0.96x: one thread kept the second core half busy optimizing code, and a worker optimized it
 * all again).
 */
const MIN_BYTES_FOR_WORKERS = 16 * 1024 * 1024
/**
 * A worker's young generation (V8: three semi-spaces' worth; its default is 16 MB semi-spaces, 48 MB). What a unit
 * keeps is small; 12 MB (24 before) took the bench's peak from 217-223 to 207-212 MB with the same CPU time, and 6 MB
 * (once lean cards were no longer redacted, which moved the peak back to ~200 MB) from 198-200 to 181-185 MB, CPU
 * within the runs' spread (paired ratio 0.97).
 */
const WORKER_YOUNG_MB = 6

/** How long the pool waits for a worker to end once every result is delivered (it finishes writing its entries). */
const WORKER_END_MS = 60_000

let heapBounded = false
let compilerBudgeted = false

/**
 * The analysis holds one session at a time: what survives a full collection is
 * small (~20 MB over the bench corpus), and the rest of the heap is garbage.
 * V8 lets the old generation grow to up to 4× what survived before the next
 * full collection, by a factor it derives from how fast the program allocates
 * against how fast it collects, so a change in the detectors' allocation
 * pattern moved one thread's peak by 30-40 MB with the same live data. A fixed
 * factor of 1.5 bounds it (a process-wide V8 flag, read at each collection).
 */
const BOUND_HEAP_FROM = 16 * 1024 * 1024

function boundHeapGrowth(): void {
  if (heapBounded) return
  heapBounded = true
  v8().setFlagsFromString('--heap-growing-percent=50')
}

/**
 * How much bytecode TurboFan inlines into one function it optimizes (V8's default: 920 bytes). Every thread is a V8
 * instance of its own that optimizes the same large functions again (the flag context's loop, coverage's, the
 * detectors'), and compiling them with their callees inlined took ~1.5 s of CPU per thread over the bench corpus, more
 * than they then saved: at 300, the bench corpus took 0.944x the CPU and 0.952x the wall time with both cores (five
 * pairs), the same bytes out.
 */
const INLINE_BUDGET = 300
/**
 * How much a function runs before V8 optimizes it (its "interrupt budget", in bytecodes executed; V8's default is
 * 67,584). Hundreds of aco's functions run often enough to be optimized by the default, most of them for less time
 * than optimizing them takes, and each thread optimizes them again. Eight times the default leaves the lukewarm ones
 * to V8's baseline code: over the bench corpus with both cores 0.90x the CPU and 0.91x the wall time (4 pairs), the
 * same bytes out.
 */
const INTERRUPT_BUDGET = 8 * 67_584

/**
 * Both budgets, for runs with workers only (process-wide V8 flags, set before any worker starts): one thread leaves a
 * core to V8's compiler, which then costs no time, and there the budgets made the whole bench corpus 1.13x slower (3
 * pairs; 0.97x the CPU), its hottest code being less optimized.
 */
function budgetCompiler(): void {
  if (compilerBudgeted) return
  compilerBudgeted = true
  v8().setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINE_BUDGET}`)
  v8().setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`)
}

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

type Computed = {result: UnitResult; hit: boolean; resumed: number}

/** This thread's reader of units: loads the readers and the catalog at its first unit (a run from the cache may need neither). */
async function localReader(options: PoolOptions): Promise<(unit: Unit) => Promise<Computed>> {
  // Loaded here, not at the top: a run from the cache may never price, and the catalog is large.
  const {cachedUnit} = await import('./cache.js')
  let reader: ((unit: Unit, states?: UnitStates) => Promise<UnitResult>) | undefined
  const unitOptions = {format: options.format, mapping: options.mapping, lean: options.lean, redact: options.redact}
  const read = async (unit: Unit, states?: UnitStates): Promise<UnitResult> => {
    if (!reader) {
      const [{PriceBook}, {processUnit}] = await Promise.all([import('../price/book.js'), import('./process-unit.js')])
      const book = new PriceBook(options.prices)
      reader = (u, s) => processUnit(u, book, unitOptions, s)
    }
    return reader(unit, states)
  }
  return async unit =>
    options.cache
      ? cachedUnit(unit, options.cache, states => read(unit, states))
      : {result: await read(unit), hit: false, resumed: 0}
}

/**
 * With N threads, the main thread is one of them beside N − 1 workers: it
 * only merges otherwise, mostly waiting, and every worker is a V8 instance
 * more to start and hold (~70 MB of memory, its modules loaded and compiled
 * again).
 *
 * Every thread takes the next unit from one counter shared by all
 * (`Atomics.add` on a SharedArrayBuffer), so no thread waits to be handed
 * work: the main thread, busy with a unit of its own, cannot answer a
 * worker's message until it is done, and units handed out in advance (the
 * pool's first design) left the worker idle whenever the main thread's unit
 * outlasted its queue (17% of the worker's time over the bench corpus), and
 * a queue still full at the end was an idle tail for the main thread. Now a
 * thread is idle at most for the length of one unit, at the end. Results are
 * delivered in unit order; a thread does not start a unit more than
 * `maxAhead` past the first one not yet delivered, so the results waiting for
 * a slower, earlier unit stay bounded.
 */
export async function runUnits(
  units: readonly Unit[],
  options: PoolOptions,
  onResult: (result: UnitResult, unit: Unit, index: number, fromCache: boolean, resumed: number) => void,
): Promise<void> {
  // Over a few megabytes the heap stays small whatever its growth: v8 is not loaded for that.
  if (units.reduce((n, u) => n + u.bytes, 0) >= BOUND_HEAP_FROM) boundHeapGrowth()
  const threads = await threadCount(units, options)
  if (threads > 1) budgetCompiler()
  const local = await localReader(options)
  // (A run stopped by a signal leaves no entry half-written, in any thread.)
  if (options.cache) (await import('./cache.js')).removeTempEntriesOnSignal(options.cache.dir)
  // The cache's entries are written while the next unit is read (see cache.ts's `keepEntry`): whole by the run's end.
  const settle = async (): Promise<void> => {
    if (options.cache) await (await import('./cache.js')).settleEntries()
  }
  if (threads <= 1) {
    for (let i = 0; i < units.length; i++) {
      const {result, hit, resumed} = await local(units[i]!)
      onResult(result, units[i]!, i, hit, resumed)
      // (A unit read without the cache awaits nothing that lets the event loop run: a Ctrl-C or SIGTERM is heard here,
      // after each, not only when the run is over (trial 84: `--no-cache --out` ran to its end and replaced the cards).)
      await new Promise(r => setImmediate(r))
    }
    await settle()
    return
  }

  // [NEXT]: the next unit to take; [DELIVERED]: units delivered so far (workers wait on it when too far ahead).
  const shared = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT))
  const done = new Map<number, Computed>()
  let delivered = 0
  const workers: Worker[] = []
  const exits: Promise<void>[] = []
  // Results wait here for an earlier, slower unit; this many at most, so memory stays bounded.
  const maxAhead = threads * 16
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false
      /** Wakes the main thread's own loop when it waits for an earlier unit to be delivered. */
      let wake: (() => void) | undefined
      const fail = (error: Error): void => {
        if (failed) return
        failed = true
        // Workers waiting to start a unit give up.
        Atomics.store(shared, NEXT, units.length)
        Atomics.store(shared, DELIVERED, units.length)
        Atomics.notify(shared, DELIVERED)
        reject(error)
        wake?.()
      }
      const finished = (index: number, computed: Computed): void => {
        if (failed) return
        done.set(index, computed)
        try {
          while (done.has(delivered)) {
            const {result, hit, resumed} = done.get(delivered)!
            done.delete(delivered)
            onResult(result, units[delivered]!, delivered, hit, resumed)
            delivered++
          }
        } catch (error) {
          fail(error as Error)
          return
        }
        Atomics.store(shared, DELIVERED, delivered)
        Atomics.notify(shared, DELIVERED)
        wake?.()
        if (delivered === units.length) resolve()
      }
      for (let t = 1; t < threads; t++) {
        const worker = new (threadsModule().Worker)(new URL('./worker.js', import.meta.url), {
          workerData: {
            format: options.format,
            mapping: options.mapping,
            prices: options.prices,
            lean: options.lean,
            redact: options.redact,
            cache: options.cache,
            units,
            shared,
            maxAhead,
          } satisfies WorkerInit,
          resourceLimits: {maxYoungGenerationSizeMb: WORKER_YOUNG_MB},
        })
        worker.on('message', (message: WorkerMessage) => {
          if (failed) return
          if (message.error !== undefined) {
            fail(new Error(`reading ${units[message.index]?.files[0]?.path} failed: ${message.error}`))
            return
          }
          finished(message.index, {result: message.result!, hit: message.hit ?? false, resumed: message.resumed ?? 0})
        })
        worker.on('error', fail)
        workers.push(worker)
        exits.push(new Promise<void>(end => worker.once('exit', () => end())))
      }
      // The main thread's own share: one unit at a time, letting the workers' messages in between.
      const work = async (): Promise<void> => {
        try {
          for (;;) {
            const index = Atomics.add(shared, NEXT, 1)
            if (failed || index >= units.length) return
            // Too far ahead of what is delivered: wait for the workers' results (they arrive between awaits).
            while (!failed && index - delivered >= maxAhead) await new Promise<void>(r => (wake = r))
            wake = undefined
            if (failed) return
            const computed = await local(units[index]!)
            finished(index, computed)
            await new Promise(r => setImmediate(r))
          }
        } catch (error) {
          fail(error as Error)
        }
      }
      void work()
    })
    // Done: each worker ends once its entries are written (it has no other work, and nothing keeps it alive). A
    // worker still writing after a minute (a stuck file system) is stopped: its entries are misses next time.
    await Promise.race([
      Promise.all([settle(), ...exits]),
      new Promise<void>(end => setTimeout(end, WORKER_END_MS).unref()),
    ])
  } finally {
    // (On a failure, at once; after the workers ended, it does nothing.)
    await Promise.all(workers.map(w => w.terminate()))
  }
}

/** The shared counters' slots. */
export const NEXT = 0
export const DELIVERED = 1

/** What a worker is started with. */
export interface WorkerInit {
  format?: FormatId
  mapping?: FormatMapping
  prices?: UserPrice[]
  lean?: boolean
  redact?: boolean
  cache?: UnitCache
  /** Every unit of the run; a worker takes the next from `shared[NEXT]`. */
  units: readonly Unit[]
  shared: Int32Array
  /** A worker does not start a unit this far past `shared[DELIVERED]`. */
  maxAhead: number
}

/** A unit's result (or its error), posted by a worker. */
export interface WorkerMessage {
  index: number
  result?: UnitResult
  hit?: boolean
  resumed?: number
  error?: string
}
