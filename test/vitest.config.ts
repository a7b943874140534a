import {defineConfig} from 'vitest/config'

/**
 * The slow end-to-end tests: they spawn the built CLI (bin/run.js) as a user
 * would, many times over, or train routers through it. A new file of that
 * kind is named *.e2e.test.ts or put in test/e2e/. `npm run test:fast` runs
 * everything else; `npm test` runs both.
 */
const E2E = ['test/e2e/**/*.test.ts', 'test/**/*.e2e.test.ts', 'test/router/e2e.test.ts', 'test/review/tmux.test.ts']

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The fast files share worker threads (no fresh process or module graph per file: that cost more CPU than
    // the tests themselves). A test that changes process-wide state (a spy on stdout) puts it back when done.
    poolOptions: {threads: {isolate: false}},
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: E2E,
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          // Each end-to-end file in a fresh process of its own.
          pool: 'forks',
          // Concurrent end-to-end tests share two cores with each other and the fast files: two CLI runs at a
          // time, and room for a busy machine.
          maxConcurrency: 2,
          testTimeout: 120_000,
        },
      },
    ],
  },
})
