/**
 * Review 60's inputs (`fixtures/review60/`, notes in `test/corpus/waste-labels/REVIEW60.md`): the fifth session of
 * 2026-12-05's rules (a shell script run by xargs or find -exec for each item, PowerShell's output filters, an unknown
 * program asked only by a subcommand that asks, the filters run over the earlier output, a go test Go answered from its
 * cache), as the reviewer tried to break them. Each is pinned here as it stands after the mends.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review60/${name}.jsonl`)

describe('review 60', () => {
  it("1, 8: a remote status polled again is no repeat (its answer changes by itself); nor a tool's list that wrote", async () => {
    for (const name of ['r4-fly-poll', 'r4-gcloud-build-poll', 'r4-prefect-poll-filtered', 'r4-dbt-ls-manifest'])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('2, 5, 6: a cached go test certifies nothing past a cut, a change outside its module, or a package built anew', async () => {
    for (const name of [
      'r5-go-tail-hides-fresh',
      'r5-go-db-migration',
      'r5-go-outside-module',
      'r5-go-no-test-files-compile',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('3, 7: tests or a network call in a script xargs or find -exec runs keep their dependencies', async () => {
    for (const name of ['r1-find-exec-tests', 'r1-shared-lib', 'r1-health-poll'])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('4: another pattern asked of the same output is another question, even when both find nothing', async () => {
    for (const name of ['r3-ps-selectstring-patterns', 'r3-ps-log-patterns', 'pre-bash-grep-patterns'])
      expect(await flagsOf(name), name).toEqual({})
  })

  it('the controls: what held up holds', async () => {
    // A file `cat … | wc -l` counted again after `ls docs/*.md | xargs -I{} sh -c 'cp {} {}.bak'`: it was pinned a
    // duplicate while the count depended on nothing; since review 68 it depends on docs/a.md, and aco does not follow
    // what xargs's `cp {} {}.bak` names, only that it wrote below docs/: no duplicate.
    expect(await flagsOf('ctl-held-checks')).toEqual({})
    for (const name of [
      'ctl-r1-edit-inside-scope',
      'ctl-r1-edit-inside-scope-diff-output',
      'ctl-r2-windows-samecase-cd',
      'ctl-r3-ps-filters',
      'ctl-r4-cdk-ls-output-changed',
      'ctl-r4-jj-describe-push',
    ])
      expect(await flagsOf(name), name).toEqual({})
  })
})
