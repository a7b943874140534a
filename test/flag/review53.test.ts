/**
 * Review 53's inputs (`fixtures/review53/`, notes in `test/corpus/waste-labels/REVIEW53.md`): the rule of 6c253634 (a
 * command aco cannot read into, filtered right after it printed whole) and the Claude Code notices of cd33c866 (a file
 * changed outside the agent, a message the person queued), as the reviewer tried to break them. Each fixture's flags
 * are pinned as they stand after the mends: none is wrong by the review's reading.
 */
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {fixture, fixtureFlags} from '../helpers.js'

/** Each fixture's flags by tool call (1-based), after the mends. */
const EXPECTED: Record<string, Record<number, string>> = {
  'cc-2to1': {2: 'duplicate-call', 5: 'duplicate-call'},
  'cc-benchmark-sample': {2: 'duplicate-call'},
  'cc-cd-persist': {2: 'duplicate-call'},
  'cc-chain-after-change': {},
  'cc-ctl-cd-both': {},
  'cc-ctl-env': {},
  'cc-ctl-other-folder': {},
  'cc-ctl-persisted': {},
  'cc-ctl-person-between': {},
  'cc-ctl-same-message': {},
  'cc-ctl-sort-uniq': {},
  'cc-ctl-tail1': {2: 'duplicate-call'},
  'cc-ctl-truncated': {},
  'cc-ctl-wc-after-ok': {2: 'duplicate-call'},
  'cc-deploy-twice': {2: 'duplicate-call'},
  'cc-edited-grep': {},
  'cc-edited-other-file-ctl': {},
  'cc-edited-outside': {},
  'cc-edited-reread': {3: 'reread-unchanged'},
  'cc-edited-tests': {},
  'cc-edited-txt-in-project': {2: 'duplicate-call'},
  'cc-edited-windows-gotest-ctl': {2: 'duplicate-call'},
  'cc-edited-windows-gotest': {},
  'cc-edited-windows-slash': {},
  'cc-edited-windows': {},
  'cc-empty-after-lines': {},
  'cc-flaky-check': {},
  'cc-flaky-unfiltered-ctl': {},
  'cc-lines-vanished': {},
  'cc-miss-echo-exit': {},
  'cc-miss-grep-context': {2: 'duplicate-call'},
  'cc-miss-grep-nomatch': {},
  'cc-miss-parallel-order': {},
  'cc-miss-todo-between': {3: 'duplicate-call'},
  'cc-miss-wc-after-fail': {2: 'duplicate-call'},
  'cc-queued-array': {},
  'cc-queued-crossturn-array': {},
  'cc-queued-crossturn-ctl': {3: 'duplicate-call'},
  'cc-queued-crossturn-noorigin': {},
  'cc-queued-crossturn': {},
  'cc-queued-ctl-dropped': {},
  'cc-queued-human': {},
  'cc-queued-inturn': {},
  'cc-queued-noorigin': {},
  'cc-queued-retro-ctl': {2: 'duplicate-call', 3: 'duplicate-call'},
  'cc-queued-retro': {2: 'duplicate-call'},
  'cc-queued-unrelated': {2: 'duplicate-call'},
  'cc-sandbox-rerun': {},
  'cc-tail1-not-last': {},
  'cc-timeout-longer': {},
  'cc-timeout-partial': {},
  'cc-timeout-unknown': {},
  'cc-transient-retry': {2: 'duplicate-call'},
  'cc-transient-unfiltered-ctl': {2: 'failed-repeat'},
  'cc-write-other-file-ctl': {},
  'cx-basic': {2: 'duplicate-call'},
  'cx-other-workdir': {},
  'cx-powershell-first': {},
  'cx-powershell-select': {},
  'cx-steer-midturn': {},
  'cx-still-running': {},
  'cx-timeout-124': {},
  'cx-truncated': {},
}

describe('review 53', () => {
  it('every fixture flags what the review calls wasted, and nothing else', async () => {
    for (const [name, flags] of Object.entries(EXPECTED))
      expect(await fixtureFlags(`review53/${name}.jsonl`), name).toEqual(flags)
  })

  it('every fixture of the review is pinned above', () => {
    const all = readdirSync(fixture('review53')).map(f => f.replace(/\.jsonl$/, ''))
    expect(all.filter(f => !(f in EXPECTED))).toEqual([])
  })
})
