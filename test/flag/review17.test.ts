/**
 * Review 17's inputs (`fixtures/review17/`, notes in `test/corpus/waste-labels/REVIEW17.md`): what aco hears in a
 * person's prompt (files changed, a request to read again) and a file that came back shorter, as the reviewer tried
 * to break them. Each is pinned here as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review17/${name}`)

describe('review 17', () => {
  it('P1, P2: a change of mind, and a change denied, are no change of the files', async () => {
    expect(await flagsOf('changed-my-mind.jsonl')).toEqual({3: 'reread-unchanged'})
    expect(await flagsOf('nothing-has-changed.jsonl')).toEqual({3: 'reread-unchanged'})
    expect(await flagsOf('i-changed-nothing.jsonl')).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })

  it('P3: a change to the README excuses no re-read of other files', async () => {
    expect(await flagsOf('changed-other-file.jsonl')).toEqual({3: 'reread-unchanged', 5: 'reread-unchanged'})
  })

  it('P4, P5: the past, the agent\'s own work, a runtime that "has been updated" are no change of the files', async () => {
    expect(await flagsOf('codex-we-fixed-earlier.jsonl')).toEqual({2: 'reread-unchanged'})
    expect(await flagsOf('what-you-have-changed.jsonl')).toEqual({4: 'reread-unchanged'})
    expect(await flagsOf('node-has-been-updated.jsonl')).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })

  it('P6: "no need to re-read them" asks for no read', async () => {
    expect(await flagsOf('no-need-to-reread.jsonl')).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })

  it('P7: "fix X, then re-check util.ts": the look at util.ts was asked for, the re-read of X before the fix was not', async () => {
    expect(await flagsOf('recheck-after-fix.jsonl')).toEqual({3: 'reread-unchanged'})
  })

  it('P8, P9: a Read stopped at its own 2,000 lines, or a cat whose output ran on past the file, is no shorter file', async () => {
    expect(await flagsOf('short-read-default-limit.jsonl')).toEqual({2: 'reread-unchanged'})
    expect(await flagsOf('short-cat-then-exit.jsonl')).toEqual({2: 'reread-unchanged'})
  })

  it('P10 (left): a change told of in another language is not heard (the words aco hears are English)', async () => {
    expect(await flagsOf('changed-in-german.jsonl')).toEqual({3: 'reread-unchanged'})
  })

  it('held up: ranges, pipes and commands beside a read', async () => {
    for (const name of [
      'short-head',
      'short-read-limit',
      'short-cat-pipe-head',
      'short-cat-n-pipe-head',
      'short-cat-twice',
      'short-cat-and-ls',
      'short-cat-then-echo',
      // (Not flagged until the line's own echo above the file's lines was taken off them: it shifted their places.)
      'short-echo-then-cat',
    ])
      expect(await flagsOf(`${name}.jsonl`), name).toEqual({2: 'reread-unchanged'})
  })
})
