/**
 * The waste detectors against the hand labels of every tool call in 22 real
 * traces (test/corpus/waste-labels/), in 5 more added later as a fresh
 * held-out set (waste-labels/fresh/, labelled before any detector ran on them)
 * and in the blind sets added after that (waste-labels/fresh2/ … fresh13/, labelled blind likewise).
 * Issue 16's goal is precision ≥ 90% and recall ≥ 70% per detector. The
 * detectors were tuned on the dev part only; the held-out parts gate at the
 * issue's floors where their counts allow, else at what they measured when the
 * work was done, so a change that loses ground there fails.
 * The tables are printed: `npx tsx test/corpus/waste-eval.ts held-out --list`
 * shows the misses and wrong flags.
 */
import {describe, expect, it} from 'vitest'
import {hasCorpus, skipNoCorpus} from '../helpers.js'
import {
  type DetectorRow,
  FRESH_SETS,
  type FreshSet,
  formatTable,
  isFreshSet,
  isHeldOut,
  loadLabels,
  type ScoredCall,
  type ScoredGrowth,
  scoreFile,
  table,
  traceAvailable,
} from './waste-eval.js'

/**
 * Floors per part: [precision, recall]. Issue 16's floors (90%, 70%) where a part has at
 * least ten flags (for precision) or labels (for recall); below that the counts
 * are too small to mean much, and the floor is what was measured when the work was done
 * (a regression guard, see waste-labels/README.md). A detector with fewer than MIN_COUNT
 * flags (labels) is not gated on precision (recall).
 */
const FLOORS: Record<Part, Record<string, [number, number]>> = {
  dev: {
    'failed-repeat': [0.9, 0.7],
    'duplicate-call': [0.9, 0.7],
    'reread-unchanged': [0.9, 0.7],
    'near-duplicate': [0.9, 0.7],
    'context-growth': [0.9, 0],
  },
  'held-out': {
    'failed-repeat': [0.9, 0.9],
    'reread-unchanged': [0.9, 0.7],
    'near-duplicate': [0.9, 0.3],
    'context-growth': [0.9, 0],
  },
  fresh: {
    'reread-unchanged': [0.9, 0.7],
    'near-duplicate': [0.6, 0.6],
  },
  // The blind sets: precision at the issue's floor; recall guarded at what was measured after the mechanisms built
  // from their misses (fresh2: failed-repeat 10/10, reread-unchanged 7/11, near-duplicate 6/10, the last two below the
  // issue's 70%; fresh3: failed-repeat 89/92, duplicate-call 83/92, reread-unchanged 17/18, near-duplicate 0/3).
  // fresh4, the last blind set, gates at what its clean run and the two precision fixes after it measured, all of it
  // below the issue's floors: a guard against losing ground, not a claim (near-duplicate 2/4 precision, 1/12 recall);
  // since then (not clean: fresh4's misses were read) failed-repeat 4/5 (diff files applied, caught failures) and
  // duplicate-call 1/5 (git's looks depend on git's state alone).
  fresh2: {
    'failed-repeat': [0.9, 0.9],
    'reread-unchanged': [0.9, 0.6],
    // 0.6 until 2026-12-02: #46 (`grep -n` of hits a `grep -r` printed without numbers) is no narrower search since the
    // numbers are taken for news (fresh67's nine wrong flags, fresh47's one; this, fresh's and dev's one right flag each).
    'near-duplicate': [0.9, 0.5],
    'duplicate-call': [0.9, 0],
    'context-growth': [0.9, 0],
  },
  fresh3: {
    'failed-repeat': [0.9, 0.9],
    'duplicate-call': [0.9, 0.8],
    'reread-unchanged': [0.9, 0.9],
    'near-duplicate': [0.9, 0],
    'context-growth': [0.9, 0],
  },
  fresh4: {
    'reread-unchanged': [0.9, 0.9],
    // 2/5 since a partial re-read counts only when three in five of its lines were shown (its 55% one went); the three
    // others are narrower greps whose hits the earlier grep had all printed, left unlabelled by its labeller.
    'near-duplicate': [0.4, 0.08],
    'duplicate-call': [0.9, 0.2],
    'failed-repeat': [0.9, 0.8],
  },
  // fresh5: its clean run measured 6/9 · 6/34; gated at what the mechanisms built from its misses measure (†).
  fresh5: {
    'failed-repeat': [0.9, 0.4],
    'reread-unchanged': [0.9, 0.9],
    'near-duplicate': [0.6, 0.25],
  },
  // fresh6: its clean run (once aco could read its first Claude Code session at all) measured 13/23 · 13/41; gated at
  // what the mechanisms built from its misses and wrong flags measure (†).
  fresh6: {
    'reread-unchanged': [0.9, 0.85],
    'near-duplicate': [0.9, 0.25],
  },
  // fresh7: its clean run measured 7/10 · 7/26; gated at what the mechanisms built from its misses and wrong flags
  // measure (†). Its near-duplicate precision is 4/5 since reads past a file's known end are flagged (django-15629 #7,
  // `sed -n '240,520p'` after `sed -n '1,240p'` printed 174 lines, is left unlabelled; fresh31, fresh34 and fresh36's
  // labellers call such reads wasted).
  fresh7: {
    'reread-unchanged': [0.9, 0.7],
    'near-duplicate': [0.8, 0.4],
    'failed-repeat': [0.9, 0.2],
    'duplicate-call': [0.9, 0.15],
  },
  // fresh8: its clean run measured 15/20 · 15/35; gated at what the mechanisms built from its wrong flags measure (†).
  fresh8: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh9: its clean run measured 8/8 · 8/23; gated at what the mechanisms built from its misses (†: `docker compose
  // config` read as a look, Codex's PowerShell reads on Windows) measure.
  fresh9: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh10: its clean run measured 7/7 · 7/55; gated at what the mechanisms built from its misses measure (†).
  fresh10: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh11: its clean run measured 6/7 · 6/30; gated at what the mechanisms built from its misses measure (†).
  fresh11: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh12: its clean run measured 36/38 · 36/90; gated at what the fixes built after it measure (†: last, a re-read
  // judged by its own lines across commands aco cannot read, and `apply_patch < file`).
  fresh12: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh13: its clean run measured 4/4 · 4/11; gated at what chmod read as no change of content (†) measures.
  fresh13: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh14: its clean run measured 11/11 · 11/62 (PowerShell here-strings written into files were unread); gated at
  // what the PowerShell writes built from its misses (†) measure.
  fresh14: {
    'reread-unchanged': [0.9, 0.9],
    'duplicate-call': [0.9, 0.8],
  },
  // fresh15: a blind macOS Codex session scored once, clean: 11/11 · 11/14; gated there. Since a prompt smaller by the
  // reasoning the provider drops at a person's turn is no compaction (fresh35's Codex session, whose labeller saw none),
  // 10/15 precision: the five new flags are re-reads of unchanged Spec Kit documents that the third turn's
  // /speckit.implement template tells the agent to read, which its labeller called user-asked (borderline) and the
  // conventions (a re-read turns later without compaction) and fresh34's labeller call wasted. Gated at 0.6.
  fresh15: {
    'reread-unchanged': [0.6, 0.8],
  },
  // fresh16: its clean run measured 20/20 · 20/79; gated at what the mechanisms built from its misses measure (†).
  fresh16: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh17: two blind Codex sessions scored once, clean: 22/22 · 22/35 (reread-unchanged 21/29); gated there.
  fresh17: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh18: its clean run measured 1/2 · 1/21: below every floor, so nothing is gated (each row has < 3 flags).
  fresh18: {},
  // fresh19: two blind Codex sessions scored once, clean: 8/8 · 8/21 (reread-unchanged 8/14); gated there.
  fresh19: {
    'reread-unchanged': [0.9, 0.55],
  },
  // fresh20: a blind Codex and a blind Claude Code session scored once, clean: 30/36 · 30/36; two of its wrong flags
  // mended (†: a login shell's refusal printed on every command is no failure's signature, which also took two right
  // flags), the four Spec Kit re-reads the prompt asked for left: 28/32 · 28/36. Gated there.
  fresh20: {
    'reread-unchanged': [0.85, 0.85],
    'failed-repeat': [0.9, 0.5],
  },
  // fresh21: a blind Codex and a blind Claude Code session scored once, clean: 5/8 · 5/19. One wrong flag mended (†:
  // a todo list sent again is no duplicate look): 5/7. Every row has fewer than three flags: nothing is gated.
  fresh21: {},
  // fresh22: a blind Codex and a blind Claude Code session scored once, clean: 4/9 · 4/36 (the Claude Code session's
  // 25 wasted calls are Grep searches written with grep's `\|`, which ripgrep reads as a plain `|`). After the
  // literal-bar rule built from them (†): 24/29 · 24/36. The rule was taken back after fresh231 and fresh234, blind
  // sets of another author whose labellers called twelve such searches no waste and two so: 5/11 · 5/36.
  fresh22: {
    'reread-unchanged': [0.5, 0.4],
  },
  // fresh23: a blind Codex session with no wasted call and a blind Claude Code one, scored once, clean: 2/3 · 2/6 (the
  // Codex session drew no flag). The wrong one mended (†: a waiting loop polls): 2/2 · 2/6. No row has three flags.
  fresh23: {},
  // fresh24: a blind Codex session scored once, clean: 1/2 · 1/3 (a Claude Code session labelled with it was left out:
  // it holds its author's private notes). After a moved file carries its content (†): 2/3 · 2/3. Nothing gated.
  fresh24: {},
  // fresh25: a blind Codex session and a blind Claude Code one (206 calls, none wasted), scored once, clean: 9/10 ·
  // 9/20 (no flag on the Claude Code session). reread-unchanged 5/5 · 5/7 and near-duplicate 4/5 · 4/12, gated there.
  fresh25: {
    'reread-unchanged': [0.9, 0.6],
    'near-duplicate': [0.75, 0.3],
  },
  // fresh26: a blind Codex session (318 calls, two compactions) and a blind Claude Code one, scored once, clean: 15/16 ·
  // 15/24 (63%). reread-unchanged 15/15 · 13/19, gated there.
  fresh26: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh27: a blind Codex session (PowerShell on Windows, 292 calls), scored once, clean: 2/2 · 2/24 (8%). A Claude
  // Code session labelled with it was left out (a listing shows its owner's phone number); scored with it: 6/9 · 6/29.
  fresh27: {},
  // fresh28: a blind Codex session and a blind Claude Code one (Windows), scored once, clean: 10/13 · 10/27 (37%).
  // reread-unchanged 9/10 · 9/17, gated there.
  fresh28: {
    'reread-unchanged': [0.85, 0.5],
  },
  // fresh29: a blind Codex session (Windows PowerShell) and a blind Claude Code one, scored once, clean, after
  // everything this session built: 13/14 · 13/21 (62%). reread-unchanged 12/12 · 12/18, gated there.
  fresh29: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh30: a blind Codex session (GitHub operations, 101 calls) and a blind Claude Code one (225 calls), scored once,
  // clean, after everything this session built: 5/5 · 5/18 (28%). reread-unchanged 3/3 · 3/3, gated there.
  fresh30: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh31: a blind Codex session (a spec-kit web app, 254 calls) and a blind Claude Code one (a CLI's doctor, 104
  // calls), scored once, clean: 9/11 · 9/22 (41%). reread-unchanged 8/9 · 8/13, gated there.
  fresh31: {
    'reread-unchanged': [0.85, 0.6],
  },
  // fresh32: a blind Codex session (Windows, an event platform, 143 calls) and a blind Claude Code one (a PostgreSQL
  // setup, 100 calls), scored once, clean, after this session's rules: 14/17 · 14/20 (70%). reread-unchanged
  // 14/15 · 14/17, gated there.
  fresh32: {
    'reread-unchanged': [0.9, 0.75],
  },
  // fresh33: a blind Codex session (a CLI's CI and release tooling, 107 calls) and a blind Claude Code one (a Go board
  // in Apps Script, 102 calls, a local model behind Claude Code), scored once, clean: 11/11 · 11/15 (73%).
  // reread-unchanged 5/5 · 5/7, gated there.
  fresh33: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh34: a blind Codex session (Spec Kit documents, then a React site, 214 calls) and a blind Claude Code one (a
  // NixOS flake refactored, 92 calls), scored once, clean: 7/7 · 7/15 (47%), reread-unchanged 7/7 · 7/11; after Spec
  // Kit's scripts write only the files they name (†): 8/8 · 8/15, reread-unchanged 8/8 · 8/11; and after a moved Nix module holds its lines (†): 9/9 · 9/15, reread-unchanged 9/9 · 9/11, gated at 8/11.
  fresh34: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh35: a blind Codex 0.39 session (shell scripts and a Makefile rewritten, 143 calls) and a blind Claude Code
  // subagent (GLM-4.7, 120 calls, none wasted), scored once, clean: 7/7 · 7/24 (29%), reread-unchanged 7/7 · 7/18; after
  // a turn's dropped reasoning is no longer taken for a compaction (†): 15/15 · 15/24, reread-unchanged 15/15 · 15/18;
  // after a git diff of fewer files is a part of an earlier one (†): 21/21 · 21/24, near-duplicate 6/6 · 6/6; after a
  // patch's lines outlast a chmod (†): 23/23 · 23/24, reread-unchanged 17/18; after a patch sent to bash writes nothing:
  // 24/24 · 24/24. Gated there.
  fresh35: {
    'reread-unchanged': [0.9, 0.9],
    'near-duplicate': [0.9, 0.9],
  },
  // fresh36: two blind Codex sessions (Spec Kit on a product document, 83 calls; Spec Kit specs clarified, 80 calls)
  // and two blind Claude Code ones (a FastAPI backend, 137 calls; a thesis's training scripts, 90 calls), scored once,
  // clean, after this session's rules: 21/33 (64%) · 21/34 (62%); the session's first build measured 20/32 · 20/34 (its
  // wrong flags come from older rules). After a count of hits in text the agent wrote is no re-read (†): 21/28 · 21/34,
  // reread-unchanged 17/24 · 17/19: the rest are `grep -n` of files the agent wrote whole, which its labeller left
  // unlabelled (line numbers no look printed) and others label wasted, and re-reads across turns in which the person
  // changed the repository. Gated there.
  fresh36: {
    'reread-unchanged': [0.7, 0.85],
    'near-duplicate': [0.9, 0.5],
  },
  // fresh37: a blind Codex session of August 2025 in Codex's first rollout layout (no wrapper, no token counts: aco read
  // none of it before) and a blind Claude Code one (a stock screener built by test-first subagents), scored once, clean,
  // after review 9's mends: 3/4 (75%) · 3/10 (30%), the unread session's two wasted calls missed. Its one wrong flag
  // reads 40 of a file's 49 lines again (83%), which its labeller took for mostly new lines. After the first layout is
  // read and a patch sent to bash (every line "command not found") writes nothing (†): 5/7 · 5/10, reread-unchanged
  // 5/5 · 5/8 (the new wrong flag: a read 72% shown whose new lines held what the agent looked for, borderline for its
  // labeller). Gated there.
  fresh37: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh38: two blind Codex sessions (an IT asset app built from contest specs, 116 calls; a Go admin UI built test
  // by test, 219 calls) and a blind Claude Code one (a test stack restarted and debugged, 108 calls), scored once,
  // clean, after the session's first change (redaction after the flags, no flag changed): 7/11 (64%) · 7/18 (39%).
  // Its wrong flags: three re-reads of a server's log after restarts aco could not see into (the same lines: the
  // restart failed the same way). After a log read across such a command checks for news, node --test's tally is read
  // and `docker compose build` writes no host file, and a command with fewer of its options prints only what it
  // printed (†): 9/10 · 9/18, reread-unchanged 5/5 · 5/6. Gated there.
  fresh38: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh39: two blind Codex sessions (a Chrome extension's usage limits, 115 calls; a physics pipeline debugged over
  // fifteen turns, 116 calls) and a blind Claude Code one (Hardhat contracts compiled twenty times on Windows, 218
  // calls), scored once, clean, after fresh38's rules: 15/17 (88%) · 15/31 (48%). Its wrong flags: two reads a failed
  // edit asked for ("File has been modified since read … Read it again"). After those are demanded (†): 15/15 · 15/31,
  // reread-unchanged 15/15 · 15/18. Gated there.
  fresh39: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh40: two blind Codex sessions (Lua scripts of a game mode debugged on Windows through PowerShell, 115 calls;
  // a Japanese session of small page changes, each committed, in Codex's first layout, 90 calls, none wasted) and a
  // blind Claude Code one (an i18n layer reverted, 137 calls), scored once, clean, after fresh39's rules: 17/17 (100%)
  // · 17/21 (81%), reread-unchanged 17/17 · 17/18. Its misses: three narrower searches (a recursive ls-tree, a grep
  // of five files a broader grep had printed, a grep of a file restored to a version shown whole) and an rg over two
  // files known whole issued with the read of one of them. Gated there.
  fresh40: {
    'reread-unchanged': [0.9, 0.85],
  },
  // fresh41: a blind Codex session (a PRD validated and edited, 159 calls, 3 wasted) and a blind Claude Code one (type
  // errors fixed between nine `tsc --noEmit` runs, 105 calls, none wasted), scored once, clean, after fresh39's rules:
  // 0/0 · 0/3: a login shell's error line opened every output, so `cat docs/prd.md` placed the file's lines one
  // down and `nl -ba` of it (8 s later) read as changed. After a banner above every output is no line of a file (†):
  // 2/2 · 2/3 (the third: AGENTS.md read after Codex put it in the first message). Fewer than three flags: not gated.
  fresh41: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh42: two blind Codex sessions (a Spec Kit travel site, 246 calls; a Rust engine in Codex 0.144's code mode, 171
  // calls) and a blind Claude Code one (a synthesizer deployed on Cloudflare, 210 calls), scored once, clean, after
  // fresh41's rules: 13/16 (81%) · 13/22 (59%). Code mode is now read (a cell making one call is that call) and a run
  // whose output ends in its error line failed (no exit code is recorded there): 13/16 · 13/22, the code-mode session
  // unchanged (0/4 when read without the failure rule). Gated there.
  fresh42: {
    'reread-unchanged': [0.75, 0.7],
  },
  // fresh43: a blind Codex session (an app's Playwright suite audited while it ran, 142 calls, 1 wasted) and a blind
  // Claude Code one (an Android emulator image rooted and given up, 159 calls, 14 wasted), scored once, clean, after
  // review 11's mends: 1/18 (6%) · 1/15 (7%). Its wrong flags are looks at what a run still going on writes (Playwright's
  // test-results/ and summary.json, polled while the suite ran: aco does not know what a running process writes) and
  // a kill that failed as its variant before; its misses are repeats of adb and emulator commands (a device's state,
  // which aco takes as changing by itself). Nothing was built from it; after fresh50's rule for commands left running,
  // its looks at the running suite's results are no longer flagged (1/2 · 1/15). Not gated.
  fresh43: {},
  // fresh44: a blind Codex session (a Windows DLL's MFC test harness built through PowerShell, 259 calls, 21 wasted) and
  // a blind Claude Code one (a studio's Django and React app, with an async agent at work in the background, 249 calls,
  // 8 wasted), scored once, clean, after fresh43: 15/18 (83%) · 15/29 (52%). Built from it: an async agent whose
  // transcript is absent may write anything until its notice says it finished (14/16 · 14/29); a here-string given as
  // Set-Content's -Value is the file whole (17/19 · 17/29). Gated there.
  fresh44: {
    'failed-repeat': [0.7, 0.8],
    'reread-unchanged': [0.9, 0.4],
  },
  // fresh45: a blind Codex session (an Elixir Ash app's optimistic locking, 83 calls, 1 wasted) and a blind Claude Code
  // one (a paper's LaTeX and a knowledge-graph pipeline, four async agents, 111 calls, 2 wasted), scored once, clean,
  // after fresh44: 0/1 · 0/3. Built from it: a missing path looked for again beside paths the look reaches all the
  // same is no failed repeat (0/0 · 0/3). Fewer than three flags: not gated.
  fresh45: {},
  // fresh46: a blind Codex session (an Android app in Kotlin and Compose, 123 calls, 3 wasted) and a blind Claude Code
  // one (MXFP4 quantization for an LLM training project, 12 subagents, 168 calls, 8 wasted), scored once, clean, after
  // fresh45: 4/9 (44%) · 4/11 (36%). Built from it: a Claude Code Read that its Edit asks for (after a `cat`) is no
  // re-read (4/8 · 4/11). Its other wrong flags: re-reads right after a patch failed to match, and stray-quote
  // searches its labeller calls attempted fixes. Not gated (fewer than three flags right per detector).
  fresh46: {},
  // fresh47: a blind Codex session (a FastAPI and React app driven by Spec Kit, 323 calls, 10 wasted) and a blind Claude
  // Code one (a Windows machine's ~/.claude set up with PowerShell, 128 calls, 6 wasted), scored once, clean, after
  // fresh46: 9/12 (75%) · 9/16 (56%). Its wrong flags: two re-reads right after a patch failed to match (its labeller,
  // like fresh46's: borderline recovery; the older sets' labellers call them wasted, 25 flags) and a narrower search
  // that also gave a line number. Built from it: Claude Code's PowerShell tool reads backslash paths as Windows paths, as
  // Codex's shell_command on Windows does (10/13 · 10/16). Gated there.
  fresh47: {
    'reread-unchanged': [0.75, 0.6],
  },
  // fresh48: a blind Codex session (a static site built with Spec Kit in a read-only, network-restricted sandbox, 149
  // calls, 18 wasted) and a blind Claude Code one (a Go Kubernetes controller, with a subagent read from the parent's
  // progress records, 95 calls, 11 wasted), scored once, clean, after fresh47: 7/7 (100%) · 7/29 (24%). Its misses: the
  // same sandboxed lookups failing again behind `|| true` (exit 0), and files a Spec Kit script copied from a template
  // already on screen. Nothing was built from it. Gated there.
  fresh48: {
    'reread-unchanged': [0.9, 0.3],
  },
  // fresh49: a blind Claude Code session (a Google Analytics MCP server set up on macOS, 55 calls, 2 wasted), scored
  // once, clean, after the PowerShell tool's paths: 1/1 · 1/2. Its Codex half was dropped: its labeller took a session
  // fresh17 had already labelled (the repository was on the used list). Fewer than three flags: not gated.
  fresh49: {},
  // fresh50: a blind Codex session (BIG-Bench-Hard prompts evaluated with vLLM on four GPUs, long jobs polled while
  // they ran, 193 calls, 4 wasted) and a blind Claude Code one (a React and three.js apartment planner, 122 calls, none
  // wasted), scored once, clean, after fresh49: 0/8 · 0/4. All eight wrong flags were checks of what a job still
  // running writes. Built from it: a command left running (polled later, `nohup … &`, `tmux new-session -d`) goes on
  // writing until a poll sees it end; a look at a path held in a variable depends on that path (0/0 · 0/4). Fewer than
  // three flags: not gated.
  fresh50: {},
  // fresh51: a blind Codex session (a C# spreadsheet's XML documentation, 128 calls, 8 wasted) and a blind Claude Code
  // one (a Python script keeping a document-ID registry, 102 calls, 2 wasted), scored once, clean, after fresh50: 8/8
  // (100%) · 8/10 (80%). Built from it: a file tool's "File does not exist." names its one file missing (9/9 · 9/10).
  // Gated there.
  fresh51: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh52: a blind Codex session (a phishing-URL detector debugged and retrained, 129 calls, 17 wasted) and a blind
  // Claude Code one run on DeepSeek (Windows shell folders mended through Git Bash and PowerShell, 126 calls, 13
  // wasted), scored once, clean, after fresh51: 13/14 (93%) · 13/30 (43%). Its wrong flag: a listing right after files
  // it listed were deleted, called the same listing because a cache gave every call with the same arguments the first
  // one's paths; mended with the deletes counted (13/13 · 13/30). Its misses: PowerShell's `$` eaten by bash inside
  // double quotes, failing again and again (nine), `cmd /c` that Git Bash runs as nothing. Gated there.
  fresh52: {
    'reread-unchanged': [0.9, 0.65],
  },
  // fresh53: a blind Codex session on Windows (a FastAPI face-crop endpoint and a Next.js front end, 106 calls, 6
  // wasted) and a blind Claude Code one (a log-sync script and a pre-commit hook on Linux, 89 calls, 2 wasted), scored
  // once, clean, after fresh52: 0/1 · 0/8. Built from it: cmd's own commands through `cmd /c` (`type`, `findstr`,
  // `dir`) look as cat, grep and ls do; a failing part is the same failure only when the line changes nothing on its
  // way to it; a write the program reported refused (chmod) did not happen (6/6 · 6/8). Gated there.
  fresh53: {
    'reread-unchanged': [0.8, 0.6],
  },
  // fresh54: a blind Codex session (an Nx monorepo's inline task editing, 130 calls, 16 wasted) and a blind Claude Code
  // one (an Obsidian vault reorganised on Windows, with four subagents, 121 calls, 2 wasted), scored once, clean, after
  // fresh53: 8/10 (80%) · 8/18 (44%). Its wrong flags: a Read with a negative offset (a warning, no line) and a `git
  // mv` of a mangled path tried another way; mended (8/8 · 8/18). Gated there.
  fresh54: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh55: a blind Codex session (a Spec Kit workflow in Japanese, every step asked for, 131 calls, 29 wasted) and a
  // blind Claude Code one (a gym-management monorepo's git and pages, two compactions, 80 calls, 7 wasted), scored once,
  // clean, after fresh54: 23/23 (100%) · 23/36 (64%). Nothing built from it. Gated there.
  fresh55: {
    'reread-unchanged': [0.9, 0.85],
  },
  // fresh56: a blind Codex session (a Next.js app's story review driven by menu choices, 82 calls, 10 wasted) and a
  // blind Claude Code one (a Vue monorepo's field renames in Chinese, two compactions, 194 calls, 4 wasted), scored once,
  // clean: 14/15 (93%) · 14/14 (100%). Nothing built from it. Gated there.
  fresh56: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh57: a blind Codex session (oh-my-codex's interview, plan and team launch on a Next.js repo, 105 calls, 9
  // wasted) and a blind Claude Code one (a Python data platform built in French, one compaction, 167 calls, 9 wasted),
  // scored once, clean: 8/9 (89%) · 8/18 (44%). Built from it: a failure's signature is not a line pointing at
  // documentation; a Read of a file the agent wrote whole is demanded only once the tools refused such a file; a path
  // with ( unquoted is one mistake however the shell reports it (10/10 · 10/18). Gated there.
  fresh57: {
    'reread-unchanged': [0.9, 0.5],
  },
  // fresh58: a blind Codex session (a Spec Kit workflow, then a TypeScript monorepo scaffolded, 107 calls, 9 wasted) and
  // a blind Claude Code one (an Arch Linux desktop customised, 153 calls, 4 wasted), scored once, clean: 6/6 (100%) ·
  // 6/13 (46%). A read of part of one run a patch wrote, built from it, was taken back after review 14. Gated there.
  fresh58: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh59: a blind Codex session (a Spec Kit course project's use case, 100 calls, 39 wasted) and a blind Claude Code
  // one (a local voice server's streaming and restarts, hooks fixed, in German, one compaction, 141 calls, 5 wasted),
  // scored once, clean: 34/34 (100%) · 34/44 (77%). Built from it: a background shell killed again (35/35 · 35/44).
  // Gated there.
  fresh59: {
    'reread-unchanged': [0.9, 0.85],
  },
  // fresh60: a blind Codex session (Kotlin Android work on Windows, a BLE ring's background collection, two turns four
  // hours apart, 163 calls, 16 wasted) and a blind Claude Code one (a Go monorepo's GraphQL API reviewed in three rounds
  // by subagents, 119 calls, 8 wasted), scored once, clean: 6/10 (60%) · 6/24 (25%). Built from it: a skill invoked
  // again is no duplicate (6/8 · 6/24). Gated there (its rereads: two wrong flags the person's reading list asked for).
  fresh60: {
    'reread-unchanged': [0.7, 0.35],
  },
  // fresh61: a blind Codex session (Rust warnings cleared in a Tauri app's backend on Windows, 92 calls, 4 wasted) and a
  // blind Claude Code one (a Next.js dealer tool's bugs fixed one after another, 96 calls, 4 wasted), scored once,
  // clean: 7/9 (78%) · 7/8 (88%). Nothing built from it. Gated there.
  fresh61: {
    'reread-unchanged': [0.7, 0.9],
  },
  // fresh62: a blind Codex session (an Electron notes app's encrypted sync, 113 calls, 2 wasted) and a blind Claude Code
  // one (a Kotlin Android login moved to StateFlow, its files reverted twice outside the session, 102 calls with a
  // subagent's, 1 wasted), scored once, clean: 0/10 · 0/3. Built from it: a change made outside the session, as a
  // search or a refusal shows it (0/1 · 0/3). No detector has three labels to gate.
  fresh62: {},
  // fresh63: a blind Codex session (a Chrome MCP server tried and tested, 61 calls, 4 wasted) and a blind Claude Code
  // one (an MCP server's prompts edited by a local Qwen model, 64 calls, 15 wasted), scored once, clean, at the
  // session's end: 15/16 (94%) · 15/19 (79%). Built from it: an edit sent again after it applied (16/17 · 16/19).
  // Gated there.
  fresh63: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh64: a blind Codex session (Spec Kit writing a service's spec and plan, 78 calls, 13 wasted) and a blind Claude
  // Code one (a WordPress page's speed measured and tuned, 90 calls, 2 wasted), scored once, clean: 8/9 (89%) · 8/15
  // (53%). Built from it (with older sets): no network in the sandbox met again (9/10 · 9/15). Gated there. (2026-12-06:
  // #26's reread flag had stood on #25's cut `nl -ba` taken for a whole 63-line file; once such a cut was read as one,
  // it stood on #23's patch replacing every line, the labeller's reason, as #25's does: 7/8 · 7/7.)
  fresh64: {
    'reread-unchanged': [0.85, 0.85],
    'near-duplicate': [0.9, 0.4],
  },
  // fresh65: a blind Codex session (a Next.js build mended, then loading spinners, 78 calls, 5 wasted) and a blind Claude
  // Code one (a skill optimising a neural-network library's kernels on QEMU and a board, 86 calls, 5 wasted), scored
  // once, clean: 7/16 (44%) · 7/10 (70%), seven of the wrong flags a rule for searches ending in a stray quote, taken
  // back after it (7/9 · 7/10). Gated there.
  fresh65: {
    'reread-unchanged': [0.7, 0.8],
    'near-duplicate': [0.9, 0.3],
  },
  // fresh66: a blind Codex session (Spec Kit from constitution to implementation, 148 calls, 17 wasted) and a blind
  // Claude Code one (an Astro site's popup replaced by a sticky bar and a slide-in, 144 calls, 1 wasted), scored once,
  // clean, after review 15's mends: 10/11 (91%) · 10/18 (56%). Built from it: ripgrep's word for a missing path (11/12 ·
  // 11/18). Gated there.
  fresh66: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh67: a blind Codex session (a Python project's dependencies audited by searches alone, 63 calls, 7 wasted) and a
  // blind Claude Code one (an integration test written and mended as the person pasted failures, 93 calls, 4 wasted),
  // scored once, clean: 3/14 (21%) · 3/11 (27%), nine of the wrong flags `rg -n PATTERN file` after a search that printed
  // the lines without numbers. Built from it: such numbers are news (2/3 · 2/11). Gated there.
  fresh67: {
    'reread-unchanged': [0.9, 0.4],
  },
  // fresh68: a blind Codex session on Windows (a Tauri mail agent's Angular front end, PowerShell throughout, 95 calls,
  // 11 wasted), scored once, clean: 2/2 · 2/11 (the Claude Code session labelled beside it was left out: it holds a
  // person's e-mail address). Nothing built from it; no detector has three flags to gate.
  fresh68: {},
  // fresh69: a blind Codex session (Spec Kit writing a constitution and a spec, 69 calls, 11 wasted) and a blind Claude
  // Code one (a read-only trace through an SNMP stack's sources, 78 calls, none wasted), scored once, clean, at the
  // session's end: 11/11 · 11/11. Nothing built from it. Gated there.
  fresh69: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh70: a blind Codex session (Spec Kit over a Figma plugin's code, 51 calls, 5 wasted) and a blind Claude Code one
  // (market research through an API and web searches, 21 calls, none wasted), scored once, clean, at the session's end:
  // 4/4 · 4/5. Nothing built from it. Gated there.
  fresh70: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh71: a blind Codex session (Spec Kit planning a course project's use cases, 60 calls, 16 wasted) and a blind
  // Claude Code one (a TypeScript backend's errors mended, run by glm-4.7, 69 calls, 3 wasted), scored once: 19/19 ·
  // 19/19. Nothing built from it. Gated there.
  fresh71: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh72: a blind Codex session on Windows (a stock-timing tool scaffolded in PowerShell, 121 calls, 12 wasted, all
  // failed repeats of how a line was written) and a blind Claude Code one (a ~/.claude folder's agents reviewed and
  // written, 81 calls, 5 wasted), scored once: 7/7 · 7/17. Built from it: Windows PowerShell's parse errors are failures
  // whatever the exit code, and `||` or a quoted `|` taken for a pipe are mistakes made again (12/12 · 12/17). Gated there.
  fresh72: {
    'failed-repeat': [0.9, 0.5],
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh73: a blind Codex session (a project template made generic and its Spec Kit tuned, in French, 111 calls, 6
  // wasted) and a blind Claude Code subagent (mechanical fixes to a dozen API routes, 61 calls, none wasted), scored
  // once: 5/6 · 5/6. Nothing built from it. Gated there.
  fresh73: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh74: a blind Codex subagent (a Streamlit app updated and smoke-tested with Playwright, 70 calls, 2 wasted) and a
  // blind Claude Code session (a FastAPI server and a Typer client written and tested, 90 calls, 3 wasted), scored once:
  // 3/3 · 3/5. Nothing built from it. Gated there.
  fresh74: {
    'reread-unchanged': [0.9, 0.5],
  },
  // fresh75: a blind Codex session (audit logging added to a hotel service, 68 calls, 7 wasted) and a blind Claude Code
  // one (a provider added to a Go + React app, 66 calls, 2 wasted), scored once: 8/8 · 8/9. Nothing built from it.
  fresh75: {
    'reread-unchanged': [0.9, 0.9],
  },
  // fresh76: a blind Codex session (Spec Kit from constitution to a tested MCP server, 123 calls, 15 wasted) and a blind
  // Claude Code one (skills learnt and written, four compactions, 84 calls, 8 wasted), scored once: 11/13 · 11/23.
  // Nothing built from it.
  fresh76: {
    'reread-unchanged': [0.9, 0.6],
  },
  // fresh77: a blind Codex session (a Swift package rewritten to a Spec Kit plan through rtk, 86 calls, 3 wasted) and a
  // blind Claude Code one (an analytics dashboard built over three days, 111 calls, 10 wasted), scored once: 10/13 ·
  // 10/13. Built from it: rtk's `proxy` runs its command as it is (12/15 · 12/13). Gated there.
  fresh77: {
    'reread-unchanged': [0.75, 0.9],
  },
  // fresh78: a blind Codex session (a `.devenv` folder reorganised by product, 60 calls, 2 wasted) and a blind Claude
  // Code one (Redis cluster timeouts investigated, 90 calls, 2 wasted), scored once: 2/6 · 2/4; its four wrong flags are
  // re-reads the person asked for ("please rescan and review as the config has changed"). Built from it: a short prompt
  // saying files changed, or asking to read them again, is heard (2/2 · 2/4). No detector has three right flags to gate.
  fresh78: {},
  // fresh79: a blind Codex session (Spec Kit documents of a student lab, 64 calls, 17 wasted) and a blind Claude Code one
  // (a person building an inference service and asking for reviews, 85 calls, 2 wasted), scored once: 15/20 · 15/19.
  // Built from it: a whole read that comes back shorter than an earlier whole read is a change (15/19). Gated there.
  fresh79: {
    'reread-unchanged': [0.75, 0.85],
  },
  // fresh80: a blind Codex session (Spec Kit fixing a todo app through tests, lint and build, 174 calls, 23 wasted) and
  // a blind Claude Code one (admin templates of a Django judge restyled, in Korean, 83 calls, 2 wasted), scored once:
  // 16/19 · 16/25. Nothing built from it. Gated there.
  fresh80: {
    'reread-unchanged': [0.85, 0.8],
  },
  // fresh81: a blind Codex session (an installer's patches checked, then pnpm builds, 91 calls, 12 wasted) and a blind
  // Claude Code one (a Go VM tool written tests first, 107 calls, 5 wasted), scored once: 13/15 · 13/17; its wrong flags
  // are a search re-escaped after the same regex error (labelled a fix tried) and a read 88% shown before whose unseen
  // lines a harness had cut (labelled new; fresh25's alike are labelled near-duplicates). Nothing built. Gated there.
  fresh81: {
    'reread-unchanged': [0.9, 0.7],
  },
  // fresh82: a blind Codex session (a React dashboard's table columns, 89 calls, 6 wasted) and a blind Claude Code one
  // (a Next.js sign-in flow reworked, 64 calls, 4 wasted), scored once: 4/6 · 4/10; its two wrong flags were Globs
  // through other folders taken for the same search. Built from it: a Glob keeps the folders it names (4/4 · 4/10). No
  // detector has three right flags to gate.
  fresh82: {},
  // fresh83: a blind Codex session (Spec Kit planning a small web app in Windows PowerShell, 66 calls, 12 wasted) and a
  // blind Claude Code one (a React front end's planned changes, then a slow load tracked down, 72 calls, 2 wasted),
  // scored once: 8/8 · 8/14. Nothing built from it. Gated there.
  fresh83: {
    'failed-repeat': [0.9, 0.5],
    'reread-unchanged': [0.9, 0.5],
  },
  // fresh84: a blind Codex session (an AGENTS.md written and a preview pane rewritten, 104 calls, 23 wasted) and a blind
  // Claude Code one (a Kakuro solver in Java 21, 80 calls, 8 wasted), scored once: 26/35 · 26/31. Built from it: a
  // Read's lines read past Claude Code's <system-reminder>, a person asking to be shown files heard, and an unused
  // output flagged only where the agent looked again at what it covered (31/31 · 31/31). Gated there.
  fresh84: {
    'reread-unchanged': [0.95, 0.95],
  },
  // fresh85: a blind Codex session (a motion-data pipeline over twelve days, resumed many times, 172 calls, 1 wasted)
  // and a blind Claude Code subagent (React exports turned into arrow functions behind an edit hook, 103 calls, none
  // wasted), scored once: 0/1 · 0/1; its wrong flag a sandbox failure after the session was resumed in a new process.
  // Built from it: a sandbox's failure is a repeat only until a command runs in it again (0/0 · 0/1). Nothing to gate.
  fresh85: {},
  // fresh86: a blind Codex session (a Windows app's folders explored in PowerShell, 62 calls, 2 wasted) and a blind
  // Claude Code one (an agent-creator skill written and tried, 61 calls, 1 wasted), scored once: 0/0 · 0/3. Built from
  // it: a call's description is no sign it wrote a file (1/1 · 1/3). Nothing to gate.
  fresh86: {},
  // fresh87: a blind Codex session (Spec Kit documents of a hair-salon booking site, in Turkish, 121 calls, 4 wasted)
  // and a blind Claude Code one (a bilingual Next.js portfolio deployed to Cloud Run, 109 calls, 6 wasted), scored once:
  // 6/7 · 6/10; its wrong flag an `ls` of a folder a listing of its parent had shown absent, a call the second reading
  // of 2026-12-02 calls wasted and its labeller left alone. Nothing built from it. Gated there.
  fresh87: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh88: a blind Codex session (Spec Kit and a Spring Boot person API, 141 calls, 33 wasted) and a blind Claude Code
  // one (a Minecraft mod built with Gradle on Windows, 61 calls, 3 wasted), scored once: 25/25 · 25/36; its misses
  // Spec Kit's prompted re-reads (borderline to its labeller), counts of a checklist the agent wrote, a `git fetch` with
  // no remote. Nothing built from it. Gated there.
  fresh88: {
    'reread-unchanged': [0.95, 0.8],
  },
  // fresh89: a blind Codex session (a Tkinter dealership app in Windows PowerShell, 98 calls, 11 wasted) and a blind
  // Claude Code one (a recruitment agent system and its deploy script, 153 calls, 1 wasted), scored once: 3/3 · 3/12;
  // its misses PowerShell loops that print a file's lines numbered, and a here-string patch failing again. Gated there.
  fresh89: {
    'reread-unchanged': [0.95, 0.33],
  },
  // fresh90: a blind Codex session (an agent template audited, refactored and shipped, 75 calls, 13 wasted) and a blind
  // Claude Code one (a trading project's notes and scripts, 86 calls, 5 wasted), scored once: 5/5 · 5/18; its misses
  // `for f in …; do nl -ba "$f" | sed -n 1,260p; done` re-reads after a script aco cannot see into (each file's lines
  // would have to be found in the loop's output), and git looks repeated across a person's one-word turns. Gated there.
  fresh90: {
    'reread-unchanged': [0.95, 0.45],
  },
  // fresh91: a blind Claude Code session alone (a text-to-speech setup mended on Windows, then streaming overlays and a
  // local server, 65 calls, 1 wasted; its Codex labeller found no unused owner's session to take), scored once: 0/0 ·
  // 0/1, no wrong flag; its miss a `python -c` through the Store's stub after `python --version` had failed so. Nothing
  // to gate.
  fresh91: {},
  // fresh92: a blind Codex session (a poker app's milestone reviewed and built, 106 calls, 3 wasted) and a blind Claude
  // Code one (QR self-ordering added to a Next.js point of sale on Windows, 111 calls, 1 wasted), scored once: 2/2 ·
  // 2/4, no wrong flag; its misses `cat AGENTS.md` after Codex injected it, and a Grep of lines an Edit wrote across an
  // unseen command. Nothing built from it; no detector has three right flags to gate.
  fresh92: {},
  // fresh93: a blind Codex session (a Next.js app's design system and mobile layout, three subagents spawned that wrote
  // files while the session went on, 194 calls, 19 wasted) and a blind Claude Code one (a Discord bot's sign-up flow,
  // 104 calls, 1 wasted), scored once: 4/5 · 4/20; its wrong flag a re-read while a spawned subagent (its log absent)
  // was still at work. Built from it: a Codex subagent works in the background until a wait reports it ended or it is
  // closed (3/3 · 3/20). Gated there.
  fresh93: {
    'reread-unchanged': [0.95, 0.25],
  },
  // fresh94: a blind Codex session (an Angular and Express manga library scaffolded in Windows PowerShell, patches built
  // from text the console garbled, 224 calls, 9 wasted) and a blind Claude Code one (Playwright tests and a JWT login in
  // Git Bash, busy ports, 115 calls, 5 wasted), scored once: 7/7 · 7/14, no wrong flag. Nothing built from it. Gated
  // there.
  fresh94: {
    'failed-repeat': [0.95, 0.45],
  },
  // fresh95: a blind Claude Code session alone (Windows, DeepSeek through Claude Code, a churn-analysis product over
  // three days, 112 calls, 4 wasted), scored once: 1/2 · 1/4. Built from it: Claude Code 2.1.15x's "Wasted call — file
  // unchanged since your last Read" notice, and a line installing the package its failure names (4/6 · 4/4; the two
  // left are Reads the notice answered that a person had asked for). No detector has three right flags at 90%.
  fresh95: {},
  // fresh96: two blind Claude Code sessions (a React and Express app's webinar pages over 195 calls, 10 wasted; a local
  // model stack rebuilt on WSL over 104 calls, 3 wasted), scored once: 6/14 · 6/13; six of its wrong flags greps of a
  // long file after `sed -n 1,60p` printed 59 lines (Claude Code trims the blank line that ended it), taken for its end.
  // Built from it: a head's short output is no end of the file where another look numbered a line past it (6/8 ·
  // 6/13). No detector has three right flags at 90%.
  fresh96: {},
  // fresh97: two blind Claude Code sessions (an Odoo 18 KPI dashboard module built in Docker from Git Bash on Windows,
  // 241 calls, 9 wasted; a Rust trading terminal's order validation and a history rewrite, from the session logs the
  // Entire CLI commits, 161 calls, 5 wasted), scored once: 8/8 · 8/14, no wrong flag. Nothing built from it. Gated
  // there.
  fresh97: {
    'reread-unchanged': [0.95, 0.8],
  },
  // fresh98: a blind Claude Code session (an MCP server's release through a kaniko build and kubectl, from the
  // checkpoints the Entire CLI commits, 129 calls, none wasted) and a blind Codex one (a Cline rules repository ported
  // into ~/.codex, edits by heredoc, 131 calls, 15 wasted), scored once: 6/9 · 6/15. Built from it: the file Claude Code
  // writes a background command's output to is written while the command runs, and pydantic's "For further
  // information visit …" footer is no failure's signature (6/7 · 6/15). Gated there.
  fresh98: {
    'reread-unchanged': [0.95, 0.5],
  },
  // fresh99: two blind Claude Code sessions from the checkpoints the Entire CLI commits (a Flutter Docker image's
  // Renovate setup, 103 calls, 2 wasted; a Python tool valuing Germany's electricity imports and exports, 107 calls, none
  // wasted), scored once: no flag, 0/2 (two reads back of text the agent had written, one across a turn). Nothing built
  // from it; no detector has three labels.
  fresh99: {},
  // fresh100: a blind Claude Code session from the Entire CLI's checkpoint refs (an audit's findings filed as issues and
  // two fixed in pull requests, from Git Bash on Windows, 156 calls, 2 wasted), scored once: no flag, 0/2. Nothing built
  // from it. (A second session was labelled and not kept: it printed a person's private meeting transcripts.)
  fresh100: {},
  // fresh101: blind sessions of three agents (Claude Code on the desktop app, releases and deploys with Claude's advisor
  // tool, 336 calls, 7 wasted; the Codex desktop app, a GitHub OIDC failure traced and fixed over two days, 308 calls, 25
  // wasted; an OpenHands Cloud conversation export reviewing a pull request, 133 calls, 9 wasted), scored once: 6/7 ·
  // 6/41 (the OpenHands export read once aco knew its `{conversation, events}` shape). Built from it: a Bash view Claude
  // Code's Edit counts as its read (2.1.89 on), a line's own echo above a file's lines, and the advisor's turns of one
  // call (its tokens its own, the context the last turn's). Gated there.
  fresh101: {
    'duplicate-call': [0.95, 0.3],
    'near-duplicate': [0.95, 0.3],
  },
  // fresh102: blind sessions scored once at their arrival, after review 46's mends: a Claude Code session (a Next.js
  // site's mobile navbar, tests, a pull request and bot review rounds, two background review agents whose transcripts
  // were not stored; 187 calls, 2 wasted) and a Codex CLI one (a Go and PostgreSQL workflow kernel as a stack of five
  // pull requests, reviews answered over ten hours, code-mode `exec` calls; 225 calls, 4 wasted) and a Gemini CLI one
  // (a Next.js finance app's groups pages over three days, plan mode switched by hand; 113 calls, 4 wasted), scored once:
  // 1/2 · 1/10. The wrong flag: a re-read after the person cancelled the request that read the file first (Gemini CLI
  // then dropped it from the history: the prompt shrank by its size) and said they had made changes. Nothing built from
  // it.
  fresh102: {},
  // fresh103: a blind Claude Code session (2.1.7: TypeScript compile errors fixed across a CLI's commands and agents,
  // lint, a commit and push; 143 calls, 4 wasted), a blind Codex CLI one (0.142: an eval format's new option with docs,
  // schema and tests, a pull request rebased over two rounds of conflicts and merged; 220 calls, 13 wasted) and a blind
  // Gemini CLI one (0.29, in French: a Raspberry Pi's Docker media stack and a Grafana/Prometheus monitoring set up by
  // small API scripts; 251 calls, 7 wasted), all from the owners' committed session logs, each scored once on arrival:
  // 12/13 · 12/24 (Claude Code 2/3 · 2/4, Codex 10/10 · 10/13, Gemini CLI — · 0/7). The wrong flag: a Read of an empty
  // file again, which Claude Code had answered with a warning, not lines. Built from it: a check run again whose output
  // differs only by its own echo (tsc && echo ok), a `git branch --merged` that makes no branch, Gemini CLI's project
  // folder from its projectHash (16/17 · 16/24). Gated there.
  fresh103: {
    'reread-unchanged': [0.9, 0.8],
  },
  // fresh104: a blind Codex session (the VS Code extension, 0.44: a Go booking microservice built test first, models to
  // Kafka publisher, go test brought through the sandbox's limits; 185 calls, 8 wasted; from an owner's committed
  // `~/.codex`) and a blind Claude Code one (2.1.45: a tree view for a React app's tab, a UI library's API searched in
  // node_modules, tests, lint, a commit, its commands run through the `rtk` output condenser; 133 calls, 1 wasted; from
  // the Entire CLI's checkpoints), each scored once on arrival: 7/8 · 7/9 (Codex 7/8 · 7/8, Claude Code no flag · 0/1).
  // The wrong flag: `ls pkg` again after files below it were deleted (its folders stay; its labeller calls it a check
  // after the deletes, borderline). Built from it: a path `sed` could not read is a path found missing (8/9 · 8/9).
  // Gated there.
  fresh104: {
    'reread-unchanged': [0.95, 0.95],
  },
  // fresh105: a blind Claude Code session (2.1.209 on Windows, a maintainer's Go prompt engine: some 20 language
  // segments folded into one configurable engine, go build/test and golangci-lint, four migration batches handed to
  // subagents, a schema and docs, two commits; 264 calls, 5 wasted; from the Entire CLI's checkpoints), scored once on
  // arrival: 2/2 · 2/5. Built from it: a list of files asked with context lines is the list (a Grep's -C without output
  // mode content: 3/3 · 3/5). Gated there.
  fresh105: {
    'reread-unchanged': [0.95, 0.3],
  },
  // fresh106: a blind Claude Code session (2.1.72: a self-improving title-extraction loop, a TypeScript CLI and a Python
  // driver of headless claude, vitest, tsc, fifteen commits over eleven hours and many turns; 214 calls, 9 wasted; from
  // the Entire CLI's checkpoints) and a blind Codex CLI one (0.100: a Rust risk-agreement language's parser, grammar and
  // examples reworked, keywords replaced everywhere, in a sandbox without network; 171 calls, 16 wasted; from an owner's
  // committed `~/.codex`), each scored once on arrival: 14/16 · 14/25 (Claude Code 4/5 · 4/9, Codex 10/11 · 10/16). The
  // wrong flags: a test suite run again after the person's own script had changed the code between the turns (they
  // pasted its output), and a sub-folder search its label called the first of its kind though the call before had
  // searched the folder above it with the same pattern (relabelled from the record: 15/16 · 15/26). Nothing built from
  // it. Gated there.
  fresh106: {
    'reread-unchanged': [0.95, 0.8],
    'near-duplicate': [0.9, 0.3],
  },
  // fresh107: two blind Claude Code sessions (2.1.47: a LangGraph node sending unknown ordinal scales to Gemini, ruff,
  // pytest and mypy, a live end-to-end run against Gemini and Postgres, a code review's findings, 192 calls, 2 wasted;
  // 2.1.238: a Markdown plugin marketplace's four skills split into 22 and two schemas moved to a new version, renames
  // swept with sed, perl and grep, nine commits, 297 calls, 12 wasted; both from the Entire CLI's checkpoints) and a
  // blind Codex one (the VS Code extension, gpt-5.1-codex: Go microservices' code brought in line with their tables, two
  // services built from scratch, Docker build folders and a Makefile; 265 calls, 21 wasted; a spare session of
  // fresh104's source), each scored once on arrival: 20/20 · 20/35 (Claude Code 2/2 · 2/2 and 7/7 · 7/12, Codex
  // 11/11 · 11/21). Built from it: a listing of a folder inside a tree a find of its files printed (its folders seen
  // on the printed paths; `ls -a`'s `.` and `..`), Codex 18/19 · 18/21: the one wrong flag an `ls catalog-service`
  // its labeller called not implied by that find, where the same labeller called `ls booking-service/build` implied.
  // Gated there.
  fresh107: {
    'duplicate-call': [0.95, 0.95],
    'reread-unchanged': [0.95, 0.7],
    'near-duplicate': [0.9, 0.7],
  },
  // fresh108: a blind Claude Code session (2.1.168: a take-home bookmarks app in Next.js 16 with Supabase and Resend,
  // row-level security proved by a script, typecheck, lint and build after every change, curl and Playwright checks, a
  // shadcn redesign, eleven commits; 253 calls, none wasted; from the Entire CLI's checkpoints), scored once on arrival:
  // 0/2 (two `pkill -f "next dev"` after a dev server had been started again: mended, a kill repeated after a call
  // left a process running ends another); and a blind Codex CLI one (0.46: a dotfiles handbook written and reviewed
  // while the person edited between turns, a Neovim lspconfig start-up error chased; 153 calls, 17 wasted; from an
  // owner's committed `~/.codex`, a reserve named by fresh106's helper), scored once on arrival after that mend: 3/5 ·
  // 3/17. Gated there.
  fresh108: {
    'reread-unchanged': [0.5, 0.25],
  },
  // fresh109: a blind Claude Code session (2.1.39 in a fork of the Entire CLI: OpenCode and Codex agent support in Go,
  // mise, golangci-lint, go test with a t.Setenv panic, a commit and a pull request; 112 calls, 2 wasted) and a blind
  // OpenHands one (0.58 with DeepSeek 3.2: a Flask and JavaScript RSS app's review comments addressed, a test mended,
  // commits, a pull request, a rebase, three condensations and a run of rejected edits; 142 calls, 47 wasted; from the
  // owner's committed `.openhands/sessions`, its event files joined as the export's `{conversation, events}`). Scored
  // once, after the OpenHands reader was mended (it had read 58 of the 142 calls: DeepSeek numbers its call ids anew
  // after a condensation): 15/16 · 15/49 (Claude Code 2/3 · 2/2, OpenHands 13/13 · 13/47). Built from it: the file
  // editor's refusal (`ERROR:` told as an edit) a failure, its not-found old string met again, the bash tool's note kept
  // when it says more than done, a command sent to a busy shell and a line left open met again: 30/31 · 30/49 (one
  // near-duplicate lost: a view after edits that are failures now). Gated there.
  fresh109: {
    'failed-repeat': [0.95, 0.75],
    'reread-unchanged': [0.85, 0.45],
    'near-duplicate': [0.95, 0.3],
  },
  // fresh110: a blind Claude Code session (2.1.63: CI failing on main after an upstream TTS library's change, mocks and
  // assertions mended, pytest, ruff, mypy, pyright, a pull request through review comments and merged; 152 calls, 7
  // wasted, five borderline; from the Entire CLI's checkpoints) and a blind Gemini CLI one (a project set up: a design,
  // a spec and plan, folders moved, an extension installed; 44 calls, 2 wasted, well under the brief's 120: no other
  // found), scored once on arrival: 0/2 · 0/9. The wrong flags: `git diff uv.lock` after a `git status -sb` that did not
  // list it (its label: borderline, the first direct look at a file the agent rewrote), and an `ls -d` again at a
  // person's turn asking whether the folder was gone (its label: user-asked, borderline). Too few to gate.
  fresh110: {},
  // fresh111: a blind Claude Code session (2.1.44: three refactorings of a Rust TUI for Jujutsu, cargo build, test,
  // clippy and fmt, a pasted code review handled, one commit; 138 calls, 5 wasted; from the Entire CLI's checkpoints),
  // scored once on arrival: 3/4 · 3/5. The wrong flag: `cargo test | grep` for the suites' result lines that the run
  // before it had cut with `| tail -10` (its label: borderline, the counts were not on screen). Too few to gate.
  fresh111: {},
  // fresh112: a blind Claude Code session (2.1.50 then 2.1.56 after a resume two days later: the same repository as
  // fresh110's, langlearn-tts, its types moved to a package of their own, a plugin's manifest and permissions audited;
  // 175 calls and 22 of two Explore subagents, 4 wasted; from the Entire CLI's checkpoints), scored once on arrival:
  // 1/2 · 1/4. The wrong flag: a `cat` of an installed package's `__init__.py` again after `uv cache clean` and a
  // reinstall of the tool (its label: file-changed). Too few to gate.
  fresh112: {},
  // fresh113: a blind OpenHands 0.58 conversation (DeepSeek v3.2, sheepdestroyer/SheepVibes, the repository of
  // fresh109's: an edit of script.js fought through str_replace refusals, a PR review answered, five condensations;
  // 187 calls, 22 wasted), scored once on arrival: 10/11 · 10/22. The wrong flag: a view of script.js lines after a
  // `git checkout` of the file (its label: file-changed against a view before the checkout; corrected, a view of the
  // whole file after the checkout had printed them: 11/11 · 11/23). Too few to gate.
  fresh113: {},
  // fresh114: a blind Claude Code session (langlearn-tts 490e4c23, the third of that repository: a plan carried out in
  // four commits, a pull request and its review; 72 calls, none wasted), scored once on arrival: no flag. Too few to
  // gate (nothing labelled wasted).
  fresh114: {},
  // fresh115: a blind Claude Code session (obsessiondb/chkit c2820dd1: a review document committed and a pull request
  // opened, a failing CI run chased through `gh` and its logs, a lint fix and a flaky test's output; 96 calls, 9 wasted),
  // scored once on arrival: no flag (0/0 · 0/9). Too few to gate.
  fresh115: {},
  // fresh116: a blind Codex rollout (liamrohan/dotfiles 019c713f, a second session of fresh106 B's repository: card
  // payments split between two Worldpay accounts in a Next.js site, the client hardened, a fees page replaced; 89
  // calls, 15 wasted), scored once on arrival: 12/12 · 12/15 (the misses: lint and build failing again as before, the
  // build's poll). Too few to gate.
  fresh116: {},
  // fresh117: a blind Claude Code session of a repository not used before (entireio/skills 95047199, 2.1.119: skills
  // moved to a top-level folder, version bumps, a merge, a review, a pull request and its bot's review loop; 133 calls,
  // 5 wasted), scored once on arrival: 4/4 · 4/5 (the miss: a Write again after "File has not been read yet" with only
  // a Bash cat between). Too few to gate.
  fresh117: {},
  // fresh118: a blind Claude Code session of the Entire CLI's own repository (entireio/cli e4599950, 2.1.17: hooks
  // switched between `go run` and the installed binary, a test repository in /tmp, `.env` support, review findings;
  // 129 calls, 5 wasted), scored once on arrival: 2/2 · 2/5 (the misses: a grep of a .gitignore printed whole, reads
  // of a file an Edit of its whole content had printed). Too few to gate.
  fresh118: {},
  // fresh119: a blind Claude Code session of a repository not used before (blackgirlbytes/planetfall-seed-signalkit
  // 754b1f58, 2.1.170: a browser game's third level built, level progression, commits and pushes; 103 calls, none
  // wasted), scored once on arrival: no flag. Too few to gate (nothing labelled wasted).
  fresh119: {},
  // fresh120: a blind Codex rollout (planetfall-seed-signalkit 019eeddc, Codex Desktop with gpt-5.5: a GIF added to a
  // game's loading screen in a worktree, builds, tests, a dev server and browser checks, commits; 156 calls, 11
  // wasted), scored once on arrival: 2/2 · 2/11 (the misses: `git diff`, `git status`, builds and tests run again with
  // nothing written between but builds, installs, a dev server and browser checks). Too few to gate.
  fresh120: {},
  // fresh121: a blind Claude Code session of a repository not used before (Kite814/blip2-main 4b14d1d0, 2.1.143 on
  // Windows with a DeepSeek model behind it, prompts in Chinese: a small BLIP-2 captioning model trained and reported
  // on for a course; 129 calls, 5 wasted), scored once on arrival: 3/4 · 3/5 (the wrong flag: `ls -lh` of a checkpoint
  // at a new turn, after the agent had asked the person to run the training again). Too few to gate.
  fresh121: {},
  // fresh122: a blind Claude Code session of the Entire CLI's repository (entireio/cli a1d04b39, 2.1.39: a plan for a
  // multi-agent review command carried out, lint and tests, a commit; 99 calls, 1 wasted), scored once on arrival:
  // 1/2 · 1/1 (the wrong flag: a read of lines the agent had written whole, across `gofmt -s -w .`, which printed them
  // as written: borderline to its labeller, who counted the formatter as a possible write). Too few to gate.
  fresh122: {},
  // fresh123: a blind Claude Code session of the Entire CLI's repository (entireio/cli e0cf01c8, 2.1.36: a plan for
  // deferred condensation carried out and pushed, a bot's review comments on the pull request answered; 119 calls, 9
  // wasted), scored once on arrival: 7/7 · 7/9 (the misses: a Grep retried while the Grep tool itself could not start,
  // a filtered fetch of review comments the unfiltered one had shown). Too few to gate.
  fresh123: {},
  // fresh124: a blind Claude Code session of the Entire CLI's repository (entireio/cli 03a1382e, 2.1.33: a corrupted
  // worktree index chased through git's gc, packs and hooks to go-git's Status() rewriting the index; 196 calls, one
  // compaction, 8 wasted), scored once on arrival: 2/2 · 2/8 (the misses: git config and log questions answered by
  // earlier listings, `git fsck | grep` again with only looks between). Too few to gate.
  fresh124: {},
  // fresh125: a blind Claude Code session of the Entire CLI's repository (entireio/cli 545b45d4, 2.1.37: two bugs of
  // `entire clean` fixed, a pull request opened and three rounds of a bot's review answered, a rebase; 192 calls, one
  // compaction, 8 wasted), scored once on arrival: 2/2 · 2/8 (the misses: git status, log and diff run again at the
  // person's next turn with only looks between, a `gh` lookup repeated). Too few to gate.
  fresh125: {},
  // fresh126: a blind Claude Code session of the Entire CLI's repository (entireio/cli 7505c804, 2.1.37: all logs
  // written to one file, a draft pull request, review comments, a merge, failing integration tests fixed; 94 calls,
  // 3 wasted), scored once on arrival: 2/2 · 2/3 (the miss: Grep's files mode after its content mode had named the
  // same files). Too few to gate.
  fresh126: {},
  // fresh127: a blind Claude Code session of the Entire CLI's repository (entireio/cli 266b3f40, 2.1.39: a review
  // command's agent built, linted and debugged against its background processes; 221 calls, one compaction, 5 wasted),
  // scored once on arrival: 5/5 · 5/5. Too few to gate.
  fresh127: {},
  // fresh128: a blind Codex Desktop rollout of a browser game teaching Entire (planetfall-seed-signalkit 019ed7bd,
  // gpt-5.5: level design iterated with the person, checked in the in-app browser; another Codex session edited the
  // same worktree meanwhile; 263 calls, one compaction, 32 wasted), scored once on arrival: 26/31 · 26/32 (wrong: the
  // other session's edits no trace shows, a re-read after the compaction, parallel reads; missed: an "ensure browser"
  // cell run five times). Too few to gate.
  fresh128: {},
  // fresh129: a blind Claude Code session of chkit's repository (obsessiondb/chkit bb4f4bed, 2.1.45 in Conductor: the
  // plugins' own argument parsing moved to the CLI's flag registry, builds, tests fixed, a pull request; 158 calls, one
  // compaction, 3 wasted), scored once on arrival: 2/3 · 2/3 (the wrong flag: a one-file Grep whose one new hit of
  // three was the definition looked for; the miss: the suite re-run after a build whose tasks all came from its cache).
  // Too few to gate.
  fresh129: {},
  // fresh130: a blind Claude Code session of Entire's skills repository (entireio/skills fe3ed705, 2.1.108: a
  // co-authoring skill designed, reviewed and built with subagents across two worktrees; 388 calls, 77 bookkeeping,
  // 10 wasted), scored once on arrival: 7/7 · 7/10 (the misses: a one-file Grep of a hit a wider one had printed, the
  // same with a stray quote, and `entire collab --help | head -3` after `| head -5`). Too few to gate.
  fresh130: {},
  // fresh131: a blind Claude Code session of chkit's repository (obsessiondb/chkit b6aa9bbc, 2.1.42: `chx` renamed to
  // `chkit` across the repository with 102 Edits, then a commit; 189 calls, one compaction), labelled with nothing
  // wasted: no flag on arrival. Nothing to gate.
  fresh131: {},
  // fresh132: a blind Claude Code session of a browser game (planetfall-seed-signalkit e5b21660: a review, then
  // lighting and shadows implemented and checked with screenshots; 113 calls), labelled with nothing wasted: no flag on
  // arrival. Nothing to gate.
  fresh132: {},
  // fresh134: a blind Claude Code session of the same game (planetfall-seed-signalkit d43002f0: a level built over
  // many turns with 172 Edits while a Codex session edited the same files; 271 calls, two compactions), labelled with
  // nothing wasted: one wrong flag on arrival, a re-read the other session's edit justified (no trace of it here).
  fresh134: {},
  // fresh135: a blind Claude Code session of chkit's repository (obsessiondb/chkit 5f45db97: a plugin renamed and
  // given ingestion functions, a pull request merged; 167 calls, one compaction, 2 wasted), scored once on arrival:
  // 0/5 · 0/2 (the wrong flags: re-reads before Edits, after the Edit tool refused a file the agent had read in the
  // same batch as them; the misses: a package's tests run again whole after its one test file, and \`gh pr edit\`
  // again without the body after an error no flag causes). Too few to gate.
  fresh135: {},
  // fresh133: a blind Codex rollout of Entire's skills repository (entireio/skills 019dc0d3, 0.125.0, gpt-5.5: a
  // `what-happened` skill written and revised over 58 person's messages, each turn opening with `git status` and `git
  // diff`; 543 calls, one compaction, 43 wasted), scored once on arrival: 31/34 · 31/43 (wrong: a `git log -1` at a new
  // turn, a partial re-read whose new lines the agent needed, a large listing whose top was used; missed: `entire
  // explain --help` again across `entire` commands aco cannot read, re-reads of lines a diff had shown).
  fresh133: {},
  // fresh136: a blind Claude Code session of chkit's repository (obsessiondb/chkit 38a78b09: flags added to the CLI's
  // plugins, the plan carried out after another session's edits, a pull request; 170 calls, one compaction, 3
  // wasted), scored once on arrival: 2/2 · 2/3 (the miss: a Read of 40 lines, 35 of them printed 3 minutes before).
  fresh136: {},
  // fresh137: a blind Claude Code session from a new repository (a331468564/claude-codex-chat-archives db3f6604, 2.1.143
  // driving mimo-v2.5-pro, prompts in Chinese: a lead-scraping pipeline run and fixed; 169 calls, two compactions, 10
  // wasted), scored once on arrival: 5/5 · 5/10 (the misses: reads right after a compaction of files Claude Code had
  // attached again, two of which its Read answered "unchanged since your last Read"; a scrape started again while the
  // first ran).
  fresh137: {},
  // fresh138: a second blind Claude Code session of the same archive (a331468564/claude-codex-chat-archives 360b428a,
  // mimo-v2.5-pro: skills and plugins looked for, a lead pipeline's rounds; 369 calls, two compactions, 36 wasted),
  // scored once on arrival: 5/5 · 5/36 (missed: WebSearch retried after it answered that no search tool is
  // available, a `curl | python3` pipeline failing with exit 49 eight times, and others).
  fresh138: {},
  // fresh139: a blind Codex CLI rollout from a new repository (twyr/twyr-backend-monorepo 019d0025, 0.115.0, gpt-5.4:
  // transliterations of 42 seed files redone with ICU, a script made to run; 92 calls), labelled with nothing wasted:
  // two wrong flags on arrival (re-reads of a seed file after the scripts that rewrite it ran, which read as before).
  fresh139: {},
  // fresh140: a blind Cline task from a new repository (mike4567/MRA04242026: a NOAA incident web app moved to a new
  // Google Cloud project; 231 calls, nine truncations of the context Cline made, 14 wasted), scored once on arrival with
  // aco's first Cline reader: 0/4 · 0/14 (wrong: reads in another copy of the repository, the working folder having
  // changed after a three-day pause; missed: reads of files a replace_in_file result had printed whole, and others).
  fresh140: {},
  // fresh142: a blind Codex rollout from a new repository (devangshupandey2025-stack/DevSage 019c7f51, 0.104.0 on
  // Windows PowerShell: a spec for moving off Better Auth read and reviewed; 110 calls, 1 wasted), scored once on
  // arrival: no flag · 0/1 (the miss: `git log --all --pretty=%H -- f` after `git rev-list --all -- f`).
  fresh142: {},
  // fresh143: a second blind Codex rollout of DevSage (019c7ef5, 0.104.0 on Windows PowerShell: a spec for replacing
  // Better Auth written over eight turns; 175 calls, 4 wasted), scored once on arrival: 2/2 · 2/4 (the misses: a
  // folder listed again in another PowerShell spelling, a search whose hits a wider one had printed).
  fresh143: {},
  // fresh144: a third blind Claude Code session of the archive (a331468564/claude-codex-chat-archives 4530697c,
  // mimo-v2.5-pro: a lead pipeline's enrichment, hooks for Claude Code written and tested; 404 calls, two compactions,
  // 20 wasted), scored once on arrival: 7/8 · 7/20 (wrong: a Read before an Edit after a compaction; missed: files a
  // compaction attached again read after the agent's own writes, WebSearch after a compaction, and others).
  fresh144: {},
  // fresh145: a blind Codex rollout from a new repository (7567491/Feishu_ClaudeCode 019acae2, 0.63.0 on
  // gpt-5.1-codex-max, prompts in Chinese: two Feishu bots' file handling reworked over 23 turns; 103 calls, 4 wasted),
  // scored once on arrival: 3/3 · 3/4 (the miss: a patch replacing an import line by the same line).
  fresh145: {},
  // fresh146: a blind Claude Code session of the browser game (planetfall-seed-signalkit 88508f41, 2.1.177 on
  // claude-opus-4-8: a level reworked over two /compact runs; 167 calls), labelled with nothing wasted: no flag on
  // arrival.
  fresh146: {},
  // fresh147: a blind Claude Code session of chkit's repository (obsessiondb/chkit 92354ed8: the CLI moved to new
  // modules, five writes refused "not read yet" for files read minutes before; 147 calls, one compaction, 2 wasted),
  // scored once on arrival: 1/5 · 1/2 (the wrong flags: reads of such files before writing them whole).
  fresh147: {},
  // fresh148: a blind Claude Code session of Entire's skills repository (entireio/skills 415c4d06, 2.1.119 on
  // claude-opus-4-7: a Cursor plugin manifest fixed; 73 calls, 4 wasted), scored once on arrival: no flag · 0/4.
  fresh148: {},
  // fresh149: a blind Claude Code session of chkit's repository (obsessiondb/chkit 08c55e70, 2.1.50: a feature, its
  // tests, a pull request, memory and skill files written; 141 calls, one compaction, 5 wasted), scored once on
  // arrival: 4/4 · 4/5 (the miss: a file read from line 94 at the next turn, nine minutes after a whole read).
  fresh149: {},
  // fresh150: a blind Codex Desktop session of planetfall's repository (019eef97: a tab icon from the brand kit, CSS
  // changes undone, an Entire trail opened and the changes committed to it; 82 calls, 7 wasted, 5 of them
  // borderline), scored once on arrival: 3/4 · 3/7 (the wrong flag: a 121k-token file list whose top later calls
  // used, called unused).
  fresh150: {},
  // fresh151: a blind Claude Code session of chkit's repository (fd9cbd6a, 2.1.45 on claude-opus-4-6: a typed flag parser
  // and the casts it removes; 119 calls, 15 bookkeeping, 5 wasted), scored once on arrival: 4/5 · 4/5 (the wrong flag:
  // a short read before an edit, after the edit tool had refused two files it had read).
  fresh151: {},
  // fresh152: a blind Claude Code session of planetfall's repository (2980f52a, 2.1.165 on claude-opus-4-8: the planet
  // redrawn, built and rendered again and again; 97 calls, 1 wasted), scored once on arrival: 1/1 · 1/1.
  fresh152: {},
  // fresh153: a blind Codex Desktop session of planetfall's repository (019ed0f2: island view work, sounds, commits and
  // pushes; 162 calls, 16 wasted), scored once on arrival: 9/9 · 9/16 (the misses: diffs and `git show -s HEAD` again
  // at later turns, and an Entire command's new spelling).
  fresh153: {},
  // fresh154: a blind Codex Desktop session of planetfall's repository (019ea8fa: 198 calls, 18 person's turns, one
  // compaction after 12.6 hours, 16 wasted), scored once on arrival: 14/14 · 14/16.
  fresh154: {},
  // fresh156: a blind Claude Code session of planetfall's repository (eb4f7ed1: a loading screen built, rendered and
  // looked at after each edit; 85 calls, 16 bookkeeping, none wasted), scored once on arrival: no flag.
  fresh156: {},
  // fresh155: a blind Claude Code session of chkit's repository (bab732db, 2.1.45–2.1.50 on claude-opus-4-6 and a
  // haiku turn: a pull request, live ClickHouse tests; 113 calls, one compaction, 4 wasted), scored once on arrival:
  // 1/2 · 1/4 (the wrong flag: a read of lines a person's edit between turns may have moved).
  fresh155: {},
  // fresh158: a blind Claude Code session of a new repository (FSM1/cipher-box 2b06e5ef, 2.1.49 on claude-opus-4-6:
  // four review comments of a pull request fixed, answered and resolved; 110 calls, 11 bookkeeping, 4 wasted), scored
  // once on arrival: 2/2 · 2/4.
  fresh158: {},
  // fresh160: a blind Claude Code session of FSM1/cipher-box (018427c2, 2.1.49 on claude-opus-4-6: nine review fixes,
  // the API client regenerated, commit and push; 116 calls, 27 bookkeeping, 8 wasted), scored once on arrival:
  // 5/5 · 5/8 (the misses: a push repeated twice with "Everything up-to-date", a test run with one flag added).
  fresh160: {},
  // fresh159: a blind Claude Code session of FSM1/cipher-box (9e4910ab, 2.1.49: a storage provider made configurable,
  // work moved to a new branch; 143 calls, 21 bookkeeping, 3 wasted), scored once on arrival: 2/2 · 2/3.
  fresh159: {},
  // fresh164: a blind Claude Code session of a new repository (dougnukem/orpheus 37b35585, 2.1.112 on claude-opus-4-7:
  // a server crate merged into the CLI as `orpheus serve`, bundled into the desktop app, a PR opened and merged; 151
  // calls, 9 bookkeeping, 2 wasted), scored once on arrival: 0/1 · 0/2.
  fresh164: {},
  // fresh161: a blind Claude Code session of FSM1/cipher-box (f7594e2b, 2.1.49 on claude-opus-4-6: a review of the
  // sharing work written and committed, then its findings fixed; 152 calls, 35 bookkeeping, 6 wasted), scored once on
  // arrival: 5/6 · 5/6.
  fresh161: {},
  // fresh162: a blind Claude Code session of a new repository (aunshx/checkpoint-scout bcc98d22, 2.1.139 on
  // claude-sonnet-4-6: a web app designed in passes; its first 196 calls, 14 wasted), scored once on arrival:
  // 12/12 · 12/14. (aunshx/watchtower holds the same session: a second helper labelled it blind as fresh163 and agreed
  // on every call; not registered twice.)
  fresh162: {},
  // fresh165: a blind Codex Desktop rollout of planetfall-seed-signalkit (019ecfb7, 167 calls, 24 wasted), scored once
  // on arrival: 22/25 · 22/24.
  fresh165: {},
  // fresh169: a blind Claude Code session of planetfall-seed-signalkit (ed80b65d, 2.1.173: a key legend removed and the
  // title screen made readable, checked by screenshots; 74 calls, nothing wasted), scored once on arrival: no flag.
  fresh169: {},
  // fresh166: a blind Claude Code session of dougnukem/orpheus (46bbbfcb, 2.1.112 on claude-opus-4-7: the web app's UI
  // redesigned, with 16 subagents; 119 calls, 11 bookkeeping, 2 wasted), scored once on arrival: 2/2 · 2/2.
  fresh166: {},
  // fresh167: a blind Claude Code session of FSM1/cipher-box (e67c9434, 2.1.49: a pull request's CI mended, review
  // threads answered; 95 calls, 4 wasted), scored once on arrival: 2/3 · 2/4 (the wrong flag: a call cancelled beside a
  // failed one, issued again and cancelled again, neither having run).
  fresh167: {},
  // fresh168: a blind Claude Code session of obsessiondb/chkit (1efcfe3b, 2.1.50: a skill written and evaluated with
  // background agents; 100 calls, 6 bookkeeping, 4 wasted), scored once on arrival: 2/2 · 2/4.
  fresh168: {},
  // fresh170: a blind Claude Code session of dougnukem/orpheus (db0b6848, 2.1.112: a feature built by 28 subagents the
  // agent orchestrated, a PR reviewed; 96 calls, 12 bookkeeping, nothing wasted), scored once on arrival: no flag.
  fresh170: {},
  // fresh173: a blind Claude Code session of dougnukem/orpheus (f1bd89e0, 2.1.112: release workflows mended, a hook
  // blocking each workflow's first edit; 90 calls, 11 bookkeeping, 1 wasted), scored once on arrival: no flag · 0/1.
  fresh173: {},
  // fresh171: a blind Claude Code session of FSM1/cipher-box (7d2ac826, 2.1.39: an end-to-end test set-up planned and
  // built; 91 calls, 18 bookkeeping, 4 wasted), scored once on arrival: 4/4 · 4/4.
  fresh171: {},
  // fresh172: a blind Claude Code session of obsessiondb/chkit (be99fbac, 2.1.50: a skill for the CLI written, its docs
  // planned; 91 calls, 11 bookkeeping, 7 wasted), scored once on arrival: 6/8 · 6/7 (the wrong flags: reads before an
  // edit after the tool had refused edits of files it had read or written).
  fresh172: {},
  // fresh174: a blind Claude Code session of FSM1/cipher-box (12f1f541, 2.1.49: screens designed with the Pencil MCP and
  // 24 questions to the person; 88 calls, 1 wasted), scored once on arrival: no flag · 0/1.
  fresh174: {},
  // fresh175: a blind Claude Code session of obsessiondb/chkit (5905150d, 2.1.44: a release script mended over 15 turns,
  // the person discarding and committing changes between; 90 calls, 5 wasted), scored once on arrival: 3/8 · 3/5.
  fresh175: {},
  // fresh176: a blind Claude Code session of dougnukem/orpheus (101d212f, 2.1.112: CI bootstrap fixed in a worktree, a PR
  // opened; 88 calls, 7 bookkeeping, 3 wasted), scored once on arrival: 1/1 · 1/3.
  fresh176: {},
  // fresh177: a blind Codex Desktop rollout of a new repository (dreyer-thomas/TravelPlan 019c5dd2, 0.99 on
  // gpt-5.3-codex: a story of a trip planner completed; 58 calls, 3 wasted), scored once on arrival: 1/1 · 1/3.
  fresh177: {},
  // fresh178: a blind Claude Code session of obsessiondb/chkit (74e8f6e6, 2.1.50: end-to-end tests written for a
  // command set; 88 calls, 21 bookkeeping, 2 wasted), scored once on arrival: 2/2 · 2/2.
  fresh178: {},
  // fresh179: a blind Claude Code session of a new repository (vidluther/linkblog 541f3bdd, 2.1.39: a feed added to a
  // link blog; 53 calls, 2 bookkeeping, 1 wasted), scored once on arrival: no flag · 0/1.
  fresh179: {},
  // fresh180: a blind Claude Code session of FSM1/cipher-box (b8a609f7, 2.1.49: share tests mended, a commit that the
  // signing agent kept refusing; 84 calls, 2 wasted), scored once on arrival: 1/2 · 1/2 (the wrong flag: the first retry
  // of a commit after the signing agent failed, which its labeller took for a transient failure).
  fresh180: {},
  // fresh181: a blind Claude Code session of dougnukem/orpheus (7c377994, 2.1.112: a Tauri build run and its errors
  // fixed; 78 calls, 5 bookkeeping, 5 wasted), scored once on arrival: 0/1 · 0/5.
  fresh181: {},
  // fresh182: a blind Claude Code session of FSM1/cipher-box (a883dc43, 2.1.49: random IPNS keys per file, Rust and web;
  // 82 calls, 6 bookkeeping, 2 wasted), scored once on arrival: 1/1 · 1/2.
  fresh182: {},
  // fresh183: a blind Claude Code session of obsessiondb/chkit (7571ad77, 2.1.50: package READMEs rewritten, a PR
  // opened; 72 calls, 1 wasted), scored once on arrival: 1/3 · 1/1.
  fresh183: {},
  // fresh184: a blind Claude Code session of planetfall-seed-signalkit (b4204c32: a scene restyled while another session
  // edited the same file; 73 calls, nothing wasted), scored once on arrival: no flag.
  fresh184: {},
  // fresh185: a blind Claude Code session of obsessiondb/chkit (ae3fbe71, 2.1.42: a typecheck failure of a package's
  // build traced and fixed; 64 calls, nothing wasted), scored once on arrival: no flag.
  fresh185: {},
  // fresh186: a blind Claude Code session of dougnukem/orpheus (b6d95616, 2.1.112: an app icon hunted for on disk, then
  // set, across a 5-hour gap; 66 calls, 7 bookkeeping, 1 wasted), scored once on arrival: 0/2 · 0/1 (the wrong flags:
  // files read again after the person switched branches and committed between turns, reading as before).
  fresh186: {},
  // fresh188: a blind Claude Code session of obsessiondb/chkit (e2be958d, 2.1.50: a plan rejected while another session
  // built the feature in the same workspace; 49 calls, nothing wasted), scored once on arrival: no flag.
  fresh188: {},
  // fresh187: a blind Claude Code session of planetfall-seed-signalkit (233712ad, 2.1.177: the title screen and story
  // intro changed over 38 turns; 72 calls, 1 wasted), scored once on arrival: 1/1 · 1/1.
  fresh187: {},
  // fresh190: a blind Claude Code session of a new repository (entireio/entire-graph b999d973, 2.1.217: tree-sitter parse
  // errors reproduced and fixed in a Go parser; 73 calls, nothing wasted), scored once on arrival: no flag.
  fresh190: {},
  // fresh189: a blind OpenCode session of a new repository (alessandrojcm/dhc-dashboard ses_fd512f5c, OpenCode 1.18.21:
  // a ticket moving the app's e-mail onto Swoosh, test first, reviewed and committed; 122 calls, 2 wasted), which aco
  // could not read: scored once with the first OpenCode reader, written from the file's shape: 1/1 · 1/2.
  fresh189: {},
  // fresh191: a second blind OpenCode session of alessandrojcm/dhc-dashboard (ses_fd4e13d5: the parent ticket's next
  // child implemented; 171 calls, 1 wasted), the first the OpenCode reader read unseen: no flag · 0/1.
  fresh191: {},
  // fresh193: a blind OpenCode session of a new repository (AdityaBorkar/alpauls-recruitment-2 ses_1caa090b, OpenCode
  // 1.14.50 on GLM-5.1: a forms library made type-safe; 84 calls, 5 bookkeeping, 8 wasted), read by the OpenCode reader
  // unseen, scored once on arrival: 3/3 · 3/8 (four misses repeat what a person's @-mention put in the prompt).
  fresh193: {},
  // fresh194: a blind Claude Code session of a new repository (stat-guy/imessage-mail 66f8ec73, 2.1.76: a skill
  // published to a new repository; 70 calls, 3 wasted), scored once on arrival: 1/1 · 1/3.
  fresh194: {},
  // fresh192: a blind GitHub Copilot CLI session of a new repository (JeffreyCA/azure-dev 45f1a36c, Copilot CLI 1.0.72
  // on gpt-5.6-sol: flaky Windows tests of the Azure Developer CLI fixed and committed; 108 calls, 7 bookkeeping,
  // nothing wasted), read by the first Copilot CLI reader, scored once on arrival: no flag, nothing to find.
  fresh192: {},
  // fresh195: a blind GitHub Copilot CLI session of a new repository (polecatspeaks/StarCar 70b173ed, Copilot CLI 1.0.74
  // on claude-fable-5 with two background subagents, PowerShell on Windows; 246 calls, 10 wasted), read by the Copilot
  // CLI reader unseen, scored once on arrival: 0/1 · 0/10.
  fresh195: {},
  // fresh196: a blind GitHub Copilot CLI session of EntityProcess/agentv (10fb4666, Copilot CLI 1.0.64 on
  // claude-sonnet-4.6: why Entire's preToolUse hook denied a call, and a guard added to every hook; 68 calls, 8 wasted),
  // read by the Copilot CLI reader unseen, scored once on arrival: no flag · 0/8.
  fresh196: {},
  // fresh198: a blind GitHub Copilot CLI session of EntityProcess/agentv (c3f091b3, claude-opus-4.8: a design doc for
  // conflict-free results sync written, committed and revised; 61 calls, 6 wasted; an e-mail x-ed), read unseen,
  // scored once on arrival: no flag · 0/6.
  fresh198: {},
  // fresh197: a blind GitHub Copilot CLI session of polecatspeaks/StarCar (e07fc822, Copilot CLI on claude-opus-4.8 with
  // three background subagents, PowerShell on Windows; a shutdown and a resume; 206 calls, 4 wasted, all borderline; an
  // e-mail x-ed), read unseen, scored once on arrival: no flag · 0/4.
  fresh197: {},
  // fresh200: a blind Claude Code session of a new repository (basher83/forgeflare-hooks a3864c71, 2.1.42: a Rust agent's
  // tools built by a loop prompt; 111 calls, 12 bookkeeping, 5 wasted), scored once on arrival: 3/5 · 3/5.
  fresh200: {},
  // fresh201: a second blind Claude Code session of basher83/forgeflare-hooks (f54e3e39: a supervisor script and the
  // specs around it, an /exit and a resume; 130 calls, 5 wasted; an IP address and a town x-ed), scored once on
  // arrival: 4/4 · 4/5.
  fresh201: {},
  // fresh203: a blind GitHub Copilot CLI session of a new repository (eitatech/gatomia-vscode 378ab881, gpt-5.4 in plan
  // mode: a project read to plan a modularisation, no edits; 33 calls, its only Copilot CLI session, 6 bookkeeping, 1
  // wasted: AGENTS.md read though the system prompt held it whole), read unseen, scored once on arrival.
  fresh203: {},
  // fresh202: a blind OpenCode session of the same new repository (gatomia-vscode ses_21fe, 1.14.30 on gpt-5.4: change
  // events wired, empty and degraded states, tests, lint fixed, a push that timed out; 78 calls, 5 wasted; an e-mail
  // x-ed), read unseen, scored once on arrival.
  fresh202: {},
  // fresh204 and fresh205: two more blind OpenCode sessions of gatomia-vscode (ses_2200: phase 01 of a playbook, a read
  // model, a webview, docs and tests, 131 calls, 6 wasted; ses_21fc: a second agent working in the same checkout, a
  // push that timed out, 76 calls, 4 wasted; e-mails x-ed), scored once on arrival, after the patchText rule fresh202
  // gave: 5/7 · 5/6 and 2/2 · 2/4 (without it 2/4 · 2/6 and 1/1 · 1/4).
  fresh204: {},
  fresh205: {},
  // fresh206: a fifth blind OpenCode session of gatomia-vscode (ses_21fe5dac: the same playbook task as fresh202's, run
  // by a second agent in the same folder at the same time; 71 calls, 2 wasted), scored once on arrival: 2/2 · 2/2.
  fresh206: {},
  // fresh207: a blind OpenCode 1.4.3 session of a new repository a helper found and fetched (shaheislam/dotfiles
  // ses_26f24de8, gpt-5.4: tmux session restore turned on, tests added, a validation script mended; a context-pruning
  // plugin's compression; 80 calls, 15 bookkeeping, 5 wasted), read unseen, scored once on arrival: 2/2 · 2/5.
  fresh207: {},
  // fresh208: a blind Claude Code 2.1.39 session of a new repository a helper found through Entire's checkpoint notes
  // (ujuc/agent-stuff 2b3756eb: 15 guides moved into docs/guides and read back after each write; 108 calls, 57 wasted,
  // all reread-unchanged), scored once on arrival: 45/45 · 45/57.
  fresh208: {},
  // fresh210: a blind Codex Desktop session (gpt-5.5) of a new repository a helper found (entireio/entire-sem 019e7f73:
  // a review command built and tested, polled through a TTY; 112 calls, nothing wasted), scored once on arrival: no flag.
  fresh210: {},
  // fresh209: a blind Codex CLI 0.120.0 session (gpt-5.4) of a new repository a helper found (entireio/git-sync
  // 019d85eb: a protocol decoder mended, a guard on fetched objects added; 84 calls, 2 wasted), scored once on arrival:
  // 2/2 · 2/2.
  fresh209: {},
  // fresh212: a blind Codex CLI 0.123.0 session (gpt-5.4) of a new repository (entireio/external-agents 019dbcc1: a
  // compact-transcript command added, then lint errors; 83 calls, 2 bookkeeping, 4 wasted), scored once on arrival:
  // 3/3 · 3/4.
  fresh212: {},
  // fresh211: a second blind Codex session of entireio/entire-sem (019f8af9, Codex Desktop's code mode: each call an
  // exec cell; 109 calls, 1 wasted, borderline), scored once on arrival: no flag · 0/1.
  fresh211: {},
  // fresh213: a second blind Codex session of entireio/git-sync (019dda14: four turns, a Claude Code session editing
  // the same files beside it; 116 calls, 11 wasted), scored once on arrival: 3/4 · 3/11.
  fresh213: {},
  // fresh215 and fresh216: two more blind Codex sessions of Entire's repositories (external-agents 019dbcda, Codex
  // Desktop with GitHub's MCP tools: 71 calls, 2 wasted; git-sync 019d8d43, twelve turns and eleven web searches: 101
  // calls, 4 wasted), scored once on arrival: 2/2 · 2/2 and 4/4 · 4/4.
  fresh215: {},
  fresh216: {},
  // fresh214: a third blind Codex session of entireio/entire-sem (019f8eab, Codex Desktop on gpt-5.6-sol: an adversarial
  // review of a trail and its five findings fixed; 136 calls, 4 bookkeeping, 1 wasted, borderline), scored once on
  // arrival: no flag · 0/1.
  fresh214: {},
  // fresh217 and fresh218: two more blind Codex sessions of Entire's repositories (entire-sem 019f8c04, code mode: 77
  // calls, 1 wasted; external-agents 019dc116: 74 calls, 4 wasted), scored once on arrival: no flag · 0/1 and no flag
  // · 0/4. (fresh219, a forked review subagent of git-sync, was labelled too, then left out: 74 of its 77 calls replay
  // its parent's history, which aco does not count as the fork's, so its labels match no call of it.)
  fresh217: {},
  fresh218: {},
  // fresh221 and fresh222: two blind Codex Desktop sessions of entireio/git-sync (019ddcb1: 68 calls, 4 wasted;
  // 019ddeed, README and media work, a rebase and a PR: 154 calls, 2 wasted), scored once on arrival: 1/1 · 1/4 and
  // no flag · 0/2.
  fresh221: {},
  fresh222: {},
  // fresh220: a fourth blind Codex Desktop session of entireio/entire-sem (019e8923: snapshots honour .gitignore and
  // --ignore-file, then --include-file, two commits and pushes; 103 calls, 3 bookkeeping, 5 wasted, three of them
  // borderline), scored once on arrival: no flag · 0/5.
  fresh220: {},
  // fresh224 and fresh225: a blind Claude Code session of entireio/external-agents (012dbfb0: an e2e test
  // reorganisation with four subagents; 90 calls, 22 bookkeeping, 4 wasted) and a blind Codex session of
  // entireio/git-sync (019d86e6: 184 calls, 5 bookkeeping, 14 wasted), scored once on arrival: 3/3 · 3/4 and 11/11 ·
  // 11/14.
  fresh224: {},
  fresh225: {},
  // fresh223: a blind Codex session of entireio/entire-sem (019e7da4: 179 calls, 10 wasted, five of them `go test ./...`
  // again after Markdown edits or a commit), scored once on arrival: 1/1 · 1/10.
  fresh223: {},
  // fresh226 and fresh227: two blind Claude Code sessions of entireio/external-agents (7c6c3177: 145 calls, 8 wasted;
  // 7e8b8b3f: 152 calls, 14 wasted; both with six subagents whose calls only their progress records hold, and Claude
  // Code's token saver showing the agent only `ok pkg` of a `go test -v`), scored once on arrival: 2/3 · 2/8 and
  // 10/13 · 10/14.
  fresh226: {},
  fresh227: {},
  // fresh228: the first 152 of the 252 calls of a blind Codex session of entireio/external-agents (019da9bd, turns
  // 1–14; 13 wasted), scored once on arrival: 11/11 · 11/13.
  fresh228: {},
  // fresh229: the first 127 of the 333 calls of a blind Codex Desktop session of entireio/entire-sem in code mode
  // (019f80ed: 92 `exec` cells, reviewer subagents in threads of their own, one compaction; 7 wasted, re-reads for
  // citations inside cells), scored once on arrival: no flag · 0/7.
  fresh229: {},
  // fresh230: turn 1 (195 of 424 calls) of a blind Codex session of entireio/entire-sem (019e9ea7: a tree-sitter
  // parser vendored and tested; 6 wasted), scored once on arrival: 3/3 · 3/6.
  fresh230: {},
  // fresh231 and fresh232: two blind Claude Code sessions of repositories no set had used (teslamint/entirecontext
  // da81b1d5, a release wrapped up, in Korean: 185 calls, 13 bookkeeping, 5 wasted; shunkakinoki/dotfiles 8e0afadf,
  // Nix packages wired and CI mended: 97 calls, 5 wasted), scored once on arrival: 2/6 · 2/5 and no flag · 0/5.
  fresh231: {},
  fresh232: {},
  // fresh233–fresh235: three blind Claude Code sessions of repositories fresh231 and fresh232 had used (shunkakinoki/
  // dotfiles fe0cad35, Homebrew on NixOS: 67 calls, none wasted; teslamint/entirecontext d29c2adb, an SDK migration: 132
  // calls, 4 wasted; f70db4c5, a release's retro: 108 calls, 5 wasted), scored once on arrival: no flag · 0/0, 3/11 ·
  // 3/4 (eight of the literal-bar rule's wrong flags, which took it back) and 1/1 · 1/5.
  fresh233: {},
  fresh234: {},
  fresh235: {},
  // fresh236–fresh238: three blind sessions of repositories no set had used, found where their owners committed them
  // (kennykguo/jailbreaking, Codex, a C lab on Apple internals: 113 calls, 9 wasted; lhl/claudecycles-revisited, Codex,
  // a CP-SAT solver and a symmetry check: 102 calls, 7 bookkeeping, 7 wasted; w12z/Cap, OpenCode in Chinese, a Godot
  // prototype and an economy design: 144 calls, 4 bookkeeping, 2 wasted), scored once on arrival: 7/7 · 7/9, 4/5 · 4/7
  // and 0/1 · 0/2.
  fresh236: {},
  fresh237: {},
  fresh238: {},
  // fresh240: a blind Claude Code session of a repository no set had used (Sarthib7/FundWise, a roadmap, four ADRs and
  // a wallet check script: 83 calls, 5 wasted), scored once on arrival: 2/2 · 2/5.
  fresh240: {},
  // fresh239 and fresh241: a blind Codex session of lhl/claudecycles-revisited (019cbf6f, a solver rebuilt from .pyc
  // files: 93 calls, 9 wasted) and a blind Claude Code session of entireio/auth-go (0e0e7814, a PR reviewed and mended:
  // 85 calls, none wasted), scored once on arrival: 6/6 · 6/9 and no flag · 0/0.
  fresh239: {},
  fresh241: {},
  // fresh242–fresh244: blind sessions of hackathon repositories that commit them at their root (inspi-writer001/
  // gildore-arena, Codex, a pitch deck: 95 calls, 2 wasted; swarnasn29/soulpass, Codex, a payroll dashboard: 157 calls,
  // 9 wasted; yashpunmiya/Solsmile, Claude Code, a prediction market: 118 calls, 10 bookkeeping, 19 wasted), scored
  // once on arrival: no flag · 0/2, 4/5 · 4/9 and 16/16 · 16/19.
  fresh242: {},
  fresh243: {},
  fresh244: {},
  // fresh245–fresh247: three blind sessions of repositories earlier sets had used, each one no set had (entireio/auth-go
  // 8d7d7d1c, Claude Code, a rebase, a five-agent review and a release: 132 calls, 3 wasted; lhl/claudecycles-revisited
  // 4ee5a7fb, Claude Code, a review and a session analysis: 171 calls, 10 wasted; kennykguo/jailbreaking 019bbf70, Codex,
  // a Mach-O parser lab: 101 calls, 8 bookkeeping, 5 wasted), scored once on arrival: no flag · 0/3, 5/5 · 5/10, 3/5 ·
  // 3/5.
  fresh245: {},
  fresh246: {},
  fresh247: {},
  // fresh248–fresh250: the last unused sessions of two of those repositories (entireio/auth-go 9bdf5c9b, Claude Code, a
  // review and three optimisations: 130 calls, 27 bookkeeping, 1 wasted; lhl/claudecycles-revisited f2a37262, Claude
  // Code, a solver and a proof: 83 calls, 6 wasted; 019cbc54, Codex, a solver rebuilt from .pyc files: 89 calls, 11
  // wasted), scored once on arrival: 1/1 · 1/1, 2/2 · 2/6, 8/8 · 8/11.
  fresh248: {},
  fresh249: {},
  fresh250: {},
  // fresh252 and fresh253: blind sessions of two repositories no set had used, found where their owners committed the
  // agents' own folders (softwaresalt/agent-engram, Copilot CLI on Windows, forty issues filed: 86 calls, 15
  // bookkeeping, none wasted; WenJ-He/SinglePTZ-FaceTrack, Claude Code in Chinese, a design revised: 106 calls, 9
  // wasted), scored once on arrival: no flag · 0/0 and 7/7 · 7/9.
  fresh252: {},
  fresh253: {},
  // fresh254 and fresh255: blind Copilot CLI sessions (softwaresalt/agent-engram 8baa78ec, an MCP shim mended, its first
  // 148 of 269 calls, an explore subagent's in the same file: 5 wasted; jjwvanboxtel/poule_v2, a constitution and a
  // seed script in Dutch: 59 calls, 20 bookkeeping, 5 wasted), scored once on arrival: 5/9 · 5/5 (four wrong flags: a
  // folder's view read as a file's, mended: 5/5†) and 4/4 · 4/5.
  fresh254: {},
  fresh255: {},
  // fresh256 and fresh257: blind Claude Code sessions of repositories no set had used (jamescoward/tool-calling-unmasked,
  // a talk built as a static site: 96 calls, 12 bookkeeping, 3 wasted; entireio/herdr-trails, a Herdr plugin: 215 calls,
  // 3 wasted), scored once on arrival: 3/3 · 3/3 and no flag · 0/3 (two of its misses, `--include=*.rs` unquoted under
  // zsh again, found since: 2/2 · 2/3†).
  fresh256: {},
  fresh257: {},
  // fresh258: a blind Copilot CLI session of a repository no set had used (Kaijon/little-hou-claw: a bot whose CI job
  // resumes one session per Telegram message, at a new commit each time: 129 calls, 44 bookkeeping, 12 wasted); fresh259:
  // an unused Claude Code session of a331468564/claude-codex-chat-archives (transcripts gathered, on Xiaomi MiMo: 68
  // calls, 4 wasted). Scored once on arrival: 8/12 · 8/12 (four wrong flags: files read or listed again at a turn
  // resumed at another commit; since a resume at another commit tells of a change: 8/8 · 8/12†) and 2/2 · 2/4.
  fresh258: {},
  fresh259: {},
  // fresh260: a blind Codex session of a repository no set had used (Strawhat404/TASK-32, an offline shop app built
  // from an empty folder, its first 174 of 279 calls: 37 wasted, most of them reads of files the agent had just written
  // with heredocs), scored once on arrival: 31/31 · 31/37; since bash named by its path (`/bin/bash: -c: line 1:
  // unexpected EOF`) is read as a line that ran nothing, three reads of a file written just before: 34/34 · 34/37†.
  fresh260: {},
  // fresh262 (fresh261's helper still searched): a blind Copilot CLI session of a repository no set had used
  // (shinelu2013/myAssistant, a bot of fresh258's kind resumed once a day for a morning report: 102 calls, 28 bookkeeping,
  // 20 wasted), scored once on arrival: 11/11 · 11/20 (its nine re-reads of the session's own plan.md, at runs resumed at
  // another commit, unflagged by fresh258's rule; since the session's own state is left out of that change: 20/20 ·
  // 20/20†).
  fresh262: {},
  // fresh261: a blind Codex session on Windows of a repository no set had used (Eyob-smax/MeridianOps-Retail-Performance-
  // Platform, an audit and five test gaps closed: 126 calls, 3 wasted), scored once on arrival: 2/2 · 2/3.
  fresh261: {},
  // fresh264: a blind Copilot CLI session of a repository no set had used (jennileng/littleshrimp, a bot of fresh258's
  // kind on claude-haiku-4.5: 69 calls, 11 bookkeeping, 2 wasted), scored once on arrival: no flag · 0/2.
  fresh264: {},
  // fresh263 and fresh265: blind Claude Code sessions of two repositories no set had used (Hale17OT/Task-43, a legal
  // scheduling app from an empty folder, its first 195 of 418 calls: 9 wasted; Hale17OT/Task-54, a clinic-commerce app
  // with subagents, 253 calls, 35 bookkeeping: 4 wasted), scored once on arrival: 4/4 · 4/9 and 2/5 · 2/4 (three re-reads
  // its labeller left as precautions: the plan after the person rejected it, a schema a subagent may have touched, a
  // README before its rewrite).
  fresh263: {},
  fresh265: {},
  // fresh268: an unused Codex session on Windows of Eyob-smax/MeridianOps-Retail-Performance-Platform (fresh261's
  // repository: the project built with PowerShell here-strings, its first 181 of 270 calls, 32 wasted), scored once on
  // arrival: 30/30 · 30/32 (its seven rewrites of a file with the content it held all found, one of them by this
  // session's rule for the same text written again by another call).
  fresh268: {},
  // fresh266: a blind Claude Code session of Eyob-smax/FitCommerce-task-15 (ten security defects mended with edits, 83
  // calls, none wasted), scored once on arrival: no flag · 0/0.
  fresh266: {},
  // fresh267: a blind Codex Desktop session on Windows of a repository no set had used (switch247/fleet-release, a
  // rental app from scratch in a sandbox that failed most calls, its first 156 of 800 calls: 12 wasted), scored once on
  // arrival: 3/10 · 3/12 (seven wrong: retries after the sandbox's failures its labeller left as borderline or asked
  // for by the person's message within the turn, and a read that showed the file's emoji stored as `??`).
  fresh267: {},
  // fresh271: a blind Codex Desktop session on Windows of a repository no set had used (switch247/MeridianCare-
  // Outpatient-Operations, a clinic platform, its first 138 of 389 calls: 1 wasted), scored once on arrival: no flag ·
  // 0/1.
  fresh271: {},
  // fresh270 and fresh269: blind Claude Code sessions of repositories no set had used (francojc/dotfiles, a ~/.claude
  // committed by mistake: one 1.0.21 file holding five contexts, four /clears and a /compact, 151 calls, 5 wasted;
  // BeteabAdmassu/Task-2, a clinic app with subagents, 260 calls, 11 wasted), scored once on arrival: 2/11 · 2/5 (reads
  // again across a /clear; since a /clear empties the context: 2/7 · 2/5†) and 9/15 · 9/11 (six re-reads of the agent's own files after subagents that may have written:
  // its labeller called them reasonable checks, "a stricter reading would call them wasted").
  fresh270: {},
  fresh269: {},
  // fresh272: a blind OpenCode session (an export in UTF-16 with CRLF) of a repository no set had used
  // (DagNo1/TASK-20260318-16D874, a Spring Boot app brought up in Docker: 88 calls, 1 wasted), scored once on arrival:
  // 0/2 · 0/1 (two health checks of the app while it started, `curl` exiting 52; since curl's exit codes for no answer
  // read as a server not up yet, and a folder with spaces no longer hides the `docker compose up` before: — · 0/1†).
  fresh272: {},
  // fresh273: a blind Claude Code session of a repository no set had used (windtara0619/tpu-inference, a ~/.claude
  // copied in by an autosync commit: a TPU attention kernel, 104 calls, 6 wasted), scored once on arrival: 3/3 · 3/6.
  fresh273: {},
  // fresh274: a blind Claude Code session in WebStorm of a repository no set had used (aroldzmitry/claude-config, a
  // ~/.claude committed whole: a budgeting app, in Russian, 145 calls, 28 bookkeeping, 2 wasted), scored once on
  // arrival: 2/4 · 2/2 (a re-read of a file the person had attached to a question, and a partial re-read its labeller
  // left as new).
  fresh274: {},
  // fresh275: a blind Gemini CLI session of a repository no set had used (BrianV1981/aim, a memory add-on for Gemini CLI
  // on gemini-3-flash-preview: 114 calls, 6 wasted; a business address x'ed out), scored once on arrival: 6/6 · 6/6.
  fresh275: {},
  // fresh276: a blind Claude Code session on Windows of Eyob-smax/CampusOps-task-44 (an audit's defects mended and built
  // in Docker, its first 181 of 262 calls: 2 wasted), scored once on arrival: 2/3 · 2/2.
  fresh276: {},
  // fresh277: an unused Claude Code session of fresh274's repository (aroldzmitry/claude-config, the budget app's client
  // documented: 72 calls, 6 bookkeeping, 3 wasted), scored once on arrival: 3/3 · 3/3.
  fresh277: {},
  // fresh278: an unused Gemini CLI session of fresh275's repository (BrianV1981/aim: an API key moved into the keyring,
  // 67 calls, 5 wasted), scored once on arrival: 1/1 · 1/5 (since Gemini CLI's cli_help is known to change no file:
  // 2/2 · 2/5†).
  fresh278: {},
  // fresh279 and fresh280: unused sessions of fresh275's and fresh274's repositories (BrianV1981/aim's Gemini CLI
  // benchmark run on a Django checkout, 78 calls, 10 wasted, a personal address x'ed out; aroldzmitry/claude-config, a
  // sidebar built through four subagents, 109 calls, 1 wasted), scored once on arrival: 2/2 · 2/10 and 1/1 · 1/1.
  fresh279: {},
  fresh280: {},
  // fresh283 and fresh284: blind Claude Code sessions of two repositories no set had used, whose committed `~/.claude`
  // an earlier search had skipped for the keys and address in them, now x'ed out (fabien-lessirard/dotfiles: a
  // restaurant dashboard audited and three features released, 136 calls, 6 bookkeeping, 8 wasted;
  // LuisUma92/dotfiles: a tool moved from YAML to SQLAlchemy, 90 calls, 33 bookkeeping, 3 wasted), scored once on
  // arrival: 7/7 · 7/8 and 2/2 · 2/3.
  fresh283: {},
  fresh284: {},
  // fresh285 and fresh286: a blind Gemini CLI session (chimdi-7bit/skycast-api: a weather API and site, 113 calls,
  // 11 wasted, keys and an address x'ed out; Gemini CLI masked older outputs in the file) and a blind OpenCode one
  // (iesta/TUIPTV: a Rust TUI, 119 calls, 11 wasted), scored once on arrival: 3/4 · 3/11 and 7/7 · 7/11 (since the
  // masked output and OpenCode's end note are read as the harness's: 4/5 · 4/11† and 8/8 · 8/11†).
  fresh285: {},
  fresh286: {},
  // fresh281 and fresh282: blind Codex sessions (epha-b1/NeighborhoodPickup-Commerce-Portal on Windows PowerShell, the
  // first 179 of 335 calls, 26 wasted; tvvshow/gokao, Desktop Commander's MCP file tools, the first 192 of 254 calls,
  // 33 wasted, a password, a LAN address and a host name x'ed out past the labelled part), scored once on arrival:
  // 23/23 · 23/26 and 23/25 · 23/33 (since cmd's `dir` only looks: 24/24 · 24/26†; since Codex's MCP results are read
  // as their text and Desktop Commander's stated lines placed: 26/27 · 26/33†).
  fresh281: {},
  fresh282: {},
  // fresh287 and fresh288: blind Claude Code sessions (TheJesper/skissify: a Next.js app deployed by one of three
  // coordinating agents, 87 calls, none wasted, a LAN address x'ed out; linxiaotutututu1123/3579: linting, tests and CI
  // of a risk engine on Windows, 114 calls, 9 wasted, an address x'ed out, its labeller judging re-reads checks where
  // the person edited files outside the agent), scored once on arrival: no flag · 0/0 and 3/6 · 3/9 (since a shell's
  // start-up file errors are no piped command's failure: 4/7 · 4/9†).
  fresh287: {},
  fresh288: {},
  // fresh289 and fresh290: a blind Codex Desktop session (DJSPEEDYGA/GOAT-Royalty-App, a Codex home committed whole: a
  // client app's launchers mended while a second session worked in the same folder, 85 calls, 3 wasted) and a blind
  // OpenCode one (ibxbit/venuereserve-ops-suite: 84 calls, none wasted), scored once on arrival: 1/1 · 1/3 and no flag ·
  // 0/0.
  fresh289: {},
  fresh290: {},
  // fresh291: a blind Claude Code session (nconsigny/client_obv: an Ethereum state-proof client built and fitted to a
  // wallet extension, 163 calls, 14 bookkeeping, 11 wasted; six subagents, one compaction), scored once on arrival:
  // 7/7 · 7/11 (the misses are runs while async agents were at work, which aco counts as changing anything).
  fresh291: {},
  // fresh292 and fresh293: a blind Claude Code session (pc-style/tui: an `init` subcommand through an orchestrator
  // subagent, 73 calls, 4 wasted) and a blind OpenCode one (SucksToBeAnik/mtl-management-system: a FastAPI dashboard
  // deployed, the first 120 of 171 calls, 11 wasted), scored once on arrival: 4/4 · 4/4 and 6/9 · 6/11 (since `curl … |
  // python3 -m json.tool` is as volatile as `curl`: 6/7 · 6/11†).
  fresh292: {},
  fresh293: {},
  // fresh294 and fresh295: a blind Codex session (mkodithuwakku/ECE493Lab2: Spec-Kit specs, plans and tasks written for
  // two use cases, 136 calls, 35 wasted) and a blind Claude Code one (bobmatnyc/claude-mpm: tickets made and moved by
  // hand after a research subagent, the first 120 of 191 calls, 3 wasted), scored once on arrival: 21/21 · 21/35 and no
  // flag · 0/3.
  fresh294: {},
  fresh295: {},
  // fresh296 and fresh297: a blind Codex session (pinouchon/rtchess: a chess web app built from an empty folder, the first
  // 120 of 298 calls, 1 wasted) and a blind Claude Code subagent (gabrielramos-rc/claude-code-setup: an Express API's
  // authentication phase, 94 calls, 1 wasted), scored once on arrival: 1/1 · 1/1 and no flag · 0/1.
  fresh296: {},
  fresh297: {},
  // fresh298: a blind OpenCode session (salmankalam/uicomponents: a React site with a booking form and 21st.dev
  // components, the first 120 of 187 calls, 5 wasted), scored once on arrival: 4/6 · 4/5 (the two wrong: reads six days
  // later, after the person had added files to the folder, that aco calls unchanged because they read as before).
  fresh298: {},
  // fresh299: a blind Codex session (delorenj/pjangler: a tech spec, then a `sync-docs` command added to a Bun CLI with
  // tests and two review rounds, 106 calls, 10 wasted), scored once on arrival: 5/5 · 5/10.
  fresh299: {},
  // fresh300: a blind Claude Code session (keithrozario/claude-test: a uv package with a pure-Python SHA-256 built step
  // by step with tests, 114 calls, 35 bookkeeping, 8 wasted), scored once on arrival: 5/9 · 5/8 (three wrong: the whole
  // test suite after one of its files had passed, read as fewer of that file's tests; mended since).
  fresh300: {},
  // fresh301: a blind Codex session (inmnin/compile-r1: a rule-based extractor over PMC case-report parquets, run and
  // tightened over three turns, 87 calls, 41 of them polls, 2 wasted), scored once on arrival: no flag · 0/2 (both an
  // output file looked for while the run that writes it at its end still ran).
  fresh301: {},
  // fresh302: a blind Claude Code session (marcosaw/span_maw_coding_test: a take-home league-table CLI, 68 calls, 1
  // wasted), scored once on arrival: no flag · 0/1 (a final `pytest -q` after example CSVs and the README were written,
  // which aco cannot tell no test reads).
  fresh302: {},
  // fresh304: a blind Claude Code session (Dawit212119/TASK_52: Laravel and Vue fixes of a take-home task over four
  // turns, 114 calls, 3 wasted), scored once on arrival: 2/2 · 2/3.
  fresh304: {},
  // fresh306: a blind OpenCode session (victoryforphil/dark-factory, another session than fresh308's: a docs scraper
  // and its skill built with gpt-5.3-codex, 83 calls, 3 wasted), scored once on arrival: no flag · 0/3.
  fresh306: {},
  // fresh303: a blind Codex session (zjackz/askjeff: spec-kit analyse, checklist and implement on an existing project,
  // then its backend tests moved to PostgreSQL in Docker, 155 calls, 11 wasted), scored once on arrival: 6/6 · 6/11.
  fresh303: {},
  // fresh305: a blind Claude Code session (my-entourage/entourage-web: a landing-page redesign planned, built and
  // revised over six rounds of feedback, 150 calls, 3 wasted), scored once on arrival: 1/2 · 1/3.
  fresh305: {},
  // fresh307: a blind Claude Code session (chamanomopah/orion-master: GLM 4.7 through Claude Code building a chess web
  // app from a plan in one turn, 69 calls, 5 wasted), scored once on arrival: 2/2 · 2/5.
  fresh307: {},
  // fresh308: a blind OpenCode session (victoryforphil/dark-factory: a plan turn reading a library's docs, then a build
  // turn, 102 calls, 7 wasted), scored once on arrival: 6/6 · 6/7.
  fresh308: {},
  // fresh309: a blind Claude Code session (nealxpatel/lindenmayer: Haiku 4.5 driven step by step by an orchestrator's
  // prompts, a Bash hook rewriting commands, 110 calls, 6 wasted), scored once on arrival: no flag · 0/6.
  fresh309: {},
  // fresh310: a blind Claude Code session (nealxpatel/lindenmayer, another session than fresh309's: Sonnet 5 and Opus
  // 4.8 through an orchestrator's steps, 145 calls, 9 wasted), scored once on arrival: 3/3 · 3/9.
  fresh310: {},
  // fresh311: a blind OpenHands session (thefaftek-git/tls_scanner: Devstral Small building a Flask TLS scanner with
  // browser checks over seven messages, three condensations, 88 calls, 5 wasted), scored once on arrival: 2/2 · 2/5.
  fresh311: {},
  // fresh312: a blind Claude Code session (htilk/bella-vista-reservation-agent: Opus 4.8 in the desktop app building a
  // reservation agent and trying it in the preview browser; the first 120 of 187 calls labelled, none wasted), scored
  // once on arrival: no flag · nothing wasted. (The person's pasted key was redacted by the owner before committing.)
  fresh312: {},
  // fresh313: a blind Claude Code session (zatiads/projeto-jake-23-03-2026: Sonnet 4.6 trimming a Flask dashboard, a
  // finance refactor by a subagent, CSS; 142 calls, 61 of them three subagents' inside progress records; 3 wasted),
  // scored once on arrival: 3/4 · 3/3 (the wrong one a whole-file grep right after the read that printed its hits).
  fresh313: {},
  // fresh314: a blind Claude Code session (7567491/main, a web server's home folder: Sonnet 4 in Claude Code 1.0.80
  // ranking sub-domains from nginx logs; 84 calls, 7 wasted), scored once on arrival: 1/2 · 1/7 (the wrong one a JSON
  // file read again after the script that writes it ran, reading as before).
  fresh314: {},
  // fresh315: a blind Claude Code 1.0.34 session (MoonYetis/moonyetis-deploy, a server's home folder: Sonnet 4 chasing
  // missing reel images on a live site whose nginx served another folder; 118 calls, 5 wasted), scored once on arrival:
  // 1/1 · 1/5.
  fresh315: {},
  // fresh316: a blind Claude Code 1.0.44 session (bbuchsbaum/brainflow2's committed ~/.claude: Sonnet 4 in a Rust
  // statistics workspace, its shell left in a sub-folder by a `cd`; 106 calls, 18 wasted), scored once on arrival:
  // 5/7 · 5/18.
  fresh316: {},
  // fresh317: a blind Claude Code 1.0.17 session (captainplanet9000/Cival-Dashboard-v8's committed home folder: Sonnet 4
  // fixing a Next.js build error by error, 42 builds; 141 calls, 2 wasted), scored once on arrival: 0/2 · 0/2.
  fresh317: {},
  // fresh318: a blind Claude Code 1.0.56 session (billckr/multi-os-web-dev-setup-script, a dev server's /root: Sonnet 4
  // mending a bash installer's firewall and PHP-FPM steps; 65 calls, 6 wasted, three of them stray-quote Greps), scored
  // once on arrival: 2/2 · 2/6.
  fresh318: {},
  // fresh319: a blind Claude Code 1.0.35 session (MaRu44448476/fortune-love-seo's committed home folder: Sonnet 4
  // building a Next.js site with Prisma and Stripe; the first 120 of 336 calls labelled, 2 wasted), scored once on
  // arrival: 1/1 · 1/2.
  fresh319: {},
  // fresh320: a blind Claude Code 1.0.44 session (RobertoBlasco/docx's committed ~/.claude: Sonnet 4 cleaning up a
  // Python DOCX tool's names and logging, with one review subagent; the first 120 of 182 calls, 6 wasted), scored once
  // on arrival: 4/4 · 4/6.
  fresh320: {},
  // fresh321: a blind Claude Code 1.0.53 session (cjinzy/dotfiles' committed ~/.claude: Opus 4 then Sonnet 4 building a
  // TypeScript MCP server; 106 calls, 2 wasted), scored once on arrival: 1/1 · 1/2.
  fresh321: {},
  // fresh322: a blind Claude Code 1.0.58 session (bochang999/ai-assistant-knowledge-hub, a committed ~/.claude from a
  // Termux phone: Sonnet 4 building a rock-paper-scissors web app, then 38 failed edits with escaped newlines; the first
  // 120 of 248 calls, 17 wasted), scored once on arrival: 13/13 · 13/17.
  fresh322: {},
  // fresh323: a blind Claude Code 1.0.96 session (kwannz/NEWRSS's committed ~/.claude: Sonnet 4 on a Next.js and Prisma
  // shop's cart and speed; 136 calls, 9 wasted), scored once on arrival: 8/8 · 8/9.
  fresh323: {},
  // fresh324: a blind Claude Code 1.0.61 session (LucaIgnatescu/Dotfiles' committed ~/.claude: Sonnet 4 setting up a
  // Next.js project, its lint rules and commits; 62 calls, 6 wasted), scored once on arrival: 3/3 · 3/6.
  fresh324: {},
  // fresh325: a blind Claude Code 1.0.65 session (tjkin1201/claude-agent, a committed Windows ~/.claude: Sonnet 4 fixing
  // an Expo app's lint and type errors, then Playwright runs through port clashes; 69 calls, none wasted), scored once
  // on arrival: no flag (0/0 · 0/0).
  fresh325: {},
  // fresh326: a blind Claude Code 1.0.115 session run on Z.ai's GLM-4.7 (rhinos0608/rhythm-chamber: removing window
  // globals from 13 files until the lint passes, then an error-boundary test; 73 calls, 2 wasted), scored once on
  // arrival: 2/2 · 2/2.
  fresh326: {},
  // fresh327: a blind Claude Code 2.0.75 session (Geralt1983/Thanos, a committed ~/.claude: Opus 4.5 turning an Express
  // app into Vercel functions and Supabase; the first 120 of 198 calls, 4 wasted), scored once on arrival: 3/3 · 3/4.
  fresh327: {},
  // fresh328: a blind Claude Code 1.0.72 session (matheusmortatti/dev-config's committed ~/.claude: Sonnet 4 writing a
  // C game engine's scene management, tests first; 85 calls, 2 wasted), scored once on arrival: 2/2 · 2/2.
  fresh328: {},
  // fresh329: a blind Claude Code 1.0.57 session (terrylica/claude-config, a committed ~/.claude: Sonnet 4 building a
  // Python tool that analyses git commits; 87 calls, 17 wasted, ten of them looks a first listing had answered), scored
  // once on arrival: 17/17 · 17/17.
  fresh329: {},
  // fresh330: a blind Claude Code 2.0.19 session (thomas0369/claude_ai, a committed ~/.claude: Sonnet 4.5 with a Haiku
  // 4.5 explorer building a trading-signal bot and its Flask UI; 115 calls, 2 wasted), scored once on arrival: 1/1 · 1/2.
  fresh330: {},
  // fresh331: a blind Claude Code 2.0.76 session (umaionigiri/claudefiles, a committed ~/.claude: Opus 4.5 taking an
  // issue of a Next.js chatbot through to a merged PR; 72 calls, 2 wasted), scored once on arrival: 1/1 · 1/2.
  fresh331: {},
  // fresh332: a blind Claude Code 2.1.33 session (sumanthrangausa-06/Rekrut_AI_v2, whose agent platform commits its
  // sessions: Opus 4.6 adding AI onboarding to a React app's pages; 93 calls, 3 wasted), scored once on arrival: 2/2 ·
  // 2/3.
  fresh332: {},
  // fresh333: a blind Claude Code 2.0.70 session (leejaewoong/claude-settings, a committed ~/.claude: Sonnet 4.5 debugging
  // a Next.js todo app while its person edited the same files in their editor; 104 calls, 6 wasted), scored once on
  // arrival: 5/11 · 5/6 (six wrong flags: files the person was changing behind the agent).
  fresh333: {},
  // fresh334: a blind Claude Code 1.0.84 session (DominionZA2/claude-config, a committed ~/.claude: Sonnet 4 and Opus 4.1
  // refactoring a C# patch builder under a demanding person; 98 calls, 6 wasted), scored once on arrival: 1/1 · 1/6.
  fresh334: {},
  // fresh335: a blind Claude Code 2.0.27 session (njdamstra/claude-code-config, a committed ~/.claude: Sonnet 4.5 taking
  // an Astro app's type check from 32 errors to none; 117 calls, 1 wasted), scored once on arrival: 1/1 · 1/1.
  fresh335: {},
  // fresh336: a blind Claude Code 1.0.86 session (elmorem/claude_config, a committed ~/.claude: two Sonnet 4 subagents
  // writing a Django and Next.js app's architecture report and deployment plan; 62 calls, 4 wasted), scored once on
  // arrival: 3/5 · 3/4 (two wrong: looks an LS that hides dot-files and leaves venv/ unexpanded did not answer).
  fresh336: {},
  // fresh337: a blind Claude Code 1.0.95 session (pffigueiredo/claude-code-settings, a committed ~/.claude: Opus 4.1 and
  // Sonnet 4 building a React form with serena's tools; 111 calls, 4 wasted), scored once on arrival: 1/2 · 1/4.
  fresh337: {},
  // fresh338: a blind Claude Code 1.0.62 session (darksoulx7/claude-code, a committed ~/.claude: Sonnet 4 on a React and
  // Lambda payroll app's freeze dates; 144 calls, 6 wasted), scored once on arrival: 1/1 · 1/6.
  fresh338: {},
  // fresh339: a blind Claude Code 2.0.8 session (lllttt06/claude-code-cookbook, a committed ~/.claude: Sonnet 4.5 on a
  // Flutter app's branch review and failing model tests; 87 calls, 3 wasted), scored once on arrival: 2/2 · 2/3.
  fresh339: {},
  // fresh340: a blind Claude Code 1.0.34 session (oneopane/CLAUDE-commands, a committed ~/.claude: Opus 4 and Sonnet 4
  // on a SwiftUI video app's shortcuts, two subagents; 102 calls, 1 wasted), scored once on arrival: no flag · 0/1.
  fresh340: {},
  // fresh341: a blind Claude Code 1.0.77 session (Yamiyorunoshura/sunnycore, a committed ~/.claude: Sonnet 4 building a
  // Rust trading bot's skeleton, then a QA turn; 98 calls, 18 wasted), scored once on arrival: 14/14 · 14/18.
  fresh341: {},
  // fresh342: a blind Claude Code 1.0.72 session (diegofornalha/claude-ago-25, a committed ~/.claude: Sonnet 4 on a React
  // Query error and an A2A server's scripts; 153 calls, 5 wasted), scored once on arrival: 2/3 · 2/5 (one wrong: a
  // start script failing otherwise, after a kill, read by its banner).
  fresh342: {},
  // fresh343: a blind Claude Code 1.0.55 session (JiangBeta/hyprland-elite-desktop, a committed ~/.claude folder: Opus 4
  // then Sonnet 4 configuring a Hyprland desktop; 93 calls, none wasted), scored once on arrival: no flag.
  fresh343: {},
  // fresh344: a blind Claude Code 2.0.55 session (StannerSec/Claude-Agents, a committed ~/.claude: Haiku 4.5 debugging a
  // Wazuh deploy script over ssh; 112 calls, 13 wasted), scored once on arrival: 1/1 · 1/13.
  fresh344: {},
  // fresh345: a blind Claude Code 1.0.30 session (ebrett/dotfiles, a ~/.claude kept by chezmoi as dot_claude/: Opus 4,
  // then Sonnet 4, adding Python projects to a Ruby gem, a subagent at work; 102 calls, 2 wasted), scored once on
  // arrival: 2/2 · 2/2.
  fresh345: {},
  // fresh346: a blind Claude Code 1.0.31 session (nickhoffman/dotfiles, its home/.claude: Sonnet 4 writing Vitest tests
  // for a Chrome extension, resumed four days later with its shell's snapshot gone; 114 calls, 34 wasted), scored once on
  // arrival: 25/25 · 25/34.
  fresh346: {},
  // fresh347: a blind Claude Code 2.1.20 session (Vultron-AI/vector-deploy-todo-app-2-51, a build sandbox's committed
  // home folder: Opus 4.5 building a React task tracker from a plan; 68 calls, 4 wasted), scored once on arrival: 4/4 · 4/4.
  fresh347: {},
  // fresh349: a blind Claude Code 2.1.63 session (borischou/dotfiles, a ~/.claude kept by chezmoi: Opus 4.6 taking a
  // Python CLI's web layer out, then /review and /ship; 92 calls, 4 wasted), scored once on arrival: 2/2 · 2/4.
  fresh349: {},
  // fresh350: a blind Claude Code 0.2.126 session (jchidley/dotfiles, a ~/.claude kept by chezmoi: Sonnet 3.7 mending a
  // MkDocs site, resumed; 73 calls, 9 wasted), scored once on arrival: 2/2 · 2/9.
  fresh350: {},
  // fresh352: a blind Claude Code 1.0.60 session (cyperx84/dotfiles, its claude/.claude: Sonnet 4 setting up a booking
  // app's dev environment with Docker's Postgres; 90 calls, 6 wasted), scored once on arrival: 4/4 · 4/6.
  fresh352: {},
  // fresh354: a blind Claude Code 2.1.81 session (MatthewBrownie/my-claude-setup, a committed ~/.claude from Windows:
  // Sonnet 4.6 on the person's own Electron to-do app, 13 turns; 152 calls, 1 wasted), scored once on arrival: 1/1 · 1/1.
  fresh354: {},
  // fresh355: a blind Claude Code 1.0.43 session (yanggf8/claude-config, a committed ~/.claude: Sonnet 4 wiring a social
  // app's placeholders; 74 calls, none wasted), scored once on arrival: 0/1 (a read 60% shown, whose new lines the
  // next edit used: near-duplicate's edge, where labellers disagree).
  fresh355: {},
  // fresh357: a blind Claude Code 2.1.81 session (sektant1/arch-dotfiles, its .claude: Opus 4.6 turning a minified
  // SolidJS bundle into React components, five background agents; 125 calls, 6 wasted), scored once on arrival: 1/1 · 1/6.
  fresh357: {},
  // fresh358: a blind Claude Code 2.0.61 session (wordixai/54c1f5aa-…, a generated app that commits its container's
  // ~/.claude: Sonnet 4.5, then Opus 4.5, one compaction; 65 calls, 1 wasted), scored once on arrival: no flag · 0/1.
  fresh358: {},
  // fresh360: a blind Claude Code 2.1.197 session from Claude Desktop on Windows (scaffas/scaffas-homes, a committed
  // ~/.claude: an SEO audit of a website with curl, Grep and a Python script; 93 calls, 3 wasted), scored once on
  // arrival: 1/1 · 1/3.
  fresh360: {},
  // fresh361: a blind Claude Code 2.1.71 session (earnabitmore365/wujitang-merit, a committed ~/.claude of fresh90's
  // owner, another agent: Sonnet 4.6 keeping a home assistant's notes and rule files, some SQLite; the first 120 of
  // 182 calls, 1 wasted), scored once on arrival: 0/1 · 0/1 (a `cat | python3 … || cat | head -30` whose fallback
  // never ran, counted as shown).
  fresh361: {},
  // fresh362: a blind Claude Code 2.1.228 session (web-barina/claudecode, a committed ~/.claude: Sonnet 5 moving a
  // portfolio site's inline styles to CSS, SEO tags, BEM class names; 123 calls, 3 wasted), scored once on arrival:
  // 1/1 · 1/3.
  fresh362: {},
  // fresh363: a blind Claude Code 2.1.78 session (panwenzhuo2016/skillss, a committed ~/.claude: Opus 4.6 on a
  // JetBrains plugin's light theme, from Windows; 63 calls, 10 wasted), scored once on arrival: 1/1 · 1/10. Six of the
  // misses are whole re-reads after the person's turn at which the prompt shrank from 62k to 32k tokens (the earlier
  // tool results gone from it, as Claude Code clears old ones), which aco reads as a new context; the labels do not.
  fresh363: {},
  // fresh364: a blind Claude Code session of Sonnet 4.6 (SuyeonKim1702/claude-config, a committed ~/.claude: HTML
  // mockups served locally and pushed into Figma through its MCP tools, two compactions; 117 calls, none wasted),
  // scored once on arrival: no flag.
  fresh364: {},
}
const MIN_COUNT = 3
type Part = 'dev' | 'held-out' | FreshSet

/**
 * Calls of the blind sets that aco flagged wrongly at their arrival, each mended by a general change (its fixture is in
 * test/flag/waste-classes.test.ts): they stay unflagged.
 */
const MENDED: Array<{set: FreshSet; trace: string; calls: number[]; why: string}> = [
  {
    set: 'fresh96',
    trace: 'claude-code__oravini',
    calls: [27, 28, 29, 32, 34, 36],
    why: "greps of a long file after a head that printed one line fewer than asked (trimmed), taken for the file's end",
  },
  {
    set: 'fresh98',
    trace: 'claude-code__neuvector',
    calls: [26, 46, 66],
    why: "pydantic's footer as a failure's signature; a background command's output file read while it ran; `cat f | tail -N` with no dependency on f",
  },
  {
    set: 'fresh300',
    trace: 'claude-code__claude-test',
    calls: [93, 97, 113],
    why: 'the whole test suite (`uv run pytest -v`, no test named) after one of its files passed, read as fewer of its tests',
  },
  {
    set: 'fresh342',
    trace: 'claude-code__a2a-todos-react',
    calls: [114],
    why: "a start script's failure read by its banner (its first line) where a line marked ❌ said what failed, and otherwise",
  },
]

describe.skipIf(!hasCorpus)(
  `corpus: waste detectors against hand labels (${hasCorpus ? 'labels' : skipNoCorpus})`,
  () => {
    const labels = loadLabels().filter(traceAvailable)
    for (const part of ['dev', 'held-out', ...FRESH_SETS] as const) {
      it(`${part}: precision and recall per detector`, async () => {
        const chosen = isFreshSet(part)
          ? loadLabels(part).filter(traceAvailable)
          : labels.filter(l => (part === 'held-out') === isHeldOut(l, labels))
        const calls: ScoredCall[] = []
        const growth: ScoredGrowth[] = []
        for (const l of chosen) {
          const s = await scoreFile(l)
          expect(s.unjoined, `${l.name}: labels that match no tool step`).toEqual([])
          calls.push(...s.calls)
          growth.push(...s.growth)
        }
        const rows = table(calls, growth)
        console.log(`waste labels, ${part}: ${chosen.length} traces, ${calls.length} calls\n${formatTable(rows)}`)
        const byKind = new Map<string, DetectorRow>(rows.map(r => [r.kind, r]))
        for (const [kind, [precision, recall]] of Object.entries(FLOORS[part])) {
          const row = byKind.get(kind)!
          if (row.flagged >= MIN_COUNT)
            expect(row.precision, `${part} ${kind} precision`).toBeGreaterThanOrEqual(precision)
          if (row.positives >= MIN_COUNT) expect(row.recall, `${part} ${kind} recall`).toBeGreaterThanOrEqual(recall)
        }
      }, 120_000)
    }
    for (const m of MENDED)
      it(`${m.set}: the calls its wrong flags were mended on stay unflagged (${m.why})`, async () => {
        const label = loadLabels(m.set).find(l => l.name.startsWith(m.trace))
        if (!label || !traceAvailable(label)) return
        const s = await scoreFile(label)
        const flagged = s.calls.filter(c => m.calls.includes(c.label.n) && c.flag).map(c => `#${c.label.n} ${c.flag}`)
        expect(flagged).toEqual([])
        expect(s.calls.filter(c => m.calls.includes(c.label.n))).toHaveLength(m.calls.length)
      })
  },
)
