/**
 * Review 40's inputs (`fixtures/review40/`, notes in `test/corpus/waste-labels/REVIEW40.md`): a third helper's sessions
 * against review 39's mends: paths an output names placed through the words of the line, subshells side by side, and
 * `cd`'s own options. Each wrong flag or lost right flag it found is mended and pinned here.
 */
import {describe, expect, it} from 'vitest'
import {fixtureFlags} from '../helpers.js'

/** The card's flags by tool call (1-based). */
const flagsOf = (name: string): Promise<Record<number, string>> => fixtureFlags(`review40/${name}`)

describe('review 40', () => {
  it("1: a path is the line's own word only as the command naming it resolved it, not by its name's tail", async () => {
    // `head -3 data/train.csv && python train.py`: the script's missing train.csv is the top folder's, which 2 looks for
    // again (it was filed as data/train.csv).
    expect(await flagsOf('named-head-train.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('named-head-train-cat.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('named-wc-train.jsonl')).toEqual({2: 'failed-repeat'})
    // `git diff --stat -- legacy/app.py; make run`: the traceback's `File "app.py"` is not legacy/app.py, so an edit of
    // lib/util.py is a fix tried.
    expect(await flagsOf('named-frames-make.jsonl')).toEqual({})
    // `pip install … && cd svc && python app.py`: the frames are svc's (app.py named there).
    expect(await flagsOf('pip-cd-py.jsonl')).toEqual({})
  })

  it('2: subshells side by side each leave their folder; `cd -P api` enters api', async () => {
    expect(await flagsOf('sib-sub-missing.jsonl')).toEqual({2: 'failed-repeat'})
    expect(await flagsOf('cdP-missing.jsonl')).toEqual({2: 'failed-repeat'})
    // `(cd web && npm test) | tee test.log; tail -3 test.log`: test.log is the top folder's; 4's tail repeats 3's.
    expect(await flagsOf('sub-tee-tail.jsonl')).toEqual({4: 'reread-unchanged'})
  })
})

describe('review 41', () => {
  it("a command's words resolved in the folder its own `cd` entered (`bash -lc 'cd web && …'`), and paths with spaces", async () => {
    const of = (name: string) => fixtureFlags(`review41/${name}`)
    // 1 looked for web/config.json, 2 for the top folder's: no repeat. 3 (in the second) looks for web's again.
    expect(await of('bashlc-missing.jsonl')).toEqual({})
    expect(await of('bashlc-missing-right.jsonl')).toEqual({2: 'failed-repeat'})
    // The traceback's frames are web's: 2 edited web/lib/util.py, a fix tried.
    expect(await of('bashlc-frames.jsonl')).toEqual({})
    // `git status -s && cd 'my app' && cat config.json`, then `cat config.json` at the top: two files.
    expect(await of('space-cd-top.jsonl')).toEqual({})
  })
})
