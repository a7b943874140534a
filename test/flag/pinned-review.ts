/**
 * A review's fixtures pinned: each fixture's flags by tool call (1-based) as they stand after the review's mends, and
 * every fixture of the review's folder pinned (a fixture added without its flags fails).
 */
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {fixture, fixtureFlags} from '../helpers.js'

export function pinnedReview(folder: string, expected: Record<string, Record<number, string>>): void {
  // (A name without its extension is a `.jsonl` file's; a `.json` one is named whole.)
  const file = (name: string): string => (/\.jsonl?$/.test(name) ? name : `${name}.jsonl`)
  describe(folder.replace(/^review/, 'review '), () => {
    it('every fixture flags what the review calls wasted, and nothing else', async () => {
      for (const [name, flags] of Object.entries(expected))
        expect(await fixtureFlags(`${folder}/${file(name)}`), name).toEqual(flags)
    })

    it('every fixture of the review is pinned above', () => {
      const all = readdirSync(fixture(folder))
      expect(all.filter(f => !(f in expected) && !(f.replace(/\.jsonl$/, '') in expected))).toEqual([])
    })
  })
}
