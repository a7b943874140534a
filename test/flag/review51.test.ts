/**
 * Review 51's inputs (`fixtures/review51/`, notes in `test/corpus/waste-labels/REVIEW51.md`): the OpenHands rules of
 * 2026-12-05 (call ids used again, the editor's refusals, the bash tool's notes, a busy shell, a line left open), as
 * the reviewer tried to break them. Each is pinned as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags, readOne, fixture} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review51/${name}`)

describe('review 51', () => {
  it("1, 4: a busy shell is OpenHands' own note, the output's last line, however long the output before it", async () => {
    // pytest's assertion quoting those words is no refused command; a server's long log before the note is no reason
    // to miss it.
    expect(await flagsOf('27-tests-about-busy-message-fail-twice.json')).toEqual({})
    expect(await flagsOf('27c-tests-fail-twice-other-words-control.json')).toEqual({})
    expect(await flagsOf('05-busy-shell-twice-long-server-log.json')).toEqual({5: 'failed-repeat'})
    expect(await flagsOf('05c-busy-shell-twice-short-log-control.json')).toEqual({5: 'failed-repeat'})
  })

  it('2: a line left open only when the command itself leaves a quote or a heredoc open', async () => {
    expect(await flagsOf('04-legit-silent-heredocs-echoed.json')).toEqual({})
    expect(await flagsOf('04c-legit-silent-scripts-control.json')).toEqual({})
  })

  it('3: a call id sent again by another response is a new call, its result its own', async () => {
    for (const name of ['10-reused-id-earlier-call-without-result.json', '10b-reused-id-drops-an-edit.json']) {
      const card = await readOne(fixture(`review51/${name}`))
      const tools = card.steps.filter(s => s.kind === 'tool')
      // The interrupted pytest keeps no result; the call sent again under its id is a call of its own.
      expect(
        tools.map(s => s.tool!.status),
        name,
      ).toEqual(['ok', 'unknown', 'ok', 'ok', 'ok'])
      expect(new Set(tools.map(s => s.id)).size, name).toBe(5)
    }
    for (const name of [
      '10c-reused-id-earlier-call-resolved-control.json',
      '10bc-reused-id-edit-kept-control.json',
      '11-parallel-reused-ids-out-of-order.json',
      '12-same-action-event-told-twice.json',
      '13-bare-events-array-reused-id.json',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it("5: only the file editor's answer starting ERROR: is a failure, not a plain read of a log", async () => {
    const plain = await readOne(fixture('review51/20-plain-read-of-log-starting-ERROR.json'))
    expect(plain.steps.filter(s => s.kind === 'tool').map(s => s.tool!.status)).toEqual(['ok', 'ok', 'ok'])
    expect(await flagsOf('20c-editor-view-of-same-log-control.json')).toEqual({})
  })

  it('an empty command (a wait for more output) or input to the running one is a poll, never a retry', async () => {
    expect(await flagsOf('01-waits-twice-for-silent-build.json')).toEqual({})
    expect(await flagsOf('01c-waits-once-control.json')).toEqual({})
    for (const name of [
      '02-two-different-silent-commands.json',
      '02b-same-silent-command-rerun.json',
      '03-two-hard-timeouts-different-commands.json',
      '21-not-unique-then-fixes.json',
      '23-token-in-busy-shell-note.json',
    ])
      expect(await flagsOf(name), name).toEqual({})
    expect(await flagsOf('22-not-found-with-backticks-then-wider.json')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('26-editor-path-missing-twice-insert-line-fixed.json')).toEqual({2: 'failed-repeat'})
  })
})
