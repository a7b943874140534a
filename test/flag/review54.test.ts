/**
 * Review 54's inputs (`fixtures/review54/`, notes in `test/corpus/waste-labels/REVIEW54.md`): the rules of 43a6ebd1 (a
 * head or tail that cut nothing printed the whole output; grep's context lines read by grep's numbering) and b25d2f7f
 * (the latest look at the same lines is the evidence), as the reviewer tried to break them. Each fixture's flags are
 * pinned as they stand after the mends; the four `bg-job-ls-*` flags are the arguable ones the review names (a folder
 * a background job writes to, looked at again at once), as an exact repeat of the look is flagged too.
 */
import {pinnedReview} from './pinned-review.js'

/** Each fixture's flags by tool call (1-based), after the mends. */
const EXPECTED: Record<string, Record<number, string>> = {
  'awk-filter': {3: 'duplicate-call'},
  'awk-nr-pipe-grep-n-context': {},
  'bg-job-ls-bare-then-wc': {3: 'duplicate-call'},
  'bg-job-ls-exactdup': {3: 'duplicate-call'},
  'bg-job-ls-head-wc-grown': {3: 'duplicate-call'},
  'bg-job-ls-nosleep': {3: 'duplicate-call'},
  'bg-job-ls-poll': {},
  'ctx-class-head-partial': {2: 'reread-unchanged'},
  'ctx-decorator-missed': {2: 'reread-unchanged'},
  'ctx-unindented-group-missed': {2: 'reread-unchanged'},
  'find-mmin': {2: 'duplicate-call'},
  'fmt-between': {},
  'git-log-check-ignore': {},
  'gitdiff-names-xargs': {},
  'gitshow-pipe-grep-n': {},
  'grep-a-pipe-grep-n-context': {},
  'grep-after-window-log-grep-n-context': {},
  'grep-o-context': {},
  'grep-tool-context-nofooter-control': {2: 'reread-unchanged'},
  'grep-tool-context-paginated': {2: 'reread-unchanged'},
  'grep-tool-context-plain': {2: 'reread-unchanged'},
  'grep-tool-dated-log-control': {2: 'reread-unchanged'},
  'grep-tool-dated-log-paginated': {2: 'reread-unchanged'},
  'grep-tool-omitted-long': {},
  'head-diff-cwd': {},
  'head-exact-n': {},
  'head-then-person-changed': {},
  'head-trimmed-blank': {},
  'log-restart-grep-context': {},
  'npm-head-leading-blank': {},
  'numbered-list-no-n': {},
  'pytest-co-head-trimmed': {},
  'r3-parallel-after-relook': {
    2: 'reread-unchanged',
    3: 'reread-unchanged',
    4: 'reread-unchanged',
    5: 'reread-unchanged',
  },
  'r3-parallel-first-look': {3: 'reread-unchanged'},
  'rg-omitted-long-lines': {},
  sanity: {2: 'duplicate-call', 3: 'duplicate-call', 4: 'duplicate-call'},
  'schedule-no-n': {},
  'script-between': {},
  'sed-between': {},
  'sed-pipe-grep-n-context-realread': {2: 'near-duplicate'},
  'sed-pipe-grep-n-context': {},
  'sed-pipe-grep-n-onehit': {},
  'sed-pipe-grep-n-twohits': {},
  'sed-window-log-grep-n-context': {},
  'stash-between': {},
  'status-head-trimmed': {},
  'tail-pipe-grep-n-context': {},
  'tests-tail-edit-grep': {},
  'tests-tail-then-grep': {2: 'duplicate-call'},
  'tests-tail-then-wc': {2: 'duplicate-call'},
  'while-read-exists': {},
  'whole-and-filter-same-message': {},
  'whole-edit-cut-then-tail': {},
  'xargs-grep-after-head': {},
  'xargs-grep-l-debug': {},
  'xargs-ls-exists': {},
}

pinnedReview('review54', EXPECTED)
