/**
 * Libraries only some inputs need (js-yaml and yaml for cassettes and format
 * mappings, jsonpath-plus for mappings), loaded the first time they are used,
 * synchronously, instead of at the start of every run: importing them made
 * each `aco analyze` parse and evaluate ~270 KB of code it seldom runs (issue
 * 18, start-up). Loaded with node's `require` (their CommonJS builds, the same
 * code as their ES modules), from node_modules beside aco, also when aco runs
 * from its bundles. Also node's own modules that only some runs need (zlib, v8
 * and worker_threads: ~4 ms of CPU each to load, and a run over a few small
 * files uses none of them).
 */
import {createRequire} from 'node:module'

const load = createRequire(import.meta.url)

/** A getter of the module `name`, required the first time it is called. */
export function lazyModule<T>(name: string): () => T {
  let module: T | undefined
  return () => {
    module ??= load(name) as T
    return module
  }
}
