/**
 * Review 39's inputs (`fixtures/review39/`, notes in `test/corpus/waste-labels/REVIEW39.md`): a second helper's sessions
 * against the mends of review 38: what a command line's output names, placed when its commands ran in several folders,
 * and failed reads after listings that leave out dot-folders or ignored files. Each wrong flag is mended and pinned.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review39/${name}`)

describe('review 39', () => {
  it("1: a line's commands in several folders: a traceback's frames are the folder of the script they name", async () => {
    // `python app.py && cd web && npm test` (and `;`, `||`, a subshell, a loop, PowerShell, Claude Code): an edit of
    // lib/util.py, a frame of the failure, is a fix tried before the same line again.
    for (const name of [
      'and-frames.jsonl',
      'semi-frames.jsonl',
      'ps-frames-semi.jsonl',
      'sub-frames.jsonl',
      'for-cd-frames.jsonl',
      'cd-sub-amp-frames.jsonl',
      'cc-and-frames.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('2: grep hits and missing paths of such a line lie where the line started', async () => {
    expect(await flagsOf('semi-grep.jsonl')).toEqual({})
    expect(await flagsOf('and-grep.jsonl')).toEqual({})
    // `python tools/prep.py; cd web && npm ci` reports data.csv missing: the top folder's, not web's.
    expect(await flagsOf('semi-missing-fr.jsonl')).toEqual({})
    expect(await flagsOf('semi-missing-lost.jsonl')).toEqual({2: 'failed-repeat'})
  })

  it('3: a listing without dotfiles tells nothing of what lies in a dot-folder; `tree --gitignore` leaves out ignored files', async () => {
    expect(await flagsOf('lsR-dotdir.jsonl')).toEqual({})
    expect(await flagsOf('lsR-dotdir2.jsonl')).toEqual({})
    expect(await flagsOf('tree-dotdir.jsonl')).toEqual({})
    expect(await flagsOf('tree-dotdir-ls.jsonl')).toEqual({})
    expect(await flagsOf('tree-gitignore.jsonl')).toEqual({})
    expect(await flagsOf('tree-gitignore2.jsonl')).toEqual({})
  })

  it('right flags beside them', async () => {
    // `tree -a` shows dot-folders; `ls src tests` lists tests/ under its header; `cd ~/other && cat config.json`.
    expect(await flagsOf('tree-a-dotdir.jsonl')).toEqual({2: 'near-duplicate'})
    expect(await flagsOf('ls-two-then-cat.jsonl')).toEqual({2: 'near-duplicate'})
    expect(await flagsOf('cdtilde-missing.jsonl')).toEqual({2: 'near-duplicate'})
  })
})
