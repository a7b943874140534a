/**
 * Review 58's inputs (`fixtures/review58/`, notes in `test/corpus/waste-labels/REVIEW58.md`): the fourth session of
 * 2026-12-05's rules (a command run again under its new name, a check that found its work done, a push after
 * "Everything up-to-date", a tool still broken, a person telling of discarded changes), as the reviewer tried to break
 * them. Each is pinned here as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {expandBraces} from '../../src/flag/shell.js'
import {isoMs} from '../../src/util/time.js'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review58/${name}`)

describe('review 58', () => {
  it('1-4: a command under its new name after an edit, a wait, a person asking, or without its --dry-run is no repeat', async () => {
    expect(await flagsOf('renamed-after-edit.jsonl')).toEqual({})
    expect(await flagsOf('renamed-poll-after-sleep.jsonl')).toEqual({})
    expect(await flagsOf('renamed-next-turn.jsonl')).toEqual({})
    expect(await flagsOf('renamed-dry-run-dropped.jsonl')).toEqual({})
  })

  it('6, 7: fewer diagnostics than the check before is a change, not a cache; a filter says it filters', async () => {
    expect(await flagsOf('cached-background-codegen.jsonl')).toEqual({})
    expect(await flagsOf('cached-background-install.jsonl')).toEqual({})
    const card = await fixtureFlags('review58/cached-reason-for-filter.jsonl')
    expect(card).toEqual({2: 'duplicate-call'})
  })

  it('8: a push whose own answer shows a ref updated pushed something', async () => {
    expect(await flagsOf('push-after-background-commit.jsonl')).toEqual({})
    expect(await flagsOf('push-basic-named-pushed.jsonl')).toEqual({})
  })

  it('9: a tool still unable to start after an install between its two failures is judged on the latest', async () => {
    expect(await flagsOf('broken-first-kept-after-install.jsonl')).toEqual({4: 'failed-repeat'})
  })

  it('10, 11: everyday talk is no change of the files; a fix reapplied, redone, reset or wiped is', async () => {
    for (const name of ['lost-track', 'pulled-up', 'reset-password', 'merged-pr-github', 'dropped-requirement'])
      expect(await flagsOf(`says-${name}.jsonl`)).toEqual({2: 'reread-unchanged'})
    for (const name of ['reapplied', 'redid', 'had-reset', 'git-reset-hard', 'wiped'])
      expect(await flagsOf(`says-${name}.jsonl`)).toEqual({})
  })

  it("12, 14: isoMs reads the first century's years as Date.parse does; a hostile brace word stops at once", () => {
    for (const at of ['0050-03-04T10:00:07.000Z', '0001-01-01T00:00:00.000Z', '0099-12-28T23:59:59.999Z'])
      expect(isoMs(at)).toBe(Date.parse(at))
    const word = `{${Array.from({length: 20_000}, () => '{a,b}'.repeat(6)).join(',')}}`
    expect(expandBraces(word)).toBeUndefined()
  })

  it("Entire's hook lines beside a formatter's are still a hook that may have rewritten files", async () => {
    expect(await flagsOf('entire-plus-prettier-hook.jsonl')).toEqual({})
  })
})
