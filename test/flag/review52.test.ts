/**
 * Review 52's inputs (`fixtures/review52/`, notes in `test/corpus/waste-labels/REVIEW52.md`): the rules of 2848d2ca
 * (prose no check reads, passing runs across a quiet turn, retries, idle `uv run` syncs, echo's words, pytest's tally)
 * as the reviewer tried to break them. Each is pinned as it stands after the mends.
 */
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {fixture, fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review52/${name}.jsonl`)

/** The fixtures whose calls are all left unflagged after the mends, by finding. */
const UNFLAGGED: Record<string, readonly string[]> = {
  '1. Markdown a check reads': [
    'rust-readme-doctest',
    'rust-include-str-build',
    'pytest-doctest-glob',
    'pytest-doctest-glob-docs',
    'pytest-test-opens-doc',
    'pytest-changelog-test',
    'go-embed-prompt',
    'py-prompt-files',
    'skills-frontmatter-test',
  ],
  '2. a failure after an edit of the file it names': ['rust-doctest-fails-twice', 'npm-lint-prettier-readme'],
  "3. JavaScript's checks read Markdown": ['npm-lint-docs', 'eslint-markdown'],
  "4. a person's own changes in the trace": ['quiet-edited-file-attachment', 'queued-msg', 'quiet-bash-mode'],
  '5. changes told in other words': ['quiet-made-changes', 'quiet-fixed-myself', 'quiet-pulled', 'codex-made-changes'],
  '6. runs asked for in other words or languages': [
    'quiet-chinese',
    'quiet-spanish',
    'codex-portuguese',
    'quiet-regressed',
    'quiet-nothing-broke',
    'quiet-nothing-breaks',
    'quiet-all-good',
    'quiet-tox',
    'quiet-ship-it',
  ],
  '7. a build asked for again': ['dup-build-make-sure', 'dup-build-rerun', 'dup-build-again', 'dup-build-once-more'],
  '8, 9. slash commands, paths above the project': ['slash-name-first', 'slash-message-first', 'subdir-build-src'],
  'cargo doc and other builders of documentation': ['doc-builders', 'markdownlint', 'prettier-check'],
  'controls that edited a README (it may be read)': [
    'quiet-control',
    'codex-quiet-control',
    'dup-build-control',
    'subdir-build-home',
    'root-build-src',
  ],
  'behaved as meant': [
    'rust-readme-doctest-control',
    'quiet-ide-edit',
    'quiet-green',
    'quiet-still-work',
    'quiet-days-later',
    'dup-build-run-again',
    'tally-more-tests',
    'uv-two-runs-pyproject',
  ],
}

describe('review 52', () => {
  for (const [finding, names] of Object.entries(UNFLAGGED))
    it(`${finding}: no flag`, async () => {
      for (const name of names) expect(await flagsOf(name), name).toEqual({})
    })

  it("echo's words and pytest's tally of passes still let a repeat be seen", async () => {
    // echo-dashes 2: only `echo "--- … ---"`'s words differ; 4: after an edit of the code.
    expect(await flagsOf('echo-dashes')).toEqual({2: 'duplicate-call'})
    // tally-skipped 2: `3 passed, 1 skipped in 0.4s` after the same tests passed.
    expect(await flagsOf('tally-skipped')).toEqual({2: 'near-duplicate'})
  })

  it('every fixture of the review is pinned above', () => {
    const pinned = new Set([...Object.values(UNFLAGGED).flat(), 'echo-dashes', 'tally-skipped'])
    const all = readdirSync(fixture('review52')).map(f => f.replace(/\.jsonl$/, ''))
    expect(all.filter(f => !pinned.has(f))).toEqual([])
  })
})
