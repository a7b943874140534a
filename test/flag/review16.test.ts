/**
 * Review 16's inputs (`fixtures/review16/`, notes in `test/corpus/waste-labels/REVIEW16.md`): the rules of 2026-12-02
 * (midday) for Windows shells, cut outputs, syntax checks and folders a listing of files cannot show, as the reviewer
 * tried to break them. Each is pinned here as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {buildContext} from '../../src/flag/context.js'
import {fixture, fixtureFlags, readOne} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review16/${name}`)

/** The tool calls (1-based) aco takes as failed. */
async function failedCalls(name: string): Promise<number[]> {
  const card = await readOne(fixture(`review16/${name}`))
  const ctx = buildContext(card)
  const tools = card.steps.filter(s => s.kind === 'tool')
  return tools.flatMap((s, k) => (ctx.failed[s.index] === 1 ? [k + 1] : []))
}

describe('review 16', () => {
  it('P1: a `$(cygpath …)` meant for bash in a PowerShell script is no mistake; two different failures are no repeat', async () => {
    expect(await flagsOf('ps-dollar-meant-for-bash.jsonl')).toEqual({})
  })

  it('P2: a PowerShell parse error in a bash line that ran more after it fails only that part', async () => {
    // `powershell -Command "… || …"; npm install`: the install ran (exit 0); the call is no failure, its repeat no repeat.
    expect(await flagsOf('ps-parse-error-then-bash-ran-on.jsonl')).toEqual({})
    expect(await failedCalls('ps-parse-error-then-bash-ran-on.jsonl')).toEqual([])
  })

  it('P3: an empty folder is news even where the files listing showed a folder of that name elsewhere', async () => {
    expect(await flagsOf('empty-folder-name-seen-deeper.jsonl')).toEqual({})
  })

  it('P4: PowerShell errors of what ran as written (a locked file Remove-Item skipped) are no failure of the line', async () => {
    expect(await flagsOf('ps-remove-item-mostly-done.jsonl')).toEqual({})
    expect(await failedCalls('ps-remove-item-mostly-done.jsonl')).not.toContain(2)
    expect(await failedCalls('ps-remove-item-mostly-done.jsonl')).not.toContain(5)
  })

  it("P5: the same byte-compile under two folders' own interpreters is two runs; through `uv run` too", async () => {
    expect(await flagsOf('compile-under-two-venvs.jsonl')).toEqual({})
    expect(await flagsOf('compile-under-two-uv-projects.jsonl')).toEqual({})
  })

  it('P6: cmd fed its commands on its input ran them: banner, commands, prompt is no empty banner', async () => {
    expect(await flagsOf('cmd-fed-on-stdin.jsonl')).toEqual({})
    expect(await failedCalls('cmd-fed-on-stdin.jsonl')).toEqual([])
  })

  it("held up: a cut read's tail placed by the stated length, its output filtered", async () => {
    expect(await flagsOf('cut-filtered-read-tail-misplaced.jsonl')).toEqual({})
  })
})
