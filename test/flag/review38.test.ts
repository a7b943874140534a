/**
 * Review 38's inputs (`fixtures/review38/`, notes in `test/corpus/waste-labels/REVIEW38.md`): a helper's sessions
 * against the rules of 2026-12-04 (fourth session): listings compared by the paths they printed (`tree`, `ls -l`), a
 * failed read of a file a listing showed absent, and paths placed in the folder a command ran in. Each wrong flag it
 * found is mended and pinned here, with the right flags beside them.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review38/${name}`)

describe('review 38', () => {
  it('1: a folder with a space in its path is the folder the command ran in, whole', async () => {
    // A fix of lib/util.py (a frame of the failure) is tried; the grep's hit says notes.md changed; go.sum is missing.
    expect(await flagsOf('space-cwd-frames.jsonl')).toEqual({})
    expect(await flagsOf('space-cwd-grep.jsonl')).toEqual({})
    expect(await flagsOf('space-cwd-missing.jsonl')).toEqual({2: 'near-duplicate'})
  })

  it("2: what the output names lies where the line's last command ran (after `cd ..`, after `source … && cd svc`)", async () => {
    expect(await flagsOf('cdback-frames.jsonl')).toEqual({})
    expect(await flagsOf('cdback-then-cat-sub.jsonl')).toEqual({})
    expect(await flagsOf('cdback-then-ls-sub.jsonl')).toEqual({})
    expect(await flagsOf('fr-source-cd.jsonl')).toEqual({})
    expect(await flagsOf('fr-git-cd.jsonl')).toEqual({})
    expect(await flagsOf('fr-pushd.jsonl')).toEqual({})
    // 4: `ls sub/out.txt` after 3's `ls sub` showed none (2 looked for the top folder's out.txt).
    expect(await flagsOf('cdback-missing.jsonl')).toEqual({4: 'near-duplicate'})
    // A `cd` that failed names its folder from where it ran: 2 asks again what 1 found missing.
    expect(await flagsOf('cd-fails-then-ls.jsonl')).toEqual({2: 'failed-repeat'})
    // A path the line named before its `cd` is that command's (`cat go.sum; cd backend && go vet`): the top folder's
    // go.sum, which 2's backend/go.sum does not make; 3 looks for it again.
    expect(await flagsOf('missing-named-before-cd.jsonl')).toEqual({3: 'failed-repeat'})
  })

  it('3: a listing the harness cut in its middle tells nothing of the names it cut', async () => {
    expect(await flagsOf('cut-ls-3k-tok-cat.jsonl')).toEqual({})
    expect(await flagsOf('cut-lsl-cat.jsonl')).toEqual({})
    expect(await flagsOf('cut-lsl-ls.jsonl')).toEqual({})
  })

  it("4: a long listing after names alone is news: a link's target, a size, a mode, a log growing", async () => {
    expect(await flagsOf('symlink-la.jsonl')).toEqual({})
    expect(await flagsOf('empty-file-la.jsonl')).toEqual({})
    expect(await flagsOf('ls-la-then-chmod.jsonl')).toEqual({})
    expect(await flagsOf('bg-logs-ls.jsonl')).toEqual({})
  })

  it('5: `tree -d` lists folders only, `rg --files` leaves out ignored files: neither tells a file is not there', async () => {
    expect(await flagsOf('tree-d-then-cat.jsonl')).toEqual({})
    expect(await flagsOf('tree-d-then-ls.jsonl')).toEqual({})
    expect(await flagsOf('rgfiles-then-cat-ignored.jsonl')).toEqual({})
    expect(await flagsOf('rgfiles-then-ls-ignored.jsonl')).toEqual({})
  })

  it('right flags beside them: reads of files a listing showed absent, listings inside a filtered one that keeps all', async () => {
    // `nl`, `less`, `cat` of names `ls` showed absent (not `head -20`, a range; not `cat … || echo`, which printed).
    expect(await flagsOf('read-variants.jsonl')).toEqual({
      3: 'near-duplicate',
      6: 'near-duplicate',
      7: 'near-duplicate',
    })
    expect(await flagsOf('ls-glob-then-cat.jsonl')).toEqual({2: 'near-duplicate'})
    expect(await flagsOf('relwd-missing.jsonl')).toEqual({2: 'near-duplicate'})
    // `rg --files | rg 'src|test'` keeps all of test/; `find . -path '*[Tt]est*'` all of Test/.
    expect(await flagsOf('rg-filter-alt.jsonl')).toEqual({2: 'near-duplicate', 3: 'near-duplicate'})
    expect(await flagsOf('find-path-bracket.jsonl')).toEqual({2: 'near-duplicate'})
  })
})
