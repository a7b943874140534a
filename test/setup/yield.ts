/**
 * Before each test, one turn of the event loop. Tests that wait on the CLI
 * without yielding (spawnSync) or train a router in-process run back to back
 * on microtasks alone; vitest's worker meanwhile waits for the answers to its
 * progress reports, and after a minute without a turn of the loop it fails
 * the run ("Timeout calling onTaskUpdate"), though every test passed. A turn
 * before each test lets those answers in, so only a single test of over a
 * minute could still trip it.
 */
import {beforeEach} from 'vitest'

beforeEach(() => new Promise<void>(resolve => setImmediate(resolve)))
