/**
 * What each card of a session learns from the others' writes (flag-card.ts's SessionWrites):
 *
 * - `between`: the session's writes sorted once, each card's taken from that list, must be the very list each
 *   card's selection sorted on its own gave (the other cards' writes in (from, to], by time, ties by card then step).
 * - `contentBefore`: looked up per file, it must answer what a timeline that applied every one of those writes up to
 *   the card's first step answers (`Timeline.content`), for every file.
 *
 * fast-check builds sessions with many equal times, and writes that set, forget, touch and clear the same few files.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {ForeignWrite} from '../../src/flag/context.js'
import type {FileWrite} from '../../src/flag/effects.js'
import {SessionWrites} from '../../src/flag/flag-card.js'
import {type StepWrites, Timeline} from '../../src/flag/timeline.js'
import {runs} from '../property/runs.js'

/** How the flag stage chose them before: each card's selection, sorted on its own. */
function naive(own: ForeignWrite[][], k: number, from: number, to: number): ForeignWrite[] {
  return own
    .filter((_, j) => j !== k)
    .flat()
    .filter(w => w.time > from && w.time <= to)
    .sort((a, b) => a.time - b.time)
}

const empty = (): StepWrites => ({writes: [], under: [], any: false, env: false, git: false})
const write = (time: number): ForeignWrite => ({time, writes: empty()})

const PATHS = ['/p/a.py', '/p/d/b.py', '/p/d/e/c.sh', '/(anywhere)/a.py', '/(cwd)/a.py', 'C:/w/x.py']
const DIRS = ['/p', '/p/d', '/p/d/e', '/', '/q', '/(anywhere)/d', '/(cwd)', 'C:/w']

const fileWrite: fc.Arbitrary<FileWrite> = fc
  .record({
    path: fc.constantFrom(...PATHS),
    shape: fc.constantFrom('content', 'forget', 'meta', 'partial'),
    content: fc.constantFrom('print(1)', 'print(2)', 'echo 3', ''),
  })
  .map(({path, shape, content}) =>
    shape === 'content'
      ? {path, content}
      : shape === 'meta'
        ? {path, metaOnly: true}
        : shape === 'partial'
          ? {path, partial: true}
          : {path},
  )

const stepWrites: fc.Arbitrary<StepWrites> = fc
  .record({
    writes: fc.array(fileWrite, {maxLength: 3}),
    under: fc.array(fc.constantFrom(...DIRS), {maxLength: 2}),
    built: fc.boolean(),
    any: fc.boolean(),
    away: fc.boolean(),
    env: fc.boolean(),
  })
  .map(({writes, under, built, any, away, env}) => ({
    ...empty(),
    writes,
    under,
    any,
    env,
    ...(any && away ? {away: true} : {}),
    ...(built && under.length ? {built: [under[0]!]} : {}),
  }))

const foreign = fc.record({time: fc.integer({min: 0, max: 8}), writes: stepWrites})

/** What the card does after its first step: writes of its own (touches, clears, forgets), temporary files. */
const later = fc.oneof(
  stepWrites.map(w => ({kind: 'apply' as const, w})),
  fc
    .array(
      fc.record({path: fc.constantFrom(...PATHS), content: fc.option(fc.constantFrom('s1', 's2'), {nil: undefined})}),
      {maxLength: 2},
    )
    .map(files => ({kind: 'scratch' as const, files})),
)

describe("each card's share of a session's writes", () => {
  it('is what sorting its own selection gave, object for object', () => {
    const session = fc.array(fc.array(fc.integer({min: 0, max: 12}).map(write), {maxLength: 12}), {maxLength: 8})
    fc.assert(
      fc.property(session, fc.integer({min: -1, max: 14}), fc.integer({min: -1, max: 14}), (own, at, from) => {
        const writes = new SessionWrites(own)
        own.forEach((_, k) => {
          for (const lo of [Number.NEGATIVE_INFINITY, from])
            for (const hi of [Number.NEGATIVE_INFINITY, at, Number.POSITIVE_INFINITY]) {
              const got = writes.between(k, lo, hi)
              const want = naive(own, k, lo, hi)
              expect(got.length).toBe(want.length)
              for (let i = 0; i < got.length; i++) expect(got[i]).toBe(want[i])
            }
        })
      }),
      runs(300, 20_000),
    )
  })

  it("knows each file's content as a timeline that applied all the earlier writes does, before and after the card's own", () => {
    const session = fc.array(fc.array(foreign, {maxLength: 8}), {minLength: 1, maxLength: 4})
    fc.assert(
      fc.property(session, fc.integer({min: -1, max: 9}), fc.array(later, {maxLength: 8}), (own, at, ops) => {
        const writes = new SessionWrites(own)
        own.forEach((_, k) => {
          const reference = new Timeline()
          for (const w of naive(own, k, Number.NEGATIVE_INFINITY, at)) reference.apply(w.writes)
          const lazy = new Timeline(path => writes.contentBefore(k, at, path))
          const same = () => {
            for (const path of PATHS) expect(lazy.content(path)).toBe(reference.content(path))
          }
          same()
          for (const op of ops) {
            if (op.kind === 'apply') {
              reference.apply(op.w)
              lazy.apply(op.w)
            } else {
              reference.scratch(op.files)
              lazy.scratch(op.files)
            }
            same()
          }
        })
      }),
      runs(500, 20_000),
    )
  })
})
