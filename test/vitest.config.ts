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
    setupFiles: ['test/setup/yield.ts'],
    globalSetup: ['test/setup/global.ts'],
    // The fast files share worker threads, two of them (no fresh process or module graph per file: that cost more
    // CPU than the tests themselves). A test that changes process-wide state (a spy on stdout) puts it back.
    // The end-to-end files run after the fast ones, two at a time (a test worker mostly waits on its CLI run):
    // beside the fast files, whose timing limits (a router trained in seconds) would mean less.
    poolOptions: {threads: {isolate: false, minThreads: 1, maxThreads: 2}, forks: {minForks: 1, maxForks: 2}},
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: E2E,
          pool: 'threads',
          sequence: {groupOrder: 0},
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          // Each end-to-end file in a fresh process of its own.
          pool: 'forks',
          sequence: {groupOrder: 1},
          // The analyze end-to-end tests run side by side (describe.concurrent), two CLI runs at a time; and
          // room for a busy machine.
          maxConcurrency: 2,
          testTimeout: 120_000,
        },
      },
    ],
  },
})
