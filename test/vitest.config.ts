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
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: E2E,
          // The fast files share their worker processes: a fresh process per file cost more CPU than the tests
          // themselves (87 s against 34 s for these files). A test that changes process-wide state (the working
          // folder, a spy on stdout) puts it back when done.
          poolOptions: {forks: {isolate: false}},
        },
      },
      {extends: true, test: {name: 'e2e', include: E2E}},
    ],
  },
})
