/**
 * Once per test run, in vitest's main process. Every test, and every CLI a test spawns, makes its temporary
 * files under one folder of this run (TMPDIR, which `os.tmpdir()` reads and the workers and child processes
 * inherit), removed when the run ends: no `aco-*` folders left behind. And when ../shared/corpus is absent (a
 * user's clone), one line says so where it is seen, not only in the names of skipped suites.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export default function setup(): () => void {
  // Once for the run, though each project of the config asks
  if (process.env.ACO_TEST_TMPDIR) return () => {}
  const root = mkdtempSync(join(tmpdir(), 'aco-test-run-'))
  const before = process.env.TMPDIR
  process.env.TMPDIR = root
  process.env.ACO_TEST_TMPDIR = root
  const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url))
  if (!existsSync(corpus))
    process.stderr.write(
      `\n  ../shared/corpus is absent (${corpus}): the tests over real traces are skipped (see README, "The corpus")\n\n`,
    )
  return () => {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
    delete process.env.ACO_TEST_TMPDIR
    rmSync(root, {recursive: true, force: true})
  }
}
