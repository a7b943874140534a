/**
 * Review 15's inputs (`fixtures/review15/`, notes in `test/corpus/waste-labels/REVIEW15.md`): the rules of 2026-12-02
 * (late morning, second) for runs repeated at a later turn, changes shown in one folder, and no network in the
 * sandbox, as the reviewer tried to break them. Each is pinned here as it stands after the mends (or, where left, as
 * it is, with why).
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review15/${name}`)

describe('review 15', () => {
  it('P1: a check after the agent worked in a turn whose prompt said the person had changed the file', async () => {
    // Left at first (aco kept nothing of the prompt); mended 2026-12-02 (midday): a short prompt saying the person
    // changed files ("I reworked greet() in app.py in my editor") makes looks and runs again in that turn no repeats.
    expect(await flagsOf('person-edited-then-asked-more.jsonl')).toEqual({})
    expect(await flagsOf('person-edited-then-asked-more-claude.jsonl')).toEqual({})
  })

  it('P2: a commit (or a rebase) alone is no work of the agent in the turn: the check after it may be the one asked for', async () => {
    expect(await flagsOf('commit-then-asked-check.jsonl')).toEqual({})
    expect(await flagsOf('rebased-then-asked-for-tests.jsonl')).toEqual({})
  })

  it('P3, P4: no network is the sandbox once a call escalated out of it went through, in the later turn itself, or once the log records it', async () => {
    // A person who opened the network and asked for a commit and a push; a lookup failing for a moment; no sandbox.
    expect(await flagsOf('network-opened-commit-then-push.jsonl')).toEqual({})
    expect(await flagsOf('transient-dns-wait-and-retry-claude.jsonl')).toEqual({})
    expect(await flagsOf('full-access-network-came-back.jsonl')).toEqual({})
    // Nothing escalated there at all; but the turn's sandbox is on record (workspace-write, no network), so the same host
    // failing again is the same wall: 6 `go build` after 5 `go mod download` (proxy.golang.org), 8 `apt-get download`
    // after 7 `apt-get install` (archive.ubuntu.com), as the reviewer would flag them (P8). Not 4, curl of another host;
    // not 3, whose output names no host.
    expect(await flagsOf('no-network-other-tools.jsonl')).toEqual({6: 'failed-repeat', 8: 'failed-repeat'})
  })

  it("P5, P6, P9: git's abort fails a command line that ran git alone, once; its last line with no newline after it", async () => {
    // `cat notes/todo.md; git -C notes log … | head`: the cat did its work, and a later read of todo.md is a re-read.
    expect(await flagsOf('read-beside-a-git-abort.jsonl')).toEqual({3: 'reread-unchanged'})
    // A loop over folders whose last is no repository: the others answered; run again, a duplicate.
    expect(await flagsOf('status-loop-last-folder-not-a-repo.jsonl')).toEqual({3: 'duplicate-call'})
    // Claude Code keeps no newline after the output's last line.
    expect(await flagsOf('git-fatal-last-line-claude.jsonl')).toEqual({3: 'failed-repeat'})
  })

  it('P7: a file a command says it wrote, read after a change it made elsewhere, is no re-read', async () => {
    expect(await flagsOf('script-writes-two-folders.jsonl')).toEqual({})
  })

  it('what held up: reads from inside the changed folder, Windows paths, failures of another cause', async () => {
    expect(await flagsOf('change-shown-read-from-inside-the-folder.jsonl')).toEqual({})
    expect(await flagsOf('change-shown-windows-paths.jsonl')).toEqual({})
    expect(await flagsOf('push-key-then-missing-repo.jsonl')).toEqual({})
    expect(await flagsOf('push-key-then-missing-repo-claude.jsonl')).toEqual({})
  })
})
