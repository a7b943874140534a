/**
 * Review 49's inputs (`fixtures/review49/`, notes in `test/corpus/waste-labels/REVIEW49.md`): the rules of 2026-12-05
 * (Codex's sandbox on record, quotes lost on their way into PowerShell, range reads placed lower, listings inside a
 * find's tree), as the reviewer tried to break them. Each is pinned as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review49/${name}`)

describe('review 49', () => {
  it('1: a syntax error in double-quoted python -c code is no quote cut; single-quoted code cut at a quote is', async () => {
    // Python echoes the whole first line of its code, and a double-quoted argument's closing quote follows it.
    expect(await flagsOf('python-c-code-errors-double-quoted.jsonl')).toEqual({})
    // 1 the real cut; 2 mends the quoting; 3 code wrong as written inside it; 4 the cut made again.
    expect(await flagsOf('powershell-quotes-mended-then-code-error.jsonl')).toEqual({4: 'failed-repeat'})
  })

  it('2: only a read that lost at most two lines, in a harness that trims, is tried lower', async () => {
    // An earlier `sed -n 1,200p` of a 60-line file lost 140 lines to the file's end, not to trimming: a later read of
    // lines that all moved one lower (a person's inserted line) is no re-read.
    expect(await flagsOf('range-read-after-person-inserted-line.jsonl')).toEqual({})
    expect(await flagsOf('range-read-after-silent-person-edit.jsonl')).toEqual({})
    expect(await flagsOf('range-read-after-person-edit-codex.jsonl')).toEqual({})
    expect(await flagsOf('range-read-trailing-blank-after-person-deleted-line.jsonl')).toEqual({})
    expect(await flagsOf('range-read-past-end-after-person-deleted-line.jsonl')).toEqual({})
    // A range whose first line is blank, trimmed by Claude Code's Bash, across a turn that changed nothing.
    expect(await flagsOf('range-read-person-turn-unchanged.jsonl')).toEqual({2: 'reread-unchanged'})
  })

  it('3, 4: no network on record, but not across a prompt asking for the retry, nor on Windows', async () => {
    // 2 meets the same host in the same turn; 3 follows "I've reconnected the VPN, please run cargo build again".
    expect(await flagsOf('network-retry-person-asked.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('network-same-host-next-turn.jsonl')).toEqual({2: 'failed-repeat'})
    // Codex 0.46 on Windows recorded a sandbox it did not enforce: the machine's own network dropped.
    expect(await flagsOf('network-windows-unsandboxed.jsonl')).toEqual({})
    expect(await flagsOf('network-no-sandbox-claude-code.jsonl')).toEqual({})
    expect(await flagsOf('exec-command-failed-denied.jsonl')).toEqual({})
  })

  it("5: a string a PowerShell script left open is the script's mistake, not the command's quotes", async () => {
    // 4 runs build.ps1 again after 3 closed the string 1 met (another one further down); 5 again, nothing done.
    expect(await flagsOf('powershell-script-open-string-fixed-between.jsonl')).toEqual({5: 'failed-repeat'})
  })

  it('6: an ls inside a tree a find of its files printed, which leaves out an entry the find told of, is news', async () => {
    expect(await flagsOf('ls-after-find-person-removed-file.jsonl')).toEqual({})
    expect(await flagsOf('ls-after-find-person-moved-file-cc.jsonl')).toEqual({})
    expect(await flagsOf('ls-after-find-claude-code.jsonl')).toEqual({3: 'near-duplicate'})
    expect(await flagsOf('ls-after-find-other-workdir.jsonl')).toEqual({2: 'near-duplicate'})
    expect(await flagsOf('ls-after-find-symlinks.jsonl')).toEqual({4: 'near-duplicate'})
    expect(await flagsOf('ls-variants-after-find.jsonl')).toEqual({
      4: 'near-duplicate',
      5: 'near-duplicate',
      7: 'near-duplicate',
      10: 'near-duplicate',
    })
    for (const name of [
      'ls-after-find-then-clean-script.jsonl',
      'ls-after-find-then-make-clean.jsonl',
      'ls-after-find-then-build.jsonl',
      'ls-after-find-across-compaction.jsonl',
      'ls-after-shallow-find.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })
})
