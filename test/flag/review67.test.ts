/**
 * Review 67's inputs (`fixtures/review67/`, notes in `test/corpus/waste-labels/REVIEW67.md`): the rules of 2026-12-05's
 * evening session (lines a search printed, file by file; the lines a file tool states it showed; the shell of a session
 * whose folder no record names; archives; Codex's MCP results; Gemini CLI's masked outputs), as a reviewer tried to break
 * them. Each fixture's flags are pinned as they stand after the mends (by tool call, 1-based); every fixture of the
 * folder is pinned.
 */
import {pinnedReview} from './pinned-review.js'

const EXPECTED: Record<string, Record<number, string>> = {
  'cc-grep-content-edit-then-read-same-lines.jsonl': {},
  'cc-grep-content-then-read-same-lines.jsonl': {2: 'reread-unchanged', 3: 'reread-unchanged'},
  'cc-grep-content-then-read-wider-range.jsonl': {},
  'cc-grep-content-windows-dashed-paths-then-read.jsonl': {2: 'reread-unchanged'},
  'cc-rg-n-context-row-long-base64.jsonl': {2: 'reread-unchanged'},
  'cd-then-rg-n-other-file-same-name.jsonl': {},
  'cd-then-rg-n-then-read-in-sub.jsonl': {2: 'reread-unchanged'},
  'codex-mcp-dc-header-huge-numbers.jsonl': {3: 'reread-unchanged'},
  'codex-mcp-read-env-secrets.jsonl': {},
  'codex-mcp-read-log-with-exit-code-line-then-sed.jsonl': {2: 'reread-unchanged'},
  'codex-mcp-read-log-with-exit-code-line.jsonl': {2: 'reread-unchanged'},
  'codex-mcp-screenshots-differ.jsonl': {},
  'dc-header-inside-file-head-then-cat-codex.jsonl': {},
  'dc-header-inside-file-head-then-cat-gemini.json': {},
  'dc-header-inside-file-head-then-cat.jsonl': {},
  'dc-header-inside-file-head-then-sed.jsonl': {},
  'gemini-grep-shell-cd-sed-i-then-read.json': {},
  'gemini-grep-shell-sed-i-then-read-control.json': {2: 'reread-unchanged'},
  'gemini-grep-shell-sed-i-then-read.json': {},
  'gemini-grep-then-grep-again-narrower.json': {},
  'gemini-grep-then-read-more-lines.json': {},
  'gemini-grep-then-read-whole-file.json': {},
  'gemini-grep-trimmed-then-read-range.json': {},
  'gemini-header-inside-file-head-then-cat.jsonl': {},
  'gemini-long-line-cut-then-sed.json': {},
  'gemini-read-header-huge-numbers.json': {2: 'reread-unchanged'},
  'gemini-read-offset-limit-header-then-ranges.json': {3: 'reread-unchanged'},
  'gemini-shell-cd-tests-vs-root-file.json': {},
  'gemini-shell-dir-path-two-configs.json': {},
  'gemini-shell-then-read-file-control.json': {2: 'reread-unchanged'},
  'rg-n-formatter-then-sed.jsonl': {},
  'rg-n-piped-to-cut-then-sed.jsonl': {},
  'rg-replace-then-sed.jsonl': {},
  'rg-vimgrep-then-sed.jsonl': {},
  'tar-C-tmp-make-rerun.jsonl': {},
  'tar-C-tmp-rerun-script.jsonl': {},
  'unzip-d-tmp-rerun-script-claude.jsonl': {},
  'unzip-d-tmp-rerun-script.jsonl': {},
  'unzip-exclude-before-d-outside-project-rerun.jsonl': {},
}

pinnedReview('review67', EXPECTED)
