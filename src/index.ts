/**
 * aco as a library: the same core the CLI uses.
 */
export {analyze, defaultTracePaths, type AnalyzeOptions, type AnalyzeRun} from './analyze/analyze.js'
export {toResult, type AnalyzeResult} from './analyze/result.js'
export {PriceBook, type UserPrice} from './price/book.js'
export {AcoError, ExitCode} from './errors.js'
export * from './card/types.js'
export {loadRouter, type LoadedRouter, type RouteItem, type RouterJson} from './learn/router.js'
export {
  loadPolicy,
  route,
  runGuard,
  type LoadedPolicy,
  type PolicyStep,
  type RunGuard,
  type Verdict,
} from './policy/load.js'
export type {RoutingPolicy} from './policy/types.js'
