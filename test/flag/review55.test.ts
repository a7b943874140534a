/**
 * Review 55's inputs (`fixtures/review55/`, notes in `test/corpus/waste-labels/REVIEW55.md`): the rules of fc5c8a6d
 * (lines compared across looks: trailing blanks, the indentation a shell that trims its output took), 557b2051 (a
 * Write refused "not read yet" asks for a Read of Claude Code's own tools), a2c277cd (an Edit of the whole file writes
 * it whole) and e0eca678 (a search's line numbers are the file's only where it reads the file and numbers lines), as
 * the reviewer tried to break them. Each fixture's flags are pinned as they stand after the mends; the ones the review
 * left open are named in REVIEW55.md (Markdown's trailing-space line breaks stripped by a hook, Edit and MultiEdit
 * refused "not read yet" across a `cat`, which Claude Code 2.1.89 on counts as a read for its Edit).
 */
import {pinnedReview} from './pinned-review.js'

/** Each fixture's flags by tool call (1-based), after the mends. */
const EXPECTED: Record<string, Record<number, string>> = {
  'cat-n-pipe-grep': {2: 'reread-unchanged'},
  'cat-pipe-grep-n': {2: 'reread-unchanged'},
  'cc-echo-sed-first-line-dedented': {},
  'cc-echo-sed-first-line-same-control': {},
  'cc-read-offset-first-line-dedented': {},
  'cc-sed-first-line-dedented-trimmed': {3: 'reread-unchanged'},
  'cc-sed-second-line-dedented': {},
  'cc-sed-then-read-first-line-dedented': {},
  'cc-sed-then-read-first-line-same-control': {},
  'codex-first-line-dedented-rev': {},
  'codex-first-line-dedented-rev2': {},
  'codex-first-line-dedented': {},
  'codex-first-line-same-control': {3: 'reread-unchanged'},
  'codex-grep-o-n': {},
  'codex-second-line-dedented-control': {},
  'codex-shell-argv-grep-n': {2: 'reread-unchanged'},
  'codex-shell-argv-plain-grep-n': {2: 'reread-unchanged'},
  'edit-not-read-cat': {},
  'edit-then-write-not-read-cat': {3: 'failed-repeat'},
  'ew-control': {3: 'reread-unchanged'},
  'ew-edit-failed': {},
  'ew-hook-reformat-then-cat': {},
  'ew-hook-reformat-then-read': {},
  'ew-md-hook-strips-breaks': {3: 'reread-unchanged'},
  'ew-minus-last-line': {},
  'ew-read-offset1': {},
  'ew-replace-all': {3: 'reread-unchanged'},
  'ew-then-cat-control': {3: 'reread-unchanged'},
  'ew-then-cat-differs-nohook': {},
  'git-grep-rev-h-n': {},
  // (These three print the file's name before each line, `handler.py:5:`. The review found them unflagged and right for
  // a one-file search's numbers; since lines a search printed count file by file (issue 16, fresh279 #10), the range
  // read after them, every line of which they printed with its number, is a re-read, as grep-n-context-control's is.)
  'grep-Hn': {2: 'reread-unchanged'},
  'grep-bn': {2: 'reread-unchanged'},
  'grep-c-n': {},
  'grep-l-n': {},
  'grep-line-number-long': {2: 'reread-unchanged'},
  'grep-n-context-control': {2: 'reread-unchanged'},
  'grep-n-context-cut': {},
  'grep-n-cut-f1': {},
  'grep-n-hits-cut': {},
  'grep-n-hits-uncut-control': {2: 'reread-unchanged'},
  'grep-n-onehit-cut': {},
  'grep-n-two-files': {2: 'reread-unchanged'},
  'grep-nv': {2: 'near-duplicate'},
  'grep-o-n-multi': {},
  'grep-o-n': {},
  'grep-on-cluster': {},
  'grep-rn-dir-one-file': {2: 'reread-unchanged'},
  'grep-tool-default-n': {2: 'reread-unchanged'},
  'grep-tool-n-false': {2: 'reread-unchanged'},
  'md-trailing-break-stripped-read': {3: 'reread-unchanged'},
  'md-trailing-break-stripped': {3: 'reread-unchanged'},
  'md-trailing-same-control': {3: 'reread-unchanged'},
  'multiedit-not-read-cat': {},
  'rg-max-columns-preview': {2: 'near-duplicate'},
  'rg-n-noheading': {2: 'reread-unchanged'},
  'win-write-not-read-case-read': {3: 'failed-repeat'},
  'win-write-not-read-slash-read': {},
  'win-write-not-read-type': {3: 'failed-repeat'},
  'write-hook-reformat-then-cat': {},
  'write-md-hook-strips-breaks': {2: 'reread-unchanged'},
  'write-not-read-across-prompt': {2: 'failed-repeat'},
  'write-not-read-cat-v1': {3: 'failed-repeat'},
  'write-not-read-failed-read': {3: 'failed-repeat'},
  'write-not-read-grep': {3: 'failed-repeat'},
  'write-not-read-offset-read': {},
  'write-not-read-other-read': {3: 'failed-repeat'},
  'write-not-read-relative-read': {},
  'write-not-read-same-name': {3: 'failed-repeat'},
  'write-then-cat-differs-nohook': {},
  'xargs-grep-n': {},
}

pinnedReview('review55', EXPECTED)
