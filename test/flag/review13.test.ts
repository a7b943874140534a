/**
 * Review 13's inputs (`fixtures/review13/`, notes in `test/corpus/waste-labels/REVIEW13.md`): commands left running,
 * paths in variables and interpreters, as the rules of 2026-12-02 (morning) first had them. Each pinned input is
 * mended here; what is left is said in REVIEW13.md and pinned as it stands, so a change to it is seen.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review13/${name}`)

describe('review 13', () => {
  it('1: what a line runs before it leaves a job running (a pid file, a copied .env, a build, a folder) is written once', async () => {
    expect(await flagsOf('bg-pid-file-then-tests.jsonl')).toEqual({3: 'duplicate-call', 5: 'reread-unchanged'})
    expect(await flagsOf('bg-no-pid-file-then-tests.jsonl')).toEqual({3: 'duplicate-call', 5: 'reread-unchanged'})
    expect(await flagsOf('bg-after-setup-then-tests.jsonl')).toEqual({3: 'duplicate-call', 5: 'reread-unchanged'})
    expect(await flagsOf('bg-build-then-preview.jsonl')).toEqual({3: 'duplicate-call', 5: 'duplicate-call'})
    expect(await flagsOf('bg-logs-dir-then-tests.jsonl')).toEqual({3: 'duplicate-call', 5: 'reread-unchanged'})
  })

  it('2: a log written again changes the log alone, not the folders above it a test run depends on', async () => {
    expect(await flagsOf('bg-dev-log-then-language-tests.jsonl')).toEqual({
      3: 'duplicate-call',
      5: 'duplicate-call',
      7: 'duplicate-call',
    })
    expect(await flagsOf('bg-server-log-then-pytest-and-ls.jsonl')).toEqual({
      3: 'duplicate-call',
      5: 'duplicate-call',
      8: 'duplicate-call',
    })
  })

  it('3: what a command still running writes is its outputs, not code: a check of code is judged by the agent', async () => {
    expect(await flagsOf('codex-running-flask-server.jsonl')).toEqual({
      4: 'reread-unchanged',
      6: 'duplicate-call',
      8: 'reread-unchanged',
    })
    expect(await flagsOf('codex-running-uvicorn.jsonl')).toEqual({
      4: 'reread-unchanged',
      6: 'duplicate-call',
      8: 'reread-unchanged',
    })
  })

  it('4, 5: a job waited for (`wait $pid`) or killed (`pkill -f …`) writes no more', async () => {
    expect(await flagsOf('bg-waited-by-pid.jsonl')).toEqual({3: 'reread-unchanged', 5: 'reread-unchanged'})
    expect(await flagsOf('bg-killed-then-output-read.jsonl')).toEqual({5: 'reread-unchanged'})
  })

  it('6: what a command left running prints through tee, or under setsid, is its log', async () => {
    expect(await flagsOf('bg-tee-log-then-tests.jsonl')).toEqual({3: 'duplicate-call', 5: 'reread-unchanged'})
    expect(await flagsOf('bg-setsid-then-tests.jsonl')).toEqual({3: 'duplicate-call', 5: 'reread-unchanged'})
  })

  it('7: a job aco cannot see into, polled by looks at where it writes; `sleep 60` alone is no repeat', async () => {
    // 6 and 9 (`sleep 60`) are no longer flagged; nor, since review 42, 4, 7 and 10, each a look again after a `sleep 60`
    // while the job ran (a poll of what it writes). Left: 8, `cat save/run1/a.json` right after 7's listing of save/run1
    // showed none (a failed read asks what a listing of its folder told), with no wait between.
    expect(await flagsOf('bg-eval-polled-by-checks.jsonl')).toEqual({8: 'near-duplicate'})
  })

  it('8: a loop over a glob reads the files the glob names', async () => {
    expect(await flagsOf('loop-var-reads-after-doc-edit.jsonl')).toEqual({3: 'duplicate-call', 6: 'duplicate-call'})
  })

  it('10: uv run, py -3 and poetry run run the program they name', async () => {
    const flags = await flagsOf('interpreter-spellings.jsonl')
    for (const n of [3, 6, 15, 18, 21]) expect(flags[n]).toBe('reread-unchanged')
    // After `python -m black scripts/report.py`: the file was given to a formatter.
    expect(flags[9]).toBeUndefined()
  })
})
