/**
 * Review 62's inputs (`fixtures/review62/`, notes beside each and in `test/corpus/waste-labels/REVIEW62.md`): the
 * seventh session of 2026-12-05's rules (environment runners, cached `go test` beside packages with no tests, ranges of
 * commits, empty diffs, package tallies, code-mode object literals, the guard's saving), as a reviewer tried to break
 * them. Each is pinned here as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review62/${name}`)

describe('review 62', () => {
  it("1: a runner's own words (a toolchain, a dev shell, another folder's environment) make another run", async () => {
    for (const name of ['r01-mise-two-go-versions.jsonl', 'r03-nix-two-shells.jsonl', 'r04-direnv-two-envs.jsonl'])
      expect(await flagsOf(name), name).toEqual({})
    // Held: `mise use go@1.22` between two runs; a run in another module.
    expect(await flagsOf('r02-mise-use-between.jsonl')).toEqual({})
    expect(await flagsOf('r05-mise-cd-other-module.jsonl')).toEqual({})
  })

  it('2: an empty diff after a diff a filter cut (`| head -12`, `| grep -A6`) tells nothing of the files cut', async () => {
    expect(await flagsOf('r11-empty-after-head-cut.jsonl')).toEqual({})
    expect(await flagsOf('r15-empty-after-grep-filter.jsonl')).toEqual({})
    // (A `| head -100` that printed 8 lines printed all: a flag there would be right, but any filter now stops it.)
    expect(await flagsOf('r16-empty-after-short-head.jsonl')).toEqual({})
    // Held: a person's edit, another repository, a checkout of the file.
    for (const name of ['r12-empty-after-user-edit.jsonl', 'r13-empty-other-repo.jsonl', 'r14-empty-spaces-path.jsonl'])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('3: `git diff ..` alone is the parent folder, not a range of commits', async () => {
    expect(await flagsOf('r25-diff-dotdot-same-output.jsonl')).toEqual({})
    expect(await flagsOf('r10-diff-dotdot-parent.jsonl')).toEqual({})
    // Held: a range after `git fetch` and after a commit is asked again; after a work-tree edit it is a repeat.
    expect(await flagsOf('r08-diff-range-after-fetch.jsonl')).toEqual({})
    expect(await flagsOf('r09-diff-range-after-commit.jsonl')).toEqual({5: 'duplicate-call'})
  })

  it('4: an option and its value as two words (`-tags sqlite`, `-count 50`) is another run of the tests', async () => {
    expect(await flagsOf('r17-go-tags-values.jsonl')).toEqual({})
    expect(await flagsOf('r20-go-count-values.jsonl')).toEqual({})
    expect(await flagsOf('r18-go-run-equals-then-whole.jsonl')).toEqual({})
    // Left: two `-run` filters, of which Go keeps the last, are read as both (contrived).
    expect(await flagsOf('r19-go-run-last-wins.jsonl')).toEqual({2: 'near-duplicate'})
  })

  it('held: cached go tests beside untested packages, code-mode literals, the guard', async () => {
    expect(await flagsOf('r06-go-cover-untested.jsonl')).toEqual({})
    expect(await flagsOf('r07-go-readme-untested.jsonl')).toEqual({3: 'duplicate-call', 5: 'duplicate-call'})
    expect(await flagsOf('r21-cell-two-statements.jsonl')).toEqual({})
    expect(await flagsOf('r22-cell-string-tricks.jsonl')).toEqual({
      3: 'duplicate-call',
      4: 'reread-unchanged',
      5: 'reread-unchanged',
    })
    expect(await flagsOf('r23-cell-nested-and-other-tool.jsonl')).toEqual({})
    expect(await flagsOf('r24-patch-guard-saving.jsonl')).toEqual({
      2: 'reread-unchanged',
      4: 'reread-unchanged',
      6: 'duplicate-call',
      8: 'reread-unchanged',
    })
  })
})
