/**
 * Review 69's inputs (`fixtures/review69/`, notes in `test/corpus/waste-labels/REVIEW69.md`): the rules of the session of
 * 2026-12-06 (a background job's end by its task id, elapsed times and test tallies in a failure's signature, calls the
 * harness never started, imports failing after a person's turn, a narrower search of a sub-folder, OpenCode 1.2's read,
 * pytest's failing last line, a merge or pull that names its files, TaskOutput ending a job), as a reviewer tried to
 * break them. Each fixture's flags are pinned as they stand after the mends (by tool call, 1-based); the four left as
 * they were are marked so in the notes.
 */
import {pinnedReview} from './pinned-review.js'

const EXPECTED: Record<string, Record<number, string>> = {
  // Left: `timeout 30 cmd` killed at its limit (exit 124), run again as it was, is killed again (older; labellers call
  // such re-runs of a command too long for its limit waste).
  'r2-coreutils-timeout-124': {2: 'failed-repeat'},
  'r2-go-package-time': {2: 'failed-repeat'},
  'r2-perf-budget-flaky': {},
  // Left: a test run whose failure was a read timeout, asked again with fewer tests (older; the test-rerun rule's).
  'r2-pytest-read-timeout-rerun': {2: 'near-duplicate'},
  'r2-pytest-timeout-option-unrecognized': {2: 'failed-repeat'},
  'r2-read-timeout-traceback-rerun': {},
  'r2-unexpected-timeout-kwarg': {2: 'failed-repeat'},
  'r3-codex-declined-then-person-ran-it': {},
  'r3-declined-install-person-installed': {},
  'r3-declined-install-reason-given': {},
  'r3-declined-script-person-ran-it': {},
  'r5-alt-dist-folder': {},
  // Left, borderline: `git grep` leaves out untracked files, which the later `rg` of a sub-folder would find.
  'r5-alt-git-grep': {2: 'near-duplicate'},
  'r5-alt-glob-then-none': {},
  'r5-alt-max-count': {},
  'r5-alt-node-modules-folder': {},
  'r5-alt-node-modules-sub': {},
  'r5-alt-pipe-head': {},
  'r5-exclude-glob': {},
  'r5-grep-head-limit': {},
  'r5-ignored-folder-build': {},
  'r5-same-node-modules-folder': {},
  // Left (older): a file whose own last lines are a `<system-reminder>` block loses them where outputs are compared.
  'r6-cat-after-head-file-ends-in-reminder': {2: 'reread-unchanged'},
  'r8-edit-after-merge-control': {},
  'r8-edit-after-merge-cut-name-matches-created': {},
  'r8-edit-after-merge-quoted-path': {},
  'r8-edit-after-pull-recurse-submodules': {},
  'r8-edit-after-up-to-date-and-checkout-file': {},
  'r8-edit-after-up-to-date-and-codegen': {},
  'r8-edit-after-up-to-date-and-submodule-update': {},
  'r8-edit-after-up-to-date-submodule-checkout': {},
  'r8-pull-and-codegen-then-cat': {},
  'r9-taskoutput-running-tail-quotes-completed': {},
}

pinnedReview('review69', EXPECTED)
