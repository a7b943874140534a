/**
 * Review 56's inputs (`fixtures/review56/`, notes in `test/corpus/waste-labels/REVIEW56.md`): the rules of this
 * session (a narrower content search across a build, a program asked its usage, programs the shell could not find,
 * Claude Code's Edit showing it lost its reads, git's stat and line-ending warnings, Codex outputs written before their
 * response's count), as the reviewer tried to break them. Each fixture's flags are pinned as they stand after the mends.
 */
import {pinnedReview} from './pinned-review.js'

/** Each fixture's flags by tool call (1-based), after the mends. */
const EXPECTED: Record<string, Record<number, string>> = {
  'black-grep-ctl': {},
  'black-grep': {},
  'black-retry-ctl': {},
  'black-retry': {},
  'black-retry2': {},
  'build-fewer-narrow': {},
  'build-fewer-same': {},
  'build-hit': {3: 'near-duplicate'},
  'build-nohit': {},
  'cx-compact-before-count': {3: 'reread-unchanged'},
  'cx-counted-compact': {},
  'cx-mixed': {3: 'reread-unchanged'},
  'cx-null-compact': {2: 'reread-unchanged'},
  'gitnumstat-diff': {},
  'gitstat-base': {},
  'gitstat-pipe': {2: 'near-duplicate'},
  gitstat: {2: 'near-duplicate'},
  'lost-basic': {},
  'lost-modified': {},
  'lost-proven': {},
  'nobuild-nohit': {},
  'prettier-npx': {},
  'usage-node': {},
  'usage-tests-ctl': {},
  'usage-tests': {},
}

pinnedReview('review56', EXPECTED)
