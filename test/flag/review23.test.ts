/**
 * Review 23's inputs (`fixtures/review23/`, notes in `test/corpus/waste-labels/REVIEW23.md`): Codex's PowerShell on
 * Windows, Gradle's tasks, `$env:` assignments and "a look that prints the same after a build", as a reviewer tried
 * to break them. Each problem gave a wrong flag before its mend.
 */
import {describe, expect, it} from 'vitest'
import {classifyShell} from '../../src/flag/commands.js'
import {fixtureFlags} from '../helpers.js'

const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review23/${name}`)

describe('review 23', () => {
  it('P1, P4: after a build, only the very same output holds, and never a look into its output folder', async () => {
    // 4: a generated file read again after a rebuild (reread-unchanged, as before the change: left, see the notes).
    expect(await flagsOf('gradle-output-looks.jsonl')).toEqual({4: 'reread-unchanged'})
    // 4: `ls app/build/outputs/apk/debug/` after a rebuild; 7: `git status --short` after one (held, rightly).
    expect(await flagsOf('gradle-output-listing.jsonl')).toEqual({7: 'duplicate-call'})
  })

  it('P2: tasks that fix or format are no build', async () => {
    for (const task of ['lintFix', ':app:lintFix', 'ktlintFormat', 'spotlessApply'])
      expect(classifyShell(`./gradlew ${task}`, '/r').writesAny, task).toBe(true)
    expect(classifyShell('./gradlew lintDebug', '/r').writesAny).toBe(false)
    // 11: `Get-ChildItem … | Select-Object` depends on nothing aco can name (flagged before the change too: left).
    expect(await flagsOf('codex-lintfix-looks.jsonl')).toEqual({11: 'duplicate-call'})
  })

  it('P3: a command run with another environment variable set is another run, in PowerShell as in bash', async () => {
    expect(await flagsOf('codex-env-assignments.jsonl')).toEqual({})
    expect(await flagsOf('bash-env-prefix.jsonl')).toEqual({})
    expect(classifyShell("$env:NODE_ENV='production'; npm run build", '/r').assigns).toEqual(['NODE_ENV=production'])
  })
})
