/**
 * The kinds of waste issue 16 names, one fixture each (real formats, small):
 * what a careful reader calls wasted is flagged, and what changed is never
 * called unchanged.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {Step, TraceCard} from '../../src/card/types.js'
import {classify} from '../../src/flag/actions.js'
import {classifyShell, linesPutBack} from '../../src/flag/commands.js'
import {answersFailure, buildContext} from '../../src/flag/context.js'
import {flagCard} from '../../src/flag/flag-card.js'
import {hitLines} from '../../src/flag/output.js'
import {fixture, readOne, toolFlags} from '../helpers.js'

/**
 * The fixture's tool calls in order (1-based, as a person counts them), with the flag each got; a re-read across a
 * command that may have written its file, which its own lines show did not, is marked `(read the same)`.
 */
async function calls(name: string): Promise<{card: TraceCard; tools: Step[]; flags: Record<number, string>}> {
  const card = await readOne(fixture(`waste-classes/${name}`))
  flagCard(card)
  const tools = card.steps.filter(s => s.kind === 'tool')
  const flags: Record<number, string> = {}
  tools.forEach((s, k) => {
    const f = s.flags?.[0]
    if (f) flags[k + 1] = READ_THE_SAME.test(f.reason) ? `${f.kind} (read the same)` : f.kind
  })
  return {card, tools, flags}
}

const READ_THE_SAME = /a command that might have changed (?:it|them) ran in between, and did not/
const SAME = 'reread-unchanged (read the same)'

describe('1. writes aco must see', () => {
  it('a re-read after Edit, MultiEdit, sed -i, >>, tee, git checkout, cp or an opaque script is never "unchanged"', async () => {
    const {flags} = await calls('writes-unseen.jsonl')
    // only the notebook read twice with nothing between, and app.py read after a write to another file (20 read it
    // as format.sh left it)
    expect(flags).toEqual({8: 'reread-unchanged', 22: 'reread-unchanged'})
  })
})

describe('2. failures aco used to read as success', () => {
  it('Codex apply_patch "verification failed" with no exit code is an error, and its retry a failed-repeat', async () => {
    const {tools, flags} = await calls('codex-apply-patch.jsonl')
    expect(tools[1]!.tool!.status).toBe('error')
    expect(tools[3]!.tool!.status).toBe('ok')
    expect(flags[3]).toBe('failed-repeat')
  })

  it('a traceback piped through tail (exit 0) counts as a failure', async () => {
    const {tools, flags} = await calls('partial-rereads.traj.json')
    expect(tools[9]!.tool!.exitCode).toBe(0)
    expect(flags[10]).toBe('failed-repeat')
    expect(tools[9]!.flags![0]!.reason).toMatch(/ModuleNotFoundError/)
  })
})

describe("10.3 paths are resolved against the session's cwd and each call's workdir", () => {
  it('a read with workdir "." and a patch by absolute path are one file', async () => {
    const {flags} = await calls('codex-apply-patch.jsonl')
    // 5: the same read after the absolute-path patch (changed); 6: the same lines by absolute path (unchanged); 8: after a shell apply_patch
    expect(flags[5]).toBeUndefined()
    expect(flags[6]).toBe('reread-unchanged')
    expect(flags[8]).toBeUndefined()
  })
})

describe('3. file-aware re-runs', () => {
  it('a check of a file re-run after edits to other files only is a duplicate; after an edit to that file, or a test run after any write, it is not', async () => {
    const {flags} = await calls('file-aware-reruns.jsonl')
    expect(flags).toEqual({3: 'duplicate-call', 7: 'duplicate-call'})
  })
})

describe('3b. what a git command that only looks depends on', () => {
  it('git log again after a build, git diff --cached after an edit, git diff -- f after an edit elsewhere are duplicates; not after a commit, a write to f, or an unknown script', async () => {
    const {flags} = await calls('git-state-reruns.jsonl')
    // 4: only a build (which writes inside the project, never git's state) and git status ran since 1;
    // 8: an edit does not touch the index; 9: App.tsx is not backend/main.py. 11: backend/main.py changed;
    // 12: git status follows the working tree; 14: a commit moved HEAD; 16: an unknown script may have committed.
    // 5: `git diff --cached --stat` after a status (3) that showed nothing staged: it could only print nothing.
    expect(flags).toEqual({4: 'duplicate-call', 5: 'near-duplicate', 8: 'duplicate-call', 9: 'duplicate-call'})
  })
})

describe('3b2. an add, a commit or a push changes no file a test run reads', () => {
  it('tests passing again and lint failing again across them repeat themselves; not across a commit whose hooks ran, nor a git look across a commit', async () => {
    const {flags, tools} = await calls('tests-across-commits.jsonl')
    // 3: only `git add && git commit` since 1; 5: husky and lint-staged ran `prettier --write` at the commit (4);
    // 8: only a push since 6 failed the same way; 11: the commit (10) moved HEAD, which `git log` shows.
    expect(flags).toEqual({3: 'duplicate-call', 8: 'failed-repeat'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/only git's state changed in between/)
  })
})

describe('3b3. a look that prints the same after a build', () => {
  it('git diff again after a Gradle build (Codex in PowerShell) and an edit of an untracked folder is a duplicate; not after `clean`, nor with another result', async () => {
    const {flags, tools} = await calls('codex-gradle-builds.jsonl')
    // 6: since 1, an edit below the untracked service/ folder (3), a test run (4) and a build (5), and the same diff;
    // 8: `clean assembleDebug` is no task list aco reads; 10: another diff.
    expect(flags).toEqual({6: 'duplicate-call'})
    expect(tools[5]!.flags![0]!.reason).toMatch(/only a build's outputs and files a git status showed untracked/)
  })
})

describe("3c. a check of one language's code", () => {
  it("tsc, a build, ruff or pytest re-run after edits only to another language's files repeats itself; not after its own, a data file, an install; never mypy of a file after an edit of another", async () => {
    const {flags} = await calls('language-aware-checks.jsonl')
    // 3, 8, 19: only backend/main.py changed before tsc / the frontend build; 11: only App.tsx before ruff;
    // 16: only App.tsx before pytest (a Python test run reads Python code, data and configuration, not .tsx sources).
    // 5: App.tsx changed; 13: a JSON file any tool may read; 21: an install changed the environment.
    // 24: mypy follows main.py's imports into models.py; 27: ruff does not.
    expect(flags).toEqual({
      3: 'duplicate-call',
      8: 'duplicate-call',
      11: 'duplicate-call',
      16: 'duplicate-call',
      19: 'failed-repeat',
      27: 'duplicate-call',
    })
  })
})

describe('3d. tests an earlier run already reported', () => {
  it('one test of a run that listed it, the failing test alone: near-duplicates; not after a change, not when it shows more', async () => {
    const {flags} = await calls('test-reruns.jsonl')
    // 2: a test 1 listed PASSED; 4: the same after a patch to the code; 6: the test `go test ./...` (5) showed
    // failing, alone with -v, every line of it printed by 5; 7: a t.Log line 5 did not show; 8: with -race, another
    // check (the same lines printed).
    expect(flags).toEqual({2: 'near-duplicate', 6: 'near-duplicate'})
  })
})

describe('3e. installs that install nothing', () => {
  it("a sync from unchanged manifests (uv run, uv sync, npm install) changes nothing; another language's installs do not touch a check", async () => {
    const {flags} = await calls('idle-syncs.jsonl')
    // 3: the tests again, 2's `uv run` having synced nothing; 5: `uv sync` again; 7: the tests after `npm install` in
    // frontend/ (JavaScript's packages). Not 9 (pyproject.toml changed) nor 10 (9 installed httpx). 11: npm install
    // again in frontend/, nothing changed there since 6.
    expect(flags).toEqual({3: 'duplicate-call', 5: 'duplicate-call', 7: 'duplicate-call', 11: 'duplicate-call'})
  })
})

describe('1i. git mv', () => {
  it('moves what mv moves, and nothing else; a file moved holds what it held', async () => {
    const {flags, tools} = await calls('git-mv.jsonl')
    expect(tools[6]!.flags![0]!.reason).toMatch(/which step \d+ moved from [^ ]+ unchanged since/)
    // 3: app.py read back after another file was moved; not 4, a moved file nobody had read. 7: a file the agent
    // wrote, read where `mv` put it; not 9, below a folder moved.
    expect(flags).toEqual({3: 'reread-unchanged', 7: 'reread-unchanged'})
  })
  it('a file of any common language moved into a folder holds what it held (a Nix module), not once changed after', async () => {
    const {flags} = await calls('moved-files-other-languages.jsonl')
    // 4: laptop.nix read where `mv … machines/p14s/` put it, as 1 showed it. 8: boot.lua, moved from init.lua (5),
    // then appended to (7).
    expect(flags).toEqual({4: 'reread-unchanged'})
  })
})

describe("1h. GitHub's CLI and the remote's refs", () => {
  it('gh pr create and git ls-remote change no file here; gh pr checkout switches a branch', async () => {
    const {flags} = await calls('github-cli.jsonl')
    // 4: the file read back after a PR was opened and the remote's refs listed; not 6, after `gh pr checkout`.
    expect(flags).toEqual({4: 'reread-unchanged'})
  })
})

describe('1d. looking at a running app writes nothing', () => {
  it('a browser snapshot, its console messages and docker compose ps change no file; a click or docker compose up may', async () => {
    const {flags} = await calls('looks-at-running-apps.jsonl')
    // 5: only looks since 1; 7: the click may have made the app's server write; 9: a container may write its mounts
    expect(flags).toEqual({5: 'duplicate-call'})
  })
})

describe("1e. a command run in the project's environment", () => {
  it('uv run / poetry run X does what X does: a script may write anything, mypy reads Python code', async () => {
    const {flags} = await calls('project-env-runs.jsonl')
    // 3: migrate.py (never seen) may have rewritten models.py, which reads as it did; 6: only a .tsx changed since
    // mypy failed; 8: poetry run python -c wrote models.py
    expect(flags).toEqual({3: SAME, 6: 'failed-repeat'})
  })
})

describe('4. partial re-reads of what is in context', () => {
  it('sed/grep/cat of lines already shown; not lines a harness cut out, not after a fix script', async () => {
    const {tools, flags} = await calls('partial-rereads.traj.json')
    expect(flags[2]).toBe('reread-unchanged') // inside the head -250 that was shown
    expect(flags[3]).toBe('near-duplicate') // partly inside the part mini-swe-agent elided
    expect(tools[2]!.flags![0]!.reason).toMatch(/67% of these lines/)
    expect(flags[4]).toBeUndefined() // mostly new lines
    expect(flags[6]).toBe('reread-unchanged') // grep in a file shown whole
    expect(flags[8]).toBe('reread-unchanged') // reading back what it wrote itself
    expect(flags[14]).toBeUndefined() // fix.py rewrote the file
    expect(flags[15]).toBeUndefined() // the submission
  })
})

describe('4c. lines a search of one file printed are in context', () => {
  it('grep -n with context lines shows those lines; `--version` writes nothing; "mostly" shown means more than half', async () => {
    const {flags} = await calls('grep-context-rereads.traj.json')
    // 3: lines 11-14 inside the grep's 10-15, with only `python -m django --version` between;
    // 4: 6 of 7 lines shown; 5: lines 15-18, of which 15-16 were shown (half is not most)
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'near-duplicate'})
  })
})

describe('4d. a grep -n for the number of a line just printed', () => {
  it('is a re-read when the call just before printed every line it finds; not when an older read did (it also tells where else the pattern is)', async () => {
    const {flags} = await calls('grep-line-number.traj.json')
    // 2: line 110, printed by the sed just before; 4: line 105, printed by #1 but not by #3
    expect(flags).toEqual({2: 'reread-unchanged'})
  })
})

describe('5b. a narrower pattern over the same file', () => {
  it('a pattern that can only match lines an earlier pattern matched, its hits on screen, is a near-duplicate; not another pattern', async () => {
    const {flags} = await calls('narrower-pattern.traj.json')
    // 3: replace.*encode_ascii within encode_ascii (an `ls` between: not a line number just printed);
    // 4: narrower still and no hits, which 3's one line (no "strict" in it) told; 5: another pattern
    expect(flags).toEqual({3: 'near-duplicate', 4: 'near-duplicate'})
  })

  it("finding nothing, or only a count, is told by the earlier search's lines: anchors, groups and classes read", async () => {
    const {flags} = await calls('narrower-derived-results.jsonl')
    // 1 printed three checked items. 2: unchecked ones (none); 3: `| wc -l` of the checked ones (3); 4: a class,
    // `[x]` (2). 5: another pattern (TODO). 7: finds nothing though line 12 of 6 matches it: the file changed
    // where aco could not see, so it is no repeat. 9: FAIL, after 8's `| tail -20` printed three lines (nothing cut);
    // not 11: 10's `| tail -2` printed two, and may have cut some.
    expect(flags).toEqual({2: 'near-duplicate', 3: 'near-duplicate', 4: 'near-duplicate', 9: 'near-duplicate'})
  })

  it("a narrower pattern finds nothing after Claude Code's Grep printed the broader one's hits among context lines, unnumbered", async () => {
    const {flags} = await calls('grep-tool-context-without-numbers.jsonl')
    // 2: every line it could match, 1 printed (a hit of 1's pattern), and none does (fresh338 #36, #37); not 3, another
    // word; not 4, which 1 printed a line of (the file changed where aco could not see); not 6, after 5's edit. Not 8,
    // after 7's three lines the tool paged at its limit of three (review 70); 10 after 9's two, under its limit of 40,
    // which the tool states all the same (fresh167 #88).
    expect(flags).toEqual({2: 'near-duplicate', 10: 'near-duplicate'})
  })
})

describe("5b'. a narrower pattern in Codex's shell output", () => {
  it("the harness's header is no hit: the wall time it states differs between two runs of the same search", async () => {
    const {flags} = await calls('narrower-search-codex-wall-time.jsonl')
    // 3: one alternative of 1's pattern (1 took 0.2 s, 3 0.1 s); 4: another pattern
    expect(flags).toEqual({3: 'near-duplicate'})
  })
})

describe("5b'''. ripgrep's exit 2 for an ignore file's glob, and the paths a search leaves out by name", () => {
  it('a search that ran all the same is judged as any search; one that leaves out as much, or more, is within it', async () => {
    const {card, flags} = await calls('rg-ignore-file-glob-warning.jsonl')
    // 2, 3: narrower patterns than 1's, each exit 2 for the .gitignore's glob (fresh46 #12). Not 4: 1 left build/ out;
    // not 6: 5 failed on a path it could not read. 8: 7 left generated/ out, 8 too and Markdown besides; not 9: it
    // looks in generated/. Review 79: not 11, a folder 10 left out, named; not 13, whose include after its exclusion
    // overrides it; 15: the exit code was `ls`'s, a failure, repeated; 17: the pattern refused again, beside the warning.
    expect(flags).toEqual({
      2: 'near-duplicate',
      3: 'near-duplicate',
      8: 'near-duplicate',
      15: 'failed-repeat',
      17: 'failed-repeat',
    })
    const ctx = buildContext(card)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools.map(s => ctx.failed[s.index])).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    // (4 printed the warning alone: it found nothing.)
    expect(tools.map(s => ctx.foundNothing(s)).slice(0, 9)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
    ])
  })
})

describe("5b''. a search that found nothing under a shell that prints its profile's refusal first", () => {
  it('is no failure (grep and rg exit 1 on no match), and a narrower one is judged as any search', async () => {
    const {card, flags} = await calls('no-match-under-a-shell-banner.jsonl')
    // 4: one alternative of 3's pattern, nothing found (3 printed no line of it); 5: another pattern
    expect(flags).toEqual({4: 'near-duplicate'})
    const ctx = buildContext(card)
    expect(card.steps.filter(s => s.kind === 'tool').map(s => ctx.failed[s.index])).toEqual([0, 0, 0, 0, 0])
    expect(card.steps.filter(s => s.kind === 'tool').map(s => ctx.foundNothing(s))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ])
  })
})

describe('5c. searches put in order', () => {
  it('`| sort` and `| uniq` keep a listing a listing; `uniq -c` does not', async () => {
    const {flags} = await calls('sorted-listings.jsonl')
    // 2: a sub-folder of 1's listing, sorted; 3: counts per folder; 5: 4 sorted the other way round.
    expect(flags).toEqual({2: 'near-duplicate', 5: 'duplicate-call'})
  })
})

describe('5d. a narrower search that finds nothing, told by an earlier one with context lines or over the folder', () => {
  it("only the earlier one's hit lines count (`12:`, `src/a.ts:12:`), not its context lines", async () => {
    const {flags} = await calls('narrower-in-a-file-of-the-folder.jsonl')
    // 2: one alternative of 1 in a file of 1's folder (more context asked): 1 printed no line of it; 4: a narrower
    // pattern than 3's, whose one hit line lacks 'assert'. Not 5: 1 printed a hit of credit.ts that matches it, so
    // finding nothing is news (the file changed where aco could not see).
    expect(flags).toEqual({2: 'near-duplicate', 4: 'near-duplicate'})
  })
  it('after a script aco cannot see into, by the search since that printed every line as written', async () => {
    const {flags} = await calls('narrower-search-after-a-script.jsonl')
    // 3 reads every item of the checklist 1 wrote whole, as written, after a script ran (2); 4 finds no unchecked
    // item, which 3 told: its own empty output cannot show the file is unchanged, 3's lines do.
    expect(flags).toEqual({3: 'reread-unchanged (read the same)', 4: 'near-duplicate'})
  })
})

describe("5d'. `grep -r` of one file", () => {
  it('searches that file alone, once an earlier search of the path without `-r` printed hits; not a folder', async () => {
    const {flags} = await calls('recursive-grep-of-one-file.jsonl')
    // 2: one alternative of 1's pattern, `-r` over the file 1 searched (its hits printed with the path). Not 4: 3's
    // search of the path without `-r` failed ("Is a directory"). Not 6: it prints a line 5 did not (the file changed
    // where aco could not see).
    expect(flags).toEqual({2: 'near-duplicate'})
  })

  it('not after a glob of the folder (`grep -n x src/*`), nor after a grep of a folder that printed only "Is a directory"', async () => {
    // Review 47: a glob names the folder (its sub-folders unsearched); an error exit 0 hid (`|| true`, `; echo`).
    expect((await calls('grep-glob-then-recursive.jsonl')).flags).toEqual({})
    expect((await calls('grep-folder-error-exit-0-then-recursive.jsonl')).flags).toEqual({})
  })
})

describe('1h. a push ssh refused ran no hook', () => {
  it("its lines (ending in ssh's carriage return) are git's and ssh's own: a file read before it is known after it", async () => {
    const {flags} = await calls('push-refused-by-ssh.jsonl')
    // 3: after a push ssh refused (no hook runs before the remote answers); 5: after a push the remote rejected; 7:
    // after a push whose pre-push hook ran (husky) and may have rewritten files: the read's own lines show it did not.
    expect(flags).toEqual({3: 'reread-unchanged', 5: 'reread-unchanged', 7: SAME})
  })
})

describe('1j. commands run on another machine', () => {
  it('ssh writes no file here and scp only a local destination; what the other machine answers is no repeat', async () => {
    const {flags, tools} = await calls('ssh-and-scp-between-reads.jsonl')
    // 4: the script's first lines again after an ssh listing and an scp to the manager: nothing here changed. Not 5, the
    // same ssh listing (the manager's state is not seen here); not 7, after 6's scp onto the script.
    expect(flags).toEqual({4: 'reread-unchanged'})
    expect(tools[3]!.flags![0]!.reason).toMatch(
      /every line it shows was shown at step \d+, and nothing changed the file since$/,
    )
  })
})

describe('5f. a file read that is not there, after a name search that would have found it', () => {
  it("is known absent where the search's pattern names it below its folder, its output whole, nothing unseen made there since", async () => {
    const {flags, tools} = await calls('read-missing-after-name-search.jsonl')
    // 2: KeyboardShortcuts.swift after Glob **/*Keyboard*.swift listed two others (fresh340 #9). Not 3, a name the pattern
    // does not match; not 5, after a Glob the tool cut at 100 paths; not 7, after an unzip into the folder; not 8, below
    // venv/, which ignore files name and the Glob may leave out (review 70).
    expect(flags).toEqual({2: 'near-duplicate'})
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^looks for SwiftMedia\/KeyboardShortcuts\.swift, which the search at step \d+ \(Glob \*\*\/\*Keyboard\*\.swift\) would have found and did not/,
    )
  })
})

describe("1k. Claude Code's shell calls of one response, run one after another", () => {
  it('a call that moved the shell moved every later call of its response, written down before it ran', async () => {
    const {flags, tools} = await calls('parallel-shell-calls-after-cd.jsonl')
    // 2 ran in api/, where 1 left the shell (fresh352 #21), so 3, the same install from api/, fails as 2 did (#23). 5
    // runs where it was issued: 4 moved nothing. 7 too, though 6's result names another folder: 6 changed none. 9 and
    // 10 both run in web/, where 8 moved the shell. 13 runs in api/, where 12 moved it; not 11, a call of an earlier
    // response never answered.
    expect(flags).toEqual({3: 'failed-repeat'})
    const api = '/Users/dev/shop/api'
    const web = '/Users/dev/shop/web'
    expect(tools.map(t => t.cwd)).toEqual([undefined, api, api, api, api, api, api, api, web, web, web, web, api])
  })
})

describe('6q. a read refused as too large, asked again for more of the same file', () => {
  it('holds all the lines a read of the unchanged file was refused for: refused the same way; a smaller window is a fix', async () => {
    const {flags, tools} = await calls('read-refused-as-too-large.jsonl')
    // 2: 150 lines after 100 were too large (fresh357 #4); 4: the whole file after 50 lines were. Not 3 (a smaller window,
    // as fresh357 #6 and #7), 6 (after 5's edit), 7 (another file) nor 8 (lines 500-600, which no refused window held).
    expect(flags).toEqual({2: 'failed-repeat', 4: 'failed-repeat'})
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^reads dist\/big\.js again, lines that hold all of those step \d+ was refused as too large/,
    )
  })
})

describe('6s. what runs after `||`', () => {
  it('runs only when what came before it failed: its read is no line the output surely showed', async () => {
    const {flags} = await calls('fallback-read-after-or.jsonl')
    // 2: the raw file after a python summary whose `|| cat … | head -30` never ran (fresh361 #101): news. 3: the whole
    // file again after 2 showed it: a re-read, as before. 5: a search that step 4 held only after `||` (python
    // printed, so it never ran): no repeat of it (review 73). 7: a file read only in a `{ …; }` group opened after `||`
    // at 6, which never ran: news.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('6t. a group sent to a file or a pipe', () => {
  it("a `{ …; }` group's or a subshell's redirect or pipe is its commands': what they read was not printed", async () => {
    // 2: the changelog after a group wrote it into notes.md (it had read as the agent's own write of the changelog).
    // 4: likewise after a subshell's `>>`. 5: the changelog again after 2 printed it. 7: the roadmap after a group sent it
    // into a `grep`, which let one line of the todo list through. 12: the log a subshell's tests wrote where it began,
    // read after the tests ran again on changed code (review 75: it had read as the same empty log written twice).
    expect((await calls('group-redirected-to-a-file.jsonl')).flags).toEqual({5: 'reread-unchanged'})
  })
})

describe('6u. where the repository is', () => {
  it('asked again at a later turn, nothing having made or moved a repository, is a repeat; its remotes are not', async () => {
    // 4: `git rev-parse --git-dir` of a script run at each turn, a commit between (fresh16 #156). Not 5: `git remote -v`
    // at a person's new turn (they may have added one: fresh32 #142). Not 8: HEAD after a commit. 11: the top of the
    // repository again after a commit in the same turn (it depends on .git, not on git's history: review 77).
    expect((await calls('repository-layout-asked-each-turn.jsonl')).flags).toEqual({
      4: 'duplicate-call',
      11: 'duplicate-call',
    })
  })
})

describe('6r. an install that installed nothing', () => {
  it("changes no environment: the same failure after pip's `Requirement already satisfied` or npm's `up to date` is a repeat", async () => {
    const {flags, tools} = await calls('install-said-nothing-installed.jsonl')
    // 3: the app again after pip said every requirement was already satisfied; 8: the tests again after npm was up to
    // date. Not 5: after an install that installed something ("Successfully installed"); not 10: git's "Already up to
    // date." beside yarn's install (review 73); not 12: pip's report cut by `head` (what it installed may be below).
    expect(flags).toEqual({3: 'failed-repeat', 8: 'failed-repeat'})
    expect(tools[2]!.flags![0]!.reason).toMatch(
      /^retries Bash python3 app\.py after it failed at step \d+, and fails the same way/,
    )
  })
})

describe("6p. Claude Code's shell that cannot start", () => {
  it('whatever command follows a shell whose snapshot is gone fails as it did, until the harness starts another', async () => {
    const {flags, tools} = await calls('shell-snapshot-gone.jsonl')
    // 2, 3, 5: other commands than 1, all meeting the same snapshot gone (fresh346 #78, #79, #93): none of them ran, the
    // install at 1 neither, and a Write changes nothing of the shell. Not 6, after the person restarted Claude Code (a
    // new snapshot's name); not 7, an `ls` that ran and named such a file.
    expect(flags).toEqual({2: 'failed-repeat', 3: 'failed-repeat', 5: 'failed-repeat'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^uses Bash again after its shell could not start at step \d+/)
  })
})

describe('6j. a check run again with its own echo', () => {
  it('the lines a command line prints of its own words (`&& echo ok`) tell nothing: the same result', async () => {
    const {flags} = await calls('typecheck-again-with-own-echo.jsonl')
    // 2: tsc again, printing only its own echo after tsc printed nothing; 4: tsc again, `|| echo` not run. Not 3: what
    // it echoes expands (`$?`).
    expect(flags).toEqual({2: 'duplicate-call', 4: 'duplicate-call'})
  })
})

describe('6k. `git branch` that only lists', () => {
  it('changes no ref (`--merged origin/main`: a commit to compare with, no branch made); one that names a branch does', async () => {
    const {flags} = await calls('git-branch-listing-then-status.jsonl')
    // 3: the status 1 told, with only a listing of merged branches between; not 5: a branch was made between.
    expect(flags).toEqual({3: 'duplicate-call'})
  })
})

describe("4h. a shell's banner of two lines above every output", () => {
  it("is no line of the file: a read back of a patch's lines shows only what the patch carried", async () => {
    const {flags} = await calls('two-line-shell-banner-patch-readback.jsonl')
    // Every output opens with the same two lines (Homebrew's shellenv refused by a sandbox), past the excerpt's end
    // in most of them. 5: `cat` of the lines 4's patch wrote in place of the file's; 6: the same lines again.
    expect(flags).toEqual({5: 'reread-unchanged', 6: 'reread-unchanged'})
  })

  it("a tail is placed by the file's known length less the banner above it", async () => {
    // 5: `tail -n 4` of the 10-line file 4 printed whole, each output opening with the same line; not 6 (another file).
    expect((await calls('tail-after-whole-read-under-banner.jsonl')).flags).toEqual({5: 'reread-unchanged'})
  })

  it("a file's opening lines above two `git show`s are no banner: a head of the file is no whole read", async () => {
    // Review 47: a license header of three lines, printed by `git show HEAD~1:src/a.ts` and `…:src/b.ts` (one program);
    // 6: `cat` after `head -40` showed 40 of its 60 lines.
    expect((await calls('license-header-is-no-banner.jsonl')).flags).toEqual({6: 'near-duplicate'})
  })

  it('no more of an output is banner than the banner runs to: a log whose tail opens with the same warning keeps it', async () => {
    // Review 48: a one-line banner (bash's setlocale warning) that the log itself holds too. 4: `tail -n 8` (its first
    // line the warning) is placed from the end, not the start; 6: `sed -n 1,8p` after 5's `head -n 8`.
    expect((await calls('log-tail-opening-with-the-banner-line.jsonl')).flags).toEqual({6: 'reread-unchanged'})
  })
})

describe('2c. a path sed could not read, looked for again from another folder', () => {
  it("`sed: can't read f` names a missing path (as `head: cannot open 'f'` does): the same path again is a failed-repeat", async () => {
    const {flags} = await calls('sed-cannot-read-again-from-another-folder.jsonl')
    // 2: the path 1 found missing, from its folder (another workdir); not 5: 4 made the file 3 had found missing.
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('1i. commands run through rtk', () => {
  it('are the commands rtk runs for what they write and read, not for what they print (rtk condenses it)', async () => {
    const {flags} = await calls('rtk-proxied-commands.jsonl')
    // 3: a.py read again across `rtk git status` (which writes nothing); 5: `rtk read a.py` again, the same condensed
    // text. Not 7: `rtk npx prettier --write a.py` rewrote it.
    expect(flags).toEqual({3: 'reread-unchanged', 5: 'duplicate-call'})
  })

  it("rtk's own syntax: grep searches `.` when it names no path, read's options come before its file, find takes a name first", async () => {
    // Review 48: each printed the same condensed text after an edit it depends on (a comment rtk's filter drops, a file
    // below the searched folder): no repeat, as the plain commands beside them (4-6, 10-12) are none.
    expect((await calls('rtk-grep-without-a-path.jsonl')).flags).toEqual({})
    expect((await calls('rtk-reads-and-finds-across-edits.jsonl')).flags).toEqual({})
  })

  it('a test run through rtk is a test run: passing tests run again, nothing changed, as without rtk', async () => {
    const {flags} = await calls('rtk-test-reruns.jsonl')
    expect(flags).toEqual({2: 'near-duplicate', 4: 'near-duplicate'})
  })

  it('`cargo clippy --fix` rewrites what it checks, through rtk or not: a read after it must show it did not', async () => {
    const {flags} = await calls('clippy-fix-rewrites.jsonl')
    expect(flags).toEqual({3: SAME, 6: SAME, 9: SAME})
  })
})

describe('5e. a list of files asked with context lines', () => {
  it('has none to show (`-C 4` without output_mode content): it is the list an earlier search printed', async () => {
    const {flags} = await calls('grep-files-then-one-file-with-context.jsonl')
    // 2: Grep of one file of 1's folder, files only (its -C 4 shows nothing); not 3: the lines, which 1 never printed.
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('6i. waiting loops', () => {
  it('`until grep -q … ; do sleep 1; done` polls: run again, it is no repeat', async () => {
    const {flags} = await calls('polling-loops.jsonl')
    // 3 waits for the log line 2 timed out on.
    expect(flags).toEqual({})
  })
})

describe('5e. a narrower search of a sub-folder that finds nothing, told by an earlier search of the folder', () => {
  it('where the earlier output names no file below the sub-folder; not where it names one', async () => {
    const {flags} = await calls('narrower-in-a-subfolder.jsonl')
    // 1 searches backend for `TEST_DATABASE_URL|DATABASE_URL` and prints three hits (migrations/env.py, app/config.py,
    // app/db.py); 2 and 4 look for `DATABASE_URL` in backend/tests and backend/app/tests: nothing there, as 1 told. Not
    // 3: 1 printed a hit in backend/migrations, so finding nothing there is news.
    expect(flags).toEqual({2: 'near-duplicate', 4: 'near-duplicate'})
  })
})

describe('5. narrower searches', () => {
  it('a search within an earlier one over an unchanged tree; not a new pattern, not a hit the earlier output cut off, not after a write there', async () => {
    const {flags} = await calls('narrower-searches.jsonl')
    expect(flags).toEqual({2: 'near-duplicate', 4: 'near-duplicate', 11: 'near-duplicate'})
  })

  it('`test -f` or `-d` of a name a long listing, printed whole, showed as that kind tells nothing new', async () => {
    // 2: spec.md's row starts with `-`, a file; 4: img's with `d`, a folder (fresh299 #46; the listing piped to a
    // `sed -n 1,120p` it did not reach). Not 3: `-f` of a folder, which the listing did not show as a file.
    expect((await calls('test-f-after-long-listing.jsonl')).flags).toEqual({2: 'near-duplicate', 4: 'near-duplicate'})
  })

  it('anything looked for below a folder `ls -la` showed empty (eza or GNU rows of `.` and `..` alone) finds nothing', async () => {
    // 2: `find -maxdepth 3` after the empty listing 1 (fresh300 #6, #7). Not 4: 3 wrote main.py there. 6: docs made and
    // listed empty by 5, nothing written there since.
    expect((await calls('find-in-folder-listed-empty.jsonl')).flags).toEqual({2: 'near-duplicate', 6: 'near-duplicate'})
  })

  it('a recursive look below a folder `ls -la` showed holding plain files alone finds those files and no more', async () => {
    // 2: `find .claude -type f` after a listing of one file and no folder (fresh62 #58). Not 4: config holds a folder;
    // not 7: a file was written in docs since; not 9: a link may lead to a folder; not 11: `ls -l` hides dot-folders.
    // 13: two listings in one call, each read from its own block (`total N` opens it; fresh2 #25); not 14: public's
    // block holds a folder; not 16: a copy ran between the call's two listings of lib (review 79); not 18: one listing
    // ran in the background, its block in either place. 20: one listing of two folders, read under contracts' header
    // (fresh36 #72); not 21: spec's block holds a folder.
    expect((await calls('find-in-folder-listed-files-only.jsonl')).flags).toEqual({
      2: 'near-duplicate',
      13: 'near-duplicate',
      20: 'near-duplicate',
    })
  })

  it("a Glob through a dot-folder after Claude Code's LS, which lists no hidden entry, asked what it could not show", async () => {
    // 2: CONTRIBUTING.md would stand in the listing. Not 3 (`**/.github/…`) nor 4 (`**/.cursor/rules/*`): LS leaves
    // out every dot-folder (fresh270 #8, #9).
    expect((await calls('glob-dot-folder-after-ls.jsonl')).flags).toEqual({2: 'near-duplicate'})
  })
})

describe('4g. requests on the side are no compaction', () => {
  it('calls far smaller, then one back to the whole context at one jump, left the context as it was', async () => {
    // A title asked for on the side (three small calls), then the conversation went on whole: 3 re-reads a.py.
    expect((await calls('requests-on-the-side.jsonl')).flags).toEqual({3: 'reread-unchanged'})
    // A compaction the context then grew back from, call by call: what it held before is gone.
    expect((await calls('compaction-then-growth.jsonl')).flags).toEqual({})
  })
  it("a person's next turn whose prompt lacks only the reasoning of the turn before is no compaction", async () => {
    // Codex on a reasoning model: turn 1 reasoned 20,000 tokens, which the provider drops from turn 2's prompt (32,000
    // → 13,500): 6 re-reads config.py as 1 showed it. Turn 3's prompt falls to 5,000 after 500 tokens of reasoning: a
    // compaction, after which 8 reads it anew.
    expect((await calls('turn-drops-reasoning.jsonl')).flags).toEqual({6: 'reread-unchanged'})
  })
})

describe('4h. a command whose output came through polls', () => {
  it("is judged by what the calls polling it printed (Codex's write_stdin to its session)", async () => {
    const {flags} = await calls('output-through-polls.jsonl')
    // 2 was still running when its call returned; 3 polled its session for the numbered lines of a.py, which 1 had
    // printed. 4 reads b.py, new; the polls themselves are no looks.
    expect(flags).toEqual({2: 'reread-unchanged'})
  })
})

describe('4f. the last lines of a file', () => {
  it('`tail -n N f` reads lines its length places; a log that grew, or a look after a wait, is no re-read', async () => {
    const {flags} = await calls('tail-of-a-file.jsonl')
    // 3: lines 8-12 of the 12 that 1 printed whole (the failed patch 2 wrote nothing). 5: build.log's last two lines
    // are not lines 2-3 as 4 showed them (another process appends to it); 6 sleeps first. 8: the last two of the
    // last three 7 printed, the file's length unknown.
    expect(flags).toEqual({3: 'reread-unchanged', 8: 'reread-unchanged'})
  })
})

describe('4b. partial re-reads written with awk or head | tail', () => {
  it('awk line ranges and the tail of a head are reads of known lines; not after a write, not when mostly new', async () => {
    const {flags} = await calls('awk-and-tail-rereads.traj.json')
    // 1 shows lines 101-200 (head -200 | tail -100); 2 and 3 lie inside it; 4 is mostly new (201-230);
    // 6 follows the sed -i of 5; 8 lies inside the 281-300 that 7 showed.
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'reread-unchanged', 8: 'reread-unchanged'})
  })
})

describe('6. repeated failures in disguise', () => {
  it('an edit retried with another tool without the read it asked for; a missing path looked for again', async () => {
    const {flags} = await calls('failures-in-disguise.jsonl')
    expect(flags).toEqual({2: 'failed-repeat', 8: 'failed-repeat'})
  })

  it('the same install inside a wrapper fails the same way', async () => {
    const {flags} = await calls('partial-rereads.traj.json')
    expect(flags[12]).toBe('failed-repeat')
  })

  it('another command meeting the same failure: a missing module with nothing installed, a trace ending where the last one did in code that did not change', async () => {
    const {flags} = await calls('same-failure-elsewhere.traj.json')
    // 3: a new script, the same missing module; 8: a new script, the same import error in unchanged code; 11: `python -c`
    // after 10. Not 10 (the file the error arose in was edited), not 13 (the same message from another line).
    expect(flags).toEqual({3: 'failed-repeat', 8: 'failed-repeat', 11: 'failed-repeat'})
  })

  it("a sandbox's refusal met by another command, whatever temporary name it made up; not after a person's turn", async () => {
    const {flags} = await calls('sandbox-temp-names.jsonl')
    // 2: cargo check meets cargo fmt's refusal (another temp name); 3: after the person said they fixed it; 4, 5:
    // two files named by year are two files, not one made-up name.
    expect(flags).toEqual({2: 'failed-repeat'})
  })

  it('a patch expecting the very lines an earlier patch found missing in the unchanged file fails the same way', async () => {
    const {flags} = await calls('patch-lines-missing-again.jsonl')
    // 3: the one hunk 1 found missing, after a read; 4: that line with one more of context, nothing looked at since
    // (the line is missing still); not 6 (5 changed the file).
    expect(flags).toEqual({3: 'failed-repeat', 4: 'failed-repeat'})
  })

  it('an edit whose text to replace holds the whole text an earlier edit did not find in the unchanged file fails the same way', async () => {
    const {flags, tools} = await calls('edit-text-holding-missing-text.jsonl')
    // 3: 2's text (a newline escaped as \\n) with more before it (fresh322 #49); not 4, a part of it, which the file
    // holds; not 5, 2's text again after 4 changed the file.
    expect(flags).toEqual({3: 'failed-repeat'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/^edits index\.html expecting lines step \d+ found missing there/)
  })

  it("the same mistake in how a call is written, made again: a path's brackets unquoted for zsh, a patch line without its +", async () => {
    const {flags} = await calls('form-mistakes.jsonl')
    // 3: another unquoted path with ( and [, read through a pipe whose exit code is 0; 4: `*.log` matching nothing
    // is no quoting mistake (5 repeats 4 itself); 7: another file's patch with a body line lacking its `+`.
    expect(flags).toEqual({3: 'failed-repeat', 5: 'failed-repeat', 7: 'failed-repeat'})
  })

  it("zsh globbing an option's or a URL's unquoted `*` or `?` (`(eval):1:` under Claude Code on macOS) is the same mistake made again", async () => {
    const {flags, tools} = await calls('zsh-option-and-url-patterns.jsonl')
    // 2: `--include=*.rs` unquoted, its status hidden by `| head` (zsh ran nothing of the grep): a failure. 4: the same
    // mistake in another search (fresh257 #45, #159). 6: another URL with `?` unquoted after 5. Not 2 after 1, a `cat`
    // of notes that quote zsh's line (review 65: the line is the shell's only where the call's own words hold the word);
    // 8: `notes/*.txt` matching nothing after `docs/*.md` did is an answer (no such files); 10: `-*.tmp`, a file glob
    // after `--`, is no option.
    expect(flags).toEqual({4: 'failed-repeat', 6: 'failed-repeat'})
    expect(tools[3]!.flags![0]!.reason).toMatch(/fails as step 3 did, for the same mistake in how it is written/)
  })

  it("PowerShell's parser meeting the same mistake again: a backslash-escaped quote, a here-string left open", async () => {
    const {flags, tools} = await calls('powershell-parser-mistakes.jsonl')
    // 2: `\"` inside a double-quoted string again (another command, another file); 3 escapes with a backtick. 5: a
    // here-string closed with a bare quote again, as 4.
    expect(flags).toEqual({2: 'failed-repeat', 5: 'failed-repeat'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/for the same mistake in how it is written \("powershell: \\" inside/)
  })

  it('a search pattern starting with - taken for an option again, until `--` or `-e` marks it a pattern', async () => {
    const {flags} = await calls('pattern-taken-for-an-option.jsonl')
    // 2: rg -n "--upgrade" after rg "--upgrade" (an unknown flag both times); 3 puts `--` first. 5: grep's "-v2" again;
    // 6 gives it with -e.
    expect(flags).toEqual({2: 'failed-repeat', 5: 'failed-repeat'})
  })

  it("a search for other words written with grep's \\| where it is a plain |, finding nothing as one written so did, is no repeat", async () => {
    const {flags} = await calls('literal-bar-searches.jsonl')
    // 3: rg 'huber\\|HuberLoss' after rg 'optimizer.step\\|clip_grad' found nothing: the same mistake, other words.
    // Flagged from fresh22 until blind sets of other authors (fresh231, fresh234) called twelve such searches no
    // waste and two so; a search that makes the mistake is a new question, however it is written (see the README).
    expect(flags).toEqual({})
  })

  it("what a login shell prints on every command, failed or not, is no failure's signature", async () => {
    const {flags} = await calls('login-shell-noise.jsonl')
    // 1 and 2 printed the profile's refusal and succeeded; 4 fails its own way (not as 3, which printed only the
    // refusal); 6: the same eslint failing the same way as 5.
    expect(flags).toEqual({6: 'failed-repeat'})
  })

  it('the very same patch again after a read of the unchanged file fails as it did; another patch after the read is a new try', async () => {
    const {flags} = await calls('identical-patch-after-read.jsonl')
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe('6l. a failure run again with its status hidden from the harness', () => {
  it('`|| true` or `; echo "exit=$?"` printing what the failure printed fails the same way', async () => {
    const {flags, tools} = await calls('failure-with-its-status-hidden.jsonl')
    // 2: `gh pr checks` again with its status echoed (`exit=1`, nothing else, as the failure printed nothing: fresh232
    // #58, #84); 5: the build's error again under `|| true`; 6: echoed, `exit: 2`, the build's exit code. Not 3: masked
    // with `; true`, printing nothing as the failure did, which tells nothing of how it ended (review 65: `pkill -f vite
    // || true` after the server started); 7 (it echoes another variable too), 9 (after the edit 8 of the code the build
    // reads), 11 (its status is `head`'s, 0), 12 (another output: the smoke test passed); 14: the second command of 13's
    // `&&`, which may never have run; 16: `gh pr checks` exits 8 while checks are pending (a poll).
    expect(flags).toEqual({2: 'failed-repeat', 5: 'failed-repeat', 6: 'failed-repeat'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/exit code 1, which it printed itself; no output, as then/)
    expect(tools[4]!.flags![0]!.reason).toMatch(/its exit status masked; the same output/)
  })
})

describe("6o. a change the person told of at a turn before the look's", () => {
  it('voids what was read before it, whichever later turn reads the file again', async () => {
    const {flags} = await calls('change-told-a-turn-before.jsonl')
    // Not 3: config.ts read again at the turn after "I pulled the latest changes" (fresh175 #56, fresh79's re-reads after
    // the person's silent edits). 4: again in that turn, after 3 read it.
    expect(flags).toEqual({4: 'reread-unchanged'})
    // The same after "ok i made some changes note them also" (trial 76, fresh102 #99).
    expect((await calls('change-told-made-some.jsonl')).flags).toEqual({4: 'reread-unchanged'})
  })
})

describe('6n. a server probed again while it starts', () => {
  it("curl's exit code for no answer (52, silenced: `000`) after `docker compose up` is a server not up yet, in a folder with spaces too", async () => {
    const {flags} = await calls('server-starting-in-a-folder-with-spaces.jsonl')
    // Not 4: the health check again while the app starts (fresh272 #56, #83: curl printed only `000`, and the folder's
    // spaces had hidden the `docker compose up` before it). 6: `git status` again, nothing changed.
    expect(flags).toEqual({6: 'duplicate-call'})
  })
})

describe('6m. a file written again with the content it holds', () => {
  it('the same text written whole again by the same tool changes nothing, until something may have changed the file', async () => {
    const {flags, tools} = await calls('same-file-written-again.jsonl')
    // 2: the heredoc of 1 again under another delimiter (fresh260 #26, fresh14 #56's Set-Content). Not 3 (another text),
    // 5: the text of 3 again after a build aco cannot see into, which may have rewritten the file, nor 8: the heredoc of
    // 6 again, whose first try wrote nothing ("No such file or directory", its exit code 0 for the `echo` after it:
    // review 66).
    expect(flags).toEqual({2: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^writes src\/config\.js with the content it already held: step 1 wrote/,
    )
  })
})

describe('6c. a module still missing after installs of other packages', () => {
  it('`python -m pytest` printing "No module named pytest" fails whatever the pipe exits with; installing asgiref cannot help, a requirements file or pytest-cov may', async () => {
    const {tools, flags} = await calls('missing-module-installs.traj.json')
    expect(tools[0]!.tool!.exitCode).toBe(0)
    // 3: after `pip install asgiref`; 5: after `-r requirements-dev.txt` (anything); 7: after pytest-cov (its name holds pytest's)
    expect(flags).toEqual({3: 'failed-repeat'})
    expect(tools[2]!.flags![0]!.reason).toMatch(
      /No module named pytest.*what was installed in between cannot provide pytest/,
    )
  })
})

describe('6b. the same failing command with a change that changes nothing', () => {
  it('an environment variable already exported with that value, or the tool run as a module, fails the same way; another value is a real change', async () => {
    const {flags, tools} = await calls('env-noop-failures.traj.json')
    // 3: PIP_INDEX_URL set to the value exported in 1; 4: `python -m pip` for `pip`. Not 5 (another index: an
    // attempted fix), not 6 (after 5, whose failed install may have changed the environment).
    expect(flags).toEqual({3: 'failed-repeat', 4: 'failed-repeat'})
    expect(tools[3]!.flags![0]!.reason).toMatch(/after it failed at step/)
  })
})

describe('7. redacted traces', () => {
  it('identical argument hashes with identical outputs and nothing between are duplicates; not after a patch, not polling', async () => {
    const {flags} = await calls('codex-redacted.jsonl')
    expect(flags).toEqual({2: 'duplicate-call'})
  })
})

describe('4b. lines carried by a copy', () => {
  it('a read of a copy of a file shown since it last changed repeats those lines; not when the copy or the source changed', async () => {
    const {tools, flags} = await calls('copy-carries-lines.jsonl')
    // 3: grep in config.py.bak, a copy of config.py as cat (1) printed it; 5: other.py was changed right after the
    // copy; 8: config.py had changed (6) since it was shown, so its copy holds lines never shown
    expect(flags).toEqual({3: 'reread-unchanged'})
    expect(tools[2]!.flags![0]!.reason).toBe(
      'reads config.py.bak, which step 3 copied from config.py unchanged since step 1 showed it: every line it shows was shown there, and nothing changed the copy since',
    )
  })
})

describe('4c. a copy read beside the file it was copied from', () => {
  it("names each file it read, and where the copy's lines were shown (trial 106)", async () => {
    const {tools, flags} = await calls('copy-read-beside-its-source.traj.json')
    // 5: settings.py as 4 printed it after the edit (3), and settings.py.orig, copied (2) from it as 1 printed it.
    expect(flags).toEqual({5: 'reread-unchanged'})
    expect(tools[4]!.flags![0]!.reason).toBe(
      'reads settings.py and settings.py.orig: every line they show was shown at steps 1 and 7, those of settings.py.orig in settings.py, which step 3 copied to it, and nothing changed them since',
    )
  })
})

describe("6b. SWE-agent's own editor", () => {
  it('edit and create write the open file only; a verbatim retry of a rejected edit is a failed-repeat, a new text is not', async () => {
    const {flags} = await calls('swe-agent-edits.traj')
    // 4: app.py shown whole at 1, only notes.py written since; 6: the edit of 5 again (a file name after the
    // line range changes nothing: SWE-agent edits the open file); 7: another text, an attempt at a fix.
    expect(flags).toEqual({4: 'reread-unchanged', 6: 'failed-repeat'})
  })
})

describe('1b. scripts kept in /tmp', () => {
  it("a script the agent wrote to /tmp is read for what it writes (/tmp is not the project's, but its scripts are known)", async () => {
    const {flags} = await calls('scratch-scripts.traj.json')
    // 4: lines 10-20 shown at 1, and /tmp/show.py (3) only prints; 7 follows /tmp/fix.py (6), which rewrites
    // core.py; 9 follows a script aco never saw written (8): it may have changed anything, and the lines read as
    // they did; 12 follows a copy of the backup over core.py (11), a restore: a change, as the labelling
    // conventions have it.
    expect(flags).toEqual({4: 'reread-unchanged', 9: SAME})
  })
})

describe('1d. a command that says it changed files without naming them', () => {
  it('a read after it checks what it did (shadcn init: "Updating fonts"), not a re-read; after one that says nothing, it is', async () => {
    const {flags} = await calls('scaffolder-says-it-updated.jsonl')
    // 3: after `shadcn init` printed "Updating fonts." and "Updating files." (fresh108 #185); 5: after a script that
    // printed what it seeded, the layout reads as it did; 7: after a formatter that says it formatted 0 files (review 93).
    expect(flags).toEqual({5: SAME, 7: SAME})
  })
})

describe('5b. a folder a search by name found, then listed', () => {
  it('a listing of what is in it is no search within that search (trial 92)', async () => {
    const {flags} = await calls('ls-of-a-folder-found-by-name.jsonl')
    // 2: `ls -la kosh-ai` after `find ~ -iname '*kosh*'` (1) found the folder: its files were never among the hits
    // (Codex 0.120, the shape of trial 92's session, whose results came after the next call).
    expect(flags).toEqual({})
  })
})

describe('6c. the same failure by its cause', () => {
  it('a module missing again under another message; a caught and reported exception; installs of packages the failing code does not run through', async () => {
    const {tools, flags} = await calls('failures-by-cause.traj.json')
    // 2: numpy missing, said by astropy's own check; 6: the script catches the import error, prints the
    // traceback and reports it (exit 0), after only pytest was installed; 8: configobj was installed in
    // between, and the failing frame is in astropy/extern/configobj: not the same cause for sure.
    expect(flags).toEqual({2: 'failed-repeat', 6: 'failed-repeat'})
    expect(tools[9]!.flags).toBeUndefined()
  })
})

describe('1c. Windows paths, read-only subagents, compilers', () => {
  it('C:\\a, c:/a and /c/a are one file; an Explore subagent, a subagent that used no tool and next build change no source; another subagent may', async () => {
    const {flags} = await calls('windows-subagents-builds.jsonl')
    // 3: the Write (1, as C:\…) put it in context, and only an Explore subagent ran since; 6: since 3, a subagent
    // that used no tool and `next build` (it writes .next, tsconfig.json, next-env.d.ts); 8: a subagent that
    // worked (6 tool uses, its own card absent) may have changed it (it reads as written).
    expect(flags).toEqual({3: 'reread-unchanged', 6: 'reread-unchanged', 8: SAME})
  })
})

describe('4c. a grep after a read the harness cut', () => {
  it('a whole-file grep -n right after an elided cat is no re-read (it also looks in the cut part); right after a sed -n of those lines it is', async () => {
    const {flags} = await calls('grep-after-cut-read.traj.json')
    // 2: line 12 lies in the head the cat showed, but the grep also searched the elided middle; 3: lines 10-20,
    // shown in that head; 4: the line number of a line the sed -n just printed.
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })
})

describe('6d. an installed package lacking a name, met again', () => {
  it('a new script meets the failure an earlier script met (even after that script was rewritten); installs of other packages cannot help; an edit on the failing path can', async () => {
    const {flags} = await calls('import-error-scripts.traj.json')
    // 3: test_fix.py fails where simple_test.py did (only simple_test.py, the earlier run's own script, changed);
    // 5: scipy still lacks `derivative` after installing pytest; 7: sdm.py, on the failing path, was edited (a fix).
    expect(flags).toEqual({3: 'failed-repeat', 5: 'failed-repeat'})
  })
})

describe('4d. the tail of a cut output', () => {
  it('lines the tail of an elided cat showed are in context (mini-swe-agent keeps the whole output, so they can be placed); the elided middle is not', async () => {
    const {flags} = await calls('elided-tail-rereads.traj.json')
    // 1 showed lines 1-50 and 361-400 of 400; 2 asks for 370-380; 3 for 200-210, which were cut.
    expect(flags).toEqual({2: 'reread-unchanged'})
  })
})

describe('6e. a failure in installed code, met again through a diff applied and a caught exception', () => {
  it('patch -p1 < a diff the session wrote changes only the files it names; `let` changes nothing; a script printing the same exception message fails the same way', async () => {
    const {flags} = await calls('patched-and-caught-failures.traj.json')
    // 5: test_b.py catches the import failure and prints its message; since 1 only fix.patch's pkg/reader.py (not on
    // the failing path) changed, and `let` set a shell variable. 7: fix2.patch changed pkg/units.py, on the path (a
    // fix attempt, whatever it printed). 9: the same message as 8, reproduced in a one-line script: 8 failed in the
    // project's own code, not in installed code, so nothing says 9 could not tell something new.
    expect(flags).toEqual({5: 'failed-repeat'})
  })

  it('not when an install in between may have provided the missing module (an attempt at a fix, whatever came of it)', async () => {
    const {flags} = await calls('caught-after-install.traj.json')
    expect(flags).toEqual({})
  })
})

describe('1d. programs run through wrappers: PowerShell, a bash.exe by path, node_modules programs, containers', () => {
  it('what each writes is what the program inside writes: a file the agent wrote stays in context through installs and test runs, not through a container that edits it', async () => {
    const {flags} = await calls('windows-wrappers-containers.jsonl')
    // 6: since the Write (1), `powershell -Command "Set-Location …; npm install"` wrote node_modules and the lock files,
    // `node node_modules/.bin/vitest run` is vitest, the container mounted the project and ran npm install and vitest
    // in it, and `"C:/Program Files/Git/bin/bash.exe" -c` ran vitest: none wrote src/config.ts. 8: the container ran
    // sed -i on /app/src/config.ts, the same file through the mount.
    expect(flags).toEqual({6: 'reread-unchanged'})
  })
})

describe('6f. the same failure inside another compound command, a sandbox that cannot start, and an exit code echoed', () => {
  it('a part two commands share failing the same way; any command after the sandbox failed to start; `; echo $?` is more than the command alone', async () => {
    const {flags} = await calls('compound-and-sandbox-failures.jsonl')
    // 2: `pnpm --version` fails as it did inside 1. 4: the run again, printing its exit code: new information; 5: the
    // run again with nothing changed since 3. 7 and 8 were issued together after 6 met the sandbox's start failure: each
    // fails the same way (judged against 6, not against each other).
    expect(flags).toEqual({2: 'failed-repeat', 5: 'duplicate-call', 7: 'failed-repeat', 8: 'failed-repeat'})
  })
})

describe('4e. a grep whose hits are known', () => {
  it('the same pattern searched in the same unchanged file before: a grep -n adding context lines already shown is a re-read; a new pattern is not', async () => {
    const {flags} = await calls('known-hits-context.traj.json')
    // 1 printed lines 1-80 of a longer file; 2 finds `def helper` at line 42, which 1 had just printed (the line-number
    // rule); 3 asks for it with 10 lines after it, 42-52, all shown, its hits known from 2. 4 is a new pattern: it
    // also tells where else it occurs (the conventions' partly-printed rule), so it is not one.
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'reread-unchanged'})
  })
})

describe('4b. lines placed by their text when no line number places them', () => {
  it('a range every line of which an earlier grep without -n printed is a re-read; not a range mostly new, one after a cut read, or one after the file changed', async () => {
    const {flags} = await calls('text-placed-rereads.traj.json')
    // 2: lines 22-33, all in 1's `grep -A 15` (20-35), which printed no numbers. 3: 34-45, two lines of twelve
    // shown. 5: three of four lines shown by 4's tail, but 4 was cut: the read is after what the cut hid.
    // 7: 6 edited the file (sed -i), so 2's lines no longer hold. 9: line 88 alone, `    return None`, which 8 printed
    // in another place: a line that short could stand anywhere.
    expect(flags).toEqual({2: 'reread-unchanged'})
  })
})

describe('1f. tools that only keep the books', () => {
  it("loading a skill, fetching deferred tools' schemas and the task list change no file; a tool aco does not know may", async () => {
    const {flags} = await calls('bookkeeping-tools.jsonl')
    // 6: only Skill, ToolSearch, TaskCreate and TaskUpdate since 1; 8: an MCP tool named for an action (deploy) may
    // write (the file reads as it did). 10: the same todo list sent again restates the plan, no repeated look.
    expect(flags).toEqual({6: 'reread-unchanged', 8: SAME})
  })
})

describe("6g. Codex's run header", () => {
  it('two runs that printed the same thing are the same result, whatever their chunk ids and wall times', async () => {
    const {flags} = await calls('codex-run-headers.jsonl')
    // 2: `npm run lint` failing with the very output of 1 (only "Chunk ID" and "Wall time" differ); 4 runs after the fix.
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe("6h. Codex's unified exec: a command that goes on in polls", () => {
  it('ends with the exit code of the poll that saw it end; the same failure printed again is a failed-repeat, not a duplicate of a success', async () => {
    const {flags} = await calls('codex-polled-runs.jsonl')
    // Calls 1 and 3 start `npm test`, which prints its failure in polls 2 and 4; 6 runs after the fix (5).
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe('6i. commands left running: a job polled while it runs, a job sent to the background', () => {
  it('go on writing what they write until a poll sees them end (a background job, to the end): no look at their work repeats', async () => {
    const {flags} = await calls('codex-running-jobs.jsonl')
    // 1 starts an evaluation that runs on (polled by 3 and 6, seen to end by 8). 4 lists its output folder again and 7
    // checks which tasks are done again while it runs: news, whatever they print. 10 repeats 9 after it ended. 11 sends
    // another run to the background with nohup: 13 reads its log's tail again while it runs. 15 reads README.md again:
    // that job is seen to write only its log and save/. 16 leaves a server listening, a program aco cannot see into:
    // with nothing to say how long it runs, it counts as a change when it starts only, so 17 is a re-read too, judged
    // by its lines. 18 leaves a dev server writing dev.log: its log changes (22 reads news), the tests do not (20
    // repeats 19).
    expect(flags).toEqual({
      10: 'duplicate-call',
      15: 'reread-unchanged',
      17: 'reread-unchanged (read the same)',
      20: 'duplicate-call',
    })
  })
})

describe('4m. a program its interpreter runs does not rewrite itself', () => {
  it('a read-back of a script after running it is judged by its lines; not of a file the command was given to change', async () => {
    const {flags} = await calls('script-run-by-name.jsonl')
    // 2 runs report.py (which writes where aco cannot tell) through conda; 3 reads it back, as written. 5 gives notes.py
    // to a script aco cannot see into: 6 checks what it did. 8 runs setup.ps1 with PowerShell's `&`; 9 reads it back.
    expect(flags).toEqual({3: 'reread-unchanged (read the same)', 9: 'reread-unchanged (read the same)'})
  })
})

describe('5c. a file tool told the file does not exist', () => {
  it('names no path: the one file it was given is the one missing, for any later look or edit of it', async () => {
    const {tools, flags} = await calls('file-tool-missing-file.jsonl')
    // 1: an Edit answered "File does not exist."; 2 reads that file: missing still. 5 edits it again after `ls` (3)
    // showed it absent. 6 writes it: 7 reads back what 6 wrote.
    expect(flags).toEqual({2: 'failed-repeat', 5: 'failed-repeat', 7: 'reread-unchanged'})
    expect(tools[4]!.flags![0]!.reason).toMatch(
      /^tries to edit update_registry\.py, which step \d+ had just found missing/,
    )
  })
})

describe('4o. a listing again after files it listed were deleted', () => {
  it('checks what is left: no duplicate; after an edit only, the same names are', async () => {
    const {flags} = await calls('listing-after-deletes.jsonl')
    // 3 lists frontend/ after 2 deleted two of the files 1 listed (and each listing is judged by its own output: calls
    // with the same arguments share one action). 5 lists it after 4 only edited app.py: the same names.
    expect(flags).toEqual({5: 'duplicate-call'})
  })
})

describe("4p. cmd's own commands run through `cmd /c`", () => {
  it('type, more, findstr and dir look as cat, grep and ls do; any other is a command aco cannot see into', async () => {
    const {flags} = await calls('codex-windows-cmd-builtins.jsonl')
    // 2 types the file patch 1 added whole; 3 finds a line of it with findstr /n. 4 lists the folder (the patch told
    // only of its own file). 6 looks again after 5's `del`, which aco cannot see into.
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'reread-unchanged'})
  })
})

describe('5d. a failing part of a compound command, met again', () => {
  it('is the same failure when the line changes nothing on its way to it; not when it writes or stages first', async () => {
    const {flags} = await calls('failing-part-after-other-writes.jsonl')
    // 2 runs the hook again after writing and staging another file: the hook meets something else. 4 runs pnpm, which 3
    // found missing, with nothing changed on its way.
    expect(flags).toEqual({4: 'failed-repeat'})
  })
})

describe('5e. calls that show no line, and moves tried another way', () => {
  it('a Read with a negative offset shows no line; a `git mv` of a path found missing is no look for it', async () => {
    const {flags} = await calls('read-negative-offset-and-moves.jsonl')
    // 2: Claude Code answers a negative offset with a warning alone. 4 moves the note again, written another way (its
    // `!` hex-escaped after history expansion mangled it): a fix tried, and a move, not a look.
    expect(flags).toEqual({})
  })
})

describe('5f. a write the program reported refused', () => {
  it('did not happen: a read failing the same way after a refused chmod is a repeat; after a chmod that went through, not', async () => {
    const {flags} = await calls('refused-chmod-then-read.jsonl')
    // 2's chmod answered "Operation not permitted": 3 fails as 1 did. 5's chmod went through: 6 may have seen the file.
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe("3b. test runs of one language's tests", () => {
  it("depend on that language's code, not on another's sources; end-to-end runs depend on anything", async () => {
    const {flags} = await calls('language-aware-test-runs.jsonl')
    // 3: pytest again after an edit of a .tsx file only. 5: after an edit of models.py. 8: playwright drives the running
    // app, which views.py (7) serves. 11: vitest again after an edit of a .py file only.
    expect(flags).toEqual({3: 'duplicate-call', 11: 'duplicate-call'})
  })
})

describe('unused output: what a reader uses without naming it', () => {
  it('a large listing nobody names is carried for nothing; a large file read is read for what it says', async () => {
    const {flags} = await calls('unused-large-outputs.jsonl')
    // 1: Read of a 700-line CSV whose values no later step names (the chart was made from it). 3: a `find` flooded with
    // node_modules paths, none of which any later step names.
    expect(flags).toEqual({3: 'unused-output'})
  })
})

describe('a session left idle', () => {
  it("a person's next prompt an hour or more after the last step: anything may have changed outside the session", async () => {
    const {flags} = await calls('idle-session-resumed.jsonl')
    // 3: limits.ts again ten minutes after 2, at the next prompt. 4: config.ts again the next day, after the person
    // said they changed things: the files are not known to hold what they held, and one line reads otherwise.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })

  it('a file read back after an absence, every line as shown or written before, is a re-read; not after a read there shows the person changed another', async () => {
    const {flags, tools} = await calls('away-own-writes.jsonl')
    expect(tools[3]!.flags![0]!.reason).toMatch(
      /every line reads as written: the session sat idle in between, and nothing changed it$/,
    )
    // 4: a.ts (written at 1) four hours later, as written; 5: c.ts, only read before, as read; 6: b.ts reads
    // otherwise than written (the person did change things that night), so 7, a.ts as written, is not called
    // unchanged either.
    expect(tools[4]!.flags![0]!.reason).toMatch(
      /reads as it did then: the session sat idle in between, and nothing changed it$/,
    )
    expect(flags).toEqual({4: 'reread-unchanged', 5: 'reread-unchanged'})
  })
})

describe('5b. narrower searches after a cut or a filtered one', () => {
  it('a search whose every hit a cut output showed still tells there are no others; a filtered output hid none of them', async () => {
    const {flags} = await calls('cut-and-filtered-searches.traj.json')
    // 2: both hits were among 1's five lines, but `| head -5` may have cut others. 4: 3 showed two lines of twenty
    // allowed (nothing cut), and `grep -v tests` cannot have hidden a hit of pkg/io.py that 4 then printed.
    expect(flags).toEqual({4: 'near-duplicate'})
  })

  it("Claude Code's Grep with head_limit is cut the same way", async () => {
    const {flags} = await calls('grep-tool-head-limit.jsonl')
    // 2: both hits were among 1's five lines, but head_limit 5 may have cut others.
    expect(flags).toEqual({})
  })
})

describe('1g. a session whose folder is unknown', () => {
  it('loading a skill changes no file; a relative mkdir creates folders, which changes no file', async () => {
    const {flags} = await calls('gemini-skill-unknown-folder.json')
    // Gemini CLI records no folder. 3: src/stats.ts again after only activate_skill since the Write (1). 5: after
    // `mkdir -p src/components src/pages`, wherever that ran: no file's content changed.
    expect(flags).toEqual({3: 'reread-unchanged', 5: 'reread-unchanged'})
  })

  it("Gemini CLI's help agent (cli_help) answers from its docs and changes no file", async () => {
    const {flags} = await calls('gemini-cli-help-between-reads.json')
    // 3: `cat ~/.gemini/settings.json` again after only a question to cli_help (fresh278 #25).
    expect(flags).toEqual({3: 'reread-unchanged'})
  })

  it('a shell write by a relative path reaches every file whose path ends with it, whatever its folder', async () => {
    const {flags} = await calls('gemini-relative-shell-writes.json')
    // The file tools name /work/app/src/stats.ts, the shell `src/stats.ts` from a folder no record names.
    // 3: after a relative mkdir. 5: after `sed -i … src/stats.ts`, which may be the same file (it is). 7: after
    // `rm -rf src/pages`, which holds no …/src/stats.ts. 9: after `cp ../shared/stats.ts src/`, which may land on it
    // and names it (whatever its lines read).
    expect(flags).toEqual({3: 'reread-unchanged', 7: 'reread-unchanged'})
  })
})

describe('4c. what an edit tool printed of the file it changed', () => {
  it('its numbered snippet is in context as the file is after the edit; a read after an edit whose text was not found is the fix', async () => {
    const {flags} = await calls('edit-snippets.jsonl')
    // 2: lines 28-39, all in the snippet Edit 1 printed (25-41, after its change). 4: lines 33-37, after Edit 3
    // failed to find its text: the plain read 2 (the latest look at them) had shown them as they are, `scale=70`
    // already, so the slip was the edit's; Edit 1's snippet alone would not say so (see 4i).
    expect(flags).toEqual({2: 'reread-unchanged', 4: 'reread-unchanged'})
  })
})

describe('6b. prose put into the command, and fixes a failing command tries itself', () => {
  it('a line whose quote never closes never ran; a run of the interpreter itself is that program; a call that writes the missing module before its run is a fix tried', async () => {
    const {flags} = await calls('prose-in-command.traj.json')
    // 2 and 3 start with the agent's prose ("I'll"): the shell stops at the unclosed quote and runs nothing, so 3
    // is 2's failure again (the shell's line numbers aside) and neither may have written anything. 4 runs
    // `[sys.executable, '-m', 'pytest']`: pytest. 5: pkg/mod.py again, nothing having changed it. 7 makes the
    // quickapp package before its run: not 6's failure again, whatever it printed.
    expect(flags).toEqual({3: 'failed-repeat', 5: 'reread-unchanged'})
  })
})

describe('4d. outputs a harness wrapped as JSON', () => {
  it('Codex 0.5x\'s {"output": …} is read by its inner text, a cut in it included', async () => {
    const {flags} = await calls('codex-json-outputs.jsonl')
    // 1 printed src/app.ts with 180 of its 300 lines omitted ("Total output lines: 300" opens it): 2's hit on
    // line 150 lies in the omitted part. 4 searches a narrower literal pattern over the tree 3 searched.
    expect(flags).toEqual({4: 'near-duplicate'})
  })
})

describe('review: inputs written to break this session’s rules (each flagged wrongly before its fix)', () => {
  it('writes hidden in a commit heredoc, PowerShell, Python strings, fileinput, sort -o, an unplaced find or workdir, and a Codex exec header are not missed', async () => {
    for (const name of [
      'review-commit-heredoc-black.jsonl',
      'review-ps-backtick.jsonl',
      'review-pycmd-escaped-quote.jsonl',
      'review-fileinput-inplace.jsonl',
      'review-sort-o.jsonl',
      'review-gem-find.json',
      'review-gem-dirpath.json',
      'review-codexnew-cut-62.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })

  it("a file of the project's own folder's name is no module of it: the same failure again is still a repeat", async () => {
    const {flags} = await calls('review-module-named-as-root.jsonl')
    // 2 writes notes/todo.md under /home/dev/app: it provides no module `app`.
    expect(flags[3]).toBe('failed-repeat')
  })
})

describe('4e. the last word on a re-read: its numbered lines', () => {
  it('a re-read whose numbered lines read otherwise than the earlier ones is no re-read, whatever aco saw of the writes', async () => {
    const {flags} = await calls('numbered-lines-disagree.jsonl')
    // 2 runs a project module's fixer that aco cannot read (`import fixers; fixers.guard_empty(…)`: no write seen); 3's
    // line 5 differs from 1's.
    expect(flags).toEqual({})
  })
})

describe('review: a second pass over the fixes (each wrong or missed before its fix)', () => {
  it("a syntax error another shell printed (an npm script's `sh`) does not cut the agent's command", async () => {
    for (const name of ['review2-nested-sh.jsonl', 'review2-npm-fix.jsonl']) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })

  it("a slice piped through `cat -n` is numbered from 1, not by the file's lines; pandas' inplace=True writes no file", async () => {
    expect((await calls('review2-sed-catn.jsonl')).flags).toEqual({2: 'reread-unchanged'})
    expect((await calls('review2-pandas-inplace.jsonl')).flags).toEqual({3: 'reread-unchanged', 4: 'duplicate-call'})
  })
})

describe('fresh8: outputs that say what the writes aco saw do not', () => {
  it('a command whose whole earlier run got another output is no duplicate through its parts; a clock or the order of lines is no other output', async () => {
    const {flags} = await calls('repeats-other-output.traj.json')
    // 4: the same grep as 1 printed a new .pyc match (its parts had matched 1's grep and 2's `|| true`). 5: the same
    // test run as 3, its output other only in its duration and in the order of two lines.
    expect(flags).toEqual({5: 'duplicate-call'})
  })

  it("an unnumbered range read's lines are the file's from its start: another text there is a change aco did not see", async () => {
    const {flags} = await calls('range-lines-disagree.traj.json')
    // 2 runs a project module's fixer aco cannot read; 3's line 5 reads otherwise than 1's.
    expect(flags).toEqual({})
  })
})

describe('4f. looks joined with builtins that print nothing, and a folder read as a file', () => {
  it('`grep … || true`, `set -e; nl …` and `export A=1; …` are looks like the same command alone; not after `set -x`, not a search over a folder `nl` refused', async () => {
    const {flags} = await calls('silent-builtins.traj.json')
    // 2: `nl -ba pkg` says "Is a directory": it failed and showed nothing of a file pkg, so 3 (grep -R over the
    // folder) reads nothing again; 5, 7, 9: lines 4 printed; 6: a narrower pattern over 3's folder;
    // 8: `set -x` traces the commands into the output.
    expect(flags).toEqual({5: 'reread-unchanged', 6: 'near-duplicate', 7: 'reread-unchanged', 9: 'reread-unchanged'})
  })
})

describe('1b. scripts run from a folder aco cannot name (Gemini CLI records none)', () => {
  it("a script the session wrote is read by its name from the file tools' root: what it writes counts, and nothing else", async () => {
    const {flags} = await calls('gemini-scripts-unknown-folder.json')
    // 4 runs pack.py (reads files, prints) into packed.json: 5 re-reads tsconfig.json, written whole at 1; 7 runs
    // fix.py, which rewrites notes.md (through a variable: may write anything): 8 and 11 are no re-reads. A script of
    // that name elsewhere (tools/fix.py, 9) is not the one `python fix.py` runs (review3-g1 below); 11's lines of
    // tsconfig.json read as written.
    expect(flags).toEqual({5: 'reread-unchanged', 11: SAME})
  })
})

describe('3b. docker compose config looks at its files', () => {
  it('writes nothing and depends on the compose and env files alone: a re-read after it and the same config again are waste; not after `up`', async () => {
    const {flags} = await calls('compose-config-looks.traj.json')
    // 6: app.py after `up` (a container may write its mounts) reads as written.
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'duplicate-call', 6: SAME})
  })
})

describe('4g. Codex on Windows: PowerShell reads', () => {
  it('a here-string piped into powershell, a counter numbering Get-Content, a numbered range, backslash paths; npm.cmd test and Test-Path write no source', async () => {
    const {flags} = await calls('codex-windows-powershell.jsonl')
    // 5: the compose file again (1); 6: lines 4–8 of stats.py, all shown by 2; 7: `Get-Content backend\app\stats.py`
    // is that file (its backslashes are PowerShell's separators); 9 reads it after the patch 8.
    expect(flags).toEqual({5: 'reread-unchanged', 6: 'reread-unchanged', 7: 'reread-unchanged'})
  })
})

describe('4g2. Codex on Windows: PowerShell writes', () => {
  it('a here-string piped into Set-Content writes that text, into apply_patch is the patch; New-Item -ItemType Directory a,b | Out-Null makes folders only', async () => {
    const {flags} = await calls('codex-windows-here-string-writes.jsonl')
    // 2: config.py as 1 wrote it; 4: again, after only folders were made; 6: after the piped patch changed it;
    // 8: main.py written again with the text 7 wrote.
    expect(flags).toEqual({2: 'reread-unchanged', 4: 'reread-unchanged', 8: 'duplicate-call'})
  })
})

describe('4h. several files in one read', () => {
  it('`cat a b` and `head -2 a b` read each file as alone; not through a pipe that consumes them, not after a write to one', async () => {
    const {flags, tools} = await calls('many-files-one-read.traj.json')
    // 1, 2 write a.py and b.py whole; 3, 4 show nothing else; 5 greps the joined text; 6 changes b.py, so 7 is new.
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/^reads a\.py and b\.py again/)
  })
})

describe('4k. reads the tool asks for, and fixes sent with the retry', () => {
  it('after "File has not been read yet", a first read of a file the agent wrote, then edited, is demanded; a build sent right after an edit that failed is a fix tried', async () => {
    const {flags} = await calls('read-first-and-fixes-sent-together.jsonl')
    // 3: the read the failed edit 2 asked for. 6: b.ts, written (5) and then edited (7): the session showed the tool
    // asks for that read. 9: c.ts read back with no edit after it. 12: the build sent with the edit 11, which failed;
    // 13: the same build again, alone.
    expect(flags).toEqual({9: 'reread-unchanged', 13: 'failed-repeat'})
  })
})

describe('3m. tests their runner answered from its cache', () => {
  it("Go's `(cached)` for every package says nothing the tests read changed, at a person's next turn that asked for other work; not after a database migration, nor after a failing run of them", async () => {
    const {flags, tools} = await calls('go-tests-from-cache.jsonl')
    // 3: at the next turn, which asked for a README FAQ, a check of its wording and a PR, after the agent's README edit:
    // every package (cached) (fresh221 #51: "Go's test cache confirms it"; a turn that speaks of checking leaves the
    // tests' own reruns unjudged). 5: cached again, but after a migration of the database the tests may read, which
    // Go's cache knows nothing of (review 60). 9: cached again after 8 took back the edit 6 that made 7 fail: a check
    // that the revert holds (review of 2026-12-06).
    expect(flags).toEqual({3: 'duplicate-call'})
    expect(tools[2]!.flags![0]!.reason).toMatch(
      /; Go answered every package from its test cache: nothing its tests read/,
    )
  })
})

describe('3n. the tests alone, after a line that formatted a file and ran them, polled to its end', () => {
  it('repeat its last part: Go answers them from its cache after a note was written; not after an edit of its code', async () => {
    const {flags, tools} = await calls('codex-go-tests-after-a-polled-format.jsonl')
    // 4: `go test ./...` after 1's `gofmt -w … && go test ./...`, which Codex's poll 2 saw end (gofmt's write is 1's
    // own, made before its tests ran), and a note for people (3): fresh223 #150. 6: after the edit 5 of Go code, run anew.
    expect(flags).toEqual({4: 'duplicate-call'})
    expect(tools[3]!.flags![0]!.reason).toMatch(
      /^repeats exec_command go test \.\/\.\.\. from step \d+; Go answered every package that has tests from its test cache, and only prose changed in the module since$/,
    )
  })

  it('not when another command, polled to its end after the tests ran, rewrote the file (review 122)', async () => {
    // 1: a `sleep 20 && sed -i … cmd/sem/main.go` left running; 2: `gofmt -w cmd/sem/main.go && go test ./...`; 3, 4:
    // the polls that see each end, the sed after the tests; 6: `go test ./...` again, cmd/sem a package of no tests,
    // which Go's cache says nothing of: a check of the sed's change, justified.
    const {flags} = await calls('codex-go-tests-after-another-polled-write.jsonl')
    expect(flags).toEqual({})
  })
})

describe('2d. a JavaScript error ending the output of a program that ran, not of a log shown', () => {
  it("the same vite build failing on its missing package again is a failed-repeat (its temporary config's name aside); a container's log or a file that ends in a logged stack is no failure", async () => {
    const {flags, tools} = await calls('js-stack-build-and-logs.jsonl')
    // 3: vite's `error during build:` and the stack, its exit code hidden by `| tail`, as 1 (fresh332 #88). Not 5:
    // `docker logs api | tail -5` ending in a stack the server logged (review of 2026-12-06). 7: the same note read
    // again (`cat f | tail -N` reads f's last lines, as `tail -N f` does), a re-read, not a failure.
    expect(flags).toEqual({3: 'failed-repeat', 7: 'reread-unchanged'})
    expect(tools[6]!.flags![0]!.reason).toMatch(/^reads docs\/incident\.txt again/)
  })
})

describe('4o. a file someone changes behind the agent', () => {
  it('"File has been unexpectedly modified. Read it again": the same edit after the read it asked for is a fix tried; a later read of that file looks for what they did', async () => {
    const {flags} = await calls('edits-refused-changed-behind.jsonl')
    // 4: the edit 2 sent, after the read 3 the refusal asked for (fresh333 #9: the person changed the file again). 7:
    // the file, read again after the git status 6: someone changes it behind the agent (fresh288 #27: "it could not know
    // the file was unchanged"; fresh333 #36, #43, #63). 8: lines 7 had just shown, right after it. 11: another file.
    expect(flags).toEqual({8: 'reread-unchanged', 11: 'reread-unchanged'})
  })
})

describe('4i. a read after an edit that did not find its text', () => {
  it("re-reads what a plain read, the agent's whole write or an edit's snippet had shown; a read showing more than snippets had is the fix", async () => {
    const {flags} = await calls('reads-after-edit-not-found.jsonl')
    // 3: a.py as 1 showed it, after 2's "String to replace not found"; 6: b.py after 5 failed the same way, as the
    // agent's own Write 4 had it whole (the blind labels of fresh17 and fresh20 call such reads waste, five of five).
    // 9: c.py, known only from 7's snippet of an edit (what it held is not the whole file). 12: lines 5-7 of d.py, every
    // one of them in 10's snippet, after 11 did not find its text: the tool prints a snippet as it prints a read (the
    // blind labels of fresh322 call such reads waste, two of two).
    expect(flags).toEqual({3: 'reread-unchanged', 6: 'reread-unchanged', 12: 'reread-unchanged'})
  })
})

describe('4j. reads after a build wrote its outputs in the project', () => {
  it('a re-read whose lines read as shown before is one; a file the build regenerated is not', async () => {
    const {flags, tools} = await calls('reads-after-builds.traj.json')
    expect(tools[3]!.flags![0]!.reason).toMatch(
      /reads as it did then: a build wrote in the project in between, not to it$/,
    )
    // 4, 7: stats.js as 1 printed it; 5: mode.js reads otherwise than 2 printed it (the build wrote it).
    expect(flags[4]).toBe('reread-unchanged')
    expect(flags[5]).toBeUndefined()
    expect(flags[7]).toBe('reread-unchanged')
  })

  it("compares a markup file by its lines too (its first line a tag, `<template>`, not a harness's)", async () => {
    const {flags, tools} = await calls('markup-file-read-after-a-build.jsonl')
    expect(flags).toEqual({3: 'reread-unchanged'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/every line reads as written: a build wrote in the project/)
  })
})

describe('5c. long listings compared by their names', () => {
  it('`ls -la` again, through a line filter, shows the names an earlier `ls -la` did: the same search', async () => {
    const {flags} = await calls('long-listings.traj.json')
    // 2: each `ls -la` line is compared by its name (not its mode, size and date), `total N` left out.
    expect(flags).toEqual({2: 'duplicate-call', 3: 'duplicate-call'})
  })
})

describe('5e. a listing of a folder after writes below its entries', () => {
  it('shows the same entries: a write below a listed folder adds none; a file or a folder made at the top does', async () => {
    const {flags} = await calls('listing-after-writes-below.jsonl')
    // 3: `ls -la` after a patch in src/app (src/'s own line shows another date and link count: what changed inside
    // it). 5: after setup.cfg was added at the top; 7: after docs/ was made.
    expect(flags).toEqual({3: 'duplicate-call'})
  })
})

describe('4k. Codex on Windows: counters of any form, CR LF lines', () => {
  it('a counter from 0 incremented first, a Select-Object -First before it; numbered CR LF lines compared with a plain read', async () => {
    const {flags} = await calls('codex-windows-counted-reads.jsonl')
    // 3: README.md numbered as 1 printed it plain, after a build (its lines read the same); 5: a.ts whole after its
    // first two lines (4); 6: those two lines again.
    expect(flags).toEqual({3: 'reread-unchanged', 5: 'near-duplicate', 6: 'reread-unchanged'})
  })
})

describe('7b. output printed with a change the agent made', () => {
  it("a fix script that also prints the file it patched is no unused output; a search's flood of paths set aside still is", async () => {
    const {flags} = await calls('printed-with-a-patch.traj.json')
    // 7: `find / -name '*.pyc'`, then `ls app` (8): the agent looked again at a place within it.
    expect(flags).toEqual({7: 'unused-output'})
  })
})

describe('a third review: inputs written to break this round of changes', () => {
  it.each([
    // a file that got shorter, or a line re-indented, across an absence or a build: not "as written"
    'review3-away-trunc.jsonl',
    'review3-away-indent.jsonl',
    'review3-build-yaml.jsonl',
    'review3-b1.traj.json',
    'review3-build-trunc-cc.jsonl',
    // `ls -l` tells modes, sizes and link targets a plain `ls` does not; a log that grew is no repeat
    'review3-l7.traj.json',
    'review3-l4.traj.json',
    'review3-l8.traj.json',
    // a trap's handler prints at exit
    'review3-t3.traj.json',
    // `python check.py` from the root is not the agent's tools/check.py
    'review3-g1.json',
    // nothing after `exit 0` ran: a later `cat b.txt` shows it for the first time
    'review3-e1.traj.json',
  ])('%s: no flag', async name => {
    const {flags} = await calls(name)
    expect(flags).toEqual({})
  })
})

describe('1c. chmod changes a mode, not a content', () => {
  it('a script read back after `chmod +x` shows what the agent wrote; `ls -l` after it shows the new mode', async () => {
    const {flags} = await calls('chmod-keeps-content.traj.json')
    expect(flags).toEqual({4: 'reread-unchanged'})
  })
  it('a file a patch rewrote whole, read back after `chmod +x`, shows the lines the patch wrote', async () => {
    const {flags} = await calls('patch-then-chmod.jsonl')
    // 3: the five lines patch 1 wrote (no context: the whole file), across chmod (2). 6: after patch 4, which wrote one
    // line among others it left as they were (its run is not the file).
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('4h. a re-read is judged by its own lines across what aco cannot see into', () => {
  it('a command aco cannot read leaves a file as its next read shows it; not when a read across it shows a change', async () => {
    const {flags} = await calls('reads-the-same-after-unknown-commands.jsonl')
    // 4: a.ts after tools/migrate.py (never seen), every line as 1 showed it. 6: b.ts reads otherwise after
    // codemod.sh, so 7, a.ts across the same script, is not called unchanged. 8 applies /tmp/fix.patch, written in
    // the same command: it changes a.ts (9) and nothing else, so 10, b.ts as 6 showed it, is a plain re-read. 12:
    // b.ts as it was after `./scripts/fix.sh src/b.ts`, which names it: the read checks whether the script changed it.
    expect(flags).toEqual({4: SAME, 10: 'reread-unchanged'})
  })
})

describe('3d. a check run in a sub-folder of the project', () => {
  it('reads code anywhere in the project (a sibling folder may be imported)', async () => {
    const {tools, flags} = await calls('build-in-a-subfolder.jsonl')
    // 3: `cd frontend && npm run build` again after an edit of backend/src/server.js only: the frontend may import it
    // (a workspace package, a shared folder; review4-workspace-package-build), so the build's code changed. 5: after an
    // edit of frontend/src/App.tsx. 7: after an edit of the root's tsconfig.base.json.
    expect(flags).toEqual({})
    expect(tools).toHaveLength(7)
  })
  it('reads its own project and the folders above it only, when that folder is a project of its own and none is a workspace', async () => {
    const {tools, flags} = await calls('build-in-its-own-project.jsonl')
    // 1 shows frontend/ and backend/ are projects of their own (a package.json each, no workspace). 4: after an edit
    // of backend/src/server.js. 6: after packages installed into backend/node_modules. Not 8: after an edit of
    // scripts/smoke.sh, a file outside every project (a test may load it); 10: shared/types.ts (imported by a relative
    // path, maybe); 12: the root's .env, a file in a folder above it.
    expect(flags).toEqual({4: 'duplicate-call', 6: 'duplicate-call'})
    expect(tools[3]!.flags![0]!.reason).toMatch(/only files outside frontend\/ changed in between$/)
    // The same session whose frontend depends on the backend as a workspace package (`"api": "workspace:*"`).
    expect((await calls('build-in-a-workspace-package.jsonl')).flags).toEqual({})
  })
})

describe("3h. Go's module commands and formatter", () => {
  it("`go mod tidy` writes the module's go.mod and go.sum, `gofmt -w` the files named: nothing else", async () => {
    const {flags} = await calls('go-module-commands.jsonl')
    // 5: no .dockerignore at the top, as 1 listed it, across tidy (3) and gofmt (4); 6: go.mod after tidy wrote it;
    // 9: README.md across another tidy.
    expect(flags).toEqual({5: 'near-duplicate', 9: 'reread-unchanged'})
  })
})

describe('1e. PowerShell here-strings written to files', () => {
  it('a literal here-string held in a variable or piped, written with Set-Content (options anywhere), is the file whole', async () => {
    const {flags} = await calls('powershell-here-string-writes.jsonl')
    // 2: spec.md as 1 wrote it ($content = @'…'@; Set-Content -Path $file -Value $content); 4: constitution.md as 3
    // wrote it (@'…'@ | Set-Content -Encoding ascii path). 6: notes.md was written from a here-string in double
    // quotes that expands $total: its text is not known.
    expect(flags).toEqual({2: 'reread-unchanged', 4: 'reread-unchanged'})
  })
})

describe("3g. Spec Kit's scripts", () => {
  it("are read for what each does: prerequisites read specs/ and the branch, a plan writes under specs/, the agent context rewrites the agents' files", async () => {
    const {flags} = await calls('spec-kit-scripts.jsonl')
    // 5: src/config.ts written again as 2 wrote it, across check-prerequisites (3) and update-agent-context (4), which
    // write no such file; 6: the prerequisites again, nothing under specs/ or git changed. 7: AGENTS.md, which 4
    // rewrote; 9: after setup-plan wrote plan.md under specs/.
    expect(flags).toEqual({5: 'duplicate-call', 6: 'duplicate-call'})
  })
  it('setting up a plan or a feature writes the file its output names (as JSON or on a line), not anything under specs/', async () => {
    const {flags} = await calls('spec-kit-reported-writes.jsonl')
    // 3, 6: spec.md as 1 showed it, after setup-plan named plan.md (JSON; `IMPL_PLAN: …` lines) as what it wrote.
    // 4, 7: plan.md, which each setup-plan copied anew. 9: after a setup-plan whose output named nothing, anything under
    // specs/ may have changed. 11: create-new-feature named another feature's spec.md.
    expect(flags).toEqual({3: 'reread-unchanged', 6: 'reread-unchanged', 11: 'reread-unchanged'})
  })
})

describe('3e. a script fed to its interpreter, again', () => {
  it('is the same call when only its comments, blank lines or trailing spaces differ; not when its code does', async () => {
    const {flags} = await calls('scripts-differing-in-comments.jsonl')
    // 2: 1's script with another comment and a blank line, the same output; 3: prints another value.
    expect(flags).toEqual({2: 'duplicate-call'})
  })
  it('is the same check when it does nothing the earlier did not and prints only values it printed, in other words', async () => {
    const {tools, flags} = await calls('check-script-reworded.jsonl')
    // 2: 1's statements (other quotes, comments, f-strings instead of print's arguments), the same two values under
    // other labels. 3: parses another string ('-1'), 4: prints the time besides, a value 1 never printed.
    expect(flags).toEqual({2: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^runs the script of step \d+ again in other words/)
  })
})

describe('5c. whether a file exists, after a listing of its folder', () => {
  it('`[ -f P ]`, `test -f P` and `find -maxdepth 1 -name P` are told by a plain listing of the folder; not a dotfile by `ls` without -a, not after a write there, not by `rg --files` (it leaves ignored files out)', async () => {
    const {flags, tools} = await calls('existence-after-listing.jsonl')
    // 2: VERSION, absent from 1's `ls`. 3: .env is a dotfile, which `ls` does not show. 5, 6: .eslintignore (absent)
    // and package.json (there) in 4's `ls -a`: that it is a file (`-f`) a plain listing does not tell (6). 8: after
    // `touch VERSION`. 10: `rg --files` leaves ignored folders out.
    expect(flags).toEqual({2: 'near-duplicate', 5: 'near-duplicate'})
    expect(tools[4]!.flags![0]!.reason).toMatch(/^asks whether \.eslintignore exists, which the listing at step \d+/)
  })

  it('is told by the listing across writes below the folder, which create no name in it; not after one that does', async () => {
    const {flags, tools} = await calls('existence-after-writes-below.jsonl')
    // 3: .dockerignore at the top, after a patch in backend/src only; 5: after 4 added it.
    expect(flags).toEqual({3: 'near-duplicate'})
    expect(tools[2]!.flags![0]!.reason).toMatch(
      /^looks for \.dockerignore, which the listing at step \d+ \(exec_command ls -a\) showed not there/,
    )
  })
})

describe('3f. the same command with its output filtered', () => {
  it('`… | wc -l` after the same command printed whole repeats it; the whole command after a cut one does not', async () => {
    const {flags} = await calls('filtered-repeat.jsonl')
    // 2 counts the lines 1 printed; 4 prints what 3's `| head -2` cut.
    expect(flags).toEqual({2: 'duplicate-call'})
  })
})

describe('2b. a failure of the patch tool itself', () => {
  it("Codex's apply_patch `execution error` is a failure; the same patch again fails the same way, the patch by another path is a test of the tool", async () => {
    const {tools, flags} = await calls('codex-patch-tool-error.jsonl')
    expect(tools[0]!.tool!.status).toBe('error')
    // 2: the same patch; 3: the same change by its absolute path (the agent testing the path), not an edit retried blind.
    expect(flags).toEqual({2: 'failed-repeat'})
  })

  it('not after a call of the tool ran, failing on what it was given (trial 76: a patch whose lines it did not find)', async () => {
    // 1-4 as below; 5's patch fails verification (the tool ran); 6 fails as a tool again, no longer a known state.
    expect((await calls('codex-patch-tool-ran-between.jsonl')).flags).toEqual({2: 'failed-repeat'})
  })

  it('the broken tool tried again after the agent worked around it (a file written by a script): the same failure', async () => {
    const {tools, flags} = await calls('codex-patch-tool-broken.jsonl')
    // 1-3 as above; 4 writes the file with Python (it works); 5 patches another file with the tool that failed as a
    // tool three times, nothing done about it: it fails the same way.
    expect(tools).toHaveLength(5)
    expect(flags).toEqual({2: 'failed-repeat', 5: 'failed-repeat'})
    const reason = tools[4]!.flags![0]!.reason
    expect(reason).toMatch(
      /uses apply_patch again after it failed as a tool at step \d+ .*changed by other means since/,
    )
  })
})

describe('review 4: inputs written to break the rules of re-reads judged by their lines, filters and existence tests', () => {
  it('none of these is flagged', async () => {
    // A workspace package, a Go module and a Python package imported from a sibling folder; a formatter run on the
    // file's folder and a branch switched (known commands, run to change files: the read checks what they did); a log
    // that grew between `tail` and `tail | grep`; `test -f` of a name a plain `ls` showed (a file or a folder?); a
    // lock file `uv add` wrote; a heredoc that expands `$(git rev-parse …)` written again after a commit.
    for (const name of [
      'review4-workspace-package-build.jsonl',
      'review4-go-cmd-build-after-internal-edit.jsonl',
      'review4-pytest-in-tests-after-src-edit.jsonl',
      'review4-reread-after-formatter-on-folder.jsonl',
      'review4-reread-after-branch-checkout.jsonl',
      'review4-filtered-repeat-of-growing-log.jsonl',
      'review4-file-test-on-listed-directory.jsonl',
      'review4-lockfile-exists-after-uv-add.jsonl',
      'review4-heredoc-with-command-substitution.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })
})

describe("review 5: inputs written to break this session's rules (test/corpus/waste-labels/REVIEW5.md)", () => {
  it('none of these is flagged', async () => {
    // The tail of a log a server appends to; a script asking a new question that prints a value seen before, and one
    // polling a job; a check beside a sibling it depends on by `file:../shared`, and one whose tests load a data file
    // outside every project; a file the agent wrote whole that a person or a commit hook changed (the failed edit
    // says so, the read shows it); re-reads after a real compaction whose context then regrew.
    for (const name of [
      'review5-tail-of-a-growing-log.jsonl',
      'review5-script-other-question.jsonl',
      'review5-file-dependency-sibling.jsonl',
      'review5-data-file-beside-project.jsonl',
      'review5-user-edited-written-file.jsonl',
      'review5-script-polls-a-job.jsonl',
      'review5-hook-reformats-written-file.jsonl',
      'review5-reread-after-compact.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })
})

describe('3g. a look for names a listing showed missing', () => {
  it('`ls Dockerfile*` failing after `ls -a` showed none is told by the listing; not after a write there', async () => {
    const {flags, tools} = await calls('missing-after-listing.jsonl')
    // 2, 3: absent from 1's `ls -a` (3 prints ls's own "cannot access"); 4: Cargo.toml, shown by 1. 6: after
    // `touch Dockerfile`; 7: Makefile, absent, after the same write in the folder.
    expect(flags).toEqual({2: 'near-duplicate', 3: 'near-duplicate', 4: 'near-duplicate'})
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^looks for Dockerfile\*, which the listing at step \d+ .* showed not there/,
    )
  })
})

describe("4g3. Codex's shell tool running pwsh", () => {
  it('["pwsh", "-NoProfile", "-Command", cmd] runs cmd; Get-Content -TotalCount N | Out-String reads the first N lines', async () => {
    const {flags} = await calls('codex-pwsh-command-array.jsonl')
    // 2: the first 4 lines of plan.md, which 1 printed whole.
    expect(flags).toEqual({2: 'reread-unchanged'})
  })
})

describe("2b'. OpenCode's apply_patch, whose patch comes as `patchText`", () => {
  it('writes the files its patch names, no others: a read of another file after it is a re-read, of its file new', async () => {
    const {tools, flags} = await calls('opencode-apply-patch-text.json')
    expect(tools.map(t => t.tool!.name)).toEqual(['read', 'read', 'apply_patch', 'read', 'read'])
    // 4: server.ts as 2 showed it, the patch 3 having changed config.ts alone (fresh202 #38). Not 5: config.ts changed.
    expect(flags).toEqual({4: 'reread-unchanged'})
  })

  it("1.2 numbers its read's lines from `<content>1: …` and the empty line after a last newline: a file it added, read back, is a re-read", async () => {
    const {flags} = await calls('opencode-1.2-read-after-add-file.json')
    // 1 adds port.ts whole (three lines and a newline); 2 reads it back: four numbered lines, the last empty, "total 4
    // lines". Not 4: 3 appended a line. Not 6: host.ts shows a third line 5 never wrote (changed outside the session).
    expect(flags).toEqual({2: 'reread-unchanged'})
  })

  it("its grep prints hits as `Line N: text` under `Found N matches`: a narrower pattern's hits are the earlier's", async () => {
    const {flags} = await calls('opencode-grep-narrower.json')
    // 2: each alternative of its pattern holds one of 1's, and 1 printed every hit (fresh204 #72). Not 3: another word.
    expect(flags).toEqual({2: 'near-duplicate'})
    // Its hits read as the same hits another grep prints (`path:N:text`); its count of them is no hit.
    expect(hitLines('Found 2 matches\n/home/dev/shop/src/a.ts:\n  Line 3: x = 1\n\n  Line 9: y()')).toEqual([
      'x = 1',
      'y()',
    ])
    expect(hitLines('src/a.ts:3:x = 1\nsrc/a.ts:9:y()')).toEqual(['x = 1', 'y()'])
    expect(hitLines('Found 3 files\nsrc/a.ts')).toEqual(['src/a.ts'])
  })
})

describe('2c. apply_patch run as a shell command', () => {
  it('changes nothing when it fails, as the tool does: a plain read after it is judged on the lines read before', async () => {
    const {tools, flags} = await calls('shell-apply-patch-failed.jsonl')
    expect(tools[1]!.tool!.status).toBe('error')
    // 3: notes.md as 1 showed it; the patch 2 found no text to change.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })

  it('an older Codex, which records no exit code for it, fails it when the output says so', async () => {
    const {tools, flags} = await calls('shell-apply-patch-failed-old-codex.jsonl')
    expect(tools[1]!.tool!.status).toBe('error')
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('2d. a patch that expects lines an earlier patch found missing, run as a shell command', () => {
  it('the same missing lines, or more around them when nothing looked at the file since, are missing still', async () => {
    const {flags} = await calls('patch-retried-not-found.jsonl')
    // 3: 2's missing line with a line of context more, nothing read since. 5: grown again after 4 read the file, but
    // 3's lines were its file's only hunk, looked for in the whole file: they are nowhere in it. 7: exactly 5's missing
    // lines. 9: the lines 8, a patch of two files, found missing in the one its message names.
    expect(flags).toEqual({
      3: 'failed-repeat',
      4: 'reread-unchanged',
      5: 'failed-repeat',
      6: 'reread-unchanged',
      7: 'failed-repeat',
      9: 'failed-repeat',
    })
  })

  it('more around them after a look, only when they were looked for in the whole file (a first hunk, under a bare @@)', async () => {
    const {flags} = await calls('patch-grown-after-a-look.jsonl')
    // 4: 2's missing line with a line of context more, after 3 looked at the file: 2's only hunk was looked for from the
    // top, so the line is nowhere in the file. Not 7: 5's missing line was its second hunk's, looked for below the first
    // (hunks out of order), and 6 looked at the file. 10 (succeeds) after 8, whose hunk was looked for below its `@@`
    // line only. 3, 6 and 9 read the file as 1 showed it.
    expect(flags).toEqual({
      3: 'reread-unchanged',
      4: 'failed-repeat',
      6: 'reread-unchanged',
      9: 'reread-unchanged',
    })
  })
  it("Claude Code's Edit looks for its old string in the whole file: more around it, after a Read, is missing still", async () => {
    const {flags} = await calls('edit-grown-after-a-read.jsonl')
    // 4: 2's old string with the next line, after 3 read the file unchanged. Not 5: another string, which applies.
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'failed-repeat'})
  })
})

describe('4f. a head that printed fewer lines than asked, where the harness trims what an output ends with', () => {
  it('is no end of the file when another look numbered a line past it: a search of the file is no re-read', async () => {
    const {flags} = await calls('trimmed-head-is-no-end.jsonl')
    // 2: `sed -n 1,59p server/routes.ts` printed 58 lines (Claude Code trims the blank line 59), while 1's `grep -n`
    // showed lines 10698 and 10960: the file goes on. 3 and 4 search it: not in context (4 found nothing, which no
    // look had told). 6: `grep -n` of src/small.py, whose 13 lines 5 printed to its end (no look numbered more).
    expect(flags).toEqual({6: 'reread-unchanged'})
  })

  it('is no end of the file when it is short by a line or two, which may be blank lines the harness trimmed', async () => {
    const {flags} = await calls('trimmed-head-short-by-one.jsonl')
    // 1: `sed -n 1,43p src/big.py` printed 42 lines: its line 43 may be blank, and the file go on; 2 searches it. 4:
    // small.py printed 13 lines of the 60 asked: its end.
    expect(flags).toEqual({4: 'reread-unchanged'})
  })
})

describe('4g. a context an OpenHands condenser cut', () => {
  it('holds no file its forgotten events viewed: viewing it again is no re-read; without the condensation, it is', async () => {
    // 1 views queue.py; a condensation (forgotten_events_start_id 1 … end 6, a summary in their place) comes before 6
    // views it again, while the prompt barely shrinks (34.0k → 32.8k tokens: the views forgotten were small).
    expect((await calls('openhands-condensed-then-view.json')).flags).toEqual({})
    expect((await calls('openhands-view-again.json')).flags).toEqual({6: 'reread-unchanged'})
  })
})

describe('3d. the folder a call ran in', () => {
  it("is part of the call: the same grep after a `cd` the shell kept (SWE-agent's working_dir) is another call", async () => {
    // 2 and 4: `grep axios package.json` in /testbed/frontend, then (after `cd ../backend`) in /testbed/backend.
    expect((await calls('swe-agent-cd-then-same-grep.traj')).flags).toEqual({})
    // The same two greps with the agent still in frontend (`cd .`): a duplicate.
    expect((await calls('swe-agent-same-grep-same-folder.traj')).flags).toEqual({4: 'duplicate-call'})
  })

  it("is kept by OpenHands' bash session: older observations name no folder, so the `cd` it ran places what follows", async () => {
    // 1 `cd /workspace/shop/frontend`, 2 `grep axios package.json`, 3 `cd ../backend`, 4 the same grep: another file.
    expect((await calls('openhands-cd-then-same-grep.json')).flags).toEqual({})
    expect((await calls('openhands-same-grep-same-folder.json')).flags).toEqual({4: 'duplicate-call'})
  })
})

describe('1d. a write tool told to append', () => {
  it("adds to the file: a read after it is no re-read of what the agent wrote (LangChain's write_file, append: true)", async () => {
    // 1 appends a standup entry to notes/standup.md, 2 reads the file: its earlier entries were never in context.
    expect((await calls('langchain-write-file-append.json')).flags).toEqual({})
    // The same write without append is the file's whole content: reading it back is a re-read.
    expect((await calls('langchain-write-file-whole.json')).flags).toEqual({2: 'reread-unchanged'})
  })
})

describe("6c. SWE-agent 1.x's editor as a command line", () => {
  it('`str_replace_editor view` reads, `str_replace` writes, and its "No replacement was performed" is a failure', async () => {
    const {flags} = await calls('swe-agent-editor-commands.traj')
    // 2 and 4 edit range.py (4 after 3's test run: 5's cat is no re-read); 6 views what 5 printed whole; 7 and 8 are the
    // same str_replace refused twice ("did not appear verbatim").
    expect(flags).toEqual({6: 'reread-unchanged', 8: 'failed-repeat'})
  })
})

describe("4h. the file Claude Code writes a background command's output to", () => {
  it('is written while the command runs: read twice then, no re-read; read twice after its notice, a re-read', async () => {
    // 1 runs `make verify` in the background ("Output is being written to: …/tasks/b72pgby14.output"); 2 and 3 read
    // that file while it runs; the harness's notice says it finished; 4 and 5 read it again.
    expect((await calls('harness-output-file-while-running.jsonl')).flags).toEqual({5: 'reread-unchanged'})
  })

  it('is written once, at the end, for a command piped into `tail -N`: read with something in it, it is written no more', async () => {
    // 1 `pnpm test 2>&1 | tail -50` in the background, no notice in the log; 2 reads the file after `sleep 60` and
    // finds the tail's lines (the tests had ended); 4 reads it whole: every line 2 showed.
    expect((await calls('background-tail-printed-once.jsonl')).flags).toEqual({4: 'reread-unchanged'})
    // Without the tail, the command may still be writing its file.
    expect((await calls('background-log-no-notice.jsonl')).flags).toEqual({})
  })
})

describe('3e. `cat f | tail -N`', () => {
  it('depends on f: run again after a patch of f, it is no duplicate, even when its last lines read the same', async () => {
    // 1 prints the last 3 lines; 2 patches the file's first line; 3 prints the same last lines; 4 repeats 3: the
    // file's last lines read again, as `tail -3 f` reads them.
    expect((await calls('cat-tail-after-a-patch.jsonl')).flags).toEqual({4: 'reread-unchanged'})
  })

  it('reads the last lines of a file printed whole before, placed by its length or by their own numbers (trial 106)', async () => {
    // 1 `cat mod.py` (40 lines); 3 `cat -n mod.py | tail -20`: lines 21-40, shown; 4 `tail -5`, 5 `head -10`: shown.
    expect((await calls('tail-of-a-file-printed-whole.traj.json')).flags).toEqual({
      3: 'reread-unchanged',
      4: 'reread-unchanged',
      5: 'reread-unchanged',
    })
    // `nl -ba f | tail -n 30` twice, the file's length known to neither: its numbers place the lines.
    expect((await calls('numbered-tail-twice.traj.json')).flags).toEqual({2: 'reread-unchanged'})
    // Plain `nl` numbers only lines with text: `nl f | tail -n 5` printed lines 46-50 numbered 38-42, and `sed -n
    // 38,42p` after it shows other lines (review 109).
    expect((await calls('plain-nl-tail-then-sed.jsonl')).flags).toEqual({})
  })
})

describe('4i. Claude Code\'s "(Bash completed with no output)"', () => {
  it('is no line of output: a narrower grep of a file a broader one found nothing in found nothing either', async () => {
    // 1 greps src/App.tsx for three names and prints two lines of the third; 2 greps it for the first two: the
    // harness's note alone, which 1's lines told.
    expect((await calls('no-output-note-narrower-grep.jsonl')).flags).toEqual({2: 'near-duplicate'})
  })
})

describe("4j. Claude Code's compaction (a compact_boundary record)", () => {
  it('starts a new context whatever the prompt size says: a file read before it is read again after it', async () => {
    // 1 reads parser.py, 2 runs the tests; Claude Code compacts the conversation (its prompt barely shrinks); 3 reads
    // parser.py again.
    expect((await calls('read-again-after-compaction.jsonl')).flags).toEqual({})
    expect((await calls('read-again-no-compaction.jsonl')).flags).toEqual({3: 'reread-unchanged'})
  })
})

describe("3f. LangChain's `terminal` tool", () => {
  it('runs its list of commands in one shell: the same `git diff --stat` again, nothing written between, is a duplicate', async () => {
    // A Langfuse trace of a LangChain agent: 4 appends to CHANGELOG.md, 6 rewrites pyproject.toml, 7 and 8 run
    // `{"commands": ["git diff --stat"]}` back to back; 9 reads pyproject.toml as 6 wrote it.
    expect((await calls('langchain-terminal-commands.json')).flags).toEqual({
      8: 'duplicate-call',
      9: 'reread-unchanged',
    })
  })
})

describe("4k. Gemini's read_many_files", () => {
  it('reads the files its output shows under their `--- path ---` lines, whatever its paths were (a glob)', async () => {
    // 1 `read_many_files {"paths": ["src/config/*.ts"]}` prints load.ts and defaults.ts whole; 2 reads load.ts again.
    expect((await calls('gemini-read-many-files-then-read.json')).flags).toEqual({2: 'reread-unchanged'})
    // The same with 1's output naming loader.ts, not load.ts: 2 is load.ts's first read.
    expect((await calls('gemini-read-many-files-other-file.json')).flags).toEqual({})
  })
})

describe('7b. an image a tool answered with (Codex view_image)', () => {
  it('is one line naming it, not its base64: no text to refer back to, so never an unused output', async () => {
    const {tools, flags} = await calls('image-output.jsonl')
    const output = tools[0]!.tool!.excerpt ?? ''
    expect(output).toMatch(/^\[image image\/jpeg, 20000 characters of base64, [0-9a-f]{16}\]$/)
    expect(flags).toEqual({})
  })
})

describe('4e. a path zsh took for a pattern, and the look the agent saw last', () => {
  it('zsh ran nothing for an unquoted `app/(tabs)/x` it found no match for; a re-read is judged on the latest look at the file', async () => {
    const {flags} = await calls('zsh-globs-latest-look.jsonl')
    // 6: README.md as 4 showed it (5 ran nothing). 7: package.json as 3 showed it after the lint installed eslint
    // (1 is out of date). 9 and 11: the same unquoted path again. 10: README.md (the touch wrote notes.md). 12:
    // README.md after ./fix.sh, which may have written it: its lines read the same.
    expect(flags).toEqual({
      6: 'reread-unchanged',
      7: 'reread-unchanged',
      9: 'failed-repeat',
      10: 'reread-unchanged',
      11: 'failed-repeat',
      12: SAME,
    })
  })
})

describe('3d. tests that passed, run again over unchanged code', () => {
  it('another filter of the same run, fewer of its tests, a runner cache: they pass again', async () => {
    const {flags} = await calls('passing-test-reruns.jsonl')
    // 2: the run 1 passed, filtered otherwise (only progress). 3: one of its tests. 10: `go test ./...` again, from the
    // cache. Not 5 (the patch 4 changed the code), 6 (a warning 5 did not show), 12 (after a failing run), nor 8:
    // run_tests.sh again, whose `# pass 12` 7 showed, now for its banner `=== All tests passed ===`, a line 7 did not
    // show (labellers split on that very call, fresh10 #131 and fresh20 #131).
    expect(flags).toEqual({2: 'near-duplicate', 3: 'near-duplicate', 10: 'duplicate-call'})
  })

  it('the whole suite after one file of it passed runs more of its tests, not fewer; one test of that file runs fewer', async () => {
    // Not 2: `pytest -v` names no test, so it runs every file, test_internals.py too (fresh300 #93, #97, #113). 3: one
    // test of the file 1 ran.
    expect((await calls('whole-suite-after-one-file.jsonl')).flags).toEqual({3: 'near-duplicate'})
  })

  it('looks one after another on one line, after a program aco cannot read, are checked part by part against what was shown', async () => {
    const {flags} = await calls('compound-looks-after-a-script.jsonl')
    // 4: `sed -n 5,12p a.md && echo '---' && sed -n 1,200p b.md` after `python tool.py`: each part reads as the whole
    // reads 1 and 2 showed (fresh237 #79, #82: the output had been left unchecked, so unflagged). 6: `rg -n` hit and a
    // range of a.md, as read 1 showed them. Not 8 (b.md changed: it reads otherwise), nor 10 (its b.md part reads as
    // 2 did, not as 8 showed it since).
    expect(flags).toEqual({4: 'reread-unchanged (read the same)', 6: 'reread-unchanged (read the same)'})
  })

  it('two ranges of one file on one line, read as shown before, name the file once', async () => {
    const {flags, tools} = await calls('two-ranges-of-one-file.jsonl')
    expect(flags).toEqual({3: 'reread-unchanged (read the same)'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/^reads a\.md again: every line it shows was shown at step 1 /)
  })

  it('the same tests shown otherwise repeat themselves only when every line they show was shown, a banner by its words', async () => {
    const {flags} = await calls('same-tests-shown-otherwise.jsonl')
    // 2: `pytest tests -q`'s `2 passed in 0.41s` after `-v` showed `=== 2 passed in 0.40s ===` (fresh110 #86). Not 4:
    // `cargo test | grep '^test result:'` shows each binary's tally, which 3's `| tail -3` cut (fresh111 #25). 5: one of
    // its tests again, fewer of them: its pass and tally need not have been shown.
    expect(flags).toEqual({2: 'near-duplicate', 5: 'near-duplicate'})
  })
})

describe("3f. a check its files decide, run again at a person's next turn", () => {
  it('is no duplicate when the turn opens with it (the person may have changed its files and asked), one after the agent worked on other files in the turn is', async () => {
    const {flags} = await calls('checks-across-turns.jsonl')
    // 5: `python -m py_compile app.py` again after the agent, at the person's next turn, patched only requirements.txt:
    // its own check after its own work, on a file nothing it did touched (fresh39 +2, fresh9 +1, fresh16, fresh38,
    // fresh36: none wrong on any labelled split). Not 10: the same check opening a turn, with nothing done before it
    // (review 11: a person who rewrote the file in an editor and asked for the check again), nor 8 (the patch 7
    // changed app.py) or 9 (`git status` at a new turn).
    expect(flags).toEqual({5: 'duplicate-call'})
  })
})

describe('3g. notes for agents and plans of work are no input of a check or a test run', () => {
  it('go build again after a CLAUDE.md or a Spec Kit task list repeats itself; not after a README, a prompt file, nor tsc after an AGENTS.md', async () => {
    const {flags, tools} = await calls('checks-after-documents.jsonl')
    // 3: only CLAUDE.md was written since 1 (the project's own folder is called site/: no site's page); 10: only
    // specs/001-login/tasks.md. Not 5 (a README may be compiled in or a doctest), 8 (JavaScript's checks may format
    // Markdown: prettier), 12 (internal/llm/prompts/ holds what a program embeds).
    expect(flags).toEqual({3: 'duplicate-call', 10: 'duplicate-call'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/only notes for agents or plans of work/)
  })

  it("tests that passed, run again at a person's next turn after only a CLAUDE.md, repeat themselves; not when a prompt asked for runs", async () => {
    const {flags} = await calls('test-reruns-across-quiet-turns.jsonl')
    // 4: pytest -q after pytest -v passed, the turn's prompt asking only for a CLAUDE.md, which the agent wrote first
    // (its `uv run` synced nothing: the ruff line's two `uv run`s follow the same manifests); 5: the ruff line again,
    // only its own echo's words differ (`--- ruff OK ---` is no option of echo). Not 7 (the prompt asked to run the
    // tests again), 9 (a Markdown fixture under tests/ may be read), 11 (a command of the person's own,
    // `/release-check`, whose steps aco cannot read), 12 (the run opens its turn).
    expect(flags).toEqual({4: 'near-duplicate', 5: 'duplicate-call'})
  })

  it('what the harness tells of a person: a file changed outside the agent, a message queued within the turn', async () => {
    const {flags} = await calls('test-reruns-after-person-edits.jsonl')
    // Not 3: Claude Code told the agent src/tts/core.py was edited outside it (`edited_text_file`); not 5: a message
    // the person queued asked to rerun the tests. 7: again after only a GEMINI.md, at a quiet turn.
    expect(flags).toEqual({7: 'duplicate-call'})
  })
})

describe("3h. an installed package's files after an install", () => {
  it('are read again after an install of their language into their place; not after one elsewhere, nor a tool install for uv.lock', async () => {
    const {flags} = await calls('installed-package-reads.jsonl')
    // Not 4: `uv tool install --force --upgrade` may have rewritten the tool's site-packages (fresh112 #31). 5: uv.lock
    // again, which a tool install does not write (it is no project's `uv add`). 8: web/node_modules after an install
    // in api/; not 10, after one in web/.
    expect(flags).toEqual({5: 'reread-unchanged', 8: 'reread-unchanged'})
  })
})

describe('3i. a command aco cannot read into, filtered right after it printed whole', () => {
  it('repeats it; not after a write or another call in between, nor a count, nor a command whose answer changes by itself', async () => {
    const {flags, tools} = await calls('unknown-command-filtered.jsonl')
    // 2, 3: `punt audit . | grep …` right after `punt audit .` (it exited 1 to report its findings) printed every line
    // (fresh112 #161, #162). Not 5 (a write since), 8 (a read in between), 9 (a count no output printed), 11 (`gh pr
    // checks`: its answer changes by itself).
    expect(flags).toEqual({2: 'duplicate-call', 3: 'duplicate-call'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/with nothing else run in between/)
  })
})

describe("4o. OpenHands' edit snippets after an edit its editor refused", () => {
  it('are what the file holds: a view of lines the last applied edit printed repeats them', async () => {
    // 4: lines 10-15, which the editor printed after the edit 2 applied; 3 found no text to replace (fresh113 #19,
    // fresh109 #35). Claude Code's snippets are not taken so after a failed Edit: a hook may rewrite the file after its
    // edit (see 4n).
    expect((await calls('openhands-view-after-refused-edit.json')).flags).toEqual({4: 'reread-unchanged'})
  })
})

describe('4n. the read a failed edit asks for again', () => {
  it('"File has been modified since read … Read it again" demands the next read, not the one after it', async () => {
    const {flags} = await calls('read-again-after-modified.jsonl')
    // Not 3: the read Edit 2's error asked for. 4: the same lines again, nothing asked for them.
    expect(flags).toEqual({4: 'reread-unchanged'})
  })
})

describe("4o. a shell's banner above every output", () => {
  it("a line a login shell prints before each command is none of the file a cat shows; a shebang opening three reads is the files' own", async () => {
    const {flags} = await calls('banner-rereads.jsonl')
    // 4: `nl -ba docs/prd.md` after `cat docs/prd.md`, both below the profile's error line that opens every output
    // (ls, git, cat). 8: `nl -ba a.py` after `cat a.py`: `#!/usr/bin/env python3` opens three reads and no other call,
    // so it is the file's line 1, not a banner. 12: `nl -ba package.json` after `cat package.json`: the `{` opening two
    // JSON outputs is no banner either (review 11).
    expect(flags).toEqual({4: 'reread-unchanged', 8: 'reread-unchanged', 12: 'reread-unchanged'})
  })
})

describe('5e. a command again with fewer of its options', () => {
  it('`git status --short` after `git status --short --branch`, printing only its lines, is a duplicate; not after a write, nor with a line it did not print', async () => {
    const {flags, tools} = await calls('fewer-options.jsonl')
    // 2: the untracked and changed files 1 listed. Not 4 (`* main` is no line 3 printed), 6 (5 wrote in the
    // repository), 8 (more options, not fewer), 10 (`rg -n TODO src` after `--type=js`: a filter dropped and the same
    // lines back, which tells that nothing more matches: review 11).
    expect(flags).toEqual({2: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^runs the command of step \d+ with fewer of its options/)
  })

  it('`git log --oneline -3` after `-5`, nothing committed since, printing only its lines; not after a commit, nor another number than a count', async () => {
    const {flags, tools} = await calls('log-again-with-a-smaller-count.jsonl')
    // 2: 1's first three commits (fresh350 #47's shape). 12: `-n 2` after `-n 4`. Not 3 (`-n 2`, written otherwise than
    // 1 and 2), 5 (after 4's commit), 6 (`HEAD~1`, a revision, no count), 8 (find's `-mmin -10` after `-mmin -60`: which
    // files, not how many), 10 (grep's pattern 401 after 404) nor 14 (the same after grep's `-n`, which takes no value):
    // numbers that choose which (review 70).
    expect(flags).toEqual({2: 'duplicate-call', 12: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^runs the command of step \d+ with a smaller count/)
  })
})

describe('4m. a log read again after a restart', () => {
  it('checks for news, whatever it shows; not another file across the same script, nor the log again with nothing between', async () => {
    const {flags} = await calls('log-after-restart.jsonl')
    // Not 4: logs/web.log after ./scripts/restart.sh (which aco cannot read) shows the same lines: the restart failed
    // the same way, which the agent learnt. 5: config.yml across the same script, the same lines. 6: the log again with
    // nothing run since 4. 9: a logging package's source (internal/log/logger.go) across the same script: no log
    // (review 11).
    expect(flags).toEqual({5: SAME, 6: 'reread-unchanged', 9: SAME})
  })
})

describe("3e. node --test's tally, and a compose build between two runs", () => {
  it('`ℹ pass 3` tallies passes (its `ℹ duration_ms` a time); `docker compose build` writes no file of the host, `up` may', async () => {
    const {flags} = await calls('node-test-reruns.jsonl')
    // 3: npm test again, passing as 1 did, across a compose build. Not 5 (after `up -d`: a container writes what it
    // mounts) or 7 (a patch changed server.js). 8: 7's failure again (its tally `ℹ fail 1` is no pass).
    expect(flags).toEqual({3: 'duplicate-call', 8: 'failed-repeat'})
  })
})

describe('5c. a listing filtered after it was printed whole', () => {
  it('`ls -la | rg x` after `pwd && ls -la` printed the listing (numbered lines, or none) is a duplicate; not of another folder, not after a write there', async () => {
    const {flags, tools} = await calls('filtered-listing.jsonl')
    // 2: two of 1's lines, numbered by rg. 3: none (1 showed no README). Not 4 (src was never listed) or 6 (5 wrote
    // into the folder).
    expect(flags).toEqual({2: 'duplicate-call', 3: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^filters what step \d+ printed whole/)
  })
})

describe('4l. a read of what a patch wrote whole', () => {
  it('a patch hunk replacing lines without context carries them whole: a read showing exactly them is a re-read', async () => {
    const {flags} = await calls('patch-replaces-whole.jsonl')
    // 3: plan.md as patch 2 wrote it (every line replaced, no context). Not 6 (patch 5 had context: the file's other
    // lines were not in it) or 8 (todo.md holds a line the patch did not write).
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('1b. PowerShell scripts that read, or write the files they name', () => {
  it('a script of cmdlets in blocks writes nothing, or the file its variable names; not a cmdlet that may write anything', async () => {
    const {flags} = await calls('powershell-scripts.jsonl')
    // 3: plan.md after the checklist count 2 (it only reads). 7: tasks.md after 5 rewrote plan.md ($path). Not 6
    // (plan.md after 5). 9: tasks.md after Remove-Item 8, which may have written anything: its lines read the same.
    expect(flags).toEqual({3: 'reread-unchanged', 7: 'reread-unchanged', 9: SAME})
  })
})

describe('6b. mistakes of a call the harness or the tool tells', () => {
  it('a tool the harness does not have, called again; not a search of another name ending in a stray quote', async () => {
    const {flags} = await calls('missing-tool-stray-quote.jsonl')
    // 3: the missing tool again (other arguments). 4: dataset.py as 2 showed it (3 ran nothing). Not 7, a pattern with
    // a stray `"` after 6's found nothing: a search for another name, which fresh65's labeller (a run of twenty such)
    // called no waste; nor 8 (no stray quote) or 9 (its quotes are balanced).
    expect(flags).toEqual({3: 'failed-repeat', 4: 'reread-unchanged'})
  })
})

describe('5d. a listing whose names a sed rewrote', () => {
  it('`find . -type f | sed "s#^./##"` lists the same files: a narrower find after it is told by it; not after a new file', async () => {
    const {flags} = await calls('rewritten-listing.jsonl')
    // 2: repo's files, all in 1. Not 5 (4 made a file there); 3's sed writes a file (`w`), so it is no listing.
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('5f. a listing of files by another tool, or after edits, that shows only files an earlier listing showed', () => {
  it('compares the paths printed: edits of listed files make none, a hidden file or a new one is news', async () => {
    const {flags} = await calls('listing-by-another-tool.jsonl')
    // 3: `find src -type f` after `rg --files` (which obeys ignore files, find does not) and an edit of src/app.ts:
    // every path it printed, 1 printed; so did 5's `rg --files src`. 6 lists the files 5 listed over the same folder:
    // the same listing. Not 4 (a hidden file 1 left out), not 8 (7 made src/util/date.ts); 9 is 8 again through
    // absolute paths.
    expect(flags).toEqual({3: 'near-duplicate', 5: 'near-duplicate', 6: 'duplicate-call', 9: 'near-duplicate'})
  })
})

describe('5j. a search that leaves hidden files out, after writes in a hidden folder', () => {
  it('ripgrep finds nothing written below a dot-folder: a narrower listing after such a write is told by the earlier one; not a find, which sees hidden files, nor after a write elsewhere', async () => {
    const {flags, tools} = await calls('listing-after-hidden-writes.jsonl')
    // 3: `rg --files -g '*.md'` after 1's `rg --files` and 2's write of .specify/memory/plan.md. Not 4 (find lists the
    // hidden plan), not 6 (5 wrote docs/guide.md).
    expect(flags).toEqual({3: 'near-duplicate'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/nothing it lists changed in that tree since/)
  })
})

describe('4i. a read after Codex cut an output to its byte limit (`[... output truncated to fit 10240 bytes ...]`)', () => {
  it('places the lines before the cut, not the line it broke; a read asking for what the cut hid, cut the same way itself, is no waste', async () => {
    const {flags, tools} = await calls('codex-byte-cut-output.jsonl')
    // 2: lines 10-50, 39 of them whole in 1's cut `cat` (48 lines and a broken 49th). Not 3: `sed -n 1,100p` asked
    // for the whole file the cut had hidden, and was cut at the same place (as fresh15 #30 and fresh17 #7 were).
    expect(flags).toEqual({2: 'near-duplicate'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/95% of these lines were shown at step/)
  })
})

describe('6c. a line the harness mangled before the shell ran it', () => {
  it("`ls: cannot access 'glob'` for a command that named no such path failed, whatever the pipe's status: again in another command, a failed-repeat; not a folder the command named that is not there", async () => {
    const {flags, tools} = await calls('harness-mangled-glob.jsonl')
    // 2: the same mangled glob as 1 (Claude Code 1.0.8x before a pipe; fresh32 #56, #57 and fresh314 #72, #76). Not
    // 5: a folder it names that is not there, as 4's was another.
    expect(flags).toEqual({2: 'failed-repeat'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/a path neither command names: the harness mangles such a line/)
  })
})

describe('4j. a read of a file a patch replaced whole (no line of context), cut by the harness or of a stretch of it', () => {
  it('shows only what the patch carried: a cut `nl -ba` up to the cut, a stretch of ten lines or more; not four lines, which could stand anywhere', async () => {
    const {flags} = await calls('patch-replaced-whole-then-read.jsonl')
    // 3: `nl -ba` cut by Codex after line 25, every line before the cut the patch's (fresh64 #25, fresh58 #15). 4: lines
    // 20-34 of the plan (fresh64 #26, fresh58 #16). Not 5: four lines no look showed, too few to place by their text.
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })
})

describe('5k. a narrower pattern after a search of the same folder that printed its hits with their files and context', () => {
  it('reads the hits (`src/lib.rs:14:`) apart from the context lines (`src/lib.rs-13-`): a narrower pattern none of them matches could only find nothing; where no numbers tell them apart, none of the lines printed may match it', async () => {
    const {flags} = await calls('folder-search-context-hits.jsonl')
    // 2: `struct.*IrlsConfig` after 1's three hits of IrlsConfig, none a struct (fresh316 #37, #38, #41). 3: the one line
    // of 1 it matches. 5: 4 printed no line numbers, but a line 5's pattern matches holds Poisson, so 4 printed it, and
    // none of its lines does. Not 6, anchored at the line's start: the file names before 4's lines keep it from matching
    // the line it would.
    expect(flags).toEqual({2: 'near-duplicate', 3: 'near-duplicate', 5: 'near-duplicate'})
  })

  it("reads them on Windows too, a drive's colon part of each path (`C:\\work\\src\\lib.rs:14:`, `…-13-`)", async () => {
    const {flags} = await calls('folder-search-context-hits-windows.jsonl')
    // 2: Claude Code's Grep for `struct.*IrlsConfig` after 1's hits with context, none a struct (fresh334 #32).
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('5m. files below a folder a listing showed unexpanded', () => {
  it("are none it showed: each of a path's folders must be a name the listing printed, not its file's name alone", async () => {
    const {flags} = await calls('listing-folder-unexpanded.jsonl')
    // 2: the app's migration, as the LS showed it. Not 3: Django's migration of the same name below venv/, which the LS
    // showed without its entries (fresh336 #57).
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('5l. a narrower pattern after a search that listed files only', () => {
  it('is not told by it: which of the files hold the narrower pattern, a list of files does not say', async () => {
    const {flags} = await calls('grep-files-then-narrower.jsonl')
    // 2: `struct.*Poisson` after Grep's files-only answer for `Poisson` (fresh316 #24, not labelled).
    expect(flags).toEqual({})
  })
})

describe('5i. listings drawn by `tree`, long listings, and listings filtered by a path their folder matches', () => {
  it('reads the names `tree` drew and `ls -l` printed, of one folder or under headers; a filter that keeps the whole folder hides nothing there, folders only (`find -type d`) tell nothing of files, a long listing after names alone tells sizes, modes and links', async () => {
    const {flags} = await calls('drawn-and-long-listings.jsonl')
    // 2: `ls src` lists app.ts and util, which 1's tree drew. 5: `ls src/util` after `rg --files | rg src` (every
    // path under src/ matches `src`). 10: `find tests -maxdepth 1 -type f` prints only what 8's `ls -la src tests`
    // listed under its `tests:` header, and 9 only edited a file listed there. 11 is 3 again. Not 3 (a dotfile the
    // tree hid), 7 (only `lib`, which 6's `find . -type d` showed; but folders alone do not tell there is no file), 8
    // (tests/.eslintrc is new), 12 (`ls -l src/util` after 4's and 5's names alone: its sizes and modes are news).
    expect(flags).toEqual({2: 'near-duplicate', 5: 'near-duplicate', 10: 'near-duplicate', 11: 'duplicate-call'})
  })
})

describe('5j. a file read, or a path listed, that a listing of its folder showed not there, in the folder the call ran in', () => {
  it("reads its missing path from where the command ran (a Codex call's workdir, a `cd` before it), not the session's folder", async () => {
    const {flags} = await calls('absent-after-listing-elsewhere.jsonl')
    // 2: `cat go.sum` in backend/ after 1's `ls` there showed no go.sum. 5: `cd backend && ls -la vendor`, no vendor
    // in 1's listing either. Not 3 (a dotfile, which a plain `ls` does not show), not 4 (go.work at the top, a folder
    // nothing listed), not 7 (6 made go.sum).
    expect(flags).toEqual({2: 'near-duplicate', 5: 'near-duplicate'})
  })
})

describe('5k. what an output names, read from the folder the command ran in', () => {
  it("a search in a Codex call's workdir that finds a hit the agent's own text of the file cannot hold: the file changed outside, its read is news", async () => {
    const {flags} = await calls('changed-outside-in-a-workdir.jsonl')
    // 1 wrote web/notes.md whole (no TODO in it); 2, run in web/, finds `notes.md:3:TODO`: someone changed the file
    // since, so 3's `cat notes.md` is no re-read of what 1 wrote (when `notes.md` was placed in the session's folder,
    // it was).
    expect(flags).toEqual({})
  })
  it("a stack's relative frames are files of the call's workdir: an edit there is a fix tried, the failure again no repeat", async () => {
    const {flags} = await calls('relative-frames-in-a-workdir.jsonl')
    // 2 edited svc/lib/util.py, a file 1's failure ran through (`File "lib/util.py"`, run in svc/): 3 tries the fix.
    expect(flags).toEqual({})
  })
})

describe("1k. a device's state, a database's rows, a program's usage", () => {
  it('adb, a query, `xargs kill` and a usage printed write no file of the project; a deletion, a pull and a script that ran do; a query is never a duplicate', async () => {
    const {flags} = await calls('device-and-database-looks.jsonl')
    // 6: `wc -l notes.md` again across `adb shell`, a SELECT, `xargs kill -9` and `cli.py -h` printing its usage.
    // Not 7, the same SELECT: a database is written by what aco cannot see into (a server, a script through a
    // library), so a query's answer is volatile; nor 9 (8 deleted a row), 11 (10 pulled notes.md), 13 (`cli.py train
    // -h` printed no usage: it ran, and may have written anything); 14 repeats 13 with nothing in between. Nor 16 and
    // 18 (review 36): `-h` before other arguments may mean human-readable, and `Usage: 12.4G of 50G` names neither the
    // script nor options in brackets: the report script ran.
    expect(flags).toEqual({6: 'duplicate-call', 14: 'duplicate-call'})
  })
})

describe('5h. files looked for by name in a tree a listing printed whole', () => {
  it('the listing answers: what it printed is known, and a name none of its paths has is not there; not after `rg --files` (it hides ignored files), not once a file was made, not case-blind', async () => {
    const {flags} = await calls('names-after-full-listing.jsonl')
    // 2: `find src -name '*theme*'` found nothing, and no path 1's `find src -type f` printed has such a name; 3 lists
    // only files 1 listed. Not 5 (4's `rg --files` leaves ignored files out), not 7 (6 made src/theme.ts), not 8
    // (`-iname`).
    expect(flags).toEqual({2: 'near-duplicate', 3: 'near-duplicate'})
  })
})

describe("6g. a package's own program, however it is asked for", () => {
  it('`pnpm exec tsc` and `./node_modules/.bin/tsc` run one program; `npx tsc@5.4` may fetch another', async () => {
    const {flags} = await calls('local-bin-spellings.jsonl')
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('4f. an empty read in a Codex output (its run header is no output)', () => {
  it('an empty `sed -n 3,4p` of lines a read showed is no re-read: the file changed, whatever aco saw; one past the end is known', async () => {
    const {flags} = await calls('empty-reads.jsonl')
    // Step 3 had been called a re-read: Codex's header (`Chunk ID`, `Output:`) made its empty output look like text.
    // 2 reads past the end of the file 1 showed whole (five lines of the 200 asked): it could only print nothing
    // (labelled wasted in fresh31, fresh34 and fresh36; left unlabelled in fresh7's django-15629 #7); 6, the same
    // after an edit of the file, is not known.
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('4g. lines placed by their text, in a file of repeated blocks', () => {
  it("a third table's definition is not the two shown, though its boilerplate lines were; the first table again is", async () => {
    const {flags} = await calls('repeated-blocks.jsonl')
    // 2: only lines that stand twice in 1 match (`name="pk",`, `),`): a run of them places nothing. 3: the events
    // table, placed by its own lines.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('4h. a file a person edited between turns', () => {
  it('a re-read across a turn whose lines the earlier look did not show is not called unchanged', async () => {
    const {flags} = await calls('edited-between-turns.jsonl')
    // 2: four of its twelve lines read otherwise than 1 showed them (1 printed two files, so its lines are not placed
    // by number): the person edited the file. 3: what 2 showed, in the same turn.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('4i. Claude Code\'s Read answering "File unchanged since last read"', () => {
  it('is a re-read the tool itself names, and tells nothing of the file (not a length of one line)', async () => {
    const {flags} = await calls('read-unchanged-stub.jsonl')
    // 2: the stub, in a new turn, after 1 read the file whole. 3: lines 10-14, which 1 showed (the stub had been taken
    // for a file of one line). Not 4: no read of that file that aco saw.
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'reread-unchanged'})
  })
})

describe('6h. a virtualenv without ensurepip', () => {
  it("venv's own message names the missing module; a system package installed since may provide it by any name", async () => {
    const {flags} = await calls('venv-without-ensurepip.jsonl')
    // 2: ensurepip, which 1 found missing, is still missing. Not 4: apt installed python3.12-venv in between.
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('5g. a narrower name glob', () => {
  it('`rbac*` in a folder `*rbac*` was searched over: every name it can match, the earlier search matched', async () => {
    const {flags} = await calls('narrower-name-glob.jsonl')
    // 2: none, as 1 showed. Not 3: `r*` matches names `*rbac*` does not.
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('4i. a search of text the agent wrote whole', () => {
  it('is a re-read when it prints lines; not when it prints a count of them, which no look showed', async () => {
    const {flags} = await calls('counts-of-written-text.jsonl')
    // 3: `grep -n` prints a line of tasks.md as 1 wrote it. 2 (`grep -c`) and 4 (`| wc -l`) print a number.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('2f. a script bash ran none of', () => {
  it('a patch sent to the shell (every line "command not found", then a syntax error) wrote nothing; not when a line ran', async () => {
    const {flags} = await calls('patch-sent-to-bash.jsonl')
    // 3: config.py as 1 showed it, after 2 sent apply_patch's text to bash. 5: after 4, whose first line (`sed -i`) ran.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('5h. a git diff of fewer files', () => {
  it('shows a part of an earlier diff of more (the same options), printed whole, nothing changed since; not after a cut', async () => {
    const {flags, tools} = await calls('git-diff-within.jsonl')
    // 2: a.py's diff, in 1. 3: `--stat`, other options. 5: b.py after a patch of it (4). 7: c.py, whose diff 1 and 6
    // printed cut in the middle. 8: a.py and b.py, in 6 (after the patch).
    expect(flags).toEqual({2: 'near-duplicate', 8: 'near-duplicate'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^shows a part of the diff step \d+ printed \(exec_command git diff\)/)
  })
})

describe('5h. an empty git diff of files an earlier diff showed unchanged', () => {
  it('prints nothing for a file the earlier diff, whole, had no section for; not after git add -N, nor after a cut (fresh218, fresh220)', async () => {
    const {flags, tools} = await calls('git-diff-empty-within.jsonl')
    // 2: new.py, untracked, which 1 diffed and printed nothing for. 3: a.py's part of 1. 5: after `git add -N` (4)
    // the file shows. 6: other.py, which no earlier diff covered. 8: b.py, which 7's diff, cut in the middle, may
    // have held.
    expect(flags).toEqual({2: 'near-duplicate', 3: 'near-duplicate'})
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^diffs files the diff at step \d+ \(exec_command git diff -- src\/a\.py src\/new\.py\) showed no change in, so it could only print nothing/,
    )
  })
})

describe('5h. a git diff of fewer files, after a build', () => {
  it("shows a part of an earlier diff though a build wrote its outputs in between, git's line-ending warnings aside", async () => {
    const {flags, tools} = await calls('git-diff-within-build.jsonl')
    // 3: a.kt's part of 1 (its own warning only), after the build (2) wrote its outputs. 4: b.kt printed otherwise than
    // in 1, so the build (or something) changed what it shows. 6: after the patch of a.kt (5). 9: a.kt and b.kt after
    // a build (8), only a.kt shown: b.kt's change is gone (codegen may rewrite a tracked file), so it is news.
    expect(flags).toEqual({3: 'near-duplicate'})
    expect(tools[2]!.flags![0]!.reason).toMatch(
      /^shows a part of the diff step \d+ printed \(exec_command git diff -- src\)/,
    )
  })
})

describe("review 6: inputs written to break this session's rules (test/corpus/waste-labels/REVIEW6.md)", () => {
  it('none of these is flagged as unchanged where it changed', async () => {
    // PowerShell: a program run by its path, a method named in a string (`.ForEach('Delete')`), a relative write after
    // `Set-Location`, a list of paths, splatting, a variable changed after it was set, a no-break space (a crash);
    // tests re-run after a frontend edit that browser tests drive, and a re-run whose progress shows an F; a listing
    // filtered after the call that printed it also cleaned the folder.
    for (const name of [
      'review6-ps-dot-script.jsonl',
      'review6-ps-foreach-delete.jsonl',
      'review6-ps-set-location.jsonl',
      'review6-ps-nbsp-crash.jsonl',
      'review6-e2e-rerun-after-frontend-edit.jsonl',
      'review6-progress-shows-failure.jsonl',
      'review6-filtered-listing-removed.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
    // The appends aco cannot place leave docs/guide.md's first lines to be checked against what was shown.
    expect((await calls('review6-ps-path-misread.jsonl')).flags).toEqual({10: SAME})
  })
})

describe("review 7: inputs written to break this session's rules (test/corpus/waste-labels/REVIEW7.md)", () => {
  it('none of these is flagged as a listing shown, or a failure repeated, where it was not', async () => {
    // A find by time, by an earlier file or for empty files (what changed, not what is there); `ls -t` after an
    // edit (the order tells what changed); `app/page.tsx` listed in a folder named app (relative to where the command
    // ran, not to the folder's own name); `rg --files src tests` (its `tests/` lines are not below src); `-printf
    // '%f'` (names, not paths); pnpx, which fetches the latest release rather than run the project's own.
    for (const name of [
      'review7-find-file-filters.jsonl',
      'review7-ls-by-time.jsonl',
      'review7-app-folder-tail.jsonl',
      'review7-listing-two-folders.jsonl',
      'review7-listing-basenames.jsonl',
      'review7-pnpx-fetches.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })
})

describe("review 8: inputs written to break this session's newest rules (test/corpus/waste-labels/REVIEW8.md)", () => {
  it('none of these is called a re-read or a listing shown where the file or folder changed', async () => {
    // A Bash `sed -i … && cat` whose file starts with the Read stub's words; a person's edits between turns: dates
    // (`2025-` is no grep context prefix), three lines of thirty, one line of a file the agent wrote whole, a line
    // moved; `rg --files --sortr modified` after an edit (the order tells); `ls migrations` again printing fewer
    // files (the person deleted some).
    for (const name of [
      'review8-listing-person-deleted.jsonl',
      'review8-stub-shaped-output.jsonl',
      'review8-turn-date-prefix.jsonl',
      'review8-turn-tenth-changed.jsonl',
      'review8-turn-one-line-after-write.jsonl',
      'review8-turn-moved-lines.jsonl',
      'review8-rg-files-sorted.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })

  it("the Read stub names the file's latest read, not a search of it", async () => {
    const {flags, tools} = await calls('review8-stub-latest-look.jsonl')
    expect(flags).toEqual({3: 'reread-unchanged'})
    expect(tools[2]!.flags?.[0]?.reason).toContain(`since step ${tools[0]!.index} read it`)
  })
})

describe("review 9: inputs written to break this session's rules (test/corpus/waste-labels/REVIEW9.md)", () => {
  it('none of these is called unchanged or a repeated failure where something changed', async () => {
    // `git checkout -- specs/ && setup-plan.sh` (the checkout's write of specs/ stands); two setup-plans in one call
    // (every IMPL_PLAN the output names); a /compact after a turn of much reasoning (Codex records it); a conda run
    // whose programs failed for their own reasons above a warning of a missing triton; `cat f | grep -c x` (a count);
    // a Gemini /compress after thoughts (never in a prompt).
    for (const name of [
      'review9-speckit-reset-specs.jsonl',
      'review9-speckit-two-plans.jsonl',
      'review9-compact-after-long-reasoning.jsonl',
      'review9-conda-import-warning.jsonl',
      'review9-counts-other-shapes.jsonl',
      'review9-gemini-compress-after-thoughts.json',
      'review9-tried-patch-chmod.jsonl',
      'review9-tried-site-folder-org.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
    // Diffs with other options and a git config, add or hook between: only `--name-only` of one file, within the
    // `--name-only` of both before it, is a part of one; and `--name-only` itself, after the
    // `--stat` of 1 printed both paths whole.
    expect((await calls('review9-tried-git-diff.jsonl')).flags).toEqual({3: 'near-duplicate', 4: 'near-duplicate'})
  })

  it('review 10: a line bash reported a command not found on ran nothing only when it is that one command', async () => {
    // `sed -i … && black f` (sed ran), `ruff … || sed -i …` (the fallback ran), `make format` whose own shell reported
    // `prettier` not found on its line 1: each changed the file, so the read after it is no re-read.
    for (const name of [
      'review10-notfound-same-line.jsonl',
      'review10-notfound-fallback.jsonl',
      'review10-notfound-nested-shell.jsonl',
    ]) {
      const {flags} = await calls(name)
      expect(flags, name).toEqual({})
    }
  })

  it('a compaction Codex recorded counts, however little the prompt shrank', async () => {
    // 3 reads config.py as 1 showed it, but after a `compacted` item: the context holds its summary only.
    expect((await calls('compaction-recorded.jsonl')).flags).toEqual({})
  })
})

describe('5e. a filtered listing that prints nothing where the listing had the line', () => {
  it('`ls -la | grep dist` empty after a listing that showed dist: the folder changed, not a known answer', async () => {
    const {flags} = await calls('filtered-listing-empty.jsonl')
    // 2: empty, though 1's listing holds `dist` (what changed it, aco could not see). 3 (README, absent from 1) may
    // still be told by the listing.
    expect(flags[2]).toBeUndefined()
    expect(flags[3]).toBeDefined()
  })
})

describe('3h. names by a pattern after a listing, through a shell that prints a banner', () => {
  it('`ls Dockerfile*` finding none after `ls -a` showed none: a write to .gitignore made none; a banner line is no finding', async () => {
    const {flags} = await calls('glob-after-listing-banner.jsonl')
    // 3: told by 1 (2 wrote .gitignore; every output opens with nvm's banner). Not 6 (5 made Dockerfile.dev).
    expect(flags).toEqual({3: 'near-duplicate'})
  })
})

describe('5f. a PowerShell listing of a folder, again', () => {
  it('`Get-ChildItem -Path d -File | Select-Object -ExpandProperty FullName` is a listing of d, in a later turn too', async () => {
    const {flags} = await calls('powershell-listing.jsonl')
    // 3: the same listing, a turn later, after a write elsewhere. Not 5 (4 made a file in d).
    expect(flags).toEqual({3: 'duplicate-call'})
  })
})

describe('1k. a call the harness never started', () => {
  it('wrote nothing: a failure to spawn the sandbox in one folder is no change to a command in another', async () => {
    const {flags} = await calls('codex-never-started.jsonl')
    // 1–3 `go mod tidy` in backend, tests, backend again, none of them started ("execution error: Io(…)"): 3 is 1 again
    // (2 wrote no tests/go.mod and installed nothing). 4 asked to run outside the sandbox and was declined; 6 ran there
    // and downloaded modules: 7, in tests, meets the sandbox again after an install (no flag).
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe("6f. an import failing again after a person's turn", () => {
  it('is no repeat: the person may have mended the environment where no command did (a declined uninstall wrote nothing)', async () => {
    const {flags} = await calls('import-failure-across-turns.jsonl')
    // 1 and 2 meet the same ImportError in one turn; 3, an uninstall, was declined; the person then says they fixed the
    // packages and asks for 4, which fails the same way: no flag.
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('1l. a merge or a pull that names the files it changed', () => {
  it("changed those files alone (wherever the repository's top folder is); an unreadable list is the whole tree", async () => {
    const {flags} = await calls('merge-names-its-files.jsonl')
    // 3's fast-forward names docs/DESIGN.md, src/settings.py and a transcript its `create mode` line names whole: 4
    // reads app.py as 1 did; not 5 (settings.py merged). 6's pull is "Already up to date.": 7 is 5 again. 8's pull
    // names a file only as `.../very/long/path/that/was/cut/helpers.py`: 9 is no re-read.
    expect(flags).toEqual({4: 'reread-unchanged', 7: 'reread-unchanged'})
  })
})

describe('1j. an agent at work in the background', () => {
  it('may write anything until the harness says it finished: nothing is the same across that, everything after', async () => {
    const {tools, flags} = await calls('background-agent.jsonl')
    // 1 launches an async agent (its transcript absent) that writes src/app.py; 2 and 3, `git status` while it works;
    // its notice is queued at 09:02:00; 4 after it, and 5 the same with nothing written since.
    expect(tools[0]!.tool!.background).toEqual({finishedAt: '2026-05-27T09:02:00.000Z'})
    expect(flags).toEqual({5: 'duplicate-call'})
  })

  it('a notice whose tool-use-id names no call (a log with its ids redacted) ends the job its task id names', async () => {
    // The async agent of 1 (its result's agentId) and a dev server run in the background (its result's shell id).
    for (const name of ['waste-classes/background-agent.jsonl', 'review12b/bg-log-notice.jsonl']) {
      const dir = mkdtempSync(join(tmpdir(), 'aco-bg-'))
      const path = join(dir, 'redacted.jsonl')
      const text = readFileSync(fixture(name), 'utf8')
      writeFileSync(path, text.replace(/<tool-use-id>[^<]*<\/tool-use-id>/g, '<tool-use-id>REDACTED</tool-use-id>'))
      expect(text).toContain('<tool-use-id>toolu_')
      const [redacted, original] = [await readOne(path), await readOne(fixture(name))]
      for (const card of [redacted, original]) flagCard(card)
      const backgrounds = (card: TraceCard) => card.steps.flatMap(s => (s.tool?.background ? [s.tool.background] : []))
      expect(backgrounds(original).some(b => b.finishedAt !== undefined)).toBe(true)
      expect(backgrounds(redacted)).toEqual(backgrounds(original))
      const kinds = (card: TraceCard) => card.steps.map(s => s.flags?.[0]?.kind ?? '')
      expect(kinds(redacted)).toEqual(kinds(original))
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('without a notice, until a TaskOutput saw it end or answered that no such task is left', async () => {
    const lines = readFileSync(fixture('waste-classes/background-agent.jsonl'), 'utf8')
      .split('\n')
      .filter(l => !l.includes('task-notification'))
    const at = lines.findIndex(l => l.includes('"uuid": "x7"'))
    const poll = (answer: string, error: boolean) => [
      JSON.stringify({
        type: 'assistant',
        uuid: 'xt1',
        parentUuid: 'x7',
        sessionId: 'sess-bg-0001',
        cwd: '/home/dev/app',
        version: '2.1.152',
        timestamp: '2026-05-27T09:02:05.000Z',
        requestId: 'req_toolu_bg_t',
        message: {
          model: 'claude-sonnet-4-5-20250929',
          id: 'msg_toolu_bg_t',
          type: 'message',
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'toolu_bg_t',
              name: 'TaskOutput',
              input: {task_id: 'a5d0c0ffee0000001', block: true, timeout: 30000},
            },
          ],
          usage: {input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 12000, cache_creation_input_tokens: 0},
        },
      }),
      JSON.stringify({
        type: 'user',
        uuid: 'xt2',
        parentUuid: 'xt1',
        sessionId: 'sess-bg-0001',
        cwd: '/home/dev/app',
        version: '2.1.152',
        timestamp: '2026-05-27T09:02:06.000Z',
        message: {
          role: 'user',
          content: [
            {tool_use_id: 'toolu_bg_t', type: 'tool_result', content: answer, ...(error ? {is_error: true} : {})},
          ],
        },
      }),
    ]
    const dir = mkdtempSync(join(tmpdir(), 'aco-bg-'))
    for (const [answer, error] of [
      [
        '<retrieval_status>success</retrieval_status>\n\n<task_id>a5d0c0ffee0000001</task_id>\n\n<task_type>local_agent</task_type>\n\n<status>completed</status>',
        false,
      ],
      ['<tool_use_error>No task found with ID: a5d0c0ffee0000001</tool_use_error>', true],
    ] as const) {
      const path = join(dir, 'polled.jsonl')
      writeFileSync(
        path,
        [...lines.slice(0, at + 1), ...poll(answer, error), ...lines.slice(at + 1)]
          .join('\n')
          .replace('"parentUuid": "x8"', '"parentUuid": "xt2"'),
      )
      const card = await readOne(path)
      flagCard(card)
      // 1 launches the agent; 2 and 3 while it works; 4 polls it and sees it ended; 5 after it, 6 the same as 5.
      expect(toolFlags(card), answer).toEqual({6: 'duplicate-call'})
    }
    rmSync(dir, {recursive: true, force: true})
  })

  it('without a notice, to the end of the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aco-bg-'))
    const path = join(dir, 'no-notice.jsonl')
    const lines = readFileSync(fixture('waste-classes/background-agent.jsonl'), 'utf8').split('\n')
    writeFileSync(path, lines.filter(l => !l.includes('task-notification')).join('\n'))
    const card = await readOne(path)
    flagCard(card)
    const tools = card.steps.filter(s => s.kind === 'tool')
    expect(tools[0]!.tool!.background).toEqual({})
    expect(tools.filter(s => s.flags?.length)).toEqual([])
    rmSync(dir, {recursive: true, force: true})
  })
})

describe('6b. a missing path looked for again', () => {
  it('is a failed repeat alone, not beside a path the look reaches all the same', async () => {
    const {flags} = await calls('missing-path-and-more.jsonl')
    // 1 finds lib/change.ex missing; 2 names it again beside lib/change/, which it searches (and finds a hit in); 3
    // names it alone again.
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe('4b. a range read past the end of a file', () => {
  it('prints nothing, as a look that told the length said; not after the file grew', async () => {
    const {tools, flags} = await calls('read-past-the-end.jsonl')
    // 1 prints all five lines of plan.md (fewer than the 200 asked); 2 asks for 200–400; 3 appends to it; 4 again.
    expect(tools[1]!.flags![0]!.reason).toMatch(/past its end: step 1 showed it has 5 lines/)
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('6c. a sandbox without network', () => {
  it('a retry outside the sandbox is no repeat of the call inside it', async () => {
    const {flags} = await calls('sandbox-without-network.jsonl')
    // 1 `git fetch` cannot resolve github.com; 2 the same, the same sandbox; 3 the same with the sandbox disabled (it
    // fails too, but under other conditions); 4 `git ls-remote`, another command (a host looked up again is not
    // judged by the host alone: a test run whose one test calls out fails on it too, after any fix; review 12).
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('4c. the Read that Claude Code’s Edit asks for', () => {
  it('is no re-read after a cat when the file is edited next; without the edit it is', async () => {
    const {flags} = await calls('read-before-edit.jsonl')
    // 1 cats settings.json; 2 Reads it, which Edit (3) needs of its own Read tool (Claude Code 2.1.63, as fresh46's
    // session: before 2.1.89 a `cat` is no read for its Edit, see 4k); 4 cats notes.md; 5 Reads it and nothing edits it.
    expect(flags).toEqual({5: 'reread-unchanged'})
  })
})

describe("5g. a failure's signature is its error, not a line pointing at documentation", () => {
  it('two scripts failing on different columns are two failures; the same script failing again the same way is one', async () => {
    const {flags} = await calls('failures-with-docs-pointer.jsonl')
    // Each output ends in SQLAlchemy's `(Background on this error at: https://sqlalche.me/e/20/gkpj)`, the same for
    // every IntegrityError. 2 sets the column 1 left empty and meets another (job_offers.url): a fix that took. 3 runs
    // 2's script again and fails on job_offers.url as 2 did.
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe('5h. a Read of a file the agent wrote whole, once the session met Claude Code\'s "File has not been read yet"', () => {
  it('is a re-read when that refusal was of a file the tools never wrote; demanded once they refused a file they wrote', async () => {
    // 2's Write of a file that existed, never read, was refused; 5 reads back what 1 wrote whole before 6 edits it:
    // the tools count their own write as a read.
    expect((await calls('read-after-own-write-once-read-first.jsonl')).flags).toEqual({5: 'reread-unchanged'})
    // 2's Edit of the file 1 wrote was refused for want of a Read: here the tools do not count their writes (an older
    // Claude Code), so 6's Read of what 5 wrote, before 7 edits it, was asked for.
    expect((await calls('read-after-own-write-tools-ask.jsonl')).flags).toEqual({})
  })
})

describe('6b. a path with ( left unquoted, met again however the shell reports it', () => {
  it("zsh's `no matches found` and `unknown sort specifier` are one mistake; under a Command header of many lines", async () => {
    const {flags} = await calls('codex-zsh-parentheses-forms.jsonl')
    // 1 loops over files, one of them under app/(protected)/: zsh finds no match for it (its header echoes the loop's
    // six lines). 2 searches app/(protected) unquoted: zsh reads the group as glob qualifiers. 3 quotes it.
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('3e. a background shell killed again', () => {
  it('is a duplicate: the earlier kill reported it done; a first kill of a shell that had ended is not', async () => {
    const {flags} = await calls('kill-shell-again.jsonl')
    // 3 kills 1's shell. 4 kills 2's, which had ended by itself: the first word on it. 5 kills 1's again.
    expect(flags).toEqual({5: 'duplicate-call'})
  })
})

describe('3f. a skill invoked again', () => {
  it('loads instructions the agent follows again (another round asked for): no duplicate of the first call', async () => {
    const {flags} = await calls('skill-invoked-again.jsonl')
    expect(flags).toEqual({})
  })
})

describe('1i. a change made outside the session, shown by a search or a refusal', () => {
  it("the agent's write of the same content again after it is no duplicate; with nothing to show one, it is", async () => {
    const {flags} = await calls('changed-outside-the-session.jsonl')
    // 3 finds MutableLiveData in LoginViewModel.kt, whose whole content 1 wrote without it: someone changed it (a person
    // reverting it). 4 writes 1's content again: no duplicate. 5 writes 2's content again: nothing showed that file
    // changed. 6's Edit is refused as the file changed since the tools saw it: 7 writing it again is no duplicate.
    expect(flags).toEqual({5: 'duplicate-call'})
  })
})

describe('3g. an edit sent again after it applied', () => {
  it('fails to find its text, which it had replaced: a duplicate; not after another write brought the text back', async () => {
    const {flags} = await calls('edit-sent-again.jsonl')
    // 3 sends 1's edit again: "String to replace not found". 6 sends 4's edit after 5 wrote the old text back: it applies.
    expect(flags).toEqual({3: 'duplicate-call'})
  })
})

describe('4p. a change an opaque command made, shown in one folder', () => {
  it("taints reads of that folder's files, not a read elsewhere that reads as written", async () => {
    const {flags} = await calls('change-shown-in-another-folder.jsonl')
    // 4 runs train.py (aco cannot read it); 5 shows models/meta.json changed. 6 reads back src/util.py, which 1 wrote
    // whole, reading as written: a re-read (fresh52 +4, fresh8 +2, fresh42 +1). Not 7: models/config.json reads the
    // same, but the run rewrote a file beside it, so the agent could not know this one was unchanged.
    expect(flags).toEqual({6: 'reread-unchanged (read the same)'})
  })
})

describe("4q. a change an opaque command made in the project's own folder", () => {
  it('taints reads of the files beside it, not of every file below it (fresh28: `npx expo lint` installed eslint)', async () => {
    const {flags} = await calls('change-shown-at-the-project-root.jsonl')
    // 4 runs `npx expo lint` (aco cannot read it); 5 shows package.json, in the session's own folder, changed. 6 reads
    // back src/util.js, which 1 wrote whole, reading as written: a re-read (fresh28 #122, #129: a lint that installed
    // eslint had held every re-read of the session's sources after it). Not 7: tsconfig.json reads the same, but the
    // run rewrote a file beside it, so the agent could not know this one was unchanged.
    expect(flags).toEqual({6: 'reread-unchanged (read the same)'})
  })
})

describe('6m. no network in the sandbox, met again by another command', () => {
  it('fails the same way whatever changed in between, once a call escalated out of the sandbox went through', async () => {
    const {flags} = await calls('no-network-in-the-sandbox.jsonl')
    // 1 `git fetch` cannot resolve github.com; 2 runs it escalated, and it goes through: the sandbox was why. 3 `git
    // ls-remote … | grep … || true` (git's fatal abort under an exit code of 0) meets the same wall unescalated (fresh64
    // #4, fresh36, fresh16, fresh55, fresh48 ×4); 5 `curl` of another host, another tool, too. Not 2 or 4, escalated;
    // nor 7, the push after the agent's patch at the next turn, in which nothing escalated went through before it (review
    // 15: a person may have opened the network and asked for a commit and a push), nor 9, the push opening the turn in
    // which the person said they had let the host through (review 12's P2).
    expect(flags).toEqual({3: 'failed-repeat', 5: 'failed-repeat'})
  })
})

describe('6n. no network in the sandbox, on record', () => {
  it('the same host failing again at a later turn, the sandbox recorded without a network at both: no escalation needed', async () => {
    const {flags} = await calls('no-network-on-record.jsonl')
    // Codex 0.100 records each turn's sandbox_policy (network_access false). 1 `cargo run` cannot resolve
    // index.crates.io; 2 edits a file; 3 `cargo test` at the next turn meets the same host, the sandbox the same (fresh106
    // #85). Not 4, `pip install` of another host (fresh76 #101: its labeller took it for a first try); nor 5, with full
    // access (a real outage), nor 6, in a sandbox the person gave a network.
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe('6o. double quotes lost on the way into a program, Codex on Windows', () => {
  it("PowerShell's string left open where the command closes it, and Python's code cut at a quote: the same mistake again", async () => {
    const {flags} = await calls('powershell-quotes-lost.jsonl')
    // Codex 0.46's `shell` runs powershell -Command. 1 `python -c '…print("python", …)'`: Windows PowerShell passed the
    // quote to python unescaped, which echoes its code cut there (`import sys; print(`); 2 the same way of quoting
    // (fresh72 #15, #33). 3 `python -c "…"`: its quotes reached PowerShell as \", a string left open; 4 again (fresh72
    // #35, #47). Not 5, a here-string with text on its opening line (its own mistake, fresh44 #254), nor 6, code that
    // is wrong as written (`print(1`).
    expect(flags).toEqual({2: 'failed-repeat', 4: 'failed-repeat'})
  })
})

describe('4r. a range read whose first blank line the harness trimmed', () => {
  it('places its lines one lower, where they agree with what an earlier read showed; not where they differ', async () => {
    const {flags} = await calls('range-read-leading-blank-trimmed.jsonl')
    // Claude Code's Bash trims an output's both ends. 1 prints lines 163–190 of routes.ts. 2 asks for 160–176: line 160
    // is blank, so its output starts at line 161, and aco placed every line one too high, where it disagreed with 1
    // (fresh96 #37). Placed one lower, 14 of its 17 lines are 1's. 3 asks for 160–177 and shows other text at 165,
    // 166 and 170 under any placement: the file changed where aco could not see, and nothing is called unchanged.
    expect(flags).toEqual({2: 'near-duplicate'})
  })
})

describe('5h. a listing of a folder inside a tree a find of its files printed', () => {
  it('shows only what that find told (its folders too, on the paths it printed); not an empty folder, nor ls -a after ls', async () => {
    const {flags} = await calls('listing-after-find-of-files.jsonl')
    // 1 `find booking-service -maxdepth 3 -type f`; 2 edits a model under it (no entry of build/). 3 `ls
    // booking-service/build` shows db (a folder the find's paths went through), docker-compose.yaml, Dockerfile; 4 `ls
    // -a` of it also .local.env, which the find showed too (fresh107 #229-#244, fresh59 #59). Not 5, which shows logs,
    // a folder the find showed no file in (it may be empty, as it was); nor 7, `ls -a` after 6's `ls` of the same
    // folder, which asked for dotfiles 6 could not show (fresh15 #20).
    expect(flags).toEqual({3: 'near-duplicate', 4: 'near-duplicate'})
  })
})

describe('3h. processes ended again', () => {
  it('after a call left one running is another kill; with nothing started since, the same', async () => {
    const {flags} = await calls('kill-after-a-server-started.jsonl')
    // 1 `pkill -f "next dev"`; 2 starts the dev server in the background (`(npm run dev > log 2>&1 &)`); 3 the same pkill
    // ends it (fresh108 #140, #168: flagged as a duplicate of 1, nothing it depends on having changed); 4 again, with
    // nothing started since.
    expect(flags).toEqual({4: 'duplicate-call'})
  })
})

describe("6p. zsh's parse error, met again", () => {
  it('is the same mistake in how the line is written (near the same token); another token is another mistake', async () => {
    const {flags} = await calls('zsh-parse-error-again.jsonl')
    // Codex's zsh refuses a python heredoc (`zsh:6: parse error near \`\\n'`): 1 with python, 2 with python3, which
    // cannot mend a shell's parse error (fresh108 #89, #116, #128, #146). Not 3, near another token.
    expect(flags).toEqual({2: 'failed-repeat'})
  })
})

describe('4s. a person saying they added something to a file', () => {
  it('told of a change: the read after it is no re-read (review 49: `added`, `inserted`, `fixed`, `cleaned up`)', async () => {
    const {flags} = await calls('person-says-added.jsonl')
    // 1 cats app.py; the person: "I added an import at the top of app.py, check the file"; 2 cats it again.
    expect(flags).toEqual({})
  })
})

describe("6q. OpenHands' file editor refusing, and its bash busy or waiting", () => {
  it('an old string not found again, a line left open again, a command sent to a busy shell again: the same failures', async () => {
    const {flags} = await calls('openhands-editor-refusals-and-busy-shell.json')
    // 1 str_replace: "ERROR: No replacement was performed, old_str … did not appear verbatim" (told as an edit, read as
    // success before); 2 again with that line and one more. 3 `git commit -am "…` with a line the shell leaves open:
    // it echoes the first lines and waits; 4 `git status` sent meanwhile is not executed (the bash tool's note, kept
    // now); 5 Ctrl-C. 6 the same open commit (fresh109 #102-#116); 7 another command sent to the waiting shell
    // (fresh109 #105-#117). Not 9, the commit written whole.
    expect(flags).toEqual({2: 'failed-repeat', 6: 'failed-repeat', 7: 'failed-repeat'})
  })
})

describe('5e. a listing that shows an entry gone', () => {
  it('is no narrower look at an unchanged folder: the folder changed where aco could not see', async () => {
    const {flags} = await calls('listing-shows-an-entry-gone.jsonl')
    // 2: `ls` after `ls -a` showed the same entries (its dotfiles aside). Not 3: `ls` at the person's next turn, without
    // arguments/, which they moved away between turns (fresh66 #50), nor 4, `ls -a` showing the same.
    expect(flags).toEqual({2: 'duplicate-call'})
  })
})

describe('5f. hits printed with their line numbers after a search that printed none', () => {
  it('tells what no look told (the numbers): no narrower search; one without numbers is', async () => {
    const {flags} = await calls('line-numbers-no-look-told.jsonl')
    // Not 2: `rg -n chromadb rag.py` after `rg chromadb --glob "*.py"` printed its lines without numbers (fresh67 ×9,
    // fresh47 #100: the numbers a citation or a sed range uses). 3: `rg chromadb tests/test_rag.py`, a narrower search
    // printing only what 1 printed. 4: 2 again.
    expect(flags).toEqual({3: 'near-duplicate', 4: 'duplicate-call'})
  })
})

describe('4q. PowerShell: backtick escapes, and Get-Content -Raw through Select-Object', () => {
  it('`Write-Output "`n---`n"` prints a separator (no command substitution); `-Raw | Select-Object -First N` is the whole file', async () => {
    const {flags} = await calls('powershell-escapes-and-raw.jsonl')
    // 2: main.js, which 1 printed whole (`Get-Content -Raw … | Select-Object -First 200`: one object, the whole text),
    // its separators PowerShell's escapes, not a command aco cannot read (fresh68 #34). Not 3: `-Skip 1` of one object
    // prints nothing.
    expect(flags).toEqual({2: 'reread-unchanged'})
  })
})

describe('5g. a path listed that is not there, after its folder was listed', () => {
  it('asked whether the folder holds it, which the listing told; not a dotfile `ls` without `-a` does not show', async () => {
    const {flags} = await calls('listed-path-not-there.jsonl')
    // 2: `ls .specify/templates/commands` after `ls .specify/templates` showed no commands (fresh64 #48, fresh66 #12,
    // #148, fresh67 #6, fresh7, fresh54; fresh16 and fresh42's three, labelled so after a blind second reading). Not 3:
    // `.hidden`, which that listing could not show. 5: `notes`, still not there after 4 made `commands`.
    expect(flags).toEqual({2: 'near-duplicate', 5: 'near-duplicate'})
  })
})

describe('5h. outputs the harness cut, placed by the length it states', () => {
  it('places a cut read\'s tail by Codex\'s "Total output lines", and takes no cut search as holding every hit', async () => {
    const {flags} = await calls('cut-outputs-placed.jsonl')
    // 1 (`cat`, 600 lines) showed 1–128 and 473–600; 2 (`sed -n 20,300p`) 20–147 and 173–300: not mostly shown (its
    // tail is new; fresh25 #35 had been flagged for its head alone). 3 (480–560) lies in 1's tail, 4 (180–290) in 2's
    // (fresh8 #72, fresh25 #45). Not 6: `rg chrome-mcp -g '*.md'` after an `rg chrome` Codex cut (273 of 300 lines
    // left out): the hits it did not show may be the later search's (fresh63 #15).
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })
})

describe('5i. an empty folder a listing of files could not show', () => {
  it('`ls tech` printing nothing after `rg --files` tells the folder is there, empty: news', async () => {
    const {flags} = await calls('empty-folder-after-files-listing.jsonl')
    // Not 2 (fresh22 #11): `rg --files` lists files, never an empty folder. 3: `ls src`, whose files it listed.
    expect(flags).toEqual({3: 'near-duplicate'})
  })
})

describe('6k. Windows PowerShell refusing how a line is written', () => {
  it('`||` and a quoted `|` its quotes lost are mistakes made again; a parse error is a failure whatever the exit code', async () => {
    const {flags} = await calls('windows-powershell-parse-errors.jsonl')
    // 2: `||` again, which Windows PowerShell does not have (fresh72 #40 after #1). 4: a pattern's `|` taken for a pipe
    // again, the word after it "not recognized" (fresh72 #42, #112, #113). Not 5: the search written plainly. 7: a line
    // PowerShell could not parse ("The string is missing the terminator") under exit code 0, run again: a failure
    // repeated, not a duplicate of a success (fresh72 #32, #35).
    expect(flags).toEqual({2: 'failed-repeat', 4: 'failed-repeat', 7: 'failed-repeat'})
  })
})

describe('3f. syntax checks of named files', () => {
  it('`bash -n` runs nothing; a byte-compile of the same files from another folder is the same run', async () => {
    const {flags} = await calls('syntax-checks-from-anywhere.jsonl')
    // 4: `cd app && python3 -m py_compile main.py util.py` after the same files were compiled from the project's folder
    // (fresh50 #107's shape). 5: `bash -n deploy.sh` again. 6: app/main.py read again: `bash -n` wrote nothing (fresh39
    // #35, #58, #62, fresh26 #303 were missed when it was taken for a run of the script).
    expect(flags).toEqual({4: 'duplicate-call', 5: 'duplicate-call', 6: 'reread-unchanged'})
  })
})

describe('6l. Windows commands run from Git Bash', () => {
  it('`cmd /c` that printed only its banner, and PowerShell whose `$names` bash expanded, failed: made again, repeats', async () => {
    const {flags} = await calls('windows-commands-from-git-bash.jsonl')
    // 1, 2: `cmd /c "…"` printed cmd's banner and prompt (Git Bash turned `/c` into a path; cmd ran nothing): 2 the same
    // mistake again (fresh52 #20, #51). 3, 4: `powershell -Command "…$_…"` / `"$key = …"`: bash expanded `$_` and `$key`
    // before PowerShell ran the script, which failed (CommandNotFoundException, exit code unrecorded): 4 the same mistake
    // (fresh52 #25, #32, #41, #65, #73). Not 5: the script in single quotes, which bash leaves alone.
    expect(flags).toEqual({2: 'failed-repeat', 4: 'failed-repeat'})
  })
})

describe('6m. a line bash could not parse ran nothing', () => {
  it("reads bash's syntax error after Codex's sandbox words, numbered line 0 by bash 3.2", async () => {
    const {flags} = await calls('syntax-error-ran-nothing.jsonl')
    // 3: `sed -n … app/(tasks)/page.tsx` stopped at the unquoted `(` ("stderr: bash: -c: line 0: syntax error near
    // unexpected token"): nothing ran, so nothing was written. 4: `ls app/tests` after `ls app` listed no tests (it
    // had been taken for a folder 3 may have written: fresh54 #41, #80, #101). 5: the layout read again.
    expect(flags).toEqual({4: 'near-duplicate', 5: 'reread-unchanged'})
  })
})

describe('5j. a person who says files changed, or asks to look again', () => {
  it('a re-read at the turn of `please rescan … as the config has changed` is asked for; later ones are re-reads', async () => {
    const {flags} = await calls('person-says-it-changed.jsonl')
    // Not 2: the prompt said the config changed and asked for a rescan (fresh78 #24, #25, #29, #30). 3: the next turn
    // asks a question, nothing changed: a re-read. 4: a long prompt (a pasted report that says "has changed") is no
    // person's word about the files: a re-read.
    expect(flags).toEqual({3: 'reread-unchanged', 4: 'reread-unchanged'})
  })
})

describe('1i. a file that came back shorter changed', () => {
  it('a whole read ending before lines an earlier whole read showed is no re-read; the next one, the same, is', async () => {
    const {flags} = await calls('file-came-back-shorter.jsonl')
    // Not 2: value.py read whole again after the person's clean-up between turns ("take a look at my clean-up"): it
    // ends at line 11, where the first read showed a class at 13-15 (fresh79 #9). 3: read again, unchanged since 2.
    expect(flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('5g. Claude Code Globs through named folders', () => {
  it('`src/**/checkout/**/*.tsx` looks only in folders of that name: another folder is another search', async () => {
    const {flags} = await calls('globs-through-folders.jsonl')
    // 4: src/features/sign-in, every folder of which 1's `src/**/sign-in*/**` matched; 5: src/pages-layer/**/sign-in*,
    // a narrower pattern of 1's. Not 3 (checkout, not 2's cart*), nor 7 (app/(shop), not 6's cart* folders).
    expect(flags).toEqual({4: 'near-duplicate', 5: 'near-duplicate'})
  })

  it('an absolute pattern looks from its own root; a last `**` takes in every folder below', () => {
    const glob = (input: Record<string, string>) => {
      const step = {index: 0, id: 's', kind: 'tool', tool: {callId: 'c', name: 'Glob', arguments: input, argsHash: ''}}
      const s = classify(step as Step, {cwd: '/home/dev/shop'}).searches[0]!
      return {scopes: s.scopes, names: s.names, filters: s.filters}
    }
    expect(glob({pattern: '/home/dev/shop/src/**/checkout/*.tsx'})).toEqual({
      scopes: ['/home/dev/shop/src'],
      names: ['*.tsx'],
      filters: ['dir-glob:/home/dev/shop/src/**/checkout'],
    })
    expect(glob({pattern: '**/node_modules/**'})).toEqual({
      scopes: ['/home/dev/shop'],
      names: [],
      filters: ['dir-glob:/home/dev/shop/**/node_modules/**'],
    })
    expect(glob({pattern: '**/*.ts', path: '/home/dev/shop/src'})).toEqual({
      scopes: ['/home/dev/shop/src'],
      names: ['*.ts'],
      filters: [],
    })
  })
})

describe('5h. a question to the person', () => {
  it("Codex's request_user_input asks, and writes nothing: a listing after the answer is the same listing", async () => {
    const {flags} = await calls('question-to-the-person.jsonl')
    // 3: `rg --files` again after 2 asked which backend to use. Not 5 (4 made config.py).
    expect(flags).toEqual({3: 'duplicate-call'})
  })
})

describe('5i. files a person asks to see', () => {
  it("are read for the person (`let's see all the final files`); a Read's lines are read past Claude Code's reminder", async () => {
    const {flags} = await calls('show-me-the-files.jsonl')
    // 4: Position.java, written whole by 2, read again after a compile (3) with nothing asked ("no need to show me the
    // code"): its lines read as written, the reminder Claude Code appends after them no line of the file. Not 5 and 6,
    // read when the person asked to see the files.
    expect(flags).toEqual({4: 'reread-unchanged (read the same)'})
  })
})

describe('5j. a command that names a file in its description only', () => {
  it('`"description": "Test init_agent.py script"` is no sign the script rewrote itself: a read after its run reads as written', async () => {
    const {flags} = await calls('described-by-name.jsonl')
    // 3: lines 1–12 of the script 1 wrote whole, after 2 ran it through python3 (the call's description names it).
    expect(flags).toEqual({3: 'reread-unchanged (read the same)'})
  })
})

describe('6k. a sandbox that could not start', () => {
  it('fails every command the same way until a command runs in it again: then a failure of it is new', async () => {
    const {flags} = await calls('sandbox-started-again.jsonl')
    // 2: bwrap failed again, as at 1. Not 4: 3 ran in the sandbox after the person mended it.
    expect(flags).toEqual({2: 'failed-repeat'})
  })

  it("Codex's sandbox on Windows ('setup refresh failed'): another command in it fails so, in the person's turn", async () => {
    const {flags} = await calls('codex-windows-sandbox-not-starting.jsonl')
    // 3: after 1 in the same folder, only a call let out of the sandbox ran (fresh267 #80). Not 5: 4 ran in the sandbox;
    // not 6: the person's next turn (fresh267 #74, asked for by the person, is no repeat). (codex-never-started's 2 and
    // 7 fail in tests/ after backend/ failed: another folder, where it may start; its 5 follows a declined escalation.)
    expect(flags).toEqual({3: 'failed-repeat'})
  })
})

describe('5j. a git question an earlier one answered', () => {
  it('the status again in another form, the names a status listed, a status of fewer paths; not after a change, a person, or of untracked files', async () => {
    const {flags, tools} = await calls('git-answers.jsonl')
    // 2: `--porcelain` after `-sb`. 3, 4: the work tree's and the index's names 1 showed. 5: the status of src/. 6: a
    // diff of a file 1 showed untracked (that asks what git tracks). 7: `HEAD` names a file 1 did not show. 9, 10:
    // after the patch of src/c.py (8). 11: `-sb` after the long form (10), the same files and branch. 12: the diff of a
    // file 11 showed unchanged, empty. 13: `--short` after `-sb`. 14: at a person's turn. 16, 17: the names, and the
    // status, that a `git commit` with nothing staged printed as it failed (15); not vendor/lib, whose only change is
    // files untracked inside it, which no diff shows.
    expect(flags).toEqual({
      2: 'duplicate-call',
      3: 'near-duplicate',
      4: 'near-duplicate',
      5: 'near-duplicate',
      11: 'duplicate-call',
      12: 'near-duplicate',
      13: 'duplicate-call',
      16: 'near-duplicate',
      17: 'duplicate-call',
    })
    expect(tools[16]!.flags![0]!.reason).toMatch(
      /^asks git for the status step \d+ printed when its commit found nothing staged/,
    )
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^asks git what step \d+ asked \(exec_command git status -sb\), in another form/,
    )
    expect(tools[11]!.flags![0]!.reason).toMatch(/it showed no change to these files, so this could only print nothing/)
  })
})

describe('5j. a git question in a folder below the repository root', () => {
  it('a write outside the folder changes a whole status; paths from the root are not matched with paths asked of; a cut status tells nothing', async () => {
    const {flags} = await calls('git-answers-subfolder.jsonl')
    // 3: after a write to ../README.md (2). 4: the porcelain form prints paths from the root. 5: a diff of a file 3
    // showed untracked. 6: the folder's part of 3. 7: the names the porcelain status (4) listed, both from the root.
    // 8: 7's names. 11: an empty diff after `git add -A` (9), which only a status cut by `| head -1` (10) followed.
    // 14: the status of 12 again, the same, but after a write outside the folder (13), which git may well show.
    expect(flags).toEqual({6: 'near-duplicate', 7: 'near-duplicate', 8: 'near-duplicate'})
  })
})

describe('5k. a look whose output an earlier call printed', () => {
  it('is a duplicate when the earlier output could only foretell it, long enough to be no coincidence, nothing changed since, in the same turn', async () => {
    const {flags, tools} = await calls('same-output-looks.jsonl')
    // 2: `git status` printing what `git --no-pager status` (1) did. 4: an exact repeat (the plain rule). 5: `ok` again
    // is no answer in hand. 7: another folder listed alike (6), which is news. 9: after the person was asked something
    // (8). 11: after a patch (10). 12: at a person's turn.
    expect(flags).toEqual({2: 'duplicate-call', 4: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(
      /^prints exactly what step \d+ printed \(exec_command git --no-pager status\)/,
    )
  })
})

describe('2e. what a harness or a line itself says of a repeat', () => {
  it("Claude Code's notice that a Read's file is unchanged since the last Read (2.1.15x's words), a day later", async () => {
    const {flags, tools} = await calls('read-stub-next-day.jsonl')
    // 2: the tool itself answered that MEMORY.md is unchanged since 1 read it, across the night the session sat idle.
    expect(flags).toEqual({2: 'reread-unchanged'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/the tool answered that it is unchanged since step \d+ read it$/)
  })

  it('a line that installs, before what fails, a package the failure names tries a fix', async () => {
    const {flags} = await calls('install-named-package-first.jsonl')
    // 3 upgrades kagglehub, which the ImportError does not name: the same failure. 4 upgrades kagglesdk, which it names.
    expect(flags).toEqual({3: 'failed-repeat'})
    // Not an install that found nothing to install (`pip install torchvision==0.99.0`: "No matching distribution"),
    // nor a name the failure holds as a word of its text (`requests` in "HTTP Error 429: Too Many Requests").
    expect((await calls('install-named-failed.jsonl')).flags).toEqual({2: 'failed-repeat', 3: 'failed-repeat'})
    expect((await calls('install-word-in-error.jsonl')).flags).toEqual({2: 'failed-repeat'})
  })
})

describe("4k. Claude Code's Edit counts a Bash view of the file as its read (2.1.89 on)", () => {
  it('a Read before an Edit is no demand of the tool after `sed -n` showed the lines, from the version that counts it', async () => {
    // 1 prints config.py's lines 1-40 with `sed -n`; 2 Reads lines 10-17 again; 3 edits line 12. From Claude Code 2.1.89
    // its Edit takes a `cat` or `sed -n 'X,Yp'` of the file as the read it asks for (from 2.1.144 `head` and `tail`).
    expect((await calls('claude-code-sed-view-counts-as-read.jsonl')).flags).toEqual({2: 'reread-unchanged'})
    expect((await calls('claude-code-head-view-2.1.150.jsonl')).flags).toEqual({2: 'reread-unchanged'})
    // Before those versions, and for a view the tool does not count (a redirect), the Read is the price of the edit.
    expect((await calls('claude-code-sed-view-before-2.1.89.jsonl')).flags).toEqual({})
    expect((await calls('claude-code-head-view-2.1.120.jsonl')).flags).toEqual({})
    expect((await calls('claude-code-redirected-view-then-read.jsonl')).flags).toEqual({})
    // A session begun under 2.1.85 and resumed under 2.1.92: its early calls ran under the older version.
    const resumed = await calls('claude-code-cat-view-resumed-after-update.jsonl')
    expect(resumed.card.source).toMatchObject({toolVersion: '2.1.92', toolVersionFirst: '2.1.85'})
    expect(resumed.flags).toEqual({})
  })
})

describe("4l. a line's own `echo` above the file's lines", () => {
  it('is no line of the file: `echo "=== config ===" && sed -n 1,40p f` shows lines 1-40, and a Read of 10-17 re-reads them', async () => {
    expect((await calls('echo-label-then-sed-then-read.jsonl')).flags).toEqual({2: 'reread-unchanged'})
    // An echo whose text aco cannot know (an expansion) is not taken off: the lines are not placed by their position.
    expect((await calls('echo-expanded-then-sed-then-read.jsonl')).flags).toEqual({})
  })
})

describe('4m. what a shell command Claude Code ran in the background writes (review 46)', () => {
  it('is written while it runs: its log tailed twice is no re-read until the harness or a call says it stopped', async () => {
    // 1 runs `python worker.py > logs/worker.log 2>&1` with run_in_background; 2-4 tail the log (3 after a sleep).
    expect((await calls('claude-code-background-redirect-log-tail.jsonl')).flags).toEqual({})
    expect((await calls('claude-code-background-redirect-log-read.jsonl')).flags).toEqual({})
    // Its log a temporary file (`npm run dev > /tmp/worker.log 2>&1`): the same.
    expect((await calls('claude-code-background-temp-log-tail.jsonl')).flags).toEqual({})
    // Stopped by TaskStop (2): the log is written no more, and the second tail (4) re-reads it.
    expect((await calls('claude-code-background-log-tail-after-taskstop.jsonl')).flags).toEqual({4: 'reread-unchanged'})
  })
})

describe("4n. Claude Code's microcompaction (a microcompact_boundary record)", () => {
  it('takes the results it lists out of the context: a file read again after it is no re-read', async () => {
    // 1 reads io.py; a microcompact_boundary lists 1's call among those it cleared; 3 reads io.py again. (Taken as a
    // compaction whole: a re-read of a result it kept is not called one either.)
    expect((await calls('claude-code-microcompact-reread.jsonl')).flags).toEqual({})
  })
})

describe('5i. a probe of what is on its way, failing as not there yet (review 46)', () => {
  it('is a poll, with no sleep before it: pending checks, a waiting rollout, a server or container the session started', async () => {
    // 1 and 2 are the same probe failing the same way; newer Claude Code refuses `sleep 45 && gh pr checks`, so the
    // wait is the time between the calls alone.
    for (const name of [
      'poll-gh-checks-pending.jsonl', // `gh pr checks 412`: lint and test pending, two minutes apart
      'poll-kubectl-rollout-waiting.jsonl', // `kubectl rollout status` timed out waiting, after `kubectl set image`
    ])
      expect((await calls(name)).flags, name).toEqual({})
    for (const name of [
      'poll-curl-background-server-starting.jsonl', // curl refused while uvicorn, run in the background, starts
      'poll-pg-isready-after-compose-up.jsonl', // pg_isready "no response" after `docker compose up -d db`
      'poll-codex-curl-dev-session-running.jsonl', // Codex: curl refused while `npm run dev` runs in its session
    ])
      expect((await calls(name)).flags, name).toEqual({})
  })

  it('fails the same way where nothing is on its way: the error is final, or nothing was started', async () => {
    expect((await calls('poll-gh-checks-no-pr.jsonl')).flags).toEqual({2: 'failed-repeat'})
    expect((await calls('poll-kubectl-rollout-not-found.jsonl')).flags).toEqual({2: 'failed-repeat'})
    expect((await calls('poll-curl-nothing-started.jsonl')).flags).toEqual({2: 'failed-repeat'})
    expect((await calls('poll-pg-isready-nothing-started.jsonl')).flags).toEqual({2: 'failed-repeat'})
    expect((await calls('poll-codex-curl-nothing-started.jsonl')).flags).toEqual({2: 'failed-repeat'})
  })
})

describe('4o. a Read of what the agent wrote whole that shows other lines (review 46)', () => {
  it('is no read-back: a formatter (a hook) or a write aco did not see changed the file since', async () => {
    // 1 writes src/user.ts with single quotes and no semicolons; 2 Reads it back double-quoted, with semicolons.
    expect((await calls('read-after-write-shows-other-lines.jsonl')).flags).toEqual({})
    // The same Read showing exactly what 1 wrote reads back what the agent had.
    expect((await calls('read-after-write-shows-what-it-wrote.jsonl')).flags).toEqual({2: 'reread-unchanged'})
  })
})

describe("1x. Codex's view_image shows the file at its path (review 46)", () => {
  it('is no duplicate after a screenshot wrote the file again; twice with nothing written between, it is', async () => {
    // 1 `npx playwright screenshot URL /tmp/home.png`; 2 view_image it; 3 a narrower screenshot into the same file; 4
    // view_image again. Its answer is always "attached local image path": the image is what changed.
    expect((await calls('codex-view-image-after-screenshot.jsonl')).flags).toEqual({})
    expect((await calls('codex-view-image-twice.jsonl')).flags).toEqual({3: 'duplicate-call'})
  })
})

describe('2f. the same web lookup twice in one model response (Codex web_search_call, WebFetch)', () => {
  it('is a duplicate right after itself; not after a find in the page, nor in the next response', async () => {
    // One response: 1 searches, 2 and 3 open two pages, 4 opens 3's page again (a duplicate); 5 finds a pattern in it,
    // 6 opens it again, which may open at the line found. A rollout records no web result: the request is the evidence.
    expect((await calls('codex-web-page-opened-twice-in-one-response.jsonl')).flags).toEqual({4: 'duplicate-call'})
    // The page again in the next response: asked after what the first answered, and the web may have moved.
    expect((await calls('codex-web-page-opened-again-next-response.jsonl')).flags).toEqual({})
    // Three times in a row: the second and the third.
    expect((await calls('codex-web-page-opened-three-times.jsonl')).flags).toEqual({
      2: 'duplicate-call',
      3: 'duplicate-call',
    })
  })
})

describe('4p. a Codex command still running when its call returned, no poll having seen it end (review 46)', () => {
  it('goes on writing its log: the log tailed twice is no re-read; after a poll saw it exit, it is', async () => {
    // 1 starts `python worker.py > /tmp/worker.log 2>&1` ("Process running with session ID"); 2 and 3 tail the log.
    expect((await calls('codex-running-session-log-tail.jsonl')).flags).toEqual({})
    // `docker logs -f web > /tmp/worker.log 2>&1`, its only write a temporary file: the same.
    expect((await calls('codex-running-session-temp-log-tail.jsonl')).flags).toEqual({})
    // A write_stdin showed it exit (130): the log is written no more, and the second tail re-reads it.
    expect((await calls('codex-exited-session-log-tail.jsonl')).flags).toEqual({4: 'reread-unchanged'})
  })
})

describe('5j. a command filtered again after a head that cut nothing', () => {
  it('`git diff | wc -l` after `git diff | head -200` printed all 7 lines is a duplicate; not after a head that may have cut, nor across an edit', async () => {
    const {flags, tools} = await calls('head-cut-nothing.jsonl')
    // 2: 1 printed the whole diff (7 lines, fewer than 200). Not 4: `git log | head -3` printed 3 lines, so it may have
    // cut, and the count tells more. Not 6 (after the Edit 5). 7 and 8 filter what 6 printed whole (8 after 7, another
    // filter of it: 6 still tells).
    expect(flags).toEqual({2: 'duplicate-call', 7: 'duplicate-call', 8: 'duplicate-call'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^filters what step \d+ printed whole/)
    expect(tools[7]!.flags![0]!.evidence).toEqual([tools[5]!.id])
  })
})

describe("4q. a grep's context lines read by grep's numbering, a log's dates after the dash", () => {
  it('`sed -n 10,15p` after `grep -n -C 2` printed lines 10-14 of the log (`10-2026-03-01T…`) reads mostly shown lines', async () => {
    // 2: five of its six lines were grep's context of line 12. Not 3 (lines 20-26 were never printed).
    expect((await calls('grep-context-dated.jsonl')).flags).toEqual({2: 'near-duplicate'})
  })
})

describe('4r. the same lines shown again: the latest look is the evidence', () => {
  it('after an Edit that found no text, the lines a plain read showed since the last write still stand', async () => {
    const {flags, tools} = await calls('reread-latest-look.jsonl')
    // 2 reads the lines 1's snippet showed. 3 is an Edit that found no text: a snippet is no evidence after it (a hook
    // may reformat the file), but 2's plain read of the same lines is, and 4 shows them again. 5 again: 4 is its
    // evidence, the look the agent saw last.
    expect(flags).toEqual({2: 'reread-unchanged', 4: 'reread-unchanged', 5: 'reread-unchanged'})
    expect(tools[3]!.flags![0]!.evidence).toEqual([tools[1]!.id])
    expect(tools[4]!.flags![0]!.evidence).toEqual([tools[3]!.id])
  })
})

describe("4s. a shell that trims its output's ends: the first line's indentation and trailing blanks are not the file's", () => {
  it('`sed -n 12,16p` after a Read of the whole file is a re-read; after a formatter that re-indented a line, not', async () => {
    // 2: Claude Code's Bash (as OpenHands') trims the output, so its first line lost the file's indentation, and line 13
    // its trailing blank: still the lines 1 showed. Not 4: format.sh (which aco cannot read) re-indented line 13.
    expect((await calls('shell-trims-output-ends.jsonl')).flags).toEqual({2: 'reread-unchanged'})
  })
})

describe('2g. Claude Code\'s Write refused a file "not read yet": only its own Read answers that', () => {
  it('the Write again after `git checkout -- f && cat f` fails the same way; after a Read, it goes through', async () => {
    const {flags, tools} = await calls('write-not-read-cat.jsonl')
    // 3: 2 showed the file with cat (and restored it): no Read of Claude Code's, which its Write asks for. Not 5 (a Read
    // at 4) nor 8 (another file, read at 7).
    expect(flags).toEqual({3: 'failed-repeat'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/without a Read of it in between/)
  })
})

describe('4t. an Edit whose old text is the whole file the session last showed writes the file whole', () => {
  it('a Read right after it reads back what the Edit wrote; after an Edit of one line, the file changed', async () => {
    const {flags, tools} = await calls('edit-whole-file.jsonl')
    // 3 replaces every line 2 had read whole (bootstrap.sh at 1 may have written anything before): 4 reads back its new
    // text. Not 6: 5 changed one line, and the conventions count any write to the file as a change.
    expect(flags).toEqual({4: 'reread-unchanged'})
    expect(tools[3]!.flags![0]!.evidence).toEqual([tools[2]!.id])
  })
})

describe("5k. Codex's JavaScript cell (the node_repl tool `js`) writes what its code writes", () => {
  it('browser checks and Spotlight lookups between two `git diff`s change nothing; a cell that writes the file does', async () => {
    const {flags} = await calls('codex-js-cell.jsonl')
    // 5: 1's diff again across js_add_node_module_dir, a Playwright check (its `classList.remove('done')` is the page's,
    // not a file's) and `mdfind`. Not 7: the cell at 6 wrote index.html with fs.writeFileSync.
    expect(flags).toEqual({5: 'duplicate-call'})
  })

  it("a method of another object named like a file system call writes no file; the file system's does", async () => {
    const {codeEffects} = await import('../../src/flag/code.js')
    expect(codeEffects('node', "document.body.classList.remove('done')")).toMatchObject({writes: [], under: []})
    expect(codeEffects('node', "list.move('a', 'b'); map.rename('x')").writes).toEqual([])
    expect(codeEffects('node', "await fs.rm('dist', {recursive: true})").under).toEqual(['dist'])
    expect(codeEffects('node', "fse.remove('build')").under).toEqual(['build'])
    expect(
      codeEffects('node', "import {rm} from 'node:fs/promises'; await rm('out', {recursive: true})").under,
    ).toEqual(['out'])
  })
})

describe("4u. files' times and sizes asked again at a person's later turn", () => {
  it('`ls -lh` of a checkpoint at the next turn checks what the person may have done; again within the turn, a repeat', async () => {
    // 2 (a subset of 1's listing) and 4 (1 again) are at later turns: not repeats. 3 repeats 2 in its turn.
    expect((await calls('times-at-next-turn.jsonl')).flags).toEqual({3: 'duplicate-call'})
  })
})

describe('6l. a tool whose own program could not start', () => {
  it('Grep again after `posix_spawn … ENOENT`, with other arguments, fails the same way; not after a reinstall', async () => {
    const {flags, tools} = await calls('tool-not-started.jsonl')
    // 2: a path added changes nothing about starting the tool. Not 5: the cask was reinstalled at 4 (it failed all
    // the same, which aco cannot know beforehand).
    expect(flags).toEqual({2: 'failed-repeat'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/its program could not start/)
  })
})

describe("3f. git's object store checked or counted", () => {
  it('`git fsck | grep` again after `git count-objects` is a repeat; not after `git fsck --lost-found`, which writes', async () => {
    // 3 repeats 1 (a redundant 2>&1 aside). Not 5: 4 wrote what it found into .git/lost-found.
    expect((await calls('git-fsck-looks.jsonl')).flags).toEqual({3: 'duplicate-call'})
  })
})

describe('5l. the files of hits a search printed line by line', () => {
  it("Grep's files mode after its content mode over the same tree lists the files the hit lines named; not one more", async () => {
    // 2: the two files 1's hit lines named (printed relative, their context lines whole). Not 3: it lists a file no
    // hit line named.
    expect((await calls('grep-files-after-lines.jsonl')).flags).toEqual({2: 'near-duplicate'})
  })
})

describe('5m. a narrower content search across a build', () => {
  it("a build writes its outputs, no line a search of the sources shows; not after an edit, nor in the build's output", async () => {
    // 3: one file's hit, which 1 printed over the folder, across `go build` (2). Not 6: 4 edited the file. Not 9: 8
    // rebuilt dist/, where it looks.
    const {flags, tools} = await calls('search-across-build.jsonl')
    expect(flags).toEqual({3: 'near-duplicate'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/only a build wrote there since/)
  })
})

describe("2q. Claude Code's Edit shows it lost what its Read had read", () => {
  it('a file read no later than the one refused "not read yet", read again before its edit, is the edit\'s price', async () => {
    // 5: the Edit refuses b.ts, which 3 had read: the tool lost that read. 6 reads a.ts (read at 2, before) again
    // before editing it: the price of the edit. So is 10: c.ts, read at 4 after b.ts, is by then as old as b.ts was
    // when refused (one other file touched since at 5, two at 10: see 2s). Not 12: d.ts is not edited.
    expect((await calls('read-state-lost.jsonl')).flags).toEqual({12: 'reread-unchanged'})
  })
})

describe("3g. git's answers: a diff's stat names its files; line-ending warnings are no answer", () => {
  it('`git diff --name-only` after a `--stat` that printed every path whole is told; not after one that shortened one', async () => {
    // 2: 1's stat named src/a.ts (both behind git's CRLF warnings). Not 4: 3 changed b.ts. Not 7: 6's stat printed
    // b.ts's path shortened (`.../b.ts`), so it did not tell the names.
    expect((await calls('git-stat-crlf-warnings.jsonl')).flags).toEqual({2: 'near-duplicate'})
  })
})

describe('3h. a program asked its usage again', () => {
  it('`mytool build --help` again at a later turn prints the same; not after an install of the tool', async () => {
    // 2 repeats 1 across the person's turn (a usage print is no run the person may want again). Not 4: 3 upgraded it.
    expect((await calls('usage-asked-again.jsonl')).flags).toEqual({2: 'duplicate-call'})
  })
})

describe('1q. a program the shell could not find ran nothing', () => {
  it('`ls src` again after `cargo build` failed with "cargo: command not found" is a repeat; not after a script whose own line failed', async () => {
    // 3: cargo never ran, so it wrote nothing. Not 5: the setup script ran; one of its own commands was not found.
    expect((await calls('program-not-found.jsonl')).flags).toEqual({3: 'duplicate-call'})
  })

  it('and after a program named by its path that is not there or may not run (zsh, bash); not after a script that ran', async () => {
    // 3: zsh found no ./scripts/gen.sh (exit 127); 5: bash may not run tools/gen.sh (exit 126): neither ran, neither
    // wrote. Not 7: ./scripts/build.sh ran, one of its own lines met a missing folder (fresh294 #59).
    expect((await calls('program-path-not-found.jsonl')).flags).toEqual({3: 'duplicate-call', 5: 'duplicate-call'})
  })
})

describe("4v. Claude Code's unchanged stub after a compaction", () => {
  it('a Read answered "unchanged since your last Read" after a compaction re-read the last read; not where the file changed since', async () => {
    // 3: parser.ts was read at 1, in the context before the compaction; the tool says it is in context still (the
    // compaction attached it again). Not 5: lexer.ts was edited at 4 since its read at 2, whatever the tool answered.
    expect((await calls('unchanged-stub-after-compaction.jsonl')).flags).toEqual({3: 'reread-unchanged'})
  })

  it("and since the agent's own Write, which Claude Code's tools count as a read (fresh144 #318)", async () => {
    const {flags, tools} = await calls('unchanged-stub-after-own-write.jsonl')
    expect(flags).toEqual({3: 'reread-unchanged'})
    expect(tools[2]!.flags![0]!.reason).toMatch(/unchanged since step \d+ wrote it/)
  })
})

describe("3i. git status's untracked files shown another way", () => {
  it('`-uall` after a clean status, `-uno` after any, are told; not `-uall` after a status that showed a folder of them', async () => {
    // 2: 1 showed nothing, so no untracked file either. Not 5: 4 showed `?? tmp/`, not the files in it. 6: `-uno`
    // leaves out what 5 showed, all of it untracked.
    expect((await calls('git-status-untracked-modes.jsonl')).flags).toEqual({2: 'near-duplicate', 6: 'near-duplicate'})
  })

  it("reads git's answer without the line a broken ~/.bashrc prints on every command (fresh288 #75, #78)", async () => {
    // 2: `-s` after `--porcelain`; 5: `-sb` after the long form (ahead by one both). Not 7: an edit between. 10: one
    // file's diff after 9 printed the shell's line alone (no change).
    expect((await calls('git-status-under-a-broken-bashrc.jsonl')).flags).toEqual({
      2: 'duplicate-call',
      5: 'duplicate-call',
      10: 'near-duplicate',
    })
  })
})

describe("6p. writes Codex's sandbox refused, again outside what it may write", () => {
  it('a write in a folder holding one the sandbox refused, outside the folder it may write, fails the same way', async () => {
    // 2: ../shared/notes/a.md was refused at 1; b.md lies beside it, outside /home/dev/app (fresh294 #74, #77). Not 4:
    // a `tee` was let out of the sandbox at 3 with a new prefix rule, which the agent may have taken to cover it. Not 5:
    // /var/log shares only / with the notes. Not 6: below the folder it may write, another refusal.
    expect((await calls('codex-sandbox-denied-writes.jsonl')).flags).toEqual({2: 'failed-repeat'})
  })
})

describe('6m. a web search tool that answers it has none', () => {
  it('WebSearch again, any query, after it answered that no web search tool is available; not after real results', async () => {
    // 2, 3: Claude Code's WebSearch with another provider's model behind it answers every query so.
    expect((await calls('web-search-unavailable.jsonl')).flags).toEqual({2: 'failed-repeat', 3: 'failed-repeat'})
    expect((await calls('web-search-works.jsonl')).flags).toEqual({})
  })
})

describe("6r. a tool's failure written as its whole answer", () => {
  it('an MCP tool answering `{"status":"error"}` again, the same way, is a failed repeat; not a status asked again', async () => {
    // 2 repeats 1's refused token, 4 3's rate limit, seconds later (trial 106: the Figma server answers under a success
    // status; a rate limit retried at once fails as a 429 in a traceback does, install-word-in-error). Not 6: "not_found"
    // is a status, no failure, and it changed.
    const {card, tools, flags} = await calls('mcp-error-body-again.jsonl')
    expect(flags).toEqual({2: 'failed-repeat', 4: 'failed-repeat'})
    const ctx = buildContext(card)
    expect(tools.map(t => ctx.failed[t.index])).toEqual([1, 1, 1, 1, 0, 0])
  })

  it('a JSON answer says it failed at its top; a subagent whose model call failed says so first', () => {
    expect(answersFailure('{"status":"error","error":"Figma API error: 403"}', false)).toBe(true)
    expect(answersFailure('{"success": false, "message": "Validation failed"}', false)).toBe(true)
    expect(answersFailure('{"error": {"code": -32602, "message": "Invalid params"}}', false)).toBe(true)
    // (A result beside its errors is a result; a status that is no failure; an array, text, a long object.)
    expect(answersFailure('{"data": {"repo": null}, "errors": [{"message": "not found"}]}', false)).toBe(false)
    expect(answersFailure('{"status": "not_found", "task_id": "d00f7a9b"}', false)).toBe(false)
    expect(answersFailure('[{"status": "error"}]', false)).toBe(false)
    expect(answersFailure('status: error', false)).toBe(false)
    expect(answersFailure(`{"status":"error","body":"${'x'.repeat(5000)}"}`, false)).toBe(false)
    expect(answersFailure('Failed to authenticate. API Error: 403 {"error":"model not authorised"}', true)).toBe(true)
    expect(answersFailure('API Error: 529 {"type":"error","error":{"type":"overloaded_error"}}', true)).toBe(true)
    expect(answersFailure('The API Error: 403 came from the proxy; I fixed the header.', true)).toBe(false)
    expect(answersFailure('API Error: 404 is what the endpoint returns for a deleted user.', true)).toBe(false)
    expect(answersFailure('API Error: Request timed out.', true)).toBe(true)
    expect(answersFailure('{"content": [{"type": "text", "text": "x"}], "isError": true}', false)).toBe(true)
    // An answer about something that failed is an answer (review 114): a pipeline, a test tally, a health check, a
    // linter that found nothing, a result beside an empty error.
    expect(answersFailure('{"id": 55, "status": "failed", "ref": "main"}', false)).toBe(false)
    expect(answersFailure('{"success": false, "passed": 41, "failed": 2}', false)).toBe(false)
    expect(answersFailure('{"service": "payments", "ok": false}', false)).toBe(false)
    expect(answersFailure('{"errors": [], "warnings": []}', false)).toBe(false)
    expect(answersFailure('{"rows": [1, 2], "error": {}}', false)).toBe(false)
    expect(answersFailure('{"error": {}}', false)).toBe(false)
  })
})

describe('6q. a patch that puts back the lines it takes out', () => {
  it('is the write that wrote those lines again; not a patch of context lines only, nor lines the agent never wrote, nor after a script', async () => {
    // 2 puts back a line 1's heredoc wrote; 6 one 5's patch wrote. Not 3 (context only: it repeats nothing), 4 (the
    // README's line came with the repository), 8 (the script 7 ran may have changed the line).
    const {card, flags} = await calls('patch-puts-back-its-own-lines.jsonl')
    expect(flags).toEqual({2: 'duplicate-call', 6: 'duplicate-call'})
    const reasons = card.steps.flatMap(s => s.flags ?? []).map(f => f.reason)
    expect(reasons[0]).toMatch(
      /^patches specs\/tasks\.md with hunks that each put back the lines they take out, lines step 1 had written/,
    )
  })

  it('reads a patch as changing nothing only where every hunk reads the same after as before', () => {
    const env = (body: string) => `*** Begin Patch\n${body}\n*** End Patch\n`
    expect(linesPutBack(env('*** Update File: a.py\n@@\n-import x\n+import x'))).toEqual(['import x'])
    expect(linesPutBack(env('*** Update File: a.py\n@@\n ctx\n-a\n+a\n@@\n-b\n-c\n+b\n+c'))).toEqual(['a', 'b', 'c'])
    expect(linesPutBack(env('*** Update File: a.py\n@@ def f():\n     return 1'))).toEqual([])
    // (Lines moved past a line of context, a line changed, a file added, deleted or moved: a change.)
    expect(linesPutBack(env('*** Update File: a.py\n@@\n-a\n ctx\n+a'))).toBeUndefined()
    expect(linesPutBack(env('*** Update File: a.py\n@@\n-port = 3000\n+port = 3001'))).toBeUndefined()
    expect(linesPutBack(env('*** Add File: b.py\n+x = 1'))).toBeUndefined()
    expect(linesPutBack(env('*** Delete File: b.py'))).toBeUndefined()
    expect(linesPutBack(env('*** Update File: a.py\n*** Move to: c.py\n@@\n-a\n+a'))).toBeUndefined()
    expect(linesPutBack(env('*** Update File: a.py\n@@\n-a\n+a\n*** Update File: b.py\n@@\n-b\n+B'))).toBeUndefined()
  })
})

describe('6n. an edit that changes nothing, refused, tried again with other text', () => {
  it('another Edit whose old and new text are the same after one refused so fails the same way; not another mistake', async () => {
    // 3 repeats 2's mistake with other text. Not 4: its old text is not found, another failure.
    expect((await calls('edit-no-change-again.jsonl')).flags).toEqual({3: 'failed-repeat'})
  })
})

describe('6o. Python run where Windows has only its alias for it', () => {
  it('python3 again after it ended with exit 49 and printed nothing; not after an install of Python', async () => {
    // 2: the same interpreter, another script, the same silent exit 49. Not 4: 3 installed Python.
    expect((await calls('python-alias-exit-49.jsonl')).flags).toEqual({2: 'failed-repeat'})
  })
})

describe('4w. a whole read that goes on past an earlier whole read', () => {
  it('`cat logs/app.log` again showing a line past the end of the first: the file changed (review 57)', async () => {
    // 2 shows "listening on 3000" after the line 1 showed: a running server appended to the log, unseen.
    expect((await calls('log-grew-between-reads.jsonl')).flags).toEqual({})
  })
})

describe("2r. Claude Code's tools lost their reads, and a Write follows", () => {
  it("a file read before the refusal, read again right before the Write of it, is the Write's price (fresh147)", async () => {
    // 3: the Write of b.ts refused "not read yet" after 2 read it. 4 reads a.ts (read at 1) again before 5 writes it whole.
    expect((await calls('read-state-lost-write.jsonl')).flags).toEqual({})
  })
})

describe('3i. a switch to the branch already checked out', () => {
  it('`git status` again after `git checkout main` said "Already on \'main\'"; not after a real switch (fresh150)', async () => {
    // 3 repeats 1: 2 changed nothing. Not 6: 4 and 5 switched branches, which rewrites the tree.
    expect((await calls('checkout-already-on.jsonl')).flags).toEqual({3: 'duplicate-call'})
  })
})

describe('4x. base64 decodes to its output', () => {
  it('a file read again across `gh api … | base64 -d`; not across `base64 -d -o` of that file (fresh148)', async () => {
    // 5 repeats 1: the decode printed a remote file and wrote none. Not 6: 4 decoded into icon.svg (macOS's -o).
    expect((await calls('base64-decode-between-reads.jsonl')).flags).toEqual({5: 'reread-unchanged'})
    expect(classifyShell('base64 -d -o out.bin in.b64', '/r').writes).toEqual([{path: '/r/out.bin'}])
    expect(classifyShell('echo aGk= | base64 --decode', '/r').writesAny).toBe(false)
  })
})

describe("2s. Claude Code's tools lost a read, and a read as old is read again before its edit", () => {
  it('a file read after the forgotten one but as many files ago, read again before its Edit, is the price (fresh151)', async () => {
    // 5: the Edit of a.ts refused "not read yet" three files after its Read. 11 reads c.ts, five files after its Read,
    // right before 12 edits it. Not 13: g.ts was read one file ago, and 13 reads it again for nothing.
    expect((await calls('read-state-lost-by-age.jsonl')).flags).toEqual({13: 'reread-unchanged'})
  })
})

describe('3j. a check of code run again that finds its work done', () => {
  it('`cargo check` again printing only its closing line, nothing changed; not after an edit, nor with other options (fresh164)', async () => {
    // 3 repeats 2: cargo printed only "Finished … in 0.18s", a line 2 printed (times aside), the `Checking` and
    // `Compiling` lines gone. Not 5: 4 edited a source. 6 repeats 5 (the same warning again). Not 7: `--all-targets`
    // checks more than 5 did. Not 8: 6's warning is gone, which no cache explains (review 58).
    expect((await calls('cargo-check-cached.jsonl')).flags).toEqual({3: 'duplicate-call', 6: 'duplicate-call'})
  })
})

describe('2v. a Rust backtrace names the project code by relative paths', () => {
  it('an edit of that code before the run again is an attempted fix, not the same failure (fresh200 #49)', async () => {
    // The absolute frames are the registry's (tokio's); `at ./src/api.rs:411:16` is the test's own file, edited at 2.
    expect((await calls('rust-backtrace-relative-frames.jsonl')).flags).toEqual({})
  })
})

describe("2w. cargo's --nocapture only says how much to print", () => {
  it('the failing test alone again, its whole failure already printed by the suite, repeats it (fresh200 #44)', async () => {
    // cargo prints a failing test's output without --nocapture too: 3 shows nothing 1 had not.
    expect((await calls('cargo-test-one-again-nocapture.jsonl')).flags).toEqual({3: 'near-duplicate'})
  })
})

describe('2u. go test whose every result Go took from its test cache', () => {
  it('repeats the run it cached, whatever the module saw written; not past a cut, a change outside it, a package built anew', async () => {
    // 3: every package `(cached)` after a note was written in the module: the same result as 1, Go itself says nothing
    // the tests read changed. 5 ran store's tests again after store.go changed; 7 failed after testdata changed. Review
    // 60: 9's tail -2 may have cut off a package that ran again; 11 follows a file written outside the module (Go's
    // cache does not look there); 13 lists a package with no test files, built and vetted anew after main.go changed.
    // 15 prints what 13 printed after only the README changed: no Go build reads prose (fresh221); 17 after a Go file
    // of the package with no test files changed.
    expect((await calls('go-test-cached.jsonl')).flags).toEqual({3: 'duplicate-call', 15: 'duplicate-call'})
  })
})

describe("3m. Go's line for a package with no tests", () => {
  it('`?   pkg [no test files]` tells no result: a passing run again shows nothing new with it; not after an edit (fresh226 #74)', async () => {
    // 2 runs 1's command again, nothing written: Go prints the package of no tests 1 did not show, and the others
    // (cached). 4 follows 3's edit of a Go source.
    expect((await calls('go-test-no-test-files.jsonl')).flags).toEqual({2: 'duplicate-call'})
  })
})

describe("3l. a package's tally after a run that picked other tests", () => {
  it('`ok pkg` after a run of other tests tells of those tests; after the same filter it tells nothing (fresh227)', async () => {
    // 2 adds TestExtract to 1's filter, 3 runs the whole package: each `ok` tells of tests 1 did not run (Claude Code's
    // token saver shows no more). 4 runs 1's tests again with -v, nothing changed, printing 1's tally alone.
    expect((await calls('go-tally-selection.jsonl')).flags).toEqual({4: 'near-duplicate'})
  })
})

describe('4l. sed printing several ranges of a file', () => {
  it("`sed -n '2,3p;9,10p' f` reads both ranges: a re-read after a whole read; not after a read of fewer lines, nor after a change (fresh229 #97)", async () => {
    // 2 shows 7-8, which 1 (lines 1-5) did not. 4 and 5 (numbered) show what 3's cat showed. 6 prints its ranges out
    // of their order in the file: not read. 8 follows 7's `sed -i` of line 2.
    expect((await calls('sed-several-ranges.jsonl')).flags).toEqual({4: 'reread-unchanged', 5: 'reread-unchanged'})
  })
})

describe('4m. two files read with their numbers after a command aco cannot read', () => {
  it('each part compared with the looks at its own file: a re-read where both read as shown; not where one changed', async () => {
    // 4 reads a.go 5-8 and b.go 3-4 after 3, which aco cannot read: both read as 1 and 2 showed them (a.go's lines 3
    // and 4 are not b.go's). 6, after 5, shows b.go's line 3 changed.
    expect((await calls('numbered-files-after-unknown.jsonl')).flags).toEqual({4: SAME})
  })
})

describe('2t. a call cancelled because a call issued with it failed never ran', () => {
  it('no failure of its own to repeat, nor a repeat of one; only a tool already seen broken, called in vain (fresh167)', async () => {
    // 2 is 1's cancelled sibling, run alone at 3: no repeat. 7 is cancelled as 5 was: neither ran, no repeat. 9 uses
    // Grep after 8 showed its program cannot start; 10, cancelled beside 9, was issued after 8 too.
    expect((await calls('sibling-cancelled-calls.jsonl')).flags).toEqual({9: 'failed-repeat', 10: 'failed-repeat'})
  })
})

describe('3k. a push again after a push found nothing to push', () => {
  it('`git push origin <branch>` after `git push` said "Everything up-to-date", nothing committed since (fresh160, fresh167)', async () => {
    // 1's status: on feat/sharing, its upstream origin/feat/sharing. 3 pushes what 2 found up to date. Not 4 (another
    // branch), 5 (tags), 7 (6 committed). 9 pushes what 8 (`-u origin HEAD`) found up to date.
    expect((await calls('push-after-up-to-date.jsonl')).flags).toEqual({3: 'duplicate-call', 9: 'duplicate-call'})
  })
})

describe('5m. a search within one whose results Claude Code cut', () => {
  it('a narrower Glob after one answered "Results are truncated" is no repeat; after a whole one it is (fresh175)', async () => {
    // 1 printed 100 paths of node_modules and "(Results are truncated…)": 2's packages were never shown. 4 searches
    // within 3, which printed all it found.
    expect((await calls('glob-results-truncated.jsonl')).flags).toEqual({4: 'near-duplicate'})
  })
})

describe('5n. a person who says the changes were discarded, or asks to apply a fix again', () => {
  it('`i unfortunately discarded your changes`, `reapply this fix`: the file may have changed; not `i unfortunately have to go` (fresh175)', async () => {
    // Not 2 (the person discarded the changes) nor 3 (asked to reapply the fix: it is gone). 4: nothing said changed.
    expect((await calls('person-discarded-changes.jsonl')).flags).toEqual({4: 'reread-unchanged'})
  })
})

describe('3l. a command run again under the name its deprecation notice gave', () => {
  it('`mytool checkpoint explain X` after `mytool explain --checkpoint X` said to use it, the same answer (fresh153, fresh165)', async () => {
    // 2 prints what 1 printed less Cobra's notice. Not 4 (`--full`, a word 1 lacked), nor 6 (another answer than 3's).
    expect((await calls('renamed-command-again.jsonl')).flags).toEqual({2: 'duplicate-call'})
  })
})

describe("3m. Entire's git hooks write no file of the work tree", () => {
  it('a file the agent wrote, read back after a commit whose only hook lines are `[entire] …`; not after lint-staged ran (fresh162)', async () => {
    // 3 reads App.tsx as 1 wrote it: the commit's hook only pushed Entire's checkpoints. Not 6: lint-staged ran at 5.
    expect((await calls('entire-hook-commit.jsonl')).flags).toEqual({3: 'reread-unchanged'})
  })
})

describe('4h. lines a search printed, file by file', () => {
  it('a range read of lines a search of several files printed with their numbers is a re-read; a read of more, or of the whole file, is not', async () => {
    const {flags, tools} = await calls('lines-a-search-printed.jsonl')
    // 2: lines 57-58 of cart.py, printed by 1's `rg -n -A1` (`src/cart.py:57:`, `src/cart.py-58-`). Not 3: lines 40-60,
    // most never shown (the lines between the hits are what it was for); not 4: the whole of rules.py, two of whose
    // lines 1 printed (hits never tell where a file ends).
    expect(flags).toEqual({2: 'reread-unchanged'})
    expect(tools[1]!.flags![0]!.reason).toMatch(/^reads src\/cart\.py again: every line it shows was shown at step/)
  })

  it("Gemini CLI: read_file's ranges under its header, grep_search's lines, and the shell in the file tools' folder", async () => {
    const {flags} = await calls('gemini-read-ranges.json')
    // 2: read_file 25-29 (its header says so, and that the file has 60 lines), every line printed by 1's grep_search
    // (`File: core/validators.py` above `L22-`…`L30-`: fresh279 #10). 3: `sed -n 28p` of the same file by its relative
    // path: no record names the session's folder, and the shell starts where the file tools' paths hang (fresh279 #32).
    // Not 4 or 5: lines never shown.
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'reread-unchanged'})
  })
})

describe('4i. what a harness wrapped around a file read', () => {
  it("OpenCode's read closes with `(End of file - total N lines)`: no line of the file, at a person's later turn too", async () => {
    const {flags} = await calls('opencode-read-back-next-turn.json')
    // 3: .gitignore read back at the person's next turn, its three lines the agent's own write (1) (fresh286 #105).
    expect(flags).toEqual({3: 'reread-unchanged'})
  })

  it('and a range read with `(Showing lines 4-6 of 10. Use offset=7 to continue.)` (OpenCode 1.17)', async () => {
    // 3: lines 4-6 of the style sheet the agent wrote whole (1), read at the person's next turn (fresh293 #85-#89).
    expect((await calls('opencode-range-read-back-next-turn.json')).flags).toEqual({3: 'reread-unchanged'})
  })

  it("Gemini CLI's masked output (`<tool_output_masked>`, head and tail JSON-encoded) is no lines of the file", async () => {
    const {flags} = await calls('gemini-masked-output.json')
    // 2: the write read back at once; 3: read again whole, every line the write's, the masked 2 placing none
    // (fresh285 #59: its masked lines had been compared with the file's and called a change).
    expect(flags).toEqual({2: 'reread-unchanged', 3: 'reread-unchanged'})
  })
})

describe('4j. an MCP file tool under Codex', () => {
  it("reads its JSON-wrapped result as the server's text, and Desktop Commander's stated lines as placed (offset from 0)", async () => {
    const {flags, tools} = await calls('codex-mcp-file-reads.jsonl')
    // Codex records an MCP result as the JSON of its content blocks (`[{"type":"text","text":"…"}]`): the text is what
    // the server said. 2: PLAN.md lines 5-8 (`offset` 4 counts from 0: "[Reading 4 lines from line 4 …]"), which 1
    // showed whole (fresh282 #58, #59).
    expect(flags).toEqual({2: 'reread-unchanged'})
    expect(tools[2]!.tool!.excerpt).toMatch(/^### App Router\n/)
  })
})

describe('6o. a line the session prints above every output', () => {
  it("a broken profile's `command not found` on every output is the session's, not a piped command's failure", async () => {
    const {flags, card, tools} = await calls('broken-profile-line-on-every-output.jsonl')
    // (fresh288: a UTF-16 .bashrc makes bash print `$'\377\376eval': command not found` above every output.) 2: `git
    // diff f | cat` printed nothing else: no failure. 3: the same again, nothing changed: a duplicate, not a failure
    // repeated.
    expect(flags).toEqual({3: 'duplicate-call'})
    const ctx = buildContext(card)
    expect(ctx.failed[tools[1]!.index]).toBe(0)
  })
})
