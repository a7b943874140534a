/**
 * Review 63's inputs (`fixtures/review63/`, notes in `test/corpus/waste-labels/REVIEW63.md`): the eighth session of
 * 2026-12-05's rules (the same tests run again and shown otherwise, looks one after another on one line checked part by
 * part after a program aco cannot read, the literal-bar rule taken back), as a reviewer tried to break them. Each is
 * pinned here as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review63/${name}`)

describe('review 63', () => {
  it('a search part whose hit is gone (or fewer hits) says the script changed the file: no re-read', async () => {
    for (const name of [
      'cc01-rg-hit-gone-claude-code.jsonl',
      'cv01-rg-hit-gone-after-script.jsonl',
      'cv01b-rg-hit-gone-unnamed-script.jsonl',
      'cv02-rg-fewer-hits-after-script.jsonl',
      'cv02b-rg-fewer-hits-whole-file-seen.jsonl',
      'cv22-rg-hit-gone-grep-n.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
    // A lone `rg -n` printing 4 of the 5 hits a whole read showed, after a script (flagged before these rules too): a
    // hit gone. (A search's pattern keeps its outer spaces now: `grep -n "^## "` matches no `### …` line.)
    expect(await flagsOf('cv02d-rg-hits-then-rg-single.jsonl')).toEqual({})
    // ripgrep's smart case (`rg -nS "todo|return"`) matches `# TODO`: a part aco does not read so is left unchecked, not
    // called unchanged with that hit gone (review 64).
    expect(await flagsOf('cv23-rg-smart-case-hit-gone.jsonl')).toEqual({})
    // The same calls with every hit still printed are re-reads.
    expect(await flagsOf('cv02c-rg-same-hits-control.jsonl')).toEqual({3: 'reread-unchanged'})
    expect(await flagsOf('cc02-control-claude-code.jsonl')).toEqual({3: 'reread-unchanged'})
  })

  it("a search part printing what aco cannot split (no -n, -o, --column, a count, context) leaves the line unchecked, and says nothing of the folder's other files", async () => {
    // 5: `sed -n 1,10p b.md` across the script, read as before: called so once the part it could not split is unknown.
    for (const name of [
      'cv14-rg-no-n.jsonl',
      'cv14b-rg-no-n-last.jsonl',
      'cv19b-grep-o-suppresses.jsonl',
      'cv21-rg-column.jsonl',
      'cv05-file-lines-look-like-rg-hits.jsonl',
      'cv15-wc-then-read.jsonl',
      'cv20-pwd-then-read.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({5: 'reread-unchanged'})
    for (const name of [
      'cv13-rg-context.jsonl',
      'cv18-grep-count-mode.jsonl',
      'cv19-grep-o.jsonl',
      'cv03-rg-folder-then-read.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('held: files that grew or shrank, a range past the end that grew, a cd into another folder, a missing file, parts aco does not split', async () => {
    for (const name of [
      'cv04-file-grew-last-part.jsonl',
      'cv04b-file-grew-first-part.jsonl',
      'cv04c-file-shrank-first-part.jsonl',
      'cv06-echo-e-between.jsonl',
      'cv07-cat-two-files.jsonl',
      'cv08-head-tail.jsonl',
      'cv08b-tail-after-append.jsonl',
      'cv09-sed-dollar.jsonl',
      'cv10b-range-past-end-grew.jsonl',
      'cv11b-cd-between-changed.jsonl',
      'cv12-part-missing-file.jsonl',
      'cv12b-missing-file-stderr-first.jsonl',
      'cc03-trailing-blank-lines-trimmed.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
    for (const name of [
      'cv10-range-past-end.jsonl',
      'cv11-cd-between.jsonl',
      'cv16-powershell.jsonl',
      'cv17-control-basic.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({4: 'reread-unchanged'})
  })

  it('the same tests in another order, and a tally with a long run time, repeat an earlier passing run as its claim says', async () => {
    expect(await flagsOf('tr04-reordered-paths.jsonl')).toEqual({2: 'near-duplicate'})
    expect(await flagsOf('tr09-long-run-time-format.jsonl')).toEqual({2: 'near-duplicate'})
    // Controls: other quotes, jest's Time, cargo -q, unittest, colours, -x.
    for (const name of [
      'tr05-k-quoted-otherwise.jsonl',
      'tr12-jest-tail.jsonl',
      'tr15-cargo-q-tail.jsonl',
      'tr16-unittest-tail.jsonl',
      'tr17-ansi-colours.jsonl',
      'tr19-x-tail.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({2: 'near-duplicate'})
    // Held: lines the earlier run hid (warnings, skip reasons, test names, logs), another package, -count=1, --lf.
    for (const name of [
      'tr01-trailing-slash-verbose.jsonl',
      'tr02-control-same-path-verbose.jsonl',
      'tr05b-k-reordered.jsonl',
      'tr07-go-root-then-all.jsonl',
      'tr10-warnings-revealed.jsonl',
      'tr11-skip-reason.jsonl',
      'tr13-jest-verbose.jsonl',
      'tr14-go-v-after-plain.jsonl',
      'tr18-lf-after-pass.jsonl',
      'tr20-go-count1.jsonl',
      'tr21-go-run-subset-logs.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('a path after a run that named none, or a mark where that run deselected tests, picks tests it may not have run', async () => {
    // `pytest tests -v` after `pytest -q`, a path outside the configured testpaths after `pytest`: fewer of its tests
    // only where the earlier run's output named them. `pytest -m slow` after a tally with `2 deselected`: the
    // configuration's mark left those out, this one picks them. (Older than these rules; mended after review 63.)
    for (const name of [
      'tr03-default-path-verbose.jsonl',
      'tr06-m-slow-deselected-by-config.jsonl',
      // (The mark joined to its option, `-mslow`: review 64.)
      'tr06b-m-joined-deselected-by-config.jsonl',
      'tr08-pytest-path-outside-testpaths.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it("taken back: a search for other words written with grep's \\| is no failed repeat; the identical search again is a duplicate", async () => {
    for (const name of [
      'fr01-literal-bars-identical-repeat.jsonl',
      'fr03-grepE-literal-bars-identical.jsonl',
      'fr04-literal-bars-found-then-same.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({2: 'duplicate-call'})
    expect(await flagsOf('fr02-literal-bars-other-words.jsonl')).toEqual({})
    expect(await flagsOf('fr05-stray-quote-other-words.jsonl')).toEqual({})
  })
})
