/**
 * Review 12's inputs (`fixtures/review12/`, notes in `test/corpus/waste-labels/REVIEW12.md`): each broke a rule of
 * 2026-12-02 and is mended here. Two of its inputs are left (REVIEW12.md says why) and not pinned.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {nestChildren} from '../../src/analyze/link.js'
import {forEachCard} from '../../src/card/build.js'
import type {TraceCard} from '../../src/card/types.js'
import {classifyShell} from '../../src/flag/commands.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {fixture, read} from '../helpers.js'

/** Each card's flags by tool call (1-based), the session's files nested as the analysis nests them. */
async function flagsOf(...paths: string[]): Promise<Array<Record<number, string>>> {
  const cards: TraceCard[] = []
  for (const p of paths) cards.push(...(await read(p)).cards)
  const out: Array<Record<number, string>> = []
  for (const card of nestChildren(cards)) {
    flagCard(card)
    forEachCard([card], c => {
      const flags: Record<number, string> = {}
      c.steps
        .filter(s => s.kind === 'tool')
        .forEach((s, k) => {
          if (s.flags?.[0]) flags[k + 1] = s.flags[0].kind
        })
      out.push(flags)
    })
  }
  return out
}

const at = (name: string) => fixture(`review12/${name}`)

describe('review 12', () => {
  it('P1, P2: a host looked up again is not judged by the host alone (a test run after a fix; a retry a person asked for)', async () => {
    expect(await flagsOf(at('host-in-test-output.jsonl'))).toEqual([{}])
    expect(await flagsOf(at('host-retry-asked-by-user.jsonl'))).toEqual([{}])
  })

  it("P3: no read past a file's end once a look showed it longer, nor of a log", async () => {
    expect(await flagsOf(at('past-end-after-growth.jsonl'))).toEqual([{}])
    expect(await flagsOf(at('log-tail-past-end.jsonl'))).toEqual([{}])
    // The same calls on a file that is no log: a look showed lines 3 and 4, so the length the first read told is
    // refuted.
    const dir = mkdtempSync(join(tmpdir(), 'aco-r12-'))
    const path = join(dir, 'grown.jsonl')
    writeFileSync(
      path,
      readFileSync(at('past-end-after-growth.jsonl'), 'utf8').replaceAll('logs/server.log', 'notes/plan.md'),
    )
    expect(await flagsOf(path)).toEqual([{}])
    rmSync(dir, {recursive: true, force: true})
  })

  it('P4: an agent resumed by SendMessage is at work again until the notice that names the SendMessage', async () => {
    expect(await flagsOf(at('bg-resumed-by-sendmessage.jsonl'))).toEqual([{}])
  })

  it("P6: a relative's folder write, then the card's own chmod: the script is known again, as in one card", async () => {
    const base = at('touch-after-folder-write')
    const session = await flagsOf(
      join(base, 'sess-r12-touch.jsonl'),
      join(base, 'sess-r12-touch/subagents/agent-a9f0e1d2c3b4a5968.jsonl'),
    )
    const one = await flagsOf(at('touch-after-folder-write-one-card.jsonl'))
    expect(session[1]).toEqual({4: 'duplicate-call'})
    expect(one[0]).toEqual({6: 'duplicate-call'})
  })

  it("P8: Set-Content's -Value here-string with two paths writes both; a body holding '@ is left alone", () => {
    const two = classifyShell("Set-Content -Path a.txt,b.txt -Value @'\nsame\n'@", '/r')
    expect(two.writes.map(w => w.path)).toEqual(['/r/a.txt', '/r/b.txt'])
    const nested = classifyShell(`Set-Content -Path notes.ps1 -Value @"\n@'\nraw text\n'@ | Out-File x.txt\n"@`, '/r')
    expect(nested.writes).toEqual([{path: '/r/notes.ps1'}])
    expect(nested.writesAny).toBe(false)
    // (A bare backslash path reads as the Get-Content after it reads it: review 12b's B10.)
    expect(
      classifyShell("Set-Content -Path src\\app.py -Value @'\nprint(1)\n'@; Get-Content src\\app.py", '/r').reads,
    ).toEqual(
      classifyShell("Set-Content -Path src\\app.py -Value @'\nprint(1)\n'@; Get-Content src\\app.py", '/r').writes.map(
        w => ({path: w.path}),
      ),
    )
  })

  it("P9: Claude Code's Write asks for a Read too, and a sed -i makes its Edit ask for another", async () => {
    expect(await flagsOf(at('read-demanded-by-write-and-after-sed.jsonl'))).toEqual([{}])
  })
})

describe('review 12b', () => {
  const b = (name: string) => fixture(`review12b/${name}`)

  it("B1: a background dev server's log changes no check of code, git or the project", async () => {
    // 2–4 looked once; 5–7 and 9 repeat them with nothing changed but the server's own log.
    expect(await flagsOf(b('dev-log-background.jsonl'))).toEqual([
      {5: 'duplicate-call', 6: 'failed-repeat', 7: 'duplicate-call', 9: 'duplicate-call'},
    ])
  })

  it('B4: a SendMessage resuming a read-only agent writes nothing while it works', async () => {
    expect(await flagsOf(b('explore-agent-resumed.jsonl'))).toEqual([{4: 'failed-repeat', 6: 'duplicate-call'}])
  })

  it('B5: a look in another folder after a cd is no repeat of the missing path', async () => {
    expect(await flagsOf(b('missing-path-cd-elsewhere.jsonl'))).toEqual([{}])
  })

  it("B7: a range that asked for more than it showed does not refute a file's length", async () => {
    const [flags] = await flagsOf(b('past-end-refuted-by-asked-range.jsonl'))
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'near-duplicate'})
  })

  it("B10: in Claude Code's PowerShell tool, a Set-Content and the Get-Content after it name the same file", async () => {
    const [flags] = await flagsOf(b('ps-tool-set-content-then-get-content.jsonl'))
    expect(Object.keys(flags ?? {})).toEqual(['2', '3'])
    // Its backslashes are separators, as in Codex's shell_command on Windows: the file is src/app.py, not srcapp.py.
    const card = (await read(b('ps-tool-set-content-then-get-content.jsonl'))).cards[0]!
    flagCard(card)
    const reasons = card.steps.flatMap(s => s.flags ?? []).map(f => f.reason)
    expect(reasons.every(r => r.includes('src/app.py'))).toBe(true)
  })
})
