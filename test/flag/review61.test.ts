/**
 * Review 61's inputs (`fixtures/review61/`, notes in `test/corpus/waste-labels/REVIEW61.md`): the sixth session of
 * 2026-12-05's rules (OpenCode's apply_patch `patchText`, search hits without their count, Copilot CLI's `12. text`
 * view, the tools that write nothing, empty files and Copilot's process logs), as the reviewer tried to break them.
 * Each is pinned here as it stands after the mends.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {readTraceFile} from '../../src/read/read-file.js'
import {fixture, fixtureFlags} from '../helpers.js'

const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review61/${name}`)

describe('review 61', () => {
  it('1: a narrower grep after one OpenCode cut short (`Results truncated: showing 100 of 233`) is no repeat', async () => {
    for (const name of [
      'r2-truncated-new-format.json',
      'r2-truncated-narrower-pattern.json',
      'r2-opencode-output-truncated.json',
      'r2-truncated-old-format.json',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it("2, 6: only Copilot CLI's view numbers lines `12. `: another tool's `1. ` is a Markdown list's text", async () => {
    // A command aco cannot read added or took away a list's numbers: the read after it shows the change.
    for (const name of [
      'r3-numbers-added-unseen.jsonl',
      'r3-numbers-removed-unseen.jsonl',
      'r3-claude-code-numbers-added.jsonl',
      'r3-view-then-cat-numbered.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({})
    // A view of a list-only file after a `cat` of it, and a `sed` of lines a view showed: re-reads, as for plain text.
    for (const name of [
      'r3-cat-list-then-view.jsonl',
      'r3-view-md-list-then-sed.jsonl',
      'r3-control-cat-plain-then-view.jsonl',
      'r3-control-view-plain-then-sed.jsonl',
      'r3-crlf-view.jsonl',
    ])
      expect(await flagsOf(name), name).toEqual({2: 'reread-unchanged'})
  })

  it('3: Copilot CLI ends each task of a turn with task_complete: no repeat; a submit sent again still is', async () => {
    for (const name of ['r4-task-complete-realistic.jsonl', 'r4-task-complete-twice.jsonl', 'r4-oc-question.json'])
      expect(await flagsOf(name), name).toEqual({})
    expect(await flagsOf('r4-control-submit-twice.jsonl')).toEqual({3: 'duplicate-call'})
    // Left as documented: a re-read the person asked for (here in an ask_user answer) is still flagged.
    expect(await flagsOf('r4-ask-user-same-text.jsonl')).toEqual({3: 'reread-unchanged'})
  })

  it("5: Copilot CLI's debug log holds calls aco does not read, and another tool's log is no Copilot log", async () => {
    for (const name of ['r5-copilot-debug-log.log', 'r5-other-tool-log.log']) {
      const r = await readTraceFile(fixture(`review61/${name}`), {})
      expect(r.companion, name).toBeUndefined()
      expect(r.skipped[0]?.reason, name).toMatch(/^unknown format/)
    }
  })

  it('7: a file of white space alone is empty, however long', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-review61-'))
    try {
      const big = join(dir, 'big-ws.jsonl')
      writeFileSync(big, `${' '.repeat(200_000)}\n\n\t\n`)
      const r = await readTraceFile(big, {})
      expect(r.empty).toBe(true)
      expect(r.skipped).toEqual([])
      // One byte that is not white space past the head: no empty file.
      writeFileSync(big, `${' '.repeat(200_000)}x\n`)
      expect((await readTraceFile(big, {})).empty).toBeUndefined()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
