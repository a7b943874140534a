/**
 * Review 22's inputs (`fixtures/review22/`, notes in `test/corpus/waste-labels/REVIEW22.md`): "a test run repeats
 * itself across an add, a commit or a push" as a reviewer tried to break it. Each problem (P1–P8) gave a wrong flag,
 * or a misleading reason, before its mend; the cases where the rule held are pinned too.
 */
import {describe, expect, it} from 'vitest'
import {classifyShell} from '../../src/flag/commands.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {fixture, fixtureFlags, readOne} from '../helpers.js'

const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review22/${name}`)

describe('review 22', () => {
  it("P1, P7: a commit whose hooks ran (husky's scripts, lefthook, overcommit, the pre-commit framework) is a change; a subject naming them is not", async () => {
    expect(await flagsOf('hooks-missed.jsonl')).toEqual({})
    // Codex: 4 after lint-staged's run; 10 and 14 after commits that ran none.
    expect(await flagsOf('codex-hooks.jsonl')).toEqual({10: 'duplicate-call', 14: 'duplicate-call'})
    // 3: "Set up husky and lint-staged" is the commit's subject; 5: the same after `git log` printed it; 7: a control.
    expect(await flagsOf('hooks-false-fire.jsonl')).toEqual({
      3: 'duplicate-call',
      5: 'duplicate-call',
      7: 'duplicate-call',
    })
  })

  it('P2, P3: a commit a script runs, and a push whose pre-push hook built, run hooks too', async () => {
    expect(await flagsOf('hooks-in-scripts.jsonl')).toEqual({})
  })

  it('P4, P5, P6: programs that read git (staged files, commit messages, refs, tags, its config) see its changes', async () => {
    expect(await flagsOf('git-state-readers.jsonl')).toEqual({})
    expect(await flagsOf('git-readers-fail.jsonl')).toEqual({})
    expect(await flagsOf('release-tools.jsonl')).toEqual({})
    // 4: a Python script whose failing code did not change (the rule of failures in code, not of git's state).
    expect(await flagsOf('scripts-read-git.jsonl')).toEqual({4: 'failed-repeat'})
    // 9 is left (pytest of a test reading the version from git's tags, after `git tag`: a check of Python code).
    expect(await flagsOf('tests-read-git.jsonl')).toEqual({9: 'duplicate-call'})
    expect(classifyShell('npx jest --changedSince=origin/main', '/r').deps).toContain('(git)')
    expect(classifyShell('git config user.email a@b.c', '/r').writes.map(w => w.path)).toEqual(['/r/.git/config'])
  })

  it('P8: where the rule held, the reason says what changed: only git state', async () => {
    // 5, 7: after `git add -p` and `git commit --amend`; 21: after `git tag && git push --tags`; 23: after `gh pr
    // create`; not across a branch switched to another commit, a worktree, a pull, a merge, a config change.
    expect(await flagsOf('git-only-events.jsonl')).toEqual({
      5: 'duplicate-call',
      7: 'duplicate-call',
      21: 'duplicate-call',
      23: 'duplicate-call',
    })
    const card = await readOne(fixture('review22/git-only-events.jsonl'))
    flagCard(card)
    const tag = card.steps.filter(s => s.kind === 'tool')[20]!
    expect(tag.flags![0]!.reason).toMatch(/only git's state changed in between \(git commands that change no file/)
  })
})
