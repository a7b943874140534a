/**
 * Review 14's inputs (`fixtures/review14/`, notes in `test/corpus/waste-labels/REVIEW14.md`): the rules of 2026-12-02
 * (late morning) for failures' signatures, Reads the tools would ask for, a shell's form mistakes, patch runs and
 * kills, as the reviewer broke them. Each is mended here.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review14/${name}`)

describe('review 14', () => {
  it('1: a Read the tools spared for their own write must read as written: a formatter aco cannot see rewrote it', async () => {
    expect(await flagsOf('r2a-write-then-linter-fix-read.jsonl')).toEqual({})
    expect(await flagsOf('r2i-00.jsonl')).toEqual({})
  })

  it("2: SQLAlchemy's statement and values under its error are no failure's signature", async () => {
    // The same script failing again, its parameters line holding a new uuid and an `error_count` column: a repeat.
    expect(await flagsOf('r1a-sqlalchemy-params-errorword.jsonl')).toEqual({2: 'failed-repeat'})
    // "database is locked", then "UNIQUE constraint failed" on the same statement: two failures.
    expect(await flagsOf('r1c-sqlalchemy-two-errors-same-sql.jsonl')).toEqual({})
  })

  it("3: zsh's other words for a path's (group) read as glob qualifiers; not when the line changed things first", async () => {
    expect(await flagsOf('r3d-zsh-unknown-attribute-char.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('r3e-zsh-number-expected.jsonl')).toEqual({2: 'failed-repeat'})
    // `sed -i … && rg … app/(workspace)`: the sed ran; bash 3.2 counting -c lines from 0 says `line 1` of the second.
    expect(await flagsOf('r3i-zsh-sed-ran-then-glob-error.jsonl')).toEqual({})
    expect(await flagsOf('r3a-bash32-second-line.jsonl')).toEqual({})
  })

  it('4: a part of a run of lines a patch added may stand elsewhere in the file: no re-read', async () => {
    expect(await flagsOf('r5b-patch-run-part-elsewhere.jsonl')).toEqual({})
  })

  it('5: a kill that reports one done stopped something running; KillBash 1.0 answers in JSON', async () => {
    expect(await flagsOf('r6a-taskstop-resumed-agent.jsonl')).toEqual({})
    expect(await flagsOf('r6b-killbash-1.0-format.jsonl')).toEqual({5: 'duplicate-call'})
  })
})
