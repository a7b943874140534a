/**
 * Review 50's inputs (`fixtures/review50/`, notes in `test/corpus/waste-labels/REVIEW50.md`): the later rules of
 * 2026-12-05 (kills after a start, zsh's parse errors, review 49's mends, what a prompt tells), as the reviewer tried to
 * break them. Each is pinned as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review50/${name}`)

describe('review 50', () => {
  it("1: zsh's parse error at the line's end is a repeat only for a heredoc again, and not once one went through", async () => {
    // A loop without `done`, an `if` without `fi`: other constructs left open, the same words from zsh.
    expect(await flagsOf('zsh-parse-newline-other-construct.jsonl')).toEqual({})
    expect(await flagsOf('zsh-parse-newline-next-turn.jsonl')).toEqual({})
    expect(await flagsOf('zsh-parse-heredoc-again-control.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('zsh-parse-paren-across-turns.jsonl')).toEqual({4: 'failed-repeat'})
    expect(await flagsOf('zsh-parse-sandbox-prefix.jsonl')).toEqual({3: 'failed-repeat'})
    // Claude Code's Bash on macOS runs the line through zsh's eval: `(eval):6: parse error near …` (left by review 50
    // as a miss, mended with the rest).
    expect(await flagsOf('cc-zsh-eval-parse-error-twice.jsonl')).toEqual({2: 'failed-repeat'})
    // Two lines bash cannot parse, the same stray `)`: flagged as before (its reason says "retries"; left).
    expect(await flagsOf('bash-syntax-error-twice.jsonl')).toEqual({3: 'failed-repeat'})
  })

  it('2: a prompt speaks of the network by its words for it, not by "connection" or "proxy" in code', async () => {
    expect(await flagsOf('network-next-turn-db-connection.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('network-next-turn-proxy-module.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('network-next-turn-plain-control.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('network-next-turn-run-again-control.jsonl')).toEqual({})
    // A retry asked for, or the network spoken of, excuses no look at files.
    for (const name of [
      'reread-next-turn-connection-string.jsonl',
      'reread-next-turn-reconnected.jsonl',
      'reread-next-turn-run-tests-again.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({2: 'reread-unchanged'})
  })

  it('3: a range read is tried lower only within one turn', async () => {
    for (const name of [
      'range-read-61-after-silent-person-edit.jsonl',
      'range-read-62-after-silent-person-edit.jsonl',
      'range-read-63-after-silent-person-edit.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it("4: a string a PowerShell module left open is the module's mistake", async () => {
    expect(await flagsOf('powershell-module-open-string-fixed-between.jsonl')).toEqual({5: 'failed-repeat'})
  })

  it('5: a kill again after any call left a process running is another kill (an unrelated start too: left)', async () => {
    // `npm run dev` starts the `next dev` that `pkill -f "next dev"` ends: a start is not told by the kill's name.
    expect(await flagsOf('kill-after-unrelated-bg-watch.jsonl')).toEqual({})
    expect(await flagsOf('codex-kill-after-running-server.jsonl')).toEqual({5: 'duplicate-call'})
    expect(await flagsOf('kill-cd-and-pkill-after-nohup.jsonl')).toEqual({5: 'duplicate-call'})
    expect(await flagsOf('pkill-failed-then-started.jsonl')).toEqual({5: 'failed-repeat'})
    for (const name of [
      'codex-kill-0-between.jsonl',
      'docker-stop-after-start.jsonl',
      'kill-npx-kill-port-after-bg-server.jsonl',
      'kill-port-subst-after-bg-server.jsonl',
      'kill-port-xargs-after-bg-server.jsonl',
      'tmux-kill-session-after-new.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('6: a person saying they fixed something tells of no change to a file; added or inserted does', async () => {
    expect(await flagsOf('reread-i-fixed-ci.jsonl')).toEqual({2: 'reread-unchanged'})
    expect(await flagsOf('reread-we-fixed-the-bug.jsonl')).toEqual({2: 'reread-unchanged'})
    expect(await flagsOf('own-write-reread-control.jsonl')).toEqual({2: 'reread-unchanged'})
    expect(await flagsOf('own-write-reread-we-added.jsonl')).toEqual({2: 'reread-unchanged'})
  })
})
