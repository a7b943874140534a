/**
 * Review 42's inputs (`fixtures/review42/`, notes in `test/corpus/waste-labels/REVIEW42.md`): a helper's 67 realistic
 * sessions and 166 probes against every detector, looking for wrong flags. Each family it found is mended and pinned
 * here, beside a control that keeps its right flag.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review42/${name}`)

describe('review 42', () => {
  it('a temporary file written is changed: a script under /tmp rewritten, a log under /tmp a running job writes', async () => {
    // `cat > /tmp/q.py <<EOF … EOF` between two `python /tmp/q.py`: another script (and a failure after it a fix tried).
    expect(await flagsOf('tmp-script-rewrite.jsonl')).toEqual({})
    expect(await flagsOf('tmp-script-failed.jsonl')).toEqual({})
    // `nohup npm run dev > /tmp/next.log 2>&1 &`: its log goes on growing; `cat /tmp/next.log` again is no re-read.
    expect(await flagsOf('bglog-cat.jsonl')).toEqual({})
    // Controls: the same script run twice, unchanged; a finished command's log read twice.
    expect(await flagsOf('tmp-script-same.jsonl')).toEqual({3: 'duplicate-call'})
    expect(await flagsOf('tmp-log-done.jsonl')).toEqual({3: 'reread-unchanged'})
  })

  it('a failure met again after waiting, or after ending the process in the way, is no retry', async () => {
    // `sleep 60 && gh pr checks 42` twice (exit 8: pending); a health check of a server starting, after `sleep 5`.
    expect(await flagsOf('gh-checks-pending.jsonl')).toEqual({})
    expect(await flagsOf('curl-poll-sleep.jsonl')).toEqual({})
    // `npm start` (EADDRINUSE), `kill 8812`, `npm start`: the kill was the fix tried.
    expect(await flagsOf('kill-port.jsonl')).toEqual({})
  })

  it('a look again after waiting on a job left running is a poll of what it writes', async () => {
    // `nohup python train.py … &`, `ls checkpoints/`, `sleep 60`, `ls checkpoints/`; a worker started with Claude
    // Code's run_in_background, its own log read, `sleep 10`, read again.
    expect(await flagsOf('bg-outputs-poll.jsonl')).toEqual({})
    expect(await flagsOf('claude-bg-applog.jsonl')).toEqual({})
    // Control: a log read again after `sleep 5` with nothing left running.
    expect(await flagsOf('wait-no-job.jsonl')).toEqual({3: 'reread-unchanged'})
  })

  it('tests run again with the environment the line exports are another run', async () => {
    // `export DATABASE_URL=postgresql://… && pytest -v tests/test_db.py`, `env DATABASE_URL=… pytest …` after pytest.
    expect(await flagsOf('env-export-tests.jsonl')).toEqual({})
    expect(await flagsOf('env-cmd-tests.jsonl')).toEqual({})
  })
})

describe('review 43 (a pass over review 42’s mends)', () => {
  const of = (name: string): Promise<Record<number, string>> => fixtureFlags(`review43/${name}`)

  it('a poll looks at what a job may write: not source, configuration or git; and only while the job runs', async () => {
    // `cat app/main.py` (a Read of src/server.ts) again around `sleep 2` while a server runs; `git log` twice; a grep
    // of configs/small.yaml while a training run goes on: the job writes none of them.
    expect(await of('poll-src-reread.jsonl')).toEqual({5: 'reread-unchanged'})
    expect(await of('claude-poll-src-reread.jsonl')).toEqual({5: 'reread-unchanged'})
    expect(await of('poll-gitlog.jsonl')).toEqual({5: 'duplicate-call'})
    expect(await of('train-poll-config.jsonl')).toEqual({9: 'reread-unchanged'})
    // The job had ended before the wait: Claude Code's KillShell, a BashOutput showing it completed, `pkill -f`
    // naming it, `tmux kill-session`.
    expect(await of('claude-killshell-poll.jsonl')).toEqual({5: 'reread-unchanged'})
    expect(await of('claude-bashoutput-completed.jsonl')).toEqual({5: 'reread-unchanged'})
    expect(await of('pkill-then-poll.jsonl')).toEqual({5: 'reread-unchanged'})
    expect(await of('tmux-killed-poll.jsonl')).toEqual({5: 'reread-unchanged'})
  })

  it('a wait or a kill between two failures is a fix tried only where it could be one', async () => {
    // A SyntaxError, a type error from a build or from tsc, across a `sleep` (a server running beside tsc, which
    // writes no code): no job whose work could change them, no answer from elsewhere.
    expect(await of('sleep-syntax.jsonl')).toEqual({3: 'failed-repeat'})
    expect(await of('lead-sleep-build.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await of('sleep-tsc-server.jsonl')).toEqual({4: 'failed-repeat'})
    // A kill between two SyntaxErrors; a kill that failed ("No such process") or only checked (`kill -0`).
    expect(await of('pkill-unrelated.jsonl')).toEqual({3: 'failed-repeat'})
    expect(await of('kill-failed.jsonl')).toEqual({3: 'failed-repeat'})
    expect(await of('kill0-check.jsonl')).toEqual({3: 'failed-repeat'})
  })

  it('another environment, or a temporary input the line names rewritten, is another run', async () => {
    // `export DATABASE_URL=… && pytest`, `env DATABASE_URL=… pytest`, failing as the plain run did: another database.
    expect(await of('export-db-failed.jsonl')).toEqual({})
    expect(await of('env-db-failed.jsonl')).toEqual({})
    // `python scripts/validate.py /tmp/payload.json` after the payload was rewritten.
    expect(await of('tmp-input-dup.jsonl')).toEqual({})
    expect(await of('tmp-input-failed.jsonl')).toEqual({})
  })
})
