/**
 * Review 68's inputs (`fixtures/review68/`, notes in `test/corpus/waste-labels/REVIEW68.md`): the rules of the night of
 * 2026-12-05/06 (a program named by its path not found, a Glob through a dot-folder, OpenCode's `Showing lines` note,
 * openssl, a test run naming no test, a folder `ls -la` showed empty), as a reviewer tried to break them. Each fixture
 * holds a call aco had flagged wrongly; its flags are pinned as they stand after the mends (by tool call, 1-based).
 */
import {pinnedReview} from './pinned-review.js'

const EXPECTED: Record<string, Record<number, string>> = {
  'aside-preexisting-cat-pipe-wc-after-cp.jsonl': {},
  'aside-preexisting-wc-stdin-after-edit.jsonl': {},
  'r2-glob-brace-dotfolder-after-LS.jsonl': {},
  'r2-glob-brace-dotnames-after-LS.jsonl': {},
  'r2-glob-brace-three-after-LS.jsonl': {},
  'r2-glob-brace-two-dotfolders-after-LS.jsonl': {},
  'r3-opencode-range-read-file-grew-person-said.json': {},
  'r3-opencode-range-read-file-grew.json': {},
  'r4-openssl-dgst-after-tar.jsonl': {},
  'r4-openssl-dgst-verify-after-edit-and-resign.jsonl': {},
  'r4-openssl-sha256-after-curl.jsonl': {},
  'r4-openssl-verify-after-cp.jsonl': {},
  'r4-openssl-verify-after-resign.jsonl': {},
  'r4-openssl-x509-pipe-after-cp.jsonl': {},
  'r4-openssl-x509-stdin-after-cp.jsonl': {},
  'r5-go-subtree-after-package.jsonl': {},
  'r5-go-two-packages-after-one.jsonl': {},
  'r5-pytest-two-dirs-after-one.jsonl': {},
  'r5-pytest-two-files-after-one.jsonl': {},
  'r6-found-after-find-exec-cp.jsonl': {},
  'r6-found-after-npm-ci.jsonl': {},
  'r6-found-after-pip-download.jsonl': {},
  'r6-found-after-xargs-cp.jsonl': {},
  'r6-found-files-after-person-turn.jsonl': {},
  'r6-glob-found-files-after-person-turn.jsonl': {},
  'r6-ls-la-ignore-bak.jsonl': {},
  'r6-ls-la-ignore-node_modules.jsonl': {},
  'r6-ls-lad-folder-itself-found.jsonl': {},
  'r6-ls-lad-folder-itself.jsonl': {},
}

pinnedReview('review68', EXPECTED)
