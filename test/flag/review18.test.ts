/**
 * Review 18's inputs (`fixtures/review18/`, notes in `test/corpus/waste-labels/REVIEW18.md`): Globs through named
 * folders, Claude Code's reminders after a Read's lines, a request to be shown files, unused outputs set aside, Codex's
 * question and web tools, a description naming a file, a sandbox that could not start, as the reviewer tried to break
 * them. Each is pinned here as it stands after the mends (P2, P7, P8 are left: see the notes).
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review18/${name}`)

describe('review 18', () => {
  it('P1: a patch tool between two bwrap failures ran nothing in the sandbox: the second is a repeat', async () => {
    expect(await flagsOf('sandbox-patch-between.jsonl')).toEqual({3: 'failed-repeat'})
    expect(await flagsOf('sandbox-escalated-between.jsonl')).toEqual({3: 'failed-repeat'})
  })

  it('P3: a command whose line names no file, described as rewriting one, may have rewritten it', async () => {
    expect(await flagsOf('described-formatter-quiet.jsonl')).toEqual({})
    expect(await flagsOf('described-script-writes.jsonl')).toEqual({})
  })

  it('P4: "the view files", "the price display code", "see the code pass" ask to be shown nothing', async () => {
    expect(await flagsOf('django-view-files.jsonl')).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
    expect(await flagsOf('display-code-prompt.jsonl')).toEqual({3: 'reread-unchanged'})
    expect(await flagsOf('see-the-code-pass.jsonl')).toEqual({2: 'reread-unchanged'})
    // "show me the code" excuses the first re-read of each file in that turn, not a second.
    expect(await flagsOf('show-me-twice.jsonl')).toEqual({5: 'reread-unchanged', 6: 'reread-unchanged'})
  })

  it('P5: a Glob through a brace set of folders contains one through either folder', async () => {
    expect(await flagsOf('glob-brace-folders.jsonl')).toEqual({
      2: 'near-duplicate',
      3: 'near-duplicate',
      4: 'near-duplicate',
    })
    expect(await flagsOf('glob-absolute-then-relative.jsonl')).toEqual({2: 'duplicate-call', 3: 'near-duplicate'})
    expect(await flagsOf('glob-trailing-starstar.jsonl')).toEqual({2: 'near-duplicate', 3: 'near-duplicate'})
  })

  it("P6: Codex's web__run is its web tool, not a shell named run; a question's answer hides no change", async () => {
    expect(await flagsOf('web-run-between.jsonl')).toEqual({3: 'duplicate-call'})
    expect(await flagsOf('answer-says-edited.jsonl')).toEqual({})
    expect(await flagsOf('answer-adds-file.jsonl')).toEqual({})
  })

  it('P9: lines are read past every reminder Claude Code appends to a Read', async () => {
    expect(await flagsOf('two-reminders.jsonl')).toEqual({3: 'reread-unchanged'})
  })
})
